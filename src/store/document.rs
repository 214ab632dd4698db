//! A lossless, line-level image of one AWS config or credentials file.
//!
//! Every physical line is kept with its exact text and its own line ending, so writing
//! the document back reproduces the file byte for byte; edits replace, insert or remove
//! whole lines and touch nothing else.

use std::cell::OnceCell;
use std::fmt;
use std::ops::Range;

use zeroize::Zeroize;

const BOM: &str = "\u{feff}";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    Lf,
    CrLf,
    /// Only ever on the last line: the file does not end with a newline.
    None,
}

impl Ending {
    pub fn as_str(self) -> &'static str {
        match self {
            Ending::Lf => "\n",
            Ending::CrLf => "\r\n",
            Ending::None => "",
        }
    }
}

/// A line's text: a span of the file as read, or an index into the texts edits added.
/// Kept to 16 bytes a line (with its ending): a large file has many lines.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Text {
    Span(u32, u32),
    Owned(u32),
}

/// Documents are limited to 4 GiB so line records stay small; `Store` refuses larger files.
pub const MAX_LEN: usize = u32::MAX as usize;

fn offset(i: usize) -> u32 {
    u32::try_from(i).expect("documents are under 4 GiB (checked when read)")
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct Line {
    text: Text,
    ending: Ending,
}

/// The file's bytes were not UTF-8; `line` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotUtf8 {
    pub line: usize,
}

/// The file as read is kept whole in one buffer (BOM included) and lines point into it,
/// so reading a large file costs no allocation per line and edits can be compared with
/// the original. The line index is built on first use: a reader that only parses the
/// file walks the buffer itself and never needs it.
#[derive(Clone, Default)]
pub struct Document {
    buf: String,
    lines: OnceCell<Vec<Line>>,
    /// Texts of lines that edits replaced or inserted.
    owned: Vec<String>,
    /// Whether any edit touched the lines (it may still have left the same bytes).
    edited: bool,
}

/// The lines of a buffer as spans and endings, in order.
struct Spans<'a> {
    bytes: &'a [u8],
    start: usize,
}

impl Iterator for Spans<'_> {
    /// Start and end of the text (ending excluded), and the ending.
    type Item = (usize, usize, Ending);

    fn next(&mut self) -> Option<Self::Item> {
        let (bytes, start) = (self.bytes, self.start);
        if start >= bytes.len() {
            return None;
        }
        let (end, ending, next) = match memchr::memchr(b'\n', &bytes[start..]) {
            Some(i) if i > 0 && bytes[start + i - 1] == b'\r' => {
                (start + i - 1, Ending::CrLf, start + i + 1)
            }
            Some(i) => (start + i, Ending::Lf, start + i + 1),
            None => (bytes.len(), Ending::None, bytes.len()),
        };
        self.start = next;
        Some((start, end, ending))
    }
}

/// Line texts in order (see [`Document::texts`]).
pub struct Texts<'a>(TextSource<'a>);

enum TextSource<'a> {
    /// Straight from the buffer: no line index exists.
    Buffer { buf: &'a str, spans: Spans<'a> },
    Indexed {
        doc: &'a Document,
        lines: std::slice::Iter<'a, Line>,
    },
}

impl<'a> Iterator for Texts<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match &mut self.0 {
            TextSource::Buffer { buf, spans } => {
                spans.next().map(|(start, end, _)| &buf[start..end])
            }
            TextSource::Indexed { doc, lines } => lines.next().map(|line| doc.text_of(line)),
        }
    }
}

impl PartialEq for Document {
    fn eq(&self, other: &Document) -> bool {
        self.buf == other.buf && self.lines() == other.lines() && self.owned == other.owned
    }
}

impl Eq for Document {}

