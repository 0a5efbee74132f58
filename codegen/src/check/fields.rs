//! Rules about one operation's structure: types, names, constraints, path and idempotency.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::names;
use crate::source::Span;
use crate::spec::model::{EnumDef, EnumKind, ErrorDef, Field, OperationDoc, ServiceSpec, Shape};
use crate::spec::reader::Spanned;
use crate::spec::types::{Scalar, TypeExpr, resolve};
use crate::spec::yaml::{ScalarKey, Value};

/// Runs the structural rules of one operation.
pub fn check_operation(spec: &ServiceSpec, op: &OperationDoc, diags: &mut Diagnostics) {
    check_unique_names(op.params.iter().map(|p| &p.name), "parameter", diags);
    check_unique_names(op.response.iter().map(|f| &f.name), "response field", diags);
    check_field_count(&op.params, "request parameters", diags);
    check_field_count(&op.response, "response fields", diags);
    check_shared_conflicts(op, diags);
    let all_resolved = check_definitions(spec, op, diags);
    check_errors(spec, op, diags);
    super::params::check_params(op, diags);
    super::params::check_required_count(op, diags);
    super::params::check_param_types(op, diags);
    super::params::check_path(op, diags);
    super::params::check_idempotency(op, diags);
    super::params::check_allow_empty(op, diags);
    // A definition only looks unused when a misspelled `type:` meant it; that error says more.
    if all_resolved {
        warn_unused_definitions(op, diags);
    }
}

/// Runs the rules of a service's `types.yaml`, once for the service: its definitions as in an
/// operation, and a warning for a shared definition no operation uses.
pub fn check_shared(spec: &ServiceSpec, shared: &OperationDoc, diags: &mut Diagnostics) {
    if check_definitions(spec, shared, diags) {
        warn_unused_shared(spec, shared, diags);
    }
}

/// The rules of the types and enums a file declares and of the fields that use them. Returns
/// whether every field's type resolved.
fn check_definitions(spec: &ServiceSpec, op: &OperationDoc, diags: &mut Diagnostics) -> bool {
    let (types, enums) = (op.own_types(), op.own_enums());
    check_unique_names(types.iter().map(|t| &t.name).chain(enums.iter().map(|e| &e.name)), "type", diags);
    for t in types {
        check_unique_names(t.fields.iter().map(|f| &f.name), "field", diags);
        check_field_count(&t.fields, &format!("fields in `{}`", t.name.value), diags);
    }
    let mut all_resolved = true;
    let mut local_time = None;
    for f in op.params.iter().chain(&op.response).chain(types.iter().flat_map(|t| &t.fields)) {
        if !check_field(op, f, diags) {
            all_resolved = false;
        } else if local_time.is_none() && f.time_zone.is_none() && super::times::has_local_form(op, f) {
            local_time = Some(&f.ty);
        }
    }
    if let Some(ty) = local_time {
        check_time_zone(spec, ty, diags);
    }
    check_type_names(op, diags);
    check_recursive_types(op, diags);
    for e in enums {
        check_enum(e, diags);
    }
    all_resolved
}

/// Rule: an operation does not define a type or enum under the name of one of its service's
/// shared types: one name is one Rust type in the service.
fn check_shared_conflicts(op: &OperationDoc, diags: &mut Diagnostics) {
    let shared: BTreeMap<&str, Span> = op.types[op.own_types().len()..]
        .iter()
        .map(|t| &t.name)
        .chain(op.enums[op.own_enums().len()..].iter().map(|e| &e.name))
        .map(|n| (n.value.as_str(), n.span))
        .collect();
    for name in op.own_types().iter().map(|t| &t.name).chain(op.own_enums().iter().map(|e| &e.name)) {
        if let Some(first) = shared.get(name.value.as_str()) {
            diags.push(
                Diagnostic::error(name.span, format!("`{}` is already a shared type of this service", name.value))
                    .label("defined again here")
                    .also(*first, "shared definition in types.yaml")
                    .help("use the shared definition (remove this one), or give this one another name"),
            );
        }
    }
}

