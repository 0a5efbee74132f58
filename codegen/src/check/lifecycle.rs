//! Rules about waiters and pagination: the fields they name exist and have the right types.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::source::Span;
use crate::spec::model::{EnumDef, Field, OperationDoc};
use crate::spec::types::{PathError, TypeExpr, resolve, resolve_path};
use crate::spec::yaml::{Node, ScalarKey};

/// How many values a hint lists before it says "and N more".
const LISTED: usize = 12;

/// Rule: the waiter's status path names an enum field of the response; every listed state is
/// a value of that enum and appears in one list only; the progress path names an integer.
pub fn check_waiter(op: &OperationDoc, diags: &mut Diagnostics) {
    let Some(w) = &op.waiter else { return };
    match resolve_path(op, &op.response, &w.status.value) {
        Err(why) => diags.push(path_error(w.status.span, "waiter status", &w.status.value, why)),
        Ok((_, TypeExpr::Enum(i))) => {
            if let Some(e) = op.enums.get(i) {
                check_states(w, e, diags);
            }
        }
        Ok((chain, _)) => {
            let mut d =
                Diagnostic::error(w.status.span, format!("waiter status `{}` is not an enum field", w.status.value))
                    .label("states need an enum")
                    .help("declare the field's type as an enum listing the states");
            if let Some(f) = chain.last() {
                d = d.also(f.ty.span, "declared type");
            }
            diags.push(d);
        }
    }
    if let Some(progress) = &w.progress {
        integer_path(op, &op.response, progress.span, "waiter progress", &progress.value, diags);
    }
}

/// The states of a waiter against the values of its status enum.
fn check_states(w: &crate::spec::model::Waiter, e: &EnumDef, diags: &mut Diagnostics) {
    let values: HashSet<ScalarKey> = e.values.iter().filter_map(|v| ScalarKey::of(&v.value.value)).collect();
    let mut seen: HashMap<ScalarKey, Span> = HashMap::new();
    for (list, states) in [("running", &w.running), ("succeeded", &w.succeeded), ("failed", &w.failed)] {
        if states.is_empty() && list != "running" {
            diags.push(
                Diagnostic::error(w.status.span, format!("waiter lists no `{list}` state"))
                    .label("the wait could never end that way")
                    .help(format!("list the values of `{}` that mean {list}", e.name.value)),
            );
        }
        for s in states {
            let Some(key) = ScalarKey::of(&s.value) else {
                diags.push(
                    Diagnostic::error(
                        s.head(),
                        format!("a waiter state must be a value of enum `{}`, found {}", e.name.value, s.kind()),
                    )
                    .label("not a single value")
                    .also(e.name.span, "enum defined here"),
                );
                continue;
            };
            if !values.contains(&key) {
                diags.push(unknown_state(s, e));
            }
            match seen.get(&key) {
                Some(first) => diags.push(
                    Diagnostic::error(s.span, "waiter state listed twice")
                        .label(format!("also in `{list}`"))
                        .also(*first, "first listed here")
                        .help("a state means running, succeeded or failed; keep it in one list"),
                ),
                None => {
                    seen.insert(key, s.span);
                }
            }
        }
    }
}

fn unknown_state(s: &Node, e: &EnumDef) -> Diagnostic {
    let words: Vec<&str> = e.values.iter().filter_map(|v| v.value.as_str()).collect();
    let listed = list_values(e);
    let hint = match s.as_str().and_then(|text| did_you_mean(text, words.iter().copied())) {
        Some(close) => format!("did you mean `{close}`? values: {listed}"),
        None => format!("values: {listed}"),
    };
    Diagnostic::error(s.span, format!("waiter state is not a value of enum `{}`", e.name.value))
        .label("unknown state")
        .also(e.name.span, "enum defined here")
        .help(hint)
}

/// The first values of an enum, for hints.
pub fn list_values(e: &EnumDef) -> String {
    let mut listed: Vec<String> = e
        .values
        .iter()
        .take(LISTED)
        .map(|v| match &v.value.value {
            crate::spec::yaml::Value::Str(s) => s.clone(),
            crate::spec::yaml::Value::Int(i) => i.to_string(),
            _ => v.value.kind().to_owned(),
        })
        .collect();
    if e.values.len() > LISTED {
        listed.push(format!("and {} more", e.values.len() - LISTED));
    }
    listed.join(", ")
}

