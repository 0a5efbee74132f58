//! Retry policy: exponential backoff with full jitter, capped in attempts and total time, and
//! the rules for which failures are worth another attempt.

use std::time::Duration;

use crate::wire::RetrySafety;

/// How often and how long to retry a call.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, backoff from 200 ms doubling up to 5 s, at most 30 s in all.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn none() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// Attempts in all, including the first (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry; each further one doubles, up to `max`.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Total time after which no new attempt starts.
    pub fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// The delay before retry number `retry` (1 for the first retry): a random duration up to
    /// the exponential backoff ("full jitter"), or the provider's hint when it gave one.
    pub(crate) fn delay(&self, retry: u32, hint: Option<Duration>) -> Duration {
        if let Some(hint) = hint {
            return hint;
        }
        let exp = self.initial_backoff.saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)));
        let cap = exp.min(self.max_backoff);
        cap.mul_f64(fastrand::f64())
    }
}

/// Why an attempt failed, for deciding whether to retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure<'a> {
    /// No response: connection failed or broke.
    Transport,
    /// No response in time.
    Timeout,
    /// The provider answered with an error.
    Status { status: u16, code: Option<&'a str> },
    /// The request could not be built (a URL or header HTTP does not allow): no attempt can succeed.
    Unsendable,
    /// The answer cannot be used and another attempt would get the same: a redirect (never
    /// followed), a body over the size limit.
    Final,
}

/// Whether a failure may succeed on another attempt, given the operation's safety.
///
/// Throttling is retried for every operation, because a throttled request was refused before
/// anything happened: Alibaba `Throttling*` and `Rejected.Throttling` under HTTP 400, Huawei
/// `APIGW.0308` and Tencent `SpeedQuotaExceed` under 429, Tencent Cloud API 3.0
/// `RequestLimitExceeded*` (inside HTTP 200). 5xx, timeouts and connection failures
/// are retried for reads and for creates that carry an idempotency token. Other 4xx never.
pub(crate) fn is_retryable(failure: Failure<'_>, safety: RetrySafety) -> bool {
    let throttled = match failure {
        Failure::Status { status, code } => {
            status == 429
                || code.is_some_and(|c| {
                    c.starts_with("Throttling")
                        || c == "Rejected.Throttling"
                        || c == "APIGW.0308"
                        || c == "SpeedQuotaExceed"
                        || c == "RequestLimitExceeded"
                        || c.starts_with("RequestLimitExceeded.")
                })
        }
        _ => false,
    };
    if throttled {
        return true;
    }
    if safety == RetrySafety::Unsafe {
        return false;
    }
    match failure {
        Failure::Transport | Failure::Timeout => true,
        Failure::Unsendable | Failure::Final => false,
        Failure::Status { status, code } => {
            matches!(status, 500 | 502 | 503 | 504)
                || code.is_some_and(|c| c == "ServiceUnavailable" || c == "InternalError")
        }
    }
}

/// A retry hint from the response headers: `Retry-After` in seconds, or Alibaba's
/// `x-acs-retry-after` in milliseconds.
pub(crate) fn hint(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    use reqwest::header::{HeaderName, RETRY_AFTER};
    const ACS_RETRY_AFTER: HeaderName = HeaderName::from_static("x-acs-retry-after");
    let number = |name: &HeaderName| headers.get(name)?.to_str().ok()?.trim().parse::<u64>().ok().filter(|n| *n > 0);
    number(&RETRY_AFTER).map(Duration::from_secs).or_else(|| number(&ACS_RETRY_AFTER).map(Duration::from_millis))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_rules() {
        let status = |status, code| Failure::Status { status, code };
        assert!(is_retryable(status(400, Some("Throttling.User")), RetrySafety::Unsafe));
        assert!(is_retryable(status(429, Some("APIGW.0308")), RetrySafety::Read));
        assert!(is_retryable(status(200, Some("RequestLimitExceeded")), RetrySafety::Unsafe));
        assert!(is_retryable(status(200, Some("RequestLimitExceeded.UinLimitExceeded")), RetrySafety::Unsafe));
        assert!(is_retryable(status(200, Some("InternalError")), RetrySafety::Read));
        assert!(!is_retryable(status(200, Some("InternalError")), RetrySafety::Unsafe));
        assert!(!is_retryable(status(200, Some("FailedOperation.ShipperTaskNotToRetry")), RetrySafety::Read));
        assert!(is_retryable(status(503, None), RetrySafety::Token));
        assert!(!is_retryable(status(503, None), RetrySafety::Unsafe));
        assert!(!is_retryable(status(404, Some("TrailNotFoundException")), RetrySafety::Read));
        assert!(!is_retryable(status(441, Some("DIS.4100")), RetrySafety::Read));
        assert!(is_retryable(Failure::Timeout, RetrySafety::Read));
        assert!(!is_retryable(Failure::Transport, RetrySafety::Unsafe));
        assert!(!is_retryable(Failure::Unsendable, RetrySafety::Read));
        assert!(!is_retryable(Failure::Final, RetrySafety::Read));
    }

    #[test]
    fn backoff_grows_is_capped_and_honours_hints() {
        let policy = RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(400));
        for _ in 0..100 {
            assert!(policy.delay(1, None) <= Duration::from_millis(100));
            assert!(policy.delay(5, None) <= Duration::from_millis(400));
        }
        assert_eq!(policy.delay(1, Some(Duration::from_secs(2))), Duration::from_secs(2));
    }
}
