//! Tencent Cloud API 3.0 `TC3-HMAC-SHA256`, the signature of every Tencent Cloud API 3.0 product
//! (CLS 2020-10-16 among them).
//!
//! Sources: the "Signature v3" doc (<https://tencentcloud.com/document/api/614/42761>, whose
//! worked example the tests reproduce step by step) and the official Python SDK
//! (`TencentCloud/tencentcloud-sdk-python` at `bf297176`, `tencentcloud/common/abstract_client.py`
//! `_build_req_with_tc3_signature` and `_get_tc3_signature`, `tencentcloud/common/sign.py`
//! `Sign.sign_tc3`), read to confirm the header set and the exact canonical form.
//!
//! 1. `CanonicalRequest` = `METHOD\n/\nCanonicalQueryString\nCanonicalHeaders\nSignedHeaders\nHashedRequestPayload`:
//!    the query string as sent for GET and empty for POST; `CanonicalHeaders` =
//!    `content-type:<value>\nhost:<value>\n` (the SDK signs exactly these two, in this order, the
//!    values as sent); `SignedHeaders` = `content-type;host`; `HashedRequestPayload` = lowercase hex
//!    SHA-256 of the body bytes (of the empty string for GET).
//! 2. `StringToSign` = `TC3-HMAC-SHA256\n<X-TC-Timestamp>\n<Date>/<service>/tc3_request\n<hex SHA-256(CanonicalRequest)>`,
//!    `Date` being the **UTC** date of the timestamp.
//! 3. Signing key: `HMAC("TC3" + SecretKey, Date)`, then `HMAC(·, service)`, then
//!    `HMAC(·, "tc3_request")`, raw bytes chained.
//! 4. Signature = lowercase hex HMAC-SHA256(signing key, `StringToSign`).
//! 5. `Authorization: TC3-HMAC-SHA256 Credential=<SecretId>/<Date>/<service>/tc3_request, SignedHeaders=content-type;host, Signature=<hex>`
//!    (a comma **and a space** between the parts).

use std::fmt;
use std::sync::{Mutex, PoisonError};

use time::{Date, OffsetDateTime, UtcOffset};

use sha2::{Digest, Sha256};

use super::encode::{form, push_form, push_query};
use super::key::HmacSha256Key;
use super::scheme::{Call, Keys, Scheme};
#[cfg(test)]
use super::sha256_hex;
use super::text::ShortText;
use super::{SignableRequest, SigningOutput, hmac_sha256, push_date, push_hex, push_sha256_hex};
use crate::credentials::{Credentials, Secret};

/// The algorithm name, first line of the string to sign and start of `Authorization`.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// The headers signed, in canonical order (the official SDK signs exactly these).
pub const SIGNED_HEADERS: &str = "content-type;host";

/// Signs `req` for a Tencent Cloud API 3.0 `service` (the product name of the credential scope,
/// such as `cls` or `cvm`) and sets its `Authorization` header.
///
/// Sets first (replacing earlier values, so a request can be re-signed on retry):
/// `X-TC-Timestamp` (`now` in Unix seconds) and, with temporary credentials, `X-TC-Token`
/// (not signed, as in the SDK). Then signs `Content-Type` and the host (the `Host` header when
/// `req.headers` has one, else `req.host`) as [`signature`] does.
///
/// This derives the signing key for the one request; [`sign_with`] signs with a [`SigningKey`]
/// that derives it once a day.
pub fn sign(
    req: &mut SignableRequest,
    secret_id: &str,
    secret_key: &str,
    token: Option<&str>,
    service: &str,
    now: OffsetDateTime,
) -> SigningOutput {
    // Derived for this request alone: no cache to lock or fill.
    let secret = SigningKey::secret_key(secret_key);
    sign_keyed(req, secret_id, token, service, now, |_, date_text| derive(&secret, date_text, service))
}

/// [`sign`] with a [`SigningKey`] kept across requests: what the client does, keeping the key for
/// as long as it keeps the credentials.
pub fn sign_with(
    req: &mut SignableRequest,
    secret_id: &str,
    key: &SigningKey,
    token: Option<&str>,
    service: &str,
    now: OffsetDateTime,
) -> SigningOutput {
    sign_keyed(req, secret_id, token, service, now, |date, date_text| key.signing_key(date, date_text, service))
}

