//! Tencent Cloud CLS (legacy API) on the wire, against a local server: what ListShippingTasks
//! sends (`q-sign-algorithm=sha1`), how responses and errors decode, and how calls are retried.
//! Wire facts: PROVIDERS.md sections 3.1-3.4.

mod common;

use std::time::{Duration, Instant};

use cloud_task_apis::sign::encode::{form, query_string};
use cloud_task_apis::sign::tencent;
use cloud_task_apis::tencent::cls::{Client, list_shipping_tasks};
use cloud_task_apis::value::LocalDateTime;
use cloud_task_apis::{Config, Credentials, RequestErrorKind, RetryPolicy};
use common::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const SECRET_ID: &str = "AKIDtencentTestSecretId0001";
const SECRET_KEY: &str = "tencent-test-secret-key-83ac";
const TOKEN: &str = "tencent-temporary-token-6b1d";

const QUOTA: &str = r#"{"errorcode":"SpeedQuotaExceed","errormessage":"speed quota exceed"}"#;

fn tasks_example() -> String {
    example("tencent", "cls", "ListShippingTasks", "success")
}

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

async fn serve(server: &MockServer, responder: impl wiremock::Respond + 'static) {
    Mock::given(method("GET")).and(path("/tasks")).respond_with(responder).mount(server).await;
}

fn at(text: &str) -> LocalDateTime<28800> {
    text.parse().expect("YYYY-MM-DD HH:MM:SS")
}

fn list(client: &Client) -> list_shipping_tasks::Builder<cloud_task_apis::ClientHandle> {
    client
        .list_shipping_tasks()
        .shipper_id("xx-xx-xx-xxxx")
        .start_time(at("2017-10-10 00:00:00"))
        .end_time(at("2017-10-10 23:59:59"))
}

/// The fields of a `q-sign-algorithm=sha1` Authorization header, in order.
fn q_auth(req: &Request) -> Vec<(String, String)> {
    let value = header(req, "authorization");
    let fields: Vec<(String, String)> = value
        .split('&')
        .map(|p| p.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())).expect("key=value"))
        .collect();
    let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        ["q-sign-algorithm", "q-ak", "q-sign-time", "q-key-time", "q-header-list", "q-url-param-list", "q-signature"],
        "{value}"
    );
    fields
}

/// Recomputes the signature from the request as received (the parameters and headers it lists)
/// and checks it against the one sent. Returns it.
fn verify_cls(req: &Request, secret: &str) -> String {
    let auth = q_auth(req);
    let field = |name: &str| auth.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_default();
    assert_eq!(field("q-sign-algorithm"), "sha1");
    assert_eq!(field("q-ak"), SECRET_ID);
    assert_eq!(field("q-sign-time"), field("q-key-time"));
    let listed =
        |name: &str| -> Vec<String> { field(name).split(';').filter(|s| !s.is_empty()).map(str::to_owned).collect() };
    let params: Vec<(String, String)> =
        listed("q-url-param-list").iter().map(|name| (name.clone(), query(req, name))).collect();
    let headers: Vec<(String, String)> =
        listed("q-header-list").iter().map(|name| (name.clone(), header(req, name).to_owned())).collect();
    let path = percent_encoding::percent_decode_str(raw_path(req)).decode_utf8_lossy().into_owned();
    let key_time = field("q-key-time");
    let out = tencent::signature(req.method.as_str(), &path, &params, &headers, secret, key_time, form);
    assert_eq!(out.signature, field("q-signature"), "HttpRequestInfo:\n{}", out.canonical_request);
    let other = tencent::signature(req.method.as_str(), &path, &params, &headers, "other", key_time, form);
    assert_ne!(other.signature, field("q-signature"));
    out.signature
}

