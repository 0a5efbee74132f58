//! Waiting for a task to finish: poll a task-status operation with backoff and jitter until
//! the state the spec declares as succeeded or failed, or until the policy's time runs out.

use std::time::Duration;

use tokio::time::Instant;

use crate::__private::{Operation, TaskStatus};
use crate::client::{ClientHandle, send_operation, transient};

/// How a task state is classified by the operation's spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskState {
    /// Still running: keep polling.
    Running,
    /// Finished successfully.
    Succeeded,
    /// Finished with a failure.
    Failed,
    /// A state this version does not know (or no state at all): keep polling, and report it.
    Unknown,
}

/// How long and how often to poll.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct WaitPolicy {
    pub(crate) max_wait: Duration,
    pub(crate) initial_delay: Duration,
    pub(crate) max_delay: Duration,
}

impl Default for WaitPolicy {
    /// Up to 30 minutes, polling after 2 s, backing off to every 30 s.
    fn default() -> Self {
        Self {
            max_wait: Duration::from_secs(1800),
            initial_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl WaitPolicy {
    /// Waits at most `max_wait` in all.
    pub fn new(max_wait: Duration) -> Self {
        Self { max_wait, ..Self::default() }
    }

    /// The delay after the first poll, and the largest delay the backoff grows to. A delay
    /// under [`WaitPolicy::MIN_DELAY`] is taken as that, so a waiter never polls without a pause.
    pub fn delays(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_delay = initial.max(Self::MIN_DELAY);
        self.max_delay = max.max(self.initial_delay);
        self
    }

    /// The shortest delay between polls that [`WaitPolicy::delays`] takes.
    pub const MIN_DELAY: Duration = Duration::from_millis(1);

    /// The delay after poll number `poll` (from 1): exponential from the initial delay, capped,
    /// with jitter between half and all of it so many waiters do not poll in step.
    fn delay(&self, poll: u32) -> Duration {
        let exp = self.initial_delay.saturating_mul(2u32.saturating_pow(poll.saturating_sub(1).min(16)));
        exp.min(self.max_delay).mul_f64(0.5 + fastrand::f64() / 2.0)
    }
}

/// One observation while waiting, for progress bars and logs.
#[derive(Debug)]
pub struct TaskProgress<'a, R> {
    /// The polled response.
    pub response: &'a R,
    /// Its classified state.
    pub state: TaskState,
    /// The state as the provider wrote it.
    pub state_text: Option<String>,
    /// Progress 0-100, where the operation reports it.
    pub progress: Option<i64>,
    /// Polls so far, including this one.
    pub polls: u32,
    /// Time since waiting started.
    pub elapsed: Duration,
}

/// Why waiting ended without success.
#[derive(Debug, thiserror::Error)]
pub enum WaitError<R, E: std::error::Error + 'static> {
    /// The task reached a failed state; the response says how.
    #[error("the task failed (state {})", state.as_deref().unwrap_or("unknown"))]
    Failed {
        /// The last response.
        response: Box<R>,
        /// The failed state as the provider wrote it.
        state: Option<String>,
    },
    /// Time ran out before the task finished.
    #[error("the task did not finish within {waited:?} (last state {})", last_state.as_deref().unwrap_or("unknown"))]
    TimedOut {
        /// The last response, if any poll succeeded.
        last: Option<Box<R>>,
        /// The last observed state.
        last_state: Option<String>,
        /// How long it waited.
        waited: Duration,
    },
    /// A poll failed in a way that polling again would not fix.
    #[error(transparent)]
    Call(E),
}

/// Polls `request` until its task succeeds or fails, or the policy's time runs out.
///
/// Transient failures of a poll (throttling, 5xx, timeouts) keep it polling while time
/// remains; any other failure ends the wait. The maximum wait bounds the whole wait, polls
/// included: a poll still running when it is reached is abandoned, and the last delay is
/// shortened so that one more poll happens at the deadline.
///
/// # Errors
/// See [`WaitError`].
pub async fn wait<O>(
    handle: &ClientHandle,
    request: O,
    policy: WaitPolicy,
    mut observe: impl FnMut(&TaskProgress<'_, O::Response>),
) -> Result<O::Response, WaitError<O::Response, O::Error>>
where
    O: Operation + Clone,
    O::Response: TaskStatus,
    O::Error: std::error::Error + 'static,
{
    let started = Instant::now();
    let mut last: Option<O::Response> = None;
    let mut polls = 0;
    let timed_out = |last: Option<O::Response>| {
        let last_state = last.as_ref().and_then(TaskStatus::state_text);
        WaitError::TimedOut { last: last.map(Box::new), last_state, waited: started.elapsed() }
    };
    loop {
        polls += 1;
        let remaining = policy.max_wait.saturating_sub(started.elapsed());
        let Ok(result) = tokio::time::timeout(remaining, send_operation(handle, request.clone())).await else {
            return Err(timed_out(last));
        };
        match result {
            Ok(response) => {
                let state = response.task_state();
                let state_text = response.state_text();
                observe(&TaskProgress {
                    response: &response,
                    state,
                    state_text: state_text.clone(),
                    progress: response.progress(),
                    polls,
                    elapsed: started.elapsed(),
                });
                match state {
                    TaskState::Succeeded => return Ok(response),
                    TaskState::Failed => {
                        return Err(WaitError::Failed { response: Box::new(response), state: state_text });
                    }
                    TaskState::Unknown => {
                        tracing::warn!(operation = O::SPEC.name, state = ?state_text, "unknown task state; still waiting")
                    }
                    TaskState::Running => {}
                }
                last = Some(response);
            }
            Err(error) if transient(&error, O::SPEC.retry) => {
                tracing::debug!(operation = O::SPEC.name, "poll failed, polling again: {error}")
            }
            Err(error) => return Err(WaitError::Call(error)),
        }
        let elapsed = started.elapsed();
        if elapsed >= policy.max_wait {
            return Err(timed_out(last));
        }
        tokio::time::sleep(policy.delay(polls).min(policy.max_wait - elapsed)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_delays_still_pause_between_polls() {
        let policy = WaitPolicy::new(Duration::from_secs(1)).delays(Duration::ZERO, Duration::ZERO);
        assert_eq!((policy.initial_delay, policy.max_delay), (WaitPolicy::MIN_DELAY, WaitPolicy::MIN_DELAY));
        for poll in 1..20 {
            assert!(policy.delay(poll) >= WaitPolicy::MIN_DELAY / 2, "poll {poll}");
        }
    }

    #[test]
    fn delays_grow_to_the_largest_and_not_past_it() {
        let policy = WaitPolicy::default().delays(Duration::from_millis(10), Duration::from_millis(35));
        assert!(policy.delay(1) <= Duration::from_millis(10));
        for poll in 3..40 {
            let delay = policy.delay(poll);
            assert!(delay >= Duration::from_micros(17_500) && delay <= Duration::from_millis(35), "{delay:?}");
        }
    }
}
