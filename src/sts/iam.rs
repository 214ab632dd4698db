//! IAM's access key calls (`ListAccessKeys`, `CreateAccessKey`, `UpdateAccessKey`,
//! `DeleteAccessKey`, `GetAccessKeyLastUsed`, `ListMFADevices`) and STS `GetSessionToken`,
//! for a rotation: signed Query-API requests through the same transport as `verify` (no
//! redirect followed, nothing in the clear off this machine, bounded time), answers read
//! with a real XML reader, errors in people's words. Knows no UI.
//!
//! A new key's secret goes from the answer straight into a [`Secret`]; the answer's text
//! is wiped.

use zeroize::Zeroize;

use super::Failure;
use super::endpoint::Endpoint;
use super::s3::elements;
use super::sign::Keys;
use super::transport;
use crate::domain::secret::Secret;

const IAM_VERSION: &str = "2010-05-08";
const STS_VERSION: &str = "2011-06-15";
const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// The IAM permissions a rotation needs on the user's own ARN.
pub const PERMISSIONS: [&str; 5] = [
    "iam:ListAccessKeys",
    "iam:CreateAccessKey",
    "iam:UpdateAccessKey",
    "iam:DeleteAccessKey",
    "iam:GetAccessKeyLastUsed",
];

/// The IAM user whose keys are rotated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub arn: String,
}

impl User {
    /// The user an IAM user's ARN names (`arn:aws:iam::123:user/path/alice` → `alice`);
    /// `None` for any other ARN (root, an assumed role, a federated user).
    pub fn from_arn(arn: &str) -> Option<User> {
        let (_, resource) = arn.split_once(":user/")?;
        if !arn.starts_with("arn:") || !arn.contains(":iam::") {
            return None;
        }
        let name = resource.rsplit('/').next().filter(|n| !n.is_empty())?;
        Some(User {
            name: name.to_string(),
            arn: arn.to_string(),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Active,
    Inactive,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Active => "Active",
            Status::Inactive => "Inactive",
        }
    }
}

/// One of the user's access keys, as `ListAccessKeys` lists it. Never a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessKey {
    pub id: String,
    pub status: Status,
    /// As IAM wrote it (ISO 8601).
    pub created: String,
}

/// A key `CreateAccessKey` just made. `Debug` is redacted through `Secret`.
#[derive(Debug, Clone)]
pub struct NewKey {
    pub id: String,
    pub secret: Secret,
}

/// When and where a key was last used (`GetAccessKeyLastUsed`): `None` when never.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LastUsed {
    pub date: Option<String>,
    pub service: Option<String>,
    pub region: Option<String>,
}

impl LastUsed {
    /// "never", "2026-11-30T10:00:00Z (s3, eu-west-1)".
    pub fn said(&self) -> String {
        match &self.date {
            None => "never".into(),
            Some(date) => {
                let known = |v: &Option<String>| v.clone().filter(|v| v != "N/A" && !v.is_empty());
                let place: Vec<String> = [known(&self.service), known(&self.region)]
                    .into_iter()
                    .flatten()
                    .collect();
                if place.is_empty() {
                    date.clone()
                } else {
                    format!("{date} ({})", place.join(", "))
                }
            }
        }
    }
}

/// Why an IAM or STS call did not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// The service answered no: `code` is its error code, `said` the whole story.
    Refused { code: String, said: String },
    /// An explicit deny for credentials without MFA: the common "force MFA" policy.
    /// Retried with `GetSessionToken` credentials.
    MfaRequired(String),
    /// No verdict: the network, a proxy, throttling, an answer that is not the service's.
    Unchecked(String),
}

impl CallError {
    pub fn said(&self) -> &str {
        match self {
            CallError::Refused { said, .. }
            | CallError::MfaRequired(said)
            | CallError::Unchecked(said) => said,
        }
    }

    pub fn is(&self, wanted: &str) -> bool {
        matches!(self, CallError::Refused { code, .. } if code == wanted)
    }
}

impl From<Failure> for CallError {
    fn from(failure: Failure) -> CallError {
        match failure {
            Failure::Refused(said) => CallError::Refused {
                code: String::new(),
                said,
            },
            Failure::Unchecked(said) => CallError::Unchecked(said),
        }
    }
}

