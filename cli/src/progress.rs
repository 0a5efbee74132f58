//! Progress of a wait, on stderr. On a terminal: a progress bar (a spinner until the operation
//! reports a percentage) with the state as the provider writes it. Otherwise (a pipe, a file, a
//! test): one plain line each time the state or the percentage changes, so logs stay readable
//! and stdout keeps only the JSON.

use std::io::IsTerminal;
use std::time::Duration;

use cloud_task_apis::__private::calls::{Observation, Observer};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Shows the polls of one wait.
#[derive(Debug)]
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar when stderr is a terminal, plain lines otherwise.
    pub(crate) fn start() -> Self {
        if !std::io::stderr().is_terminal() {
            return Self { bar: None };
        }
        let bar = ProgressBar::with_draw_target(Some(100), ProgressDrawTarget::stderr());
        bar.set_style(spinner_style());
        bar.set_message("waiting for the first poll");
        bar.enable_steady_tick(Duration::from_millis(120));
        Self { bar: Some(bar) }
    }

    /// What the waiter calls after every poll.
    pub(crate) fn observer(&self) -> Observer {
        match self.bar.clone() {
            Some(bar) => {
                let mut with_percent = false;
                Box::new(move |o: &Observation| {
                    if let Some(percent) = o.progress {
                        if !with_percent {
                            bar.set_style(bar_style());
                            with_percent = true;
                        }
                        bar.set_position(u64::try_from(percent.clamp(0, 100)).unwrap_or(0));
                    }
                    bar.set_message(format!("{} (poll {}, {}s)", state(o), o.polls, o.elapsed.as_secs()));
                })
            }
            None => {
                let mut last = None;
                Box::new(move |o: &Observation| {
                    let now = (o.state_text.clone(), o.progress);
                    if last.as_ref() != Some(&now) {
                        let percent = o.progress.map(|p| format!(" {p}%")).unwrap_or_default();
                        eprintln!("wait: state {}{percent}", state(o));
                        last = Some(now);
                    }
                })
            }
        }
    }

    /// Removes the bar.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn state(o: &Observation) -> &str {
    o.state_text.as_deref().unwrap_or("(none)")
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg}").unwrap_or_else(|_| ProgressStyle::default_spinner())
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} [{bar:30}] {pos:>3}% {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}
