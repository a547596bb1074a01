//! The `blinken` command: `blinken serve` runs a control server that plays programs on
//! an output (a terminal, GPIO lines, an APA102 strip, or a log of frames); the client
//! subcommands (`play`, `overlay`, `crossfade`, `stop`, `clear`, `status`, `presets`,
//! `brightness`, `watch`) talk to it; `record` plays a program on the virtual clock.
//!
//! Everything it does is a library call (`blinken::control`, `blinken::spec`,
//! `blinken::output`); this binary parses flags, builds the pieces and prints. Usage:
//! `docs/blinken-command.md`.
#![forbid(unsafe_code)]

mod args;
mod client;
mod error;
mod keys;
mod log;
mod logger;
mod pixel;
mod program;
mod record;
mod serve;
mod shape;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve::run(&args),
        Command::Record(args) => record::run(&args),
        Command::Play(args) => client::play(&args, "play"),
        Command::Overlay(args) => client::play(&args, "overlay"),
        Command::Crossfade(args) => client::crossfade(&args),
        Command::Stop(args) => client::stop(&args),
        Command::Clear(args) => client::simple(&args, "clear"),
        Command::Status(args) => client::status(&args),
        Command::Presets(args) => client::presets(&args),
        Command::Brightness(args) => client::brightness(&args),
        Command::Watch(args) => client::watch(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => error::report(&error),
    }
}
