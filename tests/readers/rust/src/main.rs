//! Test-only reader for tests/differential.rs: reads AWS config/credentials file pairs the way
//! the AWS SDK for Rust does (`aws_config::profile::load`) and prints, as one JSON line per pair,
//! either `{"profiles": {name: {key: value}}}` for the settings the differential test compares,
//! or `{"error": "..."}` when aws-config refuses the pair.
//!
//! Input on stdin: a JSON list of `{"config": path, "credentials": path}`.

use aws_config::profile::{load, ProfileSet};
use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use aws_types::os_shim_internal::{Env, Fs};
use serde_json::{json, Map, Value};
use std::io::Read;

/// The settings the differential test compares (aws-config's profiles cannot be iterated).
const KEYS: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "region",
    "output",
    "role_arn",
    "source_profile",
    "credential_source",
    "s3",
];

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).expect("stdin");
    let pairs: Vec<Value> = serde_json::from_str(&input).expect("a JSON list of file pairs");
    let fs = Fs::real();
    let env = Env::from_slice(&[("HOME", "/nonexistent")]);
    for pair in pairs {
        let files = EnvConfigFiles::builder()
            .include_default_config_file(false)
            .include_default_credentials_file(false)
            .with_file(EnvConfigFileKind::Config, path(&pair, "config"))
            .with_file(EnvConfigFileKind::Credentials, path(&pair, "credentials"))
            .build();
        let result = match pollster::block_on(load(&fs, &env, &files, None)) {
            Ok(set) => json!({ "profiles": profiles(&set) }),
            Err(error) => json!({ "error": error.to_string() }),
        };
        println!("{result}");
    }
}

fn path(pair: &Value, field: &str) -> String {
    pair[field].as_str().expect("a path").to_string()
}

fn profiles(set: &ProfileSet) -> Value {
    let mut out = Map::new();
    for name in set.profiles() {
        let profile = set.get_profile(name).expect("a listed profile");
        let mut settings = Map::new();
        for key in KEYS {
            if let Some(value) = profile.get(key) {
                settings.insert(key.to_string(), Value::String(value.to_string()));
            }
        }
        out.insert(name.to_string(), Value::Object(settings));
    }
    Value::Object(out)
}
