//! The setup wizard: state, and `update` turning messages into new state and effects.
//! No I/O here: the runner (`tui::runner`) executes the effects and feeds results back.
//! Each step is one of the shared form fields (`tui::form`); each step's keys are one
//! table (`bindings`) that key handling, the footer and the help all read.
//!
//! After the name, the wizard asks what the keys are for: AWS, or another S3-compatible
//! service or a local emulator. For a service, a preset (`domain::service::PRESETS`)
//! fills what it can (endpoint, region, an emulator's keys) and the keys and the region
//! follow the service's rules rather than AWS's; the profile is saved with its
//! `endpoint_url`.
//!
//! The Review offers where the secret is kept: the credentials file (the default) or
//! the OS keyring, offered once the runner's probe (`Effect::ProbeKeyring`, asked when the
//! Review is first shown) finds one; the keyring is saved through `crate::protect::add`.

pub mod view;

use std::collections::HashMap;
use std::path::PathBuf;

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::domain::account::account_id_from_key_id;
use crate::domain::import::ImportedKey;
use crate::domain::keyring::SecretIn;
use crate::domain::service::{self, PRESETS, Preset};
use crate::domain::validate::{self, KeyKind};
use crate::store::Preview;
use crate::store::ops::NewProfile;
use crate::tui::form::{self, ChoiceField, RegionField, SecretInput, TextField, Verdict, checks};
use crate::tui::keys::{self, Binding, Chord, Shown};

/// The wizard's screens, in order. `Token` appears only for temporary (`ASIA`) keys;
/// `Preset` and `Endpoint` only for another service than AWS (which has no `Token`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Welcome,
    /// CSV import: the path of the IAM console's `.csv`.
    ImportFile,
    /// CSV import of several keys: what was found, then what saving writes.
    ImportPreview,
    Name,
    /// What the keys are for: AWS, or another S3-compatible service.
    Service,
    /// Which service: one of the presets.
    Preset,
    /// The service's endpoint URL.
    Endpoint,
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
            Step::Service => "What the keys are for",
            Step::Preset => "Which service",
            Step::Endpoint => "Endpoint URL",
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
    PathCompleted(crate::tui::path_completion::Completion),
    /// The optional check of the keys with STS finished.
    Verified(Result<crate::sts::Verified, crate::sts::Failure>),
    /// Whether an OS keyring answered; why not, in a few words.
    KeyringProbed(Result<(), String>),
    /// Time passes while the check runs (the spinner turns).
    Tick,
}

/// The optional "verify before saving" on the Review step.
pub enum Verifying {
    /// Running; the spinner's frame.
    Running(usize),
    Done(Result<crate::sts::Verified, crate::sts::Failure>),
}

/// What credwiz knows of the OS keyring, for the Review's choice of where the secret
/// is kept. Asked once, when the Review is first shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyringProbe {
    NotAsked,
    Asking,
    Available,
    /// Why not, in a few words.
    Unavailable(String),
}

/// Said when the keyring is chosen where there is none (the Review says why).
const NO_KEYRING: &str = "No OS keyring here: the secret stays in the credentials file";

/// What saving writes.
pub enum Plan {
    /// One profile; `overwrite` to replace an existing profile's keys; its secret kept
    /// in `secret_in`.
    Profile {
        profile: NewProfile,
        overwrite: bool,
        secret_in: SecretIn,
    },
    /// Several keys from a `.csv`, one profile each, their secrets kept in `secret_in`.
    Import {
        keys: Vec<ImportedKey>,
        secret_in: SecretIn,
    },
}

/// What the runner must do.
pub enum Effect {
    /// Work out the lines saving would write (for the Review step).
    Preview(Plan),
    Save(Plan),
    ReadCsv(PathBuf),
    CompletePath(String),
    /// Check the keys being set up in the background: with STS (at `region`'s endpoint),
    /// or at another service's `endpoint_url`.
    Verify {
        keys: crate::sts::sign::Keys,
        region: Option<String>,
        endpoint_url: Option<String>,
    },
    CancelVerify,
    /// Find out whether an OS keyring answers (in the background: a D-Bus call).
    ProbeKeyring,
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
    name: TextField,
    /// AWS, or another service ([`service_choices`]).
    service: ChoiceField,
    /// Which service ([`preset_choices`]), when not AWS.
    preset: ChoiceField,
    /// The preset whose values were filled in last (on leaving the preset step).
    applied: Option<&'static Preset>,
    endpoint: TextField,
    /// The region the endpoint was filled in for, so a new region can follow into it.
    endpoint_region: String,
    /// A service's region: free-form (`auto`, `nyc3`), no AWS list.
    service_region: TextField,
    key_id: TextField,
    secret: SecretInput,
    token: SecretInput,
    region: RegionField,
    /// The region chosen when the Region step was left.
    chosen_region: Option<String>,
    output: ChoiceField,
    /// Enter was pressed on an invalid field: show its problem even when empty.
    attempted: bool,
    overwrite: bool,
    pub popup: Option<Popup>,
    notice: Option<String>,
    preview: Option<Result<Vec<Preview>, String>>,
    saved: Option<Result<Written, String>>,
    import_path: TextField,
    import_error: Option<String>,
    imported: Vec<ImportedKey>,
    verifying: Option<Verifying>,
    /// The profiles the save wrote (one, or each key of an import).
    saved_names: Vec<String>,
    /// Opened from the list of profiles (`a`), which quitting goes back to.
    from_list: bool,
    /// Where the secret is kept (chosen on the Review).
    secret_in: SecretIn,
    keyring: KeyringProbe,
}

