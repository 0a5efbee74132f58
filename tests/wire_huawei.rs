//! Huawei Cloud DIS and CBR on the wire, against a local server: what each operation sends
//! (SDK-HMAC-SHA256 with AK/SK, or an IAM token), how responses and errors decode, and how
//! calls are retried. Wire facts: PROVIDERS.md sections 2.1-2.6.

mod common;

use std::time::{Duration, Instant};

use cloud_task_apis::huawei::cbr::types::{
    BackupStatus, CheckpointParam, CheckpointStatus, Resource, ResourceType, VaultBackup,
};
use cloud_task_apis::huawei::cbr::{self, create_checkpoint, show_op_log};
use cloud_task_apis::huawei::dis::batch_start_transfer_task::{self, StartAction};
use cloud_task_apis::huawei::dis::batch_stop_transfer_task::{self, StopAction};
use cloud_task_apis::huawei::dis::types::{BatchTransferTask, DestinationType, TransferTaskState};
use cloud_task_apis::huawei::dis::{self, list_transfer_tasks, show_transfer_task_log};
use cloud_task_apis::sign::{SignableRequest, huawei};
use cloud_task_apis::{Config, Credentials, RequestErrorKind, RetryPolicy};
use common::*;
use time::PrimitiveDateTime;
use time::macros::format_description;
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const AK: &str = "HWTESTAK0123456789AB";
const SK: &str = "huawei-test-sk-4d2b9e";
const IAM_TOKEN: &str = "MIIhuawei-iam-token-5e7f01";
const PROJECT: &str = "04f1829c788037ac2fb8c01eb2b04b95";
const TASK_ID: &str = "CDaRPdvKUfZrAhzTaYs";
const OP_LOG_ID: &str = "4827f2da-b008-4507-ab7d-42d0df5ed912";

const OP_LOG_NOT_FOUND: &str = r#"{"error_code":"BackupService.6500","error_msg":"Operation log does not exist."}"#;
const APIGW_THROTTLED: &str = r#"{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached: policy user over ratelimit,limit:5,time:1 second","request_id":"RID-0308"}"#;

fn dis_example() -> String {
    example("huawei", "dis", "ShowTransferTaskLog", "success")
}

fn cbr_example() -> String {
    example("huawei", "cbr", "ShowOpLog", "success")
}

fn config(server: &MockServer) -> Config {
    Config::new("cn-north-4")
        .endpoint(server.uri())
        .allow_http(true)
        .credentials(Credentials::huawei(AK, SK))
        .project_id(PROJECT)
        .retry(fast_retry())
}

fn dis_client(config: Config) -> dis::Client {
    dis::Client::new(config).expect("a valid configuration")
}

fn cbr_client(config: Config) -> cbr::Client {
    cbr::Client::new(config).expect("a valid configuration")
}

async fn serve_dis(server: &MockServer, responder: impl wiremock::Respond + 'static) {
    Mock::given(method("POST"))
        .and(path_regex("^/v1/transfertasklog/[^/]+$"))
        .respond_with(responder)
        .mount(server)
        .await;
}

async fn serve_cbr(server: &MockServer, responder: impl wiremock::Respond + 'static) {
    Mock::given(method("GET"))
        .and(path_regex("^/v3/[^/]+/operation-logs/"))
        .respond_with(responder)
        .mount(server)
        .await;
}

/// The signed-header list and signature of an `SDK-HMAC-SHA256` Authorization header.
fn huawei_auth(req: &Request) -> (Vec<String>, String) {
    let value = header(req, "authorization");
    let rest = value.strip_prefix("SDK-HMAC-SHA256 ").unwrap_or_else(|| panic!("not SDK-HMAC-SHA256: {value}"));
    // Comma-space between the parts, as the SDK writes them.
    let parts: Vec<(&str, &str)> = rest.split(", ").map(|p| p.split_once('=').expect("key=value")).collect();
    let names: Vec<&str> = parts.iter().map(|(k, _)| *k).collect();
    assert_eq!(names, ["Access", "SignedHeaders", "Signature"], "{value}");
    assert_eq!(parts[0].1, AK);
    (parts[1].1.split(';').map(str::to_owned).collect(), parts[2].1.to_owned())
}

/// Recomputes the signature from the request as received and checks it against the one sent.
fn verify_huawei(req: &Request, secret: &str) -> String {
    let (signed_headers, signature) = huawei_auth(req);
    let signable = SignableRequest {
        method: req.method.to_string(),
        host: header(req, "host").to_owned(),
        path: raw_path(req).to_owned(),
        query: query_pairs(req),
        headers: signed_headers.iter().map(|name| (name.clone(), header(req, name).to_owned())).collect(),
        body: req.body.clone(),
    };
    let out = huawei::authorization(&signable, AK, secret);
    assert_eq!(out.signature, signature, "canonical request:\n{}", out.canonical_request);
    assert_ne!(huawei::authorization(&signable, AK, "another-secret").signature, signature);
    signature
}

/// What the official core SDK sends with AK/SK and a project id, all signed.
fn assert_aksk_headers(req: &Request) {
    assert_aksk_headers_with(req, "application/json");
}

/// The AK/SK headers with the Content-Type the operation declares, sent once.
fn assert_aksk_headers_with(req: &Request, content_type: &str) {
    assert_eq!(req.headers.get_all("content-type").iter().count(), 1, "one Content-Type");
    assert_eq!(header(req, "content-type"), content_type);
    assert_eq!(header(req, "x-project-id"), PROJECT);
    assert_eq!(header(req, "user-agent"), USER_AGENT);
    let date = header(req, "x-sdk-date");
    let parsed = PrimitiveDateTime::parse(date, format_description!("[year][month][day]T[hour][minute][second]Z"))
        .unwrap_or_else(|e| panic!("X-Sdk-Date {date}: {e}"));
    assert!((parsed.assume_utc().unix_timestamp() - now_unix()).abs() <= 5, "{date} is not now");
    assert!(!has_header(req, "x-auth-token"));
    assert!(!has_header(req, "x-security-token"));
    let (signed, _) = huawei_auth(req);
    assert_eq!(signed, ["content-type", "host", "user-agent", "x-project-id", "x-sdk-date"]);
    verify_huawei(req, SK);
}

