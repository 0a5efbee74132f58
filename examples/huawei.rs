//! Huawei Cloud task lifecycles: CBR backups (start one, list them, follow an operation log) and
//! DIS dump tasks (list a stream's tasks, stop or start one, read a task's log).
//!
//! ```text
//! export HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... HUAWEICLOUD_SDK_PROJECT_ID=...
//! export HUAWEICLOUD_SDK_REGION=cn-north-4             # optional, this is the default
//! cargo run --example huawei -- backup <vault-id>      # CreateCheckpoint: a backup of the vault
//! cargo run --example huawei -- backups [vault-id] [status]   # every page; status e.g. available
//! cargo run --example huawei -- cbr <operation-log-id> # or CBR_OPERATION_LOG_ID=...
//! cargo run --example huawei -- dis-tasks <stream-name>
//! cargo run --example huawei -- dis-stop <stream-name> <task-id>
//! cargo run --example huawei -- dis-start <stream-name> <task-id>
//! cargo run --example huawei -- dis <task-id>          # or DIS_TASK_ID=...
//! ```
//!
//! `HUAWEICLOUD_SDK_AUTH_TOKEN` (an IAM token) can replace the AK/SK pair;
//! `HUAWEICLOUD_SDK_SECURITY_TOKEN` adds the token of temporary AK/SK. CreateCheckpoint,
//! BatchStopTransferTask and BatchStartTransferTask have no idempotency token, so none of them
//! is sent again once it may have reached the server (after a timeout or a server error): check
//! with `backups` or `dis-tasks` before running them again.

use std::error::Error;
use std::process::ExitCode;

use std::pin::pin;

use cloud_task_apis::huawei::cbr::create_checkpoint::VaultBackup;
use cloud_task_apis::huawei::cbr::list_backups::BackupStatus;
use cloud_task_apis::huawei::dis::batch_start_transfer_task::StartAction;
use cloud_task_apis::huawei::dis::batch_stop_transfer_task::StopAction;
use cloud_task_apis::huawei::dis::show_transfer_task_log::{PageInfo, SortBy, SortOrder};
use cloud_task_apis::huawei::dis::types::BatchTransferTask;
use cloud_task_apis::huawei::{cbr, dis};
use cloud_task_apis::value::EpochMillis;
use cloud_task_apis::{Config, Provider};
use futures_util::StreamExt;

const USAGE: &str = "usage: huawei backup <vault-id> | huawei backups [vault-id] [status] \
                     | huawei cbr <operation-log-id> | huawei dis-tasks <stream-name> \
                     | huawei dis-stop <stream-name> <task-id> | huawei dis-start <stream-name> <task-id> \
                     | huawei dis <task-id>";

/// An epoch-millisecond time as a date, or as the number when it is out of range.
fn when(t: &EpochMillis) -> String {
    t.as_offset_date_time().map_or_else(|| t.to_string(), |t| t.to_string())
}

/// The stream name and task id of `dis-stop` / `dis-start`.
fn stream_and_task(args: &[String]) -> Result<(String, Vec<BatchTransferTask>), &'static str> {
    match (args.get(1), args.get(2)) {
        (Some(stream), Some(task)) => Ok((stream.clone(), vec![BatchTransferTask { id: task.clone() }])),
        _ => Err(USAGE),
    }
}

/// The argument at `index`, or the environment variable `env`.
fn arg_or_env(args: &[String], index: usize, env: &str) -> Option<String> {
    args.get(index).cloned().or_else(|| std::env::var(env).ok().filter(|v| !v.is_empty()))
}

