//! Validation of everything a person types or pastes, with messages written for people.
//!
//! Pure functions, no I/O: the CLI and the wizard call the same ones. Messages never
//! repeat a secret's characters back.

use std::fmt;

use super::regions;

/// Why a value was refused, phrased as advice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub String);

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Invalid {}

fn invalid<T>(message: impl Into<String>) -> Result<T, Invalid> {
    Err(Invalid(message.into()))
}

/// The characters the AWS SDKs accept in a profile name (besides ASCII letters and digits).
pub const PROFILE_NAME_PUNCTUATION: &[char] = &['-', '_', '/', '.', '%', '@', ':', '+'];

pub const fn is_profile_name_char(c: char) -> bool {
    matches!(c, 'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' | '/' | '.' | '%' | '@' | ':' | '+')
}

pub fn profile_name(name: &str) -> Result<(), Invalid> {
    if name.is_empty() {
        return invalid("enter a profile name, for example `default` or `work`");
    }
    if let Some((pos, c)) = name.char_indices().find(|(_, c)| !is_profile_name_char(*c)) {
        let what = match c {
            ' ' => "a space".to_string(),
            '\t' => "a tab".to_string(),
            '\n' | '\r' => "a line break".to_string(),
            c if c.is_whitespace() || c.is_control() => {
                format!("the invisible character U+{:04X}", u32::from(c))
            }
            c => format!("`{c}`"),
        };
        return invalid(format!(
            "profile names may contain only letters, digits and - _ / . % @ : + \
             (found {what} at position {})",
            pos + 1
        ));
    }
    Ok(())
}

/// What an access key ID says about its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// `AKIA…`: an IAM user's or the root user's long-term key.
    LongTerm,
    /// `ASIA…`: temporary credentials from STS, which need a session token.
    Temporary,
    /// Neither prefix, in the shape AWS documents (16–128 word characters): perhaps a
    /// key format newer than credwiz, perhaps a typo. A session token is optional.
    Unusual,
}

impl KeyKind {
    pub fn describe(self) -> &'static str {
        match self {
            KeyKind::LongTerm => "a long-term access key, AKIA…",
            KeyKind::Temporary => "temporary credentials, ASIA…, with their session token",
            KeyKind::Unusual => "an access key that starts with neither AKIA nor ASIA",
        }
    }
}

/// Prefixes of IAM unique IDs that people paste by mistake, and what they are.
const NOT_KEY_PREFIXES: &[(&str, &str)] = &[
    ("AIDA", "an IAM user ID"),
    ("AROA", "an IAM role ID"),
    ("AGPA", "an IAM group ID"),
    ("AIPA", "an EC2 instance profile ID"),
    ("ANPA", "a managed policy ID"),
    ("ANVA", "a managed policy version ID"),
    ("APKA", "a CloudFront public key ID"),
    ("ASCA", "a certificate ID"),
    ("ACCA", "a context-specific credential ID"),
    ("ABIA", "an STS bearer token ID"),
];

const KEY_ID_LEN: usize = 20;
/// AWS documents `AccessKeyId` as 16 to 128 word characters.
const KEY_ID_DOCUMENTED_LEN: std::ops::RangeInclusive<usize> = 16..=128;

fn is_base32_char(c: char) -> bool {
    c.is_ascii_uppercase() || ('2'..='7').contains(&c)
}

/// Refuses only what is certainly wrong and would fail anyway: empty, whitespace, a
/// truncated `AKIA`/`ASIA` key, lower case, an IAM ID that is not a key, a shape AWS
/// never issues. Everything else is allowed; [`access_key_caution`] says what looks off.
pub fn access_key_id(id: &str) -> Result<KeyKind, Invalid> {
    if id.is_empty() {
        return invalid("enter the access key ID: 20 characters starting with AKIA or ASIA");
    }
    if let Some(pos) = id.chars().position(|c| c.is_whitespace() || c.is_control()) {
        return invalid(format!(
            "the access key ID has a space or an invisible character at position {}: paste it again",
            pos + 1
        ));
    }
    let upper = id.to_ascii_uppercase();
    if upper != id && access_key_id(&upper).is_ok_and(|kind| kind != KeyKind::Unusual) {
        return invalid("access key IDs are all upper case: check the lower-case letters");
    }
    if let Some((_, what)) = NOT_KEY_PREFIXES.iter().find(|(p, _)| upper.starts_with(p)) {
        return invalid(format!(
            "this is {what}, not an access key ID; an access key ID starts with AKIA or ASIA"
        ));
    }
    let len = id.chars().count();
    let kind = if id.starts_with("AKIA") {
        KeyKind::LongTerm
    } else if id.starts_with("ASIA") {
        KeyKind::Temporary
    } else if KEY_ID_DOCUMENTED_LEN.contains(&len)
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Ok(KeyKind::Unusual);
    } else {
        return invalid(NOT_AN_AWS_KEY);
    };
    if len != KEY_ID_LEN {
        return invalid(format!(
            "an access key ID is {KEY_ID_LEN} characters long; this one has {len}"
        ));
    }
    Ok(kind)
}

