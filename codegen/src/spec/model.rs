//! Stage 1 output: the spec files as written, one struct per construct of the format.
//!
//! Nothing is resolved or renamed here; every value keeps its span. specs/README.md documents
//! each key; the field comments below name the key they hold.

use std::collections::HashMap;

use crate::source::{FileId, Span};
use crate::spec::reader::{Keyword, Spanned};
use crate::spec::types::TypeExpr;
use crate::spec::yaml::Node;

macro_rules! keywords {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $word:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vdoc])* $variant,)* }
        impl Keyword for $name {
            const WORDS: &'static [(&'static str, Self)] = &[$(($word, Self::$variant),)*];
        }
        impl $name {
            /// The word as written in specs.
            #[must_use]
            pub fn word(self) -> &'static str {
                match self { $(Self::$variant => $word,)* }
            }
        }
    };
}

pub(crate) use keywords;

keywords!(
    /// `provider`: the cloud, and the cargo feature that enables its services.
    Provider { /// Alibaba Cloud.
        Alibaba = "alibaba", /// Huawei Cloud.
        Huawei = "huawei", /// Tencent Cloud.
        Tencent = "tencent", }
);
keywords!(
    /// `protocol`.
    Protocol { /// Alibaba RPC: Action and Version in the query.
        Rpc = "rpc", /// Method and path per operation.
        Rest = "rest", /// Tencent Cloud API 3.0: `POST /` with a JSON body, the action in `X-TC-Action`.
        TencentApi3 = "tencent_api3", }
);
keywords!(
    /// `signing`.
    Signing { /// Alibaba ACS3-HMAC-SHA256.
        Acs3HmacSha256 = "acs3_hmac_sha256", /// Alibaba RPC V1 HMAC-SHA1.
        RpcHmacSha1 = "rpc_hmac_sha1", /// Huawei SDK-HMAC-SHA256 AK/SK.
        HuaweiSdkHmacSha256 = "huawei_sdk_hmac_sha256", /// Huawei IAM token.
        HuaweiToken = "huawei_token", /// Tencent CLS q-sign-algorithm=sha1.
        TencentQSignSha1 = "tencent_q_sign_sha1", /// Tencent Cloud API 3.0 TC3-HMAC-SHA256.
        TencentTc3HmacSha256 = "tencent_tc3_hmac_sha256", }
);
keywords!(
    /// `error_envelope`.
    Envelope { /// `{Code, Message, RequestId}`.
        Alibaba = "alibaba", /// `{error_code, error_msg}`.
        Huawei = "huawei", /// `{errorCode, message}`.
        HuaweiDis = "huawei_dis", /// `{errorcode, errormessage}`.
        TencentCls = "tencent_cls", /// `{"Response": {"Error": {Code, Message}, RequestId}}`, also inside HTTP 200.
        TencentApi3 = "tencent_api3", }
);
keywords!(
    /// `http.method`.
    Method { /// GET.
        Get = "GET", /// POST.
        Post = "POST", /// PUT.
        Put = "PUT", /// DELETE.
        Delete = "DELETE", }
);
keywords!(
    /// `idempotency`.
    Idempotency { /// No side effect.
        Read = "read", /// Creates; retried only with the same token.
        Token = "token", /// Never retried.
        Unsafe = "unsafe", }
);
keywords!(
    /// Parameter `in`.
    ParamIn { /// A `{name}` of the path.
        Path = "path", /// Query string.
        Query = "query", /// Request header.
        Header = "header", /// Top-level key of the JSON body.
        Body = "body", }
);
keywords!(
    /// Parameter `source`.
    ParamSource { /// A request field.
        Caller = "caller", /// Filled from token credentials.
        AuthToken = "auth_token", /// Filled from the configured project id.
        ProjectId = "project_id", }
);
keywords!(
    /// Field `shape`.
    Shape { /// An array that may arrive as a single object.
        OneOrMany = "one_or_many", /// A string that may arrive as a number.
        StringOrNumber = "string_or_number", }
);
keywords!(
    /// Pagination `style`.
    PageStyle { /// Page number and page size; the next page is the next number.
        PageNumber = "page_number", /// Offset and limit; the next offset is past the items received.
        Offset = "offset", /// The last item's field is sent back as the marker of the next page.
        Marker = "marker", /// The response carries the token of the next page.
        Token = "token", }
);
keywords!(
    /// A form of a `time` field (`forms`).
    TimeForm { /// RFC 3339 with an offset.
        Rfc3339 = "rfc3339", /// A date-time without a zone, in the field's or the service's zone.
        LocalDateTime = "local_datetime", /// Seconds since the epoch, a number or a numeric string.
        EpochSeconds = "epoch_seconds", /// Milliseconds since the epoch, a number or a numeric string.
        EpochMillis = "epoch_millis", }
);
keywords!(
    /// Enum `kind`.
    EnumKind { /// String values.
        String = "string", /// Integer values.
        Integer = "integer", }
);
keywords!(
    /// Constraint `charset`.
    Charset { /// ASCII only.
        Ascii = "ascii", /// Letters and digits only.
        Alphanumeric = "alphanumeric", }
);

