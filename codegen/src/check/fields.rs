//! Rules about one operation's structure: types, names, constraints, path and idempotency.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::Span;
use crate::spec::model::{
    EnumDef, EnumKind, Field, Idempotency, Method, OperationDoc, ParamIn, ParamSource, ServiceSpec, Shape,
};
use crate::spec::reader::Spanned;
use crate::spec::types::{Scalar, TypeExpr, resolve};
use crate::spec::yaml::Value;

/// Runs the structural rules of one operation.
pub fn check_operation(spec: &ServiceSpec, op: &OperationDoc, diags: &mut Diagnostics) {
    check_unique_names(op.types.iter().map(|t| &t.name).chain(op.enums.iter().map(|e| &e.name)), "type", diags);
    check_unique_names(op.params.iter().map(|p| &p.name), "parameter", diags);
    check_unique_names(op.response.iter().map(|f| &f.name), "response field", diags);
    for t in &op.types {
        check_unique_names(t.fields.iter().map(|f| &f.name), "field", diags);
    }
    let uses_local_time = op
        .params
        .iter()
        .chain(&op.response)
        .chain(op.types.iter().flat_map(|t| &t.fields))
        .filter(|f| check_field(op, f, diags))
        .any(|f| f.ty.value == "local_datetime" || f.items.as_ref().is_some_and(|i| i.value == "local_datetime"));
    if uses_local_time && spec.service.time_zone.is_none() {
        diags.push(
            Diagnostic::error(
                spec.service.service.span,
                "the service uses `local_datetime` but declares no `time_zone`",
            )
            .label("values without a zone cannot be converted")
            .help("add `time_zone: \"+08:00\"` (the zone the provider's times are in)"),
        );
    }
    for e in &op.enums {
        check_enum(e, diags);
    }
    check_errors(spec, op, diags);
    check_params(op, diags);
    check_path(op, diags);
    check_idempotency(op, diags);
    warn_unused_definitions(op, diags);
}

/// Rule: names within one scope are unique.
fn check_unique_names<'a>(names: impl Iterator<Item = &'a Spanned<String>>, what: &str, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for name in names {
        if let Some(first) = seen.insert(&name.value, name.span) {
            diags.push(
                Diagnostic::error(name.span, format!("duplicate {what} `{}`", name.value))
                    .label("defined again here")
                    .also(first, "first defined here")
                    .help("names must be unique in their scope; remove or rename one"),
            );
        }
    }
}

