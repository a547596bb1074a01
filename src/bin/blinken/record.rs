//! `blinken record`: plays a program on the virtual clock, with no hardware and no
//! server, and prints its timeline or draws its picture.

use std::path::Path;

use blinken::output::{Picture, Recorder};
use blinken::spec::{Limits, Presets};
use blinken::{Driver, VirtualClock};

use crate::args::RecordArgs;
use crate::error::{Failed, print};
use crate::pixel::CliPixel;
use crate::program::Program;
use crate::shape::Shape;

pub fn run(args: &RecordArgs) -> Result<(), Failed> {
    let shape = match (args.board, args.strip, args.output_len) {
        (Some(_), _, _) => Shape::Talk,
        (_, Some(_), _) => Shape::Seeds,
        (_, _, Some(n)) => Shape::Strip(n),
        _ => {
            return Err(Failed::usage(
                "record needs the LEDs to play on: --board talk, --strip seeds or --output-len N",
            ));
        }
    };
    let program = Program::read(&args.program)?;
    let presets = presets(args.presets.as_deref())?;
    match shape {
        Shape::Talk => record::<bool>(&program, shape, &presets, args),
        Shape::Seeds => record::<blinken::Dot>(&program, shape, &presets, args),
        Shape::Strip(_) => record::<blinken::RGB8>(&program, shape, &presets, args),
    }
}

/// The built-in presets and those of `dir`.
pub fn presets(dir: Option<&Path>) -> Result<Presets, Failed> {
    let mut presets = Presets::builtin();
    if let Some(dir) = dir {
        presets.load_dir(dir, &Limits::default()).map_err(|e| {
            Failed::because(format!("--presets {}: could not load the presets", dir.display()), e)
        })?;
    }
    Ok(presets)
}

fn record<P: CliPixel>(
    program: &Program,
    shape: Shape,
    presets: &Presets,
    args: &RecordArgs,
) -> Result<(), Failed> {
    let layout = shape.layout();
    let animation = program.build::<P>(&layout, presets)?;
    let mut driver = Driver::new(Recorder::<P>::with_len(layout.len()), VirtualClock::new());
    driver.run_for(&animation, args.seconds).map_err(|e| {
        Failed::because(format!("the program could not play on {}", shape.describe()), e)
    })?;
    let recorder = driver.output();
    let picture = Picture::new(recorder).until(args.seconds);
    if let Some(path) = &args.svg {
        std::fs::write(path, picture.svg())
            .map_err(|e| Failed::because(format!("could not write {}", path.display()), e))?;
    }
    if let Some(path) = &args.png {
        write_png(&picture, path)?;
    }
    if args.svg.is_none() && args.png.is_none() {
        print(&if args.hex { recorder.render_hex() } else { recorder.render() })?;
    }
    Ok(())
}

#[cfg(feature = "png")]
fn write_png<P: CliPixel>(picture: &Picture<'_, P>, path: &Path) -> Result<(), Failed> {
    let shown = path.display();
    let file = std::fs::File::create(path)
        .map_err(|e| Failed::because(format!("could not create {shown}"), e))?;
    picture
        .write_png(std::io::BufWriter::new(file))
        .map_err(|e| Failed::because(format!("could not write {shown}"), e))
}

#[cfg(not(feature = "png"))]
fn write_png<P: CliPixel>(_: &Picture<'_, P>, path: &Path) -> Result<(), Failed> {
    Err(Failed::new(format!(
        "--png {} needs a build with the feature png (cargo install blinken --features cli,png); \
         --svg draws the same picture",
        path.display()
    )))
}
