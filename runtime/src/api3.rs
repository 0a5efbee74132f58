//! The Tencent Cloud API 3.0 protocol (`protocol: tencent_api3`): what a call sends besides its
//! signature, and the `{"Response": {...}}` envelope of every answer.
//!
//! Sources: the API 3.0 "Signature v3", "Common Params" and "Responses" docs
//! (<https://tencentcloud.com/document/api/614/42761>, `.../614/42758`, `.../614/42763`) and the
//! official Python SDK (`TencentCloud/tencentcloud-sdk-python` at `bf297176`,
//! `tencentcloud/common/abstract_client.py` `_build_req_with_tc3_signature` and `_check_error`).
//!
//! - `POST /` with the operation's parameters as a JSON object (`{}` when it has none), sent as
//!   `Content-Type: application/json`, the value the SDK sends for POST (the doc's worked
//!   example signs `application/json; charset=utf-8`; the server checks whichever is signed).
//! - `X-TC-Action`, `X-TC-Version` and `X-TC-Region` (the SDK sends the region whenever the
//!   client has one); `X-TC-Timestamp` and `X-TC-Token` come with the signature.
//! - Success: `{"Response": {<fields>, "RequestId": "..."}}`; failure, **with HTTP 200**:
//!   `{"Response": {"Error": {"Code": "...", "Message": "..."}, "RequestId": "..."}}`.

use serde_json::Value;

use crate::envelope::Parsed;
use crate::sign::SignableRequest;

/// The content type of every call, as the official SDK sends it for POST.
pub const CONTENT_TYPE: &str = "application/json";

/// Adds the protocol's headers to `req`, and `{}` as the body of an operation without
/// parameters.
pub(crate) fn prepare(req: &mut SignableRequest, action: &str, version: &str, region: &str) {
    if req.body.is_empty() {
        req.body = b"{}".to_vec();
    }
    if req.header("content-type").is_none() {
        req.headers.push(("Content-Type".to_owned(), CONTENT_TYPE.to_owned()));
    }
    req.headers.push(("X-TC-Action".to_owned(), action.to_owned()));
    req.headers.push(("X-TC-Version".to_owned(), version.to_owned()));
    req.headers.push(("X-TC-Region".to_owned(), region.to_owned()));
}

/// The error a body reports in `Response.Error`, whatever the HTTP status.
#[must_use]
pub fn error(body: &[u8]) -> Option<Parsed> {
    let json: Value = serde_json::from_slice(body).ok()?;
    let response = json.get("Response")?;
    let error = response.get("Error")?;
    Some(Parsed {
        code: text(error.get("Code"))?,
        message: text(error.get("Message")).unwrap_or_default(),
        request_id: text(response.get("RequestId")),
    })
}

/// The object inside `Response` of a success body, and its `RequestId`.
///
/// # Errors
/// The body is not JSON, or has no `Response` object.
pub(crate) fn unwrap(body: &[u8]) -> Result<(Value, Option<String>), UnwrapError> {
    let mut json: Value = serde_json::from_slice(body).map_err(UnwrapError::Json)?;
    match json.get_mut("Response").map(Value::take) {
        Some(response @ Value::Object(_)) => {
            let request_id = text(response.get("RequestId"));
            Ok((response, request_id))
        }
        _ => Err(UnwrapError::NoResponse),
    }
}

/// Why a success body could not be unwrapped.
#[derive(Debug, thiserror::Error)]
pub(crate) enum UnwrapError {
    /// Not JSON.
    #[error("the body is not JSON")]
    Json(#[source] serde_json::Error),
    /// No `Response` object.
    #[error("the body has no `Response` object (Tencent Cloud API 3.0 envelope)")]
    NoResponse,
}

fn text(value: Option<&Value>) -> Option<String> {
    value?.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prepare_adds_headers_and_an_empty_object() {
        let mut req = SignableRequest::default();
        prepare(&mut req, "RetryShipperTask", "2020-10-16", "ap-guangzhou");
        assert_eq!(req.body, b"{}");
        assert_eq!(req.header("content-type"), Some("application/json"));
        assert_eq!(req.header("x-tc-action"), Some("RetryShipperTask"));
        assert_eq!(req.header("x-tc-version"), Some("2020-10-16"));
        assert_eq!(req.header("x-tc-region"), Some("ap-guangzhou"));
        let mut with_body = SignableRequest { body: b"{\"A\":1}".to_vec(), ..SignableRequest::default() };
        prepare(&mut with_body, "A", "v", "r");
        assert_eq!(with_body.body, b"{\"A\":1}");
    }

    #[test]
    fn envelopes() {
        let failed = br#"{"Response":{"Error":{"Code":"FailedOperation.ShipperTaskNotToRetry","Message":"no"},"RequestId":"R1"}}"#;
        let parsed = error(failed).expect("an error");
        assert_eq!(
            (parsed.code.as_str(), parsed.message.as_str(), parsed.request_id.as_deref()),
            ("FailedOperation.ShipperTaskNotToRetry", "no", Some("R1"))
        );
        let ok = br#"{"Response":{"Tasks":null,"RequestId":"R2"}}"#;
        assert!(error(ok).is_none());
        let (inner, id) = unwrap(ok).expect("unwraps");
        assert_eq!(inner, serde_json::json!({"Tasks": null, "RequestId": "R2"}));
        assert_eq!(id.as_deref(), Some("R2"));
        assert!(matches!(unwrap(b"{\"Tasks\":[]}"), Err(UnwrapError::NoResponse)));
        assert!(matches!(unwrap(b"<html>"), Err(UnwrapError::Json(_))));
        assert!(error(b"<html>").is_none());
    }
}
