//! Tencent Cloud CLS through Tencent Cloud API 3.0: the shipping task runs of a shipper over the
//! last day (an epoch-millisecond window), and, with `--retry-failed`, a retry of the failed ones.
//!
//! ```text
//! export TENCENTCLOUD_SECRET_ID=... TENCENTCLOUD_SECRET_KEY=...
//! export TENCENTCLOUD_REGION=ap-guangzhou      # optional, this is the default (sent as X-TC-Region)
//! export CLS_ENDPOINT_CHOICE=international     # optional: cls.intl.tencentcloudapi.com, or `regional`
//! cargo run --example tencent -- <shipper-id>                 # or CLS_SHIPPER_ID=...
//! cargo run --example tencent -- <shipper-id> --retry-failed
//! ```
//!
//! CLS answers for the last three days only. `TENCENTCLOUD_SESSION_TOKEN` adds the token of
//! temporary credentials. RetryShipperTask has no idempotency token, so the client does not send
//! it again after a timeout or a server error (the task might already be running again); a task
//! that is not failed is refused with `FailedOperation.ShipperTaskNotToRetry`. The legacy CLS API
//! (`GET /tasks`, `tencent::cls`) stays available.

use std::error::Error;
use std::process::ExitCode;

use cloud_task_apis::tencent::cls3::describe_shipper_tasks::ShipperTaskStatus;
use cloud_task_apis::tencent::cls3::{Client, retry_shipper_task};
use cloud_task_apis::value::EpochMillis;
use cloud_task_apis::{Config, Provider};
use time::{Duration, OffsetDateTime};

const USAGE: &str = "usage: tencent <shipper-id> [--retry-failed]";

async fn run() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let retry_failed = args.iter().any(|a| a == "--retry-failed");
    let shipper_id = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .or_else(|| std::env::var("CLS_SHIPPER_ID").ok().filter(|v| !v.is_empty()))
        .ok_or(USAGE)?;
    let now = OffsetDateTime::now_utc();
    let (start, end) = (EpochMillis::from(now - Duration::days(1)), EpochMillis::from(now));

    let region = std::env::var("TENCENTCLOUD_REGION").unwrap_or_else(|_| "ap-guangzhou".to_owned());
    let mut config = Config::from_env(Provider::Tencent, region)?;
    if let Some(choice) = std::env::var("CLS_ENDPOINT_CHOICE").ok().filter(|v| !v.is_empty()) {
        config = config.named_endpoint(choice);
    }
    let cls = Client::new(config)?;
    let listed =
        cls.describe_shipper_tasks().shipper_id(shipper_id.as_str()).start_time(start).end_time(end).send().await?;

    let tasks = listed.tasks.unwrap_or_default();
    println!("shipper {shipper_id}: {} task run(s) between {start} and {end} (epoch ms)", tasks.len());
    for task in &tasks {
        println!(
            "  {}  {:?}  data {} .. {}, ran {} .. {}  {}",
            task.task_id, task.status, task.range_start, task.range_end, task.start_time, task.end_time, task.message
        );
    }
    println!("request id {}, {} attempt(s)", listed.request_id, listed.meta.attempts());

    if retry_failed {
        for task in tasks.iter().filter(|t| t.status == ShipperTaskStatus::Failed) {
            let retried =
                cls.retry_shipper_task().shipper_id(shipper_id.as_str()).task_id(task.task_id.as_str()).send();
            match retried.await {
                Ok(answer) => println!("retried {} (request id {})", task.task_id, answer.request_id),
                Err(retry_shipper_task::Error::FailedOperationShipperTaskNotToRetry(e)) => {
                    println!("{} cannot be retried now: {}", task.task_id, e.message());
                }
                Err(other) => return Err(other.into()),
            }
        }
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
