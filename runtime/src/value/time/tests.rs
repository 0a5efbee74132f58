//! Round trips and errors of the time values.

use super::*;
use ::time::PrimitiveDateTime;
use ::time::macros::datetime;

type Cls = LocalDateTime<28800>;

use crate::value::testing::round_trip;

#[test]
fn timestamp_with_fraction_and_offset_round_trips() {
    let value: Timestamp = round_trip("\"2019-05-23T14:35:23.584+00:00\"");
    assert_eq!(value.as_offset_date_time(), datetime!(2019-05-23 14:35:23.584 UTC));
    assert_eq!(value.as_str(), "2019-05-23T14:35:23.584+00:00");
    assert_eq!(value.to_string(), "2019-05-23T14:35:23.584+00:00");
}

#[test]
fn timestamp_utc_round_trips() {
    let value: Timestamp = round_trip("\"2021-05-27T07:15:03Z\"");
    assert_eq!(value.as_offset_date_time(), datetime!(2021-05-27 07:15:03 UTC));
}

#[test]
fn timestamp_keeps_non_utc_offset_text() {
    let value: Timestamp = round_trip("\"2021-05-27T15:15:03.100000+08:00\"");
    assert_eq!(value.as_offset_date_time().offset().whole_hours(), 8);
    assert_eq!(value, "2021-05-27T07:15:03.1Z".parse().expect("parses"));
}

#[test]
fn timestamp_keeps_separator_and_case() {
    let spaced: Timestamp = round_trip("\"2021-05-27 07:15:03Z\"");
    let lower: Timestamp = round_trip("\"2021-05-27t07:15:03z\"");
    assert_eq!(spaced, lower);
    assert_eq!(lower.to_string(), "2021-05-27t07:15:03z");
}

#[test]
fn timestamp_from_offset_date_time_is_canonical() {
    let whole = Timestamp::new(datetime!(2021-05-27 15:15:03 +08:00));
    assert_eq!(whole.as_str(), "2021-05-27T07:15:03Z");
    let fraction = Timestamp::from(datetime!(2019-05-23 14:35:23.584 UTC));
    assert_eq!(fraction.as_str(), "2019-05-23T14:35:23.584Z");
    let nanos = Timestamp::new(datetime!(2019-05-23 14:35:23.000_000_001 -05:30));
    assert_eq!(nanos.as_str(), "2019-05-23T20:05:23.000000001Z");
    assert_eq!(serde_json::to_string(&whole).expect("encodes"), "\"2021-05-27T07:15:03Z\"");
    // The canonical text parses back to the same instant.
    let reparsed: Timestamp = nanos.as_str().parse().expect("parses");
    assert_eq!(reparsed, nanos);
}

#[test]
fn timestamp_extreme_instant_does_not_panic() {
    let max = Timestamp::new(OffsetDateTime::new_in_offset(
        Date::MAX,
        Time::from_hms(23, 0, 0).expect("valid time"),
        UtcOffset::from_hms(-5, 0, 0).expect("valid offset"),
    ));
    assert_eq!(max.as_str(), "9999-12-31T23:00:00-05:00");
    let min = Timestamp::new(PrimitiveDateTime::MIN.assume_utc());
    assert_eq!(min.as_str(), "-9999-01-01T00:00:00Z");
}

#[test]
fn timestamp_compares_by_instant() {
    let utc: Timestamp = "2021-05-27T07:15:03Z".parse().expect("parses");
    let east: Timestamp = "2021-05-27T15:15:03+08:00".parse().expect("parses");
    let later: Timestamp = "2021-05-27T07:15:04Z".parse().expect("parses");
    assert_eq!(utc, east);
    assert!(utc < later);
    let mut set = std::collections::HashSet::new();
    set.insert(utc);
    assert!(set.contains(&east));
}

#[test]
fn timestamp_rejects_other_formats() {
    for bad in ["2021-05-27", "2021-05-27 07:15:03", "2021-05-27X07:15:03Z", "2021-13-27T07:15:03Z", "1622099703", ""] {
        let error = bad.parse::<Timestamp>().expect_err(bad);
        assert_eq!(error.input(), bad);
        let message = error.to_string();
        assert!(message.contains("RFC 3339"), "{message}");
        assert!(message.contains(&format!("{bad:?}")), "{message}");
    }
}

