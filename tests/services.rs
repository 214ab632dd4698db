//! Profiles for S3-compatible services and local emulators through the CLI: each preset's
//! profile added, read back by botocore with its endpoint, edited, renamed, removed; and
//! AWS's own key checks that warn instead of locking a real key out.

mod common;

use common::*;
use serde_json::Value;

/// One profile per preset: name, endpoint, region, key ID, secret.
const PRESET_PROFILES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "localstack",
        "http://localhost:4566",
        "us-east-1",
        "test",
        "test",
    ),
    (
        "minio",
        "http://127.0.0.1:9000",
        "us-east-1",
        "minioadmin",
        "minioadmin-secret",
    ),
    (
        "r2",
        "https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com",
        "auto",
        "0123456789abcdef0123456789abcdef",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    ),
    (
        "b2",
        "https://s3.us-west-004.backblazeb2.com",
        "us-west-004",
        "004a1b2c3d4e5f60000000001",
        "K004abcdefghijklmnopqrstuvwxyz0",
    ),
    (
        "wasabi",
        "https://s3.eu-central-1.wasabisys.com",
        "eu-central-1",
        "W1ASABIKEYEXAMPLE000",
        "wasabisecretwasabisecretwasabisecret0000",
    ),
    (
        "spaces",
        "https://nyc3.digitaloceanspaces.com",
        "nyc3",
        "DO00EXAMPLEKEY000000",
        "spacessecretspacessecretspacessecret0000000",
    ),
    (
        "garage",
        "https://garage.example.org:3900",
        "garage",
        "GK31c2f218a2e44f485b94239e",
        "b892c0665f0ada8a4755dae98baa3b133590e11dae3bcc1f9d769d67f16c3835",
    ),
];

/// What botocore resolves for `profile`: the S3 client's endpoint, its region, and the
/// credentials (the key ID, and whether the secret is the expected one — never printed).
fn botocore_s3(s: &Sandbox, profile: &str, secret: &str) -> Value {
    let script = format!(
        "import json, botocore.session\n\
         session = botocore.session.Session(profile={profile:?})\n\
         client = session.create_client('s3')\n\
         creds = session.get_credentials()\n\
         print(json.dumps({{'endpoint': client.meta.endpoint_url, 'region': client.meta.region_name,\n\
             'key_id': creds.access_key, 'secret_ok': creds.secret_key == {secret:?}}}))"
    );
    serde_json::from_str(&s.python(&script)).expect("botocore printed JSON")
}

