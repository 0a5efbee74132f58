//! Helpers shared by the wire tests: reading what the local server received, scripted
//! responses for retry tests, and the documented examples from the specs.

#![allow(dead_code, reason = "each wire test crate uses a different subset of these helpers")]

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use cloud_task_apis::RetryPolicy;
use wiremock::{MockServer, Request, Respond, ResponseTemplate};

/// Hex SHA-256 of the empty body.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The default user agent of the crate.
pub const USER_AGENT: &str = concat!("cloud-task-apis/", env!("CARGO_PKG_VERSION"));

/// Retries with a 1-5 ms backoff, so that retry tests stay fast.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(5))
}

/// Every request the server received, in order.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is on by default")
}

/// The single value of header `name` (any case); fails when it is absent or repeated.
pub fn header<'a>(req: &'a Request, name: &str) -> &'a str {
    let values: Vec<_> = req.headers.get_all(name).iter().collect();
    assert_eq!(values.len(), 1, "header {name} sent {} times: {:?}", values.len(), req.headers);
    values[0].to_str().expect("header value is visible ASCII")
}

/// Whether header `name` was sent at all.
pub fn has_header(req: &Request, name: &str) -> bool {
    req.headers.contains_key(name)
}

/// The path exactly as it arrived on the request line.
pub fn raw_path(req: &Request) -> &str {
    req.url.path()
}

/// The query string exactly as it arrived (empty when there is none).
pub fn raw_query(req: &Request) -> &str {
    req.url.query().unwrap_or_default()
}

/// The query pairs, decoded (`+` is a space, `%XX` a byte), in the order sent.
pub fn query_pairs(req: &Request) -> Vec<(String, String)> {
    req.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// The decoded value of query parameter `name`; fails when it is absent or repeated.
pub fn query(req: &Request, name: &str) -> String {
    let values: Vec<String> = query_pairs(req).into_iter().filter(|(k, _)| k == name).map(|(_, v)| v).collect();
    assert_eq!(values.len(), 1, "query parameter {name} sent {} times in {}", values.len(), raw_query(req));
    values.into_iter().next().unwrap_or_default()
}

/// The query keys, sorted.
pub fn query_keys(req: &Request) -> Vec<String> {
    let mut keys: Vec<String> = query_pairs(req).into_iter().map(|(k, _)| k).collect();
    keys.sort();
    keys
}

/// `names` sorted, as owned strings, for comparing with [`query_keys`].
pub fn sorted(names: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    names.sort();
    names
}

/// Seconds since the Unix epoch.
pub fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Asserts that `text` is a single line (no line breaks).
pub fn assert_one_line(text: &str) {
    assert!(!text.contains(['\n', '\r']), "not one line: {text:?}");
}

/// Asserts that none of `secrets` occurs in `text`.
pub fn assert_no_secret(text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!text.contains(secret), "secret {secret:?} shown in {text}");
    }
}

/// A responder that answers with `responses` in order and then keeps repeating the last one.
#[derive(Clone)]
pub struct Script {
    responses: Arc<Vec<ResponseTemplate>>,
    next: Arc<AtomicUsize>,
}

impl Script {
    /// Answers with `responses` in order (at least one).
    pub fn new(responses: Vec<ResponseTemplate>) -> Self {
        assert!(!responses.is_empty(), "a script needs a response");
        Self { responses: Arc::new(responses), next: Arc::new(AtomicUsize::new(0)) }
    }

    /// `failure` `n` times, then `success`.
    pub fn fail_then(n: usize, failure: ResponseTemplate, success: ResponseTemplate) -> Self {
        let mut responses = vec![failure; n];
        responses.push(success);
        Self::new(responses)
    }
}

impl Respond for Script {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let index = self.next.fetch_add(1, Ordering::SeqCst).min(self.responses.len() - 1);
        self.responses[index].clone()
    }
}

/// A JSON response with `status` and `body`.
pub fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

/// The body of the documented example `name` of operation `wire_name` in `specs/<provider>/<service>`,
/// as compact JSON.
pub fn example(provider: &str, service: &str, wire_name: &str, name: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
    let sources = cloud_task_apis_codegen::read_specs(&root).unwrap_or_else(|report| panic!("{report}")).sources;
    let mut diags = cloud_task_apis_codegen::Diagnostics::new();
    let specs = cloud_task_apis_codegen::spec::load(&sources, &mut diags);
    let api = cloud_task_apis_codegen::ir::lower(&sources, &specs)
        .unwrap_or_else(|diagnostics| panic!("{}", diagnostics.render(&sources)));
    let found = api
        .services
        .iter()
        .find(|s| s.provider.word() == provider && s.module == service)
        .unwrap_or_else(|| panic!("no service {provider}/{service} in specs/"));
    let operation = found
        .operations
        .iter()
        .find(|o| o.wire_name == wire_name)
        .unwrap_or_else(|| panic!("no operation {wire_name} in {provider}/{service}"));
    let example = operation
        .examples
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no example {name} of {wire_name}"));
    example.body.clone()
}

/// A local port with nothing listening on it.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    let port = listener.local_addr().expect("local address").port();
    drop(listener);
    port
}
