//! Metal plating/stripping at x = 0 and the metal inventory.
//!
//! Reaction M <-> M+ + e- with Butler–Volmer kinetics (oxidation = stripping positive):
//!
//!   i_app = a_f i0_a [ (c_e,0/c_0)^g_s exp(alpha f eta_a) - (c_e,0/c_0)^g_p exp(-(1 - alpha) f eta_a) ],
//!   eta_a = phi_M - phi_e,0 - U_a - i_app R_int,  phi_M = 0 (the anode is the reference)
//!
//! a_f is the active area per projected area (3D hosts), U_a the anode's equilibrium potential
//! vs the pure metal (0 for the metal, ~0.4 V for alloys; the cell voltage drops by U_a) and
//! R_int a contact resistance (solid electrolytes).
//!
//! Only plating consumes cations, so by default its branch is first order in the interface salt
//! concentration c_e,0 (g_p = 1) and stripping zeroth order (g_s = 0); other orders ("Anode
//! stripping/plating salt reaction order [-]", e.g. 0.5 on both branches in some published
//! models) are parameters. Interface values are extrapolated over the first half volume using the
//! boundary fluxes (N+ = i_app/F, anion flux 0):
//!
//!   c_e,0   = c_e\[0\] + (1 - t+) i_app (dx_0/2) / (F D_eff,0)
//!   phi_e,0 = phi_e\[0\] + i_app (dx_0/2)/kappa_eff,0 - 2 (RT/F)(1 - t+) TF (ln c_e\[0\] - ln c_e,0)
//!
//! With the anode-interface submodel the surface layers add an ohmic drop:
//! eta_a = phi_M - phi_e,0 - i_app R_anode (see [`super::sei`]).
//!
//! Inventory: dn_M/dt = -i_app / F (other mechanisms add their own consumption).
//! Boundary fluxes into the electrolyte: i_e(0) = i_app, N+(0) = i_app / F.

use crate::constants::FARADAY;
use crate::kinetics::butler_volmer;
use crate::model::workspace::{Face, Properties, Sources};
use crate::model::{Model, Workspace};
use crate::scalar::{floor, Scalar};

/// Salt concentration and electrolyte potential at a metal surface, extrapolated from the
/// nearest control volume over its half width with the boundary fluxes (N+ = i_app/F
/// leaving the metal at x = 0, entering it at x = L_s; anion flux 0):
///
///   c_face = c\[k\] + s (1 - t+) i_app (dx/2)/(F D_eff),
///   phi_face = phi\[k\] + s i_app (dx/2)/kappa_eff - 2 (RT/F)(1 - t+) TF (ln c\[k\] - ln c_face)
///
/// with s = +1 at x = 0 and -1 at x = L_s, and t+ the transference number of that volume (the
/// separator's, [`crate::params::Parameters::transference_number_in`]: a single-ion conductor
/// keeps c_face = c\[k\]).
pub fn interface_at<T: Scalar>(m: &Model, y: &[T], ws: &Properties<T>, face: Face) -> (T, T) {
    let p = &m.params.electrolyte;
    let (k, s) = match face {
        Face::First => (0, 1.0),
        Face::Last => (m.mesh.len() - 1, -1.0),
    };
    let i_app = y[m.layout.current] * s;
    let half = 0.5 * m.mesh.dx[k];
    let t_plus = m.params.transference_number_in(k < m.mesh.n_sep);
    let tm = 1.0 - t_plus;
    let c_face = ws.c_e[k] + i_app * (tm * half / FARADAY) / ws.d_e[k];
    let ln_face = floor(c_face, 1e-12).ln();
    let phi_face = y[m.layout.phi_e.start + k] + i_app * half / ws.kappa[k]
        - (ws.ln_c[k] - ln_face) * (p.diffusion_potential_factor_with(t_plus) / m.f);
    (c_face, phi_face)
}

/// Salt concentration and electrolyte potential at the metal surface at x = 0.
pub fn interface<T: Scalar>(m: &Model, y: &[T], ws: &Properties<T>) -> (T, T) {
    interface_at(m, y, ws, Face::First)
}

/// Ohmic resistance between metal and electrolyte [Ohm.m2]: the surface layers (SEI,
/// protective layer) when modelled, plus the interfacial resistance.
pub fn surface_resistance<T: Scalar>(m: &Model, ws: &Properties<T>) -> T {
    let r_int = T::from(m.params.anode.interfacial_resistance);
    if m.layout.sei.is_some() {
        ws.r_anode + r_int
    } else {
        r_int
    }
}

