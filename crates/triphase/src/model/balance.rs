//! Inventories of the conserved elements and the metal-loss ledger, derived from the species
//! and reaction tables ([`crate::chemistry`]): a new gas or corrosion reaction is counted by
//! these balances without any change here.
//!
//! Every element is held in tracked forms only:
//!
//! - dissolved gases, less what was drawn from the gas phase (uptake), plus what the counter
//!   electrode of a symmetric cell consumed;
//! - SEI constituents: each corrosion product together with the by-products formed with it
//!   (H2 with MOH, C with M2CO3), in the stoichiometry of its reaction;
//! - the discharge product: n metal atoms and one O2 per O2 it holds;
//! - the parasitic deposit: 2 metal atoms and nu_O2 O2 per unit; a unit oxidised on charge
//!   releases one CO2 (counted in the dissolved CO2 where CO2 is transported, its C from the
//!   untracked solvent) and its O goes to that CO2 and to the solvent (singlet O2), so the
//!   oxidised units enter each total with those atoms;
//! - the carbon's carbonate (option `carbon_oxidation`): 2 metal atoms and 3 O per unit; a
//!   unit oxidised releases one CO2 (as the deposit's; its C from the untracked carbon) and
//!   its O stays counted with the units formed;
//! - metal only: connected metal, dissolved cations, 2 per parasitic deposit unit, the organic
//!   SEI (m per unit), dead metal and the counter electrode's net gain.
//!
//! Each total is constant in time; the conservation tests check every element of every
//! transported gas.

use crate::chemistry::Tables;
use crate::params::Gas;

use super::{anode, electrolyte_loss, symmetric, Model};

impl Model {
    /// Amount of dissolved gas `i` (index in `layout.gases`) [mol.m-2].
    pub fn dissolved(&self, y: &[f64], i: usize) -> f64 {
        (0..self.mesh.len())
            .map(|k| y[self.layout.gas_at(i, k)] * self.mesh.dx[k])
            .sum()
    }

    /// SEI constituent `s` [mol.m-2]: the corrosion product of gas `Gas::ALL[s]`, or the
    /// organic SEI (s = number of reactions); 0 without the interface submodel.
    pub fn sei_amount(&self, y: &[f64], s: usize) -> f64 {
        self.layout.sei.as_ref().map_or(0.0, |r| y[r.start + s])
    }

    /// The SEI constituents [mol.m-2] by formula (corrosion products of the metal, then
    /// "organic").
    pub fn sei_composition(&self, y: &[f64]) -> Vec<(String, f64)> {
        let mut v: Vec<(String, f64)> = self
            .reactions
            .iter()
            .enumerate()
            .map(|(s, r)| (r.product.clone(), self.sei_amount(y, s)))
            .collect();
        v.push((
            "organic".into(),
            self.sei_amount(y, anode::sei::organic(self)),
        ));
        v
    }

    /// By-products of corrosion [mol.m-2] by formula (H2 from water, C from CO2): each
    /// reaction's by-products in proportion to its SEI product.
    pub fn byproducts(&self, y: &[f64]) -> std::collections::BTreeMap<String, f64> {
        let mut out = std::collections::BTreeMap::new();
        for (s, r) in self.reactions.iter().enumerate() {
            for b in &r.byproducts {
                *out.entry(b.formula.clone()).or_insert(0.0) +=
                    self.sei_amount(y, s) * b.per_gas / r.product_per_gas;
            }
        }
        out
    }

    /// Metal consumed by the corrosion of each gas [mol.m-2] (its SEI product times the metal
    /// atoms it holds; for O2 less the product that crossed superoxide formed, whose metal is
    /// the ledger `superoxide`).
    pub fn corrosion_losses(&self, y: &[f64]) -> Vec<(Gas, f64)> {
        let crossed = self.superoxide_crossed(y);
        self.reactions
            .iter()
            .enumerate()
            .map(|(s, r)| {
                let own = if r.gas == Gas::O2 {
                    self.sei_amount(y, s) - crossed * r.product_per_gas
                } else {
                    self.sei_amount(y, s)
                };
                (r.gas, own * r.metal_per_product())
            })
            .collect()
    }

