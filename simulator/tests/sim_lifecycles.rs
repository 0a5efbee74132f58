//! The task lifecycles of the real services, end to end through the generated clients, served
//! from the `resources` each service.yaml declares: ActionTrail create -> wait -> find in the
//! paged list -> delete; CBR CreateCheckpoint -> ListBackups filtered by vault and status until
//! available; DIS list dump tasks -> stop -> start -> each state.

mod simulator_support;

use std::time::Duration;

use cloud_task_apis::Provider;
use cloud_task_apis::alibaba::actiontrail;
use cloud_task_apis::huawei::cbr::types::{BackupStatus, VaultBackup};
use cloud_task_apis::huawei::dis::batch_start_transfer_task::StartAction;
use cloud_task_apis::huawei::dis::batch_stop_transfer_task::StopAction;
use cloud_task_apis::huawei::dis::types::{BatchTransferTask, TransferTaskState};
use cloud_task_apis::huawei::{cbr, dis};
use cloud_task_apis_simulator::Simulator;
use futures_util::StreamExt;
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
