use std::io::{BufRead, IsTerminal};

use zeroize::Zeroizing;

use super::CliError;
use super::output::Output;
use crate::domain::profile::ENDPOINT_URL;
use crate::domain::secret::Secret;
use crate::domain::service::{self, Preset};
use crate::domain::validate::{self, KeyKind, trim_pasted};
use crate::store::ops::{self, NewProfile};
use crate::store::{Store, StoreError};

#[derive(clap::Args)]
pub struct Args {
    /// Profile name (`default` for the default profile)
    name: String,
    /// The access key ID (AKIA… or ASIA…; any value for another service's keys)
    #[arg(long)]
    access_key_id: String,
    /// Default region, e.g. us-east-1 (another service's: any word, e.g. auto or nyc3)
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
    /// The keys are for another S3-compatible service or a local emulator at this URL
    /// (https://…, or http:// to localhost); written as the profile's endpoint_url
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    /// Output format: json, yaml, yaml-stream, text or table
    #[arg(long, value_name = "FORMAT")]
    output: Option<String>,
    /// Replace the keys of an existing profile (its other settings are kept)
    #[arg(long)]
    force: bool,
    /// Keep the secret (and session token) in the OS keyring, not in the credentials
    /// file: the profile gets a credential_process that every AWS tool runs
    #[arg(long)]
    keyring: bool,
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

/// Which rules the keys follow: AWS's, or another service's (any word, the provider's
/// usual shape a hint).
#[derive(Clone, Copy)]
enum Rules {
    Aws(KeyKind),
    Service(&'static Preset),
}

fn read_keys(rules: Rules, input: &mut Source<impl BufRead>) -> Result<Keys, CliError> {
    let secret = input.read("secret access key")?;
    if secret.is_empty() {
        return Err(CliError::Message(
            "no secret access key on stdin: pipe it in, e.g. `credwiz add NAME --access-key-id ID < secret.txt`".into(),
        ));
    }
    let kind = match rules {
        Rules::Service(_) => {
            service::service_key("secret", secret.expose()).map_err(StoreError::from)?;
            return Ok(Keys {
                secret,
                token: None,
            });
        }
        Rules::Aws(kind) => kind,
    };
    validate::secret_access_key(secret.expose()).map_err(StoreError::from)?;
    // An unusual key's token is optional: read one only from a pipe, never prompt for it.
    let token = match kind {
        KeyKind::Temporary => Some(input.read("session token")?),
        KeyKind::Unusual if matches!(input, Source::Piped(_)) => {
            Some(input.read("session token")?).filter(|t| !t.is_empty())
        }
        KeyKind::LongTerm | KeyKind::Unusual => None,
    };
    let token_text = token.as_ref().map_or("", Secret::expose);
    validate::session_token(token_text, kind)
        .map_err(|e| CliError::Message(format!("{e} (on the second line of stdin)")))?;
    Ok(Keys { secret, token })
}

/// The rules for `key_id`, and the endpoint written: `--endpoint-url`, else the one the
/// profile already has when `--force` replaces its keys.
fn rules_for(
    store: &Store,
    args: &Args,
    key_id: &str,
) -> Result<(Rules, Option<String>), CliError> {
    let kept = match (&args.endpoint_url, args.force) {
        (None, true) => existing_endpoint(store, &args.name)?,
        _ => None,
    };
    let endpoint = match &args.endpoint_url {
        Some(url) => Some(
            service::endpoint_url(trim_pasted(url))
                .map_err(StoreError::from)?
                .to_string(),
        ),
        None => None,
    };
    let preset = endpoint
        .as_deref()
        .or(kept.as_deref())
        .and_then(service::recognise);
    let rules = match preset {
        Some(preset) => {
            service::service_key("access key ID", key_id).map_err(StoreError::from)?;
            Rules::Service(preset)
        }
        None if endpoint.is_some() => Rules::Aws(validate::access_key_id(key_id).map_err(|e| {
            CliError::Message(format!(
                "{e} (the endpoint is AWS's own, so AWS's key rules apply)"
            ))
        })?),
        None => Rules::Aws(validate::access_key_id(key_id).map_err(with_endpoint_hint)?),
    };
    if let Some(region) = &args.region {
        match rules {
            Rules::Service(_) => service::service_region(region),
            Rules::Aws(_) => validate::region(region).map(|_| ()),
        }
        .map_err(StoreError::from)?;
    }
    Ok((rules, endpoint))
}

fn endpoint_url_caution(profile: &NewProfile) -> Option<String> {
    profile
        .endpoint_url
        .as_deref()
        .and_then(service::endpoint_path_caution)
}

/// The region written: `--region`, else the one a new endpoint implies (B2's from its
/// host, R2's `auto`), said so. A `--region` the endpoint contradicts is warned about.
fn region_for(
    rules: Rules,
    given: Option<&str>,
    endpoint_url: Option<&str>,
    out: &mut Output,
) -> Option<String> {
    let (Rules::Service(preset), Some(url)) = (rules, endpoint_url) else {
        return given.map(str::to_string);
    };
    let implied = preset.region_of(url);
    match (given, implied) {
        (None, Some(implied)) => {
            out.say(format_args!("region `{implied}`, as the endpoint says"));
            Some(implied)
        }
        (Some(given), Some(implied)) if given != implied => {
            out.warn(format_args!(
                "the endpoint is in region `{implied}` but requests would be signed for `{given}`, which {} refuses: give --region {implied}",
                preset.label
            ));
            Some(given.to_string())
        }
        (given, _) => given.map(str::to_string),
    }
}

/// Another service's key given without its endpoint: say how to give it.
fn with_endpoint_hint(invalid: validate::Invalid) -> CliError {
    if invalid.0 == validate::NOT_AN_AWS_KEY {
        return CliError::Message(format!(
            "{invalid}: add --endpoint-url URL (e.g. http://localhost:4566 for LocalStack)"
        ));
    }
    StoreError::from(invalid).into()
}

/// The endpoint URL `name` has now, if it exists. Files that mention no endpoint (most)
/// are not parsed for it: `Store::edit` parses them anyway.
fn existing_endpoint(store: &Store, name: &str) -> Result<Option<String>, CliError> {
    let snapshot = store.load()?;
    let mentioned = [&snapshot.config, &snapshot.credentials]
        .iter()
        .any(|loaded| loaded.doc.mentions(ENDPOINT_URL));
    if !mentioned {
        return Ok(None);
    }
    let parsed = snapshot.parse()?;
    let set = parsed.profiles();
    Ok(set
        .profile(name)
        .and_then(|section| section.get(ENDPOINT_URL))
        .map(str::to_string))
}

/// What looks off in keys that are allowed: a likely typo, an example key, a provider's
/// unusual shape. Never quotes the secret.
fn cautions(rules: Rules, key_id: &str, keys: &Keys) -> Vec<String> {
    let secret = keys.secret.expose();
    match rules {
        Rules::Aws(_) => [
            validate::access_key_caution(key_id),
            validate::secret_caution(secret)
                .filter(|_| !validate::is_example_key_id(key_id))
                .map(str::to_string),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Rules::Service(preset) => [preset.key_id_hint(key_id), preset.secret_hint(secret)]
            .into_iter()
            .flatten()
            .collect(),
    }
}

pub fn run(store: &Store, args: &Args, out: &mut Output) -> Result<(), CliError> {
    let key_id = trim_pasted(&args.access_key_id);
    validate::profile_name(&args.name).map_err(StoreError::from)?;
    let (rules, endpoint_url) = rules_for(store, args, key_id)?;
    if let Some(output) = &args.output {
        validate::output_format(output).map_err(StoreError::from)?;
    }
    let region = region_for(rules, args.region.as_deref(), endpoint_url.as_deref(), out);
    let stdin = std::io::stdin();
    let mut source = if stdin.is_terminal() {
        Source::Prompt
    } else {
        Source::Piped(stdin.lock())
    };
    let keys = read_keys(rules, &mut source)?;
    let cautions = cautions(rules, key_id, &keys);
    for secret in std::iter::once(&keys.secret).chain(&keys.token) {
        out.know_secret(secret.expose());
    }

    let profile = NewProfile {
        name: args.name.clone(),
        access_key_id: key_id.to_string(),
        secret: keys.secret,
        token: keys.token,
        region: region.clone(),
        output: args.output.clone(),
        endpoint_url,
    };
    let (saved, written) = if args.keyring {
        let keyring = crate::keyring::Keyring::os().map_err(|e| super::protect::moved(e.into()))?;
        crate::protect::add(store, &keyring, &profile, args.force, |_| Ok(()))
            .map_err(super::protect::moved)?
    } else {
        store.edit(|editor| ops::save_profile(editor, &profile, args.force))?
    };
    let verb = if saved.existed { "updated" } else { "added" };
    let what = match rules {
        Rules::Aws(KeyKind::LongTerm) => "long-term access key".to_string(),
        Rules::Aws(KeyKind::Unusual) => "access key".to_string(),
        Rules::Aws(KeyKind::Temporary) => "temporary credentials with their session token".into(),
        Rules::Service(preset) if preset.name == "other" => {
            "access key for an S3-compatible service".into()
        }
        Rules::Service(preset) => format!("access key for {}", preset.label),
    };
    let kept = if args.keyring {
        "; the secret is in the OS keyring"
    } else {
        ""
    };
    out.say(format_args!(
        "{verb} profile `{}` ({what} {}){kept}",
        args.name,
        crate::domain::mask::mask_key_id(&profile.access_key_id)
    ));
    let path_caution = endpoint_url_caution(&profile);
    for caution in cautions.into_iter().chain(path_caution) {
        out.warn(caution);
    }
    if let Some(key_id) = saved.left_keyring.clone() {
        match crate::protect::forget(store, key_id, crate::keyring::Keyring::os).said() {
            (words, true) => out.warn(words),
            (words, false) => out.say(words),
        }
    }
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
