//! The call pipeline shared by every generated operation: validate, fill the idempotency
//! token, write the parameters, then per attempt sign with a fresh time and nonce, send,
//! decode or classify the error, and retry where it is safe.

use std::sync::Arc;
use std::time::Instant;

use time::OffsetDateTime;
use tracing::Instrument;

use crate::__private::{Operation, OperationError, ResponseBody};
use crate::config::{Config, Endpoint};
use crate::credentials::Credentials;
use crate::error::{ConfigError, RequestError, RequestErrorKind, ResponseMeta, ServiceError, ValidationError};
use crate::retry::{Failure, hint, is_retryable};
use crate::sign::{self, SignableRequest};
use crate::wire::{OperationSpec, RequestWriter, RetrySafety, ServiceSpec};
use crate::{Provider, Signing};

/// A configured connection to one service. Generated clients hold one; clones share it.
#[derive(Clone, Debug)]
pub struct ClientHandle {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    service: &'static ServiceSpec,
    config: Config,
    credentials: Credentials,
    signing: Signing,
    endpoint: Endpoint,
    http: reqwest::Client,
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
        let signing = match (&config.signing, &credentials) {
            (Some(signing), _) => *signing,
            (None, Credentials::HuaweiToken { .. }) => Signing::HuaweiToken,
            (None, _) => service
                .signing
                .first()
                .copied()
                .ok_or(ConfigError::UnsupportedSigning { service: service.name, signing: Signing::HuaweiToken })?,
        };
        let token_credentials = matches!(credentials, Credentials::HuaweiToken { .. });
        if !service.signing.contains(&signing) || token_credentials != (signing == Signing::HuaweiToken) {
            return Err(ConfigError::UnsupportedSigning { service: service.name, signing });
        }
        let endpoint = Endpoint::resolve(service.endpoint, &config)?;
        let http = match &config.http {
            Some(client) => client.clone(),
            None => reqwest::Client::builder()
                .connect_timeout(config.connect_timeout)
                .timeout(config.timeout)
                .build()
                .map_err(|e| ConfigError::Http(e.to_string()))?,
        };
        Ok(Self { inner: Arc::new(Inner { service, config, credentials, signing, endpoint, http }) })
    }

    /// Builds and signs one attempt.
    pub(crate) fn prepare(&self, spec: &OperationSpec, path: &str, writer: &RequestWriter) -> SignableRequest {
        let inner = &*self.inner;
        let mut req = SignableRequest {
            method: spec.method.as_str().to_owned(),
            host: inner.endpoint.authority.clone(),
            path: path.to_owned(),
            query: Vec::new(),
            headers: writer.headers.clone(),
            body: writer.body.clone().unwrap_or_default(),
        };
        let now = OffsetDateTime::now_utc();
        let version = spec.service.api_version.unwrap_or_default();
        match (&inner.credentials, inner.signing) {
            (Credentials::Alibaba { access_key_id, access_key_secret, security_token }, Signing::RpcHmacSha1) => {
                // V1 (the official SDK's `do_rpcrequest`): Action, Format and Version join the
                // parameters in the query; the x-acs-* headers are sent but not signed.
                req.query.push(("Action".to_owned(), spec.name.to_owned()));
                req.query.push(("Format".to_owned(), "json".to_owned()));
                req.query.push(("Version".to_owned(), version.to_owned()));
                req.query.extend(writer.query.iter().cloned());
                req.headers.push(("x-acs-action".to_owned(), spec.name.to_owned()));
                req.headers.push(("x-acs-version".to_owned(), version.to_owned()));
                req.headers.push(("user-agent".to_owned(), inner.config.user_agent.clone()));
                sign::rpc_v1::sign(
                    &mut req,
                    access_key_id,
                    access_key_secret.expose(),
                    security_token.as_ref().map(|s| s.expose()),
                    now,
                    &nonce(),
                );
            }
            (Credentials::Alibaba { access_key_id, access_key_secret, security_token }, _) => {
                // ACS3 (the official SDK's `do_request`): parameters in the query, action and
                // version in headers, every sent header signed.
                req.query.extend(writer.query.iter().cloned());
                req.headers.push(("x-acs-action".to_owned(), spec.name.to_owned()));
                req.headers.push(("x-acs-version".to_owned(), version.to_owned()));
                req.headers.push(("accept".to_owned(), "application/json".to_owned()));
                req.headers.push(("user-agent".to_owned(), inner.config.user_agent.clone()));
                if !req.body.is_empty() {
                    req.headers.push(("content-type".to_owned(), "application/json".to_owned()));
                }
                sign::acs3::sign(
                    &mut req,
                    access_key_id,
                    access_key_secret.expose(),
                    security_token.as_ref().map(|s| s.expose()),
                    now,
                    &nonce(),
                );
            }
            (Credentials::HuaweiAkSk { access_key, secret_key, security_token }, _) => {
                req.query.extend(writer.query.iter().cloned());
                req.headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
                req.headers.push(("User-Agent".to_owned(), inner.config.user_agent.clone()));
                if let Some(project) = &inner.config.project_id {
                    req.headers.push(("X-Project-Id".to_owned(), project.clone()));
                }
                sign::huawei::sign(
                    &mut req,
                    access_key,
                    secret_key.expose(),
                    security_token.as_ref().map(|s| s.expose()),
                    now,
                );
            }
            (Credentials::HuaweiToken { token }, _) => {
                req.query.extend(writer.query.iter().cloned());
                req.headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
                req.headers.push(("User-Agent".to_owned(), inner.config.user_agent.clone()));
                req.headers.push(("X-Auth-Token".to_owned(), token.expose().to_owned()));
            }
            (Credentials::Tencent { secret_id, secret_key, token }, _) => {
                req.query.extend(writer.query.iter().cloned());
                req.headers.push(("User-Agent".to_owned(), inner.config.user_agent.clone()));
                if !req.body.is_empty() {
                    req.headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
                }
                // Key time as the official CLS SDKs use it: from a minute ago to five minutes ahead.
                let start = now.unix_timestamp() - 60;
                sign::tencent::sign(
                    &mut req,
                    secret_id,
                    secret_key.expose(),
                    token.as_ref().map(|s| s.expose()),
                    start,
                    start + 360,
                );
            }
        }
        req
    }

    /// The query string as sent: RFC 3986 for Alibaba and Huawei, form encoding (`+` for a
    /// space) for Tencent CLS, matching what each signer signed.
    fn url(&self, req: &SignableRequest) -> String {
        let encoder =
            if self.inner.service.provider == Provider::Tencent { sign::encode::form } else { sign::encode::rfc3986 };
        let query = sign::encode::query_string(&req.query, encoder);
        let base = format!("{}://{}{}", self.inner.endpoint.scheme, self.inner.endpoint.authority, req.path);
        if query.is_empty() { base } else { format!("{base}?{query}") }
    }

    async fn attempt(
        &self,
        spec: &OperationSpec,
        req: SignableRequest,
    ) -> Result<Answer, (Failure<'static>, RequestError)> {
        let method = reqwest::Method::from_bytes(req.method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let mut builder = self.inner.http.request(method, self.url(&req));
        // A client built here carries the timeout already; a caller's client gets it per request.
        if self.inner.config.http.is_some() {
            builder = builder.timeout(self.inner.config.timeout);
        }
        for (name, value) in &req.headers {
            if !name.eq_ignore_ascii_case("host") {
                builder = builder.header(name.as_str(), value.as_str());
            }
        }
        if !req.body.is_empty() {
            builder = builder.body(req.body);
        }
        let classify = |mut e: reqwest::Error| {
            // reqwest's message quotes the URL; its query can hold credentials (RPC V1 sends
            // SecurityToken and Signature there), so only scheme, host and path are kept.
            if let Some(url) = e.url_mut() {
                url.set_query(None);
            }
            let (failure, kind, what) = if e.is_builder() {
                // Nothing was sent; the same values would fail again.
                let what = "cannot build the HTTP request (a header value such as a credential or the user agent \
                            holds characters HTTP does not allow)";
                (Failure::Unsendable, RequestErrorKind::Config, what)
            } else if e.is_timeout() {
                (Failure::Timeout, RequestErrorKind::Timeout, "timed out")
            } else {
                (Failure::Transport, RequestErrorKind::Transport, "transport failure")
            };
            (failure, fail(spec, kind, what).with_source(e))
        };
        let response = builder.send().await.map_err(classify)?;
        let status = response.status().as_u16();
        let headers = response.headers();
        let request_id =
            headers.get(self.inner.service.request_id_header).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let retry_hint = hint(headers);
        let body = response.bytes().await.map_err(classify)?;
        Ok(Answer { status, request_id, retry_hint, body })
    }
}

