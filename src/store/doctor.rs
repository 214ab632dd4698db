//! Everything worth telling a person about their setup: what the AWS CLI would refuse,
//! what the SDKs skip, lax permissions, keys shared by several profiles, broken role
//! chains, and environment variables that override the files. `credwiz doctor` prints
//! these; the picker shows them.

use std::collections::BTreeMap;

use super::parse::FileKind;
use super::view::{ProfileSet, Setting};
use super::{Parsed, Warning};
use crate::domain::mask::one_line;
use crate::domain::profile::{ACCESS_KEY_ID, OUTPUT, REGION, SOURCE_PROFILE};
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
    out.extend(mistaken_values(parsed, profiles));
    out.extend(shared_keys(profiles));
    out.extend(unencrypted_endpoints(parsed, profiles, env));
    out.extend(missing_selected_profile(profiles, env));
    out.extend(no_default(profiles, env, None));
    out.extend(readable_config_with_secrets(parsed));
    out.extend(yaml_with_aws_cli_v1(parsed, profiles, aws_cli));
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
                one_line(setting.value)
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
const AWS_VERSION_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

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
        if let Some(region) = section.settings.get(REGION).filter(|r| !r.value.is_empty()) {
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
                "{} hold the same key {}: a new key pair given to one with credwiz (add --force, or k in the list) goes to all of them; another tool would change only one",
                crate::domain::text::quoted_list(&names),
                crate::domain::mask::mask_key_id(key)
            ),
        })
        .collect()
}
