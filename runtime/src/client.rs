//! The call pipeline shared by every generated operation: validate, fill the idempotency
//! token, write the parameters, then per attempt sign with a fresh time and nonce, send,
//! decode or classify the error, and retry where it is safe.

use std::sync::Arc;

use time::OffsetDateTime;

use crate::__private::{Operation, OperationError};
use crate::config::{Config, Endpoint};
use crate::credentials::Credentials;
use crate::error::{ConfigError, Excerpt, RequestError, RequestErrorKind, ServiceError, ValidationError};
use crate::retry::{Failure, is_retryable};
use crate::sign::SignableRequest;
use crate::sign::scheme::{Call, Keys, scheme};
use crate::wire::{OperationSpec, Protocol, RequestWriter, RetrySafety, ServiceSpec};
use crate::{Provider, Signing};

mod body;
mod decode;
mod exchange;
#[cfg(test)]
mod tests;

use decode::{decode, finish};
#[cfg(any(test, feature = "example-tests"))]
pub(crate) use decode::{decode_body, decode_body_one_pass};
use exchange::{Exchange, Settled};

/// A configured connection to one service. Generated clients hold one; clones share it.
#[derive(Clone, Debug)]
pub struct ClientHandle {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    credentials: Credentials,
    signing: Signing,
    /// The signer's keys, prepared once from `credentials`.
    keys: Keys,
    endpoint: Endpoint,
    http: reqwest::Client,
    /// The service's request id header, parsed once.
    request_id_header: Option<reqwest::header::HeaderName>,
    /// `scheme://authority/` parsed once (`None` when it does not parse: each request's URL is
    /// then left to the HTTP client, which refuses it).
    base_url: Option<reqwest::Url>,
}

fn provider_name(provider: Provider) -> &'static str {
    match provider {
        Provider::Alibaba => "Alibaba Cloud",
        Provider::Huawei => "Huawei Cloud",
        Provider::Tencent => "Tencent Cloud",
    }
}

impl ClientHandle {
    /// Checks `config` against `service` and builds the HTTP client.
    ///
    /// # Errors
    /// Missing or foreign credentials, a signer the service does not accept, a bad region or
    /// endpoint, or an HTTP client that cannot be built.
    pub fn new(service: &'static ServiceSpec, config: Config) -> Result<Self, ConfigError> {
        let credentials =
            config.credentials.clone().ok_or(ConfigError::MissingCredentials(provider_name(service.provider)))?;
        if credentials.provider() != service.provider {
            return Err(ConfigError::WrongCredentials {
                expected: provider_name(service.provider),
                found: provider_name(credentials.provider()),
            });
        }
        // The chosen signer, or the first one the service lists that these credentials can use.
        let signing = match config.signing {
            Some(signing) => signing,
            None => service
                .signing
                .iter()
                .copied()
                .find(|s| scheme(*s).accepts(&credentials))
                .ok_or(ConfigError::CredentialsNotAccepted(service.name))?,
        };
        if !service.signing.contains(&signing) || !scheme(signing).accepts(&credentials) {
            return Err(ConfigError::UnsupportedSigning { service: service.name, signing });
        }
        check_header_settings(&config, &credentials)?;
        let endpoint = Endpoint::of(service, &config)?;
        // Signed calls never follow a redirect, whoever made the builder: reqwest would resend
        // every credential header but `Authorization` to the new location.
        let http = match &config.http {
            Some(builder) => (builder.0)(),
            None => reqwest::Client::builder().connect_timeout(config.connect_timeout).timeout(config.timeout),
        }
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| ConfigError::Http(e.to_string()))?;
        let keys = scheme(signing).keys(&credentials);
        let request_id_header =
            service.request_id_header.and_then(|h| reqwest::header::HeaderName::from_bytes(h.as_bytes()).ok());
        let base_url = reqwest::Url::parse(&format!("{}://{}/", endpoint.scheme, endpoint.authority)).ok();
        let inner = Inner { config, credentials, signing, keys, endpoint, http, request_id_header, base_url };
        Ok(Self { inner: Arc::new(inner) })
    }

    /// Builds and signs one attempt from the parameters `writer` holds and the filled `path`,
    /// which it takes over rather than copies.
    pub(crate) fn prepare(&self, spec: &OperationSpec, path: String, writer: RequestWriter) -> SignableRequest {
        let inner = &*self.inner;
        let RequestWriter { query, mut headers, body, .. } = writer;
        // Room for what the protocol and the signer add (at most eight headers), so that they
        // do not grow the list again; a scheme that adds parameters makes room for them itself.
        headers.reserve(8);
        let mut req = SignableRequest {
            method: spec.method.as_str().to_owned(),
            host: inner.endpoint.authority.clone(),
            path,
            query,
            headers,
            body: body.unwrap_or_default(),
        };
        let call = Call {
            action: spec.name,
            version: spec.service.api_version.unwrap_or_default(),
            service: spec.service.signing_name(),
            user_agent: &inner.config.user_agent,
            project_id: inner.config.project_id.as_deref(),
            now: OffsetDateTime::now_utc(),
            nonce,
        };
        if spec.service.protocol == Protocol::TencentApi3 {
            crate::api3::prepare(&mut req, spec.name, call.version, &inner.config.region);
        }
        scheme(inner.signing).apply(&mut req, &call, &inner.credentials, &inner.keys);
        req
    }

    /// The URL as sent: the client's parsed base with the request's path and query set on it
    /// (parsing the whole URL again for every request cost more than the rest of building the
    /// request), or, when the base did not parse, the URL as text for the HTTP client to parse.
    /// The query is encoded as the signer signed it (RFC 3986 for Alibaba and Huawei, form
    /// encoding with `+` for a space for Tencent), straight from the pairs.
    fn url(&self, req: &SignableRequest) -> Result<reqwest::Url, String> {
        let push = scheme(self.inner.signing).push_query_text();
        let mut query = String::new();
        if !req.query.is_empty() {
            // Room for the usual case of nothing to escape.
            query.reserve(req.query.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
        }
        for (index, (key, value)) in req.query.iter().enumerate() {
            if index > 0 {
                query.push('&');
            }
            push(&mut query, key);
            query.push('=');
            push(&mut query, value);
        }
        if let Some(base) = &self.inner.base_url {
            let mut url = base.clone();
            url.set_path(&req.path);
            url.set_query((!query.is_empty()).then_some(query.as_str()));
            return Ok(url);
        }
        let endpoint = &self.inner.endpoint;
        let mut url = String::with_capacity(endpoint.scheme.len() + endpoint.authority.len() + req.path.len() + 4);
        for part in [endpoint.scheme, "://", &endpoint.authority, &req.path] {
            url.push_str(part);
        }
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query);
        }
        Err(url)
    }
}

