//! Typed model parameters, their documented names and allowed ranges.
//!
//! Parameters are plain SI numbers in a typed struct ([`Parameters`]); the
//! [`registry`] maps each PyBaMM/BPX-style name ("Cathode thickness \[m\]") to a field, an
//! allowed range and a description. Default values live in data files (presets) next to
//! their sources, see [`preset`].

pub mod preset;
pub mod registry;

pub use registry::{find, ParamSpec, REGISTRY};

use std::fmt;

/// Cell geometry and porous structure.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Geometry {
    /// Electrode (projected) area A \[m2\]; only converts A <-> A m-2.
    pub electrode_area: f64,
    /// Separator thickness L_s \[m\].
    pub separator_thickness: f64,
    /// Separator porosity eps_s [-].
    pub separator_porosity: f64,
    /// Cathode thickness L_c \[m\].
    pub cathode_thickness: f64,
    /// Initial cathode porosity eps_c0 [-] (before any discharge product).
    pub cathode_porosity: f64,
    /// Cathode specific surface area a_0 [m-1] (carbon surface per electrode volume).
    pub cathode_specific_area: f64,
    /// Bruggeman exponent b [-]: effective property = eps^b x bulk property.
    pub bruggeman: f64,
    /// Bruggeman exponent of the carbon's electronic conductivity b_s [-]:
    /// sigma_eff = (1 - eps_c0)^b_s sigma (0: the conductivity given is the effective one).
    pub solid_bruggeman: f64,
    /// Factor beta_g >= 1 dividing the gas diffusivities in the separator [-] (1 = porous
    /// separator; large for poreless polymer, solid-electrolyte or gas-blocking membranes).
    pub separator_gas_blocking: f64,
    /// Factor beta_i >= 1 dividing the ionic conductivity and salt diffusivity in the
    /// separator [-] (1 = liquid-filled pores; > 1 for solid or hybrid electrolytes).
    pub separator_ionic_resistance: f64,
    /// Fraction f_a of the anion's share of the ionic current that the separator blocks [-]:
    /// the separator's cation transference number is t+_s = t+ + f_a (1 - t+) (0 = liquid-filled
    /// pores; 1 = a single-ion conductor such as a ceramic, whose fixed anionic framework
    /// carries no current). See [`Parameters::transference_number_in`].
    pub separator_anion_blocking: f64,
    /// Symmetric cells: distance R from the separator's open edge to its centre \[m\]; gases
    /// reach the electrolyte through the edge (see [`crate::model::symmetric`]).
    pub gas_access_radius: f64,
}

/// Binary salt electrolyte.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Electrolyte {
    /// Initial salt concentration c_0 [mol.m-3].
    pub initial_concentration: f64,
    /// Salt diffusivity D_e [m2.s-1].
    pub diffusivity: f64,
    /// Ionic conductivity kappa [S.m-1].
    pub conductivity: f64,
    /// Cation transference number t+ [-].
    pub transference_number: f64,
    /// Thermodynamic factor 1 + d ln f_+-/d ln c [-] (1: ideal solution).
    pub thermodynamic_factor: f64,
}

impl Electrolyte {
    /// Coefficient of (RT/F) d ln c_e in the diffusion potential of the ionic current,
    /// 2 (1 - t+)(1 + d ln f_+-/d ln c) [-] (Newman & Thomas-Alyea, Electrochemical Systems,
    /// 3rd ed., eq. 12.41, with the potential measured by a reference electrode of the cation's
    /// metal).
    pub fn diffusion_potential_factor(&self) -> f64 {
        self.diffusion_potential_factor_with(self.transference_number)
    }

    /// [`Electrolyte::diffusion_potential_factor`] where the cation transference number is
    /// `t_plus` (a separator that blocks anions, [`Parameters::transference_number_in`]).
    pub fn diffusion_potential_factor_with(&self, t_plus: f64) -> f64 {
        2.0 * (1.0 - t_plus) * self.thermodynamic_factor
    }
}

