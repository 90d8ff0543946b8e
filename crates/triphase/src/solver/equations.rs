//! The model as diffsol equations, with the Jacobian's sparsity pattern given rather than
//! detected by diffsol's builder (whose batched probe holds states x states numbers).
//!
//! - right-hand side: [`Model::residual`] in `f64` under the control of the running step;
//! - Jacobian-vector product: the same residual in dual numbers (exact); the sparse Jacobian is
//!   assembled by colouring from the pattern of [`super::sparsity::jacobian_pattern`], several
//!   colours per residual evaluation ([`super::jacobian`]), a quarter of the way from the
//!   state a step in progress starts from to its prediction where there is one
//!   ([`Prediction`]);
//! - mass: diagonal, 1 on differential rows and 0 on algebraic ones;
//! - roots: the stop events of [`crate::model::events`].

use std::cell::{Cell as StdCell, RefCell};
use std::rc::Rc;

use diffsol::matrix::sparsity::MatrixSparsity;
use diffsol::{
    ConstantOp, JacobianColoring, LinearOp, Matrix, NonLinearOp, NonLinearOpJacobian, OdeEquations,
    OdeEquationsRef, Op, UnitCallable, Vector, VectorCommon,
};

use super::jacobian::{ColouredJacobian, LaneScratch};

use super::problem::{C, M, V};
use crate::model::events::{self, Event};
use crate::model::{Control, Model, StateKind, Workspace};
use crate::scalar::Dual64;

/// The DAE M dy/dt = f(y) of a model under a shared control, with its stop events. A clone
/// shares the model and control, copies the Jacobian's pattern and colouring (nothing is
/// detected again) and has workspaces of its own.
#[derive(Clone)]
pub(crate) struct ModelEquations {
    model: Rc<Model>,
    control: Rc<StdCell<Control>>,
    y0: V,
    differential: Vec<bool>,
    ctx: C,
    jacobian_sparsity: <M as Matrix>::Sparsity,
    jacobian_colouring: ColouredJacobian,
    mass_sparsity: <M as Matrix>::Sparsity,
    mass_coloring: JacobianColoring<M>,
    rhs_workspace: RefCell<Workspace<f64>>,
    jac_workspace: RefCell<(Workspace<Dual64>, Vec<Dual64>, Vec<Dual64>)>,
    lane_scratch: RefCell<LaneScratch>,
    root_workspace: RefCell<Workspace<f64>>,
    prediction: RefCell<Prediction>,
    jacobian_age: RefCell<JacobianAge>,
}

/// How far the cathode's charge-transfer overpotentials have moved since the Jacobian was
/// last evaluated, to tell the stepper when to refresh it ([`JacobianAging::jacobian_outdated`]).
///
/// diffsol's BDF re-evaluates the Jacobian every 50 steps or after a Newton failure, and its
/// Newton iteration may stop after one correction on the convergence rate carried over from the
/// previous steps. A Jacobian taken before a reaction turned on lacks the reaction's
/// exp(alpha f eta) terms, and the first correction it gives can be accepted: in na-o2's second
/// discharge (after a charge that left no product, rtol 1e-6) the double layer went on
/// discharging through the NaO2 reaction's onset at 2.18 V to the 2.0 V cut-off, the accepted
/// states moving at the double layer's rate (-3e-3 V s-1) while the residual's own rate at them
/// was +6e-3 V s-1 and its reaction current nine times the applied one. The kinetic entries
/// scale as exp(alpha f eta): once an overpotential has moved by [`STALE_OVERPOTENTIAL`] they
/// are off by a factor of about e^(alpha f 2RT/F) = e for alpha = 1/2.
#[derive(Clone, Default)]
struct JacobianAge {
    /// The overpotentials of the state the Jacobian was last evaluated at [V] (empty before).
    eta: Vec<f64>,
    /// Whether a residual has been evaluated at overpotentials farther than
    /// [`STALE_OVERPOTENTIAL`] from them.
    outdated: bool,
}

