//! The differential test of issue 12: credwiz's edits read back by real SDK parsers.
//!
//! Each case is a file pair (hand-written under tests/fixtures/differential/, or generated
//! from a fixed seed) and one credwiz edit: add, add --force, use, rename, remove, import,
//! or the picker's edit of region/output (through the library, as the picker calls it).
//! The pair before and after the edit is read, in one batch per reader, by
//! - botocore, the AWS CLI's parser (tests/readers/botocore/read.py),
//! - the AWS SDK for JavaScript v3 (tests/readers/js/read.js, its own npm packages),
//! - the AWS SDK for Rust, `aws-config` (tests/readers/rust/, a crate of its own built once
//!   into target/readers, outside credwiz's build).
//!
//! Go v2 is not among them: no Go toolchain can be had from the registries this project
//! reaches. Role chains are resolved by botocore and JS with a fake STS inside each reader.
//!
//! The assertion: after every edit, the readers agree on each profile the edit touched
//! (whether they see it, its keys, region, output, role_arn/source_profile, and the
//! credentials botocore and JS resolve), unless they disagreed the same way before the
//! edit (a quirk of a line credwiz did not write, listed on stderr); or the edit is
//! refused with a message that says why, and nothing is written.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;
use std::{fs, io::Write};

use common::*;
use credwiz::store::Store;
use serde_json::{Value, json};

/// The settings compared across readers.
const COMPARED: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "region",
    "output",
    "role_arn",
    "source_profile",
];

const NEW_SECRET: &str = "Zq1vW8eXn3RbT5yUc7iOp9aSd2fGh4jKEXAMPLE1";
const IMPORTED_KEY_ID: &str = "AKIAQ3EGUFIXTUREIMPZ";
const IMPORTED_SECRET: &str = "Hk3nB8vC1xZ9mL2qW7eR4tY6uI0oPaSdEXAMPLE2";

#[derive(Debug, Clone)]
enum Edit {
    Add { profile: String, force: bool },
    Use(String),
    Rename { from: String, to: String },
    Remove(String),
    Import(String),
    Picker { profile: String },
}

impl Edit {
    /// The profiles the edit names, each with the name it had before the edit.
    fn named(&self) -> Vec<(String, String)> {
        let same = |p: &String| vec![(p.clone(), p.clone())];
        match self {
            Edit::Add { profile, .. }
            | Edit::Import(profile)
            | Edit::Picker { profile }
            | Edit::Remove(profile) => same(profile),
            // The new default is a copy of the profile: it is judged against what the
            // readers made of the profile before.
            Edit::Use(profile) => vec![
                ("default".into(), profile.clone()),
                (profile.clone(), profile.clone()),
            ],
            Edit::Rename { from, to } => {
                vec![(to.clone(), from.clone()), (from.clone(), from.clone())]
            }
        }
    }
}

struct Case {
    label: String,
    sandbox: Sandbox,
    before: Pair,
    edit: Edit,
    outcome: Outcome,
}

#[derive(Clone)]
struct Pair {
    config: PathBuf,
    credentials: PathBuf,
}

#[derive(Debug)]
enum Outcome {
    Applied,
    Refused(String),
}

