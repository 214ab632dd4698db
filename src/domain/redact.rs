//! Secrets masked wherever they turn up in text credwiz shows: a secret access key
//! typed into `region`, a CSV with the secret in the user-name column, a message that
//! quotes such a value. A [`Redactor`] learns the secret values a command knows (every
//! `aws_secret_access_key` and `aws_session_token` in both files, a secret read from
//! stdin or a CSV) and replaces each occurrence in a text with its mask (`****…EKEY`).
//!
//! Secrets shorter than [`MIN_LEN`] characters are not learned: they are not real keys,
//! and masking them as substrings would garble ordinary words. The secrets are kept in
//! buffers allocated once at their final size and zeroized when dropped; the index holds
//! only keyed hashes (random per process) of their first bytes. Pure, no I/O.

use std::borrow::Cow;
use std::hash::BuildHasher;

use zeroize::Zeroizing;

use super::mask::{is_secret_key, mask_secret};

/// The shortest value treated as a secret. Real secret access keys have 40 characters.
pub const MIN_LEN: usize = 8;

/// Bits in the quick filter that rules out most positions without a lookup.
const FILTER_BITS: usize = 1 << 16;

/// One secret: which buffer, and where in it.
#[derive(Clone, Copy)]
struct Span {
    chunk: u32,
    start: u32,
    len: u32,
}

#[derive(Default)]
pub struct Redactor {
    /// The secrets, back to back; each buffer is allocated at its final size, so no copy
    /// is ever left behind by a reallocation.
    chunks: Vec<Zeroizing<String>>,
    spans: Vec<Span>,
    /// (hash of a secret's first `MIN_LEN` bytes, index into `spans`), sorted.
    index: Vec<(u64, u32)>,
    /// One bit per 16-bit hash prefix: is any secret's hash there?
    filter: Vec<u64>,
    /// The length of the shortest secret: shorter text cannot hold one (most values
    /// shown, such as a region, are shorter than a 40-character secret key).
    shortest: usize,
    hasher: foldhash::fast::RandomState,
}

/// Shows how many secrets it holds, never one of them.
impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} secrets)", self.spans.len())
    }
}

impl Redactor {
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Learns one secret (a value read from stdin or a CSV).
    pub fn learn(&mut self, secret: &str) {
        self.learn_all(&[secret.trim()]);
    }