/// Change of a charge-transfer overpotential after which the Jacobian is re-evaluated [V]:
/// 2 RT/F at 298.15 K.
///
/// The threshold changes the solver's path, not only its cost. At 4 RT/F 10 capacity-limited
/// cycles (2.5 h each way at 0.2 mA cm-2) took 1-12 % less time (li-o2 439 -> 399 ms, 1468 ->
/// 1302 LU setups; k-o2 354 -> 311 ms) and the two runs of the robustness test's edge sweep
/// that fail here passed, but the cycler-record fitting example (`examples/
/// fit_cycler_record.py`) met a parameter set whose rest step failed ('step size too small')
/// and a li-air cell discharged to 1.0 V failed at the start of its charge; 3 RT/F failed
/// three runs of the edge sweep. The two runs that failed at 2 RT/F were steps whose Newton
/// iteration diffsol accepted after a single correction with a Jacobian from before an
/// overpotential moved ~65 mV within the step; a Jacobian re-evaluated before every step that
/// would move that far removed them but cost 14-24 % of a cycling run. They pass since the
/// overpotentials' absolute tolerance is 1e-5 V ([`crate::model::Model::absolute_tolerances`]).
pub(crate) const STALE_OVERPOTENTIAL: f64 = 0.0514;

/// Where the Jacobian of a step in progress is taken, as a fraction of the way from the state
/// the step starts from (0, diffsol's choice) to the step's prediction (1) [-]: see
/// [`Prediction`].
pub(crate) const PREDICTION_WEIGHT: f64 = 0.25;

