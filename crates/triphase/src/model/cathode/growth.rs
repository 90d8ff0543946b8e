//! Morphology of the discharge product: a passivating film and non-passivating particles
//! (option `product_growth = "film-and-particles"`).
//!
//! Li2O2 grows on the carbon either as a conformal film, which blocks electron transfer within
//! a few nm ([`super::passivation`]), or as discrete particles (plates, toroids) that fill the
//! pores but leave the carbon between them open. Which mode wins depends on the rate: discrete
//! particles at low growth currents give way to a film at high ones, the transition lying
//! close to the exchange current density of the cathode reaction (Horstmann, Gallant,
//! Mitchell, Bessler, Shao-Horn & Bazant, J. Phys. Chem. Lett. 4 (2013) 4217). Trace water
//! and other solvating additives move growth into solution and enhance the particles
//! (toroids), raising the capacity (Aetukuri et al., Nat. Chem. 7 (2015) 50). With
//! d eps_p/dt = r split smoothly into growth r+ and removal r- (r+ + r- = r):
//!
//!   i_g = r+ n F / (V_p a)                          growth current per carbon area [A m-2]
//!   K   = K_0 (1 + c_H2O / c_w)                     transition current / i0_c [-]
//!   f   = K / (K + i_g / i0_c)                      share of the growth that is particles
//!   d eps_f/dt = (1 - f) r+ + eps_f / (|eps_p| + delta) r-    the film's part of the product
//!
//! The film thickness is then eps_f / a_0 (plus the parasitic deposit) instead of eps_p / a_0;
//! porosity and active area still follow the whole product (particles fill pores too).
//! Assumptions: a removal (oxidation on charge, chemical attack by a mediator) takes film and
//! particles in proportion; product present at the start is film. Product that precipitates
//! from dissolved superoxide (option `dissolved_superoxide`, [`crate::model::superoxide`]) is
//! particles: r above is the surface reaction's net rate, the precipitate adds to eps_p only. K_0 = 1 follows Horstmann
//! et al.; c_w is an estimate (the water scale is not in the sources read).

use crate::constants::FARADAY;
use crate::model::workspace::{Properties, Sources};
use crate::model::Model;
use crate::params::Gas;
use crate::scalar::{floor, smooth_abs, Scalar};

/// Width of the smooth split of the product's rate into growth and removal [s-1] (numerical;
/// product rates are ~1e-7 s-1 at 0.1 mA cm-2).
pub const RATE_SPLIT_WIDTH: f64 = 1e-12;

/// Product volume fraction added to eps_p in the film's share of a removal,
/// eps_f / (|eps_p| + delta) [-] (numerical: the share is 0/0 without product; with
/// eps_f <= eps_p it stays below 1 and falls smoothly to 0 with the product, at 1e-6 of its
/// value where eps_p = 1e-3).
pub const SHARE_OFFSET: f64 = 1e-9;

/// The product's net rate d eps_p/dt = r split smoothly into growth and removal,
/// r+- = (r +- (sqrt(r^2 + w^2) - w)) / 2 with w = [`RATE_SPLIT_WIDTH`] (r+ + r- = r).
#[inline]
pub fn split_rate<T: Scalar>(rate: T) -> (T, T) {
    let size = smooth_abs(rate, RATE_SPLIT_WIDTH);
    ((rate + size) * 0.5, (rate - size) * 0.5)
}

/// Share f of the growing product that forms particles [-] at the growth current `i_g` per
/// carbon area [A.m-2] with `water` [mol.m-3] dissolved: f = K / (K + i_g / i0_c),
/// K = K_0 (1 + c_H2O / c_w).
pub fn particle_share<T: Scalar>(m: &Model, i_g: T, water: T) -> T {
    let c = &m.params.cathode;
    let k = (water / c.particle_water_concentration + 1.0) * c.particle_transition_ratio;
    k / (k + i_g / c.exchange_current_density)
}

/// The film rows: d eps_f/dt from the product's net rate in each cathode volume (phase 3 of
/// the residual, after every mechanism has added to the product's rate).
pub fn film_rows<T: Scalar>(
    m: &Model,
    y: &[T],
    props: &Properties<T>,
    src: &Sources<T>,
    out: &mut [T],
) {
    let l = &m.layout;
    let Some(film) = &l.film else { return };
    let c = &m.params.cathode;
    let n = m.mesh.len();
    let water = l.gas_index(Gas::H2O).map(|g| g * n);
    // d eps_p/dt to the current per electrode volume that grows it
    let to_current = c.electrons_per_o2 * FARADAY / c.product_molar_volume;
    for j in 0..m.mesh.n_cat {
        let k = m.cat(j);
        // product precipitated from solution grows as particles only; the surface reaction's
        // net rate is split into growth and removal
        let (grow, remove) = split_rate(src.product[j] - src.particles[j]);
        let area = m.structure.active_area(m.deposit(y, j));
        let i_g = grow * to_current / area;
        let c_w = match water {
            Some(g) => floor(props.c_gas[g + k], 0.0),
            None => T::from(0.0),
        };
        let share = particle_share(m, i_g, c_w);
        let eps_p = y[l.product.start + j];
        let eps_f = y[film.start + j];
        // the film's part of the product (below 1 as long as eps_f <= eps_p)
        let film_part = eps_f / (smooth_abs(eps_p, SHARE_OFFSET) + SHARE_OFFSET);
        out[film.start + j] = grow * (-share + 1.0) + remove * film_part;
    }
}
