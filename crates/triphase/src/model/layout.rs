//! Where each state variable sits in the solver's state vector.
//!
//! Submodels that are switched off have no states, so the foundation model is reproduced
//! exactly (same states, same equations, same error control) when every option is off.

use std::ops::Range;

use super::options::{CellType, ModelOptions};
use crate::params::Gas;

/// Whether a state has a time derivative (mass 1) or is algebraic (mass 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateKind {
    /// Appears with its time derivative.
    Differential,
    /// Determined by an algebraic constraint.
    Algebraic,
}

/// States of the counter electrode of a symmetric cell (see [`crate::model::symmetric`]).
#[derive(Debug, Clone)]
pub struct CounterStates {
    /// Potential of the counter electrode phi_B \[V\] (algebraic; the cell voltage).
    pub potential: usize,
    /// Net metal gained by the counter electrode since the start [mol.m-2].
    pub metal: usize,
    /// Gas consumed by corrosion of the counter electrode [mol.m-2], one per transported gas.
    pub corrosion: Range<usize>,
    /// Dendrite length on the counter electrode \[m\] (with the `dendrites` option).
    pub dendrite: Option<usize>,
}

/// Index ranges of the state variables.
///
/// Always present (n = control volumes, n_c = cathode volumes, n_g = transported gases):
/// salt content eps*c_e (n, diff), electrolyte potential (n, alg), dissolved gas contents
/// eps*c_g (n x n_g, diff, O2 first), solid potential (n_c, alg), product volume fraction (n_c,
/// diff), cathode charge-transfer overpotential (n_c, alg), metal inventory (diff), applied
/// current density (alg), O2 drawn from the gas (diff), charge passed (diff), energy delivered
/// (diff), other gases drawn
/// from the gas (n_g - 1, diff). Optional: SEI constituents (5, diff), cracked SEI fraction,
/// dead metal, dendrite length, solvent inventory (diff each), the product's film part (n_c,
/// diff), and the blocks documented on their fields.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Salt per electrode volume eps c_e [mol.m-3].
    pub salt: Range<usize>,
    /// Electrolyte potential phi_e \[V\].
    pub phi_e: Range<usize>,
    /// Transported gases, O2 first.
    pub gases: Vec<Gas>,
    /// Dissolved gas per electrode volume, gas-major: gas i volume k at `gas.start + i n + k`.
    pub gas: Range<usize>,
    /// Dissolved O2 per electrode volume eps c_O2 [mol.m-3] (first block of `gas`).
    pub o2: Range<usize>,
    /// Solid (carbon) potential phi_s \[V\].
    pub phi_s: Range<usize>,
    /// Discharge product volume fraction eps_p [-].
    pub product: Range<usize>,
    /// The part of the product that grew as a film, eps_f [-] per cathode volume (option
    /// `product_growth = "film-and-particles"` with a passivating film; without it all the
    /// product is film).
    pub film: Option<Range<usize>>,
    /// Coverage of the product's surface by the interfacial carbonate, theta [-] per cathode
    /// volume (option `interface_carbonate`).
    pub interface_carbonate: Option<Range<usize>>,
    /// Charge-transfer overpotential of the cathode reaction eta \[V\] per cathode volume (the
    /// reaction current follows from it; positive = oxidation).
    pub overpotential: Range<usize>,
    /// Metal inventory n_M [mol.m-2] (electrically connected metal).
    pub metal: usize,
    /// Applied current density i_app [A.m-2] (positive = discharge).
    pub current: usize,
    /// Cumulative O2 drawn from the gas n_O2 [mol.m-2].
    pub o2_uptake: usize,
    /// Cumulative charge passed Q [C.m-2] (positive = discharge).
    pub charge: usize,
    /// Cumulative energy delivered W [J.m-2] (positive = discharge): dW/dt = i_app V.
    pub energy: usize,
    /// Cumulative uptake of the other transported gases [mol.m-2] (order of `gases[1..]`).
    pub gas_uptake: Range<usize>,
    /// SEI constituents [mol.m-2]: the corrosion product of each gas in [`Gas::ALL`] order,
    /// then the organic SEI.
    pub sei: Option<Range<usize>>,
    /// Cracked fraction of the SEI [-].
    pub crack: Option<usize>,
    /// Volume of dense SEI shed off the metal by stripping, per projected area [m3.m-2] (with
    /// the interface submodel; see [`super::anode::sei`]).
    pub sei_shed: Option<usize>,
    /// Dead (isolated) metal [mol.m-2].
    pub dead: Option<usize>,
    /// Dendrite length \[m\].
    pub dendrite: Option<usize>,
    /// Solvent inventory [mol.m-2].
    pub solvent: Option<usize>,
    /// Redox mediator per electrode volume, eps c [mol.m-3]: reduced form in volumes 0..n,
    /// oxidised form in n..2n.
    pub mediator: Option<Range<usize>>,
    /// Metal consumed by the mediator shuttle [mol.m-2].
    pub shuttle: Option<usize>,
    /// Dissolved superoxide per volume, eps c [mol.m-3] (option `dissolved_superoxide`).
    pub superoxide: Option<Range<usize>>,
    /// Product formed by the superoxide's decay in each separator volume, in O2 units per
    /// electrode volume [mol.m-3] (with `superoxide`; one per volume, like
    /// `electrolyte_oxidation`).
    pub superoxide_deposit: Option<Range<usize>>,
    /// Superoxide that reached the metal [mol.m-2] (with `superoxide` and the interface).
    pub superoxide_crossed: Option<usize>,
    /// Volume fraction of parasitic (Li2CO3-like) deposit per cathode volume [-].
    pub side_product: Option<Range<usize>>,
    /// Parasitic deposit oxidised on charge in each cathode volume, in deposit units (one CO2
    /// each) per electrode area [mol.m-2] (with `side_product`; one per volume like
    /// `electrolyte_oxidation`).
    pub carbonate_oxidised: Option<Range<usize>>,
    /// Carbonate that the carbon's own oxidation left on it, theta [-] in monolayers of the
    /// initial carbon area per cathode volume (option `carbon_oxidation`).
    pub carbon_carbonate: Option<Range<usize>>,
    /// Carbon carbonate formed so far in each cathode volume, in carbonate units (one carbon
    /// atom each) per electrode area [mol.m-2] (option `carbon_oxidation`; one per volume like
    /// `electrolyte_oxidation`). Formed less present is what oxidised to CO2.
    pub carbon_carbonate_formed: Option<Range<usize>>,
    /// Electrolyte oxidised by the background oxidation on the carbon of each cathode volume,
    /// as moles of electrons (and of non-metal cations released) per electrode area [mol.m-2]
    /// (one per volume: a single total would couple every volume in one Jacobian row, whose
    /// fill-in triples the cost of the sparse LU).
    pub electrolyte_oxidation: Range<usize>,
    /// O2 vented as gas from each supersaturated cathode volume [mol.m-2] (one per volume,
    /// like `electrolyte_oxidation`: a single total would couple every volume in one row).
    pub o2_vented: Range<usize>,
    /// Sealed headspace: running sums of `o2_vented` over the cathode volumes (algebraic,
    /// S_j = S_(j-1) + v_j): the last is the O2 vented into the headspace, reached through a
    /// chain of neighbours instead of one row that couples every volume.
    pub vent_total: Option<Range<usize>>,
    /// Half cells: anions taken in from the reference face [mol.m-2] (the charge balance
    /// counts them; see [`super::anode::reference`]).
    pub reservoir_anions: Option<usize>,
    /// Symmetric cells: the counter electrode at x = L.
    pub counter: Option<CounterStates>,
    /// Number of control volumes.
    pub n: usize,
    /// With the cathode double layer (option `double_layer`), the `phi_s` states hold
    /// phi_s - phi_e of their volume and are differential.
    pub double_layer: bool,
    /// Total number of states.
    pub len: usize,
}

