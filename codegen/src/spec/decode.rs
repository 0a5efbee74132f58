//! Stage 1c: the YAML tree of one file to the spec model, with every problem reported.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::FileId;
use crate::spec::model::{
    Authorization, Constraints, Correction, EnumDef, EnumValue, ErrorDef, Example, Field, Idempotency, Method,
    NamedEndpoint, OperationDoc, Pagination, ServiceDoc, SourceNote, SuccessWhen, TypeDef, Waiter,
};
use crate::spec::reader::{MapReader, Spanned, wrong_kind};
use crate::spec::yaml::{Node, Value};

/// The only format version this generator reads.
pub const FORMAT_VERSION: i64 = 1;

/// Checks `format:` first, so a file of another version is rejected by name rather than
/// through a pile of unknown-key errors.
/// A file without `format:` is reported and read as the current version.
fn check_format(map: &mut MapReader<'_>, diags: &mut Diagnostics) -> bool {
    let Some(node) = map.get("format") else {
        diags.push(
            Diagnostic::error(map.span(), "the file does not say which spec format it is written in")
                .label("`format` is required")
                .help(format!("start the file with `format: {FORMAT_VERSION}`")),
        );
        return true;
    };
    match &node.value {
        Value::Int(FORMAT_VERSION) => true,
        other => {
            let found = match other {
                Value::Int(v) => format!("`{v}`"),
                Value::Str(s) => format!("\"{s}\" (a string)"),
                _ => node.kind().to_owned(),
            };
            diags.push(
                Diagnostic::error(node.head(), format!("unsupported spec format version {found}"))
                    .label(format!("this generator reads `format: {FORMAT_VERSION}`"))
                    .help("convert the file to format 1 as described in specs/README.md"),
            );
            false
        }
    }
}

/// Decodes a `service.yaml`.
pub fn service(file: FileId, root: &Node, diags: &mut Diagnostics) -> Option<ServiceDoc> {
    let mut m = MapReader::new(root, "the service file", diags)?;
    let before = diags.error_count();
    if !check_format(&mut m, diags) {
        return None;
    }
    let provider = m.keyword("provider", true, diags);
    let service = m.str("service", true, diags);
    let title = m.str("title", true, diags);
    let description = m.str("description", false, diags);
    let api_version = m.str("api_version", false, diags);
    let protocol = m.keyword("protocol", true, diags);
    let endpoint = m.str("endpoint", true, diags);
    let endpoints = m.list("endpoints", false, diags, named_endpoint);
    let signing_span = m.get("signing").map_or(m.span(), Node::head);
    let signing = m.list("signing", true, diags, |n, d| crate::spec::reader::keyword(n, "signing", d));
    let error_envelope = m.keyword("error_envelope", true, diags);
    let request_id_header = m.str("request_id_header", false, diags);
    let time_zone = m.str("time_zone", false, diags);
    let errors = m.list("errors", false, diags, error_def);
    let success_when = m.get("success_when").and_then(|n| success_when(n, diags));
    let sources = m.list("sources", false, diags, source_note);
    let resources = m.list("resources", false, diags, crate::spec::resource::resource);
    m.finish(diags);
    if diags.error_count() > before {
        return None;
    }
    Some(ServiceDoc {
        file,
        provider: provider?,
        service: service?,
        title: title?,
        description,
        api_version,
        protocol: protocol?,
        endpoint: endpoint?,
        endpoints,
        signing,
        signing_span,
        error_envelope: error_envelope?,
        request_id_header,
        time_zone,
        errors,
        success_when,
        sources,
        resources,
    })
}

