//! When temporary credentials expire, read from the caches the AWS tools write, in a temp
//! HOME: IAM Identity Center (`sso/cache`), `aws login` (`login/cache`, and
//! `AWS_LOGIN_CACHE_DIRECTORY`), an assumed role (`cli/cache`), and a session profile's
//! own `expiration`. The cache files are named by botocore's own functions, so a wrong
//! hash finds nothing; `list --json`, `list`, `show`, `doctor` and the picker (its clock
//! injected) say what is left, and no token in the caches is ever printed.

mod common;

use common::*;
use credwiz::store::Store;
use credwiz::tui::picker::{Mode, Picker, data, view};
use credwiz::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Value;

const CONFIG: &str = "\
[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1

[profile legacy]
sso_start_url = https://old.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 111122223333
sso_role_name = Admin

[profile signin]
login_session = arn:aws:iam::111122223333:user/alice

[profile admin]
role_arn = arn:aws:iam::111122223333:role/admin
source_profile = work
duration_seconds = 3600

[profile uncached]
role_arn = arn:aws:iam::111122223333:role/other
source_profile = work
";

/// Secrets in the caches: none may ever be printed.
const CACHED_TOKEN: &str = "cachedTokenMustNeverShow0123456789";
const CACHED_SECRET: &str = "cachedSecretMustNeverShow987654321";

fn credentials() -> String {
    format!(
        "[work]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n\n\
         [work-session]\naws_access_key_id = {TEMP_KEY_ID}\naws_secret_access_key = {SECRET2}\naws_session_token = {TOKEN}\nexpiration = 2030-01-01T12:00:00Z\n\n\
         [old-session]\naws_access_key_id = {TEMP_KEY_ID}\naws_secret_access_key = {SECRET2}\naws_session_token = {TOKEN}\nexpiration = 2020-01-01T00:00:00Z\n"
    )
}

/// Writes the cache files under `home`, each named by botocore's function for it; the
/// login cache goes to `login_dir`.
fn write_caches(s: &Sandbox, login_dir: &std::path::Path, login_expires: &str) {
    let script = format!(
        "import json, os\n\
         from botocore.utils import SSOTokenLoader, generate_login_cache_key\n\
         from botocore.credentials import AssumeRoleCredentialFetcher\n\
         home = {home:?}\n\
         def put(folder, key, body):\n\
         \x20   os.makedirs(folder, exist_ok=True)\n\
         \x20   json.dump(body, open(os.path.join(folder, key + '.json'), 'w'))\n\
         sso = os.path.join(home, '.aws', 'sso', 'cache')\n\
         loader = SSOTokenLoader()\n\
         put(sso, loader._generate_cache_key(None, 'corp'), {{'accessToken': '{CACHED_TOKEN}', 'expiresAt': '2030-01-01T15:00:00Z'}})\n\
         put(sso, loader._generate_cache_key('https://old.awsapps.com/start', None), {{'accessToken': '{CACHED_TOKEN}', 'expiresAt': '2020-01-01T00:00:00UTC'}})\n\
         put({login:?}, generate_login_cache_key('arn:aws:iam::111122223333:user/alice'), {{'accessToken': {{'accessKeyId': 'ASIAXXXXXXXXXXXXXXXX', 'secretAccessKey': '{CACHED_SECRET}', 'sessionToken': '{CACHED_TOKEN}', 'expiresAt': {login_expires:?}}}}})\n\
         fetcher = AssumeRoleCredentialFetcher(client_creator=None, source_credentials=None, role_arn='arn:aws:iam::111122223333:role/admin', extra_args={{'DurationSeconds': 3600}})\n\
         put(os.path.join(home, '.aws', 'cli', 'cache'), fetcher._cache_key, {{'Credentials': {{'AccessKeyId': 'ASIAXXXXXXXXXXXXXXXX', 'SecretAccessKey': '{CACHED_SECRET}', 'SessionToken': '{CACHED_TOKEN}', 'Expiration': '2030-01-01T13:00:00+00:00'}}}})\n",
        home = s.home.display().to_string(),
        login = login_dir.display().to_string(),
    );
    s.python(&script);
}

fn sandbox() -> Sandbox {
    let s = Sandbox::with_files(CONFIG, &credentials());
    let login = s.home.join(".aws/login/cache");
    write_caches(&s, &login, "2020-06-01T00:00:00Z");
    s
}

fn no_cached_secret(text: &str) {
    assert!(
        !text.contains(CACHED_TOKEN) && !text.contains(CACHED_SECRET),
        "a cached token was shown:\n{text}"
    );
}

