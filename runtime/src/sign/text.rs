//! Short ASCII text written on the stack: the numbers, dates and times the signers format, without
//! formatting machinery or an allocation for each.

/// Up to [`ShortText::CAPACITY`] bytes of ASCII text; what does not fit is dropped (every caller
/// writes far less: a timestamp is at most 21 bytes, a Tencent key time 41).
pub(super) struct ShortText {
    bytes: [u8; ShortText::CAPACITY],
    len: usize,
}

impl ShortText {
    /// How many bytes the text holds.
    pub(super) const CAPACITY: usize = 48;

    /// Empty text.
    pub(super) fn new() -> Self {
        Self { bytes: [0; Self::CAPACITY], len: 0 }
    }

    /// Appends one ASCII character (callers pass only ASCII).
    pub(super) fn push(&mut self, ascii: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = ascii;
            self.len += 1;
        }
    }

    /// Appends `n` in decimal with at least `width` digits (zero-padded).
    pub(super) fn push_padded(&mut self, n: u64, width: usize) {
        let mut digits = [b'0'; 20];
        let mut at = digits.len();
        let mut rest = n;
        while at > 0 && (rest > 0 || digits.len() - at < width.max(1)) {
            at -= 1;
            digits[at] = b'0' + u8::try_from(rest % 10).unwrap_or(0);
            rest /= 10;
        }
        for &digit in &digits[at..] {
            self.push(digit);
        }
    }

    /// Appends `n` in decimal, with `-` when negative.
    pub(super) fn push_i64(&mut self, n: i64) {
        if n < 0 {
            self.push(b'-');
        }
        self.push_padded(n.unsigned_abs(), 1);
    }

    /// The text written so far.
    pub(super) fn as_str(&self) -> &str {
        // Only ASCII is pushed, so this is always valid UTF-8.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_in_decimal() {
        let mut text = ShortText::new();
        text.push_i64(0);
        text.push(b';');
        text.push_i64(-42);
        text.push(b';');
        text.push_padded(7, 4);
        text.push(b';');
        text.push_padded(12345, 2);
        assert_eq!(text.as_str(), "0;-42;0007;12345");
        let mut text = ShortText::new();
        text.push_i64(i64::MIN);
        text.push(b';');
        text.push_i64(i64::MAX);
        assert_eq!(text.as_str(), "-9223372036854775808;9223372036854775807");
    }

    #[test]
    fn what_does_not_fit_is_dropped() {
        let mut text = ShortText::new();
        for _ in 0..ShortText::CAPACITY + 5 {
            text.push(b'x');
        }
        assert_eq!(text.as_str().len(), ShortText::CAPACITY);
    }
}
