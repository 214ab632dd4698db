//! S3 `ListBuckets` (`GET /`): the check for keys of an S3-compatible service or a local
//! emulator, which have no STS. Reads the answer's XML with a real XML reader (services
//! differ in namespaces, whitespace and extra elements) and says what S3's error codes
//! mean for the keys.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::Failure;
use super::endpoint::Endpoint;
use super::sign::Keys;
use super::transport::{self, Answer};
use crate::domain::service;

/// What ListBuckets showed about the keys, and at which service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Storage {
    /// The service as people know it: a preset's name ("R2", "MinIO"), else
    /// "the service at HOST".
    pub service: String,
    pub buckets: Buckets,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Buckets {
    /// The service listed the buckets the keys can see.
    Listed(Listing),
    /// The service knew the keys and checked their signature, but would not let them
    /// list buckets (`AccessDenied`): keys limited to some buckets, such as an R2 API
    /// token for one bucket, get this answer and still work for their buckets.
    NotAllowed { message: String },
}

/// What a `ListAllMyBucketsResult` says (the bucket names are not kept: a count is all
/// a check needs to show).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub count: usize,
    /// The owner's display name, else its ID, when the service gives one.
    pub owner: Option<String>,
    /// The answer holds a continuation token: there are more buckets than counted.
    pub more: bool,
}

impl Storage {
    /// One line, never a secret: "R2: 3 buckets, owner abc".
    pub fn summary(&self) -> String {
        match &self.buckets {
            Buckets::Listed(listing) => {
                let owner = listing
                    .owner
                    .as_ref()
                    .map(|o| format!(", owner {o}"))
                    .unwrap_or_default();
                format!("{}: {}{owner}", self.service, listing.count_said())
            }
            Buckets::NotAllowed { .. } => format!(
                "{} knows the keys, but they may not list buckets (AccessDenied)",
                self.service
            ),
        }
    }
}

impl Listing {
    /// "no buckets", "1 bucket", "3 buckets", "1000+ buckets".
    pub fn count_said(&self) -> String {
        let more = if self.more { "+" } else { "" };
        match (self.count, self.more) {
            (0, false) => "no buckets".into(),
            (1, false) => "1 bucket".into(),
            (n, _) => format!("{n}{more} buckets"),
        }
    }
}

/// The service an endpoint is for, as people know it.
fn service_name(endpoint: &Endpoint, host: &str) -> String {
    match service::recognise(&endpoint.url) {
        Some(preset) if preset != service::other() => preset.name.to_string(),
        None => "AWS S3".into(),
        Some(_) => format!("the service at {host}"),
    }
}

/// Lists the buckets with `keys` at `endpoint`, signed for S3 in the endpoint's region.
pub(crate) fn list_buckets(
    keys: &Keys,
    endpoint: &Endpoint,
) -> Result<(Storage, std::time::Duration), Failure> {
    let request = transport::Request {
        method: "GET",
        path: "/",
        headers: &[],
        body: b"",
        service: "s3",
    };
    let answer = transport::send(keys, endpoint, &request)?;
    let service = service_name(endpoint, &answer.host);
    let took = answer.took;
    let buckets = buckets(&answer, endpoint, &service)?;
    Ok((Storage { service, buckets }, took))
}

/// What the answer says about the keys.
fn buckets(answer: &Answer, endpoint: &Endpoint, service: &str) -> Result<Buckets, Failure> {
    let Answer {
        status,
        text,
        host,
        via,
        ..
    } = answer;
    let source = endpoint.source;
    if answer.is_success() {
        return listing(text).map(Buckets::Listed).ok_or_else(|| {
            Failure::Unchecked(format!(
                "{host}{via} answered HTTP {status}, but not with a list of buckets as S3 does (is the endpoint right? it came from {source})"
            ))
        });
    }
    match error(text) {
        Some(S3Error { code, message }) => explain(&code, &message, service, endpoint),
        None => Err(Failure::Unchecked(format!(
            "{host}{via} answered HTTP {status} without an S3 error (is the endpoint right? it came from {source})"
        ))),
    }
}

/// An S3 error response: `<Error><Code>…</Code><Message>…</Message>…</Error>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct S3Error {
    pub code: String,
    pub message: String,
}

