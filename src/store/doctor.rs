//! Everything worth telling a person about their setup: what the AWS CLI would refuse,
//! what the SDKs skip, where the readers disagree (keys split across the files, a setting
//! in both files, line by line in `lint`), lax permissions, keys shared by several
//! profiles, broken role chains and `source_profile` loops, endpoint URLs no reader can
//! use or that cross the network unencrypted, and environment variables that override
//! the files. Keys are not judged by their shape: other services' keys (R2's 32 hex
//! characters, LocalStack's `test`) are any word, and a doubtful AWS key is for
//! `credwiz verify` to settle. `credwiz doctor` prints these; the picker shows them.

use std::collections::BTreeMap;

use super::lint::{self, QUOTED_VALUE_FINDING};
use super::parse::Layout;
use super::parse::{FileKind, is_comment};
use super::view::{ProfileSet, Section, Setting};
use super::{Parsed, Warning};
use crate::domain::mask::one_line;
use crate::domain::profile::{
    ACCESS_KEY_ID, CREDENTIAL_KEYS, ENDPOINT_URL, OUTPUT, REGION, ROLE_ARN, SOURCE_PROFILE,
};
use crate::domain::service;
use crate::domain::validate::{self, OUTPUT_FORMATS};

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

impl From<Warning> for Finding {
    fn from(w: Warning) -> Finding {
        Finding {
            severity: if w.refused {
                Severity::Error
            } else {
                Severity::Warning
            },
            message: w.to_string(),
        }
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
    (
        "AWS_ENDPOINT_URL",
        "sends every profile's requests there in this shell, AWS profiles' too (credwiz env NAME unsets it)",
    ),
];

/// All findings, errors first. `env` reads an environment variable. The version of the
/// `aws` on PATH is asked (with a short timeout) only when a profile needs it.
pub fn findings(
    parsed: &Parsed,
    profiles: &ProfileSet,
    env: &dyn Fn(&str) -> Option<String>,
) -> Vec<Finding> {
    findings_with(parsed, profiles, env, &installed_aws_cli)
}

/// [`findings`], with `aws_cli` saying what `aws --version` prints (`None` without one).
pub fn findings_with(
    parsed: &Parsed,
    profiles: &ProfileSet,
    env: &dyn Fn(&str) -> Option<String>,
    aws_cli: &dyn Fn() -> Option<String>,
) -> Vec<Finding> {
    let mut out: Vec<Finding> = parsed
        .warnings(profiles)
        .into_iter()
        .map(Finding::from)
        .collect();
    out.extend(broken_chains(profiles));
    out.extend(source_loops(parsed, profiles));
    out.extend(split_keys(parsed, profiles));
    out.extend(set_in_both_files(parsed));
    out.extend(mistaken_values(parsed, profiles));
    out.extend(shared_keys(profiles));
    out.extend(unencrypted_endpoints(parsed, profiles, env));
    out.extend(unusable_endpoints(parsed, profiles));
    out.extend(doubtful_keys(profiles));
    out.extend(missing_selected_profile(profiles, env));
    out.extend(no_default(profiles, env, None));
    out.extend(readable_config_with_secrets(parsed));
    out.extend(yaml_with_aws_cli_v1(parsed, profiles, aws_cli));
    let caches = super::caches::Caches::of_user(env);
    out.extend(expired(profiles, &caches, crate::domain::expiry::now()));
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

/// Temporary credentials that expired (at `now`, seconds since 1970), with the command
/// that renews each. A role's cached credentials are not among them: the next AWS call
/// with the profile assumes the role again by itself.
pub fn expired(profiles: &ProfileSet, caches: &super::caches::Caches, now: i64) -> Vec<Finding> {
    profiles
        .profiles
        .iter()
        .filter_map(|(name, section)| {
            let kind = crate::domain::profile::kind(|key| section.get(key));
            if !kind.expires() {
                return None;
            }
            let expiry = caches.expiry(kind, section)?;
            let renew = expiry.renew(name).filter(|_| expiry.at <= now)?;
            let what = match expiry.source {
                super::caches::Source::Sso => "IAM Identity Center sign-in",
                super::caches::Source::Login => "`aws login` sign-in",
                _ => "session",
            };
            Some(Finding {
                severity: Severity::Warning,
                message: format!(
                    "`{name}`: its {what} {} ({}); renew it: {renew}",
                    crate::domain::expiry::said(expiry.at, now),
                    expiry.at_utc()
                ),
            })
        })
        .collect()
}

/// Endpoints that are plain `http://` to another machine (`AWS_ENDPOINT_URL_STS`,
/// `AWS_ENDPOINT_URL`, a profile's `endpoint_url`): requests would cross the network
/// unencrypted, and `credwiz verify` refuses them.
fn unencrypted_endpoints(
    parsed: &Parsed,
    profiles: &ProfileSet,
    env: &dyn Fn(&str) -> Option<String>,
) -> Vec<Finding> {
    use crate::sts::endpoint::unencrypted_off_machine;
    const WHY: &str = "is plain http:// to another machine: requests and session tokens would cross the network unencrypted (credwiz verify refuses it); use https://";
    let from_env = ["AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"]
        .into_iter()
        .filter_map(|var| Some((var, env(var)?)))
        .filter(|(_, url)| unencrypted_off_machine(url))
        .map(|(var, url)| format!("{var}={} {WHY}", one_line(&url)));
    let from_files = profiles.profiles.iter().filter_map(|(name, section)| {
        let setting = section.settings.get("endpoint_url")?;
        let warning = Warning {
            path: parsed.path(setting.file).to_path_buf(),
            line: Some(setting.line()),
            message: format!(
                "profile `{name}`: endpoint_url {} {WHY}",
                shown_url(setting.value)
            ),
            refused: false,
        };
        unencrypted_off_machine(setting.value).then(|| warning.to_string())
    });
    // `[services NAME]` sections: each service's block may set an endpoint_url.
    let config = &parsed.config;
    let from_services = config
        .sections
        .iter()
        .filter(|section| section.raw_name.starts_with("services"))
        .flat_map(|section| {
            config.props(section).iter().filter_map(move |prop| {
                let url = prop.value.lines().find_map(|line| {
                    let (key, value) = line.split_once('=')?;
                    (key.trim() == "endpoint_url").then(|| value.trim())
                })?;
                let warning = Warning {
                    path: parsed.path(FileKind::Config).to_path_buf(),
                    line: Some(prop.line() + 1),
                    message: format!(
                        "[{}] {}: endpoint_url {} {WHY}",
                        section.raw_name,
                        prop.key,
                        one_line(url)
                    ),
                    refused: false,
                };
                unencrypted_off_machine(url).then(|| warning.to_string())
            })
        });
    from_env
        .chain(from_files)
        .chain(from_services)
        .map(|message| Finding {
            severity: Severity::Warning,
            message,
        })
        .collect()
}

/// A profile's `endpoint_url` that credwiz would not write (see
/// [`service::endpoint_url`]): an error when no reader can send requests to it (not
/// `http(s)://`, no host, a `<account id>` placeholder left in, a space or a line
/// break), else a warning (a user name or password in it, a `?query`, a host name that
/// is not one). Plain `http://` to another machine is [`unencrypted_endpoints`]'.
fn unusable_endpoints(parsed: &Parsed, profiles: &ProfileSet) -> Vec<Finding> {
    let mut out = Vec::new();
    for (name, section) in profiles.profiles.iter() {
        let Some(setting) = section.settings.get(ENDPOINT_URL) else {
            continue;
        };
        let url = setting.value;
        // An empty value is no endpoint to the readers: the service's usual one is used.
        if url.is_empty() {
            continue;
        }
        let Some((severity, problem)) = endpoint_problem(url) else {
            if let Some(caution) = service::endpoint_path_caution(url) {
                out.push(Finding {
                    severity: Severity::Warning,
                    message: Warning {
                        path: parsed.path(setting.file).to_path_buf(),
                        line: Some(setting.line()),
                        message: format!("profile `{name}`: {caution}"),
                        refused: false,
                    }
                    .to_string(),
                });
            }
            continue;
        };
        let consequence = match severity {
            Severity::Error => {
                "the AWS CLI and the SDKs cannot send this profile's requests there, so every command with it fails"
            }
            Severity::Warning => "credwiz would not write it like this",
        };
        let warning = Warning {
            path: parsed.path(setting.file).to_path_buf(),
            line: Some(setting.line()),
            message: format!(
                "profile `{name}`: endpoint_url `{}`: {problem}; {consequence}; correct it (e in credwiz's list edits it)",
                shown_url(url)
            ),
            refused: severity == Severity::Error,
        };
        out.push(Finding {
            severity,
            message: warning.to_string(),
        });
    }
    out
}

/// AWS keys that may be saved but hold a likely typo (a character no AWS key has). The
/// example keys of AWS's documentation are left alone: moto users have many on purpose.
fn doubtful_keys(profiles: &ProfileSet) -> Vec<Finding> {
    profiles
        .profiles
        .iter()
        .filter(|(_, section)| {
            matches!(
                crate::domain::profile::kind(|key| section.get(key)),
                crate::domain::profile::Kind::Static | crate::domain::profile::Kind::Session
            )
        })
        .filter_map(|(name, section)| {
            let key_id = section.get(ACCESS_KEY_ID)?;
            let aws_shaped = matches!(
                crate::domain::validate::access_key_id(key_id),
                Ok(crate::domain::validate::KeyKind::LongTerm
                    | crate::domain::validate::KeyKind::Temporary)
            );
            if !aws_shaped || crate::domain::validate::is_example_key_id(key_id) {
                return None;
            }
            let caution = crate::domain::validate::access_key_caution(key_id)?;
            Some(Finding {
                severity: Severity::Warning,
                message: format!(
                    "profile `{name}`: its access key ID {}: {caution} (credwiz verify {name})",
                    crate::domain::mask::mask_key_id(key_id)
                ),
            })
        })
        .collect()
}

/// What is wrong with an endpoint URL and how bad it is; `None` when credwiz would
/// write it, or when only its plain `http://` is wrong (named on its own).
fn endpoint_problem(url: &str) -> Option<(Severity, String)> {
    let problem = service::endpoint_url(url).err()?.0;
    let lower = url.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("http://")
        && service::endpoint_url(&format!("https://{rest}")).is_ok()
    {
        return None;
    }
    let unusable = !(lower.starts_with("https://") || lower.starts_with("http://"))
        || url.contains('<')
        || url.chars().any(|c| c.is_whitespace() || c.is_control())
        || service::host_and_port(url).is_none();
    let severity = if unusable {
        Severity::Error
    } else {
        Severity::Warning
    };
    Some((severity, problem))
}

/// An endpoint URL as a finding shows it: on one line, a user name and password in it
/// masked (they are credentials).
fn shown_url(url: &str) -> String {
    let url = one_line(url);
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.into_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://****{}", &rest[at..]),
        None => url.into_owned(),
    }
}

/// `AWS_PROFILE` (or the older `AWS_DEFAULT_PROFILE`) naming a profile in neither file:
/// every AWS command in that shell fails.
fn missing_selected_profile(
    profiles: &ProfileSet,
    env: &dyn Fn(&str) -> Option<String>,
) -> Vec<Finding> {
    ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"]
        .into_iter()
        .filter_map(|var| Some((var, env(var).filter(|v| !v.is_empty())?)))
        .filter(|(_, name)| !profiles.profiles.contains_key(name.as_str()))
        .map(|(var, name)| Finding {
            severity: Severity::Error,
            message: format!(
                "{var}={name} names a profile that is in neither file, so AWS commands in this shell fail \
                 (\"The config profile ({name}) could not be found\"); unset {var}, or create the profile: credwiz new {name}"
            ),
        })
        .collect()
}

/// Profiles, none named `default`, and no `AWS_PROFILE` naming one: the AWS CLI and the
/// SDKs find no credentials unless told which profile to use. The fix offered names
/// `suggest`, else the first profile.
pub fn no_default(
    profiles: &ProfileSet,
    env: &dyn Fn(&str) -> Option<String>,
    suggest: Option<&str>,
) -> Option<Finding> {
    let names = &profiles.profiles;
    let first = suggest.or_else(|| names.keys().next().copied())?;
    let selected = ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"]
        .into_iter()
        .filter_map(env)
        .any(|name| names.contains_key(name.as_str()));
    if names.contains_key("default") || selected {
        return None;
    }
    Some(Finding {
        severity: Severity::Warning,
        message: format!(
            "no profile is named `default`, so the AWS CLI and the SDKs find no credentials without --profile; \
             make one the default: credwiz use {first} (or select one in this shell: export AWS_PROFILE={first})"
        ),
    })
}

/// A config file that holds secret keys and that others can read (the credentials file
/// is checked with every read, see [`Parsed::warnings`]).
fn readable_config_with_secrets(parsed: &Parsed) -> Option<Finding> {
    let config = &parsed.snapshot.config;
    let mode = config.mode.filter(|m| m & 0o077 != 0)?;
    parsed
        .config
        .properties()
        .iter()
        .any(|prop| crate::domain::mask::is_secret_key(prop.key))
        .then(|| Finding {
            severity: Severity::Warning,
            message: format!(
                "{}: readable by other users (mode {:03o}) and holds secret keys; run: chmod 600 {} (or credwiz doctor --fix)",
                config.path.display(),
                mode & 0o777,
                config.path.display()
            ),
        })
}

/// How long `aws --version` may take: AWS CLI v1 starts Python (about a second, more
/// through a pyenv shim on a busy machine).
// Python's start-up behind a version shim took 1.3 s idle and over 5 s with the test
// suite running beside it; doctor waits this long only when a profile uses yaml.
const AWS_VERSION_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

/// What `aws --version` prints (v1 printed it on stderr, later on stdout), or `None`
/// when there is no `aws` on PATH or it does not answer in time.
fn installed_aws_cli() -> Option<String> {
    use std::process::{Command, Stdio};
    let mut child = Command::new("aws")
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let started = std::time::Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() < AWS_VERSION_TIMEOUT => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let output = child.wait_with_output().ok()?;
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    Some(text)
}

/// `aws-cli/1.45.11 Python/3.11.7 …` → `aws-cli/1.45.11`, for AWS CLI v1 only.
fn aws_cli_v1(version: &str) -> Option<&str> {
    version
        .split_whitespace()
        .find(|word| word.starts_with("aws-cli/1."))
}

/// `output = yaml` (or `yaml-stream`) is AWS CLI v2's: v1 fails every command of such a
/// profile with "Unknown output type: yaml" (exit 255).
fn yaml_with_aws_cli_v1(
    parsed: &Parsed,
    profiles: &ProfileSet,
    aws_cli: &dyn Fn() -> Option<String>,
) -> Vec<Finding> {
    let yaml: Vec<(&str, Setting)> = profiles
        .profiles
        .iter()
        .filter_map(|(name, section)| {
            let output = section.settings.get(OUTPUT)?;
            matches!(output.value, "yaml" | "yaml-stream").then_some((*name, output))
        })
        .collect();
    if yaml.is_empty() {
        return Vec::new();
    }
    let Some(version) = aws_cli() else {
        return Vec::new();
    };
    let Some(v1) = aws_cli_v1(&version).map(|v| one_line(v).into_owned()) else {
        return Vec::new();
    };
    yaml.into_iter()
        .map(|(name, output)| {
            let warning = Warning {
                path: parsed.path(output.file).to_path_buf(),
                line: Some(output.line()),
                message: format!(
                    "profile `{name}`: output = {}, which the AWS CLI on PATH ({v1}) does not know: \
                     every aws command with this profile fails (\"Unknown output type: {}\", exit 255); \
                     set output = json, or install AWS CLI v2",
                    output.value, output.value
                ),
                refused: true,
            };
            Finding {
                severity: Severity::Error,
                message: warning.to_string(),
            }
        })
        .collect()
}

/// Findings about files the SDKs' grammar refuses (`error`, which names one file and
/// line): the lines every reader but the strict ones reads, said with who reads them
/// how, in place of the parse error they cause; else the parse error itself.
pub fn unparsed_findings(snapshot: &super::Snapshot, error: &super::StoreError) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut explained = false;
    for loaded in [&snapshot.config, &snapshot.credentials] {
        for notice in lint::unparsed_notices(&loaded.doc, loaded.kind) {
            if let super::StoreError::Parse { path, error } = error {
                explained |= *path == loaded.path && notice.line == Some(error.line);
            }
            let warning = Warning {
                path: loaded.path.clone(),
                line: notice.line,
                message: notice.message,
                refused: true,
            };
            out.push(Finding::from(warning));
        }
    }
    if !explained {
        out.insert(
            0,
            Finding {
                severity: Severity::Error,
                message: error.to_string(),
            },
        );
    }
    out
}

