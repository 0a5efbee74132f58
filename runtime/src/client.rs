//! The call pipeline shared by every generated operation: validate, fill the idempotency
//! token, write the parameters, then per attempt sign with a fresh time and nonce, send,
//! decode or classify the error, and retry where it is safe.

use std::sync::Arc;
use std::time::Instant;

use time::OffsetDateTime;
use tracing::Instrument;

use crate::__private::{Operation, OperationError};
use crate::config::{Config, Endpoint};
use crate::credentials::Credentials;
use crate::error::{
    ConfigError, EXCERPT_BYTES, Excerpt, RequestError, RequestErrorKind, ServiceError, ValidationError, bounded,
};
use crate::retry::{Failure, hint, is_retryable};
use crate::sign::SignableRequest;
use crate::sign::scheme::{Call, Keys, scheme};
use crate::wire::{Method, OperationSpec, Protocol, RequestWriter, RetrySafety, ServiceSpec};
use crate::{Provider, Signing};

mod body;
mod decode;
#[cfg(test)]
mod tests;

use body::BodyError;
use decode::{decode, finish};
#[cfg(any(test, feature = "example-tests"))]
pub(crate) use decode::{decode_body, decode_body_one_pass};

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

    async fn attempt(
        &self,
        spec: &OperationSpec,
        req: SignableRequest,
    ) -> Result<Answer, (Failure<'static>, RequestError)> {
        let method = reqwest::Method::from_bytes(req.method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let mut builder = match self.url(&req) {
            Ok(url) => self.inner.http.request(method, url),
            Err(text) => self.inner.http.request(method, text),
        };
        // A client built here carries the timeout already; a caller's client gets it per request.
        if self.inner.config.http.is_some() {
            builder = builder.timeout(self.inner.config.timeout);
        }
        // The values move into the HTTP request as they are (a `String` becomes a header value
        // without a copy).
        for (name, value) in req.headers {
            if !name.eq_ignore_ascii_case("host") {
                builder = builder.header(name.as_str(), value);
            }
        }
        // A token prepared as its header once per client goes as it is: no copy, no check.
        if let Keys::Token(token) = &self.inner.keys {
            let (name, value) = token.header();
            builder = builder.header(name, value);
        }
        if !req.body.is_empty() {
            builder = builder.body(req.body);
        } else if matches!(spec.method, Method::Post | Method::Put) {
            // A method that carries content says it has none, as every official SDK does on a
            // body-less POST (some gateways answer 411 Length Required without it). Set by the
            // transport, so no signer signs it.
            builder = builder.header(reqwest::header::CONTENT_LENGTH, "0");
        }
        let classify = |mut e: reqwest::Error, reading: &str| {
            // reqwest's message quotes the URL; its query can hold credentials (RPC V1 sends
            // SecurityToken and Signature there), so only scheme, host and path are kept.
            if let Some(url) = e.url_mut() {
                url.set_query(None);
            }
            let (failure, kind, what) = if e.is_builder() {
                // Nothing was sent; the same values would fail again.
                let what = "cannot build the HTTP request (the URL or a header is not valid HTTP)";
                (Failure::Unsendable, RequestErrorKind::Config, what.to_owned())
            } else if e.is_timeout() {
                (Failure::Timeout, RequestErrorKind::Timeout, format!("timed out{reading}"))
            } else {
                (Failure::Transport, RequestErrorKind::Transport, format!("transport failure{reading}"))
            };
            (failure, fail(spec, kind, what).with_source(e))
        };
        let mut response = builder.send().await.map_err(|e| classify(e, ""))?;
        let status = response.status().as_u16();
        // Kept with the answer: only a failure reads them again (for a retry hint).
        let headers = std::mem::take(response.headers_mut());
        let request_id = self
            .inner
            .request_id_header
            .as_ref()
            .and_then(|h| headers.get(h)?.to_str().ok())
            .map(|id| bounded(id.to_owned(), EXCERPT_BYTES));
        if response.status().is_redirection() {
            // The body is not read: whatever the redirecting server says is not the answer.
            let location = headers.get(reqwest::header::LOCATION).map(|v| String::from_utf8_lossy(v.as_bytes()));
            let detail = match location {
                Some(location) => format!(
                    "the endpoint answered with a redirect to {}, which signed requests never follow (check the \
                     region or Config::endpoint)",
                    Excerpt(&location)
                ),
                None => "the endpoint answered with a redirect, which signed requests never follow (check the region \
                         or Config::endpoint)"
                    .to_owned(),
            };
            return Err((
                Failure::Final,
                fail(spec, RequestErrorKind::Redirect, detail).with_status(status, request_id),
            ));
        }
        // From here on the status and request id are known: every failure keeps them.
        let body = self.read_body(spec, response).await.map_err(|(failure, e)| {
            let e = match e {
                BodyError::Http(e) => classify(e, " while reading the response body").1,
                BodyError::TooLarge(e) => e,
            };
            (failure, e.with_status(status, request_id.clone()))
        })?;
        Ok(Answer { status, request_id, headers, body })
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
/// depend on the operation; the exchange itself is one non-generic future, so each operation
/// adds little code to a build.
///
/// # Errors
/// The operation's error: a documented code, an unmodelled provider error, or a request failure.
pub async fn send_operation<O: Operation>(handle: &ClientHandle, request: O) -> Result<O::Response, O::Error> {
    crate::__private::validate(&request).map_err(|e| O::Error::from_request(validation(&O::SPEC, e)))?;
    send_valid(handle, request).await
}

/// [`send_operation`] for a request whose documented constraints were checked already (what a
/// builder's `build` returns), so that they are not checked twice.
///
/// # Errors
/// As [`send_operation`].
pub(crate) async fn send_valid<O: Operation>(handle: &ClientHandle, mut request: O) -> Result<O::Response, O::Error> {
    // A promoted constant: referred to, not copied into the call's future.
    let spec: &'static OperationSpec = &O::SPEC;
    if let Some(token) = request.idempotency_token() {
        token.get_or_insert_with(|| uuid::Uuid::new_v4().to_string());
    }
    let mut writer = RequestWriter::default();
    request.write(&mut writer);
    // The first attempt takes the parameters over; a retry writes them again from the request
    // (the same values: the idempotency token is filled in already).
    let mut rewrite = move |writer: &mut RequestWriter| request.write(writer);
    let mut decoded = None;
    let mut first_pass = |body: &[u8], want_request_id: bool| {
        decoded = crate::one_pass::decode::<O::Response>(spec.service, body, want_request_id);
        decoded.is_some()
    };
    match exchange(handle, spec, writer, &mut rewrite, &mut first_pass).await {
        Ok(delivered) => match decoded {
            Some(decoded) => Ok(finish(decoded, delivered)),
            None => decode::<O>(spec, delivered),
        },
        Err(Outcome::Service(error)) => Err(O::Error::from_service(error)),
        Err(Outcome::Request(error)) => Err(O::Error::from_request(error)),
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

/// Decodes a 2xx body in one pass when it is a plain success, keeping the response, and says
/// whether it was (see [`crate::one_pass`]); when it says no, the pipeline reads the body in full.
/// Its second argument says whether the body's request id is wanted (no header carried one).
type FirstPass<'a> = &'a mut (dyn FnMut(&[u8], bool) -> bool + Send);

/// Writes the operation's parameters again, for a retry.
type Rewrite<'a> = &'a mut (dyn FnMut(&mut RequestWriter) + Send);

/// Fills the path, then signs, sends and retries until a 2xx answer or a final failure.
///
/// Not generic: its future is compiled once and held inline by each operation's (a box here
/// cost an allocation of the whole state per call).
async fn exchange(
    handle: &ClientHandle,
    spec: &OperationSpec,
    writer: RequestWriter,
    rewrite: Rewrite<'_>,
    first_pass: FirstPass<'_>,
) -> Result<Delivered, Outcome> {
    let service = spec.service;
    let project = handle.inner.config.project_id.as_deref();
    if writer.project_id_param.is_some() && project.is_none() {
        let detail = ConfigError::MissingProjectId(service.name).to_string();
        return Err(Outcome::Request(fail(spec, RequestErrorKind::Config, detail)));
    }
    let path = writer.fill_path(spec.path, project).map_err(|e| Outcome::Request(validation(spec, e)))?;
    let span = tracing::info_span!(
        "cloud_task_apis::call",
        provider = ?service.provider,
        service = service.name,
        operation = spec.name,
        attempt = tracing::field::Empty,
        status = tracing::field::Empty,
        request_id = tracing::field::Empty,
    );
    retry_loop(handle, spec, (writer, path), rewrite, first_pass, span.clone()).instrument(span).await
}

/// Signs, sends and retries. The first attempt is built from `first` (the written parameters
/// and the filled path), each retry from parameters written again by `rewrite`; each attempt's
/// facts are recorded on `span` (the call's, which the loop runs in).
async fn retry_loop(
    handle: &ClientHandle,
    spec: &OperationSpec,
    first: (RequestWriter, String),
    rewrite: Rewrite<'_>,
    first_pass: FirstPass<'_>,
    span: tracing::Span,
) -> Result<Delivered, Outcome> {
    let service = spec.service;
    let policy = &handle.inner.config.retry;
    let started = Instant::now();
    let mut attempt = 0;
    let mut first = Some(first);
    loop {
        attempt += 1;
        span.record("attempt", attempt);
        let (writer, path) = match first.take() {
            Some(first) => first,
            None => {
                let mut writer = RequestWriter::default();
                rewrite(&mut writer);
                let project = handle.inner.config.project_id.as_deref();
                let path = writer.fill_path(spec.path, project).map_err(|e| Outcome::Request(validation(spec, e)))?;
                (writer, path)
            }
        };
        let req = handle.prepare(spec, path, writer);
        let (retryable, error, retry_hint) = match handle.attempt(spec, req).await {
            Err((failure, error)) => (is_retryable(failure, spec.retry), Outcome::Request(error), None),
            Ok(answer) => {
                span.record("status", answer.status);
                if let Some(id) = &answer.request_id {
                    span.record("request_id", id.as_str());
                }
                let success = (200..300).contains(&answer.status);
                if success && first_pass(&answer.body, answer.request_id.is_none()) {
                    return Ok(Delivered { answer, attempts: attempt });
                }
                // Tencent Cloud API 3.0 reports every refusal inside a 2xx, in its envelope.
                let in_body = if success { crate::envelope::in_success(service.envelope, &answer.body) } else { None };
                let refused = service.success_when.as_ref().and_then(|when| when.refusal(&answer.body));
                if success && in_body.is_none() && refused.is_none() {
                    return Ok(Delivered { answer, attempts: attempt });
                }
                let Answer { status, request_id: header_id, headers, body } = answer;
                let retry_hint = hint(&headers);
                let error = match (in_body, refused) {
                    (Some(parsed), _) => Some(ServiceError::new(
                        spec.name,
                        status,
                        parsed.code,
                        parsed.message,
                        header_id.clone().or(parsed.request_id),
                    )),
                    // A 200 whose result field says no: the envelope's code, or that value.
                    (None, Some(value)) => {
                        Some(service_error(spec, status, header_id.clone(), &body).unwrap_or_else(|| {
                            ServiceError::new(spec.name, status, value, String::new(), header_id.clone())
                        }))
                    }
                    (None, None) => service_error(spec, status, header_id.clone(), &body),
                };
                match error {
                    Some(error) => {
                        let retryable = is_retryable(Failure::Status { status, code: Some(error.code()) }, spec.retry);
                        (retryable, Outcome::Service(error), retry_hint)
                    }
                    None => {
                        let error = fail(
                            spec,
                            RequestErrorKind::UnexpectedResponse,
                            format!(
                                "unexpected response: the body is not in the {} error format",
                                provider_name(service.provider)
                            ),
                        )
                        .with_response(status, header_id, &body);
                        let retryable = is_retryable(Failure::Status { status, code: None }, spec.retry);
                        (retryable, Outcome::Request(error), retry_hint)
                    }
                }
            }
        };
        let delay = policy.delay(attempt, retry_hint);
        if !retryable || attempt >= policy.max_attempts || started.elapsed() + delay > policy.max_elapsed {
            tracing::debug!(attempt, "giving up: {error}");
            return Err(error);
        }
        tracing::debug!(attempt, ?delay, "retrying: {error}");
        tokio::time::sleep(delay).await;
    }
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
