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
//! [`encode`] holds the percent-encoders they share, [`key`] the HMAC keys prepared once per secret. [`scheme`] is the one interface the client
//! signs through: each module implements [`scheme::Scheme`] next to its signing function, and
//! [`scheme::scheme`] maps a [`crate::Signing`] to it.
//!
//! None of the signers read the clock or a random source: the time and the nonce are arguments,
//! so a signature is a pure function of its inputs.

pub mod acs3;
pub mod encode;
pub mod huawei;
pub mod huawei_token;
pub mod key;
pub mod rpc_v1;
pub mod scheme;
pub mod tc3;
pub mod tencent;
mod text;

#[cfg(test)]
use sha1::Sha1;
use sha2::{Digest, Sha256};
use text::ShortText;
use time::{Date, OffsetDateTime, UtcOffset};

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

/// Room for the ACS3 or Huawei canonical request of `req`, so that writing it never grows the
/// string: the path and the query as if every byte were escaped (and a `/` added), each header
/// twice (its line and its name in the signed list), the host, and the payload hash.
fn canonical_capacity(req: &SignableRequest) -> usize {
    let query: usize = req.query.iter().map(|(k, v)| 3 * (k.len() + v.len()) + 2).sum();
    let headers: usize = req.headers.iter().map(|(n, v)| 2 * n.len() + v.len() + 3).sum();
    req.method.len() + 3 * req.path.len() + query + headers + req.host.len() + 64 + 24
}

/// Lowercase hex SHA-256 of `data`.
fn sha256_hex(data: &[u8]) -> String {
    let mut out = String::with_capacity(64);
    push_sha256_hex(&mut out, data);
    out
}

/// Appends the lowercase hex SHA-256 of a payload; the empty payload's (every GET, most Alibaba
/// calls) is a constant.
fn push_sha256_hex(out: &mut String, data: &[u8]) {
    if data.is_empty() {
        out.push_str("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    } else {
        push_hex(out, &Sha256::digest(data));
    }
}

/// Lowercase hex SHA-1 of `data`.
#[cfg(test)]
fn sha1_hex(data: &[u8]) -> String {
    hex::encode(Sha1::digest(data))
}

/// Appends `bytes` as lowercase hex, through a stack buffer rather than character by character.
fn push_hex(out: &mut String, bytes: &[u8]) {
    let mut buf = [0_u8; 64];
    for chunk in bytes.chunks(32) {
        let hex = &mut buf[..chunk.len() * 2];
        hex_into(hex, chunk);
        // Hex digits are ASCII, so this is always valid UTF-8.
        out.push_str(std::str::from_utf8(hex).unwrap_or_default());
    }
}

/// Writes `bytes` as lowercase hex into the start of `buf` (two digits a byte; bytes beyond
/// what `buf` holds are left out).
fn hex_into(buf: &mut [u8], bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for (pair, byte) in buf.chunks_exact_mut(2).zip(bytes) {
        pair[0] = DIGITS[usize::from(byte >> 4)];
        pair[1] = DIGITS[usize::from(byte & 0xf)];
    }
}

/// HMAC-SHA256 (RFC 2104) of `msg` under `key`, for a key used once.
fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    key::HmacSha256Key::new(key).mac(msg)
}

/// HMAC-SHA1 (RFC 2104) of `msg` under `key`, for a key used once.
#[cfg(test)]
fn hmac_sha1(key: &[u8], msg: &[u8]) -> [u8; 20] {
    key::HmacSha1Key::new(key).mac(msg)
}

