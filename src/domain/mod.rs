//! Profiles and keys as people know them: validation, masking, account IDs, regions.
//! Pure functions, no I/O.

pub mod account;
pub mod import;
pub mod mask;
pub mod profile;
pub mod regions;
pub mod secret;
pub mod validate;
