//! A real Secret Service for a test: a private D-Bus session bus and gnome-keyring's
//! secrets component on it, its login keyring made and unlocked with a known password,
//! under the sandbox's HOME (as on a desktop: the keyring file is encrypted there).
//! Nothing reaches the keyring of the person running the tests.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::Sandbox;

pub struct SecretService {
    bus: Child,
    keyring: Child,
    pub address: String,
}

impl Drop for SecretService {
    fn drop(&mut self) {
        for child in [&mut self.keyring, &mut self.bus] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl SecretService {
    /// Starts both daemons and points the sandbox's credwiz at them.
    pub fn start(s: &mut Sandbox) -> SecretService {
        let socket = s.dir.path().join("bus");
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .arg(format!("--address=unix:path={}", socket.display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon is required for the keyring tests (./scripts/test installs dbus)");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        let address = address.trim().to_string();
        assert!(!address.is_empty(), "dbus-daemon printed no address");
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--unlock", "--components=secrets", "--foreground"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("HOME", &s.home)
            .env("XDG_RUNTIME_DIR", s.dir.path())
            .env_remove("XDG_DATA_HOME")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon is required for the keyring tests (./scripts/test installs gnome-keyring)");
        {
            let mut stdin = keyring.stdin.take().unwrap();
            stdin.write_all(b"test-password").unwrap();
        }
        let service = SecretService {
            bus,
            keyring,
            address,
        };
        service.wait_until_up();
        s.bus = service.address.clone();
        service
    }

    fn wait_until_up(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let owned = Command::new("dbus-send")
                .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .output()
                .expect("dbus-send (package dbus) is required for the keyring tests");
            if String::from_utf8_lossy(&owned.stdout).contains("boolean true") {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "gnome-keyring-daemon did not come up on the test bus"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The key IDs of credwiz's entries, as `secret-tool` (libsecret, not credwiz's
    /// library) finds them.
    pub fn entries(&self) -> Vec<String> {
        let out = Command::new("secret-tool")
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .args(["search", "--all", "service", "credwiz"])
            .output()
            .expect("secret-tool (package libsecret-tools) is required for the keyring tests");
        let text = String::from_utf8_lossy(&out.stderr).into_owned()
            + &String::from_utf8_lossy(&out.stdout);
        let mut ids: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("attribute.username = "))
            .map(str::to_string)
            .collect();
        ids.sort();
        ids
    }

    /// The text of credwiz's entry for `key_id`, as `secret-tool lookup` reads it.
    pub fn lookup(&self, key_id: &str) -> Option<String> {
        let out = Command::new("secret-tool")
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .args(["lookup", "service", "credwiz", "username", key_id])
            .output()
            .unwrap();
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Writes an entry as another program would (`secret-tool store`).
    pub fn store(&self, key_id: &str, text: &str) {
        let mut child = Command::new("secret-tool")
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .args([
                "store",
                "--label=test",
                "service",
                "credwiz",
                "username",
                key_id,
            ])
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success());
    }

    /// Locks every collection (`Lock` on the service), as a screen lock does.
    pub fn lock(&self) {
        let status = Command::new("dbus-send")
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets",
                "org.freedesktop.Secret.Service.Lock",
                "array:objpath:/org/freedesktop/secrets/collection/login",
            ])
            .output()
            .unwrap();
        assert!(status.status.success(), "could not lock the keyring");
    }
}
