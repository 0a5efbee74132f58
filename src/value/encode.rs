//! Encoding generated structs as JSON objects, and the one-call forms that give a generated
//! struct both directions, through declarative macros instead of serde's derives.
//!
//! [`impl_serialize!`](crate::__private::impl_serialize) writes what
//! `#[derive(Serialize)]` with `rename` and `skip_serializing_if = "Option::is_none"` would: the
//! fields in declaration order under their wire names, a field marked `optional` left out when
//! it is `None`. Generated code calls it through [`impl_object!`](crate::__private::impl_object)
//! (nested types), [`impl_response!`](crate::__private::impl_response) (responses, which also
//! carry the HTTP facts) and [`impl_request!`](crate::__private::impl_request) (requests, whose
//! JSON body is their body parameters), so the struct itself carries no serde attributes.

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
                use $crate::__private::serde::ser::SerializeStruct as _;
                let len = 0 $(+ $crate::__impl_serialize!(@count &self.$field $(, $marker)*))*;
                #[allow(unused_mut)] // a struct without fields writes none
                let mut state = serializer.serialize_struct(::core::stringify!($t), len)?;
                $($crate::__impl_serialize!(
                    @write state, &self.$field, $crate::__wire_name!($field $(= $wire)?) $(, $marker)*
                );)*
                state.end()
            }
        }
    };
    (@count $value:expr) => { 1 };
    (@count $value:expr, optional) => { usize::from(::core::option::Option::is_some($value)) };
    (@count $value:expr, $place:ident) => { 0 };
    (@write $state:ident, $value:expr, $wire:expr) => {
        $state.serialize_field($wire, $value)?;
    };
    (@write $state:ident, $value:expr, $wire:expr, optional) => {
        if let ::core::option::Option::Some(value) = $value {
            $state.serialize_field($wire, value)?;
        }
    };
    (@write $state:ident, $value:expr, $wire:expr, $place:ident) => {};
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
    }

    use generated::{Request, Response, Settings};

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
