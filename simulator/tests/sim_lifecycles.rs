//! The task lifecycles of the real services, end to end through the generated clients, served
//! from the `resources` each service.yaml declares: ActionTrail create -> wait -> find in the
//! paged list -> delete; CBR CreateCheckpoint -> ListBackups filtered by vault and status until
//! available; DIS list dump tasks -> stop -> start -> each state; CLS API 3.0 list a shipper's
//! task runs in a time window -> retry a failed one -> running -> finished.

mod simulator_support;

use std::time::Duration;

use cloud_task_apis::Provider;
use cloud_task_apis::alibaba::actiontrail;
use cloud_task_apis::huawei::cbr::types::{BackupStatus, VaultBackup};
use cloud_task_apis::huawei::dis::batch_start_transfer_task::StartAction;
use cloud_task_apis::huawei::dis::batch_stop_transfer_task::StopAction;
use cloud_task_apis::huawei::dis::types::{BatchTransferTask, TransferTaskState};
use cloud_task_apis::huawei::{cbr, dis};
use cloud_task_apis::tencent::cls3;
use cloud_task_apis::tencent::cls3::describe_shipper_tasks::ShipperTaskStatus;
use cloud_task_apis::value::EpochMillis;
use cloud_task_apis_simulator::Simulator;
use futures_util::StreamExt;
use serde_json::json;
use simulator_support::{quick_retry, quick_wait};

async fn simulator() -> Simulator {
    Simulator::builder().phase_duration(Duration::from_millis(100)).start().await.expect("simulator starts")
}

