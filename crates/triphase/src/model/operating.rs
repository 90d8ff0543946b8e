//! The applied-current row and the charge and energy ledgers.
//!
//! The applied current density i_app is an algebraic state; its row depends on the mode:
//! - current: i_app - I = 0
//! - voltage: V(y) - V_set = 0 (potentiostatic hold)
//! - power:   i_app V(y) - P = 0
//!
//! Every mode's row carries the dependencies of all modes (with zero weight), so the sparsity
//! pattern detected once at the start stays valid when an experiment switches modes.
//! The ledgers integrate dQ/dt = i_app and dW/dt = i_app V, so the charge and energy of a step
//! are exact to the solver tolerance, whatever points are recorded.

use super::{Control, Model, OperatingMode};
use crate::scalar::Scalar;

/// Applied-current row and the charge and energy ledgers.
pub fn residual<T: Scalar>(m: &Model, y: &[T], control: &Control, out: &mut [T]) {
    let l = &m.layout;
    let i = y[l.current];
    let v = m.voltage(y);
    out[l.current] = match control.mode {
        OperatingMode::Current(set) => i - set + v * 0.0,
        OperatingMode::Voltage(set) => v - set + i * 0.0,
        OperatingMode::Power(set) => i * v - set,
    };
    out[l.charge] = i;
    out[l.energy] = i * v;
}
