//! Wire value types shared by the generated bindings.
//!
//! These types model values whose JSON form needs more care than a plain
//! serde derive gives:
//!
//! - time: [`Timestamp`] (RFC 3339 text kept byte for byte),
//!   [`EpochSeconds`] and [`EpochMillis`] (a number or a string of digits),
//!   [`LocalDateTime`] (a date-time without a zone, in a fixed zone) and
//!   [`AnyTime`] (any of several declared forms);
//! - shape: [`OneOrMany`] (an object or an array of them) and
//!   [`StringOrNumber`] (a code that is sometimes a string, sometimes a
//!   number);
//! - open enums: [`StringEnum`] and [`IntEnum`], which generated enums
//!   implement so that values unknown to the bindings survive a round trip.
//!
//! Every type encodes back to the JSON shape it was decoded from.

pub(crate) mod encode;
mod enums;
pub(crate) mod object;
mod shape;
mod time;

pub use self::enums::{IntEnum, ParseEnumError, StringEnum, parse_int_enum};
#[doc(hidden)]
pub use self::enums::{IntEnumVisitor, StringEnumVisitor};
pub use self::shape::{OneOrMany, StringOrNumber};
#[doc(hidden)]
pub use self::time::wall_clock;
pub use self::time::{
    AnyTime, EpochMillis, EpochSeconds, LocalDateTime, ParseTimeError, TimeForm, TimeValue, Timestamp, time_forms,
};

/// Helpers shared by the value types' tests.
#[cfg(test)]
pub(crate) mod testing {
    use serde::Serialize;
    use serde::de::DeserializeOwned;

    /// Decodes `json` and checks that it encodes back to the same text.
    pub(crate) fn round_trip<T: Serialize + DeserializeOwned>(json: &str) -> T {
        let value: T = serde_json::from_str(json).expect("decodes");
        assert_eq!(serde_json::to_string(&value).expect("encodes"), json);
        value
    }
}
