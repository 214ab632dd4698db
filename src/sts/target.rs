//! What to verify for a profile: its keys, and the endpoint the SDKs would call (STS for
//! AWS's keys, S3 for another service's).

use super::endpoint::{self, Endpoint, Services};
use super::sign::Keys;
use crate::domain::profile::{self, Kind, SECRET_ACCESS_KEY, SESSION_TOKEN};
use crate::domain::secret::Secret;
use crate::store::Parsed;
use crate::store::parse::trim_ws;

/// The keys and endpoint for `name`, or why it cannot be verified (in people's words).
pub fn for_profile(
    parsed: &Parsed,
    name: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(Keys, Endpoint), String> {
    let set = parsed.profiles();
    let section = set
        .profile(name)
        .ok_or_else(|| crate::store::StoreError::NoSuchProfile(name.to_string()).to_string())?;
    let get = |key: &str| section.get(key);
    match profile::kind(get) {
        Kind::Static | Kind::Session | Kind::Endpoint => {}
        kind => {
            return Err(format!(
                "credwiz can check only profiles that hold access keys; `{name}` gets its credentials another way ({}); check it with: aws sts get-caller-identity --profile {name}",
                kind.label()
            ));
        }
    }
    let keys = keys_of(&get).map_err(|e| format!("cannot read the keys of `{name}`: {e}"))?;
    let services = services_of(parsed, &|key| section.get(key));
    let settings = |key: &str| section.get(key).map(str::to_string);
    Ok((keys, endpoint::resolve(env, &settings, services.as_ref())))
}

/// A profile's keys: from the files, or from the OS keyring when its secret is there.
pub fn keys_of<'a>(
    get: &dyn Fn(&str) -> Option<&'a str>,
) -> Result<Keys, crate::keyring::KeyringError> {
    let traits = profile::Traits::from_get(get);
    let access_key_id = traits.access_key_id.unwrap_or_default().trim().to_string();
    if traits.keyring {
        let stored = crate::keyring::Keyring::os()?.get(&access_key_id)?;
        return Ok(Keys {
            access_key_id,
            secret: stored.secret,
            token: stored.token,
        });
    }
    Ok(Keys {
        access_key_id,
        secret: Secret::new(get(SECRET_ACCESS_KEY).unwrap_or_default()),
        token: get(SESSION_TOKEN).map(Secret::new),
    })
}

/// The endpoint `api` is called at for profile `name` (`None`: no such profile), as the
/// SDKs resolve it: for a rotation, which calls IAM and STS whatever the profile's keys
/// are checked with.
pub fn endpoint_for(
    parsed: &Parsed,
    name: &str,
    env: &dyn Fn(&str) -> Option<String>,
    api: endpoint::Api,
) -> Option<Endpoint> {
    let set = parsed.profiles();
    let section = set.profile(name)?;
    let services = services_of(parsed, &|key| section.get(key));
    let settings = |key: &str| section.get(key).map(str::to_string);
    Some(endpoint::resolve_for(
        api,
        env,
        &settings,
        services.as_ref(),
    ))
}

/// The IAM and STS endpoints for profile `name` (`None`: no such profile): what a
/// rotation and an MFA session call.
pub fn iam_client_for(
    parsed: &Parsed,
    name: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Option<super::iam::Client> {
    Some(super::iam::Client {
        iam: endpoint_for(parsed, name, env, endpoint::Api::Iam)?,
        sts: endpoint_for(parsed, name, env, endpoint::Api::Sts)?,
    })
}

/// The `[services NAME]` section a profile names with `services = NAME`: its `sts`, `s3`
/// and `iam` blocks may set an endpoint.
fn services_of<'p>(parsed: &Parsed, get: &dyn Fn(&str) -> Option<&'p str>) -> Option<Services> {
    let services = get("services")?;
    let section = parsed.config.sections.iter().find(|s| {
        s.raw_name
            .strip_prefix("services")
            .is_some_and(|rest| trim_ws(rest) == services)
    })?;
    let block = |api: &str| {
        parsed
            .config
            .find(section, api)
            .next()
            .map(|p| p.value.to_string())
    };
    Some(Services {
        sts: block("sts"),
        s3: block("s3"),
        iam: block("iam"),
    })
}
