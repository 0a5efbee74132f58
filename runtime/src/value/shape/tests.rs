//! Tests of the wire shapes: what each accepts, refuses and writes back.

use super::*;
use std::collections::BTreeMap;

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Item {
    id: u32,
    name: String,
}

use crate::value::testing::round_trip;

#[test]
fn one_or_many_from_object() {
    let value: OneOrMany<Item> = round_trip(r#"{"id":1,"name":"a"}"#);
    let item = Item { id: 1, name: "a".to_owned() };
    assert_eq!(value.as_slice(), std::slice::from_ref(&item));
    assert_eq!(value, OneOrMany::One(item));
    assert_eq!(value.len(), 1);
    assert!(!value.is_empty());
    assert_eq!(value.iter().map(|item| item.id).collect::<Vec<_>>(), [1]);
    assert_eq!(value[0].name, "a");
}

#[test]
fn one_or_many_from_array() {
    let value: OneOrMany<Item> = round_trip(r#"[{"id":1,"name":"a"},{"id":2,"name":"b"}]"#);
    assert!(matches!(value, OneOrMany::Many(ref items) if items.len() == 2));
    assert_eq!(value.len(), 2);
    let ids: Vec<u32> = (&value).into_iter().map(|item| item.id).collect();
    assert_eq!(ids, [1, 2]);
    let names: Vec<String> = value.into_iter().map(|item| item.name).collect();
    assert_eq!(names, ["a", "b"]);
}

#[test]
fn one_or_many_single_element_array_stays_an_array() {
    let value: OneOrMany<Item> = round_trip(r#"[{"id":1,"name":"a"}]"#);
    assert!(matches!(value, OneOrMany::Many(_)));
    assert_eq!(value.len(), 1);
}

#[test]
fn one_or_many_empty_and_default() {
    let value: OneOrMany<Item> = round_trip("[]");
    assert!(value.is_empty());
    assert_eq!(value, OneOrMany::default());
    assert_eq!(serde_json::to_string(&OneOrMany::<Item>::default()).expect("encodes"), "[]");
}

#[test]
fn one_or_many_scalars_and_maps() {
    let text: OneOrMany<String> = round_trip(r#""solo""#);
    assert_eq!(text, OneOrMany::One("solo".to_owned()));
    let number: OneOrMany<i64> = round_trip("-7");
    assert_eq!(number.as_slice(), [-7]);
    let unsigned: OneOrMany<u64> = round_trip("18446744073709551615");
    assert_eq!(unsigned.as_slice(), [u64::MAX]);
    let float: OneOrMany<f64> = round_trip("1.5");
    assert_eq!(float.into_vec(), [1.5]);
    let flag: OneOrMany<bool> = round_trip("true");
    assert_eq!(Vec::from(flag), [true]);
    let borrowed: OneOrMany<&str> = serde_json::from_str(r#""ref""#).expect("decodes");
    assert_eq!(borrowed.as_slice(), ["ref"]);
    let map: OneOrMany<BTreeMap<String, u8>> = round_trip(r#"{"a":1}"#);
    assert_eq!(map[0]["a"], 1);
    let null: OneOrMany<Option<u8>> = round_trip("null");
    assert_eq!(null.as_slice(), [None]);
}

#[test]
fn one_or_many_nested_in_struct() {
    #[derive(Debug, Serialize, Deserialize)]
    struct Response {
        items: OneOrMany<Item>,
    }
    let one: Response = round_trip(r#"{"items":{"id":1,"name":"a"}}"#);
    assert_eq!(one.items.len(), 1);
    let many: Response = round_trip(r#"{"items":[{"id":1,"name":"a"}]}"#);
    assert_eq!(many.items.len(), 1);
}

#[test]
fn one_or_many_conversions() {
    let mut value = OneOrMany::from(vec![1, 2, 3]);
    value.as_mut_slice()[0] = 9;
    assert_eq!(*value, [9, 2, 3]);
    let collected: OneOrMany<i32> = (1..=2).collect();
    assert_eq!(collected, OneOrMany::Many(vec![1, 2]));
    let mut one = OneOrMany::One(5);
    one.as_mut_slice()[0] += 1;
    assert_eq!(one.as_ref(), [6]);
}

#[test]
fn one_or_many_errors_name_what_was_expected() {
    let message = serde_json::from_str::<OneOrMany<Item>>(r#""text""#).expect_err("wrong type").to_string();
    assert!(message.contains("struct Item"), "{message}");
    let message =
        serde_json::from_str::<OneOrMany<Item>>(r#"[{"id":"x","name":"a"}]"#).expect_err("bad element").to_string();
    assert!(message.contains("u32"), "{message}");
    let message = serde_json::from_str::<OneOrMany<Item>>(r#"{"id":1}"#).expect_err("missing field").to_string();
    assert!(message.contains("missing field `name`"), "{message}");
}

#[test]
fn string_or_number_from_number() {
    let code: StringOrNumber = round_trip("-1");
    assert_eq!(code, StringOrNumber::from(-1_i64));
    assert!(code == "-1");
    assert!("-1" == code);
    assert!(code != "-10");
    assert!(code != "-");
    assert_eq!(code.to_string(), "-1");
    assert_eq!(code.as_text(), "-1");
    assert_eq!(code.as_i64(), Some(-1));
    assert_eq!(code.as_str(), None);
    assert_eq!(code.as_number(), Some(&serde_json::Number::from(-1)));
}

#[test]
fn string_or_number_from_string() {
    let code: StringOrNumber = round_trip(r#""DIS.4301""#);
    assert_eq!(code, StringOrNumber::from("DIS.4301"));
    assert!(code == "DIS.4301");
    assert!(*"DIS.4301" == code);
    assert_eq!(code.to_string(), "DIS.4301");
    assert!(matches!(code.as_text(), Cow::Borrowed("DIS.4301")));
    assert_eq!(code.as_str(), Some("DIS.4301"));
    assert_eq!(code.as_i64(), None);
    assert_eq!(code.as_number(), None);
}

#[test]
fn string_or_number_keeps_shape() {
    let text: StringOrNumber = round_trip(r#""-1""#);
    let number: StringOrNumber = round_trip("-1");
    assert!(text == "-1" && number == "-1");
    assert_ne!(text, number);
    assert_eq!(text.as_i64(), number.as_i64());
    let large: StringOrNumber = round_trip("18446744073709551615");
    assert!(large == "18446744073709551615");
    let float: StringOrNumber = round_trip("2.5");
    assert!(float == "2.5");
}

#[test]
fn string_or_number_errors_name_what_was_expected() {
    for bad in ["null", "true", "[1]", r#"{"code":1}"#] {
        let message = serde_json::from_str::<StringOrNumber>(bad).expect_err(bad).to_string();
        assert!(message.contains("expected a string or a number"), "{message}");
    }
}
