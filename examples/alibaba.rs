//! Alibaba Cloud ActionTrail: the lifecycle of a data backfill task (delivery history job):
//! create one, list them, query or wait for one, and delete it.
//!
//! ```text
//! export ALIBABA_CLOUD_ACCESS_KEY_ID=... ALIBABA_CLOUD_ACCESS_KEY_SECRET=...
//! export ALIBABA_CLOUD_REGION_ID=cn-hangzhou          # optional, this is the default
//! cargo run --example alibaba -- create trail-name     # or ACTIONTRAIL_TRAIL_NAME=trail-name
//! cargo run --example alibaba -- list [trail-name]     # every page; only that trail's tasks if named
//! cargo run --example alibaba -- get 16602             # or ACTIONTRAIL_JOB_ID=16602
//! cargo run --example alibaba -- wait 16602            # polls until complete or failed (30 min at most)
//! cargo run --example alibaba -- delete 16602
//! ```
//!
//! `ALIBABA_CLOUD_SECURITY_TOKEN` adds an STS token. A create is retried with one client token,
//! so it never starts two tasks; pass your own as a third argument to make a rerun of the
//! program idempotent too. Only one task runs at a time in an account. A delete has no
//! idempotency token, so it is not sent again once it may have reached the server (after a
//! timeout or a server error); list the tasks to see whether it happened.

use std::error::Error;
use std::pin::pin;
use std::process::ExitCode;

use cloud_task_apis::alibaba::actiontrail::Client;
use cloud_task_apis::{Config, Provider, WaitPolicy};
use futures_util::StreamExt;

const USAGE: &str = "usage: alibaba create <trail-name> [client-token] | alibaba list [trail-name] \
                     | alibaba get <job-id> | alibaba wait <job-id> | alibaba delete <job-id>";

/// The argument at `index`, or the environment variable `env`.
fn arg_or_env(args: &[String], index: usize, env: &str) -> Option<String> {
    args.get(index).cloned().or_else(|| std::env::var(env).ok().filter(|v| !v.is_empty()))
}

/// The job id at `index` (or in `ACTIONTRAIL_JOB_ID`), as the number the API takes.
fn job_id(args: &[String], index: usize) -> Result<i64, Box<dyn Error>> {
    let text = arg_or_env(args, index, "ACTIONTRAIL_JOB_ID").ok_or(USAGE)?;
    Ok(text.parse().map_err(|_| format!("job id {text:?} is not a number; {USAGE}"))?)
}

async fn run() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let region = std::env::var("ALIBABA_CLOUD_REGION_ID").unwrap_or_else(|_| "cn-hangzhou".to_owned());
    let client = Client::new(Config::from_env(Provider::Alibaba, region)?)?;

    match args.first().map(String::as_str).unwrap_or("get") {
        "get" => {
            let job = client.get_delivery_history_job().job_id(job_id(&args, 1)?).send().await?;
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
        "list" => {
            // ListDeliveryHistoryJobs has no trail filter: every page is fetched and filtered here.
            let trail = args.get(1);
            let mut jobs = pin!(client.list_delivery_history_jobs().paginate().items());
            let mut shown = 0;
            while let Some(job) = jobs.next().await {
                let job = job?;
                if trail.is_some_and(|t| *t != job.trail_name) {
                    continue;
                }
                shown += 1;
                println!("  {:<10} {:<24} {:?}", job.job_id, job.trail_name, job.job_status);
            }
            match trail {
                Some(trail) => println!("{shown} task(s) of trail {trail}"),
                None => println!("{shown} task(s)"),
            }
        }
        "wait" => {
            let id = job_id(&args, 1)?;
            let job = client
                .get_delivery_history_job()
                .job_id(id)
                .wait_until_done(WaitPolicy::default(), |poll| {
                    println!("  poll {} after {:?}: {:?}", poll.polls, poll.elapsed, poll.response.job_status);
                })
                .await?;
            println!("job {id} of trail {} is {:?}", job.trail_name, job.job_status);
        }
        "delete" => {
            let id = job_id(&args, 1)?;
            let deleted = client.delete_delivery_history_job().job_id(id).send().await?;
            println!("deleted job {id}");
            println!("request id {}, {} attempt(s)", deleted.request_id, deleted.meta.attempts());
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
