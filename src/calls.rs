//! Operations callable by name with JSON arguments (cargo feature `json-calls`): the types of
//! the per-service tables the generator emits, and the one typed call every table entry goes
//! through. The command-line tool (`cloud-task-apis-cli`) is built from these tables; the
//! parameters of each operation come from the specs (`SPEC_FILES`), not from here.

use std::future::Future;
use std::pin::Pin;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::__private::{Operation as TypedOperation, ResponseBody};
use crate::client::{ClientHandle, send_operation};
use crate::wire::ServiceSpec;

/// What a table entry's call returns: the response as JSON and its request id, or the error's
/// one-line description.
pub type CallFuture = Pin<Box<dyn Future<Output = Result<(Value, Option<String>), String>> + Send>>;

/// One operation of a service.
#[derive(Debug)]
pub struct Operation {
    /// The provider's name.
    pub name: &'static str,
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
    crate::services::json_call_services()
}

/// The table entry of operation `R` (generated tables list one per operation).
#[must_use]
pub const fn operation<R>() -> Operation
where
    R: TypedOperation + DeserializeOwned,
    R::Response: Serialize,
{
    Operation { name: R::SPEC.name, call: boxed_call::<R> }
}

fn boxed_call<R>(client: ClientHandle, args: Map<String, Value>) -> CallFuture
where
    R: TypedOperation + DeserializeOwned,
    R::Response: Serialize,
{
    Box::pin(call::<R>(client, args))
}

/// Decodes `args` (wire name → JSON value) into `R`, sends it and encodes the response.
///
/// # Errors
/// Arguments that do not make a valid request, or the call's error, as one line.
async fn call<R>(client: ClientHandle, args: Map<String, Value>) -> Result<(Value, Option<String>), String>
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
