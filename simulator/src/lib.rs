//! An in-process stand-in for the providers of `cloud-task-apis`, served from the same specs:
//! for tests (as a dev-dependency), demos and offline work.
//!
//! [`Simulator`] is an HTTP server on `127.0.0.1` that serves every operation of the embedded
//! specs, and any spec added at start ([`SimulatorBuilder::spec_files`],
//! [`SimulatorBuilder::specs_from_dir`]). Each request is
//!
//! 1. routed by method and path template, or for Alibaba RPC by `x-acs-action`/`Action`;
//! 2. given an injected [`Fault`], if one is queued for its operation ([`Simulator::inject`]);
//! 3. authenticated: its signature is recomputed with the crate's signers ([`cloud_task_apis::sign`])
//!    and the simulator's [`TestCredentials`];
//! 4. validated against the spec: required parameters, types, enum values, constraints;
//! 5. answered: statefully for every operation a declared resource names (below), from the
//!    spec's documented examples for any other.
//!
//! Every refusal comes in the provider's own error envelope with its request-id header
//! (Alibaba `{RequestId, HostId, Code, Message, Recommend}` and `x-acs-request-id`; Huawei
//! `{error_code, error_msg}`, DIS `{errorCode, message}`, both with `X-Request-Id`; Tencent
//! `{errorcode, errormessage}` and `x-cls-requestid`).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use cloud_task_apis::alibaba::actiontrail::Client;
//! use cloud_task_apis_simulator::Simulator;
//! use cloud_task_apis::{Provider, WaitPolicy};
//!
//! let sim = Simulator::builder().phase_duration(Duration::from_millis(300)).start().await?;
//! let client = Client::new(sim.config(Provider::Alibaba, "cn-hangzhou"))?;
//! let job = client.create_delivery_history_job().trail_name("trail-name").send().await?;
//! let done = client
//!     .get_delivery_history_job()
//!     .job_id(job.job_id)
//!     .wait_until_done(WaitPolicy::new(Duration::from_secs(10)), |p| println!("{:?}", p.state_text))
//!     .await?;
//! println!("{:?}", done.job_status);
//! # Ok(()) }
//! ```
//!
//! # State from the specs
//!
//! Every service may declare `resources` in its service.yaml (specs/README.md documents the
//! keys): the operations that create, read, list, delete and act on an item, its id format, its
//! states, its parent, list filters and order, idempotency token and limits. The simulator
//! interprets those declarations and nothing else; there is no Rust per operation or service:
//!
//! - a create stores an item: an id minted in the declared format, the request's parameters on
//!   the item's fields of the same name, the documented example for the rest; a reused
//!   idempotency token with the same parameters gives the same item, with others the declared
//!   mismatch code; past a declared limit (one running job per account) the declared code;
//! - its state moves through the declared running states, one [`SimulatorBuilder::phase_duration`]
//!   each, to the first succeeded state (or failed, [`Simulator::set_outcome`];
//!   [`Simulator::set_script`] for any other course), with a 0-100 progress where declared;
//! - read, list and delete find it (an unknown id gets the declared `not_found` code), list
//!   filters, sorts and pages as declared; actions move it to their state, or refuse with the
//!   declared code when its state forbids it;
//! - items can be seeded ([`Simulator::seed`]) and parents added ([`Simulator::add_parent`]);
//!   the parents named in the documented example requests exist from the start, and a resource
//!   without a create operation starts with the item of its read operation's example.
//!
//! Codes the simulator chose because the providers do not document one are declared in the
//! specs (`DeliveryHistoryJobRunning`, `DeliveryHistoryJobNotFound`), except, for invalid
//! requests to Huawei services other than DIS, [`HUAWEI_INVALID_REQUEST_CODE`].
//!
//! Requests are answered in JSON only (Alibaba V1 requests without `Format=json` would get XML
//! from the real service).

#![warn(missing_docs, missing_debug_implementations, rust_2018_idioms)]

mod api3;
mod auth;
mod behaviour;
mod builder;
pub(crate) mod catalog;
mod dispatch;
mod faults;
mod replies;
mod resources;
mod server;
mod state;
mod store;
mod validate;

