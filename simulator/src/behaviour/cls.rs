//! CLS shipping tasks: `ListShippingTasks` lists a shipper's tasks that started within the
//! query's time range.
//!
//! Times are written and read in the service's `time_zone` (UTC+08:00 in its spec). As the
//! document says, the range may only start within the last three days; a range that ends before
//! it starts, or starts earlier, is refused with `InvalidParam`. An unknown shipper gets the
//! documented `ShipperNotExist` (404).

use cloud_task_apis_codegen::check::parse_offset;
use serde_json::Value;
use time::{OffsetDateTime, UtcOffset};

use super::{Call, item_template};
use crate::catalog::{set_path, success_template};
use crate::replies::Reply;
use crate::state::ShippingTask;
use crate::validate::parse_local;
use crate::{Shared, lock};

/// How far back a query may start.
const LOOKBACK: time::Duration = time::Duration::days(3);

pub(super) fn tasks(shared: &Shared, call: &Call<'_>) -> Reply {
    let zone = zone(call);
    let time = |name: &str| call.params.str(name).and_then(parse_local).map(|t| t.assume_offset(zone));
    let (Some(start), Some(end)) = (time("start_time"), time("end_time")) else {
        return call.invalid("start_time", "and end_time must be times YYYY-MM-DD HH:MM:SS");
    };
    if end < start {
        return call.invalid("end_time", "must not be earlier than start_time");
    }
    if start < call.wall.checked_sub(LOOKBACK).unwrap_or(call.wall) {
        return call.invalid("start_time", "must be within the last three days");
    }
    let shipper = call.params.str("shipper_id").unwrap_or_default();
    let state = lock(&shared.state);
    let Some(tasks) = state.shipping.get(shipper) else {
        return call.documented("ShipperNotExist", 404, "The shipper does not exist.");
    };
    let mut found: Vec<&ShippingTask> = tasks.iter().filter(|t| t.start_time >= start && t.start_time <= end).collect();
    found.sort_by_key(|t| t.start_time);
    let mut body = success_template(call.op.op);
    let template = item_template(&body, "tasks");
    let items: Vec<Value> = found.iter().map(|t| item(&template, t, shipper, zone)).collect();
    set_path(&mut body, "tasks", Value::Array(items));
    Reply::ok(body)
}

fn zone(call: &Call<'_>) -> UtcOffset {
    call.op
        .service
        .time_zone
        .as_ref()
        .and_then(|z| parse_offset(&z.value))
        .and_then(|seconds| UtcOffset::from_whole_seconds(seconds).ok())
        .unwrap_or(UtcOffset::UTC)
}

fn item(template: &Value, task: &ShippingTask, shipper: &str, zone: UtcOffset) -> Value {
    let mut item = if template.is_object() { template.clone() } else { Value::Object(serde_json::Map::new()) };
    let local = |t: OffsetDateTime| cloud_task_apis::__private::wall_clock(t, zone, ' ');
    set_path(&mut item, "task_id", Value::from(task.task_id.clone()));
    set_path(&mut item, "shipper_id", Value::from(shipper));
    set_path(&mut item, "topic_id", Value::from(task.topic_id.clone()));
    set_path(&mut item, "range_start", Value::from(local(task.range_start)));
    set_path(&mut item, "range_end", Value::from(local(task.range_end)));
    set_path(&mut item, "start_time", Value::from(local(task.start_time)));
    set_path(&mut item, "end_time", Value::from(local(task.end_time)));
    set_path(&mut item, "status", Value::from(task.status.clone()));
    set_path(&mut item, "message", Value::from(task.message.clone()));
    item
}
