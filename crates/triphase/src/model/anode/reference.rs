//! The reference face of a cathode-only half cell at x = 0 (option `half_cell`): the
//! separator's anode face is held at the initial salt concentration and at zero electrolyte
//! potential, as published cathode models set up their half cells; there is no metal, no
//! anode kinetics and no anode layer.
//!
//!   c_e(0) = c_0,   phi_e(0) = 0,   i_e(0) = i_app
//!   N+(0) = (c_0 - c_e\[0\]) D_eff,0 / (dx_0/2) + t+ i_app / F        (through the half volume)
//!   0 = phi_e\[0\] + i_app (dx_0/2)/kappa_eff,0 - 2 (RT/F)(1 - t+) TF (ln c_e\[0\] - ln c_0)
//!                                                  (the potential row of volume 0)
//!
//! The face is a reservoir of both ions. Its ledgers keep the balances exact: the metal state
//! counts the cations it gave, dn_M/dt = -N+(0) (the metal balance of the cell holds as for a
//! metal anode), and `reservoir_anions` the anions it gave, dn_A/dt = N+(0) - i_app/F (the
//! anion flux into the cell), so that cations in - anions in = Q/F (the charge balance).

use crate::constants::FARADAY;
use crate::model::workspace::{Face, Properties, Sources};
use crate::model::Model;
use crate::scalar::Scalar;

/// Cation flux into the cell at the face N+(0) [mol.m-2.s-1] and the electrolyte potential
/// extrapolated to the face \[V\].
pub fn face<T: Scalar>(m: &Model, y: &[T], props: &Properties<T>) -> (T, T) {
    let p = &m.params.electrolyte;
    let c0 = p.initial_concentration;
    let i_app = y[m.layout.current];
    let half = 0.5 * m.mesh.dx[0];
    let t_plus = m.params.transference_number_in(m.mesh.n_sep > 0);
    let n_plus = (-props.c_e[0] + c0) * props.d_e[0] / half + i_app * (t_plus / FARADAY);
    let phi_face = y[m.layout.phi_e.start] + i_app * half / props.kappa[0]
        - (props.ln_c[0] - c0.ln()) * (p.diffusion_potential_factor_with(t_plus) / m.f);
    (n_plus, phi_face)
}

/// Boundary fluxes at x = 0, the potential row of the first volume and the face's ledgers.
pub fn contribute<T: Scalar>(
    m: &Model,
    y: &[T],
    props: &Properties<T>,
    src: &mut Sources<T>,
    out: &mut [T],
) {
    let l = &m.layout;
    let i_app = y[l.current];
    let (n_plus, phi_face) = face(m, y, props);
    src.i_e[Face::First as usize] += i_app;
    src.n_salt[Face::First as usize] += n_plus;
    out[l.phi_e.start] = phi_face;
    src.metal -= n_plus;
    if let Some(a) = l.reservoir_anions {
        out[a] = n_plus - i_app / FARADAY;
    }
}
