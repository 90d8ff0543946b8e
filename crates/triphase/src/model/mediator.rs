//! Redox mediator (option `redox_mediator`): the couple nu R <-> O + n e- (TEMPO: nu = n = 1;
//! trihalides 3 Br- <-> Br3- + 2 e- and 3 I- <-> I3- + 2 e-: nu = 3, n = 2). R is oxidised on
//! the carbon during charge and O oxidises the discharge product chemically; O that reaches the
//! metal is reduced there (the shuttle), consuming metal and charge.
//!
//! - transport of both forms by diffusion and migration (dilute Nernst–Planck, charge numbers
//!   z_R, z_O: Br-, Br3-, I-, I3- -1; TEMPO 0, TEMPO+ +1):
//!   d(eps c)/dt = -dN/dx + sources,  N = -D_eff (dc/dx + z c f dPhi/dx),
//!   D_eff = eps^b D / beta_sep in the separator, with the electrostatic potential
//!   f dPhi = f dphi_e - d ln c_e (phi_e is measured against a metal reference, which holds
//!   the cation's Nernst term); at a face, c is the mean of its two volumes. The mediator ions'
//!   share of the ionic current is neglected in the current balance (a 50 mM mediator against
//!   1 M salt: a few percent)
//! - electrochemical, per carbon area (symmetric Butler–Volmer with Nernst-consistent orders;
//!   the product film is not in the electron path of this outer-sphere couple):
//!   i_RM = i0_RM [ x_R^(nu/n) g(f eta/2) - x_O^(1/n) g(-f eta/2) ],  eta = phi_s - phi_e - E_RM,
//!   x_R = c_R/c_tot, x_O = nu c_O/c_tot (1 when all of the mediator is in that form),
//!   so that at equilibrium eta = (RT/(nF)) ln(x_O / x_R^nu), the couple's Nernst equation;
//!   with g(x) = e^x / (1 + e^(x - 12)): rates saturate beyond ~0.6 V of overpotential
//!   (Marcus–Hush–Chidsey; see [`crate::kinetics::butler_volmer_saturating`]). Fractional
//!   orders are regularised as x (x + 1e-6)^(g - 1) so they stay first order where a form is
//!   absent (the oxidised form starts at zero);
//!   R is consumed at nu i_RM/(nF), O formed at i_RM/(nF)
//! - chemical, per volume: O + (n/n_p) M_{n_p}O2 -> nu R + n M+ + (n/n_p) O2 at rate
//!   r = k_chem M(E_RM) a s_chem c_O (O consumed; n_p the product's electrons per O2), with
//!   the Marcus factor of the mediator's standard potential ([`marcus_factor`]):
//!   M = exp(-(lambda - F (E_RM - E0))^2 / (4 lambda R T)), 1 at E_RM = E0 + lambda/F, so
//!   that a mediator below the product's own potential E0 oxidises it only at a vanishing
//!   rate, and the product's activity s_chem of
//!   [`chemical_attack_activity`](super::cathode::kinetics::chemical_attack_activity), zero
//!   without product and never more than ~5e-7 below: the step is irreversible and does not
//!   run backwards where the product dipped below zero
//! - shuttle at x = 0 (O + n M -> nu R + n M+: metal consumed, ledger `shuttle` in metal
//!   units; R returned to the electrolyte, M+ released):
//!   J_sh = c_O,0 / (1/G + (dx_0/2)/D_eff,0),  G = a_f [(1 - f) G_intact + f G_cracked]
//!   with the series conductances of [`crate::model::anode::corrosion`] (rate constant k_sh;
//!   SEI on the intact fraction; outer scale and protective layer everywhere)
//! - attack on the SEI (with SEI cracking on): a fraction phi of the RM+ that crosses the intact
//!   SEI, J_sh,i = c_O,s a_f (1 - f) G_intact (c_O,s the concentration at the layers' outer
//!   surface), oxidises the SEI on its way instead of the metal beneath, and the SEI it
//!   oxidises (n/m organic units per RM+, m metal atoms per unit) opens cracks to the native
//!   thickness, mirroring the sealing of cracks by dense corrosion products
//!   ([`crate::model::anode::corrosion`]):
//!   s_att = phi J_sh,i (n/m) V_org / (a_f L_SEI,0)  [s-1], added to df/dt; the cracks heal
//!   as any others, so the attack costs the metal and solvent of the SEI that heals them and
//!   exposes bare metal to the shuttle and the gases. The oxidised SEI's units stay counted
//!   (like shed SEI) and the RM+ is reduced as in the shuttle, so no balance changes
//!   (assumption: the oxidised fragments stay in the interphase and the metal beneath
//!   re-reduces them)
//! - the gas side is closed to both forms; c_R + nu c_O (the halogen atoms) is conserved.
//!
//! The RM current transfers charge between carbon and electrolyte like the product reaction;
//! the salt balance gains the cations released by the chemical step and by the shuttle.

