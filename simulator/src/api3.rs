//! The Tencent Cloud API 3.0 protocol in the simulator: checking a TC3-HMAC-SHA256 signature
//! with the crate's own signer ([`cloud_task_apis::sign::tc3`]), and wrapping answers in the
//! `{"Response": {...}}` envelope. Routing by `X-TC-Action` is in the catalog; error bodies are
//! written by [`super::replies`].
//!
//! | checked | refusal (HTTP 200, `Response.Error`) |
//! |---|---|
//! | `Authorization` is `TC3-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` | `AuthFailure.InvalidAuthorization` |
//! | SecretId | `AuthFailure.SecretIdNotFound` |
//! | `X-TC-Timestamp` within 5 minutes, credential date its UTC date | `AuthFailure.SignatureExpire` |
//! | signature over `content-type;host`, the scope's product being the service's | `AuthFailure.SignatureFailure` |
//!
//! Sources: `shared/seeds/tencent-api3-common.md` (Signature v3 doc, Responses and Error Codes
//! pages: the five-minute window and the codes).

use serde_json::{Map, Value};
use time::{Duration, OffsetDateTime};

use super::TestCredentials;
use super::auth::{Account, Failure, part, same};
use super::dispatch::Incoming;
use super::replies::Reply;
use cloud_task_apis::sign::{SignableRequest, tc3};

/// How far `X-TC-Timestamp` may be from the simulator's clock.
const MAX_SKEW: Duration = Duration::minutes(5);

/// Checks the TC3-HMAC-SHA256 signature of `req` for the product `service` (`cls`).
pub(crate) fn authenticate(
    req: &Incoming,
    service: &str,
    creds: &TestCredentials,
    now: OffsetDateTime,
) -> Result<Account, Failure> {
    let invalid =
        |what: &str| (200, "AuthFailure.InvalidAuthorization", format!("The Authorization header is invalid: {what}."));
    let authorization = req.header("authorization").unwrap_or_default();
    let rest = authorization
        .strip_prefix(tc3::ALGORITHM)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or_else(|| invalid("it does not start with TC3-HMAC-SHA256"))?;
    let credential = part(rest, ',', "Credential").ok_or_else(|| invalid("no Credential"))?;
    let signed = part(rest, ',', "SignedHeaders").ok_or_else(|| invalid("no SignedHeaders"))?;
    let signature = part(rest, ',', "Signature").ok_or_else(|| invalid("no Signature"))?;
    let mut scope = credential.split('/');
    let (Some(secret_id), Some(date), Some(product), Some("tc3_request"), None) =
        (scope.next(), scope.next(), scope.next(), scope.next(), scope.next())
    else {
        return Err(invalid("Credential is not SecretId/Date/service/tc3_request"));
    };
    if signed != tc3::SIGNED_HEADERS {
        return Err(invalid("SignedHeaders must be content-type;host"));
    }
    if secret_id != creds.tencent_secret_id {
        return Err((200, "AuthFailure.SecretIdNotFound", "The SecretId is not found.".to_owned()));
    }
    let expired = || (200, "AuthFailure.SignatureExpire", "The signature has expired.".to_owned());
    let timestamp: i64 = req.header("x-tc-timestamp").and_then(|t| t.trim().parse().ok()).ok_or_else(expired)?;
    let at = OffsetDateTime::from_unix_timestamp(timestamp).map_err(|_| expired())?;
    if (now - at).abs() > MAX_SKEW {
        return Err(expired());
    }
    let received = SignableRequest {
        method: req.method.clone(),
        host: req.header("host").unwrap_or_default().to_owned(),
        path: req.path.clone(),
        query: req.query.clone(),
        headers: req.headers.clone(),
        body: req.body.clone(),
    };
    let mismatch = || {
        (
            200,
            "AuthFailure.SignatureFailure",
            "The provided credentials could not be validated. Please check your signature is correct.".to_owned(),
        )
    };
    let computed = tc3::signature(&received, service, &creds.tencent_secret_key).ok_or_else(expired)?;
    if product != service || date != tc3::iso_date(tc3::utc_date(at)) || !same(&computed.signature, signature) {
        return Err(mismatch());
    }
    Ok(secret_id.to_owned())
}

/// Wraps a success body in `{"Response": {..., "RequestId"}}` with this answer's request id;
/// error bodies are already in the envelope.
pub(crate) fn wrap_success(reply: &mut Reply, request_id: &str) {
    if reply.code.is_some() || reply.body.get("Response").is_some() {
        return;
    }
    let mut inner = match std::mem::take(&mut reply.body) {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    inner.insert("RequestId".to_owned(), Value::from(request_id));
    reply.body = serde_json::json!({ "Response": inner });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(now: OffsetDateTime, secret_id: &str, key: &str, service: &str) -> Incoming {
        let mut req = SignableRequest {
            method: "POST".into(),
            host: "cls.tencentcloudapi.com".into(),
            path: "/".into(),
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: br#"{"ShipperId":"s"}"#.to_vec(),
            ..SignableRequest::default()
        };
        req.set_header("Host", "cls.tencentcloudapi.com".into());
        tc3::sign(&mut req, secret_id, key, None, service, now);
        Incoming::for_test(
            "POST",
            "/",
            req.headers.iter().map(|(n, v)| (n.to_ascii_lowercase(), v.clone())).collect(),
            req.body,
        )
    }

    #[test]
    fn signatures_are_checked_with_the_signer() {
        let creds = TestCredentials::default();
        let now = OffsetDateTime::from_unix_timestamp(1_700_000_000).expect("time");
        let ok = signed(now, &creds.tencent_secret_id, &creds.tencent_secret_key, "cls");
        assert_eq!(authenticate(&ok, "cls", &creds, now), Ok(creds.tencent_secret_id.clone()));
        let code = |req: &Incoming, at| authenticate(req, "cls", &creds, at).map_err(|f| f.1);
        assert_eq!(code(&ok, now + Duration::minutes(6)), Err("AuthFailure.SignatureExpire"));
        let wrong_key = signed(now, &creds.tencent_secret_id, "other", "cls");
        assert_eq!(code(&wrong_key, now), Err("AuthFailure.SignatureFailure"));
        let wrong_service = signed(now, &creds.tencent_secret_id, &creds.tencent_secret_key, "cvm");
        assert_eq!(code(&wrong_service, now), Err("AuthFailure.SignatureFailure"));
        let wrong_id = signed(now, "AKIDother", &creds.tencent_secret_key, "cls");
        assert_eq!(code(&wrong_id, now), Err("AuthFailure.SecretIdNotFound"));
        let unsigned = Incoming::for_test("POST", "/", Vec::new(), Vec::new());
        assert_eq!(code(&unsigned, now), Err("AuthFailure.InvalidAuthorization"));
    }

    #[test]
    fn success_bodies_are_wrapped_once() {
        let mut reply = Reply::ok(serde_json::json!({"Tasks": [], "RequestId": "from-example"}));
        wrap_success(&mut reply, "R1");
        assert_eq!(reply.body, serde_json::json!({"Response": {"Tasks": [], "RequestId": "R1"}}));
        let before = reply.clone();
        wrap_success(&mut reply, "R2");
        assert_eq!(reply, before);
    }
}
