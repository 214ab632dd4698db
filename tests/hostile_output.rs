//! Nothing from a file, a CSV or a server reaches the terminal raw, and a secret typed into
//! the wrong field is never echoed: every command run on hostile files, its stdout and
//! stderr checked byte by byte.

mod common;

use std::process::Output;

use common::*;

const ESC: &str = "\u{1b}";

/// Values, key IDs, comments and section names holding ESC (a title change and a screen
/// clear), BEL, C1 CSI, DEL, backspace, CR and a right-to-left override.
fn hostile() -> Sandbox {
    let config = "# note \u{1b}]0;PWNED\u{7} \u{9b}2J\r\u{1b}[1A\n\
                  [default]\nregion = \u{1b}]0;TITLE\u{7}\u{1b}[2J\noutput = json\u{7f}\n\
                  [profile ev\u{1b}il]\nregion = us-east-1\n\
                  [profile \"q\u{9b}x\"]\nregion = us-east-1\n\
                  [profile bidi]\nregion = eu-west-1\u{202e}gnp.exe\noutput = te\u{8}xt\n";
    let credentials = format!(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAM\u{1b}[2J\naws_secret_access_key = {SECRET}\n\
         [ev\u{1b}il]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET2}\n"
    );
    Sandbox::with_files(config, &credentials)
}

/// No byte a terminal acts on in either stream (line breaks aside), and no secret.
fn assert_inert(out: &Output, what: &str) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        let bad = text.chars().find(|&c| {
            (c.is_control() && c != '\n')
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        });
        assert!(
            bad.is_none(),
            "{what}: {stream} holds {bad:?} raw:\n{}",
            text.escape_debug()
        );
        assert!(
            !bytes.windows(2).any(|w| w == [0xc2, 0x9b]),
            "{what}: {stream} holds U+009B"
        );
    }
    assert_no_secret(out, &[SECRET, SECRET2]);
}

/// Every string in a JSON value.
fn strings(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(items) => items.iter().flat_map(strings).collect(),
        serde_json::Value::Object(map) => map.values().flat_map(strings).collect(),
        _ => Vec::new(),
    }
}

fn both(out: &Output) -> String {
    format!("{}{}", stdout(out), stderr(out))
}

#[test]
fn list_escapes_values_key_ids_and_section_names() {
    let s = hostile();
    let out = s.run(&["list"], "");
    assert_inert(&out, "list");
    let text = both(&out);
    for escaped in [
        "\\e]0;TITLE\\a\\e[2J",
        "json\\x7f",
        "AKIA…\\e[2J",
        "eu-west-1\\u{202e}gnp.exe",
        "te\\bxt",
        "`ev\\eil`",
        "q\\u{9b}x",
    ] {
        assert!(text.contains(escaped), "no {escaped} in:\n{text}");
    }
}

#[test]
fn json_escapes_what_a_terminal_would_act_on_and_keeps_the_values() {
    let s = hostile();
    for args in [&["list", "--json"][..], &["show", "default", "--json"]] {
        let out = s.run(args, "");
        assert!(out.status.success(), "{}", stderr(&out));
        assert_inert(&out, &args.join(" "));
        let text = stdout(&out);
        assert!(text.contains("\\u001b]0;TITLE\\u0007"), "{text}");
        assert!(text.contains("json\\u007f"), "{text}");
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(
            strings(&value).contains(&format!("{ESC}]0;TITLE\u{7}{ESC}[2J")),
            "the JSON still stands for the values as written: {value}"
        );
    }
}

