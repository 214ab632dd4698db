//! `credwiz verify` against a local stand-in for STS on loopback that answers with real
//! STS response and error shapes (and one that never answers).

mod common;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::*;

fn verify(s: &Sandbox, profile: &str, port: u16) -> std::process::Output {
    s.credwiz()
        .args(["verify", profile])
        .env("AWS_ENDPOINT_URL_STS", format!("http://127.0.0.1:{port}"))
        .output()
        .unwrap()
}

fn sandbox() -> Sandbox {
    let config = "[default]\nregion = eu-west-1\n[profile role]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n";
    let credentials = format!(
        "[default]\naws_access_key_id = {KEY_ID2}\naws_secret_access_key = {SECRET}\n[tmp]\naws_access_key_id = {TEMP_KEY_ID}\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\n"
    );
    Sandbox::with_files(config, &credentials)
}

#[test]
fn working_keys_show_who_they_belong_to_and_the_request_is_signed() {
    let s = sandbox();
    let (port, request) = stub(200, Some(ok_body(USER_ARN)));
    let out = verify(&s, "default", port);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("the keys of `default` work"), "{text}");
    assert!(
        text.contains("account  609629065308")
            && text.contains(USER_ARN)
            && text.contains("AIDAY34FZKBOKMUTVV7AB"),
        "{text}"
    );
    assert_no_secret(&out, &[SECRET]);
    let request = request.recv().unwrap();
    assert!(request.starts_with("POST / HTTP/1.1"), "{request}");
    assert!(
        request.contains("Action=GetCallerIdentity&Version=2011-06-15"),
        "{request}"
    );
    let auth = request
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("authorization:"))
        .unwrap();
    assert!(
        auth.contains(&format!("Credential={KEY_ID2}/"))
            && auth.contains("/eu-west-1/sts/aws4_request"),
        "{auth}"
    );
    assert!(
        !request.contains(&SECRET[..8]),
        "the secret never leaves the machine"
    );
    let state = std::fs::read_to_string(s.home.join(".config/credwiz/state.ini")).unwrap();
    assert!(
        state.contains("[verified default]")
            && state.contains("ok=true")
            && state.contains(USER_ARN),
        "{state}"
    );
}

#[test]
fn temporary_keys_send_their_session_token() {
    let s = sandbox();
    let (port, request) = stub(200, Some(ok_body(USER_ARN)));
    assert!(verify(&s, "tmp", port).status.success());
    let request = request.recv().unwrap().to_ascii_lowercase();
    assert!(
        request.contains(&format!(
            "x-amz-security-token: {}",
            TOKEN.to_ascii_lowercase()
        )),
        "{request}"
    );
}

#[test]
fn root_keys_get_a_prominent_warning() {
    let s = sandbox();
    let (port, _) = stub(200, Some(ok_body("arn:aws:iam::609629065308:root")));
    let out = verify(&s, "default", port);
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("ROOT USER")
            && err.contains("IAM user")
            && err.contains("Identity Center")
            && err.contains("delete this root key"),
        "{err}"
    );
}

/// What STS says, in people's words; only answers about the keys say they do not work
/// (a wrong clock or throttling says nothing against them).
#[test]
fn sts_errors_are_said_in_peoples_words() {
    const REFUSED: &str = "error: the keys of `default` do not work:";
    const UNCHECKED: &str = "error: could not check the keys of `default`:";
    let cases = [
        (
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
            REFUSED,
            "does not know this access key ID",
        ),
        (
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
            REFUSED,
            "secret access key does not match",
        ),
        (
            403,
            "SignatureDoesNotMatch",
            "Signature expired: 20261122T000000Z is now earlier than 20261122T001500Z",
            UNCHECKED,
            "clock is off",
        ),
        (
            403,
            "ExpiredToken",
            "The security token included in the request is expired",
            REFUSED,
            "have expired",
        ),
        (400, "Throttling", "Rate exceeded", UNCHECKED, "throttling"),
    ];
    for (status, code, message, verdict, meaning) in cases {
        let s = sandbox();
        let (port, _) = stub(status, Some(error_body(code, message)));
        let out = verify(&s, "default", port);
        // 1: the keys do not work; 3: they could not be checked.
        let exit = if verdict == REFUSED { 1 } else { 3 };
        assert_eq!(out.status.code(), Some(exit), "{code}");
        let err = stderr(&out);
        assert!(
            err.starts_with(verdict) && err.contains(meaning),
            "{code}: {err}"
        );
        assert!(!err.contains("<Error>"), "no raw XML: {err}");
        assert_no_secret(&out, &[SECRET]);
    }
}

