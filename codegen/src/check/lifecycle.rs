//! Rules about waiters and pagination: the fields they name exist and have the right types.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::Span;
use crate::spec::model::OperationDoc;
use crate::spec::types::{TypeExpr, resolve_path};
use crate::spec::yaml::Node;

/// Rule: the waiter's status path names an enum field of the response; every listed state is
/// a value of that enum and appears in one list only; the progress path names an integer.
pub fn check_waiter(op: &OperationDoc, diags: &mut Diagnostics) {
    let Some(w) = &op.waiter else { return };
    match resolve_path(op, &op.response, &w.status.value) {
        Err(why) => diags.push(path_error(w.status.span, "waiter status", &w.status.value, &why)),
        Ok((_, TypeExpr::Enum(i))) => {
            let e = &op.enums[i];
            let mut seen: Vec<&Node> = Vec::new();
            for (list, states) in [("running", &w.running), ("succeeded", &w.succeeded), ("failed", &w.failed)] {
                if states.is_empty() && list != "running" {
                    diags.push(
                        Diagnostic::error(w.status.span, format!("waiter lists no `{list}` state"))
                            .label("the wait could never end that way")
                            .help(format!("list the values of `{}` that mean {list}", e.name.value)),
                    );
                }
                for s in states {
                    if !e.values.iter().any(|v| v.value.value == s.value) {
                        diags.push(
                            Diagnostic::error(
                                s.span,
                                format!("waiter state is not a value of enum `{}`", e.name.value),
                            )
                            .label("unknown state")
                            .also(e.name.span, "enum defined here"),
                        );
                    }
                    if let Some(first) = seen.iter().find(|n| n.value == s.value) {
                        diags.push(
                            Diagnostic::error(s.span, "waiter state listed twice")
                                .label(format!("also in `{list}`"))
                                .also(first.span, "first listed here"),
                        );
                    }
                    seen.push(s);
                }
            }
        }
        Ok(_) => diags.push(
            Diagnostic::error(w.status.span, format!("waiter status `{}` is not an enum field", w.status.value))
                .label("states need an enum")
                .help("declare the field's type as an enum listing the states"),
        ),
    }
    if let Some(progress) = &w.progress {
        integer_path(op, &op.response, progress.span, "waiter progress", &progress.value, diags);
    }
}

/// Rule: pagination names integer request parameters for page number and size, a list in the
/// response for the items and an integer for the total; the first page is 0 or 1.
pub fn check_pagination(op: &OperationDoc, diags: &mut Diagnostics) {
    let Some(p) = &op.pagination else { return };
    integer_path(op, &op.params, p.page_number.span, "page number", &p.page_number.value, diags);
    integer_path(op, &op.params, p.page_size.span, "page size", &p.page_size.value, diags);
    if let Ok((chain, _)) = resolve_path(op, &op.params, &p.page_size.value) {
        if chain.last().is_some_and(|f| f.default.is_none()) {
            diags.push(
                Diagnostic::error(p.page_size.span, format!("page size `{}` has no `default`", p.page_size.value))
                    .label("the paginator needs the provider's page size")
                    .help("add `default:` (the page size the provider assumes) to that field"),
            );
        }
        for f in chain.iter().take(chain.len().saturating_sub(1)) {
            if let Ok(TypeExpr::Object(t)) = crate::spec::types::resolve(op, &f.ty, f.items.as_ref()) {
                let blocking = op.types[t].fields.iter().find(|x| {
                    x.required.value
                        && !matches!(x.ty.value.as_str(), "string" | "int32" | "int64" | "float64" | "boolean")
                });
                if let Some(x) = blocking {
                    diags.push(
                        Diagnostic::error(
                            p.page_size.span,
                            format!("the paginator cannot create `{}`", op.types[t].name.value),
                        )
                        .label("its required field has no empty value")
                        .also(x.name.span, "this field")
                        .help("page fields must sit in objects whose required fields are plain scalars"),
                    );
                }
            }
        }
    }
    if !(0..=1).contains(&p.first_page.value) {
        diags.push(
            Diagnostic::error(p.first_page.span, "the first page is numbered 0 or 1").label("unusual first page"),
        );
    }
    match resolve_path(op, &op.response, &p.items.value) {
        Err(why) => diags.push(path_error(p.items.span, "pagination items", &p.items.value, &why)),
        Ok((_, TypeExpr::Array(_))) => {}
        Ok(_) => diags.push(
            Diagnostic::error(p.items.span, format!("pagination items `{}` is not a list", p.items.value))
                .label("expected an array field"),
        ),
    }
    if let Some(total) = &p.total {
        integer_path(op, &op.response, total.span, "pagination total", &total.value, diags);
    }
}

fn integer_path(
    op: &OperationDoc,
    root: &[crate::spec::model::Field],
    span: Span,
    what: &str,
    path: &str,
    diags: &mut Diagnostics,
) {
    match resolve_path(op, root, path) {
        Err(why) => diags.push(path_error(span, what, path, &why)),
        Ok((_, ty)) if ty.is_integer() => {}
        Ok(_) => diags.push(
            Diagnostic::error(span, format!("{what} `{path}` is not an integer field"))
                .label("expected int32 or int64"),
        ),
    }
}

fn path_error(span: Span, what: &str, path: &str, why: &str) -> Diagnostic {
    Diagnostic::error(span, format!("{what} `{path}` does not name a field"))
        .label(why.to_owned())
        .help("write the dotted path of wire names from the top of the request or response")
}
