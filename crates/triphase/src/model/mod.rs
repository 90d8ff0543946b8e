//! The pseudo-1D metal–air cell model: a semi-explicit index-1 DAE M dy/dt = f(y).
//!
//! The residual is assembled from submodels, one per mechanism, each in its own file:
//!
//! | submodel | file | states | equations |
//! |---|---|---|---|
//! | electrolyte | [`electrolyte`] | eps c_e, phi_e | salt balance, charge conservation |
//! | dissolved gases | [`gases`] | eps c_g, uptake | gas balances, Henry boundary |
//! | cathode kinetics | [`cathode::kinetics`] | i_c, eps_p | Butler–Volmer with film, product growth |
//! | cathode solid | [`cathode::solid`] | phi_s | electron conservation |
//! | metal anode | [`anode::plating`] | n_M | Butler–Volmer at x = 0, inventory |
//! | operating mode | [`operating`] | i_app, Q | applied current, charge ledger |
//! | SEI and protective layer | [`anode::sei`] | SEI composition, cracked fraction | growth, cracking, healing |
//! | corrosion | [`anode::corrosion`] | (SEI composition) | gas fluxes into the metal |
//! | dead metal, dendrites | [`anode::morphology`] | n_dead, L_d | isolation, tip growth |
//! | electrolyte loss | [`electrolyte_loss`] | n_solvent | SEI consumption, evaporation |
//! | counter electrode (symmetric cells) | [`symmetric`] | phi_C, metal, corrosion | Butler–Volmer at x = L_s, edge gas access |
//!
//! Submodels communicate through the [`Workspace`]: per-volume properties and face fluxes are
//! filled first, then each submodel writes the rows of the states it owns. Anode-interface
//! mechanisms (crossover, corrosion, SEI) plug in at the x = 0 boundary fluxes the anode sets.
//! All functions are generic over [`Scalar`] so the Jacobian-vector product is exact.

pub mod anode;
pub mod cathode;
pub mod electrolyte;
pub mod electrolyte_loss;
pub mod events;
pub mod gases;
pub mod layout;
pub mod mediator;
pub mod operating;
pub mod symmetric;
pub mod transport;

use crate::cell::{Cell as CellConfig, CellType, ModelOptions};
use crate::constants::FARADAY;
use crate::mesh::Mesh;
use crate::params::Parameters;
use crate::scalar::Scalar;
use cathode::passivation::FilmResistance;
use cathode::structure::Structure;
pub use layout::{Layout, StateKind};
pub use operating::{Control, OperatingMode};

/// Conserved elements checked by [`Model::element_balance`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Element {
    /// The anode metal (Li).
    Metal,
    /// Oxygen atoms.
    Oxygen,
    /// Carbon atoms (from CO2).
    Carbon,
    /// Hydrogen atoms (from H2O).
    Hydrogen,
    /// Nitrogen atoms (from N2).
    Nitrogen,
}

/// The discretised cell model.
#[derive(Debug, Clone)]
pub struct Model {
    /// Parameters (SI).
    pub params: Parameters,
    /// The anode metal (names the corrosion products).
    pub metal: crate::params::Metal,
    /// Submodel switches.
    pub options: ModelOptions,
    /// Finite-volume mesh.
    pub mesh: Mesh,
    /// State-vector layout.
    pub layout: Layout,
    /// Operating mode and cut-offs of the current experiment step.
    pub control: Control,
    pub(crate) structure: Structure,
    pub(crate) film: FilmResistance,
    /// F/(RT) [V-1].
    pub(crate) f: f64,
    /// Effective conductivity of the carbon, sigma (1 - eps_c0)^b [S.m-1].
    pub(crate) sigma_eff: f64,
}