/// Refuses settings that travel in headers and hold characters HTTP does not allow there, naming
/// the setting (and showing an excerpt of it unless it is a credential).
fn check_header_settings(config: &Config, credentials: &Credentials) -> Result<(), ConfigError> {
    let shown = |what: &str, value: &str| format!("{what} {}", Excerpt(value));
    let mut settings: Vec<(String, &str)> =
        vec![(shown("the user agent (Config::user_agent)", &config.user_agent), &config.user_agent)];
    if let Some(project) = &config.project_id {
        settings.push((shown("the project id (Config::project_id)", project), project));
    }
    let (key_id, token) = match credentials {
        Credentials::Alibaba { access_key_id, security_token, .. } => {
            (Some(("the access key id", access_key_id.as_str())), security_token.as_ref())
        }
        Credentials::HuaweiAkSk { access_key, security_token, .. } => {
            (Some(("the access key (AK)", access_key.as_str())), security_token.as_ref())
        }
        Credentials::Tencent { secret_id, token, .. } => (Some(("the secret id", secret_id.as_str())), token.as_ref()),
        Credentials::HuaweiToken { token } => {
            settings.push(("the IAM token of the credentials".to_owned(), token.expose()));
            (None, None)
        }
    };
    if let Some((what, id)) = key_id {
        settings.push((shown(&format!("{what} of the credentials"), id), id));
    }
    if let Some(token) = token {
        settings.push(("the security token of the credentials".to_owned(), token.expose()));
    }
    for (setting, value) in settings {
        if let Some(problem) = crate::wire::header_value_problem(value) {
            return Err(ConfigError::InvalidHeaderValue { setting, problem });
        }
    }
    Ok(())
}

/// What one attempt got back: the status, the request id its headers carried, the headers
/// themselves (read again only on a failure, for a retry hint) and the body.
struct Answer {
    status: u16,
    request_id: Option<String>,
    headers: reqwest::header::HeaderMap,
    body: bytes::Bytes,
}

/// A fresh signature nonce: 32 lowercase hex digits, as the official Alibaba SDK sends. It must be
/// unique per request, not secret, so a fast non-cryptographic generator serves.
fn nonce() -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let n = fastrand::u128(..);
    let mut out = String::with_capacity(32);
    for shift in (0..32).rev().map(|i| i * 4) {
        out.push(char::from(DIGITS[usize::try_from((n >> shift) & 0xf).unwrap_or(0)]));
    }
    out
}

/// Sends one operation: the whole pipeline, with retries. Only validation, writing and decoding
/// depend on the operation; each attempt's exchange is non-generic code, so each operation adds
/// little code to a build. The request is validated when this is called; the future owns a
/// clone of the handle (a reference count).
///
/// # Errors
/// The operation's error: a documented code, an unmodelled provider error, or a request failure.
pub fn send_operation<O: Operation>(
    handle: &ClientHandle,
    request: O,
) -> impl Future<Output = Result<O::Response, O::Error>> + Send + use<O> {
    let checked = crate::__private::validate(&request).map(|()| request);
    send_checked(handle.clone(), checked)
}

