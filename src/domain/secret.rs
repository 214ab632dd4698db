//! A string that must never be shown: masked in `Debug`/`Display`, zeroized on drop.

use std::fmt;
use zeroize::Zeroizing;

/// A secret access key or session token.
///
/// There is deliberately no `Display` impl: the only ways to see the value are
/// [`Secret::expose`] (for writing it to the credentials file) and [`Secret::masked`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Zeroizing::new(value.into()))
    }

    /// The raw value, for the one place that writes it to disk.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// At most the last four characters, e.g. `****…KEY1`.
    pub fn masked(&self) -> String {
        super::mask::mask_secret(&self.0)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        let shown = format!("{s:?} {:#?}", s);
        assert!(!shown.contains("wJalr"), "{shown}");
        assert!(!shown.contains("EXAMPLEKEY"), "{shown}");
    }

    #[test]
    fn masked_keeps_only_the_last_four() {
        let s = Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        assert_eq!(s.masked(), "****…EKEY");
    }
}
