//! Paging in every style against a local server: page numbers, offsets from 0 and from 1,
//! markers and next tokens. The listings implement the runtime's `Paged` as the generator
//! writes it (its output per style is in the generator's `paging_*` snapshots; DIS page-number
//! paging runs end to end in `sim_pagination.rs`). For every style: N items in pages that do
//! and do not divide N, an empty listing, one item, items appended between pages, and a server
//! that repeats a page, a marker or a token.

mod common;

use std::sync::{Arc, Mutex};

use cloud_task_apis::__private::{
    Cursor, Method, Operation, OperationSpec, PageStyle, Paged, Parameters, Protocol, RequestWriter, RetrySafety,
    ServiceSpec, Validator,
};
use cloud_task_apis::{
    ClientHandle, Config, Credentials, Paginator, Provider, RequestError, RequestErrorKind, ResponseMeta, ServiceError,
    Signing,
};
use futures_util::StreamExt;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const STYLES: &[&str] = &["page_number", "offset", "offset_from_one", "marker", "token"];

static SERVICE: ServiceSpec = ServiceSpec {
    provider: Provider::Huawei,
    name: "fixture",
    api_version: None,
    protocol: Protocol::Rest,
    endpoint: "fixture.{region}.example.com",
    endpoints: &[],
    signing: &[Signing::HuaweiSdkHmacSha256],
    envelope: cloud_task_apis::__private::Envelope::Huawei,
    request_id_header: Some("X-Request-Id"),
    success_when: None,
};

/// One listed thing.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
struct Thing {
    id: String,
    n: i64,
}
cloud_task_apis::__private::impl_deserialize!(Thing { id = "id", n = "n" });

/// A page in every style: the things, the total where the style reports one, the next token.
#[derive(Clone, Debug, PartialEq)]
struct Page {
    things: Option<Vec<Thing>>,
    total: Option<i64>,
    next: Option<String>,
    meta: ResponseMeta,
}
cloud_task_apis::__private::impl_deserialize!(Page { things = "things", total = "total", next = "next"; meta });
cloud_task_apis::__private::impl_response_body!(Page);

/// The error of every listing: no documented codes.
enum ListError {
    Unmodelled(ServiceError),
    Request(RequestError),
}
cloud_task_apis::__private::impl_operation_error!(ListError {});

/// A listing request as the generator writes one for each style: the position and the page
/// size in the query (`position` is a page number, an offset, a marker or a token).
macro_rules! listing {
    ($name:ident, $path:literal, $style:expr, $default_size:literal, $position:literal, $size:literal, $text:tt) => {
        #[derive(Clone, Debug, Default, PartialEq)]
        struct $name {
            position: Option<Cursor>,
            size: Option<i64>,
        }
        impl Operation for $name {
            type Response = Page;
            type Error = ListError;
            const SPEC: OperationSpec = OperationSpec {
                service: &SERVICE,
                name: stringify!($name),
                method: Method::Get,
                path: $path,
                retry: RetrySafety::Read,
                required: &[],
                status_errors: &[],
            };
        }
        impl Parameters for $name {
            fn write(&self, writer: &mut RequestWriter) {
                match &self.position {
                    Some(Cursor::Number(n)) => writer.query($position, n),
                    Some(Cursor::Text(t)) => writer.query($position, t),
                    None => {}
                }
                writer.optional_query($size, self.size.as_ref());
            }
            fn validate(&self, _check: &mut Validator) {}
        }
        impl Paged for $name {
            type Item = Thing;
            const STYLE: PageStyle = $style;
            const DEFAULT_PAGE_SIZE: i64 = $default_size;
            fn page_size(&self) -> Option<i64> {
                self.size
            }
            fn set_page_size(&mut self, size: i64) {
                self.size = Some(size);
            }
            fn cursor(&self) -> Option<Cursor> {
                self.position.clone()
            }
            fn set_cursor(&mut self, cursor: Cursor) {
                self.position = Some(cursor);
            }
            fn items(response: &Page) -> &[Thing] {
                response.things.as_deref().unwrap_or_default()
            }
            fn total(response: &Page) -> Option<i64> {
                response.total
            }
            fn next_token(response: &Page) -> Option<&str> {
                response.next.as_deref()
            }
            fn marker(item: &Thing) -> Option<String> {
                $text.then(|| item.id.clone())
            }
        }
    };
}

