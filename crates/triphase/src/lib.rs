//! # triphase
//!
//! Physics-based simulation of alkali metal–air batteries (Li–O2, Li–air, Na–O2, K–O2).
//!
//! The pipeline mirrors the modules:
//! [`params`] (typed parameters with documented names), [`components`] (a library of named
//! cell components as data) and [`cell`] (presets, TOML cell files composed from
//! components) -> [`mesh`] (finite volumes) -> [`model`] (submodels, one per mechanism, assembled
//! into a DAE) -> [`solver`] (diffsol BDF + sparse LU, root events) driven by an
//! [`experiment`] -> [`solution`] (recorded states, summaries).
//!
//! ```no_run
//! use triphase::{cell::Cell, experiment::Experiment, solver::{simulate, SolverOptions}};
//! let cell = Cell::preset("li-o2").unwrap();
//! let exp = Experiment::parse(&["Discharge at 0.1 mA cm-2 until 2.0 V"]).unwrap();
//! let sol = simulate(&cell, &exp, &SolverOptions::default()).unwrap();
//! println!("{:.2} mAh/cm2", sol.discharge_capacity_mAh_cm2());
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// the library reports through return values and hooks, never by printing
#![cfg_attr(not(test), warn(clippy::print_stdout, clippy::print_stderr))]

pub mod cell;
pub mod chemistry;
pub mod components;
pub mod constants;
pub mod eis;
pub mod energy;
pub mod error;
pub mod experiment;
pub mod fit;
pub mod kinetics;
pub mod mesh;
pub mod model;
pub mod params;
pub mod scalar;
pub mod solution;
pub mod solver;
pub mod sweep;
pub mod validation;

pub use cell::Cell;
pub use error::InputError;
pub use experiment::Experiment;
pub use solution::{Solution, Summary};
pub use solver::{simulate, SolverOptions};
pub use solver::{Error, SolverFailure};
