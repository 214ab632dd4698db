//! Changes to both files through one [`Editor`], routed as the AWS CLI routes them.

use std::collections::BTreeMap;

use super::document::Document;
use super::parse::{FileKind, Layout};
use super::view::ProfileSet;
use super::{Loaded, OwnedSettings, StoreError, edit};
use crate::domain::secret::Secret;
use crate::domain::{profile, validate};

use zeroize::Zeroizing;

/// Changes to both files, routed as the AWS CLI routes them: credential keys to the
/// credentials file under `[NAME]`, everything else to config under `[profile NAME]`.
/// Each change is planned on a read-only view of a file, then applied.
pub struct Editor {
    pub config: Loaded,
    pub credentials: Loaded,
    /// (profile, key, value) that must hold after the edit; `None` means absent.
    expected: Vec<(String, String, Option<String>)>,
}

impl Editor {
    pub(super) fn new(config: Loaded, credentials: Loaded) -> Editor {
        Editor {
            config,
            credentials,
            expected: Vec::new(),
        }
    }

    /// The parse error of either file as it was read, if it has one.
    pub(super) fn original_parse_error(&self) -> Option<StoreError> {
        [&self.config, &self.credentials]
            .into_iter()
            .find_map(|file| {
                let doc = Document::parse(file.doc.original());
                super::parse::parse(&doc)
                    .err()
                    .map(|error| StoreError::Parse {
                        path: file.path.clone(),
                        error,
                    })
            })
    }

    fn file_mut(&mut self, kind: FileKind) -> &mut Loaded {
        match kind {
            FileKind::Config => &mut self.config,
            FileKind::Credentials => &mut self.credentials,
        }
    }

    /// Plans a change to `profile`'s sections of one file, then applies it. Only those
    /// sections are parsed: the whole file was checked when it was read.
    fn change_file(
        &mut self,
        kind: FileKind,
        profile: &str,
        plan: impl FnOnce(&Document, &Layout) -> Option<edit::Plan>,
    ) -> Result<bool, StoreError> {
        let file = self.file_mut(kind);
        let planned = {
            let layout = file.parse_profile(profile)?;
            plan(&file.doc, &layout)
        };
        Ok(match planned {
            Some(p) if !p.is_empty() => {
                p.apply(&mut file.doc);
                true
            }
            _ => false,
        })
    }

    /// How many times `text` is in the two files as they were read.
    pub fn occurrences(&self, text: &str) -> usize {
        let finder = memchr::memmem::Finder::new(text.as_bytes());
        [&self.config, &self.credentials]
            .iter()
            .map(|f| finder.find_iter(f.doc.original().as_bytes()).count())
            .sum()
    }

    pub fn exists(&self, profile: &str) -> bool {
        [&self.config, &self.credentials]
            .iter()
            .any(|f| edit::has_section(&f.doc, f.kind, profile))
    }

    /// Sets keys on a profile. A key already present (in either file, any case) is
    /// rewritten where it is; a new one goes to the file the AWS CLI would use.
    pub fn set(&mut self, profile: &str, pairs: &[(&str, &str)]) -> Result<(), StoreError> {
        for (key, value) in pairs {
            validate::file_value(key, value)?;
        }
        self.set_values(profile, pairs).map(|_| ())
    }

    /// Like [`Editor::set`], for values read from the files themselves: a multi-line
    /// value (sub-properties such as `s3 =` with indented lines) is written as
    /// continuation lines.
    pub fn set_copied(&mut self, profile: &str, pairs: &[(&str, &str)]) -> Result<(), StoreError> {
        for (key, value) in pairs {
            for (i, line) in value.split('\n').enumerate() {
                if i == 0 || !line.is_empty() {
                    validate::file_value(key, line)?;
                }
            }
        }
        self.set_values(profile, pairs).map(|_| ())
    }

