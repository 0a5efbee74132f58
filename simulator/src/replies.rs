//! Answers in each provider's own shapes: the error envelopes, request ids and their headers.
//!
//! | shape | body | request id header |
//! |---|---|---|
//! | Alibaba | `{RequestId, HostId, Code, Message, Recommend}` | `x-acs-request-id` |
//! | Huawei (and API Gateway errors of every Huawei service) | `{error_code, error_msg, request_id}` | `X-Request-Id` |
//! | Huawei DIS | `{errorCode, message}` | `X-Request-Id` |
//! | Tencent CLS | `{errorcode, errormessage}` | `x-cls-requestid` |
//! | Tencent Cloud API 3.0 | `{Response: {Error: {Code, Message}, RequestId}}`, always HTTP 200 | none (in the body) |
//!
//! Sources: PROVIDERS.md sections 1.5, 2.4 and 3.4 (Alibaba API error diagnosis doc, Huawei
//! API Gateway error codes and DIS error code pages, the legacy CLS error-code doc).

use cloud_task_apis_codegen::spec::model::Envelope;
use serde_json::{Value, json};

/// The shape of an error body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `{RequestId, HostId, Code, Message, Recommend}`.
    Alibaba,
    /// `{error_code, error_msg, request_id}`: Huawei services and API Gateway.
    Huawei,
    /// `{errorCode, message}`: DIS.
    HuaweiDis,
    /// `{errorcode, errormessage}`.
    Tencent,
    /// `{Response: {Error: {Code, Message}, RequestId}}` with HTTP 200.
    TencentApi3,
}

impl Shape {
    /// The shape of a service's own errors.
    pub(crate) fn of(envelope: Envelope) -> Self {
        match envelope {
            Envelope::Alibaba => Self::Alibaba,
            Envelope::Huawei => Self::Huawei,
            Envelope::HuaweiDis => Self::HuaweiDis,
            Envelope::TencentCls => Self::Tencent,
            Envelope::TencentApi3 => Self::TencentApi3,
        }
    }

    /// The shape API Gateway errors (authentication, throttling) take in front of a service:
    /// Huawei's gateway answers in the Huawei shape for DIS too.
    pub(crate) fn gateway(envelope: Envelope) -> Self {
        match Self::of(envelope) {
            Self::HuaweiDis => Self::Huawei,
            other => other,
        }
    }

    /// A fresh request id in the provider's usual form.
    pub(crate) fn new_request_id(self) -> String {
        let id = uuid::Uuid::new_v4();
        match self {
            Self::Alibaba => id.hyphenated().to_string().to_uppercase(),
            Self::Huawei | Self::HuaweiDis => id.simple().to_string(),
            Self::Tencent | Self::TencentApi3 => id.hyphenated().to_string(),
        }
    }
}

/// An answer: status, JSON body, and the error code when it is an error.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Reply {
    /// HTTP status.
    pub status: u16,
    /// JSON body.
    pub body: Value,
    /// The error code, for the request log.
    pub code: Option<String>,
}

impl Reply {
    /// A success with `body`.
    pub(crate) fn ok(body: Value) -> Self {
        Self { status: 200, body, code: None }
    }

    /// A documented example answer (`status`, `body`), with the code read from the body for
    /// errors.
    pub(crate) fn example(status: u16, body: Value, envelope: Envelope) -> Self {
        let code = (status >= 400)
            .then(|| body.get(envelope.code_key()).or_else(|| body.get("error_code")))
            .flatten()
            .map(|c| c.as_str().map_or_else(|| c.to_string(), str::to_owned));
        Self { status, body, code }
    }
}

/// What every error body needs besides code and message.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ReplyContext<'a> {
    /// The request id of this answer.
    pub request_id: &'a str,
    /// The host the request was sent to (Alibaba `HostId`).
    pub host: &'a str,
    /// The product name (Alibaba `Recommend` link).
    pub product: &'a str,
}

/// An error answer in `shape` (Tencent Cloud API 3.0 answers every error with HTTP 200, whatever
/// `status` says).
pub(crate) fn error(shape: Shape, cx: &ReplyContext<'_>, status: u16, code: &str, message: &str) -> Reply {
    let body = match shape {
        Shape::Alibaba => json!({
            "RequestId": cx.request_id,
            "HostId": cx.host,
            "Code": code,
            "Message": message,
            "Recommend": format!(
                "https://api.alibabacloud.com/troubleshoot?q={code}&product={}&requestId={}",
                cx.product, cx.request_id
            ),
        }),
        Shape::Huawei => json!({ "error_code": code, "error_msg": message, "request_id": cx.request_id }),
        Shape::HuaweiDis => json!({ "errorCode": code, "message": message }),
        Shape::Tencent => json!({ "errorcode": code, "errormessage": message }),
        Shape::TencentApi3 => {
            json!({ "Response": { "Error": { "Code": code, "Message": message }, "RequestId": cx.request_id } })
        }
    };
    let status = if shape == Shape::TencentApi3 { 200 } else { status };
    Reply { status, body, code: Some(code.to_owned()) }
}

