//! Rotating a profile's access key through IAM, safely: who the keys belong to (root is
//! refused, temporary credentials have nothing to rotate), room for a new key (a user has
//! at most two), the new key made and written at once into every profile that held the
//! old pair (one store transaction; deleted again if the write fails), checked with STS
//! (with backoff for IAM's propagation delay, and that it is the same user), and the old
//! key retired (deactivated, or deleted with `--delete`; `--finish` deletes a key a
//! rotation deactivated).
//!
//! A journal in credwiz's state file (key IDs and the step reached, never a secret) is
//! written before each step, so that the next rotation understands a crash at any point:
//! a new key whose secret never reached the files is deleted (rolled back), a rotation
//! whose new key is in the files is resumed.
//!
//! Knows no UI: the calls go through [`Aws`], the files through [`Files`], what is said
//! and asked through [`Talk`], so that a fake can drive every branch.

use std::path::PathBuf;
use std::time::Duration;

use crate::domain::profile::{self, Kind};
use crate::state::{Retired, Rotation, State, Step};
use crate::store::{Store, ops};
use crate::sts::iam::{AccessKey, CallError, Client, LastUsed, NewKey, Status, User};
use crate::sts::response::Identity;
use crate::sts::sign::Keys;

/// The IAM and STS calls a rotation makes.
pub trait Aws {
    /// STS `GetCallerIdentity`.
    fn caller(&self, keys: &Keys) -> Result<Identity, CallError>;
    fn list_keys(&self, keys: &Keys, user: &User) -> Result<Vec<AccessKey>, CallError>;
    fn last_used(&self, keys: &Keys, user: &User, id: &str) -> Result<LastUsed, CallError>;
    fn create_key(&self, keys: &Keys, user: &User) -> Result<NewKey, CallError>;
    fn set_status(
        &self,
        keys: &Keys,
        user: &User,
        id: &str,
        status: Status,
    ) -> Result<(), CallError>;
    fn delete_key(&self, keys: &Keys, user: &User, id: &str) -> Result<(), CallError>;
    fn mfa_devices(&self, keys: &Keys, user: &User) -> Result<Vec<String>, CallError>;
    /// STS `GetSessionToken` with an MFA code.
    fn session(&self, keys: &Keys, serial: &str, code: &str) -> Result<Keys, CallError>;
}

impl Aws for Client {
    fn caller(&self, keys: &Keys) -> Result<Identity, CallError> {
        let verified = crate::sts::verify(keys, &self.sts)?;
        verified
            .identity()
            .cloned()
            .ok_or_else(|| CallError::Unchecked("STS did not say whose keys these are".into()))
    }
    fn list_keys(&self, keys: &Keys, user: &User) -> Result<Vec<AccessKey>, CallError> {
        self.list_access_keys(keys, user)
    }
    fn last_used(&self, keys: &Keys, user: &User, id: &str) -> Result<LastUsed, CallError> {
        self.access_key_last_used(keys, user, id)
    }
    fn create_key(&self, keys: &Keys, user: &User) -> Result<NewKey, CallError> {
        self.create_access_key(keys, user)
    }
    fn set_status(
        &self,
        keys: &Keys,
        user: &User,
        id: &str,
        status: Status,
    ) -> Result<(), CallError> {
        self.update_access_key(keys, user, id, status)
    }
    fn delete_key(&self, keys: &Keys, user: &User, id: &str) -> Result<(), CallError> {
        self.delete_access_key(keys, user, id)
    }
    fn mfa_devices(&self, keys: &Keys, user: &User) -> Result<Vec<String>, CallError> {
        Client::mfa_devices(self, keys, user)
    }
    fn session(&self, keys: &Keys, serial: &str, code: &str) -> Result<Keys, CallError> {
        // The rotation's calls take seconds: the shortest session STS gives.
        self.session_token(keys, serial, code, 900)
            .map(|session| session.keys)
    }
}

/// The profile's keys as the files hold them, and its `mfa_serial`.
pub struct Held {
    pub keys: Keys,
    pub mfa_serial: Option<String>,
}

