//! Sparse LU of the Newton matrix M - gamma J, refactorised on a fixed pivot sequence.
//!
//! BDF refactorises the Newton matrix at every change of step size or Jacobian (about one
//! step in two), always with the same sparsity pattern. faer's sparse LU (left-looking
//! Gilbert–Peierls with partial pivoting) recomputes the reach of every
//! column by depth-first search each time: about a fifth of a li-o2 discharge's run time,
//! more than its arithmetic. Like KLU's `klu_refactor` (Davis & Palamadai Natarajan, ACM TOMS
//! 37 (2010) 36), this solver factorises with faer once, keeps the row pivot sequence and the
//! patterns of L and U, and refactorises later matrices on them with no search:
//!
//!   for column j of P A Q:  x = A(:, q_j) scattered into pivot order;
//!     for k in pattern U(:, j), ascending:  U(k, j) = x_k;  x -= L(:, k) U(k, j)
//!     U(j, j) = x_j;  L(:, j) = x(pattern L(:, j)) / U(j, j)
//!
//! (ascending pivot order is a topological order of L's graph). A pivot that has become small
//! (|U(j, j)| < [`PIVOT_THRESHOLD`] x the largest entry below it, i.e. a multiplier above 100)
//! or non-finite sends the matrix back to faer for a fresh pivot search, and the new sequence
//! is kept. The rows are equilibrated before each factorisation (D A, D_ii = 1 / max_j |a_ij|):
//! the algebraic rows of M - gamma J scale with gamma as a whole, and unscaled a change of step
//! size alone would push pivots below the threshold. The patterns are structural (faer stores
//! every entry its reach visits), so any matrix with the same sparsity fits them.
//! Refactorisation and solves allocate nothing. Solvers built with a shared [`FactorCache`]
//! ([`SparseLu::sharing`]) hand their factors on: the next solver on the same pattern (the
//! next experiment step's, a consistent initialisation's) refactorises on them.
//!
//! The column order Q is the one of two fill-reducing orderings whose factors come out
//! sparser at the first pivot search: the approximate minimum degree ordering of A + A^T
//! (AMD; Amestoy, Davis & Duff, SIAM J. Matrix Anal. Appl. 17 (1996) 886; KLU's default, for
//! nearly symmetric patterns such as a finite-volume Jacobian's) or COLAMD (Davis et al., ACM
//! TOMS 30 (2004) 353, an ordering for A^T A that does not assume symmetry). AMD cuts a li-air
//! Newton matrix's refactorisation from 78 000 to 56 000 multiply-adds (L + U 12 744 -> 11 232
//! entries) and 10 li-air cycles' run time by 11 %; but on a redox-mediator cell (LiBr on
//! li-air) its factors hold 80 000 entries against COLAMD's 23 000 and refactorise in 5.1
//! million multiply-adds against 0.24 million, a 3.6x slower life. COLAMD is computed and
//! tried only where AMD's factors hold more than [`COLAMD_TRIAL_FILL`] times the matrix's
//! entries (see there).

use std::cell::RefCell;
use std::rc::Rc;

use diffsol::{FaerSparseMat, LaError, Matrix, MatrixCommon, Vector};
use diffsol_la::{LinearOp, LinearSolver};
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::perm::PermRef;
use faer::sparse::linalg::lu::simplicial::{self, SimplicialLu};
use faer::sparse::linalg::{amd, colamd};
use faer::sparse::SparseColMatRef;

type V = <FaerSparseMat<f64> as MatrixCommon>::V;

/// Smallest pivot accepted by a refactorisation, relative to the largest entry below it in
/// its column: multipliers stay below 100. With the rows equilibrated (see the module
/// documentation) the solves' accuracy does not depend on it between 0.1 (UMFPACK's default
/// relaxed partial-pivoting threshold) and 0.01: the largest oxygen balance drift of the six
/// balance checks of `tests/anode.rs` is 2.1e-12 at 0.1 and 2.4e-12 at 0.01 (trihalide
/// mediator test 4e-13 and 1e-12; metal drifts below 7e-15 at both), while 0.01 halves the
/// pivot searches of 20 li-o2 cycles (577 -> 275) and saves 6 % of their instructions.
/// Without the equilibration 0.01 let that drift reach 1e-9.
pub const PIVOT_THRESHOLD: f64 = 0.01;

