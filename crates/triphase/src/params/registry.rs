//! The table of documented parameter names.
//!
//! Each entry gives the PyBaMM/BPX-style name (unit in brackets), the allowed range, a one-line
//! description and the field it sets. Lookups by name are exact; a name that matches an entry
//! except for its unit is reported as a unit error by [`suggest`].

use super::{Bound, Parameters, Range};

/// A documented parameter.
#[derive(Clone, Copy)]
pub struct ParamSpec {
    /// Name with its SI unit in brackets, e.g. "Cathode thickness \[m\]".
    pub name: &'static str,
    /// Allowed values.
    pub range: Range,
    /// What the parameter means in the model.
    pub description: &'static str,
    /// Reads the value.
    pub get: fn(&Parameters) -> f64,
    /// Writes the value.
    pub set: fn(&mut Parameters, f64),
}

impl std::fmt::Debug for ParamSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParamSpec")
            .field("name", &self.name)
            .field("range", &self.range)
            .finish()
    }
}

impl ParamSpec {
    /// The name without its unit, e.g. "Cathode thickness".
    pub fn base_name(&self) -> &'static str {
        split_unit(self.name).0
    }
    /// The unit inside the brackets, e.g. "m".
    pub fn unit(&self) -> &'static str {
        split_unit(self.name).1
    }
}

/// Splits "Name [unit]" into ("Name", "unit"); a name without brackets has an empty unit.
pub fn split_unit(name: &str) -> (&str, &str) {
    match (name.rfind('['), name.ends_with(']')) {
        (Some(i), true) => (name[..i].trim_end(), &name[i + 1..name.len() - 1]),
        _ => (name.trim(), ""),
    }
}

const FRACTION_OPEN: Range = Range {
    lo: Bound::Open(0.0),
    hi: Bound::Open(1.0),
};
const FRACTION_LOW_CLOSED: Range = Range {
    lo: Bound::Closed(0.0),
    hi: Bound::Open(1.0),
};
const FRACTION_HIGH_CLOSED: Range = Range {
    lo: Bound::Open(0.0),
    hi: Bound::Closed(1.0),
};
const ORDER: Range = Range {
    lo: Bound::Closed(0.0),
    hi: Bound::Closed(3.0),
};
const fn between(lo: Bound, hi: Bound) -> Range {
    Range { lo, hi }
}

macro_rules! spec {
    ($name:literal, $range:expr, $desc:literal, $($field:ident).+) => {
        ParamSpec {
            name: $name,
            range: $range,
            description: $desc,
            get: |p: &Parameters| p.$($field).+,
            set: |p: &mut Parameters, v: f64| p.$($field).+ = v,
        }
    };
}