/// The state the Newton matrix's Jacobian is taken at during a step.
///
/// diffsol's BDF refreshes the Jacobian after a failed Newton iteration at the state the step
/// starts from, (t_n, y_n). SUNDIALS and SciPy's BDF take it at the step's predicted state
/// (t_n + h, y_pred), where the Newton iteration runs; over the long steps of a discharge
/// plateau (1000-5000 s at order 5) the two differ enough that a Jacobian refreshed at y_n
/// still failed to converge (rate ~0.5 against the 0.02 tolerance: the O2 of the volumes next
/// to the separator, running out, changes several-fold within a step), and every such failure
/// cost a Jacobian, a refactorisation and often a step cut. The Newton iteration converges to
/// the same solution whichever Jacobian it uses (the residual is exact); only its speed changes.
///
/// The first residual a step attempt evaluates at a new time is its predicted state. A Jacobian
/// asked for at exactly the time the attempt started from (`from`: the time evaluated before
/// it, kept over retries at smaller steps), under the same control, is taken a quarter of the
/// way from that state to the prediction ([`PREDICTION_WEIGHT`]); any other request (a step's
/// own state on the regular schedule, a consistent initialisation after a stop event inside
/// the last step, a new experiment step) at the state given. So is a prediction that carries
/// a non-negative state ([`crate::model::Layout::non_negative`]) below zero by more than ten
/// of its absolute tolerances: a polynomial predictor extrapolates a product that the charge
/// is using up through zero (-1.6e-2 from 2.3e-2 in the last cathode volume of
/// `examples/half-cell-like.toml` at 1 mA cm-2), and diffsol keeps a Jacobian taken there
/// while it cuts the step after further failures (it refreshes it only on a first failure),
/// down to 'step size too small'.
///
/// Why a quarter of the way and not the prediction itself: the Jacobian diffsol refreshes after
/// a first failure serves that attempt and every retry at a smaller step (h, 0.3 h, 0.09 h ...:
/// diffsol refreshes it only once per step), and the retries' iterates lie near the step's
/// start. Taken at the prediction, it failed them in the steep stretches of a step: li-air
/// discharged at 0.05 mA cm-2 after a 190 h hold at 2.5 V (rtol 1e-4) failed a 78 s step at
/// 1.17 V, where the prediction's overpotentials lay up to 0.17 V from the step's start (the
/// O2 front), and the Newton iteration diverged at every retry down to 1e-13 s until a
/// restart; a random protocol that repeats such steps (`scripts/fuzz-protocols`, seed 1210)
/// ended in a solver failure after 18 restarts. Measured with the release binary on a 2-core
/// AMD EPYC VM: random protocols at high currents (`--high`, seeds 2000-2299), and the
/// benchmark's medians of 10 capacity-limited cycles of na-o2 and of one 0.1 mA cm-2 discharge
/// of li-o2-ideal-anode (`triphase bench`):
///
/// | weight | runs with restarts (restarts) | na-o2, 10 cycles | li-o2-ideal-anode discharge |
/// | --- | --- | --- | --- |
/// | 0 (diffsol's) | 0 | 289 ms, 3182 steps | 14.7 ms, 204 steps |
/// | 0.25 | 0 | 261 ms, 3056 steps | 11.9 ms, 171 steps |
/// | 0.5 | 2 (3) | 252 ms, 2898 steps | 10.8 ms, 165 steps |
/// | 0.75 | 5 (10) | 246 ms, 2819 steps | 10.4 ms, 161 steps |
/// | 1 (before) | 14 (27) | 224 ms, 2839 steps | 9.1 ms, 152 steps |
///
/// At 0.25 against 1 on other random protocols: seeds 2000-2299 on the presets 0 runs with
/// restarts against 6 (11 restarts), with a library component 0 against 7 (18); the 23
/// protocols listed as bad in seeds 1000-1399 and 1500-1799, 3 restarts against 51 and the
/// failure; runs whose balances drift by more than 1e-6 (superoxide cells far above
/// equilibrium, docs/model.md) 1-3 in each set either way. The cost: one discharge takes
/// 19-30 % more time (li-o2-ideal-anode 11.9 against 9.1 ms, li-o2 23.7 against 19.9 ms,
/// li-air 39.2 against 31.5 ms), 10 cycles 1-17 % (na-o2 the most), a skipped 1000-cycle life
/// of li-o2-ideal-anode 4 % (11.3 against 10.9 s). Also tried, at 1: not using a prediction
/// whose overpotentials lie more than 2RT/F (or RT/F) from those of the step's start (15, or
/// 10, runs with restarts at high currents), and flooring the prediction's non-negative states
/// at zero (first-order rates change sign below zero; it cut li-o2's skipped life from 12
/// skipped cycles to 9).
///
/// A solver's start is not a step attempt: diffsol's initial step-size estimate evaluates the
/// right-hand side once at a probe y0 + h0 y0' (`BdfState::set_step_size`), and taken as a
/// prediction that probe served the new solver's first Jacobian. After a restart y0' is the
/// derivative of the failed solver's history, and in a li-air cell resting after a 1 mA cm-2
/// pulse to 1.0 V the probe carried the O2 of a starved cathode volume at 8.3e-2 mol m-3
/// against 5.5e-7: that Jacobian's overpotential entry was some 1e5 times too steep, the Newton
/// iteration hardly moved the overpotential and accepted a step 1.9 mV off its constraint, and
/// a second restart followed. Each solver start forgets the evaluations before it
/// ([`JacobianAging::solver_started`]).
///
/// Not used with a redox mediator: with the bromide and iodide mediators (3 X- = X3- + 2 e-)
/// the Jacobian at the prediction made a LiBr cell with the double layer take 15 000 steps for
/// three cycles instead of 2 400, and the Newton iteration accepted states with the reduced
/// form at -200 mol m-3 (of 50) in its last discharge (the robustness test's LiBr, LiI, InBr3
/// and IMPBr cells); why is not understood. At a quarter of the way (stop 59) the five library
/// mediators on li-o2, with the standard and a glass-fibre separator, under five protocols (50
/// runs) needed no restart either way, but took up to 38 % more steps with it (LiBr with glass
/// fibre, five cycles: 3535 against 2556), so the exception stays.
#[derive(Clone, Default)]
struct Prediction {
    /// Time of the prediction [s] (none before any residual).
    t: Option<f64>,
    /// Time the step attempt starts from [s] (none after a change of control).
    from: Option<f64>,
    /// The control it was evaluated under.
    control: Option<Control>,
    /// The predicted state.
    y: Vec<f64>,
    /// The point a Jacobian is taken at (a buffer: between the given state and `y`).
    point: Vec<f64>,
    /// The non-negative states with how far below zero a prediction may take each (ten of its
    /// absolute tolerances).
    bounds: Vec<(usize, f64)>,
    /// Whether predictions are used (not with a redox mediator).
    enabled: bool,
}

