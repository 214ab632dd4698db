//! Tab completion of file names in the import step's path field.

use std::path::{Path, PathBuf};

/// Completes `typed` with the entries of its directory: one match gives the whole name
/// (a directory gets a trailing `/`), several give their longest common prefix. A
/// leading `~/` means `home`. Hidden entries show only when the typed name starts with `.`.
pub fn complete(typed: &str, home: Option<&Path>) -> String {
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
        return typed.to_string();
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
    match matches.as_slice() {
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
        assert_eq!(
            complete(&format!("{base}ali"), None),
            format!("{base}alice_accessKeys.csv")
        );
        assert_eq!(complete(&format!("{base}al"), None), format!("{base}al"));
        assert_eq!(complete(&format!("{base}a"), None), format!("{base}al"));
        assert_eq!(
            complete(&format!("{base}d"), None),
            format!("{base}downloads/")
        );
        assert_eq!(
            complete(&format!("{base}.h"), None),
            format!("{base}.hidden.csv")
        );
        assert_eq!(complete(&format!("{base}zzz"), None), format!("{base}zzz"));
        assert_eq!(
            complete("~/ali", Some(dir.path())),
            "~/alice_accessKeys.csv"
        );
    }
}
