//! Redox mediator (option `redox_mediator`): RM is oxidised on the carbon during charge and
//! RM+ oxidises the discharge product chemically; RM+ that reaches the metal is reduced there
//! (the shuttle), consuming metal and charge.
//!
//! - transport of both forms by diffusion (dilute, migration neglected):
//!   d(eps c)/dt = -dN/dx + sources,  N = -D_eff dc/dx,  D_eff = eps^b D / beta_sep in the separator
//! - electrochemical, per carbon area (symmetric Butler–Volmer; the product film is not in the
//!   electron path of this outer-sphere couple):
//!   i_RM = i0_RM [ (c_RM/c_tot) g(f eta/2) - (c_RM+/c_tot) g(-f eta/2) ],  eta = phi_s - phi_e - E_RM
//!   with g(x) = e^x / (1 + e^(x - 12)): rates saturate beyond ~0.6 V of overpotential
//!   (Marcus–Hush–Chidsey; see [`crate::kinetics::butler_volmer_saturating`])
//! - chemical, per volume: 2 RM+ + M_2O_2 -> 2 RM + 2 M+ + O2 at rate r = k_chem a s_p c_RM+ (RM+
//!   consumed; n RM+ per product unit, releasing n M+ and one O2)
//! - shuttle at x = 0 (RM+ + M -> RM + M+: metal consumed, ledger `shuttle`; RM returned to
//!   the electrolyte, M+ released):
//!   J_sh = c_RM+,0 / ((1/k_sh + L_SEI/P_SEI,RM + L_layer/P_layer,RM)/a_f + (dx_0/2)/D_eff,0)
//! - the gas side is closed to both forms.
//!
//! The RM current transfers charge between carbon and electrolyte like the product reaction;
//! the salt balance gains the cations released by the chemical step and by the shuttle.

use super::transport::face_conductance;
use super::{Model, Workspace};
use crate::constants::FARADAY;
use crate::kinetics::butler_volmer_saturating;
use crate::scalar::Scalar;

/// Effective mediator diffusivity in volume `k` with liquid volume fraction `eps`.
fn d_eff<T: Scalar>(m: &Model, k: usize, eps: T) -> T {
    let p = &m.params;
    let blocking = if k < m.mesh.n_sep {
        p.mediator.separator_blocking
    } else {
        1.0
    };
    eps.powf(p.geometry.bruggeman) * (p.mediator.diffusivity / blocking)
}

/// Mediator reactions and fluxes: RM current, chemical rates, shuttle flux (before the charge
/// and salt balances use them).
pub fn reactions<T: Scalar>(m: &Model, y: &[T], ws: &mut Workspace<T>) {
    let l = &m.layout;
    let r = l.mediator.clone().expect("mediator on");
    let p = &m.params;
    let md = &p.mediator;
    let n = m.mesh.len();
    for k in 0..n {
        ws.c_rm[k] = y[r.start + k] / ws.eps[k];
        ws.c_rm[n + k] = y[r.start + n + k] / ws.eps[k];
        ws.d_rm[k] = d_eff(m, k, ws.eps[k]);
        ws.rm_current[k] = T::from(0.0);
        ws.rm_chem[k] = T::from(0.0);
    }
    for k in 1..n {
        let g = face_conductance(m.mesh.dx[k - 1], ws.d_rm[k - 1], m.mesh.dx[k], ws.d_rm[k]);
        ws.n_rm[k] = -g * (ws.c_rm[k] - ws.c_rm[k - 1]);
        ws.n_rm[n + 1 + k] = -g * (ws.c_rm[n + k] - ws.c_rm[n + k - 1]);
    }
    ws.n_rm[n] = T::from(0.0);
    ws.n_rm[2 * n + 1] = T::from(0.0);
    // shuttle at the metal
    let mut resist = T::from(1.0 / md.shuttle_rate_constant);
    let mut blocked = false;
    if l.sei.is_some() {
        if md.sei_permeability == 0.0 {
            blocked = true;
        } else {
            resist += ws.sei_thickness / md.sei_permeability;
        }
    }
    let layer = p.corrosion.layer_thickness;
    if layer > 0.0 {
        if md.layer_permeability == 0.0 {
            blocked = true;
        } else {
            resist += T::from(layer / md.layer_permeability);
        }
    }
    let half = ws.d_rm[0].recip() * (0.5 * m.mesh.dx[0]);
    let j = if blocked || md.shuttle_rate_constant == 0.0 {
        ws.c_rm[n] * 0.0
    } else {
        // a 3D host exposes a_f times more metal to RM+
        ws.c_rm[n] / (resist / m.params.anode.surface_area_factor + half)
    };
    ws.shuttle = j;
    ws.n_rm[n + 1] = -j; // RM+ into the metal
    ws.n_rm[0] = j; // RM back into the electrolyte
    ws.n_salt[0] += j; // M+ released at the metal
                       // carbon: electrochemical oxidation and chemical reaction with the product
    let eps_sat = p.cathode.product_saturation_fraction;
    for jc in 0..m.mesh.n_cat {
        let k = m.cat(jc);
        let eps_p = y[l.product.start + jc];
        let area = m.structure.active_area(m.deposit(y, jc));
        let eta = y[l.phi_s.start + jc] - y[l.phi_e.start + k] - md.standard_potential;
        let i_rm = butler_volmer_saturating(
            md.exchange_current_density,
            0.5,
            0.5,
            m.f,
            eta,
            ws.c_rm[k] / md.concentration,
            ws.c_rm[n + k] / md.concentration,
        );
        ws.rm_current[k] = area * i_rm;
        let s_p = super::cathode::kinetics::oxidation_activity(eps_p, eps_sat);
        ws.rm_chem[k] = area * s_p * ws.c_rm[n + k] * md.chemical_rate_constant;
    }
}

/// Mediator rows and their effect on product, O2, salt, metal and the shuttle ledger.
pub fn residual<T: Scalar>(m: &Model, ws: &Workspace<T>, out: &mut [T]) {
    let l = &m.layout;
    let r = l.mediator.clone().expect("mediator on");
    let n = m.mesh.len();
    let c = &m.params.cathode;
    for k in 0..n {
        let dx = m.mesh.dx[k];
        let echem = ws.rm_current[k] / FARADAY;
        let chem = ws.rm_chem[k];
        out[r.start + k] = -(ws.n_rm[k + 1] - ws.n_rm[k]) / dx - echem + chem;
        out[r.start + n + k] = -(ws.n_rm[n + 2 + k] - ws.n_rm[n + 1 + k]) / dx + echem - chem;
        out[l.salt.start + k] += chem;
        out[l.gas_at(0, k)] += chem / c.electrons_per_o2;
        if k >= m.mesh.n_sep {
            out[l.product.start + k - m.mesh.n_sep] -=
                chem * (c.product_molar_volume / c.electrons_per_o2);
        }
    }
    out[l.metal] -= ws.shuttle;
    out[l.shuttle.expect("mediator on")] = ws.shuttle;
}
