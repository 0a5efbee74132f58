//! Rules about example and default values: each must fit its declared type, enum and
//! constraints, so the documented examples are known-good test data.
//!
//! Lookups go through maps built once per operation, so checking costs time in proportion to
//! the size of the examples, however many fields the types declare.

use std::cell::RefCell;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

use regex_lite::Regex;

use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::ir::names::snake;
use crate::spec::model::{Charset, Constraints, Field, OperationDoc, ParamSource, ServiceSpec, Shape, TimeForm};
use crate::spec::types::{Scalar, TypeExpr, resolve};
use crate::spec::yaml::{Node, ScalarKey, Value};

/// How many missing fields one diagnostic names before it says "and N more".
const NAMED: usize = 5;

/// Rule: every `example` and `default` of a field, and every documented example request and
/// response, fits the declared types, enums and constraints; examples have unique snake case
/// names (they name generated tests) and real HTTP statuses.
pub fn check_examples(spec: &ServiceSpec, op: &OperationDoc, diags: &mut Diagnostics) {
    let checker = Checker::new(op);
    for f in op.params.iter().chain(&op.response).chain(op.own_types().iter().flat_map(|t| &t.fields)) {
        for (what, node) in [("example", &f.example), ("default", &f.default)] {
            if let Some(node) = node {
                checker.field_value(f, node, &format!("{what} of `{}`", f.name.value), diags);
            }
        }
    }
    let mut names = BTreeMap::new();
    for ex in &op.examples {
        if let Some(first) = names.insert(ex.name.value.as_str(), ex.name.span) {
            diags.push(
                Diagnostic::error(ex.name.span, format!("duplicate example `{}`", ex.name.value))
                    .label("second example with this name")
                    .also(first, "first defined here")
                    .help("each example becomes a test named after it; rename one"),
            );
        }
        let usable = snake(&ex.name.value);
        if usable != ex.name.value {
            diags.push(
                Diagnostic::error(
                    ex.name.span,
                    format!("example name `{}` is not a snake_case identifier", ex.name.value),
                )
                .label("names a generated test")
                .help(format!("write `{usable}`")),
            );
        }
        super::fields::check_status(ex.status.value, ex.status.span, diags);
        let context = format!("example `{}`", ex.name.value);
        if let Some(request) = &ex.request {
            checker.request(request, &context, diags);
        }
        if ex.status.value >= 400 {
            check_error_body(spec, op, ex.status.value, &ex.body, &context, diags);
        } else {
            checker.object(&checker.response, "the response", &ex.body, &context, diags);
        }
    }
}

/// The fields of one object (the response, a type, or the request parameters) by wire name
/// (the first of two fields with one name), and those an example must give.
struct Scope<'a> {
    fields: &'a [Field],
    by_name: HashMap<&'a str, &'a Field>,
    required: Vec<&'a Field>,
}

impl<'a> Scope<'a> {
    fn new(fields: &'a [Field], must_give: impl Fn(&Field) -> bool) -> Self {
        let mut by_name = HashMap::new();
        let mut required = Vec::new();
        for f in fields {
            if let Entry::Vacant(slot) = by_name.entry(f.name.value.as_str()) {
                slot.insert(f);
                if must_give(f) {
                    required.push(f);
                }
            }
        }
        Self { fields, by_name, required }
    }

    /// The required fields `entries` lacks: at most [`NAMED`] of them, and how many in all.
    /// Costs time in proportion to `entries` and [`NAMED`], not to the declared fields.
    fn missing(&self, entries: &[(Node, Node)]) -> (Vec<&'a Field>, usize) {
        let given: HashSet<&str> = entries.iter().filter_map(|(k, _)| k.as_str()).collect();
        let present = self.required.iter().filter(|f| given.contains(f.name.value.as_str())).count();
        let count = self.required.len() - present.min(self.required.len());
        let named = if count == 0 {
            Vec::new()
        } else {
            self.required.iter().filter(|f| !given.contains(f.name.value.as_str())).take(NAMED).copied().collect()
        };
        (named, count)
    }
}

