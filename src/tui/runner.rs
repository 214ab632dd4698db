//! The one event loop for every screen. It draws the current screen, reads the next
//! input, hands it to the screen's pure `update`, and executes the effect that returns
//! (store edits, file reads, the background check with STS, the OS keyring through
//! [`Services::keyring`], the clipboard), feeding the outcome back as a message. Moving
//! between screens is a switch of [`Screen`], not a nested loop: the wizard opened from
//! the picker (`a`) parks the picker and brings it back, with fresh data, when it ends.
//! Resize and the "too small" rule are handled here once for all screens.

use std::io;

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind};

use super::clipboard::Clipboard;
use super::job::{Background, Checked, Heard, RotationJob, RotationPlan, VerifyJob};
use super::keys::{self, Chord};
use super::picker::{self, Change, Finished, Picker};
use super::theme::Theme;
use super::wizard::{self, Context, Plan, Wizard};
use super::{Ended, TuiError, path_completion, too_small};
use crate::domain::keyring::SecretIn;
use crate::domain::profile::{ENDPOINT_URL, OUTPUT, REGION};
use crate::keyring::{KeyringError, Opener};
use crate::store::{Store, StoreError, ops, protected};
use crate::sts;

/// What the loop reads: a key, a paste, or a tick while something runs in the background.
#[derive(Debug, Clone)]
pub enum Input {
    Key(KeyEvent),
    Paste(String),
    Tick,
}

/// A terminal event as an input; `None` for events that only need a redraw (a resize).
pub fn input(event: Event) -> Option<Input> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => Some(Input::Key(key)),
        Event::Paste(text) => Some(Input::Paste(text)),
        _ => None,
    }
}

/// The screen in front.
pub enum Screen {
    Wizard(Box<Wizard>),
    Picker(Box<Picker>),
}

/// Every screen of a session, and where it goes next.
pub struct App {
    screen: Screen,
    /// The picker the wizard was opened from, waiting to come back.
    parked: Option<Box<Picker>>,
    /// The check with STS running in the background, and whose it is.
    job: Option<VerifyJob>,
    /// The rotation through IAM running in the background (the picker's dialog narrates).
    rotation: Option<RotationJob>,
    /// `m`'s calls in the background: the user's MFA devices, then the session.
    session_devices: Option<Background<Result<Vec<String>, String>>>,
    session: Option<SessionJob>,
    /// The wizard's question whether an OS keyring answers.
    keyring_probe: Option<Background<Result<(), String>>>,
    clipboard: Clipboard,
}

/// What the runner works with.
pub struct Services<'a> {
    pub store: &'a Store,
    pub env: &'a dyn Fn(&str) -> Option<String>,
    pub theme: &'a Theme,
    /// credwiz's own state file (`crate::state::path()`; tests give their own).
    pub state_file: Option<std::path::PathBuf>,
    /// The OS keyring ([`crate::keyring::Keyring::os`]; tests give their own store).
    pub keyring: Opener,
}

/// What the loop does after an input.
enum Next {
    Stay,
    End(Ended),
}

impl App {
    /// A session that opens on the wizard; after a save the picker follows.
    pub fn wizard(wizard: Wizard) -> App {
        App::on(Screen::Wizard(Box::new(wizard)))
    }

    pub fn picker(picker: Picker) -> App {
        App::on(Screen::Picker(Box::new(picker)))
    }

    fn on(screen: Screen) -> App {
        App {
            screen,
            parked: None,
            job: None,
            rotation: None,
            session_devices: None,
            session: None,
            keyring_probe: None,
            clipboard: Clipboard::default(),
        }
    }

    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    pub fn wizard_screen(&self) -> Option<&Wizard> {
        match &self.screen {
            Screen::Wizard(wizard) => Some(wizard),
            Screen::Picker(_) => None,
        }
    }

    pub fn picker_screen(&self) -> Option<&Picker> {
        match &self.screen {
            Screen::Picker(picker) => Some(picker),
            Screen::Wizard(_) => self.parked.as_deref(),
        }
    }

    fn picker_mut(&mut self) -> Option<&mut Picker> {
        match &mut self.screen {
            Screen::Picker(picker) => Some(picker),
            Screen::Wizard(_) => self.parked.as_deref_mut(),
        }
    }

    fn draw(&self, frame: &mut ratatui::Frame, theme: &Theme) {
        match &self.screen {
            Screen::Wizard(wizard) => wizard::view::render(frame, wizard, theme),
            Screen::Picker(picker) => picker::view::render(frame, picker, theme),
        }
    }

