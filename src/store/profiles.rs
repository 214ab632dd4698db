//! One line per profile, as `credwiz list` and the picker show it.

use super::view::{AwsCliProfile, FileSet, ProfileSet, Section};
use crate::domain::profile::{self, Kind, Traits};
use crate::domain::service::Preset;

/// Borrows the parsed files: summarizing thousands of profiles copies no strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary<'a> {
    pub name: &'a str,
    pub kind: Kind,
    pub access_key_id: Option<&'a str>,
    pub account_id: Option<String>,
    pub region: Option<&'a str>,
    pub output: Option<&'a str>,
    pub endpoint_url: Option<&'a str>,
    /// The service other than AWS the keys are for (recognised from the endpoint).
    pub service: Option<&'static Preset>,
    /// The `default` profile, or a profile holding the same key as `default`.
    pub default: bool,
    pub files: FileSet,
    /// The readers that do not find the profile under this name (the AWS CLI does):
    /// empty for a portable name. See [`NameForm::skipped_by`](super::parse::NameForm::skipped_by).
    pub skipped_by: &'static [&'static str],
    /// When IAM made the profile's key, from credwiz's state (the store does not know it:
    /// `None` until the caller sets it).
    pub key_created: Option<&'a str>,
    /// When its temporary credentials expire, seconds since 1970 (from the profile or the
    /// AWS tools' caches: see [`super::caches`]; `None` until the caller sets it).
    pub expires_at: Option<i64>,
    /// Where the secret is, for a profile that holds keys.
    pub secret_in: Option<SecretIn>,
}

pub use crate::domain::keyring::SecretIn;

impl<'a> Summary<'a> {
    fn of<'x: 'a>(name: &'a str, section: &Section<'x>, default_key: Option<&str>) -> Summary<'a> {
        // One pass over the settings for everything a summary shows.
        let values = section
            .settings
            .get_many(SUMMARY_KEYS)
            .map(|s| s.map(|s| s.value));
        let [traits @ .., region, output] = values;
        let traits = Traits::from_values(traits);
        let key_id = traits.access_key_id.filter(|k| !k.is_empty());
        let kind = traits.kind();
        Summary {
            name,
            kind,
            access_key_id: key_id,
            account_id: traits.account_id(),
            region,
            output,
            endpoint_url: traits.endpoint_url,
            service: if kind == Kind::Endpoint {
                traits.service()
            } else {
                None
            },
            default: name == "default" || (key_id.is_some() && key_id == default_key),
            files: section.files,
            skipped_by: &[],
            key_created: None,
            expires_at: None,
            secret_in: match kind {
                Kind::Static | Kind::Session | Kind::Endpoint if traits.keyring => {
                    Some(SecretIn::Keyring)
                }
                Kind::Static | Kind::Session | Kind::Endpoint => Some(SecretIn::File),
                _ => None,
            },
        }
    }

    fn of_aws_cli<'x: 'a>(
        profile: &'a AwsCliProfile<'x>,
        default_key: Option<&str>,
    ) -> Summary<'a> {
        Summary {
            skipped_by: profile.skipped_by(),
            ..Summary::of(&profile.name, &profile.section, default_key)
        }
    }
}

/// [`Traits::KEYS`], then region and output.
const SUMMARY_KEYS: [&str; 11] = {
    let t = Traits::KEYS;
    [
        t[0],
        t[1],
        t[2],
        t[3],
        t[4],
        t[5],
        t[6],
        t[7],
        t[8],
        profile::REGION,
        profile::OUTPUT,
    ]
};

