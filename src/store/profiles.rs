//! One line per profile, as `credwiz list` and the picker show it.

use serde::Serialize;

use super::view::{FileSet, ProfileSet, Section};
use crate::domain::profile::{self, Kind};

/// Borrows the parsed files: summarizing thousands of profiles copies no strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary<'a> {
    pub name: &'a str,
    pub kind: Kind,
    pub access_key_id: Option<&'a str>,
    pub account_id: Option<String>,
    pub region: Option<&'a str>,
    pub output: Option<&'a str>,
    /// The `default` profile, or a profile holding the same key as `default`.
    pub default: bool,
    pub files: FileSet,
}

impl<'a> Summary<'a> {
    fn of(name: &'a str, section: &Section<'a>, default_key: Option<&str>) -> Summary<'a> {
        let get = |key: &str| section.get(key);
        let key_id = get(profile::ACCESS_KEY_ID).filter(|k| !k.is_empty());
        Summary {
            name,
            kind: profile::kind(get),
            access_key_id: key_id,
            account_id: profile::account_id(get),
            region: get(profile::REGION),
            output: get(profile::OUTPUT),
            default: name == "default" || (key_id.is_some() && key_id == default_key),
            files: section.files,
        }
    }
}

/// Every profile, `default` first, then by name.
pub fn summarize<'a>(set: &ProfileSet<'a>) -> Vec<Summary<'a>> {
    let default_key = set
        .profiles
        .get("default")
        .and_then(|d| d.get(profile::ACCESS_KEY_ID))
        .filter(|k| !k.is_empty());
    let mut out: Vec<Summary> = set
        .profiles
        .iter()
        .map(|(name, section)| Summary::of(name, section, default_key))
        .collect();
    // The map is already sorted by name: only `default` moves to the front.
    out.sort_by_key(|s| s.name != "default");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::document::Document;
    use crate::store::parse::{FileKind, parse};

    #[test]
    fn default_comes_first_and_shares_its_flag_with_the_same_key() {
        let (config, credentials) = (
            "[profile work]\nregion = eu-west-1\n[default]\nregion = us-east-1\n",
            "[work]\naws_access_key_id = AKIAY34FZKBOKMUTVV7A\n[default]\naws_access_key_id = AKIAY34FZKBOKMUTVV7A\n[other]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n",
        );
        let (config, credentials) = (Document::parse(config), Document::parse(credentials));
        let (config, credentials) = (parse(&config).unwrap(), parse(&credentials).unwrap());
        let s = ProfileSet::merge(&config, &credentials);
        let list = summarize(&s);
        let names: Vec<_> = list.iter().map(|p| (p.name, p.default)).collect();
        assert_eq!(
            names,
            vec![("default", true), ("other", false), ("work", true)]
        );
        let files: Vec<FileKind> = list[2].files.iter().collect();
        assert_eq!(files, vec![FileKind::Config, FileKind::Credentials]);
        assert_eq!(list[2].account_id.as_deref(), Some("609629065308"));
        assert_eq!(list[2].region, Some("eu-west-1"));
        assert_eq!(list[1].kind, Kind::Static);
    }
}
