//! Bounded excerpts of outside text (provider messages, bodies, invalid values, underlying
//! errors), so that no error's `Display` or `Debug` grows with what a server or caller sent.

use std::fmt;

/// How much of an undecodable body an error keeps.
const SNIPPET_BYTES: usize = 512;

/// How much of a provider's message, or of the message of an underlying error, an error shows.
pub(crate) const MESSAGE_BYTES: usize = 512;

/// The first [`SNIPPET_BYTES`] of a body as text, marked with the body's length when cut.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(SNIPPET_BYTES)]).into_owned();
    if body.len() > SNIPPET_BYTES { format!("{text}… ({} bytes)", body.len()) } else { text }
}

/// `text` itself when it has at most `limit` bytes, else its first `limit` bytes (cut at a
/// character boundary) marked with `…` and its length in bytes.
pub(crate) fn bounded(text: String, limit: usize) -> String {
    if text.len() <= limit {
        return text;
    }
    format!("{}… ({} bytes)", &text[..char_boundary(&text, limit)], text.len())
}

/// The largest character boundary of `text` at or before `index`.
fn char_boundary(text: &str, index: usize) -> usize {
    let mut end = index.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

/// The message of an underlying error, at most about [`MESSAGE_BYTES`]: kept instead of the
/// error when the error would hold an outside value whole (a decoder quoting an 8 MiB string).
/// A long message keeps its start and its end (where decoders say what they expected and
/// where), marked in the middle with its length.
#[derive(Debug)]
pub(crate) struct Cause(String);

impl Cause {
    pub(crate) fn of(error: &dyn std::error::Error) -> Self {
        let text = error.to_string();
        if text.len() <= MESSAGE_BYTES {
            return Self(text);
        }
        let head = &text[..char_boundary(&text, MESSAGE_BYTES - CAUSE_TAIL_BYTES)];
        let mut tail_start = text.len() - CAUSE_TAIL_BYTES;
        while !text.is_char_boundary(tail_start) {
            tail_start += 1;
        }
        Self(format!("{head}… ({} bytes) …{}", text.len(), &text[tail_start..]))
    }
}

/// How much of the end of a long underlying message a [`Cause`] keeps.
const CAUSE_TAIL_BYTES: usize = 128;

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Cause {}

/// How much of an outside value (a provider message, an invalid value, a location) an error
/// shows.
pub(crate) const EXCERPT_BYTES: usize = 200;

/// Shows a value of any length as a bounded excerpt: the value itself when it is short, else
/// its first [`EXCERPT_BYTES`] (cut at a character boundary), `…` and its length in bytes.
pub(crate) struct Excerpt<'a>(pub(crate) &'a str);

impl fmt::Display for Excerpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        if text.len() <= EXCERPT_BYTES {
            return write!(f, "{text:?}");
        }
        write!(f, "{:?}… ({} bytes)", &text[..char_boundary(text, EXCERPT_BYTES)], text.len())
    }
}

/// Writes text on one line: every run of whitespace (line breaks included) becomes one space.
pub(crate) struct OneLine<'a>(pub(crate) &'a str);

impl fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, word) in self.0.split_whitespace().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str(word)?;
        }
        Ok(())
    }
}
