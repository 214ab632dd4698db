//! The merged view the SDKs build from both files: profiles and sso-sessions with their
//! settings, each setting remembering the file and line it came from. It borrows the
//! parsed files, so building it for thousands of profiles copies no values.

use std::borrow::Cow;
use std::collections::HashMap;

use super::hash::FnvBuild;
use super::parse::{FileKind, Layout, SectionRole, is_identifier, section_role};

#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Setting<'a> {
    pub value: &'a str,
    pub file: FileKind,
    /// 1-based line of the `key = value` line (files are under 4 GiB, so under 2^32 lines).
    line: u32,
}

impl<'a> Setting<'a> {
    pub fn new(value: &'a str, file: FileKind, line: usize) -> Setting<'a> {
        let line = u32::try_from(line).expect("files are under 4 GiB (checked when read)");
        Setting { value, file, line }
    }

    /// 1-based line of the `key = value` line.
    pub fn line(&self) -> usize {
        self.line as usize
    }
}

/// Which of the two files hold a section of a name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileSet {
    config: bool,
    credentials: bool,
}

impl FileSet {
    pub fn insert(&mut self, file: FileKind) {
        match file {
            FileKind::Config => self.config = true,
            FileKind::Credentials => self.credentials = true,
        }
    }

    pub fn contains(&self, file: FileKind) -> bool {
        match file {
            FileKind::Config => self.config,
            FileKind::Credentials => self.credentials,
        }
    }

    /// In `FileKind` order.
    pub fn iter(&self) -> impl Iterator<Item = FileKind> + '_ {
        [FileKind::Config, FileKind::Credentials]
            .into_iter()
            .filter(|f| self.contains(*f))
    }
}

/// A profile's settings by (lower-cased) key, in the order the files first set them. A
/// profile has a handful of settings, so a vector beats a map in both time and memory.
#[derive(Clone, Default)]
pub struct Settings<'a>(Vec<(Cow<'a, str>, Setting<'a>)>);

impl<'a> Settings<'a> {
    pub fn get(&self, key: &str) -> Option<&Setting<'a>> {
        // A linear scan of a handful of keys beats a binary search's string ordering.
        self.0.iter().find(|(k, _)| k == key).map(|(_, s)| s)
    }

    /// Later settings replace earlier ones, as the SDKs merge.
    pub fn insert(&mut self, key: Cow<'a, str>, setting: Setting<'a>) {
        // A handful of keys: equality (length first) is all it takes; `iter` sorts.
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(existing) => existing.1 = setting,
            None => self.0.push((key, setting)),
        }
    }

    /// In key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Setting<'a>)> {
        let mut sorted: Vec<_> = self.0.iter().map(|(k, s)| (k.as_ref(), s)).collect();
        sorted.sort_unstable_by_key(|(k, _)| *k);
        sorted.into_iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The same settings, whatever order the files set them in.
impl PartialEq for Settings<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Settings<'_> {}

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Section<'a> {
    /// Lower-cased keys.
    pub settings: Settings<'a>,
    pub files: FileSet,
}

impl<'a> Section<'a> {
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.settings.get(key).map(|s| s.value)
    }

    /// Each setting as it may be shown: secrets masked to their last four characters.
    pub fn shown(&self) -> impl Iterator<Item = (&str, Cow<'a, str>, &Setting<'a>)> {
        self.settings.iter().map(|(key, setting)| {
            let value = if crate::domain::mask::is_secret_key(key) {
                Cow::Owned(crate::domain::mask::mask_secret(setting.value))
            } else {
                Cow::Borrowed(setting.value)
            };
            (key, value, setting)
        })
    }
}

/// Something the SDKs silently skip or another reader treats differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub file: FileKind,
    /// 1-based, when the notice is about one line.
    pub line: Option<usize>,
    pub message: String,
    /// The AWS CLI refuses to read a file with this problem.
    pub refused: bool,
}

#[derive(Clone, Default)]
pub struct ProfileSet<'a> {
    pub profiles: Named<'a>,
    pub sso_sessions: Named<'a>,
    pub notices: Vec<Notice>,
}

impl<'a> ProfileSet<'a> {
    /// Merges the config file, then the credentials file over it, as the SDKs do.
    pub fn merge(config: &'a Layout<'_>, credentials: &'a Layout<'_>) -> ProfileSet<'a> {
        let mut builder = Builder::default();
        // Most names appear in both files: the larger file's count is the usual total.
        let sections = config.sections.len().max(credentials.sections.len());
        builder.profiles.index.reserve(sections);
        builder.merge_in(config, FileKind::Config);
        builder.merge_in(credentials, FileKind::Credentials);
        ProfileSet {
            profiles: builder.profiles.into_sorted(),
            sso_sessions: builder.sso_sessions.into_sorted(),
            notices: builder.notices,
        }
    }
}

