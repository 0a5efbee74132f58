//! One call's exchange with the service, attempt by attempt: sign and send, receive the answer,
//! then settle it (deliver, retry after a delay, or fail).
//!
//! The state between attempts lives in [`Exchange`], a plain struct the call's future holds;
//! only receiving the answer awaits, and that future holds little more than the HTTP response.
//! Signing, classifying and deciding on a retry are ordinary functions. So a call's future
//! stays small: each task that awaits one writes it into memory on every call, and a future of
//! several kilobytes cost measurable time with many calls in flight.

use std::time::{Duration, Instant};

use tracing::Instrument;

use super::body::BodyError;
use super::{Answer, ClientHandle, Delivered, Outcome, fail, provider_name, service_error, validation};
use crate::error::{ConfigError, EXCERPT_BYTES, Excerpt, RequestError, RequestErrorKind, ServiceError, bounded};
use crate::retry::{Failure, hint, is_retryable};
use crate::sign::scheme::Keys;
use crate::wire::{Method, OperationSpec, RequestWriter};

/// What an attempt's answer settles: the call's result, or another attempt after a delay.
pub(super) enum Settled {
    /// A 2xx answer that is not a refusal.
    Delivered(Delivered),
    /// A failure worth another attempt, after this delay.
    Retry(Duration),
    /// A failure that ends the call.
    Failed(Outcome),
}

/// What an answer is: the call's result, or a refusal.
enum Verdict {
    Delivered(Delivered),
    /// The provider's refusal, or an answer in no known format: whether it may be retried,
    /// the error, and the retry hint the answer's headers gave.
    Refused {
        retryable: bool,
        error: Outcome,
        retry_hint: Option<Duration>,
    },
}

/// The facts of one call kept between its attempts.
pub(super) struct Exchange<'a> {
    handle: &'a ClientHandle,
    spec: &'static OperationSpec,
    /// The call's span: each attempt's facts are recorded on it, and everything the exchange
    /// does runs in it.
    span: tracing::Span,
    started: Instant,
    attempts: u32,
}

