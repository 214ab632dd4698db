//! Which endpoint, region and API a check calls, resolved as the AWS SDKs resolve them,
//! and whether a URL would cross the network unencrypted.
//!
//! AWS keys are checked with STS; keys for another service (a profile whose
//! `endpoint_url` is not AWS's, see [`crate::domain::service::recognise`]) with S3, which
//! those services have and STS they have not.

use crate::domain::service;

/// Which call checks the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// STS `GetCallerIdentity`: AWS's keys.
    Sts,
    /// S3 `ListBuckets`: keys for an S3-compatible service or a local emulator.
    S3,
    /// IAM's access key calls, for a rotation: one global endpoint per partition.
    Iam,
}

impl Api {
    /// As in messages: "STS", "S3".
    pub fn label(self) -> &'static str {
        match self {
            Api::Sts => "STS",
            Api::S3 => "S3",
            Api::Iam => "IAM",
        }
    }

    /// The service name in a signature's scope, in `[services]` blocks and in the
    /// `AWS_ENDPOINT_URL_<SERVICE>` variable (upper case).
    pub fn service(self) -> &'static str {
        match self {
            Api::Sts => "sts",
            Api::S3 => "s3",
            Api::Iam => "iam",
        }
    }

    pub(crate) fn never_redirects(self) -> &'static str {
        match self {
            Api::Sts => "STS never redirects",
            Api::S3 => "S3's ListBuckets never redirects",
            Api::Iam => "IAM never redirects",
        }
    }
}

/// Where to send the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub url: String,
    pub region: String,
    /// Where the URL came from, for messages ("AWS_ENDPOINT_URL_STS", "regional default"…).
    pub source: &'static str,
    pub api: Api,
}

pub const DEFAULT_REGION: &str = "us-east-1";

/// The sub-property blocks of the `[services NAME]` section a profile names (`services =
/// NAME`), such as `"\nendpoint_url = https://…"`, for the APIs credwiz calls.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Services {
    pub sts: Option<String>,
    pub s3: Option<String>,
    pub iam: Option<String>,
}

impl Services {
    fn block(&self, api: Api) -> Option<&str> {
        match api {
            Api::Sts => self.sts.as_deref(),
            Api::S3 => self.s3.as_deref(),
            Api::Iam => self.iam.as_deref(),
        }
    }
}

/// Which API checks a profile with these settings: S3 when its `endpoint_url` is
/// another service's, else STS.
pub fn api_for(profile: &dyn Fn(&str) -> Option<String>) -> Api {
    let other_service = profile(crate::domain::profile::ENDPOINT_URL)
        .filter(|url| !url.trim().is_empty())
        .and_then(|url| service::recognise(&url))
        .is_some();
    if other_service { Api::S3 } else { Api::Sts }
}

/// `profile` reads the profile's settings; `services` is the `[services NAME]` section the
/// profile names, when it has one. The API follows [`api_for`]; the endpoint is the
/// first of `AWS_ENDPOINT_URL_<API>`, `AWS_ENDPOINT_URL`, the services block, the
/// profile's `endpoint_url` (unless configured endpoints are ignored), else AWS's
/// regional endpoint.
pub fn resolve(
    env: &dyn Fn(&str) -> Option<String>,
    profile: &dyn Fn(&str) -> Option<String>,
    services: Option<&Services>,
) -> Endpoint {
    resolve_for(api_for(profile), env, profile, services)
}

