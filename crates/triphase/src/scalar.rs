//! The number type the model equations are written in.
//!
//! Every residual is generic over [`Scalar`], so the same code is evaluated with `f64` (the
//! right-hand side) and with forward-mode dual numbers [`Dual64`] (exact Jacobian-vector
//! products for the solver). Branches in the equations must depend on values only, never on
//! the tangent, and a branch that drops a dependency must keep it structurally through
//! [`floor`], so that the NaN-based sparsity detection of diffsol sees every entry.

use num_dual::DualNum;
pub use num_dual::{Dual64, DualStruct};

/// A real number or a dual number over `f64`.
pub trait Scalar: DualNum<Primitive = f64> + Copy {}
impl<T: DualNum<Primitive = f64> + Copy> Scalar for T {}

/// Value part of a scalar.
#[inline]
pub fn val<T: Scalar>(x: T) -> f64 {
    x.re()
}

/// `max(x, min)` that keeps the dependency on `x` in the sparsity pattern.
///
/// Below `min` the value is `min` and the derivative is `0 * dx` (zero, but NaN where `dx` is
/// NaN), so that the structural Jacobian does not depend on which branch is taken at `y0`.
#[inline]
pub fn floor<T: Scalar>(x: T, min: f64) -> T {
    if x.re() < min {
        x * 0.0 + min
    } else {
        x
    }
}

/// `exp(x)` with the argument clipped to `[-limit, limit]` (structure kept, see [`floor`]).
///
/// Newton iterates far from the solution can ask for `exp(1000)`; clipping avoids an infinity
/// that would poison the whole step. At the solution arguments are far inside the limit.
#[inline]
pub fn exp_clipped<T: Scalar>(x: T, limit: f64) -> T {
    let r = x.re();
    if r > limit {
        (x * 0.0 + limit).exp()
    } else if r < -limit {
        (x * 0.0 - limit).exp()
    } else {
        x.exp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_keeps_structure_and_value() {
        let x = Dual64::new(-1.0, f64::NAN);
        let y = floor(x, 0.5);
        assert_eq!(y.re, 0.5);
        assert!(y.eps.is_nan(), "structural dependency lost");
        let z = floor(Dual64::new(2.0, 1.0), 0.5);
        assert_eq!((z.re, z.eps), (2.0, 1.0));
    }

    #[test]
    fn exp_clipped_derivative_matches_exp_inside_range() {
        let y = exp_clipped(Dual64::new(1.3, 1.0), 50.0);
        assert!((y.eps - 1.3f64.exp()).abs() < 1e-14);
        assert!(exp_clipped(Dual64::new(1e4, 1.0), 50.0).re.is_finite());
    }
}

/// Smooth positive part: w ln(1 + exp(x/w)), equal to max(x, 0) up to ~w and infinitely
/// differentiable (a kink in a rate law stalls BDF at the crossing).
#[inline]
pub fn softplus<T: Scalar>(x: T, w: f64) -> T {
    let z = x / w;
    if z.re() > 35.0 {
        x
    } else {
        z.exp().ln_1p() * w
    }
}

#[cfg(test)]
mod softplus_tests {
    use super::*;

    #[test]
    fn softplus_limits_and_slope() {
        assert!((softplus(1.0f64, 1e-3) - 1.0).abs() < 1e-15);
        assert!(softplus(-1.0f64, 1e-3) < 1e-300);
        assert!((softplus(0.0f64, 2.0) - 2.0 * 2f64.ln()).abs() < 1e-15);
        let d = softplus(Dual64::new(0.0, 1.0), 1.0);
        assert!((d.eps - 0.5).abs() < 1e-15);
    }
}

/// Smooth |x| = sqrt(x^2 + w^2) - w, exact to O(w) and differentiable at 0.
#[inline]
pub fn smooth_abs<T: Scalar>(x: T, w: f64) -> T {
    (x * x + w * w).sqrt() - w
}