/// Dissolved O2 and the gas it comes from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Oxygen {
    /// Henry constant H [mol.m-3.Pa-1]: c_sat = H p_O2.
    pub henry_constant: f64,
    /// Diffusivity of dissolved O2 D_O2 [m2.s-1].
    pub diffusivity: f64,
    /// O2 partial pressure at the gas boundary p_O2 \[Pa\].
    pub partial_pressure: f64,
    /// O2 concentration the cathode exchange current refers to, c_O2,ref [mol.m-3].
    pub reference_concentration: f64,
    /// Initial dissolved O2 as a fraction of saturation [-] (1: saturated at assembly).
    pub initial_saturation: f64,
    /// Rate constant of O2 leaving a supersaturated cathode as gas, k_og [s-1].
    pub outgassing_rate_constant: f64,
    /// Mass-transfer resistance between the gas and the electrolyte at the cathode's outer face
    /// R_gl [s.m-1] (0: the outer face is at Henry equilibrium).
    pub gas_side_resistance: f64,
    /// Volume of the gas headspace of a sealed cell, V_h \[m3\] (used with
    /// `gas_boundary = "headspace"`).
    pub headspace_volume: f64,
}

/// Cathode: carbon, oxygen reduction kinetics, discharge product and its film.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cathode {
    /// Electronic conductivity of the carbon sigma [S.m-1] (bulk; Bruggeman on 1 - eps_c0).
    pub conductivity: f64,
    /// Standard potential of the cell reaction vs the metal E0 \[V\].
    pub standard_potential: f64,
    /// Electrons per O2 reduced, n [-] (2 for Li2O2, 1 for NaO2/KO2).
    pub electrons_per_o2: f64,
    /// Molar volume of the discharge product per mole of O2 it holds, V_p [m3.mol-1].
    pub product_molar_volume: f64,
    /// Exchange current density per carbon surface i0_c [A.m-2].
    pub exchange_current_density: f64,
    /// Potential of the carbon against the local electrolyte (metal reference) at which the
    /// electrolyte's oxidation on carbon carries its onset current density, E_ox \[V\]: a
    /// property of the solvent ([`crate::model::cathode::electrolyte_oxidation`]).
    pub electrolyte_oxidation_onset_potential: f64,
    /// Electrolyte oxidation current per carbon area at its onset potential, i_ox,0 [A.m-2].
    pub electrolyte_oxidation_onset_current_density: f64,
    /// Double-layer capacitance per carbon surface C_dl,c [F.m-2]: the impedance's, and the time
    /// domain's with option `double_layer` ([`crate::model::cathode::double_layer`]).
    pub double_layer_capacitance: f64,
    /// Anodic (oxidation) transfer coefficient alpha_a [-].
    pub anodic_transfer_coefficient: f64,
    /// Cathodic (reduction) transfer coefficient alpha_c [-].
    pub cathodic_transfer_coefficient: f64,
    /// Exponent xi of the active-area law a = a_0 (1 - eps_p/eps_c0)^xi [-] (the power law;
    /// the exponent p of the complement-power law).
    pub area_exponent: f64,
    /// Product volume fraction at which the linear active-area law reaches zero area [-].
    pub area_zero_fraction: f64,
    /// Reaction order of the O2-reduction branch in dissolved O2, gamma_O2 [-].
    pub o2_reaction_order: f64,
    /// Reaction order of the O2-reduction branch in the salt (cation), gamma_c [-].
    pub salt_reaction_order: f64,
    /// Reaction order of the product-oxidation branch in dissolved O2, beta_O2 [-].
    pub oxidation_o2_reaction_order: f64,
    /// Reaction order of the product-oxidation branch in the salt (cation), beta_c [-].
    pub oxidation_salt_reaction_order: f64,
    /// Product volume fraction at which the oxidation branch is half saturated, eps_sat [-].
    pub product_saturation_fraction: f64,
    /// Growth current per carbon area, relative to the exchange current density, at which half
    /// the product grows as particles in dry electrolyte, K_0 [-] (option `product_growth`).
    pub particle_transition_ratio: f64,
    /// Dissolved water concentration that doubles the particle transition current c_w
    /// [mol.m-3] (option `product_growth`).
    pub particle_water_concentration: f64,
    /// Factor by which a full interfacial carbonate monolayer divides the product reaction's
    /// exchange current density, K_CO3 [-] (option `interface_carbonate`).
    pub interface_carbonate_factor: f64,
    /// Thickness of fresh product that buries the interfacial carbonate by a factor e, d_b
    /// \[m\] (with `interface_carbonate_burial = "thickness"`): theta falls as
    /// exp(-Delta eps_p / (a_0 d_b)).
    pub interface_carbonate_burial_thickness: f64,
    /// Initial product volume fraction eps_p0 [-].
    pub initial_product_fraction: f64,
    /// Tunnelling film resistance prefactor r_t [Ohm.m2].
    pub film_tunnelling_resistance: f64,
    /// Tunnelling decay length delta_t \[m\].
    pub film_tunnelling_length: f64,
    /// Electronic resistivity of the product film rho_f [Ohm.m] (resistive law).
    pub film_resistivity: f64,
    /// Fraction of the O2-reduction current lost to electrolyte decomposition at zero
    /// overpotential, chi_0 [-].
    pub parasitic_fraction: f64,
    /// Overpotential over which the parasitic fraction grows by e, V_chi \[V\].
    pub parasitic_overpotential_scale: f64,
    /// Molar volume of the parasitic deposit per two electrons (Li2CO3-like) [m3.mol-1].
    pub parasitic_molar_volume: f64,
    /// O2 taken from the electrolyte per parasitic deposit unit (two electrons) [-].
    pub parasitic_o2_per_unit: f64,
    /// Potential of the carbon against the local electrolyte (metal reference) above which
    /// the parasitic carbonate deposit oxidises, E_CO3 \[V\].
    pub carbonate_onset_potential: f64,
    /// Carbonate oxidation current per carbon area at the onset potential with the carbon
    /// fully covered by deposit, i_CO3 [A.m-2].
    pub carbonate_onset_current_density: f64,
    /// Transfer coefficient of carbonate oxidation alpha_CO3 [-] (Tafel slope RT ln10/(alpha F)).
    pub carbonate_transfer_coefficient: f64,
    /// Potential of the carbon against the local electrolyte (metal reference) above which the
    /// carbon in contact with the product oxidises to carbonate, E_C \[V\] (option
    /// `carbon_oxidation`).
    pub carbon_oxidation_onset_potential: f64,
    /// Carbon oxidation current per carbon area at the onset potential, on bare carbon in full
    /// contact with product, i_C [A.m-2] (option `carbon_oxidation`).
    pub carbon_oxidation_onset_current_density: f64,
    /// Transfer coefficient of carbon oxidation alpha_C [-] (Tafel slope RT ln10/(alpha F)).
    pub carbon_oxidation_transfer_coefficient: f64,
    /// Carbonate per carbon area in one monolayer, Gamma [mol.m-2] (option `carbon_oxidation`).
    pub carbon_carbonate_monolayer: f64,
    /// Factor by which carbonate covering the carbon divides the product reaction's exchange
    /// current density on the covered part, K_C [-] (option `carbon_oxidation`).
    pub carbon_carbonate_factor: f64,
}

