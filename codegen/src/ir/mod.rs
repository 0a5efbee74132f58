//! Stage 3 output: the resolved model the emitters read. This is the contract between the
//! spec format and the generated Rust.
//!
//! Every name here is final (decided in [`names`]); every type reference is resolved; docs are
//! assembled and sanitized lines. Order is the specs' order (operations sorted by name), so
//! output is deterministic. Nothing here refers to YAML or to `syn`.

mod docs;
mod lower;
pub mod names;

pub use lower::lower;

pub use crate::spec::model::{
    EnumKind, Envelope, Idempotency, Method, ParamIn, ParamSource, Protocol, Provider, Signing, TimeForm,
};

/// Everything to generate.
#[derive(Clone, Debug, PartialEq)]
pub struct Api {
    /// Services, sorted by provider and name.
    pub services: Vec<Service>,
}

/// One service: one generated file.
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// The provider (and cargo feature).
    pub provider: Provider,
    /// Module name (`actiontrail`).
    pub module: String,
    /// Module documentation.
    pub docs: Vec<String>,
    /// API version sent with RPC calls.
    pub api_version: Option<String>,
    /// Wire protocol.
    pub protocol: Protocol,
    /// Host template (with `{region}` unless the protocol sends the region itself).
    pub endpoint: String,
    /// Other hosts a caller may choose by name: `(name, host template)`.
    pub endpoints: Vec<(String, String)>,
    /// Accepted signers, the default first.
    pub signing: Vec<Signing>,
    /// Error body format.
    pub envelope: Envelope,
    /// Response header with the request id.
    pub request_id_header: Option<String>,
    /// UTC offset of `local_datetime` values, in seconds.
    pub utc_offset_seconds: Option<i32>,
    /// Object types shared by the operations (from `types.yaml`), in the `types` module.
    pub types: Vec<Struct>,
    /// Enums shared by the operations, in the `types` module.
    pub enums: Vec<Enum>,
    /// The service's common errors (`errors` of service.yaml): the `CommonError` enum.
    pub common_errors: Vec<ErrorVariant>,
    /// The field of a 200 body that says whether the call succeeded.
    pub success_when: Option<SuccessWhen>,
    /// Operations, sorted by wire name.
    pub operations: Vec<Operation>,
    /// Spec files this service was generated from, service file first.
    pub files: Vec<String>,
}

/// One operation: one generated module.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// The provider's name (`GetDeliveryHistoryJob`).
    pub wire_name: String,
    /// Module and client method name (`get_delivery_history_job`).
    pub module: String,
    /// Documentation of the module and the client method.
    pub docs: Vec<String>,
    /// HTTP method.
    pub method: Method,
    /// Path template.
    pub path: String,
    /// The request's Content-Type, where the spec declares one (else the signer's default).
    pub content_type: Option<String>,
    /// Retry safety.
    pub idempotency: Idempotency,
    /// Rust name of the idempotency token field.
    pub token_field: Option<String>,
    /// Request fields (parameters filled by the client are not here).
    pub request: Vec<Field>,
    /// Parameters the client fills itself (documented for completeness).
    pub implicit: Vec<Field>,
    /// Response fields.
    pub response: Vec<Field>,
    /// Response documentation.
    pub response_docs: Vec<String>,
    /// Named object types.
    pub types: Vec<Struct>,
    /// Named enums.
    pub enums: Vec<Enum>,
    /// Names of the service's shared types and enums this operation's fields name, re-exported
    /// from the service's `types` module.
    pub shared: Vec<String>,
    /// Error variants of the operation's own documented errors.
    pub errors: Vec<ErrorVariant>,
    /// Whether the service has common errors (the `Common` variant).
    pub common_errors: bool,
    /// HTTP statuses of the operation's and the service's errors without a code, sorted: a
    /// body without a code at one of them is that error.
    pub status_errors: Vec<u16>,
    /// Documented example responses.
    pub examples: Vec<Example>,
    /// Task status polling.
    pub waiter: Option<Waiter>,
    /// Page-numbered listing.
    pub pagination: Option<Pagination>,
    /// The path of its spec file, as read (its crate: [`crate::part`]).
    pub file: String,
}

/// A struct field or request parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// JSON key or parameter name.
    pub wire_name: String,
    /// Rust field name.
    pub rust_name: String,
    /// Rust type (without the `Option` for optional fields).
    pub ty: RustType,
    /// Whether the value is always present.
    pub required: bool,
    /// Documentation lines.
    pub docs: Vec<String>,
    /// Where a request parameter travels; `None` for response fields.
    pub location: Option<ParamIn>,
    /// Who supplies a request parameter.
    pub source: ParamSource,
    /// Checks before sending.
    pub constraints: Constraints,
}

/// Resolved constraints.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// Minimum length in characters (or items).
    pub min_length: Option<u64>,
    /// Maximum length in characters (or items).
    pub max_length: Option<u64>,
    /// Smallest allowed value.
    pub minimum: Option<i64>,
    /// Largest allowed value.
    pub maximum: Option<i64>,
    /// Only ASCII characters.
    pub ascii: bool,
    /// Only ASCII letters and digits.
    pub alphanumeric: bool,
    /// A regular expression the whole value matches.
    pub pattern: Option<String>,
    /// Whether an empty value is refused.
    pub empty: EmptyRule,
}

