//! Do these keys work, and what do they give access to? AWS's keys are checked with STS
//! `GetCallerIdentity` (needs no permissions; says whose keys they are), keys for another
//! service (an S3-compatible service or a local emulator, see [`endpoint::Api`]) with S3
//! `ListBuckets` ([`s3`]); [`iam`] makes IAM's access key calls (and STS
//! `GetSessionToken`) for a rotation. Signs and sends one request at a time; knows no UI.
//! Never follows a redirect and never sends in the clear to another machine: plain
//! `http://` is refused before connecting unless to loopback (local emulators), and
//! through a proxy on another machine ([`transport`]).

pub mod endpoint;
pub mod iam;
pub mod response;
pub mod s3;
pub mod sign;
pub mod target;
mod transport;

use std::time::Duration;

use endpoint::{Api, Endpoint};
use response::Identity;
use sign::Keys;

pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
pub const CALL_TIMEOUT: Duration = Duration::from_secs(5);

const BODY: &str = "Action=GetCallerIdentity&Version=2011-06-15";
const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// Why a check did not show the keys to work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The service answered and turned the keys down: they do not work.
    Refused(String),
    /// No verdict on the keys: the network, a proxy, the clock, throttling, an answer that
    /// was not the service's, or a profile that cannot be checked this way.
    Unchecked(String),
}

impl Failure {
    /// One line about `name`'s keys: that they do not work, or that they could not be
    /// checked (which says nothing against them).
    pub fn about(&self, name: &str) -> String {
        match self {
            Failure::Refused(why) => format!("the keys of `{name}` do not work: {why}"),
            Failure::Unchecked(why) => format!("could not check the keys of `{name}`: {why}"),
        }
    }
}

/// A successful check: what it learned, and how long it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub learned: Learned,
    pub took: Duration,
}

/// What a check that worked learned. Never a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Learned {
    /// STS said whose keys they are.
    Caller(Identity),
    /// An S3-compatible service listed the buckets, or knew the keys but would not list.
    Storage(s3::Storage),
}

impl Verified {
    /// Who STS said the keys belong to; `None` for an S3 check.
    pub fn identity(&self) -> Option<&Identity> {
        match &self.learned {
            Learned::Caller(identity) => Some(identity),
            Learned::Storage(_) => None,
        }
    }

    /// The root user's keys (only STS can tell).
    pub fn is_root(&self) -> bool {
        self.identity().is_some_and(Identity::is_root)
    }

    /// The keys are good but may not list buckets: they work for some buckets only.
    pub fn is_limited(&self) -> bool {
        matches!(
            &self.learned,
            Learned::Storage(s3::Storage {
                buckets: s3::Buckets::NotAllowed { .. },
                ..
            })
        )
    }

    /// What was learned, in one line: the ARN, or what the service listed.
    pub fn summary(&self) -> String {
        match &self.learned {
            Learned::Caller(identity) => identity.arn.clone(),
            Learned::Storage(storage) => storage.summary(),
        }
    }
}

/// Checks `keys` at `endpoint` with its API (STS or S3). The error is in people's words.
pub fn verify(keys: &Keys, endpoint: &Endpoint) -> Result<Verified, Failure> {
    match endpoint.api {
        Api::Sts => caller_identity(keys, endpoint),
        Api::S3 => s3::list_buckets(keys, endpoint).map(|(storage, took)| Verified {
            learned: Learned::Storage(storage),
            took,
        }),
        Api::Iam => Err(Failure::Unchecked(
            "keys are checked with STS or S3, not IAM".into(),
        )),
    }
}

/// Calls `GetCallerIdentity` with `keys` at `endpoint`.
fn caller_identity(keys: &Keys, endpoint: &Endpoint) -> Result<Verified, Failure> {
    let request = transport::Request {
        method: "POST",
        path: "/",
        headers: &[("content-type", CONTENT_TYPE)],
        body: BODY.as_bytes(),
        service: "sts",
    };
    let answer = transport::send(keys, endpoint, &request)?;
    let transport::Answer {
        status,
        text,
        took,
        host,
        via,
    } = &answer;
    if answer.is_success() {
        return response::identity(text)
            .map(|identity| Verified {
                learned: Learned::Caller(identity),
                took: *took,
            })
            .ok_or_else(|| {
                Failure::Unchecked(format!(
                    "{host} answered, but not as STS does (is the endpoint right? it came from {})",
                    endpoint.source
                ))
            });
    }
    match response::error(text) {
        Some((code, message)) => Err(response::explain(&code, &message)),
        None => Err(Failure::Unchecked(format!(
            "{host}{via} answered HTTP {status} without an STS error (is the endpoint right? it came from {})",
            endpoint.source
        ))),
    }
}

/// When IAM made the key `keys` holds, for a check that showed them to be an IAM user's:
/// one `ListAccessKeys` call at `iam` (one more bounded call after the check). `Ok(None)`
/// when there is nothing to learn: not an IAM user's long-term keys (no call made), or the
/// key is not listed. An error (refused, the network) leaves the age unknown and says
/// nothing against the keys.
pub fn key_created(
    keys: &Keys,
    verified: &Verified,
    iam: &Endpoint,
) -> Result<Option<crate::state::KeyAge>, iam::CallError> {
    // Temporary credentials (a session token) are no IAM access key: nothing has an age.
    let user = verified
        .identity()
        .filter(|_| keys.token.is_none())
        .and_then(|id| iam::User::from_arn(&id.arn));
    let Some(user) = user else {
        return Ok(None);
    };
    let client = iam::Client {
        iam: iam.clone(),
        sts: iam.clone(),
    };
    let listed = client.list_access_keys(keys, &user)?;
    Ok(listed
        .into_iter()
        .find(|key| key.id == keys.access_key_id)
        .map(|key| crate::state::KeyAge {
            key_id: key.id,
            created: key.created,
        }))
}

/// Now as RFC 3339 UTC, for the state file.
pub fn now_rfc3339() -> String {
    crate::domain::expiry::utc(crate::domain::expiry::now())
}

/// Keeps a verdict in credwiz's state (never a secret), for the picker, with when IAM
/// made the key if that was learned ([`key_created`]), and says whether there was one to
/// keep (then the caller saves the state). A check that could not be made is not a
/// verdict: the last one stays.
pub fn record(
    state: &mut crate::state::State,
    name: &str,
    result: &Result<Verified, Failure>,
    key: Option<crate::state::KeyAge>,
) -> bool {
    let verification = match result {
        Ok(v) => crate::state::Verification {
            time: now_rfc3339(),
            ok: true,
            account: v.identity().map(|id| id.account.clone()),
            arn: v.identity().map(|id| id.arn.clone()),
            learned: matches!(v.learned, Learned::Storage(_)).then(|| v.summary()),
            error: None,
            key,
        },
        Err(Failure::Refused(why)) => crate::state::Verification {
            time: now_rfc3339(),
            ok: false,
            account: None,
            arn: None,
            learned: None,
            error: Some(why.clone()),
            key: None,
        },
        Err(Failure::Unchecked(_)) => return false,
    };
    state.remember_verification(name, verification);
    true
}
