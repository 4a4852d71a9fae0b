//! How long each stage of a run took, for `build --timings` and the benchmark.

use std::time::{Duration, Instant};

/// Stage durations, in order.
#[derive(Debug, Clone)]
pub struct Timings {
    /// Each stage's name (`load`, `render`) and how long it took, in the order run.
    pub stages: Vec<(&'static str, Duration)>,
    clock: Instant,
}

impl Default for Timings {
    fn default() -> Self {
        Timings { stages: Vec::new(), clock: Instant::now() }
    }
}

impl Timings {
    /// Records the time since the last lap (or the start) as `stage`.
    pub fn lap(&mut self, stage: &'static str) {
        self.stages.push((stage, self.clock.elapsed()));
        self.clock = Instant::now();
    }
}

impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> =
            self.stages.iter().map(|(stage, d)| format!("{stage} {:.1} ms", d.as_secs_f64() * 1e3)).collect();
        f.write_str(&parts.join(", "))
    }
}
