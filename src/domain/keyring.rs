//! Keys whose secret is in the OS keyring: the `credential_process` line that serves
//! them to every AWS tool, and what an entry holds.
//!
//! An entry is keyed by the access key ID alone (service [`SERVICE`], user the key ID),
//! so listing profiles needs no unlocked keyring (the ID is in the command line), a
//! rename changes nothing in the keyring, and profiles holding the same key share one
//! entry. The profile keeps no `aws_access_key_id`: botocore raises
//! `PartialCredentialsError` for a key without its secret.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::secret::Secret;

/// The keyring service of every credwiz entry.
pub const SERVICE: &str = "credwiz";

/// The subcommand the SDKs run.
pub const SUBCOMMAND: &str = "credential-process";

/// The setting that runs it.
pub const CREDENTIAL_PROCESS: &str = "credential_process";

/// Where a profile's secret is kept: what `list` shows, and the choice `add --keyring`
/// and the wizard's Review make.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SecretIn {
    /// Plaintext in the credentials file: every tool reads it, containers and old
    /// tools too.
    #[default]
    File,
    /// The OS keyring, served through credwiz's `credential_process`.
    Keyring,
}

impl SecretIn {
    pub fn label(self) -> &'static str {
        match self {
            SecretIn::File => "file",
            SecretIn::Keyring => "keyring",
        }
    }
}

/// A profile's `credential_process` when it is credwiz's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference<'a> {
    /// The program the SDKs run: credwiz's absolute path when credwiz wrote it.
    pub program: Cow<'a, str>,
    pub key_id: Cow<'a, str>,
}

/// Reads credwiz's own `credential_process` line (`"<credwiz>" credential-process
/// --key-id AKIA…`), split as botocore splits it; `None` for any other command.
pub fn reference(command: &str) -> Option<Reference<'_>> {
    let words = super::text::shell_words(command)?;
    let mut words = words.into_iter();
    let program = words.next()?;
    if words.next()? != SUBCOMMAND {
        return None;
    }
    let key_id = match words.next()? {
        Cow::Borrowed(flag) if flag.starts_with("--key-id=") => {
            Cow::Borrowed(&flag["--key-id=".len()..])
        }
        flag if flag == "--key-id" => words.next()?,
        _ => return None,
    };
    let is_key_id = !key_id.is_empty() && key_id.bytes().all(|b| b.is_ascii_alphanumeric());
    (is_key_id && words.next().is_none()).then_some(Reference { program, key_id })
}

/// The `credential_process` value for `key_id`, run by `program` (credwiz's absolute
/// path). The SDKs read it two ways: botocore splits it shell-style, the Rust and JS
/// SDKs hand it to `sh -c`; a path in double quotes with none of `"`, `\`, `$` and `` ` ``
/// means the same to both. Any other path is refused, with the reason.
pub fn command_line(program: &str, key_id: &str) -> Result<String, String> {
    if let Some(bad) = program
        .chars()
        .find(|c| matches!(c, '"' | '\\' | '$' | '`') || c.is_control())
    {
        return Err(format!(
            "credwiz's path {program:?} has a {bad:?} in it, which the AWS tools would read differently: move credwiz to a plain path (such as ~/.local/bin/credwiz)"
        ));
    }
    Ok(format!("\"{program}\" {SUBCOMMAND} --key-id {key_id}"))
}

/// What a keyring entry holds: the secret, and for temporary keys the session token
/// and when they expire. Stored as JSON; `Debug` shows no secret ([`Secret`]'s is masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub secret: Secret,
    pub token: Option<Secret>,
    /// RFC 3339, as STS said it.
    pub expiration: Option<String>,
    /// The key lines as the credentials file held them when `protect` moved them (their
    /// spacing, their key's spelling), so that `unprotect` gives back the same bytes.
    /// Empty for keys that never were in the files.
    pub lines: Vec<Secret>,
}

#[derive(Serialize, Deserialize)]
struct Json<'a> {
    #[serde(rename = "SecretAccessKey", borrow)]
    secret: Cow<'a, str>,
    #[serde(
        rename = "SessionToken",
        default,
        skip_serializing_if = "Option::is_none",
        borrow
    )]
    token: Option<Cow<'a, str>>,
    #[serde(
        rename = "Expiration",
        default,
        skip_serializing_if = "Option::is_none",
        borrow
    )]
    expiration: Option<Cow<'a, str>>,
    #[serde(
        rename = "Lines",
        default,
        skip_serializing_if = "Vec::is_empty",
        borrow
    )]
    lines: Vec<Cow<'a, str>>,
}

