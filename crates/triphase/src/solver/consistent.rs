//! Consistent algebraic states after a step change.
//!
//! At a step change the differential states (concentrations, product, inventories) are
//! continuous and the algebraic ones (potentials, overpotentials, current) jump to satisfy the
//! new control. A Newton solve from [`Model::guess_after_mode_change`] finds them in most
//! cases; where it does not (a charge after a rest on a product-lean cathode: the kinetics are
//! exponential and the guess far from the root), the control is moved from its old value to
//! its new one in a continuation, each stage's Newton solve starting from the previous stage's
//! solution. The first stage is the old operating point itself, which is consistent, so every
//! stage starts close to its root.
//!
//! A step whose control lies beyond the point where the salt at a metal face runs out (a
//! power or voltage the face's limiting current cannot deliver) has no physical consistent
//! state: past that point the face's salt, extrapolated over half a volume, would be negative,
//! and the Newton iteration either fails or lands on a spurious root with negative salt. Where
//! a salt floor is given, a direct solution with negative salt is refused, and the
//! continuation stops at the first stage whose salt is at or below the floor: the step is over
//! at its start ([`Reached::EndsAtStart`]), at that stage's operating point (at the new
//! control's, where the direct solution itself has salt at or below the floor). A step that
//! starts depleted and drives its face harder ends the same way where no stage converges at
//! all: the face is at its limiting current already.
//!
//! A discharge power beyond the cell's maximum power has no consistent state either: the
//! power a cell delivers, P = I V(I), has a maximum where the continuation's Newton solves fail
//! (the fold, dP/dI = 0). A cycler asked for more raises the current, the power falls past the
//! maximum, and the voltage collapses to the step's cut-off. The continuation ends at the first
//! stage whose voltage is past one of the new step's cut-offs (the step is over at its start on
//! that cut-off, [`Reached::EndsAtStart`]); where a power continuation fails before (a fold above
//! the cut-off), the current is raised from its last stage until the voltage reaches the
//! cut-off ([`Consistent::beyond_maximum_power`]).
//!
//! The run's first state is found the same way where a direct solve under the first step's
//! control fails ([`Consistent::via_open_circuit`]): a fresh cell held at a voltage far from
//! its open-circuit voltage (a hold at 3.5 or 4.0 V on li-o2-ideal-anode, whose direct solve
//! did not converge, while 3.2 and 4.4 V did) starts from the consistent state at open circuit,
//! which the model's guess is close to, and is taken to the hold as at a step change.

use std::cell::Cell as StdCell;

use diffsol::{
    BacktrackingLineSearch, BdfState, DiffsolError, NewtonNonlinearSolver, OdeEquations,
    OdeEquationsImplicit, OdeSolverProblem, OdeSolverState, StateRefMut, Vector,
};

use super::lu::FactorCache;
use super::problem::{C, LS, M, V};
use crate::model::events::{min_salt, Event};
use crate::model::{Control, Model, OperatingMode, Workspace};

/// Smallest continuation stage, as a fraction of the path from the old to the new control.
const MIN_STAGE: f64 = 1.0 / 4096.0;

/// How far past a cut-off \[V\] a continuation stage that ends the step there may land (a
/// stage further past is tried again, a quarter as long, down to [`MIN_STAGE`]).
const CUTOFF_OVERSHOOT: f64 = 0.01;

/// Most current stages of [`Consistent::beyond_maximum_power`] (doubling stages: a current ~2^60
/// times the power's maximum's; the voltage reaches the cut-off long before).
const MAX_CURRENT_STAGES: usize = 60;

/// Where a step change ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reached {
    /// The state is consistent under the new control, which is in force.
    Control,
    /// On the way to the new control the event fired (the salt fell to the floor given, the
    /// voltage passed a cut-off of the new step): the state is consistent under the stage's
    /// control, left in force, and the step is over at its start.
    EndsAtStart(Event),
}

/// How a consistent state `y` stands against the salt floor `floor` (`None`: no floor is
/// watched, every state is [`Reached::Control`]): `None` where a face's salt is negative (a
/// root past the face's limiting current, which no physical state has),
/// [`Reached::EndsAtStart`] on [`Event::SaltDepleted`] where it is at or below the floor.
pub(crate) fn classify(model: &Model, y: &[f64], floor: Option<f64>) -> Option<Reached> {
    let Some(floor) = floor else {
        return Some(Reached::Control);
    };
    let salt = min_salt(model, y, &mut Workspace::for_model(model));
    if salt < 0.0 {
        None
    } else if salt <= floor {
        Some(Reached::EndsAtStart(Event::SaltDepleted))
    } else {
        Some(Reached::Control)
    }
}

