//! Solver coupling: the model as a diffsol DAE, integrated with BDF and sparse LU (faer),
//! stepping through an experiment with root events as stop conditions.
//!
//! - right-hand side: [`Model::residual`] in `f64`;
//! - Jacobian-vector product: the same residual in dual numbers (exact); diffsol detects the
//!   sparsity pattern by pushing NaN through it and assembles the sparse Jacobian by colouring;
//! - mass: diagonal, 0 on algebraic rows (`y = M v + beta y`);
//! - consistent initialisation at t = 0 and after every step change (new current), followed by
//!   a fresh step-size estimate, because the applied current is discontinuous there.

use std::cell::{Cell as StdCell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use diffsol::{
    BacktrackingLineSearch, FaerSparseLU, FaerSparseMat, NewtonNonlinearSolver, OdeBuilder,
    OdeSolverMethod, OdeSolverStopReason, Vector,
};

use crate::cell::Cell;
use crate::error::{Error, InputError, SolverFailure};
use crate::experiment::{Drive, Experiment, Step};
use crate::model::events::{self, Event};
use crate::model::{Control, Model, OperatingMode, StateKind, Workspace};
use crate::scalar::Dual64;
use crate::solution::{EndOfLifeRecord, Solution, SolverStats, StepRecord, StopReason};

type M = FaerSparseMat<f64>;
type LS = FaerSparseLU<f64>;

/// Longest a step may run when it has no duration of its own [s] (10 000 h).
pub const MAX_STEP_DURATION: f64 = 3.6e7;

/// Smallest first step after a step change [s].
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
}

/// Where a run stands, reported at the end of every step.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Current cycle (1-based).
    pub cycle: usize,
    /// Cycles requested.
    pub cycles: usize,
    /// Simulation time [s].
    pub time: f64,
    /// Voltage at the end of the step [V].
    pub voltage: f64,
    /// How close the cell is to failing [V]: for a discharge step with a lower cut-off, end
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
            rtol: 1e-6,
            atol_scale: 1.0,
            max_steps_per_step: 100_000,
            interrupt: None,
            progress: None,
        }
    }
}

/// The operating mode and limits of `step` (the capacity limit is set once the step's
/// starting charge is known).
fn configure(model: &Model, step: &Step) -> Control {
    let area = model.params.geometry.electrode_area;
    let carbon = model.params.carbon_loading();
    let mode = match step.drive {
        Drive::Rest => OperatingMode::Current(0.0),
        Drive::Current(a) => OperatingMode::Current(step.sign() * a.per_area(area, carbon)),
        Drive::Power(a) => OperatingMode::Power(step.sign() * a.per_area(area, carbon)),
        Drive::Voltage(v) => OperatingMode::Voltage(v),
    };
    let (lower_cutoff, upper_cutoff) = step.cutoffs();
    Control {
        mode,
        lower_cutoff,
        upper_cutoff,
        capacity_limit: None,
        current_limit: step.current_limit.map(|a| a.per_area(area, carbon)),
    }
}