/// Sends a request whose documented constraints were checked already (what a builder's
/// `build` returns, so that they are not checked twice), or returns the failure of that check
/// as the operation's error.
///
/// Only this loop is compiled per operation; each attempt's work is the non-generic
/// [`Exchange`]'s. Nothing of the operation's is held across an await but the request, so the
/// future stays small (see [`exchange`]).
///
/// # Errors
/// As [`send_operation`].
// Not an `async fn`: its arguments would be moved into a second place in the future.
#[allow(clippy::manual_async_fn)]
pub(crate) fn send_checked<O: Operation>(
    handle: ClientHandle,
    mut checked: Result<O, ValidationError>,
) -> impl Future<Output = Result<O::Response, O::Error>> + Send {
    // A block rather than an `async fn`, and the request borrowed where the future captured
    // it: moving it out would give it a second place in the future.
    async move {
        // A promoted constant: referred to, not copied into the call's future.
        let spec: &'static OperationSpec = &O::SPEC;
        let request = match &mut checked {
            Ok(request) => request,
            Err(error) => return Err(crate::__private::validation_error::<O>(error.clone())),
        };
        if let Some(token) = request.idempotency_token() {
            token.get_or_insert_with(|| uuid::Uuid::new_v4().to_string());
        }
        let mut exchange = Exchange::new(&handle, spec);
        // The blocks end the lives of what the sync steps borrow before the next await, so that
        // the future does not keep room for them.
        loop {
            let attempt = {
                // Each attempt writes the parameters anew (a retry the same values: the
                // idempotency token is filled in already).
                let mut writer = RequestWriter::default();
                request.write(&mut writer);
                match exchange.attempt(writer) {
                    Ok(attempt) => attempt,
                    Err(error) => return Err(O::Error::from_request(error)),
                }
            };
            let delay = {
                let received = match attempt.await {
                    // A plain success decodes in one pass; anything else is settled in full.
                    Ok(answer) if (200..300).contains(&answer.status) => {
                        let want_request_id = answer.request_id.is_none();
                        match crate::one_pass::decode::<O::Response>(spec.service, &answer.body, want_request_id) {
                            Some(decoded) => return Ok(finish(decoded, exchange.deliver(answer))),
                            None => Ok(answer),
                        }
                    }
                    other => other,
                };
                match exchange.settle(received) {
                    Settled::Delivered(delivered) => return decode::<O>(spec, delivered),
                    Settled::Failed(Outcome::Service(error)) => return Err(O::Error::from_service(error)),
                    Settled::Failed(Outcome::Request(error)) => return Err(O::Error::from_request(error)),
                    Settled::Retry(delay) => delay,
                }
            };
            tokio::time::sleep(delay).await;
        }
    }
}

/// How an exchange failed, before the operation's error type is known.
enum Outcome {
    Service(ServiceError),
    Request(RequestError),
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Service(error) => error.fmt(f),
            Self::Request(error) => error.fmt(f),
        }
    }
}

/// A successful exchange: the 2xx answer of the last attempt and how many attempts it took.
struct Delivered {
    answer: Answer,
    attempts: u32,
}

/// The provider's refusal in an answer: its error envelope, or, for a body without a code at
/// the status of an error documented by its status alone, that error with an empty code and
/// the body's start as the message. `None` when the body is neither.
pub(crate) fn service_error(
    spec: &OperationSpec,
    status: u16,
    header_id: Option<String>,
    body: &[u8],
) -> Option<ServiceError> {
    if let Some(parsed) = crate::envelope::parse(spec.service.envelope, body) {
        return Some(ServiceError::new(
            spec.name,
            status,
            parsed.code,
            parsed.message,
            header_id.or(parsed.request_id),
        ));
    }
    spec.status_errors.contains(&status).then(|| {
        ServiceError::new(spec.name, status, String::new(), crate::error::snippet(body).trim().to_owned(), header_id)
    })
}

fn fail(spec: &OperationSpec, kind: RequestErrorKind, detail: impl Into<String>) -> RequestError {
    RequestError::new(kind, spec.name, detail)
}

/// A validation failure as the request error operations return.
pub(crate) fn validation(spec: &OperationSpec, error: ValidationError) -> RequestError {
    RequestError::new(RequestErrorKind::Validation, spec.name, "request not sent").with_source(error)
}

/// Whether the operation's failures may be retried at all (for waiters deciding to keep polling).
pub(crate) fn transient<E: OperationError>(error: &E, safety: RetrySafety) -> bool {
    match (error.service_error(), error.request_error()) {
        (Some(e), _) => is_retryable(Failure::Status { status: e.status(), code: Some(e.code()) }, safety),
        (None, Some(e)) => match e.kind() {
            RequestErrorKind::Timeout => is_retryable(Failure::Timeout, safety),
            RequestErrorKind::Transport => is_retryable(Failure::Transport, safety),
            RequestErrorKind::UnexpectedResponse => {
                e.status().is_some_and(|s| is_retryable(Failure::Status { status: s, code: None }, safety))
            }
            _ => false,
        },
        (None, None) => false,
    }
}
