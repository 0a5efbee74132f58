//! Alibaba Cloud RPC signature V1 (`SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`), carried
//! in the query string.
//!
//! The official SDK uses it when configured with `signature_algorithm = 'v2'` (the doc is titled
//! "V2 request syntax and signature"; the signature inside it is version 1.0).
//!
//! Sources: <https://help.aliyun.com/en/sdk/product-overview/rpc-mechanism>,
//! <https://www.alibabacloud.com/help/doc-detail/127287.htm>; `alibabacloud-tea-openapi`
//! `Utils.get_rpcsignature` and `do_rpcrequest`; `aliyun-python-sdk-core`
//! `auth/composer/rpc_signature_composer.py`.
//!
//! 1. `CanonicalizedQueryString`: every parameter except `Signature`, sorted by key, key and value
//!    RFC 3986-encoded, `k=v` joined by `&`.
//! 2. `StringToSign` = `METHOD&%2F&` + RFC 3986(`CanonicalizedQueryString`) (encoded a second
//!    time, so `%3A` becomes `%253A`).
//! 3. `Signature` = Base64(HMAC-SHA1(AccessKeySecret + `&`, `StringToSign`)), sent as the query
//!    parameter `Signature`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use time::OffsetDateTime;

use super::encode::{push_query, push_rfc3986_str, push_rfc3986_twice};
use super::key::HmacSha1Key;
use super::scheme::{Call, Keys, Scheme};
use super::{SignableRequest, SigningOutput, utc_timestamp, with_slice};
use crate::credentials::{Credentials, Secret};

