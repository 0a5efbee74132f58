//! Operations callable by name with JSON arguments (cargo feature `json-calls`): the types of
//! the per-service tables the generator emits, and the typed calls every table entry goes
//! through: one call, every page of a paged operation (the runtime's paginator), or polling until
//! a task ends (the runtime's waiter). The command-line tool (`cloud-task-apis-cli`) is built from
//! these tables (listed by `cloud-task-apis`); the parameters of each operation come from the
//! specs (`SPEC_FILES`), not from here.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use futures_util::stream::{self, Stream, StreamExt};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::__private::{Operation as TypedOperation, Paged, ResponseBody, TaskStatus};
use crate::client::{ClientHandle, send_operation};
use crate::paginate::Paginator;
use crate::waiter::{TaskState, WaitError, WaitPolicy};
use crate::wire::ServiceSpec;

/// A response as JSON, with its request id.
pub type Reply = (Value, Option<String>);

/// What a table entry's call returns: the response, or the error's one-line description.
pub type CallFuture = Pin<Box<dyn Future<Output = Result<Reply, String>> + Send>>;

/// One page of a listing: its items as JSON and the page's request id.
#[derive(Debug)]
pub struct Page {
    /// The page's items, in order.
    pub items: Vec<Value>,
    /// The request id of the page's response.
    pub request_id: Option<String>,
}

/// Every page of a listing, in order; it ends after the first error.
pub type PageStream = Pin<Box<dyn Stream<Item = Result<Page, String>> + Send>>;

/// One poll while waiting, for progress display.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Observation {
    /// The state, classified by the spec.
    pub state: TaskState,
    /// The state as the provider wrote it.
    pub state_text: Option<String>,
    /// Progress 0-100, where the operation reports it.
    pub progress: Option<i64>,
    /// Polls so far.
    pub polls: u32,
    /// Time since waiting started.
    pub elapsed: Duration,
}

/// Told of every poll while waiting.
pub type Observer = Box<dyn FnMut(&Observation) + Send>;

/// Why waiting ended without success.
#[derive(Debug)]
pub struct WaitFailure {
    /// One line: the task failed, time ran out, or a poll failed.
    pub message: String,
    /// The last response, when one came.
    pub last: Option<Value>,
}

/// What a table entry's wait returns: the final response, or why it did not succeed.
pub type WaitFuture = Pin<Box<dyn Future<Output = Result<Reply, WaitFailure>> + Send>>;

/// Arguments by wire name, as JSON values.
pub type Arguments = Map<String, Value>;

/// A table entry's function that streams every page.
pub type PagesFn = fn(ClientHandle, Arguments) -> PageStream;

/// A table entry's function that waits for a task.
pub type WaitFn = fn(ClientHandle, Arguments, WaitPolicy, Observer) -> WaitFuture;

/// One operation of a service.
#[derive(Debug)]
pub struct Operation {
    /// The provider's name.
    pub name: &'static str,
    /// Decodes the arguments into the typed request, sends it, encodes the response.
    pub call: fn(ClientHandle, Map<String, Value>) -> CallFuture,
    /// For a paged operation: every page from the one the arguments ask for.
    pub pages: Option<PagesFn>,
    /// For an operation with a waiter: polls until the task succeeds or fails.
    pub wait: Option<WaitFn>,
}

impl Operation {
    /// This entry, able to stream every page of `R` (generated for operations with `pagination`).
    #[must_use]
    pub const fn paged<R>(self) -> Self
    where
        R: Paged + DeserializeOwned,
        R::Item: Serialize,
    {
        Self { pages: Some(boxed_pages::<R>), ..self }
    }

