//! Rules about waiters and pagination: the fields they name exist and have the right types.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::source::Span;
use crate::spec::model::{EnumDef, Field, OperationDoc, PageStyle};
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

/// The keys of `pagination` that belong to one style, with what each holds.
const STYLE_KEYS: &[(PageStyle, &str, &str)] = &[
    (PageStyle::PageNumber, "page_number", "the request's page number parameter"),
    (PageStyle::PageNumber, "first_page", "the number of the first page (0 or 1)"),
    (PageStyle::Offset, "offset", "the request's offset parameter"),
    (PageStyle::Offset, "first_offset", "the offset of the first item (0 or 1)"),
    (PageStyle::Marker, "marker", "the request's marker parameter"),
    (PageStyle::Marker, "marker_field", "the item field whose value on the last item is the next marker"),
    (PageStyle::Token, "token", "the request's token parameter"),
    (PageStyle::Token, "next_token", "the response's next token"),
];

/// Rule: pagination declares exactly the keys of its style; the request paths name parameters
/// of the right type (integers for page number, offset and size; strings for marker and
/// token) that the paginator can set; the response paths name a list of items, an integer
/// total and a string next token; the marker field is a string or integer field of the item
/// type; first page and first offset are 0 or 1; the page size has a default (except for
/// token paging, where the next token alone ends the listing).
pub fn check_pagination(op: &OperationDoc, diags: &mut Diagnostics) {
    let Some(p) = &op.pagination else { return };
    let style = p.style.value;
    let present: [(&str, Option<Span>); 8] = [
        ("page_number", p.page_number.as_ref().map(|x| x.span)),
        ("first_page", p.first_page.as_ref().map(|x| x.span)),
        ("offset", p.offset.as_ref().map(|x| x.span)),
        ("first_offset", p.first_offset.as_ref().map(|x| x.span)),
        ("marker", p.marker.as_ref().map(|x| x.span)),
        ("marker_field", p.marker_field.as_ref().map(|x| x.span)),
        ("token", p.token.as_ref().map(|x| x.span)),
        ("next_token", p.next_token.as_ref().map(|x| x.span)),
    ];
    for ((key, span), (owner, _, what)) in present.iter().zip(STYLE_KEYS) {
        match (span, *owner == style) {
            (Some(span), false) => diags.push(
                Diagnostic::error(*span, format!("`{key}` belongs to `style: {}` paging", owner.word()))
                    .label(format!("not used by `style: {}`", style.word()))
                    .also(p.style.span, "style declared here")
                    .help(format!("remove `{key}`, or declare `style: {}`", owner.word())),
            ),
            (None, true) => diags.push(
                Diagnostic::error(p.span, format!("`style: {}` paging needs `{key}`", style.word()))
                    .label("in this `pagination`")
                    .also(p.style.span, "style declared here")
                    .help(format!("add `{key}:`, {what}")),
            ),
            _ => {}
        }
    }
    let mut request_paths = Vec::new();
    if let Some(number) = &p.page_number {
        integer_path(op, &op.params, number.span, "page number", &number.value, diags);
        request_paths.push(number);
    }
    if let Some(offset) = &p.offset {
        integer_path(op, &op.params, offset.span, "offset", &offset.value, diags);
        request_paths.push(offset);
    }
    for first in [&p.first_page, &p.first_offset].into_iter().flatten() {
        if !(0..=1).contains(&first.value) {
            let what = if style == PageStyle::Offset { "the first offset is" } else { "the first page is numbered" };
            diags.push(
                Diagnostic::error(first.span, format!("{what} 0 or 1"))
                    .label("unusual start")
                    .help("write where the provider starts counting: `1`, or `0` if it counts from zero"),
            );
        }
    }
    for (cursor, what) in [(&p.marker, "marker"), (&p.token, "token")] {
        if let Some(cursor) = cursor {
            string_path(op, &op.params, cursor.span, what, &cursor.value, diags);
            request_paths.push(cursor);
        }
    }
    match &p.page_size {
        Some(size) => {
            integer_path(op, &op.params, size.span, "page size", &size.value, diags);
            request_paths.push(size);
            if style != PageStyle::Token
                && let Ok((chain, _)) = resolve_path(op, &op.params, &size.value)
                && let Some(f) = chain.last().filter(|f| f.default.is_none())
            {
                diags.push(
                    Diagnostic::error(size.span, format!("page size `{}` has no `default`", size.value))
                        .label("the paginator needs the provider's page size")
                        .also(f.name.span, "parameter declared here")
                        .help("add `default:` (the page size the provider assumes) to that parameter"),
                );
            }
        }
        None if style != PageStyle::Token => diags.push(
            Diagnostic::error(p.span, format!("`style: {}` paging needs `page_size`", style.word()))
                .label("in this `pagination`")
                .help("add `page_size:`, the request's page size parameter (a short page ends the listing)"),
        ),
        None => {}
    }
    check_creatable(op, &request_paths, diags);
    let item = match resolve_path(op, &op.response, &p.items.value) {
        Err(why) => {
            diags.push(path_error(p.items.span, "pagination items", &p.items.value, why));
            None
        }
        Ok((_, TypeExpr::Array(item))) => Some(*item),
        Ok((chain, _)) => {
            diags.push(declared(
                Diagnostic::error(p.items.span, format!("pagination items `{}` is not a list", p.items.value))
                    .label("expected an array field"),
                &chain,
            ));
            None
        }
    };
    if let Some(total) = &p.total {
        integer_path(op, &op.response, total.span, "pagination total", &total.value, diags);
    }
    if let Some(next) = &p.next_token {
        string_path(op, &op.response, next.span, "next token", &next.value, diags);
    }
    if let (Some(field), Some(item)) = (&p.marker_field, item) {
        check_marker_field(op, field, &item, p.items.span, diags);
    }
}

