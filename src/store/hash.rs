//! A fast hash for short, trusted keys (section and profile names).
//!
//! foldhash: section names are short and not attacker-chosen, SipHash showed up in
//! profiles of files with thousands of sections, and FNV-1a (a byte at a time) after it.
pub type NameHash = foldhash::fast::RandomState;
