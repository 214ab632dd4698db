//! The AWS SDKs' own cross-language test vectors, run against credwiz's parser.
//!
//! Key case: smithy-rs expects property names lower-cased, amplify-flutter keeps them as
//! written. credwiz follows smithy-rs (and botocore, whose configparser also lower-cases):
//! keys compare case-insensitively and are reported lower-case. The amplify vectors are
//! therefore compared with their expected keys lower-cased; `key_case_is_folded` tests
//! both spellings directly.

use std::collections::BTreeMap;
use std::path::PathBuf;

use credwiz::store::document::Document;
use credwiz::store::locate::{Env, locate};
use credwiz::store::parse::parse;
use credwiz::store::view::{Named, ProfileSet};
use serde_json::Value;

type Flat = BTreeMap<String, BTreeMap<String, String>>;

fn data(path: &str) -> Value {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/conformance")
        .join(path);
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()));
    serde_json::from_str(&text).expect("valid JSON")
}

/// Parses and merges the vector's files; returns (profiles, sso-sessions) flattened.
fn load(input: &Value) -> Result<(Flat, Flat), String> {
    let doc = |key: &str| Document::parse(input.get(key).and_then(Value::as_str).unwrap_or(""));
    let (config, credentials) = (doc("configFile"), doc("credentialsFile"));
    let config = parse(&config).map_err(|e| e.to_string())?;
    let credentials = parse(&credentials).map_err(|e| e.to_string())?;
    let set = ProfileSet::merge(&config, &credentials);
    Ok((flatten(&set.profiles), flatten(&set.sso_sessions)))
}

fn flatten(sections: &Named) -> Flat {
    sections
        .iter()
        .map(|(name, s)| {
            let settings = s
                .settings
                .iter()
                .map(|(k, v)| (k.to_string(), v.value.to_string()))
                .collect();
            (name.to_string(), settings)
        })
        .collect()
}

fn expected(value: Option<&Value>, fold_keys: bool) -> Flat {
    let Some(Value::Object(map)) = value else {
        return Flat::new();
    };
    map.iter()
        .map(|(name, props)| {
            let props = props.as_object().expect("object of properties");
            let props = props
                .iter()
                .map(|(k, v)| {
                    let k = if fold_keys {
                        k.to_ascii_lowercase()
                    } else {
                        k.clone()
                    };
                    (k, v.as_str().expect("string value").to_string())
                })
                .collect();
            (name.clone(), props)
        })
        .collect()
}

/// Runs every vector; returns the names of the failures with what went wrong.
fn run_parser_suite(path: &str, fold_keys: bool) -> (usize, Vec<String>) {
    let suite = data(path);
    let tests = suite["tests"].as_array().expect("tests array");
    let mut failures = Vec::new();
    for test in tests {
        let name = test["name"].as_str().unwrap_or("?");
        let output = &test["output"];
        // smithy-rs nests the result under "config"; amplify-flutter does not.
        let want = output.get("config").unwrap_or(output);
        match (load(&test["input"]), want.get("errorContaining")) {
            (Ok((got_profiles, got_sso)), None) => {
                let profiles = expected(want.get("profiles"), fold_keys);
                let sso = expected(want.get("sso_sessions"), fold_keys);
                if got_profiles != profiles {
                    failures.push(format!("{name}: profiles {got_profiles:?} != {profiles:?}"));
                } else if want.get("sso_sessions").is_some() && got_sso != sso {
                    failures.push(format!("{name}: sso {got_sso:?} != {sso:?}"));
                }
            }
            (Err(err), Some(substr)) => {
                let substr = substr.as_str().unwrap_or_default();
                if !err.contains(substr) {
                    failures.push(format!("{name}: error {err:?} lacks {substr:?}"));
                }
            }
            (Ok(_), Some(substr)) => {
                failures.push(format!("{name}: parsed, expected error {substr}"))
            }
            (Err(err), None) => failures.push(format!("{name}: unexpected error {err}")),
        }
    }
    (tests.len(), failures)
}

/// Every vector of the suite passes, and the suite holds the `expected` number of them.
fn assert_parser_suite_passes(file: &str, fold_keys: bool, expected: usize) {
    let (count, failures) = run_parser_suite(file, fold_keys);
    assert_eq!(count, expected, "the suite has {expected} vectors");
    assert!(
        failures.is_empty(),
        "{} of {count} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn smithy_rs_parser_vectors() {
    assert_parser_suite_passes("smithy-rs/profile-parser-tests.json", false, 65);
}

#[test]
fn amplify_flutter_parser_vectors() {
    assert_parser_suite_passes("amplify-flutter/parser-tests.json", true, 60);
}

#[test]
fn key_case_is_folded() {
    for text in ["[profile foo]\nRegion = a\n", "[profile foo]\nregion = a\n"] {
        let doc = Document::parse(text);
        let layout = parse(&doc).unwrap();
        let empty = Default::default();
        let set = ProfileSet::merge(&layout, &empty);
        assert_eq!(set.profiles["foo"].get("region"), Some("a"), "{text:?}");
    }
}

fn run_location_suite(path: &str) -> usize {
    let suite = data(path);
    let mut ran = 0;
    for test in suite["tests"].as_array().expect("tests") {
        if test["platform"] != "linux" {
            continue;
        }
        let vars = test["environment"].as_object().expect("environment");
        let env = Env {
            var: &|name: &str| vars.get(name).and_then(Value::as_str).map(str::to_string),
            fallback_home: test
                .get("languageSpecificHome")
                .and_then(Value::as_str)
                .map(PathBuf::from),
        };
        let found = locate(&env).unwrap_or_else(|e| panic!("{}: {e}", test["name"]));
        let name = test["name"].as_str().unwrap();
        assert_eq!(
            found.config,
            PathBuf::from(test["configLocation"].as_str().unwrap()),
            "{name}"
        );
        assert_eq!(
            found.credentials,
            PathBuf::from(test["credentialsLocation"].as_str().unwrap()),
            "{name}"
        );
        if let Some(profile) = test.get("profile").and_then(Value::as_str) {
            assert_eq!(found.profile, profile, "{name}");
        }
        ran += 1;
    }
    ran
}

#[test]
fn smithy_rs_file_location_vectors_linux() {
    assert_eq!(run_location_suite("smithy-rs/file-location-tests.json"), 4);
}

#[test]
fn amplify_flutter_file_location_vectors_linux() {
    assert_eq!(
        run_location_suite("amplify-flutter/file-location-tests.json"),
        5
    );
}
