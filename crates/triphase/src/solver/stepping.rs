//! Stepping through an experiment: for every step of every cycle, set the control, make the
//! state consistent after the step change, integrate until a stop event, the step's duration
//! or a limit, record the points, and apply the end-of-life rules.

use std::cell::Cell as StdCell;
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use diffsol::{
    BacktrackingLineSearch, Bdf, NewtonNonlinearSolver, OdeEquationsImplicit, OdeSolverMethod,
    OdeSolverProblem, OdeSolverStopReason, Vector,
};

use super::problem::{C, LS, M, V};
use super::{Error, Progress, SolverFailure, SolverOptions, MAX_STEP_DURATION, MIN_INITIAL_STEP};
use crate::experiment::{Drive, Experiment, Step, StepKind};
use crate::model::events::{self, Event};
use crate::model::{Control, Model, OperatingMode, Workspace};
use crate::solution::{EndOfLifeRecord, Solution, SolverStats, StepRecord, StopReason};

/// The operating mode and limits of `step` (the capacity limit is set once the step's
/// starting charge is known).
pub(crate) fn configure(model: &Model, step: &Step) -> Control {
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

/// Where the experiment stands: which step of which cycle.
#[derive(Debug, Clone, Copy)]
struct At {
    /// 0-based cycle.
    cycle: usize,
    /// 0-based step index within the cycle.
    step: usize,
}

/// A failure inside a step: the time and the solver's message.
struct StepFailure {
    time: f64,
    message: String,
}

/// One run of an experiment on a model.
pub(crate) struct Run<'x> {
    pub model: Rc<Model>,
    pub control: Rc<StdCell<Control>>,
    pub experiment: &'x Experiment,
    pub options: &'x SolverOptions,
    pub solution: Solution,
    pub started: Instant,
}

type Solver<'a, Eqn> = Bdf<'a, Eqn, LS>;

