//! Rules about `resources` in service.yaml: every operation they name exists in the service,
//! every path resolves in that operation's request or response, states are values of the state
//! field's enum, and a resource's states agree with the waiter of its read operation.

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::source::Span;
use crate::spec::model::{Field, OperationDoc, ServiceSpec};
use crate::spec::reader::Spanned;
use crate::spec::resource::{FilterMatch, Resource};
use crate::spec::types::{PathError, TypeExpr, resolve_path};
use crate::spec::yaml::{Node, ScalarKey};

/// Rule: resource names are unique; every operation named resolves; ids, items, filters,
/// action ids, idempotency tokens and parents name fields that exist; states fit the state
/// field; the read operation's waiter, where there is one, lists the same states.
pub fn check_resources(spec: &ServiceSpec, diags: &mut Diagnostics) {
    let mut names: Vec<&Spanned<String>> = Vec::new();
    for r in &spec.service.resources {
        if let Some(first) = names.iter().find(|n| n.value == r.name.value) {
            diags.push(
                Diagnostic::error(r.name.span, format!("resource `{}` is declared twice", r.name.value))
                    .label("second declaration")
                    .also(first.span, "first declared here")
                    .help("give each resource of a service its own name"),
            );
        }
        names.push(&r.name);
        check_resource(spec, r, diags);
    }
}

fn check_resource(spec: &ServiceSpec, r: &Resource, diags: &mut Diagnostics) {
    if r.read.is_none() && r.list.is_none() {
        diags.push(
            Diagnostic::error(r.name.span, format!("resource `{}` has neither `read` nor `list`", r.name.value))
                .label("its items could never be seen")
                .help("name the operation that reads one item (`read`) or lists them (`list`)"),
        );
    }
    let item = item_fields(spec, r, diags);
    if let Some((op, fields)) = item {
        item_path(op, fields, &r.id.field, "id field", diags);
        if let Some(field) = r.parent.as_ref().and_then(|p| p.field.as_ref()) {
            item_path(op, fields, field, "parent field", diags);
        }
        if let Some(s) = &r.state {
            item_path(op, fields, &s.field, "state field", diags);
            check_state(op, fields, r, diags);
            if let Some(progress) = &s.progress {
                item_path(op, fields, progress, "progress field", diags);
            }
        }
        let copied = r.create.iter().flat_map(|c| c.fields.iter().map(|(_, to)| to));
        for path in r.times.created.iter().chain(&r.times.updated).chain(&r.times.ended).chain(copied) {
            item_path(op, fields, path, "time field", diags);
        }
        if let Some(l) = &r.list {
            for f in &l.filters {
                item_path(op, fields, &f.field, "filter field", diags);
            }
            if let Some(sort) = &l.sort {
                for path in std::iter::once(&sort.field).chain(sort.keys.iter().map(|(_, f)| f)) {
                    item_path(op, fields, path, "sort field", diags);
                }
            }
        }
    }
    if let Some(c) = &r.create
        && let Some(op) = operation(spec, &c.operation, diags)
    {
        match &c.id {
            Some(id) => response_path(op, id, "created id", diags),
            None => diags.push(missing(c.span, "create", "id", "the response path of the new item's id")),
        }
        if let Some(i) = &r.idempotency {
            request_path(op, &i.token, "idempotency token", diags);
        }
        for (from, _) in &c.fields {
            request_path(op, from, "create field", diags);
        }
        if let Some(p) = &r.parent {
            request_path(op, &p.param, "parent parameter", diags);
        }
    } else if let Some(i) = &r.idempotency {
        diags.push(
            Diagnostic::error(i.token.span, "an idempotency token without a `create` operation")
                .label("no create to make idempotent")
                .help("declare `create` or remove `idempotency`"),
        );
    }
    for binding in [&r.read, &r.delete].into_iter().flatten() {
        let Some(op) = operation(spec, &binding.operation, diags) else { continue };
        match &binding.id {
            Some(id) => request_path(op, id, "id parameter", diags),
            None => diags.push(missing(binding.span, "read/delete", "id", "the request parameter of the id")),
        }
    }
    if let Some(l) = &r.list
        && let Some(op) = operation(spec, &l.operation, diags)
    {
        let items = l.items.as_ref().or(op.pagination.as_ref().map(|p| &p.items));
        match items {
            Some(items) => match resolve_path(op, &op.response, &items.value) {
                Ok((_, TypeExpr::Array(_))) => {}
                Ok(_) => diags.push(
                    Diagnostic::error(items.span, format!("list items `{}` is not a list", items.value))
                        .label("expected an array field")
                        .help("name the response field that holds the listed items"),
                ),
                Err(why) => diags.push(path_error(items.span, "list items", &items.value, &why.why, why.suggestion)),
            },
            None => diags.push(missing(l.span, "list", "items", "the response path of the item list")),
        }
        if let Some(sort) = &l.sort {
            for param in sort.by.iter().chain(&sort.order) {
                request_path(op, param, "sort parameter", diags);
            }
        }
        for f in &l.filters {
            request_path(op, &f.param, "filter parameter", diags);
            if f.max_age.is_some() && f.matching.value != FilterMatch::Since {
                diags.push(
                    Diagnostic::error(f.matching.span, "`max_age` only applies to a `since` filter")
                        .label("not a `since` filter")
                        .help("put `max_age` on the filter with `match: since`"),
                );
            }
        }
    }
    for a in &r.actions {
        let Some(op) = operation(spec, &a.operation, diags) else { continue };
        if let Err(why) = resolve_ids(op, &a.ids.value) {
            diags.push(path_error(a.ids.span, "action ids", &a.ids.value, &why.why, why.suggestion));
        }
        for s in std::iter::once(&a.to).chain(&a.from) {
            check_known_state(r, s, diags);
        }
    }
}

