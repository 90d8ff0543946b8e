//! Physical constants (CODATA 2018 exact values).

/// Faraday constant F [C.mol-1].
pub const FARADAY: f64 = 96_485.332_12;
/// Molar gas constant R [J.mol-1.K-1].
pub const GAS_CONSTANT: f64 = 8.314_462_618;
/// Standard atmosphere \[Pa\].
pub const ATMOSPHERE: f64 = 101_325.0;
/// Seconds per hour.
pub const HOUR: f64 = 3600.0;

/// Converts an areal charge [C.m-2] to [mAh.cm-2].
///
/// 1 mAh cm-2 = 3.6 C per 1e-4 m2 = 36 000 C m-2.
#[inline]
pub fn c_per_m2_to_mah_per_cm2(q: f64) -> f64 {
    q / 36_000.0
}

/// Converts a current density [A.m-2] to [mA.cm-2] (1 mA cm-2 = 10 A m-2).
#[inline]
pub fn a_per_m2_to_ma_per_cm2(i: f64) -> f64 {
    i / 10.0
}