    /// The keys that quit while the frame is too small: the ones its message names.
    fn quit_keys(&self) -> &'static [Chord] {
        const WIZARD: &[Chord] = keys::CTRL_C;
        const PICKER: &[Chord] = &[
            Chord::Ctrl('c'),
            Chord::Plain(ratatui::crossterm::event::KeyCode::Char('q')),
        ];
        match self.screen {
            Screen::Wizard(_) => WIZARD,
            Screen::Picker(_) => PICKER,
        }
    }
}

/// Runs the session to its end: draws, reads inputs from `next` (told whether something
/// runs in the background, so it can tick), executes effects against the store.
/// Generic over the backend so tests drive it with `TestBackend`; `observe` sees every
/// frame drawn.
pub fn drive<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    services: &Services,
    mut next: impl FnMut(bool) -> io::Result<Option<Input>>,
    mut observe: impl FnMut(&Buffer, &App),
) -> Result<Ended, TuiError>
where
    B::Error: std::error::Error + Send + Sync + 'static,
{
    loop {
        if let Some(checked) = app.job.as_ref().and_then(VerifyJob::poll) {
            let job = app.job.take();
            verified(app, services, job.and_then(|j| j.name), checked);
        }
        rotation_news(app, services);
        session_news(app, services);
        keyring_news(app, services)?;
        let frame = terminal
            .draw(|frame| app.draw(frame, services.theme))
            .map_err(io::Error::other)?;
        let small = too_small(frame.area);
        observe(frame.buffer, app);
        if late_findings(app, services) {
            continue;
        }
        let busy = app.job.is_some()
            || app.rotation.is_some()
            || app.session_devices.is_some()
            || app.session.is_some()
            || app.keyring_probe.is_some();
        let input = match next(busy)? {
            Some(Input::Key(key)) if small && keys::pressed(app.quit_keys(), &key) => {
                return Ok(quit_ending(app));
            }
            Some(Input::Key(_) | Input::Paste(_)) if small => continue,
            Some(input) => input,
            None => continue,
        };
        if let Next::End(ended) = step(app, input, services)? {
            return Ok(ended);
        }
    }
}

/// The picker opened on its rows alone ([`picker::data::rows`]) gets doctor's findings
/// once its first frame is drawn; true when it did (the frame is drawn again).
fn late_findings(app: &mut App, services: &Services) -> bool {
    let Screen::Picker(picker) = &mut app.screen else {
        return false;
    };
    if !picker.data.findings_due {
        return false;
    }
    let findings = picker::data::findings_of(services.store, services.env).unwrap_or_default();
    picker.update(picker::Msg::Findings(findings));
    true
}

/// How quitting ends the session from the current screen.
fn quit_ending(app: &App) -> Ended {
    match (&app.screen, app.parked.is_some()) {
        (Screen::Picker(picker), _) if picker.mode == picker::Mode::Pick => Ended::Cancelled,
        (Screen::Picker(_), _) | (Screen::Wizard(_), true) => Ended::Finished,
        (Screen::Wizard(_), false) => Ended::Cancelled,
    }
}

fn step(app: &mut App, input: Input, services: &Services) -> Result<Next, TuiError> {
    match &mut app.screen {
        Screen::Wizard(wizard) => {
            let msg = match input {
                Input::Key(key) => wizard::Msg::Key(key),
                Input::Paste(text) => wizard::Msg::Paste(text),
                Input::Tick => wizard::Msg::Tick,
            };
            let effect = wizard.update(msg);
            wizard_effects(app, effect, services)
        }
        Screen::Picker(picker) => {
            let msg = match input {
                Input::Key(key) => picker::Msg::Key(key),
                Input::Paste(text) => picker::Msg::Paste(text),
                Input::Tick => picker::Msg::Tick,
            };
            match picker.update(msg) {
                Some(effect) => picker_effect(app, effect, services),
                None => Ok(Next::Stay),
            }
        }
    }
}

/// Runs the wizard's effect, and the effects its answers bring, until one brings none.
fn wizard_effects(
    app: &mut App,
    mut effect: Option<wizard::Effect>,
    services: &Services,
) -> Result<Next, TuiError> {
    while let Some(current) = effect.take() {
        let reply = match current {
            wizard::Effect::Quit => return wizard_ended(app, services),
            current => wizard_effect(app, current, services),
        };
        let Screen::Wizard(wizard) = &mut app.screen else {
            break;
        };
        effect = reply.and_then(|msg| wizard.update(msg));
    }
    Ok(Next::Stay)
}

/// The keyring's answer, to the wizard that asked (it may have ended meanwhile).
fn keyring_news(app: &mut App, services: &Services) -> Result<(), TuiError> {
    let Some(answer) = app.keyring_probe.as_ref().and_then(Background::poll) else {
        return Ok(());
    };
    app.keyring_probe = None;
    let Screen::Wizard(wizard) = &mut app.screen else {
        return Ok(());
    };
    let effect = wizard.update(wizard::Msg::KeyringProbed(answer));
    wizard_effects(app, effect, services).map(drop)
}

