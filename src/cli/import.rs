use super::output::Output;
use super::{CliError, print_written};
use crate::domain::import::{read_keys, secrets};
use crate::domain::mask::mask_key_id;
use crate::domain::validate;
use crate::store::{Editor, Store, StoreError, doctor, ops};

#[derive(clap::Args)]
pub struct Args {
    /// The .csv file downloaded from the IAM console (without it, in a terminal, the
    /// wizard asks for it)
    #[arg(value_hint = clap::ValueHint::FilePath)]
    pub file: Option<std::path::PathBuf>,
    /// Profile name for a file that holds one key (default: from `NAME_accessKeys.csv`)
    #[arg(long, value_name = "PROFILE")]
    profile: Option<String>,
    /// Default region of the imported profiles, e.g. us-east-1
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
    /// Output format of the imported profiles (json, yaml, yaml-stream, text, table)
    #[arg(long, value_name = "FORMAT")]
    output: Option<String>,
    /// Replace the key pair of profiles that already exist
    #[arg(long)]
    force: bool,
    /// Keep the secrets in the OS keyring, not in the credentials file: each profile gets
    /// a credential_process that every AWS tool runs
    #[arg(long)]
    keyring: bool,
}

pub fn run(store: &Store, args: &Args, out: &mut Output) -> Result<(), CliError> {
    let file = args
        .file
        .as_ref()
        .expect("without a file the wizard runs instead");
    let shown = file.display().to_string();
    let bytes = zeroize::Zeroizing::new(
        std::fs::read(file).map_err(|e| CliError::Message(format!("cannot read {shown}: {e}")))?,
    );
    for secret in secrets(&bytes) {
        out.know_secret(secret.expose());
    }
    if let Some(region) = &args.region {
        validate::region(region).map_err(StoreError::from)?;
    }
    if let Some(output) = &args.output {
        validate::output_format(output).map_err(StoreError::from)?;
    }
    let keys = read_keys(&bytes, &shown, args.profile.as_deref()).map_err(CliError::Message)?;
    let settings: Vec<(&str, &str)> = [("region", &args.region), ("output", &args.output)]
        .into_iter()
        .filter_map(|(key, value)| Some((key, value.as_deref()?)))
        .collect();
    let import = |editor: &mut Editor| {
        let left_keyring = ops::import(editor, &keys, args.force)?;
        for key in &keys {
            if !settings.is_empty() {
                editor.set(&key.profile, &settings)?;
            }
        }
        Ok(left_keyring)
    };
    let (left_keyring, written) = if args.keyring {
        let keyring = crate::keyring::Keyring::os().map_err(|e| super::protect::moved(e.into()))?;
        crate::protect::import(store, &keyring, &keys, args.force, &settings)
            .map_err(super::protect::moved)?
    } else {
        store.edit(import)?
    };
    for key in &keys {
        out.say(format_args!(
            "imported profile `{}` ({}){}",
            key.profile,
            mask_key_id(&key.access_key_id),
            if args.keyring {
                "; the secret is in the OS keyring"
            } else {
                ""
            }
        ));
        if let Some(caution) = &key.caution {
            out.say(format_args!("  note: {caution}"));
        }
    }
    for key_id in left_keyring {
        match crate::protect::forget(store, key_id, crate::keyring::Keyring::os).said() {
            (words, true) => out.warn(words),
            (words, false) => out.say(words),
        }
    }
    print_written(out, &written);
    out.say(format_args!(
        "{shown} holds the secret in plain text: once the profile works, delete it (rm '{}')",
        shown.replace('\'', "'\\''")
    ));
    say_if_no_default(store, keys.first().map(|k| k.profile.as_str()), out);
    Ok(())
}

/// After an import into files without a `default`, the AWS CLI finds none of the keys
/// without --profile: say so, and how to make one the default (as doctor does).
fn say_if_no_default(store: &Store, imported: Option<&str>, out: &mut Output) {
    let Ok(snapshot) = store.load() else {
        return;
    };
    let Ok(parsed) = snapshot.parse() else {
        return;
    };
    let env = |name: &str| std::env::var(name).ok();
    if let Some(finding) = doctor::no_default(&parsed.profiles(), &env, imported) {
        out.warn(finding.message);
    }
}