/// Metal anode.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Anode {
    /// Molar volume of the metal V_M [m3.mol-1].
    pub metal_molar_volume: f64,
    /// Initial metal thickness L_M \[m\].
    pub initial_thickness: f64,
    /// Plating/stripping exchange current density i0_a [A.m-2] at c_0.
    pub exchange_current_density: f64,
    /// Anodic transfer coefficient of plating/stripping alpha [-] (cathodic = 1 - alpha).
    pub transfer_coefficient: f64,
    /// Reaction order of the stripping branch in the interface salt concentration [-].
    pub stripping_salt_order: f64,
    /// Reaction order of the plating branch in the interface salt concentration [-].
    pub plating_salt_order: f64,
    /// Equilibrium potential of the anode vs the pure metal U_a \[V\] (0 for the metal; ~0.4 V
    /// for Li alloys and the biphenyl-Li liquid anode). Lowers the cell voltage by U_a.
    pub open_circuit_potential: f64,
    /// Electrochemically active anode area per projected area a_f [-] (1 for a foil, > 1 for
    /// 3D hosts): divides the local current density, multiplies the area that corrodes.
    pub surface_area_factor: f64,
    /// Contact resistance between metal and separator or solid electrolyte R_int [Ohm.m2].
    pub interfacial_resistance: f64,
    /// Double-layer capacitance of the metal surface per true area C_dl,a [F.m-2] (impedance
    /// only: the time-domain model neglects double-layer charging).
    pub double_layer_capacitance: f64,
}