/// Whether an OS keyring answers. A locked one counts: saving asks to unlock it.
fn probe_keyring(open: Opener) -> Result<(), String> {
    match open() {
        Ok(_) | Err(KeyringError::Locked) => Ok(()),
        Err(e) => Err(e.brief()),
    }
}

/// What the rotation running in the background said since the last look, to the
/// picker; once it ended, with the files and credwiz's state as it left them.
fn rotation_news(app: &mut App, services: &Services) {
    let Some(job) = &app.rotation else { return };
    let news = job.poll();
    for heard in news {
        let ended = matches!(heard, Heard::Ended { .. });
        if ended {
            app.rotation = None;
        }
        let Some(picker) = app.picker_mut() else {
            continue;
        };
        let data = if ended {
            // The rotation wrote the journal, the verification and the retired key.
            picker.state = crate::state::State::load_from(services.state_file.as_deref());
            reload(services)
        } else {
            None
        };
        picker.update(picker::Msg::Rotation { heard, data });
    }
}

/// A session being made for the profile `into`.
struct SessionJob {
    into: String,
    result: Background<Result<Vec<String>, String>>,
}

/// What `m`'s background calls found, to the picker.
fn session_news(app: &mut App, services: &Services) {
    if let Some(result) = app.session_devices.as_ref().and_then(Background::poll) {
        app.session_devices = None;
        if let Some(picker) = app.picker_mut() {
            picker.update(picker::Msg::SessionDevices { result });
        }
    }
    if let Some(result) = app.session.as_ref().and_then(|job| job.result.poll()) {
        let into = app.session.take().map(|job| job.into).unwrap_or_default();
        if let Some(picker) = app.picker_mut() {
            let data = if result.is_ok() {
                // The session was recorded (what renews it) in the state file.
                picker.state = crate::state::State::load_from(services.state_file.as_deref());
                reload(services)
            } else {
                None
            };
            picker.update(picker::Msg::SessionStarted { result, into, data });
        }
    }
}

/// The session `m` would make for `name`; when the profile names no MFA device, its
/// user's devices are looked for in the background.
fn plan_session(
    app: &mut App,
    services: &Services,
    name: &str,
) -> Result<crate::session::Plan, String> {
    let snapshot = services.store.load().map_err(|e| e.to_string())?;
    let parsed = snapshot.parse().map_err(|e| e.to_string())?;
    let state = crate::state::State::load_from(services.state_file.as_deref());
    let plan =
        crate::session::plan(&parsed, &state, name, None).map_err(|s| s.said().to_string())?;
    if plan.serial.is_none() {
        let (client, keys) = crate::session::client_and_keys(&parsed, &plan.source, services.env)
            .map_err(|s| s.said().to_string())?;
        app.session_devices = Some(Background::start(move || {
            crate::session::devices(&client, &keys).map_err(|s| s.said().to_string())
        }));
    }
    Ok(plan)
}

/// Asks STS for the session in the background, and writes it.
fn start_session(
    services: &Services,
    plan: crate::session::Plan,
    serial: String,
    code: String,
    seconds: u32,
    save_serial: bool,
) -> Result<SessionJob, String> {
    let snapshot = services.store.load().map_err(|e| e.to_string())?;
    let parsed = snapshot.parse().map_err(|e| e.to_string())?;
    let (client, keys) = crate::session::client_and_keys(&parsed, &plan.source, services.env)
        .map_err(|s| s.said().to_string())?;
    let locations = &services.store.locations;
    let (config, credentials) = (locations.config.clone(), locations.credentials.clone());
    let state_file = services.state_file.clone();
    let into = plan.into.clone();
    let result = Background::start(move || {
        let store = Store::at(config, credentials);
        let ask = crate::session::Ask {
            serial: &serial,
            code: &code,
            seconds,
            save_serial,
        };
        crate::session::start(&store, &client, &keys, plan, ask, state_file.as_deref())
            .map(|started| started.said())
            .map_err(|s| s.said().to_string())
    });
    Ok(SessionJob { into, result })
}

