//! The requests the signing benchmark and the signing allocation test sign: the ones the client
//! builds for one operation per scheme (same method, path, query, headers and body as on the
//! wire), with a fixed time and nonce.

use cloud_task_apis::sign::SignableRequest;
use time::OffsetDateTime;
use time::macros::datetime;

/// The signing time.
pub const NOW: OffsetDateTime = datetime!(2024-05-17 08:30:00 UTC);
/// The Alibaba signature nonce.
pub const NONCE: &str = "3c9a1d0e5b7f4a2c8e6d1f0b9a7c5e3d";
const USER_AGENT: &str = concat!("cloud-task-apis/", env!("CARGO_PKG_VERSION"));

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// ActionTrail `GetDeliveryHistoryJob` as sent with ACS3 (parameters in the query).
pub fn acs3_request() -> SignableRequest {
    SignableRequest {
        method: "POST".into(),
        host: "actiontrail.cn-hangzhou.aliyuncs.com".into(),
        path: "/".into(),
        query: pairs(&[("JobId", "16602")]),
        headers: pairs(&[
            ("x-acs-action", "GetDeliveryHistoryJob"),
            ("x-acs-version", "2020-07-06"),
            ("accept", "application/json"),
            ("user-agent", USER_AGENT),
        ]),
        body: Vec::new(),
    }
}

/// The same operation as sent with the RPC V1 signature (`Action`, `Format`, `Version` in the
/// query).
pub fn rpc_request() -> SignableRequest {
    SignableRequest {
        query: pairs(&[
            ("Action", "GetDeliveryHistoryJob"),
            ("Format", "json"),
            ("Version", "2020-07-06"),
            ("JobId", "16602"),
        ]),
        headers: pairs(&[
            ("x-acs-action", "GetDeliveryHistoryJob"),
            ("x-acs-version", "2020-07-06"),
            ("user-agent", USER_AGENT),
        ]),
        ..acs3_request()
    }
}

/// DIS `ShowTransferTaskLog`: a POST with a JSON body.
pub fn huawei_request() -> SignableRequest {
    SignableRequest {
        method: "POST".into(),
        host: "dis.cn-north-4.myhuaweicloud.com".into(),
        path: "/v1/transfertasklog/CDaRPdvKUfZrAhzTaYs".into(),
        query: Vec::new(),
        headers: pairs(&[
            ("Content-Type", "application/json"),
            ("User-Agent", USER_AGENT),
            ("X-Project-Id", "04f1829c788037ac2fb8c01eb2b04b95"),
        ]),
        body: br#"{"order":"desc","sortBy":"createTimeStr","pageInfo":{"pageIndex":1,"pageTotal":10}}"#.to_vec(),
    }
}

/// CLS `ListShippingTasks`: a GET with three query parameters, two of them times.
pub fn tencent_request() -> SignableRequest {
    SignableRequest {
        method: "GET".into(),
        host: "ap-guangzhou.cls.tencentyun.com".into(),
        path: "/tasks".into(),
        query: pairs(&[
            ("shipper_id", "3b7bd8e0-41a6-4d35-9bd0-7a3f2c1e9d01"),
            ("start_time", "2024-05-17 00:00:00"),
            ("end_time", "2024-05-17 23:59:59"),
        ]),
        headers: pairs(&[("User-Agent", USER_AGENT)]),
        body: Vec::new(),
    }
}

/// CLS API 3.0 `DescribeShipperTasks`: a POST with a JSON body and the `X-TC-*` headers.
pub fn tc3_request() -> SignableRequest {
    SignableRequest {
        method: "POST".into(),
        host: "cls.tencentcloudapi.com".into(),
        path: "/".into(),
        query: Vec::new(),
        headers: pairs(&[
            ("Content-Type", "application/json"),
            ("X-TC-Action", "DescribeShipperTasks"),
            ("X-TC-Version", "2020-10-16"),
            ("X-TC-Region", "ap-guangzhou"),
            ("User-Agent", USER_AGENT),
        ]),
        body:
            br#"{"ShipperId":"3b7bd8e0-41a6-4d35-9bd0-7a3f2c1e9d01","StartTime":1715904000000,"EndTime":1715990399000}"#
                .to_vec(),
    }
}
