//! Keys for services other than AWS: S3-compatible storage (Cloudflare R2, MinIO,
//! Backblaze B2, Wasabi, DigitalOcean Spaces) and local emulators (LocalStack, moto),
//! kept in the same files as a profile with an `endpoint_url`.
//!
//! A profile records no preset: which service it is for is recognised from its endpoint
//! URL, so a profile written by hand or by another tool is recognised the same way.

use super::validate::Invalid;

/// A service credwiz knows how to set up.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    /// Short, for the picker's kind column and `list --json`'s `service`.
    pub name: &'static str,
    /// The service's full name: "Cloudflare R2".
    pub label: &'static str,
    /// What it is, for the wizard's choice: "local emulator of AWS".
    pub about: &'static str,
    /// The endpoint URL, with `{region}` standing for the region and `<…>` for what only
    /// the user knows (such as `<account id>`).
    pub endpoint: &'static str,
    /// The region to sign with, when the service has a usual one.
    pub region: Option<&'static str>,
    /// The one region the service signs with whatever the endpoint (R2: `auto`).
    pub only_region: Option<&'static str>,
    /// Key ID and secret the service accepts from anyone (an emulator's convention).
    pub keys: Option<(&'static str, &'static str)>,
    /// Where the user gets the keys.
    pub keys_from: &'static str,
    /// The usual shape of the provider's keys: a hint, never a rule.
    pub key_shape: Option<KeyShape>,
    /// Recognises the preset's endpoint host (lower case, without the port) and port.
    recognise: fn(host: &str, port: Option<u16>) -> bool,
}

/// Presets are told apart by name.
impl PartialEq for Preset {
    fn eq(&self, other: &Preset) -> bool {
        self.name == other.name
    }
}

impl Eq for Preset {}

/// The usual lengths and alphabet of a provider's key ID and secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyShape {
    pub key_id_len: usize,
    pub secret_len: usize,
    pub hex: bool,
}

/// The presets, in the order the wizard offers them (after AWS itself). The last one,
/// "other", takes any endpoint.
pub const PRESETS: &[Preset] = &[
    Preset {
        name: "LocalStack",
        label: "LocalStack",
        about: "a local emulator of AWS",
        endpoint: "http://localhost:4566",
        region: Some("us-east-1"),
        only_region: None,
        keys: Some(("test", "test")),
        keys_from: "LocalStack accepts any keys; `test` and `test` are its convention",
        key_shape: None,
        recognise: |host, port| is_loopback_host(host) && port == Some(4566),
    },
    Preset {
        name: "MinIO",
        label: "MinIO",
        about: "self-hosted S3-compatible storage",
        endpoint: "http://localhost:9000",
        region: Some("us-east-1"),
        only_region: None,
        keys: None,
        keys_from: "the MinIO console → Access Keys → Create access key (a fresh server's root user is minioadmin / minioadmin)",
        key_shape: None,
        recognise: |host, port| is_loopback_host(host) && port == Some(9000),
    },
    Preset {
        name: "R2",
        label: "Cloudflare R2",
        about: "S3-compatible object storage",
        endpoint: "https://<account id>.r2.cloudflarestorage.com",
        region: Some("auto"),
        only_region: Some("auto"),
        keys: None,
        keys_from: "the Cloudflare dashboard → R2 → Manage R2 API Tokens → Create API token; the account ID is on the R2 overview page",
        key_shape: Some(KeyShape {
            key_id_len: 32,
            secret_len: 64,
            hex: true,
        }),
        recognise: |host, _| host.ends_with(".r2.cloudflarestorage.com"),
    },
    Preset {
        name: "B2",
        label: "Backblaze B2",
        about: "S3-compatible cloud storage",
        endpoint: "https://s3.{region}.backblazeb2.com",
        region: Some("us-west-004"),
        only_region: None,
        keys: None,
        keys_from: "the Backblaze web console → Application Keys → Add a New Application Key (keyID and applicationKey); the bucket's page shows its endpoint",
        key_shape: Some(KeyShape {
            key_id_len: 25,
            secret_len: 31,
            hex: false,
        }),
        recognise: |host, _| host.ends_with(".backblazeb2.com"),
    },
    Preset {
        name: "Wasabi",
        label: "Wasabi",
        about: "S3-compatible cloud storage",
        endpoint: "https://s3.{region}.wasabisys.com",
        region: Some("us-east-1"),
        only_region: None,
        keys: None,
        keys_from: "the Wasabi console → Access Keys → Create Access Key",
        key_shape: Some(KeyShape {
            key_id_len: 20,
            secret_len: 40,
            hex: false,
        }),
        recognise: |host, _| host == "s3.wasabisys.com" || host.ends_with(".wasabisys.com"),
    },
    Preset {
        name: "Spaces",
        label: "DigitalOcean Spaces",
        about: "S3-compatible object storage",
        endpoint: "https://{region}.digitaloceanspaces.com",
        region: Some("nyc3"),
        only_region: None,
        keys: None,
        keys_from: "the DigitalOcean control panel → Spaces Object Storage → Access Keys → Create Access Key",
        key_shape: Some(KeyShape {
            key_id_len: 20,
            secret_len: 43,
            hex: false,
        }),
        recognise: |host, _| host.ends_with(".digitaloceanspaces.com"),
    },
    Preset {
        name: "other",
        label: "another S3-compatible service",
        about: "any endpoint URL",
        endpoint: "https://",
        region: None,
        only_region: None,
        keys: None,
        keys_from: "the service's console or documentation",
        key_shape: None,
        recognise: |_, _| false,
    },
];

