//! The hand-written baseline: one reqwest client, serde structs of the same shape as the
//! generated types (times parsed with `time`, as one would write them), and the crate's own
//! public signers with their keys prepared once, as the generated client does. What differs
//! from the generated client is the pipeline around them.

#![allow(dead_code, reason = "responses are decoded to be timed, not read")]

use std::error::Error;
use std::time::Duration;

use cloud_task_apis::sign::key::{HmacSha1Key, HmacSha256Key};
use cloud_task_apis::sign::{SignableRequest, acs3, encode, huawei, rpc_v1, tc3, tencent};
use serde::{Deserialize, Deserializer, Serialize};
use time::OffsetDateTime;

use super::common::hand_cls::Response as ShippingTasks;
use super::common::hand_dis::Response as Logs;
use super::{ACTION_TRAIL_JOB, KEY_ID, SECRET, SHIPPER_ID, TASK_ID, TOKEN, USER_AGENT};

type Result<T> = std::result::Result<T, Box<dyn Error + Send + Sync>>;

fn rfc3339<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<OffsetDateTime, D::Error> {
    let text = <&str>::deserialize(d)?;
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).map_err(serde::de::Error::custom)
}

/// `GetDeliveryHistoryJob`'s answer.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Job {
    #[serde(deserialize_with = "rfc3339")]
    pub created_time: OffsetDateTime,
    #[serde(default, deserialize_with = "rfc3339_option")]
    pub end_time: Option<OffsetDateTime>,
    pub home_region: String,
    pub job_id: i64,
    pub job_status: i64,
    pub request_id: String,
    #[serde(deserialize_with = "rfc3339")]
    pub start_time: OffsetDateTime,
    pub status: Option<Vec<RegionStatus>>,
    pub trail_name: String,
    #[serde(deserialize_with = "rfc3339")]
    pub updated_time: OffsetDateTime,
}

fn rfc3339_option<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<OffsetDateTime>, D::Error> {
    rfc3339(d).map(Some)
}

/// One region's status in [`Job`].
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RegionStatus {
    pub region: String,
    pub status: i64,
}

/// `ShowTransferTaskLog`'s request body.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogRequest {
    pub order: &'static str,
    pub sort_by: &'static str,
    pub page_info: PageInfo,
}

/// Paging of [`LogRequest`].
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    pub page_index: i32,
    pub page_total: i32,
}

/// `DescribeShipperTasks`' request body.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ShipperTasksRequest {
    shipper_id: &'static str,
    start_time: i64,
    end_time: i64,
}

/// The API 3.0 envelope around `DescribeShipperTasks`' answer.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Api3<T> {
    response: T,
}

/// `DescribeShipperTasks`' answer, or its error.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ShipperTasks {
    pub tasks: Option<Vec<ShipperTask>>,
    pub request_id: String,
    pub error: Option<Api3Error>,
}

/// An API 3.0 error inside a 200 answer.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Api3Error {
    pub code: String,
    pub message: String,
}

/// One task of [`ShipperTasks`].
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ShipperTask {
    pub task_id: String,
    pub shipper_id: String,
    pub topic_id: String,
    pub range_start: i64,
    pub range_end: i64,
    pub start_time: i64,
    pub end_time: i64,
    pub status: String,
    pub message: String,
}

/// The hand-written client of every path, with each signer's key prepared once.
pub struct Client {
    http: reqwest::Client,
    acs3: HmacSha256Key,
    rpc: HmacSha1Key,
    huawei: HmacSha256Key,
    qsign: HmacSha1Key,
    tc3: tc3::SigningKey,
}

fn nonce() -> String {
    format!("{:032x}", fastrand::u128(..))
}

fn request(method: &str, host: &str, path: &str) -> SignableRequest {
    SignableRequest { method: method.to_owned(), host: host.to_owned(), path: path.to_owned(), ..Default::default() }
}

fn header(req: &mut SignableRequest, name: &str, value: &str) {
    req.headers.push((name.to_owned(), value.to_owned()));
}

