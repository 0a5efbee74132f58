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
//! 5. answered: stateful for the five built-in operations (below), from the spec's documented
//!    examples for any other.
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
//! let sim = Simulator::builder().job_phase_duration(Duration::from_millis(300)).start().await?;
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
//! # Built-in behaviour
//!
//! | operation | behaviour |
//! |---|---|
//! | ActionTrail `CreateDeliveryHistoryJob` | needs a known trail (default `trail-name`, more with [`SimulatorBuilder::trail`]); one running job per account, else [`JOB_RUNNING_CODE`]; the same `ClientToken` gives the same job, with other parameters `IdempotentParameterMismatch` |
//! | ActionTrail `GetDeliveryHistoryJob` | the job moves through the waiter's states, one [`SimulatorBuilder::job_phase_duration`] each (`0` initializing, `1` delivering), then `2` complete, or `3` failed after [`Simulator::set_job_outcome`]; [`Simulator::set_job_script`] for any other course |
//! | CBR `ShowOpLog` | seeded tasks ([`Simulator::seed_cbr_task`]) with their state and 0-100 progress; unknown ids get the documented 404 |
//! | DIS `ShowTransferTaskLog` | every dump task has [`SimulatorBuilder::dis_logs_per_task`] logs (or its own count, [`Simulator::seed_dis_task`]), paged by `pageInfo.pageIndex`/`pageTotal` with `totalNum` |
//! | CLS `ListShippingTasks` | seeded tasks ([`Simulator::seed_shipping_tasks`]) of the shipper that started in the query's time range |
//!
//! Seeded at start: the trail `trail-name`; the CBR task `4827f2da-b008-4507-ab7d-42d0df5ed912`
//! (the id of the spec's example); the CLS shipper `xx-xx-xx-xxxx` (the spec's example) with
//! six tasks over the last six hours. DIS tasks need no seeding.
//!
//! Codes the simulator had to choose because the providers do not document one:
//! [`JOB_RUNNING_CODE`], [`JOB_NOT_FOUND_CODE`] and, for invalid requests to Huawei services
//! other than DIS, [`HUAWEI_INVALID_REQUEST_CODE`].
//!
//! Requests are answered in JSON only (Alibaba V1 requests without `Format=json` would get XML
//! from the real service).

#![warn(missing_docs, missing_debug_implementations, rust_2018_idioms)]

mod auth;
mod behaviour;
mod builder;
pub(crate) mod catalog;
mod dispatch;
mod faults;
mod replies;
mod server;
mod state;
mod validate;

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use time::OffsetDateTime;

pub use behaviour::actiontrail::{JOB_NOT_FOUND_CODE, JOB_RUNNING_CODE};
pub use builder::SimulatorBuilder;
/// The generator crate, whose spec loader and model the simulator serves from: tools built on
/// the simulator (the command-line tool) read the same specs with the same rules.
pub use cloud_task_apis_codegen as codegen;
pub use faults::Fault;
pub use replies::HUAWEI_INVALID_REQUEST_CODE;
pub use state::{CbrTask, ShippingTask, TaskOutcome, TaskScript};

use catalog::Catalog;
use cloud_task_apis::{Config, Credentials, Provider};
use state::{SeededCbr, State};

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
    state: Mutex<State>,
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

    /// Adds a trail that backfill jobs can be created for.
    pub fn add_trail(&self, name: impl Into<String>) {
        lock(&self.shared.state).trails.insert(name.into());
    }

    /// How backfill jobs created from now on end.
    pub fn set_job_outcome(&self, outcome: TaskOutcome) {
        let mut state = lock(&self.shared.state);
        state.job_outcome = outcome;
        state.job_script = None;
    }

    /// The course of backfill jobs created from now on (states are `JobStatus` integers:
    /// `0` initializing, `1` delivering, `2` complete, `3` failed).
    pub fn set_job_script(&self, script: TaskScript) {
        lock(&self.shared.state).job_script = Some(script);
    }

    /// Adds (or replaces) a CBR task; its script starts now.
    pub fn seed_cbr_task(&self, task: CbrTask) {
        let phase = lock(&self.shared.state).phase;
        let script = task.script.clone().unwrap_or_else(|| self.default_cbr_script(phase));
        let seeded =
            SeededCbr { task, script, created: tokio::time::Instant::now(), created_at: OffsetDateTime::now_utc() };
        lock(&self.shared.state).cbr.insert(seeded.task.id.clone(), seeded);
    }

    /// Gives the DIS dump task `task_id` its own number of logs.
    pub fn seed_dis_task(&self, task_id: impl Into<String>, logs: usize) {
        lock(&self.shared.state).dis.insert(task_id.into(), logs);
    }

    /// Replaces the shipping tasks of the CLS shipper `shipper_id` (an unknown shipper gets
    /// `ShipperNotExist`).
    pub fn seed_shipping_tasks(&self, shipper_id: impl Into<String>, tasks: Vec<ShippingTask>) {
        lock(&self.shared.state).shipping.insert(shipper_id.into(), tasks);
    }

    /// Stops the server and waits until it no longer accepts connections.
    pub async fn shutdown(self) {
        self.server.stop_and_wait().await;
    }

    /// CBR's default course: `waiting` for one phase, `running` for two, then `success`
    /// (values of the spec's waiter), or the waiter's own order when those are not declared.
    fn default_cbr_script(&self, phase: Duration) -> TaskScript {
        let Some(waiter) = self.shared.catalog.find("ShowOpLog").and_then(|op| op.op.waiter.as_ref()) else {
            return TaskScript::new().then("running", phase).end("success");
        };
        let declared = |s: &str| waiter.running.iter().any(|n| n.as_str() == Some(s));
        let success = waiter
            .succeeded
            .first()
            .map_or(serde_json::Value::from("success"), cloud_task_apis_codegen::spec::yaml::Node::to_json);
        if declared("waiting") && declared("running") {
            TaskScript::new().then("waiting", phase).then("running", phase * 2).end(success)
        } else {
            TaskScript::from_waiter(waiter, phase, TaskOutcome::Succeed)
        }
    }

    fn seed_defaults(&self, now: OffsetDateTime) {
        if self.shared.catalog.has_provider(cloud_task_apis_codegen::spec::model::Provider::Huawei) {
            self.seed_cbr_task(CbrTask::new("4827f2da-b008-4507-ab7d-42d0df5ed912"));
        }
        let statuses = ["success", "success", "failed", "success", "running", "wait"];
        let tasks = statuses
            .iter()
            .enumerate()
            .map(|(i, status)| {
                let hours_ago = time::Duration::hours(i64::try_from(statuses.len() - i).unwrap_or(0));
                ShippingTask::new(format!("task-{:04}", i + 1), now.checked_sub(hours_ago).unwrap_or(now), *status)
            })
            .collect();
        self.seed_shipping_tasks("xx-xx-xx-xxxx", tasks);
    }
}
