//! What the simulator remembers between calls: backfill jobs and their idempotency tokens,
//! CBR tasks, DIS dump tasks, CLS shipping tasks, and how tasks move through their states.
//!
//! Task states follow a [`TaskScript`]: states held for set durations, then a final state. The
//! default scripts come from the operation's `waiter` in its spec: each `running` value for one
//! phase, then the first `succeeded` (or `failed`) value. Scripts read the Tokio clock
//! (`tokio::time::Instant`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

use cloud_task_apis_codegen::spec::model::Waiter;
use serde_json::Value;
use time::OffsetDateTime;
use tokio::time::Instant;

/// The life of a task: states, each held for a duration, then a final state that stays.
///
/// States are written as the provider writes them: `0`, `1` for ActionTrail's integer
/// `JobStatus`, `"running"`, `"success"` for CBR. A state the spec does not declare is
/// served as is, to see how clients cope with values they do not know.
///
/// ```
/// # use std::time::Duration;
/// use cloud_task_apis_simulator::TaskScript;
/// let script = TaskScript::new()
///     .then("waiting", Duration::from_millis(200))
///     .then("running", Duration::from_millis(500))
///     .end("success");
/// assert_eq!(script.duration(), Duration::from_millis(700));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[must_use]
pub struct TaskScript {
    steps: Vec<(Value, Duration)>,
    last: Option<Value>,
}

/// Where a script is at some time.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Observed {
    /// The current state.
    pub state: Value,
    /// Whether the final state has been reached.
    pub finished: bool,
    /// The share of the work done, 0.0 to 1.0: of a script with several timed steps, the
    /// elapsed share of the steps after the first (the first is the task waiting to start); of
    /// a script with one, the elapsed share of it.
    pub fraction: f64,
}

impl TaskScript {
    /// An empty script; add states with [`TaskScript::then`] and [`TaskScript::end`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Holds `state` for `duration` after the states before it.
    pub fn then(mut self, state: impl Into<Value>, duration: Duration) -> Self {
        self.steps.push((state.into(), duration));
        self
    }

    /// The final state, reached after every timed step (without one, the last timed state stays).
    pub fn end(mut self, state: impl Into<Value>) -> Self {
        self.last = Some(state.into());
        self
    }

    /// The time until the final state.
    #[must_use]
    pub fn duration(&self) -> Duration {
        self.steps.iter().map(|(_, d)| *d).sum()
    }

    /// The script the spec's waiter implies: every `running` value for `phase`, then the first
    /// `succeeded` value, or the first `failed` value when `outcome` is a failure.
    pub(crate) fn from_waiter(waiter: &Waiter, phase: Duration, outcome: TaskOutcome) -> Self {
        let mut script = Self::new();
        for state in &waiter.running {
            script = script.then(state.to_json(), phase);
        }
        let last = match outcome {
            TaskOutcome::Succeed => waiter.succeeded.first(),
            TaskOutcome::Fail => waiter.failed.first(),
        };
        match last {
            Some(state) => script.end(state.to_json()),
            None => script,
        }
    }

    /// The state after `elapsed`.
    pub(crate) fn at(&self, elapsed: Duration) -> Observed {
        let queued = match self.steps.as_slice() {
            [(_, first), _, ..] => *first,
            _ => Duration::ZERO,
        };
        let work = self.duration().saturating_sub(queued);
        let fraction = if work.is_zero() {
            1.0
        } else {
            (elapsed.saturating_sub(queued).as_secs_f64() / work.as_secs_f64()).min(1.0)
        };
        let mut start = Duration::ZERO;
        for (state, duration) in &self.steps {
            start += *duration;
            if elapsed < start {
                return Observed { state: state.clone(), finished: false, fraction };
            }
        }
        let state = self.last.clone().or_else(|| self.steps.last().map(|(s, _)| s.clone())).unwrap_or(Value::Null);
        Observed { state, finished: true, fraction }
    }
}

/// How tasks created by the simulator end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TaskOutcome {
    /// In the first state the spec declares `succeeded`.
    #[default]
    Succeed,
    /// In the first state the spec declares `failed`.
    Fail,
}

/// A CBR task (operation log) to serve from `ShowOpLog`.
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct CbrTask {
    pub(crate) id: String,
    pub(crate) operation_type: String,
    pub(crate) script: Option<TaskScript>,
}

impl CbrTask {
    /// A backup task with id `id` that waits for one phase, runs for two (its progress rising
    /// from 0 to 100), then succeeds.
    pub fn new(id: impl Into<String>) -> Self {
        Self { id: id.into(), operation_type: "backup".to_owned(), script: None }
    }

    /// The task type (`backup`, `restore`, `replication`, ...; default `backup`).
    pub fn operation_type(mut self, operation_type: impl Into<String>) -> Self {
        self.operation_type = operation_type.into();
        self
    }