listing!(ByNumber, "/v1/things/by-number", PageStyle::PageNumber { first: 1 }, 10, "page", "size", false);
listing!(ByOffset, "/v1/things/by-offset", PageStyle::Offset { first: 0 }, 10, "offset", "limit", false);
listing!(FromOne, "/v1/things/from-one", PageStyle::Offset { first: 1 }, 10, "start", "limit", false);
listing!(ByMarker, "/v1/things/by-marker", PageStyle::Marker, 10, "marker", "limit", true);
listing!(ByToken, "/v1/things/by-token", PageStyle::Token, 0, "NextToken", "MaxResults", false);

/// What the server does with the position a request asks for.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Serves the page asked for.
    Honest,
    /// Serves the first page whatever is asked for.
    Repeats,
}

/// A listing of things `t0`, `t1`, … served in every style, growing by `append` things after
/// each of the first `append_for` requests.
struct Listing {
    things: Vec<String>,
    requests: usize,
    append: usize,
    append_for: usize,
    mode: Mode,
}

#[derive(Clone)]
struct Server(Arc<Mutex<Listing>>);

impl Server {
    fn new(count: usize, mode: Mode) -> Self {
        Self(Arc::new(Mutex::new(Listing {
            things: (0..count).map(|i| format!("t{i}")).collect(),
            requests: 0,
            append: 0,
            append_for: 0,
            mode,
        })))
    }

    fn appending(self, append: usize, append_for: usize) -> Self {
        {
            let mut listing = self.0.lock().expect("lock");
            listing.append = append;
            listing.append_for = append_for;
        }
        self
    }

    fn things(&self) -> Vec<String> {
        self.0.lock().expect("lock").things.clone()
    }

    fn requests(&self) -> usize {
        self.0.lock().expect("lock").requests
    }
}

fn query(req: &Request, name: &str) -> Option<String> {
    req.url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

fn number(req: &Request, name: &str, default: i64) -> usize {
    let value = query(req, name).map_or(default, |v| v.parse().expect("a number"));
    usize::try_from(value).expect("not negative")
}

impl Respond for Server {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut listing = self.0.lock().expect("lock");
        listing.requests += 1;
        let honest = listing.mode == Mode::Honest;
        let all = listing.things.clone();
        let total = all.len();
        let style = req.url.path().rsplit('/').next().unwrap_or_default().to_owned();
        let (start, size) = match style.as_str() {
            "by-number" => {
                let size = number(req, "size", 10);
                (number(req, "page", 1).saturating_sub(1) * size, size)
            }
            "by-offset" => (number(req, "offset", 0), number(req, "limit", 10)),
            "from-one" => (number(req, "start", 1).saturating_sub(1), number(req, "limit", 10)),
            "by-marker" => {
                let after = query(req, "marker").map_or(0, |m| all.iter().position(|t| *t == m).map_or(0, |i| i + 1));
                (after, number(req, "limit", 10))
            }
            _ => {
                let start = query(req, "NextToken").map_or(0, |t| t.trim_start_matches("at").parse().expect("token"));
                (start, number(req, "MaxResults", 4))
            }
        };
        let start = if honest { start } else { 0 };
        let page: Vec<serde_json::Value> = all
            .iter()
            .skip(start)
            .take(size)
            .map(|id| serde_json::json!({ "id": id, "n": id[1..].parse::<i64>().expect("n") }))
            .collect();
        let end = start + page.len();
        let body = match style.as_str() {
            "by-number" | "by-offset" => serde_json::json!({ "things": page, "total": total }),
            "from-one" | "by-marker" => serde_json::json!({ "things": page }),
            _ if end < total => serde_json::json!({ "things": page, "next": format!("at{end}") }),
            _ => serde_json::json!({ "things": page }),
        };
        if listing.requests <= listing.append_for {
            let next = listing.things.len();
            let append = listing.append;
            listing.things.extend((next..next + append).map(|i| format!("t{i}")));
        }
        ResponseTemplate::new(200)
            .set_body_json(body)
            .insert_header("X-Request-Id", format!("rid-{}", listing.requests))
    }
}

