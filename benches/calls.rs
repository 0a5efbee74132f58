//! Per-call latency and throughput of a generated client against a loopback HTTP/1.1 server,
//! sequential and with 64 calls in flight, against a plain hand-written reqwest + serde_json
//! client making the same request in the same process and the same rounds.
//!
//! The call is DIS `ShowTransferTaskLog` (a POST with a JSON body, answered by a canned
//! 10-log JSON body) with IAM-token credentials, so no signature is computed on either side:
//! what remains is the generated pipeline (builder, validation, request writer, tracing span,
//! retry loop, error classification, typed decode) against the minimum a hand-written client
//! does (format the URL, serialise the body, send, check the status, decode). Signing is
//! measured on its own in `benches/sign.rs`.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cloud_task_apis::huawei::dis::{self, show_transfer_task_log as op};
use cloud_task_apis::{Config, Credentials};
use common::{alternate, median, met, row, time};
use serde::{Deserialize, Serialize};

const TASK_ID: &str = "CDaRPdvKUfZrAhzTaYs";
const TOKEN: &str = "MIIbench-iam-token-5e7f01";
const USER_AGENT: &str = concat!("cloud-task-apis/", env!("CARGO_PKG_VERSION"));
const ROUNDS: usize = 21;
const SEQUENTIAL_CALLS: usize = 400;
const CONCURRENCY: usize = 64;
const CALLS_PER_TASK: usize = 40;

/// The canned answer: a DIS success body with 10 logs.
fn response_body() -> String {
    let logs: Vec<String> = (0..10)
        .map(|i| {
            format!(
                r#"{{"transferTaskId":"{TASK_ID}","state":0,"destinationType":"OBS","startTime":{},"endTime":{},"transferBytes":30718683,"transferRecordsNum":32943,"transformRecordsNum":0,"streamId":"hFKqKEhCZgNayyIS8Zv","projectId":"575ae927fc644f22b5c5af5209b7cf51","transferFileName":"{TASK_ID}.disMonitorTest.0.1756539753290","num":{i}}}"#,
                1_756_539_753_280_i64 + i * 60_000,
                1_756_540_056_070_i64 + i * 60_000
            )
        })
        .collect();
    format!(
        r#"{{"errorCode":-1,"totalNum":10,"message":null,"isStreamFound":null,"streamData":null,"streamDataList":null,"transferTaskList":null,"monitorData":null,"transferTaskLogList":[{}]}}"#,
        logs.join(",")
    )
}

/// What the server saw of one request: request line, header names (lowercase, sorted) and body.
type Seen = (String, Vec<String>, Vec<u8>);

/// A keep-alive HTTP/1.1 server on a loopback port, one thread per connection, answering every
/// request with `body`. When `capture` holds `Some(vec)`, requests are recorded there.
fn serve(body: String, capture: Arc<Mutex<Option<Vec<Seen>>>>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let addr = listener.local_addr().expect("bound");
    let response: Arc<[u8]> = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nX-Request-Id: bench\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
    .into();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (response, capture) = (response.clone(), capture.clone());
            std::thread::spawn(move || {
                // A connection ends when the client closes it or sends something unexpected.
                let _ = connection(stream, &response, &capture);
            });
        }
    });
    addr
}

fn connection(stream: TcpStream, response: &[u8], capture: &Mutex<Option<Vec<Seen>>>) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let mut body = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let request_line = line.trim_end().to_owned();
        let mut names = Vec::new();
        let mut length = 0;
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap_or((header, ""));
            let name = name.trim().to_ascii_lowercase();
            if name == "content-length" {
                length = value.trim().parse().unwrap_or(0);
            }
            names.push(name);
        }
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
        if let Some(seen) = capture.lock().ok().as_mut().and_then(|c| c.as_mut()) {
            names.sort();
            seen.push((request_line, names, body.clone()));
        }
        writer.write_all(response)?;
    }
}

