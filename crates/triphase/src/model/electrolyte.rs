//! Binary salt electrolyte in the pores of separator and cathode (concentrated-solution
//! theory for a binary electrolyte, thermodynamic factor 1; Newman & Thomas-Alyea,
//! Electrochemical Systems, 3rd ed., ch. 12; Doyle, Fuller & Newman, JES 140 (1993) 1526).
//!
//! - ionic current:  i_e = -kappa_eff d(phi_e)/dx + 2 kappa_eff (RT/F)(1 - t+) d(ln c_e)/dx
//! - cation flux:    N+  = -D_eff dc_e/dx + t+ i_e / F
//! - salt balance:   d(eps c_e)/dt = -dN+/dx + a i_c / F
//! - charge:         di_e/dx = a i_c
//!
//! with kappa_eff = eps^b kappa, D_eff = eps^b D (Bruggeman). Boundary conditions: at x = 0 the
//! anode sets i_e = i_app and N+ = i_app/F (see [`super::anode::plating`]); at the gas side
//! i_e = 0 and N+ = 0 (the salt is not volatile). The charge-conservation row of the first
//! control volume is replaced by the anode Butler–Volmer relation, which fixes the potential
//! level; its own balance follows from the others (the system conserves charge overall).

use super::transport::face_conductance;
use super::{Model, Workspace};
use crate::constants::FARADAY;
use crate::scalar::Scalar;

/// Ionic current and cation flux on the interior faces 1..n-1, and zero flux at the gas side.
pub fn interior_fluxes<T: Scalar>(m: &Model, y: &[T], ws: &mut Workspace<T>) {
    let p = &m.params.electrolyte;
    let n = m.mesh.len();
    let phi = &y[m.layout.phi_e.clone()];
    let two_rt_f = 2.0 * (1.0 - p.transference_number) / m.f;
    for k in 1..n {
        let (dl, dr) = (m.mesh.dx[k - 1], m.mesh.dx[k]);
        let g_kappa = face_conductance(dl, ws.kappa[k - 1], dr, ws.kappa[k]);
        let g_d = face_conductance(dl, ws.d_e[k - 1], dr, ws.d_e[k]);
        let i_e =
            -g_kappa * (phi[k] - phi[k - 1]) + g_kappa * (ws.ln_c[k] - ws.ln_c[k - 1]) * two_rt_f;
        ws.i_e[k] = i_e;
        ws.n_salt[k] = -g_d * (ws.c_e[k] - ws.c_e[k - 1]) + i_e * (p.transference_number / FARADAY);
    }
    ws.i_e[n] = T::from(0.0);
    ws.n_salt[n] = T::from(0.0);
}

/// Salt-balance rows (all volumes) and charge-conservation rows (volumes 1..n).
pub fn residual<T: Scalar>(m: &Model, ws: &Workspace<T>, out: &mut [T]) {
    let l = &m.layout;
    for k in 0..m.mesh.len() {
        let dx = m.mesh.dx[k];
        out[l.salt.start + k] = -(ws.n_salt[k + 1] - ws.n_salt[k]) / dx + ws.source[k] / FARADAY;
        if k > 0 {
            out[l.phi_e.start + k] =
                (ws.i_e[k + 1] - ws.i_e[k]) - (ws.source[k] + ws.rm_current[k]) * dx;
        }
    }
}
