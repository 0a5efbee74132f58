//! One request through the simulator: read it, route it to an operation, apply an injected
//! fault, authenticate, validate the parameters, answer, and record the exchange.

use std::sync::Arc;

use cloud_task_apis_codegen::spec::model::{Envelope, Protocol};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use percent_encoding::percent_decode_str;
use serde_json::Value;
use time::OffsetDateTime;

use super::behaviour::{self, Call};
use super::catalog::{Routed, Target};
use super::faults::Fault;
use super::replies::{self, Reply, ReplyContext, Shape};
use super::validate::{RawParams, validate};
use super::{RecordedRequest, Shared, auth, lock};

/// Largest request body read.
const MAX_BODY: usize = 1 << 20;

/// The request as the simulator sees it.
#[derive(Debug)]
pub(crate) struct Incoming {
    /// Upper-case method.
    pub method: String,
    /// The path as sent (percent-encoded).
    pub path: String,
    /// Decoded query pairs, in order (`+` is a space, as in form encoding).
    pub query: Vec<(String, String)>,
    /// Decoded form body pairs (`application/x-www-form-urlencoded` bodies only).
    pub form: Vec<(String, String)>,
    /// Headers with lowercase names, in order.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl Incoming {
    /// A request with these parts and no query or form (unit tests of the protocol checks).
    #[cfg(test)]
    pub(crate) fn for_test(method: &str, path: &str, headers: Vec<(String, String)>, body: Vec<u8>) -> Self {
        Self { method: method.to_owned(), path: path.to_owned(), query: Vec::new(), form: Vec::new(), headers, body }
    }

    fn new(parts: &hyper::http::request::Parts, body: Vec<u8>) -> Self {
        let headers: Vec<(String, String)> = parts
            .headers
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect();
        let is_form =
            headers.iter().any(|(n, v)| n == "content-type" && v.starts_with("application/x-www-form-urlencoded"));
        let form = if is_form { decode_pairs(&String::from_utf8_lossy(&body)) } else { Vec::new() };
        Self {
            method: parts.method.as_str().to_owned(),
            path: parts.uri.path().to_owned(),
            query: decode_pairs(parts.uri.query().unwrap_or_default()),
            form,
            headers,
            body,
        }
    }

    /// The first header named `name` (case-insensitive).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// A query or form parameter.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().chain(&self.form).find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Query and form parameters together (what an RPC request's parameters are).
    pub(crate) fn rpc_params(&self) -> Vec<(String, String)> {
        self.query.iter().chain(&self.form).cloned().collect()
    }
}

/// `a=b&c=d` decoded; `+` is a space; a key without `=` has an empty value.
fn decode_pairs(text: &str) -> Vec<(String, String)> {
    let decode = |s: &str| percent_decode_str(&s.replace('+', " ")).decode_utf8_lossy().into_owned();
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// The error a service returns to close the connection without an answer.
#[derive(Debug)]
pub(crate) struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

/// What to send back.
struct Answer {
    reply: Reply,
    request_id: String,
    request_id_header: String,
}

/// Serves one request.
pub(crate) async fn serve(
    shared: Arc<Shared>,
    request: hyper::Request<hyper::body::Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, Dropped> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(_) => {
            let reply = Reply {
                status: 413,
                body: serde_json::json!({ "error": "the request body is larger than 1 MiB or broken" }),
                code: None,
            };
            return Ok(response(&Answer { reply, request_id: String::new(), request_id_header: String::new() }));
        }
    };
    let incoming = Incoming::new(&parts, body);
    let (answer, operation, fault) = process(&shared, &incoming).await;
    let recorded = RecordedRequest {
        operation,
        method: incoming.method,
        path: incoming.path,
        query: incoming.query,
        headers: incoming.headers,
        body: incoming.body,
        status: answer.as_ref().map(|a| a.reply.status),
        error_code: answer.as_ref().and_then(|a| a.reply.code.clone()),
        request_id: answer.as_ref().map(|a| a.request_id.clone()).filter(|id| !id.is_empty()),
        fault,
    };
    shared.record(recorded);
    match answer {
        Some(answer) => Ok(response(&answer)),
        None => Err(Dropped),
    }
}

fn response(answer: &Answer) -> hyper::Response<Full<Bytes>> {
    let body = serde_json::to_vec(&answer.reply.body).unwrap_or_default();
    let mut builder =
        hyper::Response::builder().status(answer.reply.status).header("content-type", "application/json;charset=utf-8");
    if !answer.request_id_header.is_empty() {
        builder = builder.header(answer.request_id_header.as_str(), answer.request_id.as_str());
    }
    builder.body(Full::new(Bytes::from(body))).unwrap_or_else(|_| {
        let mut fallback = hyper::Response::new(Full::new(Bytes::from_static(b"{}")));
        *fallback.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
        fallback
    })
}

