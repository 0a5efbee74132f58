//! ActionTrail backfill jobs: `CreateDeliveryHistoryJob` and `GetDeliveryHistoryJob`.
//!
//! - A job needs an existing trail (`TrailNotFoundException` otherwise, as documented).
//! - Only one job runs per account at a time (the ActionTrail document's limit); a second
//!   create while one runs is refused with [`JOB_RUNNING_CODE`], because Alibaba does not
//!   document the code it uses (PROVIDERS.md section 5, point 4).
//! - The same `ClientToken` with the same parameters returns the same job; with different
//!   parameters `IdempotentParameterMismatch` (PROVIDERS.md section 1.6).
//! - A job moves through the states of `GetDeliveryHistoryJob`'s waiter, one phase each
//!   (initializing `0`, delivering `1`), then complete `2` or failed `3`.

use serde_json::{Value, json};

use super::{Call, later, utc_seconds};
use crate::catalog::{get_path, set_path, success_template};
use crate::replies::Reply;
use crate::state::{Job, TaskScript};
use crate::{Shared, lock};

/// The error code a second `CreateDeliveryHistoryJob` gets while a job of the same account is
/// running (HTTP 400). Alibaba documents the limit but not the code; this one is the
/// simulator's.
pub const JOB_RUNNING_CODE: &str = "DeliveryHistoryJobRunning";

/// The error code `GetDeliveryHistoryJob` gets for a job id that does not exist (HTTP 404);
/// the simulator's, as Alibaba does not document one.
pub const JOB_NOT_FOUND_CODE: &str = "DeliveryHistoryJobNotFound";

/// The waiter of the service's task-status operation (`GetDeliveryHistoryJob`).
fn waiter<'a>(call: &Call<'a>) -> Option<&'a cloud_task_apis_codegen::spec::model::Waiter> {
    call.op.siblings.iter().find_map(|op| op.waiter.as_ref())
}

pub(super) fn create(shared: &Shared, call: &Call<'_>) -> Reply {
    let trail = call.params.str("TrailName").unwrap_or_default().to_owned();
    let token_name = call.op.op.idempotency_token.as_ref().map(|t| t.value.as_str());
    let token = token_name.and_then(|name| call.params.str(name)).map(str::to_owned);
    let fingerprint = call.params.without(token_name.as_slice());
    let mut state = lock(&shared.state);
    if let Some(token) = &token
        && let Some((earlier, id)) = state.tokens.get(&(call.account.to_owned(), token.clone()))
    {
        return if *earlier == fingerprint {
            created(call, *id)
        } else {
            call.documented(
                "IdempotentParameterMismatch",
                400,
                "The request uses the same client token as a previous, but non-identical request.",
            )
        };
    }
    if !state.trails.contains(&trail) {
        return call.documented("TrailNotFoundException", 404, "The specified Trail does not exist.");
    }
    let running: Vec<Value> = waiter(call)
        .map(|w| w.running.iter().map(cloud_task_apis_codegen::spec::yaml::Node::to_json).collect())
        .unwrap_or_default();
    let busy = state.jobs.values().any(|job| {
        job.account == call.account
            && running.contains(&job.script.at(call.now.saturating_duration_since(job.created)).state)
    });
    if busy {
        return call.documented(
            JOB_RUNNING_CODE,
            400,
            "A data backfill task is already running in this account; only one can run at a time.",
        );
    }
    let script = match (&state.job_script, waiter(call)) {
        (Some(script), _) => script.clone(),
        (None, Some(w)) => TaskScript::from_waiter(w, state.phase, state.job_outcome),
        (None, None) => TaskScript::new(),
    };
    let id = state.next_job_id;
    state.next_job_id += 1;
    state
        .jobs
        .insert(id, Job { account: call.account.to_owned(), trail, created: call.now, created_at: call.wall, script });
    if let Some(token) = token {
        state.tokens.insert((call.account.to_owned(), token), (fingerprint, id));
    }
    created(call, id)
}

fn created(call: &Call<'_>, id: i64) -> Reply {
    let mut body = success_template(call.op.op);
    set_path(&mut body, "JobId", Value::from(id));
    Reply::ok(body)
}

pub(super) fn get(shared: &Shared, call: &Call<'_>) -> Reply {
    let id = call.params.i64("JobId").unwrap_or_default();
    let state = lock(&shared.state);
    let Some(job) = state.jobs.get(&id) else {
        return call.documented(JOB_NOT_FOUND_CODE, 404, "The specified data backfill task does not exist.");
    };
    let elapsed = call.now.saturating_duration_since(job.created);
    let observed = job.script.at(elapsed);
    let mut body = success_template(call.op.op);
    let status_path = call.op.op.waiter.as_ref().map_or("JobStatus", |w| w.status.value.as_str());
    set_path(&mut body, status_path, observed.state.clone());
    let home = get_path(&body, "HomeRegion").cloned().unwrap_or_else(|| Value::from("cn-hangzhou"));
    let updated = later(job.created_at, elapsed.min(job.script.duration()));
    set_path(&mut body, "JobId", Value::from(id));
    set_path(&mut body, "TrailName", Value::from(job.trail.clone()));
    set_path(&mut body, "CreatedTime", Value::from(utc_seconds(job.created_at)));
    set_path(&mut body, "StartTime", Value::from(utc_seconds(job.created_at)));
    set_path(&mut body, "UpdatedTime", Value::from(utc_seconds(updated)));
    set_path(&mut body, "Status", json!([{ "Region": home, "Status": observed.state }]));
    if let Value::Object(map) = &mut body {
        if observed.finished {
            map.insert("EndTime".to_owned(), Value::from(utc_seconds(updated)));
        } else {
            map.remove("EndTime");
        }
    }
    Reply::ok(body)
}
