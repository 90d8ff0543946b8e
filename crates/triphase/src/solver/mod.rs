//! Solver coupling: the model as a diffsol DAE, integrated with BDF and sparse LU (faer),
//! stepping through an experiment with root events as stop conditions.
//!
//! - `problem`: the DAE (residual, exact Jacobian-vector product, mass, roots);
//! - [`sparsity`] and [`jacobian`]: the Jacobian's pattern, found in time linear in the mesh,
//!   and its assembly by colouring, several colours per residual evaluation;
//! - `stepping`: the experiment loop (step changes, integration to a stop event,
//!   recording, end-of-life rules);
//! - `consistent`: consistent algebraic states after a step change (Newton, with a
//!   continuation in the control where a direct solve fails);
//! - [`skipping`]: cycle skipping for long lives (extrapolation over regular cycles, opt-in);
//! - [`error`]: solver failures that keep the partial solution.

mod consistent;
mod equations;
pub mod error;
pub mod jacobian;
mod lu;
mod problem;
pub mod skipping;
pub mod sparsity;
mod stepping;

use std::cell::Cell as StdCell;
use std::rc::Rc;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

pub use error::{Error, SolverFailure};
pub use skipping::CycleSkipping;

use crate::cell::Cell;
use crate::error::InputError;
use crate::experiment::{Drive, Experiment};
use crate::solution::{RecordCycles, Solution};

/// Longest a step may run when it has no duration of its own \[s\] (10 000 h).
pub use crate::experiment::step::MAX_STEP_DURATION;

/// A failed solver step ends the experiment step as a [`crate::solution::StopReason::VoltageCollapse`]
/// when, at the rate the voltage is moving towards a cut-off, the charge still to pass before
/// it is below this fraction of the charge the step has passed (the capacity is final to the
/// solver tolerance).
pub const COLLAPSE_CHARGE_FRACTION: f64 = 1e-6;

/// Restarts from the last accepted state allowed in one experiment step before a solver
/// failure ends the run.
pub const MAX_RESTARTS_PER_STEP: usize = 3;

/// Smallest first step after a step change \[s\].
pub const MIN_INITIAL_STEP: f64 = 1e-3;

/// Solver settings.
#[derive(Debug, Clone)]
pub struct SolverOptions {
    /// Relative tolerance.
    pub rtol: f64,
    /// Multiplies every absolute tolerance (1 = the model's defaults).
    pub atol_scale: f64,
    /// Safety limit on BDF steps per experiment step.
    pub max_steps_per_step: usize,
    /// Set to true (e.g. from a Ctrl-C handler) to stop after the current solver step.
    pub interrupt: Option<Arc<AtomicBool>>,
    /// Called at the end of every experiment step.
    pub progress: Option<ProgressHook>,
    /// Recording cadence \[s\]: points at every multiple of it from each step's start,
    /// interpolated by the solver, plus each step's first and last point (None: every solver
    /// step). A step's own "(N second period)" takes precedence.
    pub output_period: Option<f64>,
    /// Which cycles keep their recorded points (step and cycle summaries are kept for all).
    pub record_cycles: RecordCycles,
    /// Times \[s\] at which the full state is saved for profiles, interpolated by the solver.
    /// A time inside skipped cycles (see `cycle_skipping`) is not saved.
    pub snapshot_times: Vec<f64>,
    /// Cycle skipping: extrapolate a cycling experiment over cycles whose end states change
    /// smoothly (see [`skipping`]); None (the default) simulates every cycle.
    pub cycle_skipping: Option<CycleSkipping>,
    /// Most state values the recorded points may hold (8 bytes each): past it, points inside
    /// steps (periodic or per solver step) are no longer recorded, each step's first and last
    /// point still are, and the summary says from when (`Solution::recording_stopped_at`).
    /// The step and cycle summaries and the ledgers do not depend on the recording. Default
    /// [`MAX_RECORDED_VALUES`].
    pub max_recorded_values: usize,
}

/// Default of [`SolverOptions::max_recorded_values`]: 2^27 values, 1 GiB of recorded states
/// (li-air's 605 states: 220 000 points). A step without a duration that never reaches its
/// limit runs to the 10 000 h safety limit, and recorded every 10 s that was 3.6 million points
/// (12.6 GB for li-o2-ideal-anode's 435 states); the process was killed for memory with nothing
/// written.
pub const MAX_RECORDED_VALUES: usize = 1 << 27;

/// Where a run stands, reported at the end of every step.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Current cycle (1-based).
    pub cycle: usize,
    /// Cycles requested.
    pub cycles: usize,
    /// Simulation time \[s\].
    pub time: f64,
    /// Voltage at the end of the step \[V\].
    pub voltage: f64,
    /// How close the cell is to failing \[V\]: for a discharge step with a lower cut-off, end
    /// voltage minus cut-off; in a symmetric cell, maximum polarisation minus |V|.
    pub margin: Option<f64>,
}

/// A progress callback.
#[derive(Clone)]
pub struct ProgressHook(pub Arc<dyn Fn(&Progress) + Send + Sync>);

impl std::fmt::Debug for ProgressHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProgressHook")
    }
}

impl Default for SolverOptions {
    fn default() -> Self {
        Self {
            rtol: DEFAULT_RTOL,
            atol_scale: 1.0,
            max_steps_per_step: 100_000,
            interrupt: None,
            progress: None,
            output_period: None,
            record_cycles: RecordCycles::default(),
            snapshot_times: vec![],
            cycle_skipping: None,
            max_recorded_values: MAX_RECORDED_VALUES,
        }
    }
}

/// Relative tolerance of a single pass through the steps.
pub const DEFAULT_RTOL: f64 = 1e-6;

