//! A tour of the crate that runs offline, in well under a minute:
//!
//! ```sh
//! cargo run -p cloud-task-apis-simulator --example demo
//! ```
//!
//! It starts the simulator (an in-process stand-in for the three clouds, served from the
//! specs) and, with the generated clients, starts an ActionTrail backfill job, waits for it,
//! finds it in the paged list and deletes it; waits for a CBR backup task with its progress and
//! starts a backup with CreateCheckpoint until ListBackups shows it available; lists CLS
//! shipping tasks; pages through DIS dump logs and stops and starts a DIS dump task. Every request is signed as the real service expects and checked by the
//! simulator, so this is the same code that talks to the real clouds; only the `Config` differs.
//! Progress is drawn as bars on a terminal, and as plain lines otherwise.

use std::error::Error;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use cloud_task_apis::alibaba::actiontrail;
use cloud_task_apis::huawei::cbr::types::{BackupStatus, VaultBackup};
use cloud_task_apis::huawei::dis::batch_start_transfer_task::StartAction;
use cloud_task_apis::huawei::dis::batch_stop_transfer_task::StopAction;
use cloud_task_apis::huawei::dis::show_transfer_task_log::PageInfo;
use cloud_task_apis::huawei::dis::types::BatchTransferTask;
use cloud_task_apis::huawei::{cbr, dis};
use cloud_task_apis::tencent::cls;
use cloud_task_apis::value::EpochMillis;
use cloud_task_apis::{Provider, WaitPolicy};
use cloud_task_apis_simulator::{Fault, Simulator};
use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;
use time::OffsetDateTime;

/// How long each task phase lasts in the simulator.
const PHASE: Duration = Duration::from_millis(800);

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let started = Instant::now();
    let sim = Simulator::builder().phase_duration(PHASE).start().await?;
    println!("cloud-task-apis demo: every call goes to the simulator at {}", sim.endpoint());
    println!("(signed, checked and answered as the real services do; no network, no account)\n");

    backfill_job(&sim).await?;
    backup_task(&sim).await?;
    new_backup(&sim).await?;
    shipping_tasks(&sim).await?;
    dump_logs(&sim).await?;
    dump_task(&sim).await?;

    let requests = sim.requests();
    let refused = requests.iter().filter(|r| r.status.is_none_or(|s| s >= 400)).count();
    println!(
        "\nDone in {:.1} s: {} requests to the simulator, {refused} of them refused or faulted on purpose.",
        started.elapsed().as_secs_f64(),
        requests.len()
    );
    Ok(())
}

/// Polls every 150 to 400 ms, for at most 30 s.
fn policy() -> WaitPolicy {
    WaitPolicy::new(Duration::from_secs(30)).delays(Duration::from_millis(150), Duration::from_millis(400))
}

/// A progress bar on a terminal; `None` (print lines instead) when stdout is not one.
fn bar(len: Option<u64>, template: &str) -> Result<Option<ProgressBar>, Box<dyn Error>> {
    if !std::io::stdout().is_terminal() {
        return Ok(None);
    }
    let bar = ProgressBar::with_draw_target(len, ProgressDrawTarget::stdout());
    bar.set_style(ProgressStyle::with_template(template)?.progress_chars("=> "));
    bar.enable_steady_tick(Duration::from_millis(100));
    Ok(Some(bar))
}

async fn backfill_job(sim: &Simulator) -> Result<(), Box<dyn Error>> {
    println!("1. Alibaba ActionTrail: a backfill job for the trail \"trail-name\"");
    let client = actiontrail::Client::new(sim.config(Provider::Alibaba, "cn-hangzhou"))?;
    let created = client.create_delivery_history_job().trail_name("trail-name").client_token("demo-1").send().await?;
    println!("   created job {} (request id {})", created.job_id, created.request_id);
    let again = client.create_delivery_history_job().trail_name("trail-name").client_token("demo-1").send().await?;
    println!("   the same ClientToken again gives the same job: {}", again.job_id);
    if let Err(e) = client.create_delivery_history_job().trail_name("trail-name").send().await {
        println!("   a second job while it runs is refused: {}", e.code().unwrap_or("?"));
    }

    let bar = bar(None, "   {spinner} job {msg} ({elapsed})")?;
    let mut last_state = None;
    let job = client
        .get_delivery_history_job()
        .job_id(created.job_id)
        .wait_until_done(policy(), |p| {
            let state = format!("{:?} ({})", p.response.job_status, p.state_text.as_deref().unwrap_or("?"));
            match &bar {
                Some(bar) => bar.set_message(state),
                None if last_state.as_ref() != Some(&state) => {
                    println!("   poll {}: {state}", p.polls);
                    last_state = Some(state);
                }
                None => {}
            }
        })
        .await;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let job = job?;
    println!(
        "   job {} (trail \"{}\", home region {}): {:?}, started {}, ended {}",
        job.job_id,
        job.trail_name,
        job.home_region,
        job.job_status,
        job.start_time,
        job.end_time.as_ref().map_or_else(|| "-".to_owned(), ToString::to_string)
    );
    let mut listed = Box::pin(client.list_delivery_history_jobs().page_size(1).paginate().items());
    while let Some(item) = listed.next().await {
        let item = item?;
        if item.job_id == job.job_id {
            println!("   found job {} in the paged list (page size 1): {:?}", item.job_id, item.job_status);
        }
    }
    client.delete_delivery_history_job().job_id(job.job_id).send().await?;
    let gone = client.get_delivery_history_job().job_id(job.job_id).send().await;
    println!(
        "   deleted job {}; reading it again: {}",
        job.job_id,
        gone.err().and_then(|e| e.code().map(str::to_owned)).unwrap_or_default()
    );
    Ok(())
}

