//! Energy density from thermodynamics to a practical cell and pack.
//!
//! - [`thermo`]: Gibbs energies of formation -> standard potentials, theoretical specific
//!   capacity and energy of each metal–air reaction, plus literature reference points;
//! - [`practical`]: the mass and volume budget of a triphase cell design at its simulated
//!   capacity and mean voltage, in the charged and discharged states, and at pack level with
//!   the O2 handling an open (air) or closed (O2 tank) system needs.

pub mod practical;
pub mod thermo;

pub use practical::{EnergyBudget, PackBudget};
pub use thermo::{theoretical_all, Theoretical, REFERENCES};
