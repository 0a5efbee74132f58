//! Stage 1c: characters no spec may contain.
//!
//! Bidirectional control characters (U+202A–U+202E, U+2066–U+2069) make text display in another
//! order than it is read ("Trojan Source", CVE-2021-42574): a spec could show a reviewer one
//! path, code or description and mean another. Rust refuses them in generated code too (the
//! deny-by-default lints `text_direction_codepoint_in_comment` and `…_in_literal`), so they are
//! refused here, wherever they are: written in the file (comments included) or produced by a
//! `\u202E` escape in a quoted string.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::{FileId, Span};
use crate::spec::yaml::{Node, Value};

/// The bidirectional control characters Rust lints against, with their Unicode names.
const BIDI_CONTROLS: &[(char, &str)] = &[
    ('\u{202A}', "LEFT-TO-RIGHT EMBEDDING"),
    ('\u{202B}', "RIGHT-TO-LEFT EMBEDDING"),
    ('\u{202C}', "POP DIRECTIONAL FORMATTING"),
    ('\u{202D}', "LEFT-TO-RIGHT OVERRIDE"),
    ('\u{202E}', "RIGHT-TO-LEFT OVERRIDE"),
    ('\u{2066}', "LEFT-TO-RIGHT ISOLATE"),
    ('\u{2067}', "RIGHT-TO-LEFT ISOLATE"),
    ('\u{2068}', "FIRST STRONG ISOLATE"),
    ('\u{2069}', "POP DIRECTIONAL ISOLATE"),
];

/// Whether `c` is a bidirectional control character (see the module docs).
#[must_use]
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The first byte of every bidirectional control character in UTF-8 (they are all
/// U+2000–U+2FFF); text without it has none, which a byte search finds fast.
const BIDI_LEAD_BYTE: u8 = 0xE2;

/// Whether `text` may hold a bidirectional control character (it holds the lead byte).
fn may_hold_bidi_control(text: &str) -> bool {
    text.as_bytes().contains(&BIDI_LEAD_BYTE)
}

fn name(c: char) -> &'static str {
    BIDI_CONTROLS.iter().find(|(b, _)| *b == c).map_or("", |(_, n)| n)
}

const HELP: &str = "remove it: it makes text display in another order than it is read (Trojan Source); \
                    write right-to-left text without direction controls";

/// Rule: no bidirectional control character in the file's text, nor in a string or key it
/// decodes to (escapes). One error per character written in the file, one per string for escapes.
pub fn check_bidi_controls(file: FileId, text: &str, root: Option<&Node>, diags: &mut Diagnostics) {
    if !may_hold_bidi_control(text) && !text.contains('\\') {
        // Nothing written in the file, and no escape that could produce one.
        return;
    }
    for (at, c) in text.char_indices().filter(|(_, c)| is_bidi_control(*c)) {
        diags.push(
            Diagnostic::error(
                Span { file, start: at, end: at + c.len_utf8() },
                format!("bidirectional control character U+{:04X} ({})", u32::from(c), name(c)),
            )
            .label("not allowed in a spec")
            .help(HELP),
        );
    }
    if let Some(root) = root {
        escaped(text, root, diags);
    }
}

/// Strings that hold a control character the file does not show: it came from an escape.
fn escaped(text: &str, node: &Node, diags: &mut Diagnostics) {
    match &node.value {
        Value::Str(s) => {
            let written = text.get(node.span.start..node.span.end).unwrap_or_default();
            if may_hold_bidi_control(s)
                && let Some(c) = s.chars().find(|c| is_bidi_control(*c))
                && !written.chars().any(is_bidi_control)
            {
                diags.push(
                    Diagnostic::error(
                        node.head(),
                        format!("escaped bidirectional control character U+{:04X} ({})", u32::from(c), name(c)),
                    )
                    .label("this string holds it")
                    .help(HELP),
                );
            }
        }
        Value::Seq(items) => items.iter().for_each(|n| escaped(text, n, diags)),
        Value::Map(entries) => entries.iter().for_each(|(k, v)| {
            escaped(text, k, diags);
            escaped(text, v, diags);
        }),
        Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;

    fn errors(text: &str) -> Vec<(String, usize)> {
        let mut sources = SourceMap::new();
        let id = sources.add("a.yaml", text);
        let mut diags = Diagnostics::new();
        let root = crate::spec::yaml::parse(id, text, &mut diags);
        check_bidi_controls(id, text, root.as_ref(), &mut diags);
        diags.items().iter().map(|d| (d.message.clone(), d.span.map_or(0, |s| s.start))).collect()
    }

    #[test]
    fn written_and_escaped_controls_are_refused_once_each() {
        assert_eq!(
            errors("a: x\u{202E}y # z\u{2066}\n"),
            [
                ("bidirectional control character U+202E (RIGHT-TO-LEFT OVERRIDE)".to_owned(), 4),
                ("bidirectional control character U+2066 (LEFT-TO-RIGHT ISOLATE)".to_owned(), 12),
            ]
        );
        assert_eq!(
            errors("a: \"x\\u202Dy\"\n"),
            [("escaped bidirectional control character U+202D (LEFT-TO-RIGHT OVERRIDE)".to_owned(), 3)]
        );
        assert!(errors("a: \"\u{5d0}\u{200f}b\"\n").is_empty(), "right-to-left text and marks are fine");
        assert!(errors("a: \"\u{2065}\u{206A}\u{2029}\u{202F}\"\n").is_empty(), "neighbours are fine");
        assert_eq!(errors("a: \"\\u2069\"\n").len(), 1, "an escape in a file without the character");
    }
}
