//! The loopback HTTP/1.1 server both clients call: keep-alive, one thread per connection, every
//! request answered with one canned body per service.
//!
//! For the timed rounds it runs in a child process (this same binary, started with
//! [`SERVE_ENV`] set), so the CPU time the benchmark reads for itself is the client's alone. For
//! the check that both clients send the same request it runs in-process and records what it saw.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

/// Set in the environment of the child process that serves.
pub const SERVE_ENV: &str = "CALLS_BENCH_SERVE";

/// The services the benchmark calls, each answered with its own body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    /// Alibaba ActionTrail `GetDeliveryHistoryJob`.
    ActionTrail,
    /// Huawei DIS `ShowTransferTaskLog`.
    Dis,
    /// Tencent CLS (legacy API) `ListShippingTasks`.
    Cls,
    /// Tencent CLS API 3.0 `DescribeShipperTasks`.
    Cls3,
}

/// Every service, in the order the child prints its ports.
pub const SERVICES: [Service; 4] = [Service::ActionTrail, Service::Dis, Service::Cls, Service::Cls3];

/// What the server saw of one request: method, path, query keys (sorted), header names
/// (lowercase, sorted) and body. Values that change per request (times, nonces, signatures)
/// are left out.
pub type Seen = (String, String, Vec<String>, Vec<String>, Vec<u8>);

/// Records requests while it holds `Some`.
pub type Capture = Arc<Mutex<Option<Vec<Seen>>>>;

/// Starts an in-process server answering every request with `service`'s body.
pub fn serve(service: Service, capture: Capture) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let addr = listener.local_addr().expect("bound");
    accept(listener, response(service), capture);
    addr
}

/// Starts the child process serving every service; returns it and one address per service, in
/// the order of [`SERVICES`]. The child exits when its standard input closes.
pub fn spawn_child() -> (Child, Vec<SocketAddr>) {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let mut child = Command::new(exe)
        .env(SERVE_ENV, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server process starts");
    let stdout = child.stdout.take().expect("piped");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("the server prints its ports");
    let addrs = line.split_whitespace().map(|a| a.parse().expect("an address")).collect::<Vec<_>>();
    assert_eq!(addrs.len(), SERVICES.len(), "one port per service: {line}");
    (child, addrs)
}

/// The child's main: serves every service, prints the addresses on one line, and exits when
/// standard input reaches its end (the parent ended or closed it).
pub fn run_child() {
    let mut addrs = Vec::new();
    for service in SERVICES {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        addrs.push(listener.local_addr().expect("bound").to_string());
        accept(listener, response(service), Arc::new(Mutex::new(None)));
    }
    println!("{}", addrs.join(" "));
    std::io::stdout().flush().expect("stdout");
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
}

fn accept(listener: TcpListener, response: Arc<[u8]>, capture: Capture) {
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (response, capture) = (response.clone(), capture.clone());
            std::thread::spawn(move || {
                // A connection ends when the client closes it or sends something unexpected.
                let _ = connection(stream, &response, &capture);
            });
        }
    });
}

/// The whole HTTP response for `service`.
fn response(service: Service) -> Arc<[u8]> {
    let body = body(service);
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nX-Request-Id: bench\r\n\
         x-acs-request-id: bench\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
    .into()
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
            seen.push(parse_request_line(&request_line, names, body.clone()));
        }
        writer.write_all(response)?;
    }
}

fn parse_request_line(line: &str, names: Vec<String>, body: Vec<u8>) -> Seen {
    let mut parts = line.split(' ');
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut keys: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split('=').next().unwrap_or_default().to_owned())
        .collect();
    keys.sort();
    (method, path.to_owned(), keys, names, body)
}

/// The canned success body of `service`: lists of ten items, values in the documented shapes.
pub fn body(service: Service) -> String {
    match service {
        Service::ActionTrail => {
            let regions: Vec<String> = ["cn-hangzhou", "cn-shanghai", "cn-beijing"]
                .iter()
                .map(|r| format!(r#"{{"Region":"{r}","Status":2}}"#))
                .collect();
            format!(
                r#"{{"CreatedTime":"2021-05-27T07:15:03Z","EndTime":"2021-05-27T07:20:03Z","HomeRegion":"cn-hangzhou","JobId":16602,"JobStatus":2,"RequestId":"FAFEC427-A00D-5653-B837-D0FA52220D8C","StartTime":"2021-02-26T07:15:03Z","Status":[{}],"TrailName":"trail-name","UpdatedTime":"2021-05-27T07:28:47Z"}}"#,
                regions.join(",")
            )
        }
        Service::Dis => {
            let logs: Vec<String> = (0..10)
                .map(|i| {
                    format!(
                        r#"{{"transferTaskId":"{task}","state":0,"destinationType":"OBS","startTime":{},"endTime":{},"transferBytes":30718683,"transferRecordsNum":32943,"transformRecordsNum":0,"streamId":"hFKqKEhCZgNayyIS8Zv","projectId":"575ae927fc644f22b5c5af5209b7cf51","transferFileName":"{task}.disMonitorTest.0.1756539753290","num":{i}}}"#,
                        1_756_539_753_280_i64 + i * 60_000,
                        1_756_540_056_070_i64 + i * 60_000,
                        task = super::TASK_ID,
                    )
                })
                .collect();
            format!(
                r#"{{"errorCode":-1,"totalNum":10,"message":null,"isStreamFound":null,"streamData":null,"streamDataList":null,"transferTaskList":null,"monitorData":null,"transferTaskLogList":[{}]}}"#,
                logs.join(",")
            )
        }
        Service::Cls => {
            let tasks: Vec<String> = (0..10)
                .map(|i| {
                    format!(
                        r#"{{"task_id":"task-{i}","shipper_id":"{shipper}","topic_id":"5b158596-d0ad-4da5-af92-4fac4cd662c4","range_start":"2017-10-17 10:{i:02}:00","range_end":"2017-10-17 10:{i:02}:59","start_time":"2017-10-17 11:{i:02}:10","end_time":"2017-10-17 11:{i:02}:40","status":"success","message":"success"}}"#,
                        shipper = super::SHIPPER_ID,
                    )
                })
                .collect();
            format!(r#"{{"tasks":[{}]}}"#, tasks.join(","))
        }
        Service::Cls3 => {
            let tasks: Vec<String> = (0..10_i64)
                .map(|i| {
                    format!(
                        r#"{{"TaskId":"task-{i}","ShipperId":"{shipper}","TopicId":"5b158596-d0ad-4da5-af92-4fac4cd662c4","RangeStart":{},"RangeEnd":{},"StartTime":{},"EndTime":{},"Status":"success","Message":"success"}}"#,
                        1_753_764_300_000_i64 + i * 300_000,
                        1_753_764_600_000_i64 + i * 300_000,
                        1_753_766_424_000_i64 + i * 300_000,
                        1_753_766_454_000_i64 + i * 300_000,
                        shipper = super::SHIPPER_ID,
                    )
                })
                .collect();
            format!(
                r#"{{"Response":{{"Tasks":[{}],"RequestId":"6ef60bec-0242-43af-bb20-270359fb54a7"}}}}"#,
                tasks.join(",")
            )
        }
    }
}
