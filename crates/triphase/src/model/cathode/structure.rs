//! Pore structure of the cathode as discharge product fills it.
//!
//! - porosity: eps = eps_c0 - eps_p
//! - active carbon area: a = a_0 (1 - eps_p/eps_c0)^xi (pore clogging; xi = 1/2 for
//!   cylindrical pores whose wall area scales with the square root of the open volume)
//! - film thickness on the carbon: delta = eps_p / a_0 (thin conformal film on the initial area)

use crate::params::Parameters;
use crate::scalar::{floor, Scalar};

/// Pore-structure laws of the cathode.
#[derive(Debug, Clone)]
pub struct Structure {
    eps0: f64,
    a0: f64,
    xi: f64,
}

impl Structure {
    /// From the parameter set.
    pub fn new(p: &Parameters) -> Self {
        Self {
            eps0: p.geometry.cathode_porosity,
            a0: p.geometry.cathode_specific_area,
            xi: p.cathode.area_exponent,
        }
    }

    /// Electrolyte volume fraction eps = eps_c0 - eps_p [-].
    #[inline]
    pub fn porosity<T: Scalar>(&self, eps_p: T) -> T {
        -eps_p + self.eps0
    }

    /// Active carbon area per volume a = a_0 (1 - eps_p/eps_c0)^xi [m-1].
    #[inline]
    pub fn active_area<T: Scalar>(&self, eps_p: T) -> T {
        let open = floor(-eps_p / self.eps0 + 1.0, 1e-9);
        open.powf(self.xi) * self.a0
    }

    /// Film thickness delta = eps_p / a_0 [m].
    #[inline]
    pub fn film_thickness<T: Scalar>(&self, eps_p: T) -> T {
        eps_p / self.a0
    }
}
