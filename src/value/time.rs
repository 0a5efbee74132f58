//! Date and time values as the cloud APIs put them on the wire.
//!
//! Three shapes occur in the specs:
//!
//! - [`Timestamp`]: an RFC 3339 string such as `2021-05-27T07:15:03Z` or
//!   `2019-05-23T14:35:23.584+00:00`. The decoded text is kept, so a value
//!   encodes back exactly as it arrived.
//! - [`EpochMillis`]: a JSON integer counting milliseconds since the Unix
//!   epoch, such as `1756539753280`.
//! - [`LocalDateTime`]: a `YYYY-MM-DD HH:MM:SS` wall-clock string in a fixed
//!   zone named by a const parameter, such as Tencent CLS's
//!   `2017-10-17 10:10:10` in +08:00 (`LocalDateTime<28800>`).

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use ::time::format_description::well_known::Rfc3339;
use ::time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};
use serde::de::{self, Unexpected, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What a [`Timestamp`] expects, used in parse and decode errors.
const RFC3339_EXPECTED: &str = "an RFC 3339 date-time such as 2021-05-27T07:15:03Z or 2019-05-23T14:35:23.584+00:00";

/// What a [`LocalDateTime`] expects, used in parse and decode errors.
const LOCAL_EXPECTED: &str = "a date-time in the form YYYY-MM-DD HH:MM:SS such as 2017-10-17 10:10:10";

/// What an [`EpochMillis`] expects, used in decode errors.
const MILLIS_EXPECTED: &str = "an integer count of milliseconds since the Unix epoch";

/// The error returned when text is not a date-time in the expected format.
///
/// Its message names the rejected input and the format that was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
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
        write!(f, "invalid date-time {:?}: expected {}", self.input, self.expected)
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
/// A value decoded from text keeps that text and encodes back to it byte for
/// byte, whatever offset and fraction it used. A value built from an
/// [`OffsetDateTime`] encodes in canonical form: UTC with a `Z` suffix, and a
/// fraction only when the sub-second part is not zero.
///
/// Equality, ordering and hashing compare the instant, not the text:
/// `2021-05-27T07:15:03Z` equals `2021-05-27T15:15:03+08:00`.
#[derive(Clone)]
pub struct Timestamp {
    instant: OffsetDateTime,
    text: String,
}

impl Timestamp {
    /// Builds a timestamp that encodes in canonical RFC 3339 (UTC, `Z`).
    ///
    /// Years outside 0000–9999 are not RFC 3339; they are written with a
    /// sign or a fifth digit, which [`Timestamp::from_str`] does not accept.
    #[must_use]
    pub fn new(instant: OffsetDateTime) -> Self {
        Self { text: canonical_rfc3339(instant), instant }
    }

    /// The instant, in the offset the wire text used.
    #[must_use]
    pub const fn as_offset_date_time(&self) -> OffsetDateTime {
        self.instant
    }

    /// The wire text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The wire text, by value.
    #[must_use]
    pub fn into_string(self) -> String {
        self.text
    }

    /// Parses an owned string, keeping it as the wire text without copying.
    fn parse_owned(text: String) -> Result<Self, ParseTimeError> {
        let instant = parse_rfc3339(&text)?;
        Ok(Self { instant, text })
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
        &self.text
    }
}

impl FromStr for Timestamp {
    type Err = ParseTimeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let instant = parse_rfc3339(text)?;
        Ok(Self { instant, text: text.to_owned() })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Timestamp").field(&self.text).finish()
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
        serializer.serialize_str(&self.text)
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
            Ok(instant) => Ok(Timestamp { instant, text: value }),
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

/// Milliseconds since the Unix epoch, carried as a JSON integer such as
/// `1756539753280`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EpochMillis(pub i64);

impl EpochMillis {
    /// The instant in UTC, or `None` when it lies outside the range the
    /// `time` crate supports (years -9999 to 9999).
    #[must_use]
    pub fn as_offset_date_time(&self) -> Option<OffsetDateTime> {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.0) * 1_000_000).ok()
    }

    /// The instant in whole milliseconds; a sub-millisecond part is
    /// truncated toward the past.
    #[must_use]
    pub fn from_offset_date_time(instant: OffsetDateTime) -> Self {
        // `unix_timestamp` floors to whole seconds and `millisecond` counts
        // forward from there, so negative instants also round toward the past.
        Self(instant.unix_timestamp().saturating_mul(1000).saturating_add(i64::from(instant.millisecond())))
    }
}

