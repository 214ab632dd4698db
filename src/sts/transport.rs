//! Sending one signed request, the same way for STS and S3: bounded time, no redirect
//! followed, nothing in the clear to another machine (plain `http://` only to loopback,
//! never through a proxy on another machine), network failures in people's words.

use std::time::{Instant, SystemTime};

use ureq::Agent;
use ureq::tls::{RootCerts, TlsConfig};

use super::endpoint::{self, Endpoint};
use super::sign::{self, Keys};
use super::{CALL_TIMEOUT, CONNECT_TIMEOUT, Failure};

/// The request to sign and send to `endpoint.url` + `path`.
pub(crate) struct Request<'a> {
    pub method: &'a str,
    /// Starts with `/`.
    pub path: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: &'a [u8],
    /// The service name in the signature's scope (`sts`, `s3`).
    pub service: &'a str,
}

/// What came back, redirects already refused.
pub(crate) struct Answer {
    pub status: u16,
    pub text: String,
    pub took: std::time::Duration,
    /// `host[:port]` of the endpoint, for messages.
    pub host: String,
    /// ` through the proxy host:port`, or nothing.
    pub via: String,
}

impl Answer {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Signs `request` with `keys` and sends it to `endpoint`. Refuses before connecting
/// when it would cross the network unencrypted; a redirect is not followed and is no
/// verdict on the keys.
pub(crate) fn send(keys: &Keys, endpoint: &Endpoint, request: &Request) -> Result<Answer, Failure> {
    let url = format!("{}{}", endpoint.url, request.path);
    let host = url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or(&url)
        .to_string();
    let proxy = proxy_for(&url);
    let proxy_name = proxy.as_ref().map(|p| format!("{}:{}", p.host(), p.port()));
    refuse_unencrypted(endpoint, proxy.as_ref())?;
    let scope = sign::Scope {
        region: &endpoint.region,
        service: request.service,
        time: SystemTime::now(),
    };
    let unsigned = sign::Unsigned {
        method: request.method,
        url: &url,
        headers: request.headers,
        body: request.body,
    };
    let signed = sign::signed_headers(keys, &scope, &unsigned).map_err(Failure::Unchecked)?;
    let via = through(proxy_name.as_deref());
    let failed =
        |e: ureq::Error| Failure::Unchecked(transport_error(&e, &host, proxy_name.as_deref()));
    let headers = request
        .headers
        .iter()
        .map(|&(name, value)| (name, value))
        .chain(
            signed
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str())),
        );
    let started = Instant::now();
    let agent = agent(proxy);
    let mut response = if request.method == "GET" {
        let mut builder = agent.get(&url);
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        builder.call()
    } else {
        let mut builder = agent.post(&url);
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        builder.send(request.body)
    }
    .map_err(failed)?;
    let status = response.status();
    let text = response.body_mut().read_to_string().map_err(failed)?;
    let took = started.elapsed();
    if status.is_redirection() {
        return Err(Failure::Unchecked(format!(
            "{host}{via} answered HTTP {}, a redirect; {}, so credwiz did not follow it and this is not {} (is the endpoint right? it came from {})",
            status.as_u16(),
            endpoint.api.never_redirects(),
            endpoint.api.label(),
            endpoint.source
        )));
    }
    Ok(Answer {
        status: status.as_u16(),
        text,
        took,
        host,
        via,
    })
}

fn agent(proxy: Option<ureq::Proxy>) -> Agent {
    Agent::config_builder()
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .timeout_global(Some(CALL_TIMEOUT))
        .http_status_as_error(false)
        // Neither STS nor ListBuckets redirects: a redirect is returned as it is, and
        // refused (see `send`), so the signed request and a session token go nowhere else.
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
    // The resolver does not say whether the name does not exist or DNS did not answer.
    let not_found = || {
        format!(
            "cannot find {host}{via}: check the host name's spelling (an endpoint's account ID, say); else there is no network, or DNS is not answering"
        )
    };
    match error {
        E::Timeout(_) => timed_out(),
        E::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => timed_out(),
        E::HostNotFound => not_found(),
        E::Io(io) if io.to_string().contains("lookup") => not_found(),
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
