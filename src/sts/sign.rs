//! SigV4 signing of one request, with the official `aws-sigv4` signer.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings, UriPathNormalizationMode,
    sign,
};
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

/// S3 wants the payload's hash in `x-amz-content-sha256` (it refuses a request without
/// it) and its paths signed as sent, not normalised; other services take the defaults.
fn settings_for(service: &str) -> SigningSettings {
    let mut settings = SigningSettings::default();
    if service == "s3" {
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
    }
    settings
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
        .settings(settings_for(service))
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

    fn authorization(headers: &[(String, String)]) -> &str {
        headers
            .iter()
            .find(|(k, _)| k == "authorization")
            .map(|(_, v)| v.as_str())
            .unwrap()
    }

    /// AWS's S3 documentation, "Signature Calculations for the Authorization Header:
    /// Transferring Payload in a Single Chunk", example "GET Object" (botocore's
    /// `S3SigV4Auth` computes the same signature).
    #[test]
    fn matches_the_published_s3_get_object_example() {
        let keys = Keys {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret: Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            token: None,
        };
        // 2013-05-24T00:00:00Z
        let time = UNIX_EPOCH + Duration::from_secs(1_369_353_600);
        let scope = Scope {
            region: "us-east-1",
            service: "s3",
            time,
        };
        let request = Unsigned {
            method: "GET",
            url: "https://examplebucket.s3.amazonaws.com/test.txt",
            headers: &[("range", "bytes=0-9")],
            body: b"",
        };
        let headers = signed_headers(&keys, &scope, &request).unwrap();
        assert_eq!(
            authorization(&headers),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
        let sha = headers
            .iter()
            .find(|(k, _)| k == "x-amz-content-sha256")
            .map(|(_, v)| v.as_str());
        assert_eq!(
            sha,
            Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            "the hash of the empty body, sent as S3 requires"
        );
    }

    /// R2 signs with the region `auto`: it is the signature's scope as written.
    #[test]
    fn the_region_is_signed_as_given() {
        let keys = Keys {
            access_key_id: "0123456789abcdef0123456789abcdef".into(),
            secret: Secret::new("x".repeat(64)),
            token: None,
        };
        let scope = Scope {
            region: "auto",
            service: "s3",
            time: UNIX_EPOCH + Duration::from_secs(1_369_353_600),
        };
        let request = Unsigned {
            method: "GET",
            url: "https://abc.r2.cloudflarestorage.com/",
            headers: &[],
            body: b"",
        };
        let headers = signed_headers(&keys, &scope, &request).unwrap();
        assert!(
            authorization(&headers).contains(
                "Credential=0123456789abcdef0123456789abcdef/20130524/auto/s3/aws4_request"
            ),
            "{}",
            authorization(&headers)
        );
    }

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
        assert_eq!(
            authorization(&headers),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
    }
}
