//! Alibaba Cloud `ACS3-HMAC-SHA256`, the V3 header signature and the default of the official SDK.
//!
//! Sources: Alibaba "V3 request structure and signature" doc
//! (<https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature>,
//! document 2593177) and `alibabacloud-tea-openapi` 0.4.6 (`utils.py` `get_authorization`,
//! `get_canonical_query_string`, `get_canonicalized_headers`; `client.py` `do_request`).
//!
//! 1. `CanonicalQueryString`: the query sorted by key, keys and values RFC 3986-encoded, `k=v`
//!    joined by `&`.
//! 2. `CanonicalHeaders`: every signed header as `name:value\n` (lowercased name, trimmed value),
//!    sorted by name; `SignedHeaders` = the names joined by `;`. The official SDK signs every
//!    header it sends (including `accept` and `user-agent`), and so does this module.
//! 3. `CanonicalRequest` = `METHOD\nURI\nCanonicalQueryString\nCanonicalHeaders\nSignedHeaders\nHashedPayload`,
//!    with `HashedPayload` the lowercase hex SHA-256 of the body.
//! 4. `StringToSign` = `ACS3-HMAC-SHA256\n` + hex SHA-256(`CanonicalRequest`).
//! 5. Signature = hex HMAC-SHA256(AccessKeySecret, `StringToSign`); no key derivation.
//! 6. `Authorization: ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<list>,Signature=<hex>`
//!    (commas without spaces).

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::credentials::{Credentials, Secret};

use super::key::HmacSha256Key;
use super::scheme::{Call, Keys, Scheme};
use super::{
    SignableRequest, SigningOutput, canonical_capacity, push_canonical_headers, push_hex, push_sorted_query,
    sha256_hex, signed_headers, utc_timestamp,
};

/// The algorithm name, first line of the string to sign and start of `Authorization`.
const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Signs `req` for Alibaba Cloud with `ACS3-HMAC-SHA256` and sets its `Authorization` header.
///
/// Sets first (replacing earlier values, so a request can be re-signed on retry):
/// `x-acs-date` (`time` in UTC as `YYYY-MM-DDTHH:MM:SSZ`), `x-acs-signature-nonce` (`nonce`; the
/// SDK uses 32 lowercase hex characters, a fresh one per request), `x-acs-content-sha256` (hex
/// SHA-256 of the body) and, with an STS `security_token`, `x-acs-accesskey-id` and
/// `x-acs-security-token`. It then signs every header in `req.headers` (plus `host` from
/// `req.host` when no Host header is present) as [`authorization`] does.
///
/// This prepares the key for the one request; [`sign_with`] signs with a key prepared once.
pub fn sign(
    req: &mut SignableRequest,
    access_key_id: &str,
    access_key_secret: &str,
    security_token: Option<&str>,
    time: OffsetDateTime,
    nonce: &str,
) -> SigningOutput {
    sign_with(req, access_key_id, &signing_key(access_key_secret), security_token, time, nonce)
}

/// The key [`sign_with`] signs with: the AccessKey secret, prepared once (the signature uses it
/// as is, with no derivation).
#[must_use]
pub fn signing_key(access_key_secret: &str) -> HmacSha256Key {
    HmacSha256Key::new(access_key_secret.as_bytes())
}

