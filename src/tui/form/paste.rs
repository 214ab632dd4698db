//! Smart paste: a paste that carries more than one value (a row of the IAM console's
//! `.csv`, `export AWS_…=` lines, an INI snippet) fills every field of the form it
//! names ([`Pasted::fill`]), whichever field has the focus: a secret goes only to a
//! secret's field, never into the focused one in clear.

use super::{ChoiceField, RegionField, SecretInput, TextField};
use crate::domain::import::read_keys;
use crate::domain::secret::Secret;
use crate::domain::validate::{self, trim_pasted};

/// The fields of a form a paste may fill; `None` for those the form does not have.
#[derive(Default)]
pub(crate) struct Targets<'a> {
    pub(crate) name: Option<&'a mut TextField>,
    pub(crate) key_id: Option<&'a mut TextField>,
    pub(crate) secret: Option<&'a mut SecretInput>,
    pub(crate) token: Option<&'a mut SecretInput>,
    pub(crate) region: Option<&'a mut RegionField>,
    pub(crate) output: Option<&'a mut ChoiceField>,
}

#[derive(Default)]
pub struct Pasted {
    pub name: Option<String>,
    pub key_id: Option<String>,
    pub secret: Option<Secret>,
    pub token: Option<Secret>,
    pub region: Option<String>,
    pub output: Option<String>,
}

impl Pasted {
    /// Fills the form's fields with what the paste holds; people's names for the fields
    /// filled. What the form has no field for is left out (and not named).
    pub(crate) fn fill(&self, targets: Targets) -> Vec<&'static str> {
        let mut filled = Vec::new();
        if let (Some(value), Some(field)) = (&self.name, targets.name) {
            field.set(value);
            filled.push("profile name");
        }
        if let (Some(value), Some(field)) = (&self.key_id, targets.key_id) {
            field.set(value);
            filled.push("access key ID");
        }
        if let (Some(value), Some(field)) = (&self.secret, targets.secret) {
            field.set(value);
            filled.push("secret access key");
        }
        if let (Some(value), Some(field)) = (&self.token, targets.token) {
            field.set(value);
            filled.push("session token");
        }
        if let (Some(value), Some(field)) = (&self.region, targets.region) {
            field.set(value);
            filled.push("region");
        }
        if let (Some(value), Some(field)) = (&self.output, targets.output)
            && field.select(value)
        {
            filled.push("output format");
        }
        filled
    }

    /// People's names for the fields it fills, in wizard order.
    pub fn filled(&self) -> Vec<&'static str> {
        [
            (self.name.is_some(), "profile name"),
            (self.key_id.is_some(), "access key ID"),
            (self.secret.is_some(), "secret access key"),
            (self.token.is_some(), "session token"),
            (self.region.is_some(), "region"),
            (self.output.is_some(), "output format"),
        ]
        .into_iter()
        .filter_map(|(set, name)| set.then_some(name))
        .collect()
    }

    fn set(&mut self, key: &str, value: &str) {
        let value = trim_pasted(value);
        if value.is_empty() {
            return;
        }
        match key.to_ascii_lowercase().as_str() {
            "aws_access_key_id" => self.key_id = Some(value.to_string()),
            "aws_secret_access_key" => self.secret = Some(Secret::new(value)),
            "aws_session_token" | "aws_security_token" => self.token = Some(Secret::new(value)),
            "aws_region" | "aws_default_region" | "region" => self.region = Some(value.to_string()),
            "aws_default_output" | "output" => self.output = Some(value.to_string()),
            "aws_profile" => self.name = Some(value.to_string()),
            _ => {}
        }
    }
}

/// `None` when the paste is plain text for the focused field.
pub fn recognise(text: &str) -> Option<Pasted> {
    // Terminals (and tmux) often turn a paste's line feeds into carriage returns.
    let text = &text.replace("\r\n", "\n").replace('\r', "\n");
    let pasted = from_csv(text).unwrap_or_else(|| from_lines(text));
    let filled = pasted.filled().len();
    let labelled = pasted.name.is_some() || pasted.secret.is_some() || pasted.token.is_some();
    (filled >= 2 || (filled == 1 && labelled && text.contains(['=', ',']))).then_some(pasted)
}

/// `export AWS_ACCESS_KEY_ID=…`, `AWS_SECRET_ACCESS_KEY=…`, fish's `set -gx VAR value`,
/// or INI lines `aws_access_key_id = …` under an optional `[name]` header.
fn from_lines(text: &str) -> Pasted {
    let mut pasted = Pasted::default();
    for line in text
        .lines()
        .map(|l| l.trim().trim_end_matches(';').trim_end())
    {
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = header.trim();
            let name = name.strip_prefix("profile ").unwrap_or(name).trim();
            if validate::profile_name(name).is_ok() {
                pasted.name = Some(name.to_string());
            }
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line).trim();
        if let Some(rest) = line.strip_prefix("set ") {
            let mut words = rest.split_whitespace().filter(|w| !w.starts_with('-'));
            if let (Some(key), Some(value)) = (words.next(), words.next()) {
                pasted.set(key, value);
            }
        } else if let Some((key, value)) = line.split_once('=') {
            pasted.set(key.trim(), value);
        }
    }
    pasted
}