/// The cut-off of `control` that the voltage of `y` is past, if any, and by how much \[V\].
fn past_cutoff(model: &Model, y: &[f64], control: &Control) -> Option<(Event, f64)> {
    let v = model.voltage(y);
    match (control.lower_cutoff, control.upper_cutoff) {
        (Some(c), _) if v <= c => Some((Event::LowerVoltageCutoff, c - v)),
        (_, Some(c)) if v >= c => Some((Event::UpperVoltageCutoff, v - c)),
        _ => None,
    }
}

/// What every consistent solve of a run reads: the model, the problem whose residual is solved
/// (its [`super::problem::CONSISTENT_TOLERANCE`] twin), the control that residual reads, and
/// the LU factors shared with the integrator.
pub(crate) struct Consistent<'a, Eqn: OdeEquations> {
    /// The model whose algebraic states are solved for.
    pub(crate) model: &'a Model,
    /// The problem whose residual the Newton solves drive to zero.
    pub(crate) problem: &'a OdeSolverProblem<Eqn>,
    /// The control the residual reads (set to each stage's on the way).
    pub(crate) control: &'a StdCell<Control>,
    /// LU factors shared with the integrator (their pivots are reused).
    pub(crate) lu: &'a FactorCache,
}

/// The length of a stage of a walk towards a control, as a fraction of the walk's path: a
/// quarter at first, divided by four after a failed or rejected stage and doubled (to at most
/// the whole path) after an accepted one, down to [`MIN_STAGE`].
struct Stage(f64);

impl Stage {
    fn new() -> Self {
        Stage(0.25)
    }

    /// Whether a rejected stage can still be tried shorter.
    fn can_shorten(&self) -> bool {
        self.0 > MIN_STAGE
    }

    /// Divides the stage by four; false once it is below [`MIN_STAGE`] (the walk is stuck).
    fn shorten(&mut self) -> bool {
        self.0 /= 4.0;
        self.0 >= MIN_STAGE
    }

    /// Doubles the stage after an accepted one.
    fn lengthen(&mut self) {
        self.0 = (2.0 * self.0).min(1.0);
    }
}