/// Resolves a request path whose `[]` segments enter the elements of a list of objects.
fn resolve_ids(op: &OperationDoc, path: &str) -> Result<(), PathError> {
    let parts: Vec<&str> = path.split("[].").collect();
    let mut fields: &[Field] = &op.params;
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let part = if last { part.trim_end_matches("[]") } else { part };
        let (_, ty) = resolve_path(op, fields, part)?;
        if last {
            return Ok(());
        }
        match ty {
            TypeExpr::Array(inner) => match *inner {
                TypeExpr::Object(t) => fields = op.types.get(t).map_or(&[], |t| t.fields.as_slice()),
                _ => return Err(PathError { why: format!("`{part}` is not a list of objects"), suggestion: None }),
            },
            _ => {
                return Err(PathError {
                    why: format!("`{part}` is not a list, so `[]` cannot enter it"),
                    suggestion: None,
                });
            }
        }
    }
    Ok(())
}

/// The operation named `name` in the service, or an error with the closest name.
fn operation<'a>(spec: &'a ServiceSpec, name: &Spanned<String>, diags: &mut Diagnostics) -> Option<&'a OperationDoc> {
    let found = spec.operations.iter().find(|o| o.operation.value == name.value);
    if found.is_none() {
        let names = spec.operations.iter().map(|o| o.operation.value.as_str());
        let help = match did_you_mean(&name.value, names) {
            Some(close) => format!("did you mean `{close}`?"),
            None => "name an operation file of this service's folder".to_owned(),
        };
        diags.push(
            Diagnostic::error(name.span, format!("no operation `{}` in this service", name.value))
                .label("unknown operation")
                .help(help),
        );
    }
    found
}

/// The fields of one item: the read operation's item, else the list operation's element type.
fn item_fields<'a>(
    spec: &'a ServiceSpec,
    r: &Resource,
    diags: &mut Diagnostics,
) -> Option<(&'a OperationDoc, &'a [Field])> {
    if let Some(read) = &r.read {
        // An unknown operation is reported once, where the bindings are checked.
        let op = spec.operations.iter().find(|o| o.operation.value == read.operation.value)?;
        let path = read.item.as_ref().map_or("", |i| i.value.as_str());
        if path.is_empty() {
            return Some((op, &op.response));
        }
        return match resolve_path(op, &op.response, path) {
            Ok((_, TypeExpr::Object(t))) => op.types.get(t).map(|t| (op, t.fields.as_slice())),
            Ok(_) => {
                let span = read.item.as_ref().map_or(read.span, |i| i.span);
                diags.push(
                    Diagnostic::error(span, format!("read item `{path}` is not an object"))
                        .label("expected a field of a named type")
                        .help("name the response field that holds the item, or `\"\"` for the whole body"),
                );
                None
            }
            Err(why) => {
                let span = read.item.as_ref().map_or(read.span, |i| i.span);
                diags.push(path_error(span, "read item", path, &why.why, why.suggestion));
                None
            }
        };
    }
    let list = r.list.as_ref()?;
    let op = spec.operations.iter().find(|o| o.operation.value == list.operation.value)?;
    let items = list.items.as_ref().or(op.pagination.as_ref().map(|p| &p.items))?;
    match resolve_path(op, &op.response, &items.value) {
        Ok((_, TypeExpr::Array(inner))) => match *inner {
            TypeExpr::Object(t) => op.types.get(t).map(|t| (op, t.fields.as_slice())),
            _ => None,
        },
        _ => None,
    }
}

