//! `GetCallerIdentity` against STS: do these keys work, and whose are they? Signs and
//! sends one request; knows no UI. Needs no permissions. Never follows a redirect (STS
//! never redirects) and never sends in the clear to another machine: plain `http://` is
//! refused before connecting unless to loopback (local emulators), and through a proxy
//! on another machine.

pub mod endpoint;
pub mod response;
pub mod sign;
pub mod target;

use std::time::{Duration, Instant, SystemTime};

use ureq::Agent;
use ureq::tls::{RootCerts, TlsConfig};

use endpoint::Endpoint;
use response::Identity;
use sign::Keys;

pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
pub const CALL_TIMEOUT: Duration = Duration::from_secs(5);

const BODY: &str = "Action=GetCallerIdentity&Version=2011-06-15";
const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// Why a check did not show the keys to work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// AWS answered and turned the keys down: they do not work.
    Refused(String),
    /// No verdict on the keys: the network, a proxy, the clock, throttling, an answer that
    /// was not STS's, or a profile that cannot be checked this way.
    Unchecked(String),
}

impl Failure {
    /// One line about `name`'s keys: that they do not work, or that they could not be
    /// checked (which says nothing against them).
    pub fn about(&self, name: &str) -> String {
        match self {
            Failure::Refused(why) => format!("the keys of `{name}` do not work: {why}"),
            Failure::Unchecked(why) => format!("could not check the keys of `{name}`: {why}"),
        }
    }
}

/// A successful check: who the keys belong to, and how long it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub identity: Identity,
    pub took: Duration,
}

fn agent(proxy: Option<ureq::Proxy>) -> Agent {
    Agent::config_builder()
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .timeout_global(Some(CALL_TIMEOUT))
        .http_status_as_error(false)
        // STS never redirects: a redirect is returned as it is, and refused (see `verify`),
        // so the signed request and a session token go nowhere else.
        .max_redirects(0)
        .proxy(proxy)
        .tls_config(
            TlsConfig::builder()
                .root_certs(RootCerts::PlatformVerifier)
                .build(),
        )
        .build()
        .into()
}

/// The proxy the environment names for `url` (`HTTPS_PROXY` and friends, less
/// `NO_PROXY`), as ureq will use it.
fn proxy_for(url: &str) -> Option<ureq::Proxy> {
    let uri: ureq::http::Uri = url.parse().ok()?;
    ureq::Proxy::try_from_env().filter(|proxy| !proxy.is_no_proxy(&uri))
}

/// Calls `GetCallerIdentity` with `keys` at `endpoint`. The error is in people's words.
pub fn verify(keys: &Keys, endpoint: &Endpoint) -> Result<Verified, Failure> {
    let url = format!("{}/", endpoint.url);
    let host = url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or(&url)
        .to_string();
    let scope = sign::Scope {
        region: &endpoint.region,
        service: "sts",
        time: SystemTime::now(),
    };
    let request = sign::Unsigned {
        method: "POST",
        url: &url,
        headers: &[("content-type", CONTENT_TYPE)],
        body: BODY.as_bytes(),
    };
    let proxy = proxy_for(&url);
    let proxy_name = proxy.as_ref().map(|p| format!("{}:{}", p.host(), p.port()));
    refuse_unencrypted(endpoint, proxy.as_ref())?;
    let headers = sign::signed_headers(keys, &scope, &request).map_err(Failure::Unchecked)?;
    let via = through(proxy_name.as_deref());
    let transport_error =
        |e: ureq::Error| Failure::Unchecked(transport_error(&e, &host, proxy_name.as_deref()));
    let started = Instant::now();
    let mut request = agent(proxy).post(&url).header("content-type", CONTENT_TYPE);
    for (name, value) in &headers {
        request = request.header(name.as_str(), value.as_str());
    }
    let mut response = request.send(BODY).map_err(transport_error)?;
    let status = response.status();
    let text = response
        .body_mut()
        .read_to_string()
        .map_err(transport_error)?;
    let took = started.elapsed();
    if status.is_redirection() {
        return Err(Failure::Unchecked(format!(
            "{host}{via} answered HTTP {}, a redirect; STS never redirects, so credwiz did not follow it and this is not STS (is the endpoint right? it came from {})",
            status.as_u16(),
            endpoint.source
        )));
    }
    if status.is_success() {
        return response::identity(&text)
            .map(|identity| Verified { identity, took })
            .ok_or_else(|| {
                Failure::Unchecked(format!(
                    "{host} answered, but not as STS does (is the endpoint right? it came from {})",
                    endpoint.source
                ))
            });
    }
    match response::error(&text) {
        Some((code, message)) => Err(response::explain(&code, &message)),
        None => Err(Failure::Unchecked(format!(
            "{host}{via} answered HTTP {} without an STS error (is the endpoint right? it came from {})",
            status.as_u16(),
            endpoint.source
        ))),
    }
}

