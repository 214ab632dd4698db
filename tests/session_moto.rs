//! `credwiz session` against moto's STS and IAM on loopback, signature checking on: the
//! session profile is written as `aws configure mfa-login` writes one (key, secret, token
//! in the credentials file) with its `expiration`, botocore resolves it, a role profile
//! chained to it assumes its role; renewing replaces only its keys. Stub servers for the
//! refusals moto does not produce (a wrong code, a clock that is off).

mod common;

use common::moto::{ACCOUNT, Moto, MotoUser, start_moto};
use common::*;

const SERIAL: &str = "arn:aws:iam::609629065308:mfa/alice-phone";

/// alice, allowed everything, with a virtual MFA device and a role `admin` she may assume.
fn alice_with_mfa(s: &Sandbox, moto: &Moto) -> MotoUser {
    let alice = moto
        .users(s, &[("alice", Some(&["iam:*", "sts:*"]))])
        .remove(0);
    let trust = format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Effect\": \"Allow\", \"Principal\": {{\"AWS\": \"arn:aws:iam::{ACCOUNT}:root\"}}, \"Action\": \"sts:AssumeRole\"}}]}}"
    );
    let script = format!(
        "import boto3\n\
         iam = boto3.client('iam', endpoint_url={url:?}, region_name='us-east-1', aws_access_key_id={key:?}, aws_secret_access_key={secret:?})\n\
         device = iam.create_virtual_mfa_device(VirtualMFADeviceName='alice-phone')['VirtualMFADevice']\n\
         iam.enable_mfa_device(UserName='alice', SerialNumber=device['SerialNumber'], AuthenticationCode1='123456', AuthenticationCode2='654321')\n\
         iam.create_role(RoleName='admin', AssumeRolePolicyDocument={trust:?})\n\
         print(device['SerialNumber'])\n",
        url = moto.url(),
        key = alice.key_id,
        secret = alice.secret,
    );
    assert_eq!(s.python(&script).trim(), SERIAL);
    alice
}

/// The caller's ARN for `profile`, as botocore resolves its credentials (a role's
/// AssumeRole included), every call at moto.
fn caller(s: &Sandbox, moto: &Moto, profile: &str) -> String {
    s.python(&format!(
        "import boto3, os\n\
         os.environ['AWS_ENDPOINT_URL'] = {url:?}\n\
         sts = boto3.Session(profile_name={profile:?}).client('sts', region_name='us-east-1')\n\
         print(sts.get_caller_identity()['Arn'])\n",
        url = moto.url()
    ))
    .trim()
    .to_string()
}

