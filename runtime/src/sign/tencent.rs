//! Tencent Cloud legacy CLS signature (`q-sign-algorithm=sha1`), also used, with RFC 3986 value
//! encoding, by COS.
//!
//! Sources: the legacy CLS "Request Signature" doc
//! (<https://intl.cloud.tencent.com/document/api/614/12445>); `tencentcloud-cls-sdk-python`
//! 1.0.9 `tencentcloud/log/auth.py::signature` and `logclient.py::_send`; the Go and Rust CLS SDKs
//! (`signature.go`, `src/sign.rs`); the COS request-signature doc for the COS vector.
//!
//! 1. `KeyTime` = `SignTime` = `<start>;<end>` in Unix seconds (the SDKs use `now-60;now+expire`).
//! 2. `FormatedParameters`: the parameters with keys lowercased, sorted, `k=v` with key and value
//!    encoded, joined by `&`; `q-url-param-list` = the keys joined by `;`.
//! 3. `FormatedHeaders`: the same for the signed headers; `q-header-list` = their names.
//! 4. `HttpRequestInfo` = `lower(method)\n<path>\nFormatedParameters\nFormatedHeaders\n`.
//! 5. `StringToSign` = `sha1\n<SignTime>\n<hex SHA-1(HttpRequestInfo)>\n`.
//! 6. `SignKey` = hex HMAC-SHA1(SecretKey, `KeyTime`).
//! 7. Signature = hex HMAC-SHA1(key = the hex string `SignKey`, `StringToSign`).
//!
//! The CLS SDKs encode values as forms (`quote_plus`: space is `+`), which [`sign`] uses; COS uses
//! RFC 3986 (`%20`). [`signature`] takes the encoder as a parameter so both can be reproduced.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;

use sha1::{Digest, Sha1};

use super::encode::{form, push_form};
use super::key::HmacSha1Key;
use super::scheme::{Call, Keys, Scheme};
#[cfg(test)]
use super::sha1_hex;
use super::text::ShortText;
use super::{SignableRequest, SigningOutput, hex_into, push_hex, with_slice};
use crate::credentials::{Credentials, Secret};

/// The headers the Python CLS SDK signs when present (`auth.py`).
const SIGNED_HEADERS: [&str; 2] = ["content-type", "content-md5"];

/// Signs `req` for the legacy CLS API and sets its `Authorization` header.
///
/// The key time is `start;end` (Unix seconds; the SDKs use `now-60` and `now+300`, and `end` must
/// be after `start`). Signs every query parameter (keys lowercased, form-encoded values) and the
/// headers `content-type`, `content-md5` and `host` when present, as the Python SDK does; `host`
/// is the `Host` header when `req.headers` has one, otherwise `req.host` (omitted when empty). The
/// path signed is `req.path` percent-decoded (kept as sent when its decoding is not UTF-8).
///
/// With temporary credentials, sets `X-Cls-Token` first; like the Python SDK it is not signed.
///
/// This prepares the key for the one request; [`sign_with`] signs with a key prepared once.
pub fn sign(
    req: &mut SignableRequest,
    secret_id: &str,
    secret_key: &str,
    security_token: Option<&str>,
    start: i64,
    end: i64,
) -> SigningOutput {
    sign_with(req, secret_id, &signing_key(secret_key), security_token, start, end)
}

/// The key [`sign_with`] signs with: the SecretKey, prepared once. (The key of the final HMAC,
/// `SignKey`, depends on the key time, so only the first HMAC's key can be prepared.)
#[must_use]
pub fn signing_key(secret_key: &str) -> HmacSha1Key {
    HmacSha1Key::new(secret_key.as_bytes())
}

