//! Request signers for the Alibaba Cloud, Huawei Cloud and Tencent Cloud APIs.
//!
//! Every signer works on a [`SignableRequest`]: the method, host, path, query, headers and body
//! exactly as they will be sent. A signer adds the headers or query parameters its scheme needs
//! and returns a [`SigningOutput`] with the intermediate strings, so that the vendors' published
//! test vectors can be checked step by step.
//!
//! | module | scheme | used for |
//! |---|---|---|
//! | [`acs3`] | Alibaba `ACS3-HMAC-SHA256` (header based) | the Alibaba SDK default |
//! | [`rpc_v1`] | Alibaba RPC `HMAC-SHA1`, `SignatureVersion=1.0` (in the query) | the Alibaba fallback |
//! | [`huawei`] | Huawei `SDK-HMAC-SHA256` (APIG) | Huawei AK/SK calls |
//! | [`huawei_token`] | Huawei IAM token in `X-Auth-Token` (no signature) | Huawei token calls |
//! | [`tencent`] | Tencent `q-sign-algorithm=sha1` | the legacy Tencent CLS API |
//! | [`tc3`] | Tencent `TC3-HMAC-SHA256` | Tencent Cloud API 3.0 |
//!
//! [`encode`] holds the percent-encoders they share. [`scheme`] is the one interface the client
//! signs through: each module implements [`scheme::Scheme`] next to its signing function, and
//! [`scheme::scheme`] maps a [`crate::Signing`] to it.
//!
//! None of the signers read the clock or a random source: the time and the nonce are arguments,
//! so a signature is a pure function of its inputs.

pub mod acs3;
pub mod encode;
pub mod huawei;
pub mod huawei_token;
pub mod rpc_v1;
pub mod scheme;
pub mod tc3;
pub mod tencent;

use hmac::digest::Key;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use time::{OffsetDateTime, UtcOffset};

/// An HTTP request as the signers see it, before it is sent. The client builds the URL from it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignableRequest {
    /// The HTTP method in upper case, e.g. `"GET"` or `"POST"`.
    pub method: String,
    /// The authority as sent, with `:port` only when the port is not the scheme's default.
    pub host: String,
    /// The path exactly as sent on the request line, already percent-encoded per segment
    /// (e.g. `/v1/transfertasklog/abc`).
    pub path: String,
    /// Decoded `(key, value)` query pairs, in the order they will be sent.
    pub query: Vec<(String, String)>,
    /// `(name, value)` header pairs as they will be sent.
    pub headers: Vec<(String, String)>,
    /// The exact body bytes.
    pub body: Vec<u8>,
}

impl SignableRequest {
    /// The value of the first header named `name`, compared case-insensitively (ASCII).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Sets the header `name` to `value`.
    ///
    /// The first header with the same name (compared case-insensitively) is replaced in place,
    /// taking the spelling of `name`, and any further headers with that name are removed;
    /// when there is none, the header is appended.
    pub fn set_header(&mut self, name: &str, value: String) {
        match self.headers.iter().position(|(n, _)| n.eq_ignore_ascii_case(name)) {
            Some(first) => {
                let mut index = 0;
                self.headers.retain(|(n, _)| {
                    let keep = index <= first || !n.eq_ignore_ascii_case(name);
                    index += 1;
                    keep
                });
                if let Some(slot) = self.headers.get_mut(first) {
                    *slot = (name.to_owned(), value);
                }
            }
            None => self.headers.push((name.to_owned(), value)),
        }
    }
}

/// What a signer computed, for debugging and tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigningOutput {
    /// The canonical request (the scheme's name for it varies: `CanonicalRequest`,
    /// `CanonicalizedQueryString`, `HttpRequestInfo`).
    pub canonical_request: String,
    /// The string the HMAC is computed over.
    pub string_to_sign: String,
    /// The signature as the scheme writes it (hex or Base64).
    pub signature: String,
}