async fn run() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let region = std::env::var("HUAWEICLOUD_SDK_REGION").unwrap_or_else(|_| "cn-north-4".to_owned());
    let config = Config::from_env(Provider::Huawei, region)?;

    match args.first().map(String::as_str).ok_or(USAGE)? {
        "dis" => {
            let task_id = arg_or_env(&args, 1, "DIS_TASK_ID").ok_or(USAGE)?;
            let log = dis::Client::new(config)?
                .show_transfer_task_log()
                .task_id(task_id.as_str())
                .order(SortOrder::Desc)
                .sort_by(SortBy::StartTime)
                .page_info(PageInfo { page_index: 1, page_total: 10 })
                .send()
                .await?;
            println!("dump task {task_id}: {} log entries in all, newest first", log.total_num);
            for entry in log.transfer_task_log_list.iter().flatten() {
                println!(
                    "  {} -> {}  {} records, {} bytes to {} ({})",
                    when(&entry.start_time),
                    when(&entry.end_time),
                    entry.transfer_records_num,
                    entry.transfer_bytes,
                    entry.destination_type,
                    entry.transfer_file_name
                );
            }
            println!("request id {}, {} attempt(s)", log.meta.request_id().unwrap_or("-"), log.meta.attempts());
        }
        "cbr" => {
            let id = arg_or_env(&args, 1, "CBR_OPERATION_LOG_ID").ok_or(USAGE)?;
            let response = cbr::Client::new(config)?.show_op_log().operation_log_id(id.as_str()).send().await?;
            let op = &response.operation_log;
            let show = |value: Option<String>| value.unwrap_or_else(|| "-".to_owned());
            println!("operation log {id}");
            println!("  type:     {}", show(op.operation_type.as_ref().map(|t| format!("{t:?}"))));
            println!("  status:   {}", show(op.status.as_ref().map(|s| format!("{s:?}"))));
            let progress = op.extra_info.as_ref().and_then(|e| e.common.as_ref()).and_then(|c| c.progress);
            println!("  progress: {}", show(progress.map(|p| format!("{p}%"))));
            println!("  vault:    {}", show(op.vault_name.clone()));
            println!("  started:  {}", show(op.started_at.as_ref().map(ToString::to_string)));
            println!("  ended:    {}", show(op.ended_at.as_ref().map(ToString::to_string)));
            if let Some(error) = op.error_info.as_ref().filter(|e| e.code.as_deref().is_some_and(|c| !c.is_empty())) {
                println!("  error:    {} {}", show(error.code.clone()), show(error.message.clone()));
            }
            println!(
                "request id {}, {} attempt(s)",
                response.meta.request_id().unwrap_or("-"),
                response.meta.attempts()
            );
        }
        "backup" => {
            let vault_id = args.get(1).ok_or(USAGE)?;
            let created = cbr::Client::new(config)?
                .create_checkpoint()
                .checkpoint(VaultBackup { vault_id: vault_id.clone(), parameters: None })
                .send()
                .await?;
            let point = &created.checkpoint;
            println!("backup of vault {vault_id} started: restore point {}", point.id);
            println!("  status:  {:?} ({})", point.status, point.status);
            println!("  created: {}", point.created_at);
            for resource in point.vault.iter().flat_map(|v| v.resources.iter().flatten()) {
                println!("  resource {} ({}, {})", resource.id, resource.name, resource.type_);
            }
            println!("request id {}, {} attempt(s)", created.meta.request_id().unwrap_or("-"), created.meta.attempts());
        }
        "backups" => {
            let mut request = cbr::Client::new(config)?.list_backups();
            if let Some(vault_id) = args.get(1).filter(|v| !v.is_empty()) {
                request = request.vault_id(vault_id.as_str());
            }
            if let Some(text) = args.get(2) {
                let status: BackupStatus = text.parse()?;
                if status.is_unknown() {
                    return Err(format!("backup status {text:?} is not one of the documented values; {USAGE}").into());
                }
                request = request.status(status);
            }
            let mut backups = pin!(request.paginate().items());
            let mut count = 0;
            let show = |value: Option<String>| value.unwrap_or_else(|| "-".to_owned());
            while let Some(backup) = backups.next().await {
                let backup = backup?;
                count += 1;
                println!(
                    "  {}  {}  {}  vault {}  resource {}  created {}",
                    show(backup.id),
                    show(backup.name),
                    show(backup.status.map(|s| s.to_string())),
                    show(backup.vault_id),
                    show(backup.resource_name),
                    show(backup.created_at.map(|t| t.to_string()))
                );
            }
            println!("{count} backup(s)");
        }
        "dis-tasks" => {
            let stream = args.get(1).ok_or(USAGE)?;
            let listed = dis::Client::new(config)?.list_transfer_tasks().stream_name(stream.as_str()).send().await?;
            let quota = listed.quota.map_or_else(|| "-".to_owned(), |q| q.to_string());
            println!("stream {stream}: {} dump task(s), {quota} more allowed", listed.total_number);
            for task in listed.tasks.iter().flatten() {
                println!(
                    "  {}  {}  {}  to {}  created {}  last dump {}",
                    task.task_id.as_deref().unwrap_or("-"),
                    task.task_name,
                    task.state,
                    task.destination_type,
                    when(&task.create_time),
                    task.last_transfer_timestamp.as_ref().map_or_else(|| "-".to_owned(), when)
                );
            }
            println!("request id {}, {} attempt(s)", listed.meta.request_id().unwrap_or("-"), listed.meta.attempts());
        }
        "dis-stop" => {
            let (stream, tasks) = stream_and_task(&args)?;
            let stopped = dis::Client::new(config)?
                .batch_stop_transfer_task()
                .stream_name(stream.as_str())
                .action(StopAction::Stop)
                .tasks(tasks)
                .send()
                .await?;
            println!("stop requested for task {} of stream {stream}", args[2]);
            println!("request id {}, {} attempt(s)", stopped.meta.request_id().unwrap_or("-"), stopped.meta.attempts());
        }
        "dis-start" => {
            let (stream, tasks) = stream_and_task(&args)?;
            let started = dis::Client::new(config)?
                .batch_start_transfer_task()
                .stream_name(stream.as_str())
                .action(StartAction::Start)
                .tasks(tasks)
                .send()
                .await?;
            println!("start requested for task {} of stream {stream}", args[2]);
            println!("request id {}, {} attempt(s)", started.meta.request_id().unwrap_or("-"), started.meta.attempts());
        }
        _ => return Err(USAGE.into()),
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
