//! A sandbox per test: a temp HOME with its own AWS files, never the real `~/.aws`.
#![allow(dead_code)]

pub mod keyring;
pub mod moto;
pub mod runner;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;

pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
pub const SECRET2: &str = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";
pub const KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
pub const KEY_ID2: &str = "AKIAY34FZKBOKMUTVV7A";
pub const TEMP_KEY_ID: &str = "ASIAY34FZKBOKMUTVV7A";
pub const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLETOKENxYzABCDEFGHIJKLMNOP/+=";

/// Variables that would make a reader look elsewhere or pick another profile.
const CLEARED: &[&str] = &[
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_DEFAULT_OUTPUT",
    "AWS_CA_BUNDLE",
    "XDG_CONFIG_HOME",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_STS",
    "AWS_ENDPOINT_URL_S3",
    "AWS_ENDPOINT_URL_IAM",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_LOGIN_CACHE_DIRECTORY",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

pub struct Sandbox {
    pub dir: tempfile::TempDir,
    pub home: PathBuf,
    pub config: PathBuf,
    pub credentials: PathBuf,
    /// The D-Bus session bus credwiz is given: none that exists, unless a test starts a
    /// Secret Service of its own ([`keyring::SecretService`]), so no test ever reaches
    /// the keyring of the person running them.
    pub bus: String,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temp dir");
        let home = dir.path().join("home");
        fs::create_dir(&home).unwrap();
        let aws = home.join(".aws");
        Sandbox {
            config: aws.join("config"),
            credentials: aws.join("credentials"),
            bus: format!("unix:path={}", dir.path().join("no-bus").display()),
            home,
            dir,
        }
    }

    pub fn with_files(config: &str, credentials: &str) -> Sandbox {
        let sandbox = Sandbox::new();
        sandbox.write(config, credentials);
        sandbox
    }

    pub fn write(&self, config: &str, credentials: &str) {
        fs::create_dir_all(self.config.parent().unwrap()).unwrap();
        fs::write(&self.config, config).unwrap();
        fs::write(&self.credentials, credentials).unwrap();
        fs::set_permissions(&self.credentials, fs::Permissions::from_mode(0o600)).unwrap();
    }

    pub fn read(&self) -> (Vec<u8>, Vec<u8>) {
        (
            read_or_empty(&self.config),
            read_or_empty(&self.credentials),
        )
    }

    pub fn read_text(&self) -> (String, String) {
        let (c, k) = self.read();
        (String::from_utf8(c).unwrap(), String::from_utf8(k).unwrap())
    }

    pub fn env(&self, cmd: &mut Command) {
        for var in CLEARED {
            cmd.env_remove(var);
        }
        cmd.env("HOME", &self.home)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .env("XDG_RUNTIME_DIR", self.dir.path())
            .env("AWS_CONFIG_FILE", &self.config)
            .env("AWS_SHARED_CREDENTIALS_FILE", &self.credentials)
            .env("AWS_EC2_METADATA_DISABLED", "true");
    }

    pub fn credwiz(&self) -> Command {
        let mut cmd = Command::cargo_bin("credwiz").expect("binary built");
        self.env(&mut cmd);
        cmd
    }

    /// Runs credwiz with `stdin` piped in.
    pub fn run(&self, args: &[&str], stdin: &str) -> Output {
        self.credwiz().args(args).feed(stdin)
    }

    pub fn add(&self, name: &str, key_id: &str, stdin: &str, extra: &[&str]) -> Output {
        let mut args = vec!["add", name, "--access-key-id", key_id];
        args.extend_from_slice(extra);
        self.run(&args, stdin)
    }

    /// The profiles as credwiz (the SDKs' grammar) reads the sandbox's files; `None` when
    /// it refuses them.
    pub fn sdk_profiles(&self) -> Option<Value> {
        let store = credwiz::store::Store::at(self.config.clone(), self.credentials.clone());
        let snapshot = store.load().unwrap();
        let parsed = snapshot.parse().ok()?;
        let set = parsed.profiles();
        let profiles: serde_json::Map<String, Value> = set
            .profiles
            .iter()
            .map(|(name, section)| {
                let settings = section
                    .settings
                    .iter()
                    .map(|(k, v)| (k.to_string(), Value::String(v.value.to_string())))
                    .collect();
                (name.to_string(), Value::Object(settings))
            })
            .collect();
        Some(Value::Object(profiles))
    }

    /// The profiles botocore (the AWS CLI's parser) builds from both files.
    pub fn botocore_profiles(&self) -> Value {
        let script = "import json, botocore.session\n\
                      print(json.dumps(botocore.session.Session().full_config['profiles']))";
        let out = self.python(script);
        serde_json::from_str(&out).expect("botocore printed JSON")
    }

    /// Runs python3 in the sandbox environment; fails the test loudly if python3 or
    /// botocore is missing (./scripts/test installs them).
    pub fn python(&self, script: &str) -> String {
        let mut cmd = Command::new("python3");
        self.env(&mut cmd);
        let out =
            cmd.arg("-c").arg(script).output().expect(
                "python3 is required for interop tests: run ./scripts/test, which installs it",
            );
        assert!(
            out.status.success(),
            "python failed (is botocore installed? ./scripts/test installs it):\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs the real AWS CLI in the sandbox environment.
    pub fn aws(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new("aws");
        self.env(&mut cmd);
        let out = cmd
            .args(args)
            .output()
            .expect("the AWS CLI (`aws`) is required: run ./scripts/test, which installs it");
        assert!(
            out.status.success(),
            "aws {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }
}

/// Runs a command with `stdin` piped in and its output captured.
pub trait Feed {
    fn spawn_fed(&mut self, stdin: &str) -> std::process::Child;
    fn feed(&mut self, stdin: &str) -> Output {
        self.spawn_fed(stdin).wait_with_output().unwrap()
    }
}

impl Feed for Command {
    fn spawn_fed(&mut self, stdin: &str) -> std::process::Child {
        let mut child = self
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "{:?} (./scripts/test installs what tests need): {e}",
                    self.get_program()
                )
            });
        use std::io::Write;
        let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
        child
    }
}

pub fn read_or_empty(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap_or_default()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts nothing in the output reveals a secret.
pub fn assert_no_secret(out: &Output, secrets: &[&str]) {
    for s in secrets {
        for (stream, text) in [("stdout", stdout(out)), ("stderr", stderr(out))] {
            assert!(!text.contains(s), "{stream} reveals a secret:\n{text}");
            assert!(
                !text.contains(&s[..12]),
                "{stream} reveals part of a secret:\n{text}"
            );
        }
    }
}

/// The non-blank lines of a file outside the sections of `profiles`, found from the
/// header lines alone (independently of credwiz's parser).
pub fn lines_outside(text: &str, profiles: &[&str]) -> Vec<String> {
    let mut current: Option<String> = None;
    text.lines()
        .filter(|line| {
            if line.starts_with('[') {
                let inner = line
                    .trim_start_matches('[')
                    .split(']')
                    .next()
                    .unwrap_or("")
                    .trim();
                let name = inner.strip_prefix("profile ").unwrap_or(inner).trim();
                current = Some(name.to_string());
            }
            let touched = current.as_deref().is_some_and(|c| profiles.contains(&c));
            !touched && !line.trim().is_empty()
        })
        .map(|l| l.trim_end_matches('\r').to_string())
        .collect()
}

/// Asserts both files changed only inside the sections of `profiles`.
pub fn assert_only_touched(before: &(String, String), after: &(String, String), profiles: &[&str]) {
    assert_eq!(
        lines_outside(&before.0, profiles),
        lines_outside(&after.0, profiles),
        "config"
    );
    assert_eq!(
        lines_outside(&before.1, profiles),
        lines_outside(&after.1, profiles),
        "credentials"
    );
}

static SESSIONS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The real binary in a real terminal: a detached tmux session of 80×24 (see `start`).
pub struct Tmux {
    /// Each test gets its own tmux server (`-L`), so sessions share no environment.
    pub socket: String,
    pub session: String,
}

/// The shell command line that runs the credwiz under test with `args`.
pub fn credwiz_line(args: &str) -> String {
    format!(
        "{} {args}",
        assert_cmd::cargo::cargo_bin("credwiz").display()
    )
}

impl Tmux {
    /// credwiz with `args` in a fresh 80×24 terminal.
    pub fn credwiz(s: &Sandbox, args: &str) -> Tmux {
        Tmux::start(s, &credwiz_line(args))
    }

    pub fn start(s: &Sandbox, command: &str) -> Tmux {
        let socket = format!(
            "credwiz-test-{}-{}",
            std::process::id(),
            SESSIONS.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        );
        let tmux = Tmux {
            socket,
            session: "main".into(),
        };
        let mut cmd = tmux.command();
        s.env(&mut cmd);
        let status = cmd
            .args([
                "new-session",
                "-d",
                "-x",
                "80",
                "-y",
                "24",
                "-s",
                &tmux.session,
            ])
            .arg(format!("{command}; echo EXIT=$?; sleep 60"))
            .status()
            .expect("tmux is required for terminal tests: run ./scripts/test, which installs it");
        assert!(status.success(), "tmux new-session failed");
        tmux
    }

    /// `tmux -L <this test's server>`.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.args(["-L", &self.socket]);
        cmd
    }

    pub fn screen(&self) -> String {
        let out = self
            .command()
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return self.settled(screen);
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}; screen:\n{screen}"
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// The screen once it stops changing: a capture can land while a frame is half
    /// painted (the new title over the old field), so callers that assert on the
    /// returned screen get the whole frame, not a torn one.
    fn settled(&self, mut screen: String) -> String {
        let deadline = Instant::now() + Duration::from_millis(500);
        loop {
            thread::sleep(Duration::from_millis(30));
            let next = self.screen();
            if next == screen || Instant::now() >= deadline {
                return next;
            }
            screen = next;
        }
    }

    /// Sends `keys`, waits for the program under test to end, and returns its exit status.
    pub fn end_with(&self, keys: &[&str]) -> i32 {
        self.send(keys);
        let screen = self.wait_for("EXIT=");
        let status = screen.split("EXIT=").nth(1).unwrap_or_default();
        let digits: String = status.chars().take_while(char::is_ascii_digit).collect();
        digits
            .parse()
            .unwrap_or_else(|_| panic!("no exit status on the screen:\n{screen}"))
    }

    /// Ctrl+C in the wizard, then yes to the discard: it ends with 130 having written nothing.
    pub fn discard_unsaved(&self, s: &Sandbox) {
        self.send(&["C-c"]);
        self.wait_for("Discard what you typed");
        assert_eq!(self.end_with(&["y"]), 130, "discarded: exit 130");
        assert!(
            !s.credentials.exists() && !s.config.exists(),
            "nothing written"
        );
    }

    pub fn send(&self, keys: &[&str]) {
        let status = self
            .command()
            .args(["send-keys", "-t", &self.session])
            .args(keys)
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Pastes `text` as a terminal paste (bracketed, when the program asked for it).
    pub fn paste(&self, text: &str) {
        let status = self
            .command()
            .args(["set-buffer", "--", text])
            .status()
            .unwrap();
        assert!(status.success());
        let status = self
            .command()
            .args(["paste-buffer", "-p", "-t", &self.session])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.command().arg("kill-server").status();
    }
}

/// A stand-in for STS on loopback (see tests/verify.rs).
pub const USER_ARN: &str = "arn:aws:iam::609629065308:user/alice";

pub fn ok_body(arn: &str) -> String {
    format!(
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <GetCallerIdentityResult>\n    <Arn>{arn}</Arn>\n    <UserId>AIDAY34FZKBOKMUTVV7AB</UserId>\n    <Account>609629065308</Account>\n  </GetCallerIdentityResult>\n  <ResponseMetadata><RequestId>0f1e2d3c</RequestId></ResponseMetadata>\n</GetCallerIdentityResponse>\n"
    )
}

pub fn error_body(code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <Error>\n    <Type>Sender</Type>\n    <Code>{code}</Code>\n    <Message>{message}</Message>\n  </Error>\n  <RequestId>0f1e2d3c</RequestId>\n</ErrorResponse>\n"
    )
}

/// Reads one HTTP request from `stream`: its head (request line and headers) and body.
fn read_request(stream: &std::net::TcpStream) -> (String, String) {
    use std::io::{BufRead, Read};
    let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
    let mut head = String::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        head.push_str(&line);
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    (head, String::from_utf8_lossy(&body).into_owned())
}

fn reply(mut stream: std::net::TcpStream, status: u16, body: &str) {
    use std::io::Write;
    let reply = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(reply.as_bytes());
}

/// Serves one request with `status` and `body` (or never answers when `body` is None);
/// returns the port and a receiver for the request it got (head and body).
pub fn stub(status: u16, body: Option<String>) -> (u16, std::sync::mpsc::Receiver<String>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = std::sync::mpsc::channel();
    thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let (head, request_body) = read_request(&stream);
        let _ = tx.send(format!("{head}\n{request_body}"));
        match body {
            Some(body) => reply(stream, status, &body),
            None => std::thread::sleep(Duration::from_secs(12)),
        }
    });
    (port, rx)
}

