//! The hand-written CLS `ListShippingTasks` response the benchmarks compare the generated types
//! with: serde structs of the same shape, the local times parsed through a `time` format
//! description, as one would write them.

#![allow(dead_code, reason = "decoded to be timed; only a few fields are read")]

use serde::{Deserialize, Deserializer};
use time::PrimitiveDateTime;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

const FORMAT: &[BorrowedFormatItem<'_>] = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");

fn local<'de, D: Deserializer<'de>>(deserializer: D) -> Result<PrimitiveDateTime, D::Error> {
    let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    PrimitiveDateTime::parse(&text, FORMAT).map_err(serde::de::Error::custom)
}

#[derive(Debug, Deserialize)]
pub struct Response {
    pub tasks: Vec<TaskInfo>,
}

#[derive(Debug, Deserialize)]
pub struct TaskInfo {
    pub task_id: String,
    pub shipper_id: String,
    pub topic_id: String,
    #[serde(deserialize_with = "local")]
    pub range_start: PrimitiveDateTime,
    #[serde(deserialize_with = "local")]
    pub range_end: PrimitiveDateTime,
    #[serde(deserialize_with = "local")]
    pub start_time: PrimitiveDateTime,
    #[serde(deserialize_with = "local")]
    pub end_time: PrimitiveDateTime,
    pub status: TaskStatus,
    pub message: String,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TaskStatus {
    Success,
    Running,
    Failed,
    Wait,
    #[serde(other)]
    Unknown,
}