impl Summary<'_> {
    /// The kind, or for another service's keys the service's name (`R2`, `LocalStack`;
    /// `endpoint` for a service credwiz has no preset for).
    pub fn kind_label(&self) -> &'static str {
        match self.service {
            Some(preset) if preset != crate::domain::service::other() => preset.name,
            _ => self.kind.label(),
        }
    }

    /// Appends one JSON object on one line:
    /// `{"name","kind","access_key_id","account_id","region","output","endpoint_url",
    /// "service","default","files","skipped_by","key_created","expires_at","secret_in"}`.
    /// Written by hand into a byte buffer because `list --json` prints thousands of these:
    /// serde's per-field machinery was a sixth of its time, and so were per-piece writes.
    /// Strings still go through serde_json whenever they need escaping.
    pub fn append_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"name\":");
        json_str(out, self.name);
        out.extend_from_slice(b",\"kind\":\"");
        out.extend_from_slice(self.kind.label().as_bytes());
        out.extend_from_slice(b"\",\"access_key_id\":");
        json_opt(out, self.access_key_id);
        out.extend_from_slice(b",\"account_id\":");
        json_opt(out, self.account_id.as_deref());
        out.extend_from_slice(b",\"region\":");
        json_opt(out, self.region);
        out.extend_from_slice(b",\"output\":");
        json_opt(out, self.output);
        out.extend_from_slice(b",\"endpoint_url\":");
        json_opt(out, self.endpoint_url);
        out.extend_from_slice(b",\"service\":");
        json_opt(out, self.service.map(|s| s.name));
        out.extend_from_slice(if self.default {
            b",\"default\":true,\"files\":["
        } else {
            b",\"default\":false,\"files\":["
        });
        for (i, file) in self.files.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.push(b'"');
            out.extend_from_slice(file.name().as_bytes());
            out.push(b'"');
        }
        out.extend_from_slice(b"],\"skipped_by\":[");
        for (i, reader) in self.skipped_by.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.push(b'"');
            out.extend_from_slice(reader.as_bytes());
            out.push(b'"');
        }
        out.extend_from_slice(b"],\"key_created\":");
        json_opt(out, self.key_created);
        out.extend_from_slice(b",\"expires_at\":");
        json_opt(
            out,
            self.expires_at.map(crate::domain::expiry::utc).as_deref(),
        );
        out.extend_from_slice(b",\"secret_in\":");
        json_opt(out, self.secret_in.map(SecretIn::label));
        out.push(b'}');
    }
}

fn json_str(out: &mut Vec<u8>, s: &str) {
    // A fold of `|` (no early exit) lets the compiler check many bytes at once.
    let special = s.bytes().fold(false, |found, b| {
        found | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if special {
        serde_json::to_writer(out, s).expect("writing JSON to memory cannot fail");
    } else {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    }
}

fn json_opt(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => json_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// Every profile, `default` first, then by name.
pub fn summarize<'s, 'a: 's>(set: &'s ProfileSet<'a>) -> Vec<Summary<'s>> {
    summaries(set).collect()
}

/// Every profile the AWS CLI reads, `default` first, then by name, one at a time (a list
/// of thousands streams out without holding them all). Those only the AWS CLI reads
/// under their name are among them, with the readers that skip them.
pub fn summaries<'s, 'a: 's>(set: &'s ProfileSet<'a>) -> impl Iterator<Item = Summary<'s>> + 's {
    let default = set.profiles.get("default");
    // A keyring profile's key is in its credential_process line.
    let default_key = default
        .and_then(|d| Traits::from_get(|key| d.get(key)).access_key_id)
        .filter(|k| !k.is_empty());
    let first = default.map(|d| Summary::of("default", d, default_key));
    let portable = set
        .profiles
        .iter()
        .filter(|(name, _)| **name != "default")
        .map(move |(name, section)| Summary::of(name, section, default_key));
    let others = set
        .aws_cli_only
        .iter()
        .map(move |p| Summary::of_aws_cli(p, default_key));
    first.into_iter().chain(MergedByName {
        a: portable.peekable(),
        b: others.peekable(),
    })
}

/// Two iterators of summaries sorted by name, merged in name order.
struct MergedByName<'s, A: Iterator<Item = Summary<'s>>, B: Iterator<Item = Summary<'s>>> {
    a: std::iter::Peekable<A>,
    b: std::iter::Peekable<B>,
}

impl<'s, A, B> Iterator for MergedByName<'s, A, B>
where
    A: Iterator<Item = Summary<'s>>,
    B: Iterator<Item = Summary<'s>>,
{
    type Item = Summary<'s>;

    fn next(&mut self) -> Option<Summary<'s>> {
        match (self.a.peek(), self.b.peek()) {
            (Some(a), Some(b)) if b.name < a.name => self.b.next(),
            (Some(_), _) => self.a.next(),
            (None, _) => self.b.next(),
        }
    }
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
        let mut json = Vec::new();
        list[2].append_json(&mut json);
        let parsed: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(
            parsed,
            serde_json::json!({"name": "work", "kind": "static", "access_key_id": "AKIAY34FZKBOKMUTVV7A",
                "account_id": "609629065308", "region": "eu-west-1", "output": null, "endpoint_url": null, "service": null, "default": true,
                "files": ["config", "credentials"], "skipped_by": [], "key_created": null, "expires_at": null, "secret_in": "file"})
        );
    }

    #[test]
    fn json_strings_are_escaped_when_needed() {
        let mut out = Vec::new();
        json_str(&mut out, "a\"b\\c\u{1}");
        assert_eq!(String::from_utf8(out).unwrap(), r#""a\"b\\c\u0001""#);
    }
}
