//! `credwiz doctor`: every finding about the files and the environment, errors first,
//! and what credwiz's state knows (a default left with an old key, keys older than 90 days);
//! with `--fix`, the repairs [`fix::plan`] finds, each shown as a small diff and asked
//! for (or all, with `--yes`), then the findings that remain.

use std::io::{BufRead, IsTerminal};

use super::CliError;
use super::output::Output;
use crate::domain::key_age;
use crate::store::doctor::{Finding, Severity, findings, unparsed_findings};
use crate::store::fix::{self, Fix, FixKind};
use crate::store::{Store, Warning};

#[derive(clap::Args)]
pub struct Args {
    /// Repair what can be repaired without guessing (a file's mode, a byte-order mark, an
    /// indented section header, a duplicate section, and lines the AWS CLI and the SDKs
    /// read differently where the portable form changes no other profile), asking for each
    #[arg(long)]
    fix: bool,
    /// With --fix: make every repair without asking (required when stdin is not a terminal)
    #[arg(long, short, requires = "fix")]
    yes: bool,
    /// With --fix --yes: also rename profiles only the AWS CLI reads (`[profile "a"]`,
    /// `[profile 'a b']`) to portable names; it changes the names people type, so it is
    /// otherwise only made when asked for at the prompt
    #[arg(long, requires = "yes")]
    rename: bool,
}

/// How many repairs one run makes at most: each is planned again on the files it left,
/// and this bounds the loop whatever a repair leaves.
const MAX_FIXES: usize = 100;

/// Prints every finding, and what a killed credwiz left that could not be cleaned up
/// (`left`); `Err` (exit 1) when one is an error, or when repairs were found and neither
/// asked for nor allowed with --yes.
pub fn run(
    store: &Store,
    args: &Args,
    left: Vec<Warning>,
    out: &mut Output,
) -> Result<(), CliError> {
    let errors = report(store, left, out)?;
    if !args.fix {
        suggest_fix(store, out)?;
        return verdict(errors);
    }
    let asking = !args.yes;
    if asking && !std::io::stdin().is_terminal() {
        return list_only(store, out);
    }
    let repaired = repair(store, asking, args.rename, out)?;
    if repaired == 0 {
        return verdict(errors);
    }
    out.say("");
    out.say("after the repairs:");
    verdict(report(store, Vec::new(), out)?)
}

/// Says what `--fix` would repair, when it would repair anything.
fn suggest_fix(store: &Store, out: &mut Output) -> Result<(), CliError> {
    let count = fix::plan(&store.load()?).fixes.len();
    if count > 0 {
        out.say(format_args!(
            "credwiz doctor --fix makes {} of these (it shows each change and asks first)",
            repairs(count)
        ));
    }
    Ok(())
}

/// Prints the findings; returns how many are errors.
fn report(store: &Store, left: Vec<Warning>, out: &mut Output) -> Result<usize, CliError> {
    let snapshot = store.load()?;
    out.know_files(&snapshot);
    let mut found: Vec<Finding> = left.into_iter().map(Finding::from).collect();
    match snapshot.parse() {
        Ok(parsed) => {
            let profiles = parsed.profiles();
            let env = |name: &str| std::env::var(name).ok();
            found.extend(findings(&parsed, &profiles, &env));
            let state = crate::state::State::load();
            found.extend(stale_default(&profiles, &state));
            found.extend(old_keys(&profiles, &state, &crate::sts::now_rfc3339()));
            found.extend(keyring_findings(store)?);
        }
        // A file the SDKs refuse: nothing else can be read from it, but --fix may repair it.
        Err(error) => found.extend(unparsed_findings(&snapshot, &error)),
    }
    found.sort_by_key(|f| f.severity);
    if found.is_empty() {
        out.say(format_args!(
            "no problems found in {} and {}",
            store.locations.config.display(),
            store.locations.credentials.display()
        ));
    }
    for finding in &found {
        out.say(finding);
    }
    Ok(found
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count())
}

/// Profiles whose secret is in the OS keyring: the entry missing, the program their
/// credential_process runs gone, no keyring here; and credwiz entries no profile uses.
fn keyring_findings(store: &Store) -> Result<Vec<Finding>, CliError> {
    use crate::protect::{Audit, audit};
    let (uses, _) = store.dry_run(|editor| {
        Ok(crate::store::protected::keyring_uses(
            &editor.all_settings()?,
        ))
    })?;
    let Audit {
        missing,
        moved,
        unused,
        unavailable,
        users,
    } = audit(uses, crate::keyring::Keyring::os());
    let error = |message: String| Finding {
        severity: Severity::Error,
        message,
    };
    let mut found = Vec::new();
    if let Some(why) = unavailable {
        let who = if users == 1 {
            "1 profile keeps its secret".to_string()
        } else {
            format!("{users} profiles keep their secret")
        };
        found.push(error(format!(
            "{who} in the OS keyring, which cannot be used: {why}"
        )));
    }
    for used in missing {
        found.push(error(format!(
            "`{}` keeps its secret in the OS keyring, which has no entry for {}: every AWS tool fails for it; add the key again: credwiz add {} --access-key-id {} --keyring --force",
            used.profile, used.key_id, used.profile, used.key_id
        )));
    }
    for used in moved {
        found.push(error(format!(
            "`{}`'s credential_process runs {}, which is not there (credwiz moved?): every AWS tool fails for it; point it at this credwiz: credwiz protect {}",
            used.profile, used.program, used.profile
        )));
    }
    for key_id in unused {
        found.push(Finding {
            severity: Severity::Warning,
            message: format!(
                "the OS keyring holds credwiz's entry for {key_id}, which no profile uses: delete it with `secret-tool clear service credwiz username {key_id}`, or give it to a profile: credwiz add NAME --access-key-id {key_id} --keyring"
            ),
        });
    }
    Ok(found)
}