/// Starts a rotation of `name`'s key through IAM, at the endpoints its settings and the
/// environment give, as `credwiz rotate` does.
fn start_rotation(
    services: &Services,
    name: &str,
    options: crate::rotate::Options,
) -> Result<RotationJob, String> {
    let snapshot = services.store.load().map_err(|e| e.to_string())?;
    let parsed = snapshot.parse().map_err(|e| e.to_string())?;
    let client = sts::target::iam_client_for(&parsed, name, services.env)
        .ok_or_else(|| StoreError::NoSuchProfile(name.to_string()).to_string())?;
    let locations = &services.store.locations;
    Ok(RotationJob::start(RotationPlan {
        name: name.to_string(),
        config: locations.config.clone(),
        credentials: locations.credentials.clone(),
        state_file: services.state_file.clone(),
        client,
        options,
    }))
}

/// A finished check with STS, to the screen that asked for it.
fn verified(app: &mut App, services: &Services, name: Option<String>, checked: Checked) {
    let Checked { result, key } = checked;
    match (&mut app.screen, name) {
        (Screen::Wizard(wizard), None) => {
            wizard.update(wizard::Msg::Verified(result));
        }
        (_, Some(name)) => {
            if let Some(picker) = app.picker_mut() {
                if sts::record(&mut picker.state, &name, &result, key) {
                    picker.state.save_to(services.state_file.as_deref());
                }
                picker.update(picker::Msg::Verified { name, result });
            }
        }
        (Screen::Picker(_), None) => {}
    }
}

/// Runs one of the wizard's effects; the message that answers it.
fn wizard_effect(
    app: &mut App,
    effect: wizard::Effect,
    services: &Services,
) -> Option<wizard::Msg> {
    use wizard::{Effect as E, Msg as M};
    let store = services.store;
    Some(match effect {
        E::Quit => return None,
        E::Preview(plan) => M::Previewed(preview(store, &plan)),
        E::Save(plan) => M::Saved(save_plan(store, services.keyring, &plan)),
        E::ProbeKeyring => {
            let open = services.keyring;
            app.keyring_probe = Some(Background::start(move || probe_keyring(open)));
            return None;
        }
        E::ReadCsv(path) => M::CsvRead(read_csv(&path)),
        E::CancelVerify => {
            app.job = None;
            return None;
        }
        E::Verify {
            keys,
            region,
            endpoint_url,
        } => {
            // The profile being set up, as its settings will read once saved.
            let settings = |key: &str| match key {
                "region" => region.clone(),
                crate::domain::profile::ENDPOINT_URL => endpoint_url.clone(),
                _ => None,
            };
            let endpoint = sts::endpoint::resolve(services.env, &settings, None);
            app.job = Some(VerifyJob::start(None, keys, endpoint, None));
            return None;
        }
        E::CompletePath(typed) => M::PathCompleted(path_completion::complete(
            &typed,
            dirs::home_dir().as_deref(),
        )),
    })
}

/// The wizard ended: back to the picker it was opened from, on to the picker after a
/// first save, or the end of the session.
fn wizard_ended(app: &mut App, services: &Services) -> Result<Next, TuiError> {
    let Screen::Wizard(wizard) = &app.screen else {
        return Ok(Next::Stay);
    };
    let saved = wizard.saved().cloned();
    let names = wizard.saved_names().to_vec();
    app.job = None;
    let Some(mut picker) = app.parked.take() else {
        return match saved {
            Some(Ok(_)) => {
                let highlight = names.first().map(String::as_str);
                let picker = open_picker(services, picker::Mode::Manage, highlight)?;
                app.screen = Screen::Picker(Box::new(picker));
                Ok(Next::Stay)
            }
            Some(Err(error)) => Err(TuiError::NotSaved(error)),
            None => Ok(Next::End(Ended::Cancelled)),
        };
    };
    for name in &names {
        picker.state.used(name);
    }
    if !names.is_empty() {
        picker.state.save_to(services.state_file.as_deref());
    }
    let said = match saved {
        Some(Ok(_)) => Ok(status_with_notices(
            services.store,
            Some(format!(
                "added {}",
                crate::domain::text::quoted_list(&names)
            )),
        )),
        Some(Err(error)) => Err(format!("not saved: {error}")),
        None => Ok("nothing added".to_string()),
    };
    picker.update(picker::Msg::Done(Finished {
        said,
        data: reload(services),
        highlight: names.first().cloned(),
    }));
    app.screen = Screen::Picker(picker);
    Ok(Next::Stay)
}

