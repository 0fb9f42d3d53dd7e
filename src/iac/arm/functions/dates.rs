//! Date functions over a fixed clock: `utcNow()` is always 2026-01-01T00:00:00Z, so an import is
//! reproducible (Azure only allows `utcNow` in parameter defaults, typically for a SAS expiry or a
//! deployment suffix, which never decide a price). `dateTimeAdd` adds ISO 8601 durations (months
//! and years clamp the day, as .NET does), `dateTimeFromEpoch` / `dateTimeToEpoch` convert Unix
//! seconds. Formats are .NET's: the standard ones `u s o d D t T g G f F U r M y` and the custom
//! specifiers `yyyy yy MM M MMM MMMM dd d ddd dddd HH H hh h mm m ss s f… tt K`, quoted text and `\`.

use super::{arity, int_arg, string_arg, unknown_args};
use crate::iac::arm::eval::Ctx;
use crate::iac::arm::failure::{Failure, Result, in_function};
use crate::iac::arm::value::Value;

/// The fixed clock: 2026-01-01T00:00:00Z, in Unix seconds.
pub(crate) const NOW: i64 = 1_767_225_600;

pub(super) fn call(lname: &str, args: &[Value], _cx: &Ctx) -> Option<Result<Value>> {
    let f: fn(&[Value]) -> Result<Value> = match lname {
        "utcnow" => utc_now,
        "datetimeadd" => date_time_add,
        "datetimefromepoch" => from_epoch,
        "datetimetoepoch" => to_epoch,
        _ => return None,
    };
    if let Some(u) = unknown_args(args) {
        return Some(Ok(Value::unknown_from(u)));
    }
    Some(f(args))
}

fn utc_now(args: &[Value]) -> Result<Value> {
    arity("utcNow", args, 0, 1)?;
    let format = if args.is_empty() { "yyyyMMddTHHmmssZ" } else { string_arg("utcNow", args, 0)? };
    render(NOW, format, "utcNow").map(Value::str)
}

fn date_time_add(args: &[Value]) -> Result<Value> {
    arity("dateTimeAdd", args, 2, 3)?;
    let base = parse_date(string_arg("dateTimeAdd", args, 0)?)
        .ok_or_else(|| in_function("dateTimeAdd", "the base is not an ISO 8601 date and time"))?;
    let d = parse_duration(string_arg("dateTimeAdd", args, 1)?)
        .ok_or_else(|| in_function("dateTimeAdd", "the duration is not an ISO 8601 duration (like P1Y or -PT3H)"))?;
    let t = add(base, &d).ok_or_else(|| in_function("dateTimeAdd", "the result is out of range"))?;
    let format = if args.len() > 2 { string_arg("dateTimeAdd", args, 2)? } else { "yyyy-MM-ddTHH:mm:ssZ" };
    render(t, format, "dateTimeAdd").map(Value::str)
}

fn from_epoch(args: &[Value]) -> Result<Value> {
    arity("dateTimeFromEpoch", args, 1, 1)?;
    let t = int_arg("dateTimeFromEpoch", args, 0)?;
    if !(0..=253_402_300_799).contains(&t) {
        return Err(in_function("dateTimeFromEpoch", "the time is out of range"));
    }
    render(t, "yyyy-MM-ddTHH:mm:ssZ", "dateTimeFromEpoch").map(Value::str)
}

fn to_epoch(args: &[Value]) -> Result<Value> {
    arity("dateTimeToEpoch", args, 1, 1)?;
    parse_date(string_arg("dateTimeToEpoch", args, 0)?)
        .map(Value::Int)
        .ok_or_else(|| in_function("dateTimeToEpoch", "the value is not an ISO 8601 date and time"))
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    days_from_civil(if m == 12 { y + 1 } else { y }, if m == 12 { 1 } else { m + 1 }, 1) - days_from_civil(y, m, 1)
}