/// [`sign`] with the key that [`signing_key`] prepared from the SecretKey: what the client does,
/// keeping the key for as long as it keeps the credentials.
pub fn sign_with(
    req: &mut SignableRequest,
    secret_id: &str,
    key: &HmacSha1Key,
    security_token: Option<&str>,
    start: i64,
    end: i64,
) -> SigningOutput {
    // Room for the headers set here, so the list grows once at most.
    req.headers.reserve(2);
    if let Some(token) = security_token {
        req.set_header("X-Cls-Token", token.to_owned());
    }
    let mut key_time = ShortText::new();
    key_time.push_i64(start);
    key_time.push(b';');
    key_time.push_i64(end);
    let key_time = key_time.as_str();
    let host = match req.header("host") {
        Some(host) => Some(host),
        None if !req.host.is_empty() => Some(req.host.as_str()),
        None => None,
    };
    let mut headers = [("", ""); 3];
    let mut count = 0;
    for (name, value) in
        SIGNED_HEADERS.iter().filter_map(|name| Some((*name, req.header(name)?))).chain(host.map(|h| ("host", h)))
    {
        headers[count] = (name, value);
        count += 1;
    }
    let headers = &headers[..count];
    let path = percent_decode_str(&req.path).decode_utf8().unwrap_or(Cow::Borrowed(&req.path));
    let output = compute(&req.method, &path, &req.query, headers, key, key_time, push_form);
    let mut value = String::with_capacity(200 + secret_id.len() + 2 * key_time.len());
    for part in ["q-sign-algorithm=sha1&q-ak=", secret_id, "&q-sign-time=", key_time, "&q-key-time=", key_time] {
        value.push_str(part);
    }
    value.push_str("&q-header-list=");
    push_names(&mut value, headers, push_form);
    value.push_str("&q-url-param-list=");
    push_names(&mut value, &req.query, push_form);
    value.push_str("&q-signature=");
    value.push_str(&output.signature);
    req.set_header("Authorization", value);
    output
}

/// Computes the `q-sign-algorithm=sha1` signature: `path_decoded` is the decoded (UTF-8) path,
/// `params` and `headers` the pairs to sign (names are lowercased here), `key_time` is
/// `start;end`, and `encoder` encodes keys and values ([`super::encode::form`] for CLS,
/// [`super::encode::rfc3986`] for COS).
///
/// `canonical_request` is the `HttpRequestInfo`; `signature` is the hex `q-signature`.
#[must_use]
pub fn signature(
    method: &str,
    path_decoded: &str,
    params: &[(String, String)],
    headers: &[(String, String)],
    secret_key: &str,
    key_time: &str,
    encoder: fn(&str) -> String,
) -> SigningOutput {
    let push = |out: &mut String, s: &str| out.push_str(&encoded(s, encoder));
    compute(method, path_decoded, params, headers, &signing_key(secret_key), key_time, push)
}

/// The shared computation behind [`sign_with`] and [`signature`]; `push` appends a key or value
/// encoded.
fn compute<K: AsRef<str>, V: AsRef<str>>(
    method: &str,
    path_decoded: &str,
    params: &[(String, String)],
    headers: &[(K, V)],
    key: &HmacSha1Key,
    key_time: &str,
    push: impl Fn(&mut String, &str) + Copy,
) -> SigningOutput {
    let mut canonical_request = String::with_capacity(256);
    if method.is_ascii() {
        let start = canonical_request.len();
        canonical_request.push_str(method);
        canonical_request[start..].make_ascii_lowercase();
    } else {
        canonical_request.extend(method.chars().flat_map(char::to_lowercase));
    }
    canonical_request.push('\n');
    canonical_request.push_str(path_decoded);
    canonical_request.push('\n');
    push_pairs(&mut canonical_request, params, push);
    canonical_request.push('\n');
    push_pairs(&mut canonical_request, headers, push);
    canonical_request.push('\n');
    let mut string_to_sign = String::with_capacity(key_time.len() + 48);
    for part in ["sha1\n", key_time, "\n"] {
        string_to_sign.push_str(part);
    }
    push_hex(&mut string_to_sign, &Sha1::digest(canonical_request.as_bytes()));
    string_to_sign.push('\n');
    // `SignKey` is the hex HMAC of the key time; it keys the final HMAC as text.
    let mut sign_key = [0_u8; 40];
    hex_into(&mut sign_key, &key.mac(key_time.as_bytes()));
    let mut signature = String::with_capacity(40);
    push_hex(&mut signature, &HmacSha1Key::new(&sign_key).mac(string_to_sign.as_bytes()));
    SigningOutput { canonical_request, string_to_sign, signature }
}

