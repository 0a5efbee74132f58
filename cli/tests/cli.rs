//! The command-line tool end to end: its commands come from the specs, it prints typed
//! responses as JSON, and bad arguments get one clear line. It runs against its own in-process
//! simulator (`--simulator`), against a simulator started by the test (`--endpoint`, which also
//! shows plain HTTP to this machine), or against a local mock server.

use std::net::TcpListener;
use std::process::{Command, Output};
use std::time::Duration;

use cloud_task_apis_simulator::{Simulator, TaskOutcome};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cloud-task-apis")).args(args).output().expect("the tool runs")
}

/// Runs the tool with only `env` as its environment (no region or credentials of the machine),
/// off the test's runtime so the simulator it calls keeps serving.
async fn run_with(env: Vec<(&'static str, String)>, args: &[&str]) -> Output {
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_cloud-task-apis"))
            .env_clear()
            .envs(env)
            .args(args)
            .output()
            .expect("the tool runs")
    })
    .await
    .expect("the tool's thread")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn stdout_json(out: &Output) -> Value {
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("JSON on stdout ({e}): {}", text(&out.stdout)))
}

/// The environment of a user whose credentials are the simulator's.
fn credentials(sim: &Simulator) -> Vec<(&'static str, String)> {
    let c = sim.credentials();
    vec![
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", c.alibaba_access_key_id.clone()),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", c.alibaba_access_key_secret.clone()),
        ("HUAWEICLOUD_SDK_AK", c.huawei_access_key.clone()),
        ("HUAWEICLOUD_SDK_SK", c.huawei_secret_key.clone()),
        ("HUAWEICLOUD_SDK_PROJECT_ID", c.huawei_project_id.clone()),
    ]
}

async fn simulator(phase: Duration) -> Simulator {
    Simulator::builder().phase_duration(phase).start().await.expect("simulator starts")
}

/// Seeds `count` logs of the DIS dump task `task`, numbered from 0, each started five minutes
/// after the one before.
fn seed_logs(sim: &Simulator, task: &str, count: i64) {
    for n in 0..count {
        let start = 1_756_539_753_290 + n * 300_000;
        let log = json!({
            "num": n,
            "transferTaskId": task,
            "startTime": start,
            "endTime": start + 240_000,
            "transferFileName": format!("{task}.stream.0.{start}"),
        });
        sim.seed("TransferTaskLog", log).expect("declared resource");
    }
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
        "--order <TEXT> (optional) Log sorting mode. [one of: desc, asc]",
        "    --all: every page, one item per line",
        "    wait: cloud-task-apis wait huawei cbr ShowOpLog ...",
    ] {
        assert!(listing.contains(line), "missing {line:?} in:\n{listing}");
    }
    // Parameters the client fills itself are not flags.
    assert!(!listing.contains("X-Auth-Token"), "{listing}");
}

