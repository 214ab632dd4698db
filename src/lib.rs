//! credwiz: set up and manage AWS credential profiles.
//!
//! Layers, each importing only those above it:
//! - [`domain`]: validation, masking, account IDs, text escapes, redaction (pure);
//! - [`store`]: locate, parse, edit and safely write `~/.aws/config` and `~/.aws/credentials`;
//! - [`state`]: credwiz's own state file (recently used, last verifications);
//! - [`keyring`]: the OS keyring's entries for keys kept out of the files (no UI);
//! - [`sts`]: check keys: sign and send STS GetCallerIdentity, or S3 ListBuckets for
//!   another service (no UI);
//! - [`rotate`]: rotate a profile's access key through IAM (no UI);
//! - [`session`]: MFA sessions (`GetSessionToken`) into a session profile (no UI);
//! - [`protect`]: secrets moved between the files and the keyring, one transaction each (no UI);
//! - [`tui`]: the wizard and the picker, and the one runner that executes their effects;
//! - [`cli`]: the scripting subcommands, and the entry that opens the screens;
//! - [`process`]: hardening and signals for the whole process (called from `main`).

pub mod cli;
pub mod domain;
pub mod keyring;
pub mod process;
pub mod protect;
pub mod rotate;
pub mod session;
pub mod state;
pub mod store;
pub mod sts;
pub mod tui;