impl Envelope {
    /// The JSON key of the error code in this envelope.
    #[must_use]
    pub fn code_key(self) -> &'static str {
        match self {
            // API 3.0 nests it in `Response.Error`.
            Self::Alibaba | Self::TencentApi3 => "Code",
            Self::Huawei => "error_code",
            Self::HuaweiDis => "errorCode",
            Self::TencentCls => "errorcode",
        }
    }
}

/// `correction`: what the source document got wrong, and the source of the fact.
#[derive(Clone, Debug, PartialEq)]
pub struct Correction {
    /// `page`.
    pub page: Spanned<String>,
    /// `fact`.
    pub fact: Spanned<String>,
    /// `source`.
    pub source: Spanned<String>,
}

/// `constraints`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// `min_length`.
    pub min_length: Option<Spanned<i64>>,
    /// `max_length`.
    pub max_length: Option<Spanned<i64>>,
    /// `minimum`.
    pub minimum: Option<Spanned<i64>>,
    /// `maximum`.
    pub maximum: Option<Spanned<i64>>,
    /// `charset`.
    pub charset: Option<Spanned<Charset>>,
    /// `pattern`.
    pub pattern: Option<Spanned<String>>,
}

/// A request parameter or a response/type field (the keys allowed differ, see the README).
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// `name`: the wire name.
    pub name: Spanned<String>,
    /// `in` (parameters only).
    pub location: Option<Spanned<ParamIn>>,
    /// `type`.
    pub ty: Spanned<String>,
    /// `items`.
    pub items: Option<Spanned<String>>,
    /// `required`.
    pub required: Spanned<bool>,
    /// `description`.
    pub description: Option<Spanned<String>>,
    /// `constraints`.
    pub constraints: Constraints,
    /// `default`.
    pub default: Option<Node>,
    /// `example`.
    pub example: Option<Node>,
    /// `source` (parameters only).
    pub source: Option<Spanned<ParamSource>>,
    /// `allow_empty` (parameters only).
    pub allow_empty: Option<Spanned<bool>>,
    /// `shape` (fields only).
    pub shape: Option<Spanned<Shape>>,
    /// `rust_name`.
    pub rust_name: Option<Spanned<String>>,
    /// `correction`.
    pub correction: Option<Correction>,
    /// `forms` (with `type: time`).
    pub forms: Vec<Spanned<TimeForm>>,
    /// Where `forms` was written.
    pub forms_span: Option<Span>,
    /// `time_zone` (times without a zone).
    pub time_zone: Option<Spanned<String>>,
}

/// An entry of `types`.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    /// `name`.
    pub name: Spanned<String>,
    /// `description`.
    pub description: Option<Spanned<String>>,
    /// `fields`.
    pub fields: Vec<Field>,
    /// `correction`.
    pub correction: Option<Correction>,
}

/// A value of an enum.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumValue {
    /// `value`.
    pub value: Node,
    /// `name`.
    pub name: Option<Spanned<String>>,
    /// `description`.
    pub description: Option<Spanned<String>>,
}

/// An entry of `enums`.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumDef {
    /// `name`.
    pub name: Spanned<String>,
    /// `kind`.
    pub kind: Spanned<EnumKind>,
    /// `description`.
    pub description: Option<Spanned<String>>,
    /// `values`.
    pub values: Vec<EnumValue>,
    /// `correction`.
    pub correction: Option<Correction>,
}

