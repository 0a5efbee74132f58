//! Alibaba Cloud ActionTrail on the wire, against a local server: what each operation sends
//! (ACS3-HMAC-SHA256 and RPC V1), how responses and errors decode, and how calls are retried.
//! Wire facts: PROVIDERS.md sections 1.1-1.6.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use cloud_task_apis::alibaba::actiontrail::types::JobStatus;
use cloud_task_apis::alibaba::actiontrail::{
    Client, CommonError, create_delivery_history_job, delete_delivery_history_job, get_delivery_history_job,
};
use cloud_task_apis::sign::encode::{query_string, rfc3986};
use cloud_task_apis::sign::{SignableRequest, acs3, rpc_v1};
use cloud_task_apis::{Config, Credentials, RequestErrorKind, RetryPolicy, Signing};
use common::*;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const AK: &str = "LTAI5tTestAccessKeyId";
const SECRET: &str = "alibaba-test-secret-7f3a9c";
const STS_TOKEN: &str = "alibaba-sts-token-91c2e4";

const NOT_FOUND: &str = r#"{"RequestId":"B1D4-BODY","HostId":"actiontrail.cn-hangzhou.aliyuncs.com","Code":"TrailNotFoundException","Message":"The specified Trail does not exist.","Recommend":"https://api.alibabacloud.com/troubleshoot?q=TrailNotFoundException&product=Actiontrail"}"#;
const UNAVAILABLE: &str = r#"{"RequestId":"R-503","Code":"ServiceUnavailable","Message":"The request has failed due to a temporary failure of the server."}"#;
const THROTTLED: &str =
    r#"{"RequestId":"R-400","Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#;

fn get_example() -> String {
    example("alibaba", "actiontrail", "GetDeliveryHistoryJob", "success")
}

fn create_example() -> String {
    example("alibaba", "actiontrail", "CreateDeliveryHistoryJob", "success")
}

fn config(server: &MockServer) -> Config {
    Config::new("cn-hangzhou")
        .endpoint(server.uri())
        .allow_http(true)
        .credentials(Credentials::alibaba(AK, SECRET))
        .retry(fast_retry())
}

fn client(config: Config) -> Client {
    Client::new(config).expect("a valid configuration")
}

async fn serve(server: &MockServer, responder: impl wiremock::Respond + 'static) {
    Mock::given(method("POST")).and(path("/")).respond_with(responder).mount(server).await;
}

/// The parts of an `ACS3-HMAC-SHA256` Authorization header.
struct Acs3Auth {
    signed_headers: Vec<String>,
    signature: String,
}

fn acs3_auth(req: &Request) -> Acs3Auth {
    let value = header(req, "authorization");
    let rest = value.strip_prefix("ACS3-HMAC-SHA256 ").unwrap_or_else(|| panic!("not ACS3: {value}"));
    // Commas without spaces, as the SDK writes them.
    let parts: Vec<(&str, &str)> = rest.split(',').map(|p| p.split_once('=').expect("key=value")).collect();
    let names: Vec<&str> = parts.iter().map(|(k, _)| *k).collect();
    assert_eq!(names, ["Credential", "SignedHeaders", "Signature"], "{value}");
    assert_eq!(parts[0].1, AK);
    Acs3Auth { signed_headers: parts[1].1.split(';').map(str::to_owned).collect(), signature: parts[2].1.to_owned() }
}

/// Recomputes the ACS3 signature from the request as received (the headers it declares as
/// signed, its query, path and body) and checks it against the one sent. Returns it.
fn verify_acs3(req: &Request, secret: &str) -> String {
    let auth = acs3_auth(req);
    let signable = SignableRequest {
        method: req.method.to_string(),
        host: header(req, "host").to_owned(),
        path: raw_path(req).to_owned(),
        query: query_pairs(req),
        headers: auth.signed_headers.iter().map(|name| (name.clone(), header(req, name).to_owned())).collect(),
        body: req.body.clone(),
    };
    let out = acs3::authorization(&signable, AK, secret);
    assert_eq!(out.signature, auth.signature, "canonical request:\n{}", out.canonical_request);
    assert_ne!(acs3::authorization(&signable, AK, "another-secret").signature, auth.signature);
    auth.signature
}

/// Recomputes the RPC V1 signature from the received query and checks it. Returns it.
fn verify_rpc(req: &Request, secret: &str) -> String {
    let sent = query(req, "Signature");
    let out = rpc_v1::signature(req.method.as_str(), &query_pairs(req), secret);
    assert_eq!(out.signature, sent, "string to sign:\n{}", out.string_to_sign);
    assert_ne!(rpc_v1::signature(req.method.as_str(), &query_pairs(req), "another-secret").signature, sent);
    sent
}

/// Every query key and value is RFC 3986-encoded on the wire (`%20`, `%2A`, `%3A`, `%2B`, `%3D`).
fn assert_rfc3986_query(req: &Request) {
    assert_eq!(raw_query(req), query_string(&query_pairs(req), rfc3986));
}

fn assert_recent_utc(date: &str) {
    assert_eq!(date.len(), 20, "YYYY-MM-DDTHH:MM:SSZ: {date}");
    assert!(date.ends_with('Z'), "{date}");
    let parsed = OffsetDateTime::parse(date, &Rfc3339).expect("RFC 3339 date");
    assert!((parsed.unix_timestamp() - now_unix()).abs() <= 5, "{date} is not now");
}

