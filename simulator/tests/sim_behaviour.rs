//! The simulator's stateful behaviour (one backfill job per account, idempotency tokens,
//! shipping tasks by time range) and its injected faults.

mod simulator_support;

use std::time::{Duration, Instant};

use cloud_task_apis::alibaba::actiontrail::{Client as ActionTrail, create_delivery_history_job};
use cloud_task_apis::huawei::cbr::Client as Cbr;
use cloud_task_apis::huawei::dis::Client as Dis;
use cloud_task_apis::tencent::cls::Client as Cls;
use cloud_task_apis::{Provider, RequestErrorKind, RetryPolicy};
use cloud_task_apis_simulator::{Fault, Simulator, SimulatorError};
use simulator_support::{quick_retry, shipping_task};
use time::OffsetDateTime;

async fn simulator() -> Simulator {
    Simulator::builder().phase_duration(Duration::from_secs(30)).start().await.expect("simulator starts")
}

fn actiontrail(sim: &Simulator) -> ActionTrail {
    ActionTrail::new(sim.config(Provider::Alibaba, "cn-hangzhou").retry(quick_retry(3))).expect("client")
}

#[tokio::test]
async fn only_one_backfill_job_runs_per_account() {
    let sim = simulator().await;
    sim.add_parent("DeliveryHistoryJob", "second-trail").expect("declared resource");
    let client = actiontrail(&sim);
    let first = client.create_delivery_history_job().trail_name("trail-name").send().await.expect("first job");
    let error = client.create_delivery_history_job().trail_name("second-trail").send().await.expect_err("busy");
    let service = error.service_error().expect("service error");
    assert_eq!((service.status(), service.code()), (400, "DeliveryHistoryJobRunning"));
    // The first job is untouched.
    let job = client.get_delivery_history_job().job_id(first.job_id).send().await.expect("job");
    assert_eq!(job.trail_name, "trail-name");
}

#[tokio::test]
async fn a_client_token_returns_the_same_job_and_guards_its_parameters() {
    let sim = simulator().await;
    sim.add_parent("DeliveryHistoryJob", "other-trail").expect("declared resource");
    let client = actiontrail(&sim);
    let create = |trail: &str| client.create_delivery_history_job().trail_name(trail).client_token("token-1").send();
    let first = create("trail-name").await.expect("created");
    let again = create("trail-name").await.expect("same token, same parameters");
    assert_eq!(first.job_id, again.job_id);
    assert_ne!(first.request_id, again.request_id, "each answer has its own request id");
    let error = create("other-trail").await.expect_err("same token, other parameters");
    assert!(
        matches!(
            error,
            create_delivery_history_job::Error::Common(
                cloud_task_apis::alibaba::actiontrail::CommonError::IdempotentParameterMismatch(_)
            )
        ),
        "{error:?}"
    );
    // Two successful answers, one job.
    let created = sim.requests_for("CreateDeliveryHistoryJob").iter().filter(|r| r.status == Some(200)).count();
    assert_eq!(created, 2);
}

#[tokio::test]
async fn a_retried_create_does_not_make_a_second_job() {
    let sim = simulator().await;
    let client = actiontrail(&sim);
    // The first attempt fails with a 500; the retry carries the same ClientToken the client
    // generated, so had the first attempt created the job, the retry would get that job back.
    sim.inject("CreateDeliveryHistoryJob", Fault::ServerError, 1).expect("known operation");
    let created = client.create_delivery_history_job().trail_name("trail-name").send().await.expect("retried");
    assert_eq!(created.meta.attempts(), 2);
    let attempts = sim.requests_for("CreateDeliveryHistoryJob");
    let token = |i: usize| attempts[i].query.iter().find(|(k, _)| k == "ClientToken").map(|(_, v)| v.clone());
    assert!(token(0).is_some());
    assert_eq!(token(0), token(1), "the retry keeps its idempotency token");
}

#[tokio::test]
async fn an_unknown_trail_is_the_documented_error() {
    let sim = simulator().await;
    let error = actiontrail(&sim).create_delivery_history_job().trail_name("nope").send().await.expect_err("404");
    assert!(matches!(error, create_delivery_history_job::Error::TrailNotFoundException(_)), "{error:?}");
    assert_eq!(error.service_error().map(cloud_task_apis::ServiceError::status), Some(404));
}

#[tokio::test]
async fn shipping_tasks_are_filtered_by_time_range() {
    let sim = simulator().await;
    let now = OffsetDateTime::now_utc();
    let hours = |h: i64| now - time::Duration::hours(h);
    for (id, started, status) in [("old", hours(30), "success"), ("b", hours(2), "failed"), ("a", hours(1), "running")]
    {
        sim.seed("ShippingTask", shipping_task("shipper-1", id, started, status)).expect("declared resource");
    }
    let client = Cls::new(sim.config(Provider::Tencent, "ap-guangzhou")).expect("client");
    let list = client.list_shipping_tasks().shipper_id("shipper-1").start_time(hours(3)).end_time(now).send().await;
    let tasks = list.expect("listed").tasks;
    let ids: Vec<&str> = tasks.iter().map(|t| t.task_id.as_str()).collect();
    assert_eq!(ids, ["b", "a"], "in the range, oldest first");
    assert_eq!(tasks[0].status.to_string(), "failed");
    assert_eq!(tasks[0].shipper_id, "shipper-1");
    // Times are written in UTC+08:00 and read back as the same instants.
    let start = tasks[1].start_time.to_offset_date_time();
    assert!((start - hours(1)).abs() < time::Duration::seconds(1), "{start} vs {}", hours(1));

    let error = client
        .list_shipping_tasks()
        .shipper_id("shipper-1")
        .start_time(hours(24 * 4))
        .end_time(now)
        .send()
        .await
        .expect_err("more than three days back");
    assert_eq!(error.code(), Some("InvalidParam"));
    let error = client.list_shipping_tasks().shipper_id("shipper-1").start_time(now).end_time(hours(1)).send().await;
    assert_eq!(error.expect_err("end before start").code(), Some("InvalidParam"));
}