impl Layout {
    /// Layout for `n` control volumes of which the last `n_cat` are cathode (none in a
    /// symmetric cell).
    pub fn new(n: usize, n_cat: usize, options: &ModelOptions, cell_type: CellType) -> Self {
        let gases = options.transported_gases();
        let mut next = 0;
        let mut block = |len: usize| {
            let r = next..next + len;
            next += len;
            r
        };
        let salt = block(n);
        let phi_e = block(n);
        let gas = block(n * gases.len());
        let phi_s = block(n_cat);
        let product = block(n_cat);
        let overpotential = block(n_cat);
        let metal = block(1).start;
        let current = block(1).start;
        let o2_uptake = block(1).start;
        let charge = block(1).start;
        let energy = block(1).start;
        let gas_uptake = block(gases.len() - 1);
        // one constituent per corrosion reaction (one per gas), then the organic SEI
        let sei = options.interface().then(|| block(Gas::ALL.len() + 1));
        let crack = options.sei_cracking.then(|| block(1).start);
        let sei_shed = options.interface().then(|| block(1).start);
        let dead = options.dead_metal.then(|| block(1).start);
        let dendrite = options.dendrites.then(|| block(1).start);
        let solvent = options.electrolyte_loss.then(|| block(1).start);
        let mediator = options.redox_mediator.then(|| block(2 * n));
        let shuttle = options.redox_mediator.then(|| block(1).start);
        let sup = options.dissolved_superoxide && cell_type == CellType::MetalAir && n_cat > 0;
        let superoxide = sup.then(|| block(n));
        let superoxide_deposit = sup.then(|| block(n - n_cat));
        let superoxide_crossed = (sup && options.interface()).then(|| block(1).start);
        let film = (options.film_state() && cell_type == CellType::MetalAir).then(|| block(n_cat));
        let interface_carbonate =
            (options.interface_carbonate && cell_type == CellType::MetalAir).then(|| block(n_cat));
        let side_product = options.parasitic.then(|| block(n_cat));
        let carbonate_oxidised = options.parasitic.then(|| block(n_cat));
        let carbon = options.carbon_oxidation && cell_type == CellType::MetalAir;
        let carbon_carbonate = carbon.then(|| block(n_cat));
        let carbon_carbonate_formed = carbon.then(|| block(n_cat));
        let electrolyte_oxidation = block(n_cat);
        let o2_vented = block(n_cat);
        let vent_total = (options.gas_boundary == super::GasBoundary::Headspace
            && cell_type == CellType::MetalAir)
            .then(|| block(n_cat));
        let reservoir_anions = options.half_cell.then(|| block(1).start);
        let counter = (cell_type == CellType::Symmetric).then(|| CounterStates {
            potential: block(1).start,
            metal: block(1).start,
            corrosion: block(gases.len()),
            dendrite: options.dendrites.then(|| block(1).start),
        });
        Self {
            salt,
            phi_e,
            o2: gas.start..gas.start + n,
            gases,
            gas,
            phi_s,
            product,
            film,
            interface_carbonate,
            overpotential,
            metal,
            current,
            o2_uptake,
            charge,
            energy,
            gas_uptake,
            sei,
            crack,
            sei_shed,
            dead,
            dendrite,
            solvent,
            mediator,
            shuttle,
            superoxide,
            superoxide_deposit,
            superoxide_crossed,
            side_product,
            carbonate_oxidised,
            carbon_carbonate,
            carbon_carbonate_formed,
            electrolyte_oxidation,
            o2_vented,
            vent_total,
            reservoir_anions,
            counter,
            n,
            double_layer: options.double_layer && n_cat > 0,
            len: next,
        }
    }