/// Fill of AMD's factors (entries of L and U over the matrix's) above which the first pivot
/// search also tries COLAMD and keeps the sparser. Over the library-wide robustness run's 50
/// distinct Newton-matrix and initialisation patterns, AMD's fill is 1.4-2.05 except in the
/// bromide and iodide mediator cells (7.6 and 9.7, COLAMD's 2.9), and where it is below 2.5
/// COLAMD's factors were at most 1.8 % smaller. Trying both everywhere cost a COLAMD ordering
/// and one more pivot search per pattern and run: ~0.4 ms of li-o2-ideal-anode's 2.5 ms
/// set-up.
pub const COLAMD_TRIAL_FILL: f64 = 2.5;

/// Compressed columns of a triangular factor in pivot-position indices, rows ascending.
#[derive(Default)]
struct Factor {
    ptr: Vec<usize>,
    row: Vec<usize>,
    val: Vec<f64>,
}

impl Factor {
    fn col(&self, j: usize) -> std::ops::Range<usize> {
        self.ptr[j]..self.ptr[j + 1]
    }

    /// Rows and values of column `j`.
    #[inline]
    fn entries(&self, j: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let r = self.col(j);
        self.row[r.clone()]
            .iter()
            .copied()
            .zip(self.val[r].iter().copied())
    }

    /// The strictly triangular part of faer's factor `f` (its diagonal entry, first in L's
    /// columns and last in U's, is left out), rows sorted. Runs only after a pivot search.
    fn copy_strict_part(&mut self, f: SparseColMatRef<'_, usize, f64>, skip_first: bool) {
        let n = f.ncols();
        self.ptr.clear();
        self.row.clear();
        self.val.clear();
        self.ptr.push(0);
        for j in 0..n {
            let rows = f.row_idx_of_col_raw(j);
            let vals = f.val_of_col(j);
            let range = if skip_first {
                1..rows.len()
            } else {
                0..rows.len() - 1
            };
            let mut pairs: Vec<(usize, f64)> = rows[range.clone()]
                .iter()
                .copied()
                .zip(vals[range].iter().copied())
                .collect();
            pairs.sort_unstable_by_key(|&(r, _)| r);
            self.row.extend(pairs.iter().map(|&(r, _)| r));
            self.val.extend(pairs.iter().map(|&(_, v)| v));
            self.ptr.push(self.row.len());
        }
    }
}

struct Factors {
    a: FaerSparseMat<f64>,
    /// Column order: position j holds column col_fwd[j].
    col_fwd: Vec<usize>,
    col_inv: Vec<usize>,
    /// Whether the column order is still to be chosen (at the first pivot search; `col_fwd`
    /// starts as AMD's).
    ordering_open: bool,
    /// AMD fill above which COLAMD is tried ([`COLAMD_TRIAL_FILL`]).
    colamd_trial_fill: f64,
    /// Row pivot sequence: position k holds row row_fwd[k]; row_inv is its inverse.
    row_fwd: Vec<usize>,
    row_inv: Vec<usize>,
    /// Unit lower factor (strict part) and upper factor (strict part and diagonal).
    l: Factor,
    u: Factor,
    diag: Vec<f64>,
    /// Dense work vector of the refactorisation in pivot order (zero between uses).
    x: Vec<f64>,
    /// Row equilibration D (1 / the largest magnitude in each row): the factors are those of
    /// D A, so that rows scaled as a whole (the algebraic rows of M - gamma J, all proportional
    /// to gamma) do not change the pivot choice as the step size changes.
    row_scale: Vec<f64>,
    /// Work vector of the solves.
    work: std::cell::RefCell<Vec<f64>>,
    faer_lu: SimplicialLu<usize, f64>,
    faer_scratch: MemBuffer,
    /// Whether `l`, `u` and the pivot sequence hold a factorisation to refactorise on.
    have_pattern: bool,
    /// Full factorisations (pivot searches) so far.
    full: usize,
    /// Refactorisations so far.
    refactored: usize,
}

