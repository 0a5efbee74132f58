//! How generated operations describe themselves to the runtime: static service and operation
//! facts, and a [`RequestWriter`] that collects the parameters of one request.

use std::fmt::Display;

use crate::error::{Excerpt, ValidationError, Violation};
use crate::{Provider, Signing};

/// Wire protocol of a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// Alibaba RPC: `Action` and `Version` travel with the parameters.
    Rpc,
    /// Method and path per operation.
    Rest,
    /// Tencent Cloud API 3.0: `POST /` with a JSON body, the action in `X-TC-Action`.
    TencentApi3,
}

/// Error body format of a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Envelope {
    /// `{RequestId, HostId, Code, Message, Recommend}`.
    Alibaba,
    /// `{error_code, error_msg}`.
    Huawei,
    /// `{errorCode, message}` (DIS), with API Gateway errors in the Huawei shape.
    HuaweiDis,
    /// `{errorcode, errormessage}`.
    TencentCls,
    /// `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`, also inside HTTP 200.
    TencentApi3,
}

/// HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// DELETE.
    Delete,
}

impl Method {
    /// Upper-case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
        }
    }
}

/// When an operation may be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetrySafety {
    /// No side effect: retry on any transient failure.
    Read,
    /// Creates something, identified by an idempotency token kept across attempts.
    Token,
    /// Retry only when the provider refused the request before acting (throttling).
    Unsafe,
}

/// Static facts of a service, generated from its `service.yaml`.
#[derive(Debug)]
pub struct ServiceSpec {
    /// The provider.
    pub provider: Provider,
    /// Short name (`actiontrail`).
    pub name: &'static str,
    /// API version (RPC).
    pub api_version: Option<&'static str>,
    /// Wire protocol.
    pub protocol: Protocol,
    /// Host template, with `{region}` unless the protocol sends the region itself.
    pub endpoint: &'static str,
    /// Other hosts a caller may choose with `Config::named_endpoint`.
    pub endpoints: &'static [NamedEndpoint],
    /// Accepted signers, the default first.
    pub signing: &'static [Signing],
    /// Error body format.
    pub envelope: Envelope,
    /// Response header carrying the request id (none when the body carries it: Tencent Cloud
    /// API 3.0).
    pub request_id_header: Option<&'static str>,
    /// The field of a 200 body that says whether the call succeeded.
    pub success_when: Option<SuccessWhen>,
}

impl ServiceSpec {
    /// The service's name in signatures that carry one (the Tencent API 3.0 credential scope):
    /// the first label of the default host, as the official SDK's `_service` is that of
    /// `_endpoint` (`cls` of `cls.tencentcloudapi.com`).
    #[must_use]
    pub fn signing_name(&self) -> &'static str {
        let end = self.endpoint.bytes().position(|b| b == b'.').unwrap_or(self.endpoint.len());
        self.endpoint.get(..end).unwrap_or_default()
    }
}

/// A service whose 200 answers can still be refusals: the body's `field` holds one of `values`
/// (compared as text: a number by its digits) on success, another value on a refusal; an absent
/// or `null` field means success.
#[derive(Debug)]
pub struct SuccessWhen {
    /// A top-level key of the body.
    pub field: &'static str,
    /// The values meaning success.
    pub values: &'static [&'static str],
}

impl SuccessWhen {
    /// The value of the field in `body` when it says the call failed, as text.
    #[must_use]
    pub fn refusal(&self, body: &[u8]) -> Option<String> {
        let json: serde_json::Value = serde_json::from_slice(body).ok()?;
        let text = match json.get(self.field)? {
            serde_json::Value::Null => return None,
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        (!self.values.contains(&text.as_str())).then_some(text)
    }
}

/// A host of a service that a caller may choose by name instead of the default (an intranet
/// domain, say), from the service's `endpoints`.
#[derive(Debug)]
pub struct NamedEndpoint {
    /// The name callers pass to `Config::named_endpoint`.
    pub name: &'static str,
    /// Host template with `{region}`.
    pub host: &'static str,
}

/// Static facts of an operation, generated from its spec.
#[derive(Debug)]
pub struct OperationSpec {
    /// Its service.
    pub service: &'static ServiceSpec,
    /// The provider's name (`GetDeliveryHistoryJob`).
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template with `{name}` placeholders.
    pub path: &'static str,
    /// Retry safety.
    pub retry: RetrySafety,
    /// Wire names of the required parameters, in the order the builder numbers them.
    pub required: &'static [&'static str],
    /// HTTP statuses of documented errors without a code: a body without a code at one of
    /// them is that error.
    pub status_errors: &'static [u16],
}