/// Warning: a shared type or enum that no operation's field (and no other shared type) uses.
fn warn_unused_shared(spec: &ServiceSpec, shared: &OperationDoc, diags: &mut Diagnostics) {
    // A definition only looks unused when a misspelled `type:` meant it; that error says more.
    let unresolved = spec.operations.iter().any(|op| {
        op.params
            .iter()
            .chain(&op.response)
            .chain(op.own_types().iter().flat_map(|t| &t.fields))
            .any(|f| resolve(op, &f.ty, f.items.as_ref()).is_err())
    });
    if unresolved {
        return;
    }
    let used: HashSet<&str> = spec
        .operations
        .iter()
        .flat_map(|op| op.params.iter().chain(&op.response).chain(op.own_types().iter().flat_map(|t| &t.fields)))
        .chain(shared.types.iter().flat_map(|t| &t.fields))
        .flat_map(|f| [Some(&f.ty.value), f.items.as_ref().map(|i| &i.value)])
        .flatten()
        .map(String::as_str)
        .collect();
    for name in shared.types.iter().map(|t| &t.name).chain(shared.enums.iter().map(|e| &e.name)) {
        if !used.contains(name.value.as_str()) {
            diags.push(
                Diagnostic::warning(name.span, format!("shared type `{}` is not used by any operation", name.value))
                    .label("unused definition")
                    .help("remove it, or reference it from an operation's field"),
            );
        }
    }
}

/// Rule: a service whose operations use `local_datetime` (alone or among a `time` field's
/// forms) without a field `time_zone` declares the `time_zone` those times are in.
fn check_time_zone(spec: &ServiceSpec, ty: &Spanned<String>, diags: &mut Diagnostics) {
    if spec.service.time_zone.is_none() {
        diags.push(
            Diagnostic::error(ty.span, "`local_datetime` needs the service's `time_zone`")
                .label("a time without a zone")
                .also(spec.service.service.span, "service declared here, without `time_zone`")
                .help("add `time_zone: \"+08:00\"` (the UTC offset of the provider's times) to service.yaml, or to the field"),
        );
    }
}

/// Rule: type and enum names are the Rust names of the generated types, written in
/// upper camel case (`OperationLog`), so the spec shows the name the code uses.
fn check_type_names(op: &OperationDoc, diags: &mut Diagnostics) {
    for name in op.own_types().iter().map(|t| &t.name).chain(op.own_enums().iter().map(|e| &e.name)) {
        check_camel_name(name, "type name", "used as the Rust type name", diags);
    }
}

/// Rule: a name written for a Rust type or variant (`name:` of an enum value, `rust_name:` of
/// an error) is an upper camel case identifier, used as written.
pub fn check_camel_name(name: &Spanned<String>, what: &str, use_: &str, diags: &mut Diagnostics) {
    let usable = names::camel(&name.value);
    if usable != name.value {
        diags.push(
            Diagnostic::error(name.span, format!("{what} `{}` is not an UpperCamelCase identifier", name.value))
                .label(use_.to_owned())
                .help(format!("write `{usable}`")),
        );
    }
}

/// Rule: no object type contains itself except through an `array`: a value of it would never
/// end, and the generated struct would have infinite size.
fn check_recursive_types(op: &OperationDoc, diags: &mut Diagnostics) {
    // Fields that hold another object directly (an `array` of it adds the indirection).
    let edges: Vec<Vec<(&Field, usize)>> = op
        .types
        .iter()
        .map(|t| {
            t.fields
                .iter()
                .filter_map(|f| match resolve(op, &f.ty, f.items.as_ref()) {
                    Ok(TypeExpr::Object(u)) => Some((f, u)),
                    _ => None,
                })
                .collect()
        })
        .collect();
    // Depth-first search without recursion (a file may define many types): 0 = not seen,
    // 1 = on the current path, 2 = done.
    let mut state = vec![0_u8; op.types.len()];
    // Cycles among shared types are reported once, with the shared types.
    for root in 0..op.own_types().len() {
        if state.get(root) != Some(&0) {
            continue;
        }
        let mut path: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some((t, next)) = path.last_mut() {
            let t = *t;
            let Some(&(field, u)) = edges.get(t).and_then(|e| e.get(*next)) else {
                state[t] = 2;
                path.pop();
                continue;
            };
            *next += 1;
            match state.get(u) {
                Some(0) => {
                    state[u] = 1;
                    path.push((u, 0));
                }
                Some(1) => {
                    let name = |i: usize| op.types.get(i).map_or("?", |t| t.name.value.as_str());
                    let from = path.iter().position(|(i, _)| *i == u).unwrap_or(0);
                    let cycle: Vec<&str> = path[from..].iter().map(|(i, _)| name(*i)).chain([name(u)]).collect();
                    let mut d = Diagnostic::error(field.ty.span, format!("type `{}` contains itself", name(u)))
                        .label(format!("`{}` inside `{}`", name(u), name(t)))
                        .help(format!(
                            "a value would never end ({}); if the document nests it, declare the field `type: array` with `items: {}`",
                            cycle.join(" → "),
                            name(u)
                        ));
                    if let Some(def) = op.types.get(u) {
                        d = d.also(def.name.span, "defined here");
                    }
                    diags.push(d);
                }
                _ => {}
            }
        }
    }
}