/// Whether a string parameter may be empty.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EmptyRule {
    /// Anything goes (optional parameters, `allow_empty: true`, or a `min_length` that checks it).
    #[default]
    Allowed,
    /// A required string parameter: not empty.
    NotEmpty,
    /// The idempotency token: neither empty nor only whitespace.
    NotBlank,
}

impl Constraints {
    /// Whether anything is checked.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A Rust type used by generated code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RustType {
    /// `String`.
    String,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// `bool`.
    Bool,
    /// RFC 3339 timestamp.
    Timestamp,
    /// Epoch milliseconds (a number or a numeric string).
    EpochMillis,
    /// Epoch seconds (a number or a numeric string).
    EpochSeconds,
    /// A date-time without a zone, with the zone's offset in seconds.
    LocalDateTime(i32),
    /// A time in one of several forms (in order), local ones in the zone of the offset.
    AnyTime(Vec<TimeForm>, i32),
    /// Any JSON.
    Json,
    /// A list.
    Vec(Box<RustType>),
    /// A list that may arrive as one object.
    OneOrMany(Box<RustType>),
    /// A string that may arrive as a number.
    StringOrNumber,
    /// A generated struct.
    Struct(String),
    /// A generated enum.
    Enum(String),
}

/// A generated struct.
#[derive(Clone, Debug, PartialEq)]
pub struct Struct {
    /// Type name.
    pub name: String,
    /// Documentation lines.
    pub docs: Vec<String>,
    /// Fields.
    pub fields: Vec<Field>,
}

/// A generated open enum.
#[derive(Clone, Debug, PartialEq)]
pub struct Enum {
    /// Type name.
    pub name: String,
    /// Documentation lines.
    pub docs: Vec<String>,
    /// Wire kind.
    pub kind: EnumKind,
    /// Known values.
    pub variants: Vec<Variant>,
}

/// A known enum value.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// Variant name.
    pub name: String,
    /// Wire value.
    pub value: WireValue,
    /// Documentation lines.
    pub docs: Vec<String>,
}

/// An enum value on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WireValue {
    /// A string value.
    Str(String),
    /// An integer value.
    Int(i64),
}

/// A documented error.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorVariant {
    /// Variant name.
    pub name: String,
    /// The provider's code; `None` for an error told apart by its HTTP status alone.
    pub code: Option<String>,
    /// The HTTP status it comes with.
    pub status: u16,
    /// Documentation lines.
    pub docs: Vec<String>,
}

/// `success_when` of a service: a 200 body whose `field` holds another value is an error.
#[derive(Clone, Debug, PartialEq)]
pub struct SuccessWhen {
    /// A top-level key of the body.
    pub field: String,
    /// The values meaning success, as text (a number compares by its digits).
    pub values: Vec<String>,
}

/// A documented example response.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// Test-friendly name (`success`).
    pub name: String,
    /// HTTP status.
    pub status: u16,
    /// The body as compact JSON.
    pub body: String,
    /// For error examples: the variant the body maps to (`Common` for a common error,
    /// `Unmodelled` if none).
    pub error_variant: Option<String>,
}

/// One step of a path through response or request fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// Rust field name.
    pub field: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// The field's type.
    pub ty: RustType,
}

/// Task status polling, from the spec's `waiter`.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiter {
    /// Path to the state field in the response.
    pub status: Vec<Step>,
    /// The state enum's name.
    pub enum_name: String,
    /// Variants meaning "still running".
    pub running: Vec<String>,
    /// Variants meaning success.
    pub succeeded: Vec<String>,
    /// Variants meaning failure.
    pub failed: Vec<String>,
    /// Path to a 0-100 progress field.
    pub progress: Option<Vec<Step>>,
}

/// A paged listing, from the spec's `pagination`.
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    /// How the next page is asked for.
    pub style: PageStyle,
    /// Path to the page size in the request.
    pub page_size: Option<Vec<Step>>,
    /// The page size the provider assumes when none is sent (the size field's `default`; 0 if none).
    pub default_page_size: i64,
    /// Path to the items in the response.
    pub items: Vec<Step>,
    /// Path to the total count in the response.
    pub total: Option<Vec<Step>>,
}

/// How a listing asks for its next page.
#[derive(Clone, Debug, PartialEq)]
pub enum PageStyle {
    /// A page number in the request.
    PageNumber {
        /// Path to the page number.
        number: Vec<Step>,
        /// Number of the first page.
        first: i64,
    },
    /// An item offset in the request.
    Offset {
        /// Path to the offset.
        offset: Vec<Step>,
        /// Offset of the first item.
        first: i64,
    },
    /// The last item's field sent back as the marker.
    Marker {
        /// Path to the marker in the request.
        marker: Vec<Step>,
        /// Path to the marker's value inside an item.
        field: Vec<Step>,
    },
    /// A next token from the response sent back.
    Token {
        /// Path to the token in the request.
        token: Vec<Step>,
        /// Path to the next token in the response.
        next: Vec<Step>,
    },
}
