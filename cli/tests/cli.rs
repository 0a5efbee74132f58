//! The command-line tool end to end, against the in-process simulator: its commands come from
//! the specs, it prints typed responses as JSON, and bad arguments get one clear line.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cloud-task-apis")).args(args).output().expect("the tool runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn list_names_every_operation_with_its_flags() {
    let out = run(&["list"]);
    assert!(out.status.success());
    let listing = text(&out.stdout);
    for line in [
        "alibaba actiontrail CreateDeliveryHistoryJob: Creates a data backfill task.",
        "alibaba actiontrail GetDeliveryHistoryJob",
        "huawei cbr ShowOpLog",
        "huawei dis ShowTransferTaskLog",
        "tencent cls ListShippingTasks",
        "--JobId <INTEGER> (required)",
        "--pageInfo <JSON> (optional)",
    ] {
        assert!(listing.contains(line), "missing {line:?} in:\n{listing}");
    }
    // Parameters the client fills itself are not flags.
    assert!(!listing.contains("X-Auth-Token"), "{listing}");
}

#[test]
fn calls_an_operation_on_the_simulator_and_prints_json() {
    let out = run(&["--simulator", "alibaba", "actiontrail", "CreateDeliveryHistoryJob", "--TrailName", "trail-name"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert!(json["JobId"].as_i64().is_some(), "{json}");
    assert!(text(&out.stderr).starts_with("request id: "), "{}", text(&out.stderr));

    let out = run(&[
        "--simulator",
        "huawei",
        "dis",
        "ShowTransferTaskLog",
        "--task_id",
        "CDaRPdvKUfZrAhzTaYs",
        "--pageInfo",
        r#"{"pageIndex":1,"pageTotal":3}"#,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    // A fresh simulator holds the log of the spec's documented example.
    let logs = json["transferTaskLogList"].as_array().expect("a list of logs");
    assert_eq!(logs.len(), 1, "{json}");
    assert_eq!(logs[0]["transferFileName"], "CDaRPdvKUfZrAhzTaYs.disMonitorTest.0.1756539753290", "{json}");
}

#[test]
fn bad_arguments_and_refusals_are_one_clear_line() {
    let out = run(&["--simulator", "alibaba", "actiontrail", "GetDeliveryHistoryJob", "--JobId", "abc"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr).trim(), r#"error: --JobId: expected a whole number, got "abc""#);

    let too_long = "x".repeat(65);
    let out = run(&[
        "--simulator",
        "alibaba",
        "actiontrail",
        "CreateDeliveryHistoryJob",
        "--TrailName",
        "t",
        "--ClientToken",
        &too_long,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("`ClientToken` must have length at most 64, got 65"), "{}", text(&out.stderr));

    let out = run(&["--simulator", "huawei", "cbr", "ShowOpLog", "--operation_log_id", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("HTTP 404 BackupService.6500") && stderr.contains("request id"), "{stderr}");

    // A missing required flag is refused by the argument parser before anything is sent.
    let out = run(&["--simulator", "tencent", "cls", "ListShippingTasks"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--shipper_id"), "{}", text(&out.stderr));
}
