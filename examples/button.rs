//! A button switches animations: each press plays the next of the talk's six demos.
//!
//! ```text
//! cargo run --example button                  # terminal: keys are the button (below)
//! cargo run --example button -- --record 5    # exact timeline: a scripted button on the virtual clock
//! cargo run --example button --features gpiocdev -- --button /dev/gpiochip0:26
//!                                             # a real button on line 26 (free on the talk's board), wired to ground
//! printf '   q' | cargo run --example button   # keys from a pipe: three presses, then quit
//! ```
//!
//! Keys (read one at a time, the terminal in raw mode; from a pipe, byte by byte):
//! space, Enter or `n` is a press of the button (the next demo), `o` flashes the outer
//! ring for a second over whatever plays (a temporary overlay: the demo underneath goes
//! on, untouched), `s` stops, `q` or Ctrl-C quits, and so does the end of standard input. A key cannot be held in a
//! terminal, so the long press (stop) needs a real button: held for half a second,
//! it stops the player while still down.
//!
//! With `--record`, the program itself waits for the presses
//! (`demo.until(&button).then(next.until(&button))...`), pressed every second;
//! otherwise a [`Binding`] sends the player the next demo at every press.

mod common;

use std::any::Any;
use std::error::Error;
use std::process::ExitCode;
use std::time::Duration;

use blinken::input::{Binding, Edge, EdgeKind, Input, Key, KeyMap, Keys};
use blinken::prelude::*;
use blinken::{Player, demos};

/// The talk's six demos, which a press steps through.
fn presets() -> [fn() -> BoxAnimation<bool>; 6] {
    [
        || demos::all_demo().boxed(),
        || demos::any_demo().boxed(),
        || demos::any_on_demo().boxed(),
        || demos::my_blink().boxed(),
        || demos::cycle_demo().boxed(),
        || demos::smiley().boxed(),
    ]
}

fn main() -> ExitCode {
    let args = match common::Args::parse(&["--button"]) {
        Ok(args) => args,
        Err(message) => {
            return common::usage_with(
                "button",
                &message,
                "options: [--record SECONDS] [--svg FILE] [--png FILE] [--for SECONDS] [--button CHIP:LINE]",
            );
        }
    };
    let button = args.extra.iter().find(|(flag, _)| flag == "--button").map(|(_, v)| v.clone());
    let result = if args.records() { record(&args) } else { play(button, args.play_for) };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => common::report(&*error),
    }
}

/// The program waits for a scripted button: exact on the virtual clock.
fn record(args: &common::Args) -> Result<(), Box<dyn Error>> {
    let at = |s: u64| Instant::ZERO + secs(s);
    let button = Input::scripted(
        [1, 2, 3, 4, 5]
            .into_iter()
            .flat_map(|s| [(at(s), EdgeKind::Press), (at(s) + ms(80), EdgeKind::Release)]),
    );
    let program = sequence(presets().map(|demo| demo().until(&button)));
    common::record_and_draw(&program, 25, args)?;
    Ok(())
}

/// The keys, as the help line shows them.
const KEYS: &str =
    "space, Enter or n: next demo · o: flash (an overlay) · s: stop · q or Ctrl-C: quit";

/// A player on the terminal simulator, bound to the button and the keys.
fn play(button: Option<Option<String>>, play_for: Option<Duration>) -> Result<(), Box<dyn Error>> {
    common::hint_if_not_a_terminal("button");
    let (input, keep) = match button {
        Some(spec) => gpio_button(spec)?,
        None => (Input::new(), None),
    };
    // The keys press the same input as the GPIO button (both on CLOCK_MONOTONIC).
    let (stop, flash) = (Input::new(), Input::new());
    let map = KeyMap::new()
        .bind(' ', &input)
        .bind(Key::Enter, &input)
        .bind('n', &input)
        .bind('o', &flash)
        .bind('s', &stop);
    let keys = Keys::new(map)?;
    eprintln!("button: {KEYS}");
    let board = Matrix::talk();
    let player = Player::spawn(Terminal::for_matrix(&board), SystemClock::new())?;
    let mut binding = Binding::new(&input).long_press_stops(ms(500));
    for preset in presets() {
        binding = binding.preset(preset);
    }
    let bound = binding.spawn(player.handle())?;
    let ring = board.outer_ring();
    let flashing = Binding::new(&flash)
        .overlay(move || blink(ring.clone(), ms(100)).timeout(secs(1)).boxed())
        .spawn(player.handle())?;
    let stopper = {
        let (edges, handle) = (stop.subscribe(), player.handle());
        std::thread::spawn(move || {
            for _press in edges.filter(|edge| edge.kind == EdgeKind::Press) {
                let _ = handle.stop();
            }
        })
    };
    // Ctrl-C quits too when the terminal is not in raw mode (a pipe on stdin).
    {
        let quit = keys.quit().clone();
        ctrlc::set_handler(move || quit.push(Edge::press(SystemClock::new().now())))?;
    }
    let give_up = play_for.map(|d| std::time::Instant::now() + d);
    let mut quit = keys.quit().subscribe();
    while !keys.is_quit() && give_up.is_none_or(|t| std::time::Instant::now() < t) {
        quit.next_timeout(Duration::from_millis(50));
    }
    drop(keys); // the terminal as it was
    drop(keep); // a GPIO button lets its line go
    input.close(); // the binding ends
    stop.close(); // and the stopper
    flash.close(); // and the flash's binding
    let _ = bound.join();
    let _ = flashing.join();
    let _ = stopper.join();
    common::shutdown(player)?;
    Ok(())
}

/// A button's input, and what must stay alive for its edges to keep coming (a
/// `GpioInput`; nothing for the keys alone).
type Button = (Input, Option<Box<dyn Any>>);

/// The input of a button on `CHIP:LINE`, and the `GpioInput` that must stay alive
/// for its edges to keep coming.
#[cfg(feature = "gpiocdev")]
fn gpio_button(spec: Option<String>) -> Result<Button, Box<dyn Error>> {
    use blinken::input::{Bias, GpioInput};
    let spec = spec.ok_or("--button needs CHIP:LINE, e.g. --button /dev/gpiochip0:26")?;
    let (chip, line) = spec
        .rsplit_once(':')
        .and_then(|(chip, line)| Some((chip, line.parse::<u32>().ok()?)))
        .ok_or_else(|| format!("--button {spec}: expected CHIP:LINE, e.g. /dev/gpiochip0:26"))?;
    // A button from the line to ground: pulled up, pressed is low; 10 ms of debounce.
    let button = GpioInput::builder(chip, line)
        .bias(Bias::PullUp)
        .active_low(true)
        .debounce(ms(10))
        .request()?;
    Ok((button.input().clone(), Some(Box::new(button))))
}

#[cfg(not(feature = "gpiocdev"))]
fn gpio_button(_: Option<String>) -> Result<Button, Box<dyn Error>> {
    Err("--button needs a build with `--features gpiocdev`".into())
}
