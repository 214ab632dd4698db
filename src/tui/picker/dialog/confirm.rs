//! A yes/no question that says what the answer does: making a profile the default
//! (the lines a dry run worked out), deleting one (and who depends on it), moving its
//! secret into the OS keyring or back.

use super::{Action, NO, Outcome, YES};
use crate::tui::keys::Binding;
use crate::tui::picker::Effect;

#[derive(Debug)]
pub struct Confirm {
    pub(crate) title: String,
    pub(crate) lines: Vec<String>,
    /// A line to read before answering (drawn as a warning).
    pub(crate) warning: Option<String>,
    yes: &'static str,
    no: &'static str,
    effect: Option<Effect>,
}

impl Confirm {
    pub(crate) fn make_default(name: &str, lines: Vec<String>) -> Confirm {
        Confirm {
            title: format!("Make `{name}` the default?"),
            lines,
            warning: None,
            yes: "yes",
            no: "no",
            effect: Some(Effect::MakeDefault {
                name: name.to_string(),
            }),
        }
    }

    pub(crate) fn delete(name: &str, dependents: &[String], has_key: bool) -> Confirm {
        let warning = match dependents {
            [] => None,
            [one] => Some(format!(
                "`{one}` takes its keys from it and will stop working."
            )),
            many => Some(format!(
                "{} take their keys from it and will stop working.",
                crate::domain::text::quoted_list(many)
            )),
        };
        let mut lines =
            vec!["Its sections in ~/.aws/config and ~/.aws/credentials are removed.".to_string()];
        if has_key {
            lines.push(
                "Its key stays active in IAM: deactivate it there once nothing uses it."
                    .to_string(),
            );
        }
        Confirm {
            title: format!("Delete `{name}`?"),
            lines,
            warning,
            yes: "delete",
            no: "keep",
            effect: Some(Effect::Delete {
                name: name.to_string(),
            }),
        }
    }

    /// `p` on a profile whose secret is in the credentials file.
    pub(crate) fn protect(name: &str, also_plaintext: &[String]) -> Confirm {
        let warning = match also_plaintext {
            [] => None,
            others => Some(format!(
                "{} hold the same key in plaintext: protect them too (p on each), or the secret stays on disk.",
                crate::domain::text::quoted_list(others)
            )),
        };
        Confirm {
            title: format!("Move the secret of `{name}` into the OS keyring?"),
            lines: vec![
                "The secret goes into the OS keyring (read back to check); the files keep no copy. AWS tools get it by running credwiz (credential_process).".to_string(),
                "Tools that cannot run credwiz (containers, old SDKs) find no keys: p puts them back.".to_string(),
            ],
            warning,
            yes: "move",
            no: "keep",
            effect: Some(Effect::Protect {
                name: name.to_string(),
            }),
        }
    }

    /// `p` on a profile whose secret is in the OS keyring.
    pub(crate) fn unprotect(name: &str) -> Confirm {
        Confirm {
            title: format!("Put the secret of `{name}` back into the credentials file?"),
            lines: vec![
                "The keys go back into ~/.aws/credentials in plaintext, each line as it was before.".to_string(),
                "The keyring entry is deleted unless another profile uses it.".to_string(),
            ],
            warning: None,
            yes: "put back",
            no: "keep",
            effect: Some(Effect::Unprotect {
                name: name.to_string(),
            }),
        }
    }

    /// A repair `credwiz doctor --fix` would make: what it does and the lines it changes
    /// (secret values masked).
    pub(crate) fn repair(fix: Box<crate::store::fix::Fix>) -> Confirm {
        let mut lines = vec![
            fix.description.clone(),
            String::new(),
            crate::tui::wizard::view::tilde(&fix.path),
        ];
        lines.extend(fix.diff_lines('│'));
        Confirm {
            title: "Repair?".into(),
            lines,
            warning: None,
            yes: "repair",
            no: "leave it",
            effect: Some(Effect::ApplyFix { fix }),
        }
    }

    /// The effect a yes would have.
    #[cfg(test)]
    pub(crate) fn effect(&self) -> Option<&Effect> {
        self.effect.as_ref()
    }

    pub(crate) fn bindings(&self) -> Vec<Binding<Action>> {
        vec![
            Binding::new(YES, "y", self.yes, Action::Yes),
            Binding::new(NO, "n", self.no, Action::No),
        ]
    }

    pub(crate) fn on(&mut self, action: Option<Action>) -> Outcome {
        match action {
            Some(Action::Yes) => match self.effect.take() {
                Some(effect) => Outcome::Done(effect),
                None => Outcome::Closed,
            },
            Some(_) => Outcome::Closed,
            None => Outcome::Open,
        }
    }
}
