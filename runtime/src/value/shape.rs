//! Fields whose JSON shape varies between responses.
//!
//! - [`OneOrMany`]: a single value or an array of them, as some APIs return
//!   an object when there is one item and an array when there are several.
//! - [`StringOrNumber`]: a code that comes as a string in some responses and
//!   as a number in others, such as `-1` and `"DIS.4301"`.
//!
//! Both encode back in the shape they were decoded from. They decode through
//! `deserialize_any`, so they need a self-describing format such as JSON.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use serde::de::value::{
    BoolDeserializer, BorrowedStrDeserializer, F64Deserializer, I64Deserializer, MapAccessDeserializer,
    StrDeserializer, StringDeserializer, U64Deserializer, UnitDeserializer,
};
use serde::de::{self, MapAccess, SeqAccess, Unexpected, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The most memory an array's length hint may reserve up front.
const MAX_PREALLOCATION_BYTES: usize = 1 << 20;

/// A single value or an array of values.
///
/// A JSON array decodes as [`OneOrMany::Many`]; anything else (usually an
/// object) decodes as [`OneOrMany::One`]. The value encodes back in the same
/// shape. Whatever the shape, it reads as a slice through [`Deref`],
/// [`OneOrMany::as_slice`] and iteration.
///
/// A `T` that is itself decoded from an array (such as `Vec<u8>`) cannot be
/// told apart from a list of `T`: an array always becomes `Many`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OneOrMany<T> {
    /// A single value that was not wrapped in an array.
    One(T),
    /// An array of values, possibly empty or of one element.
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The values as a slice: one element for [`OneOrMany::One`].
    #[must_use]
    pub fn as_slice(&self) -> &[T] {
        match self {
            Self::One(value) => std::slice::from_ref(value),
            Self::Many(values) => values,
        }
    }

    /// The values as a mutable slice: one element for [`OneOrMany::One`].
    #[must_use]
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        match self {
            Self::One(value) => std::slice::from_mut(value),
            Self::Many(values) => values,
        }
    }

    /// An iterator over the values.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.as_slice().iter()
    }

    /// The number of values: 1 for [`OneOrMany::One`].
    #[must_use]
    pub const fn len(&self) -> usize {
        match self {
            Self::One(_) => 1,
            Self::Many(values) => values.len(),
        }
    }

    /// Whether there are no values (only an empty [`OneOrMany::Many`]).
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        match self {
            Self::One(_) => false,
            Self::Many(values) => values.is_empty(),
        }
    }

    /// The values as a vector, whatever the shape.
    #[must_use]
    pub fn into_vec(self) -> Vec<T> {
        match self {
            Self::One(value) => vec![value],
            Self::Many(values) => values,
        }
    }
}

impl<T> Default for OneOrMany<T> {
    /// An empty [`OneOrMany::Many`], which encodes as `[]`.
    fn default() -> Self {
        Self::Many(Vec::new())
    }
}

impl<T> Deref for OneOrMany<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T> AsRef<[T]> for OneOrMany<T> {
    fn as_ref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T> From<Vec<T>> for OneOrMany<T> {
    /// Wraps the values as [`OneOrMany::Many`], which encodes as an array.
    fn from(values: Vec<T>) -> Self {
        Self::Many(values)
    }
}

impl<T> From<OneOrMany<T>> for Vec<T> {
    fn from(values: OneOrMany<T>) -> Self {
        values.into_vec()
    }
}

impl<T> FromIterator<T> for OneOrMany<T> {
    /// Collects into [`OneOrMany::Many`].
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Self::Many(iter.into_iter().collect())
    }
}

impl<'a, T> IntoIterator for &'a OneOrMany<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T> IntoIterator for OneOrMany<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.into_vec().into_iter()
    }
}

impl<T: Serialize> Serialize for OneOrMany<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::One(value) => value.serialize(serializer),
            Self::Many(values) => values.serialize(serializer),
        }
    }
}

/// Decodes a [`OneOrMany`]: a sequence as `Many`, anything else as `One`.
///
/// Non-sequence input is handed straight to `T` through serde's value
/// deserializers, so nothing is buffered.
struct OneOrManyVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrManyVisitor<T> {
    type Value = OneOrMany<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a single value or an array of values")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let limit = MAX_PREALLOCATION_BYTES / size_of::<T>().max(1);
        let mut values = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(limit));
        while let Some(value) = seq.next_element()? {
            values.push(value);
        }
        Ok(OneOrMany::Many(values))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(OneOrMany::One)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        T::deserialize(BoolDeserializer::new(value)).map(OneOrMany::One)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        T::deserialize(I64Deserializer::new(value)).map(OneOrMany::One)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        T::deserialize(U64Deserializer::new(value)).map(OneOrMany::One)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        T::deserialize(F64Deserializer::new(value)).map(OneOrMany::One)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        T::deserialize(StrDeserializer::new(value)).map(OneOrMany::One)
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
        T::deserialize(BorrowedStrDeserializer::new(value)).map(OneOrMany::One)
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        T::deserialize(StringDeserializer::new(value)).map(OneOrMany::One)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        T::deserialize(UnitDeserializer::new()).map(OneOrMany::One)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        T::deserialize(UnitDeserializer::new()).map(OneOrMany::One)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        T::deserialize(deserializer).map(OneOrMany::One)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OneOrManyVisitor(PhantomData))
    }
}

