//! Error decoding against a local server, as generated operations do it: an operation's own
//! codes, an error documented by its HTTP status alone (a body without a code), the service's
//! common errors in `Common`, and everything else in `Unmodelled`, each with its request id.
//! The operation is written here as the generator writes one (its output is in the generator's
//! `service_errors` snapshot).

mod common;

use cloud_task_apis::__private::{
    Envelope, Method, Operation, OperationSpec, Parameters, Protocol, RequestWriter, RetrySafety, ServiceSpec,
    SuccessWhen, Validator,
};
use cloud_task_apis::{
    ClientHandle, Config, Credentials, Provider, RequestError, RequestErrorKind, ResponseMeta, ServiceError, Signing,
};
use wiremock::{Mock, MockServer, ResponseTemplate};

static SERVICE: ServiceSpec = ServiceSpec {
    provider: Provider::Huawei,
    name: "fixture",
    api_version: None,
    protocol: Protocol::Rest,
    endpoint: "fixture.{region}.example.com",
    endpoints: &[],
    signing: &[Signing::HuaweiSdkHmacSha256],
    envelope: Envelope::HuaweiDis,
    request_id_header: Some("X-Request-Id"),
    success_when: Some(SuccessWhen { field: "errorCode", values: &["-1"] }),
};

/// The service's common errors: one by code, one by status alone.
#[derive(Debug)]
enum CommonError {
    Dis4200(ServiceError),
    Unavailable(ServiceError),
}
cloud_task_apis::__private::impl_common_error!(CommonError { Dis4200 = "DIS.4200" } status { Unavailable = 503 });

/// The operation's errors: its own code and its own status-only error, then the common ones.
enum Error {
    Dis4301(ServiceError),
    StreamNotFound(ServiceError),
    Common(CommonError),
    Unmodelled(ServiceError),
    Request(RequestError),
}
cloud_task_apis::__private::impl_operation_error!(
    Error { Dis4301 = "DIS.4301" } status { StreamNotFound = 404 } common CommonError
);

#[derive(Clone, Debug, PartialEq)]
struct Response {
    name: String,
    meta: ResponseMeta,
}
cloud_task_apis::__private::impl_deserialize!(Response { name = "name"; meta });
cloud_task_apis::__private::impl_response_body!(Response);

struct ShowStream;

impl Operation for ShowStream {
    type Response = Response;
    type Error = Error;
    const SPEC: OperationSpec = OperationSpec {
        service: &SERVICE,
        name: "ShowStream",
        method: Method::Get,
        path: "/v2/streams/s1",
        retry: RetrySafety::Read,
        required: &[],
        status_errors: &[404, 503],
    };
}

impl Parameters for ShowStream {
    fn write(&self, _writer: &mut RequestWriter) {}
    fn validate(&self, _check: &mut Validator) {}
}

/// The error of one call answered with `status` and `body`.
async fn answer(status: u16, body: &str) -> Error {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(ResponseTemplate::new(status).set_body_string(body).insert_header("X-Request-Id", "RID-1"))
        .mount(&server)
        .await;
    let config = Config::new("cn-north-4")
        .endpoint(server.uri())
        .allow_http(true)
        .credentials(Credentials::huawei("HWTESTAK0123456789AB", "huawei-test-sk"))
        .project_id("04f1829c788037ac2fb8c01eb2b04b95")
        .retry(cloud_task_apis::RetryPolicy::none());
    let client = ClientHandle::new(&SERVICE, config).expect("client");
    cloud_task_apis::__private::send(&client, ShowStream).await.expect_err("an error")
}

#[tokio::test]
async fn each_documented_error_has_its_variant_with_the_request_id() {
    let error = answer(404, r#"{"errorCode":"DIS.4301","message":"no stream"}"#).await;
    assert!(matches!(&error, Error::Dis4301(e) if e.status() == 404), "{error:?}");
    // The same status without a code in the body: the error documented by its status.
    let error = answer(404, r#"{"message":"Not found"}"#).await;
    let Error::StreamNotFound(e) = &error else { panic!("{error:?}") };
    assert_eq!((e.code(), e.message()), ("", r#"{"message":"Not found"}"#));
    assert_eq!(error.to_string(), r#"ShowStream failed with HTTP 404: {"message":"Not found"} (request id RID-1)"#);
    // A common code, a common status-only error (an empty body), in `Common`.
    let error = answer(400, r#"{"errorCode":"DIS.4200","message":"Invalid request."}"#).await;
    assert!(matches!(&error, Error::Common(CommonError::Dis4200(_))), "{error:?}");
    // `Debug` as derived: the variant and what it holds.
    let Error::Common(common) = &error else { unreachable!() };
    assert_eq!(format!("{error:?}"), format!("Common({common:?})"));
    assert!(format!("{error:?}").starts_with("Common(Dis4200(ServiceError {"), "{error:?}");
    assert_eq!((error.code(), error.request_id()), (Some("DIS.4200"), Some("RID-1")));
    let error = answer(503, "").await;
    assert!(
        matches!(&error, Error::Common(CommonError::Unavailable(e)) if e.request_id() == Some("RID-1")),
        "{error:?}"
    );
    // An undocumented code at a documented status is not taken for the status-only error.
    let error = answer(404, r#"{"errorCode":"DIS.4999","message":"other"}"#).await;
    assert!(matches!(&error, Error::Unmodelled(e) if e.code() == "DIS.4999"), "{error:?}");
    // A body without a code at an undocumented status is no provider error.
    let error = answer(502, "<html>bad gateway</html>").await;
    let Error::Request(e) = &error else { panic!("{error:?}") };
    assert_eq!(
        (e.kind(), e.status(), e.request_id()),
        (RequestErrorKind::UnexpectedResponse, Some(502), Some("RID-1"))
    );
}

#[tokio::test]
async fn a_refusal_in_a_200_body_decodes_as_the_typed_error() {
    let error = answer(200, r#"{"errorCode":"DIS.4200","message":"Invalid request."}"#).await;
    let Error::Common(CommonError::Dis4200(e)) = &error else { panic!("{error:?}") };
    assert_eq!((e.status(), e.message(), e.request_id()), (200, "Invalid request.", Some("RID-1")));
    // Another value of the field, which is not an envelope the service knows: its value is the code.
    let error = answer(200, r#"{"errorCode":7,"name":"s1"}"#).await;
    assert!(matches!(&error, Error::Unmodelled(e) if e.code() == "7" && e.status() == 200), "{error:?}");
}