/// What a rotation reads and writes in the AWS files.
pub trait Files {
    /// The profile's long-term keys, or why it has none to rotate.
    fn profile(&self, name: &str) -> Result<Held, Stop>;
    /// The other profiles that hold `name`'s key pair.
    fn holders(&self, name: &str) -> Result<Vec<String>, String>;
    /// Writes `key` into `name` and every profile that held its pair, in one
    /// transaction; the profiles written, or why nothing was.
    fn write(&self, name: &str, key: &NewKey) -> Result<Vec<String>, String>;
}

/// What a rotation says and asks.
pub trait Talk {
    /// One step done or about to be, in a line (never a secret).
    fn say(&mut self, line: &str);
    /// Whether to go ahead with what was just said.
    fn confirm(&mut self, question: &str) -> bool;
    /// An MFA code for the device `serial`, if the user gives one.
    fn mfa_code(&mut self, serial: &str) -> Option<String>;
    /// Whether to delete the user's other key, which is active, to make room (the lines
    /// said before show both keys and when each was last used). Only a screen that shows
    /// those lines asks; elsewhere `--delete-other` is the way.
    fn delete_active_other(&mut self, _question: &str) -> bool {
        false
    }
}

/// Why a rotation stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// Refused, or failed: the message says what changed (usually nothing) and what to do.
    Refused(String),
    /// The user said no when asked to go ahead: nothing changed.
    Declined,
    /// Could not be made (network, throttling, STS not answering for the new key).
    Unchecked(String),
}

impl Stop {
    pub fn said(&self) -> &str {
        match self {
            Stop::Refused(said) | Stop::Unchecked(said) => said,
            Stop::Declined => "not confirmed; nothing changed",
        }
    }
}

impl From<CallError> for Stop {
    fn from(error: CallError) -> Stop {
        match error {
            CallError::Unchecked(said) => Stop::Unchecked(said),
            CallError::Refused { said, .. } | CallError::MfaRequired(said) => Stop::Refused(said),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Delete the old key instead of deactivating it.
    pub delete: bool,
    /// Delete the user's other key when it is active (never the key in use).
    pub delete_other: bool,
    /// Delete the key the last rotation deactivated.
    pub finish: bool,
    pub mfa_code: Option<String>,
}

/// How a rotation ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    Rotated {
        old: String,
        new: String,
        /// The profiles that now hold the new key (empty when a resumed rotation wrote
        /// them before).
        written: Vec<String>,
        old_deleted: bool,
    },
    /// `--finish`: the deactivated key was deleted (`None`: it was gone already).
    Finished { deleted: Option<String> },
}

/// How long to wait between checks of a new key with STS: about 15 s in all.
pub const CHECK_DELAYS: [Duration; 7] = [
    Duration::from_millis(250),
    Duration::from_millis(500),
    Duration::from_secs(1),
    Duration::from_secs(2),
    Duration::from_secs(4),
    Duration::from_secs(4),
    Duration::from_millis(3250),
];

/// One rotation of profile `name`'s key.
pub struct Rotator<'a> {
    pub aws: &'a dyn Aws,
    pub files: &'a dyn Files,
    pub talk: &'a mut dyn Talk,
    /// credwiz's state file (the journal); `None` keeps no journal.
    pub state_path: Option<PathBuf>,
    pub options: Options,
    pub name: String,
    pub check_delays: Vec<Duration>,
    mfa_serial: Option<String>,
    /// `GetSessionToken` keys once an MFA code was given: the IAM calls use them.
    session: Option<Keys>,
}

