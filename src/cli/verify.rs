use super::CliError;
use super::output::Output;
use crate::state::KeyAge;
use crate::store::Store;
use crate::sts;
use crate::sts::endpoint::Api;
use crate::sts::iam::CallError;

#[derive(clap::Args)]
pub struct Args {
    /// The profile whose keys to check
    #[arg(value_name = "PROFILE", default_value = "default")]
    name: String,
}

/// Checks the profile's keys: AWS's with STS `GetCallerIdentity`, another service's with
/// S3 `ListBuckets` at its endpoint. Exit 1 when they do not work, 3
/// ([`super::UNCHECKED`]) when they could not be checked (the message says why). A
/// verdict is kept in credwiz's state file for the picker; for an IAM user's keys, with
/// when IAM made the key (one `ListAccessKeys` call; its failure is no failure of verify).
pub fn run(store: &Store, args: &Args, out: &mut Output) -> Result<(), CliError> {
    let snapshot = store.load()?;
    let parsed = snapshot.parse()?;
    out.know_parsed(&parsed);
    let env = |name: &str| std::env::var(name).ok();
    let (keys, endpoint) =
        sts::target::for_profile(&parsed, &args.name, &env).map_err(CliError::Message)?;
    let result = sts::verify(&keys, &endpoint);
    let key_age = result.as_ref().ok().map(|verified| {
        let iam = sts::target::endpoint_for(&parsed, &args.name, &env, Api::Iam);
        iam.map_or(Ok(None), |iam| sts::key_created(&keys, verified, &iam))
    });
    let learned_age = key_age.clone().and_then(Result::ok).flatten();
    let mut state = crate::state::State::load();
    if sts::record(&mut state, &args.name, &result, learned_age) {
        state.save();
    }
    match result {
        Ok(verified) => {
            match &verified.learned {
                sts::Learned::Caller(id) => {
                    caller(out, &args.name, id, &verified);
                    self::key_age(out, key_age);
                }
                sts::Learned::Storage(storage) => {
                    self::storage(out, &args.name, storage, &endpoint, &verified)
                }
            }
            Ok(())
        }
        Err(failure) => {
            let message = format!("{} (endpoint {})", failure.about(&args.name), endpoint.url);
            Err(match failure {
                sts::Failure::Refused(_) => CliError::Message(message),
                sts::Failure::Unchecked(_) => CliError::Unchecked(message),
            })
        }
    }
}

/// What STS said: whose keys they are (a loud warning for the root user's).
fn caller(out: &mut Output, name: &str, id: &sts::response::Identity, verified: &sts::Verified) {
    out.say(format_args!(
        "✓ the keys of `{name}` work ({:.2} s)",
        verified.took.as_secs_f64()
    ));
    out.say(format_args!("  account  {}", id.account));
    out.say(format_args!("  arn      {}", id.arn));
    out.say(format_args!("  user id  {}", id.user_id));
    if id.is_root() {
        out.warn(format_args!(
            "these are the ROOT USER's access keys of account {}.\n  \
             Root keys can do anything to the account and cannot be limited; AWS advises against them.\n  \
             Instead, create an IAM user (or use IAM Identity Center) with the permissions you need,\n  \
             switch to its keys, then delete this root key (IAM console → Security credentials).",
            id.account
        ));
    }
}

/// When IAM made the key, or one line on why that is not known (nothing when there was
/// nothing to ask: not an IAM user's keys).
fn key_age(out: &mut Output, learned: Option<Result<Option<KeyAge>, CallError>>) {
    match learned {
        Some(Ok(Some(age))) => {
            let now = sts::now_rfc3339();
            if let Some(said) = crate::domain::key_age::said(&age.created, &now) {
                out.say(format_args!("  {said}"));
            }
        }
        Some(Err(CallError::Unchecked(_))) => {
            out.say("  key age unknown: IAM ListAccessKeys did not answer")
        }
        Some(Err(_)) => out.say("  key age unknown: IAM ListAccessKeys refused"),
        Some(Ok(None)) | None => {}
    }
}

/// What the S3-compatible service said: how many buckets the keys see, and the owner;
/// or that the keys are good but may not list buckets.
fn storage(
    out: &mut Output,
    name: &str,
    storage: &sts::s3::Storage,
    endpoint: &sts::endpoint::Endpoint,
    verified: &sts::Verified,
) {
    let took = verified.took.as_secs_f64();
    let service = &storage.service;
    match &storage.buckets {
        sts::s3::Buckets::Listed(listing) => {
            out.say(format_args!(
                "✓ the keys of `{name}` work with {service} ({took:.2} s)"
            ));
            out.say(format_args!("  endpoint {}", endpoint.url));
            out.say(format_args!("  region   {}", endpoint.region));
            out.say(format_args!("  buckets  {}", listing.count_said()));
            if let Some(owner) = &listing.owner {
                out.say(format_args!("  owner    {owner}"));
            }
        }
        sts::s3::Buckets::NotAllowed { message } => {
            out.say(format_args!(
                "✓ the keys of `{name}` are good: {service} knows them and accepted their signature ({took:.2} s)"
            ));
            out.say(format_args!("  endpoint {}", endpoint.url));
            out.say(format_args!("  region   {}", endpoint.region));
            let said = if message.is_empty() {
                String::new()
            } else {
                format!(": {message}")
            };
            out.warn(format_args!(
                "but they may not list buckets ({service} answered AccessDenied{said}).\n  \
                 Keys limited to some buckets get this answer (an R2 API token for one bucket does);\n  \
                 they still work for those buckets: try `aws s3 ls s3://BUCKET --profile {name}`."
            ));
        }
    }
}