/// Thresholds of the stop events.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Limits {
    /// Cathode porosity below which the pores count as clogged [-].
    pub minimum_porosity: f64,
    /// Metal thickness below which the metal counts as exhausted \[m\].
    pub minimum_metal_thickness: f64,
    /// Salt concentration below which the electrolyte counts as depleted [mol.m-3].
    pub minimum_salt_concentration: f64,
    /// Remaining electrolyte fraction below which the cell counts as dried out [-].
    pub minimum_electrolyte_fraction: f64,
    /// Symmetric cells: polarisation |V| at which the run ends \[V\].
    pub maximum_polarisation: f64,
    /// Metal-air cells: the voltage at which a discharge without its own voltage limit stops
    /// \[V\].
    pub minimum_cell_voltage: f64,
}

/// The dissolved gases tracked besides the solvent.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Gas {
    /// Oxygen (the reactant; always transported).
    O2,
    /// Water vapour from humid air.
    H2O,
    /// Carbon dioxide.
    CO2,
    /// Nitrogen.
    N2,
}

impl Gas {
    /// All gases, O2 first.
    pub const ALL: [Gas; 4] = [Gas::O2, Gas::H2O, Gas::CO2, Gas::N2];

    /// Position in [`Gas::ALL`].
    pub fn index(&self) -> usize {
        *self as usize
    }

    /// The gas with this formula.
    pub fn from_formula(formula: &str) -> Option<Gas> {
        Self::ALL.into_iter().find(|g| g.name() == formula)
    }

    /// Chemical formula.
    pub fn name(&self) -> &'static str {
        match self {
            Gas::O2 => "O2",
            Gas::H2O => "H2O",
            Gas::CO2 => "CO2",
            Gas::N2 => "N2",
        }
    }
}

/// The alkali metal of the anode (and of the salt cation).
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum Metal {
    /// Lithium.
    #[default]
    Li,
    /// Sodium.
    Na,
    /// Potassium.
    K,
}

impl Metal {
    /// Chemical symbol.
    pub fn symbol(&self) -> &'static str {
        match self {
            Metal::Li => "Li",
            Metal::Na => "Na",
            Metal::K => "K",
        }
    }
}

impl fmt::Display for Metal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// One value per gas.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PerGas {
    /// For O2.
    pub o2: f64,
    /// For H2O.
    pub h2o: f64,
    /// For CO2.
    pub co2: f64,
    /// For N2.
    pub n2: f64,
}

impl PerGas {
    /// The value for `gas`.
    pub fn get(&self, gas: Gas) -> f64 {
        match gas {
            Gas::O2 => self.o2,
            Gas::H2O => self.h2o,
            Gas::CO2 => self.co2,
            Gas::N2 => self.n2,
        }
    }
}

/// Gas phase at the cathode boundary and solubility/transport of each dissolved gas.
///
/// O2 keeps its own parameters in [`Oxygen`]; the O2 entries of the per-gas tables mirror
/// them (see [`Parameters::henry`], [`Parameters::gas_diffusivity`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Atmosphere {
    /// CO2 partial pressure \[Pa\].
    pub co2_partial_pressure: f64,
    /// N2 partial pressure \[Pa\].
    pub n2_partial_pressure: f64,
    /// Relative humidity of the gas [-].
    pub relative_humidity: f64,
    /// Saturation vapour pressure of water at the cell temperature \[Pa\].
    pub water_saturation_pressure: f64,
    /// Henry constants of H2O, CO2, N2 [mol.m-3.Pa-1] (o2 unused).
    pub henry: PerGas,
    /// Diffusivities of H2O, CO2, N2 in the electrolyte [m2.s-1] (o2 unused).
    pub diffusivity: PerGas,
}

/// Reactions of crossed gases with the metal and transport through its surface layers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Corrosion {
    /// Surface rate constant of each gas with bare metal [m.s-1].
    pub rate_constant: PerGas,
    /// Permeability of the SEI to each gas [m2.s-1] (diffusivity x partition coefficient).
    pub sei_permeability: PerGas,
    /// Permeability of the outer corrosion scale to each gas [m2.s-1].
    pub scale_permeability: PerGas,
    /// Porosity of the outer corrosion scale [-] (its thickness per mole of product).
    pub scale_porosity: f64,
    /// Ionic resistivity of the outer corrosion scale [Ohm.m].
    pub scale_resistivity: f64,
    /// Dissolved water at which the water-catalysed N2 reaction runs at half its rate constant
    /// [mol.m-3].
    pub n2_water_catalysis_concentration: f64,
    /// Permeability of the protective layer to each gas [m2.s-1].
    pub layer_permeability: PerGas,
    /// Thickness of the artificial protective layer \[m\] (0 = none).
    pub layer_thickness: f64,
    /// Ionic resistivity of the protective layer [Ohm.m].
    pub layer_resistivity: f64,
}

