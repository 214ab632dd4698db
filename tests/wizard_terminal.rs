//! The setup wizard of the real binary in a real terminal (tmux), first run with an
//! empty HOME; the files it writes are then read with botocore.

mod common;

use common::*;
use serde_json::json;

#[test]
fn first_run_from_an_empty_home_writes_a_working_profile() {
    let s = Sandbox::new();
    let t = Tmux::credwiz(&s, "");
    t.wait_for("credwiz · Welcome");
    t.send(&["Enter"]);
    t.wait_for("Step 1 of 7 · Profile name");
    t.send(&["-l", "work"]);
    t.wait_for("will be saved as profile `work`");
    t.send(&["Enter"]);
    t.wait_for("Step 2 of 7 · What the keys are for");
    t.wait_for("› AWS");
    t.send(&["Enter"]);
    t.wait_for("Step 3 of 7 · Access key ID");
    t.send(&["-l", KEY_ID2]);
    t.wait_for("a long-term access key, AKIA… · account 609629065308");
    t.send(&["Enter"]);
    t.wait_for("Step 4 of 7 · Secret access key");
    t.send(&["-l", SECRET]);
    let screen = t.wait_for("this is the example secret of AWS's documentation");
    assert!(
        !screen.contains(&SECRET[..8]),
        "the secret is echoed:\n{screen}"
    );
    t.send(&["Enter"]);
    t.wait_for("Step 5 of 7 · Region");
    t.send(&["-l", "frank"]);
    t.wait_for("eu-central-1 · Europe (Frankfurt)");
    t.send(&["Enter"]);
    t.wait_for("Step 6 of 7 · Output format");
    t.send(&["Enter"]);
    t.wait_for("Saving writes these lines");
    let review = t.wait_for("aws_secret_access_key = ****…EKEY");
    assert!(!review.contains(&SECRET[..8]), "{review}");
    t.send(&["Enter"]);
    t.wait_for("Saved profile `work`");
    t.send(&["Enter"]);
    t.wait_for("credwiz · 1 profile");
    t.wait_for("›   work"); // the picker opens with the new profile highlighted
    assert_eq!(t.end_with(&["q"]), 0);
    assert_eq!(
        s.botocore_profiles(),
        json!({"work": {"region": "eu-central-1", "output": "json",
                        "aws_access_key_id": KEY_ID2, "aws_secret_access_key": SECRET}})
    );
}

#[test]
fn an_invalid_key_is_refused_with_its_reason_and_esc_goes_back() {
    let s = Sandbox::new();
    let t = Tmux::credwiz(&s, "new work");
    t.wait_for("Step 1 of 7 · Profile name");
    t.send(&["Enter"]);
    t.wait_for("Step 2 of 7");
    t.send(&["Enter"]);
    t.wait_for("Step 3 of 7");
    t.send(&["-l", "AIDAY34FZKBOKMUTVV7A"]);
    t.wait_for("this is an IAM user ID, not an access key ID");
    t.send(&["Enter"]);
    let screen = t.wait_for("IAM user ID");
    assert!(
        screen.contains("Step 3 of 7"),
        "Enter was refused:\n{screen}"
    );
    t.send(&["C-u"]);
    t.send(&["-l", KEY_ID2]);
    t.send(&["Enter"]);
    t.wait_for("Step 4 of 7");
    t.send(&["Escape"]);
    t.wait_for("Step 3 of 7");
    t.wait_for(KEY_ID2); // values are kept
    t.discard_unsaved(&s);
}

#[test]
fn a_bracketed_paste_of_export_lines_fills_the_fields() {
    let s = Sandbox::new();
    let t = Tmux::credwiz(&s, "new work");
    t.wait_for("Step 1 of 7");
    t.paste(&format!(
        "export AWS_ACCESS_KEY_ID={KEY_ID2}\nexport AWS_SECRET_ACCESS_KEY={SECRET}\n"
    ));
    let screen = t.wait_for("Pasted: filled access key ID, secret access key");
    assert!(!screen.contains(&SECRET[..8]), "{screen}");
    for step in ["Step 2 of 7", "Step 3 of 7", "Step 4 of 7", "Step 5 of 7"] {
        t.send(&["Enter"]);
        t.wait_for(step);
    }
}

#[test]
fn a_file_that_does_not_parse_gets_an_error_screen_and_nothing_is_written() {
    let s = Sandbox::with_files("[default]\nregion = us-east-1\n[profile broken\n", "");
    let before = s.read();
    let t = Tmux::credwiz(&s, "new");
    t.wait_for("cannot read your AWS files");
    t.wait_for("line 3: Profile definition must end with ']'");
    assert_eq!(t.end_with(&["q"]), 1);
    assert_eq!(s.read(), before);
}