impl From<OffsetDateTime> for EpochMillis {
    fn from(instant: OffsetDateTime) -> Self {
        Self::from_offset_date_time(instant)
    }
}

impl From<i64> for EpochMillis {
    fn from(millis: i64) -> Self {
        Self(millis)
    }
}

impl fmt::Display for EpochMillis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for EpochMillis {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

/// Decodes an [`EpochMillis`] from an integer.
struct EpochMillisVisitor;

impl Visitor<'_> for EpochMillisVisitor {
    type Value = EpochMillis;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MILLIS_EXPECTED)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<EpochMillis, E> {
        Ok(EpochMillis(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<EpochMillis, E> {
        i64::try_from(value).map(EpochMillis).map_err(|_| E::invalid_value(Unexpected::Unsigned(value), &self))
    }
}

impl<'de> Deserialize<'de> for EpochMillis {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_i64(EpochMillisVisitor)
    }
}

/// A wall-clock `YYYY-MM-DD HH:MM:SS` date-time in the fixed zone
/// `UTC_OFFSET_SECONDS` seconds east of UTC.
///
/// Tencent CLS writes times such as `2017-10-17 10:10:10` in +08:00, which is
/// `LocalDateTime<28800>`. The wire format has no fraction, so values hold
/// whole seconds: constructors drop any sub-second part.
///
/// An offset outside the range the `time` crate supports (±25:59:59) is
/// treated as UTC; see [`LocalDateTime::OFFSET`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDateTime<const UTC_OFFSET_SECONDS: i32>(PrimitiveDateTime);

impl<const UTC_OFFSET_SECONDS: i32> LocalDateTime<UTC_OFFSET_SECONDS> {
    /// The zone of these values: `UTC_OFFSET_SECONDS` east of UTC, or UTC
    /// when that is not a valid offset (beyond ±25:59:59).
    pub const OFFSET: UtcOffset = match UtcOffset::from_whole_seconds(UTC_OFFSET_SECONDS) {
        Ok(offset) => offset,
        Err(_) => UtcOffset::UTC,
    };

    /// Wraps a wall-clock time in this zone, dropping any sub-second part.
    #[must_use]
    pub fn new(wall_clock: PrimitiveDateTime) -> Self {
        Self(wall_clock.replace_nanosecond(0).unwrap_or(wall_clock))
    }

    /// The wall-clock time in this zone of an instant, dropping any
    /// sub-second part.
    ///
    /// An instant whose wall-clock time in this zone would fall outside
    /// the years -9999 to 9999 is clamped to the nearest representable
    /// value.
    #[must_use]
    pub fn from_offset_date_time(instant: OffsetDateTime) -> Self {
        let local = match instant.checked_to_offset(Self::OFFSET) {
            Some(local) => PrimitiveDateTime::new(local.date(), local.time()),
            None if instant.year() < 0 => PrimitiveDateTime::MIN,
            None => PrimitiveDateTime::MAX,
        };
        Self::new(local)
    }

    /// The instant this wall-clock time denotes in this zone.
    #[must_use]
    pub const fn to_offset_date_time(&self) -> OffsetDateTime {
        self.0.assume_offset(Self::OFFSET)
    }

    /// The wall-clock time, without a zone.
    #[must_use]
    pub const fn as_primitive(&self) -> PrimitiveDateTime {
        self.0
    }
}

impl<const UTC_OFFSET_SECONDS: i32> From<PrimitiveDateTime> for LocalDateTime<UTC_OFFSET_SECONDS> {
    fn from(wall_clock: PrimitiveDateTime) -> Self {
        Self::new(wall_clock)
    }
}

impl<const UTC_OFFSET_SECONDS: i32> From<OffsetDateTime> for LocalDateTime<UTC_OFFSET_SECONDS> {
    fn from(instant: OffsetDateTime) -> Self {
        Self::from_offset_date_time(instant)
    }
}

/// Reads `len` ASCII digits from `bytes` at `start` as a number.
fn digits(bytes: &[u8], start: usize, len: usize) -> Option<u16> {
    let field = bytes.get(start..start + len)?;
    field.iter().try_fold(0_u16, |acc, &byte| byte.is_ascii_digit().then(|| acc * 10 + u16::from(byte - b'0')))
}

/// Parses exactly `YYYY-MM-DD HH:MM:SS`.
fn parse_local(text: &str) -> Option<PrimitiveDateTime> {
    let bytes = text.as_bytes();
    if bytes.len() != 19
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || bytes[10] != b' '
        || bytes[13] != b':'
        || bytes[16] != b':'
    {
        return None;
    }
    let year = i32::from(digits(bytes, 0, 4)?);
    let month = Month::try_from(u8::try_from(digits(bytes, 5, 2)?).ok()?).ok()?;
    let day = u8::try_from(digits(bytes, 8, 2)?).ok()?;
    let hour = u8::try_from(digits(bytes, 11, 2)?).ok()?;
    let minute = u8::try_from(digits(bytes, 14, 2)?).ok()?;
    let second = u8::try_from(digits(bytes, 17, 2)?).ok()?;
    let date = Date::from_calendar_date(year, month, day).ok()?;
    let time = Time::from_hms(hour, minute, second).ok()?;
    Some(PrimitiveDateTime::new(date, time))
}

impl<const UTC_OFFSET_SECONDS: i32> FromStr for LocalDateTime<UTC_OFFSET_SECONDS> {
    type Err = ParseTimeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_local(text).map(Self).ok_or_else(|| ParseTimeError::new(text, LOCAL_EXPECTED))
    }
}