/// Rule: the marker field is a string or integer field of the listed item type.
fn check_marker_field(
    op: &OperationDoc,
    field: &crate::spec::reader::Spanned<String>,
    item: &TypeExpr,
    items_span: Span,
    diags: &mut Diagnostics,
) {
    let TypeExpr::Object(t) = item else {
        diags.push(
            Diagnostic::error(field.span, format!("marker field `{}` needs items that are objects", field.value))
                .label("the items have no fields")
                .also(items_span, "items declared here")
                .help("list objects (a type from `types`) whose id is sent back as the marker"),
        );
        return;
    };
    let Some(ty) = op.types.get(*t) else { return };
    match resolve_path(op, &ty.fields, &field.value) {
        Err(why) => {
            let help = match why.suggestion {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("name a field of `{}` (a dotted path inside one item)", ty.name.value),
            };
            diags.push(
                Diagnostic::error(
                    field.span,
                    format!("marker field `{}` is not a field of `{}`", field.value, ty.name.value),
                )
                .label(why.why)
                .also(ty.name.span, "item type defined here")
                .help(help),
            );
        }
        Ok((_, ty)) if ty.is_string() || ty.is_integer() => {}
        Ok((chain, _)) => diags.push(declared(
            Diagnostic::error(field.span, format!("marker field `{}` is not a string or integer field", field.value))
                .label("its value is sent back as the marker")
                .help("name the item's id field"),
            &chain,
        )),
    }
}

/// Rule: the objects on the way to a request parameter the paginator sets can be created
/// empty (their required fields are plain scalars).
fn check_creatable(op: &OperationDoc, paths: &[&crate::spec::reader::Spanned<String>], diags: &mut Diagnostics) {
    let mut reported = HashSet::new();
    for path in paths {
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
}

fn string_path(op: &OperationDoc, root: &[Field], span: Span, what: &str, path: &str, diags: &mut Diagnostics) {
    match resolve_path(op, root, path) {
        Err(why) => diags.push(path_error(span, what, path, why)),
        Ok((_, ty)) if ty.is_string() => {}
        Ok((chain, _)) => diags.push(declared(
            Diagnostic::error(span, format!("{what} `{path}` is not a string field"))
                .label("expected string")
                .help("markers and tokens are sent back as text; declare the field `string`"),
            &chain,
        )),
    }
}

fn integer_path(op: &OperationDoc, root: &[Field], span: Span, what: &str, path: &str, diags: &mut Diagnostics) {
    match resolve_path(op, root, path) {
        Err(why) => diags.push(path_error(span, what, path, why)),
        Ok((_, ty)) if ty.is_integer() => {}
        Ok((chain, _)) => diags.push(declared(
            Diagnostic::error(span, format!("{what} `{path}` is not an integer field"))
                .label("expected int32 or int64")
                .help("declare the field `int32` or `int64`, or name another field"),
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