impl Prediction {
    /// No prediction yet, for the states of `model` integrated with absolute tolerances
    /// `atol`.
    fn new(model: &Model, atol: &[f64]) -> Self {
        let bounds = model
            .layout
            .non_negative()
            .into_iter()
            .flat_map(|(r, _)| r)
            .map(|i| (i, 10.0 * atol[i]))
            .collect();
        Self {
            bounds,
            enabled: model.layout.mediator.is_none(),
            ..Self::default()
        }
    }

    /// Records `y` if it is the first state evaluated at `t` under `control`.
    fn observe(&mut self, t: f64, control: &Control, y: &[f64]) {
        let same_control = self.control.as_ref() == Some(control);
        if same_control && self.t == Some(t) {
            return;
        }
        if !same_control {
            self.from = None;
        } else if self.t.is_some_and(|tp| t > tp) {
            // a new step from the last time evaluated (a retry at a smaller step, t < tp,
            // keeps the start)
            self.from = self.t;
        }
        self.t = Some(t);
        self.control = Some(*control);
        self.y.clear();
        self.y.extend_from_slice(y);
    }

    /// A solver starts at `t0`: the evaluations before are forgotten, and the next one at a
    /// later time starts a step attempt from `t0`.
    fn start_at(&mut self, t0: f64) {
        self.t = Some(t0);
        self.from = None;
        self.y.clear();
    }

    /// The state a Jacobian asked for at (`t`, `y`) under `control` is taken at: `y`, or
    /// within a step in progress y + [`PREDICTION_WEIGHT`] (y_pred - y).
    fn state_for<'a>(&'a mut self, t: f64, control: &Control, y: &'a [f64]) -> &'a [f64] {
        let in_step = self.from == Some(t) && self.t.is_some_and(|tp| tp > t);
        let admissible = || {
            self.bounds
                .iter()
                .all(|&(i, dip)| self.y[i] >= -dip || self.y[i] >= y[i])
        };
        if in_step
            && self.control.as_ref() == Some(control)
            && self.y.len() == y.len()
            && self.enabled
            && admissible()
        {
            self.point.clear();
            self.point.extend(
                y.iter()
                    .zip(&self.y)
                    .map(|(g, p)| g + PREDICTION_WEIGHT * (p - g)),
            );
            &self.point
        } else {
            y
        }
    }
}

impl ModelEquations {
    /// The equations of `model` under `control`, starting from `y0` (whose pattern is taken),
    /// integrated with absolute tolerances `atol`.
    pub fn new(
        model: &Rc<Model>,
        control: &Rc<StdCell<Control>>,
        y0: Vec<f64>,
        atol: &[f64],
    ) -> Self {
        let n = model.len();
        let ctx = C::default();
        let pairs = super::sparsity::jacobian_pattern(model, &control.get(), &y0);
        let jacobian_sparsity =
            <<M as Matrix>::Sparsity as MatrixSparsity<M>>::try_from_indices(n, n, pairs.clone())
                .expect("the detected pattern lies inside the matrix");
        let jacobian_colouring =
            ColouredJacobian::new(n, jacobian_sparsity.col_ptr(), jacobian_sparsity.row_idx());
        let differential: Vec<bool> = (0..n)
            .map(|i| model.layout.kind(i) == StateKind::Differential)
            .collect();
        let diagonal: Vec<(usize, usize)> = (0..n)
            .filter(|&i| differential[i])
            .map(|i| (i, i))
            .collect();
        let mass_sparsity = <<M as Matrix>::Sparsity as MatrixSparsity<M>>::try_from_indices(
            n,
            n,
            diagonal.clone(),
        )
        .expect("the diagonal lies inside the matrix");
        let mass_coloring = JacobianColoring::new(&mass_sparsity, &diagonal, ctx);
        Self {
            y0: V::from_vec(y0, ctx),
            differential,
            jacobian_sparsity,
            jacobian_colouring,
            mass_sparsity,
            mass_coloring,
            rhs_workspace: RefCell::new(Workspace::for_model(model)),
            jac_workspace: RefCell::new((
                Workspace::for_model(model),
                vec![Dual64::from(0.0); n],
                vec![Dual64::from(0.0); n],
            )),
            lane_scratch: RefCell::new(LaneScratch::for_model(model)),
            root_workspace: RefCell::new(Workspace::for_model(model)),
            prediction: RefCell::new(Prediction::new(model, atol)),
            jacobian_age: RefCell::new(JacobianAge::default()),
            model: model.clone(),
            control: control.clone(),
            ctx,
        }
    }

