//! `credwiz doctor` names each place where the readers of the files disagree (the AWS
//! CLI's botocore, the JS, Rust and Go SDKs; DESIGN-NOTES "How the other readers
//! differ"), and `doctor --fix` rewrites the lines it can into the form they all read
//! alike. The readers here are botocore (run) and credwiz's own parser, which follows
//! the SDKs' shared spec as the Rust SDK does. After each repair: every profile botocore
//! reads either reads as before or now as the SDK view reads it, botocore resolves the
//! credentials it resolved before, and every line the repair does not name is unchanged.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use serde_json::{Value, json};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/doctor-readers");

fn sandbox(name: &str) -> Sandbox {
    let read = |file: &str| {
        let path = Path::new(FIXTURES).join(format!("{name}-{file}"));
        fs::read_to_string(path).unwrap_or_default()
    };
    Sandbox::with_files(&read("config"), &read("credentials"))
}

/// The profiles as credwiz (the SDKs' shared spec) reads the sandbox's files; `None`
/// when it refuses a file.
fn sdk_profiles(s: &Sandbox) -> Option<Value> {
    s.sdk_profiles()
}

/// What botocore resolves for each profile with keys of its own (no role, no process):
/// the key ID and the secret, or the name of the error it raises.
fn botocore_credentials(s: &Sandbox) -> Value {
    let script = "import json, botocore.session\n\
                  out = {}\n\
                  names = botocore.session.Session().full_config['profiles']\n\
                  for name, p in names.items():\n\
                  \x20   if 'role_arn' in p or 'credential_process' in p:\n\
                  \x20       continue\n\
                  \x20   try:\n\
                  \x20       c = botocore.session.Session(profile=name).get_credentials()\n\
                  \x20       out[name] = c and [c.access_key, c.secret_key]\n\
                  \x20   except Exception as e:\n\
                  \x20       out[name] = type(e).__name__\n\
                  print(json.dumps(out))";
    serde_json::from_str(&s.python(script)).expect("botocore printed JSON")
}

/// The error botocore raises when asked for `profile`'s credentials, if any.
fn botocore_error(s: &Sandbox, profile: &str) -> String {
    let script = format!(
        "import botocore.session\n\
         try:\n\
         \x20   botocore.session.Session(profile='{profile}').get_credentials()\n\
         \x20   print('none')\n\
         except Exception as e:\n\
         \x20   print(type(e).__name__)"
    );
    s.python(&script).trim().to_string()
}

/// Every profile botocore reads after a repair reads as before, or now as the SDKs do.
fn assert_botocore_kept_or_agrees(before: &Value, after: &Value, sdks: &Value) {
    let names: std::collections::BTreeSet<&String> = before
        .as_object()
        .unwrap()
        .keys()
        .chain(after.as_object().unwrap().keys())
        .collect();
    for name in names {
        let (was, now) = (before.get(name), after.get(name));
        if was != now {
            assert_eq!(
                now,
                sdks.get(name),
                "botocore's `{name}` changed, and not to what the SDKs read"
            );
        }
    }
}

/// The readers before a repair.
struct Before {
    files: (String, String),
    botocore: Value,
    credentials: Value,
}

fn read_all(s: &Sandbox) -> Before {
    Before {
        files: s.read_text(),
        botocore: s.botocore_profiles(),
        credentials: botocore_credentials(s),
    }
}

fn doctor(s: &Sandbox) -> String {
    let out = s.run(&["doctor"], "");
    assert_no_secret(&out, &[SECRET, SECRET2]);
    stdout(&out)
}

fn fix_yes(s: &Sandbox) -> String {
    let out = s.run(&["doctor", "--fix", "--yes"], "");
    assert_no_secret(&out, &[SECRET, SECRET2]);
    stdout(&out)
}

/// The finding at `path` line `line` that contains `phrase`.
fn finding<'a>(report: &'a str, path: &Path, line: usize, phrase: &str) -> &'a str {
    let place = format!("{} line {line}: ", path.display());
    report
        .lines()
        .find(|l| l.contains(&place) && l.contains(phrase))
        .unwrap_or_else(|| panic!("no finding at {place} with {phrase:?}:\n{report}"))
}

/// The 1-based numbers of the lines that differ; both texts have as many lines.
fn changed_lines(before: &str, after: &str) -> Vec<usize> {
    let (was, now): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    assert_eq!(was.len(), now.len(), "a line rewrite keeps the line count");
    assert_eq!(
        before.ends_with('\n'),
        after.ends_with('\n'),
        "the last line's end"
    );
    (0..was.len())
        .filter(|&i| was[i] != now[i])
        .map(|i| i + 1)
        .collect()
}