#[test]
fn a_reply_that_never_comes_times_out_in_five_seconds() {
    let s = sandbox();
    let (port, _) = stub(200, None);
    let started = Instant::now();
    let out = verify(&s, "default", port);
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(3), "could not check");
    assert!(
        stderr(&out).contains("within 5 s (timed out)"),
        "{}",
        stderr(&out)
    );
    assert!(
        took >= Duration::from_secs(4) && took < Duration::from_secs(9),
        "{took:?}"
    );
}

#[test]
fn no_server_and_role_profiles_are_explained() {
    let s = sandbox();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = verify(&s, "default", port);
    assert!(
        stderr(&out).contains("refused the connection") || stderr(&out).contains("cannot connect"),
        "{}",
        stderr(&out)
    );
    let out = verify(&s, "role", port);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("gets its credentials another way (role)")
            && stderr(&out).contains("aws sts get-caller-identity --profile role")
    );
}

/// Through the proxy the environment names: credwiz asks the proxy to CONNECT to a
/// loopback STS endpoint where nothing listens, so only the proxy could have answered.
/// With that host in NO_PROXY the call goes direct (and is refused); a proxy that refuses
/// the connection is named as the one that refused.
#[test]
fn the_proxy_from_the_environment_is_used_unless_no_proxy_names_the_host() {
    let s = sandbox();
    let nothing = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let host = nothing.to_string();
    let verify_via = |proxy: &str, no_proxy: Option<&str>| {
        let mut cmd = s.credwiz();
        cmd.args(["verify", "default"])
            .env("AWS_ENDPOINT_URL_STS", format!("http://{host}"))
            .env("HTTPS_PROXY", proxy);
        if let Some(no_proxy) = no_proxy {
            cmd.env("NO_PROXY", no_proxy);
        }
        cmd.output().unwrap()
    };
    let (port, requests) = connect_proxy(ok_body(USER_ARN));
    let out = verify_via(&format!("http://127.0.0.1:{port}"), None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(USER_ARN), "{}", stdout(&out));
    let connect = requests.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(
        connect.starts_with(&format!("CONNECT {host} ")),
        "{connect}"
    );
    let tunnelled = requests.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(tunnelled.starts_with("POST / HTTP/1.1"), "{tunnelled}");
    assert!(
        tunnelled.contains("Action=GetCallerIdentity"),
        "{tunnelled}"
    );

    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    // Direct: nothing listens there, and the proxy is not involved.
    let out = verify_via(&format!("http://{closed}"), Some("127.0.0.1"));
    assert_eq!(out.status.code(), Some(3));
    let direct = stderr(&out);
    assert!(
        direct.starts_with("error: could not check the keys of `default`: ")
            && direct.contains(&host)
            && !direct.contains("proxy"),
        "{direct}"
    );
    let out = verify_via(&format!("http://{closed}"), None);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains(&format!(
            "the proxy 127.0.0.1:{} refused the connection",
            closed.port()
        )),
        "{}",
        stderr(&out)
    );
}

/// An HTTP proxy for one tunnel: answers the CONNECT, then plays STS inside the tunnel
/// with `body`. Sends the CONNECT request and the tunnelled request (head and body).
fn connect_proxy(body: String) -> (u16, std::sync::mpsc::Receiver<String>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let read_head = |reader: &mut BufReader<_>| {
            let (mut head, mut length) = (String::new(), 0);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    return (head, length);
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                head.push_str(&line);
            }
        };
        let (connect, _) = read_head(&mut reader);
        let _ = tx.send(connect);
        let _ = stream.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
        let (head, length) = read_head(&mut reader);
        let mut request_body = vec![0; length];
        let _ = reader.read_exact(&mut request_body);
        let _ = tx.send(format!(
            "{head}\n{}",
            String::from_utf8_lossy(&request_body)
        ));
        let reply = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = stream.write_all(reply.as_bytes());
    });
    (port, rx)
}

/// The state file keeps verdicts: a check that could not be made leaves the last one.
#[test]
fn only_verdicts_are_remembered() {
    let s = sandbox();
    let state = || std::fs::read_to_string(s.home.join(".config/credwiz/state.ini")).unwrap();
    let (port, _) = stub(200, Some(ok_body(USER_ARN)));
    assert!(verify(&s, "default", port).status.success());
    let (port, _) = stub(400, Some(error_body("Throttling", "Rate exceeded")));
    assert_eq!(
        verify(&s, "default", port).status.code(),
        Some(3),
        "could not check"
    );
    let remembered = state();
    assert!(
        remembered.contains("ok=true") && remembered.contains(USER_ARN),
        "{remembered}"
    );
    let (port, _) = stub(
        403,
        Some(error_body(
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
        )),
    );
    assert_eq!(verify(&s, "default", port).status.code(), Some(1));
    let remembered = state();
    assert!(
        remembered.contains("ok=false") && remembered.contains("does not know this access key ID"),
        "{remembered}"
    );
}