fn config(mock: &MockServer) -> Config {
    Config::new("cn-north-4")
        .endpoint(mock.uri())
        .allow_http(true)
        .credentials(Credentials::huawei("HWTESTAK0123456789AB", "huawei-test-sk"))
        .project_id("04f1829c788037ac2fb8c01eb2b04b95")
        .retry(common::fast_retry())
}

async fn client(server: &Server) -> (MockServer, ClientHandle) {
    let mock = MockServer::start().await;
    Mock::given(wiremock::matchers::method("GET")).respond_with(server.clone()).mount(&mock).await;
    let handle = ClientHandle::new(&SERVICE, config(&mock)).expect("client");
    (mock, handle)
}

/// The ids a paginator lists, or the paging error that ended it (after checking its kind,
/// request id and that nothing follows it).
async fn collect<O: Paged<Response = Page, Item = Thing, Error = ListError>>(
    client: &ClientHandle,
    request: O,
) -> Result<Vec<String>, String> {
    let mut ids = Vec::new();
    let mut items = Box::pin(Paginator::new(client.clone(), Ok(request)).items());
    while let Some(item) = items.next().await {
        match item {
            Ok(thing) => ids.push(thing.id),
            Err(error) => {
                let request = error.request_error().expect("a paging failure is a request error");
                assert_eq!(request.kind(), RequestErrorKind::Pagination, "{error}");
                assert!(request.request_id().is_some_and(|id| id.starts_with("rid-")), "{error}");
                assert!(items.next().await.is_none(), "nothing after the error");
                return Err(error.to_string());
            }
        }
    }
    Ok(ids)
}

/// The ids every style lists with page size `size`.
async fn list(client: &ClientHandle, style: &str, size: i64) -> Result<Vec<String>, String> {
    let size = Some(size);
    match style {
        "page_number" => collect(client, ByNumber { position: None, size }).await,
        "offset" => collect(client, ByOffset { position: None, size }).await,
        "offset_from_one" => collect(client, FromOne { position: None, size }).await,
        "marker" => collect(client, ByMarker { position: None, size }).await,
        _ => collect(client, ByToken { position: None, size }).await,
    }
}

fn ids(count: usize) -> Vec<String> {
    (0..count).map(|i| format!("t{i}")).collect()
}

#[tokio::test]
async fn every_style_lists_each_item_once_whether_or_not_the_page_size_divides_the_count() {
    for style in STYLES {
        for (count, size) in [(6, 2), (6, 3), (7, 2), (7, 3), (5, 10), (10, 10)] {
            let server = Server::new(count, Mode::Honest);
            let (_mock, client) = client(&server).await;
            let listed = list(&client, style, size).await.unwrap_or_else(|e| panic!("{style}: {e}"));
            assert_eq!(listed, ids(count), "{style}, {count} items in pages of {size}");
            // One request per page, plus at most one for an empty page where nothing tells the
            // end (no total, and the last page was full).
            let pages = count.div_ceil(usize::try_from(size).expect("size"));
            let requests = server.requests();
            assert!(requests == pages || requests == pages + 1, "{style}: {requests} requests for {pages} pages");
            if matches!(*style, "page_number" | "offset" | "token") {
                assert_eq!(requests, pages, "{style}: the total or the token tells the end");
            }
        }
    }
}

#[tokio::test]
async fn an_empty_listing_and_a_single_item() {
    for style in STYLES {
        for count in [0, 1] {
            let server = Server::new(count, Mode::Honest);
            let (_mock, client) = client(&server).await;
            assert_eq!(list(&client, style, 3).await, Ok(ids(count)), "{style}, {count} items");
            assert_eq!(server.requests(), 1, "{style}: one request");
        }
    }
}

