//! What the picker shows, read once from the files: one row per profile, secrets
//! already masked, and the findings. The picker never holds a secret: a secret of the
//! files typed into another field (a region, a finding quoting it) is masked too.

use std::path::PathBuf;

use crate::domain::profile::{Kind, SOURCE_PROFILE};
use crate::domain::redact::Redactor;
use crate::domain::service::{self, Preset};
use crate::store::doctor::{Finding, findings};
use crate::store::parse::FileKind;
use crate::store::profiles::summaries;
use crate::store::view::{FileSet, ProfileSet, Section};
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
    /// Where the profile's requests go (`endpoint_url`), when it names one.
    pub endpoint_url: Option<String>,
    /// For another service's keys (`Kind::Endpoint`): the service, recognised from the
    /// endpoint URL.
    pub service: Option<&'static Preset>,
    pub files: FileSet,
    pub is_default: bool,
    /// Not `default` itself, but holding the same key as `default`.
    pub holds_default: bool,
    pub settings: Vec<Shown>,
    /// `source_profile` links from this profile: `[admin, work]` for admin → work.
    pub chain: Vec<String>,
    /// Readers that skip this name (only the AWS CLI reads it as listed); empty when
    /// the name is portable. Mark the row when not empty.
    pub skipped_by: &'static [&'static str],
    /// For such a profile: who reads it how and how to rename it, for the detail pane.
    pub not_portable: Option<NotPortable>,
    /// The `[sso-session NAME]` section its `sso_session` names: its settings are the
    /// profile's too (start URL, region).
    pub sso_session: Option<SsoSession>,
    /// When its temporary credentials expire, where that is known.
    pub expiry: Option<crate::store::caches::Expiry>,
    /// Where its secret is, for a profile that holds keys.
    pub secret_in: Option<crate::domain::keyring::SecretIn>,
}

