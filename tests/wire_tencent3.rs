//! Tencent Cloud CLS through Tencent Cloud API 3.0 on the wire, against a local server: what
//! DescribeShipperTasks and RetryShipperTask send (`POST /`, `X-TC-*` headers, JSON body,
//! `TC3-HMAC-SHA256` recomputed from the received request), how the `{"Response": ...}` envelope
//! decodes, how errors inside HTTP 200 map to typed errors with the request id, and which
//! failures are retried. Wire facts: shared/seeds/tencent-api3-common.md and the two operations'
//! fact sheets; the official Python SDK (`abstract_client.py`) for the headers sent.

mod common;

use cloud_task_apis::sign::{SignableRequest, tc3};
use cloud_task_apis::tencent::cls3::{Client, CommonError, describe_shipper_tasks, retry_shipper_task};
use cloud_task_apis::value::EpochMillis;
use cloud_task_apis::{Config, ConfigError, Credentials, RequestErrorKind, RetryPolicy};
use common::*;
use wiremock::matchers::{header as header_is, method, path};
use wiremock::{Mock, MockServer, Request};

const SECRET_ID: &str = "AKIDtencentApi3TestSecretId01";
const SECRET_KEY: &str = "tencent-api3-test-secret-key-5c2e";
const TOKEN: &str = "tencent-api3-temporary-token-90ab";
const SHIPPER: &str = "53d355bc-9814-43b4-b10a-4be50405095f";
const TASK: &str = "000000f3-1b0a-444b-bb64-2e64455239e4";

fn config(server: &MockServer) -> Config {
    Config::new("ap-guangzhou")
        .endpoint(server.uri())
        .allow_http(true)
        .credentials(Credentials::tencent(SECRET_ID, SECRET_KEY))
        .retry(fast_retry())
}

fn client(config: Config) -> Client {
    Client::new(config).expect("a valid configuration")
}

/// The documented example wrapped in the API 3.0 envelope, as the server sends it.
fn wrapped(wire_name: &str) -> String {
    format!(r#"{{"Response":{}}}"#, example("tencent", "cls3", wire_name, "success"))
}

fn failure(code: &str, message: &str, request_id: &str) -> String {
    format!(r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"{message}"}},"RequestId":"{request_id}"}}}}"#)
}

async fn serve(server: &MockServer, action: &str, responder: impl wiremock::Respond + 'static) {
    Mock::given(method("POST"))
        .and(path("/"))
        .and(header_is("x-tc-action", action))
        .respond_with(responder)
        .mount(server)
        .await;
}

fn describe(client: &Client) -> describe_shipper_tasks::Builder<cloud_task_apis::ClientHandle> {
    client.describe_shipper_tasks().shipper_id(SHIPPER).start_time(1_753_766_424_000).end_time(1_753_780_282_000)
}

fn retry(client: &Client) -> retry_shipper_task::Builder<cloud_task_apis::ClientHandle> {
    client.retry_shipper_task().shipper_id(SHIPPER).task_id(TASK)
}

/// Checks the `Authorization` header's form and recomputes its signature from the request as
/// received (its Content-Type, Host, X-TC-Timestamp and body). Returns the signature.
fn verify_tc3(req: &Request) -> String {
    let timestamp: i64 = header(req, "x-tc-timestamp").parse().expect("Unix seconds");
    let date = tc3::iso_date(tc3::utc_date(time::OffsetDateTime::from_unix_timestamp(timestamp).expect("a time")));
    let authorization = header(req, "authorization");
    let prefix = format!(
        "TC3-HMAC-SHA256 Credential={SECRET_ID}/{date}/cls/tc3_request, SignedHeaders=content-type;host, Signature="
    );
    let signature = authorization.strip_prefix(&prefix).unwrap_or_else(|| panic!("{authorization}"));
    let received = SignableRequest {
        method: req.method.as_str().to_owned(),
        host: header(req, "host").to_owned(),
        path: raw_path(req).to_owned(),
        query: query_pairs(req),
        headers: vec![
            ("Content-Type".to_owned(), header(req, "content-type").to_owned()),
            ("X-TC-Timestamp".to_owned(), timestamp.to_string()),
        ],
        body: req.body.clone(),
    };
    let out = tc3::signature(&received, "cls", SECRET_KEY).expect("a timestamp");
    assert_eq!(out.signature, signature, "CanonicalRequest:\n{}", out.canonical_request);
    assert_eq!(
        out.canonical_request,
        format!(
            "POST\n/\n\ncontent-type:application/json\nhost:{}\n\ncontent-type;host\n{}",
            header(req, "host"),
            hex_sha256(&req.body)
        )
    );
    assert_ne!(tc3::signature(&received, "cls", "other").map(|o| o.signature), Some(signature.to_owned()));
    signature.to_owned()
}