/// The query parameters [`sign`] owns; earlier values are removed before signing again.
const OWNED_PARAMS: [&str; 7] =
    ["AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "SecurityToken", "Signature"];

/// Signs `req` with RPC signature V1 by appending the common parameters and `Signature` to
/// `req.query`.
///
/// Removes any earlier values of those parameters (so a request can be re-signed on retry), then
/// appends `AccessKeyId`, `SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`, `SignatureNonce`
/// (`nonce`, unique per request: a reused one is rejected with `SignatureNonceUsed`), `Timestamp`
/// (`time` in UTC as `YYYY-MM-DDTHH:MM:SSZ`), `SecurityToken` (with STS credentials), and finally
/// `Signature`. Only `req.query` is signed, so every operation parameter must be in the query
/// (the body must not carry form parameters); `Action`, `Version` and `Format` are the caller's.
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

/// The key [`sign_with`] signs with: the AccessKey secret followed by `&`, prepared once.
#[must_use]
pub fn signing_key(access_key_secret: &str) -> HmacSha1Key {
    HmacSha1Key::from_parts(&[access_key_secret.as_bytes(), b"&"])
}

/// [`sign`] with the key that [`signing_key`] prepared from the AccessKey secret: what the client
/// does, keeping the key for as long as it keeps the credentials.
pub fn sign_with(
    req: &mut SignableRequest,
    access_key_id: &str,
    key: &HmacSha1Key,
    security_token: Option<&str>,
    time: OffsetDateTime,
    nonce: &str,
) -> SigningOutput {
    req.query.retain(|(name, _)| !OWNED_PARAMS.contains(&name.as_str()));
    req.query.reserve(OWNED_PARAMS.len());
    let query = &mut req.query;
    for (name, value) in [("AccessKeyId", access_key_id), ("SignatureMethod", "HMAC-SHA1"), ("SignatureVersion", "1.0")]
    {
        query.push((name.to_owned(), value.to_owned()));
    }
    query.push(("SignatureNonce".to_owned(), nonce.to_owned()));
    // The timestamp's own string becomes the value.
    query.push(("Timestamp".to_owned(), utc_timestamp(time, true)));
    if let Some(token) = security_token {
        query.push(("SecurityToken".to_owned(), token.to_owned()));
    }
    let output = compute(&req.method, &req.query, key);
    req.query.push(("Signature".to_owned(), output.signature.clone()));
    output
}

/// Computes the RPC V1 signature of `params` (every parameter of the request; a `Signature`
/// entry is ignored) for the HTTP `method`.
///
/// `canonical_request` is the `CanonicalizedQueryString` and `signature` the Base64 value, before
/// URL encoding.
#[must_use]
pub fn signature(method: &str, params: &[(String, String)], access_key_secret: &str) -> SigningOutput {
    compute(method, params, &signing_key(access_key_secret))
}

/// The signature of `params` under `key`, as [`signature`] describes it.
fn compute(method: &str, params: &[(String, String)], key: &HmacSha1Key) -> SigningOutput {
    let signed = params.iter().filter(|(key, _)| key != "Signature").map(|(k, v)| (k.as_str(), v.as_str()));
    let mut canonical_request = String::with_capacity(512);
    let string_to_sign = with_slice(
        signed,
        || ("", ""),
        |sorted| {
            // Sorted by key in byte order; equal keys (not used by the RPC style) by value, for a
            // stable result.
            sorted.sort_unstable();
            push_query(&mut canonical_request, sorted.iter().copied(), push_rfc3986_str);
            // Room for the canonical query encoded again (at most three bytes for each of its
            // bytes), so that writing it never grows the string.
            let mut string_to_sign = String::with_capacity(method.len() + 5 + 3 * canonical_request.len());
            string_to_sign.extend(method.chars().map(|c| c.to_ascii_uppercase()));
            // `&` + RFC 3986 of `/` + `&`, then the canonical query encoded a second time,
            // written from the pairs rather than by encoding the query again: `=` is `%3D`,
            // `&` is `%26` and each escape `%XX` is `%25XX`.
            string_to_sign.push_str("&%2F&");
            for (index, (key, value)) in sorted.iter().enumerate() {
                if index > 0 {
                    string_to_sign.push_str("%26");
                }
                push_rfc3986_twice(&mut string_to_sign, key);
                string_to_sign.push_str("%3D");
                push_rfc3986_twice(&mut string_to_sign, value);
            }
            string_to_sign
        },
    );
    let signature = STANDARD.encode(key.mac(string_to_sign.as_bytes()));
    SigningOutput { canonical_request, string_to_sign, signature }
}

/// The [`Scheme`] of the official SDK's `do_rpcrequest`: `Action`, `Format` and `Version` join
/// the operation's parameters in the query; the `x-acs-*` headers are sent but not signed.
#[derive(Debug)]
pub(crate) struct RpcV1;

impl Scheme for RpcV1 {
    fn accepts(&self, credentials: &Credentials) -> bool {
        matches!(credentials, Credentials::Alibaba { .. })
    }

    fn keys(&self, credentials: &Credentials) -> Keys {
        match credentials {
            Credentials::Alibaba { access_key_secret, .. } => Keys::HmacSha1(signing_key(access_key_secret.expose())),
            _ => Keys::None,
        }
    }

    fn apply(&self, req: &mut SignableRequest, call: &Call<'_>, credentials: &Credentials, keys: &Keys) {
        let (Credentials::Alibaba { access_key_id, security_token, .. }, Keys::HmacSha1(key)) = (credentials, keys)
        else {
            return;
        };
        let common = [("Action", call.action), ("Format", "json"), ("Version", call.version)];
        // Room for these and the parameters `sign_with` adds, so the list grows once at most.
        req.query.reserve(common.len() + OWNED_PARAMS.len() + 1);
        req.query.splice(0..0, common.map(|(key, value)| (key.to_owned(), value.to_owned())));
        req.headers.push(("x-acs-action".to_owned(), call.action.to_owned()));
        req.headers.push(("x-acs-version".to_owned(), call.version.to_owned()));
        req.headers.push(("user-agent".to_owned(), call.user_agent.to_owned()));
        let token = security_token.as_ref().map(Secret::expose);
        sign_with(req, access_key_id, key, token, call.now, &(call.nonce)());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn owned(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn vector_ap2() {
        // Alibaba "RPC mechanism" doc example.
        let params = owned(&[
            ("AccessKeyId", "testid"),
            ("Action", "DescribeDedicatedHosts"),
            ("Format", "JSON"),
            ("RegionId", "cn-beijing"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "edb2b34af0af9a6d14deaf7c1a5315eb"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2023-03-13T08:34:30Z"),
            ("Version", "2014-05-26"),
        ]);
        let out = signature("GET", &params, "testsecret");
        assert_eq!(out.signature, "9NaGiOspFP5UPcwX8Iwt2YJXXuk=");
    }

    #[test]
    fn vector_ap3() {
        // Older ECS "signature mechanism" doc example; the input order is shuffled on purpose.
        let params = owned(&[
            ("Version", "2014-05-26"),
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("Format", "XML"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("SignatureVersion", "1.0"),
        ]);
        let out = signature("GET", &params, "testsecret");
        assert_eq!(
            out.canonical_request,
            "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1\
             &SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0\
             &Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26"
        );
        assert_eq!(
            out.string_to_sign,
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML\
             %26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf\
             %26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
        );
        assert_eq!(out.signature, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");

        // A Signature already in the list is not signed.
        let mut with_sig = params.clone();
        with_sig.push(("Signature".into(), "old".into()));
        assert_eq!(signature("GET", &with_sig, "testsecret"), out);
    }

    #[test]
    fn vector_ap2_through_sign() {
        let unsigned = SignableRequest {
            method: "GET".into(),
            host: "ecs.aliyuncs.com".into(),
            path: "/".into(),
            query: owned(&[
                ("Action", "DescribeDedicatedHosts"),
                ("Format", "JSON"),
                ("RegionId", "cn-beijing"),
                ("Version", "2014-05-26"),
            ]),
            ..SignableRequest::default()
        };
        let (time, nonce) = (datetime!(2023-03-13 08:34:30 UTC), "edb2b34af0af9a6d14deaf7c1a5315eb");
        let mut req = unsigned.clone();
        let out = sign(&mut req, "testid", "testsecret", None, time, nonce);
        assert_eq!(out.signature, "9NaGiOspFP5UPcwX8Iwt2YJXXuk=");
        assert_eq!(req.query.last(), Some(&("Signature".to_owned(), "9NaGiOspFP5UPcwX8Iwt2YJXXuk=".to_owned())));
        // A key prepared once (the secret and `&`) signs any number of requests the same way.
        let key = signing_key("testsecret");
        for _ in 0..2 {
            let mut again = unsigned.clone();
            assert_eq!(sign_with(&mut again, "testid", &key, None, time, nonce), out);
            assert_eq!(again, req);
        }
    }

    fn sample() -> SignableRequest {
        SignableRequest {
            method: "POST".into(),
            host: "actiontrail.cn-hangzhou.aliyuncs.com".into(),
            path: "/".into(),
            query: owned(&[
                ("Action", "CreateDeliveryHistoryJob"),
                ("Version", "2020-07-06"),
                ("Format", "json"),
                ("TrailName", "my trail*"),
            ]),
            ..SignableRequest::default()
        }
    }

    #[test]
    fn sign_appends_params_and_is_deterministic() {
        let time = datetime!(2024-01-02 11:04:05 +8);
        let mut first = sample();
        let out = sign(&mut first, "ak", "sk", Some("tok"), time, "nonce-1");
        let keys: Vec<&str> = first.query.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "Action",
                "Version",
                "Format",
                "TrailName",
                "AccessKeyId",
                "SignatureMethod",
                "SignatureVersion",
                "SignatureNonce",
                "Timestamp",
                "SecurityToken",
                "Signature"
            ]
        );
        let value = |key: &str| first.query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        assert_eq!(value("AccessKeyId"), Some("ak"));
        assert_eq!(value("SignatureMethod"), Some("HMAC-SHA1"));
        assert_eq!(value("SignatureVersion"), Some("1.0"));
        assert_eq!(value("SignatureNonce"), Some("nonce-1"));
        assert_eq!(value("Timestamp"), Some("2024-01-02T03:04:05Z"));
        assert_eq!(value("SecurityToken"), Some("tok"));
        assert_eq!(value("Signature"), Some(out.signature.as_str()));
        assert!(out.canonical_request.contains("TrailName=my%20trail%2A"));
        assert!(first.headers.is_empty());

        // Deterministic, and re-signing replaces rather than duplicates the parameters.
        let mut second = sample();
        assert_eq!(sign(&mut second, "ak", "sk", Some("tok"), time, "nonce-1"), out);
        assert_eq!(second, first);
        assert_eq!(sign(&mut second, "ak", "sk", Some("tok"), time, "nonce-1"), out);
        assert_eq!(second, first);

        // A different nonce changes the signature.
        let mut third = sample();
        let other = sign(&mut third, "ak", "sk", Some("tok"), time, "nonce-2");
        assert_ne!(other.signature, out.signature);

        // Without a token there is no SecurityToken.
        let mut fourth = sample();
        sign(&mut fourth, "ak", "sk", None, time, "nonce-1");
        assert!(fourth.query.iter().all(|(k, _)| k != "SecurityToken"));
    }
}
