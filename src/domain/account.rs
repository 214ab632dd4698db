//! Decoding the AWS account ID from an access key ID, offline.
//!
//! Access key IDs issued since about 2019 carry the account ID: base32-decode the 16
//! characters after the 4-character prefix, take the first 6 bytes as a 48-bit
//! big-endian number, and the account is `(n & 0x7FFF_FFFF_FF80) >> 7`. Older keys,
//! whose 5th character is `A`–`P`, do not carry it.

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn base32_value(c: u8) -> Option<u64> {
    BASE32.iter().position(|&b| b == c).map(|v| v as u64)
}

/// The 12-digit account ID, or `None` for old-format or malformed key IDs.
pub fn account_id_from_key_id(key_id: &str) -> Option<String> {
    let body = key_id.as_bytes().get(4..20)?;
    if !(key_id.starts_with("AKIA") || key_id.starts_with("ASIA"))
        || key_id.len() != 20
        || (b'A'..=b'P').contains(&body[0])
    {
        return None;
    }
    // 10 characters of 5 bits cover the first 48 bits (6 bytes) plus 2 bits.
    let mut bits: u64 = 0;
    for &c in &body[..10] {
        bits = (bits << 5) | base32_value(c)?;
    }
    for &c in &body[10..] {
        base32_value(c)?;
    }
    let first_48 = bits >> 2;
    let account = (first_48 & 0x7FFF_FFFF_FF80) >> 7;
    Some(format!("{account:012}"))
}

/// The account in an ARN such as `arn:aws:iam::123456789012:role/admin`.
pub fn account_id_from_arn(arn: &str) -> Option<String> {
    let account = arn.split(':').nth(4)?;
    is_account_id(account).then(|| account.to_string())
}

pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_documented_example() {
        assert_eq!(
            account_id_from_key_id("ASIAY34FZKBOKMUTVV7A").as_deref(),
            Some("609629065308")
        );
    }

    #[test]
    fn old_keys_are_not_decoded() {
        assert_eq!(account_id_from_key_id("AKIAIOSFODNN7EXAMPLE"), None);
        assert_eq!(account_id_from_key_id("AKIAPOSFODNN7EXAMPLE"), None);
    }

    #[test]
    fn malformed_keys_are_not_decoded() {
        assert_eq!(account_id_from_key_id("AKIAY34FZ"), None);
        assert_eq!(account_id_from_key_id("AKIAY34FZKBOKMUTVV1A"), None);
        assert_eq!(account_id_from_key_id("AKIAY34FZKBOKMUTVV7AX"), None);
    }

    #[test]
    fn accounts_come_from_arns() {
        assert_eq!(
            account_id_from_arn("arn:aws:iam::123456789012:role/admin").as_deref(),
            Some("123456789012")
        );
        assert_eq!(account_id_from_arn("arn:aws:iam::role/admin"), None);
        assert_eq!(account_id_from_arn("nonsense"), None);
    }
}