    /// Learns every value an INI text (a config or credentials file) gives a secret key,
    /// line by line: it works on a file that does not parse and on sections the SDKs skip.
    pub fn learn_ini(&mut self, text: &str) {
        // Lines found with memchr: `str::lines` costs several times more on a big file.
        let mut values = Vec::new();
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]) {
            if let Some(value) = text.get(start..end).and_then(secret_value) {
                values.push(value);
            }
            start = end + 1;
        }
        self.learn_all(&values);
    }

    /// Learns several secrets at once (cheaper than one by one: one re-index).
    pub fn learn_many<'v>(&mut self, values: impl IntoIterator<Item = &'v str>) {
        let values: Vec<&str> = values.into_iter().collect();
        self.learn_all(&values);
    }

    /// Learns every secret `other` holds; its buffers move over, nothing is copied.
    pub fn absorb(&mut self, other: Redactor) {
        if other.spans.is_empty() {
            return;
        }
        let offset = self.chunks.len() as u32;
        self.chunks.extend(other.chunks);
        self.spans.extend(other.spans.iter().map(|span| Span {
            chunk: span.chunk + offset,
            ..*span
        }));
        self.reindex();
    }

    /// Learns `values` into one buffer of exactly their size, then re-indexes.
    fn learn_all(&mut self, values: &[&str]) {
        let values: Vec<&str> = values
            .iter()
            .copied()
            .filter(|v| v.len() >= MIN_LEN && v.len() <= u32::MAX as usize)
            .collect();
        let size: usize = values.iter().map(|v| v.len()).sum();
        if values.is_empty() || size > u32::MAX as usize {
            return;
        }
        let mut chunk = Zeroizing::new(String::with_capacity(size));
        let chunk_index = self.chunks.len() as u32;
        for value in values {
            self.spans.push(Span {
                chunk: chunk_index,
                start: chunk.len() as u32,
                len: value.len() as u32,
            });
            chunk.push_str(value);
        }
        self.chunks.push(chunk);
        self.reindex();
    }

    fn reindex(&mut self) {
        let mut index: Vec<(u64, u32)> = (0..self.spans.len())
            .map(|i| (self.prefix_hash(self.secret(i).as_bytes()), i as u32))
            .collect();
        index.sort_unstable();
        let mut filter = vec![0u64; FILTER_BITS / 64];
        for (hash, _) in &index {
            let bit = filter_bit(*hash);
            filter[bit / 64] |= 1 << (bit % 64);
        }
        self.index = index;
        self.filter = filter;
        self.shortest = self.spans.iter().map(|s| s.len as usize).min().unwrap_or(0);
    }

    fn secret(&self, i: usize) -> &str {
        let span = self.spans[i];
        let start = span.start as usize;
        &self.chunks[span.chunk as usize][start..start + span.len as usize]
    }

    /// The keyed hash of the first `MIN_LEN` bytes (the caller checks there are as many).
    fn prefix_hash(&self, bytes: &[u8]) -> u64 {
        let mut window = [0u8; MIN_LEN];
        window.copy_from_slice(&bytes[..MIN_LEN]);
        self.hasher.hash_one(u64::from_le_bytes(window))
    }

    /// The longest secret that `bytes` starts with.
    fn secret_at(&self, bytes: &[u8]) -> Option<&str> {
        if bytes.len() < MIN_LEN || self.index.is_empty() {
            return None;
        }
        let hash = self.prefix_hash(bytes);
        let bit = filter_bit(hash);
        if self.filter[bit / 64] & (1 << (bit % 64)) == 0 {
            return None;
        }
        let first = self.index.partition_point(|(h, _)| *h < hash);
        self.index[first..]
            .iter()
            .take_while(|(h, _)| *h == hash)
            .map(|(_, i)| self.secret(*i as usize))
            .filter(|secret| bytes.starts_with(secret.as_bytes()))
            .max_by_key(|secret| secret.len())
    }

    /// Is `value` exactly one of the secrets?
    pub fn is_secret(&self, value: &str) -> bool {
        self.secret_at(value.as_bytes())
            .is_some_and(|secret| secret.len() == value.len())
    }

    /// `text` with every secret in it replaced by its mask; text holding none is
    /// returned as is, without copying.
    pub fn redact<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.index.is_empty() || text.len() < self.shortest.max(MIN_LEN) {
            return Cow::Borrowed(text);
        }
        let bytes = text.as_bytes();
        let mut out: Option<String> = None;
        let (mut copied, mut at) = (0, 0);
        while at + self.shortest.max(MIN_LEN) <= bytes.len() {
            // A secret is valid UTF-8, so one that matches starts and ends on character
            // boundaries of `text`.
            match self.secret_at(&bytes[at..]) {
                Some(secret) if text.is_char_boundary(at) => {
                    let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
                    out.push_str(&text[copied..at]);
                    out.push_str(&mask_secret(secret));
                    at += secret.len();
                    copied = at;
                }
                _ => at += 1,
            }
        }
        match out {
            Some(mut out) => {
                out.push_str(&text[copied..]);
                Cow::Owned(out)
            }
            None => Cow::Borrowed(text),
        }
    }
}

fn filter_bit(hash: u64) -> usize {
    (hash >> 48) as usize % FILTER_BITS
}

