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

/// x^g, the exponents of the Bruggeman and pore-area laws (1.5 and 0.5) from one square root
/// instead of a general power (`pow` took a tenth of a long cycling run's time), 1 and 0
/// exactly, any other with `powf`.
///
/// Written as x0^g + g x0^(g-1) (x - x0) about the value x0: the value and the first-order
/// tangent of `powf` (the only order the model's dual numbers carry), and the tangent keeps the
/// structure of `x` (see [`floor`]) even where the slope is zero.
#[inline]
pub fn pow<T: Scalar>(x: T, g: f64) -> T {
    let x0 = x.re();
    let (value, slope) = if g == 1.5 && x0 >= 0.0 {
        let r = x0.sqrt();
        (x0 * r, 1.5 * r)
    } else if g == 0.5 && x0 > 0.0 {
        let r = x0.sqrt();
        (r, 0.5 / r)
    } else if g == 1.0 {
        return x;
    } else if g == 0.0 {
        return x * 0.0 + 1.0;
    } else {
        return x.powf(g);
    };
    (x - x0) * slope + value
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
    fn smooth_step_values_and_slopes() {
        for (t, s) in [
            (-1.0, 0.0),
            (0.0, 0.0),
            (0.25, 0.103515625),
            (0.5, 0.5),
            (1.0, 1.0),
            (2.0, 1.0),
        ] {
            assert_eq!(smooth_step(t), s, "t = {t}");
        }
        // S'(t) = 30 t^2 (1 - t)^2: 1.875 at 1/2, 0 at both ends
        assert_eq!(smooth_step(Dual64::new(0.5, 1.0)).eps, 1.875);
        assert_eq!(smooth_step(Dual64::new(1.0, 1.0)).eps, 0.0);
        assert!(smooth_step(Dual64::new(-1.0, f64::NAN)).eps.is_nan());
    }

    /// The special-cased exponents give powf's value and tangent to rounding (and the finite
    /// limit at zero, where powf's tangent is NaN).
    #[test]
    fn pow_matches_powf_in_value_and_tangent() {
        for g in [0.0, 0.5, 1.0, 1.5, 0.6, 2.3] {
            for x0 in [0.0, 1e-9, 0.37, 1.0, 4.2] {
                if x0 == 0.0 && g < 1.0 && g > 0.0 {
                    continue; // infinite slope: powf's own
                }
                let d = Dual64::new(x0, 1.0);
                let (a, b) = (super::pow(d, g), d.powf(g));
                if b.re.is_nan() || b.eps.is_nan() {
                    // num_dual's powf at 0 (0^(g-1) * 0): pow gives the limit, 0 and 0
                    if g == 1.5 {
                        assert!(x0 == 0.0 && a.re == 0.0 && a.eps == 0.0, "{a:?}");
                    }
                    continue;
                }
                assert!(
                    (a.re - b.re).abs() <= 1e-15 * b.re.abs(),
                    "{g} {x0}: {a:?} {b:?}"
                );
                assert!(
                    (a.eps - b.eps).abs() <= 1e-14 * b.eps.abs(),
                    "{g} {x0}: {a:?} {b:?}"
                );
                assert!((super::pow(x0, g) - a.re).abs() <= 1e-14 * a.re.abs());
            }
        }
        // the tangent's structure survives a zero slope (NaN-based sparsity detection)
        let nan = Dual64::new(0.0, f64::NAN);
        assert!(super::pow(nan, 1.5).eps.is_nan());
    }

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

/// max(x, 0), keeping the derivative of x where x > 0 (a kink at 0, for rates that switch
/// with the sign of the current).
#[inline]
pub fn positive_part<T: Scalar>(x: T) -> T {
    if x.re() > 0.0 {
        x
    } else {
        x * 0.0
    }
}

/// The quintic smooth step S(t) = t^3 (10 - 15 t + 6 t^2) on [0, 1], 0 below and 1 above
/// (value, slope and curvature continuous at both ends). The constant branches keep the
/// dependency on t (see [`floor`]).
#[inline]
pub fn smooth_step<T: Scalar>(t: T) -> T {
    if t.re() <= 0.0 {
        t * 0.0
    } else if t.re() >= 1.0 {
        t * 0.0 + 1.0
    } else {
        t * t * t * ((t * 6.0 - 15.0) * t + 10.0)
    }
}

/// Smooth |x| = sqrt(x^2 + w^2) - w, exact to O(w) and differentiable at 0.
#[inline]
pub fn smooth_abs<T: Scalar>(x: T, w: f64) -> T {
    (x * x + w * w).sqrt() - w
}