use super::anode::corrosion::{self, Crossing};
use super::transport::face_conductance;
use super::workspace::{Face, Properties, Sources};
use super::Model;
use crate::constants::FARADAY;
use crate::constants::GAS_CONSTANT;
use crate::kinetics::butler_volmer_saturating;
use crate::params::Parameters;
use crate::scalar::Scalar;

/// Effective mediator diffusivity in volume `k` with liquid volume fraction `eps`.
fn d_eff<T: Scalar>(m: &Model, k: usize, eps: T) -> T {
    let p = &m.params;
    let blocking = if k < m.mesh.n_sep {
        p.mediator.separator_blocking
    } else {
        1.0
    };
    crate::scalar::pow(eps, p.geometry.bruggeman) * (p.mediator.diffusivity / blocking)
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
    let (z_r, z_o) = (
        m.params.mediator.reduced_charge,
        m.params.mediator.oxidised_charge,
    );
    let phi_e = m.layout.phi_e.start;
    for k in 1..n {
        let g = face_conductance(
            m.mesh.dx[k - 1],
            props.d_rm[k - 1],
            m.mesh.dx[k],
            props.d_rm[k],
        );
        // the electrostatic potential difference across the face: phi_e is measured against a
        // metal reference in the local electrolyte, so its difference holds the cation's
        // Nernst term (1/f) d ln a+ = (TF/f) d ln c, which the ions do not feel
        let drive = (y[phi_e + k] - y[phi_e + k - 1]) * m.f
            - (props.ln_c[k] - props.ln_c[k - 1]) * m.params.electrolyte.thermodynamic_factor;
        let migrate = |c_left: T, c_right: T, z: f64| -> T {
            if z == 0.0 {
                drive * 0.0
            } else {
                (c_left + c_right) * 0.5 * drive * z
            }
        };
        props.n_rm[k] = -g
            * (props.c_rm[k] - props.c_rm[k - 1] + migrate(props.c_rm[k - 1], props.c_rm[k], z_r));
        props.n_rm[n + 1 + k] = -g
            * (props.c_rm[n + k] - props.c_rm[n + k - 1]
                + migrate(props.c_rm[n + k - 1], props.c_rm[n + k], z_o));
    }
}

/// Shuttle flux of RM+ into the metal at x = 0 and its part through the intact SEI
/// [mol.m-2.s-1], through the anode's layers by the crossing law of the gases
/// ([`crate::model::anode::corrosion`]): the dense SEI on the intact fraction, the outer scale
/// and the protective layer everywhere, bare metal in the cracks.
fn shuttle<T: Scalar>(m: &Model, props: &Properties<T>) -> (T, T) {
    let p = &m.params;
    let md = &p.mediator;
    let n = m.mesh.len();
    if md.shuttle_rate_constant == 0.0 {
        return (props.c_rm[n] * 0.0, props.c_rm[n] * 0.0);
    }
    let crossing = Crossing {
        rate_constant: md.shuttle_rate_constant,
        sei: m.layout.sei.as_ref().map(|_| md.sei_permeability),
        scale: md.scale_permeability,
        layer: md.layer_permeability,
        water_catalysed: None,
    };
    // a 3D host exposes a_f times more metal to RM+ (in `into_metal`)
    let f = corrosion::into_metal(m, props, &crossing, 0, props.c_rm[n], props.d_rm[0]);
    (f.total, f.intact)
}

/// Rate at which the oxidised mediator crossing the intact SEI opens cracks in it [s-1]:
/// s_att = phi J_sh,i (n/m) V_org / (a_f L_SEI,0) (see the module documentation).
fn sei_attack<T: Scalar>(m: &Model, j_intact: T) -> T {
    let p = &m.params;
    let s = &p.sei;
    j_intact
        * (p.mediator.sei_attack_fraction * p.mediator.electrons / s.metal_per_organic
            * s.organic_molar_volume
            / (p.anode.surface_area_factor * s.initial_thickness))
}