/// Scratch space for one residual evaluation (no allocation in the hot loop).
#[derive(Debug, Clone)]
pub struct Workspace<T> {
    /// Porosity of each control volume.
    pub eps: Vec<T>,
    /// Salt concentration c_e [mol.m-3].
    pub c_e: Vec<T>,
    /// ln c_e.
    pub ln_c: Vec<T>,
    /// Dissolved gas concentrations [mol.m-3], gas-major (gas i volume k at i n + k).
    pub c_gas: Vec<T>,
    /// Effective salt diffusivity [m2.s-1].
    pub d_e: Vec<T>,
    /// Effective ionic conductivity [S.m-1].
    pub kappa: Vec<T>,
    /// Effective gas diffusivities [m2.s-1], gas-major.
    pub d_gas: Vec<T>,
    /// Ionic current density on faces 0..=n [A.m-2].
    pub i_e: Vec<T>,
    /// Cation molar flux on faces [mol.m-2.s-1].
    pub n_salt: Vec<T>,
    /// Gas molar fluxes on faces [mol.m-2.s-1], gas-major (gas i face f at i (n+1) + f).
    pub n_gas: Vec<T>,
    /// Volumetric reaction current a i_c in each control volume [A.m-3] (0 in separator).
    pub source: Vec<T>,
    /// Part of `source` that forms the discharge product (all of it without parasitic loss).
    pub product_source: Vec<T>,
    /// Liquid fraction of the pores [-] (1 without electrolyte loss).
    pub liquid: T,
    /// SEI thickness [m].
    pub sei_thickness: T,
    /// Cracked SEI fraction [-].
    pub crack: T,
    /// Ionic resistance of the anode surface layers [Ohm.m2].
    pub r_anode: T,
    /// Corrosion flux of each transported gas into the metal [mol.m-2.s-1].
    pub corrosion: Vec<T>,
    /// Solvent consumed by SEI growth [mol.m-2.s-1].
    pub solvent_consumption: T,
    /// Mediator concentrations, reduced (0..n) then oxidised (n..2n) [mol.m-3].
    pub c_rm: Vec<T>,
    /// Effective mediator diffusivity per volume [m2.s-1].
    pub d_rm: Vec<T>,
    /// Mediator fluxes on faces, reduced (0..=n) then oxidised (n+1..=2n+1) [mol.m-2.s-1].
    pub n_rm: Vec<T>,
    /// Volumetric RM oxidation current a i_RM [A.m-3] (0 without mediator).
    pub rm_current: Vec<T>,
    /// Volumetric rate of RM+ reacting with the product [mol.m-3.s-1].
    pub rm_chem: Vec<T>,
    /// RM+ flux into the metal (shuttle) [mol.m-2.s-1].
    pub shuttle: T,
}

impl<T: Scalar> Workspace<T> {
    /// Scratch space for `n` control volumes and `n_gas` transported gases.
    pub fn new(n: usize, n_gas: usize) -> Self {
        let z = T::from(0.0);
        Self {
            eps: vec![z; n],
            c_e: vec![z; n],
            ln_c: vec![z; n],
            c_gas: vec![z; n * n_gas],
            d_e: vec![z; n],
            kappa: vec![z; n],
            d_gas: vec![z; n * n_gas],
            i_e: vec![z; n + 1],
            n_salt: vec![z; n + 1],
            n_gas: vec![z; (n + 1) * n_gas],
            source: vec![z; n],
            product_source: vec![z; n],
            liquid: T::from(1.0),
            sei_thickness: z,
            crack: z,
            r_anode: z,
            corrosion: vec![z; n_gas],
            solvent_consumption: z,
            c_rm: vec![z; 2 * n],
            d_rm: vec![z; n],
            n_rm: vec![z; 2 * (n + 1)],
            rm_current: vec![z; n],
            rm_chem: vec![z; n],
            shuttle: z,
        }
    }

    /// Scratch space sized for `model`.
    pub fn for_model(model: &Model) -> Self {
        Self::new(model.mesh.len(), model.layout.gases.len())
    }
}

impl Model {
    /// Discretises a cell.
    pub fn new(cell: &CellConfig) -> Self {
        let p = cell.params.clone();
        let mut spec = cell.mesh;
        if cell.cell_type == CellType::Symmetric {
            // metal | separator | metal: no porous cathode
            spec.cathode = 0;
        }
        let mesh = Mesh::new(spec, &p.geometry);
        let layout = Layout::new(mesh.len(), mesh.n_cat, &cell.options, cell.cell_type);
        let f = FARADAY / (crate::constants::GAS_CONSTANT * p.temperature);
        let sigma_eff =
            p.cathode.conductivity * (1.0 - p.geometry.cathode_porosity).powf(p.geometry.bruggeman);
        Self {
            structure: Structure::new(&p),
            film: FilmResistance::new(cell.options.passivation, &p),
            options: cell.options.clone(),
            control: Control::default(),
            params: p,
            metal: cell.metal,
            mesh,
            layout,
            f,
            sigma_eff,
        }
    }

