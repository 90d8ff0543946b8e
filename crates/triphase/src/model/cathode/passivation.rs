//! Electronic passivation by the discharge-product film.
//!
//! Electrons reach the film/electrolyte interface through the insulating product (Li2O2 has a
//! band gap of ~5 eV). The film adds a series resistance R_film(delta) [Ohm.m2 of carbon
//! surface] to the charge-transfer step, so the local overpotential is
//! eta = phi_s - phi_e - E0 - i_c R_film(delta).
//!
//! - tunnelling: R_film = r_t (exp(delta/delta_t) - 1). Tunnelling conductance falls
//!   exponentially with barrier thickness, so the film is negligible for a few nm and then
//!   blocks within ~1-2 nm: the abrupt "sudden death" at 5-10 nm seen in experiments.
//!   Sources: Viswanathan et al., J. Chem. Phys. 135 (2011) 214704; Luntz et al., J. Phys.
//!   Chem. Lett. 4 (2013) 3494.
//! - resistive: R_film = rho_f delta, an ohmic film (Albertus et al., J. Electrochem. Soc. 158
//!   (2011) A343 use a film resistance of this kind).
//! - none: R_film = 0.

use crate::model::options::Passivation;
use crate::params::Parameters;
use crate::scalar::{exp_clipped, Scalar};

/// Film-resistance law with its parameters.
#[derive(Debug, Clone)]
pub enum FilmResistance {
    /// No film resistance.
    None,
    /// R = rho_f delta.
    Resistive {
        /// Film resistivity [Ohm.m].
        resistivity: f64,
    },
    /// R = r_t (exp(delta/delta_t) - 1).
    Tunnelling {
        /// Prefactor [Ohm.m2].
        prefactor: f64,
        /// Decay length \[m\].
        length: f64,
    },
}

impl FilmResistance {
    /// The law selected by the model options.
    pub fn new(law: Passivation, p: &Parameters) -> Self {
        match law {
            Passivation::None => FilmResistance::None,
            Passivation::Resistive => FilmResistance::Resistive {
                resistivity: p.cathode.film_resistivity,
            },
            Passivation::Tunnelling => FilmResistance::Tunnelling {
                prefactor: p.cathode.film_tunnelling_resistance,
                length: p.cathode.film_tunnelling_length,
            },
        }
    }

    /// Film resistance per carbon area for a film of thickness `delta` [Ohm.m2].
    #[inline]
    pub fn resistance<T: Scalar>(&self, delta: T) -> T {
        match *self {
            FilmResistance::None => delta * 0.0,
            FilmResistance::Resistive { resistivity } => delta * resistivity,
            FilmResistance::Tunnelling { prefactor, length } => {
                (exp_clipped(delta / length, 300.0) - 1.0) * prefactor
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tunnelling_is_negligible_then_abrupt() {
        let law = FilmResistance::Tunnelling {
            prefactor: 0.02,
            length: 1e-9,
        };
        let r = |d: f64| law.resistance(d);
        assert_eq!(r(0.0), 0.0);
        // each extra decay length multiplies the resistance by e
        let ratio = (r(9e-9) + 0.02) / (r(8e-9) + 0.02);
        assert!((ratio - 1f64.exp()).abs() < 1e-9);
        assert!(r(2e-9) < 1e-3 * r(9e-9));
    }

    #[test]
    fn resistive_is_linear() {
        let law = FilmResistance::Resistive { resistivity: 2.0 };
        assert_eq!(law.resistance(3.0), 6.0);
    }
}
