//! How old an access key is: whole days from IAM's creation date to now, said for people,
//! and doctor's rule that a key older than [`ROTATE_AFTER_DAYS`] should be rotated (CIS
//! and Security Hub flag such keys). Pure: "now" is always passed in.

/// Keys older than this many days are due for rotation.
pub const ROTATE_AFTER_DAYS: i64 = 90;

/// The date part ("2026-03-01") of an RFC 3339 / ISO 8601 timestamp, if it has one.
pub fn date_of(timestamp: &str) -> Option<&str> {
    let date = timestamp.get(..10)?;
    day_number(date).map(|_| date)
}

/// Days since 1970-01-01 of the timestamp's calendar date (its time and offset are not
/// used: an age is said in whole days). `None` when it does not start with a valid date.
pub fn day_number(timestamp: &str) -> Option<i64> {
    let date = timestamp.get(..10)?;
    let bytes = date.as_bytes();
    if bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = &date[range];
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    if !(1..=12).contains(&month) || !(1..=days_in_month(year, month)).contains(&day) {
        return None;
    }
    // Howard Hinnant's days-from-civil algorithm.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Whole days from `created` to `now` (0 for a key made today, or a clock behind IAM's).
pub fn age_days(created: &str, now: &str) -> Option<i64> {
    Some((day_number(now)? - day_number(created)?).max(0))
}

/// "key created 2026-03-01, 276 days ago"; `None` when `created` is not a date.
pub fn said(created: &str, now: &str) -> Option<String> {
    let date = date_of(created)?;
    let ago = match age_days(created, now)? {
        0 => "today".to_string(),
        1 => "1 day ago".to_string(),
        days => format!("{days} days ago"),
    };
    Some(format!("key created {date}, {ago}"))
}

/// The key is older than [`ROTATE_AFTER_DAYS`].
pub fn is_due_for_rotation(created: &str, now: &str) -> bool {
    age_days(created, now).is_some_and(|days| days > ROTATE_AFTER_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_match_the_calendar() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("1970-01-02T23:59:59Z"), Some(1));
        // 2000 was a leap year: 30 years of 365 days plus 7 leap days before it.
        assert_eq!(day_number("2000-01-01"), Some(30 * 365 + 7));
        assert_eq!(
            day_number("2024-03-01").unwrap() - day_number("2024-02-28").unwrap(),
            2
        );
        assert_eq!(
            day_number("2026-03-01").unwrap() - day_number("2026-02-28").unwrap(),
            1
        );
    }

    #[test]
    fn a_non_date_has_no_day_number() {
        for bad in [
            "",
            "2026-02-30",
            "2026-13-01",
            "2026/03/01",
            "yesterday",
            "2026-3-1",
        ] {
            assert_eq!(day_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_age_is_said_in_whole_days() {
        let now = "2026-12-02T07:00:00Z";
        // March 1 to December 2, 2026: the days of March to November, and one.
        let expected = 31 + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 1;
        assert_eq!(age_days("2026-03-01T10:00:00Z", now), Some(expected));
        assert_eq!(
            said("2026-03-01T10:00:00Z", now).unwrap(),
            format!("key created 2026-03-01, {expected} days ago")
        );
        assert_eq!(
            said("2026-12-01T23:00:00Z", now).unwrap(),
            "key created 2026-12-01, 1 day ago"
        );
        assert_eq!(
            said("2026-12-02T06:00:00Z", now).unwrap(),
            "key created 2026-12-02, today"
        );
        assert_eq!(
            age_days("2026-12-05T00:00:00Z", now),
            Some(0),
            "clock behind"
        );
        assert_eq!(said("garbage", now), None);
    }

    #[test]
    fn keys_older_than_ninety_days_are_due() {
        let now = "2026-12-02T07:00:00Z";
        let days_before = |days: i64| {
            let target = day_number(now).unwrap() - days;
            // The date `days` before now, found by search: no date formatting needed here.
            (2025..=2026)
                .flat_map(|y| (1..=12).flat_map(move |m| (1..=31).map(move |d| (y, m, d))))
                .map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}T12:00:00Z"))
                .find(|date| day_number(date) == Some(target))
                .unwrap()
        };
        assert!(!is_due_for_rotation(&days_before(89), now));
        assert!(!is_due_for_rotation(&days_before(90), now));
        assert!(is_due_for_rotation(&days_before(91), now));
        assert!(is_due_for_rotation(&days_before(400), now));
        assert!(!is_due_for_rotation("not a date", now));
    }
}
