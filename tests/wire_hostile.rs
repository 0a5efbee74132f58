//! Answers a hostile or broken server can give, against the real client: bodies larger than the
//! configured limit (refused while streaming, never buffered whole), bodies that break after the
//! status line and headers arrived (the error keeps the status and the request id), and huge
//! values inside errors (every error text keeps a short, marked excerpt).

mod common;

use std::time::Duration;

use cloud_task_apis::huawei::cbr::{self, show_op_log};
use cloud_task_apis::value::{LocalDateTime, Timestamp};
use cloud_task_apis::{Config, ConfigError, Credentials, RequestErrorKind, RetryPolicy};
use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

const IAM_TOKEN: &str = "MIIhuawei-iam-token-hostile-4c2a";
const MIB: usize = 1024 * 1024;

/// How a raw server finishes its answer after the status line and headers.
#[derive(Clone, Copy, Debug)]
enum Ending {
    /// Sends part of a `Content-Length` body, then closes the connection.
    ShortBody,
    /// Sends part of the body, then resets the connection.
    Reset,
    /// Sends part of the body, then keeps the connection open and silent.
    Stall,
    /// Streams a chunked body that never ends.
    Endless,
    /// Sends the documented success body chunked, in pieces with a pause between them.
    Pieces,
}

/// A one-purpose HTTP/1.1 server: reads a request head, answers `200` with `X-Request-Id:
/// RID-broken` and ends as `ending` says. Returns its address.
async fn raw_server(ending: Ending) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else { return };
            tokio::spawn(answer(socket, ending));
        }
    });
    format!("http://{address}")
}

async fn answer(mut socket: TcpStream, ending: Ending) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let body_start = b"{\"operation_log\": {\"id\": \"";
    match ending {
        Ending::Endless => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-Id: RID-broken\r\n\
                        Transfer-Encoding: chunked\r\n\r\n";
            if socket.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, " ".repeat(64 * 1024));
            while socket.write_all(chunk.as_bytes()).await.is_ok() {}
        }
        Ending::Pieces => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-Id: RID-pieces\r\n\
                        Transfer-Encoding: chunked\r\n\r\n";
            let _ = socket.write_all(head.as_bytes()).await;
            let body = example("huawei", "cbr", "ShowOpLog", "success");
            for piece in body.as_bytes().chunks(body.len() / 3 + 1) {
                let _ = socket.write_all(format!("{:x}\r\n", piece.len()).as_bytes()).await;
                let _ = socket.write_all(piece).await;
                let _ = socket.write_all(b"\r\n").await;
                let _ = socket.flush().await;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            let _ = socket.write_all(b"0\r\n\r\n").await;
            let _ = socket.flush().await;
        }
        _ => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-Id: RID-broken\r\n\
                        Content-Length: 1000\r\n\r\n";
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(body_start).await;
            let _ = socket.flush().await;
            match ending {
                Ending::Reset => {
                    let _ = socket.set_zero_linger();
                    drop(socket);
                }
                Ending::Stall => {
                    tokio::time::sleep(Duration::from_secs(3600)).await;
                }
                _ => drop(socket),
            }
        }
    }
}

fn config(endpoint: &str) -> Config {
    Config::new("cn-north-4")
        .endpoint(endpoint)
        .allow_http(true)
        .credentials(Credentials::huawei_token(IAM_TOKEN))
        .project_id("project-hostile")
        .retry(RetryPolicy::none())
}

async fn show(config: Config) -> show_op_log::Error {
    cbr::Client::new(config)
        .expect("config")
        .show_op_log()
        .operation_log_id("op-1")
        .send()
        .await
        .expect_err("a broken answer")
}

// ---------------------------------------------------------------------------------------------
// Bodies that break after the head arrived
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_broken_body_keeps_the_status_and_request_id() {
    for (ending, kind) in [
        (Ending::ShortBody, RequestErrorKind::Transport),
        (Ending::Reset, RequestErrorKind::Transport),
        (Ending::Stall, RequestErrorKind::Timeout),
    ] {
        let endpoint = raw_server(ending).await;
        // The stall ends by the timeout alone, however slow the machine: the server never finishes.
        let error = show(config(&endpoint).timeout(Duration::from_millis(1500))).await;
        let shown = error.to_string();
        let request = error.request_error().unwrap_or_else(|| panic!("{ending:?}: a request error, got {shown}"));
        assert_eq!(request.kind(), kind, "{ending:?}: {shown}");
        assert_eq!(request.status(), Some(200), "{ending:?}: {shown}");
        assert_eq!(request.request_id(), Some("RID-broken"), "{ending:?}: {shown}");
        assert_eq!(error.request_id(), Some("RID-broken"));
        assert!(shown.contains("HTTP 200") && shown.contains("RID-broken"), "{ending:?}: {shown}");
        assert!(shown.contains("body"), "says the body broke: {shown}");
        assert_one_line(&shown);
    }
}

