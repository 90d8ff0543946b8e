//! Dead metal and dendrites (phenomenological; parameters are estimates).
//!
//! Dead metal (option `dead_metal`): while stripping (i_app > 0) a fraction of the stripped
//! metal loses electrical contact. The fraction grows with current density and with the
//! cracked SEI fraction f:
//!
//!   dn_dead/dt = phi_0 (1 + f) sqrt(i_s / (a_f i_ref)) i_s / (F (1 + b x)),   i_s = max(i_app, 0)
//!
//! (x the participation of dissolved O2 in SEI formation, [`super::oxygen_sei`])
//!
//! and the connected inventory loses the same amount (no current flows for it).
//!
//! Dendrites (option `dendrites`): the tip length grows during plating, faster near the
//! limiting current of the separator, and is partly removed by stripping:
//!
//!   dL_d/dt = v_d x/(1 - x) - r_s (i_s V_M / F) L_d/(|L_d| + 10 nm),   x = min(i_p/(a_f i_lim), 0.95)
//!
//! Removal is first order in L_d below 10 nm, so the end of the dendrites is resolved and an
//! undershoot below zero is pulled back.
//!   i_lim = 2 F D_e eps_s^b c_0 / (beta_i (1 - t+) L_s),   i_p = max(-i_app, 0)
//!
//! The local current density i/a_f sets both rates: a 3D host (a_f > 1) spreads the current.
//!
//! A short circuit ends the run when L_d reaches R_sep L_s (R_sep >= 1 for strong separators
//! and solid electrolytes); in a symmetric cell when the dendrites of both electrodes together
//! do.

use crate::constants::FARADAY;
use crate::model::workspace::{Properties, Sources};
use crate::model::Model;
use crate::scalar::{floor, Scalar};

/// Steady limiting current density of the separator [A.m-2].
pub fn limiting_current(m: &Model) -> f64 {
    let p = &m.params;
    let d_eff = p.electrolyte.diffusivity
        * p.geometry.separator_porosity.powf(p.geometry.bruggeman)
        / p.geometry.separator_ionic_resistance;
    2.0 * FARADAY * d_eff * p.electrolyte.initial_concentration
        / ((1.0 - p.electrolyte.transference_number) * p.geometry.separator_thickness)
}

/// The dead-metal row: metal isolated while stripping leaves the connected inventory.
pub fn dead_metal<T: Scalar>(
    m: &Model,
    y: &[T],
    props: &Properties<T>,
    src: &mut Sources<T>,
    out: &mut [T],
) {
    let l = &m.layout;
    let p = &m.params.morphology;
    let i = y[l.current];
    let strip = if i.re() > 0.0 { i } else { i * 0.0 };
    let d = l.dead.expect("dead metal on");
    let area = m.params.anode.surface_area_factor;
    let ratio = floor(strip / (p.dead_metal_reference_current * area), 1e-12);
    // an O2-derived SEI is more homogeneous: less metal is isolated (see super::oxygen_sei)
    let rate = (props.crack + 1.0)
        * ratio.sqrt()
        * strip
        * (p.dead_metal_fraction / FARADAY)
        * super::oxygen_sei::loss_factor(m, props);
    out[d] = rate;
    src.metal -= rate;
}

/// The dendrite row of the anode at x = 0.
pub fn dendrites<T: Scalar>(m: &Model, y: &[T], out: &mut [T]) {
    let l = &m.layout;
    let d = l.dendrite.expect("dendrites on");
    out[d] = dendrite_rate(m, y[l.current], y[d]);
}

/// Dendrite length below which stripping removes dendrites at a rate proportional to their
/// length [m].
pub const DENDRITE_REMOVAL_LENGTH: f64 = 1e-8;

/// Tip growth rate dL_d/dt [m.s-1] of dendrites on a metal electrode carrying the oxidation
/// (stripping-positive) current density `i_ox` [A.m-2] with dendrites of length `len` [m].
pub fn dendrite_rate<T: Scalar>(m: &Model, i_ox: T, len: T) -> T {
    let p = &m.params.morphology;
    let (strip, plate) = if i_ox.re() > 0.0 {
        (i_ox, i_ox * 0.0)
    } else {
        (i_ox * 0.0, -i_ox)
    };
    let x = plate / (limiting_current(m) * m.params.anode.surface_area_factor);
    let x = if x.re() > 0.95 { x * 0.0 + 0.95 } else { x };
    // stripping removes dendrites at a fixed ratio to the metal stripped while they are longer
    // than ~10 nm and first order in L below, so the integrator resolves their end (a sharper
    // switch-off let it overshoot below zero); a small negative undershoot is pulled back
    let removal =
        strip * (p.dendrite_stripping_ratio * m.params.anode.metal_molar_volume / FARADAY) * len
            / (crate::scalar::smooth_abs(len, 1e-12) + DENDRITE_REMOVAL_LENGTH);
    x / (-x + 1.0) * p.dendrite_growth_velocity - removal
}