/// Calls `f` with `pairs` whose keys are lowercased (Unicode, like Python's `str.lower`), sorted
/// by key then value, on the stack.
fn with_sorted<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)], f: impl FnOnce(&[(Cow<'_, str>, &str)])) {
    let lowered = pairs.iter().map(|(key, value)| (lowercase(key.as_ref()), value.as_ref()));
    with_slice(
        lowered,
        || (Cow::Borrowed(""), ""),
        |list| {
            list.sort_unstable();
            f(list);
        },
    );
}

/// Appends the `k=v&…` string of `pairs` (keys lowercased, sorted by key then value, both
/// encoded with `push`) to `out`.
fn push_pairs<K: AsRef<str>, V: AsRef<str>>(out: &mut String, pairs: &[(K, V)], push: impl Fn(&mut String, &str)) {
    with_sorted(pairs, |list| {
        for (index, (key, value)) in list.iter().enumerate() {
            if index > 0 {
                out.push('&');
            }
            push(out, key);
            out.push('=');
            push(out, value);
        }
    });
}

/// Appends the `;`-joined key list that goes with [`push_pairs`] (the same keys, in the same
/// order, encoded the same way) to `out`.
///
/// For the plain keys the APIs use, the encoded key is the lowercased key itself; for other keys,
/// using the same encoded form in the list and in the string keeps the two consistent (the COS doc
/// specifies the key list as encoded and lowercased).
fn push_names<K: AsRef<str>, V: AsRef<str>>(out: &mut String, pairs: &[(K, V)], push: impl Fn(&mut String, &str)) {
    with_sorted(pairs, |list| {
        for (index, (key, _)) in list.iter().enumerate() {
            if index > 0 {
                out.push(';');
            }
            push(out, key);
        }
    });
}

/// [`push_pairs`] and [`push_names`] into new strings: the `k=v&…` string and the key list.
#[cfg(test)]
fn format_pairs(pairs: &[(String, String)], encoder: fn(&str) -> String) -> (String, String) {
    let push = |out: &mut String, s: &str| out.push_str(&encoded(s, encoder));
    let (mut formatted, mut names) = (String::new(), String::new());
    push_pairs(&mut formatted, pairs, push);
    push_names(&mut names, pairs, push);
    (formatted, names)
}

/// `s` in lower case, borrowed when it already is.
fn lowercase(s: &str) -> Cow<'_, str> {
    if s.is_ascii() && !s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

/// `s` encoded with `encoder`, borrowed when encoding would not change it (the usual case for
/// the plain names and values signed here).
fn encoded(s: &str, encoder: fn(&str) -> String) -> Cow<'_, str> {
    if s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(encoder(s))
    }
}

/// The [`Scheme`] of the legacy CLS API: form-encoded query, JSON content type with a body,
/// and the key time the official CLS SDKs use (from a minute ago to five minutes ahead).
#[derive(Debug)]
pub(crate) struct QSignSha1;

impl Scheme for QSignSha1 {
    fn accepts(&self, credentials: &Credentials) -> bool {
        matches!(credentials, Credentials::Tencent { .. })
    }

    fn query_encoder(&self) -> fn(&str) -> String {
        form
    }

    fn push_query_text(&self) -> fn(&mut String, &str) {
        push_form
    }

    fn keys(&self, credentials: &Credentials) -> Keys {
        match credentials {
            Credentials::Tencent { secret_key, .. } => Keys::HmacSha1(signing_key(secret_key.expose())),
            _ => Keys::None,
        }
    }

    fn apply(&self, req: &mut SignableRequest, call: &Call<'_>, credentials: &Credentials, keys: &Keys) {
        let (Credentials::Tencent { secret_id, token, .. }, Keys::HmacSha1(key)) = (credentials, keys) else { return };
        // Room for the two headers pushed here and the two `sign_with` may set.
        req.headers.reserve(4);
        req.headers.push(("User-Agent".to_owned(), call.user_agent.to_owned()));
        if !req.body.is_empty() {
            req.headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
        }
        let start = call.now.unix_timestamp() - 60;
        let token = token.as_ref().map(Secret::expose);
        sign_with(req, secret_id, key, token, start, start + 360);
    }
}

#[cfg(test)]
mod tests {
    use super::super::encode::rfc3986;
    use super::super::hmac_sha1;
    use super::*;

    const CLS_ID: &str = "AKIDc9YlmrBcFk4C8sbmXQ8i65XXXXXXXXXX";
    const CLS_KEY: &str = "LUSE4nPK1d4tX5SHyXv6tZXXXXXXXXXX";
    const CLS_KEY_TIME: &str = "1578976553;1578978363";
    const CLS_SIGN_KEY: &str = "f49255658de17084898d83beaa755b9f0301591f";