/// Said of a key ID in no shape AWS issues: most likely another service's.
pub const NOT_AN_AWS_KEY: &str = "an AWS access key ID starts with AKIA (long-term key) or ASIA (temporary credentials); \
     keys for LocalStack, MinIO, R2 or another S3-compatible service belong in a profile with the service's endpoint URL";

/// Whether `id` is one of the example key IDs of AWS's documentation
/// (`AKIAIOSFODNN7EXAMPLE`, `AKIAI44QH8DHBEXAMPLE`, …).
pub fn is_example_key_id(id: &str) -> bool {
    (id.starts_with("AKIA") || id.starts_with("ASIA")) && id.ends_with("EXAMPLE")
}

/// Whether `secret` is one of the example secrets of AWS's documentation.
pub fn is_example_secret(secret: &str) -> bool {
    secret.ends_with("EXAMPLEKEY")
}

pub const EXAMPLE_NOTE: &str = "this is an example key from AWS's documentation: it will not work against AWS (it does with moto and LocalStack)";

/// What looks off in an access key ID that [`access_key_id`] accepts: saving is allowed,
/// but the user should know (and verify). `None` when nothing does.
pub fn access_key_caution(id: &str) -> Option<String> {
    let kind = access_key_id(id).ok()?;
    if is_example_key_id(id) {
        return Some(EXAMPLE_NOTE.to_string());
    }
    if kind == KeyKind::Unusual {
        return Some(
            "AWS's access key IDs start with AKIA or ASIA; this one starts with neither: check it, and verify it; if it is another service's key, give the service's endpoint URL".to_string(),
        );
    }
    let (pos, c) = id
        .char_indices()
        .skip(4)
        .find(|(_, c)| !is_base32_char(*c))?;
    let likely = match c {
        '0' => " (the letter O?)",
        '1' => " (the letter I?)",
        '8' => " (the letter B?)",
        _ => "",
    };
    Some(format!(
        "AWS's key IDs hold only A–Z and 2–7 after AKIA/ASIA; `{c}` at position {} is not one of them{likely}: check the key, and verify it",
        pos + 1
    ))
}

pub const EXAMPLE_SECRET_NOTE: &str = "this is the example secret of AWS's documentation: it will not work against AWS (it does with moto and LocalStack)";

/// The note for a secret of AWS's documentation, never quoting it.
pub fn secret_caution(secret: &str) -> Option<&'static str> {
    is_example_secret(secret).then_some(EXAMPLE_SECRET_NOTE)
}

const SECRET_LEN: usize = 40;

fn is_secret_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '/' || c == '+'
}

pub fn secret_access_key(secret: &str) -> Result<(), Invalid> {
    if secret.is_empty() {
        return invalid("enter the secret access key (40 characters)");
    }
    if matches!(
        access_key_id(secret),
        Ok(KeyKind::LongTerm | KeyKind::Temporary)
    ) {
        return invalid("this is an access key ID, not the secret access key");
    }
    if let Some(pos) = secret.chars().position(|c| !is_secret_char(c)) {
        return invalid(format!(
            "a secret access key holds only letters, digits, / and +; character {} is not one of them",
            pos + 1
        ));
    }
    let len = secret.chars().count();
    if len != SECRET_LEN {
        return invalid(format!(
            "a secret access key is {SECRET_LEN} characters long; this one has {len}"
        ));
    }
    Ok(())
}

const MIN_TOKEN_LEN: usize = 16;

