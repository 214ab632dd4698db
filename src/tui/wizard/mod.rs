//! The setup wizard: state, and `update` turning messages into new state and effects.
//! No I/O here: the runner (`tui::run`) executes the effects and feeds results back.

pub mod paste;
pub mod view;

use std::collections::HashMap;
use std::path::PathBuf;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::domain::account::account_id_from_key_id;
use crate::domain::import::ImportedKey;
use crate::domain::regions::{self, KnownRegion};
use crate::domain::validate::{self, KeyKind, OUTPUT_FORMATS, trim_pasted};
use crate::store::Preview;
use crate::store::ops::NewProfile;
use crate::tui::widget::secret_field::SecretField;

/// The wizard's screens, in order. `Token` appears only for temporary (`ASIA`) keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Welcome,
    /// CSV import: the path of the IAM console's `.csv`.
    ImportFile,
    /// CSV import of several keys: what was found, then what saving writes.
    ImportPreview,
    Name,
    KeyId,
    Secret,
    Token,
    Region,
    Output,
    Review,
    Done,
}

impl Step {
    pub fn title(self) -> &'static str {
        match self {
            Step::Welcome => "Welcome",
            Step::ImportFile => "Import · .csv file",
            Step::ImportPreview => "Import · Review",
            Step::Name => "Profile name",
            Step::KeyId => "Access key ID",
            Step::Secret => "Secret access key",
            Step::Token => "Session token",
            Step::Region => "Region",
            Step::Output => "Output format",
            Step::Review => "Review",
            Step::Done => "Done",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Popup {
    /// Ctrl+C, or Esc on the first step, with something typed.
    Discard,
    /// The name belongs to an existing profile.
    Overwrite,
    Help,
}

/// What a save wrote, and what the store said about it (a world-readable credentials
/// file, hard links, a file the AWS CLI will still refuse).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub paths: Vec<PathBuf>,
    pub warnings: Vec<String>,
}

pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Previewed(Result<Vec<Preview>, String>),
    Saved(Result<Written, String>),
    /// The `.csv` file was read (keys validated; names may be empty).
    CsvRead(Result<Vec<ImportedKey>, String>),
    /// Tab completed the path field.
    PathCompleted(String),
    /// The optional check of the keys with STS finished.
    Verified(Result<crate::sts::Verified, crate::sts::Failure>),
    /// Time passes while the check runs (the spinner turns).
    Tick,
}

/// The optional "verify before saving" on the Review step.
pub enum Verifying {
    /// Running; the spinner's frame.
    Running(usize),
    Done(Result<crate::sts::Verified, crate::sts::Failure>),
}

/// What saving writes.
pub enum Plan {
    /// One profile; `true` to replace an existing profile's keys.
    Profile(NewProfile, bool),
    /// Several keys from a `.csv`, one profile each.
    Import(Vec<ImportedKey>),
}

/// What the runner must do.
pub enum Effect {
    /// Work out the lines saving would write (for the Review step).
    Preview(Plan),
    Save(Plan),
    ReadCsv(PathBuf),
    CompletePath(String),
    /// Check the keys being set up with STS, in the background.
    Verify(crate::sts::sign::Keys, Option<String>),
    CancelVerify,
    Quit,
}

/// What the wizard knows of the files when it starts: existing profiles and their
/// settings, secrets already masked.
#[derive(Default)]
pub struct Context {
    pub existing: HashMap<String, Vec<(String, String)>>,
}

impl Context {
    fn has_default(&self) -> bool {
        self.existing.contains_key("default")
    }
}

pub struct Wizard {
    pub step: Step,
    context: Context,
    name: Input,
    key_id: Input,
    secret: SecretField,
    token: SecretField,
    region_filter: Input,
    region_selected: usize,
    region: Option<String>,
    output_selected: usize,
    reveal: bool,
    /// Enter was pressed on an invalid field: show its problem even when empty.
    attempted: bool,
    overwrite: bool,
    pub popup: Option<Popup>,
    notice: Option<String>,
    preview: Option<Result<Vec<Preview>, String>>,
    saved: Option<Result<Written, String>>,
    import_path: Input,
    import_error: Option<String>,
    imported: Vec<ImportedKey>,
    verifying: Option<Verifying>,
}

/// The wizard holds secrets: `Debug` shows only where it is.
impl std::fmt::Debug for Wizard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Wizard({:?})", self.step)
    }
}

const DEFAULT_REGION: &str = "us-east-1";

