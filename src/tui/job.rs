//! Work that must not freeze the screen runs on its own thread.

use crate::sts;

/// A verification on its own thread, so the screen stays responsive; dropping it
/// abandons the result (the call itself ends within its 5 s bound).
pub struct VerifyJob {
    /// The profile checked; `None` for the wizard's keys, which have no profile yet.
    pub name: Option<String>,
    result: std::sync::mpsc::Receiver<Result<sts::Verified, sts::Failure>>,
}

impl VerifyJob {
    pub fn start(
        name: Option<String>,
        keys: sts::sign::Keys,
        endpoint: sts::endpoint::Endpoint,
    ) -> VerifyJob {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(sts::verify(&keys, &endpoint));
        });
        VerifyJob { name, result: rx }
    }

    pub fn poll(&self) -> Option<Result<sts::Verified, sts::Failure>> {
        self.result.try_recv().ok()
    }
}
