//! `credwiz doctor` on profiles for other services (issue 13): an `endpoint_url` no
//! reader can use is an error, one credwiz would not write a warning, each with its file
//! and line and what to do; good endpoints, other services' keys (R2's 32 hex
//! characters, LocalStack's `test`) and AWS's example keys draw no finding at all; an
//! endpoint with a path and an AWS key with a likely typo a warning.

mod common;

use common::*;

const R2_ID: &str = "0123456789abcdef0123456789abcdef";
const AWS_SECRET: &str = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";

fn r2_secret() -> String {
    "ab".repeat(32)
}

fn doctor(s: &Sandbox) -> (String, Option<i32>) {
    let out = s.credwiz().arg("doctor").output().unwrap();
    assert_no_secret(&out, &[AWS_SECRET, &r2_secret(), "hunter2hunter2"]);
    (
        format!("{}{}", stdout(&out), stderr(&out)),
        out.status.code(),
    )
}

#[test]
fn good_endpoints_and_other_services_keys_draw_no_finding() {
    let config = "[profile r2]\nregion = auto\nendpoint_url = https://0123abcd.r2.cloudflarestorage.com\n\
                  [profile localstack]\nregion = us-east-1\nendpoint_url = http://localhost:4566\n\
                  [profile minio]\nregion = us-east-1\nendpoint_url = http://127.0.0.1:9000/\n\
                  [profile spaces]\nregion = nyc3\nendpoint_url = https://nyc3.digitaloceanspaces.com\n\
                  [profile garage]\nregion = garage\nendpoint_url = https://garage.example.org:3900\n\
                  [profile ipv6]\nendpoint_url = http://[::1]:4566\n\
                  [profile s3]\nendpoint_url = https://s3.eu-west-1.amazonaws.com\n\
                  [profile unset]\nendpoint_url =\n";
    let credentials = format!(
        "[r2]\naws_access_key_id = {R2_ID}\naws_secret_access_key = {}\n\
         [localstack]\naws_access_key_id = test\naws_secret_access_key = test\n\
         [minio]\naws_access_key_id = minioadmin\naws_secret_access_key = minioadmin\n\
         [spaces]\naws_access_key_id = DO00ABCDEFGHIJKLMNOP\naws_secret_access_key = {AWS_SECRET}\n\
         [garage]\naws_access_key_id = GK31c2f218a2e44f485b94239e\naws_secret_access_key = {AWS_SECRET}\n\
         [default]\naws_access_key_id = AKIAI44QH8DHBEXAMPLE\naws_secret_access_key = {AWS_SECRET}\n",
        r2_secret()
    );
    let s = Sandbox::with_files(config, &credentials);
    let (text, code) = doctor(&s);
    assert!(
        text.to_lowercase().starts_with("no problems found") && text.lines().count() == 1,
        "{text}"
    );
    assert_eq!(code, Some(0), "{text}");
}

#[test]
fn endpoints_no_reader_can_use_are_errors_with_their_line() {
    let config = "[profile r2]\nregion = auto\nendpoint_url = https://<account id>.r2.cloudflarestorage.com\n\
                  [profile bare]\nendpoint_url = s3.example.com\n\
                  [profile ftp]\nendpoint_url = ftp://files.example.com\n\
                  [profile nohost]\nendpoint_url = https://:9000\n\
                  [profile spaced]\nendpoint_url = https://s3.example.com /x\n";
    let s = Sandbox::with_files(config, "");
    let (text, code) = doctor(&s);
    let config_path = s.config.display().to_string();
    for (line, name, said) in [
        (
            3,
            "r2",
            "replace <account id> in the endpoint URL with yours",
        ),
        (5, "bare", "starts with https:// (https://s3.example.com?)"),
        (7, "ftp", "starts with https://"),
        (9, "nohost", "has no host"),
        (11, "spaced", "no spaces"),
    ] {
        let finding = text
            .lines()
            .find(|l| l.contains(&format!("profile `{name}`: endpoint_url")))
            .unwrap_or_else(|| panic!("`{name}` is named: {text}"));
        assert!(
            finding.starts_with(&format!("error: {config_path} line {line}: "))
                && finding.contains(said)
                && finding.contains("every command with it fails")
                && finding.contains("correct it"),
            "{finding}"
        );
    }
    assert_eq!(code, Some(1), "errors fail doctor: {text}");
}

#[test]
fn endpoints_credwiz_would_not_write_are_warnings() {
    let config = "[profile pw]\nendpoint_url = https://me:hunter2hunter2@s3.example.com\n\
                  [profile query]\nendpoint_url = https://s3.example.com/?x=1\n\
                  [profile far]\nendpoint_url = http://minio.lan:9000\n";
    let s = Sandbox::with_files(config, "");
    let (text, code) = doctor(&s);
    let config_path = s.config.display().to_string();
    let finding = |name: &str| {
        text.lines()
            .find(|l| l.contains(&format!("profile `{name}`: endpoint_url")))
            .unwrap_or_else(|| panic!("`{name}` is named: {text}"))
            .to_string()
    };
    let pw = finding("pw");
    assert!(
        pw.starts_with(&format!("warning: {config_path} line 2: "))
            && pw.contains("`https://****@s3.example.com`")
            && pw.contains("user name or password"),
        "the password is masked: {pw}"
    );
    let query = finding("query");
    assert!(
        query.starts_with(&format!("warning: {config_path} line 4: ")) && query.contains("?query"),
        "{query}"
    );
    let far = finding("far");
    assert!(
        far.starts_with(&format!("warning: {config_path} line 6: "))
            && far.contains("cross the network unencrypted")
            && far.contains("use https://"),
        "{far}"
    );
    assert_eq!(
        text.matches("profile `far`").count(),
        1,
        "plain http:// is named once: {text}"
    );
    assert_eq!(code, Some(0), "warnings only: {text}");
}

#[test]
fn an_endpoint_with_a_path_and_an_aws_key_with_a_likely_typo_are_warnings() {
    let config = "[profile garage]\nendpoint_url = https://garage.example.org:3900/base\n";
    let credentials = format!(
        "[garage]\naws_access_key_id = GK31c2f218a2e44f485b94239e\naws_secret_access_key = {AWS_SECRET}\n\
         [typo]\naws_access_key_id = AKIAY34FZKB0KMUTVV7A\naws_secret_access_key = {AWS_SECRET}\n\
         [default]\naws_access_key_id = AKIAY34FZKBOKMUTVV7A\naws_secret_access_key = {AWS_SECRET}\n"
    );
    let s = Sandbox::with_files(config, &credentials);
    let (text, code) = doctor(&s);
    assert_eq!(code, Some(0), "warnings only: {text}");
    assert!(
        text.contains("config line 2: profile `garage`: the endpoint has a path (/base)"),
        "{text}"
    );
    assert!(
        text.contains(
            "profile `typo`: its access key ID AKIA…VV7A: AWS's key IDs hold only A–Z and 2–7"
        ) && text.contains("`0` at position 12 is not one of them (the letter O?)"),
        "{text}"
    );
    assert_eq!(text.matches("warning:").count(), 2, "{text}");
}
