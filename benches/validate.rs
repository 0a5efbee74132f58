//! Cost of building and validating a request with pattern constraints: CBR `ListBackups` with
//! `sort`, `used_percent` and `limit` set (two patterns, a length and a range to check), through
//! the generated builder's `build()`, against the same request written by hand and checked by
//! hand with its two regular expressions compiled once, in alternating rounds. The ratio is the
//! median of the rounds' ratios: the two sides of a round run next to each other, so a change in
//! the machine's speed between rounds moves both.
//!
//! Paging sends one such request per page, so the check runs once per page.

mod common;

use std::hint::black_box;
use std::sync::LazyLock;
use std::time::Instant;

use cloud_task_apis::huawei::cbr::list_backups;
use common::{alternate, median, met, row, time};
use regex_lite::Regex;

const CALLS: usize = 20_000;
const ROUNDS: usize = 101;
const SORT: &str = "created_at:desc,name";
const USED_PERCENT: &str = "80";

/// The spec's patterns, anchored as the crate anchors them, compiled once.
static SORT_PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        "^(?:(created_at|updated_at|name|status|protected_at|id)(:(asc|desc))?(,(created_at|updated_at|name|status|protected_at|id)(:(asc|desc))?)*)$",
    )
    .expect("the sort pattern")
});
static USED_PERCENT_PATTERN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("^(?:[1-9][0-9]?|100)$").expect("the used_percent pattern"));

/// The request through the generated builder, which validates it. Never inlined, as `hand`,
/// so that both are measured as the same kind of call.
#[inline(never)]
fn generated() -> list_backups::Request {
    list_backups::Builder::default().sort(SORT).used_percent(USED_PERCENT).limit(100).build().expect("a valid request")
}

/// The same request written and checked by hand.
#[inline(never)]
fn hand() -> list_backups::Request {
    let request = list_backups::Request {
        sort: Some(SORT.to_owned()),
        used_percent: Some(USED_PERCENT.to_owned()),
        limit: Some(100),
        ..list_backups::Request::default()
    };
    let sort = request.sort.as_deref().unwrap_or_default();
    let valid = request.limit.is_none_or(|l| (1..=1000).contains(&l))
        && sort.chars().count() <= 255
        && SORT_PATTERN.is_match(sort)
        && request.used_percent.as_deref().is_none_or(|u| USED_PERCENT_PATTERN.is_match(u));
    assert!(valid, "a valid request");
    request
}

/// Seconds per request of one round of `f`.
fn per_request(f: fn() -> list_backups::Request) -> f64 {
    let started = Instant::now();
    for _ in 0..CALLS {
        black_box(f());
    }
    #[allow(clippy::cast_precision_loss, reason = "a small constant")]
    let per = started.elapsed().as_secs_f64() / CALLS as f64;
    per
}

fn main() {
    // Warm-up: compiles every pattern once, in both.
    black_box((generated(), hand()));
    let (g, h) = alternate(ROUNDS, || per_request(generated), || per_request(hand));
    let ratios: Vec<f64> = g.iter().zip(&h).map(|(g, h)| g / h).collect();
    let ratio = median(&ratios);
    let (g, h) = (median(&g), median(&h));
    println!("validation, CBR ListBackups: generated {} vs hand-written {} per request ({ratio:.3})", time(g), time(h));
    row(&[
        "validation",
        "CBR ListBackups with `sort`, `used_percent` and `limit`: build and check one request (two patterns, a length, a range)",
        &format!("{} per request", time(g)),
        &format!("hand-written, patterns compiled once: {}", time(h)),
        &format!("{ratio:.3}"),
        "≤ 1.05",
        met(ratio <= 1.05),
    ]);
}
