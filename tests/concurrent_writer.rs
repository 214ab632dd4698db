//! Another program (the AWS CLI writes in place, without a lock) rewrites a file while
//! credwiz edits it. Alone in its test binary, so that no other test widens the race.

mod common;

use std::fs;
use std::time::Duration;

use common::*;

const CONFIG: &str =
    "# mine\n[default]\nregion = us-east-1\n\n[profile work]\nregion = eu-west-1\n";
const CREDENTIALS: &str = "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n\
                           aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";

fn secret_in(s: &str) -> String {
    format!("{SECRET2}\n{s}")
}

/// The AWS CLI writes in place, without a lock. A writer that keeps rewriting config in
/// place while credwiz adds profiles never has a write undone by credwiz.
#[test]
fn another_programs_writes_during_edits_are_never_lost() {
    // A big file, so that each edit takes long enough to be overlapped.
    let mut config = String::from(CONFIG);
    for i in 0..500 {
        config.push_str(&format!("[profile p{i}]\nregion = us-east-1\n"));
    }
    let s = Sandbox::with_files(&config, CREDENTIALS);
    const WRITES: usize = 30;
    let path = s.config.clone();
    let writer = std::thread::spawn(move || {
        for i in 0..WRITES {
            // Read, then rewrite in place (truncate and write), as `aws configure set` does.
            let mut text = fs::read_to_string(&path).unwrap();
            text.push_str(&format!("[profile other{i}]\nregion = eu-west-3\n"));
            fs::write(&path, text).unwrap();
            // `aws configure set` takes a third of a second; this writer is faster.
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let (mut adds, mut torn) = (0, 0);
    while !writer.is_finished() {
        let out = s.add(
            &format!("c{adds}"),
            KEY_ID2,
            &secret_in(""),
            &["--region", "eu-north-1"],
        );
        // A read in the middle of the writer's truncate-and-write can see half a file,
        // which may not parse; or, on a busy machine, the file changes again each time
        // credwiz re-reads it. Either way credwiz refuses, writing nothing.
        if !out.status.success() {
            let said = stderr(&out);
            assert!(
                said.contains(" line ")
                    || said.contains("kept changing while credwiz was editing it"),
                "{said}"
            );
            torn += 1;
        }
        adds += 1;
    }
    writer.join().unwrap();
    let text = s.read_text().0;
    let kept = (0..WRITES)
        .filter(|i| text.contains(&format!("[profile other{i}]\n")))
        .count();
    eprintln!(
        "{adds} credwiz adds ({torn} refused a half-written or changing file) ran beside {WRITES} in-place writes; {kept} of the writes kept"
    );
    assert!(
        adds >= 10,
        "the edits did not overlap the writes ({adds} adds)"
    );
    // Before the check, 24 of 40 `aws configure set` writes were lost this way: the
    // window was the whole edit. What is left is the time from the last `stat` to the
    // second rename (tens of microseconds in a release build, up to a millisecond in this
    // debug build on a busy machine), which no lock-free writer can be protected from:
    // measured 0 to 1 of 30 alone, up to 3 beside the other fault tests. More means the
    // check is not working.
    assert!(
        kept + 3 >= WRITES,
        "credwiz undid {} of another program's {WRITES} writes",
        WRITES - kept
    );
}