/// A value that comes as a JSON string in some responses and as a JSON
/// number in others, such as error codes `-1` and `"DIS.4301"`.
///
/// It encodes back in the shape it was decoded from. Comparing with a `&str`
/// compares the text either way, so `code == "-1"` holds for both `-1` and
/// `"-1"`; comparing two values also compares the shape, so `-1` and `"-1"`
/// are not equal to each other.
///
/// Numbers decode through `deserialize_any`; with `serde_json`'s
/// `arbitrary_precision` feature that reports numbers as maps, which this
/// type does not accept.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StringOrNumber {
    /// The value came as a JSON string.
    String(String),
    /// The value came as a JSON number.
    Number(serde_json::Number),
}

/// An empty string: a placeholder (request builders start from it), not a documented value.
impl Default for StringOrNumber {
    fn default() -> Self {
        Self::String(String::new())
    }
}

impl StringOrNumber {
    /// The text of the value: the string itself, or the number as JSON
    /// writes it.
    #[must_use]
    pub fn as_text(&self) -> Cow<'_, str> {
        match self {
            Self::String(text) => Cow::Borrowed(text),
            Self::Number(number) => Cow::Owned(number.to_string()),
        }
    }

    /// The string, when the value came as a string.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(text) => Some(text),
            Self::Number(_) => None,
        }
    }

    /// The number, when the value came as a number.
    #[must_use]
    pub const fn as_number(&self) -> Option<&serde_json::Number> {
        match self {
            Self::String(_) => None,
            Self::Number(number) => Some(number),
        }
    }

    /// The value as an `i64`: an integer number in range, or a string that
    /// is exactly the decimal text of one.
    #[must_use]
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Self::String(text) => text.parse().ok(),
            Self::Number(number) => number.as_i64(),
        }
    }

    /// Whether the text of the value equals `text`, without allocating.
    fn text_eq(&self, text: &str) -> bool {
        match self {
            Self::String(own) => own == text,
            Self::Number(number) => {
                let mut matcher = PrefixMatcher { rest: text };
                fmt::write(&mut matcher, format_args!("{number}")).is_ok() && matcher.rest.is_empty()
            }
        }
    }
}

/// A `fmt::Write` sink that checks written text against a prefix of `rest`
/// and fails on the first mismatch.
struct PrefixMatcher<'a> {
    rest: &'a str,
}

impl fmt::Write for PrefixMatcher<'_> {
    fn write_str(&mut self, chunk: &str) -> fmt::Result {
        match self.rest.strip_prefix(chunk) {
            Some(remaining) => {
                self.rest = remaining;
                Ok(())
            }
            None => Err(fmt::Error),
        }
    }
}

impl fmt::Display for StringOrNumber {
    /// Writes the string without quotes, or the number as JSON writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::String(text) => f.write_str(text),
            Self::Number(number) => fmt::Display::fmt(number, f),
        }
    }
}

impl PartialEq<str> for StringOrNumber {
    fn eq(&self, other: &str) -> bool {
        self.text_eq(other)
    }
}

impl PartialEq<&str> for StringOrNumber {
    fn eq(&self, other: &&str) -> bool {
        self.text_eq(other)
    }
}

impl PartialEq<StringOrNumber> for str {
    fn eq(&self, other: &StringOrNumber) -> bool {
        other.text_eq(self)
    }
}

impl PartialEq<StringOrNumber> for &str {
    fn eq(&self, other: &StringOrNumber) -> bool {
        other.text_eq(self)
    }
}

impl From<String> for StringOrNumber {
    fn from(text: String) -> Self {
        Self::String(text)
    }
}

impl From<&str> for StringOrNumber {
    fn from(text: &str) -> Self {
        Self::String(text.to_owned())
    }
}

impl From<serde_json::Number> for StringOrNumber {
    fn from(number: serde_json::Number) -> Self {
        Self::Number(number)
    }
}

impl From<i64> for StringOrNumber {
    fn from(number: i64) -> Self {
        Self::Number(number.into())
    }
}

impl From<u64> for StringOrNumber {
    fn from(number: u64) -> Self {
        Self::Number(number.into())
    }
}

impl Serialize for StringOrNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::String(text) => serializer.serialize_str(text),
            Self::Number(number) => number.serialize(serializer),
        }
    }
}

/// Decodes a [`StringOrNumber`] from a string or a number.
struct StringOrNumberVisitor;

impl Visitor<'_> for StringOrNumberVisitor {
    type Value = StringOrNumber;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(StringOrNumber::from(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(StringOrNumber::from(value))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        serde_json::Number::from_f64(value)
            .map(StringOrNumber::Number)
            .ok_or_else(|| E::invalid_value(Unexpected::Float(value), &self))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(StringOrNumber::String(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        Ok(StringOrNumber::String(value))
    }
}

impl<'de> Deserialize<'de> for StringOrNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StringOrNumberVisitor)
    }
}

#[cfg(test)]
mod tests;
