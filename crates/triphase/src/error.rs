//! Error types. Input errors name where the bad value came from (file, key, step) and what
//! is allowed; solver failures carry the partial solution computed before the failure.

use crate::params::Range;
use crate::solution::Solution;

/// Where an input value came from, for error messages.
pub type Origin = String;

/// Bad input: a cell file, a parameter override, a mesh spec or an experiment step.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputError {
    /// A file could not be read.
    #[error("{origin}: cannot read file: {message}")]
    Io {
        /// The file.
        origin: Origin,
        /// The operating-system message.
        message: String,
    },
    /// TOML syntax or schema error.
    #[error("{origin}: {message}")]
    Toml {
        /// The file.
        origin: Origin,
        /// The parser's message (with line and column).
        message: String,
    },
    /// A parameter name not in the registry (or with the wrong unit).
    #[error("{origin}: unknown parameter \"{name}\": {hint}")]
    UnknownParameter {
        /// Where the name was given.
        origin: Origin,
        /// The name as given.
        name: String,
        /// Wrong unit or similar names.
        hint: String,
    },
    /// A parameter value outside its documented range.
    #[error("{origin}: \"{name}\" = {value} is outside the allowed range {range}")]
    OutOfRange {
        /// Where the value was given.
        origin: Origin,
        /// Parameter name.
        name: String,
        /// The value given.
        value: f64,
        /// Allowed range.
        range: Range,
    },
    /// A value that is not a number, or a constraint between parameters that fails.
    #[error("{origin}: {message}")]
    Invalid {
        /// Where the value was given.
        origin: Origin,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// A preset name that does not exist.
    #[error("unknown cell \"{name}\": not a file and not a preset (presets: {available})")]
    UnknownPreset {
        /// The name given.
        name: String,
        /// Comma-separated preset names.
        available: String,
    },
    /// An experiment step that does not parse.
    #[error("experiment step {index} \"{step}\": {message}")]
    Step {
        /// 1-based position in the experiment.
        index: usize,
        /// The step text.
        step: String,
        /// What was expected where.
        message: String,
    },
}

/// The solver could not continue. The solution up to the failure is kept.
#[derive(Debug, thiserror::Error)]
#[error("solver failed in step {step_index} (\"{step}\") at t = {time:.6e} s: {message}")]
pub struct SolverFailure {
    /// 1-based index of the experiment step that failed.
    pub step_index: usize,
    /// The step text.
    pub step: String,
    /// Simulation time of the last accepted state [s].
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
