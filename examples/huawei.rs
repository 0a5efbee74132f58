//! Huawei Cloud: the log of a DIS dump task, or a CBR operation log.
//!
//! ```text
//! export HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... HUAWEICLOUD_SDK_PROJECT_ID=...
//! export HUAWEICLOUD_SDK_REGION=cn-north-4             # optional, this is the default
//! cargo run --example huawei -- dis <task-id>          # or DIS_TASK_ID=...
//! cargo run --example huawei -- cbr <operation-log-id> # or CBR_OPERATION_LOG_ID=...
//! ```
//!
//! `HUAWEICLOUD_SDK_AUTH_TOKEN` (an IAM token) can replace the AK/SK pair;
//! `HUAWEICLOUD_SDK_SECURITY_TOKEN` adds the token of temporary AK/SK.

use std::error::Error;
use std::process::ExitCode;

use cloud_task_apis::huawei::dis::show_transfer_task_log::{PageInfo, SortBy, SortOrder};
use cloud_task_apis::huawei::{cbr, dis};
use cloud_task_apis::{Config, Provider};

const USAGE: &str = "usage: huawei dis <task-id> | huawei cbr <operation-log-id>";

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
                let when = |t: &cloud_task_apis::value::EpochMillis| {
                    t.as_offset_date_time().map_or_else(|| t.to_string(), |t| t.to_string())
                };
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
