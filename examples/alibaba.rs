//! Alibaba Cloud ActionTrail: query a data backfill task, or create one.
//!
//! ```text
//! export ALIBABA_CLOUD_ACCESS_KEY_ID=... ALIBABA_CLOUD_ACCESS_KEY_SECRET=...
//! export ALIBABA_CLOUD_REGION_ID=cn-hangzhou          # optional, this is the default
//! cargo run --example alibaba -- get 16602             # or ACTIONTRAIL_JOB_ID=16602
//! cargo run --example alibaba -- create trail-name     # or ACTIONTRAIL_TRAIL_NAME=trail-name
//! ```
//!
//! `ALIBABA_CLOUD_SECURITY_TOKEN` adds an STS token. A create is retried with one client token,
//! so it never starts two tasks; pass your own as a third argument to make a rerun of the
//! program idempotent too.

use std::error::Error;
use std::process::ExitCode;

use cloud_task_apis::alibaba::actiontrail::Client;
use cloud_task_apis::{Config, Provider};

const USAGE: &str = "usage: alibaba get <job-id> | alibaba create <trail-name> [client-token]";

/// The argument at `index`, or the environment variable `env`.
fn arg_or_env(args: &[String], index: usize, env: &str) -> Option<String> {
    args.get(index).cloned().or_else(|| std::env::var(env).ok().filter(|v| !v.is_empty()))
}

async fn run() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let region = std::env::var("ALIBABA_CLOUD_REGION_ID").unwrap_or_else(|_| "cn-hangzhou".to_owned());
    let client = Client::new(Config::from_env(Provider::Alibaba, region)?)?;

    match args.first().map(String::as_str).unwrap_or("get") {
        "get" => {
            let text = arg_or_env(&args, 1, "ACTIONTRAIL_JOB_ID").ok_or(USAGE)?;
            let job_id: i64 = text.parse().map_err(|_| format!("job id {text:?} is not a number; {USAGE}"))?;
            let job = client.get_delivery_history_job().job_id(job_id).send().await?;
            println!("job {} of trail {} (home region {})", job.job_id, job.trail_name, job.home_region);
            println!("  status:  {:?} ({})", job.job_status, job.job_status);
            println!("  created: {}", job.created_time);
            println!("  started: {}", job.start_time);
            match &job.end_time {
                Some(end) => println!("  ended:   {end}"),
                None => println!("  ended:   not yet"),
            }
            println!("  updated: {}", job.updated_time);
            for region in job.status.iter().flatten() {
                println!("  {:<16} {:?}", region.region, region.status);
            }
            println!("request id {}, {} attempt(s)", job.meta.request_id().unwrap_or("-"), job.meta.attempts());
        }
        "create" => {
            let trail = arg_or_env(&args, 1, "ACTIONTRAIL_TRAIL_NAME").ok_or(USAGE)?;
            let mut request = client.create_delivery_history_job().trail_name(trail.as_str());
            if let Some(token) = args.get(2) {
                request = request.client_token(token.as_str());
            }
            let job = request.send().await?;
            println!("created job {} for trail {trail}", job.job_id);
            println!("request id {}, {} attempt(s)", job.request_id, job.meta.attempts());
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