impl<const UTC_OFFSET_SECONDS: i32> fmt::Display for LocalDateTime<UTC_OFFSET_SECONDS> {
    /// Writes `YYYY-MM-DD HH:MM:SS`. Years before 0000 get a leading sign,
    /// which parsing does not accept back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_date(f, self.0.date())?;
        f.write_str(" ")?;
        write_hms(f, self.0.time())
    }
}

impl<const UTC_OFFSET_SECONDS: i32> Serialize for LocalDateTime<UTC_OFFSET_SECONDS> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Decodes a [`LocalDateTime`] from a string.
struct LocalDateTimeVisitor<const UTC_OFFSET_SECONDS: i32>;

impl<const UTC_OFFSET_SECONDS: i32> Visitor<'_> for LocalDateTimeVisitor<UTC_OFFSET_SECONDS> {
    type Value = LocalDateTime<UTC_OFFSET_SECONDS>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(LOCAL_EXPECTED)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        value.parse().map_err(|_| E::invalid_value(Unexpected::Str(value), &self))
    }
}

impl<'de, const UTC_OFFSET_SECONDS: i32> Deserialize<'de> for LocalDateTime<UTC_OFFSET_SECONDS> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(LocalDateTimeVisitor::<UTC_OFFSET_SECONDS>)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::time::macros::datetime;

    type Cls = LocalDateTime<28800>;

    fn round_trip<T>(json: &str) -> T
    where
        T: Serialize + for<'de> Deserialize<'de>,
    {
        let value: T = serde_json::from_str(json).expect("decodes");
        assert_eq!(serde_json::to_string(&value).expect("encodes"), json);
        value
    }

    #[test]
    fn timestamp_with_fraction_and_offset_round_trips() {
        let value: Timestamp = round_trip("\"2019-05-23T14:35:23.584+00:00\"");
        assert_eq!(value.as_offset_date_time(), datetime!(2019-05-23 14:35:23.584 UTC));
        assert_eq!(value.as_str(), "2019-05-23T14:35:23.584+00:00");
        assert_eq!(value.to_string(), "2019-05-23T14:35:23.584+00:00");
    }

    #[test]
    fn timestamp_utc_round_trips() {
        let value: Timestamp = round_trip("\"2021-05-27T07:15:03Z\"");
        assert_eq!(value.as_offset_date_time(), datetime!(2021-05-27 07:15:03 UTC));
    }

    #[test]
    fn timestamp_keeps_non_utc_offset_text() {
        let value: Timestamp = round_trip("\"2021-05-27T15:15:03.100000+08:00\"");
        assert_eq!(value.as_offset_date_time().offset().whole_hours(), 8);
        assert_eq!(value, "2021-05-27T07:15:03.1Z".parse().expect("parses"));
    }

    #[test]
    fn timestamp_keeps_separator_and_case() {
        let spaced: Timestamp = round_trip("\"2021-05-27 07:15:03Z\"");
        let lower: Timestamp = round_trip("\"2021-05-27t07:15:03z\"");
        assert_eq!(spaced, lower);
        assert_eq!(lower.to_string(), "2021-05-27t07:15:03z");
    }

    #[test]
    fn timestamp_from_offset_date_time_is_canonical() {
        let whole = Timestamp::new(datetime!(2021-05-27 15:15:03 +08:00));
        assert_eq!(whole.as_str(), "2021-05-27T07:15:03Z");
        let fraction = Timestamp::from(datetime!(2019-05-23 14:35:23.584 UTC));
        assert_eq!(fraction.as_str(), "2019-05-23T14:35:23.584Z");
        let nanos = Timestamp::new(datetime!(2019-05-23 14:35:23.000_000_001 -05:30));
        assert_eq!(nanos.as_str(), "2019-05-23T20:05:23.000000001Z");
        assert_eq!(serde_json::to_string(&whole).expect("encodes"), "\"2021-05-27T07:15:03Z\"");
        // The canonical text parses back to the same instant.
        let reparsed: Timestamp = nanos.as_str().parse().expect("parses");
        assert_eq!(reparsed, nanos);
    }

    #[test]
    fn timestamp_extreme_instant_does_not_panic() {
        let max = Timestamp::new(OffsetDateTime::new_in_offset(
            Date::MAX,
            Time::from_hms(23, 0, 0).expect("valid time"),
            UtcOffset::from_hms(-5, 0, 0).expect("valid offset"),
        ));
        assert_eq!(max.as_str(), "9999-12-31T23:00:00-05:00");
        let min = Timestamp::new(PrimitiveDateTime::MIN.assume_utc());
        assert_eq!(min.as_str(), "-9999-01-01T00:00:00Z");
    }

    #[test]
    fn timestamp_compares_by_instant() {
        let utc: Timestamp = "2021-05-27T07:15:03Z".parse().expect("parses");
        let east: Timestamp = "2021-05-27T15:15:03+08:00".parse().expect("parses");
        let later: Timestamp = "2021-05-27T07:15:04Z".parse().expect("parses");
        assert_eq!(utc, east);
        assert!(utc < later);
        let mut set = std::collections::HashSet::new();
        set.insert(utc);
        assert!(set.contains(&east));
    }

    #[test]
    fn timestamp_rejects_other_formats() {
        for bad in
            ["2021-05-27", "2021-05-27 07:15:03", "2021-05-27X07:15:03Z", "2021-13-27T07:15:03Z", "1622099703", ""]
        {
            let error = bad.parse::<Timestamp>().expect_err(bad);
            assert_eq!(error.input(), bad);
            let message = error.to_string();
            assert!(message.contains("RFC 3339"), "{message}");
            assert!(message.contains(&format!("{bad:?}")), "{message}");
        }
    }

    #[test]
    fn timestamp_decode_errors_name_the_format() {
        let error = serde_json::from_str::<Timestamp>("\"yesterday\"").expect_err("bad text");
        let message = error.to_string();
        assert!(message.contains("yesterday"), "{message}");
        assert!(message.contains("RFC 3339"), "{message}");

        let error = serde_json::from_str::<Timestamp>("1622099703").expect_err("wrong type");
        let message = error.to_string();
        assert!(message.contains("invalid type: integer"), "{message}");
        assert!(message.contains("RFC 3339"), "{message}");
    }

    #[test]
    fn epoch_millis_round_trips() {
        let value: EpochMillis = round_trip("1756539753280");
        assert_eq!(value, EpochMillis(1_756_539_753_280));
        assert_eq!(value.to_string(), "1756539753280");
        let instant = value.as_offset_date_time().expect("in range");
        assert_eq!(instant, datetime!(2025-08-30 07:42:33.28 UTC));
        assert_eq!(EpochMillis::from_offset_date_time(instant), value);
    }

    #[test]
    fn epoch_millis_truncates_toward_the_past() {
        let before_epoch = datetime!(1969-12-31 23:59:59.9995 UTC);
        assert_eq!(EpochMillis::from(before_epoch), EpochMillis(-1));
        let after_epoch = datetime!(1970-01-01 00:00:00.0015 UTC);
        assert_eq!(EpochMillis::from(after_epoch), EpochMillis(1));
    }

    #[test]
    fn epoch_millis_out_of_range_is_none() {
        assert_eq!(EpochMillis(i64::MAX).as_offset_date_time(), None);
        assert_eq!(EpochMillis(i64::MIN).as_offset_date_time(), None);
    }

    #[test]
    fn epoch_millis_decode_errors_name_the_format() {
        for bad in ["\"1756539753280\"", "1.5", "18446744073709551615"] {
            let message = serde_json::from_str::<EpochMillis>(bad).expect_err(bad).to_string();
            assert!(message.contains("milliseconds since the Unix epoch"), "{message}");
        }
    }

    #[test]
    fn local_date_time_round_trips_and_converts() {
        let value: Cls = round_trip("\"2017-10-17 10:10:10\"");
        assert_eq!(value.to_string(), "2017-10-17 10:10:10");
        assert_eq!(value.as_primitive(), datetime!(2017-10-17 10:10:10));
        assert_eq!(value.to_offset_date_time(), datetime!(2017-10-17 02:10:10 UTC));
        assert_eq!(Cls::from_offset_date_time(datetime!(2017-10-17 02:10:10 UTC)), value);
        assert_eq!("2017-10-17 10:10:10".parse::<Cls>(), Ok(value));
    }

    #[test]
    fn local_date_time_drops_sub_seconds() {
        let value = Cls::new(datetime!(2017-10-17 10:10:10.999));
        assert_eq!(value.to_string(), "2017-10-17 10:10:10");
        assert_eq!(value, "2017-10-17 10:10:10".parse().expect("parses"));
    }

    #[test]
    fn local_date_time_invalid_offset_falls_back_to_utc() {
        type Bad = LocalDateTime<{ i32::MAX }>;
        assert_eq!(Bad::OFFSET, UtcOffset::UTC);
        let value: Bad = "2017-10-17 10:10:10".parse().expect("parses");
        assert_eq!(value.to_offset_date_time(), datetime!(2017-10-17 10:10:10 UTC));
    }

    #[test]
    fn local_date_time_clamps_at_range_ends() {
        let late = datetime!(9999-12-31 23:00:00 UTC);
        assert_eq!(
            Cls::from_offset_date_time(late).as_primitive(),
            PrimitiveDateTime::MAX.replace_nanosecond(0).expect("valid")
        );
        let early = PrimitiveDateTime::MIN.assume_utc();
        assert_eq!(LocalDateTime::<-3600>::from_offset_date_time(early).as_primitive(), PrimitiveDateTime::MIN);
    }

    #[test]
    fn local_date_time_rejects_other_formats() {
        for bad in [
            "2017-10-17T10:10:10",
            "2017-10-17 10:10:10Z",
            "2017-10-17 10:10",
            "2017-02-30 10:10:10",
            "2017-10-17 24:00:00",
            "2017-1a-17 10:10:10",
            "+017-10-17 10:10:10",
            "2017-10-17 10:10:1é",
        ] {
            let error = bad.parse::<Cls>().expect_err(bad);
            assert_eq!(error.input(), bad);
            assert!(error.to_string().contains("YYYY-MM-DD HH:MM:SS"), "{error}");
        }
        let message = serde_json::from_str::<Cls>("1508206210").expect_err("wrong type").to_string();
        assert!(message.contains("YYYY-MM-DD HH:MM:SS"), "{message}");
    }
}