// ---------------------------------------------------------------------------------------------
// Requests and responses
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_shipping_tasks_request_and_typed_response() {
    use list_shipping_tasks::TaskStatus;
    let server = MockServer::start().await;
    serve(&server, json(200, &tasks_example()).insert_header("x-cls-requestid", "CLS-RID-1")).await;

    let started = now_unix();
    let tasks = list(&client(config(&server))).send().await.expect("success");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    assert_eq!(req.method.as_str(), "GET");
    assert_eq!(raw_path(req), "/tasks");
    assert_eq!(
        raw_query(req),
        "shipper_id=xx-xx-xx-xxxx&start_time=2017-10-10+00%3A00%3A00&end_time=2017-10-10+23%3A59%3A59"
    );
    assert_eq!(raw_query(req), query_string(&query_pairs(req), form), "form encoding throughout");
    assert!(req.body.is_empty());
    assert!(!has_header(req, "content-type"), "no body, so no content type");
    assert!(!has_header(req, "x-cls-token"));
    assert_eq!(header(req, "user-agent"), USER_AGENT);
    assert_eq!(header(req, "host"), server.address().to_string());

    let auth = q_auth(req);
    assert_eq!(auth[4], ("q-header-list".to_owned(), "host".to_owned()));
    assert_eq!(auth[5], ("q-url-param-list".to_owned(), "end_time;shipper_id;start_time".to_owned()));
    let (start, end) = auth[2].1.split_once(';').expect("start;end");
    let (start, end): (i64, i64) = (start.parse().expect("seconds"), end.parse().expect("seconds"));
    // The official SDKs sign for now-60 to now+300.
    assert!((start - (started - 60)).abs() <= 5, "key time starts a minute ago: {start} vs {started}");
    assert_eq!(end - start, 360);
    verify_cls(req, SECRET_KEY);

    assert_eq!(tasks.tasks.len(), 1);
    let task = &tasks.tasks[0];
    assert_eq!(task.task_id, "xxxxx-xx-xx-xx");
    assert_eq!(task.shipper_id, "xxxxx-xx-xx-xx");
    assert_eq!(task.topic_id, "xxxxx-xx-xx-xx");
    assert_eq!(task.status, TaskStatus::Success);
    assert_eq!(task.message, "success");
    assert_eq!(task.start_time.to_string(), "2017-10-17 10:10:10");
    assert_eq!(task.range_end, at("2017-10-17 10:10:10"));
    // Beijing time: 10:10:10 +08:00 is 02:10:10 UTC.
    assert_eq!(task.end_time.to_offset_date_time().unix_timestamp(), 1_508_206_210);
    assert_eq!(tasks.meta.request_id(), Some("CLS-RID-1"));
    assert_eq!((tasks.meta.status(), tasks.meta.attempts()), (200, 1));
}

#[tokio::test]
async fn temporary_credentials_send_an_unsigned_x_cls_token() {
    let server = MockServer::start().await;
    serve(&server, json(200, &tasks_example())).await;
    let credentials = Credentials::tencent(SECRET_ID, SECRET_KEY).with_security_token(TOKEN);
    list(&client(config(&server).credentials(credentials))).send().await.expect("success");
    let requests = received(&server).await;
    assert_eq!(header(&requests[0], "x-cls-token"), TOKEN);
    assert_eq!(q_auth(&requests[0])[4].1, "host", "like the Python SDK, the token is not signed");
    verify_cls(&requests[0], SECRET_KEY);
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn speed_quota_429_maps_to_its_variant() {
    let server = MockServer::start().await;
    serve(&server, json(429, QUOTA).insert_header("x-cls-requestid", "CLS-429")).await;
    let error = list(&client(config(&server).retry(RetryPolicy::none()))).send().await.expect_err("429");
    let list_shipping_tasks::Error::Common(cloud_task_apis::tencent::cls::CommonError::SpeedQuotaExceed(e)) = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!((e.status(), e.code(), e.message()), (429, "SpeedQuotaExceed", "speed quota exceed"));
    assert_eq!(e.request_id(), Some("CLS-429"));
    assert_eq!(
        error.to_string(),
        "ListShippingTasks failed with HTTP 429 SpeedQuotaExceed: speed quota exceed (request id CLS-429)"
    );
}

#[tokio::test]
async fn documented_and_undocumented_errors() {
    let server = MockServer::start().await;
    let not_found = r#"{"errorcode":"ShipperNotExist","errormessage":"shipper not exist"}"#;
    let api3 = r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"signature mismatch"},"RequestId":"BODY-RID"}}"#;
    let unknown = r#"{"errorcode":"LogsetNotExist","errormessage":"logset not exist"}"#;
    let replies = Script::new(vec![
        json(404, not_found).insert_header("x-cls-requestid", "CLS-404"),
        json(401, api3),
        json(403, unknown).insert_header("x-cls-requestid", "CLS-403"),
    ]);
    serve(&server, replies).await;
    let client = client(config(&server).retry(fast_retry().max_attempts(5)));

    let error = list(&client).send().await.expect_err("404");
    let list_shipping_tasks::Error::Common(cloud_task_apis::tencent::cls::CommonError::ShipperNotExist(e)) = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!((e.status(), e.request_id()), (404, Some("CLS-404")));

    let error = list(&client).send().await.expect_err("401");
    let list_shipping_tasks::Error::Common(cloud_task_apis::tencent::cls::CommonError::AuthFailureSignatureFailure(e)) =
        &error
    else {
        panic!("{error:?}")
    };
    assert_eq!((e.message(), e.request_id()), ("signature mismatch", Some("BODY-RID")));

    let error = list(&client).send().await.expect_err("403");
    let list_shipping_tasks::Error::Unmodelled(e) = &error else { panic!("{error:?}") };
    assert_eq!((e.status(), e.code(), e.message()), (403, "LogsetNotExist", "logset not exist"));
    assert_eq!(e.request_id(), Some("CLS-403"));
    assert_one_line(&error.to_string());

    assert_eq!(received(&server).await.len(), 3, "none was retried");
}