/// The preset for any endpoint none of the others recognises.
pub fn other() -> &'static Preset {
    PRESETS.last().expect("the presets end with `other`")
}

impl Preset {
    pub fn find(name: &str) -> Option<&'static Preset> {
        PRESETS.iter().find(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// The endpoint for `region`: `{region}` filled in. `<…>` parts stay for the user.
    pub fn endpoint_for(&self, region: &str) -> String {
        self.endpoint.replace("{region}", region)
    }

    /// The region an endpoint of this service implies: read from the host where the
    /// template has `{region}` (B2's `s3.us-west-002.backblazeb2.com`), else the service's
    /// only one (R2's `auto`). `None` when the endpoint does not say.
    pub fn region_of(&self, endpoint_url: &str) -> Option<String> {
        let Some((prefix, suffix)) = self.endpoint.split_once("{region}") else {
            return self.only_region.map(str::to_string);
        };
        let url = endpoint_url
            .trim()
            .trim_end_matches('/')
            .to_ascii_lowercase();
        let region = url.strip_prefix(prefix)?.strip_suffix(suffix)?;
        let one_label = !region.is_empty() && !region.contains(['.', '/', ':', '<']);
        one_label.then(|| region.to_string())
    }

    /// A caution when the key ID does not have the provider's usual shape.
    pub fn key_id_hint(&self, key_id: &str) -> Option<String> {
        let shape = self.key_shape?;
        shape_hint(
            self.name,
            "access key ID",
            key_id,
            shape.key_id_len,
            shape.hex,
        )
    }

    /// A caution when the secret does not have the provider's usual shape; never quotes it.
    pub fn secret_hint(&self, secret: &str) -> Option<String> {
        let shape = self.key_shape?;
        shape_hint(self.name, "secret", secret, shape.secret_len, shape.hex)
    }
}

fn shape_hint(service: &str, what: &str, value: &str, len: usize, hex: bool) -> Option<String> {
    let count = value.chars().count();
    let hex_ok = !hex || value.chars().all(|c| c.is_ascii_hexdigit());
    if count == len && hex_ok {
        return None;
    }
    let alphabet = if hex { " hexadecimal" } else { "" };
    Some(format!(
        "{service} {what}s are usually {len}{alphabet} characters; this one has {count}{}: check it was copied whole",
        if hex_ok { "" } else { ", not all hexadecimal" }
    ))
}

/// Which service an endpoint URL is for: a preset, or `other`. `None` for AWS's own
/// endpoints (a FIPS or dual-stack endpoint is still AWS).
pub fn recognise(endpoint_url: &str) -> Option<&'static Preset> {
    let (host, port) = host_and_port(endpoint_url)?;
    if is_aws_host(&host) {
        return None;
    }
    Some(
        PRESETS
            .iter()
            .find(|p| (p.recognise)(&host, port))
            .unwrap_or_else(other),
    )
}

