//! What a profile is, judged from its settings as the SDKs would use them.

use serde::Serialize;

use super::{account, service};

/// How a profile gets its credentials, in the SDKs' order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Assumes a role (`role_arn`).
    Role,
    /// IAM Identity Center (`sso_session` or `sso_start_url`).
    Sso,
    /// Temporary keys with a session token.
    Session,
    /// Long-term access keys.
    Static,
    /// Access keys for a service other than AWS (S3-compatible storage, a local
    /// emulator), at the profile's `endpoint_url`.
    Endpoint,
    /// `aws login` (AWS CLI 2.32+): a `login_session`, its token in the login cache.
    Login,
    /// An external `credential_process`.
    Process,
    /// Settings only (region, output…), no credentials of its own.
    Other,
}

impl Kind {
    /// Credentials that expire: a session's, a role's, SSO's, `aws login`'s.
    pub fn expires(self) -> bool {
        matches!(self, Kind::Session | Kind::Sso | Kind::Login | Kind::Role)
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Role => "role",
            Kind::Sso => "sso",
            Kind::Session => "session",
            Kind::Static => "static",
            Kind::Endpoint => "endpoint",
            Kind::Login => "login",
            Kind::Process => "process",
            Kind::Other => "other",
        }
    }
}

pub const ACCESS_KEY_ID: &str = "aws_access_key_id";
pub const SECRET_ACCESS_KEY: &str = "aws_secret_access_key";
pub const SESSION_TOKEN: &str = "aws_session_token";
pub const LOGIN_SESSION: &str = "login_session";
pub const REGION: &str = "region";
pub const OUTPUT: &str = "output";
pub const ROLE_ARN: &str = "role_arn";
pub const SOURCE_PROFILE: &str = "source_profile";
pub const ENDPOINT_URL: &str = "endpoint_url";

/// The keys the AWS CLI keeps in the credentials file; everything else goes to config.
pub const CREDENTIAL_KEYS: &[&str] = &[ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN];

/// The settings that decide where a profile's credentials come from. Two profiles with
/// the same values for these hold the same credentials.
pub const CREDENTIAL_SOURCE_KEYS: &[&str] = &[
    ACCESS_KEY_ID,
    SECRET_ACCESS_KEY,
    SESSION_TOKEN,
    ROLE_ARN,
    SOURCE_PROFILE,
    "credential_source",
    "role_session_name",
    "external_id",
    "mfa_serial",
    "web_identity_token_file",
    "sso_session",
    "sso_start_url",
    "sso_region",
    "sso_account_id",
    "sso_role_name",
    "credential_process",
];

pub fn is_credential_key(key: &str) -> bool {
    CREDENTIAL_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
}

/// The settings that say what a profile is and which account it works in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Traits<'a> {
    pub access_key_id: Option<&'a str>,
    pub session_token: Option<&'a str>,
    pub role_arn: Option<&'a str>,
    pub sso_session: Option<&'a str>,
    pub sso_start_url: Option<&'a str>,
    pub sso_account_id: Option<&'a str>,
    pub credential_process: Option<&'a str>,
    pub endpoint_url: Option<&'a str>,
    pub login_session: Option<&'a str>,
    /// The secret is in the OS keyring: `credential_process` is credwiz's own, and
    /// `access_key_id` is the key ID it names (see [`super::keyring`]).
    pub keyring: bool,
}

impl<'a> Traits<'a> {
    /// The keys of [`Traits::from_values`], in its order.
    pub const KEYS: [&'static str; 9] = [
        ACCESS_KEY_ID,
        SESSION_TOKEN,
        ROLE_ARN,
        "sso_session",
        "sso_start_url",
        "sso_account_id",
        "credential_process",
        ENDPOINT_URL,
        LOGIN_SESSION,
    ];

