//! Copying to the clipboard: the system clipboard through arboard (one `Clipboard` kept
//! for the app's lifetime, since on X11 the content vanishes when its owner exits), else
//! the terminal's own clipboard through OSC 52 (works over SSH in most terminals), else
//! a clear message.

use std::io::{IsTerminal, Write};

#[derive(Default)]
pub struct Clipboard {
    system: Option<arboard::Clipboard>,
    tried: bool,
}

impl Clipboard {
    /// Copies `text`; returns what happened, for the status line.
    pub fn copy(&mut self, text: &str) -> Result<String, String> {
        if !self.tried {
            self.tried = true;
            self.system = arboard::Clipboard::new().ok();
        }
        if let Some(system) = &mut self.system
            && system.set_text(text.to_string()).is_ok()
        {
            return Ok("copied to the clipboard".into());
        }
        let mut terminal = std::io::stderr();
        if terminal.is_terminal() {
            let sequence = osc52(text);
            if terminal
                .write_all(sequence.as_bytes())
                .and_then(|()| terminal.flush())
                .is_ok()
            {
                return Ok("sent to the terminal's clipboard (OSC 52); if your terminal does not support it, nothing was copied".into());
            }
        }
        Err("no clipboard here (no display, and the terminal cannot take OSC 52)".into())
    }
}

/// The OSC 52 escape that asks the terminal to put `text` on the clipboard.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_carries_base64() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(
            osc52("AKIAIOSFODNN7EXAMPLE"),
            "\x1b]52;c;QUtJQUlPU0ZPRE5ON0VYQU1QTEU=\x07"
        );
    }
}