    /// This entry, able to wait for the task `R` reports (generated for operations with a
    /// `waiter`).
    #[must_use]
    pub const fn waited<R>(self) -> Self
    where
        R: TypedOperation + DeserializeOwned + Clone,
        R::Response: TaskStatus + Serialize,
    {
        Self { wait: Some(boxed_wait::<R>), ..self }
    }
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

/// The table entry of operation `R` (generated tables list one per operation).
#[must_use]
pub const fn operation<R>() -> Operation
where
    R: TypedOperation + DeserializeOwned,
    R::Response: Serialize,
{
    Operation { name: R::SPEC.name, call: boxed_call::<R>, pages: None, wait: None }
}

fn boxed_call<R>(client: ClientHandle, args: Map<String, Value>) -> CallFuture
where
    R: TypedOperation + DeserializeOwned,
    R::Response: Serialize,
{
    Box::pin(call::<R>(client, args))
}

/// Decodes `args` (wire name → JSON value) into the typed request of `R`.
fn request<R: TypedOperation + DeserializeOwned>(args: Map<String, Value>) -> Result<R, String> {
    serde_json::from_value(Value::Object(args)).map_err(|e| format!("invalid arguments for {}: {e}", R::SPEC.name))
}

/// A response as JSON, with its request id.
fn encode<T: Serialize + ResponseBody>(response: &mut T) -> Result<Reply, String> {
    let request_id = response.meta_mut().request_id().map(str::to_owned);
    let json = serde_json::to_value(&*response).map_err(|e| format!("cannot encode the response: {e}"))?;
    Ok((json, request_id))
}

/// Decodes `args` into `R`, sends it and encodes the response.
///
/// # Errors
/// Arguments that do not make a valid request, or the call's error, as one line.
async fn call<R>(client: ClientHandle, args: Map<String, Value>) -> Result<Reply, String>
where
    R: TypedOperation + DeserializeOwned,
    R::Response: Serialize,
{
    let request = request::<R>(args)?;
    let mut response = send_operation(&client, request).await.map_err(|e| e.to_string())?;
    encode(&mut response)
}

fn boxed_pages<R>(client: ClientHandle, args: Map<String, Value>) -> PageStream
where
    R: Paged + DeserializeOwned,
    R::Item: Serialize,
{
    let request = match request::<R>(args) {
        Ok(request) => request,
        Err(message) => return Box::pin(stream::once(async move { Err(message) })),
    };
    Box::pin(Paginator::new(client, Ok(request)).pages().map(|page| {
        let mut response = page.map_err(|e| e.to_string())?;
        let request_id = response.meta_mut().request_id().map(str::to_owned);
        let items = <R as Paged>::items(&response)
            .iter()
            .map(serde_json::to_value)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("cannot encode an item: {e}"))?;
        Ok(Page { items, request_id })
    }))
}

fn boxed_wait<R>(client: ClientHandle, args: Map<String, Value>, policy: WaitPolicy, observer: Observer) -> WaitFuture
where
    R: TypedOperation + DeserializeOwned + Clone,
    R::Response: TaskStatus + Serialize,
{
    Box::pin(wait::<R>(client, args, policy, observer))
}

/// Decodes `args` into `R` and polls it with the runtime's waiter until its task ends.
///
/// # Errors
/// Arguments that do not make a valid request, a failed task or a timeout (with the last
/// response), or a poll that failed for good.
async fn wait<R>(
    client: ClientHandle,
    args: Map<String, Value>,
    policy: WaitPolicy,
    mut observer: Observer,
) -> Result<Reply, WaitFailure>
where
    R: TypedOperation + DeserializeOwned + Clone,
    R::Response: TaskStatus + Serialize,
{
    let failure = |message: String| WaitFailure { message, last: None };
    let request = request::<R>(args).map_err(failure)?;
    let outcome = crate::waiter::wait(&client, request, policy, |p| {
        observer(&Observation {
            state: p.state,
            state_text: p.state_text.clone(),
            progress: p.progress,
            polls: p.polls,
            elapsed: p.elapsed,
        });
    })
    .await;
    match outcome {
        Ok(mut response) => encode(&mut response).map_err(failure),
        Err(error) => {
            let message = error.to_string();
            let last = match error {
                WaitError::Failed { response, .. } => Some(response),
                WaitError::TimedOut { last, .. } => last,
                WaitError::Call(_) => None,
            };
            Err(WaitFailure { message, last: last.and_then(|mut r| encode(&mut *r).ok()).map(|(json, _)| json) })
        }
    }
}