fn line(text: &str, number: usize) -> &str {
    text.lines().nth(number - 1).unwrap()
}

#[test]
fn upper_case_keys_are_named_and_lowered_where_no_other_line_of_the_profile_sets_them() {
    let s = sandbox("upper");
    let before = read_all(&s);
    assert_eq!(
        before.botocore["work"]["aws_access_key_id"], KEY_ID,
        "botocore reads an upper-case key"
    );
    let report = doctor(&s);
    for (path, line, key) in [
        (&s.credentials, 3, "AWS_ACCESS_KEY_ID"),
        (&s.credentials, 4, "Aws_Secret_Access_Key"),
        (&s.config, 2, "Output"),
        (&s.config, 5, "REGION"),
    ] {
        let found = finding(&report, path, line, "is upper case");
        assert!(
            found.contains(&format!("`{key}`"))
                && found.contains("the JS SDK ignores it")
                && found.contains(&format!("`{}`", key.to_ascii_lowercase())),
            "{found}"
        );
    }

    let text = fix_yes(&s);
    assert!(
        text.contains("cannot repair") && text.contains("not lower-casing `REGION`"),
        "credentials also sets `both`'s region, which JS would then read from config: {text}"
    );
    let (config, credentials) = s.read_text();
    assert_eq!(changed_lines(&before.files.1, &credentials), [3, 4]);
    assert_eq!(
        line(&credentials, 3),
        format!("aws_access_key_id = {KEY_ID}")
    );
    assert_eq!(
        line(&credentials, 4),
        format!("aws_secret_access_key = {SECRET}")
    );
    assert_eq!(changed_lines(&before.files.0, &config), [2]);
    assert_eq!(line(&config, 2), "output = json");
    assert_eq!(s.botocore_profiles(), before.botocore);
    assert_eq!(botocore_credentials(&s), before.credentials);
    assert!(!doctor(&s).contains("`AWS_ACCESS_KEY_ID` is upper case"));
}

#[test]
fn spaces_in_headers_are_named_with_each_readers_name_and_removed_unless_another_section_names_the_profile()
 {
    let s = sandbox("spaced");
    let before = read_all(&s);
    let sdks = sdk_profiles(&s).unwrap();
    assert!(
        before.botocore.get(" a ").is_some() && before.botocore.get("c").is_none(),
        "botocore reads `[ a ]` as ` a ` and skips `[ profile c ]`: {}",
        before.botocore
    );
    let report = doctor(&s);
    let c = finding(&report, &s.config, 4, "spaces inside its brackets");
    assert!(
        c.contains("read the profile `c`") && c.contains("do not read it as a profile"),
        "{c}"
    );
    let d = finding(&report, &s.config, 6, "spaces inside its brackets");
    assert!(d.contains("the JS SDK drops the section"), "{d}");
    let a = finding(&report, &s.credentials, 1, "spaces inside its brackets");
    assert!(a.contains("` a `, spaces included"), "{a}");
    finding(&report, &s.credentials, 4, "spaces inside its brackets");

    let text = fix_yes(&s);
    assert!(
        text.contains("not rewriting `[ e ]` as `[e]`: `[e]` at line 7"),
        "{text}"
    );
    let (config, credentials) = s.read_text();
    assert_eq!(changed_lines(&before.files.0, &config), [4, 6]);
    assert_eq!(line(&config, 4), "[profile c]");
    assert_eq!(
        line(&config, 6),
        "[profile d] ; second team",
        "the comment stays"
    );
    assert_eq!(changed_lines(&before.files.1, &credentials), [1]);
    assert_eq!(line(&credentials, 1), "[a]");
    assert_eq!(
        sdk_profiles(&s).unwrap(),
        sdks,
        "the SDKs read the same names"
    );
    let botocore = s.botocore_profiles();
    assert_botocore_kept_or_agrees(&before.botocore, &botocore, &sdks);
    assert_eq!(botocore["c"], sdks["c"]);
    assert_eq!(
        botocore["a"], sdks["a"],
        "config's output and the keys, merged"
    );
    assert_eq!(
        botocore[" e "], before.botocore[" e "],
        "refused: unchanged"
    );
}

