//! Reading the access-key `.csv` files the IAM console downloads. Pure: takes the
//! file's bytes and name, returns validated keys or an error naming the row.
//!
//! Three shapes are accepted, matched by their header names (any case or spacing):
//! - `Access key ID,Secret access key` — today's "Download .csv file" (UTF-8 BOM, CRLF);
//!   the profile name comes from `--profile`, else from a `NAME_accessKeys.csv` file name;
//! - `User name,Password,Access key ID,Secret access key,Console login link` — the older
//!   download with one row per user;
//! - `User Name,Access Key ID,Secret Access Key` — what `aws configure import` reads.

use super::secret::Secret;
use super::validate::{self, KeyKind, trim_pasted};

/// One access key to import as a profile.
#[derive(Clone, Debug)]
pub struct ImportedKey {
    pub profile: String,
    pub access_key_id: String,
    /// Redacted in `Debug` (see `Secret`).
    pub secret: Secret,
    /// The file line it came from, for messages.
    pub line: usize,
    /// What looks off in the key, though it may be saved (an example key from AWS's
    /// documentation, a likely typo). Never quotes the secret.
    pub caution: Option<String>,
}

fn normalize(header: &str) -> String {
    trim_pasted(header)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase()
}

struct Columns {
    user: Option<usize>,
    key_id: usize,
    secret: usize,
}

fn columns(headers: &csv::StringRecord, file: &str) -> Result<Columns, String> {
    let find = |name: &str| headers.iter().position(|h| normalize(h) == name);
    match (find("access key id"), find("secret access key")) {
        (Some(key_id), Some(secret)) => Ok(Columns {
            user: find("user name"),
            key_id,
            secret,
        }),
        _ => Err(format!(
            "{file} does not look like an access key file from the IAM console: \
             its first line should name the columns `Access key ID` and `Secret access key`"
        )),
    }
}

/// `alice_accessKeys.csv` → `alice`; also a browser's second download of it,
/// `alice_accessKeys (1).csv` (or `(1)` without the space).
fn name_from_file(file_name: &str) -> Option<&str> {
    let stem = file_name.strip_suffix(".csv")?;
    let stem = match stem.strip_suffix(')').and_then(|s| s.rsplit_once('(')) {
        Some((before, number))
            if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) =>
        {
            before.strip_suffix(' ').unwrap_or(before)
        }
        _ => stem,
    };
    let name = stem.strip_suffix("_accessKeys")?;
    validate::profile_name(name).is_ok().then_some(name)
}

/// Parses the file. `file` is its path as the user typed it (for messages), `profile`
/// the `--profile` option. Every key gets a valid, distinct profile name.
pub fn read_keys(
    bytes: &[u8],
    file: &str,
    profile: Option<&str>,
) -> Result<Vec<ImportedKey>, String> {
    if let Some(profile) = profile {
        validate::profile_name(profile).map_err(|e| format!("--profile `{profile}`: {e}"))?;
    }
    let mut keys = read_rows(bytes, file)?;
    if let Some(profile) = profile {
        if keys.len() > 1 {
            return Err(format!(
                "{file} holds {} keys but --profile names one profile; leave out --profile to name them by user",
                keys.len()
            ));
        }
        keys[0].profile = profile.to_string();
    }
    for (i, key) in keys.iter().enumerate() {
        let row_error =
            |what: String| format!("{file} line {}: {what}; nothing was imported", key.line);
        if key.profile.is_empty() {
            return Err(format!(
                "{file} does not say which profile the key is for: pass --profile NAME"
            ));
        }
        validate::profile_name(&key.profile)
            .map_err(|e| row_error(format!("profile name `{}`: {e}", key.profile)))?;
        if keys[..i].iter().any(|k| k.profile == key.profile) {
            return Err(row_error(format!(
                "a second key for profile `{}`",
                key.profile
            )));
        }
    }
    Ok(keys)
}

/// The file's keys, validated, each named by its user column or the file's
/// `NAME_accessKeys.csv` name, else with an empty name for the caller to fill.
pub fn read_rows(bytes: &[u8], file: &str) -> Result<Vec<ImportedKey>, String> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| format!("{file}: cannot read the header line: {e}"))?
        .clone();
    let cols = columns(&headers, file)?;
    let file_name = std::path::Path::new(file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut keys = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("{file}: {e}"))?;
        let line = record.position().map_or(0, |p| p.line()) as usize;
        let field = |i: usize| trim_pasted(record.get(i).unwrap_or(""));
        if record.iter().all(|f| trim_pasted(f).is_empty()) {
            continue;
        }
        let row_error = |what: String| format!("{file} line {line}: {what}; nothing was imported");
        let key_id = field(cols.key_id);
        match validate::access_key_id(key_id).map_err(|e| row_error(e.0))? {
            KeyKind::LongTerm | KeyKind::Unusual => {}
            KeyKind::Temporary => {
                return Err(row_error(
                    "temporary (ASIA) keys need a session token, which a .csv file does not hold"
                        .into(),
                ));
            }
        }
        let secret = Secret::new(field(cols.secret));
        validate::secret_access_key(secret.expose()).map_err(|e| row_error(e.0))?;
        let profile = match cols.user {
            Some(user) => field(user).to_string(),
            None => name_from_file(&file_name).unwrap_or_default().to_string(),
        };
        let caution = validate::access_key_caution(key_id)
            .or_else(|| validate::secret_caution(secret.expose()).map(str::to_string));
        keys.push(ImportedKey {
            profile,
            access_key_id: key_id.to_string(),
            secret,
            line,
            caution,
        });
    }
    if keys.is_empty() {
        return Err(format!("{file} holds no access key (only a header line)"));
    }
    Ok(keys)
}