impl Document {
    /// Takes the file's bytes without copying them.
    pub fn from_vec(bytes: Vec<u8>) -> Result<Document, NotUtf8> {
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Document::from_string(text)),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let mut bytes = e.into_bytes();
                let line = 1 + bytes[..valid].iter().filter(|&&b| b == b'\n').count();
                bytes.zeroize();
                Err(NotUtf8 { line })
            }
        }
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Document, NotUtf8> {
        Document::from_vec(bytes.to_vec())
    }

    pub fn parse(text: &str) -> Document {
        Document::from_string(text.to_string())
    }

    fn from_string(buf: String) -> Document {
        Document {
            buf,
            lines: OnceCell::new(),
            owned: Vec::new(),
            edited: false,
        }
    }

    fn spans(&self) -> Spans<'_> {
        Spans {
            bytes: self.buf.as_bytes(),
            start: if self.has_bom() { BOM.len() } else { 0 },
        }
    }

    fn lines(&self) -> &Vec<Line> {
        self.lines.get_or_init(|| {
            let mut lines = Vec::with_capacity(self.buf.len() / 24 + 1);
            lines.extend(self.spans().map(|(start, end, ending)| Line {
                text: Text::Span(offset(start), offset(end)),
                ending,
            }));
            lines
        })
    }

    /// Whether an edit touched any line (the bytes may still be the same).
    pub fn is_edited(&self) -> bool {
        self.edited
    }

    fn lines_mut(&mut self) -> &mut Vec<Line> {
        self.edited = true;
        self.lines();
        self.lines.get_mut().expect("the line index was just built")
    }

    /// The file exactly as it was read, before any edit.
    pub fn original(&self) -> &str {
        &self.buf
    }

    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity(self.buf.len() + BOM.len() + 64);
        if self.has_bom() {
            out.push_str(BOM);
        }
        for line in self.lines() {
            out.push_str(self.text_of(line));
            out.push_str(line.ending.as_str());
        }
        out
    }

    /// The buffer keeps the file's bytes as read, BOM included.
    pub fn has_bom(&self) -> bool {
        self.buf.starts_with(BOM)
    }

    pub fn len(&self) -> usize {
        self.lines().len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines().is_empty()
    }

    /// The text of line `index` (0-based), without its line ending.
    /// Whether the file as read holds `needle` anywhere (case-sensitive, one pass over
    /// the bytes): a cheap way to know a full parse would find nothing.
    pub fn mentions(&self, needle: &str) -> bool {
        memchr::memmem::find(self.buf.as_bytes(), needle.as_bytes()).is_some()
    }

    pub fn text(&self, index: usize) -> &str {
        self.text_of(&self.lines()[index])
    }

    fn text_of(&self, line: &Line) -> &str {
        match line.text {
            Text::Span(start, end) => &self.buf[start as usize..end as usize],
            Text::Owned(i) => &self.owned[i as usize],
        }
    }

    /// Every line's text, without its ending.
    pub fn texts(&self) -> Texts<'_> {
        Texts(match self.lines.get() {
            None => TextSource::Buffer {
                buf: &self.buf,
                spans: self.spans(),
            },
            Some(lines) => TextSource::Indexed {
                doc: self,
                lines: lines.iter(),
            },
        })
    }

    /// Builds the line index now, for a document that will be scanned many times (a
    /// single read scans the buffer instead).
    pub fn index_lines(&self) {
        self.lines();
    }

    /// The lines edits wrote (replaced or inserted), with their 0-based index.
    pub fn edited_lines(&self) -> impl Iterator<Item = (usize, &str)> {
        self.lines()
            .iter()
            .enumerate()
            .filter(|(_, l)| matches!(l.text, Text::Owned(_)))
            .map(|(i, _)| (i, self.text(i)))
    }

    pub fn ending(&self, index: usize) -> Ending {
        self.lines()[index].ending
    }

    /// The ending new lines get: the file's first line ending, else `\n`.
    pub fn newline(&self) -> Ending {
        self.lines()
            .iter()
            .map(|l| l.ending)
            .find(|e| *e != Ending::None)
            .unwrap_or(Ending::Lf)
    }

    /// Replaces the text of line `index`, keeping its ending.
    pub fn replace_text(&mut self, index: usize, mut text: String) {
        if self.text(index) == text {
            // The same bytes: nothing to change (and no secret copy to keep).
            text.zeroize();
            return;
        }
        if let Text::Owned(old) = self.lines()[index].text {
            self.owned[old as usize].zeroize();
        }
        let text = self.own(text);
        self.lines_mut()[index].text = text;
    }

    fn own(&mut self, text: String) -> Text {
        self.owned.push(text);
        Text::Owned(offset(self.owned.len() - 1))
    }

    /// Inserts whole lines before `index` (`index == len` appends), each ending in the
    /// file's own line ending. A last line without a newline gets one first.
    pub fn insert(&mut self, index: usize, texts: Vec<String>) {
        if texts.is_empty() {
            return;
        }
        let ending = self.newline();
        let appending = index == self.lines().len();
        if let Some(last) = self.lines_mut().last_mut()
            && appending
            && last.ending == Ending::None
        {
            last.ending = ending;
        }
        let new: Vec<Line> = texts
            .into_iter()
            .map(|text| Line {
                text: self.own(text),
                ending,
            })
            .collect();
        self.lines_mut().splice(index..index, new);
    }

    pub fn remove(&mut self, range: Range<usize>) {
        let removed: Vec<Line> = self.lines_mut().drain(range).collect();
        for line in removed {
            if let Text::Owned(i) = line.text {
                self.owned[i as usize].zeroize();
            }
        }
    }
}

