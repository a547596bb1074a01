//! `--output log`: an output that prints each frame on one line, for a server without
//! LEDs (tests, a service's journal, a pipe into another program).

use std::io::{self, Write};
use std::marker::PhantomData;

use blinken::output::{Frame, Output};

use crate::pixel::CliPixel;

/// Prints `<seconds, 6 decimals> <LEDs>` per frame to a writer: `#`/`.` per on/off LED,
/// `rrggbb` (space-separated) per colour LED.
#[derive(Debug)]
pub struct Log<P, W> {
    writer: W,
    len: usize,
    line: String,
    pixel: PhantomData<fn(P)>,
}

impl<P: CliPixel, W: Write> Log<P, W> {
    pub fn new(writer: W, len: usize) -> Log<P, W> {
        Log { writer, len, line: String::new(), pixel: PhantomData }
    }
}

impl<P: CliPixel, W: Write> Output for Log<P, W> {
    type Pixel = P;
    type Error = io::Error;

    fn len(&self) -> usize {
        self.len
    }

    fn write(&mut self, frame: Frame<'_, P>) -> io::Result<()> {
        self.line.clear();
        self.line.push_str(&frame.at.to_string());
        self.line.push(' ');
        for (i, pixel) in frame.pixels.iter().enumerate() {
            if P::SPACED && i > 0 {
                self.line.push(' ');
            }
            pixel.log(&mut self.line);
        }
        self.line.push('\n');
        // One write and a flush per frame: a reader (a pipe, the journal) sees whole
        // lines as they happen.
        self.writer.write_all(self.line.as_bytes())?;
        self.writer.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use blinken::prelude::*;

    #[test]
    fn prints_one_line_per_frame() {
        let mut driver = Driver::new(Log::<bool, _>::new(Vec::new(), 3), VirtualClock::new());
        driver.run(&blink(0..2, ms(100)).times(1)).unwrap();
        let text = String::from_utf8(driver.output().writer.clone()).unwrap();
        assert_eq!(text, "0.000000 ##.\n0.100000 ...\n");
    }

    #[test]
    fn prints_colours_in_hex() {
        let log = Log::<RGB8, _>::new(Vec::new(), 2);
        let mut driver = Driver::new(log, VirtualClock::new());
        driver.run(&on(1).color(RGB8::new(255, 128, 0)).timeout(ms(250))).unwrap();
        let text = String::from_utf8(driver.output().writer.clone()).unwrap();
        assert_eq!(text, "0.000000 000000 ff8000\n0.250000 000000 000000\n");
    }
}
