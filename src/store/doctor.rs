//! Everything worth telling a person about their setup: what the AWS CLI would refuse,
//! what the SDKs skip, lax permissions, keys shared by several profiles, broken role
//! chains, and environment variables that override the files. `credwiz doctor` prints
//! these; the picker shows them.

use std::collections::BTreeMap;

use super::Parsed;
use super::view::ProfileSet;
use crate::domain::profile::{ACCESS_KEY_ID, SOURCE_PROFILE};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something fails: the AWS CLI refuses a file, a profile cannot get credentials.
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", self.message)
    }
}

/// Variables that take precedence over the files, and what they do.
const OVERRIDES: &[(&str, &str)] = &[
    (
        "AWS_PROFILE",
        "selects a profile other than `default` in this shell",
    ),
    (
        "AWS_DEFAULT_PROFILE",
        "selects a profile other than `default` in this shell",
    ),
    (
        "AWS_ACCESS_KEY_ID",
        "overrides every profile's keys in this shell",
    ),
    (
        "AWS_SECRET_ACCESS_KEY",
        "overrides every profile's keys in this shell",
    ),
    (
        "AWS_SESSION_TOKEN",
        "overrides every profile's keys in this shell",
    ),
    (
        "AWS_REGION",
        "overrides every profile's region in this shell",
    ),
    (
        "AWS_DEFAULT_REGION",
        "overrides every profile's region in this shell",
    ),
];

/// All findings, errors first. `env` reads an environment variable.
pub fn findings(
    parsed: &Parsed,
    profiles: &ProfileSet,
    env: &dyn Fn(&str) -> Option<String>,
) -> Vec<Finding> {
    let mut out: Vec<Finding> = parsed
        .warnings(profiles)
        .into_iter()
        .map(|w| Finding {
            severity: if w.refused {
                Severity::Error
            } else {
                Severity::Warning
            },
            message: w.to_string(),
        })
        .collect();
    out.extend(broken_chains(profiles));
    out.extend(shared_keys(profiles));
    for (var, effect) in OVERRIDES {
        if env(var).is_some_and(|v| !v.is_empty()) {
            let shown = if var.contains("SECRET") || var.contains("TOKEN") || var.contains("KEY_ID")
            {
                format!("{var} is set")
            } else {
                format!("{var}={} is set", env(var).unwrap_or_default())
            };
            out.push(Finding {
                severity: Severity::Warning,
                message: format!("{shown}: it {effect}"),
            });
        }
    }
    out.sort_by_key(|f| f.severity);
    out
}

fn broken_chains(profiles: &ProfileSet) -> Vec<Finding> {
    profiles
        .profiles
        .iter()
        .filter_map(|(name, section)| {
            let source = section.get(SOURCE_PROFILE)?;
            (!profiles.profiles.contains_key(source)).then(|| Finding {
                severity: Severity::Error,
                message: format!(
                    "profile `{name}` takes its credentials from `{source}` (source_profile), which does not exist"
                ),
            })
        })
        .collect()
}

/// Profiles sharing one key ID. `default` holding a copy of another profile's key is
/// how `credwiz use` works, so it is not counted.
fn shared_keys(profiles: &ProfileSet) -> Vec<Finding> {
    let mut by_key: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, section) in profiles.profiles.iter().filter(|(n, _)| **n != "default") {
        if let Some(key) = section.get(ACCESS_KEY_ID).filter(|k| !k.is_empty()) {
            by_key.entry(key).or_default().push(name);
        }
    }
    by_key
        .into_iter()
        .filter(|(_, names)| names.len() > 1)
        .map(|(key, names)| Finding {
            severity: Severity::Warning,
            message: format!(
                "profiles {} share the key {}; rotating it in one leaves the others with the old key",
                names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "),
                crate::domain::mask::mask_key_id(key)
            ),
        })
        .collect()
}