/// Line texts hold secrets: show only the shape of the document.
impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document")
            .field("bom", &self.has_bom())
            .field("lines", &self.lines().len())
            .finish()
    }
}

impl Drop for Document {
    fn drop(&mut self) {
        crate::domain::secret::wipe(&mut self.buf);
        for text in &mut self.owned {
            text.zeroize();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) {
        assert_eq!(Document::parse(text).to_text(), text);
    }

    #[test]
    fn every_byte_survives_a_round_trip() {
        round_trip("");
        round_trip("\n");
        round_trip("[default]\nregion = x\n");
        round_trip("[default]\r\nregion = x\r\n");
        round_trip("[default]\nregion = x");
        round_trip("mixed\r\nendings\nand\r\r\nlone\rcr");
        round_trip("\u{feff}[default]\n");
        round_trip("  \t\n\n# c\n; c\n");
    }

    #[test]
    fn lines_read_from_the_buffer_match_the_line_index() {
        for text in ["", "a", "\u{feff}[a]\r\nk = v\n\nlone\rcr\r\n", "x\n\n"] {
            let doc = Document::parse(text);
            let from_buffer: Vec<&str> = doc.texts().collect();
            assert_eq!(doc.len(), from_buffer.len(), "{text:?}");
            let indexed: Vec<&str> = doc.texts().collect();
            assert_eq!(from_buffer, indexed, "{text:?}");
            assert!(matches!(doc.texts().0, TextSource::Indexed { .. }));
        }
    }

    #[test]
    fn new_lines_use_the_files_own_ending() {
        let mut doc = Document::parse("[a]\r\nk = v");
        doc.insert(2, vec!["x = y".into()]);
        assert_eq!(doc.to_text(), "[a]\r\nk = v\r\nx = y\r\n");
    }

    #[test]
    fn an_empty_file_gets_lf() {
        let mut doc = Document::parse("");
        doc.insert(0, vec!["[a]".into()]);
        assert_eq!(doc.to_text(), "[a]\n");
    }

    #[test]
    fn inserting_in_the_middle_keeps_a_missing_final_newline() {
        let mut doc = Document::parse("[a]\nk = v");
        doc.insert(1, vec!["x = y".into()]);
        assert_eq!(doc.to_text(), "[a]\nx = y\nk = v");
    }

    #[test]
    fn invalid_utf8_names_its_line() {
        let err = Document::from_bytes(b"[a]\nk = \xff\n").unwrap_err();
        assert_eq!(err.line, 2);
    }

    #[test]
    fn debug_hides_the_text() {
        let doc = Document::parse("aws_secret_access_key = SECRETSECRET\n");
        let shown = format!("{doc:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
    }
}