pub use builder::SimulatorBuilder;
/// The generator crate, whose spec loader and model the simulator serves from: tools built on
/// the simulator (the command-line tool) read the same specs with the same rules.
pub use cloud_task_apis_codegen as codegen;
pub use faults::Fault;
pub use replies::HUAWEI_INVALID_REQUEST_CODE;
pub use state::{TaskOutcome, TaskScript};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use catalog::Catalog;
use cloud_task_apis::{Config, Credentials, Provider};
use store::Store;

/// Requests kept in the log; older ones are forgotten.
const LOG_LIMIT: usize = 10_000;

/// The credentials the simulator accepts; [`Simulator::config`] configures clients with them.
#[derive(Clone, PartialEq, Eq)]
pub struct TestCredentials {
    /// Alibaba AccessKey ID.
    pub alibaba_access_key_id: String,
    /// Alibaba AccessKey secret.
    pub alibaba_access_key_secret: String,
    /// Huawei access key (AK).
    pub huawei_access_key: String,
    /// Huawei secret key (SK).
    pub huawei_secret_key: String,
    /// Huawei IAM token (`X-Auth-Token`).
    pub huawei_token: String,
    /// Huawei project id (`X-Project-Id`, and in CBR paths).
    pub huawei_project_id: String,
    /// Tencent SecretId.
    pub tencent_secret_id: String,
    /// Tencent SecretKey.
    pub tencent_secret_key: String,
}

impl Default for TestCredentials {
    fn default() -> Self {
        Self {
            alibaba_access_key_id: "LTAIsimulator0000000000".to_owned(),
            alibaba_access_key_secret: "simulator-alibaba-secret".to_owned(),
            huawei_access_key: "SIMULATORHUAWEIAK000".to_owned(),
            huawei_secret_key: "simulator-huawei-secret".to_owned(),
            huawei_token: "simulator-iam-token".to_owned(),
            huawei_project_id: "0a1b2c3d4e5f60718293a4b5c6d7e8f9".to_owned(),
            tencent_secret_id: "AKIDsimulator000000000000000000000000".to_owned(),
            tencent_secret_key: "simulator-tencent-secret".to_owned(),
        }
    }
}

impl fmt::Debug for TestCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestCredentials")
            .field("alibaba_access_key_id", &self.alibaba_access_key_id)
            .field("huawei_access_key", &self.huawei_access_key)
            .field("huawei_project_id", &self.huawei_project_id)
            .field("tencent_secret_id", &self.tencent_secret_id)
            .finish_non_exhaustive()
    }
}

impl TestCredentials {
    /// The provider's credentials (Huawei: AK/SK).
    #[must_use]
    pub fn for_provider(&self, provider: Provider) -> Credentials {
        match provider {
            Provider::Alibaba => Credentials::alibaba(&self.alibaba_access_key_id, &self.alibaba_access_key_secret),
            Provider::Huawei => Credentials::huawei(&self.huawei_access_key, &self.huawei_secret_key),
            Provider::Tencent => Credentials::tencent(&self.tencent_secret_id, &self.tencent_secret_key),
        }
    }
}

/// Why the simulator could not start or do what was asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimulatorError {
    /// The specs did not load: the rendered diagnostics, with file, line and column.
    #[error("the simulator's specs are invalid:\n{0}")]
    Specs(String),
    /// The server could not listen.
    #[error("the simulator cannot listen on 127.0.0.1: {0}")]
    Io(#[from] std::io::Error),
    /// No served operation has this name.
    #[error("no operation named {0:?} is served (names are the provider's, e.g. GetDeliveryHistoryJob)")]
    UnknownOperation(String),
    /// No served service declares a resource of this name.
    #[error(
        "no resource named {0:?} is declared (names are those of `resources` in a service.yaml, e.g. DeliveryHistoryJob)"
    )]
    UnknownResource(String),
}

