//! The merged view the SDKs build from both files: profiles and sso-sessions with their
//! settings, each setting remembering the file and line it came from. It borrows the
//! parsed files, so building it for thousands of profiles copies no values.

use std::borrow::Cow;
use std::collections::HashMap;

use smallvec::SmallVec;

use super::hash::NameHash;
use super::parse::{
    FileKind, INDENTED_HEADER, Layout, NameForm, PropLayout, SectionLayout, SectionRole,
    aws_cli_profile_name, configparser_header, is_identifier, portable_name, section_role,
};

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

#[derive(Clone, Default)]
pub struct Section<'a> {
    /// Lower-cased keys.
    pub settings: Settings<'a>,
    pub files: FileSet,
    /// Where the files first name it: the first header's file and 1-based line.
    pub header: Option<HeaderAt>,
}

/// A section header's place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeaderAt {
    pub file: FileKind,
    line: u32,
}

impl HeaderAt {
    /// 1-based line of the `[...]` line.
    pub fn line(&self) -> usize {
        self.line as usize
    }
}

/// The same settings in the same files, wherever their headers are.
impl PartialEq for Section<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.settings == other.settings && self.files == other.files
    }
}

impl Eq for Section<'_> {}

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
    /// The profiles as the SDKs' shared spec reads them (its vectors in
    /// `tests/conformance.rs`).
    pub profiles: Named<'a>,
    pub sso_sessions: Named<'a>,
    /// Profiles only the AWS CLI (botocore) reads under their name, sorted by name:
    /// `[profile "personal"]`, `[profile 'some profile']`, a credentials `[some profile]`.
    pub aws_cli_only: Vec<AwsCliProfile<'a>>,
    pub notices: Vec<Notice>,
}

/// A profile the AWS CLI reads that the SDKs skip (or read under another name).
#[derive(Clone)]
pub struct AwsCliProfile<'a> {
    /// The name botocore gives it, quotes and escapes resolved.
    pub name: Cow<'a, str>,
    /// Why it is not portable, from its first header.
    pub form: NameForm,
    pub section: Section<'a>,
}

impl AwsCliProfile<'_> {
    /// The readers that do not find it under its name (see [`NameForm::skipped_by`]).
    pub fn skipped_by(&self) -> &'static [&'static str] {
        self.form.skipped_by(self.first_file())
    }

    /// Who reads it how, for people.
    pub fn readers(&self) -> String {
        self.form.readers(self.first_file(), &self.name)
    }

    /// The command that gives it a portable name no profile has yet.
    pub fn rename_command(&self, set: &ProfileSet) -> String {
        rename_command(&self.name, &set.profiles)
    }

    fn first_file(&self) -> FileKind {
        self.section.header.map_or(FileKind::Config, |h| h.file)
    }
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
        let profiles = builder.profiles.into_sorted();
        let mut notices = builder.notices;
        let aws_cli_only = aws_cli_only(builder.aws_cli_only, &profiles, &mut notices);
        ProfileSet {
            profiles,
            sso_sessions: builder.sso_sessions.into_sorted(),
            aws_cli_only,
            notices,
        }
    }

    /// A profile by the name the AWS CLI gives it, whether the SDKs read it or not.
    pub fn profile(&self, name: &str) -> Option<&Section<'a>> {
        self.profiles
            .get(name)
            .or_else(|| self.aws_cli_profile(name).map(|p| &p.section))
    }

    /// A profile only the AWS CLI reads under this name.
    pub fn aws_cli_profile(&self, name: &str) -> Option<&AwsCliProfile<'a>> {
        self.aws_cli_only
            .binary_search_by(|p| p.name.as_ref().cmp(name))
            .ok()
            .map(|i| &self.aws_cli_only[i])
    }

    /// The `[sso-session NAME]` section a profile's `sso_session` names, with that name;
    /// `None` when it names none or a session the files do not have.
    pub fn sso_session_of(&self, profile: &Section<'a>) -> Option<(&'a str, &Section<'a>)> {
        let name = profile.get("sso_session")?;
        self.sso_sessions.get(name).map(|session| (name, session))
    }

    /// Every profile the AWS CLI reads, by name: the SDKs' and the AWS CLI's own.
    pub fn every_profile(&self) -> impl Iterator<Item = (&str, &Section<'a>)> {
        let portable = self.profiles.iter().map(|(name, s)| (*name, s));
        let others = self
            .aws_cli_only
            .iter()
            .map(|p| (p.name.as_ref(), &p.section));
        portable.chain(others)
    }
}

/// The AWS CLI's own profiles, sorted, without the names the SDKs also read (their
/// sections are the same profile to an edit, and the SDKs' reading is the one listed);
/// each header gets a notice that says who skips it and how to rename it.
fn aws_cli_only<'a>(
    found: Vec<(AwsCliProfile<'a>, Vec<(String, HeaderAt)>)>,
    portable: &Named<'a>,
    notices: &mut Vec<Notice>,
) -> Vec<AwsCliProfile<'a>> {
    let mut kept = Vec::with_capacity(found.len());
    for (profile, headers) in found {
        let shadowed = portable.contains_key(&profile.name);
        for (header, at) in headers {
            let message = if shadowed {
                format!(
                    "section skipped by the AWS SDKs: `[{header}]` is the profile `{}` to the AWS CLI, \
                     which another section also names; remove the quotes",
                    profile.name
                )
            } else {
                format!(
                    "`[{header}]`: {}; {}",
                    profile.form.readers(at.file, &profile.name),
                    profile.form.fix(&rename_command(&profile.name, portable)),
                )
            };
            notices.push(Notice {
                file: at.file,
                line: Some(at.line()),
                message,
                refused: false,
            });
        }
        if !shadowed {
            kept.push(profile);
        }
    }
    kept.sort_by(|a, b| a.name.cmp(&b.name));
    kept
}