/// Like [`resolve`], for a given API. IAM has one endpoint per partition (the
/// profile's region says which) and is always signed for the partition's region, even
/// at a configured endpoint, as the SDKs sign it.
pub fn resolve_for(
    api: Api,
    env: &dyn Fn(&str) -> Option<String>,
    profile: &dyn Fn(&str) -> Option<String>,
    services: Option<&Services>,
) -> Endpoint {
    let region = profile("region")
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| DEFAULT_REGION.to_string());
    let (default_url, region) = match api {
        Api::Iam => {
            let partition = Partition::of(&region);
            (
                partition.iam_url.to_string(),
                partition.iam_region.to_string(),
            )
        }
        Api::Sts | Api::S3 => {
            let suffix = Partition::of(&region).suffix;
            (
                format!("https://{}.{region}.{suffix}", api.service()),
                region,
            )
        }
    };
    let set = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
    let ignore = set(env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))
        .or_else(|| set(profile("ignore_configured_endpoint_urls")))
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    if !ignore {
        let from_services = services.and_then(|s| s.block(api)).and_then(|block| {
            block.lines().find_map(|line| {
                let (key, value) = line.split_once('=')?;
                (key.trim() == "endpoint_url").then(|| value.trim().to_string())
            })
        });
        let api_variable = match api {
            Api::Sts => "AWS_ENDPOINT_URL_STS",
            Api::S3 => "AWS_ENDPOINT_URL_S3",
            Api::Iam => "AWS_ENDPOINT_URL_IAM",
        };
        let configured = [
            (set(env(api_variable)), api_variable),
            (set(env("AWS_ENDPOINT_URL")), "AWS_ENDPOINT_URL"),
            (set(from_services), "the profile's [services] section"),
            (set(profile("endpoint_url")), "the profile's endpoint_url"),
        ];
        if let Some((url, source)) = configured
            .into_iter()
            .find_map(|(url, source)| Some((url?, source)))
        {
            return Endpoint {
                url: url.trim().trim_end_matches('/').to_string(),
                region,
                source,
                api,
            };
        }
    }
    let (plain, ignored) = match api {
        Api::Iam => (
            "the partition's IAM endpoint",
            "the partition's IAM endpoint (configured endpoint URLs are ignored)",
        ),
        Api::Sts | Api::S3 => (
            "the regional endpoint",
            "the regional endpoint (configured endpoint URLs are ignored)",
        ),
    };
    Endpoint {
        url: default_url,
        region,
        source: if ignore { ignored } else { plain },
        api,
    }
}

/// An AWS partition, as far as endpoints go: told by the region's prefix.
struct Partition {
    suffix: &'static str,
    iam_url: &'static str,
    /// The region IAM's requests are signed for.
    iam_region: &'static str,
}

impl Partition {
    fn of(region: &str) -> Partition {
        if region.starts_with("cn-") {
            Partition {
                suffix: "amazonaws.com.cn",
                iam_url: "https://iam.cn-north-1.amazonaws.com.cn",
                iam_region: "cn-north-1",
            }
        } else if region.starts_with("us-gov-") {
            Partition {
                suffix: "amazonaws.com",
                iam_url: "https://iam.us-gov.amazonaws.com",
                iam_region: "us-gov-west-1",
            }
        } else {
            Partition {
                suffix: "amazonaws.com",
                iam_url: "https://iam.amazonaws.com",
                iam_region: "us-east-1",
            }
        }
    }
}

pub use crate::domain::service::is_loopback_host as is_loopback;

/// Whether `url` is plain `http://` (unencrypted).
pub fn is_plain_http(url: &str) -> bool {
    url.trim()
        .get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
}

