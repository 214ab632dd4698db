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

#[test]
fn sts_errors_are_said_in_peoples_words() {
    let cases = [
        (
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
            "does not know this access key ID",
        ),
        (
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
            "secret access key does not match",
        ),
        (
            403,
            "SignatureDoesNotMatch",
            "Signature expired: 20261122T000000Z is now earlier than 20261122T001500Z",
            "clock is off",
        ),
        (
            403,
            "ExpiredToken",
            "The security token included in the request is expired",
            "have expired",
        ),
        (400, "Throttling", "Rate exceeded", "throttling"),
    ];
    for (status, code, message, meaning) in cases {
        let s = sandbox();
        let (port, _) = stub(status, Some(error_body(code, message)));
        let out = verify(&s, "default", port);
        assert_eq!(out.status.code(), Some(1), "{code}");
        let err = stderr(&out);
        assert!(
            err.starts_with("error: the keys of `default` do not work:") && err.contains(meaning),
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
    assert_eq!(out.status.code(), Some(1));
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
        stderr(&out).contains("is a role profile")
            && stderr(&out).contains("aws sts get-caller-identity --profile role")
    );
}
