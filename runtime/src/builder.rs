//! The one builder type behind every operation's `Builder`: a request under construction,
//! which parameters the caller has set, and (from a client) where to send it. Each operation's
//! `Builder` wraps one and adds a setter per parameter (`__builder!`, `__setters!`).

use std::future::Future;

use crate::__private::{Operation, Paged, TaskStatus};
use crate::client::ClientHandle;
use crate::error::ValidationError;
use crate::paginate::Paginator;
use crate::waiter::{TaskProgress, WaitError, WaitPolicy};

/// Builds the request of operation `R`; when it comes from a service client (`C` is
/// [`ClientHandle`]) it also sends it. Each operation module's `Builder` wraps one, with the
/// operation's setters and these methods.
///
/// Required parameters start unset: [`build`](Self::build) and `send` fail with an error
/// naming the first one not set.
#[derive(Clone, Debug)]
#[must_use]
pub struct Builder<R, C = ()> {
    client: C,
    request: R,
    /// Bit `i` is set once the `i`-th required parameter (`R::SPEC.required[i]`) has been.
    required_set: u64,
}

impl<R: Default> Default for Builder<R, ()> {
    fn default() -> Self {
        Self::with_client(())
    }
}

impl<R: Default, C> Builder<R, C> {
    /// A builder with nothing set, sending through `client`. For the generated clients.
    #[doc(hidden)]
    pub fn with_client(client: C) -> Self {
        Self { client, request: R::default(), required_set: 0 }
    }
}

impl<R: Operation, C> Builder<R, C> {
    /// The request, to set required parameter `index` (bit `index` of `R::SPEC.required`) on.
    /// For the generated setters, which hold the builder in `ManuallyDrop` (see `__setters!`).
    #[doc(hidden)]
    pub fn __required(this: &mut Self, index: u32) -> &mut R {
        this.required_set |= 1 << index;
        &mut this.request
    }

    /// The request, to set an optional parameter on. For the generated setters.
    #[doc(hidden)]
    pub fn __optional(this: &mut Self) -> &mut R {
        &mut this.request
    }

    /// Checks required parameters and constraints and returns the request.
    ///
    /// # Errors
    /// The first required parameter not set, or every documented constraint the values break.
    pub fn build(self) -> Result<R, ValidationError> {
        self.into_parts().1
    }

    /// The client, and the request checked as [`build`](Self::build) checks it: a call takes
    /// the builder's client instead of a clone of it.
    fn into_parts(self) -> (C, Result<R, ValidationError>) {
        let Self { client, request, required_set } = self;
        let required = R::SPEC.required;
        if let Some(missing) = (0..required.len()).find(|&i| required_set & (1 << i) == 0) {
            return (client, Err(ValidationError::missing(required[missing])));
        }
        let checked = crate::__private::validate(&request).map(|()| request);
        (client, checked)
    }
}

impl<R: Operation> Builder<R, ClientHandle> {
    /// Sends the request, retrying where that is safe.
    ///
    /// # Errors
    /// A documented error code as its own variant of the operation's `Error`, any other
    /// provider error as `Error::Unmodelled`, and everything else (invalid parameters,
    /// credentials, transport, timeouts, undecodable responses) as `Error::Request`.
    pub fn send(self) -> impl Future<Output = Result<R::Response, R::Error>> + Send {
        let (client, request) = self.into_parts();
        crate::__private::send_built(client, request)
    }

    /// Polls the operation until the task it reports succeeds or fails, or until the policy's
    /// time runs out; `observe` sees every polled response. For operations whose spec declares
    /// a waiter.
    ///
    /// # Errors
    /// [`WaitError::Failed`] with the last response when the task failed,
    /// [`WaitError::TimedOut`] with the last response when time ran out, and
    /// [`WaitError::Call`] when a poll failed in a way retries could not fix.
    pub async fn wait_until_done(
        self,
        policy: WaitPolicy,
        observe: impl FnMut(&TaskProgress<'_, R::Response>),
    ) -> Result<R::Response, WaitError<R::Response, R::Error>>
    where
        R: Clone,
        R::Response: TaskStatus,
    {
        let (client, request) = self.into_parts();
        let request = request.map_err(|e| WaitError::Call(crate::__private::validation_error::<R>(e)))?;
        crate::__private::wait(&client, request, policy, observe).await
    }

    /// Fetches every page, one request per page, in the style the spec's `pagination` declares
    /// (page number, offset, marker or token), starting where this builder points (its page
    /// number, offset, marker or token, else the first page) with the page size set on this
    /// builder (else the provider's). For operations whose spec declares pagination.
    pub fn paginate(self) -> Paginator<R>
    where
        R: Paged,
    {
        let (client, request) = self.into_parts();
        Paginator::new(client, request)
    }
}

#[cfg(test)]
mod tests {
    use super::Builder;
    use crate::__private::{
        Envelope, Method, Operation, OperationSpec, Parameters, Protocol, RequestWriter, RetrySafety, ServiceSpec,
    };

