use serde::Serialize;

use super::output::Output;
use super::{CliError, print_warnings};
use crate::domain::profile::Kind;
use crate::domain::{service, text};
use crate::store::Store;
use crate::store::parse::FileKind;
use crate::store::view::Section;

#[derive(clap::Args)]
pub struct Args {
    /// The profile to show (as the AWS CLI names it: `some profile` for `[profile 'some profile']`)
    #[arg(value_name = "PROFILE")]
    name: String,
    /// Print JSON instead of text
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Shown {
    name: String,
    settings: Vec<ShownSetting>,
    /// Readers that skip this name (empty: every reader finds it), as in `list --json`.
    skipped_by: &'static [&'static str],
    /// For a name only the AWS CLI reads: who reads it how, and how to rename it.
    #[serde(skip_serializing_if = "Option::is_none")]
    not_portable: Option<String>,
    /// For another service's keys: which service, at which endpoint host.
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<String>,
    /// The `[sso-session NAME]` section its `sso_session` names.
    #[serde(skip_serializing_if = "Option::is_none")]
    sso_session: Option<ShownSession>,
    /// When its temporary credentials expire (RFC 3339, UTC), where that is known.
    expires_at: Option<String>,
    /// For a profile whose secret is in the OS keyring: the access key ID of its entry
    /// (the keyring is not opened).
    #[serde(skip_serializing_if = "Option::is_none")]
    keyring_key_id: Option<String>,
}

#[derive(Serialize)]
struct ShownSession {
    name: String,
    path: String,
    /// The line of its `[sso-session NAME]` header.
    line: usize,
    settings: Vec<ShownSetting>,
}

#[derive(Serialize)]
struct ShownSetting {
    key: String,
    value: String,
    file: FileKind,
    path: String,
    line: usize,
}

pub fn run(store: &Store, args: &Args, out: &mut Output) -> Result<(), CliError> {
    let snapshot = store.load()?;
    let parsed = snapshot.parse()?;
    out.know_parsed(&parsed);
    let set = parsed.profiles();
    let section = set
        .profile(args.name.as_str())
        .ok_or_else(|| crate::store::StoreError::NoSuchProfile(args.name.clone()))?;
    let path_of = |file: FileKind| parsed.path(file).display().to_string();
    let settings_of = |section: &Section, out: &mut Output| -> Vec<ShownSetting> {
        section
            .shown()
            .map(|(key, value, s)| ShownSetting {
                key: key.into_owned(),
                value: out.redactor().redact(&value).into_owned(),
                file: s.file,
                path: path_of(s.file),
                line: s.line(),
            })
            .collect()
    };
    let aws_cli_only = set.aws_cli_profile(&args.name);
    let sso_session = set.sso_session_of(section).map(|(name, session)| {
        let header = session.header.expect("a session has a header");
        ShownSession {
            name: name.to_string(),
            path: path_of(header.file),
            line: header.line(),
            settings: settings_of(session, out),
        }
    });
    let traits = crate::domain::profile::Traits::from_get(|key| section.get(key));
    let service = traits
        .service()
        .filter(|_| traits.kind() == Kind::Endpoint)
        .map(|preset| {
            let host = traits
                .endpoint_url
                .and_then(service::shown_host)
                .unwrap_or_default();
            format!("{} at {host}", preset.label)
        });
    let env = |name: &str| std::env::var(name).ok();
    let expiry = crate::store::caches::Caches::of_user(&env).expiry(traits.kind(), section);
    let shown = Shown {
        expires_at: expiry.map(|e| e.at_utc()),
        name: args.name.clone(),
        service,
        settings: settings_of(section, out),
        skipped_by: aws_cli_only.map_or(&[], |p| p.skipped_by()),
        not_portable: aws_cli_only
            .map(|p| format!("{}; {}", p.readers(), p.form.fix(&p.rename_command(&set)))),
        sso_session,
        keyring_key_id: traits
            .keyring
            .then(|| traits.access_key_id.map(str::to_string))
            .flatten(),
    };
    let key_age = key_age_said(&args.name, traits.access_key_id);
    if args.json {
        let text =
            serde_json::to_string_pretty(&shown).map_err(|e| CliError::Message(e.to_string()))?;
        println!("{}", text::json_printable(&text));
    } else {
        print_text(&shown, out);
        if let Some(said) = key_age {
            out.say(format_args!("  {said}"));
        }
        if let Some(expiry) = expiry {
            out.say(format_args!("  {}", expiry_said(&args.name, &expiry)));
        }
    }
    print_warnings(out, &parsed.warnings(&set));
    Ok(())
}

/// "key created 2026-03-01, 276 days ago", when a verification learned it for the key
/// the profile holds now.
fn key_age_said(name: &str, key_id: Option<&str>) -> Option<String> {
    let state = crate::state::State::load();
    let created = state.key_created(name, key_id?)?;
    crate::domain::key_age::said(created, &crate::sts::now_rfc3339())
}

/// "expires in 3h 12m (2026-12-02T23:27:29Z, the SSO token)", or expired and how to renew.
pub(crate) fn expiry_said(name: &str, expiry: &crate::store::caches::Expiry) -> String {
    use crate::store::caches::Source;
    let now = crate::domain::expiry::now();
    let from = match expiry.source {
        Source::Profile => "the session's",
        Source::Sso => "the IAM Identity Center token's",
        Source::Login => "the `aws login` token's",
        Source::Role => "the AWS CLI's cached role credentials'",
    };
    let mut said = format!(
        "{} ({from} expiry, {})",
        crate::domain::expiry::said(expiry.at, now),
        expiry.at_utc()
    );
    if expiry.at <= now
        && let Some(renew) = expiry.renew(name)
    {
        said.push_str(&format!("; renew: {renew}"));
    }
    said
}

fn print_text(shown: &Shown, out: &mut Output) {
    out.say(format_args!("[{}]", shown.name));
    if let Some(service) = &shown.service {
        out.say(format_args!("  keys for {service}"));
    }
    if let Some(key_id) = &shown.keyring_key_id {
        out.say(format_args!(
            "  the secret of {key_id} is in the OS keyring (credential_process runs credwiz)"
        ));
    }
    if let Some(note) = &shown.not_portable {
        out.say(format_args!("  not portable: {note}"));
    }
    let session = shown.sso_session.as_ref();
    let width = shown
        .settings
        .iter()
        .chain(session.iter().flat_map(|s| &s.settings))
        .map(|s| s.key.len())
        .max()
        .unwrap_or(0);
    let say_settings = |settings: &[ShownSetting], out: &mut Output| {
        for s in settings {
            let value = s.value.replace('\n', "\n    ");
            out.say(format_args!(
                "  {:width$} = {value}    ({}:{})",
                s.key, s.path, s.line
            ));
        }
    };
    say_settings(&shown.settings, out);
    if let Some(session) = session {
        out.say(format_args!(
            "  from [sso-session {}]    ({}:{})",
            session.name, session.path, session.line
        ));
        say_settings(&session.settings, out);
    }
}
