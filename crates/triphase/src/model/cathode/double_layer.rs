//! Double-layer charging of the cathode's carbon (option `double_layer`).
//!
//! Each cathode volume stores the charge C_dl a_0 (phi_s - phi_e) per electrode volume on the
//! carbon's double layer, so the interfacial current is a (i_c + C_dl d(phi_s - phi_e)/dt)
//! instead of a i_c. With the option the `phi_s` states hold dphi = phi_s - phi_e and are
//! differential (the surface form of a porous-electrode model):
//!
//!   C_dl a_0 dx d(dphi)/dt = E = (i_e,out - i_e,in) - a i_c dx      (the electrolyte's charge balance)
//!   0 = E + S,  S = (i_s,out - i_s,in) + a i_c dx                     (total current, the phi_e row)
//!
//! where E and S are the electrolyte and solid rows without the double layer. The carbon's
//! whole surface a_0 charges ("Cathode specific surface area [m-1]"; the product film on it is
//! taken as too thin to matter), so the stored charge is a function of the state and the
//! charge passed equals the faradaic charge plus sum_j C_dl a_0 dx_j (dphi_j(t) - dphi_j(0))
//! exactly. C_dl = "Cathode double-layer capacitance [F.m-2]", the impedance's value.

use crate::model::Model;
use crate::scalar::Scalar;

/// phi_s - phi_e of cathode volume `j` \[V\], whichever the layout holds.
#[inline]
pub fn interface_potential<T: Scalar>(m: &Model, y: &[T], j: usize) -> T {
    let l = &m.layout;
    if l.double_layer {
        y[l.phi_s.start + j]
    } else {
        y[l.phi_s.start + j] - y[l.phi_e.start + m.cat(j)]
    }
}

/// The solid potential phi_s of cathode volume `j` \[V\], whichever the layout holds.
#[inline]
pub fn solid_potential<T: Scalar>(m: &Model, y: &[T], j: usize) -> T {
    let l = &m.layout;
    if l.double_layer {
        y[l.phi_s.start + j] + y[l.phi_e.start + m.cat(j)]
    } else {
        y[l.phi_s.start + j]
    }
}

/// Double-layer capacitance per electrode volume, C_dl a_0 [F.m-3].
pub fn volumetric_capacitance(m: &Model) -> f64 {
    m.params.cathode.double_layer_capacitance * m.params.geometry.cathode_specific_area
}

/// Charge stored on the double layers per electrode area, sum_j C_dl a_0 dx_j dphi_j
/// [C.m-2] (0 without the option).
pub fn stored_charge(m: &Model, y: &[f64]) -> f64 {
    if !m.layout.double_layer {
        return 0.0;
    }
    let c = volumetric_capacitance(m);
    (0..m.mesh.n_cat)
        .map(|j| c * m.mesh.dx[m.cat(j)] * y[m.layout.phi_s.start + j])
        .sum()
}

/// Turns the electrolyte row E (already in `out`) and the solid row `s` of cathode volume `j`
/// into the double-layer row E / (C_dl a_0 dx) and the total-current row E + S.
#[inline]
pub fn split_rows<T: Scalar>(m: &Model, j: usize, s: T, out: &mut [T]) {
    let l = &m.layout;
    let k = m.cat(j);
    let e = out[l.phi_e.start + k];
    out[l.phi_e.start + k] = e + s;
    out[l.phi_s.start + j] = e / (volumetric_capacitance(m) * m.mesh.dx[k]);
}
