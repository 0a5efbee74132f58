//! CPU time per call, latency and throughput of the generated clients against a hand-written
//! reqwest + serde_json client, for every provider's path: Alibaba ACS3 and RPC V1, Huawei AK/SK
//! and IAM token, Tencent q-sign (legacy CLS) and TC3 (API 3.0). Sequential, and with 32 and 64
//! calls in flight.
//!
//! The hand-written client (`hand.rs`) signs with the crate's own public signers and decodes
//! into serde structs of the same shape, so the comparison isolates the pipeline: builder,
//! validation, request writer, tracing span, retry loop, error classification and typed
//! decoding. The server (`server.rs`) runs in a child process on loopback HTTP/1.1 with
//! keep-alive, so the CPU time read here (`cpu.rs`) is the clients' own.
//!
//! Before timing, each path's two clients call an in-process server that records what it
//! receives, and must send the same method, path, query keys, header names and body.
//!
//! `CALLS_BENCH_PATHS=acs3,tc3` limits the paths (names as in the output); `CALLS_BENCH_ROUNDS`
//! sets the rounds (default 201: a row's ratio then moves by about ±5% from run to run, against
//! ±10% with 21; 0 only checks the requests); `CALLS_BENCH_PROFILE=<path>` (or `hand:<path>`) only makes
//! rounds of that path's generated (hand-written) client, 32 tasks of 40 calls (or
//! `CALLS_BENCH_PROFILE_TASKS` tasks; 1 makes a round of 2,000 sequential calls), for `perf` or
//! `valgrind`; with
//! `CALLS_BENCH_SERVER` holding the addresses a separate `CALLS_BENCH_SERVE=1` process printed,
//! the client process is measured alone. `CALLS_BENCH_TOKEN_BYTES=6000` gives the token path a
//! token of that length instead of 25 bytes.

mod cpu;
mod hand;
mod server;

#[path = "../common/mod.rs"]
mod common;

use std::net::SocketAddr;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use cloud_task_apis::alibaba::actiontrail;
use cloud_task_apis::huawei::dis::{self, show_transfer_task_log as log_op};
use cloud_task_apis::tencent::{cls, cls3};
use cloud_task_apis::{Config, Credentials, Signing};
use common::{alternate, median, met, row, time};
use server::Service;

const TASK_ID: &str = "CDaRPdvKUfZrAhzTaYs";
const SHIPPER_ID: &str = "53d355bc-9814-43b4-b10a-4be50405095f";
const ACTION_TRAIL_JOB: i64 = 16602;
const KEY_ID: &str = "bench-key-id-0123456789";
const SECRET: &str = "bench-secret-0123456789abcdef";
/// The IAM token both clients send: 25 bytes, or `CALLS_BENCH_TOKEN_BYTES` bytes (a real token
/// is several kilobytes).
static TOKEN: LazyLock<String> = LazyLock::new(|| {
    let short = "MIIbench-iam-token-5e7f01";
    match std::env::var("CALLS_BENCH_TOKEN_BYTES").ok().and_then(|n| n.parse::<usize>().ok()) {
        Some(bytes) => short.chars().cycle().take(bytes).collect(),
        None => short.to_owned(),
    }
});
const REGION_TENCENT: &str = "ap-guangzhou";
const USER_AGENT: &str = concat!("cloud-task-apis/", env!("CARGO_PKG_VERSION"));
const SEQUENTIAL_CALLS: usize = 2000;
const CALLS_PER_TASK: usize = 40;

/// One provider path: an operation, a signer, and the service that answers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Path {
    Acs3,
    Rpc,
    HuaweiAkSk,
    HuaweiToken,
    TencentQSign,
    Tc3,
}

const PATHS: [Path; 6] = [Path::Acs3, Path::Rpc, Path::HuaweiAkSk, Path::HuaweiToken, Path::TencentQSign, Path::Tc3];