// ---------------------------------------------------------------------------------------------
// Requests and responses
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn dis_show_transfer_task_log_with_aksk() {
    use show_transfer_task_log::{PageInfo, SortBy, SortOrder};
    let server = MockServer::start().await;
    serve_dis(&server, json(200, &dis_example()).insert_header("X-Request-Id", "HW-RID-1")).await;

    let log = dis_client(config(&server))
        .show_transfer_task_log()
        .task_id(TASK_ID)
        .order(SortOrder::Desc)
        .sort_by(SortBy::CreateTimeStr)
        .page_info(PageInfo { page_index: 1, page_total: 10 })
        .send()
        .await
        .expect("success");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(raw_path(req), "/v1/transfertasklog/CDaRPdvKUfZrAhzTaYs");
    assert_eq!(raw_query(req), "");
    assert_eq!(header(req, "host"), server.address().to_string());
    assert_eq!(
        String::from_utf8_lossy(&req.body),
        r#"{"order":"desc","sortBy":"createTimeStr","pageInfo":{"pageIndex":1,"pageTotal":10}}"#
    );
    assert_aksk_headers(req);

    assert_eq!(log.total_num, 100);
    assert_eq!(log.error_code.as_i64(), Some(-1), "the documented example sends the number -1");
    assert_eq!(log.message, None);
    let list = log.transfer_task_log_list.as_ref().expect("transferTaskLogList");
    assert_eq!(list.len(), 1, "a single object is read as a list of one");
    let item = &list[0];
    assert_eq!(item.transfer_task_id, "CDaRPdvKUfZrAhzTaYs");
    assert_eq!(item.destination_type, "OBS");
    assert_eq!(item.start_time.0, 1_756_539_753_280);
    assert_eq!(item.end_time.0, 1_756_540_056_070);
    assert_eq!((item.transfer_bytes, item.transfer_records_num), (30_718_683, 32_943));
    assert_eq!(item.stream_id, "hFKqKEhCZgNayyIS8Zv");
    assert_eq!(item.project_id, "575ae927fc644f22b5c5af5209b7cf51");
    assert_eq!(item.state, Some(0));
    assert_eq!(log.meta.request_id(), Some("HW-RID-1"));
    assert_eq!((log.meta.status(), log.meta.attempts()), (200, 1));
}

/// Every task that awaits a call holds the call's future and writes it into memory on each call;
/// at 3.4 KB, with many calls in flight, that cost measurable time (README, calls note). The
/// answer's response, the largest of the benchmarked operations', is built after the last
/// await, so it is no part of the future.
#[test]
fn a_call_future_stays_under_a_kilobyte() {
    use show_transfer_task_log::{PageInfo, SortBy, SortOrder};
    let config = Config::new("cn-north-4").credentials(Credentials::huawei(AK, SK));
    let call = dis_client(config)
        .show_transfer_task_log()
        .task_id(TASK_ID)
        .order(SortOrder::Desc)
        .sort_by(SortBy::CreateTimeStr)
        .page_info(PageInfo { page_index: 1, page_total: 10 })
        .send();
    let bytes = std::mem::size_of_val(&call);
    assert!(bytes < 1024, "the call's future is {bytes} bytes");
}

#[tokio::test]
async fn dis_with_an_iam_token() {
    let server = MockServer::start().await;
    serve_dis(&server, json(200, &dis_example())).await;
    let config = Config::new("cn-north-4")
        .endpoint(server.uri())
        .allow_http(true)
        .credentials(Credentials::huawei_token(IAM_TOKEN))
        .retry(fast_retry());

    let log = dis_client(config).show_transfer_task_log().task_id(TASK_ID).send().await.expect("success");

    let requests = received(&server).await;
    let req = &requests[0];
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(raw_path(req), "/v1/transfertasklog/CDaRPdvKUfZrAhzTaYs");
    assert_eq!(header(req, "x-auth-token"), IAM_TOKEN);
    assert_eq!(header(req, "content-type"), "application/json");
    assert_eq!(header(req, "user-agent"), USER_AGENT);
    assert!(!has_header(req, "authorization"), "a token call is not signed");
    assert!(!has_header(req, "x-sdk-date"));
    assert_eq!(req.body, b"{}", "no optional parameter: an empty JSON object");
    assert_eq!(log.total_num, 100);
    assert_eq!(log.meta.request_id(), None, "no X-Request-Id header and no request id in a success body");
}