/// Solid-electrolyte interphase on the metal.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sei {
    /// Initial SEI thickness \[m\].
    pub initial_thickness: f64,
    /// Diffusivity of solvent through the SEI [m2.s-1] (solvent-diffusion-limited growth).
    pub solvent_diffusivity: f64,
    /// Molar volume of the organic SEI [m3.mol-1].
    pub organic_molar_volume: f64,
    /// Metal atoms per organic SEI unit [-].
    pub metal_per_organic: f64,
    /// Ionic resistivity of the SEI [Ohm.m].
    pub resistivity: f64,
    /// Relative permittivity of the surface layers on the metal eps_r [-]: their capacitance
    /// eps_0 eps_r a_f / L (impedance only).
    pub relative_permittivity: f64,
    /// Metal thickness change that cracks 63 % of intact SEI, L_crack \[m\].
    pub cracking_length: f64,
    /// First-order healing rate of cracked SEI [s-1].
    pub healing_rate: f64,
    /// Metal thickness stripped per e-fold of the grown dense SEI shed off the metal, h_r \[m\].
    pub renewal_thickness: f64,
    /// Molar volumes of the corrosion products M_aO_b, MOH, M2CO3, M3N [m3.mol-1].
    pub product_molar_volume: PerGas,
    /// Dissolved O2 at the metal at which O2 takes half its part in SEI formation, c_1/2
    /// [mol.m-3].
    pub o2_participation_concentration: f64,
    /// Reduction of SEI growth and dead metal by the O2-derived SEI, b in 1/(1 + b x) [-].
    pub o2_loss_reduction: f64,
    /// Rise of the resistivity of the SEI's O2-derived oxide over the rest of the SEI, g: the
    /// oxide's resistivity is (1 + g) rho_SEI [-].
    pub o2_resistivity_increase: f64,
}

/// Dead metal and dendrites.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Morphology {
    /// Fraction of stripped metal that becomes isolated at the reference current [-].
    pub dead_metal_fraction: f64,
    /// Current density at which the dead fraction is the reference value [A.m-2].
    pub dead_metal_reference_current: f64,
    /// Factor on the tip's excess plating current (1 for a metal foil; below 1 where the metal
    /// inserts into a host or a layer evens the deposition, 0 for liquid anodes) [-].
    pub dendrite_growth_factor: f64,
    /// Height of the protrusions dendrites start from (the surface roughness) \[m\].
    pub dendrite_seed_height: f64,
    /// Dendrite length removed per metal thickness stripped [-].
    pub dendrite_stripping_ratio: f64,
    /// Multiple of the separator thickness a dendrite must reach to short the cell [-].
    pub separator_dendrite_resistance: f64,
}

/// Electrolyte solvent inventory and its losses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Solvent {
    /// Solvent concentration in the electrolyte [mol.m-3].
    pub concentration: f64,
    /// Solvent vapour pressure at the cell temperature \[Pa\].
    pub vapour_pressure: f64,
    /// Mass-transfer coefficient of solvent vapour at an open gas boundary [m.s-1].
    pub evaporation_coefficient: f64,
    /// Excess electrolyte outside the pores, as a thickness of liquid \[m\].
    pub reservoir_thickness: f64,
    /// Electrons taken per solvent molecule oxidised on the carbon, z_ox [-]
    /// ([`crate::model::cathode::electrolyte_oxidation`]).
    pub electrons_per_oxidised_molecule: f64,
}

