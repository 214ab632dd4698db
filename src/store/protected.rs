//! The file side of profiles whose secret is in the OS keyring (see
//! [`crate::domain::keyring`]): the edits of `protect`, `unprotect` and `add --keyring`.
//! The store knows no keyring: callers write the entry before the edit and remove it
//! should the edit fail, so the files never point at an entry that is not there.

use std::collections::BTreeMap;

use super::ops::{NewProfile, Saved};
use super::{Editor, OwnedSettings, StoreError};
use crate::domain::import::ImportedKey;
use crate::domain::keyring::{self, CREDENTIAL_PROCESS, Stored};
use crate::domain::profile::{
    ACCESS_KEY_ID, ENDPOINT_URL, OUTPUT, REGION, SECRET_ACCESS_KEY, SESSION_TOKEN, Traits,
};
use crate::domain::secret::Secret;

/// The keys that leave the files when a profile is protected.
const PLAINTEXT_KEYS: [&str; 4] = [
    ACCESS_KEY_ID,
    SECRET_ACCESS_KEY,
    SESSION_TOKEN,
    "aws_security_token",
];

/// A profile's keys as the files hold them, for the keyring.
pub struct Plaintext {
    pub key_id: String,
    pub stored: Stored,
}

fn value<'s>(settings: &'s OwnedSettings, key: &str) -> Option<&'s str> {
    settings
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.trim().is_empty())
}

fn traits(settings: &OwnedSettings) -> Traits<'_> {
    Traits::from_get(|key| value(settings, key))
}

/// The key ID whose secret is in the keyring, for a keyring profile.
pub fn keyring_key_id(settings: &OwnedSettings) -> Option<&str> {
    let traits = traits(settings);
    traits.keyring.then_some(traits.access_key_id).flatten()
}

/// `name`'s plaintext keys, or why it has none to move into the keyring.
pub fn plaintext(editor: &Editor, name: &str) -> Result<Plaintext, StoreError> {
    let all = editor.all_settings()?;
    let settings = all
        .get(name)
        .ok_or_else(|| StoreError::NoSuchProfile(name.to_string()))?;
    let mut plain = plaintext_of(name, settings)?;
    plain.stored.lines = editor.key_lines(name, &PLAINTEXT_KEYS)?;
    Ok(plain)
}

/// Every profile with plaintext keys, sorted: what `protect --all` moves.
pub fn plaintext_profiles(editor: &Editor) -> Result<Vec<String>, StoreError> {
    Ok(editor
        .all_settings()?
        .iter()
        .filter(|(name, settings)| plaintext_of(name, settings).is_ok())
        .map(|(name, _)| name.clone())
        .collect())
}

fn plaintext_of(name: &str, settings: &OwnedSettings) -> Result<Plaintext, StoreError> {
    let refuse = |why: &str| Err(StoreError::Refused(format!("`{name}` {why}")));
    if keyring_key_id(settings).is_some() {
        return refuse("already keeps its secret in the OS keyring");
    }
    let (Some(key_id), Some(secret)) = (
        value(settings, ACCESS_KEY_ID),
        value(settings, SECRET_ACCESS_KEY),
    ) else {
        return refuse("holds no access key and secret in the files: nothing to move");
    };
    if value(settings, CREDENTIAL_PROCESS).is_some() {
        return refuse(
            "has a credential_process of its own, which would be replaced: remove it first",
        );
    }
    let token = value(settings, SESSION_TOKEN).or_else(|| value(settings, "aws_security_token"));
    Ok(Plaintext {
        key_id: key_id.trim().to_string(),
        stored: Stored {
            secret: Secret::new(secret),
            token: token.map(Secret::new),
            expiration: value(settings, crate::domain::session::EXPIRATION).map(str::to_string),
            lines: Vec::new(),
        },
    })
}

/// Replaces `name`'s plaintext keys with `command_line` (credwiz's
/// `credential_process`); a credentials section left with nothing is removed. Any
/// `expiration` stays: it says when the keys end without opening the keyring. Returns
/// the other profiles that still hold the same key in plaintext, sorted.
pub fn protect(
    editor: &mut Editor,
    name: &str,
    command_line: &str,
) -> Result<Vec<String>, StoreError> {
    let all = editor.all_settings()?;
    let settings = all
        .get(name)
        .ok_or_else(|| StoreError::NoSuchProfile(name.to_string()))?;
    let key_id = plaintext_of(name, settings)?.key_id;
    let others = all
        .iter()
        .filter(|(other, settings)| {
            other.as_str() != name
                && plaintext_of(other, settings).is_ok_and(|p| p.key_id == key_id)
        })
        .map(|(other, _)| other.clone())
        .collect();
    editor.remove_keys(name, &PLAINTEXT_KEYS)?;
    editor.set(name, &[(CREDENTIAL_PROCESS, command_line)])?;
    editor.remove_empty_sections(name)?;
    Ok(others)
}