/// `time` in UTC as `YYYY-MM-DDTHH:MM:SSZ` (ISO 8601 extended format, Alibaba's `x-acs-date` and
/// `Timestamp`) when `extended`, else as `YYYYMMDDTHHMMSSZ` (basic format, Huawei's `X-Sdk-Date`).
///
/// Written digit by digit rather than through a `time` format description, whose `Result`
/// cannot fail for these fields but would still need handling. An instant whose UTC date falls
/// outside what `time` can represent (only possible within a day of its year ±9999 limits) is
/// written in its own offset instead of panicking; a year before 0 keeps its sign.
fn utc_timestamp(time: OffsetDateTime, extended: bool) -> String {
    let utc = time.checked_to_offset(UtcOffset::UTC).unwrap_or(time);
    let mut text = ShortText::new();
    push_date(&mut text, utc.date(), if extended { Some(b'-') } else { None });
    for (index, n) in [utc.hour(), utc.minute(), utc.second()].into_iter().enumerate() {
        match (index, extended) {
            (0, _) => text.push(b'T'),
            (_, true) => text.push(b':'),
            (_, false) => {}
        }
        text.push_padded(u64::from(n), 2);
    }
    text.push(b'Z');
    text.as_str().to_owned()
}

/// Appends `date` as `YYYY` `MM` `DD` with `separator` between the parts (a year before 0 keeps
/// its sign).
fn push_date(text: &mut ShortText, date: Date, separator: Option<u8>) {
    if date.year() < 0 {
        text.push(b'-');
    }
    text.push_padded(u64::from(date.year().unsigned_abs()), 4);
    for n in [u8::from(date.month()), date.day()] {
        if let Some(separator) = separator {
            text.push(separator);
        }
        text.push_padded(u64::from(n), 2);
    }
}

/// How many items the signers sort on the stack; longer lists (rare) are sorted in a vector.
const ON_STACK: usize = 24;

/// Calls `f` with `items` collected into a mutable slice, on the stack when there are at most
/// [`ON_STACK`] of them, so a signer can sort them without allocating. `empty` fills the unused
/// slots.
fn with_slice<T, R>(mut items: impl Iterator<Item = T>, empty: impl Fn() -> T, f: impl FnOnce(&mut [T]) -> R) -> R {
    let mut stack: [T; ON_STACK] = std::array::from_fn(|_| empty());
    for len in 0..ON_STACK {
        match items.next() {
            Some(item) => stack[len] = item,
            None => return f(&mut stack[..len]),
        }
    }
    let mut heap: Vec<T> = stack.into_iter().chain(items).collect();
    f(&mut heap)
}

/// The first eight bytes of `name` ASCII-lowercased, as a number that orders as they do (a
/// shorter name is padded with zero bytes, so it orders before the longer names it begins).
fn sort_prefix(name: &str) -> u64 {
    let mut prefix = [0_u8; 8];
    for (slot, byte) in prefix.iter_mut().zip(name.bytes()) {
        *slot = byte.to_ascii_lowercase();
    }
    u64::from_be_bytes(prefix)
}

/// Compares two header names as their ASCII-lowercased forms, without lowercasing them.
fn cmp_lowercase(a: &str, b: &str) -> std::cmp::Ordering {
    for (x, y) in a.bytes().zip(b.bytes()) {
        let (x, y) = (x.to_ascii_lowercase(), y.to_ascii_lowercase());
        if x != y {
            return x.cmp(&y);
        }
    }
    a.len().cmp(&b.len())
}

