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
        let account = match account_id_from_key_id(id) {
            Some(account) => format!("account {account}"),
            None => "account not encoded in this older key".to_string(),
        };
        match kind {
            KeyKind::LongTerm => format!("{} · {account}", kind.describe()),
            KeyKind::Temporary => {
                format!("temporary credentials, ASIA…: a session token comes next · {account}")
            }
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
