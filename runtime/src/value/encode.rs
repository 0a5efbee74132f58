//! Encoding generated structs as JSON objects, and the one-call forms that give a generated
//! struct both directions, through declarative macros instead of serde's derives.
//!
//! [`impl_serialize!`](crate::__private::impl_serialize) writes what
//! `#[derive(Serialize)]` with `rename` and `skip_serializing_if = "Option::is_none"` would: the
//! fields in declaration order under their wire names, a field marked `optional` left out when
//! it is `None`. The struct's one function hands its fields, as nested pairs of [`Always`],
//! [`Optional`] and [`Skip`], to [`encode_object`], written once, here. Generated code calls it
//! through [`impl_object!`](crate::__private::impl_object) (nested types),
//! [`impl_response!`](crate::__private::impl_response) (responses, which also carry the HTTP
//! facts) and [`impl_request!`](crate::__private::impl_request) (requests, whose JSON body is
//! their body parameters), so the struct itself carries no serde attributes.

use serde::ser::{Serialize, SerializeStruct, Serializer};

/// Fields of a generated struct, to encode in order: one field ([`Always`], [`Optional`] or
/// [`Skip`]), or nested pairs of them ending in `()`, a wide struct's first pair holding a
/// chunk of 16 (see [`__nest!`](crate::__nest)).
pub trait EncodeFields {
    /// How many fields are written.
    fn count(&self) -> usize;

    /// Writes them in order.
    ///
    /// # Errors
    /// The serializer's.
    fn write<S: SerializeStruct>(&self, state: &mut S) -> Result<(), S::Error>;
}

impl EncodeFields for () {
    #[inline]
    fn count(&self) -> usize {
        0
    }

    #[inline]
    fn write<S: SerializeStruct>(&self, _: &mut S) -> Result<(), S::Error> {
        Ok(())
    }
}

impl<H: EncodeFields, T: EncodeFields> EncodeFields for (H, T) {
    #[inline]
    fn count(&self) -> usize {
        self.0.count() + self.1.count()
    }

    #[inline]
    fn write<S: SerializeStruct>(&self, state: &mut S) -> Result<(), S::Error> {
        self.0.write(state)?;
        self.1.write(state)
    }
}

/// A field always written, under its wire name.
#[derive(Debug)]
pub struct Always<'a, T>(&'static str, &'a T);

/// An `Option` field, left out when `None`.
#[derive(Debug)]
pub struct Optional<'a, T>(&'static str, &'a Option<T>);

/// A request parameter that is not in the body: never written.
#[derive(Debug)]
pub struct Skip;

impl<T: Serialize> EncodeFields for Always<'_, T> {
    #[inline]
    fn count(&self) -> usize {
        1
    }

    #[inline]
    fn write<S: SerializeStruct>(&self, state: &mut S) -> Result<(), S::Error> {
        state.serialize_field(self.0, self.1)
    }
}

impl<T: Serialize> EncodeFields for Optional<'_, T> {
    #[inline]
    fn count(&self) -> usize {
        usize::from(self.1.is_some())
    }

    #[inline]
    fn write<S: SerializeStruct>(&self, state: &mut S) -> Result<(), S::Error> {
        match self.1 {
            Some(value) => state.serialize_field(self.0, value),
            None => Ok(()),
        }
    }
}

impl EncodeFields for Skip {
    #[inline]
    fn count(&self) -> usize {
        0
    }

    #[inline]
    fn write<S: SerializeStruct>(&self, _: &mut S) -> Result<(), S::Error> {
        Ok(())
    }
}

/// A field without a marker: always written under `wire`. Its module of the same name holds
/// the other markers' functions, so that generated code names a field's encoding as
/// `write` or `write::marker`.
#[inline]
pub fn write<'a, T>(wire: &'static str, value: &'a T) -> Always<'a, T> {
    Always(wire, value)
}

/// The encoding of a field by the marker after it in a generated field list.
pub mod write {
    use super::{Optional, Skip};

    /// `optional`: an `Option` left out when `None`.
    #[inline]
    pub fn optional<'a, T>(wire: &'static str, value: &'a Option<T>) -> Optional<'a, T> {
        Optional(wire, value)
    }

    /// `path`: a path parameter, not in the body.
    #[inline]
    pub fn path<T>(_: &'static str, _: &T) -> Skip {
        Skip
    }

