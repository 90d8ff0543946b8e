//! Effective transport properties in porous media and face conductances.

use crate::scalar::Scalar;

/// Bruggeman relation: effective property = eps^b x bulk property.
/// Source: Bruggeman, Ann. Phys. 416 (1935) 636; b = 1.5 for spheres.
#[inline]
pub fn bruggeman<T: Scalar>(eps: T, b: f64, bulk: f64) -> T {
    crate::scalar::pow(eps, b) * bulk
}

/// Conductance [property/m] between two cell centres through their common face: the two
/// half-cells in series (harmonic mean), exact for piecewise-constant properties.
#[inline]
pub fn face_conductance<T: Scalar>(dx_left: f64, k_left: T, dx_right: f64, k_right: T) -> T {
    ((k_left * 2.0 / dx_left).recip() + (k_right * 2.0 / dx_right).recip()).recip()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_conductance() {
        // equal cells: k/dx; one half-cell insulating -> ~0
        assert!((face_conductance(2.0, 3.0f64, 2.0, 3.0) - 1.5).abs() < 1e-15);
        assert!(face_conductance(1.0, 1.0f64, 1.0, 1e-12) < 1e-11);
        assert!((bruggeman(0.25f64, 1.5, 2.0) - 0.25).abs() < 1e-15);
    }
}
