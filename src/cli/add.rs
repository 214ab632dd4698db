use std::io::{BufRead, IsTerminal};

use zeroize::Zeroizing;

use super::CliError;
use super::output::Output;
use crate::domain::secret::Secret;
use crate::domain::validate::{self, KeyKind, trim_pasted};
use crate::store::ops::{self, NewProfile};
use crate::store::{Store, StoreError};

#[derive(clap::Args)]
pub struct Args {
    /// Profile name (`default` for the default profile)
    name: String,
    /// The access key ID (AKIA… or ASIA…)
    #[arg(long)]
    access_key_id: String,
    /// Default region, e.g. us-east-1
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
    /// Output format: json, yaml, yaml-stream, text or table
    #[arg(long, value_name = "FORMAT")]
    output: Option<String>,
    /// Replace the keys of an existing profile (its other settings are kept)
    #[arg(long)]
    force: bool,
}

/// What stdin supplied: the secret on the first line, the session token on the second.
struct Keys {
    secret: Secret,
    token: Option<Secret>,
}

/// Where the secret comes from: piped stdin, or a prompt that does not echo.
enum Source<R> {
    Piped(R),
    Prompt,
}

impl<R: BufRead> Source<R> {
    fn read(&mut self, prompt: &str) -> Result<Secret, CliError> {
        let line = match self {
            Source::Piped(input) => {
                let mut line = Zeroizing::new(String::new());
                input.read_line(&mut line).map(|_| line)
            }
            Source::Prompt => rpassword::prompt_password(format!("{prompt}: ")).map(Zeroizing::new),
        }
        .map_err(|e| CliError::Message(format!("cannot read the {prompt}: {e}")))?;
        Ok(Secret::new(trim_pasted(&line)))
    }
}

fn read_keys(kind: KeyKind, input: &mut Source<impl BufRead>) -> Result<Keys, CliError> {
    let secret = input.read("secret access key")?;
    if secret.is_empty() {
        return Err(CliError::Message(
            "no secret access key on stdin: pipe it in, e.g. `credwiz add NAME --access-key-id ID < secret.txt`".into(),
        ));
    }
    validate::secret_access_key(secret.expose()).map_err(StoreError::from)?;
    let token = match kind {
        KeyKind::LongTerm => None,
        KeyKind::Temporary => Some(input.read("session token")?),
    };
    let token_text = token.as_ref().map_or("", Secret::expose);
    validate::session_token(token_text, kind)
        .map_err(|e| CliError::Message(format!("{e} (on the second line of stdin)")))?;
    Ok(Keys { secret, token })
}

pub fn run(store: &Store, args: &Args, out: &mut Output) -> Result<(), CliError> {
    let key_id = trim_pasted(&args.access_key_id);
    validate::profile_name(&args.name).map_err(StoreError::from)?;
    let kind = validate::access_key_id(key_id).map_err(StoreError::from)?;
    if let Some(region) = &args.region {
        validate::region(region).map_err(StoreError::from)?;
    }
    if let Some(output) = &args.output {
        validate::output_format(output).map_err(StoreError::from)?;
    }
    let stdin = std::io::stdin();
    let mut source = if stdin.is_terminal() {
        Source::Prompt
    } else {
        Source::Piped(stdin.lock())
    };
    let keys = read_keys(kind, &mut source)?;
    for secret in std::iter::once(&keys.secret).chain(&keys.token) {
        out.know_secret(secret.expose());
    }

    let profile = NewProfile {
        name: args.name.clone(),
        access_key_id: key_id.to_string(),
        secret: keys.secret,
        token: keys.token,
        region: args.region.clone(),
        output: args.output.clone(),
    };
    let (saved, written) = store.edit(|editor| ops::save_profile(editor, &profile, args.force))?;
    let verb = if saved.existed { "updated" } else { "added" };
    let what = match kind {
        crate::domain::validate::KeyKind::LongTerm => "long-term access key",
        crate::domain::validate::KeyKind::Temporary => {
            "temporary credentials with their session token"
        }
    };
    out.say(format_args!(
        "{verb} profile `{}` ({what} {})",
        args.name,
        crate::domain::mask::mask_key_id(&profile.access_key_id)
    ));
    if !saved.also.is_empty() {
        out.say(format_args!(
            "the new key also replaces the old one in {}, which held it",
            crate::domain::text::quoted_list(&saved.also)
        ));
    }
    if saved.still_old > 0 {
        out.warn(format_args!(
            "the old key ID is in the files {} more times (other profiles hold it; see credwiz list); \
             give each the new key: credwiz add NAME --access-key-id {} --force",
            saved.still_old, args.access_key_id
        ));
    }
    super::print_written(out, &written);
    Ok(())
}
