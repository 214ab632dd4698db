//! SigV4 signing of one request, with the official `aws-sigv4` signer.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

use crate::domain::secret::Secret;

/// The keys to sign with. `Debug` is redacted through `Secret`.
#[derive(Debug, Clone)]
pub struct Keys {
    pub access_key_id: String,
    pub secret: Secret,
    pub token: Option<Secret>,
}

/// Where and when a signature is valid.
pub struct Scope<'a> {
    pub region: &'a str,
    pub service: &'a str,
    pub time: SystemTime,
}

/// The request to sign.
pub struct Unsigned<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: &'a [u8],
}

/// The headers that sign `request` with `keys` in `scope`.
pub fn signed_headers(
    keys: &Keys,
    scope: &Scope,
    request: &Unsigned,
) -> Result<Vec<(String, String)>, String> {
    let Scope {
        region,
        service,
        time,
    } = *scope;
    let Unsigned {
        method,
        url,
        headers,
        body,
    } = *request;
    let identity: Identity = Credentials::new(
        keys.access_key_id.clone(),
        keys.secret.expose().to_string(),
        keys.token.as_ref().map(|t| t.expose().to_string()),
        None,
        "credwiz",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| format!("cannot sign the request: {e}"))?
        .into();
    let request = SignableRequest::new(
        method,
        url,
        headers.iter().copied(),
        SignableBody::Bytes(body),
    )
    .map_err(|e| format!("cannot sign the request: {e}"))?;
    let (instructions, _) = sign(request, &params)
        .map_err(|e| format!("cannot sign the request: {e}"))?
        .into_parts();
    Ok(instructions
        .headers()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    /// AWS's published SigV4 test suite, case `get-vanilla`.
    #[test]
    fn matches_the_published_get_vanilla_vector() {
        let keys = Keys {
            access_key_id: "AKIDEXAMPLE".into(),
            secret: Secret::new("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            token: None,
        };
        // 2015-08-30T12:36:00Z
        let time = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        let scope = Scope {
            region: "us-east-1",
            service: "service",
            time,
        };
        let request = Unsigned {
            method: "GET",
            url: "https://example.amazonaws.com/",
            headers: &[],
            body: b"",
        };
        let headers = signed_headers(&keys, &scope, &request).unwrap();
        let authorization = headers
            .iter()
            .find(|(k, _)| k == "authorization")
            .map(|(_, v)| v.as_str())
            .unwrap();
        assert_eq!(
            authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
    }
}