/// `2020-04-07T14:53:14Z`, `2020-04-07 14:53:14Z`, `2020-04-07T14:53:14.123+02:00`, `2020-04-07`,
/// and the basic form `utcNow()` gives, `20200407T145314Z`.
fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() >= 15 && b[..8].iter().all(u8::is_ascii_digit) && b[8] == b'T' && b[9..15].iter().all(u8::is_ascii_digit)
    {
        let extended =
            format!("{}-{}-{}T{}:{}:{}{}", &s[..4], &s[4..6], &s[6..8], &s[9..11], &s[11..13], &s[13..15], &s[15..]);
        return parse_date(&extended);
    }
    let num = |a: usize, b: usize| -> Option<i64> {
        let part = s.get(a..b)?;
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok())?
    };
    let (y, mo, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    if s.get(4..5) != Some("-")
        || s.get(7..8) != Some("-")
        || !(1..=12).contains(&mo)
        || d < 1
        || d > days_in_month(y, mo)
    {
        return None;
    }
    let mut secs = days_from_civil(y, mo, d) * 86_400;
    if s.len() == 10 {
        return Some(secs);
    }
    if !matches!(s.get(10..11), Some("T" | "t" | " ")) || s.get(13..14) != Some(":") {
        return None;
    }
    let (h, mi) = (num(11, 13)?, num(14, 16)?);
    let (sec, mut rest) = if s.get(16..17) == Some(":") { (num(17, 19)?, s.get(19..)?) } else { (0, s.get(16..)?) };
    if h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    secs += h * 3600 + mi * 60 + sec;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        rest = &frac[digits..];
    }
    match rest {
        "" | "Z" | "z" => Some(secs),
        offset => {
            let sign = match offset.get(..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            let (oh, om) = offset[1..].split_once(':').unwrap_or((offset.get(1..3)?, offset.get(3..).unwrap_or("0")));
            let (oh, om): (i64, i64) = (oh.parse().ok()?, if om.is_empty() { 0 } else { om.parse().ok()? });
            Some(secs - sign * (oh * 3600 + om * 60))
        }
    }
}

#[derive(Default)]
struct Duration {
    negative: bool,
    years: i64,
    months: i64,
    seconds: i64,
}

/// `[-]P[nY][nM][nW][nD][T[nH][nM][nS]]`.
fn parse_duration(s: &str) -> Option<Duration> {
    let mut d = Duration::default();
    let s = match s.trim().strip_prefix('-') {
        Some(rest) => {
            d.negative = true;
            rest
        }
        None => s.trim(),
    };
    let s = s.strip_prefix('P').or_else(|| s.strip_prefix('p'))?;
    let (date, time) = s.split_once(['T', 't']).unwrap_or((s, ""));
    let mut any = false;
    for (part, in_time) in [(date, false), (time, true)] {
        let mut n = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                n.push(c);
                continue;
            }
            let v: i64 = n.split('.').next()?.parse().ok().filter(|v: &i64| *v < 1_000_000)?;
            n.clear();
            any = true;
            match (c.to_ascii_uppercase(), in_time) {
                ('Y', false) => d.years += v,
                ('M', false) => d.months += v,
                ('W', false) => d.seconds += v * 7 * 86_400,
                ('D', false) => d.seconds += v * 86_400,
                ('H', true) => d.seconds += v * 3600,
                ('M', true) => d.seconds += v * 60,
                ('S', true) => d.seconds += v,
                _ => return None,
            }
        }
        if !n.is_empty() {
            return None;
        }
    }
    any.then_some(d)
}

