//! Reading each provider's error body into a code, a message and a request id.
//!
//! Shapes (PROVIDERS.md): Alibaba `{RequestId, HostId, Code, Message, Recommend}` (lowercase
//! keys accepted as tea-openapi does; XML `<Error>` when the content type is XML); Huawei
//! `{error_code, error_msg, request_id?}`; DIS `{errorCode, message}`, with API Gateway errors on
//! the same host in the Huawei shape; Tencent CLS `{errorcode, errormessage}`, and the API 3.0
//! shape `{Response: {Error: {Code, Message}, RequestId}}` the official SDK also reads, which is
//! also the whole error envelope of Tencent Cloud API 3.0 (where it comes inside HTTP 200 too).

use serde_json::Value;

use crate::wire::Envelope;

/// What an error body said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// Error code.
    pub code: String,
    /// Message (empty if none).
    pub message: String,
    /// Request id from the body.
    pub request_id: Option<String>,
}

fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn pick(object: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| text(object.get(*k)))
}

/// Decodes an error body; `None` when it is not the provider's envelope.
#[must_use]
pub fn parse(envelope: Envelope, body: &[u8]) -> Option<Parsed> {
    let Ok(json) = serde_json::from_slice::<Value>(body) else {
        return (envelope == Envelope::Alibaba).then(|| parse_xml(body)).flatten();
    };
    let shapes: &[(&[&str], &[&str], &[&str])] = match envelope {
        Envelope::Alibaba => &[(&["Code", "code"], &["Message", "message"], &["RequestId", "requestId"])],
        Envelope::Huawei => {
            &[(&["error_code", "errorCode", "code"], &["error_msg", "errorMsg", "message"], &["request_id"])]
        }
        Envelope::HuaweiDis => &[
            (&["errorCode"], &["message", "errorMessage"], &["request_id"]),
            (&["error_code"], &["error_msg"], &["request_id"]),
        ],
        Envelope::TencentCls => &[(&["errorcode"], &["errormessage"], &["requestid"])],
        Envelope::TencentApi3 => return crate::api3::error(body),
    };
    for (code_keys, message_keys, id_keys) in shapes {
        if let Some(code) = pick(&json, code_keys) {
            return Some(Parsed {
                code,
                message: pick(&json, message_keys).unwrap_or_default(),
                request_id: pick(&json, id_keys),
            });
        }
    }
    if envelope == Envelope::TencentCls {
        let response = json.get("Response")?;
        let error = response.get("Error")?;
        return Some(Parsed {
            code: pick(error, &["Code"])?,
            message: pick(error, &["Message"]).unwrap_or_default(),
            request_id: pick(response, &["RequestId"]),
        });
    }
    None
}

/// The error a success (2xx) body reports, for the envelopes that report errors there: Tencent
/// Cloud API 3.0 answers every business error with HTTP 200 and `Response.Error`.
#[must_use]
pub fn in_success(envelope: Envelope, body: &[u8]) -> Option<Parsed> {
    match envelope {
        Envelope::TencentApi3 => crate::api3::error(body),
        Envelope::Alibaba | Envelope::Huawei | Envelope::HuaweiDis | Envelope::TencentCls => None,
    }
}

/// Alibaba's XML error body: `<Error><Code>…</Code><Message>…</Message><RequestId>…`.
fn parse_xml(body: &[u8]) -> Option<Parsed> {
    let text = std::str::from_utf8(body).ok()?;
    let tag = |name: &str| {
        let open = format!("<{name}>");
        let start = text.find(&open)? + open.len();
        let end = text[start..].find(&format!("</{name}>"))? + start;
        Some(text[start..end].trim().to_owned())
    };
    Some(Parsed { code: tag("Code")?, message: tag("Message").unwrap_or_default(), request_id: tag("RequestId") })
}

/// The request id some success bodies carry (Alibaba's `RequestId`).
#[must_use]
/// Only Alibaba puts one there; other bodies are not read again. Values other than the id are
/// skipped, not built.
pub fn body_request_id(envelope: Envelope, body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Id {
        #[serde(rename = "RequestId", alias = "requestId")]
        request_id: Option<String>,
    }
    if envelope != Envelope::Alibaba {
        return None;
    }
    serde_json::from_slice::<Id>(body).ok()?.request_id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(envelope: Envelope, body: &str) -> Option<(String, String, Option<String>)> {
        parse(envelope, body.as_bytes()).map(|p| (p.code, p.message, p.request_id))
    }

    #[test]
    fn each_providers_envelope() {
        assert_eq!(
            code(
                Envelope::Alibaba,
                r#"{"RequestId":"R1","HostId":"h","Code":"TrailNotFoundException","Message":"no","Recommend":"x"}"#
            ),
            Some(("TrailNotFoundException".into(), "no".into(), Some("R1".into())))
        );
        assert_eq!(
            code(
                Envelope::Alibaba,
                "<Error><RequestId>R2</RequestId><Code>Throttling</Code><Message>slow</Message></Error>"
            ),
            Some(("Throttling".into(), "slow".into(), Some("R2".into())))
        );
        assert_eq!(
            code(Envelope::Huawei, r#"{"error_code":"BackupService.6500","error_msg":"gone"}"#),
            Some(("BackupService.6500".into(), "gone".into(), None))
        );
        assert_eq!(
            code(Envelope::HuaweiDis, r#"{"errorCode":"DIS.4301","message":"no stream"}"#),
            Some(("DIS.4301".into(), "no stream".into(), None))
        );
        assert_eq!(
            code(Envelope::HuaweiDis, r#"{"error_code":"APIGW.0308","error_msg":"throttled","request_id":"R3"}"#),
            Some(("APIGW.0308".into(), "throttled".into(), Some("R3".into())))
        );
        assert_eq!(
            code(Envelope::TencentCls, r#"{"errorcode":"SpeedQuotaExceed","errormessage":"slow"}"#),
            Some(("SpeedQuotaExceed".into(), "slow".into(), None))
        );
        assert_eq!(
            code(
                Envelope::TencentCls,
                r#"{"Response":{"Error":{"Code":"InternalError","Message":"m"},"RequestId":"R4"}}"#
            ),
            Some(("InternalError".into(), "m".into(), Some("R4".into())))
        );
        assert_eq!(code(Envelope::Huawei, "<html>bad gateway</html>"), None);
        assert_eq!(code(Envelope::Huawei, r#"{"unexpected":1}"#), None);
    }
}
