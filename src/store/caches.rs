//! When a profile's temporary credentials expire, read from where the AWS tools keep them.
//! Only the expiry time is read from a cache file; no token is kept, shown or copied.
//!
//! - a session profile's own `expiration` (credwiz's `session` writes it);
//! - IAM Identity Center: `~/.aws/sso/cache/<sha1 hex>.json`, `expiresAt`; the key is the
//!   `sso_session` name, or for a legacy profile its `sso_start_url`
//!   (botocore `SSOTokenLoader._generate_cache_key`);
//! - `aws login`: `<AWS_LOGIN_CACHE_DIRECTORY or ~/.aws/login/cache>/<sha256 hex of the
//!   login_session>.json`, `accessToken.expiresAt` (botocore `generate_login_cache_key`);
//! - an assumed role, as the AWS CLI caches it: `~/.aws/cli/cache/<sha1 hex>.json`,
//!   `Credentials.Expiration`; the key is the SHA-1 of the AssumeRole arguments the
//!   profile gives, as botocore's `AssumeRoleCredentialFetcher._create_cache_key` builds
//!   them ([`crate::domain::expiry::RoleArgs`]).

use std::path::{Path, PathBuf};

use sha2::Digest;

use super::view::Section;
use crate::domain::expiry::{self, RoleArgs};
use crate::domain::profile::{self, Kind};
use crate::domain::session::EXPIRATION;

/// Where the expiry time came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The profile's own `expiration`.
    Profile,
    /// The IAM Identity Center token cache.
    Sso,
    /// `aws login`'s token cache.
    Login,
    /// The AWS CLI's cache of an assumed role's credentials.
    Role,
}

/// When a profile's temporary credentials expire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expiry {
    /// Seconds since 1970.
    pub at: i64,
    pub source: Source,
}

impl Expiry {
    /// RFC 3339, UTC, whole seconds.
    pub fn at_utc(&self) -> String {
        expiry::utc(self.at)
    }

    /// The command that renews the credentials of `name`, once they expired.
    pub fn renew(&self, name: &str) -> Option<String> {
        let name = super::view::shell_quoted(name);
        match self.source {
            Source::Profile => Some(format!("credwiz session {name}")),
            Source::Sso => Some(format!("aws sso login --profile {name}")),
            Source::Login => Some(format!("aws login --profile {name}")),
            // The next AWS call with the profile assumes the role again.
            Source::Role => None,
        }
    }
}

/// The cache folders, from the home folder and the environment as the AWS tools find them.
pub struct Caches {
    aws: Option<PathBuf>,
    login: Option<PathBuf>,
}

impl Caches {
    pub fn new(home: Option<&Path>, env: &dyn Fn(&str) -> Option<String>) -> Caches {
        let aws = home.map(|h| h.join(".aws"));
        let login = env("AWS_LOGIN_CACHE_DIRECTORY")
            .filter(|d| !d.is_empty())
            .map(|d| expand_home(&d, home))
            .or_else(|| aws.as_ref().map(|a| a.join("login").join("cache")));
        Caches { aws, login }
    }

    /// The caches under `HOME` as `env` gives it (as the AWS tools find them); none when
    /// it gives no `HOME` (a test's empty environment reads no one's caches).
    pub fn of_user(env: &dyn Fn(&str) -> Option<String>) -> Caches {
        let home = env("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
        Caches::new(home.as_deref(), env)
    }

    /// When `section`'s temporary credentials expire, if that is known; static keys and
    /// the like have no expiry, and no file is read for them.
    pub fn expiry(&self, kind: Kind, section: &Section) -> Option<Expiry> {
        let get = |key: &str| section.get(key).map(str::trim).filter(|v| !v.is_empty());
        let (at, source) = match kind {
            Kind::Session => (expiry::parse(get(EXPIRATION)?)?, Source::Profile),
            Kind::Sso => {
                let key = get("sso_session").or_else(|| get("sso_start_url"))?;
                let file = self.aws.as_ref()?.join("sso").join("cache");
                let at = read_at(&file.join(sha1_hex(key) + ".json"), &["expiresAt"])?;
                (at, Source::Sso)
            }
            Kind::Login => {
                let key = get(profile::LOGIN_SESSION)?;
                let file = self.login.as_ref()?.join(sha256_hex(key) + ".json");
                (
                    read_at(&file, &["accessToken", "expiresAt"])?,
                    Source::Login,
                )
            }
            Kind::Role => {
                let args = RoleArgs {
                    role_arn: get(profile::ROLE_ARN)?,
                    role_session_name: get("role_session_name"),
                    external_id: get("external_id"),
                    mfa_serial: get("mfa_serial"),
                    duration_seconds: get("duration_seconds").and_then(|d| d.parse().ok()),
                };
                let file = self.aws.as_ref()?.join("cli").join("cache");
                let name = sha1_hex(&args.cache_key_input()) + ".json";
                (
                    read_at(&file.join(name), &["Credentials", "Expiration"])?,
                    Source::Role,
                )
            }
            _ => return None,
        };
        Some(Expiry { at, source })
    }
}

fn expand_home(dir: &str, home: Option<&Path>) -> PathBuf {
    match (dir.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(dir),
    }
}

fn sha1_hex(text: &str) -> String {
    sha1_smol::Sha1::from(text).digest().to_string()
}

fn sha256_hex(text: &str) -> String {
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The timestamp at `path` in the JSON file (only that value is kept; the rest of the
/// file, tokens included, is dropped and zeroed).
fn read_at(file: &Path, path: &[&str]) -> Option<i64> {
    let bytes = zeroize::Zeroizing::new(std::fs::read(file).ok()?);
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let found = path
        .iter()
        .try_fold(&value, |v, key| v.get(key))?
        .as_str()
        .and_then(expiry::parse);
    drop(value);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_names_are_the_sdks_hashes() {
        // The FIPS 180 test vectors; the files in tests/expiry.rs are named by botocore.
        assert_eq!(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
