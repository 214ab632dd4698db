//! Tab completion of file names in the import step's path field.

use std::path::{Path, PathBuf};

/// What Tab did to the path field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub path: String,
    /// With several matches: them, for the screen to list (`None` with one or none).
    pub listing: Option<String>,
}

/// At most this many matches are named; the rest are counted.
const LISTED: usize = 6;

/// Completes `typed` with the entries of its directory: one match gives the whole name
/// (a directory gets a trailing `/`), several give their longest common prefix and are
/// listed. A leading `~/` means `home`. Hidden entries show only when the typed name
/// starts with `.`.
pub fn complete(typed: &str, home: Option<&Path>) -> Completion {
    let matches = matches(typed, home);
    let dir_part = &typed[..typed.rfind('/').map_or(0, |i| i + 1)];
    Completion {
        path: completed(typed, dir_part, &matches),
        listing: listing(&matches),
    }
}

fn listing(matches: &[(String, bool)]) -> Option<String> {
    if matches.len() < 2 {
        return None;
    }
    let mut names: Vec<String> = matches
        .iter()
        .take(LISTED)
        .map(|(name, is_dir)| format!("{name}{}", if *is_dir { "/" } else { "" }))
        .collect();
    if matches.len() > LISTED {
        names.push(format!("and {} more", matches.len() - LISTED));
    }
    Some(format!(
        "{} matches: {}",
        matches.len(),
        crate::domain::text::printable(&names.join("  "))
    ))
}

/// The entries of `typed`'s directory that start with its last part, sorted.
fn matches(typed: &str, home: Option<&Path>) -> Vec<(String, bool)> {
    let (dir_part, prefix) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let dir: PathBuf = match (dir_part.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ if dir_part.is_empty() => PathBuf::from("."),
        _ => PathBuf::from(dir_part),
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut matches: Vec<(String, bool)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let is_dir = e.file_type().ok()?.is_dir();
            (name.starts_with(prefix) && (prefix.starts_with('.') || !name.starts_with('.')))
                .then_some((name, is_dir))
        })
        .collect();
    matches.sort();
    matches
}

fn completed(typed: &str, dir_part: &str, matches: &[(String, bool)]) -> String {
    match matches {
        [] => typed.to_string(),
        [(name, is_dir)] => format!("{dir_part}{name}{}", if *is_dir { "/" } else { "" }),
        [(first, _), rest @ ..] => {
            let common = rest.iter().fold(first.len(), |len, (name, _)| {
                first
                    .bytes()
                    .zip(name.bytes())
                    .take(len)
                    .take_while(|(a, b)| a == b)
                    .count()
            });
            format!("{dir_part}{}", &first[..common])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_one_match_whole_and_several_to_their_common_prefix() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["alice_accessKeys.csv", "alan.csv", ".hidden.csv"] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        std::fs::create_dir(dir.path().join("downloads")).unwrap();
        let base = format!("{}/", dir.path().display());
        let path = |typed: &str| complete(typed, None).path;
        assert_eq!(
            path(&format!("{base}ali")),
            format!("{base}alice_accessKeys.csv")
        );
        assert_eq!(path(&format!("{base}al")), format!("{base}al"));
        assert_eq!(path(&format!("{base}a")), format!("{base}al"));
        assert_eq!(path(&format!("{base}d")), format!("{base}downloads/"));
        assert_eq!(path(&format!("{base}.h")), format!("{base}.hidden.csv"));
        assert_eq!(path(&format!("{base}zzz")), format!("{base}zzz"));
        assert_eq!(
            complete("~/ali", Some(dir.path())).path,
            "~/alice_accessKeys.csv"
        );
        assert_eq!(
            complete(&format!("{base}a"), None).listing.as_deref(),
            Some("2 matches: alan.csv  alice_accessKeys.csv")
        );
        assert_eq!(complete(&format!("{base}ali"), None).listing, None);
        assert!(
            complete(&base, None)
                .listing
                .unwrap()
                .starts_with("3 matches: alan.csv")
        );
    }
}
