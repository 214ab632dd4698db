//! The OS keyring (the Secret Service on Linux, the Keychain on macOS), through
//! `keyring-core`: credwiz's entries, keyed as [`crate::domain::keyring`] says. Knows
//! no UI; its errors say what is wrong and what to do, and never quote an entry.

use std::collections::HashMap;
use std::sync::Arc;

use keyring_core::{CredentialStore, Entry, Error};

use crate::domain::keyring::{SERVICE, Stored};

/// Why the keyring could not be used, in people's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyringError {
    /// No keyring service to talk to: headless Linux, SSH, a container.
    #[error(
        "no OS keyring is available here ({0}): on Linux the keyring is a Secret Service (GNOME Keyring, KWallet) in a desktop session; over SSH or in a container keep the secret in the credentials file"
    )]
    Unavailable(String),
    #[error(
        "the OS keyring is locked: unlock it (log in to the desktop session, or run `gnome-keyring-daemon --unlock`) and try again"
    )]
    Locked,
    #[error(
        "the OS keyring has no entry for access key {0}: put the secret back with `credwiz add` (or `credwiz unprotect` on a machine that has it)"
    )]
    Missing(String),
    #[error(
        "the OS keyring's entry for access key {0} is not one credwiz wrote: remove it (`secret-tool clear service credwiz username {0}` on Linux) and add the key again"
    )]
    Unreadable(String),
    #[error(
        "the OS keyring gave back something else than was stored for access key {0}: nothing was changed"
    )]
    Mismatch(String),
    #[error("the OS keyring failed: {0}")]
    Failed(String),
}

impl KeyringError {
    /// A few words for a screen that offers the keyring: why it cannot be used here.
    pub fn brief(&self) -> String {
        match self {
            KeyringError::Unavailable(why) => why.clone(),
            other => other.to_string(),
        }
    }
}

/// How a caller gets its keyring: [`Keyring::os`], or a test's store.
pub type Opener = fn() -> Result<Keyring, KeyringError>;

/// A keyring store: the OS's ([`Keyring::os`]) or an in-memory one for tests.
#[derive(Clone)]
pub struct Keyring {
    store: Arc<CredentialStore>,
}

impl Keyring {
    /// The platform's keyring; connecting is the check that one is there.
    pub fn os() -> Result<Keyring, KeyringError> {
        platform_store()
            .map(|store| Keyring { store })
            .map_err(|e| match e {
                Error::NoStorageAccess(_) => KeyringError::Locked,
                e => unavailable(&platform_words(&e)),
            })
    }

    /// keyring-core's mock store: in memory, with failures injected per entry.
    pub fn mock() -> Keyring {
        Keyring {
            store: keyring_core::mock::Store::new().expect("the mock store is built in memory"),
        }
    }

    fn entry(&self, key_id: &str) -> Result<Entry, KeyringError> {
        let label = format!("AWS access key {key_id} (credwiz)");
        let modifiers = HashMap::from([("label", label.as_str())]);
        // The mock store takes no modifiers (a label is only a name in the OS's UI).
        let built = match self.store.build(SERVICE, key_id, Some(&modifiers)) {
            Err(Error::NotSupportedByStore(_)) => self.store.build(SERVICE, key_id, None),
            built => built,
        };
        built.map_err(|e| failure(e, key_id))
    }

    /// The entry for `key_id`.
    pub fn get(&self, key_id: &str) -> Result<Stored, KeyringError> {
        let text = zeroize::Zeroizing::new(
            self.entry(key_id)?
                .get_password()
                .map_err(|e| failure(e, key_id))?,
        );
        Stored::from_entry(&text).ok_or_else(|| KeyringError::Unreadable(key_id.to_string()))
    }

    /// Writes the entry for `key_id`, then reads it back and compares: a keyring that
    /// said yes but kept something else is caught before any file is changed.
    pub fn put(&self, key_id: &str, stored: &Stored) -> Result<(), KeyringError> {
        self.entry(key_id)?
            .set_password(&stored.to_entry())
            .map_err(|e| failure(e, key_id))?;
        match self.get(key_id) {
            Ok(back) if back == *stored => Ok(()),
            Ok(_) | Err(KeyringError::Unreadable(_) | KeyringError::Missing(_)) => {
                Err(KeyringError::Mismatch(key_id.to_string()))
            }
            Err(e) => Err(e),
        }
    }

    /// Deletes the entry for `key_id`; one that is not there is no error.
    pub fn delete(&self, key_id: &str) -> Result<(), KeyringError> {
        match self.entry(key_id)?.delete_credential() {
            Ok(()) | Err(Error::NoEntry) => Ok(()),
            Err(e) => Err(failure(e, key_id)),
        }
    }

