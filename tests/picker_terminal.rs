//! The picker of the real binary in a real terminal (tmux); the files it writes are
//! read back with botocore.

mod common;

use common::*;
use serde_json::json;

const CONFIG: &str = include_str!("fixtures/ops-config");
const CREDENTIALS: &str = include_str!("fixtures/ops-credentials");

fn credwiz(s: &Sandbox, args: &str) -> Tmux {
    let binary = assert_cmd::cargo::cargo_bin("credwiz");
    Tmux::start(s, &format!("{} {args}", binary.display()))
}

#[test]
fn filter_then_make_the_highlighted_profile_the_default() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let mut want = s.botocore_profiles();
    let t = credwiz(&s, "");
    t.wait_for("credwiz · 5 profiles");
    t.send(&["/"]);
    t.send(&["-l", "wrk"]);
    t.wait_for("1 of 5 profiles");
    t.send(&["Enter"]);
    t.wait_for("The current default is kept as `previous-default`.");
    t.send(&["y"]);
    t.wait_for("`work` is now the default profile");
    t.send(&["q"]);
    assert!(t.wait_for("EXIT=").contains("EXIT=0"));
    want["previous-default"] = want["default"].clone();
    want["default"] = want["work"].clone();
    want["admin"]["source_profile"] = json!("previous-default");
    assert_eq!(s.botocore_profiles(), want);
    let resolved = s.python(
        "import botocore.session\ns = botocore.session.Session()\nprint(s.get_credentials().access_key, s.get_config_variable('region'))",
    );
    assert_eq!(resolved.trim(), format!("{KEY_ID2} eu-west-1"));
    let state = std::fs::read_to_string(s.home.join(".config/credwiz/state.ini")).unwrap();
    assert!(
        state.contains("[recent]") && state.contains("1=work"),
        "{state}"
    );
    assert!(
        !state.contains(&SECRET[..8]) && !state.contains(&SECRET2[..8]),
        "no secret in the state file"
    );
}

#[test]
fn delete_and_rename_go_through_the_store() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let mut want = s.botocore_profiles();
    let t = credwiz(&s, "");
    t.wait_for("credwiz · 5 profiles");
    t.send(&["/"]);
    t.send(&["-l", "sso"]);
    t.wait_for("1 of 5 profiles");
    t.send(&["Escape"]); // back to the full list, still on dev-sso
    t.wait_for("credwiz · 5 profiles");
    t.send(&["d"]);
    t.wait_for("Remove `dev-sso` from both files?");
    t.send(&["y"]);
    t.wait_for("removed `dev-sso`");
    t.wait_for("credwiz · 4 profiles");
    t.send(&["/"]);
    t.send(&["-l", "depl"]);
    t.wait_for("1 of 4 profiles");
    t.send(&["Escape"]);
    t.wait_for("credwiz · 4 profiles");
    t.send(&["r"]);
    t.wait_for("New name for `deploy`");
    t.send(&["C-u"]);
    t.send(&["-l", "ship"]);
    t.send(&["Enter"]);
    t.wait_for("renamed `deploy` to `ship`");
    t.send(&["q"]);
    assert!(t.wait_for("EXIT=").contains("EXIT=0"));
    let map = want.as_object_mut().unwrap();
    map.remove("dev-sso");
    let deploy = map.remove("deploy").unwrap();
    map.insert("ship".into(), deploy);
    assert_eq!(s.botocore_profiles(), want);
}

#[test]
fn eval_of_credwiz_pick_selects_the_chosen_profile_in_the_shell() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let binary = assert_cmd::cargo::cargo_bin("credwiz");
    let t = Tmux::start(
        &s,
        &format!(
            "bash --norc -c 'export AWS_ACCESS_KEY_ID=AKIAOLDOLDOLDOLDOLD1; eval \"$({} pick)\"; echo \"PROFILE=$AWS_PROFILE KEY=${{AWS_ACCESS_KEY_ID:-unset}}\"'",
            binary.display()
        ),
    );
    t.wait_for("choose a profile for this shell");
    t.send(&["/"]);
    t.send(&["-l", "work"]);
    t.wait_for("1 of 5 profiles");
    t.send(&["Enter"]);
    t.wait_for("PROFILE=work KEY=unset");
    assert!(
        !s.read_text().0.contains("previous-default"),
        "pick changes no file"
    );
}

#[test]
fn edit_and_a_new_key_pair_keep_everything_else() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let mut want = s.botocore_profiles();
    let t = credwiz(&s, "");
    t.wait_for("credwiz · 5 profiles");
    t.send(&["End"]);
    t.send(&["e"]);
    t.wait_for("Edit `work`");
    t.send(&["C-u"]);
    t.send(&["-l", "ap-south-1"]);
    t.send(&["Tab", "Left"]); // table → text
    t.send(&["Enter"]);
    t.wait_for("saved `work`");
    t.send(&["k"]);
    t.wait_for("New key for `work`");
    t.send(&["-l", KEY_ID]);
    t.send(&["Tab"]);
    t.send(&["-l", SECRET]);
    let screen = t.wait_for("••••••••••••••••••••••••••••••••••••••••");
    assert!(!screen.contains(&SECRET[..8]), "{screen}");
    t.send(&["Enter"]);
    t.wait_for("`work` has its new key");
    t.send(&["q"]);
    assert!(t.wait_for("EXIT=").contains("EXIT=0"));
    want["work"]["region"] = json!("ap-south-1");
    want["work"]["output"] = json!("text");
    want["work"]["aws_access_key_id"] = json!(KEY_ID);
    want["work"]["aws_secret_access_key"] = json!(SECRET);
    assert_eq!(s.botocore_profiles(), want);
}

#[test]
fn v_verifies_in_the_background_and_flags_root_keys() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let (port, _) = stub(200, Some(ok_body("arn:aws:iam::609629065308:root")));
    let binary = assert_cmd::cargo::cargo_bin("credwiz");
    let t = Tmux::start(
        &s,
        &format!(
            "env AWS_ENDPOINT_URL_STS=http://127.0.0.1:{port} {}",
            binary.display()
        ),
    );
    t.wait_for("credwiz · 5 profiles");
    t.send(&["v"]);
    t.wait_for("are the ROOT user's");
    t.wait_for("ROOT user keys: AWS advises against them");
    t.wait_for("›!  default");
    t.send(&["q"]);
    assert!(t.wait_for("EXIT=").contains("EXIT=0"));
    let state = std::fs::read_to_string(s.home.join(".config/credwiz/state.ini")).unwrap();
    assert!(
        state.contains("[verified default]") && state.contains(":root"),
        "{state}"
    );
}

#[test]
fn a_slow_verification_keeps_the_picker_responsive_and_esc_cancels_it() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let (port, _) = stub(200, None);
    let binary = assert_cmd::cargo::cargo_bin("credwiz");
    let t = Tmux::start(
        &s,
        &format!(
            "env AWS_ENDPOINT_URL_STS=http://127.0.0.1:{port} {}",
            binary.display()
        ),
    );
    t.wait_for("credwiz · 5 profiles");
    t.send(&["v"]);
    t.wait_for("verifying `default` with AWS STS… (Esc cancels)");
    t.send(&["Down"]);
    t.wait_for("›   admin"); // still responsive
    t.send(&["Escape"]);
    t.wait_for("verification cancelled");
    t.send(&["q"]);
    assert!(t.wait_for("EXIT=").contains("EXIT=0"));
}