/// Decodes an operation file.
pub fn operation(file: FileId, root: &Node, diags: &mut Diagnostics) -> Option<OperationDoc> {
    let mut m = MapReader::new(root, "the operation file", diags)?;
    let before = diags.error_count();
    if !check_format(&mut m, diags) {
        return None;
    }
    let operation = m.str("operation", true, diags);
    let seed = m.str("seed", true, diags);
    let summary = m.str("summary", true, diags);
    let description = m.str("description", false, diags);
    let authorization = m.get("authorization").and_then(|n| authorization(n, diags));
    let http = m.require("http").and_then(|n| MapReader::new(n, "`http`", diags));
    let (method, path, content_type) = match http {
        Some(mut h) => {
            let method = h.keyword("method", true, diags);
            let path = h.str("path", true, diags);
            let content_type = h.str("content_type", false, diags);
            h.finish(diags);
            (method, path, content_type)
        }
        None => (None, None, None),
    };
    let idempotency = m.keyword("idempotency", true, diags);
    let idempotency_token = m.str("idempotency_token", false, diags);
    let request = m.require("request").and_then(|n| MapReader::new(n, "`request`", diags));
    let (request_description, params) = match request {
        Some(mut r) => {
            let description = r.str("description", false, diags);
            let params = r.list("params", true, diags, |n, d| field(n, FieldKind::Param, d));
            r.finish(diags);
            (description, params)
        }
        None => (None, Vec::new()),
    };
    let response = m.require("response").and_then(|n| MapReader::new(n, "`response`", diags));
    let (response_description, response) = match response {
        Some(mut r) => {
            let description = r.str("description", false, diags);
            let fields = r.list("fields", true, diags, |n, d| field(n, FieldKind::Field, d));
            r.finish(diags);
            (description, fields)
        }
        None => (None, Vec::new()),
    };
    let types = m.list("types", false, diags, type_def);
    let enums = m.list("enums", false, diags, enum_def);
    let errors = m.list("errors", false, diags, error_def);
    let examples = m.list("examples", false, diags, example);
    let waiter = m.get("waiter").and_then(|n| waiter(n, diags));
    let pagination = m.get("pagination").and_then(|n| pagination(n, diags));
    m.finish(diags);
    if diags.error_count() > before {
        return None;
    }
    let names = crate::spec::types::index(&types, &enums);
    Some(OperationDoc {
        own_types: types.len(),
        own_enums: enums.len(),
        file,
        operation: operation?,
        seed: seed?,
        summary: summary?,
        description,
        authorization,
        method: method?,
        path: path?,
        idempotency: idempotency?,
        idempotency_token,
        content_type,
        request_description,
        params,
        response_description,
        response,
        types,
        enums,
        errors,
        examples,
        names,
        waiter,
        pagination,
    })
}

/// Decodes a service's `types.yaml` (`format`, `types`, `enums`) into a scope of types without
/// an operation: named `types`, no parameters or response fields.
pub fn shared_types(file: FileId, root: &Node, diags: &mut Diagnostics) -> Option<OperationDoc> {
    let mut m = MapReader::new(root, "the shared types file", diags)?;
    let before = diags.error_count();
    if !check_format(&mut m, diags) {
        return None;
    }
    let span = m.span();
    let types = m.list("types", false, diags, type_def);
    let enums = m.list("enums", false, diags, enum_def);
    m.finish(diags);
    if diags.error_count() > before {
        return None;
    }
    let text = |value: &str| Spanned::new(value.to_owned(), span);
    Some(OperationDoc {
        file,
        operation: text("types"),
        seed: text(""),
        summary: text(""),
        description: None,
        authorization: None,
        method: Spanned::new(Method::Get, span),
        path: text("/"),
        idempotency: Spanned::new(Idempotency::Read, span),
        idempotency_token: None,
        content_type: None,
        request_description: None,
        params: Vec::new(),
        response_description: None,
        response: Vec::new(),
        names: crate::spec::types::index(&types, &enums),
        own_types: types.len(),
        own_enums: enums.len(),
        types,
        enums,
        errors: Vec::new(),
        examples: Vec::new(),
        waiter: None,
        pagination: None,
    })
}

#[derive(Clone, Copy, PartialEq)]
enum FieldKind {
    Param,
    Field,
}

