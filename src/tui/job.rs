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