/// All documented parameters, in the order they are printed.
pub static REGISTRY: &[ParamSpec] = &[
    spec!(
        "Ambient temperature [K]",
        between(Bound::Closed(200.0), Bound::Closed(400.0)),
        "Absolute temperature of the isothermal cell",
        temperature
    ),
    spec!(
        "Electrode area [m2]",
        between(Bound::Open(0.0), Bound::Closed(10.0)),
        "Projected electrode area; converts A to A m-2",
        geometry.electrode_area
    ),
    spec!(
        "Separator thickness [m]",
        between(Bound::Open(0.0), Bound::Closed(0.01)),
        "Thickness of the porous separator",
        geometry.separator_thickness
    ),
    spec!(
        "Separator porosity [-]",
        FRACTION_OPEN,
        "Electrolyte volume fraction of the separator",
        geometry.separator_porosity
    ),
    spec!(
        "Cathode thickness [m]",
        between(Bound::Open(0.0), Bound::Closed(0.01)),
        "Thickness of the porous air cathode",
        geometry.cathode_thickness
    ),
    spec!(
        "Cathode porosity [-]",
        FRACTION_OPEN,
        "Initial electrolyte volume fraction of the cathode",
        geometry.cathode_porosity
    ),
    spec!(
        "Cathode specific surface area [m-1]",
        between(Bound::Open(0.0), Bound::Closed(1e10)),
        "Carbon surface area per cathode volume, a_0",
        geometry.cathode_specific_area
    ),
    spec!(
        "Bruggeman exponent [-]",
        between(Bound::Closed(0.0), Bound::Closed(5.0)),
        "Effective electrolyte transport property (conductivity, diffusivities) = porosity^b x bulk property (0: the values given are effective)",
        geometry.bruggeman
    ),
    spec!(
        "Cathode solid Bruggeman exponent [-]",
        between(Bound::Closed(0.0), Bound::Closed(5.0)),
        "Effective carbon conductivity = (1 - porosity)^b_s x bulk conductivity (0: the value given is effective)",
        geometry.solid_bruggeman
    ),
    spec!(
        "Initial concentration in electrolyte [mol.m-3]",
        between(Bound::Open(0.0), Bound::Closed(1e5)),
        "Initial salt concentration c_0",
        electrolyte.initial_concentration
    ),
    spec!(
        "Electrolyte diffusivity [m2.s-1]",
        between(Bound::Open(0.0), Bound::Closed(1e-3)),
        "Salt diffusivity of the binary electrolyte",
        electrolyte.diffusivity
    ),
    spec!(
        "Electrolyte conductivity [S.m-1]",
        between(Bound::Open(0.0), Bound::Closed(1e8)),
        "Ionic conductivity of the bulk electrolyte",
        electrolyte.conductivity
    ),
    spec!(
        "Cation transference number [-]",
        FRACTION_OPEN,
        "Fraction of the ionic current carried by the metal cation",
        electrolyte.transference_number
    ),
    spec!(
        "Thermodynamic factor [-]",
        between(Bound::Closed(0.0), Bound::Closed(10.0)),
        "1 + d ln f/d ln c of the salt: scales the diffusion potential 2 (RT/F)(1 - t+)(1 + d ln f/d ln c) d ln c (1: ideal solution; 0: no diffusion potential)",
        electrolyte.thermodynamic_factor
    ),
    spec!(
        "O2 Henry constant [mol.m-3.Pa-1]",
        between(Bound::Open(0.0), Bound::Closed(1.0)),
        "O2 solubility per partial pressure: c_sat = H p_O2",
        oxygen.henry_constant
    ),
    spec!(
        "O2 diffusivity [m2.s-1]",
        between(Bound::Open(0.0), Bound::Closed(1e-3)),
        "Diffusivity of dissolved O2 in the electrolyte",
        oxygen.diffusivity
    ),
    spec!(
        "O2 partial pressure [Pa]",
        between(Bound::Open(0.0), Bound::Closed(1.0e7)),
        "O2 partial pressure of the gas at the cathode boundary",
        oxygen.partial_pressure
    ),
    spec!(
        "Reference O2 concentration [mol.m-3]",
        between(Bound::Open(0.0), Bound::Closed(1e5)),
        "O2 concentration at which the cathode exchange current is given",
        oxygen.reference_concentration
    ),
    spec!(
        "Initial O2 saturation [-]",
        between(Bound::Closed(0.0), Bound::Closed(1.0)),
        "Dissolved O2 at the start as a fraction of saturation",
        oxygen.initial_saturation
    ),
    spec!(
        "O2 outgassing rate constant [s-1]",
        between(Bound::Closed(0.0), Bound::Closed(1e3)),
        "k_og: O2 above saturation in the cathode leaves as gas at k_og (c_O2 - c_sat)+ (0: no outgassing)",
        oxygen.outgassing_rate_constant
    ),
    spec!(
        "Gas-side mass-transfer resistance [s.m-1]",
        between(Bound::Closed(0.0), Bound::Closed(1e12)),
        "Resistance between gas and electrolyte at the cathode's outer face, in series with the half volume (0: Henry equilibrium)",
        oxygen.gas_side_resistance
    ),
    spec!(
        "Cathode electronic conductivity [S.m-1]",
        between(Bound::Open(0.0), Bound::Closed(1e8)),
        "Bulk conductivity of the carbon matrix",
        cathode.conductivity
    ),
    spec!(
        "Standard cell potential [V]",
        between(Bound::Open(0.0), Bound::Closed(6.0)),
        "E0 of the cell reaction against the metal",
        cathode.standard_potential
    ),
    spec!(
        "Electrons per O2 [-]",
        between(Bound::Closed(1.0), Bound::Closed(4.0)),
        "Electrons transferred per O2 in the discharge product",
        cathode.electrons_per_o2
    ),
    spec!(
        "Discharge product molar volume [m3.mol-1]",
        between(Bound::Open(0.0), Bound::Closed(1e-3)),
        "Product volume per mole of O2 it contains",
        cathode.product_molar_volume
    ),
    spec!(
        "Cathode exchange current density [A.m-2]",
        between(Bound::Open(0.0), Bound::Closed(1e6)),
        "ORR/OER exchange current per carbon surface at c_0 and c_O2,ref",
        cathode.exchange_current_density
    ),
    spec!(
        "Electrolyte oxidation onset potential [V]",
        between(Bound::Open(0.0), Bound::Closed(10.0)),
        "Carbon potential against the local electrolyte (metal reference) at which the solvent's oxidation on carbon carries its onset current density, i_ox = i_ox,0 exp(alpha_a f (E_ct - E_ox)) with the product's anodic transfer coefficient",
        cathode.electrolyte_oxidation_onset_potential
    ),
    spec!(
        "Electrolyte oxidation onset current density [A.m-2]",
        between(Bound::Open(0.0), Bound::Closed(1e3)),
        "Electrolyte oxidation current per carbon area at its onset potential (the onset potentials come from spectra on gold and fix no current on carbon: this sets the scale)",
        cathode.electrolyte_oxidation_onset_current_density
    ),
    spec!(
        "Cathode anodic transfer coefficient [-]",
        FRACTION_HIGH_CLOSED,
        "Transfer coefficient of product oxidation (charge)",
        cathode.anodic_transfer_coefficient
    ),
    spec!(
        "Cathode cathodic transfer coefficient [-]",
        FRACTION_HIGH_CLOSED,
        "Transfer coefficient of O2 reduction (discharge)",
        cathode.cathodic_transfer_coefficient
    ),
    spec!(
        "Active area exponent [-]",
        between(Bound::Closed(0.0), Bound::Closed(5.0)),
        "xi in a = a_0 (1 - eps_p/eps_c0)^xi (area law power), p in a = a_0 (1 - (eps_p/eps_c0)^p) (complement-power)",
        cathode.area_exponent
    ),
    spec!(
        "Active area zero product fraction [-]",
        FRACTION_HIGH_CLOSED,
        "eps_0 in a = a_0 max(0, 1 - eps_p/eps_0) (area law linear)",
        cathode.area_zero_fraction
    ),
    spec!(
        "Cathode O2 reaction order [-]",
        ORDER,
        "gamma_O2: the O2-reduction branch is proportional to (c_O2/c_O2,ref)^gamma_O2",
        cathode.o2_reaction_order
    ),
    spec!(
        "Cathode salt reaction order [-]",
        ORDER,
        "gamma_c: the O2-reduction branch is proportional to (c_e/c_0)^gamma_c",
        cathode.salt_reaction_order
    ),
    spec!(
        "Cathode oxidation O2 reaction order [-]",
        ORDER,
        "beta_O2: the product-oxidation branch is proportional to (c_O2/c_O2,ref)^beta_O2; gamma_O2 - beta_O2 = (alpha_a + alpha_c)/n puts the equilibrium at E0 + RT/(nF) ln(c_O2/c_O2,ref)",
        cathode.oxidation_o2_reaction_order
    ),
    spec!(
        "Cathode oxidation salt reaction order [-]",
        ORDER,
        "beta_c: the product-oxidation branch is proportional to (c_e/c_0)^beta_c; beta_c = gamma_c keeps the salt out of the equilibrium (the electrolyte potential is measured against a metal reference in the local electrolyte)",
        cathode.oxidation_salt_reaction_order
    ),
    spec!(
        "Product saturation volume fraction [-]",
        FRACTION_OPEN,
        "Product volume fraction at which the oxidation rate is half its maximum",
        cathode.product_saturation_fraction
    ),
    spec!(
        "Particle growth transition ratio [-]",
        between(Bound::Open(0.0), Bound::Closed(1e9)),
        "K_0: with product_growth = \"film-and-particles\", the growth current per carbon area, in units of the exchange current density, at which half the product grows as particles (dry electrolyte); f_particles = K/(K + i_g/i0_c)",
        cathode.particle_transition_ratio
    ),
    spec!(
        "Particle growth water concentration [mol.m-3]",
        between(Bound::Open(0.0), Bound::Closed(1e6)),
        "c_w: dissolved water that doubles the particle transition current, K = K_0 (1 + c_H2O/c_w) (with product_growth = \"film-and-particles\")",
        cathode.particle_water_concentration
    ),
    spec!(
        "Interfacial carbonate exchange current factor [-]",
        between(Bound::Closed(1.0), Bound::Closed(1e6)),
        "K_CO3: a full carbonate monolayer on the product divides its exchange current density by K_CO3, i0 / (1 + (K_CO3 - 1) theta) (with interface_carbonate)",
        cathode.interface_carbonate_factor
    ),
    spec!(
        "Interfacial carbonate burial thickness [m]",
        between(Bound::Open(0.0), Bound::Closed(1e-6)),
        "d_b: with interface_carbonate_burial = \"thickness\", product grown on discharge buries the interfacial carbonate by a factor e per layer of this thickness over the carbon's area, d theta/dt = -theta r+ / (a_0 d_b)",
        cathode.interface_carbonate_burial_thickness
    ),
    spec!(
        "Initial discharge product volume fraction [-]",
        FRACTION_LOW_CLOSED,
        "Product present in the cathode at the start",
        cathode.initial_product_fraction
    ),
    spec!(
        "Film tunnelling resistance [Ohm.m2]",
        between(Bound::Closed(0.0), Bound::Closed(1e6)),
        "r_t in R_film = r_t (exp(delta/delta_t) - 1)",
        cathode.film_tunnelling_resistance
    ),
    spec!(
        "Film tunnelling length [m]",
        between(Bound::Open(0.0), Bound::Closed(1.0e-7)),
        "delta_t in R_film = r_t (exp(delta/delta_t) - 1)",
        cathode.film_tunnelling_length
    ),
    spec!(
        "Film resistivity [Ohm.m]",
        between(Bound::Closed(0.0), Bound::Closed(1e20)),
        "rho_f in R_film = rho_f delta (resistive passivation law)",
        cathode.film_resistivity
    ),
    spec!(
        "Metal molar volume [m3.mol-1]",
        between(Bound::Open(0.0), Bound::Closed(1e-3)),
        "Molar volume of the anode metal",
        anode.metal_molar_volume
    ),
    spec!(
        "Initial metal thickness [m]",
        between(Bound::Open(0.0), Bound::Closed(0.01)),
        "Thickness of the metal foil at the start",
        anode.initial_thickness
    ),
    spec!(
        "Anode exchange current density [A.m-2]",
        between(Bound::Open(0.0), Bound::Closed(1e6)),
        "Plating/stripping exchange current at c_0",
        anode.exchange_current_density
    ),
    spec!(
        "Anode transfer coefficient [-]",
        FRACTION_OPEN,
        "Anodic transfer coefficient of stripping; plating uses 1 - alpha",
        anode.transfer_coefficient
    ),
    spec!(
        "Anode stripping salt reaction order [-]",
        ORDER,
        "The stripping branch is proportional to (c_e,0/c_0)^order",
        anode.stripping_salt_order
    ),
    spec!(
        "Anode plating salt reaction order [-]",
        ORDER,
        "The plating branch is proportional to (c_e,0/c_0)^order",
        anode.plating_salt_order
    ),
    spec!(
        "Minimum cathode porosity [-]",
        FRACTION_OPEN,
        "Stop when the porosity of any cathode volume falls below this (pores clogged)",
        limits.minimum_porosity
    ),
    spec!(
        "Minimum metal thickness [m]",
        between(Bound::Closed(0.0), Bound::Closed(0.01)),
        "Stop when the metal thickness falls below this (metal exhausted)",
        limits.minimum_metal_thickness
    ),
    spec!(
        "Minimum salt concentration [mol.m-3]",
        between(Bound::Closed(0.0), Bound::Closed(1e5)),
        "Stop when the salt concentration anywhere falls below this (electrolyte depleted)",
        limits.minimum_salt_concentration
    ),
    spec!(
        "Minimum electrolyte fraction [-]",
        FRACTION_OPEN,
        "Stop when the remaining electrolyte falls below this fraction of the initial (dry-out)",
        limits.minimum_electrolyte_fraction
    ),
    spec!(
        "CO2 partial pressure [Pa]",
        between(Bound::Closed(0.0), Bound::Closed(1.0e7)),
        "CO2 partial pressure of the gas at the cathode boundary",
        atmosphere.co2_partial_pressure
    ),
    spec!(
        "N2 partial pressure [Pa]",
        between(Bound::Closed(0.0), Bound::Closed(1.0e7)),
        "N2 partial pressure of the gas at the cathode boundary",
        atmosphere.n2_partial_pressure
    ),
    spec!(
        "Relative humidity [-]",
        between(Bound::Closed(0.0), Bound::Closed(1.0)),
        "Relative humidity of the gas; H2O partial pressure = RH x saturation pressure",
        atmosphere.relative_humidity
    ),
    spec!(
        "Water saturation vapour pressure [Pa]",
        between(Bound::Open(0.0), Bound::Closed(1e7)),
        "Saturation vapour pressure of water at the cell temperature",
        atmosphere.water_saturation_pressure
    ),
    spec!(
        "H2O Henry constant [mol.m-3.Pa-1]",
        between(Bound::Open(0.0), Bound::Closed(1.0)),
        "Water uptake of the electrolyte per water partial pressure",
        atmosphere.henry.h2o
    ),
    spec!(
        "CO2 Henry constant [mol.m-3.Pa-1]",
        between(Bound::Open(0.0), Bound::Closed(1.0)),
        "CO2 solubility per partial pressure",
        atmosphere.henry.co2
    ),
    spec!(
        "N2 Henry constant [mol.m-3.Pa-1]",
        between(Bound::Open(0.0), Bound::Closed(1.0)),
        "N2 solubility per partial pressure",
        atmosphere.henry.n2
    ),
    spec!(
        "H2O diffusivity [m2.s-1]",
        between(Bound::Open(0.0), Bound::Closed(1e-3)),
        "Diffusivity of dissolved water in the electrolyte",
        atmosphere.diffusivity.h2o
    ),
    spec!(
        "CO2 diffusivity [m2.s-1]",
        between(Bound::Open(0.0), Bound::Closed(1e-3)),
        "Diffusivity of dissolved CO2 in the electrolyte",
        atmosphere.diffusivity.co2
    ),
    spec!(
        "N2 diffusivity [m2.s-1]",
        between(Bound::Open(0.0), Bound::Closed(1e-3)),
        "Diffusivity of dissolved N2 in the electrolyte",
        atmosphere.diffusivity.n2
    ),
    spec!(
        "O2 corrosion rate constant [m.s-1]",
        between(Bound::Open(0.0), Bound::Closed(10.0)),
        "Surface rate constant of 4 M + O2 -> 2 M2O on bare metal",
        corrosion.rate_constant.o2
    ),
    spec!(
        "H2O corrosion rate constant [m.s-1]",
        between(Bound::Open(0.0), Bound::Closed(10.0)),
        "Surface rate constant of 2 M + 2 H2O -> 2 MOH + H2 on bare metal",
        corrosion.rate_constant.h2o
    ),
    spec!(
        "CO2 corrosion rate constant [m.s-1]",
        between(Bound::Open(0.0), Bound::Closed(10.0)),
        "Surface rate constant of 4 M + 3 CO2 -> 2 M2CO3 + C on bare metal",
        corrosion.rate_constant.co2
    ),
    spec!(
        "N2 corrosion rate constant [m.s-1]",
        between(Bound::Open(0.0), Bound::Closed(10.0)),
        "Surface rate constant of 6 M + N2 -> 2 M3N on bare metal",
        corrosion.rate_constant.n2
    ),
    spec!(
        "N2 corrosion water catalysis concentration [mol.m-3]",
        between(Bound::Open(0.0), Bound::Closed(1e5)),
        "Dissolved water at the metal at which the water-catalysed N2 reaction runs at half its rate constant (no water, no nitride)",
        corrosion.n2_water_catalysis_concentration
    ),
    spec!(
        "SEI O2 permeability [m2.s-1]",
        between(Bound::Closed(0.0), Bound::Closed(1e-3)),
        "O2 permeability (diffusivity x partition) of the SEI",
        corrosion.sei_permeability.o2
    ),
    spec!(
        "SEI H2O permeability [m2.s-1]",
        between(Bound::Closed(0.0), Bound::Closed(1e-3)),
        "H2O permeability of the SEI",
        corrosion.sei_permeability.h2o
    ),
    spec!(
        "SEI CO2 permeability [m2.s-1]",
        between(Bound::Closed(0.0), Bound::Closed(1e-3)),
        "CO2 permeability of the SEI",
        corrosion.sei_permeability.co2
    ),
    spec!(
        "SEI N2 permeability [m2.s-1]",
        between(Bound::Closed(0.0), Bound::Closed(1e-3)),
        "N2 permeability of the SEI",
        corrosion.sei_permeability.n2
    ),
    spec!(
        "Corrosion scale O2 permeability [m2.s-1]",
        between(Bound::Open(0.0), Bound::Closed(1e-3)),
        "O2 permeability of the porous outer corrosion scale (hydroxide), on intact and cracked SEI alike",
        corrosion.scale_permeability.o2
    ),
    spec!(
        "Corrosion scale H2O permeability [m2.s-1]",
        between(Bound::Open(0.0), Bound::Closed(1e-3)),
        "H2O permeability of the porous outer corrosion scale (hydroxide), on intact and cracked SEI alike",
        corrosion.scale_permeability.h2o
    ),
    spec!(
        "Corrosion scale CO2 permeability [m2.s-1]",
        between(Bound::Open(0.0), Bound::Closed(1e-3)),
        "CO2 permeability of the porous outer corrosion scale (hydroxide), on intact and cracked SEI alike",
        corrosion.scale_permeability.co2
    ),
    spec!(
        "Corrosion scale N2 permeability [m2.s-1]",
        between(Bound::Open(0.0), Bound::Closed(1e-3)),
        "N2 permeability of the porous outer corrosion scale (hydroxide), on intact and cracked SEI alike",
        corrosion.scale_permeability.n2
    ),
    spec!(
        "Corrosion scale porosity [-]",
        FRACTION_LOW_CLOSED,
        "Porosity of the outer corrosion scale: its thickness is the product volume / (1 - porosity)",
        corrosion.scale_porosity
    ),
    spec!(
        "Corrosion scale resistivity [Ohm.m]",
        between(Bound::Closed(0.0), Bound::Closed(1e20)),
        "Ionic resistivity of the outer corrosion scale (in series with the SEI)",
        corrosion.scale_resistivity
    ),
    spec!(
        "Protective layer thickness [m]",
        between(Bound::Closed(0.0), Bound::Closed(1.0e-3)),
        "Thickness of an artificial protective layer on the metal (0 = none)",
        corrosion.layer_thickness
    ),
    spec!(
        "Protective layer O2 permeability [m2.s-1]",
        between(Bound::Closed(0.0), Bound::Closed(1e-3)),
        "O2 permeability of the protective layer",
        corrosion.layer_permeability.o2
    ),
    spec!(
        "Protective layer H2O permeability [m2.s-1]",
        between(Bound::Closed(0.0), Bound::Closed(1e-3)),
        "H2O permeability of the protective layer",
        corrosion.layer_permeability.h2o
    ),
    spec!(
        "Protective layer CO2 permeability [m2.s-1]",
        between(Bound::Closed(0.0), Bound::Closed(1e-3)),
        "CO2 permeability of the protective layer",
        corrosion.layer_permeability.co2
    ),
    spec!(
        "Protective layer N2 permeability [m2.s-1]",
        between(Bound::Closed(0.0), Bound::Closed(1e-3)),
        "N2 permeability of the protective layer",
        corrosion.layer_permeability.n2
    ),
    spec!(
        "Protective layer resistivity [Ohm.m]",
        between(Bound::Closed(0.0), Bound::Closed(1e20)),
        "Ionic resistivity of the protective layer",
        corrosion.layer_resistivity
    ),
    spec!(
        "Initial SEI thickness [m]",
        between(Bound::Open(0.0), Bound::Closed(1.0e-5)),
        "SEI thickness on the fresh metal",
        sei.initial_thickness
    ),
    spec!(
        "SEI solvent diffusivity [m2.s-1]",
        between(Bound::Closed(0.0), Bound::Closed(1e-3)),
        "Diffusivity of solvent through the SEI (solvent-diffusion-limited growth)",
        sei.solvent_diffusivity
    ),
    spec!(
        "SEI organic molar volume [m3.mol-1]",
        between(Bound::Open(0.0), Bound::Closed(1e-3)),
        "Molar volume of the organic SEI from solvent reduction",
        sei.organic_molar_volume
    ),
    spec!(
        "Metal per organic SEI unit [-]",
        between(Bound::Open(0.0), Bound::Closed(4.0)),
        "Metal atoms consumed per organic SEI unit formed",
        sei.metal_per_organic
    ),
    spec!(
        "SEI resistivity [Ohm.m]",
        between(Bound::Closed(0.0), Bound::Closed(1e20)),
        "Ionic resistivity of the SEI; adds i R_SEI to the anode overpotential",
        sei.resistivity
    ),
    spec!(
        "SEI cracking length [m]",
        between(Bound::Open(0.0), Bound::Closed(10.0)),
        "Metal thickness change that cracks 63 % of the intact SEI",
        sei.cracking_length
    ),
    spec!(
        "SEI healing rate [s-1]",
        between(Bound::Closed(0.0), Bound::Closed(1e6)),
        "First-order rate at which cracked SEI heals (additives raise it)",
        sei.healing_rate
    ),
    spec!(
        "SEI renewal thickness [m]",
        between(Bound::Open(0.0), Bound::Closed(1.0)),
        "Metal thickness stripped per e-fold of the grown dense SEI shed off the metal (out of the ions' and gases' path)",
        sei.renewal_thickness
    ),
    spec!(
        "SEI oxide molar volume [m3.mol-1]",
        between(Bound::Open(0.0), Bound::Closed(1e-3)),
        "Molar volume of the O2 corrosion product M_aO_b (Li2O, Na2O2, KO2)",
        sei.product_molar_volume.o2
    ),
    spec!(
        "SEI hydroxide molar volume [m3.mol-1]",
        between(Bound::Open(0.0), Bound::Closed(1e-3)),
        "Molar volume of the H2O corrosion product (MOH)",
        sei.product_molar_volume.h2o
    ),
    spec!(
        "SEI carbonate molar volume [m3.mol-1]",
        between(Bound::Open(0.0), Bound::Closed(1e-3)),
        "Molar volume of the CO2 corrosion product (M2CO3)",
        sei.product_molar_volume.co2
    ),
    spec!(
        "SEI nitride molar volume [m3.mol-1]",
        between(Bound::Open(0.0), Bound::Closed(1e-3)),
        "Molar volume of the N2 corrosion product (M3N)",
        sei.product_molar_volume.n2
    ),
    spec!(
        "SEI O2 participation concentration [mol.m-3]",
        between(Bound::Open(0.0), Bound::Closed(1e5)),
        "c_1/2: dissolved O2 at the metal at which O2 takes half its part in SEI formation",
        sei.o2_participation_concentration
    ),
    spec!(
        "SEI O2 loss reduction [-]",
        between(Bound::Closed(0.0), Bound::Closed(1e3)),
        "b: the O2-derived SEI divides solvent-SEI growth and dead metal by 1 + b x",
        sei.o2_loss_reduction
    ),
    spec!(
        "SEI O2 resistivity increase [-]",
        between(Bound::Closed(0.0), Bound::Closed(1e3)),
        "g: the oxide that O2 corrosion adds to the dense SEI has (1 + g) times the SEI resistivity",
        sei.o2_resistivity_increase
    ),
    spec!(
        "Dead metal fraction [-]",
        between(Bound::Closed(0.0), Bound::Open(1.0)),
        "Fraction of stripped metal isolated at the reference current density",
        morphology.dead_metal_fraction
    ),
    spec!(
        "Dead metal reference current density [A.m-2]",
        between(Bound::Open(0.0), Bound::Closed(1e6)),
        "Current density at which the dead fraction takes its reference value",
        morphology.dead_metal_reference_current
    ),
    spec!(
        "Dendrite growth factor [-]",
        between(Bound::Closed(0.0), Bound::Closed(100.0)),
        "Factor on the excess plating current of a dendrite tip over the flat surface (1 for a metal foil)",
        morphology.dendrite_growth_factor
    ),
    spec!(
        "Dendrite seed height [m]",
        between(Bound::Open(0.0), Bound::Closed(1e-4)),
        "Height of the surface protrusions dendrites grow from (the metal's roughness)",
        morphology.dendrite_seed_height
    ),
    spec!(
        "Dendrite stripping ratio [-]",
        between(Bound::Closed(0.0), Bound::Closed(1e3)),
        "Dendrite length removed per metal thickness stripped",
        morphology.dendrite_stripping_ratio
    ),
    spec!(
        "Separator gas blocking factor [-]",
        between(Bound::Closed(1.0), Bound::Closed(1e12)),
        "Divides the dissolved-gas diffusivities in the separator (1 = porous; large for gas-tight membranes)",
        geometry.separator_gas_blocking
    ),
    spec!(
        "Separator ionic resistance factor [-]",
        between(Bound::Closed(1.0), Bound::Closed(1e6)),
        "Divides ionic conductivity and salt diffusivity in the separator (1 = liquid-filled pores)",
        geometry.separator_ionic_resistance
    ),
    spec!(
        "Separator anion blocking fraction [-]",
        between(Bound::Closed(0.0), Bound::Closed(1.0)),
        "Fraction of the anion's share of the current the separator blocks: t+ in it is t+ + f (1 - t+) (0 = liquid-filled pores; 1 = single-ion conductor)",
        geometry.separator_anion_blocking
    ),
    spec!(
        "Gas access radius [m]",
        between(Bound::Open(0.0), Bound::Closed(1.0)),
        "Symmetric cells: distance from the separator's open edge to its centre; gases enter the electrolyte through the edge",
        geometry.gas_access_radius
    ),
    spec!(
        "Maximum polarisation [V]",
        between(Bound::Open(0.0), Bound::Closed(10.0)),
        "Symmetric cells: stop when the magnitude of the cell voltage reaches this value",
        limits.maximum_polarisation
    ),
    spec!(
        "Anode open-circuit potential [V]",
        between(Bound::Closed(0.0), Bound::Closed(1.5)),
        "Equilibrium potential of the anode vs the pure metal (0 for the metal, ~0.4 V for alloys)",
        anode.open_circuit_potential
    ),
    spec!(
        "Anode surface area factor [-]",
        between(Bound::Closed(1.0), Bound::Closed(1.0e3)),
        "Active anode area per projected area (1 = foil, > 1 = 3D host)",
        anode.surface_area_factor
    ),
    spec!(
        "Anode double-layer capacitance [F.m-2]",
        between(Bound::Closed(0.0), Bound::Closed(10.0)),
        "Double-layer capacitance of the metal surface per true area (impedance spectra only)",
        anode.double_layer_capacitance
    ),
    spec!(
        "Cathode double-layer capacitance [F.m-2]",
        between(Bound::Closed(0.0), Bound::Closed(10.0)),
        "Double-layer capacitance per carbon surface (impedance spectra; the time domain with option double_layer)",
        cathode.double_layer_capacitance
    ),
    spec!(
        "Surface layer relative permittivity [-]",
        between(Bound::Closed(1.0), Bound::Closed(1000.0)),
        "Relative permittivity of the SEI, scale and protective layer on the metal: their capacitance eps_0 eps_r a_f / L (impedance spectra only)",
        sei.relative_permittivity
    ),
    spec!(
        "Anode interfacial resistance [Ohm.m2]",
        between(Bound::Closed(0.0), Bound::Closed(1e6)),
        "Contact resistance between metal and separator or solid electrolyte",
        anode.interfacial_resistance
    ),
    spec!(
        "Separator dendrite resistance factor [-]",
        between(Bound::Closed(1.0), Bound::Closed(1e6)),
        "Dendrites short the cell at this multiple of the separator thickness (strong separators, solid electrolytes > 1)",
        morphology.separator_dendrite_resistance
    ),
    spec!(
        "Electrons per oxidised solvent molecule [-]",
        between(Bound::Closed(1.0), Bound::Closed(100.0)),
        "Electrons the electrolyte's oxidation on the carbon takes per solvent molecule it consumes (the charge's cost in solvent)",
        solvent.electrons_per_oxidised_molecule
    ),
    spec!(
        "Solvent concentration [mol.m-3]",
        between(Bound::Open(0.0), Bound::Closed(1e5)),
        "Solvent molecules per electrolyte volume",
        solvent.concentration
    ),
    spec!(
        "Solvent vapour pressure [Pa]",
        between(Bound::Closed(0.0), Bound::Closed(1e7)),
        "Vapour pressure of the solvent at the cell temperature",
        solvent.vapour_pressure
    ),
    spec!(
        "Evaporation mass-transfer coefficient [m.s-1]",
        between(Bound::Closed(0.0), Bound::Closed(10.0)),
        "Solvent vapour transfer from an open cathode to the ambient",
        solvent.evaporation_coefficient
    ),
    spec!(
        "Electrolyte reservoir thickness [m]",
        between(Bound::Closed(0.0), Bound::Closed(0.1)),
        "Excess electrolyte outside the pores, as a liquid thickness over the electrode area",
        solvent.reservoir_thickness
    ),
    spec!(
        "Redox mediator concentration [mol.m-3]",
        between(Bound::Closed(0.0), Bound::Closed(1e5)),
        "Total redox mediator concentration, initially reduced",
        mediator.concentration
    ),
    spec!(
        "Redox mediator standard potential [V]",
        between(Bound::Open(0.0), Bound::Closed(6.0)),
        "Standard potential of RM+ + e- <-> RM against the metal",
        mediator.standard_potential
    ),
    spec!(
        "Redox mediator exchange current density [A.m-2]",
        between(Bound::Open(0.0), Bound::Closed(1e6)),
        "Exchange current of RM oxidation per carbon area",
        mediator.exchange_current_density
    ),
    spec!(
        "Redox mediator diffusivity [m2.s-1]",
        between(Bound::Open(0.0), Bound::Closed(1e-3)),
        "Diffusivity of RM and RM+ in the electrolyte",
        mediator.diffusivity
    ),
    spec!(
        "Redox mediator chemical rate constant [m.s-1]",
        between(Bound::Closed(0.0), Bound::Closed(10.0)),
        "Rate constant of RM+ oxidising the discharge product, at the mediator potential of the fastest reaction (E0 + lambda/F)",
        mediator.chemical_rate_constant
    ),
    spec!(
        "Redox mediator reorganisation energy [J.mol-1]",
        between(Bound::Open(0.0), Bound::Closed(5e5)),
        "Marcus reorganisation energy of the product's one-electron oxidation by RM+: the rate falls as exp(-(lambda - F (E_RM - E0))^2 / (4 lambda R T))",
        mediator.reorganisation_energy
    ),
    spec!(
        "Redox mediator shuttle rate constant [m.s-1]",
        between(Bound::Closed(0.0), Bound::Closed(10.0)),
        "Rate constant of RM+ reduction by bare metal (shuttle)",
        mediator.shuttle_rate_constant
    ),
    spec!(
        "SEI RM+ permeability [m2.s-1]",
        between(Bound::Closed(0.0), Bound::Closed(1e-3)),
        "Permeability of the SEI to RM+",
        mediator.sei_permeability
    ),
    spec!(
        "Redox mediator SEI attack fraction [-]",
        between(Bound::Closed(0.0), Bound::Closed(1.0)),
        "Fraction of the RM+ crossing the intact SEI that oxidises the SEI on its way (opening cracks) instead of the metal beneath",
        mediator.sei_attack_fraction
    ),
    spec!(
        "Superoxide solution fraction [-]",
        between(Bound::Closed(0.0), Bound::Closed(1.0)),
        "Share of the product-forming O2 reduction that forms superoxide in solution (option dissolved_superoxide)",
        superoxide.solution_fraction
    ),
    spec!(
        "Superoxide lifetime [s]",
        between(Bound::Open(0.0), Bound::Closed(1e6)),
        "Lifetime of dissolved superoxide against its decay to the discharge product (and O2)",
        superoxide.lifetime
    ),
    spec!(
        "Superoxide diffusivity [m2.s-1]",
        between(Bound::Open(0.0), Bound::Closed(1e-3)),
        "Diffusivity of dissolved superoxide (the cation-superoxide ion pair)",
        superoxide.diffusivity
    ),
    spec!(
        "Superoxide corrosion rate constant [m.s-1]",
        between(Bound::Closed(0.0), Bound::Closed(10.0)),
        "Rate constant of dissolved superoxide reacting with bare metal",
        superoxide.rate_constant
    ),
    spec!(
        "Corrosion scale RM+ permeability [m2.s-1]",
        between(Bound::Open(0.0), Bound::Closed(1e-3)),
        "Permeability of the outer corrosion scale to RM+",
        mediator.scale_permeability
    ),
    spec!(
        "Protective layer RM+ permeability [m2.s-1]",
        between(Bound::Closed(0.0), Bound::Closed(1e-3)),
        "Permeability of the protective layer to RM+ (in series with the SEI)",
        mediator.layer_permeability
    ),
    spec!(
        "Redox mediator electrons per oxidised unit [-]",
        between(Bound::Closed(1.0), Bound::Closed(4.0)),
        "n in nu R <-> O + n e- (1 for TEMPO/TEMPO+, 2 for 3 Br- <-> Br3- + 2 e-)",
        mediator.electrons
    ),
    spec!(
        "Redox mediator reduced units per oxidised unit [-]",
        between(Bound::Closed(1.0), Bound::Closed(4.0)),
        "nu in nu R <-> O + n e- (1 for TEMPO, 3 for Br-/Br3- and I-/I3-)",
        mediator.reduced_per_oxidised
    ),
    spec!(
        "Redox mediator reduced-form charge number [-]",
        between(Bound::Closed(-3.0), Bound::Closed(3.0)),
        "Charge number of the reduced form (Br-, I-: -1; TEMPO: 0): its migration",
        mediator.reduced_charge
    ),
    spec!(
        "Redox mediator oxidised-form charge number [-]",
        between(Bound::Closed(-3.0), Bound::Closed(3.0)),
        "Charge number of the oxidised form (Br3-, I3-: -1; TEMPO+: +1): its migration",
        mediator.oxidised_charge
    ),
    spec!(
        "Separator mediator blocking factor [-]",
        between(Bound::Closed(1.0), Bound::Closed(1e12)),
        "Factor by which the separator slows RM/RM+ (1 = porous; >1 for RM-binding separators)",
        mediator.separator_blocking
    ),
    spec!(
        "Parasitic current fraction [-]",
        FRACTION_LOW_CLOSED,
        "Fraction of the O2-reduction current decomposing the electrolyte at zero overpotential",
        cathode.parasitic_fraction
    ),
    spec!(
        "Parasitic overpotential scale [V]",
        between(Bound::Open(0.0), Bound::Closed(10.0)),
        "ORR overpotential over which the parasitic fraction grows e-fold",
        cathode.parasitic_overpotential_scale
    ),
    spec!(
        "Parasitic product molar volume [m3.mol-1]",
        between(Bound::Open(0.0), Bound::Closed(1e-3)),
        "Volume of the Li2CO3-like deposit per two electrons of parasitic current",
        cathode.parasitic_molar_volume
    ),
    spec!(
        "Headspace volume [m3]",
        between(Bound::Open(0.0), Bound::Closed(1.0)),
        "Gas volume above the cathode of a sealed cell (gas_boundary = \"headspace\"): its partial pressures follow the gas the cell draws and releases",
        oxygen.headspace_volume
    ),
    spec!(
        "Minimum cell voltage [V]",
        between(Bound::Closed(0.0), Bound::Closed(5.0)),
        "Metal-air cells: a discharge step without its own voltage limit stops here (the cathode reactions the model carries need O2)",
        limits.minimum_cell_voltage
    ),
    spec!(
        "Parasitic O2 per deposit unit [-]",
        between(Bound::Closed(0.0), Bound::Closed(4.0)),
        "O2 molecules the parasitic reaction takes per deposit unit (two electrons): the oxygen its deposit holds beside the solvent's",
        cathode.parasitic_o2_per_unit
    ),
    spec!(
        "Carbonate oxidation onset potential [V]",
        between(Bound::Open(0.0), Bound::Closed(6.0)),
        "Carbon potential against the local electrolyte (metal reference) above which the parasitic carbonate deposit oxidises to CO2 on charge (parasitic option)",
        cathode.carbonate_onset_potential
    ),
    spec!(
        "Carbonate oxidation onset current density [A.m-2]",
        between(Bound::Closed(0.0), Bound::Closed(1e3)),
        "Carbonate oxidation current per carbon area at the onset potential on carbon fully covered by deposit (0 switches the oxidation off)",
        cathode.carbonate_onset_current_density
    ),
    spec!(
        "Carbonate oxidation transfer coefficient [-]",
        between(Bound::Open(0.0), Bound::Closed(1.0)),
        "Anodic transfer coefficient of carbonate oxidation (Tafel slope RT ln10/(alpha F))",
        cathode.carbonate_transfer_coefficient
    ),
    spec!(
        "Carbon oxidation onset potential [V]",
        between(Bound::Open(0.0), Bound::Closed(6.0)),
        "Carbon potential against the local electrolyte (metal reference) above which carbon in contact with the discharge product oxidises to carbonate on charge (carbon_oxidation option)",
        cathode.carbon_oxidation_onset_potential
    ),
    spec!(
        "Carbon oxidation onset current density [A.m-2]",
        between(Bound::Closed(0.0), Bound::Closed(1e3)),
        "Carbon oxidation current per carbon area at the onset potential, on bare carbon in full contact with product (0 switches the reaction off)",
        cathode.carbon_oxidation_onset_current_density
    ),
    spec!(
        "Carbon oxidation transfer coefficient [-]",
        between(Bound::Open(0.0), Bound::Closed(1.0)),
        "Anodic transfer coefficient of carbon oxidation (Tafel slope RT ln10/(alpha F))",
        cathode.carbon_oxidation_transfer_coefficient
    ),
    spec!(
        "Carbon carbonate monolayer [mol.m-2]",
        between(Bound::Open(0.0), Bound::Closed(1e-3)),
        "Carbonate per carbon area in one monolayer: the unit of the carbon's carbonate coverage (carbon_oxidation option)",
        cathode.carbon_carbonate_monolayer
    ),
    spec!(
        "Carbon carbonate exchange current factor [-]",
        between(Bound::Closed(1.0), Bound::Closed(1e6)),
        "K_C: on carbon covered by its carbonate the product reaction's exchange current density is divided by K_C; covered fraction 1 - exp(-theta) for theta monolayers (carbon_oxidation option)",
        cathode.carbon_carbonate_factor
    ),
    spec!(
        "Metal molar mass [kg.mol-1]",
        between(Bound::Open(0.0), Bound::Closed(1.0)),
        "Molar mass of the anode metal",
        design.metal_molar_mass
    ),
    spec!(
        "Discharge product molar mass [kg.mol-1]",
        between(Bound::Open(0.0), Bound::Closed(1.0)),
        "Molar mass of the product per mole of O2 it holds",
        design.product_molar_mass
    ),
    spec!(
        "Electrolyte density [kg.m-3]",
        between(Bound::Open(0.0), Bound::Closed(3e4)),
        "Density of the electrolyte",
        design.electrolyte_density
    ),
    spec!(
        "Electrolyte to carbon mass ratio [-]",
        between(Bound::Closed(0.0), Bound::Closed(1e4)),
        "E/C ratio of the cell design (at least the pore-filling amount is counted)",
        design.electrolyte_to_carbon
    ),
    spec!(
        "Carbon density [kg.m-3]",
        between(Bound::Open(0.0), Bound::Closed(3e4)),
        "Skeletal density of the cathode carbon",
        design.carbon_density
    ),
    spec!(
        "Catalyst areal loading [kg.m-2]",
        between(Bound::Closed(0.0), Bound::Closed(100.0)),
        "Catalyst mass per electrode area",
        design.catalyst_loading
    ),
    spec!(
        "Separator density [kg.m-3]",
        between(Bound::Open(0.0), Bound::Closed(3e4)),
        "Density of the separator material",
        design.separator_density
    ),
    spec!(
        "Protective layer density [kg.m-3]",
        between(Bound::Open(0.0), Bound::Closed(3e4)),
        "Density of the protective layer",
        design.layer_density
    ),
    spec!(
        "Anode current collector areal mass [kg.m-2]",
        between(Bound::Closed(0.0), Bound::Closed(100.0)),
        "Anode current collector mass per area",
        design.anode_collector_mass
    ),
    spec!(
        "Anode current collector thickness [m]",
        between(Bound::Closed(0.0), Bound::Closed(0.01)),
        "Anode current collector thickness",
        design.anode_collector_thickness
    ),
    spec!(
        "Cathode current collector areal mass [kg.m-2]",
        between(Bound::Closed(0.0), Bound::Closed(100.0)),
        "Cathode current collector or gas diffusion layer mass per area",
        design.cathode_collector_mass
    ),
    spec!(
        "Cathode current collector thickness [m]",
        between(Bound::Closed(0.0), Bound::Closed(0.01)),
        "Cathode current collector or gas diffusion layer thickness",
        design.cathode_collector_thickness
    ),
    spec!(
        "Packaging mass fraction [-]",
        FRACTION_LOW_CLOSED,
        "Packaging share of the cell mass",
        design.packaging_mass_fraction
    ),
    spec!(
        "Packaging volume fraction [-]",
        FRACTION_LOW_CLOSED,
        "Packaging share of the cell volume",
        design.packaging_volume_fraction
    ),
    spec!(
        "Pack cell mass fraction [-]",
        between(Bound::Open(0.0), Bound::Closed(1.0)),
        "Cells' share of the pack mass before O2 handling",
        design.pack_cell_mass_fraction
    ),
    spec!(
        "Pack cell volume fraction [-]",
        between(Bound::Open(0.0), Bound::Closed(1.0)),
        "Cells' share of the pack volume before O2 handling",
        design.pack_cell_volume_fraction
    ),
    spec!(
        "Air handling specific mass [kg.Wh-1]",
        between(Bound::Closed(0.0), Bound::Closed(10.0)),
        "Mass of air handling (compressor, O2 membrane, drier, CO2 scrubber) per Wh of an open system",
        design.air_handling_mass
    ),
    spec!(
        "Air handling specific volume [m3.Wh-1]",
        between(Bound::Closed(0.0), Bound::Closed(1.0)),
        "Volume of air handling per Wh of an open system",
        design.air_handling_volume
    ),
    spec!(
        "O2 tank mass ratio [-]",
        between(Bound::Closed(0.0), Bound::Closed(1e3)),
        "Tank mass per mass of O2 carried by a closed system",
        design.o2_tank_mass_ratio
    ),
    spec!(
        "O2 tank specific volume [m3.kg-1]",
        between(Bound::Closed(0.0), Bound::Closed(100.0)),
        "Tank volume per mass of O2 carried by a closed system",
        design.o2_tank_volume
    ),
];

