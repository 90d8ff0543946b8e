//! Electron conduction in the carbon matrix.
//!
//!   i_s = -sigma_eff d(phi_s)/dx,   sigma_eff = sigma (1 - eps_c0)^b,   di_s/dx = -a i (every reaction at the carbon)
//!
//! With the double layer ([`super::double_layer`]) this row and the electrolyte's become the
//! double-layer and total-current rows.
//!
//! Boundaries: i_s = 0 at the separator (no electronic path to the metal), i_s = i_app at the
//! gas-side current collector. The carbon conductivity is taken as unchanged by the product.

use crate::model::workspace::Sources;
use crate::model::Model;
use crate::scalar::Scalar;

/// Solid-potential rows (one per cathode volume).
pub fn assemble<T: Scalar>(m: &Model, y: &[T], src: &Sources<T>, out: &mut [T]) {
    let l = &m.layout;
    let n_cat = m.mesh.n_cat;
    if n_cat == 0 {
        return;
    }
    let i_app = y[l.current];
    let phi = |j: usize| super::double_layer::solid_potential(m, y, j);
    let face = |j: usize| -> T {
        // current on the face between cathode volumes j-1 and j
        if j == 0 {
            T::from(0.0)
        } else if j == n_cat {
            i_app
        } else {
            let g = 2.0 * m.sigma_eff / (m.mesh.dx[m.cat(j - 1)] + m.mesh.dx[m.cat(j)]);
            -(phi(j) - phi(j - 1)) * g
        }
    };
    for j in 0..n_cat {
        let k = m.cat(j);
        let s = (face(j + 1) - face(j)) + src.charge[k] * m.mesh.dx[k];
        if l.double_layer {
            super::double_layer::split_rows(m, j, s, out);
        } else {
            out[l.phi_s.start + j] = s;
        }
    }
}
