//! Huawei Cloud IAM token authentication: the token in `X-Auth-Token`, no signature.
//!
//! Source: the Huawei API Gateway "Token authentication" guide (PROVIDERS.md section 2.2).

use std::fmt;

use reqwest::header::{HeaderName, HeaderValue};

use super::SignableRequest;
use super::scheme::{Call, Keys, Scheme};
use crate::credentials::Credentials;

/// The header the token travels in (`X-Auth-Token`; header names are case-insensitive).
const HEADER: &str = "x-auth-token";

/// The [`Scheme`] of token calls: JSON content type, user agent and `X-Auth-Token`.
#[derive(Debug)]
pub(crate) struct IamToken;

impl Scheme for IamToken {
    fn accepts(&self, credentials: &Credentials) -> bool {
        matches!(credentials, Credentials::HuaweiToken { .. })
    }

    fn keys(&self, credentials: &Credentials) -> Keys {
        match credentials {
            Credentials::HuaweiToken { token } => TokenHeader::new(token.expose()).map_or(Keys::None, Keys::Token),
            _ => Keys::None,
        }
    }

    /// Adds the content type and user agent; the token too, unless `keys` holds it prepared as
    /// a header value, which the client then sends as it is (see [`Keys::Token`]).
    fn apply(&self, req: &mut SignableRequest, call: &Call<'_>, credentials: &Credentials, keys: &Keys) {
        let Credentials::HuaweiToken { token } = credentials else { return };
        if req.header("content-type").is_none() {
            req.headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
        }
        req.headers.push(("User-Agent".to_owned(), call.user_agent.to_owned()));
        if !matches!(keys, Keys::Token(_)) {
            req.headers.push((HEADER.to_owned(), token.expose().to_owned()));
        }
    }
}

/// An IAM token made into its `X-Auth-Token` header once per client, so that a call neither
/// copies nor checks the token again (a real token is several kilobytes). Marked sensitive;
/// `Debug` shows no token.
#[derive(Clone)]
pub struct TokenHeader(HeaderValue);

impl TokenHeader {
    /// The header for `token`, or `None` when HTTP header values cannot carry it (a control
    /// character; the client's configuration check names that first).
    fn new(token: &str) -> Option<Self> {
        let mut value = HeaderValue::from_str(token).ok()?;
        value.set_sensitive(true);
        Some(Self(value))
    }

    /// The header's name and value, as sent.
    pub(crate) fn header(&self) -> (HeaderName, HeaderValue) {
        (HeaderName::from_static(HEADER), self.0.clone())
    }
}

impl fmt::Debug for TokenHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenHeader(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call() -> Call<'static> {
        Call {
            action: "ShowTransferTaskLog",
            version: "",
            service: "dis",
            user_agent: "agent/1",
            project_id: None,
            now: time::OffsetDateTime::UNIX_EPOCH,
            nonce: String::new,
        }
    }

    #[test]
    fn a_prepared_token_travels_as_its_header_and_not_in_the_request() {
        let credentials = Credentials::huawei_token("MIItoken-value");
        let keys = IamToken.keys(&credentials);
        let Keys::Token(token) = &keys else { panic!("a token header: {keys:?}") };
        let (name, value) = token.header();
        assert_eq!((name.as_str(), value.to_str().ok()), ("x-auth-token", Some("MIItoken-value")));
        assert!(value.is_sensitive());
        assert!(!format!("{keys:?}").contains("MIItoken"), "{keys:?}");
        let mut req = SignableRequest::default();
        IamToken.apply(&mut req, &call(), &credentials, &keys);
        assert_eq!(req.header("x-auth-token"), None);
        assert_eq!(req.header("user-agent"), Some("agent/1"));
        assert_eq!(req.header("content-type"), Some("application/json"));
    }

    #[test]
    fn without_prepared_keys_the_token_goes_into_the_request() {
        let credentials = Credentials::huawei_token("MIItoken-value");
        let mut req = SignableRequest::default();
        IamToken.apply(&mut req, &call(), &credentials, &Keys::None);
        assert_eq!(req.header("x-auth-token"), Some("MIItoken-value"));
        assert!(matches!(IamToken.keys(&Credentials::huawei_token("bad\nline")), Keys::None));
    }
}