/// Reads the document's elements as (path of local names, text) pairs, in order; the
/// path of an element with no text has an empty text. `None` when it is not XML.
pub(crate) fn elements(xml: &str) -> Option<Vec<(Vec<String>, String)>> {
    let mut reader = Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut found = Vec::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => {
                path.push(e.local_name().as_ref().to_string());
                found.push((path.clone(), String::new()));
            }
            Event::Empty(e) => {
                let mut empty = path.clone();
                empty.push(e.local_name().as_ref().to_string());
                found.push((empty, String::new()));
            }
            Event::Text(t) => append(&mut found, &path, &t.into_inner()),
            Event::GeneralRef(r) => {
                let text = match r.resolve_char_ref().ok()? {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::unescape(&format!("&{};", r.into_inner()))
                        .ok()?
                        .into_owned(),
                };
                append(&mut found, &path, &text);
            }
            Event::End(_) => {
                path.pop()?;
            }
            Event::Eof => return (path.is_empty() && !found.is_empty()).then_some(found),
            _ => {}
        }
    }
}

/// Adds `text` to the element at `path` when it is the one open (text after a child
/// element is not the parent's value).
fn append(found: &mut [(Vec<String>, String)], path: &[String], text: &str) {
    if let Some((at, value)) = found.last_mut()
        && at == path
    {
        value.push_str(text);
    }
}

/// The buckets of a `ListAllMyBucketsResult`; `None` for any other document.
pub(crate) fn listing(xml: &str) -> Option<Listing> {
    const ROOT: &str = "ListAllMyBucketsResult";
    let elements = elements(xml)?;
    if elements.first()?.0.first()? != ROOT {
        return None;
    }
    let count = texts_at(&elements, &[ROOT, "Buckets", "Bucket"]).count();
    let owner_field = |field: &str| {
        texts_at(&elements, &[ROOT, "Owner", field])
            .find(|text| !text.is_empty())
            .map(str::to_string)
    };
    let more = texts_at(&elements, &[ROOT, "ContinuationToken"]).any(|t| !t.is_empty());
    Some(Listing {
        count,
        owner: owner_field("DisplayName").or_else(|| owner_field("ID")),
        more,
    })
}

/// The texts of the elements at `path` (local names from the root), trimmed.
fn texts_at<'a>(
    elements: &'a [(Vec<String>, String)],
    path: &'a [&'a str],
) -> impl Iterator<Item = &'a str> + 'a {
    elements
        .iter()
        .filter(move |(at, _)| at.iter().map(String::as_str).eq(path.iter().copied()))
        .map(|(_, text)| text.trim())
}

/// The code and message of an S3 error answer; `None` when it is not one.
pub(crate) fn error(xml: &str) -> Option<S3Error> {
    let elements = elements(xml)?;
    let field = |name: &str| {
        elements
            .iter()
            .find(|(path, _)| {
                path.len() >= 2 && path[path.len() - 2] == "Error" && path[path.len() - 1] == name
            })
            .map(|(_, text)| text.trim().to_string())
    };
    let code = field("Code").filter(|code| !code.is_empty())?;
    Some(S3Error {
        code,
        message: field("Message").unwrap_or_default(),
    })
}

