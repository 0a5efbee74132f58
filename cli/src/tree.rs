//! The command tree, built from the generated tables and the embedded specs: one subcommand per
//! provider, service and operation, one flag per parameter (enum flags accept only the values
//! their spec lists), `--all` on paged operations, and the `wait` tree of the operations that
//! have a waiter. Nothing here is written per operation.

use std::io::Write;

use crate::params::{self, Param, signing_schemes};
use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::{Arg, ArgAction, Command};
use cloud_task_apis::__private::calls::{Operation, Service};

/// Which tree an operation command belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tree {
    /// `cloud-task-apis <provider> <service> <Operation>`: one call (or every page).
    Call,
    /// `cloud-task-apis wait <provider> <service> <Operation>`: poll until the task ends.
    Wait,
}

/// The whole command line.
pub(crate) fn command(services: &[&'static Service]) -> Command {
    let mut schemes: Vec<&str> = services.iter().flat_map(|s| signing_schemes(s)).map(|(name, _)| name).collect();
    schemes.sort_unstable();
    schemes.dedup();
    let root = Command::new("cloud-task-apis")
        .about("Calls an operation of a cloud task API and prints the response as JSON")
        .subcommand_required(true)
        .arg(
            Arg::new("region")
                .long("region")
                .value_name("REGION")
                .global(true)
                .help("Region id (default: the provider's region variable; not needed with --endpoint)"),
        )
        .arg(
            Arg::new("endpoint")
                .long("endpoint")
                .value_name("URL")
                .global(true)
                .help("Send requests here instead of the regional endpoint (plain http:// only to this machine)"),
        )
        .arg(
            Arg::new("allow-http")
                .long("allow-http")
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Allow a plain http:// --endpoint on another machine (requests travel unencrypted)"),
        )
        .arg(
            Arg::new("signing")
                .long("signing")
                .global(true)
                .value_name("SCHEME")
                .value_parser(PossibleValuesParser::new(schemes))
                .help("Signing scheme, among those the service accepts (default: the service's first)"),
        )
        .arg(
            Arg::new("project-id")
                .long("project-id")
                .value_name("ID")
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
        .subcommand(Command::new("list").about("Lists every operation with its parameters"))
        .subcommand(
            Command::new("wait")
                .about("Polls an operation until its task succeeds or fails; progress on stderr, the last response on stdout")
                .subcommand_required(true)
                .arg(
                    Arg::new("timeout")
                        .long("timeout")
                        .global(true)
                        .value_name("SECONDS")
                        .value_parser(clap::value_parser!(f64))
                        .default_value("1800")
                        .help("Give up after this long"),
                )
                .arg(
                    Arg::new("interval")
                        .long("interval")
                        .global(true)
                        .value_name("SECONDS")
                        .value_parser(clap::value_parser!(f64))
                        .help("Poll about this often (default: after 2 s, backing off to every 30 s)"),
                )
                .subcommands(providers(services, Tree::Wait)),
        );
    root.subcommands(providers(services, Tree::Call))
}

fn providers(services: &[&'static Service], tree: Tree) -> Vec<Command> {
    let mut names: Vec<&str> = services.iter().map(|s| s.provider).collect();
    names.dedup();
    names
        .into_iter()
        .filter_map(|provider| {
            let services: Vec<Command> = services
                .iter()
                .filter(|s| s.provider == provider)
                .filter_map(|service| service_command(service, tree))
                .collect();
            (!services.is_empty()).then(|| Command::new(provider).subcommand_required(true).subcommands(services))
        })
        .collect()
}

fn service_command(service: &'static Service, tree: Tree) -> Option<Command> {
    let signing = signing_help(service);
    let operations: Vec<Command> = service
        .operations
        .iter()
        .filter(|o| tree == Tree::Call || o.wait.is_some())
        .map(|o| operation_command(service, o, tree).after_help(signing.clone()))
        .collect();
    (!operations.is_empty())
        .then(|| Command::new(service.name).subcommand_required(true).about(signing).subcommands(operations))
}

/// `Signing: acs3_hmac_sha256 (default) or rpc_hmac_sha1`.
fn signing_help(service: &Service) -> String {
    let schemes: Vec<&str> = signing_schemes(service).into_iter().map(|(name, _)| name).collect();
    match schemes.split_first() {
        Some((first, [])) => format!("Signing: {first}"),
        Some((first, rest)) => format!("Signing: {first} (default) or {}", rest.join(" or ")),
        None => String::new(),
    }
}

fn operation_command(service: &Service, operation: &Operation, tree: Tree) -> Command {
    let description = params::describe(service, operation.name);
    let mut command = Command::new(operation.name).about(description.summary);
    for param in description.params {
        command = command.arg(param_arg(param));
    }
    if tree == Tree::Call && operation.pages.is_some() {
        command = command.arg(
            Arg::new("all")
                .long("all")
                .action(ArgAction::SetTrue)
                .help("Fetch every page from the one asked for; print each item as one line of JSON"),
        );
    }
    command
}

/// A parameter's flag. Values that look like negative numbers are values (`--offset -1`), so
/// they reach the request's validation.
fn param_arg(param: Param) -> Arg {
    let mut arg = Arg::new(param.name.clone())
        .long(param.name)
        .value_name(param.kind.placeholder())
        .required(param.required)
        .allow_negative_numbers(true)
        .help_heading("Parameters")
        .help(param.help);
    if !param.choices.is_empty() {
        let values = param.choices.into_iter().map(|c| PossibleValue::new(c.value).help(c.help));
        arg = arg.value_parser(PossibleValuesParser::new(values));
    }
    arg
}

/// Writes every operation with its parameters; stops quietly when stdout is closed (`| head`).
pub(crate) fn list(services: &[&'static Service], out: &mut impl Write) -> std::io::Result<()> {
    for service in services {
        for operation in service.operations {
            let description = params::describe(service, operation.name);
            writeln!(out, "{} {} {}: {}", service.provider, service.name, operation.name, description.summary)?;
            for param in &description.params {
                let required = if param.required { "required" } else { "optional" };
                write!(out, "    --{} <{}> ({required}) {}", param.name, param.kind.placeholder(), param.help)?;
                if !param.choices.is_empty() {
                    let values: Vec<&str> = param.choices.iter().map(|c| c.value.as_str()).collect();
                    write!(out, " [one of: {}]", values.join(", "))?;
                }
                writeln!(out)?;
            }
            if operation.pages.is_some() {
                writeln!(out, "    --all: every page, one item per line")?;
            }
            if operation.wait.is_some() {
                writeln!(
                    out,
                    "    wait: cloud-task-apis wait {} {} {} ...",
                    service.provider, service.name, operation.name
                )?;
            }
        }
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_tree_is_consistent() {
        // clap's own checks over every subcommand: no flag of an operation clashes with the
        // tool's flags, every id is unique.
        command(&cloud_task_apis::__private::calls::services()).debug_assert();
    }
}
