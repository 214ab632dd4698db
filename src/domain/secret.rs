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

/// Zeroizes a large buffer (a whole credentials file) a word at a time: the same
/// volatile writes as `zeroize`, which writes a byte at a time, in an eighth of the stores.
pub fn wipe(text: &mut String) {
    // Safety: zero bytes are valid UTF-8, and the buffer is cleared before anyone sees it.
    let bytes = unsafe { text.as_mut_vec() };
    bytes.resize(bytes.capacity(), 0);
    // Safety: every bit pattern is a valid u8 and u64, so realigning the slice is sound.
    let (head, words, tail) = unsafe { bytes.align_to_mut::<u64>() };
    for byte in head.iter_mut().chain(tail.iter_mut()) {
        // Safety: a valid, aligned, exclusive reference.
        unsafe { std::ptr::write_volatile(byte, 0) };
    }
    for word in words {
        // Safety: a valid, aligned, exclusive reference.
        unsafe { std::ptr::write_volatile(word, 0) };
    }
    std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
    bytes.clear();
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
    fn wipe_zeroes_every_byte_of_the_buffer() {
        for len in [0, 1, 7, 8, 9, 100, 4099] {
            let mut text = "k".repeat(len);
            text.reserve(3);
            let (ptr, capacity) = (text.as_ptr(), text.capacity());
            wipe(&mut text);
            assert!(text.is_empty());
            assert_eq!((text.as_ptr(), text.capacity()), (ptr, capacity));
            // Safety: the allocation is still owned by `text`; its bytes were all written.
            let bytes = unsafe { std::slice::from_raw_parts(ptr, capacity) };
            assert!(bytes.iter().all(|&b| b == 0), "length {len}");
        }
    }

    #[test]
    fn masked_keeps_only_the_last_four() {
        let s = Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        assert_eq!(s.masked(), "****…EKEY");
    }
}
