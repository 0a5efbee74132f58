//! One interface over the signing schemes: how the client completes and signs a request
//! without knowing which scheme it uses.
//!
//! Each scheme module implements [`Scheme`] next to its pure signing function, and [`scheme`]
//! is the one table from a [`Signing`] to its implementation. Adding a scheme means a module,
//! an implementation and a row here; the client's request builder does not change.

use time::OffsetDateTime;

use super::SignableRequest;
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

/// A signing scheme as the client uses it.
pub trait Scheme: Send + Sync {
    /// Whether `credentials` are of the kind this scheme signs with.
    fn accepts(&self, credentials: &Credentials) -> bool;

    /// Encodes query keys and values as this scheme signs them (RFC 3986 unless it says
    /// otherwise); the client writes the query string with the same encoder.
    fn query_encoder(&self) -> fn(&str) -> String {
        super::encode::rfc3986
    }

    /// Adds what the scheme sends (parameters, headers) to `req`, whose query already holds the
    /// operation's parameters, and signs it. Credentials this scheme does not
    /// [accept](Self::accepts) leave `req` unsigned (the client never passes them).
    fn apply(&self, req: &mut SignableRequest, call: &Call<'_>, credentials: &Credentials);
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
}
