//! Decoding generated structs from JSON objects, through one declarative macro instead of
//! `#[derive(Deserialize)]`.
//!
//! The derive writes, per struct, a field enum with its own visitor, a sequence visitor and a
//! map visitor: about 230 lines that every build type-checks and borrow-checks, for every
//! response and nested type. Responses only ever arrive as JSON objects, so
//! [`impl_deserialize!`](crate::__private::impl_deserialize) writes one short function per
//! struct: it binds its fields' values, as nested pairs (see [`nest!`](crate::__nest)), with one
//! irrefutable pattern from [`decode_object`], whose map visitor, written once here, reads them
//! by the type's wire names ([`ObjectKeys`]) into slots ([`FieldSlots`]). The behaviour
//! is the derive's: unknown keys ignored, a repeated key refused, a missing `Option` field `None`,
//! any other missing field an error naming it.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, Visitor};

use super::enums::short_type_name;

/// The value of a field the object did not have: `None` for an `Option`, otherwise the
/// error naming the field (what serde's derive does).
///
/// # Errors
/// `missing field` for a field that is not an `Option`.
fn missing_field<'de, T: Deserialize<'de>, E: de::Error>(field: &'static str) -> Result<T, E> {
    T::deserialize(MissingField(field, PhantomData))
}

/// The slots of an object's fields in declaration order, as nested pairs ending in `()`
/// (`(Option<First>, (Option<Second>, ()))`): what [`decode_object`] reads the values of a
/// generated struct's fields into ([`FieldValues::Slots`]).
pub trait FieldSlots<'de>: Default {
    /// How many fields the slots are for.
    const LEN: usize;

    /// Reads the next value of `map` into the slot of field `index` (in declaration order);
    /// `false` when that slot is already filled, a repeated key, or there is no such field (the
    /// value is then still to read).
    ///
    /// # Errors
    /// The value's own decoding error.
    fn read<A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<bool, A::Error>;

    /// Fills the slots of the fields the object did not have, `wires` naming them in order:
    /// `None` for an `Option` field (what serde's derive does), else an error.
    ///
    /// # Errors
    /// `missing field`, naming the first absent field that is not an `Option`.
    fn fill_missing<E: de::Error>(&mut self, wires: &[&'static str]) -> Result<(), E>;
}

impl<'de> FieldSlots<'de> for () {
    const LEN: usize = 0;

    #[inline]
    fn read<A: MapAccess<'de>>(&mut self, _: usize, _: &mut A) -> Result<bool, A::Error> {
        Ok(false)
    }

    #[inline]
    fn fill_missing<E: de::Error>(&mut self, _: &[&'static str]) -> Result<(), E> {
        Ok(())
    }
}

impl<'de, H: Deserialize<'de>, T: FieldSlots<'de>> FieldSlots<'de> for (Option<H>, T) {
    const LEN: usize = 1 + T::LEN;

    #[inline]
    fn read<A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<bool, A::Error> {
        if index > 0 {
            return self.1.read(index - 1, map);
        }
        if self.0.is_some() {
            return Ok(false);
        }
        self.0 = Some(map.next_value()?);
        Ok(true)
    }

    #[inline]
    fn fill_missing<E: de::Error>(&mut self, wires: &[&'static str]) -> Result<(), E> {
        let Some((wire, rest)) = wires.split_first() else { return Ok(()) };
        if self.0.is_none() {
            self.0 = Some(missing_field(wire)?);
        }
        self.1.fill_missing(rest)
    }
}

/// A wide struct's slots: a chunk of 16 (`C`, a list of slots), then the rest (`T`, more chunks
/// or a last list). [`__nest!`](crate::__nest) chunks the fields of a wide struct so that the
/// types stay about as deep as 16 plus the number of chunks: the compiler bounds how deep it
/// follows a type (128 by default, in every crate that decodes the struct). (Encoding needs no
/// such type: its chunks are plain pairs, whose head is a list instead of one field.)
#[derive(Debug, Default)]
pub struct Chunks<C, T>(pub C, pub T);

impl<'de, C: FieldSlots<'de>, T: FieldSlots<'de>> FieldSlots<'de> for Chunks<C, T> {
    const LEN: usize = C::LEN + T::LEN;

    #[inline]
    fn read<A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<bool, A::Error> {
        match index.checked_sub(C::LEN) {
            None => self.0.read(index, map),
            Some(rest) => self.1.read(rest, map),
        }
    }

    #[inline]
    fn fill_missing<E: de::Error>(&mut self, wires: &[&'static str]) -> Result<(), E> {
        let Some((first, rest)) = wires.split_at_checked(C::LEN) else { return Ok(()) };
        self.0.fill_missing(first)?;
        self.1.fill_missing(rest)
    }
}

/// The values of an object's fields in declaration order, as nested pairs ending in `()`
/// (`(First, (Second, ()))`, or [`Chunks`] of them): what a generated struct's `Deserialize`
/// binds with one irrefutable pattern. [`decode_object`] reads them into their
/// [`Slots`](FieldValues::Slots) and takes them out here.
pub trait FieldValues<'de>: Sized {
    /// The slots these values are read into, one `Option` per field.
    type Slots: FieldSlots<'de>;

    /// The values of filled slots; `None` if one was left empty. The implementations are
    /// `#[inline(always)]`: inlined whole, the nested pairs' moves vanish (with plain `#[inline]`
    /// the decode benchmark ran about 40 more instructions per entry).
    fn from_slots(slots: Self::Slots) -> Option<Self>;
}

impl<'de> FieldValues<'de> for () {
    type Slots = ();

    #[inline]
    fn from_slots((): ()) -> Option<Self> {
        Some(())
    }
}

impl<'de, H: Deserialize<'de>, T: FieldValues<'de>> FieldValues<'de> for (H, T) {
    type Slots = (Option<H>, T::Slots);

    #[inline(always)]
    fn from_slots((head, tail): Self::Slots) -> Option<Self> {
        Some((head?, T::from_slots(tail)?))
    }
}

impl<'de, C: FieldValues<'de>, T: FieldValues<'de>> FieldValues<'de> for Chunks<C, T> {
    type Slots = Chunks<C::Slots, T::Slots>;

    #[inline(always)]
    fn from_slots(Chunks(chunk, rest): Self::Slots) -> Option<Self> {
        Some(Chunks(C::from_slots(chunk)?, T::from_slots(rest)?))
    }
}

/// The keys of a generated struct's fields: what [`decode_object`] looks for. Constants of the
/// type rather than arguments, so that the optimised decoder compares keys with known text.
pub trait ObjectKeys {
    /// The wire names of the fields, in order.
    const WIRES: &'static [&'static str];
}

/// Reads an object key as the index of the field of `T` whose wire name it is (`None`: no field
/// of `T`), matching the text as it goes by, as serde's derived field visitors do: no key is
/// kept, and an escaped key is not copied into a `String`.
struct FieldIndex<T>(PhantomData<T>);

impl<'de, T: ObjectKeys> DeserializeSeed<'de> for FieldIndex<T> {
    type Value = Option<usize>;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, T: ObjectKeys> Visitor<'de> for FieldIndex<T> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    #[inline]
    fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<usize>, E> {
        Ok(T::WIRES.iter().position(|wire| *wire == key))
    }
}

/// The map visitor of every generated struct `T`, filling slots `S`.
struct ObjectVisitor<T, S>(PhantomData<(T, S)>);

impl<'de, T: ObjectKeys, S: FieldSlots<'de>> Visitor<'de> for ObjectVisitor<T, S> {
    type Value = S;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object ({})", short_type_name::<T>())
    }

    // Inline, so that the optimiser makes one function of serde_json's `deserialize_map` and
    // this loop, as it does with a derived visitor: 1.2% fewer instructions in the decode
    // benchmark, about 1.5k fewer per DIS call in the call benchmark.
    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<S, A::Error> {
        let mut slots = S::default();
        let mut read = 0;
        while let Some(index) = map.next_key_seed(FieldIndex::<T>(PhantomData))? {
            let Some(index) = index else {
                map.next_value::<de::IgnoredAny>()?;
                continue;
            };
            if !slots.read(index, &mut map)? {
                let wire = T::WIRES.get(index).copied().unwrap_or_default();
                return Err(de::Error::duplicate_field(wire));
            }
            read += 1;
        }
        // A repeated key is refused, so every field was read when as many keys were.
        if read < T::WIRES.len() {
            slots.fill_missing(T::WIRES)?;
        }
        Ok(slots)
    }
}

