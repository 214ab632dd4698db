//! What the key fields say as they are typed, shared by the wizard and the dialogs.
//! `attempted`: Enter was pressed, so an empty field says what it needs.

use super::Verdict;
use crate::domain::account::account_id_from_key_id;
use crate::domain::service::{self, Preset};
use crate::domain::validate::{self, KeyKind};

pub(crate) fn access_key_id(id: &str, attempted: bool) -> Verdict {
    if id.is_empty() && !attempted {
        return Verdict::Quiet;
    }
    if let Some(caution) = validate::access_key_caution(id) {
        return Verdict::Caution(caution);
    }
    Verdict::of(validate::access_key_id(id), |kind| {
        let what = match kind {
            KeyKind::LongTerm => "a long-term access key, AKIA…".to_string(),
            KeyKind::Temporary => {
                "temporary credentials, ASIA…: a session token comes next".to_string()
            }
            KeyKind::Unusual => "an access key ID".to_string(),
        };
        match account_id_from_key_id(id) {
            Some(account) => format!("{what} · account {account}"),
            None => what,
        }
    })
}

pub(crate) fn secret_access_key(secret: &str, attempted: bool) -> Verdict {
    if secret.is_empty() && !attempted {
        return Verdict::Quiet;
    }
    if validate::secret_access_key(secret).is_ok()
        && let Some(caution) = validate::secret_caution(secret)
    {
        return Verdict::Caution(caution.to_string());
    }
    Verdict::of(validate::secret_access_key(secret), |()| {
        format!("{} characters", secret.chars().count())
    })
}

pub(crate) fn session_token(token: &str, attempted: bool) -> Verdict {
    if token.is_empty() && !attempted {
        return Verdict::Quiet;
    }
    Verdict::of(validate::session_token(token, KeyKind::Temporary), |()| {
        format!("{} characters", token.chars().count())
    })
}

/// A key ID for `preset`'s service: any word; the provider's usual shape is a hint.
/// An MFA code: quiet while fewer than 6 digits are typed (until Enter was tried).
pub(crate) fn mfa_code(code: &str, attempted: bool) -> Verdict {
    let typed = code.trim();
    let partial = typed.len() < 6 && typed.chars().all(|c| c.is_ascii_digit());
    if partial && !attempted {
        return Verdict::Quiet;
    }
    Verdict::of(validate::mfa_code(code), |()| "6 digits".to_string())
}

pub(crate) fn service_key_id(id: &str, preset: &Preset, attempted: bool) -> Verdict {
    service_value("access key ID", id, preset.key_id_hint(id), attempted)
}

/// A secret for `preset`'s service: any word; the provider's usual shape is a hint.
pub(crate) fn service_secret(secret: &str, preset: &Preset, attempted: bool) -> Verdict {
    service_value("secret", secret, preset.secret_hint(secret), attempted)
}

/// Another service's key ID or secret (`what`), with the hint its shape gave.
fn service_value(what: &str, value: &str, hint: Option<String>, attempted: bool) -> Verdict {
    if value.is_empty() && !attempted {
        return Verdict::Quiet;
    }
    if let Err(problem) = service::service_key(what, value) {
        return Verdict::Bad(problem.0);
    }
    match hint {
        Some(hint) => Verdict::Caution(hint),
        None => Verdict::Good(format!("{} characters", value.chars().count())),
    }
}

/// An endpoint URL: `https://`, or `http://` to this machine; which service it is for.
pub(crate) fn endpoint_url(url: &str, attempted: bool) -> Verdict {
    if url.is_empty() && !attempted {
        return Verdict::Quiet;
    }
    if service::endpoint_url(url).is_ok()
        && let Some(caution) = service::endpoint_path_caution(url)
    {
        return Verdict::Caution(caution);
    }
    Verdict::of(service::endpoint_url(url), |url| {
        let host = service::shown_host(url).unwrap_or_default();
        match service::recognise(url) {
            Some(preset) if preset.name != "other" => format!("{} at {host}", preset.label),
            Some(_) => format!("an S3-compatible service at {host}"),
            None => format!("an AWS endpoint at {host}"),
        }
    })
}