#[tokio::test]
async fn items_appended_between_pages_are_listed_once() {
    for style in STYLES {
        // 5 items in pages of 2; after each of the first two requests two more are appended.
        let server = Server::new(5, Mode::Honest).appending(2, 2);
        let (_mock, client) = client(&server).await;
        let listed = list(&client, style, 2).await.unwrap_or_else(|e| panic!("{style}: {e}"));
        assert_eq!(listed, server.things(), "{style}: every item, the appended ones too, once");
        assert_eq!(listed.len(), 9);
    }
}

#[tokio::test]
async fn a_server_that_repeats_a_page_ends_the_listing_with_an_error() {
    for style in STYLES {
        let server = Server::new(10, Mode::Repeats);
        let (_mock, client) = client(&server).await;
        let error = list(&client, style, 3).await.expect_err(style);
        assert!(error.contains("paging stopped"), "{style}: {error}");
        assert_eq!(server.requests(), 2, "{style}: stops at the first repeat");
    }
}

#[tokio::test]
async fn paging_starts_where_the_request_points() {
    let server = Server::new(9, Mode::Honest);
    let (_mock, client) = client(&server).await;
    let from_page_2 = ByNumber { position: Some(Cursor::Number(2)), size: Some(3) };
    assert_eq!(collect(&client, from_page_2).await.expect("listing"), ids(9)[3..]);
    let from_4th = FromOne { position: Some(Cursor::Number(4)), size: Some(2) };
    assert_eq!(collect(&client, from_4th).await.expect("listing"), ids(9)[3..]);
    let after_t6 = ByMarker { position: Some(Cursor::Text("t6".to_owned())), size: Some(2) };
    assert_eq!(collect(&client, after_t6).await.expect("listing"), ["t7", "t8"]);
    // Without a page size, token paging takes the provider's pages (4 here) to the end.
    assert_eq!(collect(&client, ByToken::default()).await.expect("listing"), ids(9));
}

#[tokio::test]
async fn a_token_seen_before_ends_the_listing_with_an_error() {
    // The server hands out a token that points back to a page already listed.
    let mock = MockServer::start().await;
    let pages = Arc::new(Mutex::new(0_usize));
    let served = pages.clone();
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(move |_: &Request| {
            let mut n = served.lock().expect("lock");
            *n += 1;
            let body = serde_json::json!({ "things": [{ "id": format!("t{n}"), "n": *n }], "next": "again" });
            ResponseTemplate::new(200).set_body_json(body).insert_header("X-Request-Id", format!("rid-{n}"))
        })
        .mount(&mock)
        .await;
    let client = ClientHandle::new(&SERVICE, config(&mock)).expect("client");
    let error = collect(&client, ByToken::default()).await.expect_err("a repeated token");
    assert!(error.contains("token \"again\" again"), "{error}");
    assert_eq!(*pages.lock().expect("lock"), 2, "both pages were new; the third would repeat the second");
}

#[tokio::test]
async fn a_marker_that_does_not_move_ends_the_listing_with_an_error() {
    // Every page ends with the same id, as a server whose marker points at the page start would.
    let mock = MockServer::start().await;
    let pages = Arc::new(Mutex::new(0_i64));
    let served = pages.clone();
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(move |_: &Request| {
            let mut n = served.lock().expect("lock");
            *n += 1;
            let body = serde_json::json!({ "things": [{ "id": format!("x{n}"), "n": *n }, { "id": "same", "n": 0 }] });
            ResponseTemplate::new(200).set_body_json(body).insert_header("X-Request-Id", format!("rid-{n}"))
        })
        .mount(&mock)
        .await;
    let client = ClientHandle::new(&SERVICE, config(&mock)).expect("client");
    let error = collect(&client, ByMarker { position: None, size: Some(2) }).await.expect_err("a repeated marker");
    assert!(error.contains("marker \"same\" again"), "{error}");
    assert_eq!(*pages.lock().expect("lock"), 2);
}
