//! Oxygen reduction / product oxidation in the cathode: n M+ + O2 + n e- <-> M_nO2.
//!
//! Per carbon surface (i_c > 0 oxidation, i.e. charge), with a film resistance in series:
//!
//!   i_c = i0_c [ s_p exp(alpha_a f eta) - (c_O2/c_O2,ref)(c_e/c_0) exp(-alpha_c f eta) ]
//!   eta = phi_s - phi_e - E0 - i_c R_film(delta)
//!   s_p = (e + 1e-6 eps_sat) / (e + eps_sat),  e = w ln(1 + exp(eps_p/w)), w = 0.01 eps_sat
//!
//! The reduction branch is first order in O2 and in the cation (rate-determining first
//! electron transfer O2 + M+ + e- -> MO2); the oxidation branch needs product to oxidise
//! (s_p -> 1 once eps_p >> eps_sat; the 1e-6 floor is the residual activity of bare carbon and
//! keeps the rest potential of a fresh cathode defined). Product growth:
//!
//!   d(eps_p)/dt = -a (i_c - i_par) V_p / (n F)
//!
//! where i_par is the parasitic part of the reduction current (0 unless the `parasitic` option
//! is on, see [`super::parasitic`]).
//!
//! The volumetric reaction current a i_c enters the electrolyte, solid and O2 balances.

use crate::constants::FARADAY;
use crate::kinetics::butler_volmer;
use crate::model::workspace::{Properties, Sources};
use crate::model::Model;
use crate::scalar::{softplus, Scalar};

/// Residual activity of product-free carbon for oxidation, relative to eps_sat.
pub const BARE_CARBON_ACTIVITY: f64 = 1e-6;

/// Activity factor of the oxidation branch,
/// s_p = (e + 1e-6 eps_sat) / (e + eps_sat), in [1e-6, 1), with e = softplus(eps_p) a smooth
/// max(eps_p, 0) of width 0.01 eps_sat.
///
/// The floor at eps_p = 0 keeps the kinetics invertible when a volume's product is used up:
/// oxidation there needs ~1.2 V more overpotential, so charge moves to volumes that still hold
/// product; once the cathode as a whole is empty the `ProductExhausted` event ends the step.
#[inline]
pub fn oxidation_activity<T: Scalar>(eps_p: T, eps_sat: f64) -> T {
    let e = softplus(eps_p, 1e-2 * eps_sat);
    (e + BARE_CARBON_ACTIVITY * eps_sat) / (e + eps_sat)
}

/// Reaction rows (i_c) and parasitic-deposit rows; the product growth, the volumetric current
/// into the carbon, the cations it consumes and the O2 the product takes.
pub fn contribute<T: Scalar>(
    m: &Model,
    y: &[T],
    props: &Properties<T>,
    src: &mut Sources<T>,
    out: &mut [T],
) {
    let l = &m.layout;
    let c = &m.params.cathode;
    let c0 = m.params.electrolyte.initial_concentration;
    let c_o2_ref = m.params.oxygen.reference_concentration;
    let eps_sat = c.product_saturation_fraction;
    let growth = c.product_molar_volume / (c.electrons_per_o2 * FARADAY);
    let nf = c.electrons_per_o2 * FARADAY;
    for j in 0..m.mesh.n_cat {
        let k = m.cat(j);
        let eps_p = y[l.product.start + j];
        let i_c = y[l.reaction.start + j];
        let deposit = m.deposit(y, j);
        let area = m.structure.active_area(deposit);
        let r_film = m.film.resistance(m.structure.film_thickness(deposit));
        let eta = y[l.phi_s.start + j] - y[l.phi_e.start + k] - c.standard_potential - i_c * r_film;
        let s_ox = oxidation_activity(eps_p, eps_sat);
        let s_red = props.c_gas[k] * props.c_e[k] / (c_o2_ref * c0);
        let i_bv = butler_volmer(
            c.exchange_current_density,
            c.anodic_transfer_coefficient,
            c.cathodic_transfer_coefficient,
            m.f,
            eta,
            s_ox,
            s_red,
        );
        out[l.reaction.start + j] = (i_c - i_bv) / c.exchange_current_density;
        let source = area * i_c;
        src.charge[k] += source;
        src.salt[k] += source / FARADAY;
        let forming = match &l.side_product {
            Some(r) => {
                let lost = super::parasitic::current(m, eta, i_c) * area;
                out[r.start + j] = super::parasitic::deposit_rate(m, lost);
                source - lost
            }
            None => source,
        };
        // the O2 of the product comes from the dissolved O2 (0 is gas O2 in the layout)
        src.gas[k] += forming / nf;
        src.product[j] -= forming * growth;
    }
}

/// Overpotential at which the kinetics carry `i_c` [A.m-2], for a starting guess: the Tafel
/// branch that dominates, or the equilibrium shift when `i_c` = 0.
pub fn overpotential_guess(m: &Model, i_c: f64, s_ox: f64, s_red: f64) -> f64 {
    let c = &m.params.cathode;
    let i0 = c.exchange_current_density;
    let (aa, ac) = (
        c.anodic_transfer_coefficient,
        c.cathodic_transfer_coefficient,
    );
    let (s_ox, s_red) = (s_ox.max(1e-300), s_red.max(1e-300));
    if i_c > 0.0 {
        (i_c / (i0 * s_ox)).max(1.0).ln() / (aa * m.f)
    } else if i_c < 0.0 {
        -(-i_c / (i0 * s_red)).max(1.0).ln() / (ac * m.f)
    } else {
        (s_red / s_ox).ln() / ((aa + ac) * m.f)
    }
}

/// Sets the solid potential of `y` to a starting guess for the consistent initialisation: in
/// each volume the potential at which its kinetics carry its reaction current, or, at rest
/// (`uniform`), their median (at zero current the per-volume values can be far apart where
/// O2 or product is depleted, while the well-connected carbon is nearly equipotential).
pub fn guess_solid_potential(m: &Model, y: &mut [f64], uniform: bool) {
    let l = &m.layout;
    let c = &m.params.cathode;
    let c0 = m.params.electrolyte.initial_concentration;
    let mut phi = Vec::with_capacity(m.mesh.n_cat);
    for j in 0..m.mesh.n_cat {
        let k = m.cat(j);
        let eps_p = y[l.product.start + j];
        let deposit = m.deposit(y, j);
        let eps = m.structure.porosity(deposit);
        let i_c = y[l.reaction.start + j];
        let s_ox = oxidation_activity(eps_p, c.product_saturation_fraction);
        let s_red = ((y[l.o2.start + k] / eps) * (y[l.salt.start + k] / eps)
            / (m.params.oxygen.reference_concentration * c0))
            .max(1e-6);
        let eta = overpotential_guess(m, i_c, s_ox, s_red);
        let r_film: f64 = m.film.resistance(m.structure.film_thickness(deposit));
        phi.push(y[l.phi_e.start + k] + c.standard_potential + eta + i_c * r_film);
    }
    if uniform {
        let mut sorted = phi.clone();
        sorted.sort_by(f64::total_cmp);
        phi.iter_mut().for_each(|p| *p = sorted[sorted.len() / 2]);
    }
    y[l.phi_s.clone()].copy_from_slice(&phi);
}
