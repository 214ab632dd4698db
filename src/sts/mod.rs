//! `GetCallerIdentity` against STS: do these keys work, and whose are they? Signs and
//! sends one request; knows no UI. Needs no permissions.

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

/// A successful check: who the keys belong to, and how long it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub identity: Identity,
    pub took: Duration,
}

fn agent() -> Agent {
    Agent::config_builder()
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .timeout_global(Some(CALL_TIMEOUT))
        .http_status_as_error(false)
        .proxy(ureq::Proxy::try_from_env())
        .tls_config(
            TlsConfig::builder()
                .root_certs(RootCerts::PlatformVerifier)
                .build(),
        )
        .build()
        .into()
}

/// Calls `GetCallerIdentity` with `keys` at `endpoint`. The error is in people's words.
pub fn verify(keys: &Keys, endpoint: &Endpoint) -> Result<Verified, String> {
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
    let headers = sign::signed_headers(keys, &scope, &request)?;
    let started = Instant::now();
    let mut request = agent().post(&url).header("content-type", CONTENT_TYPE);
    for (name, value) in &headers {
        request = request.header(name.as_str(), value.as_str());
    }
    let mut response = request.send(BODY).map_err(|e| transport_error(&e, &host))?;
    let status = response.status();
    let text = response
        .body_mut()
        .read_to_string()
        .map_err(|e| transport_error(&e, &host))?;
    let took = started.elapsed();
    if status.is_success() {
        return response::identity(&text)
            .map(|identity| Verified { identity, took })
            .ok_or_else(|| {
                format!(
                    "{host} answered, but not as STS does (is the endpoint right? it came from {})",
                    endpoint.source
                )
            });
    }
    match response::error(&text) {
        Some((code, message)) => Err(response::explain(&code, &message)),
        None => Err(format!(
            "{host} answered HTTP {} without an STS error (is the endpoint right? it came from {})",
            status.as_u16(),
            endpoint.source
        )),
    }
}

fn transport_error(error: &ureq::Error, host: &str) -> String {
    use ureq::Error as E;
    let text = error.to_string();
    let tls = |detail: &str| {
        format!(
            "the TLS connection to {host} failed ({detail}); behind a proxy that inspects TLS, its root certificate must be in the system's certificate store"
        )
    };
    match error {
        E::Timeout(_) => format!(
            "no answer from {host} within {} s (timed out)",
            CALL_TIMEOUT.as_secs()
        ),
        E::HostNotFound => format!("cannot find {host}: no network, or DNS is not answering"),
        E::ConnectionFailed => {
            format!("cannot connect to {host}: no network, or a firewall blocks it")
        }
        E::Tls(detail) => tls(detail),
        E::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            format!(
                "no answer from {host} within {} s (timed out)",
                CALL_TIMEOUT.as_secs()
            )
        }
        E::Io(io) if io.to_string().contains("lookup") => {
            format!("cannot find {host}: no network, or DNS is not answering")
        }
        E::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            format!("{host} refused the connection")
        }
        _ if text.to_ascii_lowercase().contains("certificate") || text.contains("tls") => {
            tls(&text)
        }
        _ => format!("network error talking to {host}: {text}"),
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

/// Keeps the outcome in credwiz's state file (never a secret), for the picker.
pub fn record(name: &str, result: &Result<Verified, String>) {
    let mut state = crate::state::State::load();
    let verification = match result {
        Ok(v) => crate::state::Verification {
            time: now_rfc3339(),
            ok: true,
            account: Some(v.identity.account.clone()),
            arn: Some(v.identity.arn.clone()),
            error: None,
        },
        Err(why) => crate::state::Verification {
            time: now_rfc3339(),
            ok: false,
            account: None,
            arn: None,
            error: Some(why.clone()),
        },
    };
    state.verified.retain(|(n, _)| n != name);
    state.verified.push((name.to_string(), verification));
    state.save();
}
