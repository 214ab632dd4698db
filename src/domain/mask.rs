//! How identifiers and secrets are shortened for display, and values fitted to one line.

use std::borrow::Cow;

/// `AKIAIOSFODNN7EXAMPLE` → `AKIA…MPLE`. Key IDs are identifiers, not secrets, but a
/// table shows them shortened; anything too short to shorten is shown as is.
pub fn mask_key_id(key_id: &str) -> String {
    let chars: Vec<char> = key_id.chars().collect();
    if chars.len() <= 8 {
        return key_id.to_string();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

/// A secret shows at most its last four characters, and only when it is long enough
/// that four characters give nothing useful away.
pub fn mask_secret(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    if chars.len() < 16 {
        return "****".to_string();
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("****…{tail}")
}

/// A value as one table cell: the line breaks of a multi-line value (an indented line
/// continues the one above it) shown as `⏎`; other control characters are escaped where
/// the text is printed (`text::printable`).
pub fn one_line(value: &str) -> Cow<'_, str> {
    if !value.contains('\n') {
        return Cow::Borrowed(value);
    }
    // Other control characters are left for the output layer (`text::printable`), which
    // shows each as a visible escape.
    Cow::Owned(value.replace('\n', "⏎"))
}

/// Keys whose values must never be shown in full.
pub fn is_secret_key(key: &str) -> bool {
    [
        "aws_secret_access_key",
        "aws_session_token",
        "aws_security_token",
    ]
    .iter()
    .any(|secret| secret.eq_ignore_ascii_case(key))
}

/// A `key = value` line with the value masked when the key names a secret.
pub fn mask_line(line: &str) -> String {
    match line.split_once('=') {
        Some((key, value)) if is_secret_key(key.trim()) => {
            let spacing = &value[..value.len() - value.trim_start().len()];
            format!("{key}={spacing}{}", mask_secret(value.trim()))
        }
        _ => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_line_values_fit_one_line() {
        assert_eq!(one_line("us-east-1"), "us-east-1");
        assert_eq!(one_line("x\nbad continuation"), "x⏎bad continuation");
        assert_eq!(one_line("a\tb\r"), "a\tb\r", "escaped where it is printed");
    }

    #[test]
    fn key_id_is_shortened_in_the_middle() {
        assert_eq!(mask_key_id("AKIAIOSFODNN7EXAMPLE"), "AKIA…MPLE");
        assert_eq!(mask_key_id("short"), "short");
    }

    #[test]
    fn short_secrets_show_nothing() {
        assert_eq!(mask_secret("abc"), "****");
        assert_eq!(mask_secret(""), "");
    }

    #[test]
    fn lines_with_secrets_are_masked() {
        assert_eq!(
            mask_line("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            "aws_secret_access_key = ****…EKEY"
        );
        assert_eq!(mask_line("region = us-east-1"), "region = us-east-1");
        assert_eq!(mask_line("[default]"), "[default]");
    }

    #[test]
    fn secret_keys_are_recognised_case_insensitively() {
        assert!(is_secret_key("AWS_Secret_Access_Key"));
        assert!(is_secret_key("aws_session_token"));
        assert!(!is_secret_key("aws_access_key_id"));
    }
}