/// Throttling, as each provider signals it: Alibaba `Throttling.User` with HTTP 400, Huawei API
/// Gateway `APIGW.0308` with 429, Tencent `SpeedQuotaExceed` with 429 (PROVIDERS.md 1.5, 2.4,
/// 3.4).
pub(crate) fn throttled(envelope: Envelope, cx: &ReplyContext<'_>) -> Reply {
    let shape = Shape::gateway(envelope);
    match shape {
        Shape::Alibaba => error(shape, cx, 400, "Throttling.User", "Request was denied due to user flow control."),
        Shape::Huawei | Shape::HuaweiDis => error(
            shape,
            cx,
            429,
            "APIGW.0308",
            "The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 second",
        ),
        Shape::Tencent => error(shape, cx, 429, "SpeedQuotaExceed", "The request rate exceeds the quota."),
        Shape::TencentApi3 => error(shape, cx, 200, "RequestLimitExceeded", "The request rate exceeds the limit."),
    }
}

/// A server-side failure: Alibaba `InternalError` 500, Huawei API Gateway `APIGW.0201` 504
/// (backend timeout), Tencent `InternalError` 500.
pub(crate) fn server_error(envelope: Envelope, cx: &ReplyContext<'_>) -> Reply {
    let shape = Shape::gateway(envelope);
    match shape {
        Shape::Alibaba => error(
            shape,
            cx,
            500,
            "InternalError",
            "The request processing has failed due to some unknown error, exception or failure.",
        ),
        Shape::Huawei | Shape::HuaweiDis => error(shape, cx, 504, "APIGW.0201", "Request error: backend timeout."),
        Shape::Tencent | Shape::TencentApi3 => error(shape, cx, 500, "InternalError", "An internal error occurred."),
    }
}

/// The code the simulator answers invalid requests of a plain Huawei service with. Huawei
/// services each have their own codes for this and no common one is documented, so the
/// simulator uses a code of its own that no real service sends.
pub const HUAWEI_INVALID_REQUEST_CODE: &str = "SIM.0400";

/// A request parameter that is missing (`missing`) or breaks a rule: Alibaba
/// `MissingParameter`/`InvalidParameter` 400, DIS `DIS.4200` 400, Tencent `InvalidParam` 400,
/// other Huawei services [`HUAWEI_INVALID_REQUEST_CODE`] 400.
pub(crate) fn invalid(envelope: Envelope, cx: &ReplyContext<'_>, field: &str, missing: bool, rule: &str) -> Reply {
    let shape = Shape::of(envelope);
    match shape {
        Shape::Alibaba if missing => error(
            shape,
            cx,
            400,
            "MissingParameter",
            &format!("The input parameter \"{field}\" that is mandatory for processing this request is not supplied."),
        ),
        Shape::Alibaba => error(
            shape,
            cx,
            400,
            "InvalidParameter",
            &format!("The specified parameter \"{field}\" is not valid: {rule}."),
        ),
        Shape::HuaweiDis => error(shape, cx, 400, "DIS.4200", &format!("Invalid request. {field} {rule}")),
        Shape::Tencent => error(shape, cx, 400, "InvalidParam", &format!("{field} {rule}")),
        Shape::TencentApi3 if missing => error(shape, cx, 200, "MissingParameter", &format!("{field} {rule}")),
        Shape::TencentApi3 => error(shape, cx, 200, "InvalidParameterValue", &format!("{field} {rule}")),
        Shape::Huawei => {
            error(shape, cx, 400, HUAWEI_INVALID_REQUEST_CODE, &format!("Invalid request: {field} {rule}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_parse_back_with_the_runtime() {
        let cx = ReplyContext { request_id: "R1", host: "h", product: "ActionTrail" };
        let cases = [
            (Envelope::Alibaba, cloud_task_apis::__private::Envelope::Alibaba, "Throttling.User", 400),
            (Envelope::Huawei, cloud_task_apis::__private::Envelope::Huawei, "APIGW.0308", 429),
            (Envelope::HuaweiDis, cloud_task_apis::__private::Envelope::HuaweiDis, "APIGW.0308", 429),
            (Envelope::TencentCls, cloud_task_apis::__private::Envelope::TencentCls, "SpeedQuotaExceed", 429),
            (Envelope::TencentApi3, cloud_task_apis::__private::Envelope::TencentApi3, "RequestLimitExceeded", 200),
        ];
        for (spec_envelope, wire_envelope, code, status) in cases {
            let reply = throttled(spec_envelope, &cx);
            assert_eq!(reply.status, status);
            let bytes = serde_json::to_vec(&reply.body).expect("json");
            let parsed = cloud_task_apis::__private::parse_error_envelope(wire_envelope, &bytes).expect("parses");
            assert_eq!(parsed.code, code);
        }
        let reply = invalid(Envelope::HuaweiDis, &cx, "pageInfo.pageIndex", false, "must be at least 1");
        assert_eq!(reply.body["errorCode"], "DIS.4200");
        let reply = invalid(Envelope::Alibaba, &cx, "TrailName", true, "");
        assert_eq!((reply.status, reply.body["Code"].as_str()), (400, Some("MissingParameter")));
        assert_eq!(reply.body["RequestId"], "R1");
    }

    #[test]
    fn request_ids_look_like_the_providers() {
        let alibaba = Shape::Alibaba.new_request_id();
        assert_eq!(alibaba.len(), 36);
        assert_eq!(alibaba, alibaba.to_uppercase());
        assert_eq!(Shape::Huawei.new_request_id().len(), 32);
    }
}
