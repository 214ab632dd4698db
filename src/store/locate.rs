//! Where the two files are, resolved as the AWS SDKs resolve them.
//!
//! `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` override `~/.aws/config` and
//! `~/.aws/credentials`; home is `$HOME`, else the platform's answer (`dirs`); a leading
//! `~` in an override is expanded. The profile the SDKs select is `AWS_PROFILE`, else
//! `default`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The environment, passed in so tests can supply their own.
pub struct Env<'a> {
    pub var: &'a dyn Fn(&str) -> Option<String>,
    /// Home when `$HOME` is unset (the platform's lookup, e.g. the password database).
    pub fallback_home: Option<PathBuf>,
}

fn process_var(name: &str) -> Option<String> {
    std::env::var_os(name).map(|v: OsString| v.to_string_lossy().into_owned())
}

impl Env<'static> {
    pub fn process() -> Env<'static> {
        Env {
            var: &process_var,
            fallback_home: dirs::home_dir(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locations {
    pub config: PathBuf,
    pub credentials: PathBuf,
    /// The profile the SDKs would use when none is named.
    pub profile: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "cannot find your home directory: HOME is not set; set HOME, or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE"
)]
pub struct NoHome;

pub fn locate(env: &Env) -> Result<Locations, NoHome> {
    let var = |name: &str| (env.var)(name).filter(|v| !v.is_empty());
    let home = var("HOME")
        .map(PathBuf::from)
        .or_else(|| env.fallback_home.clone());
    let home = home.as_deref();
    let file = |override_var: &str, default_name: &str| match var(override_var) {
        Some(path) => expand_tilde(&path, home),
        None => Ok(home.ok_or(NoHome)?.join(".aws").join(default_name)),
    };
    Ok(Locations {
        config: file("AWS_CONFIG_FILE", "config")?,
        credentials: file("AWS_SHARED_CREDENTIALS_FILE", "credentials")?,
        profile: var("AWS_PROFILE").unwrap_or_else(|| "default".to_string()),
    })
}

/// `~` and `~/x` become the home directory; `~user/x` and everything else stay as written.
fn expand_tilde(path: &str, home: Option<&Path>) -> Result<PathBuf, NoHome> {
    match path.strip_prefix('~') {
        Some("") => Ok(home.ok_or(NoHome)?.to_path_buf()),
        Some(rest) if rest.starts_with('/') => Ok(home.ok_or(NoHome)?.join(&rest[1..])),
        _ => Ok(PathBuf::from(path)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn locate_with(vars: &[(&str, &str)], fallback: Option<&str>) -> Result<Locations, NoHome> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let var = move |name: &str| map.get(name).cloned();
        locate(&Env {
            var: &var,
            fallback_home: fallback.map(PathBuf::from),
        })
    }

    #[test]
    fn overrides_expand_a_leading_tilde() {
        let found = locate_with(
            &[
                ("HOME", "/h"),
                ("AWS_CONFIG_FILE", "~/cfg/config"),
                ("AWS_SHARED_CREDENTIALS_FILE", "~other/c"),
            ],
            None,
        )
        .unwrap();
        assert_eq!(found.config, PathBuf::from("/h/cfg/config"));
        assert_eq!(found.credentials, PathBuf::from("~other/c"));
    }

    #[test]
    fn empty_variables_count_as_unset() {
        let found = locate_with(
            &[("HOME", "/h"), ("AWS_CONFIG_FILE", ""), ("AWS_PROFILE", "")],
            None,
        )
        .unwrap();
        assert_eq!(found.config, PathBuf::from("/h/.aws/config"));
        assert_eq!(found.profile, "default");
    }

    #[test]
    fn no_home_anywhere_is_a_clear_error() {
        let err = locate_with(&[], None).unwrap_err();
        assert!(err.to_string().contains("HOME is not set"));
        let ok = locate_with(
            &[
                ("AWS_CONFIG_FILE", "/c"),
                ("AWS_SHARED_CREDENTIALS_FILE", "/k"),
            ],
            None,
        );
        assert!(ok.is_ok());
    }
}