impl Wizard {
    /// Starts at the welcome screen, or at the name step with `name` prefilled.
    pub fn new(context: Context, name: Option<&str>) -> Wizard {
        let mut wizard = Wizard {
            step: if name.is_some() {
                Step::Name
            } else {
                Step::Welcome
            },
            context,
            name: Input::new(name.unwrap_or_default().to_string()),
            key_id: Input::default(),
            secret: SecretField::default(),
            token: SecretField::default(),
            region_filter: Input::default(),
            region_selected: 0,
            region: None,
            output_selected: 0,
            reveal: false,
            attempted: false,
            overwrite: false,
            popup: None,
            notice: None,
            preview: None,
            saved: None,
            import_path: Input::default(),
            import_error: None,
            imported: Vec::new(),
            verifying: None,
        };
        wizard.select_default_region();
        wizard
    }

    /// Starts at the CSV import's path field (`credwiz import` in a terminal).
    pub fn importing(context: Context) -> Wizard {
        Wizard {
            step: Step::ImportFile,
            ..Wizard::new(context, None)
        }
    }

    pub fn verifying(&self) -> Option<&Verifying> {
        self.verifying.as_ref()
    }

    pub fn import_path(&self) -> &Input {
        &self.import_path
    }

    pub fn import_error(&self) -> Option<&str> {
        self.import_error.as_deref()
    }

    pub fn imported(&self) -> &[ImportedKey] {
        &self.imported
    }

    // ----- what the view reads -----

    pub fn name_value(&self) -> &str {
        self.name.value()
    }

    /// The focused plain-text field (name, key ID, region filter or path), if any.
    pub fn focused_input(&self) -> Option<&Input> {
        match self.step {
            Step::ImportFile => Some(&self.import_path),
            Step::Name => Some(&self.name),
            Step::KeyId => Some(&self.key_id),
            Step::Region => Some(&self.region_filter),
            _ => None,
        }
    }

    /// The name the profile will get: typed, else `default` when there is none yet.
    pub fn profile_name(&self) -> Option<String> {
        let typed = trim_pasted(self.name.value());
        match (typed.is_empty(), self.context.has_default()) {
            (false, _) => Some(typed.to_string()),
            (true, false) => Some("default".to_string()),
            (true, true) => None,
        }
    }

    pub fn key_id_value(&self) -> &str {
        self.key_id.value()
    }

    pub fn key_kind(&self) -> Option<KeyKind> {
        validate::access_key_id(trim_pasted(self.key_id.value())).ok()
    }

    pub fn account_id(&self) -> Option<String> {
        account_id_from_key_id(trim_pasted(self.key_id.value()))
    }

    pub fn secret_field(&self) -> &SecretField {
        &self.secret
    }

    pub fn token_field(&self) -> &SecretField {
        &self.token
    }

    pub fn revealed(&self) -> bool {
        self.reveal
    }

    pub fn region_filter(&self) -> &str {
        self.region_filter.value()
    }

