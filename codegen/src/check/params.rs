//! Rules about request parameters: where they travel, who fills them, the path template, and
//! the idempotency token.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::spec::model::{Field, Idempotency, Method, OperationDoc, ParamIn, ParamSource};
use crate::spec::types::{Scalar, TypeExpr, resolve};

/// Rule: parameter locations and sources fit together and fit the method.
pub(super) fn check_params(op: &OperationDoc, diags: &mut Diagnostics) {
    for p in &op.params {
        let Some(location) = &p.location else { continue };
        if location.value == ParamIn::Body && matches!(op.method.value, Method::Get | Method::Delete) {
            diags.push(
                Diagnostic::error(location.span, format!("`{}` requests have no body", op.method.value.word()))
                    .label("body parameter")
                    .also(op.method.span, "method declared here")
                    .help("use `in: query`, or the method the document gives"),
            );
        }
        if let Some(source) = &p.source {
            let expected = match source.value {
                ParamSource::Caller => None,
                ParamSource::AuthToken => Some(ParamIn::Header),
                ParamSource::ProjectId => Some(ParamIn::Path),
            };
            if let Some(expected) = expected.filter(|e| *e != location.value) {
                diags.push(
                    Diagnostic::error(
                        source.span,
                        format!("`source: {}` needs `in: {}`", source.value.word(), expected.word()),
                    )
                    .label("the client cannot fill it there")
                    .also(location.span, "location declared here")
                    .help(format!("set `in: {}`", expected.word())),
                );
            }
        }
        if location.value == ParamIn::Header && !is_header_name(&p.name.value) {
            diags.push(
                Diagnostic::error(p.name.span, format!("`{}` is not an HTTP header name", p.name.value))
                    .label("sent as a request header")
                    .help("header names are letters, digits and `-` (such as `X-Auth-Token`)"),
            );
        }
        if matches!(location.value, ParamIn::Path) && !p.required.value {
            diags.push(
                Diagnostic::error(p.required.span, "path parameters are always required")
                    .label("must be `true`")
                    .help("set `required: true`"),
            );
        }
    }
}

/// Rule: `allow_empty: true` only marks a required string parameter the caller sets outside the
/// path: only those are refused when empty (a path segment never may be, an optional parameter
/// is simply left out, and the client fills the others).
pub(super) fn check_allow_empty(op: &OperationDoc, diags: &mut Diagnostics) {
    for p in &op.params {
        let Some(allow) = p.allow_empty.as_ref().filter(|a| a.value) else { continue };
        let filled = p.source.as_ref().filter(|s| s.value != ParamSource::Caller);
        let (problem, help) = if p.ty.value != "string" {
            ("`allow_empty` applies to string parameters", "remove `allow_empty`: only strings can be empty")
        } else if !p.required.value {
            (
                "`allow_empty` applies to required parameters",
                "remove `allow_empty`: an optional parameter is left out rather than sent empty",
            )
        } else if p.location.as_ref().is_some_and(|l| l.value == ParamIn::Path) {
            ("a path parameter cannot be empty", "remove `allow_empty`: an empty path segment changes the path")
        } else if filled.is_some() {
            ("`allow_empty` applies to parameters the caller sets", "remove `allow_empty`: the client fills this one")
        } else {
            continue;
        };
        diags.push(
            Diagnostic::error(allow.span, problem)
                .label("empty values of this parameter would be sent")
                .also(p.name.span, "parameter declared here")
                .help(help),
        );
    }
}

/// Most required parameters an operation may have: the builder tracks them in one `u64`.
const MAX_REQUIRED: usize = 64;

/// Rule: at most [`MAX_REQUIRED`] required parameters that the caller sets.
pub(super) fn check_required_count(op: &OperationDoc, diags: &mut Diagnostics) {
    let caller_set = op.params.iter().filter(|p| p.source.as_ref().is_none_or(|s| s.value == ParamSource::Caller));
    if let Some(p) = caller_set.filter(|p| p.required.value).nth(MAX_REQUIRED) {
        diags.push(
            Diagnostic::error(p.required.span, format!("more than {MAX_REQUIRED} required parameters"))
                .label(format!("required parameter number {}", MAX_REQUIRED + 1))
                .help("the generated builder tracks at most 64; make the rest `required: false` and say why in a `correction`"),
        );
    }
}

