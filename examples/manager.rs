//! The seeds' "animation manager", without processes: a manager thread swaps the
//! playing animation through a `PlayerHandle`, and the player swaps it in within
//! microseconds instead of killing one process and spawning another.
//!
//! ```text
//! cargo run --example manager               # swaps demos by itself every 2 s, for 12 s
//! cargo run --example manager -- --stdin    # type: smiley, any, cycle, blink, stop, clear, quit
//! ```
//!
//! The log of events, with how long each swap took, is printed when it ends (printing
//! while the terminal simulator draws would tear its picture).

mod common;

use std::fmt::Write as _;
use std::io::BufRead;
use std::process::ExitCode;
use std::time::Duration;

use blinken::prelude::*;
use blinken::{Event, Player, demos};

/// A named program, built fresh for each play.
fn program(name: &str) -> Option<BoxAnimation<bool>> {
    Some(match name {
        "smiley" => demos::smiley().boxed(),
        "any" => demos::any_demo().boxed(),
        "cycle" => demos::cycle_demo().boxed(),
        "blink" => demos::my_blink().boxed(),
        "ring" => cycle(Matrix::talk().outer_ring(), ms(60)).boxed(),
        _ => return None,
    })
}

fn main() -> ExitCode {
    let args = match common::Args::parse(&[]) {
        Ok(args) => args,
        Err(message) => return common::usage("manager", &message),
    };
    let from_stdin = args.extra.iter().any(|(flag, _)| flag == "--stdin");
    let run_for = args.play_for.unwrap_or(Duration::from_secs(12));
    let board = Matrix::talk();
    let player = match Player::spawn(Terminal::for_matrix(&board), SystemClock::new()) {
        Ok(player) => player,
        Err(error) => {
            return common::report(&common::Failed::because(
                "cannot start the player thread",
                error,
            ));
        }
    };
    let handle = player.handle();
    let events = handle.events();
    if let Err(error) = common::stop_on_ctrl_c(&handle) {
        common::report(&*error);
    }

    // The manager: another thread that only holds a handle.
    let manager = {
        let handle = handle.clone();
        std::thread::spawn(move || {
            let mut requested = Vec::new();
            let mut play = |name: &str| match program(name) {
                Some(animation) => {
                    let asked = SystemClock::monotonic_now();
                    match handle.play_boxed(animation) {
                        Ok(id) => requested.push((id, name.to_owned(), asked)),
                        Err(error) => {
                            eprintln!("manager: {name}: {error}");
                            // Keeps the message above the simulator's next frame.
                            Terminal::note_foreign_output();
                        }
                    }
                }
                None => {
                    eprintln!("manager: unknown program {name:?}");
                    Terminal::note_foreign_output();
                }
            };
            if from_stdin {
                for line in std::io::stdin().lock().lines().map_while(Result::ok) {
                    match line.trim() {
                        "quit" => break,
                        "stop" => drop(handle.stop()),
                        "clear" => drop(handle.clear()),
                        "" => {}
                        name => play(name),
                    }
                }
            } else {
                let started = std::time::Instant::now();
                for name in ["smiley", "any", "cycle", "ring", "blink"].iter().cycle() {
                    if started.elapsed() >= run_for {
                        break;
                    }
                    play(name);
                    std::thread::sleep(
                        Duration::from_secs(2).min(run_for.saturating_sub(started.elapsed())),
                    );
                }
            }
            requested
        })
    };
    let requested = manager.join().unwrap_or_default();
    let shutdown = common::shutdown(player);

    let mut log = String::from("manager: event log\n");
    while let Some(event) = events.recv() {
        if let Event::Started { id, at } = &event {
            if let Some((_, name, asked)) = requested.iter().find(|(r, _, _)| r == id) {
                let swap = at.saturating_duration_since(*asked);
                let _ = writeln!(
                    log,
                    "  {at} {id} {name}: started {} µs after play()",
                    swap.as_micros()
                );
                continue;
            }
        }
        let _ = writeln!(log, "  {} {event:?}", event.at());
    }
    match shutdown.and_then(|()| common::print(&log)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => common::report(&error),
    }
}
