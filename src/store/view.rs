//! The merged view the SDKs build from both files: profiles and sso-sessions with their
//! settings, each setting remembering the file and line it came from.

use std::collections::BTreeMap;

use zeroize::Zeroize;

use super::parse::{FileKind, Layout, SectionRole, is_identifier, section_role};

#[derive(Clone, PartialEq, Eq)]
pub struct Setting {
    pub value: String,
    pub file: FileKind,
    /// 1-based line of the `key = value` line.
    pub line: usize,
}

impl Drop for Setting {
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Section {
    /// Lower-cased keys.
    pub settings: BTreeMap<String, Setting>,
    /// The files holding a section of this name, in `FileKind` order.
    pub files: Vec<FileKind>,
}

impl Section {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.settings.get(key).map(|s| s.value.as_str())
    }

    fn add_file(&mut self, file: FileKind) {
        if !self.files.contains(&file) {
            self.files.push(file);
            self.files.sort();
        }
    }
}

/// Something the SDKs silently skip or another reader treats differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub file: FileKind,
    /// 1-based, when the notice is about one line.
    pub line: Option<usize>,
    pub message: String,
}

#[derive(Clone, Default)]
pub struct ProfileSet {
    pub profiles: BTreeMap<String, Section>,
    pub sso_sessions: BTreeMap<String, Section>,
    pub notices: Vec<Notice>,
}

impl ProfileSet {
    /// Merges the config file, then the credentials file over it, as the SDKs do.
    pub fn merge(config: &Layout, credentials: &Layout) -> ProfileSet {
        let mut set = ProfileSet::default();
        set.merge_in(config, FileKind::Config);
        set.merge_in(credentials, FileKind::Credentials);
        set
    }

    fn merge_in(&mut self, layout: &Layout, file: FileKind) {
        let roles: Vec<SectionRole> = layout
            .sections
            .iter()
            .map(|s| section_role(&s.raw_name, file))
            .collect();
        let has_prefixed_default = roles.iter().any(
            |r| matches!(r, SectionRole::Profile { name, prefixed: true } if name == "default"),
        );
        for (section, role) in layout.sections.iter().zip(roles) {
            let line = Some(section.header + 1);
            let target = match role {
                SectionRole::Profile {
                    name,
                    prefixed: false,
                } if has_prefixed_default && file == FileKind::Config && name == "default" => {
                    self.notice(file, line, "`[default]` is ignored because `[profile default]` exists; the AWS CLI instead uses whichever comes last");
                    continue;
                }
                SectionRole::Profile { name, .. } => self.profiles.entry(name).or_default(),
                SectionRole::SsoSession(name) => self.sso_sessions.entry(name).or_default(),
                SectionRole::Other => continue,
                SectionRole::Ignored(reason) => {
                    self.notice(
                        file,
                        line,
                        &format!("section skipped by the AWS SDKs: {reason}"),
                    );
                    continue;
                }
            };
            target.add_file(file);
            let mut skipped = Vec::new();
            for prop in &section.props {
                if !is_identifier(&prop.key) {
                    skipped.push(prop.line + 1);
                    continue;
                }
                let setting = Setting {
                    value: prop.value.clone(),
                    file,
                    line: prop.line + 1,
                };
                target.settings.insert(prop.key.clone(), setting);
            }
            for line in skipped {
                self.notice(
                    file,
                    Some(line),
                    "setting skipped by the AWS SDKs: its name may hold only letters, digits and - _ / . % @ : +",
                );
            }
        }
    }

    fn notice(&mut self, file: FileKind, line: Option<usize>, message: &str) {
        self.notices.push(Notice {
            file,
            line,
            message: message.to_string(),
        });
    }
}