/// Rule: names within one scope are unique.
fn check_unique_names<'a>(names: impl Iterator<Item = &'a Spanned<String>>, what: &str, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for name in names {
        if let Some(first) = seen.insert(&name.value, name.span) {
            diags.push(
                Diagnostic::error(name.span, format!("duplicate {what} `{}`", name.value))
                    .label("defined again here")
                    .also(first, "first defined here")
                    .help("names must be unique in their scope; remove or rename one"),
            );
        }
    }
}

/// Most fields one generated struct may have. Its serde code hands the fields to the runtime as
/// nested pairs, which a macro nests four at a time: 256 fields stay well inside the compiler's
/// default recursion limit of 128 macro levels.
const MAX_FIELDS: usize = 256;

/// Rule: at most [`MAX_FIELDS`] request parameters, response fields or fields of one type.
fn check_field_count(fields: &[Field], what: &str, diags: &mut Diagnostics) {
    if let Some(f) = fields.get(MAX_FIELDS) {
        diags.push(
            Diagnostic::error(f.name.span, format!("more than {MAX_FIELDS} {what}"))
                .label(format!("number {}", MAX_FIELDS + 1))
                .help("one generated struct holds at most 256; group the rest in a nested `type`, or keep them as one `json` field"),
        );
    }
}

/// Rule: a field's type resolves; `shape` fits the type; constraints fit the type and are
/// consistent. Returns whether the type resolved.
fn check_field(op: &OperationDoc, f: &Field, diags: &mut Diagnostics) -> bool {
    let ty = match resolve(op, &f.ty, f.items.as_ref()) {
        Ok(ty) => ty,
        Err(d) => {
            diags.push(d);
            return false;
        }
    };
    super::times::check_time_field(f, &ty, diags);
    if let Some(shape) = &f.shape {
        let fits = match shape.value {
            Shape::OneOrMany => matches!(ty, TypeExpr::Array(_)),
            Shape::StringOrNumber => ty.is_string(),
        };
        if !fits {
            let needs = if shape.value == Shape::OneOrMany { "`type: array`" } else { "`type: string`" };
            diags.push(
                Diagnostic::error(shape.span, format!("shape `{}` needs {needs}", shape.value.word()))
                    .label("does not fit the declared type")
                    .also(f.ty.span, "declared type")
                    .help(format!("declare the field {needs}, or remove `shape`")),
            );
        }
    }
    let c = &f.constraints;
    let lengths = [&c.min_length, &c.max_length];
    let length_target = matches!(ty, TypeExpr::Scalar(Scalar::String)) || matches!(ty, TypeExpr::Array(_));
    for bound in lengths.iter().copied().flatten() {
        if !length_target {
            diags.push(
                Diagnostic::error(bound.span, "length constraints apply to strings and arrays")
                    .label("this field is neither")
                    .also(f.ty.span, "declared type")
                    .maybe_help(ty.is_integer().then(|| "for numbers use `minimum` and `maximum`".to_owned())),
            );
        } else if bound.value < 0 {
            diags.push(
                Diagnostic::error(bound.span, "a length cannot be negative")
                    .label("negative length")
                    .help("lengths count characters or items, from 0"),
            );
        }
    }
    for bound in [&c.minimum, &c.maximum].into_iter().flatten() {
        if !ty.is_integer() {
            diags.push(
                Diagnostic::error(bound.span, "`minimum` and `maximum` apply to integers")
                    .label("not an integer field")
                    .also(f.ty.span, "declared type")
                    .maybe_help(ty.is_string().then(|| "for strings use `min_length` and `max_length`".to_owned())),
            );
        }
    }
    for (lo, hi, what) in [(&c.min_length, &c.max_length, "length"), (&c.minimum, &c.maximum, "range")] {
        if let (Some(lo), Some(hi)) = (lo, hi)
            && lo.value > hi.value
        {
            diags.push(
                Diagnostic::error(
                    lo.span,
                    format!("empty {what}: the lower bound {} is above the upper bound {}", lo.value, hi.value),
                )
                .label("lower bound")
                .also(hi.span, "upper bound")
                .help("no value could pass; check both bounds against the document"),
            );
        }
    }
    if let Some(charset) = &c.charset
        && !ty.is_string()
    {
        diags.push(
            Diagnostic::error(charset.span, "`charset` applies to strings")
                .label("not a string field")
                .also(f.ty.span, "declared type")
                .help("remove `charset`, or check the declared type"),
        );
    }
    if let Some(pattern) = &c.pattern {
        if !ty.is_string() {
            diags.push(
                Diagnostic::error(pattern.span, "`pattern` applies to strings")
                    .label("not a string field")
                    .also(f.ty.span, "declared type")
                    .help("remove `pattern`, or check the declared type"),
            );
        } else if let Err(e) = regex_lite::Regex::new(&pattern.value) {
            diags.push(
                Diagnostic::error(pattern.span, "`pattern` is not a valid regular expression")
                    .label(e.to_string().lines().next().unwrap_or("invalid").to_owned())
                    .help("patterns use the syntax of the `regex` crate; write `\\` before `(`, `[`, `{`, `.` or `+` to match it literally"),
            );
        }
    }
    if let Some(rust_name) = &f.rust_name {
        let usable = names::snake(&rust_name.value);
        if usable != rust_name.value {
            diags.push(
                Diagnostic::error(
                    rust_name.span,
                    format!("`rust_name` `{}` is not a usable snake_case identifier", rust_name.value),
                )
                .label("used as a Rust field name")
                .help(format!("write `{usable}`")),
            );
        }
    }
    true
}

