//! How items move through their states: a [`TaskScript`] holds states for set durations, then
//! a final state. The default script of a resource comes from its declared states: each
//! `running` value for one phase, then the first `succeeded` (or `failed`) value. Scripts are
//! read against the Tokio clock (`tokio::time::Instant`).

use std::time::Duration;

use serde_json::Value;

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

    /// The script declared states imply: every `running` value from the first for `phase`,
    /// then `last` (none: the last running state stays).
    pub(crate) fn from_states(running: &[Value], last: Option<&Value>, phase: Duration) -> Self {
        let mut script = Self::new();
        for state in running {
            script = script.then(state.clone(), phase);
        }
        match last {
            Some(state) => script.end(state.clone()),
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