    /// Whether this is a symmetric metal | metal cell (it has a counter electrode).
    pub fn is_symmetric(&self) -> bool {
        self.layout.counter.is_some()
    }

    /// Number of states.
    pub fn len(&self) -> usize {
        self.layout.len
    }

    /// Whether the model has no state (never).
    pub fn is_empty(&self) -> bool {
        self.layout.len == 0
    }

    /// Global control-volume index of cathode volume `j`.
    #[inline]
    pub(crate) fn cat(&self, j: usize) -> usize {
        self.mesh.n_sep + j
    }

    /// Solid deposit volume fraction of cathode volume `j`: discharge product plus parasitic
    /// deposit. It sets porosity, active area and film thickness.
    #[inline]
    pub fn deposit<T: Scalar>(&self, y: &[T], j: usize) -> T {
        let e = y[self.layout.product.start + j];
        match &self.layout.side_product {
            Some(r) => e + y[r.start + j],
            None => e,
        }
    }

    /// Fills per-volume properties from the state.
    pub(crate) fn fill_volumes<T: Scalar>(&self, y: &[T], ws: &mut Workspace<T>) {
        let p = &self.params;
        let l = &self.layout;
        let b = p.geometry.bruggeman;
        let n = self.mesh.len();
        if let Some(i) = l.solvent {
            ws.liquid = electrolyte_loss::liquid_fraction(p, y[i]);
        }
        for k in 0..n {
            let pore = if k < self.mesh.n_sep {
                T::from(p.geometry.separator_porosity)
            } else {
                self.structure
                    .porosity(self.deposit(y, k - self.mesh.n_sep))
            };
            let eps = if l.solvent.is_some() {
                pore * ws.liquid
            } else {
                pore
            };
            ws.eps[k] = eps;
            ws.c_e[k] = y[l.salt.start + k] / eps;
            ws.ln_c[k] = crate::scalar::floor(ws.c_e[k], 1e-12).ln();
            // one power per volume; every effective property scales with eps^b (Bruggeman)
            let eps_b = eps.powf(b);
            // separator membranes slow ions (solid electrolytes) and gases (blocking films)
            let (ionic, gas_block) = if k < self.mesh.n_sep {
                (
                    p.geometry.separator_ionic_resistance,
                    p.geometry.separator_gas_blocking,
                )
            } else {
                (1.0, 1.0)
            };
            ws.d_e[k] = eps_b * (p.electrolyte.diffusivity / ionic);
            ws.kappa[k] = eps_b * (p.electrolyte.conductivity / ionic);
            for (i, gas) in l.gases.iter().enumerate() {
                ws.c_gas[i * n + k] = y[l.gas_at(i, k)] / eps;
                ws.d_gas[i * n + k] = eps_b * (p.gas_diffusivity(*gas) / gas_block);
            }
        }
    }

    /// Right-hand side f(y) of M dy/dt = f(y): time derivatives in differential rows,
    /// residuals in algebraic rows.
    pub fn residual<T: Scalar>(&self, y: &[T], ws: &mut Workspace<T>, out: &mut [T]) {
        self.fill_volumes(y, ws);
        electrolyte::interior_fluxes(self, y, ws);
        gases::fluxes(self, ws);
        ws.solvent_consumption = T::from(0.0);
        // the surface layer's resistance enters the plating kinetics; plating sets the metal
        // row, which corrosion, SEI growth and dead metal then reduce
        if self.layout.sei.is_some() {
            anode::sei::layer(self, y, ws);
        }
        anode::plating::boundary(self, y, ws, out);
        if self.layout.sei.is_some() {
            anode::corrosion::residual(self, ws, out);
            anode::sei::residual(self, y, ws, out);
        }
        anode::morphology::residual(self, y, ws, out);
        symmetric::counter_electrode(self, y, ws, out);
        cathode::kinetics::residual(self, y, ws, out);
        if self.layout.mediator.is_some() {
            mediator::reactions(self, y, ws);
        }
        cathode::solid::residual(self, y, ws, out);
        electrolyte::residual(self, ws, out);
        gases::residual(self, ws, out);
        if self.is_symmetric() {
            symmetric::edge_exchange(self, ws, out);
        }
        if self.layout.mediator.is_some() {
            mediator::residual(self, ws, out);
        }
        electrolyte_loss::residual(self, ws, out);
        operating::residual(self, y, out);
    }