#[test]
fn keys_split_across_the_files_are_named_and_moved_to_credentials_so_botocore_resolves_them() {
    let s = sandbox("split");
    let before = read_all(&s);
    let sdks = sdk_profiles(&s).unwrap();
    for profile in ["cfgsecret", "cfgkey"] {
        assert_eq!(
            before.credentials[profile], "PartialCredentialsError",
            "{profile}"
        );
    }
    let report = doctor(&s);
    for (line, profile) in [(6, "cfgsecret"), (9, "cfgkey")] {
        let found = finding(&report, &s.config, line, "split between the files");
        assert!(
            found.contains(&format!("profile `{profile}`"))
                && found.contains("PartialCredentialsError")
                && found.contains("Go SDK refuses the profile"),
            "{found}"
        );
    }

    let text = fix_yes(&s);
    assert!(
        text.contains("move profile `cfgsecret`'s aws_secret_access_key"),
        "{text}"
    );
    let (config, credentials) = s.read_text();
    assert_eq!(
        config,
        "[default]\nregion = us-east-1\n\n[profile cfgsecret]\nregion = eu-west-1\n\n[profile cfgkey]\noutput = json\n",
        "only the key lines leave config"
    );
    assert_eq!(
        credentials,
        format!(
            "[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n\n\
             [cfgsecret]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n# rotated in May\n\n\
             [cfgkey]\naws_access_key_id = {KEY_ID2}\naws_secret_access_key = {SECRET2}\n"
        ),
        "each goes next to the key it belongs with, its key lower-case"
    );
    assert_eq!(
        sdk_profiles(&s).unwrap(),
        sdks,
        "the SDKs combined them already"
    );
    let resolved = botocore_credentials(&s);
    assert_eq!(resolved["cfgsecret"], json!([KEY_ID, SECRET]));
    assert_eq!(resolved["cfgkey"], json!([KEY_ID2, SECRET2]));
    assert_eq!(resolved["default"], before.credentials["default"]);
    assert_botocore_kept_or_agrees(&before.botocore, &s.botocore_profiles(), &sdks);
}

#[test]
fn an_indented_comment_the_rust_sdk_reads_as_part_of_a_value_is_named_and_unindented() {
    let s = sandbox("comment");
    let before = read_all(&s);
    let sdks = sdk_profiles(&s).unwrap();
    assert_eq!(
        sdks["default"]["region"], "us-east-1\n# the default is for CI",
        "the shared spec's reading"
    );
    assert_eq!(before.botocore["default"]["region"], "us-east-1");
    let report = doctor(&s);
    let found = finding(&report, &s.config, 4, "indented comment");
    assert!(
        found.contains("part of `region` (line 2)") && found.contains("Rust"),
        "{found}"
    );
    assert!(
        !report.contains("goes on over the indented line"),
        "not also called a refused region: {report}"
    );
    assert!(
        !report.contains("line 8"),
        "a sub-property's lines are not one: {report}"
    );

    fix_yes(&s);
    let (config, _) = s.read_text();
    assert_eq!(changed_lines(&before.files.0, &config), [4]);
    assert_eq!(line(&config, 4), "# the default is for CI");
    let now = sdk_profiles(&s).unwrap();
    assert_eq!(now["default"]["region"], "us-east-1");
    assert_eq!(now["s3"], sdks["s3"], "the sub-property survives");
    assert_eq!(s.botocore_profiles(), before.botocore);
}

#[test]
fn quoted_values_are_named_and_a_quoted_region_or_output_loses_its_quotes() {
    let s = sandbox("quoted");
    let before = read_all(&s);
    assert_eq!(before.botocore["default"]["region"], "\"eu-west-1\"");
    let report = doctor(&s);
    for (line, what) in [
        (2, "region"),
        (3, "output"),
        (4, "ca_bundle"),
        (6, "region"),
    ] {
        let found = finding(&report, &s.config, line, "in double quotes");
        assert!(
            found.contains(what) && found.contains("Go SDK strips them"),
            "{found}"
        );
    }
    finding(&report, &s.config, 6, "inline comment");

    fix_yes(&s);
    let (config, _) = s.read_text();
    assert_eq!(
        changed_lines(&before.files.0, &config),
        [2, 3],
        "ca_bundle's quotes may be its own, and a line with an inline comment is the user's"
    );
    assert_eq!(line(&config, 2), "region = eu-west-1");
    assert_eq!(line(&config, 3), "output = json");
    let sdks = sdk_profiles(&s).unwrap();
    let botocore = s.botocore_profiles();
    assert_botocore_kept_or_agrees(&before.botocore, &botocore, &sdks);
    assert_eq!(botocore["default"]["region"], "eu-west-1");
}

