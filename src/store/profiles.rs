//! One line per profile, as `credwiz list` and the picker show it.

use serde::Serialize;

use super::parse::FileKind;
use super::view::{ProfileSet, Section};
use crate::domain::profile::{self, Kind};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub name: String,
    pub kind: Kind,
    pub access_key_id: Option<String>,
    pub account_id: Option<String>,
    pub region: Option<String>,
    pub output: Option<String>,
    /// The `default` profile, or a profile holding the same key as `default`.
    pub default: bool,
    pub files: Vec<FileKind>,
}

impl Summary {
    fn of(name: &str, section: &Section, default_key: Option<&str>) -> Summary {
        let get = |key: &str| section.get(key);
        let key_id = get(profile::ACCESS_KEY_ID).filter(|k| !k.is_empty());
        Summary {
            name: name.to_string(),
            kind: profile::kind(get),
            access_key_id: key_id.map(str::to_string),
            account_id: profile::account_id(get),
            region: get(profile::REGION).map(str::to_string),
            output: get(profile::OUTPUT).map(str::to_string),
            default: name == "default" || (key_id.is_some() && key_id == default_key),
            files: section.files.clone(),
        }
    }
}

/// Every profile, `default` first, then by name.
pub fn summarize(set: &ProfileSet) -> Vec<Summary> {
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
    out.sort_by(|a, b| (a.name != "default", &a.name).cmp(&(b.name != "default", &b.name)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::document::Document;
    use crate::store::parse::parse;

    fn set(config: &str, credentials: &str) -> ProfileSet {
        let layout = |t: &str| parse(&Document::parse(t)).unwrap();
        ProfileSet::merge(&layout(config), &layout(credentials))
    }

    #[test]
    fn default_comes_first_and_shares_its_flag_with_the_same_key() {
        let s = set(
            "[profile work]\nregion = eu-west-1\n[default]\nregion = us-east-1\n",
            "[work]\naws_access_key_id = AKIAY34FZKBOKMUTVV7A\n[default]\naws_access_key_id = AKIAY34FZKBOKMUTVV7A\n[other]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n",
        );
        let list = summarize(&s);
        let names: Vec<_> = list.iter().map(|p| (p.name.as_str(), p.default)).collect();
        assert_eq!(
            names,
            vec![("default", true), ("other", false), ("work", true)]
        );
        assert_eq!(list[2].files, vec![FileKind::Config, FileKind::Credentials]);
        assert_eq!(list[2].account_id.as_deref(), Some("609629065308"));
        assert_eq!(list[2].region.as_deref(), Some("eu-west-1"));
        assert_eq!(list[1].kind, Kind::Static);
    }
}
