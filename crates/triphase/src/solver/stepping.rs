//! Stepping through an experiment: for every step of every cycle, set the control, make the
//! state consistent after the step change, integrate until a stop event, the step's duration
//! or a limit, record the points, and apply the end-of-life rules.

use std::cell::Cell as StdCell;
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use diffsol::{
    Bdf, BdfState, OdeEquationsImplicit, OdeSolverMethod, OdeSolverProblem, OdeSolverState,
    OdeSolverStopReason, StateRefMut, Vector,
};

use super::equations::JacobianAging;
use super::problem::{C, LS, M, V};
use diffsol::ode_solver::OdeSolverStatistics;

use super::consistent::{self, Consistent, Reached};
use super::lu::FactorCache;
use super::skipping::{self, CycleEnd};
use super::{
    Error, Progress, SolverFailure, SolverOptions, COLLAPSE_CHARGE_FRACTION, MAX_RESTARTS_PER_STEP,
    MAX_STEP_DURATION, MIN_INITIAL_STEP,
};
use crate::experiment::{Drive, Experiment, Step, StepKind};
use crate::model::events::{self, Event};
use crate::model::{Control, Model, OperatingMode, Workspace};
use crate::scalar::Dual64;
use crate::solution::{Boundary, EndOfLifeRecord, Solution, SolverStats, StepRecord, StopReason};

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
    let (mut lower_cutoff, upper_cutoff) = step.cutoffs();
    // a metal-air discharge without its own limit stops at the cell's minimum voltage: once
    // O2 is used up nothing the model carries can take the current
    if step.kind == crate::experiment::StepKind::Discharge
        && lower_cutoff.is_none()
        && !model.is_symmetric()
        && !matches!(step.drive, Drive::Voltage(_))
    {
        lower_cutoff = Some(model.params.limits.minimum_cell_voltage);
    }
    Control {
        mode,
        lower_cutoff,
        upper_cutoff,
        capacity_limit: None,
        current_limit: step.current_limit.map(|a| a.per_area(area, carbon)),
        salt_floor: None,
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
    pub retired: Retired,
    /// A state-sized buffer.
    pub scratch: Vec<f64>,
    /// The LU factors the Newton solvers hand on (same pattern at every step change).
    pub lu: FactorCache,
    /// A cycle-skipping jump to apply at the next step change.
    pub jump: Option<skipping::Jump>,
    /// Set where the next step is over at its start (the way to its control ran out of salt or
    /// passed the step's cut-off, [`consistent::Reached::EndsAtStart`]): it is recorded with no
    /// duration at the operating point where that happened.
    pub ends_at_start: Option<Event>,
}

type Solver<'a, Eqn> = Bdf<'a, Eqn, LS>;

/// Relative step in current by which [`Run::at_maximum_power`] probes whether a discharge at
/// constant power whose solver step failed is at the cell's maximum power (the peak within 2 %
/// of the current; numerical).
const POWER_PROBE: f64 = 0.02;

/// Time within which the product a step oxidises counts as gone at its start \[s\]
/// (numerical; see `Run::clear_vanishing_product`).
const VANISHING_TIME: f64 = 1e-6;