/// Sections sorted by name, looked up by binary search: the shape a merge of thousands
/// of profiles builds fastest and a list or picker reads in order.
#[derive(Clone, Default)]
pub struct Named<'a>(Vec<(&'a str, Section<'a>)>);

impl<'a> Named<'a> {
    pub fn get(&self, name: &str) -> Option<&Section<'a>> {
        self.position(name).ok().map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.position(name).is_ok()
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(n, _)| (*n).cmp(name))
    }

    /// In name order.
    pub fn iter(&self) -> impl Iterator<Item = (&&'a str, &Section<'a>)> {
        self.0.iter().map(|(n, s)| (n, s))
    }

    pub fn keys(&self) -> impl Iterator<Item = &&'a str> {
        self.0.iter().map(|(n, _)| n)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> std::ops::Index<&str> for Named<'a> {
    type Output = Section<'a>;

    fn index(&self, name: &str) -> &Section<'a> {
        self.get(name)
            .unwrap_or_else(|| panic!("no section named {name}"))
    }
}

/// Sections by name while merging: a hash index, sorted once at the end.
#[derive(Default)]
struct NamedBuilder<'a> {
    index: HashMap<&'a str, usize, FnvBuild>,
    list: Vec<(&'a str, Section<'a>)>,
}

impl<'a> NamedBuilder<'a> {
    fn entry(&mut self, name: &'a str) -> &mut Section<'a> {
        let list = &mut self.list;
        let i = *self.index.entry(name).or_insert_with(|| {
            list.push((name, Section::default()));
            list.len() - 1
        });
        &mut self.list[i].1
    }

    fn into_sorted(mut self) -> Named<'a> {
        self.list.sort_unstable_by(|a, b| a.0.cmp(b.0));
        Named(self.list)
    }
}

#[derive(Default)]
struct Builder<'a> {
    profiles: NamedBuilder<'a>,
    sso_sessions: NamedBuilder<'a>,
    notices: Vec<Notice>,
}

impl<'a> Builder<'a> {
    fn merge_in(&mut self, layout: &'a Layout<'_>, file: FileKind) {
        let prefixed_default = SectionRole::Profile {
            name: "default",
            prefixed: true,
        };
        let has_prefixed_default = file == FileKind::Config
            && layout.sections.iter().any(|s| {
                s.raw_name.ends_with("default")
                    && section_role(s.raw_name, file) == prefixed_default
            });
        for section in &layout.sections {
            let line = Some(section.header + 1);
            let target = match section_role(section.raw_name, file) {
                SectionRole::Profile {
                    name: "default",
                    prefixed: false,
                } if has_prefixed_default => {
                    self.notice(file, line, "`[default]` is ignored because `[profile default]` exists; the AWS CLI instead uses whichever comes last");
                    continue;
                }
                SectionRole::Profile { name, .. } => self.profiles.entry(name),
                SectionRole::SsoSession(name) => self.sso_sessions.entry(name),
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
            target.files.insert(file);
            let mut skipped = Vec::new();
            for prop in layout.props(section) {
                if !is_identifier(prop.key) {
                    skipped.push(prop.line + 1);
                    continue;
                }
                let key = match prop.normalized_key() {
                    Cow::Borrowed(_) => Cow::Borrowed(prop.key),
                    Cow::Owned(lower) => Cow::Owned(lower),
                };
                target
                    .settings
                    .insert(key, Setting::new(&prop.value, file, prop.line + 1));
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
            refused: false,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (key, value, line) in the order the files set them.
    fn settings(entries: &[(&'static str, &'static str, usize)]) -> Settings<'static> {
        let mut settings = Settings::default();
        for (key, value, line) in entries {
            let setting = Setting::new(value, FileKind::Config, *line);
            settings.insert(Cow::Borrowed(key), setting);
        }
        settings
    }

    #[test]
    fn later_settings_replace_earlier_ones_and_iteration_is_in_key_order() {
        let s = settings(&[
            ("region", "a", 1),
            ("output", "json", 2),
            ("region", "b", 3),
        ]);
        let listed: Vec<(&str, &str, usize)> =
            s.iter().map(|(k, v)| (k, v.value, v.line())).collect();
        assert_eq!(listed, vec![("output", "json", 2), ("region", "b", 3)]);
    }

    #[test]
    fn equality_ignores_the_order_settings_were_set_in() {
        let a = settings(&[("region", "a", 1), ("output", "json", 2)]);
        let b = settings(&[("output", "json", 2), ("region", "a", 1)]);
        assert!(a == b);
        let c = settings(&[("output", "json", 2), ("region", "b", 1)]);
        assert!(a != c);
    }
}