/// `credwiz rename OLD NEW`, NEW a portable name no profile has yet.
fn rename_command(name: &str, taken: &Named) -> String {
    format!(
        "credwiz rename {} {}",
        shell_quoted(name),
        free_portable_name(name, taken)
    )
}

/// A portable name for `name` that no profile has yet.
fn free_portable_name(name: &str, taken: &Named) -> String {
    let base = portable_name(name);
    std::iter::once(base.clone())
        .chain((2..).map(|i| format!("{base}-{i}")))
        .find(|n| !taken.contains_key(n))
        .expect("an unused name exists")
}

/// The name as a shell word: bare when it holds only safe characters, else in `'…'`.
pub fn shell_quoted(name: &str) -> Cow<'_, str> {
    if !name.is_empty() && is_identifier(name) {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(format!("'{}'", name.replace('\'', "'\\''")))
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
    /// With each profile, the headers naming it (as configparser names them) and where.
    aws_cli_only: Vec<(AwsCliProfile<'a>, Vec<(String, HeaderAt)>)>,
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
            let at = HeaderAt {
                file,
                line: u32::try_from(section.header() + 1).expect("files are under 4 GiB"),
            };
            if section.header_text.starts_with(super::parse::WHITESPACE) {
                self.notice(
                    file,
                    line,
                    &format!(
                        "the section header `{}` is indented: {INDENTED_HEADER}; remove the spaces before `[` on line {}, \
                         or run `credwiz doctor --fix`",
                        super::parse::trim_ws(section.header_text),
                        at.line()
                    ),
                );
            }
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
                    if let Some(target) = self.aws_cli_entry(section, at) {
                        target.files.insert(file);
                        target.settings.add(file, layout.props(section));
                        continue;
                    }
                    self.notice(
                        file,
                        line,
                        &format!("section skipped by the AWS SDKs: {reason}"),
                    );
                    continue;
                }
            };
            target.files.insert(file);
            target.header.get_or_insert(at);
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

    /// The AWS CLI's profile that `section` (which the SDKs skip) belongs to, if botocore
    /// reads it as one.
    fn aws_cli_entry(
        &mut self,
        section: &SectionLayout<'a>,
        at: HeaderAt,
    ) -> Option<&mut Section<'a>> {
        let header = configparser_header(section.header_text)?;
        let name = aws_cli_profile_name(header, at.file).filter(|n| !n.is_empty())?;
        let shown = (header.to_string(), at);
        let i = match self.aws_cli_only.iter().position(|(p, _)| p.name == name) {
            Some(i) => {
                self.aws_cli_only[i].1.push(shown);
                i
            }
            None => {
                let form = NameForm::of(&name, header);
                let section = Section {
                    header: Some(at),
                    ..Section::default()
                };
                self.aws_cli_only.push((
                    AwsCliProfile {
                        name,
                        form,
                        section,
                    },
                    vec![shown],
                ));
                self.aws_cli_only.len() - 1
            }
        };
        Some(&mut self.aws_cli_only[i].0.section)
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
    fn profiles_only_the_aws_cli_reads_are_kept_apart_from_the_sdk_view() {
        let config = Document::parse(
            "[profile \"q\"]\nregion = a\n[profile 'x y']\nregion = b\n[profile ok]\n[profile \"ok\"]\nregion = c\n",
        );
        let credentials = Document::parse("[x y]\noutput = json\n");
        let (config, credentials) = (parse(&config).unwrap(), parse(&credentials).unwrap());
        let set = ProfileSet::merge(&config, &credentials);
        let sdk: Vec<&str> = set.profiles.keys().copied().collect();
        assert_eq!(sdk, ["ok"], "the SDK view is the spec's");
        let names: Vec<&str> = set.aws_cli_only.iter().map(|p| p.name.as_ref()).collect();
        assert_eq!(
            names,
            ["q", "x y"],
            "`[profile \"ok\"]` is `ok`, which the SDKs read"
        );
        let xy = set.aws_cli_profile("x y").unwrap();
        assert_eq!(xy.section.get("region"), Some("b"));
        assert_eq!(xy.section.get("output"), Some("json"));
        assert_eq!(
            xy.section.header.map(|h| (h.file, h.line())),
            Some((FileKind::Config, 3))
        );
        assert_eq!(xy.skipped_by(), ["js", "rust"]);
        assert!(set.profile("q").is_some() && set.profile("ok").is_some());
        assert_eq!(set.every_profile().count(), 3);
        let renames: Vec<&str> = set
            .notices
            .iter()
            .filter_map(|n| n.message.split("credwiz rename ").nth(1))
            .collect();
        assert_eq!(renames, ["q q", "'x y' x-y", "'x y' x-y"]);
    }

    #[test]
    fn shell_quoting_leaves_plain_names_bare() {
        assert_eq!(shell_quoted("a-b"), "a-b");
        assert_eq!(shell_quoted("a b"), "'a b'");
        assert_eq!(shell_quoted("it's"), "'it'\\''s'");
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
