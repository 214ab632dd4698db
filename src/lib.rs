//! credwiz: set up and manage AWS credential profiles.
//!
//! Layers, each importing only those above it:
//! - [`domain`]: validation, masking, account IDs (pure);
//! - [`store`]: locate, parse, edit and safely write `~/.aws/config` and `~/.aws/credentials`;
//! - [`cli`]: the scripting subcommands.

pub mod cli;
pub mod domain;
pub mod process;
pub mod state;
pub mod store;
pub mod sts;
pub mod tui;
