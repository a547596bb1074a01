//! The LEDs a command plays on: the talk's board, the seeds' strip, or N LEDs.

use blinken::spec::Layout;

/// The LEDs, which also decide the pixel type: the board's LEDs are on or off, the
/// seeds' strip is DotStars, any other strip is RGB colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// The talk's 5×5 board (`bool`).
    Talk,
    /// The seeds' 11 DotStar LEDs (`Dot`).
    Seeds,
    /// A strip of N colour LEDs (`RGB8`).
    Strip(usize),
}

impl Shape {
    /// How many LEDs the seeds' strip has.
    pub const SEEDS_LEDS: usize = 11;

    /// The layout specs name their LEDs in.
    pub fn layout(self) -> Layout {
        match self {
            Shape::Talk => Layout::talk(),
            Shape::Seeds => Layout::strip(Shape::SEEDS_LEDS),
            Shape::Strip(n) => Layout::strip(n),
        }
    }

    pub fn len(self) -> usize {
        self.layout().len()
    }

    /// How it reads in messages.
    pub fn describe(self) -> String {
        match self {
            Shape::Talk => "the talk's 5x5 board".to_owned(),
            Shape::Seeds => "the seeds' 11-LED DotStar strip".to_owned(),
            Shape::Strip(n) => format!("a strip of {n} colour LEDs"),
        }
    }
}
