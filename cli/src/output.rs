//! What the tool prints on stdout: responses as JSON, with a member that is `null` left out
//! exactly like one that is absent, at every depth (raw JSON fields included), so a script sees
//! one spelling of "no value". `null` elements of a list stay: they hold a position.

use std::io::Write;

use serde_json::Value;

/// `value` without the `null` members of its objects, at every depth.
pub(crate) fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, without_nulls(v))).collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// Prints one response, indented. A closed stdout (`| head`) ends the output quietly.
pub(crate) fn print_response(value: Value) {
    let text = serde_json::to_string_pretty(&without_nulls(value)).unwrap_or_default();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}").and_then(|()| out.flush());
}

/// Prints items as JSON lines, one item per line, and flushes them. Returns `false` once stdout
/// is closed (`| head`): the reader wants no more.
pub(crate) fn print_lines(items: Vec<Value>) -> bool {
    let mut out = std::io::stdout().lock();
    for item in items {
        let line = serde_json::to_string(&without_nulls(item)).unwrap_or_default();
        if writeln!(out, "{line}").is_err() {
            return false;
        }
    }
    out.flush().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn null_members_are_left_out_at_every_depth() {
        let value = json!({
            "a": null,
            "b": {"c": null, "d": 1, "e": {"f": null}},
            "g": [null, {"h": null, "i": "x"}],
        });
        assert_eq!(without_nulls(value), json!({"b": {"d": 1, "e": {}}, "g": [null, {"i": "x"}]}));
    }
}