/// The most bytes one path or query value may take once percent-encoded. Gateways refuse request
/// lines much past 8 KiB (and the HTTP stack cannot build a URL of 64 KiB at all), so a longer
/// value is refused before sending, against its parameter, rather than failing on the wire.
pub const MAX_URL_VALUE_BYTES: usize = 8192;

/// The parameters of one request, in the order the operation writes them.
#[derive(Debug, Default)]
pub struct RequestWriter {
    pub(crate) path_params: Vec<(&'static str, String)>,
    pub(crate) project_id_param: Option<&'static str>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) problems: Vec<Violation>,
}

impl RequestWriter {
    /// A `{name}` of the path.
    pub fn path(&mut self, name: &'static str, value: &dyn Display) {
        self.path_params.push((name, value.to_string()));
    }

    /// A `{name}` of the path filled with the configured project id.
    pub fn project_id_path(&mut self, name: &'static str) {
        self.project_id_param = Some(name);
    }

    /// A query parameter.
    pub fn query(&mut self, name: &str, value: &dyn Display) {
        self.query.push((name.to_owned(), value.to_string()));
    }

    /// A request header; a value HTTP cannot carry in a header is a problem of its parameter.
    pub fn header(&mut self, name: &str, value: &dyn Display) {
        let value = value.to_string();
        if let Some(problem) = header_value_problem(&value) {
            // Header values may be credentials: the rule is shown, never the value.
            self.problems
                .push(Violation { field: name.to_owned(), rule: format!("cannot be sent in a header: {problem}") });
        }
        self.headers.push((name.to_owned(), value));
    }

    /// A query parameter, when it is set.
    pub fn optional_query<T: Display>(&mut self, name: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.query(name, value);
        }
    }

    /// A request header, when it is set.
    pub fn optional_header<T: Display>(&mut self, name: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.header(name, value);
        }
    }

    /// The Content-Type the operation's spec declares (`http.content_type`), sent and signed
    /// instead of the signer's default.
    pub fn content_type(&mut self, value: &'static str) {
        self.headers.push(("Content-Type".to_owned(), value.to_owned()));
    }

    /// The JSON body (the body parameters of the request).
    pub fn json_body<T: serde::Serialize>(&mut self, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(bytes),
            Err(e) => self
                .problems
                .push(Violation { field: "(body)".to_owned(), rule: format!("cannot be encoded as JSON: {e}") }),
        }
    }

    /// The path with every placeholder replaced by its percent-encoded value; a value can
    /// never add or remove a path segment.
    pub(crate) fn fill_path(&self, template: &str, project_id: Option<&str>) -> Result<String, ValidationError> {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        let mut problems = self.problems.clone();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else { break };
            let name = &rest[open + 1..open + close];
            let value = if self.project_id_param == Some(name) {
                project_id
            } else {
                self.path_params.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
            };
            match value {
                None => {
                    problems.push(Violation { field: name.to_owned(), rule: "is required but was not set".to_owned() })
                }
                Some("" | "." | "..") => problems.push(Violation {
                    field: name.to_owned(),
                    rule: "must not be empty, \".\" or \"..\" (it is a path segment)".to_owned(),
                }),
                Some(v) => {
                    // Encoded straight into the path, then measured there.
                    let start = out.len();
                    crate::sign::encode::push_path_segment(&mut out, v);
                    if let Some(rule) = too_long(v, out.len() - start) {
                        problems.push(Violation { field: name.to_owned(), rule });
                    }
                }
            }
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        for (name, value) in &self.query {
            if let Some(rule) = too_long(value, crate::sign::encode::encoded_len(value.as_bytes())) {
                problems.push(Violation { field: name.clone(), rule });
            }
        }
        if problems.is_empty() { Ok(out) } else { Err(ValidationError::new(problems)) }
    }
}