    fn owned(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    fn cls_headers() -> Vec<(String, String)> {
        owned(&[("Host", "ap-shanghai.cls.tencentyun.com"), ("Content-Type", "application/json")])
    }

    #[test]
    fn sign_key_of_cls_vectors() {
        assert_eq!(hex::encode(hmac_sha1(CLS_KEY.as_bytes(), CLS_KEY_TIME.as_bytes())), CLS_SIGN_KEY);
    }

    #[test]
    fn vector_tp1() {
        let params = owned(&[("logset_id", "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")]);
        let out = &signature("GET", "/logset", &params, &cls_headers(), CLS_KEY, CLS_KEY_TIME, form);
        assert_eq!(
            out.canonical_request,
            "get\n/logset\nlogset_id=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\n\
             content-type=application%2Fjson&host=ap-shanghai.cls.tencentyun.com\n"
        );
        assert_eq!(sha1_hex(out.canonical_request.as_bytes()), "e2d0126b61269ef047d9d05b6c385cea0aea9799");
        assert_eq!(out.string_to_sign, "sha1\n1578976553;1578978363\ne2d0126b61269ef047d9d05b6c385cea0aea9799\n");
        assert_eq!(out.signature, "315dfa0d0ce55582145f7800df5eb3e9c88d2f84");
        assert_eq!(format_pairs(&cls_headers(), form).1, "content-type;host");
        assert_eq!(format_pairs(&params, form).1, "logset_id");
    }

    #[test]
    fn vector_tp1_through_sign() {
        let unsigned = SignableRequest {
            method: "GET".into(),
            host: "ap-shanghai.cls.tencentyun.com".into(),
            path: "/logset".into(),
            query: owned(&[("logset_id", "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")]),
            headers: owned(&[("Content-Type", "application/json")]),
            body: Vec::new(),
        };
        let mut req = unsigned.clone();
        let out = sign(&mut req, CLS_ID, CLS_KEY, None, 1_578_976_553, 1_578_978_363);
        assert_eq!(out.signature, "315dfa0d0ce55582145f7800df5eb3e9c88d2f84");
        // A key prepared once signs any number of requests the same way.
        let key = signing_key(CLS_KEY);
        for _ in 0..2 {
            let mut again = unsigned.clone();
            assert_eq!(sign_with(&mut again, CLS_ID, &key, None, 1_578_976_553, 1_578_978_363), out);
            assert_eq!(again, req);
        }
        assert_eq!(
            req.header("authorization"),
            Some(
                "q-sign-algorithm=sha1&q-ak=AKIDc9YlmrBcFk4C8sbmXQ8i65XXXXXXXXXX\
                 &q-sign-time=1578976553;1578978363&q-key-time=1578976553;1578978363\
                 &q-header-list=content-type;host&q-url-param-list=logset_id\
                 &q-signature=315dfa0d0ce55582145f7800df5eb3e9c88d2f84"
            )
        );
    }

    #[test]
    fn vector_tp2() {
        let out = &signature("PUT", "/logset", &[], &cls_headers(), CLS_KEY, CLS_KEY_TIME, form);
        assert_eq!(
            out.canonical_request,
            "put\n/logset\n\ncontent-type=application%2Fjson&host=ap-shanghai.cls.tencentyun.com\n"
        );
        assert_eq!(sha1_hex(out.canonical_request.as_bytes()), "e86af9693f3de2047dd10dbe2898ecaf1df00de0");
        assert_eq!(out.signature, "600aeb5e646d385d7dd9da57ba9b2545cadfaa1c");
        assert_eq!(format_pairs(&[], form).1, "");
        assert_eq!(format_pairs(&cls_headers(), form).1, "content-type;host");
    }

    #[test]
    fn vector_cos() {
        // The COS request-signature doc's example; COS encodes with RFC 3986 and signs the decoded
        // UTF-8 path.
        let key = "BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz";
        let key_time = "1557989753;1557996953";
        let params =
            owned(&[("response-content-type", "application/octet-stream"), ("response-cache-control", "max-age=600")]);
        let headers = owned(&[
            ("Date", "Thu, 16 May 2019 06:55:53 GMT"),
            ("Host", "examplebucket-1250000000.cos.ap-beijing.myqcloud.com"),
        ]);
        assert_eq!(
            hex::encode(hmac_sha1(key.as_bytes(), key_time.as_bytes())),
            "937914bf490e9e8c189836aad2052e4feeb35eaf"
        );
        let out = signature("GET", "/exampleobject(腾讯云)", &params, &headers, key, key_time, rfc3986);
        assert_eq!(
            out.canonical_request,
            "get\n/exampleobject(腾讯云)\n\
             response-cache-control=max-age%3D600&response-content-type=application%2Foctet-stream\n\
             date=Thu%2C%2016%20May%202019%2006%3A55%3A53%20GMT\
             &host=examplebucket-1250000000.cos.ap-beijing.myqcloud.com\n"
        );
        assert_eq!(sha1_hex(out.canonical_request.as_bytes()), "54ecfe22f59d3514fdc764b87a32d8133ea611e6");
        assert_eq!(out.signature, "01681b8c9d798a678e43b685a9f1bba0f6c0e012");
    }

    #[test]
    fn format_pairs_lowercases_sorts_and_encodes() {
        let pairs = owned(&[("Start_Time", "2017-10-10 00:00:00"), ("a", "x*~/"), ("A", "é"), ("b", "腾讯云")]);
        let (formatted, names) = format_pairs(&pairs, form);
        assert_eq!(formatted, "a=x%2A~%2F&a=%C3%A9&b=%E8%85%BE%E8%AE%AF%E4%BA%91&start_time=2017-10-10+00%3A00%3A00");
        assert_eq!(names, "a;a;b;start_time");
        let (formatted, _) = format_pairs(&pairs[..1], rfc3986);
        assert_eq!(formatted, "start_time=2017-10-10%2000%3A00%3A00");
        assert_eq!(format_pairs(&[], form), (String::new(), String::new()));
    }

    fn sample() -> SignableRequest {
        SignableRequest {
            method: "GET".into(),
            host: "ap-guangzhou.cls.tencentcs.com".into(),
            path: "/tasks".into(),
            query: owned(&[
                ("shipper_id", "abc"),
                ("start_time", "2024-01-01 00:00:00"),
                ("end_time", "2024-01-02 00:00:00"),
            ]),
            headers: owned(&[("User-Agent", "x"), ("x-custom", "y")]),
            body: Vec::new(),
        }
    }

    #[test]
    fn sign_sets_headers_and_is_deterministic() {
        let mut first = sample();
        let out = sign(&mut first, "id", "key", Some("tok"), 1_700_000_000, 1_700_000_300);
        assert_eq!(first.header("X-Cls-Token"), Some("tok"));
        assert_eq!(
            out.canonical_request,
            "get\n/tasks\n\
             end_time=2024-01-02+00%3A00%3A00&shipper_id=abc&start_time=2024-01-01+00%3A00%3A00\n\
             host=ap-guangzhou.cls.tencentcs.com\n"
        );
        let expected = format!(
            "q-sign-algorithm=sha1&q-ak=id&q-sign-time=1700000000;1700000300\
             &q-key-time=1700000000;1700000300&q-header-list=host\
             &q-url-param-list=end_time;shipper_id;start_time&q-signature={}",
            out.signature
        );
        assert_eq!(first.header("Authorization"), Some(expected.as_str()));

        let mut second = sample();
        assert_eq!(sign(&mut second, "id", "key", Some("tok"), 1_700_000_000, 1_700_000_300), out);
        assert_eq!(second, first);
        // Re-signing the signed request gives the same result.
        assert_eq!(sign(&mut second, "id", "key", Some("tok"), 1_700_000_000, 1_700_000_300), out);
        assert_eq!(second, first);

        // No nonce in this scheme; a different key time changes the signature.
        let mut third = sample();
        let other = sign(&mut third, "id", "key", Some("tok"), 1_700_000_001, 1_700_000_300);
        assert_ne!(other.signature, out.signature);

        let mut fourth = sample();
        sign(&mut fourth, "id", "key", None, 1_700_000_000, 1_700_000_300);
        assert_eq!(fourth.header("X-Cls-Token"), None);
        // The token is not signed.
        assert_eq!(sign(&mut fourth, "id", "key", None, 1_700_000_000, 1_700_000_300), out);
    }

    #[test]
    fn sign_signs_content_headers_and_decoded_path() {
        let mut req = SignableRequest {
            method: "PUT".into(),
            host: "h".into(),
            path: "/a%20b".into(),
            headers: owned(&[
                ("Content-MD5", "abc=="),
                ("Content-Type", "application/json"),
                ("Host", "explicit.example.com"),
            ]),
            body: b"{}".to_vec(),
            ..SignableRequest::default()
        };
        let out = sign(&mut req, "id", "key", None, 1, 2);
        assert_eq!(
            out.canonical_request,
            "put\n/a b\n\ncontent-md5=abc%3D%3D&content-type=application%2Fjson\
             &host=explicit.example.com\n"
        );
        assert!(
            req.header("authorization")
                .unwrap_or_default()
                .contains("&q-header-list=content-md5;content-type;host&q-url-param-list=&")
        );
    }
}
