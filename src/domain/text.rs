//! Text from a file, a CSV or a server made safe to show on a terminal: control
//! characters (C0, DEL, C1), the Unicode bidirectional controls that can make text read
//! differently from what it is, and line and paragraph separators are shown as visible,
//! unambiguous escapes (`\e`, `\a`, `\x7f`, `\u{9b}`, `\u{202e}`), and a backslash as `\\`,
//! so nothing in a value can move the cursor, set the title, clear the screen or disguise
//! itself. Pure functions, no I/O.

use std::borrow::Cow;
use std::fmt::Write as _;

/// `value` with every character a terminal would act on shown as an escape.
/// Text that needs none is returned as is, without copying.
pub fn printable(value: &str) -> Cow<'_, str> {
    escape_where(value, needs_escape)
}

/// Like [`printable`], except that line breaks stay line breaks: for messages of several
/// lines, in which each line is made printable.
pub fn printable_lines(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| c != '\n' && needs_escape(c))
}

/// JSON text (as serde_json writes it) with the characters JSON leaves raw but a terminal
/// acts on — DEL, C1, bidirectional controls, line separators — written as `\uXXXX`
/// escapes. The value the JSON stands for is unchanged: outside strings JSON text holds
/// only ASCII punctuation and spaces, and inside strings `\uXXXX` is the same character.
pub fn json_printable(json: &str) -> Cow<'_, str> {
    // C0 controls are JSON's own business: escaped in strings, line breaks between them.
    let left_raw = |c: char| needs_escape(c) && !(c.is_ascii_control() && c != '\u{7f}');
    if !has_lead_byte(json.as_bytes()) || !json.chars().any(left_raw) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if left_raw(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Characters a terminal acts on instead of showing, or that change how the text
/// around them reads: C0 and C1 controls, DEL, the Unicode `Bidi_Control` characters,
/// and the line and paragraph separators.
fn needs_escape(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// The characters with Unicode's `Bidi_Control` property: marks, embeddings, overrides
/// and isolates (`U+202E` makes the rest of a line read right to left).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `bytes` hold DEL or the first byte of a non-ASCII character [`needs_escape`]
/// may be true of: C1 and U+0080–U+00BF start with 0xC2, U+061C with 0xD8, the others
/// with 0xE2. Most text holds none, which SIMD finds fast (a listing's JSON is 1.5 MB).
fn has_lead_byte(bytes: &[u8]) -> bool {
    memchr::memchr3(0x7f, 0xc2, 0xe2, bytes).is_some() || memchr::memchr(0xd8, bytes).is_some()
}

fn escape_where(text: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    let plain = |b: &u8| *b >= 0x20 && *b != b'\\' && *b < 0x7f;
    if text.as_bytes().iter().all(plain) {
        return Cow::Borrowed(text);
    }
    if !text.chars().any(|c| c == '\\' || escape(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if c == '\\' {
            out.push_str("\\\\");
        } else if escape(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn push_escape(out: &mut String, c: char) {
    let named = match c {
        '\0' => "\\0",
        '\u{7}' => "\\a",
        '\u{8}' => "\\b",
        '\t' => "\\t",
        '\n' => "\\n",
        '\u{b}' => "\\v",
        '\u{c}' => "\\f",
        '\r' => "\\r",
        '\u{1b}' => "\\e",
        _ => "",
    };
    if !named.is_empty() {
        out.push_str(named);
    } else if (c as u32) < 0x80 {
        let _ = write!(out, "\\x{:02x}", c as u32);
    } else {
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
    }
}

/// `a`, `a` and `b`, `a`, `b` and `c`.
pub fn quoted_list<S: AsRef<str>>(names: &[S]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{}`", n.as_ref())).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Python's `shlex.split` (POSIX mode): words split at whitespace, `'…'` literal, `"…"`
/// with `\"` and `\\` escaped, `\` escaping any character outside quotes. `None` where
/// shlex raises (an unclosed quote, a trailing `\`): botocore then skips the section.
/// A word that needs no unquoting is borrowed.
pub fn shell_words(text: &str) -> Option<Vec<Cow<'_, str>>> {
    let mut words = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches([' ', '\t', '\r', '\n']);
        if rest.is_empty() {
            return Some(words);
        }
        let end = rest
            .find([' ', '\t', '\r', '\n', '"', '\'', '\\'])
            .unwrap_or(rest.len());
        if rest[end..].starts_with(['"', '\'', '\\']) {
            let (word, after) = unquote_word(rest)?;
            words.push(Cow::Owned(word));
            rest = after;
        } else {
            words.push(Cow::Borrowed(&rest[..end]));
            rest = &rest[end..];
        }
    }
}

/// One shell word with quotes or escapes in it; returns it and the text after it.
fn unquote_word(text: &str) -> Option<(String, &str)> {
    let mut word = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            ' ' | '\t' | '\r' | '\n' => return Some((word, &text[i..])),
            '\\' => word.push(chars.next()?.1),
            '\'' => loop {
                match chars.next()?.1 {
                    '\'' => break,
                    c => word.push(c),
                }
            },
            '"' => loop {
                match chars.next()?.1 {
                    '"' => break,
                    '\\' => match chars.next()?.1 {
                        c @ ('"' | '\\') => word.push(c),
                        c => {
                            word.push('\\');
                            word.push(c);
                        }
                    },
                    c => word.push(c),
                }
            },
            c => word.push(c),
        }
    }
    Some((word, ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_is_not_copied() {
        assert!(matches!(printable("eu-west-1 ★ café"), Cow::Borrowed(_)));
        assert!(matches!(printable_lines("a\nb"), Cow::Borrowed(_)));
        assert!(matches!(
            json_printable("[\n  {\"a\":\"\\u001b\"}\n]"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn terminal_controls_are_shown_as_escapes() {
        assert_eq!(
            printable("\u{1b}]0;TITLE\u{7}\u{1b}[2J"),
            "\\e]0;TITLE\\a\\e[2J"
        );
        assert_eq!(printable("a\rb\u{8}c\td\ne\0"), "a\\rb\\bc\\td\\ne\\0");
        assert_eq!(printable("\u{1}\u{1f}\u{7f}"), "\\x01\\x1f\\x7f");
        assert_eq!(printable("x\u{9b}2J"), "x\\u{9b}2J");
        assert_eq!(printable("\u{80}\u{9f}"), "\\u{80}\\u{9f}");
    }

    #[test]
    fn bidi_controls_and_separators_are_shown_as_escapes() {
        assert_eq!(printable("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(
            printable("\u{2066}\u{2069}\u{200f}"),
            "\\u{2066}\\u{2069}\\u{200f}"
        );
        assert_eq!(printable("a\u{2028}b"), "a\\u{2028}b");
    }

    #[test]
    fn a_backslash_is_doubled_so_escapes_are_unambiguous() {
        assert_eq!(printable("a\\e"), "a\\\\e");
        assert_ne!(printable("a\\e"), printable("a\u{1b}"));
    }

    #[test]
    fn lines_keep_their_breaks() {
        assert_eq!(printable_lines("one\u{1b}\ntwo\r"), "one\\e\ntwo\\r");
    }

    #[test]
    fn json_gets_unicode_escapes_for_what_it_leaves_raw() {
        assert_eq!(
            json_printable("{\"r\":\"a\u{7f}\u{9b}\u{202e}\"}"),
            "{\"r\":\"a\\u007f\\u009b\\u202e\"}"
        );
        let decoded: String = serde_json::from_str(&json_printable("\"\u{9b}\u{1F600}\"")).unwrap();
        assert_eq!(decoded, "\u{9b}\u{1F600}");
    }

    #[test]
    fn names_are_listed_in_words() {
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(quoted_list(&names(&["a"])), "`a`");
        assert_eq!(quoted_list(&names(&["a", "b"])), "`a` and `b`");
        assert_eq!(quoted_list(&names(&["a", "b", "c"])), "`a`, `b` and `c`");
    }
}