/// An entry of `errors`.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorDef {
    /// Where the entry starts (its first key).
    pub span: Span,
    /// `code`; absent for an error documented by its HTTP status alone.
    pub code: Option<Spanned<String>>,
    /// `status`.
    pub status: Spanned<i64>,
    /// `message`.
    pub message: Option<Spanned<String>>,
    /// `description`.
    pub description: Option<Spanned<String>>,
    /// `rust_name`.
    pub rust_name: Option<Spanned<String>>,
}

/// An entry of `examples`.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// `name`.
    pub name: Spanned<String>,
    /// `description`.
    pub description: Option<Spanned<String>>,
    /// `request`.
    pub request: Option<Node>,
    /// `response.status`.
    pub status: Spanned<i64>,
    /// `response.body`.
    pub body: Node,
    /// `correction`.
    pub correction: Option<Correction>,
}

/// `waiter`.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiter {
    /// `status`.
    pub status: Spanned<String>,
    /// `running`.
    pub running: Vec<Node>,
    /// `succeeded`.
    pub succeeded: Vec<Node>,
    /// `failed`.
    pub failed: Vec<Node>,
    /// `progress`.
    pub progress: Option<Spanned<String>>,
}

/// `pagination`. Which keys a style needs is the check stage's business: every key is read
/// here, so a key of another style is reported there with the style it belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    /// The mapping's first key, where missing keys are reported.
    pub span: Span,
    /// `style`.
    pub style: Spanned<PageStyle>,
    /// `items`.
    pub items: Spanned<String>,
    /// `page_size`.
    pub page_size: Option<Spanned<String>>,
    /// `total`.
    pub total: Option<Spanned<String>>,
    /// `page_number` (style `page_number`).
    pub page_number: Option<Spanned<String>>,
    /// `first_page` (style `page_number`).
    pub first_page: Option<Spanned<i64>>,
    /// `offset` (style `offset`).
    pub offset: Option<Spanned<String>>,
    /// `first_offset` (style `offset`).
    pub first_offset: Option<Spanned<i64>>,
    /// `marker` (style `marker`).
    pub marker: Option<Spanned<String>>,
    /// `marker_field` (style `marker`).
    pub marker_field: Option<Spanned<String>>,
    /// `token` (style `token`).
    pub token: Option<Spanned<String>>,
    /// `next_token` (style `token`).
    pub next_token: Option<Spanned<String>>,
}

/// `authorization`.
#[derive(Clone, Debug, PartialEq)]
pub struct Authorization {
    /// `action`.
    pub action: Spanned<String>,
    /// `access_level`.
    pub access_level: Option<Spanned<String>>,
    /// `resource_type`.
    pub resource_type: Option<Spanned<String>>,
}

/// An entry of `sources`.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceNote {
    /// `fact`.
    pub fact: Spanned<String>,
    /// `source`.
    pub source: Spanned<String>,
}

/// An entry of `endpoints`: a host a caller may choose instead of `endpoint`.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedEndpoint {
    /// `name`.
    pub name: Spanned<String>,
    /// `host`.
    pub host: Spanned<String>,
    /// `description`.
    pub description: Option<Spanned<String>>,
}

/// A `service.yaml`.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceDoc {
    /// The file.
    pub file: FileId,
    /// `provider`.
    pub provider: Spanned<Provider>,
    /// `service`.
    pub service: Spanned<String>,
    /// `title`.
    pub title: Spanned<String>,
    /// `description`.
    pub description: Option<Spanned<String>>,
    /// `api_version`.
    pub api_version: Option<Spanned<String>>,
    /// `protocol`.
    pub protocol: Spanned<Protocol>,
    /// `endpoint`.
    pub endpoint: Spanned<String>,
    /// `endpoints`.
    pub endpoints: Vec<NamedEndpoint>,
    /// `signing`.
    pub signing: Vec<Spanned<Signing>>,
    /// Where `signing` was written (the list, or the mapping if it is missing).
    pub signing_span: Span,
    /// `error_envelope`.
    pub error_envelope: Spanned<Envelope>,
    /// `request_id_header` (required unless the protocol carries the request id in the body).
    pub request_id_header: Option<Spanned<String>>,
    /// `time_zone`.
    pub time_zone: Option<Spanned<String>>,
    /// `errors`.
    pub errors: Vec<ErrorDef>,
    /// `success_when`.
    pub success_when: Option<SuccessWhen>,
    /// `sources`.
    pub sources: Vec<SourceNote>,
    /// `resources`.
    pub resources: Vec<crate::spec::resource::Resource>,
}