impl<'a> Rotator<'a> {
    pub fn new(
        aws: &'a dyn Aws,
        files: &'a dyn Files,
        talk: &'a mut dyn Talk,
        name: &str,
        options: Options,
    ) -> Rotator<'a> {
        Rotator {
            aws,
            files,
            talk,
            state_path: crate::state::path(),
            options,
            name: name.to_string(),
            check_delays: CHECK_DELAYS.to_vec(),
            mfa_serial: None,
            session: None,
        }
    }

    /// Rotates (or with `--finish`, deletes the key a rotation deactivated); first
    /// resumes or rolls back a rotation of the profile that a crash interrupted.
    pub fn run(mut self) -> Result<Done, Stop> {
        let _one_at_a_time = self.exclusive()?;
        let held = self.files.profile(&self.name)?;
        self.mfa_serial = held.mfa_serial.clone();
        if let Some(rotation) = self.load().rotation(&self.name).cloned()
            && let Some(done) = self.recover(&held.keys, rotation)?
        {
            return Ok(done);
        }
        let user = self.who(&held.keys)?;
        if self.options.finish {
            return self.finish(&held.keys, &user);
        }
        self.rotate(&held.keys, &user)
    }

    /// One rotation at a time, across every credwiz: two at once would each make a key
    /// (a user has room for two) and each retire the other's old one. A lock on a file
    /// beside the journal, held until the rotation ends (the system drops it if the
    /// process dies). No journal, no lock.
    fn exclusive(&self) -> Result<Option<std::fs::File>, Stop> {
        let Some(state) = &self.state_path else {
            return Ok(None);
        };
        let path = state.with_file_name("rotation.lock");
        let cannot = |e: std::io::Error| {
            Stop::Refused(format!(
                "cannot lock {} ({e}): credwiz's state folder keeps the lock that keeps two rotations apart, and the rotation's journal; no new key was made",
                path.display()
            ))
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(cannot)?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(cannot)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(file)),
            Err(std::fs::TryLockError::WouldBlock) => Err(Stop::Refused(format!(
                "{} is rotating a key right now: wait for it to end, then try again; nothing changed",
                crate::store::lock::holder(&path)
            ))),
            Err(std::fs::TryLockError::Error(e)) => Err(cannot(e)),
        }
    }

    fn load(&self) -> State {
        State::load_from(self.state_path.as_deref())
    }

    /// Records the rotation's step (`None`: it ended) in the state file.
    fn journal(&self, rotation: Option<&Rotation>) -> Result<(), String> {
        let mut state = self.load();
        state.set_rotation(&self.name, rotation.cloned());
        state.try_save_to(self.state_path.as_deref())
    }

    /// Whose keys: an IAM user's, or the reason there is nothing to rotate.
    fn who(&mut self, keys: &Keys) -> Result<User, Stop> {
        let name = &self.name;
        let identity = self.aws.caller(keys).map_err(|e| match e {
            CallError::Unchecked(why) => Stop::Unchecked(format!(
                "could not ask STS whose keys `{name}` holds: {why}; nothing changed"
            )),
            other => Stop::Refused(format!(
                "the keys of `{name}` do not work ({}); nothing to rotate",
                other.said()
            )),
        })?;
        if identity.is_root() {
            return Err(Stop::Refused(format!(
                "`{name}` holds the ROOT USER's access key of account {}: root keys should be deleted, not rotated.\n  \
                 Create an IAM user (or use IAM Identity Center) with the permissions you need, switch to its keys,\n  \
                 then delete this root key (IAM console → Security credentials)",
                identity.account
            )));
        }
        let user = User::from_arn(&identity.arn).ok_or_else(|| {
            Stop::Refused(format!(
                "the keys of `{name}` are temporary credentials of {} (a role or a federated session), not an IAM user's access key: there is nothing to rotate",
                identity.arn
            ))
        })?;
        self.talk
            .say(&format!("the key of `{name}` belongs to {}", user.arn));
        Ok(user)
    }

    /// Makes an IAM call with the profile's keys, or with MFA session keys when the
    /// profile names an MFA device (`mfa_serial`) or IAM asks for MFA (an explicit deny).
    fn iam<T>(
        &mut self,
        keys: &Keys,
        user: &User,
        call: impl Fn(&dyn Aws, &Keys) -> Result<T, CallError>,
    ) -> Result<T, Stop> {
        if self.session.is_none() && self.mfa_serial.is_some() {
            self.start_session(keys, user, None)?;
        }
        let aws = self.aws;
        match call(aws, self.session.as_ref().unwrap_or(keys)) {
            Err(CallError::MfaRequired(why)) if self.session.is_none() => {
                self.talk.say(&format!("{why}: signing in with MFA"));
                self.start_session(keys, user, Some(&why))?;
                call(aws, self.session.as_ref().unwrap_or(keys)).map_err(Stop::from)
            }
            other => other.map_err(Stop::from),
        }
    }

    /// Signs in with MFA for the IAM calls; `denied` is IAM's explicit deny that asked
    /// for it (`None`: the profile names its MFA device).
    fn start_session(
        &mut self,
        keys: &Keys,
        user: &User,
        denied: Option<&str>,
    ) -> Result<(), Stop> {
        let serial = match self.mfa_serial.clone() {
            Some(serial) => serial,
            None => self
                .aws
                .mfa_devices(keys, user)
                .ok()
                .and_then(|devices| devices.into_iter().next())
                .ok_or_else(|| {
                    Stop::Refused(format!(
                        "{}, and credwiz finds no MFA device of `{}`. If a policy requires MFA, set `mfa_serial = arn:aws:iam::ACCOUNT:mfa/DEVICE` in the profile of `{}` and try again; otherwise a policy denies it outright.\n  {}",
                        denied.unwrap_or("IAM wants MFA"),
                        user.name,
                        self.name,
                        crate::sts::iam::permissions_needed(user)
                    ))
                })?,
        };
        let code = match self.options.mfa_code.take() {
            Some(code) => code,
            None => self.talk.mfa_code(&serial).ok_or_else(|| {
                Stop::Refused(format!(
                    "IAM wants MFA, and no code of {serial} was given; nothing changed"
                ))
            })?,
        };
        crate::domain::validate::mfa_code(&code)
            .map_err(|why| Stop::Refused(format!("{why} (for {serial}); nothing changed")))?;
        let session = self.aws.session(keys, &serial, code.trim())?;
        self.talk
            .say(&format!("signed in with MFA ({serial}) for the IAM calls"));
        self.session = Some(session);
        Ok(())
    }

    /// Deletes key `id`; one IAM does not know (deleted already) is fine.
    fn delete_if_there(&mut self, keys: &Keys, user: &User, id: &str) -> Result<(), Stop> {
        self.iam(keys, user, |aws, k| match aws.delete_key(k, user, id) {
            Err(e) if e.is("NoSuchEntity") => Ok(()),
            other => other,
        })
    }

    /// Finishes or undoes a rotation a crash interrupted. `Some` when it was resumed to
    /// its end; `None` when it was rolled back (or forgotten) and a new one may start.
    fn recover(&mut self, current: &Keys, rotation: Rotation) -> Result<Option<Done>, Stop> {
        let name = self.name.clone();
        let user = User {
            name: rotation.user.clone(),
            arn: rotation.user_arn.clone(),
        };
        let now = &current.access_key_id;
        if rotation.new_key.as_ref() == Some(now) {
            self.talk.say(&format!(
                "a rotation of `{name}` was interrupted after its new key {now} reached the files: resuming it (checking the new key, then retiring the old key {})",
                rotation.old_key
            ));
            return self
                .check_and_retire(current, &user, rotation, Vec::new())
                .map(Some);
        }
        if *now != rotation.old_key {
            self.talk.say(&format!(
                "a rotation of `{name}` was interrupted, and the profile's key has changed since (it is {now}, neither the old key {} nor the new one): credwiz forgets that rotation and changes nothing of it",
                rotation.old_key
            ));
            let _ = self.journal(None);
            return Ok(None);
        }
        // The files still hold the old key: a new key, if IAM made one, never reached them.
        let orphans: Vec<String> = match (&rotation.new_key, rotation.step) {
            (Some(new), _) => vec![new.clone()],
            (None, _) => self
                .iam(current, &user, |aws, keys| aws.list_keys(keys, &user))?
                .into_iter()
                .map(|k| k.id)
                .filter(|id| *id != rotation.old_key && !rotation.before.contains(id))
                .collect(),
        };
        for orphan in &orphans {
            self.delete_if_there(current, &user, orphan)?;
        }
        let _ = self.journal(None);
        self.talk.say(&match orphans.as_slice() {
            [] => format!(
                "rolled back a rotation of `{name}` that was interrupted before IAM made a new key: there was nothing to undo"
            ),
            keys => format!(
                "rolled back a rotation of `{name}` that was interrupted before its new key reached the files: deleted the new key {} (its secret was lost); `{name}` still holds {now}",
                keys.join(", ")
            ),
        });
        Ok(None)
    }

    fn rotate(&mut self, keys: &Keys, user: &User) -> Result<Done, Stop> {
        let name = self.name.clone();
        let old = keys.access_key_id.clone();
        let listed = self.iam(keys, user, |aws, k| aws.list_keys(k, user))?;
        if !listed.iter().any(|k| k.id == old) {
            return Err(Stop::Refused(format!(
                "IAM does not list the key of `{name}` ({old}) among the keys of {}; nothing changed",
                user.name
            )));
        }
        let other = listed.iter().find(|k| k.id != old).cloned();
        let delete_first = match &other {
            None => None,
            Some(other) => Some(self.room(keys, user, &listed, other)?),
        };
        let holders = self.files.holders(&name).map_err(Stop::Refused)?;
        let profiles: Vec<String> = std::iter::once(name.clone()).chain(holders).collect();
        self.talk.say(&format!(
            "the new key will be written into {}",
            crate::domain::text::quoted_list(&profiles)
        ));
        let retire = if self.options.delete {
            "deleted"
        } else {
            "deactivated (delete it later with --finish)"
        };
        self.talk
            .say(&format!("the old key {old} will then be {retire}"));
        if !self.talk.confirm(&format!("Rotate the key of `{name}`?")) {
            return Err(Stop::Declined);
        }
        if let Some(id) = &delete_first {
            self.iam(keys, user, |aws, k| aws.delete_key(k, user, id))?;
            self.talk
                .say(&format!("deleted the other key {id}, to make room"));
        }
        let before: Vec<String> = listed
            .iter()
            .map(|k| k.id.clone())
            .filter(|id| Some(id) != delete_first.as_ref())
            .collect();
        let mut rotation = Rotation {
            step: Step::Creating,
            user: user.name.clone(),
            user_arn: user.arn.clone(),
            old_key: old.clone(),
            new_key: None,
            before,
            delete_old: self.options.delete,
        };
        // Without a journal a crash could not be understood: no new key before it is kept.
        self.journal(Some(&rotation)).map_err(|why| {
            let path = self
                .state_path
                .as_ref()
                .map_or_else(String::new, |p| format!(" {}", p.display()));
            Stop::Refused(format!(
                "cannot write credwiz's state file{path} ({why}), which keeps the rotation's journal; no new key was made"
            ))
        })?;
        let new = match self.iam(keys, user, |aws, k| aws.create_key(k, user)) {
            Ok(new) => new,
            Err(stop) => {
                let _ = self.journal(None);
                return Err(stop);
            }
        };
        rotation.step = Step::Created;
        rotation.new_key = Some(new.id.clone());
        // Best effort from here: a journal left at `Creating` still rolls an orphan back.
        let _ = self.journal(Some(&rotation));
        self.talk.say(&format!("created the new key {}", new.id));
        let written = self.write(keys, user, &new)?;
        rotation.step = Step::Written;
        let _ = self.journal(Some(&rotation));
        let new_keys = Keys {
            access_key_id: new.id.clone(),
            secret: new.secret.clone(),
            token: None,
        };
        drop(new);
        self.check_and_retire(&new_keys, user, rotation, written)
    }

    /// With two keys, the other one: shown, and deleted first if it is inactive or
    /// `--delete-other` says so; else the rotation stops here.
    fn room(
        &mut self,
        keys: &Keys,
        user: &User,
        listed: &[AccessKey],
        other: &AccessKey,
    ) -> Result<String, Stop> {
        let name = self.name.clone();
        self.talk.say(&format!(
            "{} already has two access keys (IAM allows two):",
            user.name
        ));
        let mut shown = Vec::new();
        for key in listed {
            let used = self
                .iam(keys, user, |aws, k| aws.last_used(k, user, &key.id))
                .map_or_else(|e| format!("unknown ({})", e.said()), |u| u.said());
            let whose = if key.id == keys.access_key_id {
                format!("  (the key of `{name}`)")
            } else {
                String::new()
            };
            let line = format!(
                "  {}  {:<8}  created {}  last used {used}{whose}",
                key.id,
                key.status.label(),
                key.created
            );
            self.talk.say(&line);
            shown.push(line);
        }
        match other.status {
            Status::Inactive => {
                self.talk.say(&format!(
                    "the other key {} is inactive: it will be deleted to make room",
                    other.id
                ));
            }
            Status::Active if self.options.delete_other => {
                self.talk.say(&format!(
                    "the other key {} is active; --delete-other: it will be deleted to make room (anything still using it stops working)",
                    other.id
                ));
            }
            Status::Active
                if self.talk.delete_active_other(&format!(
                    "Delete the other key {}? It is active: anything still using it stops working.",
                    other.id
                )) =>
            {
                self.talk.say(&format!(
                    "the other key {} is active; deleting it to make room, as you asked",
                    other.id
                ));
            }
            Status::Active => {
                return Err(Stop::Refused(format!(
                    "{} already has two access keys, and the other one, {}, is active:\n{}\n  \
                     Nothing changed. If nothing uses it, deactivate it in the IAM console, or run \
                     `credwiz rotate {name} --delete-other` to delete it (never the key in use)",
                    user.name,
                    other.id,
                    shown.join("\n")
                )));
            }
        }
        Ok(other.id.clone())
    }

    /// Writes the new key into the files; if that fails, deletes it again.
    fn write(&mut self, keys: &Keys, user: &User, new: &NewKey) -> Result<Vec<String>, Stop> {
        let name = self.name.clone();
        match self.files.write(&name, new) {
            Ok(written) => {
                self.talk.say(&format!(
                    "wrote the new key into {}",
                    crate::domain::text::quoted_list(&written)
                ));
                Ok(written)
            }
            Err(why) => match self.iam(keys, user, |aws, k| aws.delete_key(k, user, &new.id)) {
                Ok(()) => {
                    let _ = self.journal(None);
                    Err(Stop::Refused(format!(
                        "could not write the new key into the files: {why}\n  \
                         credwiz deleted the new key {} again: nothing changed, `{name}` keeps its key {}",
                        new.id, keys.access_key_id
                    )))
                }
                Err(stop) => Err(Stop::Refused(format!(
                    "could not write the new key into the files: {why}\n  \
                     and could not delete the new key {} again ({}): run `credwiz rotate {name}` again to delete it; `{name}` keeps its key {}",
                    new.id,
                    stop.said(),
                    keys.access_key_id
                ))),
            },
        }
    }

    /// Checks the new key (in the files now) with STS, then retires the old one.
    fn check_and_retire(
        &mut self,
        new_keys: &Keys,
        user: &User,
        rotation: Rotation,
        written: Vec<String>,
    ) -> Result<Done, Stop> {
        let name = self.name.clone();
        let (old, new) = (rotation.old_key.clone(), new_keys.access_key_id.clone());
        self.check(new_keys, user, &old)?;
        let old_deleted = rotation.delete_old;
        let retired = if old_deleted {
            self.delete_if_there(new_keys, user, &old)
        } else {
            self.iam(new_keys, user, |aws, k| {
                aws.set_status(k, user, &old, Status::Inactive)
            })
        };
        if let Err(stop) = retired {
            let why = stop.said();
            return Err(Stop::Refused(format!(
                "`{name}` now holds the new key {new}, which works; but the old key {old} could not be retired: {why}\n  \
                 Run `credwiz rotate {name}` again to retire it"
            )));
        }
        let mut state = self.load();
        state.set_rotation(&name, None);
        // A default made from this profile held the old key and holds the new one now.
        if let Some(from) = &mut state.default_from
            && from.access_key_id == old
        {
            from.access_key_id = new.clone();
        }
        if !old_deleted {
            state.set_retired(
                &name,
                Some(Retired {
                    key: old.clone(),
                    user: user.name.clone(),
                    user_arn: user.arn.clone(),
                    time: crate::sts::now_rfc3339(),
                }),
            );
        }
        // STS accepted the new key as this user just now: a verification of every profile
        // that holds it, made (by IAM) a moment ago.
        let now = crate::sts::now_rfc3339();
        for holder in written.iter().chain([&name]) {
            state.remember_verification(
                holder,
                crate::state::Verification {
                    time: now.clone(),
                    ok: true,
                    account: None,
                    arn: Some(user.arn.clone()),
                    learned: None,
                    error: None,
                    key: Some(crate::state::KeyAge {
                        key_id: new.clone(),
                        created: now.clone(),
                    }),
                },
            );
        }
        state.save_to(self.state_path.as_deref());
        self.talk.say(&if old_deleted {
            format!("deleted the old key {old}")
        } else {
            format!(
                "deactivated the old key {old}; once nothing misses it, delete it: credwiz rotate {name} --finish"
            )
        });
        Ok(Done::Rotated {
            old,
            new,
            written,
            old_deleted,
        })
    }

    /// STS accepts the new key (retrying while IAM's change propagates), as the same user.
    fn check(&mut self, new_keys: &Keys, user: &User, old: &str) -> Result<(), Stop> {
        let name = self.name.clone();
        let new = &new_keys.access_key_id;
        let mut last = None;
        for attempt in 0..=self.check_delays.len() {
            match self.aws.caller(new_keys) {
                Ok(identity) if identity.arn == user.arn => {
                    self.talk
                        .say(&format!("STS accepts the new key {new} as {}", user.arn));
                    return Ok(());
                }
                Ok(identity) => {
                    return Err(Stop::Refused(format!(
                        "STS says the new key {new} belongs to {}, not to {}: credwiz did not retire the old key {old}",
                        identity.arn, user.arn
                    )));
                }
                Err(error) => last = Some(error),
            }
            if let Some(delay) = self.check_delays.get(attempt) {
                std::thread::sleep(*delay);
            }
        }
        let waited: Duration = self.check_delays.iter().sum();
        let why = last.map(|e| e.said().to_string()).unwrap_or_default();
        Err(Stop::Unchecked(format!(
            "`{name}` holds the new key {new}, but STS did not accept it within {} s ({why}); the old key {old} is still active.\n  \
             Run `credwiz rotate {name}` again to check the new key and retire the old one",
            waited.as_secs()
        )))
    }

    /// `--finish`: deletes the key the last rotation deactivated, after saying when it
    /// was last used.
    fn finish(&mut self, keys: &Keys, user: &User) -> Result<Done, Stop> {
        let name = self.name.clone();
        let Some(retired) = self.load().retired(&name).cloned() else {
            return Err(Stop::Refused(format!(
                "no key of `{name}` waits to be deleted: --finish deletes a key that `credwiz rotate {name}` deactivated"
            )));
        };
        if retired.user_arn != user.arn {
            return Err(Stop::Refused(format!(
                "the key credwiz deactivated, {}, was {}'s, and `{name}` now holds a key of {}: credwiz does not delete it",
                retired.key, retired.user_arn, user.arn
            )));
        }
        let listed = self.iam(keys, user, |aws, k| aws.list_keys(k, user))?;
        let forget = |this: &Rotator| {
            let mut state = this.load();
            state.set_retired(&name, None);
            state.save_to(this.state_path.as_deref());
        };
        let Some(key) = listed.iter().find(|k| k.id == retired.key) else {
            forget(self);
            self.talk.say(&format!(
                "the old key {} is gone already: nothing to delete",
                retired.key
            ));
            return Ok(Done::Finished { deleted: None });
        };
        if key.status == Status::Active {
            return Err(Stop::Refused(format!(
                "the old key {} is active again (someone reactivated it, so something may use it): credwiz does not delete it",
                key.id
            )));
        }
        let used = self.iam(keys, user, |aws, k| aws.last_used(k, user, &key.id))?;
        self.talk.say(&format!(
            "the old key {} was deactivated at {}; last used {}",
            key.id,
            retired.time,
            used.said()
        ));
        if !self
            .talk
            .confirm(&format!("Delete the old key {}?", key.id))
        {
            return Err(Stop::Declined);
        }
        self.iam(keys, user, |aws, k| aws.delete_key(k, user, &key.id))?;
        forget(self);
        self.talk.say(&format!("deleted the old key {}", key.id));
        Ok(Done::Finished {
            deleted: Some(key.id.clone()),
        })
    }
}

