//! Diagnostics: what went wrong in a spec, where, and what to do about it.
//!
//! Every stage reports problems into a [`Diagnostics`] accumulator instead of stopping at the
//! first one; the pipeline stops at a stage border when errors were collected. Rendering uses
//! `codespan-reporting`, which prints `file:line:col`, the source excerpt with the span marked,
//! secondary labels (both places of a duplicate) and `help`/`note` lines, all as plain text
//! that is stable enough to snapshot.

use codespan_reporting::diagnostic::{Diagnostic as Rendered, Label as RenderedLabel};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;

use crate::source::{SourceMap, Span};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The spec is valid but probably not what was meant.
    Warning,
    /// The spec cannot be used.
    Error,
}

/// A secondary place that explains a diagnostic (for example the first of two duplicates).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is there.
    pub message: String,
}

/// One finding about the specs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, one line, lowercase, no trailing period.
    pub message: String,
    /// Where it is; `None` only for problems with no file (an empty spec directory).
    pub span: Option<Span>,
    /// Text under the marked span: what was found or expected there.
    pub label: String,
    /// Related places.
    pub secondary: Vec<Label>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    #[must_use]
    pub fn error(span: Span, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, Some(span), message.into())
    }

    /// A warning at `span`.
    #[must_use]
    pub fn warning(span: Span, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, Some(span), message.into())
    }

    /// An error that belongs to no file.
    #[must_use]
    pub fn global(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, None, message.into())
    }

    /// A warning that belongs to no file (an entry of the spec folder that was not read).
    #[must_use]
    pub fn global_warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, None, message.into())
    }

    fn new(severity: Severity, span: Option<Span>, message: String) -> Self {
        Self { severity, message, span, label: String::new(), secondary: Vec::new(), help: None }
    }

    /// Sets the text under the marked span.
    #[must_use]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Adds a related place.
    #[must_use]
    pub fn also(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label { span, message: message.into() });
        self
    }

    /// Sets the hint.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the hint only if there is one.
    #[must_use]
    pub fn maybe_help(self, help: Option<String>) -> Self {
        match help {
            Some(help) => self.help(help),
            None => self,
        }
    }
}

/// Most errors, and most warnings, kept with their details. A run that finds more keeps only
/// counting them, so no input can make the report grow without bound.
pub const MAX_KEPT: usize = 1000;

/// Most candidates compared for a "did you mean" hint, so hints stay cheap in huge specs.
const MAX_CANDIDATES: usize = 512;

/// The findings of a run, in the order they were found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    kept_errors: usize,
    kept_warnings: usize,
    dropped_errors: usize,
    dropped_warnings: usize,
}

impl Diagnostics {
    /// No findings yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a finding; beyond [`MAX_KEPT`] of its severity only counts it.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        let (kept, dropped) = match diagnostic.severity {
            Severity::Error => (&mut self.kept_errors, &mut self.dropped_errors),
            Severity::Warning => (&mut self.kept_warnings, &mut self.dropped_warnings),
        };
        if *kept < MAX_KEPT {
            *kept += 1;
            self.items.push(diagnostic);
        } else {
            *dropped += 1;
        }
    }

    /// Whether a finding of `severity` pushed now would be kept with its details; when not,
    /// callers may skip work that only serves the details (hints).
    #[must_use]
    pub fn keeps(&self, severity: Severity) -> bool {
        match severity {
            Severity::Error => self.kept_errors < MAX_KEPT,
            Severity::Warning => self.kept_warnings < MAX_KEPT,
        }
    }

    /// Records all findings of another accumulator.
    pub fn extend(&mut self, other: Diagnostics) {
        for item in other.items {
            self.push(item);
        }
        self.dropped_errors += other.dropped_errors;
        self.dropped_warnings += other.dropped_warnings;
    }

    /// Whether any finding is an error.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// Number of errors, including those not kept.
    #[must_use]
    pub fn error_count(&self) -> usize {
        self.kept_errors + self.dropped_errors
    }

    /// Number of warnings, including those not kept.
    #[must_use]
    pub fn warning_count(&self) -> usize {
        self.kept_warnings + self.dropped_warnings
    }

    /// The findings kept (all of them unless there were more than [`MAX_KEPT`] of a severity).
    #[must_use]
    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    /// Whether there are no findings.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.error_count() + self.warning_count() == 0
    }

    /// Sorts findings by file and position, so output does not depend on rule order.
    pub(crate) fn sort(&mut self) {
        self.items.sort_by_key(|d| (d.span.map(|s| (s.file, s.start)), d.severity));
    }

    /// Renders every finding with source excerpts, followed by a one-line count.
    #[must_use]
    pub fn render(&self, sources: &SourceMap) -> String {
        let mut files = SimpleFiles::new();
        for (_, file) in sources.iter() {
            files.add(file.path.clone(), file.text.clone());
        }
        let config = term::Config::default();
        let mut out = String::new();
        for item in &self.items {
            let rendered = to_rendered(item);
            let shown =
                if spans_fit(item, sources) { term::emit_into_string(&config, &files, &rendered).ok() } else { None };
            match shown {
                Some(text) => out.push_str(&text),
                // A span outside its file is a generator bug; still say what was wrong.
                None => {
                    out.push_str(item.severity.word());
                    out.push_str(": ");
                    out.push_str(&item.message);
                    out.push_str("\n\n");
                }
            }
        }
        if self.dropped_errors + self.dropped_warnings > 0 {
            let note = format!(
                "note: only the first {MAX_KEPT} errors and the first {MAX_KEPT} warnings are shown; fix these and run again\n\n"
            );
            out.push_str(&note);
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }

    /// `N errors, M warnings` (singular where it fits).
    #[must_use]
    pub fn summary(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        format!("{}, {}", plural(self.error_count(), "error"), plural(self.warning_count(), "warning"))
    }
}

impl Severity {
    /// `error` or `warning`, as the report prints it.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

/// Whether every span of `item` lies in its file on character boundaries, so rendering the
/// excerpt cannot fail.
fn spans_fit(item: &Diagnostic, sources: &SourceMap) -> bool {
    item.span.iter().chain(item.secondary.iter().map(|l| &l.span)).all(|span| {
        sources.iter().nth(span.file.0).is_some_and(|(_, file)| {
            span.start <= span.end && file.text.is_char_boundary(span.start) && file.text.is_char_boundary(span.end)
        })
    })
}

fn to_rendered(item: &Diagnostic) -> Rendered<usize> {
    let base = match item.severity {
        Severity::Error => Rendered::error(),
        Severity::Warning => Rendered::warning(),
    };
    let mut labels = Vec::new();
    if let Some(span) = item.span {
        labels.push(RenderedLabel::primary(span.file.0, span.start..span.end).with_message(&item.label));
    }
    for extra in &item.secondary {
        labels.push(
            RenderedLabel::secondary(extra.span.file.0, extra.span.start..extra.span.end).with_message(&extra.message),
        );
    }
    let notes = item.help.iter().map(|h| format!("help: {h}")).collect();
    base.with_message(&item.message).with_labels(labels).with_notes(notes)
}

/// The closest of `candidates` to `input`, if any is close enough to be a likely typo.
/// Only the first 512 candidates are compared.
#[must_use]
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input = input.to_lowercase();
    candidates
        .into_iter()
        .take(MAX_CANDIDATES)
        .map(|c| (strsim::jaro_winkler(&input, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
