//! Client configuration: region, endpoint, credentials, timeouts, retries, user agent and
//! the HTTP client. Shared by every service's `Client`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::credentials::Credentials;
use crate::error::{ConfigError, EXCERPT_BYTES, bounded};
use crate::retry::RetryPolicy;
use crate::wire::ServiceSpec;
use crate::{Provider, Signing};

/// How to reach and authenticate with a service. An owned builder:
/// `Config::new("cn-hangzhou").credentials(...).timeout(...)`.
#[derive(Clone, Debug)]
#[must_use]
pub struct Config {
    pub(crate) region: String,
    pub(crate) credentials: Option<Credentials>,
    pub(crate) project_id: Option<String>,
    pub(crate) endpoint: Option<String>,
    pub(crate) named_endpoint: Option<String>,
    pub(crate) allow_http: bool,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) user_agent: String,
    pub(crate) http: Option<HttpClientBuilder>,
    pub(crate) signing: Option<Signing>,
    pub(crate) max_response_bytes: u64,
}

/// The default limit of a response body: 16 MiB. The largest documented answers are list pages
/// (CBR ListBackups at its maximum page of 1000 backups is about 3 MB; DIS and ActionTrail pages
/// are far smaller), so a real answer fits five times over, while a hostile or broken server
/// cannot make one call hold more than this in memory.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