/// One request the simulator received, and how it answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The operation it was routed to (`None` when nothing matched).
    pub operation: Option<String>,
    /// The method.
    pub method: String,
    /// The path as sent.
    pub path: String,
    /// Decoded query parameters.
    pub query: Vec<(String, String)>,
    /// Headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// The answer's status (`None` when the connection was dropped).
    pub status: Option<u16>,
    /// The error code of the answer, if it was an error.
    pub error_code: Option<String>,
    /// The request id sent back.
    pub request_id: Option<String>,
    /// The fault injected into this call, if any.
    pub fault: Option<Fault>,
}

/// What the server's tasks share.
#[derive(Debug)]
pub(crate) struct Shared {
    catalog: Catalog,
    credentials: TestCredentials,
    store: Mutex<Store>,
    faults: Mutex<faults::Faults>,
    nonces: Mutex<auth::Nonces>,
    log: Mutex<Vec<RecordedRequest>>,
}

impl Shared {
    fn record(&self, request: RecordedRequest) {
        let mut log = lock(&self.log);
        if log.len() >= LOG_LIMIT {
            log.remove(0);
        }
        log.push(request);
    }
}

/// Locks `mutex`; a panic elsewhere while it was held does not make the data unusable here.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running simulator. Dropping it stops the server (open connections finish first).
#[derive(Debug)]
pub struct Simulator {
    shared: Arc<Shared>,
    server: server::Server,
}

impl Simulator {
    /// Options, then [`SimulatorBuilder::start`].
    pub fn builder() -> SimulatorBuilder {
        SimulatorBuilder::default()
    }

    /// Starts with the default options.
    ///
    /// # Errors
    /// As [`SimulatorBuilder::start`].
    pub async fn start() -> Result<Self, SimulatorError> {
        Self::builder().start().await
    }

