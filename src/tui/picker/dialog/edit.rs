//! `e`: a profile's region and output format, and for another service's keys (R2,
//! MinIO, LocalStack…) its endpoint URL. An AWS profile's region is chosen from the
//! region list, filtered by code or name; another service's region is its own word
//! (`auto`, `nyc3`), typed, without AWS's rules. A value left as it was is written as it
//! was, and never blocks saving: `region = auto`, or an endpoint credwiz would not have
//! written, does not stop the output format from changing.

use ratatui::crossterm::event::KeyEvent;

use super::{Action, LEFT, NEXT_FIELD, Outcome, PREVIOUS_FIELD, RIGHT, save_and_cancel};
use crate::domain::service::{self, Preset};
use crate::tui::form::{ChoiceField, ChoiceItem, RegionField, TextField, Verdict, checks};
use crate::tui::keys::{self, Binding, Shown};
use crate::tui::picker::{Change, Effect};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    /// Another service's endpoint URL.
    Endpoint,
    Region,
    Output,
}

#[derive(Debug)]
pub struct Edit {
    pub(crate) name: String,
    pub(crate) target: Target,
    pub(crate) output: ChoiceField,
    pub(crate) focus: Field,
    /// Enter was pressed: an emptied endpoint says what it needs.
    attempted: bool,
}

/// Where the profile's requests go and the region they are signed for.
#[derive(Debug)]
pub(crate) enum Target {
    /// AWS: a region from the list (or a well-formed one typed).
    Aws(RegionField),
    /// Another service: its endpoint URL and its own region, free-form.
    Service(ServiceFields),
}

#[derive(Debug)]
pub(crate) struct ServiceFields {
    /// The service the endpoint was recognised as when the dialog opened.
    pub(crate) preset: &'static Preset,
    pub(crate) endpoint: TextField,
    pub(crate) region: TextField,
    /// The values the profile has (what "unchanged" means).
    was_endpoint: String,
    was_region: String,
}

impl ServiceFields {
    fn endpoint_unchanged(&self) -> bool {
        self.endpoint.trimmed() == self.was_endpoint
    }

    fn region_unchanged(&self) -> bool {
        self.region.trimmed() == self.was_region
    }

    fn endpoint_verdict(&self, attempted: bool) -> Verdict {
        let url = self.endpoint.trimmed();
        if !self.endpoint_unchanged() {
            return checks::endpoint_url(url, attempted);
        }
        match checks::endpoint_url(url, attempted) {
            Verdict::Good(said) => Verdict::Good(format!("{said} · as it is now")),
            Verdict::Bad(problem) => Verdict::Caution(format!(
                "as it is now, kept unless you change it: {problem}"
            )),
            other => other,
        }
    }

    fn region_verdict(&self) -> Verdict {
        let region = self.region.trimmed();
        if region.is_empty() {
            let now = if self.region_unchanged() {
                "not set"
            } else {
                "saving removes it"
            };
            return Verdict::Caution(format!(
                "no region ({now}): the SDKs need one to sign requests; `us-east-1` when the service does not say"
            ));
        }
        if self.region_unchanged() {
            return Verdict::Good(format!("{region} · as it is now"));
        }
        Verdict::of(service::service_region(region), |()| {
            match self.preset.region {
                Some(usual) if usual == region => {
                    format!("{region} · the region {} signs with", self.preset.name)
                }
                _ => format!("{region} · the service's own region name (any word)"),
            }
        })
    }

    /// The endpoint to save, or `None` (the focus goes there) when it cannot be.
    fn endpoint_change(&self) -> Option<Change> {
        if self.endpoint_unchanged() {
            return Some(Change::Keep);
        }
        let url = service::endpoint_url(self.endpoint.trimmed()).ok()?;
        Some(Change::Set(url.to_string()))
    }

    fn region_change(&self) -> Option<Change> {
        let region = self.region.trimmed();
        if self.region_unchanged() {
            return Some(Change::Keep);
        }
        if region.is_empty() {
            return Some(Change::Remove);
        }
        service::service_region(region).ok()?;
        Some(Change::Set(region.to_string()))
    }
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
    /// An AWS profile: region from the list, and output.
    pub(crate) fn new(name: &str, region: Option<&str>, output: Option<&str>) -> Edit {
        Edit {
            name: name.to_string(),
            target: Target::Aws(RegionField::editing(region)),
            output: ChoiceField::new(output_choices(output), output),
            focus: Field::Region,
            attempted: false,
        }
    }

    /// Another service's profile: endpoint URL, free-form region, and output.
    pub(crate) fn service(
        name: &str,
        preset: &'static Preset,
        endpoint_url: &str,
        region: Option<&str>,
        output: Option<&str>,
    ) -> Edit {
        // Compared as the field reads them (`trimmed`), so an untouched value is unchanged.
        let endpoint = TextField::new(endpoint_url);
        let region = TextField::new(region.unwrap_or(""));
        let fields = ServiceFields {
            preset,
            was_endpoint: endpoint.trimmed().to_string(),
            was_region: region.trimmed().to_string(),
            endpoint,
            region,
        };
        Edit {
            name: name.to_string(),
            target: Target::Service(fields),
            output: ChoiceField::new(output_choices(output), output),
            focus: Field::Endpoint,
            attempted: false,
        }
    }

