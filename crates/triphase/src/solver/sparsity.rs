//! The Jacobian's sparsity pattern in time and memory linear in the number of states.
//!
//! The pattern is found by pushing NaN through the dual-number residual (a NaN derivative in
//! an input makes every output that depends on it NaN, whatever the values). Probing one
//! column at a time costs one residual per state, and probing all of them in one batch (what
//! diffsol's builder does) holds states x states numbers: 2.6 GB for 2000 + 2000 volumes.
//! Here the columns of a per-volume block (salt, potentials, a gas, product...) whose volumes
//! are [`STRIDE`] apart are probed together: the finite-volume stencil couples volumes at
//! most [`REACH`] apart, so each NaN row next to one probed column is that column's. Rows
//! of the whole cell (current, metal, ledgers) and rows no probed column is near are resolved
//! by bisecting the group, level by level for all groups at once. Each evaluation carries
//! [`LANES`] groups (or the halves of [`LANES`]` / 2` groups being bisected), one per lane of
//! the multi-lane dual numbers of [`super::jacobian`]. The cost is about blocks x [`STRIDE`] /
//! [`LANES`] residuals plus a few for the bisections, whatever the mesh.
//!
//! The pattern is that of the state it is detected at; the residual is written so that the
//! dependencies do not change with the state or the operating mode (zero-weight terms keep
//! every mode's dependencies), which the robustness test exercises across the library.

use super::jacobian::{Lanes, LANES};
use crate::model::{Control, Model, Workspace};

/// Volumes between columns probed together: the smallest that resolves a stencil reaching two
/// volumes with [`REACH`] = 2 (every cell's stencil couples neighbours only, reach 1). Each
/// probing evaluation costs about a Newton iteration's residual in eight derivative lanes: the
/// pattern of li-o2-ideal-anode (435 states) took 29 evaluations (1.2 ms of a 3.3 ms set-up)
/// with 16 volumes, REACH 3 and one bisection per evaluation; it takes 11 now (li-o2 42 -> 17,
/// li-air 61 -> 26).
pub const STRIDE: usize = 5;

/// Largest distance in volumes at which a row is attributed to a probed column directly; a
/// row farther from every probed column is resolved by bisection. Any coupling reach below
/// `STRIDE - REACH` is found exactly (the test
/// `grouped_sparsity_detection_equals_probing_column_by_column` compares the pattern with one
/// probe per column for every preset, and the robustness test's
/// `every_component_s_jacobian_pattern_is_the_one_column_by_column_probes_find` for every
/// library component's cell).
pub const REACH: usize = 2;

/// The (row, column) pairs of the Jacobian of `model`'s residual under `control` at `y`,
/// sorted by column, then row.
pub fn jacobian_pattern(model: &Model, control: &Control, y: &[f64]) -> Vec<(usize, usize)> {
    let mut probe = Probe::new(model, control, y);
    let at = model.layout.locations(model.mesh.n_sep);
    // groups: the columns of one block at volumes STRIDE apart; whole-cell columns alone
    let mut groups: std::collections::BTreeMap<(usize, usize), Vec<usize>> = Default::default();
    let mut alone = Vec::new();
    for (col, a) in at.iter().enumerate() {
        match a {
            Some((volume, block)) => groups
                .entry((*block, volume % STRIDE))
                .or_default()
                .push(col),
            None => alone.push(vec![col]),
        }
    }
    let groups: Vec<Vec<usize>> = groups.into_values().chain(alone).collect();
    let mut pairs = Vec::new();
    // the rows a probed group's columns cannot be told apart in, to be bisected
    let mut unresolved: Vec<(&[usize], Vec<usize>)> = Vec::new();
    // LANES groups per residual evaluation, each in its own derivative lane
    for batch in groups.chunks(LANES) {
        let refs: Vec<&[usize]> = batch.iter().map(Vec::as_slice).collect();
        for (group, rows) in refs.iter().zip(probe.rows(&refs)) {
            let mut open = Vec::new();
            for r in rows {
                let near: Vec<usize> = match at[r] {
                    Some((vr, _)) => group
                        .iter()
                        .copied()
                        .filter(|&c| at[c].is_some_and(|(vc, _)| vc.abs_diff(vr) <= REACH))
                        .collect(),
                    None => vec![],
                };
                match (group.len(), near.as_slice()) {
                    (1, _) => pairs.push((r, group[0])),
                    (_, [c]) => pairs.push((r, *c)),
                    _ => open.push(r),
                }
            }
            if !open.is_empty() {
                unresolved.push((group, open));
            }
        }
    }
    probe.bisect(unresolved, &mut pairs);
    pairs.sort_unstable_by_key(|&(r, c)| (c, r));
    pairs.dedup();
    pairs
}