/// Redox mediator (RM / RM+), e.g. I-/I3-, Br-/Br3-, TEMPO.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mediator {
    /// Total mediator concentration, initially all reduced [mol.m-3].
    pub concentration: f64,
    /// Standard potential of RM+ + e- <-> RM vs the metal \[V\].
    pub standard_potential: f64,
    /// Exchange current density of RM oxidation on carbon at the total concentration [A.m-2].
    pub exchange_current_density: f64,
    /// Diffusivity of both forms [m2.s-1].
    pub diffusivity: f64,
    /// Rate constant of 2 RM+ + M2O2 -> 2 RM + 2 M+ + O2 per product-covered area at the
    /// mediator potential of the fastest reaction, E0 + lambda/F [m.s-1] (see
    /// [`crate::model::mediator::marcus_factor`]).
    pub chemical_rate_constant: f64,
    /// Reorganisation energy lambda of the rate-limiting one-electron oxidation of the
    /// product by RM+ (Marcus theory) [J.mol-1].
    pub reorganisation_energy: f64,
    /// Rate constant of RM+ + M -> RM + M+ on bare metal [m.s-1].
    pub shuttle_rate_constant: f64,
    /// Permeability of the SEI to RM+ [m2.s-1].
    pub sei_permeability: f64,
    /// Fraction of the RM+ crossing the intact SEI that oxidises the SEI on its way, opening
    /// cracks ([`crate::model::mediator`]) [-].
    pub sei_attack_fraction: f64,
    /// Permeability of the outer corrosion scale to RM+ [m2.s-1].
    pub scale_permeability: f64,
    /// Permeability of the protective layer to RM+ [m2.s-1] (used when a layer is given).
    pub layer_permeability: f64,
    /// Factor by which the separator slows RM/RM+ diffusion (1 = porous separator) [-].
    pub separator_blocking: f64,
    /// Electrons per oxidised unit, n in nu R <-> O + n e- (2 for 3 Br- <-> Br3- + 2 e-) [-].
    pub electrons: f64,
    /// Reduced units per oxidised unit, nu in nu R <-> O + n e- (3 for Br-/Br3-) [-].
    pub reduced_per_oxidised: f64,
    /// Charge number of the reduced form (Br-: -1, TEMPO: 0) [-].
    pub reduced_charge: f64,
    /// Charge number of the oxidised form (Br3-: -1, TEMPO+: +1) [-].
    pub oxidised_charge: f64,
}

/// Dissolved superoxide (option `dissolved_superoxide`, [`crate::model::superoxide`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Superoxide {
    /// Share of the product-forming O2 reduction that forms superoxide in solution instead of
    /// product on the surface, chi_s [-].
    pub solution_fraction: f64,
    /// Lifetime of dissolved superoxide against its decay to the product, tau_s \[s\].
    pub lifetime: f64,
    /// Diffusivity of dissolved superoxide (the M+ O2- ion pair) [m2.s-1].
    pub diffusivity: f64,
    /// Rate constant of its reaction with bare metal [m.s-1].
    pub rate_constant: f64,
}

/// Design data for mass, volume and energy budgets (not used by the electrochemical model).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Design {
    /// Molar mass of the metal [kg.mol-1].
    pub metal_molar_mass: f64,
    /// Molar mass of the discharge product per mole of O2 it holds [kg.mol-1].
    pub product_molar_mass: f64,
    /// Electrolyte density [kg.m-3].
    pub electrolyte_density: f64,
    /// Electrolyte to carbon mass ratio E/C [-] (at least the pore-filling amount is used).
    pub electrolyte_to_carbon: f64,
    /// Skeletal density of the cathode carbon [kg.m-3].
    pub carbon_density: f64,
    /// Catalyst areal loading [kg.m-2].
    pub catalyst_loading: f64,
    /// Density of the separator material [kg.m-3].
    pub separator_density: f64,
    /// Density of the protective layer [kg.m-3].
    pub layer_density: f64,
    /// Anode current collector areal mass [kg.m-2].
    pub anode_collector_mass: f64,
    /// Anode current collector thickness \[m\].
    pub anode_collector_thickness: f64,
    /// Cathode current collector (gas diffusion layer / mesh) areal mass [kg.m-2].
    pub cathode_collector_mass: f64,
    /// Cathode current collector thickness \[m\].
    pub cathode_collector_thickness: f64,
    /// Packaging share of the cell mass [-].
    pub packaging_mass_fraction: f64,
    /// Packaging share of the cell volume [-].
    pub packaging_volume_fraction: f64,
    /// Cells' share of the pack mass (without O2 handling) [-].
    pub pack_cell_mass_fraction: f64,
    /// Cells' share of the pack volume (without O2 handling) [-].
    pub pack_cell_volume_fraction: f64,
    /// Air handling (compressor, O2-selective membrane, drier, CO2 scrubber) mass per energy [kg.Wh-1].
    pub air_handling_mass: f64,
    /// Air handling volume per energy [m3.Wh-1].
    pub air_handling_volume: f64,
    /// O2 tank mass per mass of O2 stored (closed systems) [-].
    pub o2_tank_mass_ratio: f64,
    /// O2 tank volume per mass of O2 stored [m3.kg-1].
    pub o2_tank_volume: f64,
}

