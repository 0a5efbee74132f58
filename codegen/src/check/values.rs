//! Rules about example and default values: each must fit its declared type, enum and
//! constraints, so the documented examples are known-good test data.

use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::spec::model::{Charset, Constraints, Field, OperationDoc, ParamSource, ServiceSpec, Shape};
use crate::spec::types::{Scalar, TypeExpr, resolve};
use crate::spec::yaml::{Node, Value};

/// Rule: every `example` and `default` of a field, and every documented example request and
/// response, fits the declared types, enums and constraints.
pub fn check_examples(spec: &ServiceSpec, op: &OperationDoc, diags: &mut Diagnostics) {
    let checker = Checker { op };
    for f in op.params.iter().chain(&op.response).chain(op.types.iter().flat_map(|t| &t.fields)) {
        for (what, node) in [("example", &f.example), ("default", &f.default)] {
            if let Some(node) = node {
                checker.field_value(f, node, &format!("{what} of `{}`", f.name.value), diags);
            }
        }
    }
    let mut names = std::collections::BTreeMap::new();
    for ex in &op.examples {
        if let Some(first) = names.insert(ex.name.value.as_str(), ex.name.span) {
            diags.push(
                Diagnostic::error(ex.name.span, format!("duplicate example `{}`", ex.name.value))
                    .label("second example with this name")
                    .also(first, "first defined here"),
            );
        }
        let context = format!("example `{}`", ex.name.value);
        if let Some(request) = &ex.request {
            checker.request(request, &context, diags);
        }
        if ex.status.value >= 400 {
            check_error_body(spec, op, &ex.body, &context, diags);
        } else {
            checker.object(&op.response, "the response", &ex.body, &context, diags);
        }
    }
}

struct Checker<'a> {
    op: &'a OperationDoc,
}

impl Checker<'_> {
    fn request(&self, node: &Node, context: &str, diags: &mut Diagnostics) {
        let Value::Map(entries) = &node.value else { return };
        for (key, value) in entries {
            let Some(name) = key.as_str() else { continue };
            match self.op.params.iter().find(|p| p.name.value == name) {
                Some(p) => self.field_value(p, value, &format!("{context}: parameter `{name}`"), diags),
                None => diags.push(unknown_key(key, name, "request parameters", self.op.params.iter(), context)),
            }
        }
        for p in &self.op.params {
            let caller = p.source.as_ref().is_none_or(|s| s.value == ParamSource::Caller);
            let given = entries.iter().any(|(k, _)| k.as_str() == Some(&p.name.value));
            if caller && p.required.value && !given {
                diags.push(
                    Diagnostic::error(
                        node.span,
                        format!("{context}: the request lacks required parameter `{}`", p.name.value),
                    )
                    .label("incomplete example request")
                    .also(p.name.span, "required here"),
                );
            }
        }
    }

    fn object(&self, fields: &[Field], type_name: &str, node: &Node, context: &str, diags: &mut Diagnostics) {
        let Value::Map(entries) = &node.value else {
            diags.push(
                Diagnostic::error(
                    node.span,
                    format!("{context}: expected an object for {type_name}, found {}", node.kind()),
                )
                .label("not an object"),
            );
            return;
        };
        for (key, value) in entries {
            let Some(name) = key.as_str() else { continue };
            match fields.iter().find(|f| f.name.value == name) {
                Some(f) => self.field_value(f, value, &format!("{context}: `{name}`"), diags),
                None => diags.push(unknown_key(key, name, type_name, fields.iter(), context)),
            }
        }
        for f in fields.iter().filter(|f| f.required.value) {
            if !entries.iter().any(|(k, _)| k.as_str() == Some(&f.name.value)) {
                diags.push(
                    Diagnostic::error(
                        node.span,
                        format!("{context}: required field `{}` of {type_name} is missing", f.name.value),
                    )
                    .label("incomplete object")
                    .also(f.name.span, "declared required here")
                    .help("add the field to the example, or declare it `required: false`"),
                );
            }
        }
    }

    fn field_value(&self, f: &Field, node: &Node, context: &str, diags: &mut Diagnostics) {
        let Ok(ty) = resolve(self.op, &f.ty, f.items.as_ref()) else { return };
        if node.value == Value::Null {
            if f.required.value {
                diags.push(
                    Diagnostic::error(node.span, format!("{context}: null for a required field"))
                        .label("null")
                        .also(f.required.span, "declared required here")
                        .help("declare it `required: false` if the provider sends null"),
                );
            }
            return;
        }
        self.value(&ty, f.shape.as_ref().map(|s| s.value), &f.constraints, node, context, diags);
    }

    fn value(
        &self,
        ty: &TypeExpr,
        shape: Option<Shape>,
        c: &Constraints,
        node: &Node,
        context: &str,
        diags: &mut Diagnostics,
    ) {
        let mismatch = |expected: &str| {
            Diagnostic::error(node.span, format!("{context}: expected {expected}, found {}", node.kind()))
                .label(format!("not {expected}"))
        };
        match (ty, &node.value) {
            (TypeExpr::Array(item), Value::Seq(items)) => {
                length(items.len(), c, node, context, diags);
                for (i, n) in items.iter().enumerate() {
                    self.value(item, None, &Constraints::default(), n, &format!("{context}[{i}]"), diags);
                }
            }
            (TypeExpr::Array(item), Value::Map(_)) if shape == Some(Shape::OneOrMany) => {
                self.value(item, None, &Constraints::default(), node, context, diags);
            }
            (TypeExpr::Array(_), _) => diags.push(mismatch("a list")),
            (TypeExpr::Object(i), _) => {
                let t = &self.op.types[*i];
                self.object(&t.fields, &format!("`{}`", t.name.value), node, context, diags);
            }
            (TypeExpr::Enum(i), _) => {
                let e = &self.op.enums[*i];
                if !e.values.iter().any(|v| v.value.value == node.value) {
                    let listed: Vec<String> = e.values.iter().map(|v| display(&v.value)).collect();
                    diags.push(
                        Diagnostic::error(
                            node.span,
                            format!("{context}: {} is not a value of enum `{}`", display(node), e.name.value),
                        )
                        .label("unknown value")
                        .also(e.name.span, "enum defined here")
                        .help(format!("values: {}", listed.join(", "))),
                    );
                }
            }
            (TypeExpr::Scalar(s), v) => scalar(*s, shape, c, node, v, context, diags),
        }
    }
}