impl Run<'_> {
    /// Integrates the whole experiment on `problem`.
    pub fn execute<Eqn>(mut self, problem: &OdeSolverProblem<Eqn>) -> Result<Solution, Error>
    where
        Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C>,
    {
        let mut solver = match problem.bdf::<LS>() {
            Ok(s) => s,
            Err(e) => {
                return Err(self.fail(
                    At { cycle: 0, step: 0 },
                    0.0,
                    format!("no consistent initial state: {e}"),
                ))
            }
        };
        let experiment = self.experiment;
        let schedule = (0..experiment.cycles)
            .flat_map(|c| (0..experiment.steps.len()).map(move |i| At { cycle: c, step: i }));
        let mut first_cycle_capacity = None;
        for (run_index, at) in schedule.enumerate() {
            if run_index > 0 {
                if let Err(f) = self.change_step(&mut solver, problem, at) {
                    self.solution.stats = stats(&solver, self.started);
                    return Err(self.fail(at, f.time, f.message));
                }
            }
            let stop = match self.advance(&mut solver, at) {
                Ok(stop) => stop,
                Err(f) => {
                    self.solution.stats = stats(&solver, self.started);
                    return Err(self.fail(at, f.time, f.message));
                }
            };
            self.report_progress(at);
            if stop == StopReason::Interrupted {
                break;
            }
            if stop.ends_run() {
                self.solution.end_of_life = Some(EndOfLifeRecord {
                    cycle: at.cycle + 1,
                    failure_mode: stop.code().to_string(),
                });
                break;
            }
            let last_of_cycle = at.step + 1 == experiment.steps.len();
            if let (true, Some(rule)) = (last_of_cycle, experiment.end_of_life) {
                if let Some(mode) =
                    self.solution
                        .end_of_life_check(at.cycle + 1, &rule, &mut first_cycle_capacity)
                {
                    self.solution.end_of_life = Some(EndOfLifeRecord {
                        cycle: at.cycle + 1,
                        failure_mode: mode,
                    });
                    break;
                }
            }
        }
        self.solution.stats = stats(&solver, self.started);
        Ok(self.solution)
    }

    /// The error for a failure at `at`, carrying everything computed so far.
    fn fail(self, at: At, time: f64, message: String) -> Error {
        Error::Solver(Box::new(SolverFailure {
            cycle: at.cycle + 1,
            step_index: at.step + 1,
            step: self.experiment.steps[at.step].text.clone(),
            time,
            message,
            partial: Box::new(self.solution),
        }))
    }

    /// The step changes: new control, a starting guess for the algebraic states, a consistent
    /// state and a fresh step size (the applied current is discontinuous here).
    fn change_step<'a, Eqn>(
        &self,
        solver: &mut Solver<'a, Eqn>,
        problem: &'a OdeSolverProblem<Eqn>,
        at: At,
    ) -> Result<(), StepFailure>
    where
        Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C>,
    {
        let t = solver.state().t;
        let step = &self.experiment.steps[at.step];
        self.control.set(configure(&self.model, step));
        {
            let st = solver.state_mut();
            let mut y = st.y.clone_as_vec();
            self.model
                .guess_after_mode_change(&self.control.get(), &mut y);
            *st.y = Vector::from_slice(&y, *st.y.context());
        }
        let ic = &problem.ic_options;
        let mut ls = BacktrackingLineSearch::default();
        ls.c = ic.armijo_constant;
        ls.max_iter = ic.max_linesearch_iterations;
        ls.tau = ic.step_reduction_factor;
        let mut newton = NewtonNonlinearSolver::new(LS::default(), ls);
        solver
            .state_mut()
            .set_consistent(problem, &mut newton)
            .map_err(|e| StepFailure {
                time: t,
                message: format!("no consistent state at the step change: {e}"),
            })?;
        solver
            .state_mut()
            .set_step_size(problem.h0, &problem.atol, problem.rtol, &problem.eqn, 1);
        // the heuristic starts from ~1e-5 s; the fastest transient after a current switch
        // (concentration polarisation in the first volume, dx^2/D ~ 0.03 s) allows 1 ms, and
        // the error test rejects the step if not
        let h = solver.state_mut().h;
        *h = h.max(MIN_INITIAL_STEP);
        Ok(())
    }

    /// Integrates one experiment step and records it; returns why it ended.
    fn advance<'a, Eqn>(
        &mut self,
        solver: &mut Solver<'a, Eqn>,
        at: At,
    ) -> Result<StopReason, StepFailure>
    where
        Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C>,
    {
        let step = &self.experiment.steps[at.step];
        let model = self.model.clone();
        let record = self.solution.steps.len();
        let first_point = self.solution.len();
        let t_start = solver.state().t;
        let y_start = solver.state().y.clone_as_vec();
        self.solution.push(t_start, &y_start, record);
        // the capacity limit counts from the charge passed at the step start
        let (area, carbon) = (
            model.params.geometry.electrode_area,
            model.params.carbon_loading(),
        );
        self.control.set(Control {
            capacity_limit: step
                .capacity_limit
                .map(|c| (y_start[model.layout.charge], c.per_area(area, carbon))),
            ..self.control.get()
        });
        let result = self.integrate(solver, step, t_start, &y_start);
        let stop = match &result {
            Ok(stop) => *stop,
            Err(_) => StopReason::SolverFailure,
        };
        self.solution.steps.push(StepRecord {
            text: step.text.clone(),
            kind: step.kind,
            cycle: at.cycle + 1,
            capacity_limited: step.capacity_limit.is_some(),
            first_point,
            last_point: self.solution.len() - 1,
            stop,
        });
        result
    }

    /// The solver loop of one step from (t_start, y_start).
    fn integrate<'a, Eqn>(
        &mut self,
        solver: &mut Solver<'a, Eqn>,
        step: &Step,
        t_start: f64,
        y_start: &[f64],
    ) -> Result<StopReason, StepFailure>
    where
        Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C>,
    {
        let record = self.solution.steps.len();
        // a cut-off already violated at the start ends the step at once
        let mut g = vec![0.0; Event::ALL.len()];
        events::roots(
            &self.model,
            &self.control.get(),
            y_start,
            &mut Workspace::for_model(&self.model),
            &mut g,
        );
        if let Some(e) = Event::ALL.iter().zip(&g).find(|(_, g)| **g <= 0.0) {
            return Ok(StopReason::Event { event: *e.0 });
        }
        let failure = |time: f64, e: diffsol::error::DiffsolError| StepFailure {
            time,
            message: e.to_string(),
        };
        let t_end = t_start + step.duration.unwrap_or(MAX_STEP_DURATION);
        solver
            .set_stop_time(t_end)
            .map_err(|e| failure(t_start, e))?;
        let mut last_recorded = t_start;
        for _ in 0..self.options.max_steps_per_step {
            if self
                .options
                .interrupt
                .as_ref()
                .is_some_and(|f| f.load(Ordering::Relaxed))
            {
                return Ok(StopReason::Interrupted);
            }
            match solver.step() {
                Ok(OdeSolverStopReason::InternalTimestep) => {
                    let t = solver.state().t;
                    if step.period.is_none_or(|p| t - last_recorded >= p) {
                        self.solution
                            .push(t, &solver.state().y.clone_as_vec(), record);
                        last_recorded = t;
                    }
                }
                Ok(OdeSolverStopReason::TstopReached) => {
                    let st = solver.state();
                    self.solution.push(st.t, &st.y.clone_as_vec(), record);
                    return Ok(if step.duration.is_some() {
                        StopReason::DurationReached
                    } else {
                        StopReason::StepLimit
                    });
                }
                Ok(OdeSolverStopReason::RootFound(t_root, idx)) => {
                    solver
                        .state_mut_back(t_root)
                        .map_err(|e| failure(t_root, e))?;
                    let st = solver.state();
                    self.solution.push(st.t, &st.y.clone_as_vec(), record);
                    return Ok(StopReason::Event {
                        event: Event::ALL[idx],
                    });
                }
                Err(e) => return Err(failure(solver.state().t, e)),
            }
        }
        Ok(StopReason::StepLimit)
    }

    /// Calls the progress hook at the end of a step.
    fn report_progress(&self, at: At) {
        let Some(hook) = &self.options.progress else {
            return;
        };
        let step = &self.experiment.steps[at.step];
        let last = self.solution.len() - 1;
        let v = self.model.voltage(self.solution.state(last));
        (hook.0)(&Progress {
            cycle: at.cycle + 1,
            cycles: self.experiment.cycles,
            time: self.solution.time[last],
            voltage: v,
            margin: if self.model.is_symmetric() {
                Some(self.model.params.limits.maximum_polarisation - v.abs())
            } else {
                (step.kind == StepKind::Discharge)
                    .then_some(step.voltage_limit)
                    .flatten()
                    .map(|cut| v - cut)
            },
        });
    }
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
