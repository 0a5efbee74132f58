//! [`AnyTime`]: a time field that arrives in one of several declared forms.

use std::fmt;
use std::hash::{Hash, Hasher};

use ::time::OffsetDateTime;
use serde::de::{self, Unexpected, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{EpochMillis, EpochSeconds, LocalDateTime, Timestamp, WireText, parse_rfc3339};

/// One wire form of a time (the spec's `forms` of a `type: time` field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeForm {
    /// RFC 3339 with an offset: [`Timestamp`].
    Rfc3339 = 1,
    /// A date-time without a zone, in the field's zone: [`LocalDateTime`].
    LocalDateTime = 2,
    /// Seconds since the epoch, a number or a string of digits: [`EpochSeconds`].
    EpochSeconds = 3,
    /// Milliseconds since the epoch, a number or a string of digits: [`EpochMillis`].
    EpochMillis = 4,
}

impl TimeForm {
    const ALL: [Self; 4] = [Self::Rfc3339, Self::LocalDateTime, Self::EpochSeconds, Self::EpochMillis];

    /// The forms packed by [`time_forms`], in order.
    fn unpack(mut packed: u32) -> impl Iterator<Item = Self> {
        std::iter::from_fn(move || {
            let code = packed & 0xF;
            packed >>= 4;
            Self::ALL.into_iter().find(|f| *f as u32 == code)
        })
    }
}

/// Packs a list of forms (at most eight) into the `FORMS` parameter of [`AnyTime`], first form
/// in the lowest four bits.
#[must_use]
pub const fn time_forms(forms: &[TimeForm]) -> u32 {
    let mut packed = 0_u32;
    let mut i = forms.len();
    while i > 0 {
        i -= 1;
        packed = (packed << 4) | forms[i] as u32;
    }
    packed
}

/// A time as it was read, in one of its forms.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TimeValue<const UTC_OFFSET_SECONDS: i32> {
    /// RFC 3339 text.
    Rfc3339(Timestamp),
    /// A date-time without a zone.
    LocalDateTime(LocalDateTime<UTC_OFFSET_SECONDS>),
    /// Seconds since the epoch.
    EpochSeconds(EpochSeconds),
    /// Milliseconds since the epoch.
    EpochMillis(EpochMillis),
}

/// A time field that providers send in more than one form (the spec's `type: time` with
/// `forms: [...]`): `FORMS` lists the accepted forms (see [`time_forms`]), and local
/// date-times are in the zone `UTC_OFFSET_SECONDS` east of UTC.
///
/// Decoding accepts each declared form and nothing else; the value encodes back exactly as it
/// was read (text, spelling, number or string). A value built in Rust takes the first declared
/// form. Equality and hashing compare the instant.
#[derive(Debug, Clone)]
pub struct AnyTime<const FORMS: u32, const UTC_OFFSET_SECONDS: i32>(TimeValue<UTC_OFFSET_SECONDS>);

impl<const FORMS: u32, const UTC_OFFSET_SECONDS: i32> AnyTime<FORMS, UTC_OFFSET_SECONDS> {
    /// The accepted forms, in declared order.
    pub fn forms() -> impl Iterator<Item = TimeForm> {
        TimeForm::unpack(FORMS)
    }

    /// `instant` in the first declared form.
    #[must_use]
    pub fn from_offset_date_time(instant: OffsetDateTime) -> Self {
        Self(match Self::forms().next() {
            Some(TimeForm::LocalDateTime) => TimeValue::LocalDateTime(LocalDateTime::from_offset_date_time(instant)),
            Some(TimeForm::EpochSeconds) => TimeValue::EpochSeconds(EpochSeconds::from_offset_date_time(instant)),
            Some(TimeForm::EpochMillis) => TimeValue::EpochMillis(EpochMillis::from_offset_date_time(instant)),
            Some(TimeForm::Rfc3339) | None => TimeValue::Rfc3339(Timestamp::new(instant)),
        })
    }

    /// The value in the form it was read in.
    #[must_use]
    pub const fn value(&self) -> &TimeValue<UTC_OFFSET_SECONDS> {
        &self.0
    }

    /// The form it was read in.
    #[must_use]
    pub const fn form(&self) -> TimeForm {
        match self.0 {
            TimeValue::Rfc3339(_) => TimeForm::Rfc3339,
            TimeValue::LocalDateTime(_) => TimeForm::LocalDateTime,
            TimeValue::EpochSeconds(_) => TimeForm::EpochSeconds,
            TimeValue::EpochMillis(_) => TimeForm::EpochMillis,
        }
    }

    /// The instant, or `None` for an epoch count outside the years -9999 to 9999.
    #[must_use]
    pub fn to_offset_date_time(&self) -> Option<OffsetDateTime> {
        match &self.0 {
            TimeValue::Rfc3339(t) => Some(t.as_offset_date_time()),
            TimeValue::LocalDateTime(t) => Some(t.to_offset_date_time()),
            TimeValue::EpochSeconds(t) => t.as_offset_date_time(),
            TimeValue::EpochMillis(t) => t.as_offset_date_time(),
        }
    }