/// `success_when`: the field of a 200 body that says whether the call succeeded.
#[derive(Clone, Debug, PartialEq)]
pub struct SuccessWhen {
    /// Where the mapping starts.
    pub span: Span,
    /// `field`: a top-level key of the body.
    pub field: Spanned<String>,
    /// `values`: the values (as text; numbers are compared by their digits) that mean success.
    pub values: Vec<Spanned<String>>,
}

/// An operation file.
#[derive(Clone, Debug, PartialEq)]
pub struct OperationDoc {
    /// The file.
    pub file: FileId,
    /// `operation`.
    pub operation: Spanned<String>,
    /// `seed`.
    pub seed: Spanned<String>,
    /// `summary`.
    pub summary: Spanned<String>,
    /// `description`.
    pub description: Option<Spanned<String>>,
    /// `authorization`.
    pub authorization: Option<Authorization>,
    /// `http.method`.
    pub method: Spanned<Method>,
    /// `http.path`.
    pub path: Spanned<String>,
    /// `http.content_type`: the request's Content-Type when it is not the signer's default.
    pub content_type: Option<Spanned<String>>,
    /// `idempotency`.
    pub idempotency: Spanned<Idempotency>,
    /// `idempotency_token`.
    pub idempotency_token: Option<Spanned<String>>,
    /// `request.description`.
    pub request_description: Option<Spanned<String>>,
    /// `request.params`.
    pub params: Vec<Field>,
    /// `response.description`.
    pub response_description: Option<Spanned<String>>,
    /// `response.fields`.
    pub response: Vec<Field>,
    /// `types`, followed by the service's shared types (see [`OperationDoc::own_types`]).
    pub types: Vec<TypeDef>,
    /// `enums`, followed by the service's shared enums (see [`OperationDoc::own_enums`]).
    pub enums: Vec<EnumDef>,
    /// How many of `types` this file declares (the rest come from the service's `types.yaml`).
    pub own_types: usize,
    /// How many of `enums` this file declares.
    pub own_enums: usize,
    /// `errors`.
    pub errors: Vec<ErrorDef>,
    /// `examples`.
    pub examples: Vec<Example>,
    /// `waiter`.
    pub waiter: Option<Waiter>,
    /// `pagination`.
    pub pagination: Option<Pagination>,
    /// The names of `types` and `enums` (the first definition of a name wins), for resolving
    /// `type:` without a search: see [`crate::spec::types::index`].
    pub names: HashMap<String, TypeExpr>,
}

impl OperationDoc {
    /// The types this file declares.
    #[must_use]
    pub fn own_types(&self) -> &[TypeDef] {
        self.types.get(..self.own_types).unwrap_or(&self.types)
    }

    /// The enums this file declares.
    #[must_use]
    pub fn own_enums(&self) -> &[EnumDef] {
        self.enums.get(..self.own_enums).unwrap_or(&self.enums)
    }

    /// Whether the type at this index of `types` is one of the service's shared types.
    #[must_use]
    pub fn is_shared_type(&self, index: usize) -> bool {
        index >= self.own_types
    }

    /// Whether the enum at this index of `enums` is one of the service's shared enums.
    #[must_use]
    pub fn is_shared_enum(&self, index: usize) -> bool {
        index >= self.own_enums
    }

    /// Appends the service's shared types and enums after this file's own, so every name
    /// resolves in one place; a name this file defines itself keeps its own definition (the
    /// check stage reports the conflict).
    pub fn add_shared(&mut self, shared: &OperationDoc) {
        self.types.extend(shared.types.iter().cloned());
        self.enums.extend(shared.enums.iter().cloned());
        self.names = crate::spec::types::index(&self.types, &self.enums);
    }
}

/// One service: its `service.yaml`, its shared types and its operation files, sorted by
/// operation name.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceSpec {
    /// The service file.
    pub service: ServiceDoc,
    /// The `types.yaml` beside it, read as a scope of types and enums without an operation
    /// (its `operation` is `types`, its request and response empty).
    pub shared: Option<OperationDoc>,
    /// The operations.
    pub operations: Vec<OperationDoc>,
}
