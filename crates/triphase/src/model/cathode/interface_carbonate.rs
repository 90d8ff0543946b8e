//! Interfacial carbonate on the product (option `interface_carbonate`).
//!
//! Li2O2 reacts with the electrolyte as it is oxidised: about a monolayer of carbonate forms at
//! the Li2O2-electrolyte interface during charge, and it "is responsible for the large
//! potential increase during charging"; a carbonate layer at the C-Li2O2 interface "causes a
//! 10-100 fold decrease in the exchange current density" (McCloskey et al., Twin problems of
//! interfacial carbonate formation in nonaqueous Li-O2 batteries, J. Phys. Chem. Lett. 3 (2012)
//! 997, abstract). With theta the covered fraction of the product's surface in a cathode
//! volume, and the product's net rate d eps_p/dt = r split smoothly into growth r+ >= 0 and
//! removal r- <= 0 ([`sign_parts`]):
//!
//!   i0_eff = i0_c / (1 + (K_CO3 - 1) theta)
//!   d theta/dt = (1 - theta) (-r-) g(eta) / (|eps_p| + delta) - theta r+ / L_b
//!
//! where g(eta) ([`removal_gate`]) leaves out the apparent removals at a reducing overpotential
//! (0 below -0.2 V, 1 above -0.1 V). The layer forms in proportion to the product removed, so
//! over a pure removal
//! 1 - theta = (eps_p + delta) / (eps_p,start + delta) (the covered fraction is the fraction
//! oxidised: the monolayer is complete when the product is gone; [`COVERAGE_OFFSET`] = delta).
//! Fresh product buries it over the burial length L_b that option `interface_carbonate_burial`
//! ([`CarbonateBurial`]) chooses:
//!
//! - `proportional` (the default): L_b = |eps_p| + delta, so that the covered fraction is the
//!   share of the product that was there when the growth began,
//!   theta = theta_start (eps_p,start + delta) / (eps_p + delta). A layer left with no product
//!   under it (a full charge) is buried by the first fresh product.
//! - `thickness`: L_b = a_0 d_b ([`burial_fraction`]), so that
//!   theta = theta_start exp(-(eps_p - eps_p,start) / (a_0 d_b)) whatever product lies
//!   beneath: the film grows at its surface, where electrons tunnel out to O2 and Li+, that is
//!   on the layer, and grown at random it leaves exp(-n) of the layer uncovered after n layers
//!   of thickness d_b (one formula layer of the product, (V_m/N_A)^(1/3) = 0.32 nm for Li2O2;
//!   an estimate).
//!
//! What the choice does in capacity-limited cycling (li-o2-ideal-anode, 0.5 mAh cm-2 at
//! 0.2 mA cm-2; stop 53). Under the proportional burial product that a charge left under a full
//! layer stays covered through the next discharge (a volume left with 0.02 still has a third of
//! its coverage after growing 0.04, six layers over the carbon), so the charge leaves it
//! again: the cell cycles in a two-cycle orbit from cycle ~10, its end-of-discharge voltage
//! alternating between 2.5805 and 2.5500 V (cycles 41-44; the same on 20 to 160 cathode
//! volumes) while its gas-side volumes keep 2.2e-2 and 1e-6 of product in turn. Burial by
//! thickness settles it to one cycle (2.5416 V at every end of discharge from cycle ~6) but
//! slows the first layers of every discharge after a full charge: the mean discharge voltage
//! after the first cycle is 80-100 mV lower (li-o2 2.61 -> 2.51 V), the charges end higher and
//! the open cells dry out sooner (li-o2 in cycle 41 instead of 62, li-air 39 instead of 45).
//!
//! Assumptions: the layer slows both branches of the product reaction (an exchange current:
//! the equilibrium does not move), not the background oxidation of the electrolyte nor the
//! oxidation of the carbonate deposit; a removal by a redox mediator forms it too (above
//! -0.1 V); fresh product buries it whether it grows as film or as particles; K_CO3 for the
//! electrolyte-side layer is an estimate within the 10-100 the abstract gives for the
//! carbon-side one.

use crate::model::options::CarbonateBurial;
use crate::model::workspace::Sources;
use crate::model::Model;
use crate::scalar::{smooth_abs, Scalar};

use super::growth::RATE_SPLIT_WIDTH;

/// The growth and removal parts of the product's net rate r for the coverage [s-1]:
///
///   r+- = sigma (r +- sqrt(r^2 + w^2)) / 2,   sigma = r^2 / (r^2 + w^2)
///
/// with w = [`RATE_SPLIT_WIDTH`]: r+ >= 0 and r- <= 0 everywhere, both 0 at r = 0 (a volume at
/// rest neither buries nor covers), each within w^2/(4|r|) of max(r, 0) and min(r, 0) away
/// from it (r+ + r- = sigma r, not r: the coverage uses the parts, not their sum). The film's
/// split ([`super::growth::split_rate`]) keeps the sum exact instead, at the price of a
/// removal of w/2 during growth, which held the coverage of growing volumes at
/// -w / (2 r+) (-5e-6 on a 0.1 mA cm-2 discharge) and cost 10 % more steps.
#[inline]
pub fn sign_parts<T: Scalar>(rate: T) -> (T, T) {
    let w2 = RATE_SPLIT_WIDTH * RATE_SPLIT_WIDTH;
    let r2 = rate * rate;
    let root = (r2 + w2).sqrt();
    let sigma = r2 / (r2 + w2);
    ((rate + root) * sigma * 0.5, (rate - root) * sigma * 0.5)
}

