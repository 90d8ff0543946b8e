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
    let ox = exp_clipped(eta * (alpha_a * f), MAX_EXPONENT);
    let red = exp_clipped(eta * (-alpha_c * f), MAX_EXPONENT);
    (s_ox * ox - s_red * red) * i0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constants::{FARADAY, GAS_CONSTANT};

    const F: f64 = FARADAY / (GAS_CONSTANT * 298.15);

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
