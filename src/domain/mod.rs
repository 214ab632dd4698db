//! Profiles and keys as people know them: validation, masking, account IDs, regions,
//! and text made safe to show (escaped control characters, redacted secrets).
//! Pure functions, no I/O.

pub mod account;
pub mod expiry;
pub mod export;
pub mod import;
pub mod key_age;
pub mod keyring;
pub mod mask;
pub mod profile;
pub mod redact;
pub mod regions;
pub mod secret;
pub mod service;
pub mod session;
pub mod text;
pub mod validate;
