use super::CliError;
use super::output::Output;
use crate::store::doctor::{Finding, Severity, findings};
use crate::store::{Store, Warning};

/// Prints every finding, and what a killed credwiz left that could not be cleaned up
/// (`left`); `Err` (exit 1) when one is an error.
pub fn run(store: &Store, left: Vec<Warning>, out: &mut Output) -> Result<(), CliError> {
    let snapshot = store.load()?;
    let parsed = snapshot.parse()?;
    out.know_parsed(&parsed);
    let profiles = parsed.profiles();
    let env = |name: &str| std::env::var(name).ok();
    let mut found: Vec<Finding> = left.into_iter().map(Finding::from).collect();
    found.extend(findings(&parsed, &profiles, &env));
    found.sort_by_key(|f| f.severity);
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
            "{errors} {}",
            if errors == 1 {
                "problem that breaks the AWS CLI or a profile"
            } else {
                "problems that break the AWS CLI or a profile"
            }
        )));
    }
    Ok(())
}