/// The IAM endpoint and the STS endpoint of a profile, and the user (for messages).
pub struct Client {
    pub iam: Endpoint,
    pub sts: Endpoint,
}

impl Client {
    pub fn list_access_keys(&self, keys: &Keys, user: &User) -> Result<Vec<AccessKey>, CallError> {
        let text = self.iam_call(keys, user, "ListAccessKeys", &[("UserName", &user.name)])?;
        access_keys(&text).ok_or_else(|| self.not_iam())
    }

    pub fn create_access_key(&self, keys: &Keys, user: &User) -> Result<NewKey, CallError> {
        let mut text = self.iam_call(keys, user, "CreateAccessKey", &[("UserName", &user.name)])?;
        let key = new_key(&text);
        let result = key.ok_or_else(|| self.not_iam());
        text.zeroize();
        result
    }

    pub fn update_access_key(
        &self,
        keys: &Keys,
        user: &User,
        id: &str,
        status: Status,
    ) -> Result<(), CallError> {
        let params = [
            ("UserName", user.name.as_str()),
            ("AccessKeyId", id),
            ("Status", status.label()),
        ];
        self.iam_call(keys, user, "UpdateAccessKey", &params)
            .map(drop)
    }

    pub fn delete_access_key(&self, keys: &Keys, user: &User, id: &str) -> Result<(), CallError> {
        let params = [("UserName", user.name.as_str()), ("AccessKeyId", id)];
        self.iam_call(keys, user, "DeleteAccessKey", &params)
            .map(drop)
    }

    pub fn access_key_last_used(
        &self,
        keys: &Keys,
        user: &User,
        id: &str,
    ) -> Result<LastUsed, CallError> {
        let text = self.iam_call(keys, user, "GetAccessKeyLastUsed", &[("AccessKeyId", id)])?;
        last_used(&text).ok_or_else(|| self.not_iam())
    }

    /// The serial numbers (ARNs) of the user's MFA devices.
    pub fn mfa_devices(&self, keys: &Keys, user: &User) -> Result<Vec<String>, CallError> {
        let text = self.iam_call(keys, user, "ListMFADevices", &[("UserName", &user.name)])?;
        mfa_serials(&text).ok_or_else(|| self.not_iam())
    }

    /// STS `GetSessionToken` with an MFA code: keys that carry the MFA, for `seconds`.
    pub fn session_token(
        &self,
        keys: &Keys,
        serial: &str,
        code: &str,
        seconds: u32,
    ) -> Result<Session, CallError> {
        let seconds = seconds.to_string();
        let params = [
            ("SerialNumber", serial),
            ("TokenCode", code),
            ("DurationSeconds", seconds.as_str()),
        ];
        let body = form("GetSessionToken", STS_VERSION, &params);
        let answer = send(keys, &self.sts, &body)?;
        let mut text = answer.text;
        if !(200..300).contains(&answer.status) {
            let error = super::response::error(&text).map(|(code, message)| {
                let said = match code.as_str() {
                    "AccessDenied" if message.contains("MultiFactorAuthentication") => format!(
                        "STS did not accept the MFA code for {serial}: check the code (it changes every 30 s) and the device"
                    ),
                    _ => match super::response::explain(&code, &message) {
                        Failure::Refused(why) => why,
                        // A clock that is off, throttling: no verdict on the code.
                        Failure::Unchecked(why) => return CallError::Unchecked(why),
                    },
                };
                CallError::Refused { code, said }
            });
            text.zeroize();
            return Err(error.unwrap_or_else(|| {
                CallError::Unchecked(format!(
                    "{} answered HTTP {} without an STS error (is the endpoint right? it came from {})",
                    answer.host, answer.status, self.sts.source
                ))
            }));
        }
        let session = session_keys(&text);
        text.zeroize();
        session.ok_or_else(|| {
            CallError::Unchecked(format!(
                "{} answered, but not as STS does (is the endpoint right? it came from {})",
                answer.host, self.sts.source
            ))
        })
    }

