//! Dissolved O2 takes part in forming the SEI (Wang, Dey, Liu, Menkin & Grey, ACS Energy Lett.
//! 5 (2020) 1088: Li cycled in O2, and in an O2/N2 "air-like" gas, loses less Li to SEI
//! formation and electrical disconnection than in argon, while the SEI resistivity and the
//! plating overpotential rise; "dissolved O2 participates in electrolyte reduction, forming a
//! homogeneous SEI, even at low concentrations").
//!
//! The participation of O2 follows the dissolved O2 next to the metal with a saturating law
//! (effective at low concentrations), screened by a protective layer by the part T of the O2
//! flux it lets through ([`super::corrosion::layer_transmission`]; T = 1 without a layer):
//!
//!   x = T c_O2,0 / (T c_O2,0 + c_1/2)
//!
//! A layer that blocks O2 keeps it from the SEI beneath: on an inorganic interphase Li's
//! coulombic efficiency "remains constant regardless of the O2 content" (1 M LiTFSI/DMSO, J.
//! Power Sources 294 (2015) 588, abstract).
//!
//! and the O2-derived, more homogeneous SEI slows the solvent-reduction growth and the
//! isolation of metal (dead metal) by 1/(1 + b x).
//!
//! The SEI formed in O2 is more resistive: the oxide of O2 corrosion in the dense SEI (Li2O on
//! Li) has the resistivity (1 + g) rho_SEI ([`super::sei::layers`]). The resistivity belongs
//! to the layer's composition, not to the O2 present now: a cell whose O2 is used up keeps the
//! oxide it formed (and its resistance) until stripping sheds it. Before, the factor was
//! 1 + g x on the whole SEI, so it vanished with the O2 at the metal: the Li|Li cell of
//! validation case `wang-o2-li-sei-resistance`, whose O2 is used up within an hour, ended its
//! tenth cycle with no trace of it.
//!
//! c_1/2, b and g are estimates: the directions are measured, the magnitudes are not (the
//! abstract states none). With b = 1 a Li|Li cell in O2 loses less Li per cycle than in argon,
//! the sign the measurement shows (validation case `wang-o2-li-cyclability`), though only by
//! ~1 %: the O2 that reaches the metal of the symmetric cell is used up by corrosion within
//! an hour.

use crate::model::workspace::Properties;
use crate::model::Model;
use crate::params::Gas;
use crate::scalar::{floor, Scalar};

/// Participation x of dissolved O2 in SEI formation [-] (0 without O2 at the metal): the
/// dissolved O2 next to the metal, screened by the protective layer by the part of the O2 flux
/// it lets through ([`super::corrosion::layer_transmission`]; 1 without a layer).
pub fn participation<T: Scalar>(m: &Model, props: &Properties<T>) -> T {
    let c_half = m.params.sei.o2_participation_concentration;
    // O2 is the first transported gas; volume 0 is next to the metal
    let screen = super::corrosion::layer_transmission(
        m,
        props,
        &super::corrosion::Crossing::gas(m, Gas::O2),
        0,
    );
    let c = floor(props.c_gas[0], 0.0) * screen;
    c / (c + c_half)
}

/// Factor 1/(1 + b x) on the solvent-reduction SEI growth and on the metal isolated per
/// stripped metal.
pub fn loss_factor<T: Scalar>(m: &Model, props: &Properties<T>) -> T {
    (participation(m, props) * m.params.sei.o2_loss_reduction + 1.0).recip()
}