/// The wizard holds secrets: `Debug` shows only where it is.
impl std::fmt::Debug for Wizard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Wizard({:?})", self.step)
    }
}

/// What a key does in the wizard (see [`Wizard::bindings`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Start,
    Import,
    Next,
    Back,
    Reveal,
    Up,
    Down,
    Verify,
    CancelVerify,
    Complete,
    Help,
    /// Ctrl+C: quit, asking first if anything was typed.
    AskQuit,
    Quit,
    /// In a popup: yes / no.
    Yes,
    No,
}

/// The value of the service choice for AWS.
const AWS: &str = "AWS";
/// The value of the service choice for another service.
const OTHER_SERVICE: &str = "another";

/// What the keys are for.
pub(crate) fn service_choices() -> Vec<form::ChoiceItem> {
    [
        (AWS, "Amazon Web Services: keys from the IAM console"),
        (
            OTHER_SERVICE,
            "an S3-compatible service or emulator: LocalStack, MinIO, R2, B2, …",
        ),
    ]
    .into_iter()
    .map(|(value, note)| form::ChoiceItem {
        value: Some(value.to_string()),
        note: note.to_string(),
    })
    .collect()
}

/// The services credwiz has presets for, in `PRESETS`' order.
pub(crate) fn preset_choices() -> Vec<form::ChoiceItem> {
    PRESETS
        .iter()
        .map(|preset| form::ChoiceItem {
            value: Some(preset.name.to_string()),
            note: if preset.label == preset.name {
                preset.about.to_string()
            } else {
                format!("{} · {}", preset.label, preset.about)
            },
        })
        .collect()
}

/// The output formats the wizard offers, and what people should know of each.
pub(crate) fn output_choices() -> Vec<form::ChoiceItem> {
    [
        ("json", "JSON (the default)"),
        ("yaml", "YAML · AWS CLI v2 only (v1 fails on every command)"),
        ("yaml-stream", "YAML, streamed · AWS CLI v2 only"),
        ("text", "tab-separated text"),
        ("table", "an ASCII table"),
    ]
    .into_iter()
    .map(|(value, note)| form::ChoiceItem {
        value: Some(value.to_string()),
        note: note.to_string(),
    })
    .collect()
}

const CHAR_I: &[Chord] = &[Chord::Plain(KeyCode::Char('i'))];
const CHAR_V: &[Chord] = &[Chord::Plain(KeyCode::Char('v'))];
const QUIT_KEYS: &[Chord] = &[Chord::Plain(KeyCode::Char('q')), Chord::Plain(KeyCode::Esc)];
const DONE_KEYS: &[Chord] = &[
    Chord::Plain(KeyCode::Enter),
    Chord::Plain(KeyCode::Esc),
    Chord::Plain(KeyCode::Char('q')),
];
const YES: &[Chord] = &[
    Chord::Plain(KeyCode::Char('y')),
    Chord::Plain(KeyCode::Char('Y')),
];
const NO: &[Chord] = &[
    Chord::Plain(KeyCode::Char('n')),
    Chord::Plain(KeyCode::Char('N')),
    Chord::Plain(KeyCode::Esc),
];

impl Wizard {
    /// Starts at the welcome screen, or at the name step with `name` prefilled.
    pub fn new(context: Context, name: Option<&str>) -> Wizard {
        Wizard {
            step: if name.is_some() {
                Step::Name
            } else {
                Step::Welcome
            },
            context,
            name: TextField::new(name.unwrap_or_default()),
            service: ChoiceField::new(service_choices(), Some(AWS)),
            preset: ChoiceField::new(preset_choices(), None),
            applied: None,
            endpoint: TextField::default(),
            endpoint_region: String::new(),
            service_region: TextField::default(),
            key_id: TextField::default(),
            secret: SecretInput::default(),
            token: SecretInput::default(),
            region: RegionField::required(),
            chosen_region: None,
            output: ChoiceField::new(output_choices(), None),
            attempted: false,
            overwrite: false,
            popup: None,
            notice: None,
            preview: None,
            saved: None,
            import_path: TextField::default(),
            import_error: None,
            imported: Vec::new(),
            verifying: None,
            saved_names: Vec::new(),
            from_list: false,
            secret_in: SecretIn::File,
            keyring: KeyringProbe::NotAsked,
        }
    }

    /// Opened with `a` from the list of profiles: starts at the name, and quitting goes
    /// back to the list (and says so).
    pub fn from_list(context: Context) -> Wizard {
        Wizard {
            from_list: true,
            ..Wizard::new(context, Some(""))
        }
    }

