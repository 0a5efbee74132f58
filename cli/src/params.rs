//! The parameters of each operation as the specs the runtime was generated from describe them
//! (read with the generator's loader, which the simulator re-exports), and how an argument's
//! text becomes a JSON value.

use std::sync::OnceLock;

use cloud_task_apis::__private::calls::Service;
use cloud_task_apis_simulator::codegen::spec::model::{OperationDoc, ParamSource, ServiceSpec};
use cloud_task_apis_simulator::codegen::{Diagnostics, SourceMap};
use serde_json::Value;

/// How an argument's text becomes a JSON value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// Text (also times).
    String,
    /// A value of an enum: a number if it parses as one, else text.
    Enum,
    /// A JSON value (objects and lists).
    Json,
}

impl Kind {
    /// The placeholder shown in help (`INTEGER`, `JSON`).
    #[must_use]
    pub fn placeholder(self) -> &'static str {
        match self {
            Self::Integer => "INTEGER",
            Self::Number => "NUMBER",
            Self::Boolean => "BOOLEAN",
            Self::String => "TEXT",
            Self::Enum => "VALUE",
            Self::Json => "JSON",
        }
    }

    /// Parses an argument.
    ///
    /// # Errors
    /// What was expected.
    pub fn parse(self, text: &str) -> Result<Value, String> {
        match self {
            Self::Integer => {
                text.parse::<i64>().map(Value::from).map_err(|_| format!("expected a whole number, got {text:?}"))
            }
            Self::Number => text
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .ok_or_else(|| format!("expected a number, got {text:?}")),
            Self::Boolean => {
                text.parse::<bool>().map(Value::Bool).map_err(|_| format!("expected true or false, got {text:?}"))
            }
            Self::String => Ok(Value::String(text.to_owned())),
            Self::Enum => Ok(text.parse::<i64>().map_or_else(|_| Value::String(text.to_owned()), Value::from)),
            Self::Json => serde_json::from_str(text).map_err(|e| format!("expected JSON ({e}), got {text:?}")),
        }
    }
}

/// One parameter of an operation, as its spec describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// Wire name (also the flag name).
    pub name: String,
    /// How its text is parsed.
    pub kind: Kind,
    /// Whether the provider requires it.
    pub required: bool,
    /// One line of help.
    pub help: String,
}

/// What the specs say about an operation: a one-line summary and the parameters a caller gives
/// (those the client fills itself, such as tokens and project ids, are left out).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Description {
    /// One line of help.
    pub summary: String,
    /// Parameters, in the spec's order.
    pub params: Vec<Param>,
}

/// Describes `operation` of `service` from the specs compiled into the crate.
#[must_use]
pub fn describe(service: &Service, operation: &str) -> Description {
    static SPECS: OnceLock<Vec<ServiceSpec>> = OnceLock::new();
    let specs = SPECS.get_or_init(|| {
        let mut sources = SourceMap::new();
        for (path, text) in cloud_task_apis::__private::SPEC_FILES {
            sources.add(*path, *text);
        }
        cloud_task_apis_simulator::codegen::spec::load(&sources, &mut Diagnostics::new())
    });
    let Some(op) = specs
        .iter()
        .filter(|s| s.service.provider.value.word() == service.provider && s.service.service.value == service.name)
        .flat_map(|s| &s.operations)
        .find(|o| o.operation.value == operation)
    else {
        return Description::default();
    };
    let first_line =
        |text: Option<&str>| text.unwrap_or_default().split(". ").next().unwrap_or_default().trim().to_owned();
    let params = op
        .params
        .iter()
        .filter(|p| p.source.as_ref().is_none_or(|s| s.value == ParamSource::Caller))
        .map(|p| Param {
            name: p.name.value.clone(),
            kind: kind_of(op, &p.ty.value),
            required: p.required.value,
            help: first_line(p.description.as_ref().map(|d| d.value.as_str())),
        })
        .collect();
    Description { summary: first_line(Some(&op.summary.value)), params }
}

/// How a parameter of type `ty` (a spec type name) is written on the command line.
fn kind_of(op: &OperationDoc, ty: &str) -> Kind {
    match ty {
        "int32" | "int64" | "epoch_millis" | "epoch_seconds" => Kind::Integer,
        "float64" => Kind::Number,
        "boolean" => Kind::Boolean,
        // A `time` value decodes from its text in any declared form (an epoch count as digits).
        "string" | "rfc3339" | "local_datetime" | "time" => Kind::String,
        _ if op.enums.iter().any(|e| e.name.value == ty) => Kind::Enum,
        _ => Kind::Json,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cloud_task_apis::__private::calls::services;

    #[test]
    fn arguments_parse_by_kind() {
        assert_eq!(Kind::Integer.parse("16602"), Ok(Value::from(16602)));
        assert!(Kind::Integer.parse("x").is_err());
        assert_eq!(Kind::Enum.parse("2"), Ok(Value::from(2)));
        assert_eq!(Kind::Enum.parse("desc"), Ok(Value::from("desc")));
        assert_eq!(Kind::Json.parse(r#"{"pageIndex":1}"#), Ok(serde_json::json!({"pageIndex": 1})));
        assert_eq!(Kind::Boolean.parse("true"), Ok(Value::Bool(true)));
    }

    #[test]
    fn every_operation_is_described_from_the_embedded_specs() {
        for service in services() {
            for operation in service.operations {
                let description = describe(service, operation.name);
                assert!(!description.summary.is_empty(), "{} has no summary", operation.name);
            }
        }
        let alibaba = services().into_iter().find(|s| s.name == "actiontrail").expect("actiontrail");
        let create = describe(alibaba, "CreateDeliveryHistoryJob");
        let names: Vec<(&str, Kind, bool)> =
            create.params.iter().map(|p| (p.name.as_str(), p.kind, p.required)).collect();
        assert_eq!(names, [("TrailName", Kind::String, true), ("ClientToken", Kind::String, false)]);
        let dis = services().into_iter().find(|s| s.name == "dis").expect("dis");
        let kinds: Vec<(String, Kind)> =
            describe(dis, "ShowTransferTaskLog").params.into_iter().map(|p| (p.name, p.kind)).collect();
        // The token header is filled from credentials, so it is not a flag.
        assert_eq!(
            kinds,
            [
                ("task_id".into(), Kind::String),
                ("order".into(), Kind::Enum),
                ("sortBy".into(), Kind::Enum),
                ("pageInfo".into(), Kind::Json)
            ]
        );
    }
}