    /// The model.
    pub fn model(&self) -> &Model {
        &self.model
    }
}

/// The operators, borrowing the equations.
pub(crate) struct Rhs<'a>(&'a ModelEquations);
/// The mass matrix.
pub(crate) struct Mass<'a>(&'a ModelEquations);
/// The initial state.
pub(crate) struct Init<'a>(&'a ModelEquations);
/// The stop events.
pub(crate) struct Root<'a>(&'a ModelEquations);

macro_rules! op {
    ($t:ty, |$e:ident| $nout:expr) => {
        impl Op for $t {
            type T = f64;
            type V = V;
            type M = M;
            type C = C;
            fn nstates(&self) -> usize {
                self.0.model.len()
            }
            fn nout(&self) -> usize {
                let $e = self.0;
                $nout
            }
            fn nparams(&self) -> usize {
                0
            }
            fn context(&self) -> &Self::C {
                &self.0.ctx
            }
        }
    };
}

op!(Rhs<'_>, |e| e.model.len());
op!(Mass<'_>, |e| e.model.len());
op!(Init<'_>, |e| e.model.len());
op!(Root<'_>, |_e| Event::ALL.len());

impl NonLinearOp for Rhs<'_> {
    fn call_inplace(&self, x: &V, t: f64, y: &mut V) {
        let e = self.0;
        let control = e.control.get();
        y.for_each_batch_host([x], |y, [x], _| {
            e.prediction.borrow_mut().observe(t, &control, x);
            let mut age = e.jacobian_age.borrow_mut();
            if !age.outdated && !age.eta.is_empty() {
                let eta = &x[e.model.layout.overpotential.clone()];
                age.outdated = eta
                    .iter()
                    .zip(&age.eta)
                    .any(|(a, b)| (a - b).abs() > STALE_OVERPOTENTIAL);
            }
            e.model
                .residual(x, &control, &mut e.rhs_workspace.borrow_mut(), y)
        });
    }
}

impl NonLinearOpJacobian for Rhs<'_> {
    fn jac_mul_inplace(&self, x: &V, _t: f64, v: &V, y: &mut V) {
        let e = self.0;
        y.for_each_batch_host([x, v], |y, [x, v], _| {
            let (ws, xd, out) = &mut *e.jac_workspace.borrow_mut();
            for i in 0..x.len() {
                xd[i] = Dual64::new(x[i], v[i]);
            }
            e.model.residual(xd, &e.control.get(), ws, out);
            for i in 0..x.len() {
                y[i] = out[i].eps;
            }
        });
    }

    /// The Jacobian at the predicted state of the step in progress, if any ([`Prediction`]),
    /// else at `x`.
    fn jacobian_inplace(&self, x: &V, t: f64, y: &mut M) {
        let e = self.0;
        let control = e.control.get();
        // a single batch lane, as in the LU (`super::lu`)
        let x = x.inner().col(0);
        let x = x.try_as_col_major().expect("a vector is contiguous");
        let mut prediction = e.prediction.borrow_mut();
        let at = prediction.state_for(t, &control, x.as_slice());
        let mut age = e.jacobian_age.borrow_mut();
        age.eta.clear();
        age.eta
            .extend_from_slice(&at[e.model.layout.overpotential.clone()]);
        age.outdated = false;
        e.jacobian_colouring.assemble(
            &e.model,
            &control,
            at,
            &mut e.lane_scratch.borrow_mut(),
            y.inner_mut()[0].val_mut(),
        );
    }

    fn jacobian_sparsity(&self) -> Option<<M as Matrix>::Sparsity> {
        Some(self.0.jacobian_sparsity.clone())
    }
}

impl LinearOp for Mass<'_> {
    fn gemv_inplace(&self, x: &V, _t: f64, beta: f64, y: &mut V) {
        let d = &self.0.differential;
        y.for_each_batch_host([x], |y, [x], _| {
            for i in 0..x.len() {
                y[i] = if d[i] {
                    x[i] + beta * y[i]
                } else {
                    beta * y[i]
                };
            }
        });
    }

    fn matrix_inplace(&self, t: f64, y: &mut M) {
        self.0.mass_coloring.matrix_inplace(self, t, y);
    }

    fn sparsity(&self) -> Option<<M as Matrix>::Sparsity> {
        Some(self.0.mass_sparsity.clone())
    }
}

impl ConstantOp for Init<'_> {
    fn call_inplace(&self, _t: f64, y: &mut V) {
        y.copy_from(&self.0.y0);
    }
}

