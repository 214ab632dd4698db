//! A region typed or chosen from the list credwiz knows, filtered by code or name as the
//! user types (`frankfurt` finds eu-central-1). A well-formed region missing from the
//! list is accepted as typed; the value the field started with is kept as it is, even
//! one that is not an AWS region (an S3-compatible service's `auto`).

use ratatui::crossterm::event::KeyEvent;

use super::{TextField, Verdict};
use crate::domain::regions::{self, KnownRegion};
use crate::domain::validate;

/// One row of the list: a region, or "not set" (offered where a region may be removed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry {
    Unset,
    Known(&'static KnownRegion),
}

#[derive(Debug, Clone)]
pub(crate) struct RegionField {
    filter: TextField,
    selected: usize,
    /// The selection was moved since the field opened.
    moved: bool,
    /// Whether the list offers "not set".
    can_unset: bool,
}

/// Selected in the full list when nothing is typed and nothing was set.
pub(crate) const DEFAULT_REGION: &str = "us-east-1";

impl RegionField {
    /// The wizard's field: a region must be chosen; `us-east-1` is preselected.
    pub(crate) fn required() -> RegionField {
        let mut field = RegionField {
            filter: TextField::default(),
            selected: 0,
            moved: false,
            can_unset: false,
        };
        field.reselect();
        field
    }

    /// A dialog's field: starts at the profile's region; the list offers "not set".
    pub(crate) fn editing(current: Option<&str>) -> RegionField {
        let mut field = RegionField {
            filter: TextField::new(current.unwrap_or_default()),
            selected: 0,
            moved: false,
            can_unset: true,
        };
        field.reselect();
        field
    }

    pub(crate) fn filter(&self) -> &TextField {
        &self.filter
    }

    pub(crate) fn selected_index(&self) -> usize {
        self.selected
    }

    /// The rows matching the filter: exact code first, then in table order.
    pub(crate) fn entries(&self) -> Vec<Entry> {
        let typed = self.filter.trimmed().to_ascii_lowercase();
        if typed.is_empty() {
            let unset = self.can_unset.then_some(Entry::Unset);
            return unset
                .into_iter()
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

    fn reselect(&mut self) {
        let entries = self.entries();
        self.selected = if self.filter.trimmed().is_empty() && !self.can_unset {
            entries
                .iter()
                .position(|e| matches!(e, Entry::Known(r) if r.code == DEFAULT_REGION))
                .unwrap_or(0)
        } else {
            0
        };
    }

    /// Whether the user left the field as it opened.
    pub(crate) fn unchanged(&self) -> bool {
        !self.filter.changed() && !self.moved
    }

    /// The region to save (`None`: not set), or why the typed one cannot be.
    pub(crate) fn choice(&self) -> Result<Option<String>, String> {
        let typed = self.filter.trimmed();
        if self.unchanged() && self.can_unset {
            return Ok((!typed.is_empty()).then(|| typed.to_string()));
        }
        match self.entries().get(self.selected) {
            Some(Entry::Unset) => Ok(None),
            Some(Entry::Known(region)) => Ok(Some(region.code.to_string())),
            None => validate::region(typed)
                .map(|_| Some(typed.to_string()))
                .map_err(|e| e.0),
        }
    }

    pub(crate) fn verdict(&self) -> Verdict {
        match self.choice() {
            Err(problem) => Verdict::Bad(problem),
            Ok(None) => Verdict::Good("no region: commands need --region or AWS_REGION".into()),
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
        self.moved = true;
    }

    /// An editing key for the filter.
    pub(crate) fn handle(&mut self, key: KeyEvent) {
        if self.filter.handle(key) {
            self.reselect();
        }
    }

    pub(crate) fn paste(&mut self, text: &str) {
        self.filter.paste(text);
        self.reselect();
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
    fn an_unchanged_value_is_kept_even_when_it_is_not_an_aws_region() {
        let field = RegionField::editing(Some("auto"));
        assert_eq!(field.choice(), Ok(Some("auto".into())));
        assert!(!field.verdict().is_bad());
        let mut changed = RegionField::editing(Some("auto"));
        typed(&mut changed, "x");
        assert!(changed.choice().is_err(), "`autox` is judged");
    }

    #[test]
    fn an_emptied_dialog_field_offers_not_set_first() {
        let mut field = RegionField::editing(Some("eu-west-1"));
        for _ in 0..9 {
            field.handle(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
        }
        assert_eq!(field.entries()[0], Entry::Unset);
        assert_eq!(field.choice(), Ok(None));
        field.step(1);
        assert!(field.choice().unwrap().is_some());
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