fn field(node: &Node, kind: FieldKind, diags: &mut Diagnostics) -> Option<Field> {
    let what = if kind == FieldKind::Param { "a parameter" } else { "a field" };
    let mut m = MapReader::new(node, what, diags)?;
    let before = diags.error_count();
    let name = m.str("name", true, diags);
    let location = if kind == FieldKind::Param { m.keyword("in", true, diags) } else { None };
    let ty = m.str("type", true, diags);
    let items = m.str("items", false, diags);
    let required = m.bool("required", true, diags);
    let description = m.str("description", false, diags);
    let constraints = m.get("constraints").map(|n| constraints(n, diags)).unwrap_or_default();
    let default = m.get("default").cloned();
    let example = m.get("example").cloned();
    let source = if kind == FieldKind::Param { m.keyword("source", false, diags) } else { None };
    let allow_empty = if kind == FieldKind::Param { m.bool("allow_empty", false, diags) } else { None };
    let shape = if kind == FieldKind::Field { m.keyword("shape", false, diags) } else { None };
    let rust_name = m.str("rust_name", false, diags);
    let correction = m.get("correction").and_then(|n| correction(n, diags));
    let forms_span = m.get("forms").map(Node::head);
    let forms = m.list("forms", false, diags, |n, d| crate::spec::reader::keyword(n, "forms", d));
    let time_zone = m.str("time_zone", false, diags);
    m.finish(diags);
    if diags.error_count() > before {
        return None;
    }
    Some(Field {
        forms,
        forms_span,
        time_zone,
        name: name?,
        location,
        ty: ty?,
        items,
        required: required?,
        description,
        constraints,
        default,
        example,
        source,
        allow_empty,
        shape,
        rust_name,
        correction,
    })
}

fn constraints(node: &Node, diags: &mut Diagnostics) -> Constraints {
    let Some(mut m) = MapReader::new(node, "`constraints`", diags) else { return Constraints::default() };
    let c = Constraints {
        min_length: m.int("min_length", false, diags),
        max_length: m.int("max_length", false, diags),
        minimum: m.int("minimum", false, diags),
        maximum: m.int("maximum", false, diags),
        charset: m.keyword("charset", false, diags),
        pattern: m.str("pattern", false, diags),
    };
    m.finish(diags);
    c
}

fn correction(node: &Node, diags: &mut Diagnostics) -> Option<Correction> {
    let mut m = MapReader::new(node, "`correction`", diags)?;
    let page = m.str("page", true, diags);
    let fact = m.str("fact", true, diags);
    let source = m.str("source", true, diags);
    m.finish(diags);
    Some(Correction { page: page?, fact: fact?, source: source? })
}

fn type_def(node: &Node, diags: &mut Diagnostics) -> Option<TypeDef> {
    let mut m = MapReader::new(node, "a type", diags)?;
    let name = m.str("name", true, diags);
    let description = m.str("description", false, diags);
    let fields = m.list("fields", true, diags, |n, d| field(n, FieldKind::Field, d));
    let correction = m.get("correction").and_then(|n| correction(n, diags));
    m.finish(diags);
    Some(TypeDef { name: name?, description, fields, correction })
}

fn enum_def(node: &Node, diags: &mut Diagnostics) -> Option<EnumDef> {
    let mut m = MapReader::new(node, "an enum", diags)?;
    let name = m.str("name", true, diags);
    let kind = m.keyword("kind", true, diags);
    let description = m.str("description", false, diags);
    let values = m.list("values", true, diags, enum_value);
    let correction = m.get("correction").and_then(|n| correction(n, diags));
    m.finish(diags);
    Some(EnumDef { name: name?, kind: kind?, description, values, correction })
}

fn enum_value(node: &Node, diags: &mut Diagnostics) -> Option<EnumValue> {
    let mut m = MapReader::new(node, "an enum value", diags)?;
    let value = m.require("value").cloned();
    let name = m.str("name", false, diags);
    let description = m.str("description", false, diags);
    m.finish(diags);
    Some(EnumValue { value: value?, name, description })
}

fn error_def(node: &Node, diags: &mut Diagnostics) -> Option<ErrorDef> {
    let mut m = MapReader::new(node, "an error", diags)?;
    let span = m.span();
    let code = m.str("code", false, diags);
    let status = m.int("status", true, diags);
    let message = m.str("message", false, diags);
    let description = m.str("description", false, diags);
    let rust_name = m.str("rust_name", false, diags);
    m.finish(diags);
    Some(ErrorDef { span, code, status: status?, message, description, rust_name })
}

fn success_when(node: &Node, diags: &mut Diagnostics) -> Option<SuccessWhen> {
    let mut m = MapReader::new(node, "`success_when`", diags)?;
    let span = m.span();
    let field = m.str("field", true, diags);
    let values = m.list("values", true, diags, |n, d| match &n.value {
        Value::Str(text) => Some(Spanned::new(text.clone(), n.span)),
        Value::Int(i) => Some(Spanned::new(i.to_string(), n.span)),
        _ => {
            d.push(
                wrong_kind(n, "values", "a string or an integer")
                    .help("list the values that mean success, such as \"-1\" or 0"),
            );
            None
        }
    });
    m.finish(diags);
    Some(SuccessWhen { span, field: field?, values })
}

