//! The merged view the SDKs build from both files: profiles and sso-sessions with their
//! settings, each setting remembering the file and line it came from. It borrows the
//! parsed files, so building it for thousands of profiles copies no values.

use std::borrow::Cow;
use std::collections::HashMap;

use smallvec::SmallVec;

use super::hash::NameHash;
use super::parse::{FileKind, Layout, PropLayout, SectionRole, is_identifier, section_role};

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

/// One section's properties, as a source of a profile's settings.
#[derive(Clone, Copy)]
struct Source<'a> {
    file: FileKind,
    props: &'a [PropLayout<'a>],
}

impl<'a> Source<'a> {
    fn setting(&self, prop: &'a PropLayout<'a>) -> Setting<'a> {
        Setting::new(&prop.value, self.file, prop.line() + 1)
    }
}

/// A profile's settings by (lower-cased) key. Kept as the sections they come from, in
/// merge order (config, then credentials; later sections over earlier ones), and looked
/// up on demand: a profile has a handful of settings and usually one or two sections, so
/// building the merged view of thousands of profiles copies nothing per setting.
#[derive(Clone, Default)]
pub struct Settings<'a> {
    sources: SmallVec<[Source<'a>; 2]>,
}

impl<'a> Settings<'a> {
    fn add(&mut self, file: FileKind, props: &'a [PropLayout<'a>]) {
        if !props.is_empty() {
            self.sources.push(Source { file, props });
        }
    }

    /// The value the SDKs use: the last one set, credentials over config.
    /// `key` is lower-case, as the SDKs name settings.
    pub fn get(&self, key: &str) -> Option<Setting<'a>> {
        let [found] = self.get_many([key]);
        found
    }

    /// Several keys in one pass over the settings, in merge order so the last one set wins.
    pub fn get_many<const N: usize>(&self, keys: [&str; N]) -> [Option<Setting<'a>>; N] {
        let mut found = [None; N];
        for source in &self.sources {
            for prop in source.props {
                // `is` compares lengths first, so most keys are turned away at once.
                if let Some(slot) = keys.iter().position(|k| prop.is(k))
                    && is_identifier(prop.key)
                {
                    found[slot] = Some(source.setting(prop));
                }
            }
        }
        found
    }

    /// Every setting the SDKs read, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (Cow<'a, str>, Setting<'a>)> + use<'a> {
        let mut merged: Vec<(Cow<'a, str>, Setting<'a>)> = Vec::new();
        for source in &self.sources {
            for prop in source.props.iter().filter(|p| is_identifier(p.key)) {
                let setting = source.setting(prop);
                let key = prop.normalized_key();
                match merged.iter_mut().find(|(k, _)| *k == key) {
                    Some(existing) => existing.1 = setting,
                    None => merged.push((key, setting)),
                }
            }
        }
        merged.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        merged.into_iter()
    }
}

/// The same settings, whichever sections they come from.
impl PartialEq for Settings<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
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
    pub fn shown(
        &self,
    ) -> impl Iterator<Item = (Cow<'a, str>, Cow<'a, str>, Setting<'a>)> + use<'a> {
        self.settings.iter().map(|(key, setting)| {
            let value = if crate::domain::mask::is_secret_key(&key) {
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
pub struct Named<'a> {
    /// In the order the files first name them.
    entries: Vec<(&'a str, Section<'a>)>,
    /// Indices of `entries` in name order: sorting these moves 4 bytes an entry, not
    /// the whole entry.
    order: Vec<u32>,
}

impl<'a> Named<'a> {
    pub fn get(&self, name: &str) -> Option<&Section<'a>> {
        self.position(name)
            .ok()
            .map(|i| &self.entries[self.order[i] as usize].1)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.position(name).is_ok()
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.order
            .binary_search_by(|&i| self.entries[i as usize].0.cmp(name))
    }

    /// In name order.
    pub fn iter(&self) -> impl Iterator<Item = (&&'a str, &Section<'a>)> {
        self.order.iter().map(|&i| {
            let (name, section) = &self.entries[i as usize];
            (name, section)
        })
    }

    pub fn keys(&self) -> impl Iterator<Item = &&'a str> {
        self.iter().map(|(name, _)| name)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
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
    index: HashMap<&'a str, usize, NameHash>,
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

    fn into_sorted(self) -> Named<'a> {
        let list = self.list;
        // Sorting by an 8-byte prefix first settles most comparisons without reaching
        // for the names; the prefix orders like the names (names hold no NUL bytes).
        let mut keyed: Vec<(u64, u32)> = list
            .iter()
            .enumerate()
            .map(|(i, (name, _))| {
                let i = u32::try_from(i).expect("fewer than 2^32 sections");
                (name_prefix(name), i)
            })
            .collect();
        keyed.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| list[a.1 as usize].0.cmp(list[b.1 as usize].0))
        });
        Named {
            entries: list,
            order: keyed.into_iter().map(|(_, i)| i).collect(),
        }
    }
}

