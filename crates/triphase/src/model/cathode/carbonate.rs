//! Oxidation of the parasitic carbonate deposit on charge (with the `parasitic` option).
//!
//! The Li2CO3-like deposit that reactive oxygen leaves on discharge ([`super::parasitic`])
//! oxidises at high potential (Mahne et al., Angew. Chem. Int. Ed. 57 (2018) 5529: above
//! 3.8 V vs Li/Li+ Li2CO3 decomposes to CO2, while the O2 of the overall reaction
//! 2 Li2CO3 -> 4 Li+ + 4 e- + 2 CO2 + O2 is not evolved: it forms singlet O2, which attacks
//! the electrolyte and the carbon). Per deposit unit (two electrons, two cations):
//!
//!   M2CO3 -> 2 M+ + 2 e- + CO2 + 1/2 (1O2 -> solvent)
//!
//! Irreversible Tafel kinetics on the carbon, saturating in the deposit like product oxidation:
//!
//!   i_CO3 = i_CO3,0 s_d exp(alpha_CO3 f (E_ct - E_CO3)),   E_ct = phi_s - phi_e - i_c R_film
//!   s_d = eps_d / (|eps_d| + eps_sat)
//!   d eps_d/dt -= a i_CO3 V_d / (2F),   d n_CO3,j/dt = a i_CO3 dx_j / (2F)
//!
//! E_ct is the charge-transfer potential of the carbon against the local electrolyte (metal
//! reference), the same for every reaction on it (eta + E0 of the O2 reaction). Each unit
//! releases one CO2, into the dissolved CO2 where CO2 is a transported gas (it then crosses to
//! the metal like CO2 from the air), else out of the cell; its ledger n_CO3 is the CO2 evolved.
//! The singlet O2 (the unit's third O atom) goes to the solvent: no O2 is evolved, so the O2
//! recovered on charge falls below the charge passed over 2F, as DEMS measures.

use crate::constants::FARADAY;
use crate::kinetics::MAX_EXPONENT;
use crate::model::Model;
use crate::scalar::{exp_clipped, Scalar};

/// Carbonate oxidation current per carbon area [A.m-2] (>= 0 for a non-negative deposit) in
/// a volume with deposit fraction `eps_d` whose carbon sits at the charge-transfer potential
/// `e_ct` = phi_s - phi_e - i_c R_film \[V\] against the local electrolyte.
#[inline]
pub fn current<T: Scalar>(m: &Model, eps_d: T, e_ct: T) -> T {
    let c = &m.params.cathode;
    let s_d = super::kinetics::oxidation_activity(eps_d, c.product_saturation_fraction);
    s_d * exp_clipped(
        (e_ct - c.carbonate_onset_potential) * (c.carbonate_transfer_coefficient * m.f),
        MAX_EXPONENT,
    ) * c.carbonate_onset_current_density
}

/// Carbonate oxidation current per carbon area in cathode volume `j` of state `y` [A.m-2],
/// whose O2 reaction has the charge-transfer overpotential `eta` (E_ct = E0 + eta); 0 without
/// the `parasitic` option.
#[inline]
pub fn in_volume<T: Scalar>(m: &Model, y: &[T], j: usize, eta: T) -> T {
    match &m.layout.side_product {
        Some(r) => current(m, y[r.start + j], eta + m.params.cathode.standard_potential),
        None => eta * 0.0,
    }
}

/// Deposit units oxidised per volume and time, d n/dt = a i_CO3 / (2F) [mol.m-3.s-1], from
/// the volumetric carbonate current `a_i` = a i_CO3 [A.m-3]: the CO2 source and the rate the
/// deposit volume fraction falls at (times its molar volume).
#[inline]
pub fn units_rate<T: Scalar>(a_i: T) -> T {
    a_i / (2.0 * FARADAY)
}

/// CO2 evolved by carbonate oxidation so far [mol.m-2] (0 without the `parasitic` option).
pub fn co2_evolved(m: &Model, y: &[f64]) -> f64 {
    m.layout
        .carbonate_oxidised
        .as_ref()
        .map_or(0.0, |r| y[r.clone()].iter().sum())
}

#[cfg(test)]
mod tests {
    use crate::constants::{FARADAY, GAS_CONSTANT};
    use crate::Cell;

    /// At the onset potential, on carbon saturated with deposit (eps_d >> eps_sat), the law
    /// gives the onset current density; 118 mV above it (alpha = 0.5 at 298.15 K: RT ln10 /
    /// (0.5 F) = 118.3 mV) ten times that; none without deposit.
    #[test]
    fn onset_current_and_tafel_slope() {
        let mut cell = Cell::preset("li-air").unwrap();
        cell.params.temperature = 298.15;
        let m = cell.model();
        let c = &m.params.cathode;
        let (e0, i0) = (
            c.carbonate_onset_potential,
            c.carbonate_onset_current_density,
        );
        let eps = 1e3 * c.product_saturation_fraction;
        let sat = eps / (eps + c.product_saturation_fraction);
        let at_onset = super::current(&m, eps, e0);
        // (|eps_d| is smoothed over 1e-6 eps_sat: a relative 1e-9 here)
        assert!((at_onset / (i0 * sat) - 1.0).abs() < 1e-8, "{at_onset}");
        let slope = GAS_CONSTANT * 298.15 * std::f64::consts::LN_10 / (0.5 * FARADAY);
        let decade = super::current(&m, eps, e0 + slope);
        assert!(
            (decade / at_onset - 10.0).abs() < 1e-6,
            "{decade} {at_onset}"
        );
        assert_eq!(super::current(&m, 0.0, e0 + 1.0), 0.0);
    }
}
