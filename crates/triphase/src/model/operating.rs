//! Operating mode of the cell (what the cycler imposes) and the charge ledger.
//!
//! The applied current density i_app is an algebraic state; its row depends on the mode:
//! - current: i_app - I = 0
//!
//! Further modes (voltage hold, constant power) add rows here without touching other
//! submodels. The charge ledger integrates dQ/dt = i_app.

use std::cell::Cell;

use crate::model::Model;
use crate::scalar::Scalar;

/// What the cycler imposes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OperatingMode {
    /// Constant current density [A.m-2], positive = discharge.
    Current(f64),
}

impl OperatingMode {
    /// The current density the state starts from [A.m-2].
    pub fn current_guess(&self) -> f64 {
        match *self {
            OperatingMode::Current(i) => i,
        }
    }
}

/// Settings of the running experiment step, read by the residual and the events.
#[derive(Debug, Clone)]
pub struct Control {
    mode: Cell<OperatingMode>,
    lower_cutoff: Cell<Option<f64>>,
    upper_cutoff: Cell<Option<f64>>,
}

impl Default for Control {
    fn default() -> Self {
        Self {
            mode: Cell::new(OperatingMode::Current(0.0)),
            lower_cutoff: Cell::new(None),
            upper_cutoff: Cell::new(None),
        }
    }
}

impl Control {
    /// Current operating mode.
    pub fn mode(&self) -> OperatingMode {
        self.mode.get()
    }
    /// Sets the operating mode.
    pub fn set_mode(&self, mode: OperatingMode) {
        self.mode.set(mode)
    }
    /// Voltage cut-offs (lower, upper) of the running step.
    pub fn cutoffs(&self) -> (Option<f64>, Option<f64>) {
        (self.lower_cutoff.get(), self.upper_cutoff.get())
    }
    /// Sets the voltage cut-offs of the running step.
    pub fn set_cutoffs(&self, lower: Option<f64>, upper: Option<f64>) {
        self.lower_cutoff.set(lower);
        self.upper_cutoff.set(upper);
    }
}

/// Applied-current row and the charge ledger.
pub fn residual<T: Scalar>(m: &Model, y: &[T], out: &mut [T]) {
    let l = &m.layout;
    out[l.current] = match m.control.mode() {
        OperatingMode::Current(i) => y[l.current] - i,
    };
    out[l.charge] = y[l.current];
}
