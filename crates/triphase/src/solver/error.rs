//! Errors of a simulation: bad input (nothing simulated) or a solver failure that keeps the
//! solution computed before it.

use crate::error::InputError;
use crate::solution::Solution;

/// The solver could not continue. The solution up to the failure is kept.
#[derive(Debug, thiserror::Error)]
#[error(
    "solver failed in cycle {cycle}, step {step_index} (\"{step}\") at t = {time:.6e} s: {message}"
)]
pub struct SolverFailure {
    /// 1-based cycle in which the step failed.
    pub cycle: usize,
    /// 1-based index of the experiment step that failed (in the step list of a cycle).
    pub step_index: usize,
    /// The step text.
    pub step: String,
    /// Simulation time of the last accepted state \[s\].
    pub time: f64,
    /// The solver's message.
    pub message: String,
    /// Everything computed before the failure.
    pub partial: Box<Solution>,
}

/// Any triphase error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input; nothing was simulated.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The solver failed mid-run.
    #[error(transparent)]
    Solver(#[from] Box<SolverFailure>),
}
