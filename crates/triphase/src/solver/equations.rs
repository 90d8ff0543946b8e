//! The model as diffsol equations, with the Jacobian's sparsity pattern given rather than
//! detected by diffsol's builder (whose batched probe holds states x states numbers).
//!
//! - right-hand side: [`Model::residual`] in `f64` under the control of the running step;
//! - Jacobian-vector product: the same residual in dual numbers (exact); the sparse Jacobian is
//!   assembled by colouring from the pattern of [`super::sparsity::jacobian_pattern`], several
//!   colours per residual evaluation ([`super::jacobian`]);
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
}

impl ModelEquations {
    /// The equations of `model` under `control`, starting from `y0` (whose pattern is taken).
    pub fn new(model: &Rc<Model>, control: &Rc<StdCell<Control>>, y0: Vec<f64>) -> Self {
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
    fn call_inplace(&self, x: &V, _t: f64, y: &mut V) {
        let e = self.0;
        y.for_each_batch_host([x], |y, [x], _| {
            e.model
                .residual(x, &e.control.get(), &mut e.rhs_workspace.borrow_mut(), y)
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

    fn jacobian_inplace(&self, x: &V, _t: f64, y: &mut M) {
        let e = self.0;
        let control = e.control.get();
        // a single batch lane, as in the LU (`super::lu`)
        let x = x.inner().col(0);
        let x = x.try_as_col_major().expect("a vector is contiguous");
        e.jacobian_colouring.assemble(
            &e.model,
            &control,
            x.as_slice(),
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
