//! An item as a response shows it at some time: its state and progress where its course is,
//! its declared times (`created`, `updated`, `ended`) in the form of the documented example.

use cloud_task_apis_codegen::check::parse_offset;
use cloud_task_apis_codegen::spec::model::ServiceDoc;
use serde_json::Value;
use time::{OffsetDateTime, UtcOffset};
use tokio::time::Instant;

use super::Declared;
use super::times::write_like;
use crate::catalog::{get_path, set_path};
use crate::store::Item;

pub(crate) use super::times::instant;

/// The service's `time_zone` (UTC when it declares none).
pub(crate) fn zone(service: &ServiceDoc) -> UtcOffset {
    service
        .time_zone
        .as_ref()
        .and_then(|z| parse_offset(&z.value))
        .and_then(|seconds| UtcOffset::from_whole_seconds(seconds).ok())
        .unwrap_or(UtcOffset::UTC)
}

/// The current state of `item`, or `None` when the resource declares no states.
pub(crate) fn state_of(declared: &Declared<'_>, item: &Item, now: Instant) -> Option<Value> {
    declared.lifecycle.as_ref().map(|_| item.observed(now).state)
}

/// `item` at `now`, as a response shows it.
pub(crate) fn render(declared: &Declared<'_>, item: &Item, now: Instant) -> Value {
    let mut out = item.fields.clone();
    let zone = zone(declared.service);
    let observed = item.observed(now);
    let elapsed = now.saturating_duration_since(item.since).min(item.script.duration());
    let updated = later(item.since_wall, elapsed);
    if let Some(life) = &declared.lifecycle {
        set_path(&mut out, &life.field, observed.state.clone());
        if let Some(path) = &life.progress {
            let succeeded = life.succeeded.contains(&observed.state);
            // Rises with the course; 100 only on success, frozen where a failure stopped it.
            #[allow(clippy::cast_possible_truncation)]
            let progress = if succeeded { 100 } else { ((observed.fraction * 100.0).floor() as i64).min(99) };
            set_path(&mut out, path, Value::from(progress));
        }
    }
    let times = &declared.resource.times;
    for path in &times.created {
        let written = write_like(get_path(&out, &path.value), item.created_wall, zone);
        set_path(&mut out, &path.value, written);
    }
    for path in &times.updated {
        let written = write_like(get_path(&out, &path.value), updated, zone);
        set_path(&mut out, &path.value, written);
    }
    for path in &times.ended {
        if observed.finished && declared.lifecycle.is_some() {
            let written = write_like(get_path(&out, &path.value), updated, zone);
            set_path(&mut out, &path.value, written);
        } else {
            remove_path(&mut out, &path.value);
        }
    }
    out
}

/// `time + elapsed`, or `time` when that cannot be represented.
fn later(time: OffsetDateTime, elapsed: std::time::Duration) -> OffsetDateTime {
    time.checked_add(time::Duration::try_from(elapsed).unwrap_or(time::Duration::ZERO)).unwrap_or(time)
}

/// Removes the member at a dotted path, if there is one.
fn remove_path(value: &mut Value, path: &str) {
    let (parent, last) = match path.rsplit_once('.') {
        Some((parent, last)) => (Some(parent), last),
        None => (None, path),
    };
    let target = match parent {
        Some(parent) => parent.split('.').try_fold(value, |v, key| v.get_mut(key)),
        None => Some(value),
    };
    if let Some(Value::Object(map)) = target {
        map.remove(last);
    }
}