#[tokio::test]
async fn non_json_502_is_an_unexpected_response() {
    let server = MockServer::start().await;
    serve(
        &server,
        ResponseTemplate::new(502).set_body_string("upstream\nconnect error").insert_header("x-cls-requestid", "R"),
    )
    .await;
    let error = list(&client(config(&server).retry(RetryPolicy::none()))).send().await.expect_err("502");
    let list_shipping_tasks::Error::Request(e) = &error else { panic!("{error:?}") };
    assert_eq!(e.kind(), RequestErrorKind::UnexpectedResponse);
    assert_eq!((e.status(), e.request_id()), (Some(502), Some("R")));
    assert_eq!(e.body_snippet(), Some("upstream\nconnect error"));
    let shown = error.to_string();
    assert!(shown.contains("HTTP 502") && shown.contains("upstream connect error"), "{shown}");
    assert_one_line(&shown);
}

#[tokio::test]
async fn missing_parameters_are_rejected_before_sending() {
    let server = MockServer::start().await;
    serve(&server, json(200, &tasks_example())).await;
    let client = client(config(&server));
    let error = client
        .list_shipping_tasks()
        .start_time(at("2017-10-10 00:00:00"))
        .end_time(at("2017-10-10 23:59:59"))
        .send()
        .await
        .expect_err("no shipper id");
    let list_shipping_tasks::Error::Request(e) = &error else { panic!("{error:?}") };
    assert_eq!(e.kind(), RequestErrorKind::Validation);
    assert_eq!(e.validation().expect("violations").violations()[0].field, "shipper_id");
    assert!(error.to_string().contains("`shipper_id` is required"), "{error}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn secrets_never_appear_in_debug_or_display() {
    let secrets = [SECRET_KEY, TOKEN];
    let credentials = Credentials::tencent(SECRET_ID, SECRET_KEY).with_security_token(TOKEN);
    assert_no_secret(&format!("{credentials:?}"), &secrets);
    let server = MockServer::start().await;
    serve(&server, json(429, QUOTA)).await;
    let config = config(&server).credentials(credentials).retry(RetryPolicy::none());
    assert_no_secret(&format!("{config:?}"), &secrets);
    let client = client(config);
    assert_no_secret(&format!("{client:?}"), &secrets);
    let error = list(&client).send().await.expect_err("429");
    assert_no_secret(&format!("{error} {error:?}"), &secrets);
}

// ---------------------------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn speed_quota_and_internal_errors_are_retried() {
    let server = MockServer::start().await;
    let internal = json(500, r#"{"errorcode":"InternalError","errormessage":"internal error"}"#);
    serve(&server, Script::new(vec![json(429, QUOTA), internal, json(200, &tasks_example())])).await;
    let tasks = list(&client(config(&server))).send().await.expect("third try");
    assert_eq!(tasks.meta.attempts(), 3);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    for req in &requests {
        verify_cls(req, SECRET_KEY);
        assert_eq!(query(req, "start_time"), "2017-10-10 00:00:00");
    }
}

#[tokio::test]
async fn gives_up_after_max_attempts_with_the_last_error() {
    let server = MockServer::start().await;
    let attempt = |n: u32| json(429, QUOTA).insert_header("x-cls-requestid", format!("TRY-{n}"));
    serve(&server, Script::new(vec![attempt(1), attempt(2), attempt(3), json(200, &tasks_example())])).await;
    let error = list(&client(config(&server).retry(fast_retry().max_attempts(3)))).send().await.expect_err("gave up");
    let list_shipping_tasks::Error::Common(cloud_task_apis::tencent::cls::CommonError::SpeedQuotaExceed(e)) = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(e.request_id(), Some("TRY-3"));
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    serve(
        &server,
        Script::fail_then(1, json(429, QUOTA).insert_header("Retry-After", "1"), json(200, &tasks_example())),
    )
    .await;
    let started = Instant::now();
    let tasks = list(&client(config(&server))).send().await.expect("retried");
    let elapsed = started.elapsed();
    assert_eq!(tasks.meta.attempts(), 2);
    assert!(elapsed >= Duration::from_secs(1), "waited only {elapsed:?}, Retry-After said 1 s");
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
}