/// Rule: a field's type resolves; `shape` fits the type; constraints fit the type and are
/// consistent. Returns whether the type resolved.
fn check_field(op: &OperationDoc, f: &Field, diags: &mut Diagnostics) -> bool {
    let ty = match resolve(op, &f.ty, f.items.as_ref()) {
        Ok(ty) => ty,
        Err(d) => {
            diags.push(d);
            return false;
        }
    };
    if let Some(shape) = &f.shape {
        let fits = match shape.value {
            Shape::OneOrMany => matches!(ty, TypeExpr::Array(_)),
            Shape::StringOrNumber => ty.is_string(),
        };
        if !fits {
            let needs = if shape.value == Shape::OneOrMany { "`type: array`" } else { "`type: string`" };
            diags.push(
                Diagnostic::error(shape.span, format!("shape `{}` needs {needs}", shape.value.word()))
                    .label("does not fit the declared type")
                    .also(f.ty.span, "declared type"),
            );
        }
    }
    let c = &f.constraints;
    let lengths = [&c.min_length, &c.max_length];
    let length_target = matches!(ty, TypeExpr::Scalar(Scalar::String)) || matches!(ty, TypeExpr::Array(_));
    for bound in lengths.iter().copied().flatten() {
        if !length_target {
            diags.push(
                Diagnostic::error(bound.span, "length constraints apply to strings and arrays")
                    .label("this field is neither")
                    .also(f.ty.span, "declared type"),
            );
        } else if bound.value < 0 {
            diags.push(Diagnostic::error(bound.span, "a length cannot be negative").label("negative length"));
        }
    }
    for bound in [&c.minimum, &c.maximum].into_iter().flatten() {
        if !ty.is_integer() {
            diags.push(
                Diagnostic::error(bound.span, "`minimum` and `maximum` apply to integers")
                    .label("not an integer field")
                    .also(f.ty.span, "declared type"),
            );
        }
    }
    for (lo, hi, what) in [(&c.min_length, &c.max_length, "length"), (&c.minimum, &c.maximum, "range")] {
        if let (Some(lo), Some(hi)) = (lo, hi) {
            if lo.value > hi.value {
                diags.push(
                    Diagnostic::error(
                        lo.span,
                        format!("empty {what}: the lower bound {} is above the upper bound {}", lo.value, hi.value),
                    )
                    .label("lower bound")
                    .also(hi.span, "upper bound"),
                );
            }
        }
    }
    if let Some(charset) = &c.charset {
        if !ty.is_string() {
            diags.push(
                Diagnostic::error(charset.span, "`charset` applies to strings")
                    .label("not a string field")
                    .also(f.ty.span, "declared type"),
            );
        }
    }
    if let Some(pattern) = &c.pattern {
        if !ty.is_string() {
            diags.push(Diagnostic::error(pattern.span, "`pattern` applies to strings").label("not a string field"));
        } else if let Err(e) = regex_lite::Regex::new(&pattern.value) {
            diags.push(
                Diagnostic::error(pattern.span, "`pattern` is not a valid regular expression")
                    .label(e.to_string().lines().next().unwrap_or("invalid").to_owned()),
            );
        }
    }
    if let Some(rust_name) = &f.rust_name {
        let usable = crate::ir::names::snake(&rust_name.value);
        if usable != rust_name.value {
            diags.push(
                Diagnostic::error(
                    rust_name.span,
                    format!("`rust_name` `{}` is not a usable snake_case identifier", rust_name.value),
                )
                .label("used as a Rust field name")
                .help(format!("write `{usable}`")),
            );
        }
    }
    true
}

/// Rule: enum values have the enum's kind, are unique, and have a usable variant name.
fn check_enum(e: &EnumDef, diags: &mut Diagnostics) {
    let mut seen: Vec<(&Value, Span)> = Vec::new();
    if e.values.is_empty() {
        diags.push(
            Diagnostic::error(e.name.span, format!("enum `{}` has no values", e.name.value))
                .label("empty enum")
                .help("list the documented values under `values`"),
        );
    }
    for v in &e.values {
        let fits = match e.kind.value {
            EnumKind::String => matches!(v.value.value, Value::Str(_)),
            EnumKind::Integer => matches!(v.value.value, Value::Int(_)),
        };
        if !fits {
            let expected = if e.kind.value == EnumKind::String { "a string" } else { "an integer" };
            let help = if e.kind.value == EnumKind::String {
                "quote the value: \"0\""
            } else {
                "write the number without quotes"
            };
            diags.push(
                Diagnostic::error(
                    v.value.span,
                    format!("value of enum `{}` must be {expected}, found {}", e.name.value, v.value.kind()),
                )
                .label("wrong kind of value")
                .also(e.kind.span, "kind declared here")
                .help(help),
            );
            continue;
        }
        if let Some((_, first)) = seen.iter().find(|(value, _)| **value == v.value.value) {
            diags.push(
                Diagnostic::error(v.value.span, "duplicate enum value")
                    .label("listed twice")
                    .also(*first, "first listed here"),
            );
        }
        seen.push((&v.value.value, v.value.span));
        let needs_name = match &v.value.value {
            Value::Str(s) => {
                !s.chars().next().is_some_and(char::is_alphabetic) || crate::ir::names::is_reserved_variant(s)
            }
            _ => true,
        };
        if needs_name && v.name.is_none() {
            diags.push(
                Diagnostic::error(v.value.span, "this enum value needs a `name`")
                    .label("not usable as a Rust variant name")
                    .help("add `name: <PascalCase name that says what the value means>`"),
            );
        }
    }
}

