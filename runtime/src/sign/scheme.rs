//! One interface over the signing schemes: how the client completes and signs a request
//! without knowing which scheme it uses.
//!
//! Each scheme module implements [`Scheme`] next to its pure signing function, and [`scheme`]
//! is the one table from a [`Signing`] to its implementation. Adding a scheme means a module,
//! an implementation and a row here; the client's request builder does not change.

use time::OffsetDateTime;

use super::SignableRequest;
use super::key::{HmacSha1Key, HmacSha256Key};
use super::tc3;
use crate::Signing;
use crate::credentials::Credentials;

/// What a scheme may need to know about one attempt besides the request itself.
#[derive(Clone, Copy, Debug)]
pub struct Call<'a> {
    /// The operation's name as the provider spells it (`GetDeliveryHistoryJob`).
    pub action: &'a str,
    /// The API version (empty when the service has none).
    pub version: &'a str,
    /// The service's name in signatures that carry one (Tencent API 3.0 credential scope: `cls`).
    pub service: &'a str,
    /// The `User-Agent` to send.
    pub user_agent: &'a str,
    /// The configured Huawei project id.
    pub project_id: Option<&'a str>,
    /// The time of this attempt.
    pub now: OffsetDateTime,
    /// A source of fresh nonces, for the schemes that send one.
    pub nonce: fn() -> String,
}

/// What a scheme signs with, prepared once from the credentials (by [`Scheme::keys`]) and kept by
/// the client, so that a request does not hash the secret again. `Debug` never shows a key.
#[derive(Debug)]
#[non_exhaustive]
pub enum Keys {
    /// Nothing prepared (credentials the scheme does not accept, or a token HTTP cannot carry).
    None,
    /// An HMAC-SHA256 key (Alibaba ACS3: the AccessKey secret; Huawei: the SK).
    HmacSha256(HmacSha256Key),
    /// An HMAC-SHA1 key (Alibaba RPC V1: the AccessKey secret and `&`; Tencent legacy: the
    /// SecretKey).
    HmacSha1(HmacSha1Key),
    /// The Tencent Cloud API 3.0 key with its cache of derived daily keys.
    Tc3(tc3::SigningKey),
    /// The Huawei IAM token as its header, sent by the client as it is (nothing is signed).
    Token(super::huawei_token::TokenHeader),
}

/// A signing scheme as the client uses it.
pub trait Scheme: Send + Sync {
    /// Whether `credentials` are of the kind this scheme signs with.
    fn accepts(&self, credentials: &Credentials) -> bool;

    /// Encodes query keys and values as this scheme signs them (RFC 3986 unless it says
    /// otherwise); the client writes the query string with the same encoder.
    fn query_encoder(&self) -> fn(&str) -> String {
        super::encode::rfc3986
    }

    /// Appends a query key or value encoded as [`Self::query_encoder`] encodes it, without an
    /// intermediate string (the client writes the URL's query with it).
    fn push_query_text(&self) -> fn(&mut String, &str) {
        super::encode::push_rfc3986_str
    }

    /// Prepares the keys this scheme signs with from `credentials`, once per client
    /// ([`Keys::None`] for credentials it does not [accept](Self::accepts)).
    fn keys(&self, credentials: &Credentials) -> Keys;

