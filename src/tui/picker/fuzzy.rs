//! fzf-style matching: the pattern's characters must appear in order (any case); the
//! score favours consecutive characters and matches at the start of a word.

/// A match: higher scores rank first; `positions` are the matched character indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub score: i32,
    pub positions: Vec<usize>,
}

fn is_boundary(previous: Option<char>) -> bool {
    previous.is_none_or(|p| !p.is_alphanumeric())
}

/// `None` when `text` does not contain the pattern's characters in order.
pub fn fuzzy(pattern: &str, text: &str) -> Option<Match> {
    if pattern.is_empty() {
        return Some(Match {
            score: 0,
            positions: Vec::new(),
        });
    }
    let chars: Vec<char> = text.chars().collect();
    let mut positions = Vec::with_capacity(pattern.len());
    let mut score = 0;
    let mut from = 0;
    for wanted in pattern.chars() {
        let wanted = wanted.to_ascii_lowercase();
        let i = (from..chars.len()).find(|&i| chars[i].to_ascii_lowercase() == wanted)?;
        score += 1;
        if positions.last().is_some_and(|&last| last + 1 == i) {
            score += 5;
        }
        if is_boundary(i.checked_sub(1).map(|j| chars[j])) {
            score += 3;
        }
        positions.push(i);
        from = i + 1;
    }
    // Shorter texts and earlier matches rank higher among equals.
    score = score * 100 - positions[0] as i32 - chars.len() as i32 / 4;
    Some(Match { score, positions })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_must_appear_in_order() {
        assert_eq!(fuzzy("prd", "prod-admin").unwrap().positions, vec![0, 1, 3]);
        assert!(fuzzy("dp", "prod").is_none());
        assert_eq!(fuzzy("", "x").unwrap().positions, Vec::<usize>::new());
        assert_eq!(fuzzy("PROD", "prod").unwrap().positions, vec![0, 1, 2, 3]);
    }

    #[test]
    fn consecutive_and_word_start_matches_rank_first() {
        let score = |p, t| fuzzy(p, t).unwrap().score;
        assert!(score("prod", "prod") > score("prod", "p-r-o-d"));
        assert!(score("adm", "prod-admin") > score("adm", "xadxm"));
        assert!(score("w", "work") > score("w", "dev-west"));
    }
}
