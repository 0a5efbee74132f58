//! Pagination of DIS dump logs against the simulator: exact item counts over several pages,
//! empty listings, a short last page, the caller's page size and starting page, errors.

mod simulator_support;

use std::collections::BTreeSet;

use cloud_task_apis::huawei::dis::Client;
use cloud_task_apis::huawei::dis::show_transfer_task_log::{PageInfo, SortBy, SortOrder, TransferTaskLog};
use cloud_task_apis::{Provider, RetryPolicy};
use cloud_task_apis_simulator::{Fault, Simulator};
use futures_util::StreamExt;
use simulator_support::{quick_retry, seed_logs};

const TASK: &str = "CDaRPdvKUfZrAhzTaYs";

async fn setup(logs: usize) -> (Simulator, Client) {
    let sim = Simulator::builder().start().await.expect("simulator starts");
    seed_logs(&sim, TASK, logs);
    let client = Client::new(sim.config(Provider::Huawei, "cn-north-4").retry(quick_retry(3))).expect("client");
    (sim, client)
}

fn page(index: i32, size: i32) -> PageInfo {
    PageInfo { page_index: index, page_total: size }
}

/// The number of items of every page.
async fn page_sizes(client: &Client, info: Option<PageInfo>) -> Vec<usize> {
    let mut builder = client.show_transfer_task_log().task_id(TASK);
    if let Some(info) = info {
        builder = builder.page_info(info);
    }
    let pages: Vec<_> = builder.paginate().pages().collect().await;
    pages.into_iter().map(|p| p.expect("page").transfer_task_log_list.map_or(0, |l| l.len())).collect()
}

#[tokio::test]
async fn every_log_is_listed_exactly_once_over_several_pages() {
    let (sim, client) = setup(23).await;
    let items: Vec<TransferTaskLog> = client
        .show_transfer_task_log()
        .task_id(TASK)
        .page_info(page(1, 5))
        .paginate()
        .items()
        .map(|item| item.expect("item"))
        .collect()
        .await;
    assert_eq!(items.len(), 23);
    let names: BTreeSet<&str> = items.iter().map(|l| l.transfer_file_name.as_str()).collect();
    assert_eq!(names.len(), 23, "no log twice");
    // Default order: newest first.
    assert!(items.windows(2).all(|w| w[0].start_time.0 >= w[1].start_time.0));
    // Pages 1 to 5, the last one short; no request after it.
    let requests = sim.requests_for("ShowTransferTaskLog");
    assert_eq!(requests.len(), 5);
    let bodies: Vec<serde_json::Value> =
        requests.iter().map(|r| serde_json::from_slice(&r.body).expect("json body")).collect();
    let indexes: Vec<i64> = bodies.iter().map(|b| b["pageInfo"]["pageIndex"].as_i64().expect("index")).collect();
    assert_eq!(indexes, [1, 2, 3, 4, 5]);
    assert!(bodies.iter().all(|b| b["pageInfo"]["pageTotal"] == 5), "the caller's page size on every page");
}

#[tokio::test]
async fn the_last_page_may_be_short() {
    let (_sim, client) = setup(23).await;
    assert_eq!(page_sizes(&client, Some(page(1, 5))).await, [5, 5, 5, 5, 3]);
}

#[tokio::test]
async fn a_full_last_page_ends_without_another_request() {
    let (sim, client) = setup(20).await;
    assert_eq!(page_sizes(&client, Some(page(1, 10))).await, [10, 10]);
    assert_eq!(sim.requests_for("ShowTransferTaskLog").len(), 2, "the total says there is nothing more");
}

#[tokio::test]
async fn the_documented_default_page_size_is_used() {
    let (_sim, client) = setup(25).await;
    assert_eq!(page_sizes(&client, None).await, [10, 10, 5]);
}

#[tokio::test]
async fn an_empty_listing_has_one_empty_page() {
    let (sim, client) = setup(0).await;
    let items: Vec<_> =
        client.show_transfer_task_log().task_id("TaskWithoutAnyLogs0").paginate().items().collect().await;
    assert!(items.is_empty(), "{items:?}");
    let requests = sim.requests_for("ShowTransferTaskLog");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].status, Some(200));
}

#[tokio::test]
async fn paging_starts_at_the_callers_page() {
    let (_sim, client) = setup(13).await;
    // Pages of 4 from page 3: items 9-12 and 13.
    assert_eq!(page_sizes(&client, Some(page(3, 4))).await, [4, 1]);
    // With 12 logs, page 3 holds the last four: the pages before it count towards the total,
    // so no request for an empty page 4 follows.
    let (sim, client) = setup(12).await;
    assert_eq!(page_sizes(&client, Some(page(3, 4))).await, [4]);
    assert_eq!(sim.requests_for("ShowTransferTaskLog").len(), 1);
}

#[tokio::test]
async fn ascending_order_lists_the_oldest_first() {
    let (_sim, client) = setup(12).await;
    let items: Vec<TransferTaskLog> = client
        .show_transfer_task_log()
        .task_id(TASK)
        .order(SortOrder::Asc)
        .page_info(page(1, 5))
        .paginate()
        .items()
        .map(|item| item.expect("item"))
        .collect()
        .await;
    assert_eq!(items.len(), 12);
    assert!(items.windows(2).all(|w| w[0].start_time.0 < w[1].start_time.0));
}

#[tokio::test]
async fn logs_can_be_sorted_by_size() {
    let (_sim, client) = setup(12).await;
    let items: Vec<TransferTaskLog> = client
        .show_transfer_task_log()
        .task_id(TASK)
        .sort_by(SortBy::DataSize)
        .order(SortOrder::Asc)
        .page_info(page(1, 5))
        .paginate()
        .items()
        .map(|item| item.expect("item"))
        .collect()
        .await;
    assert_eq!(items.len(), 12);
    assert!(items.windows(2).all(|w| w[0].transfer_bytes <= w[1].transfer_bytes));
    assert!(items.windows(2).any(|w| w[0].start_time.0 > w[1].start_time.0), "not also in time order");
}

#[tokio::test]
async fn an_error_ends_the_stream() {
    let (sim, _) = setup(30).await;
    let client = Client::new(sim.config(Provider::Huawei, "cn-north-4").retry(RetryPolicy::none())).expect("client");
    let mut pages = Box::pin(client.show_transfer_task_log().task_id(TASK).page_info(page(1, 10)).paginate().pages());
    assert!(pages.next().await.expect("first page").is_ok());
    sim.inject("ShowTransferTaskLog", Fault::ServerError, 1).expect("known operation");
    let error = pages.next().await.expect("second page").expect_err("the injected failure");
    assert_eq!(error.code(), Some("APIGW.0201"));
    assert!(pages.next().await.is_none(), "nothing after an error");
}

#[tokio::test]
async fn a_bad_page_number_is_refused_in_the_dis_envelope() {
    let (sim, client) = setup(5).await;
    let error = client.show_transfer_task_log().task_id(TASK).page_info(page(0, 5)).send().await.expect_err("page 0");
    let service = error.service_error().expect("a DIS error");
    assert_eq!((service.status(), service.code()), (400, "DIS.4200"));
    assert!(service.message().contains("pageInfo.pageIndex"), "{}", service.message());
    assert_eq!(service.request_id(), sim.requests().last().and_then(|r| r.request_id.as_deref()));
}
