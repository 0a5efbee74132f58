//! Percent-encoders shared by the signers.
//!
//! - [`rfc3986`]: the strict RFC 3986 encoding that Alibaba (ACS3 and RPC V1), Huawei
//!   (`SDK-HMAC-SHA256`) and Tencent COS canonicalise with: only `A-Z a-z 0-9 - _ . ~` stay
//!   literal, every other UTF-8 byte becomes `%XX` with uppercase hex, so space is `%20` and `*` is
//!   `%2A`. Sources: Alibaba V3 signature doc (help.aliyun.com document 2593177) step 4 and
//!   tea-openapi `get_canonical_query_string`; Huawei API signing guide (devg-apisign
//!   api-sign-algorithm-002) and `huaweicloudsdkcore` `signer.py`.
//! - [`form`]: `application/x-www-form-urlencoded` as the Tencent CLS SDKs encode values (Python
//!   `urllib.parse.quote_plus`, Go `url.Values.Encode`): the same literal set, but space is `+`.
//!   Source: `tencentcloud-cls-sdk-python` `tencentcloud/log/auth.py`; the legacy CLS sample URL
//!   `start_time=2017-10-10+00%3A00%3A00` (CLS doc 614/12445).
//!
//! Both write byte by byte into the caller's string (the `push_*` forms let a signer encode
//! straight into its canonical request); `form` differs only in writing the space as `+`.
//! `push_rfc3986_twice` writes what RFC 3986 makes of an RFC 3986 encoding, in one pass, for
//! the RPC V1 string to sign.

/// Uppercase hex digits of the `%XX` escapes.
const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Whether RFC 3986 section 2.3 calls `byte` unreserved (`A-Z a-z 0-9 - _ . ~`): it stays literal.
const fn unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~')
}

/// [`unreserved`] for every byte, looked up rather than computed in the encoding loop.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = unreserved(byte as u8);
        byte += 1;
    }
    table
};

/// Appends `bytes` percent-encoded: unreserved bytes literal, every other byte as `escape`
/// followed by its two uppercase hex digits (`escape` is `%`, or `%25` to encode twice at once),
/// except that a space is `+` when `space_as_plus`.
///
/// Text with nothing to escape (most names and values) is copied whole; otherwise the encoding
/// is written into a stack buffer and appended a bufferful at a time, rather than a character
/// at a time.
fn push_encoded(out: &mut String, bytes: &[u8], space_as_plus: bool, escape: &[u8]) {
    if plain(bytes) {
        // Unreserved bytes are ASCII, so this is valid UTF-8.
        out.push_str(std::str::from_utf8(bytes).unwrap_or_default());
        return;
    }
    out.reserve(bytes.len() + bytes.len() / 2);
    let mut buf = [0_u8; 192];
    let mut len = 0;
    for &byte in bytes {
        if len + escape.len() + 2 > buf.len() {
            push_ascii(out, &buf[..len]);
            len = 0;
        }
        if UNRESERVED[usize::from(byte)] {
            buf[len] = byte;
            len += 1;
        } else if space_as_plus && byte == b' ' {
            buf[len] = b'+';
            len += 1;
        } else {
            buf[len..len + escape.len()].copy_from_slice(escape);
            len += escape.len();
            buf[len] = HEX_UPPER[usize::from(byte >> 4)];
            buf[len + 1] = HEX_UPPER[usize::from(byte & 0xf)];
            len += 2;
        }
    }
    push_ascii(out, &buf[..len]);
}

/// The most bytes `bytes` takes once percent-encoded: three for each byte that is not
/// unreserved (a space written as `+` takes one, so this is exact for RFC 3986 and a bound for
/// form encoding).
pub(crate) fn encoded_len(bytes: &[u8]) -> usize {
    bytes.iter().map(|&byte| if UNRESERVED[usize::from(byte)] { 1 } else { 3 }).sum()
}

/// Whether every byte is unreserved, so that encoding would not change anything.
fn plain(bytes: &[u8]) -> bool {
    bytes.iter().all(|&byte| UNRESERVED[usize::from(byte)])
}

