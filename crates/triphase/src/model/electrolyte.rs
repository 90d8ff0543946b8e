//! Binary salt electrolyte in the pores of separator and cathode (concentrated-solution
//! theory for a binary electrolyte with a constant thermodynamic factor; Newman & Thomas-Alyea,
//! Electrochemical Systems, 3rd ed., ch. 12; Doyle, Fuller & Newman, JES 140 (1993) 1526).
//!
//! - ionic current:  i_e = -kappa_eff d(phi_e)/dx + 2 kappa_eff (RT/F)(1 - t+) TF d(ln c_e)/dx
//! - cation flux:    N+  = -D_eff dc_e/dx + t+ i_e / F
//!
//! In the separator (and on its face onto the cathode) t+ is the separator's,
//! t+_s = t+ + f_a (1 - t+) ([`crate::params::Parameters::transference_number_in`]): a
//! single-ion conductor (f_a = 1, a ceramic) carries the current by cations alone, so no salt
//! gradient or diffusion potential forms in it and no anion crosses into the cathode.
//! - salt balance:   d(eps c_e)/dt = -dN+/dx + S_salt
//! - charge:         di_e/dx = a i (the volumetric reaction current of every electrode reaction)
//!
//! with TF = 1 + d ln f/d ln c the thermodynamic factor ("Thermodynamic factor [-]"), and
//! kappa_eff = eps^b kappa, D_eff = eps^b D (Bruggeman; option `electrolyte_conductivity =
//! "effective"` takes kappa_eff = kappa as given). The mechanisms add the sources
//! S_salt and a i and the boundary fluxes: at x = 0 the anode sets i_e = i_app and
//! N+ = i_app/F (see [`super::anode::plating`]); at the gas side i_e = 0 and N+ = 0 (the salt
//! is not volatile); a counter electrode takes i_app and i_app/F. The charge-conservation row
//! of the first control volume is replaced by the anode Butler–Volmer relation, which fixes the
//! potential level; its own balance follows from the others (the system conserves charge
//! overall). The rows are assembled in [`super::assembly`].

use super::transport::face_conductance;
use super::workspace::{Face, Properties, Sources};
use super::Model;
use crate::constants::FARADAY;
use crate::scalar::Scalar;

/// Ionic current and cation flux on the interior faces 1..n-1.
pub fn interior_fluxes<T: Scalar>(m: &Model, y: &[T], props: &mut Properties<T>) {
    let p = &m.params.electrolyte;
    let n = m.mesh.len();
    let phi = &y[m.layout.phi_e.clone()];
    // the separator's faces, the one onto the cathode included, carry its transference number
    // (a single-ion conductor passes no anions into the cathode's liquid)
    let [(t_sep, diffusion_sep), (t_liq, diffusion_liq)] = [true, false].map(|separator| {
        let t = m.params.transference_number_in(separator);
        (t / FARADAY, p.diffusion_potential_factor_with(t) / m.f)
    });
    for k in 1..n {
        let (t_face, diffusion) = if k <= m.mesh.n_sep {
            (t_sep, diffusion_sep)
        } else {
            (t_liq, diffusion_liq)
        };
        let (dl, dr) = (m.mesh.dx[k - 1], m.mesh.dx[k]);
        let g_kappa = face_conductance(dl, props.kappa[k - 1], dr, props.kappa[k]);
        let g_d = face_conductance(dl, props.d_e[k - 1], dr, props.d_e[k]);
        let i_e = -g_kappa * (phi[k] - phi[k - 1])
            + g_kappa * (props.ln_c[k] - props.ln_c[k - 1]) * diffusion;
        props.i_e[k] = i_e;
        props.n_salt[k] = -g_d * (props.c_e[k] - props.c_e[k - 1]) + i_e * t_face;
    }
}

/// Value on face `f` of a flux whose interior faces are in `interior` and whose boundary faces
/// the mechanisms set in `boundary`.
#[inline]
pub(crate) fn on_face<T: Scalar>(interior: &[T], boundary: &[T; 2], f: usize, n: usize) -> T {
    if f == 0 {
        boundary[Face::First as usize]
    } else if f == n {
        boundary[Face::Last as usize]
    } else {
        interior[f]
    }
}

/// Salt balance in every volume; charge conservation in volumes 1..n.
pub fn assemble<T: Scalar>(m: &Model, props: &Properties<T>, src: &Sources<T>, out: &mut [T]) {
    let l = &m.layout;
    let n = m.mesh.len();
    for k in 0..n {
        let dx = m.mesh.dx[k];
        let n_in = on_face(&props.n_salt, &src.n_salt, k, n);
        let n_out = on_face(&props.n_salt, &src.n_salt, k + 1, n);
        out[l.salt.start + k] = -(n_out - n_in) / dx + src.salt[k];
        if k > 0 {
            let i_in = on_face(&props.i_e, &src.i_e, k, n);
            let i_out = on_face(&props.i_e, &src.i_e, k + 1, n);
            out[l.phi_e.start + k] = (i_out - i_in) - src.charge[k] * dx;
        }
    }
}
