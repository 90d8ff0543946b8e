//! Helpers shared by the test crates: a run of an experiment, the balances' check, a state
//! that exercises every term of the residual, and the Jacobian's sparsity pattern found one
//! column at a time. Each test crate uses its own subset of them.

#![allow(dead_code)]

use triphase::model::{Control, Model, Workspace};
use triphase::scalar::Dual64;
use triphase::{simulate, Cell, Experiment, Solution, SolverOptions};

/// `cell` through the experiment `steps` with the default solver options (panics with the
/// solver's error).
pub fn run(cell: &Cell, steps: &[&str]) -> Solution {
    let exp = Experiment::parse(steps).unwrap();
    simulate(cell, &exp, &SolverOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// Bounds on the relative drifts of the metal, oxygen and charge balances.
#[derive(Debug, Clone, Copy)]
pub struct Drifts {
    /// Metal balance.
    pub metal: f64,
    /// Oxygen balance.
    pub oxygen: f64,
    /// Charge balance.
    pub charge: f64,
}

/// Every balance closed to 1e-9 relative (a run at the default tolerances); a test that
/// allows one balance more states it, `Drifts { oxygen: 1e-6, ..CLOSED }`.
pub const CLOSED: Drifts = Drifts {
    metal: 1e-9,
    oxygen: 1e-9,
    charge: 1e-9,
};

/// The metal, oxygen and charge balances of `sol` close within `bounds`.
pub fn assert_balances_within(sol: &Solution, bounds: Drifts) {
    let c = sol.conservation();
    assert!(
        c.metal_relative_drift < bounds.metal
            && c.oxygen_relative_drift < bounds.oxygen
            && c.charge_relative_drift < bounds.charge,
        "{c:?} against {bounds:?}"
    );
}

/// The metal, oxygen and charge balances of `sol` close to 1e-9 relative ([`CLOSED`]).
pub fn assert_balances_close(sol: &Solution) {
    assert_balances_within(sol, CLOSED);
}

/// A state away from the symmetric initial guess, so that every term is exercised: product in
/// the cathode, some SEI, cracks, dendrites, dead metal and dissolved gases.
pub fn perturbed_state(m: &Model, control: &Control) -> Vec<f64> {
    let mut y = m.initial_state(control);
    for (i, v) in y.iter_mut().enumerate() {
        *v *= 1.0 + 1e-3 * ((i % 7) as f64 - 3.0);
    }
    for j in m.layout.product.clone() {
        y[j] = 0.02 + 1e-4 * (j % 5) as f64;
    }
    let l = &m.layout;
    // the film part of that product, where the product also grows as particles
    if let Some(r) = l.film.clone() {
        for (j, i) in r.enumerate() {
            y[i] = 0.6 * y[l.product.start + j];
        }
    }
    // no rate exactly at a branch point (a current of zero)
    y[l.current] += 1e-3;
    for (j, i) in l.overpotential.clone().enumerate() {
        y[i] += 1e-3 * (1.0 + (j % 3) as f64);
    }
    if let Some(r) = l.sei.clone() {
        for (s, i) in r.enumerate() {
            y[i] = 1e-4 * (s + 1) as f64;
        }
    }
    for i in [l.crack, l.dendrite, l.dead].into_iter().flatten() {
        y[i] = 1e-3;
    }
    for i in 1..l.gases.len() {
        for k in 0..l.n {
            y[l.gas_at(i, k)] = 0.1 * (1.0 + 0.01 * k as f64);
        }
    }
    // dissolved superoxide, falling towards the metal, and its decay's product
    for r in [l.superoxide.clone(), l.superoxide_deposit.clone()]
        .into_iter()
        .flatten()
    {
        for (k, i) in r.enumerate() {
            y[i] = 1e-3 * (1.0 + 0.05 * k as f64);
        }
    }
    y
}

/// The rows that depend on column `col`, found by a NaN derivative in that column alone.
fn column_rows(m: &Model, control: &Control, y: &[f64], col: usize) -> Vec<usize> {
    let x: Vec<Dual64> = y
        .iter()
        .enumerate()
        .map(|(i, v)| Dual64::new(*v, if i == col { f64::NAN } else { 0.0 }))
        .collect();
    let mut out = vec![Dual64::from(0.0); y.len()];
    m.residual(&x, control, &mut Workspace::for_model(m), &mut out);
    (0..y.len()).filter(|&r| out[r].eps.is_nan()).collect()
}

/// The (row, column) pairs of the Jacobian of `m`'s residual under `control` at `y`, one probe
/// per column (what the grouped detection of `triphase::solver::sparsity` must reproduce),
/// sorted by column, then row.
pub fn exact_pattern(m: &Model, control: &Control, y: &[f64]) -> Vec<(usize, usize)> {
    let mut exact: Vec<(usize, usize)> = (0..m.len())
        .flat_map(|c| {
            column_rows(m, control, y, c)
                .into_iter()
                .map(move |r| (r, c))
        })
        .collect();
    exact.sort_unstable_by_key(|&(r, c)| (c, r));
    exact
}