/// One reader's reading of one profile.
#[derive(Debug, Clone, PartialEq)]
enum Reading {
    RefusedTheFiles,
    NotSeen,
    Seen(BTreeMap<String, String>),
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run_edit(s: &Sandbox, edit: &Edit) -> Outcome {
    let out = match edit {
        Edit::Add { profile, force } => {
            let mut extra = vec!["--region", "eu-north-1"];
            if *force {
                extra.push("--force");
            }
            s.add(profile, KEY_ID2, &format!("{NEW_SECRET}\n"), &extra)
        }
        Edit::Use(profile) => s.run(&["use", profile], ""),
        Edit::Rename { from, to } => s.run(&["rename", from, to], ""),
        Edit::Remove(profile) => s.run(&["remove", profile, "--force", "--yes"], ""),
        Edit::Import(profile) => {
            let csv = s.dir.path().join("import.csv");
            fs::write(
                &csv,
                format!("Access key ID,Secret access key\n{IMPORTED_KEY_ID},{IMPORTED_SECRET}\n"),
            )
            .unwrap();
            let path = csv.to_str().unwrap();
            s.run(&["import", path, "--profile", profile, "--force"], "")
        }
        Edit::Picker { profile } => {
            let store = Store::at(s.config.clone(), s.credentials.clone());
            return match store.edit(|editor| {
                editor.set(profile, &[("region", "ap-southeast-2")])?;
                editor.set(profile, &[("output", "table")])
            }) {
                Ok(_) => Outcome::Applied,
                Err(error) => Outcome::Refused(error.to_string()),
            };
        }
    };
    if out.status.success() {
        Outcome::Applied
    } else {
        Outcome::Refused(stderr(&out))
    }
}

fn case(label: String, config: &str, credentials: &str, edit: Edit) -> Case {
    let sandbox = Sandbox::with_files(config, credentials);
    let before_dir = sandbox.dir.path().join("before");
    fs::create_dir(&before_dir).unwrap();
    let before = Pair {
        config: before_dir.join("config"),
        credentials: before_dir.join("credentials"),
    };
    fs::write(&before.config, config).unwrap();
    fs::write(&before.credentials, credentials).unwrap();
    let outcome = run_edit(&sandbox, &edit);
    Case {
        label,
        sandbox,
        before,
        edit,
        outcome,
    }
}

/// Every kind of edit on profile `p` of a hand-written pair.
fn edits_of_p() -> Vec<Edit> {
    let p = || "p".to_string();
    vec![
        Edit::Add {
            profile: p(),
            force: true,
        },
        Edit::Add {
            profile: "fresh".into(),
            force: false,
        },
        Edit::Use(p()),
        Edit::Rename {
            from: p(),
            to: "renamed".into(),
        },
        Edit::Remove(p()),
        Edit::Import(p()),
        Edit::Picker { profile: p() },
    ]
}

fn fixture_cases() -> Vec<Case> {
    let dir = root().join("tests/fixtures/differential");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("tests/fixtures/differential")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut cases = Vec::new();
    for name in names {
        let config = fs::read_to_string(dir.join(&name).join("config")).unwrap();
        let credentials = fs::read_to_string(dir.join(&name).join("credentials")).unwrap();
        for edit in edits_of_p() {
            cases.push(case(
                format!("{name}: {edit:?}"),
                &config,
                &credentials,
                edit,
            ));
        }
    }
    cases
}

/// A small deterministic generator (xorshift), so the generated cases are the same on
/// every run and a failure can be replayed from its label.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const GENERATED_CASES: usize = 60;
const NAMES: &[&str] = &["default", "dev", "prod", "ci", "base"];
const REGIONS: &[&str] = &["us-east-1", "eu-west-1", "ap-south-1"];

/// A file pair of 2–4 profiles with the forms real files have: keys in either case, in
/// either file, region in config, credentials or both, sub-properties, inline comments,
/// roles with a source profile.
fn generated_pair(rng: &mut Rng) -> (String, String, Vec<String>) {
    let count = 2 + rng.below(3);
    let mut names: Vec<String> = Vec::new();
    while names.len() < count {
        let name = rng.pick(NAMES).to_string();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let (mut config, mut credentials) = (String::new(), String::new());
    let keys = [(KEY_ID, SECRET), (KEY_ID2, SECRET2)];
    for (i, name) in names.iter().enumerate() {
        let header = if name == "default" {
            "[default]".to_string()
        } else {
            format!("[profile {name}]")
        };
        let mut cfg = vec![header];
        let mut cred = vec![format!("[{name}]")];
        let role = i > 0 && rng.chance(30);
        if role {
            let source = &names[rng.below(i)];
            cfg.push(format!("role_arn = arn:aws:iam::123456789012:role/{name}"));
            cfg.push(format!("source_profile = {source}"));
        } else {
            let (id, secret) = *rng.pick(&keys);
            let upper = rng.chance(20);
            let key = |k: &str| {
                if upper {
                    k.to_ascii_uppercase()
                } else {
                    k.to_string()
                }
            };
            let lines = [
                format!("{} = {id}", key("aws_access_key_id")),
                format!("{} = {secret}", key("aws_secret_access_key")),
            ];
            match rng.below(10) {
                0 => {
                    cred.push(lines[0].clone());
                    cfg.push(lines[1].clone());
                }
                1 => cfg.extend(lines),
                _ => cred.extend(lines),
            }
        }
        let region = rng.pick(REGIONS);
        match rng.below(6) {
            0 => cred.push(format!("region = {region}")),
            1 => {
                cfg.push(format!("region = {region}"));
                cred.push(format!("region = {}", rng.pick(REGIONS)));
            }
            2 => cfg.push(format!("region = {region} # comment")),
            _ => cfg.push(format!("region = {region}")),
        }
        if rng.chance(30) {
            cfg.push("output = json".into());
        }
        if rng.chance(25) {
            cfg.push("s3 =\n  max_concurrent_requests = 20".into());
        }
        for (lines, text) in [(cfg, &mut config), (cred, &mut credentials)] {
            if lines.len() > 1 {
                text.push_str(&lines.join("\n"));
                text.push_str("\n\n");
            }
        }
    }
    (config, credentials, names)
}

fn generated_cases() -> Vec<Case> {
    let mut rng = Rng(0x5eed_c0ff_ee12);
    (0..GENERATED_CASES)
        .map(|n| {
            let (config, credentials, names) = generated_pair(&mut rng);
            let profile = rng.pick(&names).clone();
            let edit = match rng.below(7) {
                0 => Edit::Add {
                    profile,
                    force: true,
                },
                1 => Edit::Add {
                    profile: "fresh".into(),
                    force: false,
                },
                2 => Edit::Use(profile),
                3 => Edit::Rename {
                    from: profile,
                    to: "renamed".into(),
                },
                4 => Edit::Remove(profile),
                5 => Edit::Import(profile),
                _ => Edit::Picker { profile },
            };
            case(
                format!("generated #{n}: {edit:?}"),
                &config,
                &credentials,
                edit,
            )
        })
        .collect()
}

/// Runs one reader on every pair at once: a JSON list on stdin, a JSON line per pair out.
fn read_all(reader: &str, mut command: Command, pairs: &[(Pair, Vec<String>)]) -> Vec<Value> {
    let input: Vec<Value> = pairs
        .iter()
        .map(|(pair, resolve)| {
            json!({"config": pair.config, "credentials": pair.credentials, "resolve": resolve})
        })
        .collect();
    for var in [
        "AWS_PROFILE",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_REGION",
    ] {
        command.env_remove(var);
    }
    let mut child = command
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{reader} reader (./scripts/test installs it): {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(&input).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{reader} reader failed (./scripts/test installs what it needs):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), pairs.len(), "{reader} read every pair");
    lines
}

fn botocore_reader() -> Command {
    let mut c = Command::new("python3");
    c.arg(root().join("tests/readers/botocore/read.py"));
    c
}

fn js_reader() -> Command {
    let dir = root().join("tests/readers/js");
    assert!(
        dir.join("node_modules").is_dir(),
        "tests/readers/js has no node_modules: run ./scripts/test (it runs `npm ci` there)"
    );
    let mut c = Command::new("node");
    c.arg(dir.join("read.js"));
    c
}

/// Builds the Rust reader if it is not built yet (a no-op otherwise), outside credwiz's
/// own target directory so that it never slows credwiz's build.
fn rust_reader() -> Command {
    let target = root().join("target/readers");
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "--manifest-path"])
        .arg(root().join("tests/readers/rust/Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .expect("cargo");
    assert!(status.success(), "building tests/readers/rust failed");
    Command::new(target.join("release/credwiz-rust-reader"))
}

fn reading(read: &Value, profile: &str) -> Reading {
    if read.get("error").is_some() {
        return Reading::RefusedTheFiles;
    }
    match read["profiles"].get(profile) {
        None => Reading::NotSeen,
        Some(settings) => Reading::Seen(
            COMPARED
                .iter()
                .filter_map(|k| Some((k.to_string(), settings.get(*k)?.as_str()?.to_string())))
                .collect(),
        ),
    }
}

/// The credentials a reader resolves for the profile, an error reduced to `"an error"`
/// (each SDK words it its own way), or null where the reader does not resolve it.
fn resolved(read: &Value, profile: &str) -> Value {
    match &read["resolved"][profile] {
        Value::Null => Value::Null,
        v if v.get("error").is_some() => json!("an error"),
        v => v.clone(),
    }
}

/// One thing the readers are compared on: one setting, whether the profile is seen at
/// all, or the credentials botocore and JS resolve.
fn aspects(reads: &[&Value; 3], profile: &str) -> BTreeMap<String, Vec<Value>> {
    let readings: Vec<Reading> = reads.iter().map(|r| reading(r, profile)).collect();
    let mut out = BTreeMap::new();
    out.insert(
        "seen".to_string(),
        readings
            .iter()
            .map(|r| json!(matches!(r, Reading::Seen(_))))
            .collect(),
    );
    for key in COMPARED {
        let values = readings
            .iter()
            .filter_map(|r| match r {
                Reading::Seen(settings) => Some(json!(settings.get(*key))),
                _ => None,
            })
            .collect::<Vec<_>>();
        if values.len() == readings.len() {
            out.insert(key.to_string(), values);
        }
    }
    out.insert(
        "resolved credentials".to_string(),
        reads[..2].iter().map(|r| resolved(r, profile)).collect(),
    );
    out
}

fn agree(values: &[Value]) -> bool {
    values.windows(2).all(|w| w[0] == w[1])
}

/// Which readers agree with which, and which fail: the shape of a disagreement, kept by an
/// edit that changes a value every reader reads through the same quirk (a role chain in a
/// `source_profile` cycle resolves with new keys in JS and still fails in botocore).
fn shape(values: &[Value]) -> Vec<(usize, bool)> {
    values
        .iter()
        .map(|v| {
            let first = values.iter().position(|w| w == v).unwrap();
            (first, v == &json!("an error"))
        })
        .collect()
}

const READERS: [&str; 3] = ["botocore", "JS", "Rust"];

fn shown(values: &[Value]) -> String {
    values
        .iter()
        .zip(READERS)
        .map(|(v, r)| format!("{r} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Judges one touched profile: each aspect the readers disagree on after the edit is a
/// failure if the edit changed it (a setting) or changed the shape of the disagreement
/// (resolved credentials); otherwise it is a quirk of lines credwiz did not write.
fn judge(
    before: &[&Value; 3],
    after: &[&Value; 3],
    profile: &str,
    was: &str,
) -> (Vec<String>, Vec<String>) {
    // A reader that refuses the files before and after the edit is left out: that is
    // about lines credwiz did not write (a duplicate section, `region: x`).
    let refusing: Vec<usize> = (0..3)
        .filter(|&r| before[r].get("error").is_some() && after[r].get("error").is_some())
        .collect();
    let (mut failures, mut quirks) = (Vec::new(), Vec::new());
    for &r in &refusing {
        quirks.push(format!(
            "{} refuses the files before and after: {}",
            READERS[r],
            after[r]["error"].as_str().unwrap_or_default()
        ));
    }
    let keep = |values: Vec<Value>| -> Vec<Value> {
        values
            .into_iter()
            .enumerate()
            .filter(|(r, _)| !refusing.contains(r))
            .map(|(_, v)| v)
            .collect()
    };
    let old = aspects(before, was);
    for (aspect, now) in aspects(after, profile) {
        let now = keep(now);
        if agree(&now) {
            continue;
        }
        let then = old.get(&aspect).cloned().map(keep);
        let pre_existing = match &then {
            Some(then) if aspect == "resolved credentials" => shape(then) == shape(&now),
            Some(then) => then == &now,
            None => false,
        };
        let line = format!("`{profile}` {aspect}: {}", shown(&now));
        if pre_existing {
            quirks.push(line);
        } else {
            failures.push(match then {
                Some(then) => format!("{line} (before: {})", shown(&then)),
                None => line,
            });
        }
    }
    (failures, quirks)
}

fn profiles_of(read: &Value) -> BTreeMap<String, Value> {
    read["profiles"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

#[test]
fn every_sdk_reads_credwiz_edits_the_same_way() {
    let started = Instant::now();
    let mut cases = fixture_cases();
    cases.extend(generated_cases());
    let edited = started.elapsed();

    // Profiles to resolve: every profile any reader might be asked about, before and after.
    let names = |case: &Case| -> Vec<String> {
        let mut all: BTreeSet<String> = case
            .edit
            .named()
            .into_iter()
            .flat_map(|(a, b)| [a, b])
            .collect();
        all.extend(NAMES.iter().map(|s| s.to_string()));
        all.extend(
            [
                "p",
                "q",
                "r",
                "base",
                "previous-default",
                "previous-default-2",
            ]
            .map(String::from),
        );
        all.into_iter().collect()
    };
    let mut pairs = Vec::new();
    for case in &cases {
        let after = Pair {
            config: case.sandbox.config.clone(),
            credentials: case.sandbox.credentials.clone(),
        };
        for pair in [&case.before, &after] {
            for path in [&pair.config, &pair.credentials] {
                if !path.exists() {
                    fs::write(path, "").unwrap();
                }
            }
        }
        pairs.push((case.before.clone(), names(case)));
        pairs.push((after, names(case)));
    }
    let botocore = read_all("botocore", botocore_reader(), &pairs);
    let js = read_all("JS", js_reader(), &pairs);
    let rust = read_all("Rust", rust_reader(), &pairs);

    let mut failures = Vec::new();
    let mut quirks = Vec::new();
    let mut applied = 0;
    for (i, case) in cases.iter().enumerate() {
        if let Outcome::Refused(message) = &case.outcome {
            let unchanged = fs::read(&case.sandbox.config).unwrap_or_default()
                == fs::read(&case.before.config).unwrap()
                && fs::read(&case.sandbox.credentials).unwrap_or_default()
                    == fs::read(&case.before.credentials).unwrap();
            if !unchanged || message.trim().is_empty() || message.contains("please report") {
                failures.push(format!(
                    "{}: refused without a reason, or wrote: {message}",
                    case.label
                ));
            }
            continue;
        }
        applied += 1;
        let before = [&botocore[2 * i], &js[2 * i], &rust[2 * i]];
        let after = [&botocore[2 * i + 1], &js[2 * i + 1], &rust[2 * i + 1]];
        // The profiles the edit names, and any whose settings botocore sees changed.
        let mut touched: BTreeMap<String, String> = case.edit.named().into_iter().collect();
        let (old, new) = (profiles_of(before[0]), profiles_of(after[0]));
        for name in old.keys().chain(new.keys()) {
            if old.get(name) != new.get(name) {
                touched.entry(name.clone()).or_insert_with(|| name.clone());
            }
        }
        for (profile, was) in &touched {
            if let (Edit::Rename { from, .. }, true) = (&case.edit, profile == was) {
                // The old name after a rename: no reader may still see it.
                if after
                    .iter()
                    .any(|r| matches!(reading(r, from), Reading::Seen(_)))
                {
                    failures.push(format!("{}: `{from}` is still read", case.label));
                }
                continue;
            }
            let (failed, odd) = judge(&before, &after, profile, was);
            if !failed.is_empty() {
                let (config, credentials) = case.sandbox.read_text();
                let files =
                    format!("config after the edit:\n{config}\ncredentials:\n{credentials}");
                failures.extend(
                    failed
                        .into_iter()
                        .map(|f| format!("{}: {f}\n{files}", case.label)),
                );
            }
            quirks.extend(odd.into_iter().map(|q| format!("{}: {q}", case.label)));
        }
    }
    let refused: Vec<String> = cases
        .iter()
        .filter_map(|c| match &c.outcome {
            Outcome::Refused(m) => Some(format!("{}: {}", c.label, m.trim())),
            Outcome::Applied => None,
        })
        .collect();
    eprintln!(
        "differential: {} cases ({} applied, {} refused) in {:.1?} (edits {:.1?}); readers: botocore, JS v3, Rust aws-config",
        cases.len(),
        applied,
        refused.len(),
        started.elapsed(),
        edited
    );
    eprintln!("refused edits:\n  {}", refused.join("\n  "));
    eprintln!(
        "reader quirks in lines credwiz did not write (the same before the edit):\n  {}",
        quirks.join("\n  ")
    );
    // Every kind of edit was made, not only refused.
    let kinds: BTreeSet<String> = cases
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Applied))
        .map(|c| {
            format!("{:?}", c.edit)
                .split([' ', '('])
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["Add", "Import", "Picker", "Remove", "Rename", "Use"],
        "edit kinds applied at least once"
    );
    assert!(
        failures.is_empty(),
        "{} edits left the readers disagreeing:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