    /// Sends `action` with `params` to IAM; the answer's text on success.
    fn iam_call(
        &self,
        keys: &Keys,
        user: &User,
        action: &str,
        params: &[(&str, &str)],
    ) -> Result<String, CallError> {
        let body = form(action, IAM_VERSION, params);
        let answer = send(keys, &self.iam, &body)?;
        if (200..300).contains(&answer.status) {
            return Ok(answer.text);
        }
        let mut text = answer.text;
        let error = super::response::error(&text);
        text.zeroize();
        match error {
            Some((code, message)) => Err(explain(action, &code, &message, user, keys)),
            None => Err(CallError::Unchecked(format!(
                "{}{} answered HTTP {} without an IAM error (is the endpoint right? it came from {})",
                answer.host, answer.via, answer.status, self.iam.source
            ))),
        }
    }

    fn not_iam(&self) -> CallError {
        CallError::Unchecked(format!(
            "{} answered, but not as IAM does (is the endpoint right? it came from {})",
            self.iam.url, self.iam.source
        ))
    }
}

fn send(keys: &Keys, endpoint: &Endpoint, body: &str) -> Result<transport::Answer, CallError> {
    let request = transport::Request {
        method: "POST",
        path: "/",
        headers: &[("content-type", CONTENT_TYPE)],
        body: body.as_bytes(),
        service: endpoint.api.service(),
    };
    Ok(transport::send(keys, endpoint, &request)?)
}

/// A Query-API form body.
fn form(action: &str, version: &str, params: &[(&str, &str)]) -> String {
    let mut body = format!("Action={action}&Version={version}");
    for (name, value) in params {
        body.push('&');
        body.push_str(name);
        body.push('=');
        body.push_str(&encode(value));
    }
    body
}

/// Percent-encodes all but RFC 3986's unreserved characters.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// An IAM error code in people's words.
fn explain(action: &str, code: &str, message: &str, user: &User, keys: &Keys) -> CallError {
    let said = |said: String| CallError::Refused {
        code: code.to_string(),
        said,
    };
    let explicit_deny = message.to_ascii_lowercase().contains("explicit deny");
    match code {
        "AccessDenied" | "AccessDeniedException" if explicit_deny && keys.token.is_none() => {
            CallError::MfaRequired(format!(
                "IAM refused iam:{action} with an explicit deny ({message}); a policy that requires MFA does this to keys used without it"
            ))
        }
        "AccessDenied" | "AccessDeniedException" => said(format!(
            "IAM refused iam:{action} (AccessDenied: {message}).\n  {}",
            permissions_needed(user)
        )),
        "LimitExceeded" | "LimitExceededException" => said(format!(
            "IAM refused iam:{action}: the user `{}` already has the most access keys IAM allows (two, inactive ones included); delete one it does not use (credwiz rotate --delete-other deletes the other key) and try again ({message})",
            user.name
        )),
        "NoSuchEntity" => said(format!("IAM does not know it: {message}")),
        "Throttling" | "ThrottlingException" | "RequestLimitExceeded" => CallError::Unchecked(
            "AWS is throttling requests right now: try again in a moment".into(),
        ),
        "InvalidClientTokenId" | "SignatureDoesNotMatch" | "ExpiredToken" => {
            match super::response::explain(code, message) {
                Failure::Refused(why) => said(why),
                Failure::Unchecked(why) => CallError::Unchecked(why),
            }
        }
        _ => said(format!("IAM answered {code} to iam:{action}: {message}")),
    }
}

/// The permissions a rotation needs, on the user's own ARN, with a policy to attach.
pub fn permissions_needed(user: &User) -> String {
    let actions: Vec<String> = PERMISSIONS.iter().map(|p| format!("\"{p}\"")).collect();
    format!(
        "To rotate its own keys, `{name}` needs {list} on {arn}, for instance with this policy:\n  \
         {{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": [{actions}], \"Resource\": \"{arn}\"}}]}}",
        name = user.name,
        list = PERMISSIONS.join(", "),
        arn = user.arn,
        actions = actions.join(", ")
    )
}

