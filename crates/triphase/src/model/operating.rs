//! Operating mode of the cell (what the cycler imposes) and the charge ledger.
//!
//! The applied current density i_app is an algebraic state; its row depends on the mode:
//! - current: i_app - I = 0
//! - voltage: V(y) - V_set = 0 (potentiostatic hold)
//! - power:   i_app V(y) - P = 0
//!
//! Every mode's row carries the dependencies of all modes (with zero weight), so the sparsity
//! pattern detected once at the start stays valid when an experiment switches modes.
//! The charge ledger integrates dQ/dt = i_app.

use std::cell::Cell;

use crate::model::Model;
use crate::scalar::Scalar;

/// What the cycler imposes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OperatingMode {
    /// Constant current density [A.m-2], positive = discharge.
    Current(f64),
    /// Constant terminal voltage [V].
    Voltage(f64),
    /// Constant power density [W.m-2], positive = discharge.
    Power(f64),
}

impl OperatingMode {
    /// The current density the state starts from [A.m-2], given the present voltage and current.
    pub fn current_guess_from(&self, voltage: f64, current: f64) -> f64 {
        match *self {
            OperatingMode::Current(i) => i,
            OperatingMode::Voltage(_) => current,
            OperatingMode::Power(p) => p / voltage.max(0.5),
        }
    }

    /// The current density a fresh state starts from [A.m-2].
    pub fn current_guess(&self) -> f64 {
        self.current_guess_from(2.7, 0.0)
    }
}

/// Settings of the running experiment step, read by the residual and the events.
#[derive(Debug, Clone)]
pub struct Control {
    mode: Cell<OperatingMode>,
    lower_cutoff: Cell<Option<f64>>,
    upper_cutoff: Cell<Option<f64>>,
    capacity_limit: Cell<Option<(f64, f64)>>,
    current_limit: Cell<Option<f64>>,
}

impl Default for Control {
    fn default() -> Self {
        Self {
            mode: Cell::new(OperatingMode::Current(0.0)),
            lower_cutoff: Cell::new(None),
            upper_cutoff: Cell::new(None),
            capacity_limit: Cell::new(None),
            current_limit: Cell::new(None),
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
    /// Capacity limit of the running step: (charge at the step start, limit) [C.m-2].
    pub fn capacity_limit(&self) -> Option<(f64, f64)> {
        self.capacity_limit.get()
    }
    /// Sets the capacity limit of the running step.
    pub fn set_capacity_limit(&self, limit: Option<(f64, f64)>) {
        self.capacity_limit.set(limit)
    }
    /// Current-magnitude limit of the running step (end of a hold) [A.m-2].
    pub fn current_limit(&self) -> Option<f64> {
        self.current_limit.get()
    }
    /// Sets the current-magnitude limit.
    pub fn set_current_limit(&self, limit: Option<f64>) {
        self.current_limit.set(limit)
    }
}

/// Applied-current row and the charge ledger.
pub fn residual<T: Scalar>(m: &Model, y: &[T], out: &mut [T]) {
    let l = &m.layout;
    let i = y[l.current];
    let v = m.voltage(y);
    out[l.current] = match m.control.mode() {
        OperatingMode::Current(set) => i - set + v * 0.0,
        OperatingMode::Voltage(set) => v - set + i * 0.0,
        OperatingMode::Power(set) => i * v - set,
    };
    out[l.charge] = i;
}