/// Residual evaluations with NaN derivatives in chosen columns, one set of columns per
/// derivative lane (the lanes are independent: a lane's derivatives are those of a dual
/// number with that lane's seeds alone).
struct Probe<'m> {
    model: &'m Model,
    control: Control,
    y: &'m [f64],
    x: Vec<Lanes>,
    out: Vec<Lanes>,
    ws: Workspace<Lanes>,
}

impl<'m> Probe<'m> {
    fn new(model: &'m Model, control: &Control, y: &'m [f64]) -> Self {
        Self {
            model,
            control: *control,
            y,
            x: y.iter().map(|&v| Lanes::from_re(v)).collect(),
            out: vec![Lanes::from_re(0.0); y.len()],
            ws: Workspace::for_model(model),
        }
    }

    /// For each of up to [`LANES`] disjoint sets of columns, the rows that depend on any of
    /// them.
    fn rows(&mut self, sets: &[&[usize]]) -> Vec<Vec<usize>> {
        debug_assert!(sets.len() <= LANES);
        for (lane, cols) in sets.iter().enumerate() {
            for &c in cols.iter() {
                let mut seed = Lanes::from_re(self.y[c]).derivative(lane);
                if let Some(d) = seed.eps.0.as_mut() {
                    d[lane] = f64::NAN;
                }
                self.x[c] = seed;
            }
        }
        self.model
            .residual(&self.x, &self.control, &mut self.ws, &mut self.out);
        for cols in sets {
            for &c in cols.iter() {
                self.x[c] = Lanes::from_re(self.y[c]);
            }
        }
        (0..sets.len())
            .map(|lane| {
                (0..self.out.len())
                    .filter(|&r| self.out[r].eps.0.as_ref().is_some_and(|d| d[lane].is_nan()))
                    .collect()
            })
            .collect()
    }

    /// Attributes each set of rows (each row depending on some column of its set of columns)
    /// to its columns by probing the sets' halves, level by level, the halves of
    /// [`LANES`]` / 2` sets in one evaluation.
    fn bisect(&mut self, mut open: Vec<(&[usize], Vec<usize>)>, pairs: &mut Vec<(usize, usize)>) {
        while !open.is_empty() {
            let mut next = Vec::new();
            for batch in open.chunks(LANES / 2) {
                let halves: Vec<&[usize]> = batch
                    .iter()
                    .flat_map(|(cols, _)| {
                        let (a, b) = cols.split_at(cols.len() / 2);
                        [a, b]
                    })
                    .collect();
                let hits = self.rows(&halves);
                for (k, (half, hit)) in halves.iter().zip(hits).enumerate() {
                    let mine: Vec<usize> = batch[k / 2]
                        .1
                        .iter()
                        .copied()
                        .filter(|r| hit.binary_search(r).is_ok())
                        .collect();
                    match (*half, mine.is_empty()) {
                        (_, true) => {}
                        ([c], false) => pairs.extend(mine.iter().map(|&r| (r, *c))),
                        (_, false) => next.push((*half, mine)),
                    }
                }
            }
            open = next;
        }
    }
}
