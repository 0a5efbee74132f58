//! The one door from generated code into the runtime. Not public API: names here may change
//! in any release. Generated code reaches everything through `crate::__private::…`.

#[cfg(any(test, feature = "example-tests"))]
use serde::Serialize;
use serde::de::DeserializeOwned;

#[cfg(feature = "json-calls")]
#[path = "calls.rs"]
pub mod calls;
pub use crate::client::send_operation as send;
#[cfg(any(test, feature = "example-tests"))]
pub use crate::decode_fuzz::malformed_responses;
pub use crate::envelope::{Parsed as ParsedErrorEnvelope, parse as parse_error_envelope};
use crate::error::{RequestError, ServiceError, ValidationError};
pub use crate::error::{ResponseMeta, display_operation_error, operation_error_request_id, operation_error_source};
pub use crate::validate::{Bounds, Validate, Validator};
pub use crate::value::encode::{encode_object, write};
pub use crate::value::object::{Chunks, ObjectKeys, decode_object};
pub use crate::value::wall_clock;
pub use crate::waiter::wait;
pub use crate::wire::{
    Envelope, Method, NamedEndpoint, OperationSpec, Protocol, RequestWriter, RetrySafety, ServiceSpec, SuccessWhen,
};
pub use crate::{
    __builder_paginate as builder_paginate, __builder_wait as builder_wait, __client_methods as client_methods,
    __example_tests as example_tests, __impl_common_error as impl_common_error, __impl_deserialize as impl_deserialize,
    __impl_int_enum as impl_int_enum, __impl_object as impl_object, __impl_operation_error as impl_operation_error,
    __impl_request as impl_request, __impl_response as impl_response, __impl_response_body as impl_response_body,
    __impl_serialize as impl_serialize, __impl_string_enum as impl_string_enum, __operation_items as operation_items,
};
pub use serde;

/// The parameters of a request: how they go on the wire and the rules they must keep. The
/// generated code writes this impl from the spec's parameters and constraints.
pub trait Parameters {
    /// Writes the parameters.
    fn write(&self, writer: &mut RequestWriter);
    /// Reports every documented constraint the values break to `check`.
    fn validate(&self, check: &mut Validator);
}

/// Checks the documented constraints of `request`.
///
/// # Errors
/// Every broken rule.
pub(crate) fn validate<R: Parameters>(request: &R) -> Result<(), ValidationError> {
    let mut check = Validator::default();
    request.validate(&mut check);
    check.finish()
}

/// A request of one operation.
pub trait Operation: Parameters + Send + Sized + 'static {
    /// Its success response.
    type Response: DeserializeOwned + ResponseBody + Send + std::fmt::Debug;
    /// Its error.
    type Error: OperationError + Send;
    /// Static facts of the operation.
    const SPEC: OperationSpec;
    /// The idempotency token field, for operations that have one.
    fn idempotency_token(&mut self) -> Option<&mut Option<String>> {
        None
    }
}

/// A generated operation error.
pub trait OperationError: Sized + std::error::Error + 'static {
    /// Maps a provider error to its documented variant or `Unmodelled`.
    fn from_service(error: ServiceError) -> Self;
    /// Wraps a request-side failure.
    fn from_request(error: RequestError) -> Self;
    /// The provider error, if any.
    fn service_error(&self) -> Option<&ServiceError>;
    /// The request-side failure, if any.
    fn request_error(&self) -> Option<&RequestError>;
}

/// A generated success response.
pub trait ResponseBody {
    /// The HTTP facts of the exchange.
    fn meta(&self) -> &ResponseMeta;
    /// Where the runtime records the HTTP facts.
    fn meta_mut(&mut self) -> &mut ResponseMeta;
}

/// Implements [`ResponseBody`] for a generated response with a `meta` field.
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_response_body {
    ($t:ident) => {
        impl $crate::__private::ResponseBody for $t {
            #[inline]
            fn meta(&self) -> &$crate::ResponseMeta {
                &self.meta
            }
            #[inline]
            fn meta_mut(&mut self) -> &mut $crate::ResponseMeta {
                &mut self.meta
            }
        }
    };
}

/// A response that reports the state of a task (generated from the spec's `waiter`).
pub trait TaskStatus {
    /// The state, classified by the spec.
    fn task_state(&self) -> crate::TaskState;
    /// The state as the provider wrote it.
    fn state_text(&self) -> Option<String>;
    /// Progress 0-100, where reported.
    fn progress(&self) -> Option<i64>;
}

/// How a listing asks for its next page (the spec's `pagination.style`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageStyle {
    /// Page numbers, the first being `first`.
    PageNumber {
        /// Number of the first page.
        first: i64,
    },
    /// Item offsets, the first item being at `first`.
    Offset {
        /// Offset of the first item.
        first: i64,
    },
    /// The last item's marker field sent back.
    Marker,
    /// The response's next token sent back.
    Token,
}

