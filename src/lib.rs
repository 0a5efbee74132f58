//! Typed Rust bindings for the task and job APIs of Alibaba Cloud, Huawei Cloud and Tencent
//! Cloud, generated at build time from the YAML specs in `specs/`.
//!
//! Each service is a module under its provider (enabled by the cargo features `alibaba`,
//! `huawei` and `tencent`), with a `Client` and one module per operation holding its
//! `Request`, `Builder`, `Response` and `Error`:
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use cloud_task_apis::alibaba::actiontrail::Client;
//! use cloud_task_apis::{Config, Provider};
//!
//! let client = Client::new(Config::from_env(Provider::Alibaba, "cn-hangzhou")?)?;
//! let job = client.get_delivery_history_job().job_id(16602).send().await?;
//! println!("job {} is {:?} (request id {:?})", job.job_id, job.job_status, job.meta.request_id());
//! # Ok(())
//! # }
//! ```
//!
//! Every request is signed as the provider's official SDK signs it ([`sign`]), retried only
//! where that is safe ([`RetryPolicy`]), and every failure is typed: documented error codes
//! have their own variants, other provider errors carry code, message, status and request id
//! ([`ServiceError`]), and everything else is a [`RequestError`] of a named kind.
//!
//! The runtime all services share (configuration, signing, the request pipeline, errors,
//! waiters and paging) is the crate `cloud-task-apis-runtime`, re-exported here in full; users
//! depend on this crate only.
//!
//! The crate `cloud-task-apis-simulator` is an in-process stand-in for the providers, served
//! from the same specs, for tests and offline work (`cargo run -p cloud-task-apis-simulator
//! --example demo` shows it); `cloud-task-apis-cli` is the command-line tool over every
//! operation.

#![warn(missing_docs, missing_debug_implementations, rust_2018_idioms)]

pub use cloud_task_apis_runtime::*;

/// The one door from generated code into the runtime (the runtime's own, see
/// `cloud_task_apis_runtime::__private`), with what only this crate knows: the specs it was
/// generated from and its services' tables. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use cloud_task_apis_runtime::__private::*;

    /// Every spec file the generated code was built from, as `(path, text)` (paths relative to
    /// the crate, `specs/<provider>/<service>/<file>.yaml`). The simulator serves them by default
    /// and the command-line tool describes operations from them, so both read exactly what the
    /// client was generated from.
    pub const SPEC_FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_specs.rs"));

    /// Operations callable by name with JSON arguments: the runtime's table types and calls,
    /// and the tables of this crate's services.
    #[cfg(feature = "json-calls")]
    pub mod calls {
        pub use cloud_task_apis_runtime::__private::calls::*;

        /// Every enabled service.
        #[must_use]
        pub fn services() -> Vec<&'static Service> {
            crate::services::json_call_services()
        }

        #[cfg(test)]
        mod tests {
            use super::services;

            #[test]
            fn paged_and_waited_operations_come_from_the_specs() {
                let entries: Vec<(&str, bool, bool)> = services()
                    .iter()
                    .flat_map(|s| s.operations)
                    .map(|o| (o.name, o.pages.is_some(), o.wait.is_some()))
                    .collect();
                for (name, paged, waited) in [
                    ("ShowTransferTaskLog", true, false),
                    ("GetDeliveryHistoryJob", false, true),
                    ("ShowOpLog", false, true),
                    ("CreateDeliveryHistoryJob", false, false),
                ] {
                    assert!(entries.contains(&(name, paged, waited)), "{name}: {entries:?}");
                }
            }
        }
    }
}

// The generated services (see `generated/` for the same code as reviewed). Generated code must
// build without any warning or undocumented item; tests hold it to that. A build that has to
// generate (a spec changed, or a selection of operations) compiles the same tokens laid out
// compact, a line per piece, where clippy would take `} if` on one line for a missing `else`.
#[cfg_attr(test, deny(warnings, missing_docs))]
#[allow(clippy::possible_missing_else)]
mod services {
    include!(concat!(env!("OUT_DIR"), "/services.rs"));
}
// Empty when no provider feature is enabled (the simulator builds the runtime so).
#[allow(unused_imports)]
pub use services::*;
