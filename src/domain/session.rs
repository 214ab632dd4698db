//! MFA sessions (`GetSessionToken`): how long one lasts, said and parsed as people write
//! it (`12h`, `90m`, `1h30m`, `3600`), within what STS allows for an IAM user (15 min to
//! 36 h), and the name a session profile gets. Pure.

use super::validate::Invalid;

/// The shortest session STS gives: 15 minutes.
pub const MIN_SECONDS: u32 = 900;
/// The longest session STS gives an IAM user: 36 hours (the root user's is 1 hour).
pub const MAX_SECONDS: u32 = 129_600;
/// What credwiz asks for unless told: 12 hours, as STS does.
pub const DEFAULT_SECONDS: u32 = 43_200;

/// The setting a session profile's expiry time is written in (RFC 3339, UTC), next to
/// its key, secret and token.
pub const EXPIRATION: &str = "expiration";

/// The session profile made from `source` unless another name is given.
pub fn default_name(source: &str) -> String {
    format!("{source}-session")
}

/// The profile a session profile named by [`default_name`] was made from.
pub fn source_by_name(session: &str) -> Option<&str> {
    session.strip_suffix("-session").filter(|s| !s.is_empty())
}

/// A duration as typed: hours, minutes and seconds with `h`, `m`, `s` (`1h30m`), or a
/// number of seconds; between [`MIN_SECONDS`] and [`MAX_SECONDS`].
pub fn duration(typed: &str) -> Result<u32, Invalid> {
    let text = typed.trim().to_ascii_lowercase();
    let unclear = || {
        Invalid(format!(
            "`{}` is not a duration: write it as 12h, 90m, 1h30m or a number of seconds",
            super::text::printable(typed.trim())
        ))
    };
    if text.is_empty() {
        return Err(unclear());
    }
    let seconds: u64 = if text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().map_err(|_| unclear())?
    } else {
        let mut total: u64 = 0;
        let mut number = String::new();
        for c in text.chars() {
            match c {
                '0'..='9' => number.push(c),
                'h' | 'm' | 's' if !number.is_empty() => {
                    let n: u64 = number.parse().map_err(|_| unclear())?;
                    let unit = match c {
                        'h' => 3600,
                        'm' => 60,
                        _ => 1,
                    };
                    total = total.saturating_add(n.saturating_mul(unit));
                    number.clear();
                }
                _ => return Err(unclear()),
            }
        }
        if !number.is_empty() {
            return Err(unclear());
        }
        total
    };
    if seconds < u64::from(MIN_SECONDS) || seconds > u64::from(MAX_SECONDS) {
        return Err(Invalid(format!(
            "an MFA session lasts from 15 min to 36 h; {} is outside that",
            said(seconds)
        )));
    }
    Ok(seconds as u32)
}

/// `12 h`, `1 h 30 min`, `15 min`, `45 s`.
pub fn said(seconds: u64) -> String {
    let (hours, minutes, rest) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    let mut parts = Vec::new();
    if hours > 0 {
        parts.push(format!("{hours} h"));
    }
    if minutes > 0 {
        parts.push(format!("{minutes} min"));
    }
    if rest > 0 || parts.is_empty() {
        parts.push(format!("{rest} s"));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_people_write_them() {
        assert_eq!(duration("12h"), Ok(43_200));
        assert_eq!(duration(" 1h30m "), Ok(5_400));
        assert_eq!(duration("90M"), Ok(5_400));
        assert_eq!(duration("3600"), Ok(3_600));
        assert_eq!(duration("15m"), Ok(MIN_SECONDS));
        assert_eq!(duration("36h"), Ok(MAX_SECONDS));
    }

    #[test]
    fn durations_outside_what_sts_gives_or_unclear_are_refused() {
        let refused = |typed: &str| duration(typed).unwrap_err().0;
        assert!(refused("10m").contains("15 min to 36 h; 10 min is outside"));
        assert!(refused("37h").contains("37 h is outside"));
        for unclear in ["", "h", "12 hours", "1.5h", "12h5", "-1h"] {
            assert!(
                refused(unclear).contains("is not a duration"),
                "{unclear:?}"
            );
        }
        assert!(duration("99999999999999999999h").is_err(), "no overflow");
        assert!(refused("9999999999h").contains("outside"));
    }

    #[test]
    fn said_and_names() {
        assert_eq!(said(43_200), "12 h");
        assert_eq!(said(5_400), "1 h 30 min");
        assert_eq!(said(45), "45 s");
        assert_eq!(default_name("work"), "work-session");
        assert_eq!(source_by_name("work-session"), Some("work"));
        assert_eq!(source_by_name("-session"), None);
        assert_eq!(source_by_name("work"), None);
    }
}
