//! Doc attributes kept out of parsing and printing.
//!
//! Most of a generated file is documentation, and `prettyplease` prints an outer
//! `#[doc = "text"]` whose text has no line break and does not start with `/` as the line
//! `///text` (trailing spaces trimmed) at the indentation of what it documents, whatever the
//! text is. So a run of such attributes can be replaced by one empty doc attribute before the
//! source is parsed, and its lines put back where that attribute is printed (the line `///`
//! alone): the output is the same, and the parser and printer see one short attribute instead
//! of many long ones. Everything else (inner attributes, texts with a line break or a leading
//! `/`, escapes this module does not know) is left for the parser.

/// How an outer doc attribute appears in `TokenStream::to_string()` output.
const DOC: &str = "# [doc = \"";
/// The attribute left in place of a run of doc attributes.
const PLACEHOLDER: &str = "# [doc = \"\"]";
/// How `prettyplease` prints the placeholder, after the indentation.
const PRINTED: &str = "///";

/// Source text with runs of doc attributes replaced, and the lines of each run.
pub(crate) struct Taken {
    /// The text to parse and print.
    pub text: String,
    /// Per placeholder, in order, the texts of its doc lines (what follows `///`).
    pub runs: Vec<Vec<String>>,
}

/// Replaces every run of outer doc attributes that print as `///` lines in `text` (the
/// `to_string()` of a token stream) by one placeholder.
pub(crate) fn take(text: &str) -> Taken {
    let mut out = String::with_capacity(text.len() / 2);
    let mut runs: Vec<Vec<String>> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(DOC) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let mut run = Vec::new();
        // After the last attribute taken; attributes of one run are separated by one space.
        let mut end = rest;
        let mut next = rest;
        while let Some((line, after)) = attribute(next) {
            run.push(line);
            end = after;
            match after.strip_prefix(' ') {
                Some(following) if following.starts_with(DOC) => next = following,
                _ => break,
            }
        }
        if run.is_empty() {
            // Not one this module handles: keep it and look further on.
            out.push_str(&rest[..DOC.len()]);
            rest = &rest[DOC.len()..];
            continue;
        }
        out.push_str(PLACEHOLDER);
        runs.push(run);
        rest = end;
    }
    out.push_str(rest);
    Taken { text: out, runs }
}

/// The printed line of the doc attribute at the start of `text` and the text after it, when
/// the attribute prints as a `///` line and its literal uses only escapes known here.
fn attribute(text: &str) -> Option<(String, &str)> {
    let body = text.strip_prefix(DOC)?;
    let bytes = body.as_bytes();
    let mut end = 0;
    while end < bytes.len() {
        match bytes[end] {
            b'\\' => end += 2,
            b'"' => break,
            _ => end += 1,
        }
    }
    let after = body.get(end..)?.strip_prefix("\"]")?;
    let mut line = unescape(&body[..end])?;
    if line.contains('\n') || line.starts_with('/') {
        return None;
    }
    line.truncate(line.trim_end_matches(' ').len());
    Some((line, after))
}

/// The value of a string literal's contents as written by `Literal::string` (the escapes of
/// `char::escape_debug`); `None` for any other escape.
fn unescape(written: &str) -> Option<String> {
    if !written.contains('\\') {
        return Some(written.to_owned());
    }
    let mut value = String::with_capacity(written.len());
    let mut chars = written.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            value.push(c);
            continue;
        }
        match chars.next()? {
            'n' => value.push('\n'),
            'r' => value.push('\r'),
            't' => value.push('\t'),
            '0' => value.push('\0'),
            c @ ('\\' | '"' | '\'') => value.push(c),
            'u' => {
                let hex = chars.as_str().strip_prefix('{')?;
                let (digits, after) = hex.split_once('}')?;
                value.push(char::from_u32(u32::from_str_radix(digits, 16).ok()?)?);
                chars = after.chars();
            }
            _ => return None,
        }
    }
    Some(value)
}

/// `printed` with the lines of each run put back where its placeholder was printed; `None`
/// when the placeholders printed are not one per run (the caller then formats without
/// taking the docs out).
pub(crate) fn restore(printed: &str, runs: &[Vec<String>]) -> Option<String> {
    let extra: usize = runs.iter().flatten().map(|line| line.len() + 80).sum();
    let mut out = String::with_capacity(printed.len() + extra);
    let mut runs = runs.iter();
    for line in printed.split_inclusive('\n') {
        let content = line.trim_start_matches(' ');
        if content.strip_suffix('\n').unwrap_or(content) == PRINTED {
            let indent = &line[..line.len() - content.len()];
            for text in runs.next()? {
                out.push_str(indent);
                out.push_str(PRINTED);
                out.push_str(text);
                out.push('\n');
            }
        } else {
            out.push_str(line);
        }
    }
    runs.next().is_none().then_some(out)
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn printed(text: &str) -> String {
        prettyplease::unparse(&syn::parse_str(text).expect("parses"))
    }

    #[test]
    fn taking_docs_out_and_back_prints_the_same() {
        let tokens = quote! {
            #[doc = " A module."]
            #[doc = ""]
            #[doc = " With \"quotes\", a tab\t, a backslash \\ and \u{e9}\u{301} \u{200b}.   "]
            pub mod m {
                #![doc = " inner"]
                #[doc = "/ starts with a slash"]
                #[doc = " two\nlines"]
                pub struct A {
                    #[doc = " Field."]
                    pub a: u8,
                }
                #[derive(Debug)]
                #[doc = " After a derive."]
                pub enum E { #[doc = " Variant."] V }
                pub fn f() { let _ = "# [doc = \"not a doc\"]"; }
            }
        };
        let text = tokens.to_string();
        let taken = take(&text);
        assert_eq!(taken.runs.len(), 4, "{}", taken.text);
        assert_eq!(taken.runs[0].len(), 3);
        assert!(taken.text.contains("\"/ starts with a slash\""), "left for the parser");
        assert!(taken.text.contains("two\\nlines"), "left for the parser");
        let expected = printed(&text);
        assert_eq!(restore(&printed(&taken.text), &taken.runs).as_deref(), Some(expected.as_str()));
    }

    #[test]
    fn placeholders_that_do_not_match_the_runs_are_refused() {
        let taken = take(&quote!(#[doc = " a"] struct A;).to_string());
        let out = printed(&taken.text);
        assert_eq!(restore(&out, &taken.runs).as_deref(), Some("/// a\nstruct A;\n"));
        assert_eq!(restore(&out, &[]), None);
        assert_eq!(restore(&out, &[vec![], vec![]]), None);
    }

    #[test]
    fn unknown_escapes_are_left_alone() {
        assert_eq!(unescape("a\\x41"), None);
        assert_eq!(unescape("a\\u{41}b\\\\"), Some("aAb\\".to_owned()));
        assert_eq!(unescape("\\u{d800}"), None);
    }
}
