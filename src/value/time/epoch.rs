//! [`EpochMillis`]: milliseconds since the Unix epoch as a JSON integer.

use std::fmt;

use ::time::OffsetDateTime;
use serde::de::{self, Unexpected, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::MILLIS_EXPECTED;

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