/// [`sign`] with the key that [`signing_key`] prepared from the AccessKey secret: what the client
/// does, keeping the key for as long as it keeps the credentials.
pub fn sign_with(
    req: &mut SignableRequest,
    access_key_id: &str,
    key: &HmacSha256Key,
    security_token: Option<&str>,
    time: OffsetDateTime,
    nonce: &str,
) -> SigningOutput {
    // Room for the headers set here, so the list grows once at most.
    req.headers.reserve(6);
    let date = utc_timestamp(time, true);
    req.set_header("x-acs-date", date);
    req.set_header("x-acs-signature-nonce", nonce.to_owned());
    req.set_header("x-acs-content-sha256", sha256_hex(&req.body));
    if let Some(token) = security_token {
        // With STS credentials the SDK sends the AccessKey id and the token as headers
        // (tea-openapi `do_request`).
        req.set_header("x-acs-accesskey-id", access_key_id.to_owned());
        req.set_header("x-acs-security-token", token.to_owned());
    }
    // The body's hash was just written to a header; sign with it rather than hash again.
    let payload = req.header("x-acs-content-sha256").unwrap_or_default();
    let output = compute(req, payload, key);
    let value = authorization_value(&output, access_key_id);
    req.set_header("Authorization", value);
    output
}

/// Computes the `ACS3-HMAC-SHA256` signature of `req` from the headers already present, changing
/// nothing.
///
/// Signs every header in `req.headers` except `Authorization`, plus `host` from `req.host` when
/// no Host header is present. The payload hash is computed from `req.body`. An empty path is
/// canonicalised as `/` (the RPC style's `CanonicalURI`).
#[must_use]
pub fn authorization(req: &SignableRequest, access_key_id: &str, access_key_secret: &str) -> SigningOutput {
    // The access key id only appears in the Authorization header, not in the signature.
    let _ = access_key_id;
    compute(req, &sha256_hex(&req.body), &signing_key(access_key_secret))
}

/// The signature of `req` whose body hashes to `payload` (lowercase hex).
fn compute(req: &SignableRequest, payload: &str, key: &HmacSha256Key) -> SigningOutput {
    let path = if req.path.is_empty() { "/" } else { req.path.as_str() };
    let mut canonical_request = String::with_capacity(canonical_capacity(req));
    canonical_request.push_str(&req.method);
    canonical_request.push('\n');
    canonical_request.push_str(path);
    canonical_request.push('\n');
    push_sorted_query(&mut canonical_request, req.query.iter());
    canonical_request.push('\n');
    push_canonical_headers(&mut canonical_request, req, |_| true);
    canonical_request.push_str(payload);
    let mut string_to_sign = String::with_capacity(ALGORITHM.len() + 65);
    string_to_sign.push_str(ALGORITHM);
    string_to_sign.push('\n');
    push_hex(&mut string_to_sign, &Sha256::digest(canonical_request.as_bytes()));
    let mut signature = String::with_capacity(64);
    push_hex(&mut signature, &key.mac(string_to_sign.as_bytes()));
    SigningOutput { canonical_request, string_to_sign, signature }
}

/// The `Authorization` header value for a computed signature, listing the headers it signed.
fn authorization_value(output: &SigningOutput, access_key_id: &str) -> String {
    let signed = signed_headers(&output.canonical_request);
    let mut value = String::with_capacity(ALGORITHM.len() + access_key_id.len() + signed.len() + 112);
    for part in [ALGORITHM, " Credential=", access_key_id, ",SignedHeaders=", signed, ",Signature=", &output.signature]
    {
        value.push_str(part);
    }
    value
}

/// The query sorted by key (byte order; equal keys by value, for a stable result), both
/// RFC 3986-encoded.
#[cfg(test)]
fn canonical_query(query: &[(String, String)]) -> String {
    let mut out = String::new();
    push_sorted_query(&mut out, query.iter());
    out
}

/// The [`Scheme`] of the official SDK's `do_request`: the operation's parameters in the query,
/// action and version in `x-acs-*` headers, every sent header signed.
#[derive(Debug)]
pub(crate) struct Acs3;

impl Scheme for Acs3 {
    fn accepts(&self, credentials: &Credentials) -> bool {
        matches!(credentials, Credentials::Alibaba { .. })
    }

    fn keys(&self, credentials: &Credentials) -> Keys {
        match credentials {
            Credentials::Alibaba { access_key_secret, .. } => Keys::HmacSha256(signing_key(access_key_secret.expose())),
            _ => Keys::None,
        }
    }

