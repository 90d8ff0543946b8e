//! The table of documented parameter names.
//!
//! Each entry gives the PyBaMM/BPX-style name (unit in brackets), the allowed range, a one-line
//! description and the field it sets. Lookups by name are exact; a name that matches an entry
//! except for its unit is reported as a unit error by [`suggest`].

use super::{Bound, Parameters, Range};

/// A documented parameter.
#[derive(Clone, Copy)]
pub struct ParamSpec {
    /// Name with its SI unit in brackets, e.g. "Cathode thickness [m]".
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

const POS: Range = Range {
    lo: Bound::Open(0.0),
    hi: Bound::Unbounded,
};
const NONNEG: Range = Range {
    lo: Bound::Closed(0.0),
    hi: Bound::Unbounded,
};
const FRACTION_OPEN: Range = Range {
    lo: Bound::Open(0.0),
    hi: Bound::Open(1.0),
};
const FRACTION_LOW_CLOSED: Range = Range {
    lo: Bound::Closed(0.0),
    hi: Bound::Open(1.0),
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
        POS,
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
        POS,
        "Carbon surface area per cathode volume, a_0",
        geometry.cathode_specific_area
    ),
    spec!(
        "Bruggeman exponent [-]",
        between(Bound::Closed(1.0), Bound::Closed(5.0)),
        "Effective transport property = porosity^b x bulk property",
        geometry.bruggeman
    ),
    spec!(
        "Initial concentration in electrolyte [mol.m-3]",
        POS,
        "Initial salt concentration c_0",
        electrolyte.initial_concentration
    ),
    spec!(
        "Electrolyte diffusivity [m2.s-1]",
        POS,
        "Salt diffusivity of the binary electrolyte",
        electrolyte.diffusivity
    ),
    spec!(
        "Electrolyte conductivity [S.m-1]",
        POS,
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
        "O2 Henry constant [mol.m-3.Pa-1]",
        POS,
        "O2 solubility per partial pressure: c_sat = H p_O2",
        oxygen.henry_constant
    ),
    spec!(
        "O2 diffusivity [m2.s-1]",
        POS,
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
        POS,
        "O2 concentration at which the cathode exchange current is given",
        oxygen.reference_concentration
    ),
    spec!(
        "Cathode electronic conductivity [S.m-1]",
        POS,
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
        POS,
        "Product volume per mole of O2 it contains",
        cathode.product_molar_volume
    ),
    spec!(
        "Cathode exchange current density [A.m-2]",
        POS,
        "ORR/OER exchange current per carbon surface at c_0 and c_O2,ref",
        cathode.exchange_current_density
    ),
    spec!(
        "Cathode anodic transfer coefficient [-]",
        FRACTION_OPEN,
        "Transfer coefficient of product oxidation (charge)",
        cathode.anodic_transfer_coefficient
    ),
    spec!(
        "Cathode cathodic transfer coefficient [-]",
        FRACTION_OPEN,
        "Transfer coefficient of O2 reduction (discharge)",
        cathode.cathodic_transfer_coefficient
    ),
    spec!(
        "Active area exponent [-]",
        between(Bound::Closed(0.0), Bound::Closed(5.0)),
        "xi in a = a_0 (1 - eps_p/eps_c0)^xi (pore clogging)",
        cathode.area_exponent
    ),
    spec!(
        "Product saturation volume fraction [-]",
        FRACTION_OPEN,
        "Product volume fraction at which the oxidation rate is half its maximum",
        cathode.product_saturation_fraction
    ),
    spec!(
        "Initial discharge product volume fraction [-]",
        FRACTION_LOW_CLOSED,
        "Product present in the cathode at the start",
        cathode.initial_product_fraction
    ),
    spec!(
        "Film tunnelling resistance [Ohm.m2]",
        NONNEG,
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
        NONNEG,
        "rho_f in R_film = rho_f delta (resistive passivation law)",
        cathode.film_resistivity
    ),
    spec!(
        "Metal molar volume [m3.mol-1]",
        POS,
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
        POS,
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
        "Minimum cathode porosity [-]",
        FRACTION_OPEN,
        "Stop when the porosity of any cathode volume falls below this (pores clogged)",
        limits.minimum_porosity
    ),
    spec!(
        "Minimum metal thickness [m]",
        NONNEG,
        "Stop when the metal thickness falls below this (metal exhausted)",
        limits.minimum_metal_thickness
    ),
    spec!(
        "Minimum salt concentration [mol.m-3]",
        NONNEG,
        "Stop when the salt concentration anywhere falls below this (electrolyte depleted)",
        limits.minimum_salt_concentration
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
