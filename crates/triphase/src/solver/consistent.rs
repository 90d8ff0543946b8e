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
//! The run's first state is found the same way where a direct solve under the first step's
//! control fails ([`from_open_circuit`]): a fresh cell held at a voltage far from its
//! open-circuit voltage (a hold at 3.5 or 4.0 V on li-o2-ideal-anode, whose direct solve did not
//! converge, while 3.2 and 4.4 V did) starts from the consistent state at open circuit, which
//! the model's guess is close to, and is taken to the hold as at a step change.

use std::cell::Cell as StdCell;

use diffsol::{
    BacktrackingLineSearch, BdfState, DiffsolError, NewtonNonlinearSolver, OdeEquationsImplicit,
    OdeSolverProblem, OdeSolverState, StateRefMut, Vector,
};

use super::lu::FactorCache;
use super::problem::{C, LS, M, V};
use crate::model::{Control, Model, OperatingMode};

/// Smallest continuation stage, as a fraction of the path from the old to the new control.
const MIN_STAGE: f64 = 1.0 / 4096.0;

/// Makes `state` (consistent under the control in force so far) consistent under `new`, and leaves `new` in
/// `control`, the control the residual reads.
pub(crate) fn after_step_change<Eqn>(
    model: &Model,
    problem: &OdeSolverProblem<Eqn>,
    state: &mut StateRefMut<'_, V>,
    new: &Control,
    control: &StdCell<Control>,
    lu: &FactorCache,
) -> Result<(), DiffsolError>
where
    Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C>,
{
    let start = state.y.clone_as_vec();
    let Err(error) = directly_or_in_stages(model, problem, state, &start, new, control, lu) else {
        return Ok(());
    };
    // via open circuit: to rest from the old operating point, then from rest to the new one
    // (each leg directly or in stages), where the path between the two operating points has
    // no solution the stages can follow
    let rest = Control::default();
    if new.mode == rest.mode {
        return Err(error);
    }
    *state.y = V::from_slice(&start, *state.y.context());
    let via =
        directly_or_in_stages(model, problem, state, &start, &rest, control, lu).and_then(|()| {
            let open_circuit = state.y.clone_as_vec();
            directly_or_in_stages(model, problem, state, &open_circuit, new, control, lu)
        });
    control.set(*new);
    // report the direct attempt's error when neither path helps
    via.map_err(|_| error)
}

/// Makes `state`, whose values `start` are consistent under the control in force, consistent
/// under `new`: a Newton solve from [`Model::guess_after_mode_change`], else the continuation
/// from the old operating point. Leaves `new` in `control`.
fn directly_or_in_stages<Eqn>(
    model: &Model,
    problem: &OdeSolverProblem<Eqn>,
    state: &mut StateRefMut<'_, V>,
    start: &[f64],
    new: &Control,
    control: &StdCell<Control>,
    lu: &FactorCache,
) -> Result<(), DiffsolError>
where
    Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C>,
{
    control.set(*new);
    let mut y = start.to_vec();
    model.guess_after_mode_change(new, &mut y);
    let direct = solve(problem, state, &y, lu);
    let Err(direct_error) = direct else {
        return Ok(());
    };
    let result = continuation(model, problem, state, start, new, control, lu);
    control.set(*new);
    // report the direct attempt's error when the continuation cannot help either
    result.map_err(|_| direct_error)
}

/// The run's first consistent state under the control in `control` (the first step's), reached
/// from open circuit: the state is made consistent at rest from the model's initial guess,
/// then taken to the first step's control by [`after_step_change`] (a continuation where a
/// direct solve fails). `control` holds the first step's control again on return.
pub(crate) fn from_open_circuit<Eqn>(
    model: &Model,
    problem: &OdeSolverProblem<Eqn>,
    control: &StdCell<Control>,
    lu: &FactorCache,
) -> Result<BdfState<V>, DiffsolError>
where
    Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C>,
{
    let first = control.get();
    let rest = Control::default();
    control.set(rest);
    let result = BdfState::new_without_initialise(problem).and_then(|mut state| {
        solve(
            problem,
            &mut state.as_mut(),
            &model.initial_state(&rest),
            lu,
        )?;
        after_step_change(model, problem, &mut state.as_mut(), &first, control, lu)?;
        Ok(state)
    });
    control.set(first);
    result
}

/// Walks the control from its value at the old operating point to `new`, the stage a quarter
/// of the path at first, divided by four on a failed solve and doubled after a success.
fn continuation<Eqn>(
    model: &Model,
    problem: &OdeSolverProblem<Eqn>,
    state: &mut StateRefMut<'_, V>,
    start: &[f64],
    new: &Control,
    control: &StdCell<Control>,
    lu: &FactorCache,
) -> Result<(), DiffsolError>
where
    Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C>,
{
    let l = &model.layout;
    let (i0, v0) = (start[l.current], model.voltage(start));
    // the old operating point expressed in the new mode's quantity
    let (from, to, mode): (f64, f64, fn(f64) -> OperatingMode) = match new.mode {
        OperatingMode::Current(i) => (i0, i, OperatingMode::Current),
        OperatingMode::Voltage(v) => (v0, v, OperatingMode::Voltage),
        OperatingMode::Power(p) => (i0 * v0, p, OperatingMode::Power),
    };
    let mut y = start.to_vec();
    let (mut done, mut stage) = (0.0_f64, 0.25_f64);
    loop {
        let next = (done + stage).min(1.0);
        control.set(Control::at(mode(from + (to - from) * next)));
        let mut guess = y.clone();
        if let OperatingMode::Current(i) = control.get().mode {
            guess[l.current] = i;
        }
        match solve(problem, state, &guess, lu) {
            Ok(()) => {
                y = state.y.clone_as_vec();
                done = next;
                if done >= 1.0 {
                    return Ok(());
                }
                stage = (2.0 * stage).min(1.0);
            }
            Err(e) => {
                stage /= 4.0;
                if stage < MIN_STAGE {
                    return Err(e);
                }
            }
        }
    }
}

/// One Newton solve of the algebraic states of `state` from `y` under the control in force
/// (its LU takes the factors left in `lu`).
fn solve<Eqn>(
    problem: &OdeSolverProblem<Eqn>,
    state: &mut StateRefMut<'_, V>,
    y: &[f64],
    lu: &FactorCache,
) -> Result<(), DiffsolError>
where
    Eqn: OdeEquationsImplicit<M = M, V = V, T = f64, C = C>,
{
    let ic = &problem.ic_options;
    let mut ls = BacktrackingLineSearch::default();
    ls.c = ic.armijo_constant;
    ls.max_iter = ic.max_linesearch_iterations;
    ls.tau = ic.step_reduction_factor;
    let mut newton = NewtonNonlinearSolver::new(LS::sharing(lu), ls);
    let ctx = *state.y.context();
    *state.y = V::from_slice(y, ctx);
    state.set_consistent(problem, &mut newton)
}
