//! Decode throughput of large responses into the generated types, against hand-written serde
//! structs of the same shape decoding the same bytes in the same rounds: 10,000 DIS dump logs
//! (`huawei::dis::show_transfer_task_log::Response`) and 10,000 CLS shipping tasks
//! (`tencent::cls::list_shipping_tasks::Response`).
//!
//! The baselines are what one would write by hand with serde derive: camelCase renames,
//! `Option` for optional fields, `i64` for millisecond times, a derived enum with a catch-all
//! variant, and CLS times parsed into `time::PrimitiveDateTime` with a format description.
//! A second CLS baseline keeps the times as `String`s (no parsing at all), as a lower bound.

mod common;

use std::hint::black_box;
use std::time::Instant;

use cloud_task_apis::huawei::dis::show_transfer_task_log;
use cloud_task_apis::tencent::cls::list_shipping_tasks;
use common::{alternate, median, met, row, time};
use serde::Deserialize;

const ENTRIES: usize = 10_000;
const ROUNDS: usize = 31;

// The hand-written DIS response.
use common::hand_dis as dis;

// The hand-written CLS response, times parsed.
use common::hand_cls as cls;

/// Hand-written CLS response, times kept as text.
#[allow(dead_code, reason = "decoded to be timed; only a few fields are read")]
mod cls_text {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    pub struct Response {
        pub tasks: Vec<TaskInfo>,
    }

    #[derive(Debug, Deserialize)]
    pub struct TaskInfo {
        pub task_id: String,
        pub shipper_id: String,
        pub topic_id: String,
        pub range_start: String,
        pub range_end: String,
        pub start_time: String,
        pub end_time: String,
        pub status: super::cls::TaskStatus,
        pub message: String,
    }
}

