//! [`EpochSeconds`] and [`EpochMillis`]: a count since the Unix epoch, carried as a JSON number
//! or as a string of digits, and written back in the form it was read in.

use std::fmt;
use std::hash::{Hash, Hasher};

use ::time::OffsetDateTime;
use serde::de::{self, Unexpected, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Defines an epoch count type: the count is the public `.0`; the private `.1` remembers whether
/// the wire carried it as a string, so it encodes back the same way.
macro_rules! epoch_type {
    ($(#[$doc:meta])* $name:ident, $nanos_per_unit:literal, $expected:literal) => {
        $(#[$doc])*
        ///
        /// Equality, ordering and hashing compare the count, not the wire form.
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name(pub i64, bool);

        impl $name {
            /// What decoding expects, for messages.
            pub(crate) const EXPECTED: &'static str = $expected;

            /// A count that encodes as a JSON number.
            #[must_use]
            pub const fn new(count: i64) -> Self {
                Self(count, false)
            }

            /// A count that encodes as a JSON string of digits, as some providers send it.
            #[must_use]
            pub const fn quoted(count: i64) -> Self {
                Self(count, true)
            }

            /// Whether the count travels as a string.
            #[must_use]
            pub const fn is_quoted(&self) -> bool {
                self.1
            }

            /// The instant in UTC, or `None` when it lies outside the range the `time` crate
            /// supports (years -9999 to 9999).
            #[must_use]
            pub fn as_offset_date_time(&self) -> Option<OffsetDateTime> {
                OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.0) * $nanos_per_unit).ok()
            }

            /// The instant in whole units; a smaller part is truncated toward the past.
            #[must_use]
            pub fn from_offset_date_time(instant: OffsetDateTime) -> Self {
                let count = instant.unix_timestamp_nanos().div_euclid($nanos_per_unit);
                Self::new(i64::try_from(count).unwrap_or(if count < 0 { i64::MIN } else { i64::MAX }))
            }

            /// Reads a string of digits (with an optional `-`).
            pub(crate) fn parse_text(text: &str) -> Option<Self> {
                let digits = text.strip_prefix('-').unwrap_or(text);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                text.parse().ok().map(Self::quoted)
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.0 == other.0
            }
        }

        impl Eq for $name {}

        impl PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $name {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.0.cmp(&other.0)
            }
        }

        impl Hash for $name {
            fn hash<H: Hasher>(&self, state: &mut H) {
                self.0.hash(state);
            }
        }

        impl From<OffsetDateTime> for $name {
            fn from(instant: OffsetDateTime) -> Self {
                Self::from_offset_date_time(instant)
            }
        }

        impl From<i64> for $name {
            fn from(count: i64) -> Self {
                Self::new(count)
            }
        }

        impl fmt::Display for $name {
            /// The count's digits, whatever the wire form.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                if self.1 { serializer.collect_str(&self.0) } else { serializer.serialize_i64(self.0) }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct CountVisitor;
                impl Visitor<'_> for CountVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expected)
                    }
                    fn visit_i64<E: de::Error>(self, value: i64) -> Result<$name, E> {
                        Ok($name::new(value))
                    }
                    fn visit_u64<E: de::Error>(self, value: u64) -> Result<$name, E> {
                        i64::try_from(value).map($name::new).map_err(|_| E::invalid_value(Unexpected::Unsigned(value), &self))
                    }
                    fn visit_str<E: de::Error>(self, value: &str) -> Result<$name, E> {
                        $name::parse_text(value).ok_or_else(|| E::invalid_value(Unexpected::Str(value), &self))
                    }
                }
                deserializer.deserialize_any(CountVisitor)
            }
        }
    };
}

epoch_type!(
    /// Milliseconds since the Unix epoch, such as `1756539753280` or `"1756539753280"`.
    EpochMillis,
    1_000_000,
    "an integer count of milliseconds since the Unix epoch (a number or a string of digits)"
);

epoch_type!(
    /// Seconds since the Unix epoch, such as `1714492800` or `"1714492800"`.
    EpochSeconds,
    1_000_000_000,
    "an integer count of seconds since the Unix epoch (a number or a string of digits)"
);
