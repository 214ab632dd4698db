//! Secrets moved between the files and the OS keyring, each move one transaction over
//! both: the entry is written (and read back) before the files change, and removed
//! again should the edit fail, so no file ever points at an entry that is not there and
//! no failed move leaves a copy behind. No UI: the CLI and the picker call these.

use crate::domain::import::ImportedKey;
use crate::domain::keyring::{self, Stored};
use crate::domain::secret::Secret;
use crate::keyring::{Keyring, KeyringError};
use crate::store::ops::{NewProfile, Saved};
use crate::store::{Editor, Store, StoreError, protected};

/// The files a move wrote.
pub type Written = Vec<std::path::PathBuf>;

/// Why a move did not happen (nothing changed unless the words say so).
#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Keyring(#[from] KeyringError),
    #[error("{0}")]
    Refused(String),
}

/// credwiz's absolute path, as the profile's `credential_process` runs it.
pub fn program() -> Result<String, MoveError> {
    let exe = std::env::current_exe()
        .and_then(std::fs::canonicalize)
        .map_err(|e| MoveError::Refused(format!("cannot tell where credwiz is ({e})")))?;
    exe.to_str()
        .map(str::to_string)
        .ok_or_else(|| MoveError::Refused(format!("credwiz's path {exe:?} is not UTF-8")))
}

/// The `credential_process` line for `key_id`, run by this credwiz.
pub fn command_line(key_id: &str) -> Result<String, MoveError> {
    keyring::command_line(&program()?, key_id).map_err(MoveError::Refused)
}

/// What the keyring held for a key before a move wrote it, to put back on failure.
struct Before {
    key_id: String,
    entry: Option<Stored>,
}

impl Before {
    fn read(keyring: &Keyring, key_id: &str) -> Result<Before, KeyringError> {
        let entry = match keyring.get(key_id) {
            Ok(stored) => Some(stored),
            Err(KeyringError::Missing(_)) => None,
            Err(e) => return Err(e),
        };
        Ok(Before {
            key_id: key_id.to_string(),
            entry,
        })
    }

    /// Puts the keyring back as it was; what could not be is said in the error.
    fn restore(self, keyring: &Keyring, why: MoveError) -> MoveError {
        let undone = match &self.entry {
            Some(stored) => keyring.put(&self.key_id, stored),
            None => keyring.delete(&self.key_id),
        };
        match undone {
            Ok(()) => why,
            Err(e) => MoveError::Refused(format!(
                "{why}; and the keyring entry for {} could not be put back ({e}): run `credwiz doctor`",
                self.key_id
            )),
        }
    }
}

/// Writes `stored` for `key_id`, runs `edit`, and undoes the entry if `edit` fails.
fn with_entry<T>(
    keyring: &Keyring,
    key_id: &str,
    stored: &Stored,
    edit: impl FnOnce() -> Result<T, MoveError>,
) -> Result<T, MoveError> {
    with_entries(keyring, &[(key_id, stored)], edit)
}

/// Writes each entry, runs `edit`, and puts the keyring back as it was if a write or
/// `edit` fails (the entries undone last first, so a key ID written twice ends as before).
fn with_entries<T>(
    keyring: &Keyring,
    entries: &[(&str, &Stored)],
    edit: impl FnOnce() -> Result<T, MoveError>,
) -> Result<T, MoveError> {
    let undo = |written: Vec<Before>, why: MoveError| {
        written
            .into_iter()
            .rev()
            .fold(why, |why, before| before.restore(keyring, why))
    };
    let mut written = Vec::with_capacity(entries.len());
    for (key_id, stored) in entries {
        let before = match Before::read(keyring, key_id) {
            Ok(before) => before,
            Err(e) => return Err(undo(written, e.into())),
        };
        let put = keyring.put(key_id, stored);
        written.push(before);
        if let Err(e) = put {
            return Err(undo(written, e.into()));
        }
    }
    edit().map_err(|why| undo(written, why))
}

/// `credwiz add --keyring` and the wizard's keyring choice: the entry, then the profile,
/// after `prepare` (the wizard's own change to a profile it replaces) in the same edit.
pub fn add(
    store: &Store,
    keyring: &Keyring,
    profile: &NewProfile,
    overwrite: bool,
    mut prepare: impl FnMut(&mut Editor) -> Result<(), StoreError>,
) -> Result<(Saved, Written), MoveError> {
    let line = command_line(&profile.access_key_id)?;
    let stored = Stored {
        secret: profile.secret.clone(),
        token: profile.token.clone(),
        expiration: None,
        lines: Vec::new(),
    };
    with_entry(keyring, &profile.access_key_id, &stored, || {
        Ok(store.edit(|editor| {
            prepare(editor)?;
            protected::save_keyring_profile(editor, profile, &line, overwrite)
        })?)
    })
}

/// The `credential_process` line of each key.
pub fn import_lines(keys: &[ImportedKey]) -> Result<Vec<String>, MoveError> {
    keys.iter()
        .map(|key| command_line(&key.access_key_id))
        .collect()
}

