//! Support for the command-line tool (feature `cli`): the types of the per-service tables the
//! generator emits, and the one typed call every table entry goes through.

use std::future::Future;
use std::pin::Pin;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::__private::{Operation as TypedOperation, ResponseBody};
use crate::client::{ClientHandle, send_operation};
use crate::wire::ServiceSpec;

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

/// One parameter of an operation.
#[derive(Debug)]
pub struct Param {
    /// Wire name (also the flag name).
    pub name: &'static str,
    /// How its text is parsed.
    pub kind: Kind,
    /// Whether the provider requires it.
    pub required: bool,
    /// One line of help.
    pub help: &'static str,
}

/// What a table entry's call returns: the response as JSON and its request id, or the error's
/// one-line description.
pub type CallFuture = Pin<Box<dyn Future<Output = Result<(Value, Option<String>), String>> + Send>>;

/// One operation of a service.
#[derive(Debug)]
pub struct Operation {
    /// The provider's name.
    pub name: &'static str,
    /// One line of help.
    pub summary: &'static str,
    /// Parameters the caller gives.
    pub params: &'static [Param],
    /// Decodes the arguments into the typed request, sends it, encodes the response.
    pub call: fn(ClientHandle, Map<String, Value>) -> CallFuture,
}

/// One service.
#[derive(Debug)]
pub struct Service {
    /// Provider (`alibaba`).
    pub provider: &'static str,
    /// Service (`actiontrail`).
    pub name: &'static str,
    /// Wire facts, for building a client.
    pub spec: &'static ServiceSpec,
    /// Its operations.
    pub operations: &'static [Operation],
}

/// Every enabled service.
#[must_use]
pub fn services() -> Vec<&'static Service> {
    crate::services::cli_services()
}

/// Decodes `args` (wire name → JSON value) into `R`, sends it and encodes the response.
///
/// # Errors
/// Arguments that do not make a valid request, or the call's error, as one line.
pub async fn call<R>(client: ClientHandle, args: Map<String, Value>) -> Result<(Value, Option<String>), String>
where
    R: TypedOperation + DeserializeOwned,
    R::Response: Serialize,
{
    let request: R = serde_json::from_value(Value::Object(args))
        .map_err(|e| format!("invalid arguments for {}: {e}", R::SPEC.name))?;
    let mut response = send_operation(&client, request).await.map_err(|e| e.to_string())?;
    let request_id = response.meta_mut().request_id().map(str::to_owned);
    let json = serde_json::to_value(&response).map_err(|e| format!("cannot encode the response: {e}"))?;
    Ok((json, request_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_parse_by_kind() {
        assert_eq!(Kind::Integer.parse("16602"), Ok(Value::from(16602)));
        assert!(Kind::Integer.parse("x").is_err());
        assert_eq!(Kind::Enum.parse("2"), Ok(Value::from(2)));
        assert_eq!(Kind::Enum.parse("desc"), Ok(Value::from("desc")));
        assert_eq!(Kind::Json.parse(r#"{"pageIndex":1}"#), Ok(serde_json::json!({"pageIndex": 1})));
        assert_eq!(Kind::Boolean.parse("true"), Ok(Value::Bool(true)));
    }
}