/// The rule a path or query value breaks when it takes more than [`MAX_URL_VALUE_BYTES`]
/// encoded, with a bounded excerpt of the value.
fn too_long(value: &str, encoded: usize) -> Option<String> {
    (encoded > MAX_URL_VALUE_BYTES).then(|| {
        format!(
            "is {encoded} bytes once percent-encoded, over the {MAX_URL_VALUE_BYTES} a URL value may take \
             (gateways refuse longer request lines): {}",
            Excerpt(value)
        )
    })
}

/// Why `value` cannot be an HTTP header value, if it cannot: HTTP allows no control character
/// but tab (a line break would end the header, or smuggle another one).
pub(crate) fn header_value_problem(value: &str) -> Option<String> {
    let (at, c) = value.char_indices().find(|(_, c)| c.is_ascii_control() && *c != '\t')?;
    let what = if matches!(c, '\r' | '\n') { "a line break" } else { "a control character" };
    Some(format!("it holds {what} (U+{:04X}) at byte {at}; HTTP header values cannot carry one", u32::from(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signing_name_is_the_first_label_of_the_host() {
        let spec = |endpoint| ServiceSpec {
            provider: crate::Provider::Tencent,
            name: "cls3",
            api_version: None,
            protocol: Protocol::TencentApi3,
            endpoint,
            endpoints: &[],
            signing: &[],
            envelope: Envelope::TencentApi3,
            request_id_header: None,
            success_when: None,
        };
        assert_eq!(spec("cls.tencentcloudapi.com").signing_name(), "cls");
        assert_eq!(spec("localhost").signing_name(), "localhost");
        assert_eq!(spec(".example.com").signing_name(), "");
    }

    #[test]
    fn path_values_cannot_change_the_path() {
        let mut w = RequestWriter::default();
        w.path("task_id", &"../x");
        w.path("id", &"a/b c");
        let path = w.fill_path("/v1/{task_id}/logs/{id}", None).expect("filled");
        assert_eq!(path, "/v1/..%2Fx/logs/a%2Fb%20c");
        let mut w = RequestWriter::default();
        w.path("task_id", &"..");
        let err = w.fill_path("/v1/{task_id}", None).expect_err("dot-dot");
        assert_eq!(err.violations()[0].field, "task_id");
        let mut w = RequestWriter::default();
        w.project_id_path("project_id");
        assert_eq!(w.fill_path("/v3/{project_id}/x", Some("p1")).expect("project"), "/v3/p1/x");
        assert!(w.fill_path("/v3/{project_id}/x", None).is_err());
    }

    #[test]
    fn values_the_wire_cannot_carry_name_their_parameter() {
        let mut w = RequestWriter::default();
        w.path("id", &"x".repeat(MAX_URL_VALUE_BYTES));
        w.query("Tag", &"é".repeat(MAX_URL_VALUE_BYTES / 6));
        assert!(w.fill_path("/v1/{id}", None).is_ok(), "at the limit once encoded");
        let mut w = RequestWriter::default();
        w.path("id", &"/".repeat(3000));
        w.query("Tag", &"t".repeat(MAX_URL_VALUE_BYTES + 1));
        w.header("X-Trace", &"a\r\nX-Injected: 1");
        let err = w.fill_path("/v1/{id}", None).expect_err("too long and a line break");
        let fields: Vec<&str> = err.violations().iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["X-Trace", "id", "Tag"]);
        let shown = err.to_string();
        assert!(shown.contains("is 9000 bytes once percent-encoded") && shown.contains("(3000 bytes)"), "{shown}");
        assert!(shown.contains("a line break (U+000D) at byte 1"), "{shown}");
        assert!(!shown.contains("X-Injected"), "a header value is never shown: {shown}");
        assert!(shown.len() < 1_500, "{shown}");
    }
}
