//! MFA sessions for IAM-user profiles: STS `GetSessionToken` with the profile's MFA device
//! and a code gives temporary keys that carry the MFA; they go into a session profile
//! (`NAME-session` unless told) in the credentials file, as `aws configure mfa-login`
//! writes its profile (key, secret, token), with their `expiration` beside them. A role
//! profile with `source_profile = NAME-session` then assumes its role without asking for
//! a code until the session expires.
//!
//! Which profile a session comes from and goes into ([`plan`]), the MFA devices of the
//! user when the profile names none ([`devices`]), and the session itself ([`start`]).
//! Knows no UI: the CLI and the picker ask for the device and the code.

use std::path::Path;

use crate::domain::profile::{self, ACCESS_KEY_ID, Kind, OUTPUT, REGION};
use crate::domain::session::{self as rules, EXPIRATION};
use crate::domain::text::quoted_list;
use crate::rotate::Stop;
use crate::state::State;
use crate::store::{Parsed, Store, ops};
use crate::sts::iam::{CallError, Client, User};
use crate::sts::sign::Keys;

/// The setting that names a profile's MFA device.
pub const MFA_SERIAL: &str = "mfa_serial";

/// Where a session comes from and where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The profile with the long-term key.
    pub source: String,
    /// The session profile written.
    pub into: String,
    /// The source's MFA device (`mfa_serial`), when it names one.
    pub serial: Option<String>,
    /// Whether `into` holds a session already (renewed, not made).
    pub renews: bool,
    /// The source's region and output, for a new session profile (so that commands with
    /// it go where the source's go); a renewed one keeps its own.
    pub copied: Copied,
    /// Role profiles whose `source_profile` is `into`.
    pub chained: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Copied {
    pub region: Option<String>,
    pub output: Option<String>,
}

/// What a session made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Started {
    pub plan: Plan,
    pub serial: String,
    /// When the session's keys stop working (RFC 3339, as STS said).
    pub expiration: String,
    /// The MFA device was written into the source profile as its `mfa_serial`.
    pub saved_serial: bool,
}

impl Started {
    /// What was done, in people's words: where, until when, who benefits.
    pub fn said(&self) -> Vec<String> {
        let Plan { source, into, .. } = &self.plan;
        let verb = if self.plan.renews {
            "renewed"
        } else {
            "started"
        };
        let mut lines = vec![format!(
            "✓ MFA session {verb} in `{into}` (from `{source}`, {}), until {}",
            self.serial,
            crate::domain::expiry::parse(&self.expiration)
                .map_or_else(|| self.expiration.clone(), crate::domain::expiry::utc)
        )];
        if self.saved_serial {
            lines.push(format!(
                "saved `mfa_serial = {}` in `{source}`, so the next session asks only for the code",
                self.serial
            ));
        }
        lines.push(match self.plan.chained.as_slice() {
            [] => format!(
                "use it with --profile {into}; a role profile with `source_profile = {into}` assumes its role without an MFA prompt until then"
            ),
            roles => format!(
                "{} ({}) now work without an MFA prompt until then",
                quoted_list(roles),
                if roles.len() == 1 {
                    format!("source_profile = {into}")
                } else {
                    format!("each with source_profile = {into}")
                }
            ),
        });
        lines.push(format!(
            "renew it with: credwiz session {source}{}",
            if *into == rules::default_name(source) {
                String::new()
            } else {
                format!(" --into {into}")
            }
        ));
        lines
    }
}