// ---------------------------------------------------------------------------------------------
// Response size limit
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_endless_body_stops_at_the_configured_limit() {
    let endpoint = raw_server(Ending::Endless).await;
    let error = show(config(&endpoint).max_response_bytes(256 * 1024)).await;
    let shown = error.to_string();
    let request = error.request_error().unwrap_or_else(|| panic!("a request error, got {shown}"));
    assert_eq!(request.kind(), RequestErrorKind::ResponseTooLarge, "{shown}");
    assert_eq!((request.status(), request.request_id()), (Some(200), Some("RID-broken")), "{shown}");
    assert!(shown.contains("262144 bytes"), "names the limit: {shown}");
    assert!(shown.contains("Config::max_response_bytes"), "says how to raise it: {shown}");
}

#[tokio::test]
async fn a_body_without_a_length_arriving_in_pieces_is_read_whole() {
    let endpoint = raw_server(Ending::Pieces).await;
    let log = cbr::Client::new(config(&endpoint))
        .expect("config")
        .show_op_log()
        .operation_log_id("op-1")
        .send()
        .await
        .expect("the whole body decodes");
    assert_eq!((log.meta.status(), log.meta.request_id()), (200, Some("RID-pieces")));
}

#[tokio::test]
async fn the_default_limit_refuses_a_larger_body_by_length_or_by_stream() {
    // 17 MiB of valid JSON: without a limit it would decode (and be buffered whole).
    let body = format!("{}{}", " ".repeat(17 * MIB), example("huawei", "cbr", "ShowOpLog", "success"));
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(json(200, &body)).mount(&server).await;
    let error = show(config(&server.uri())).await;
    let shown = error.to_string();
    let request = error.request_error().unwrap_or_else(|| panic!("a request error, got {shown}"));
    assert_eq!(request.kind(), RequestErrorKind::ResponseTooLarge, "{shown}");
    assert!(shown.contains("16777216 bytes"), "the default limit is 16 MiB: {shown}");
    // A limit above the body lets it through.
    let log = cbr::Client::new(config(&server.uri()).max_response_bytes(32 * MIB as u64))
        .expect("config")
        .show_op_log()
        .operation_log_id("op-1")
        .send()
        .await
        .expect("within the raised limit");
    assert_eq!(log.meta.status(), 200);
}

// ---------------------------------------------------------------------------------------------
// Bounded error texts
// ---------------------------------------------------------------------------------------------

fn assert_bounded(what: &str, text: &str) {
    assert!(text.len() < 2_000, "{what}: {} bytes: {}…", text.len(), &text[..300]);
}

#[tokio::test]
async fn a_huge_provider_message_and_code_are_excerpted() {
    // 12 MiB in all, under the default size limit.
    let (huge, long) = ("m".repeat(8 * MIB), "c".repeat(2 * MIB));
    let body = format!(r#"{{"error_code":"{long}","error_msg":"{huge}","request_id":"{long}"}}"#);
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(json(404, &body)).mount(&server).await;
    let error = show(config(&server.uri())).await;
    let service = error.service_error().expect("a provider error");
    assert_bounded("display", &error.to_string());
    assert_bounded("debug", &format!("{error:?}"));
    assert!(error.to_string().contains(&format!("({} bytes)", 8 * MIB)), "marked: {error}");
    assert!(service.message().len() < 1_000 && service.code().len() < 1_000);
    assert!(service.request_id().is_some_and(|id| id.len() < 1_000));
}

#[tokio::test]
async fn a_huge_invalid_time_value_is_excerpted() {
    let huge = "9".repeat(8 * MIB);
    let mut body: serde_json::Value =
        serde_json::from_str(&example("huawei", "cbr", "ShowOpLog", "success")).expect("example");
    body["operation_log"]["created_at"] = serde_json::Value::String(huge.clone());
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(json(200, &body.to_string())).mount(&server).await;
    let error = show(config(&server.uri())).await;
    assert_eq!(
        error.request_error().map(cloud_task_apis::RequestError::kind),
        Some(RequestErrorKind::UnexpectedResponse)
    );
    assert_bounded("display", &error.to_string());
    assert_bounded("debug", &format!("{error:?}"));

    let parse = huge.parse::<Timestamp>().expect_err("not a time");
    assert_bounded("parse display", &parse.to_string());
    assert_bounded("parse debug", &format!("{parse:?}"));
    assert!(parse.to_string().contains(&format!("({} bytes)", 8 * MIB)), "marked");
    let parse = huge.parse::<LocalDateTime<28800>>().expect_err("not a time");
    assert_bounded("local parse display", &parse.to_string());
}

#[test]
fn a_huge_setting_is_excerpted() {
    let region = format!("{}/", "r".repeat(8 * MIB));
    let error = cbr::Client::new(Config::new(region).credentials(Credentials::huawei_token(IAM_TOKEN)))
        .expect_err("an invalid region");
    assert!(matches!(error, ConfigError::InvalidRegion(_)), "{error:?}");
    assert_bounded("display", &error.to_string());
    assert_bounded("debug", &format!("{error:?}"));
    let endpoint = format!("https://{}/", "e/".repeat(4 * MIB));
    let error = cbr::Client::new(
        Config::new("cn-north-4").endpoint(endpoint).credentials(Credentials::huawei_token(IAM_TOKEN)),
    )
    .expect_err("an invalid endpoint");
    assert!(matches!(error, ConfigError::InvalidEndpoint(_)), "{error:?}");
    assert_bounded("display", &error.to_string());
    assert_bounded("debug", &format!("{error:?}"));
}