    /// Index of the dissolved-gas state of gas number `i` (in `gases`) in volume `k`.
    #[inline]
    pub fn gas_at(&self, i: usize, k: usize) -> usize {
        self.gas.start + i * self.n + k
    }

    /// Index of the uptake ledger of gas number `i` (in `gases`).
    #[inline]
    pub fn uptake_of(&self, i: usize) -> usize {
        if i == 0 {
            self.o2_uptake
        } else {
            self.gas_uptake.start + i - 1
        }
    }

    /// The states holding the product's film part per cathode volume: the film block, or the
    /// product itself where all of it is film.
    pub fn film_states(&self) -> Range<usize> {
        self.film.clone().unwrap_or(self.product.clone())
    }

    /// Position of `gas` in `gases`, if transported.
    pub fn gas_index(&self, gas: Gas) -> Option<usize> {
        self.gases.iter().position(|g| *g == gas)
    }

    /// The mesh volume each state belongs to (None for the states of the whole cell: the
    /// metal, the current, the ledgers, the SEI...) and the block it is part of: what the
    /// sparsity detection needs to probe many columns at once. Cathode blocks start at volume
    /// `n_sep`.
    pub fn locations(&self, n_sep: usize) -> Vec<Option<(usize, usize)>> {
        let mut at = vec![None; self.len];
        let n = self.n;
        let mut blocks: Vec<(usize, usize, usize)> = vec![
            (self.salt.start, 0, n),
            (self.phi_e.start, 0, n),
            (self.phi_s.start, n_sep, self.phi_s.len()),
            (self.product.start, n_sep, self.product.len()),
            (self.overpotential.start, n_sep, self.overpotential.len()),
            (
                self.electrolyte_oxidation.start,
                n_sep,
                self.electrolyte_oxidation.len(),
            ),
            (self.o2_vented.start, n_sep, self.o2_vented.len()),
        ];
        if let Some(r) = &self.vent_total {
            blocks.push((r.start, n_sep, r.len()));
        }
        for g in 0..self.gases.len() {
            blocks.push((self.gas.start + g * n, 0, n));
        }
        for r in [
            &self.film,
            &self.interface_carbonate,
            &self.side_product,
            &self.carbonate_oxidised,
            &self.carbon_carbonate,
            &self.carbon_carbonate_formed,
        ]
        .into_iter()
        .flatten()
        {
            blocks.push((r.start, n_sep, r.len()));
        }
        if let Some(r) = &self.mediator {
            blocks.push((r.start, 0, n));
            blocks.push((r.start + n, 0, n));
        }
        if let Some(r) = &self.superoxide {
            blocks.push((r.start, 0, n));
        }
        if let Some(r) = &self.superoxide_deposit {
            blocks.push((r.start, 0, r.len()));
        }
        for (b, (start, first, len)) in blocks.into_iter().enumerate() {
            for k in 0..len {
                at[start + k] = Some((first + k, b));
            }
        }
        at
    }