/// Marcus factor of the chemical step's rate [-]:
///
///   M = exp(-(lambda - F (E_RM - E0))^2 / (4 lambda R T))
///
/// with E_RM the mediator's standard potential, E0 the product's and lambda the
/// reorganisation energy. The oxidation of Li2O2 by a mediator is rate-limited by the
/// outer-sphere one-electron step Li2O2 -> LiO2 + Li+ + e-, which follows Marcus theory, with
/// the fastest rate at +3.74 V ("Why charging Li-air batteries with current low-voltage
/// mediators is slow and singlet oxygen does not explain degradation", Nat. Chem. 15 (2023)
/// 1022, abstract). Taking that step's standard potential as E0 (assumption), the driving
/// force is F (E_RM - E0) and the optimum is E0 + lambda/F; below E0 the step runs uphill and
/// M falls as a Gaussian (5e-9 at 2.5 V for Li2O2), so a mediator can no longer charge the
/// cell below the product's equilibrium potential. No inverted-region plateau is modelled.
pub fn marcus_factor(p: &Parameters) -> f64 {
    let md = &p.mediator;
    let lambda = md.reorganisation_energy;
    let rt = GAS_CONSTANT * p.temperature;
    let excess = lambda - FARADAY * (md.standard_potential - p.cathode.standard_potential);
    (-(excess * excess) / (4.0 * lambda * rt)).exp()
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
    let (j_sh, j_intact) = shuttle(m, props);
    if l.crack.is_some() {
        src.crack += sei_attack(m, j_intact);
    }
    // RM+ flux into the metal at face 0 and RM back into the electrolyte; closed gas side
    let flux = |f: usize, oxidised: bool| -> T {
        let base = if oxidised { n + 1 } else { 0 };
        if f == 0 {
            if oxidised {
                -j_sh
            } else {
                j_sh * md.reduced_per_oxidised
            }
        } else if f == n {
            T::from(0.0)
        } else {
            props.n_rm[base + f]
        }
    };
    let eps_sat = c.product_saturation_fraction;
    let (ne, nu) = (md.electrons, md.reduced_per_oxidised);
    let k_chem = md.chemical_rate_constant * marcus_factor(p);
    for k in 0..n {
        let dx = m.mesh.dx[k];
        // electrochemical oxidation on the carbon and chemical reaction with the product
        let (echem, chem) = if k >= m.mesh.n_sep {
            let jc = k - m.mesh.n_sep;
            let eps_p = y[l.product.start + jc];
            let area = m.structure.active_area(m.deposit(y, jc));
            let eta =
                super::cathode::double_layer::interface_potential(m, y, jc) - md.standard_potential;
            let i_rm = butler_volmer_saturating(
                md.exchange_current_density,
                0.5,
                0.5,
                m.f,
                eta,
                regularised_order(props.c_rm[k] / md.concentration, nu / ne),
                regularised_order(props.c_rm[n + k] * (nu / md.concentration), 1.0 / ne),
            );
            let s_p = super::cathode::kinetics::chemical_attack_activity(eps_p, eps_sat);
            let chem = area * s_p * props.c_rm[n + k] * k_chem;
            src.charge[k] += area * i_rm;
            src.product[jc] -= chem * (ne * c.product_molar_volume / c.electrons_per_o2);
            // oxidised units formed per volume and time
            (area * i_rm / (ne * FARADAY), chem)
        } else {
            (props.c_rm[k] * 0.0, props.c_rm[k] * 0.0)
        };
        out[r.start + k] = -(flux(k + 1, false) - flux(k, false)) / dx + (chem - echem) * nu;
        out[r.start + n + k] = -(flux(k + 1, true) - flux(k, true)) / dx + echem - chem;
        src.salt[k] += chem * ne;
        src.gas[k] += chem * (ne / c.electrons_per_o2);
    }
    src.n_salt[Face::First as usize] += j_sh * ne; // M+ released at the metal
    src.metal -= j_sh * ne;
    out[l.shuttle.expect("mediator on")] = j_sh * ne;
}

/// x^g for a fractional reaction order, regularised as x (x + 1e-6)^(g - 1): x^g for x well
/// above 1e-6, first order (finite slope) as x -> 0; x itself for g = 1.
fn regularised_order<T: Scalar>(x: T, g: f64) -> T {
    if g == 1.0 {
        x
    } else {
        x * crate::scalar::floor(x + 1e-6, 1e-12).powf(g - 1.0)
    }
}
