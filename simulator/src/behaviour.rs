//! Answers to valid, authenticated requests.
//!
//! An operation that a declared resource names (`resources` in its service.yaml) is answered by
//! the resource interpreter ([`crate::resources`]) from the stored items. Every other
//! operation is answered from its spec alone: the documented example whose request matches the
//! call, else the first success example, else a body built from the response fields'
//! examples (required fields without one get an empty value of their type).

use cloud_task_apis_codegen::spec::model::{Field, OperationDoc};
use cloud_task_apis_codegen::spec::types::{Scalar, TypeExpr, resolve};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use tokio::time::Instant;

use crate::Shared;
use crate::catalog::OpRef;
use crate::replies::{Reply, ReplyContext, Shape, error};
use crate::validate::Params;

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
        crate::replies::invalid(self.op.envelope(), &self.reply, field, false, rule)
    }
}

/// Answers `call`.
pub(crate) fn respond(shared: &Shared, call: &Call<'_>) -> Reply {
    match crate::resources::find(call.op.service, call.op.siblings, call.op.name()) {
        Some((declared, role)) => crate::resources::respond(shared, call, &declared, role),
        None => from_spec(call),
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
