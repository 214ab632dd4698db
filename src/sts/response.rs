//! Reading STS's XML answers with a real XML reader, and saying what errors mean.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::Failure;

/// Who the keys belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub account: String,
    pub arn: String,
    pub user_id: String,
}

impl Identity {
    /// Root user keys: `arn:aws:iam::<account>:root`.
    pub fn is_root(&self) -> bool {
        self.arn.ends_with(":root")
    }
}

/// The text of the first element named `name` anywhere in the document.
fn element(xml: &str, name: &str) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    let mut inside = false;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => inside = e.local_name().as_ref() == name,
            Event::Text(t) if inside => {
                let raw = t.into_inner();
                let text = quick_xml::escape::unescape(&raw).ok()?;
                return Some(text.trim().to_string());
            }
            Event::End(_) => inside = false,
            Event::Eof => return None,
            _ => {}
        }
    }
}

pub fn identity(xml: &str) -> Option<Identity> {
    Some(Identity {
        account: element(xml, "Account")?,
        arn: element(xml, "Arn")?,
        user_id: element(xml, "UserId")?,
    })
}

/// (code, message) of an STS error response.
pub fn error(xml: &str) -> Option<(String, String)> {
    Some((
        element(xml, "Code")?,
        element(xml, "Message").unwrap_or_default(),
    ))
}

/// An STS error code in people's words (what it means and what to do), and whether it
/// is a verdict on the keys or only says the check could not be made.
pub fn explain(code: &str, message: &str) -> Failure {
    match code {
        "InvalidClientTokenId" => Failure::Refused(
            "AWS does not know this access key ID: it may be mistyped, deleted or \
             inactive, or it belongs to AWS China or GovCloud and was checked against the wrong \
             partition (set the profile's region to one of theirs)"
                .into(),
        ),
        "SignatureDoesNotMatch" if message.to_ascii_lowercase().contains("expired") => {
            Failure::Unchecked(
                "the request's signature expired before AWS saw it: this computer's clock is \
                 off; correct the time and try again"
                    .into(),
            )
        }
        "SignatureDoesNotMatch" => Failure::Refused(
            "the secret access key does not match the access key ID: paste the secret again \
             (it is shown only once, when the key is created)"
                .into(),
        ),
        "ExpiredToken" | "ExpiredTokenException" => Failure::Refused(
            "these temporary credentials have expired: get new ones (and their session token)"
                .into(),
        ),
        "Throttling" | "ThrottlingException" | "RequestLimitExceeded" => {
            Failure::Unchecked("AWS is throttling requests right now: try again in a moment".into())
        }
        "AccessDenied" => Failure::Refused(format!("access denied: {message}")),
        _ => Failure::Unchecked(format!("AWS answered {code}: {message}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_identity() {
        let xml = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/alice</Arn>
    <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>"#;
        let id = identity(xml).unwrap();
        assert_eq!(id.account, "123456789012");
        assert_eq!(id.user_id, "AIDACKCEVSQ6C2EXAMPLE");
        assert!(!id.is_root());
    }

    #[test]
    fn reads_errors_and_explains_them() {
        let xml = r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>Signature expired: 20261122T000000Z is now earlier than 20261122T001500Z</Message></Error><RequestId>x</RequestId></ErrorResponse>"#;
        let (code, message) = error(xml).unwrap();
        assert_eq!(code, "SignatureDoesNotMatch");
        let clock = explain(&code, &message);
        assert!(
            matches!(&clock, Failure::Unchecked(why) if why.contains("clock")),
            "{clock:?}"
        );
        let secret = explain(
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match",
        );
        assert!(
            matches!(&secret, Failure::Refused(why) if why.contains("secret access key does not match")),
            "{secret:?}"
        );
        let unknown = explain("InvalidClientTokenId", "");
        assert!(
            matches!(&unknown, Failure::Refused(why) if why.contains("China or GovCloud")),
            "{unknown:?}"
        );
    }

    #[test]
    fn only_answers_about_the_keys_are_verdicts() {
        for code in [
            "Throttling",
            "ThrottlingException",
            "RequestLimitExceeded",
            "OptInRequired",
        ] {
            assert!(
                matches!(explain(code, "x"), Failure::Unchecked(_)),
                "{code}"
            );
        }
        for code in [
            "InvalidClientTokenId",
            "SignatureDoesNotMatch",
            "ExpiredToken",
            "AccessDenied",
        ] {
            assert!(matches!(explain(code, "x"), Failure::Refused(_)), "{code}");
        }
    }
}