/// Product volume fraction delta added to |eps_p| in the coverage's rates [-] (numerical:
/// without product the rates are 0/0). It moves the covered fraction of a removal by
/// delta/eps_p at most (1e-4 at eps_p = 0.01). At 1e-9, the film share's offset, the
/// proportional burial at the start of each discharge, where a full charge left ~1e-14 of
/// product, ran in ~0.01 s and 100 li-o2-ideal-anode cycles took 36261 steps instead of 31856.
pub const COVERAGE_OFFSET: f64 = 1e-6;

/// Burial length of the `thickness` law, a_0 d_b [-]: the product volume fraction whose growth
/// buries the layer by a factor e, one layer of thickness d_b ("Interfacial carbonate burial
/// thickness \[m\]") over the carbon's specific area a_0 (6.4e-3 for Li2O2 on the library's
/// carbon black, 2e7 m-1).
#[inline]
pub fn burial_fraction(m: &Model) -> f64 {
    m.params.geometry.cathode_specific_area * m.params.cathode.interface_carbonate_burial_thickness
}

/// Overpotentials \[V\] between which a removal of product begins to form the layer: none at or
/// below the first, all of it at or above the second ([`removal_gate`]).
pub const REMOVAL_GATE: (f64, f64) = (-0.2, -0.1);

/// The share of a removal that forms the layer at charge-transfer overpotential `eta`, the
/// quintic smooth step [`crate::scalar::smooth_step`] from 0 at `REMOVAL_GATE.0` to 1 at
/// `REMOVAL_GATE.1`.
///
/// Product is removed by its oxidation (a charge, eta > 0) or by an oxidised redox mediator,
/// near or above the product's equilibrium. At a reducing overpotential the only removal is an
/// artefact: the reduction branch is first order in the dissolved O2 and keeps its sign
/// ([`super::kinetics::reduction_activity`]), so O2 that the integrator's predictor carries
/// below zero in a volume that has run out of it (the front of the cathode at the end of a
/// discharge) is produced back from product. Counted as a removal, that undershoot switched the
/// coverage between covering and burying from one Newton iterate to the next (a 2-cycle of
/// 200-500 error weights), and the Newton iteration failed even with a fresh Jacobian: 41
/// convergence failures in a 0.1 mA cm-2 li-o2-ideal-anode discharge, 19 with the gate.
#[inline]
pub fn removal_gate<T: Scalar>(eta: T) -> T {
    let (lo, hi) = REMOVAL_GATE;
    crate::scalar::smooth_step((eta - lo) / (hi - lo))
}

/// Factor on the product reaction's exchange current density in cathode volume `j`,
/// 1 / (1 + (K_CO3 - 1) theta) (1 without the option).
#[inline]
pub fn exchange_factor<T: Scalar>(m: &Model, y: &[T], j: usize) -> T {
    match &m.layout.interface_carbonate {
        Some(r) => {
            let k = m.params.cathode.interface_carbonate_factor;
            (y[r.start + j] * (k - 1.0) + 1.0).recip()
        }
        None => T::from(1.0),
    }
}

/// The coverage rows: d theta/dt from the product's net rate in each cathode volume (phase 3
/// of the residual, after every mechanism has added to the product's rate).
pub fn coverage_rows<T: Scalar>(m: &Model, y: &[T], src: &Sources<T>, out: &mut [T]) {
    let l = &m.layout;
    let Some(cov) = &l.interface_carbonate else {
        return;
    };
    let burial = m.options.interface_carbonate_burial;
    let per_layer = burial_fraction(m).recip();
    for j in 0..m.mesh.n_cat {
        let (grow, remove) = sign_parts(src.product[j]);
        let remove = remove * removal_gate(y[l.overpotential.start + j]);
        let eps_p = y[l.product.start + j];
        let theta = y[cov.start + j];
        let per_product = (smooth_abs(eps_p, COVERAGE_OFFSET) + COVERAGE_OFFSET).recip();
        out[cov.start + j] = match burial {
            CarbonateBurial::Proportional => {
                ((-theta + 1.0) * (-remove) - theta * grow) * per_product
            }
            CarbonateBurial::Thickness => {
                (-theta + 1.0) * (-remove) * per_product - theta * grow * per_layer
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::{removal_gate, REMOVAL_GATE};
    use crate::scalar::Dual64;

    /// The gate is 0 at and below -0.2 V, 1 at and above -0.1 V, 1/2 with slope 15/8 per
    /// 0.1 V half way, flat at both ends, and keeps the dependency on eta where constant.
    #[test]
    fn the_removal_gate_is_a_smooth_step_between_its_overpotentials() {
        let (lo, hi) = REMOVAL_GATE;
        assert_eq!((lo, hi), (-0.2, -0.1));
        for (eta, g) in [(-1.0, 0.0), (lo, 0.0), (hi, 1.0), (0.0, 1.0), (0.8, 1.0)] {
            assert_eq!(removal_gate(eta), g, "eta = {eta}");
        }
        let mid = removal_gate(Dual64::new(0.5 * (lo + hi), 1.0));
        assert!((mid.re - 0.5).abs() < 1e-15);
        assert!((mid.eps - 1.875 / (hi - lo)).abs() < 1e-9, "{}", mid.eps);
        for eta in [lo + 1e-9, hi - 1e-9] {
            assert!(removal_gate(Dual64::new(eta, 1.0)).eps.abs() < 1e-6);
        }
        for eta in [-1.0, 1.0] {
            assert!(removal_gate(Dual64::new(eta, f64::NAN)).eps.is_nan());
        }
    }
}