/// Decodes a JSON object into the values of the fields of `T`, in the order of
/// [`ObjectKeys::WIRES`].
///
/// # Errors
/// What serde's derive gives: not an object, a repeated key, a missing field, a bad value.
#[inline]
pub fn decode_object<'de, T: ObjectKeys, D: Deserializer<'de>, V: FieldValues<'de>>(
    deserializer: D,
) -> Result<V, D::Error> {
    let slots = deserializer.deserialize_map(ObjectVisitor::<T, V::Slots>(PhantomData))?;
    // The visitor fills every slot or fails, so this error is never returned.
    V::from_slots(slots).ok_or_else(|| <D::Error as de::Error>::custom("a field of the object was not read"))
}

/// A deserializer for an absent value: `None` to an `Option`, an error to anything else.
struct MissingField<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for MissingField<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// The wire name of a generated field: `field = "wireName"`, or the field's own name when the
/// wire name is the same (`field`).
#[macro_export]
#[doc(hidden)]
macro_rules! __wire_name {
    ($field:ident = $wire:literal) => {
        $wire
    };
    ($field:ident) => {
        ::core::stringify!($field)
    };
}

/// Nests its token trees as pairs ending in `()`: `__nest!(a b c)` is `(a, (b, (c, ())))`.
/// More than 16 go in chunks of 16: `(list of the first 16, __nest!(the rest))`, and with
/// `@chunks` (the pattern of [`FieldValues`]) [`Chunks`]`(..)` of the same.
/// Generated structs list their fields so, for [`decode_object`] and
/// [`encode_object`](crate::__private::encode_object): the types tell the runtime's generic
/// code each field's type, whatever the number of fields (`check` allows up to 256). A list
/// nests four at a time, to expand in fewer steps.
#[macro_export]
#[doc(hidden)]
macro_rules! __nest {
    (@chunks $a0:ident $a1:ident $a2:ident $a3:ident $a4:ident $a5:ident $a6:ident $a7:ident $a8:ident
     $a9:ident $a10:ident $a11:ident $a12:ident $a13:ident $a14:ident $a15:ident $($rest:ident)+) => {
        $crate::__private::Chunks(
            $crate::__nest!(@list $a0 $a1 $a2 $a3 $a4 $a5 $a6 $a7 $a8 $a9 $a10 $a11 $a12 $a13 $a14 $a15),
            $crate::__nest!(@chunks $($rest)+),
        )
    };
    (@chunks $($items:ident)*) => {
        $crate::__nest!(@list $($items)*)
    };
    (@list) => {
        ()
    };
    (@list $a:tt $b:tt $c:tt $d:tt $($rest:tt)+) => {
        ($a, ($b, ($c, ($d, $crate::__nest!(@list $($rest)+)))))
    };
    (@list $head:tt $($rest:tt)*) => {
        ($head, $crate::__nest!(@list $($rest)*))
    };
    ($a0:tt $a1:tt $a2:tt $a3:tt $a4:tt $a5:tt $a6:tt $a7:tt $a8:tt
     $a9:tt $a10:tt $a11:tt $a12:tt $a13:tt $a14:tt $a15:tt $($rest:tt)+) => {
        (
            $crate::__nest!(@list $a0 $a1 $a2 $a3 $a4 $a5 $a6 $a7 $a8 $a9 $a10 $a11 $a12 $a13 $a14 $a15),
            $crate::__nest!($($rest)+),
        )
    };
    ($($items:tt)*) => {
        $crate::__nest!(@list $($items)*)
    };
}