fn hex_sha256(data: &[u8]) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(data))
}

/// The headers every API 3.0 call sends, with their values (timestamp and signature checked
/// apart).
fn assert_common_headers(req: &Request, action: &str, server: &MockServer) {
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(raw_path(req), "/");
    assert_eq!(raw_query(req), "");
    assert_eq!(header(req, "content-type"), "application/json", "as the official SDK sends for POST");
    assert_eq!(header(req, "x-tc-action"), action);
    assert_eq!(header(req, "x-tc-version"), "2020-10-16");
    assert_eq!(header(req, "x-tc-region"), "ap-guangzhou");
    assert_eq!(header(req, "user-agent"), USER_AGENT);
    assert_eq!(header(req, "host"), server.address().to_string());
    let timestamp: i64 = header(req, "x-tc-timestamp").parse().expect("Unix seconds");
    assert!((timestamp - now_unix()).abs() <= 60, "X-TC-Timestamp is now, in seconds: {timestamp}");
}

// ---------------------------------------------------------------------------------------------
// Requests and responses
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn describe_shipper_tasks_request_and_typed_response() {
    use describe_shipper_tasks::ShipperTaskStatus;
    let server = MockServer::start().await;
    serve(&server, "DescribeShipperTasks", json(200, &wrapped("DescribeShipperTasks"))).await;

    let listed = describe(&client(config(&server))).send().await.expect("success");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    assert_common_headers(req, "DescribeShipperTasks", &server);
    assert!(!has_header(req, "x-tc-token"));
    assert_eq!(
        String::from_utf8_lossy(&req.body),
        r#"{"ShipperId":"53d355bc-9814-43b4-b10a-4be50405095f","StartTime":1753766424000,"EndTime":1753780282000}"#
    );
    verify_tc3(req);

    let tasks = listed.tasks.as_deref().expect("tasks");
    assert_eq!(tasks.len(), 1);
    let task = &tasks[0];
    assert_eq!((task.task_id.as_str(), task.shipper_id.as_str()), (TASK, SHIPPER));
    assert_eq!(task.topic_id, "5b158596-d0ad-4da5-af92-4fac4cd662c4");
    assert_eq!(task.status, ShipperTaskStatus::Success);
    assert_eq!(task.message, "success");
    // The example sends the epoch-millisecond times as JSON strings; they are kept as sent.
    assert_eq!(task.range_start, EpochMillis::new(1_753_764_300_000));
    assert!(task.range_start.is_quoted());
    assert_eq!(task.end_time.as_offset_date_time().map(|t| t.unix_timestamp()), Some(1_753_780_282));
    assert_eq!(serde_json::to_value(task).expect("encodes")["RangeEnd"], serde_json::Value::from("1753764600000"));
    // The request id comes from the body: API 3.0 documents no response header for it.
    assert_eq!(listed.request_id, "6ef60bec-0242-43af-bb20-270359fb54a7");
    assert_eq!(listed.meta.request_id(), Some("6ef60bec-0242-43af-bb20-270359fb54a7"));
    assert_eq!((listed.meta.status(), listed.meta.attempts()), (200, 1));
}

