//! The simulator refuses bad requests as the providers do: wrong signatures, missing required
//! parameters and constraint violations, each in the provider's error envelope with its
//! request-id header.

mod simulator_support;

use cloud_task_apis::huawei::{cbr, dis};
use cloud_task_apis::{Config, Credentials, Provider, RetryPolicy, Signing, alibaba, tencent};
use cloud_task_apis_simulator::Simulator;
use simulator_support::{alibaba_request, huawei_request, keys, send, tencent_request};
use time::OffsetDateTime;

use cloud_task_apis::sign::encode::{form, rfc3986};

const DIS_TASK: &str = "CDaRPdvKUfZrAhzTaYs";

async fn simulator() -> Simulator {
    Simulator::start().await.expect("simulator starts")
}

fn alibaba_keys() -> Vec<String> {
    ["Code", "HostId", "Message", "Recommend", "RequestId"].map(String::from).to_vec()
}

#[tokio::test]
async fn alibaba_wrong_signature() {
    let sim = simulator().await;
    let req = alibaba_request(&sim, "GetDeliveryHistoryJob", &[("JobId", "16602")], "not-the-secret");
    let raw = send(&sim, req, rfc3986).await;
    assert_eq!(raw.status, 403);
    assert_eq!(keys(&raw.body), alibaba_keys());
    assert_eq!(raw.body["Code"], "SignatureDoesNotMatch");
    assert_eq!(raw.header("x-acs-request-id"), raw.body["RequestId"].as_str());
    assert!(raw.body["Recommend"].as_str().is_some_and(|r| r.contains("q=SignatureDoesNotMatch")));
    assert!(raw.body["Message"].as_str().is_some_and(|m| m.contains("ACS3-HMAC-SHA256")), "shows the string to sign");

    // The typed client sees the same refusal as a service error.
    let config = Config::new("cn-hangzhou")
        .endpoint(sim.endpoint())
        .allow_http(true)
        .credentials(Credentials::alibaba(&sim.credentials().alibaba_access_key_id, "not-the-secret"));
    let client = alibaba::actiontrail::Client::new(config).expect("client");
    let error = client.get_delivery_history_job().job_id(1).send().await.expect_err("refused");
    let service = error.service_error().expect("service error");
    assert_eq!((service.status(), service.code()), (403, "SignatureDoesNotMatch"));
}

#[tokio::test]
async fn alibaba_unknown_access_key() {
    let sim = simulator().await;
    let config = Config::new("cn-hangzhou")
        .endpoint(sim.endpoint())
        .allow_http(true)
        .credentials(Credentials::alibaba("LTAIsomeoneelse", "whatever"));
    let client = alibaba::actiontrail::Client::new(config).expect("client");
    let error = client.get_delivery_history_job().job_id(1).send().await.expect_err("refused");
    assert_eq!(error.code(), Some("InvalidAccessKeyId.NotFound"));
}

#[tokio::test]
async fn alibaba_missing_required_parameter() {
    let sim = simulator().await;
    let secret = sim.credentials().alibaba_access_key_secret.clone();
    let raw = send(&sim, alibaba_request(&sim, "GetDeliveryHistoryJob", &[], &secret), rfc3986).await;
    assert_eq!(raw.status, 400);
    assert_eq!(keys(&raw.body), alibaba_keys());
    assert_eq!(raw.body["Code"], "MissingParameter");
    assert!(raw.body["Message"].as_str().is_some_and(|m| m.contains("\"JobId\"")), "{}", raw.body);
}

#[tokio::test]
async fn alibaba_constraint_and_type_violations() {
    let sim = simulator().await;
    let secret = sim.credentials().alibaba_access_key_secret.clone();
    let long_token = "t".repeat(65);
    let query = [("TrailName", "trail-name"), ("ClientToken", long_token.as_str())];
    let raw = send(&sim, alibaba_request(&sim, "CreateDeliveryHistoryJob", &query, &secret), rfc3986).await;
    assert_eq!((raw.status, raw.body["Code"].as_str()), (400, Some("InvalidParameter")));
    assert!(
        raw.body["Message"].as_str().is_some_and(|m| m.contains("ClientToken") && m.contains("64")),
        "{}",
        raw.body
    );
    // Nothing was created.
    assert!(sim.requests_for("CreateDeliveryHistoryJob").iter().all(|r| r.status == Some(400)));

    let raw = send(&sim, alibaba_request(&sim, "GetDeliveryHistoryJob", &[("JobId", "abc")], &secret), rfc3986).await;
    assert_eq!((raw.status, raw.body["Code"].as_str()), (400, Some("InvalidParameter")));
}