fn list_json(s: &Sandbox) -> Vec<Value> {
    let out = s.run(&["list", "--json"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn entry<'a>(list: &'a [Value], name: &str) -> &'a Value {
    list.iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {list:?}"))
}

fn add_service(s: &Sandbox, name: &str, endpoint: &str, region: &str, key: &str, secret: &str) {
    let args = ["--endpoint-url", endpoint, "--region", region];
    let out = s.add(name, key, &format!("{secret}\n"), &args);
    assert!(out.status.success(), "{name}: {}", stderr(&out));
    // An emulator's secret may be its key ID (`test`/`test`), which is shown.
    if secret.len() >= 12 {
        assert_no_secret(&out, &[secret]);
    }
}

#[test]
fn each_presets_profile_is_added_and_botocore_reads_its_endpoint() {
    let s = Sandbox::new();
    for (name, endpoint, region, key, secret) in PRESET_PROFILES {
        add_service(&s, name, endpoint, region, key, secret);
    }
    let list = list_json(&s);
    for (name, endpoint, region, key, secret) in PRESET_PROFILES {
        let read = botocore_s3(&s, name, secret);
        assert_eq!(read["endpoint"], *endpoint, "{name}");
        assert_eq!(read["region"], *region, "{name}");
        assert_eq!(read["key_id"], *key, "{name}");
        assert_eq!(read["secret_ok"], true, "{name}");
        let listed = entry(&list, name);
        assert_eq!(listed["kind"], "endpoint", "{name}");
        assert_eq!(listed["endpoint_url"], *endpoint, "{name}");
        assert_eq!(listed["account_id"], Value::Null, "{name}");
    }
    let service = |name: &str| entry(&list, name)["service"].clone();
    assert_eq!(service("localstack"), "LocalStack");
    assert_eq!(service("minio"), "MinIO");
    assert_eq!(service("r2"), "R2");
    assert_eq!(service("b2"), "B2");
    assert_eq!(service("wasabi"), "Wasabi");
    assert_eq!(service("spaces"), "Spaces");
    assert_eq!(service("garage"), "other");

    let (config, _) = s.read_text();
    assert!(
        config.contains(
            "[profile r2]\nregion = auto\nendpoint_url = https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com\n"
        ),
        "{config}"
    );
    let table = stdout(&s.run(&["list"], ""));
    let r2_row = table.lines().find(|l| l.contains(" r2 ")).unwrap();
    assert!(
        r2_row.contains("R2")
            && r2_row.ends_with("0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com"),
        "{table}"
    );
}

#[test]
fn the_endpoint_is_written_where_aws_configure_set_writes_it() {
    let ours = Sandbox::new();
    add_service(
        &ours,
        "minio",
        "http://localhost:9000",
        "us-east-1",
        "minioadmin",
        "minio-secret",
    );
    let theirs = Sandbox::new();
    for (key, value) in [
        ("aws_access_key_id", "minioadmin"),
        ("aws_secret_access_key", "minio-secret"),
        ("region", "us-east-1"),
        ("endpoint_url", "http://localhost:9000"),
    ] {
        theirs.aws(&["configure", "set", key, value, "--profile", "minio"]);
    }
    assert_eq!(ours.botocore_profiles(), theirs.botocore_profiles());
}

#[test]
fn a_service_profile_is_edited_renamed_and_removed() {
    let s = Sandbox::new();
    let (name, endpoint, region, key, secret) = PRESET_PROFILES[2];
    add_service(&s, name, endpoint, region, key, secret);

    // New keys only: the endpoint stays, and the service's rules still apply.
    let new_key = "fedcba9876543210fedcba9876543210";
    let out = s.add(name, new_key, &format!("{secret}\n"), &["--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(botocore_s3(&s, name, secret)["endpoint"], endpoint);
    assert_eq!(botocore_s3(&s, name, secret)["key_id"], new_key);

    // A new endpoint.
    let moved = "https://fedcba9876543210fedcba9876543210.r2.cloudflarestorage.com";
    let out = s.add(
        name,
        new_key,
        &format!("{secret}\n"),
        &["--force", "--endpoint-url", moved],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(botocore_s3(&s, name, secret)["endpoint"], moved);

    let out = s.run(&["rename", name, "cloudflare"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let read = botocore_s3(&s, "cloudflare", secret);
    assert_eq!(read["endpoint"], moved);
    assert_eq!(read["region"], "auto");
    assert_eq!(entry(&list_json(&s), "cloudflare")["service"], "R2");

    let out = s.run(&["remove", "cloudflare", "--yes"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(list_json(&s).is_empty());
    let (config, credentials) = s.read_text();
    assert!(
        !config.contains("endpoint_url") && !credentials.contains(new_key),
        "{config}"
    );
}

#[test]
fn a_bad_endpoint_is_refused_with_what_to_do_and_nothing_is_written() {
    let s = Sandbox::new();
    for (endpoint, says) in [
        ("http://minio.lan:9000", "unencrypted: use https://"),
        (
            "https://<account id>.r2.cloudflarestorage.com",
            "replace <account id>",
        ),
        (
            "s3.example.com",
            "starts with https:// (https://s3.example.com?)",
        ),
        ("https://user:pw@s3.example.com", "user name or password"),
    ] {
        let out = s.add("svc", "key", "secret\n", &["--endpoint-url", endpoint]);
        assert_eq!(out.status.code(), Some(1), "{endpoint}");
        assert!(stderr(&out).contains(says), "{endpoint}: {}", stderr(&out));
        assert!(!stderr(&out).contains("pw@"), "{}", stderr(&out));
    }
    let out = s.add(
        "svc",
        "key with space",
        "secret\n",
        &["--endpoint-url", "http://localhost:4566"],
    );
    assert!(stderr(&out).contains("position 4"), "{}", stderr(&out));
    assert_eq!(s.read(), (vec![], vec![]), "nothing was written");
}

#[test]
fn a_provider_key_of_an_unusual_shape_is_saved_with_a_hint() {
    let s = Sandbox::new();
    let out = s.add(
        "r2",
        "AKIAY34FZKBOKMUTVV7A",
        &format!("{SECRET}\n"),
        &[
            "--endpoint-url",
            "https://abc.r2.cloudflarestorage.com",
            "--region",
            "auto",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("R2 access key IDs are usually 32 hexadecimal characters; this one has 20"),
        "{err}"
    );
    assert!(
        err.contains("R2 secrets are usually 64 hexadecimal characters; this one has 40"),
        "{err}"
    );
    assert_no_secret(&out, &[SECRET]);
}

#[test]
fn keys_for_another_service_without_its_endpoint_say_where_they_belong() {
    let s = Sandbox::new();
    for key in ["test", "minioadmin", "0123456789abcdef0123456789abcdef-"] {
        let out = s.add("localstack", key, "test\n", &[]);
        assert_eq!(out.status.code(), Some(1), "{key}");
        assert!(
            stderr(&out).contains(
                "belong in a profile with the service's endpoint URL: add --endpoint-url URL"
            ),
            "{key}: {}",
            stderr(&out)
        );
    }
    assert_eq!(s.read(), (vec![], vec![]));
}

#[test]
fn doubtful_aws_keys_are_saved_with_a_warning_never_refused() {
    let s = Sandbox::new();
    let out = s.add("docs", "AKIAI44QH8DHBEXAMPLE", &format!("{SECRET2}\n"), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("an example key from AWS's documentation: it will not work against AWS"),
        "{}",
        stderr(&out)
    );
    let out = s.add("typo", "AKIAY34FZKBOKMUTVV1A", &format!("{SECRET}\n"), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("`1` at position 19 is not one of them (the letter I?)"),
        "{}",
        stderr(&out)
    );
    let list = list_json(&s);
    assert_eq!(
        entry(&list, "typo")["account_id"],
        Value::Null,
        "no account decoded from a doubtful key"
    );
    assert_eq!(entry(&list, "docs")["kind"], "static");
    // What stays certainly wrong is still refused, with the same messages as before.
    for (key, says) in [
        ("AKIAY34FZKBOKMUTVV7", "this one has 19"),
        ("akiay34fzkbokmutvv7a", "upper case"),
        ("AIDAY34FZKBOKMUTVV7A", "an IAM user ID"),
    ] {
        let out = s.add("bad", key, &format!("{SECRET}\n"), &[]);
        assert_eq!(out.status.code(), Some(1), "{key}");
        assert!(stderr(&out).contains(says), "{key}: {}", stderr(&out));
    }
}

#[test]
fn an_iam_csv_holding_the_documentation_example_key_imports_with_the_note() {
    let s = Sandbox::new();
    let csv = s.home.join("docs_accessKeys.csv");
    std::fs::write(
        &csv,
        format!("Access key ID,Secret access key\nAKIAI44QH8DHBEXAMPLE,{SECRET2}\n"),
    )
    .unwrap();
    let out = s.run(&["import", csv.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(said.contains("imported profile `docs`"), "{said}");
    assert!(
        said.contains("note: this is an example key from AWS's documentation"),
        "{said}"
    );
    assert_no_secret(&out, &[SECRET2]);
    let read = botocore_s3(&s, "docs", SECRET2);
    assert_eq!(read["key_id"], "AKIAI44QH8DHBEXAMPLE");
    assert_eq!(read["secret_ok"], true);
}

#[test]
fn a_new_key_for_an_emulators_profile_stays_at_its_endpoint() {
    let s = Sandbox::new();
    // The same example pair for AWS and for moto, as moto users do; a default made from moto.
    assert!(
        s.add("aws", KEY_ID, &format!("{SECRET}\n"), &[])
            .status
            .success()
    );
    add_service(
        &s,
        "moto",
        "http://127.0.0.1:5000",
        "us-east-1",
        KEY_ID,
        SECRET,
    );
    let doctor = s.run(&["doctor"], "");
    let said = stdout(&doctor) + &stderr(&doctor);
    assert!(
        !said.contains("hold the same key"),
        "two endpoints, two keys: {said}"
    );
    assert!(s.run(&["use", "moto"], "").status.success());
    let out = s.add("moto", "testing", "testsecret\n", &["--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("replaces the old one in `default`"),
        "{}",
        stdout(&out)
    );
    let profiles = s.botocore_profiles();
    assert_eq!(profiles["moto"]["aws_access_key_id"], "testing");
    assert_eq!(
        profiles["default"]["aws_access_key_id"], "testing",
        "the copy at the same endpoint follows"
    );
    assert_eq!(
        profiles["aws"]["aws_access_key_id"], KEY_ID,
        "the AWS profile keeps its key"
    );
}

#[test]
fn the_region_an_endpoint_names_is_written_and_a_contradicting_one_warned_about() {
    let s = Sandbox::new();
    let b2 = "https://s3.us-west-002.backblazeb2.com";
    let out = s.add(
        "b2",
        "004a1b2c3d4e5f60000000001",
        "K004secret\n",
        &["--endpoint-url", b2],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("region `us-west-002`, as the endpoint says"),
        "{}",
        stdout(&out)
    );
    assert_eq!(botocore_s3(&s, "b2", "K004secret")["region"], "us-west-002");
    let r2 = "https://abc.r2.cloudflarestorage.com";
    let out = s.add(
        "r2",
        "0123456789abcdef0123456789abcdef",
        "s\n",
        &["--endpoint-url", r2],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(botocore_s3(&s, "r2", "s")["region"], "auto");
    let out = s.add(
        "b2-eu",
        "004a1b2c3d4e5f60000000001",
        "K004secret\n",
        &[
            "--endpoint-url",
            "https://s3.eu-central-003.backblazeb2.com",
            "--region",
            "us-west-002",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "the endpoint is in region `eu-central-003` but requests would be signed for `us-west-002`, which Backblaze B2 refuses: give --region eu-central-003"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_endpoint_written_without_its_scheme_is_still_another_services() {
    let s = Sandbox::with_files(
        "[profile minio]\nendpoint_url = minio.example.com\n",
        "[minio]\naws_access_key_id = minioadmin\naws_secret_access_key = minio-secret-1\n",
    );
    let list = list_json(&s);
    assert_eq!(entry(&list, "minio")["kind"], "endpoint");
    let doctor = s.run(&["doctor"], "");
    let said = stdout(&doctor) + &stderr(&doctor);
    assert!(
        said.contains("minio.example.com") && said.contains("https://"),
        "{said}"
    );
    // Its key follows the service's rules, so `add --force` takes one of the service's.
    let out = s.add("minio", "newminiokey", "minio-secret-2\n", &["--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
}
