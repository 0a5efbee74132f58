//! Huawei Cloud AK/SK signature `SDK-HMAC-SHA256` (API Gateway), as the official core SDK builds it.
//!
//! Sources: Huawei API signing guide
//! (<https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm-002.html> to
//! `-005.html`; the worked example of `-005` with the SK from the zh page) and
//! `huaweicloudsdkcore` 3.1.219 (`signer/signer.py` `Signer`, `auth/credentials.py`).
//!
//! 1. `SignedHeaders`: every header whose name contains no `_`, lowercased and sorted;
//!    `CanonicalHeaders`: `name:trimmed-value\n` for each.
//! 2. `CanonicalURI`: the path percent-decoded, split on `/`, each segment RFC 3986-encoded,
//!    joined with `/` and always ending in `/` (the request line itself keeps its own path).
//! 3. `CanonicalQueryString`: pairs sorted by key, then value, both RFC 3986-encoded.
//! 4. `HashedPayload`: hex SHA-256 of the body, or the value of `X-Sdk-Content-Sha256`
//!    (`UNSIGNED-PAYLOAD`) when that header is present.
//! 5. `StringToSign` = `SDK-HMAC-SHA256\n<X-Sdk-Date>\n<hex SHA-256(CanonicalRequest)>`.
//! 6. Signature = hex HMAC-SHA256(SK, `StringToSign`); no key derivation.
//! 7. `Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<list>, Signature=<hex>`.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;
use time::OffsetDateTime;

use sha2::{Digest, Sha256};

use super::encode::push_rfc3986;
use super::key::HmacSha256Key;
use super::scheme::{Call, Keys, Scheme};
#[cfg(test)]
use super::sha256_hex;
use super::{
    SignableRequest, SigningOutput, canonical_capacity, push_canonical_headers, push_hex, push_sha256_hex,
    push_sorted_query, signed_headers, utc_timestamp,
};
use crate::credentials::{Credentials, Secret};

/// The algorithm name, first line of the string to sign and start of `Authorization`.
const ALGORITHM: &str = "SDK-HMAC-SHA256";

/// Signs `req` for Huawei Cloud with `SDK-HMAC-SHA256` and sets its `Authorization` header.
///
/// Sets first (replacing earlier values): `X-Sdk-Date` (`time` in UTC as `YYYYMMDDTHHMMSSZ`;
/// the gateway rejects a date more than 15 minutes off its clock) and, with temporary
/// credentials, `X-Security-Token`. It then signs as [`authorization`] does.
///
/// `Content-Type`, `X-Project-Id` and the like are the caller's. The SDK adds
/// `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` when the content type is neither JSON nor BSON; this
/// function does not, but honours that header when the caller sets it.
///
/// This prepares the key for the one request; [`sign_with`] signs with a key prepared once.
pub fn sign(
    req: &mut SignableRequest,
    access_key: &str,
    secret_key: &str,
    security_token: Option<&str>,
    time: OffsetDateTime,
) -> SigningOutput {
    sign_with(req, access_key, &signing_key(secret_key), security_token, time)
}

/// The key [`sign_with`] signs with: the SK, prepared once (the signature uses it as is, with no
/// derivation).
#[must_use]
pub fn signing_key(secret_key: &str) -> HmacSha256Key {
    HmacSha256Key::new(secret_key.as_bytes())
}

/// [`sign`] with the key that [`signing_key`] prepared from the SK: what the client does,
/// keeping the key for as long as it keeps the credentials.
pub fn sign_with(
    req: &mut SignableRequest,
    access_key: &str,
    key: &HmacSha256Key,
    security_token: Option<&str>,
    time: OffsetDateTime,
) -> SigningOutput {
    // Room for the headers set here, so the list grows once at most.
    req.headers.reserve(3);
    let date = utc_timestamp(time, false);
    req.set_header("X-Sdk-Date", date);
    if let Some(token) = security_token {
        req.set_header("X-Security-Token", token.to_owned());
    }
    let output = compute(req, key);
    let value = authorization_value(&output, access_key);
    req.set_header("Authorization", value);
    output
}