#[tokio::test]
async fn null_and_numeric_task_fields_decode() {
    let server = MockServer::start().await;
    let body = r#"{"Response":{"Tasks":[{"TaskId":"t","ShipperId":"s","TopicId":"p","RangeStart":1753764300000,
        "RangeEnd":"1753764600000","StartTime":1,"EndTime":2,"Status":"wait","Message":""}],"RequestId":"R-num"}}"#;
    let replies = Script::new(vec![json(200, r#"{"Response":{"Tasks":null,"RequestId":"R-null"}}"#), json(200, body)]);
    serve(&server, "DescribeShipperTasks", replies).await;
    let client = client(config(&server));
    let empty = describe(&client).send().await.expect("null tasks");
    assert_eq!((empty.tasks, empty.meta.request_id()), (None, Some("R-null")));
    let listed = describe(&client).send().await.expect("numbers");
    let task = &listed.tasks.as_deref().expect("tasks")[0];
    assert_eq!(task.range_start, EpochMillis::new(1_753_764_300_000));
    assert!(!task.range_start.is_quoted());
    assert_eq!(serde_json::to_value(task).expect("encodes")["RangeStart"], serde_json::json!(1_753_764_300_000_i64));
    assert_eq!(task.status, describe_shipper_tasks::ShipperTaskStatus::Unknown("wait".to_owned()));
}

#[tokio::test]
async fn retry_shipper_task_request() {
    let server = MockServer::start().await;
    serve(&server, "RetryShipperTask", json(200, &wrapped("RetryShipperTask"))).await;
    let answer = retry(&client(config(&server))).send().await.expect("success");
    let requests = received(&server).await;
    let req = &requests[0];
    assert_common_headers(req, "RetryShipperTask", &server);
    assert_eq!(
        String::from_utf8_lossy(&req.body),
        r#"{"ShipperId":"53d355bc-9814-43b4-b10a-4be50405095f","TaskId":"000000f3-1b0a-444b-bb64-2e64455239e4"}"#
    );
    verify_tc3(req);
    assert_eq!(answer.meta.request_id(), Some("6ef60bec-0242-43af-bb20-270359fb54a7"));
}

#[tokio::test]
async fn temporary_credentials_send_an_unsigned_x_tc_token() {
    let server = MockServer::start().await;
    serve(&server, "RetryShipperTask", json(200, &wrapped("RetryShipperTask"))).await;
    let credentials = Credentials::tencent(SECRET_ID, SECRET_KEY).with_security_token(TOKEN);
    retry(&client(config(&server).credentials(credentials))).send().await.expect("success");
    let requests = received(&server).await;
    assert_eq!(header(&requests[0], "x-tc-token"), TOKEN);
    assert!(!has_header(&requests[0], "x-cls-token"));
    verify_tc3(&requests[0]);
}

// ---------------------------------------------------------------------------------------------
// Errors inside HTTP 200
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn retrying_a_task_that_is_not_failed_is_typed_and_not_retried() {
    let server = MockServer::start().await;
    let body = failure("FailedOperation.ShipperTaskNotToRetry", "task is running", "RID-NOT-TO-RETRY");
    serve(&server, "RetryShipperTask", json(200, &body)).await;
    let error = retry(&client(config(&server).retry(fast_retry().max_attempts(5)))).send().await.expect_err("refused");
    let retry_shipper_task::Error::FailedOperationShipperTaskNotToRetry(e) = &error else { panic!("{error:?}") };
    assert_eq!((e.status(), e.code(), e.message()), (200, "FailedOperation.ShipperTaskNotToRetry", "task is running"));
    assert_eq!(e.request_id(), Some("RID-NOT-TO-RETRY"));
    assert_eq!(received(&server).await.len(), 1);
    assert_eq!(
        error.to_string(),
        "RetryShipperTask failed with HTTP 200 FailedOperation.ShipperTaskNotToRetry: task is running \
         (request id RID-NOT-TO-RETRY)"
    );
}

#[tokio::test]
async fn common_operation_and_undocumented_codes() {
    let server = MockServer::start().await;
    let replies = Script::new(vec![
        json(200, &failure("AuthFailure.SignatureFailure", "bad signature", "R1")),
        json(200, &failure("ResourceNotFound.ShipperNotExist", "no shipper", "R2")),
        json(200, &failure("LogsetNotExist", "no logset", "R3")),
    ]);
    serve(&server, "DescribeShipperTasks", replies).await;
    let client = client(config(&server));
    let error = describe(&client).send().await.expect_err("auth");
    assert!(
        matches!(&error, describe_shipper_tasks::Error::Common(CommonError::AuthFailureSignatureFailure(e)) if e.request_id() == Some("R1"))
    );
    let error = describe(&client).send().await.expect_err("not found");
    assert!(
        matches!(&error, describe_shipper_tasks::Error::ResourceNotFoundShipperNotExist(e) if e.request_id() == Some("R2"))
    );
    let error = describe(&client).send().await.expect_err("unmodelled");
    let describe_shipper_tasks::Error::Unmodelled(e) = &error else { panic!("{error:?}") };
    assert_eq!((e.code(), e.request_id()), ("LogsetNotExist", Some("R3")));
    assert_eq!(received(&server).await.len(), 3, "none of these is retried");
}

#[tokio::test]
async fn internal_errors_are_retried_for_reads_only_and_throttling_always() {
    let server = MockServer::start().await;
    let internal = json(200, &failure("InternalError", "try later", "R-500"));
    let limited = json(200, &failure("RequestLimitExceeded", "slow down", "R-429"));
    serve(
        &server,
        "DescribeShipperTasks",
        Script::fail_then(1, internal.clone(), json(200, &wrapped("DescribeShipperTasks"))),
    )
    .await;
    serve(&server, "RetryShipperTask", Script::new(vec![internal, limited, json(200, &wrapped("RetryShipperTask"))]))
        .await;
    let client = client(config(&server).retry(fast_retry().max_attempts(5)));

    let listed = describe(&client).send().await.expect("a read is retried after InternalError");
    assert_eq!(listed.meta.attempts(), 2);

    // RetryShipperTask has no idempotency token: after an InternalError the task may have been
    // started, so it is not sent again.
    let error = retry(&client).send().await.expect_err("not retried");
    assert!(
        matches!(&error, retry_shipper_task::Error::Common(CommonError::InternalError(e)) if e.request_id() == Some("R-500"))
    );
    // Throttling is refused before anything happens, so it is retried.
    let answer = retry(&client).send().await.expect("retried after RequestLimitExceeded");
    assert_eq!(answer.meta.attempts(), 2);
}

#[tokio::test]
async fn a_body_without_the_envelope_is_an_unexpected_response() {
    let server = MockServer::start().await;
    serve(&server, "DescribeShipperTasks", json(200, r#"{"Tasks":[]}"#)).await;
    let error = describe(&client(config(&server))).send().await.expect_err("no envelope");
    let describe_shipper_tasks::Error::Request(e) = &error else { panic!("{error:?}") };
    assert_eq!((e.kind(), e.status()), (RequestErrorKind::UnexpectedResponse, Some(200)));
    assert_one_line(&error.to_string());
}

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

#[test]
fn named_endpoints_are_the_declared_ones() {
    let config = || Config::new("ap-guangzhou").credentials(Credentials::tencent(SECRET_ID, SECRET_KEY));
    assert!(Client::new(config()).is_ok());
    assert!(Client::new(config().named_endpoint("regional")).is_ok());
    assert!(Client::new(config().named_endpoint("international")).is_ok());
    let error = Client::new(config().named_endpoint("vpc")).expect_err("not declared");
    assert!(matches!(&error, ConfigError::UnknownEndpoint { name, .. } if name == "vpc"));
    assert_eq!(error.to_string(), r#"cls3 has no endpoint named "vpc" (its named endpoints: regional, international)"#);
    let error =
        Client::new(Config::new("ap-guangzhou").credentials(Credentials::huawei("ak", "sk"))).expect_err("huawei");
    assert!(matches!(error, ConfigError::WrongCredentials { .. }));
}

#[tokio::test]
async fn secrets_stay_out_of_debug_and_errors() {
    let server = MockServer::start().await;
    serve(&server, "RetryShipperTask", json(200, &failure("AuthFailure.SignatureFailure", "bad", "R"))).await;
    let credentials = Credentials::tencent(SECRET_ID, SECRET_KEY).with_security_token(TOKEN);
    let client = client(config(&server).credentials(credentials).retry(RetryPolicy::none()));
    let error = retry(&client).send().await.expect_err("refused");
    for shown in [format!("{client:?}"), format!("{error:?}"), error.to_string()] {
        assert_no_secret(&shown, &[SECRET_KEY, TOKEN]);
    }
}
