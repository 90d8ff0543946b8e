//! Dissolved O2: diffusion in the pores, Henry's law at the gas boundary, consumed by the ORR.
//!
//! - flux:     N_O2 = -D_O2,eff dc_O2/dx,   D_O2,eff = eps^b D_O2
//! - balance:  d(eps c_O2)/dt = -dN_O2/dx + a i_c / (n F)
//! - gas side: c_O2(L) = H p_O2 (Henry; the gas phase is well mixed and not depleted)
//! - metal side: N_O2(0) = 0 in the foundation model (no O2 reaction at the metal)
//! - uptake ledger: dn_O2/dt = -N_O2(L), the O2 drawn from the gas (what DEMS measures)

use super::transport::face_conductance;
use super::{Model, Workspace};
use crate::scalar::Scalar;

/// O2 fluxes on all faces.
pub fn fluxes<T: Scalar>(m: &Model, ws: &mut Workspace<T>) {
    let n = m.mesh.len();
    for k in 1..n {
        let g = face_conductance(m.mesh.dx[k - 1], ws.d_o2[k - 1], m.mesh.dx[k], ws.d_o2[k]);
        ws.n_o2[k] = -g * (ws.c_o2[k] - ws.c_o2[k - 1]);
    }
    ws.n_o2[0] = T::from(0.0);
    let csat = m.params.o2_saturation();
    let last = n - 1;
    // half-volume between the last centre and the Dirichlet gas boundary
    ws.n_o2[n] = -(ws.d_o2[last] * 2.0 / m.mesh.dx[last]) * (-ws.c_o2[last] + csat);
}

/// O2 balance rows and the uptake ledger.
pub fn residual<T: Scalar>(m: &Model, ws: &Workspace<T>, out: &mut [T]) {
    let l = &m.layout;
    let nf = m.params.cathode.electrons_per_o2 * crate::constants::FARADAY;
    for k in 0..m.mesh.len() {
        out[l.o2.start + k] = -(ws.n_o2[k + 1] - ws.n_o2[k]) / m.mesh.dx[k] + ws.source[k] / nf;
    }
    out[l.o2_uptake] = -ws.n_o2[m.mesh.len()];
}
