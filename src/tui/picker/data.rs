//! What the picker shows, read once from the files: one row per profile, secrets
//! already masked, and the findings. The picker never holds a secret: a secret of the
//! files typed into another field (a region, a finding quoting it) is masked too.

use std::path::PathBuf;

use crate::domain::profile::{Kind, SOURCE_PROFILE};
use crate::domain::redact::Redactor;
use crate::store::doctor::{Finding, findings};
use crate::store::parse::FileKind;
use crate::store::profiles::summaries;
use crate::store::view::{FileSet, ProfileSet};
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub key: String,
    /// Masked when the key names a secret.
    pub value: String,
    pub file: FileKind,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub name: String,
    pub kind: Kind,
    pub key_id: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    pub output: Option<String>,
    pub files: FileSet,
    pub is_default: bool,
    /// Not `default` itself, but holding the same key as `default`.
    pub holds_default: bool,
    pub settings: Vec<Shown>,
    /// `source_profile` links from this profile: `[admin, work]` for admin → work.
    pub chain: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Data {
    pub rows: Vec<Row>,
    pub findings: Vec<Finding>,
    pub config: PathBuf,
    pub credentials: PathBuf,
}

fn chain(profiles: &ProfileSet, start: &str) -> Vec<String> {
    let mut chain = vec![start.to_string()];
    let mut current = start;
    while let Some(next) = profiles
        .profiles
        .get(current)
        .and_then(|p| p.get(SOURCE_PROFILE))
    {
        if chain.iter().any(|c| c == next) {
            break;
        }
        chain.push(next.to_string());
        current = next;
    }
    chain
}

pub fn load(store: &Store, env: &dyn Fn(&str) -> Option<String>) -> Result<Data, StoreError> {
    let snapshot = store.load()?;
    let mut secrets = Redactor::default();
    for file in [&snapshot.config, &snapshot.credentials] {
        secrets.learn_ini(file.doc.original());
    }
    let masked = |value: &str| secrets.redact(value).into_owned();
    let parsed = snapshot.parse()?;
    let profiles = parsed.profiles();
    let rows = summaries(&profiles)
        .map(|s| {
            let section = &profiles.profiles[s.name];
            let settings = section
                .shown()
                .map(|(key, value, setting)| Shown {
                    key: key.into_owned(),
                    value: masked(&value),
                    file: setting.file,
                    line: setting.line(),
                })
                .collect();
            Row {
                name: s.name.to_string(),
                kind: s.kind,
                key_id: s.access_key_id.map(masked),
                account: s.account_id.as_deref().map(masked),
                region: s.region.map(masked),
                output: s.output.map(masked),
                files: s.files,
                is_default: s.name == "default",
                holds_default: s.default && s.name != "default",
                settings,
                chain: chain(&profiles, s.name),
            }
        })
        .collect();
    let findings = findings(&parsed, &profiles, env)
        .into_iter()
        .map(|f| Finding {
            message: masked(&f.message),
            ..f
        })
        .collect();
    Ok(Data {
        rows,
        findings,
        config: store.locations.config.clone(),
        credentials: store.locations.credentials.clone(),
    })
}
