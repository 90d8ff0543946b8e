//! Dead metal (phenomenological; its parameters are estimates) and dendrites.
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
//! Dendrites (option `dendrites`) grow by their tips' own kinetics (after Monroe & Newman,
//! J. Electrochem. Soc. 150 (2003) A1377): a tip at the height h = L_d + h_0 is metal at the
//! surface's potential in the electrolyte at x = h. While the surface plates (i_ox < 0):
//!
//!   dL_d/dt = g_d (V_M/(F a_f^2)) [ i_ox - i_BV(eta - (phi_e(h) - phi_e,s), c_e(h)) ]
//!
//! (eta the flat surface's overpotential, i_BV the anode's Butler–Volmer law; phi_e(h) and
//! c_e(h) piecewise linear between the surface and the separator's volume centres). The tip
//! plates faster than the flat surface by a margin that grows with its height, and runs away
//! when the salt at the surface runs out near the limiting current (Sand's time). Of the metal
//! area a_f per projected area the share 1/a_f faces the separator. While the surface strips:
//!
//!   dL_d/dt = -r_s (i_s V_M/F) L_d/(|L_d| + 10 nm)
//!
//! (r_s = 0 for metal foils: dissolution leaves Li needle tips inactive, Steiger et al., J.
//! Power Sources 261 (2014) 112). Removal is first order in L_d below 10 nm, so the end of the
//! dendrites is resolved and an undershoot below zero is pulled back.
//!
//! A short circuit ends the run when L_d reaches R_sep L_s (R_sep >= 1 for strong separators
//! and solid electrolytes); in a symmetric cell when the dendrites of both electrodes together
//! do. Dendrites that would get there within [`crate::model::events::SHORT_CIRCUIT_HORIZON`]
//! at their present speed ([`closing_speed`]) count as there: a runaway tip crosses the rest
//! of the gap in a vanishing time.

use crate::constants::FARADAY;
use crate::model::workspace::{Face, Properties, Sources};
use crate::model::Model;
use crate::scalar::{floor, positive_part, Scalar};