/// Whether `host` is one of AWS's: `*.amazonaws.com`, `*.amazonaws.com.cn`, `*.api.aws`.
pub fn is_aws_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    ["amazonaws.com", "amazonaws.com.cn", "api.aws"]
        .iter()
        .any(|suffix| host == *suffix || host.ends_with(&format!(".{suffix}")))
}

/// Whether `host` (as in a URL, IPv6 in brackets or not) is this machine's loopback:
/// `localhost`, 127.0.0.0/8 or `::1`.
pub fn is_loopback_host(host: &str) -> bool {
    let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']'));
    let host = bare.unwrap_or(host);
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The host (lower case, IPv6 in brackets) and port of `scheme://host[:port][/path]`.
/// Without a scheme (a hand-written `minio.example.com`, which no reader can use) the
/// host is still read, when it is one.
pub fn host_and_port(url: &str) -> Option<(String, Option<u16>)> {
    let url = url.trim();
    let (rest, schemeless) = match url.split_once("://") {
        Some((_, rest)) => (rest, false),
        None => (url, true),
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port))
            if !port.contains(']') && (!host.contains(':') || host.ends_with(']')) =>
        {
            (host, Some(port.parse().ok()?))
        }
        _ => (authority, None),
    };
    let readable = !host.is_empty() && (!schemeless || host_is_well_formed(host));
    readable.then(|| (host.to_ascii_lowercase(), port))
}

