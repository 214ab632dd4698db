//! `credwiz verify` against moto's STS on loopback, with moto's signature checking on:
//! a real key works, a wrong secret and an unknown key are refused for real.

mod common;

use common::moto::{ACCOUNT, start_moto};
use common::*;

#[test]
fn moto_checks_the_signature_for_real() {
    let s = Sandbox::new();
    let moto = start_moto();
    let [alice] = &moto.users(&s, &[("alice", None)])[..] else {
        panic!("one user");
    };
    let (key_id, secret) = (alice.key_id.clone(), alice.secret.clone());
    let credentials = format!(
        "[good]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n\
         [wrong-secret]\naws_access_key_id = {key_id}\naws_secret_access_key = {SECRET}\n\
         [unknown]\naws_access_key_id = {KEY_ID2}\naws_secret_access_key = {SECRET}\n"
    );
    s.write("", &credentials);
    let verify = |profile: &str| {
        s.credwiz()
            .args(["verify", profile])
            .env(
                "AWS_ENDPOINT_URL_STS",
                format!("http://127.0.0.1:{}", moto.port),
            )
            .output()
            .unwrap()
    };
    let out = verify("good");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("arn:aws:iam::{ACCOUNT}:user/alice")),
        "{}",
        stdout(&out)
    );
    assert_no_secret(&out, &[&secret]);

    let out = verify("wrong-secret");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("secret access key does not match"),
        "{}",
        stderr(&out)
    );

    let out = verify("unknown");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("does not know this access key ID"),
        "{}",
        stderr(&out)
    );
}
