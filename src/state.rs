//! credwiz's own small state: recently used profiles, the last verification result per
//! profile (with when IAM made the key it checked, see [`KeyAge`]), and which profile `[default]` was last made from (with its access key ID, so
//! a later change of that profile's keys by another tool can be noticed); the journal of
//! a key rotation under way and the keys a rotation deactivated (key IDs and steps). Never
//! a secret. An INI file under the user's config directory
//! (`$XDG_CONFIG_HOME/credwiz/state.ini`, else `~/.config/credwiz/state.ini`), read and
//! written with rust-ini (the AWS files are not: see `store`). A missing or unreadable
//! file is an empty state; writing is best effort and atomic.

use std::path::PathBuf;

use ini::Ini;

const RECENT: &str = "recent";
const DEFAULT_FROM: &str = "default-from";
const KEEP_RECENT: usize = 50;

/// The outcome of the last `credwiz verify` of a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// When, as written (RFC 3339).
    pub time: String,
    pub ok: bool,
    pub account: Option<String>,
    pub arn: Option<String>,
    /// What an S3 check of another service's keys learned ("R2: 3 buckets").
    pub learned: Option<String>,
    pub error: Option<String>,
    /// When IAM made the key of an IAM user's profile, from `ListAccessKeys` after a
    /// verification; kept across later verifications that could not learn it.
    pub key: Option<KeyAge>,
}

/// The creation time of one access key (never a secret). It says nothing about a
/// profile that holds another key since: see [`State::key_created`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyAge {
    pub key_id: String,
    /// As IAM wrote it (RFC 3339).
    pub created: String,
}

/// `[default]` was made a copy of `profile` when it held the key `access_key_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultFrom {
    pub profile: String,
    pub access_key_id: String,
}

/// How far a rotation of a profile's key got (see `crate::rotate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// About to call `CreateAccessKey`: a key the user has now that is not in `before`
    /// was made by this rotation, and its secret never reached the files.
    Creating,
    /// IAM made the new key; the files may or may not hold it yet.
    Created,
    /// The files hold the new key; the old one is still to be checked and retired.
    Written,
}

impl Step {
    fn label(self) -> &'static str {
        match self {
            Step::Creating => "creating",
            Step::Created => "created",
            Step::Written => "written",
        }
    }

    fn parse(text: &str) -> Option<Step> {
        [Step::Creating, Step::Created, Step::Written]
            .into_iter()
            .find(|s| s.label() == text)
    }
}

/// A rotation under way: written before each step, removed when it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    pub step: Step,
    pub user: String,
    pub user_arn: String,
    pub old_key: String,
    pub new_key: Option<String>,
    /// The user's key IDs before the new one was made.
    pub before: Vec<String>,
    /// `--delete`: the old key is deleted, not deactivated.
    pub delete_old: bool,
}

/// A key a rotation deactivated, for `credwiz rotate NAME --finish`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retired {
    pub key: String,
    pub user: String,
    pub user_arn: String,
    /// When it was deactivated (RFC 3339).
    pub time: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    /// Most recent first.
    pub recent: Vec<String>,
    pub verified: Vec<(String, Verification)>,
    pub default_from: Option<DefaultFrom>,
    /// Rotations under way, by profile.
    pub rotations: Vec<(String, Rotation)>,
    /// The key each profile's last rotation deactivated.
    pub retired: Vec<(String, Retired)>,
    /// MFA session profiles credwiz made, and the profile each was made from (what
    /// renews it).
    pub sessions: Vec<(String, String)>,
}

/// What doctor and the picker say when `[default]` was made from `from`, which has a new
/// key since; `how` says how to make it the default again.
pub fn stale_default_said(from: &str, how: &str) -> String {
    format!(
        "`default` was made from `{from}`, which has a new key since: the default still holds the old one; to give it the new key make `{from}` the default again ({how})"
    )
}

pub fn path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("credwiz").join("state.ini"))
}

impl State {
    /// The state in the user's config directory ([`path`]).
    pub fn load() -> State {
        State::load_from(path().as_deref())
    }

