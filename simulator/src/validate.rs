//! Checking a request against its operation's spec: every parameter in its declared place
//! (path, query, header, JSON body), required ones present, values of the declared type, enum
//! values known, and the documented constraints (length, range, charset, pattern) kept.
//!
//! Reads the generator's spec model (`OperationDoc::params`, `types`, `enums`, `constraints`)
//! and resolves types with `spec::types::resolve`, so the simulator enforces exactly what the
//! spec documents. Parameters filled from credentials (`source: auth_token`) are checked by
//! authentication instead. The first problem found is reported, as the providers do.

use std::collections::BTreeMap;

use cloud_task_apis_codegen::spec::model::{Charset, Constraints, EnumKind, Field, OperationDoc, ParamIn, ParamSource};
use cloud_task_apis_codegen::spec::types::{Scalar, TypeExpr, resolve};
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, PrimitiveDateTime};

/// A broken rule: the parameter (dotted for nested body fields) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    /// The wire name, e.g. `pageInfo.pageIndex`.
    pub field: String,
    /// Whether the parameter is missing (rather than invalid).
    pub missing: bool,
    /// The rule and how it is broken.
    pub rule: String,
}

impl Problem {
    fn missing(field: &str) -> Self {
        Self { field: field.to_owned(), missing: true, rule: "is required".to_owned() }
    }

    fn invalid(field: &str, rule: impl Into<String>) -> Self {
        Self { field: field.to_owned(), missing: false, rule: rule.into() }
    }
}

/// A request's parameters as read from the wire.
#[derive(Debug, Default)]
pub(crate) struct RawParams<'a> {
    /// `{name}` values of the path, decoded.
    pub path: &'a [(String, String)],
    /// Query (and, for RPC, form) parameters, decoded.
    pub query: &'a [(String, String)],
    /// Headers with lowercase names.
    pub headers: &'a [(String, String)],
    /// The body bytes.
    pub body: &'a [u8],
}

/// The request's parameters by wire name, typed as JSON (integers as numbers, objects as
/// objects), after validation.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Params {
    values: BTreeMap<String, Value>,
}

impl Params {
    /// The value of a parameter, or at a dotted path into a body parameter.
    pub(crate) fn get(&self, path: &str) -> Option<&Value> {
        let (first, rest) = path.split_once('.').map_or((path, None), |(a, b)| (a, Some(b)));
        let value = self.values.get(first)?;
        match rest {
            None => Some(value),
            Some(rest) => super::catalog::get_path(value, rest),
        }
    }

    /// A string parameter.
    pub(crate) fn str(&self, path: &str) -> Option<&str> {
        self.get(path).and_then(Value::as_str)
    }

    /// An integer parameter.
    pub(crate) fn i64(&self, path: &str) -> Option<i64> {
        self.get(path).and_then(Value::as_i64)
    }

