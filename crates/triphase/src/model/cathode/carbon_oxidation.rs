//! Oxidation of the carbon by the discharge product on charge (option `carbon_oxidation`).
//!
//! Carbon "is relatively stable below 3.5 V (vs Li/Li+) on discharge or charge ... but is
//! unstable on charging above 3.5 V (in the presence of Li2O2), oxidatively decomposing to form
//! Li2CO3" (Ottakam Thotiyl, Freunberger, Peng, Bruce, J. Am. Chem. Soc. 135 (2013) 494,
//! abstract). The Li2CO3 sits at the carbon-Li2O2 interface, about a monolayer of it after a
//! cycle, where it "causes a 10-100 fold decrease in the exchange current density" (McCloskey
//! et al., J. Phys. Chem. Lett. 3 (2012) 997, abstract); solid-state NMR sees carbonate on the
//! carbon removed at high charging voltages in the first cycle but accumulating in later ones
//! (Leskes, Moore, Goward, Grey, J. Phys. Chem. C 117 (2013) 26929, abstract).
//!
//! Per carbonate unit (two electrons; for a peroxide product M2O2):
//!
//!   C + 2 M2O2 -> M2CO3 + 2 M+ + 2 e- + 1/2 O2
//!
//! (C: 0 -> +4; of the four peroxide O, three go to carbonate O(-II) and one to O2: 4 - 3 + 1
//! = 2 electrons). With theta the carbonate on the carbon of a cathode volume in monolayers of
//! Gamma [mol.m-2] on its initial carbon area a_0, and E_ct = eta + E0 the carbon's
//! charge-transfer potential against the local electrolyte (metal reference):
//!
//!   i_C = i_C0 s_chem(eps_p) exp(-theta) exp(alpha_C f (E_ct - E_C))   (formation, >= 0)
//!   i_CO3 = the carbonate oxidation law of [`super::carbonate`] at eps_C = theta Gamma a_0 V_d
//!   d theta/dt = a (i_C - i_CO3) / (2 F Gamma a_0)
//!   i0 -> i0 [exp(-theta) + (1 - exp(-theta)) / K_C]
//!
//! The formation needs product in contact with bare carbon: s_chem is the product's
//! availability without a reverse branch ([`super::kinetics::chemical_attack_activity`]), and
//! exp(-theta) the bare fraction of carbon that carbonate units laid down at random leave
//! (Poisson coverage), so the layer limits its own growth to about a monolayer per charge.
//! The carbonate oxidises like the parasitic deposit (Li2CO3 is Li2CO3: Mahne et al., Angew.
//! Chem. Int. Ed. 57 (2018) 5529), to CO2 and singlet O2 that attacks the solvent; a unit
//! releases one CO2, into the dissolved CO2 where CO2 is transported. The product reaction's
//! exchange current on the covered fraction 1 - exp(-theta) is divided by K_C. Assumptions:
//! the layer takes no pore volume and adds no film resistance (0.39 nm per monolayer); the
//! background oxidation of the electrolyte and the deposit's oxidation are not slowed by it;
//! the carbon consumed does not change the carbon's area or conductivity.
//!
//! Ledgers: the carbonate formed per volume (`carbon_carbonate_formed`, mol per electrode
//! area); formed less present is what oxidised. The balances count 2 M and 3 O per unit
//! present, and 3 O per unit formed that oxidised (its CO2 and singlet O2), as for the deposit.

use crate::constants::FARADAY;
use crate::kinetics::MAX_EXPONENT;
use crate::model::workspace::Sources;
use crate::model::Model;
use crate::scalar::{exp_clipped, Scalar};

/// The carbon oxidation's two currents per carbon area in one cathode volume [A.m-2].
#[derive(Clone, Copy, Debug)]
pub struct Currents<T> {
    /// Formation of carbonate from carbon and product, i_C >= 0.
    pub formation: T,
    /// Oxidation of the carbon's carbonate to CO2, i_CO3 (>= 0 for a non-negative layer).
    pub removal: T,
}

impl<T: Scalar> Currents<T> {
    /// Their sum: the current the reaction carries through the film [A.m-2].
    #[inline]
    pub fn total(&self) -> T {
        self.formation + self.removal
    }
}

/// Carbonate per electrode volume in one monolayer on the initial carbon area, Gamma a_0
/// [mol.m-3]: the unit of theta.
#[inline]
pub fn monolayer_density(m: &Model) -> f64 {
    m.params.cathode.carbon_carbonate_monolayer * m.params.geometry.cathode_specific_area
}

