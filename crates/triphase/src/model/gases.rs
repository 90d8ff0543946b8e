//! Dissolved gases (O2 and, when transported, H2O, CO2, N2): diffusion in the pores, Henry's
//! law at the gas boundary, O2 consumed by the ORR, all gases consumed at the metal by
//! corrosion (see [`super::anode::corrosion`]).
//!
//! For each gas g:
//! - flux:     N_g = -D_g,eff dc_g/dx,   D_g,eff = eps^b D_g
//! - balance:  d(eps c_g)/dt = -dN_g/dx + [g = O2] a i_c / (n F)
//! - gas side: c_g(L) = H_g p_g (Henry; gas phase well mixed and of fixed composition)
//! - metal side: N_g(0) = -J_g, the corrosion flux into the metal (0 without corrosion)
//! - uptake ledger: dn_g/dt = -N_g(L), the gas drawn from the gas phase (DEMS measures O2)
//!
//! Water uptake from humid air is the H2O entry of this balance. Initially the electrolyte is
//! saturated with O2 and free of the other gases (cells are assembled dry, under argon).

use super::transport::face_conductance;
use super::{Model, Workspace};
use crate::scalar::Scalar;

/// Gas fluxes on all faces, with zero flux into the metal (corrosion overrides face 0).
pub fn fluxes<T: Scalar>(m: &Model, ws: &mut Workspace<T>) {
    let n = m.mesh.len();
    for (i, gas) in m.layout.gases.iter().enumerate() {
        let c = i * n;
        let f = i * (n + 1);
        for k in 1..n {
            let g = face_conductance(
                m.mesh.dx[k - 1],
                ws.d_gas[c + k - 1],
                m.mesh.dx[k],
                ws.d_gas[c + k],
            );
            ws.n_gas[f + k] = -g * (ws.c_gas[c + k] - ws.c_gas[c + k - 1]);
        }
        ws.n_gas[f] = T::from(0.0);
        let csat = m.params.saturation(*gas);
        let last = n - 1;
        // half volume between the last centre and the Dirichlet gas boundary
        ws.n_gas[f + n] =
            -(ws.d_gas[c + last] * 2.0 / m.mesh.dx[last]) * (-ws.c_gas[c + last] + csat);
    }
}

/// Gas balance rows and the uptake ledgers.
pub fn residual<T: Scalar>(m: &Model, ws: &Workspace<T>, out: &mut [T]) {
    let l = &m.layout;
    let n = m.mesh.len();
    let nf = m.params.cathode.electrons_per_o2 * crate::constants::FARADAY;
    for i in 0..l.gases.len() {
        let f = i * (n + 1);
        for k in 0..n {
            let transport = -(ws.n_gas[f + k + 1] - ws.n_gas[f + k]) / m.mesh.dx[k];
            out[l.gas_at(i, k)] = if i == 0 {
                transport + ws.product_source[k] / nf
            } else {
                transport
            };
        }
        out[l.uptake_of(i)] = -ws.n_gas[f + n];
    }
}
