//! Type expressions of the spec format (`type:` plus `items:`), resolved against the named
//! types and enums of one operation file. Shared by the check and lower stages.

use crate::diagnostic::{Diagnostic, did_you_mean};
use std::collections::HashMap;

use crate::spec::model::{EnumDef, Field, OperationDoc, TypeDef};
use crate::spec::reader::Spanned;

/// A built-in scalar type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scalar {
    /// `string`.
    String,
    /// `int32`.
    Int32,
    /// `int64`.
    Int64,
    /// `float64`.
    Float64,
    /// `boolean`.
    Boolean,
    /// `rfc3339`.
    Rfc3339,
    /// `epoch_millis`.
    EpochMillis,
    /// `epoch_seconds`.
    EpochSeconds,
    /// `time`: one of the forms the field's `forms` lists.
    Time,
    /// `local_datetime`.
    LocalDateTime,
    /// `json`.
    Json,
}

/// Built-in type names, for parsing and for "did you mean" hints.
pub const BUILTINS: &[(&str, Scalar)] = &[
    ("string", Scalar::String),
    ("int32", Scalar::Int32),
    ("int64", Scalar::Int64),
    ("float64", Scalar::Float64),
    ("boolean", Scalar::Boolean),
    ("rfc3339", Scalar::Rfc3339),
    ("epoch_millis", Scalar::EpochMillis),
    ("epoch_seconds", Scalar::EpochSeconds),
    ("time", Scalar::Time),
    ("local_datetime", Scalar::LocalDateTime),
    ("json", Scalar::Json),
];

/// A resolved type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeExpr {
    /// A built-in scalar.
    Scalar(Scalar),
    /// `array` of the element type.
    Array(Box<TypeExpr>),
    /// The named type at this index of `types`.
    Object(usize),
    /// The enum at this index of `enums`.
    Enum(usize),
}

impl TypeExpr {
    /// Whether values of this type are integers on the wire.
    #[must_use]
    pub fn is_integer(&self) -> bool {
        matches!(self, Self::Scalar(Scalar::Int32 | Scalar::Int64))
    }

    /// The time scalar of this type or of its items, if any.
    #[must_use]
    pub fn time(&self) -> Option<Scalar> {
        match self {
            Self::Scalar(
                s @ (Scalar::Rfc3339
                | Scalar::LocalDateTime
                | Scalar::EpochSeconds
                | Scalar::EpochMillis
                | Scalar::Time),
            ) => Some(*s),
            Self::Array(item) => item.time(),
            _ => None,
        }
    }

    /// Whether values of this type are strings on the wire.
    #[must_use]
    pub fn is_string(&self) -> bool {
        matches!(self, Self::Scalar(Scalar::String))
    }
}

/// Resolves `type` (and `items` for arrays) in the scope of one operation file.
///
/// # Errors
/// A diagnostic naming the unknown type (with the closest known name), a missing or
/// superfluous `items`, or an array of arrays.
pub fn resolve(
    op: &OperationDoc,
    ty: &Spanned<String>,
    items: Option<&Spanned<String>>,
) -> Result<TypeExpr, Diagnostic> {
    if ty.value == "array" {
        let Some(items) = items else {
            return Err(Diagnostic::error(ty.span, "`array` needs `items`")
                .label("array of what?")
                .help("add `items:` naming the element type"));
        };
        if items.value == "array" {
            return Err(Diagnostic::error(items.span, "arrays of arrays are not supported")
                .label("nested array")
                .help("name an object type that holds the inner list"));
        }
        return named(op, items).map(|t| TypeExpr::Array(Box::new(t)));
    }
    if let Some(items) = items {
        return Err(Diagnostic::error(items.span, "`items` is only used with `type: array`")
            .label("not an array")
            .help("remove `items`, or set `type: array`"));
    }
    named(op, ty)
}

fn named(op: &OperationDoc, name: &Spanned<String>) -> Result<TypeExpr, Diagnostic> {
    if let Some((_, scalar)) = BUILTINS.iter().find(|(n, _)| *n == name.value) {
        return Ok(TypeExpr::Scalar(*scalar));
    }
    if let Some(ty) = op.names.get(&name.value) {
        return Ok(ty.clone());
    }
    let known = BUILTINS
        .iter()
        .map(|(n, _)| *n)
        .chain(op.types.iter().map(|t| t.name.value.as_str()))
        .chain(op.enums.iter().map(|e| e.name.value.as_str()))
        .chain(std::iter::once("array"));
    let hint = match did_you_mean(&name.value, known) {
        Some(close) => format!("did you mean `{close}`?"),
        None => "use a built-in type (string, int32, int64, float64, boolean, rfc3339, local_datetime, epoch_seconds, epoch_millis, time, json, array) or a name from `types` or `enums` of this file or of the service's types.yaml".to_owned(),
    };
    Err(Diagnostic::error(name.span, format!("unknown type `{}`", name.value))
        .label("not defined in this file or the service's types.yaml")
        .help(hint))
}

/// The named types of one operation file by name: `types` before `enums`, and the first of
/// two definitions with one name (the check stage reports the second).
#[must_use]
pub fn index(types: &[TypeDef], enums: &[EnumDef]) -> HashMap<String, TypeExpr> {
    let mut names = HashMap::new();
    for (i, t) in types.iter().enumerate() {
        names.entry(t.name.value.clone()).or_insert(TypeExpr::Object(i));
    }
    for (i, e) in enums.iter().enumerate() {
        names.entry(e.name.value.clone()).or_insert(TypeExpr::Enum(i));
    }
    names
}

/// Why a dotted path does not name a field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathError {
    /// What went wrong at which segment.
    pub why: String,
    /// The closest field name, when the segment looks like a typo of one.
    pub suggestion: Option<String>,
}

impl PathError {
    fn new(why: String) -> Self {
        Self { why, suggestion: None }
    }
}

/// Follows a dotted path of wire names (`operation_log.status`) from `root` through object
/// types. Returns the fields along the way and the type of the last one. A path cannot be
/// deeper than the file's types nest (each step enters another object type), which bounds the
/// work for a path through a type that contains itself.
///
/// # Errors
/// The segment that does not exist or cannot be entered, and why.
pub fn resolve_path<'a>(
    op: &'a OperationDoc,
    root: &'a [Field],
    path: &str,
) -> Result<(Vec<&'a Field>, TypeExpr), PathError> {
    let mut fields = root;
    let mut chain = Vec::new();
    let segments: Vec<&str> = path.split('.').collect();
    if segments.len() > op.types.len() + 1 {
        return Err(PathError::new(format!(
            "{} segments, but the types of this file nest at most {} deep",
            segments.len(),
            op.types.len() + 1
        )));
    }
    for (i, segment) in segments.iter().enumerate() {
        let Some(field) = fields.iter().find(|f| f.name.value == *segment) else {
            return Err(PathError {
                why: format!("no field `{segment}` here"),
                suggestion: did_you_mean(segment, fields.iter().map(|f| f.name.value.as_str())).map(str::to_owned),
            });
        };
        chain.push(field);
        let ty = resolve(op, &field.ty, field.items.as_ref()).map_err(|d| PathError::new(d.message))?;
        let Some(next) = segments.get(i + 1) else { return Ok((chain, ty)) };
        match ty {
            TypeExpr::Object(t) => fields = op.types.get(t).map_or(&[], |t| t.fields.as_slice()),
            _ => return Err(PathError::new(format!("`{segment}` is not an object, so `{next}` cannot be entered"))),
        }
    }
    Err(PathError::new("empty path".to_owned()))
}
