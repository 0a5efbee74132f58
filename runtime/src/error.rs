//! Error types shared by every operation. Each operation's own `Error` enum wraps these:
//! a [`ServiceError`] for answers from the provider, a [`RequestError`] for everything else.

use std::fmt;

use crate::__private::OperationError;
use crate::excerpt::OneLine;
pub(crate) use crate::excerpt::{Cause, EXCERPT_BYTES, Excerpt, MESSAGE_BYTES, bounded, snippet};

/// A configuration that cannot serve a service.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No credentials were configured.
    #[error("no credentials configured for {0}: use Config::credentials or Config::from_env")]
    MissingCredentials(&'static str),
    /// Credentials of another provider were configured.
    #[error("credentials for {found} cannot sign requests to {expected}")]
    WrongCredentials {
        /// The service's provider.
        expected: &'static str,
        /// The credentials' provider.
        found: &'static str,
    },
    /// An environment variable that `from_env` needs is not set.
    #[error("environment variable {0} is not set")]
    MissingEnv(&'static str),
    /// The region is not a region id (the value, excerpted when long).
    #[error("region {0:?} is not a region id (letters, digits and '-')")]
    InvalidRegion(String),
    /// The endpoint override is not a host or URL (the value, excerpted when long).
    #[error("endpoint {0:?} is not a host[:port] or an http(s) URL without a path")]
    InvalidEndpoint(String),
    /// The named endpoint is not one of the service's.
    #[error("{service} has no endpoint named {name:?} (its named endpoints: {known})")]
    UnknownEndpoint {
        /// The service.
        service: &'static str,
        /// The name asked for (excerpted when long).
        name: String,
        /// The names it has.
        known: String,
    },
    /// Both an endpoint override and a named endpoint were configured.
    #[error("Config::endpoint and Config::named_endpoint both choose the host; set only one")]
    EndpointConflict,
    /// A plain-HTTP endpoint without `allow_http` (the value, excerpted when long).
    #[error("endpoint {0:?} is plain HTTP; call Config::allow_http(true) to allow it")]
    PlainHttp(String),
    /// The chosen signer is not accepted by the service.
    #[error("signing {signing:?} is not accepted by {service}")]
    UnsupportedSigning {
        /// The service.
        service: &'static str,
        /// The chosen signer.
        signing: crate::Signing,
    },
    /// No signer the service accepts signs with the configured kind of credentials (such as a
    /// Huawei IAM token for a service that only takes AK/SK).
    #[error("no signer accepted by {0} can use the configured kind of credentials")]
    CredentialsNotAccepted(&'static str),
    /// The service needs a project id.
    #[error("{0} needs a project id: use Config::project_id or HUAWEICLOUD_SDK_PROJECT_ID")]
    MissingProjectId(&'static str),
    /// A setting that travels in an HTTP header holds a character HTTP does not allow there.
    #[error("{setting} cannot be sent in an HTTP header: {problem}")]
    InvalidHeaderValue {
        /// The setting, and where it is set (`the user agent (Config::user_agent)`), with a
        /// bounded excerpt of its value unless it is a credential.
        setting: String,
        /// The rule and where the value breaks it.
        problem: String,
    },
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Http(String),
}

/// One broken rule of a request parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The parameter's wire name.
    pub field: String,
    /// The rule, and how the value breaks it.
    pub rule: String,
}

/// Request parameters that break documented rules; nothing was sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    violations: Vec<Violation>,
}

impl ValidationError {
    pub(crate) fn new(violations: Vec<Violation>) -> Self {
        Self { violations }
    }

    /// A required parameter that was not set.
    pub(crate) fn missing(field: &str) -> Self {
        Self::new(vec![Violation { field: field.to_owned(), rule: "is required but was not set".to_owned() }])
    }

    /// Every broken rule.
    #[must_use]
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid request: ")?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "`{}` {}", v.field, v.rule)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// What the provider said when it refused a request.
///
/// Built only through the crate-private `ServiceError::new`, which bounds every outside value:
/// the fields are private even to the crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceError {
    operation: &'static str,
    status: u16,
    code: String,
    message: String,
    request_id: Option<String>,
}

impl ServiceError {
    /// A provider's answer, with every outside value bounded: the code and request id to
    /// [`EXCERPT_BYTES`], the message to [`MESSAGE_BYTES`], each marked when cut.
    pub(crate) fn new(
        operation: &'static str,
        status: u16,
        code: String,
        message: String,
        request_id: Option<String>,
    ) -> Self {
        Self {
            operation,
            status,
            code: bounded(code, EXCERPT_BYTES),
            message: bounded(message, MESSAGE_BYTES),
            request_id: request_id.map(|id| bounded(id, EXCERPT_BYTES)),
        }
    }

    /// The provider's error code (`TrailNotFoundException`, `APIGW.0308`); empty for an error
    /// the provider sent without a code (told apart by its HTTP status); a code longer than
    /// 200 bytes is kept as a marked excerpt.
    #[must_use]
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The provider's message; a message longer than 512 bytes is kept as a marked excerpt.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status.
    #[must_use]
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The request id, for the provider's support.
    #[must_use]
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The operation that failed.
    #[must_use]
    pub fn operation(&self) -> &'static str {
        self.operation
    }
}