/// A row from the console's download, with or without its header line. A row whose key
/// ID is not valid still fills both fields (the key ID field then says what is wrong
/// with it) rather than landing whole, secret and all, in the focused field.
fn from_csv(text: &str) -> Option<Pasted> {
    let text = text.trim_start_matches('\u{feff}');
    let has_header = text.to_ascii_lowercase().contains("access key id");
    let with_header = if has_header {
        text.to_string()
    } else {
        let first = text.lines().next()?;
        format!("Access key ID,Secret access key\n{first}\n")
    };
    match read_keys(with_header.as_bytes(), "paste", Some("pasted")) {
        Ok(keys) => {
            let key = keys.into_iter().next()?;
            Some(Pasted {
                key_id: Some(key.access_key_id),
                secret: Some(key.secret),
                ..Pasted::default()
            })
        }
        Err(_) => row_with_a_secret(text, has_header),
    }
}

/// The first data row's secret-shaped field and the field before it (the key ID).
fn row_with_a_secret(text: &str, has_header: bool) -> Option<Pasted> {
    let row = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .nth(usize::from(has_header))?;
    let fields: Vec<&str> = row.split(',').map(trim_pasted).collect();
    let at = fields
        .iter()
        .position(|f| validate::secret_access_key(f).is_ok())?;
    let key_id = fields.get(at.checked_sub(1)?)?;
    Some(Pasted {
        key_id: Some(key_id.to_string()),
        secret: Some(Secret::new(fields[at])),
        ..Pasted::default()
    })
}

/// Whether a paste holds something shaped like a secret access key: such a paste is never
/// put into a field shown in clear.
pub(crate) fn holds_secret(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '=' | '"' | '\'' | ';'))
        .any(|word| validate::secret_access_key(word).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "AKIAIOSFODNN7EXAMPLE";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    #[test]
    fn export_lines_fill_every_field_they_name() {
        let p = recognise(&format!(
            "export AWS_ACCESS_KEY_ID={ID}\nexport AWS_SECRET_ACCESS_KEY=\"{SECRET}\"\r\nexport AWS_SESSION_TOKEN=tok\nexport AWS_DEFAULT_REGION=eu-west-1\n"
        ))
        .unwrap();
        assert_eq!(p.key_id.as_deref(), Some(ID));
        assert_eq!(p.secret.unwrap().expose(), SECRET);
        assert_eq!(p.token.unwrap().expose(), "tok");
        assert_eq!(p.region.as_deref(), Some("eu-west-1"));
    }

    #[test]
    fn ini_snippets_and_csv_rows_are_recognised() {
        let ini = recognise(&format!(
            "[profile work]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\n"
        ))
        .unwrap();
        assert_eq!(
            ini.filled(),
            ["profile name", "access key ID", "secret access key"]
        );
        let row = recognise(&format!("{ID},{SECRET}\r\n")).unwrap();
        assert_eq!(row.filled(), ["access key ID", "secret access key"]);
        let file = recognise(&format!(
            "\u{feff}Access key ID,Secret access key\r\n{ID},{SECRET}\r\n"
        ))
        .unwrap();
        assert_eq!(file.secret.unwrap().expose(), SECRET);
        let fish = recognise(&format!(
            "set -gx AWS_ACCESS_KEY_ID {ID}; \nset -gx AWS_SECRET_ACCESS_KEY {SECRET}"
        ))
        .unwrap();
        assert_eq!(fish.key_id.as_deref(), Some(ID));
    }

    #[test]
    fn carriage_returns_separate_lines_too() {
        let p = recognise(&format!(
            "export AWS_ACCESS_KEY_ID={ID}\rexport AWS_SECRET_ACCESS_KEY={SECRET}\r"
        ))
        .unwrap();
        assert_eq!(p.filled(), ["access key ID", "secret access key"]);
    }

    #[test]
    fn a_row_with_an_invalid_key_id_still_splits_and_never_lands_whole() {
        let bad_id = "AKIAI44QH8DHBEXAMPLE";
        for text in [
            format!("{bad_id},{SECRET}"),
            format!("Access key ID,Secret access key\r\n{bad_id},{SECRET}\r\n"),
        ] {
            let p = recognise(&text).unwrap();
            assert_eq!(p.key_id.as_deref(), Some(bad_id));
            assert_eq!(p.secret.unwrap().expose(), SECRET);
        }
    }

    #[test]
    fn a_secret_is_found_wherever_it_is_in_a_paste() {
        assert!(holds_secret(SECRET));
        assert!(holds_secret(&format!("  secret: \"{SECRET}\"\n")));
        assert!(!holds_secret(ID));
        assert!(!holds_secret("eu-west-1"));
    }

    #[test]
    fn plain_values_are_left_to_the_field() {
        assert!(recognise(ID).is_none());
        assert!(recognise(SECRET).is_none());
        assert!(recognise("  eu-west-1 ").is_none());
    }
}
