//! What the picker shows, read once from the files: one row per profile, secrets
//! already masked, and the findings. The picker never holds a secret.

use std::path::PathBuf;

use crate::domain::profile::{Kind, SOURCE_PROFILE};
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
    let parsed = snapshot.parse()?;
    let profiles = parsed.profiles();
    let rows = summaries(&profiles)
        .map(|s| {
            let section = &profiles.profiles[s.name];
            let settings = section
                .shown()
                .map(|(key, value, setting)| Shown {
                    key: key.into_owned(),
                    value: value.into_owned(),
                    file: setting.file,
                    line: setting.line(),
                })
                .collect();
            Row {
                name: s.name.to_string(),
                kind: s.kind,
                key_id: s.access_key_id.map(str::to_string),
                account: s.account_id.clone(),
                region: s.region.map(str::to_string),
                output: s.output.map(str::to_string),
                files: s.files,
                is_default: s.name == "default",
                holds_default: s.default && s.name != "default",
                settings,
                chain: chain(&profiles, s.name),
            }
        })
        .collect();
    Ok(Data {
        rows,
        findings: findings(&parsed, &profiles, env),
        config: store.locations.config.clone(),
        credentials: store.locations.credentials.clone(),
    })
}
