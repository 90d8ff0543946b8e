//! `triphase`: command-line interface of the triphase simulator.
//!
//! Thin: parse arguments, build a validated configuration, call the library, write outputs.
//! Exit codes: 0 success, 1 solver failure (partial results written), 2 bad input.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod args;
mod commands;
mod config;
mod eis;
mod error;
mod fit;
mod library;
mod output;
mod sweep;
mod validate;

use clap::Parser;

fn main() {
    let cli = args::Cli::parse();
    let command = cli
        .command
        .unwrap_or(args::Command::Run(commands::default_run_args()));
    let code = match commands::dispatch(command) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    };
    std::process::exit(code);
}
