//! Writes an OpenAPI 3.0 document of synthetic operations that mirrors the shape of
//! `cloud_task_apis_codegen::synthetic` (same fields, types, constraints, texts and examples
//! per operation), for the progenitor baseline of `scripts/bench.sh` (`benches/progenitor/`).
//!
//! ```text
//! cargo run -p cloud-task-apis-codegen --example synthetic_openapi -- OPERATIONS OUT.json
//! ```
//!
//! As in the YAML specs, every operation has its own schemas (`WidgetMode0001`,
//! `WidgetSettings0001`, `UpdateWidget0001Request`, `UpdateWidget0001Response`); the error body
//! is one shared `Error` schema, as the YAML's errors share the provider's error envelope.

use std::process::ExitCode;

use cloud_task_apis_codegen::synthetic::operation_name;
use serde_json::{Map, Value, json};

/// The path item and the schemas of operation `index` (1-based).
fn operation(index: usize, schemas: &mut Map<String, Value>) -> (String, Value) {
    let name = operation_name(index);
    let (mode, settings) = (format!("WidgetMode{index:04}"), format!("WidgetSettings{index:04}"));
    let (request, response) = (format!("{name}Request"), format!("{name}Response"));
    let mode_ref = json!({ "$ref": format!("#/components/schemas/{mode}") });
    let settings_ref = json!({ "$ref": format!("#/components/schemas/{settings}") });
    let settings_example = json!({ "retentionDays": 30, "sampleRate": 0.5, "labels": ["blue", "large"] });
    schemas.insert(
        mode,
        json!({
            "type": "string",
            "description": "How a widget processes items: `fast`: Lowest latency. `balanced`: Latency and cost balanced. `thorough`: Every item checked twice.",
            "enum": ["fast", "balanced", "thorough"],
        }),
    );
    schemas.insert(
        settings,
        json!({
            "type": "object",
            "description": "Settings of a widget.",
            "required": ["retentionDays"],
            "properties": {
                "retentionDays": { "type": "integer", "format": "int32", "minimum": 1, "maximum": 3650,
                    "description": "Days that results are kept.", "example": 30 },
                "sampleRate": { "type": "number", "format": "double",
                    "description": "Fraction of items processed, from 0 to 1.", "example": 0.5 },
                "labels": { "type": "array", "items": { "type": "string" },
                    "description": "Labels attached to the widget." },
            },
        }),
    );
    // OpenAPI 3.0 ignores the siblings of `$ref`, so the fields `mode` and `settings` are
    // documented by their schemas' descriptions.
    schemas.insert(
        request.clone(),
        json!({
            "type": "object",
            "description": format!("Request body of {name}."),
            "required": ["displayName"],
            "properties": {
                "displayName": { "type": "string", "maxLength": 128,
                    "description": "New display name of the widget.", "example": format!("widget {index}") },
                "mode": mode_ref,
                "settings": settings_ref,
            },
        }),
    );
    schemas.insert(
        response.clone(),
        json!({
            "type": "object",
            "description": format!("Response body of {name}."),
            "required": ["id", "version", "updatedAt", "mode"],
            "properties": {
                "id": { "type": "string", "description": "ID of the widget.", "example": format!("w-{index}") },
                "version": { "type": "integer", "format": "int64",
                    "description": "Version of the widget, increased by every change.", "example": 7 },
                "updatedAt": { "type": "string", "format": "date-time",
                    "description": "Time of the change.", "example": "2024-05-01T10:00:00Z" },
                "mode": mode_ref,
                "settings": settings_ref,
            },
        }),
    );
    let post = json!({
        "operationId": name,
        "summary": format!("Updates a widget of kind {index}."),
        "description": format!("Changes the display name, mode and settings of one widget of kind {index} and returns the widget as stored. Fields left out keep their values."),
        "parameters": [
            { "name": "widget_id", "in": "path", "required": true, "description": "ID of the widget.",
              "schema": { "type": "string", "minLength": 1, "maxLength": 64 }, "example": format!("w-{index}") },
            { "name": "dry_run", "in": "query", "required": false,
              "description": "Whether to check the request without changing the widget.",
              "schema": { "type": "boolean", "default": false } },
        ],
        "requestBody": {
            "required": true,
            "content": { "application/json": {
                "schema": { "$ref": format!("#/components/schemas/{request}") },
                "example": { "displayName": format!("widget {index}"), "mode": "fast" },
            } },
        },
        "responses": {
            "200": {
                "description": "The widget as stored.",
                "content": { "application/json": {
                    "schema": { "$ref": format!("#/components/schemas/{response}") },
                    "example": { "id": format!("w-{index}"), "version": 7, "updatedAt": "2024-05-01T10:00:00Z",
                        "mode": "fast", "settings": settings_example },
                } },
            },
            "404": {
                "description": "Widget.0404: The widget does not exist. Check the widget ID.",
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } },
            },
        },
    });
    (format!("/v1/kinds/{index}/widgets/{{widget_id}}"), json!({ "post": post }))
}

/// The whole document with `operations` operations.
fn document(operations: usize) -> Value {
    let mut schemas = Map::new();
    schemas.insert(
        "Error".to_owned(),
        json!({
            "type": "object",
            "description": "Error body of the service.",
            "required": ["error_code", "error_msg"],
            "properties": {
                "error_code": { "type": "string", "description": "Error code, such as `Widget.0404`." },
                "error_msg": { "type": "string", "description": "Error message." },
            },
        }),
    );
    let paths: Map<String, Value> = (1..=operations).map(|i| operation(i, &mut schemas)).collect();
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Synthetic Widget Service",
            "description": "Generated for benchmarks: every operation has the same shape and differs only in its number.",
            "version": "1.0.0",
        },
        "servers": [{ "url": "https://widgets.example.com" }],
        "paths": paths,
        "components": { "schemas": schemas },
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(count), Some(out), 2) = (args.first().and_then(|n| n.parse::<usize>().ok()), args.get(1), args.len())
    else {
        eprintln!("usage: synthetic_openapi OPERATIONS OUT.json");
        return ExitCode::from(2);
    };
    let text = serde_json::to_string_pretty(&document(count)).expect("a JSON value always serialises");
    match std::fs::write(out, text + "\n") {
        Ok(()) => {
            println!("wrote {count} synthetic operations to {out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write {out}: {e}");
            ExitCode::FAILURE
        }
    }
}
