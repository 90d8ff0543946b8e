//! The CLI's error type and its exit codes: 2 bad input, 1 solver failure or unwritable
//! output, 130 interrupted.

use triphase::{Error, InputError, SolverFailure};

use crate::output::OutputError;

/// What can go wrong in a command.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad input (exit code 2).
    #[error(transparent)]
    Input(#[from] InputError),
    /// Solver failure; partial results were written (exit code 1).
    #[error("{0}")]
    Solver(Box<SolverFailure>),
    /// Interrupted by Ctrl-C; what was computed was written (exit code 130).
    #[error("interrupted: results up to t = {time:.1} s were kept")]
    Interrupted {
        /// Simulation time reached [s].
        time: f64,
    },
    /// Output could not be written (exit code 1).
    #[error(transparent)]
    Output(#[from] OutputError),
    /// Cells of a comparison whose solve failed; the table was printed (exit code 1).
    #[error("{count} cell(s) failed to solve: {names} (their rows hold what was computed)")]
    CellsFailed {
        /// How many.
        count: usize,
        /// Their names.
        names: String,
    },
    /// A sweep's journal or dataset (exit code 1).
    #[error(transparent)]
    Sweep(#[from] triphase::sweep::DatasetError),
    /// A sweep stopped by Ctrl-C or SIGTERM; its finished runs are in the journal (exit 130).
    #[error("interrupted: {done} of {total} runs are finished and kept in {dir}; rerun the same command to continue")]
    SweepInterrupted {
        /// Runs finished.
        done: usize,
        /// Runs of the sweep.
        total: usize,
        /// The output folder.
        dir: String,
    },
    /// Validation cases whose outcome differs from their expected one (exit code 1).
    #[error("{count} validation case(s) differ from their expected outcome: {names}")]
    Validation {
        /// How many.
        count: usize,
        /// Their names.
        names: String,
    },
}

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        match e {
            Error::Input(e) => CliError::Input(e),
            Error::Solver(f) => CliError::Solver(f),
        }
    }
}

impl CliError {
    /// Process exit code.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Input(_) => 2,
            CliError::Solver(_)
            | CliError::Output(_)
            | CliError::Validation { .. }
            | CliError::Sweep(_)
            | CliError::CellsFailed { .. } => 1,
            CliError::Interrupted { .. } | CliError::SweepInterrupted { .. } => 130,
        }
    }
}
