//! The sampled designs: a run's point u in [0, 1)^D.
//!
//! - Latin hypercube (McKay, Beckman & Conover, Technometrics 21 (1979) 239): each axis is cut
//!   into n equal strata; axis d of run j lies in stratum pi_d(j), a permutation drawn from the
//!   seed, at a uniform offset inside it.
//! - Sobol: an Owen-scrambled Sobol sequence (the `sobol_burley` crate), seeded.
//! - Saltelli (Saltelli et al., Comput. Phys. Commun. 181 (2010) 259): base points from a
//!   2D-dimensional scrambled Sobol sequence split into matrices A (first D columns) and B
//!   (last D); for base point j the runs are A_j, then A_j with column i taken from B_j for
//!   i = 1..D, then B_j: the layout SALib's `sobol.analyze(..., calc_second_order=False)`
//!   reads.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use super::spec::{Design, SweepSpec};

/// Most points a Sobol design may hold (the sequence's supported length).
pub const MAX_SOBOL_POINTS: usize = 1 << 16;

/// Most dimensions of the Sobol sequence (a Saltelli design uses two per axis).
pub const MAX_SOBOL_DIMENSIONS: usize = sobol_burley::NUM_DIMENSIONS as usize;

/// The point of run `run` of a sampled design (empty for a grid).
pub fn point(spec: &SweepSpec, run: usize) -> Vec<f64> {
    let d = spec.axes.len();
    match spec.design {
        Design::Grid => vec![],
        Design::LatinHypercube => latin_hypercube(spec.samples, d, spec.seed, run),
        Design::Sobol => (0..d).map(|i| sobol(run, i, spec.seed)).collect(),
        Design::Saltelli => {
            let (j, k) = (run / (d + 2), run % (d + 2));
            let a = |i: usize| sobol(j, i, spec.seed);
            let b = |i: usize| sobol(j, d + i, spec.seed);
            match k {
                0 => (0..d).map(a).collect(),
                k if k == d + 1 => (0..d).map(b).collect(),
                k => (0..d)
                    .map(|i| if i == k - 1 { b(i) } else { a(i) })
                    .collect(),
            }
        }
    }
}

fn sobol(index: usize, dimension: usize, seed: u32) -> f64 {
    f64::from(sobol_burley::sample(index as u32, dimension as u32, seed))
}

/// Axis `d` of the n-point Latin hypercube: its permutation and offsets come from a generator
/// seeded with (seed, d), so a run's point does not depend on which other runs are computed.
fn latin_hypercube(n: usize, dims: usize, seed: u32, run: usize) -> Vec<f64> {
    (0..dims)
        .map(|d| {
            let mut rng = rand::rngs::StdRng::seed_from_u64(((seed as u64) << 32) | d as u64);
            let mut strata: Vec<usize> = (0..n).collect();
            strata.shuffle(&mut rng);
            let offsets: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
            (strata[run] as f64 + offsets[run]) / n as f64
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_latin_hypercube_puts_one_point_in_each_stratum_of_every_axis() {
        let n = 37;
        for d in 0..3 {
            let mut hit = vec![0; n];
            for run in 0..n {
                let u = latin_hypercube(n, 3, 5, run)[d];
                assert!((0.0..1.0).contains(&u));
                hit[(u * n as f64) as usize] += 1;
            }
            assert!(hit.iter().all(|&h| h == 1), "axis {d}: {hit:?}");
        }
        // another seed, another design
        assert_ne!(latin_hypercube(n, 3, 5, 0), latin_hypercube(n, 3, 6, 0));
    }

    #[test]
    fn the_scrambled_sobol_sequence_is_balanced_in_every_dimension() {
        // the first 2^k points of a (scrambled) Sobol sequence put exactly one point in each
        // interval [m / 2^k, (m + 1) / 2^k) of every coordinate
        let n = 64;
        for d in 0..6 {
            let mut hit = vec![0; n];
            for i in 0..n {
                hit[(sobol(i, d, 3) * n as f64) as usize] += 1;
            }
            assert!(hit.iter().all(|&h| h == 1), "dimension {d}");
        }
    }
}