/// [`push_encoded`] for text: text with nothing to escape is appended as it is.
fn push_encoded_str(out: &mut String, s: &str, space_as_plus: bool, escape: &[u8]) {
    if plain(s.as_bytes()) {
        out.push_str(s);
    } else {
        push_encoded(out, s.as_bytes(), space_as_plus, escape);
    }
}

/// Appends encoded output, which is ASCII and so always valid UTF-8.
fn push_ascii(out: &mut String, ascii: &[u8]) {
    out.push_str(std::str::from_utf8(ascii).unwrap_or_default());
}

/// Appends `bytes` percent-encoded as RFC 3986 (see [`rfc3986`]), without an intermediate string;
/// the bytes need not be UTF-8 (a decoded path may not be).
pub(super) fn push_rfc3986(out: &mut String, bytes: &[u8]) {
    push_encoded(out, bytes, false, b"%");
}

/// Appends the RFC 3986 encoding of the RFC 3986 encoding of `s`, in one pass: the second
/// encoding leaves unreserved bytes and hex digits alone and turns each `%` into `%25`, so every
/// escaped byte becomes `%25XX` (Alibaba RPC V1 signs its canonical query encoded twice).
pub(super) fn push_rfc3986_twice(out: &mut String, s: &str) {
    push_encoded_str(out, s, false, b"%25");
}

/// [`push_rfc3986`] for text, in the shape of [`push_form`].
pub(crate) fn push_rfc3986_str(out: &mut String, s: &str) {
    push_encoded_str(out, s, false, b"%");
}

/// Appends `k=v` pairs joined with `&` in the given order, keys and values encoded with `push`
/// ([`push_rfc3986_str`] or [`push_form`]).
pub(super) fn push_query<'a>(
    out: &mut String,
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    push: fn(&mut String, &str),
) {
    for (index, (key, value)) in pairs.into_iter().enumerate() {
        if index > 0 {
            out.push('&');
        }
        push(out, key);
        out.push('=');
        push(out, value);
    }
}

/// Appends `s` form-encoded (see [`form`]), without an intermediate string.
pub(crate) fn push_form(out: &mut String, s: &str) {
    push_encoded_str(out, s, true, b"%");
}

/// Percent-encodes `s` as RFC 3986 (UTF-8, uppercase hex): only `A-Za-z0-9-_.~` stay literal.
///
/// `"a b*~/é"` becomes `"a%20b%2A~%2F%C3%A9"`.
#[must_use]
pub fn rfc3986(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_encoded_str(&mut out, s, false, b"%");
    out
}

/// Percent-encodes raw bytes as RFC 3986, like [`rfc3986`]; used where a decoded path may not be
/// valid UTF-8.
#[cfg(test)]
fn rfc3986_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    push_rfc3986(&mut out, bytes);
    out
}

/// Form-encodes `s` as Python's `quote_plus` does (UTF-8, uppercase hex): `A-Za-z0-9_.-~` stay
/// literal, space becomes `+`, everything else (including `+`, `*` and `/`) becomes `%XX`.
///
/// `"2017-10-10 00:00:00"` becomes `"2017-10-10+00%3A00%3A00"`.
#[must_use]
pub fn form(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_form(&mut out, s);
    out
}

/// Writes `pairs` as `k=v` joined with `&`, in the given order, encoding keys and values with
/// `enc` ([`rfc3986`] or [`form`]). No pairs give the empty string.
#[must_use]
pub fn query_string(pairs: &[(String, String)], enc: fn(&str) -> String) -> String {
    let mut out = String::new();
    for (index, (key, value)) in pairs.iter().enumerate() {
        if index > 0 {
            out.push('&');
        }
        out.push_str(&enc(key));
        out.push('=');
        out.push_str(&enc(value));
    }
    out
}

/// Encodes `s` as one path segment (RFC 3986): `/` becomes `%2F`, so a value such as `"../x"`
/// stays inside its segment (`"..%2Fx"`).
///
/// A value that is exactly `"."` or `".."` is still a dot segment after encoding (RFC 3986
/// section 2.3 makes `%2E` equivalent to `.`, and URL parsers treat it so); callers must reject
/// such identifiers before building a path.
#[must_use]
pub fn path_segment(s: &str) -> String {
    rfc3986(s)
}

