//! Helpers shared by the simulator tests: quick policies and raw requests signed with the
//! crate's signers, for requests the typed clients would never send.

#![allow(dead_code)]

use std::time::Duration;

use cloud_task_apis::sign::{self, SignableRequest};
use cloud_task_apis::{RetryPolicy, WaitPolicy};
use cloud_task_apis_simulator::Simulator;
use serde_json::Value;
use time::OffsetDateTime;

/// Seeds `count` logs of the DIS dump task `task`, one every five minutes up to now, each
/// with its own record count and size.
pub fn seed_logs(sim: &Simulator, task: &str, count: usize) {
    let now_ms = i64::try_from(OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000).expect("ms");
    for i in 0..count {
        let n = i64::try_from(i).expect("small");
        let back = i64::try_from(count - i).expect("small");
        let start = now_ms - back * 300_000;
        let records = 1_000 + (n * 7_919) % 40_000;
        let log = serde_json::json!({
            "num": n,
            "transferTaskId": task,
            "startTime": start,
            "endTime": start + 240_000 + (n * 1_009) % 50_000,
            "transferRecordsNum": records,
            "transferBytes": records * 932 + n,
            "transferFileName": format!("{task}.stream.0.{}", start + 10),
        });
        sim.seed("TransferTaskLog", log).expect("declared resource");
    }
}

/// A CLS shipping task of `shipper` that started at `started` and shipped the five minutes of
/// logs before it, with times written as CLS writes them (UTC+08:00, no zone).
pub fn shipping_task(shipper: &str, id: &str, started: OffsetDateTime, status: &str) -> Value {
    let east = time::UtcOffset::from_hms(8, 0, 0).expect("offset");
    let local = |t: OffsetDateTime| {
        let t = t.to_offset(east);
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    };
    serde_json::json!({
        "task_id": id,
        "shipper_id": shipper,
        "topic_id": "topic-1",
        "range_start": local(started - time::Duration::minutes(5)),
        "range_end": local(started),
        "start_time": local(started),
        "end_time": local(started + time::Duration::minutes(1)),
        "status": status,
        "message": status,
    })
}

/// A wait of at most `max` that polls every 20 to 60 ms.
pub fn quick_wait(max: Duration) -> WaitPolicy {
    WaitPolicy::new(max).delays(Duration::from_millis(20), Duration::from_millis(60))
}

/// Retries with millisecond backoff, so retried calls stay fast.
pub fn quick_retry(attempts: u32) -> RetryPolicy {
    RetryPolicy::default().max_attempts(attempts).backoff(Duration::from_millis(5), Duration::from_millis(20))
}

/// An answer: status, headers and JSON body.
#[derive(Debug)]
pub struct Raw {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Raw {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

fn authority(sim: &Simulator) -> String {
    sim.endpoint().trim_start_matches("http://").to_owned()
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// Sends `req` as signed, the query encoded with `encoder`.
pub async fn send(sim: &Simulator, req: SignableRequest, encoder: fn(&str) -> String) -> Raw {
    let query = sign::encode::query_string(&req.query, encoder);
    let url = if query.is_empty() {
        format!("{}{}", sim.endpoint(), req.path)
    } else {
        format!("{}{}?{query}", sim.endpoint(), req.path)
    };
    let method = reqwest::Method::from_bytes(req.method.as_bytes()).expect("method");
    let mut builder = reqwest::Client::new().request(method, url);
    for (name, value) in &req.headers {
        if !name.eq_ignore_ascii_case("host") {
            builder = builder.header(name.as_str(), value.as_str());
        }
    }
    let response = builder.body(req.body).send().await.expect("the simulator answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Raw { status, headers, body }
}

/// An Alibaba RPC call (ACS3-HMAC-SHA256) of `action` with `query`, signed with `secret`.
pub fn alibaba_request(sim: &Simulator, action: &str, query: &[(&str, &str)], secret: &str) -> SignableRequest {
    let mut req = SignableRequest {
        method: "POST".into(),
        host: authority(sim),
        path: "/".into(),
        query: owned(query),
        headers: owned(&[("x-acs-action", action), ("x-acs-version", "2020-07-06"), ("accept", "application/json")]),
        body: Vec::new(),
    };
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    sign::acs3::sign(
        &mut req,
        &sim.credentials().alibaba_access_key_id,
        secret,
        None,
        OffsetDateTime::now_utc(),
        &nonce,
    );
    req
}

/// A Huawei call signed with SDK-HMAC-SHA256 (and `X-Project-Id`), signed with `secret` at `at`.
pub fn huawei_request(
    sim: &Simulator,
    method: &str,
    path: &str,
    query: &[(&str, &str)],
    body: &str,
    secret: &str,
    at: OffsetDateTime,
) -> SignableRequest {
    let creds = sim.credentials();
    let mut req = SignableRequest {
        method: method.into(),
        host: authority(sim),
        path: path.into(),
        query: owned(query),
        headers: owned(&[("Content-Type", "application/json"), ("X-Project-Id", &creds.huawei_project_id)]),
        body: body.as_bytes().to_vec(),
    };
    sign::huawei::sign(&mut req, &creds.huawei_access_key, secret, None, at);
    req
}

/// A Tencent CLS call signed with q-sign-algorithm=sha1 with `secret`.
pub fn tencent_request(sim: &Simulator, path: &str, query: &[(&str, &str)], secret: &str) -> SignableRequest {
    let mut req = SignableRequest {
        method: "GET".into(),
        host: authority(sim),
        path: path.into(),
        query: owned(query),
        headers: Vec::new(),
        body: Vec::new(),
    };
    let start = OffsetDateTime::now_utc().unix_timestamp() - 60;
    sign::tencent::sign(&mut req, &sim.credentials().tencent_secret_id, secret, None, start, start + 360);
    req
}

/// The keys of a JSON object, sorted.
pub fn keys(body: &Value) -> Vec<String> {
    let mut keys: Vec<String> = body.as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default();
    keys.sort();
    keys
}