/// The secret access key column of every row, whatever else the file holds: what a
/// command that reads the file must mask in its messages, even when it refuses the file.
pub fn secrets(bytes: &[u8]) -> Vec<Secret> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let Some(column) = reader
        .headers()
        .ok()
        .and_then(|headers| columns(headers, "").ok())
        .map(|cols| cols.secret)
    else {
        return Vec::new();
    };
    reader
        .records()
        .filter_map(Result::ok)
        .filter_map(|record| record.get(column).map(|f| Secret::new(trim_pasted(f))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "AKIAIOSFODNN7EXAMPLE";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    fn names(keys: &[ImportedKey]) -> Vec<&str> {
        keys.iter().map(|k| k.profile.as_str()).collect()
    }

    #[test]
    fn the_current_download_takes_its_name_from_the_file_or_the_option() {
        let csv = format!("\u{feff}Access key ID,Secret access key\r\n{ID},{SECRET}\r\n");
        let keys = read_keys(csv.as_bytes(), "/tmp/alice_accessKeys.csv", None).unwrap();
        assert_eq!(names(&keys), ["alice"]);
        assert_eq!(keys[0].secret.expose(), SECRET);
        let keys = read_keys(csv.as_bytes(), "/tmp/alice_accessKeys.csv", Some("work")).unwrap();
        assert_eq!(names(&keys), ["work"]);
        let err = read_keys(csv.as_bytes(), "keys.csv", None).err().unwrap();
        assert!(err.contains("--profile"), "{err}");
    }

    #[test]
    fn older_shapes_name_profiles_by_user_and_quoted_fields_work() {
        let legacy = format!(
            "User name,Password,Access key ID,Secret access key,Console login link\n\
             bob,\"pa,ss\",{ID},{SECRET},https://x\n\"carol\",,{ID},\"{SECRET}\",\n"
        );
        assert_eq!(
            names(&read_keys(legacy.as_bytes(), "c.csv", None).unwrap()),
            ["bob", "carol"]
        );
        let import = format!("User Name,Access Key ID,Secret Access Key\ndave,{ID},{SECRET}\n");
        assert_eq!(
            names(&read_keys(import.as_bytes(), "c.csv", None).unwrap()),
            ["dave"]
        );
    }

    #[test]
    fn a_bad_row_is_named_and_never_echoes_the_secret() {
        let csv = format!(
            "User Name,Access Key ID,Secret Access Key\ndave,{ID},{SECRET}\neve,{ID},{}x\n",
            &SECRET[..30]
        );
        let err = read_keys(csv.as_bytes(), "c.csv", None).err().unwrap();
        assert!(
            err.contains("c.csv line 3") && err.contains("40 characters"),
            "{err}"
        );
        assert!(!err.contains(&SECRET[..10]));
    }

    #[test]
    fn secrets_are_read_from_a_file_that_is_refused() {
        let csv = format!("User Name,Access Key ID,Secret Access Key\n{SECRET} x,{ID},{SECRET}\n");
        assert!(read_keys(csv.as_bytes(), "x.csv", None).is_err());
        let found: Vec<String> = secrets(csv.as_bytes())
            .iter()
            .map(|s| s.expose().to_string())
            .collect();
        assert_eq!(found, [SECRET]);
        assert!(secrets(b"name,value\na,b\n").is_empty());
    }

    #[test]
    fn other_files_are_refused_clearly() {
        let err = read_keys(b"name,value\na,b\n", "x.csv", None)
            .err()
            .unwrap();
        assert!(err.contains("Access key ID"), "{err}");
        let err = read_keys(b"Access key ID,Secret access key\n", "x.csv", Some("p"))
            .err()
            .unwrap();
        assert!(err.contains("no access key"), "{err}");
        let csv = format!("User Name,Access Key ID,Secret Access Key\nin valid,{ID},{SECRET}\n");
        let err = read_keys(csv.as_bytes(), "x.csv", None).err().unwrap();
        assert!(
            err.contains("line 2") && err.contains("profile name"),
            "{err}"
        );
    }

    #[test]
    fn a_second_download_of_the_file_names_the_same_profile() {
        for file in [
            "alice_accessKeys.csv",
            "alice_accessKeys (1).csv",
            "alice_accessKeys(12).csv",
        ] {
            assert_eq!(name_from_file(file), Some("alice"), "{file}");
        }
        for file in [
            "alice_accessKeys ().csv",
            "alice_accessKeys (x).csv",
            "alice.csv",
        ] {
            assert_eq!(name_from_file(file), None, "{file}");
        }
    }
}
