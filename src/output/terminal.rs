//! Terminal simulator.

/// Draws a matrix in the terminal.
#[derive(Debug)]
pub struct Terminal {}
