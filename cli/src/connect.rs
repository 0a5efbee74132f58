//! From the global flags to a client of one service: region, endpoint (plain HTTP only to this
//! machine or with `--allow-http`), signing scheme among those the service's spec lists, and
//! credentials from the provider's environment variables or the in-process simulator.

use std::net::IpAddr;

use crate::params::signing_schemes;
use clap::ArgMatches;
use cloud_task_apis::__private::calls::Service;
use cloud_task_apis::{ClientHandle, Config, ConfigError, Credentials, Provider, Signing};
use cloud_task_apis_simulator::Simulator;

/// The variable `Config::from_env` reads the Huawei project id from.
const PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";

/// A client, and the simulator it talks to when `--simulator` was given.
#[derive(Debug)]
pub(crate) struct Connection {
    /// The client of the chosen service.
    pub(crate) client: ClientHandle,
    /// Kept alive while the client is used.
    _simulator: Option<Simulator>,
}

/// Builds the client `args` ask for, for an operation that may need a project id.
///
/// # Errors
/// One line naming the flag or environment variable to set.
pub(crate) async fn connect(
    args: &ArgMatches,
    service: &Service,
    needs_project_id: bool,
) -> Result<Connection, String> {
    let provider = service.spec.provider;
    let signing = signing(args, service)?;
    let endpoint = args.get_one::<String>("endpoint");
    let plain_http_allowed = match endpoint {
        Some(endpoint) => check_plain_http(endpoint, args.get_flag("allow-http"))?,
        None => false,
    };
    let simulated = args.get_flag("simulator");
    let region = region(args, provider, simulated || endpoint.is_some())?;
    let simulator = if simulated {
        Some(Simulator::start().await.map_err(|e| format!("cannot start the simulator: {e}"))?)
    } else {
        None
    };
    let mut config = match &simulator {
        Some(sim) if signing == Some(Signing::HuaweiToken) => sim.huawei_token_config(region),
        Some(sim) => sim.config(provider, region),
        None => from_env(provider, region, signing)?,
    };
    if let Some(endpoint) = endpoint {
        config = config.endpoint(endpoint.clone()).allow_http(plain_http_allowed);
    }
    match args.get_one::<String>("project-id") {
        Some(project) => config = config.project_id(project.clone()),
        None if needs_project_id && simulator.is_none() && std::env::var(PROJECT_ID).is_ok_and(|p| !p.is_empty()) => {}
        None if needs_project_id && simulator.is_none() => {
            return Err(format!(
                "{} {} needs a project id here: pass --project-id or set {PROJECT_ID}",
                service.provider, service.name
            ));
        }
        None => {}
    }
    if let Some(signing) = signing {
        config = config.signing(signing);
    }
    let client = ClientHandle::new(service.spec, config).map_err(config_error)?;
    Ok(Connection { client, _simulator: simulator })
}

/// The scheme `--signing` names, if it is one the service accepts.
fn signing(args: &ArgMatches, service: &Service) -> Result<Option<Signing>, String> {
    let Some(word) = args.get_one::<String>("signing") else { return Ok(None) };
    let schemes = signing_schemes(service);
    match schemes.iter().find(|(name, _)| name == word) {
        Some((_, signing)) => Ok(Some(*signing)),
        None => {
            let accepted: Vec<&str> = schemes.iter().map(|(name, _)| *name).collect();
            Err(format!("--signing {word}: {} {} accepts {}", service.provider, service.name, accepted.join(" or ")))
        }
    }
}

/// Whether a plain-HTTP endpoint may be used: always for this machine (`localhost`,
/// 127.0.0.0/8, `::1`), elsewhere only with `--allow-http`. Other endpoints are HTTPS.
fn check_plain_http(endpoint: &str, allow_http: bool) -> Result<bool, String> {
    let Some(rest) = endpoint.strip_prefix("http://") else { return Ok(false) };
    if allow_http || is_loopback(host(rest)) {
        return Ok(true);
    }
    Err(format!(
        "--endpoint {endpoint} is plain HTTP to another machine: requests, signatures and tokens \
         would travel unencrypted; use https:// or pass --allow-http"
    ))
}