    /// Like [`Editor::set`], returning the values the keys had (credentials' over
    /// config's, as the SDKs merge them): what a rotation replaces.
    pub fn replace(
        &mut self,
        profile: &str,
        pairs: &[(&str, &str)],
    ) -> Result<Vec<Option<Zeroizing<String>>>, StoreError> {
        for (key, value) in pairs {
            validate::file_value(key, value)?;
        }
        self.set_values(profile, pairs)
    }

    fn set_values(
        &mut self,
        profile: &str,
        pairs: &[(&str, &str)],
    ) -> Result<Vec<Option<Zeroizing<String>>>, StoreError> {
        validate::profile_name(profile)?;
        for (key, _) in pairs {
            validate::file_key(key)?;
        }
        let mut present: [Vec<bool>; 2] = Default::default();
        let mut old: Vec<Option<Zeroizing<String>>> = vec![None; pairs.len()];
        let mut credentials_hold_keys = false;
        let mut odd_headers = [false; 2];
        // Config first, so that credentials' values win.
        for (i, file) in [&self.config, &self.credentials].into_iter().enumerate() {
            let layout = file.parse_profile(profile)?;
            odd_headers[i] = edit::sections_of(&layout, file.kind, profile)
                .iter()
                .any(|s| edit::needs_portable_header(&file.doc, s, file.kind, profile));
            if file.kind == FileKind::Credentials {
                credentials_hold_keys = layout.sections.iter().any(|s| {
                    profile::CREDENTIAL_KEYS
                        .iter()
                        .any(|k| layout.find(s, k).next().is_some())
                });
            }
            present[i] = pairs
                .iter()
                .enumerate()
                .map(|(j, (k, _))| {
                    let found = layout
                        .sections
                        .iter()
                        .rev()
                        .find_map(|s| layout.find(s, k).last());
                    if let Some(prop) = found {
                        old[j] = Some(Zeroizing::new(prop.value.to_string()));
                    }
                    found.is_some()
                })
                .collect();
        }
        self.move_split_keys(profile, pairs, &mut present, credentials_hold_keys)?;
        for (i, kind) in [FileKind::Config, FileKind::Credentials]
            .into_iter()
            .enumerate()
        {
            let mine: Vec<(&str, &str)> = pairs
                .iter()
                .enumerate()
                .filter(|(j, (key, _))| {
                    let nowhere = !present[0][*j] && !present[1][*j];
                    let home = if profile::is_credential_key(key)
                        || key.eq_ignore_ascii_case(crate::domain::session::EXPIRATION)
                    {
                        FileKind::Credentials
                    } else {
                        FileKind::Config
                    };
                    present[i][*j] || (nowhere && home == kind)
                })
                .map(|(_, pair)| *pair)
                .collect();
            if !mine.is_empty() {
                self.change_file(kind, profile, |doc, layout| {
                    edit::set_keys(doc, layout, kind, profile, &mine, true)
                })?;
            } else if odd_headers[i] {
                self.change_file(kind, profile, |doc, layout| {
                    Some(edit::portable_headers(doc, layout, kind, profile))
                })?;
            }
        }
        for (key, value) in pairs {
            self.expect(profile, key, Some(value));
        }
        Ok(old)
    }

    /// A key pair split across the files (key ID in credentials, secret in config) is
    /// read by some SDKs and refused by others (botocore's `PartialCredentialsError`, Go
    /// skips the profile). When the credentials file holds or gets any of the profile's
    /// keys, the credential keys being set go there and their config copies are removed.
    fn move_split_keys(
        &mut self,
        profile: &str,
        pairs: &[(&str, &str)],
        present: &mut [Vec<bool>; 2],
        credentials_hold_keys: bool,
    ) -> Result<(), StoreError> {
        let new_in_credentials = pairs.iter().enumerate().any(|(j, (key, _))| {
            profile::is_credential_key(key) && !present[0][j] && !present[1][j]
        });
        if !credentials_hold_keys && !new_in_credentials {
            return Ok(());
        }
        let mut moved = Vec::new();
        for (j, (key, _)) in pairs.iter().enumerate() {
            if profile::is_credential_key(key) && present[0][j] {
                present[0][j] = false;
                present[1][j] = true;
                moved.push(*key);
            }
        }
        if !moved.is_empty() {
            self.change_file(FileKind::Config, profile, |_, layout| {
                Some(edit::remove_keys(layout, FileKind::Config, profile, &moved))
            })?;
        }
        Ok(())
    }