/// STS never redirects: a 302 to another host is not followed (that host, which would
/// say the keys work, receives nothing, session token included) and is no verdict.
#[test]
fn a_redirect_is_not_followed_and_says_sts_never_redirects() {
    let s = sandbox();
    let (elsewhere, received) = stub(200, Some(ok_body(USER_ARN)));
    let port = redirecting_stub(format!("http://127.0.0.1:{elsewhere}/"));
    let out = verify(&s, "tmp", port);
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: could not check the keys of `tmp`: ")
            && err.contains("answered HTTP 302, a redirect")
            && err.contains("STS never redirects"),
        "{err}"
    );
    assert!(!stdout(&out).contains(USER_ARN), "{}", stdout(&out));
    assert!(
        received.recv_timeout(Duration::from_millis(500)).is_err(),
        "the other host received the request"
    );
    assert_no_secret(&out, &[SECRET, TOKEN]);
}

/// Plain http:// to another machine is refused before connecting, wherever the endpoint
/// comes from (192.0.2.1 is TEST-NET: nothing would answer, a connection would take the
/// whole 3 s connect timeout); so is plain http:// through a proxy on another machine.
#[test]
fn plain_http_to_another_machine_is_refused_before_connecting() {
    let s = sandbox();
    let remote = "http://192.0.2.1/";
    let refused = |out: &std::process::Output, took: Duration, why: &str, source: &str| {
        assert_eq!(out.status.code(), Some(3));
        let err = stderr(out);
        assert!(
            err.starts_with("error: could not check the keys of `default`: ")
                && err.contains(why)
                && err.contains("cross the network unencrypted")
                && err.contains("Use https://")
                && err.contains(source),
            "{err}"
        );
        assert!(took < Duration::from_secs(1), "{took:?}");
    };
    for var in ["AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"] {
        let started = Instant::now();
        let out = s
            .credwiz()
            .args(["verify", "default"])
            .env(var, remote)
            .output()
            .unwrap();
        let why = "http://192.0.2.1 is plain http:// to another machine";
        refused(&out, started.elapsed(), why, var);
    }
    let (config, credentials) = s.read_text();
    s.write(
        &config.replace(
            "region = eu-west-1\n",
            "region = eu-west-1\nendpoint_url = http://sts.example.com\n",
        ),
        &credentials,
    );
    let started = Instant::now();
    let out = s.credwiz().args(["verify", "default"]).output().unwrap();
    let why = "http://sts.example.com is plain http:// to another machine";
    refused(&out, started.elapsed(), why, "the profile's endpoint_url");

    // Without the endpoint_url again: a profile with another host's endpoint_url is
    // checked with S3, where AWS_ENDPOINT_URL_STS does not apply.
    s.write(&config, &credentials);
    let started = Instant::now();
    let out = s
        .credwiz()
        .args(["verify", "default"])
        .env("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9")
        .env("HTTPS_PROXY", "http://192.0.2.1:3128")
        .output()
        .unwrap();
    let why = "would go through the proxy 192.0.2.1:3128 on another machine";
    refused(&out, started.elapsed(), why, "AWS_ENDPOINT_URL_STS");
}

/// `credwiz doctor` flags plain http:// endpoints to another machine, from the
/// environment and from a profile (with its file and line); loopback ones are fine.
#[test]
fn doctor_flags_plain_http_endpoints_to_another_machine() {
    let s = Sandbox::with_files(
        "[default]\nregion = eu-west-1\nendpoint_url = http://sts.example.com\n[profile local]\nendpoint_url = http://localhost:4566\n\
         [services far]\nsts =\n  endpoint_url = http://sts.example.net\ns3 =\n  endpoint_url = http://127.0.0.1:9000\n",
        &format!("[default]\naws_access_key_id = {KEY_ID2}\naws_secret_access_key = {SECRET}\n"),
    );
    let out = s
        .credwiz()
        .arg("doctor")
        .env("AWS_ENDPOINT_URL", "http://192.0.2.1:80/")
        .env("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:4566")
        .output()
        .unwrap();
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        text.contains("warning: AWS_ENDPOINT_URL=http://192.0.2.1:80/ is plain http:// to another machine")
            && text.contains("line 3: profile `default`: endpoint_url http://sts.example.com is plain http:// to another machine")
            && text.contains("line 7: [services far] sts: endpoint_url http://sts.example.net is plain http://")
            && text.contains("use https://"),
        "{text}"
    );
    assert_eq!(
        text.matches("is plain http://").count(),
        3,
        "loopback is fine: {text}"
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "a warning, not an error: {text}"
    );
    assert_no_secret(&out, &[SECRET]);
}
