//! Date and time values as the cloud APIs put them on the wire.
//!
//! The forms a spec declares:
//!
//! - [`Timestamp`] (`rfc3339`): an RFC 3339 string such as `2021-05-27T07:15:03Z` or
//!   `2019-05-23T14:35:23.584+00:00`.
//! - [`LocalDateTime`] (`local_datetime`): a date-time without a zone, `T` or a space between
//!   date and time and 0 to 9 fraction digits, in a fixed zone named by a const parameter, such
//!   as Tencent CLS's `2017-10-17 10:10:10` in +08:00 (`LocalDateTime<28800>`).
//! - [`EpochSeconds`] and [`EpochMillis`] (`epoch_seconds`, `epoch_millis`): a count since the
//!   Unix epoch, as a JSON number or a string of digits.
//! - [`AnyTime`] (`time` with `forms`): any of the forms its field declares.
//!
//! Every value decoded from the wire encodes back exactly as it arrived.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use ::time::format_description::well_known::Rfc3339;
use ::time::{Date, OffsetDateTime, Time, UtcOffset};
use serde::de::{self, Unexpected, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Excerpt;

mod any;
mod epoch;
mod local;
#[cfg(test)]
mod tests;
mod text;

pub use self::any::{AnyTime, TimeForm, TimeValue, time_forms};
pub use self::epoch::{EpochMillis, EpochSeconds};
pub use self::local::LocalDateTime;
use self::text::WireText;

/// What a [`Timestamp`] expects, used in parse and decode errors.
const RFC3339_EXPECTED: &str = "an RFC 3339 date-time such as 2021-05-27T07:15:03Z or 2019-05-23T14:35:23.584+00:00";

/// What a [`LocalDateTime`] expects, used in parse and decode errors.
const LOCAL_EXPECTED: &str = "a date-time without a zone, YYYY-MM-DD HH:MM:SS or YYYY-MM-DDTHH:MM:SS with 0 to 9 fraction digits, such as 2017-10-17 10:10:10 or 2024-04-30T16:05:02.117804";

/// The error returned when text is not a date-time in the expected format.
///
/// Its message names the rejected input (a marked excerpt of a long one) and the format that
/// was expected.
#[derive(Clone, PartialEq, Eq)]
pub struct ParseTimeError {
    input: String,
    expected: &'static str,
}

impl ParseTimeError {
    fn new(input: &str, expected: &'static str) -> Self {
        Self { input: input.to_owned(), expected }
    }

    /// The text that could not be parsed.
    #[must_use]
    pub fn input(&self) -> &str {
        &self.input
    }

    /// A description of the format that was expected.
    #[must_use]
    pub const fn expected(&self) -> &'static str {
        self.expected
    }
}

impl fmt::Display for ParseTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid date-time {}: expected {}", Excerpt(&self.input), self.expected)
    }
}

impl fmt::Debug for ParseTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ParseTimeError {{ input: {}, expected: {:?} }}", Excerpt(&self.input), self.expected)
    }
}

impl std::error::Error for ParseTimeError {}

/// Writes `year-month-day` with a four-digit year (a sign and four digits
/// for years before 0000, which the `time` crate can represent).
fn write_date(f: &mut impl fmt::Write, date: Date) -> fmt::Result {
    let year = date.year();
    if year < 0 {
        write!(f, "{year:05}")?;
    } else {
        write!(f, "{year:04}")?;
    }
    write!(f, "-{:02}-{:02}", u8::from(date.month()), date.day())
}

/// `time` at `offset` as `YYYY-MM-DD<separator>HH:MM:SS` (whole seconds), the wall-clock part
/// of every format above; an instant that cannot move to `offset` is written in its own.
pub fn wall_clock(time: OffsetDateTime, offset: UtcOffset, separator: char) -> String {
    let local = time.checked_to_offset(offset).unwrap_or(time);
    let mut out = String::with_capacity(19);
    // Writing into a `String` cannot fail.
    let _ = write_date(&mut out, local.date());
    out.push(separator);
    let _ = write_hms(&mut out, local.time());
    out
}

/// Writes `HH:MM:SS` (no fraction).
fn write_hms(f: &mut impl fmt::Write, time: Time) -> fmt::Result {
    write!(f, "{:02}:{:02}:{:02}", time.hour(), time.minute(), time.second())
}

/// Formats an instant in canonical RFC 3339: UTC with `Z`, and a fraction
/// (trailing zeros dropped) only when the sub-second part is not zero.
fn canonical_rfc3339(instant: OffsetDateTime) -> String {
    // An instant at the extreme ends of the supported range cannot be moved
    // to UTC; it is then written in its own offset rather than failing.
    let (local, utc) = match instant.checked_to_offset(UtcOffset::UTC) {
        Some(utc) => (utc, true),
        None => (instant, false),
    };
    let mut text = String::with_capacity(30);
    // Writing into a String cannot fail.
    let _ = write_canonical(&mut text, local, utc);
    text
}