/// Polls `check` every 20 ms until it gives a value, for at most 20 s.
async fn eventually<T, F: std::future::Future<Output = Option<T>>>(mut check: impl FnMut() -> F) -> T {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(std::time::Instant::now() < deadline, "the state was never reached");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn actiontrail_job_is_created_waited_for_listed_and_deleted() {
    let sim = simulator().await;
    let client =
        actiontrail::Client::new(sim.config(Provider::Alibaba, "cn-hangzhou").retry(quick_retry(3))).expect("client");
    let mut ids = Vec::new();
    for _ in 0..3 {
        let job = client.create_delivery_history_job().trail_name("trail-name").send().await.expect("created");
        client
            .get_delivery_history_job()
            .job_id(job.job_id)
            .wait_until_done(quick_wait(Duration::from_secs(20)), |_| {})
            .await
            .expect("the job completes");
        ids.push(job.job_id);
    }
    // Pages of two: every job once, the last page short.
    let listed: Vec<i64> = client
        .list_delivery_history_jobs()
        .page_size(2)
        .paginate()
        .items()
        .map(|job| job.expect("item").job_id)
        .collect()
        .await;
    assert_eq!(listed, ids);
    assert_eq!(sim.requests_for("ListDeliveryHistoryJobs").len(), 2);

    client.delete_delivery_history_job().job_id(ids[1]).send().await.expect("deleted");
    let gone = client.get_delivery_history_job().job_id(ids[1]).send().await.expect_err("deleted");
    assert_eq!(gone.code(), Some("DeliveryHistoryJobNotFound"));
    let twice = client.delete_delivery_history_job().job_id(ids[1]).send().await.expect_err("already deleted");
    assert_eq!(twice.service_error().map(cloud_task_apis::ServiceError::status), Some(404));
    let left: Vec<i64> = client
        .list_delivery_history_jobs()
        .send()
        .await
        .expect("listed")
        .delivery_history_jobs
        .unwrap_or_default()
        .iter()
        .map(|j| j.job_id)
        .collect();
    assert_eq!(left, [ids[0], ids[2]]);
}

#[tokio::test]
async fn cbr_backup_is_listed_by_vault_and_status_until_available() {
    let sim = simulator().await;
    let client = cbr::Client::new(sim.config(Provider::Huawei, "cn-north-4").retry(quick_retry(3))).expect("client");
    let vault = |id: &str| VaultBackup { vault_id: id.to_owned(), ..VaultBackup::default() };
    let started = client.create_checkpoint().checkpoint(vault("vault-a")).send().await.expect("started");
    let id = started.checkpoint.id.clone();
    client.create_checkpoint().checkpoint(vault("vault-b")).send().await.expect("another vault");

    let in_vault = client.list_backups().vault_id("vault-a").send().await.expect("listed");
    assert_eq!(in_vault.count, 1);
    assert_eq!(in_vault.backups[0].id.as_deref(), Some(id.as_str()));
    let available = eventually(|| {
        let client = client.clone();
        async move {
            let page = client.list_backups().vault_id("vault-a").status(BackupStatus::Available).send().await.ok()?;
            page.backups.into_iter().next()
        }
    })
    .await;
    assert_eq!(available.id.as_deref(), Some(id.as_str()));
    assert_eq!(available.status, Some(BackupStatus::Available));
    let protecting = client.list_backups().status(BackupStatus::Protecting).send().await.expect("listed");
    assert!(protecting.backups.iter().all(|b| b.id.as_deref() != Some(id.as_str())));
}

#[tokio::test]
async fn dis_dump_task_is_stopped_and_started_again() {
    let sim = simulator().await;
    let client = dis::Client::new(sim.config(Provider::Huawei, "cn-north-4").retry(quick_retry(3))).expect("client");
    let state = |client: dis::Client| async move {
        let tasks = client.list_transfer_tasks().stream_name("new-stream").send().await.expect("listed").tasks;
        tasks.unwrap_or_default().into_iter().next().map(|t| (t.task_id.unwrap_or_default(), t.state))
    };
    // The stream's documented task, running.
    let (task, first) = state(client.clone()).await.expect("the documented task");
    assert_eq!(first, TransferTaskState::Running);
    let batch = vec![BatchTransferTask { id: task.clone() }];

    client
        .batch_stop_transfer_task()
        .stream_name("new-stream")
        .action(StopAction::Stop)
        .tasks(batch.clone())
        .send()
        .await
        .expect("stopped");
    assert_eq!(state(client.clone()).await.map(|s| s.1), Some(TransferTaskState::Paused));
    let again = client
        .batch_stop_transfer_task()
        .stream_name("new-stream")
        .action(StopAction::Stop)
        .tasks(batch.clone())
        .send()
        .await
        .expect_err("a paused task cannot be stopped");
    assert_eq!(again.code(), Some("DIS.4300"));

    client
        .batch_start_transfer_task()
        .stream_name("new-stream")
        .action(StartAction::Start)
        .tasks(batch)
        .send()
        .await
        .expect("started");
    assert_eq!(state(client.clone()).await.map(|s| s.1), Some(TransferTaskState::Starting));
    eventually(|| {
        let client = client.clone();
        async move { (state(client).await?.1 == TransferTaskState::Running).then_some(()) }
    })
    .await;
}

/// A CLS API 3.0 run of `shipper` that started `minutes` ago, times as the documented example
/// writes them (epoch milliseconds as text).
fn shipper_task(shipper: &str, id: &str, minutes: i64, status: &str) -> serde_json::Value {
    let started = time::OffsetDateTime::now_utc() - time::Duration::minutes(minutes);
    let ms = |t: time::OffsetDateTime| (t.unix_timestamp_nanos() / 1_000_000).to_string();
    json!({
        "TaskId": id,
        "ShipperId": shipper,
        "TopicId": "5b158596-d0ad-4da5-af92-4fac4cd662c4",
        "RangeStart": ms(started - time::Duration::minutes(5)),
        "RangeEnd": ms(started),
        "StartTime": ms(started),
        "EndTime": ms(started + time::Duration::minutes(1)),
        "Status": status,
        "Message": status,
    })
}

#[tokio::test]
async fn cls3_failed_shipper_task_is_retried_runs_and_finishes() {
    // Phases of two seconds: the retried run is seen running before it ends on a loaded machine.
    let sim = Simulator::builder().phase_duration(Duration::from_secs(2)).start().await.expect("simulator starts");
    let client =
        cls3::Client::new(sim.config(Provider::Tencent, "ap-guangzhou").retry(quick_retry(3))).expect("client");
    let shipper = "shipper-life";
    for (id, minutes, status) in [
        ("run-running", 30, "running"),
        ("run-failed", 90, "failed"),
        ("run-done", 150, "success"),
        // Outside the window: started four days ago.
        ("run-old", 4 * 24 * 60, "failed"),
    ] {
        sim.seed("ShipperTask", shipper_task(shipper, id, minutes, status)).expect("declared resource");
    }
    sim.seed("ShipperTask", shipper_task("another-shipper", "run-other", 60, "failed")).expect("declared resource");

    let now = time::OffsetDateTime::now_utc();
    let window_start = EpochMillis::from(now - time::Duration::hours(3));
    let list = |client: cls3::Client| async move {
        let tasks = client
            .describe_shipper_tasks()
            .shipper_id(shipper)
            .start_time(window_start)
            .end_time(EpochMillis::from(time::OffsetDateTime::now_utc()))
            .send()
            .await
            .expect("listed")
            .tasks
            .unwrap_or_default();
        tasks.into_iter().map(|t| (t.task_id, t.status)).collect::<Vec<_>>()
    };
    // The shipper's runs in the window, oldest first.
    assert_eq!(
        list(client.clone()).await,
        [
            ("run-done".to_owned(), ShipperTaskStatus::Success),
            ("run-failed".to_owned(), ShipperTaskStatus::Failed),
            ("run-running".to_owned(), ShipperTaskStatus::Running),
        ]
    );

    client.retry_shipper_task().shipper_id(shipper).task_id("run-failed").send().await.expect("retried");
    let state = |client: cls3::Client| async move {
        list(client).await.into_iter().find(|(id, _)| id == "run-failed").map(|(_, status)| status)
    };
    assert_eq!(state(client.clone()).await, Some(ShipperTaskStatus::Running));
    eventually(|| {
        let client = client.clone();
        async move { (state(client).await? == ShipperTaskStatus::Success).then_some(()) }
    })
    .await;

    let refused = client
        .retry_shipper_task()
        .shipper_id(shipper)
        .task_id("run-running")
        .send()
        .await
        .expect_err("a running task cannot be retried");
    let cls3::retry_shipper_task::Error::FailedOperationShipperTaskNotToRetry(e) = &refused else {
        panic!("{refused:?}")
    };
    assert_eq!((e.status(), e.code()), (200, "FailedOperation.ShipperTaskNotToRetry"));
    let finished = client.retry_shipper_task().shipper_id(shipper).task_id("run-failed").send().await;
    assert!(
        matches!(finished, Err(cls3::retry_shipper_task::Error::FailedOperationShipperTaskNotToRetry(_))),
        "{finished:?}"
    );

    // The window reaches three days back at most.
    let too_old = client
        .describe_shipper_tasks()
        .shipper_id(shipper)
        .start_time(EpochMillis::from(now - time::Duration::days(4)))
        .end_time(EpochMillis::from(now))
        .send()
        .await
        .expect_err("older than three days");
    assert_eq!(too_old.code(), Some("InvalidParameterValue"));
}