/// Sets the headers, signs with the signing key `signing_key` gives for the UTC date of `now`
/// (as a date and as `YYYY-MM-DD`), and sets `Authorization`.
fn sign_keyed(
    req: &mut SignableRequest,
    secret_id: &str,
    token: Option<&str>,
    service: &str,
    now: OffsetDateTime,
    signing_key: impl FnOnce(Date, &str) -> HmacSha256Key,
) -> SigningOutput {
    // Room for the headers set here, so the list grows once at most.
    req.headers.reserve(3);
    let mut timestamp = ShortText::new();
    timestamp.push_i64(now.unix_timestamp());
    req.set_header("X-TC-Timestamp", timestamp.as_str().to_owned());
    if let Some(token) = token {
        req.set_header("X-TC-Token", token.to_owned());
    }
    let date = utc_date(now);
    let output = compute(req, service, signing_key, now.unix_timestamp(), date);
    req.set_header("Authorization", authorization(secret_id, date, service, &output.signature));
    output
}

/// Recomputes the signature of a request that carries its `X-TC-Timestamp` (for checking a
/// received request); `None` when that header is missing or not a Unix time in seconds.
#[must_use]
pub fn signature(req: &SignableRequest, service: &str, secret_key: &str) -> Option<SigningOutput> {
    let timestamp: i64 = req.header("x-tc-timestamp")?.trim().parse().ok()?;
    let at = OffsetDateTime::from_unix_timestamp(timestamp).ok()?;
    let secret = SigningKey::secret_key(secret_key);
    Some(compute(req, service, |_, date_text| derive(&secret, date_text, service), timestamp, utc_date(at)))
}

/// A SecretKey prepared for signing: the HMAC key `"TC3" + SecretKey`, and the signing key last
/// derived from it (step 3) with the date and service it was derived for.
///
/// The signing key depends only on the secret, the UTC date and the service, so a client that
/// keeps one `SigningKey` derives it once a day per service instead of for every request (three
/// HMACs). Requests for another date or service derive a new one, which replaces the cached one;
/// the cache is behind a lock, so one key serves concurrent requests. `Debug` never shows a key.
pub struct SigningKey {
    /// The HMAC key `"TC3" + SecretKey`.
    secret: HmacSha256Key,
    /// The last derived signing key.
    derived: Mutex<Option<Derived>>,
}

/// A derived signing key and its scope.
struct Derived {
    date: Date,
    service: String,
    key: HmacSha256Key,
}

impl SigningKey {
    /// Prepares `secret_key` (the Tencent Cloud SecretKey).
    #[must_use]
    pub fn new(secret_key: &str) -> Self {
        Self { secret: Self::secret_key(secret_key), derived: Mutex::new(None) }
    }

    /// The HMAC key `"TC3" + SecretKey` that step 3 starts from.
    fn secret_key(secret_key: &str) -> HmacSha256Key {
        HmacSha256Key::from_parts(&[b"TC3", secret_key.as_bytes()])
    }

    /// The signing key for `service` on `date`, whose `YYYY-MM-DD` form is `date_text`: the
    /// cached one when it was derived for the same date and service, else a new one, cached.
    fn signing_key(&self, date: Date, date_text: &str, service: &str) -> HmacSha256Key {
        // A panic elsewhere while the lock was held cannot leave a half-written entry (entries
        // are replaced whole), so a poisoned lock is used as is.
        let mut derived = self.derived.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(cached) = derived.as_ref().filter(|d| d.date == date && d.service == service) {
            return cached.key.clone();
        }
        let key = derive(&self.secret, date_text, service);
        *derived = Some(Derived { date, service: service.to_owned(), key: key.clone() });
        key
    }
}

/// Step 3: the signing key for `service` on the `YYYY-MM-DD` date `date_text`, from the HMAC key
/// `"TC3" + SecretKey`.
fn derive(secret: &HmacSha256Key, date_text: &str, service: &str) -> HmacSha256Key {
    let secret_date = secret.mac(date_text.as_bytes());
    let secret_service = hmac_sha256(&secret_date, service.as_bytes());
    HmacSha256Key::new(&hmac_sha256(&secret_service, b"tc3_request"))
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(***)")
    }
}

/// The `Authorization` header value for a signature made on `date` (UTC).
#[must_use]
pub fn authorization(secret_id: &str, date: Date, service: &str, signature: &str) -> String {
    let mut value = String::with_capacity(secret_id.len() + service.len() + signature.len() + 100);
    for part in [ALGORITHM, " Credential=", secret_id, "/"] {
        value.push_str(part);
    }
    push_iso_date(&mut value, date);
    for part in ["/", service, "/tc3_request, SignedHeaders=", SIGNED_HEADERS, ", Signature=", signature] {
        value.push_str(part);
    }
    value
}