/// `credwiz import --keyring`: every key's entry, then the profiles in one edit (with
/// `settings` on each), the entries undone should it fail. The key IDs of the entries
/// that replaced profiles named, and the files written.
pub fn import(
    store: &Store,
    keyring: &Keyring,
    keys: &[ImportedKey],
    force: bool,
    settings: &[(&str, &str)],
) -> Result<(Vec<String>, Written), MoveError> {
    let lines = import_lines(keys)?;
    let stored: Vec<Stored> = keys
        .iter()
        .map(|key| Stored {
            secret: key.secret.clone(),
            token: None,
            expiration: None,
            lines: Vec::new(),
        })
        .collect();
    let entries: Vec<(&str, &Stored)> = keys
        .iter()
        .map(|key| key.access_key_id.as_str())
        .zip(&stored)
        .collect();
    with_entries(keyring, &entries, || {
        Ok(store.edit(|editor| {
            protected::import_keyring_profiles(editor, keys, &lines, force, settings)
        })?)
    })
}

/// What a protect did.
#[derive(Debug)]
pub struct Protected {
    pub key_id: String,
    pub written: Written,
    /// Profiles that still hold the same key in plaintext.
    pub also_plaintext: Vec<String>,
}

/// Moves `name`'s plaintext keys into the keyring.
pub fn protect(store: &Store, keyring: &Keyring, name: &str) -> Result<Protected, MoveError> {
    let (plain, _) = store.dry_run(|editor| protected::plaintext(editor, name))?;
    let line = command_line(&plain.key_id)?;
    let (also_plaintext, written) = with_entry(keyring, &plain.key_id, &plain.stored, || {
        Ok(store.edit(|editor| protected::protect(editor, name, &line))?)
    })?;
    Ok(Protected {
        key_id: plain.key_id,
        written,
        also_plaintext,
    })
}

/// What `protect` does to a profile already in the keyring: points its
/// `credential_process` at this credwiz when it runs another program (credwiz moved).
pub fn repoint(store: &Store, name: &str) -> Result<Option<Protected>, MoveError> {
    let (uses, _) = store.dry_run(|editor| Ok(protected::keyring_uses(&editor.all_settings()?)))?;
    let Some(used) = uses.into_iter().find(|u| u.profile == name) else {
        return Ok(None);
    };
    if used.program == program()? {
        return Err(MoveError::Refused(format!(
            "`{name}` already keeps its secret in the OS keyring"
        )));
    }
    let line = command_line(&used.key_id)?;
    let ((), written) = store.edit(|editor| protected::repoint(editor, name, &line))?;
    Ok(Some(Protected {
        key_id: used.key_id,
        written,
        also_plaintext: Vec::new(),
    }))
}

/// What an unprotect did.
#[derive(Debug)]
pub struct Unprotected {
    pub key_id: String,
    pub written: Written,
    /// The entry stays because these profiles still use it.
    pub entry_kept_for: Vec<String>,
    /// The entry could not be deleted (the files are done): why.
    pub entry_left: Option<KeyringError>,
}

/// Puts `name`'s keys back into the credentials file; the entry goes when no other
/// profile uses it.
pub fn unprotect(store: &Store, keyring: &Keyring, name: &str) -> Result<Unprotected, MoveError> {
    let key_id = keyring_key_id(store, name)?.ok_or_else(|| {
        MoveError::Refused(format!(
            "`{name}` does not keep its secret in the OS keyring: nothing to put back"
        ))
    })?;
    let stored = keyring.get(&key_id)?;
    let ((), written) =
        store.edit(|editor| protected::unprotect(editor, name, &key_id, &stored))?;
    let (entry_kept_for, entry_left) = forget_unused(store, keyring, &key_id)?;
    Ok(Unprotected {
        key_id,
        written,
        entry_kept_for,
        entry_left,
    })
}

/// The key ID of `name`'s keyring entry, if its secret is in the keyring.
pub fn keyring_key_id(store: &Store, name: &str) -> Result<Option<String>, MoveError> {
    let (key_id, _) = store.dry_run(|editor| {
        let all = editor.all_settings()?;
        let settings = all
            .get(name)
            .ok_or_else(|| StoreError::NoSuchProfile(name.to_string()))?;
        Ok(protected::keyring_key_id(settings).map(str::to_string))
    })?;
    Ok(key_id)
}

/// Deletes `key_id`'s entry unless a profile still uses it: the profiles that do, and
/// why it could not be deleted.
pub fn forget_unused(
    store: &Store,
    keyring: &Keyring,
    key_id: &str,
) -> Result<(Vec<String>, Option<KeyringError>), MoveError> {
    let (users, _) =
        store.dry_run(|editor| Ok(protected::entry_users(&editor.all_settings()?, key_id)))?;
    if !users.is_empty() {
        return Ok((users, None));
    }
    Ok((Vec::new(), keyring.delete(key_id).err()))
}