async fn backup_task(sim: &Simulator) -> Result<(), Box<dyn Error>> {
    println!("\n2. Huawei CBR: a backup task, waited for with its 0-100 progress");
    let id = "3c9f6a2e-5b1d-4e8f-9a07-6d2c4b8e1f30";
    sim.seed("OperationLog", json!({ "id": id }))?;
    let client = cbr::Client::new(sim.config(Provider::Huawei, "cn-north-4"))?;
    let bar = bar(Some(100), "   {spinner} [{bar:40}] {pos:>3}% {msg}")?;
    let mut last = None;
    let task = client
        .show_op_log()
        .operation_log_id(id)
        .wait_until_done(policy(), |p| {
            let progress = p.progress.unwrap_or(0);
            let state = p.state_text.clone().unwrap_or_default();
            match &bar {
                Some(bar) => {
                    bar.set_position(u64::try_from(progress).unwrap_or(0));
                    bar.set_message(state);
                }
                None if last != Some((progress / 25, state.clone())) => {
                    println!("   {state}: {progress}%");
                    last = Some((progress / 25, state));
                }
                None => {}
            }
        })
        .await;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let log = task?.operation_log;
    let extra = log.extra_info.as_ref();
    let progress = extra.and_then(|x| x.common.as_ref()).and_then(|c| c.progress);
    let resource = extra.and_then(|x| x.resource.as_ref()).and_then(|r| r.name.clone());
    println!(
        "   task {}: {} {}, {}% done, resource {}, ended {}",
        log.id.as_deref().unwrap_or("?"),
        log.operation_type.map_or_else(|| "?".to_owned(), |t| t.to_string()),
        log.status.map_or_else(|| "?".to_owned(), |s| s.to_string()),
        progress.unwrap_or(0),
        resource.as_deref().unwrap_or("?"),
        log.ended_at.map_or_else(|| "-".to_owned(), |t| t.to_string())
    );
    Ok(())
}