    /// Whether quitting goes back to the list of profiles.
    pub(crate) fn returns_to_list(&self) -> bool {
        self.from_list
    }

    /// Starts at the CSV import's path field (`credwiz import` in a terminal).
    pub fn importing(context: Context) -> Wizard {
        Wizard {
            step: Step::ImportFile,
            ..Wizard::new(context, None)
        }
    }

    // ----- what the view reads -----

    pub fn verifying(&self) -> Option<&Verifying> {
        self.verifying.as_ref()
    }

    pub(crate) fn import_path(&self) -> &TextField {
        &self.import_path
    }

    pub fn import_error(&self) -> Option<&str> {
        self.import_error.as_deref()
    }

    pub fn imported(&self) -> &[ImportedKey] {
        &self.imported
    }

    pub(crate) fn name_field(&self) -> &TextField {
        &self.name
    }

    pub fn name_value(&self) -> &str {
        self.name.value()
    }

    pub(crate) fn service_field(&self) -> &ChoiceField {
        &self.service
    }

    pub(crate) fn preset_field(&self) -> &ChoiceField {
        &self.preset
    }

    pub(crate) fn endpoint_field(&self) -> &TextField {
        &self.endpoint
    }

    pub(crate) fn service_region_field(&self) -> &TextField {
        &self.service_region
    }