impl fmt::Display for ServiceError {
    /// One line: operation, status, code, message (line breaks folded) and request id.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with HTTP {}", self.operation, self.status)?;
        if !self.code.is_empty() {
            write!(f, " {}", self.code)?;
        }
        if !self.message.trim().is_empty() {
            write!(f, ": {}", OneLine(&self.message))?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}

/// What kind of [`RequestError`] this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestErrorKind {
    /// Parameters broke a documented rule; nothing was sent.
    Validation,
    /// The configuration cannot serve the call.
    Config,
    /// The connection failed or broke.
    Transport,
    /// An attempt took longer than the configured timeout.
    Timeout,
    /// The provider answered with something that is neither the documented response nor its
    /// error envelope.
    UnexpectedResponse,
    /// A paged listing did not move on: the provider repeated a page, an offset, a marker or a
    /// token, so following it would list items twice or never end.
    Pagination,
    /// The endpoint answered with a redirect (3xx). Signed calls never follow one: the
    /// credentials would go to another location.
    Redirect,
    /// The response body is larger than [`Config::max_response_bytes`](crate::Config::max_response_bytes)
    /// allows; it was not read further.
    ResponseTooLarge,
}

/// The call did not get a usable provider answer.
pub struct RequestError {
    kind: RequestErrorKind,
    operation: &'static str,
    detail: String,
    status: Option<u16>,
    request_id: Option<String>,
    snippet: Option<String>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl RequestError {
    pub(crate) fn new(kind: RequestErrorKind, operation: &'static str, detail: impl Into<String>) -> Self {
        Self { kind, operation, detail: detail.into(), status: None, request_id: None, snippet: None, source: None }
    }

    pub(crate) fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// Records the status and request id of the response that showed the failure.
    pub(crate) fn with_meta(mut self, meta: &ResponseMeta) -> Self {
        self.status = Some(meta.status);
        self.request_id.clone_from(&meta.request_id);
        self
    }

    pub(crate) fn with_response(self, status: u16, request_id: Option<String>, body: &[u8]) -> Self {
        let mut error = self.with_status(status, request_id);
        error.snippet = Some(snippet(body));
        error
    }

    /// The status and request id of a response whose body is not kept.
    pub(crate) fn with_status(mut self, status: u16, request_id: Option<String>) -> Self {
        self.status = Some(status);
        self.request_id = request_id;
        self
    }

    /// What kind of failure this is.
    #[must_use]
    pub fn kind(&self) -> RequestErrorKind {
        self.kind
    }

    /// The HTTP status, when a response arrived.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The request id, when a response carried one.
    #[must_use]
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The start of the response body that could not be used.
    #[must_use]
    pub fn body_snippet(&self) -> Option<&str> {
        self.snippet.as_deref()
    }

    /// The broken rules, for [`RequestErrorKind::Validation`].
    #[must_use]
    pub fn validation(&self) -> Option<&ValidationError> {
        self.source.as_deref().and_then(|s| s.downcast_ref())
    }
}

impl fmt::Display for RequestError {
    /// One line: operation, what failed, status and request id when a response arrived, the
    /// chain of causes (so a transport failure names e.g. the refused connection), and the
    /// start of an unusable body with its line breaks folded.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.operation, self.detail)?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status}")?;
            if let Some(id) = &self.request_id {
                write!(f, ", request id {id}")?;
            }
            f.write_str(")")?;
        }
        let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(self);
        let mut previous = String::new();
        while let Some(error) = cause {
            // Twice the message bound: a `Cause` is already within it, with its marker.
            let text = bounded(error.to_string(), 2 * MESSAGE_BYTES);
            // Wrappers often repeat their inner error's message; show each message once.
            if !text.is_empty() && !previous.contains(&text) {
                write!(f, ": {}", OneLine(&text))?;
            }
            previous = text;
            cause = error.source();
        }
        if let Some(snippet) = &self.snippet {
            write!(f, "; body: {}", OneLine(snippet))?;
        }
        Ok(())
    }
}