#[test]
fn timestamp_decode_errors_name_the_format() {
    let error = serde_json::from_str::<Timestamp>("\"yesterday\"").expect_err("bad text");
    let message = error.to_string();
    assert!(message.contains("yesterday"), "{message}");
    assert!(message.contains("RFC 3339"), "{message}");

    let error = serde_json::from_str::<Timestamp>("1622099703").expect_err("wrong type");
    let message = error.to_string();
    assert!(message.contains("invalid type: integer"), "{message}");
    assert!(message.contains("RFC 3339"), "{message}");
}

#[test]
fn epoch_millis_round_trips() {
    let value: EpochMillis = round_trip("1756539753280");
    assert_eq!(value, EpochMillis::new(1_756_539_753_280));
    assert_eq!(value.to_string(), "1756539753280");
    let instant = value.as_offset_date_time().expect("in range");
    assert_eq!(instant, datetime!(2025-08-30 07:42:33.28 UTC));
    assert_eq!(EpochMillis::from_offset_date_time(instant), value);
}

#[test]
fn epoch_millis_truncates_toward_the_past() {
    let before_epoch = datetime!(1969-12-31 23:59:59.9995 UTC);
    assert_eq!(EpochMillis::from(before_epoch), EpochMillis::new(-1));
    let after_epoch = datetime!(1970-01-01 00:00:00.0015 UTC);
    assert_eq!(EpochMillis::from(after_epoch), EpochMillis::new(1));
}

#[test]
fn epoch_millis_out_of_range_is_none() {
    assert_eq!(EpochMillis::new(i64::MAX).as_offset_date_time(), None);
    assert_eq!(EpochMillis::new(i64::MIN).as_offset_date_time(), None);
}

#[test]
fn epoch_millis_decode_errors_name_the_format() {
    for bad in ["\"17565397x3280\"", "\"\"", "1.5", "18446744073709551615"] {
        let message = serde_json::from_str::<EpochMillis>(bad).expect_err(bad).to_string();
        assert!(message.contains("milliseconds since the Unix epoch"), "{message}");
    }
}

#[test]
fn local_date_time_round_trips_and_converts() {
    let value: Cls = round_trip("\"2017-10-17 10:10:10\"");
    assert_eq!(value.to_string(), "2017-10-17 10:10:10");
    assert_eq!(value.as_primitive(), datetime!(2017-10-17 10:10:10));
    assert_eq!(value.to_offset_date_time(), datetime!(2017-10-17 02:10:10 UTC));
    assert_eq!(Cls::from_offset_date_time(datetime!(2017-10-17 02:10:10 UTC)), value);
    assert_eq!("2017-10-17 10:10:10".parse::<Cls>(), Ok(value));
}

#[test]
fn local_date_time_drops_sub_seconds() {
    let value = Cls::new(datetime!(2017-10-17 10:10:10.999));
    assert_eq!(value.to_string(), "2017-10-17 10:10:10");
    assert_eq!(value, "2017-10-17 10:10:10".parse().expect("parses"));
}

#[test]
fn local_date_time_invalid_offset_falls_back_to_utc() {
    type Bad = LocalDateTime<{ i32::MAX }>;
    assert_eq!(Bad::OFFSET, UtcOffset::UTC);
    let value: Bad = "2017-10-17 10:10:10".parse().expect("parses");
    assert_eq!(value.to_offset_date_time(), datetime!(2017-10-17 10:10:10 UTC));
}

#[test]
fn local_date_time_clamps_at_range_ends() {
    let late = datetime!(9999-12-31 23:00:00 UTC);
    assert_eq!(
        Cls::from_offset_date_time(late).as_primitive(),
        PrimitiveDateTime::MAX.replace_nanosecond(0).expect("valid")
    );
    let early = PrimitiveDateTime::MIN.assume_utc();
    assert_eq!(LocalDateTime::<-3600>::from_offset_date_time(early).as_primitive(), PrimitiveDateTime::MIN);
}

