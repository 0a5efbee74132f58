//! Credentials for each provider, explicit or from the provider's usual environment
//! variables. Secrets are wrapped in [`Secret`], whose `Debug` never shows the value.

use std::fmt;

use crate::Provider;
use crate::error::ConfigError;

/// A secret string: usable by the signers, never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for signing.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How calls are authenticated.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// Alibaba Cloud AccessKey pair, with an STS token for temporary credentials.
    Alibaba {
        /// AccessKey ID.
        access_key_id: String,
        /// AccessKey secret.
        access_key_secret: Secret,
        /// STS security token.
        security_token: Option<Secret>,
    },
    /// Huawei Cloud AK/SK, with a security token for temporary AK/SK.
    HuaweiAkSk {
        /// Access key (AK).
        access_key: String,
        /// Secret key (SK).
        secret_key: Secret,
        /// Security token of temporary AK/SK.
        security_token: Option<Secret>,
    },
    /// A Huawei Cloud IAM token, sent as `X-Auth-Token` (valid 24 hours).
    HuaweiToken {
        /// The token (the `X-Subject-Token` of an IAM token request).
        token: Secret,
    },
    /// Tencent Cloud SecretId/SecretKey, with a token for temporary credentials.
    Tencent {
        /// SecretId.
        secret_id: String,
        /// SecretKey.
        secret_key: Secret,
        /// Temporary credential token, sent as `X-TC-Token` (API 3.0) or `X-Cls-Token` (legacy CLS).
        token: Option<Secret>,
    },
}

fn var(name: &'static str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn need(name: &'static str) -> Result<String, ConfigError> {
    var(name).ok_or(ConfigError::MissingEnv(name))
}

impl Credentials {
    /// Alibaba Cloud AccessKey pair.
    pub fn alibaba(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Self::Alibaba {
            access_key_id: access_key_id.into(),
            access_key_secret: Secret::new(access_key_secret),
            security_token: None,
        }
    }

    /// Huawei Cloud AK/SK.
    pub fn huawei(access_key: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self::HuaweiAkSk { access_key: access_key.into(), secret_key: Secret::new(secret_key), security_token: None }
    }

    /// A Huawei Cloud IAM token.
    pub fn huawei_token(token: impl Into<String>) -> Self {
        Self::HuaweiToken { token: Secret::new(token) }
    }

    /// Tencent Cloud SecretId/SecretKey.
    pub fn tencent(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self::Tencent { secret_id: secret_id.into(), secret_key: Secret::new(secret_key), token: None }
    }

    /// Adds the token of temporary credentials (Alibaba STS, Huawei temporary AK/SK, Tencent);
    /// ignored for a Huawei IAM token, which is a token already.
    #[must_use]
    pub fn with_security_token(mut self, value: impl Into<String>) -> Self {
        match &mut self {
            Self::Alibaba { security_token, .. }
            | Self::HuaweiAkSk { security_token, .. }
            | Self::Tencent { token: security_token, .. } => {
                *security_token = Some(Secret::new(value));
            }
            Self::HuaweiToken { .. } => {}
        }
        self
    }

    /// Reads credentials from the provider's usual environment variables:
    /// `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and optional
    /// `ALIBABA_CLOUD_SECURITY_TOKEN`; `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK` and optional
    /// `HUAWEICLOUD_SDK_SECURITY_TOKEN` (or `HUAWEICLOUD_SDK_AUTH_TOKEN` for an IAM token);
    /// `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and optional
    /// `TENCENTCLOUD_SESSION_TOKEN` (or the older `TENCENTCLOUD_TOKEN`).
    ///
    /// # Errors
    /// [`ConfigError::MissingEnv`] naming the first variable that is not set.
    pub fn from_env(provider: Provider) -> Result<Self, ConfigError> {
        let credentials = match provider {
            Provider::Alibaba => {
                Self::alibaba(need("ALIBABA_CLOUD_ACCESS_KEY_ID")?, need("ALIBABA_CLOUD_ACCESS_KEY_SECRET")?)
            }
            Provider::Huawei => {
                if let Some(token) = var("HUAWEICLOUD_SDK_AUTH_TOKEN") {
                    return Ok(Self::huawei_token(token));
                }
                Self::huawei(need("HUAWEICLOUD_SDK_AK")?, need("HUAWEICLOUD_SDK_SK")?)
            }
            Provider::Tencent => Self::tencent(need("TENCENTCLOUD_SECRET_ID")?, need("TENCENTCLOUD_SECRET_KEY")?),
        };
        let token = match provider {
            Provider::Alibaba => var("ALIBABA_CLOUD_SECURITY_TOKEN"),
            Provider::Huawei => var("HUAWEICLOUD_SDK_SECURITY_TOKEN"),
            Provider::Tencent => var("TENCENTCLOUD_SESSION_TOKEN").or_else(|| var("TENCENTCLOUD_TOKEN")),
        };
        Ok(match token {
            Some(token) => credentials.with_security_token(token),
            None => credentials,
        })
    }

    /// The provider these credentials belong to.
    #[must_use]
    pub fn provider(&self) -> Provider {
        match self {
            Self::Alibaba { .. } => Provider::Alibaba,
            Self::HuaweiAkSk { .. } | Self::HuaweiToken { .. } => Provider::Huawei,
            Self::Tencent { .. } => Provider::Tencent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_secrets() {
        let all = [
            Credentials::alibaba("id", "alibaba-secret").with_security_token("sts-token"),
            Credentials::huawei("ak", "huawei-secret"),
            Credentials::huawei_token("iam-token"),
            Credentials::tencent("sid", "tencent-secret").with_security_token("tmp-token"),
        ];
        for c in &all {
            let shown = format!("{c:?}");
            for secret in ["alibaba-secret", "sts-token", "huawei-secret", "iam-token", "tencent-secret", "tmp-token"] {
                assert!(!shown.contains(secret), "{shown}");
            }
        }
    }
}