impl NonLinearOp for Root<'_> {
    fn call_inplace(&self, x: &V, _t: f64, y: &mut V) {
        let e = self.0;
        y.for_each_batch_host([x], |g, [x], _| {
            events::roots(
                &e.model,
                &e.control.get(),
                x,
                &mut e.root_workspace.borrow_mut(),
                g,
            )
        });
    }
}

/// Equations that tell the stepper when their Jacobian should be evaluated again.
pub(crate) trait JacobianAging {
    /// Whether the last Jacobian no longer describes the states being solved for.
    fn jacobian_outdated(&self) -> bool;

    /// A solver starts: forgets the state last evaluated, so that no Jacobian is taken at it
    /// as a step's prediction ([`Prediction`]). The solver's initial step-size estimate
    /// evaluates the right-hand side at a probe y0 + h0 y0' a step ahead, which is not one.
    fn solver_started(&self, t0: f64);
}

impl JacobianAging for ModelEquations {
    /// Whether a residual has been evaluated at overpotentials more than
    /// [`STALE_OVERPOTENTIAL`] from those of the last Jacobian ([`JacobianAge`]).
    fn jacobian_outdated(&self) -> bool {
        self.jacobian_age.borrow().outdated
    }

    fn solver_started(&self, t0: f64) {
        self.prediction.borrow_mut().start_at(t0);
    }
}

impl Op for ModelEquations {
    type T = f64;
    type V = V;
    type M = M;
    type C = C;
    fn nstates(&self) -> usize {
        self.model.len()
    }
    fn nout(&self) -> usize {
        self.model.len()
    }
    fn nparams(&self) -> usize {
        0
    }
    fn context(&self) -> &Self::C {
        &self.ctx
    }
}

impl<'a> OdeEquationsRef<'a> for ModelEquations {
    type Mass = Mass<'a>;
    type Rhs = Rhs<'a>;
    type Root = Root<'a>;
    type Init = Init<'a>;
    type Out = UnitCallable<M>;
    type Reset = UnitCallable<M>;
}

impl OdeEquations for ModelEquations {
    fn rhs(&self) -> Rhs<'_> {
        Rhs(self)
    }
    fn mass(&self) -> Option<Mass<'_>> {
        Some(Mass(self))
    }
    fn root(&self) -> Option<Root<'_>> {
        Some(Root(self))
    }
    fn init(&self) -> Init<'_> {
        Init(self)
    }
    /// No parameters: the model's values live in the model.
    fn set_params(&mut self, _p: &V) {}
    fn get_params(&self, _p: &mut V) {}
}

#[cfg(test)]
mod tests {
    use super::Prediction;
    use crate::model::{Control, OperatingMode};

    /// A prediction over three states of which the first is non-negative, with a dip of 1e-6.
    fn prediction() -> Prediction {
        Prediction {
            bounds: vec![(0, 1e-6)],
            enabled: true,
            ..Prediction::default()
        }
    }

