//! Waiters against the simulator: success, failure, timeout, unknown states, throttled polls,
//! and CBR's progress.

mod simulator_support;

use std::time::{Duration, Instant};

use cloud_task_apis::alibaba::actiontrail::Client as ActionTrail;
use cloud_task_apis::alibaba::actiontrail::get_delivery_history_job::JobStatus;
use cloud_task_apis::huawei::cbr::Client as Cbr;
use cloud_task_apis::huawei::cbr::show_op_log::OperationStatus;
use cloud_task_apis::{Provider, TaskState, WaitError};
use cloud_task_apis_simulator::{Fault, Simulator, TaskOutcome, TaskScript};
use serde_json::json;
use simulator_support::{quick_retry, quick_wait};

async fn simulator(phase_ms: u64) -> Simulator {
    Simulator::builder().phase_duration(Duration::from_millis(phase_ms)).start().await.expect("simulator starts")
}

fn actiontrail(sim: &Simulator) -> ActionTrail {
    ActionTrail::new(sim.config(Provider::Alibaba, "cn-hangzhou").retry(quick_retry(3))).expect("client")
}

fn cbr(sim: &Simulator) -> Cbr {
    Cbr::new(sim.config(Provider::Huawei, "cn-north-4").retry(quick_retry(3))).expect("client")
}

#[tokio::test]
async fn a_backfill_job_is_waited_for_through_its_states() {
    let sim = simulator(150).await;
    let client = actiontrail(&sim);
    let created = client.create_delivery_history_job().trail_name("trail-name").send().await.expect("created");
    let mut seen = Vec::new();
    let done = client
        .get_delivery_history_job()
        .job_id(created.job_id)
        .wait_until_done(quick_wait(Duration::from_secs(10)), |p| {
            if seen.last() != p.state_text.as_ref() {
                seen.extend(p.state_text.clone());
            }
            assert_ne!(p.state, TaskState::Unknown);
        })
        .await
        .expect("the job completes");
    assert_eq!(done.job_status, JobStatus::Complete);
    assert_eq!(done.job_id, created.job_id);
    assert!(done.end_time.is_some(), "a finished job has an end time");
    // The states the spec declares, in order: initializing, delivering, complete.
    assert_eq!(seen, ["0", "1", "2"]);
    assert!(done.meta.request_id().is_some());
}