    /// `query`: a query parameter, not in the body.
    #[inline]
    pub fn query<T>(_: &'static str, _: &T) -> Skip {
        Skip
    }

    /// `header`: a header parameter, not in the body.
    #[inline]
    pub fn header<T>(_: &'static str, _: &T) -> Skip {
        Skip
    }
}

/// Encodes a generated struct named `name` as an object of `fields`.
///
/// # Errors
/// The serializer's.
#[inline]
pub fn encode_object<S: Serializer, F: EncodeFields>(
    serializer: S,
    name: &'static str,
    fields: F,
) -> Result<S::Ok, S::Error> {
    let mut state = serializer.serialize_struct(name, fields.count())?;
    fields.write(&mut state)?;
    state.end()
}

/// Implements `Serialize` for a generated struct: each `field = "wireName" markers` in order.
/// Markers: none (always written), `optional` (an `Option`, left out when `None`), or the place
/// of a request parameter that is not in the body (`path`, `query`, `header`: never written).
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_serialize {
    ($t:ident { $($field:ident $(= $wire:literal)? $($marker:ident)*),* $(,)? }) => {
        impl $crate::__private::serde::Serialize for $t {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::__private::encode_object(
                    serializer,
                    ::core::stringify!($t),
                    $crate::__nest!($({
                        $crate::__private::write $(::$marker)* ($crate::__wire_name!($field $(= $wire)?), &self.$field)
                    })*),
                )
            }
        }
    };
}

/// Implements `Deserialize` and `Serialize` for a generated nested type: each
/// `field = "wireName"` read from and written to that key, a field marked `optional` left out of
/// the encoding when `None`.
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_object {
    ($t:ident { $($field:ident $(= $wire:literal)? $($marker:ident)?),* $(,)? }) => {
        $crate::__impl_deserialize!($t { $($field $(= $wire)?),* });
        $crate::__impl_serialize!($t { $($field $(= $wire)? $($marker)?),* });
    };
    // Fields with checks, `field [rule(args) ...]`: also `Validate`, each rule a call of the
    // `Validator` method of that name with the wire name, the value and the arguments (an
    // `optional` field's rules only when it is set).
    ($t:ident { $($field:ident $(= $wire:literal)? $($marker:ident)? $([$($rule:ident($($arg:expr),*))*])?),* $(,)? }) => {
        $crate::__impl_object!($t { $($field $(= $wire)? $($marker)?),* });
        impl $crate::__private::Validate for $t {
            fn validate_in(&self, field: &str, index: ::core::option::Option<usize>, check: &mut $crate::__private::Validator) {
                let outer = check.enter(field, index);
                $($crate::__check_field!(
                    check, self.$field, $crate::__wire_name!($field $(= $wire)?), $($marker)?; $($($rule($($arg),*))*)?
                );)*
                check.leave(outer);
            }
        }
    };
}

/// The checks of one field of a generated struct (see [`__impl_object!`](crate::__impl_object)):
/// each `rule(args)` a call of that `Validator` method with the wire name, the value and the
/// arguments; for an `optional` field only when it is set.
#[macro_export]
#[doc(hidden)]
macro_rules! __check_field {
    ($check:ident, $value:expr, $wire:expr, $($marker:ident)?;) => {};
    ($check:ident, $value:expr, $wire:expr, optional; $($rule:ident($($arg:expr),*))*) => {
        if let ::core::option::Option::Some(value) = &$value {
            $($check.$rule($wire, value $(, $arg)*);)*
        }
    };
    ($check:ident, $value:expr, $wire:expr, ; $($rule:ident($($arg:expr),*))*) => {
        $($check.$rule($wire, &$value $(, $arg)*);)*
    };
}

/// Implements `Deserialize`, `Serialize` and [`ResponseBody`](crate::__private::ResponseBody)
/// for a generated response: each `field = "wireName"` read from and written to that key (an
/// absent `Option` written as `null`), and `meta`, the HTTP facts, in neither.
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_response {
    ($t:ident { $($field:ident $(= $wire:literal)?),* $(,)? }) => {
        $crate::__impl_deserialize!($t { $($field $(= $wire)?),*; meta });
        $crate::__impl_serialize!($t { $($field $(= $wire)?),* });
        $crate::__impl_response_body!($t);
    };
}