fn dis_body() -> Vec<u8> {
    let logs: Vec<serde_json::Value> = (0..ENTRIES)
        .map(|i| {
            let start = 1_756_539_753_280_i64 + i64::try_from(i).unwrap_or(0) * 60_000;
            serde_json::json!({
                "transferTaskId": format!("CDaRPdvKUfZr{i:07}"),
                "state": i % 3,
                "destinationType": "OBS",
                "startTime": start,
                "endTime": start + 302_790,
                "transferBytes": 30_718_683 + i,
                "transferRecordsNum": 32_943 + i,
                "transformRecordsNum": 0,
                "streamId": "hFKqKEhCZgNayyIS8Zv",
                "projectId": "575ae927fc644f22b5c5af5209b7cf51",
                "transferFileName": format!("CDaRPdvKUfZr{i:07}.disMonitorTest.0.{start}"),
                "num": i % 7,
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "errorCode": -1,
        "totalNum": ENTRIES,
        "message": null,
        "isStreamFound": null,
        "streamData": null,
        "streamDataList": null,
        "transferTaskList": null,
        "monitorData": null,
        "transferTaskLogList": logs,
    }))
    .unwrap_or_default()
}

fn cls_body() -> Vec<u8> {
    let statuses = ["success", "running", "failed", "wait"];
    let tasks: Vec<serde_json::Value> = (0..ENTRIES)
        .map(|i| {
            let (h, m, s) = (i / 3600 % 24, i / 60 % 60, i % 60);
            serde_json::json!({
                "task_id": format!("task-{i:06}-4b1e-9c2d"),
                "shipper_id": "3b7bd8e0-41a6-4d35-9bd0-7a3f2c1e9d01",
                "topic_id": "a1f2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                "range_start": format!("2024-05-17 {h:02}:{m:02}:{s:02}"),
                "range_end": format!("2024-05-17 {h:02}:{m:02}:{s:02}"),
                "start_time": format!("2024-05-18 {h:02}:{m:02}:{s:02}"),
                "end_time": format!("2024-05-18 {h:02}:{m:02}:{s:02}"),
                "status": statuses[i % 4],
                "message": "success",
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({ "tasks": tasks })).unwrap_or_default()
}

/// Seconds to decode `body` into `T` once.
fn decode<T: for<'de> Deserialize<'de>>(body: &[u8]) -> f64 {
    let started = Instant::now();
    let value: T = serde_json::from_slice(black_box(body)).expect("the body decodes");
    let elapsed = started.elapsed().as_secs_f64();
    drop(black_box(value));
    elapsed
}

#[allow(clippy::cast_precision_loss, reason = "body sizes are far below 2^52 bytes")]
fn report(what: &str, baseline: &str, body: &[u8], generated: &[f64], hand: &[f64]) {
    let (g, h) = (median(generated), median(hand));
    let mb = body.len() as f64 / 1e6;
    let ratio = h / g;
    println!(
        "{what}: {:.1} MB; generated {} ({:.0} MB/s), {baseline} {} ({:.0} MB/s); throughput ratio {ratio:.3}",
        mb,
        time(g),
        mb / g,
        time(h),
        mb / h
    );
    row(&[
        "decode",
        &format!("{what} ({mb:.1} MB), generated types"),
        &format!("{:.0} MB/s ({})", mb / g, time(g)),
        &format!("{baseline}: {:.0} MB/s ({})", mb / h, time(h)),
        &format!("{ratio:.3}"),
        "≥ 0.95",
        met(ratio >= 0.95),
    ]);
}

fn main() {
    let dis_bytes = dis_body();
    let cls_bytes = cls_body();

    // Both sides must read the same data before their speed means anything.
    let generated: show_transfer_task_log::Response = serde_json::from_slice(&dis_bytes).expect("generated DIS");
    let hand: dis::Response = serde_json::from_slice(&dis_bytes).expect("hand-written DIS");
    let generated_logs = generated.transfer_task_log_list.map(|logs| logs.into_vec()).unwrap_or_default();
    let hand_logs = hand.transfer_task_log_list.unwrap_or_default();
    assert_eq!((generated_logs.len(), hand_logs.len()), (ENTRIES, ENTRIES));
    let last = ENTRIES - 1;
    assert_eq!(generated_logs[last].transfer_file_name, hand_logs[last].transfer_file_name);
    assert_eq!(generated_logs[last].end_time.0, hand_logs[last].end_time);
    assert_eq!(i64::from(generated.total_num), i64::from(hand.total_num));
    let generated: list_shipping_tasks::Response = serde_json::from_slice(&cls_bytes).expect("generated CLS");
    let hand: cls::Response = serde_json::from_slice(&cls_bytes).expect("hand-written CLS");
    assert_eq!(generated.tasks.len(), ENTRIES);
    assert_eq!(generated.tasks[last].end_time.to_string(), cls_text_time(&hand.tasks[last].end_time));
    assert_eq!(generated.tasks[last].status.to_string(), "wait");
    assert_eq!(hand.tasks[last].status, cls::TaskStatus::Wait);

    let (g, h) = alternate(
        ROUNDS,
        || decode::<show_transfer_task_log::Response>(&dis_bytes),
        || decode::<dis::Response>(&dis_bytes),
    );
    report(&format!("DIS ShowTransferTaskLog, {ENTRIES} logs"), "hand-written serde", &dis_bytes, &g, &h);

    let (g, h) = alternate(
        ROUNDS,
        || decode::<list_shipping_tasks::Response>(&cls_bytes),
        || decode::<cls::Response>(&cls_bytes),
    );
    report(&format!("CLS ListShippingTasks, {ENTRIES} tasks"), "hand-written serde, times parsed", &cls_bytes, &g, &h);

    let (g, h) = alternate(
        ROUNDS,
        || decode::<list_shipping_tasks::Response>(&cls_bytes),
        || decode::<cls_text::Response>(&cls_bytes),
    );
    report(&format!("CLS ListShippingTasks, {ENTRIES} tasks"), "hand-written serde, times as text", &cls_bytes, &g, &h);
}

/// A `PrimitiveDateTime` as CLS writes it.
fn cls_text_time(t: &time::PrimitiveDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}