/// Factors handed from one solver to the next (see [`SparseLu::sharing`]): the column order,
/// pivot sequence and patterns of the last factorisation of each sparsity pattern (the BDF
/// Newton matrix, and the algebraic block a consistent initialisation solves), kept while no
/// solver holds them.
#[derive(Default, Clone)]
pub struct FactorCache(Rc<RefCell<Vec<Factors>>>);

/// Sparse LU of the Newton matrix with pivot-sequence reuse (see the module docs).
#[derive(Default)]
pub struct SparseLu {
    f: Option<Box<Factors>>,
    cache: Option<FactorCache>,
}

impl Factors {
    fn new(a: FaerSparseMat<f64>) -> Self {
        let n = a.inner()[0].ncols();
        let sym = a.inner()[0].symbolic();
        let mut col_fwd = vec![0usize; n];
        let mut col_inv = vec![0usize; n];
        let mut buf = MemBuffer::new(amd::order_maybe_unsorted_scratch::<usize>(
            n,
            sym.compute_nnz(),
        ));
        amd::order_maybe_unsorted(
            &mut col_fwd,
            &mut col_inv,
            sym,
            Default::default(),
            MemStack::new(&mut buf),
        )
        .expect("AMD ordering of the Newton matrix");
        Self {
            a,
            col_fwd,
            col_inv,
            ordering_open: true,
            colamd_trial_fill: COLAMD_TRIAL_FILL,
            row_fwd: vec![0; n],
            row_inv: vec![0; n],
            l: Factor::default(),
            u: Factor::default(),
            diag: vec![0.0; n],
            x: vec![0.0; n],
            row_scale: vec![1.0; n],
            work: std::cell::RefCell::new(vec![0.0; n]),
            faer_lu: SimplicialLu::new(),
            faer_scratch: MemBuffer::new(simplicial::factorize_simplicial_numeric_lu_scratch::<
                usize,
                f64,
            >(n, n)),
            have_pattern: false,
            full: 0,
            refactored: 0,
        }
    }

    /// Equilibrate the rows of the matrix just filled in (`row_scale`, applied in place), then
    /// refactorise it on the kept pivot sequence, or factorise it with a pivot search where
    /// there is none or a pivot is refused.
    fn factorise(&mut self) {
        let (sym, val) = self.a.inner_mut()[0].parts_mut();
        let s = &mut self.row_scale;
        s.iter_mut().for_each(|v| *v = 0.0);
        for j in 0..sym.ncols() {
            for (&r, v) in sym.row_idx_of_col_raw(j).iter().zip(&val[sym.col_range(j)]) {
                s[r] = s[r].max(v.abs());
            }
        }
        for v in s.iter_mut() {
            *v = if *v > 0.0 && v.is_finite() {
                v.recip()
            } else {
                1.0
            };
        }
        for j in 0..sym.ncols() {
            for (&r, v) in sym
                .row_idx_of_col_raw(j)
                .iter()
                .zip(&mut val[sym.col_range(j)])
            {
                *v *= s[r];
            }
        }
        if !(self.have_pattern && self.refactor()) {
            self.factor_full();
        }
    }

    /// Factorise with a pivot search (faer) and keep the pivot sequence and patterns; the
    /// first one also chooses the column order.
    fn factor_full(&mut self) -> bool {
        let ok = if std::mem::take(&mut self.ordering_open) {
            self.choose_ordering()
        } else {
            self.pivot_search()
        };
        self.full += 1;
        self.have_pattern = false;
        if !ok {
            return false;
        }
        self.l
            .copy_strict_part(self.faer_lu.l_factor_unsorted(), true);
        let u = self.faer_lu.u_factor_unsorted();
        for (j, d) in self.diag.iter_mut().enumerate() {
            *d = *u.val_of_col(j).last().expect("U has its diagonal");
        }
        self.u.copy_strict_part(u, false);
        self.have_pattern = true;
        true
    }