/// Puts `stored` back into `name`'s files as plaintext in place of credwiz's
/// `credential_process` for `key_id`: each key line as `protect` found it (its spacing,
/// its key's spelling), else as `credwiz add` writes keys.
pub fn unprotect(
    editor: &mut Editor,
    name: &str,
    key_id: &str,
    stored: &Stored,
) -> Result<(), StoreError> {
    let all = editor.all_settings()?;
    let settings = all
        .get(name)
        .ok_or_else(|| StoreError::NoSuchProfile(name.to_string()))?;
    if keyring_key_id(settings) != Some(key_id) {
        return Err(StoreError::Refused(format!(
            "`{name}` does not keep its secret in the OS keyring"
        )));
    }
    editor.remove_keys(name, &[CREDENTIAL_PROCESS])?;
    let mut pairs = vec![
        (ACCESS_KEY_ID, key_id),
        (SECRET_ACCESS_KEY, stored.secret.expose()),
    ];
    pairs.extend(stored.token.as_ref().map(|t| (SESSION_TOKEN, t.expose())));
    editor.set(name, &pairs)?;
    for line in &stored.lines {
        editor.respell(name, line.expose())?;
    }
    editor.remove_empty_sections(name)
}

/// A profile whose secret was in the OS keyring, about to get other keys (plaintext, or
/// another entry's): credwiz's `credential_process` goes, so that it names no entry that
/// no longer holds this profile's key. The key ID of the entry it named, for the caller
/// to delete when nothing else uses it.
pub fn leave_keyring(editor: &mut Editor, name: &str) -> Result<Option<String>, StoreError> {
    // No credwiz command line in the files (nearly always): nothing more is read.
    if editor.occurrences(crate::domain::keyring::SUBCOMMAND) == 0 {
        return Ok(None);
    }
    let all = editor.all_settings()?;
    let Some(key_id) = all.get(name).and_then(keyring_key_id) else {
        return Ok(None);
    };
    editor.remove_keys(name, &[CREDENTIAL_PROCESS])?;
    Ok(Some(key_id.to_string()))
}

/// Writes a new profile whose secret is in the keyring (its entry already written), or
/// with `overwrite` replaces an existing one's keys; every other setting stays.
pub fn save_keyring_profile(
    editor: &mut Editor,
    profile: &NewProfile,
    command_line: &str,
    overwrite: bool,
) -> Result<Saved, StoreError> {
    let existed = editor.exists(&profile.name);
    if existed && !overwrite {
        return Err(StoreError::ProfileExists(profile.name.clone()));
    }
    // Replacing another key's entry: that entry may be unused now.
    let left_keyring = match existed {
        true => leave_keyring(editor, &profile.name)?,
        false => None,
    }
    .filter(|old| *old != profile.access_key_id);
    editor.remove_keys(&profile.name, &PLAINTEXT_KEYS)?;
    let mut pairs = vec![(CREDENTIAL_PROCESS, command_line)];
    pairs.extend(profile.region.as_deref().map(|r| (REGION, r)));
    pairs.extend(profile.output.as_deref().map(|o| (OUTPUT, o)));
    pairs.extend(profile.endpoint_url.as_deref().map(|e| (ENDPOINT_URL, e)));
    editor.set(&profile.name, &pairs)?;
    editor.remove_empty_sections(&profile.name)?;
    Ok(Saved {
        left_keyring,
        ..Saved::alone(existed)
    })
}

/// The keys of an import as keyring profiles (their entries already written), each
/// `credential_process` from `lines`, with `settings` on each. The key IDs of the
/// entries that replaced profiles named.
pub fn import_keyring_profiles(
    editor: &mut Editor,
    keys: &[ImportedKey],
    lines: &[String],
    force: bool,
    settings: &[(&str, &str)],
) -> Result<Vec<String>, StoreError> {
    let mut left = Vec::new();
    for (key, line) in keys.iter().zip(lines) {
        let profile = NewProfile {
            name: key.profile.clone(),
            access_key_id: key.access_key_id.clone(),
            secret: key.secret.clone(),
            token: None,
            region: None,
            output: None,
            endpoint_url: None,
        };
        left.extend(save_keyring_profile(editor, &profile, line, force)?.left_keyring);
        if !settings.is_empty() {
            editor.set(&key.profile, settings)?;
        }
    }
    Ok(left)
}

/// The profiles whose secret is the keyring entry of `key_id`, sorted.
pub fn entry_users(all: &BTreeMap<String, OwnedSettings>, key_id: &str) -> Vec<String> {
    all.iter()
        .filter(|(_, settings)| keyring_key_id(settings) == Some(key_id))
        .map(|(name, _)| name.clone())
        .collect()
}

/// A profile whose secret is a keyring entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyringUse {
    pub profile: String,
    pub key_id: String,
    /// The program its `credential_process` runs.
    pub program: String,
}

/// Every profile whose secret is a keyring entry, by name.
pub fn keyring_uses(all: &BTreeMap<String, OwnedSettings>) -> Vec<KeyringUse> {
    all.iter()
        .filter(|(_, settings)| keyring_key_id(settings).is_some())
        .filter_map(|(name, settings)| {
            let found = keyring::reference(value(settings, CREDENTIAL_PROCESS)?)?;
            Some(KeyringUse {
                profile: name.clone(),
                key_id: found.key_id.into_owned(),
                program: found.program.into_owned(),
            })
        })
        .collect()
}

/// Points `name`'s `credential_process` at `command_line` (a key rotated, credwiz
/// moved).
pub fn repoint(editor: &mut Editor, name: &str, command_line: &str) -> Result<(), StoreError> {
    editor.set(name, &[(CREDENTIAL_PROCESS, command_line)])
}