/// The first 8 bytes of a name, zero-padded, as a big-endian number.
fn name_prefix(name: &str) -> u64 {
    let mut prefix = [0u8; 8];
    let n = name.len().min(8);
    prefix[..n].copy_from_slice(&name.as_bytes()[..n]);
    u64::from_be_bytes(prefix)
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
            let line = Some(section.header() + 1);
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
            let props = layout.props(section);
            target.settings.add(file, props);
            let skipped: Vec<usize> = props
                .iter()
                .filter(|p| !is_identifier(p.key))
                .map(|p| p.line() + 1)
                .collect();
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
    use crate::store::document::Document;
    use crate::store::parse::parse;

    fn merged(config: &str, credentials: &str) -> Vec<(String, String, FileKind, usize)> {
        let (config, credentials) = (Document::parse(config), Document::parse(credentials));
        let (config, credentials) = (parse(&config).unwrap(), parse(&credentials).unwrap());
        let set = ProfileSet::merge(&config, &credentials);
        set.profiles["a"]
            .settings
            .iter()
            .map(|(k, s)| (k.into_owned(), s.value.to_string(), s.file, s.line()))
            .collect()
    }

    #[test]
    fn later_settings_win_credentials_over_config_and_keys_are_listed_in_order() {
        let config = "[profile a]\nRegion = a\noutput = json\n[profile a]\nregion = b\n";
        let credentials = "[a]\nREGION = c\nbad key = x\n";
        let got = merged(config, credentials);
        let want = [
            ("output", "json", FileKind::Config, 3),
            ("region", "c", FileKind::Credentials, 2),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(k, v, f, l)| (k.to_string(), v.to_string(), *f, *l))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn lookups_agree_with_the_listing() {
        let (config, credentials) = (
            Document::parse("[profile a]\nRegion = a\n[profile a]\nregion = b\noutput = text\n"),
            Document::parse("[a]\noutput = json\nbad key = x\n"),
        );
        let (config, credentials) = (parse(&config).unwrap(), parse(&credentials).unwrap());
        let set = ProfileSet::merge(&config, &credentials);
        let section = &set.profiles["a"];
        for (key, setting) in section.settings.iter() {
            assert!(section.settings.get(&key) == Some(setting), "{key}");
        }
        let keys = ["output", "region", "missing", "bad key"];
        let many = section.settings.get_many(keys);
        for (key, found) in keys.iter().zip(many) {
            assert!(found == section.settings.get(key), "{key}");
        }
        assert_eq!(section.get("region"), Some("b"));
        assert_eq!(section.get("output"), Some("json"));
        assert_eq!(section.settings.iter().count(), 2);
    }

    #[test]
    fn profiles_are_listed_and_found_in_name_order() {
        let names = [
            "p10",
            "p1",
            "profile-long-name-b",
            "profile-long-name-a",
            "a",
            "B",
            "p1.5",
            "profile-l",
            "zz",
            "p100000000",
            "p10000000",
        ];
        let text: String = names.iter().map(|n| format!("[{n}]\nk = v\n")).collect();
        let (empty, credentials) = (Document::parse(""), Document::parse(&text));
        let (empty, credentials) = (parse(&empty).unwrap(), parse(&credentials).unwrap());
        let set = ProfileSet::merge(&empty, &credentials);
        let listed: Vec<&str> = set.profiles.keys().copied().collect();
        let mut sorted = names.to_vec();
        sorted.sort_unstable();
        assert_eq!(listed, sorted);
        for name in names {
            assert!(set.profiles.contains_key(name), "{name}");
        }
        assert!(!set.profiles.contains_key("p2"));
    }

    #[test]
    fn equality_ignores_which_sections_settings_come_from() {
        let one = Document::parse("[profile a]\nregion = b\n");
        let two = Document::parse("[profile a]\nregion = b\n[profile a]\n");
        let empty = Document::parse("");
        let (one, two, empty) = (
            parse(&one).unwrap(),
            parse(&two).unwrap(),
            parse(&empty).unwrap(),
        );
        let (x, y) = (
            ProfileSet::merge(&one, &empty),
            ProfileSet::merge(&two, &empty),
        );
        assert!(x.profiles["a"] == y.profiles["a"]);
    }
}