/// The answer (none: drop the connection), the operation's name and the fault applied.
async fn process(shared: &Shared, req: &Incoming) -> (Option<Answer>, Option<String>, Option<Fault>) {
    let json = serde_json::from_slice::<serde_json::Value>(&req.body).ok();
    let target = Target {
        body: json.as_ref(),
        method: &req.method,
        path: &req.path,
        action: req.header("x-acs-action").or_else(|| req.param("Action")),
        version: req.header("x-acs-version").or_else(|| req.param("Version")),
        tc_action: req.header("x-tc-action"),
        tc_version: req.header("x-tc-version"),
    };
    let host = req.header("host").unwrap_or_default();
    let (op, path_params) = match shared.catalog.route(&target) {
        Routed::Found(op, params) => (op, params),
        Routed::WrongVersion(op, version) => {
            let shape = Shape::of(op.envelope());
            let request_id = shape.new_request_id();
            let cx = ReplyContext { request_id: &request_id, host, product: &op.service.title.value };
            let code = if shape == Shape::TencentApi3 { "NoSuchVersion" } else { "InvalidVersion" };
            let reply = replies::error(
                shape,
                &cx,
                400,
                code,
                &format!("Specified parameter Version {version:?} is not valid."),
            );
            let header = op.service.request_id_header.as_ref().map(|h| h.value.clone()).unwrap_or_default();
            return (Some(Answer { reply, request_id, request_id_header: header }), None, None);
        }
        Routed::NotFound => return (Some(not_found(req, target.action)), None, None),
    };
    let name = Some(op.name().to_owned());
    let envelope = op.envelope();
    let request_id = Shape::of(envelope).new_request_id();
    let header = op.service.request_id_header.as_ref().map(|h| h.value.clone()).unwrap_or_default();
    let cx = ReplyContext { request_id: &request_id, host, product: &op.service.title.value };
    let answer =
        |reply: Reply| Some(Answer { reply, request_id: request_id.clone(), request_id_header: header.clone() });

    let fault = lock(&shared.faults).take(op.name());
    match fault {
        Some(Fault::Throttle) => return (answer(replies::throttled(envelope, &cx)), name, fault),
        Some(Fault::ServerError) => return (answer(replies::server_error(envelope, &cx)), name, fault),
        Some(Fault::DropConnection) => return (None, name, fault),
        Some(Fault::Slow(delay)) => tokio::time::sleep(delay).await,
        None => {}
    }

    let wall = OffsetDateTime::now_utc();
    let account = {
        let mut nonces = lock(&shared.nonces);
        match auth::check(op.service, req, &shared.credentials, &mut nonces, wall, &cx) {
            Ok(account) => account,
            Err(reply) => return (answer(reply), name, fault),
        }
    };

    // RPC parameters may also come as a form body; REST ones are in the query only.
    let rpc = op.service.protocol.value == Protocol::Rpc;
    let query = if rpc { req.rpc_params() } else { req.query.clone() };
    let raw = RawParams { path: &path_params, query: &query, headers: &req.headers, body: &req.body };
    let params = match validate(op.op, &raw) {
        Ok(params) => params,
        Err(problem) => {
            let reply = replies::invalid(envelope, &cx, &problem.field, problem.missing, &problem.rule);
            return (answer(reply), name, fault);
        }
    };

    let call = Call { op, params: &params, account: &account, reply: cx, now: tokio::time::Instant::now(), wall };
    let mut reply = behaviour::respond(shared, &call);
    // Alibaba bodies carry the request id too, the same as the header.
    if reply.status < 400
        && op.op.response.iter().any(|f| f.name.value == "RequestId")
        && let Value::Object(map) = &mut reply.body
    {
        map.insert("RequestId".to_owned(), Value::from(request_id.as_str()));
    }
    if envelope == Envelope::TencentApi3 {
        super::api3::wrap_success(&mut reply, &request_id);
    }
    (answer(reply), name, fault)
}

/// No operation matches: answer as the provider the request looks like it is for.
fn not_found(req: &Incoming, action: Option<&str>) -> Answer {
    let host = req.header("host").unwrap_or_default();
    let authorization = req.header("authorization").unwrap_or_default();
    let (shape, status, code, message, header) = if req.header("x-tc-action").is_some() {
        (Shape::TencentApi3, 200, "InvalidAction", "The action does not exist.", "")
    } else if action.is_some() {
        (
            Shape::Alibaba,
            404,
            "InvalidAction.NotFound",
            "Specified api is not found, please check your url and method.",
            "x-acs-request-id",
        )
    } else if authorization.starts_with("q-sign-algorithm") {
        (Shape::Tencent, 404, "NotFound", "No API matches this method and path.", "x-cls-requestid")
    } else {
        (
            Shape::Huawei,
            404,
            "APIGW.0101",
            "The API does not exist or has not been published in the environment.",
            "X-Request-Id",
        )
    };
    let request_id = shape.new_request_id();
    let cx = ReplyContext { request_id: &request_id, host, product: "" };
    Answer {
        reply: replies::error(shape, &cx, status, code, message),
        request_id,
        request_id_header: header.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_pairs_decode_like_forms() {
        assert_eq!(
            decode_pairs("a=1&start_time=2017-10-10+00%3A00%3A00&flag&&Signature=ab%2Bc%3D"),
            vec![
                ("a".to_owned(), "1".to_owned()),
                ("start_time".to_owned(), "2017-10-10 00:00:00".to_owned()),
                ("flag".to_owned(), String::new()),
                ("Signature".to_owned(), "ab+c=".to_owned()),
            ]
        );
    }
}
