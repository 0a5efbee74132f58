//! Support for open enums: enums that keep wire values they do not know.
//!
//! A generated enum has one variant per documented value and an
//! `Unknown(..)` variant holding anything else, so a value added by the
//! service later still decodes and encodes back unchanged. The generated code
//! implements [`StringEnum`] or [`IntEnum`] and then invokes
//! `__impl_string_enum!` or `__impl_int_enum!` for `Display`, `FromStr`,
//! serde and an inherent `is_unknown`:
//!
//! ```text
//! pub enum JobStatus { Initializing, Complete, Unknown(i64) }
//! impl crate::value::IntEnum for JobStatus { /* from_wire, to_wire */ }
//! crate::__impl_int_enum!(JobStatus { Initializing = 0, Complete = 2 });
//! ```
//!
//! The macros require the type to have a tuple variant named `Unknown`. What a user sees:
//!
//! ```
//! # #[cfg(feature = "alibaba")] {
//! use cloud_task_apis::alibaba::actiontrail::get_delivery_history_job::JobStatus;
//!
//! let known: JobStatus = serde_json::from_str("2").expect("an integer");
//! assert_eq!(known, JobStatus::Complete);
//! let later: JobStatus = serde_json::from_str("7").expect("an integer");
//! assert_eq!(later, JobStatus::Unknown(7));
//! assert_eq!(serde_json::to_string(&later).expect("encodes"), "7");
//! # }
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Unexpected, Visitor};

use crate::error::Excerpt;

/// An enum carried on the wire as a string, which keeps strings it does not
/// know (usually in an `Unknown(String)` variant).
///
/// `from_wire(x.as_wire())` should give back a value equal to `x` for every
/// value decoded from the wire.
pub trait StringEnum: Sized {
    /// The value for a wire string; unknown strings must not be rejected.
    fn from_wire(value: &str) -> Self;

    /// The wire string of the value.
    fn as_wire(&self) -> &str;
}

/// An enum carried on the wire as an integer, which keeps integers it does
/// not know (usually in an `Unknown(i64)` variant).
///
/// `from_wire(x.to_wire())` should give back a value equal to `x` for every
/// value decoded from the wire.
pub trait IntEnum: Sized {
    /// The value for a wire integer; unknown integers must not be rejected.
    fn from_wire(value: i64) -> Self;

    /// The wire integer of the value.
    fn to_wire(&self) -> i64;
}

/// The last path segment of `T`'s name, for messages.
pub(crate) fn short_type_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    let base = full.split('<').next().unwrap_or(full);
    base.rsplit("::").next().unwrap_or(base)
}

/// The error returned when text is not the decimal integer of an integer
/// enum.
///
/// Its message names the enum, the rejected input (a marked excerpt of a long one) and the
/// expected format.
#[derive(Clone, PartialEq, Eq)]
pub struct ParseEnumError {
    type_name: &'static str,
    input: String,
}

impl ParseEnumError {
    /// An error for `input`, which was meant to be a value of `type_name`.
    #[must_use]
    pub fn new(type_name: &'static str, input: &str) -> Self {
        Self { type_name, input: input.to_owned() }
    }

    /// The name of the enum that was being parsed.
    #[must_use]
    pub const fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The text that could not be parsed.
    #[must_use]
    pub fn input(&self) -> &str {
        &self.input
    }
}

impl fmt::Display for ParseEnumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {} value {}: expected a decimal integer in the i64 range",
            self.type_name,
            Excerpt(&self.input)
        )
    }
}

impl fmt::Debug for ParseEnumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ParseEnumError {{ type_name: {:?}, input: {} }}", self.type_name, Excerpt(&self.input))
    }
}

impl std::error::Error for ParseEnumError {}

/// Parses the decimal text of an integer enum value; a number the enum does
/// not know becomes its unknown variant.
///
/// # Errors
///
/// Returns [`ParseEnumError`] when `text` is not a decimal `i64`.
pub fn parse_int_enum<T: IntEnum>(text: &str) -> Result<T, ParseEnumError> {
    text.parse::<i64>().map(T::from_wire).map_err(|_| ParseEnumError::new(short_type_name::<T>(), text))
}

/// Decodes a [`StringEnum`] from a string; used by `__impl_string_enum!`.
#[doc(hidden)]
#[derive(Debug)]
pub struct StringEnumVisitor<T>(PhantomData<T>);

