//! What the key fields say as they are typed, shared by the wizard and the dialogs.
//! `attempted`: Enter was pressed, so an empty field says what it needs.

use super::Verdict;
use crate::domain::account::account_id_from_key_id;
use crate::domain::validate::{self, KeyKind};

pub(crate) fn access_key_id(id: &str, attempted: bool) -> Verdict {
    if id.is_empty() && !attempted {
        return Verdict::Quiet;
    }
    Verdict::of(validate::access_key_id(id), |kind| {
        let what = match kind {
            KeyKind::LongTerm => "a long-term access key, AKIA…".to_string(),
            KeyKind::Temporary => {
                "temporary credentials, ASIA…: a session token comes next".to_string()
            }
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
