//! Fault injection: the next N calls of an operation answer with a fault instead of (or, for
//! [`Fault::Slow`], before) the normal answer.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

/// A failure to inject, in the provider's own way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Throttling: Alibaba `Throttling.User` with HTTP 400, Huawei API Gateway `APIGW.0308`
    /// with 429 (DIS included), Tencent `SpeedQuotaExceed` with 429.
    Throttle,
    /// A server failure: Alibaba `InternalError` 500, Huawei API Gateway `APIGW.0201` 504
    /// (backend timeout), Tencent `InternalError` 500.
    ServerError,
    /// Answers normally, but only after this delay (for client timeouts).
    Slow(Duration),
    /// Closes the connection without an answer.
    DropConnection,
}

/// Faults waiting for their operation, in the order they were injected.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    queued: HashMap<String, VecDeque<(Fault, u32)>>,
}

impl Faults {
    /// Queues `fault` for the next `times` calls of `operation`, after those already queued.
    pub(crate) fn inject(&mut self, operation: &str, fault: Fault, times: u32) {
        if times > 0 {
            self.queued.entry(operation.to_owned()).or_default().push_back((fault, times));
        }
    }

    /// The fault for this call of `operation`, if one is queued.
    pub(crate) fn take(&mut self, operation: &str) -> Option<Fault> {
        let queue = self.queued.get_mut(operation)?;
        let (fault, remaining) = queue.front_mut()?;
        let fault = *fault;
        *remaining -= 1;
        if *remaining == 0 {
            queue.pop_front();
        }
        Some(fault)
    }

    /// Forgets every queued fault.
    pub(crate) fn clear(&mut self) {
        self.queued.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_apply_in_order_and_run_out() {
        let mut faults = Faults::default();
        faults.inject("Op", Fault::Throttle, 2);
        faults.inject("Op", Fault::DropConnection, 1);
        faults.inject("Op", Fault::ServerError, 0);
        assert_eq!(faults.take("Other"), None);
        assert_eq!(faults.take("Op"), Some(Fault::Throttle));
        assert_eq!(faults.take("Op"), Some(Fault::Throttle));
        assert_eq!(faults.take("Op"), Some(Fault::DropConnection));
        assert_eq!(faults.take("Op"), None);
    }
}
