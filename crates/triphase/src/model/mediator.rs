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
//!   J_sh = c_RM+,0 / (1/G + (dx_0/2)/D_eff,0),  G = a_f [(1 - f) G_intact + f G_cracked]
//!   with the series conductances of [`crate::model::anode::corrosion`] (rate constant k_sh;
//!   SEI on the intact fraction; outer scale and protective layer everywhere)
//! - the gas side is closed to both forms.
//!
//! The RM current transfers charge between carbon and electrolyte like the product reaction;
//! the salt balance gains the cations released by the chemical step and by the shuttle.

use super::anode::corrosion::{self, Crossing};
use super::transport::face_conductance;
use super::workspace::{Face, Properties, Sources};
use super::Model;
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

/// Mediator concentrations, effective diffusivities and interior fluxes of both forms.
pub fn properties<T: Scalar>(m: &Model, y: &[T], props: &mut Properties<T>) {
    let r = m.layout.mediator.clone().expect("mediator on");
    let n = m.mesh.len();
    for k in 0..n {
        props.c_rm[k] = y[r.start + k] / props.eps[k];
        props.c_rm[n + k] = y[r.start + n + k] / props.eps[k];
        props.d_rm[k] = d_eff(m, k, props.eps[k]);
    }
    for k in 1..n {
        let g = face_conductance(
            m.mesh.dx[k - 1],
            props.d_rm[k - 1],
            m.mesh.dx[k],
            props.d_rm[k],
        );
        props.n_rm[k] = -g * (props.c_rm[k] - props.c_rm[k - 1]);
        props.n_rm[n + 1 + k] = -g * (props.c_rm[n + k] - props.c_rm[n + k - 1]);
    }
}

/// Shuttle flux of RM+ into the metal at x = 0 [mol.m-2.s-1], through the anode's layers by
/// the crossing law of the gases ([`crate::model::anode::corrosion`]): the dense SEI on the
/// intact fraction, the outer scale and the protective layer everywhere, bare metal in the
/// cracks.
fn shuttle<T: Scalar>(m: &Model, props: &Properties<T>) -> T {
    let p = &m.params;
    let md = &p.mediator;
    let n = m.mesh.len();
    if md.shuttle_rate_constant == 0.0 {
        return props.c_rm[n] * 0.0;
    }
    let crossing = Crossing {
        rate_constant: md.shuttle_rate_constant,
        sei: m.layout.sei.as_ref().map(|_| md.sei_permeability),
        scale: md.scale_permeability,
        layer: md.layer_permeability,
        water_catalysed: None,
    };
    let (g_intact, g_cracked) = corrosion::conductances(m, props, &crossing, 0);
    // a 3D host exposes a_f times more metal to RM+
    let g =
        ((-props.crack + 1.0) * g_intact + props.crack * g_cracked) * p.anode.surface_area_factor;
    let half = props.d_rm[0].recip() * (0.5 * m.mesh.dx[0]);
    props.c_rm[n] * g / (g * half + 1.0)
}

/// Mediator rows (both forms in every volume, the shuttle ledger) and their sources: the RM
/// current into the carbon, the cations and O2 the chemical step releases, the product it
/// consumes, the metal and cations of the shuttle.
pub fn contribute<T: Scalar>(
    m: &Model,
    y: &[T],
    props: &Properties<T>,
    src: &mut Sources<T>,
    out: &mut [T],
) {
    let l = &m.layout;
    let r = l.mediator.clone().expect("mediator on");
    let p = &m.params;
    let md = &p.mediator;
    let c = &p.cathode;
    let n = m.mesh.len();
    let j_sh = shuttle(m, props);
    // RM+ flux into the metal at face 0 and RM back into the electrolyte; closed gas side
    let flux = |f: usize, oxidised: bool| -> T {
        let base = if oxidised { n + 1 } else { 0 };
        if f == 0 {
            if oxidised {
                -j_sh
            } else {
                j_sh
            }
        } else if f == n {
            T::from(0.0)
        } else {
            props.n_rm[base + f]
        }
    };
    let eps_sat = c.product_saturation_fraction;
    for k in 0..n {
        let dx = m.mesh.dx[k];
        // electrochemical oxidation on the carbon and chemical reaction with the product
        let (echem, chem) = if k >= m.mesh.n_sep {
            let jc = k - m.mesh.n_sep;
            let eps_p = y[l.product.start + jc];
            let area = m.structure.active_area(m.deposit(y, jc));
            let eta = y[l.phi_s.start + jc] - y[l.phi_e.start + k] - md.standard_potential;
            let i_rm = butler_volmer_saturating(
                md.exchange_current_density,
                0.5,
                0.5,
                m.f,
                eta,
                props.c_rm[k] / md.concentration,
                props.c_rm[n + k] / md.concentration,
            );
            let s_p = super::cathode::kinetics::oxidation_activity(eps_p, eps_sat);
            let chem = area * s_p * props.c_rm[n + k] * md.chemical_rate_constant;
            src.charge[k] += area * i_rm;
            src.product[jc] -= chem * (c.product_molar_volume / c.electrons_per_o2);
            (area * i_rm / FARADAY, chem)
        } else {
            (props.c_rm[k] * 0.0, props.c_rm[k] * 0.0)
        };
        out[r.start + k] = -(flux(k + 1, false) - flux(k, false)) / dx - echem + chem;
        out[r.start + n + k] = -(flux(k + 1, true) - flux(k, true)) / dx + echem - chem;
        src.salt[k] += chem;
        src.gas[k] += chem / c.electrons_per_o2;
    }
    src.n_salt[Face::First as usize] += j_sh; // M+ released at the metal
    src.metal -= j_sh;
    out[l.shuttle.expect("mediator on")] = j_sh;
}