impl Client {
    /// One reqwest client with the generated client's timeouts.
    pub fn new() -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client");
        Self {
            http,
            acs3: acs3::signing_key(SECRET),
            rpc: rpc_v1::signing_key(SECRET),
            huawei: huawei::signing_key(SECRET),
            qsign: tencent::signing_key(SECRET),
            tc3: tc3::SigningKey::new(SECRET),
        }
    }

    /// Sends a signed request to `host` and returns the body of a 2xx answer.
    async fn send(&self, host: &str, req: SignableRequest, encoder: fn(&str) -> String) -> Result<bytes::Bytes> {
        let query = encode::query_string(&req.query, encoder);
        let url = if query.is_empty() {
            format!("http://{host}{}", req.path)
        } else {
            format!("http://{host}{}?{query}", req.path)
        };
        let method = reqwest::Method::from_bytes(req.method.as_bytes())?;
        let post = method == reqwest::Method::POST;
        let mut builder = self.http.request(method, url);
        for (name, value) in &req.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        builder = if req.body.is_empty() && post {
            builder.header(reqwest::header::CONTENT_LENGTH, "0")
        } else {
            builder.body(req.body)
        };
        let response = builder.send().await?;
        let status = response.status();
        let body = response.bytes().await?;
        if !status.is_success() {
            return Err(format!("HTTP {status}").into());
        }
        Ok(body)
    }

    /// `GetDeliveryHistoryJob`, ACS3-signed.
    pub async fn acs3(&self, host: &str) -> Result<Job> {
        let mut req = request("POST", host, "/");
        req.query.push(("JobId".to_owned(), ACTION_TRAIL_JOB.to_string()));
        header(&mut req, "x-acs-action", "GetDeliveryHistoryJob");
        header(&mut req, "x-acs-version", "2020-07-06");
        header(&mut req, "accept", "application/json");
        header(&mut req, "user-agent", USER_AGENT);
        acs3::sign_with(&mut req, KEY_ID, &self.acs3, None, OffsetDateTime::now_utc(), &nonce());
        Ok(serde_json::from_slice(&self.send(host, req, encode::rfc3986).await?)?)
    }

    /// `GetDeliveryHistoryJob`, RPC-signed (HMAC-SHA1 in the query).
    pub async fn rpc(&self, host: &str) -> Result<Job> {
        let mut req = request("POST", host, "/");
        for (key, value) in [("Action", "GetDeliveryHistoryJob"), ("Format", "json"), ("Version", "2020-07-06")] {
            req.query.push((key.to_owned(), value.to_owned()));
        }
        req.query.push(("JobId".to_owned(), ACTION_TRAIL_JOB.to_string()));
        header(&mut req, "x-acs-action", "GetDeliveryHistoryJob");
        header(&mut req, "x-acs-version", "2020-07-06");
        header(&mut req, "user-agent", USER_AGENT);
        rpc_v1::sign_with(&mut req, KEY_ID, &self.rpc, None, OffsetDateTime::now_utc(), &nonce());
        Ok(serde_json::from_slice(&self.send(host, req, encode::rfc3986).await?)?)
    }

    fn dis_request(host: &str) -> Result<SignableRequest> {
        let mut req = request("POST", host, &format!("/v1/transfertasklog/{TASK_ID}"));
        let body = LogRequest {
            order: "desc",
            sort_by: "createTimeStr",
            page_info: PageInfo { page_index: 1, page_total: 10 },
        };
        req.body = serde_json::to_vec(&body)?;
        header(&mut req, "Content-Type", "application/json");
        header(&mut req, "User-Agent", USER_AGENT);
        Ok(req)
    }

    /// `ShowTransferTaskLog`, signed with AK/SK.
    pub async fn huawei_aksk(&self, host: &str) -> Result<Logs> {
        let mut req = Self::dis_request(host)?;
        huawei::sign_with(&mut req, KEY_ID, &self.huawei, None, OffsetDateTime::now_utc());
        Ok(serde_json::from_slice(&self.send(host, req, encode::rfc3986).await?)?)
    }

    /// `ShowTransferTaskLog` with an IAM token.
    pub async fn huawei_token(&self, host: &str) -> Result<Logs> {
        let mut req = Self::dis_request(host)?;
        header(&mut req, "X-Auth-Token", &TOKEN);
        Ok(serde_json::from_slice(&self.send(host, req, encode::rfc3986).await?)?)
    }

    /// `ListShippingTasks`, q-sign signed.
    pub async fn tencent_qsign(&self, host: &str) -> Result<ShippingTasks> {
        let mut req = request("GET", host, "/tasks");
        for (key, value) in
            [("shipper_id", SHIPPER_ID), ("start_time", "2017-10-10 00:00:00"), ("end_time", "2017-10-10 23:59:59")]
        {
            req.query.push((key.to_owned(), value.to_owned()));
        }
        header(&mut req, "User-Agent", USER_AGENT);
        let start = OffsetDateTime::now_utc().unix_timestamp() - 60;
        tencent::sign_with(&mut req, KEY_ID, &self.qsign, None, start, start + 360);
        Ok(serde_json::from_slice(&self.send(host, req, encode::form).await?)?)
    }

    /// `DescribeShipperTasks`, TC3-signed, with the envelope's error checked in the same decode.
    pub async fn tc3(&self, host: &str) -> Result<ShipperTasks> {
        let mut req = request("POST", host, "/");
        let body =
            ShipperTasksRequest { shipper_id: SHIPPER_ID, start_time: 1_753_766_424_000, end_time: 1_753_780_282_000 };
        req.body = serde_json::to_vec(&body)?;
        header(&mut req, "Content-Type", "application/json");
        header(&mut req, "X-TC-Action", "DescribeShipperTasks");
        header(&mut req, "X-TC-Version", "2020-10-16");
        header(&mut req, "X-TC-Region", super::REGION_TENCENT);
        header(&mut req, "User-Agent", USER_AGENT);
        tc3::sign_with(&mut req, KEY_ID, &self.tc3, None, "cls", OffsetDateTime::now_utc());
        let answer: Api3<ShipperTasks> = serde_json::from_slice(&self.send(host, req, encode::form).await?)?;
        match answer.response.error {
            Some(error) => Err(format!("{}: {}", error.code, error.message).into()),
            None => Ok(answer.response),
        }
    }
}
