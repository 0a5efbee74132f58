//! Signed calls never follow a redirect: an endpoint answering 3xx with a `Location` on another
//! host gets an error naming the status and the location, and the other host receives nothing,
//! least of all a credential header. Holds for the client the crate builds and for one built
//! from a caller's `reqwest::ClientBuilder` that asks to follow redirects.

mod common;

use cloud_task_apis::{Config, Credentials, RequestErrorKind};
use common::*;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const STS_TOKEN: &str = "alibaba-sts-token-redirect-2f1c";
const HUAWEI_TOKEN: &str = "huawei-security-token-redirect-7a0e";
const IAM_TOKEN: &str = "MIIhuawei-iam-token-redirect-93bd";
const TENCENT_TOKEN: &str = "tencent-token-redirect-51e8";
const SECRETS: &[&str] = &[STS_TOKEN, HUAWEI_TOKEN, IAM_TOKEN, TENCENT_TOKEN, "secret-redirect"];

/// How the HTTP client is made.
#[derive(Clone, Copy, Debug)]
enum Http {
    /// The crate's own client.
    Default,
    /// A caller's builder that asks to follow up to ten redirects.
    CallerFollowing,
}

/// A server answering every request with `status` and a `Location` on `target`, and the target,
/// which answers 200 to anything (so a followed redirect would look like a success).
async fn redirecting(status: u16) -> (MockServer, MockServer) {
    let target = MockServer::start().await;
    Mock::given(any()).respond_with(json(200, "{}")).mount(&target).await;
    let origin = MockServer::start().await;
    let location = format!("{}/stolen?from=origin", target.uri());
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).insert_header("Location", location.as_str()))
        .mount(&origin)
        .await;
    (origin, target)
}

fn config(origin: &MockServer, region: &str, credentials: Credentials, http: Http) -> Config {
    let config = Config::new(region)
        .endpoint(origin.uri())
        .allow_http(true)
        .credentials(credentials)
        .project_id("project-redirect")
        .retry(fast_retry());
    match http {
        Http::Default => config,
        Http::CallerFollowing => {
            config.http_client_builder(|| reqwest::Client::builder().redirect(reqwest::redirect::Policy::limited(10)))
        }
    }
}

/// Checks one refused redirect: the error kind, status and location, and that the target got
/// nothing.
async fn assert_refused(
    error: Option<&cloud_task_apis::RequestError>,
    shown: &str,
    status: u16,
    origin: &MockServer,
    target: &MockServer,
) {
    let error = error.unwrap_or_else(|| panic!("a request error, got {shown}"));
    assert_eq!(error.kind(), RequestErrorKind::Redirect, "{shown}");
    assert_eq!(error.status(), Some(status), "{shown}");
    assert!(shown.contains(&format!("HTTP {status}")), "{shown}");
    assert!(shown.contains(&format!("{}/stolen", target.uri())), "the location is named: {shown}");
    assert_one_line(shown);
    assert_no_secret(shown, SECRETS);
    assert_no_secret(&format!("{error:?}"), SECRETS);
    // One attempt: a redirect is not retried.
    assert_eq!(received(origin).await.len(), 1);
    let forwarded = received(target).await;
    assert!(forwarded.is_empty(), "the redirect was followed: {:?}", forwarded[0].headers);
}

#[tokio::test]
async fn huawei_token_and_temporary_aksk_are_never_forwarded() {
    for http in [Http::Default, Http::CallerFollowing] {
        for status in [302, 307] {
            let (origin, target) = redirecting(status).await;
            let token = Credentials::huawei_token(IAM_TOKEN);
            let client =
                cloud_task_apis::huawei::cbr::Client::new(config(&origin, "cn-north-4", token, http)).expect("config");
            let error = client.show_op_log().operation_log_id("op-1").send().await.expect_err("redirect");
            assert_refused(error.request_error(), &error.to_string(), status, &origin, &target).await;

            let (origin, target) = redirecting(status).await;
            let aksk = Credentials::huawei("AK-redirect", "secret-redirect").with_security_token(HUAWEI_TOKEN);
            let client =
                cloud_task_apis::huawei::dis::Client::new(config(&origin, "cn-north-4", aksk, http)).expect("config");
            let error =
                client.show_transfer_task_log().task_id("CDaRPdvKUfZrAhzTaYs").send().await.expect_err("redirect");
            assert_refused(error.request_error(), &error.to_string(), status, &origin, &target).await;
        }
    }
}

#[tokio::test]
async fn alibaba_security_token_is_never_forwarded() {
    for http in [Http::Default, Http::CallerFollowing] {
        for status in [302, 307] {
            for signing in [cloud_task_apis::Signing::Acs3HmacSha256, cloud_task_apis::Signing::RpcHmacSha1] {
                let (origin, target) = redirecting(status).await;
                let sts = Credentials::alibaba("AK-redirect", "secret-redirect").with_security_token(STS_TOKEN);
                let client = cloud_task_apis::alibaba::actiontrail::Client::new(
                    config(&origin, "cn-hangzhou", sts, http).signing(signing),
                )
                .expect("config");
                let error = client.get_delivery_history_job().job_id(1).send().await.expect_err("redirect");
                assert_refused(error.request_error(), &error.to_string(), status, &origin, &target).await;
            }
        }
    }
}

#[tokio::test]
async fn tencent_token_is_never_forwarded() {
    for http in [Http::Default, Http::CallerFollowing] {
        for status in [302, 307] {
            let (origin, target) = redirecting(status).await;
            let credentials =
                Credentials::tencent("AKID-redirect", "secret-redirect").with_security_token(TENCENT_TOKEN);
            let client = cloud_task_apis::tencent::cls::Client::new(config(&origin, "ap-guangzhou", credentials, http))
                .expect("config");
            let at = |t: &str| t.parse::<cloud_task_apis::value::LocalDateTime<28800>>().expect("time");
            let error = client
                .list_shipping_tasks()
                .shipper_id("s-1")
                .start_time(at("2017-10-10 00:00:00"))
                .end_time(at("2017-10-10 23:59:59"))
                .send()
                .await
                .expect_err("redirect");
            assert_refused(error.request_error(), &error.to_string(), status, &origin, &target).await;
        }
    }
}

#[tokio::test]
async fn a_long_location_is_shown_as_a_bounded_excerpt() {
    let origin = MockServer::start().await;
    let location = format!("http://elsewhere.invalid/{}", "x".repeat(100_000));
    Mock::given(any())
        .respond_with(ResponseTemplate::new(301).insert_header("Location", location.as_str()))
        .mount(&origin)
        .await;
    let credentials = Credentials::huawei_token(IAM_TOKEN);
    let client = cloud_task_apis::huawei::cbr::Client::new(config(&origin, "cn-north-4", credentials, Http::Default))
        .expect("config");
    let error = client.show_op_log().operation_log_id("op-1").send().await.expect_err("redirect");
    let shown = error.to_string();
    assert!(shown.contains("http://elsewhere.invalid/xxx"), "{shown}");
    assert!(shown.contains("(100025 bytes)"), "the excerpt says how long the value was: {shown}");
    assert!(shown.len() < 1_000, "{} bytes: {}", shown.len(), &shown[..1_000]);
    assert!(format!("{error:?}").len() < 2_000);
}