/// Carbonate volume fraction of `theta` monolayers on the initial carbon area [-]: the
/// deposit fraction at which [`super::carbonate::current`] oxidises it.
#[inline]
pub fn volume_fraction<T: Scalar>(m: &Model, theta: T) -> T {
    theta * (monolayer_density(m) * m.params.cathode.parasitic_molar_volume)
}

/// Formation and removal currents per carbon area [A.m-2] for product fraction `eps_p`,
/// carbonate coverage `theta` \[monolayers\] with its bare fraction `bare` = exp(-theta)
/// ([`bare_fraction`]), and carbon potential `e_ct` against the local electrolyte \[V\].
#[inline]
pub fn currents<T: Scalar>(m: &Model, eps_p: T, theta: T, bare: T, e_ct: T) -> Currents<T> {
    let c = &m.params.cathode;
    let contact = super::kinetics::chemical_attack_activity(eps_p, c.product_saturation_fraction);
    let formation = contact
        * bare
        * exp_clipped(
            (e_ct - c.carbon_oxidation_onset_potential)
                * (c.carbon_oxidation_transfer_coefficient * m.f),
            MAX_EXPONENT,
        )
        * c.carbon_oxidation_onset_current_density;
    let removal = super::carbonate::current(m, volume_fraction(m, theta), e_ct);
    Currents { formation, removal }
}

/// The bare fraction exp(-theta) of the carbon of cathode volume `j` (None without the
/// option).
#[inline]
pub fn bare_fraction<T: Scalar>(m: &Model, y: &[T], j: usize) -> Option<T> {
    let r = m.layout.carbon_carbonate.as_ref()?;
    Some(exp_clipped(-y[r.start + j], MAX_EXPONENT))
}

/// The currents in cathode volume `j` of state `y` with bare fraction `bare`
/// ([`bare_fraction`]), whose product reaction has the charge-transfer overpotential `eta`.
#[inline]
pub fn in_volume<T: Scalar>(m: &Model, y: &[T], j: usize, bare: T, eta: T) -> Currents<T> {
    let r = m
        .layout
        .carbon_carbonate
        .as_ref()
        .expect("carbon_oxidation on");
    currents(
        m,
        y[m.layout.product.start + j],
        y[r.start + j],
        bare,
        eta + m.params.cathode.standard_potential,
    )
}

/// Factor on the product reaction's exchange current density from the carbonate on the
/// carbon with bare fraction `bare` = exp(-theta): bare + (1 - bare) / K_C.
#[inline]
pub fn exchange_factor<T: Scalar>(m: &Model, bare: T) -> T {
    let k = m.params.cathode.carbon_carbonate_factor;
    bare * (1.0 - 1.0 / k) + 1.0 / k
}

/// The carbon's carbonate rows of cathode volume `j` (mesh volume `k`) with active carbon
/// area `area` [m2.m-3], from its currents `i`, and their sources: two product units taken and
/// half an O2 released per carbonate unit formed, a CO2 per unit oxidised into the dissolved
/// CO2 at `co2` (its offset in the gas sources, where CO2 is transported). Returns the
/// volumetric current a (i_C + i_CO3) [A.m-3], which forms no product.
pub fn contribute<T: Scalar>(
    m: &Model,
    i: Currents<T>,
    area: T,
    (j, k): (usize, usize),
    co2: Option<usize>,
    src: &mut Sources<T>,
    out: &mut [T],
) -> T {
    let l = &m.layout;
    let (Some(cc), Some(cf)) = (&l.carbon_carbonate, &l.carbon_carbonate_formed) else {
        unreachable!("carbon currents exist with the option's states");
    };
    // carbonate units formed and oxidised per volume and time [mol.m-3.s-1]
    let formed = super::carbonate::units_rate(i.formation * area);
    let oxidised = super::carbonate::units_rate(i.removal * area);
    // two electrons per unit: 2 F Gamma a_0 per monolayer per volume
    let per_monolayer = 2.0 * FARADAY * monolayer_density(m);
    out[cc.start + j] = (i.formation - i.removal) * area / per_monolayer;
    out[cf.start + j] = formed * m.mesh.dx[k];
    // each unit formed takes two product units and releases half an O2; each oxidised, a CO2
    src.product[j] -= formed * (2.0 * m.params.cathode.product_molar_volume);
    src.gas[k] += formed * 0.5;
    if let Some(g) = co2 {
        src.gas[g + k] += oxidised;
    }
    i.total() * area
}