    /// The key IDs of every credwiz entry, sorted (no secret is read).
    pub fn key_ids(&self) -> Result<Vec<String>, KeyringError> {
        let spec = HashMap::from([("service", SERVICE)]);
        let found = self.store.search(&spec).map_err(|e| failure(e, ""))?;
        let mut ids: Vec<String> = found
            .iter()
            .filter_map(|entry| entry.get_specifiers())
            .filter(|(service, _)| service == SERVICE)
            .map(|(_, user)| user)
            .collect();
        ids.sort();
        ids.dedup();
        Ok(ids)
    }

    /// The in-memory entry of the mock store, to inject a failure into its next call.
    #[cfg(test)]
    fn mock_entry(&self, key_id: &str) -> Option<Entry> {
        self.store.build(SERVICE, key_id, None).ok()
    }
}

/// The entry for `key_id`, read the quickest way the platform allows: what
/// `credential-process` runs on every start of an AWS tool.
///
/// On Linux the Secret Service is asked over a plain session: keyring-core's store
/// always opens an encrypted one, whose Diffie-Hellman exchange (on both ends) was 6 of
/// its 13 ms. The secret crosses only the user's own session bus, which no other user
/// can read; the entries are the same ones the store writes.
pub fn read(key_id: &str) -> Result<Stored, KeyringError> {
    #[cfg(target_os = "linux")]
    return secret_service::read(key_id);
    #[cfg(not(target_os = "linux"))]
    return Keyring::os()?.get(key_id);
}

#[cfg(target_os = "linux")]
mod secret_service {
    use std::collections::HashMap;

    use secret_service::blocking::SecretService;
    use secret_service::{EncryptionType, Error};
    use zeroize::Zeroizing;

    use super::KeyringError;
    use crate::domain::keyring::{SERVICE, Stored};

    pub(super) fn read(key_id: &str) -> Result<Stored, KeyringError> {
        let service = SecretService::connect(EncryptionType::Plain).map_err(failure)?;
        let attributes = HashMap::from([("service", SERVICE), ("username", key_id)]);
        let found = service.search_items(attributes).map_err(failure)?;
        let item = match (found.unlocked.as_slice(), found.locked.as_slice()) {
            ([item], []) => item,
            ([], [item]) => {
                // On a desktop this asks the user to unlock the keyring.
                item.unlock().map_err(failure)?;
                item
            }
            ([], []) => return Err(KeyringError::Missing(key_id.to_string())),
            (unlocked, locked) => {
                return Err(super::ambiguous(unlocked.len() + locked.len(), key_id));
            }
        };
        let secret = Zeroizing::new(item.get_secret().map_err(failure)?);
        std::str::from_utf8(&secret)
            .ok()
            .and_then(Stored::from_entry)
            .ok_or_else(|| KeyringError::Unreadable(key_id.to_string()))
    }

    fn failure(error: Error) -> KeyringError {
        match error {
            Error::Locked | Error::Prompt | Error::PromptDisconnected => KeyringError::Locked,
            Error::Unavailable => super::unavailable("no Secret Service answers"),
            Error::Zbus(e) if super::is_unreachable(&e.to_string()) => {
                super::unavailable(&e.to_string())
            }
            e => KeyringError::Failed(e.to_string()),
        }
    }
}

#[cfg(target_os = "linux")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(zbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(target_os = "macos")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(not(any(target_os = "linux", target_os = "macos")))]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(Error::NotSupportedByStore(
        "credwiz has no keyring store for this system".into(),
    ))
}

/// keyring-core's error for `key_id`, in people's words. `Ambiguous` and the encoding
/// errors carry entries or bytes, which are never shown.
fn failure(error: Error, key_id: &str) -> KeyringError {
    match error {
        Error::NoEntry => KeyringError::Missing(key_id.to_string()),
        Error::NoStorageAccess(_) => KeyringError::Locked,
        Error::BadEncoding(_) | Error::BadDataFormat(..) => {
            KeyringError::Unreadable(key_id.to_string())
        }
        Error::Ambiguous(entries) => ambiguous(entries.len(), key_id),
        Error::PlatformFailure(e) if is_unreachable(&e.to_string()) => unavailable(&e.to_string()),
        e => KeyringError::Failed(platform_words(&e)),
    }
}

fn ambiguous(count: usize, key_id: &str) -> KeyringError {
    KeyringError::Failed(format!(
        "{count} entries match access key {key_id}: keep one (`secret-tool search --all service credwiz username {key_id}` lists them on Linux)"
    ))
}

