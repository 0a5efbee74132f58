//! Stage 1b helpers: reading a YAML mapping key by key while collecting every problem.
//!
//! A [`MapReader`] records which keys the format knows (every accessor registers its key, even
//! when the key is absent), so [`MapReader::finish`] can name unknown keys and suggest the
//! closest known one. Nothing here stops at the first problem.

use crate::diagnostic::{Diagnostic, Diagnostics, Severity, did_you_mean};
use crate::source::Span;
use crate::spec::yaml::{Node, Value};

/// A value and the span it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Pairs a value with a span.
    pub fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }
}

/// A closed set of words a key accepts (`in: query`, `protocol: rpc`).
pub trait Keyword: Sized + Copy + 'static {
    /// Every accepted word with its value.
    const WORDS: &'static [(&'static str, Self)];
}

/// Parses a word of a closed set, reporting an unknown one with the accepted list.
pub fn keyword<K: Keyword>(node: &Node, key: &str, diags: &mut Diagnostics) -> Option<Spanned<K>> {
    let Some(text) = node.as_str() else {
        diags.push(wrong_kind(node, key, "a word"));
        return None;
    };
    if let Some((_, value)) = K::WORDS.iter().find(|(word, _)| *word == text) {
        return Some(Spanned::new(*value, node.span));
    }
    let words: Vec<&str> = K::WORDS.iter().map(|(w, _)| *w).collect();
    let hint = match did_you_mean(text, words.iter().copied()) {
        Some(close) => format!("did you mean `{close}`? `{key}` takes one of: {}", words.join(", ")),
        None => format!("`{key}` takes one of: {}", words.join(", ")),
    };
    diags.push(
        Diagnostic::error(node.span, format!("unknown value `{text}` for `{key}`"))
            .label("not accepted here")
            .help(hint),
    );
    None
}

/// The error for a value of the wrong kind under `key`.
pub fn wrong_kind(node: &Node, key: &str, expected: &str) -> Diagnostic {
    Diagnostic::error(node.head(), format!("`{key}` must be {expected}, found {}", node.kind()))
        .label(format!("expected {expected}"))
}

/// Reads the keys of one mapping. Every reader must end with [`MapReader::finish`], which
/// reports the keys that are unknown and the required keys that are missing.
pub struct MapReader<'a> {
    what: &'static str,
    span: Span,
    entries: &'a [(Node, Node)],
    known: Vec<&'static str>,
    missing: Vec<&'static str>,
}

impl<'a> MapReader<'a> {
    /// Starts reading `node`, which must be a mapping describing `what`, written with its
    /// article for messages ("a parameter", "the operation file", "`http`").
    pub fn new(node: &'a Node, what: &'static str, diags: &mut Diagnostics) -> Option<Self> {
        match &node.value {
            Value::Map(entries) => {
                Some(Self { what, span: head_span(node, entries), entries, known: Vec::new(), missing: Vec::new() })
            }
            _ => {
                diags.push(
                    Diagnostic::error(node.head(), format!("{what} must be a mapping, found {}", node.kind()))
                        .label("expected `key: value` lines or `{ key: value, ... }`"),
                );
                None
            }
        }
    }

    /// Span of the mapping's first key: where "missing key" problems are shown.
    pub fn span(&self) -> Span {
        self.span
    }

    /// The value of `key`, if present; registers the key as known.
    pub fn get(&mut self, key: &'static str) -> Option<&'a Node> {
        if !self.known.contains(&key) {
            self.known.push(key);
        }
        self.entries.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v)
    }

