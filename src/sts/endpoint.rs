//! Which STS endpoint and region to call, resolved as the AWS SDKs resolve them, and
//! whether a URL would cross the network unencrypted.

/// Where to send `GetCallerIdentity`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub url: String,
    pub region: String,
    /// Where the URL came from, for messages ("AWS_ENDPOINT_URL_STS", "regional default"…).
    pub source: &'static str,
}

pub const DEFAULT_REGION: &str = "us-east-1";

/// `profile` reads the profile's settings; `services_sts` is the `sts` entry of the
/// profile's `[services NAME]` section (a sub-property block such as
/// `"\nendpoint_url = https://…"`), when it has one.
pub fn resolve(
    env: &dyn Fn(&str) -> Option<String>,
    profile: &dyn Fn(&str) -> Option<String>,
    services_sts: Option<&str>,
) -> Endpoint {
    let region = profile("region")
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| DEFAULT_REGION.to_string());
    let set = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
    let ignore = set(env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))
        .or_else(|| set(profile("ignore_configured_endpoint_urls")))
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    if !ignore {
        let from_services = services_sts.and_then(|block| {
            block.lines().find_map(|line| {
                let (key, value) = line.split_once('=')?;
                (key.trim() == "endpoint_url").then(|| value.trim().to_string())
            })
        });
        let configured = [
            (set(env("AWS_ENDPOINT_URL_STS")), "AWS_ENDPOINT_URL_STS"),
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
            };
        }
    }
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    Endpoint {
        url: format!("https://sts.{region}.{suffix}"),
        region,
        source: "the regional endpoint",
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
        services: Option<&str>,
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
        let services = Some("\nendpoint_url = http://services:1\n");
        let all_env = [
            ("AWS_ENDPOINT_URL_STS", "http://sts-env:1"),
            ("AWS_ENDPOINT_URL", "http://env:1"),
        ];
        let profile = [("endpoint_url", "http://profile:1")];
        assert_eq!(
            resolve_with(&all_env, &profile, services).url,
            "http://sts-env:1"
        );
        assert_eq!(
            resolve_with(&all_env[1..], &profile, services).url,
            "http://env:1"
        );
        assert_eq!(
            resolve_with(&[], &profile, services).url,
            "http://services:1"
        );
        let e = resolve_with(&[], &profile, None);
        assert_eq!(
            (e.url.as_str(), e.source),
            ("http://profile:1", "the profile's endpoint_url")
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
            ("endpoint_url", "http://p:1"),
            ("ignore_configured_endpoint_urls", "true"),
        ];
        assert_eq!(
            resolve_with(&[], &profile, None).url,
            "https://sts.us-east-1.amazonaws.com"
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
