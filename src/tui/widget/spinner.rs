//! The frames of a small spinner for work running in the background.

const FRAMES: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

/// The spinner's look at tick `n`.
pub fn frame(n: usize) -> &'static str {
    FRAMES[n % FRAMES.len()]
}
