//! A choice among a few values (the output format), with a note beside each.

/// One value to choose; `value` is `None` for "not set".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    pub(crate) value: Option<String>,
    pub(crate) note: String,
}

#[derive(Debug, Clone)]
pub(crate) struct ChoiceField {
    options: Vec<Item>,
    selected: usize,
    initial: usize,
}

impl ChoiceField {
    /// Selects the option whose value is `current`, else the first.
    pub(crate) fn new(options: Vec<Item>, current: Option<&str>) -> ChoiceField {
        let selected = options
            .iter()
            .position(|o| o.value.as_deref() == current)
            .unwrap_or(0);
        ChoiceField {
            options,
            selected,
            initial: selected,
        }
    }

    pub(crate) fn options(&self) -> &[Item] {
        &self.options
    }

    pub(crate) fn selected_index(&self) -> usize {
        self.selected
    }

    pub(crate) fn selected(&self) -> &Item {
        &self.options[self.selected]
    }

    pub(crate) fn changed(&self) -> bool {
        self.selected != self.initial
    }

    /// Moves the selection by `delta`, wrapping around when `wrap`.
    pub(crate) fn step(&mut self, delta: isize, wrap: bool) {
        let count = self.options.len() as isize;
        let next = self.selected as isize + delta;
        self.selected = if wrap {
            next.rem_euclid(count) as usize
        } else {
            next.clamp(0, count - 1) as usize
        };
    }

    /// Selects `value` if it is one of the options; whether it was.
    pub(crate) fn select(&mut self, value: &str) -> bool {
        match self
            .options
            .iter()
            .position(|o| o.value.as_deref() == Some(value))
        {
            Some(i) => {
                self.selected = i;
                true
            }
            None => false,
        }
    }
}