/// The UTC calendar date of `at` (the SDK's `datetime.utcfromtimestamp(...)`); a local date
/// would break every call made around midnight. At the edge of what `time` can represent the
/// conversion is skipped rather than panicking.
#[must_use]
pub fn utc_date(at: OffsetDateTime) -> Date {
    at.checked_to_offset(UtcOffset::UTC).unwrap_or(at).date()
}

/// `date` as the credential scope writes it: `YYYY-MM-DD`.
#[must_use]
pub fn iso_date(date: Date) -> String {
    let mut out = String::with_capacity(10);
    push_iso_date(&mut out, date);
    out
}

/// Appends `date` as `YYYY-MM-DD` (a year before 0 keeps its sign).
fn push_iso_date(out: &mut String, date: Date) {
    let mut text = ShortText::new();
    push_date(&mut text, date, Some(b'-'));
    out.push_str(text.as_str());
}

/// Steps 1 to 4 for `req` at `timestamp` (whose UTC date is `date`).
/// `signing_key` gives the signing key for `date` (and its `YYYY-MM-DD` form).
fn compute(
    req: &SignableRequest,
    service: &str,
    signing_key: impl FnOnce(Date, &str) -> HmacSha256Key,
    timestamp: i64,
    date: Date,
) -> SigningOutput {
    let content_type = req.header("content-type").unwrap_or_default();
    let host = req.header("host").unwrap_or(&req.host);
    let mut canonical_request = String::with_capacity(256);
    canonical_request.push_str(&req.method);
    canonical_request.push('\n');
    canonical_request.push_str(if req.path.is_empty() { "/" } else { &req.path });
    canonical_request.push('\n');
    // GET sends the parameters as a form-encoded query and signs that string; POST signs the body.
    let payload = if req.method.eq_ignore_ascii_case("GET") {
        push_query(&mut canonical_request, req.query.iter().map(|(k, v)| (k.as_str(), v.as_str())), push_form);
        &[][..]
    } else {
        req.body.as_slice()
    };
    for part in ["\ncontent-type:", content_type.trim(), "\nhost:", host.trim(), "\n\n", SIGNED_HEADERS, "\n"] {
        canonical_request.push_str(part);
    }
    push_sha256_hex(&mut canonical_request, payload);

    let mut string_to_sign = String::with_capacity(ALGORITHM.len() + service.len() + 120);
    string_to_sign.push_str(ALGORITHM);
    string_to_sign.push('\n');
    // `timestamp` as decimal, through a stack buffer.
    let mut text = ShortText::new();
    text.push_i64(timestamp);
    string_to_sign.push_str(text.as_str());
    string_to_sign.push('\n');
    let date_start = string_to_sign.len();
    push_iso_date(&mut string_to_sign, date);
    let date_end = string_to_sign.len();
    for part in ["/", service, "/tc3_request\n"] {
        string_to_sign.push_str(part);
    }
    push_hex(&mut string_to_sign, &Sha256::digest(canonical_request.as_bytes()));

    let date_text = string_to_sign.get(date_start..date_end).unwrap_or_default();
    let signing_key = signing_key(date, date_text);
    let mut signature = String::with_capacity(64);
    push_hex(&mut signature, &signing_key.mac(string_to_sign.as_bytes()));
    SigningOutput { canonical_request, string_to_sign, signature }
}

/// The [`Scheme`] of Tencent Cloud API 3.0. The protocol's own headers (`X-TC-Action`,
/// `X-TC-Version`, `X-TC-Region`, `Content-Type`) are written before, by the protocol; this adds
/// the user agent and signs.
#[derive(Debug)]
pub(crate) struct Tc3HmacSha256;

