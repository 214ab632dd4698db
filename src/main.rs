use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    credwiz::process::start();
    let code = credwiz::cli::run(credwiz::cli::Cli::parse());
    credwiz::process::die_if_signalled();
    code
}