fn example(node: &Node, diags: &mut Diagnostics) -> Option<Example> {
    let mut m = MapReader::new(node, "an example", diags)?;
    let name = m.str("name", true, diags);
    let description = m.str("description", false, diags);
    let request = m.get("request").cloned();
    if let Some(r) = &request
        && !matches!(r.value, Value::Map(_))
    {
        diags.push(wrong_kind(r, "request", "a mapping of parameter names to values"));
    }
    let response = m.require("response").and_then(|n| MapReader::new(n, "the example's `response`", diags));
    let (status, body) = match response {
        Some(mut r) => {
            let status = r.int("status", true, diags);
            let body = r.require("body").cloned();
            r.finish(diags);
            (status, body)
        }
        None => (None, None),
    };
    let correction = m.get("correction").and_then(|n| correction(n, diags));
    m.finish(diags);
    Some(Example { name: name?, description, request, status: status?, body: body?, correction })
}

fn values(node: &Node, key: &str, diags: &mut Diagnostics) -> Vec<Node> {
    match &node.value {
        Value::Seq(items) => items.clone(),
        _ => {
            diags.push(wrong_kind(node, key, "a list of enum values"));
            Vec::new()
        }
    }
}

fn waiter(node: &Node, diags: &mut Diagnostics) -> Option<Waiter> {
    let mut m = MapReader::new(node, "`waiter`", diags)?;
    let status = m.str("status", true, diags);
    let state_list = |key: &'static str, m: &mut MapReader<'_>, diags: &mut Diagnostics| {
        m.require(key).map(|n| values(n, key, diags)).unwrap_or_default()
    };
    let running = state_list("running", &mut m, diags);
    let succeeded = state_list("succeeded", &mut m, diags);
    let failed = state_list("failed", &mut m, diags);
    let progress = m.str("progress", false, diags);
    m.finish(diags);
    Some(Waiter { status: status?, running, succeeded, failed, progress })
}

fn pagination(node: &Node, diags: &mut Diagnostics) -> Option<Pagination> {
    let mut m = MapReader::new(node, "`pagination`", diags)?;
    let span = m.span();
    let style = m.keyword("style", true, diags);
    let items = m.str("items", true, diags);
    let page_size = m.str("page_size", false, diags);
    let total = m.str("total", false, diags);
    let page_number = m.str("page_number", false, diags);
    let first_page = m.int("first_page", false, diags);
    let offset = m.str("offset", false, diags);
    let first_offset = m.int("first_offset", false, diags);
    let marker = m.str("marker", false, diags);
    let marker_field = m.str("marker_field", false, diags);
    let token = m.str("token", false, diags);
    let next_token = m.str("next_token", false, diags);
    m.finish(diags);
    Some(Pagination {
        span,
        style: style?,
        items: items?,
        page_size,
        total,
        page_number,
        first_page,
        offset,
        first_offset,
        marker,
        marker_field,
        token,
        next_token,
    })
}

fn authorization(node: &Node, diags: &mut Diagnostics) -> Option<Authorization> {
    let mut m = MapReader::new(node, "`authorization`", diags)?;
    let action = m.str("action", true, diags);
    let access_level = m.str("access_level", false, diags);
    let resource_type = m.str("resource_type", false, diags);
    m.finish(diags);
    Some(Authorization { action: action?, access_level, resource_type })
}

fn named_endpoint(node: &Node, diags: &mut Diagnostics) -> Option<NamedEndpoint> {
    let mut m = MapReader::new(node, "a named endpoint", diags)?;
    let name = m.str("name", true, diags);
    let host = m.str("host", true, diags);
    let description = m.str("description", false, diags);
    m.finish(diags);
    Some(NamedEndpoint { name: name?, host: host?, description })
}

fn source_note(node: &Node, diags: &mut Diagnostics) -> Option<SourceNote> {
    let mut m = MapReader::new(node, "a source note", diags)?;
    let fact = m.str("fact", true, diags);
    let source = m.str("source", true, diags);
    m.finish(diags);
    Some(SourceNote { fact: fact?, source: source? })
}