/// Runs one of the picker's effects, and feeds it the outcome.
fn picker_effect(
    app: &mut App,
    effect: picker::Effect,
    services: &Services,
) -> Result<Next, TuiError> {
    use picker::{Effect as E, Msg as M};
    let store = services.store;
    let Screen::Picker(picker) = &mut app.screen else {
        return Ok(Next::Stay);
    };
    let reply = match effect {
        E::Quit if picker.mode == picker::Mode::Pick => return Ok(Next::End(Ended::Cancelled)),
        E::Quit => return Ok(Next::End(Ended::Finished)),
        E::Choose { name } => {
            picker.state.used(&name);
            picker.state.save_to(services.state_file.as_deref());
            return Ok(Next::End(Ended::Chosen(name)));
        }
        E::Add => {
            let wizard = Wizard::from_list(wizard_context(store)?);
            let picker = std::mem::replace(&mut app.screen, Screen::Wizard(Box::new(wizard)));
            if let Screen::Picker(picker) = picker {
                app.parked = Some(picker);
            }
            return Ok(Next::Stay);
        }
        E::CancelVerify => {
            app.job = None;
            return Ok(Next::Stay);
        }
        E::Verify { name } => match verify_target(services, &name) {
            Ok(Target {
                keys,
                endpoint,
                iam,
            }) => {
                app.job = Some(VerifyJob::start(Some(name), keys, endpoint, iam));
                return Ok(Next::Stay);
            }
            Err(why) => M::Verified {
                name,
                result: Err(sts::Failure::Unchecked(why)),
            },
        },
        E::RotateThroughIam { name, options } => {
            // A verification finishing meanwhile would save the state over the journal.
            app.job = None;
            picker.verifying = None;
            match start_rotation(services, &name, options) {
                Ok(job) => {
                    app.rotation = Some(job);
                    return Ok(Next::Stay);
                }
                Err(why) => M::Rotation {
                    heard: Heard::Ended {
                        result: Err(crate::rotate::Stop::Refused(why)),
                        notices: Vec::new(),
                    },
                    data: None,
                },
            }
        }
        E::PlanSession { name } => {
            let result = plan_session(app, services, &name);
            M::SessionPlanned { result }
        }
        E::StartSession {
            plan,
            serial,
            code,
            seconds,
            save_serial,
        } => {
            // As for a rotation: a verification finishing meanwhile would save the
            // picker's state over the session's record.
            app.job = None;
            picker.verifying = None;
            let into = plan.into.clone();
            match start_session(services, plan, serial, code, seconds, save_serial) {
                Ok(job) => {
                    app.session = Some(job);
                    return Ok(Next::Stay);
                }
                Err(why) => M::SessionStarted {
                    result: Err(why),
                    into,
                    data: None,
                },
            }
        }
        E::AnswerRotation { answer } => {
            if let Some(job) = &app.rotation {
                job.answer(answer);
            }
            return Ok(Next::Stay);
        }
        E::Copy { key_id } => M::Done(Finished::said(app.clipboard.copy(&key_id))),
        E::PlanFix => match store.load() {
            Ok(snapshot) => {
                let plan = crate::store::fix::plan(&snapshot);
                M::FixPlanned {
                    fix: plan.fixes.into_iter().next().map(Box::new),
                    refused: plan.refused.iter().map(ToString::to_string).collect(),
                }
            }
            Err(error) => M::Done(Finished::said(Err(error.to_string()))),
        },
        E::ApplyFix { fix } => {
            let done = crate::store::fix::apply(store, &fix);
            let how = fix.how().map(|h| format!(" ({h})")).unwrap_or_default();
            let more = store
                .load()
                .is_ok_and(|snapshot| !crate::store::fix::plan(&snapshot).fixes.is_empty());
            let next = if more { "; f for the next repair" } else { "" };
            let said = said(
                store,
                done,
                format!("repaired: {}{how}{next}", fix.description),
            );
            M::Done(finished(services, said, None))
        }
        E::PlanDefault { name } => {
            let plan = store.dry_run(|editor| ops::make_default(editor, &name));
            M::Planned {
                outcome: plan
                    .map(|(made, _)| made.described(&name))
                    .map_err(|e| e.to_string()),
                name,
            }
        }
        E::MakeDefault { name } => {
            let key_id = picker
                .data
                .rows
                .iter()
                .find(|r| r.name == name)
                .and_then(|r| r.key_id.clone());
            let done = store.edit(|editor| ops::make_default(editor, &name));
            if done.is_ok() {
                picker.state.made_default(&name, key_id.as_deref());
                picker.state.save_to(services.state_file.as_deref());
            }
            let said = said(store, done, format!("`{name}` is now the default profile"));
            M::Done(finished(services, said, Some("default".into())))
        }
        E::Delete { name } => {
            let done = crate::protect::remove(store, &name, true, services.keyring);
            let entry = done.as_ref().ok().and_then(|(_, _, entry)| entry.as_ref());
            let removed = match entry.map(crate::protect::Entry::said) {
                Some((words, true)) => format!("removed `{name}`\nwarning: {words}"),
                Some((words, false)) => format!("removed `{name}`; {words}"),
                None => format!("removed `{name}`"),
            };
            let said = said(store, done, removed);
            M::Done(finished(services, said, None))
        }
        E::Protect { name } => {
            let said = protect_in_picker(store, services.keyring, &name);
            M::Done(finished(services, said, Some(name)))
        }
        E::Unprotect { name } => {
            let said = unprotect_in_picker(store, services.keyring, &name);
            M::Done(finished(services, said, Some(name)))
        }
        E::Rename { from, to } => {
            let done = store.edit(|editor| ops::rename(editor, &from, &to));
            if done.is_ok() {
                picker.state.renamed(&from, &to);
                picker.state.save_to(services.state_file.as_deref());
            }
            let said = said(store, done, format!("renamed `{from}` to `{to}`"));
            M::Done(finished(services, said, Some(to)))
        }
        E::Edit {
            name,
            endpoint,
            region,
            output,
        } => {
            let changes = [
                (ENDPOINT_URL, &endpoint),
                (REGION, &region),
                (OUTPUT, &output),
            ];
            let done = store.edit(|editor| {
                for (key, change) in changes {
                    match change {
                        Change::Keep => {}
                        Change::Set(value) => editor.set(&name, &[(key, value.as_str())])?,
                        Change::Remove => editor.remove_keys(&name, &[key])?,
                    }
                }
                Ok(())
            });
            let said = said(store, done, edited(&name, &changes));
            M::Done(finished(services, said, Some(name)))
        }
        E::Rotate { name, key, service } => {
            let said = match crate::protect::keyring_key_id(store, &name) {
                Ok(Some(old_id)) => {
                    rotate_in_keyring(store, services.keyring, &name, &old_id, &key, service)
                }
                Ok(None) => rotate_in_files(store, &name, key, service),
                Err(e) => Err(e.to_string()),
            };
            M::Done(finished(services, said, Some(name)))
        }
    };
    if let Screen::Picker(picker) = &mut app.screen {
        picker.update(reply);
    }
    Ok(Next::Stay)
}