/// Rule: enum values have the enum's kind, are unique, and have a usable variant name: the
/// value itself, or `name:` written in upper camel case.
fn check_enum(e: &EnumDef, diags: &mut Diagnostics) {
    let mut seen: HashMap<ScalarKey, Span> = HashMap::new();
    if e.values.is_empty() {
        diags.push(
            Diagnostic::error(e.name.span, format!("enum `{}` has no values", e.name.value))
                .label("empty enum")
                .help("list the documented values under `values`"),
        );
    }
    for v in &e.values {
        let fits = match e.kind.value {
            EnumKind::String => matches!(v.value.value, Value::Str(_)),
            EnumKind::Integer => matches!(v.value.value, Value::Int(_)),
        };
        if !fits {
            let expected = if e.kind.value == EnumKind::String { "a string" } else { "an integer" };
            let help = if e.kind.value == EnumKind::String {
                "quote the value: \"0\""
            } else {
                "write the number without quotes"
            };
            diags.push(
                Diagnostic::error(
                    v.value.head(),
                    format!("value of enum `{}` must be {expected}, found {}", e.name.value, v.value.kind()),
                )
                .label("wrong kind of value")
                .also(e.kind.span, "kind declared here")
                .help(help),
            );
            continue;
        }
        if let Some(key) = ScalarKey::of(&v.value.value) {
            match seen.get(&key) {
                Some(first) => diags.push(
                    Diagnostic::error(v.value.span, "duplicate enum value")
                        .label("listed twice")
                        .also(*first, "first listed here")
                        .help("remove one of them"),
                ),
                None => {
                    seen.insert(key, v.value.span);
                }
            }
        }
        if let Some(name) = &v.name {
            check_camel_name(name, "variant name", "used as the Rust variant name", diags);
            continue;
        }
        let why = match &v.value.value {
            Value::Str(s) if names::is_reserved_variant(s) => {
                Some(format!("becomes `{}`, the variant for values this version does not know", names::camel(s)))
            }
            Value::Str(s) if s.chars().next().is_some_and(char::is_alphabetic) => None,
            _ => Some("not usable as a Rust variant name".to_owned()),
        };
        if let Some(why) = why {
            diags.push(
                Diagnostic::error(v.value.span, "this enum value needs a `name`")
                    .label(why)
                    .help("add `name: <UpperCamelCase name that says what the value means>`"),
            );
        }
    }
}

/// Rule: error codes are unique across the operation and its service, with real statuses.
fn check_errors(spec: &ServiceSpec, op: &OperationDoc, diags: &mut Diagnostics) {
    check_error_list(&op.errors, &spec.service.errors, diags);
}

