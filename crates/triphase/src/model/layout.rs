//! Where each state variable sits in the solver's state vector.

use std::ops::Range;

/// Whether a state has a time derivative (mass 1) or is algebraic (mass 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateKind {
    /// Appears with its time derivative.
    Differential,
    /// Determined by an algebraic constraint.
    Algebraic,
}

/// Index ranges of the state variables.
///
/// Blocks (n = control volumes, n_c = cathode control volumes):
/// salt content eps*c_e (n, diff), electrolyte potential (n, alg), O2 content eps*c_O2 (n,
/// diff), solid potential (n_c, alg), product volume fraction (n_c, diff), cathode reaction
/// current per carbon area (n_c, alg), metal inventory (1, diff), applied current density (1,
/// alg), O2 drawn from the gas (1, diff), charge passed (1, diff).
#[derive(Debug, Clone)]
pub struct Layout {
    /// Salt per electrode volume eps c_e [mol.m-3].
    pub salt: Range<usize>,
    /// Electrolyte potential phi_e [V].
    pub phi_e: Range<usize>,
    /// Dissolved O2 per electrode volume eps c_O2 [mol.m-3].
    pub o2: Range<usize>,
    /// Solid (carbon) potential phi_s [V].
    pub phi_s: Range<usize>,
    /// Discharge product volume fraction eps_p [-].
    pub product: Range<usize>,
    /// Cathode reaction current per carbon area i_c [A.m-2] (positive = oxidation).
    pub reaction: Range<usize>,
    /// Metal inventory n_M [mol.m-2].
    pub metal: usize,
    /// Applied current density i_app [A.m-2] (positive = discharge).
    pub current: usize,
    /// Cumulative O2 drawn from the gas n_O2 [mol.m-2].
    pub o2_uptake: usize,
    /// Cumulative charge passed Q [C.m-2] (positive = discharge).
    pub charge: usize,
    /// Total number of states.
    pub len: usize,
}

impl Layout {
    /// Layout for `n` control volumes of which the last `n_cat` are cathode.
    pub fn new(n: usize, n_cat: usize) -> Self {
        let mut next = 0;
        let mut block = |len: usize| {
            let r = next..next + len;
            next += len;
            r
        };
        let salt = block(n);
        let phi_e = block(n);
        let o2 = block(n);
        let phi_s = block(n_cat);
        let product = block(n_cat);
        let reaction = block(n_cat);
        let metal = block(1).start;
        let current = block(1).start;
        let o2_uptake = block(1).start;
        let charge = block(1).start;
        Self {
            salt,
            phi_e,
            o2,
            phi_s,
            product,
            reaction,
            metal,
            current,
            o2_uptake,
            charge,
            len: next,
        }
    }

    /// Kind of state `i`.
    pub fn kind(&self, i: usize) -> StateKind {
        let algebraic = self.phi_e.contains(&i)
            || self.phi_s.contains(&i)
            || self.reaction.contains(&i)
            || i == self.current;
        if algebraic {
            StateKind::Algebraic
        } else {
            StateKind::Differential
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_contiguous_and_complete() {
        let l = Layout::new(12, 8);
        assert_eq!(l.len, 3 * 12 + 3 * 8 + 4);
        assert_eq!(l.salt.start, 0);
        assert_eq!(l.reaction.end, l.metal);
        assert_eq!(l.charge + 1, l.len);
        let alg = (0..l.len)
            .filter(|&i| l.kind(i) == StateKind::Algebraic)
            .count();
        assert_eq!(alg, 12 + 8 + 8 + 1);
    }
}