/// Whether `name` is an HTTP header name (an RFC 9110 token).
pub fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Rule: path, query and header parameters each carry one scalar (a string, number, boolean,
/// time or enum); lists, objects and `json` values only travel in a JSON body.
pub(super) fn check_param_types(op: &OperationDoc, diags: &mut Diagnostics) {
    for p in &op.params {
        let Some(location) = p.location.as_ref().filter(|l| l.value != ParamIn::Body) else { continue };
        let Ok(ty) = resolve(op, &p.ty, p.items.as_ref()) else { continue };
        let what = match ty {
            TypeExpr::Array(_) => "a list",
            TypeExpr::Object(_) => "an object",
            TypeExpr::Scalar(Scalar::Json) => "a JSON value",
            _ => continue,
        };
        let place = match location.value {
            ParamIn::Path => "a path segment",
            ParamIn::Header => "a header value",
            _ => "a query value",
        };
        diags.push(
            Diagnostic::error(
                p.ty.span,
                format!("{} parameter `{}` must have a scalar type", location.value.word(), p.name.value),
            )
            .label(format!("{what} does not fit in {place}"))
            .also(location.span, "location declared here")
            .help("use string, int32, int64, float64, boolean, rfc3339, epoch_millis, local_datetime or an enum; lists and objects travel only in a JSON body (`in: body`)"),
        );
    }
}

/// Rule: every `{name}` of the path is a path parameter and every path parameter is in the path.
pub(super) fn check_path(op: &OperationDoc, diags: &mut Diagnostics) {
    let path = &op.path;
    if !path.value.starts_with('/') {
        diags.push(
            Diagnostic::error(path.span, "the path must start with `/`")
                .label("relative path")
                .help(format!("write `/{}`", path.value)),
        );
    }
    let placeholders = placeholders(&path.value);
    let used: HashSet<&str> = placeholders.iter().copied().collect();
    let mut declared: HashMap<&str, &Field> = HashMap::new();
    for p in &op.params {
        declared.entry(p.name.value.as_str()).or_insert(p);
    }
    let mut reported = HashSet::new();
    for name in placeholders.iter().filter(|n| reported.insert(**n)) {
        let param = declared.get(name);
        match param.and_then(|p| p.location.as_ref()) {
            Some(location) if location.value == ParamIn::Path => {}
            Some(location) => diags.push(
                Diagnostic::error(path.span, format!("`{{{name}}}` names a parameter that is not in the path"))
                    .label(format!("`{{{name}}}` is used here"))
                    .also(location.span, "declared here with another location")
                    .help("set `in: path`"),
            ),
            None => diags.push(
                Diagnostic::error(path.span, format!("path parameter `{name}` is not declared"))
                    .label(format!("`{{{name}}}` is used here"))
                    .help(format!("add a parameter `name: {name}` with `in: path`")),
            ),
        }
    }
    for p in op.params.iter().filter(|p| p.location.as_ref().is_some_and(|l| l.value == ParamIn::Path)) {
        if !used.contains(p.name.value.as_str()) {
            diags.push(
                Diagnostic::error(
                    p.name.span,
                    format!("path parameter `{}` does not appear in the path", p.name.value),
                )
                .label("never placed in the URL")
                .also(path.span, "the path")
                .help(format!("add `{{{}}}` to the path or change `in`", p.name.value)),
            );
        }
    }
}

/// The `{name}` placeholders of a path template.
#[must_use]
pub fn placeholders(path: &str) -> Vec<&str> {
    path.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(name, _)| name)).collect()
}

/// Rule: `idempotency: token` names an optional string parameter as its token, and only then.
pub(super) fn check_idempotency(op: &OperationDoc, diags: &mut Diagnostics) {
    match (&op.idempotency.value, &op.idempotency_token) {
        (Idempotency::Token, None) => diags.push(
            Diagnostic::error(op.idempotency.span, "`idempotency: token` needs `idempotency_token`")
                .label("which parameter carries the token?")
                .help("add `idempotency_token: <parameter name>`"),
        ),
        (Idempotency::Token, Some(token)) => match op.params.iter().find(|p| p.name.value == token.value) {
            None => diags.push(
                Diagnostic::error(token.span, format!("idempotency token `{}` is not a parameter", token.value))
                    .label("no such parameter")
                    .maybe_help(
                        crate::diagnostic::did_you_mean(&token.value, op.params.iter().map(|p| p.name.value.as_str()))
                            .map(|c| format!("did you mean `{c}`?")),
                    ),
            ),
            Some(p) => {
                if p.ty.value != "string" || p.required.value {
                    let fix = if p.ty.value == "string" {
                        "declare it `required: false`"
                    } else {
                        "declare it `type: string`, `required: false`"
                    };
                    diags.push(
                        Diagnostic::error(token.span, "the idempotency token must be an optional string parameter")
                            .label("the client fills it when the caller does not")
                            .also(p.name.span, "parameter declared here")
                            .help(fix),
                    );
                }
            }
        },
        (_, Some(token)) => diags.push(
            Diagnostic::error(token.span, "`idempotency_token` is only used with `idempotency: token`")
                .label("no token in use")
                .also(op.idempotency.span, "idempotency declared here"),
        ),
        _ => {}
    }
}
