//! The benchmarks' harness: medians over repeated rounds and the rows of the combined table.
//!
//! Hand-written rather than criterion (`harness = false`): each comparison here runs the
//! generated code and its hand-written baseline alternately in the same rounds (ABBA order),
//! so drift on a shared machine hits both alike, and reports a ratio; medians over rounds with
//! `std::time::Instant` are enough for that, add no dependency to compile, and print the rows of
//! `scripts/bench.sh`'s table directly.

#![allow(dead_code, reason = "each benchmark uses a subset of the harness")]

pub mod hand_cls;
pub mod hand_dis;
pub mod sign_requests;

use std::time::Duration;

/// The median of `values` (the upper middle one for an even count).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Runs `a` then `b` in even rounds and `b` then `a` in odd ones, `rounds` times, collecting
/// what each returns (a time or a rate per round).
pub fn alternate<T>(rounds: usize, mut a: impl FnMut() -> T, mut b: impl FnMut() -> T) -> (Vec<T>, Vec<T>) {
    let (mut xs, mut ys) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
    for round in 0..rounds {
        if round % 2 == 0 {
            xs.push(a());
            ys.push(b());
        } else {
            ys.push(b());
            xs.push(a());
        }
    }
    (xs, ys)
}

/// Seconds as a readable time.
pub fn time(seconds: f64) -> String {
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else if seconds >= 1e-3 {
        format!("{:.2} ms", seconds * 1e3)
    } else if seconds >= 1e-6 {
        format!("{:.2} µs", seconds * 1e6)
    } else {
        format!("{:.0} ns", seconds * 1e9)
    }
}

/// A duration in seconds.
pub fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// `yes`, or a bold `no`.
pub fn met(ok: bool) -> &'static str {
    if ok { "yes" } else { "**no**" }
}

/// One row of the combined table: area, measurement, result, baseline or reference, ratio,
/// target, met.
pub fn row(cells: &[&str]) {
    println!("ROW | {} |", cells.join(" | "));
}