/// Steady limiting current density of the separator [A.m-2]:
/// i_lim = 2 F D_e eps_s^b c_0 / (beta_i (1 - t+_s) L_s), with t+_s the separator's
/// transference number (infinite for a single-ion conductor, which builds no salt gradient).
pub fn limiting_current(m: &Model) -> f64 {
    let p = &m.params;
    let anion_share = 1.0 - p.transference_number_in(true);
    if anion_share <= 0.0 {
        return f64::INFINITY;
    }
    let d_eff = p.electrolyte.diffusivity
        * p.geometry.separator_porosity.powf(p.geometry.bruggeman)
        / p.geometry.separator_ionic_resistance;
    2.0 * FARADAY * d_eff * p.electrolyte.initial_concentration
        / (anion_share * p.geometry.separator_thickness)
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
    let strip = positive_part(i);
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
pub fn dendrites<T: Scalar>(m: &Model, y: &[T], props: &Properties<T>, out: &mut [T]) {
    let l = &m.layout;
    let d = l.dendrite.expect("dendrites on");
    let surface = super::plating::interface(m, y, props);
    let eta = super::plating::overpotential(m, y, props, surface.1);
    out[d] = dendrite_rate(m, y, props, Face::First, surface, eta, y[d]);
}

/// How fast the dendrites close the gap between the electrodes [m.s-1]: dL_d/dt of the
/// metal's dendrites, plus the counter electrode's in a symmetric cell (0 without dendrites;
/// `props` filled for `y` by [`Model::fill_surface`] or [`Model::fill_properties`]).
pub fn closing_speed(m: &Model, y: &[f64], props: &Properties<f64>) -> f64 {
    let l = &m.layout;
    let Some(d) = l.dendrite else {
        return 0.0;
    };
    let surface = super::plating::interface(m, y, props);
    let eta = super::plating::overpotential(m, y, props, surface.1);
    let mut speed = dendrite_rate(m, y, props, Face::First, surface, eta, y[d]);
    if let Some(dc) = l.counter.as_ref().and_then(|c| c.dendrite) {
        let surface = crate::model::symmetric::interface(m, y, props);
        let eta = crate::model::symmetric::counter_overpotential(m, y, props, surface.1);
        speed += dendrite_rate(m, y, props, Face::Last, surface, eta, y[dc]);
    }
    speed
}

/// Dendrite length below which stripping removes dendrites at a rate proportional to their
/// length \[m\].
pub const DENDRITE_REMOVAL_LENGTH: f64 = 1e-8;

/// Salt concentration and electrolyte potential at the distance `d` \[m\] from the metal surface
/// at `face` whose interface values are `surface`: piecewise linear between the surface and
/// the centres of the separator volumes, constant beyond the last of them.
///
/// The node values enter as numbers, without their derivatives: the Jacobian leaves out the
/// dendrite row's dependence on the electrolyte (nothing depends on the dendrite length, so
/// Newton only converges that one row a step later; a row touching every separator volume
/// would force each of them into its own colour of the Jacobian evaluation and fill a whole
/// row of the LU factors: 25 % more time per li-o2 discharge). The dependence on `d`, and so on
/// the dendrite length, is kept.
pub fn field_at<T: Scalar>(
    m: &Model,
    y: &[T],
    props: &Properties<T>,
    face: Face,
    surface: (f64, f64),
    d: T,
) -> (T, T) {
    let n_sep = m.mesh.n_sep;
    let total = m.mesh.length();
    let volume = |j: usize| match face {
        Face::First => j,
        Face::Last => m.mesh.len() - 1 - j,
    };
    let distance = |k: usize| match face {
        Face::First => m.mesh.x[k],
        Face::Last => total - m.mesh.x[k],
    };
    let node = |k: usize| (props.c_e[k].re(), y[m.layout.phi_e.start + k].re());
    let mut lower = (0.0, surface);
    for j in 0..n_sep {
        let k = volume(j);
        let upper = (distance(k), node(k));
        if d.re() <= upper.0 {
            // linear between the lower node and this centre
            let t = (d - lower.0) / (upper.0 - lower.0);
            let t = if t.re() < 0.0 { t * 0.0 } else { t };
            return (
                (-t + 1.0) * lower.1 .0 + t * upper.1 .0,
                (-t + 1.0) * lower.1 .1 + t * upper.1 .1,
            );
        }
        lower = upper;
    }
    (d * 0.0 + lower.1 .0, d * 0.0 + lower.1 .1)
}

/// Tip growth rate dL_d/dt [m.s-1] of dendrites of length `len` \[m\] on the metal surface at
/// `face`, with the interface salt concentration and electrolyte potential `surface` and the
/// overpotential `eta` \[V\] of its anode row. The surface carries the oxidation
/// (stripping-positive) current density i_ox = i_app at x = 0, -i_app at x = L [A.m-2].
///
/// Plating: the tip, at the height L_d + h_0 above the surface, is metal at the surface's
/// potential in the electrolyte there, so it sees the overpotential eta - (phi_e,tip - phi_e,s)
/// and the concentration c_e,tip; it grows by its own Butler–Volmer current in excess of the
/// flat surface's:
///
///   dL_d/dt = g_d (V_M/(F a_f)) (i_flat - i_BV(eta - (phi_e,tip - phi_e,s), c_e,tip) / a_f),
///   i_flat = i_ox / a_f
///
/// (per area of the metal, of which the share 1/a_f faces the separator; i_BV per projected
/// area, as the anode's row writes it).
///
/// Stripping removes length in proportion to the metal stripped (ratio r_s), first order
/// below 10 nm.
pub fn dendrite_rate<T: Scalar>(
    m: &Model,
    y: &[T],
    props: &Properties<T>,
    face: Face,
    surface: (T, T),
    eta: T,
    len: T,
) -> T {
    let p = &m.params.morphology;
    let a = &m.params.anode;
    let i_ox = match face {
        Face::First => y[m.layout.current],
        Face::Last => -y[m.layout.current],
    };
    let plating = i_ox.re() < 0.0;
    let strip = positive_part(i_ox);
    // the tip's excess current, evaluated in every mode so the Jacobian's pattern holds it
    // (its dependence on the electrolyte field is left out of the Jacobian: see `field_at`)
    let surface = (surface.0.re(), surface.1.re());
    let height = positive_part(len) + p.dendrite_seed_height;
    let (c_tip, phi_tip) = field_at(m, y, props, face, surface, height);
    let i_tip = super::plating::metal_kinetics(m, eta - (phi_tip - surface.1), c_tip);
    // per area of the metal (/a_f), of which the share 1/a_f faces the separator (/a_f)
    let excess = (i_ox - i_tip)
        * (p.dendrite_growth_factor * a.metal_molar_volume
            / (FARADAY * a.surface_area_factor * a.surface_area_factor));
    // a tip that plates slower than the flat surface (a concentration gradient reversed by
    // the step before) shrinks towards the surface, not below it
    let excess = if excess.re() < 0.0 {
        excess * len / (crate::scalar::smooth_abs(len, 1e-12) + DENDRITE_REMOVAL_LENGTH)
    } else {
        excess
    };
    let growth = if plating { excess } else { excess * 0.0 };
    // stripping removes dendrites at a fixed ratio to the metal stripped while they are longer
    // than ~10 nm and first order in L below, so the integrator resolves their end (a sharper
    // switch-off let it overshoot below zero); a small negative undershoot is pulled back
    let removal = strip * (p.dendrite_stripping_ratio * a.metal_molar_volume / FARADAY) * len
        / (crate::scalar::smooth_abs(len, 1e-12) + DENDRITE_REMOVAL_LENGTH);
    growth - removal
}
