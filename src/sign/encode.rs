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
//! Both are built on [`percent_encoding`] with an [`AsciiSet`]; `form` differs only in letting the
//! space through and then turning it into `+`.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_encode, utf8_percent_encode};

/// Bytes that RFC 3986 section 2.3 calls unreserved stay literal; everything else is encoded.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// The [`RFC3986`] set with the space left literal, so that [`form`] can turn it into `+`.
const FORM_BEFORE_PLUS: &AsciiSet = &RFC3986.remove(b' ');

/// Percent-encodes `s` as RFC 3986 (UTF-8, uppercase hex): only `A-Za-z0-9-_.~` stay literal.
///
/// `"a b*~/é"` becomes `"a%20b%2A~%2F%C3%A9"`.
#[must_use]
pub fn rfc3986(s: &str) -> String {
    utf8_percent_encode(s, RFC3986).to_string()
}

/// Percent-encodes raw bytes as RFC 3986, like [`rfc3986`]; used where a decoded path may not be
/// valid UTF-8.
pub(super) fn rfc3986_bytes(bytes: &[u8]) -> String {
    percent_encode(bytes, RFC3986).to_string()
}

/// Form-encodes `s` as Python's `quote_plus` does (UTF-8, uppercase hex): `A-Za-z0-9_.-~` stay
/// literal, space becomes `+`, everything else (including `+`, `*` and `/`) becomes `%XX`.
///
/// `"2017-10-10 00:00:00"` becomes `"2017-10-10+00%3A00%3A00"`.
#[must_use]
pub fn form(s: &str) -> String {
    // Every byte except the unreserved ones and the space is encoded, so any space left in the
    // output came from the input and can be replaced as a whole.
    utf8_percent_encode(s, FORM_BEFORE_PLUS).to_string().replace(' ', "+")
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
    fn raw_bytes_are_encoded() {
        assert_eq!(rfc3986_bytes(&[0xff, b'a', b' ']), "%FFa%20");
    }
}