/// An S3 error code in people's words, and whether it is a verdict on the keys. Only
/// answers that say the key is unknown or the signature wrong are: anything else
/// (a clock, a wrong region, a busy or unusual service) says nothing against them.
pub(crate) fn explain(
    code: &str,
    message: &str,
    service: &str,
    endpoint: &Endpoint,
) -> Result<Buckets, Failure> {
    let said = if message.is_empty() {
        code.to_string()
    } else {
        format!("{code}: {message}")
    };
    Err(match code {
        "InvalidAccessKeyId" => Failure::Refused(format!(
            "{service} does not know this access key ID: it may be mistyped, deleted or inactive, or belong to another account or endpoint (the endpoint came from {})",
            endpoint.source
        )),
        "SignatureDoesNotMatch" => Failure::Refused(format!(
            "{service} says the secret access key does not match the access key ID: paste the secret again (services show it only once, when the key is created)"
        )),
        "RequestTimeTooSkewed" => Failure::Unchecked(
            "the request's time is too far from the service's: this computer's clock is off; correct the time and try again"
                .into(),
        ),
        "ExpiredToken" | "TokenRefreshRequired" => Failure::Refused(
            "these temporary credentials have expired: get new ones (and their session token)"
                .into(),
        ),
        "InvalidToken" => Failure::Refused(
            "the session token is not valid for these keys: copy the keys and their token again"
                .into(),
        ),
        "AuthorizationHeaderMalformed" | "AuthorizationQueryParametersError" => {
            Failure::Unchecked(format!(
                "{service} did not accept how the request was signed, most often the region (credwiz signed for `{}`, the profile's region or us-east-1): set the region the service expects ({said})",
                endpoint.region
            ))
        }
        "AccessDenied" if authenticates_first(endpoint) => {
            return Ok(Buckets::NotAllowed {
                message: message.to_string(),
            });
        }
        "AccessDenied" => Failure::Unchecked(format!(
            "{service} answered AccessDenied to ListBuckets ({message}): keys limited to some buckets get this answer, but some services give it to unknown keys too, so it says nothing either way; try the keys on one of their buckets (aws s3 ls s3://BUCKET)"
        )),
        "SlowDown" | "ServiceUnavailable" | "InternalError" | "Throttling" => {
            Failure::Unchecked(format!(
                "{service} is busy or failing right now ({said}): try again in a moment"
            ))
        }
        _ => Failure::Unchecked(format!("{service} answered {said}")),
    })
}

