//! Rule about the shape of an operation's path template: what is signed is what is sent.
//!
//! Signers canonicalise the path (percent-encoding each segment their own way) while the HTTP
//! client sends it as an URL, which resolves `.` and `..`, cuts the path at `?` and `#`, and
//! encodes other characters by its own rules. Only characters that no party changes are
//! therefore allowed, and a placeholder is always one whole segment, as the runtime fills it and
//! the simulator routes it.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::spec::model::OperationDoc;

/// Rule: a declared `http.content_type` is a JSON media type (request bodies are JSON) written
/// as a valid header value: visible ASCII and spaces, such as `application/json;charset=UTF-8`.
pub(super) fn check_content_type(op: &OperationDoc, diags: &mut Diagnostics) {
    let Some(content_type) = &op.content_type else { return };
    let value = &content_type.value;
    let printable = value.bytes().all(|b| b == b' ' || b.is_ascii_graphic());
    if !printable || !value.to_ascii_lowercase().starts_with("application/json") {
        diags.push(
            Diagnostic::error(content_type.span, format!("content type `{}` is not a JSON media type", value.escape_debug()))
                .label("request bodies are sent as JSON under this Content-Type")
                .help("write `application/json` with parameters if the provider's SDK sends them, such as `application/json;charset=UTF-8`"),
        );
    }
}

/// Rule: the path is `/` or `/segment/…`, each segment a literal of unreserved characters
/// (letters, digits, `-`, `.`, `_`, `~`; not `.` or `..`) or one whole `{name}` placeholder
/// whose name is letters, digits, `-`, `.` and `_`.
pub(super) fn check_path_segments(op: &OperationDoc, diags: &mut Diagnostics) {
    let path = &op.path;
    let Some(rest) = path.value.strip_prefix('/') else { return };
    if rest.is_empty() {
        return;
    }
    for segment in rest.split('/') {
        if let Some((label, help)) = segment_problem(segment) {
            diags.push(
                Diagnostic::error(path.span, format!("path segment `{}` is not allowed", segment.escape_debug()))
                    .label(label)
                    .help(help),
            );
        }
    }
}

/// What is wrong with one segment, as a label and a hint; `None` if it is fine.
fn segment_problem(segment: &str) -> Option<(String, String)> {
    if segment.is_empty() {
        return Some(("an empty segment (`//` or a trailing `/`)".into(), "remove the extra `/`".into()));
    }
    if segment.contains(['{', '}']) {
        let name = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}'));
        return match name {
            Some(name) if !name.is_empty() && name.chars().all(is_name_char) => None,
            _ => Some((
                "a placeholder must be a whole segment: `{name}`".into(),
                format!(
                    "write the segment as `{{{}}}`, with a parameter name of letters, digits, `-`, `.` and `_`",
                    segment.trim_matches(['{', '}'])
                ),
            )),
        };
    }
    if segment == "." || segment == ".." {
        return Some((
            "clients resolve it before sending, so the signed path is not the sent one".into(),
            "write the path the provider documents, without `.` or `..` segments".into(),
        ));
    }
    let bad = segment.chars().find(|c| !is_unreserved(*c))?;
    let help = match bad {
        '?' => "the query is not part of the path: declare query parameters with `in: query`".to_owned(),
        '#' => "a fragment is never sent: remove it".to_owned(),
        '%' => "write the character itself; paths are not written percent-encoded".to_owned(),
        _ => "path literals are letters, digits, `-`, `.`, `_` and `~`; other characters are encoded differently by signers and HTTP clients".to_owned(),
    };
    Some((format!("`{}` (U+{:04X}) is not an unreserved URL character", bad.escape_debug(), u32::from(bad)), help))
}

/// RFC 3986 unreserved: never percent-encoded by anyone.
fn is_unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')
}

#[cfg(test)]
mod tests {
    use super::segment_problem;

    #[test]
    fn segments_are_unreserved_literals_or_whole_placeholders() {
        for fine in ["v3", "operation-logs", "{project_id}", "a.b_c~d", "{X-Id}"] {
            assert_eq!(segment_problem(fine), None, "{fine}");
        }
        for bad in ["", ".", "..", "{{tid}}", "{tid", "x{tid}", "{}", "a?b", "a#b", "a%20b", "a b", "é", ":run"] {
            assert!(segment_problem(bad).is_some(), "{bad:?}");
        }
        let (_, help) = segment_problem("{{tid}}").expect("refused");
        assert!(help.contains("`{tid}`"), "{help}");
    }
}