    /// From the values of [`Traits::KEYS`], looked up together.
    pub fn from_values(values: [Option<&'a str>; 9]) -> Traits<'a> {
        let [
            access_key_id,
            session_token,
            role_arn,
            sso_session,
            sso_start_url,
            sso_account_id,
            credential_process,
            endpoint_url,
            login_session,
        ] = values;
        Traits {
            access_key_id,
            session_token,
            role_arn,
            sso_session,
            sso_start_url,
            sso_account_id,
            credential_process,
            endpoint_url,
            login_session,
            keyring: false,
        }
        .with_keyring_key()
    }

    /// A profile whose only key is credwiz's `credential_process` line holds that key.
    fn with_keyring_key(self) -> Traits<'a> {
        if self.access_key_id.is_some_and(|k| !k.is_empty()) {
            return self;
        }
        let Some(command) = self.credential_process else {
            return self;
        };
        let Some(found) = super::keyring::reference(command) else {
            return self;
        };
        // The ID is alphanumeric, so it is in the line as written.
        let Some(at) = command.rfind(&*found.key_id) else {
            return self;
        };
        Traits {
            access_key_id: Some(&command[at..at + found.key_id.len()]),
            keyring: true,
            ..self
        }
    }

    pub fn from_get(get: impl Fn(&str) -> Option<&'a str>) -> Traits<'a> {
        Traits::from_values(Traits::KEYS.map(get))
    }

    pub fn kind(&self) -> Kind {
        let has = |value: Option<&str>| value.is_some_and(|v| !v.is_empty());
        if has(self.role_arn) {
            Kind::Role
        } else if has(self.sso_session) || has(self.sso_start_url) {
            Kind::Sso
        } else if has(self.access_key_id) && self.service().is_some() {
            Kind::Endpoint
        } else if has(self.access_key_id)
            && (has(self.session_token) || (self.keyring && self.is_temporary_key()))
        {
            Kind::Session
        } else if has(self.access_key_id) {
            Kind::Static
        } else if has(self.login_session) {
            // botocore: after the credentials file's keys, before credential_process.
            Kind::Login
        } else if has(self.credential_process) {
            Kind::Process
        } else {
            Kind::Other
        }
    }

    /// An `ASIA` key: temporary, with a session token (in the keyring for a keyring
    /// profile).
    pub fn is_temporary_key(&self) -> bool {
        self.access_key_id.is_some_and(|k| k.starts_with("ASIA"))
    }

    /// The service other than AWS the profile's `endpoint_url` is for, if it is.
    pub fn service(&self) -> Option<&'static service::Preset> {
        self.endpoint_url
            .filter(|url| !url.is_empty())
            .and_then(service::recognise)
    }

    /// Decoded from the key, else taken from the role or SSO settings. None for another
    /// service's keys, which hold no AWS account.
    pub fn account_id(&self) -> Option<String> {
        if self.kind() == Kind::Endpoint {
            return None;
        }
        self.access_key_id
            .and_then(account::account_id_from_key_id)
            .or_else(|| self.role_arn.and_then(account::account_id_from_arn))
            .or_else(|| {
                self.sso_account_id
                    .filter(|a| account::is_account_id(a))
                    .map(str::to_string)
            })
    }
}

pub fn kind<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Kind {
    Traits::from_get(get).kind()
}

/// The account a profile works in: decoded from its key, else from its role or SSO settings.
pub fn account_id<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Option<String> {
    Traits::from_get(get).account_id()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&'static str, &'static str)]) -> HashMap<&'static str, &'static str> {
        pairs.iter().copied().collect()
    }

    fn kind_of(pairs: &[(&'static str, &'static str)]) -> Kind {
        let s = settings(pairs);
        kind(|k| s.get(k).copied())
    }

    #[test]
    fn kinds_follow_sdk_precedence() {
        assert_eq!(
            kind_of(&[("role_arn", "arn"), ("aws_access_key_id", "AKIA")]),
            Kind::Role
        );
        assert_eq!(kind_of(&[("sso_session", "s")]), Kind::Sso);
        assert_eq!(
            kind_of(&[("aws_access_key_id", "A"), ("aws_session_token", "T")]),
            Kind::Session
        );
        assert_eq!(kind_of(&[("aws_access_key_id", "A")]), Kind::Static);
        let r2 = ("endpoint_url", "https://abc.r2.cloudflarestorage.com");
        assert_eq!(kind_of(&[("aws_access_key_id", "A"), r2]), Kind::Endpoint);
        let aws = ("endpoint_url", "https://s3.eu-west-1.amazonaws.com");
        assert_eq!(kind_of(&[("aws_access_key_id", "A"), aws]), Kind::Static);
        assert_eq!(kind_of(&[r2]), Kind::Other);
        assert_eq!(kind_of(&[("credential_process", "x")]), Kind::Process);
        assert_eq!(kind_of(&[("region", "x")]), Kind::Other);
    }

    #[test]
    fn account_comes_from_key_then_role_then_sso() {
        let key = settings(&[("aws_access_key_id", "ASIAY34FZKBOKMUTVV7A")]);
        assert_eq!(
            account_id(|k| key.get(k).copied()).as_deref(),
            Some("609629065308")
        );
        let role = settings(&[("role_arn", "arn:aws:iam::123456789012:role/x")]);
        assert_eq!(
            account_id(|k| role.get(k).copied()).as_deref(),
            Some("123456789012")
        );
        let sso = settings(&[("sso_account_id", "111122223333")]);
        assert_eq!(
            account_id(|k| sso.get(k).copied()).as_deref(),
            Some("111122223333")
        );
        let old = settings(&[("aws_access_key_id", "AKIAIOSFODNN7EXAMPLE")]);
        assert_eq!(account_id(|k| old.get(k).copied()), None);
        let elsewhere = settings(&[
            ("aws_access_key_id", "ASIAY34FZKBOKMUTVV7A"),
            ("endpoint_url", "http://localhost:4566"),
        ]);
        assert_eq!(account_id(|k| elsewhere.get(k).copied()), None);
    }
}
