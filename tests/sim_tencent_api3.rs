//! The simulator serves Tencent Cloud API 3.0 from the CLS API 3.0 specs: the generated client's
//! requests are routed by `X-TC-Action`, their TC3-HMAC-SHA256 signatures are checked with the
//! crate's signer, and every answer (success, refusal, injected fault) comes in the
//! `{"Response": ...}` envelope with HTTP 200.

#![cfg(feature = "simulator")]

use cloud_task_apis::simulator::{Fault, Simulator};
use cloud_task_apis::tencent::cls3::{Client, describe_shipper_tasks, retry_shipper_task};
use cloud_task_apis::{Credentials, Provider, RetryPolicy};

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
    let Err(retry_shipper_task::Error::AuthFailureSignatureFailure(e)) = &error else { panic!("{error:?}") };
    assert_eq!(e.status(), 200);
    assert!(e.request_id().is_some());

    let wrong_id = sim
        .config(Provider::Tencent, "ap-guangzhou")
        .retry(RetryPolicy::none())
        .credentials(Credentials::tencent("AKIDsomeoneelse", sim.credentials().tencent_secret_key.clone()));
    let error = Client::new(wrong_id).expect("client").retry_shipper_task().shipper_id("s").task_id("t").send().await;
    assert!(matches!(error, Err(retry_shipper_task::Error::AuthFailureSecretIdNotFound(_))), "{error:?}");

    // Injected faults answer in the envelope too: throttling, then a server error.
    sim.inject("RetryShipperTask", Fault::Throttle, 1).expect("known operation");
    let error = client(&sim).retry_shipper_task().shipper_id("s").task_id("t").send().await;
    let Err(retry_shipper_task::Error::RequestLimitExceeded(e)) = &error else { panic!("{error:?}") };
    assert_eq!(e.status(), 200);
    sim.inject("RetryShipperTask", Fault::ServerError, 1).expect("known operation");
    let error = client(&sim).retry_shipper_task().shipper_id("s").task_id("t").send().await;
    assert!(matches!(error, Err(retry_shipper_task::Error::InternalError(_))), "{error:?}");
}