#[test]
fn import_in_a_terminal_asks_for_the_file_with_tab_completion() {
    let s = Sandbox::new();
    let downloads = s.home.join("Downloads");
    std::fs::create_dir(&downloads).unwrap();
    std::fs::write(
        downloads.join("alice_accessKeys.csv"),
        format!("\u{feff}Access key ID,Secret access key\r\n{KEY_ID2},{SECRET}\r\n"),
    )
    .unwrap();
    let t = Tmux::credwiz(&s, "import");
    t.wait_for("Import · .csv file");
    t.send(&["-l", &format!("{}/ali", downloads.display())]);
    t.send(&["Tab"]);
    t.wait_for("alice_accessKeys.csv");
    t.send(&["Enter"]);
    t.wait_for("Found one key in the file (AKIA…VV7A)");
    t.wait_for("Profile name  alice");
    for step in [
        "Step 2 of 7",
        "Step 3 of 7",
        "Step 4 of 7",
        "Step 5 of 7",
        "Step 6 of 7",
        "Saving writes these lines",
    ] {
        t.send(&["Enter"]);
        t.wait_for(step);
    }
    t.send(&["Enter"]);
    t.wait_for("Saved profile `alice`");
    t.send(&["Enter"]);
    t.wait_for("credwiz · 1 profile");
    assert_eq!(t.end_with(&["q"]), 0);
    let profiles = s.botocore_profiles();
    assert_eq!(profiles["alice"]["aws_access_key_id"], KEY_ID2);
    assert_eq!(profiles["alice"]["aws_secret_access_key"], SECRET);
}

#[test]
fn review_can_verify_the_keys_before_saving() {
    let s = Sandbox::new();
    let (port, request) = stub(200, Some(ok_body(USER_ARN)));
    let t = Tmux::start(
        &s,
        &format!(
            "env AWS_ENDPOINT_URL_STS=http://127.0.0.1:{port} {}",
            credwiz_line("new work")
        ),
    );
    t.wait_for("Step 1 of 7");
    t.send(&["Enter"]);
    t.wait_for("Step 2 of 7");
    t.send(&["Enter"]);
    t.wait_for("Step 3 of 7");
    t.send(&["-l", KEY_ID2]);
    t.send(&["Enter"]);
    t.wait_for("Step 4 of 7");
    t.send(&["-l", SECRET]);
    t.send(&["Enter"]);
    t.wait_for("Step 5 of 7");
    t.send(&["Enter"]);
    t.wait_for("Step 6 of 7");
    t.send(&["Enter"]);
    t.wait_for("Press v to check the keys with AWS STS");
    t.send(&["v"]);
    t.wait_for(&format!("✓ the keys work: {USER_ARN}"));
    assert!(
        request
            .recv()
            .unwrap()
            .contains(&format!("Credential={KEY_ID2}/"))
    );
    t.send(&["Enter"]);
    t.wait_for("Saved profile `work`");
    t.send(&["Enter"]);
    t.wait_for("credwiz · 1 profile");
    assert_eq!(t.end_with(&["q"]), 0);
    assert_eq!(s.botocore_profiles()["work"]["aws_access_key_id"], KEY_ID2);
}

/// A LocalStack profile set up end to end in the real binary: the service choice, the
/// preset's endpoint, keys and region taken as filled in; botocore then reads the
/// profile's endpoint_url, keys and region from the files written.
#[test]
fn a_localstack_profile_is_set_up_end_to_end_and_botocore_reads_its_endpoint() {
    let s = Sandbox::new();
    let t = Tmux::credwiz(&s, "new local");
    t.wait_for("Step 1 of 7 · Profile name");
    t.send(&["Enter"]);
    t.wait_for("Step 2 of 7 · What the keys are for");
    t.send(&["Down"]);
    t.wait_for("Step 2 of 9 · What the keys are for");
    t.send(&["Enter"]);
    t.wait_for("Step 3 of 9 · Which service");
    t.wait_for("Endpoint http://localhost:4566, region us-east-1");
    t.send(&["Enter"]);
    t.wait_for("Step 4 of 9 · Endpoint URL");
    t.wait_for("✓ LocalStack at localhost:4566");
    t.send(&["Enter"]);
    t.wait_for("Step 5 of 9 · Access key ID");
    t.wait_for("Access key ID  test");
    t.send(&["Enter"]);
    let screen = t.wait_for("Step 6 of 9 · Secret access key");
    assert!(
        screen.contains("Secret access key  ••••"),
        "the prefilled secret is masked:\n{screen}"
    );
    t.send(&["Enter"]);
    t.wait_for("Step 7 of 9 · Region");
    t.wait_for("requests are signed for region `us-east-1`");
    t.send(&["Enter"]);
    t.wait_for("Step 8 of 9 · Output format");
    t.send(&["Enter"]);
    t.wait_for("Endpoint URL       http://localhost:4566");
    t.wait_for("endpoint_url = http://localhost:4566");
    t.send(&["Enter"]);
    t.wait_for("Saved profile `local`");
    t.wait_for("aws s3 ls --profile local");
    t.send(&["Enter"]);
    t.wait_for("credwiz · 1 profile");
    assert_eq!(t.end_with(&["q"]), 0);
    let script = "import json, botocore.session\n\
                  s = botocore.session.Session(profile='local')\n\
                  c = s.get_credentials()\n\
                  print(json.dumps({'endpoint_url': s.get_scoped_config().get('endpoint_url'),\n\
                                    'region': s.get_config_variable('region'),\n\
                                    'key': c.access_key, 'secret': c.secret_key,\n\
                                    'token': c.token}))";
    let read: serde_json::Value = serde_json::from_str(&s.python(script)).unwrap();
    assert_eq!(
        read,
        json!({"endpoint_url": "http://localhost:4566", "region": "us-east-1",
               "key": "test", "secret": "test", "token": null})
    );
}