/// Rule: in `errors` (checked against the service's `inherited` ones): statuses are HTTP
/// statuses; codes are unique; an error without `code` (documented by its status alone) has a
/// `rust_name` and a status no other code-less error has; `rust_name` is `UpperCamelCase`.
pub fn check_error_list(errors: &[ErrorDef], inherited: &[ErrorDef], diags: &mut Diagnostics) {
    // Each code and code-less status with where it was first listed, and whether that was in
    // service.yaml.
    let mut codes: BTreeMap<&str, (Span, bool)> = BTreeMap::new();
    let mut statuses: BTreeMap<i64, (Span, bool)> = BTreeMap::new();
    for e in inherited {
        match &e.code {
            Some(code) => codes.insert(&code.value, (code.span, true)),
            None => statuses.insert(e.status.value, (e.status.span, true)),
        };
    }
    let again = |first: (Span, bool), d: Diagnostic| {
        let (label, help) = if first.1 {
            ("listed again here", "an error listed in service.yaml applies to every operation already")
        } else {
            ("listed twice", "remove one of them")
        };
        d.label(label).also(first.0, "first listed here").help(help)
    };
    for e in errors {
        check_status(e.status.value, e.status.span, diags);
        if let Some(rust_name) = &e.rust_name {
            check_camel_name(rust_name, "`rust_name`", "used as the Rust variant name", diags);
        }
        let Some(code) = &e.code else {
            if e.rust_name.is_none() {
                diags.push(
                    Diagnostic::error(e.span, "an error without `code` needs a `rust_name`")
                        .label("documented by its HTTP status alone")
                        .help("add `rust_name:` naming the variant (UpperCamelCase), such as `StreamNotFound`"),
                );
            }
            if let Some(first) = statuses.insert(e.status.value, (e.status.span, false)) {
                let message = format!("two errors without `code` have status {}", e.status.value);
                diags.push(again(first, Diagnostic::error(e.status.span, message)));
            }
            continue;
        };
        if let Some(first) = codes.insert(&code.value, (code.span, false)) {
            let message = format!("duplicate error code `{}`", code.value);
            diags.push(again(first, Diagnostic::error(code.span, message)));
        }
    }
}

/// Rule: an HTTP status is between 100 and 599.
pub fn check_status(status: i64, span: Span, diags: &mut Diagnostics) {
    if !(100..=599).contains(&status) {
        diags.push(
            Diagnostic::error(span, format!("{status} is not an HTTP status"))
                .label("expected 100 to 599")
                .help("write the status the document gives, such as 404"),
        );
    }
}

/// Warning: a type or enum that no field uses is generated for nothing.
fn warn_unused_definitions(op: &OperationDoc, diags: &mut Diagnostics) {
    let used: HashSet<&str> = op
        .params
        .iter()
        .chain(&op.response)
        .chain(op.own_types().iter().flat_map(|t| &t.fields))
        .flat_map(|f| [Some(&f.ty.value), f.items.as_ref().map(|i| &i.value)])
        .flatten()
        .map(String::as_str)
        .collect();
    for name in op.own_types().iter().map(|t| &t.name).chain(op.own_enums().iter().map(|e| &e.name)) {
        if !used.contains(&name.value.as_str()) {
            diags.push(
                Diagnostic::warning(name.span, format!("`{}` is not used by any field", name.value))
                    .label("unused definition")
                    .help("remove it, or reference it from a field's `type`"),
            );
        }
    }
}

/// Warnings: documentation gaps that make the generated docs thin.
pub fn warn_missing_docs(op: &OperationDoc, diags: &mut Diagnostics) {
    warn_missing_definition_docs(op, diags);
    if op.examples.is_empty() {
        diags.push(
            Diagnostic::warning(op.operation.span, format!("operation `{}` has no examples", op.operation.value))
                .label("nothing to test decoding against")
                .help("transcribe the document's example response under `examples`"),
        );
    }
}

/// Warnings: fields and enum values of a file without a description.
pub fn warn_missing_definition_docs(op: &OperationDoc, diags: &mut Diagnostics) {
    for f in op.params.iter().chain(&op.response).chain(op.own_types().iter().flat_map(|t| &t.fields)) {
        if f.description.is_none() {
            diags.push(
                Diagnostic::warning(f.name.span, format!("`{}` has no description", f.name.value))
                    .label("undocumented")
                    .help("copy the document's description"),
            );
        }
    }
    for e in op.own_enums() {
        for v in &e.values {
            if v.description.is_none() {
                let value = match &v.value.value {
                    Value::Str(s) => s.clone(),
                    Value::Int(i) => i.to_string(),
                    _ => v.value.kind().to_owned(),
                };
                diags.push(
                    Diagnostic::warning(
                        v.value.head(),
                        format!("value `{value}` of enum `{}` has no description", e.name.value),
                    )
                    .label("what does this value mean?")
                    .help("add `description:` from the document"),
                );
            }
        }
    }
}
