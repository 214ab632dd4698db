//! The regions credwiz knows by name, from `assets/regions.tsv` (see `scripts/gen-regions.py`).

use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownRegion {
    pub code: &'static str,
    pub partition: &'static str,
    pub description: &'static str,
}

const TABLE: &str = include_str!("../../assets/regions.tsv");

pub fn all() -> &'static [KnownRegion] {
    static REGIONS: OnceLock<Vec<KnownRegion>> = OnceLock::new();
    REGIONS.get_or_init(|| {
        TABLE
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .filter_map(|line| {
                let mut cols = line.split('\t');
                Some(KnownRegion {
                    code: cols.next()?,
                    partition: cols.next()?,
                    description: cols.next()?,
                })
            })
            .collect()
    })
}

pub fn find(code: &str) -> Option<&'static KnownRegion> {
    all().iter().find(|r| r.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_holds_the_commercial_and_other_partitions() {
        assert!(all().len() >= 30);
        assert_eq!(find("us-east-1").unwrap().partition, "aws");
        assert_eq!(find("cn-north-1").unwrap().partition, "aws-cn");
        assert_eq!(find("us-gov-west-1").unwrap().partition, "aws-us-gov");
        assert!(find("nowhere-1").is_none());
    }
}