async fn new_backup(sim: &Simulator) -> Result<(), Box<dyn Error>> {
    println!("\n3. Huawei CBR: CreateCheckpoint, then ListBackups by vault and status until available");
    let client = cbr::Client::new(sim.config(Provider::Huawei, "cn-north-4"))?;
    let vault = VaultBackup { vault_id: "vault-demo".to_owned(), ..VaultBackup::default() };
    let started = client.create_checkpoint().checkpoint(vault).send().await?;
    println!("   started backup {} ({})", started.checkpoint.id, started.checkpoint.status);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let page = client.list_backups().vault_id("vault-demo").status(BackupStatus::Available).send().await?;
        if let Some(backup) = page.backups.first() {
            println!("   backup {} in vault-demo: available", backup.id.as_deref().unwrap_or("?"));
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err("the backup never became available".into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn dump_task(sim: &Simulator) -> Result<(), Box<dyn Error>> {
    println!("\n6. Huawei DIS: a dump task stopped and started again");
    let client = dis::Client::new(sim.config(Provider::Huawei, "cn-north-4"))?;
    let state = |client: dis::Client| async move {
        let tasks = client.list_transfer_tasks().stream_name("new-stream").send().await?.tasks.unwrap_or_default();
        Ok::<_, Box<dyn Error>>(tasks.into_iter().next().map(|t| (t.task_id.unwrap_or_default(), t.state)))
    };
    let Some((task, first)) = state(client.clone()).await? else { return Err("no dump task".into()) };
    println!("   task {task}: {first}");
    let batch = vec![BatchTransferTask { id: task.clone() }];
    let stop = client.batch_stop_transfer_task().stream_name("new-stream").action(StopAction::Stop);
    stop.tasks(batch.clone()).send().await?;
    println!("   stopped: {}", state(client.clone()).await?.map(|s| s.1.to_string()).unwrap_or_default());
    let start = client.batch_start_transfer_task().stream_name("new-stream").action(StartAction::Start);
    start.tasks(batch).send().await?;
    println!("   started: {}", state(client.clone()).await?.map(|s| s.1.to_string()).unwrap_or_default());
    tokio::time::sleep(PHASE + Duration::from_millis(200)).await;
    println!("   then: {}", state(client).await?.map(|s| s.1.to_string()).unwrap_or_default());
    Ok(())
}

async fn shipping_tasks(sim: &Simulator) -> Result<(), Box<dyn Error>> {
    println!("\n4. Tencent CLS: the shipping tasks of the last six hours");
    let now = OffsetDateTime::now_utc();
    let ago = |minutes: i64| now - time::Duration::minutes(minutes);
    let east = time::UtcOffset::from_hms(8, 0, 0)?;
    let local = |t: OffsetDateTime| {
        let t = t.to_offset(east);
        format!("{} {:02}:{:02}:{:02}", t.date(), t.hour(), t.minute(), t.second())
    };
    let runs = [("task-a1", 400, "success"), ("task-a2", 300, "success"), ("task-a3", 200, "failed")];
    let more = [("task-a4", 100, "success"), ("task-a5", 2, "running")];
    for (id, minutes, status) in runs.into_iter().chain(more) {
        let started = ago(minutes);
        let task = json!({
            "task_id": id, "shipper_id": "shipper-demo", "topic_id": "topic-1", "status": status, "message": status,
            "range_start": local(started - time::Duration::minutes(5)), "range_end": local(started),
            "start_time": local(started), "end_time": local(started + time::Duration::minutes(1)),
        });
        sim.seed("ShippingTask", task)?;
    }
    // One throttled answer, which the client retries by itself.
    sim.inject("ListShippingTasks", Fault::Throttle, 1)?;
    let client = cls::Client::new(sim.config(Provider::Tencent, "ap-guangzhou"))?;
    let list =
        client.list_shipping_tasks().shipper_id("shipper-demo").start_time(ago(360)).end_time(now).send().await?;
    println!(
        "   {} tasks (the first answer was SpeedQuotaExceed; the client retried: {} attempts)",
        list.tasks.len(),
        list.meta.attempts()
    );
    println!("   {:<8} {:<8} {:<19}  {:<19}  logs shipped (UTC+8)", "task", "status", "started", "ended");
    for task in &list.tasks {
        println!(
            "   {:<8} {:<8} {:<19}  {:<19}  {} - {}",
            task.task_id,
            task.status.to_string(),
            task.start_time.to_string(),
            task.end_time.to_string(),
            task.range_start,
            task.range_end
        );
    }
    Ok(())
}

async fn dump_logs(sim: &Simulator) -> Result<(), Box<dyn Error>> {
    println!("\n5. Huawei DIS: the dump logs of a task, five per page");
    let task = "CDaRPdvKUfZrAhzTaYs";
    let now_ms = i64::try_from(OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000)?;
    for n in 0..12_i64 {
        let start = now_ms - (12 - n) * 300_000;
        let records = 1_000 + (n * 7_919) % 40_000;
        let log = json!({
            "num": n, "transferTaskId": task, "startTime": start, "endTime": start + 240_000 + (n * 1_009) % 50_000,
            "transferRecordsNum": records, "transferBytes": records * 932 + n,
            "transferFileName": format!("{task}.disMonitorTest.0.{}", start + 10),
        });
        sim.seed("TransferTaskLog", log)?;
    }
    let client = dis::Client::new(sim.config(Provider::Huawei, "cn-north-4"))?;
    let pages = client
        .show_transfer_task_log()
        .task_id(task)
        .page_info(PageInfo { page_index: 1, page_total: 5 })
        .paginate()
        .pages();
    let mut pages = Box::pin(pages);
    let mut number = 0;
    while let Some(page) = pages.next().await {
        let page = page?;
        number += 1;
        let logs = page.transfer_task_log_list.map(|l| l.into_vec()).unwrap_or_default();
        println!("   page {number}: {} of {} logs", logs.len(), page.total_num);
        for log in &logs {
            println!(
                "     {}  {:>6} records, {:>5.1} MB, {} to {}",
                log.transfer_file_name,
                log.transfer_records_num,
                log.transfer_bytes as f64 / 1e6,
                clock(log.start_time),
                clock(log.end_time)
            );
        }
    }
    Ok(())
}

/// `HH:MM:SS` UTC of a millisecond timestamp.
fn clock(time: EpochMillis) -> String {
    time.as_offset_date_time()
        .map_or_else(|| time.to_string(), |t| format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second()))
}