/// A pasted key for a profile whose secret is in the files: into it, and into the
/// profiles that held the old key pair.
fn rotate_in_files(
    store: &Store,
    name: &str,
    key: picker::NewKey,
    service: Option<&'static crate::domain::service::Preset>,
) -> Result<String, String> {
    let profile = ops::NewProfile {
        name: name.to_string(),
        access_key_id: key.access_key_id,
        secret: key.secret,
        token: key.token,
        region: None,
        output: None,
        endpoint_url: None,
    };
    let done = store.edit(|editor| ops::save_profile(editor, &profile, true));
    let success = match &done {
        Ok((saved, _)) => rotated(name, saved, service),
        Err(_) => String::new(),
    };
    said(store, done, success)
}

/// A pasted key for a profile whose secret is in the keyring entry of `old_id`: into a
/// new entry, every profile of the old one pointed at it.
fn rotate_in_keyring(
    store: &Store,
    open: Opener,
    name: &str,
    old_id: &str,
    key: &picker::NewKey,
    service: Option<&'static crate::domain::service::Preset>,
) -> Result<String, String> {
    let keyring = open().map_err(|e| e.to_string())?;
    let users = crate::protect::rotate(
        store,
        &keyring,
        old_id,
        &key.access_key_id,
        &key.secret,
        key.token.as_ref(),
    )
    .map_err(|e| e.to_string())?;
    let saved = ops::Saved {
        also: users.into_iter().filter(|u| u != name).collect(),
        ..ops::Saved::alone(true)
    };
    let text = rotated(name, &saved, service);
    Ok(status_with_notices(
        store,
        Some(format!("{text} Its secret is in the OS keyring.")),
    ))
}

/// `p` on a profile whose secret is in the file: the move, in the status line's words.
fn protect_in_picker(store: &Store, open: Opener, name: &str) -> Result<String, String> {
    let keyring = open().map_err(|e| e.to_string())?;
    let done = crate::protect::protect(store, &keyring, name).map_err(|e| e.to_string())?;
    let mut said =
        format!("the secret of `{name}` is in the OS keyring now; the files hold no copy of it");
    if !done.also_plaintext.is_empty() {
        said.push_str(&format!(
            "\nwarning: {} still hold the same key in plaintext",
            crate::domain::text::quoted_list(&done.also_plaintext)
        ));
    }
    Ok(status_with_notices(store, Some(said)))
}

