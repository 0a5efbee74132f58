//! Decoding a success body in one pass: the operation's response, and on the way the keys the
//! pipeline reads besides it (the request id in the body, the field that says whether a 200 is
//! a refusal, Tencent Cloud API 3.0's `Error`).
//!
//! Reading those keys with their own parse of the body (into a `serde_json::Value`, which
//! builds a map of every object) cost more than the response's own decoding. Here the
//! response's map visitor is handed the body's object through [`Tap`], a `MapAccess` that
//! passes every key on, keeps a copy of the values of the keys it is told to watch (they still
//! reach the response, which may have them as fields), and hides the keys it is told to hide.
//!
//! The pass decides only the common case: a body that decodes and reports no error. Anything
//! else (the body does not decode, or it reports an error) is left to the pipeline's slower
//! reading, which produces exactly the errors it always did.

use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, StringDeserializer};
use serde::de::{self, Deserialize, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

use crate::wire::{Envelope, ServiceSpec};

/// An object key: borrowed from the input where it can be, owned where it had escapes.
#[derive(Debug)]
struct Key<'de>(Cow<'de, str>);

impl<'de> Key<'de> {
    /// The key's text.
    fn as_str(&self) -> &str {
        &self.0
    }

    /// The key itself, borrowed from the input where it was.
    fn into_cow(self) -> Cow<'de, str> {
        self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }
            fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// The most keys a pass watches: two spellings of the request id and the success field.
const WATCHED: usize = 3;

/// The keys of the body's object the pass reads, and what it found (fixed arrays: the pass
/// allocates nothing of its own but the values it keeps).
#[derive(Debug, Default)]
struct Taps {
    /// Keys whose values are copied (and still passed on); the first `count` are in use.
    watched: [&'static str; WATCHED],
    count: usize,
    /// The last value of each watched key, in the order of `watched`.
    values: [Option<Value>; WATCHED],
    /// A key not passed on, and whether it was there.
    hidden: Option<&'static str>,
    hidden_seen: bool,
}

impl Taps {
    fn watch(&mut self, key: &'static str) {
        if let Some(slot) = self.watched.get_mut(self.count) {
            *slot = key;
            self.count += 1;
        }
    }

    fn index(&self, key: &str) -> Option<usize> {
        self.watched[..self.count].iter().position(|w| *w == key)
    }

    fn value(&self, key: &str) -> Option<&Value> {
        self.values[self.index(key)?].as_ref()
    }
}

/// A successful one-pass decode: the response and the request id its body carried.
pub(crate) struct Decoded<T> {
    pub(crate) response: T,
    pub(crate) body_request_id: Option<String>,
}

/// Decodes a 2xx `body` of `service` as `T`, provided it decodes and reports no error; `None`
/// leaves the answer to the pipeline's full reading. The body's request id is read only when
/// `want_request_id` (the response headers did not carry one).
pub(crate) fn decode<T: DeserializeOwned>(
    service: &ServiceSpec,
    body: &[u8],
    want_request_id: bool,
) -> Option<Decoded<T>> {
    let mut taps = Taps::default();
    let id_keys: &[&'static str] = match service.envelope {
        _ if !want_request_id => &[],
        Envelope::Alibaba => &["RequestId", "requestId"],
        Envelope::TencentApi3 => &["RequestId"],
        Envelope::Huawei | Envelope::HuaweiDis | Envelope::TencentCls => &[],
    };
    for key in id_keys {
        taps.watch(key);
    }
    if let Some(when) = &service.success_when {
        taps.watch(when.field);
    }
    if service.envelope == Envelope::TencentApi3 {
        taps.hidden = Some("Error");
    }
    // A success documented without a body reads as an empty object.
    let json: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { body };
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let tapped = Tapped { taps: &mut taps, response: PhantomData };
    let response = if service.envelope == Envelope::TencentApi3 {
        deserializer.deserialize_map(Enveloped { inner: tapped })
    } else if tapped.taps.count == 0 {
        // Nothing to read besides the response: it decodes straight from the body.
        T::deserialize(&mut deserializer)
    } else {
        tapped.deserialize(&mut deserializer)
    }
    .ok()?;
    deserializer.end().ok()?;
    if taps.hidden_seen {
        return None;
    }
    if let Some(when) = &service.success_when {
        let refused = match taps.value(when.field) {
            None | Some(Value::Null) => false,
            Some(Value::String(text)) => !when.values.contains(&text.as_str()),
            Some(other) => !is_one_of(other, when.values),
        };
        if refused {
            return None;
        }
    }
    let body_request_id = id_keys.iter().find_map(|key| match taps.value(key) {
        Some(Value::String(id)) => Some(id.clone()),
        _ => None,
    });
    Some(Decoded { response, body_request_id })
}

/// Whether `value`'s JSON text (what `to_string` gives: a number by its digits) is one of
/// `values`, written on the stack rather than into a new string when it is short (a number
/// always is).
fn is_one_of(value: &Value, values: &[&str]) -> bool {
    let mut text = StackText { buf: [0; 48], len: 0 };
    if std::fmt::Write::write_fmt(&mut text, format_args!("{value}")).is_ok() {
        let written = std::str::from_utf8(&text.buf[..text.len]).unwrap_or_default();
        return values.contains(&written);
    }
    values.contains(&value.to_string().as_str())
}

/// A short text written in place; writing past its room fails.
struct StackText {
    buf: [u8; 48],
    len: usize,
}

impl std::fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Decodes `T` from an object read through a [`Tap`].
struct Tapped<'t, T> {
    taps: &'t mut Taps,
    response: PhantomData<T>,
}

