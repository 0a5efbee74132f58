//! Type expressions of the spec format (`type:` plus `items:`), resolved against the named
//! types and enums of one operation file. Shared by the check and lower stages.

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::spec::model::{Field, OperationDoc};
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
    if let Some(i) = op.types.iter().position(|t| t.name.value == name.value) {
        return Ok(TypeExpr::Object(i));
    }
    if let Some(i) = op.enums.iter().position(|e| e.name.value == name.value) {
        return Ok(TypeExpr::Enum(i));
    }
    let known = BUILTINS
        .iter()
        .map(|(n, _)| *n)
        .chain(op.types.iter().map(|t| t.name.value.as_str()))
        .chain(op.enums.iter().map(|e| e.name.value.as_str()))
        .chain(std::iter::once("array"));
    let hint = match did_you_mean(&name.value, known) {
        Some(close) => format!("did you mean `{close}`?"),
        None => "use a built-in type (string, int32, int64, float64, boolean, rfc3339, epoch_millis, local_datetime, json, array) or a name from `types` or `enums` of this file".to_owned(),
    };
    Err(Diagnostic::error(name.span, format!("unknown type `{}`", name.value))
        .label("not defined in this file")
        .help(hint))
}

/// Follows a dotted path of wire names (`operation_log.status`) from `root` through object
/// types. Returns the fields along the way and the type of the last one.
///
/// # Errors
/// The segment that does not exist or cannot be entered, and why.
pub fn resolve_path<'a>(
    op: &'a OperationDoc,
    root: &'a [Field],
    path: &str,
) -> Result<(Vec<&'a Field>, TypeExpr), String> {
    let mut fields = root;
    let mut chain = Vec::new();
    let segments: Vec<&str> = path.split('.').collect();
    for (i, segment) in segments.iter().enumerate() {
        let Some(field) = fields.iter().find(|f| f.name.value == *segment) else {
            let hint = did_you_mean(segment, fields.iter().map(|f| f.name.value.as_str()))
                .map(|c| format!("; did you mean `{c}`?"))
                .unwrap_or_default();
            return Err(format!("no field `{segment}` here{hint}"));
        };
        chain.push(field);
        let ty = resolve(op, &field.ty, field.items.as_ref()).map_err(|d| d.message)?;
        if i + 1 == segments.len() {
            return Ok((chain, ty));
        }
        match ty {
            TypeExpr::Object(t) => fields = &op.types[t].fields,
            _ => return Err(format!("`{segment}` is not an object, so `{}` cannot be entered", segments[i + 1])),
        }
    }
    Err("empty path".to_owned())
}