/// Rule: error codes are unique across the operation and its service, with real statuses.
fn check_errors(spec: &ServiceSpec, op: &OperationDoc, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, Span> =
        spec.service.errors.iter().map(|e| (e.code.value.as_str(), e.code.span)).collect();
    for e in &op.errors {
        check_status(e.status.value, e.status.span, diags);
        if let Some(first) = seen.insert(&e.code.value, e.code.span) {
            diags.push(
                Diagnostic::error(e.code.span, format!("duplicate error code `{}`", e.code.value))
                    .label("listed again here")
                    .also(first, "first listed here")
                    .help("an error code listed in service.yaml applies to every operation already"),
            );
        }
    }
}

/// Rule: an HTTP status is between 100 and 599.
pub fn check_status(status: i64, span: Span, diags: &mut Diagnostics) {
    if !(100..=599).contains(&status) {
        diags.push(Diagnostic::error(span, format!("{status} is not an HTTP status")).label("expected 100 to 599"));
    }
}

/// Rule: parameter locations and sources fit together and fit the method.
fn check_params(op: &OperationDoc, diags: &mut Diagnostics) {
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
                    .also(location.span, "location declared here"),
                );
            }
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

/// Rule: every `{name}` of the path is a path parameter and every path parameter is in the path.
fn check_path(op: &OperationDoc, diags: &mut Diagnostics) {
    let path = &op.path;
    if !path.value.starts_with('/') {
        diags.push(Diagnostic::error(path.span, "the path must start with `/`").label("relative path"));
    }
    let placeholders = placeholders(&path.value);
    let params: Vec<&Field> =
        op.params.iter().filter(|p| p.location.as_ref().is_some_and(|l| l.value == ParamIn::Path)).collect();
    for name in &placeholders {
        if !params.iter().any(|p| p.name.value == *name) {
            diags.push(
                Diagnostic::error(path.span, format!("path parameter `{name}` is not declared"))
                    .label(format!("`{{{name}}}` is used here"))
                    .help(format!("add a parameter `name: {name}` with `in: path`")),
            );
        }
    }
    for p in params {
        if !placeholders.contains(&p.name.value.as_str()) {
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
fn check_idempotency(op: &OperationDoc, diags: &mut Diagnostics) {
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
                    diags.push(
                        Diagnostic::error(token.span, "the idempotency token must be an optional string parameter")
                            .label("the client fills it when the caller does not")
                            .also(p.name.span, "parameter declared here"),
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

/// Warning: a type or enum that no field uses is generated for nothing.
fn warn_unused_definitions(op: &OperationDoc, diags: &mut Diagnostics) {
    let used: Vec<&str> = op
        .params
        .iter()
        .chain(&op.response)
        .chain(op.types.iter().flat_map(|t| &t.fields))
        .flat_map(|f| [Some(&f.ty.value), f.items.as_ref().map(|i| &i.value)])
        .flatten()
        .map(String::as_str)
        .collect();
    for name in op.types.iter().map(|t| &t.name).chain(op.enums.iter().map(|e| &e.name)) {
        if !used.contains(&name.value.as_str()) {
            diags.push(
                Diagnostic::warning(name.span, format!("`{}` is not used by any field", name.value))
                    .label("unused definition")
                    .help("remove it, or reference it from a field's `type`"),
            );
        }
    }
}

/// Warnings: documentation gaps that make the generated docs thin.
pub fn warn_missing_docs(op: &OperationDoc, diags: &mut Diagnostics) {
    if op.examples.is_empty() {
        diags.push(
            Diagnostic::warning(op.operation.span, format!("operation `{}` has no examples", op.operation.value))
                .label("nothing to test decoding against")
                .help("transcribe the document's example response under `examples`"),
        );
    }
    for f in op.params.iter().chain(&op.response).chain(op.types.iter().flat_map(|t| &t.fields)) {
        if f.description.is_none() {
            diags.push(
                Diagnostic::warning(f.name.span, format!("`{}` has no description", f.name.value))
                    .label("undocumented")
                    .help("copy the document's description"),
            );
        }
    }
    for e in &op.enums {
        for v in &e.values {
            if v.description.is_none() {
                diags.push(
                    Diagnostic::warning(v.value.span, format!("a value of enum `{}` has no meaning", e.name.value))
                        .label("what does this value mean?")
                        .help("add `description:` from the document"),
                );
            }
        }
    }
}
