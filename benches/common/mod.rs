//! The files every benchmark reads: 10,000 profiles in each of config and credentials
//! (~1.6 MB), the same shape `scripts/bench` generates.

use std::fmt::Write as _;

use credwiz::store::Store;

pub const PROFILES: usize = 10_000;

pub fn files() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let (mut config, mut credentials) = (String::new(), String::new());
    for i in 0..PROFILES {
        writeln!(
            config,
            "[profile p{i}]\nregion = us-east-1\noutput = json\n"
        )
        .unwrap();
        writeln!(
            credentials,
            "[p{i}]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
        )
        .unwrap();
    }
    std::fs::write(dir.path().join("config"), config).unwrap();
    std::fs::write(dir.path().join("credentials"), credentials).unwrap();
    let store = Store::at(dir.path().join("config"), dir.path().join("credentials"));
    (dir, store)
}