/// The hand-written client: one reqwest client, the same headers and body, serde types of the
/// same shape.
#[allow(dead_code, reason = "responses are decoded to be timed, not read")]
mod hand {
    use super::{Deserialize, Serialize, TASK_ID, TOKEN, USER_AGENT};
    use std::time::Duration;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Request {
        pub order: &'static str,
        pub sort_by: &'static str,
        pub page_info: PageInfo,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    pub struct PageInfo {
        pub page_index: i32,
        pub page_total: i32,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Response {
        pub total_num: i32,
        pub message: Option<String>,
        pub error_code: serde_json::Value,
        pub transfer_task_log_list: Option<Vec<TransferTaskLog>>,
        pub is_stream_found: Option<serde_json::Value>,
        pub stream_data: Option<serde_json::Value>,
        pub stream_data_list: Option<serde_json::Value>,
        pub transfer_task_list: Option<serde_json::Value>,
        pub monitor_data: Option<serde_json::Value>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct TransferTaskLog {
        pub transfer_task_id: String,
        pub destination_type: String,
        pub start_time: i64,
        pub end_time: i64,
        pub transfer_bytes: i64,
        pub transfer_records_num: i64,
        pub stream_id: String,
        pub project_id: String,
        pub transfer_file_name: String,
        pub state: Option<i32>,
        pub transform_records_num: Option<i64>,
        pub num: Option<i32>,
    }

    pub struct Client {
        http: reqwest::Client,
        base: String,
    }

    /// Two things the generated pipeline does per attempt that a minimal client does not: a
    /// request-level timeout (stored in the request's extensions) and a fresh UUID nonce.
    pub async fn with_timeout_and_nonce(
        client: &Client,
        request: &Request,
    ) -> Result<Response, Box<dyn std::error::Error>> {
        let nonce = uuid::Uuid::new_v4().simple().to_string();
        let response = client
            .http
            .post(format!("{}/v1/transfertasklog/{TASK_ID}", client.base))
            .timeout(Duration::from_secs(60))
            .header("Content-Type", "application/json")
            .header("User-Agent", USER_AGENT)
            .header("X-Auth-Token", TOKEN)
            .body(serde_json::to_vec(request)?)
            .send()
            .await?;
        drop(std::hint::black_box(nonce));
        let status = response.status();
        let body = response.bytes().await?;
        if !status.is_success() {
            return Err(format!("HTTP {status}").into());
        }
        Ok(serde_json::from_slice(&body)?)
    }

    impl Client {
        pub fn new(base: String) -> Self {
            let http = reqwest::Client::builder()
                .connect_timeout(Duration::from_secs(10))
                .timeout(Duration::from_secs(60))
                .build()
                .expect("an HTTP client");
            Self { http, base }
        }

        pub async fn show_transfer_task_log(&self, request: &Request) -> Result<Response, Box<dyn std::error::Error>> {
            let response = self
                .http
                .post(format!("{}/v1/transfertasklog/{TASK_ID}", self.base))
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("X-Auth-Token", TOKEN)
                .body(serde_json::to_vec(request)?)
                .send()
                .await?;
            let status = response.status();
            let body = response.bytes().await?;
            if !status.is_success() {
                return Err(format!("HTTP {status}").into());
            }
            Ok(serde_json::from_slice(&body)?)
        }
    }

    pub fn request() -> Request {
        Request { order: "desc", sort_by: "createTimeStr", page_info: PageInfo { page_index: 1, page_total: 10 } }
    }
}

async fn generated_call(client: &dis::Client) {
    let response = client
        .show_transfer_task_log()
        .task_id(TASK_ID)
        .order(op::SortOrder::Desc)
        .sort_by(op::SortBy::CreateTimeStr)
        .page_info(op::PageInfo { page_index: 1, page_total: 10 })
        .send()
        .await
        .expect("the generated call succeeds");
    assert_eq!(response.transfer_task_log_list.map_or(0, |logs| logs.len()), 10);
}

async fn hand_call(client: &hand::Client) {
    let response = client.show_transfer_task_log(&hand::request()).await.expect("the hand-written call succeeds");
    assert_eq!(response.transfer_task_log_list.map_or(0, |logs| logs.len()), 10);
}

async fn hand_extra_call(client: &hand::Client) {
    let response =
        hand::with_timeout_and_nonce(client, &hand::request()).await.expect("the hand-written call succeeds");
    assert_eq!(response.transfer_task_log_list.map_or(0, |logs| logs.len()), 10);
}

/// One round's result: median seconds per call, and calls per second.
#[derive(Clone, Copy)]
struct Round {
    latency: f64,
    rate: f64,
}

#[allow(clippy::cast_precision_loss, reason = "call counts are small")]
fn sequential<F: Future<Output = ()>>(rt: &tokio::runtime::Runtime, call: impl Fn() -> F) -> Round {
    rt.block_on(async {
        let mut latencies = Vec::with_capacity(SEQUENTIAL_CALLS);
        let started = Instant::now();
        for _ in 0..SEQUENTIAL_CALLS {
            let t = Instant::now();
            call().await;
            latencies.push(t.elapsed().as_secs_f64());
        }
        let rate = SEQUENTIAL_CALLS as f64 / started.elapsed().as_secs_f64();
        Round { latency: median(&latencies), rate }
    })
}

#[allow(clippy::cast_precision_loss, reason = "call counts are small")]
fn concurrent<F>(rt: &tokio::runtime::Runtime, call: impl Fn() -> F + Clone + Send + 'static) -> Round
where
    F: Future<Output = ()> + Send,
{
    rt.block_on(async {
        let started = Instant::now();
        let tasks: Vec<_> = (0..CONCURRENCY)
            .map(|_| {
                let call = call.clone();
                tokio::spawn(async move {
                    let mut latencies = Vec::with_capacity(CALLS_PER_TASK);
                    for _ in 0..CALLS_PER_TASK {
                        let t = Instant::now();
                        call().await;
                        latencies.push(t.elapsed().as_secs_f64());
                    }
                    latencies
                })
            })
            .collect();
        let mut latencies = Vec::with_capacity(CONCURRENCY * CALLS_PER_TASK);
        for task in tasks {
            latencies.extend(task.await.expect("a call task"));
        }
        let rate = latencies.len() as f64 / started.elapsed().as_secs_f64();
        Round { latency: median(&latencies), rate }
    })
}

fn report(what: &str, generated: &[Round], hand: &[Round]) {
    let lat = |rs: &[Round]| median(&rs.iter().map(|r| r.latency).collect::<Vec<_>>());
    let rate = |rs: &[Round]| median(&rs.iter().map(|r| r.rate).collect::<Vec<_>>());
    let (gl, hl, gr, hr) = (lat(generated), lat(hand), rate(generated), rate(hand));
    println!(
        "{what}: latency generated {} hand-written {} ({:.3}); throughput generated {gr:.0}/s hand-written {hr:.0}/s ({:.3})",
        time(gl),
        time(hl),
        gl / hl,
        gr / hr
    );
    row(&[
        "runtime",
        &format!("{what}: median latency per call"),
        &time(gl),
        &format!("hand-written reqwest + serde_json: {}", time(hl)),
        &format!("{:.3}", gl / hl),
        "≤ 1.05",
        met(gl / hl <= 1.05),
    ]);
    row(&[
        "runtime",
        &format!("{what}: throughput"),
        &format!("{gr:.0} calls/s"),
        &format!("hand-written: {hr:.0} calls/s"),
        &format!("{:.3}", gr / hr),
        "≥ 0.95",
        met(gr / hr >= 0.95),
    ]);
}

fn main() {
    let capture = Arc::new(Mutex::new(Some(Vec::new())));
    let addr = serve(response_body(), capture.clone());
    let base = format!("http://{addr}");
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    let config = Config::new("cn-north-4")
        .endpoint(base.clone())
        .allow_http(true)
        .credentials(Credentials::huawei_token(TOKEN))
        .timeout(Duration::from_secs(60));
    let generated = dis::Client::new(config).expect("a generated client");
    let hand = Arc::new(hand::Client::new(base));

    // Both clients must send the same request: request line, header names and body.
    rt.block_on(generated_call(&generated));
    rt.block_on(hand_call(&hand));
    let seen = capture.lock().expect("capture").take().unwrap_or_default();
    assert_eq!(seen.len(), 2, "one request from each client");
    assert_eq!(seen[0], seen[1], "the two clients send the same request");
    println!(
        "request: {} with headers {:?}, {}-byte body; response {} bytes",
        seen[0].0,
        seen[0].1,
        seen[0].2.len(),
        response_body().len()
    );

    let (g, h) = alternate(
        ROUNDS + 1,
        || sequential(&rt, || generated_call(&generated)),
        || sequential(&rt, || hand_call(&hand)),
    );
    report("sequential", &g[1..], &h[1..]);

    // How much of the difference two per-attempt steps of the generated pipeline explain.
    let (x, h) =
        alternate(ROUNDS + 1, || sequential(&rt, || hand_extra_call(&hand)), || sequential(&rt, || hand_call(&hand)));
    let lat = |rs: &[Round]| median(&rs.iter().map(|r| r.latency).collect::<Vec<_>>());
    let (xl, hl) = (lat(&x[1..]), lat(&h[1..]));
    println!("sequential, hand-written plus a request-level timeout and a UUID nonce: {} vs {}", time(xl), time(hl));
    row(&[
        "runtime",
        "sequential: hand-written plus a request-level timeout and a UUID nonce per call (two steps of the generated pipeline)",
        &time(xl),
        &format!("hand-written: {}", time(hl)),
        &format!("{:.3}", xl / hl),
        "",
        "",
    ]);

    let g_client = generated.clone();
    let h_client = hand.clone();
    let (g, h) = alternate(
        ROUNDS + 1,
        || {
            let c = g_client.clone();
            concurrent(&rt, move || {
                let c = c.clone();
                async move { generated_call(&c).await }
            })
        },
        || {
            let c = h_client.clone();
            concurrent(&rt, move || {
                let c = c.clone();
                async move { hand_call(&c).await }
            })
        },
    );
    report(&format!("{CONCURRENCY} concurrent"), &g[1..], &h[1..]);
}
