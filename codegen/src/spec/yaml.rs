//! Stage 1a: YAML text to a small tree of nodes that keep their spans.
//!
//! `saphyr-parser` supplies the event stream with positions; this module builds the tree
//! itself because the spec format needs things a generic loader hides: duplicate keys are an
//! error (not a silent overwrite), the byte span of every key and value, and bounded nesting so
//! no input can exhaust the stack later. Scalars are resolved with the YAML 1.2 core schema.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YamlSpan};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::{FileId, Span};

/// Deepest nesting of collections a spec may use; real specs use about eight.
const MAX_DEPTH: usize = 64;

/// Largest spec file read, in bytes; real specs are below 32 KiB. Bounds the memory and time
/// one file can cost.
pub const MAX_FILE_BYTES: usize = 1 << 20;

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
    /// End of the line the value starts on: where [`Node::head`] ends.
    line_end: usize,
}

impl Node {
    /// The value as JSON (examples, defaults and enum values are JSON written as YAML); a
    /// non-finite float, which JSON cannot hold, becomes `null`.
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as Json;
        match &self.value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => Json::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
            Value::Str(s) => Json::String(s.clone()),
            Value::Seq(items) => Json::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => Json::Object(
                entries.iter().map(|(k, v)| (k.as_str().unwrap_or_default().to_owned(), v.to_json())).collect(),
            ),
        }
    }

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

    /// The part of the value on its first line, so a message about a long list, mapping or
    /// block of text marks one line, not all of them.
    #[must_use]
    pub fn head(&self) -> Span {
        Span { end: self.span.end.min(self.line_end).max(self.span.start), ..self.span }
    }
}

/// Where lines end, for [`Node::head`] in logarithmic time.
struct Lines {
    ends: Vec<usize>,
    len: usize,
}

impl Lines {
    fn new(text: &str) -> Self {
        Self { ends: text.match_indices('\n').map(|(i, _)| i).collect(), len: text.len() }
    }

    /// The end of the line holding byte `at` (before its newline).
    fn end(&self, at: usize) -> usize {
        self.ends.get(self.ends.partition_point(|&end| end < at)).copied().unwrap_or(self.len)
    }
}

/// Converts character offsets (what the parser reports) to byte offsets, in constant time.
struct Offsets {
    len: usize,
    /// Byte offset of every character; `None` for ASCII text, where the two are equal.
    starts: Option<Vec<usize>>,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let starts = (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect());
        Self { len: text.len(), starts }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.starts {
            None => char_index.min(self.len),
            Some(starts) => starts.get(char_index).copied().unwrap_or(self.len),
        }
    }
}

enum Frame {
    Seq { start: usize, items: Vec<Node> },
    Map { start: usize, entries: Vec<(Node, Node)>, key: Option<Node>, seen: HashMap<ScalarKey, usize> },
}

/// A scalar in a form that can be hashed: for finding duplicate keys, enum values and states in
/// linear time.
#[derive(PartialEq, Eq, Hash)]
pub(crate) enum ScalarKey {
    Null,
    Bool(bool),
    Int(i64),
    Float(u64),
    Str(String),
}

impl ScalarKey {
    pub(crate) fn of(value: &Value) -> Option<Self> {
        Some(match value {
            Value::Null => Self::Null,
            Value::Bool(b) => Self::Bool(*b),
            Value::Int(i) => Self::Int(*i),
            Value::Float(f) => Self::Float(f.to_bits()),
            Value::Str(s) => Self::Str(s.clone()),
            Value::Seq(_) | Value::Map(_) => return None,
        })
    }
}