/// Serves one connection per answer, in order; returns the port and a receiver of the
/// requests' bodies.
pub fn answers(replies: Vec<(u16, String)>) -> (u16, std::sync::mpsc::Receiver<String>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = std::sync::mpsc::channel();
    thread::spawn(move || {
        for (status, body) in replies {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let (_, request_body) = read_request(&stream);
            let _ = tx.send(request_body);
            reply(stream, status, &body);
        }
    });
    (port, rx)
}

/// STS's answer to `GetSessionToken`: TEMP_KEY_ID, SECRET2 and TOKEN, until 2030.
pub fn session_body() -> String {
    format!(
        "<GetSessionTokenResponse><GetSessionTokenResult><Credentials><AccessKeyId>{TEMP_KEY_ID}</AccessKeyId><SecretAccessKey>{SECRET2}</SecretAccessKey><SessionToken>{TOKEN}</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></GetSessionTokenResult></GetSessionTokenResponse>"
    )
}

/// Whether one of the request bodies asks STS for a session with `code` for alice's
/// MFA device.
pub fn asks_session_with(bodies: &[String], code: &str) -> bool {
    bodies.iter().any(|b| {
        b.starts_with("Action=GetSessionToken")
            && b.contains(&format!("TokenCode={code}"))
            && b.contains("SerialNumber=arn%3Aaws%3Aiam%3A%3A609629065308%3Amfa%2Falice")
    })
}