/// Stripping (oxidation) current density of a metal surface at overpotential `eta` with
/// interface salt concentration `c_face` [A.m-2].
pub fn metal_kinetics<T: Scalar>(m: &Model, eta: T, c_face: T) -> T {
    let a = &m.params.anode;
    butler_volmer(
        a.exchange_current_density * a.surface_area_factor,
        a.transfer_coefficient,
        1.0 - a.transfer_coefficient,
        m.f,
        eta,
        crate::model::cathode::kinetics::order(
            c_face / m.params.electrolyte.initial_concentration,
            a.stripping_salt_order,
        ),
        crate::model::cathode::kinetics::order(
            c_face / m.params.electrolyte.initial_concentration,
            a.plating_salt_order,
        ),
    )
}

/// The overpotential at which a metal surface carries the stripping current `i_ox`
/// (Butler–Volmer increases with eta: bisection on [-3, 3] V).
pub fn overpotential_for(m: &Model, i_ox: f64, c_face: f64) -> f64 {
    let c_face = c_face.max(1e-12);
    let (mut lo, mut hi) = (-3.0, 3.0);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if metal_kinetics(m, mid, c_face) < i_ox {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Boundary fluxes at x = 0 (i_e = i_app, N+ = i_app/F), the anode Butler–Volmer row and the
/// metal consumed by stripping.
pub fn contribute<T: Scalar>(
    m: &Model,
    y: &[T],
    props: &Properties<T>,
    src: &mut Sources<T>,
    out: &mut [T],
) {
    let l = &m.layout;
    let i_app = y[l.current];
    src.i_e[Face::First as usize] += i_app;
    src.n_salt[Face::First as usize] += i_app / FARADAY;
    let (c_face, phi_face) = interface(m, y, props);
    let eta = overpotential(m, y, props, phi_face);
    out[l.phi_e.start] = metal_kinetics(m, eta, c_face) - i_app;
    src.metal -= i_app / FARADAY;
}

/// Overpotential of the metal surface at x = 0 whose electrolyte potential there is
/// `phi_face` \[V\]: eta_a = phi_M - phi_e,0 - U_a - i_app R (phi_M = 0, the reference; R the
/// surface layers' and interface's resistance).
pub fn overpotential<T: Scalar>(m: &Model, y: &[T], props: &Properties<T>, phi_face: T) -> T {
    -phi_face
        - m.params.anode.open_circuit_potential
        - y[m.layout.current] * surface_resistance(m, props)
}

/// Anode polarisation \[V\]: metal potential minus electrolyte potential at the metal surface,
/// less the anode's equilibrium potential, eta + i_app R_anode: the charge-transfer
/// overpotential plus the drop across the surface layers (positive while stripping).
pub fn polarisation(m: &Model, y: &[f64]) -> f64 {
    let mut ws = Workspace::<f64>::for_model(m);
    m.fill_properties(y, &mut ws.props);
    if m.options.half_cell {
        // the reference face has no polarisation: its potential is held at 0
        return -super::reference::face(m, y, &ws.props).1;
    }
    -interface(m, y, &ws.props).1 - m.params.anode.open_circuit_potential
}

/// Shifts the electrolyte and carbon potentials of `y` together so that the anode kinetics
/// carry the applied current of `y` (a starting guess after the current changed: the
/// interface overpotential and the surface-layer drop change with the current, the potential
/// differences inside the cell much less).
pub fn align_potentials(m: &Model, y: &mut [f64]) {
    let l = &m.layout;
    let mut ws = Workspace::<f64>::for_model(m);
    m.fill_properties(y, &mut ws.props);
    let i_app = y[l.current];
    let shift = if m.options.half_cell {
        // the reference face holds the electrolyte potential at 0
        -super::reference::face(m, y, &ws.props).1
    } else {
        let (c_face, phi_face) = interface(m, y, &ws.props);
        let eta = overpotential_for(m, i_app, c_face);
        let target =
            -eta - m.params.anode.open_circuit_potential - i_app * surface_resistance(m, &ws.props);
        target - phi_face
    };
    // with the double layer the phi_s states are differences, unchanged by a common shift
    let solid = if l.double_layer {
        0..0
    } else {
        l.phi_s.clone()
    };
    for i in l.phi_e.clone().chain(solid) {
        y[i] += shift;
    }
}