impl fmt::Debug for RequestError {
    /// Every field, with the source shown by its bounded message (a source may quote an outside
    /// value whole).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestError")
            .field("kind", &self.kind)
            .field("operation", &self.operation)
            .field("detail", &self.detail)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("snippet", &self.snippet)
            .field("source", &self.source.as_ref().map(|s| bounded(s.to_string(), 2 * MESSAGE_BYTES)))
            .finish()
    }
}

impl std::error::Error for RequestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// Facts about the HTTP exchange a response came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResponseMeta {
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) attempts: u32,
}

impl ResponseMeta {
    /// The HTTP status.
    #[must_use]
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The request id from the provider's header or body.
    #[must_use]
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// How many attempts the call took.
    #[must_use]
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

/// `Display` of a generated operation error: its provider error, else its request failure.
/// Written once here, so that each operation's `Display` is one call.
///
/// # Errors
/// The formatter's.
pub fn display_operation_error<E: OperationError>(error: &E, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match (error.service_error(), error.request_error()) {
        (Some(e), _) => fmt::Display::fmt(e, f),
        (None, Some(e)) => fmt::Display::fmt(e, f),
        (None, None) => f.write_str("unknown error"),
    }
}

/// `std::error::Error::source` of a generated operation error: the cause of its request
/// failure (a provider error has none).
#[must_use]
pub fn operation_error_source<E: OperationError>(error: &E) -> Option<&(dyn std::error::Error + 'static)> {
    error.request_error().and_then(std::error::Error::source)
}

/// The request id of a generated operation error, from its provider error or its request
/// failure.
#[must_use]
pub fn operation_error_request_id<E: OperationError>(error: &E) -> Option<&str> {
    match error.service_error() {
        Some(e) => e.request_id(),
        None => error.request_error().and_then(RequestError::request_id),
    }
}

/// Implements the runtime's `OperationError`, `Display`, `std::error::Error` and accessors for
/// a generated operation error: an enum with one `Variant(ServiceError)` per documented code
/// (listed as `Variant = "Code"`) and per error documented by its status alone (listed under
/// `status` as `Variant = 404`), a `Common(CommonError)` variant when `common CommonError`
/// follows, then `Unmodelled(ServiceError)` and `Request(RequestError)`; also `Debug` (as
/// derived). Every function is `#[inline]`: compiled where an operation is used, not for each
/// operation of the crate.
///
/// A provider error maps to the operation's variant of its code; else, without a code, to the
/// operation's variant of its status; else to the service's common error; else `Unmodelled`.
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_operation_error {
    ($t:ident { $($variant:ident = $code:literal),* $(,)? }
     $(status { $($svariant:ident = $status:literal),* $(,)? })?
     $(common $common:path)?) => {
        impl $crate::__private::OperationError for $t {
            #[inline]
            fn from_service(error: $crate::ServiceError) -> Self {
                $(if error.code() == $code {
                    return Self::$variant(error);
                })*
                $($(if error.code().is_empty() && error.status() == $status {
                    return Self::$svariant(error);
                })*)?
                $(let error = match <$common>::__classify(error) {
                    ::core::result::Result::Ok(common) => return Self::Common(common),
                    ::core::result::Result::Err(error) => error,
                };)?
                Self::Unmodelled(error)
            }
            #[inline]
            fn from_request(error: $crate::RequestError) -> Self {
                Self::Request(error)
            }
            #[inline]
            fn service_error(&self) -> ::core::option::Option<&$crate::ServiceError> {
                match self {
                    $(Self::$variant(error) |)* $($(Self::$svariant(error) |)*)? Self::Unmodelled(error) => {
                        ::core::option::Option::Some(error)
                    }
                    $(Self::Common(common) => ::core::option::Option::Some(<$common>::service_error(common)),)?
                    Self::Request(_) => ::core::option::Option::None,
                }
            }
            #[inline]
            fn request_error(&self) -> ::core::option::Option<&$crate::RequestError> {
                match self {
                    Self::Request(error) => ::core::option::Option::Some(error),
                    _ => ::core::option::Option::None,
                }
            }
        }
        impl ::core::fmt::Display for $t {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                $crate::__private::display_operation_error(self, f)
            }
        }
        impl ::core::fmt::Debug for $t {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let (variant, field): (&str, &dyn ::core::fmt::Debug) = match self {
                    $(Self::$variant(error) => (::core::stringify!($variant), error),)*
                    $($(Self::$svariant(error) => (::core::stringify!($svariant), error),)*)?
                    $(Self::Common(common) => ("Common", {
                        let common: &$common = common;
                        common
                    }),)?
                    Self::Unmodelled(error) => ("Unmodelled", error),
                    Self::Request(error) => ("Request", error),
                };
                f.debug_tuple(variant).field(field).finish()
            }
        }
        impl ::std::error::Error for $t {
            #[inline]
            fn source(&self) -> ::core::option::Option<&(dyn ::std::error::Error + 'static)> {
                $crate::__private::operation_error_source(self)
            }
        }
        impl $t {
            /// The provider's answer, if the provider refused the request.
            #[must_use]
            #[inline]
            pub fn service_error(&self) -> ::core::option::Option<&$crate::ServiceError> {
                $crate::__private::OperationError::service_error(self)
            }
            /// The failure, if the call got no usable provider answer.
            #[must_use]
            #[inline]
            pub fn request_error(&self) -> ::core::option::Option<&$crate::RequestError> {
                $crate::__private::OperationError::request_error(self)
            }
            /// The provider's error code, if the provider refused the request.
            #[must_use]
            #[inline]
            pub fn code(&self) -> ::core::option::Option<&str> {
                self.service_error().map($crate::ServiceError::code)
            }
            /// The request id of the failed call, when the provider sent one.
            #[must_use]
            #[inline]
            pub fn request_id(&self) -> ::core::option::Option<&str> {
                $crate::__private::operation_error_request_id(self)
            }
        }
    };
}

