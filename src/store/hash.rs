//! A fast hash for short, trusted keys (section and profile names).

use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: section names are short and not attacker-chosen, and SipHash showed up in
/// profiles of files with thousands of sections.
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv1a {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FnvBuild = BuildHasherDefault<Fnv1a>;