    /// Every profile's effective settings (those only the AWS CLI reads under their name
    /// too), copied out (values zeroized when dropped).
    pub fn all_settings(&self) -> Result<BTreeMap<String, OwnedSettings>, StoreError> {
        let config = self.config.parse_checked()?;
        let credentials = self.credentials.parse_checked()?;
        let set = ProfileSet::merge(&config, &credentials);
        Ok(set
            .every_profile()
            .map(|(name, section)| {
                let settings = section
                    .settings
                    .iter()
                    .map(|(k, s)| (k.to_string(), Zeroizing::new(s.value.to_string())))
                    .collect();
                (name.to_string(), settings)
            })
            .collect())
    }

    /// Removes keys from a profile, wherever they are.
    pub fn remove_keys(&mut self, profile: &str, keys: &[&str]) -> Result<(), StoreError> {
        for kind in [FileKind::Config, FileKind::Credentials] {
            self.change_file(kind, profile, |_, layout| {
                Some(edit::remove_keys(layout, kind, profile, keys))
            })?;
        }
        for key in keys {
            self.expect(profile, key, None);
        }
        Ok(())
    }

    /// The profile's one-line settings of `keys` as the files spell them, for
    /// [`Editor::respell`] to give back.
    pub fn key_lines(&self, profile: &str, keys: &[&str]) -> Result<Vec<Secret>, StoreError> {
        let mut lines = Vec::new();
        for file in [&self.config, &self.credentials] {
            let layout = file.parse_profile(profile)?;
            for section in edit::sections_of(&layout, file.kind, profile) {
                let props = layout.props(section).iter();
                lines.extend(
                    props
                        .filter(|p| keys.iter().any(|k| p.is(k)) && p.end() == p.line() + 1)
                        .map(|p| Secret::new(file.doc.text(p.line()))),
                );
            }
        }
        Ok(lines)
    }

    /// Spells the profile's setting that `raw` holds as `raw` (a line from
    /// [`Editor::key_lines`]), where it reads as the same key and value as the setting
    /// now has; any other line is left as it is.
    pub fn respell(&mut self, profile: &str, raw: &str) -> Result<(), StoreError> {
        let Some((key, value)) = edit::read_line(raw) else {
            return Ok(());
        };
        for kind in [FileKind::Config, FileKind::Credentials] {
            self.change_file(kind, profile, |_, layout| {
                Some(edit::respell(layout, kind, profile, (&key, &value), raw))
            })?;
        }
        Ok(())
    }

    /// Removes the profile's sections left with no setting (in either file).
    pub fn remove_empty_sections(&mut self, profile: &str) -> Result<(), StoreError> {
        for kind in [FileKind::Config, FileKind::Credentials] {
            self.change_file(kind, profile, |doc, layout| {
                Some(edit::remove_empty_sections(doc, layout, kind, profile))
            })?;
        }
        Ok(())
    }

    /// Ensures the profile has a section (so it is listed even with no settings).
    pub fn ensure_profile(&mut self, profile: &str) -> Result<(), StoreError> {
        validate::profile_name(profile)?;
        if !self.exists(profile) {
            self.change_file(FileKind::Config, profile, |doc, _| {
                Some(edit::append_section(doc, FileKind::Config, profile, &[]))
            })?;
        }
        Ok(())
    }

    pub fn remove_profile(&mut self, profile: &str) -> Result<(), StoreError> {
        if !self.exists(profile) {
            return Err(StoreError::NoSuchProfile(profile.to_string()));
        }
        for kind in [FileKind::Config, FileKind::Credentials] {
            self.change_file(kind, profile, |doc, layout| {
                Some(edit::remove_section(doc, layout, kind, profile))
            })?;
        }
        Ok(())
    }