/// Implements what a generated request (the struct `Request` of an operation module) needs:
/// the builder's setters (each parameter `field(Type)`, or `field(Type, required i)` for the
/// `i`-th required one, see [`setters!`](crate::__private::setters)); with `json`, `Serialize` as
/// its JSON body (the fields without a place marker `path`, `query` or `header`; `optional` ones
/// left out when `None`); with the `json-calls` feature, `Deserialize` from every parameter's
/// wire name (the command-line tool builds requests so).
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_request {
    (json { $($field:ident($($setter:tt)*) $(= $wire:literal)? $($marker:ident)?),* $(,)? }) => {
        $crate::__impl_request!({ $($field($($setter)*) $(= $wire)?),* });
        $crate::__impl_serialize!(Request { $($field $(= $wire)? $($marker)?),* });
    };
    ({ $($field:ident($ty:ty $(, required $index:literal)?) $(= $wire:literal)? $($marker:ident)?),* $(,)? }) => {
        $crate::__setters!($($field($ty) $(required $index)?),*);
        #[cfg(feature = "json-calls")]
        $crate::__impl_deserialize!(Request { $($field $(= $wire)?),* });
    };
}

#[cfg(test)]
mod tests {
    mod generated {
        #[derive(Debug, Default, PartialEq)]
        pub struct Settings {
            pub retention_days: i32,
            pub sample_rate: Option<f64>,
            pub labels: Option<Vec<String>>,
        }
        crate::__impl_object!(Settings { retention_days = "retentionDays", sample_rate = "sampleRate" optional, labels optional });

        #[derive(Debug, Default)]
        pub struct Request {
            pub id: String,
            pub dry_run: Option<bool>,
            pub name: String,
            pub settings: Option<Settings>,
        }
        crate::__impl_serialize!(Request { id path, dry_run query, name = "displayName", settings optional });

        #[derive(Debug, Default)]
        pub struct Response {
            pub id: String,
            pub size: Option<i64>,
            pub meta: crate::ResponseMeta,
        }
        crate::__impl_response!(Response { id, size });

        /// More fields than one step of `__nest!` takes, so both of its arms run.
        #[derive(Debug, Default, PartialEq)]
        pub struct Wide {
            pub f1: u8,
            pub f2: Option<u8>,
            pub f3: u8,
            pub f4: u8,
            pub f5: u8,
            pub f6: Option<String>,
            pub f7: u8,
            pub f8: u8,
            pub f9: Vec<u8>,
        }
        crate::__impl_object!(Wide { f1 = "a", f2 = "b" optional, f3, f4, f5, f6 optional, f7, f8 = "h", f9 });

        /// Three chunks of fields: 16, 16 and a list of 8.
        #[derive(Debug, Default, PartialEq)]
        pub struct Widest {
            pub f00: Option<u8>,
            pub f01: u8,
            pub f02: u8,
            pub f03: Option<u8>,
            pub f04: u8,
            pub f05: u8,
            pub f06: Option<u8>,
            pub f07: u8,
            pub f08: u8,
            pub f09: Option<u8>,
            pub f10: u8,
            pub f11: u8,
            pub f12: Option<u8>,
            pub f13: u8,
            pub f14: u8,
            pub f15: Option<u8>,
            pub f16: u8,
            pub f17: u8,
            pub f18: Option<u8>,
            pub f19: u8,
            pub f20: u8,
            pub f21: Option<u8>,
            pub f22: u8,
            pub f23: u8,
            pub f24: Option<u8>,
            pub f25: u8,
            pub f26: u8,
            pub f27: Option<u8>,
            pub f28: u8,
            pub f29: u8,
            pub f30: Option<u8>,
            pub f31: u8,
            pub f32: u8,
            pub f33: Option<u8>,
            pub f34: u8,
            pub f35: u8,
            pub f36: Option<u8>,
            pub f37: u8,
            pub f38: u8,
            pub f39: Option<u8>,
        }
        crate::__impl_object!(Widest { f00 optional, f01, f02, f03 optional, f04, f05, f06 optional, f07, f08, f09 optional, f10, f11, f12 optional, f13, f14, f15 optional, f16, f17, f18 optional, f19, f20, f21 optional, f22, f23, f24 optional, f25, f26, f27 optional, f28, f29, f30 optional, f31, f32, f33 optional, f34, f35, f36 optional, f37, f38, f39 optional });
    }

    use generated::{Request, Response, Settings, Wide, Widest};

