//! Reactive-oxygen decomposition of the electrolyte during O2 reduction (option `parasitic`).
//!
//! Superoxide formed in the first electron transfer attacks the solvent; a fraction chi of the
//! reduction current then ends in Li2CO3-like deposits instead of the discharge product. chi
//! grows with the ORR overpotential (more superoxide in solution at higher rates):
//!
//!   chi = chi_0 e^x / (1 + chi_0 (e^x - 1)),  x = softplus(-eta_ct, 10 mV) / V_chi
//!   i_par = chi i_c / (1 + exp(i_c / w)),  w = 1e-3 / (a_0 L_c) A m-2   (a smooth min(i_c, 0))
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
/// charge-transfer overpotential `eta_ct` and reaction current `i_c`.
pub fn current<T: Scalar>(m: &Model, eta_ct: T, i_c: T) -> T {
    let c = &m.params.cathode;
    let x = softplus(-eta_ct, 0.01) / c.parasitic_overpotential_scale;
    let ex = x.exp();
    let chi = ex * c.parasitic_fraction / ((ex - 1.0) * c.parasitic_fraction + 1.0);
    // the reduction part of i_c, min(i_c, 0), smoothed as i_c / (1 + exp(i_c / w)) over a
    // thousandth of the current a 1 A m-2 cell current puts on the carbon: zero at zero
    // current, i_c well below, and no kink at i_c = 0 to stall the error control where a
    // volume's current hovers around zero (an emptied volume at the end of a charge)
    let width =
        1e-3 / (m.params.geometry.cathode_specific_area * m.params.geometry.cathode_thickness);
    let reduction = i_c / (crate::scalar::exp_clipped(i_c / width, 200.0) + 1.0);
    chi * reduction
}

/// Deposit growth d eps_par/dt from the volumetric parasitic current `lost` = a i_par [A.m-3].
pub fn deposit_rate<T: Scalar>(m: &Model, lost: T) -> T {
    -lost * (m.params.cathode.parasitic_molar_volume / (2.0 * FARADAY))
}