impl Config {
    /// A configuration for `region` (`cn-hangzhou`, `cn-north-4`, `ap-guangzhou`, ...), with no
    /// credentials, a 10 s connect timeout, a 60 s request timeout and the default retry policy.
    pub fn new(region: impl Into<String>) -> Self {
        Self {
            region: region.into(),
            credentials: None,
            project_id: None,
            endpoint: None,
            named_endpoint: None,
            allow_http: false,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            user_agent: concat!("cloud-task-apis/", env!("CARGO_PKG_VERSION")).to_owned(),
            http: None,
            signing: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// A configuration for `region` with credentials from `provider`'s environment variables
    /// (see [`Credentials::from_env`]) and, for Huawei, the project id from
    /// `HUAWEICLOUD_SDK_PROJECT_ID`.
    ///
    /// # Errors
    /// [`ConfigError::MissingEnv`] naming the variable that is not set.
    pub fn from_env(provider: Provider, region: impl Into<String>) -> Result<Self, ConfigError> {
        let mut config = Self::new(region).credentials(Credentials::from_env(provider)?);
        if provider == Provider::Huawei {
            config.project_id = std::env::var("HUAWEICLOUD_SDK_PROJECT_ID").ok().filter(|p| !p.is_empty());
        }
        Ok(config)
    }

    /// Sets the credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Sets the Huawei project id (sent as `X-Project-Id` and placed in paths that need it).
    pub fn project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = Some(project_id.into());
        self
    }

    /// Sends requests to this endpoint instead of the regional one: a host (`host:port`,
    /// HTTPS) or a URL (`https://...`; `http://...` only after [`Config::allow_http`]). For
    /// proxies, VPC endpoints and tests.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Sends requests to one of the service's named endpoints instead of its default host, such
    /// as `internal` for Tencent CLS's intranet domain (each service's documentation lists its
    /// names). A service without that name refuses the configuration; an [`endpoint`](Self::endpoint)
    /// override cannot be combined with it.
    pub fn named_endpoint(mut self, name: impl Into<String>) -> Self {
        self.named_endpoint = Some(name.into());
        self
    }

    /// Allows a plain-HTTP endpoint override (local stand-ins, tests).
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Time allowed to open a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one attempt, from sending to the end of the response body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The largest response body a call accepts, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`], 16 MiB). A larger body is refused while it streams in,
    /// with [`RequestErrorKind::ResponseTooLarge`](crate::RequestErrorKind::ResponseTooLarge);
    /// no more than the limit and one network chunk is held.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Sets the `User-Agent`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Builds the HTTP client from a caller's `reqwest::ClientBuilder` (its proxies, TLS and
    /// connection settings apply; [`Config::connect_timeout`] does not, [`Config::timeout`]
    /// applies per attempt).
    ///
    /// Takes a builder, not a built `reqwest::Client`, because a built client may follow
    /// redirects, and reqwest forwards every custom header (`X-Auth-Token`,
    /// `x-acs-security-token`, `X-Security-Token`, `X-Cls-Token`) to the redirect's target
    /// before the caller sees the answer. The client is built with redirects turned off
    /// whatever the builder says; a redirect answer is an error
    /// ([`RequestErrorKind::Redirect`](crate::RequestErrorKind::Redirect)).
    pub fn http_client_builder(mut self, builder: impl Fn() -> reqwest::ClientBuilder + Send + Sync + 'static) -> Self {
        self.http = Some(HttpClientBuilder(Arc::new(builder)));
        self
    }

    /// Chooses the signer, among those the service accepts (default: the service's first,
    /// which for Alibaba is ACS3-HMAC-SHA256 as in the official SDK; `RpcHmacSha1` selects
    /// the V1 signature).
    pub fn signing(mut self, signing: Signing) -> Self {
        self.signing = Some(signing);
        self
    }

    /// The region.
    #[must_use]
    pub fn region(&self) -> &str {
        &self.region
    }
}

/// A caller's recipe for the HTTP client (see [`Config::http_client_builder`]).
#[derive(Clone)]
pub(crate) struct HttpClientBuilder(pub(crate) Arc<dyn Fn() -> reqwest::ClientBuilder + Send + Sync>);

impl fmt::Debug for HttpClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HttpClientBuilder(caller's)")
    }
}

/// Where requests go: scheme and authority.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Endpoint {
    pub(crate) scheme: &'static str,
    pub(crate) authority: String,
}

impl Endpoint {
    /// The endpoint of `service`: the configured override, the named endpoint chosen, or the
    /// default host template.
    pub(crate) fn of(service: &ServiceSpec, config: &Config) -> Result<Self, ConfigError> {
        let template = match (&config.named_endpoint, &config.endpoint) {
            (None, _) => service.endpoint,
            (Some(_), Some(_)) => return Err(ConfigError::EndpointConflict),
            (Some(name), None) => match service.endpoints.iter().find(|e| e.name == name) {
                Some(named) => named.host,
                None => {
                    let known: Vec<&str> = service.endpoints.iter().map(|e| e.name).collect();
                    return Err(ConfigError::UnknownEndpoint {
                        service: service.name,
                        name: bounded(name.clone(), EXCERPT_BYTES),
                        known: if known.is_empty() { "none".to_owned() } else { known.join(", ") },
                    });
                }
            },
        };
        Self::resolve(template, config)
    }

    /// The endpoint for a host template, or the configured override.
    pub(crate) fn resolve(template: &str, config: &Config) -> Result<Self, ConfigError> {
        let Some(custom) = &config.endpoint else {
            if config.region.is_empty() || !config.region.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                return Err(ConfigError::InvalidRegion(bounded(config.region.clone(), EXCERPT_BYTES)));
            }
            let authority = template.replace("{region}", &config.region);
            return Ok(Self { scheme: "https", authority: normalize_authority("https", &authority) });
        };
        let (scheme, rest) = if let Some(rest) = custom.strip_prefix("https://") {
            ("https", rest)
        } else if let Some(rest) = custom.strip_prefix("http://") {
            if !config.allow_http {
                return Err(ConfigError::PlainHttp(bounded(custom.clone(), EXCERPT_BYTES)));
            }
            ("http", rest)
        } else {
            ("https", custom.as_str())
        };
        let authority = rest.trim_end_matches('/');
        if authority.is_empty() || authority.contains(['/', '?', '#', '@', ' ']) {
            return Err(ConfigError::InvalidEndpoint(bounded(custom.clone(), EXCERPT_BYTES)));
        }
        Ok(Self { scheme, authority: normalize_authority(scheme, authority) })
    }
}

/// The authority as the HTTP client writes it in the `Host` header, which the signers sign:
/// the host lowercased and the scheme's default port (`:443`, `:80`) dropped. Signing
/// `Example.com:443` while `example.com` goes on the wire would break every signature.
fn normalize_authority(scheme: &str, authority: &str) -> String {
    let lower = authority.to_ascii_lowercase();
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    match lower.strip_suffix(default_port) {
        Some(host) if !host.is_empty() => host.to_owned(),
        _ => lower,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The legacy CLS host answers only inside Tencent's network: the default is the public
    /// host, and the intranet one is chosen by name, from the spec (these are the wire facts of
    /// `specs/tencent/cls/service.yaml`).
    #[test]
    fn named_endpoints_come_from_the_service_spec() {
        static CLS: ServiceSpec = ServiceSpec {
            provider: crate::Provider::Tencent,
            name: "cls",
            api_version: None,
            protocol: crate::wire::Protocol::Rest,
            endpoint: "{region}.cls.tencentcs.com",
            endpoints: &[crate::wire::NamedEndpoint { name: "internal", host: "{region}.cls.tencentyun.com" }],
            signing: &[crate::Signing::TencentQSignSha1],
            envelope: crate::wire::Envelope::TencentCls,
            request_id_header: Some("x-cls-requestid"),
            success_when: None,
        };
        let cls = &CLS;
        let e = Endpoint::of(cls, &Config::new("ap-guangzhou")).expect("default");
        assert_eq!(e.authority, "ap-guangzhou.cls.tencentcs.com");
        let e = Endpoint::of(cls, &Config::new("ap-guangzhou").named_endpoint("internal")).expect("internal");
        assert_eq!(e.authority, "ap-guangzhou.cls.tencentyun.com");
        let unknown = Endpoint::of(cls, &Config::new("ap-guangzhou").named_endpoint("intranet")).expect_err("unknown");
        assert_eq!(unknown.to_string(), "cls has no endpoint named \"intranet\" (its named endpoints: internal)");
        let both = Config::new("ap-guangzhou").named_endpoint("internal").endpoint("example.com");
        assert_eq!(Endpoint::of(cls, &both), Err(ConfigError::EndpointConflict));
    }

    #[test]
    fn endpoints_from_template_and_overrides() {
        let config = Config::new("cn-hangzhou");
        let e = Endpoint::resolve("actiontrail.{region}.aliyuncs.com", &config).expect("regional");
        assert_eq!((e.scheme, e.authority.as_str()), ("https", "actiontrail.cn-hangzhou.aliyuncs.com"));
        let e = Endpoint::resolve("x.{region}", &config.clone().endpoint("vpc.example.com:8443/")).expect("host");
        assert_eq!((e.scheme, e.authority.as_str()), ("https", "vpc.example.com:8443"));
        assert!(matches!(
            Endpoint::resolve("x", &config.clone().endpoint("http://127.0.0.1:1")),
            Err(ConfigError::PlainHttp(_))
        ));
        let e = Endpoint::resolve("x", &config.clone().endpoint("http://127.0.0.1:1").allow_http(true)).expect("http");
        assert_eq!(e.scheme, "http");
        assert!(matches!(Endpoint::resolve("x.{region}", &Config::new("../evil")), Err(ConfigError::InvalidRegion(_))));
        // The authority is signed as the Host header the HTTP client sends: lowercase, without
        // the scheme's default port.
        let e = Endpoint::resolve("x", &config.clone().endpoint("https://VPC.Example.com:443")).expect("default port");
        assert_eq!(e.authority, "vpc.example.com");
        let e = Endpoint::resolve("x", &config.clone().endpoint("http://127.0.0.1:80").allow_http(true)).expect("80");
        assert_eq!(e.authority, "127.0.0.1");
        let e = Endpoint::resolve("x", &config.clone().endpoint("http://[::1]:8080").allow_http(true)).expect("v6");
        assert_eq!(e.authority, "[::1]:8080");
        let e = Endpoint::resolve("x.{region}.aliyuncs.com", &Config::new("CN-Hangzhou")).expect("region");
        assert_eq!(e.authority, "x.cn-hangzhou.aliyuncs.com");
        assert!(matches!(
            Endpoint::resolve("x", &config.endpoint("https://a/b")),
            Err(ConfigError::InvalidEndpoint(_))
        ));
    }
}