    /// faer's factorisation with a pivot search on the current column order.
    fn pivot_search(&mut self) -> bool {
        let a = self.a.inner()[0].as_ref();
        let col = PermRef::new_checked(&self.col_fwd, &self.col_inv, self.col_fwd.len());
        simplicial::factorize_simplicial_numeric_lu(
            &mut self.row_fwd,
            &mut self.row_inv,
            &mut self.faer_lu,
            a,
            col,
            MemStack::new(&mut self.faer_scratch),
        )
        .is_ok()
    }

    /// Entries of faer's factors L and U.
    fn factor_entries(&self) -> usize {
        self.faer_lu.l_factor_unsorted().symbolic().compute_nnz()
            + self.faer_lu.u_factor_unsorted().symbolic().compute_nnz()
    }

    /// COLAMD's column order of the matrix's pattern (forward, inverse).
    fn colamd_order(&self) -> (Vec<usize>, Vec<usize>) {
        let sym = self.a.inner()[0].symbolic();
        let n = sym.ncols();
        let (mut fwd, mut inv) = (vec![0usize; n], vec![0usize; n]);
        let mut buf = MemBuffer::new(colamd::order_scratch::<usize>(n, n, sym.compute_nnz()));
        colamd::order(
            &mut fwd,
            &mut inv,
            sym,
            Default::default(),
            MemStack::new(&mut buf),
        )
        .expect("COLAMD ordering of the Newton matrix");
        (fwd, inv)
    }

    /// Factorises with the current column order (AMD's); where that fails or its factors hold
    /// more than `colamd_trial_fill` times the matrix's entries, also with COLAMD's, and keeps
    /// the order whose factors have fewer entries (AMD's on a tie), its factors in `faer_lu`.
    fn choose_ordering(&mut self) -> bool {
        let amd = self.pivot_search().then(|| self.factor_entries());
        let limit = self.colamd_trial_fill * self.a.inner()[0].compute_nnz() as f64;
        if amd.is_some_and(|e| e as f64 <= limit) {
            return true;
        }
        let (mut fwd, mut inv) = self.colamd_order();
        let swap = |f: &mut Self, fwd: &mut Vec<usize>, inv: &mut Vec<usize>| {
            std::mem::swap(&mut f.col_fwd, fwd);
            std::mem::swap(&mut f.col_inv, inv);
        };
        swap(self, &mut fwd, &mut inv);
        let colamd = self.pivot_search().then(|| self.factor_entries());
        let keep_colamd = match (amd, colamd) {
            (Some(a), Some(c)) => c < a,
            (None, Some(_)) => true,
            _ => false,
        };
        if keep_colamd {
            return true;
        }
        swap(self, &mut fwd, &mut inv);
        amd.is_some() && self.pivot_search()
    }

    /// Refactorise on the kept pivot sequence; false when a pivot is too small.
    ///
    /// A multiplier U(k, j) that is exactly zero (an entry of the pattern whose term is off in
    /// the running mode, or whose fill cancels) skips its column update, which would subtract
    /// zeros: the factors are the same.
    fn refactor(&mut self) -> bool {
        let a = self.a.inner()[0].as_ref();
        let n = self.diag.len();
        let Self {
            x,
            l,
            u,
            diag,
            col_fwd,
            row_inv,
            ..
        } = self;
        for j in 0..n {
            let c = col_fwd[j];
            for (&r, &v) in a.row_idx_of_col_raw(c).iter().zip(a.val_of_col(c)) {
                x[row_inv[r]] += v;
            }
            let ur = u.col(j);
            for (&k, ukj_out) in u.row[ur.clone()].iter().zip(&mut u.val[ur]) {
                let ukj = x[k];
                x[k] = 0.0;
                *ukj_out = ukj;
                if ukj != 0.0 {
                    let lr = l.col(k);
                    for (&i, &lik) in l.row[lr.clone()].iter().zip(&l.val[lr]) {
                        x[i] -= lik * ukj;
                    }
                }
            }
            let d = x[j];
            x[j] = 0.0;
            let lr = l.col(j);
            let largest = l.row[lr.clone()]
                .iter()
                .fold(0.0f64, |m, &i| m.max(x[i].abs()));
            let accepted = d.is_finite() && d.abs() >= PIVOT_THRESHOLD * largest && d != 0.0;
            if !accepted {
                // leave the work vector clean for the next use
                for &i in &l.row[lr] {
                    x[i] = 0.0;
                }
                return false;
            }
            diag[j] = d;
            let inv = d.recip();
            for (&i, lij) in l.row[lr.clone()].iter().zip(&mut l.val[lr]) {
                *lij = x[i] * inv;
                x[i] = 0.0;
            }
        }
        self.refactored += 1;
        true
    }

