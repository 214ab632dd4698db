//! `credwiz rotate` against moto's IAM and STS on loopback, with moto's signature
//! checking on: the new key works, the old one is retired, every profile that held the old
//! key holds the new one (botocore reads them), nothing else in the files changes; and
//! stub servers for the error shapes moto does not produce.

mod common;

use std::io::BufRead;
use std::process::Output;

use common::moto::{ACCOUNT, Moto, start_moto};
use common::*;
use serde_json::Value;

const CONFIG: &str = "# my settings\n[profile work]\nregion = eu-west-1\noutput = json\n\n[profile other]\nregion = us-west-2\n";

/// Python that runs with profile `profile`'s keys as botocore reads them from the files.
fn with_profile(moto: &Moto, profile: &str, body: &str) -> String {
    format!(
        "import boto3, json\n\
         url = 'http://127.0.0.1:{port}'\n\
         session = boto3.Session(profile_name='{profile}')\n\
         iam = session.client('iam', endpoint_url=url, region_name='us-east-1')\n\
         sts = session.client('sts', endpoint_url=url, region_name='us-east-1')\n\
         {body}",
        port = moto.port
    )
}

/// alice's keys as IAM lists them: (ID, status), with `profile`'s keys.
fn listed(s: &Sandbox, moto: &Moto, profile: &str) -> Vec<(String, String)> {
    let script = with_profile(
        moto,
        profile,
        "print(json.dumps([(k['AccessKeyId'], k['Status']) for k in iam.list_access_keys(UserName='alice')['AccessKeyMetadata']]))",
    );
    serde_json::from_str(&s.python(&script)).unwrap()
}

/// Whose keys `profile` holds, as STS says with botocore.
fn caller_arn(s: &Sandbox, moto: &Moto, profile: &str) -> String {
    let script = with_profile(moto, profile, "print(sts.get_caller_identity()['Arn'])");
    s.python(&script).trim().to_string()
}

/// A profile's key pair as botocore reads the files.
fn pair(s: &Sandbox, profile: &str) -> (String, String) {
    let profiles = s.botocore_profiles();
    let get = |key: &str| match &profiles[profile][key] {
        Value::String(v) => v.clone(),
        other => panic!("{profile}.{key}: {other:?}"),
    };
    (get("aws_access_key_id"), get("aws_secret_access_key"))
}