impl Stored {
    /// The entry's text (zeroized when dropped).
    pub fn to_entry(&self) -> Zeroizing<String> {
        let json = Json {
            secret: Cow::Borrowed(self.secret.expose()),
            token: self.token.as_ref().map(|t| Cow::Borrowed(t.expose())),
            expiration: self.expiration.as_deref().map(Cow::Borrowed),
            lines: self
                .lines
                .iter()
                .map(|line| Cow::Borrowed(line.expose()))
                .collect(),
        };
        // Serializing strings into a String cannot fail.
        Zeroizing::new(serde_json::to_string(&json).unwrap_or_default())
    }

    /// From an entry's text; `None` when it is not one credwiz wrote. The error is not
    /// kept: it could quote the secret.
    pub fn from_entry(text: &str) -> Option<Stored> {
        let json: Json = serde_json::from_str(text).ok()?;
        let secret = Secret::new(json.secret.into_owned());
        if secret.is_empty() {
            return None;
        }
        Some(Stored {
            secret,
            token: json.token.map(|t| Secret::new(t.into_owned())),
            expiration: json.expiration.map(Cow::into_owned),
            lines: json
                .lines
                .into_iter()
                .map(|line| Secret::new(line.into_owned()))
                .collect(),
        })
    }
}

impl Stored {
    /// What `export-credentials` and `credential-process` print for `key_id`.
    pub fn exported<'a>(&'a self, key_id: &'a str) -> super::export::Exported<'a> {
        super::export::Exported {
            access_key_id: key_id,
            secret: self.secret.expose(),
            token: self.token.as_ref().map(Secret::expose),
            expiration: self.expiration.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "AKIAIOSFODNN7EXAMPLE";

    #[test]
    fn the_line_credwiz_writes_reads_back() {
        let line = command_line("/home/me/.local/bin/credwiz", ID).unwrap();
        assert_eq!(
            line,
            "\"/home/me/.local/bin/credwiz\" credential-process --key-id AKIAIOSFODNN7EXAMPLE"
        );
        let found = reference(&line).unwrap();
        assert_eq!(found.program, "/home/me/.local/bin/credwiz");
        assert_eq!(found.key_id, ID);
        let spaced = command_line("/opt/my tools/credwiz", ID).unwrap();
        assert_eq!(reference(&spaced).unwrap().program, "/opt/my tools/credwiz");
    }

    #[test]
    fn other_commands_are_not_credwiz_lines() {
        for other in [
            "aws-vault export --format=json me",
            "/bin/credwiz credential-process",
            "/bin/credwiz credential-process --key-id",
            "/bin/credwiz credential-process --key-id AKIA; rm -rf ~",
            "/bin/credwiz credential-process --key-id AKIA extra",
            "/bin/credwiz list --key-id AKIA",
            "\"/bin/credwiz credential-process --key-id AKIA",
        ] {
            assert_eq!(reference(other), None, "{other}");
        }
        let equals = reference("credwiz credential-process --key-id=AKIAX").unwrap();
        assert_eq!(equals.key_id, "AKIAX");
    }

    #[test]
    fn paths_the_tools_would_read_differently_are_refused() {
        for path in [
            "/a\"b/credwiz",
            "/a\\b/credwiz",
            "/$HOME/credwiz",
            "/a`b`/credwiz",
        ] {
            let err = command_line(path, ID).unwrap_err();
            assert!(err.contains("move credwiz"), "{err}");
        }
    }

    #[test]
    fn an_entry_round_trips_and_debug_shows_no_secret() {
        let stored = Stored {
            secret: Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            token: Some(Secret::new("IQoJb3JpZ2luX2VjEXAMPLETOKEN")),
            expiration: Some("2026-12-02T20:00:00Z".into()),
            // A line with characters JSON escapes comes back the same.
            lines: vec![Secret::new(
                "aws_secret_access_key=\"wJalrXUtnFEMI/K7MDENG\\bPxRfiCYEXAMPLEKEY\"\t",
            )],
        };
        let text = stored.to_entry();
        assert_eq!(Stored::from_entry(&text), Some(stored.clone()));
        let debug = format!("{stored:?}");
        assert!(!debug.contains("EXAMPLEKEY") && !debug.contains("EXAMPLETOKEN"));
        // An entry written before lines were kept reads with none.
        let older = Stored::from_entry(r#"{"SecretAccessKey":"s"}"#).unwrap();
        assert!(older.lines.is_empty());
        assert_eq!(Stored::from_entry("not json"), None);
        assert_eq!(Stored::from_entry(r#"{"SecretAccessKey":""}"#), None);
    }
}
