//! Generated part of `cloud-task-apis`: the operations of every service dealt to crate 2 of 4
//! (by their spec file's name), each a module with its `Request`, `Builder`, `Response` and
//! `Error`. Users depend on `cloud-task-apis`, which re-exports them where each service's
//! client is.

#![warn(missing_docs, missing_debug_implementations, rust_2018_idioms)]

// Generated code reaches the runtime through `crate::` paths.
#[doc(hidden)]
pub use cloud_task_apis_runtime::*;

// The generated code (see `generated/ops-2/` for the same code as reviewed); it must build
// without any warning or undocumented item.
#[cfg_attr(test, deny(warnings, missing_docs))]
#[allow(clippy::possible_missing_else)]
mod services {
    include!(concat!(env!("OUT_DIR"), "/ops-2/services.rs"));
}
#[allow(unused_imports)]
pub use services::*;
