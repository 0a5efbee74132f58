//! The wire text a decoded time value keeps, held in place rather than in its own allocation
//! when it is short, as RFC 3339 text is.

/// The longest text held in place: an RFC 3339 date-time with nanoseconds and an offset
/// (`2021-05-27T07:15:03.123456789+08:00`) takes 35 bytes.
const INLINE: usize = 38;

/// A short text in place, a longer one (an RFC 3339 fraction may have any number of digits) on
/// the heap.
#[derive(Clone)]
pub(super) enum WireText {
    /// The first `len` bytes of `bytes`, copied from a `str`.
    Inline { len: u8, bytes: [u8; INLINE] },
    /// Text longer than [`INLINE`] bytes.
    Heap(Box<str>),
}

impl WireText {
    /// `text`, copied in place when it fits.
    pub(super) fn new(text: &str) -> Self {
        match u8::try_from(text.len()) {
            Ok(len) if text.len() <= INLINE => {
                let mut bytes = [0; INLINE];
                bytes[..text.len()].copy_from_slice(text.as_bytes());
                Self::Inline { len, bytes }
            }
            _ => Self::Heap(text.into()),
        }
    }

    /// `text`, kept as it is when it does not fit in place.
    pub(super) fn from_string(text: String) -> Self {
        if text.len() <= INLINE { Self::new(&text) } else { Self::Heap(text.into_boxed_str()) }
    }

    /// The text.
    pub(super) fn as_str(&self) -> &str {
        match self {
            // Always whole characters copied from a `str`, so always UTF-8.
            Self::Inline { len, bytes } => std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default(),
            Self::Heap(text) => text,
        }
    }

    /// The text as a `String`.
    pub(super) fn into_string(self) -> String {
        match self {
            Self::Inline { .. } => self.as_str().to_owned(),
            Self::Heap(text) => text.into_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_held_in_place_and_long_text_on_the_heap() {
        let longest = "2021-05-27T07:15:03.123456789+08:00";
        for text in ["", "2021-05-27T07:15:03Z", longest, "é日本"] {
            let kept = WireText::new(text);
            assert!(matches!(kept, WireText::Inline { .. }), "{text}");
            assert_eq!(kept.as_str(), text);
            assert_eq!(WireText::from_string(text.to_owned()).into_string(), text);
        }
        let long = "2021-05-27T07:15:03.1234567890123456789Z";
        assert!(long.len() > INLINE);
        assert!(matches!(WireText::new(long), WireText::Heap(_)));
        assert_eq!(WireText::from_string(long.to_owned()).as_str(), long);
        assert_eq!(WireText::new(long).into_string(), long);
    }
}