/// Carbonate on the carbon [mol.m-2] (0 without the option).
pub fn present(m: &Model, y: &[f64]) -> f64 {
    let per_monolayer = monolayer_density(m);
    m.layout.carbon_carbonate.as_ref().map_or(0.0, |r| {
        (0..m.mesh.n_cat)
            .map(|j| y[r.start + j] * per_monolayer * m.mesh.dx[m.cat(j)])
            .sum()
    })
}

/// Carbon carbonate formed so far [mol.m-2], one carbon atom and two electrons each (0
/// without the option).
pub fn formed(m: &Model, y: &[f64]) -> f64 {
    m.layout
        .carbon_carbonate_formed
        .as_ref()
        .map_or(0.0, |r| y[r.clone()].iter().sum())
}

/// CO2 that the oxidation of the carbon's carbonate released so far [mol.m-2]: formed less
/// present.
pub fn co2_evolved(m: &Model, y: &[f64]) -> f64 {
    formed(m, y) - present(m, y)
}

/// Mean coverage of the carbon by its carbonate over the cathode \[monolayers\]: what is
/// present over the monolayer's amount on the whole cathode, Gamma a_0 L_c (0 without the
/// option).
pub fn mean_coverage(m: &Model, y: &[f64]) -> f64 {
    present(m, y) / (monolayer_density(m) * m.params.geometry.cathode_thickness)
}

#[cfg(test)]
mod tests {
    use crate::constants::{FARADAY, GAS_CONSTANT};
    use crate::Cell;

    /// On bare carbon with product in excess the formation current at the onset is the onset
    /// current density times the product's contact; 118 mV above it (alpha = 0.5 at 298.15 K:
    /// RT ln10 / (0.5 F) = 118.3 mV) ten times that; one monolayer leaves the fraction 1/e of
    /// the carbon bare and as much of the current; none without product; the carbonate
    /// oxidises as the parasitic deposit does at the same volume fraction.
    #[test]
    fn onset_tafel_slope_and_poisson_coverage() {
        let mut cell = Cell::preset("li-o2").unwrap();
        cell.params.temperature = 298.15;
        let m = cell.model();
        let c = &m.params.cathode;
        let (e_c, i_c) = (
            c.carbon_oxidation_onset_potential,
            c.carbon_oxidation_onset_current_density,
        );
        assert!(i_c > 0.0);
        let eps = 1e3 * c.product_saturation_fraction;
        let contact = eps / (eps + c.product_saturation_fraction);
        let at = |eps_p: f64, theta: f64, e: f64| {
            super::currents(&m, eps_p, theta, (-theta).exp(), e).formation
        };
        // (the product's |eps| is smoothed over 1e-6 eps_sat: a relative 1e-9 here)
        assert!((at(eps, 0.0, e_c) / (i_c * contact) - 1.0).abs() < 1e-8);
        let slope = GAS_CONSTANT * 298.15 * std::f64::consts::LN_10 / (0.5 * FARADAY);
        assert!((at(eps, 0.0, e_c + slope) / at(eps, 0.0, e_c) - 10.0).abs() < 1e-9);
        let e1 = (-1.0f64).exp();
        assert!((at(eps, 1.0, e_c) / at(eps, 0.0, e_c) - e1).abs() < 1e-12);
        assert_eq!(at(0.0, 0.0, e_c + 1.0), 0.0);
        let removal = super::currents(&m, eps, 2.0, (-2.0f64).exp(), 4.1).removal;
        let deposit =
            crate::model::cathode::carbonate::current(&m, super::volume_fraction(&m, 2.0), 4.1);
        assert_eq!(removal, deposit);
        assert!(removal > 0.0);
    }

    /// The exchange current factor runs from 1 on bare carbon to 1/K_C on covered carbon and is
    /// their mean where half the carbon is bare (theta = ln 2).
    #[test]
    fn exchange_factor_between_bare_and_covered_carbon() {
        let m = Cell::preset("li-o2").unwrap().model();
        let k = m.params.cathode.carbon_carbonate_factor;
        assert!(k > 1.0);
        let f = |theta: f64| super::exchange_factor(&m, (-theta).exp());
        assert_eq!(f(0.0), 1.0);
        assert!((f(50.0) - 1.0 / k).abs() < 1e-15);
        assert!((f(2f64.ln()) - 0.5 * (1.0 + 1.0 / k)).abs() < 1e-15);
    }
}