impl<Eqn> Consistent<'_, Eqn>
where
    Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C>,
{
    /// Makes `state` (consistent under the control in force so far) consistent under `new`: a
    /// Newton solve from [`Model::guess_after_mode_change`], else the continuation from the old
    /// operating point. Leaves `new` in the control the residual reads. With `salt_floor`, a
    /// root with negative salt is refused, and a path on which the salt falls to that floor
    /// before `new` is reached ends there ([`Reached::EndsAtStart`], the stage's control left
    /// in force); a direct solution at or below the floor ends the step at once under `new`. A
    /// continuation stage past a cut-off of `new` ends the step the same way, and so does a
    /// discharge power beyond the cell's maximum ([`Self::beyond_maximum_power`]).
    pub(crate) fn after_step_change(
        &self,
        state: &mut StateRefMut<'_, V>,
        new: &Control,
        salt_floor: Option<f64>,
    ) -> Result<Reached, DiffsolError> {
        let start = state.y.clone_as_vec();
        self.control.set(*new);
        let mut y = start.clone();
        self.model.guess_after_mode_change(new, &mut y);
        let direct = self
            .solve(state, &y)
            .and_then(|()| checked(self.model, &state.y.clone_as_vec(), salt_floor));
        let Err(direct_error) = direct else {
            return direct;
        };
        let mut last = start.clone();
        let result = self
            .continuation(state, &start, &mut last, new, salt_floor)
            .or_else(|e| match new.mode {
                OperatingMode::Power(p) if p > 0.0 => self
                    .beyond_maximum_power(state, &last, new, salt_floor)
                    .map_err(|_| e),
                _ => Err(e),
            });
        if !matches!(result, Ok(Reached::EndsAtStart(_))) {
            self.control.set(*new);
        }
        // report the direct attempt's error when the continuation cannot help either
        result.map_err(|_| direct_error)
    }

    /// The run's first consistent state under the control in force (the first step's),
    /// reached from open circuit: the state is made consistent at rest from the model's initial
    /// guess, then taken to the first step's control by [`Self::after_step_change`] (a
    /// continuation where a direct solve fails). The first step's control is in force again on
    /// return.
    pub(crate) fn via_open_circuit(
        &self,
        salt_floor: Option<f64>,
    ) -> Result<(BdfState<V>, Reached), DiffsolError> {
        let first = self.control.get();
        let rest = Control::default();
        self.control.set(rest);
        let result = BdfState::new_without_initialise(self.problem).and_then(|mut state| {
            self.solve(&mut state.as_mut(), &self.model.initial_state(&rest))?;
            let reached = self.after_step_change(&mut state.as_mut(), &first, salt_floor)?;
            Ok((state, reached))
        });
        // the first step's control, unless the step is over at its start
        if !matches!(result, Ok((_, Reached::EndsAtStart(_)))) {
            self.control.set(first);
        }
        result
    }

    /// Walks the control from its value at the old operating point `start` to `new` in
    /// [`Stage`]s. With `salt_floor`, the first stage whose salt is at or below it ends the
    /// walk, and so does the first whose voltage is past a cut-off of `new`
    /// ([`Reached::EndsAtStart`], its control left in force); where the stages are refused for
    /// negative salt down to the smallest, the salt runs out right past the last accepted
    /// stage, and the walk ends there on salt depletion. `last` holds the last accepted stage's
    /// state on return.
    fn continuation(
        &self,
        state: &mut StateRefMut<'_, V>,
        start: &[f64],
        last: &mut Vec<f64>,
        new: &Control,
        salt_floor: Option<f64>,
    ) -> Result<Reached, DiffsolError> {
        let (model, l) = (self.model, &self.model.layout);
        let (i0, v0) = (start[l.current], model.voltage(start));
        // the old operating point expressed in the new mode's quantity
        let (from, to, mode): (f64, f64, fn(f64) -> OperatingMode) = match new.mode {
            OperatingMode::Current(i) => (i0, i, OperatingMode::Current),
            OperatingMode::Voltage(v) => (v0, v, OperatingMode::Voltage),
            OperatingMode::Power(p) => (i0 * v0, p, OperatingMode::Power),
        };
        let at = |fraction: f64| Control {
            mode: mode(from + (to - from) * fraction),
            ..*new
        };
        last.clear();
        last.extend_from_slice(start);
        let (mut done, mut stage) = (0.0_f64, Stage::new());
        loop {
            let next = (done + stage.0).min(1.0);
            self.control.set(at(next));
            let mut guess = last.clone();
            if let OperatingMode::Current(i) = self.control.get().mode {
                guess[l.current] = i;
            }
            // (a refused stage leaves `last` at the last accepted one, the next try's start;
            // the error is None where the stage was refused for negative salt)
            let solved = self
                .solve(state, &guess)
                .map_err(Some)
                .map(|()| state.y.clone_as_vec())
                .and_then(|y| {
                    let reached = classify(model, &y, salt_floor).ok_or(None)?;
                    Ok((y, reached))
                });
            // a stage past a cut-off short of the new control (the new control itself, past
            // it, is left to the step's own start check) ends the walk within CUTOFF_OVERSHOOT
            // of it
            let crossing = |y: &[f64]| past_cutoff(model, y, new).filter(|_| next < 1.0);
            match solved {
                Ok((y, _))
                    if crossing(&y).is_some_and(|(_, by)| by > CUTOFF_OVERSHOOT)
                        && stage.can_shorten() =>
                {
                    stage.shorten();
                }
                Ok((y, reached)) => {
                    *last = y;
                    done = next;
                    if let Reached::EndsAtStart(_) = reached {
                        return Ok(reached);
                    }
                    if let Some((event, _)) = crossing(last) {
                        return Ok(Reached::EndsAtStart(event));
                    }
                    if done >= 1.0 {
                        return Ok(Reached::Control);
                    }
                    stage.lengthen();
                }
                Err(e) => {
                    if !stage.shorten() {
                        // the salt runs out within the smallest stage past the last accepted
                        // one where the stages are refused for negative salt, or where a step
                        // that starts depleted pushes its face harder and no Newton solve
                        // converges (a face at its limit already: a cell whose salt is all but
                        // gone): the step is over there, at that stage's control
                        if let Some(e) = e {
                            if !pushes_a_depleted_face(model, start, from, to, new) {
                                return Err(e);
                            }
                        }
                        self.control.set(at(done));
                        self.solve(state, last)?;
                        return Ok(Reached::EndsAtStart(Event::SaltDepleted));
                    }
                }
            }
        }
    }

    /// A discharge at a power `new` beyond the cell's maximum (the power continuation failed
    /// at the fold, its last accepted stage `last`): the current is raised from the stage's in
    /// [`Stage`]s (a stage of 1 doubles it), until the voltage falls to the step's lower
    /// cut-off, where the step is over at its start ([`Reached::EndsAtStart`], the stage's
    /// current left in force). A stage delivering `new`'s power after all (no fold: the
    /// continuation failed for another reason) is taken to it by a direct solve; a stage with
    /// salt at or below `salt_floor` ends the step on salt depletion.
    fn beyond_maximum_power(
        &self,
        state: &mut StateRefMut<'_, V>,
        last: &[f64],
        new: &Control,
        salt_floor: Option<f64>,
    ) -> Result<Reached, DiffsolError> {
        let OperatingMode::Power(target) = new.mode else {
            unreachable!("a power step");
        };
        let not_found =
            || DiffsolError::Other("no state delivers the power or reaches the cut-off".into());
        let cutoff = new.lower_cutoff.ok_or_else(not_found)?;
        let (model, l) = (self.model, &self.model.layout);
        let mut y = last.to_vec();
        // from the stage's current (a discharge: positive), at least a 1e-3 of the power's at
        // 1 V
        let mut current = y[l.current].max(1e-3 * target);
        let mut stage = Stage::new();
        for _ in 0..MAX_CURRENT_STAGES {
            let next = current * (1.0 + stage.0);
            self.control.set(Control {
                mode: OperatingMode::Current(next),
                ..*new
            });
            let mut guess = y.clone();
            guess[l.current] = next;
            let solved = self
                .solve(state, &guess)
                .map(|()| state.y.clone_as_vec())
                .and_then(|y| Ok((checked(model, &y, salt_floor)?, y)));
            match solved {
                // a stage past the cut-off by more than CUTOFF_OVERSHOOT is tried again, shorter
                Ok((_, stage_y))
                    if cutoff - model.voltage(&stage_y) > CUTOFF_OVERSHOOT
                        && stage.can_shorten() =>
                {
                    stage.shorten();
                }
                Ok((reached, stage_y)) => {
                    y = stage_y;
                    current = next;
                    if let Reached::EndsAtStart(_) = reached {
                        return Ok(reached);
                    }
                    if model.voltage(&y) <= cutoff {
                        return Ok(Reached::EndsAtStart(Event::LowerVoltageCutoff));
                    }
                    if current * model.voltage(&y) >= target {
                        // the power is within reach after all
                        self.control.set(*new);
                        return self
                            .solve(state, &y)
                            .and_then(|()| checked(model, &state.y.clone_as_vec(), salt_floor));
                    }
                    stage.lengthen();
                }
                Err(_) => {
                    if !stage.shorten() {
                        break;
                    }
                }
            }
        }
        Err(not_found())
    }

    /// One Newton solve of the algebraic states of `state` from `y` under the control in force
    /// (its LU takes the factors left in the shared cache).
    fn solve(&self, state: &mut StateRefMut<'_, V>, y: &[f64]) -> Result<(), DiffsolError> {
        let ic = &self.problem.ic_options;
        let mut ls = BacktrackingLineSearch::default();
        ls.c = ic.armijo_constant;
        ls.max_iter = ic.max_linesearch_iterations;
        ls.tau = ic.step_reduction_factor;
        let mut newton = NewtonNonlinearSolver::new(LS::sharing(self.lu), ls);
        let ctx = *state.y.context();
        *state.y = V::from_slice(y, ctx);
        state.set_consistent(self.problem, &mut newton)
    }
}

/// Whether a walk from `from` to `to` under `new` (a current or power) drives a cell that
/// starts depleted (its salt at or below the cell's "Minimum salt concentration
/// \[mol.m-3\]" in `start`: the step before ended on it) harder in the same direction: past
/// the limiting current its face is already at, where no state exists.
fn pushes_a_depleted_face(model: &Model, start: &[f64], from: f64, to: f64, new: &Control) -> bool {
    let harder = matches!(
        new.mode,
        OperatingMode::Current(_) | OperatingMode::Power(_)
    ) && from * (to - from) > 0.0;
    harder
        && min_salt(model, start, &mut Workspace::for_model(model))
            <= model.params.limits.minimum_salt_concentration
}

/// [`classify`], with a root of negative salt as an error.
fn checked(model: &Model, y: &[f64], floor: Option<f64>) -> Result<Reached, DiffsolError> {
    classify(model, y, floor)
        .ok_or_else(|| DiffsolError::Other("the consistent state has negative salt".to_string()))
}