    /// Mass-matrix diagonal: 1 for differential states, 0 for algebraic ones.
    pub fn mass_diagonal(&self) -> Vec<f64> {
        (0..self.len())
            .map(|i| match self.layout.kind(i) {
                StateKind::Differential => 1.0,
                StateKind::Algebraic => 0.0,
            })
            .collect()
    }

    /// Terminal voltage V = phi_s(L) [V]: the last solid potential less the half-volume drop to
    /// the current collector at the gas side; in a symmetric cell the counter electrode's
    /// potential phi_C.
    pub fn voltage<T: Scalar>(&self, y: &[T]) -> T {
        let l = &self.layout;
        if let Some(c) = &l.counter {
            return y[c.potential];
        }
        let last = self.mesh.len() - 1;
        y[l.phi_s.end - 1] - y[l.current] * (self.mesh.dx[last] / (2.0 * self.sigma_eff))
    }

    /// Initial state: rest concentrations, fresh metal, and potential guesses that the
    /// consistent initialisation then corrects.
    pub fn initial_state(&self) -> Vec<f64> {
        let p = &self.params;
        let l = &self.layout;
        let mut y = vec![0.0; self.len()];
        let i_app = self.control.mode().current_guess();
        let c0 = p.electrolyte.initial_concentration;
        let csat = p.o2_saturation();
        let eps_p0 = p.cathode.initial_product_fraction;
        for k in 0..self.mesh.len() {
            let eps = if k < self.mesh.n_sep {
                p.geometry.separator_porosity
            } else {
                self.structure.porosity(eps_p0)
            };
            y[l.salt.start + k] = eps * c0;
            // saturated with O2, free of the other gases (assembled dry, under argon)
            y[l.o2.start + k] = eps * csat;
        }
        if let Some(i) = l.solvent {
            y[i] = electrolyte_loss::initial_solvent(p);
        }
        if let Some(r) = l.mediator.clone() {
            // all reduced at the start
            for k in 0..self.mesh.len() {
                y[r.start + k] = y[l.salt.start + k] / c0 * p.mediator.concentration;
            }
        }
        let area_total = self.structure.active_area(eps_p0) * p.geometry.cathode_thickness;
        for j in 0..self.mesh.n_cat {
            y[l.product.start + j] = eps_p0;
            y[l.reaction.start + j] = -i_app / area_total;
        }
        y[l.metal] = p.initial_metal_inventory();
        y[l.current] = i_app;
        cathode::kinetics::guess_solid_potential(self, &mut y, i_app == 0.0);
        // an anode above the metal's potential (alloys) lowers every potential by U_a
        let u_a = p.anode.open_circuit_potential;
        for i in l.phi_e.clone().chain(l.phi_s.clone()) {
            y[i] -= u_a;
        }
        symmetric::align_counter(self, &mut y);
        y
    }

    /// Starting guess for the algebraic states after the operating mode changed to the current
    /// one; the consistent initialisation then solves them exactly.
    ///
    /// The applied current takes its new value; the reaction currents are rescaled to carry it
    /// (or, when the sign flips, redistributed where product or carbon can take the reaction).
    pub fn guess_after_mode_change(&self, y: &mut [f64]) {
        let l = &self.layout;
        let i_old = y[l.current];
        let i_new = self
            .control
            .mode()
            .current_guess_from(self.voltage(y), y[l.current]);
        y[l.current] = i_new;
        let same_sign = i_old != 0.0 && i_old.signum() == i_new.signum();
        anode::plating::align_potentials(self, y);
        if same_sign {
            for j in l.reaction.clone() {
                y[j] *= i_new / i_old;
            }
        } else {
            self.redistribute_reaction(i_new, y);
        }
        cathode::kinetics::guess_solid_potential(self, y, i_new == 0.0);
        symmetric::align_counter(self, y);
    }