/// An IAM error response.
pub fn iam_error(code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>x</RequestId></ErrorResponse>"
    )
}

/// Answers one request with a redirect to `location`.
pub fn redirecting_stub(location: String) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
            line.clear();
        }
        let reply = format!(
            "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        let _ = stream.write_all(reply.as_bytes());
    });
    port
}

/// Runs `script` in `shell` (bash, zsh or fish) in the sandbox, with credwiz on PATH and
/// `extra` variables set; returns stdout. Fails loudly when the shell is missing.
pub fn in_shell(s: &Sandbox, shell: &str, script: &str, extra: &[(&str, &str)]) -> String {
    let mut cmd = Command::new(shell);
    s.env(&mut cmd);
    let bin = assert_cmd::cargo::cargo_bin("credwiz");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    cmd.env("PATH", path)
        .envs(extra.iter().copied())
        .args(["-c", script]);
    let out = cmd.output().unwrap_or_else(|e| {
        panic!("{shell} is required for this test (./scripts/test installs it): {e}")
    });
    assert!(
        out.status.success(),
        "{shell}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A parent that is not a shell (python), printing how its child ended: `STATUS=n` for an
/// exit status, `STATUS=-n` for death by signal n. Writes the child's pid to a file.
const WATCHER: &str = "import subprocess, sys\n\
                       p = subprocess.Popen(sys.argv[2:])\n\
                       open(sys.argv[1], 'w').write(str(p.pid))\n\
                       print('STATUS=%d' % p.wait())\n";

/// credwiz under [`WATCHER`] in a fresh terminal: after it ends, `stty -a` runs in the
/// same terminal and prints its settings.
pub struct Watched {
    pub tmux: Tmux,
    pid_file: PathBuf,
}

impl Watched {
    pub fn credwiz(s: &Sandbox, args: &str) -> Watched {
        let pid_file = s.dir.path().join("credwiz.pid");
        let watcher = s.dir.path().join("watcher.py");
        fs::write(&watcher, WATCHER).unwrap();
        let command = format!(
            "python3 {} {} {}; stty -a",
            watcher.display(),
            pid_file.display(),
            credwiz_line(args)
        );
        let tmux = Tmux::start(s, &command);
        Watched { tmux, pid_file }
    }

    /// The pid of credwiz (once the watcher has started it).
    pub fn pid(&self) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(pid) = fs::read_to_string(&self.pid_file)
                .ok()
                .and_then(|text| text.trim().parse().ok())
            {
                return pid;
            }
            assert!(Instant::now() < deadline, "credwiz did not start");
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends `signal` (`TERM`, `INT`…) to credwiz.
    pub fn kill(&self, signal: &str) {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.pid().to_string())
            .status()
            .unwrap();
        assert!(status.success(), "kill -{signal}");
    }

    /// How credwiz ended, as the watcher saw it (`-15`: killed by SIGTERM), and the
    /// terminal's settings afterwards (`stty -a`, one word per item).
    pub fn ended(&self) -> (i32, Vec<String>) {
        let screen = self.tmux.wait_for("EXIT=");
        let status = screen
            .split("STATUS=")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no status on the screen:\n{screen}"));
        let after = screen.split("STATUS=").nth(1).unwrap_or_default();
        let settings = after
            .split(|c: char| c.is_whitespace() || c == ';')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        (status, settings)
    }
}

impl Tmux {
    /// Whether the terminal shows its alternate screen (tmux's `#{alternate_on}`).
    pub fn alternate_on(&self) -> bool {
        let out = self
            .command()
            .args([
                "display-message",
                "-p",
                "-t",
                &self.session,
                "#{alternate_on}",
            ])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }

    /// Resizes the terminal to `width`×`height`.
    pub fn resize(&self, width: u16, height: u16) {
        let status = self
            .command()
            .args(["resize-window", "-t", &self.session])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "tmux resize-window");
    }
}
