//! `e`: a profile's region (the region list, filtered by code or name) and output
//! format. A value left as it was is written as it was: saving changes only what the
//! user changed, so `region = auto` does not stop the output format from changing.

use ratatui::crossterm::event::KeyEvent;

use super::{Action, LEFT, NEXT_FIELD, Outcome, PREVIOUS_FIELD, RIGHT, save_and_cancel};
use crate::tui::form::{ChoiceField, ChoiceItem, RegionField, Verdict};
use crate::tui::keys::{self, Binding, Shown};
use crate::tui::picker::{Change, Effect};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Region,
    Output,
}

#[derive(Debug)]
pub struct Edit {
    pub(crate) name: String,
    pub(crate) region: RegionField,
    pub(crate) output: ChoiceField,
    pub(crate) focus: Field,
}

/// "not set", the formats, and the profile's own value if it is none of them.
fn output_choices(current: Option<&str>) -> Vec<ChoiceItem> {
    let mut choices = vec![ChoiceItem {
        value: None,
        note: "the AWS CLI prints JSON".into(),
    }];
    choices.extend(crate::tui::wizard::output_choices());
    if let Some(current) = current
        && !choices.iter().any(|c| c.value.as_deref() == Some(current))
    {
        choices.push(ChoiceItem {
            value: Some(current.to_string()),
            note: "as it is now (the AWS CLI refuses it)".into(),
        });
    }
    choices
}

impl Edit {
    pub(crate) fn new(name: &str, region: Option<&str>, output: Option<&str>) -> Edit {
        Edit {
            name: name.to_string(),
            region: RegionField::editing(region),
            output: ChoiceField::new(output_choices(output), output),
            focus: Field::Region,
        }
    }

    pub(crate) fn verdict(&self) -> Verdict {
        self.region.verdict()
    }

    pub(crate) fn bindings(&self) -> Vec<Binding<Action>> {
        let mut table = vec![
            Binding::new(NEXT_FIELD, "Tab", "switch", Action::NextField)
                .explained("region ↔ output"),
            Binding::new(PREVIOUS_FIELD, "Shift+Tab", "switch", Action::PreviousField)
                .shown(Shown::Hidden),
            Binding::new(keys::UP, "↑↓", "choose", Action::Up),
            Binding::new(keys::DOWN, "↓", "choose", Action::Down).shown(Shown::Hidden),
        ];
        if self.focus == Field::Output {
            table.extend([
                Binding::new(LEFT, "←", "choose", Action::Left).shown(Shown::Hidden),
                Binding::new(RIGHT, "→", "choose", Action::Right).shown(Shown::Hidden),
            ]);
        }
        table.extend(save_and_cancel("save"));
        table
    }

    pub(crate) fn on(&mut self, action: Option<Action>, key: KeyEvent) -> Outcome {
        match (action, self.focus) {
            (Some(Action::Cancel), _) => return Outcome::Closed,
            (Some(Action::Save), _) => return self.save(),
            (Some(Action::NextField | Action::PreviousField), Field::Region) => {
                self.focus = Field::Output
            }
            (Some(Action::NextField | Action::PreviousField), Field::Output) => {
                self.focus = Field::Region
            }
            (Some(Action::Up), Field::Region) => self.region.step(-1),
            (Some(Action::Down), Field::Region) => self.region.step(1),
            (Some(Action::Up | Action::Left), Field::Output) => self.output.step(-1, true),
            (Some(Action::Down | Action::Right), Field::Output) => self.output.step(1, true),
            (_, Field::Region) => self.region.handle(key),
            _ => {}
        }
        Outcome::Open
    }

    fn save(&mut self) -> Outcome {
        let region = match self.region.choice() {
            Err(_) => {
                self.focus = Field::Region;
                return Outcome::Open;
            }
            Ok(_) if self.region.unchanged() => Change::Keep,
            Ok(Some(region)) => Change::Set(region),
            Ok(None) => Change::Remove,
        };
        let output = match &self.output.selected().value {
            _ if !self.output.changed() => Change::Keep,
            Some(output) => Change::Set(output.clone()),
            None => Change::Remove,
        };
        if region == Change::Keep && output == Change::Keep {
            return Outcome::Closed;
        }
        Outcome::Done(Effect::Edit {
            name: self.name.clone(),
            region,
            output,
        })
    }

    pub(crate) fn on_paste(&mut self, text: &str) {
        // A paste holding a secret is dropped (the field is shown in clear).
        if self.focus == Field::Region {
            let _ = self.region.paste(text);
        }
    }
}