    /// The value of a key that must be present; [`MapReader::finish`] reports it if it is not.
    pub fn require(&mut self, key: &'static str) -> Option<&'a Node> {
        let node = self.get(key);
        if node.is_none() {
            self.missing.push(key);
        }
        node
    }

    /// The value of `key`, required or not.
    fn value(&mut self, key: &'static str, required: bool) -> Option<&'a Node> {
        if required { self.require(key) } else { self.get(key) }
    }

    /// A string value.
    pub fn str(&mut self, key: &'static str, required: bool, diags: &mut Diagnostics) -> Option<Spanned<String>> {
        let node = self.value(key, required)?;
        match &node.value {
            Value::Str(s) => Some(Spanned::new(s.clone(), node.span)),
            Value::Null => {
                diags.push(wrong_kind(node, key, "a string").help(format!("write the value after `{key}:`")));
                None
            }
            Value::Seq(_) | Value::Map(_) => {
                diags.push(wrong_kind(node, key, "a string"));
                None
            }
            _ => {
                diags.push(wrong_kind(node, key, "a string").help("quote the value to make it a string"));
                None
            }
        }
    }

    /// A boolean value.
    pub fn bool(&mut self, key: &'static str, required: bool, diags: &mut Diagnostics) -> Option<Spanned<bool>> {
        let node = self.value(key, required)?;
        match node.value {
            Value::Bool(b) => Some(Spanned::new(b, node.span)),
            _ => {
                diags.push(wrong_kind(node, key, "`true` or `false`").help("write `true` or `false`, without quotes"));
                None
            }
        }
    }

    /// An integer value.
    pub fn int(&mut self, key: &'static str, required: bool, diags: &mut Diagnostics) -> Option<Spanned<i64>> {
        let node = self.value(key, required)?;
        match node.value {
            Value::Int(i) => Some(Spanned::new(i, node.span)),
            _ => {
                diags.push(wrong_kind(node, key, "an integer").help("write the number without quotes or fraction"));
                None
            }
        }
    }

    /// A word of a closed set.
    pub fn keyword<K: Keyword>(
        &mut self,
        key: &'static str,
        required: bool,
        diags: &mut Diagnostics,
    ) -> Option<Spanned<K>> {
        let node = self.value(key, required)?;
        keyword(node, key, diags)
    }

    /// A list whose items are decoded by `item`; absent means empty.
    pub fn list<T>(
        &mut self,
        key: &'static str,
        required: bool,
        diags: &mut Diagnostics,
        mut item: impl FnMut(&'a Node, &mut Diagnostics) -> Option<T>,
    ) -> Vec<T> {
        let node = self.value(key, required);
        match node.map(|n| (n, &n.value)) {
            None => Vec::new(),
            Some((_, Value::Seq(items))) => items.iter().filter_map(|n| item(n, diags)).collect(),
            Some((n, _)) => {
                diags.push(wrong_kind(n, key, "a list"));
                Vec::new()
            }
        }
    }

    /// Reports keys the format does not know, with the closest known key as a hint, and the
    /// required keys that are missing. A missing key that an unknown key looks like a typo of
    /// is reported once, at the typo.
    pub fn finish(self, diags: &mut Diagnostics) {
        let mut explained: Vec<&str> = Vec::new();
        for (key, _) in self.entries {
            let Some(name) = key.as_str() else {
                diags.push(
                    Diagnostic::error(key.head(), format!("a key must be a string, found {}", key.kind()))
                        .label("not a string")
                        .help(format!("keys of {}: {}", self.what, self.known.join(", "))),
                );
                continue;
            };
            if self.known.contains(&name) {
                continue;
            }
            let message = format!("unknown key `{name}` in {}", self.what);
            if !diags.keeps(Severity::Error) {
                // Only counted: skip the hint.
                diags.push(Diagnostic::error(key.span, message));
                continue;
            }
            let close = did_you_mean(name, self.missing.iter().copied())
                .or_else(|| did_you_mean(name, self.known.iter().copied()));
            let hint = match close {
                Some(close) if self.missing.contains(&close) => {
                    explained.push(close);
                    format!("did you mean `{close}`? {} has no `{close}`, which is required", self.what)
                }
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("keys of {}: {}", self.what, self.known.join(", ")),
            };
            diags.push(Diagnostic::error(key.span, message).label("not part of the spec format").help(hint));
        }
        for key in self.missing.iter().filter(|k| !explained.contains(k)) {
            diags.push(
                Diagnostic::error(self.span, format!("{} is missing `{key}`", self.what))
                    .label(format!("`{key}` belongs in the mapping that starts here"))
                    .help(format!("add `{key}:`; specs/README.md lists what each key means")),
            );
        }
    }
}

fn head_span(node: &Node, entries: &[(Node, Node)]) -> Span {
    entries.first().map_or(node.span, |(k, _)| k.span)
}
