//! A player handle inside an async program (tokio here; the handle needs no runtime):
//! await the end of one animation, swap on timers, consume events as a `Stream`.
//!
//! ```text
//! cargo run --example async_control
//! ```

mod common;

use std::error::Error;
use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use blinken::prelude::*;
use blinken::{Event, Player, demos};
use futures::StreamExt;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => common::report(&*error),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn run() -> Result<(), Box<dyn Error>> {
    let board = Matrix::talk();
    let player = Player::spawn(Terminal::for_matrix(&board), SystemClock::new())?;
    let handle = player.handle();

    // Events arrive as a stream, read by a task of their own.
    let mut events = handle.events();
    let log = tokio::spawn(async move {
        let mut log = Vec::new();
        while let Some(event) = events.next().await {
            log.push(event);
        }
        log
    });

    // Play one animation to its end, awaiting it without blocking the runtime.
    handle.play(demos::any_on_demo())?;
    let end = handle.wait_async().await;
    assert!(matches!(end, Ok(Event::Finished { .. })));

    // Swap on timers; each play replaces the previous one at once.
    handle.play(cycle(board.outer_ring(), ms(50)))?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    handle.play(demos::smiley())?;
    tokio::time::sleep(Duration::from_secs(3)).await;

    // Shutting down blocks for a moment (switch off, join): do it off the runtime.
    tokio::task::spawn_blocking(move || common::shutdown(player)).await??;
    let mut text = String::new();
    for event in log.await? {
        writeln!(text, "{} {event:?}", event.at())?;
    }
    common::print(&text)?;
    Ok(())
}