    /// The state in `path` (`None`: no state file, an empty state).
    pub fn load_from(path: Option<&std::path::Path>) -> State {
        path.and_then(|p| Ini::load_from_file(p).ok())
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
                        learned: get("learned"),
                        error: get("error"),
                        key: get("key_id")
                            .zip(get("key_created"))
                            .map(|(key_id, created)| KeyAge { key_id, created }),
                    },
                ))
            })
            .collect();
        let default_from = ini.section(Some(DEFAULT_FROM)).and_then(|s| {
            Some(DefaultFrom {
                profile: s.get("profile")?.to_string(),
                access_key_id: s.get("access_key_id")?.to_string(),
            })
        });
        let rotations = ini
            .iter()
            .filter_map(|(section, props)| {
                let name = section?.strip_prefix("rotation ")?;
                let get = |k: &str| props.get(k).map(str::to_string);
                Some((
                    name.to_string(),
                    Rotation {
                        step: Step::parse(props.get("step")?)?,
                        user: get("user")?,
                        user_arn: get("user_arn")?,
                        old_key: get("old_key")?,
                        new_key: get("new_key"),
                        before: props
                            .get("before")
                            .unwrap_or_default()
                            .split(',')
                            .filter(|k| !k.is_empty())
                            .map(str::to_string)
                            .collect(),
                        delete_old: props.get("delete_old") == Some("true"),
                    },
                ))
            })
            .collect();
        let retired = ini
            .iter()
            .filter_map(|(section, props)| {
                let name = section?.strip_prefix("retired ")?;
                let get = |k: &str| props.get(k).map(str::to_string);
                Some((
                    name.to_string(),
                    Retired {
                        key: get("key")?,
                        user: get("user")?,
                        user_arn: get("user_arn")?,
                        time: get("time")?,
                    },
                ))
            })
            .collect();
        let sessions = ini
            .iter()
            .filter_map(|(section, props)| {
                let name = section?.strip_prefix("session ")?;
                Some((name.to_string(), props.get("source")?.to_string()))
            })
            .collect();
        State {
            recent: recent.into_iter().map(|(_, n)| n).collect(),
            verified,
            default_from,
            rotations,
            retired,
            sessions,
        }
    }

    fn to_ini(&self) -> Ini {
        let mut ini = Ini::new();
        for (i, name) in self.recent.iter().enumerate() {
            ini.with_section(Some(RECENT))
                .set((i + 1).to_string(), name.as_str());
        }
        if let Some(from) = &self.default_from {
            ini.with_section(Some(DEFAULT_FROM))
                .set("profile", from.profile.as_str())
                .set("access_key_id", from.access_key_id.as_str());
        }
        for (name, v) in &self.verified {
            let mut section = ini.with_section(Some(format!("verified {name}")));
            section
                .set("time", v.time.as_str())
                .set("ok", if v.ok { "true" } else { "false" });
            for (key, value) in [
                ("account", &v.account),
                ("arn", &v.arn),
                ("learned", &v.learned),
                ("error", &v.error),
            ] {
                if let Some(value) = value {
                    section.set(key, value.as_str());
                }
            }
            if let Some(age) = &v.key {
                section
                    .set("key_id", age.key_id.as_str())
                    .set("key_created", age.created.as_str());
            }
        }
        for (name, r) in &self.rotations {
            let mut section = ini.with_section(Some(format!("rotation {name}")));
            section
                .set("step", r.step.label())
                .set("user", r.user.as_str())
                .set("user_arn", r.user_arn.as_str())
                .set("old_key", r.old_key.as_str())
                .set("before", r.before.join(","))
                .set("delete_old", if r.delete_old { "true" } else { "false" });
            if let Some(new_key) = &r.new_key {
                section.set("new_key", new_key.as_str());
            }
        }
        for (name, r) in &self.retired {
            ini.with_section(Some(format!("retired {name}")))
                .set("key", r.key.as_str())
                .set("user", r.user.as_str())
                .set("user_arn", r.user_arn.as_str())
                .set("time", r.time.as_str());
        }
        for (name, source) in &self.sessions {
            ini.with_section(Some(format!("session {name}")))
                .set("source", source.as_str());
        }
        ini
    }

    /// The profile the MFA session profile `name` was made from.
    pub fn session_source(&self, name: &str) -> Option<&str> {
        self.sessions
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, source)| source.as_str())
    }

    /// Records that the MFA session profile `name` is made from `source`.
    pub fn set_session(&mut self, name: &str, source: &str) {
        self.sessions.retain(|(n, _)| n != name);
        self.sessions.push((name.to_string(), source.to_string()));
    }

    /// The rotation of `name` under way, if one is.
    pub fn rotation(&self, name: &str) -> Option<&Rotation> {
        self.rotations
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| r)
    }

    /// Records (`Some`) or ends (`None`) the rotation of `name`.
    pub fn set_rotation(&mut self, name: &str, rotation: Option<Rotation>) {
        self.rotations.retain(|(n, _)| n != name);
        self.rotations
            .extend(rotation.map(|r| (name.to_string(), r)));
    }

    /// The key the last rotation of `name` deactivated, if credwiz has not deleted it since.
    pub fn retired(&self, name: &str) -> Option<&Retired> {
        self.retired.iter().find(|(n, _)| n == name).map(|(_, r)| r)
    }

    pub fn set_retired(&mut self, name: &str, retired: Option<Retired>) {
        self.retired.retain(|(n, _)| n != name);
        self.retired.extend(retired.map(|r| (name.to_string(), r)));
    }

    /// Moves `name` to the front of the recently used list.
    pub fn used(&mut self, name: &str) {
        self.recent.retain(|n| n != name);
        self.recent.insert(0, name.to_string());
        self.recent.truncate(KEEP_RECENT);
    }

    /// `[default]` was just made a copy of `profile`, whose key ID is `access_key_id`
    /// (`None`: it has no keys of its own, and there is nothing to follow).
    pub fn made_default(&mut self, profile: &str, access_key_id: Option<&str>) {
        self.used(profile);
        self.default_from = access_key_id.map(|id| DefaultFrom {
            profile: profile.to_string(),
            access_key_id: id.to_string(),
        });
    }

    /// The profile `[default]` was made from, when that profile's key has changed since
    /// and the default still holds the old one. `key_of` gives a profile's access key ID.
    pub fn stale_default(&self, key_of: impl Fn(&str) -> Option<String>) -> Option<&str> {
        let from = self.default_from.as_ref()?;
        let unchanged_default = key_of("default").as_deref() == Some(&from.access_key_id);
        let source_key = key_of(&from.profile)?;
        (unchanged_default && source_key != from.access_key_id).then_some(from.profile.as_str())
    }

    pub fn renamed(&mut self, old: &str, new: &str) {
        if let Some(from) = &mut self.default_from
            && from.profile == old
        {
            from.profile = new.to_string();
        }
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
        for (_, source) in &mut self.sessions {
            if source == old {
                *source = new.to_string();
            }
        }
        let names = self
            .rotations
            .iter_mut()
            .map(|(n, _)| n)
            .chain(self.retired.iter_mut().map(|(n, _)| n))
            .chain(self.sessions.iter_mut().map(|(n, _)| n));
        for name in names {
            if name == old {
                *name = new.to_string();
            }
        }
    }

    /// Keeps `verification` as the last one of `name`. A creation time it did not learn
    /// is kept from the one before (a key's creation time does not change).
    pub fn remember_verification(&mut self, name: &str, mut verification: Verification) {
        let index = self.verified.iter().position(|(n, _)| n == name);
        let before = index.map(|i| self.verified.remove(i).1);
        if verification.key.is_none() {
            verification.key = before.and_then(|b| b.key);
        }
        self.verified.push((name.to_string(), verification));
    }

    /// When IAM made `key_id`, the key `name` holds now; `None` when not known, or known
    /// only for a key the profile no longer holds.
    pub fn key_created(&self, name: &str, key_id: &str) -> Option<&str> {
        let age = self.verification(name)?.key.as_ref()?;
        (age.key_id == key_id).then_some(age.created.as_str())
    }

    pub fn verification(&self, name: &str) -> Option<&Verification> {
        self.verified
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// Writes the state to the user's config directory; failures are ignored (the state
    /// is a convenience).
    pub fn save(&self) {
        self.save_to(path().as_deref());
    }

    /// Writes the state to `path` (`None`: nowhere); failures are ignored.
    pub fn save_to(&self, path: Option<&std::path::Path>) {
        let _ = self.try_save_to(path);
    }

    /// Writes the state to `path` (`None`: nowhere), saying why it could not: for the
    /// journal of a rotation, which must be kept before IAM is asked for a new key.
    pub fn try_save_to(&self, path: Option<&std::path::Path>) -> Result<(), String> {
        let Some(path) = path else { return Ok(()) };
        let dir = path.parent().ok_or("the state file has no directory")?;
        crate::store::write::create_dir(dir).map_err(|e| e.to_string())?;
        let mut bytes = Vec::new();
        self.to_ini()
            .write_to(&mut bytes)
            .map_err(|e| e.to_string())?;
        crate::store::write::replace(path, &bytes).map_err(|cause| {
            crate::store::StoreError::CannotWrite {
                path: path.to_path_buf(),
                cause,
            }
            .to_string()
        })
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
                learned: None,
                error: None,
                key: Some(KeyAge {
                    key_id: "AKIAIOSFODNN7EXAMPLE".into(),
                    created: "2026-03-01T10:00:00Z".into(),
                }),
            },
        ));
        state.verified.push((
            "r2".into(),
            Verification {
                time: "2026-11-22T07:01:00Z".into(),
                ok: true,
                account: None,
                arn: None,
                learned: Some("R2: 3 buckets, owner abc".into()),
                error: None,
                key: None,
            },
        ));
        let mut text = Vec::new();
        state.to_ini().write_to(&mut text).unwrap();
        let back =
            State::from_ini(&Ini::load_from_str(std::str::from_utf8(&text).unwrap()).unwrap());
        assert_eq!(back, state);
        assert_eq!(back.recent, ["work", "prod"]);
        assert_eq!(
            back.key_created("work", "AKIAIOSFODNN7EXAMPLE"),
            Some("2026-03-01T10:00:00Z")
        );
        assert_eq!(back.key_created("r2", "AKIAIOSFODNN7EXAMPLE"), None);
    }

    fn verified_at(time: &str, key: Option<KeyAge>) -> Verification {
        Verification {
            time: time.into(),
            ok: true,
            account: None,
            arn: None,
            learned: None,
            error: None,
            key,
        }
    }

    #[test]
    fn a_key_age_is_kept_across_verifications_and_shown_only_for_that_key() {
        let age = KeyAge {
            key_id: "AKIAOLD".into(),
            created: "2026-03-01T10:00:00Z".into(),
        };
        let mut state = State::default();
        state.remember_verification("work", verified_at("2026-12-01T00:00:00Z", Some(age)));
        state.remember_verification("work", verified_at("2026-12-02T00:00:00Z", None));
        assert_eq!(state.verified.len(), 1);
        assert_eq!(
            state.verification("work").unwrap().time,
            "2026-12-02T00:00:00Z"
        );
        assert_eq!(
            state.key_created("work", "AKIAOLD"),
            Some("2026-03-01T10:00:00Z")
        );
        assert_eq!(
            state.key_created("work", "AKIANEW"),
            None,
            "the profile holds another key since"
        );
        let newer = KeyAge {
            key_id: "AKIANEW".into(),
            created: "2026-12-02T07:00:00Z".into(),
        };
        state.remember_verification("work", verified_at("2026-12-02T08:00:00Z", Some(newer)));
        assert_eq!(state.key_created("work", "AKIAOLD"), None);
        assert_eq!(
            state.key_created("work", "AKIANEW"),
            Some("2026-12-02T07:00:00Z")
        );
    }

    #[test]
    fn rotation_journal_round_trips_and_holds_no_secret() {
        let mut state = State::default();
        let rotation = Rotation {
            step: Step::Created,
            user: "alice".into(),
            user_arn: "arn:aws:iam::123456789012:user/alice".into(),
            old_key: "AKIAIOSFODNN7EXAMPLE".into(),
            new_key: Some("AKIAY34FZKBOKMUTVV7A".into()),
            before: vec!["AKIAIOSFODNN7EXAMPLE".into(), "AKIAOTHER".into()],
            delete_old: true,
        };
        state.set_rotation("work", Some(rotation.clone()));
        state.set_rotation(
            "other",
            Some(Rotation {
                step: Step::Creating,
                new_key: None,
                before: vec![],
                delete_old: false,
                ..rotation.clone()
            }),
        );
        state.set_retired(
            "work",
            Some(Retired {
                key: "AKIAOLD".into(),
                user: "alice".into(),
                user_arn: "arn:aws:iam::123456789012:user/alice".into(),
                time: "2026-12-02T06:00:00Z".into(),
            }),
        );
        let mut text = Vec::new();
        state.to_ini().write_to(&mut text).unwrap();
        let back =
            State::from_ini(&Ini::load_from_str(std::str::from_utf8(&text).unwrap()).unwrap());
        assert_eq!(back, state);
        assert_eq!(back.rotation("work"), Some(&rotation));
        state.set_rotation("work", None);
        assert_eq!(state.rotation("work"), None);
        assert!(state.rotation("other").is_some());
    }

    #[test]
    fn renames_follow() {
        let mut state = State {
            recent: vec!["a".into(), "b".into()],
            ..State::default()
        };
        state.made_default("a", Some("AKIAIOSFODNN7EXAMPLE"));
        state.renamed("a", "c");
        assert_eq!(state.recent, ["c", "b"]);
        assert_eq!(state.default_from.unwrap().profile, "c");
    }

    #[test]
    fn a_default_made_from_a_profile_whose_key_changed_since_is_stale() {
        let mut state = State::default();
        state.made_default("work", Some("AKIAOLD"));
        let keys = |default: &'static str, work: &'static str| {
            move |name: &str| match name {
                "default" => Some(default.to_string()),
                "work" => Some(work.to_string()),
                _ => None,
            }
        };
        assert_eq!(state.stale_default(keys("AKIAOLD", "AKIAOLD")), None);
        assert_eq!(
            state.stale_default(keys("AKIAOLD", "AKIANEW")),
            Some("work")
        );
        assert_eq!(
            state.stale_default(keys("AKIANEW", "AKIANEW")),
            None,
            "both have the new key"
        );
        assert_eq!(
            state.stale_default(keys("AKIAOTHER", "AKIANEW")),
            None,
            "the default was changed since: it is no longer a copy"
        );
        let mut text = Vec::new();
        state.to_ini().write_to(&mut text).unwrap();
        let back =
            State::from_ini(&Ini::load_from_str(std::str::from_utf8(&text).unwrap()).unwrap());
        assert_eq!(back, state);
    }
}