fn scalar(
    s: Scalar,
    shape: Option<Shape>,
    c: &Constraints,
    node: &Node,
    v: &Value,
    context: &str,
    diags: &mut Diagnostics,
) {
    let mismatch = |expected: &str| {
        Diagnostic::error(node.span, format!("{context}: expected {expected}, found {}", node.kind()))
            .label(format!("not {expected}"))
    };
    match (s, v) {
        (Scalar::String, Value::Str(text)) => string(text, c, node, context, diags),
        (Scalar::String, Value::Int(_) | Value::Float(_)) if shape == Some(Shape::StringOrNumber) => {}
        (Scalar::String, _) => diags.push(mismatch("a string").help("quote the value if it is text")),
        (Scalar::Int32 | Scalar::Int64, Value::Int(i)) => {
            if s == Scalar::Int32 && i32::try_from(*i).is_err() {
                diags.push(
                    Diagnostic::error(node.span, format!("{context}: {i} does not fit int32"))
                        .label("too large")
                        .help("declare the field `int64`"),
                );
            }
            range(*i, c, node, context, diags);
        }
        (Scalar::Int32 | Scalar::Int64, _) => diags.push(mismatch("an integer")),
        (Scalar::Float64, Value::Int(_) | Value::Float(_)) => {}
        (Scalar::Float64, _) => diags.push(mismatch("a number")),
        (Scalar::Boolean, Value::Bool(_)) => {}
        (Scalar::Boolean, _) => diags.push(mismatch("`true` or `false`")),
        (Scalar::EpochMillis, Value::Int(_)) => {}
        (Scalar::EpochMillis, _) => diags.push(mismatch("milliseconds since the epoch (an integer)")),
        (Scalar::Rfc3339, Value::Str(text)) if is_rfc3339(text) => {}
        (Scalar::Rfc3339, _) => diags.push(mismatch("an RFC 3339 time such as \"2021-05-27T07:15:03Z\"")),
        (Scalar::LocalDateTime, Value::Str(text)) if is_local_datetime(text) => {}
        (Scalar::LocalDateTime, _) => diags.push(mismatch("a time as \"YYYY-MM-DD HH:MM:SS\"")),
        (Scalar::Json, _) => {}
    }
}

