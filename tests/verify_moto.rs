//! `credwiz verify` against moto's STS on loopback, with moto's signature checking on:
//! a real key works, a wrong secret and an unknown key are refused for real.

mod common;

use common::moto::{ACCOUNT, Moto, start_moto};
use common::*;

/// Turns on signature checking after `free` unchecked requests, then creates an IAM
/// user and access key with them; returns (key ID, secret).
fn moto_key(s: &Sandbox, moto: &Moto) -> (String, String) {
    let script = format!(
        "import boto3, urllib.request\n\
         url = 'http://127.0.0.1:{port}'\n\
         urllib.request.urlopen(urllib.request.Request(url + '/moto-api/reset-auth', data=b'2', headers={{'Content-Type': 'text/plain'}}, method='POST'))\n\
         iam = boto3.client('iam', endpoint_url=url, region_name='us-east-1', aws_access_key_id='AKIAIOSFODNN7EXAMPLE', aws_secret_access_key='x' * 40)\n\
         iam.create_user(UserName='alice')\n\
         key = iam.create_access_key(UserName='alice')['AccessKey']\n\
         print(key['AccessKeyId'], key['SecretAccessKey'])",
        port = moto.port
    );
    let out = s.python(&script);
    let mut parts = out.split_whitespace();
    (
        parts.next().unwrap().to_string(),
        parts.next().unwrap().to_string(),
    )
}

#[test]
fn moto_checks_the_signature_for_real() {
    let s = Sandbox::new();
    let moto = start_moto();
    let (key_id, secret) = moto_key(&s, &moto);
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