/// Computes the `SDK-HMAC-SHA256` signature of `req` from the headers already present, changing
/// nothing.
///
/// Signs every header whose name contains no `_`, except `Authorization`. The SDK puts `Host`
/// (the URL authority) among the signed headers; here a `Host` header in `req.headers` is used if
/// present, otherwise `req.host` is signed as `host`, so the caller need not add it. `X-Sdk-Date`
/// must be present: it is part of the string to sign (when it is missing, the empty string is
/// used and the gateway will reject the signature).
#[must_use]
pub fn authorization(req: &SignableRequest, access_key: &str, secret_key: &str) -> SigningOutput {
    // The access key only appears in the Authorization header, not in the signature.
    let _ = access_key;
    compute(req, &signing_key(secret_key))
}

/// The signature of `req` under `key`, as [`authorization`] describes it.
fn compute(req: &SignableRequest, key: &HmacSha256Key) -> SigningOutput {
    let mut canonical_request = String::with_capacity(canonical_capacity(req));
    canonical_request.push_str(&req.method);
    canonical_request.push('\n');
    push_canonical_uri(&mut canonical_request, &req.path);
    canonical_request.push('\n');
    push_sorted_query(&mut canonical_request, req.query.iter());
    canonical_request.push('\n');
    push_canonical_headers(&mut canonical_request, req, |name| !name.contains('_'));
    match req.header("x-sdk-content-sha256") {
        Some(payload) => canonical_request.push_str(payload),
        None => push_sha256_hex(&mut canonical_request, &req.body),
    }
    let date = req.header("x-sdk-date").unwrap_or_default();
    let mut string_to_sign = String::with_capacity(ALGORITHM.len() + date.len() + 66);
    for part in [ALGORITHM, "\n", date, "\n"] {
        string_to_sign.push_str(part);
    }
    push_hex(&mut string_to_sign, &Sha256::digest(canonical_request.as_bytes()));
    let mut signature = String::with_capacity(64);
    push_hex(&mut signature, &key.mac(string_to_sign.as_bytes()));
    SigningOutput { canonical_request, string_to_sign, signature }
}

/// The `Authorization` header value: a space after the algorithm, then comma-space separated parts.
fn authorization_value(output: &SigningOutput, access_key: &str) -> String {
    let signed = signed_headers(&output.canonical_request);
    let mut value = String::with_capacity(ALGORITHM.len() + access_key.len() + signed.len() + 112);
    for part in [ALGORITHM, " Access=", access_key, ", SignedHeaders=", signed, ", Signature=", &output.signature] {
        value.push_str(part);
    }
    value
}

/// Appends the canonical URI: `path` percent-decoded, split on `/`, each segment RFC
/// 3986-encoded, joined with `/`, ending in `/`.
///
/// Decoding happens before splitting, as in the SDK, so an encoded `%2F` inside a segment is
/// canonicalised as a separator. Segments are handled as bytes, so a path whose decoding is not
/// UTF-8 is still encoded faithfully.
fn push_canonical_uri(out: &mut String, path: &str) {
    let start = out.len();
    // Borrowed when the path holds no escape (the usual case).
    let decoded: Cow<'_, [u8]> = percent_decode_str(path).into();
    for (index, segment) in decoded.split(|&byte| byte == b'/').enumerate() {
        if index > 0 {
            out.push('/');
        }
        push_rfc3986(out, segment);
    }
    if out.len() == start || !out.ends_with('/') {
        out.push('/');
    }
}

/// [`push_canonical_uri`] into a new string.
#[cfg(test)]
fn canonical_uri(path: &str) -> String {
    let mut out = String::new();
    push_canonical_uri(&mut out, path);
    out
}

/// The query sorted by key, then value (byte order), both RFC 3986-encoded; empty when there is no
/// query.
#[cfg(test)]
fn canonical_query(query: &[(String, String)]) -> String {
    let mut out = String::new();
    push_sorted_query(&mut out, query.iter());
    out
}

