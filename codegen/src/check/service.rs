//! Rules about services and their set of operations.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::spec::model::{NamedEndpoint, Protocol, Provider, ServiceSpec, Signing};
use crate::spec::reader::Spanned;

/// Rule: a provider's services have distinct names (they become sibling modules).
pub fn check_unique_services(services: &[ServiceSpec], diags: &mut Diagnostics) {
    let mut seen = BTreeMap::new();
    for spec in services {
        let s = &spec.service;
        let key = (s.provider.value, s.service.value.clone());
        if let Some(first) = seen.insert(key, s.service.span) {
            diags.push(
                Diagnostic::error(s.service.span, format!("duplicate service `{}`", s.service.value))
                    .label("second service with this name")
                    .also(first, "first defined here")
                    .help("each service of a provider needs its own name"),
            );
        }
    }
}

/// Rule: the service file is internally consistent: a lowercase identifier (not a keyword) for
/// a name, an API version for RPC, signers of its own provider, a
/// well-formed time zone, an HTTP header name for the request id (required unless
/// `tencent_api3`, whose body carries it), and unique error codes with
/// real statuses.
pub fn check_service(spec: &ServiceSpec, diags: &mut Diagnostics) {
    let s = &spec.service;
    let name = &s.service.value;
    if name.is_empty()
        || !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        || name.starts_with(|c: char| c.is_ascii_digit())
    {
        diags.push(
            Diagnostic::error(s.service.span, format!("service name `{name}` is not a lowercase identifier"))
                .label("becomes a Rust module name")
                .help("use lowercase letters, digits and `_`, starting with a letter"),
        );
    }
    let usable = crate::ir::names::snake(name);
    if usable != *name && usable.strip_suffix('_') == Some(name.as_str()) {
        diags.push(
            Diagnostic::error(s.service.span, format!("service name `{name}` is a Rust keyword"))
                .label("becomes a Rust module name")
                .help(format!("choose another lowercase name, such as `{name}s`")),
        );
    }
    // Tencent Cloud API 3.0 sends the region in `X-TC-Region`: its hosts need no `{region}`.
    let regional = s.protocol.value != Protocol::TencentApi3;
    for host in std::iter::once(&s.endpoint).chain(s.endpoints.iter().map(|e| &e.host)) {
        check_host(host, regional, diags);
    }
    check_named_endpoints(&s.endpoints, diags);
    if s.protocol.value == Protocol::Rpc && s.api_version.is_none() {
        diags.push(
            Diagnostic::error(s.protocol.span, "`protocol: rpc` needs `api_version`")
                .label("RPC calls send `Version`")
                .help("add `api_version: \"YYYY-MM-DD\"`"),
        );
    }
    if s.signing.is_empty() {
        diags.push(
            Diagnostic::error(s.signing_span, "`signing` lists no signer")
                .label("calls could not be authenticated")
                .help("list the signers the provider accepts, the default first"),
        );
    }
    for signing in &s.signing {
        let owner = match signing.value {
            Signing::Acs3HmacSha256 | Signing::RpcHmacSha1 => Provider::Alibaba,
            Signing::HuaweiSdkHmacSha256 | Signing::HuaweiToken => Provider::Huawei,
            Signing::TencentQSignSha1 | Signing::TencentTc3HmacSha256 => Provider::Tencent,
        };
        if owner != s.provider.value {
            diags.push(
                Diagnostic::error(
                    signing.span,
                    format!("signer `{}` belongs to provider `{}`", signing.value.word(), owner.word()),
                )
                .label("not a signer of this provider")
                .also(s.provider.span, "provider declared here"),
            );
        }
    }
    if let Some(tz) = &s.time_zone
        && parse_offset(&tz.value).is_none()
    {
        diags.push(
            Diagnostic::error(tz.span, format!("time zone `{}` is not a UTC offset", tz.value))
                .label("expected `+HH:MM` or `-HH:MM`")
                .help("for Beijing time write \"+08:00\" (quoted)"),
        );
    }
    match &s.request_id_header {
        Some(header) if !super::params::is_header_name(&header.value) => diags.push(
            Diagnostic::error(header.span, format!("`{}` is not an HTTP header name", header.value))
                .label("read from the response headers")
                .help("header names are letters, digits and `-` (such as `X-Request-Id`)"),
        ),
        None if s.protocol.value != Protocol::TencentApi3 => diags.push(
            Diagnostic::error(s.protocol.span, "the service does not say where the request id is")
                .label("`request_id_header` is required for this protocol")
                .help("add `request_id_header:` with the response header that carries it (such as `X-Request-Id`)"),
        ),
        _ => {}
    }
    super::fields::check_error_list(&s.errors, &[], diags);
    if let Some(when) = &s.success_when {
        if when.field.value.is_empty() {
            diags.push(
                Diagnostic::error(when.field.span, "`success_when.field` is empty")
                    .label("no key named")
                    .help("name the top-level key of a 200 body that carries the result code, such as `errorCode`"),
            );
        }
        if when.values.is_empty() {
            diags.push(
                Diagnostic::error(when.span, "`success_when` lists no value")
                    .label("every 200 body carrying the field would be an error")
                    .help("list the values that mean success, such as `values: [\"-1\", \"0\"]`"),
            );
        }
    }
}