/// Rule: pagination names integer request parameters for page number and size, a list in the
/// response for the items and an integer for the total; the first page is 0 or 1; the page
/// size has a default, and the objects on the way to the page parameters can be created empty.
pub fn check_pagination(op: &OperationDoc, diags: &mut Diagnostics) {
    let Some(p) = &op.pagination else { return };
    integer_path(op, &op.params, p.page_number.span, "page number", &p.page_number.value, diags);
    integer_path(op, &op.params, p.page_size.span, "page size", &p.page_size.value, diags);
    if let Ok((chain, _)) = resolve_path(op, &op.params, &p.page_size.value)
        && let Some(f) = chain.last().filter(|f| f.default.is_none())
    {
        diags.push(
            Diagnostic::error(p.page_size.span, format!("page size `{}` has no `default`", p.page_size.value))
                .label("the paginator needs the provider's page size")
                .also(f.name.span, "parameter declared here")
                .help("add `default:` (the page size the provider assumes) to that parameter"),
        );
    }
    let mut reported = HashSet::new();
    for path in [&p.page_number, &p.page_size] {
        let Ok((chain, _)) = resolve_path(op, &op.params, &path.value) else { continue };
        for f in chain.iter().take(chain.len().saturating_sub(1)) {
            let Ok(TypeExpr::Object(t)) = resolve(op, &f.ty, f.items.as_ref()) else { continue };
            let Some(ty) = op.types.get(t) else { continue };
            let blocking = ty.fields.iter().find(|x| {
                x.required.value && !matches!(x.ty.value.as_str(), "string" | "int32" | "int64" | "float64" | "boolean")
            });
            if let Some(x) = blocking.filter(|_| reported.insert(t)) {
                diags.push(
                    Diagnostic::error(path.span, format!("the paginator cannot create `{}`", ty.name.value))
                        .label("its required field has no empty value")
                        .also(x.name.span, "this field")
                        .help("page fields must sit in objects whose required fields are plain scalars"),
                );
            }
        }
    }
    if !(0..=1).contains(&p.first_page.value) {
        diags.push(
            Diagnostic::error(p.first_page.span, "the first page is numbered 0 or 1")
                .label("unusual first page")
                .help("write the number the provider gives its first page: `1`, or `0` if it counts from zero"),
        );
    }
    match resolve_path(op, &op.response, &p.items.value) {
        Err(why) => diags.push(path_error(p.items.span, "pagination items", &p.items.value, why)),
        Ok((_, TypeExpr::Array(_))) => {}
        Ok((chain, _)) => diags.push(declared(
            Diagnostic::error(p.items.span, format!("pagination items `{}` is not a list", p.items.value))
                .label("expected an array field"),
            &chain,
        )),
    }
    if let Some(total) = &p.total {
        integer_path(op, &op.response, total.span, "pagination total", &total.value, diags);
    }
}

fn integer_path(op: &OperationDoc, root: &[Field], span: Span, what: &str, path: &str, diags: &mut Diagnostics) {
    match resolve_path(op, root, path) {
        Err(why) => diags.push(path_error(span, what, path, why)),
        Ok((_, ty)) if ty.is_integer() => {}
        Ok((chain, _)) => diags.push(declared(
            Diagnostic::error(span, format!("{what} `{path}` is not an integer field"))
                .label("expected int32 or int64"),
            &chain,
        )),
    }
}

/// Adds the declared type of the last field of a path as a secondary place.
fn declared(d: Diagnostic, chain: &[&Field]) -> Diagnostic {
    match chain.last() {
        Some(f) => d.also(f.ty.span, "declared type"),
        None => d,
    }
}

fn path_error(span: Span, what: &str, path: &str, why: PathError) -> Diagnostic {
    let help = match why.suggestion {
        Some(close) => format!("did you mean `{close}`?"),
        None => "write the dotted path of wire names from the top of the request or response".to_owned(),
    };
    Diagnostic::error(span, format!("{what} `{path}` does not name a field")).label(why.why).help(help)
}