#[tokio::test]
async fn alibaba_replayed_nonce_and_unknown_action() {
    let sim = simulator().await;
    let secret = sim.credentials().alibaba_access_key_secret.clone();
    let req = alibaba_request(&sim, "GetDeliveryHistoryJob", &[("JobId", "1")], &secret);
    let first = send(&sim, req.clone(), rfc3986).await;
    assert_ne!(first.body["Code"], "SignatureNonceUsed");
    let replay = send(&sim, req, rfc3986).await;
    assert_eq!((replay.status, replay.body["Code"].as_str()), (400, Some("SignatureNonceUsed")));

    let raw = send(&sim, alibaba_request(&sim, "DeleteEverything", &[], &secret), rfc3986).await;
    assert_eq!((raw.status, raw.body["Code"].as_str()), (404, Some("InvalidAction.NotFound")));
}

#[tokio::test]
async fn alibaba_rpc_v1_signature_is_accepted() {
    let sim = simulator().await;
    let config = sim.config(Provider::Alibaba, "cn-hangzhou").signing(Signing::RpcHmacSha1);
    let client = alibaba::actiontrail::Client::new(config).expect("client");
    let created = client.create_delivery_history_job().trail_name("trail-name").send().await.expect("V1 accepted");
    let job = client.get_delivery_history_job().job_id(created.job_id).send().await.expect("V1 accepted");
    assert_eq!(job.trail_name, "trail-name");
    let recorded = sim.requests_for("GetDeliveryHistoryJob");
    assert!(recorded[0].query.iter().any(|(k, _)| k == "Signature"), "signed in the query");
    assert_eq!(job.meta.request_id(), recorded[0].request_id.as_deref());
}

#[tokio::test]
async fn dis_wrong_signature_is_441() {
    let sim = simulator().await;
    let config = Config::new("cn-north-4")
        .endpoint(sim.endpoint())
        .allow_http(true)
        .credentials(Credentials::huawei(&sim.credentials().huawei_access_key, "not-the-secret"))
        .project_id(&sim.credentials().huawei_project_id);
    let client = dis::Client::new(config).expect("client");
    let error = client.show_transfer_task_log().task_id(DIS_TASK).send().await.expect_err("refused");
    let service = error.service_error().expect("service error");
    assert_eq!((service.status(), service.code()), (441, "DIS.4100"));
    assert_eq!(sim.requests_for("ShowTransferTaskLog").len(), 1, "441 is not retried");
}

