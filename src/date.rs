//! Calendar dates as the catalog writes them (YYYY-MM-DD, UTC). A leaf: the library never reads the
//! clock's environment overrides; the binary decides what "today" is (`CLOSEDNET_TODAY` or the
//! system clock) and passes it in.

/// Today's date by the system clock, UTC, as YYYY-MM-DD.
pub fn today_utc() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (y, m, d) = civil_date(secs);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The UTC calendar date (year, month, day) of `secs` since the Unix epoch (civil-from-days,
/// proleptic Gregorian).
pub fn civil_date(secs: u64) -> (i64, i64, i64) {
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Whole months from `from` to `to` (both YYYY-MM-DD); `None` if either is not a date.
pub fn months_between(from: &str, to: &str) -> Option<i64> {
    let p = |s: &str| -> Option<(i64, i64, i64)> {
        Some((s.get(0..4)?.parse().ok()?, s.get(5..7)?.parse().ok()?, s.get(8..10)?.parse().ok()?))
    };
    let (y1, m1, d1) = p(from)?;
    let (y2, m2, d2) = p(to)?;
    Some((y2 - y1) * 12 + (m2 - m1) - i64::from(d2 < d1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_month_differences() {
        // 2026-12-06 00:00:00 UTC is 1,796,515,200 s after the epoch (20,793 days).
        assert_eq!(civil_date(1_796_515_200), (2026, 12, 6));
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(months_between("2023-12-01", "2026-11-30"), Some(35));
        assert_eq!(months_between("2026-08-15", "2026-11-30"), Some(3));
        assert_eq!(months_between("2026-08-15", "2027-02-14"), Some(5));
        assert_eq!(months_between("x", "2026-11-30"), None);
    }
}