impl Row {
    /// The kind column: the kind (see [`Row::kind_label`]), and for credentials that
    /// expire the time left (`session 3h 12m`, `sso expired`).
    pub fn kind_cell(&self, now: i64) -> std::borrow::Cow<'static, str> {
        match self.expiry {
            Some(expiry) => format!(
                "{} {}",
                self.kind_label(),
                crate::domain::expiry::cell(expiry.at, now)
            )
            .into(),
            None => self.kind_label().into(),
        }
    }

    /// The kind column: the service's name for another service's keys (`R2`, `MinIO`;
    /// `endpoint` for a service credwiz has no preset for), else the kind.
    pub fn kind_label(&self) -> &'static str {
        match self.service {
            Some(preset) if self.kind == Kind::Endpoint && *preset != *service::other() => {
                preset.name
            }
            _ => self.kind.label(),
        }
    }

    /// For another service's keys: what the service is and where (`Cloudflare R2 at
    /// abc.r2.cloudflarestorage.com`), for the detail pane.
    pub fn service_said(&self) -> Option<String> {
        let preset = self.service.filter(|_| self.kind == Kind::Endpoint)?;
        let what = if *preset == *service::other() {
            "an S3-compatible service"
        } else {
            preset.label
        };
        let host = self.endpoint_url.as_deref().and_then(service::shown_host);
        Some(match host {
            Some(host) => format!("{what} at {host}"),
            None => what.to_string(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotPortable {
    /// "the AWS CLI (botocore) reads it as `some profile`, but the AWS SDKs skip this name …"
    pub readers: String,
    /// "give it a portable name: credwiz rename 'some profile' some-profile"
    pub fix: String,
    /// Its first header.
    pub file: FileKind,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoSession {
    pub name: String,
    /// Where its `[sso-session NAME]` header is.
    pub file: FileKind,
    pub line: usize,
    pub settings: Vec<Shown>,
}

#[derive(Debug, Clone, Default)]
pub struct Data {
    pub rows: Vec<Row>,
    pub findings: Vec<Finding>,
    /// Loaded without the findings ([`rows`]): they are still to be worked out.
    pub findings_due: bool,
    pub config: PathBuf,
    pub credentials: PathBuf,
}

fn chain(profiles: &ProfileSet, start: &str) -> Vec<String> {
    let mut chain = vec![start.to_string()];
    let mut current = start;
    while let Some(next) = profiles
        .profile(current)
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

/// The rows and the findings.
pub fn load(store: &Store, env: &dyn Fn(&str) -> Option<String>) -> Result<Data, StoreError> {
    load_with(store, env, true)
}

/// The rows only, for a first frame that comes fast: the findings (doctor's checks of every
/// line, a third of the work at 10,000 profiles) follow from [`findings_of`].
pub fn rows(store: &Store, env: &dyn Fn(&str) -> Option<String>) -> Result<Data, StoreError> {
    load_with(store, env, false)
}

/// Doctor's findings on the files as they are now, secrets masked.
pub fn findings_of(
    store: &Store,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<Finding>, StoreError> {
    let snapshot = store.load()?;
    let mut secrets = Redactor::default();
    for file in [&snapshot.config, &snapshot.credentials] {
        secrets.learn_ini(file.doc.original());
    }
    let parsed = snapshot.parse()?;
    Ok(masked_findings(&parsed, &parsed.profiles(), env, &secrets))
}

fn masked_findings(
    parsed: &crate::store::Parsed,
    profiles: &ProfileSet,
    env: &dyn Fn(&str) -> Option<String>,
    secrets: &Redactor,
) -> Vec<Finding> {
    findings(parsed, profiles, env)
        .into_iter()
        .map(|f| Finding {
            message: secrets.redact(&f.message).into_owned(),
            ..f
        })
        .collect()
}

fn load_with(
    store: &Store,
    env: &dyn Fn(&str) -> Option<String>,
    with_findings: bool,
) -> Result<Data, StoreError> {
    let snapshot = store.load()?;
    let mut secrets = Redactor::default();
    for file in [&snapshot.config, &snapshot.credentials] {
        secrets.learn_ini(file.doc.original());
    }
    let masked = |value: &str| secrets.redact(value).into_owned();
    let parsed = snapshot.parse()?;
    let profiles = parsed.profiles();
    let shown = |section: &Section| -> Vec<Shown> {
        section
            .shown()
            .map(|(key, value, setting)| Shown {
                key: key.into_owned(),
                value: masked(&value),
                file: setting.file,
                line: setting.line(),
            })
            .collect()
    };
    let caches = crate::store::caches::Caches::of_user(env);
    let rows = summaries(&profiles)
        .map(|s| {
            let section = profiles
                .profile(s.name)
                .expect("a listed profile is in the set");
            let settings = shown(section);
            let not_portable = profiles.aws_cli_profile(s.name).map(|p| {
                let header = p.section.header.expect("a listed profile has a header");
                NotPortable {
                    readers: p.readers(),
                    fix: p.form.fix(&p.rename_command(&profiles)),
                    file: header.file,
                    line: header.line(),
                }
            });
            let sso_session = profiles.sso_session_of(section).map(|(name, session)| {
                let header = session.header.expect("a session has a header");
                SsoSession {
                    name: name.to_string(),
                    file: header.file,
                    line: header.line(),
                    settings: shown(session),
                }
            });
            Row {
                name: s.name.to_string(),
                kind: s.kind,
                key_id: s.access_key_id.map(masked),
                account: s.account_id.as_deref().map(masked),
                region: s.region.map(masked),
                output: s.output.map(masked),
                endpoint_url: s.endpoint_url.map(masked),
                service: s.service,
                files: s.files,
                is_default: s.name == "default",
                holds_default: s.default && s.name != "default",
                settings,
                chain: chain(&profiles, s.name),
                skipped_by: s.skipped_by,
                not_portable,
                sso_session,
                expiry: s
                    .kind
                    .expires()
                    .then(|| caches.expiry(s.kind, section))
                    .flatten(),
                secret_in: s.secret_in,
            }
        })
        .collect();
    let findings = if with_findings {
        masked_findings(&parsed, &profiles, env, &secrets)
    } else {
        Vec::new()
    };
    Ok(Data {
        rows,
        findings,
        findings_due: !with_findings,
        config: store.locations.config.clone(),
        credentials: store.locations.credentials.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_carry_who_skips_a_name_and_the_sso_session() {
        let dir = tempfile::tempdir().unwrap();
        let (config, credentials) = (dir.path().join("config"), dir.path().join("credentials"));
        std::fs::write(
            &config,
            "[profile 'some profile']\nregion = x\n[profile dev]\nsso_session = corp\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n",
        )
        .unwrap();
        std::fs::write(&credentials, "").unwrap();
        let data = load(&Store::at(config, credentials), &|_| None).unwrap();
        let row = |name: &str| data.rows.iter().find(|r| r.name == name).unwrap();
        let some = row("some profile");
        assert_eq!(some.skipped_by, ["js", "rust"]);
        let note = some.not_portable.as_ref().unwrap();
        assert_eq!((note.file, note.line), (FileKind::Config, 1));
        assert!(
            note.fix
                .ends_with("credwiz rename 'some profile' some-profile"),
            "{note:?}"
        );
        let dev = row("dev");
        assert!(dev.skipped_by.is_empty() && dev.not_portable.is_none());
        let session = dev.sso_session.as_ref().unwrap();
        assert_eq!((session.name.as_str(), session.line), ("corp", 5));
        let keys: Vec<(&str, usize)> = session
            .settings
            .iter()
            .map(|s| (s.key.as_str(), s.line))
            .collect();
        assert_eq!(keys, [("sso_region", 7), ("sso_start_url", 6)]);
    }
}