/// Steps a symmetric cell cannot run: voltage cut-offs and holds (its voltage changes sign
/// with the current; the run ends at the maximum polarisation instead), amounts per gram of
/// cathode carbon and power (a symmetric cell has neither carbon nor net energy).
fn check_for_cell(cell: &Cell, experiment: &Experiment) -> Result<(), Error> {
    use crate::experiment::Basis;
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
            return Err(Error::Input(InputError::Invalid {
                origin: format!("step \"{}\"", step.text),
                message: format!("symmetric cell {}: {reason}", cell.name),
            }));
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
    check_for_cell(cell, experiment)?;
    let model = Rc::new(cell.model());
    // the control of the running step, shared with the residual and the root functions
    let control = Rc::new(StdCell::new(configure(&model, &experiment.steps[0])));
    let n = model.len();
    let mut solution = Solution::new(cell.name.clone(), (*model).clone());

    let fail = |solution: Solution, step: usize, time: f64, message: String| {
        Error::Solver(Box::new(SolverFailure {
            step_index: step + 1,
            step: experiment.steps[step].text.clone(),
            time,
            message,
            partial: Box::new(solution),
        }))
    };

    let m_rhs = model.clone();
    let c_rhs = control.clone();
    let ws_rhs = RefCell::new(Workspace::<f64>::for_model(&model));
    let m_jac = model.clone();
    let c_jac = control.clone();
    let ws_jac = RefCell::new((
        Workspace::<Dual64>::for_model(&model),
        vec![Dual64::from(0.0); n],
        vec![Dual64::from(0.0); n],
    ));
    let m_root = model.clone();
    let c_root = control.clone();
    let ws_root = RefCell::new(Workspace::<f64>::for_model(&model));
    let differential: Vec<bool> = (0..n)
        .map(|i| model.layout.kind(i) == StateKind::Differential)
        .collect();
    let y0 = model.initial_state(&control.get());

    let mut problem = OdeBuilder::<M>::new()
        .rtol(options.rtol)
        .atol(model.absolute_tolerances(options.atol_scale))
        .rhs_implicit(
            move |x: &[f64], _p: &[f64], _t: f64, y: &mut [f64]| {
                m_rhs.residual(x, &c_rhs.get(), &mut ws_rhs.borrow_mut(), y);
            },
            move |x: &[f64], _p: &[f64], _t: f64, v: &[f64], y: &mut [f64]| {
                let (ws, xd, out) = &mut *ws_jac.borrow_mut();
                for i in 0..x.len() {
                    xd[i] = Dual64::new(x[i], v[i]);
                }
                m_jac.residual(xd, &c_jac.get(), ws, out);
                for i in 0..x.len() {
                    y[i] = out[i].eps;
                }
            },
        )
        .mass(
            move |v: &[f64], _p: &[f64], _t: f64, beta: f64, y: &mut [f64]| {
                for i in 0..v.len() {
                    y[i] = if differential[i] {
                        v[i] + beta * y[i]
                    } else {
                        beta * y[i]
                    };
                }
            },
        )
        .init(
            move |_p: &[f64], _t: f64, y: &mut [f64]| y.copy_from_slice(&y0),
            n,
        )
        .root(
            move |x: &[f64], _p: &[f64], _t: f64, g: &mut [f64]| {
                events::roots(&m_root, &c_root.get(), x, &mut ws_root.borrow_mut(), g);
            },
            Event::ALL.len(),
        )
        .build()
        .map_err(|e| fail(solution.clone(), 0, 0.0, format!("problem set-up: {e}")))?;
    // diffsol 0.18 counts Newton failures over the whole integration, not per step, so a long
    // run with ordinary recoverable failures would abort; a stuck step still ends through the
    // minimum step size and our own per-step limit.
    problem.ode_options.max_nonlinear_solver_failures = usize::MAX;

    let mut solver = match problem.bdf::<LS>() {
        Ok(s) => s,
        Err(e) => {
            return Err(fail(
                solution,
                0,
                0.0,
                format!("no consistent initial state: {e}"),
            ))
        }
    };

    let mut y_buf = vec![0.0; n];
    let mut g_buf = vec![0.0; Event::ALL.len()];
    // copies the solver's current state into `y` and returns its time
    macro_rules! read {
        ($solver:expr, $y:expr) => {{
            let st = $solver.state();
            *$y = st.y.clone_as_vec();
            st.t
        }};
    }

    let schedule =
        (0..experiment.cycles).flat_map(|c| (0..experiment.steps.len()).map(move |i| (c, i)));
    let mut first_cycle_capacity = None;
    'cycles: for (run_index, (cycle, si)) in schedule.enumerate() {
        let step = &experiment.steps[si];
        if run_index > 0 {
            let t = solver.state().t;
            control.set(configure(&model, step));
            {
                let st = solver.state_mut();
                let mut y = st.y.clone_as_vec();
                model.guess_after_mode_change(&control.get(), &mut y);
                *st.y = diffsol::Vector::from_slice(&y, *st.y.context());
            }
            let ic = &problem.ic_options;
            let mut ls = BacktrackingLineSearch::default();
            ls.c = ic.armijo_constant;
            ls.max_iter = ic.max_linesearch_iterations;
            ls.tau = ic.step_reduction_factor;
            let mut newton = NewtonNonlinearSolver::new(LS::default(), ls);
            if let Err(e) = solver.state_mut().set_consistent(&problem, &mut newton) {
                solution.stats = stats(&solver, started);
                return Err(fail(
                    solution,
                    si,
                    t,
                    format!(
                        "no consistent state at the step change (cycle {}): {e}",
                        cycle + 1
                    ),
                ));
            }
            solver.state_mut().set_step_size(
                problem.h0,
                &problem.atol,
                problem.rtol,
                &problem.eqn,
                1,
            );
            // the heuristic starts from ~1e-5 s; the fastest transient after a current switch
            // (concentration polarisation in the first volume, dx^2/D ~ 0.03 s) allows 1 ms, and
            // the error test rejects the step if not
            let h = solver.state_mut().h;
            *h = h.max(MIN_INITIAL_STEP);
        }
        let t_start = read!(solver, &mut y_buf);
        let record = solution.steps.len();
        let first_point = solution.len();
        solution.push(t_start, &y_buf, record);
        // the capacity limit counts from the charge passed at the step start
        let (area, carbon) = (
            model.params.geometry.electrode_area,
            model.params.carbon_loading(),
        );
        control.set(Control {
            capacity_limit: step
                .capacity_limit
                .map(|c| (y_buf[model.layout.charge], c.per_area(area, carbon))),
            ..control.get()
        });

        // a cut-off already violated at the start ends the step at once
        events::roots(
            &model,
            &control.get(),
            &y_buf,
            &mut Workspace::for_model(&model),
            &mut g_buf,
        );
        let mut stop = Event::ALL
            .iter()
            .zip(&g_buf)
            .find(|(_, g)| **g <= 0.0)
            .map(|(e, _)| StopReason::Event { event: *e });

        if stop.is_none() {
            let t_end = t_start + step.duration.unwrap_or(MAX_STEP_DURATION);
            if let Err(e) = solver.set_stop_time(t_end) {
                solution.stats = stats(&solver, started);
                return Err(fail(solution, si, t_start, e.to_string()));
            }
            let mut count = 0;
            let mut last_recorded = t_start;
            stop = Some(loop {
                count += 1;
                if count > options.max_steps_per_step {
                    break StopReason::StepLimit;
                }
                if options
                    .interrupt
                    .as_ref()
                    .is_some_and(|f| f.load(Ordering::Relaxed))
                {
                    break StopReason::Interrupted;
                }
                match solver.step() {
                    Ok(OdeSolverStopReason::InternalTimestep) => {
                        let t = solver.state().t;
                        if step.period.is_none_or(|p| t - last_recorded >= p) {
                            read!(solver, &mut y_buf);
                            solution.push(t, &y_buf, record);
                            last_recorded = t;
                        }
                    }
                    Ok(OdeSolverStopReason::TstopReached) => {
                        let t = read!(solver, &mut y_buf);
                        solution.push(t, &y_buf, record);
                        break if step.duration.is_some() {
                            StopReason::DurationReached
                        } else {
                            StopReason::StepLimit
                        };
                    }
                    Ok(OdeSolverStopReason::RootFound(t_root, idx)) => {
                        if let Err(e) = solver.state_mut_back(t_root) {
                            solution.stats = stats(&solver, started);
                            return Err(fail(solution, si, t_root, e.to_string()));
                        }
                        let t = read!(solver, &mut y_buf);
                        solution.push(t, &y_buf, record);
                        break StopReason::Event {
                            event: Event::ALL[idx],
                        };
                    }
                    Err(e) => {
                        let t = solver.state().t;
                        solution.steps.push(StepRecord {
                            text: step.text.clone(),
                            kind: step.kind,
                            cycle: cycle + 1,
                            capacity_limited: step.capacity_limit.is_some(),
                            first_point,
                            last_point: solution.len() - 1,
                            stop: StopReason::SolverFailure,
                        });
                        solution.stats = stats(&solver, started);
                        return Err(fail(solution, si, t, e.to_string()));
                    }
                }
            });
        }
        let stop = stop.expect("set above");
        solution.steps.push(StepRecord {
            text: step.text.clone(),
            kind: step.kind,
            cycle: cycle + 1,
            capacity_limited: step.capacity_limit.is_some(),
            first_point,
            last_point: solution.len() - 1,
            stop,
        });
        if let Some(hook) = &options.progress {
            let v = model.voltage(&y_buf);
            (hook.0)(&Progress {
                cycle: cycle + 1,
                cycles: experiment.cycles,
                time: solution.time[solution.len() - 1],
                voltage: v,
                margin: if model.is_symmetric() {
                    Some(model.params.limits.maximum_polarisation - v.abs())
                } else {
                    (step.kind == crate::experiment::StepKind::Discharge)
                        .then_some(step.voltage_limit)
                        .flatten()
                        .map(|cut| v - cut)
                },
            });
        }
        if stop == StopReason::Interrupted {
            break 'cycles;
        }
        if stop.ends_run() {
            solution.end_of_life = Some(EndOfLifeRecord {
                cycle: cycle + 1,
                failure_mode: stop.code().to_string(),
            });
            break 'cycles;
        }
        let last_of_cycle = si + 1 == experiment.steps.len();
        if let (true, Some(rule)) = (last_of_cycle, experiment.end_of_life) {
            if let Some(mode) =
                solution.end_of_life_check(cycle + 1, &rule, &mut first_cycle_capacity)
            {
                solution.end_of_life = Some(EndOfLifeRecord {
                    cycle: cycle + 1,
                    failure_mode: mode,
                });
                break 'cycles;
            }
        }
    }
    solution.stats = stats(&solver, started);
    Ok(solution)
}

fn stats<'a, S: OdeSolverMethod<'a, E>, E: diffsol::OdeEquations + 'a>(
    solver: &S,
    started: Instant,
) -> SolverStats {
    let s = solver.get_statistics();
    SolverStats {
        steps: s.number_of_steps,
        error_test_failures: s.number_of_error_test_failures,
        newton_iterations: s.number_of_nonlinear_solver_iterations,
        lu_setups: s.number_of_linear_solver_setups,
        wall_time_s: started.elapsed().as_secs_f64(),
    }
}
