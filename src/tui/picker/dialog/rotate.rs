//! `k`: a new key pair for a profile (and a session token for temporary keys); the
//! profile's other settings stay. Another service's keys (R2, MinIO…) follow that
//! service's rules: any word, the provider's usual shape a hint, no session token. An
//! AWS key that is allowed but doubtful says so (`!`) and still saves. The fields are the
//! wizard's: live checks, a masked
//! secret that Ctrl+R reveals, and smart paste — a pasted `.csv` row or `export` lines
//! fill every field they hold, and the secret never lands in the key ID field.

use ratatui::crossterm::event::KeyEvent;

use super::{Action, Outcome, field_moves, save_and_cancel};
use crate::domain::service::Preset;
use crate::domain::validate::{self, KeyKind};
use crate::tui::form::{self, SecretInput, TextField, Verdict, checks};
use crate::tui::keys::{self, Binding, Shown};
use crate::tui::picker::{Effect, NewKey};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    KeyId,
    Secret,
    Token,
}

#[derive(Debug)]
pub struct Rotate {
    pub(crate) name: String,
    /// The other profiles holding the same key, which get the new one too.
    pub(crate) holders: Vec<String>,
    /// The service other than AWS the profile's keys are for (from its endpoint URL).
    pub(crate) service: Option<&'static Preset>,
    pub(crate) key_id: TextField,
    pub(crate) secret: SecretInput,
    pub(crate) token: SecretInput,
    pub(crate) focus: Field,
    /// Enter was pressed: empty fields say what they need.
    attempted: bool,
    pub(crate) notice: Option<String>,
}

impl Rotate {
    pub(crate) fn new(
        name: &str,
        holders: Vec<String>,
        service: Option<&'static Preset>,
    ) -> Rotate {
        Rotate {
            name: name.to_string(),
            holders,
            service,
            key_id: TextField::default(),
            secret: SecretInput::default(),
            token: SecretInput::default(),
            focus: Field::KeyId,
            attempted: false,
            notice: None,
        }
    }

    /// AWS's temporary (`ASIA`) keys, which need their session token. Other services'
    /// keys have none.
    fn temporary(&self) -> bool {
        self.service.is_none()
            && validate::access_key_id(self.key_id.trimmed()) == Ok(KeyKind::Temporary)
    }

    /// The fields shown: the token only for temporary (`ASIA`) keys.
    pub(crate) fn fields(&self) -> Vec<Field> {
        let mut fields = vec![Field::KeyId, Field::Secret];
        if self.temporary() {
            fields.push(Field::Token);
        }
        fields
    }

    pub(crate) fn verdict_of(&self, field: Field) -> Verdict {
        let attempted = self.attempted;
        let (id, secret) = (self.key_id.trimmed(), self.secret.secret());
        match (field, self.service) {
            (Field::KeyId, Some(preset)) => checks::service_key_id(id, preset, attempted),
            (Field::Secret, Some(preset)) => {
                checks::service_secret(secret.expose(), preset, attempted)
            }
            (Field::KeyId, None) => checks::access_key_id(id, attempted),
            (Field::Secret, None) => checks::secret_access_key(secret.expose(), attempted),
            (Field::Token, _) => checks::session_token(self.token.secret().expose(), attempted),
        }
    }

    pub(crate) fn verdict(&self) -> Verdict {
        self.verdict_of(self.focus)
    }

    pub(crate) fn focused_secret(&self) -> Option<&SecretInput> {
        match self.focus {
            Field::KeyId => None,
            Field::Secret => Some(&self.secret),
            Field::Token => Some(&self.token),
        }
    }

    pub(crate) fn bindings(&self) -> Vec<Binding<Action>> {
        let mut table = field_moves().to_vec();
        table.extend([
            Binding::new(keys::DOWN, "↓", "next field", Action::NextField).shown(Shown::Hidden),
            Binding::new(keys::UP, "↑", "previous", Action::PreviousField).shown(Shown::Hidden),
        ]);
        if let Some(secret) = self.focused_secret() {
            let what = if secret.revealed() { "hide" } else { "reveal" };
            table.push(Binding::new(keys::CTRL_R, "Ctrl+R", what, Action::Reveal));
        }
        table.extend(save_and_cancel("save"));
        table
    }

    pub(crate) fn on(&mut self, action: Option<Action>, key: KeyEvent) -> Outcome {
        match action {
            Some(Action::Cancel) => return Outcome::Closed,
            Some(Action::Save) => return self.save(),
            Some(Action::NextField) => self.move_focus(1),
            Some(Action::PreviousField) => self.move_focus(-1),
            Some(Action::Reveal) => match self.focus {
                Field::Secret => self.secret.toggle_reveal(),
                Field::Token => self.token.toggle_reveal(),
                Field::KeyId => {}
            },
            _ => {
                self.attempted = false;
                self.notice = None;
                _ = match self.focus {
                    Field::KeyId => self.key_id.handle(key),
                    Field::Secret => self.secret.handle(key),
                    Field::Token => self.token.handle(key),
                };
            }
        }
        Outcome::Open
    }

    fn move_focus(&mut self, delta: isize) {
        let fields = self.fields();
        let at = fields.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        self.focus = fields[(at + delta).rem_euclid(fields.len() as isize) as usize];
        self.secret.hide();
        self.token.hide();
    }

    fn save(&mut self) -> Outcome {
        self.attempted = true;
        if let Some(bad) = self
            .fields()
            .into_iter()
            .find(|f| self.verdict_of(*f).is_bad())
        {
            if bad != self.focus {
                self.focus = bad;
                self.secret.hide();
                self.token.hide();
            }
            return Outcome::Open;
        }
        let temporary = self.temporary();
        Outcome::Done(Effect::Rotate {
            name: self.name.clone(),
            service: self.service,
            key: NewKey {
                access_key_id: self.key_id.trimmed().to_string(),
                secret: self.secret.secret(),
                token: temporary.then(|| self.token.secret()),
            },
        })
    }

    pub(crate) fn on_paste(&mut self, text: &str) {
        self.attempted = false;
        if let Some(pasted) = form::paste::recognise(text) {
            let aws = self.service.is_none();
            let filled = pasted.fill(form::paste::Targets {
                key_id: Some(&mut self.key_id),
                secret: Some(&mut self.secret),
                token: aws.then_some(&mut self.token),
                ..Default::default()
            });
            self.notice = Some(if filled.is_empty() {
                "the paste holds no key for this profile".to_string()
            } else {
                format!("Pasted: filled {}", filled.join(", "))
            });
            return;
        }
        match self.focus {
            Field::KeyId if !self.key_id.paste(text) => {
                self.notice = Some(form::SECRET_NOT_PASTED.to_string());
            }
            Field::KeyId => {}
            Field::Secret => self.secret.paste(text),
            Field::Token => self.token.paste(text),
        }
    }
}