fn add(t: i64, d: &Duration) -> Option<i64> {
    let sign = if d.negative { -1 } else { 1 };
    let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    let (y, m, day) = civil_from_days(days);
    let months = y * 12 + (m - 1) + sign * (d.years * 12 + d.months);
    let (ny, nm) = (months.div_euclid(12), months.rem_euclid(12) + 1);
    if !(1..=9999).contains(&ny) {
        return None;
    }
    let nd = day.min(days_in_month(ny, nm));
    Some(days_from_civil(ny, nm, nd) * 86_400 + secs + sign * d.seconds)
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = ["Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday", "Wednesday"];

/// Formats Unix seconds with a .NET date format.
fn render(t: i64, format: &str, f: &str) -> Result<String> {
    let standard = match format {
        "u" => "yyyy-MM-dd HH:mm:ssZ",
        "s" => "yyyy-MM-ddTHH:mm:ss",
        "o" | "O" => "yyyy-MM-ddTHH:mm:ss.fffffffK",
        "d" => "M/d/yyyy",
        "D" => "dddd, MMMM d, yyyy",
        "t" => "h:mm tt",
        "T" => "h:mm:ss tt",
        "g" => "M/d/yyyy h:mm tt",
        "G" => "M/d/yyyy h:mm:ss tt",
        "f" => "dddd, MMMM d, yyyy h:mm tt",
        "F" | "U" => "dddd, MMMM d, yyyy h:mm:ss tt",
        "r" | "R" => "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
        "M" | "m" => "MMMM d",
        "y" | "Y" => "MMMM yyyy",
        other if other.chars().count() == 1 && other.chars().all(char::is_alphabetic) => {
            return Err(in_function(f, format!("the standard date format '{other}' is not supported")));
        }
        other => other,
    };
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    let (h, mi, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let weekday = DAYS[days.rem_euclid(7) as usize];
    let month = MONTHS[(mo - 1) as usize];
    let chars: Vec<char> = standard.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let run = chars[i..].iter().take_while(|&&x| x == c).count();
        let part = match (c, run) {
            ('y', 1) => (y % 100).to_string(),
            ('y', 2) => format!("{:02}", y % 100),
            ('y', _) => format!("{y:0run$}"),
            ('M', 1) => mo.to_string(),
            ('M', 2) => format!("{mo:02}"),
            ('M', 3) => month[..3].to_string(),
            ('M', _) => month.to_string(),
            ('d', 1) => d.to_string(),
            ('d', 2) => format!("{d:02}"),
            ('d', 3) => weekday[..3].to_string(),
            ('d', _) => weekday.to_string(),
            ('H', 1) => h.to_string(),
            ('H', _) => format!("{h:02}"),
            ('h', n) => format!("{:0w$}", if h % 12 == 0 { 12 } else { h % 12 }, w = n.min(2)),
            ('m', 1) => mi.to_string(),
            ('m', _) => format!("{mi:02}"),
            ('s', 1) => s.to_string(),
            ('s', _) => format!("{s:02}"),
            ('f' | 'F', n) => "0".repeat(n.min(7)),
            ('t', 1) => (if h < 12 { "A" } else { "P" }).to_string(),
            ('t', _) => (if h < 12 { "AM" } else { "PM" }).to_string(),
            ('K', _) => "Z".repeat(run),
            ('\'' | '"', _) => {
                let close = chars[i + 1..].iter().position(|&x| x == c).ok_or_else(|| unclosed(f))?;
                out.extend(&chars[i + 1..i + 1 + close]);
                i += close + 2;
                continue;
            }
            ('\\', _) => {
                out.extend(chars.get(i + 1));
                i += 2;
                continue;
            }
            (c, n) => c.to_string().repeat(n),
        };
        out.push_str(&part);
        i += run;
    }
    Ok(out)
}

fn unclosed(f: &str) -> Failure {
    in_function(f, "a quoted part of the date format is not closed")
}

#[cfg(test)]
mod tests {
    use crate::iac::arm::testing::eval_str;

    #[test]
    fn fixed_clock_and_formats() {
        assert_eq!(eval_str("[utcNow()]"), "\"20260101T000000Z\"");
        assert_eq!(eval_str("[utcNow('u')]"), "\"2026-01-01 00:00:00Z\"");
        assert_eq!(eval_str("[utcNow('D')]"), "\"Thursday, January 1, 2026\"");
        assert_eq!(eval_str("[utcNow('F')]"), "\"Thursday, January 1, 2026 12:00:00 AM\"");
        assert_eq!(eval_str("[utcNow('yyyy-MM-dd''T''HH')]"), "\"2026-01-01T00\"");
    }

    #[test]
    fn adding_durations() {
        assert_eq!(eval_str("[dateTimeAdd('2020-04-07 14:53:14Z', 'P3Y')]"), "\"2023-04-07T14:53:14Z\"");
        assert_eq!(eval_str("[dateTimeAdd('2020-04-07 14:53:14Z', '-P9D')]"), "\"2020-03-29T14:53:14Z\"");
        assert_eq!(eval_str("[dateTimeAdd('2020-04-07 14:53:14Z', 'PT1H', 'G')]"), "\"4/7/2020 3:53:14 PM\"");
        assert_eq!(eval_str("[dateTimeAdd('2023-01-31T00:00:00Z', 'P1M')]"), "\"2023-02-28T00:00:00Z\"");
        assert_eq!(eval_str("[dateTimeAdd('2024-01-31T00:00:00Z', 'P1M')]"), "\"2024-02-29T00:00:00Z\"");
        assert_eq!(eval_str("[dateTimeAdd(utcNow(), 'P1Y')]"), "\"2027-01-01T00:00:00Z\"");
        assert_eq!(
            eval_str("[dateTimeAdd('yesterday', 'P1Y')]"),
            "error: function 'dateTimeAdd': the base is not an ISO 8601 date and time"
        );
        assert_eq!(eval_str("[dateTimeAdd(utcNow('u'), 'P1W')]"), "\"2026-01-08T00:00:00Z\"");
        assert_eq!(
            eval_str("[dateTimeAdd('2020-01-01', 'bogus')]"),
            "error: function 'dateTimeAdd': the duration is not an ISO 8601 duration (like P1Y or -PT3H)"
        );
    }

    #[test]
    fn epochs() {
        assert_eq!(eval_str("[dateTimeToEpoch('2026-01-01T00:00:00Z')]"), "1767225600");
        assert_eq!(eval_str("[dateTimeFromEpoch(1683040573)]"), "\"2023-05-02T15:16:13Z\"");
        assert_eq!(eval_str("[dateTimeToEpoch('2026-01-01T02:00:00+02:00')]"), "1767225600");
    }
}