    /// Solve A z = b (or A^T z = b) in place.
    fn solve(&self, b: &mut [f64], transpose: bool) {
        let n = self.diag.len();
        let mut work = self.work.borrow_mut();
        let x = work.as_mut_slice();
        if !transpose {
            // P D A Q = L U:  z = Q U^-1 L^-1 P D b
            for (xk, &r) in x.iter_mut().zip(&self.row_fwd) {
                *xk = b[r] * self.row_scale[r];
            }
            for j in 0..n {
                let xj = x[j];
                if xj != 0.0 {
                    for (i, l) in self.l.entries(j) {
                        x[i] -= l * xj;
                    }
                }
            }
            for j in (0..n).rev() {
                let xj = x[j] / self.diag[j];
                x[j] = xj;
                if xj != 0.0 {
                    for (k, u) in self.u.entries(j) {
                        x[k] -= u * xj;
                    }
                }
            }
            for (&xj, &c) in x.iter().zip(&self.col_fwd) {
                b[c] = xj;
            }
        } else {
            // (D A)^T = Q U^T L^T P^T:  z = D P^T L^-T U^-T Q^T b
            for (xj, &c) in x.iter_mut().zip(&self.col_fwd) {
                *xj = b[c];
            }
            for j in 0..n {
                let s: f64 = self.u.entries(j).map(|(k, u)| u * x[k]).sum();
                x[j] = (x[j] - s) / self.diag[j];
            }
            for j in (0..n).rev() {
                let s: f64 = self.l.entries(j).map(|(i, l)| l * x[i]).sum();
                x[j] -= s;
            }
            for (&xk, &r) in x.iter().zip(&self.row_fwd) {
                b[r] = xk * self.row_scale[r];
            }
        }
    }
}

impl SparseLu {
    /// A solver that takes its factors from `cache` when their sparsity pattern is the one it
    /// is given, and leaves them there when dropped. Every step change and every consistent
    /// initialisation builds a new Newton solver on the same pattern; sharing spares each the
    /// column ordering and the pivot search (refactorisation on the kept pivot sequence, which
    /// the pivot test still guards).
    pub fn sharing(cache: &FactorCache) -> Self {
        Self {
            f: None,
            cache: Some(cache.clone()),
        }
    }

    fn solve_impl(&self, b: &mut V, transpose: bool) -> Result<(), LaError> {
        let f = self
            .f
            .as_ref()
            .filter(|f| f.have_pattern)
            .ok_or(LaError::LinearSolverError(
                diffsol_la::error::LinearSolverError::LuSolveFailed,
            ))?;
        let data = b.inner_mut();
        let col = data.col_mut(0).try_as_col_major_mut().expect("contiguous");
        f.solve(col.as_slice_mut(), transpose);
        Ok(())
    }
}

impl LinearSolver<FaerSparseMat<f64>> for SparseLu {
    fn set_linearisation<
        C: LinearOp<V = V, T = f64, M = FaerSparseMat<f64>, C = diffsol::FaerContext>,
    >(
        &mut self,
        op: &C,
    ) {
        let f = self
            .f
            .as_mut()
            .expect("set_sparsity before set_linearisation");
        op.matrix_inplace(&mut f.a);
        f.factorise();
    }

    fn set_sparsity<
        C: LinearOp<V = V, T = f64, M = FaerSparseMat<f64>, C = diffsol::FaerContext>,
    >(
        &mut self,
        op: &C,
    ) {
        let sparsity = op.sparsity();
        // factors kept on this pattern are taken as they are; a new matrix only for a new one
        let kept = self.cache.as_ref().and_then(|c| {
            let pattern = sparsity.as_ref()?.as_ref();
            let mut kept = c.0.borrow_mut();
            let i = kept
                .iter()
                .position(|f| same_pattern(f.a.inner()[0].symbolic(), pattern))?;
            Some(Box::new(kept.swap_remove(i)))
        });
        self.f = Some(kept.unwrap_or_else(|| {
            Box::new(Factors::new(FaerSparseMat::<f64>::new_from_sparsity(
                op.nrows(),
                op.ncols(),
                sparsity,
                *op.context(),
            )))
        }));
    }