    #[test]
    fn optional_fields_are_left_out_when_none_and_others_keep_their_order() {
        let settings = Settings { retention_days: 3, sample_rate: None, labels: Some(vec!["a".into()]) };
        assert_eq!(serde_json::to_string(&settings).unwrap(), r#"{"retentionDays":3,"labels":["a"]}"#);
        let empty = Settings::default();
        assert_eq!(serde_json::to_string(&empty).unwrap(), r#"{"retentionDays":0}"#);
        let back: Settings = serde_json::from_str(r#"{"labels":["a"],"retentionDays":3}"#).unwrap();
        assert_eq!(back, settings);
    }

    #[test]
    fn every_field_of_a_wide_struct_keeps_its_place_and_wire_name() {
        let wide = Wide { f1: 1, f2: None, f3: 3, f4: 4, f5: 5, f6: Some("six".into()), f7: 7, f8: 8, f9: vec![9] };
        let json = r#"{"a":1,"f3":3,"f4":4,"f5":5,"f6":"six","f7":7,"h":8,"f9":[9]}"#;
        assert_eq!(serde_json::to_string(&wide).unwrap(), json);
        assert_eq!(serde_json::from_str::<Wide>(json).unwrap(), wide);
        let shuffled: Wide =
            serde_json::from_str(r#"{"f9":[9],"h":8,"b":2,"f7":7,"f6":null,"f5":5,"f4":4,"f3":3,"a":1}"#).unwrap();
        assert_eq!(shuffled, Wide { f2: Some(2), f6: None, ..wide });
        let error =
            serde_json::from_str::<Wide>(r#"{"a":1,"f3":3,"f4":4,"f5":5,"f7":7,"f9":[]}"#).unwrap_err().to_string();
        assert!(error.starts_with("missing field `h`"), "{error}");
        let error = serde_json::from_str::<Wide>(r#"{"h":1,"h":2}"#).unwrap_err().to_string();
        assert!(error.starts_with("duplicate field `h`"), "{error}");
    }

    #[test]
    fn fields_beyond_the_first_chunks_keep_their_place() {
        // Every third field is an `Option`, left out when `None`.
        let widest = Widest { f00: Some(1), f17: 17, f35: 35, f39: Some(39), ..Widest::default() };
        let json = serde_json::to_string(&widest).unwrap();
        assert!(json.starts_with(r#"{"f00":1,"f01":0,"f02":0,"f04":0,"#), "{json}");
        assert!(json.contains(r#","f16":0,"f17":17,"f19":0,"#), "{json}");
        assert!(json.ends_with(r#","f35":35,"f37":0,"f38":0,"f39":39}"#), "{json}");
        assert_eq!(serde_json::from_str::<Widest>(&json).unwrap(), widest);
        let error = serde_json::from_str::<Widest>(&json.replace(r#","f38":0"#, "")).unwrap_err().to_string();
        assert!(error.starts_with("missing field `f38`"), "{error}");
        let repeated = json.replace(r#""f39":39"#, r#""f39":39,"f20":1"#);
        let error = serde_json::from_str::<Widest>(&repeated).unwrap_err().to_string();
        assert!(error.starts_with("duplicate field `f20`"), "{error}");
    }

    #[test]
    fn a_request_body_has_only_the_body_parameters() {
        let request = Request { id: "w-1".into(), dry_run: Some(true), name: "n".into(), settings: None };
        assert_eq!(serde_json::to_string(&request).unwrap(), r#"{"displayName":"n"}"#);
        // The path and query parameters are the request's, just not in its body.
        assert_eq!((request.id.as_str(), request.dry_run), ("w-1", Some(true)));
        let request = Request { settings: Some(Settings::default()), ..request };
        assert_eq!(serde_json::to_string(&request).unwrap(), r#"{"displayName":"n","settings":{"retentionDays":0}}"#);
    }

    #[test]
    fn a_response_writes_absent_values_as_null_and_keeps_meta_out() {
        let response: Response = serde_json::from_str(r#"{"id":"w-1"}"#).unwrap();
        assert_eq!(response.size, None);
        assert_eq!(serde_json::to_string(&response).unwrap(), r#"{"id":"w-1","size":null}"#);
        let meta: &crate::ResponseMeta = crate::__private::ResponseBody::meta(&response);
        assert_eq!(meta, &crate::ResponseMeta::default());
    }
}