impl<T> StringEnumVisitor<T> {
    /// A visitor for `T`.
    #[must_use]
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T> Default for StringEnumVisitor<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: StringEnum> Visitor<'_> for StringEnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} string", short_type_name::<T>())
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from_wire(value))
    }
}

/// Decodes an [`IntEnum`] from an integer; used by `__impl_int_enum!`.
#[doc(hidden)]
#[derive(Debug)]
pub struct IntEnumVisitor<T>(PhantomData<T>);

impl<T> IntEnumVisitor<T> {
    /// A visitor for `T`.
    #[must_use]
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T> Default for IntEnumVisitor<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: IntEnum> Visitor<'_> for IntEnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} integer in the i64 range", short_type_name::<T>())
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
        Ok(T::from_wire(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
        i64::try_from(value).map(T::from_wire).map_err(|_| E::invalid_value(Unexpected::Unsigned(value), &self))
    }
}

/// Implements [`StringEnum`](crate::value::StringEnum) from the listed
/// `Variant = "value"` pairs, and `Default` (the first listed value),
/// `Display`, `FromStr` (infallible), serde and `is_unknown`, for an enum with
/// those variants and `Unknown(String)`.
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_string_enum {
    ($t:ident { $first:ident = $first_value:literal $(, $variant:ident = $value:literal)* $(,)? }) => {
        impl $crate::value::StringEnum for $t {
            #[inline]
            fn from_wire(value: &str) -> Self {
                match value {
                    $first_value => Self::$first,
                    $($value => Self::$variant,)*
                    other => Self::Unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
            #[inline]
            fn as_wire(&self) -> &str {
                match self {
                    Self::$first => $first_value,
                    $(Self::$variant => $value,)*
                    Self::Unknown(other) => other,
                }
            }
        }

        impl ::core::default::Default for $t {
            #[inline]
            fn default() -> Self {
                Self::$first
            }
        }

        impl ::core::fmt::Display for $t {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(<$t as $crate::value::StringEnum>::as_wire(self))
            }
        }

        impl ::core::str::FromStr for $t {
            type Err = ::core::convert::Infallible;

            #[inline]

            fn from_str(text: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(<$t as $crate::value::StringEnum>::from_wire(text))
            }
        }

        impl $crate::__private::serde::Serialize for $t {
            #[inline]
            fn serialize<S: $crate::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(<$t as $crate::value::StringEnum>::as_wire(self))
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $t {
            #[inline]
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                deserializer.deserialize_str($crate::value::StringEnumVisitor::<$t>::new())
            }
        }

        impl $t {
            /// Whether the value is not one of the documented values.
            #[must_use]
            #[inline]
            pub fn is_unknown(&self) -> bool {
                ::core::matches!(self, Self::Unknown(_))
            }
        }
    };
}

/// Implements [`IntEnum`](crate::value::IntEnum) from the listed
/// `Variant = value` pairs, and `Default` (the first listed value), `Display`,
/// `FromStr` (decimal), serde and `is_unknown`, for an enum with those
/// variants and `Unknown(i64)`.
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_int_enum {
    ($t:ident { $first:ident = $first_value:literal $(, $variant:ident = $value:literal)* $(,)? }) => {
        impl $crate::value::IntEnum for $t {
            #[inline]
            fn from_wire(value: i64) -> Self {
                match value {
                    $first_value => Self::$first,
                    $($value => Self::$variant,)*
                    other => Self::Unknown(other),
                }
            }
            #[inline]
            fn to_wire(&self) -> i64 {
                match self {
                    Self::$first => $first_value,
                    $(Self::$variant => $value,)*
                    Self::Unknown(other) => *other,
                }
            }
        }

        impl ::core::default::Default for $t {
            #[inline]
            fn default() -> Self {
                Self::$first
            }
        }

        impl ::core::fmt::Display for $t {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&<$t as $crate::value::IntEnum>::to_wire(self), f)
            }
        }

        impl ::core::str::FromStr for $t {
            type Err = $crate::value::ParseEnumError;

            #[inline]

            fn from_str(text: &str) -> ::core::result::Result<Self, Self::Err> {
                $crate::value::parse_int_enum::<$t>(text)
            }
        }

        impl $crate::__private::serde::Serialize for $t {
            #[inline]
            fn serialize<S: $crate::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(<$t as $crate::value::IntEnum>::to_wire(self))
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $t {
            #[inline]
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                deserializer.deserialize_i64($crate::value::IntEnumVisitor::<$t>::new())
            }
        }

        impl $t {
            /// Whether the value is not one of the documented values.
            #[must_use]
            #[inline]
            pub fn is_unknown(&self) -> bool {
                ::core::matches!(self, Self::Unknown(_))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    // The enums live in a module without imports, as generated code may, to
    // check that the macros only use absolute paths.
    mod generated {
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum JobStatus {
            Initializing,
            Complete,
            Unknown(i64),
        }

        crate::__impl_int_enum!(JobStatus { Initializing = 0, Complete = 2 });

        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum State {
            Ready,
            Unknown(String),
        }

        crate::__impl_string_enum!(State { Ready = "ready" });
    }

    use generated::{JobStatus, State};
    use serde::{Deserialize, Serialize};

    use crate::value::testing::round_trip;

    #[test]
    fn the_default_is_the_first_listed_value() {
        assert_eq!(JobStatus::default(), JobStatus::Initializing);
        assert_eq!(State::default(), State::Ready);
    }

    #[test]
    fn int_enum_known_values_round_trip() {
        assert_eq!(round_trip::<JobStatus>("0"), JobStatus::Initializing);
        let complete: JobStatus = round_trip("2");
        assert_eq!(complete, JobStatus::Complete);
        assert!(!complete.is_unknown());
        assert_eq!(complete.to_string(), "2");
        assert_eq!("2".parse::<JobStatus>(), Ok(JobStatus::Complete));
    }

    #[test]
    fn int_enum_unknown_values_round_trip() {
        let unknown: JobStatus = round_trip("-7");
        assert_eq!(unknown, JobStatus::Unknown(-7));
        assert!(unknown.is_unknown());
        assert_eq!(unknown.to_string(), "-7");
        assert_eq!("-7".parse::<JobStatus>(), Ok(JobStatus::Unknown(-7)));
        let max: JobStatus = round_trip("9223372036854775807");
        assert_eq!(max, JobStatus::Unknown(i64::MAX));
    }

    #[test]
    fn int_enum_parse_error_names_input_and_format() {
        for bad in ["", "two", "2.0", " 2", "9223372036854775808"] {
            let error = bad.parse::<JobStatus>().expect_err(bad);
            assert_eq!(error.input(), bad);
            assert_eq!(error.type_name(), "JobStatus");
            let message = error.to_string();
            assert!(message.contains(&format!("{bad:?}")), "{message}");
            assert!(message.contains("JobStatus"), "{message}");
            assert!(message.contains("decimal integer"), "{message}");
        }
    }

    #[test]
    fn int_enum_decode_errors_name_what_was_expected() {
        for bad in ["\"2\"", "2.5", "9223372036854775808", "null", "[2]"] {
            let message = serde_json::from_str::<JobStatus>(bad).expect_err(bad).to_string();
            assert!(message.contains("expected a JobStatus integer in the i64 range"), "{message}");
        }
    }

    #[test]
    fn string_enum_known_values_round_trip() {
        let ready: State = round_trip("\"ready\"");
        assert_eq!(ready, State::Ready);
        assert!(!ready.is_unknown());
        assert_eq!(ready.to_string(), "ready");
        assert_eq!("ready".parse::<State>(), Ok(State::Ready));
    }

    #[test]
    fn string_enum_unknown_values_round_trip() {
        let unknown: State = round_trip("\"Paused\"");
        assert_eq!(unknown, State::Unknown("Paused".to_owned()));
        assert!(unknown.is_unknown());
        assert_eq!(unknown.to_string(), "Paused");
        assert_eq!("Paused".parse::<State>(), Ok(unknown));
        let escaped: State = round_trip(r#""a\"b""#);
        assert_eq!(escaped, State::Unknown("a\"b".to_owned()));
    }

    #[test]
    fn string_enum_decode_errors_name_what_was_expected() {
        for bad in ["1", "null", "true", r#"{"a":1}"#] {
            let message = serde_json::from_str::<State>(bad).expect_err(bad).to_string();
            assert!(message.contains("expected a State string"), "{message}");
        }
    }

    #[test]
    fn enums_work_as_struct_fields() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Job {
            status: JobStatus,
            state: Option<State>,
        }
        let job: Job = round_trip(r#"{"status":5,"state":"ready"}"#);
        assert_eq!(job.status, JobStatus::Unknown(5));
        assert_eq!(job.state, Some(State::Ready));
        let job: Job = round_trip(r#"{"status":0,"state":null}"#);
        assert_eq!(job.state, None);
    }
}