/// How an attempt failed before the service's answer was read whole.
type AttemptError = (Failure<'static>, RequestError);

impl<'a> Exchange<'a> {
    /// An exchange of `spec` through `handle`, not yet attempted.
    pub(super) fn new(handle: &'a ClientHandle, spec: &'static OperationSpec) -> Self {
        let service = spec.service;
        let span = tracing::info_span!(
            "cloud_task_apis::call",
            provider = ?service.provider,
            service = service.name,
            operation = spec.name,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        Self { handle, spec, span, started: Instant::now(), attempts: 0 }
    }

    /// Starts the next attempt with the parameters `writer` holds: fills the path, signs with
    /// the current time and sends; the future is the answer, its body read within the
    /// configured limit. Fails only on what no attempt could fix (a missing project id, a path
    /// parameter that cannot be sent).
    ///
    /// Signing happens here, not in the future, so that the future holds the HTTP client's
    /// pending answer and not the request it was made from.
    pub(super) fn attempt(
        &mut self,
        writer: RequestWriter,
    ) -> Result<impl Future<Output = Result<Answer, AttemptError>> + Send + use<'a>, RequestError> {
        let sent = self.send(writer)?;
        Ok(read_answer(self.handle, self.spec, sent, self.span.clone()).instrument(self.span.clone()))
    }

    /// Signs and sends the next attempt.
    fn send(
        &mut self,
        writer: RequestWriter,
    ) -> Result<impl Future<Output = reqwest::Result<reqwest::Response>> + Send + use<>, RequestError> {
        let _entered = self.span.enter();
        self.attempts += 1;
        self.span.record("attempt", self.attempts);
        let (handle, spec) = (self.handle, self.spec);
        let project = handle.inner.config.project_id.as_deref();
        if writer.project_id_param.is_some() && project.is_none() {
            let detail = ConfigError::MissingProjectId(spec.service.name).to_string();
            return Err(fail(spec, RequestErrorKind::Config, detail));
        }
        let path = writer.fill_path(spec.path, project).map_err(|e| validation(spec, e))?;
        let req = handle.prepare(spec, path, writer);
        let method = reqwest::Method::from_bytes(req.method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let inner = &*handle.inner;
        let mut builder = match handle.url(&req) {
            Ok(url) => inner.http.request(method, url),
            Err(text) => inner.http.request(method, text),
        };
        // A client built here carries the timeout already; a caller's client gets it per request.
        if inner.config.http.is_some() {
            builder = builder.timeout(inner.config.timeout);
        }
        // The values move into the HTTP request as they are (a `String` becomes a header value
        // without a copy).
        for (name, value) in req.headers {
            if !name.eq_ignore_ascii_case("host") {
                builder = builder.header(name.as_str(), value);
            }
        }
        // A token prepared as its header once per client goes as it is: no copy, no check.
        if let Keys::Token(token) = &inner.keys {
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
        // A request that cannot be built fails when the pending answer is first polled.
        Ok(builder.send())
    }

    /// `answer` delivered as the call's result.
    pub(super) fn deliver(&self, answer: Answer) -> Delivered {
        Delivered { answer, attempts: self.attempts }
    }

    /// Settles what an attempt received: a 2xx answer that is not a refusal is delivered; a
    /// failure is retried after a delay where that is safe and the policy allows another
    /// attempt, and ends the call otherwise.
    pub(super) fn settle(&self, received: Result<Answer, AttemptError>) -> Settled {
        let _entered = self.span.enter();
        let (retryable, error, retry_hint) = match received {
            Err((failure, error)) => (is_retryable(failure, self.spec.retry), Outcome::Request(error), None),
            Ok(answer) => match self.judge(answer) {
                Verdict::Delivered(delivered) => return Settled::Delivered(delivered),
                Verdict::Refused { retryable, error, retry_hint } => (retryable, error, retry_hint),
            },
        };
        let policy = &self.handle.inner.config.retry;
        let attempt = self.attempts;
        let delay = policy.delay(attempt, retry_hint);
        if !retryable || attempt >= policy.max_attempts || self.started.elapsed() + delay > policy.max_elapsed {
            tracing::debug!(attempt, "giving up: {error}");
            return Settled::Failed(error);
        }
        tracing::debug!(attempt, ?delay, "retrying: {error}");
        Settled::Retry(delay)
    }

    /// The answer delivered, or the refusal it holds.
    fn judge(&self, answer: Answer) -> Verdict {
        let spec = self.spec;
        let service = spec.service;
        let success = (200..300).contains(&answer.status);
        // Tencent Cloud API 3.0 reports every refusal inside a 2xx, in its envelope.
        let in_body = if success { crate::envelope::in_success(service.envelope, &answer.body) } else { None };
        let refused = service.success_when.as_ref().and_then(|when| when.refusal(&answer.body));
        if success && in_body.is_none() && refused.is_none() {
            return Verdict::Delivered(self.deliver(answer));
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
            (None, Some(value)) => Some(
                service_error(spec, status, header_id.clone(), &body)
                    .unwrap_or_else(|| ServiceError::new(spec.name, status, value, String::new(), header_id.clone())),
            ),
            (None, None) => service_error(spec, status, header_id.clone(), &body),
        };
        match error {
            Some(error) => {
                let retryable = is_retryable(Failure::Status { status, code: Some(error.code()) }, spec.retry);
                Verdict::Refused { retryable, error: Outcome::Service(error), retry_hint }
            }
            None => {
                let detail = format!(
                    "unexpected response: the body is not in the {} error format",
                    provider_name(service.provider)
                );
                let error =
                    fail(spec, RequestErrorKind::UnexpectedResponse, detail).with_response(status, header_id, &body);
                let retryable = is_retryable(Failure::Status { status, code: None }, spec.retry);
                Verdict::Refused { retryable, error: Outcome::Request(error), retry_hint }
            }
        }
    }
}

/// The answer `sent` gets, its body read within the configured limit; its status and request
/// id are recorded on `span`, the call's.
async fn read_answer(
    handle: &ClientHandle,
    spec: &'static OperationSpec,
    sent: impl Future<Output = reqwest::Result<reqwest::Response>>,
    span: tracing::Span,
) -> Result<Answer, AttemptError> {
    let mut response = sent.await.map_err(|e| classify(spec, e, ""))?;
    let status = response.status().as_u16();
    span.record("status", status);
    // Kept with the answer: only a failure reads them again (for a retry hint).
    let headers = std::mem::take(response.headers_mut());
    let request_id = handle
        .inner
        .request_id_header
        .as_ref()
        .and_then(|h| headers.get(h)?.to_str().ok())
        .map(|id| bounded(id.to_owned(), EXCERPT_BYTES));
    if let Some(id) = &request_id {
        span.record("request_id", id.as_str());
    }
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
        return Err((Failure::Final, fail(spec, RequestErrorKind::Redirect, detail).with_status(status, request_id)));
    }
    // From here on the status and request id are known: every failure keeps them.
    let body = handle.read_body(spec, &mut response).await.map_err(|(failure, e)| {
        let e = match e {
            BodyError::Http(e) => classify(spec, e, " while reading the response body").1,
            BodyError::TooLarge(e) => e,
        };
        (failure, e.with_status(status, request_id.clone()))
    })?;
    Ok(Answer { status, request_id, headers, body })
}

/// A transport failure as a request error, and how it bears on a retry. `reading` says what was
/// under way (empty while sending).
fn classify(spec: &OperationSpec, mut e: reqwest::Error, reading: &str) -> AttemptError {
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
}