    /// The base URL, `http://127.0.0.1:<port>`.
    #[must_use]
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.server.addr)
    }

    /// The credentials the simulator accepts.
    #[must_use]
    pub fn credentials(&self) -> &TestCredentials {
        &self.shared.credentials
    }

    /// A client configuration for `provider` that talks to the simulator: its endpoint (plain
    /// HTTP allowed), the matching test credentials (Huawei: AK/SK) and, for Huawei, the
    /// project id.
    pub fn config(&self, provider: Provider, region: impl Into<String>) -> Config {
        let config = Config::new(region)
            .endpoint(self.endpoint())
            .allow_http(true)
            .credentials(self.shared.credentials.for_provider(provider));
        match provider {
            Provider::Huawei => config.project_id(&self.shared.credentials.huawei_project_id),
            _ => config,
        }
    }

    /// A Huawei client configuration that authenticates with the test IAM token instead of
    /// AK/SK.
    pub fn huawei_token_config(&self, region: impl Into<String>) -> Config {
        Config::new(region)
            .endpoint(self.endpoint())
            .allow_http(true)
            .credentials(Credentials::huawei_token(&self.shared.credentials.huawei_token))
            .project_id(&self.shared.credentials.huawei_project_id)
    }

    /// `provider/service/Operation` of every operation served.
    #[must_use]
    pub fn operations(&self) -> Vec<String> {
        self.shared.catalog.operations().iter().map(catalog::OpRef::key).collect()
    }

    /// Answers the next `times` calls of `operation` (the provider's name, e.g.
    /// `GetDeliveryHistoryJob`) with `fault`, after any faults queued before for it.
    ///
    /// # Errors
    /// [`SimulatorError::UnknownOperation`] when no served operation has that name.
    pub fn inject(&self, operation: &str, fault: Fault, times: u32) -> Result<(), SimulatorError> {
        if self.shared.catalog.find(operation).is_none() {
            return Err(SimulatorError::UnknownOperation(operation.to_owned()));
        }
        lock(&self.shared.faults).inject(operation, fault, times);
        Ok(())
    }

    /// Forgets every queued fault.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Every request received so far (the last 10 000), oldest first.
    #[must_use]
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.log).clone()
    }

    /// The requests routed to `operation`, oldest first.
    #[must_use]
    pub fn requests_for(&self, operation: &str) -> Vec<RecordedRequest> {
        lock(&self.shared.log).iter().filter(|r| r.operation.as_deref() == Some(operation)).cloned().collect()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// Adds an item of `resource` (its fields over the documented example's) and returns its
    /// id: the item's own, or one minted in the declared format. An item that names its state
    /// holds it; otherwise it runs the resource's course from now.
    ///
    /// # Errors
    /// [`SimulatorError::UnknownResource`] when no service declares `resource`.
    pub fn seed(&self, resource: &str, item: serde_json::Value) -> Result<serde_json::Value, SimulatorError> {
        self.seed_inner(resource, item, None)
    }

    /// As [`Simulator::seed`], with the course of states the item goes through from now.
    ///
    /// # Errors
    /// [`SimulatorError::UnknownResource`] when no service declares `resource`.
    pub fn seed_with_script(
        &self,
        resource: &str,
        item: serde_json::Value,
        script: TaskScript,
    ) -> Result<serde_json::Value, SimulatorError> {
        self.seed_inner(resource, item, Some(script))
    }

    fn seed_inner(
        &self,
        resource: &str,
        item: serde_json::Value,
        script: Option<TaskScript>,
    ) -> Result<serde_json::Value, SimulatorError> {
        let declared = self
            .shared
            .catalog
            .resource(resource)
            .ok_or_else(|| SimulatorError::UnknownResource(resource.to_owned()))?;
        Ok(resources::seed(&mut lock(&self.shared.store), &declared, item, script))
    }

    /// Makes `parent` (a trail, a shipper) exist for the items of `resource`.
    ///
    /// # Errors
    /// [`SimulatorError::UnknownResource`] when no service declares `resource`.
    pub fn add_parent(&self, resource: &str, parent: impl Into<String>) -> Result<(), SimulatorError> {
        let key = self.resource_key(resource)?;
        lock(&self.shared.store).parents.entry(key).or_default().insert(parent.into());
        Ok(())
    }

    /// How items of `resource` created from now on end.
    ///
    /// # Errors
    /// [`SimulatorError::UnknownResource`] when no service declares `resource`.
    pub fn set_outcome(&self, resource: &str, outcome: TaskOutcome) -> Result<(), SimulatorError> {
        let key = self.resource_key(resource)?;
        let mut store = lock(&self.shared.store);
        store.scripts.remove(&key);
        store.outcomes.insert(key, outcome);
        Ok(())
    }

    /// The course of states of items of `resource` created from now on (states as the
    /// provider writes them, e.g. ActionTrail's `JobStatus` integers).
    ///
    /// # Errors
    /// [`SimulatorError::UnknownResource`] when no service declares `resource`.
    pub fn set_script(&self, resource: &str, script: TaskScript) -> Result<(), SimulatorError> {
        let key = self.resource_key(resource)?;
        lock(&self.shared.store).scripts.insert(key, script);
        Ok(())
    }

    /// Every declared resource, as `provider/service/Name`.
    #[must_use]
    pub fn resources(&self) -> Vec<String> {
        self.shared.catalog.resources().iter().map(resources::Declared::key).collect()
    }

    fn resource_key(&self, resource: &str) -> Result<String, SimulatorError> {
        self.shared
            .catalog
            .resource(resource)
            .map(|d| d.key())
            .ok_or_else(|| SimulatorError::UnknownResource(resource.to_owned()))
    }

    /// Stops the server and waits until it no longer accepts connections.
    pub async fn shutdown(self) {
        self.server.stop_and_wait().await;
    }

    /// The items every resource starts with: for a resource without a create operation, the
    /// items of its documented examples (the read operation's, else the list operation's), the
    /// read example's running the declared course.
    fn seed_examples(&self) {
        let mut store = lock(&self.shared.store);
        for declared in self.shared.catalog.resources() {
            if declared.resource.create.is_some() {
                continue;
            }
            for mut item in declared.examples() {
                if declared.resource.read.is_some()
                    && let Some(life) = &declared.lifecycle
                    && let serde_json::Value::Object(map) = &mut item
                {
                    map.remove(&life.field);
                }
                resources::seed(&mut store, &declared, item, None);
            }
        }
    }
}
