//! Thermodynamic data and theoretical energy densities of metal–air (and reference) reactions.
//!
//! For a reaction sum(nu_r R) -> sum(nu_p P) transferring z electrons:
//!
//!   Delta_r G = sum nu_p Delta_f G(P) - sum nu_r Delta_f G(R),   E0 = -Delta_r G / (z F)
//!   specific capacity  = z F / (3.6 m) [mAh g-1],   specific energy = E0 x capacity [Wh kg-1]
//!
//! with m the mass of the discharged product (O2 counted: "with O2") or of the metal alone
//! (the charged anode; O2 taken from the air: "without O2"); volumetric values use the
//! densities of product or metal.

use serde::Serialize;

use crate::constants::FARADAY;

/// A species with its formation data.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Species {
    /// Formula.
    pub formula: &'static str,
    /// Molar mass [g.mol-1].
    pub molar_mass: f64,
    /// Standard Gibbs energy of formation at 298.15 K [kJ.mol-1].
    pub gibbs_formation: f64,
    /// Density of the condensed phase [g.cm-3] (gases: 0).
    pub density: f64,
    /// Source of the formation energy and density.
    pub source: &'static str,
}

const NBS: &str = "Wagman et al., NBS tables of chemical thermodynamic properties, J. Phys. Chem. Ref. Data 11 (1982) Suppl. 2; densities CRC Handbook";

/// The thermodynamic data table.
pub static SPECIES: &[Species] = &[
    Species {
        formula: "Li",
        molar_mass: 6.941,
        gibbs_formation: 0.0,
        density: 0.534,
        source: "element; CRC Handbook",
    },
    Species {
        formula: "Na",
        molar_mass: 22.990,
        gibbs_formation: 0.0,
        density: 0.968,
        source: "element; CRC Handbook",
    },
    Species {
        formula: "K",
        molar_mass: 39.098,
        gibbs_formation: 0.0,
        density: 0.862,
        source: "element; CRC Handbook",
    },
    Species {
        formula: "O2",
        molar_mass: 31.998,
        gibbs_formation: 0.0,
        density: 0.0,
        source: "element (gas)",
    },
    Species {
        formula: "CO2",
        molar_mass: 44.009,
        gibbs_formation: -394.36,
        density: 0.0,
        source: NBS,
    },
    Species {
        formula: "C",
        molar_mass: 12.011,
        gibbs_formation: 0.0,
        density: 2.26,
        source: "element (graphite); CRC Handbook",
    },
    Species {
        formula: "Li2O2",
        molar_mass: 45.881,
        gibbs_formation: -571.0,
        density: 2.31,
        source: NBS,
    },
    Species {
        formula: "Li2O",
        molar_mass: 29.881,
        gibbs_formation: -561.2,
        density: 2.013,
        source: NBS,
    },
    Species {
        formula: "NaO2",
        molar_mass: 54.989,
        gibbs_formation: -218.4,
        density: 2.20,
        source: NBS,
    },
    Species {
        formula: "Na2O2",
        molar_mass: 77.978,
        gibbs_formation: -449.7,
        density: 2.805,
        source: NBS,
    },
    Species {
        formula: "KO2",
        molar_mass: 71.097,
        gibbs_formation: -239.4,
        density: 2.16,
        source: NBS,
    },
    Species {
        formula: "Li2CO3",
        molar_mass: 73.891,
        gibbs_formation: -1132.06,
        density: 2.11,
        source: NBS,
    },
];

/// A species by formula.
pub fn species(formula: &str) -> &'static Species {
    SPECIES
        .iter()
        .find(|s| s.formula == formula)
        .unwrap_or_else(|| panic!("{formula} is in the table"))
}

/// A cell reaction: metal + gas -> products, per formula as written.
#[derive(Debug, Clone, Copy)]
pub struct Reaction {
    /// Name, e.g. "Li-O2 (Li2O2)".
    pub name: &'static str,
    /// Reactants (formula, coefficient).
    pub reactants: &'static [(&'static str, f64)],
    /// Products (formula, coefficient).
    pub products: &'static [(&'static str, f64)],
    /// Electrons transferred.
    pub electrons: f64,
    /// The metal (the charged anode).
    pub metal: &'static str,
}

