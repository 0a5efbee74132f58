//! Generated part of `cloud-task-apis`: per service, its wire facts, the errors every operation
//! can return (`CommonError`) and the types its operations share (`types`). Users depend on
//! `cloud-task-apis`, which re-exports them where each service's docs are.

#![warn(missing_docs, missing_debug_implementations, rust_2018_idioms)]

// Generated code reaches the runtime through `crate::` paths.
#[doc(hidden)]
pub use cloud_task_apis_runtime::*;

// The generated code (see `generated/shared/` for the same code as reviewed); it must build
// without any warning or undocumented item.
#[cfg_attr(test, deny(warnings, missing_docs))]
#[allow(clippy::possible_missing_else)]
mod services {
    include!(concat!(env!("OUT_DIR"), "/shared/services.rs"));
}
#[allow(unused_imports)]
pub use services::*;
