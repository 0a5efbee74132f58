//! Checks of documented parameter constraints, run before anything is sent.

use std::cell::RefCell;

use regex_lite::Regex;

use crate::error::{ValidationError, Violation};

/// Collects broken rules of one request.
#[derive(Debug, Default)]
pub struct Validator {
    violations: Vec<Violation>,
}

impl Validator {
    fn fail(&mut self, field: &str, rule: String) {
        self.violations.push(Violation { field: field.to_owned(), rule });
    }

    /// Not empty (a required string whose spec does not allow an empty value).
    pub fn not_empty(&mut self, field: &str, value: &str) {
        if value.is_empty() {
            self.fail(field, "must not be empty".to_owned());
        }
    }

    /// Neither empty nor only whitespace: an idempotency token, which must tell this request
    /// apart from every other for retries to be safe.
    pub fn not_blank(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.fail(
                field,
                "must not be empty or only whitespace (it is the idempotency token that makes retries safe; \
                 leave it unset for a fresh one)"
                    .to_owned(),
            );
        }
    }

    /// Length in characters within `min..=max`.
    pub fn length(&mut self, field: &str, value: &str, min: Option<u64>, max: Option<u64>) {
        let len = value.chars().count() as u64;
        self.count_rule(field, len, min, max, "length");
    }

    /// Number of items within `min..=max`.
    pub fn count(&mut self, field: &str, len: usize, min: Option<u64>, max: Option<u64>) {
        self.count_rule(field, len as u64, min, max, "item count");
    }

    fn count_rule(&mut self, field: &str, len: u64, min: Option<u64>, max: Option<u64>, what: &str) {
        if min.is_some_and(|m| len < m) || max.is_some_and(|m| len > m) {
            let bounds = match (min, max) {
                (Some(lo), Some(hi)) if lo == hi => format!("exactly {lo}"),
                (Some(lo), Some(hi)) => format!("{lo} to {hi}"),
                (Some(lo), None) => format!("at least {lo}"),
                (None, Some(hi)) => format!("at most {hi}"),
                (None, None) => String::new(),
            };
            self.fail(field, format!("must have {what} {bounds}, got {len}"));
        }
    }

    /// Value within `min..=max`.
    pub fn range(&mut self, field: &str, value: i64, min: Option<i64>, max: Option<i64>) {
        if min.is_some_and(|m| value < m) || max.is_some_and(|m| value > m) {
            let lo = min.map_or(String::new(), |m| m.to_string());
            let hi = max.map_or(String::new(), |m| m.to_string());
            self.fail(field, format!("must be in {lo}..={hi}, got {value}"));
        }
    }

    /// ASCII characters only.
    pub fn ascii(&mut self, field: &str, value: &str) {
        if let Some(c) = value.chars().find(|c| !c.is_ascii()) {
            self.fail(field, format!("must contain ASCII characters only, found {c:?}"));
        }
    }

    /// ASCII letters and digits only.
    pub fn alphanumeric(&mut self, field: &str, value: &str) {
        // Byte by byte first: an ASCII-alphanumeric value (the rule's usual case) needs no
        // decoding into characters.
        if value.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return;
        }
        if let Some(c) = value.chars().find(|c| !c.is_ascii_alphanumeric()) {
            self.fail(field, format!("must contain letters and digits only, found {c:?}"));
        }
    }

    /// The whole value matches `pattern` (checked by the generator to compile).
    pub fn pattern(&mut self, field: &str, value: &str, pattern: &'static str) {
        if !matches_whole(pattern, value) {
            self.fail(field, format!("must match the pattern {pattern:?}"));
        }
    }

    /// All broken rules, if any.
    ///
    /// # Errors
    /// The [`ValidationError`] listing them.
    pub fn finish(self) -> Result<(), ValidationError> {
        if self.violations.is_empty() { Ok(()) } else { Err(ValidationError::new(self.violations)) }
    }
}

thread_local! {
    /// The patterns this thread has compiled (`None`: it did not compile). The generated code's
    /// patterns are literals, so the list stays as short as the specs' list of them, and each
    /// is compiled once per thread instead of once per request (about 2 µs each time for the
    /// specs' short patterns); per thread, so that finding one takes no lock. A literal is
    /// found by its address before its text.
    static COMPILED: RefCell<Vec<(&'static str, Option<Regex>)>> = const { RefCell::new(Vec::new()) };
}

/// Whether the whole of `value` matches `pattern`; a pattern that does not compile (the
/// generator refuses those) refuses nothing.
fn matches_whole(pattern: &'static str, value: &str) -> bool {
    let compile = || Regex::new(&format!("^(?:{pattern})$")).ok();
    let is_match = |re: &Option<Regex>| re.as_ref().is_none_or(|re| re.is_match(value));
    let cached = COMPILED.try_with(|compiled| {
        let mut compiled = compiled.borrow_mut();
        if let Some((_, re)) = compiled.iter().find(|(p, _)| std::ptr::eq(*p, pattern) || *p == pattern) {
            return is_match(re);
        }
        let re = compile();
        let matched = is_match(&re);
        compiled.push((pattern, re));
        matched
    });
    // Only while the thread is being torn down is there no list; compile for the one check.
    cached.unwrap_or_else(|_| is_match(&compile()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn violations_name_the_field_and_the_rule() {
        let mut v = Validator::default();
        v.length("ClientToken", &"x".repeat(65), None, Some(64));
        v.alphanumeric("task_id", "abc-def");
        v.range("progress", 300, Some(0), Some(100));
        v.ascii("TrailName", "é");
        v.pattern("id", "ab", "[0-9]+");
        v.not_empty("TrailName", "");
        v.not_blank("ClientToken", " \t");
        v.not_empty("Note", " ");
        v.not_blank("Token", "t");
        let err = v.finish().expect_err("broken");
        assert_eq!(
            err.to_string(),
            "invalid request: `ClientToken` must have length at most 64, got 65; `task_id` must contain letters and digits only, found '-'; \
             `progress` must be in 0..=100, got 300; `TrailName` must contain ASCII characters only, found 'é'; `id` must match the pattern \"[0-9]+\"; `TrailName` must not be empty; `ClientToken` must not be empty or only \
             whitespace (it is the idempotency token that makes retries safe; leave it unset for a fresh one)"
        );
    }

    #[test]
    fn a_pattern_matches_the_whole_value_on_every_call_not_just_the_first() {
        // The same pattern several times, so that later calls read the compiled one.
        for _ in 0..3 {
            for (value, ok) in
                [("42", true), ("100", true), ("7", true), ("0", false), ("1000", false), ("a100", false)]
            {
                let mut v = Validator::default();
                v.pattern("used_percent", value, "[1-9][0-9]?|100");
                assert_eq!(v.finish().is_ok(), ok, "{value:?}");
            }
        }
        let mut v = Validator::default();
        v.pattern("id", "ab", "[a-z]+");
        v.pattern("id", "a b", "[a-z]+");
        let err = v.finish().expect_err("the second value has a space");
        assert_eq!(err.to_string(), "invalid request: `id` must match the pattern \"[a-z]+\"");
    }
}