    /// The states their physics keeps non-negative, each range with what it holds:
    /// concentrations, volume fractions, inventories, a length. The robustness test checks
    /// them against their tolerance; the Jacobian is not taken at a predicted state that
    /// carries them below zero (see `solver::equations`).
    pub fn non_negative(&self) -> Vec<(Range<usize>, &'static str)> {
        let mut out = vec![
            (self.salt.clone(), "salt"),
            (self.gas.clone(), "dissolved gas"),
            (self.product.clone(), "product fraction"),
            (self.metal..self.metal + 1, "metal"),
        ];
        for (i, what) in [
            (self.crack, "cracked fraction"),
            (self.dead, "dead metal"),
            (self.dendrite, "dendrite length"),
            (self.solvent, "solvent"),
        ] {
            if let Some(i) = i {
                out.push((i..i + 1, what));
            }
        }
        for (r, what) in [
            (&self.sei, "SEI constituent"),
            (&self.mediator, "mediator"),
            (&self.superoxide, "dissolved superoxide"),
            (&self.superoxide_deposit, "superoxide deposit"),
            (&self.side_product, "parasitic deposit"),
            (&self.carbon_carbonate, "carbon carbonate"),
        ] {
            if let Some(r) = r {
                out.push((r.clone(), what));
            }
        }
        out
    }

