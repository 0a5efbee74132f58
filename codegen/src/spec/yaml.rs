//! Stage 1a: YAML text to a small tree of nodes that keep their spans.
//!
//! `saphyr-parser` supplies the event stream with positions; this module builds the tree
//! itself because the spec format needs things a generic loader hides: duplicate keys are an
//! error (not a silent overwrite), the byte span of every key and value, and bounded nesting so
//! no input can exhaust the stack later. Scalars are resolved with the YAML 1.2 core schema.

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YamlSpan};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::{FileId, Span};

/// Deepest nesting of collections a spec may use; real specs use about eight.
const MAX_DEPTH: usize = 64;

/// A YAML value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`, `~` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating point number.
    Float(f64),
    /// Any other scalar, and every quoted one.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order.
    Map(Vec<(Node, Node)>),
}

/// A YAML value with its place in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it is.
    pub span: Span,
}

impl Node {
    /// What kind of value this is, for messages ("a mapping", "a string").
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// The string, if this is one.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// Converts character offsets (what the parser reports) to byte offsets.
struct Offsets<'a> {
    text: &'a str,
    ascii: bool,
}

impl Offsets<'_> {
    fn byte(&self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        self.text.char_indices().nth(char_index).map_or(self.text.len(), |(i, _)| i)
    }
}

enum Frame {
    Seq { start: usize, items: Vec<Node> },
    Map { start: usize, entries: Vec<(Node, Node)>, key: Option<Node> },
}

/// Parses one YAML document. Syntax errors, duplicate keys, anchors, tags and excessive
/// nesting are reported; the first syntax error ends parsing of that file.
pub fn parse(file: FileId, text: &str, diags: &mut Diagnostics) -> Option<Node> {
    let offsets = Offsets { text, ascii: text.is_ascii() };
    let span = |s: YamlSpan| {
        let start = offsets.byte(s.start.index());
        Span { file, start, end: offsets.byte(s.end.index()).max(start) }
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0;
    for event in Parser::new_from_str(text) {
        let (event, yaml_span) = match event {
            Ok(e) => e,
            Err(e) => {
                let at = offsets.byte(e.marker().index());
                diags.push(
                    Diagnostic::error(Span { file, start: at, end: at }, format!("invalid YAML: {}", e.info()))
                        .label("here")
                        .help("check indentation and quoting around this place"),
                );
                return None;
            }
        };
        let here = span(yaml_span);
        let node = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    diags.push(
                        Diagnostic::error(here, "a spec file holds exactly one YAML document")
                            .label("second document starts here")
                            .help("split the documents into separate files"),
                    );
                    return None;
                }
                continue;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => continue,
            Event::Alias(_) => {
                diags.push(
                    Diagnostic::error(here, "aliases are not supported in specs")
                        .label("alias")
                        .help("write the value out in full"),
                );
                return None;
            }
            Event::Scalar(text, style, anchor, tag) => {
                if let Some(d) = unsupported(anchor, tag.is_some(), here) {
                    diags.push(d);
                    return None;
                }
                Node { value: resolve(&text, style), span: here }
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                if let Some(d) = unsupported(anchor, tag.is_some(), here) {
                    diags.push(d);
                    return None;
                }
                if stack.len() >= MAX_DEPTH {
                    diags.push(
                        Diagnostic::error(here, format!("nesting deeper than {MAX_DEPTH} levels"))
                            .label("too deep")
                            .help("specs and their examples are shallow; flatten this value"),
                    );
                    return None;
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq { start: here.start, items: Vec::new() }
                } else {
                    Frame::Map { start: here.start, entries: Vec::new(), key: None }
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq { start, items }) => {
                    let end = items.last().map_or(here.end, |n| n.span.end.max(here.end));
                    Node { value: Value::Seq(items), span: Span { file, start, end: end.max(start) } }
                }
                Some(Frame::Map { start, entries, .. }) => {
                    let end = entries.last().map_or(here.end, |(_, v)| v.span.end.max(here.end));
                    Node { value: Value::Map(entries), span: Span { file, start, end: end.max(start) } }
                }
                None => continue,
            },
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    if let Some((first, _)) = entries.iter().find(|(existing, _)| existing.value == k.value) {
                        diags.push(
                            Diagnostic::error(k.span, "duplicate key")
                                .label("this key appears twice")
                                .also(first.span, "first given here")
                                .help("remove one of them"),
                        );
                    }
                    entries.push((k, node));
                }
            },
        }
    }
    if root.is_none() && !diags.has_errors() {
        diags.push(
            Diagnostic::error(Span { file, start: 0, end: 0 }, "the file is empty")
                .label("expected a mapping")
                .help("start with `format: 1`"),
        );
    }
    root
}

fn unsupported(anchor: usize, tagged: bool, span: Span) -> Option<Diagnostic> {
    if anchor != 0 {
        Some(
            Diagnostic::error(span, "anchors are not supported in specs")
                .label("anchor")
                .help("write the value out in full"),
        )
    } else if tagged {
        Some(
            Diagnostic::error(span, "tags are not supported in specs")
                .label("tag")
                .help("remove the tag; quote the value to make it a string"),
        )
    } else {
        None
    }
}

/// The YAML 1.2 core schema for plain scalars; quoted and block scalars are strings.
fn resolve(text: &str, style: ScalarStyle) -> Value {
    if style != ScalarStyle::Plain {
        return Value::Str(text.to_owned());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let int = if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()
    } else if let Some(oct) = digits.strip_prefix("0o") {
        i64::from_str_radix(oct, 8).ok()
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse::<i64>().ok()
    } else {
        None
    };
    if let Some(v) = int {
        return Value::Int(sign * v);
    }
    let looks_numeric = digits.bytes().next().is_some_and(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    if looks_numeric {
        if let Ok(f) = text.parse::<f64>() {
            return Value::Float(f);
        }
    }
    match text {
        ".inf" | "+.inf" | ".Inf" | ".INF" => Value::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => Value::Float(f64::NAN),
        _ => Value::Str(text.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;

    fn load(text: &str) -> (Option<Node>, Diagnostics) {
        let mut map = SourceMap::new();
        let id = map.add("t.yaml", text);
        let mut diags = Diagnostics::new();
        (parse(id, text, &mut diags), diags)
    }

    #[test]
    fn resolves_core_schema_scalars() {
        let (node, diags) = load("a: 1\nb: '1'\nc: true\nd: ~\ne: -0x10\nf: 1.5\ng: 2020-07-06\n");
        assert!(diags.is_empty());
        let Some(Node { value: Value::Map(entries), .. }) = node else { panic!("not a map") };
        let values: Vec<_> = entries.into_iter().map(|(_, v)| v.value).collect();
        assert_eq!(
            values,
            vec![
                Value::Int(1),
                Value::Str("1".into()),
                Value::Bool(true),
                Value::Null,
                Value::Int(-16),
                Value::Float(1.5),
                Value::Str("2020-07-06".into())
            ]
        );
    }

    #[test]
    fn spans_point_at_values_in_bytes() {
        let text = "é: x\nkey: value\n";
        let (node, _) = load(text);
        let Some(Node { value: Value::Map(entries), .. }) = node else { panic!("not a map") };
        let span = entries[1].1.span;
        assert_eq!(&text[span.start..span.end], "value");
    }

    #[test]
    fn duplicate_keys_and_deep_nesting_are_errors() {
        let (_, diags) = load("a: 1\na: 2\n");
        assert_eq!(diags.items()[0].message, "duplicate key");
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let (node, diags) = load(&deep);
        assert!(node.is_none());
        assert!(diags.items()[0].message.contains("nesting"));
    }
}