    /// The states the task goes through. Its progress is 0 during the first state (the task
    /// waiting to start; unless it is the only one), rises with the time passed in the states
    /// after it, and is 100 once the task succeeds.
    pub fn script(mut self, script: TaskScript) -> Self {
        self.script = Some(script);
        self
    }
}

/// A CLS shipping task to serve from `ListShippingTasks`. Times are instants; they are written
/// in the service's time zone (`time_zone` of its spec, UTC+08:00).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShippingTask {
    /// Shipping task ID.
    pub task_id: String,
    /// Log topic ID.
    pub topic_id: String,
    /// Start of the shipped batch of logs.
    pub range_start: OffsetDateTime,
    /// End of the shipped batch of logs.
    pub range_end: OffsetDateTime,
    /// When the task started (the time the query's `start_time`/`end_time` range filters on).
    pub start_time: OffsetDateTime,
    /// When the task ended.
    pub end_time: OffsetDateTime,
    /// `success`, `running`, `failed` or `wait`.
    pub status: String,
    /// Detailed result.
    pub message: String,
}

impl ShippingTask {
    /// A task that started at `start_time` and shipped the five minutes of logs before it; it
    /// took one minute, its topic is `topic-1` and its message repeats the status.
    pub fn new(task_id: impl Into<String>, start_time: OffsetDateTime, status: impl Into<String>) -> Self {
        let status = status.into();
        Self {
            task_id: task_id.into(),
            topic_id: "topic-1".to_owned(),
            range_start: start_time.checked_sub(time::Duration::minutes(5)).unwrap_or(start_time),
            range_end: start_time,
            start_time,
            end_time: start_time.checked_add(time::Duration::minutes(1)).unwrap_or(start_time),
            message: status.clone(),
            status,
        }
    }
}

/// A backfill job of ActionTrail.
#[derive(Clone, Debug)]
pub(crate) struct Job {
    pub account: String,
    pub trail: String,
    pub created: Instant,
    pub created_at: OffsetDateTime,
    pub script: TaskScript,
}

/// A seeded CBR task and when it started.
#[derive(Clone, Debug)]
pub(crate) struct SeededCbr {
    pub task: CbrTask,
    pub script: TaskScript,
    pub created: Instant,
    pub created_at: OffsetDateTime,
}

/// Everything the simulator remembers.
#[derive(Debug)]
pub(crate) struct State {
    /// Trails that exist (CreateDeliveryHistoryJob needs one).
    pub trails: BTreeSet<String>,
    /// Backfill jobs by id.
    pub jobs: BTreeMap<i64, Job>,
    /// The id of the next job.
    pub next_job_id: i64,
    /// `(account, ClientToken)` → (the other parameters, the job id).
    pub tokens: HashMap<(String, String), (BTreeMap<String, Value>, i64)>,
    /// How new jobs end.
    pub job_outcome: TaskOutcome,
    /// A script for new jobs instead of the spec's.
    pub job_script: Option<TaskScript>,
    /// The length of one task phase.
    pub phase: Duration,
    /// CBR tasks by id.
    pub cbr: HashMap<String, SeededCbr>,
    /// DIS dump tasks with their own log count.
    pub dis: HashMap<String, usize>,
    /// Logs of every other DIS dump task.
    pub dis_default: usize,
    /// CLS shipping tasks by shipper id.
    pub shipping: HashMap<String, Vec<ShippingTask>>,
    /// When the simulator started (wall clock).
    pub started_at: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_move_through_states_and_stop_at_the_end() {
        let script = TaskScript::new().then(0, Duration::from_secs(1)).then(1, Duration::from_secs(2)).end(2);
        assert_eq!(script.at(Duration::ZERO).state, Value::from(0));
        assert_eq!(script.at(Duration::from_millis(1500)).state, Value::from(1));
        let end = script.at(Duration::from_secs(3));
        assert_eq!((end.state, end.finished, end.fraction), (Value::from(2), true, 1.0));
        // The work is the steps after the first: none done while in the first.
        assert!(script.at(Duration::from_millis(900)).fraction.abs() < 1e-9);
        let half = script.at(Duration::from_secs(2));
        assert!((half.fraction - 0.5).abs() < 1e-9 && !half.finished);
        let single = TaskScript::new().then("running", Duration::from_secs(4)).end("success");
        assert!((single.at(Duration::from_secs(1)).fraction - 0.25).abs() < 1e-9);
        // Without an end state the last timed state stays.
        let open = TaskScript::new().then("running", Duration::from_secs(1));
        assert_eq!(open.at(Duration::from_secs(9)).state, Value::from("running"));
        assert_eq!(TaskScript::new().at(Duration::ZERO).state, Value::Null);
    }
}