/// The default was made from a profile (credwiz remembers which) that another tool has
/// since given a new key: the default still holds the old one.
fn stale_default(
    profiles: &crate::store::view::ProfileSet,
    state: &crate::state::State,
) -> Option<Finding> {
    let key_of = |name: &str| {
        let section = profiles.profile(name)?;
        section
            .get(crate::domain::profile::ACCESS_KEY_ID)
            .map(str::to_string)
    };
    let from = state.stale_default(key_of)?;
    Some(Finding {
        severity: Severity::Warning,
        message: crate::state::stale_default_said(from, &format!("credwiz use {from}")),
    })
}

/// Profiles whose key IAM made more than [`key_age::ROTATE_AFTER_DAYS`] days before
/// `now` (as a verification learned it, for the key each holds now).
fn old_keys(
    profiles: &crate::store::view::ProfileSet,
    state: &crate::state::State,
    now: &str,
) -> Vec<Finding> {
    state
        .verified
        .iter()
        .filter_map(|(name, _)| {
            let key_id = profiles
                .profile(name)?
                .get(crate::domain::profile::ACCESS_KEY_ID)?;
            let created = state.key_created(name, key_id)?;
            key_age::is_due_for_rotation(created, now).then(|| old_key_finding(name, created, now))
        })
        .collect()
}

fn old_key_finding(name: &str, created: &str, now: &str) -> Finding {
    let days = key_age::age_days(created, now).unwrap_or_default();
    Finding {
        severity: Severity::Warning,
        message: format!(
            "the access key of `{name}` is {days} days old (created {}; rotate keys every {} days): rotate it with `credwiz rotate {name}`",
            key_age::date_of(created).unwrap_or(created),
            key_age::ROTATE_AFTER_DAYS
        ),
    }
}

fn verdict(errors: usize) -> Result<(), CliError> {
    if errors == 0 {
        return Ok(());
    }
    Err(CliError::Message(format!(
        "{errors} {}",
        if errors == 1 {
            "problem that breaks the AWS CLI or a profile"
        } else {
            "problems that break the AWS CLI or a profile"
        }
    )))
}

/// Without a terminal to ask on and without --yes: the repairs are shown, none is made.
fn list_only(store: &Store, out: &mut Output) -> Result<(), CliError> {
    let plan = fix::plan(&store.load()?);
    out.say("");
    show_refused(&plan.refused, out);
    if plan.fixes.is_empty() {
        out.say("nothing that doctor --fix can repair");
        return Ok(());
    }
    for fix in &plan.fixes {
        show(fix, out);
    }
    Err(CliError::Message(format!(
        "{} not made: stdin is not a terminal to ask on; add --yes to make {}",
        repairs(plan.fixes.len()),
        if plan.fixes.len() == 1 { "it" } else { "them" }
    )))
}

fn repairs(count: usize) -> String {
    format!("{count} {}", if count == 1 { "repair" } else { "repairs" })
}

/// Makes the repairs one at a time, each planned on the files the one before left;
/// returns how many were made.
fn repair(store: &Store, asking: bool, rename: bool, out: &mut Output) -> Result<usize, CliError> {
    let mut decided: Vec<Fix> = Vec::new();
    let mut made = 0;
    out.say("");
    for round in 0..MAX_FIXES {
        let plan = fix::plan(&store.load()?);
        if round == 0 {
            show_refused(&plan.refused, out);
        }
        let Some(next) = plan
            .fixes
            .into_iter()
            .find(|fix| !decided.iter().any(|d| d.same_as(fix)))
        else {
            break;
        };
        show(&next, out);
        if !asking && !rename && next.kind == FixKind::PortableName {
            out.say("  not made: it changes the name people type; add --rename to make it");
            decided.push(next);
            continue;
        }
        if asking && !confirm(out)? {
            out.say("  not changed");
            decided.push(next);
            continue;
        }
        let path = fix::apply(store, &next)?;
        made += 1;
        out.say(format_args!("  fixed {}", path.display()));
        if let Some(how) = next.how() {
            out.say(format_args!("  ({how})"));
        }
        decided.push(next);
    }
    if made == 0 && decided.is_empty() {
        out.say("nothing that doctor --fix can repair");
    }
    Ok(made)
}

fn show_refused(refused: &[Warning], out: &mut Output) {
    for warning in refused {
        out.say(format_args!("cannot repair: {warning}"));
    }
}

/// A repair as the user decides on it: the file, what it does, the lines before and after.
fn show(fix: &Fix, out: &mut Output) {
    out.say(format_args!(
        "repair {}: {}",
        fix.path.display(),
        fix.description
    ));
    for line in fix.diff_lines('|') {
        out.say(format_args!("  {line}"));
    }
}

fn confirm(out: &mut Output) -> Result<bool, CliError> {
    out.ask("Make this repair? [y/N] ");
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| CliError::Message(format!("cannot read the answer: {e}")))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_past_ninety_days_is_named_with_its_age_and_the_rotate_command() {
        let now = "2026-12-02T07:00:00Z";
        let finding = old_key_finding("work", "2026-03-01T10:00:00Z", now);
        assert_eq!(finding.severity, Severity::Warning);
        let days = key_age::age_days("2026-03-01T10:00:00Z", now).unwrap();
        assert!(days > key_age::ROTATE_AFTER_DAYS);
        assert!(
            finding
                .message
                .contains(&format!("`work` is {days} days old (created 2026-03-01;")),
            "{}",
            finding.message
        );
        assert!(finding.message.ends_with("`credwiz rotate work`"));
    }
}