fn section_of(text: &str, header: &str) -> String {
    text.split("\n[")
        .find(|part| part.trim_start_matches('[').starts_with(header))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_session_goes_into_its_profile_botocore_resolves_it_and_a_chained_role_uses_it() {
    let s = Sandbox::new();
    let moto = start_moto();
    let alice = alice_with_mfa(&s, &moto);
    let config = format!(
        "# mine\n[profile work]\nregion = eu-west-1\noutput = json\n\n[profile admin]\nrole_arn = arn:aws:iam::{ACCOUNT}:role/admin\nsource_profile = work-session\n"
    );
    s.write(
        &config,
        &format!(
            "[work]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            alice.key_id, alice.secret
        ),
    );
    let out = moto.credwiz(&s, &["session", "work", "--code", "123456"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let said = stdout(&out);
    assert!(said.contains(&format!("MFA device: {SERIAL}")), "{said}");
    assert!(
        said.contains("✓ MFA session started in `work-session` (from `work`"),
        "{said}"
    );
    assert!(said.contains("saved `mfa_serial"), "{said}");
    assert!(
        said.contains("`admin` (source_profile = work-session) now work without an MFA prompt"),
        "{said}"
    );
    assert!(
        said.contains("renew it with: credwiz session work"),
        "{said}"
    );
    assert_no_secret(&out, &[&alice.secret]);

    let profiles = s.botocore_profiles();
    let session = &profiles["work-session"];
    // moto's GetSessionToken answers with AWS's documented example keys.
    assert_ne!(
        session["aws_access_key_id"],
        alice.key_id.as_str(),
        "{session}"
    );
    assert!(session["aws_session_token"].is_string(), "{session}");
    assert_eq!(
        session["region"], "eu-west-1",
        "the source's region comes along"
    );
    assert_eq!(profiles["work"]["mfa_serial"], SERIAL);
    let (config_after, credentials_after) = s.read_text();
    let written = section_of(&credentials_after, "work-session]");
    assert!(
        written.contains("aws_session_token = ") && written.contains("expiration = 20"),
        "key, secret, token and expiry in the credentials file:\n{credentials_after}"
    );
    assert!(
        config_after.starts_with(&config.replace(
            "output = json\n",
            &format!("output = json\nmfa_serial = {SERIAL}\n")
        )),
        "the rest of config as it was:\n{config_after}"
    );
    let resolved = s.python(
        "import boto3\n\
         c = boto3.Session(profile_name='work-session').get_credentials()\n\
         print(c.method, c.access_key, len(c.token))\n",
    );
    assert_eq!(
        resolved.trim(),
        format!(
            "shared-credentials-file {} {}",
            session["aws_access_key_id"].as_str().unwrap(),
            session["aws_session_token"].as_str().unwrap().len()
        )
    );
    // moto does not know the example keys its GetSessionToken hands out, so the two
    // calls of the chain (AssumeRole with the session, then GetCallerIdentity) are let
    // through its signature check; that botocore takes the session for the role is what
    // is checked.
    moto.unchecked(&s, 2);
    assert!(
        caller(&s, &moto, "admin").contains(":assumed-role/admin/"),
        "the role chained to the session assumes its role"
    );

    // Renewing (by the session's name): new keys, the profile's other lines kept.
    let expiry_before = session["expiration"].as_str().unwrap().to_string();
    let out = moto.credwiz(&s, &["session", "work-session", "--code", "654321"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("✓ MFA session renewed in `work-session` (from `work`"),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains("saved `mfa_serial"));
    let renewed = s.botocore_profiles();
    assert_ne!(
        renewed["work-session"]["expiration"],
        expiry_before.as_str()
    );
    assert_eq!(
        renewed["work"], profiles["work"],
        "the source is untouched by a renewal"
    );
    let (config_renewed, _) = s.read_text();
    assert_eq!(config_renewed, config_after);
}

#[test]
fn what_a_session_cannot_be_made_from_or_into_is_refused_and_nothing_is_written() {
    let s = Sandbox::with_files(
        "[profile admin]\nrole_arn = arn:aws:iam::609629065308:role/admin\nsource_profile = work\n",
        &format!(
            "[work]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n\n[other]\naws_access_key_id = {KEY_ID2}\naws_secret_access_key = {SECRET2}\n\n[temp]\naws_access_key_id = {TEMP_KEY_ID}\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\n"
        ),
    );
    let before = s.read();
    let cases: [(&[&str], &str); 7] = [
        (&["session", "admin", "--code", "123456"], "assumes a role"),
        (
            &["session", "temp", "--code", "123456"],
            "credwiz does not know which profile it was made from",
        ),
        (
            &["session", "work", "--into", "work", "--code", "123456"],
            "replace its long-term key",
        ),
        (
            &["session", "work", "--into", "other", "--code", "123456"],
            "`other` exists and is not an MFA session",
        ),
        (
            &["session", "work", "--duration", "10m", "--code", "1"],
            "--duration: an MFA session lasts from 15 min to 36 h",
        ),
        (&["session", "work", "--serial", SERIAL], "pass --code CODE"),
        (
            &["session", "nope", "--code", "123456"],
            "no profile named `nope`",
        ),
    ];
    for (args, said) in cases {
        let out = s.run(args, "");
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(said), "{args:?}: {}", stderr(&out));
        assert_eq!(s.read(), before, "{args:?} wrote nothing");
    }
}

fn stubbed(s: &Sandbox, sts: u16, args: &[&str]) -> std::process::Output {
    s.credwiz()
        .args(args)
        .env("AWS_ENDPOINT_URL_STS", format!("http://127.0.0.1:{sts}"))
        .env("AWS_ENDPOINT_URL_IAM", "http://127.0.0.1:9")
        .output()
        .unwrap()
}

#[test]
fn a_wrong_code_and_a_clock_that_is_off_are_said_in_peoples_words() {
    let s = Sandbox::with_files(
        &format!("[profile work]\nmfa_serial = {SERIAL}\n"),
        &format!("[work]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n"),
    );
    let before = s.read();
    let wrong = error_body(
        "AccessDenied",
        "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
    );
    let (sts, requests) = answers(vec![(403, wrong)]);
    let out = stubbed(&s, sts, &["session", "work", "--code", "123456"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("STS did not accept the code for arn:aws:iam::609629065308:mfa/alice-phone: it was mistyped, already used"),
        "{}",
        stderr(&out)
    );
    let body = requests.try_iter().next().unwrap();
    assert!(
        body.contains("Action=GetSessionToken") && body.contains("DurationSeconds=43200"),
        "12 h unless told: {body}"
    );
    assert_eq!(s.read(), before);

    let denied = error_body(
        "AccessDenied",
        "User: arn:aws:iam::609629065308:user/alice is not authorized to perform: sts:GetSessionToken with an explicit deny",
    );
    let (sts, _) = answers(vec![(403, denied)]);
    let out = stubbed(&s, sts, &["session", "work", "--code", "123456"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the user needs sts:GetSessionToken")
            && !stderr(&out).contains("mistyped"),
        "a denied call is not a wrong code: {}",
        stderr(&out)
    );
    assert_eq!(s.read(), before);

    let skew = error_body(
        "SignatureDoesNotMatch",
        "Signature expired: 20261202T000000Z is now earlier than 20261202T001500Z (20261202T003000Z - 15 min.)",
    );
    let (sts, _) = answers(vec![(403, skew)]);
    let out = stubbed(
        &s,
        sts,
        &["session", "work", "--code", "123456", "--duration", "1h"],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("clock"), "{}", stderr(&out));
    assert_eq!(s.read(), before);
    assert_no_secret(&out, &[SECRET]);
}

#[test]
fn several_mfa_devices_without_a_terminal_are_listed_with_how_to_choose() {
    let s = Sandbox::new();
    let moto = start_moto();
    let alice = alice_with_mfa(&s, &moto);
    let script = format!(
        "import boto3\n\
         iam = boto3.client('iam', endpoint_url={url:?}, region_name='us-east-1', aws_access_key_id={key:?}, aws_secret_access_key={secret:?})\n\
         device = iam.create_virtual_mfa_device(VirtualMFADeviceName='alice-laptop')['VirtualMFADevice']\n\
         iam.enable_mfa_device(UserName='alice', SerialNumber=device['SerialNumber'], AuthenticationCode1='123456', AuthenticationCode2='654321')\n",
        url = moto.url(),
        key = alice.key_id,
        secret = alice.secret,
    );
    s.python(&script);
    s.write(
        "",
        &format!(
            "[work]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            alice.key_id, alice.secret
        ),
    );
    let before = s.read();
    let out = moto.credwiz(&s, &["session", "work", "--code", "123456"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("2 MFA devices; choose one with --serial ARN")
            && err.contains("alice-phone")
            && err.contains("alice-laptop"),
        "{err}"
    );
    assert_eq!(s.read(), before);
}

/// `m` in the picker: the device found and shown, the code checked as typed, the session
/// profile in the table once STS answered; `m` on it renews it.
#[test]
fn m_in_the_picker_starts_a_session_and_renews_it() {
    let s = Sandbox::new();
    let moto = start_moto();
    let alice = alice_with_mfa(&s, &moto);
    s.write(
        "[profile work]\nregion = eu-west-1\n",
        &format!(
            "[work]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            alice.key_id, alice.secret
        ),
    );
    let t = Tmux::start(
        &s,
        &format!("AWS_ENDPOINT_URL={} {}", moto.url(), credwiz_line("")),
    );
    t.wait_for("credwiz · 1 profile");
    t.send(&["m"]);
    t.wait_for("MFA session for `work`");
    t.wait_for(SERIAL);
    t.send(&["-l", "12a"]);
    t.wait_for("✗ an MFA code is 6 digits; `a` is not a digit");
    t.send(&["BSpace"]);
    t.send(&["-l", "3456"]);
    t.wait_for("✓ 6 digits");
    t.send(&["Enter"]);
    let screen = t.wait_for("✓ MFA session started in `work-session`");
    assert!(screen.contains("credwiz · 2 profiles"), "{screen}");
    // moto's session lasts the 12 h asked for: the kind column and the detail pane say so.
    assert!(
        screen.contains("session 11h 59m") || screen.contains("session 12h 0m"),
        "the time left is shown:\n{screen}"
    );
    assert!(screen.contains("expires in "), "{screen}");
    assert!(
        screen.contains("› ") && screen.contains("work-session"),
        "the session profile is highlighted:\n{screen}"
    );
    let profiles = s.botocore_profiles();
    assert_eq!(
        profiles["work"]["mfa_serial"], SERIAL,
        "the device found is saved"
    );
    assert!(profiles["work-session"]["aws_session_token"].is_string());

    t.send(&["m"]);
    t.wait_for("Renew the MFA session `work-session`");
    t.send(&["-l", "654321"]);
    t.send(&["Enter"]);
    t.wait_for("✓ MFA session renewed in `work-session`");
    assert_eq!(t.end_with(&["q"]), 0);
}
