//! DIS dump task logs: `ShowTransferTaskLog` pages through a task's logs.
//!
//! Every dump task has logs: a seeded count, or the simulator's `dis_logs_per_task`. The page
//! number, page size, item list and total come from the operation's `pagination` in its spec
//! (`pageInfo.pageIndex`, `pageInfo.pageTotal`, `transferTaskLogList`, `totalNum`); the page
//! size defaults to the size parameter's documented `default` (10). Logs are sorted by `sortBy`
//! (default `createTimeStr`) in `order` (default `desc`, newest first), as documented.

use std::cmp::Ordering;

use cloud_task_apis_codegen::spec::model::OperationDoc;
use cloud_task_apis_codegen::spec::types::{TypeExpr, resolve};
use serde_json::Value;

use super::{Call, item_template};
use crate::simulator::catalog::{set_path, success_template};
use crate::simulator::replies::Reply;
use crate::simulator::{Shared, lock};

/// Minutes between two logs of one task.
const LOG_INTERVAL_MS: i64 = 5 * 60 * 1000;

pub(super) fn logs(shared: &Shared, call: &Call<'_>) -> Reply {
    let op = call.op.op;
    let (number_path, size_path, first, items_path, total_path) = match &op.pagination {
        Some(p) => (
            p.page_number.as_ref().map_or("pageInfo.pageIndex", |n| n.value.as_str()),
            p.page_size.as_ref().map_or("pageInfo.pageTotal", |n| n.value.as_str()),
            p.first_page.as_ref().map_or(1, |n| n.value),
            p.items.value.as_str(),
            p.total.as_ref().map(|t| t.value.as_str()),
        ),
        None => ("pageInfo.pageIndex", "pageInfo.pageTotal", 1, "transferTaskLogList", Some("totalNum")),
    };
    let index = call.params.i64(number_path).unwrap_or(first);
    let size = call.params.i64(size_path).or_else(|| default_of(op, size_path)).unwrap_or(10);
    if index < first {
        return call.invalid(number_path, &format!("must be at least {first}"));
    }
    if size < 1 {
        return call.invalid(size_path, "must be at least 1");
    }
    let task = call.params.str("task_id").unwrap_or_default();
    let (count, started_ms) = {
        let state = lock(&shared.state);
        let count = state.dis.get(task).copied().unwrap_or(state.dis_default);
        let started_ms = i64::try_from(state.started_at.unix_timestamp_nanos() / 1_000_000).unwrap_or(0);
        (count, started_ms)
    };
    let mut body = success_template(op);
    let template = item_template(&body, items_path);
    let key = match call.params.str("sortBy").unwrap_or("createTimeStr") {
        "endTime" => "endTime",
        "state" => "state",
        "records" | "readRecords" => "transferRecordsNum",
        "dataSize" => "transferBytes",
        _ => "startTime",
    };
    let descending = call.params.str("order").unwrap_or("desc") == "desc";
    let skip = usize::try_from((index - first).saturating_mul(size)).unwrap_or(usize::MAX);
    let take = usize::try_from(size).unwrap_or(usize::MAX);
    let make = |i: usize| log(&template, task, i, count, started_ms);
    let page: Vec<Value> = if matches!(key, "startTime" | "endTime") {
        // Logs are numbered oldest first, so time order is number order: only the page is made.
        if descending {
            (0..count).rev().skip(skip).take(take).map(make).collect()
        } else {
            (0..count).skip(skip).take(take).map(make).collect()
        }
    } else {
        let mut all: Vec<Value> = (0..count).map(make).collect();
        all.sort_by(|a, b| compare(a.get(key), b.get(key)));
        if descending {
            all.reverse();
        }
        all.into_iter().skip(skip).take(take).collect()
    };
    set_path(&mut body, items_path, Value::Array(page));
    if let Some(path) = total_path {
        set_path(&mut body, path, Value::from(count));
    }
    Reply::ok(body)
}

fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    let n = |v: Option<&Value>| v.and_then(Value::as_i64).unwrap_or(0);
    n(a).cmp(&n(b))
}

/// Log number `i` (oldest first) of `count`, every five minutes up to the simulator's start.
fn log(template: &Value, task: &str, i: usize, count: usize, started_ms: i64) -> Value {
    let mut item = if template.is_object() { template.clone() } else { Value::Object(serde_json::Map::new()) };
    let n = i64::try_from(i).unwrap_or(i64::MAX);
    let back = i64::try_from(count - i).unwrap_or(i64::MAX);
    let start = started_ms.saturating_sub(back.saturating_mul(LOG_INTERVAL_MS));
    let records = 1_000 + (n.wrapping_mul(7_919)).rem_euclid(40_000);
    // The documented name is `<task>.<stream name>.<partition>.<creation time>`; the stream
    // name is taken from the example.
    let stream = item
        .get("transferFileName")
        .and_then(Value::as_str)
        .and_then(|name| name.split('.').nth(1))
        .unwrap_or("stream")
        .to_owned();
    set_path(&mut item, "transferTaskId", Value::from(task));
    set_path(&mut item, "startTime", Value::from(start));
    set_path(&mut item, "endTime", Value::from(start + 240_000 + (n * 1_009).rem_euclid(50_000)));
    set_path(&mut item, "transferRecordsNum", Value::from(records));
    set_path(&mut item, "transferBytes", Value::from(records * 932 + n));
    set_path(&mut item, "transferFileName", Value::from(format!("{task}.{stream}.0.{}", start + 10)));
    set_path(&mut item, "state", Value::from(0));
    set_path(&mut item, "num", Value::from(n));
    item
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