/// `p` on a profile whose secret is in the keyring.
fn unprotect_in_picker(store: &Store, open: Opener, name: &str) -> Result<String, String> {
    let keyring = open().map_err(|e| e.to_string())?;
    let done = crate::protect::unprotect(store, &keyring, name).map_err(|e| e.to_string())?;
    let mut said = format!("the keys of `{name}` are in the credentials file again (plaintext)");
    match (&done.entry_left, done.entry_kept_for.as_slice()) {
        (Some(why), _) => said.push_str(&format!(
            "\nwarning: the keyring entry of {} could not be deleted ({why}); `credwiz doctor` lists it",
            done.key_id
        )),
        (None, []) => {}
        (None, users) => said.push_str(&format!(
            "; the keyring entry stays: {} use it",
            crate::domain::text::quoted_list(users)
        )),
    }
    Ok(status_with_notices(store, Some(said)))
}

/// What the status line says after an edit: what changed.
fn edited(name: &str, changes: &[(&str, &Change)]) -> String {
    let changes: Vec<String> = changes
        .iter()
        .filter_map(|(key, change)| match change {
            Change::Keep => None,
            Change::Set(value) => Some(format!("{key} {value}")),
            Change::Remove => Some(format!("{key} removed")),
        })
        .collect();
    format!("`{name}`: {}", changes.join(", "))
}

/// What the status line says after a new key pair went in.
fn rotated(
    name: &str,
    saved: &ops::Saved,
    service: Option<&crate::domain::service::Preset>,
) -> String {
    let holders: Vec<String> = std::iter::once(name.to_string())
        .chain(saved.also.iter().cloned())
        .collect();
    let mut text = format!(
        "New key saved in {}.",
        crate::domain::text::quoted_list(&holders)
    );
    if saved.still_old > 0 {
        text.push_str(&format!(
            " The old key ID is in the files {} more times: give those profiles the new key.",
            saved.still_old
        ));
    }
    match service {
        // An emulator's keys are a convention, not an account's: nothing to delete.
        Some(preset) if preset.keys.is_some() => {}
        Some(preset) if *preset == *crate::domain::service::other() => {
            text.push_str(" Delete the old key with the service once nothing uses it.")
        }
        Some(preset) => text.push_str(&format!(
            " Delete the old key in {}'s console once nothing uses it.",
            preset.name
        )),
        None => text.push_str(" Delete the old key in the IAM console once nothing uses it."),
    }
    text
}

/// What the picker's verification of a profile calls: its keys, the endpoint that checks
/// them, and IAM's, which says when the key was made.
struct Target {
    keys: sts::sign::Keys,
    endpoint: sts::endpoint::Endpoint,
    iam: Option<sts::endpoint::Endpoint>,
}

fn verify_target(services: &Services, name: &str) -> Result<Target, String> {
    let snapshot = services.store.load().map_err(|e| e.to_string())?;
    let parsed = snapshot.parse().map_err(|e| e.to_string())?;
    let (keys, endpoint) = sts::target::for_profile(&parsed, name, services.env)?;
    let iam = sts::target::endpoint_for(&parsed, name, services.env, sts::endpoint::Api::Iam);
    Ok(Target {
        keys,
        endpoint,
        iam,
    })
}

fn reload(services: &Services) -> Option<picker::data::Data> {
    picker::data::load(services.store, services.env).ok()
}

fn finished(
    services: &Services,
    said: Result<String, String>,
    highlight: Option<String>,
) -> Finished {
    Finished {
        said,
        data: reload(services),
        highlight,
    }
}

/// The picker on fresh data, with credwiz's state, saying what happened before it opened
/// (an interrupted change that was completed).
pub fn open_picker(
    services: &Services,
    mode: picker::Mode,
    highlight: Option<&str>,
) -> Result<Picker, StoreError> {
    let data = picker::data::rows(services.store, services.env)?;
    Ok(picker_with(services, data, mode, highlight))
}

pub fn picker_with(
    services: &Services,
    data: picker::data::Data,
    mode: picker::Mode,
    highlight: Option<&str>,
) -> Picker {
    let store = services.store;
    let state = crate::state::State::load_from(services.state_file.as_deref());
    let mut picker = Picker::new(data, mode, highlight).with_state(state);
    let said_before = status_with_notices(store, None);
    if !said_before.is_empty() {
        picker.update(picker::Msg::Done(Finished::said(Ok(said_before))));
    }
    picker
}

/// What the wizard needs to know of the files: existing profiles, secrets masked.
pub fn wizard_context(store: &Store) -> Result<Context, StoreError> {
    let snapshot = store.load()?;
    let parsed = snapshot.parse()?;
    let set = parsed.profiles();
    let existing = set
        .profiles
        .iter()
        .map(|(name, section)| {
            let settings = section
                .shown()
                .map(|(k, v, _)| (k.into_owned(), v.into_owned()))
                .collect();
            (name.to_string(), settings)
        })
        .collect();
    Ok(Context { existing })
}