/// Writes `local` as RFC 3339 with a `Z` suffix when `utc`, else its offset.
fn write_canonical(text: &mut String, local: OffsetDateTime, utc: bool) -> fmt::Result {
    use fmt::Write as _;
    write_date(text, local.date())?;
    text.push('T');
    write_hms(text, local.time())?;
    let nanos = local.nanosecond();
    if nanos != 0 {
        let digits = format!("{nanos:09}");
        text.push('.');
        text.push_str(digits.trim_end_matches('0'));
    }
    if utc {
        text.push('Z');
    } else {
        let offset = local.offset();
        let sign = if offset.is_negative() { '-' } else { '+' };
        write!(
            text,
            "{sign}{:02}:{:02}",
            offset.whole_hours().unsigned_abs(),
            offset.minutes_past_hour().unsigned_abs()
        )?;
    }
    Ok(())
}

/// Parses RFC 3339 text, accepting `T`, `t` or a space between date and time.
fn parse_rfc3339(text: &str) -> Result<OffsetDateTime, ParseTimeError> {
    let error = || ParseTimeError::new(text, RFC3339_EXPECTED);
    if !matches!(text.as_bytes().get(10), Some(b'T' | b't' | b' ')) {
        return Err(error());
    }
    OffsetDateTime::parse(text, &Rfc3339).map_err(|_| error())
}

/// An RFC 3339 instant, such as `2021-05-27T07:15:03Z` or
/// `2019-05-23T14:35:23.584+00:00`.
///
/// A value decoded from text keeps that text (in place, without an allocation of its own, up
/// to nanoseconds with an offset) and encodes back to it byte for
/// byte, whatever offset and fraction it used. A value built from an
/// [`OffsetDateTime`] encodes in canonical form: UTC with a `Z` suffix, and a
/// fraction only when the sub-second part is not zero.
///
/// Equality, ordering and hashing compare the instant, not the text:
/// `2021-05-27T07:15:03Z` equals `2021-05-27T15:15:03+08:00`.
#[derive(Clone)]
pub struct Timestamp {
    instant: OffsetDateTime,
    text: WireText,
}

/// The Unix epoch: a placeholder (request builders start from it), not a documented value.
impl Default for Timestamp {
    fn default() -> Self {
        Self::new(OffsetDateTime::UNIX_EPOCH)
    }
}

impl Timestamp {
    /// Builds a timestamp that encodes in canonical RFC 3339 (UTC, `Z`).
    ///
    /// Years outside 0000–9999 are not RFC 3339; they are written with a
    /// sign or a fifth digit, which [`Timestamp::from_str`] does not accept.
    #[must_use]
    pub fn new(instant: OffsetDateTime) -> Self {
        Self { text: WireText::from_string(canonical_rfc3339(instant)), instant }
    }

    /// The instant, in the offset the wire text used.
    #[must_use]
    pub const fn as_offset_date_time(&self) -> OffsetDateTime {
        self.instant
    }

    /// The wire text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.text.as_str()
    }

    /// The wire text, by value.
    #[must_use]
    pub fn into_string(self) -> String {
        self.text.into_string()
    }

    /// Parses an owned string, keeping it as the wire text without copying.
    fn parse_owned(text: String) -> Result<Self, ParseTimeError> {
        let instant = parse_rfc3339(&text)?;
        Ok(Self { instant, text: WireText::from_string(text) })
    }

    /// The instant as a single integer, for comparing and hashing.
    const fn key(&self) -> i128 {
        self.instant.unix_timestamp_nanos()
    }
}

impl From<OffsetDateTime> for Timestamp {
    fn from(instant: OffsetDateTime) -> Self {
        Self::new(instant)
    }
}

impl From<Timestamp> for OffsetDateTime {
    fn from(timestamp: Timestamp) -> Self {
        timestamp.instant
    }
}

impl AsRef<str> for Timestamp {
    fn as_ref(&self) -> &str {
        self.text.as_str()
    }
}

impl FromStr for Timestamp {
    type Err = ParseTimeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let instant = parse_rfc3339(text)?;
        Ok(Self { instant, text: WireText::new(text) })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text.as_str())
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Timestamp").field(&self.text.as_str()).finish()
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Timestamp {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl Hash for Timestamp {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.text.as_str())
    }
}

/// Decodes a [`Timestamp`] from a string.
struct TimestampVisitor;

impl Visitor<'_> for TimestampVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(RFC3339_EXPECTED)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Timestamp, E> {
        value.parse().map_err(|_| E::invalid_value(Unexpected::Str(value), &self))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Timestamp, E> {
        match parse_rfc3339(&value) {
            Ok(instant) => Ok(Timestamp { instant, text: WireText::from_string(value) }),
            Err(_) => Err(E::invalid_value(Unexpected::Str(&value), &self)),
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_string(TimestampVisitor)
    }
}

impl TryFrom<String> for Timestamp {
    type Error = ParseTimeError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse_owned(text)
    }
}