#[tokio::test]
async fn cbr_show_op_log_with_project_id() {
    use cbr::types::{OperationStatus, OperationType};
    let server = MockServer::start().await;
    serve_cbr(&server, json(200, &cbr_example()).insert_header("X-Request-Id", "HW-RID-2")).await;

    let log = cbr_client(config(&server)).show_op_log().operation_log_id(OP_LOG_ID).send().await.expect("success");

    let requests = received(&server).await;
    let req = &requests[0];
    assert_eq!(req.method.as_str(), "GET");
    assert_eq!(raw_path(req), format!("/v3/{PROJECT}/operation-logs/{OP_LOG_ID}"));
    assert_eq!(raw_query(req), "");
    assert!(req.body.is_empty());
    assert_aksk_headers(req);

    let op = &log.operation_log;
    assert_eq!(op.id.as_deref(), Some(OP_LOG_ID));
    assert_eq!(op.status, Some(OperationStatus::Success));
    assert_eq!(op.operation_type, Some(OperationType::Backup));
    assert_eq!(op.provider_id.as_deref(), Some("0daac4c5-6707-4851-97ba-169e36266b66"));
    assert_eq!(op.updated_at.as_ref().map(ToString::to_string).as_deref(), Some("2019-05-23T14:35:23.584+00:00"));
    assert_eq!(op.error_info.as_ref().and_then(|e| e.code.as_deref()), Some(""));
    let extra = op.extra_info.as_ref().expect("extra_info");
    assert_eq!(extra.common.as_ref().and_then(|c| c.progress), Some(100));
    assert_eq!(extra.backup.as_ref().and_then(|b| b.backup_name.as_deref()), Some("manualbk_1234"));
    let resource = extra.resource.as_ref().expect("resource");
    assert_eq!(resource.type_, ResourceType::NovaServer);
    assert_eq!(resource.name.as_deref(), Some("ECS-0001"));
    assert_eq!(log.meta.request_id(), Some("HW-RID-2"));
}

#[tokio::test]
async fn path_parameters_cannot_change_the_path() {
    let server = MockServer::start().await;
    serve_cbr(&server, json(200, &cbr_example())).await;
    let client = cbr_client(config(&server));
    for id in ["../x", "a/b", "a b?#%", "../../v3/other/operation-logs/y"] {
        client.show_op_log().operation_log_id(id).send().await.expect("sent");
    }
    let requests = received(&server).await;
    let paths: Vec<&str> = requests.iter().map(raw_path).collect();
    let prefix = format!("/v3/{PROJECT}/operation-logs/");
    assert_eq!(
        paths,
        [
            format!("{prefix}..%2Fx"),
            format!("{prefix}a%2Fb"),
            format!("{prefix}a%20b%3F%23%25"),
            format!("{prefix}..%2F..%2Fv3%2Fother%2Foperation-logs%2Fy"),
        ]
    );
    for req in &requests {
        assert_eq!(raw_query(req), "", "nothing leaked into the query");
        verify_huawei(req, SK);
    }

    // A value that is a whole dot segment is refused before sending.
    for id in ["..", ".", ""] {
        let error = client.show_op_log().operation_log_id(id).send().await.expect_err("dot segment");
        let show_op_log::Error::Request(e) = &error else { panic!("{error:?}") };
        assert_eq!(e.kind(), RequestErrorKind::Validation);
        assert_eq!(e.validation().expect("violations").violations()[0].field, "operation_log_id");
    }
    assert_eq!(received(&server).await.len(), 4);
}

