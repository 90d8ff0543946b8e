//! The pseudo-1D metal–air cell model: a semi-explicit index-1 DAE M dy/dt = f(y).
//!
//! The residual is assembled from submodels ([`Mechanism`]), one per mechanism, each in its
//! own file:
//!
//! | submodel | file | states | equations |
//! |---|---|---|---|
//! | electrolyte | [`electrolyte`] | eps c_e, phi_e | salt balance, charge conservation |
//! | dissolved gases | [`gases`] | eps c_g, uptake | gas balances, Henry boundary |
//! | cathode kinetics | [`cathode::kinetics`] | i_c, eps_p | Butler–Volmer with film, product growth |
//! | product morphology | [`cathode::growth`] | eps_f | film share of the product (film and particles) |
//! | cathode solid | [`cathode::solid`] | phi_s | electron conservation |
//! | metal anode | [`anode::plating`] | n_M | Butler–Volmer at x = 0, inventory |
//! | operating mode | [`operating`] | i_app, Q | applied current, charge ledger |
//! | SEI and protective layer | [`anode::sei`] | SEI composition, cracked fraction | growth, cracking, healing |
//! | corrosion | [`anode::corrosion`] | (SEI composition) | gas fluxes into the metal |
//! | dead metal, dendrites | [`anode::morphology`] | n_dead, L_d | isolation, tip growth |
//! | electrolyte loss | [`electrolyte_loss`] | n_solvent | SEI consumption, evaporation |
//! | redox mediator | [`mediator`] | eps c_RM, eps c_RM+, shuttle | transport, reactions, shuttle |
//! | dissolved superoxide | [`superoxide`] | eps c_s, separator deposit, crossed | solution route, decay, crossing to the metal |
//! | counter electrode (symmetric cells) | [`symmetric`] | phi_C, metal, corrosion | Butler–Volmer at x = L_s, edge gas access |
//!
//! The residual is evaluated in three phases ([`assembly`]): properties from the state, then
//! every mechanism writes its own rows and adds named sources and boundary fluxes
//! ([`Sources`]), then the shared rows are assembled once from the sources. Stoichiometry comes
//! from the reaction table ([`crate::chemistry`]); element balances and the metal-loss ledger
//! derive from it ([`balance`]). All functions are generic over [`Scalar`] so the
//! Jacobian-vector product is exact.
//!
//! [`Scalar`]: crate::scalar::Scalar

pub mod anode;
pub mod assembly;
pub mod balance;
pub mod cathode;
pub mod control;
pub mod electrolyte;
pub mod electrolyte_loss;
pub mod events;
pub mod gases;
pub mod initial;
pub mod layout;
pub mod mechanism;
pub mod mediator;
pub mod operating;
pub mod options;
pub mod superoxide;
pub mod symmetric;
pub mod tolerances;
pub mod transport;
pub mod workspace;

use crate::chemistry::CorrosionReaction;
use crate::constants::FARADAY;
use crate::mesh::{Mesh, MeshSpec};
use crate::params::{Metal, Parameters};
use crate::scalar::Scalar;
use cathode::passivation::FilmResistance;
use cathode::structure::Structure;
pub use control::{Control, OperatingMode};
pub use layout::{Layout, StateKind};
pub use mechanism::Mechanism;
pub use options::{
    AreaLaw, CellType, ConductivityLaw, GasBoundary, ModelOptions, Passivation, ProductGrowth,
    SeiGrowth,
};
pub use workspace::{Face, Properties, Sources, Workspace};

/// The discretised cell model.
#[derive(Debug, Clone)]
pub struct Model {
    /// Parameters (SI).
    pub params: Parameters,
    /// The anode metal.
    pub metal: Metal,
    /// Submodel switches.
    pub options: ModelOptions,
    /// Finite-volume mesh.
    pub mesh: Mesh,
    /// State-vector layout.
    pub layout: Layout,
    /// The corrosion reactions of the metal, one per gas in [`crate::params::Gas::ALL`] order
    /// (from the reaction table); the SEI constituents follow this order.
    pub reactions: Vec<CorrosionReaction>,
    /// The submodels the residual runs.
    pub mechanisms: Vec<Mechanism>,
    pub(crate) structure: Structure,
    pub(crate) film: FilmResistance,
    /// F/(RT) [V-1].
    pub(crate) f: f64,
    /// Effective conductivity of the carbon, sigma (1 - eps_c0)^b [S.m-1].
    pub(crate) sigma_eff: f64,
    /// Activity of the electrolyte's oxidation on the carbon relative to the product reaction,
    /// s_bg [-] ([`cathode::electrolyte_oxidation::background_activity`]).
    pub(crate) background_activity: f64,
    /// O2's limiting current per unit of its concentration, n F k_m [A.m.mol-1]
    /// ([`cathode::kinetics::o2_limiting_current_per_concentration`]).
    pub(crate) o2_limiting_current: f64,
}