    /// The fields, top to bottom.
    pub(crate) fn fields(&self) -> &'static [Field] {
        match self.target {
            Target::Aws(_) => &[Field::Region, Field::Output],
            Target::Service(_) => &[Field::Endpoint, Field::Region, Field::Output],
        }
    }

    /// What the focused field says (the output's choices say it beside themselves, so
    /// there the region's is shown).
    pub(crate) fn verdict(&self) -> Verdict {
        match (&self.target, self.focus) {
            (Target::Aws(region), _) => region.verdict(),
            (Target::Service(s), Field::Endpoint) => s.endpoint_verdict(self.attempted),
            (Target::Service(s), _) => s.region_verdict(),
        }
    }

    pub(crate) fn bindings(&self) -> Vec<Binding<Action>> {
        let service = matches!(self.target, Target::Service(_));
        let switch = if service {
            "endpoint → region → output"
        } else {
            "region ↔ output"
        };
        let mut table = vec![
            Binding::new(NEXT_FIELD, "Tab", "switch", Action::NextField).explained(switch),
            Binding::new(PREVIOUS_FIELD, "Shift+Tab", "switch", Action::PreviousField)
                .shown(Shown::Hidden),
        ];
        if service && self.focus != Field::Output {
            // Nothing to choose in a typed field: ↑↓ move between the fields.
            table.extend([
                Binding::new(keys::DOWN, "↓", "next", Action::NextField).shown(Shown::Hidden),
                Binding::new(keys::UP, "↑", "previous", Action::PreviousField).shown(Shown::Hidden),
            ]);
        } else {
            table.extend([
                Binding::new(keys::UP, "↑↓", "choose", Action::Up),
                Binding::new(keys::DOWN, "↓", "choose", Action::Down).shown(Shown::Hidden),
            ]);
        }
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
            (Some(Action::NextField), _) => self.move_focus(1),
            (Some(Action::PreviousField), _) => self.move_focus(-1),
            (Some(Action::Up | Action::Left), Field::Output) => self.output.step(-1, true),
            (Some(Action::Down | Action::Right), Field::Output) => self.output.step(1, true),
            (Some(Action::Up), Field::Region) => self.region_list_step(-1),
            (Some(Action::Down), Field::Region) => self.region_list_step(1),
            (_, Field::Output) => {}
            (_, field) => {
                self.attempted = false;
                if let Some(text) = self.text_field(field) {
                    text.handle(key);
                } else if let Target::Aws(region) = &mut self.target {
                    region.handle(key);
                }
            }
        }
        Outcome::Open
    }

    fn region_list_step(&mut self, delta: isize) {
        if let Target::Aws(region) = &mut self.target {
            region.step(delta);
        }
    }

    /// The typed field for `field`, for another service's profile.
    fn text_field(&mut self, field: Field) -> Option<&mut TextField> {
        match (&mut self.target, field) {
            (Target::Service(s), Field::Endpoint) => Some(&mut s.endpoint),
            (Target::Service(s), Field::Region) => Some(&mut s.region),
            _ => None,
        }
    }

    fn move_focus(&mut self, delta: isize) {
        let fields = self.fields();
        let at = fields.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        self.focus = fields[(at + delta).rem_euclid(fields.len() as isize) as usize];
    }

    fn save(&mut self) -> Outcome {
        self.attempted = true;
        let (endpoint, region) = match &self.target {
            Target::Aws(field) => {
                let region = match field.choice() {
                    Err(_) => {
                        self.focus = Field::Region;
                        return Outcome::Open;
                    }
                    Ok(_) if field.unchanged() => Change::Keep,
                    Ok(Some(region)) => Change::Set(region),
                    Ok(None) => Change::Remove,
                };
                (Change::Keep, region)
            }
            Target::Service(fields) => {
                let Some(endpoint) = fields.endpoint_change() else {
                    self.focus = Field::Endpoint;
                    return Outcome::Open;
                };
                let Some(region) = fields.region_change() else {
                    self.focus = Field::Region;
                    return Outcome::Open;
                };
                (endpoint, region)
            }
        };
        let output = match &self.output.selected().value {
            _ if !self.output.changed() => Change::Keep,
            Some(output) => Change::Set(output.clone()),
            None => Change::Remove,
        };
        if [&endpoint, &region, &output]
            .iter()
            .all(|c| **c == Change::Keep)
        {
            return Outcome::Closed;
        }
        Outcome::Done(Effect::Edit {
            name: self.name.clone(),
            endpoint,
            region,
            output,
        })
    }

    pub(crate) fn on_paste(&mut self, text: &str) {
        self.attempted = false;
        // A paste holding a secret is dropped (the fields are shown in clear).
        match (&mut self.target, self.focus) {
            (_, Field::Output) => {}
            (Target::Aws(region), _) => {
                let _ = region.paste(text);
            }
            (Target::Service(s), Field::Endpoint) => {
                let _ = s.endpoint.paste(text);
            }
            (Target::Service(s), Field::Region) => {
                let _ = s.region.paste(text);
            }
        }
    }
}