#[test]
fn calls_an_operation_on_the_simulator_and_prints_json() {
    let out = run(&["--simulator", "alibaba", "actiontrail", "CreateDeliveryHistoryJob", "--TrailName", "trail-name"]);
    let json = stdout_json(&out);
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
    let json = stdout_json(&out);
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

    // Polling without a pause, or for a negative time, is refused before anything is sent.
    for (flag, value) in [("--interval", "0"), ("--interval", "-1"), ("--timeout", "-1")] {
        let option = format!("{flag}={value}");
        let out =
            run(&["wait", "--simulator", &option, "alibaba", "actiontrail", "GetDeliveryHistoryJob", "--JobId", "1"]);
        assert_eq!(out.status.code(), Some(1), "{flag} {value}");
        assert!(text(&out.stderr).starts_with(&format!("error: {flag}: expected ")), "{}", text(&out.stderr));
    }

    // A missing required flag is refused by the argument parser before anything is sent.
    let out = run(&["--simulator", "tencent", "cls", "ListShippingTasks"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--shipper_id"), "{}", text(&out.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_goes_to_this_machine_without_a_flag_and_elsewhere_only_with_allow_http() {
    // Listening on every address: the test reaches it as 127.0.0.1 (this machine) and as
    // 0.0.0.0, which the tool must treat as another machine, yet which Linux delivers here.
    let listener = TcpListener::bind("0.0.0.0:0").expect("listen");
    let port = listener.local_addr().expect("address").port();
    let server = MockServer::builder().listener(listener).start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"JobId": 5, "RequestId": "req-1"})))
        .mount(&server)
        .await;
    let env = vec![
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "id".to_owned()),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret".to_owned()),
    ];
    let create = ["alibaba", "actiontrail", "CreateDeliveryHistoryJob", "--TrailName", "t"];

    // Loopback over plain HTTP, and no region at all (none is set in the environment either):
    // with an endpoint of its own, the region is not needed.
    let local = format!("http://127.0.0.1:{port}");
    let out = run_with(env.clone(), &[&["--endpoint", local.as_str()][..], &create].concat()).await;
    assert_eq!(stdout_json(&out)["JobId"], 5);
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(1));

    // Another machine over plain HTTP: refused before sending, naming the flag.
    let elsewhere = format!("http://0.0.0.0:{port}");
    let out = run_with(env.clone(), &[&["--endpoint", elsewhere.as_str()][..], &create].concat()).await;
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("plain HTTP") && stderr.contains("pass --allow-http"), "{stderr}");
    assert!(!stderr.contains("Config::") && !stderr.contains("allow_http"), "{stderr}");
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(1));

    let out = run_with(env.clone(), &[&["--allow-http", "--endpoint", elsewhere.as_str()][..], &create].concat()).await;
    assert_eq!(stdout_json(&out)["JobId"], 5);
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(2));

    // Without an endpoint the region picks the host, so it is needed.
    let out = run_with(env, &create).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("no region: pass --region or set ALIBABA_CLOUD_REGION_ID"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn enum_flags_list_their_values_and_refuse_others() {
    let out = run(&["huawei", "dis", "ShowTransferTaskLog", "--help"]);
    let help = text(&out.stdout);
    for line in ["- desc: Descending order.", "- asc:  Ascending order.", "- createTimeStr:", "- dataSize:"] {
        assert!(help.contains(line), "missing {line:?} in:\n{help}");
    }
    let out = run(&[
        "--simulator",
        "huawei",
        "dis",
        "ShowTransferTaskLog",
        "--task_id",
        "CDaRPdvKUfZrAhzTaYs",
        "--order",
        "up",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("invalid value 'up' for '--order <TEXT>'"), "{stderr}");
    assert!(stderr.contains("[possible values: desc, asc]"), "{stderr}");
    let out = run(&[
        "--simulator",
        "huawei",
        "dis",
        "ShowTransferTaskLog",
        "--task_id",
        "CDaRPdvKUfZrAhzTaYs",
        "--order",
        "asc",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn negative_numbers_are_values_that_reach_the_request() {
    let sim = simulator(Duration::from_secs(2)).await;
    let endpoint = sim.endpoint();
    let out = run_with(
        credentials(&sim),
        &["--endpoint", &endpoint, "alibaba", "actiontrail", "GetDeliveryHistoryJob", "--JobId", "-1"],
    )
    .await;
    // Sent and answered (no such job), not taken for a flag by the argument parser.
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("HTTP 404 DeliveryHistoryJobNotFound"), "{}", text(&out.stderr));
    let sent = sim.requests_for("GetDeliveryHistoryJob");
    assert_eq!(sent.len(), 1);
    assert!(sent[0].query.contains(&("JobId".to_owned(), "-1".to_owned())), "{:?}", sent[0].query);
}

#[test]
fn a_rule_broken_inside_a_json_argument_is_named_by_its_path() {
    let checkpoint = r#"{"vault_id":"v-1","parameters":{"retention_duration_days":40000}}"#;
    let out = run(&["--simulator", "huawei", "cbr", "CreateCheckpoint", "--checkpoint", checkpoint]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("CreateCheckpoint: request not sent: invalid request:"), "{stderr}");
    assert!(
        stderr.contains("`checkpoint.parameters.retention_duration_days` must be in -1..=36500, got 40000"),
        "{stderr}"
    );
}

#[test]
fn a_negative_offset_gets_the_validators_range_error_naming_the_field() {
    let out = run(&["--simulator", "huawei", "cbr", "ListBackups", "--offset", "-1"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("ListBackups: request not sent: invalid request: `offset` must be"), "{stderr}");
    assert!(stderr.trim_end().ends_with("got -1"), "{stderr}");
    // Enums of the service's shared types are flags with their values too.
    let out = run(&["--simulator", "huawei", "cbr", "ListBackups", "--status", "gone"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("[possible values: available, protecting,"), "{}", text(&out.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_chooses_among_the_schemes_the_service_lists() {
    let sim = simulator(Duration::from_secs(2)).await;
    let endpoint = sim.endpoint();
    let create = ["alibaba", "actiontrail", "CreateDeliveryHistoryJob", "--TrailName", "trail-name"];
    let header = |sent: &cloud_task_apis_simulator::RecordedRequest, name: &str| {
        sent.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    };

    let out = run_with(credentials(&sim), &[&["--endpoint", endpoint.as_str()][..], &create].concat()).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let default = sim.requests_for("CreateDeliveryHistoryJob").pop().expect("sent");
    assert!(header(&default, "authorization").is_some_and(|a| a.starts_with("ACS3-HMAC-SHA256 ")), "{default:?}");

    let job = stdout_json(&out)["JobId"].to_string();
    let signed_v1 = ["--endpoint", endpoint.as_str(), "--signing", "rpc_hmac_sha1"];
    let get = ["alibaba", "actiontrail", "GetDeliveryHistoryJob", "--JobId", job.as_str()];
    let out = run_with(credentials(&sim), &[&signed_v1[..], &get].concat()).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v1 = sim.requests_for("GetDeliveryHistoryJob").pop().expect("sent");
    assert!(v1.query.contains(&("SignatureMethod".to_owned(), "HMAC-SHA1".to_owned())), "{v1:?}");
    assert!(header(&v1, "authorization").is_none(), "{v1:?}");

    // Huawei: an IAM token instead of AK/SK, although AK/SK are set too.
    let mut env = credentials(&sim);
    env.push(("HUAWEICLOUD_SDK_AUTH_TOKEN", sim.credentials().huawei_token.clone()));
    let show = ["huawei", "cbr", "ShowOpLog", "--operation_log_id", "4827f2da-b008-4507-ab7d-42d0df5ed912"];
    let with_token = ["--endpoint", endpoint.as_str(), "--signing", "huawei_token"];
    let out = run_with(env.clone(), &[&with_token[..], &show].concat()).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let sent = sim.requests_for("ShowOpLog").pop().expect("sent");
    assert_eq!(header(&sent, "x-auth-token"), Some(sim.credentials().huawei_token.clone()));
    let with_aksk = ["--endpoint", endpoint.as_str(), "--signing", "huawei_sdk_hmac_sha256"];
    let out = run_with(env, &[&with_aksk[..], &show].concat()).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let sent = sim.requests_for("ShowOpLog").pop().expect("sent");
    assert!(header(&sent, "authorization").is_some_and(|a| a.starts_with("SDK-HMAC-SHA256 ")), "{sent:?}");

    // A scheme of another service is refused naming the ones this service accepts; an unknown
    // word is refused by the argument parser with every scheme.
    let wrong = ["--endpoint", endpoint.as_str(), "--signing", "huawei_token"];
    let out = run_with(credentials(&sim), &[&wrong[..], &create].concat()).await;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).trim(),
        "error: --signing huawei_token: alibaba actiontrail accepts acs3_hmac_sha256 or rpc_hmac_sha1"
    );
    let out = run_with(credentials(&sim), &[&["--signing", "md5"][..], &create].concat()).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("[possible values: acs3_hmac_sha256,"), "{}", text(&out.stderr));

    // CBR paths hold the project id: without one, the tool says how to give it.
    let aksk_only = vec![
        ("HUAWEICLOUD_SDK_AK", sim.credentials().huawei_access_key.clone()),
        ("HUAWEICLOUD_SDK_SK", sim.credentials().huawei_secret_key.clone()),
    ];
    let out = run_with(aksk_only, &[&["--endpoint", endpoint.as_str()][..], &show].concat()).await;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).trim(),
        "error: huawei cbr needs a project id here: pass --project-id or set HUAWEICLOUD_SDK_PROJECT_ID"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_streams_every_page_as_json_lines() {
    let sim = simulator(Duration::from_secs(2)).await;
    seed_logs(&sim, "sevenLogsTaskAbCdEf", 7);
    let endpoint = sim.endpoint();
    let out = run_with(
        credentials(&sim),
        &[
            "--endpoint",
            &endpoint,
            "huawei",
            "dis",
            "ShowTransferTaskLog",
            "--task_id",
            "sevenLogsTaskAbCdEf",
            "--pageInfo",
            r#"{"pageIndex":1,"pageTotal":3}"#,
            "--all",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let items: Vec<Value> = text(&out.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    // 7 logs in pages of 3, 3 and 1: each log once, in the service's order (newest first).
    let numbers: Vec<i64> = items.iter().map(|item| item["num"].as_i64().expect("num")).collect();
    assert_eq!(numbers, [6, 5, 4, 3, 2, 1, 0], "{items:?}");
    assert_eq!(sim.requests_for("ShowTransferTaskLog").len(), 3);
    assert_eq!(text(&out.stderr).lines().filter(|l| l.starts_with("request id: ")).count(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_polls_until_the_task_ends_with_progress_on_stderr() {
    let sim = simulator(Duration::from_millis(100)).await;
    let endpoint = sim.endpoint();
    let env = credentials(&sim);
    let create = ["--endpoint", &endpoint, "alibaba", "actiontrail", "CreateDeliveryHistoryJob", "--TrailName"];
    let job = stdout_json(&run_with(env.clone(), &[&create[..], &["trail-name"]].concat()).await)["JobId"].to_string();
    let wait =
        ["wait", "--endpoint", &endpoint, "--interval", "0.05", "alibaba", "actiontrail", "GetDeliveryHistoryJob"];
    let out = run_with(env.clone(), &[&wait[..], &["--JobId", &job]].concat()).await;
    assert_eq!(stdout_json(&out)["JobStatus"], 2);
    // Not a terminal: one line per change of state, in the order the states came.
    let stderr = text(&out.stderr);
    let states: Vec<&str> = stderr.lines().filter_map(|l| l.strip_prefix("wait: state ")).collect();
    assert_eq!(states.last(), Some(&"2"), "{stderr}");
    assert!(states.windows(2).all(|w| w[0] < w[1]), "{stderr}");

    // CBR reports a percentage.
    let show = ["huawei", "cbr", "ShowOpLog", "--operation_log_id", "4827f2da-b008-4507-ab7d-42d0df5ed912"];
    let out = run_with(env.clone(), &[&wait[..5], &show].concat()).await;
    assert_eq!(stdout_json(&out)["operation_log"]["status"], "success");
    assert!(text(&out.stderr).contains("wait: state success 100%"), "{}", text(&out.stderr));

    // A failed task: its last response on stdout, the failure on stderr.
    sim.set_outcome("DeliveryHistoryJob", TaskOutcome::Fail).expect("declared resource");
    let job = stdout_json(&run_with(env.clone(), &[&create[..], &["trail-name"]].concat()).await)["JobId"].to_string();
    let out = run_with(env.clone(), &[&wait[..], &["--JobId", &job]].concat()).await;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(serde_json::from_slice::<Value>(&out.stdout).expect("last response")["JobStatus"], 3);
    assert!(text(&out.stderr).ends_with("error: the task failed (state 3)\n"), "{}", text(&out.stderr));

    // Only operations with a waiter can be waited for.
    let out = run(&["wait", "alibaba", "actiontrail", "CreateDeliveryHistoryJob"]);
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn null_and_absent_members_are_both_left_out_at_every_depth() {
    let server = MockServer::start().await;
    let log = json!({
        "transferTaskId": "CDaRPdvKUfZrAhzTaYs", "destinationType": "OBS", "startTime": 1, "endTime": 2,
        "transferBytes": 3, "transferRecordsNum": 4, "streamId": "s", "projectId": "p",
        "transferFileName": "f", "state": null,
    });
    let body = json!({
        "errorCode": -1, "totalNum": 1, "message": null,
        "streamData": {"keep": 1, "gone": null, "deeper": {"gone": null, "list": [null, {"gone": null, "x": 2}]}},
        "transferTaskLogList": [log],
    });
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(&server).await;
    let env = vec![("HUAWEICLOUD_SDK_AK", "ak".to_owned()), ("HUAWEICLOUD_SDK_SK", "sk".to_owned())];
    let show = ["huawei", "dis", "ShowTransferTaskLog", "--task_id", "CDaRPdvKUfZrAhzTaYs"];
    let out = run_with(env.clone(), &[&["--endpoint", &server.uri()][..], &show].concat()).await;
    let json = stdout_json(&out);
    // `message` came as null, `isStreamFound` not at all (typed, optional); `state` came as null
    // and `num` not at all inside an item; raw JSON keeps only its members with a value.
    assert_eq!(json.get("message"), None, "{json}");
    assert_eq!(json.get("isStreamFound"), None, "{json}");
    assert_eq!(json["streamData"], json!({"keep": 1, "deeper": {"list": [null, {"x": 2}]}}));
    let item = &json["transferTaskLogList"][0];
    assert_eq!((item.get("state"), item.get("num"), &item["streamId"]), (None, None, &json!("s")), "{json}");

    // The same with --all, one item per line.
    let out = run_with(env, &[&["--endpoint", &server.uri()][..], &show, &["--all"]].concat()).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let line: Value = serde_json::from_slice(&out.stdout).expect("one item");
    assert_eq!((line.get("state"), line.get("num")), (None, None), "{line}");
}