fn assert_hex32(nonce: &str) {
    assert_eq!(nonce.len(), 32, "{nonce}");
    assert!(nonce.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{nonce}");
}

/// The headers the official SDK sends with ACS3 for an operation without body, all signed.
fn assert_acs3_headers(req: &Request, action: &str) {
    assert_eq!(header(req, "x-acs-action"), action);
    assert_eq!(header(req, "x-acs-version"), "2020-07-06");
    assert_eq!(header(req, "accept"), "application/json");
    assert_eq!(header(req, "user-agent"), USER_AGENT);
    assert_eq!(header(req, "x-acs-content-sha256"), EMPTY_SHA256);
    assert_recent_utc(header(req, "x-acs-date"));
    assert_hex32(header(req, "x-acs-signature-nonce"));
    assert!(!has_header(req, "content-type"), "no body, so no content type");
    // Every official SDK sends it on a body-less POST; some gateways answer 411 without it.
    assert_eq!(header(req, "content-length"), "0");
    assert!(!has_header(req, "x-acs-security-token"));
    assert_eq!(
        acs3_auth(req).signed_headers,
        [
            "accept",
            "host",
            "user-agent",
            "x-acs-action",
            "x-acs-content-sha256",
            "x-acs-date",
            "x-acs-signature-nonce",
            "x-acs-version"
        ]
    );
    assert!(req.body.is_empty());
}

/// The common RPC V1 parameters, as the official SDK's `do_rpcrequest` sends them.
fn assert_rpc_params(req: &Request, action: &str) {
    assert_eq!(query(req, "Action"), action);
    assert_eq!(query(req, "Version"), "2020-07-06");
    assert_eq!(query(req, "Format"), "json");
    assert_eq!(query(req, "AccessKeyId"), AK);
    assert_eq!(query(req, "SignatureMethod"), "HMAC-SHA1");
    assert_eq!(query(req, "SignatureVersion"), "1.0");
    assert_recent_utc(&query(req, "Timestamp"));
    assert_hex32(&query(req, "SignatureNonce"));
    assert!(raw_query(req).contains("&Timestamp=") && raw_query(req).contains("%3A"), "{}", raw_query(req));
    assert_eq!(header(req, "x-acs-action"), action);
    assert_eq!(header(req, "x-acs-version"), "2020-07-06");
    assert!(!has_header(req, "authorization"), "V1 signs in the query");
    assert!(!has_header(req, "x-acs-signature-nonce"));
    assert!(req.body.is_empty());
    assert_eq!(header(req, "content-length"), "0");
    assert_rfc3986_query(req);
}

// ---------------------------------------------------------------------------------------------
// Requests and responses
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_delivery_history_job_acs3_request_and_typed_response() {
    let server = MockServer::start().await;
    serve(&server, json(200, &get_example()).insert_header("x-acs-request-id", "HDR-REQ-1")).await;

    let job = client(config(&server)).get_delivery_history_job().job_id(16602).send().await.expect("success");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(raw_path(req), "/");
    assert_eq!(raw_query(req), "JobId=16602");
    assert_eq!(header(req, "host"), server.address().to_string());
    assert_acs3_headers(req, "GetDeliveryHistoryJob");
    verify_acs3(req, SECRET);

    use get_delivery_history_job::RegionStatus;
    assert_eq!(job.job_id, 16602);
    assert_eq!(job.job_status, JobStatus::Complete);
    assert_eq!(job.trail_name, "trail-name");
    assert_eq!(job.home_region, "cn-hangzhou");
    assert_eq!(job.request_id, "FAFEC427-A00D-5653-B837-D0FA52220D8C");
    assert_eq!(job.created_time.as_str(), "2021-05-27T07:15:03Z");
    assert_eq!(job.start_time.as_offset_date_time().unix_timestamp(), 1_614_323_703);
    assert_eq!(job.end_time.as_ref().map(|t| t.as_str()), Some("2021-05-27T07:20:03Z"));
    assert_eq!(job.updated_time.as_str(), "2021-05-27T07:28:47Z");
    assert_eq!(job.status, Some(vec![RegionStatus { region: "cn-hangzhou".to_owned(), status: JobStatus::Complete }]));
    assert_eq!(job.meta.request_id(), Some("HDR-REQ-1"), "the x-acs-request-id header wins");
    assert_eq!(job.meta.status(), 200);
    assert_eq!(job.meta.attempts(), 1);
}

#[tokio::test]
async fn request_id_falls_back_to_the_body() {
    let server = MockServer::start().await;
    serve(&server, json(200, &get_example())).await;
    let job = client(config(&server)).get_delivery_history_job().job_id(16602).send().await.expect("success");
    assert_eq!(job.meta.request_id(), Some("FAFEC427-A00D-5653-B837-D0FA52220D8C"));
}

#[tokio::test]
async fn get_delivery_history_job_rpc_v1() {
    let server = MockServer::start().await;
    serve(&server, json(200, &get_example()).insert_header("x-acs-request-id", "HDR-REQ-2")).await;
    let config = config(&server).signing(Signing::RpcHmacSha1);

    let job = client(config).get_delivery_history_job().job_id(16602).send().await.expect("success");

    let requests = received(&server).await;
    let req = &requests[0];
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(raw_path(req), "/");
    assert_rpc_params(req, "GetDeliveryHistoryJob");
    assert_eq!(query(req, "JobId"), "16602");
    assert_eq!(
        query_keys(req),
        sorted(&[
            "AccessKeyId",
            "Action",
            "Format",
            "JobId",
            "Signature",
            "SignatureMethod",
            "SignatureNonce",
            "SignatureVersion",
            "Timestamp",
            "Version"
        ])
    );
    verify_rpc(req, SECRET);
    assert_eq!(job.job_id, 16602);
    assert_eq!(job.meta.request_id(), Some("HDR-REQ-2"));
}

#[tokio::test]
async fn create_delivery_history_job_acs3() {
    let server = MockServer::start().await;
    serve(&server, json(200, &create_example()).insert_header("x-acs-request-id", "HDR-REQ-3")).await;

    let job = client(config(&server))
        .create_delivery_history_job()
        .trail_name("trail-name")
        .client_token("123e4567-e89b-12d3-a456-426655440000")
        .send()
        .await
        .expect("success");

    let requests = received(&server).await;
    let req = &requests[0];
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(raw_path(req), "/");
    assert_eq!(query_keys(req), sorted(&["ClientToken", "TrailName"]));
    assert_eq!(query(req, "TrailName"), "trail-name");
    assert_eq!(query(req, "ClientToken"), "123e4567-e89b-12d3-a456-426655440000");
    assert_rfc3986_query(req);
    assert_acs3_headers(req, "CreateDeliveryHistoryJob");
    verify_acs3(req, SECRET);

    assert_eq!(job.job_id, 16602);
    assert_eq!(job.request_id, "9D356A34-D5A9-41CD-9915-837B7F9D8722");
    assert_eq!(job.meta.request_id(), Some("HDR-REQ-3"));
    assert_eq!(job.meta.attempts(), 1);
}

#[tokio::test]
async fn create_delivery_history_job_rpc_v1() {
    let server = MockServer::start().await;
    serve(&server, json(200, &create_example())).await;
    let config = config(&server).signing(Signing::RpcHmacSha1);

    let job = client(config).create_delivery_history_job().trail_name("trail-name").send().await.expect("success");

    let requests = received(&server).await;
    let req = &requests[0];
    assert_rpc_params(req, "CreateDeliveryHistoryJob");
    assert_eq!(query(req, "TrailName"), "trail-name");
    let token = query(req, "ClientToken");
    assert!(uuid::Uuid::parse_str(&token).is_ok(), "a generated UUID: {token}");
    assert_eq!(
        query_keys(req),
        sorted(&[
            "AccessKeyId",
            "Action",
            "ClientToken",
            "Format",
            "Signature",
            "SignatureMethod",
            "SignatureNonce",
            "SignatureVersion",
            "Timestamp",
            "TrailName",
            "Version"
        ])
    );
    verify_rpc(req, SECRET);
    assert_eq!(job.job_id, 16602);
    assert_eq!(job.meta.request_id(), Some("9D356A34-D5A9-41CD-9915-837B7F9D8722"), "from the body");
}

#[tokio::test]
async fn query_values_are_rfc3986_encoded_and_signed_as_sent() {
    let server = MockServer::start().await;
    serve(&server, json(200, &create_example())).await;
    let name = "trail name/é*~+=&";
    for signing in [Signing::Acs3HmacSha256, Signing::RpcHmacSha1] {
        client(config(&server).signing(signing))
            .create_delivery_history_job()
            .trail_name(name)
            .client_token("tok")
            .send()
            .await
            .expect("success");
    }
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for req in &requests {
        assert!(raw_query(req).contains("TrailName=trail%20name%2F%C3%A9%2A~%2B%3D%26"), "{}", raw_query(req));
        assert_eq!(query(req, "TrailName"), name);
        assert_rfc3986_query(req);
    }
    verify_acs3(&requests[0], SECRET);
    verify_rpc(&requests[1], SECRET);
}

#[tokio::test]
async fn sts_credentials_send_the_token_and_sign_it() {
    let server = MockServer::start().await;
    serve(&server, json(200, &get_example())).await;
    let sts = Credentials::alibaba(AK, SECRET).with_security_token(STS_TOKEN);
    client(config(&server).credentials(sts.clone())).get_delivery_history_job().job_id(1).send().await.expect("acs3");
    client(config(&server).credentials(sts).signing(Signing::RpcHmacSha1))
        .get_delivery_history_job()
        .job_id(1)
        .send()
        .await
        .expect("rpc");
    let requests = received(&server).await;
    let acs3 = &requests[0];
    assert_eq!(header(acs3, "x-acs-security-token"), STS_TOKEN);
    assert_eq!(header(acs3, "x-acs-accesskey-id"), AK);
    let signed = acs3_auth(acs3).signed_headers;
    assert!(signed.iter().any(|h| h == "x-acs-security-token") && signed.iter().any(|h| h == "x-acs-accesskey-id"));
    verify_acs3(acs3, SECRET);
    let rpc = &requests[1];
    assert_eq!(query(rpc, "SecurityToken"), STS_TOKEN);
    verify_rpc(rpc, SECRET);
}

#[tokio::test]
async fn custom_user_agent_is_sent_and_signed() {
    let server = MockServer::start().await;
    serve(&server, json(200, &get_example())).await;
    client(config(&server).user_agent("my-app/2.1"))
        .get_delivery_history_job()
        .job_id(1)
        .send()
        .await
        .expect("success");
    let requests = received(&server).await;
    assert_eq!(header(&requests[0], "user-agent"), "my-app/2.1");
    verify_acs3(&requests[0], SECRET);
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn documented_error_maps_to_its_variant() {
    let server = MockServer::start().await;
    serve(&server, json(404, NOT_FOUND).insert_header("x-acs-request-id", "HDR-404")).await;

    let error = client(config(&server)).get_delivery_history_job().job_id(7).send().await.expect_err("404");

    let get_delivery_history_job::Error::TrailNotFoundException(e) = &error else {
        panic!("expected TrailNotFoundException, got {error:?}");
    };
    assert_eq!(e.status(), 404);
    assert_eq!(e.code(), "TrailNotFoundException");
    assert_eq!(e.message(), "The specified Trail does not exist.");
    assert_eq!(e.request_id(), Some("HDR-404"));
    assert_eq!(e.operation(), "GetDeliveryHistoryJob");
    assert_eq!(error.code(), Some("TrailNotFoundException"));
    assert_eq!(error.request_id(), Some("HDR-404"));
    let shown = error.to_string();
    assert_eq!(
        shown,
        "GetDeliveryHistoryJob failed with HTTP 404 TrailNotFoundException: The specified Trail does not exist. \
         (request id HDR-404)"
    );
    assert_one_line(&shown);

    // The same error on CreateDeliveryHistoryJob, with the request id only in the body.
    server.reset().await;
    serve(&server, json(404, NOT_FOUND)).await;
    let error = client(config(&server)).create_delivery_history_job().trail_name("gone").send().await.expect_err("404");
    let create_delivery_history_job::Error::TrailNotFoundException(e) = &error else {
        panic!("expected TrailNotFoundException, got {error:?}");
    };
    assert_eq!(e.request_id(), Some("B1D4-BODY"));
    assert_eq!(received(&server).await.len(), 1, "a 404 is not retried");
}

#[tokio::test]
async fn undocumented_code_is_unmodelled_with_all_facts() {
    let server = MockServer::start().await;
    let body = r#"{"RequestId":"R-X","Code":"Forbidden.AccessKeyDisabled","Message":"The AccessKey is disabled."}"#;
    serve(&server, json(403, body)).await;

    let error = client(config(&server)).get_delivery_history_job().job_id(7).send().await.expect_err("403");

    let get_delivery_history_job::Error::Unmodelled(e) = &error else { panic!("expected Unmodelled, got {error:?}") };
    assert_eq!((e.status(), e.code(), e.message()), (403, "Forbidden.AccessKeyDisabled", "The AccessKey is disabled."));
    assert_eq!(e.request_id(), Some("R-X"));
    let shown = error.to_string();
    assert!(shown.contains("HTTP 403") && shown.contains("Forbidden.AccessKeyDisabled") && shown.contains("R-X"));
    assert_one_line(&shown);
}

#[tokio::test]
async fn xml_error_body_is_read() {
    let server = MockServer::start().await;
    let body = "<?xml version='1.0' encoding='UTF-8'?><Error><RequestId>R-XML</RequestId>\
                <HostId>actiontrail.cn-hangzhou.aliyuncs.com</HostId><Code>SignatureDoesNotMatch</Code>\
                <Message>Specified signature is not matched with our calculation.</Message></Error>";
    serve(&server, ResponseTemplate::new(403).set_body_raw(body, "text/xml;charset=utf-8")).await;
    let error = client(config(&server)).get_delivery_history_job().job_id(7).send().await.expect_err("403");
    let get_delivery_history_job::Error::Common(
        cloud_task_apis::alibaba::actiontrail::CommonError::SignatureDoesNotMatch(e),
    ) = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(e.request_id(), Some("R-XML"));
    assert_eq!(e.message(), "Specified signature is not matched with our calculation.");
}

#[tokio::test]
async fn non_json_502_is_an_unexpected_response_with_a_snippet() {
    let server = MockServer::start().await;
    let body = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>upstream gone</body>\r\n</html>\r\n";
    serve(
        &server,
        ResponseTemplate::new(502).set_body_raw(body, "text/html").insert_header("x-acs-request-id", "HDR-502"),
    )
    .await;

    let error = client(config(&server).retry(RetryPolicy::none()))
        .get_delivery_history_job()
        .job_id(7)
        .send()
        .await
        .expect_err("502");

    let get_delivery_history_job::Error::Request(e) = &error else { panic!("expected Request, got {error:?}") };
    assert_eq!(e.kind(), RequestErrorKind::UnexpectedResponse);
    assert_eq!(e.status(), Some(502));
    assert_eq!(e.request_id(), Some("HDR-502"));
    assert!(e.body_snippet().is_some_and(|s| s.contains("502 Bad Gateway")), "{:?}", e.body_snippet());
    let shown = error.to_string();
    assert_eq!(
        shown,
        "GetDeliveryHistoryJob: unexpected response: the body is not in the Alibaba Cloud error format \
         (HTTP 502, request id HDR-502); body: <html> <head><title>502 Bad Gateway</title></head> \
         <body>upstream gone</body> </html>"
    );
}

#[tokio::test]
async fn success_body_that_does_not_decode_is_an_unexpected_response() {
    let server = MockServer::start().await;
    serve(&server, json(200, r#"{"RequestId":"R-ODD","JobId":"not a number"}"#)).await;
    let error = client(config(&server)).get_delivery_history_job().job_id(7).send().await.expect_err("bad body");
    let get_delivery_history_job::Error::Request(e) = &error else { panic!("{error:?}") };
    assert_eq!(e.kind(), RequestErrorKind::UnexpectedResponse);
    assert_eq!(e.status(), Some(200));
    assert_eq!(received(&server).await.len(), 1, "an undecodable success is not retried");
    assert_one_line(&error.to_string());
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let endpoint = format!("http://127.0.0.1:{}", closed_port());
    let config = Config::new("cn-hangzhou")
        .endpoint(endpoint)
        .allow_http(true)
        .credentials(Credentials::alibaba(AK, SECRET))
        .retry(RetryPolicy::none());
    let error = client(config).get_delivery_history_job().job_id(7).send().await.expect_err("refused");
    let get_delivery_history_job::Error::Request(e) = &error else { panic!("{error:?}") };
    assert_eq!(e.kind(), RequestErrorKind::Transport);
    assert_eq!(e.status(), None);
    let shown = error.to_string();
    assert!(shown.starts_with("GetDeliveryHistoryJob: "), "{shown}");
    assert!(shown.to_lowercase().contains("refused"), "the cause is named: {shown}");
    assert_one_line(&shown);
}

#[tokio::test]
async fn slow_server_times_out() {
    let server = MockServer::start().await;
    serve(&server, json(200, &get_example()).set_delay(Duration::from_secs(3))).await;
    let started = Instant::now();
    let error = client(config(&server).timeout(Duration::from_millis(200)).retry(RetryPolicy::none()))
        .get_delivery_history_job()
        .job_id(7)
        .send()
        .await
        .expect_err("timeout");
    assert!(started.elapsed() < Duration::from_secs(2), "gave up at the timeout, not at the server's pace");
    let get_delivery_history_job::Error::Request(e) = &error else { panic!("{error:?}") };
    assert_eq!(e.kind(), RequestErrorKind::Timeout);
    assert!(error.to_string().contains("timed out"), "{error}");
    assert_one_line(&error.to_string());
}

fn validation_of(error: &create_delivery_history_job::Error) -> (String, String) {
    let create_delivery_history_job::Error::Request(e) = error else { panic!("expected Request, got {error:?}") };
    assert_eq!(e.kind(), RequestErrorKind::Validation);
    let violation = &e.validation().expect("violations").violations()[0];
    assert_one_line(&error.to_string());
    (violation.field.clone(), violation.rule.clone())
}

#[tokio::test]
async fn invalid_parameters_are_rejected_before_sending() {
    let server = MockServer::start().await;
    serve(&server, json(200, &create_example())).await;
    let client = client(config(&server));

    let too_long = "x".repeat(65);
    let error = client.create_delivery_history_job().trail_name("t").client_token(too_long).send().await.unwrap_err();
    let (field, rule) = validation_of(&error);
    assert_eq!(field, "ClientToken");
    assert!(rule.contains("at most 64") && rule.contains("65"), "{rule}");
    assert!(error.to_string().contains("ClientToken"), "{error}");

    let error = client.create_delivery_history_job().trail_name("t").client_token("tökén").send().await.unwrap_err();
    let (field, rule) = validation_of(&error);
    assert_eq!(field, "ClientToken");
    assert!(rule.contains("ASCII"), "{rule}");

    let error = client.create_delivery_history_job().client_token("t").send().await.unwrap_err();
    let (field, rule) = validation_of(&error);
    assert_eq!(field, "TrailName");
    assert!(rule.contains("required"), "{rule}");

    let error = client.get_delivery_history_job().send().await.unwrap_err();
    let get_delivery_history_job::Error::Request(e) = &error else { panic!("{error:?}") };
    assert_eq!(e.kind(), RequestErrorKind::Validation);
    let violation = &e.validation().expect("violations").violations()[0];
    assert_eq!((violation.field.as_str(), violation.rule.contains("required")), ("JobId", true));
    assert!(error.to_string().contains("`JobId` is required"), "{error}");

    // 64 ASCII characters are fine.
    client.create_delivery_history_job().trail_name("t").client_token("y".repeat(64)).send().await.expect("valid");
    assert_eq!(received(&server).await.len(), 1, "only the valid request was sent");
}

/// An empty token would be sent as an empty `ClientToken` and the create still retried as if it
/// were idempotent, which against the real service can start a second job.
#[tokio::test]
async fn empty_tokens_and_empty_required_values_are_refused_before_sending() {
    let server = MockServer::start().await;
    serve(&server, json(200, &create_example())).await;
    let client = client(config(&server));
    for token in ["", " ", "\t \n"] {
        let error = client.create_delivery_history_job().trail_name("t").client_token(token).send().await.unwrap_err();
        let (field, rule) = validation_of(&error);
        assert_eq!(field, "ClientToken", "{token:?}");
        assert!(rule.contains("empty") && rule.contains("whitespace"), "{rule}");
        let built = create_delivery_history_job::Builder::default().trail_name("t").client_token(token).build();
        assert_eq!(built.expect_err("refused by build too").violations()[0].field, "ClientToken");
    }
    let error = client.create_delivery_history_job().trail_name("").send().await.unwrap_err();
    let (field, rule) = validation_of(&error);
    assert_eq!(field, "TrailName");
    assert!(rule.contains("must not be empty"), "{rule}");
    assert!(received(&server).await.is_empty(), "nothing was sent");
    // A required value of whitespace is the caller's to send (only tokens are held to more).
    client.create_delivery_history_job().trail_name(" ").send().await.expect("sent");
}

#[tokio::test]
async fn secrets_never_appear_in_debug_or_display() {
    let secrets = [SECRET, STS_TOKEN];
    let config = Config::new("cn-hangzhou")
        .endpoint(format!("http://127.0.0.1:{}", closed_port()))
        .allow_http(true)
        .credentials(Credentials::alibaba(AK, SECRET).with_security_token(STS_TOKEN))
        .retry(RetryPolicy::none());
    assert_no_secret(&format!("{config:?}"), &secrets);
    assert_no_secret(&format!("{:?}", Credentials::alibaba(AK, SECRET).with_security_token(STS_TOKEN)), &secrets);
    let rpc = client(config.clone().signing(Signing::RpcHmacSha1));
    assert_no_secret(&format!("{rpc:?}"), &secrets);

    // A transport failure with V1: the URL carries SecurityToken in its query.
    let error = rpc.get_delivery_history_job().job_id(7).send().await.expect_err("refused");
    assert_no_secret(&format!("{error}"), &secrets);
    assert_no_secret(&format!("{error:?}"), &secrets);
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        assert_no_secret(&cause.to_string(), &secrets);
        source = cause.source();
    }

    // A provider error.
    let server = MockServer::start().await;
    serve(&server, json(404, NOT_FOUND)).await;
    let error = client(config.endpoint(server.uri())).get_delivery_history_job().job_id(7).send().await.unwrap_err();
    assert_no_secret(&format!("{error} {error:?}"), &secrets);
}

// ---------------------------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn server_errors_are_retried_with_a_fresh_signature() {
    let server = MockServer::start().await;
    serve(&server, Script::fail_then(2, json(503, UNAVAILABLE), json(200, &get_example()))).await;

    let job = client(config(&server)).get_delivery_history_job().job_id(16602).send().await.expect("third try");

    assert_eq!(job.meta.attempts(), 3);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    let nonces: HashSet<&str> = requests.iter().map(|r| header(r, "x-acs-signature-nonce")).collect();
    assert_eq!(nonces.len(), 3, "a new nonce per attempt");
    let signatures: HashSet<String> = requests.iter().map(|r| verify_acs3(r, SECRET)).collect();
    assert_eq!(signatures.len(), 3, "a new signature per attempt");
    assert!(requests.iter().all(|r| raw_query(r) == "JobId=16602"));
}

#[tokio::test]
async fn throttling_under_http_400_is_retried() {
    let server = MockServer::start().await;
    serve(&server, Script::fail_then(1, json(400, THROTTLED), json(200, &get_example()))).await;
    let job = client(config(&server)).get_delivery_history_job().job_id(16602).send().await.expect("second try");
    assert_eq!(job.meta.attempts(), 2);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn not_found_is_never_retried() {
    let server = MockServer::start().await;
    serve(&server, json(404, NOT_FOUND)).await;
    let error = client(config(&server).retry(fast_retry().max_attempts(5)))
        .get_delivery_history_job()
        .job_id(7)
        .send()
        .await
        .expect_err("404");
    assert!(matches!(error, get_delivery_history_job::Error::TrailNotFoundException(_)), "{error:?}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn gives_up_after_max_attempts_with_the_last_error() {
    let server = MockServer::start().await;
    let attempt = |n: u32| json(503, UNAVAILABLE).insert_header("x-acs-request-id", format!("ATTEMPT-{n}"));
    serve(&server, Script::new(vec![attempt(1), attempt(2), attempt(3), json(200, &get_example())])).await;

    let error = client(config(&server).retry(fast_retry().max_attempts(3)))
        .get_delivery_history_job()
        .job_id(7)
        .send()
        .await
        .expect_err("gave up");

    let get_delivery_history_job::Error::Common(
        cloud_task_apis::alibaba::actiontrail::CommonError::ServiceUnavailable(e),
    ) = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(e.request_id(), Some("ATTEMPT-3"), "the last attempt's error");
    assert_eq!(e.status(), 503);
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn x_acs_retry_after_is_honoured() {
    let server = MockServer::start().await;
    let throttled = json(400, THROTTLED).insert_header("x-acs-retry-after", "300");
    serve(&server, Script::fail_then(1, throttled, json(200, &get_example()))).await;
    let started = Instant::now();
    let job = client(config(&server)).get_delivery_history_job().job_id(7).send().await.expect("second try");
    let elapsed = started.elapsed();
    assert_eq!(job.meta.attempts(), 2);
    assert!(elapsed >= Duration::from_millis(300), "waited only {elapsed:?}, the hint was 300 ms");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test]
async fn generated_client_token_is_identical_across_attempts() {
    for signing in [Signing::Acs3HmacSha256, Signing::RpcHmacSha1] {
        let server = MockServer::start().await;
        serve(&server, Script::fail_then(2, json(503, UNAVAILABLE), json(200, &create_example()))).await;

        let job = client(config(&server).signing(signing))
            .create_delivery_history_job()
            .trail_name("trail-name")
            .send()
            .await
            .expect("third try");

        assert_eq!(job.meta.attempts(), 3);
        let requests = received(&server).await;
        assert_eq!(requests.len(), 3);
        let tokens: HashSet<String> = requests.iter().map(|r| query(r, "ClientToken")).collect();
        assert_eq!(tokens.len(), 1, "{signing:?}: one token for the whole call: {tokens:?}");
        // Each attempt writes the parameters afresh: none is sent twice.
        assert!(requests.iter().all(|r| query_keys(r) == query_keys(&requests[0])), "{signing:?}");
        let token = tokens.iter().next().cloned().unwrap_or_default();
        assert!(uuid::Uuid::parse_str(&token).is_ok(), "{token}");
        let (nonces, signatures): (HashSet<String>, HashSet<String>) = match signing {
            Signing::RpcHmacSha1 => (
                requests.iter().map(|r| query(r, "SignatureNonce")).collect(),
                requests.iter().map(|r| verify_rpc(r, SECRET)).collect(),
            ),
            _ => (
                requests.iter().map(|r| header(r, "x-acs-signature-nonce").to_owned()).collect(),
                requests.iter().map(|r| verify_acs3(r, SECRET)).collect(),
            ),
        };
        assert_eq!(nonces.len(), 3, "{signing:?}: a new nonce per attempt");
        assert_eq!(signatures.len(), 3, "{signing:?}: a new signature per attempt");
    }
}

#[tokio::test]
async fn separate_calls_get_different_tokens() {
    let server = MockServer::start().await;
    serve(&server, json(200, &create_example())).await;
    let client = client(config(&server));
    for _ in 0..2 {
        client.create_delivery_history_job().trail_name("trail-name").send().await.expect("success");
    }
    let requests = received(&server).await;
    let (first, second) = (query(&requests[0], "ClientToken"), query(&requests[1], "ClientToken"));
    assert_ne!(first, second);
}

#[tokio::test]
async fn caller_token_is_sent_unchanged_on_every_attempt() {
    let server = MockServer::start().await;
    serve(
        &server,
        Script::fail_then(1, json(500, r#"{"Code":"InternalError","Message":"oops"}"#), json(200, &create_example())),
    )
    .await;
    let token = "caller-token-0001_ABC.~";
    let job = client(config(&server))
        .create_delivery_history_job()
        .trail_name("trail-name")
        .client_token(token)
        .send()
        .await
        .expect("second try");
    assert_eq!(job.meta.attempts(), 2);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for req in &requests {
        assert_eq!(query(req, "ClientToken"), token);
        assert!(raw_query(req).contains("ClientToken=caller-token-0001_ABC.~"), "{}", raw_query(req));
    }
}

// ---------------------------------------------------------------------------------------------
// ListDeliveryHistoryJobs and DeleteDeliveryHistoryJob
// ---------------------------------------------------------------------------------------------

fn list_example() -> String {
    example("alibaba", "actiontrail", "ListDeliveryHistoryJobs", "success")
}

fn delete_example() -> String {
    example("alibaba", "actiontrail", "DeleteDeliveryHistoryJob", "success")
}

#[tokio::test]
async fn list_delivery_history_jobs_acs3_request_and_typed_response() {
    let server = MockServer::start().await;
    serve(&server, json(200, &list_example()).insert_header("x-acs-request-id", "HDR-LIST")).await;

    let page = client(config(&server))
        .list_delivery_history_jobs()
        .page_number(1)
        .page_size(20)
        .send()
        .await
        .expect("success");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(raw_path(req), "/");
    assert_eq!(query_keys(req), sorted(&["PageNumber", "PageSize"]));
    assert_eq!((query(req, "PageNumber"), query(req, "PageSize")), ("1".to_owned(), "20".to_owned()));
    assert_rfc3986_query(req);
    assert_acs3_headers(req, "ListDeliveryHistoryJobs");
    verify_acs3(req, SECRET);

    assert_eq!((page.total_count, page.page_number, page.page_size), (1, 1, 20));
    assert_eq!(page.request_id, "B190816C-6DCA-4DC5-9B8E-EE0367B57CFF");
    let jobs = page.delivery_history_jobs.as_deref().expect("DeliveryHistoryJobs");
    assert_eq!(jobs.len(), 1);
    let job = &jobs[0];
    assert_eq!(job.job_id, 16602);
    assert_eq!(job.job_status, JobStatus::Complete);
    assert_eq!(job.trail_name, "trail-name");
    assert_eq!(job.home_region, "cn-hangzhou");
    assert_eq!(job.start_time.as_str(), "2021-01-26T03:17:04Z");
    assert_eq!(job.end_time.as_ref().map(|t| t.as_str()), Some("2021-04-26T03:22:04Z"));
    assert_eq!(job.created_time.as_offset_date_time().unix_timestamp(), 1_619_407_024);
    assert_eq!(page.meta.request_id(), Some("HDR-LIST"));
}

#[tokio::test]
async fn list_delivery_history_jobs_rpc_v1_without_paging_parameters() {
    let server = MockServer::start().await;
    serve(&server, json(200, &list_example())).await;

    let page = client(config(&server).signing(Signing::RpcHmacSha1))
        .list_delivery_history_jobs()
        .send()
        .await
        .expect("success");

    let requests = received(&server).await;
    let req = &requests[0];
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(raw_path(req), "/");
    assert_rpc_params(req, "ListDeliveryHistoryJobs");
    assert_eq!(
        query_keys(req),
        sorted(&[
            "AccessKeyId",
            "Action",
            "Format",
            "Signature",
            "SignatureMethod",
            "SignatureNonce",
            "SignatureVersion",
            "Timestamp",
            "Version"
        ]),
        "unset paging parameters are not sent"
    );
    verify_rpc(req, SECRET);
    assert_eq!(page.total_count, 1);
    assert_eq!(page.meta.request_id(), Some("B190816C-6DCA-4DC5-9B8E-EE0367B57CFF"), "from the body");
}

/// Serves `total` jobs in pages by `PageNumber` and `PageSize`, as the service documents them.
struct JobPages {
    total: i64,
}

impl wiremock::Respond for JobPages {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let number: i64 = query(req, "PageNumber").parse().unwrap_or(1);
        let size: i64 = query(req, "PageSize").parse().unwrap_or(20);
        let first = (number - 1) * size;
        let jobs: Vec<String> = (first..(first + size).min(self.total))
            .map(|id| {
                format!(
                    r#"{{"JobId":{id},"JobStatus":2,"TrailName":"trail-{id}","HomeRegion":"cn-hangzhou",
                    "CreatedTime":"2021-04-26T03:17:04Z","StartTime":"2021-01-26T03:17:04Z",
                    "UpdatedTime":"2021-04-26T03:20:08Z"}}"#
                )
            })
            .collect();
        let body = format!(
            r#"{{"TotalCount":{},"PageNumber":{number},"PageSize":{size},"RequestId":"R-{number}","DeliveryHistoryJobs":[{}]}}"#,
            self.total,
            jobs.join(",")
        );
        json(200, &body)
    }
}

#[tokio::test]
async fn list_delivery_history_jobs_pages_by_page_number_to_the_total() {
    use futures_util::StreamExt;
    let server = MockServer::start().await;
    serve(&server, JobPages { total: 5 }).await;

    let items: Vec<_> =
        client(config(&server)).list_delivery_history_jobs().page_size(2).paginate().items().collect().await;

    let ids: Vec<i64> = items.into_iter().map(|job| job.expect("item").job_id).collect();
    assert_eq!(ids, [0, 1, 2, 3, 4], "every job once, in order, the short last page included");
    let requests = received(&server).await;
    let numbers: Vec<String> = requests.iter().map(|r| query(r, "PageNumber")).collect();
    assert_eq!(numbers, ["1", "2", "3"], "pages from 1, stopping at TotalCount");
    assert!(requests.iter().all(|r| query(r, "PageSize") == "2"));
    for req in &requests {
        verify_acs3(req, SECRET);
    }
}

#[tokio::test]
async fn delete_delivery_history_job_acs3_and_rpc_v1() {
    let server = MockServer::start().await;
    serve(&server, json(200, &delete_example()).insert_header("x-acs-request-id", "HDR-DEL")).await;

    let deleted = client(config(&server)).delete_delivery_history_job().job_id(16602).send().await.expect("acs3");
    client(config(&server).signing(Signing::RpcHmacSha1))
        .delete_delivery_history_job()
        .job_id(16602)
        .send()
        .await
        .expect("rpc");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    let acs3 = &requests[0];
    assert_eq!(acs3.method.as_str(), "POST");
    assert_eq!(raw_path(acs3), "/");
    assert_eq!(raw_query(acs3), "JobId=16602");
    assert_acs3_headers(acs3, "DeleteDeliveryHistoryJob");
    verify_acs3(acs3, SECRET);
    let rpc = &requests[1];
    assert_eq!(rpc.method.as_str(), "POST");
    assert_rpc_params(rpc, "DeleteDeliveryHistoryJob");
    assert_eq!(query(rpc, "JobId"), "16602");
    verify_rpc(rpc, SECRET);

    assert_eq!(deleted.request_id, "D74DD20B-6598-429C-873B-B9B449B656B6");
    assert_eq!(deleted.meta.request_id(), Some("HDR-DEL"));
    assert_eq!(deleted.meta.attempts(), 1);
}

#[tokio::test]
async fn delete_delivery_history_job_needs_a_job_id() {
    let server = MockServer::start().await;
    serve(&server, json(200, &delete_example())).await;
    let error = client(config(&server)).delete_delivery_history_job().send().await.expect_err("no JobId");
    let delete_delivery_history_job::Error::Request(e) = &error else { panic!("{error:?}") };
    assert_eq!(e.kind(), RequestErrorKind::Validation);
    assert!(error.to_string().contains("`JobId` is required"), "{error}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn delete_delivery_history_job_is_not_retried_after_a_5xx() {
    let server = MockServer::start().await;
    let unavailable = json(503, UNAVAILABLE).insert_header("x-acs-request-id", "HDR-DEL-503");
    serve(&server, Script::fail_then(1, unavailable, json(200, &delete_example()))).await;

    let error = client(config(&server).retry(fast_retry().max_attempts(5)))
        .delete_delivery_history_job()
        .job_id(16602)
        .send()
        .await
        .expect_err("503, not retried");

    let delete_delivery_history_job::Error::Common(CommonError::ServiceUnavailable(e)) = &error else {
        panic!("expected ServiceUnavailable, got {error:?}")
    };
    assert_eq!((e.status(), e.request_id()), (503, Some("HDR-DEL-503")));
    assert_eq!(received(&server).await.len(), 1, "no token: a delete that may have reached the server is not repeated");
}

#[tokio::test]
async fn deleting_an_already_deleted_job_is_a_typed_error_with_the_request_id() {
    // What the service answers for a deleted JobId is not documented; it answers with one of the
    // service's documented codes (here InvalidParameter), which maps to its typed variant.
    let server = MockServer::start().await;
    let gone = r#"{"RequestId":"R-GONE","Code":"InvalidParameter","Message":"The specified JobId does not exist."}"#;
    serve(&server, json(400, gone)).await;

    let error = client(config(&server)).delete_delivery_history_job().job_id(16602).send().await.expect_err("gone");

    let delete_delivery_history_job::Error::Common(CommonError::InvalidParameter(e)) = &error else {
        panic!("expected InvalidParameter, got {error:?}")
    };
    assert_eq!((e.status(), e.code()), (400, "InvalidParameter"));
    assert_eq!(e.request_id(), Some("R-GONE"), "the body's request id when no header carries one");
    let shown = error.to_string();
    assert!(shown.contains("DeleteDeliveryHistoryJob") && shown.contains("R-GONE"), "{shown}");
    assert_one_line(&shown);
    assert_eq!(received(&server).await.len(), 1);
}