impl Run<'_> {
    /// Integrates the whole experiment on `problem`; its twin `consistency` (the same
    /// equations, [`super::problem::CONSISTENT_TOLERANCE`]) makes the states consistent at the
    /// start, at step changes and at restarts.
    pub fn execute<Eqn>(
        mut self,
        problem: &OdeSolverProblem<Eqn>,
        consistency: &OdeSolverProblem<Eqn>,
    ) -> Result<Solution, Error>
    where
        Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C> + JacobianAging,
    {
        // the first step is at least MIN_INITIAL_STEP, as after a step change (see
        // `change_step`); diffsol's heuristic alone started li-o2 discharges at ~1e-6 s
        // a first step far from open circuit (a voltage hold) whose direct solve fails starts
        // from the consistent state at open circuit (`consistent::Consistent::via_open_circuit`)
        // (a root with negative salt, past a face's limiting current, is refused, and the way
        // from open circuit ends where the salt runs out)
        let floor = Some(self.model.params.limits.minimum_salt_concentration);
        let direct = consistency.bdf_state::<LS>().map(|state| {
            let reached =
                consistent::classify(&self.model, &state.as_ref().y.clone_as_vec(), floor);
            (state, reached)
        });
        let initial = match direct {
            Ok((state, Some(reached))) => Ok((state, reached)),
            // a failed solve reports its own error; a refused root, the way from open circuit's
            other => {
                let direct_error = other.err();
                self.consistent(consistency)
                    .via_open_circuit(floor)
                    .map_err(|e| direct_error.unwrap_or(e))
            }
        };
        let mut solver = match initial.and_then(|(state, reached)| {
            Ok((start(problem, state, MIN_INITIAL_STEP, &self.lu)?, reached))
        }) {
            Ok((s, reached)) => {
                if let Reached::EndsAtStart(event) = reached {
                    self.ends_at_start = Some(event);
                }
                s
            }
            Err(e) => {
                return Err(self.fail(
                    At { cycle: 0, step: 0 },
                    0.0,
                    format!("no consistent initial state: {e}"),
                ))
            }
        };
        self.solution.initial_state = solver.state().y.clone_as_vec();
        self.solution.final_state = self.solution.initial_state.clone();
        let experiment = self.experiment;
        // a cycle the recording policy does not keep stays until the next one ends, so the last
        // cycle run is always recorded
        let mut provisional: Option<usize> = None;
        let schedule = (0..experiment.cycles)
            .flat_map(|c| (0..experiment.steps.len()).map(move |i| At { cycle: c, step: i }));
        let mut first_cycle_capacity = None;
        // without a rule in the experiment the default rule is still watched, to warn
        let rule = experiment.end_of_life.unwrap_or_default();
        // cycle skipping: the ends of the last simulated cycles, the states at the ends of the
        // running cycle's steps, and the first cycle (0-based) to run after a jump
        let mut ends: Vec<CycleEnd> = Vec::new();
        let mut step_ends: Vec<Vec<f64>> = Vec::new();
        let mut resume_at = 0;
        let atol = problem.atol.clone_as_vec();
        for (run_index, at) in schedule.enumerate() {
            if at.cycle < resume_at {
                continue;
            }
            if run_index > 0 {
                self.retired.add(solver.get_statistics());
                solver = match self.change_step(solver, problem, consistency, at) {
                    Ok(s) => s,
                    Err(f) => {
                        self.solution.stats = self.retired.total(None, self.started);
                        return Err(self.fail(at, f.time, f.message));
                    }
                };
            }
            if at.step == 0 {
                self.measure(at.cycle, 0);
            }
            let stop = match self.advance(&mut solver, problem, consistency, at) {
                Ok(stop) => stop,
                Err(f) => {
                    self.solution.stats = self
                        .retired
                        .total(Some(solver.get_statistics()), self.started);
                    return Err(self.fail(at, f.time, f.message));
                }
            };
            self.report_progress(at);
            if stop == StopReason::Interrupted {
                break;
            }
            self.measure(at.cycle, at.step + 1);
            if stop.ends_run() {
                // the safety limits are the solver's, not the cell's end of life: they end
                // the run and the summary warns (`Solution::warnings`)
                if !stop.is_safety_limit() {
                    self.solution.end_of_life = Some(EndOfLifeRecord {
                        cycle: at.cycle + 1,
                        failure_mode: stop.code().to_string(),
                    });
                }
                break;
            }
            let last_of_cycle = at.step + 1 == experiment.steps.len();
            // a capacity-limited discharge that missed its capacity is the verdict at once:
            // the charge after it does not run
            let missed = self.solution.missed_capacity(self.solution.steps.len() - 1);
            if last_of_cycle || missed {
                let verdict = (last_of_cycle || rule.capacity_not_reached)
                    .then(|| {
                        self.solution.end_of_life_check(
                            at.cycle + 1,
                            &rule,
                            &mut first_cycle_capacity,
                        )
                    })
                    .flatten();
                if let Some(mode) = verdict {
                    let record = EndOfLifeRecord {
                        cycle: at.cycle + 1,
                        failure_mode: mode,
                    };
                    if experiment.end_of_life.is_some() {
                        self.solution.end_of_life = Some(record);
                        break;
                    }
                    if self.solution.end_of_life_unrequested.is_none() {
                        self.solution.end_of_life_unrequested = Some(record);
                    }
                }
            }
            if last_of_cycle {
                if let Some(c) = provisional.take() {
                    self.solution.drop_cycle_points(c);
                }
                if !self.options.record_cycles.keeps(at.cycle + 1) {
                    provisional = Some(at.cycle + 1);
                }
            }
            if let Some(settings) = self.options.cycle_skipping {
                step_ends.push(self.solution.final_state.clone());
                if last_of_cycle {
                    ends.push(self.cycle_end(at.cycle + 1, std::mem::take(&mut step_ends)));
                    if ends.len() > 2 * skipping::MAX_PERIOD + 1 {
                        ends.remove(0);
                    }
                    let cx = skipping::Context {
                        model: &self.model,
                        experiment,
                        settings,
                        rtol: self.options.rtol,
                        atol: &atol,
                        rule,
                        first_discharge_capacity: first_cycle_capacity,
                        cycles_left: experiment.cycles - (at.cycle + 1),
                    };
                    if let Some(jump) = skipping::plan(&cx, &ends) {
                        self.record_skip(ends.last().expect("just pushed"), &jump);
                        resume_at = at.cycle + 1 + jump.cycles;
                        self.jump = Some(jump);
                        ends.clear();
                    }
                }
            }
        }
        self.solution.stats = self
            .retired
            .total(Some(solver.get_statistics()), self.started);
        Ok(self.solution)
    }

    /// The end of simulated cycle `cycle` (1-based) for cycle skipping: its steps' records
    /// are the last ones, `step_ends` the states at their ends.
    fn cycle_end(&self, cycle: usize, step_ends: Vec<Vec<f64>>) -> CycleEnd {
        let steps = &self.solution.steps;
        let first = steps.len() - step_ends.len();
        CycleEnd {
            cycle,
            t: steps.last().expect("a cycle has steps").end.time,
            stops: steps[first..].iter().map(|r| r.stop).collect(),
            totals: self.solution.charge_totals(first..steps.len()),
            step_ends,
        }
    }

    /// Records the cycles `jump` skips after `last` (the last simulated cycle), with the charge
    /// and O2 the jump counts for them.
    fn record_skip(&mut self, last: &CycleEnd, jump: &skipping::Jump) {
        self.solution
            .skipped_cycles
            .push(crate::solution::SkippedCycles {
                first_cycle: last.cycle + 1,
                last_cycle: last.cycle + jump.cycles,
                start_time_s: last.t,
                end_time_s: jump.t,
                totals: jump.totals,
            });
    }

    /// The error for a failure at `at`, carrying everything computed so far.
    fn fail(mut self, at: At, time: f64, message: String) -> Error {
        self.solution.failure = Some(crate::solution::FailureRecord {
            cycle: at.cycle + 1,
            step_index: at.step + 1,
            step: self.experiment.steps[at.step].text.clone(),
            time_s: time,
            message: message.clone(),
        });
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
    /// state and a fresh step size (the applied current is discontinuous here). The solver is
    /// rebuilt from its state, so its Jacobian is evaluated afresh: the operating point has
    /// jumped, and a Jacobian kept from the previous step (diffsol re-evaluates it only after a
    /// convergence failure or every 50 steps) lets the Newton iteration stop short in weakly
    /// determined directions, such as the mixed potential of a cathode at rest.
    fn change_step<'a, Eqn>(
        &mut self,
        solver: Solver<'a, Eqn>,
        problem: &'a OdeSolverProblem<Eqn>,
        consistency: &OdeSolverProblem<Eqn>,
        at: At,
    ) -> Result<Solver<'a, Eqn>, StepFailure>
    where
        Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C> + JacobianAging,
    {
        let t = solver.state().t;
        let failure = |message: String| StepFailure { time: t, message };
        let step = &self.experiment.steps[at.step];
        let mut state = solver.into_state();
        if let Some(jump) = self.jump.take() {
            // cycle skipping: resume from the extrapolated state, made consistent below
            let s = state.as_mut();
            *s.y = V::from_slice(&jump.y, *s.y.context());
            *s.t = jump.t;
        }
        self.clear_undershoots(problem, &mut state.as_mut(), false);
        let new_control = configure(&self.model, step);
        // where the way to the new control runs out of salt first, the step is over there; a
        // step that starts depleted (the step before ended on it) runs out where the step
        // itself would, at the lower floor it runs with (a rest or the opposite current raise
        // the face's salt, a larger current the same way finds no state above it)
        let y_old = state.as_ref().y.clone_as_vec();
        let minimum = self.model.params.limits.minimum_salt_concentration;
        let floor = events::salt_floor_at_start(
            &self.model,
            &y_old,
            &mut Workspace::for_model(&self.model),
        )
        .unwrap_or(minimum);
        let reached = self
            .consistent(consistency)
            .after_step_change(&mut state.as_mut(), &new_control, Some(floor))
            .map_err(|e| failure(format!("no consistent state at the step change: {e}")))?;
        if let Reached::EndsAtStart(event) = reached {
            self.ends_at_start = Some(event);
            return start(problem, state, MIN_INITIAL_STEP, &self.lu)
                .map_err(|e| failure(format!("cannot restart the solver: {e}")));
        }
        self.clear_vanishing_product(consistency, &mut state.as_mut())
            .map_err(|e| failure(format!("no consistent state at the step change: {e}")))?;
        // a step that starts depleted (the step before ended on it) gets a lower salt floor;
        // set before the solver starts, which evaluates the root functions
        let salt_floor = events::salt_floor_at_start(
            &self.model,
            &state.as_ref().y.clone_as_vec(),
            &mut Workspace::for_model(&self.model),
        );
        if salt_floor.is_some() {
            self.control.set(Control {
                salt_floor,
                ..self.control.get()
            });
        }
        // the heuristic starts from ~1e-5 s; the fastest transient after a current switch
        // (concentration polarisation in the first volume, dx^2/D ~ 0.03 s) allows 1 ms, and
        // the error test rejects the step if not
        start(problem, state, MIN_INITIAL_STEP, &self.lu)
            .map_err(|e| failure(format!("cannot restart the solver: {e}")))
    }

    /// Integrates one experiment step and records it; returns why it ended.
    fn advance<'a, Eqn>(
        &mut self,
        solver: &mut Solver<'a, Eqn>,
        problem: &'a OdeSolverProblem<Eqn>,
        consistency: &OdeSolverProblem<Eqn>,
        at: At,
    ) -> Result<StopReason, StepFailure>
    where
        Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C> + JacobianAging,
    {
        let step = &self.experiment.steps[at.step];
        let model = self.model.clone();
        let record = self.solution.steps.len();
        let first_point = self.solution.len();
        let t_start = solver.state().t;
        let y_start = solver.state().y.clone_as_vec();
        self.solution.push(t_start, &y_start, record);
        self.snapshot(t_start, &y_start);
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
        let mut max_abs_voltage = model.voltage(&y_start).abs();
        let result = self.integrate(
            solver,
            problem,
            consistency,
            step,
            t_start,
            &mut max_abs_voltage,
        );
        let stop = match &result {
            Ok(stop) => *stop,
            Err(_) => StopReason::SolverFailure,
        };
        // the end: the stop point, or the last accepted state when the solver failed or the
        // run was interrupted
        let (t_end, y_end) = (solver.state().t, solver.state().y.clone_as_vec());
        max_abs_voltage = max_abs_voltage.max(model.voltage(&y_end).abs());
        if self.solution.time.last() != Some(&t_end) {
            self.solution.push(t_end, &y_end, record);
        }
        self.solution.steps.push(StepRecord {
            text: step.text.clone(),
            kind: step.kind,
            cycle: at.cycle + 1,
            capacity_limited: step.capacity_limit.is_some(),
            start: Boundary::of(&model, t_start, &y_start),
            end: Boundary::of(&model, t_end, &y_end),
            max_abs_voltage,
            points: Some((first_point, self.solution.len() - 1)),
            stop,
        });
        self.solution.final_state = y_end;
        result
    }

    /// Saves the state at the requested snapshot times in (t0, t1], interpolated by the
    /// solver, and at each step's start. A time on a step change is the start of the new step
    /// (a cycler's sample there carries the new step's current): the start's consistent state
    /// replaces the end of the step before.
    fn snapshot(&mut self, t: f64, y: &[f64]) {
        if !self.options.snapshot_times.contains(&t) {
            return;
        }
        match self.solution.snapshots.iter_mut().find(|(s, _)| *s == t) {
            Some(saved) => saved.1 = y.to_vec(),
            None => self.solution.snapshots.push((t, y.to_vec())),
        }
    }

    /// The solver loop of one step from t_start; tracks the largest |V| of its solver steps
    /// (the caller records the end point).
    fn integrate<'a, Eqn>(
        &mut self,
        solver: &mut Solver<'a, Eqn>,
        problem: &'a OdeSolverProblem<Eqn>,
        consistency: &OdeSolverProblem<Eqn>,
        step: &Step,
        t_start: f64,
        max_abs_voltage: &mut f64,
    ) -> Result<StopReason, StepFailure>
    where
        Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C> + JacobianAging,
    {
        let record = self.solution.steps.len();
        if let Some(event) = self.ends_at_start.take() {
            return Ok(StopReason::Event { event });
        }
        // a cut-off already violated at the start ends the step at once
        if let Some(event) = self.met_at(solver) {
            return Ok(StopReason::Event { event });
        }
        let failure = |time: f64, e: diffsol::error::DiffsolError| StepFailure {
            time,
            message: e.to_string(),
        };
        let t_end = t_start + step.duration.unwrap_or(MAX_STEP_DURATION);
        solver
            .set_stop_time(t_end)
            .map_err(|e| failure(t_start, e))?;
        // recording cadence: the step's own period, else the run's, else every solver step
        let period = step.period.or(self.options.output_period);
        let mut next_output = period.map(|p| t_start + p);
        let mut restarts = 0;
        for _ in 0..self.options.max_steps_per_step {
            if self
                .options
                .interrupt
                .as_ref()
                .is_some_and(|f| f.load(Ordering::Relaxed))
            {
                return Ok(StopReason::Interrupted);
            }
            let t_before = solver.state().t;
            let outcome = match solver.step() {
                Ok(o) => o,
                Err(_)
                    if self.collapsed(solver, t_start)
                        || self.at_maximum_power(solver, consistency) =>
                {
                    return Ok(StopReason::VoltageCollapse)
                }
                Err(e) if restarts < MAX_RESTARTS_PER_STEP => {
                    // last line of defence: restart from the last accepted state, made
                    // consistent again, with a fresh history and Jacobian (see `restart`)
                    restarts += 1;
                    let y = solver.state().y.clone_as_vec();
                    self.solution.restarts.push(crate::solution::RestartRecord {
                        step_record: record,
                        time_s: t_before,
                        voltage_v: self.model.voltage(&y),
                        message: e.to_string(),
                    });
                    self.restart(solver, problem, consistency, t_end)
                        .map_err(|_| failure(t_before, e))?;
                    // the restart solves the algebraic states again (a hold's current among
                    // them): a stop condition met there ends the step, as at a step's start,
                    // for the root finder starts past it and would never see it cross
                    if let Some(event) = self.met_at(solver) {
                        return Ok(StopReason::Event { event });
                    }
                    continue;
                }
                Err(e) => return Err(failure(t_before, e)),
            };
            let t_now = match outcome {
                OdeSolverStopReason::RootFound(t_root, _) => t_root,
                _ => solver.state().t,
            };
            // requested snapshots and periodic points inside this solver step, interpolated
            self.interpolate_outputs(solver, t_before, t_now, &mut next_output, period, record)
                .map_err(|e| failure(t_now, e))?;
            match outcome {
                OdeSolverStopReason::InternalTimestep => {
                    // a Jacobian from before an overpotential moved by ~2RT/F is evaluated
                    // again at the accepted state (see `equations::JacobianAge`)
                    if problem.eqn.jacobian_outdated() {
                        solver.checkpoint();
                    }
                    let st = solver.state();
                    // copied into a kept buffer: no allocation per solver step
                    for (i, x) in self.scratch.iter_mut().enumerate() {
                        *x = st.y[i];
                    }
                    *max_abs_voltage = max_abs_voltage.max(self.model.voltage(&self.scratch).abs());
                    if period.is_none()
                        && self
                            .solution
                            .room_for(self.options.max_recorded_values, st.t)
                    {
                        self.solution.push(st.t, &self.scratch, record);
                    }
                }
                OdeSolverStopReason::TstopReached => {
                    return Ok(if step.duration.is_some() {
                        StopReason::DurationReached
                    } else {
                        StopReason::NeverEnds
                    });
                }
                OdeSolverStopReason::RootFound(t_root, idx) => {
                    solver
                        .state_mut_back(t_root)
                        .map_err(|e| failure(t_root, e))?;
                    return Ok(StopReason::Event {
                        event: Event::ALL[idx],
                    });
                }
            }
        }
        Ok(StopReason::StepLimit)
    }

    /// The first stop event (in [`Event::ALL`] order) whose condition the solver's current
    /// state already meets (its root function at or below zero), if any.
    fn met_at<Eqn>(&self, solver: &Solver<'_, Eqn>) -> Option<Event>
    where
        Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C>,
    {
        let mut g = vec![0.0; Event::ALL.len()];
        events::roots(
            &self.model,
            &self.control.get(),
            &solver.state().y.clone_as_vec(),
            &mut Workspace::for_model(&self.model),
            &mut g,
        );
        Event::ALL
            .iter()
            .zip(&g)
            .find(|(_, g)| **g <= 0.0)
            .map(|(e, _)| *e)
    }

    /// Restarts the integration from the last accepted state after a failed solver step: the
    /// algebraic states are solved again under the running control, the step history is
    /// dropped (order 1), the Jacobian evaluated afresh and the step size chosen anew.
    ///
    /// BDF carries its history from step to step; when accepted states sit off the algebraic
    /// constraint by more than the error weights (a Newton iteration stopped early in a weakly
    /// determined direction, late in a discharge as the O2 runs out), every later predictor
    /// inherits the offset and the error test fails at any step size. A restart clears it.
    /// Counted in [`SolverStats::restarts`].
    fn restart<'a, Eqn>(
        &mut self,
        solver: &mut Solver<'a, Eqn>,
        problem: &'a OdeSolverProblem<Eqn>,
        consistency: &OdeSolverProblem<Eqn>,
        t_end: f64,
    ) -> Result<(), diffsol::error::DiffsolError>
    where
        Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C> + JacobianAging,
    {
        let mut state = solver.checkpoint();
        self.clear_undershoots(problem, &mut state.as_mut(), true);
        self.consistent(consistency).after_step_change(
            &mut state.as_mut(),
            &self.control.get(),
            None,
        )?;
        self.clear_vanishing_product(consistency, &mut state.as_mut())?;
        // (the failed solver still holds its factors: the new one searches its pivots afresh)
        let mut fresh = start(problem, state, 0.0, &self.lu)?;
        fresh.set_stop_time(t_end)?;
        // the failed solver's work counts once, and only when it is replaced
        self.retired.add(solver.get_statistics());
        self.retired.restarts += 1;
        *solver = fresh;
        Ok(())
    }

    /// Sets the solid fractions (and at a restart, `gases`, the dissolved gases) that the
    /// integrator carried below zero within their tolerance to zero in `state`
    /// ([`Model::clear_undershoots`]) before it is made consistent for a new step or a restart,
    /// and counts the metal and O2 that adds in [`Solution::cleared`].
    fn clear_undershoots<Eqn>(
        &mut self,
        problem: &OdeSolverProblem<Eqn>,
        state: &mut StateRefMut<'_, V>,
        gases: bool,
    ) where
        Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C>,
    {
        // most step changes have nothing to clear: look before copying the state
        let m = &self.model;
        let any = m.undershoot_states(gases).any(|i| {
            crate::model::tolerances::is_undershoot(state.y.get_index(i), problem.atol.get_index(i))
        });
        if !any {
            return;
        }
        let before = state.y.clone_as_vec();
        let mut y = before.clone();
        m.clear_undershoots(&mut y, &problem.atol.clone_as_vec(), gases);
        self.replace_cleared(state, &before, &y);
    }

    /// Puts `y` in `state` in place of `before`, counting the metal and O2 the change adds in
    /// [`Solution::cleared`] (the conservation check takes them as inflows).
    fn replace_cleared(&mut self, state: &mut StateRefMut<'_, V>, before: &[f64], y: &[f64]) {
        let m = &self.model;
        self.solution.cleared.metal_mol_m2 += m.metal_balance(y) - m.metal_balance(before);
        self.solution.cleared.oxygen_mol_m2 += m.oxygen_balance(y) - m.oxygen_balance(before);
        *state.y = V::from_slice(y, *state.y.context());
    }

    /// Sets to zero the product in the volumes where the state, consistent under the control
    /// in force, oxidises it within [`VANISHING_TIME`] (-dy/dt > y / VANISHING_TIME) so fast
    /// that the first step's predictor would overshoot by more than its absolute tolerance
    /// (-dy/dt [`MIN_INITIAL_STEP`] > atol), and makes the state consistent again; the metal
    /// and O2 it held are counted as cleared (`Solution::cleared`). Called after a step change
    /// and at restarts.
    ///
    /// A volume whose product is used up while its overpotential stays far above the product's
    /// equilibrium (a charge that ran on into the electrolyte's oxidation) keeps product of the
    /// order of its absolute tolerance, positive and negative in turn, oxidised at a rate
    /// e^(alpha_a f eta) that the implicit steps damp. At a step change the consistent state
    /// takes the rate itself as its derivative: a k-o2 cathode at 1.94 V of overpotential,
    /// held at 4.2 V after a charge to 4.5 V, had 2.2e-8 of product in its last volume going
    /// at -3.5e5 s-1, so the first step's predictor overshot by ten decades and the step size
    /// fell to 4e-15 s until the run failed. Such product is gone within a microsecond of the
    /// step's start, far inside its first step (at least [`MIN_INITIAL_STEP`]).
    fn clear_vanishing_product<Eqn>(
        &mut self,
        consistency: &OdeSolverProblem<Eqn>,
        state: &mut StateRefMut<'_, V>,
    ) -> Result<(), diffsol::error::DiffsolError>
    where
        Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C>,
    {
        let m = &self.model;
        let (before, dy) = (state.y.clone_as_vec(), state.dy.clone_as_vec());
        // (only where the first step's predictor would overshoot by more than the tolerance:
        // product a hair above zero going at a moderate rate is left to the error control)
        let vanishing = |i: &usize| {
            before[*i] > 0.0
                && -dy[*i] * VANISHING_TIME > before[*i]
                && -dy[*i] * MIN_INITIAL_STEP > consistency.atol.get_index(*i)
        };
        if !m.layout.product.clone().any(|i| vanishing(&i)) {
            return Ok(());
        }
        let mut y = before.clone();
        for i in m.layout.product.clone().filter(vanishing) {
            y[i] = 0.0;
        }
        self.replace_cleared(state, &before, &y);
        let control = self.control.get();
        self.consistent(consistency)
            .after_step_change(state, &control, None)
            .map(|_| ())
    }

    /// The consistent solves of this run on `problem` (the run's model, control and LU
    /// factors).
    fn consistent<'a, Eqn>(&'a self, problem: &'a OdeSolverProblem<Eqn>) -> Consistent<'a, Eqn>
    where
        Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C>,
    {
        Consistent {
            model: &self.model,
            problem,
            control: &self.control,
            lu: &self.lu,
        }
    }

    /// Whether the voltage at the solver's last accepted state is collapsing towards a
    /// cut-off of the running step: at its present rate dV/dt, the charge to pass before the
    /// cut-off is below [`COLLAPSE_CHARGE_FRACTION`] of the charge the step has passed.
    fn collapsed<'a, Eqn>(&self, solver: &Solver<'a, Eqn>, t_start: f64) -> bool
    where
        Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C>,
    {
        let st = solver.state();
        let l = &self.model.layout;
        let (y, dy) = (st.y.clone_as_vec(), st.dy.clone_as_vec());
        let dual: Vec<Dual64> = y
            .iter()
            .zip(&dy)
            .map(|(a, b)| Dual64::new(*a, *b))
            .collect();
        let v = self.model.voltage(&dual);
        let control = self.control.get();
        let time_to_cutoff = match (control.lower_cutoff, control.upper_cutoff) {
            (Some(lo), _) if v.eps < 0.0 => (v.re - lo) / -v.eps,
            (_, Some(hi)) if v.eps > 0.0 => (hi - v.re) / v.eps,
            _ => return false,
        };
        let i = y[l.current].abs();
        let passed = i * (st.t - t_start);
        time_to_cutoff >= 0.0 && i * time_to_cutoff < COLLAPSE_CHARGE_FRACTION * passed
    }

    /// Whether a discharge at constant power whose solver step failed is at the cell's maximum
    /// power: the state at [`POWER_PROBE`] more current than the solver's last accepted state's
    /// (the differential states held) delivers no more power, lies past the step's cut-off, or
    /// does not exist. The power P = I V(I) peaks where dP/dI = 0 (the fold); approaching it at
    /// constant power the current and voltage move ever faster (dI/dt = (dP/dt) / (dP/dI)), and
    /// the solver's steps fail short of it. Where P(I (1 + d)) <= P the peak lies within d I of
    /// the current (P is concave there). A cycler asked for more raises its current past the
    /// peak and the voltage collapses to the cut-off, so the step ends as a
    /// [`StopReason::VoltageCollapse`].
    ///
    /// The case (a random protocol of `scripts/fuzz-protocols --high`): k-o2 charged at
    /// 40 mA cm-2 for 5 s and 0.2 mA cm-2 for an hour, then discharged at 60 mW cm-2. The
    /// cathode's potential is held up by its double layer, and the metal side's polarisation,
    /// mostly its SEI's 68 Ohm cm2, rises with the current at ~65 Ohm cm2 (1.83 to 2.15 V from
    /// 24.0 to 28.9 mA cm-2): dP/dI = V + I dV/dI vanishes where the cell's differential
    /// resistance reaches V / I, 72 Ohm cm2 at 2.08 V and 28.9 mA cm-2, above the step's 2.0 V
    /// cut-off.
    fn at_maximum_power<'a, Eqn>(
        &self,
        solver: &Solver<'a, Eqn>,
        consistency: &OdeSolverProblem<Eqn>,
    ) -> bool
    where
        Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C>,
    {
        let control = self.control.get();
        let OperatingMode::Power(power) = control.mode else {
            return false;
        };
        if power <= 0.0 {
            return false;
        }
        let mut state = solver.state_clone();
        let current = state.as_ref().y[self.model.layout.current] * (1.0 + POWER_PROBE);
        let probe = Control {
            mode: OperatingMode::Current(current),
            ..control
        };
        let reached =
            self.consistent(consistency)
                .after_step_change(&mut state.as_mut(), &probe, None);
        self.control.set(control);
        match reached {
            Ok(Reached::Control) => {
                current * self.model.voltage(&state.as_ref().y.clone_as_vec()) <= power
            }
            // the cut-off lies within the probe, or no state carries more current
            Ok(Reached::EndsAtStart(_)) | Err(_) => true,
        }
    }

    /// Snapshots and periodic output points in (t0, t1], interpolated by the solver.
    fn interpolate_outputs<'a, Eqn>(
        &mut self,
        solver: &Solver<'a, Eqn>,
        t0: f64,
        t1: f64,
        next_output: &mut Option<f64>,
        period: Option<f64>,
        record: usize,
    ) -> Result<(), diffsol::error::DiffsolError>
    where
        Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C>,
    {
        for i in 0..self.options.snapshot_times.len() {
            let t = self.options.snapshot_times[i];
            if t > t0 && t <= t1 {
                let y = solver.interpolate(t)?.clone_as_vec();
                self.snapshot(t, &y);
            }
        }
        if let (Some(p), Some(next)) = (period, next_output.as_mut()) {
            // points strictly inside the solver step; the step's end is recorded separately
            // (a point within rounding of the end is that end, not a point of its own)
            let end = t1 - 1e-12 * t1.abs().max(p);
            let budget = self.options.max_recorded_values;
            while *next < end {
                if !self.solution.room_for(budget, *next) {
                    // over the budget: this solver step's points are not recorded (nor
                    // interpolated)
                    *next += ((end - *next) / p).ceil() * p;
                    break;
                }
                let y = solver.interpolate(*next)?.clone_as_vec();
                self.solution.push(*next, &y, record);
                *next += p;
            }
        }
        Ok(())
    }

    /// The experiment's impedance measurements placed after `position` steps of cycle `cycle`
    /// (0-based), on the state the steps before them left (a spectrum that cannot be computed
    /// is left out).
    fn measure(&mut self, cycle: usize, position: usize) {
        for m in &self.experiment.measurements {
            if m.position != position {
                continue;
            }
            let y = &self.solution.final_state;
            if let Ok(spectrum) = crate::eis::impedance(&self.model, y, &m.frequencies()) {
                let at = if position == 0 {
                    format!("cycle {} start", cycle + 1)
                } else {
                    format!("cycle {} after step {position}", cycle + 1)
                };
                self.solution
                    .spectra
                    .push(crate::eis::Labelled { at, spectrum });
            }
        }
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

/// A fresh solver from the consistent `state`: order 1, a new Jacobian, an initial step size
/// from diffsol's heuristic but at least `min_step` [s]; its LU takes the factors left in `lu`.
fn start<'a, Eqn>(
    problem: &'a OdeSolverProblem<Eqn>,
    mut state: BdfState<V>,
    min_step: f64,
    lu: &FactorCache,
) -> Result<Solver<'a, Eqn>, diffsol::error::DiffsolError>
where
    Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C> + JacobianAging,
{
    state.set_step_size(problem.h0, &problem.atol, problem.rtol, &problem.eqn, 1);
    problem.eqn.solver_started(state.as_ref().t);
    let h = state.as_mut().h;
    *h = h.max(min_step);
    Bdf::new(problem, state, LS::sharing(lu))
}

/// Statistics of the solvers retired at step changes and restarts (each starts a fresh one),
/// and the number of restarts.
#[derive(Debug, Default)]
pub(crate) struct Retired {
    stats: SolverStats,
    restarts: usize,
}

impl Retired {
    /// Adds a retiring solver's statistics.
    fn add(&mut self, s: &OdeSolverStatistics) {
        self.stats.steps += s.number_of_steps;
        self.stats.error_test_failures += s.number_of_error_test_failures;
        self.stats.newton_iterations += s.number_of_nonlinear_solver_iterations;
        self.stats.newton_failures += s.number_of_nonlinear_solver_fails;
        self.stats.lu_setups += s.number_of_linear_solver_setups;
    }

    /// The run's statistics: the retired solvers' and the running one's.
    fn total(&self, running: Option<&OdeSolverStatistics>, started: Instant) -> SolverStats {
        let mut all = Retired {
            stats: self.stats,
            restarts: self.restarts,
        };
        if let Some(s) = running {
            all.add(s);
        }
        SolverStats {
            wall_time_s: started.elapsed().as_secs_f64(),
            restarts: self.restarts,
            ..all.stats
        }
    }
}