impl<'de, T: de::Deserialize<'de>> DeserializeSeed<'de> for Tapped<'_, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: de::Deserialize<'de>> Visitor<'de> for Tapped<'_, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(MapAccessDeserializer::new(Tap { map, taps: self.taps, watched: None }))
    }
}

/// Tencent Cloud API 3.0's `{"Response": {...}}`: the response is the one `Response` object.
struct Enveloped<'t, T> {
    inner: Tapped<'t, T>,
}

impl<'de, T: de::Deserialize<'de>> Visitor<'de> for Enveloped<'_, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with a `Response` object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut inner = Some(self.inner);
        let mut response = None;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match (key.as_str(), inner.take()) {
                ("Response", Some(seed)) => response = Some(map.next_value_seed(seed)?),
                // A second `Response` is not this pass's to decide.
                ("Response", None) => return Err(de::Error::duplicate_field("Response")),
                (_, seed) => {
                    inner = seed;
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        response.ok_or_else(|| de::Error::missing_field("Response"))
    }
}

/// A `MapAccess` over an object that copies the watched keys' values and hides the hidden key.
struct Tap<'t, A> {
    map: A,
    taps: &'t mut Taps,
    /// The watched key whose value comes next, by its index.
    watched: Option<usize>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Tap<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(key) = self.map.next_key::<Key<'de>>()? else { return Ok(None) };
            if self.taps.hidden == Some(key.as_str()) {
                self.taps.hidden_seen = true;
                self.map.next_value::<IgnoredAny>()?;
                continue;
            }
            self.watched = self.taps.index(key.as_str());
            return match key.into_cow() {
                Cow::Borrowed(key) => seed.deserialize(BorrowedStrDeserializer::new(key)).map(Some),
                Cow::Owned(key) => seed.deserialize(StringDeserializer::new(key)).map(Some),
            };
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        let Some(index) = self.watched.take() else { return self.map.next_value_seed(seed) };
        let value: Value = self.map.next_value()?;
        let passed = seed.deserialize(value.clone()).map_err(de::Error::custom)?;
        self.taps.values[index] = Some(value);
        Ok(passed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{Protocol, SuccessWhen};
    use crate::{Provider, Signing};

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Answer {
        #[serde(rename = "Tasks")]
        tasks: Option<Vec<u32>>,
        #[serde(rename = "RequestId")]
        request_id: Option<String>,
        #[serde(rename = "errorCode")]
        error_code: Option<i64>,
    }

    const fn service(envelope: Envelope, success_when: Option<SuccessWhen>) -> ServiceSpec {
        ServiceSpec {
            provider: Provider::Tencent,
            name: "test",
            api_version: None,
            protocol: Protocol::Rest,
            endpoint: "test.example.com",
            endpoints: &[],
            signing: &[Signing::TencentTc3HmacSha256],
            envelope,
            request_id_header: None,
            success_when,
        }
    }

    const API3: ServiceSpec = service(Envelope::TencentApi3, None);
    const ALIBABA: ServiceSpec = service(Envelope::Alibaba, None);
    const DIS: ServiceSpec =
        service(Envelope::HuaweiDis, Some(SuccessWhen { field: "errorCode", values: &["-1", ""] }));

    fn run(spec: &ServiceSpec, body: &str) -> Option<(Answer, Option<String>)> {
        decode::<Answer>(spec, body.as_bytes(), true).map(|d| (d.response, d.body_request_id))
    }

    #[test]
    fn api3_responses_are_unwrapped_and_their_request_id_kept() {
        let (answer, id) = run(&API3, r#"{"Response":{"Tasks":[1,2],"RequestId":"R1"}}"#).expect("decodes");
        assert_eq!(answer.tasks, Some(vec![1, 2]));
        // A watched key still reaches the response.
        assert_eq!(answer.request_id.as_deref(), Some("R1"));
        assert_eq!(id.as_deref(), Some("R1"));
        let (_, id) = run(&API3, r#"{"Other":[{"Response":1}],"Response":{"Tasks":null}}"#).expect("decodes");
        assert_eq!(id, None);
    }

    #[test]
    fn what_is_not_a_plain_success_is_left_to_the_full_reading() {
        let refusals = [
            // An API 3.0 error, wherever its key comes.
            r#"{"Response":{"Error":{"Code":"InternalError","Message":"m"},"RequestId":"R1"}}"#,
            r#"{"Response":{"RequestId":"R1","Tasks":[],"Error":null}}"#,
            // No `Response`, two of them, or one that is not an object.
            r#"{"Tasks":[]}"#,
            r#"{"Response":{},"Response":{}}"#,
            r#"{"Response":[]}"#,
            // Not JSON, or more than one value.
            "<html>",
            r#"{"Response":{}} {}"#,
        ];
        for body in refusals {
            assert!(run(&API3, body).is_none(), "{body}");
        }
    }

    #[test]
    fn a_success_field_with_another_value_is_a_refusal() {
        for body in [r#"{"errorCode":-1}"#, r#"{"errorCode":null}"#, "{}", "  "] {
            assert!(run(&DIS, body).is_some(), "{body}");
        }
        let (answer, _) = run(&DIS, r#"{"errorCode":-1,"Tasks":[3]}"#).expect("decodes");
        assert_eq!((answer.error_code, answer.tasks), (Some(-1), Some(vec![3])));
        assert!(run(&DIS, r#"{"Tasks":[],"errorCode":4301}"#).is_none());
        // The response still refuses what it cannot hold.
        assert!(run(&DIS, r#"{"errorCode":"DIS.4301"}"#).is_none());
        // Values that are not strings compare by their JSON text, however long.
        let values = ["-1", "true", "[1,2]"];
        for (value, expected) in [("-1", true), ("-1.0", false), ("true", true), ("[1,2]", true), ("[1,3]", false)] {
            let value: Value = serde_json::from_str(value).expect("JSON");
            assert_eq!(is_one_of(&value, &values), expected, "{value}");
        }
        let long: Value = serde_json::from_str(&format!("[{}]", ["12345"; 20].join(","))).expect("JSON");
        assert!(is_one_of(&long, &[long.to_string().as_str()]));
        assert!(!is_one_of(&long, &values));
    }

    #[test]
    fn the_body_request_id_is_not_read_when_a_header_had_one() {
        let decoded = decode::<Answer>(&ALIBABA, br#"{"RequestId":"R-1"}"#, false).expect("decodes");
        assert_eq!((decoded.response.request_id.as_deref(), decoded.body_request_id), (Some("R-1"), None));
    }

    #[test]
    fn alibaba_request_ids_are_read_in_either_spelling() {
        let (_, id) = run(&ALIBABA, r#"{"requestId":"r-1","Tasks":[]}"#).expect("decodes");
        assert_eq!(id.as_deref(), Some("r-1"));
        let (answer, id) = run(&ALIBABA, r#"{"Request\u0049d":"R-2"}"#).expect("an escaped key decodes");
        assert_eq!((answer.request_id.as_deref(), id.as_deref()), (Some("R-2"), Some("R-2")));
        let (_, id) = run(&ALIBABA, r#"{"RequestId":7}"#).map_or((None, None), |(a, i)| (Some(a), i));
        assert_eq!(id, None);
    }
}
