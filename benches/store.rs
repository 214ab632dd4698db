//! Each stage of `credwiz list --json` on 10,000 profiles in each file, in-process:
//! where the time of a listing goes. Run: cargo bench --bench store
//!
//! Repeated in one process, these reuse memory the allocator already holds, so they leave
//! out most of the page faults a fresh process pays (`scripts/bench` measures that).

mod common;

use std::hint::black_box;

use credwiz::store::profiles::summaries;
use criterion::{Criterion, criterion_group, criterion_main};

fn stages(c: &mut Criterion) {
    let (_dir, store) = common::files();
    c.bench_function("store: read both files", |b| {
        b.iter(|| black_box(store.load().unwrap()))
    });
    let snapshot = store.load().unwrap();
    c.bench_function("store: parse both files", |b| {
        b.iter(|| black_box(snapshot.parse().unwrap()))
    });
    let parsed = snapshot.parse().unwrap();
    c.bench_function("store: merge into profiles", |b| {
        b.iter(|| black_box(parsed.profiles()))
    });
    let set = parsed.profiles();
    c.bench_function("store: summaries as JSON", |b| {
        let mut json = Vec::with_capacity(2 << 20);
        b.iter(|| {
            json.clear();
            for summary in summaries(&set) {
                summary.append_json(&mut json);
            }
            black_box(json.len())
        })
    });
    c.bench_function("store: warnings (lint)", |b| {
        b.iter(|| black_box(parsed.warnings(&set)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = stages
}
criterion_main!(benches);