    fn apply(&self, req: &mut SignableRequest, call: &Call<'_>, credentials: &Credentials, keys: &Keys) {
        let (Credentials::Alibaba { access_key_id, security_token, .. }, Keys::HmacSha256(key)) = (credentials, keys)
        else {
            return;
        };
        // Room for the five headers pushed here and the six `sign_with` may set.
        req.headers.reserve(11);
        req.headers.push(("x-acs-action".to_owned(), call.action.to_owned()));
        req.headers.push(("x-acs-version".to_owned(), call.version.to_owned()));
        req.headers.push(("accept".to_owned(), "application/json".to_owned()));
        req.headers.push(("user-agent".to_owned(), call.user_agent.to_owned()));
        if !req.body.is_empty() && req.header("content-type").is_none() {
            req.headers.push(("content-type".to_owned(), "application/json".to_owned()));
        }
        let token = security_token.as_ref().map(Secret::expose);
        sign_with(req, access_key_id, key, token, call.now, &(call.nonce)());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn owned(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    /// Vector AP1: the worked example of the V3 signature doc ("签名示例").
    fn ap1_request() -> SignableRequest {
        SignableRequest {
            method: "POST".into(),
            host: "ecs.cn-shanghai.aliyuncs.com".into(),
            path: "/".into(),
            query: owned(&[
                ("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"),
                ("RegionId", "cn-shanghai"),
            ]),
            headers: owned(&[
                ("host", "ecs.cn-shanghai.aliyuncs.com"),
                ("x-acs-action", "RunInstances"),
                ("x-acs-version", "2014-05-26"),
                ("x-acs-date", "2023-10-26T10:22:32Z"),
                ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
                ("x-acs-content-sha256", EMPTY_SHA256),
            ]),
            body: Vec::new(),
        }
    }

    const AP1_SIGNATURE: &str = "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0";

    #[test]
    fn vector_ap1() {
        let req = ap1_request();
        let out = authorization(&req, "YourAccessKeyId", "YourAccessKeySecret");
        assert_eq!(
            out.canonical_request,
            "POST\n/\n\
             ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n\
             host:ecs.cn-shanghai.aliyuncs.com\n\
             x-acs-action:RunInstances\n\
             x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
             x-acs-date:2023-10-26T10:22:32Z\n\
             x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n\
             x-acs-version:2014-05-26\n\
             \n\
             host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(out.canonical_request.as_bytes()),
            "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
        );
        assert_eq!(
            out.string_to_sign,
            "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
        );
        assert_eq!(out.signature, AP1_SIGNATURE);
        assert_eq!(
            authorization_value(&out, "YourAccessKeyId"),
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,\
             SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,\
             Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
    }

    #[test]
    fn vector_ap1_with_host_from_authority_and_shuffled_input() {
        // Without a Host header the authority is signed as `host`; header and query order in the
        // input do not matter.
        let mut req = ap1_request();
        req.headers.retain(|(name, _)| name != "host");
        req.headers.reverse();
        req.query.reverse();
        let out = authorization(&req, "YourAccessKeyId", "YourAccessKeySecret");
        assert_eq!(out.signature, AP1_SIGNATURE);
    }

    #[test]
    fn vector_ap1_through_sign() {
        // `sign` with AP1's date and nonce writes the same headers and so gives the same
        // signature (the body is empty, so x-acs-content-sha256 is the empty hash).
        let mut unsigned = ap1_request();
        unsigned.headers.retain(|(name, _)| {
            !matches!(name.as_str(), "x-acs-date" | "x-acs-signature-nonce" | "x-acs-content-sha256")
        });
        let (time, nonce) = (datetime!(2023-10-26 18:22:32 +8), "3156853299f313e23d1673dc12e1703d");
        let mut req = unsigned.clone();
        let out = sign(&mut req, "YourAccessKeyId", "YourAccessKeySecret", None, time, nonce);
        assert_eq!(out.signature, AP1_SIGNATURE);
        assert_eq!(req.header("x-acs-date"), Some("2023-10-26T10:22:32Z"));
        // A key prepared once signs any number of requests the same way.
        let key = signing_key("YourAccessKeySecret");
        for _ in 0..2 {
            let mut again = unsigned.clone();
            assert_eq!(sign_with(&mut again, "YourAccessKeyId", &key, None, time, nonce), out);
            assert_eq!(again, req);
        }
    }

    fn sample() -> SignableRequest {
        SignableRequest {
            method: "POST".into(),
            host: "actiontrail.cn-hangzhou.aliyuncs.com".into(),
            path: "/".into(),
            query: owned(&[("JobId", "42")]),
            headers: owned(&[
                ("x-acs-action", "GetDeliveryHistoryJob"),
                ("x-acs-version", "2020-07-06"),
                ("accept", "application/json"),
            ]),
            body: Vec::new(),
        }
    }

    #[test]
    fn sign_sets_headers_and_is_deterministic() {
        let time = datetime!(2024-01-02 03:04:05 UTC);
        let mut first = sample();
        let out = sign(&mut first, "ak", "sk", None, time, "00112233445566778899aabbccddeeff");
        assert_eq!(first.header("x-acs-date"), Some("2024-01-02T03:04:05Z"));
        assert_eq!(first.header("x-acs-signature-nonce"), Some("00112233445566778899aabbccddeeff"));
        assert_eq!(first.header("x-acs-content-sha256"), Some(EMPTY_SHA256));
        assert_eq!(first.header("x-acs-security-token"), None);
        assert_eq!(first.header("x-acs-accesskey-id"), None);
        let expected = format!(
            "ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=accept;host;x-acs-action;\
             x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature={}",
            out.signature
        );
        assert_eq!(first.header("authorization"), Some(expected.as_str()));

        // Same inputs, same result; re-signing the signed request also gives the same result.
        let mut second = sample();
        assert_eq!(sign(&mut second, "ak", "sk", None, time, "00112233445566778899aabbccddeeff"), out);
        assert_eq!(second, first);
        let again = sign(&mut second, "ak", "sk", None, time, "00112233445566778899aabbccddeeff");
        assert_eq!(again, out);
        assert_eq!(second, first);

        // A different nonce changes the signature.
        let mut third = sample();
        let other = sign(&mut third, "ak", "sk", None, time, "ffeeddccbbaa99887766554433221100");
        assert_ne!(other.signature, out.signature);
    }

    #[test]
    fn sign_with_token_and_body() {
        let mut req = sample();
        req.body = b"JobId=42".to_vec();
        req.set_header("content-type", "application/x-www-form-urlencoded".into());
        let out = sign(&mut req, "ak", "sk", Some("sts-token"), datetime!(2024-01-02 03:04:05 UTC), "n");
        assert_eq!(req.header("x-acs-accesskey-id"), Some("ak"));
        assert_eq!(req.header("x-acs-security-token"), Some("sts-token"));
        assert_eq!(req.header("x-acs-content-sha256"), Some(sha256_hex(b"JobId=42").as_str()));
        assert!(out.canonical_request.ends_with(&sha256_hex(b"JobId=42")));
        assert!(out.canonical_request.contains("\ncontent-type:application/x-www-form-urlencoded\n"));
        let auth = req.header("authorization").unwrap_or_default();
        assert!(auth.contains("x-acs-accesskey-id;"));
        assert!(auth.contains("x-acs-security-token;"));
    }

    #[test]
    fn canonical_query_encodes_rfc3986() {
        let query = owned(&[("b", "x y*~"), ("a", "é/"), ("a", "1")]);
        assert_eq!(canonical_query(&query), "a=1&a=%C3%A9%2F&b=x%20y%2A~");
        assert_eq!(canonical_query(&[]), "");
    }
}
