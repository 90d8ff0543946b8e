//! The sparse Jacobian of the residual by colouring, several colours per residual evaluation.
//!
//! Columns that share no row (a colour) can be perturbed together: one forward-mode
//! derivative along the sum of their unit vectors gives each of their entries, since every
//! row sees at most one of them (Curtis, Powell & Reid, IMA J. Appl. Math. 13 (1974) 117;
//! Gebremedhin, Manne & Pothen, SIAM Rev. 47 (2005) 629). diffsol's `JacobianColoring` takes
//! one Jacobian-vector product, i.e. one whole dual-number residual, per colour: the cells'
//! 17-21 colours recomputed every exponential, logarithm and power 17-21 times, once per
//! colour, and the Jacobians were a quarter of a discharge's run time. Here the residual is
//! evaluated in multi-lane dual numbers ([`Lanes`], num-dual's `DualSVec64`): [`LANES`]
//! colours ride in one evaluation, each in its own derivative lane, so the values and the
//! transcendental functions are computed once per pass of [`LANES`] colours and only the
//! lanes' multiply-adds scale with the number of colours.
//!
//! The colouring is the greedy one in the columns' natural order (each column takes the
//! smallest colour no column sharing a row with it has). The states are numbered volume by
//! volume within each block, so the finite-volume stencil gives about as many colours as
//! the densest row has entries.

use num_dual::DualSVec64;

use crate::model::{Control, Model, Workspace};

/// Colours carried by one residual evaluation.
pub const LANES: usize = 8;

/// The multi-lane dual number of the Jacobian's evaluations.
pub type Lanes = DualSVec64<LANES>;

/// One non-zero of the Jacobian: where it is stored, which residual row gives it, in which lane.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// Position in the compressed-column values.
    value: usize,
    row: usize,
    lane: usize,
}

/// A colouring of a sparsity pattern and the evaluations that assemble its Jacobian.
#[derive(Clone, Debug)]
pub struct ColouredJacobian {
    /// Colour of each column.
    colour: Vec<usize>,
    /// The entries of each pass (colours `LANES p .. LANES (p + 1)`).
    passes: Vec<Vec<Entry>>,
}

impl ColouredJacobian {
    /// The colouring of the `n` x `n` pattern given in compressed columns (`col_ptr`,
    /// `row_idx`, rows in any order within a column); the values [`Self::assemble`] writes
    /// are in the same order.
    pub fn new(n: usize, col_ptr: &[usize], row_idx: &[usize]) -> Self {
        // the columns of each row
        let mut row_ptr = vec![0usize; n + 1];
        for &r in row_idx {
            row_ptr[r + 1] += 1;
        }
        for r in 0..n {
            row_ptr[r + 1] += row_ptr[r];
        }
        let mut fill = row_ptr.clone();
        let mut row_col = vec![0usize; row_idx.len()];
        for j in 0..n {
            for &r in &row_idx[col_ptr[j]..col_ptr[j + 1]] {
                row_col[fill[r]] = j;
                fill[r] += 1;
            }
        }
        // greedy colouring: `seen[c] == j + 1` marks colour c as taken by a neighbour of j
        const NONE: usize = usize::MAX;
        let mut colour = vec![NONE; n];
        let mut seen: Vec<usize> = Vec::new();
        for j in 0..n {
            for &r in &row_idx[col_ptr[j]..col_ptr[j + 1]] {
                for &k in &row_col[row_ptr[r]..row_ptr[r + 1]] {
                    let c = colour[k];
                    if c != NONE {
                        if c >= seen.len() {
                            seen.resize(c + 1, 0);
                        }
                        seen[c] = j + 1;
                    }
                }
            }
            let mut c = 0;
            while seen.get(c) == Some(&(j + 1)) {
                c += 1;
            }
            colour[j] = c;
        }
        let n_colours = colour.iter().map(|&c| c + 1).max().unwrap_or(0);
        let mut passes = vec![Vec::new(); n_colours.div_ceil(LANES)];
        for j in 0..n {
            let range = col_ptr[j]..col_ptr[j + 1];
            for (value, &row) in range.clone().zip(&row_idx[range]) {
                passes[colour[j] / LANES].push(Entry {
                    value,
                    row,
                    lane: colour[j] % LANES,
                });
            }
        }
        Self { colour, passes }
    }

    /// Number of colours.
    pub fn colours(&self) -> usize {
        self.colour.iter().map(|&c| c + 1).max().unwrap_or(0)
    }

    /// Writes the Jacobian of `model`'s residual under `control` at `x` into `values`, the
    /// compressed-column values of the pattern this colouring was made for.
    pub fn assemble(
        &self,
        model: &Model,
        control: &Control,
        x: &[f64],
        scratch: &mut LaneScratch,
        values: &mut [f64],
    ) {
        let LaneScratch { ws, x: xd, out } = scratch;
        for (pass, entries) in self.passes.iter().enumerate() {
            for ((xd, &xj), &c) in xd.iter_mut().zip(x).zip(&self.colour) {
                *xd = if c / LANES == pass {
                    Lanes::from_re(xj).derivative(c % LANES)
                } else {
                    Lanes::from_re(xj)
                };
            }
            model.residual(xd, control, ws, out);
            for e in entries {
                values[e.value] = out[e.row].eps.0.as_ref().map_or(0.0, |d| d[e.lane]);
            }
        }
    }
}

/// The buffers of [`ColouredJacobian::assemble`]: a workspace and the state and residual in
/// [`Lanes`].
#[derive(Clone)]
pub struct LaneScratch {
    ws: Workspace<Lanes>,
    x: Vec<Lanes>,
    out: Vec<Lanes>,
}

impl LaneScratch {
    /// Buffers for `model`.
    pub fn for_model(model: &Model) -> Self {
        let n = model.len();
        Self {
            ws: Workspace::for_model(model),
            x: vec![Lanes::from_re(0.0); n],
            out: vec![Lanes::from_re(0.0); n],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ColouredJacobian;

    /// Compressed columns of the pattern given as (row, column) pairs sorted by column.
    fn columns(n: usize, pairs: &[(usize, usize)]) -> (Vec<usize>, Vec<usize>) {
        let mut ptr = vec![0; n + 1];
        for &(_, c) in pairs {
            ptr[c + 1] += 1;
        }
        for c in 0..n {
            ptr[c + 1] += ptr[c];
        }
        (ptr, pairs.iter().map(|&(r, _)| r).collect())
    }

    #[test]
    fn a_tridiagonal_pattern_takes_three_colours_and_a_full_row_one_per_column() {
        // columns j and j + 2 share row j + 1, columns j and j + 3 share nothing: the
        // greedy colouring of a tridiagonal pattern is j mod 3
        let n: usize = 10;
        let tri: Vec<(usize, usize)> = (0..n)
            .flat_map(|c| (c.saturating_sub(1)..(c + 2).min(n)).map(move |r| (r, c)))
            .collect();
        let (ptr, rows) = columns(n, &tri);
        let j = ColouredJacobian::new(n, &ptr, &rows);
        assert_eq!(j.colours(), 3);
        assert!(j.colour.iter().enumerate().all(|(c, &k)| k == c % 3));
        // one row coupling every column: every column its own colour, in two passes of 8
        let mut full: Vec<(usize, usize)> = (0..n).flat_map(|c| [(c, c), (n - 1, c)]).collect();
        full.dedup();
        let (ptr, rows) = columns(n, &full);
        let j = ColouredJacobian::new(n, &ptr, &rows);
        assert_eq!(j.colours(), n);
        assert_eq!(j.passes.len(), 2);
    }
}