/// Where a page starts: a page number or offset, or a marker or token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cursor {
    /// A page number or an offset.
    Number(i64),
    /// A marker or a token.
    Text(String),
}

/// A request of a paged listing (generated from the spec's `pagination`).
pub trait Paged: Operation + Clone {
    /// One listed item.
    type Item: Clone + PartialEq + Send + 'static;
    /// How the next page is asked for.
    const STYLE: PageStyle;
    /// The provider's page size when none is sent (0 when the spec declares none).
    const DEFAULT_PAGE_SIZE: i64;
    /// The page size set on this request.
    fn page_size(&self) -> Option<i64> {
        None
    }
    /// Sets the page size.
    fn set_page_size(&mut self, _size: i64) {}
    /// The page number, offset, marker or token set on this request.
    fn cursor(&self) -> Option<Cursor>;
    /// Sets the page number, offset, marker or token.
    fn set_cursor(&mut self, cursor: Cursor);
    /// The items of one page.
    fn items(response: &Self::Response) -> &[Self::Item];
    /// The total item count, where reported.
    fn total(_response: &Self::Response) -> Option<i64> {
        None
    }
    /// The token of the next page (token style); `None` or empty on the last page.
    fn next_token(_response: &Self::Response) -> Option<&str> {
        None
    }
    /// The marker an item stands for (marker style).
    fn marker(_item: &Self::Item) -> Option<String> {
        None
    }
}

/// Sends what a builder built, or returns its validation failure as the operation's error.
///
/// # Errors
/// As [`send`].
pub fn send_built<O: Operation>(
    client: crate::ClientHandle,
    request: Result<O, ValidationError>,
) -> impl Future<Output = Result<O::Response, O::Error>> + Send {
    // `build` checked the request.
    crate::client::send_checked(client, request)
}

/// A builder's validation failure as an operation error.
pub fn validation_error<O: Operation>(error: ValidationError) -> O::Error {
    O::Error::from_request(crate::client::validation(&O::SPEC, error))
}

/// A response type checked against its documented examples (generated example tests).
#[cfg(any(test, feature = "example-tests"))]
pub trait Example: DeserializeOwned + Serialize {
    /// Asserts that `body` decodes into this type and encodes back to the same JSON (up to key
    /// order, with a `null` member the same as an absent one).
    ///
    /// # Panics
    /// With the example's `name` and what did not decode, or both JSON texts when they differ.
    fn check_example(name: &str, body: &str) {
        if let Err(problem) = example_round_trip::<Self>(body) {
            panic!("example {name}: {problem}");
        }
    }
}

#[cfg(any(test, feature = "example-tests"))]
impl<R: DeserializeOwned + Serialize> Example for R {}

/// A request type whose operation is checked against its documented error examples.
#[cfg(any(test, feature = "example-tests"))]
pub trait ErrorExample: Operation {
    /// Asserts that `body` decodes, as the runtime decodes an error response, into the
    /// operation error's variant named `variant`.
    ///
    /// # Panics
    /// With the example's `name` and the decoded error when it is another variant.
    fn check_error_example(name: &str, status: u16, body: &str, variant: &str) {
        let error = decode_example_error::<Self>(status, body);
        let shown = format!("{error:?}");
        assert!(shown.starts_with(&format!("{variant}(")), "example {name}: expected {variant}, decoded {shown}");
    }
}

#[cfg(any(test, feature = "example-tests"))]
impl<O: Operation> ErrorExample for O {}

#[cfg(any(test, feature = "example-tests"))]
fn example_round_trip<R: DeserializeOwned + Serialize>(body: &str) -> Result<(), String> {
    let original: serde_json::Value = serde_json::from_str(body).map_err(|e| format!("example is not JSON: {e}"))?;
    let decoded: R = serde_json::from_str(body).map_err(|e| format!("example does not decode: {e}"))?;
    let encoded = serde_json::to_value(&decoded).map_err(|e| format!("response does not encode: {e}"))?;
    if without_nulls(&original) == without_nulls(&encoded) {
        Ok(())
    } else {
        Err(format!("round trip changed the body:\n  was {original}\n  now {encoded}"))
    }
}

#[cfg(any(test, feature = "example-tests"))]
fn without_nulls(value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), without_nulls(v))).collect()
        }
        serde_json::Value::Array(items) => items.iter().map(without_nulls).collect(),
        other => other.clone(),
    }
}

#[cfg(any(test, feature = "example-tests"))]
fn decode_example_error<O: Operation>(status: u16, body: &str) -> O::Error {
    match crate::client::service_error(&O::SPEC, status, None, body.as_bytes()) {
        Some(error) => O::Error::from_service(error),
        None => O::Error::from_request(RequestError::new(
            crate::error::RequestErrorKind::UnexpectedResponse,
            O::SPEC.name,
            "not an error envelope",
        )),
    }
}
