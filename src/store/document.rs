//! A lossless, line-level image of one AWS config or credentials file.
//!
//! Every physical line is kept with its exact text and its own line ending, so writing
//! the document back reproduces the file byte for byte; edits replace, insert or remove
//! whole lines and touch nothing else.

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

#[derive(Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub ending: Ending,
}

/// The file's bytes were not UTF-8; `line` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotUtf8 {
    pub line: usize,
}

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Document {
    bom: bool,
    lines: Vec<Line>,
}

impl Document {
    pub fn from_bytes(bytes: &[u8]) -> Result<Document, NotUtf8> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(Document::parse(text)),
            Err(e) => {
                let line = 1 + bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
                Err(NotUtf8 { line })
            }
        }
    }

    pub fn parse(text: &str) -> Document {
        let (bom, text) = match text.strip_prefix(BOM) {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let mut lines = Vec::with_capacity(text.len() / 24 + 1);
        let mut rest = text;
        while !rest.is_empty() {
            let (line, ending, next) = match rest.find('\n') {
                Some(i) => {
                    let raw = &rest[..i];
                    match raw.strip_suffix('\r') {
                        Some(t) => (t, Ending::CrLf, &rest[i + 1..]),
                        None => (raw, Ending::Lf, &rest[i + 1..]),
                    }
                }
                None => (rest, Ending::None, ""),
            };
            lines.push(Line {
                text: line.to_string(),
                ending,
            });
            rest = next;
        }
        Document { bom, lines }
    }

    pub fn to_text(&self) -> String {
        let len: usize = self.lines.iter().map(|l| l.text.len() + 2).sum();
        let mut out = String::with_capacity(len + BOM.len());
        if self.bom {
            out.push_str(BOM);
        }
        for line in &self.lines {
            out.push_str(&line.text);
            out.push_str(line.ending.as_str());
        }
        out
    }

    pub fn has_bom(&self) -> bool {
        self.bom
    }

    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The ending new lines get: the file's first line ending, else `\n`.
    pub fn newline(&self) -> Ending {
        self.lines
            .iter()
            .map(|l| l.ending)
            .find(|e| *e != Ending::None)
            .unwrap_or(Ending::Lf)
    }

    /// Replaces the text of line `index`, keeping its ending.
    pub fn replace_text(&mut self, index: usize, text: String) {
        let line = &mut self.lines[index];
        line.text.zeroize();
        line.text = text;
    }

    /// Inserts whole lines before `index` (`index == len` appends), each ending in the
    /// file's own line ending. A last line without a newline gets one first.
    pub fn insert(&mut self, index: usize, texts: Vec<String>) {
        if texts.is_empty() {
            return;
        }
        let ending = self.newline();
        let appending = index == self.lines.len();
        if let Some(last) = self.lines.last_mut()
            && appending
            && last.ending == Ending::None
        {
            last.ending = ending;
        }
        let new = texts.into_iter().map(|text| Line { text, ending });
        self.lines.splice(index..index, new);
    }

    pub fn remove(&mut self, range: Range<usize>) {
        for mut line in self.lines.drain(range) {
            line.text.zeroize();
        }
    }
}

/// Line texts hold secrets: show only the shape of the document.
impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document")
            .field("bom", &self.bom)
            .field("lines", &self.lines.len())
            .finish()
    }
}

impl fmt::Debug for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Line(<{} bytes>, {:?})", self.text.len(), self.ending)
    }
}

impl Drop for Document {
    fn drop(&mut self) {
        for line in &mut self.lines {
            line.text.zeroize();
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
        let shown = format!("{doc:?} {:?}", doc.lines()[0]);
        assert!(!shown.contains("SECRET"), "{shown}");
    }
}