/// The entry with exactly this name.
pub fn find(name: &str) -> Option<&'static ParamSpec> {
    REGISTRY.iter().find(|s| s.name == name.trim())
}

/// Explains why `name` is not a parameter: a wrong unit, or the closest names.
pub fn suggest(name: &str) -> String {
    let (base, unit) = split_unit(name.trim());
    if let Some(spec) = REGISTRY
        .iter()
        .find(|s| s.base_name().eq_ignore_ascii_case(base))
    {
        return format!(
            "wrong unit [{unit}]: the parameter is \"{}\" (SI unit [{}])",
            spec.name,
            spec.unit()
        );
    }
    let lower = base.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let mut close: Vec<&str> = REGISTRY
        .iter()
        .filter(|s| {
            let b = s.base_name().to_lowercase();
            words.iter().any(|w| w.len() > 2 && b.contains(w))
        })
        .map(|s| s.name)
        .take(4)
        .collect();
    if close.is_empty() {
        "no such parameter (`triphase params` lists them all)".to_string()
    } else {
        close.sort();
        format!("no such parameter; similar: {}", close.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_carry_units() {
        for (i, a) in REGISTRY.iter().enumerate() {
            assert!(a.name.ends_with(']'), "{} has no unit", a.name);
            for b in &REGISTRY[i + 1..] {
                assert_ne!(a.base_name(), b.base_name());
            }
        }
    }

    #[test]
    fn accessors_address_distinct_fields() {
        let mut p = Parameters::unset();
        for (i, s) in REGISTRY.iter().enumerate() {
            (s.set)(&mut p, i as f64);
        }
        for (i, s) in REGISTRY.iter().enumerate() {
            assert_eq!((s.get)(&p), i as f64, "{}", s.name);
        }
    }

    #[test]
    fn wrong_unit_is_recognised() {
        let msg = suggest("Cathode thickness [um]");
        assert!(
            msg.contains("wrong unit [um]") && msg.contains("Cathode thickness [m]"),
            "{msg}"
        );
        assert!(suggest("Cathode thicknes [m]").contains("similar"));
    }
}

#[cfg(test)]
mod range_tests {
    use super::*;

    /// Every parameter has a physically meaningful, finite range: 1e300 is refused everywhere
    /// (a thickness is not 1e300 m), and so is a negative value, except for the signed
    /// quantities (the charge numbers of the mediator's ions), which take -1 and refuse -1e300.
    #[test]
    fn every_parameter_has_a_finite_range() {
        const SIGNED: [&str; 2] = [
            "Redox mediator reduced-form charge number [-]",
            "Redox mediator oxidised-form charge number [-]",
        ];
        for spec in REGISTRY {
            assert!(
                !matches!(spec.range.hi, Bound::Unbounded),
                "{} has no upper bound",
                spec.name
            );
            assert!(!spec.range.contains(1e300), "{}", spec.name);
            if SIGNED.contains(&spec.name) {
                assert!(spec.range.contains(-1.0), "{}", spec.name);
                assert!(!spec.range.contains(-1e300), "{}", spec.name);
            } else {
                assert!(!spec.range.contains(-1e-300), "{}", spec.name);
            }
        }
    }
}
