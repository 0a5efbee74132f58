//! The runtime of `cloud-task-apis`: what every generated operation shares. Configuration and
//! credentials, the request pipeline (signing, retries, timeouts, response decoding), typed
//! errors, waiters and paging, and the value types of the specs.
//!
//! Users depend on `cloud-task-apis`, which re-exports all of this next to the generated
//! services; this crate is its own so that the generated code, which is most of a build, is
//! compiled apart from the code that does not change with the specs.

#![warn(missing_docs, missing_debug_implementations, rust_2018_idioms)]

mod api3;
mod builder;
mod client;
mod config;
mod credentials;
#[cfg(any(test, feature = "example-tests"))]
mod decode_fuzz;
mod envelope;
mod error;
mod excerpt;
mod items;
mod one_pass;
mod paginate;
mod retry;
pub mod sign;
mod validate;
pub mod value;
mod waiter;
mod wire;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use builder::Builder;
pub use client::ClientHandle;
pub use config::{Config, DEFAULT_MAX_RESPONSE_BYTES};
pub use credentials::{Credentials, Secret};
pub use error::{ConfigError, RequestError, RequestErrorKind, ResponseMeta, ServiceError, ValidationError, Violation};
pub use paginate::Paginator;
pub use retry::RetryPolicy;
pub use waiter::{TaskProgress, TaskState, WaitError, WaitPolicy};

/// A cloud provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Provider {
    /// Alibaba Cloud.
    Alibaba,
    /// Huawei Cloud.
    Huawei,
    /// Tencent Cloud.
    Tencent,
}

/// A request signing scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Signing {
    /// Alibaba ACS3-HMAC-SHA256 (the official SDK's default).
    Acs3HmacSha256,
    /// Alibaba RPC V1 signature (HMAC-SHA1 in the query).
    RpcHmacSha1,
    /// Huawei SDK-HMAC-SHA256 with AK/SK.
    HuaweiSdkHmacSha256,
    /// Huawei IAM token in `X-Auth-Token`.
    HuaweiToken,
    /// Tencent CLS legacy `q-sign-algorithm=sha1`.
    TencentQSignSha1,
    /// Tencent Cloud API 3.0 `TC3-HMAC-SHA256`.
    TencentTc3HmacSha256,
}