#[test]
fn list_json_gives_every_temporary_credentials_expiry_and_the_login_kind() {
    let s = sandbox();
    let out = s.run(&["list", "--json"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    no_cached_secret(&stdout(&out));
    let profiles: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    let field = |name: &str, key: &str| {
        profiles
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))[key]
            .clone()
    };
    for (name, expires) in [
        ("dev", Value::from("2030-01-01T15:00:00Z")),
        ("legacy", Value::from("2020-01-01T00:00:00Z")),
        ("signin", Value::from("2020-06-01T00:00:00Z")),
        ("admin", Value::from("2030-01-01T13:00:00Z")),
        ("work-session", Value::from("2030-01-01T12:00:00Z")),
        ("old-session", Value::from("2020-01-01T00:00:00Z")),
        ("uncached", Value::Null),
        ("work", Value::Null),
    ] {
        assert_eq!(field(name, "expires_at"), expires, "{name}");
    }
    assert_eq!(field("signin", "kind"), "login");

    // AWS_LOGIN_CACHE_DIRECTORY is where `aws login` keeps its tokens, when set.
    let elsewhere = s.dir.path().join("login-elsewhere");
    write_caches(&s, &elsewhere, "2031-02-03T04:05:06Z");
    let out = s
        .credwiz()
        .args(["list", "--json"])
        .env("AWS_LOGIN_CACHE_DIRECTORY", &elsewhere)
        .output()
        .unwrap();
    let profiles: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    let signin = profiles.iter().find(|p| p["name"] == "signin").unwrap();
    assert_eq!(signin["expires_at"], "2031-02-03T04:05:06Z");
}

#[test]
fn list_show_and_doctor_say_what_expired_and_how_to_renew_it() {
    let s = sandbox();
    let table = stdout(&s.run(&["list"], ""));
    no_cached_secret(&table);
    let line = |name: &str| {
        table
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{name}:\n{table}"))
            .to_string()
    };
    assert!(line("old-session").contains("session (expired)"), "{table}");
    assert!(line("legacy").contains("sso (expired)"), "{table}");
    assert!(line("signin").contains("login (expired)"), "{table}");
    assert!(line("work").contains("static"), "{table}");

    let shown = stdout(&s.run(&["show", "legacy"], ""));
    assert!(
        shown.contains("expired ")
            && shown.contains("2020-01-01T00:00:00Z")
            && shown.contains("renew: aws sso login --profile legacy"),
        "{shown}"
    );
    let json: Value =
        serde_json::from_str(&stdout(&s.run(&["show", "admin", "--json"], ""))).unwrap();
    assert_eq!(json["expires_at"], "2030-01-01T13:00:00Z");

    let out = s.run(&["doctor"], "");
    let said = format!("{}{}", stdout(&out), stderr(&out));
    no_cached_secret(&said);
    for expected in [
        "`old-session`: its session expired",
        "renew it: credwiz session old-session",
        "`legacy`: its IAM Identity Center sign-in expired",
        "renew it: aws sso login --profile legacy",
        "`signin`: its `aws login` sign-in expired",
        "renew it: aws login --profile signin",
    ] {
        assert!(said.contains(expected), "{expected}:\n{said}");
    }
    for fresh in ["`dev`:", "`work-session`:", "`admin`:"] {
        assert!(!said.contains(fresh), "{fresh} has not expired:\n{said}");
    }
}

fn picker_at(s: &Sandbox, now: &str) -> Picker {
    let store = Store::at(s.config.clone(), s.credentials.clone());
    let home = s.home.display().to_string();
    let env = move |name: &str| (name == "HOME").then(|| home.clone());
    let mut picker = Picker::new(data::load(&store, &env).unwrap(), Mode::Manage, None);
    picker.now = credwiz::domain::expiry::parse(now).unwrap();
    // Doctor's findings count from the real clock (tested above with `doctor`).
    picker.data.findings.clear();
    picker
}

fn screen(p: &Picker) -> String {
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal
        .draw(|f| view::render(f, p, &Theme::plain()))
        .unwrap();
    terminal.backend().to_string()
}

fn highlight(p: &mut Picker, name: &str) {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    for _ in 0..20 {
        if p.selected().is_some_and(|r| r.name == name) {
            return;
        }
        p.update(credwiz::tui::picker::Msg::Key(KeyEvent::new(
            KeyCode::Down,
            KeyModifiers::NONE,
        )));
    }
    panic!("no row {name}");
}

/// The picker with its clock at 2030-01-01T08:48:00Z: the session has 3h 12m left; at a
/// later clock it has expired, and the detail pane says how to renew it.
#[test]
fn the_picker_shows_the_time_left_and_what_expired() {
    let s = sandbox();
    let mut p = picker_at(&s, "2030-01-01T08:48:00Z");
    highlight(&mut p, "work-session");
    let shown = screen(&p);
    assert!(shown.contains("expires in 3h 12m"), "{shown}");
    no_cached_secret(&shown);
    insta::assert_snapshot!("picker_expires_in", shown);

    let mut p = picker_at(&s, "2030-01-01T14:00:00Z");
    highlight(&mut p, "work-session");
    let shown = screen(&p);
    assert!(
        shown.contains("expired 2h 0m ago") && shown.contains("m renews it"),
        "{shown}"
    );
    insta::assert_snapshot!("picker_expired", shown);
}