    fn redistribute_reaction(&self, i_new: f64, y: &mut [f64]) {
        let l = &self.layout;
        // weight: product volume on charge, open carbon area on discharge
        let weights: Vec<(f64, f64)> = (0..self.mesh.n_cat)
            .map(|j| {
                let eps_p = y[l.product.start + j];
                let area = self.structure.active_area(self.deposit(y, j));
                (
                    if i_new < 0.0 { eps_p } else { area },
                    area * self.mesh.dx[self.cat(j)],
                )
            })
            .collect();
        let total: f64 = weights.iter().map(|(w, a)| w * a).sum();
        for (j, (w, _)) in weights.iter().enumerate() {
            y[l.reaction.start + j] = if total > 0.0 { -i_new * w / total } else { 0.0 };
        }
    }

    /// Absolute tolerances per state, scaled to each variable's magnitude.
    pub fn absolute_tolerances(&self, scale: f64) -> Vec<f64> {
        let p = &self.params;
        let l = &self.layout;
        let mut atol = vec![0.0; self.len()];
        let set = |atol: &mut Vec<f64>, r: std::ops::Range<usize>, v: f64| {
            atol[r].iter_mut().for_each(|a| *a = v * scale)
        };
        set(
            &mut atol,
            l.salt.clone(),
            1e-6 * p.electrolyte.initial_concentration,
        );
        set(&mut atol, l.phi_e.clone(), 1e-6);
        for (i, gas) in l.gases.iter().enumerate() {
            let scale = if i == 0 {
                p.o2_saturation()
            } else {
                p.saturation(*gas).max(1e-3)
            };
            let r = l.gas_at(i, 0)..l.gas_at(i, 0) + l.n;
            set(&mut atol, r, 1e-6 * scale);
        }
        set(&mut atol, l.phi_s.clone(), 1e-6);
        set(&mut atol, l.product.clone(), 1e-8);
        set(
            &mut atol,
            l.reaction.clone(),
            1e-6 * p.cathode.exchange_current_density,
        );
        atol[l.metal] = 1e-8 * p.initial_metal_inventory() * scale;
        atol[l.current] = 1e-8 * scale;
        atol[l.o2_uptake] = 1e-9 * scale;
        atol[l.charge] = 1e-3 * scale;
        for i in l.gas_uptake.clone() {
            atol[i] = 1e-9 * scale;
        }
        if let Some(r) = l.sei.clone() {
            set(&mut atol, r, 1e-12);
        }
        for i in [l.crack, l.dendrite].into_iter().flatten() {
            atol[i] = 1e-9 * scale;
        }
        if let Some(i) = l.dead {
            atol[i] = 1e-10 * p.initial_metal_inventory() * scale;
        }
        if let Some(i) = l.solvent {
            atol[i] = 1e-8 * electrolyte_loss::initial_solvent(p) * scale;
        }
        if let Some(r) = l.mediator.clone() {
            set(&mut atol, r, 1e-6 * p.mediator.concentration.max(1e-3));
        }
        if let Some(i) = l.shuttle {
            atol[i] = 1e-10 * p.initial_metal_inventory() * scale;
        }
        if let Some(r) = l.side_product.clone() {
            set(&mut atol, r, 1e-8);
        }
        if let Some(c) = &l.counter {
            atol[c.potential] = 1e-6 * scale;
            atol[c.metal] = 1e-8 * p.initial_metal_inventory() * scale;
            set(&mut atol, c.corrosion.clone(), 1e-12);
            if let Some(d) = c.dendrite {
                atol[d] = 1e-9 * scale;
            }
        }
        atol
    }

    /// Amount of dissolved gas `i` (index in `layout.gases`) [mol.m-2].
    pub fn dissolved(&self, y: &[f64], i: usize) -> f64 {
        (0..self.mesh.len())
            .map(|k| y[self.layout.gas_at(i, k)] * self.mesh.dx[k])
            .sum()
    }

