//! The fields every form is made of — the wizard's steps and the picker's dialogs alike:
//! a validated text field, a masked secret, a region chosen from a filtered list, a
//! choice among a few values — and what each says about its value as it is typed
//! ([`Verdict`]). A value the user did not change never blocks saving (a profile's
//! `region = auto` stays as it is).
//! Smart paste ([`paste`]) fills every field of a form a paste holds. Drawing is in
//! [`view`].

pub(crate) mod checks;
pub(crate) mod choice;
pub mod paste;
pub(crate) mod region;
pub(crate) mod secret;
pub(crate) mod text;
pub(crate) mod view;

pub(crate) use choice::{ChoiceField, Item as ChoiceItem};
pub(crate) use region::RegionField;
pub(crate) use secret::SecretInput;
pub(crate) use text::TextField;

/// Said when a paste meant for a field shown in clear holds a secret, and was dropped.
pub(crate) const SECRET_NOT_PASTED: &str = "That paste holds a secret access key, so it was not put in this field (it is shown in clear). Paste the secret in its own field.";

/// What a field says under itself about its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Nothing to say (an empty field before Enter was tried).
    Quiet,
    /// `✓ …`: accepted, and what it was understood as.
    Good(String),
    /// `! …`: accepted, with something to know first.
    Caution(String),
    /// `✗ …`: refused, and why.
    Bad(String),
}

impl Verdict {
    pub(crate) fn is_bad(&self) -> bool {
        matches!(self, Verdict::Bad(_))
    }

    /// From a check: its problem, or `good` when it passes.
    pub(crate) fn of<T>(
        result: Result<T, crate::domain::validate::Invalid>,
        good: impl FnOnce(T) -> String,
    ) -> Verdict {
        match result {
            Ok(value) => Verdict::Good(good(value)),
            Err(problem) => Verdict::Bad(problem.0),
        }
    }
}
