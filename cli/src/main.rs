//! `cloud-task-apis`: call any generated operation from the command line and print the typed
//! response as JSON. Flags are named after the operation's parameters (wire names); the
//! command tree is built from the tables the generator emits, so a new spec needs no change.
//!
//! ```text
//! cargo install --path cli        # from the repository root
//! cloud-task-apis list
//! cloud-task-apis [--simulator] [--region R] <provider> <service> <Operation> --Param value ...
//! ```
//!
//! Credentials come from each provider's environment variables, or from the in-process
//! simulator with `--simulator` (offline).

use std::io::Write;
use std::process::ExitCode;

mod params;

use clap::{Arg, ArgAction, ArgMatches, Command};
use cloud_task_apis::__private::calls::{self, Service};
use cloud_task_apis::{ClientHandle, Config, Provider};
use cloud_task_apis_simulator::Simulator;

fn provider(name: &str) -> Option<Provider> {
    match name {
        "alibaba" => Some(Provider::Alibaba),
        "huawei" => Some(Provider::Huawei),
        "tencent" => Some(Provider::Tencent),
        _ => None,
    }
}

/// The region from the flag, the provider's usual variable, or a default for the simulator.
fn region(matches: &ArgMatches, provider: Provider, simulator: bool) -> Result<String, String> {
    if let Some(region) = matches.get_one::<String>("region") {
        return Ok(region.clone());
    }
    let (variable, default) = match provider {
        Provider::Alibaba => ("ALIBABA_CLOUD_REGION_ID", "cn-hangzhou"),
        Provider::Huawei => ("HUAWEICLOUD_SDK_REGION", "cn-north-4"),
        Provider::Tencent => ("TENCENTCLOUD_REGION", "ap-guangzhou"),
    };
    match std::env::var(variable) {
        Ok(region) if !region.is_empty() => Ok(region),
        _ if simulator => Ok(default.to_owned()),
        _ => Err(format!("no region: pass --region or set {variable}")),
    }
}

fn command(services: &[&'static Service]) -> Command {
    let mut root = Command::new("cloud-task-apis")
        .about("Calls an operation of a cloud task API and prints the response as JSON")
        .subcommand_required(true)
        .arg(Arg::new("region").long("region").global(true).help("Region id (default: the provider's region variable)"))
        .arg(
            Arg::new("endpoint")
                .long("endpoint")
                .global(true)
                .help("Send requests here instead of the regional endpoint"),
        )
        .arg(
            Arg::new("project-id")
                .long("project-id")
                .global(true)
                .help("Huawei project id (default: HUAWEICLOUD_SDK_PROJECT_ID)"),
        )
        .arg(
            Arg::new("simulator")
                .long("simulator")
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Call the in-process simulator instead of the cloud (offline)"),
        )
        .subcommand(Command::new("list").about("Lists every operation with its parameters"));
    let mut providers: Vec<&str> = services.iter().map(|s| s.provider).collect();
    providers.dedup();
    for provider in providers {
        let mut provider_command = Command::new(provider).subcommand_required(true);
        for service in services.iter().filter(|s| s.provider == provider) {
            let mut service_command = Command::new(service.name).subcommand_required(true);
            for operation in service.operations {
                let description = params::describe(service, operation.name);
                let mut operation_command = Command::new(operation.name).about(description.summary);
                for param in description.params {
                    operation_command = operation_command.arg(
                        Arg::new(param.name.clone())
                            .long(param.name)
                            .value_name(param.kind.placeholder())
                            .required(param.required)
                            .help(param.help),
                    );
                }
                service_command = service_command.subcommand(operation_command);
            }
            provider_command = provider_command.subcommand(service_command);
        }
        root = root.subcommand(provider_command);
    }
    root
}

/// Writes every operation with its parameters; stops quietly when stdout is closed (`| head`).
fn list(services: &[&'static Service], out: &mut impl Write) -> std::io::Result<()> {
    for service in services {
        for operation in service.operations {
            let description = params::describe(service, operation.name);
            writeln!(out, "{} {} {}: {}", service.provider, service.name, operation.name, description.summary)?;
            for param in &description.params {
                let required = if param.required { "required" } else { "optional" };
                writeln!(out, "    --{} <{}> ({required}) {}", param.name, param.kind.placeholder(), param.help)?;
            }
        }
    }
    out.flush()
}

async fn call(matches: &ArgMatches, services: &[&'static Service]) -> Result<(), String> {
    let Some((provider_name, provider_matches)) = matches.subcommand() else {
        return Err("no provider given".to_owned());
    };
    let Some((service_name, service_matches)) = provider_matches.subcommand() else {
        return Err("no service given".to_owned());
    };
    let Some((operation_name, args)) = service_matches.subcommand() else {
        return Err("no operation given".to_owned());
    };
    let service = services
        .iter()
        .find(|s| s.provider == provider_name && s.name == service_name)
        .ok_or_else(|| format!("unknown service {provider_name} {service_name}"))?;
    let operation = service
        .operations
        .iter()
        .find(|o| o.name == operation_name)
        .ok_or_else(|| format!("unknown operation {operation_name}"))?;
    let provider = provider(provider_name).ok_or_else(|| format!("unknown provider {provider_name}"))?;

    let mut arguments = serde_json::Map::new();
    for param in params::describe(service, operation.name).params {
        if let Some(text) = args.get_one::<String>(&param.name) {
            let value = param.kind.parse(text).map_err(|e| format!("--{}: {e}", param.name))?;
            arguments.insert(param.name, value);
        }
    }

    let simulated = args.get_flag("simulator");
    let region = region(args, provider, simulated)?;
    let simulator = if simulated {
        Some(Simulator::start().await.map_err(|e| format!("cannot start the simulator: {e}"))?)
    } else {
        None
    };
    let mut config = match &simulator {
        Some(simulator) => simulator.config(provider, region),
        None => Config::from_env(provider, region).map_err(|e| e.to_string())?,
    };
    if let Some(endpoint) = args.get_one::<String>("endpoint") {
        config = config.endpoint(endpoint.clone());
    }
    if let Some(project) = args.get_one::<String>("project-id") {
        config = config.project_id(project.clone());
    }
    let client = ClientHandle::new(service.spec, config).map_err(|e| e.to_string())?;
    let (response, request_id) = (operation.call)(client, arguments).await?;
    if let Some(id) = request_id {
        eprintln!("request id: {id}");
    }
    let text = serde_json::to_string_pretty(&response).map_err(|e| e.to_string())?;
    let mut out = std::io::stdout().lock();
    // A closed stdout (`| head`) ends the output; it is not an error of the call.
    let _ = writeln!(out, "{text}").and_then(|()| out.flush());
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let services = calls::services();
    let matches = command(&services).get_matches();
    if matches.subcommand_name() == Some("list") {
        // A closed stdout (`| head`) ends the listing; it is not an error.
        let _ = list(&services, &mut std::io::stdout().lock());
        return ExitCode::SUCCESS;
    }
    match call(&matches, &services).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