/// Whether requests to `url` would cross the network unencrypted: `http://` to a host
/// that is not this machine's loopback (plain `http://` there serves local emulators).
/// The host is read as ureq reads it; a `http://` URL that does not parse counts.
pub fn unencrypted_off_machine(url: &str) -> bool {
    let host = url.trim().parse::<ureq::http::Uri>().ok();
    let host = host.as_ref().and_then(ureq::http::Uri::host);
    is_plain_http(url) && !host.is_some_and(is_loopback)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn resolve_with(
        env: &[(&str, &str)],
        profile: &[(&str, &str)],
        services: Option<&Services>,
    ) -> Endpoint {
        let env: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let profile: HashMap<String, String> = profile
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        resolve(
            &|k| env.get(k).cloned(),
            &|k| profile.get(k).cloned(),
            services,
        )
    }

    fn services(sts: &str, s3: &str) -> Services {
        Services {
            sts: Some(format!("\nendpoint_url = {sts}\n")),
            s3: Some(format!("\nregion = x\nendpoint_url = {s3}\n")),
            iam: Some("\nendpoint_url = http://iam-services:1\n".into()),
        }
    }

    fn resolve_iam(env: &[(&str, &str)], profile: &[(&str, &str)]) -> Endpoint {
        let env: HashMap<&str, &str> = env.iter().copied().collect();
        let profile: HashMap<&str, &str> = profile.iter().copied().collect();
        resolve_for(
            Api::Iam,
            &|k| env.get(k).map(|v| v.to_string()),
            &|k| profile.get(k).map(|v| v.to_string()),
            Some(&services("http://sts-services:1", "http://s3-services:1")),
        )
    }

    #[test]
    fn iam_is_global_per_partition_and_signed_for_its_region() {
        let partitions = [
            (None, "https://iam.amazonaws.com", "us-east-1"),
            (Some("eu-west-3"), "https://iam.amazonaws.com", "us-east-1"),
            (
                Some("cn-northwest-1"),
                "https://iam.cn-north-1.amazonaws.com.cn",
                "cn-north-1",
            ),
            (
                Some("us-gov-east-1"),
                "https://iam.us-gov.amazonaws.com",
                "us-gov-west-1",
            ),
        ];
        for (region, url, signing) in partitions {
            let profile: Vec<(&str, &str)> = region.map(|r| ("region", r)).into_iter().collect();
            let profile = [
                profile.as_slice(),
                &[("ignore_configured_endpoint_urls", "true")],
            ]
            .concat();
            let e = resolve_iam(&[], &profile);
            assert_eq!(
                (e.url.as_str(), e.region.as_str(), e.api),
                (url, signing, Api::Iam),
                "{region:?}"
            );
        }
    }

    #[test]
    fn iam_endpoints_configured_in_sdk_precedence() {
        let all_env = [
            ("AWS_ENDPOINT_URL_STS", "http://sts-env:1"),
            ("AWS_ENDPOINT_URL_IAM", "http://iam-env:1/"),
            ("AWS_ENDPOINT_URL", "http://env:1"),
        ];
        let profile = [
            ("endpoint_url", "http://profile:1"),
            ("region", "eu-west-1"),
        ];
        let e = resolve_iam(&all_env, &profile);
        assert_eq!(
            (e.url.as_str(), e.source, e.region.as_str()),
            ("http://iam-env:1", "AWS_ENDPOINT_URL_IAM", "us-east-1")
        );
        assert_eq!(resolve_iam(&all_env[2..], &profile).url, "http://env:1");
        assert_eq!(
            resolve_iam(&all_env[..1], &profile).url,
            "http://iam-services:1",
            "AWS_ENDPOINT_URL_STS is not IAM's"
        );
    }

    const R2: (&str, &str) = ("endpoint_url", "https://abc.r2.cloudflarestorage.com");

    #[test]
    fn regional_endpoint_from_the_profile_region_else_us_east_1() {
        assert_eq!(
            resolve_with(&[], &[], None).url,
            "https://sts.us-east-1.amazonaws.com"
        );
        assert_eq!(
            resolve_with(&[], &[("region", "eu-west-2")], None).url,
            "https://sts.eu-west-2.amazonaws.com"
        );
        assert_eq!(
            resolve_with(&[], &[("region", "cn-north-1")], None).url,
            "https://sts.cn-north-1.amazonaws.com.cn"
        );
    }

    #[test]
    fn configured_endpoints_in_sdk_precedence() {
        let services = services("http://services:1", "http://s3-services:1");
        let all_env = [
            ("AWS_ENDPOINT_URL_S3", "http://s3-env:1"),
            ("AWS_ENDPOINT_URL_STS", "http://sts-env:1"),
            ("AWS_ENDPOINT_URL", "http://env:1"),
        ];
        // An AWS endpoint in the profile: its keys are AWS's, checked with STS.
        let profile = [("endpoint_url", "https://sts.eu-west-1.amazonaws.com")];
        let url = |env: &[(&str, &str)], services: Option<&Services>| {
            let e = resolve_with(env, &profile, services);
            assert_eq!(e.api, Api::Sts);
            e.url
        };
        assert_eq!(url(&all_env, Some(&services)), "http://sts-env:1");
        assert_eq!(url(&all_env[2..], Some(&services)), "http://env:1");
        assert_eq!(url(&[], Some(&services)), "http://services:1");
        let e = resolve_with(&[], &profile, None);
        assert_eq!(
            (e.url.as_str(), e.source),
            (
                "https://sts.eu-west-1.amazonaws.com",
                "the profile's endpoint_url"
            )
        );
    }

    /// Another service's `endpoint_url` makes it an S3 check, resolved as the SDKs
    /// resolve S3's endpoint: `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, the `s3` block of
    /// `[services]`, the profile's `endpoint_url`.
    #[test]
    fn another_services_endpoint_is_checked_with_s3_in_sdk_precedence() {
        let services = services("http://sts-services:1", "http://s3-services:1");
        let all_env = [
            ("AWS_ENDPOINT_URL_STS", "http://sts-env:1"),
            ("AWS_ENDPOINT_URL_S3", "http://s3-env:1"),
            ("AWS_ENDPOINT_URL", "http://env:1"),
        ];
        let profile = [R2, ("region", "auto")];
        let resolved = |env: &[(&str, &str)], services: Option<&Services>| {
            let e = resolve_with(env, &profile, services);
            assert_eq!((e.api, e.region.as_str()), (Api::S3, "auto"));
            (e.url, e.source)
        };
        assert_eq!(
            resolved(&all_env, Some(&services)),
            ("http://s3-env:1".into(), "AWS_ENDPOINT_URL_S3")
        );
        assert_eq!(
            resolved(&all_env[2..], Some(&services)),
            ("http://env:1".into(), "AWS_ENDPOINT_URL")
        );
        assert_eq!(
            resolved(&all_env[..1], Some(&services)),
            (
                "http://s3-services:1".into(),
                "the profile's [services] section"
            ),
            "AWS_ENDPOINT_URL_STS is not S3's"
        );
        assert_eq!(
            resolved(&[], None),
            (
                "https://abc.r2.cloudflarestorage.com".into(),
                "the profile's endpoint_url"
            )
        );
        let local = resolve_with(&[], &[("endpoint_url", "http://localhost:4566/")], None);
        assert_eq!(
            (local.api, local.url.as_str(), local.region.as_str()),
            (Api::S3, "http://localhost:4566", "us-east-1")
        );
    }

    #[test]
    fn configured_endpoints_can_be_ignored() {
        let env = [
            ("AWS_ENDPOINT_URL_STS", "http://x:1"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
        ];
        assert_eq!(
            resolve_with(&env, &[], None).url,
            "https://sts.us-east-1.amazonaws.com"
        );
        let profile = [
            ("endpoint_url", "https://sts.eu-west-1.amazonaws.com"),
            ("ignore_configured_endpoint_urls", "true"),
        ];
        assert_eq!(
            resolve_with(&[], &profile, None).url,
            "https://sts.us-east-1.amazonaws.com"
        );
        // As the SDKs would: S3's own regional endpoint, where these keys mean nothing;
        // the message names where the endpoint came from.
        let profile = [R2, ("ignore_configured_endpoint_urls", "true")];
        let e = resolve_with(&[], &profile, None);
        assert_eq!(
            (e.api, e.url.as_str(), e.source),
            (
                Api::S3,
                "https://s3.us-east-1.amazonaws.com",
                "the regional endpoint (configured endpoint URLs are ignored)"
            )
        );
    }

    #[test]
    fn plain_http_is_unencrypted_unless_to_loopback() {
        for url in [
            "http://192.0.2.1/",
            "http://sts.example.com",
            "HTTP://sts.example.com:80/",
            "http://127.0.0.1@evil.example/",
            "http://localhost.evil.example",
            "http://[::2]:80",
            "http://0.0.0.0:4566",
            "http://not a url",
        ] {
            assert!(unencrypted_off_machine(url), "{url}");
        }
        for url in [
            "https://sts.us-east-1.amazonaws.com",
            "https://192.0.2.1",
            "http://localhost:4566",
            "http://LOCALHOST",
            "http://127.0.0.1:5000/",
            "http://127.8.9.10",
            "http://[::1]:4566",
            "http://user@127.0.0.1:1/",
        ] {
            assert!(!unencrypted_off_machine(url), "{url}");
        }
    }
}
