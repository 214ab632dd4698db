//! The picker of the real binary in a real terminal (tmux); the files it writes are
//! read back with botocore.

mod common;

use common::*;
use serde_json::json;

const CONFIG: &str = include_str!("fixtures/ops-config");
const CREDENTIALS: &str = include_str!("fixtures/ops-credentials");

/// The picker on the fixture's five profiles; with `sts_port`, STS is the stand-in there.
fn open_picker(s: &Sandbox, sts_port: Option<u16>) -> Tmux {
    let t = match sts_port {
        None => Tmux::credwiz(s, ""),
        Some(port) => Tmux::start(
            s,
            &format!(
                "env AWS_ENDPOINT_URL_STS=http://127.0.0.1:{port} {}",
                credwiz_line("")
            ),
        ),
    };
    t.wait_for("credwiz · 5 profiles");
    t
}

/// Types `query` into the filter and waits until it leaves one of `total` profiles.
fn filter_to_one(t: &Tmux, query: &str, total: usize) {
    t.send(&["/"]);
    t.send(&["-l", query]);
    t.wait_for(&format!("1 of {total} profiles"));
}

/// Moves the highlight to the one profile `query` matches, then clears the filter.
fn highlight(t: &Tmux, query: &str, total: usize) {
    filter_to_one(t, query, total);
    t.send(&["Escape"]);
    t.wait_for(&format!("credwiz · {total} profiles"));
}

#[test]
fn filter_then_make_the_highlighted_profile_the_default() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let mut want = s.botocore_profiles();
    let t = open_picker(&s, None);
    filter_to_one(&t, "wrk", 5);
    t.send(&["Enter"]);
    t.wait_for("The current default is kept as `previous-default`.");
    t.send(&["y"]);
    t.wait_for("`work` is now the default profile");
    assert_eq!(t.end_with(&["q"]), 0);
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
    let t = open_picker(&s, None);
    highlight(&t, "sso", 5); // dev-sso, in the full list again
    t.send(&["d"]);
    t.wait_for("Delete `dev-sso`?");
    t.send(&["y"]);
    t.wait_for("removed `dev-sso`");
    t.wait_for("credwiz · 4 profiles");
    highlight(&t, "depl", 4);
    t.send(&["r"]);
    t.wait_for("Rename `deploy`");
    t.send(&["C-u"]);
    t.send(&["-l", "ship"]);
    t.send(&["Enter"]);
    t.wait_for("renamed `deploy` to `ship`");
    assert_eq!(t.end_with(&["q"]), 0);
    let map = want.as_object_mut().unwrap();
    map.remove("dev-sso");
    let deploy = map.remove("deploy").unwrap();
    map.insert("ship".into(), deploy);
    assert_eq!(s.botocore_profiles(), want);
}

#[test]
fn eval_of_credwiz_pick_selects_the_chosen_profile_in_the_shell() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let t = Tmux::start(
        &s,
        &format!(
            "bash --norc -c 'export AWS_ACCESS_KEY_ID=AKIAOLDOLDOLDOLDOLD1; eval \"$({})\"; echo \"PROFILE=$AWS_PROFILE KEY=${{AWS_ACCESS_KEY_ID:-unset}}\"'",
            credwiz_line("pick")
        ),
    );
    t.wait_for("choose a profile for this shell");
    filter_to_one(&t, "work", 5);
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
    let t = open_picker(&s, None);
    t.send(&["End"]);
    t.send(&["e"]);
    t.wait_for("Edit `work`");
    t.send(&["-l", "mumbai"]); // typing filters the list: Asia Pacific (Mumbai)
    t.wait_for("✓ ap-south-1 · Asia Pacific (Mumbai)");
    t.send(&["Tab", "Left"]); // table → text
    t.send(&["Enter"]);
    t.wait_for("`work`: region ap-south-1, output text");
    t.send(&["k"]);
    t.wait_for("Rotate through IAM, deactivating the old key");
    t.send(&["p"]);
    t.wait_for("Paste the new key");
    t.send(&["-l", KEY_ID]);
    t.send(&["Tab"]);
    t.send(&["-l", SECRET]);
    let screen = t.wait_for("••••••••••••••••••••••••••••••••••••••••");
    assert!(!screen.contains(&SECRET[..8]), "{screen}");
    t.send(&["Enter"]);
    t.wait_for("New key saved in `work`.");
    assert_eq!(t.end_with(&["q"]), 0);
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
    let t = open_picker(&s, Some(port));
    t.send(&["v"]);
    t.wait_for("are the ROOT user's");
    t.wait_for("ROOT user keys: AWS advises against them");
    t.wait_for("›!  default");
    assert_eq!(t.end_with(&["q"]), 0);
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
    let t = open_picker(&s, Some(port));
    t.send(&["v"]);
    t.wait_for("verifying `default` with AWS STS… (Esc cancels)");
    t.send(&["Down"]);
    t.wait_for("›   admin"); // still responsive
    t.send(&["Escape"]);
    t.wait_for("verification cancelled");
    assert_eq!(t.end_with(&["q"]), 0);
}