    /// Dissolved superoxide that reached the metal [mol.m-2] (0 without it).
    pub fn superoxide_crossed(&self, y: &[f64]) -> f64 {
        self.layout.superoxide_crossed.map_or(0.0, |i| y[i])
    }

    /// Metal consumed by dissolved superoxide crossing to it [mol.m-2]: m_O2 - 1 per
    /// superoxide (see [`super::superoxide`]).
    pub fn superoxide_metal_loss(&self, y: &[f64]) -> f64 {
        self.superoxide_crossed(y) * (self.reactions[Gas::O2.index()].metal_per_gas - 1.0)
    }

    /// Dissolved superoxide [mol.m-2] and the product its decay left in the separator, in O2
    /// units [mol.m-2] (0 without the option).
    pub fn superoxide_amounts(&self, y: &[f64]) -> (f64, f64) {
        // per-volume states from volume 0 on, integrated over their volumes
        let per_area = |r: &Option<std::ops::Range<usize>>| {
            r.clone().map_or(0.0, |r| {
                r.enumerate().map(|(k, i)| y[i] * self.mesh.dx[k]).sum()
            })
        };
        let l = &self.layout;
        (per_area(&l.superoxide), per_area(&l.superoxide_deposit))
    }

    /// Names of the entries of [`Model::metal_losses`], in order.
    pub fn metal_loss_names(&self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = self.reactions.iter().map(|r| r.gas.name()).collect();
        v.extend(["solvent", "shuttle", "superoxide", "dead"]);
        v
    }

