//! The metal anode at x = 0.

pub mod plating;
