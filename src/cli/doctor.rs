use super::CliError;
use super::output::Output;
use crate::store::Store;
use crate::store::doctor::{Severity, findings};

/// Prints every finding; `Err` (exit 1) when one is an error.
pub fn run(store: &Store, out: &mut Output) -> Result<(), CliError> {
    let snapshot = store.load()?;
    out.know_files(&snapshot);
    let parsed = snapshot.parse()?;
    let profiles = parsed.profiles();
    let env = |name: &str| std::env::var(name).ok();
    let found = findings(&parsed, &profiles, &env);
    if found.is_empty() {
        out.say(format_args!(
            "no problems found in {} and {}",
            store.locations.config.display(),
            store.locations.credentials.display()
        ));
        return Ok(());
    }
    for finding in &found {
        out.say(finding);
    }
    let errors = found
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    if errors > 0 {
        return Err(CliError::Message(format!(
            "{errors} problem(s) that break the AWS CLI or a profile"
        )));
    }
    Ok(())
}
