//! Profile operations with meaning beyond single keys: make a profile the default,
//! rename, remove, import keys. Each runs inside [`Store::edit`](super::Store::edit), so
//! everything the store guarantees (lock, lossless edits, atomic writes, nothing written
//! on error) holds; the CLI and the TUI call the same functions.

use std::collections::BTreeMap;

use super::{Editor, OwnedSettings, StoreError};
use crate::domain::import::ImportedKey;
use crate::domain::profile::{CREDENTIAL_SOURCE_KEYS, SOURCE_PROFILE};
use crate::domain::secret::Secret;

pub const DEFAULT: &str = "default";
const SAVED_DEFAULT: &str = "previous-default";

fn get<'s>(settings: &'s OwnedSettings, key: &str) -> Option<&'s str> {
    settings
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// The settings that decide where the credentials come from, in key order.
fn fingerprint(settings: &OwnedSettings) -> Vec<(&str, &str)> {
    settings
        .iter()
        .filter(|(k, _)| CREDENTIAL_SOURCE_KEYS.contains(&k.as_str()))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Profiles whose `source_profile` names `name`, sorted.
pub fn dependents(all: &BTreeMap<String, OwnedSettings>, name: &str) -> Vec<String> {
    all.iter()
        .filter(|(n, s)| n.as_str() != name && get(s, SOURCE_PROFILE) == Some(name))
        .map(|(n, _)| n.clone())
        .collect()
}

fn free_name(all: &BTreeMap<String, OwnedSettings>, base: &str) -> String {
    std::iter::once(base.to_string())
        .chain((2..).map(|i| format!("{base}-{i}")))
        .find(|n| !all.contains_key(n))
        .expect("an unused name exists")
}

fn pairs(settings: &OwnedSettings) -> Vec<(&str, &str)> {
    settings
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Where the previous default's credentials are after [`make_default`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Previous {
    /// There was no default profile.
    NoDefault,
    /// The default held no credentials.
    Nothing,
    /// Another profile already holds the same credentials, and every other setting of
    /// the previous default too.
    HeldBy(String),
    /// Saved under a new name.
    SavedAs(String),
}

impl Previous {
    fn name(&self) -> Option<&str> {
        match self {
            Previous::NoDefault | Previous::Nothing => None,
            Previous::HeldBy(n) | Previous::SavedAs(n) => Some(n),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MadeDefault {
    pub already: bool,
    pub previous: Previous,
    /// Profiles whose `source_profile = default` now names the previous default.
    pub redirected: Vec<String>,
    /// Settings of the previous default kept nowhere (it had no keys of its own, so it
    /// was not saved): `region = eu-central-1` replaced or removed. Secrets never.
    pub replaced: Vec<(String, String)>,
}

/// Makes `name` the default: `[default]` becomes a copy of its settings, so any tool
/// with no profile selected uses them. The previous default is kept under a name (an
/// existing profile with the same credentials, else a new one), and profiles that took
/// their credentials from `default` follow it there, so their keys do not change.
pub fn make_default(editor: &mut Editor, name: &str) -> Result<MadeDefault, StoreError> {
    let all = editor.all_settings()?;
    let target = all
        .get(name)
        .ok_or_else(|| StoreError::NoSuchProfile(name.to_string()))?;
    if name == DEFAULT {
        return Ok(MadeDefault {
            already: true,
            previous: Previous::Nothing,
            redirected: vec![],
            replaced: vec![],
        });
    }
    let empty = OwnedSettings::new();
    let old = all.get(DEFAULT).unwrap_or(&empty);
    let referencing = dependents(&all, DEFAULT);
    let old_credentials = fingerprint(old);
    let previous = if !all.contains_key(DEFAULT) && referencing.is_empty() {
        Previous::NoDefault
    } else if old_credentials.is_empty() && referencing.is_empty() {
        Previous::Nothing
    } else if let Some((holder, _)) = all
        .iter()
        .filter(|(n, _)| n.as_str() != DEFAULT && !old_credentials.is_empty())
        .find(|(_, s)| fingerprint(s) == old_credentials && holds_all(s, old))
    {
        Previous::HeldBy(holder.clone())
    } else {
        let saved = free_name(&all, SAVED_DEFAULT);
        editor.set_copied(&saved, &pairs(old))?;
        Previous::SavedAs(saved)
    };

    let mut new_default = pairs(target);
    for (key, value) in new_default.iter_mut() {
        if *key == SOURCE_PROFILE && *value == DEFAULT {
            *value = previous.name().ok_or_else(|| {
                StoreError::Refused(format!(
                    "`{name}` takes its credentials from `default`, which has none; \
                     it cannot become the default itself"
                ))
            })?;
        }
    }
    let stale: Vec<&str> = old
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| get(target, k).is_none())
        .collect();
    editor.remove_keys(DEFAULT, &stale)?;
    editor.set_copied(DEFAULT, &new_default)?;
    editor.ensure_profile(DEFAULT)?;

    let mut redirected = Vec::new();
    if let Some(previous_name) = previous.name() {
        for profile in referencing.iter().filter(|p| p.as_str() != previous_name) {
            editor.set(profile, &[(SOURCE_PROFILE, previous_name)])?;
            redirected.push(profile.clone());
        }
    }
    let replaced: Vec<(String, String)> = match previous {
        Previous::Nothing => old
            .iter()
            .filter(|(k, v)| get(target, k) != Some(v.as_str()))
            .filter(|(k, _)| !crate::domain::mask::is_secret_key(k))
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect(),
        _ => Vec::new(),
    };
    Ok(MadeDefault {
        already: false,
        previous,
        redirected,
        replaced,
    })
}

impl MadeDefault {
    /// What making `name` the default does, one sentence a line (after a dry run: what it
    /// will do). Values are the files' own; callers escape them for the terminal.
    pub fn described(&self, name: &str) -> Vec<String> {
        let mut lines = vec![format!(
            "`default` becomes a copy of `{name}`: its keys and its other settings."
        )];
        lines.push(match &self.previous {
            Previous::NoDefault => "There is no default profile yet.".to_string(),
            Previous::Nothing if self.replaced.is_empty() => {
                "The current default has no keys of its own.".to_string()
            }
            Previous::Nothing => {
                let settings: Vec<String> = self
                    .replaced
                    .iter()
                    .map(|(k, v)| format!("{k} = {v}"))
                    .collect();
                let verb = if settings.len() == 1 { "goes" } else { "go" };
                format!(
                    "The current default has no keys of its own; its {} {verb}.",
                    settings.join(", ")
                )
            }
            Previous::HeldBy(holder) => {
                format!("The current default is also in `{holder}`, settings and all.")
            }
            Previous::SavedAs(saved) => format!("The current default is kept as `{saved}`."),
        });
        if let (Some(target), false) = (self.previous.name(), self.redirected.is_empty()) {
            let who = crate::domain::text::quoted_list(&self.redirected);
            lines.push(match self.redirected.as_slice() {
                [_] => format!(
                    "{who} took its keys from `default`: its source_profile now names `{target}`, so it keeps them."
                ),
                _ => format!(
                    "{who} took their keys from `default`: their source_profile now names `{target}`, so they keep them."
                ),
            });
        }
        lines
    }
}

/// Whether `holder` has every setting of `old`, with the same value.
fn holds_all(holder: &OwnedSettings, old: &OwnedSettings) -> bool {
    old.iter().all(|(k, v)| get(holder, k) == Some(v.as_str()))
}

/// Renames a profile in both files; `source_profile` references follow it.
pub fn rename(editor: &mut Editor, old: &str, new: &str) -> Result<Vec<String>, StoreError> {
    let all = editor.all_settings()?;
    let referencing = dependents(&all, old);
    editor.rename_profile(old, new)?;
    for profile in &referencing {
        editor.set(profile, &[(SOURCE_PROFILE, new)])?;
    }
    Ok(referencing)
}

/// Removes a profile from both files. Refused while other profiles take their
/// credentials from it, unless `force`; returns those profiles.
pub fn remove(editor: &mut Editor, name: &str, force: bool) -> Result<Vec<String>, StoreError> {
    let all = editor.all_settings()?;
    let referencing = dependents(&all, name);
    if !referencing.is_empty() && !force {
        return Err(StoreError::Refused(format!(
            "`{name}` is the source_profile of {}; remove or change them first, or use --force",
            referencing.join(", ")
        )));
    }
    editor.remove_profile(name)?;
    Ok(referencing)
}

/// Adds each key as a profile (credentials only). An existing profile is an error
/// unless `force`, which replaces its key pair and keeps its other settings.
pub fn import(editor: &mut Editor, keys: &[ImportedKey], force: bool) -> Result<(), StoreError> {
    use crate::domain::profile::{ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN};
    for key in keys {
        if editor.exists(&key.profile) && !force {
            return Err(StoreError::ProfileExists(key.profile.clone()));
        }
        editor.remove_keys(&key.profile, &[SESSION_TOKEN, "aws_security_token"])?;
        editor.set(
            &key.profile,
            &[
                (ACCESS_KEY_ID, &key.access_key_id),
                (SECRET_ACCESS_KEY, key.secret.expose()),
            ],
        )?;
    }
    Ok(())
}

/// A profile with an access key, as `credwiz add` and the setup wizard create it.
pub struct NewProfile {
    pub name: String,
    pub access_key_id: String,
    pub secret: Secret,
    /// Required for temporary (`ASIA`) keys.
    pub token: Option<Secret>,
    pub region: Option<String>,
    pub output: Option<String>,
}

impl NewProfile {
    fn pairs(&self) -> Vec<(&str, &str)> {
        use crate::domain::profile::{
            ACCESS_KEY_ID, OUTPUT, REGION, SECRET_ACCESS_KEY, SESSION_TOKEN,
        };
        let mut pairs = vec![
            (ACCESS_KEY_ID, self.access_key_id.as_str()),
            (SECRET_ACCESS_KEY, self.secret.expose()),
        ];
        pairs.extend(self.token.as_ref().map(|t| (SESSION_TOKEN, t.expose())));
        pairs.extend(self.region.as_deref().map(|r| (REGION, r)));
        pairs.extend(self.output.as_deref().map(|o| (OUTPUT, o)));
        pairs
    }
}

/// Writes a new profile, or with `overwrite` replaces an existing one's key pair (a
/// stale session token goes; every other setting stays). Returns whether it existed.
pub fn save_profile(
    editor: &mut Editor,
    profile: &NewProfile,
    overwrite: bool,
) -> Result<Saved, StoreError> {
    let existed = editor.exists(&profile.name);
    if existed && !overwrite {
        return Err(StoreError::ProfileExists(profile.name.clone()));
    }
    if profile.token.is_none() {
        editor.remove_keys(
            &profile.name,
            &[crate::domain::profile::SESSION_TOKEN, "aws_security_token"],
        )?;
    }
    // `pairs` starts with the key ID and the secret: `old` holds what they were.
    let old = editor.replace(&profile.name, &profile.pairs())?;
    let (Some(old_id), Some(old_secret)) = (&old[0], &old[1]) else {
        return Ok(Saved::alone(existed));
    };
    if !existed || (**old_id == profile.access_key_id && **old_secret == profile.secret.expose()) {
        return Ok(Saved::alone(existed));
    }
    // Counted in the files as read, before finding who holds it: most keys are in one
    // profile, and then nothing more is read.
    match editor.occurrences(old_id) {
        0 | 1 => Ok(Saved::alone(existed)),
        n if n > MAX_ROTATED + 1 => Ok(Saved {
            existed,
            also: Vec::new(),
            still_old: n - 1,
        }),
        _ => {
            let holders = holders_of(editor, profile, old_id, old_secret)?;
            rotate(editor, profile, &holders)?;
            Ok(Saved {
                existed,
                also: holders,
                still_old: 0,
            })
        }
    }
}

/// More profiles than this holding one key pair are not rotated with it, only named:
/// that is no longer a default made from a profile but a pattern the user chose (and
/// each profile rewritten costs a pass over both files).
const MAX_ROTATED: usize = 8;

/// What saving a profile did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub existed: bool,
    /// Other profiles that held the replaced key pair (a default made with `use`, say)
    /// and now hold the new one.
    pub also: Vec<String>,
    /// How many more times the replaced key ID is in the files, left alone (too many).
    pub still_old: usize,
}

impl Saved {
    fn alone(existed: bool) -> Saved {
        Saved {
            existed,
            also: Vec::new(),
            still_old: 0,
        }
    }
}

/// The other profiles that hold the pair `profile` had before.
fn holders_of(
    editor: &Editor,
    profile: &NewProfile,
    old_id: &str,
    old_secret: &str,
) -> Result<Vec<String>, StoreError> {
    use crate::domain::profile::{ACCESS_KEY_ID, SECRET_ACCESS_KEY};
    let all = editor.all_settings()?;
    Ok(all
        .iter()
        .filter(|(name, settings)| {
            name.as_str() != profile.name
                && get(settings, ACCESS_KEY_ID) == Some(old_id)
                && get(settings, SECRET_ACCESS_KEY) == Some(old_secret)
        })
        .map(|(name, _)| name.clone())
        .collect())
}

/// The new pair (and token) of `profile` in each of `holders`, so that a default made
/// from the profile does not keep using the old key.
fn rotate(editor: &mut Editor, profile: &NewProfile, holders: &[String]) -> Result<(), StoreError> {
    use crate::domain::profile::{ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN};
    for holder in holders {
        let mut pairs = vec![
            (ACCESS_KEY_ID, profile.access_key_id.as_str()),
            (SECRET_ACCESS_KEY, profile.secret.expose()),
        ];
        match &profile.token {
            Some(token) => pairs.push((SESSION_TOKEN, token.expose())),
            None => editor.remove_keys(holder, &[SESSION_TOKEN, "aws_security_token"])?,
        }
        editor.set(holder, &pairs)?;
    }
    Ok(())
}