/// The host of `authority[/...]`, without port or IPv6 brackets.
fn host(authority: &str) -> &str {
    let authority = authority.split('/').next().unwrap_or_default();
    if let Some(bracketed) = authority.strip_prefix('[') {
        return bracketed.split(']').next().unwrap_or_default();
    }
    authority.split(':').next().unwrap_or_default()
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.to_canonical().is_loopback())
}

/// The region from the flag or the provider's usual variable. With the simulator or an
/// endpoint of its own, none is needed: the region only picks the regional host.
fn region(args: &ArgMatches, provider: Provider, needed_only_for_host: bool) -> Result<String, String> {
    if let Some(region) = args.get_one::<String>("region") {
        return Ok(region.clone());
    }
    let variable = match provider {
        Provider::Alibaba => "ALIBABA_CLOUD_REGION_ID",
        Provider::Huawei => "HUAWEICLOUD_SDK_REGION",
        Provider::Tencent => "TENCENTCLOUD_REGION",
    };
    match std::env::var(variable) {
        Ok(region) if !region.is_empty() => Ok(region),
        _ if needed_only_for_host => Ok(String::new()),
        _ => Err(format!("no region: pass --region or set {variable} (or pass --endpoint)")),
    }
}

/// A configuration with credentials from the environment; for Huawei, those of the chosen
/// scheme (an IAM token, or AK/SK even when a token is set too).
fn from_env(provider: Provider, region: String, signing: Option<Signing>) -> Result<Config, String> {
    let var = |name: &'static str| {
        std::env::var(name).ok().filter(|v| !v.is_empty()).ok_or_else(|| format!("set {name} (--signing needs it)"))
    };
    let config = Config::from_env(provider, region).map_err(config_error)?;
    Ok(match signing {
        Some(Signing::HuaweiToken) => config.credentials(Credentials::huawei_token(var("HUAWEICLOUD_SDK_AUTH_TOKEN")?)),
        Some(Signing::HuaweiSdkHmacSha256) => {
            let credentials = Credentials::huawei(var("HUAWEICLOUD_SDK_AK")?, var("HUAWEICLOUD_SDK_SK")?);
            config.credentials(match var("HUAWEICLOUD_SDK_SECURITY_TOKEN") {
                Ok(token) => credentials.with_security_token(token),
                Err(_) => credentials,
            })
        }
        _ => config,
    })
}

/// A configuration problem in the tool's terms (flags and variables, not Rust calls).
fn config_error(error: ConfigError) -> String {
    match error {
        ConfigError::PlainHttp(endpoint) => format!("--endpoint {endpoint} is plain HTTP; pass --allow-http"),
        ConfigError::InvalidRegion(region) => {
            format!("--region {region:?} is not a region id (letters, digits and '-')")
        }
        ConfigError::InvalidEndpoint(endpoint) => {
            format!("--endpoint {endpoint:?} is not a host[:port] or an http(s) URL without a path")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_allowed_to_this_machine_only_unless_asked() {
        for local in [
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://[::1]:80/",
            "http://LocalHost:1",
            "http://[::ffff:127.0.0.1]:1",
        ] {
            assert_eq!(check_plain_http(local, false), Ok(true), "{local}");
        }
        for remote in
            ["http://10.0.0.1:8080", "http://example.com", "http://[2001:db8::1]:80", "http://localhost.example.com"]
        {
            let refused = check_plain_http(remote, false).expect_err(remote);
            assert!(refused.contains("--allow-http") && !refused.contains("Config::"), "{refused}");
            assert_eq!(check_plain_http(remote, true), Ok(true));
        }
        assert_eq!(check_plain_http("https://example.com", false), Ok(false));
        assert_eq!(check_plain_http("example.com:443", false), Ok(false));
    }
}