/// The fields of each `member` at `path` (local names from the root, `member` last).
fn members(xml: &str, path: &[&str]) -> Option<Vec<Vec<(String, String)>>> {
    let found = elements(xml)?;
    let mut members: Vec<Vec<(String, String)>> = Vec::new();
    for (at, text) in &found {
        let at: Vec<&str> = at.iter().map(String::as_str).collect();
        if at == path {
            members.push(Vec::new());
        } else if at.len() == path.len() + 1
            && at.starts_with(path)
            && let Some(member) = members.last_mut()
        {
            member.push((at[path.len()].to_string(), text.trim().to_string()));
        }
    }
    Some(members)
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// The keys of a `ListAccessKeys` answer; `None` for any other document.
pub(crate) fn access_keys(xml: &str) -> Option<Vec<AccessKey>> {
    let path = [
        "ListAccessKeysResponse",
        "ListAccessKeysResult",
        "AccessKeyMetadata",
        "member",
    ];
    let found = elements(xml)?;
    if found.first()?.0.first()? != path[0] {
        return None;
    }
    members(xml, &path)?
        .iter()
        .map(|fields| {
            Some(AccessKey {
                id: field(fields, "AccessKeyId")?.to_string(),
                status: match field(fields, "Status")? {
                    "Active" => Status::Active,
                    _ => Status::Inactive,
                },
                created: field(fields, "CreateDate").unwrap_or_default().to_string(),
            })
        })
        .collect()
}

/// The key of a `CreateAccessKey` answer, its secret straight into a [`Secret`].
pub(crate) fn new_key(xml: &str) -> Option<NewKey> {
    let mut found = elements(xml)?;
    let at = |found: &[(Vec<String>, String)], name: &str| {
        found.iter().position(|(path, _)| {
            path.iter().map(String::as_str).eq([
                "CreateAccessKeyResponse",
                "CreateAccessKeyResult",
                "AccessKey",
                name,
            ])
        })
    };
    let key = match (at(&found, "AccessKeyId"), at(&found, "SecretAccessKey")) {
        (Some(id), Some(secret)) => {
            let secret = Secret::new(found[secret].1.trim());
            Some(NewKey {
                id: found[id].1.trim().to_string(),
                secret,
            })
            .filter(|k| !k.id.is_empty() && !k.secret.is_empty())
        }
        _ => None,
    };
    for (_, text) in &mut found {
        text.zeroize();
    }
    key
}

/// What a `GetAccessKeyLastUsed` answer says.
pub(crate) fn last_used(xml: &str) -> Option<LastUsed> {
    let found = elements(xml)?;
    let root = found.first()?.0.first()?;
    if root != "GetAccessKeyLastUsedResponse" {
        return None;
    }
    let get = |name: &str| {
        found
            .iter()
            .find(|(path, _)| {
                path.iter().map(String::as_str).eq([
                    "GetAccessKeyLastUsedResponse",
                    "GetAccessKeyLastUsedResult",
                    "AccessKeyLastUsed",
                    name,
                ])
            })
            .map(|(_, text)| text.trim().to_string())
            .filter(|text| !text.is_empty())
    };
    Some(LastUsed {
        date: get("LastUsedDate"),
        service: get("ServiceName"),
        region: get("Region"),
    })
}

/// The serial numbers of a `ListMFADevices` answer.
pub(crate) fn mfa_serials(xml: &str) -> Option<Vec<String>> {
    let path = [
        "ListMFADevicesResponse",
        "ListMFADevicesResult",
        "MFADevices",
        "member",
    ];
    Some(
        members(xml, &path)?
            .iter()
            .filter_map(|fields| field(fields, "SerialNumber").map(str::to_string))
            .collect(),
    )
}

/// The keys of a `GetSessionToken` answer.
/// Temporary keys from `GetSessionToken`, and when they expire (RFC 3339, as STS said).
#[derive(Debug)]
pub struct Session {
    pub keys: Keys,
    pub expiration: String,
}

pub(crate) fn session_keys(xml: &str) -> Option<Session> {
    let mut found = elements(xml)?;
    let get = |found: &[(Vec<String>, String)], name: &str| {
        found
            .iter()
            .find(|(path, _)| {
                path.iter().map(String::as_str).eq([
                    "GetSessionTokenResponse",
                    "GetSessionTokenResult",
                    "Credentials",
                    name,
                ])
            })
            .map(|(_, text)| text.trim().to_string())
    };
    let keys = match (
        get(&found, "AccessKeyId"),
        get(&found, "SecretAccessKey"),
        get(&found, "SessionToken"),
        get(&found, "Expiration"),
    ) {
        (Some(id), Some(mut secret), Some(mut token), Some(expiration)) => {
            let keys = Keys {
                access_key_id: id,
                secret: Secret::new(secret.as_str()),
                token: Some(Secret::new(token.as_str())),
            };
            secret.zeroize();
            token.zeroize();
            Some(Session { keys, expiration })
        }
        _ => None,
    };
    for (_, text) in &mut found {
        text.zeroize();
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    fn alice() -> User {
        User::from_arn("arn:aws:iam::123456789012:user/division/alice").unwrap()
    }

    fn keys(token: bool) -> Keys {
        Keys {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret: Secret::new(SECRET),
            token: token.then(|| Secret::new("token")),
        }
    }

    #[test]
    fn only_an_iam_users_arn_names_a_user() {
        assert_eq!(alice().name, "alice");
        for arn in [
            "arn:aws:iam::123456789012:root",
            "arn:aws:sts::123456789012:assumed-role/admin/session",
            "arn:aws:sts::123456789012:federated-user/bob",
            "arn:aws:iam::123456789012:user/",
        ] {
            assert_eq!(User::from_arn(arn), None, "{arn}");
        }
    }

    #[test]
    fn reads_list_access_keys() {
        let xml = r#"<ListAccessKeysResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <ListAccessKeysResult>
    <AccessKeyMetadata>
      <member><UserName>alice</UserName><AccessKeyId>AKIAIOSFODNN7EXAMPLE</AccessKeyId><Status>Active</Status><CreateDate>2026-01-02T03:04:05Z</CreateDate></member>
      <member><UserName>alice</UserName><AccessKeyId>AKIAY34FZKBOKMUTVV7A</AccessKeyId><Status>Inactive</Status><CreateDate>2026-02-02T03:04:05Z</CreateDate></member>
    </AccessKeyMetadata>
    <IsTruncated>false</IsTruncated>
  </ListAccessKeysResult>
  <ResponseMetadata><RequestId>x</RequestId></ResponseMetadata>
</ListAccessKeysResponse>"#;
        let keys = access_keys(xml).unwrap();
        assert_eq!(
            keys,
            [
                AccessKey {
                    id: "AKIAIOSFODNN7EXAMPLE".into(),
                    status: Status::Active,
                    created: "2026-01-02T03:04:05Z".into()
                },
                AccessKey {
                    id: "AKIAY34FZKBOKMUTVV7A".into(),
                    status: Status::Inactive,
                    created: "2026-02-02T03:04:05Z".into()
                }
            ]
        );
        let none = "<ListAccessKeysResponse><ListAccessKeysResult><AccessKeyMetadata/></ListAccessKeysResult></ListAccessKeysResponse>";
        assert_eq!(access_keys(none), Some(vec![]));
        assert_eq!(access_keys("<Other/>"), None);
        assert_eq!(access_keys("not xml <"), None);
    }

    #[test]
    fn reads_a_new_key_into_a_secret() {
        let xml = format!(
            "<CreateAccessKeyResponse><CreateAccessKeyResult><AccessKey><UserName>alice</UserName><AccessKeyId>AKIANEWKEY0000000000</AccessKeyId><Status>Active</Status><SecretAccessKey>{SECRET}</SecretAccessKey><CreateDate>2026-12-02T00:00:00Z</CreateDate></AccessKey></CreateAccessKeyResult></CreateAccessKeyResponse>"
        );
        let key = new_key(&xml).unwrap();
        assert_eq!(key.id, "AKIANEWKEY0000000000");
        assert_eq!(key.secret.expose(), SECRET);
        assert!(!format!("{key:?}").contains("EXAMPLEKEY"));
        assert!(new_key("<CreateAccessKeyResponse/>").is_none());
    }

    #[test]
    fn reads_last_used_mfa_devices_and_session_keys() {
        let used = "<GetAccessKeyLastUsedResponse><GetAccessKeyLastUsedResult><UserName>alice</UserName><AccessKeyLastUsed><LastUsedDate>2026-11-30T10:00:00Z</LastUsedDate><ServiceName>s3</ServiceName><Region>eu-west-1</Region></AccessKeyLastUsed></GetAccessKeyLastUsedResult></GetAccessKeyLastUsedResponse>";
        assert_eq!(
            last_used(used).unwrap().said(),
            "2026-11-30T10:00:00Z (s3, eu-west-1)"
        );
        let never = "<GetAccessKeyLastUsedResponse><GetAccessKeyLastUsedResult><AccessKeyLastUsed><ServiceName>N/A</ServiceName><Region>N/A</Region></AccessKeyLastUsed></GetAccessKeyLastUsedResult></GetAccessKeyLastUsedResponse>";
        assert_eq!(last_used(never).unwrap().said(), "never");
        let mfa = "<ListMFADevicesResponse><ListMFADevicesResult><MFADevices><member><UserName>alice</UserName><SerialNumber>arn:aws:iam::123456789012:mfa/alice</SerialNumber></member></MFADevices></ListMFADevicesResult></ListMFADevicesResponse>";
        assert_eq!(
            mfa_serials(mfa).unwrap(),
            ["arn:aws:iam::123456789012:mfa/alice"]
        );
        let session = format!(
            "<GetSessionTokenResponse><GetSessionTokenResult><Credentials><AccessKeyId>ASIAY34FZKBOKMUTVV7A</AccessKeyId><SecretAccessKey>{SECRET}</SecretAccessKey><SessionToken>tok</SessionToken><Expiration>2026-12-02T01:00:00Z</Expiration></Credentials></GetSessionTokenResult></GetSessionTokenResponse>"
        );
        let session = session_keys(&session).unwrap();
        assert_eq!(session.keys.access_key_id, "ASIAY34FZKBOKMUTVV7A");
        assert_eq!(session.keys.token.unwrap().expose(), "tok");
        assert_eq!(session.expiration, "2026-12-02T01:00:00Z");
    }

    #[test]
    fn access_denied_names_the_permissions_on_the_users_arn() {
        let error = explain(
            "CreateAccessKey",
            "AccessDenied",
            "User: arn:aws:iam::123456789012:user/division/alice is not authorized to perform: iam:CreateAccessKey on resource: user alice because no identity-based policy allows the iam:CreateAccessKey action",
            &alice(),
            &keys(false),
        );
        let said = error.said();
        assert!(matches!(error, CallError::Refused { .. }), "{error:?}");
        for permission in PERMISSIONS {
            assert!(said.contains(permission), "{said}");
        }
        assert!(
            said.contains("\"Resource\": \"arn:aws:iam::123456789012:user/division/alice\""),
            "{said}"
        );
        assert!(said.contains("IAM refused iam:CreateAccessKey"), "{said}");
    }

    #[test]
    fn an_explicit_deny_without_mfa_asks_for_mfa() {
        let message = "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListAccessKeys on resource: user alice with an explicit deny in an identity-based policy";
        let error = explain(
            "ListAccessKeys",
            "AccessDenied",
            message,
            &alice(),
            &keys(false),
        );
        assert!(matches!(error, CallError::MfaRequired(_)), "{error:?}");
        // With session credentials (MFA already given) it is a plain refusal.
        let error = explain(
            "ListAccessKeys",
            "AccessDenied",
            message,
            &alice(),
            &keys(true),
        );
        assert!(matches!(error, CallError::Refused { .. }), "{error:?}");
    }

    #[test]
    fn limits_throttling_and_unknown_keys_in_peoples_words() {
        let limit = explain(
            "CreateAccessKey",
            "LimitExceeded",
            "Cannot exceed quota for AccessKeysPerUser: 2",
            &alice(),
            &keys(false),
        );
        assert!(limit.is("LimitExceeded"));
        assert!(
            limit.said().contains("two, inactive ones included"),
            "{limit:?}"
        );
        let throttled = explain(
            "ListAccessKeys",
            "Throttling",
            "Rate exceeded",
            &alice(),
            &keys(false),
        );
        assert!(matches!(&throttled, CallError::Unchecked(s) if s.contains("throttling")));
        let unknown = explain(
            "ListAccessKeys",
            "InvalidClientTokenId",
            "",
            &alice(),
            &keys(false),
        );
        assert!(
            unknown.said().contains("does not know this access key ID"),
            "{unknown:?}"
        );
    }

    #[test]
    fn form_values_are_percent_encoded() {
        assert_eq!(
            form("X", "1", &[("UserName", "a+b@c/d e")]),
            "Action=X&Version=1&UserName=a%2Bb%40c%2Fd%20e"
        );
    }
}