/// The lines saving `plan` would write.
fn preview(store: &Store, plan: &Plan) -> Result<Vec<crate::store::Preview>, String> {
    let previewed = match plan {
        Plan::Profile {
            profile,
            overwrite,
            secret_in: SecretIn::Keyring,
        } => {
            let line =
                crate::protect::command_line(&profile.access_key_id).map_err(|e| e.to_string())?;
            store.preview(|editor| {
                drop_replaced_endpoint(editor, profile, *overwrite)?;
                protected::save_keyring_profile(editor, profile, &line, *overwrite)
            })
        }
        Plan::Import {
            keys,
            secret_in: SecretIn::Keyring,
        } => {
            let lines = crate::protect::import_lines(keys).map_err(|e| e.to_string())?;
            store.preview(|editor| {
                protected::import_keyring_profiles(editor, keys, &lines, false, &[])
            })
        }
        plan => store.preview(|editor| save(editor, plan)),
    };
    previewed.map_err(|e| e.to_string())
}

/// Saves `plan`: into the files, or the secrets into the OS keyring and the rest into
/// the files, as one move ([`crate::protect::add`], [`crate::protect::import`]).
fn save_plan(store: &Store, open: Opener, plan: &Plan) -> Result<wizard::Written, String> {
    let (left_keyring, paths) = match plan {
        Plan::Profile {
            profile,
            overwrite,
            secret_in: SecretIn::Keyring,
        } => {
            let keyring = open().map_err(|e| e.to_string())?;
            crate::protect::add(store, &keyring, profile, *overwrite, |editor| {
                drop_replaced_endpoint(editor, profile, *overwrite)
            })
            .map(|(saved, paths)| (saved.left_keyring.into_iter().collect(), paths))
            .map_err(|e| e.to_string())?
        }
        Plan::Import {
            keys,
            secret_in: SecretIn::Keyring,
        } => {
            let keyring = open().map_err(|e| e.to_string())?;
            crate::protect::import(store, &keyring, keys, false, &[]).map_err(|e| e.to_string())?
        }
        plan => store
            .edit(|editor| save(editor, plan))
            .map_err(|e| e.to_string())?,
    };
    let mut warnings = notices(store);
    // Profiles replaced kept their secret under another keyring entry: deleted when
    // unused, said only when it could not be.
    for key_id in left_keyring {
        if let (words, true) = crate::protect::forget(store, key_id, open).said() {
            warnings.push(words);
        }
    }
    Ok(wizard::Written { paths, warnings })
}

/// Saves `plan` into the files; the keyring entries the replaced profiles named.
fn save(editor: &mut crate::store::Editor, plan: &Plan) -> Result<Vec<String>, StoreError> {
    match plan {
        Plan::Profile {
            profile, overwrite, ..
        } => {
            drop_replaced_endpoint(editor, profile, *overwrite)?;
            ops::save_profile(editor, profile, *overwrite)
                .map(|saved| saved.left_keyring.into_iter().collect())
        }
        Plan::Import { keys, .. } => ops::import(editor, keys, false),
    }
}

/// AWS keys replacing another service's: its endpoint would send them there.
fn drop_replaced_endpoint(
    editor: &mut crate::store::Editor,
    profile: &ops::NewProfile,
    overwrite: bool,
) -> Result<(), StoreError> {
    if overwrite && profile.endpoint_url.is_none() {
        editor.remove_keys(&profile.name, &[ENDPOINT_URL])?;
    }
    Ok(())
}

fn read_csv(path: &std::path::Path) -> Result<Vec<crate::domain::import::ImportedKey>, String> {
    let shown = path.display().to_string();
    let expanded = match (shown.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => path.to_path_buf(),
    };
    let bytes = zeroize::Zeroizing::new(
        std::fs::read(&expanded).map_err(|e| format!("cannot read {shown}: {e}"))?,
    );
    crate::domain::import::read_rows(&bytes, &shown)
}

/// What the status line says after a store write: `success` and what the store said
/// meanwhile, or the error.
fn said<T>(store: &Store, done: Result<T, StoreError>, success: String) -> Result<String, String> {
    let text = status_with_notices(store, Some(success));
    done.map(|_| text).map_err(|e| e.to_string())
}

/// `first`, then each of the store's notices as a `warning: …` line.
fn status_with_notices(store: &Store, first: Option<String>) -> String {
    first
        .into_iter()
        .chain(notices(store).into_iter().map(|w| format!("warning: {w}")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What the store said during the last action (the screens have no live sink: they draw
/// on stderr), one line each.
fn notices(store: &Store) -> Vec<String> {
    store
        .take_notices()
        .iter()
        .map(ToString::to_string)
        .collect()
}