fn string(text: &str, c: &Constraints, node: &Node, context: &str, diags: &mut Diagnostics) {
    length(text.chars().count(), c, node, context, diags);
    if let Some(charset) = &c.charset {
        let ok = match charset.value {
            Charset::Ascii => text.is_ascii(),
            Charset::Alphanumeric => text.chars().all(|ch| ch.is_ascii_alphanumeric()),
        };
        if !ok {
            diags.push(
                Diagnostic::error(
                    node.span,
                    format!("{context}: \"{text}\" has characters outside `{}`", charset.value.word()),
                )
                .label("charset violated")
                .also(charset.span, "constraint declared here"),
            );
        }
    }
    if let Some(pattern) = &c.pattern {
        if let Ok(re) = regex_lite::Regex::new(&format!("^(?:{})$", pattern.value)) {
            if !re.is_match(text) {
                diags.push(
                    Diagnostic::error(node.span, format!("{context}: \"{text}\" does not match the pattern"))
                        .label("pattern violated")
                        .also(pattern.span, "pattern declared here"),
                );
            }
        }
    }
}

fn length(len: usize, c: &Constraints, node: &Node, context: &str, diags: &mut Diagnostics) {
    let len = i64::try_from(len).unwrap_or(i64::MAX);
    let min = c.min_length.as_ref().filter(|m| len < m.value);
    let max = c.max_length.as_ref().filter(|m| len > m.value);
    if let Some(bound) = min.or(max) {
        let lo = c.min_length.as_ref().map_or(0, |m| m.value);
        let hi = c.max_length.as_ref().map_or(String::new(), |m| m.value.to_string());
        diags.push(
            Diagnostic::error(node.span, format!("{context}: length {len} is outside {lo}..={hi}"))
                .label("length constraint violated")
                .also(bound.span, "constraint declared here"),
        );
    }
}

fn range(value: i64, c: &Constraints, node: &Node, context: &str, diags: &mut Diagnostics) {
    let low = c.minimum.as_ref().filter(|m| value < m.value);
    let high = c.maximum.as_ref().filter(|m| value > m.value);
    if let Some(bound) = low.or(high) {
        let lo = c.minimum.as_ref().map_or(String::new(), |m| m.value.to_string());
        let hi = c.maximum.as_ref().map_or(String::new(), |m| m.value.to_string());
        diags.push(
            Diagnostic::error(node.span, format!("{context}: {value} is outside {lo}..={hi}"))
                .label("range constraint violated")
                .also(bound.span, "constraint declared here"),
        );
    }
}

/// Rule: an error example carries the service's error envelope with a documented code.
fn check_error_body(spec: &ServiceSpec, op: &OperationDoc, body: &Node, context: &str, diags: &mut Diagnostics) {
    let code_key = spec.service.error_envelope.value.code_key();
    let Value::Map(entries) = &body.value else {
        diags.push(
            Diagnostic::error(body.span, format!("{context}: an error body must be an object"))
                .label(format!("expected an object with `{code_key}`")),
        );
        return;
    };
    let Some((_, code)) = entries.iter().find(|(k, _)| k.as_str() == Some(code_key)) else {
        diags.push(
            Diagnostic::error(body.span, format!("{context}: the error body has no `{code_key}`"))
                .label("not the service's error envelope")
                .also(spec.service.error_envelope.span, "envelope declared here"),
        );
        return;
    };
    let code_text = code.as_str().unwrap_or_default();
    let known = op.errors.iter().chain(&spec.service.errors).any(|e| e.code.value == code_text);
    if !known {
        diags.push(
            Diagnostic::warning(
                code.span,
                format!("{context}: error code `{code_text}` is not documented for this operation"),
            )
            .label("no typed variant will match")
            .help("add it to `errors` with its HTTP status"),
        );
    }
}

fn unknown_key<'a>(
    key: &Node,
    name: &str,
    scope: &str,
    fields: impl Iterator<Item = &'a Field>,
    context: &str,
) -> Diagnostic {
    let names: Vec<&str> = fields.map(|f| f.name.value.as_str()).collect();
    Diagnostic::error(key.span, format!("{context}: `{name}` is not declared in {scope}"))
        .label("unknown field")
        .maybe_help(
            did_you_mean(name, names.iter().copied())
                .map(|c| format!("did you mean `{c}`?"))
                .or_else(|| Some("declare it (with a correction if the document's table misses it)".to_owned())),
        )
}

fn display(node: &Node) -> String {
    match &node.value {
        Value::Str(s) => format!("\"{s}\""),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        other => format!("{other:?}"),
    }
}

fn is_rfc3339(text: &str) -> bool {
    regex_lite::Regex::new(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
        .is_ok_and(|re| re.is_match(text))
}

fn is_local_datetime(text: &str) -> bool {
    regex_lite::Regex::new(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$").is_ok_and(|re| re.is_match(text))
}