impl Path {
    fn name(self) -> &'static str {
        match self {
            Self::Acs3 => "acs3",
            Self::Rpc => "rpc",
            Self::HuaweiAkSk => "huawei-aksk",
            Self::HuaweiToken => "huawei-token",
            Self::TencentQSign => "tencent-qsign",
            Self::Tc3 => "tc3",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Self::Acs3 => "Alibaba ACS3, ActionTrail GetDeliveryHistoryJob",
            Self::Rpc => "Alibaba RPC V1, ActionTrail GetDeliveryHistoryJob",
            Self::HuaweiAkSk => "Huawei AK/SK, DIS ShowTransferTaskLog",
            Self::HuaweiToken => "Huawei IAM token, DIS ShowTransferTaskLog",
            Self::TencentQSign => "Tencent q-sign, CLS ListShippingTasks",
            Self::Tc3 => "Tencent TC3, CLS API 3.0 DescribeShipperTasks",
        }
    }

    fn service(self) -> Service {
        match self {
            Self::Acs3 | Self::Rpc => Service::ActionTrail,
            Self::HuaweiAkSk | Self::HuaweiToken => Service::Dis,
            Self::TencentQSign => Service::Cls,
            Self::Tc3 => Service::Cls3,
        }
    }
}

/// Both clients of every path, pointed at one address per service.
struct Clients {
    acs3: actiontrail::Client,
    rpc: actiontrail::Client,
    aksk: dis::Client,
    token: dis::Client,
    qsign: cls::Client,
    tc3: cls3::Client,
    hand: hand::Client,
    hosts: Vec<String>,
}

fn config(region: &str, addr: SocketAddr, credentials: Credentials) -> Config {
    Config::new(region)
        .endpoint(format!("http://{addr}"))
        .allow_http(true)
        .credentials(credentials)
        .timeout(Duration::from_secs(60))
}

impl Clients {
    fn new(addrs: &[SocketAddr]) -> Self {
        let addr = |service: Service| addrs[server::SERVICES.iter().position(|s| *s == service).expect("a service")];
        let (trail, dis_addr, cls_addr, cls3_addr) =
            (addr(Service::ActionTrail), addr(Service::Dis), addr(Service::Cls), addr(Service::Cls3));
        let alibaba = || Credentials::alibaba(KEY_ID, SECRET);
        let tencent = || Credentials::tencent(KEY_ID, SECRET);
        Self {
            acs3: actiontrail::Client::new(config("cn-hangzhou", trail, alibaba()).signing(Signing::Acs3HmacSha256))
                .expect("a client"),
            rpc: actiontrail::Client::new(config("cn-hangzhou", trail, alibaba()).signing(Signing::RpcHmacSha1))
                .expect("a client"),
            aksk: dis::Client::new(config("cn-north-4", dis_addr, Credentials::huawei(KEY_ID, SECRET)))
                .expect("a client"),
            token: dis::Client::new(config("cn-north-4", dis_addr, Credentials::huawei_token(TOKEN.as_str())))
                .expect("a client"),
            qsign: cls::Client::new(config(REGION_TENCENT, cls_addr, tencent())).expect("a client"),
            tc3: cls3::Client::new(config(REGION_TENCENT, cls3_addr, tencent())).expect("a client"),
            hand: hand::Client::new(),
            hosts: server::SERVICES.iter().map(|s| addr(*s).to_string()).collect(),
        }
    }

    fn host(&self, path: Path) -> &str {
        &self.hosts[server::SERVICES.iter().position(|s| *s == path.service()).expect("a service")]
    }

    /// One call of `path` by the generated client; panics unless it succeeds with every item.
    async fn generated(&self, path: Path) {
        match path {
            Path::Acs3 | Path::Rpc => {
                let client = if path == Path::Acs3 { &self.acs3 } else { &self.rpc };
                let job = client.get_delivery_history_job().job_id(ACTION_TRAIL_JOB).send().await.expect("a job");
                assert_eq!(job.status.map_or(0, |s| s.len()), 3);
            }
            Path::HuaweiAkSk | Path::HuaweiToken => {
                let client = if path == Path::HuaweiAkSk { &self.aksk } else { &self.token };
                let logs = client
                    .show_transfer_task_log()
                    .task_id(TASK_ID)
                    .order(log_op::SortOrder::Desc)
                    .sort_by(log_op::SortBy::CreateTimeStr)
                    .page_info(log_op::PageInfo { page_index: 1, page_total: 10 })
                    .send()
                    .await
                    .expect("logs");
                assert_eq!(logs.transfer_task_log_list.map_or(0, |l| l.len()), 10);
            }
            Path::TencentQSign => {
                let at = |s: &str| s.parse::<cloud_task_apis::value::LocalDateTime<28800>>().expect("a local time");
                let tasks = self
                    .qsign
                    .list_shipping_tasks()
                    .shipper_id(SHIPPER_ID)
                    .start_time(at("2017-10-10 00:00:00"))
                    .end_time(at("2017-10-10 23:59:59"))
                    .send()
                    .await
                    .expect("tasks");
                assert_eq!(tasks.tasks.len(), 10);
            }
            Path::Tc3 => {
                let tasks = self
                    .tc3
                    .describe_shipper_tasks()
                    .shipper_id(SHIPPER_ID)
                    .start_time(1_753_766_424_000)
                    .end_time(1_753_780_282_000)
                    .send()
                    .await
                    .expect("tasks");
                assert_eq!(tasks.tasks.map_or(0, |t| t.len()), 10);
            }
        }
    }