    /// Every parameter except those named in `skip`, for comparing two requests.
    pub(crate) fn without(&self, skip: &[&str]) -> BTreeMap<String, Value> {
        self.values.iter().filter(|(k, _)| !skip.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// Every parameter as one JSON object.
    pub(crate) fn to_json(&self) -> Value {
        Value::Object(self.values.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
    }

    /// Whether every `(name, value)` of a documented example request equals this request's.
    pub(crate) fn matches(&self, example: &Value) -> bool {
        let Value::Object(map) = example else { return false };
        !map.is_empty() && map.iter().all(|(k, v)| self.values.get(k) == Some(v))
    }
}

/// Checks `raw` against `op`'s parameters.
pub(crate) fn validate(op: &OperationDoc, raw: &RawParams<'_>) -> Result<Params, Problem> {
    let mut body: Option<serde_json::Map<String, Value>> = None;
    let has_body_params = op.params.iter().any(|p| location(p) == Some(ParamIn::Body));
    if has_body_params && !raw.body.iter().all(u8::is_ascii_whitespace) {
        match serde_json::from_slice::<Value>(raw.body) {
            Ok(Value::Object(map)) => body = Some(map),
            Ok(_) => return Err(Problem::invalid("(body)", "must be a JSON object")),
            Err(e) => return Err(Problem::invalid("(body)", format!("is not valid JSON: {e}"))),
        }
    }
    let mut values = BTreeMap::new();
    for param in &op.params {
        if param.source.as_ref().is_some_and(|s| s.value == ParamSource::AuthToken) {
            continue;
        }
        let name = param.name.value.as_str();
        let Ok(ty) = resolve(op, &param.ty, param.items.as_ref()) else { continue };
        let value = match location(param) {
            Some(ParamIn::Body) => match body.as_ref().and_then(|b| b.get(name)).filter(|v| !v.is_null()) {
                Some(v) => {
                    json_value(op, &ty, &param.constraints, v, name)?;
                    Some(v.clone())
                }
                None => None,
            },
            Some(ParamIn::Path) => text_param(op, &ty, param, find(raw.path, name, false))?,
            Some(ParamIn::Header) => text_param(op, &ty, param, find(raw.headers, name, true))?,
            Some(ParamIn::Query) | None => {
                if let TypeExpr::Array(item) = &ty {
                    let texts: Vec<&str> =
                        raw.query.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect();
                    let items = texts
                        .iter()
                        .map(|t| text_value(op, item, &Constraints::default(), t, name))
                        .collect::<Result<Vec<_>, _>>()?;
                    (!items.is_empty()).then_some(Value::Array(items))
                } else {
                    text_param(op, &ty, param, find(raw.query, name, false))?
                }
            }
        };
        match value {
            Some(v) => {
                values.insert(name.to_owned(), v);
            }
            None if param.required.value => return Err(Problem::missing(name)),
            None => {}
        }
    }
    Ok(Params { values })
}

fn location(param: &Field) -> Option<ParamIn> {
    param.location.as_ref().map(|l| l.value)
}

fn find<'a>(pairs: &'a [(String, String)], name: &str, any_case: bool) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| if any_case { k.eq_ignore_ascii_case(name) } else { k == name }).map(|(_, v)| v.as_str())
}

fn text_param(op: &OperationDoc, ty: &TypeExpr, param: &Field, text: Option<&str>) -> Result<Option<Value>, Problem> {
    text.map(|t| text_value(op, ty, &param.constraints, t, &param.name.value)).transpose()
}

/// A parameter sent as text (path, query, header), converted to its typed JSON value.
fn text_value(op: &OperationDoc, ty: &TypeExpr, c: &Constraints, text: &str, name: &str) -> Result<Value, Problem> {
    let value = match ty {
        TypeExpr::Scalar(Scalar::Int32 | Scalar::Int64) => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| Problem::invalid(name, format!("must be an integer, got {text:?}")))?,
        TypeExpr::Scalar(Scalar::Float64) => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| Problem::invalid(name, format!("must be a number, got {text:?}")))?,
        TypeExpr::Scalar(Scalar::Boolean) => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(Problem::invalid(name, format!("must be true or false, got {text:?}"))),
        },
        TypeExpr::Enum(i) if op.enums.get(*i).is_some_and(|e| e.kind.value == EnumKind::Integer) => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| Problem::invalid(name, format!("must be an integer, got {text:?}")))?,
        TypeExpr::Object(_) | TypeExpr::Array(_) | TypeExpr::Scalar(Scalar::Json) => {
            serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
        }
        _ => Value::String(text.to_owned()),
    };
    json_value(op, ty, c, &value, name)?;
    Ok(value)
}

