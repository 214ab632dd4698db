use super::CliError;
use crate::domain::profile::{self, ACCESS_KEY_ID, Kind, SECRET_ACCESS_KEY, SESSION_TOKEN};
use crate::domain::secret::Secret;
use crate::state::{State, Verification};
use crate::store::Store;
use crate::store::parse::trim_ws;
use crate::sts::{self, endpoint, sign::Keys};

#[derive(clap::Args)]
pub struct Args {
    /// The profile whose keys to check
    #[arg(value_name = "PROFILE", default_value = "default")]
    name: String,
}

/// Checks the profile's keys with STS `GetCallerIdentity`; exit 1 when they do not work.
pub fn run(store: &Store, args: &Args) -> Result<(), CliError> {
    let snapshot = store.load()?;
    let parsed = snapshot.parse()?;
    let set = parsed.profiles();
    let section = set.profiles.get(args.name.as_str()).ok_or_else(|| {
        CliError::Message(format!("no profile named `{}` in either file", args.name))
    })?;
    let get = |key: &str| section.get(key);
    match profile::kind(get) {
        Kind::Static | Kind::Session => {}
        kind => {
            return Err(CliError::Message(format!(
                "`{}` is a {} profile: credwiz verifies access keys; check it with: aws sts get-caller-identity --profile {}",
                args.name,
                kind.label(),
                args.name
            )));
        }
    }
    let keys = Keys {
        access_key_id: get(ACCESS_KEY_ID).unwrap_or_default().to_string(),
        secret: Secret::new(get(SECRET_ACCESS_KEY).unwrap_or_default()),
        token: get(SESSION_TOKEN).map(Secret::new),
    };
    // The profile's `services = NAME` names a `[services NAME]` section whose `sts` block
    // may set an endpoint.
    let services_sts = get("services").and_then(|name| {
        let section = parsed.config.sections.iter().find(|s| {
            s.raw_name
                .strip_prefix("services")
                .is_some_and(|rest| trim_ws(rest) == name)
        })?;
        parsed
            .config
            .find(section, "sts")
            .next()
            .map(|p| p.value.to_string())
    });
    let env = |name: &str| std::env::var(name).ok();
    let settings = |key: &str| section.get(key).map(str::to_string);
    let endpoint = endpoint::resolve(&env, &settings, services_sts.as_deref());
    let result = sts::verify(&keys, &endpoint);
    record(&args.name, &result);
    match result {
        Ok(verified) => {
            let id = &verified.identity;
            println!(
                "✓ the keys of `{}` work ({:.2} s)",
                args.name,
                verified.took.as_secs_f64()
            );
            println!("  account  {}", id.account);
            println!("  arn      {}", id.arn);
            println!("  user id  {}", id.user_id);
            if id.is_root() {
                eprintln!(
                    "warning: these are the ROOT USER's access keys of account {}.\n  \
                     Root keys can do anything to the account and cannot be limited; AWS advises against them.\n  \
                     Instead, create an IAM user (or use IAM Identity Center) with the permissions you need,\n  \
                     switch to its keys, then delete this root key (IAM console → Security credentials).",
                    id.account
                );
            }
            Ok(())
        }
        Err(why) => Err(CliError::Message(format!(
            "the keys of `{}` do not work: {why} (checked at {})",
            args.name, endpoint.url
        ))),
    }
}

fn record(name: &str, result: &Result<sts::Verified, String>) {
    let mut state = State::load();
    let verification = match result {
        Ok(v) => Verification {
            time: sts::now_rfc3339(),
            ok: true,
            account: Some(v.identity.account.clone()),
            arn: Some(v.identity.arn.clone()),
            error: None,
        },
        Err(why) => Verification {
            time: sts::now_rfc3339(),
            ok: false,
            account: None,
            arn: None,
            error: Some(why.clone()),
        },
    };
    state.verified.retain(|(n, _)| n != name);
    state.verified.push((name.to_string(), verification));
    state.save();
}