/// Refuses, before connecting, to send the request where it would cross the network
/// unencrypted: `http://` to another machine, or through a proxy on another machine
/// (plain `http://` to this machine serves local emulators).
fn refuse_unencrypted(endpoint: &Endpoint, proxy: Option<&ureq::Proxy>) -> Result<(), Failure> {
    let url = &endpoint.url;
    let remote_proxy = proxy.filter(|p| !endpoint::is_loopback(p.host()));
    let why = match remote_proxy {
        _ if endpoint::unencrypted_off_machine(url) => {
            format!("{url} is plain http:// to another machine")
        }
        Some(p) if endpoint::is_plain_http(url) => format!(
            "{url} is plain http:// and would go through the proxy {}:{} on another machine",
            p.host(),
            p.port()
        ),
        _ => return Ok(()),
    };
    Err(Failure::Unchecked(format!(
        "{why}: the request and any session token would cross the network unencrypted, so credwiz did not send it. Use https:// (plain http:// is only for an emulator on this machine: localhost, 127.0.0.1, ::1); the endpoint came from {}",
        endpoint.source
    )))
}

/// ` through the proxy host:port`, or nothing without a proxy.
fn through(proxy: Option<&str>) -> String {
    proxy
        .map(|p| format!(" through the proxy {p}"))
        .unwrap_or_default()
}

/// A failed call in people's words, naming the proxy (`host:port`) when one was used:
/// then it may be the proxy that did not answer or refused.
fn transport_error(error: &ureq::Error, host: &str, proxy: Option<&str>) -> String {
    use ureq::Error as E;
    let text = error.to_string();
    let via = through(proxy);
    let tls = |detail: &str| {
        format!(
            "the TLS connection to {host}{via} failed ({detail}); behind a proxy that inspects TLS, its root certificate must be in the system's certificate store"
        )
    };
    let timed_out = || {
        format!(
            "no answer from {host}{via} within {} s (timed out)",
            CALL_TIMEOUT.as_secs()
        )
    };
    match error {
        E::Timeout(_) => timed_out(),
        E::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => timed_out(),
        E::HostNotFound => format!("cannot find {host}{via}: no network, or DNS is not answering"),
        E::Io(io) if io.to_string().contains("lookup") => {
            format!("cannot find {host}{via}: no network, or DNS is not answering")
        }
        E::ConnectionFailed => {
            format!("cannot connect to {host}{via}: no network, or a firewall blocks it")
        }
        E::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => match proxy {
            None => format!("{host} refused the connection"),
            Some(proxy) => format!("the proxy {proxy} refused the connection (to reach {host})"),
        },
        E::Tls(detail) => tls(detail),
        _ if text.to_ascii_lowercase().contains("certificate") || text.contains("tls") => {
            tls(&text)
        }
        _ => format!("network error talking to {host}{via}: {text}"),
    }
}

/// Now as RFC 3339 UTC, for the state file (no date crate needed for one format).
pub fn now_rfc3339() -> String {
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Keeps a verdict in credwiz's state (never a secret), for the picker, and says whether
/// there was one to keep (then the caller saves the state). A check that could not be
/// made is not a verdict: the last one stays.
pub fn record(
    state: &mut crate::state::State,
    name: &str,
    result: &Result<Verified, Failure>,
) -> bool {
    let verification = match result {
        Ok(v) => crate::state::Verification {
            time: now_rfc3339(),
            ok: true,
            account: Some(v.identity.account.clone()),
            arn: Some(v.identity.arn.clone()),
            error: None,
        },
        Err(Failure::Refused(why)) => crate::state::Verification {
            time: now_rfc3339(),
            ok: false,
            account: None,
            arn: None,
            error: Some(why.clone()),
        },
        Err(Failure::Unchecked(_)) => return false,
    };
    state.remember_verification(name, verification);
    true
}
