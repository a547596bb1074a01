//! A button switches animations: each press plays the next of the talk's six demos, a
//! long press stops.
//!
//! ```text
//! cargo run --example button                  # terminal: Enter presses the button,
//!                                             # `l` Enter is a long press (stop), `q` Enter quits
//! cargo run --example button -- --record 5    # exact timeline: a scripted button on the virtual clock
//! cargo run --example button --features gpiocdev -- --button /dev/gpiochip0:26
//!                                             # a real button on line 26 (free on the talk's board), wired to ground
//! ```
//!
//! With `--record`, the program itself waits for the presses
//! (`until(&button, demo).then(until(&button, next))...`), pressed every second;
//! otherwise a [`Binding`] sends the player the next demo at every press.

mod common;

use std::any::Any;
use std::error::Error;
use std::io::BufRead;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use blinken::input::{Binding, Edge, EdgeKind, Input};
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
                "options: [--record SECONDS] [--svg FILE] [--png FILE] [--button CHIP:LINE]",
            );
        }
    };
    let button = args.extra.iter().find(|(flag, _)| flag == "--button").map(|(_, v)| v.clone());
    let result = if args.records() { record(&args) } else { play(button) };
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
    let program = sequence(presets().map(|demo| until(&button, demo())));
    common::record_and_draw(&program, 25, args)?;
    Ok(())
}

/// A player on the terminal simulator, bound to the button.
fn play(button: Option<Option<String>>) -> Result<(), Box<dyn Error>> {
    common::hint_if_not_a_terminal("button");
    let board = Matrix::talk();
    let player = Player::spawn(Terminal::for_matrix(&board), SystemClock::new())?;
    let (input, keep) = match button {
        Some(spec) => gpio_button(spec)?,
        None => (Input::new(), None),
    };
    let from_keyboard = keep.is_none();
    let mut binding = Binding::new(&input).long_press_stops(ms(500));
    for preset in presets() {
        binding = binding.preset(preset);
    }
    let bound = binding.spawn(player.handle())?;
    // Ctrl-C, `q` or the end of standard input ends the example.
    let done = Arc::new(AtomicBool::new(false));
    {
        let done = Arc::clone(&done);
        ctrlc::set_handler(move || done.store(true, Ordering::Release))?;
    }
    if from_keyboard {
        let (input, done) = (input.clone(), Arc::clone(&done));
        std::thread::spawn(move || {
            keyboard(&input);
            done.store(true, Ordering::Release);
        });
    }
    while !done.load(Ordering::Acquire) {
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(keep); // a GPIO button lets its line go
    input.close(); // the binding ends
    let _ = bound.join();
    common::shutdown(player)?;
    Ok(())
}

/// Enter is a short press; `l` Enter a long one; `q` Enter (or the end of input) quits.
fn keyboard(input: &Input) {
    let now = || SystemClock::new().now();
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let held = match line.trim() {
            "q" => break,
            "l" => secs(1),
            _ => ms(50),
        };
        let pressed = now();
        input.push(Edge::press(pressed));
        input.push(Edge::release(pressed + held));
    }
}

/// A button's input, and what must stay alive for its edges to keep coming (a
/// `GpioInput`; nothing for the keyboard).
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