fn platform_words(error: &Error) -> String {
    match error {
        Error::PlatformFailure(e) | Error::NoStorageAccess(e) => e.to_string(),
        e => e.to_string(),
    }
}

/// Why no keyring answers, shortly: the bus that is not there, or no Secret Service on it.
fn unavailable(words: &str) -> KeyringError {
    let short = match words.split('`').nth(1) {
        Some(address) if words.contains("Failed to connect") => {
            format!("no D-Bus session bus at {address}")
        }
        _ if words.to_ascii_lowercase().contains("secrets") => {
            "no Secret Service on the D-Bus session bus".to_string()
        }
        _ => words.to_string(),
    };
    KeyringError::Unavailable(short)
}

/// A D-Bus session bus or Secret Service that is not there.
fn is_unreachable(words: &str) -> bool {
    let words = words.to_ascii_lowercase();
    [
        "no such file",
        "connection refused",
        "serviceunknown",
        "not provided by any",
        "address",
    ]
    .iter()
    .any(|w| words.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::secret::Secret;

    const ID: &str = "AKIAIOSFODNN7EXAMPLE";

    fn stored(secret: &str) -> Stored {
        Stored {
            secret: Secret::new(secret),
            token: None,
            expiration: None,
            lines: Vec::new(),
        }
    }

    fn inject(keyring: &Keyring, key_id: &str, error: Error) {
        let entry = keyring.mock_entry(key_id).unwrap();
        let mock: &keyring_core::mock::Cred = entry.as_any().downcast_ref().unwrap();
        mock.set_error(error);
    }

    #[test]
    fn put_get_delete() {
        let keyring = Keyring::mock();
        assert_eq!(keyring.get(ID), Err(KeyringError::Missing(ID.into())));
        keyring.put(ID, &stored("s3cr3t")).unwrap();
        assert_eq!(keyring.get(ID).unwrap(), stored("s3cr3t"));
        keyring.delete(ID).unwrap();
        assert_eq!(keyring.get(ID), Err(KeyringError::Missing(ID.into())));
        keyring.delete(ID).unwrap();
    }

    #[test]
    fn a_locked_keyring_is_said_so() {
        let keyring = Keyring::mock();
        keyring.put(ID, &stored("s")).unwrap();
        inject(&keyring, ID, Error::NoStorageAccess("locked".into()));
        assert_eq!(keyring.get(ID), Err(KeyringError::Locked));
        assert!(KeyringError::Locked.to_string().contains("unlock"));
    }

    #[test]
    fn a_failed_write_is_an_error_and_nothing_is_stored() {
        let keyring = Keyring::mock();
        inject(&keyring, ID, Error::PlatformFailure("disk full".into()));
        let err = keyring.put(ID, &stored("s")).unwrap_err();
        assert_eq!(err, KeyringError::Failed("disk full".into()));
        assert_eq!(keyring.get(ID), Err(KeyringError::Missing(ID.into())));
    }

    #[test]
    fn a_read_back_that_differs_is_a_mismatch() {
        let keyring = Keyring::mock();
        keyring.put(ID, &stored("old")).unwrap();
        // The write "succeeds" without storing: the read-back sees the old entry.
        inject(&keyring, ID, Error::Invalid("x".into(), "y".into()));
        assert!(keyring.put(ID, &stored("new")).is_err());
        keyring.put(ID, &stored("new")).unwrap();
        assert_eq!(keyring.get(ID).unwrap(), stored("new"));
    }

    #[test]
    fn an_entry_credwiz_did_not_write_is_unreadable_and_not_quoted() {
        let keyring = Keyring::mock();
        let entry = keyring.mock_entry(ID).unwrap();
        entry.set_password("plain-secret-not-json").unwrap();
        let err = keyring.get(ID).unwrap_err();
        assert_eq!(err, KeyringError::Unreadable(ID.into()));
        assert!(!err.to_string().contains("plain-secret"));
        inject(&keyring, ID, Error::BadEncoding(b"raw-secret".to_vec()));
        assert!(
            !keyring
                .get(ID)
                .unwrap_err()
                .to_string()
                .contains("raw-secret")
        );
    }

    #[test]
    fn key_ids_lists_credwiz_entries_only() {
        let keyring = Keyring::mock();
        keyring.put("AKIAB", &stored("b")).unwrap();
        keyring.put("AKIAA", &stored("a")).unwrap();
        keyring
            .store
            .build("other-app", "AKIAC", None)
            .unwrap()
            .set_password("x")
            .unwrap();
        assert_eq!(keyring.key_ids().unwrap(), ["AKIAA", "AKIAB"]);
    }
}