/// Writes the header part of an ACS3 or Huawei canonical request for the headers of `req` whose
/// name passes `keep`: one `name:value\n` line each (lowercased name, trimmed value) sorted by
/// name (stable, so repeated names keep their order), an empty line, then the signed-header list
/// (names joined with `;`) and `\n`.
///
/// `Authorization` is never signed: both SDKs add it after signing, and leaving it out makes
/// re-signing a request (on retry) give the same result. When `req.headers` has no `Host`, the
/// authority `req.host` is signed as `host`, because the HTTP client sends it as the Host header.
fn push_canonical_headers(out: &mut String, req: &SignableRequest, keep: impl Fn(&str) -> bool) {
    let host = req.header("host").is_none().then_some(("host", req.host.as_str()));
    let items = req
        .headers
        .iter()
        .filter(|(name, _)| !name.eq_ignore_ascii_case("authorization") && keep(name))
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .chain(host)
        .enumerate()
        .map(|(index, (name, value))| (sort_prefix(name), index, (name, value)));
    with_slice(
        items,
        || (0, 0, ("", "")),
        |list| {
            // Names differ within their first eight bytes as a rule (`x-acs-da`, `x-acs-ve`), so
            // most comparisons are of the prefixes alone.
            list.sort_unstable_by(|(p, i, (a, _)), (q, j, (b, _))| {
                p.cmp(q).then_with(|| cmp_lowercase(a, b)).then(i.cmp(j))
            });
            for (_, _, (name, value)) in list.iter() {
                push_lowercase(out, name);
                out.push(':');
                out.push_str(value.trim());
                out.push('\n');
            }
            out.push('\n');
            for (index, (_, _, (name, _))) in list.iter().enumerate() {
                if index > 0 {
                    out.push(';');
                }
                push_lowercase(out, name);
            }
            out.push('\n');
        },
    );
}

/// Appends `s` with ASCII letters lowercased.
fn push_lowercase(out: &mut String, s: &str) {
    let start = out.len();
    out.push_str(s);
    out[start..].make_ascii_lowercase();
}

/// Appends the query sorted by key, then value (byte order), both RFC 3986-encoded, as `k=v`
/// joined with `&` (the ACS3 and Huawei canonical query; nothing for an empty query).
fn push_sorted_query<'a>(out: &mut String, pairs: impl Iterator<Item = &'a (String, String)>) {
    with_slice(
        pairs.map(|(k, v)| (k.as_str(), v.as_str())),
        || ("", ""),
        |list| {
            list.sort_unstable();
            encode::push_query(out, list.iter().copied(), encode::push_rfc3986_str);
        },
    );
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
    fn header_names_sort_by_their_lowercase_forms() {
        // Prefixes decide when they differ; equal prefixes fall back to the whole names.
        let mut names = ["X-Acs-Version", "x-acs-date", "Host", "x-acs-signature-nonce", "x-acs-signature", "a", "ab"];
        names.sort_by(|a, b| sort_prefix(a).cmp(&sort_prefix(b)).then_with(|| cmp_lowercase(a, b)));
        assert_eq!(
            names,
            ["a", "ab", "Host", "x-acs-date", "x-acs-signature", "x-acs-signature-nonce", "X-Acs-Version"]
        );
        assert_eq!(cmp_lowercase("Content-Type", "content-type"), std::cmp::Ordering::Equal);
        assert!(sort_prefix("host") < sort_prefix("hostname"));
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
    fn empty_payload_hash_is_the_sha256_of_nothing() {
        assert_eq!(sha256_hex(b""), hex::encode(Sha256::digest(b"")));
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
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
                ("x-b".into(), "again".into()),
            ],
            ..SignableRequest::default()
        };
        let mut out = String::new();
        push_canonical_headers(&mut out, &req, |_| true);
        assert_eq!(out, "a:one\nhost:example.com\nx-b:two\nx-b:again\n\na;host;x-b;x-b\n");
    }

    #[test]
    fn long_lists_are_sorted_too() {
        let headers: Vec<(String, String)> =
            (0..ON_STACK + 5).rev().map(|i| (format!("h{i:02}"), "v".into())).collect();
        let req = SignableRequest { host: "h".into(), headers, ..SignableRequest::default() };
        let mut out = String::new();
        push_canonical_headers(&mut out, &req, |_| true);
        assert!(out.starts_with("h00:v\nh01:v\n"), "{out}");
        let query: Vec<(String, String)> = (0..ON_STACK + 1).rev().map(|i| (format!("k{i:02}"), "v".into())).collect();
        let mut out = String::new();
        push_sorted_query(&mut out, query.iter());
        assert!(out.starts_with("k00=v&k01=v&"), "{out}");
        assert!(out.ends_with("&k24=v"), "{out}");
    }
}
