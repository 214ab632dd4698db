//! The one way the CLI shows text to a person. Every line a command prints for people —
//! results on stdout, `warning: …` and `error: …` on stderr — goes through [`Output`],
//! which first masks every secret the command knows (see [`Redactor`]), then escapes the
//! characters a terminal would act on (see [`text::printable`]), so nothing read from a
//! file, a CSV or a server can drive the terminal or echo a secret typed into the
//! wrong field.
//!
//! The secrets known are those of both files: learned from the snapshot a command read
//! ([`Output::know_files`], [`Output::know_parsed`]); after an edit, those of the files
//! as written, which the store keeps from its final check; else read from the files when
//! the first line is printed. Commands add what else they hold: the secret
//! read from stdin, the secrets of a CSV being imported. Shell code (`env`, `pick`,
//! completion scripts) is not for people and is printed as is; `env` quotes it instead.

use std::borrow::Cow;
use std::fmt::Display;
use std::io::Write;

use crate::domain::redact::Redactor;
use crate::domain::text;
use crate::store::{Parsed, Snapshot, Store, Warning};

pub(crate) struct Output<'s> {
    /// Where to read the secrets from when no snapshot was given.
    store: Option<&'s Store>,
    redactor: Redactor,
    files_known: bool,
}

impl<'s> Output<'s> {
    pub(crate) fn new(store: Option<&'s Store>) -> Output<'s> {
        Output {
            store,
            redactor: Redactor::default(),
            files_known: false,
        }
    }

    /// Learns the secrets of both files as `snapshot` read them.
    pub(crate) fn know_files(&mut self, snapshot: &Snapshot) {
        learn_files(&mut self.redactor, snapshot);
        self.files_known = true;
    }

    /// Learns the secrets of both files from their parsed form: what [`Output::know_files`]
    /// learns, without reading every line again (a command that parses anyway).
    pub(crate) fn know_parsed(&mut self, parsed: &Parsed) {
        let secrets = [&parsed.config, &parsed.credentials]
            .into_iter()
            .flat_map(|layout| layout.properties())
            .filter(|prop| crate::domain::mask::is_secret_key(prop.key))
            .map(|prop| prop.value.as_ref());
        self.redactor.learn_many(secrets);
        self.files_known = true;
    }

    /// Learns a secret the command holds besides the files'.
    pub(crate) fn know_secret(&mut self, secret: &str) {
        self.redactor.learn(secret);
    }

    /// The secrets known, the files' included (read now if no snapshot was given).
    pub(crate) fn redactor(&mut self) -> &Redactor {
        if !self.files_known {
            self.files_known = true;
            match self.store.and_then(Store::take_written_secrets) {
                Some(secrets) => self.redactor.absorb(secrets),
                None => {
                    if let Some(snapshot) = self.store.and_then(|store| store.load().ok()) {
                        self.know_files(&snapshot);
                    }
                }
            }
        }
        &self.redactor
    }

    /// One value (a table cell) as it may be shown: secrets masked, every control
    /// character escaped, line breaks too.
    pub(crate) fn value(&mut self, value: &str) -> String {
        let redacted = self.redactor().redact(value);
        text::printable(&redacted).into_owned()
    }

    /// A message of one or more lines as it may be shown: secrets masked, control
    /// characters escaped, line breaks kept.
    pub(crate) fn message(&mut self, message: &str) -> String {
        let redacted = self.redactor().redact(message);
        match text::printable_lines(&redacted) {
            Cow::Borrowed(_) => redacted.into_owned(),
            Cow::Owned(escaped) => escaped,
        }
    }

    /// Prints a line for people on stdout.
    pub(crate) fn say(&mut self, line: impl Display) {
        let shown = self.message(&line.to_string());
        write_line(&mut std::io::stdout().lock(), "", &shown);
    }

    /// Prints `warning: …` on stderr.
    pub(crate) fn warn(&mut self, warning: impl Display) {
        let shown = self.message(&warning.to_string());
        write_line(&mut std::io::stderr().lock(), "warning: ", &shown);
    }

    /// Prints `error: …` on stderr.
    pub(crate) fn error(&mut self, error: impl Display) {
        let shown = self.message(&error.to_string());
        write_line(&mut std::io::stderr().lock(), "error: ", &shown);
    }

    /// Prints a question on stderr, without a line break, for the answer to follow.
    pub(crate) fn ask(&mut self, question: impl Display) {
        let shown = self.message(&question.to_string());
        let mut stderr = std::io::stderr().lock();
        let _ = write!(stderr, "{shown}").and_then(|()| stderr.flush());
    }
}

/// Every secret of both files as read, line by line (so also of a file that does not
/// parse).
fn learn_files(redactor: &mut Redactor, snapshot: &Snapshot) {
    for file in [&snapshot.config, &snapshot.credentials] {
        redactor.learn_ini(file.doc.original());
    }
}

/// A reader that went away (`| head`) is no reason to fail or panic.
fn write_line(out: &mut impl Write, label: &str, text: &str) {
    let _ = writeln!(out, "{label}{text}");
}

/// Prints the store's notices as they happen (a lock that takes long, an interrupted
/// change completed, what a write leaves wrong) as `warning: …`, masked and escaped like
/// every other line. The secrets are read from the files at the first notice.
pub(crate) fn notice_printer(store: &Store) -> impl Fn(&Warning) + Send + Sync + 'static {
    let files = Store::at(
        store.locations.config.clone(),
        store.locations.credentials.clone(),
    );
    let redactor = std::sync::OnceLock::new();
    move |warning: &Warning| {
        let redactor = redactor.get_or_init(|| {
            let mut redactor = Redactor::default();
            if let Ok(snapshot) = files.load() {
                learn_files(&mut redactor, &snapshot);
            }
            redactor
        });
        let line = warning.to_string();
        let redacted = redactor.redact(&line);
        let shown = text::printable_lines(&redacted);
        write_line(&mut std::io::stderr().lock(), "warning: ", &shown);
    }
}