/// The AWS files through the store.
pub struct StoreFiles<'a> {
    pub store: &'a Store,
}

impl Files for StoreFiles<'_> {
    fn profile(&self, name: &str) -> Result<Held, Stop> {
        let refused = |e: crate::store::StoreError| Stop::Refused(e.to_string());
        let snapshot = self.store.load().map_err(refused)?;
        let parsed = snapshot.parse().map_err(refused)?;
        let set = parsed.profiles();
        let section = set.profile(name).ok_or_else(|| {
            Stop::Refused(crate::store::StoreError::NoSuchProfile(name.to_string()).to_string())
        })?;
        let get = |key: &str| section.get(key);
        let traits = profile::Traits::from_get(get);
        rotatable(
            name,
            traits.kind(),
            traits.access_key_id.unwrap_or_default(),
        )?;
        Ok(Held {
            keys: crate::sts::target::keys_of(&get).map_err(|e| Stop::Refused(e.to_string()))?,
            mfa_serial: get("mfa_serial")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        })
    }

    fn holders(&self, name: &str) -> Result<Vec<String>, String> {
        self.store
            .dry_run(|editor| ops::key_holders(editor, name))
            .map(|(holders, _)| holders)
            .map_err(|e| e.to_string())
    }

    fn write(&self, name: &str, key: &NewKey) -> Result<Vec<String>, String> {
        let in_keyring =
            crate::protect::keyring_key_id(self.store, name).map_err(|e| e.to_string())?;
        if let Some(old_id) = in_keyring {
            let keyring = crate::keyring::Keyring::os().map_err(|e| e.to_string())?;
            return crate::protect::rotate(
                self.store,
                &keyring,
                &old_id,
                &key.id,
                &key.secret,
                None,
            )
            .map_err(|e| e.to_string());
        }
        self.store
            .edit(|editor| ops::rotate_key(editor, name, &key.id, &key.secret))
            .map(|(written, _)| written)
            .map_err(|e| e.to_string())
    }
}

/// Whether a profile of this kind holds a long-term key that IAM can rotate.
pub fn rotatable(name: &str, kind: Kind, access_key_id: &str) -> Result<(), Stop> {
    let nothing = |why: &str| {
        Err(Stop::Refused(format!(
            "`{name}` {why}: there is nothing to rotate"
        )))
    };
    match kind {
        Kind::Static if access_key_id.starts_with("ASIA") => {
            nothing("holds temporary credentials (an ASIA key), which expire on their own")
        }
        Kind::Static => Ok(()),
        Kind::Session => {
            nothing("holds temporary credentials (with a session token), which expire on their own")
        }
        Kind::Role => nothing("assumes a role (role_arn); its credentials are temporary"),
        Kind::Sso => {
            nothing("signs in with IAM Identity Center (SSO); its credentials are temporary")
        }
        Kind::Endpoint => nothing(
            "holds keys for another service (its endpoint_url), not AWS IAM: make a new key in that service's console",
        ),
        Kind::Login => nothing("signs in with `aws login`; its credentials are temporary"),
        Kind::Process => nothing("gets its credentials from a credential_process"),
        Kind::Other => nothing("holds no access key of its own"),
    }
}

#[cfg(test)]
mod tests;