    static SERVICE: ServiceSpec = ServiceSpec {
        provider: crate::Provider::Huawei,
        name: "probe",
        api_version: None,
        protocol: Protocol::Rest,
        endpoint: "probe.{region}.example.com",
        endpoints: &[],
        signing: &[crate::Signing::HuaweiToken],
        envelope: Envelope::Huawei,
        request_id_header: Some("X-Request-Id"),
        success_when: None,
    };

    #[derive(Debug, serde::Deserialize)]
    struct ProbeResponse {
        #[serde(skip)]
        meta: crate::ResponseMeta,
    }
    crate::__private::impl_response_body!(ProbeResponse);

    enum ProbeError {
        Unmodelled(crate::ServiceError),
        Request(crate::RequestError),
    }
    crate::__private::impl_operation_error!(ProbeError {});

    #[derive(Clone, Debug, Default)]
    struct Probe {
        name: String,
        size: Option<i64>,
        tag: String,
    }

    impl Operation for Probe {
        type Response = ProbeResponse;
        type Error = ProbeError;
        const SPEC: OperationSpec = OperationSpec {
            service: &SERVICE,
            name: "Probe",
            method: Method::Get,
            path: "/",
            retry: RetrySafety::Read,
            required: &["Name", "Tag"],
            status_errors: &[],
        };
    }

    impl Parameters for Probe {
        fn write(&self, _: &mut RequestWriter) {}
        fn validate(&self, check: &mut crate::__private::Validator) {
            check.length_in("Name", &self.name, 2..);
        }
    }

    /// `Probe` with the builder and setters the generated code gets from `__builder!` and
    /// `__setters!` (the tests send nothing, so `send` and the types it names go unused).
    #[allow(dead_code)]
    mod probe {
        pub type Request = super::Probe;
        pub type Response = super::ProbeResponse;
        pub type Error = super::ProbeError;
        crate::__builder!();
        crate::__setters!(name(String) required 0, size(i64), tag(String) required 1);
    }

    /// A value whose conversion into a parameter panics.
    struct Exploding;

    impl From<Exploding> for String {
        fn from(_: Exploding) -> Self {
            panic!("the conversion fails")
        }
    }

    #[test]
    fn the_first_required_parameter_not_set_is_named() {
        let builder = probe::Builder::default().size(3);
        let missing = builder.clone().build().expect_err("two missing");
        assert_eq!(missing.to_string(), "invalid request: `Name` is required but was not set");
        let missing = builder.name("ab").build().expect_err("Tag");
        assert_eq!(missing.to_string(), "invalid request: `Tag` is required but was not set");
    }

    #[test]
    fn a_complete_request_is_validated_and_returned() {
        let built = probe::Builder::default().tag("t").name("ab").size(3).build().expect("complete");
        assert_eq!((built.name.as_str(), built.size, built.tag.as_str()), ("ab", Some(3), "t"));
        let invalid = probe::Builder::default().name("a").tag("t").build().expect_err("too short");
        assert!(invalid.to_string().contains("`Name` must have length at least 2"), "{invalid}");
    }

    #[test]
    fn a_conversion_that_panics_unwinds_through_a_setter() {
        let builder = probe::Builder::default().name("ab");
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| builder.tag(Exploding)));
        let message = caught.expect_err("the panic reaches the caller");
        assert_eq!(message.downcast_ref::<&str>(), Some(&"the conversion fails"));
    }

    #[test]
    fn a_builder_failure_is_the_operations_request_error() {
        let missing = Builder::<Probe>::default().build().expect_err("missing");
        let error: ProbeError = crate::__private::validation_error::<Probe>(missing);
        assert!(error.service_error().is_none() && error.code().is_none() && error.request_id().is_none());
        let request = error.request_error().expect("a request error");
        assert_eq!(request.kind(), crate::RequestErrorKind::Validation);
        assert!(error.to_string().contains("Probe"), "{error}");
    }
}