struct Checker<'a> {
    op: &'a OperationDoc,
    params: Scope<'a>,
    response: Scope<'a>,
    types: Vec<Scope<'a>>,
    enum_values: Vec<HashSet<ScalarKey>>,
    patterns: RefCell<HashMap<&'a str, Option<Regex>>>,
}

impl<'a> Checker<'a> {
    fn new(op: &'a OperationDoc) -> Self {
        let caller_required =
            |p: &Field| p.required.value && p.source.as_ref().is_none_or(|s| s.value == ParamSource::Caller);
        Self {
            op,
            params: Scope::new(&op.params, caller_required),
            response: Scope::new(&op.response, |f| f.required.value),
            types: op.types.iter().map(|t| Scope::new(&t.fields, |f| f.required.value)).collect(),
            enum_values: op
                .enums
                .iter()
                .map(|e| e.values.iter().filter_map(|v| ScalarKey::of(&v.value.value)).collect())
                .collect(),
            patterns: RefCell::new(HashMap::new()),
        }
    }

    fn request(&self, node: &Node, context: &str, diags: &mut Diagnostics) {
        let Value::Map(entries) = &node.value else { return };
        for (key, value) in entries {
            let Some(name) = key.as_str() else { continue };
            match self.params.by_name.get(name) {
                Some(p) => {
                    let context = format!("{context}: parameter `{name}`");
                    self.refused_empty(p, value, &context, diags);
                    self.field_value(p, value, &context, diags);
                }
                None => diags.push(unknown_key(key, name, "the request parameters", &self.params, context)),
            }
        }
        let (missing, count) = self.params.missing(entries);
        if let Some(first) = missing.first() {
            let names = name_list(&missing, count);
            let what = if count == 1 { "parameter" } else { "parameters" };
            diags.push(
                Diagnostic::error(node.head(), format!("{context}: the request lacks required {what} {names}"))
                    .label("incomplete example request")
                    .also(first.name.span, "required here")
                    .help("add the parameters the document's example sends"),
            );
        }
    }

    /// Rule: an example request sends no value the client would refuse as empty: an empty
    /// required string without `allow_empty: true`, or a blank idempotency token.
    fn refused_empty(&self, p: &Field, value: &Node, context: &str, diags: &mut Diagnostics) {
        let Value::Str(text) = &value.value else { return };
        let token = self.op.idempotency_token.as_ref().is_some_and(|t| t.value == p.name.value);
        let (refused, help) = if token {
            (text.trim().is_empty(), "an idempotency token is never blank; leave it out for a fresh one")
        } else {
            let allowed = p.allow_empty.as_ref().is_some_and(|a| a.value);
            let caller = p.source.as_ref().is_none_or(|s| s.value == ParamSource::Caller);
            (
                text.is_empty() && p.required.value && caller && !allowed && p.ty.value == "string",
                "the client refuses an empty required value; if the document allows one, mark the parameter \
                 `allow_empty: true`",
            )
        };
        if refused {
            diags.push(
                Diagnostic::error(value.span, format!("{context}: the value is empty"))
                    .label("refused before sending")
                    .also(p.name.span, "parameter declared here")
                    .help(help),
            );
        }
    }

    fn object(&self, scope: &Scope<'a>, type_name: &str, node: &Node, context: &str, diags: &mut Diagnostics) {
        let Value::Map(entries) = &node.value else {
            diags.push(
                Diagnostic::error(
                    node.head(),
                    format!("{context}: expected an object for {type_name}, found {}", node.kind()),
                )
                .label("not an object"),
            );
            return;
        };
        for (key, value) in entries {
            let Some(name) = key.as_str() else { continue };
            match scope.by_name.get(name) {
                Some(f) => self.field_value(f, value, &format!("{context}: `{name}`"), diags),
                None => diags.push(unknown_key(key, name, type_name, scope, context)),
            }
        }
        let (missing, count) = scope.missing(entries);
        if let Some(first) = missing.first() {
            let names = name_list(&missing, count);
            let (what, verb) = if count == 1 { ("field", "is") } else { ("fields", "are") };
            diags.push(
                Diagnostic::error(
                    node.head(),
                    format!("{context}: required {what} {names} of {type_name} {verb} missing"),
                )
                .label("incomplete object")
                .also(first.name.span, "declared required here")
                .help("add the field to the example, or declare it `required: false`"),
            );
        }
    }

