//! Tencent Cloud CLS (legacy API): the shipping tasks of a shipper over the last day.
//!
//! ```text
//! export TENCENTCLOUD_SECRET_ID=... TENCENTCLOUD_SECRET_KEY=...
//! export TENCENTCLOUD_REGION=ap-guangzhou              # optional, this is the default
//! export CLS_INTERNAL=1                               # optional: the intranet host
//! cargo run --example tencent -- <shipper-id>          # or CLS_SHIPPER_ID=...
//! cargo run --example tencent -- <shipper-id> "2024-05-01 00:00:00" "2024-05-01 23:59:59"
//! ```
//!
//! Times are Beijing time (UTC+8); CLS answers for the last three days only. The default host is
//! the public `<region>.cls.tencentcs.com`; on Tencent Cloud machines in the region,
//! `CLS_INTERNAL=1` chooses the intranet `<region>.cls.tencentyun.com` (the spec's `internal`
//! endpoint), which does not resolve anywhere else.
//! `TENCENTCLOUD_TOKEN` adds the token of temporary credentials.

use std::error::Error;
use std::process::ExitCode;

use cloud_task_apis::tencent::cls::Client;
use cloud_task_apis::value::LocalDateTime;
use cloud_task_apis::{Config, Provider};
use time::{Duration, OffsetDateTime};

const USAGE: &str = "usage: tencent <shipper-id> [\"YYYY-MM-DD HH:MM:SS\" \"YYYY-MM-DD HH:MM:SS\"]";

async fn run() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let shipper_id = args
        .first()
        .cloned()
        .or_else(|| std::env::var("CLS_SHIPPER_ID").ok().filter(|v| !v.is_empty()))
        .ok_or(USAGE)?;
    let now = OffsetDateTime::now_utc();
    let start: LocalDateTime<28800> = match args.get(1) {
        Some(text) => text.parse()?,
        None => (now - Duration::days(1)).into(),
    };
    let end: LocalDateTime<28800> = match args.get(2) {
        Some(text) => text.parse()?,
        None => now.into(),
    };

    let region = std::env::var("TENCENTCLOUD_REGION").unwrap_or_else(|_| "ap-guangzhou".to_owned());
    let mut config = Config::from_env(Provider::Tencent, region)?;
    if std::env::var("CLS_INTERNAL").is_ok_and(|v| v == "1") {
        config = config.named_endpoint("internal");
    }
    let response = Client::new(config)?
        .list_shipping_tasks()
        .shipper_id(shipper_id.as_str())
        .start_time(start)
        .end_time(end)
        .send()
        .await?;

    println!("shipper {shipper_id}: {} task(s) from {start} to {end} (UTC+8)", response.tasks.len());
    for task in &response.tasks {
        println!(
            "  {}  {:?}  data {} .. {}, ran {} .. {}  {}",
            task.task_id, task.status, task.range_start, task.range_end, task.start_time, task.end_time, task.message
        );
    }
    println!("request id {}, {} attempt(s)", response.meta.request_id().unwrap_or("-"), response.meta.attempts());
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
