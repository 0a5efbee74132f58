//! Bounded fuzzing of response decoding, run by the test the generator emits for every service:
//! each operation's documented bodies (and `{}`) are truncated, have values replaced by values of
//! other types, huge numbers, deeply nested or unbalanced brackets, bad escapes and bytes that
//! are not UTF-8, and go through the decode path a call uses. Nothing may panic or overflow the
//! stack; a truncated body must be an `UnexpectedResponse` error.
//!
//! Deterministic: the seed is fixed per operation name. `DECODE_FUZZ_CASES` (default 300 per
//! operation) sets how many bodies each operation gets; about a second for all project
//! operations in the debug profile.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::__private::{Operation, OperationError};
use crate::RequestErrorKind;

/// Default bodies per operation.
const CASES: usize = 300;

/// Raw JSON (or not quite JSON) put in place of one value of a body.
const REPLACEMENTS: &[&[u8]] = &[
    b"null",
    b"true",
    b"0",
    b"-1",
    b"1.5",
    b"-0.0",
    b"\"\"",
    b"\"x\"",
    b"[]",
    b"{}",
    b"[null]",
    b"{\"\":null}",
    b"1e400",
    b"-1e400",
    b"1e-400",
    b"123456789012345678901234567890",
    b"18446744073709551616",
    b"-9223372036854775809",
    b"9223372036854775807",
    b"2147483648",
    b"4294967296",
    b"\"9999999999999999999999\"",
    b"\"2024-13-45T25:61:61Z\"",
    b"\"99999-01-01T00:00:00+99:99\"",
    b"\"2024-01-01 00:00:00.1234567890123\"",
    b"\"\\ud800\"",
    b"\"\\uDFFF\\u0000\"",
    b"\"\\x\"",
    b"\"\xff\xfe\"",
    b"\"\xc0\x80\"",
    b"\"\xed\xa0\x80\"",
    b"\xff",
    b"NaN",
    b"Infinity",
    b"01",
    b"[1,]",
    b"{\"a\" 1}",
];