/// The profile's settings as one file alone gives them.
fn one_file<'a>(parsed: &'a Parsed, file: FileKind) -> ProfileSet<'a> {
    static EMPTY: std::sync::LazyLock<Layout<'static>> = std::sync::LazyLock::new(Layout::default);
    match file {
        FileKind::Config => ProfileSet::merge(&parsed.config, &EMPTY),
        FileKind::Credentials => ProfileSet::merge(&EMPTY, &parsed.credentials),
    }
}

/// A value as a finding may show it: secrets never, key IDs masked.
fn shown_value(key: &str, value: &str) -> String {
    if crate::domain::mask::is_secret_key(key) {
        "(a secret, not shown)".to_string()
    } else if key == ACCESS_KEY_ID {
        format!("`{}`", crate::domain::mask::mask_key_id(value))
    } else {
        format!("`{}`", one_line(value))
    }
}

/// A setting a profile has in both files, with different values. Every reader takes the
/// credentials file's, except the JS SDK's region lookup, which takes config's.
fn set_in_both_files(parsed: &Parsed) -> Vec<Finding> {
    let config = one_file(parsed, FileKind::Config);
    let credentials = one_file(parsed, FileKind::Credentials);
    let mut out = Vec::new();
    for (name, in_credentials) in credentials.profiles.iter() {
        let Some(in_config) = config.profiles.get(name) else {
            continue;
        };
        for (key, wins) in in_credentials.settings.iter() {
            let Some(loses) = in_config
                .settings
                .get(&key)
                .filter(|s| s.value != wins.value)
            else {
                continue;
            };
            // The JS SDK skips an upper-case key: then it too reads credentials' region.
            let js_reads_config = lint::prop_at(&parsed.config, loses.line())
                .is_some_and(|p| lint::lower_cased_key(p.key).is_none());
            let readers = if key == REGION && js_reads_config {
                format!(
                    "the AWS CLI and the Rust and Go SDKs take the credentials file's {}, but the JS SDK's region lookup takes this one",
                    shown_value(&key, wins.value)
                )
            } else {
                format!(
                    "every reader takes the credentials file's {}, so this line has no effect",
                    shown_value(&key, wins.value)
                )
            };
            let warning = Warning {
                path: parsed.path(FileKind::Config).to_path_buf(),
                line: Some(loses.line()),
                message: format!(
                    "profile `{name}`: `{key}` is {} here and {} in {} line {}: {readers}; keep it in one file",
                    shown_value(&key, loses.value),
                    shown_value(&key, wins.value),
                    parsed.path(FileKind::Credentials).display(),
                    wins.line()
                ),
                refused: false,
            };
            out.push(Finding::from(warning));
        }
    }
    out
}