/// Rule: a host template is a host name with `{region}` and nothing else: no scheme, path,
/// port or other placeholder (the client adds the scheme, and signs the host as sent).
fn check_host(host: &Spanned<String>, regional: bool, diags: &mut Diagnostics) {
    if regional && !host.value.contains("{region}") {
        diags.push(
            Diagnostic::error(host.span, "endpoint has no `{region}` placeholder")
                .label("the configured region cannot be applied")
                .help("write the host with `{region}`, e.g. `cbr.{region}.myhuaweicloud.com`"),
        );
        return;
    }
    let rest = host.value.replace("{region}", "");
    if let Some(c) = rest.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))) {
        diags.push(
            Diagnostic::error(host.span, format!("endpoint `{}` is not a host name", host.value))
                .label(format!("{c:?} cannot appear in a host name"))
                .help("write only the host, with `{region}`: no scheme, port or path"),
        );
    }
}

/// Rule: named endpoints have distinct lowercase names (callers pass them to
/// `Config::named_endpoint`).
fn check_named_endpoints(endpoints: &[NamedEndpoint], diags: &mut Diagnostics) {
    let mut seen = BTreeMap::new();
    for e in endpoints {
        let name = &e.name.value;
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            diags.push(
                Diagnostic::error(e.name.span, format!("endpoint name `{name}` is not a lowercase name"))
                    .label("callers choose the endpoint by this name")
                    .help("use lowercase letters, digits and `_`, such as `internal`"),
            );
        }
        if let Some(first) = seen.insert(name.clone(), e.name.span) {
            diags.push(
                Diagnostic::error(e.name.span, format!("duplicate endpoint name `{name}`"))
                    .label("second endpoint with this name")
                    .also(first, "first defined here")
                    .help("give each endpoint its own name"),
            );
        }
    }
}

/// Rule: operation names are unique within a service.
pub fn check_unique_operations(spec: &ServiceSpec, diags: &mut Diagnostics) {
    let mut seen = BTreeMap::new();
    for op in &spec.operations {
        if let Some(first) = seen.insert(op.operation.value.clone(), op.operation.span) {
            diags.push(
                Diagnostic::error(op.operation.span, format!("duplicate operation `{}`", op.operation.value))
                    .label("second file for this operation")
                    .also(first, "first defined here")
                    .help("one file per operation: merge or rename"),
            );
        }
    }
}

/// Parses `+HH:MM`/`-HH:MM` into seconds east of UTC.
#[must_use]
pub fn parse_offset(text: &str) -> Option<i32> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m) = text.get(1..)?.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 14 && m < 60).then_some(sign * (h * 3600 + m * 60))
}
