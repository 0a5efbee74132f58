//! Errors that name what is wrong: an over-long path value is reported against its parameter,
//! with the rule and a bounded excerpt; a line break in a setting or credential names the
//! setting, and nothing is sent.

mod common;

use cloud_task_apis::huawei::cbr;
use cloud_task_apis::{Config, Credentials, RequestErrorKind, RetryPolicy};
use common::*;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

fn config(server: &MockServer) -> Config {
    Config::new("cn-north-4")
        .endpoint(server.uri())
        .allow_http(true)
        .credentials(Credentials::huawei_token("MIIhuawei-iam-token-misleading"))
        .project_id("project-misleading")
        .retry(RetryPolicy::none())
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(json(200, &example("huawei", "cbr", "ShowOpLog", "success"))).mount(&server).await;
    server
}

#[tokio::test]
async fn a_huge_path_value_names_its_parameter() {
    let server = server().await;
    let id = "a".repeat(100_000);
    let error = cbr::Client::new(config(&server)).expect("config").show_op_log().operation_log_id(id).send().await;
    let error = error.expect_err("too long");
    let shown = error.to_string();
    let request = error.request_error().expect("a request error");
    assert_eq!(request.kind(), RequestErrorKind::Validation, "{shown}");
    let violation = &request.validation().expect("violations").violations()[0];
    assert_eq!(violation.field, "operation_log_id", "{shown}");
    assert!(!shown.contains("header"), "{shown}");
    assert!(shown.len() < 1_000, "{} bytes", shown.len());
    assert!(shown.contains("(100000 bytes)"), "{shown}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_huge_query_value_names_its_parameter() {
    let server = MockServer::start().await;
    let config = Config::new("ap-guangzhou")
        .endpoint(server.uri())
        .allow_http(true)
        .credentials(Credentials::tencent("AKID-misleading", "secret-misleading"))
        .retry(RetryPolicy::none());
    let at = |t: &str| t.parse::<cloud_task_apis::value::LocalDateTime<28800>>().expect("time");
    let error = cloud_task_apis::tencent::cls::Client::new(config)
        .expect("config")
        .list_shipping_tasks()
        .shipper_id("s".repeat(100_000))
        .start_time(at("2017-10-10 00:00:00"))
        .end_time(at("2017-10-10 23:59:59"))
        .send()
        .await
        .expect_err("too long");
    let shown = error.to_string();
    let request = error.request_error().expect("a request error");
    assert_eq!(request.kind(), RequestErrorKind::Validation, "{shown}");
    assert_eq!(request.validation().expect("violations").violations()[0].field, "shipper_id", "{shown}");
    assert!(shown.contains("(100000 bytes)") && shown.len() < 1_000, "{shown}");
    assert!(received(&server).await.is_empty());
}

/// Each setting that travels in a header, with a line break in it: the error names the setting
/// and the rule, never shows a secret, and the client is not built.
#[test]
fn a_line_break_in_a_setting_names_the_setting() {
    let base = || Config::new("cn-north-4").project_id("p1");
    let cases: Vec<(Config, &str, Option<&str>)> = vec![
        (base().credentials(Credentials::huawei_token("tok")).user_agent("agent\r\nX-Injected: 1"), "user agent", None),
        (base().credentials(Credentials::huawei_token("tok")).project_id("p1\nX-Injected: 1"), "project id", None),
        (base().credentials(Credentials::huawei_token("iam-secret\r\nX: 1")), "IAM token", Some("iam-secret")),
        (
            base().credentials(Credentials::huawei("AK1", "sk").with_security_token("sts-secret\nX: 1")),
            "security token",
            Some("sts-secret"),
        ),
        (base().credentials(Credentials::huawei("AK\n1", "sk")), "access key", None),
    ];
    for (config, setting, secret) in cases {
        let error = cbr::Client::new(config).err().unwrap_or_else(|| panic!("{setting}: accepted"));
        let shown = error.to_string();
        assert!(shown.contains(setting), "names the {setting}: {shown}");
        assert!(shown.contains("line break") || shown.contains("control character"), "the rule: {shown}");
        assert_one_line(&shown);
        if let Some(secret) = secret {
            assert_no_secret(&shown, &[secret]);
            assert_no_secret(&format!("{error:?}"), &[secret]);
        }
    }
    let tencent = Credentials::tencent("AKID", "key").with_security_token("cls-secret\r\n");
    let error = cloud_task_apis::tencent::cls::Client::new(Config::new("ap-guangzhou").credentials(tencent))
        .expect_err("refused");
    assert!(error.to_string().contains("security token"), "{error}");
    assert_no_secret(&format!("{error} {error:?}"), &["cls-secret"]);
    let alibaba = Credentials::alibaba("LTAI\n", "key");
    let error = cloud_task_apis::alibaba::actiontrail::Client::new(Config::new("cn-hangzhou").credentials(alibaba))
        .expect_err("refused");
    assert!(error.to_string().contains("access key id"), "{error}");
}