/// Every numeric model parameter, SI units.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parameters {
    /// Absolute temperature T \[K\].
    pub temperature: f64,
    /// Geometry and porous structure.
    pub geometry: Geometry,
    /// Electrolyte transport.
    pub electrolyte: Electrolyte,
    /// Dissolved oxygen.
    pub oxygen: Oxygen,
    /// Cathode kinetics and product.
    pub cathode: Cathode,
    /// Metal anode.
    pub anode: Anode,
    /// Stop-event thresholds.
    pub limits: Limits,
    /// Gas composition and dissolved-gas properties.
    pub atmosphere: Atmosphere,
    /// Corrosion of the metal by crossed gases.
    pub corrosion: Corrosion,
    /// SEI on the metal.
    pub sei: Sei,
    /// Dead metal and dendrites.
    pub morphology: Morphology,
    /// Solvent inventory and evaporation.
    pub solvent: Solvent,
    /// Redox mediator.
    pub mediator: Mediator,
    /// Dissolved superoxide.
    pub superoxide: Superoxide,
    /// Design data for energy budgets.
    pub design: Design,
}

impl Parameters {
    /// A parameter set with every value 0, the starting point before a preset fills it.
    pub(crate) fn unset() -> Self {
        Self::default()
    }

    /// Value of a parameter by its documented name.
    pub fn get(&self, name: &str) -> Option<f64> {
        find(name).map(|spec| (spec.get)(self))
    }

    /// Cation transference number [-] in the separator (`separator` true) or in the cathode's
    /// liquid: t+_s = t+ + f_a (1 - t+) with f_a the "Separator anion blocking fraction [-]".
    /// A single-ion conductor (f_a = 1) carries the whole current by cations: no salt
    /// gradient and no diffusion potential build up in it.
    pub fn transference_number_in(&self, separator: bool) -> f64 {
        let t = self.electrolyte.transference_number;
        if separator {
            t + self.geometry.separator_anion_blocking * (1.0 - t)
        } else {
            t
        }
    }

    /// Thermal voltage RT/F \[V\].
    pub fn thermal_voltage(&self) -> f64 {
        crate::constants::GAS_CONSTANT * self.temperature / crate::constants::FARADAY
    }

    /// Henry constant of a gas [mol.m-3.Pa-1].
    pub fn henry(&self, gas: Gas) -> f64 {
        match gas {
            Gas::O2 => self.oxygen.henry_constant,
            g => self.atmosphere.henry.get(g),
        }
    }

    /// Diffusivity of a dissolved gas [m2.s-1].
    pub fn gas_diffusivity(&self, gas: Gas) -> f64 {
        match gas {
            Gas::O2 => self.oxygen.diffusivity,
            g => self.atmosphere.diffusivity.get(g),
        }
    }

    /// Partial pressure of a gas at the cathode boundary \[Pa\]; water from the humidity.
    pub fn partial_pressure(&self, gas: Gas) -> f64 {
        let a = &self.atmosphere;
        match gas {
            Gas::O2 => self.oxygen.partial_pressure,
            Gas::H2O => a.relative_humidity * a.water_saturation_pressure,
            Gas::CO2 => a.co2_partial_pressure,
            Gas::N2 => a.n2_partial_pressure,
        }
    }

    /// Saturation concentration of a gas at the boundary, H p [mol.m-3].
    pub fn saturation(&self, gas: Gas) -> f64 {
        self.henry(gas) * self.partial_pressure(gas)
    }

    /// O2 saturation concentration at the gas boundary, c_sat = H p_O2 [mol.m-3].
    pub fn o2_saturation(&self) -> f64 {
        self.oxygen.henry_constant * self.oxygen.partial_pressure
    }

