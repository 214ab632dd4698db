//! When temporary credentials stop working, said for people: timestamps as the AWS tools
//! write them (RFC 3339 with `Z`, an offset or `UTC`, with or without fractions of a
//! second), the time left ("expires in 3h 12m") or gone ("expired 2h ago"), and the
//! cache keys the AWS CLI and botocore name their cache files by. Pure: "now" is always
//! passed in, as seconds since 1970.

/// Seconds since 1970-01-01T00:00:00Z of a timestamp as the AWS tools write them:
/// `2026-12-02T23:27:29Z`, `…29.011835Z`, `…29+00:00`, `…29UTC`, `2026-12-02 23:27:29 UTC`.
pub fn parse(timestamp: &str) -> Option<i64> {
    let text = timestamp.trim();
    let days = super::key_age::day_number(text)?;
    let rest = text.get(10..)?;
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = rest.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (hour, minute, second) = (number(0..2)?, number(3..5)?, number(6..8)?);
    if rest.get(2..3)? != ":" || rest.get(5..6)? != ":" || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut zone = &rest[8..];
    if let Some(fraction) = zone.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        zone = &fraction[digits..];
    }
    let offset = match zone.trim() {
        "Z" | "z" | "UTC" | "+00:00" | "-00:00" | "" => 0,
        other => {
            let (sign, hhmm) = match other.split_at_checked(1)? {
                ("+", hhmm) => (1, hhmm),
                ("-", hhmm) => (-1, hhmm),
                _ => return None,
            };
            let (h, m) = hhmm
                .split_once(':')
                .unwrap_or((hhmm.get(..2)?, hhmm.get(2..)?));
            let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
            sign * (h * 3600 + m * 60)
        }
    };
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// The timestamp of `seconds` since 1970, in UTC: `2026-12-02T23:27:29Z`.
pub fn utc(seconds: i64) -> String {
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Now, in seconds since 1970 (the one place the clock is read).
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A span said briefly: `3h 12m`, `2d 4h`, `45m`, `30s`.
pub fn span(seconds: i64) -> String {
    let s = seconds.max(0);
    let (days, hours, minutes) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60);
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

/// `expires in 3h 12m`, or `expired 2h 5m ago`.
pub fn said(expires: i64, now: i64) -> String {
    if expires > now {
        format!("expires in {}", span(expires - now))
    } else {
        format!("expired {} ago", span(now - expires))
    }
}

/// The short form for a table cell: `3h 12m`, or `expired`.
pub fn cell(expires: i64, now: i64) -> String {
    if expires > now {
        span(expires - now)
    } else {
        "expired".to_string()
    }
}

/// What botocore hashes (SHA-1) to name an assumed role's cache file, as
/// `AssumeRoleCredentialFetcher._create_cache_key` builds it: the AssumeRole arguments
/// the profile gives, as `json.dumps(args, sort_keys=True)` writes them (`", "` and
/// `": "` between items, non-ASCII as `\uXXXX`). A `RoleSessionName` only when the
/// profile names one (a generated one is left out of the hash).
pub struct RoleArgs<'a> {
    pub role_arn: &'a str,
    pub role_session_name: Option<&'a str>,
    pub external_id: Option<&'a str>,
    pub mfa_serial: Option<&'a str>,
    pub duration_seconds: Option<i64>,
}

impl RoleArgs<'_> {
    pub fn cache_key_input(&self) -> String {
        let mut items: Vec<(&str, String)> = vec![("RoleArn", python_json_str(self.role_arn))];
        if let Some(name) = self.role_session_name {
            items.push(("RoleSessionName", python_json_str(name)));
        }
        if let Some(id) = self.external_id {
            items.push(("ExternalId", python_json_str(id)));
        }
        if let Some(serial) = self.mfa_serial {
            items.push(("SerialNumber", python_json_str(serial)));
        }
        if let Some(seconds) = self.duration_seconds {
            items.push(("DurationSeconds", seconds.to_string()));
        }
        items.sort_by(|a, b| a.0.cmp(b.0));
        let body: Vec<String> = items
            .iter()
            .map(|(key, value)| format!("\"{key}\": {value}"))
            .collect();
        format!("{{{}}}", body.join(", "))
    }
}

/// A string as Python's `json.dumps` writes it (`ensure_ascii`).
fn python_json_str(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_as_the_aws_tools_write_them() {
        let t = 1_796_254_049; // 2026-12-02T23:27:29Z
        assert_eq!(parse("2026-12-02T23:27:29Z"), Some(t));
        assert_eq!(parse("2026-12-02T23:27:29.011835Z"), Some(t));
        assert_eq!(parse("2026-12-02T23:27:29+00:00"), Some(t));
        assert_eq!(parse("2026-12-03T00:27:29+01:00"), Some(t));
        assert_eq!(parse("2026-12-02T22:27:29-0100"), Some(t));
        assert_eq!(parse("2026-12-02T23:27:29UTC"), Some(t));
        assert_eq!(parse("2026-12-02 23:27:29 UTC"), Some(t));
        assert_eq!(utc(t), "2026-12-02T23:27:29Z");
        for bad in [
            "",
            "soon",
            "2026-12-02",
            "2026-13-02T00:00:00Z",
            "2026-12-02T24:00:00Z",
            "2026-12-02T23:27:29 PST",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn time_left_and_gone() {
        let now = 1_000_000;
        assert_eq!(said(now + 3 * 3600 + 12 * 60 + 5, now), "expires in 3h 12m");
        assert_eq!(said(now + 50 * 3600, now), "expires in 2d 2h");
        assert_eq!(said(now + 45, now), "expires in 45s");
        assert_eq!(said(now - 2 * 3600 - 300, now), "expired 2h 5m ago");
        assert_eq!(said(now, now), "expired 0s ago");
        assert_eq!(cell(now + 600, now), "10m");
        assert_eq!(cell(now - 1, now), "expired");
    }

    #[test]
    fn the_role_cache_key_input_is_pythons_json_dumps_with_sorted_keys() {
        let args = RoleArgs {
            role_arn: "arn:aws:iam::123456789012:role/admin",
            role_session_name: None,
            external_id: Some("ex\"t"),
            mfa_serial: Some("arn:aws:iam::123456789012:mfa/é"),
            duration_seconds: Some(3600),
        };
        assert_eq!(
            args.cache_key_input(),
            r#"{"DurationSeconds": 3600, "ExternalId": "ex\"t", "RoleArn": "arn:aws:iam::123456789012:role/admin", "SerialNumber": "arn:aws:iam::123456789012:mfa/\u00e9"}"#
        );
    }
}