/// Checks a JSON value against a type and constraints; `path` names it in problems.
fn json_value(op: &OperationDoc, ty: &TypeExpr, c: &Constraints, value: &Value, path: &str) -> Result<(), Problem> {
    match ty {
        TypeExpr::Array(item) => {
            let Value::Array(items) = value else { return Err(Problem::invalid(path, "must be a list")) };
            for (i, v) in items.iter().enumerate() {
                json_value(op, item, &Constraints::default(), v, &format!("{path}[{i}]"))?;
            }
        }
        TypeExpr::Object(i) => {
            let (Some(t), Value::Object(map)) = (op.types.get(*i), value) else {
                return Err(Problem::invalid(path, "must be an object"));
            };
            for f in &t.fields {
                let inner = format!("{path}.{}", f.name.value);
                match map.get(&f.name.value).filter(|v| !v.is_null()) {
                    Some(v) => {
                        let Ok(fty) = resolve(op, &f.ty, f.items.as_ref()) else { continue };
                        json_value(op, &fty, &f.constraints, v, &inner)?;
                    }
                    None if f.required.value => return Err(Problem::missing(&inner)),
                    None => {}
                }
            }
        }
        TypeExpr::Enum(i) => {
            let Some(e) = op.enums.get(*i) else { return Ok(()) };
            let known: Vec<Value> = e.values.iter().map(|v| v.value.to_json()).collect();
            if !known.contains(value) {
                let listed: Vec<String> = known.iter().map(Value::to_string).collect();
                return Err(Problem::invalid(path, format!("must be one of {}, got {value}", listed.join(", "))));
            }
        }
        TypeExpr::Scalar(s) => scalar(*s, value, path)?,
    }
    constraints(c, value, path)
}

fn scalar(s: Scalar, value: &Value, path: &str) -> Result<(), Problem> {
    let fail = |what: &str| Err(Problem::invalid(path, format!("must be {what}, got {value}")));
    match s {
        Scalar::String => {
            if !value.is_string() {
                return fail("a string");
            }
        }
        Scalar::Int32 => {
            if value.as_i64().and_then(|n| i32::try_from(n).ok()).is_none() {
                return fail("a 32-bit integer");
            }
        }
        Scalar::Int64 => {
            if value.as_i64().is_none() {
                return fail("an integer");
            }
        }
        Scalar::EpochMillis | Scalar::EpochSeconds => {
            if value.as_i64().is_none() && value.as_str().is_none_or(|t| t.parse::<i64>().is_err()) {
                return fail("an integer count (a number or a string of digits)");
            }
        }
        // The forms are the field's; the generated decoder holds each response to them.
        Scalar::Time => {
            if !value.is_string() && value.as_i64().is_none() {
                return fail("a time (a string or an integer count)");
            }
        }
        Scalar::Float64 => {
            if !value.is_number() {
                return fail("a number");
            }
        }
        Scalar::Boolean => {
            if !value.is_boolean() {
                return fail("true or false");
            }
        }
        Scalar::Rfc3339 => {
            if value.as_str().is_none_or(|t| OffsetDateTime::parse(t, &Rfc3339).is_err()) {
                return fail("an RFC 3339 time");
            }
        }
        Scalar::LocalDateTime => {
            if value.as_str().and_then(parse_local).is_none() {
                return fail("a time YYYY-MM-DD HH:MM:SS (or T between date and time, with a fraction)");
            }
        }
        Scalar::Json => {}
    }
    Ok(())
}

/// Parses a date-time without a zone (`YYYY-MM-DD HH:MM:SS`, `T` or a space, 0 to 9 fraction
/// digits), as the generated decoder does.
pub(crate) fn parse_local(text: &str) -> Option<PrimitiveDateTime> {
    text.parse::<cloud_task_apis::value::LocalDateTime<0>>().ok().map(|t| t.as_primitive())
}