    fn field_value(&self, f: &'a Field, node: &Node, context: &str, diags: &mut Diagnostics) {
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
        let forms: Vec<TimeForm> = f.forms.iter().map(|form| form.value).collect();
        let shape = f.shape.as_ref().map(|s| s.value);
        self.value(&ty, Wire { shape, forms: &forms }, &f.constraints, node, context, diags);
    }

    fn value(
        &self,
        ty: &TypeExpr,
        wire: Wire<'_>,
        c: &'a Constraints,
        node: &Node,
        context: &str,
        diags: &mut Diagnostics,
    ) {
        static NONE: Constraints = Constraints {
            min_length: None,
            max_length: None,
            minimum: None,
            maximum: None,
            charset: None,
            pattern: None,
        };
        match (ty, &node.value) {
            (TypeExpr::Array(item), Value::Seq(items)) => {
                length(items.len(), c, node, context, diags);
                for (i, n) in items.iter().enumerate() {
                    self.value(item, wire.items(), &NONE, n, &format!("{context}[{i}]"), diags);
                }
            }
            (TypeExpr::Array(item), Value::Map(_)) if wire.shape == Some(Shape::OneOrMany) => {
                self.value(item, wire.items(), &NONE, node, context, diags);
            }
            (TypeExpr::Array(_), _) => diags.push(mismatch(node, context, "a list", None)),
            (TypeExpr::Object(i), _) => {
                if let (Some(t), Some(scope)) = (self.op.types.get(*i), self.types.get(*i)) {
                    self.object(scope, &format!("`{}`", t.name.value), node, context, diags);
                }
            }
            (TypeExpr::Enum(i), _) => {
                let (Some(e), Some(values)) = (self.op.enums.get(*i), self.enum_values.get(*i)) else { return };
                if !ScalarKey::of(&node.value).is_some_and(|k| values.contains(&k)) {
                    let words: Vec<&str> = e.values.iter().filter_map(|v| v.value.as_str()).collect();
                    let listed = super::lifecycle::list_values(e);
                    let hint = match node.as_str().and_then(|text| did_you_mean(text, words.iter().copied())) {
                        Some(close) => format!("did you mean `{close}`? values: {listed}"),
                        None => format!("values: {listed}"),
                    };
                    diags.push(
                        Diagnostic::error(
                            node.head(),
                            format!("{context}: {} is not a value of enum `{}`", display(node), e.name.value),
                        )
                        .label("unknown value")
                        .also(e.name.span, "enum defined here")
                        .help(hint),
                    );
                }
            }
            (TypeExpr::Scalar(s), v) => self.scalar(*s, wire, c, node, v, context, diags),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn scalar(
        &self,
        s: Scalar,
        wire: Wire<'_>,
        c: &'a Constraints,
        node: &Node,
        v: &Value,
        context: &str,
        diags: &mut Diagnostics,
    ) {
        match (s, v) {
            (Scalar::String, Value::Str(text)) => self.string(text, c, node, context, diags),
            _ => scalar(s, wire, c, node, v, context, diags),
        }
    }

    fn string(&self, text: &str, c: &'a Constraints, node: &Node, context: &str, diags: &mut Diagnostics) {
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
            let mut patterns = self.patterns.borrow_mut();
            let re = patterns
                .entry(pattern.value.as_str())
                .or_insert_with(|| Regex::new(&format!("^(?:{})$", pattern.value)).ok());
            if re.as_ref().is_some_and(|re| !re.is_match(text)) {
                diags.push(
                    Diagnostic::error(node.span, format!("{context}: \"{text}\" does not match the pattern"))
                        .label("pattern violated")
                        .also(pattern.span, "pattern declared here")
                        .help("the whole value must match; fix the example or the pattern"),
                );
            }
        }
    }
}

/// `` `a`, `b` and `c` `` (with "and N more" past [`NAMED`]).
fn name_list(named: &[&Field], count: usize) -> String {
    let mut listed: Vec<String> = named.iter().map(|f| format!("`{}`", f.name.value)).collect();
    if count > named.len() {
        listed.push(format!("{} more", count - named.len()));
    }
    match listed.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => listed.concat(),
    }
}