/// What one attempt got back: the facts the pipeline reads from the headers, and the body.
struct Answer {
    status: u16,
    request_id: Option<String>,
    retry_hint: Option<std::time::Duration>,
    body: bytes::Bytes,
}

/// A fresh signature nonce: 32 lowercase hex digits, as the official Alibaba SDK sends. It must be
/// unique per request, not secret, so a fast non-cryptographic generator serves.
fn nonce() -> String {
    format!("{:032x}", fastrand::u128(..))
}

/// Sends one operation: the whole pipeline, with retries. Only validation, writing and decoding
/// depend on the operation; the exchange itself is one non-generic future, so each operation
/// adds little code to a build.
///
/// # Errors
/// The operation's error: a documented code, an unmodelled provider error, or a request failure.
pub async fn send_operation<O: Operation>(handle: &ClientHandle, mut request: O) -> Result<O::Response, O::Error> {
    let spec = O::SPEC;
    request.validate().map_err(|e| O::Error::from_request(validation(&spec, e)))?;
    if let Some(token) = request.idempotency_token() {
        token.get_or_insert_with(|| uuid::Uuid::new_v4().to_string());
    }
    let mut writer = RequestWriter::default();
    request.write(&mut writer);
    drop(request);
    match exchange(handle, &spec, writer).await {
        Ok(answer) => decode::<O>(&spec, answer),
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

type Exchange<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Delivered, Outcome>> + Send + 'a>>;

/// Fills the path, then signs, sends and retries until a 2xx answer or a final failure.
fn exchange<'a>(handle: &'a ClientHandle, spec: &'a OperationSpec, writer: RequestWriter) -> Exchange<'a> {
    Box::pin(async move {
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
        retry_loop(handle, spec, &path, &writer).instrument(span).await
    })
}

async fn retry_loop(
    handle: &ClientHandle,
    spec: &OperationSpec,
    path: &str,
    writer: &RequestWriter,
) -> Result<Delivered, Outcome> {
    let service = spec.service;
    let policy = &handle.inner.config.retry;
    let started = Instant::now();
    let mut attempt = 0;
    loop {
        attempt += 1;
        tracing::Span::current().record("attempt", attempt);
        let req = handle.prepare(spec, path, writer);
        let (retryable, error, retry_hint) = match handle.attempt(spec, req).await {
            Err((failure, error)) => (is_retryable(failure, spec.retry), Outcome::Request(error), None),
            Ok(answer) => {
                tracing::Span::current().record("status", answer.status);
                if let Some(id) = &answer.request_id {
                    tracing::Span::current().record("request_id", id.as_str());
                }
                let refused = service.success_when.as_ref().and_then(|when| when.refusal(&answer.body));
                if (200..300).contains(&answer.status) && refused.is_none() {
                    return Ok(Delivered { answer, attempts: attempt });
                }
                let Answer { status, request_id: header_id, retry_hint, body } = answer;
                let error = match refused {
                    // A 200 whose result field says no: the envelope's code, or that value.
                    Some(value) => {
                        Some(service_error(spec, status, header_id.clone(), &body).unwrap_or_else(|| ServiceError {
                            operation: spec.name,
                            status,
                            code: value,
                            message: String::new(),
                            request_id: header_id.clone(),
                        }))
                    }
                    None => service_error(spec, status, header_id.clone(), &body),
                };
                match error {
                    Some(error) => {
                        let retryable =
                            is_retryable(Failure::Status { status, code: Some(error.code.as_str()) }, spec.retry);
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
        return Some(ServiceError {
            operation: spec.name,
            status,
            code: parsed.code,
            message: parsed.message,
            request_id: header_id.or(parsed.request_id),
        });
    }
    spec.status_errors.contains(&status).then(|| ServiceError {
        operation: spec.name,
        status,
        code: String::new(),
        message: crate::error::snippet(body).trim().to_owned(),
        request_id: header_id,
    })
}

fn fail(spec: &OperationSpec, kind: RequestErrorKind, detail: impl Into<String>) -> RequestError {
    RequestError::new(kind, spec.name, detail)
}

/// A validation failure as the request error operations return.
pub(crate) fn validation(spec: &OperationSpec, error: ValidationError) -> RequestError {
    RequestError::new(RequestErrorKind::Validation, spec.name, "request not sent").with_source(error)
}

fn decode<O: Operation>(spec: &OperationSpec, delivered: Delivered) -> Result<O::Response, O::Error> {
    let Delivered { answer: Answer { status, request_id: header_id, body, .. }, attempts } = delivered;
    // A success documented without a body (DIS BatchStartTransferTask, BatchStopTransferTask)
    // reads as an empty object; a response with required fields still fails to decode.
    let json: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &body };
    let mut response: O::Response = serde_json::from_slice(json).map_err(|e| {
        O::Error::from_request(
            fail(spec, RequestErrorKind::UnexpectedResponse, "response body did not decode")
                .with_response(status, header_id.clone(), &body)
                .with_source(e),
        )
    })?;
    let request_id = header_id.or_else(|| crate::envelope::body_request_id(spec.service.envelope, &body));
    *response.meta_mut() = ResponseMeta { status, request_id, attempts };
    Ok(response)
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
