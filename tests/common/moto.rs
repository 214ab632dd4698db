//! moto_server on loopback, for checks against a real (emulated) AWS API.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The account moto's resources belong to.
pub const ACCOUNT: &str = "609629065308";

pub struct Moto {
    child: Child,
    pub port: u16,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start_moto() -> Moto {
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

/// An IAM user moto made, with one access key.
pub struct MotoUser {
    pub key_id: String,
    pub secret: String,
    /// `CreateDate` of the key, `YYYY-MM-DD`.
    pub created: String,
}

impl Moto {
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Creates one IAM user per `(name, actions)` with an access key (and, with actions, a
    /// policy allowing them), then signature checking is on: moto lets exactly these
    /// requests through unchecked.
    pub fn users(&self, s: &super::Sandbox, users: &[(&str, Option<&[&str]>)]) -> Vec<MotoUser> {
        let unchecked: usize = users
            .iter()
            .map(|(_, a)| 2 + usize::from(a.is_some()))
            .sum();
        let calls: String = users
            .iter()
            .map(|(name, actions)| match actions {
                Some(actions) => format!("user({name:?}, {actions:?})\n"),
                None => format!("user({name:?}, None)\n"),
            })
            .collect();
        let script = format!(
            "import boto3, json, urllib.request\n\
             url = {url:?}\n\
             urllib.request.urlopen(urllib.request.Request(url + '/moto-api/reset-auth', data=b'{unchecked}', headers={{'Content-Type': 'text/plain'}}, method='POST'))\n\
             iam = boto3.client('iam', endpoint_url=url, region_name='us-east-1', aws_access_key_id='AKIAIOSFODNN7EXAMPLE', aws_secret_access_key='x' * 40)\n\
             def user(name, actions):\n\
             \x20   iam.create_user(UserName=name)\n\
             \x20   if actions is not None:\n\
             \x20       policy = {{'Version': '2012-10-17', 'Statement': [{{'Effect': 'Allow', 'Action': actions, 'Resource': '*'}}]}}\n\
             \x20       iam.put_user_policy(UserName=name, PolicyName='p', PolicyDocument=json.dumps(policy))\n\
             \x20   key = iam.create_access_key(UserName=name)['AccessKey']\n\
             \x20   print(key['AccessKeyId'], key['SecretAccessKey'], key['CreateDate'].strftime('%Y-%m-%d'))\n\
             {calls}",
            url = self.url(),
        );
        s.python(&script)
            .lines()
            .map(|line| {
                let parts: Vec<&str> = line.split_whitespace().collect();
                MotoUser {
                    key_id: parts[0].to_string(),
                    secret: parts[1].to_string(),
                    created: parts[2].to_string(),
                }
            })
            .collect()
    }

    /// Lets the next `requests` requests through moto's signature check.
    pub fn unchecked(&self, s: &super::Sandbox, requests: usize) {
        s.python(&format!(
            "import urllib.request\n\
             urllib.request.urlopen(urllib.request.Request({url:?} + '/moto-api/reset-auth', data=b'{requests}', headers={{'Content-Type': 'text/plain'}}, method='POST'))\n",
            url = self.url()
        ));
    }

    /// credwiz with `args`, every AWS endpoint pointed at moto.
    pub fn credwiz(&self, s: &super::Sandbox, args: &[&str]) -> std::process::Output {
        s.credwiz()
            .args(args)
            .env("AWS_ENDPOINT_URL", self.url())
            .output()
            .unwrap()
    }
}
