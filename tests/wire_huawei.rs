//! Huawei Cloud DIS and CBR on the wire, against a local server: what each operation sends
//! (SDK-HMAC-SHA256 with AK/SK, or an IAM token), how responses and errors decode, and how
//! calls are retried. Wire facts: PROVIDERS.md sections 2.1-2.6.

mod common;

use std::time::{Duration, Instant};

use cloud_task_apis::huawei::cbr::{self, show_op_log};
use cloud_task_apis::huawei::dis::{self, show_transfer_task_log};
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
    assert_eq!(header(req, "content-type"), "application/json");
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
    use show_op_log::{OperationStatus, OperationType, ResourceType};
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
    assert_eq!(resource.type_, Some(ResourceType::NovaServer));
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
async fn a_token_that_cannot_be_a_header_is_a_config_error_and_not_retried() {
    let server = MockServer::start().await;
    serve_dis(&server, json(200, &dis_example())).await;
    // A token read from a file with its line break.
    let token = format!("{IAM_TOKEN}\n");
    let config = config(&server).credentials(Credentials::huawei_token(token)).retry(fast_retry().max_attempts(3));
    let error = dis_client(config).show_transfer_task_log().task_id(TASK_ID).send().await.expect_err("bad header");
    let show_transfer_task_log::Error::Request(e) = &error else { panic!("{error:?}") };
    assert_eq!(e.kind(), RequestErrorKind::Config);
    let shown = error.to_string();
    assert!(shown.contains("header value"), "{shown}");
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
