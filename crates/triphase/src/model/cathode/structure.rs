//! Pore structure of the cathode as discharge product fills it.
//!
//! - porosity: eps = eps_c0 - eps_p
//! - active carbon area, by [`AreaLaw`]: a = a_0 (1 - eps_p/eps_c0)^xi (power: pore clogging;
//!   xi = 1/2 for cylindrical pores whose wall area scales with the square root of the open
//!   volume), a = a_0 (1 - (eps_p/eps_c0)^p) (complement-power), or a = a_0 max(0, 1 - eps_p/eps_0)
//!   (linear, zero at eps_0); every law floors the open fraction at 1e-9 (smoothly) so the
//!   kinetics stay defined
//! - film thickness on the carbon: delta = eps_f / a_0 (thin conformal film on the initial area;
//!   eps_f is the product's film part, all of it unless it also grows as particles,
//!   [`super::growth`])

use crate::model::options::AreaLaw;
use crate::params::Parameters;
use crate::scalar::{floor, Scalar};

/// Pore-structure laws of the cathode.
#[derive(Debug, Clone)]
pub struct Structure {
    eps0: f64,
    a0: f64,
    xi: f64,
    law: AreaLaw,
    eps_zero: f64,
}

impl Structure {
    /// From the parameter set.
    pub fn new(p: &Parameters, law: AreaLaw) -> Self {
        Self {
            eps0: p.geometry.cathode_porosity,
            a0: p.geometry.cathode_specific_area,
            xi: p.cathode.area_exponent,
            law,
            eps_zero: p.cathode.area_zero_fraction,
        }
    }

    /// Electrolyte volume fraction eps = eps_c0 - eps_p [-].
    #[inline]
    pub fn porosity<T: Scalar>(&self, eps_p: T) -> T {
        -eps_p + self.eps0
    }

    /// Active carbon area per volume a [m-1] by the area law.
    #[inline]
    pub fn active_area<T: Scalar>(&self, eps_p: T) -> T {
        match self.law {
            AreaLaw::Power => {
                crate::scalar::pow(floor(-eps_p / self.eps0 + 1.0, 1e-9), self.xi) * self.a0
            }
            AreaLaw::ComplementPower => {
                // (eps_p/eps_c0)^p for eps_p >= 0; product below zero (solver noise) counts as none
                let filled = crate::scalar::pow(floor(eps_p / self.eps0, 1e-300), self.xi);
                floor(-filled + 1.0, 1e-9) * self.a0
            }
            AreaLaw::Linear => floor(-eps_p / self.eps_zero + 1.0, 1e-9) * self.a0,
        }
    }

    /// Film thickness delta = eps_f / a_0 \[m\] of a film occupying the volume fraction `eps_f`.
    #[inline]
    pub fn film_thickness<T: Scalar>(&self, eps_f: T) -> T {
        eps_f / self.a0
    }
}