    /// `got` is `want` to round-off.
    fn assert_at(got: &[f64], want: [f64; 3]) {
        assert!(
            got.iter().zip(want).all(|(g, w)| (g - w).abs() <= 1e-12),
            "{got:?} is not {want:?}"
        );
    }

    /// The Jacobian of the start of a step attempt is taken a quarter of the way from the state
    /// given to the attempt's first residual state (its prediction), also after a retry at a
    /// smaller step; requests at other times, under another control, with a prediction below
    /// a bound or after a solver's start (its step-size probe) are taken at the state given.
    #[test]
    fn the_jacobian_of_a_step_in_progress_is_taken_towards_its_prediction() {
        assert_eq!(super::PREDICTION_WEIGHT, 0.25);
        let discharge = Control::at(OperatingMode::Current(1.0));
        let charge = Control::at(OperatingMode::Current(-1.0));
        let given = [9.0, 9.0, 9.0];
        let mut p = prediction();
        assert_eq!(p.state_for(0.0, &discharge, &given), given);
        // the step from t = 0: residuals at 0, then the attempt at 2 (predicted, then an iterate)
        p.observe(0.0, &discharge, &[1.0, 1.0, 1.0]);
        p.observe(2.0, &discharge, &[2.0, 2.0, 2.0]);
        p.observe(2.0, &discharge, &[3.0, 3.0, 3.0]);
        assert_at(p.state_for(0.0, &discharge, &given), [7.25, 7.25, 7.25]);
        // not at another time, nor under another control
        assert_eq!(p.state_for(1.0, &discharge, &given), given);
        assert_eq!(p.state_for(2.0, &discharge, &given), given);
        assert_eq!(p.state_for(0.0, &charge, &given), given);
        // a retry at a smaller step still starts from 0
        p.observe(0.6, &discharge, &[4.0, 4.0, 4.0]);
        assert_at(p.state_for(0.0, &discharge, &given), [7.75, 7.75, 7.75]);
        // the next step starts from 0.6
        p.observe(1.5, &discharge, &[5.0, 5.0, 5.0]);
        assert_at(p.state_for(0.6, &discharge, &given), [8.0, 8.0, 8.0]);
        assert_eq!(p.state_for(0.0, &discharge, &given), given);
        // a stop event inside that step, then a new experiment step at 1.2: no start to serve
        p.observe(1.2, &charge, &[6.0, 6.0, 6.0]);
        assert_eq!(p.state_for(1.2, &charge, &given), given);
        p.observe(1.3, &charge, &[7.0, 7.0, 7.0]);
        assert_at(p.state_for(1.2, &charge, &given), [8.5, 8.5, 8.5]);
        // a prediction that takes the non-negative state below zero by more than its dip is
        // not used, one within the dip (or not lower than the given state) is (retries of the
        // step from 1.2)
        p.observe(1.28, &charge, &[-2e-6, 7.0, 7.0]);
        assert_eq!(p.state_for(1.2, &charge, &given), given);
        p.observe(1.26, &charge, &[-0.5e-6, 9.0, 9.0]);
        assert_at(
            p.state_for(1.2, &charge, &[0.5e-6, 9.0, 9.0]),
            [0.25e-6, 9.0, 9.0],
        );
        p.observe(1.25, &charge, &[-2e-6, 7.0, 7.0]);
        assert_at(
            p.state_for(1.2, &charge, &[-3e-6, 9.0, 9.0]),
            [-2.75e-6, 8.5, 8.5],
        );
        // a solver starting at 1.25 estimates its first step with a probe at 1.3 and then asks
        // for its Jacobian at 1.25: the probe is no prediction
        p.observe(1.25, &charge, &[8.0, 8.0, 8.0]);
        p.observe(1.3, &charge, &[9.5, 9.5, 9.5]);
        p.start_at(1.25);
        assert_eq!(p.state_for(1.25, &charge, &given), given);
        // its first step attempt from 1.25 is one
        p.observe(1.26, &charge, &[8.5, 8.5, 8.5]);
        assert_at(p.state_for(1.25, &charge, &given), [8.875, 8.875, 8.875]);
    }
}
