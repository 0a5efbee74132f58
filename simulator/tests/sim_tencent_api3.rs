//! The simulator serves Tencent Cloud API 3.0 from the CLS API 3.0 specs: the generated client's
//! requests are routed by `X-TC-Action`, their TC3-HMAC-SHA256 signatures are checked with the
//! crate's signer, and every answer (success, refusal, injected fault) comes in the
//! `{"Response": ...}` envelope with HTTP 200.

use cloud_task_apis::sign::{SignableRequest, tc3};
use cloud_task_apis::tencent::cls3::{Client, CommonError, describe_shipper_tasks, retry_shipper_task};
use cloud_task_apis::{Credentials, Provider, RetryPolicy};
use cloud_task_apis_simulator::{Fault, Simulator};
use time::OffsetDateTime;

async fn simulator() -> Simulator {
    Simulator::builder().start().await.expect("simulator starts")
}

fn client(sim: &Simulator) -> Client {
    Client::new(sim.config(Provider::Tencent, "ap-guangzhou").retry(RetryPolicy::none())).expect("client")
}

#[tokio::test]
async fn calls_are_routed_authenticated_and_enveloped() {
    let sim = simulator().await;
    assert!(sim.operations().contains(&"tencent/cls3/DescribeShipperTasks".to_owned()), "{:?}", sim.operations());
    let cls = client(&sim);
    let listed = cls
        .describe_shipper_tasks()
        .shipper_id("53d355bc-9814-43b4-b10a-4be50405095f")
        .start_time(1_753_766_424_000)
        .end_time(1_753_780_282_000)
        .send()
        .await
        .expect("answered from the documented example");
    let tasks = listed.tasks.as_deref().expect("tasks");
    assert_eq!(tasks[0].status, describe_shipper_tasks::ShipperTaskStatus::Success);
    // The simulator's request id replaces the example's, in the body.
    let request_id = listed.meta.request_id().expect("a request id").to_owned();
    assert_eq!(listed.request_id, request_id);
    assert_ne!(request_id, "6ef60bec-0242-43af-bb20-270359fb54a7");

    let recorded = sim.requests_for("DescribeShipperTasks");
    assert_eq!(recorded.len(), 1);
    assert_eq!((recorded[0].status, recorded[0].request_id.as_deref()), (Some(200), Some(request_id.as_str())));

    let retried = cls.retry_shipper_task().shipper_id("s").task_id("t").send().await.expect("retried");
    assert!(retried.meta.request_id().is_some());
}

#[tokio::test]
async fn refusals_come_inside_http_200() {
    let sim = simulator().await;
    let wrong_key = sim
        .config(Provider::Tencent, "ap-guangzhou")
        .retry(RetryPolicy::none())
        .credentials(Credentials::tencent(sim.credentials().tencent_secret_id.clone(), "not the simulator's key"));
    let error = Client::new(wrong_key).expect("client").retry_shipper_task().shipper_id("s").task_id("t").send().await;
    let Err(retry_shipper_task::Error::Common(CommonError::AuthFailureSignatureFailure(e))) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(e.status(), 200);
    assert!(e.request_id().is_some());

    let wrong_id = sim
        .config(Provider::Tencent, "ap-guangzhou")
        .retry(RetryPolicy::none())
        .credentials(Credentials::tencent("AKIDsomeoneelse", sim.credentials().tencent_secret_key.clone()));
    let error = Client::new(wrong_id).expect("client").retry_shipper_task().shipper_id("s").task_id("t").send().await;
    assert!(
        matches!(error, Err(retry_shipper_task::Error::Common(CommonError::AuthFailureSecretIdNotFound(_)))),
        "{error:?}"
    );

    // Injected faults answer in the envelope too: throttling, then a server error.
    sim.inject("RetryShipperTask", Fault::Throttle, 1).expect("known operation");
    let error = client(&sim).retry_shipper_task().shipper_id("s").task_id("t").send().await;
    let Err(retry_shipper_task::Error::Common(CommonError::RequestLimitExceeded(e))) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(e.status(), 200);
    sim.inject("RetryShipperTask", Fault::ServerError, 1).expect("known operation");
    let error = client(&sim).retry_shipper_task().shipper_id("s").task_id("t").send().await;
    assert!(matches!(error, Err(retry_shipper_task::Error::Common(CommonError::InternalError(_)))), "{error:?}");
}

/// Sends a TC3-signed API 3.0 call with `action`, `version` and `body` to the simulator and
/// returns the HTTP status and the JSON answer.
async fn raw_call(sim: &Simulator, action: &str, version: &str, body: &str) -> (u16, serde_json::Value) {
    let mut req = SignableRequest {
        method: "POST".into(),
        host: sim.endpoint().trim_start_matches("http://").to_owned(),
        path: "/".into(),
        query: Vec::new(),
        headers: vec![
            ("Content-Type".into(), "application/json".into()),
            ("X-TC-Action".into(), action.into()),
            ("X-TC-Version".into(), version.into()),
            ("X-TC-Region".into(), "ap-guangzhou".into()),
        ],
        body: body.as_bytes().to_vec(),
    };
    let creds = sim.credentials();
    tc3::sign(&mut req, &creds.tencent_secret_id, &creds.tencent_secret_key, None, "cls", OffsetDateTime::now_utc());
    let mut builder = reqwest::Client::new().post(format!("{}/", sim.endpoint()));
    for (name, value) in &req.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let response = builder.body(req.body).send().await.expect("the simulator answers");
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("a body");
    (status, serde_json::from_slice(&bytes).expect("a JSON answer"))
}

#[tokio::test]
async fn invalid_calls_get_the_api3_codes() {
    let sim = simulator().await;
    let code = |answer: &serde_json::Value| answer["Response"]["Error"]["Code"].as_str().map(str::to_owned);

    let (status, answer) = raw_call(&sim, "RetryShipperTask", "2020-10-16", r#"{"ShipperId":"s"}"#).await;
    assert_eq!((status, code(&answer).as_deref()), (200, Some("MissingParameter")), "{answer}");
    assert!(answer["Response"]["RequestId"].is_string());

    let (status, answer) =
        raw_call(&sim, "DescribeShipperTasks", "2020-10-16", r#"{"ShipperId":"s","StartTime":"x","EndTime":1}"#).await;
    assert_eq!((status, code(&answer).as_deref()), (200, Some("InvalidParameterValue")), "{answer}");

    let (status, answer) = raw_call(&sim, "RetryShipperTask", "2017-03-12", r#"{"ShipperId":"s","TaskId":"t"}"#).await;
    assert_eq!((status, code(&answer).as_deref()), (200, Some("NoSuchVersion")), "{answer}");

    let (status, answer) = raw_call(&sim, "DeleteEverything", "2020-10-16", "{}").await;
    assert_eq!((status, code(&answer).as_deref()), (200, Some("InvalidAction")), "{answer}");

    let (status, answer) = raw_call(&sim, "RetryShipperTask", "2020-10-16", r#"{"ShipperId":"s","TaskId":"t"}"#).await;
    assert_eq!(status, 200);
    assert_eq!(code(&answer), None, "{answer}");
    assert!(answer["Response"]["RequestId"].is_string());
}
