//! Huawei Cloud IAM token authentication: the token in `X-Auth-Token`, no signature.
//!
//! Source: the Huawei API Gateway "Token authentication" guide (PROVIDERS.md section 2.2).

use super::SignableRequest;
use super::scheme::{Call, Keys, Scheme};
use crate::credentials::Credentials;

/// The [`Scheme`] of token calls: JSON content type, user agent and `X-Auth-Token`.
#[derive(Debug)]
pub(crate) struct IamToken;

impl Scheme for IamToken {
    fn accepts(&self, credentials: &Credentials) -> bool {
        matches!(credentials, Credentials::HuaweiToken { .. })
    }

    fn keys(&self, _credentials: &Credentials) -> Keys {
        Keys::None
    }

    fn apply(&self, req: &mut SignableRequest, call: &Call<'_>, credentials: &Credentials, _keys: &Keys) {
        let Credentials::HuaweiToken { token } = credentials else { return };
        if req.header("content-type").is_none() {
            req.headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
        }
        req.headers.push(("User-Agent".to_owned(), call.user_agent.to_owned()));
        req.headers.push(("X-Auth-Token".to_owned(), token.expose().to_owned()));
    }
}
