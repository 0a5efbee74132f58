//! Rules about time fields: `forms` and `time_zone` fit the field's type.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::Span;
use crate::spec::model::{Field, OperationDoc, TimeForm};
use crate::spec::types::{Scalar, TypeExpr, resolve};

/// Whether values of the field (or its items) may be a date-time without a zone.
pub fn has_local_form(op: &OperationDoc, f: &Field) -> bool {
    match resolve(op, &f.ty, f.items.as_ref()).ok().and_then(|t| t.time()) {
        Some(Scalar::LocalDateTime) => true,
        Some(Scalar::Time) => f.forms.iter().any(|form| form.value == TimeForm::LocalDateTime),
        _ => false,
    }
}

/// Rule: `type: time` (or `items: time`) lists its `forms`: at least one, each once, and not
/// both epoch forms (a number would not say which it is); `forms` is only written with `time`;
/// `time_zone` is a UTC offset, written only where a value can be a date-time without a zone.
pub fn check_time_field(f: &Field, ty: &TypeExpr, diags: &mut Diagnostics) {
    let time = ty.time();
    match (time, f.forms_span) {
        (Some(Scalar::Time), None) => diags.push(
            Diagnostic::error(f.ty.span, "`time` needs `forms`")
                .label("which forms does this field arrive in?")
                .help("add `forms: [rfc3339, local_datetime]` listing the forms, the one to send first"),
        ),
        (Some(Scalar::Time), Some(span)) => check_forms(f, span, diags),
        (_, Some(span)) => diags.push(
            Diagnostic::error(span, "`forms` is only used with `type: time`")
                .label("this field has one form")
                .also(f.ty.span, "declared type")
                .help("declare `type: time` (or `items: time`) to accept several forms, or remove `forms`"),
        ),
        _ => {}
    }
    let Some(tz) = &f.time_zone else { return };
    if super::parse_offset(&tz.value).is_none() {
        diags.push(
            Diagnostic::error(tz.span, format!("time zone `{}` is not a UTC offset", tz.value))
                .label("expected `+HH:MM` or `-HH:MM`")
                .help("for UTC write \"+00:00\" (quoted)"),
        );
    }
    let local = match time {
        Some(Scalar::LocalDateTime) => true,
        Some(Scalar::Time) => f.forms.iter().any(|form| form.value == TimeForm::LocalDateTime),
        _ => false,
    };
    if !local {
        diags.push(
            Diagnostic::error(tz.span, "`time_zone` applies to times without a zone")
                .label("no `local_datetime` form here")
                .also(f.ty.span, "declared type")
                .help("remove `time_zone`, or declare `local_datetime` (or list it in `forms`)"),
        );
    }
}

fn check_forms(f: &Field, span: Span, diags: &mut Diagnostics) {
    if f.forms.is_empty() {
        diags.push(
            Diagnostic::error(span, "`forms` lists no form")
                .label("empty list")
                .help("list the forms the field arrives in: rfc3339, local_datetime, epoch_seconds, epoch_millis"),
        );
    }
    let mut seen: HashMap<TimeForm, Span> = HashMap::new();
    for form in &f.forms {
        if let Some(first) = seen.insert(form.value, form.span) {
            diags.push(
                Diagnostic::error(form.span, format!("form `{}` listed twice", form.value.word()))
                    .label("listed again")
                    .also(first, "first listed here")
                    .help("remove one of them"),
            );
        }
    }
    if let (Some(seconds), Some(millis)) = (seen.get(&TimeForm::EpochSeconds), seen.get(&TimeForm::EpochMillis)) {
        diags.push(
            Diagnostic::error(*millis, "`epoch_seconds` and `epoch_millis` cannot both be forms of one field")
                .label("a number would not say which it is")
                .also(*seconds, "also listed")
                .help("keep the one the provider sends; record the other case with a `correction`"),
        );
    }
}
