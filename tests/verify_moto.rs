//! `credwiz verify` against moto's STS on loopback, with moto's signature checking on:
//! a real key works, a wrong secret and an unknown key are refused for real.

mod common;

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

const ACCOUNT: &str = "609629065308";

struct Moto {
    child: Child,
    port: u16,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_moto() -> Moto {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .env("MOTO_ACCOUNT_ID", ACCOUNT)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto_server is required (pip package moto[server]; ./scripts/test installs it)");
    let moto = Moto { child, port };
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "moto_server did not start on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    moto
}

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