/// Works out the session for `name`: a profile with a long-term key (the session goes to
/// `into`, else `NAME-session`), or a session profile credwiz made (renewed from its
/// source). Refuses what would lose data: writing over the source, or over a profile
/// that is not a session.
pub fn plan(parsed: &Parsed, state: &State, name: &str, into: Option<&str>) -> Result<Plan, Stop> {
    let set = parsed.profiles();
    if set.profile(name).is_none() {
        return Err(Stop::Refused(
            crate::store::StoreError::NoSuchProfile(name.to_string()).to_string(),
        ));
    }
    let kind_of = |profile: &str| {
        set.profile(profile)
            .map(|section| profile::kind(|key| section.get(key)))
    };
    let made_from = state
        .session_source(name)
        .or_else(|| rules::source_by_name(name))
        .filter(|source| kind_of(source) == Some(Kind::Static))
        .filter(|_| kind_of(name) == Some(Kind::Session));
    if made_from.is_none() && kind_of(name) == Some(Kind::Session) {
        return Err(Stop::Refused(format!(
            "`{name}` holds a session, and credwiz does not know which profile it was made from: renew it with `credwiz session SOURCE --into {name}`, SOURCE being the profile with the IAM user's long-term key"
        )));
    }
    let (source, into) = match made_from {
        Some(source) => (source.to_string(), into.unwrap_or(name).to_string()),
        None => (
            name.to_string(),
            into.map_or_else(|| rules::default_name(name), str::to_string),
        ),
    };
    let section = set.profile(&source).expect("checked above");
    let get = |key: &str| section.get(key);
    long_term(
        &source,
        profile::kind(get),
        get(ACCESS_KEY_ID).unwrap_or_default(),
    )?;
    if into == source {
        return Err(Stop::Refused(format!(
            "the session cannot go into `{source}` itself: that would replace its long-term key; name another profile with --into"
        )));
    }
    crate::domain::validate::profile_name(&into).map_err(|e| Stop::Refused(e.to_string()))?;
    let renews = match kind_of(&into) {
        None => false,
        Some(Kind::Session) => true,
        Some(_) => {
            return Err(Stop::Refused(format!(
                "`{into}` exists and is not an MFA session (it holds no session token): credwiz does not write over it; name another profile with --into"
            )));
        }
    };
    let value = |key: &str| {
        get(key)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let copied = if renews {
        Copied::default()
    } else {
        Copied {
            region: value(REGION),
            output: value(OUTPUT),
        }
    };
    let chained = set
        .profiles
        .iter()
        .filter(|(_, section)| {
            section.get(profile::SOURCE_PROFILE).map(str::trim) == Some(into.as_str())
                && section.get(profile::ROLE_ARN).is_some()
        })
        .map(|(name, _)| name.to_string())
        .collect();
    Ok(Plan {
        serial: value(MFA_SERIAL),
        source,
        into,
        renews,
        copied,
        chained,
    })
}

/// Whether `name` holds a long-term AWS key, the only kind `GetSessionToken` takes.
fn long_term(name: &str, kind: Kind, access_key_id: &str) -> Result<(), Stop> {
    let refuse = |why: &str| Err(Stop::Refused(format!("`{name}` {why}")));
    match kind {
        Kind::Static if access_key_id.starts_with("ASIA") => refuse(
            "holds temporary credentials (an ASIA key): an MFA session is made from an IAM user's long-term key",
        ),
        Kind::Static => Ok(()),
        Kind::Session => refuse(
            "holds temporary credentials (with a session token): an MFA session is made from an IAM user's long-term key",
        ),
        Kind::Role => refuse(
            "assumes a role: give it `mfa_serial` and the AWS CLI asks for the code when it assumes the role; or make a session of its source_profile and point source_profile at that",
        ),
        Kind::Sso => refuse(
            "signs in with IAM Identity Center (SSO), which asks for MFA itself: run `aws sso login`",
        ),
        Kind::Endpoint => refuse("holds keys for another service (its endpoint_url), not AWS IAM"),
        Kind::Login => {
            refuse("signs in with `aws login`, which asks for MFA itself: run `aws login`")
        }
        Kind::Process => refuse("gets its credentials from a credential_process"),
        Kind::Other => refuse("holds no access key of its own"),
    }
}

/// The source profile's keys and the endpoints for STS and IAM.
pub fn client_and_keys(
    parsed: &Parsed,
    source: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(Client, Keys), Stop> {
    let set = parsed.profiles();
    let section = set.profile(source).ok_or_else(|| {
        Stop::Refused(crate::store::StoreError::NoSuchProfile(source.to_string()).to_string())
    })?;
    let get = |key: &str| section.get(key);
    let keys = Keys {
        token: None,
        ..crate::sts::target::keys_of(&get).map_err(|e| Stop::Refused(e.to_string()))?
    };
    let client = crate::sts::target::iam_client_for(parsed, source, env).ok_or_else(|| {
        Stop::Refused(crate::store::StoreError::NoSuchProfile(source.to_string()).to_string())
    })?;
    Ok((client, keys))
}

/// The MFA devices of the user whose key `keys` is (`ListMFADevices`), for a profile that
/// names none.
pub fn devices(client: &Client, keys: &Keys) -> Result<Vec<String>, Stop> {
    let verified = crate::sts::verify(keys, &client.sts).map_err(|failure| match failure {
        crate::sts::Failure::Unchecked(why) => Stop::Unchecked(why),
        crate::sts::Failure::Refused(why) => Stop::Refused(why),
    })?;
    let identity = verified
        .identity()
        .ok_or_else(|| Stop::Unchecked("STS did not say whose keys these are".into()))?;
    if identity.is_root() {
        return Err(Stop::Refused(
            "these are the ROOT user's keys: give the MFA device's ARN with --serial (root sessions last at most 1 h); better, use an IAM user"
                .into(),
        ));
    }
    let user = User::from_arn(&identity.arn).ok_or_else(|| {
        Stop::Refused(format!(
            "{} is not an IAM user: an MFA session is made from an IAM user's key",
            identity.arn
        ))
    })?;
    let found = client.mfa_devices(keys, &user).map_err(|error| match error {
        CallError::Refused { code, .. } if code == "AccessDenied" => Stop::Refused(format!(
            "IAM refused iam:ListMFADevices for {}: give the device's ARN with --serial (IAM console → Security credentials → MFA), or allow iam:ListMFADevices on {}",
            user.name, user.arn
        )),
        other => Stop::from(other),
    })?;
    if found.is_empty() {
        return Err(Stop::Refused(format!(
            "{} has no MFA device: assign one in the IAM console (Security credentials → Multi-factor authentication), then try again",
            user.name
        )));
    }
    Ok(found)
}

/// What [`start`] needs besides the plan.
pub struct Ask<'a> {
    pub serial: &'a str,
    pub code: &'a str,
    pub seconds: u32,
    /// Write the device into the source profile as its `mfa_serial` (it named none).
    pub save_serial: bool,
}

/// Gets the session and writes it into the session profile (one store transaction; the
/// source's `mfa_serial` too when asked), then records where it came from.
pub fn start(
    store: &Store,
    client: &Client,
    keys: &Keys,
    plan: Plan,
    ask: Ask,
    state_path: Option<&Path>,
) -> Result<Started, Stop> {
    crate::domain::validate::mfa_code(ask.code)
        .map_err(|why| Stop::Refused(format!("{why}; nothing changed")))?;
    let session = client
        .session_token(keys, ask.serial, ask.code.trim(), ask.seconds)
        .map_err(|error| session_refused(error, ask.serial))?;
    let new = ops::NewProfile {
        name: plan.into.clone(),
        access_key_id: session.keys.access_key_id.clone(),
        secret: session.keys.secret.clone(),
        token: session.keys.token.clone(),
        region: plan.copied.region.clone(),
        output: plan.copied.output.clone(),
        endpoint_url: None,
    };
    let (_, _) = store
        .edit(|editor| {
            ops::save_profile(editor, &new, true)?;
            editor.set(&plan.into, &[(EXPIRATION, session.expiration.as_str())])?;
            if ask.save_serial {
                editor.set(&plan.source, &[(MFA_SERIAL, ask.serial)])?;
            }
            Ok(())
        })
        .map_err(|e| {
            Stop::Refused(format!(
                "STS gave the session, but it could not be written: {e}; nothing changed (the session's keys expire unused)"
            ))
        })?;
    let mut state = State::load_from(state_path);
    state.set_session(&plan.into, &plan.source);
    state.save_to(state_path);
    Ok(Started {
        plan,
        serial: ask.serial.to_string(),
        expiration: session.expiration,
        saved_serial: ask.save_serial,
    })
}

/// STS's refusal in people's words: a wrong or reused code, a clock that is off.
fn session_refused(error: CallError, serial: &str) -> Stop {
    match error {
        // `sts::iam` words STS's "MultiFactorAuthentication failed" as a refused code.
        CallError::Refused { code, said }
            if code == "AccessDenied" && said.contains("MFA code") =>
        {
            Stop::Refused(format!(
                "STS did not accept the code for {serial}: it was mistyped, already used (each code works once: wait for the next one), or the device is not this user's; nothing changed"
            ))
        }
        CallError::Refused { code, said } if code == "AccessDenied" => Stop::Refused(format!(
            "STS refused GetSessionToken ({said}): the user needs sts:GetSessionToken, which a policy denies; nothing changed"
        )),
        other => Stop::from(other),
    }
}
