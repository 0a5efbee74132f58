//! Times in items: written in the form of the documented example's value (epoch seconds or
//! milliseconds, as a number or as text; a date-time with `T` or a space, its fraction digits,
//! and `Z`, an offset or no zone), and read back from any of those forms for time filters.

use serde_json::Value;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// Epoch values above this are milliseconds.
const MILLIS_ABOVE: i64 = 100_000_000_000;

/// `t` written as `example` is written; RFC 3339 in UTC when there is no example to follow.
pub(crate) fn write_like(example: Option<&Value>, t: OffsetDateTime, zone: UtcOffset) -> Value {
    let seconds = t.unix_timestamp();
    let millis = i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(seconds.saturating_mul(1000));
    let epoch = |n: i64| if n.abs() > MILLIS_ABOVE { millis } else { seconds };
    match example {
        Some(Value::Number(n)) => Value::from(epoch(n.as_i64().unwrap_or(0))),
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            Value::from(epoch(s.parse().unwrap_or(0)).to_string())
        }
        Some(Value::String(s)) if s.len() >= 19 => Value::from(date_time_like(s, t, zone)),
        _ => Value::from(format!("{}Z", cloud_task_apis::__private::wall_clock(t, UtcOffset::UTC, 'T'))),
    }
}

/// `t` in the form of the date-time text `example`.
fn date_time_like(example: &str, t: OffsetDateTime, zone: UtcOffset) -> String {
    let separator = if example.as_bytes().get(10) == Some(&b' ') { ' ' } else { 'T' };
    let rest = example.get(19..).unwrap_or_default();
    let digits = rest.strip_prefix('.').map_or(0, |r| r.bytes().take_while(u8::is_ascii_digit).count());
    let suffix = rest.get(if digits > 0 { digits + 1 } else { 0 }..).unwrap_or_default();
    let offset = match suffix {
        "" => zone,
        "Z" | "z" => UtcOffset::UTC,
        other => parse_offset(other).unwrap_or(UtcOffset::UTC),
    };
    let mut out = cloud_task_apis::__private::wall_clock(t, offset, separator);
    if digits > 0 {
        let nanos = format!("{:09}", t.nanosecond());
        out.push('.');
        for i in 0..digits {
            out.push(nanos.as_bytes().get(i).map_or('0', |b| char::from(*b)));
        }
    }
    out.push_str(suffix);
    out
}

/// `+08:00` or `-0530`.
fn parse_offset(text: &str) -> Option<UtcOffset> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = text[1..].chars().filter(char::is_ascii_digit).collect();
    let hours: i8 = digits.get(0..2)?.parse().ok()?;
    let minutes: i8 = digits.get(2..4).unwrap_or("00").parse().ok()?;
    UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()
}

/// The instant a time value means: epoch seconds or milliseconds (number or digits), or a
/// date-time with or without a zone (then in `zone`).
pub(crate) fn instant(value: &Value, zone: UtcOffset) -> Option<OffsetDateTime> {
    let epoch = |n: i64| {
        if n.abs() > MILLIS_ABOVE {
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(n) * 1_000_000).ok()
        } else {
            OffsetDateTime::from_unix_timestamp(n).ok()
        }
    };
    match value {
        Value::Number(n) => epoch(n.as_i64()?),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => epoch(s.parse().ok()?),
        Value::String(s) => date_time(s, zone),
        _ => None,
    }
}

fn date_time(text: &str, zone: UtcOffset) -> Option<OffsetDateTime> {
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
    let month = Month::try_from(u8::try_from(number(5..7)?).ok()?).ok()?;
    let date =
        Date::from_calendar_date(i32::try_from(number(0..4)?).ok()?, month, u8::try_from(number(8..10)?).ok()?).ok()?;
    let hour = u8::try_from(number(11..13)?).ok()?;
    let minute = u8::try_from(number(14..16)?).ok()?;
    let second = u8::try_from(number(17..19)?).ok()?;
    let rest = text.get(19..).unwrap_or_default();
    let digits: String =
        rest.strip_prefix('.').map(|r| r.chars().take_while(char::is_ascii_digit).collect()).unwrap_or_default();
    let nanos = if digits.is_empty() { 0 } else { format!("{digits:0<9}").get(0..9)?.parse().ok()? };
    let suffix = rest.get(if digits.is_empty() { 0 } else { digits.len() + 1 }..).unwrap_or_default();
    let offset = match suffix {
        "" => zone,
        "Z" | "z" => UtcOffset::UTC,
        other => parse_offset(other)?,
    };
    let time = Time::from_hms_nano(hour, minute, second, nanos).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_offset(offset))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn times_follow_the_form_of_the_example() {
        let t = time::macros::datetime!(2024-03-05 06:07:08.009 UTC);
        let east = UtcOffset::from_hms(8, 0, 0).expect("offset");
        assert_eq!(
            write_like(Some(&json!("2019-05-23T14:31:36.039+00:00")), t, east),
            json!("2024-03-05T06:07:08.009+00:00")
        );
        assert_eq!(write_like(Some(&json!("2021-01-01 10:00:00")), t, east), json!("2024-03-05 14:07:08"));
        assert_eq!(write_like(Some(&json!("2021-01-01T10:00:00Z")), t, east), json!("2024-03-05T06:07:08Z"));
        assert_eq!(write_like(Some(&json!(1_700_000_000_000_i64)), t, east), json!(1_709_618_828_009_i64));
        assert_eq!(write_like(Some(&json!("1700000000")), t, east), json!("1709618828"));
        assert_eq!(write_like(None, t, east), json!("2024-03-05T06:07:08Z"));
    }

    #[test]
    fn every_form_reads_back_as_the_same_instant() {
        let t = time::macros::datetime!(2024-03-05 06:07:08 UTC);
        let east = UtcOffset::from_hms(8, 0, 0).expect("offset");
        for text in [
            "2024-03-05 14:07:08",
            "2024-03-05T06:07:08Z",
            "2024-03-05T14:07:08+08:00",
            "2024-03-05T06:07:08.000+00:00",
        ] {
            assert_eq!(instant(&json!(text), east), Some(t), "{text}");
        }
        assert_eq!(instant(&json!(1_709_618_828_i64), east), Some(t));
        assert_eq!(instant(&json!("1709618828000"), east), Some(t));
        assert_eq!(instant(&json!("not a time"), east), None);
    }
}