    fn key(&self) -> Option<i128> {
        self.to_offset_date_time().map(OffsetDateTime::unix_timestamp_nanos)
    }

    /// Reads text in the first declared form that accepts it.
    fn parse_text(text: &str) -> Option<Self> {
        Self::forms()
            .find_map(|form| match form {
                TimeForm::Rfc3339 => parse_rfc3339(text)
                    .ok()
                    .map(|instant| TimeValue::Rfc3339(Timestamp { instant, text: WireText::new(text) })),
                TimeForm::LocalDateTime => text.parse().ok().map(TimeValue::LocalDateTime),
                TimeForm::EpochSeconds => EpochSeconds::parse_text(text).map(TimeValue::EpochSeconds),
                TimeForm::EpochMillis => EpochMillis::parse_text(text).map(TimeValue::EpochMillis),
            })
            .map(Self)
    }

    /// Reads a JSON number in the declared epoch form.
    fn from_count(count: i64) -> Option<Self> {
        Self::forms()
            .find_map(|form| match form {
                TimeForm::EpochSeconds => Some(TimeValue::EpochSeconds(EpochSeconds::new(count))),
                TimeForm::EpochMillis => Some(TimeValue::EpochMillis(EpochMillis::new(count))),
                _ => None,
            })
            .map(Self)
    }
}

/// The epoch in the first declared form: a placeholder (request builders start from it), not a
/// documented value.
impl<const FORMS: u32, const UTC_OFFSET_SECONDS: i32> Default for AnyTime<FORMS, UTC_OFFSET_SECONDS> {
    fn default() -> Self {
        Self::from_offset_date_time(OffsetDateTime::UNIX_EPOCH)
    }
}

impl<const FORMS: u32, const UTC_OFFSET_SECONDS: i32> From<OffsetDateTime> for AnyTime<FORMS, UTC_OFFSET_SECONDS> {
    fn from(instant: OffsetDateTime) -> Self {
        Self::from_offset_date_time(instant)
    }
}

impl<const FORMS: u32, const UTC_OFFSET_SECONDS: i32> PartialEq for AnyTime<FORMS, UTC_OFFSET_SECONDS> {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl<const FORMS: u32, const UTC_OFFSET_SECONDS: i32> Eq for AnyTime<FORMS, UTC_OFFSET_SECONDS> {}

impl<const FORMS: u32, const UTC_OFFSET_SECONDS: i32> Hash for AnyTime<FORMS, UTC_OFFSET_SECONDS> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl<const FORMS: u32, const UTC_OFFSET_SECONDS: i32> fmt::Display for AnyTime<FORMS, UTC_OFFSET_SECONDS> {
    /// The wire text (the digits for an epoch count).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            TimeValue::Rfc3339(t) => t.fmt(f),
            TimeValue::LocalDateTime(t) => t.fmt(f),
            TimeValue::EpochSeconds(t) => t.fmt(f),
            TimeValue::EpochMillis(t) => t.fmt(f),
        }
    }
}

impl<const FORMS: u32, const UTC_OFFSET_SECONDS: i32> Serialize for AnyTime<FORMS, UTC_OFFSET_SECONDS> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            TimeValue::Rfc3339(t) => t.serialize(serializer),
            TimeValue::LocalDateTime(t) => t.serialize(serializer),
            TimeValue::EpochSeconds(t) => t.serialize(serializer),
            TimeValue::EpochMillis(t) => t.serialize(serializer),
        }
    }
}

/// Decodes an [`AnyTime`] from a string or a number, in the declared forms.
struct AnyTimeVisitor<const FORMS: u32, const UTC_OFFSET_SECONDS: i32>;

impl<const FORMS: u32, const UTC_OFFSET_SECONDS: i32> Visitor<'_> for AnyTimeVisitor<FORMS, UTC_OFFSET_SECONDS> {
    type Value = AnyTime<FORMS, UTC_OFFSET_SECONDS>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a time in one of these forms: ")?;
        for (i, form) in TimeForm::unpack(FORMS).enumerate() {
            if i > 0 {
                f.write_str("; or ")?;
            }
            f.write_str(match form {
                TimeForm::Rfc3339 => super::RFC3339_EXPECTED,
                TimeForm::LocalDateTime => super::LOCAL_EXPECTED,
                TimeForm::EpochSeconds => EpochSeconds::EXPECTED,
                TimeForm::EpochMillis => EpochMillis::EXPECTED,
            })?;
        }
        Ok(())
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        AnyTime::parse_text(value).ok_or_else(|| E::invalid_value(Unexpected::Str(value), &self))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        AnyTime::from_count(value).ok_or_else(|| E::invalid_type(Unexpected::Signed(value), &self))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        i64::try_from(value)
            .ok()
            .and_then(AnyTime::from_count)
            .ok_or_else(|| E::invalid_value(Unexpected::Unsigned(value), &self))
    }
}

impl<'de, const FORMS: u32, const UTC_OFFSET_SECONDS: i32> Deserialize<'de> for AnyTime<FORMS, UTC_OFFSET_SECONDS> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AnyTimeVisitor::<FORMS, UTC_OFFSET_SECONDS>)
    }
}