/// The metal–air reactions of the field.
pub static REACTIONS: &[Reaction] = &[
    Reaction {
        name: "Li-O2 (Li2O2)",
        reactants: &[("Li", 2.0), ("O2", 1.0)],
        products: &[("Li2O2", 1.0)],
        electrons: 2.0,
        metal: "Li",
    },
    Reaction {
        name: "Li-O2 (Li2O)",
        reactants: &[("Li", 4.0), ("O2", 1.0)],
        products: &[("Li2O", 2.0)],
        electrons: 4.0,
        metal: "Li",
    },
    Reaction {
        name: "Na-O2 (NaO2)",
        reactants: &[("Na", 1.0), ("O2", 1.0)],
        products: &[("NaO2", 1.0)],
        electrons: 1.0,
        metal: "Na",
    },
    Reaction {
        name: "Na-O2 (Na2O2)",
        reactants: &[("Na", 2.0), ("O2", 1.0)],
        products: &[("Na2O2", 1.0)],
        electrons: 2.0,
        metal: "Na",
    },
    Reaction {
        name: "K-O2 (KO2)",
        reactants: &[("K", 1.0), ("O2", 1.0)],
        products: &[("KO2", 1.0)],
        electrons: 1.0,
        metal: "K",
    },
    Reaction {
        name: "Li-CO2 (Li2CO3 + C)",
        reactants: &[("Li", 4.0), ("CO2", 3.0)],
        products: &[("Li2CO3", 2.0), ("C", 1.0)],
        electrons: 4.0,
        metal: "Li",
    },
];

/// Theoretical figures of one reaction.
#[allow(non_snake_case)]
#[derive(Debug, Clone, Serialize)]
pub struct Theoretical {
    /// Reaction name.
    pub reaction: &'static str,
    /// Standard potential [V].
    pub E0_V: f64,
    /// Specific capacity per mass of discharged product (O2 included) [mAh.g-1].
    pub capacity_product_mAh_g: f64,
    /// Specific energy per mass of discharged product (O2 included) [Wh.kg-1].
    pub energy_product_Wh_kg: f64,
    /// Energy density per volume of discharged product [Wh.L-1].
    pub energy_product_Wh_L: f64,
    /// Specific capacity per mass of metal (O2 excluded) [mAh.g-1].
    pub capacity_metal_mAh_g: f64,
    /// Specific energy per mass of metal (O2 excluded) [Wh.kg-1].
    pub energy_metal_Wh_kg: f64,
    /// Energy density per volume of metal [Wh.L-1].
    pub energy_metal_Wh_L: f64,
}

impl Reaction {
    /// Gibbs energy of reaction [kJ] per reaction as written.
    pub fn gibbs(&self) -> f64 {
        let sum = |side: &[(&str, f64)]| -> f64 {
            side.iter()
                .map(|(f, n)| n * species(f).gibbs_formation)
                .sum()
        };
        sum(self.products) - sum(self.reactants)
    }

    /// Standard potential E0 = -Delta_r G / (z F) [V].
    pub fn standard_potential(&self) -> f64 {
        -self.gibbs() * 1e3 / (self.electrons * FARADAY)
    }

    /// All theoretical figures.
    pub fn theoretical(&self) -> Theoretical {
        let e0 = self.standard_potential();
        let charge_mah = self.electrons * FARADAY / 3.6; // mAh per reaction as written
        let product_mass: f64 = self
            .products
            .iter()
            .map(|(f, n)| n * species(f).molar_mass)
            .sum();
        let product_volume: f64 = self
            .products
            .iter()
            .map(|(f, n)| n * species(f).molar_mass / species(f).density)
            .sum(); // cm3
        let metal = species(self.metal);
        let metal_n = self
            .reactants
            .iter()
            .find(|(f, _)| *f == self.metal)
            .map_or(0.0, |(_, n)| *n);
        let metal_mass = metal_n * metal.molar_mass;
        let metal_volume = metal_mass / metal.density;
        let cap_p = charge_mah / product_mass;
        let cap_m = charge_mah / metal_mass;
        Theoretical {
            reaction: self.name,
            E0_V: e0,
            capacity_product_mAh_g: cap_p,
            energy_product_Wh_kg: e0 * cap_p,
            energy_product_Wh_L: e0 * charge_mah / product_volume,
            capacity_metal_mAh_g: cap_m,
            energy_metal_Wh_kg: e0 * cap_m,
            energy_metal_Wh_L: e0 * charge_mah / metal_volume,
        }
    }
}

/// A literature reference point to compare with (not recomputed here).
#[allow(non_snake_case)]
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ReferencePoint {
    /// Chemistry.
    pub name: &'static str,
    /// Theoretical specific energy of the active materials [Wh.kg-1].
    pub theoretical_Wh_kg: f64,
    /// Theoretical energy density of the active materials [Wh.L-1].
    pub theoretical_Wh_L: f64,
    /// Typical practical cell specific energy [Wh.kg-1].
    pub practical_cell_Wh_kg: f64,
    /// Sources.
    pub source: &'static str,
}

