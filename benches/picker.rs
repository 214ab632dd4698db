//! The picker on 10,000 profiles in each file: time from start (reading the files) to
//! the first frame, the findings worked out after it, and from one filter keystroke to
//! the re-rendered frame.
//! Run: cargo bench --bench picker

mod common;

use std::hint::black_box;

use credwiz::tui::picker::{Mode, Msg, Picker, data, view};
use credwiz::tui::theme::Theme;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn bench(c: &mut Criterion) {
    let (_dir, store) = common::files();
    let theme = Theme::plain();
    let no_env = |_: &str| None;
    // As the runner opens it: the rows, then the first frame; doctor's findings follow.
    c.bench_function("picker: start to first frame (10k profiles)", |b| {
        b.iter(|| {
            let data = data::rows(&store, &no_env).unwrap();
            let picker = Picker::new(data, Mode::Manage, None);
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
            terminal.draw(|f| view::render(f, &picker, &theme)).unwrap();
            black_box(terminal);
        })
    });
    c.bench_function(
        "picker: the findings after the first frame (10k profiles)",
        |b| b.iter(|| black_box(data::findings_of(&store, &no_env).unwrap())),
    );
    let data = data::load(&store, &no_env).unwrap();
    let mut picker = Picker::new(data, Mode::Manage, None);
    picker.update(key('/'));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    c.bench_function("picker: filter keystroke to frame (10k profiles)", |b| {
        let mut typed = 0;
        b.iter(|| {
            // Alternate typing and deleting so the filter stays short and matching.
            let msg = if typed % 2 == 0 {
                key('9')
            } else {
                Msg::Key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE))
            };
            typed += 1;
            picker.update(msg);
            terminal.draw(|f| view::render(f, &picker, &theme)).unwrap();
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