/// Parses one YAML document. Syntax errors, duplicate keys, anchors, tags, excessive nesting
/// and oversized files are reported; the first syntax error ends parsing of that file.
pub fn parse(file: FileId, text: &str, diags: &mut Diagnostics) -> Option<Node> {
    if text.len() > MAX_FILE_BYTES {
        diags.push(
            Diagnostic::error(
                Span { file, start: 0, end: 0 },
                format!("the file is larger than {} KiB", MAX_FILE_BYTES / 1024),
            )
            .label("not read")
            .help("a spec describes one service or one operation; split it or remove what is not part of the format"),
        );
        return None;
    }
    let offsets = Offsets::new(text);
    let lines = Lines::new(text);
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
                diags.push(syntax_error(file, text, at, e.info(), stack.last()));
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
                    Diagnostic::error(here, "anchors and aliases are not supported in specs")
                        .label("alias")
                        .help("write the value out in full where it is used"),
                );
                return None;
            }
            Event::Scalar(value, style, anchor, tag) => {
                if let Some(d) = unsupported(text, anchor, tag.is_some(), here) {
                    diags.push(d);
                    return None;
                }
                Node { value: resolve(&value, style), span: here, line_end: lines.end(here.start) }
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                if let Some(d) = unsupported(text, anchor, tag.is_some(), here) {
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
                    Frame::Map { start: here.start, entries: Vec::new(), key: None, seen: HashMap::new() }
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq { start, items }) => {
                    let end = items.last().map_or(here.end, |n| n.span.end.max(here.end));
                    Node {
                        value: Value::Seq(items),
                        span: Span { file, start, end: end.max(start) },
                        line_end: lines.end(start),
                    }
                }
                Some(Frame::Map { start, entries, .. }) => {
                    let end = entries.last().map_or(here.end, |(_, v)| v.span.end.max(here.end));
                    Node {
                        value: Value::Map(entries),
                        span: Span { file, start, end: end.max(start) },
                        line_end: lines.end(start),
                    }
                }
                None => continue,
            },
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, seen, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    if let Some(scalar) = ScalarKey::of(&k.value) {
                        if let Some((first, _)) = seen.get(&scalar).and_then(|i| entries.get(*i)) {
                            diags.push(
                                Diagnostic::error(k.span, "duplicate key")
                                    .label("this key appears twice")
                                    .also(first.span, "first given here")
                                    .help("remove one of them"),
                            );
                        } else {
                            seen.insert(scalar, entries.len());
                        }
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

fn unsupported(text: &str, anchor: usize, tagged: bool, span: Span) -> Option<Diagnostic> {
    if anchor != 0 {
        Some(
            Diagnostic::error(token(text, span, '&'), "anchors and aliases are not supported in specs")
                .label("anchor")
                .help("write the value out in full where it is used"),
        )
    } else if tagged {
        Some(
            Diagnostic::error(token(text, span, '!'), "tags are not supported in specs")
                .label("tag")
                .help("remove the tag; quote the value to make it a string"),
        )
    } else {
        None
    }
}

/// The word starting with `marker` (an anchor `&name` or a tag `!!str`) within `span`, or the
/// whole span if there is none.
fn token(text: &str, span: Span, marker: char) -> Span {
    let Some(inside) = text.get(span.start..span.end) else { return span };
    let Some(at) = inside.find(marker) else { return span };
    let word = &inside[at..];
    let len = word.find(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}')).unwrap_or(word.len());
    Span { start: span.start + at, end: span.start + at + len.max(1), ..span }
}

/// The report of a syntax error at byte `at`: a tab in indentation is named as such, and an
/// unclosed flow collection (`{`, `[`) is shown where it opens.
fn syntax_error(file: FileId, text: &str, at: usize, info: &str, open: Option<&Frame>) -> Diagnostic {
    let line_start = text.get(..at).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
    let line = text.get(line_start..).and_then(|t| t.lines().next()).unwrap_or("");
    if info.contains("tab")
        && let Some(tab) = line.find('\t')
    {
        let start = line_start + tab;
        return Diagnostic::error(Span { file, start, end: start + 1 }, format!("invalid YAML: {info}"))
            .label("tab")
            .help("indent with spaces; YAML does not allow tabs in indentation");
    }
    let mut diagnostic = Diagnostic::error(Span { file, start: at, end: at }, format!("invalid YAML: {info}"))
        .label("the parser stopped here");
    let open_at = match open {
        Some(Frame::Seq { start, .. } | Frame::Map { start, .. }) => Some(*start),
        None => None,
    };
    match open_at.filter(|s| *s < at).and_then(|s| Some((s, text.get(s..)?.chars().next()?))) {
        Some((start, bracket @ ('{' | '['))) => {
            let closing = if bracket == '{' { '}' } else { ']' };
            diagnostic = diagnostic
                .also(Span { file, start, end: start + 1 }, format!("`{bracket}` opened here"))
                .help(format!("check that every `{bracket}` is closed with `{closing}` and that values holding `,`, `[`, `]`, `{{` or `}}` are quoted"));
        }
        _ => diagnostic = diagnostic.help("check indentation and quoting around this place"),
    }
    diagnostic
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
        Some(rest) => (-1_i128, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let digits_of = |text: &str, radix: u32| {
        (!text.is_empty() && text.chars().all(|c| c.is_digit(radix))).then(|| u64::from_str_radix(text, radix).ok())?
    };
    let magnitude = if let Some(hex) = digits.strip_prefix("0x") {
        digits_of(hex, 16)
    } else if let Some(oct) = digits.strip_prefix("0o") {
        digits_of(oct, 8)
    } else {
        digits_of(digits, 10)
    };
    if let Some(v) = magnitude.and_then(|m| i64::try_from(sign * i128::from(m)).ok()) {
        return Value::Int(v);
    }
    let looks_numeric = digits.bytes().next().is_some_and(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    if looks_numeric && let Ok(f) = text.parse::<f64>() {
        return Value::Float(f);
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
    fn integers_at_the_edges_of_the_range_do_not_overflow() {
        let (node, diags) =
            load("a: -0x-8000000000000000\nb: -9223372036854775808\nc: 0x7FFFFFFFFFFFFFFF\nd: 0x8000000000000000\n");
        assert!(diags.is_empty());
        let Some(Node { value: Value::Map(entries), .. }) = node else { panic!("not a map") };
        let values: Vec<_> = entries.into_iter().map(|(_, v)| v.value).collect();
        assert_eq!(
            values,
            vec![
                Value::Str("-0x-8000000000000000".into()),
                Value::Int(i64::MIN),
                Value::Int(i64::MAX),
                Value::Str("0x8000000000000000".into())
            ]
        );
    }

    #[test]
    fn heads_and_offsets_stay_on_the_first_line_and_on_characters() {
        let text = "é:\n  - ü\n  - b\n";
        let (node, _) = load(text);
        let Some(Node { value: Value::Map(entries), .. }) = node else { panic!("not a map") };
        let list = &entries[0].1;
        assert_eq!(&text[list.head().start..list.head().end], "- ü");
        assert!(text[list.span.start..list.span.end].starts_with("- ü\n  - b"));
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