/// Reference chemistries researchers compare with.
pub static REFERENCES: &[ReferencePoint] = &[
    ReferencePoint {
        name: "Li-ion (graphite | layered oxide)",
        theoretical_Wh_kg: 387.0,
        theoretical_Wh_L: 1015.0,
        practical_cell_Wh_kg: 250.0,
        source: "Bruce et al., Nat. Mater. 11 (2012) 19 (Table 1, C6/LiCoO2); practical: commercial cells 200-300 Wh kg-1",
    },
    ReferencePoint {
        name: "Li-S",
        theoretical_Wh_kg: 2567.0,
        theoretical_Wh_L: 2199.0,
        practical_cell_Wh_kg: 350.0,
        source: "Bruce et al., Nat. Mater. 11 (2012) 19 (Table 1); practical: estimate for prototype pouch cells",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn find(name: &str) -> Theoretical {
        REACTIONS
            .iter()
            .find(|r| r.name == name)
            .unwrap()
            .theoretical()
    }

    /// Hand-computed values (F = 96485.33 C/mol, molar masses above) within 0.5 %.
    #[test]
    fn theoretical_values_match_hand_calculations() {
        let close = |a: f64, b: f64| (a / b - 1.0).abs() < 0.005;
        // Li2O2: 571.0 kJ/(2 F) = 2.959 V; 2F/(3.6 x 45.881) = 1168.2 mAh/g; Li: 2F/(3.6 x 13.882) = 3861 mAh/g
        let t = find("Li-O2 (Li2O2)");
        assert!(close(t.E0_V, 2.959), "{}", t.E0_V);
        assert!(
            close(t.capacity_product_mAh_g, 1168.2),
            "{}",
            t.capacity_product_mAh_g
        );
        assert!(
            close(t.energy_product_Wh_kg, 3457.0),
            "{}",
            t.energy_product_Wh_kg
        );
        assert!(
            close(t.capacity_metal_mAh_g, 3861.0),
            "{}",
            t.capacity_metal_mAh_g
        );
        assert!(
            close(t.energy_metal_Wh_kg, 11425.0),
            "{}",
            t.energy_metal_Wh_kg
        );
        assert!(
            close(t.energy_product_Wh_L, 3457.0 * 2.31),
            "{}",
            t.energy_product_Wh_L
        );
        // Li2O: 2 x 561.2 / (4 F) = 2.908 V, 4F/(3.6 x 59.762) = 1793.8 mAh/g
        let t = find("Li-O2 (Li2O)");
        assert!(close(t.E0_V, 2.908) && close(t.capacity_product_mAh_g, 1793.8));
        // NaO2: 218.4/F = 2.264 V, F/(3.6 x 54.989) = 487.4 mAh/g -> 1103 Wh/kg
        let t = find("Na-O2 (NaO2)");
        assert!(
            close(t.E0_V, 2.264) && close(t.energy_product_Wh_kg, 1103.0),
            "{t:?}"
        );
        // Na2O2: 449.7/(2F) = 2.330 V, 2F/(3.6 x 77.978) = 687.4 mAh/g
        let t = find("Na-O2 (Na2O2)");
        assert!(close(t.E0_V, 2.330) && close(t.capacity_product_mAh_g, 687.4));
        // KO2: 239.4/F = 2.481 V, F/(3.6 x 71.097) = 377.0 mAh/g -> 935 Wh/kg
        let t = find("K-O2 (KO2)");
        assert!(
            close(t.E0_V, 2.481) && close(t.energy_product_Wh_kg, 935.3),
            "{t:?}"
        );
        // Li-CO2: (2 x 1132.06 - 3 x 394.36)/(4F) = 2.801 V, 4F/(3.6 x 159.793) = 670.9 mAh/g -> 1879 Wh/kg
        let t = find("Li-CO2 (Li2CO3 + C)");
        assert!(
            close(t.E0_V, 2.801) && close(t.energy_product_Wh_kg, 1879.0),
            "{t:?}"
        );
    }

    #[test]
    fn potentials_agree_with_the_physics_brief() {
        for (name, e) in [
            ("Li-O2 (Li2O2)", 2.96),
            ("Li-O2 (Li2O)", 2.91),
            ("Na-O2 (NaO2)", 2.27),
            ("Na-O2 (Na2O2)", 2.33),
            ("K-O2 (KO2)", 2.48),
            ("Li-CO2 (Li2CO3 + C)", 2.80),
        ] {
            assert!((find(name).E0_V - e).abs() < 0.01, "{name}");
        }
    }
}