#[tokio::test]
async fn throttling_comes_in_each_providers_way() {
    let sim = simulator().await;
    let none = RetryPolicy::none;
    for op in ["GetDeliveryHistoryJob", "ShowOpLog", "ShowTransferTaskLog", "ListShippingTasks"] {
        sim.inject(op, Fault::Throttle, 1).expect("known operation");
    }
    let alibaba = ActionTrail::new(sim.config(Provider::Alibaba, "r").retry(none())).expect("client");
    let e = alibaba.get_delivery_history_job().job_id(1).send().await.expect_err("throttled");
    let e = e.service_error().expect("service error");
    assert_eq!((e.status(), e.code()), (400, "Throttling.User"));

    let cbr = Cbr::new(sim.config(Provider::Huawei, "r").retry(none())).expect("client");
    let e = cbr.show_op_log().operation_log_id("x").send().await.expect_err("throttled");
    let e = e.service_error().expect("service error");
    assert_eq!((e.status(), e.code()), (429, "APIGW.0308"));

    let dis = Dis::new(sim.config(Provider::Huawei, "r").retry(none())).expect("client");
    let e = dis.show_transfer_task_log().task_id("CDaRPdvKUfZrAhzTaYs").send().await.expect_err("throttled");
    let e = e.service_error().expect("service error");
    assert_eq!((e.status(), e.code()), (429, "APIGW.0308"));

    let cls = Cls::new(sim.config(Provider::Tencent, "r").retry(none())).expect("client");
    let now = OffsetDateTime::now_utc();
    let e = cls.list_shipping_tasks().shipper_id("x").start_time(now).end_time(now).send().await;
    let e = e.expect_err("throttled");
    let e = e.service_error().expect("service error");
    assert_eq!((e.status(), e.code()), (429, "SpeedQuotaExceed"));
}

#[tokio::test]
async fn injected_faults_are_retried_by_the_client() {
    let sim = simulator().await;
    let cbr = Cbr::new(sim.config(Provider::Huawei, "cn-north-4").retry(quick_retry(3))).expect("client");
    sim.inject("ShowOpLog", Fault::ServerError, 1).expect("known operation");
    sim.inject("ShowOpLog", Fault::DropConnection, 1).expect("known operation");
    let log = cbr.show_op_log().operation_log_id("4827f2da-b008-4507-ab7d-42d0df5ed912").send().await.expect("ok");
    assert_eq!(log.meta.attempts(), 3);
    let recorded = sim.requests_for("ShowOpLog");
    assert_eq!(recorded[0].status, Some(504));
    assert_eq!(recorded[0].error_code.as_deref(), Some("APIGW.0201"));
    assert_eq!((recorded[1].status, recorded[1].fault), (None, Some(Fault::DropConnection)));
    assert_eq!(recorded[2].status, Some(200));
}

#[tokio::test]
async fn a_slow_answer_runs_into_the_client_timeout() {
    let sim = simulator().await;
    let now = OffsetDateTime::now_utc();
    for hours in 1..=6 {
        let task =
            shipping_task("xx-xx-xx-xxxx", &format!("task-{hours}"), now - time::Duration::hours(hours), "success");
        sim.seed("ShippingTask", task).expect("declared resource");
    }
    sim.inject("ListShippingTasks", Fault::Slow(Duration::from_secs(3)), 1).expect("known operation");
    let config =
        sim.config(Provider::Tencent, "ap-guangzhou").timeout(Duration::from_millis(300)).retry(RetryPolicy::none());
    let client = Cls::new(config).expect("client");
    let started = Instant::now();
    let error = client
        .list_shipping_tasks()
        .shipper_id("xx-xx-xx-xxxx")
        .start_time(now - time::Duration::hours(1))
        .end_time(now)
        .send()
        .await
        .expect_err("timed out");
    assert_eq!(error.request_error().map(cloud_task_apis::RequestError::kind), Some(RequestErrorKind::Timeout));
    assert!(started.elapsed() < Duration::from_secs(2));
    // The fault is used up: the next call is answered at once.
    let tasks = client
        .list_shipping_tasks()
        .shipper_id("xx-xx-xx-xxxx")
        .start_time(now - time::Duration::hours(7))
        .end_time(now)
        .send()
        .await
        .expect("answered");
    assert_eq!(tasks.tasks.len(), 6, "the shipper's six tasks");
}

#[tokio::test]
async fn faults_need_a_served_operation() {
    let sim = simulator().await;
    let error = sim.inject("NoSuchOperation", Fault::Throttle, 1).expect_err("unknown");
    assert!(matches!(error, SimulatorError::UnknownOperation(ref name) if name == "NoSuchOperation"));
    assert!(sim.operations().contains(&"tencent/cls/ListShippingTasks".to_owned()));
}

#[tokio::test]
async fn dropping_the_simulator_stops_the_server() {
    let sim = simulator().await;
    let endpoint = sim.endpoint();
    sim.shutdown().await;
    let result = reqwest::Client::new().get(format!("{endpoint}/tasks")).send().await;
    assert!(result.is_err(), "nothing listens any more");
}