/// The host an endpoint URL names, for showing: `abc.r2.cloudflarestorage.com`,
/// `localhost:4566`.
pub fn shown_host(endpoint_url: &str) -> Option<String> {
    let (host, port) = host_and_port(endpoint_url)?;
    Some(match port {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

/// An endpoint URL credwiz writes: `https://host[:port][/path]`, or `http://` to this
/// machine only (an emulator). Returns the URL without a trailing `/`.
pub fn endpoint_url(url: &str) -> Result<&str, Invalid> {
    let refuse = |message: String| Err(Invalid(message));
    if url.is_empty() {
        return refuse(
            "enter the service's endpoint URL, for example https://s3.example.com".into(),
        );
    }
    if let Some(start) = url.find('<') {
        let placeholder = url[start..].split_inclusive('>').next().unwrap_or("<…>");
        return refuse(format!(
            "replace {placeholder} in the endpoint URL with yours"
        ));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return refuse("an endpoint URL has no spaces or line breaks".into());
    }
    let lower = url.to_ascii_lowercase();
    let plain = lower.starts_with("http://");
    if !plain && !lower.starts_with("https://") {
        let local = host_and_port(url).is_some_and(|(host, _)| is_loopback_host(&host));
        let suggestion = match (url.contains("://"), local) {
            (true, _) => String::new(),
            (false, true) => format!(" (http://{url}?)"),
            (false, false) => format!(" (https://{url}?)"),
        };
        return refuse(format!("an endpoint URL starts with https://{suggestion}"));
    }
    let authority = url
        .split_once("://")
        .map_or("", |(_, rest)| rest.split('/').next().unwrap_or(""));
    if authority.contains('@') {
        return refuse(
            "the endpoint URL holds a user name or password (before @): leave them out, the keys sign the requests".into(),
        );
    }
    if url.contains(['?', '#']) {
        return refuse("an endpoint URL has no ?query or #fragment".into());
    }
    let Some((host, _)) = host_and_port(url) else {
        return refuse(
            "the endpoint URL has no host, or its :port is not a number from 1 to 65535".into(),
        );
    };
    if host == "[" || !host_is_well_formed(&host) {
        return refuse(format!(
            "`{host}` is not a host name: letters, digits, - and . (or an IP address)"
        ));
    }
    if plain && !is_loopback_host(&host) {
        return refuse(format!(
            "plain http:// would send the requests to {host} unencrypted: use https:// (http:// is only for an emulator on this machine: localhost, 127.0.0.1, ::1)"
        ));
    }
    Ok(url.trim_end_matches('/'))
}

fn host_is_well_formed(host: &str) -> bool {
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return v6.parse::<std::net::Ipv6Addr>().is_ok();
    }
    host.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

/// A key ID or secret for a service other than AWS: any non-empty printable value
/// without whitespace. `what` names the field; the message never repeats the value.
pub fn service_key(what: &str, value: &str) -> Result<(), Invalid> {
    if value.is_empty() {
        return Err(Invalid(format!("enter the {what}")));
    }
    if let Some(pos) = value
        .chars()
        .position(|c| c.is_whitespace() || c.is_control())
    {
        return Err(Invalid(format!(
            "the {what} has a space or an invisible character at position {}: keys have none",
            pos + 1
        )));
    }
    Ok(())
}

/// A region for a service other than AWS: free-form (`auto`, `nyc3`, `garage`), one word.
pub fn service_region(region: &str) -> Result<(), Invalid> {
    if region.is_empty() {
        return Err(Invalid(
            "enter the region the service signs with (`us-east-1` when it does not say)".into(),
        ));
    }
    if region
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '#' | ';'))
    {
        return Err(Invalid("a region is one word: no spaces, # or ;".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_recognised_by_host() {
        let name = |url| recognise(url).map(|p| p.name);
        assert_eq!(name("http://localhost:4566"), Some("LocalStack"));
        assert_eq!(name("http://127.0.0.1:4566/"), Some("LocalStack"));
        assert_eq!(name("http://localhost:9000"), Some("MinIO"));
        assert_eq!(
            name("https://0123abcd.r2.cloudflarestorage.com"),
            Some("R2")
        );
        assert_eq!(name("https://s3.us-west-004.backblazeb2.com"), Some("B2"));
        assert_eq!(
            name("https://s3.eu-central-1.wasabisys.com"),
            Some("Wasabi")
        );
        assert_eq!(name("https://s3.wasabisys.com"), Some("Wasabi"));
        assert_eq!(name("https://nyc3.digitaloceanspaces.com"), Some("Spaces"));
        assert_eq!(name("https://garage.example.org:3900"), Some("other"));
        assert_eq!(name("http://localhost:5000"), Some("other"));
        assert_eq!(name("https://s3.us-east-1.amazonaws.com"), None);
        assert_eq!(name("https://sts-fips.us-east-1.api.aws"), None);
        assert_eq!(name("https://sts.cn-north-1.amazonaws.com.cn"), None);
        assert_eq!(name("not a url"), None);
        assert_eq!(
            name("minio.example.com"),
            Some("other"),
            "no scheme: still not AWS"
        );
    }

    #[test]
    fn hosts_and_ports_are_read_as_in_a_url() {
        assert_eq!(
            host_and_port("http://[::1]:4566/x"),
            Some(("[::1]".into(), Some(4566)))
        );
        assert_eq!(
            host_and_port("https://Example.COM"),
            Some(("example.com".into(), None))
        );
        assert_eq!(host_and_port("https://a:99999"), None);
        assert_eq!(
            shown_host("http://localhost:4566/").as_deref(),
            Some("localhost:4566")
        );
    }

    #[test]
    fn endpoint_urls_are_https_or_loopback_http() {
        assert_eq!(
            endpoint_url("https://s3.example.com/"),
            Ok("https://s3.example.com")
        );
        assert!(endpoint_url("http://localhost:4566").is_ok());
        assert!(endpoint_url("http://127.0.0.1:9000").is_ok());
        assert!(endpoint_url("http://[::1]:9000").is_ok());
        assert!(endpoint_url("https://minio.internal:9000/base").is_ok());
        let message = |url| endpoint_url(url).unwrap_err().0;
        assert!(message("").contains("enter"));
        assert!(message("http://minio.lan:9000").contains("unencrypted"));
        assert!(message("s3.example.com").contains("(https://s3.example.com?)"));
        assert!(message("ftp://x").contains("starts with https://"));
        assert!(message("localhost:9000").contains("(http://localhost:9000?)"));
        assert!(
            message("https://<account id>.r2.cloudflarestorage.com")
                .contains("replace <account id>")
        );
        assert!(message("https://user:pw@host").contains("user name or password"));
        assert!(message("https://host/?x=1").contains("query"));
        assert!(message("https://ho st").contains("no spaces"));
        assert!(message("https://host:0x1").contains(":port"));
        assert!(message("https://under_score.com").contains("not a host name"));
        assert!(message("https://").contains("no host"));
    }

    #[test]
    fn service_keys_are_any_printable_word() {
        assert!(service_key("access key ID", "minioadmin").is_ok());
        assert!(service_key("access key ID", "test").is_ok());
        let message = service_key("secret", "ab cd").unwrap_err().0;
        assert!(
            message.contains("position 3") && !message.contains("ab"),
            "{message}"
        );
        assert!(
            service_key("secret", "")
                .unwrap_err()
                .0
                .contains("enter the secret")
        );
        assert!(service_region("auto").is_ok());
        assert!(service_region("nyc3").is_ok());
        assert!(service_region("a b").is_err());
        assert!(service_region("").is_err());
    }

    #[test]
    fn key_shapes_are_hints() {
        let r2 = Preset::find("r2").unwrap();
        assert_eq!(r2.key_id_hint(&"a1".repeat(16)), None);
        let hint = r2.key_id_hint("AKIAIOSFODNN7EXAMPLE").unwrap();
        assert!(
            hint.contains("32 hexadecimal") && hint.contains("has 20"),
            "{hint}"
        );
        let hint = r2.secret_hint(&"z".repeat(64)).unwrap();
        assert!(
            hint.contains("not all hexadecimal") && !hint.contains("zz"),
            "{hint}"
        );
        assert_eq!(Preset::find("localstack").unwrap().key_id_hint("x"), None);
    }

    #[test]
    fn an_endpoint_says_its_region() {
        let region = |preset: &str, url: &str| Preset::find(preset).unwrap().region_of(url);
        let b2 = "https://s3.us-west-002.backblazeb2.com/";
        assert_eq!(region("B2", b2).as_deref(), Some("us-west-002"));
        assert_eq!(
            region("Spaces", "https://ams3.digitaloceanspaces.com").as_deref(),
            Some("ams3")
        );
        assert_eq!(
            region("R2", "https://abc.r2.cloudflarestorage.com").as_deref(),
            Some("auto")
        );
        assert_eq!(region("Wasabi", "https://s3.wasabisys.com"), None);
        assert_eq!(region("B2", "https://s3.<region>.backblazeb2.com"), None);
        assert_eq!(region("LocalStack", "http://localhost:4566"), None);
    }

    #[test]
    fn region_templates_are_filled() {
        let spaces = Preset::find("Spaces").unwrap();
        assert_eq!(
            spaces.endpoint_for("ams3"),
            "https://ams3.digitaloceanspaces.com"
        );
        assert_eq!(other().name, "other");
    }
}
