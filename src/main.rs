use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    credwiz::cli::run(credwiz::cli::Cli::parse())
}
