//! The hand-written DIS `ShowTransferTaskLog` response the benchmarks compare the generated
//! types with: serde structs of the same shape, as one would write them.

#![allow(dead_code, reason = "decoded to be timed; only a few fields are read")]

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    pub total_num: i32,
    pub message: Option<String>,
    /// `-1` (a number) on success, a string code otherwise.
    pub error_code: serde_json::Value,
    pub transfer_task_log_list: Option<Vec<TransferTaskLog>>,
    pub is_stream_found: Option<serde_json::Value>,
    pub stream_data: Option<serde_json::Value>,
    pub stream_data_list: Option<serde_json::Value>,
    pub transfer_task_list: Option<serde_json::Value>,
    pub monitor_data: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferTaskLog {
    pub transfer_task_id: String,
    pub destination_type: String,
    pub start_time: i64,
    pub end_time: i64,
    pub transfer_bytes: i64,
    pub transfer_records_num: i64,
    pub stream_id: String,
    pub project_id: String,
    pub transfer_file_name: String,
    pub state: Option<i32>,
    pub transform_records_num: Option<i64>,
    pub num: Option<i32>,
}