impl Scheme for Tc3HmacSha256 {
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
            Credentials::Tencent { secret_key, .. } => Keys::Tc3(SigningKey::new(secret_key.expose())),
            _ => Keys::None,
        }
    }

    fn apply(&self, req: &mut SignableRequest, call: &Call<'_>, credentials: &Credentials, keys: &Keys) {
        let (Credentials::Tencent { secret_id, token, .. }, Keys::Tc3(key)) = (credentials, keys) else { return };
        // Room for the header pushed here and the three `sign_with` may set.
        req.headers.reserve(4);
        req.headers.push(("User-Agent".to_owned(), call.user_agent.to_owned()));
        let token = token.as_ref().map(Secret::expose);
        sign_with(req, secret_id, key, token, call.service, call.now);
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    // The official worked example (Signature v3 doc, S1 in shared/seeds/tencent-api3-common.md).
    const EXAMPLE_ID: &str = "AKID**********************0123456789EXAMPLE";
    const EXAMPLE_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
    const EXAMPLE_BODY: &str =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
    const EXAMPLE_TIMESTAMP: i64 = 1_551_113_065;

    fn owned(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    fn example_request(content_type: &str, body: &str) -> SignableRequest {
        SignableRequest {
            method: "POST".into(),
            host: "cvm.tencentcloudapi.com".into(),
            path: "/".into(),
            query: Vec::new(),
            headers: owned(&[
                ("Content-Type", content_type),
                ("X-TC-Action", "DescribeInstances"),
                ("X-TC-Version", "2017-03-12"),
                ("X-TC-Region", "ap-guangzhou"),
            ]),
            body: body.as_bytes().to_vec(),
        }
    }

    fn example_time() -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(EXAMPLE_TIMESTAMP).expect("a valid time")
    }

    #[test]
    fn official_worked_example_step_by_step() {
        let mut req = example_request("application/json; charset=utf-8", EXAMPLE_BODY);
        let out = sign(&mut req, EXAMPLE_ID, EXAMPLE_KEY, None, "cvm", example_time());
        // Step 1: the payload hash and the canonical request.
        assert_eq!(
            sha256_hex(EXAMPLE_BODY.as_bytes()),
            "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        assert_eq!(
            out.canonical_request,
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n\
             content-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        assert_eq!(
            sha256_hex(out.canonical_request.as_bytes()),
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        // Step 2: the string to sign, with the UTC date (UTC+8 would already be 2019-02-26).
        assert_eq!(
            out.string_to_sign,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n\
             5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        // Steps 3 and 4: the derived key and the signature.
        assert_eq!(out.signature, "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
        // Step 5: the headers of the published request.
        assert_eq!(
            req.header("authorization"),
            Some(
                "TC3-HMAC-SHA256 Credential=AKID**********************0123456789EXAMPLE/2019-02-25/cvm/tc3_request, \
                 SignedHeaders=content-type;host, \
                 Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
            )
        );
        assert_eq!(req.header("x-tc-timestamp"), Some("1551113065"));
        assert_eq!(req.header("x-tc-token"), None);
        // The received request verifies with the same key, and not with another.
        assert_eq!(signature(&req, "cvm", EXAMPLE_KEY).as_ref(), Some(&out));
        assert_ne!(signature(&req, "cvm", "another key").map(|o| o.signature), Some(out.signature.clone()));
        assert_ne!(signature(&req, "cls", EXAMPLE_KEY).map(|o| o.signature), Some(out.signature));
    }

    #[test]
    fn content_type_is_signed_exactly() {
        // The doc's page signs `application/json; charset=utf-8`; the SDK sends `application/json`.
        // The value is part of the signature (hash recomputed in the fact sheet).
        let mut req = example_request("application/json", EXAMPLE_BODY);
        let out = sign(&mut req, EXAMPLE_ID, EXAMPLE_KEY, None, "cvm", example_time());
        assert_eq!(
            sha256_hex(out.canonical_request.as_bytes()),
            "df142fa7176428137ac6a6b25b5efcb6b4c08a91fc30d75ecebe47877d3143d8"
        );
        assert_ne!(out.signature, "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
    }

    #[test]
    fn unicode_body_is_hashed_as_sent() {
        // Raw UTF-8 instead of the `\u` escapes: other bytes, another payload hash.
        let body = r#"{"Limit": 1, "Filters": [{"Values": ["未命名"], "Name": "instance-name"}]}"#;
        let mut req = example_request("application/json; charset=utf-8", body);
        let out = sign(&mut req, EXAMPLE_ID, EXAMPLE_KEY, None, "cvm", example_time());
        assert!(
            out.canonical_request.ends_with("\n1e07682a01ae959704b7d77a9c0dd92ad8284fc90f9bb2ab5cc941be1d7ea716"),
            "{}",
            out.canonical_request
        );
        assert_eq!(signature(&req, "cvm", EXAMPLE_KEY), Some(out));
    }

    #[test]
    fn empty_body_and_get() {
        let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let mut post = example_request("application/json", "");
        let out = sign(&mut post, "id", "key", None, "cls", example_time());
        assert!(out.canonical_request.starts_with("POST\n/\n\n"), "{}", out.canonical_request);
        assert!(out.canonical_request.ends_with(empty));
        // GET signs the form-encoded query, in the order sent, and the hash of an empty payload
        // even when a body is present.
        let mut get = SignableRequest {
            method: "GET".into(),
            query: owned(&[("Limit", "1"), ("Name", "a b:c")]),
            body: b"ignored".to_vec(),
            ..example_request("application/x-www-form-urlencoded", "")
        };
        let out = sign(&mut get, "id", "key", None, "cls", example_time());
        assert_eq!(
            out.canonical_request,
            format!(
                "GET\n/\nLimit=1&Name=a+b%3Ac\ncontent-type:application/x-www-form-urlencoded\n\
                 host:cvm.tencentcloudapi.com\n\ncontent-type;host\n{empty}"
            )
        );
    }

    #[test]
    fn token_is_sent_not_signed_and_resigning_is_stable() {
        let mut with_token = example_request("application/json", "{}");
        let out = sign(&mut with_token, "id", "key", Some("tmp"), "cls", example_time());
        assert_eq!(with_token.header("X-TC-Token"), Some("tmp"));
        let mut without = example_request("application/json", "{}");
        assert_eq!(sign(&mut without, "id", "key", None, "cls", example_time()), out);
        // Re-signing a signed request (a retry at the same second) replaces the headers.
        let before = with_token.clone();
        assert_eq!(sign(&mut with_token, "id", "key", Some("tmp"), "cls", example_time()), out);
        assert_eq!(with_token, before);
        // A later second changes the signature.
        let later = example_time() + time::Duration::seconds(1);
        assert_ne!(sign(&mut with_token, "id", "key", Some("tmp"), "cls", later).signature, out.signature);
        assert_eq!(with_token.header("x-tc-timestamp"), Some("1551113066"));
    }

    #[test]
    fn prepared_key_gives_the_official_signature_and_hides_it() {
        let key = SigningKey::new(EXAMPLE_KEY);
        for _ in 0..2 {
            let mut req = example_request("application/json; charset=utf-8", EXAMPLE_BODY);
            let out = sign_with(&mut req, EXAMPLE_ID, &key, None, "cvm", example_time());
            assert_eq!(out.signature, "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
        }
        assert_eq!(format!("{key:?}"), "SigningKey(***)");
    }

    #[test]
    fn cached_key_follows_date_service_and_secret() {
        // One prepared key signs like a fresh one across a change of date (UTC midnight), of
        // service and back: the derived key is replaced whenever its scope changes.
        let key = SigningKey::new("key");
        let midnight = datetime!(2024-05-17 23:59:59 UTC);
        let steps = [
            ("cls", midnight),
            ("cls", midnight),
            ("cls", midnight + time::Duration::seconds(1)),
            ("cvm", midnight + time::Duration::seconds(2)),
            ("cls", midnight + time::Duration::seconds(2)),
            ("cls", midnight),
        ];
        let mut signatures = Vec::new();
        for (service, now) in steps {
            let (mut cached, mut fresh) =
                (example_request("application/json", "{}"), example_request("application/json", "{}"));
            let out = sign_with(&mut cached, "id", &key, None, service, now);
            assert_eq!(out, sign(&mut fresh, "id", "key", None, service, now), "{service} at {now}");
            assert_eq!(cached, fresh);
            signatures.push(out.signature);
        }
        assert_eq!(signatures[0], signatures[1]);
        assert_eq!(signatures[0], signatures[5]);
        assert_ne!(signatures[1], signatures[2]);
        assert_ne!(signatures[3], signatures[4]);
        // Another secret gives another signature for the same request.
        let mut other = example_request("application/json", "{}");
        let out = sign_with(&mut other, "id", &SigningKey::new("other key"), None, "cls", midnight);
        assert_ne!(out.signature, signatures[0]);
    }

    #[test]
    fn dates_are_utc() {
        assert_eq!(utc_date(datetime!(2019-02-26 00:44:25 +8)), date!(2019 - 02 - 25));
        assert_eq!(
            authorization("id", date!(2024 - 01 - 02), "cls", "ab"),
            "TC3-HMAC-SHA256 Credential=id/2024-01-02/cls/tc3_request, SignedHeaders=content-type;host, Signature=ab"
        );
        let mut req = example_request("application/json", "{}");
        req.set_header("X-TC-Timestamp", "not a number".into());
        assert_eq!(signature(&req, "cls", "key"), None);
        req.set_header("X-TC-Timestamp", i64::MAX.to_string());
        assert_eq!(signature(&req, "cls", "key"), None);
    }
}
