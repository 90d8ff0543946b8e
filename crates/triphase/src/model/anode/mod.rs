//! The metal anode at x = 0 and its triple-phase interface.
//!
//! - [`plating`]: plating/stripping kinetics and the metal inventory (always on);
//! - [`sei`]: the surface layer (SEI + artificial protective layer): thickness, resistance,
//!   growth from solvent reduction, cracking and healing;
//! - [`corrosion`]: crossed gases reacting with the metal through that layer;
//! - [`morphology`]: dead metal and dendrites.

pub mod corrosion;
pub mod morphology;
pub mod oxygen_sei;
pub mod plating;
pub mod reference;
pub mod sei;