    /// One call of `path` by the hand-written client; panics unless it succeeds with every item.
    async fn hand(&self, path: Path) {
        let host = self.host(path);
        let items = match path {
            Path::Acs3 => self.hand.acs3(host).await.map(|j| j.status.map_or(0, |s| s.len())),
            Path::Rpc => self.hand.rpc(host).await.map(|j| j.status.map_or(0, |s| s.len())),
            Path::HuaweiAkSk => {
                self.hand.huawei_aksk(host).await.map(|l| l.transfer_task_log_list.map_or(0, |l| l.len()))
            }
            Path::HuaweiToken => {
                self.hand.huawei_token(host).await.map(|l| l.transfer_task_log_list.map_or(0, |l| l.len()))
            }
            Path::TencentQSign => self.hand.tencent_qsign(host).await.map(|t| t.tasks.len()),
            Path::Tc3 => self.hand.tc3(host).await.map(|t| t.tasks.map_or(0, |t| t.len())),
        }
        .expect("the hand-written call succeeds");
        assert_eq!(items, if path.service() == Service::ActionTrail { 3 } else { 10 });
    }

    async fn call(&self, path: Path, generated: bool) {
        if generated { self.generated(path).await } else { self.hand(path).await }
    }
}

/// One round's result: median seconds per call, calls per second, CPU seconds per call.
#[derive(Clone, Copy)]
struct Round {
    latency: f64,
    rate: f64,
    cpu: f64,
}

/// Runs `calls` in `tasks` concurrent tasks (one task: sequential) and measures the round.
#[allow(clippy::cast_precision_loss, reason = "call counts are small")]
fn round(rt: &tokio::runtime::Runtime, clients: &Arc<Clients>, path: Path, generated: bool, tasks: usize) -> Round {
    let calls_per_task = if tasks == 1 { SEQUENTIAL_CALLS } else { CALLS_PER_TASK };
    let cpu_before = cpu::process_nanos().unwrap_or(0);
    let started = Instant::now();
    let latencies = rt.block_on(async {
        let handles: Vec<_> = (0..tasks)
            .map(|_| {
                let clients = clients.clone();
                tokio::spawn(async move {
                    let mut latencies = Vec::with_capacity(calls_per_task);
                    for _ in 0..calls_per_task {
                        let t = Instant::now();
                        clients.call(path, generated).await;
                        latencies.push(t.elapsed().as_secs_f64());
                    }
                    latencies
                })
            })
            .collect();
        let mut all = Vec::with_capacity(tasks * calls_per_task);
        for handle in handles {
            all.extend(handle.await.expect("a call task"));
        }
        all
    });
    let elapsed = started.elapsed().as_secs_f64();
    let cpu = cpu::process_nanos().unwrap_or(0).saturating_sub(cpu_before) as f64 * 1e-9;
    let calls = latencies.len() as f64;
    Round { latency: median(&latencies), rate: calls / elapsed, cpu: cpu / calls }
}

