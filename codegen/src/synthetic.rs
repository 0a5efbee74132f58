//! Synthetic specs of any size, for benchmarks: one Huawei-style REST service
//! (`specs/huawei/synthetic/`) with `n` operations of one fixed shape. Not part of the
//! generator's API; the benchmarks and `examples/synthetic_specs.rs` use it.
//!
//! Every operation has ten fields of mixed types, an enum and a nested object, all documented,
//! with a documented error and an example, so the specs check without warnings:
//!
//! - request (5): a path id with length constraints, a boolean query flag, a body string with
//!   a length limit, a body enum and a body object;
//! - response (5): a string, an `int64`, an RFC 3339 time, the enum and the object;
//! - the object (`WidgetSettings`): an `int32` with a range, a `float64` and an array of
//!   strings;
//! - the enum (`WidgetMode`): three string values.
//!
//! The text differs per operation only in the number, so output size grows with the count alone.

use std::fmt::Write as _;
use std::path::Path;

use crate::source::SourceMap;

/// Provider folder of the synthetic service.
pub const PROVIDER: &str = "huawei";
/// Service folder (and module name) of the synthetic service.
pub const SERVICE: &str = "synthetic";

/// The `service.yaml` of the synthetic service.
pub fn service_file() -> String {
    format!(
        "format: 1
provider: {PROVIDER}
service: {SERVICE}
title: Synthetic Widget Service
description: >-
  Generated for benchmarks: every operation has the same shape and differs only in its number.
protocol: rest
endpoint: \"widgets.{{region}}.example.com\"
signing: [huawei_sdk_hmac_sha256, huawei_token]
error_envelope: huawei
request_id_header: X-Request-Id
"
    )
}

/// The wire name of operation `index` (1-based): `UpdateWidget0001`.
pub fn operation_name(index: usize) -> String {
    format!("UpdateWidget{index:04}")
}

/// The spec file of operation `index` (1-based).
pub fn operation_file(index: usize) -> String {
    let name = operation_name(index);
    let mut out = String::with_capacity(4096);
    // `write!` into a `String` cannot fail.
    let _ = write!(
        out,
        "format: 1
operation: {name}
seed: synthetic.txt
summary: Updates a widget of kind {index}.
description: >-
  Changes the display name, mode and settings of one widget of kind {index} and returns the
  widget as stored. Fields left out keep their values.
http:
  method: POST
  path: /v1/kinds/{index}/widgets/{{widget_id}}
idempotency: unsafe
request:
  params:
    - name: widget_id
      in: path
      type: string
      required: true
      description: ID of the widget.
      constraints: {{ min_length: 1, max_length: 64 }}
      example: w-{index}
    - name: dry_run
      in: query
      type: boolean
      required: false
      description: Whether to check the request without changing the widget.
      default: false
    - name: displayName
      in: body
      type: string
      required: true
      description: New display name of the widget.
      constraints: {{ max_length: 128 }}
      example: widget {index}
    - name: mode
      in: body
      type: WidgetMode
      required: false
      description: New processing mode.
    - name: settings
      in: body
      type: WidgetSettings
      required: false
      description: New settings; omitted settings are unchanged.
response:
  fields:
    - name: id
      type: string
      required: true
      description: ID of the widget.
      example: w-{index}
    - name: version
      type: int64
      required: true
      description: Version of the widget, increased by every change.
      example: 7
    - name: updatedAt
      type: rfc3339
      required: true
      description: Time of the change.
      example: \"2024-05-01T10:00:00Z\"
    - name: mode
      type: WidgetMode
      required: true
      description: Processing mode.
    - name: settings
      type: WidgetSettings
      required: false
      description: Settings of the widget.
types:
  - name: WidgetSettings
    description: Settings of a widget.
    fields:
      - name: retentionDays
        type: int32
        required: true
        description: Days that results are kept.
        constraints: {{ minimum: 1, maximum: 3650 }}
        example: 30
      - name: sampleRate
        type: float64
        required: false
        description: Fraction of items processed, from 0 to 1.
        example: 0.5
      - name: labels
        type: array
        items: string
        required: false
        description: Labels attached to the widget.
enums:
  - name: WidgetMode
    kind: string
    description: How a widget processes items.
    values:
      - {{ value: fast, description: Lowest latency. }}
      - {{ value: balanced, description: Latency and cost balanced. }}
      - {{ value: thorough, description: Every item checked twice. }}
errors:
  - {{ code: Widget.0404, status: 404, message: The widget does not exist., description: Check the widget ID. }}
examples:
  - name: success
    request:
      widget_id: w-{index}
      displayName: widget {index}
      mode: fast
    response:
      status: 200
      body:
        id: w-{index}
        version: 7
        updatedAt: \"2024-05-01T10:00:00Z\"
        mode: fast
        settings: {{ retentionDays: 30, sampleRate: 0.5, labels: [blue, large] }}
"
    );
    out
}

/// The files of a service with `operations` operations, as `(path relative to the spec
/// folder, text)`: `huawei/synthetic/service.yaml` first, then one file per operation.
pub fn files(operations: usize) -> Vec<(String, String)> {
    let dir = format!("{PROVIDER}/{SERVICE}");
    let mut files = vec![(format!("{dir}/service.yaml"), service_file())];
    files.extend((1..=operations).map(|i| (format!("{dir}/{}.yaml", operation_name(i)), operation_file(i))));
    files
}

/// The files of [`files`] in a source map, with display paths under `specs/` (sorted as
/// [`crate::read_specs`] would sort them).
pub fn source_map(operations: usize) -> SourceMap {
    let mut files = files(operations);
    files.sort();
    let mut sources = SourceMap::new();
    for (path, text) in files {
        sources.add(format!("specs/{path}"), text);
    }
    sources
}

/// Writes the files of [`files`] under `spec_dir` (creating folders as needed).
///
/// # Errors
/// The first file or folder that could not be written.
pub fn write(spec_dir: &Path, operations: usize) -> std::io::Result<()> {
    for (path, text) in files(operations) {
        let path = spec_dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(())
}
