//! credwiz's own small state: recently used profiles and the last verification result
//! per profile. Never a secret. An INI file under the user's config directory
//! (`$XDG_CONFIG_HOME/credwiz/state.ini`, else `~/.config/credwiz/state.ini`), read and
//! written with rust-ini (the AWS files are not: see `store`). A missing or unreadable
//! file is an empty state; writing is best effort and atomic.

use std::path::PathBuf;

use ini::Ini;

const RECENT: &str = "recent";
const KEEP_RECENT: usize = 50;

/// The outcome of the last `credwiz verify` of a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// When, as written (RFC 3339).
    pub time: String,
    pub ok: bool,
    pub account: Option<String>,
    pub arn: Option<String>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    /// Most recent first.
    pub recent: Vec<String>,
    pub verified: Vec<(String, Verification)>,
}

pub fn path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("credwiz").join("state.ini"))
}

impl State {
    pub fn load() -> State {
        path()
            .and_then(|p| Ini::load_from_file(p).ok())
            .map(|ini| State::from_ini(&ini))
            .unwrap_or_default()
    }

    fn from_ini(ini: &Ini) -> State {
        let mut recent: Vec<(usize, String)> = ini
            .section(Some(RECENT))
            .map(|s| {
                s.iter()
                    .filter_map(|(k, v)| Some((k.parse().ok()?, v.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        recent.sort();
        let verified = ini
            .iter()
            .filter_map(|(section, props)| {
                let name = section?.strip_prefix("verified ")?;
                let get = |k: &str| props.get(k).map(str::to_string);
                Some((
                    name.to_string(),
                    Verification {
                        time: get("time")?,
                        ok: props.get("ok") == Some("true"),
                        account: get("account"),
                        arn: get("arn"),
                        error: get("error"),
                    },
                ))
            })
            .collect();
        State {
            recent: recent.into_iter().map(|(_, n)| n).collect(),
            verified,
        }
    }

    fn to_ini(&self) -> Ini {
        let mut ini = Ini::new();
        for (i, name) in self.recent.iter().enumerate() {
            ini.with_section(Some(RECENT))
                .set((i + 1).to_string(), name.as_str());
        }
        for (name, v) in &self.verified {
            let mut section = ini.with_section(Some(format!("verified {name}")));
            section
                .set("time", v.time.as_str())
                .set("ok", if v.ok { "true" } else { "false" });
            for (key, value) in [
                ("account", &v.account),
                ("arn", &v.arn),
                ("error", &v.error),
            ] {
                if let Some(value) = value {
                    section.set(key, value.as_str());
                }
            }
        }
        ini
    }

    /// Moves `name` to the front of the recently used list.
    pub fn used(&mut self, name: &str) {
        self.recent.retain(|n| n != name);
        self.recent.insert(0, name.to_string());
        self.recent.truncate(KEEP_RECENT);
    }

    pub fn renamed(&mut self, old: &str, new: &str) {
        for name in &mut self.recent {
            if name == old {
                *name = new.to_string();
            }
        }
        self.verified.retain(|(n, _)| n != new);
        for (name, _) in &mut self.verified {
            if name == old {
                *name = new.to_string();
            }
        }
    }

    /// Keeps `verification` as the last one of `name`.
    pub fn remember_verification(&mut self, name: &str, verification: Verification) {
        self.verified.retain(|(n, _)| n != name);
        self.verified.push((name.to_string(), verification));
    }

    pub fn verification(&self, name: &str) -> Option<&Verification> {
        self.verified
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// Writes the state; failures are ignored (the state is a convenience).
    pub fn save(&self) {
        let Some(path) = path() else { return };
        let Some(dir) = path.parent() else { return };
        if crate::store::write::create_dir(dir).is_err() {
            return;
        }
        let mut bytes = Vec::new();
        if self.to_ini().write_to(&mut bytes).is_ok() {
            let _ = crate::store::write::replace(&path, &bytes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_ini() {
        let mut state = State::default();
        state.used("work");
        state.used("prod");
        state.used("work");
        state.verified.push((
            "work".into(),
            Verification {
                time: "2026-11-22T07:00:00Z".into(),
                ok: true,
                account: Some("123456789012".into()),
                arn: Some("arn:aws:iam::123456789012:user/me".into()),
                error: None,
            },
        ));
        let mut text = Vec::new();
        state.to_ini().write_to(&mut text).unwrap();
        let back =
            State::from_ini(&Ini::load_from_str(std::str::from_utf8(&text).unwrap()).unwrap());
        assert_eq!(back, state);
        assert_eq!(back.recent, ["work", "prod"]);
    }

    #[test]
    fn renames_follow() {
        let mut state = State {
            recent: vec!["a".into(), "b".into()],
            verified: vec![],
        };
        state.renamed("a", "c");
        assert_eq!(state.recent, ["c", "b"]);
    }
}
