//! [`LocalDateTime`]: an ISO 8601 date-time without a zone, in a fixed zone.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use ::time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};
use serde::de::{self, Unexpected, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{LOCAL_EXPECTED, ParseTimeError, write_date, write_hms};

/// How a [`LocalDateTime`] was spelled: `T` or a space between date and time, and how many
/// fraction digits (0 to 9) followed the seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Spelling {
    t: bool,
    digits: u8,
}

/// A wall-clock date-time without a zone, `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DDTHH:MM:SS`, with
/// 0 to 9 fraction digits, in the fixed zone `UTC_OFFSET_SECONDS` seconds east of UTC.
///
/// Tencent CLS writes times such as `2017-10-17 10:10:10` in +08:00, which is
/// `LocalDateTime<28800>`; Huawei CBR writes `2024-04-30T16:05:02.117804` in UTC
/// (`LocalDateTime<0>`). A decoded value encodes back in the spelling it was read in; a value
/// built in Rust is written `YYYY-MM-DD HH:MM:SS` (whole seconds).
///
/// Equality, ordering and hashing compare the wall-clock time, not the spelling. An offset
/// outside the range the `time` crate supports (±25:59:59) is treated as UTC; see
/// [`LocalDateTime::OFFSET`].
#[derive(Debug, Clone, Copy)]
pub struct LocalDateTime<const UTC_OFFSET_SECONDS: i32> {
    wall: PrimitiveDateTime,
    spelling: Spelling,
}

/// 1970-01-01 00:00:00 on the wall clock: a placeholder (request builders start from it), not a
/// documented value.
impl<const UTC_OFFSET_SECONDS: i32> Default for LocalDateTime<UTC_OFFSET_SECONDS> {
    fn default() -> Self {
        Self::new(PrimitiveDateTime::new(
            time::Date::from_ordinal_date(1970, 1).unwrap_or(time::Date::MIN),
            time::Time::MIDNIGHT,
        ))
    }
}

impl<const UTC_OFFSET_SECONDS: i32> LocalDateTime<UTC_OFFSET_SECONDS> {
    /// The zone of these values: `UTC_OFFSET_SECONDS` east of UTC, or UTC
    /// when that is not a valid offset (beyond ±25:59:59).
    pub const OFFSET: UtcOffset = match UtcOffset::from_whole_seconds(UTC_OFFSET_SECONDS) {
        Ok(offset) => offset,
        Err(_) => UtcOffset::UTC,
    };

    /// Wraps a wall-clock time in this zone, dropping any sub-second part; it is written
    /// `YYYY-MM-DD HH:MM:SS`.
    #[must_use]
    pub fn new(wall_clock: PrimitiveDateTime) -> Self {
        Self { wall: wall_clock.replace_nanosecond(0).unwrap_or(wall_clock), spelling: Spelling::default() }
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
        self.wall.assume_offset(Self::OFFSET)
    }

    /// The wall-clock time, without a zone.
    #[must_use]
    pub const fn as_primitive(&self) -> PrimitiveDateTime {
        self.wall
    }
}

impl<const UTC_OFFSET_SECONDS: i32> PartialEq for LocalDateTime<UTC_OFFSET_SECONDS> {
    fn eq(&self, other: &Self) -> bool {
        self.wall == other.wall
    }
}

impl<const UTC_OFFSET_SECONDS: i32> Eq for LocalDateTime<UTC_OFFSET_SECONDS> {}

impl<const UTC_OFFSET_SECONDS: i32> PartialOrd for LocalDateTime<UTC_OFFSET_SECONDS> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<const UTC_OFFSET_SECONDS: i32> Ord for LocalDateTime<UTC_OFFSET_SECONDS> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.wall.cmp(&other.wall)
    }
}

impl<const UTC_OFFSET_SECONDS: i32> Hash for LocalDateTime<UTC_OFFSET_SECONDS> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.wall.hash(state);
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
fn digits(bytes: &[u8], start: usize, len: usize) -> Option<u32> {
    let field = bytes.get(start..start + len)?;
    field.iter().try_fold(0_u32, |acc, &byte| byte.is_ascii_digit().then(|| acc * 10 + u32::from(byte - b'0')))
}

/// Parses `YYYY-MM-DD[T ]HH:MM:SS[.f{1,9}]`.
fn parse_local(text: &str) -> Option<(PrimitiveDateTime, Spelling)> {
    let bytes = text.as_bytes();
    if bytes.len() < 19 || bytes[4] != b'-' || bytes[7] != b'-' || bytes[13] != b':' || bytes[16] != b':' {
        return None;
    }
    let t = match bytes[10] {
        b'T' => true,
        b' ' => false,
        _ => return None,
    };
    let fraction = match &bytes[19..] {
        [] => &[][..],
        [b'.', rest @ ..] if (1..=9).contains(&rest.len()) => rest,
        _ => return None,
    };
    let nanos = digits(fraction, 0, fraction.len())? * 10_u32.pow(9 - u32::try_from(fraction.len()).ok()?);
    let year = i32::try_from(digits(bytes, 0, 4)?).ok()?;
    let month = Month::try_from(u8::try_from(digits(bytes, 5, 2)?).ok()?).ok()?;
    let day = u8::try_from(digits(bytes, 8, 2)?).ok()?;
    let hour = u8::try_from(digits(bytes, 11, 2)?).ok()?;
    let minute = u8::try_from(digits(bytes, 14, 2)?).ok()?;
    let second = u8::try_from(digits(bytes, 17, 2)?).ok()?;
    let date = Date::from_calendar_date(year, month, day).ok()?;
    let time = Time::from_hms_nano(hour, minute, second, nanos).ok()?;
    let spelling = Spelling { t, digits: u8::try_from(fraction.len()).ok()? };
    Some((PrimitiveDateTime::new(date, time), spelling))
}

impl<const UTC_OFFSET_SECONDS: i32> FromStr for LocalDateTime<UTC_OFFSET_SECONDS> {
    type Err = ParseTimeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_local(text)
            .map(|(wall, spelling)| Self { wall, spelling })
            .ok_or_else(|| ParseTimeError::new(text, LOCAL_EXPECTED))
    }
}

impl<const UTC_OFFSET_SECONDS: i32> fmt::Display for LocalDateTime<UTC_OFFSET_SECONDS> {
    /// Writes the spelling the value was read in (`YYYY-MM-DD HH:MM:SS` for values built in
    /// Rust). Years before 0000 get a leading sign, which parsing does not accept back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_date(f, self.wall.date())?;
        f.write_str(if self.spelling.t { "T" } else { " " })?;
        write_hms(f, self.wall.time())?;
        if self.spelling.digits > 0 {
            let nanos = format!("{:09}", self.wall.nanosecond());
            write!(f, ".{}", &nanos[..usize::from(self.spelling.digits.min(9))])?;
        }
        Ok(())
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