/// Rule: the state field exists; if it is an enum, every state is one of its values; no
/// state is listed twice; a waiter on the read operation lists the same states.
fn check_state(op: &OperationDoc, fields: &[Field], r: &Resource, diags: &mut Diagnostics) {
    let Some(s) = &r.state else { return };
    if let Ok((_, TypeExpr::Enum(e))) = resolve_path(op, fields, &s.field.value)
        && let Some(e) = op.enums.get(e)
    {
        let values: HashSet<ScalarKey> = e.values.iter().filter_map(|v| ScalarKey::of(&v.value.value)).collect();
        for node in s.running.iter().chain(&s.succeeded).chain(&s.failed) {
            if ScalarKey::of(&node.value).is_none_or(|k| !values.contains(&k)) {
                diags.push(
                    Diagnostic::error(node.span, format!("state is not a value of enum `{}`", e.name.value))
                        .label("unknown state")
                        .also(e.name.span, "enum defined here")
                        .help(format!("values: {}", super::lifecycle::list_values(e))),
                );
            }
        }
    }
    let mut seen: Vec<(ScalarKey, Span)> = Vec::new();
    for node in s.running.iter().chain(&s.succeeded).chain(&s.failed) {
        let Some(key) = ScalarKey::of(&node.value) else { continue };
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
            diags.push(
                Diagnostic::error(node.span, "state listed twice")
                    .label("second listing")
                    .also(*first, "first listed here")
                    .help("a state means running, succeeded or failed; keep it in one list"),
            );
        } else {
            seen.push((key, node.span));
        }
    }
    if s.succeeded.is_empty() && s.failed.is_empty() {
        diags.push(
            Diagnostic::error(s.span, "the state lists no final state")
                .label("items would run forever")
                .help("list the values that mean `succeeded` and `failed`"),
        );
    }
    let Some(read) = &r.read else { return };
    let Some(w) = &op.waiter else { return };
    let item = read.item.as_ref().map_or("", |i| i.value.as_str());
    let expected = if item.is_empty() { s.field.value.clone() } else { format!("{item}.{}", s.field.value) };
    let keys = |nodes: &[Node]| nodes.iter().filter_map(|n| ScalarKey::of(&n.value)).collect::<HashSet<_>>();
    let agrees = w.status.value == expected
        && keys(&w.running) == keys(&s.running)
        && keys(&w.succeeded) == keys(&s.succeeded)
        && keys(&w.failed) == keys(&s.failed);
    if !agrees {
        diags.push(
            Diagnostic::error(s.span, format!("resource `{}` and the waiter of `{}` disagree", r.name.value, op.operation.value))
                .label("states declared here")
                .also(w.status.span, "the waiter's states")
                .help("declare the states once: drop `state` from the resource (it then follows the waiter), or make both list the same field and values"),
        );
    }
}

/// Rule: an action's `to` and `from` states are single values.
fn check_known_state(r: &Resource, node: &Node, diags: &mut Diagnostics) {
    if ScalarKey::of(&node.value).is_none() {
        diags.push(
            Diagnostic::error(node.head(), format!("a state of resource `{}` must be a single value", r.name.value))
                .label(format!("found {}", node.kind()))
                .help("write the state as the provider writes it (`RUNNING`, `2`)"),
        );
    }
}

fn item_path(op: &OperationDoc, fields: &[Field], path: &Spanned<String>, what: &str, diags: &mut Diagnostics) {
    if let Err(why) = resolve_path(op, fields, &path.value) {
        diags.push(path_error(path.span, what, &path.value, &why.why, why.suggestion));
    }
}

fn request_path(op: &OperationDoc, path: &Spanned<String>, what: &str, diags: &mut Diagnostics) {
    if let Err(why) = resolve_path(op, &op.params, &path.value) {
        let d = path_error(path.span, what, &path.value, &why.why, why.suggestion);
        diags.push(d.also(op.operation.span, "in the request of this operation"));
    }
}

fn response_path(op: &OperationDoc, path: &Spanned<String>, what: &str, diags: &mut Diagnostics) {
    if let Err(why) = resolve_path(op, &op.response, &path.value) {
        let d = path_error(path.span, what, &path.value, &why.why, why.suggestion);
        diags.push(d.also(op.operation.span, "in the response of this operation"));
    }
}

fn path_error(span: Span, what: &str, path: &str, why: &str, suggestion: Option<String>) -> Diagnostic {
    let help = match suggestion {
        Some(close) => format!("did you mean `{close}`?"),
        None => "write the dotted path of wire names".to_owned(),
    };
    Diagnostic::error(span, format!("{what} `{path}` does not name a field")).label(why.to_owned()).help(help)
}

fn missing(span: Span, key: &str, sub: &str, what: &str) -> Diagnostic {
    Diagnostic::error(span, format!("`{key}` needs `{sub}`"))
        .label(format!("`{sub}` is missing"))
        .help(format!("add `{sub}`: {what}"))
}
