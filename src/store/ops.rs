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
        let mut copy = copied(DEFAULT, old)?;
        // A default that assumes its role with its own keys keeps doing so under its new name.
        redirect_source(&mut copy, DEFAULT, &saved);
        editor.set_copied(&saved, &pairs_of(&copy))?;
        Previous::SavedAs(saved)
    };

    let mut new_default = copied(name, target)?;
    if new_default
        .iter()
        .any(|s| s.key == SOURCE_PROFILE && s.value.as_str() == DEFAULT)
    {
        let previous_name = previous.name().ok_or_else(|| {
            StoreError::Refused(format!(
                "`{name}` takes its credentials from `default`, which has none; \
                 it cannot become the default itself"
            ))
        })?;
        redirect_source(&mut new_default, DEFAULT, previous_name);
    } else {
        // A role assumed with the profile's own keys (`source_profile = NAME`) is, in the
        // copy, assumed with the default's own: the same keys, and a chain that every SDK
        // resolves as it resolved the original.
        redirect_source(&mut new_default, name, DEFAULT);
    }
    let new_default = pairs_of(&new_default);
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
            Previous::NoDefault => "There was no default profile, so nothing is kept.".to_string(),
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

/// One setting as credwiz writes it in a copy.
struct CopiedSetting {
    key: String,
    /// Zeroized when dropped, like the settings it is copied from.
    value: zeroize::Zeroizing<String>,
}

fn pairs_of(settings: &[CopiedSetting]) -> Vec<(&str, &str)> {
    settings
        .iter()
        .map(|s| (s.key.as_str(), s.value.as_str()))
        .collect()
}

fn redirect_source(settings: &mut [CopiedSetting], from: &str, to: &str) {
    for setting in settings.iter_mut() {
        if setting.key == SOURCE_PROFILE && setting.value.as_str() == from {
            setting.value = zeroize::Zeroizing::new(to.to_string());
        }
    }
}

/// `profile`'s settings in the form every reader reads the same way (see
/// [`portable_value`]), or why one of them cannot be copied.
fn copied(profile: &str, settings: &OwnedSettings) -> Result<Vec<CopiedSetting>, StoreError> {
    settings
        .iter()
        .map(|(key, value)| {
            Ok(CopiedSetting {
                key: key.clone(),
                value: portable_value(profile, key, value)?,
            })
        })
        .collect()
}

/// A value as credwiz copies it. A multi-line value is either sub-properties (`s3 =`
/// with indented `name = value` lines), copied without the blank and comment lines among
/// them (the AWS CLI and the JS and Go SDKs skip those; the Rust SDK keeps indented
/// comments in the value), or a value that continues on indented lines, which the AWS CLI
/// and the Rust SDK read as one value and the JS and Go SDKs do not: not copied.
fn portable_value(
    profile: &str,
    key: &str,
    value: &str,
) -> Result<zeroize::Zeroizing<String>, StoreError> {
    let mut lines = value.split('\n');
    let first = lines.next().unwrap_or_default();
    let rest: Vec<&str> = lines
        .filter(|line| !line.is_empty() && !super::parse::is_comment(line))
        .collect();
    if rest.is_empty() {
        return Ok(zeroize::Zeroizing::new(first.to_string()));
    }
    let sub_properties = first.is_empty() && rest.iter().all(|line| line.contains('='));
    if !sub_properties {
        let shown = if crate::domain::mask::is_secret_key(key) {
            String::new()
        } else {
            format!(" (`{}`)", rest[0])
        };
        return Err(StoreError::Refused(format!(
            "`{key}` of profile `{profile}` continues on an indented line{shown}, which the AWS CLI \
             and the Rust SDK read as part of the value and the JS and Go SDKs do not; \
             credwiz does not copy it. Put the value on one line (remove the indentation of \
             the line below it, or the line) and try again"
        )));
    }
    Ok(zeroize::Zeroizing::new(
        std::iter::once(first)
            .chain(rest)
            .collect::<Vec<_>>()
            .join("\n"),
    ))
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

/// What removing a profile left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// Profiles whose `source_profile` still names it.
    pub dependents: Vec<String>,
    /// The key ID of its keyring entry, when its secret was in the OS keyring.
    pub keyring_key_id: Option<String>,
}

/// Removes a profile from both files. Refused while other profiles take their
/// credentials from it, unless `force`.
pub fn remove(editor: &mut Editor, name: &str, force: bool) -> Result<Removed, StoreError> {
    let all = editor.all_settings()?;
    let keyring_key_id = all
        .get(name)
        .and_then(super::protected::keyring_key_id)
        .map(str::to_string);
    let referencing = dependents(&all, name);
    if !referencing.is_empty() && !force {
        return Err(StoreError::Refused(format!(
            "`{name}` is the source_profile of {}; remove or change them first, or use --force",
            referencing.join(", ")
        )));
    }
    editor.remove_profile(name)?;
    Ok(Removed {
        dependents: referencing,
        keyring_key_id,
    })
}

