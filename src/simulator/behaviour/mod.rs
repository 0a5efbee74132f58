//! Answers to valid, authenticated requests.
//!
//! The five operations of the embedded specs have stateful behaviour (one module per service),
//! which reads the facts it needs from the spec: the waiter's states, the pagination paths,
//! the documented errors and the example bodies used as response templates. Every other
//! operation is answered from its spec alone: the documented example whose request matches the
//! call, else the first success example, else a body built from the response fields'
//! examples (required fields without one get an empty value of their type).

pub(super) mod actiontrail;
mod cbr;
mod cls;
mod dis;

use cloud_task_apis_codegen::spec::model::{Field, OperationDoc};
use cloud_task_apis_codegen::spec::types::{Scalar, TypeExpr, resolve};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use tokio::time::Instant;

use super::Shared;
use super::catalog::OpRef;
use super::replies::{Reply, ReplyContext, Shape, error};
use super::validate::Params;

/// One call to answer.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    /// The operation.
    pub op: OpRef<'a>,
    /// Its validated parameters.
    pub params: &'a Params,
    /// Who called (access key id).
    pub account: &'a str,
    /// For error bodies.
    pub reply: ReplyContext<'a>,
    /// Now, on the Tokio clock (task scripts).
    pub now: Instant,
    /// Now, on the wall clock (times in bodies).
    pub wall: OffsetDateTime,
}

impl Call<'_> {
    /// An error the spec documents for this operation or its service (its status and message
    /// come from there), or `status`/`message` when it does not document `code`.
    pub(crate) fn documented(&self, code: &str, status: u16, message: &str) -> Reply {
        let declared = self
            .op
            .op
            .errors
            .iter()
            .chain(&self.op.service.errors)
            .find(|e| e.code.as_ref().is_some_and(|c| c.value == code));
        let status = declared.and_then(|e| u16::try_from(e.status.value).ok()).unwrap_or(status);
        let text =
            declared.and_then(|e| e.message.as_ref().or(e.description.as_ref())).map_or(message, |m| m.value.as_str());
        error(Shape::of(self.op.envelope()), &self.reply, status, code, text)
    }

    /// A parameter that breaks a rule the behaviour enforces.
    pub(crate) fn invalid(&self, field: &str, rule: &str) -> Reply {
        super::replies::invalid(self.op.envelope(), &self.reply, field, false, rule)
    }
}

/// Answers `call`.
pub(crate) fn respond(shared: &Shared, call: &Call<'_>) -> Reply {
    let service = &call.op.service;
    match (service.provider.value.word(), service.service.value.as_str(), call.op.name()) {
        ("alibaba", "actiontrail", "CreateDeliveryHistoryJob") => actiontrail::create(shared, call),
        ("alibaba", "actiontrail", "GetDeliveryHistoryJob") => actiontrail::get(shared, call),
        ("huawei", "cbr", "ShowOpLog") => cbr::show(shared, call),
        ("huawei", "dis", "ShowTransferTaskLog") => dis::logs(shared, call),
        ("tencent", "cls", "ListShippingTasks") => cls::tasks(shared, call),
        _ => from_spec(call),
    }
}

/// The answer the spec documents for this call.
pub(crate) fn from_spec(call: &Call<'_>) -> Reply {
    let op = call.op.op;
    let envelope = call.op.envelope();
    let matching = op.examples.iter().find(|e| e.request.as_ref().is_some_and(|r| call.params.matches(&r.to_json())));
    let success = || op.examples.iter().find(|e| (200..300).contains(&e.status.value));
    match matching.or_else(success) {
        Some(example) => {
            Reply::example(u16::try_from(example.status.value).unwrap_or(200), example.body.to_json(), envelope)
        }
        None => Reply::ok(synthesize(op, &op.response, 0)),
    }
}

/// A body of `fields` from their examples; required fields without one get an empty value.
fn synthesize(op: &OperationDoc, fields: &[Field], depth: usize) -> Value {
    let mut map = Map::new();
    for f in fields {
        let value = match &f.example {
            Some(example) => example.to_json(),
            None if f.required.value => match resolve(op, &f.ty, f.items.as_ref()) {
                Ok(ty) => empty(op, &ty, depth),
                Err(_) => Value::Null,
            },
            None => continue,
        };
        map.insert(f.name.value.clone(), value);
    }
    Value::Object(map)
}

fn empty(op: &OperationDoc, ty: &TypeExpr, depth: usize) -> Value {
    match ty {
        TypeExpr::Array(_) => Value::Array(Vec::new()),
        // Types may refer to themselves; stop well before that matters.
        TypeExpr::Object(i) if depth < 8 => {
            op.types.get(*i).map_or(Value::Null, |t| synthesize(op, &t.fields, depth + 1))
        }
        TypeExpr::Object(_) => Value::Object(Map::new()),
        TypeExpr::Enum(i) => op.enums.get(*i).and_then(|e| e.values.first()).map_or(Value::Null, |v| v.value.to_json()),
        TypeExpr::Scalar(Scalar::String | Scalar::LocalDateTime) => Value::from(""),
        TypeExpr::Scalar(Scalar::Rfc3339) => Value::from("1970-01-01T00:00:00Z"),
        TypeExpr::Scalar(
            Scalar::Int32 | Scalar::Int64 | Scalar::EpochMillis | Scalar::EpochSeconds | Scalar::Float64,
        ) => Value::from(0),
        // The forms are the field's; the documented example gives a real value.
        TypeExpr::Scalar(Scalar::Time) => Value::Null,
        TypeExpr::Scalar(Scalar::Boolean) => Value::Bool(false),
        TypeExpr::Scalar(Scalar::Json) => Value::Null,
    }
}

/// `time` as `YYYY-MM-DDTHH:MM:SSZ` (UTC).
pub(crate) fn utc_seconds(time: OffsetDateTime) -> String {
    format!("{}Z", crate::value::wall_clock(time, time::UtcOffset::UTC, 'T'))
}

/// `time` as `YYYY-MM-DDTHH:MM:SS.mmm+00:00` (UTC, milliseconds), as CBR writes times.
pub(crate) fn utc_millis(time: OffsetDateTime) -> String {
    format!("{}.{:03}+00:00", crate::value::wall_clock(time, time::UtcOffset::UTC, 'T'), time.millisecond())
}

/// `time + elapsed`, or `time` when that cannot be represented.
pub(crate) fn later(time: OffsetDateTime, elapsed: std::time::Duration) -> OffsetDateTime {
    time.checked_add(time::Duration::try_from(elapsed).unwrap_or(time::Duration::ZERO)).unwrap_or(time)
}

/// The object at `path` of the first success example's body (a one-element array gives its
/// element), as a template for one listed item.
pub(crate) fn item_template(template: &Value, path: &str) -> Value {
    match super::catalog::get_path(template, path) {
        Some(Value::Array(items)) => items.first().cloned().unwrap_or_else(|| Value::Object(Map::new())),
        Some(item @ Value::Object(_)) => item.clone(),
        _ => Value::Object(Map::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_the_providers_write_them() {
        let t = time::macros::datetime!(2024-03-05 06:07:08.009 +08:00);
        assert_eq!(utc_seconds(t), "2024-03-04T22:07:08Z");
        assert_eq!(utc_millis(t), "2024-03-04T22:07:08.009+00:00");
        assert_eq!(
            later(t, std::time::Duration::from_secs(2)),
            time::macros::datetime!(2024-03-05 06:07:10.009 +08:00)
        );
    }
}