    /// The service the keys are for, when not AWS: the preset chosen (or highlighted).
    pub fn preset(&self) -> Option<&'static Preset> {
        if self.service.selected().value.as_deref() != Some(OTHER_SERVICE) {
            return None;
        }
        let name = self.preset.selected().value.as_deref()?;
        Preset::find(name)
    }

    pub fn endpoint_value(&self) -> &str {
        self.endpoint.value()
    }

    pub(crate) fn key_id_field(&self) -> &TextField {
        &self.key_id
    }

    pub fn key_id_value(&self) -> &str {
        self.key_id.value()
    }

    pub(crate) fn secret_field(&self) -> &SecretInput {
        &self.secret
    }

    pub(crate) fn token_field(&self) -> &SecretInput {
        &self.token
    }

    pub(crate) fn region_field(&self) -> &RegionField {
        &self.region
    }

    pub(crate) fn output_field(&self) -> &ChoiceField {
        &self.output
    }

    /// Whether the secret on screen is shown in clear.
    pub fn revealed(&self) -> bool {
        self.secret.revealed() || self.token.revealed()
    }

    /// The name the profile will get: typed, else `default` when there is none yet.
    pub fn profile_name(&self) -> Option<String> {
        let typed = self.name.trimmed();
        match (typed.is_empty(), self.context.has_default()) {
            (false, _) => Some(typed.to_string()),
            (true, false) => Some("default".to_string()),
            (true, true) => None,
        }
    }

    /// The profiles the save wrote.
    pub fn saved_names(&self) -> &[String] {
        &self.saved_names
    }

    /// After a save: whether the files still have no `default` profile, so the AWS CLI
    /// finds no credentials without `--profile`.
    pub(crate) fn left_no_default(&self) -> bool {
        !self.context.has_default() && !self.saved_names.iter().any(|n| n == "default")
    }

    /// The kind of AWS key typed; `None` for another service's keys.
    pub fn key_kind(&self) -> Option<KeyKind> {
        if self.preset().is_some() {
            return None;
        }
        validate::access_key_id(self.key_id.trimmed()).ok()
    }

    /// The AWS account the key ID names; never for another service's keys.
    pub fn account_id(&self) -> Option<String> {
        if self.preset().is_some() {
            return None;
        }
        account_id_from_key_id(self.key_id.trimmed())
    }

    pub fn chosen_region(&self) -> Option<&str> {
        self.chosen_region.as_deref()
    }

    pub fn output(&self) -> String {
        self.output.selected().value.clone().unwrap_or_default()
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

    pub fn secret_in(&self) -> SecretIn {
        self.secret_in
    }

    pub fn keyring(&self) -> &KeyringProbe {
        &self.keyring
    }

    pub fn overwriting(&self) -> Option<&[(String, String)]> {
        let name = self.profile_name()?;
        self.context.existing.get(&name).map(Vec::as_slice)
    }

    /// The steps of this run, so titles can say "Step 2 of 7".
    pub fn steps(&self) -> Vec<Step> {
        let mut steps = vec![Step::Name, Step::Service];
        if self.preset().is_some() {
            steps.extend([Step::Preset, Step::Endpoint, Step::KeyId, Step::Secret]);
        } else {
            steps.extend([Step::KeyId, Step::Secret]);
            if self.key_kind() == Some(KeyKind::Temporary) {
                steps.push(Step::Token);
            }
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

    /// What the current step's field says about its value.
    pub(crate) fn verdict(&self) -> Verdict {
        self.verdict_with(self.attempted)
    }

    fn verdict_with(&self, attempted: bool) -> Verdict {
        let preset = self.preset();
        match (self.step, preset) {
            (Step::Name, _) => self.name_verdict(attempted),
            (Step::Endpoint, _) => self.endpoint_verdict(attempted),
            (Step::KeyId, Some(preset)) => {
                checks::service_key_id(self.key_id.trimmed(), preset, attempted)
            }
            (Step::KeyId, None) => checks::access_key_id(self.key_id.trimmed(), attempted),
            (Step::Secret, Some(preset)) => {
                checks::service_secret(self.secret.secret().expose(), preset, attempted)
            }
            (Step::Secret, None) => {
                checks::secret_access_key(self.secret.secret().expose(), attempted)
            }
            (Step::Token, _) => checks::session_token(self.token.secret().expose(), attempted),
            (Step::Region, Some(_)) => self.service_region_verdict(attempted),
            (Step::Region, None) => self.region.verdict(),
            (Step::ImportFile, _) => match &self.import_error {
                Some(error) => Verdict::Bad(error.clone()),
                None => Verdict::Quiet,
            },
            _ => Verdict::Quiet,
        }
    }

    /// The endpoint's verdict; the bare `https://` the "other" preset starts with is
    /// an empty field.
    fn endpoint_verdict(&self, attempted: bool) -> Verdict {
        let url = self.endpoint.trimmed();
        if url.eq_ignore_ascii_case("https://") {
            return match attempted {
                false => Verdict::Quiet,
                true => Verdict::Bad(
                    "type the service's endpoint URL, for example https://s3.example.com".into(),
                ),
            };
        }
        checks::endpoint_url(url, attempted)
    }

    fn service_region_verdict(&self, attempted: bool) -> Verdict {
        let region = self.service_region.trimmed();
        if region.is_empty() && !attempted {
            return Verdict::Quiet;
        }
        Verdict::of(service::service_region(region), |()| {
            format!("requests are signed for region `{region}`")
        })
    }

    fn name_verdict(&self, attempted: bool) -> Verdict {
        match self.profile_name() {
            None if !attempted => Verdict::Caution(
                "`default` exists already: type a name for this profile, e.g. work".to_string(),
            ),
            None => Verdict::Bad("type a name: a `default` profile exists already".to_string()),
            Some(name) => match validate::profile_name(&name) {
                Err(problem) => Verdict::Bad(problem.0),
                Ok(()) if self.overwriting().is_some() => Verdict::Caution(format!(
                    "`{name}` exists: you will be asked before its keys are replaced"
                )),
                Ok(()) => Verdict::Good(format!("will be saved as profile `{name}`")),
            },
        }
    }

    /// Why the current field cannot be accepted; `None` for an empty field until Enter
    /// was tried.
    pub fn problem(&self) -> Option<String> {
        match self.verdict() {
            Verdict::Bad(problem) if self.step != Step::ImportFile => Some(problem),
            _ => None,
        }
    }

    fn anything_typed(&self) -> bool {
        !self.name.is_empty()
            || !self.key_id.is_empty()
            || !self.secret.is_empty()
            || !self.token.is_empty()
            || !self.region.filter().is_empty()
            || !self.import_path.is_empty()
            || self.applied.is_some()
    }

    pub fn new_profile(&self) -> Option<NewProfile> {
        if self.preset().is_some() {
            return self.new_service_profile();
        }
        let kind = self.key_kind()?;
        Some(NewProfile {
            name: self.profile_name()?,
            access_key_id: self.key_id.trimmed().to_string(),
            secret: self.secret.secret(),
            token: (kind == KeyKind::Temporary).then(|| self.token.secret()),
            region: self.chosen_region.clone(),
            output: Some(self.output()),
            endpoint_url: None,
        })
    }

    /// A profile for another service: its keys by the service's rules, its endpoint URL
    /// as `service::endpoint_url` returns it, no session token.
    fn new_service_profile(&self) -> Option<NewProfile> {
        let key_id = self.key_id.trimmed();
        service::service_key("access key ID", key_id).ok()?;
        service::service_key("secret", self.secret.secret().expose()).ok()?;
        let endpoint_url = service::endpoint_url(self.endpoint.trimmed()).ok()?;
        Some(NewProfile {
            name: self.profile_name()?,
            access_key_id: key_id.to_string(),
            secret: self.secret.secret(),
            token: None,
            region: self.chosen_region.clone(),
            output: Some(self.output()),
            endpoint_url: Some(endpoint_url.to_string()),
        })
    }

    // ----- keys -----

    /// The keys of the current step (or the open popup): what each does, for key handling,
    /// the footer and the help alike.
    pub(crate) fn bindings(&self) -> Vec<Binding<Action>> {
        match self.popup {
            Some(popup) => Self::popup_bindings(popup),
            None => self.step_bindings(),
        }
    }

    fn popup_bindings(popup: Popup) -> Vec<Binding<Action>> {
        use Action as A;
        match popup {
            Popup::Discard => vec![
                Binding::new(YES, "y", "discard", A::Yes),
                Binding::new(NO, "n", "keep going", A::No),
            ],
            Popup::Overwrite => vec![
                Binding::new(YES, "y", "replace", A::Yes),
                Binding::new(NO, "n", "choose another name", A::No),
            ],
            Popup::Help => vec![Binding::new(
                keys::ESC,
                "any key",
                "closes this help",
                A::No,
            )],
        }
    }

    fn step_bindings(&self) -> Vec<Binding<Action>> {
        use Action as A;
        let quit = if self.from_list {
            Binding::new(keys::CTRL_C, "Ctrl+C", "cancel", A::AskQuit)
                .explained("back to the list of profiles (asks first if you typed anything)")
        } else {
            Binding::new(keys::CTRL_C, "Ctrl+C", "quit", A::AskQuit)
                .explained("quit (asks first if you typed anything)")
        };
        let help = Binding::new(keys::HELP, "?", "help", A::Help);
        let next = Binding::new(keys::ENTER, "Enter", "next", A::Next)
            .explained("next step (only when the field is valid)");
        let back = Binding::new(keys::ESC, "Esc", "back", A::Back)
            .explained("previous step; your values are kept");
        let choose = || {
            [
                Binding::new(keys::UP, "↑↓", "choose", A::Up),
                Binding::new(keys::DOWN, "↓", "choose", A::Down).shown(Shown::Hidden),
            ]
        };
        let secret_location = || {
            [
                Binding::new(keys::UP, "↑↓", "file/keyring", A::Up)
                    .explained("where the secret is kept: the credentials file or the OS keyring"),
                Binding::new(keys::DOWN, "↓", "file/keyring", A::Down).shown(Shown::Hidden),
            ]
        };
        let mut table = match self.step {
            Step::Welcome => vec![
                Binding::new(keys::ENTER, "Enter", "start", A::Start),
                Binding::new(CHAR_I, "i", "import .csv", A::Import)
                    .explained("import the .csv the IAM console downloads"),
                Binding::new(
                    QUIT_KEYS,
                    "q",
                    if self.from_list {
                        "back to the list"
                    } else {
                        "quit"
                    },
                    A::Quit,
                ),
                quit.shown(Shown::Help),
                help,
            ],
            Step::Name | Step::KeyId | Step::Endpoint => vec![next, back, quit, help],
            // A service's region is typed: there is no list to choose from.
            Step::Region if self.preset().is_some() => vec![next, back, quit, help],
            Step::Secret | Step::Token => {
                let field = if self.step == Step::Secret {
                    &self.secret
                } else {
                    &self.token
                };
                let what = if field.revealed() { "hide" } else { "reveal" };
                vec![
                    next,
                    back,
                    Binding::new(keys::CTRL_R, "Ctrl+R", what, A::Reveal)
                        .explained("show or hide the secret being typed"),
                    quit,
                    help,
                ]
            }
            Step::Service | Step::Preset | Step::Region | Step::Output => {
                let mut table: Vec<_> = choose().into();
                table.extend([next, back, quit, help]);
                table
            }
            Step::Review if matches!(self.verifying, Some(Verifying::Running(_))) => vec![
                Binding::new(keys::ENTER, "Enter", "save", A::Next)
                    .explained("save without waiting for the check"),
                Binding::new(keys::ESC, "Esc", "cancel the check", A::CancelVerify),
                quit,
            ],
            Step::Review => {
                let mut table = vec![Binding::new(keys::ENTER, "Enter", "save", A::Next)];
                table.extend(secret_location());
                table.extend([
                    Binding::new(CHAR_V, "v", "verify first", A::Verify).explained(
                        if self.preset().is_some() {
                            "check the keys with the service (S3 ListBuckets) before saving (optional)"
                        } else {
                            "check the keys with AWS STS before saving (optional)"
                        },
                    ),
                    back,
                    quit,
                    help,
                ]);
                table
            }
            // Once saved, the list of profiles follows; after a failed save, credwiz ends.
            Step::Done => {
                let what = if matches!(self.saved, Some(Ok(_))) {
                    "see your profiles"
                } else {
                    "exit"
                };
                vec![Binding::new(DONE_KEYS, "Enter", what, A::Quit)]
            }
            Step::ImportFile => vec![
                Binding::new(keys::TAB, "Tab", "complete", A::Complete)
                    .explained("complete the file name"),
                Binding::new(keys::ENTER, "Enter", "read", A::Next).explained("read the file"),
                back,
                quit,
            ],
            Step::ImportPreview => {
                let mut table = vec![];
                if matches!(self.preview, Some(Ok(_))) {
                    table.push(Binding::new(keys::ENTER, "Enter", "import all", A::Next));
                }
                table.extend(secret_location());
                table.extend([back, quit]);
                table
            }
        };
        if self.step == Step::Welcome {
            table.retain(|b| b.action != A::AskQuit || b.shown == Shown::Help);
        }
        table
    }

    /// The help popup's lines: the current step's keys, and what a paste does.
    pub(crate) fn help_lines(&self) -> Vec<String> {
        let mut lines = keys::help(&self.step_bindings());
        lines.extend([
            String::new(),
            "Paste a .csv row, export lines or an INI snippet:".into(),
            "it fills every field it holds.".into(),
        ]);
        lines
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
                self.probe_keyring()
            }
            Msg::KeyringProbed(result) => self.keyring_probed(result),
            Msg::Saved(result) => {
                self.saved_names = match self.step {
                    Step::ImportPreview => {
                        self.imported.iter().map(|k| k.profile.clone()).collect()
                    }
                    _ => self.profile_name().into_iter().collect(),
                };
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
            Msg::PathCompleted(completion) => {
                self.import_path.set(&completion.path);
                self.notice = completion.listing;
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
                self.name.set(&key.profile);
            }
            self.key_id.set(&key.access_key_id);
            self.secret.set(&key.secret);
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
        self.plan().map(Effect::Preview)
    }

    fn on_key(&mut self, key: KeyEvent) -> Option<Effect> {
        if self.popup == Some(Popup::Help) {
            self.popup = None;
            return None;
        }
        match keys::action(&self.bindings(), &key) {
            Some(action) => self.act(action),
            None if self.popup.is_some() => None,
            None => {
                self.notice = None;
                self.edit(key);
                None
            }
        }
    }

    fn act(&mut self, action: Action) -> Option<Effect> {
        use Action as A;
        if self.popup.is_some() {
            let popup = self.popup.take();
            return match (popup, action) {
                (Some(Popup::Discard), A::Yes) => Some(Effect::Quit),
                (Some(Popup::Overwrite), A::Yes) => {
                    self.overwrite = true;
                    self.next()
                }
                _ => None,
            };
        }
        self.notice = None;
        match action {
            A::Start => self.step = Step::Name,
            A::Import => self.step = Step::ImportFile,
            A::Quit => return Some(Effect::Quit),
            A::AskQuit => return self.ask_to_quit(),
            A::Help => self.popup = Some(Popup::Help),
            A::Next => return self.next(),
            A::Back => return self.back(),
            A::Reveal => match self.step {
                Step::Secret => self.secret.toggle_reveal(),
                Step::Token => self.token.toggle_reveal(),
                _ => {}
            },
            A::Up | A::Down if matches!(self.step, Step::Review | Step::ImportPreview) => {
                return self.choose_secret_location(action == A::Down);
            }
            A::Up | A::Down => self.choose(if action == A::Up { -1 } else { 1 }),
            A::Verify => return self.verify(),
            A::CancelVerify => {
                self.verifying = None;
                return Some(Effect::CancelVerify);
            }
            A::Complete => {
                return Some(Effect::CompletePath(self.import_path.value().to_string()));
            }
            A::Yes | A::No => {}
        }
        None
    }

    /// Review: check the keys with STS before saving (optional; saving works offline).
    fn verify(&mut self) -> Option<Effect> {
        let profile = self.new_profile()?;
        let keys = crate::sts::sign::Keys {
            access_key_id: profile.access_key_id.clone(),
            secret: profile.secret.clone(),
            token: profile.token.clone(),
        };
        self.verifying = Some(Verifying::Running(0));
        Some(Effect::Verify {
            keys,
            region: profile.region,
            endpoint_url: profile.endpoint_url,
        })
    }

    /// The Review (of one profile or of an import) asks once whether an OS keyring is
    /// there, to offer it.
    fn probe_keyring(&mut self) -> Option<Effect> {
        let reviewing = matches!(self.step, Step::Review | Step::ImportPreview);
        if !reviewing || self.keyring != KeyringProbe::NotAsked {
            return None;
        }
        self.keyring = KeyringProbe::Asking;
        Some(Effect::ProbeKeyring)
    }

    /// No keyring after all: a choice of it made meanwhile goes back to the file.
    fn keyring_probed(&mut self, result: Result<(), String>) -> Option<Effect> {
        self.keyring = match result {
            Ok(()) => KeyringProbe::Available,
            Err(why) => KeyringProbe::Unavailable(why),
        };
        if self.secret_in == SecretIn::Keyring && self.no_keyring() {
            self.notice = Some(NO_KEYRING.to_string());
            return self.keep_secret_in(SecretIn::File);
        }
        None
    }

    /// ↑/↓ on the Review: the credentials file (up) or the OS keyring (down).
    fn choose_secret_location(&mut self, keyring: bool) -> Option<Effect> {
        let wanted = match keyring {
            true => SecretIn::Keyring,
            false => SecretIn::File,
        };
        if wanted == SecretIn::Keyring && self.no_keyring() {
            self.notice = Some(NO_KEYRING.to_string());
            return None;
        }
        self.keep_secret_in(wanted)
    }

    fn no_keyring(&self) -> bool {
        matches!(self.keyring, KeyringProbe::Unavailable(_))
    }

    /// Keeps the secret in `location`: the lines saving writes are worked out again.
    fn keep_secret_in(&mut self, location: SecretIn) -> Option<Effect> {
        if self.secret_in == location {
            return None;
        }
        self.secret_in = location;
        self.preview = None;
        self.plan().map(Effect::Preview)
    }

    /// What the wizard saves (the keys of an import, or the one profile), where the
    /// user chose to keep the secrets.
    fn plan(&self) -> Option<Plan> {
        if self.step == Step::ImportPreview {
            return Some(Plan::Import {
                keys: self.imported.clone(),
                secret_in: self.secret_in,
            });
        }
        Some(Plan::Profile {
            profile: self.new_profile()?,
            overwrite: self.overwrite,
            secret_in: self.secret_in,
        })
    }

    fn ask_to_quit(&mut self) -> Option<Effect> {
        if self.anything_typed() && self.step != Step::Done {
            self.popup = Some(Popup::Discard);
            None
        } else {
            Some(Effect::Quit)
        }
    }

    fn choose(&mut self, delta: isize) {
        match self.step {
            Step::Service => self.service.step(delta, false),
            Step::Preset => self.preset.step(delta, false),
            Step::Region => self.region.step(delta),
            Step::Output => self.output.step(delta, false),
            _ => {}
        }
    }

    /// A key no binding takes: typing into the step's field.
    fn edit(&mut self, key: KeyEvent) {
        self.attempted = false;
        match self.step {
            Step::Name if self.name.handle(key) => self.overwrite = false,
            Step::KeyId => _ = self.key_id.handle(key),
            Step::Secret => _ = self.secret.handle(key),
            Step::Token => _ = self.token.handle(key),
            Step::Endpoint => self.edit_endpoint(key),
            Step::Region if self.preset().is_some() => _ = self.service_region.handle(key),
            Step::Region => self.region.handle(key),
            Step::ImportFile if self.import_path.handle(key) => self.import_error = None,
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
        self.secret.hide();
        self.token.hide();
        match self.step {
            Step::ImportFile => self.step = Step::Welcome,
            Step::ImportPreview => self.step = Step::ImportFile,
            _ => match self.neighbour(-1) {
                Some(step) => self.step = step,
                None if self.anything_typed() => self.popup = Some(Popup::Discard),
                None => self.step = Step::Welcome,
            },
        }
        None
    }

    fn next(&mut self) -> Option<Effect> {
        match self.step {
            Step::Review | Step::ImportPreview => return self.plan().map(Effect::Save),
            Step::ImportFile => return self.read_csv(),
            _ => {}
        }
        if self.verdict_with(true).is_bad() {
            self.attempted = true;
            return None;
        }
        if self.step == Step::Name && self.overwriting().is_some() && !self.overwrite {
            self.popup = Some(Popup::Overwrite);
            return None;
        }
        match self.step {
            Step::Service => self.leave_service_choice(),
            Step::Preset => self.apply_preset(),
            Step::Endpoint => self.take_region_from_endpoint(),
            Step::Region => self.choose_region(),
            _ => {}
        }
        self.attempted = false;
        self.secret.hide();
        self.token.hide();
        self.step = self.neighbour(1)?;
        if self.step == Step::Review {
            self.preview = None;
            return self.plan().map(Effect::Preview);
        }
        None
    }

    /// Leaving the service choice for AWS: an emulator's keys filled in go (they are no
    /// AWS keys); what the user typed stays.
    fn leave_service_choice(&mut self) {
        if self.preset().is_some() {
            return;
        }
        if let Some(preset) = self.applied.take() {
            self.drop_preset_keys(preset);
        }
    }

    /// Fills in what the chosen preset knows, when it is not the one filled in already
    /// (so going back and on keeps what was typed): the endpoint and the region, and the
    /// keys of an emulator unless keys were typed.
    fn apply_preset(&mut self) {
        let Some(preset) = self.preset() else {
            return;
        };
        if self.applied == Some(preset) {
            return;
        }
        if let Some(previous) = self.applied {
            self.drop_preset_keys(previous);
        }
        let region = preset.region.unwrap_or_default();
        self.endpoint.set(&preset.endpoint_for(region));
        self.endpoint_region = region.to_string();
        self.service_region.set(region);
        if let Some((key_id, secret)) = preset.keys
            && self.key_id.is_empty()
            && self.secret.is_empty()
        {
            self.key_id.set(key_id);
            self.secret.set(&crate::domain::secret::Secret::new(secret));
        }
        self.applied = Some(preset);
    }

    /// Empties the key fields when they hold `preset`'s own keys.
    fn drop_preset_keys(&mut self, preset: &Preset) {
        if let Some((key_id, secret)) = preset.keys
            && self.key_id.value() == key_id
            && self.secret.secret().expose() == secret
        {
            self.key_id.set("");
            self.secret.clear();
        }
    }

    /// Leaving the endpoint step: an endpoint that names its region (B2's
    /// `s3.us-west-002.backblazeb2.com`) sets the region, so requests are signed for it.
    fn take_region_from_endpoint(&mut self) {
        let Some(preset) = self.preset() else {
            return;
        };
        if let Some(region) = preset.region_of(self.endpoint.trimmed()) {
            self.service_region.set(&region);
            self.endpoint_region = region;
        }
    }

    /// Leaving the region step. For a service whose endpoint names the region (B2,
    /// Wasabi, Spaces), an endpoint still as filled in follows a new region.
    fn choose_region(&mut self) {
        let Some(preset) = self.preset() else {
            self.chosen_region = self.region.choice().ok().flatten();
            return;
        };
        let region = self.service_region.trimmed().to_string();
        if preset.endpoint.contains("{region}")
            && region != self.endpoint_region
            && self.endpoint.trimmed() == preset.endpoint_for(&self.endpoint_region)
        {
            self.endpoint.set(&preset.endpoint_for(&region));
            self.endpoint_region = region.clone();
        }
        self.chosen_region = Some(region);
    }

    /// Typing in the endpoint field: while it holds a placeholder such as
    /// `<account id>`, the first character typed replaces it.
    fn edit_endpoint(&mut self, key: KeyEvent) {
        use ratatui::crossterm::event::KeyModifiers;
        if let KeyCode::Char(c) = key.code
            && !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            && self.replace_placeholder(&c.to_string())
        {
            return;
        }
        self.endpoint.handle(key);
    }

    /// Puts `text` in place of the endpoint's `<…>` placeholder; whether there was one.
    fn replace_placeholder(&mut self, text: &str) -> bool {
        let value = self.endpoint.value();
        let Some(start) = value.find('<') else {
            return false;
        };
        let Some(len) = value[start..].find('>') else {
            return false;
        };
        let replaced = format!("{}{text}{}", &value[..start], &value[start + len + 1..]);
        let cursor = value[..start].chars().count() + text.chars().count();
        self.endpoint.set_with_cursor(&replaced, cursor);
        true
    }

    fn read_csv(&mut self) -> Option<Effect> {
        let path = self.import_path.value().trim();
        if path.is_empty() {
            self.import_error = Some("type the path of the .csv file (Tab completes)".into());
            return None;
        }
        Some(Effect::ReadCsv(PathBuf::from(path)))
    }

    fn on_paste(&mut self, text: &str) {
        self.attempted = false;
        if let Some(pasted) = form::paste::recognise(text) {
            self.fill_from(&pasted);
            return;
        }
        if self.preset().is_some() && self.paste_service_keys(text) {
            return;
        }
        let pasted = match self.step {
            Step::Endpoint => self.paste_endpoint(text),
            Step::Name => self.name.paste(text),
            Step::KeyId => self.key_id.paste(text),
            Step::Secret => {
                self.secret.paste(text);
                true
            }
            Step::Token => {
                self.token.paste(text);
                true
            }
            Step::Region => self.region.paste(text),
            Step::ImportFile => self.import_path.paste(text),
            _ => true,
        };
        if !pasted {
            self.notice = Some(form::SECRET_NOT_PASTED.to_string());
        }
    }

    /// A paste holding several values: into every field of this flow it names. A
    /// service has no session token, and its region is typed rather than chosen.
    fn fill_from(&mut self, pasted: &form::paste::Pasted) {
        let service = self.preset().is_some();
        let mut filled = pasted.fill(form::paste::Targets {
            name: Some(&mut self.name),
            key_id: Some(&mut self.key_id),
            secret: Some(&mut self.secret),
            token: (!service).then_some(&mut self.token),
            region: (!service).then_some(&mut self.region),
            output: Some(&mut self.output),
        });
        if service && let Some(region) = &pasted.region {
            self.service_region.set(region);
            let at = filled.iter().position(|f| *f == "output format");
            filled.insert(at.unwrap_or(filled.len()), "region");
        }
        self.notice = Some(format!("Pasted: filled {}", filled.join(", ")));
    }

    /// A service's `key,secret` row (keys AWS's rules do not recognise, such as
    /// `minioadmin,minioadmin` or R2's hex keys), pasted on the key ID or secret step:
    /// into both fields. Whether the paste was such a row.
    fn paste_service_keys(&mut self, text: &str) -> bool {
        if !matches!(self.step, Step::KeyId | Step::Secret) {
            return false;
        }
        let row = validate::trim_pasted(text.trim());
        let Some((key_id, secret)) = row.split_once(',') else {
            return false;
        };
        let (key_id, secret) = (validate::trim_pasted(key_id), validate::trim_pasted(secret));
        let keys = service::service_key("access key ID", key_id)
            .and_then(|()| service::service_key("secret", secret));
        if keys.is_err() || secret.contains(',') {
            return false;
        }
        self.key_id.set(key_id);
        self.secret.set(&crate::domain::secret::Secret::new(secret));
        self.notice = Some("Pasted: filled access key ID, secret access key".to_string());
        true
    }

    /// A paste on the endpoint step: a whole URL replaces the field; other text goes in
    /// place of a `<…>` placeholder, or at the cursor.
    fn paste_endpoint(&mut self, text: &str) -> bool {
        let clean: String = text.chars().filter(|c| !c.is_control()).collect();
        let clean = validate::trim_pasted(clean.trim());
        let lower = clean.to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") {
            self.endpoint.set(clean);
            return true;
        }
        if form::paste::holds_secret(clean) {
            return false;
        }
        self.replace_placeholder(clean) || self.endpoint.paste(clean)
    }

    fn clear_secrets(&mut self) {
        self.secret.clear();
        self.token.clear();
        self.imported.clear();
    }
}

#[cfg(test)]
mod tests;