/// The error for a value of another kind than the type needs.
fn mismatch(node: &Node, context: &str, expected: &str, help: Option<&str>) -> Diagnostic {
    Diagnostic::error(node.head(), format!("{context}: expected {expected}, found {}", node.kind()))
        .label(format!("not {expected}"))
        .maybe_help(help.map(str::to_owned))
}

/// Field facts beyond the type that decide which wire values fit: `shape`, and the `forms` of
/// a `time` field.
#[derive(Clone, Copy)]
struct Wire<'f> {
    shape: Option<Shape>,
    forms: &'f [TimeForm],
}

impl Wire<'_> {
    /// The facts for the items of an array: no shape, the same forms.
    fn items(self) -> Self {
        Self { shape: None, ..self }
    }
}

fn scalar(s: Scalar, wire: Wire<'_>, c: &Constraints, node: &Node, v: &Value, context: &str, diags: &mut Diagnostics) {
    let wrong = |expected: &str, help: Option<&str>| mismatch(node, context, expected, help);
    let form = match s {
        Scalar::Rfc3339 => Some(TimeForm::Rfc3339),
        Scalar::LocalDateTime => Some(TimeForm::LocalDateTime),
        Scalar::EpochSeconds => Some(TimeForm::EpochSeconds),
        Scalar::EpochMillis => Some(TimeForm::EpochMillis),
        _ => None,
    };
    let forms = form.as_ref().map_or(wire.forms, std::slice::from_ref);
    match (s, v) {
        (Scalar::Rfc3339 | Scalar::LocalDateTime | Scalar::EpochSeconds | Scalar::EpochMillis | Scalar::Time, _) => {
            time_value(forms, node, v, context, diags);
        }
        (Scalar::String, Value::Str(_))
        | (Scalar::Float64, Value::Int(_) | Value::Float(_))
        | (Scalar::Boolean, Value::Bool(_))
        | (Scalar::Json, _) => {}
        (Scalar::String, Value::Int(_) | Value::Float(_)) if wire.shape == Some(Shape::StringOrNumber) => {}
        (Scalar::String, _) => diags.push(wrong("a string", Some("quote the value if it is text"))),
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
        (Scalar::Int32 | Scalar::Int64, Value::Str(_)) => {
            diags.push(wrong("an integer", Some("write the number without quotes")));
        }
        (Scalar::Int32 | Scalar::Int64, _) => diags.push(wrong("an integer", None)),
        (Scalar::Float64, _) => diags.push(wrong("a number", None)),
        (Scalar::Boolean, _) => diags.push(wrong("`true` or `false`", Some("write `true` or `false`, without quotes"))),
    }
}