    /// Cathode carbon per electrode area, L_c (1 - eps_c0) rho_C [kg.m-2].
    pub fn carbon_loading(&self) -> f64 {
        self.geometry.cathode_thickness
            * (1.0 - self.geometry.cathode_porosity)
            * self.design.carbon_density
    }

    /// Initial metal inventory n_M0 = L_M / V_M [mol.m-2].
    pub fn initial_metal_inventory(&self) -> f64 {
        self.anode.initial_thickness / self.anode.metal_molar_volume
    }

    /// Checks cross-parameter constraints that single ranges cannot express.
    pub fn check_consistency(&self) -> Result<(), String> {
        let c = &self.cathode;
        if c.initial_product_fraction >= self.geometry.cathode_porosity {
            return Err(format!(
                "\"Initial discharge product volume fraction [-]\" = {} must be below \"Cathode porosity [-]\" = {}",
                c.initial_product_fraction, self.geometry.cathode_porosity
            ));
        }
        if self.limits.minimum_metal_thickness >= self.anode.initial_thickness {
            return Err(format!(
                "\"Minimum metal thickness [m]\" = {} must be below \"Initial metal thickness [m]\" = {}",
                self.limits.minimum_metal_thickness, self.anode.initial_thickness
            ));
        }
        let eps_min = self.limits.minimum_porosity;
        let eps_start = self.geometry.cathode_porosity - c.initial_product_fraction;
        if eps_min >= eps_start {
            return Err(format!(
                "\"Minimum cathode porosity [-]\" = {eps_min} must be below the starting porosity (\"Cathode porosity [-]\" = {} less \"Initial discharge product volume fraction [-]\" = {}): the cell would start clogged",
                self.geometry.cathode_porosity, c.initial_product_fraction
            ));
        }
        if self.limits.minimum_salt_concentration >= self.electrolyte.initial_concentration {
            return Err(format!(
                "\"Minimum salt concentration [mol.m-3]\" = {} must be below \"Initial concentration in electrolyte [mol.m-3]\" = {}",
                self.limits.minimum_salt_concentration, self.electrolyte.initial_concentration
            ));
        }
        Ok(())
    }
}

/// One end of an allowed parameter range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    /// Excluded end point.
    Open(f64),
    /// Included end point.
    Closed(f64),
    /// No limit on this side.
    Unbounded,
}

/// Allowed range of a parameter value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    /// Lower end.
    pub lo: Bound,
    /// Upper end.
    pub hi: Bound,
}

impl Range {
    /// Whether `x` lies inside the range (NaN never does).
    pub fn contains(&self, x: f64) -> bool {
        if !x.is_finite() {
            return false;
        }
        let lo_ok = match self.lo {
            Bound::Open(a) => x > a,
            Bound::Closed(a) => x >= a,
            Bound::Unbounded => true,
        };
        let hi_ok = match self.hi {
            Bound::Open(b) => x < b,
            Bound::Closed(b) => x <= b,
            Bound::Unbounded => true,
        };
        lo_ok && hi_ok
    }
}

/// A number for messages: plain between 1e-3 and 1e5 (and 0), scientific otherwise
/// ("1e10", "1e300", "2.5e-9").
pub fn number_text(v: f64) -> String {
    if v == 0.0 || (1e-3..1e5).contains(&v.abs()) {
        v.to_string()
    } else {
        format!("{v:e}")
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.lo {
            Bound::Open(a) => write!(f, "({}, ", number_text(a))?,
            Bound::Closed(a) => write!(f, "[{}, ", number_text(a))?,
            Bound::Unbounded => write!(f, "(-inf, ")?,
        }
        match self.hi {
            Bound::Open(b) => write!(f, "{})", number_text(b)),
            Bound::Closed(b) => write!(f, "{}]", number_text(b)),
            Bound::Unbounded => write!(f, "inf)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_membership_and_display() {
        let r = Range {
            lo: Bound::Open(0.0),
            hi: Bound::Open(1.0),
        };
        assert!(r.contains(0.5));
        assert!(!r.contains(0.0));
        assert!(!r.contains(1.0));
        assert!(!r.contains(f64::NAN));
        assert_eq!(r.to_string(), "(0, 1)");
        let r = Range {
            lo: Bound::Closed(0.0),
            hi: Bound::Unbounded,
        };
        assert!(r.contains(0.0));
        assert_eq!(r.to_string(), "[0, inf)");
    }
}