#[test]
fn local_date_time_rejects_other_formats() {
    for bad in [
        "2017-10-17t10:10:10",
        "2017-10-17 10:10:10Z",
        "2017-10-17 10:10:10.",
        "2017-10-17 10:10:10.1234567890",
        "2017-10-17 10:10",
        "2017-02-30 10:10:10",
        "2017-10-17 24:00:00",
        "2017-1a-17 10:10:10",
        "+017-10-17 10:10:10",
        "2017-10-17 10:10:1é",
    ] {
        let error = bad.parse::<Cls>().expect_err(bad);
        assert_eq!(error.input(), bad);
        assert!(error.to_string().contains("YYYY-MM-DD HH:MM:SS"), "{error}");
    }
    let message = serde_json::from_str::<Cls>("1508206210").expect_err("wrong type").to_string();
    assert!(message.contains("YYYY-MM-DD HH:MM:SS"), "{message}");
}

#[test]
fn local_date_time_keeps_its_spelling() {
    for text in
        ["2024-04-30T16:05:02.117804", "2024-04-30 16:05:02.1", "2024-04-30T16:05:02", "2024-04-30 16:05:02.123456789"]
    {
        let value: LocalDateTime<0> = round_trip(&format!("\"{text}\""));
        assert_eq!(value.to_string(), text);
    }
    let micros: LocalDateTime<0> = "2024-04-30T16:05:02.117804".parse().expect("parses");
    assert_eq!(micros.to_offset_date_time(), datetime!(2024-04-30 16:05:02.117804 UTC));
    // The same wall-clock time in another spelling is equal.
    assert_eq!(micros, "2024-04-30 16:05:02.117804000".parse().expect("parses"));
}

#[test]
fn epoch_counts_keep_number_or_string() {
    let number: EpochSeconds = round_trip("1714492800");
    let text: EpochSeconds = round_trip("\"1714492800\"");
    assert_eq!(number, text);
    assert!(text.is_quoted() && !number.is_quoted());
    assert_eq!(number.as_offset_date_time(), Some(datetime!(2024-04-30 16:00:00 UTC)));
    let millis: EpochMillis = round_trip("\"-1500\"");
    assert_eq!(millis.as_offset_date_time(), Some(datetime!(1969-12-31 23:59:58.5 UTC)));
    assert_eq!(EpochSeconds::from(datetime!(1969-12-31 23:59:59.5 UTC)), EpochSeconds::new(-1));
}

type CbrTime = AnyTime<{ time_forms(&[TimeForm::Rfc3339, TimeForm::LocalDateTime]) }, 0>;
type ClockOrMillis = AnyTime<{ time_forms(&[TimeForm::LocalDateTime, TimeForm::EpochMillis]) }, 28800>;

#[test]
fn any_time_reads_each_declared_form_and_writes_it_back() {
    let zoned: CbrTime = round_trip("\"2019-05-23T14:31:36.039+00:00\"");
    assert_eq!(zoned.form(), TimeForm::Rfc3339);
    let local: CbrTime = round_trip("\"2024-04-30T16:05:02.117804\"");
    assert_eq!(local.form(), TimeForm::LocalDateTime);
    assert_eq!(local.to_offset_date_time(), Some(datetime!(2024-04-30 16:05:02.117804 UTC)));
    let millis: ClockOrMillis = round_trip("1714492800000");
    let quoted: ClockOrMillis = round_trip("\"1714492800000\"");
    assert_eq!((millis.form(), quoted.form()), (TimeForm::EpochMillis, TimeForm::EpochMillis));
    let clock: ClockOrMillis = round_trip("\"2024-05-01 00:00:00\"");
    assert_eq!(clock, millis, "the same instant in two forms");
    assert_eq!(CbrTime::forms().collect::<Vec<_>>(), [TimeForm::Rfc3339, TimeForm::LocalDateTime]);
}

#[test]
fn any_time_refuses_undeclared_forms_and_builds_the_first() {
    for bad in ["1714492800", "\"1714492800\"", "\"30/04/2024\"", "true"] {
        let message = serde_json::from_str::<CbrTime>(bad).expect_err(bad).to_string();
        assert!(message.contains("RFC 3339") && message.contains("without a zone"), "{message}");
    }
    let built = ClockOrMillis::from(datetime!(2024-04-30 16:00:00 UTC));
    assert_eq!(serde_json::to_string(&built).expect("encodes"), "\"2024-05-01 00:00:00\"");
    assert_eq!(CbrTime::default().to_string(), "1970-01-01T00:00:00Z");
}
