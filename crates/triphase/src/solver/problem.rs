//! The model as a diffsol DAE M dy/dt = f(y) with root functions:
//!
//! - right-hand side: [`Model::residual`] in `f64` under the control of the running step;
//! - Jacobian-vector product: the same residual in dual numbers (exact); diffsol detects the
//!   sparsity pattern by pushing NaN through it and assembles the sparse Jacobian by colouring;
//! - mass: diagonal, 0 on algebraic rows (`y = M v + beta y`);
//! - roots: the stop events of [`crate::model::events`].
//!
//! The control is shared with the stepping loop, which changes it between experiment steps.

use std::cell::{Cell as StdCell, RefCell};
use std::rc::Rc;

use diffsol::{
    DiffsolError, FaerSparseLU, FaerSparseMat, MatrixCommon, OdeBuilder, OdeEquationsImplicit,
    OdeSolverProblem,
};

use super::SolverOptions;
use crate::model::events::{self, Event};
use crate::model::{Control, Model, StateKind, Workspace};
use crate::scalar::Dual64;

/// Sparse matrix type of the Jacobian.
pub(crate) type M = FaerSparseMat<f64>;
/// Sparse LU solver.
pub(crate) type LS = FaerSparseLU<f64>;
/// State vector type.
pub(crate) type V = <M as MatrixCommon>::V;
/// Linear-algebra context.
pub(crate) type C = <M as MatrixCommon>::C;

/// Newton convergence tolerance, relative to the error weights (diffsol's default is 0.2).
pub(crate) const NEWTON_TOLERANCE: f64 = 0.02;

/// Builds the problem from `model`, the shared `control` and the initial state `y0`.
pub(crate) fn build(
    model: &Rc<Model>,
    control: &Rc<StdCell<Control>>,
    options: &SolverOptions,
    y0: Vec<f64>,
) -> Result<OdeSolverProblem<impl OdeEquationsImplicit<M = M, V = V, T = f64, C = C>>, DiffsolError>
{
    let n = model.len();
    let (m_rhs, c_rhs) = (model.clone(), control.clone());
    let ws_rhs = RefCell::new(Workspace::<f64>::for_model(model));
    let (m_jac, c_jac) = (model.clone(), control.clone());
    let ws_jac = RefCell::new((
        Workspace::<Dual64>::for_model(model),
        vec![Dual64::from(0.0); n],
        vec![Dual64::from(0.0); n],
    ));
    let (m_root, c_root) = (model.clone(), control.clone());
    let ws_root = RefCell::new(Workspace::<f64>::for_model(model));
    let differential: Vec<bool> = (0..n)
        .map(|i| model.layout.kind(i) == StateKind::Differential)
        .collect();
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
        .build()?;
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
    problem.ode_options.nonlinear_solver_tolerance = NEWTON_TOLERANCE;
    Ok(problem)
}