#[tokio::test]
async fn cbr_without_a_project_id_sends_nothing() {
    let server = MockServer::start().await;
    serve_cbr(&server, json(200, &cbr_example())).await;
    let config =
        Config::new("cn-north-4").endpoint(server.uri()).allow_http(true).credentials(Credentials::huawei(AK, SK));
    let error = cbr_client(config).show_op_log().operation_log_id(OP_LOG_ID).send().await.expect_err("no project");
    let show_op_log::Error::Request(e) = &error else { panic!("{error:?}") };
    assert_eq!(e.kind(), RequestErrorKind::Config);
    assert!(error.to_string().contains("project id"), "{error}");
    assert!(received(&server).await.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn cbr_documented_404_maps_to_its_variant_and_is_not_retried() {
    let server = MockServer::start().await;
    serve_cbr(&server, json(404, OP_LOG_NOT_FOUND).insert_header("X-Request-Id", "HW-RID-404")).await;
    let error = cbr_client(config(&server).retry(fast_retry().max_attempts(5)))
        .show_op_log()
        .operation_log_id(OP_LOG_ID)
        .send()
        .await
        .expect_err("404");
    let show_op_log::Error::BackupService6500(e) = &error else { panic!("expected BackupService6500: {error:?}") };
    assert_eq!((e.status(), e.code(), e.message()), (404, "BackupService.6500", "Operation log does not exist."));
    assert_eq!(e.request_id(), Some("HW-RID-404"));
    assert_eq!(
        error.to_string(),
        "ShowOpLog failed with HTTP 404 BackupService.6500: Operation log does not exist. (request id HW-RID-404)"
    );
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn dis_error_bodies_map_to_variants() {
    let server = MockServer::start().await;
    let dis_4301 = r#"{"errorCode":"DIS.4301","message":"Stream does not exist. [stream-x]"}"#;
    let dis_4100 = r#"{"errorCode":"DIS.4100","message":"Authorization error."}"#;
    let apigw = r#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: decrypt token fail","request_id":"RID-BODY"}"#;
    let replies = Script::new(vec![
        json(400, dis_4301).insert_header("X-Request-Id", "RID-4301"),
        json(441, dis_4100),
        json(401, apigw),
    ]);
    serve_dis(&server, replies).await;
    let client = dis_client(config(&server).retry(fast_retry().max_attempts(5)));
    let call = || client.show_transfer_task_log().task_id(TASK_ID).send();

    // A code the spec does not list: Unmodelled, with everything the body and headers said.
    let error = call().await.expect_err("400");
    let show_transfer_task_log::Error::Unmodelled(e) = &error else { panic!("expected Unmodelled: {error:?}") };
    assert_eq!((e.status(), e.code()), (400, "DIS.4301"));
    assert_eq!(e.message(), "Stream does not exist. [stream-x]");
    assert_eq!(e.request_id(), Some("RID-4301"));
    assert_one_line(&error.to_string());

    // DIS's non-standard 441 for signature problems: documented, never retried.
    let error = call().await.expect_err("441");
    let show_transfer_task_log::Error::Common(dis::CommonError::Dis4100(e)) = &error else {
        panic!("expected Dis4100: {error:?}")
    };
    assert_eq!((e.status(), e.message()), (441, "Authorization error."));
    assert!(error.to_string().contains("HTTP 441 DIS.4100"), "{error}");

    // An API Gateway error on the DIS host, in the common Huawei shape with a body request id.
    let error = call().await.expect_err("401");
    let show_transfer_task_log::Error::Common(dis::CommonError::Apigw0301(e)) = &error else {
        panic!("expected Apigw0301: {error:?}")
    };
    assert_eq!(e.request_id(), Some("RID-BODY"));

    assert_eq!(received(&server).await.len(), 3, "none of them was retried");
}

#[tokio::test]
async fn dis_refusal_inside_a_200_is_the_typed_error_with_the_request_id() {
    let server = MockServer::start().await;
    let refusal = r#"{"errorCode":"DIS.4200","message":"Invalid request."}"#;
    let success_as_text = dis_example().replacen("\"errorCode\":-1", "\"errorCode\":\"-1\"", 1);
    assert!(success_as_text.contains("\"errorCode\":\"-1\""), "the example carries errorCode -1");
    let replies = Script::new(vec![
        json(200, refusal).insert_header("X-Request-Id", "RID-200"),
        json(200, &success_as_text),
        json(200, &dis_example()),
    ]);
    serve_dis(&server, replies).await;
    let client = dis_client(config(&server));
    let call = || client.show_transfer_task_log().task_id(TASK_ID).send();

    let error = call().await.expect_err("errorCode DIS.4200 in a 200 body");
    let show_transfer_task_log::Error::Common(dis::CommonError::Dis4200(e)) = &error else { panic!("{error:?}") };
    assert_eq!((e.status(), e.code(), e.message()), (200, "DIS.4200", "Invalid request."));
    assert_eq!(error.request_id(), Some("RID-200"));
    // -1 means success, as a string or as a number.
    assert!(call().await.is_ok(), "errorCode \"-1\"");
    assert!(call().await.is_ok(), "errorCode -1");
    assert_eq!(received(&server).await.len(), 3, "a refusal is not retried");
}

#[tokio::test]
async fn cbr_undocumented_code_is_unmodelled() {
    let server = MockServer::start().await;
    let body = r#"{"error_code":"BackupService.0001","error_msg":"Invalid parameter."}"#;
    serve_cbr(&server, json(400, body).insert_header("X-Request-Id", "RID-U")).await;
    let error = cbr_client(config(&server)).show_op_log().operation_log_id("x").send().await.expect_err("400");
    let show_op_log::Error::Unmodelled(e) = &error else { panic!("{error:?}") };
    assert_eq!((e.status(), e.code(), e.message()), (400, "BackupService.0001", "Invalid parameter."));
    assert_eq!(e.request_id(), Some("RID-U"));
}

#[tokio::test]
async fn non_json_502_is_an_unexpected_response() {
    let server = MockServer::start().await;
    let body = "<html>\n<body>\n<h1>502 Bad Gateway</h1>\n</body>\n</html>\n";
    serve_cbr(
        &server,
        ResponseTemplate::new(502).set_body_raw(body, "text/html").insert_header("X-Request-Id", "R502"),
    )
    .await;
    let error = cbr_client(config(&server).retry(RetryPolicy::none()))
        .show_op_log()
        .operation_log_id(OP_LOG_ID)
        .send()
        .await
        .expect_err("502");
    let show_op_log::Error::Request(e) = &error else { panic!("{error:?}") };
    assert_eq!(e.kind(), RequestErrorKind::UnexpectedResponse);
    assert_eq!((e.status(), e.request_id()), (Some(502), Some("R502")));
    assert!(e.body_snippet().is_some_and(|s| s.contains("502 Bad Gateway")));
    let shown = error.to_string();
    assert!(shown.contains("HTTP 502") && shown.contains("R502") && shown.contains("Bad Gateway"), "{shown}");
    assert_one_line(&shown);
}

#[tokio::test]
async fn slow_server_times_out() {
    let server = MockServer::start().await;
    serve_dis(&server, json(200, &dis_example()).set_delay(Duration::from_secs(3))).await;
    let started = Instant::now();
    let error = dis_client(config(&server).timeout(Duration::from_millis(200)).retry(RetryPolicy::none()))
        .show_transfer_task_log()
        .task_id(TASK_ID)
        .send()
        .await
        .expect_err("timeout");
    assert!(started.elapsed() < Duration::from_secs(2));
    let show_transfer_task_log::Error::Request(e) = &error else { panic!("{error:?}") };
    assert_eq!(e.kind(), RequestErrorKind::Timeout);
}

#[tokio::test]
async fn dis_task_id_is_checked_before_sending() {
    let server = MockServer::start().await;
    serve_dis(&server, json(200, &dis_example())).await;
    let client = dis_client(config(&server));
    let cases =
        [("short", "exactly 19"), ("CDaRPdvKUfZrAhzT-Ys", "letters and digits"), ("CDaRPdvKUfZrAhzTaYé", "letters")];
    for (task_id, rule) in cases {
        let error = client.show_transfer_task_log().task_id(task_id).send().await.expect_err("invalid");
        let show_transfer_task_log::Error::Request(e) = &error else { panic!("{error:?}") };
        assert_eq!(e.kind(), RequestErrorKind::Validation);
        let violation = &e.validation().expect("violations").violations()[0];
        assert_eq!(violation.field, "task_id");
        assert!(violation.rule.contains(rule), "{task_id}: {}", violation.rule);
        assert!(error.to_string().contains("`task_id`"), "{error}");
        assert_one_line(&error.to_string());
    }
    let error = client.show_transfer_task_log().send().await.expect_err("missing");
    assert!(error.to_string().contains("`task_id` is required"), "{error}");
    assert!(received(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_token_that_cannot_be_a_header_is_refused_when_the_client_is_built() {
    let server = MockServer::start().await;
    serve_dis(&server, json(200, &dis_example())).await;
    // A token read from a file with its line break.
    let token = format!("{IAM_TOKEN}\n");
    let config = config(&server).credentials(Credentials::huawei_token(token)).retry(fast_retry().max_attempts(3));
    let error = dis::Client::new(config).expect_err("refused before any call");
    assert!(matches!(error, cloud_task_apis::ConfigError::InvalidHeaderValue { .. }), "{error:?}");
    let shown = error.to_string();
    assert!(shown.contains("IAM token") && shown.contains("HTTP header"), "{shown}");
    assert_no_secret(&format!("{shown} {error:?}"), &[IAM_TOKEN]);
    assert_one_line(&shown);
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn secrets_never_appear_in_debug_or_display() {
    let secrets = [SK, IAM_TOKEN];
    let server = MockServer::start().await;
    serve_cbr(&server, json(404, OP_LOG_NOT_FOUND)).await;
    serve_dis(&server, ResponseTemplate::new(502).set_body_string("bad gateway")).await;
    for credentials in
        [Credentials::huawei(AK, SK).with_security_token(IAM_TOKEN), Credentials::huawei_token(IAM_TOKEN)]
    {
        assert_no_secret(&format!("{credentials:?}"), &secrets);
        let config = config(&server).credentials(credentials).retry(RetryPolicy::none());
        assert_no_secret(&format!("{config:?}"), &secrets);
        let cbr = cbr_client(config.clone());
        assert_no_secret(&format!("{cbr:?}"), &secrets);
        let error = cbr.show_op_log().operation_log_id("x").send().await.expect_err("404");
        assert_no_secret(&format!("{error} {error:?}"), &secrets);
        let error = dis_client(config).show_transfer_task_log().task_id(TASK_ID).send().await.expect_err("502");
        assert_no_secret(&format!("{error} {error:?}"), &secrets);
    }
}

// ---------------------------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn apigw_throttling_429_is_retried() {
    let server = MockServer::start().await;
    serve_cbr(&server, Script::fail_then(1, json(429, APIGW_THROTTLED), json(200, &cbr_example()))).await;
    let log = cbr_client(config(&server)).show_op_log().operation_log_id(OP_LOG_ID).send().await.expect("retried");
    assert_eq!(log.meta.attempts(), 2);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for req in &requests {
        verify_huawei(req, SK);
    }
}

#[tokio::test]
async fn server_errors_are_retried_with_the_same_body_and_a_new_signature() {
    let server = MockServer::start().await;
    serve_dis(&server, Script::fail_then(2, ResponseTemplate::new(503), json(200, &dis_example()))).await;
    let log = dis_client(config(&server))
        .show_transfer_task_log()
        .task_id(TASK_ID)
        .order(show_transfer_task_log::SortOrder::Asc)
        .send()
        .await
        .expect("third try");
    assert_eq!(log.meta.attempts(), 3);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    for req in &requests {
        assert_eq!(req.body, br#"{"order":"asc"}"#);
        assert_aksk_headers(req);
    }
}

#[tokio::test]
async fn gives_up_after_max_attempts_with_the_last_error() {
    let server = MockServer::start().await;
    let attempt = |n: u32| json(429, APIGW_THROTTLED).insert_header("X-Request-Id", format!("TRY-{n}"));
    serve_cbr(&server, Script::new(vec![attempt(1), attempt(2), json(200, &cbr_example())])).await;
    let error = cbr_client(config(&server).retry(fast_retry().max_attempts(2)))
        .show_op_log()
        .operation_log_id(OP_LOG_ID)
        .send()
        .await
        .expect_err("gave up");
    let show_op_log::Error::Common(cbr::CommonError::Apigw0308(e)) = &error else { panic!("{error:?}") };
    assert_eq!((e.status(), e.request_id()), (429, Some("TRY-2")));
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    let throttled = json(429, APIGW_THROTTLED).insert_header("Retry-After", "1");
    serve_cbr(&server, Script::fail_then(1, throttled, json(200, &cbr_example()))).await;
    let started = Instant::now();
    let log = cbr_client(config(&server)).show_op_log().operation_log_id(OP_LOG_ID).send().await.expect("retried");
    let elapsed = started.elapsed();
    assert_eq!(log.meta.attempts(), 2);
    assert!(elapsed >= Duration::from_secs(1), "waited only {elapsed:?}, Retry-After said 1 s");
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
}

// ---------------------------------------------------------------------------------------------
// CBR: CreateCheckpoint and ListBackups
// ---------------------------------------------------------------------------------------------

const VAULT_ID: &str = "3b5816b5-f29c-4172-9d9a-76c719a659ce";
const RESOURCE_ID: &str = "94eba8b2-acc9-4d82-badc-127144cc5526";

async fn serve_checkpoints(server: &MockServer, responder: impl wiremock::Respond + 'static) {
    Mock::given(method("POST")).and(path_regex("^/v3/[^/]+/checkpoints$")).respond_with(responder).mount(server).await;
}

async fn serve_backups(server: &MockServer, responder: impl wiremock::Respond + 'static) {
    Mock::given(method("GET")).and(path_regex("^/v3/[^/]+/backups$")).respond_with(responder).mount(server).await;
}

fn vault_backup() -> VaultBackup {
    VaultBackup {
        vault_id: VAULT_ID.to_owned(),
        parameters: Some(CheckpointParam {
            auto_trigger: Some(false),
            incremental: Some(true),
            name: Some("backup_name".to_owned()),
            resources: Some(vec![RESOURCE_ID.to_owned()]),
            ..CheckpointParam::default()
        }),
    }
}

#[tokio::test]
async fn cbr_create_checkpoint_with_aksk() {
    let server = MockServer::start().await;
    let body = example("huawei", "cbr", "CreateCheckpoint", "success");
    serve_checkpoints(&server, json(200, &body).insert_header("X-Request-Id", "HW-RID-CP")).await;

    let created = cbr_client(config(&server)).create_checkpoint().checkpoint(vault_backup()).send().await.expect("ok");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(raw_path(req), format!("/v3/{PROJECT}/checkpoints"));
    assert_eq!(raw_query(req), "");
    assert_eq!(
        String::from_utf8_lossy(&req.body),
        format!(
            r#"{{"checkpoint":{{"vault_id":"{VAULT_ID}","parameters":{{"auto_trigger":false,"incremental":true,"name":"backup_name","resources":["{RESOURCE_ID}"]}}}}}}"#
        )
    );
    // The operation's spec declares the Content-Type the official SDK sends for it.
    assert_aksk_headers_with(req, "application/json;charset=UTF-8");

    let checkpoint = &created.checkpoint;
    assert_eq!(checkpoint.id, "8b0851a8-adf3-4f4c-a914-dead08bf9664");
    assert_eq!(checkpoint.status, CheckpointStatus::Protecting);
    assert_eq!(checkpoint.created_at.to_string(), "2019-05-10T07:59:12.733403", "the zone-less text is kept");
    let vault = checkpoint.vault.as_ref().expect("vault");
    assert_eq!((vault.id.as_str(), vault.name.as_str()), (VAULT_ID, "vault-be94"));
    let resource = &vault.resources.as_deref().expect("resources")[0];
    assert_eq!(resource.type_, ResourceType::NovaServer);
    assert_eq!(resource.resource_size.as_deref(), Some("40"), "a string on this object");
    assert_eq!(resource.extra_info, None);
    assert_eq!(checkpoint.extra_info.as_ref().and_then(|e| e.retention_duration), Some(-1));
    assert_eq!(created.meta.request_id(), Some("HW-RID-CP"));
}

#[tokio::test]
async fn cbr_create_checkpoint_checks_the_rules_inside_its_body_before_sending() {
    let server = MockServer::start().await;
    serve_checkpoints(&server, json(200, &example("huawei", "cbr", "CreateCheckpoint", "success"))).await;
    let client = cbr_client(config(&server));
    let mut checkpoint = vault_backup();
    let parameters = checkpoint.parameters.as_mut().expect("parameters");
    parameters.name = Some("nightly backup!".to_owned());
    parameters.retention_duration_days = Some(40_000);
    parameters.resource_details = Some(vec![
        Resource { id: RESOURCE_ID.to_owned(), name: Some("ok".to_owned()), ..Resource::default() },
        Resource { id: RESOURCE_ID.to_owned(), name: Some("n".repeat(256)), ..Resource::default() },
    ]);

    let error = client.create_checkpoint().checkpoint(checkpoint).send().await.expect_err("invalid");

    let create_checkpoint::Error::Request(e) = &error else { panic!("{error:?}") };
    assert_eq!(e.kind(), RequestErrorKind::Validation);
    let violations = e.validation().expect("violations").violations();
    let fields: Vec<&str> = violations.iter().map(|v| v.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "checkpoint.parameters.name",
            "checkpoint.parameters.resource_details[1].name",
            "checkpoint.parameters.retention_duration_days",
        ]
    );
    assert!(violations[0].rule.contains("must match the pattern"), "{}", violations[0].rule);
    assert!(violations[1].rule.contains("0 to 255, got 256"), "{}", violations[1].rule);
    assert!(violations[2].rule.contains("-1..=36500, got 40000"), "{}", violations[2].rule);
    assert!(error.to_string().contains("`checkpoint.parameters.name`"), "{error}");
    assert!(received(&server).await.is_empty(), "nothing was sent");

    // Unset optional values are not checked, and valid ones pass.
    let sent = client.create_checkpoint().checkpoint(vault_backup()).send().await;
    assert!(sent.is_ok(), "{sent:?}");
}

#[tokio::test]
async fn cbr_create_checkpoint_is_not_retried_and_maps_its_documented_errors() {
    let server = MockServer::start().await;
    let busy = r#"{"error_code":"1001","error_msg":"The vault is already running a backup."}"#;
    let replies = Script::new(vec![
        ResponseTemplate::new(503).insert_header("X-Request-Id", "HW-RID-503"),
        json(400, busy).insert_header("X-Request-Id", "HW-RID-1001"),
    ]);
    serve_checkpoints(&server, replies).await;
    let client = cbr_client(config(&server).retry(fast_retry().max_attempts(5)));

    // No idempotency token: a 503 after the request reached the server is not repeated.
    let error = client.create_checkpoint().checkpoint(vault_backup()).send().await.expect_err("503");
    let create_checkpoint::Error::Request(e) = &error else { panic!("{error:?}") };
    assert_eq!((e.status(), e.request_id()), (Some(503), Some("HW-RID-503")));
    assert_eq!(received(&server).await.len(), 1, "one attempt");

    let error = client.create_checkpoint().checkpoint(vault_backup()).send().await.expect_err("1001");
    let create_checkpoint::Error::VaultBackupRunning(e) = &error else {
        panic!("expected VaultBackupRunning: {error:?}")
    };
    assert_eq!((e.status(), e.code()), (400, "1001"));
    assert_eq!(e.request_id(), Some("HW-RID-1001"));
    assert_one_line(&error.to_string());
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn cbr_create_checkpoint_needs_the_checkpoint() {
    let server = MockServer::start().await;
    serve_checkpoints(&server, json(200, "{}")).await;
    let error = cbr_client(config(&server)).create_checkpoint().send().await.expect_err("no checkpoint");
    let create_checkpoint::Error::Request(e) = &error else { panic!("{error:?}") };
    assert_eq!(e.kind(), RequestErrorKind::Validation);
    assert!(error.to_string().contains("`checkpoint` is required"), "{error}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn cbr_list_backups_with_filters_and_both_time_forms() {
    let server = MockServer::start().await;
    let body = example("huawei", "cbr", "ListBackups", "success");
    serve_backups(&server, json(200, &body).insert_header("X-Request-Id", "HW-RID-LB")).await;

    let page = cbr_client(config(&server))
        .list_backups()
        .vault_id(VAULT_ID)
        .status(BackupStatus::Available)
        .limit(100)
        .offset(0)
        .send()
        .await
        .expect("ok");

    let requests = received(&server).await;
    let req = &requests[0];
    assert_eq!(req.method.as_str(), "GET");
    assert_eq!(raw_path(req), format!("/v3/{PROJECT}/backups"));
    assert_eq!(query_keys(req), sorted(&["limit", "offset", "status", "vault_id"]));
    assert_eq!(query(req, "status"), "available");
    assert_eq!(query(req, "vault_id"), VAULT_ID);
    assert_eq!((query(req, "limit"), query(req, "offset")), ("100".to_owned(), "0".to_owned()));
    assert!(req.body.is_empty());
    assert_aksk_headers(req);

    assert_eq!(page.count, 2);
    assert_eq!(page.backups.len(), 2);
    let first = &page.backups[0];
    assert_eq!(first.status, Some(BackupStatus::Available));
    assert_eq!(first.resource_type, Some(ResourceType::NovaServer));
    assert_eq!(first.resource_size, Some(40));
    let created = first.created_at.as_ref().expect("created_at");
    assert_eq!(created.to_string(), "2020-02-21T07:00:54.065135");
    assert_eq!(created.to_offset_date_time().map(|t| t.unix_timestamp_nanos()), Some(1_582_268_454_065_135_000), "UTC");
    assert_eq!(first.protected_at, None);
    assert_eq!(page.backups[1].extend_info.as_ref().and_then(|e| e.progress), Some(100));

    // The reference page's own example writes the same backup with RFC 3339 offsets.
    let server2 = MockServer::start().await;
    serve_backups(&server2, json(200, &example("huawei", "cbr", "ListBackups", "page_example"))).await;
    let page = cbr_client(config(&server2)).list_backups().send().await.expect("ok");
    let created = page.backups[0].created_at.as_ref().expect("created_at");
    assert_eq!(created.to_string(), "2020-02-21T07:00:54.065+00:00");
    assert_eq!(created.to_offset_date_time().map(|t| t.unix_timestamp_nanos()), Some(1_582_268_454_065_000_000));
}

/// Serves `total` backups by `offset` and `limit`, with `count` the total.
struct BackupPages {
    total: i64,
}

impl wiremock::Respond for BackupPages {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let offset: i64 = query(req, "offset").parse().unwrap_or(0);
        let limit: i64 = query(req, "limit").parse().unwrap_or(1000);
        let backups: Vec<String> = (offset..(offset + limit).min(self.total))
            .map(|i| format!(r#"{{"id":"backup-{i}","status":"available","created_at":"2020-02-21T07:00:54.065135"}}"#))
            .collect();
        json(
            200,
            &format!(
                r#"{{"backups":[{}],"count":{},"offset":{offset},"limit":{limit}}}"#,
                backups.join(","),
                self.total
            ),
        )
    }
}

#[tokio::test]
async fn cbr_list_backups_pages_by_offset_from_zero() {
    use futures_util::StreamExt;
    let server = MockServer::start().await;
    serve_backups(&server, BackupPages { total: 5 }).await;

    let items: Vec<_> = cbr_client(config(&server)).list_backups().limit(2).paginate().items().collect().await;

    let ids: Vec<String> = items.into_iter().map(|b| b.expect("item").id.unwrap_or_default()).collect();
    assert_eq!(ids, ["backup-0", "backup-1", "backup-2", "backup-3", "backup-4"], "no duplicate, no gap");
    let requests = received(&server).await;
    let offsets: Vec<String> = requests.iter().map(|r| query(r, "offset")).collect();
    assert_eq!(offsets, ["0", "2", "4"], "offsets past the items received, from 0");
    assert!(requests.iter().all(|r| query(r, "limit") == "2"));
}

// ---------------------------------------------------------------------------------------------
// DIS: ListTransferTasks, BatchStartTransferTask, BatchStopTransferTask
// ---------------------------------------------------------------------------------------------

const STREAM: &str = "new-stream";

async fn serve_transfer_tasks(server: &MockServer, responder: impl wiremock::Respond + 'static) {
    Mock::given(method("GET"))
        .and(path_regex("^/v2/[^/]+/streams/[^/]+/transfer-tasks$"))
        .respond_with(responder)
        .mount(server)
        .await;
}

async fn serve_task_action(server: &MockServer, responder: impl wiremock::Respond + 'static) {
    Mock::given(method("POST"))
        .and(path_regex("^/v2/[^/]+/streams/[^/]+/transfer-tasks/action$"))
        .respond_with(responder)
        .mount(server)
        .await;
}

fn task_ids(ids: &[&str]) -> Vec<BatchTransferTask> {
    ids.iter().map(|id| BatchTransferTask { id: (*id).to_owned() }).collect()
}

#[tokio::test]
async fn dis_list_transfer_tasks_with_aksk() {
    let server = MockServer::start().await;
    let body = example("huawei", "dis", "ListTransferTasks", "success");
    serve_transfer_tasks(&server, json(200, &body).insert_header("X-Request-Id", "HW-RID-LT")).await;

    let list = dis_client(config(&server)).list_transfer_tasks().stream_name(STREAM).send().await.expect("ok");

    let requests = received(&server).await;
    let req = &requests[0];
    assert_eq!(req.method.as_str(), "GET");
    assert_eq!(raw_path(req), format!("/v2/{PROJECT}/streams/{STREAM}/transfer-tasks"));
    assert_eq!(raw_query(req), "", "the list is not paged: no limit is sent");
    assert!(req.body.is_empty());
    assert_aksk_headers(req);

    assert_eq!((list.total_number, list.quota), (1, None));
    let task = &list.tasks.as_deref().expect("tasks")[0];
    assert_eq!(task.task_id.as_deref(), Some("As805BudhcH1lDs6gbn"));
    assert_eq!(task.task_name, "newtask");
    assert_eq!(task.state, TransferTaskState::Running);
    assert_eq!(task.destination_type, DestinationType::Obs);
    assert_eq!(task.create_time.0, 1_606_554_932_552);
    assert_eq!(task.last_transfer_timestamp.as_ref().map(|t| t.0), Some(1_606_984_428_612));
    assert_eq!(list.meta.request_id(), Some("HW-RID-LT"));
}

#[tokio::test]
async fn dis_stream_name_is_checked_before_sending() {
    let server = MockServer::start().await;
    serve_transfer_tasks(&server, json(200, r#"{"total_number":0}"#)).await;
    let error =
        dis_client(config(&server)).list_transfer_tasks().stream_name("s".repeat(61)).send().await.expect_err("long");
    let list_transfer_tasks::Error::Request(e) = &error else { panic!("{error:?}") };
    assert_eq!(e.kind(), RequestErrorKind::Validation);
    assert_eq!(e.validation().expect("violations").violations()[0].field, "stream_name");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn dis_batch_start_and_stop_send_the_action_and_task_ids() {
    let server = MockServer::start().await;
    // The documented answer has no body.
    serve_task_action(&server, ResponseTemplate::new(200).insert_header("X-Request-Id", "HW-RID-ACT")).await;
    let client = dis_client(config(&server));

    let started = client
        .batch_start_transfer_task()
        .stream_name(STREAM)
        .action(StartAction::Start)
        .tasks(task_ids(&["9dSu1wfCytSk1aOLxvF", "2QqqWoPUIZNk6kt5yC2"]))
        .send()
        .await
        .expect("started");
    let stopped = client
        .batch_stop_transfer_task()
        .stream_name(STREAM)
        .action(StopAction::Stop)
        .tasks(task_ids(&["9dSu1wfCytSk1aOLxvF"]))
        .send()
        .await
        .expect("stopped");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for req in &requests {
        assert_eq!(req.method.as_str(), "POST");
        assert_eq!(raw_path(req), format!("/v2/{PROJECT}/streams/{STREAM}/transfer-tasks/action"));
        assert_eq!(raw_query(req), "");
        assert_aksk_headers(req);
    }
    assert_eq!(
        String::from_utf8_lossy(&requests[0].body),
        r#"{"action":"start","tasks":[{"id":"9dSu1wfCytSk1aOLxvF"},{"id":"2QqqWoPUIZNk6kt5yC2"}]}"#
    );
    assert_eq!(
        String::from_utf8_lossy(&requests[1].body),
        r#"{"action":"stop","tasks":[{"id":"9dSu1wfCytSk1aOLxvF"}]}"#
    );
    assert_eq!((started.meta.status(), started.meta.request_id()), (200, Some("HW-RID-ACT")));
    assert_eq!(stopped.meta.request_id(), Some("HW-RID-ACT"));
}

#[tokio::test]
async fn dis_stopping_a_stopped_task_is_a_typed_error_with_the_request_id() {
    // What DIS answers for an already paused task is not documented; it answers with a documented
    // DIS code (here DIS.4300 Request error), as an error status or inside a 200.
    let server = MockServer::start().await;
    let rejected = r#"{"errorCode":"DIS.4300","message":"Request error."}"#;
    let replies = Script::new(vec![
        json(400, rejected).insert_header("X-Request-Id", "HW-RID-STOP-400"),
        json(200, rejected).insert_header("X-Request-Id", "HW-RID-STOP-200"),
    ]);
    serve_task_action(&server, replies).await;
    let client = dis_client(config(&server).retry(fast_retry().max_attempts(5)));
    let stop = || {
        client
            .batch_stop_transfer_task()
            .stream_name(STREAM)
            .action(StopAction::Stop)
            .tasks(task_ids(&["9dSu1wfCytSk1aOLxvF"]))
            .send()
    };

    for (status, request_id) in [(400, "HW-RID-STOP-400"), (200, "HW-RID-STOP-200")] {
        let error = stop().await.expect_err("rejected");
        let batch_stop_transfer_task::Error::Dis4300(e) = &error else { panic!("expected Dis4300: {error:?}") };
        assert_eq!((e.status(), e.code(), e.message()), (status, "DIS.4300", "Request error."));
        assert_eq!(e.request_id(), Some(request_id));
        assert_one_line(&error.to_string());
    }
    assert_eq!(received(&server).await.len(), 2, "neither was retried");
}

#[tokio::test]
async fn dis_batch_start_is_not_retried_after_a_5xx() {
    let server = MockServer::start().await;
    serve_task_action(&server, Script::fail_then(1, ResponseTemplate::new(503), ResponseTemplate::new(200))).await;
    let error = dis_client(config(&server).retry(fast_retry().max_attempts(5)))
        .batch_start_transfer_task()
        .stream_name(STREAM)
        .action(StartAction::Start)
        .tasks(task_ids(&["9dSu1wfCytSk1aOLxvF"]))
        .send()
        .await
        .expect_err("503");
    let batch_start_transfer_task::Error::Request(e) = &error else { panic!("{error:?}") };
    assert_eq!(e.status(), Some(503));
    assert_eq!(received(&server).await.len(), 1, "no token: a start that may have reached the server is not repeated");
}