/// The `SignedHeaders` list of a canonical request: its second-to-last line, in the
/// ACS3 and Huawei layouts (`…\nCanonicalHeaders\nSignedHeaders\nHashedPayload`).
fn signed_headers(canonical_request: &str) -> &str {
    canonical_request.rsplit('\n').nth(1).unwrap_or_default()
}

/// Lowercase hex SHA-256 of `data`.
fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Lowercase hex SHA-1 of `data`.
fn sha1_hex(data: &[u8]) -> String {
    hex::encode(Sha1::digest(data))
}

/// Copies `key` into the zeroed HMAC key block, hashing it first with `hash` when it is longer
/// than the block, as RFC 2104 section 2 defines the HMAC key.
///
/// The HMAC types take a block-sized key through the infallible `KeyInit::new`; preparing the
/// block here avoids the `Result` of `new_from_slice`, whose error case cannot occur for HMAC.
fn fill_key_block(block: &mut [u8], key: &[u8], hash: impl FnOnce(&[u8]) -> Vec<u8>) {
    let hashed;
    let source = if key.len() > block.len() {
        hashed = hash(key);
        hashed.as_slice()
    } else {
        key
    };
    for (dst, src) in block.iter_mut().zip(source) {
        *dst = *src;
    }
}

/// HMAC-SHA256 (RFC 2104) of `msg` under `key`.
fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut block = Key::<Hmac<Sha256>>::default();
    fill_key_block(&mut block, key, |k| Sha256::digest(k).to_vec());
    let mut mac = Hmac::<Sha256>::new(&block);
    mac.update(msg);
    mac.finalize().into_bytes().to_vec()
}

/// HMAC-SHA1 (RFC 2104) of `msg` under `key`.
fn hmac_sha1(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut block = Key::<Hmac<Sha1>>::default();
    fill_key_block(&mut block, key, |k| Sha1::digest(k).to_vec());
    let mut mac = Hmac::<Sha1>::new(&block);
    mac.update(msg);
    mac.finalize().into_bytes().to_vec()
}

/// `time` in UTC as `YYYY-MM-DDTHH:MM:SSZ` (ISO 8601 extended format, Alibaba's `x-acs-date` and
/// `Timestamp`) when `extended`, else as `YYYYMMDDTHHMMSSZ` (basic format, Huawei's `X-Sdk-Date`).
///
/// Written with `format!` rather than a `time` format description, whose `Result` cannot fail for
/// these fields but would still need handling. An instant whose UTC date falls outside what `time`
/// can represent (only possible within a day of its year ±9999 limits) is written in its own
/// offset instead of panicking.
fn utc_timestamp(time: OffsetDateTime, extended: bool) -> String {
    let utc = time.checked_to_offset(UtcOffset::UTC).unwrap_or(time);
    let (year, month, day) = (utc.year(), u8::from(utc.month()), utc.day());
    let (hour, minute, second) = (utc.hour(), utc.minute(), utc.second());
    if extended {
        format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
    } else {
        format!("{year:04}{month:02}{day:02}T{hour:02}{minute:02}{second:02}Z")
    }
}

/// The headers that the header-based schemes ([`acs3`], [`huawei`]) sign: every header of `req`
/// whose name passes `keep`, as `(lowercased name, trimmed value)` sorted by name (stable, so
/// repeated names keep their order).
///
/// `Authorization` is never signed: both SDKs add it after signing, and leaving it out makes
/// re-signing a request (on retry) give the same result. When `req.headers` has no `Host`, the
/// authority `req.host` is signed as `host`, because the HTTP client sends it as the Host header.
fn canonical_headers(req: &SignableRequest, keep: impl Fn(&str) -> bool) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = req
        .headers
        .iter()
        .filter(|(name, _)| !name.eq_ignore_ascii_case("authorization") && keep(name))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    if req.header("host").is_none() {
        list.push(("host".to_owned(), req.host.trim().to_owned()));
    }
    list.sort_by(|a, b| a.0.cmp(&b.0));
    list
}