/// An MFA code as a virtual or hardware device shows it: 6 digits (spaces around it
/// are not part of it).
pub fn mfa_code(code: &str) -> Result<(), Invalid> {
    let code = code.trim();
    if code.is_empty() {
        return invalid("type the 6-digit code your MFA device shows now");
    }
    if let Some(bad) = code.chars().find(|c| !c.is_ascii_digit()) {
        return invalid(format!(
            "an MFA code is 6 digits; `{}` is not a digit",
            crate::domain::text::printable(&bad.to_string())
        ));
    }
    match code.len() {
        6 => Ok(()),
        n => invalid(format!("an MFA code is 6 digits; this is {n}")),
    }
}

/// A session token is required exactly for temporary (`ASIA`) keys.
pub fn session_token(token: &str, kind: KeyKind) -> Result<(), Invalid> {
    match (kind, token.is_empty()) {
        (KeyKind::LongTerm | KeyKind::Unusual, true) => return Ok(()),
        (KeyKind::LongTerm, false) => {
            return invalid(
                "long-term (AKIA) keys have no session token; leave it empty or use the ASIA key it came with",
            );
        }
        (KeyKind::Temporary, true) => {
            return invalid(
                "temporary (ASIA) keys only work with their session token: paste it here",
            );
        }
        (KeyKind::Temporary | KeyKind::Unusual, false) => {}
    }
    let is_token_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '/' | '+' | '=');
    if let Some(pos) = token.chars().position(|c| !is_token_char(c)) {
        return invalid(format!(
            "a session token holds only letters, digits, /, + and =; character {} is not one of them",
            pos + 1
        ));
    }
    if token.len() < MIN_TOKEN_LEN {
        return invalid("this is too short to be a session token: paste the whole token");
    }
    Ok(())
}

/// How a region string was judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Region {
    Known {
        description: &'static str,
    },
    /// Well-formed but not in credwiz's list (perhaps newer than it).
    Unlisted,
}

pub fn region(region: &str) -> Result<Region, Invalid> {
    if region.is_empty() {
        return invalid("enter a region, for example us-east-1");
    }
    if let Some(known) = regions::find(region) {
        return Ok(Region::Known {
            description: known.description,
        });
    }
    if let Some(slip) = region_slip(region) {
        return Err(slip);
    }
    if !is_region_shaped(region) {
        return invalid("a region looks like us-east-1 or eu-central-1");
    }
    Ok(Region::Unlisted)
}

/// A region written by mistake for a known one: upper case, or an availability zone.
pub fn region_slip(region: &str) -> Option<Invalid> {
    let lower = region.to_ascii_lowercase();
    if lower != region && regions::find(&lower).is_some() {
        return Some(Invalid(format!("regions are lower case: {lower}")));
    }
    let base = availability_zone_region(region)?;
    Some(Invalid(format!(
        "this is an availability zone; its region is {base}"
    )))
}

/// `us-east-1a` → `us-east-1`.
fn availability_zone_region(s: &str) -> Option<&str> {
    let base = s.strip_suffix(|c: char| c.is_ascii_lowercase())?;
    is_region_shaped(base).then_some(base)
}

/// `xx-name-N`: two or more lower-case words and a trailing number, joined by `-`.
fn is_region_shaped(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let Some((number, words)) = parts.split_last() else {
        return false;
    };
    words.len() >= 2
        && words
            .iter()
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase()))
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit())
}

pub const OUTPUT_FORMATS: &[&str] = &["json", "yaml", "yaml-stream", "text", "table"];

pub fn output_format(format: &str) -> Result<(), Invalid> {
    if OUTPUT_FORMATS.contains(&format) {
        return Ok(());
    }
    invalid(format!(
        "output must be one of {}",
        OUTPUT_FORMATS.join(", ")
    ))
}

/// A value read from a paste or a file line: whitespace, CR, a BOM and one pair of
/// surrounding quotes removed.
pub fn trim_pasted(value: &str) -> &str {
    let trimmed = value.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    for quote in ['"', '\''] {
        if let Some(inner) = trimmed
            .strip_prefix(quote)
            .and_then(|s| s.strip_suffix(quote))
        {
            return inner.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        }
    }
    trimmed
}