/// Implements a service's generated `CommonError`: an enum with one `Variant(ServiceError)` per
/// common error, by code (`Variant = "Code"`) or by status alone (`status { Variant = 404 }`);
/// its `Display`, `std::error::Error`, accessors, and the classification operations use.
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_common_error {
    ($t:ident { $($variant:ident = $code:literal),* $(,)? } status { $($svariant:ident = $status:literal),* $(,)? }) => {
        impl $t {
            /// The common error a provider error is, by its code (or, without a code, by its
            /// status); the error back when it is none of them.
            #[doc(hidden)]
            pub fn __classify(error: $crate::ServiceError) -> ::core::result::Result<Self, $crate::ServiceError> {
                $(if error.code() == $code {
                    return ::core::result::Result::Ok(Self::$variant(error));
                })*
                $(if error.code().is_empty() && error.status() == $status {
                    return ::core::result::Result::Ok(Self::$svariant(error));
                })*
                ::core::result::Result::Err(error)
            }
            /// The provider's answer.
            #[must_use]
            pub fn service_error(&self) -> &$crate::ServiceError {
                match self {
                    $(Self::$variant(error) => error,)*
                    $(Self::$svariant(error) => error,)*
                }
            }
            /// The provider's error code (empty for an error told apart by its status).
            #[must_use]
            pub fn code(&self) -> &str {
                self.service_error().code()
            }
            /// The request id of the failed call, when the provider sent one.
            #[must_use]
            pub fn request_id(&self) -> ::core::option::Option<&str> {
                self.service_error().request_id()
            }
        }
        impl ::core::fmt::Display for $t {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(self.service_error(), f)
            }
        }
        impl ::std::error::Error for $t {}
    };
}