fn report(path: Path, mode: &str, generated: &[Round], hand: &[Round]) {
    let pick = |rs: &[Round], f: fn(&Round) -> f64| median(&rs.iter().map(f).collect::<Vec<_>>());
    let (gc, hc) = (pick(generated, |r| r.cpu), pick(hand, |r| r.cpu));
    let (gr, hr) = (pick(generated, |r| r.rate), pick(hand, |r| r.rate));
    let (gl, hl) = (pick(generated, |r| r.latency), pick(hand, |r| r.latency));
    println!(
        "{:<14} {mode:<14} cpu/call {} vs {} ({:.3}); calls/s {gr:.0} vs {hr:.0} ({:.3}); median latency {} vs {} ({:.3})",
        path.name(),
        time(gc),
        time(hc),
        gc / hc,
        gr / hr,
        time(gl),
        time(hl),
        gl / hl
    );
    row(&[
        "calls",
        &format!("{}, {mode}: client CPU per call; throughput", path.title()),
        &format!("{}; {gr:.0} calls/s", time(gc)),
        &format!("hand-written, same signer: {}; {hr:.0} calls/s", time(hc)),
        &format!("{:.3}; {:.3}", gc / hc, gr / hr),
        "≤ 1.05; ≥ 0.95",
        met(gc / hc <= 1.05 && gr / hr >= 0.95),
    ]);
}

/// Both clients of every path must send the same request (values that change per call aside).
fn check_requests(rt: &tokio::runtime::Runtime, paths: &[Path]) {
    let capture: server::Capture = Arc::new(Mutex::new(Some(Vec::new())));
    let addrs: Vec<SocketAddr> = server::SERVICES.iter().map(|s| server::serve(*s, capture.clone())).collect();
    let clients = Clients::new(&addrs);
    for path in paths {
        rt.block_on(clients.generated(*path));
        rt.block_on(clients.hand(*path));
        let seen = capture.lock().expect("capture").as_mut().map(std::mem::take).unwrap_or_default();
        assert_eq!(seen.len(), 2, "one request from each client");
        assert_eq!(seen[0], seen[1], "{}: the two clients send the same request", path.name());
        println!(
            "{:<14} {} {} query {:?} headers {:?}, {}-byte body; answer {} bytes",
            path.name(),
            seen[0].0,
            seen[0].1,
            seen[0].2,
            seen[0].3,
            seen[0].4.len(),
            server::body(path.service()).len()
        );
    }
}

fn main() {
    if std::env::var_os(server::SERVE_ENV).is_some() {
        server::run_child();
        return;
    }
    let chosen = std::env::var("CALLS_BENCH_PATHS").ok();
    let paths: Vec<Path> =
        PATHS.into_iter().filter(|p| chosen.as_deref().is_none_or(|c| c.split(',').any(|n| n == p.name()))).collect();
    let rounds: usize = std::env::var("CALLS_BENCH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(201);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    if std::env::var_os("CALLS_BENCH_PROFILE").is_none() {
        check_requests(&rt, &paths);
    }

    // A server already running elsewhere (`CALLS_BENCH_SERVE=1` prints its addresses), so that
    // `perf stat` of this process counts the client alone; otherwise a child process.
    let (mut child, addrs) = match std::env::var("CALLS_BENCH_SERVER") {
        Ok(list) => (None, list.split_whitespace().map(|a| a.parse().expect("an address")).collect()),
        Err(_) => {
            let (child, addrs) = server::spawn_child();
            (Some(child), addrs)
        }
    };
    let clients = Arc::new(Clients::new(&addrs));
    if let Ok(name) = std::env::var("CALLS_BENCH_PROFILE") {
        // `hand:<path>` calls the hand-written client instead.
        let (generated, name) = name.strip_prefix("hand:").map_or((true, name.as_str()), |n| (false, n));
        let path = PATHS.into_iter().find(|p| p.name() == name).expect("a path name");
        let tasks = std::env::var("CALLS_BENCH_PROFILE_TASKS")
            .ok()
            .and_then(|t| t.parse().ok())
            .filter(|&t| t > 0)
            .unwrap_or(32);
        for _ in 0..rounds {
            round(&rt, &clients, path, generated, tasks);
        }
    } else if rounds > 0 {
        for path in paths {
            for (tasks, mode) in [(1, "sequential"), (32, "32 concurrent"), (64, "64 concurrent")] {
                // One warm-up round each, then alternating rounds (ABBA).
                let (g, h) = alternate(
                    rounds + 1,
                    || round(&rt, &clients, path, true, tasks),
                    || round(&rt, &clients, path, false, tasks),
                );
                report(path, mode, &g[1..], &h[1..]);
            }
        }
    }
    if let Some(child) = &mut child {
        drop(child.stdin.take());
        let _ = child.wait();
    }
}