/// Whether the service is known to check a key and its signature before its
/// permissions, as S3 does, so that `AccessDenied` means the keys are good. True of AWS
/// and the presets credwiz knows (R2, MinIO, B2, Wasabi, Spaces, LocalStack); not
/// known of any other service (Garage, for one, answers AccessDenied to an unknown key).
fn authenticates_first(endpoint: &Endpoint) -> bool {
    service::recognise(&endpoint.url).is_none_or(|preset| preset != service::other())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sts::endpoint::Api;

    fn endpoint(url: &str) -> Endpoint {
        Endpoint {
            url: url.into(),
            region: "auto".into(),
            source: "the profile's endpoint_url",
            api: Api::S3,
        }
    }

    #[test]
    fn reads_aws_s3s_listing() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Owner><ID>79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be</ID><DisplayName>alice &amp; co</DisplayName></Owner>
  <Buckets>
    <Bucket><Name>one</Name><CreationDate>2019-12-11T23:32:47+00:00</CreationDate></Bucket>
    <Bucket><Name>two</Name><CreationDate>2019-11-10T23:32:13+00:00</CreationDate></Bucket>
  </Buckets>
</ListAllMyBucketsResult>"#;
        let listing = listing(xml).unwrap();
        assert_eq!(
            listing,
            Listing {
                count: 2,
                owner: Some("alice & co".into()),
                more: false
            }
        );
        assert_eq!(listing.count_said(), "2 buckets");
    }

    /// moto's and MinIO's shapes: no namespace prefix issues, an owner with only an ID
    /// or an empty display name, no buckets, a self-closing `<Buckets/>`.
    #[test]
    fn reads_other_services_listings() {
        let moto = "<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01\"><Owner><ID>bcaf1ffd86f41161ca5fb16fd081034f</ID><DisplayName>webfile</DisplayName></Owner><Buckets><Bucket><Name>b</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>";
        assert_eq!(listing(moto).unwrap().count_said(), "1 bucket");
        let minio = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>02d6176db174dc93cb1b899f7c6078f08654445fe8cf1b6ce98d8855f66bdbf4</ID><DisplayName></DisplayName></Owner><Buckets/></ListAllMyBucketsResult>";
        let minio = listing(minio).unwrap();
        assert_eq!(minio.count_said(), "no buckets");
        assert_eq!(
            minio.owner.as_deref(),
            Some("02d6176db174dc93cb1b899f7c6078f08654445fe8cf1b6ce98d8855f66bdbf4")
        );
        let prefixed = "<s3:ListAllMyBucketsResult xmlns:s3=\"http://s3.amazonaws.com/doc/2006-03-01/\"><s3:Buckets><s3:Bucket><s3:Name>a</s3:Name></s3:Bucket></s3:Buckets><s3:ContinuationToken>abc</s3:ContinuationToken></s3:ListAllMyBucketsResult>";
        let prefixed = listing(prefixed).unwrap();
        assert_eq!(
            (prefixed.count_said(), prefixed.owner),
            ("1+ buckets".into(), None)
        );
    }

    #[test]
    fn anything_else_is_not_a_listing() {
        for text in [
            "",
            "<html><body>Welcome to nginx</body></html>",
            "<GetCallerIdentityResponse><GetCallerIdentityResult/></GetCallerIdentityResponse>",
            "<Error><Code>AccessDenied</Code></Error>",
            "<ListAllMyBucketsResult><Buckets>",
            "{\"buckets\": []}",
        ] {
            assert_eq!(listing(text), None, "{text}");
        }
    }

    #[test]
    fn reads_s3_errors() {
        let aws = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you provided does not exist in our records.</Message><AWSAccessKeyId>AKIAY34FZKBOKMUTVV7A</AWSAccessKeyId><RequestId>4442587FB7D0A2F9</RequestId></Error>"#;
        assert_eq!(
            error(aws),
            Some(S3Error {
                code: "InvalidAccessKeyId".into(),
                message: "The AWS Access Key Id you provided does not exist in our records.".into()
            })
        );
        // STS's wrapped shape is read too; an empty code or no code is no error.
        let wrapped = "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>x &lt; y</Message></Error></ErrorResponse>";
        assert_eq!(error(wrapped).unwrap().message, "x < y");
        assert_eq!(error("<Error><Code/><Message>m</Message></Error>"), None);
        assert_eq!(error("<Error><Message>m</Message></Error>"), None);
        assert_eq!(error("<html>403 Forbidden</html>"), None);
        assert_eq!(error("<Code>X</Code>"), None, "a Code outside an Error");
    }

    #[test]
    fn only_an_unknown_key_or_a_wrong_signature_is_a_verdict() {
        let r2 = endpoint("https://abc.r2.cloudflarestorage.com");
        let refused = |code| matches!(explain(code, "m", "R2", &r2), Err(Failure::Refused(_)));
        for code in [
            "InvalidAccessKeyId",
            "SignatureDoesNotMatch",
            "ExpiredToken",
        ] {
            assert!(refused(code), "{code}");
        }
        for code in [
            "RequestTimeTooSkewed",
            "AuthorizationHeaderMalformed",
            "SlowDown",
            "InternalError",
            "NotImplemented",
            "InvalidArgument",
            "AllAccessDisabled",
        ] {
            assert!(
                matches!(explain(code, "m", "R2", &r2), Err(Failure::Unchecked(_))),
                "{code}"
            );
        }
        let Err(Failure::Unchecked(region)) = explain(
            "AuthorizationHeaderMalformed",
            "the region is wrong",
            "R2",
            &r2,
        ) else {
            panic!()
        };
        assert!(region.contains("signed for `auto`"), "{region}");
    }

    /// An R2 token scoped to one bucket gets AccessDenied on ListBuckets while its keys
    /// are good; a service credwiz does not know may say AccessDenied to unknown keys.
    #[test]
    fn access_denied_is_no_refusal() {
        let message = "Access Denied";
        for url in [
            "https://abc.r2.cloudflarestorage.com",
            "https://s3.eu-west-1.amazonaws.com",
            "http://localhost:9000",
        ] {
            assert_eq!(
                explain("AccessDenied", message, "R2", &endpoint(url)),
                Ok(Buckets::NotAllowed {
                    message: message.into()
                }),
                "{url}"
            );
        }
        let other = explain(
            "AccessDenied",
            "Forbidden: No such key",
            "the service at garage.example.org",
            &endpoint("https://garage.example.org"),
        );
        assert!(
            matches!(&other, Err(Failure::Unchecked(why)) if why.contains("says nothing either way") && why.contains("No such key")),
            "{other:?}"
        );
    }

    #[test]
    fn summaries_say_what_was_learned() {
        let storage = Storage {
            service: "R2".into(),
            buckets: Buckets::Listed(Listing {
                count: 3,
                owner: Some("abc".into()),
                more: false,
            }),
        };
        assert_eq!(storage.summary(), "R2: 3 buckets, owner abc");
        let limited = Storage {
            service: "R2".into(),
            buckets: Buckets::NotAllowed {
                message: "Access Denied".into(),
            },
        };
        assert_eq!(
            limited.summary(),
            "R2 knows the keys, but they may not list buckets (AccessDenied)"
        );
    }
}
