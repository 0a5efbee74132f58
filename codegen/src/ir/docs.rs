//! Documentation lines for generated items, assembled from spec prose and facts.
//!
//! Provider prose is not Markdown written for rustdoc: brackets would become broken
//! intra-doc links, `<Region>` an unclosed HTML tag, bare URLs a lint, `****` emphasis and an
//! indented line a doc test. [`sanitize`] neutralises all of these.

use crate::spec::model::{Constraints, Correction};
use crate::spec::reader::Spanned;
use crate::spec::yaml::{Node, Value};

/// Builds the lines of one doc comment, paragraph by paragraph.
#[derive(Default)]
pub struct DocBuilder {
    lines: Vec<String>,
}

impl DocBuilder {
    /// Adds prose as a paragraph (sanitized).
    pub fn prose(&mut self, text: Option<&Spanned<String>>) -> &mut Self {
        if let Some(text) = text {
            self.paragraph(&sanitize(&text.value));
        }
        self
    }

    /// Adds an already safe paragraph.
    pub fn paragraph(&mut self, text: &str) -> &mut Self {
        let text = text.trim();
        if text.is_empty() {
            return self;
        }
        if !self.lines.is_empty() {
            self.lines.push(String::new());
        }
        self.lines.extend(text.lines().map(|l| l.trim().to_owned()));
        self
    }

    /// Adds an already safe line to the current paragraph (a new one if there is none).
    pub fn continuation(&mut self, text: &str) -> &mut Self {
        let text = text.trim();
        if !text.is_empty() {
            self.lines.push(text.to_owned());
        }
        self
    }

    /// Adds prose (sanitized) to the current paragraph.
    pub fn prose_continuation(&mut self, text: Option<&Spanned<String>>) -> &mut Self {
        if let Some(text) = text {
            for line in sanitize(&text.value).lines() {
                self.continuation(line);
            }
        }
        self
    }

    /// Adds the wire facts of a field on one line of its first paragraph: the wire name (when
    /// `renamed`), constraints, default and example.
    pub fn field_facts(
        &mut self,
        wire: Option<&str>,
        constraints: &Constraints,
        default: Option<&Node>,
        example: Option<&Node>,
    ) -> &mut Self {
        let mut facts: Vec<String> = wire.map(|wire| format!("Wire name: `{wire}`.")).into_iter().collect();
        let c = constraints;
        match (&c.min_length, &c.max_length) {
            (Some(lo), Some(hi)) if lo.value == hi.value => facts.push(format!("Length: exactly {}.", lo.value)),
            (Some(lo), Some(hi)) => facts.push(format!("Length: {} to {}.", lo.value, hi.value)),
            (Some(lo), None) => facts.push(format!("Length: at least {}.", lo.value)),
            (None, Some(hi)) => facts.push(format!("Length: at most {}.", hi.value)),
            (None, None) => {}
        }
        match (&c.minimum, &c.maximum) {
            (Some(lo), Some(hi)) => facts.push(format!("Range: {} to {}.", lo.value, hi.value)),
            (Some(lo), None) => facts.push(format!("Minimum: {}.", lo.value)),
            (None, Some(hi)) => facts.push(format!("Maximum: {}.", hi.value)),
            (None, None) => {}
        }
        if let Some(charset) = &c.charset {
            facts.push(format!("Characters: {} only.", charset.value.word()));
        }
        if let Some(pattern) = &c.pattern {
            facts.push(format!("Pattern: `{}`.", pattern.value.replace('`', "'")));
        }
        if let Some(default) = default {
            facts.push(format!("Default: {}.", literal(default)));
        }
        if let Some(example) = example {
            facts.push(format!("Example: {}.", literal(example)));
        }
        self.continuation(&facts.join(" "))
    }

    /// Adds a correction note.
    pub fn correction(&mut self, correction: Option<&Correction>) -> &mut Self {
        if let Some(c) = correction {
            self.paragraph(&format!(
                "Correction. The document: {}. In fact: {}. Source: {}.",
                sanitize(c.page.value.trim().trim_end_matches('.')),
                sanitize(c.fact.value.trim().trim_end_matches('.')),
                sanitize(c.source.value.trim().trim_end_matches('.'))
            ));
        }
        self
    }

    /// Adds `text` as the only paragraph if nothing else was added (a blank description adds
    /// nothing), so a documented item never ends up without docs.
    pub fn or_else(&mut self, text: &str) -> &mut Self {
        if self.lines.is_empty() {
            self.paragraph(text);
        }
        self
    }

    /// The lines.
    #[must_use]
    pub fn build(&mut self) -> Vec<String> {
        std::mem::take(&mut self.lines)
    }
}

/// A scalar example or default as inline code.
fn literal(node: &Node) -> String {
    let text = match &node.value {
        Value::Str(s) => format!("\"{s}\""),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_owned(),
        Value::Seq(_) | Value::Map(_) => return "see the spec".to_owned(),
    };
    format!("`{}`", text.replace('`', "'"))
}

/// Makes provider prose safe for rustdoc: escapes Markdown and HTML metacharacters, wraps bare
/// URLs in `<>`, and removes indentation that would start a code block.
#[must_use]
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for word in line.trim().split(' ') {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push(' ');
            }
            if word.starts_with("http://") || word.starts_with("https://") {
                let trimmed = word.trim_end_matches(['.', ',', ')', ';']);
                out.push('<');
                out.push_str(trimmed);
                out.push('>');
                out.push_str(&word[trimmed.len()..]);
                continue;
            }
            for c in word.chars() {
                if matches!(c, '[' | ']' | '<' | '>' | '*' | '_' | '`' | '#' | '|' | '\\') {
                    out.push('\\');
                }
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn sanitize_neutralises_markdown_and_html() {
        assert_eq!(sanitize("Host: <Region>.cls [x] 42665544****"), r"Host: \<Region\>.cls \[x\] 42665544\*\*\*\*");
        assert_eq!(sanitize("see https://help.aliyun.com/x."), "see <https://help.aliyun.com/x>.");
        assert_eq!(sanitize("    indented\n  code"), "indented\ncode");
    }
}