/// `work` with alice's key, `default` made from it with `credwiz use work`, `other` with
/// another key.
fn setup(s: &Sandbox, key: &str, secret: &str) {
    s.write(
        CONFIG,
        &format!(
            "# keys\n[work]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n\n[other]\naws_access_key_id = {KEY_ID2}\naws_secret_access_key = {SECRET}\n"
        ),
    );
    let out = s.run(&["use", "work"], "");
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn rotate_writes_every_holder_checks_the_new_key_and_deactivates_the_old() {
    let s = Sandbox::new();
    let moto = start_moto();
    let (old, old_secret) = moto_user(&s, &moto);
    setup(&s, &old, &old_secret);
    let before = s.read_text();

    let out = rotate(&s, &moto, &["work", "--yes"]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("the new key will be written into `work` and `default`"),
        "{said}"
    );
    assert!(said.contains("STS accepts the new key"), "{said}");
    let (new, new_secret) = pair(&s, "work");
    assert_ne!(new, old);
    assert_no_secret(&out, &[&old_secret, &new_secret]);
    assert_eq!(pair(&s, "default"), (new.clone(), new_secret.clone()));
    assert_eq!(pair(&s, "other"), (KEY_ID2.to_string(), SECRET.to_string()));
    // Every other byte as it was: putting the old pair back gives the files as they were.
    let after = s.read_text();
    let back = |text: &str| text.replace(&new, &old).replace(&new_secret, &old_secret);
    assert_eq!((back(&after.0), back(&after.1)), before);

    let user = format!("arn:aws:iam::{ACCOUNT}:user/alice");
    assert_eq!(caller_arn(&s, &moto, "work"), user);
    assert_eq!(caller_arn(&s, &moto, "default"), user);
    let mut keys = listed(&s, &moto, "work");
    keys.sort_by_key(|(id, _)| *id != old);
    assert_eq!(
        keys,
        [
            (old.clone(), "Inactive".into()),
            (new.clone(), "Active".into())
        ]
    );
    // Rotation knows when the new key was made: every profile holding it says so.
    let out = s.run(&["list", "--json"], "");
    let profiles: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    for profile in &profiles {
        let known = profile["key_created"].is_string();
        let holds_new = profile["access_key_id"] == Value::String(new.clone());
        assert_eq!(known, holds_new, "{profile}");
    }
    assert!(
        stdout(&s.run(&["show", "default"], "")).contains("key created "),
        "the default holds the new key too"
    );

    // The user has two keys now, the other inactive: the next rotation deletes it to
    // make room, and `--delete` deletes the key it replaces.
    let out = rotate(&s, &moto, &["work", "--yes", "--delete"]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    let (newer, _) = pair(&s, "work");
    assert_eq!(listed(&s, &moto, "work"), [(newer, "Active".to_string())]);
}

#[test]
fn two_active_keys_stop_unless_delete_other_and_finish_deletes_the_old_key() {
    let s = Sandbox::new();
    let moto = start_moto();
    let (old, old_secret) = moto_user(&s, &moto);
    setup(&s, &old, &old_secret);
    // A second active key, made by hand.
    let script = with_profile(
        &moto,
        "work",
        "print(iam.create_access_key(UserName='alice')['AccessKey']['AccessKeyId'])",
    );
    let other = s.python(&script).trim().to_string();
    let before = s.read();

    let out = rotate(&s, &moto, &["work", "--yes"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&other) && err.contains("--delete-other") && err.contains("Active"),
        "{err}"
    );
    assert_eq!(s.read(), before, "nothing written");
    assert_eq!(listed(&s, &moto, "work").len(), 2);

    let out = rotate(&s, &moto, &["work", "--yes", "--delete-other"]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    let (new, _) = pair(&s, "work");
    let mut keys = listed(&s, &moto, "work");
    keys.sort_by_key(|(id, _)| *id != old);
    assert_eq!(
        keys,
        [
            (old.clone(), "Inactive".into()),
            (new.clone(), "Active".into())
        ],
        "the other key is gone, the old one deactivated"
    );

    let out = rotate(&s, &moto, &["work", "--finish", "--yes"]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("last used"), "{}", stdout(&out));
    assert_eq!(listed(&s, &moto, "work"), [(new, "Active".to_string())]);
}

fn run_ok(argv: &[&str]) -> bool {
    std::process::Command::new(argv[0])
        .args(&argv[1..])
        .status()
        .is_ok_and(|s| s.success())
}

/// The credentials' directory refuses the write after `CreateAccessKey`: the new key is
/// deleted again, the files are untouched.
#[test]
fn a_write_that_fails_deletes_the_new_key_again() {
    let s = Sandbox::new();
    let moto = start_moto();
    let (old, old_secret) = moto_user(&s, &moto);
    setup(&s, &old, &old_secret);
    let before = s.read();
    let dir = s.credentials.parent().unwrap().display().to_string();
    let root = rustix_is_root();
    let (on, off) = if root {
        (["chattr", "+i"], ["chattr", "-i"])
    } else {
        (["chmod", "500"], ["chmod", "700"])
    };
    if !run_ok(&[on[0], on[1], &dir]) {
        eprintln!("skipped: cannot make {dir} refuse writes ({on:?})");
        return;
    }
    let out = rotate(&s, &moto, &["work", "--yes"]);
    run_ok(&[off[0], off[1], &dir]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("could not write the new key") && err.contains("deleted the new key"),
        "{err}"
    );
    assert_eq!(s.read(), before);
    assert_eq!(listed(&s, &moto, "work"), [(old, "Active".to_string())]);
}

fn rustix_is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn stubbed(s: &Sandbox, sts: u16, iam: u16, args: &[&str]) -> Output {
    s.credwiz()
        .arg("rotate")
        .args(args)
        .env("AWS_ENDPOINT_URL_STS", format!("http://127.0.0.1:{sts}"))
        .env("AWS_ENDPOINT_URL_IAM", format!("http://127.0.0.1:{iam}"))
        .output()
        .unwrap()
}

#[test]
fn access_denied_on_create_names_the_permissions_on_the_users_arn() {
    let s = Sandbox::with_files(
        "",
        &format!("[work]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n"),
    );
    let before = s.read();
    let (sts, _) = answers(vec![(200, ok_body(USER_ARN))]);
    let listing = format!(
        "<ListAccessKeysResponse><ListAccessKeysResult><AccessKeyMetadata><member><UserName>alice</UserName><AccessKeyId>{KEY_ID}</AccessKeyId><Status>Active</Status><CreateDate>2026-01-01T00:00:00Z</CreateDate></member></AccessKeyMetadata><IsTruncated>false</IsTruncated></ListAccessKeysResult></ListAccessKeysResponse>"
    );
    let denied = iam_error(
        "AccessDenied",
        &format!(
            "User: {USER_ARN} is not authorized to perform: iam:CreateAccessKey on resource: user alice because no identity-based policy allows the iam:CreateAccessKey action"
        ),
    );
    let (iam, requests) = answers(vec![(200, listing), (403, denied)]);
    let out = stubbed(&s, sts, iam, &["work", "--yes"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("IAM refused iam:CreateAccessKey"), "{err}");
    for permission in [
        "iam:ListAccessKeys",
        "iam:CreateAccessKey",
        "iam:UpdateAccessKey",
        "iam:DeleteAccessKey",
        "iam:GetAccessKeyLastUsed",
    ] {
        assert!(err.contains(permission), "{permission}: {err}");
    }
    assert!(
        err.contains(&format!("\"Resource\": \"{USER_ARN}\"")),
        "{err}"
    );
    let bodies: Vec<String> = requests.try_iter().collect();
    assert!(
        bodies[0].starts_with("Action=ListAccessKeys")
            && bodies[1].starts_with("Action=CreateAccessKey"),
        "{bodies:?}"
    );
    assert_eq!(s.read(), before);
    assert_no_secret(&out, &[SECRET]);
}

#[test]
fn an_explicit_mfa_deny_asks_for_mfa_and_uses_the_session() {
    let s = Sandbox::with_files(
        "",
        &format!("[work]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n"),
    );
    let deny = iam_error(
        "AccessDenied",
        &format!(
            "User: {USER_ARN} is not authorized to perform: iam:ListAccessKeys on resource: user alice with an explicit deny in an identity-based policy"
        ),
    );
    let mfa = "<ListMFADevicesResponse><ListMFADevicesResult><MFADevices><member><UserName>alice</UserName><SerialNumber>arn:aws:iam::609629065308:mfa/alice</SerialNumber></member></MFADevices></ListMFADevicesResult></ListMFADevicesResponse>".to_string();
    let session = session_body();
    // STS: who, then the session; IAM: the deny, the MFA device, then a refusal to end
    // the run (what came with the session is what is checked).
    let (sts, sts_requests) = answers(vec![(200, ok_body(USER_ARN)), (200, session)]);
    let (iam, iam_requests) = answers(vec![
        (403, deny),
        (200, mfa),
        (403, iam_error("AccessDenied", "stop here")),
    ]);
    let out = stubbed(&s, sts, iam, &["work", "--yes", "--mfa-code", "123456"]);
    let said = format!("{}{}", stdout(&out), stderr(&out));
    let sts_bodies: Vec<String> = sts_requests.try_iter().collect();
    let iam_bodies: Vec<String> = iam_requests.try_iter().collect();
    assert!(
        asks_session_with(&sts_bodies, "123456"),
        "{sts_bodies:?}\n{said}"
    );
    assert_eq!(iam_bodies.len(), 3, "{iam_bodies:?}\n{said}");
    assert!(
        said.contains("explicit deny") && said.contains("signed in with MFA"),
        "{said}"
    );
    assert_no_secret(&out, &[SECRET, SECRET2, TOKEN]);
}

#[test]
fn an_mfa_deny_without_a_code_says_how_to_give_one() {
    let s = Sandbox::with_files(
        "[profile work]\nmfa_serial = arn:aws:iam::609629065308:mfa/alice\n",
        &format!("[work]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n"),
    );
    let (sts, _) = answers(vec![(200, ok_body(USER_ARN))]);
    let (iam, _) = answers(vec![]);
    let out = stubbed(&s, sts, iam, &["work", "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--mfa-code"), "{}", stderr(&out));
}

/// A proxy in front of moto that passes every request on, but on the `nth` request whose
/// body holds `action` lets moto do it and then never answers (after touching `marker`):
/// credwiz waits for an answer there, to be killed at that very step.
const PAUSING_PROXY: &str = r#"
import http.client, http.server, os, sys, time, threading
moto, action, nth, marker = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
seen = [0]
lock = threading.Lock()
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
        upstream = http.client.HTTPConnection('127.0.0.1', moto)
        upstream.request('POST', self.path, body, dict(self.headers.items()))
        answer = upstream.getresponse()
        data = answer.read()
        with lock:
            if action.encode() in body:
                seen[0] += 1
                pause = seen[0] == nth
            else:
                pause = False
        if pause:
            open(marker, 'w').close()
            time.sleep(60)
            return
        self.send_response(answer.status)
        self.send_header('Content-Type', answer.getheader('Content-Type', 'text/xml'))
        self.send_header('Content-Length', str(len(data)))
        self.send_header('Connection', 'close')
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"#;

struct Proxy(std::process::Child, u16);

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn pausing_proxy(moto: &Moto, action: &str, nth: u32, marker: &std::path::Path) -> Proxy {
    let mut child = std::process::Command::new("python3")
        .args(["-c", PAUSING_PROXY])
        .arg(moto.port.to_string())
        .arg(action)
        .arg(nth.to_string())
        .arg(marker)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line.trim().parse().unwrap();
    Proxy(child, port)
}

/// SIGKILL at each step (after IAM made the new key and before credwiz heard of it; after
/// the write, while checking the new key; while retiring the old key), then `rotate`
/// again: it rolls back or resumes, and ends with the profiles on a working key and at most
/// one other key, inactive.
#[test]
fn a_rotation_killed_at_any_step_ends_clean_with_the_next_rotate() {
    let cases = [
        ("Action=CreateAccessKey", 1, "rolled back"),
        ("Action=GetCallerIdentity", 2, "resuming"),
        ("Action=UpdateAccessKey", 1, "resuming"),
    ];
    for (action, nth, next) in cases {
        let s = Sandbox::new();
        let moto = start_moto();
        let (old, old_secret) = moto_user(&s, &moto);
        setup(&s, &old, &old_secret);
        let marker = s.dir.path().join("paused");
        let proxy = pausing_proxy(&moto, action, nth, &marker);
        let mut child = s
            .credwiz()
            .args(["rotate", "work", "--yes"])
            .env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{}", proxy.1))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while !marker.exists() {
            assert!(
                std::time::Instant::now() < deadline,
                "{action}: never got there"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        drop(proxy);

        let out = rotate(&s, &moto, &["work", "--yes"]);
        let said = stdout(&out);
        assert!(out.status.success(), "{action}: {said}\n{}", stderr(&out));
        assert!(said.contains(next), "{action}: {said}");
        let (work, _) = pair(&s, "work");
        assert_eq!(pair(&s, "default"), pair(&s, "work"), "{action}");
        assert_eq!(
            caller_arn(&s, &moto, "work"),
            format!("arn:aws:iam::{ACCOUNT}:user/alice")
        );
        let keys = listed(&s, &moto, "work");
        let others: Vec<_> = keys.iter().filter(|(id, _)| *id != work).collect();
        assert!(
            keys.contains(&(work.clone(), "Active".into()))
                && others.len() <= 1
                && others.iter().all(|(_, status)| status == "Inactive"),
            "{action}: {keys:?}"
        );
        let state = std::fs::read_to_string(s.home.join(".config/credwiz/state.ini")).unwrap();
        assert!(!state.contains("[rotation"), "{action}: {state}");
    }
}

/// IAM is held to `verify`'s rules: plain `http://` to another machine is refused before
/// connecting (no verdict, exit 3), and nothing changes.
#[test]
fn plain_http_to_another_machine_is_refused_for_iam_too() {
    let s = Sandbox::with_files(
        "",
        &format!("[work]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n"),
    );
    let before = s.read();
    let (sts, _) = answers(vec![(200, ok_body(USER_ARN))]);
    let out = s
        .credwiz()
        .args(["rotate", "work", "--yes"])
        .env("AWS_ENDPOINT_URL_STS", format!("http://127.0.0.1:{sts}"))
        .env("AWS_ENDPOINT_URL_IAM", "http://192.0.2.1:80")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("plain http:// to another machine")
            && stderr(&out).contains("AWS_ENDPOINT_URL_IAM"),
        "{}",
        stderr(&out)
    );
    assert_eq!(s.read(), before);
}

/// alice, allowed to manage her own keys and to call STS, with one key: (key ID, secret).
fn moto_user(s: &Sandbox, moto: &Moto) -> (String, String) {
    let [alice] = &moto.users(s, &[("alice", Some(&["iam:*", "sts:*"]))])[..] else {
        panic!("one user");
    };
    (alice.key_id.clone(), alice.secret.clone())
}

fn rotate(s: &Sandbox, moto: &Moto, args: &[&str]) -> Output {
    let args: Vec<&str> = std::iter::once("rotate")
        .chain(args.iter().copied())
        .collect();
    moto.credwiz(s, &args)
}