    /// Kind of state `i`.
    pub fn kind(&self, i: usize) -> StateKind {
        let algebraic = self.phi_e.contains(&i)
            || (self.phi_s.contains(&i) && !self.double_layer)
            || self.overpotential.contains(&i)
            || i == self.current
            || self.counter.as_ref().is_some_and(|c| c.potential == i)
            || self.vent_total.as_ref().is_some_and(|r| r.contains(&i));
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
    fn foundation_blocks_are_contiguous_and_complete() {
        // with the carbon's double layer (the default) phi_s holds phi_s - phi_e and is
        // differential; without it phi_s is algebraic: 8 more algebraic states
        for double_layer in [true, false] {
            let o = ModelOptions {
                double_layer,
                ..ModelOptions::default().ideal_anode()
            };
            let l = Layout::new(12, 8, &o, CellType::MetalAir);
            assert_eq!(l.double_layer, double_layer);
            assert_eq!(l.len, 3 * 12 + 5 * 8 + 5);
            assert_eq!(l.salt.start, 0);
            assert_eq!(l.overpotential.end, l.metal);
            assert_eq!(l.electrolyte_oxidation, l.len - 16..l.len - 8);
            assert_eq!(l.o2_vented, l.len - 8..l.len);
            assert!(l.sei.is_none() && l.dead.is_none() && l.solvent.is_none());
            let alg = (0..l.len)
                .filter(|&i| l.kind(i) == StateKind::Algebraic)
                .count();
            let phi_s_alg = if double_layer { 0 } else { 8 };
            assert_eq!(alg, 12 + phi_s_alg + 8 + 1);
        }
    }

    #[test]
    fn optional_states_appear_with_their_options() {
        let o = ModelOptions {
            gases: vec![Gas::H2O, Gas::CO2, Gas::O2],
            corrosion: true,
            sei_cracking: true,
            dead_metal: true,
            dendrites: true,
            electrolyte_loss: true,
            ..ModelOptions::default().ideal_anode()
        };
        let l = Layout::new(10, 6, &o, CellType::MetalAir);
        assert_eq!(l.gases, vec![Gas::O2, Gas::H2O, Gas::CO2]);
        assert_eq!(l.gas.len(), 30);
        assert_eq!(l.gas_uptake.len(), 2);
        assert_eq!(l.sei.as_ref().unwrap().len(), 5);
        assert!(l.sei_shed.is_some());
        // 5 SEI constituents, the shed SEI, crack, dead metal, dendrite, solvent
        assert_eq!(l.len, 3 * 10 + 20 + 5 * 6 + 5 + 2 + 5 + 5);
        assert_eq!(l.uptake_of(0), l.o2_uptake);
        assert_eq!(l.uptake_of(2), l.gas_uptake.start + 1);
    }

    #[test]
    fn symmetric_cells_have_counter_states_and_no_cathode_blocks() {
        let o = ModelOptions {
            corrosion: true,
            dendrites: true,
            gases: vec![Gas::H2O],
            ..ModelOptions::default().ideal_anode()
        };
        let l = Layout::new(10, 0, &o, CellType::Symmetric);
        assert!(l.phi_s.is_empty() && l.product.is_empty() && l.overpotential.is_empty());
        let c = l.counter.clone().unwrap();
        assert_eq!(c.corrosion.len(), 2);
        assert!(c.dendrite.is_some());
        assert_eq!(l.kind(c.potential), StateKind::Algebraic);
        assert_eq!(l.kind(c.metal), StateKind::Differential);
        assert_eq!(c.dendrite.unwrap() + 1, l.len);
    }
}
