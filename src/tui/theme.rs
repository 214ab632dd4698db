//! Colours, or none when `NO_COLOR` is set (https://no-color.org).

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub title: Style,
    pub accent: Style,
    pub ok: Style,
    pub error: Style,
    pub dim: Style,
    pub selected: Style,
    pub key: Style,
}

impl Theme {
    pub fn colored() -> Theme {
        Theme {
            title: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            accent: Style::new().fg(Color::Cyan),
            ok: Style::new().fg(Color::Green),
            error: Style::new().fg(Color::Red),
            dim: Style::new().fg(Color::DarkGray),
            selected: Style::new().fg(Color::Black).bg(Color::Cyan),
            key: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        }
    }

    pub fn plain() -> Theme {
        Theme {
            title: Style::new().add_modifier(Modifier::BOLD),
            accent: Style::new(),
            ok: Style::new(),
            error: Style::new().add_modifier(Modifier::BOLD),
            dim: Style::new(),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            key: Style::new().add_modifier(Modifier::BOLD),
        }
    }

    /// Plain when `NO_COLOR` is set to anything non-empty.
    pub fn from_env() -> Theme {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::plain(),
            _ => Theme::colored(),
        }
    }
}