/// A value written to a file must stay on its line.
pub fn single_line(key: &str, value: &str) -> Result<(), Invalid> {
    if value.contains(['\n', '\r']) {
        return invalid(format!(
            "the value for `{key}` contains a line break; values must fit on one line"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_name_chars_match_the_documented_punctuation() {
        for c in PROFILE_NAME_PUNCTUATION {
            assert!(is_profile_name_char(*c));
        }
        for c in ['!', ' ', '"', '[', ']', '=', '#', 'é'] {
            assert!(!is_profile_name_char(c), "{c}");
        }
    }

    #[test]
    fn profile_names_follow_the_sdk_charset() {
        assert!(profile_name("some-thing:long/the_one%only.foo@bar+").is_ok());
        let err = profile_name("my profile").unwrap_err();
        assert!(err.0.contains("a space at position 3"), "{err}");
        for (name, found) in [
            ("a\nb", "a line break at position 2"),
            ("a\tb", "a tab at position 2"),
            ("a\u{1b}b", "the invisible character U+001B at position 2"),
        ] {
            let err = profile_name(name).unwrap_err();
            assert!(err.0.contains(found), "{err}");
        }
        assert!(profile_name("foo!bar").unwrap_err().0.contains("`!`"));
        assert!(profile_name("").is_err());
    }

    #[test]
    fn key_ids_are_classified() {
        assert_eq!(access_key_id("AKIAIOSFODNN7EXAMPLE"), Ok(KeyKind::LongTerm));
        assert_eq!(
            access_key_id("ASIAY34FZKBOKMUTVV7A"),
            Ok(KeyKind::Temporary)
        );
    }

    #[test]
    fn key_id_errors_explain_the_problem() {
        let msg = |id| access_key_id(id).unwrap_err().0;
        assert!(msg("AKIAIOSFODNN7EXAMPL").contains("this one has 19"));
        assert!(msg("akiaiosfodnn7example").contains("upper case"));
        assert!(msg("AIDAIOSFODNN7EXAMPLE").contains("IAM user ID"));
        assert!(msg("AROAIOSFODNN7EXAMPLE").contains("role ID"));
        assert!(msg("test").contains("endpoint URL"));
        assert!(msg("AKIA IOSFODNN7EXAMPL").contains("position 5"));
        assert!(msg("").contains("enter"));
    }

    #[test]
    fn doubtful_key_ids_are_allowed_with_a_caution() {
        let caution = |id| access_key_caution(id).unwrap();
        assert_eq!(access_key_id("AKIAIOSFODNN8EXAMPL0"), Ok(KeyKind::LongTerm));
        let typo = caution("AKIAIOSFODNN8EXAMPL0");
        assert!(
            typo.contains("`8` at position 13 is not one of them (the letter B?)"),
            "{typo}"
        );
        assert!(caution("AKIAY34FZKBOKMUTVV0A").contains("the letter O?"));
        assert!(caution("AKIAY34FZKBOKMUTVV1A").contains("the letter I?"));
        assert_eq!(access_key_id("XKIAIOSFODNN7EXAMPLE"), Ok(KeyKind::Unusual));
        assert!(caution("XKIAIOSFODNN7EXAMPLE").contains("starts with neither"));
        assert_eq!(access_key_caution("AKIAY34FZKBOKMUTVV7A"), None);
        assert_eq!(access_key_caution("not valid"), None);
    }

    #[test]
    fn documentation_examples_are_accepted_with_a_note() {
        for id in ["AKIAIOSFODNN7EXAMPLE", "AKIAI44QH8DHBEXAMPLE"] {
            assert_eq!(access_key_id(id), Ok(KeyKind::LongTerm), "{id}");
            assert_eq!(
                access_key_caution(id).as_deref(),
                Some(EXAMPLE_NOTE),
                "{id}"
            );
        }
        for secret in [
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        ] {
            assert!(secret_access_key(secret).is_ok());
            assert_eq!(secret_caution(secret), Some(EXAMPLE_SECRET_NOTE));
        }
        assert_eq!(secret_caution(&"a".repeat(40)), None);
    }

    #[test]
    fn secrets_are_checked_without_echoing_them() {
        let good = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assert!(secret_access_key(good).is_ok());
        let short = &good[..39];
        assert!(secret_access_key(short).unwrap_err().0.contains("has 39"));
        let bad = "wJalrXUtnFEMI/K7MDENG-bPxRfiCYEXAMPLEKEY";
        let msg = secret_access_key(bad).unwrap_err().0;
        assert!(msg.contains("character 22"), "{msg}");
        assert!(!msg.contains("wJalr") && !msg.contains('-'), "{msg}");
        assert!(
            secret_access_key("AKIAIOSFODNN7EXAMPLE")
                .unwrap_err()
                .0
                .contains("access key ID")
        );
        // A secret of letters and digits only is in the shape of an unusual key ID too.
        assert!(secret_access_key("Zq1vW8eXn3RbT5yUc7iOp9aSd2fGh4jKEXAMPLE1").is_ok());
    }

    #[test]
    fn session_token_is_required_exactly_for_temporary_keys() {
        let token = "IQoJb3JpZ2luX2VjEXAMPLETOKEN+/=";
        assert!(session_token("", KeyKind::LongTerm).is_ok());
        assert!(session_token(token, KeyKind::LongTerm).is_err());
        assert!(session_token("", KeyKind::Temporary).is_err());
        assert!(session_token(token, KeyKind::Temporary).is_ok());
        assert!(session_token("abc", KeyKind::Temporary).is_err());
        assert!(session_token("abc def ghijklmnopqrstu", KeyKind::Temporary).is_err());
        assert!(session_token("", KeyKind::Unusual).is_ok());
        assert!(session_token(token, KeyKind::Unusual).is_ok());
    }

    #[test]
    fn regions_are_known_unlisted_or_refused() {
        assert!(
            matches!(region("eu-central-1"), Ok(Region::Known { description }) if description.contains("Frankfurt"))
        );
        assert_eq!(region("xx-future-7"), Ok(Region::Unlisted));
        assert!(
            region("us-east-1a")
                .unwrap_err()
                .0
                .contains("region is us-east-1")
        );
        assert!(region("US-EAST-1").unwrap_err().0.contains("lower case"));
        assert!(region("useast1").is_err());
        assert!(region("us-east-").is_err());
        assert!(region("").is_err());
    }

    #[test]
    fn output_formats() {
        for f in OUTPUT_FORMATS {
            assert!(output_format(f).is_ok());
        }
        assert!(output_format("xml").unwrap_err().0.contains("yaml-stream"));
    }

    #[test]
    fn pasted_values_are_trimmed() {
        assert_eq!(trim_pasted("  AKIA \r\n"), "AKIA");
        assert_eq!(trim_pasted("\u{feff}\"AKIA\""), "AKIA");
        assert_eq!(trim_pasted("'x'"), "x");
        assert_eq!(trim_pasted("\"unbalanced"), "\"unbalanced");
    }

    #[test]
    fn values_must_be_single_line() {
        assert!(single_line("region", "us-east-1").is_ok());
        assert!(single_line("region", "us-east-1\n[x]").is_err());
        assert!(single_line("region", "a\rb").is_err());
    }
}

/// A setting name credwiz may write: the SDKs skip any other.
pub fn file_key(key: &str) -> Result<(), Invalid> {
    if key.is_empty() || !key.chars().all(is_profile_name_char) {
        return invalid(format!(
            "`{key}` is not a valid setting name (letters, digits and - _ / . % @ : + only)"
        ));
    }
    Ok(())
}

/// A value credwiz may write so that the SDKs and the AWS CLI read back exactly it:
/// one line, no surrounding whitespace, and nothing the SDKs would cut as a comment.
pub fn file_value(key: &str, value: &str) -> Result<(), Invalid> {
    single_line(key, value)?;
    if value.trim() != value {
        return invalid(format!(
            "the value for `{key}` starts or ends with whitespace, which readers drop"
        ));
    }
    let mut previous_is_space = false;
    for c in value.chars() {
        if previous_is_space && (c == '#' || c == ';') {
            return invalid(format!(
                "the value for `{key}` contains ` {c}`, which the AWS SDKs read as the start of a comment"
            ));
        }
        previous_is_space = c.is_whitespace();
    }
    Ok(())
}

#[cfg(test)]
mod file_value_tests {
    use super::*;

    #[test]
    fn values_that_would_not_read_back_are_refused() {
        assert!(file_value("k", "a#b").is_ok());
        assert!(file_value("k", "").is_ok());
        assert!(file_value("k", "a #b").unwrap_err().0.contains("comment"));
        assert!(file_value("k", "a ;b").is_err());
        assert!(file_value("k", " a").is_err());
        assert!(file_value("k", "a\nb").is_err());
        assert!(file_key("in valid").is_err());
        assert!(file_key("region").is_ok());
    }
}