/// What became of a removed profile's keyring entry.
#[derive(Debug)]
pub enum Entry {
    Deleted {
        key_id: String,
    },
    /// Other profiles still use it.
    Kept {
        key_id: String,
        users: Vec<String>,
    },
    /// It could not be deleted (the profile is gone all the same).
    Left {
        key_id: String,
        why: MoveError,
    },
}

impl Entry {
    /// In a sentence, and whether it is a warning.
    pub fn said(&self) -> (String, bool) {
        match self {
            Entry::Deleted { key_id } => (
                format!("deleted the OS keyring's entry for {key_id}"),
                false,
            ),
            Entry::Kept { key_id, users } => (
                format!(
                    "the OS keyring's entry for {key_id} stays: {} use it",
                    crate::domain::text::quoted_list(users)
                ),
                false,
            ),
            Entry::Left { key_id, why } => (
                format!(
                    "the OS keyring's entry for {key_id} could not be deleted ({why}); `credwiz doctor` lists it"
                ),
                true,
            ),
        }
    }
}

/// Removes a profile from both files (see [`ops::remove`]), then its keyring entry when
/// no other profile uses it. Returns what the removal left, the files written, and what
/// became of the entry.
pub fn remove(
    store: &Store,
    name: &str,
    force: bool,
    open: crate::keyring::Opener,
) -> Result<(crate::store::ops::Removed, Written, Option<Entry>), StoreError> {
    let (removed, written) = store.edit(|editor| crate::store::ops::remove(editor, name, force))?;
    let entry = removed
        .keyring_key_id
        .clone()
        .map(|key_id| forget(store, key_id, open));
    Ok((removed, written, entry))
}

/// After the files stopped naming `key_id` in a profile (removed, or given plaintext
/// keys): its entry is deleted unless another profile still uses it.
pub fn forget(store: &Store, key_id: String, open: crate::keyring::Opener) -> Entry {
    let forgotten = open()
        .map_err(MoveError::from)
        .and_then(|keyring| forget_unused(store, &keyring, &key_id));
    match forgotten {
        Ok((users, None)) if users.is_empty() => Entry::Deleted { key_id },
        Ok((users, None)) => Entry::Kept { key_id, users },
        Ok((_, Some(why))) => Entry::Left {
            key_id,
            why: why.into(),
        },
        Err(why) => Entry::Left { key_id, why },
    }
}

/// A rotated key into every profile whose secret was the keyring entry of `old_id`: the
/// new entry, the profiles pointed at it, then the old entry deleted. The profiles
/// written.
pub fn rotate(
    store: &Store,
    keyring: &Keyring,
    old_id: &str,
    new_id: &str,
    secret: &Secret,
    token: Option<&Secret>,
) -> Result<Vec<String>, MoveError> {
    let line = command_line(new_id)?;
    let stored = Stored {
        secret: secret.clone(),
        token: token.cloned(),
        expiration: None,
        lines: Vec::new(),
    };
    let (written, _) = with_entry(keyring, new_id, &stored, || {
        Ok(store.edit(|editor| {
            let users = protected::entry_users(&editor.all_settings()?, old_id);
            for user in &users {
                protected::repoint(editor, user, &line)?;
            }
            Ok(users)
        })?)
    })?;
    // The files no longer name the old entry; one left behind is reported by doctor.
    if old_id != new_id {
        let _ = keyring.delete(old_id);
    }
    Ok(written)
}

/// What `doctor` checks of the keyring.
#[derive(Debug, Default)]
pub struct Audit {
    /// Profiles whose entry is not in the keyring.
    pub missing: Vec<protected::KeyringUse>,
    /// Profiles whose `credential_process` runs a program that is not there.
    pub moved: Vec<protected::KeyringUse>,
    /// credwiz entries no profile uses.
    pub unused: Vec<String>,
    /// Why the keyring could not be asked, when a profile needs it.
    pub unavailable: Option<KeyringError>,
    /// How many profiles keep their secret in the keyring.
    pub users: usize,
}

/// Checks every profile that keeps its secret in the keyring, and the keyring's credwiz
/// entries. No secret is read. A keyring that is not there matters only to profiles
/// that use it.
pub fn audit(uses: Vec<protected::KeyringUse>, keyring: Result<Keyring, KeyringError>) -> Audit {
    let moved = uses
        .iter()
        .filter(|u| !is_program(&u.program))
        .cloned()
        .collect();
    let users = uses.len();
    let ids = match keyring.and_then(|keyring| keyring.key_ids()) {
        Ok(ids) => ids,
        Err(e) => {
            return Audit {
                moved,
                unavailable: (users > 0).then_some(e),
                users,
                ..Audit::default()
            };
        }
    };
    let missing = uses
        .iter()
        .filter(|u| ids.binary_search(&u.key_id).is_err())
        .cloned()
        .collect();
    let unused = ids
        .into_iter()
        .filter(|id| !uses.iter().any(|u| &u.key_id == id))
        .collect();
    Audit {
        missing,
        moved,
        unused,
        unavailable: None,
        users,
    }
}

/// An executable file at `path`.
fn is_program(path: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}