    pub fn chosen_region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    pub fn output(&self) -> &'static str {
        OUTPUT_FORMATS[self.output_selected]
    }

    pub fn output_selected(&self) -> usize {
        self.output_selected
    }

    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    pub fn preview(&self) -> Option<&Result<Vec<Preview>, String>> {
        self.preview.as_ref()
    }

    pub fn saved(&self) -> Option<&Result<Written, String>> {
        self.saved.as_ref()
    }

    pub fn overwriting(&self) -> Option<&[(String, String)]> {
        let name = self.profile_name()?;
        self.context.existing.get(&name).map(Vec::as_slice)
    }

    /// The steps of this run, so titles can say "Step 2 of 7".
    pub fn steps(&self) -> Vec<Step> {
        let mut steps = vec![Step::Name, Step::KeyId, Step::Secret];
        if self.key_kind() == Some(KeyKind::Temporary) {
            steps.push(Step::Token);
        }
        steps.extend([Step::Region, Step::Output, Step::Review]);
        steps
    }

    /// (position, total) of the current step, when it is one of the numbered steps.
    pub fn position(&self) -> Option<(usize, usize)> {
        let steps = self.steps();
        let i = steps.iter().position(|s| *s == self.step)?;
        Some((i + 1, steps.len()))
    }

    /// Regions matching the filter (by code or name), in table order.
    pub fn regions(&self) -> Vec<&'static KnownRegion> {
        let filter = self.region_filter.value().trim().to_ascii_lowercase();
        regions::all()
            .iter()
            .filter(|r| {
                filter.is_empty()
                    || r.code.contains(&filter)
                    || r.description.to_ascii_lowercase().contains(&filter)
            })
            .collect()
    }

    pub fn region_selected(&self) -> usize {
        self.region_selected
    }

    /// Why the current field cannot be accepted, in the validation module's words.
    /// `None` for an empty field until Enter was tried.
    pub fn problem(&self) -> Option<String> {
        self.problem_for(self.attempted)
    }

    fn problem_for(&self, attempted: bool) -> Option<String> {
        let err = |r: Result<(), validate::Invalid>| r.err().map(|e| e.0);
        let empty = match self.step {
            Step::Name => false,
            Step::KeyId => self.key_id.value().is_empty(),
            Step::Secret => self.secret.is_empty(),
            Step::Token => self.token.is_empty(),
            Step::Region => false,
            _ => return None,
        };
        if empty && !attempted {
            return None;
        }
        match self.step {
            Step::Name => match self.profile_name() {
                None => Some("enter a name: a `default` profile exists already".to_string()),
                Some(name) => err(validate::profile_name(&name)),
            },
            Step::KeyId => {
                err(validate::access_key_id(trim_pasted(self.key_id.value())).map(|_| ()))
            }
            Step::Secret => err(validate::secret_access_key(trim_pasted(
                self.secret.value(),
            ))),
            Step::Token => err(validate::session_token(
                trim_pasted(self.token.value()),
                KeyKind::Temporary,
            )),
            Step::Region => self.region_choice().err(),
            _ => None,
        }
    }

    fn region_choice(&self) -> Result<String, String> {
        let typed = trim_pasted(self.region_filter.value());
        if let Some(region) = self.regions().get(self.region_selected) {
            return Ok(region.code.to_string());
        }
        validate::region(typed)
            .map(|_| typed.to_string())
            .map_err(|e| e.0)
    }

    fn anything_typed(&self) -> bool {
        !self.name.value().is_empty()
            || !self.key_id.value().is_empty()
            || !self.secret.is_empty()
            || !self.token.is_empty()
            || !self.region_filter.value().is_empty()
            || !self.import_path.value().is_empty()
    }

    fn select_default_region(&mut self) {
        self.region_selected = self
            .regions()
            .iter()
            .position(|r| r.code == DEFAULT_REGION)
            .unwrap_or(0);
    }

    pub fn new_profile(&self) -> Option<NewProfile> {
        let kind = self.key_kind()?;
        Some(NewProfile {
            name: self.profile_name()?,
            access_key_id: trim_pasted(self.key_id.value()).to_string(),
            secret: crate::domain::secret::Secret::new(trim_pasted(self.secret.value())),
            token: (kind == KeyKind::Temporary)
                .then(|| crate::domain::secret::Secret::new(trim_pasted(self.token.value()))),
            region: self.region.clone(),
            output: Some(self.output().to_string()),
        })
    }

    // ----- update -----

    pub fn update(&mut self, msg: Msg) -> Option<Effect> {
        match msg {
            Msg::Key(key) => self.on_key(key),
            Msg::Paste(text) => {
                self.on_paste(&text);
                None
            }
            Msg::Previewed(preview) => {
                self.preview = Some(preview);
                None
            }
            Msg::Saved(result) => {
                self.saved = Some(result);
                self.step = Step::Done;
                self.clear_secrets();
                None
            }
            Msg::Tick => {
                if let Some(Verifying::Running(frame)) = &mut self.verifying {
                    *frame += 1;
                }
                None
            }
            Msg::Verified(result) => {
                if matches!(self.verifying, Some(Verifying::Running(_))) {
                    self.verifying = Some(Verifying::Done(result));
                }
                None
            }
            Msg::PathCompleted(path) => {
                self.import_path = Input::new(path);
                None
            }
            Msg::CsvRead(result) => self.on_csv(result),
        }
    }

    fn on_csv(&mut self, result: Result<Vec<ImportedKey>, String>) -> Option<Effect> {
        let keys = match result {
            Ok(keys) => keys,
            Err(error) => {
                self.import_error = Some(error);
                return None;
            }
        };
        if let [key] = keys.as_slice() {
            if !key.profile.is_empty() {
                self.name = Input::new(key.profile.clone());
            }
            self.key_id = Input::new(key.access_key_id.clone());
            self.secret.set(key.secret.expose());
            self.notice = Some(format!(
                "Found one key in the file ({}); name the profile and go on",
                crate::domain::mask::mask_key_id(&key.access_key_id)
            ));
            self.step = Step::Name;
            return None;
        }
        if let Some(unnamed) = keys.iter().find(|k| k.profile.is_empty()) {
            self.import_error = Some(format!(
                "line {} has no user name; import its key on its own: credwiz import FILE --profile NAME",
                unnamed.line
            ));
            return None;
        }
        self.imported = keys;
        self.step = Step::ImportPreview;
        self.preview = None;
        Some(Effect::Preview(Plan::Import(self.imported.clone())))
    }

    fn on_key(&mut self, key: KeyEvent) -> Option<Effect> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if let Some(popup) = self.popup {
            return self.on_popup_key(popup, key);
        }
        if ctrl && key.code == KeyCode::Char('c') {
            return self.ask_to_quit();
        }
        if matches!(self.verifying, Some(Verifying::Running(_))) && key.code == KeyCode::Esc {
            self.verifying = None;
            return Some(Effect::CancelVerify);
        }
        if self.step == Step::Review && key.code == KeyCode::Char('v') {
            return self.verify();
        }
        if key.code == KeyCode::Char('?') && self.step != Step::Done {
            self.popup = Some(Popup::Help);
            return None;
        }
        self.notice = None;
        match self.step {
            Step::Welcome => self.on_welcome_key(key),
            Step::ImportFile | Step::ImportPreview => self.on_import_key(key),
            Step::Done => matches!(key.code, KeyCode::Enter | KeyCode::Esc | KeyCode::Char('q'))
                .then_some(Effect::Quit),
            _ if key.code == KeyCode::Esc => self.back(),
            _ if key.code == KeyCode::Enter => self.next(),
            Step::Secret | Step::Token if ctrl && key.code == KeyCode::Char('r') => {
                self.reveal = !self.reveal;
                None
            }
            _ => {
                self.edit(key);
                None
            }
        }
    }

    /// Review: check the keys with STS before saving (optional; saving works offline).
    fn verify(&mut self) -> Option<Effect> {
        if matches!(self.verifying, Some(Verifying::Running(_))) {
            return None;
        }
        let profile = self.new_profile()?;
        let keys = crate::sts::sign::Keys {
            access_key_id: profile.access_key_id.clone(),
            secret: profile.secret.clone(),
            token: profile.token.clone(),
        };
        self.verifying = Some(Verifying::Running(0));
        Some(Effect::Verify(keys, profile.region.clone()))
    }

    fn on_popup_key(&mut self, popup: Popup, key: KeyEvent) -> Option<Effect> {
        let yes = matches!(key.code, KeyCode::Char('y' | 'Y'));
        self.popup = None;
        match popup {
            Popup::Discard if yes => Some(Effect::Quit),
            Popup::Overwrite if yes => {
                self.overwrite = true;
                self.next()
            }
            _ => None,
        }
    }

    fn ask_to_quit(&mut self) -> Option<Effect> {
        if self.anything_typed() && self.step != Step::Done {
            self.popup = Some(Popup::Discard);
            None
        } else {
            Some(Effect::Quit)
        }
    }

    fn on_welcome_key(&mut self, key: KeyEvent) -> Option<Effect> {
        match key.code {
            KeyCode::Enter => self.step = Step::Name,
            KeyCode::Char('i') => self.step = Step::ImportFile,
            KeyCode::Esc | KeyCode::Char('q') => return Some(Effect::Quit),
            _ => {}
        }
        None
    }

    fn on_import_key(&mut self, key: KeyEvent) -> Option<Effect> {
        match (self.step, key.code) {
            (Step::ImportFile, KeyCode::Esc) | (Step::ImportPreview, KeyCode::Esc) => {
                self.step = if self.step == Step::ImportPreview {
                    Step::ImportFile
                } else {
                    Step::Welcome
                };
                None
            }
            (Step::ImportFile, KeyCode::Tab) => {
                Some(Effect::CompletePath(self.import_path.value().to_string()))
            }
            (Step::ImportFile, KeyCode::Enter) => {
                let path = self.import_path.value().trim();
                if path.is_empty() {
                    self.import_error =
                        Some("type the path of the .csv file (Tab completes)".into());
                    return None;
                }
                Some(Effect::ReadCsv(PathBuf::from(path)))
            }
            (Step::ImportFile, _) => {
                self.import_error = None;
                self.import_path
                    .handle_event(&ratatui::crossterm::event::Event::Key(key));
                None
            }
            (Step::ImportPreview, KeyCode::Enter) if matches!(self.preview, Some(Ok(_))) => {
                Some(Effect::Save(Plan::Import(self.imported.clone())))
            }
            _ => None,
        }
    }

    fn edit(&mut self, key: KeyEvent) {
        let event = ratatui::crossterm::event::Event::Key(key);
        self.attempted = false;
        match self.step {
            Step::Name => {
                self.name.handle_event(&event);
                self.overwrite = false;
            }
            Step::KeyId => {
                self.key_id.handle_event(&event);
            }
            Step::Secret => {
                self.secret.handle(key);
            }
            Step::Token => {
                self.token.handle(key);
            }
            Step::Region => self.edit_region(key, &event),
            Step::Output => self.move_output(key.code),
            _ => {}
        }
    }

    fn edit_region(&mut self, key: KeyEvent, event: &ratatui::crossterm::event::Event) {
        let count = self.regions().len();
        match key.code {
            KeyCode::Up => self.region_selected = self.region_selected.saturating_sub(1),
            KeyCode::Down if count > 0 => {
                self.region_selected = (self.region_selected + 1).min(count - 1)
            }
            _ => {
                if self
                    .region_filter
                    .handle_event(event)
                    .is_some_and(|c| c.value)
                {
                    if self.region_filter.value().is_empty() {
                        self.select_default_region();
                    } else {
                        self.region_selected = 0;
                    }
                }
            }
        }
    }

    fn move_output(&mut self, code: KeyCode) {
        match code {
            KeyCode::Up => self.output_selected = self.output_selected.saturating_sub(1),
            KeyCode::Down => {
                self.output_selected = (self.output_selected + 1).min(OUTPUT_FORMATS.len() - 1)
            }
            _ => {}
        }
    }

    fn neighbour(&self, offset: isize) -> Option<Step> {
        let steps = self.steps();
        let i = steps.iter().position(|s| *s == self.step)? as isize + offset;
        usize::try_from(i).ok().and_then(|i| steps.get(i).copied())
    }

    fn back(&mut self) -> Option<Effect> {
        self.verifying = None;
        self.attempted = false;
        self.reveal = false;
        match self.neighbour(-1) {
            Some(step) => self.step = step,
            None if self.anything_typed() => self.popup = Some(Popup::Discard),
            None => self.step = Step::Welcome,
        }
        None
    }

    fn next(&mut self) -> Option<Effect> {
        if self.step == Step::Review {
            let profile = self.new_profile()?;
            return Some(Effect::Save(Plan::Profile(profile, self.overwrite)));
        }
        if self.problem_for(true).is_some() {
            self.attempted = true;
            return None;
        }
        if self.step == Step::Name && self.overwriting().is_some() && !self.overwrite {
            self.popup = Some(Popup::Overwrite);
            return None;
        }
        if self.step == Step::Region {
            self.region = self.region_choice().ok();
        }
        self.attempted = false;
        self.reveal = false;
        self.step = self.neighbour(1)?;
        if self.step == Step::Review {
            self.preview = None;
            let profile = self.new_profile()?;
            return Some(Effect::Preview(Plan::Profile(profile, self.overwrite)));
        }
        None
    }

    fn on_paste(&mut self, text: &str) {
        self.attempted = false;
        if let Some(pasted) = paste::recognise(text) {
            let filled = pasted.filled();
            if let Some(name) = pasted.name {
                self.name = Input::new(name);
            }
            if let Some(id) = pasted.key_id {
                self.key_id = Input::new(id);
            }
            if let Some(secret) = pasted.secret {
                self.secret.set(secret.expose());
            }
            if let Some(token) = pasted.token {
                self.token.set(token.expose());
            }
            if let Some(region) = pasted.region {
                self.region_filter = Input::new(region);
                self.region_selected = 0;
            }
            if let Some(output) = pasted.output
                && let Some(i) = OUTPUT_FORMATS.iter().position(|f| *f == output)
            {
                self.output_selected = i;
            }
            self.notice = Some(format!("Pasted: filled {}", filled.join(", ")));
            return;
        }
        let cleaned: String = text.chars().filter(|c| !c.is_control()).collect();
        let value = trim_pasted(&cleaned);
        match self.step {
            Step::Name => self.name = Input::new(format!("{}{value}", self.name.value())),
            Step::KeyId => self.key_id = Input::new(format!("{}{value}", self.key_id.value())),
            Step::Secret => self.secret.insert_str(value),
            Step::Token => self.token.insert_str(value),
            Step::Region => {
                self.region_filter = Input::new(format!("{}{value}", self.region_filter.value()));
                self.region_selected = 0;
            }
            Step::ImportFile => {
                self.import_path = Input::new(format!("{}{value}", self.import_path.value()))
            }
            _ => {}
        }
    }

    fn clear_secrets(&mut self) {
        self.secret.clear();
        self.token.clear();
        self.imported.clear();
    }
}

#[cfg(test)]
mod tests;
