//! The model as a diffsol DAE M dy/dt = f(y) with root functions:
//!
//! - right-hand side: [`Model::residual`] in `f64` under the control of the running step;
//! - Jacobian-vector product: the same residual in dual numbers (exact); the sparse Jacobian
//!   is assembled by colouring from a pattern found in linear time and memory
//!   ([`super::sparsity`], [`super::equations`]);
//! - mass: diagonal, 0 on algebraic rows (`y = M v + beta y`);
//! - roots: the stop events of [`crate::model::events`].
//!
//! The control is shared with the stepping loop, which changes it between experiment steps.

use std::cell::Cell as StdCell;
use std::rc::Rc;

use diffsol::{DiffsolError, FaerSparseMat, MatrixCommon, OdeBuilder, OdeSolverProblem};

use super::equations::ModelEquations;
use super::SolverOptions;
use crate::model::{Control, Model};

/// Sparse matrix type of the Jacobian.
pub(crate) type M = FaerSparseMat<f64>;
/// Sparse LU solver: faer's, refactorised on a kept pivot sequence ([`super::lu`]).
pub(crate) type LS = super::lu::SparseLu;
/// State vector type.
pub(crate) type V = <M as MatrixCommon>::V;
/// Linear-algebra context.
pub(crate) type C = <M as MatrixCommon>::C;

/// Newton convergence tolerance, relative to the error weights (diffsol's default is 0.2),
/// for a cell without the carbon's double layer (option `double_layer = false`).
pub(crate) const NEWTON_TOLERANCE: f64 = 0.02;

/// Newton convergence tolerance with the carbon's double layer in the time domain (option
/// `double_layer`, the default). There the charge moves between the double layer and a reaction within
/// seconds (the R_ct C_dl time constant), and where a redox mediator's oxidised form runs out
/// on discharge its rate swings by orders of magnitude per step: at 0.02 Newton stopped on the
/// first iteration with a Jacobian kept from a slower state, and BDF accepted states whose
/// mediator moved against its own rate (f_red = +1e5 mol m-3 s-1 while the reduced form fell
/// to -74 mol m-3; the Jacobian itself matched central differences to 1e-3). At 0.005 the
/// lowest value in that run is -2.3e-4 mol m-3; 32 li-o2 cycles take 1.1x the time at 0.005.
pub(crate) const NEWTON_TOLERANCE_DOUBLE_LAYER: f64 = 0.005;

/// Largest factor by which BDF may lengthen its step at once (diffsol's default is 2; SUNDIALS'
/// CVODE and IDA allow 10). After every step change the integrator restarts at order 1 from
/// ~1 ms and climbs to steps of minutes; with 2 that climb takes ~40 steps of a ~250-step
/// cycle. 5 saves 9 % of the steps and 16 % of the LU setups of 100 li-o2 cycles and 14 % of
/// the steps of a half-cell discharge; 10 saved as much but cost one cell of the library-wide
/// robustness run a solver restart.
pub(crate) const MAX_STEP_GROWTH: f64 = 5.0;

/// Newton convergence tolerance of the consistent initialisations (at the start, at step
/// changes and at restarts), relative to the error weights: diffsol's default for its Newton
/// iterations.
///
/// diffsol's initialisation takes the stepping tolerance, and with the carbon's double layer
/// ([`NEWTON_TOLERANCE_DOUBLE_LAYER`], 0.005) a fine cathode mesh could not reach it: its
/// unknowns include the double layer's charging rates, whose rounding noise grows as the
/// square of the number of volumes (the solid-phase current divergence is a difference of
/// fluxes over dx^2). li-o2-ideal-anode's iterations stalled at a norm of 2.4e-3 with 1020
/// cathode volumes, where the test asks eta x norm < 0.005 with eta >= 2 after a stall, and its
/// discharge failed at t = 0 ("no consistent initial state") from ~1010 cathode volumes up,
/// 2000 + 2000 included. At 0.2 a solve from a rough guess still stops only after the
/// quadratic phase (the second iteration of that start is at 2.5e-3).
pub(crate) const CONSISTENT_TOLERANCE: f64 = 0.2;

/// The twin of `problem` for the consistent initialisations: the same equations and
/// tolerances, the Newton tolerance [`CONSISTENT_TOLERANCE`].
pub(crate) fn consistency_twin(
    problem: &OdeSolverProblem<ModelEquations>,
) -> OdeSolverProblem<ModelEquations> {
    let mut twin = OdeSolverProblem {
        eqn: problem.eqn.clone(),
        rtol: problem.rtol,
        atol: problem.atol.clone(),
        t0: problem.t0,
        h0: problem.h0,
        integrate_out: problem.integrate_out,
        sens_rtol: problem.sens_rtol,
        sens_atol: problem.sens_atol.clone(),
        out_rtol: problem.out_rtol,
        out_atol: problem.out_atol.clone(),
        param_rtol: problem.param_rtol,
        param_atol: problem.param_atol.clone(),
        ic_options: Default::default(),
        ode_options: Default::default(),
    };
    set_options(&mut twin, problem.eqn.model());
    twin.ode_options.nonlinear_solver_tolerance = CONSISTENT_TOLERANCE;
    twin
}

/// Builds the problem from `model`, the shared `control` and the initial state `y0`.
pub(crate) fn build(
    model: &Rc<Model>,
    control: &Rc<StdCell<Control>>,
    options: &SolverOptions,
    y0: Vec<f64>,
) -> Result<OdeSolverProblem<ModelEquations>, DiffsolError> {
    let atol = model.absolute_tolerances(options.atol_scale);
    let equations = ModelEquations::new(model, control, y0, &atol);
    let mut problem = OdeBuilder::<M>::new()
        .rtol(options.rtol)
        .atol(atol)
        .build_from_eqn(equations)?;
    set_options(&mut problem, model);
    Ok(problem)
}

/// The solver options of the problems of `model` (see the comments).
fn set_options(problem: &mut OdeSolverProblem<ModelEquations>, model: &Model) {
    // diffsol 0.18 counts Newton failures over the whole integration, not per step, so a long
    // run with ordinary recoverable failures would abort; a stuck step still ends through the
    // minimum step size and our own per-step limit.
    problem.ode_options.max_nonlinear_solver_failures = usize::MAX;
    // Newton stops once its predicted remaining correction is below this fraction of the error
    // weights. diffsol's default (0.2) lets the first iteration of a step stop with a Jacobian
    // kept from earlier steps; in weakly determined directions (the potential level of a
    // cathode whose O2 is used up, a cathode at rest) the accepted states then drift off the
    // algebraic constraint by ~50-100 error weights, the step history carries that offset, and
    // the error test fails at every step size (seen as 'maximum number of error test
    // failures' late in a discharge or after a rest). 0.02 closes the gap at the cost of
    // about one more Newton iteration per step.
    problem.ode_options.nonlinear_solver_tolerance = if model.options.double_layer {
        NEWTON_TOLERANCE_DOUBLE_LAYER
    } else {
        NEWTON_TOLERANCE
    };
    problem.ode_options.max_timestep_growth = Some(MAX_STEP_GROWTH);
}