fn constraints(c: &Constraints, value: &Value, path: &str) -> Result<(), Problem> {
    if let Some(text) = value.as_str() {
        let length = i64::try_from(text.chars().count()).unwrap_or(i64::MAX);
        if let Some(min) = &c.min_length
            && length < min.value
        {
            return Err(Problem::invalid(
                path,
                format!("must be at least {} characters long, got {length}", min.value),
            ));
        }
        if let Some(max) = &c.max_length
            && length > max.value
        {
            return Err(Problem::invalid(path, format!("must be at most {} characters long, got {length}", max.value)));
        }
        match c.charset.as_ref().map(|s| s.value) {
            Some(Charset::Ascii) if !text.is_ascii() => {
                return Err(Problem::invalid(path, "must contain only ASCII characters"));
            }
            Some(Charset::Alphanumeric) if !text.chars().all(|ch| ch.is_ascii_alphanumeric()) => {
                return Err(Problem::invalid(path, "must contain only letters and digits"));
            }
            _ => {}
        }
        if let Some(pattern) = &c.pattern
            && let Ok(re) = regex_lite::Regex::new(&format!("^(?:{})$", pattern.value))
            && !re.is_match(text)
        {
            return Err(Problem::invalid(path, format!("must match the pattern {}", pattern.value)));
        }
    }
    if let Some(n) = value.as_f64() {
        if let Some(min) = &c.minimum
            && n < min.value as f64
        {
            return Err(Problem::invalid(path, format!("must be at least {}, got {value}", min.value)));
        }
        if let Some(max) = &c.maximum
            && n > max.value as f64
        {
            return Err(Problem::invalid(path, format!("must be at most {}, got {value}", max.value)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Catalog, embedded};

    fn with_op<T>(name: &str, f: impl FnOnce(&OperationDoc) -> T) -> T {
        let catalog = Catalog::load(embedded()).expect("specs");
        let op = catalog.find(name).expect("operation");
        f(op.op)
    }

    #[test]
    fn body_parameters_are_typed_and_nested_fields_checked() {
        with_op("ShowTransferTaskLog", |op| {
            let path = [("task_id".to_owned(), "CDaRPdvKUfZrAhzTaYs".to_owned())];
            let ok = RawParams {
                path: &path,
                body: br#"{"order":"asc","pageInfo":{"pageIndex":2,"pageTotal":5}}"#,
                ..RawParams::default()
            };
            let params = validate(op, &ok).expect("valid");
            assert_eq!(params.i64("pageInfo.pageIndex"), Some(2));
            assert_eq!(params.str("order"), Some("asc"));

            let missing = RawParams { path: &path, body: br#"{"pageInfo":{"pageIndex":2}}"#, ..RawParams::default() };
            assert_eq!(validate(op, &missing), Err(Problem::missing("pageInfo.pageTotal")));

            let bad_enum = RawParams { path: &path, body: br#"{"order":"up"}"#, ..RawParams::default() };
            let problem = validate(op, &bad_enum).expect_err("bad enum");
            assert_eq!(problem.field, "order");
            assert!(problem.rule.contains("\"desc\""), "{}", problem.rule);

            let short = [("task_id".to_owned(), "short".to_owned())];
            let problem = validate(op, &RawParams { path: &short, ..RawParams::default() }).expect_err("length");
            assert_eq!(problem.field, "task_id");
            assert!(problem.rule.contains("at least 19"), "{}", problem.rule);

            let not_json = RawParams { path: &path, body: b"{", ..RawParams::default() };
            assert_eq!(validate(op, &not_json).expect_err("json").field, "(body)");
        });
    }

    #[test]
    fn query_parameters_are_typed() {
        with_op("GetDeliveryHistoryJob", |op| {
            let query = [("JobId".to_owned(), "16602".to_owned())];
            let params = validate(op, &RawParams { query: &query, ..RawParams::default() }).expect("valid");
            assert_eq!(params.i64("JobId"), Some(16602));
            assert!(params.matches(&serde_json::json!({"JobId": 16602})));
            let query = [("JobId".to_owned(), "x".to_owned())];
            let problem = validate(op, &RawParams { query: &query, ..RawParams::default() }).expect_err("not int");
            assert!(!problem.missing);
            assert_eq!(validate(op, &RawParams::default()), Err(Problem::missing("JobId")));
        });
        with_op("CreateDeliveryHistoryJob", |op| {
            let query = [("TrailName".to_owned(), "t".to_owned()), ("ClientToken".to_owned(), "é".to_owned())];
            let problem = validate(op, &RawParams { query: &query, ..RawParams::default() }).expect_err("ascii");
            assert_eq!(problem.field, "ClientToken");
        });
        with_op("ListShippingTasks", |op| {
            let query = [
                ("shipper_id".to_owned(), "s".to_owned()),
                ("start_time".to_owned(), "2024-01-01 00:00:00".to_owned()),
                ("end_time".to_owned(), "yesterday".to_owned()),
            ];
            let problem = validate(op, &RawParams { query: &query, ..RawParams::default() }).expect_err("time");
            assert_eq!(problem.field, "end_time");
        });
    }
}
