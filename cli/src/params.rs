//! What the specs the runtime was generated from say about a service and its operations (read
//! with the generator's loader, which the simulator re-exports), for the tool's flags and help:
//! each parameter's kind, required-ness, one line of help and, for enums, the allowed values;
//! each service's signing schemes by their spec names; and how an argument's text becomes a JSON
//! value.

use std::sync::OnceLock;

use cloud_task_apis::__private::calls::Service;
use cloud_task_apis::Signing;
use cloud_task_apis_simulator::codegen::spec::model::{EnumKind, OperationDoc, ParamSource, ServiceSpec};
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
            Self::Json => serde_json::from_str(text).map_err(|e| format!("expected JSON ({e}), got {text:?}")),
        }
    }
}

/// One value an enum parameter allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The value as written on the command line (and on the wire).
    pub value: String,
    /// Its meaning, from the spec.
    pub help: String,
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
    /// The values of its enum, in the spec's order; empty when it is not an enum.
    pub choices: Vec<Choice>,
}

/// What the specs say about an operation: a one-line summary and the parameters a caller gives
/// (those the client fills itself, such as tokens and project ids, are left out).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Description {
    /// One line of help.
    pub summary: String,
    /// Parameters, in the spec's order.
    pub params: Vec<Param>,
    /// Whether a request needs the configured project id (a required parameter filled from it).
    pub needs_project_id: bool,
}

fn specs() -> &'static [ServiceSpec] {
    static SPECS: OnceLock<Vec<ServiceSpec>> = OnceLock::new();
    SPECS.get_or_init(|| {
        let mut sources = SourceMap::new();
        for (path, text) in cloud_task_apis::__private::SPEC_FILES {
            sources.add(*path, *text);
        }
        cloud_task_apis_simulator::codegen::spec::load(&sources, &mut Diagnostics::new())
    })
}

fn service_spec(service: &Service) -> Option<&'static ServiceSpec> {
    specs()
        .iter()
        .find(|s| s.service.provider.value.word() == service.provider && s.service.service.value == service.name)
}

/// The signing schemes `service` accepts, by their spec names (`acs3_hmac_sha256`), the
/// default first.
#[must_use]
pub fn signing_schemes(service: &Service) -> Vec<(&'static str, Signing)> {
    // Both lists are generated from the same `signing` list of the same service.yaml, in order.
    let words = service_spec(service).map(|s| s.service.signing.iter().map(|s| s.value.word()).collect::<Vec<_>>());
    words.unwrap_or_default().into_iter().zip(service.spec.signing.iter().copied()).collect()
}

/// Describes `operation` of `service` from the specs compiled into the crate.
#[must_use]
pub fn describe(service: &Service, operation: &str) -> Description {
    let Some(spec) = service_spec(service) else { return Description::default() };
    let Some(op) = spec.operations.iter().find(|o| o.operation.value == operation) else {
        return Description::default();
    };
    let params = op
        .params
        .iter()
        .filter(|p| p.source.as_ref().is_none_or(|s| s.value == ParamSource::Caller))
        .map(|p| {
            let (kind, choices) = kind_of([Some(op), spec.shared.as_ref()], &p.ty.value);
            Param {
                name: p.name.value.clone(),
                kind,
                required: p.required.value,
                help: first_sentence(p.description.as_ref().map(|d| d.value.as_str())),
                choices,
            }
        })
        .collect();
    let needs_project_id = op
        .params
        .iter()
        .any(|p| p.required.value && p.source.as_ref().is_some_and(|s| s.value == ParamSource::ProjectId));
    Description { summary: first_sentence(Some(&op.summary.value)), params, needs_project_id }
}

fn first_sentence(text: Option<&str>) -> String {
    text.unwrap_or_default().split(". ").next().unwrap_or_default().trim().to_owned()
}

/// How a parameter of type `ty` (a spec type name) is written on the command line, and the
/// values it allows when it names an enum of the operation or of the service's shared types.
fn kind_of(scopes: [Option<&OperationDoc>; 2], ty: &str) -> (Kind, Vec<Choice>) {
    let kind = match ty {
        "int32" | "int64" | "epoch_millis" | "epoch_seconds" => Kind::Integer,
        "float64" => Kind::Number,
        "boolean" => Kind::Boolean,
        // A time of several forms decodes from its text whichever form it is in.
        "string" | "rfc3339" | "local_datetime" | "time" => Kind::String,
        _ => match scopes.into_iter().flatten().flat_map(|scope| &scope.enums).find(|e| e.name.value == ty) {
            Some(e) => {
                let kind = if e.kind.value == EnumKind::Integer { Kind::Integer } else { Kind::String };
                let choices = e
                    .values
                    .iter()
                    .map(|v| Choice {
                        value: v.value.as_str().map_or_else(|| v.value.to_json().to_string(), str::to_owned),
                        help: first_sentence(v.description.as_ref().or(v.name.as_ref()).map(|d| d.value.as_str())),
                    })
                    .collect();
                return (kind, choices);
            }
            None => Kind::Json,
        },
    };
    (kind, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use cloud_task_apis::__private::calls::services;

    #[test]
    fn arguments_parse_by_kind() {
        assert_eq!(Kind::Integer.parse("16602"), Ok(Value::from(16602)));
        assert_eq!(Kind::Integer.parse("-1"), Ok(Value::from(-1)));
        assert!(Kind::Integer.parse("x").is_err());
        assert_eq!(Kind::String.parse("2"), Ok(Value::from("2")));
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
        assert!(!create.needs_project_id);
        let cbr = services().into_iter().find(|s| s.name == "cbr").expect("cbr");
        assert!(describe(cbr, "ShowOpLog").needs_project_id);
        let dis = services().into_iter().find(|s| s.name == "dis").expect("dis");
        let kinds: Vec<(String, Kind, usize)> = describe(dis, "ShowTransferTaskLog")
            .params
            .into_iter()
            .map(|p| (p.name, p.kind, p.choices.len()))
            .collect();
        // The token header is filled from credentials, so it is not a flag; enums list their values.
        assert_eq!(
            kinds,
            [
                ("task_id".into(), Kind::String, 0),
                ("order".into(), Kind::String, 2),
                ("sortBy".into(), Kind::String, 7),
                ("pageInfo".into(), Kind::Json, 0)
            ]
        );
        let order = &describe(dis, "ShowTransferTaskLog").params[1].choices[0];
        assert_eq!((order.value.as_str(), order.help.as_str()), ("desc", "Descending order."));
    }

    #[test]
    fn every_service_names_each_of_its_signing_schemes() {
        for service in services() {
            let schemes = signing_schemes(service);
            assert_eq!(schemes.len(), service.spec.signing.len(), "{}", service.name);
        }
        let alibaba = services().into_iter().find(|s| s.name == "actiontrail").expect("actiontrail");
        assert_eq!(
            signing_schemes(alibaba),
            [("acs3_hmac_sha256", Signing::Acs3HmacSha256), ("rpc_hmac_sha1", Signing::RpcHmacSha1)]
        );
    }
}