/// Writes `headers` as canonical header lines (`name:value\n` each) and the signed-header list
/// (names joined with `;`).
fn header_block(headers: &[(String, String)]) -> (String, String) {
    let mut lines = String::new();
    for (name, value) in headers {
        lines.push_str(name);
        lines.push(':');
        lines.push_str(value);
        lines.push('\n');
    }
    let names: Vec<&str> = headers.iter().map(|(name, _)| name.as_str()).collect();
    (lines, names.join(";"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lookup_is_case_insensitive() {
        let req = SignableRequest {
            headers: vec![("Content-Type".into(), "application/json".into())],
            ..SignableRequest::default()
        };
        assert_eq!(req.header("content-type"), Some("application/json"));
        assert_eq!(req.header("CONTENT-TYPE"), Some("application/json"));
        assert_eq!(req.header("host"), None);
    }

    #[test]
    fn set_header_replaces_or_appends() {
        let mut req = SignableRequest {
            headers: vec![
                ("A".into(), "1".into()),
                ("x-b".into(), "2".into()),
                ("X-B".into(), "3".into()),
                ("c".into(), "4".into()),
            ],
            ..SignableRequest::default()
        };
        req.set_header("X-b", "new".into());
        assert_eq!(
            req.headers,
            vec![
                ("A".to_owned(), "1".to_owned()),
                ("X-b".to_owned(), "new".to_owned()),
                ("c".to_owned(), "4".to_owned()),
            ]
        );
        req.set_header("d", "5".into());
        assert_eq!(req.headers.last(), Some(&("d".to_owned(), "5".to_owned())));
    }

    #[test]
    fn hmac_matches_rfc_4231_and_2202() {
        // RFC 4231 test case 2 (HMAC-SHA256) and RFC 2202 test case 2 (HMAC-SHA1).
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex::encode(hmac_sha1(b"Jefe", b"what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
        // RFC 4231 test case 6: a 131-byte key, longer than the block, is hashed first.
        let key = [0xaa_u8; 131];
        assert_eq!(
            hex::encode(hmac_sha256(&key, b"Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
        // RFC 2202 test case 6: an 80-byte key for HMAC-SHA1.
        let key = [0xaa_u8; 80];
        assert_eq!(
            hex::encode(hmac_sha1(&key, b"Test Using Larger Than Block-Size Key - Hash Key First")),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112"
        );
    }

    #[test]
    fn timestamps_are_utc_and_zero_padded() {
        use time::macros::datetime;
        let t = datetime!(2024-01-01 02:03:04 +8);
        assert_eq!(utc_timestamp(t, true), "2023-12-31T18:03:04Z");
        assert_eq!(utc_timestamp(t, false), "20231231T180304Z");
        // At the edge of the representable range the conversion is skipped rather than panicking.
        let edge = datetime!(-9999-01-01 00:00:00 +1);
        assert!(!utc_timestamp(edge, true).is_empty());
    }

    #[test]
    fn canonical_headers_add_host_and_skip_authorization() {
        let req = SignableRequest {
            host: "example.com".into(),
            headers: vec![
                ("X-B".into(), "  two ".into()),
                ("Authorization".into(), "old".into()),
                ("a".into(), "one".into()),
            ],
            ..SignableRequest::default()
        };
        let list = canonical_headers(&req, |_| true);
        assert_eq!(
            list,
            vec![
                ("a".to_owned(), "one".to_owned()),
                ("host".to_owned(), "example.com".to_owned()),
                ("x-b".to_owned(), "two".to_owned()),
            ]
        );
        let (lines, names) = header_block(&list);
        assert_eq!(lines, "a:one\nhost:example.com\nx-b:two\n");
        assert_eq!(names, "a;host;x-b");
    }
}
