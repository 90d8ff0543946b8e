//! Reactive-oxygen decomposition of the electrolyte during O2 reduction (option `parasitic`).
//!
//! Superoxide formed in the first electron transfer attacks the solvent; a fraction chi of the
//! reduction current then ends in Li2CO3-like deposits instead of the discharge product. chi
//! grows with the ORR overpotential (more superoxide in solution at higher rates):
//!
//!   chi = chi_0 e^x / (1 + chi_0 (e^x - 1)),  x = softplus(-eta_ct, 10 mV) / V_chi
//!   i_par = chi (1 - sigma) min_w(i_c),  w = 1e-3 / (a_0 L_c) A m-2
//!   min_w(i) = 0 (i >= 0),  -i^2 / (2 w) (-w < i < 0),  i + w/2 (i <= -w)
//!
//! min_w is a continuously differentiable, monotone min(i_c, 0), zero for any oxidation;
//! 1 - sigma is the reduction side of the product reaction's switch
//! ([`product_current`](super::kinetics::product_current)): above the local equilibrium no O2
//! is reduced, and a net reduction there is the availability pulling product carried below
//! zero back, which forms no superoxide.
//!
//! The parasitic current consumes cations like the main reaction and nu_O2 dissolved O2 per
//! deposit unit: its electrons first reduce O2 (superoxide is what attacks the solvent), and the
//! deposit holds that oxygen beside the solvent's. With nu_O2 = 1 (default) the side path draws
//! 2 e- per O2 like Li2O2, with 0 e-/O2 rises above n. The deposit (2 electrons, 2 cations, one
//! solvent molecule and nu_O2 O2 per unit, molar volume V_par) clogs pores and thickens the
//! passivating film like the product but is not oxidised on charge:
//!
//!   d eps_par/dt = -a i_par V_par / (2 F),   d c_O2/dt += nu_O2 a i_par / (2 F) / eps
//!
//! The solvent it consumes (one molecule per deposit unit) is read off the deposit states: it
//! counts in the remaining-electrolyte output and the dry-out event, but does not lower the
//! pore liquid fraction used for transport (that would put a cell-wide sum in one row and make
//! the Jacobian colouring dense).

use crate::constants::FARADAY;
use crate::model::Model;
use crate::scalar::{softplus, Scalar};

/// Parasitic part of the reduction current per carbon area [A.m-2] (<= 0), for the
/// charge-transfer overpotential `eta_ct`, reaction current `i_c` and the product reaction's
/// side of its local equilibrium `reduction_side` (1 - sigma of
/// [`product_current`](super::kinetics::product_current)'s switch: 1 below, 0 above).
pub fn current<T: Scalar>(m: &Model, eta_ct: T, i_c: T, reduction_side: T) -> T {
    let c = &m.params.cathode;
    let x = softplus(-eta_ct, 0.01) / c.parasitic_overpotential_scale;
    let ex = x.exp();
    let chi = ex * c.parasitic_fraction / ((ex - 1.0) * c.parasitic_fraction + 1.0);
    let width =
        1e-3 / (m.params.geometry.cathode_specific_area * m.params.geometry.cathode_thickness);
    chi * smooth_reduction(i_c, width) * reduction_side
}

/// The reduction part of a current, min(i, 0), rounded over `w` [A.m-2]: 0 for i >= 0,
/// -i^2/(2w) for -w < i < 0, i + w/2 below. Monotone, continuously differentiable (no kink to
/// stall the error control where a volume's current hovers around zero) and exactly zero for
/// any oxidation. The earlier i / (1 + e^(i/w)) rose to +0.28 w above zero and fell back:
/// a non-monotone rate around the zero that a product-free volume's current sits at.
pub fn smooth_reduction<T: Scalar>(i: T, w: f64) -> T {
    let r = i.re();
    if r >= 0.0 {
        i * 0.0
    } else if r > -w {
        i * i * (-0.5 / w)
    } else {
        i + 0.5 * w
    }
}

/// Deposit growth d eps_par/dt from the volumetric parasitic current `lost` = a i_par [A.m-3].
pub fn deposit_rate<T: Scalar>(m: &Model, lost: T) -> T {
    -lost * (m.params.cathode.parasitic_molar_volume / (2.0 * FARADAY))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::Dual64;

    /// min_w is exactly zero for any oxidation, exactly i + w/2 below -w, monotone, and its
    /// slope is continuous at both joints (1 at -w, 0 at 0).
    #[test]
    fn the_reduction_part_is_a_monotone_c1_min_that_is_zero_for_oxidation() {
        let w = 0.3;
        for i in [0.0, 1e-300, 1e-12, 0.1 * w, w, 1e3] {
            assert_eq!(smooth_reduction(i, w), 0.0, "{i}");
        }
        for i in [-w, -2.0 * w, -1e3] {
            assert_eq!(smooth_reduction(i, w), i + 0.5 * w, "{i}");
        }
        let mut last = f64::NEG_INFINITY;
        for k in -3000..=3000 {
            let v = smooth_reduction(k as f64 * 1e-3 * w, w);
            assert!(v >= last, "{k}");
            last = v;
        }
        let slope = |i: f64| smooth_reduction(Dual64::new(i, 1.0), w).eps;
        for (joint, value) in [(-w, 1.0), (0.0, 0.0)] {
            let (below, above) = (slope(joint - 1e-12 * w), slope(joint + 1e-12 * w));
            assert!((below - value).abs() < 1e-11 && (above - value).abs() < 1e-11);
        }
    }

    /// Above the product reaction's equilibrium (reduction side 0) no current is parasitic,
    /// whatever its sign; below it a reduction loses at least the fraction chi_0.
    #[test]
    fn no_parasitic_current_above_the_equilibrium() {
        let m = crate::Cell::preset("li-o2").unwrap().model();
        for i_c in [-10.0, -1e-6, 0.0, 1e-6, 10.0] {
            assert_eq!(current(&m, 0.5, i_c, 0.0), 0.0, "{i_c}");
        }
        let chi_0 = m.params.cathode.parasitic_fraction;
        let lost = current(&m, -0.3, -10.0, 1.0);
        assert!(lost < chi_0 * -10.0 * (1.0 - 1e-9), "{lost}");
    }
}