impl Model {
    /// Discretises a cell of type `cell_type` with these parameters, metal, switches and mesh.
    pub fn new(
        params: &Parameters,
        metal: Metal,
        options: &ModelOptions,
        cell_type: CellType,
        mesh: MeshSpec,
    ) -> Self {
        let p = params.clone();
        // a half cell has no metal surface: no anode mechanism can run
        let options = &if options.half_cell && cell_type == CellType::MetalAir {
            options.ideal_anode()
        } else {
            ModelOptions {
                half_cell: false,
                ..options.clone()
            }
        };
        let mut spec = mesh;
        if cell_type == CellType::Symmetric {
            // metal | separator | metal: no porous cathode
            spec.cathode = 0;
        }
        let mesh = Mesh::new(spec, &p.geometry);
        let layout = Layout::new(mesh.len(), mesh.n_cat, options, cell_type);
        let f = FARADAY / (crate::constants::GAS_CONSTANT * p.temperature);
        let sigma_eff = p.cathode.conductivity
            * (1.0 - p.geometry.cathode_porosity).powf(p.geometry.solid_bruggeman);
        let background_activity = cathode::electrolyte_oxidation::background_activity(&p, f);
        let o2_limiting_current = cathode::kinetics::o2_limiting_current_per_concentration(&p);
        let mut model = Self {
            background_activity,
            o2_limiting_current,
            structure: Structure::new(&p, options.area_law),
            film: FilmResistance::new(options.passivation, &p),
            options: options.clone(),
            reactions: crate::chemistry::corrosion_reactions(metal),
            mechanisms: Vec::new(),
            params: p,
            metal,
            mesh,
            layout,
            f,
            sigma_eff,
        };
        model.mechanisms = Mechanism::for_model(&model);
        model
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
    /// deposit. It sets porosity and active area.
    #[inline]
    pub fn deposit<T: Scalar>(&self, y: &[T], j: usize) -> T {
        self.plus_side_product(y, j, y[self.layout.product.start + j])
    }

    /// Passivating deposit volume fraction of cathode volume `j`: the product's film (all the
    /// product, unless it also grows as particles, [`cathode::growth`]) plus the parasitic
    /// deposit. It sets the film thickness.
    #[inline]
    pub fn film_deposit<T: Scalar>(&self, y: &[T], j: usize) -> T {
        self.plus_side_product(y, j, y[self.layout.film_states().start + j])
    }

    /// `fraction` plus the parasitic deposit of cathode volume `j` (where there is one).
    #[inline]
    fn plus_side_product<T: Scalar>(&self, y: &[T], j: usize, fraction: T) -> T {
        match &self.layout.side_product {
            Some(r) => fraction + y[r.start + j],
            None => fraction,
        }
    }

    /// Largest discharge-product volume fraction of a cathode volume [-].
    pub fn max_product_fraction(&self, y: &[f64]) -> f64 {
        y[self.layout.product.clone()]
            .iter()
            .copied()
            .fold(0.0, f64::max)
    }

    /// Largest thickness of the product's film on the carbon \[m\]: its film part over a_0.
    pub fn max_film_thickness(&self, y: &[f64]) -> f64 {
        y[self.layout.film_states()]
            .iter()
            .copied()
            .fold(0.0, f64::max)
            / self.params.geometry.cathode_specific_area
    }

    /// Covered fraction of the product's surface by the interfacial carbonate, weighted by the
    /// product in each cathode volume, sum theta_j eps_p,j dx_j / sum eps_p,j dx_j [-] (0 where
    /// there is no product, or without the option `interface_carbonate`).
    pub fn interface_carbonate_coverage(&self, y: &[f64]) -> f64 {
        let Some(r) = &self.layout.interface_carbonate else {
            return 0.0;
        };
        let (mut covered, mut total) = (0.0, 0.0);
        for j in 0..self.mesh.n_cat {
            let w = y[self.layout.product.start + j].max(0.0) * self.mesh.dx[self.cat(j)];
            covered += y[r.start + j] * w;
            total += w;
        }
        if total > self.product_round_off() {
            covered / total
        } else {
            0.0
        }
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

    /// Terminal voltage V = phi_s(L) \[V\]: the last solid potential less the half-volume drop to
    /// the current collector at the gas side; in a symmetric cell the counter electrode's
    /// potential phi_C.
    pub fn voltage<T: Scalar>(&self, y: &[T]) -> T {
        let l = &self.layout;
        if let Some(c) = &l.counter {
            return y[c.potential];
        }
        let last = self.mesh.len() - 1;
        cathode::double_layer::solid_potential(self, y, self.mesh.n_cat - 1)
            - y[l.current] * (self.mesh.dx[last] / (2.0 * self.sigma_eff))
    }
}