    /// Metal lost to each mechanism [mol.m-2]: corrosion by each gas, SEI from solvent, the
    /// mediator shuttle, crossed superoxide, dead metal (named as in [`Model::metal_loss_names`]).
    pub fn metal_losses(&self, y: &[f64]) -> Vec<(&'static str, f64)> {
        let mut v: Vec<(&'static str, f64)> = self
            .corrosion_losses(y)
            .into_iter()
            .map(|(g, x)| (g.name(), x))
            .collect();
        v.push((
            "solvent",
            self.sei_amount(y, anode::sei::organic(self)) * self.params.sei.metal_per_organic,
        ));
        v.push(("shuttle", self.layout.shuttle.map_or(0.0, |i| y[i])));
        v.push(("superoxide", self.superoxide_metal_loss(y)));
        v.push(("dead", self.layout.dead.map_or(0.0, |i| y[i])));
        v
    }

    /// Charge balance at the metal electrode between states `a` and `b` [mol.m-2]: the metal
    /// that left the inventory electrochemically (inventory lost less what the loss mechanisms
    /// took) minus the charge passed over F. Zero to the solver tolerance: the metal leaves the
    /// electrode only by stripping and by the loss mechanisms.
    pub fn charge_balance_drift(&self, a: &[f64], b: &[f64]) -> f64 {
        let l = &self.layout;
        let lost = |y: &[f64]| self.metal_losses(y).iter().map(|(_, x)| x).sum::<f64>();
        let stripped = a[l.metal] - b[l.metal] - (lost(b) - lost(a));
        // a half cell's reference face also exchanges anions: cations in - anions in = Q/F
        let anions_in = l.reservoir_anions.map_or(0.0, |i| b[i] - a[i]);
        stripped - anions_in - (b[l.charge] - a[l.charge]) / crate::constants::FARADAY
    }

    /// Metal thickness consumed by gas corrosion \[m\] (per projected area).
    pub fn corrosion_depth(&self, y: &[f64]) -> f64 {
        (self.corrosion_losses(y).iter().map(|(_, x)| x).sum::<f64>()
            + self.superoxide_metal_loss(y))
            * self.params.anode.metal_molar_volume
    }

    /// The elements whose inventories the model conserves: the metal, then every element of
    /// the transported gases, sorted.
    pub fn conserved_elements(&self) -> Vec<String> {
        let tables = Tables::builtin();
        let mut v: Vec<String> = self
            .layout
            .gases
            .iter()
            .filter_map(|g| tables.species(g.name()))
            .flat_map(|s| s.composition.keys().cloned())
            .collect();
        v.sort();
        v.dedup();
        v.insert(0, self.metal.symbol().to_string());
        v
    }

    /// Gas number `i` (in `layout.gases`) drawn from the gas phase so far [mol.m-2]: its uptake
    /// ledger, less (for O2) what supersaturated cathode volumes vented back.
    pub fn gas_drawn(&self, y: &[f64], i: usize) -> f64 {
        super::gases::drawn(self, y, i)
    }

    /// Partial pressure of gas number `i` in a sealed headspace \[Pa\] (`None` when the gas phase
    /// has a fixed composition).
    pub fn headspace_pressure(&self, y: &[f64], i: usize) -> Option<f64> {
        (self.options.gas_boundary == super::GasBoundary::Headspace)
            .then(|| super::gases::partial_pressure(self, y, i))
    }

    /// Inventory of `element` (a symbol: "Li", "O", "H"...) in every tracked form
    /// [mol.m-2]; constant in time (see the module documentation).
    pub fn element_balance(&self, y: &[f64], element: &str) -> f64 {
        let tables = Tables::builtin();
        let l = &self.layout;
        let counter = symmetric::counter_corrosion(self, y);
        let mut total = 0.0;
        for (i, gas) in l.gases.iter().enumerate() {
            let atoms = tables.species(gas.name()).map_or(0.0, |s| s.atoms(element));
            total += atoms * (self.dissolved(y, i) - self.gas_drawn(y, i) + counter[i]);
        }
        for (s, r) in self.reactions.iter().enumerate() {
            total += self.sei_amount(y, s) * r.atoms_per_product(element);
        }
        // carbonate oxidised on charge: its CO2 joins the dissolved CO2 where CO2 is
        // transported (its C came from the solvent, untracked); the O2 every deposit unit took
        // stays counted, whether the unit is there or left as CO2 and singlet O2
        if l.gas_index(Gas::CO2).is_some() {
            let atoms = tables
                .species(Gas::CO2.name())
                .map_or(0.0, |s| s.atoms(element));
            total -= atoms
                * (super::cathode::carbonate::co2_evolved(self, y)
                    + super::cathode::carbon_oxidation::co2_evolved(self, y));
        }
        let product_o2 = self.product_o2(y);
        // dissolved superoxide holds one metal atom and one O2; its decay's product in the
        // separator n metal atoms and one O2 per O2 unit
        let (superoxide, superoxide_deposit) = self.superoxide_amounts(y);
        if element == "O" {
            total += 2.0
                * (product_o2
                    + superoxide
                    + superoxide_deposit
                    + self.params.cathode.parasitic_o2_per_unit * self.parasitic_deposit_formed(y))
                // the carbon's carbonate: its three O came from the product, whether the unit
                // is there or left as CO2 and singlet O2
                + 3.0 * super::cathode::carbon_oxidation::formed(self, y);
        }
        if element == self.metal.symbol() {
            let salt: f64 = (0..self.mesh.len())
                .map(|k| y[l.salt.start + k] * self.mesh.dx[k])
                .sum();
            // the shuttle's metal ends up as cations, already in `salt`; the cations the
            // background oxidation released are not the metal's
            total += y[l.metal] - super::cathode::electrolyte_oxidation::electrons(self, y)
                + salt
                + self.params.cathode.electrons_per_o2 * (product_o2 + superoxide_deposit)
                + superoxide
                + 2.0 * self.parasitic_deposit(y)
                + 2.0 * super::cathode::carbon_oxidation::present(self, y)
                + self.sei_amount(y, anode::sei::organic(self)) * self.params.sei.metal_per_organic
                + l.dead.map_or(0.0, |i| y[i])
                + self.counter_metal(y);
        }
        total
    }

    /// Symmetric cells: the counter electrode's net metal gain plus the metal in its corrosion
    /// products [mol.m-2] (0 otherwise).
    pub fn counter_metal(&self, y: &[f64]) -> f64 {
        self.layout
            .counter
            .as_ref()
            .map_or(0.0, |c| y[c.metal] + self.counter_metal_loss(y))
    }

    /// Symmetric cells: metal of the counter electrode consumed by corrosion [mol.m-2].
    pub fn counter_metal_loss(&self, y: &[f64]) -> f64 {
        symmetric::counter_corrosion(self, y)
            .iter()
            .zip(&self.layout.gases)
            .map(|(j, gas)| j * self.reactions[gas.index()].metal_per_gas)
            .sum()
    }

    /// Thickness of the dense inner SEI \[m\]: from its composition with the interface
    /// submodel, else the initial thickness.
    pub fn sei_thickness(&self, y: &[f64]) -> f64 {
        if self.layout.sei.is_some() {
            anode::sei::thicknesses(self, y).sei
        } else {
            self.params.sei.initial_thickness
        }
    }

    /// Ionic resistance of the metal's surface layers (dense SEI, corrosion scale, protective
    /// layer) per projected area [Ohm.m2] (0 without the interface submodel, which carries
    /// them).
    pub fn anode_layer_resistance(&self, y: &[f64]) -> f64 {
        if self.layout.sei.is_some() {
            anode::sei::resistance(self, y)
        } else {
            0.0
        }
    }

    /// Thickness of the porous outer corrosion scale \[m\] (0 without the interface submodel).
    pub fn scale_thickness(&self, y: &[f64]) -> f64 {
        if self.layout.sei.is_some() {
            anode::sei::thicknesses(self, y).scale
        } else {
            0.0
        }
    }

    /// Solvent left as a fraction of the initial inventory [-] (1 without electrolyte loss).
    pub fn electrolyte_remaining_fraction(&self, y: &[f64]) -> f64 {
        electrolyte_loss::solvent_remaining(self, y)
            / electrolyte_loss::initial_solvent(&self.params)
    }

    /// Parasitic (Li2CO3-like) deposit in the cathode [mol.m-2] (0 without the option).
    pub fn parasitic_deposit(&self, y: &[f64]) -> f64 {
        let v = self.params.cathode.parasitic_molar_volume;
        self.layout.side_product.as_ref().map_or(0.0, |r| {
            (0..self.mesh.n_cat)
                .map(|j| y[r.start + j] / v * self.mesh.dx[self.cat(j)])
                .sum()
        })
    }

    /// Parasitic deposit formed so far [mol.m-2]: the deposit left plus the units oxidised to
    /// CO2 on charge (each took its solvent molecule and its O2 when it formed).
    pub fn parasitic_deposit_formed(&self, y: &[f64]) -> f64 {
        self.parasitic_deposit(y) + super::cathode::carbonate::co2_evolved(self, y)
    }

    /// Metal inventory in every form [mol.m-2] (see [`Model::element_balance`]).
    pub fn metal_balance(&self, y: &[f64]) -> f64 {
        self.element_balance(y, self.metal.symbol())
    }

    /// Oxygen atoms in every form, in O2 equivalents [mol.m-2] (constant).
    pub fn oxygen_balance(&self, y: &[f64]) -> f64 {
        0.5 * self.element_balance(y, "O")
    }

    /// Share of the discharge product that grew as particles rather than film [-] (None
    /// without a film state, i.e. all film, or without product: below 1e-9 of the cathode's
    /// pore volume, the round-off a full charge leaves, the ratio means nothing).
    pub fn particle_share(&self, y: &[f64]) -> Option<f64> {
        let film = self.layout.film.as_ref()?;
        let (mut f, mut p) = (0.0, 0.0);
        for j in 0..self.mesh.n_cat {
            let dx = self.mesh.dx[self.cat(j)];
            f += y[film.start + j] * dx;
            p += y[self.layout.product.start + j] * dx;
        }
        (p > self.product_round_off()).then(|| 1.0 - f / p)
    }

    /// Product below which ratios over it mean nothing [m3.m-2 of electrode]: 1e-9 of the
    /// cathode's pore volume, above the round-off a full charge leaves (~1e-14 per volume).
    pub fn product_round_off(&self) -> f64 {
        let g = &self.params.geometry;
        1e-9 * g.cathode_porosity * g.cathode_thickness
    }

    /// O2 held in the discharge product [mol.m-2].
    pub fn product_o2(&self, y: &[f64]) -> f64 {
        let l = &self.layout;
        let vp = self.params.cathode.product_molar_volume;
        (0..self.mesh.n_cat)
            .map(|j| y[l.product.start + j] / vp * self.mesh.dx[self.cat(j)])
            .sum()
    }
}