    fn solve_in_place(&self, b: &mut V) -> Result<(), LaError> {
        self.solve_impl(b, false)
    }

    fn solve_transpose_in_place(&self, b: &mut V) -> Result<(), LaError> {
        self.solve_impl(b, true)
    }
}

impl Drop for SparseLu {
    fn drop(&mut self) {
        if let (Some(cache), Some(f)) = (&self.cache, self.f.take()) {
            let mut kept = cache.0.borrow_mut();
            kept.retain(|g| !same_pattern(g.a.inner()[0].symbolic(), f.a.inner()[0].symbolic()));
            kept.push(*f);
        }
    }
}

/// Whether two sparsity patterns are the same (shape, column pointers and row indices).
fn same_pattern(
    a: faer::sparse::SymbolicSparseColMatRef<'_, usize>,
    b: faer::sparse::SymbolicSparseColMatRef<'_, usize>,
) -> bool {
    a.nrows() == b.nrows()
        && a.ncols() == b.ncols()
        && a.col_ptr() == b.col_ptr()
        && a.row_idx() == b.row_idx()
}

#[cfg(test)]
mod tests {
    use super::*;
    use diffsol::FaerContext;

    /// A sparse test matrix of order n: a tridiagonal band, a dense last row and column (like
    /// the cell current's coupling) and a few scattered entries; `seed` varies the values.
    fn triplets(n: usize, seed: u64) -> Vec<(usize, usize, f64)> {
        let mut state = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 11) as f64 / (1u64 << 53) as f64) - 0.5
        };
        let mut t = Vec::new();
        for i in 0..n {
            t.push((i, i, 0.2 * next()));
            if i + 1 < n {
                t.push((i + 1, i, next()));
                t.push((i, i + 1, next()));
                t.push((n - 1, i, next()));
                t.push((i, n - 1, next()));
            }
            if i % 7 == 3 && i + 5 < n {
                t.push((i + 5, i, next()));
            }
        }
        t
    }

    fn matrix(n: usize, t: Vec<(usize, usize, f64)>) -> FaerSparseMat<f64> {
        let (indices, values) = t.into_iter().map(|(i, j, v)| ((i, j), v)).unzip();
        FaerSparseMat::<f64>::try_from_triplets(n, n, indices, values, FaerContext::default())
            .expect("matrix")
    }

    fn factors(n: usize, seed: u64) -> Factors {
        Factors::new(matrix(n, triplets(n, seed)))
    }

    /// Move the values of `f.a` a fraction `w` of the way to those of seed `seed` (same
    /// pattern): w = 1 is a new random matrix, small w a nearby one as between Newton setups.
    fn set_values(f: &mut Factors, seed: u64, w: f64) {
        let n = f.diag.len();
        let other = matrix(n, triplets(n, seed));
        for (v, &s) in f.a.inner_mut()[0]
            .val_mut()
            .iter_mut()
            .zip(other.inner()[0].val())
        {
            *v += w * (s - *v);
        }
    }

    /// Componentwise backward error of z (Oettli–Prager): max_i |A z - b|_i / (|A| |z| + |b|)_i,
    /// ~n eps for a backward-stable solve whatever the scaling of A's rows.
    fn residual(a: &FaerSparseMat<f64>, z: &[f64], b: &[f64], transpose: bool) -> f64 {
        let a = a.inner()[0].as_ref();
        let mut r = b.to_vec();
        let mut scale: Vec<f64> = b.iter().map(|v| v.abs()).collect();
        for j in 0..a.ncols() {
            for (&i, &v) in a.row_idx_of_col_raw(j).iter().zip(a.val_of_col(j)) {
                let (row, col) = if transpose { (j, i) } else { (i, j) };
                r[row] -= v * z[col];
                scale[row] += (v * z[col]).abs();
            }
        }
        r.iter()
            .zip(&scale)
            .fold(0.0f64, |m, (r, s)| m.max(r.abs() / s))
    }

    /// `f` solves A z = b and A^T z = b to round-off for the matrix `f` holds (unscaled).
    fn check_solves(f: &Factors) {
        check_solves_of(f, &f.a)
    }

    fn check_solves_of(f: &Factors, a: &FaerSparseMat<f64>) {
        let n = f.diag.len();
        for transpose in [false, true] {
            let b: Vec<f64> = (0..n).map(|i| 1.0 + (i as f64 * 0.37).sin()).collect();
            let mut z = b.clone();
            f.solve(&mut z, transpose);
            let r = residual(a, &z, &b, transpose);
            assert!(r < 1e-12, "transpose {transpose}: backward error {r}");
        }
    }

    /// The first pivot search keeps AMD's column order where its factors fill in at most
    /// `colamd_trial_fill` times the matrix's entries (COLAMD is not computed), and otherwise
    /// the order (AMD or COLAMD) whose factors have fewer entries; the factors it keeps solve
    /// to round-off.
    #[test]
    fn the_first_pivot_search_keeps_the_sparser_ordering() {
        let n = 80;
        let mut differ = 0;
        for seed in 1..6 {
            let entries_with = |colamd: bool| {
                let mut f = factors(n, seed);
                f.ordering_open = false;
                if colamd {
                    (f.col_fwd, f.col_inv) = f.colamd_order();
                }
                assert!(f.factor_full());
                check_solves(&f);
                f.factor_entries()
            };
            let (amd, colamd) = (entries_with(false), entries_with(true));
            differ += usize::from(amd != colamd);
            let nnz = factors(n, seed).a.inner()[0].compute_nnz() as f64;
            // half an entry below and above the fill of AMD's factors
            let (below, above) = ((amd as f64 - 0.5) / nnz, (amd as f64 + 0.5) / nnz);
            for (trial, kept) in [
                (0.0, amd.min(colamd)),
                (below, amd.min(colamd)),
                (above, amd),
                (f64::INFINITY, amd),
            ] {
                let mut f = factors(n, seed);
                f.colamd_trial_fill = trial;
                assert!(f.factor_full());
                assert!(!f.ordering_open);
                assert_eq!(f.factor_entries(), kept, "seed {seed}, trial fill {trial}");
                check_solves(&f);
            }
        }
        // the test matrices give the two orderings factors of different sizes
        assert!(differ > 0);
    }

    /// A refactorisation on the kept pivot sequence solves a matrix of new values on the same
    /// pattern to round-off, both A z = b and A^T z = b; nearby matrices are refactorised,
    /// and random ones are solved as accurately whichever path they take.
    #[test]
    fn refactorised_factors_solve_new_values_to_round_off() {
        for (w, at_least) in [(0.05, 10), (1.0, 0)] {
            let mut f = factors(60, 1);
            assert!(f.factor_full());
            check_solves(&f);
            let mut refactored = 0;
            for seed in 2..12 {
                set_values(&mut f, seed, w);
                if f.refactor() {
                    refactored += 1;
                } else {
                    assert!(f.factor_full());
                }
                check_solves(&f);
            }
            assert_eq!(f.refactored, refactored);
            assert!(
                refactored >= at_least,
                "w {w}: {refactored} of 10 refactorised"
            );
        }
    }

    /// A matrix as the linear operator a solver is given.
    struct Given(FaerSparseMat<f64>);

    impl LinearOp for Given {
        type T = f64;
        type V = V;
        type M = FaerSparseMat<f64>;
        type C = FaerContext;
        fn nrows(&self) -> usize {
            self.0.nrows()
        }
        fn ncols(&self) -> usize {
            self.0.ncols()
        }
        fn context(&self) -> &FaerContext {
            self.0.context()
        }
        fn matrix_inplace(&self, y: &mut FaerSparseMat<f64>) {
            y.copy_from(&self.0);
        }
        fn sparsity(&self) -> Option<<FaerSparseMat<f64> as Matrix>::Sparsity> {
            Some(
                self.0.inner()[0]
                    .symbolic()
                    .to_owned()
                    .expect("symbolic pattern"),
            )
        }
    }

    /// Solvers that share a cache hand their factors on: the next one on the same pattern
    /// refactorises on the kept pivot sequence (no pivot search), another pattern gets factors
    /// of its own, both are kept, and a solver without a cache keeps nothing.
    #[test]
    fn solvers_sharing_a_cache_hand_on_their_pivot_sequence() {
        let cache = FactorCache::default();
        let factorise = |lu: &mut SparseLu, a: &Given| {
            lu.set_sparsity(a);
            lu.set_linearisation(a);
            let f = lu.f.as_ref().expect("factors");
            check_solves_of(f, &a.0);
            (f.full, f.refactored)
        };
        let first = Given(matrix(40, triplets(40, 1)));
        {
            let mut lu = SparseLu::sharing(&cache);
            assert_eq!(factorise(&mut lu, &first), (1, 0));
        }
        // the same pattern, other values: the next solver refactorises on the kept sequence
        let mut t = triplets(40, 1);
        t.iter_mut().for_each(|(_, _, v)| *v *= 3.0);
        let second = Given(matrix(40, t));
        let mut lu = SparseLu::sharing(&cache);
        assert_eq!(factorise(&mut lu, &second), (1, 1));
        // another pattern (the algebraic block of a consistent initialisation) gets its own
        // factors while the first are held, and both are kept for the next solvers
        {
            let mut other = SparseLu::sharing(&cache);
            let block = Given(matrix(25, triplets(25, 4)));
            assert_eq!(factorise(&mut other, &block), (1, 0));
        }
        drop(lu);
        assert_eq!(cache.0.borrow().len(), 2);
        // a solver without a cache keeps nothing
        let mut alone = SparseLu::default();
        assert_eq!(factorise(&mut alone, &first), (1, 0));
        drop(alone);
        assert_eq!(cache.0.borrow().len(), 2);
    }

    /// A pivot that has become small relative to its column is refused, and the full
    /// factorisation that follows picks the other row.
    #[test]
    fn a_vanishing_pivot_sends_the_matrix_back_to_the_pivot_search() {
        // [[1, 1], [0.5, 1]] pivots on row 0; [[1e-6, 1], [1, 1]] needs row 1
        let a = matrix(2, vec![(0, 0, 1.0), (1, 0, 0.5), (0, 1, 1.0), (1, 1, 1.0)]);
        let mut f = Factors::new(a);
        assert!(f.factor_full());
        check_solves(&f);
        let first_row = f.row_fwd[0];
        f.a.inner_mut()[0]
            .val_mut()
            .copy_from_slice(&[1e-6, 1.0, 1.0, 1.0]);
        assert!(!f.refactor(), "a pivot of 1e-6 against 1 was accepted");
        assert!(f.factor_full());
        assert_ne!(f.row_fwd[0], first_row);
        check_solves(&f);
        assert_eq!((f.full, f.refactored), (2, 0));
    }

    /// Rows multiplied as a whole, as the algebraic rows of M - gamma J are by the step size,
    /// keep the pivot sequence: the equilibrated matrix is the same, so it is refactorised,
    /// and the solves are those of the scaled matrix. Without the equilibration the pivots in
    /// the scaled rows fall to 1e-6 of their columns and are refused.
    #[test]
    fn rows_scaled_as_a_whole_keep_the_pivot_sequence() {
        let n = 60;
        let original = triplets(n, 1);
        let mut f = Factors::new(matrix(n, original.clone()));
        f.factorise();
        check_solves_of(&f, &matrix(n, original.clone()));
        let scaled: Vec<_> = original
            .iter()
            .map(|&(i, j, v)| (i, j, if i % 3 == 0 { 1e-6 * v } else { v }))
            .collect();
        let reference = matrix(n, scaled);
        f.a.inner_mut()[0]
            .val_mut()
            .copy_from_slice(reference.inner()[0].val());
        f.factorise();
        assert_eq!((f.full, f.refactored), (1, 1));
        check_solves_of(&f, &reference);
    }
}