#[test]
fn show_and_doctor_escape_values_and_findings() {
    let s = hostile();
    let out = s.run(&["show", "default"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_inert(&out, "show");
    assert!(stdout(&out).contains("region                = \\e]0;TITLE\\a\\e[2J"));
    let out = s.run(&["show", "bidi"], "");
    assert_inert(&out, "show bidi");
    assert!(stdout(&out).contains("eu-west-1\\u{202e}gnp.exe"));
    let out = s.run(&["doctor"], "");
    assert_inert(&out, "doctor");
    assert!(stdout(&out).contains("`eu-west-1\\u{202e}gnp.exe`"));
    assert!(stdout(&out).contains("`ev\\eil`"));
    // The refused region is quoted with its escapes, not with spaces in their place.
    assert!(
        stdout(&out).contains("the region `\\e]0;TITLE\\a\\e[2J`"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn errors_quoting_a_name_or_a_parse_error_are_escaped() {
    let s = hostile();
    for args in [
        &["show", "no\u{1b}]0;T\u{7}pe"][..],
        &["env", "ev\u{1b}il", "--shell", "bash"],
        &["use", "ev\u{9b}il"],
    ] {
        let out = s.run(args, "");
        assert!(!out.status.success());
        assert_inert(&out, args[0]);
        assert!(stderr(&out).starts_with("error: "), "{}", stderr(&out));
    }
    let broken = Sandbox::with_files("[profile x\u{1b}[2J\nregion = a\n", "");
    let out = broken.run(&["list"], "");
    assert!(!out.status.success());
    assert_inert(&out, "list of a file that does not parse");
    assert!(stderr(&out).contains("config line 1: "), "{}", stderr(&out));
}

#[test]
fn edits_escape_the_names_they_report() {
    let s = hostile();
    let out = s.run(&["use", "bidi"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_inert(&out, "use");
    let out = s.run(&["rename", "ev\u{1b}il", "good"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_inert(&out, "rename");
    assert!(stdout(&out).contains("renamed `ev\\eil` to `good`"));

    let s = hostile();
    let out = s.run(&["remove", "--yes", "ev\u{1b}il"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_inert(&out, "remove");
    assert!(stdout(&out).contains("removed profile `ev\\eil`"));

    let out = s.add("bidi", KEY_ID2, &format!("{SECRET2}\n"), &["--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_inert(&out, "add --force");
    let out = s.add(
        "x",
        KEY_ID2,
        &format!("{SECRET2}\n"),
        &["--region", "\u{1b}]0;T\u{7}"],
    );
    assert!(!out.status.success());
    assert_inert(&out, "add --region with escapes");
}

#[test]
fn import_escapes_what_the_csv_holds() {
    let s = hostile();
    let csv = s.dir.path().join("keys.csv");
    std::fs::write(
        &csv,
        format!("User Name,Access Key ID,Secret Access Key\nal\u{1b}]0;T\u{7}ice\u{9b},{KEY_ID},{SECRET2}\n"),
    )
    .unwrap();
    let out = s.run(&["import", csv.to_str().unwrap()], "");
    assert!(!out.status.success());
    assert_inert(&out, "import");
    assert!(
        stderr(&out).contains("al\\e]0;T\\aice\\u{9b}"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn env_prints_quoted_shell_code() {
    let s = hostile();
    let out = s.run(&["env", "bidi", "--shell", "bash"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("export AWS_PROFILE='bidi';\n"));
}

#[test]
fn verify_escapes_what_the_server_says() {
    let s = Sandbox::with_files(
        "[default]\nregion = eu-west-1\n",
        &format!("[default]\naws_access_key_id = {KEY_ID2}\naws_secret_access_key = {SECRET}\n"),
    );
    let (port, _) = stub(
        403,
        Some(error_body(
            "Weird\u{1b}[2J",
            "go \u{1b}]0;PWNED\u{7} away\u{9b}1m \u{202e}txt.exe",
        )),
    );
    let out = s
        .credwiz()
        .args(["verify", "default"])
        .env("AWS_ENDPOINT_URL_STS", format!("http://127.0.0.1:{port}"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_inert(&out, "verify");
    let err = stderr(&out);
    assert!(
        err.contains("\\e]0;PWNED\\a away\\u{9b}1m \\u{202e}txt.exe"),
        "{err}"
    );
}

/// A secret access key typed into another field is masked wherever it is printed.
mod misplaced_secrets {
    use super::*;

    fn secret_in_region() -> Sandbox {
        Sandbox::with_files(
            &format!("[default]\nregion = {SECRET}\n[profile work]\noutput = x{TOKEN}y\n"),
            &format!(
                "[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n\
                 [work]\naws_access_key_id = {TEMP_KEY_ID}\naws_secret_access_key = {SECRET2}\n\
                 aws_session_token = {TOKEN}\n"
            ),
        )
    }

    fn assert_masked(out: &Output, what: &str) {
        assert_no_secret(out, &[SECRET, SECRET2, TOKEN]);
        assert!(both(out).contains("****…EKEY"), "{what}:\n{}", both(out));
    }

    #[test]
    fn doctor_show_and_list_mask_a_secret_in_region_or_output() {
        let s = secret_in_region();
        let out = s.run(&["doctor"], "");
        assert_masked(&out, "doctor");
        assert!(
            stdout(&out).contains("the region `****…EKEY`"),
            "{}",
            stdout(&out)
        );
        for args in [
            &["show", "default"][..],
            &["show", "default", "--json"],
            &["show", "work"],
            &["list"],
            &["list", "--json"],
        ] {
            let out = s.run(args, "");
            assert!(out.status.success(), "{}", stderr(&out));
            assert_masked(&out, &args.join(" "));
        }
        let out = s.run(&["show", "work"], "");
        assert!(stdout(&out).contains("x****…P/+=y"), "{}", stdout(&out));
    }

    #[test]
    fn a_secret_typed_as_a_key_id_is_masked_in_the_list() {
        let s = Sandbox::with_files(
            "",
            &format!("[default]\naws_access_key_id = {SECRET}\naws_secret_access_key = {SECRET}\n"),
        );
        let out = s.run(&["list"], "");
        assert_masked(&out, "list");
        assert!(!stdout(&out).contains(&SECRET[..4]), "{}", stdout(&out));
    }

    #[test]
    fn import_masks_a_secret_in_the_user_name_column() {
        let s = Sandbox::new();
        let csv = s.dir.path().join("keys.csv");
        std::fs::write(
            &csv,
            format!("User Name,Access Key ID,Secret Access Key\n{SECRET},{KEY_ID},{SECRET}\n"),
        )
        .unwrap();
        let out = s.run(&["import", csv.to_str().unwrap()], "");
        assert_masked(&out, "import");
        // Refused before anything is written: the secret comes from the CSV alone.
        let bad = s.dir.path().join("bad.csv");
        std::fs::write(
            &bad,
            format!("User Name,Access Key ID,Secret Access Key\n{SECRET2} x,{KEY_ID},{SECRET2}\n"),
        )
        .unwrap();
        let out = s.run(&["import", bad.to_str().unwrap()], "");
        assert!(!out.status.success());
        assert_masked(&out, "import refused");
    }
}

/// The picker: a secret in `region` is masked in its rows, detail pane and findings, and
/// control characters are drawn as escapes.
mod picker {
    use super::*;
    use credwiz::store::Store;
    use credwiz::tui::picker::{Mode, Picker, data, view};
    use credwiz::tui::theme::Theme;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn screen(s: &Sandbox) -> (data::Data, String) {
        let store = Store::at(s.config.clone(), s.credentials.clone());
        let no_env = |_: &str| None;
        let data = data::load(&store, &no_env).unwrap();
        let p = Picker::new(data.clone(), Mode::Manage, None);
        let mut terminal = Terminal::new(TestBackend::new(140, 40)).unwrap();
        terminal
            .draw(|f| view::render(f, &p, &Theme::plain()))
            .unwrap();
        (data, terminal.backend().to_string())
    }

    #[test]
    fn a_secret_in_region_is_masked_in_rows_and_findings() {
        let s = Sandbox::with_files(
            &format!("[default]\nregion = {SECRET}\noutput = json\u{1b}[2J\n"),
            &format!("[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n"),
        );
        let (data, shown) = screen(&s);
        let held = format!("{:?}{:?}", data.rows, data.findings);
        assert!(!held.contains(&SECRET[..12]), "{held}");
        assert!(
            data.findings
                .iter()
                .any(|f| f.message.contains("the region `****…EKEY`")),
            "{:?}",
            data.findings
        );
        assert!(!shown.contains(&SECRET[..12]), "{shown}");
        assert!(shown.contains("****…EKEY"), "{shown}");
        assert!(shown.contains("json\\e[2J"), "{shown}");
    }

    /// The edit dialog starts from the values as the picker holds them: the masked
    /// region, the output with its escape shown, never drawn raw; left unchanged, they
    /// are not written back.
    #[test]
    fn the_edit_dialog_shows_hostile_values_escaped_and_keeps_them_unchanged() {
        use credwiz::tui::picker::{Change, Effect, Msg};
        use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        let s = Sandbox::with_files(
            &format!("[default]\nregion = {SECRET}\noutput = json\u{1b}[2J\n"),
            &format!("[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n"),
        );
        let (data, _) = screen(&s);
        let mut p = Picker::new(data, Mode::Manage, None);
        let press =
            |p: &mut Picker, code| p.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        press(&mut p, KeyCode::Char('e'));
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
        terminal
            .draw(|f| view::render(f, &p, &Theme::plain()))
            .unwrap();
        let shown = terminal.backend().to_string();
        assert!(!shown.contains('\u{1b}'), "{shown}");
        assert!(shown.contains("‹ json\\e[2J ›"), "{shown}");
        assert!(!shown.contains(&SECRET[..12]), "{shown}");
        press(&mut p, KeyCode::Tab);
        press(&mut p, KeyCode::Right);
        match press(&mut p, KeyCode::Enter) {
            Some(Effect::Edit { region, output, .. }) => {
                assert_eq!(
                    region,
                    Change::Keep,
                    "the masked region is not written back"
                );
                assert_eq!(output, Change::Remove);
            }
            other => panic!("{other:?}"),
        }
    }
}