/// Adds each key as a profile (credentials only). An existing profile is an error
/// unless `force`, which replaces its key pair and keeps its other settings. Returns the
/// key IDs of the keyring entries that replaced profiles named (see
/// [`super::protected::leave_keyring`]).
pub fn import(
    editor: &mut Editor,
    keys: &[ImportedKey],
    force: bool,
) -> Result<Vec<String>, StoreError> {
    use crate::domain::profile::{ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN};
    let mut left_keyring = Vec::new();
    for key in keys {
        let existed = editor.exists(&key.profile);
        if existed && !force {
            return Err(StoreError::ProfileExists(key.profile.clone()));
        }
        if existed {
            left_keyring.extend(super::protected::leave_keyring(editor, &key.profile)?);
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
    Ok(left_keyring)
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
    /// A service other than AWS (see [`crate::domain::service`]).
    pub endpoint_url: Option<String>,
}

impl NewProfile {
    fn pairs(&self) -> Vec<(&str, &str)> {
        use crate::domain::profile::{
            ACCESS_KEY_ID, ENDPOINT_URL, OUTPUT, REGION, SECRET_ACCESS_KEY, SESSION_TOKEN,
        };
        let mut pairs = vec![
            (ACCESS_KEY_ID, self.access_key_id.as_str()),
            (SECRET_ACCESS_KEY, self.secret.expose()),
        ];
        pairs.extend(self.token.as_ref().map(|t| (SESSION_TOKEN, t.expose())));
        pairs.extend(self.region.as_deref().map(|r| (REGION, r)));
        pairs.extend(self.output.as_deref().map(|o| (OUTPUT, o)));
        pairs.extend(self.endpoint_url.as_deref().map(|e| (ENDPOINT_URL, e)));
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
    let left_keyring = match existed {
        true => super::protected::leave_keyring(editor, &profile.name)?,
        false => None,
    };
    let saved = save_keys(editor, profile, existed)?;
    Ok(Saved {
        left_keyring,
        ..saved
    })
}

/// The keys (and region, output, endpoint) into the profile; other holders of a
/// replaced key pair get the new one too.
fn save_keys(
    editor: &mut Editor,
    profile: &NewProfile,
    existed: bool,
) -> Result<Saved, StoreError> {
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
            left_keyring: None,
        }),
        _ => {
            let holders = holders_of(editor, profile, old_id, old_secret)?;
            rotate(editor, profile, &holders)?;
            Ok(Saved {
                existed,
                also: holders,
                still_old: 0,
                left_keyring: None,
            })
        }
    }
}

/// The other profiles that hold `name`'s key pair (a default made with `use`, say),
/// sorted: the profiles a rotation of its key writes too.
pub fn key_holders(editor: &Editor, name: &str) -> Result<Vec<String>, StoreError> {
    use crate::domain::profile::{ACCESS_KEY_ID, SECRET_ACCESS_KEY};
    let all = editor.all_settings()?;
    let settings = all
        .get(name)
        .ok_or_else(|| StoreError::NoSuchProfile(name.to_string()))?;
    let (Some(id), Some(secret)) = (
        get(settings, ACCESS_KEY_ID),
        get(settings, SECRET_ACCESS_KEY),
    ) else {
        return Ok(Vec::new());
    };
    let profile = NewProfile {
        name: name.to_string(),
        access_key_id: id.to_string(),
        secret: Secret::new(secret),
        token: None,
        region: None,
        output: None,
        endpoint_url: None,
    };
    holders_of(editor, &profile, id, secret)
}

/// Replaces `name`'s key pair with a new one made by IAM, in `name` and in every other
/// profile that held the old pair (however many: the old key is retired next). Returns
/// the profiles written, `name` first.
pub fn rotate_key(
    editor: &mut Editor,
    name: &str,
    access_key_id: &str,
    secret: &Secret,
) -> Result<Vec<String>, StoreError> {
    if !editor.exists(name) {
        return Err(StoreError::NoSuchProfile(name.to_string()));
    }
    let holders = key_holders(editor, name)?;
    let profile = NewProfile {
        name: name.to_string(),
        access_key_id: access_key_id.to_string(),
        secret: secret.clone(),
        token: None,
        region: None,
        output: None,
        endpoint_url: None,
    };
    editor.remove_keys(
        name,
        &[crate::domain::profile::SESSION_TOKEN, "aws_security_token"],
    )?;
    editor.set(name, &profile.pairs())?;
    rotate(editor, &profile, &holders)?;
    Ok(std::iter::once(name.to_string()).chain(holders).collect())
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
    /// The profile kept its secret in the OS keyring under this key ID, and no longer
    /// does: the caller deletes the entry if nothing else uses it.
    pub left_keyring: Option<String>,
}

impl Saved {
    pub(crate) fn alone(existed: bool) -> Saved {
        Saved {
            existed,
            also: Vec::new(),
            still_old: 0,
            left_keyring: None,
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
    use crate::domain::profile::{ACCESS_KEY_ID, ENDPOINT_URL, SECRET_ACCESS_KEY};
    let all = editor.all_settings()?;
    // The same pair at another endpoint is another service's key (`test`/`test` is every
    // emulator's): only profiles at the same endpoint (AWS's included) hold this one.
    let endpoint_of = |settings: &OwnedSettings| {
        get(settings, ENDPOINT_URL).map(|url| url.trim().trim_end_matches('/').to_string())
    };
    let own_endpoint = all.get(&profile.name).and_then(endpoint_of);
    Ok(all
        .iter()
        .filter(|(name, settings)| {
            name.as_str() != profile.name
                && get(settings, ACCESS_KEY_ID) == Some(old_id)
                && get(settings, SECRET_ACCESS_KEY) == Some(old_secret)
                && endpoint_of(settings) == own_endpoint
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
