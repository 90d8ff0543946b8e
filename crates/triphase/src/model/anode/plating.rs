//! Metal plating/stripping at x = 0 and the metal inventory.
//!
//! Reaction M <-> M+ + e- with Butler–Volmer kinetics (oxidation = stripping positive):
//!
//!   i_app = a_f i0_a [ exp(alpha f eta_a) - (c_e,0/c_0) exp(-(1 - alpha) f eta_a) ],
//!   eta_a = phi_M - phi_e,0 - U_a - i_app R_int,  phi_M = 0 (the anode is the reference)
//!
//! a_f is the active area per projected area (3D hosts), U_a the anode's equilibrium potential
//! vs the pure metal (0 for the metal, ~0.4 V for alloys; the cell voltage drops by U_a) and
//! R_int a contact resistance (solid electrolytes).
//!
//! Only plating consumes cations, so its branch is first order in the interface salt
//! concentration c_e,0. Interface values are extrapolated over the first half volume using the
//! boundary fluxes (N+ = i_app/F, anion flux 0):
//!
//!   c_e,0   = c_e[0] + (1 - t+) i_app (dx_0/2) / (F D_eff,0)
//!   phi_e,0 = phi_e[0] + i_app (dx_0/2)/kappa_eff,0 - 2 (RT/F)(1 - t+) (ln c_e[0] - ln c_e,0)
//!
//! With the anode-interface submodel the surface layers add an ohmic drop:
//! eta_a = phi_M - phi_e,0 - i_app R_anode (see [`super::sei`]).
//!
//! Inventory: dn_M/dt = -i_app / F (other mechanisms subtract their own consumption).
//! Boundary fluxes into the electrolyte: i_e(0) = i_app, N+(0) = i_app / F.

use crate::constants::FARADAY;
use crate::kinetics::butler_volmer;
use crate::model::{Model, Workspace};
use crate::scalar::{floor, Scalar};

/// Salt concentration and electrolyte potential at the metal surface.
pub fn interface<T: Scalar>(m: &Model, y: &[T], ws: &Workspace<T>) -> (T, T) {
    let p = &m.params.electrolyte;
    let i_app = y[m.layout.current];
    let half = 0.5 * m.mesh.dx[0];
    let tm = 1.0 - p.transference_number;
    let c_face = ws.c_e[0] + i_app * (tm * half / FARADAY) / ws.d_e[0];
    let ln_face = floor(c_face, 1e-12).ln();
    let phi_face = y[m.layout.phi_e.start] + i_app * half / ws.kappa[0]
        - (ws.ln_c[0] - ln_face) * (2.0 * tm / m.f);
    (c_face, phi_face)
}

/// Boundary fluxes at x = 0, the anode Butler–Volmer row and the metal inventory row.
pub fn boundary<T: Scalar>(m: &Model, y: &[T], ws: &mut Workspace<T>, out: &mut [T]) {
    let l = &m.layout;
    let a = &m.params.anode;
    let i_app = y[l.current];
    ws.i_e[0] = i_app;
    ws.n_salt[0] = i_app / FARADAY;

    let (c_face, phi_face) = interface(m, y, ws);
    // the surface layers (SEI, protective layer) add an ohmic drop when modelled
    let r = if m.layout.sei.is_some() {
        ws.r_anode + a.interfacial_resistance
    } else {
        T::from(a.interfacial_resistance)
    };
    let eta = -phi_face - a.open_circuit_potential - i_app * r;
    let s_red = c_face / m.params.electrolyte.initial_concentration;
    let i_bv = butler_volmer(
        a.exchange_current_density * a.surface_area_factor,
        a.transfer_coefficient,
        1.0 - a.transfer_coefficient,
        m.f,
        eta,
        T::from(1.0),
        s_red,
    );
    out[l.phi_e.start] = i_bv - i_app;
    out[l.metal] = -i_app / FARADAY;
}

/// Shifts the electrolyte and carbon potentials of `y` together so that the anode kinetics
/// carry the applied current of `y` (a starting guess after the current changed: the
/// interface overpotential and the surface-layer drop change with the current, the potential
/// differences inside the cell much less).
pub fn align_potentials(m: &Model, y: &mut [f64]) {
    let l = &m.layout;
    let a = &m.params.anode;
    let mut ws = Workspace::<f64>::for_model(m);
    m.fill_volumes(y, &mut ws);
    if l.sei.is_some() {
        super::sei::layer(m, y, &mut ws);
    }
    let i_app = y[l.current];
    let (c_face, phi_face) = interface(m, y, &ws);
    let s_red = c_face.max(1e-12) / m.params.electrolyte.initial_concentration;
    let bv = |eta: f64| {
        butler_volmer(
            a.exchange_current_density * a.surface_area_factor,
            a.transfer_coefficient,
            1.0 - a.transfer_coefficient,
            m.f,
            eta,
            1.0,
            s_red,
        )
    };
    // Butler–Volmer is increasing in eta: bisect for bv(eta) = i_app
    let (mut lo, mut hi) = (-3.0, 3.0);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if bv(mid) < i_app {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let eta = 0.5 * (lo + hi);
    let r = a.interfacial_resistance + if l.sei.is_some() { ws.r_anode } else { 0.0 };
    let target = -eta - a.open_circuit_potential - i_app * r;
    let shift = target - phi_face;
    for i in l.phi_e.clone().chain(l.phi_s.clone()) {
        y[i] += shift;
    }
}
