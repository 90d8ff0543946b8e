//! Oxidation of the electrolyte on the carbon during charge, with a solvent-specific onset.
//!
//! Every solvent oxidises on carbon above a potential of its own: in situ infrared spectra on
//! gold show TEGDME decomposing at 3.6-3.9 V vs Li/Li+ and diglyme at 4.0 V (Horwitz, Calvo,
//! Mendez De Leo, de la Llave, Phys. Chem. Chem. Phys. 2020), DMSO oxidising to dimethyl
//! sulfone above 4.2 V (Mozhzhukhina, Mendez De Leo, Calvo, J. Phys. Chem. C 117 (2013)
//! 18375), and a C/DME cell needs more than 2 e- per O2 on charge from 4.0 V (McCloskey et
//! al., J. Phys. Chem. C 116 (2012) 23897). Each electrolyte component states its onset E_ox;
//! the rate is a Tafel law on the whole carbon surface, with or without product on it:
//!
//!   i_ox = i_ox,0 exp(alpha_a f (E_ct - E_ox)),   E_ct = phi_s - phi_e - i_c R_film = E0 + eta
//!
//! The onsets fix no current on carbon: i_ox,0 ("Electrolyte oxidation onset current density
//! [A.m-2]", an estimate) is chosen so that a carbon/TEGDME cell whose product is gone still
//! reaches a 4.5 V cut-off at 0.1 mA cm-2, as cells charged to 4.5 V end. The law
//! shares the product's anodic transfer coefficient alpha_a (no Tafel slope of solvent
//! oxidation on carbon was found), so it is the background branch of the product kinetics,
//! i_ox = i0_c s_bg exp(alpha_a f eta), with
//!
//!   s_bg = (i_ox,0 / i0_c) exp(-alpha_a f (E_ox - E0))
//!
//! computed once per model ([`background_activity`]); one exponential serves both. Its charge
//! releases cations that are not the metal's (protons): the per-volume ledger
//! d n_ox,j/dt = a i_ox dx_j / F ([`crate::model::Layout::electrolyte_oxidation`]) counts
//! them apart in the metal balance, and it consumes the solvent, z_ox electrons per molecule
//! ("Electrons per oxidised solvent molecule [-]"; [`solvent_oxidised`]), which counts in the
//! remaining electrolyte and the dry-out event.

use crate::model::Model;
use crate::params::Parameters;

/// The background activity s_bg = (i_ox,0 / i0_c) exp(-alpha_a f (E_ox - E0)) [-] that puts
/// the electrolyte's oxidation at its onset current density at its onset potential, for
/// f = F/(RT) [V-1].
pub fn background_activity(p: &Parameters, f: f64) -> f64 {
    let c = &p.cathode;
    c.electrolyte_oxidation_onset_current_density / c.exchange_current_density
        * (-(c.anodic_transfer_coefficient * f)
            * (c.electrolyte_oxidation_onset_potential - c.standard_potential))
            .exp()
}

/// Charge passed into the electrolyte's oxidation so far, per electrode area [mol.m-2 of
/// electrons]: the sum of the per-volume ledgers.
pub fn electrons(m: &Model, y: &[f64]) -> f64 {
    y[m.layout.electrolyte_oxidation.clone()].iter().sum()
}

/// Solvent consumed by the electrolyte's oxidation so far [mol.m-2]: n_ox / z_ox.
pub fn solvent_oxidised(m: &Model, y: &[f64]) -> f64 {
    electrons(m, y) / m.params.solvent.electrons_per_oxidised_molecule
}
