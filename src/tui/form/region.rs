//! A region typed or chosen from the list credwiz knows, filtered by code or name as the
//! user types (`frankfurt` finds eu-central-1). A well-formed region missing from the
//! list is accepted as typed. Where a region is edited, the list opens on the current
//! value (kept as it is, even one that is not an AWS region, such as an S3-compatible
//! service's `auto`) and offers "not set"; typing filters rather than appends.

use ratatui::crossterm::event::KeyEvent;

use super::{TextField, Verdict};
use crate::domain::regions::{self, KnownRegion};
use crate::domain::validate;

/// One row of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry<'a> {
    /// Remove the region (offered where one is edited).
    Unset,
    /// The value the profile has now, when it is not in the list.
    Current(&'a str),
    Known(&'static KnownRegion),
}

#[derive(Debug, Clone)]
pub(crate) struct RegionField {
    filter: TextField,
    selected: usize,
    /// Editing: the value the profile had (`None`: not set). The wizard has no value.
    current: Option<Option<String>>,
    /// The row selected when the field opened; it stays "unchanged" while selected.
    initial: usize,
}

/// Selected in the full list when nothing is typed and nothing was set.
pub(crate) const DEFAULT_REGION: &str = "us-east-1";

impl RegionField {
    /// The wizard's field: a region must be chosen; `us-east-1` is preselected.
    pub(crate) fn required() -> RegionField {
        let mut field = RegionField {
            filter: TextField::default(),
            selected: 0,
            current: None,
            initial: 0,
        };
        field.reselect();
        field.initial = field.selected;
        field
    }

    /// A dialog's field: opens on the profile's region, with an empty filter.
    pub(crate) fn editing(current: Option<&str>) -> RegionField {
        let mut field = RegionField {
            filter: TextField::default(),
            selected: 0,
            current: Some(current.map(str::to_string)),
            initial: 0,
        };
        field.reselect();
        field.initial = field.selected;
        field
    }

    pub(crate) fn filter(&self) -> &TextField {
        &self.filter
    }

    pub(crate) fn selected_index(&self) -> usize {
        self.selected
    }

    fn editing_value(&self) -> Option<&str> {
        self.current.as_ref().and_then(|c| c.as_deref())
    }

    /// The rows matching the filter: with nothing typed, "not set" and the current value
    /// (where a region is edited) and every region; else the regions whose code or name
    /// holds what is typed, the exact code first.
    pub(crate) fn entries(&self) -> Vec<Entry<'_>> {
        let typed = self.filter.trimmed().to_ascii_lowercase();
        if typed.is_empty() {
            let unset = self.current.is_some().then_some(Entry::Unset);
            let unlisted = self
                .editing_value()
                .filter(|value| regions::find(value).is_none())
                .map(Entry::Current);
            return unset
                .into_iter()
                .chain(unlisted)
                .chain(regions::all().iter().map(Entry::Known))
                .collect();
        }
        let mut found: Vec<&'static KnownRegion> = regions::all()
            .iter()
            .filter(|r| {
                r.code.contains(&typed) || r.description.to_ascii_lowercase().contains(&typed)
            })
            .collect();
        found.sort_by_key(|r| r.code != typed);
        found.into_iter().map(Entry::Known).collect()
    }

    /// With nothing typed: the current value's row (else `us-east-1` in the wizard); with
    /// a filter: its first match.
    fn reselect(&mut self) {
        if !self.filter.trimmed().is_empty() {
            self.selected = 0;
            return;
        }
        let wanted = |entry: &Entry| match (self.current.as_ref(), entry) {
            (Some(None), Entry::Unset) => true,
            (Some(Some(value)), Entry::Current(v)) => v == value,
            (Some(Some(value)), Entry::Known(r)) => r.code == value,
            (None, Entry::Known(r)) => r.code == DEFAULT_REGION,
            _ => false,
        };
        self.selected = self.entries().iter().position(wanted).unwrap_or(0);
    }

    /// Whether the field still holds what it opened with.
    pub(crate) fn unchanged(&self) -> bool {
        self.filter.is_empty() && self.selected == self.initial
    }

    /// The region to save (`None`: not set), or why the typed one cannot be.
    pub(crate) fn choice(&self) -> Result<Option<String>, String> {
        match self.entries().get(self.selected) {
            Some(Entry::Unset) => Ok(None),
            Some(Entry::Current(value)) => Ok(Some(value.to_string())),
            Some(Entry::Known(region)) => Ok(Some(region.code.to_string())),
            None => {
                let typed = self.filter.trimmed();
                validate::region(typed)
                    .map(|_| Some(typed.to_string()))
                    .map_err(|e| e.0)
            }
        }
    }

    pub(crate) fn verdict(&self) -> Verdict {
        match self.choice() {
            Err(problem) => Verdict::Bad(problem),
            Ok(None) => Verdict::Caution(
                "no region: aws commands will need --region (or AWS_REGION)".into(),
            ),
            Ok(Some(code)) => match regions::find(&code) {
                Some(known) => Verdict::Good(format!("{} · {}", known.code, known.description)),
                None if self.unchanged() => Verdict::Good(format!("{code} · as it is now")),
                None => Verdict::Good(format!("{code} (not in credwiz's list; well-formed)")),
            },
        }
    }

    /// ↑ / ↓ in the list.
    pub(crate) fn step(&mut self, delta: isize) {
        let count = self.entries().len();
        if count == 0 {
            return;
        }
        self.selected = (self.selected as isize + delta).clamp(0, count as isize - 1) as usize;
    }

    /// An editing key for the filter.
    pub(crate) fn handle(&mut self, key: KeyEvent) {
        if self.filter.handle(key) {
            self.reselect();
        }
    }

    /// See [`TextField::paste`].
    #[must_use]
    pub(crate) fn paste(&mut self, text: &str) -> bool {
        let pasted = self.filter.paste(text);
        self.reselect();
        pasted
    }

    pub(crate) fn set(&mut self, text: &str) {
        self.filter.set(text);
        self.reselect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    fn typed(field: &mut RegionField, text: &str) {
        for c in text.chars() {
            field.handle(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    #[test]
    fn a_city_finds_its_region_and_the_wizard_starts_at_us_east_1() {
        let mut field = RegionField::required();
        assert_eq!(field.choice(), Ok(Some("us-east-1".into())));
        typed(&mut field, "frankfurt");
        assert_eq!(field.choice(), Ok(Some("eu-central-1".into())));
    }

    #[test]
    fn editing_opens_on_the_current_value_and_typing_filters_instead_of_appending() {
        let mut field = RegionField::editing(Some("us-east-1"));
        assert!(field.filter().is_empty());
        assert_eq!(field.choice(), Ok(Some("us-east-1".into())));
        assert!(field.unchanged());
        typed(&mut field, "frankfurt");
        assert_eq!(field.choice(), Ok(Some("eu-central-1".into())));
        assert!(!field.unchanged());
    }

    #[test]
    fn an_unchanged_value_is_kept_even_when_it_is_not_an_aws_region() {
        let field = RegionField::editing(Some("auto"));
        assert_eq!(field.entries()[1], Entry::Current("auto"));
        assert_eq!(field.choice(), Ok(Some("auto".into())));
        assert!(!field.verdict().is_bad());
        let mut moved = RegionField::editing(Some("auto"));
        moved.step(1);
        assert_eq!(moved.choice(), Ok(Some("af-south-1".into())));
        moved.step(-2);
        assert_eq!(moved.choice(), Ok(None), "the first row is `not set`");
    }

    #[test]
    fn a_profile_without_a_region_opens_on_not_set() {
        let field = RegionField::editing(None);
        assert_eq!(field.entries()[0], Entry::Unset);
        assert_eq!(field.choice(), Ok(None));
        assert!(matches!(field.verdict(), Verdict::Caution(_)));
    }

    #[test]
    fn a_well_formed_unlisted_region_is_accepted_as_typed() {
        let mut field = RegionField::required();
        typed(&mut field, "xx-nowhere-9");
        assert_eq!(field.choice(), Ok(Some("xx-nowhere-9".into())));
        let mut bad = RegionField::required();
        typed(&mut bad, "us-east-1a");
        assert!(bad.choice().unwrap_err().contains("availability zone"));
    }
}