    /// Adds what the scheme sends (parameters, headers) to `req`, whose query already holds the
    /// operation's parameters, and signs it with `keys`, which [`Self::keys`] built from
    /// `credentials`. Credentials this scheme does not [accept](Self::accepts), or keys it did
    /// not build, leave `req` unsigned (the client never passes them).
    fn apply(&self, req: &mut SignableRequest, call: &Call<'_>, credentials: &Credentials, keys: &Keys);
}

/// The implementation of `signing`.
#[must_use]
pub fn scheme(signing: Signing) -> &'static dyn Scheme {
    match signing {
        Signing::Acs3HmacSha256 => &super::acs3::Acs3,
        Signing::RpcHmacSha1 => &super::rpc_v1::RpcV1,
        Signing::HuaweiSdkHmacSha256 => &super::huawei::SdkHmacSha256,
        Signing::HuaweiToken => &super::huawei_token::IamToken,
        Signing::TencentQSignSha1 => &super::tencent::QSignSha1,
        Signing::TencentTc3HmacSha256 => &super::tc3::Tc3HmacSha256,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_scheme_accepts_its_own_credentials_only() {
        let alibaba = Credentials::alibaba("id", "secret");
        let huawei = Credentials::huawei("ak", "sk");
        let token = Credentials::huawei_token("t");
        let tencent = Credentials::tencent("id", "key");
        let table = [
            (Signing::Acs3HmacSha256, &alibaba),
            (Signing::RpcHmacSha1, &alibaba),
            (Signing::HuaweiSdkHmacSha256, &huawei),
            (Signing::HuaweiToken, &token),
            (Signing::TencentQSignSha1, &tencent),
            (Signing::TencentTc3HmacSha256, &tencent),
        ];
        for (signing, own) in table {
            for other in [&alibaba, &huawei, &token, &tencent] {
                assert_eq!(scheme(signing).accepts(other), std::ptr::eq(own, other), "{signing:?} with {other:?}");
            }
        }
    }

    #[test]
    fn query_text_is_appended_as_the_encoder_encodes_it() {
        for signing in [
            Signing::Acs3HmacSha256,
            Signing::RpcHmacSha1,
            Signing::HuaweiSdkHmacSha256,
            Signing::HuaweiToken,
            Signing::TencentQSignSha1,
            Signing::TencentTc3HmacSha256,
        ] {
            let scheme = scheme(signing);
            for text in ["plain-Text_1.~", "2017-10-10 00:00:00", "a+b*c/d&e=f", "é\u{1F600}%"] {
                let mut out = "k=".to_owned();
                scheme.push_query_text()(&mut out, text);
                assert_eq!(out, format!("k={}", scheme.query_encoder()(text)), "{signing:?} {text:?}");
            }
        }
    }

    #[test]
    fn keys_are_prepared_for_own_credentials_only() {
        let alibaba = Credentials::alibaba("id", "secret");
        let huawei = Credentials::huawei("ak", "sk");
        let token = Credentials::huawei_token("t");
        let tencent = Credentials::tencent("id", "key");
        let call = Call {
            action: "Action",
            version: "2020-01-01",
            service: "cls",
            user_agent: "agent",
            project_id: None,
            now: time::macros::datetime!(2024-05-17 08:30:00 UTC),
            nonce: || "nonce".to_owned(),
        };
        let unsigned = SignableRequest {
            method: "POST".into(),
            host: "example.com".into(),
            path: "/".into(),
            query: vec![("k".into(), "v".into())],
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: b"{}".to_vec(),
        };
        let table = [
            (Signing::Acs3HmacSha256, &alibaba),
            (Signing::RpcHmacSha1, &alibaba),
            (Signing::HuaweiSdkHmacSha256, &huawei),
            (Signing::TencentQSignSha1, &tencent),
            (Signing::TencentTc3HmacSha256, &tencent),
        ];
        for (signing, own) in table {
            let scheme = scheme(signing);
            let keys = scheme.keys(own);
            assert!(!matches!(keys, Keys::None), "{signing:?}");
            assert!(format!("{keys:?}").contains("(***)"), "{signing:?}: {keys:?}");
            for other in [&alibaba, &huawei, &token, &tencent].into_iter().filter(|c| !std::ptr::eq(*c, own)) {
                assert!(matches!(scheme.keys(other), Keys::None), "{signing:?} with {other:?}");
            }
            // Signed with the prepared keys: an Authorization header or a Signature parameter.
            let mut req = unsigned.clone();
            scheme.apply(&mut req, &call, own, &keys);
            assert!(req.header("authorization").is_some() || req.query.iter().any(|(k, _)| k == "Signature"));
            // Keys the scheme did not build leave the request unsigned.
            let mut req = unsigned.clone();
            scheme.apply(&mut req, &call, own, &Keys::None);
            assert_eq!(req, unsigned, "{signing:?}");
        }
    }
}