#[test]
fn key_colon_value_lines_are_named_in_place_of_the_parse_error_and_written_with_equals() {
    let s = sandbox("colon");
    let before = read_all(&s);
    assert!(sdk_profiles(&s).is_none(), "the SDKs' grammar refuses it");
    assert_eq!(before.botocore["default"]["region"], "eu-west-1");
    let report = doctor(&s);
    for line in [2, 6] {
        let found = finding(&report, &s.config, line, "`:` instead of `=`");
        assert!(
            found.contains("the JS SDK drops the line") && found.contains("Rust SDK"),
            "{found}"
        );
    }
    assert!(
        !report.contains("Expected an '=' sign"),
        "the finding says it better: {report}"
    );

    fix_yes(&s);
    let (config, _) = s.read_text();
    assert_eq!(changed_lines(&before.files.0, &config), [2, 6]);
    assert_eq!(line(&config, 2), "region = eu-west-1");
    assert_eq!(line(&config, 6), "output = text");
    assert_eq!(s.botocore_profiles(), before.botocore);
    assert_eq!(
        sdk_profiles(&s).unwrap(),
        before.botocore,
        "and the SDKs read what botocore reads"
    );
}

#[test]
fn a_secret_on_a_colon_line_is_masked_in_the_repair() {
    let s = Sandbox::with_files("", &format!("[a]\naws_secret_access_key: {SECRET}\n"));
    let text = fix_yes(&s);
    assert!(
        text.contains("- 2 | aws_secret_access_key: ")
            && text.contains("+ 2 | aws_secret_access_key = "),
        "{text}"
    );
    assert!(
        s.read_text()
            .1
            .contains(&format!("aws_secret_access_key = {SECRET}\n"))
    );
}

#[test]
fn what_no_repair_can_settle_is_named_with_what_to_do_and_left_alone() {
    let s = sandbox("kept");
    let before = read_all(&s);
    let report = doctor(&s);
    let both = finding(&report, &s.config, 2, "`region` is `eu-west-1` here");
    assert!(
        both.contains("`us-east-1` in")
            && both.contains("the JS SDK's region lookup takes this one")
            && both.contains("keep it in one file"),
        "{both}"
    );
    assert_eq!(
        before.botocore["r"]["region"], "us-east-1",
        "botocore takes credentials'"
    );
    let cycle = finding(&report, &s.config, 6, "in a loop");
    assert!(
        cycle.starts_with("error:") && cycle.contains("`r1` → `r2` → `r1`"),
        "{cycle}"
    );
    for profile in ["r1", "r2", "self"] {
        assert_eq!(botocore_error(&s, profile), "InfiniteLoopConfigError");
    }
    let itself = finding(&report, &s.config, 14, "from itself");
    assert!(itself.starts_with("error:"), "{itself}");
    assert_eq!(
        botocore_error(&s, "own"),
        "none",
        "a profile with keys may name itself"
    );
    assert!(!report.contains("`own`"), "{report}");
    let noted = finding(&report, &s.config, 11, "inline comment");
    assert!(noted.contains("the AWS CLI (botocore) keeps it"), "{noted}");
    assert_eq!(before.botocore["n"]["region"], "eu-west-1 # note");
    assert_eq!(sdk_profiles(&s).unwrap()["n"]["region"], "eu-west-1");

    let text = fix_yes(&s);
    assert_eq!(s.read_text(), before.files, "nothing written: {text}");
}

#[test]
fn a_repair_is_refused_when_a_file_changed_since_it_was_planned() {
    use credwiz::store::{Store, fix};
    for name in ["upper", "split"] {
        let s = sandbox(name);
        let store = Store::at(s.config.clone(), s.credentials.clone());
        let plan = fix::plan(&store.load().unwrap());
        let planned = plan
            .fixes
            .iter()
            .find(|f| matches!(f.kind, fix::FixKind::UpperCaseKey | fix::FixKind::SplitKeys))
            .expect("a repair of this kind");
        let (config, credentials) = s.read_text();
        let edited = (
            format!("{config}# edited\n"),
            format!("{credentials}# edited\n"),
        );
        s.write(&edited.0, &edited.1);
        let error = fix::apply(&store, planned).unwrap_err().to_string();
        assert!(
            error.contains("changed since doctor read it"),
            "{name}: {error}"
        );
        assert_eq!(s.read_text(), edited, "{name}: nothing written");
    }
}