/// `credwiz pick` closed without a choice exits 130 (as fzf does) and prints nothing, so
/// the shell function `cw` (`lines=$(credwiz pick) && eval "$lines"`) fails too.
#[test]
fn pick_closed_without_a_choice_exits_130() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let binary = assert_cmd::cargo::cargo_bin("credwiz");
    let t = Tmux::start(
        &s,
        &format!(
            "PATH={}:$PATH bash --norc -c 'eval \"$(credwiz shell-init bash)\"; cw; echo \"CW=$? PROFILE=${{AWS_PROFILE:-unset}}\"'",
            binary.parent().unwrap().display()
        ),
    );
    t.wait_for("choose a profile for this shell");
    t.send(&["q"]);
    t.wait_for("CW=130 PROFILE=unset");
    let t = Tmux::credwiz(&s, "pick");
    t.wait_for("choose a profile for this shell");
    assert_eq!(t.end_with(&["q"]), 130);
}

/// Make `work` the default, then give `work` a new key pair with `k`: the default, which
/// held the old pair, gets the new one too, and the status line says so.
#[test]
fn a_new_key_pair_reaches_the_default_made_from_the_profile() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let t = open_picker(&s, None);
    filter_to_one(&t, "wrk", 5);
    t.send(&["Enter"]);
    t.wait_for("is kept as `previous-default`");
    t.send(&["y"]);
    t.wait_for("`work` is now the default profile");
    t.send(&["Escape"]); // the filter stays after an action
    t.wait_for("credwiz · 6 profiles");
    highlight(&t, "wrk", 6);
    t.send(&["k"]);
    t.wait_for("Rotate through IAM, deactivating the old key");
    t.send(&["p"]);
    t.wait_for("Paste the new key");
    t.send(&["-l", KEY_ID]);
    t.send(&["Tab"]);
    t.send(&["-l", SECRET]);
    t.send(&["Enter"]);
    t.wait_for("New key saved in `work` and `default`.");
    assert_eq!(t.end_with(&["q"]), 0);
    let profiles = s.botocore_profiles();
    for name in ["work", "default"] {
        assert_eq!(profiles[name]["aws_access_key_id"], KEY_ID, "{name}");
    }
    assert_eq!(
        profiles["previous-default"]["aws_access_key_id"],
        "AKIAIOSFODNN7EXAMPLE"
    );
}

/// The real binary in tmux: with the last profile highlighted, the pane shrinks to 80×16
/// (rows above are counted, the highlight stays in view) and grows back (every profile
/// shows again, nothing counted as hidden).
#[test]
fn a_resize_keeps_the_highlight_in_view_and_growing_back_shows_every_row() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let t = open_picker(&s, None);
    highlight(&t, "wrk", 5);
    t.resize(80, 16);
    let small = t.wait_for("more ─");
    assert!(
        small.contains("↑ ") && small.contains("›   work"),
        "{small}"
    );
    t.resize(80, 24);
    let screen = t.wait_for("★  default"); // its row, out of view while small
    for name in ["admin", "deploy", "dev-sso"] {
        assert!(screen.contains(&format!(" {name} ")), "{name}: {screen}");
    }
    assert!(!screen.contains("↑ "), "no row is hidden: {screen}");
    assert_eq!(t.end_with(&["q"]), 0);
}

/// `e` on a hand-written R2 profile: a new endpoint and an output, with `region = auto`
/// kept; botocore then sends the profile's S3 requests to the new endpoint, signed for
/// `auto`, and every other line is as it was.
#[test]
fn e_edits_an_r2_profiles_endpoint_and_botocore_reads_it_back() {
    let config = "# my R2 bucket\n[profile r2]\nregion = auto\nendpoint_url = https://0123abcd.r2.cloudflarestorage.com\n";
    let credentials = format!(
        "[r2]\naws_access_key_id = 0123456789abcdef0123456789abcdef\naws_secret_access_key = {}\n\
         [default]\naws_access_key_id = {KEY_ID2}\naws_secret_access_key = {SECRET2}\n",
        "ab".repeat(32)
    );
    let s = Sandbox::with_files(config, &credentials);
    let t = Tmux::credwiz(&s, "");
    t.wait_for("credwiz · 2 profiles");
    highlight(&t, "r2", 2);
    t.send(&["e"]);
    t.wait_for("Edit `r2`");
    t.send(&["C-u"]);
    t.send(&["-l", "https://fedcba98.r2.cloudflarestorage.com/"]);
    t.wait_for("Cloudflare R2 at fedcba98.r2.cloudflarestorage.com");
    t.send(&["Tab"]);
    t.send(&["Tab"]);
    t.send(&["Right"]);
    t.wait_for("‹ json ›");
    t.send(&["Enter"]);
    t.wait_for("`r2`: endpoint_url https://fedcba98.r2.cloudflarestorage.com, output json");
    assert_eq!(t.end_with(&["q"]), 0);
    let (config_now, credentials_now) = s.read_text();
    assert_eq!(
        config_now,
        "# my R2 bucket\n[profile r2]\nregion = auto\nendpoint_url = https://fedcba98.r2.cloudflarestorage.com\noutput = json\n"
    );
    assert_eq!(credentials_now, credentials, "the keys are untouched");
    let read = s.python(
        "import botocore.session\n\
         s = botocore.session.Session(profile='r2')\n\
         c = s.create_client('s3')\n\
         print(c.meta.endpoint_url, c.meta.region_name, s.get_scoped_config()['output'], s.get_credentials().access_key)",
    );
    assert_eq!(
        read.trim(),
        "https://fedcba98.r2.cloudflarestorage.com auto json 0123456789abcdef0123456789abcdef"
    );
}
