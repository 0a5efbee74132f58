//! CBR tasks: `ShowOpLog` reports a seeded task's state and its 0-100 progress.
//!
//! The state path and progress path come from the operation's waiter
//! (`operation_log.status`, `operation_log.extra_info.common.progress`); the rest of the body
//! is the documented example with the task's id, type, project and times. An unknown task id
//! gets the documented `not_found` example (404 `BackupService.6500`).

use serde_json::{Value, json};

use super::{Call, later, utc_millis};
use crate::catalog::{set_path, success_template};
use crate::replies::{Reply, Shape, error};
use crate::{Shared, lock};

pub(super) fn show(shared: &Shared, call: &Call<'_>) -> Reply {
    let id = call.params.str("operation_log_id").unwrap_or_default();
    let state = lock(&shared.state);
    let Some(task) = state.cbr.get(id) else {
        return not_found(call);
    };
    let op = call.op.op;
    let elapsed = call.now.saturating_duration_since(task.created);
    let observed = task.script.at(elapsed);
    let (status_path, progress_path) =
        op.waiter.as_ref().map_or(("operation_log.status", Some("operation_log.extra_info.common.progress")), |w| {
            (w.status.value.as_str(), w.progress.as_ref().map(|p| p.value.as_str()))
        });
    let in_list = |list: Option<&Vec<cloud_task_apis_codegen::spec::yaml::Node>>| {
        list.is_some_and(|l| l.iter().any(|n| n.to_json() == observed.state))
    };
    let succeeded = in_list(op.waiter.as_ref().map(|w| &w.succeeded));
    let failed = in_list(op.waiter.as_ref().map(|w| &w.failed));
    // Rises with the script's time; 100 only on success, and frozen where a failure stopped it.
    let progress = if succeeded { 100 } else { ((observed.fraction * 100.0).floor() as i64).min(99) };
    let updated = later(task.created_at, elapsed.min(task.script.duration()));
    let mut body = success_template(op);
    set_path(&mut body, status_path, observed.state.clone());
    if let Some(path) = progress_path {
        set_path(&mut body, path, Value::from(progress));
    }
    let project = call.params.str("project_id").unwrap_or_default();
    set_path(&mut body, "operation_log.id", Value::from(id));
    set_path(&mut body, "operation_log.operation_type", Value::from(task.task.operation_type.clone()));
    set_path(&mut body, "operation_log.project_id", Value::from(project));
    set_path(&mut body, "operation_log.created_at", Value::from(utc_millis(task.created_at)));
    set_path(&mut body, "operation_log.started_at", Value::from(utc_millis(task.created_at)));
    set_path(&mut body, "operation_log.updated_at", Value::from(utc_millis(updated)));
    let error_info = if failed {
        json!({ "code": "", "message": format!("The task ended in state {}.", observed.state) })
    } else {
        json!({ "code": "", "message": "" })
    };
    set_path(&mut body, "operation_log.error_info", error_info);
    if let Some(Value::Object(log)) = body.get_mut("operation_log") {
        if observed.finished {
            log.insert("ended_at".to_owned(), Value::from(utc_millis(updated)));
        } else {
            log.remove("ended_at");
        }
    }
    Reply::ok(body)
}

/// The documented 404 example, or the documented code when the spec has no such example.
fn not_found(call: &Call<'_>) -> Reply {
    let envelope = call.op.envelope();
    match call.op.op.examples.iter().find(|e| e.status.value == 404) {
        Some(example) => Reply::example(404, example.body.to_json(), envelope),
        None => error(Shape::of(envelope), &call.reply, 404, "BackupService.6500", "Operation log does not exist."),
    }
}
