//! Work that must not freeze the screen runs on its own thread.

use crate::sts;

/// A verification on its own thread, so the screen stays responsive; dropping it
/// abandons the result (each call ends within its 5 s bound).
pub struct VerifyJob {
    /// The profile checked; `None` for the wizard's keys, which have no profile yet.
    pub name: Option<String>,
    result: std::sync::mpsc::Receiver<Checked>,
}

/// What a verification found: the verdict, and when IAM made the key if it was asked.
pub struct Checked {
    pub result: Result<sts::Verified, sts::Failure>,
    pub key: Option<crate::state::KeyAge>,
}

impl VerifyJob {
    /// Checks `keys` at `endpoint`; when they work and `iam` is given, also asks IAM when
    /// the key was made (an IAM user's keys only; a refusal leaves it unknown).
    pub fn start(
        name: Option<String>,
        keys: sts::sign::Keys,
        endpoint: sts::endpoint::Endpoint,
        iam: Option<sts::endpoint::Endpoint>,
    ) -> VerifyJob {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let result = sts::verify(&keys, &endpoint);
            let key = match (&result, &iam) {
                (Ok(verified), Some(iam)) => sts::key_created(&keys, verified, iam).ok().flatten(),
                _ => None,
            };
            let _ = tx.send(Checked { result, key });
        });
        VerifyJob { name, result: rx }
    }

    pub fn poll(&self) -> Option<Checked> {
        self.result.try_recv().ok()
    }
}

/// What a rotation running on its own thread tells the screen.
#[derive(Debug)]
pub enum Heard {
    /// A step done or about to be (never a secret).
    Said(String),
    /// A question the rotation waits on; answer it with [`RotationJob::answer`].
    Asked(Question),
    /// It ended; `notices` are what the store said while writing the files.
    Ended {
        result: Result<crate::rotate::Done, crate::rotate::Stop>,
        notices: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    /// Go ahead with what was just said?
    Confirm(String),
    /// Delete the user's other key, which is active, to make room?
    DeleteActiveOther(String),
    /// The code of the MFA device `serial`.
    MfaCode { serial: String },
}

/// The screen's answer to a [`Question`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
    Code(String),
}

/// A rotation through IAM ([`crate::rotate`]) on its own thread: it says each step and
/// waits for the screen's answers. Dropping the job answers every question with no (a
/// rotation not yet confirmed changes nothing; one under way runs to its end, the journal
/// covering a quit).
pub struct RotationJob {
    heard: std::sync::mpsc::Receiver<Heard>,
    answers: std::sync::mpsc::Sender<Answer>,
}

/// What a rotation needs: where the files and credwiz's state are, and the endpoints.
pub struct RotationPlan {
    pub name: String,
    pub config: std::path::PathBuf,
    pub credentials: std::path::PathBuf,
    pub state_file: Option<std::path::PathBuf>,
    pub client: sts::iam::Client,
    pub options: crate::rotate::Options,
}

impl RotationJob {
    pub fn start(plan: RotationPlan) -> RotationJob {
        let (heard_tx, heard) = std::sync::mpsc::channel();
        let (answers, answers_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let store = crate::store::Store::at(plan.config, plan.credentials);
            let files = crate::rotate::StoreFiles { store: &store };
            let mut talk = Relay {
                heard: heard_tx.clone(),
                answers: answers_rx,
            };
            let mut rotator = crate::rotate::Rotator::new(
                &plan.client,
                &files,
                &mut talk,
                &plan.name,
                plan.options,
            );
            rotator.state_path = plan.state_file;
            let result = rotator.run();
            let notices = store
                .take_notices()
                .iter()
                .map(ToString::to_string)
                .collect();
            let _ = heard_tx.send(Heard::Ended { result, notices });
        });
        RotationJob { heard, answers }
    }

    /// Everything said since the last poll.
    pub fn poll(&self) -> Vec<Heard> {
        self.heard.try_iter().collect()
    }

    pub fn answer(&self, answer: Answer) {
        let _ = self.answers.send(answer);
    }
}

/// The rotation's [`crate::rotate::Talk`]: relays what it says to the screen and waits
/// for the answers.
struct Relay {
    heard: std::sync::mpsc::Sender<Heard>,
    answers: std::sync::mpsc::Receiver<Answer>,
}

impl Relay {
    fn ask(&mut self, question: Question) -> Option<Answer> {
        self.heard.send(Heard::Asked(question)).ok()?;
        self.answers.recv().ok()
    }
}

impl crate::rotate::Talk for Relay {
    fn say(&mut self, line: &str) {
        let _ = self.heard.send(Heard::Said(line.to_string()));
    }

    fn confirm(&mut self, question: &str) -> bool {
        self.ask(Question::Confirm(question.to_string())) == Some(Answer::Yes)
    }

    fn delete_active_other(&mut self, question: &str) -> bool {
        self.ask(Question::DeleteActiveOther(question.to_string())) == Some(Answer::Yes)
    }

    fn mfa_code(&mut self, serial: &str) -> Option<String> {
        match self.ask(Question::MfaCode {
            serial: serial.to_string(),
        })? {
            Answer::Code(code) => Some(code),
            Answer::Yes | Answer::No => None,
        }
    }
}

/// One call's work on its own thread (the MFA devices, a session): its result once there.
/// Dropping it abandons the result.
pub struct Background<T> {
    result: std::sync::mpsc::Receiver<T>,
}

impl<T: Send + 'static> Background<T> {
    pub fn start(work: impl FnOnce() -> T + Send + 'static) -> Background<T> {
        let (tx, result) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(work());
        });
        Background { result }
    }

    pub fn poll(&self) -> Option<T> {
        self.result.try_recv().ok()
    }
}
