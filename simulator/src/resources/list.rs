//! Listing: the declared filters (equal, any of, a time window with an optional oldest start),
//! the declared order, and paging in the list operation's style (page number, offset, marker,
//! token), with the total where the operation reports one.

use std::cmp::Ordering;

use cloud_task_apis_codegen::spec::model::{OperationDoc, PageStyle, Pagination};
use cloud_task_apis_codegen::spec::resource::{Filter, FilterMatch, ListBinding};
use cloud_task_apis_codegen::spec::types::{TypeExpr, resolve};
use serde_json::Value;
use time::OffsetDateTime;

use super::Declared;
use super::render::{instant, zone};
use crate::behaviour::Call;
use crate::catalog::get_path;
use crate::replies::Reply;
use crate::store::text;

/// Page size when neither the request nor the spec gives one.
const DEFAULT_PAGE_SIZE: i64 = 20;

/// Keeps the rendered items that pass every filter, or the refusal of a filter parameter.
pub(crate) fn filter(
    declared: &Declared<'_>,
    list: &ListBinding,
    call: &Call<'_>,
    items: Vec<Value>,
) -> Result<Vec<Value>, Reply> {
    let zone = zone(declared.service);
    let mut since: Option<(&Filter, OffsetDateTime)> = None;
    let mut kept = items;
    for f in &list.filters {
        let Some(param) = call.params.get(&f.param.value) else { continue };
        match f.matching.value {
            FilterMatch::Equal => kept.retain(|item| get_path(item, &f.field.value).is_some_and(|v| same(v, param))),
            FilterMatch::AnyOf => {
                let wanted: Vec<String> = match param {
                    Value::Array(values) => values.iter().map(text).collect(),
                    other => text(other).split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect(),
                };
                kept.retain(|item| get_path(item, &f.field.value).is_some_and(|v| wanted.contains(&text(v))));
            }
            FilterMatch::Since | FilterMatch::Until => {
                let Some(bound) = instant(param, zone) else {
                    return Err(call.invalid(&f.param.value, "must be a time"));
                };
                if f.matching.value == FilterMatch::Since {
                    if let Some(age) = &f.max_age
                        && bound < call.wall - time::Duration::seconds(age.value)
                    {
                        return Err(
                            call.invalid(&f.param.value, &format!("must be within the last {}", span(age.value)))
                        );
                    }
                    since = Some((f, bound));
                } else if let Some((_, start)) = since
                    && bound < start
                {
                    return Err(call.invalid(&f.param.value, "must not be earlier than the start of the range"));
                }
                let keep =
                    |t: OffsetDateTime| if f.matching.value == FilterMatch::Since { t >= bound } else { t <= bound };
                kept.retain(|item| get_path(item, &f.field.value).and_then(|v| instant(v, zone)).is_some_and(keep));
            }
        }
    }
    Ok(kept)
}

/// `seconds` in words (`3 days`, `2 hours`, `90 seconds`).
fn span(seconds: i64) -> String {
    match seconds {
        s if s % 86_400 == 0 => format!("{} days", s / 86_400),
        s if s % 3_600 == 0 => format!("{} hours", s / 3_600),
        s => format!("{s} seconds"),
    }
}

/// Whether an item's value equals a parameter's, numbers and their text alike.
fn same(item: &Value, param: &Value) -> bool {
    item == param || text(item) == text(param)
}

/// Orders the items as declared (insertion order without `sort`).
pub(crate) fn sort(list: &ListBinding, call: &Call<'_>, items: &mut [Value]) {
    let Some(sort) = &list.sort else { return };
    let chosen = sort.by.as_ref().and_then(|by| call.params.get(&by.value)).map(text);
    let field = chosen
        .and_then(|c| sort.keys.iter().find(|(k, _)| k.value == c).map(|(_, f)| f.value.clone()))
        .unwrap_or_else(|| sort.field.value.clone());
    let descending = sort
        .order
        .as_ref()
        .and_then(|o| call.params.str(&o.value))
        .map_or(sort.descending, |o| o.eq_ignore_ascii_case("desc"));
    items.sort_by(|a, b| compare(get_path(a, &field), get_path(b, &field)));
    if descending {
        items.reverse();
    }
}

fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            x.as_f64().unwrap_or(0.0).partial_cmp(&y.as_f64().unwrap_or(0.0)).unwrap_or(Ordering::Equal)
        }
        (Some(x), Some(y)) => text(x).cmp(&text(y)),
        (a, b) => a.is_some().cmp(&b.is_some()),
    }
}

/// One page of `items`.
#[derive(Debug)]
pub(crate) struct Page {
    /// The items of the page.
    pub items: Vec<Value>,
    /// The token of the next page (token style), `None` on the last.
    pub next_token: Option<String>,
}

/// The page the request asks for, in the operation's paging style (all items without one).
pub(crate) fn page(op: &OperationDoc, call: &Call<'_>, items: Vec<Value>) -> Result<Page, Reply> {
    let Some(p) = &op.pagination else { return Ok(Page { items, next_token: None }) };
    let size = page_size(op, p, call)?;
    let skip = match p.style.value {
        PageStyle::PageNumber => {
            let first = p.first_page.as_ref().map_or(1, |f| f.value);
            let name = p.page_number.as_ref().map_or("", |n| n.value.as_str());
            let number = call.params.i64(name).or_else(|| default_of(op, name)).unwrap_or(first);
            if number < first {
                return Err(call.invalid(name, &format!("must be at least {first}")));
            }
            (number - first).saturating_mul(size)
        }
        PageStyle::Offset => {
            let first = p.first_offset.as_ref().map_or(0, |f| f.value);
            let name = p.offset.as_ref().map_or("", |n| n.value.as_str());
            let offset = call.params.i64(name).or_else(|| default_of(op, name)).unwrap_or(first);
            if offset < first {
                return Err(call.invalid(name, &format!("must be at least {first}")));
            }
            offset - first
        }
        PageStyle::Marker => {
            let name = p.marker.as_ref().map_or("", |n| n.value.as_str());
            let field = p.marker_field.as_ref().map_or("id", |f| f.value.as_str());
            match call.params.get(name).map(text).filter(|m| !m.is_empty()) {
                None => 0,
                Some(marker) => {
                    match items.iter().position(|i| get_path(i, field).map(text).as_deref() == Some(&marker)) {
                        Some(at) => i64::try_from(at + 1).unwrap_or(i64::MAX),
                        None => return Err(call.invalid(name, "is not the id of a listed item")),
                    }
                }
            }
        }
        PageStyle::Token => {
            let name = p.token.as_ref().map_or("", |n| n.value.as_str());
            match call.params.get(name).map(text).filter(|t| !t.is_empty()) {
                None => 0,
                Some(token) => match token.parse::<i64>() {
                    Ok(n) if n >= 0 => n,
                    _ => return Err(call.invalid(name, "is not a token this service gave out")),
                },
            }
        }
    };
    let skip = usize::try_from(skip).unwrap_or(usize::MAX);
    let take = usize::try_from(size).unwrap_or(usize::MAX);
    let end = skip.saturating_add(take);
    let next_token = (end < items.len()).then(|| end.to_string());
    Ok(Page { items: items.into_iter().skip(skip).take(take).collect(), next_token })
}

fn page_size(op: &OperationDoc, p: &Pagination, call: &Call<'_>) -> Result<i64, Reply> {
    let Some(name) = p.page_size.as_ref().map(|s| s.value.as_str()) else { return Ok(DEFAULT_PAGE_SIZE) };
    let size = call.params.i64(name).or_else(|| default_of(op, name)).unwrap_or(DEFAULT_PAGE_SIZE);
    if size < 1 {
        return Err(call.invalid(name, "must be at least 1"));
    }
    Ok(size)
}

/// The documented `default` of the request field at a dotted path (`pageInfo.pageTotal`).
fn default_of(op: &OperationDoc, path: &str) -> Option<i64> {
    let mut segments = path.split('.');
    let mut field = op.params.iter().find(|p| Some(p.name.value.as_str()) == segments.next())?;
    for segment in segments {
        let TypeExpr::Object(i) = resolve(op, &field.ty, field.items.as_ref()).ok()? else { return None };
        field = op.types.get(i)?.fields.iter().find(|f| f.name.value == segment)?;
    }
    field.default.as_ref().map(cloud_task_apis_codegen::spec::yaml::Node::to_json)?.as_i64()
}