/// A profile whose key ID, secret and token are not all in one file: the JS and Rust
/// SDKs combine them, the AWS CLI fails (`PartialCredentialsError`), Go refuses the
/// profile. Named at the first config line that `doctor --fix` moves to credentials.
fn split_keys(parsed: &Parsed, profiles: &ProfileSet) -> Vec<Finding> {
    let mut out = Vec::new();
    for (name, section) in profiles.profiles.iter() {
        let Some(split) = SplitKeys::of(section) else {
            continue;
        };
        let place = |settings: &[(&str, Setting)]| {
            settings
                .iter()
                .map(|(key, s)| format!("{key} (line {})", s.line()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let first = split.in_config[0].1;
        let warning = Warning {
            path: parsed.path(FileKind::Config).to_path_buf(),
            line: Some(first.line()),
            message: format!(
                "profile `{name}` has its keys {SPLIT_KEYS_FINDING}: {} in {} and {} here; the JS and Rust SDKs combine them, \
                 but the AWS CLI (botocore) fails with PartialCredentialsError and the Go SDK refuses the profile; \
                 keep them together in the credentials file (credwiz doctor --fix moves them there)",
                place(&split.in_credentials),
                parsed.path(FileKind::Credentials).display(),
                place(&split.in_config),
            ),
            refused: false,
        };
        out.push(Finding::from(warning));
    }
    out
}

/// Phrase of the split-keys finding (see `fix::Fix::resolves`).
pub(crate) const SPLIT_KEYS_FINDING: &str = "split between the files";

/// A profile's credential keys as the readers find them in each file.
pub(crate) struct SplitKeys<'a> {
    pub in_credentials: Vec<(&'static str, Setting<'a>)>,
    /// Config's, in line order: the lines to move.
    pub in_config: Vec<(&'static str, Setting<'a>)>,
}

impl<'a> SplitKeys<'a> {
    pub(crate) fn of(section: &Section<'a>) -> Option<SplitKeys<'a>> {
        let mut split = SplitKeys {
            in_credentials: Vec::new(),
            in_config: Vec::new(),
        };
        for key in CREDENTIAL_KEYS {
            let Some(setting) = section.settings.get(key) else {
                continue;
            };
            match setting.file {
                FileKind::Config => split.in_config.push((key, setting)),
                FileKind::Credentials => split.in_credentials.push((key, setting)),
            }
        }
        split.in_config.sort_by_key(|(_, s)| s.line());
        (!split.in_config.is_empty() && !split.in_credentials.is_empty()).then_some(split)
    }
}

/// Settings by which a profile gets credentials without its `source_profile`.
const OWN_CREDENTIALS: &[&str] = &[
    ACCESS_KEY_ID,
    "credential_source",
    "credential_process",
    "sso_session",
    "sso_start_url",
    "web_identity_token_file",
];

/// Profiles whose `source_profile` chain comes back to itself with no profile on the way
/// that has credentials of its own: no reader can get credentials for them.
fn source_loops(parsed: &Parsed, profiles: &ProfileSet) -> Vec<Finding> {
    let sets = &profiles.profiles;
    let next = |name: &str| -> Option<&str> {
        let section = sets.get(name)?;
        section.get(ROLE_ARN)?;
        if OWN_CREDENTIALS.iter().any(|k| section.get(k).is_some()) {
            return None;
        }
        section.get(SOURCE_PROFILE)
    };
    let mut out = Vec::new();
    for (start, section) in sets.iter() {
        let mut chain: Vec<&str> = vec![start];
        let mut at: &str = start;
        let looped = loop {
            let Some(source) = next(at) else { break false };
            if source == *start {
                break true;
            }
            if chain.contains(&source) || chain.len() > sets.len() {
                break false;
            }
            chain.push(source);
            at = source;
        };
        // Named once, from its first name.
        if !looped || chain.iter().any(|name| name < start) {
            continue;
        }
        let Some(line) = section.settings.get(SOURCE_PROFILE) else {
            continue;
        };
        let message = if chain.len() == 1 {
            format!(
                "profile `{start}` takes its credentials from itself (source_profile = {start}) in a loop, and has no keys of its own: \
                 no reader can get credentials for it (the AWS CLI fails with InfiniteLoopConfigError); \
                 give it keys, or set its source_profile to a profile with keys"
            )
        } else {
            chain.push(start);
            let path: Vec<String> = chain.iter().map(|n| format!("`{n}`")).collect();
            format!(
                "{} take their credentials from each other in a loop (source_profile), and none has keys of its own: \
                 no reader can get credentials for them (the AWS CLI fails with InfiniteLoopConfigError); \
                 set one's source_profile to a profile with keys",
                path.join(" → ")
            )
        };
        let warning = Warning {
            path: parsed.path(line.file).to_path_buf(),
            line: Some(line.line()),
            message,
            refused: true,
        };
        out.push(Finding::from(warning));
    }
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

/// Regions and output formats the AWS CLI refuses, and regions that are plainly
/// mistaken (upper case, an availability zone). Other unusual regions pass: S3-compatible
/// services have their own (`auto`, `nyc3`).
fn mistaken_values(parsed: &Parsed, profiles: &ProfileSet) -> Vec<Finding> {
    let mut out = Vec::new();
    for (name, section) in profiles.profiles.iter() {
        let mut say = |setting: &Setting, severity, problem: String| {
            let warning = Warning {
                path: parsed.path(setting.file).to_path_buf(),
                line: Some(setting.line()),
                message: format!("profile `{name}`: {problem}"),
                refused: severity == Severity::Error,
            };
            out.push(Finding {
                severity,
                message: warning.to_string(),
            });
        };
        for setting in [REGION, OUTPUT] {
            let Some(found) = section.settings.get(setting) else {
                continue;
            };
            if let Some(inner) = lint::unquoted(found.value) {
                say(
                    &found,
                    Severity::Error,
                    format!(
                        "{setting} `{}` is {QUOTED_VALUE_FINDING}: the Go SDK strips them and reads `{}`; the AWS CLI \
                         (botocore) and the JS and Rust SDKs keep them, and the AWS CLI then refuses the {setting}; \
                         write `{setting} = {}` (credwiz doctor --fix does)",
                        one_line(found.value),
                        one_line(inner),
                        one_line(inner)
                    ),
                );
            }
        }
        let region = section.settings.get(REGION);
        // Quoted, or continued only by an indented comment: named above and in `lint`.
        let named =
            |r: &Setting| lint::unquoted(r.value).is_some() || continued_by_comment(r.value);
        if let Some(region) = region.filter(|r| !r.value.is_empty() && !named(r)) {
            let shown = one_line(region.value);
            if region.value.contains('\n') {
                say(
                    &region,
                    Severity::Error,
                    format!(
                        "region `{shown}` goes on over the indented line below it (an indented line continues the setting above); the AWS CLI refuses it: remove the indentation"
                    ),
                );
            } else if !botocore_accepts_region(region.value) {
                say(
                    &region,
                    Severity::Error,
                    format!(
                        "the AWS CLI refuses the region `{shown}`: a region holds only letters, digits and -, such as us-east-1"
                    ),
                );
            } else if let Some(why) = validate::region_slip(region.value) {
                say(
                    &region,
                    Severity::Warning,
                    format!("region `{shown}`: {why}"),
                );
            }
        }
        if let Some(output) = section.settings.get(OUTPUT).filter(|o| !o.value.is_empty())
            && !OUTPUT_FORMATS.contains(&output.value)
            && lint::unquoted(output.value).is_none()
        {
            say(
                &output,
                Severity::Error,
                format!(
                    "the AWS CLI refuses the output format `{}`: use one of {}",
                    one_line(output.value),
                    OUTPUT_FORMATS.join(", ")
                ),
            );
        }
    }
    out
}

/// A value whose lines after the first are all comments: the AWS CLI reads only the
/// first line, the SDKs that follow the shared spec all of them (see `lint`).
fn continued_by_comment(value: &str) -> bool {
    value.contains('\n') && value.lines().skip(1).all(is_comment)
}

/// botocore's check of a region name (`validate_region_name`: a host label of letters,
/// digits and `-`, not all digits, not starting or ending with `-`).
fn botocore_accepts_region(region: &str) -> bool {
    let bytes = region.as_bytes();
    bytes.len() <= 63
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && !bytes.iter().all(u8::is_ascii_digit)
        && !region.starts_with('-')
        && !region.ends_with('-')
}

/// Profiles sharing one key pair at one endpoint (the same pair at two endpoints is two
/// services' keys: `test`/`test` is every emulator's). `default` holding a copy of another
/// profile's key is how `credwiz use` works, so it is not counted.
fn shared_keys(profiles: &ProfileSet) -> Vec<Finding> {
    type Pair<'a> = (&'a str, Option<&'a str>, Option<&'a str>);
    let mut by_key: BTreeMap<Pair, Vec<&str>> = BTreeMap::new();
    for (name, section) in profiles.profiles.iter().filter(|(n, _)| **n != "default") {
        if let Some(key) = section.get(ACCESS_KEY_ID).filter(|k| !k.is_empty()) {
            let endpoint = section
                .get(crate::domain::profile::ENDPOINT_URL)
                .map(|url| url.trim().trim_end_matches('/'));
            let secret = section.get(crate::domain::profile::SECRET_ACCESS_KEY);
            by_key
                .entry((key, secret, endpoint))
                .or_default()
                .push(name);
        }
    }
    by_key
        .into_iter()
        .filter(|(_, names)| names.len() > 1)
        .map(|((key, _, _), names)| Finding {
            severity: Severity::Warning,
            message: format!(
                "{} hold the same key pair {}: a new key pair given to one with credwiz (add --force, or k in the list) goes to all of them; another tool would change only one",
                crate::domain::text::quoted_list(&names),
                crate::domain::mask::mask_key_id(key)
            ),
        })
        .collect()
}