/// The [`Scheme`] of AK/SK calls: JSON content type, user agent and the project id (when
/// configured) sent and signed with the rest.
#[derive(Debug)]
pub(crate) struct SdkHmacSha256;

impl Scheme for SdkHmacSha256 {
    fn accepts(&self, credentials: &Credentials) -> bool {
        matches!(credentials, Credentials::HuaweiAkSk { .. })
    }

    fn keys(&self, credentials: &Credentials) -> Keys {
        match credentials {
            Credentials::HuaweiAkSk { secret_key, .. } => Keys::HmacSha256(signing_key(secret_key.expose())),
            _ => Keys::None,
        }
    }

    fn apply(&self, req: &mut SignableRequest, call: &Call<'_>, credentials: &Credentials, keys: &Keys) {
        let (Credentials::HuaweiAkSk { access_key, security_token, .. }, Keys::HmacSha256(key)) = (credentials, keys)
        else {
            return;
        };
        // Room for the three headers pushed here and the three `sign_with` may set.
        req.headers.reserve(6);
        if req.header("content-type").is_none() {
            req.headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
        }
        req.headers.push(("User-Agent".to_owned(), call.user_agent.to_owned()));
        if let Some(project) = call.project_id {
            req.headers.push(("X-Project-Id".to_owned(), project.to_owned()));
        }
        let token = security_token.as_ref().map(Secret::expose);
        sign_with(req, access_key, key, token, call.now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    const AK: &str = "QTWAOYTTINDUT2QVKYUC";
    const SK: &str = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
    const HP1_SIGNATURE: &str = "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe";

    fn owned(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    /// Vector HP1: the worked example of Huawei's API signing guide (api-sign-algorithm-005).
    fn hp1_request() -> SignableRequest {
        SignableRequest {
            method: "GET".into(),
            host: "service.region.example.com".into(),
            path: "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs".into(),
            query: owned(&[("limit", "2"), ("marker", "13551d6b-755d-4757-b956-536f674975c0")]),
            headers: owned(&[("Content-Type", "application/json"), ("X-Sdk-Date", "20191115T033655Z")]),
            body: Vec::new(),
        }
    }

    #[test]
    fn vector_hp1() {
        let req = hp1_request();
        let out = authorization(&req, AK, SK);
        assert_eq!(
            out.canonical_request,
            format!(
                "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\n\
                 limit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n\
                 content-type:application/json\nhost:service.region.example.com\n\
                 x-sdk-date:20191115T033655Z\n\n\
                 content-type;host;x-sdk-date\n{EMPTY_SHA256}"
            )
        );
        assert_eq!(
            sha256_hex(out.canonical_request.as_bytes()),
            "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
        );
        assert_eq!(
            out.string_to_sign,
            "SDK-HMAC-SHA256\n20191115T033655Z\n\
             b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
        );
        assert_eq!(out.signature, HP1_SIGNATURE);
        assert_eq!(
            authorization_value(&out, AK),
            "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, \
             SignedHeaders=content-type;host;x-sdk-date, \
             Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
        );
    }

    #[test]
    fn vector_hp1_with_explicit_host_header_and_through_sign() {
        let mut req = hp1_request();
        req.headers.push(("Host".into(), "service.region.example.com".into()));
        assert_eq!(authorization(&req, AK, SK).signature, HP1_SIGNATURE);

        let mut unsigned = hp1_request();
        unsigned.headers.retain(|(name, _)| name != "X-Sdk-Date");
        let mut req = unsigned.clone();
        let out = sign(&mut req, AK, SK, None, datetime!(2019-11-15 03:36:55 UTC));
        assert_eq!(out.signature, HP1_SIGNATURE);
        assert_eq!(req.header("x-sdk-date"), Some("20191115T033655Z"));
        // A key prepared once signs any number of requests the same way.
        let key = signing_key(SK);
        for _ in 0..2 {
            let mut again = unsigned.clone();
            assert_eq!(sign_with(&mut again, AK, &key, None, datetime!(2019-11-15 03:36:55 UTC)), out);
            assert_eq!(again, req);
        }
    }

    #[test]
    fn canonical_uri_cases() {
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri("/v1/vpcs/"), "/v1/vpcs/");
        assert_eq!(canonical_uri("/v1/a%20b/c d"), "/v1/a%20b/c%20d/");
        assert_eq!(canonical_uri("/v1/%E8%85%BE*~"), "/v1/%E8%85%BE%2A~/");
        assert_eq!(canonical_uri("/v1/é"), "/v1/%C3%A9/");
        // Decoded before splitting, as the SDK does.
        assert_eq!(canonical_uri("/v1/a%2Fb"), "/v1/a/b/");
        assert_eq!(canonical_uri("/v1/%FF"), "/v1/%FF/");
    }

    #[test]
    fn canonical_query_sorts_by_key_then_value() {
        let query = owned(&[("b", ""), ("a", "2"), ("a", "1"), ("c", "x y*~/")]);
        assert_eq!(canonical_query(&query), "a=1&a=2&b=&c=x%20y%2A~%2F");
        assert_eq!(canonical_query(&[]), "");
    }

    #[test]
    fn underscore_headers_are_not_signed_and_unsigned_payload_is_honoured() {
        let mut req = hp1_request();
        req.headers.push(("X_Custom".into(), "v".into()));
        req.body = b"{}".to_vec();
        let out = authorization(&req, AK, SK);
        assert!(!out.canonical_request.contains("x_custom"));
        assert!(out.canonical_request.ends_with(&sha256_hex(b"{}")));

        req.headers.push(("X-Sdk-Content-Sha256".into(), "UNSIGNED-PAYLOAD".into()));
        let out = authorization(&req, AK, SK);
        assert!(out.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
        assert!(out.canonical_request.contains("x-sdk-content-sha256:UNSIGNED-PAYLOAD\n"));
    }

    fn sample() -> SignableRequest {
        SignableRequest {
            method: "POST".into(),
            host: "dis.cn-north-4.myhuaweicloud.com".into(),
            path: "/v1/transfertasklog/task-1".into(),
            query: Vec::new(),
            headers: owned(&[("Content-Type", "application/json"), ("X-Project-Id", "0123456789abcdef")]),
            body: b"{\"limit\":10}".to_vec(),
        }
    }

    #[test]
    fn sign_sets_headers_and_is_deterministic() {
        let time = datetime!(2024-01-02 03:04:05 UTC);
        let mut first = sample();
        let out = sign(&mut first, "ak", "sk", Some("tok"), time);
        assert_eq!(first.header("X-Sdk-Date"), Some("20240102T030405Z"));
        assert_eq!(first.header("X-Security-Token"), Some("tok"));
        assert_eq!(first.header("host"), None);
        let expected = format!(
            "SDK-HMAC-SHA256 Access=ak, SignedHeaders=content-type;host;x-project-id;\
             x-sdk-date;x-security-token, Signature={}",
            out.signature
        );
        assert_eq!(first.header("Authorization"), Some(expected.as_str()));
        assert!(out.canonical_request.starts_with("POST\n/v1/transfertasklog/task-1/\n\n"));

        let mut second = sample();
        assert_eq!(sign(&mut second, "ak", "sk", Some("tok"), time), out);
        assert_eq!(second, first);
        // Re-signing the signed request gives the same result.
        assert_eq!(sign(&mut second, "ak", "sk", Some("tok"), time), out);
        assert_eq!(second, first);

        // Huawei has no nonce; a different time changes the signature.
        let mut third = sample();
        let other = sign(&mut third, "ak", "sk", Some("tok"), datetime!(2024-01-02 03:04:06 UTC));
        assert_ne!(other.signature, out.signature);

        let mut fourth = sample();
        sign(&mut fourth, "ak", "sk", None, time);
        assert_eq!(fourth.header("X-Security-Token"), None);
    }
}
