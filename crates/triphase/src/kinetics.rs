//! Butler–Volmer kinetics, shared by every electrode reaction.

use crate::scalar::{exp_clipped, Scalar};

/// Largest exponent allowed in a kinetic term; keeps Newton iterates finite.
pub const MAX_EXPONENT: f64 = 200.0;

/// Butler–Volmer current density [A.m-2]:
///
/// i = i0 [ s_ox exp(alpha_a f eta) - s_red exp(-alpha_c f eta) ],  f = F/(RT)
///
/// `s_ox` and `s_red` are the concentration (activity) factors of the oxidation and reduction
/// branches (1 at the reference state); positive i is oxidation (anodic).
/// Source: Bard & Faulkner, Electrochemical Methods, 2nd ed., eq. 3.4.10.
#[inline]
pub fn butler_volmer<T: Scalar>(
    i0: f64,
    alpha_a: f64,
    alpha_c: f64,
    f: f64,
    eta: T,
    s_ox: T,
    s_red: T,
) -> T {
    let rate = |x: T| exp_clipped(x, MAX_EXPONENT);
    rates(i0, alpha_a, alpha_c, f, eta, s_ox, s_red, rate)
}

/// i0 [ s_ox g(alpha_a f eta) - s_red g(-alpha_c f eta) ]: the Butler–Volmer form with the
/// rate law g of one branch (exponential, or saturating).
#[allow(clippy::too_many_arguments)]
#[inline]
fn rates<T: Scalar>(
    i0: f64,
    alpha_a: f64,
    alpha_c: f64,
    f: f64,
    eta: T,
    s_ox: T,
    s_red: T,
    g: impl Fn(T) -> T,
) -> T {
    (s_ox * g(eta * (alpha_a * f)) - s_red * g(eta * (-alpha_c * f))) * i0
}

/// Largest exponent alpha f eta of [`butler_volmer_saturating`] [-]: with alpha = 0.5 the
/// rate stops growing beyond ~0.6 V of overpotential (estimate).
pub const SATURATION_EXPONENT: f64 = 12.0;

/// Butler–Volmer with rates that saturate at large overpotential, as Marcus–Hush–Chidsey
/// kinetics predict once the overpotential exceeds the reorganisation energy (Chidsey,
/// Science 251 (1991) 919); used for outer-sphere mediator couples, whose reduction at the
/// discharge potential would otherwise reach rate constants ~1e13 s-1:
///
///   i = i0 [ s_ox g(alpha_a f eta) - s_red g(-alpha_c f eta) ],  g(x) = e^x / (1 + e^(x - x_max))
///
/// g is smooth, equals e^x well below x_max and tends to e^x_max above it.
#[inline]
pub fn butler_volmer_saturating<T: Scalar>(
    i0: f64,
    alpha_a: f64,
    alpha_c: f64,
    f: f64,
    eta: T,
    s_ox: T,
    s_red: T,
) -> T {
    let g = |x: T| {
        let e = exp_clipped(x, MAX_EXPONENT);
        e / (e * (-SATURATION_EXPONENT).exp() + 1.0)
    };
    rates(i0, alpha_a, alpha_c, f, eta, s_ox, s_red, g)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constants::{FARADAY, GAS_CONSTANT};

    const F: f64 = FARADAY / (GAS_CONSTANT * 298.15);

    #[test]
    fn saturating_rates_match_butler_volmer_at_small_overpotential_and_level_off() {
        for eta in [-0.1, -0.01, 0.0, 0.05, 0.1] {
            let a: f64 = butler_volmer(1e-3, 0.5, 0.5, F, eta, 0.7, 0.3);
            let b: f64 = butler_volmer_saturating(1e-3, 0.5, 0.5, F, eta, 0.7, 0.3);
            assert!((a - b).abs() <= 1e-3 * a.abs().max(1e-12), "{eta}: {a} {b}");
        }
        let cap = 1e-3 * SATURATION_EXPONENT.exp();
        let big: f64 = butler_volmer_saturating(1e-3, 0.5, 0.5, F, 3.0, 1.0, 0.0);
        assert!(big <= cap && big > 0.99 * cap);
    }

    #[test]
    fn zero_at_equilibrium() {
        assert_eq!(butler_volmer(1.0, 0.5, 0.5, F, 0.0, 1.0, 1.0), 0.0);
    }

    #[test]
    fn linear_limit_is_charge_transfer_resistance() {
        // small eta: i = i0 (alpha_a + alpha_c) f eta
        let eta = 1e-6;
        let i: f64 = butler_volmer(3.0, 0.3, 0.5, F, eta, 1.0, 1.0);
        let lin = 3.0 * 0.8 * F * eta;
        assert!(((i - lin) / lin).abs() < 1e-4);
    }

    #[test]
    fn tafel_limits() {
        // large eta: ln(i/i0) = alpha_a f eta (anodic), ln(-i/i0) = alpha_c f |eta| (cathodic)
        let eta = 0.4;
        let i: f64 = butler_volmer(1e-3, 0.3, 0.7, F, eta, 1.0, 1.0);
        assert!(((i / 1e-3).ln() - 0.3 * F * eta).abs() < 1e-3);
        let i: f64 = butler_volmer(1e-3, 0.3, 0.7, F, -eta, 1.0, 1.0);
        assert!(((-i / 1e-3).ln() - 0.7 * F * eta).abs() < 1e-6);
    }

    #[test]
    fn concentration_shifts_equilibrium_by_nernst() {
        // zero current when eta = ln(s_red/s_ox) / ((alpha_a + alpha_c) f)
        let (sa, sr) = (0.2f64, 3.0f64);
        let eta = (sr / sa).ln() / F;
        let i: f64 = butler_volmer(1.0, 0.4, 0.6, F, eta, sa, sr);
        assert!(i.abs() < 1e-12, "{i}");
    }
}
