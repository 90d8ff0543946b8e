//! Dissolved O2 takes part in forming the SEI (Wang, Dey, Liu, Menkin & Grey, ACS Energy Lett.
//! 5 (2020) 1088: Li cycled in O2, and in an O2/N2 "air-like" gas, loses less Li to SEI
//! formation and electrical disconnection than in argon, while the SEI resistivity and the
//! plating overpotential rise; "dissolved O2 participates in electrolyte reduction, forming a
//! homogeneous SEI, even at low concentrations").
//!
//! The participation of O2 follows the dissolved O2 next to the metal with a saturating law
//! (effective at low concentrations):
//!
//!   x = c_O2,0 / (c_O2,0 + c_1/2)
//!
//! and the O2-derived, more homogeneous SEI
//! - slows the solvent-reduction growth and the isolation of metal (dead metal) by 1/(1 + b x),
//! - raises the SEI resistivity by (1 + g x).
//!
//! c_1/2, b and g are estimates: the direction is measured, the magnitudes are not (the
//! abstract states none). With b = 1 a Li|Li cell in O2 loses less Li per cycle than in argon,
//! the sign the measurement shows (validation case `wang-o2-li-cyclability`), though only by
//! ~0.3 %: the O2 that reaches the metal of the symmetric cell is used up by corrosion within
//! an hour. g is 0 until a magnitude is measured (see its source).

use crate::model::workspace::Properties;
use crate::model::Model;
use crate::scalar::{floor, Scalar};

/// Participation x of dissolved O2 in SEI formation [-] (0 without O2 at the metal).
pub fn participation<T: Scalar>(m: &Model, props: &Properties<T>) -> T {
    let c_half = m.params.sei.o2_participation_concentration;
    // O2 is the first transported gas; volume 0 is next to the metal
    let c = floor(props.c_gas[0], 0.0);
    c / (c + c_half)
}

/// Factor 1/(1 + b x) on the solvent-reduction SEI growth and on the metal isolated per
/// stripped metal.
pub fn loss_factor<T: Scalar>(m: &Model, props: &Properties<T>) -> T {
    (participation(m, props) * m.params.sei.o2_loss_reduction + 1.0).recip()
}

/// Factor 1 + g x on the SEI resistivity.
pub fn resistivity_factor<T: Scalar>(m: &Model, props: &Properties<T>) -> T {
    participation(m, props) * m.params.sei.o2_resistivity_increase + 1.0
}