/// Appends `s` encoded as one path segment, as [`path_segment`] returns it.
pub(crate) fn push_path_segment(out: &mut String, s: &str) {
    push_encoded_str(out, s, false, b"%");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn rfc3986_edge_cases() {
        assert_eq!(rfc3986(" "), "%20");
        assert_eq!(rfc3986("*"), "%2A");
        assert_eq!(rfc3986("~"), "~");
        assert_eq!(rfc3986("/"), "%2F");
        assert_eq!(rfc3986("+"), "%2B");
        assert_eq!(rfc3986("-_.~AZaz09"), "-_.~AZaz09");
        assert_eq!(rfc3986("é"), "%C3%A9");
        assert_eq!(rfc3986("腾讯云"), "%E8%85%BE%E8%AE%AF%E4%BA%91");
        assert_eq!(rfc3986("12:46:24"), "12%3A46%3A24");
        assert_eq!(rfc3986(""), "");
        // Longer than the encoder's buffer: written in several pieces, none lost.
        assert_eq!(rfc3986(&"é a".repeat(100)), "%C3%A9%20a".repeat(100));
        assert_eq!(form(&"é a".repeat(100)), "%C3%A9+a".repeat(100));
    }

    #[test]
    fn form_edge_cases() {
        assert_eq!(form(" "), "+");
        assert_eq!(form("*"), "%2A");
        assert_eq!(form("~"), "~");
        assert_eq!(form("/"), "%2F");
        assert_eq!(form("+"), "%2B");
        assert_eq!(form("a + b"), "a+%2B+b");
        assert_eq!(form("-_.~AZaz09"), "-_.~AZaz09");
        assert_eq!(form("é"), "%C3%A9");
        assert_eq!(form("腾讯云"), "%E8%85%BE%E8%AE%AF%E4%BA%91");
        assert_eq!(form("application/json"), "application%2Fjson");
        // The seed's sample query value (CLS doc 614/12445).
        assert_eq!(form("2017-10-10 00:00:00"), "2017-10-10+00%3A00%3A00");
    }

    #[test]
    fn query_string_keeps_order_and_repeats() {
        assert_eq!(query_string(&[], rfc3986), "");
        let list = pairs(&[("b", "2"), ("a", "x y"), ("b", "1"), ("empty", "")]);
        assert_eq!(query_string(&list, rfc3986), "b=2&a=x%20y&b=1&empty=");
        assert_eq!(query_string(&list, form), "b=2&a=x+y&b=1&empty=");
        let list = pairs(&[("k y", "v&w=")]);
        assert_eq!(query_string(&list, rfc3986), "k%20y=v%26w%3D");
    }

    #[test]
    fn path_segment_cannot_escape() {
        assert_eq!(path_segment("../x"), "..%2Fx");
        assert_eq!(path_segment("a/b"), "a%2Fb");
        assert_eq!(path_segment("a b"), "a%20b");
        assert_eq!(path_segment("abc-123_x.y~z"), "abc-123_x.y~z");
        assert_eq!(path_segment("?#%"), "%3F%23%25");
    }

    #[test]
    fn encoded_lengths_are_counted_as_the_encoder_writes() {
        for value in ["", "abc-_.~XYZ09", "a b*~/é", "2017-10-10 00:00:00", "\u{1F600}&=+%"] {
            assert_eq!(encoded_len(value.as_bytes()), rfc3986(value).len(), "{value}");
            assert!(encoded_len(value.as_bytes()) >= form(value).len(), "{value}");
        }
    }

    #[test]
    fn encoding_twice_in_one_pass_is_encoding_the_encoding() {
        for value in ["", "plain-_.~09", "12:46:24", "a b*~/é", "%25&=+", &"é a".repeat(100)] {
            let mut twice = String::new();
            push_rfc3986_twice(&mut twice, value);
            assert_eq!(twice, rfc3986(&rfc3986(value)), "{value}");
        }
    }

    #[test]
    fn raw_bytes_are_encoded() {
        assert_eq!(rfc3986_bytes(&[0xff, b'a', b' ']), "%FFa%20");
    }
}