/// Decodes malformed variants of `bodies` as responses of `O`; panics (failing the calling
/// test) with the body when decoding panics or a truncated body decodes.
pub fn malformed_responses<O: Operation>(bodies: &[&str]) {
    let cases = std::env::var("DECODE_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(CASES);
    let mut rng = fastrand::Rng::with_seed(seed(O::SPEC.name));
    let mut seeds: Vec<&[u8]> = bodies.iter().map(|b| b.as_bytes()).collect();
    seeds.push(b"{}");
    for body in &seeds {
        let full = crate::client::decode_body::<O>(body);
        same_in_one_pass::<O>(body, &full);
    }
    for _ in 0..cases {
        let base = seeds[rng.usize(..seeds.len())];
        let (body, truncated) = mutate(&mut rng, base);
        let decoded = catch_unwind(AssertUnwindSafe(|| {
            let response = crate::client::decode_body::<O>(&body);
            same_in_one_pass::<O>(&body, &response);
            // The error envelope parser sees the same bodies on other statuses.
            let _ = crate::envelope::parse(O::SPEC.service.envelope, &body);
            response.err().map(|e| e.request_error().map(crate::RequestError::kind))
        }));
        match decoded {
            Err(_) => panic!("{}: decoding panicked on {}", O::SPEC.name, excerpt(&body)),
            Ok(Some(kind)) if truncated => {
                assert_eq!(kind, Some(RequestErrorKind::UnexpectedResponse), "{}: {}", O::SPEC.name, excerpt(&body));
            }
            Ok(None) if truncated => panic!("{}: a truncated body decoded: {}", O::SPEC.name, excerpt(&body)),
            Ok(_) => {}
        }
    }
}

/// A body the one-pass decode accepts must decode to the same response in the full reading.
fn same_in_one_pass<O: Operation>(body: &[u8], full: &Result<O::Response, O::Error>) {
    if let Some(fast) = crate::client::decode_body_one_pass::<O>(body) {
        match full {
            Ok(full) => assert_eq!(format!("{fast:?}"), format!("{full:?}"), "{}: {}", O::SPEC.name, excerpt(body)),
            Err(e) => {
                panic!("{}: one pass decoded what the full reading refuses ({e}): {}", O::SPEC.name, excerpt(body))
            }
        }
    }
}

/// A fixed seed per operation (FNV-1a of its name), so every run tries the same bodies.
fn seed(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// One malformed variant of `base`, and whether it is a non-blank proper prefix of a JSON object
/// (which can never decode).
fn mutate(rng: &mut fastrand::Rng, base: &[u8]) -> (Vec<u8>, bool) {
    match rng.u8(..6) {
        0 => {
            let trimmed = base.trim_ascii_end();
            let cut = rng.usize(..trimmed.len().max(1));
            let prefix = &base[..cut];
            // An empty (or blank) body is the documented answer of a body-less success.
            (prefix.to_vec(), trimmed.first() == Some(&b'{') && !prefix.trim_ascii().is_empty())
        }
        1 => {
            let raw = pick(rng);
            (replace_value(rng, base, raw), false)
        }
        2 => {
            let raw = nested(rng);
            (replace_value(rng, base, &raw), false)
        }
        3 => {
            let mut body = base.to_vec();
            let at = rng.usize(..=body.len());
            body.insert(at, [0xff, 0xc0, 0x80, 0xed, b'"', b'\\', 0][rng.usize(..7)]);
            (body, false)
        }
        4 => {
            let depth = rng.usize(1..200_000);
            let mut body = "[".repeat(depth).into_bytes();
            body.extend_from_slice(base);
            body.extend(std::iter::repeat_n(b']', rng.usize(..=depth)));
            (body, false)
        }
        _ => {
            let (first, second) = (pick(rng), pick(rng));
            let body = replace_value(rng, base, first);
            (replace_value(rng, &body, second), false)
        }
    }
}

fn pick(rng: &mut fastrand::Rng) -> &'static [u8] {
    REPLACEMENTS[rng.usize(..REPLACEMENTS.len())]
}

/// Deep or unbalanced nesting: arrays, objects, or both, far beyond any decoder's limit.
fn nested(rng: &mut fastrand::Rng) -> Vec<u8> {
    let depth = rng.usize(100..100_000);
    let (open, close) = match rng.u8(..3) {
        0 => ("[".repeat(depth), "]".repeat(depth)),
        1 => ("{\"a\":".repeat(depth), "}".repeat(depth)),
        _ => ("[{\"a\":".repeat(depth), "}]".repeat(depth)),
    };
    let inner = if rng.bool() { "1" } else { "" };
    let close = if rng.bool() { close } else { String::new() };
    format!("{open}{inner}{close}").into_bytes()
}

/// `body` with one of its values (chosen at random) replaced by `raw`; `body` unchanged when it
/// is not JSON.
fn replace_value(rng: &mut fastrand::Rng, body: &[u8], raw: &[u8]) -> Vec<u8> {
    const HOLE: &str = "\u{1}hole\u{1}";
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(body) else { return body.to_vec() };
    let count = count_values(&value);
    let mut target = rng.usize(..count);
    punch(&mut value, &mut target, HOLE);
    let text = value.to_string();
    let hole = serde_json::to_string(HOLE).unwrap_or_default();
    let mut out = Vec::with_capacity(text.len() + raw.len());
    match text.split_once(&hole) {
        Some((before, after)) => {
            out.extend_from_slice(before.as_bytes());
            out.extend_from_slice(raw);
            out.extend_from_slice(after.as_bytes());
        }
        None => out.extend_from_slice(text.as_bytes()),
    }
    out
}

fn count_values(value: &serde_json::Value) -> usize {
    1 + match value {
        serde_json::Value::Array(items) => items.iter().map(count_values).sum(),
        serde_json::Value::Object(map) => map.values().map(count_values).sum(),
        _ => 0,
    }
}

/// Replaces the `target`-th value (in pre-order) with the string `hole`.
fn punch(value: &mut serde_json::Value, target: &mut usize, hole: &str) -> bool {
    if *target == 0 {
        *value = serde_json::Value::String(hole.to_owned());
        return true;
    }
    *target -= 1;
    match value {
        serde_json::Value::Array(items) => items.iter_mut().any(|v| punch(v, target, hole)),
        serde_json::Value::Object(map) => map.values_mut().any(|v| punch(v, target, hole)),
        _ => false,
    }
}

/// The start of a body, for a failure message.
fn excerpt(body: &[u8]) -> String {
    let shown = &body[..body.len().min(300)];
    format!("{} ({} bytes)", String::from_utf8_lossy(shown), body.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_replaced_one_at_a_time() {
        let mut rng = fastrand::Rng::with_seed(1);
        let body = br#"{"a":[1,{"b":"c"}]}"#;
        for _ in 0..50 {
            let out = String::from_utf8(replace_value(&mut rng, body, b"@")).expect("UTF-8");
            assert_eq!(out.matches('@').count(), 1, "{out}");
        }
        assert_eq!(replace_value(&mut rng, b"not json", b"@"), b"not json");
    }
}