/// Implements `Deserialize` for a generated struct from a JSON object: each
/// `field = "wireName"` (or `field`, when the key is the field's name) is read from that key,
/// and the fields listed after `;` take their `Default`.
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_deserialize {
    ($t:ident { $($field:ident $(= $wire:literal)?),* $(,)? $(; $($skipped:ident),* $(,)?)? }) => {
        impl $crate::__private::ObjectKeys for $t {
            const WIRES: &'static [&'static str] = &[$($crate::__wire_name!($field $(= $wire)?)),*];
        }
        impl<'de> $crate::__private::serde::Deserialize<'de> for $t {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                // A `match`, not `?`: with `?` the compiler resolves `Try` for a result whose
                // value type is still being inferred from the pattern, and type and borrow
                // checking of this function took about 1.6 times as long (self-profile of 500
                // synthetic operations).
                match $crate::__private::decode_object::<Self, D, _>(deserializer) {
                    ::core::result::Result::Ok($crate::__nest!(@chunks $($field)*)) => ::core::result::Result::Ok($t { $($field,)* $($($skipped: ::core::default::Default::default(),)*)? }),
                    ::core::result::Result::Err(e) => ::core::result::Result::Err(e),
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    mod generated {
        #[derive(Debug, PartialEq)]
        pub struct Task {
            pub task_id: String,
            pub size: Option<i64>,
            pub tags: Option<Vec<String>>,
            pub seen: u32,
        }
        crate::__impl_deserialize!(Task { task_id = "taskId", size, tags = "tags"; seen });
    }

    use generated::Task;

    #[test]
    fn fields_come_from_their_wire_keys_and_unknown_keys_are_ignored() {
        let task: Task = serde_json::from_str(r#"{"extra":{"a":[1]},"taskId":"t-1","size":3,"tags":null}"#).unwrap();
        assert_eq!(task, Task { task_id: "t-1".into(), size: Some(3), tags: None, seen: 0 });
        let escaped: Task = serde_json::from_str(r#"{"task\u0049d":"t-2"}"#).unwrap();
        assert_eq!(escaped.task_id, "t-2");
    }

    #[test]
    fn missing_options_are_none_and_other_missing_fields_are_named() {
        let task: Task = serde_json::from_str(r#"{"taskId":"t-1"}"#).unwrap();
        assert_eq!((task.size, task.tags), (None, None));
        let error = serde_json::from_str::<Task>(r#"{"size":1}"#).unwrap_err().to_string();
        assert!(error.starts_with("missing field `taskId`"), "{error}");
    }

    #[test]
    fn repeated_keys_wrong_types_and_non_objects_are_refused() {
        let error = serde_json::from_str::<Task>(r#"{"taskId":"a","taskId":"b"}"#).unwrap_err().to_string();
        assert!(error.starts_with("duplicate field `taskId`"), "{error}");
        let error = serde_json::from_str::<Task>(r#"{"taskId":7}"#).unwrap_err().to_string();
        assert!(error.starts_with("invalid type: integer `7`, expected a string"), "{error}");
        let error = serde_json::from_str::<Task>("[]").unwrap_err().to_string();
        assert!(error.contains("expected an object (Task)"), "{error}");
    }
}