#[tokio::test]
async fn dis_constraint_violation_and_missing_nested_field() {
    let sim = simulator().await;
    let secret = sim.credentials().huawei_secret_key.clone();
    let now = OffsetDateTime::now_utc();
    let req = huawei_request(&sim, "POST", "/v1/transfertasklog/short", &[], "{}", &secret, now);
    let raw = send(&sim, req, rfc3986).await;
    assert_eq!(raw.status, 400);
    assert_eq!(keys(&raw.body), ["errorCode", "message"]);
    assert_eq!(raw.body["errorCode"], "DIS.4200");
    assert!(raw.body["message"].as_str().is_some_and(|m| m.contains("task_id") && m.contains("19")), "{}", raw.body);
    assert!(raw.header("x-request-id").is_some_and(|id| id.len() == 32));

    let path = format!("/v1/transfertasklog/{DIS_TASK}");
    let req = huawei_request(&sim, "POST", &path, &[], r#"{"pageInfo":{"pageIndex":1}}"#, &secret, now);
    let raw = send(&sim, req, rfc3986).await;
    assert_eq!(raw.body["errorCode"], "DIS.4200");
    assert!(raw.body["message"].as_str().is_some_and(|m| m.contains("pageInfo.pageTotal")), "{}", raw.body);
}

#[tokio::test]
async fn dis_needs_the_project_id() {
    let sim = simulator().await;
    let config = Config::new("cn-north-4")
        .endpoint(sim.endpoint())
        .allow_http(true)
        .credentials(sim.credentials().for_provider(Provider::Huawei));
    let client = dis::Client::new(config).expect("client");
    let error = client.show_transfer_task_log().task_id(DIS_TASK).send().await.expect_err("no project");
    assert_eq!(error.code(), Some("DIS.4117"));
}

#[tokio::test]
async fn cbr_refusals_use_the_gateway_envelope() {
    let sim = simulator().await;
    let project = sim.credentials().huawei_project_id.clone();
    let path = format!("/v3/{project}/operation-logs/4827f2da-b008-4507-ab7d-42d0df5ed912");
    let now = OffsetDateTime::now_utc();
    let raw = send(&sim, huawei_request(&sim, "GET", &path, &[], "", "not-the-secret", now), rfc3986).await;
    assert_eq!(raw.status, 401);
    assert_eq!(keys(&raw.body), ["error_code", "error_msg", "request_id"]);
    assert_eq!(raw.body["error_code"], "APIGW.0301");
    assert_eq!(raw.header("x-request-id"), raw.body["request_id"].as_str());

    let secret = sim.credentials().huawei_secret_key.clone();
    let stale = now - time::Duration::minutes(20);
    let raw = send(&sim, huawei_request(&sim, "GET", &path, &[], "", &secret, stale), rfc3986).await;
    assert_eq!((raw.status, raw.body["error_code"].as_str()), (401, Some("APIGW.0303")));

    let raw = send(&sim, huawei_request(&sim, "GET", &path, &[], "", &secret, now), rfc3986).await;
    assert_eq!(raw.status, 200, "{}", raw.body);
}

#[tokio::test]
async fn cbr_token_authentication() {
    let sim = simulator().await;
    let client = cbr::Client::new(sim.huawei_token_config("cn-north-4")).expect("client");
    let log = client.show_op_log().operation_log_id("4827f2da-b008-4507-ab7d-42d0df5ed912").send().await.expect("ok");
    assert_eq!(log.operation_log.id.as_deref(), Some("4827f2da-b008-4507-ab7d-42d0df5ed912"));

    let config = Config::new("cn-north-4")
        .endpoint(sim.endpoint())
        .allow_http(true)
        .credentials(Credentials::huawei_token("stolen-token"))
        .project_id("p");
    let error = cbr::Client::new(config).expect("client").show_op_log().operation_log_id("x").send().await;
    assert_eq!(error.expect_err("refused").code(), Some("APIGW.0301"));

    let error = client.show_op_log().operation_log_id("no-such-task").send().await.expect_err("404");
    let service = error.service_error().expect("service error");
    assert_eq!((service.status(), service.code()), (404, "BackupService.6500"));
}

#[tokio::test]
async fn tencent_wrong_signature_and_missing_authorization() {
    let sim = simulator().await;
    let query =
        [("shipper_id", "xx-xx-xx-xxxx"), ("start_time", "2024-01-01 00:00:00"), ("end_time", "2024-01-01 01:00:00")];
    let raw = send(&sim, tencent_request(&sim, "/tasks", &query, "not-the-secret"), form).await;
    assert_eq!(raw.status, 401);
    assert_eq!(keys(&raw.body), ["errorcode", "errormessage"]);
    assert_eq!(raw.body["errorcode"], "AuthFailure.SignatureFailure");
    assert!(raw.header("x-cls-requestid").is_some());

    let mut unsigned = tencent_request(&sim, "/tasks", &query, "x");
    unsigned.headers.retain(|(name, _)| !name.eq_ignore_ascii_case("authorization"));
    let raw = send(&sim, unsigned, form).await;
    assert_eq!((raw.status, raw.body["errorcode"].as_str()), (400, Some("MissingAuthorization")));
}

#[tokio::test]
async fn tencent_missing_and_invalid_parameters() {
    let sim = simulator().await;
    let secret = sim.credentials().tencent_secret_key.clone();
    let query = [("start_time", "2024-01-01 00:00:00"), ("end_time", "2024-01-01 01:00:00")];
    let raw = send(&sim, tencent_request(&sim, "/tasks", &query, &secret), form).await;
    assert_eq!((raw.status, raw.body["errorcode"].as_str()), (400, Some("InvalidParam")));
    assert!(raw.body["errormessage"].as_str().is_some_and(|m| m.contains("shipper_id")), "{}", raw.body);

    let query = [("shipper_id", "s"), ("start_time", "yesterday"), ("end_time", "2024-01-01 01:00:00")];
    let raw = send(&sim, tencent_request(&sim, "/tasks", &query, &secret), form).await;
    assert_eq!((raw.status, raw.body["errorcode"].as_str()), (400, Some("InvalidParam")));
    assert!(raw.body["errormessage"].as_str().is_some_and(|m| m.contains("start_time")), "{}", raw.body);
}

#[tokio::test]
async fn tencent_unknown_shipper_is_a_documented_error() {
    let sim = simulator().await;
    let client = tencent::cls::Client::new(sim.config(Provider::Tencent, "ap-guangzhou").retry(RetryPolicy::none()))
        .expect("client");
    let now = OffsetDateTime::now_utc();
    let error = client
        .list_shipping_tasks()
        .shipper_id("nobody")
        .start_time(now - time::Duration::hours(1))
        .end_time(now)
        .send()
        .await
        .expect_err("unknown shipper");
    assert!(
        matches!(
            error,
            tencent::cls::list_shipping_tasks::Error::Common(tencent::cls::CommonError::ShipperNotExist(_))
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn unknown_paths_get_a_gateway_404() {
    let sim = simulator().await;
    let secret = sim.credentials().huawei_secret_key.clone();
    let req = huawei_request(&sim, "GET", "/v9/nothing/here", &[], "", &secret, OffsetDateTime::now_utc());
    let raw = send(&sim, req, rfc3986).await;
    assert_eq!((raw.status, raw.body["error_code"].as_str()), (404, Some("APIGW.0101")));
    assert_eq!(sim.requests().last().map(|r| r.operation.clone()), Some(None));
}

type Malformed<'a> = (&'a str, String, Vec<(&'a str, &'a str)>, Vec<u8>);

#[tokio::test]
async fn malformed_requests_get_answers() {
    let sim = simulator().await;
    let http = reqwest::Client::new();
    let base = sim.endpoint();
    let project = sim.credentials().huawei_project_id.clone();
    // (method, path and query, headers, body)
    let cases: Vec<Malformed<'_>> = vec![
        ("POST", "/?Action=GetDeliveryHistoryJob&JobId=%ZZ".into(), vec![], vec![]),
        ("POST", "/?Action=GetDeliveryHistoryJob".into(), vec![("authorization", "ACS3-HMAC-SHA256 ")], vec![]),
        ("POST", "/".into(), vec![("x-acs-action", "GetDeliveryHistoryJob"), ("authorization", "ACS3-HMAC-SHA256 Credential=LTAIsimulator0000000000,SignedHeaders=,Signature=00")], vec![]),
        ("GET", "/?Action=CreateDeliveryHistoryJob&Signature=x&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&AccessKeyId=LTAIsimulator0000000000&Timestamp=not-a-time".into(), vec![], vec![]),
        ("POST", "/v1/transfertasklog/CDaRPdvKUfZrAhzTaYs".into(), vec![("authorization", "SDK-HMAC-SHA256 Access=SIMULATORHUAWEIAK000, SignedHeaders=x-sdk-date, Signature=1"), ("x-sdk-date", "2024-13-45")], b"\xff\xfe".to_vec()),
        ("POST", "/v1/transfertasklog/CDaRPdvKUfZrAhzTaYs".into(), vec![("x-auth-token", "nope")], b"[1,2".to_vec()),
        ("GET", format!("/v3/{project}/operation-logs/%E2%82"), vec![("authorization", "SDK-HMAC-SHA256")], vec![]),
        ("GET", "/tasks?shipper_id=a&shipper_id=b".into(), vec![("authorization", "q-sign-algorithm=sha1&q-ak=AKIDsimulator000000000000000000000000&q-sign-time=x;y")], vec![]),
        ("GET", "/tasks".into(), vec![("authorization", "q-sign-algorithm=md5")], vec![]),
        ("DELETE", "/v3//operation-logs/".into(), vec![], vec![]),
        ("POST", "/v1/transfertasklog/CDaRPdvKUfZrAhzTaYs".into(), vec![], vec![b'['; 300_000]),
    ];
    for (method, path, headers, body) in cases {
        let mut request =
            http.request(reqwest::Method::from_bytes(method.as_bytes()).expect("method"), format!("{base}{path}"));
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let response = request.body(body).send().await.unwrap_or_else(|e| panic!("{method} {path}: no answer: {e}"));
        let status = response.status().as_u16();
        assert!((400..500).contains(&status), "{method} {path}: {status}");
    }
    // Still serving.
    let client = cbr::Client::new(sim.config(Provider::Huawei, "cn-north-4")).expect("client");
    assert!(client.show_op_log().operation_log_id("4827f2da-b008-4507-ab7d-42d0df5ed912").send().await.is_ok());
}
