//! Checks of documented parameter constraints, run before anything is sent.

use std::cell::RefCell;
use std::ops::{RangeFrom, RangeInclusive, RangeToInclusive};

use regex_lite::Regex;

use crate::error::{ValidationError, Violation};
use crate::value::OneOrMany;

/// Collects broken rules of one request.
#[derive(Debug, Default)]
pub struct Validator {
    violations: Vec<Violation>,
    /// The path of the nested value being checked (`settings.`, `tasks[0].`), which the names
    /// of its broken rules start with; empty at the request's own parameters.
    prefix: String,
}

/// A generated type whose fields carry documented constraints, or hold such a type: a request
/// that holds one checks it too, naming each broken rule by its path from the request's
/// parameter, in wire names (`settings.retentionDays`, `tasks[0].id`).
pub trait Validate {
    /// Checks this value, reached through `field` (at `index` of a list).
    fn validate_in(&self, field: &str, index: Option<usize>, check: &mut Validator);
}

impl<T: Validate> Validate for Option<T> {
    fn validate_in(&self, field: &str, index: Option<usize>, check: &mut Validator) {
        if let Some(value) = self {
            value.validate_in(field, index, check);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_in(&self, field: &str, _: Option<usize>, check: &mut Validator) {
        for (index, item) in self.iter().enumerate() {
            item.validate_in(field, Some(index), check);
        }
    }
}

impl<T: Validate> Validate for OneOrMany<T> {
    fn validate_in(&self, field: &str, index: Option<usize>, check: &mut Validator) {
        match self {
            Self::One(value) => value.validate_in(field, index, check),
            Self::Many(items) => items.validate_in(field, index, check),
        }
    }
}

impl Validator {
    fn fail(&mut self, field: &str, rule: String) {
        let field = if self.prefix.is_empty() { field.to_owned() } else { format!("{}{field}", self.prefix) };
        self.violations.push(Violation { field, rule });
    }

    /// Starts checking the fields of the value of `field` (at `index` of a list); returns what
    /// [`leave`](Self::leave) takes back.
    pub fn enter(&mut self, field: &str, index: Option<usize>) -> usize {
        let outer = self.prefix.len();
        self.prefix.push_str(field);
        if let Some(index) = index {
            self.prefix.push('[');
            self.prefix.push_str(&index.to_string());
            self.prefix.push(']');
        }
        self.prefix.push('.');
        outer
    }

    /// Ends checking a nested value: back to the path before [`enter`](Self::enter).
    pub fn leave(&mut self, outer: usize) {
        self.prefix.truncate(outer);
    }

    /// The fields of a nested value (every item of a list, a set `Option`).
    pub fn nested<V: Validate + ?Sized>(&mut self, field: &str, value: &V) {
        value.validate_in(field, None, self);
    }

    /// Length in characters within `bounds`.
    pub fn length_in(&mut self, field: &str, value: &str, bounds: impl Bounds<u64>) {
        let (min, max) = bounds.ends();
        self.length(field, value, min, max);
    }

    /// Number of items of a list within `bounds`.
    pub fn items_in<T, L: AsRef<[T]> + ?Sized>(&mut self, field: &str, list: &L, bounds: impl Bounds<u64>) {
        let (min, max) = bounds.ends();
        self.count(field, list.as_ref().len(), min, max);
    }

    /// Integer value within `bounds`.
    pub fn range_in<V: Copy + Into<i64>>(&mut self, field: &str, value: &V, bounds: impl Bounds<i64>) {
        let (min, max) = bounds.ends();
        self.range(field, (*value).into(), min, max);
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
    fn length(&mut self, field: &str, value: &str, min: Option<u64>, max: Option<u64>) {
        let len = value.chars().count() as u64;
        self.count_rule(field, len, min, max, "length");
    }

    /// Number of items within `min..=max`.
    fn count(&mut self, field: &str, len: usize, min: Option<u64>, max: Option<u64>) {
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
    fn range(&mut self, field: &str, value: i64, min: Option<i64>, max: Option<i64>) {
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

/// The bounds of a constraint, both ends included, in the three forms the generated code
/// writes: `1..=64`, `..=64` and `1..`. A range with an excluded end (`1..64`, `..0`) is not
/// one of them, so a bound is never shifted to a neighbouring value (and `..0`, which no
/// length meets, cannot pass for "at most 0").
pub trait Bounds<T> {
    /// The lowest and the highest value allowed (`None`: no bound on that side).
    fn ends(&self) -> (Option<T>, Option<T>);
}

impl<T: Copy> Bounds<T> for RangeInclusive<T> {
    fn ends(&self) -> (Option<T>, Option<T>) {
        (Some(*self.start()), Some(*self.end()))
    }
}

impl<T: Copy> Bounds<T> for RangeToInclusive<T> {
    fn ends(&self) -> (Option<T>, Option<T>) {
        (None, Some(self.end))
    }
}

impl<T: Copy> Bounds<T> for RangeFrom<T> {
    fn ends(&self) -> (Option<T>, Option<T>) {
        (Some(self.start), None)
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

    mod generated {
        #[derive(Debug, Default)]
        pub struct Step {
            pub id: String,
            pub note: Option<String>,
            pub tags: Option<Vec<String>>,
        }
        crate::__impl_object!(Step { id [length_in(2..=4) alphanumeric()], note optional [ascii()], tags optional [items_in(..=1)] });

        #[derive(Debug, Default)]
        pub struct Plan {
            pub days: Option<i32>,
            pub first: Step,
            pub steps: Vec<Step>,
            pub more: Option<crate::value::OneOrMany<Step>>,
        }
        crate::__impl_object!(Plan { days optional [range_in(1..)], first [nested()], steps [nested()], more optional [nested()] });
    }

    #[test]
    fn bounds_include_both_ends() {
        let mut v = Validator::default();
        v.length_in("a", "abcd", 1..=3);
        v.length_in("b", "abcd", 1..=4);
        v.range_in("c", &10_i32, ..=9);
        v.range_in("d", &10_i64, 10..);
        v.range_in("e", &9_i64, 10..);
        v.items_in("f", &[1, 2], ..=1);
        v.items_in("g", &[1, 2], 2..=2);
        let fields: Vec<String> =
            v.finish().expect_err("broken").violations().iter().map(|x| x.field.clone()).collect();
        assert_eq!(fields, ["a", "c", "e", "f"]);
    }

    #[test]
    fn nested_values_are_checked_and_named_by_their_path() {
        use generated::{Plan, Step};
        let step = |id: &str| Step { id: id.to_owned(), ..Step::default() };
        let plan = Plan {
            days: Some(0),
            first: Step { note: Some("é".to_owned()), tags: Some(vec![String::new(); 2]), ..step("ab") },
            steps: vec![step("ok1"), step("x"), step("a-b")],
            more: Some(crate::value::OneOrMany::One(step("toolong"))),
        };
        let mut v = Validator::default();
        v.not_empty("name", "");
        v.nested("plan", &Some(plan));
        v.not_empty("after", "");
        let fields: Vec<String> =
            v.finish().expect_err("broken").violations().iter().map(|x| x.field.clone()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "plan.days",
                "plan.first.note",
                "plan.first.tags",
                "plan.steps[1].id",
                "plan.steps[2].id",
                "plan.more.id",
                "after"
            ]
        );
        let mut v = Validator::default();
        v.nested("plan", &None::<Plan>);
        v.nested("plan", &Plan { first: step("ab"), ..Plan::default() });
        assert!(v.finish().is_ok(), "unset values are not checked");
    }

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