/// Relative tolerance of cycling runs (many passes): the long-term drift is dominated by the
/// per-cycle ledgers, which stay within 1e-4 relative of a 1e-6 run.
pub const DEFAULT_CYCLING_RTOL: f64 = 1e-4;

impl SolverOptions {
    /// The options for `experiment` with the relative tolerance `rtol` if given (checked to
    /// lie in (0, 0.01], naming `origin` otherwise), else the default policy: 1e-6 for a
    /// single pass, 1e-4 for cycling. The CLI and the Python package both use this.
    pub fn for_experiment(
        experiment: &Experiment,
        rtol: Option<f64>,
        origin: &str,
    ) -> Result<SolverOptions, InputError> {
        let rtol = rtol.unwrap_or(if experiment.cycles > 1 {
            DEFAULT_CYCLING_RTOL
        } else {
            DEFAULT_RTOL
        });
        if !(rtol > 0.0 && rtol <= 1e-2) {
            return Err(InputError::Invalid {
                origin: origin.to_string(),
                message: format!("{rtol} is outside the allowed range (0, 0.01]"),
            });
        }
        Ok(SolverOptions {
            rtol,
            ..SolverOptions::default()
        })
    }
}

/// Checks a recording period \[s\] (positive and finite); `origin` names where it was given.
pub fn check_output_period(origin: &str, period: Option<f64>) -> Result<(), InputError> {
    match period {
        Some(p) if !(p.is_finite() && p > 0.0) => Err(InputError::Invalid {
            origin: origin.to_string(),
            message: format!("{p} s: the period must be a positive number of seconds"),
        }),
        _ => Ok(()),
    }
}

/// Options the cell's values cannot support (the double layer without a capacitance), and steps
/// a symmetric cell cannot run: voltage cut-offs and holds (its voltage changes sign
/// with the current; the run ends at the maximum polarisation instead), amounts per gram of
/// cathode carbon and power (a symmetric cell has neither carbon nor net energy).
///
/// [`simulate`] checks this first; callers that run several cells (a comparison) check every
/// cell before simulating any.
pub fn check_experiment(cell: &Cell, experiment: &Experiment) -> Result<(), InputError> {
    use crate::experiment::Basis;
    if cell.options.double_layer && cell.params.cathode.double_layer_capacitance <= 0.0 {
        return Err(InputError::Invalid {
            origin: format!("cell {}: [options] double_layer", cell.name),
            message: "the cathode double layer needs \"Cathode double-layer capacitance [F.m-2]\" in (0, 10]".into(),
        });
    }
    if cell.cell_type != crate::model::CellType::Symmetric {
        return Ok(());
    }
    let per_gram = |a: &Option<crate::experiment::Amount>| {
        a.is_some_and(|a| a.basis == Basis::PerKilogramCarbon)
    };
    for step in &experiment.steps {
        let reason = if step.voltage_limit.is_some() || matches!(step.drive, Drive::Voltage(_)) {
            Some("voltage cut-offs and holds do not apply (V changes sign with the current); steps end on time or capacity and the run ends at \"Maximum polarisation [V]\"")
        } else if matches!(step.drive, Drive::Power(_)) {
            Some("power steps do not apply (the cell dissipates energy both ways)")
        } else if per_gram(&step.capacity_limit)
            || matches!(step.drive, Drive::Current(a) if a.basis == Basis::PerKilogramCarbon)
        {
            Some("amounts per gram of carbon do not apply (no cathode)")
        } else {
            None
        };
        if let Some(reason) = reason {
            return Err(InputError::Invalid {
                origin: format!("step \"{}\"", step.text),
                message: format!("symmetric cell {}: {reason}", cell.name),
            });
        }
    }
    Ok(())
}

/// Simulates `experiment` on `cell`.
///
/// On a solver failure the error carries every point computed before it.
pub fn simulate(
    cell: &Cell,
    experiment: &Experiment,
    options: &SolverOptions,
) -> Result<Solution, Error> {
    let started = Instant::now();
    if experiment.steps.is_empty() || experiment.cycles == 0 {
        return Err(Error::Input(InputError::Invalid {
            origin: "experiment".into(),
            message: "an experiment needs at least one step and one cycle".into(),
        }));
    }
    check_experiment(cell, experiment).map_err(Error::Input)?;
    let model = Rc::new(cell.model());
    // the control of the running step, shared with the residual and the root functions
    let control = Rc::new(StdCell::new(stepping::configure(
        &model,
        &experiment.steps[0],
    )));
    let y0 = model.initial_state(&control.get());
    let mut solution = Solution::new(cell.name.clone(), (*model).clone());
    solution.cycles_requested = experiment.cycles;
    solution.steps_per_cycle = experiment.steps.len();
    let run = stepping::Run {
        solution,
        model: model.clone(),
        control: control.clone(),
        experiment,
        options,
        started,
        retired: stepping::Retired::default(),
        scratch: vec![0.0; model.len()],
        lu: Default::default(),
        jump: None,
        ends_at_start: None,
    };
    match problem::build(&model, &control, options, y0) {
        Ok(problem) => run.execute(&problem, &problem::consistency_twin(&problem)),
        Err(e) => {
            let mut partial = run.solution;
            let message = format!("problem set-up: {e}");
            partial.failure = Some(crate::solution::FailureRecord {
                cycle: 1,
                step_index: 1,
                step: experiment.steps[0].text.clone(),
                time_s: 0.0,
                message: message.clone(),
            });
            Err(Error::Solver(Box::new(SolverFailure {
                cycle: 1,
                step_index: 1,
                step: experiment.steps[0].text.clone(),
                time: 0.0,
                message,
                partial: Box::new(partial),
            })))
        }
    }
}