/// Rule: a time value is in one of the field's forms.
fn time_value(forms: &[TimeForm], node: &Node, v: &Value, context: &str, diags: &mut Diagnostics) {
    let fits = |form: &TimeForm| match (form, v) {
        (TimeForm::Rfc3339, Value::Str(text)) => is_rfc3339(text),
        (TimeForm::LocalDateTime, Value::Str(text)) => is_local_datetime(text),
        (TimeForm::EpochSeconds | TimeForm::EpochMillis, Value::Int(_)) => true,
        (TimeForm::EpochSeconds | TimeForm::EpochMillis, Value::Str(text)) => is_count(text),
        _ => false,
    };
    if forms.iter().any(fits) {
        return;
    }
    let shown = match v {
        Value::Str(text) => format!("\"{text}\""),
        _ => node.kind().to_owned(),
    };
    let named: Vec<&str> = forms.iter().map(|f| f.word()).collect();
    let (message, label) = match forms {
        [TimeForm::Rfc3339] => {
            (format!("{context}: {shown} is not an RFC 3339 time"), "expected a time such as \"2021-05-27T07:15:03Z\"")
        }
        [TimeForm::LocalDateTime] => (
            format!("{context}: {shown} is not a local date and time"),
            "expected \"YYYY-MM-DD HH:MM:SS\" or \"YYYY-MM-DDTHH:MM:SS\", with 0 to 9 fraction digits",
        ),
        [TimeForm::EpochSeconds] => {
            (format!("{context}: {shown} is not a count of seconds"), "expected an integer or a string of digits")
        }
        [TimeForm::EpochMillis] => {
            (format!("{context}: {shown} is not a count of milliseconds"), "expected an integer or a string of digits")
        }
        _ => (format!("{context}: {shown} is in none of the forms {}", named.join(", ")), "not a declared form"),
    };
    // Which form the value does have, so the hint can name the fix.
    let actual = [TimeForm::Rfc3339, TimeForm::LocalDateTime, TimeForm::EpochMillis].into_iter().find(|f| fits(f));
    let help = match actual {
        Some(TimeForm::LocalDateTime) => {
            "the value has no zone: declare `local_datetime`, or `type: time` with `forms: [..., local_datetime]`"
                .to_owned()
        }
        Some(TimeForm::Rfc3339) => {
            "the value carries a zone: declare `rfc3339`, or `type: time` with `forms: [..., rfc3339]`".to_owned()
        }
        Some(_) => "the value is a count: declare `epoch_seconds` or `epoch_millis`, or list it in `forms`".to_owned(),
        None => format!("write the value in one of the forms {}, or fix the declared forms", named.join(", ")),
    };
    diags.push(Diagnostic::error(node.span, message).label(label).help(help));
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

/// Rule: an error example carries the service's error envelope with a documented code, or
/// (without a code) the status of an error documented by its status alone.
fn check_error_body(
    spec: &ServiceSpec,
    op: &OperationDoc,
    status: i64,
    body: &Node,
    context: &str,
    diags: &mut Diagnostics,
) {
    let code_key = spec.service.error_envelope.value.code_key();
    let Value::Map(entries) = &body.value else {
        diags.push(
            Diagnostic::error(body.span, format!("{context}: an error body must be an object"))
                .label(format!("expected an object with `{code_key}`")),
        );
        return;
    };
    let Some((_, code)) = entries.iter().find(|(k, _)| k.as_str() == Some(code_key)) else {
        let by_status =
            op.errors.iter().chain(&spec.service.errors).any(|e| e.code.is_none() && e.status.value == status);
        if by_status {
            return;
        }
        diags.push(
            Diagnostic::error(body.span, format!("{context}: the error body has no `{code_key}`"))
                .label("not the service's error envelope")
                .also(spec.service.error_envelope.span, "envelope declared here"),
        );
        return;
    };
    let code_text = code.as_str().unwrap_or_default();
    let known =
        op.errors.iter().chain(&spec.service.errors).any(|e| e.code.as_ref().is_some_and(|c| c.value == code_text));
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

fn unknown_key(key: &Node, name: &str, scope_name: &str, scope: &Scope<'_>, context: &str) -> Diagnostic {
    let hint = match did_you_mean(name, scope.fields.iter().map(|f| f.name.value.as_str())) {
        Some(close) => format!("did you mean `{close}`?"),
        None => "declare it (with a correction if the document's table misses it)".to_owned(),
    };
    Diagnostic::error(key.span, format!("{context}: `{name}` is not declared in {scope_name}"))
        .label("unknown field")
        .help(hint)
}

fn display(node: &Node) -> String {
    match &node.value {
        Value::Str(s) => format!("\"{s}\""),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_owned(),
        Value::Seq(_) | Value::Map(_) => node.kind().to_owned(),
    }
}

static RFC3339: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$").ok());

static LOCAL_DATETIME: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?$").ok());

/// A count of seconds or milliseconds written as a string: digits with an optional `-`.
fn is_count(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn is_rfc3339(text: &str) -> bool {
    RFC3339.as_ref().is_some_and(|re| re.is_match(text))
}

fn is_local_datetime(text: &str) -> bool {
    LOCAL_DATETIME.as_ref().is_some_and(|re| re.is_match(text))
}