    pub fn rename_profile(&mut self, old: &str, new: &str) -> Result<(), StoreError> {
        validate::profile_name(new)?;
        if !self.exists(old) {
            return Err(StoreError::NoSuchProfile(old.to_string()));
        }
        // A name only the AWS CLI reads (`[profile "personal"]`) renamed to itself has
        // its headers rewritten in credwiz's form: how it loses its quotes.
        let unquoting = old == new && !self.read_by_the_sdks(old)?;
        if !unquoting && self.exists(new) {
            return Err(StoreError::NameTaken(new.to_string()));
        }
        for kind in [FileKind::Config, FileKind::Credentials] {
            self.change_file(kind, old, |doc, layout| {
                Some(edit::rename_section(doc, layout, kind, old, new))
            })?;
        }
        Ok(())
    }

    /// Whether a section the SDKs read names `profile` (not only one the AWS CLI reads).
    fn read_by_the_sdks(&self, profile: &str) -> Result<bool, StoreError> {
        for file in [&self.config, &self.credentials] {
            let layout = file.parse_profile(profile)?;
            if layout.sections.iter().any(|s| {
                matches!(super::parse::section_role(s.raw_name, file.kind),
                    super::parse::SectionRole::Profile { name, .. } if name == profile)
            }) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn expect(&mut self, profile: &str, key: &str, value: Option<&str>) {
        self.expected
            .retain(|(p, k, _)| !(p == profile && k.eq_ignore_ascii_case(key)));
        self.expected.push((
            profile.to_string(),
            key.to_ascii_lowercase(),
            value.map(str::to_string),
        ));
    }

    /// Both files must still parse and the merged view must show exactly what was set,
    /// or nothing is written.
    pub(super) fn check(&self) -> Result<Checked, StoreError> {
        let config = self.config.parse_checked()?;
        let credentials = self.credentials.parse_checked()?;
        let checked = Checked::of([(&self.config, &config), (&self.credentials, &credentials)]);
        let mut profiles: Vec<&str> = self.expected.iter().map(|(p, _, _)| p.as_str()).collect();
        profiles.sort_unstable();
        profiles.dedup();
        for profile in profiles {
            let config = config.only(|raw| edit::names_profile(raw, FileKind::Config, profile));
            let credentials =
                credentials.only(|raw| edit::names_profile(raw, FileKind::Credentials, profile));
            let set = ProfileSet::merge(&config, &credentials);
            let section = set.profiles.get(profile);
            for (_, key, want) in self.expected.iter().filter(|(p, _, _)| p == profile) {
                if section.and_then(|p| p.get(key)) != want.as_deref() {
                    return Err(StoreError::Check(format!(
                        "`{key}` of profile `{profile}` did not take the new value"
                    )));
                }
            }
        }
        Ok(checked)
    }
}

/// What the final check learns of both files as they would be written, from the parse it
/// makes anyway: why the AWS CLI would refuse each, and every secret they hold (so that
/// what the command prints next can be masked without reading the files again).
#[derive(Default)]
pub(super) struct Checked {
    /// Config's, then credentials' (found only for files an edit touched).
    pub refusals: [Vec<String>; 2],
    pub secrets: crate::domain::redact::Redactor,
}

impl Checked {
    fn of(files: [(&Loaded, &Layout); 2]) -> Checked {
        let mut checked = Checked::default();
        for (i, (loaded, layout)) in files.iter().enumerate() {
            if !loaded.doc.is_edited() {
                continue;
            }
            checked.refusals[i] = super::lint::botocore_notices(
                &loaded.doc,
                layout,
                loaded.kind,
                super::lint::Checks::Refused,
            )
            .into_iter()
            .filter(|n| n.refused)
            .map(|n| match n.line {
                Some(line) => format!("line {line}: {}", n.message),
                None => n.message,
            })
            .collect();
        }
        checked.secrets.learn_many(
            files
                .iter()
                .flat_map(|(_, layout)| layout.properties())
                .filter(|prop| crate::domain::mask::is_secret_key(prop.key))
                .map(|prop| prop.value.as_ref()),
        );
        checked
    }
}