#[tokio::test]
async fn a_failed_job_ends_the_wait_with_its_last_response() {
    let sim = simulator(50).await;
    sim.set_outcome("DeliveryHistoryJob", TaskOutcome::Fail).expect("declared resource");
    let client = actiontrail(&sim);
    let created = client.create_delivery_history_job().trail_name("trail-name").send().await.expect("created");
    let result = client
        .get_delivery_history_job()
        .job_id(created.job_id)
        .wait_until_done(quick_wait(Duration::from_secs(10)), |_| {})
        .await;
    match result {
        Err(WaitError::Failed { response, state }) => {
            assert_eq!(response.job_status, JobStatus::Failed);
            assert_eq!(state.as_deref(), Some("3"));
            assert_eq!(response.job_id, created.job_id);
        }
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[tokio::test]
async fn running_out_of_time_reports_the_last_state() {
    let sim = simulator(60_000).await;
    let client = actiontrail(&sim);
    let created = client.create_delivery_history_job().trail_name("trail-name").send().await.expect("created");
    let started = Instant::now();
    let mut polls = 0;
    let result = client
        .get_delivery_history_job()
        .job_id(created.job_id)
        .wait_until_done(quick_wait(Duration::from_millis(400)), |p| polls = p.polls)
        .await;
    let took = started.elapsed();
    match result {
        Err(WaitError::TimedOut { last, last_state, waited }) => {
            assert_eq!(last_state.as_deref(), Some("0"));
            assert_eq!(last.map(|r| r.job_status), Some(JobStatus::Initializing));
            assert!(waited >= Duration::from_millis(400), "waited only {waited:?}");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    // The whole budget is used (a last poll at the deadline), and not much more.
    assert!(took >= Duration::from_millis(400) && took < Duration::from_secs(3), "took {took:?}");
    assert!(polls >= 3, "polled {polls} times");
}

#[tokio::test]
async fn unknown_states_keep_the_waiter_polling_and_are_reported() {
    let sim = simulator(100).await;
    let script = TaskScript::new()
        .then("waiting", Duration::from_millis(100))
        .then("migrating", Duration::from_millis(300))
        .then("running", Duration::from_millis(100))
        .end("success");
    sim.seed_with_script("OperationLog", json!({"id": "task-with-a-new-state"}), script).expect("declared resource");
    let mut observed = Vec::new();
    let done = cbr(&sim)
        .show_op_log()
        .operation_log_id("task-with-a-new-state")
        .wait_until_done(quick_wait(Duration::from_secs(10)), |p| observed.push((p.state, p.state_text.clone())))
        .await
        .expect("the task succeeds after the unknown state");
    assert_eq!(done.operation_log.status, Some(OperationStatus::Success));
    assert!(
        observed.contains(&(TaskState::Unknown, Some("migrating".to_owned()))),
        "the unknown state was reported: {observed:?}"
    );
    assert!(observed.contains(&(TaskState::Running, Some("waiting".to_owned()))));
}

#[tokio::test]
async fn throttled_polls_do_not_end_the_wait() {
    let sim = simulator(100).await;
    let client = ActionTrail::new(sim.config(Provider::Alibaba, "cn-hangzhou").retry(quick_retry(2))).expect("client");
    let created = client.create_delivery_history_job().trail_name("trail-name").send().await.expect("created");
    // Five throttled answers: more than one call's retries can absorb, so whole polls fail.
    sim.inject("GetDeliveryHistoryJob", Fault::Throttle, 5).expect("known operation");
    let mut successful_polls = 0;
    let done = client
        .get_delivery_history_job()
        .job_id(created.job_id)
        .wait_until_done(quick_wait(Duration::from_secs(10)), |_| successful_polls += 1)
        .await
        .expect("the wait survives throttling");
    assert_eq!(done.job_status, JobStatus::Complete);
    let polls = sim.requests_for("GetDeliveryHistoryJob");
    let throttled: Vec<_> = polls.iter().filter(|r| r.error_code.as_deref() == Some("Throttling.User")).collect();
    assert_eq!(throttled.len(), 5);
    // Alibaba throttles with HTTP 400, not 429.
    assert!(throttled.iter().all(|r| r.status == Some(400)));
    assert_eq!(polls.len(), successful_polls + 5);
    // The first two polls were throttled away entirely (two attempts each), the third got
    // one throttled answer and then a success.
    assert!(polls[..5].iter().all(|r| r.fault == Some(Fault::Throttle)));
}

#[tokio::test]
async fn cbr_progress_rises_to_100() {
    let sim = simulator(150).await;
    sim.seed("OperationLog", json!({"id": "backup-1"})).expect("declared resource");
    let mut progress = Vec::new();
    let done = cbr(&sim)
        .show_op_log()
        .operation_log_id("backup-1")
        .wait_until_done(quick_wait(Duration::from_secs(10)), |p| progress.extend(p.progress))
        .await
        .expect("the backup succeeds");
    assert_eq!(done.operation_log.status, Some(OperationStatus::Success));
    assert!(progress.windows(2).all(|w| w[0] <= w[1]), "progress never goes back: {progress:?}");
    assert_eq!(progress.last(), Some(&100));
    assert!(progress.iter().any(|p| *p > 0 && *p < 100), "some progress in between: {progress:?}");
    assert!(done.operation_log.ended_at.is_some());
}

#[tokio::test]
async fn a_cbr_task_ending_in_a_failed_state_is_a_failure() {
    let sim = simulator(50).await;
    let script = TaskScript::new().then("running", Duration::from_millis(100)).end("timeout");
    sim.seed_with_script("OperationLog", json!({"id": "restore-1", "operation_type": "restore"}), script)
        .expect("declared resource");
    let result = cbr(&sim)
        .show_op_log()
        .operation_log_id("restore-1")
        .wait_until_done(quick_wait(Duration::from_secs(5)), |_| {})
        .await;
    match result {
        Err(WaitError::Failed { response, state }) => {
            assert_eq!(state.as_deref(), Some("timeout"));
            let log = response.operation_log;
            assert_eq!(log.operation_type.map(|t| t.to_string()).as_deref(), Some("restore"), "the seeded fields stay");
            assert!(log.ended_at.is_some(), "a final state has an end time");
            assert!(log.extra_info.and_then(|x| x.common).and_then(|c| c.progress).is_some_and(|p| p < 100));
        }
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[tokio::test]
async fn a_poll_that_cannot_succeed_ends_the_wait() {
    let sim = simulator(50).await;
    let started = Instant::now();
    let result = actiontrail(&sim)
        .get_delivery_history_job()
        .job_id(999)
        .wait_until_done(quick_wait(Duration::from_secs(10)), |_| {})
        .await;
    match result {
        Err(WaitError::Call(error)) => {
            assert_eq!(error.code(), Some("DeliveryHistoryJobNotFound"));
        }
        other => panic!("expected the call's error, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(sim.requests_for("GetDeliveryHistoryJob").len(), 1, "a 404 is not retried");
}