/// The value of a `key = value` line whose key names a secret, without an inline
/// comment (` #…`, ` ;…`), as the SDKs read it.
fn secret_value(line: &str) -> Option<&str> {
    let line = line.trim_start();
    // All three secret keys start so; most lines are ruled out here.
    if !line
        .as_bytes()
        .get(..6)
        .is_some_and(|head| head.eq_ignore_ascii_case(b"aws_se"))
    {
        return None;
    }
    let (key, value) = line.split_once('=')?;
    if !is_secret_key(key.trim()) {
        return None;
    }
    let value = value.trim();
    let comment = value
        .char_indices()
        .find(|&(i, c)| {
            (c == '#' || c == ';') && value[..i].ends_with(|p: char| p.is_ascii_whitespace())
        })
        .map_or(value.len(), |(i, _)| i);
    Some(value[..comment].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLETOKENxYzABCDEFGHIJKLMNOP/+=";

    fn learned(text: &str) -> Redactor {
        let mut redactor = Redactor::default();
        redactor.learn_ini(text);
        redactor
    }

    #[test]
    fn secrets_of_both_kinds_are_learned_from_a_file() {
        let r = learned(&format!(
            "[a]\n  AWS_Secret_Access_Key={SECRET}\n[b]\naws_session_token = {TOKEN} # note\n\
             aws_access_key_id = AKIAIOSFODNN7EXAMPLE\nregion = eu-west-1\n"
        ));
        assert!(r.is_secret(SECRET) && r.is_secret(TOKEN));
        assert!(!r.is_secret("AKIAIOSFODNN7EXAMPLE") && !r.is_secret("eu-west-1"));
    }

    #[test]
    fn a_secret_is_masked_wherever_it_is_in_a_text() {
        let r = learned(&format!("aws_secret_access_key = {SECRET}\n"));
        assert_eq!(r.redact(SECRET), "****…EKEY");
        assert_eq!(
            r.redact(&format!("region `{SECRET}` is not a region; {SECRET}x")),
            "region `****…EKEY` is not a region; ****…EKEYx"
        );
        assert_eq!(
            r.redact("ünïcode ★ and no secret"),
            "ünïcode ★ and no secret"
        );
        assert!(matches!(r.redact("nothing secret here"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_longest_secret_wins() {
        let mut r = Redactor::default();
        r.learn("abcdefgh");
        r.learn("abcdefghijklmnopqrst");
        assert_eq!(r.redact("<abcdefghijklmnopqrst>"), "<****…qrst>");
        assert_eq!(r.redact("<abcdefghij>"), "<****ij>");
    }

    #[test]
    fn short_values_are_not_secrets() {
        let r = learned("aws_secret_access_key = abc\naws_session_token =\n");
        assert!(r.is_empty());
        assert_eq!(r.redact("abc"), "abc");
    }

    #[test]
    fn many_secrets_are_each_found() {
        let mut r = Redactor::default();
        let secrets: Vec<String> = (0..5000).map(|i| format!("{SECRET}{i:05}")).collect();
        let file: String = secrets
            .iter()
            .map(|s| format!("aws_secret_access_key = {s}\n"))
            .collect();
        r.learn_ini(&file);
        assert!(secrets.iter().all(|s| r.is_secret(s)));
        assert_eq!(r.redact(&format!("x{}y", secrets[4321])), "x****…4321y");
    }

    #[test]
    fn debug_shows_no_secret() {
        let r = learned(&format!("aws_secret_access_key = {SECRET}\n"));
        assert_eq!(format!("{r:?}"), "Redactor(1 secrets)");
    }

    #[test]
    fn absorbing_another_redactor_knows_both_sets_of_secrets() {
        let mut mine = Redactor::default();
        mine.learn("first-secret-value");
        let mut theirs = Redactor::default();
        theirs.learn_many(["second-secret-value", "third-secret-value"]);
        mine.absorb(theirs);
        for secret in [
            "first-secret-value",
            "second-secret-value",
            "third-secret-value",
        ] {
            assert!(mine.is_secret(secret), "{secret}");
        }
    }
}
