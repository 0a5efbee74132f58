//! `cloud-task-apis`: call any generated operation from the command line and print the typed
//! response as JSON. Flags are named after the operation's parameters (wire names); the
//! command tree is built from the tables the generator emits, so a new spec needs no change.
//!
//! ```text
//! cargo install --path cli        # from the repository root
//! cloud-task-apis list
//! cloud-task-apis [--simulator] [--region R] [--endpoint URL] [--signing S] <provider> <service> <Operation> --Param value ... [--all]
//! cloud-task-apis wait [--timeout S] [--interval S] <provider> <service> <Operation> --Param value ...
//! ```
//!
//! Credentials come from each provider's environment variables, or from the in-process
//! simulator with `--simulator` (offline). Output: one response as indented JSON, or with
//! `--all` one item per line; a `null` member is left out like an absent one. Exit status: 0 on
//! success, 1 when the call, the task or the configuration failed, 2 for bad arguments.

mod connect;
mod output;
mod params;
mod progress;
mod tree;

use std::process::ExitCode;
use std::time::Duration;

use clap::ArgMatches;
use cloud_task_apis::__private::calls::{Operation, Service};
use cloud_task_apis::WaitPolicy;
use futures_util::StreamExt;

/// The operation a command names, and the matches holding its flags.
fn target<'m>(
    matches: &'m ArgMatches,
    services: &[&'static Service],
) -> Result<(&'static Service, &'static Operation, &'m ArgMatches), String> {
    let (provider, provider_matches) = matches.subcommand().ok_or("no provider given")?;
    let (service, service_matches) = provider_matches.subcommand().ok_or("no service given")?;
    let (operation, args) = service_matches.subcommand().ok_or("no operation given")?;
    let service = services
        .iter()
        .find(|s| s.provider == provider && s.name == service)
        .ok_or_else(|| format!("unknown service {provider} {service}"))?;
    let operation = service
        .operations
        .iter()
        .find(|o| o.name == operation)
        .ok_or_else(|| format!("unknown operation {operation}"))?;
    Ok((service, operation, args))
}

/// The parameters given, by wire name, as JSON values of their kinds.
fn arguments(
    description: params::Description,
    args: &ArgMatches,
) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    let mut arguments = serde_json::Map::new();
    for param in description.params {
        if let Some(text) = args.get_one::<String>(&param.name) {
            let value = param.kind.parse(text).map_err(|e| format!("--{}: {e}", param.name))?;
            arguments.insert(param.name, value);
        }
    }
    Ok(arguments)
}

/// A flag's value, `false` when the operation does not have the flag.
fn flag(args: &ArgMatches, id: &str) -> bool {
    args.try_get_one::<bool>(id).ok().flatten().copied().unwrap_or(false)
}

fn seconds(args: &ArgMatches, id: &str) -> Result<Option<Duration>, String> {
    match args.try_get_one::<f64>(id).ok().flatten() {
        None => Ok(None),
        Some(value) => Duration::try_from_secs_f64(*value)
            .map(Some)
            .map_err(|_| format!("--{id}: expected a number of seconds, got {value}")),
    }
}

fn print_request_id(request_id: Option<&str>) {
    if let Some(id) = request_id {
        eprintln!("request id: {id}");
    }
}

/// One call, or every page with `--all`.
async fn call(matches: &ArgMatches, services: &[&'static Service]) -> Result<(), String> {
    let (service, operation, args) = target(matches, services)?;
    let description = params::describe(service, operation.name);
    let needs_project_id = description.needs_project_id;
    let arguments = arguments(description, args)?;
    let connection = connect::connect(args, service, needs_project_id).await?;
    if let (true, Some(pages)) = (flag(args, "all"), operation.pages) {
        let mut pages = pages(connection.client.clone(), arguments);
        while let Some(page) = pages.next().await {
            let page = page?;
            print_request_id(page.request_id.as_deref());
            if !output::print_lines(page.items) {
                break;
            }
        }
        return Ok(());
    }
    let (response, request_id) = (operation.call)(connection.client.clone(), arguments).await?;
    print_request_id(request_id.as_deref());
    output::print_response(response);
    Ok(())
}

/// Polls until the task ends; the last response goes to stdout whatever the outcome.
async fn wait(matches: &ArgMatches, services: &[&'static Service]) -> Result<(), String> {
    let (service, operation, args) = target(matches, services)?;
    let poll = operation.wait.ok_or_else(|| format!("{} has no waiter", operation.name))?;
    let description = params::describe(service, operation.name);
    let needs_project_id = description.needs_project_id;
    let arguments = arguments(description, args)?;
    let mut policy = WaitPolicy::new(seconds(args, "timeout")?.unwrap_or(Duration::from_secs(1800)));
    if let Some(interval) = seconds(args, "interval")? {
        // No pause between polls would send requests as fast as the provider answers them.
        if interval.is_zero() {
            return Err("--interval: expected more than 0 seconds, got 0".to_owned());
        }
        policy = policy.delays(interval, interval);
    }
    let connection = connect::connect(args, service, needs_project_id).await?;
    let progress = progress::Progress::start();
    let outcome = poll(connection.client.clone(), arguments, policy, progress.observer()).await;
    progress.finish();
    match outcome {
        Ok((response, request_id)) => {
            print_request_id(request_id.as_deref());
            output::print_response(response);
            Ok(())
        }
        Err(failure) => {
            if let Some(last) = failure.last {
                output::print_response(last);
            }
            Err(failure.message)
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let services = cloud_task_apis::__private::calls::services();
    let matches = tree::command(&services).get_matches();
    let outcome = match matches.subcommand() {
        Some(("list", _)) => {
            // A closed stdout (`| head`) ends the listing; it is not an error.
            let _ = tree::list(&services, &mut std::io::stdout().lock());
            Ok(())
        }
        Some(("wait", wait_matches)) => wait(wait_matches, &services).await,
        _ => call(&matches, &services).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
