//! The tracing span of a call: one `cloud_task_apis::call` span per call, recording each
//! attempt's number, the status and request id of the answer, and holding the pipeline's events
//! (the retry and give-up messages). Recorded by a small subscriber of this file's own.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use cloud_task_apis::huawei::dis;
use cloud_task_apis::{Config, Credentials};
use common::{Script, example, fast_retry, json};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SPAN: &str = "cloud_task_apis::call";

/// What the subscriber saw of the call spans and the crate's events.
#[derive(Debug, Default)]
struct Seen {
    /// Call spans opened.
    spans: usize,
    /// Every value recorded on a call span, in order, as `name=value`.
    fields: Vec<String>,
    /// The crate's events, each with whether a call span was the current span.
    events: Vec<(String, bool)>,
}

/// Records call spans and the crate's events; single-threaded (the tests run on one thread).
#[derive(Default)]
struct Recorder {
    next_id: AtomicU64,
    call_spans: Mutex<Vec<Id>>,
    entered: Mutex<Vec<Id>>,
    seen: Arc<Mutex<Seen>>,
}

/// Collects fields as `name=value` (the message alone for an event's `message`).
struct Fields<'a>(&'a mut Vec<String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push(format!("{}={value:?}", field.name()));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push(format!("{}={value}", field.name()));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1);
        if span.metadata().name() == SPAN {
            self.call_spans.lock().expect("lock").push(id.clone());
            let mut seen = self.seen.lock().expect("lock");
            seen.spans += 1;
            span.record(&mut Fields(&mut seen.fields));
        }
        id
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        if self.call_spans.lock().expect("lock").contains(span) {
            values.record(&mut Fields(&mut self.seen.lock().expect("lock").fields));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        if !event.metadata().target().starts_with("cloud_task_apis") {
            return;
        }
        let current = self.entered.lock().expect("lock").last().cloned();
        let in_call = current.is_some_and(|id| self.call_spans.lock().expect("lock").contains(&id));
        let mut fields = Vec::new();
        event.record(&mut Fields(&mut fields));
        self.seen.lock().expect("lock").events.push((fields.join(" "), in_call));
    }

    fn enter(&self, span: &Id) {
        self.entered.lock().expect("lock").push(span.clone());
    }

    fn exit(&self, span: &Id) {
        let mut entered = self.entered.lock().expect("lock");
        if let Some(at) = entered.iter().rposition(|id| id == span) {
            entered.remove(at);
        }
    }
}

fn client(server: &MockServer) -> dis::Client {
    let config = Config::new("cn-north-4")
        .endpoint(server.uri())
        .allow_http(true)
        .credentials(Credentials::huawei("HWTESTAK0123456789AB", "huawei-test-sk-4d2b9e"))
        .retry(fast_retry());
    dis::Client::new(config).expect("a valid configuration")
}

async fn call(server: &MockServer) -> Result<usize, dis::show_transfer_task_log::Error> {
    let log = client(server).show_transfer_task_log().task_id("CDaRPdvKUfZrAhzTaYs").send().await?;
    Ok(log.transfer_task_log_list.map_or(0, |list| list.len()))
}

#[tokio::test]
async fn one_span_per_call_records_each_attempt_and_holds_the_retry_events() {
    let server = MockServer::start().await;
    let busy = ResponseTemplate::new(503).insert_header("X-Request-Id", "RID-503");
    let ok =
        json(200, &example("huawei", "dis", "ShowTransferTaskLog", "success")).insert_header("X-Request-Id", "RID-200");
    Mock::given(method("POST")).respond_with(Script::fail_then(1, busy, ok)).mount(&server).await;
    let recorder = Recorder::default();
    let seen = recorder.seen.clone();
    let guard = tracing::subscriber::set_default(recorder);
    let logs = call(&server).await.expect("the second attempt succeeds");
    drop(guard);
    assert_eq!(logs, 1);

    let seen = seen.lock().expect("lock");
    assert_eq!(seen.spans, 1, "{seen:?}");
    assert_eq!(
        seen.fields,
        [
            "provider=Huawei",
            "service=dis",
            "operation=ShowTransferTaskLog",
            "attempt=1",
            "status=503",
            "request_id=RID-503",
            "attempt=2",
            "status=200",
            "request_id=RID-200",
        ],
    );
    let retrying: Vec<_> = seen.events.iter().filter(|(text, _)| text.contains("retrying")).collect();
    assert_eq!(retrying.len(), 1, "{:?}", seen.events);
    assert!(retrying[0].0.contains("attempt=1"), "{:?}", retrying[0]);
    assert!(seen.events.iter().all(|(_, in_call)| *in_call), "every event in the call's span: {:?}", seen.events);
}

#[tokio::test]
async fn giving_up_is_an_event_of_the_call() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let recorder = Recorder::default();
    let seen = recorder.seen.clone();
    let guard = tracing::subscriber::set_default(recorder);
    call(&server).await.expect_err("every attempt fails");
    drop(guard);

    let seen = seen.lock().expect("lock");
    let attempts: Vec<_> = seen.fields.iter().filter(|f| f.starts_with("attempt=")).collect();
    assert_eq!(attempts, ["attempt=1", "attempt=2", "attempt=3"]);
    let last = seen.events.last().expect("events");
    assert!(last.0.contains("giving up") && last.0.contains("attempt=3") && last.1, "{last:?}");
}