    /// SEI constituent amount [mol.m-2] (0 without the interface submodel).
    pub fn sei_amount(&self, y: &[f64], s: layout::SeiSpecies) -> f64 {
        self.layout
            .sei
            .as_ref()
            .map_or(0.0, |r| y[r.start + s as usize])
    }

    /// Metal lost to each mechanism [mol.m-2]: corrosion by each gas, SEI from solvent, dead.
    pub fn metal_losses(&self, y: &[f64]) -> Vec<(&'static str, f64)> {
        use crate::params::Gas;
        use layout::SeiSpecies as S;
        let per = |s: S, gas: Gas| {
            self.sei_amount(y, s) * anode::corrosion::metal_per_gas(&self.params.corrosion, gas)
                / anode::corrosion::product_per_gas(&self.params.corrosion, gas)
        };
        vec![
            ("O2", per(S::Oxide, Gas::O2)),
            ("H2O", per(S::Hydroxide, Gas::H2O)),
            ("CO2", per(S::Carbonate, Gas::CO2)),
            ("N2", per(S::Nitride, Gas::N2)),
            (
                "solvent",
                self.sei_amount(y, S::Organic) * self.params.sei.metal_per_organic,
            ),
            ("shuttle", self.layout.shuttle.map_or(0.0, |i| y[i])),
            ("dead", self.layout.dead.map_or(0.0, |i| y[i])),
        ]
    }

    /// Inventory of an element in every tracked form [mol.m-2]; constant in time.
    ///
    /// - metal: connected metal + losses (dead, in the SEI) + dissolved cations + n x product
    ///   plus 2 x parasitic deposit (metal taken by the mediator shuttle is among the cations);
    ///   in a symmetric cell also the counter electrode's gain and its corrosion products
    /// - O, C, H, N atoms: dissolved gases + discharge product + SEI constituents + by-products
    ///   (H2 = LiOH/2, C = Li2CO3/2) - gas drawn from the gas phase
    pub fn element_balance(&self, y: &[f64], element: Element) -> f64 {
        use crate::params::Gas;
        use layout::SeiSpecies as S;
        let l = &self.layout;
        let dissolved = |gas: Gas| l.gas_index(gas).map_or(0.0, |i| self.dissolved(y, i));
        let uptake = |gas: Gas| l.gas_index(gas).map_or(0.0, |i| y[l.uptake_of(i)]);
        let sei = |s: S| self.sei_amount(y, s);
        // gas held by the counter electrode's corrosion products (symmetric cells)
        let counter = symmetric::counter_corrosion(self, y);
        let at_counter = |gas: Gas| l.gas_index(gas).map_or(0.0, |i| counter[i]);
        match element {
            Element::Metal => {
                let salt: f64 = (0..self.mesh.len())
                    .map(|k| y[l.salt.start + k] * self.mesh.dx[k])
                    .sum();
                // the shuttle's metal ends up as cations, already in `salt`
                let losses: f64 = self
                    .metal_losses(y)
                    .iter()
                    .filter(|(k, _)| *k != "shuttle")
                    .map(|(_, v)| v)
                    .sum();
                y[l.metal]
                    + salt
                    + self.params.cathode.electrons_per_o2 * self.product_o2(y)
                    + 2.0 * self.parasitic_deposit(y)
                    + losses
                    + self.counter_metal(y)
            }
            Element::Oxygen => {
                2.0 * (dissolved(Gas::O2) + self.product_o2(y) - uptake(Gas::O2))
                    + (dissolved(Gas::H2O) - uptake(Gas::H2O))
                    + 2.0 * (dissolved(Gas::CO2) - uptake(Gas::CO2))
                    + self.params.corrosion.oxide_oxygen_atoms * sei(S::Oxide)
                    + sei(S::Hydroxide)
                    + 3.0 * sei(S::Carbonate)
                    + 2.0 * at_counter(Gas::O2)
                    + at_counter(Gas::H2O)
                    + 2.0 * at_counter(Gas::CO2)
            }
            Element::Carbon => {
                dissolved(Gas::CO2) - uptake(Gas::CO2)
                    + 1.5 * sei(S::Carbonate)
                    + at_counter(Gas::CO2)
            }
            Element::Hydrogen => {
                2.0 * (dissolved(Gas::H2O) - uptake(Gas::H2O))
                    + 2.0 * sei(S::Hydroxide)
                    + 2.0 * at_counter(Gas::H2O)
            }
            Element::Nitrogen => {
                2.0 * (dissolved(Gas::N2) - uptake(Gas::N2))
                    + sei(S::Nitride)
                    + 2.0 * at_counter(Gas::N2)
            }
        }
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
        let c = &self.params.corrosion;
        symmetric::counter_corrosion(self, y)
            .iter()
            .zip(&self.layout.gases)
            .map(|(j, gas)| j * anode::corrosion::metal_per_gas(c, *gas))
            .sum()
    }

