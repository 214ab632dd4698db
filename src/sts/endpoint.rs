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
}

impl Api {
    /// As in messages: "STS", "S3".
    pub fn label(self) -> &'static str {
        match self {
            Api::Sts => "STS",
            Api::S3 => "S3",
        }
    }

    /// The service name in a signature's scope, in `[services]` blocks and in the
    /// `AWS_ENDPOINT_URL_<SERVICE>` variable (upper case).
    pub fn service(self) -> &'static str {
        match self {
            Api::Sts => "sts",
            Api::S3 => "s3",
        }
    }

    pub(crate) fn never_redirects(self) -> &'static str {
        match self {
            Api::Sts => "STS never redirects",
            Api::S3 => "S3's ListBuckets never redirects",
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
}

impl Services {
    fn block(&self, api: Api) -> Option<&str> {
        match api {
            Api::Sts => self.sts.as_deref(),
            Api::S3 => self.s3.as_deref(),
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
    let api = api_for(profile);
    let region = profile("region")
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| DEFAULT_REGION.to_string());
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
        let (api_variable, api_source) = match api {
            Api::Sts => ("AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_STS"),
            Api::S3 => ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_S3"),
        };
        let configured = [
            (set(env(api_variable)), api_source),
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
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    Endpoint {
        url: format!("https://{}.{region}.{suffix}", api.service()),
        region,
        source: if ignore {
            "the regional endpoint (configured endpoint URLs are ignored)"
        } else {
            "the regional endpoint"
        },
        api,
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
        }
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