    /// SEI thickness [m]: from its composition with the interface submodel, else the initial
    /// thickness.
    pub fn sei_thickness(&self, y: &[f64]) -> f64 {
        if self.layout.sei.is_some() {
            anode::sei::thickness(self, y)
        } else {
            self.params.sei.initial_thickness
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

    /// Metal inventory in every form [mol.m-2] (see [`Model::element_balance`]).
    pub fn metal_balance(&self, y: &[f64]) -> f64 {
        self.element_balance(y, Element::Metal)
    }

    /// Oxygen atoms in every form, in O2 equivalents [mol.m-2] (constant).
    pub fn oxygen_balance(&self, y: &[f64]) -> f64 {
        0.5 * self.element_balance(y, Element::Oxygen)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::Dual64;

    /// The dual-number Jacobian-vector product agrees with central differences.
    #[test]
    fn jvp_matches_finite_differences() {
        let cell = crate::cell::Cell::default_cell();
        let model = Model::new(&cell);
        model.control.set_mode(OperatingMode::Current(1.0));
        let mut y = model.initial_state();
        // move away from the symmetric initial guess so every term is exercised
        for (i, v) in y.iter_mut().enumerate() {
            *v *= 1.0 + 1e-3 * ((i % 7) as f64 - 3.0);
        }
        for j in model.layout.product.clone() {
            y[j] = 0.05;
        }
        let n = model.len();
        let v: Vec<f64> = (0..n).map(|i| ((i * 37 % 11) as f64 - 5.0) / 5.0).collect();
        let mut ws_d = Workspace::<Dual64>::for_model(&model);
        let yd: Vec<Dual64> = y.iter().zip(&v).map(|(a, b)| Dual64::new(*a, *b)).collect();
        let mut outd = vec![Dual64::from(0.0); n];
        model.residual(&yd, &mut ws_d, &mut outd);

        let mut ws = Workspace::<f64>::for_model(&model);
        let h = 1e-7;
        let eval = |s: f64, ws: &mut Workspace<f64>| {
            let yp: Vec<f64> = y
                .iter()
                .zip(&v)
                .map(|(a, b)| a + s * b * h * a.abs().max(1e-3))
                .collect();
            let mut o = vec![0.0; n];
            model.residual(&yp, ws, &mut o);
            o
        };
        // use a per-entry scaled direction for the finite difference
        let vs: Vec<f64> = y
            .iter()
            .zip(&v)
            .map(|(a, b)| b * a.abs().max(1e-3))
            .collect();
        let yd: Vec<Dual64> = y
            .iter()
            .zip(&vs)
            .map(|(a, b)| Dual64::new(*a, *b))
            .collect();
        model.residual(&yd, &mut ws_d, &mut outd);
        let fp = eval(1.0, &mut ws);
        let fm = eval(-1.0, &mut ws);
        for i in 0..n {
            let fd = (fp[i] - fm[i]) / (2.0 * h);
            let ad = outd[i].eps;
            // floor: round-off of a central difference on O(1) residuals with h = 1e-7
            let scale = fd.abs().max(ad.abs()).max(1e-4);
            assert!((fd - ad).abs() / scale < 1e-4, "row {i}: fd {fd} ad {ad}");
        }
    }
}
