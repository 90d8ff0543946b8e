//! Theoretical energy densities of metal–air (and reference) reactions, from the species and
//! reaction tables ([`crate::chemistry`]: the `discharge` rows, their species' Gibbs energies
//! of formation, molar masses and densities).
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

use crate::chemistry::{Phase, Reaction, Tables};
use crate::constants::FARADAY;

/// Theoretical figures of one reaction.
#[allow(non_snake_case)]
#[derive(Debug, Clone, Serialize)]
pub struct Theoretical {
    /// Reaction name.
    pub reaction: String,
    /// Standard potential \[V\].
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

/// Theoretical figures of every discharge reaction of the reaction table, in table order.
pub fn theoretical_all() -> Vec<Theoretical> {
    let t = Tables::builtin();
    t.discharge_reactions()
        .map(|r| theoretical(t, r).expect("built-in discharge rows have tabulated data (tested)"))
        .collect()
}

/// Theoretical figures of one discharge reaction.
pub fn theoretical(t: &Tables, r: &Reaction) -> Result<Theoretical, String> {
    let species = |f: &str| {
        t.species(f)
            .ok_or_else(|| format!("{f} is not in the species table"))
    };
    let mut gibbs = 0.0;
    for (side, sign) in [(&r.products, 1.0), (&r.reactants, -1.0)] {
        for term in side.iter() {
            let g = species(&term.formula)?
                .gibbs_formation
                .ok_or_else(|| format!("{} has no Gibbs energy of formation", term.formula))?;
            gibbs += sign * term.coefficient * g;
        }
    }
    let e0 = -gibbs / (r.electrons * FARADAY);
    let charge_mah = r.electrons * FARADAY / 3.6; // mAh per reaction as written
                                                  // products: mass [g] and volume [cm3]
    let mut product_mass = 0.0;
    let mut product_volume = 0.0;
    for term in &r.products {
        let s = species(&term.formula)?;
        product_mass += term.coefficient * s.molar_mass * 1e3;
        product_volume += term.coefficient * s.molar_volume().ok_or("a gaseous product")? * 1e6;
    }
    let metal = r
        .reactants
        .iter()
        .find(|term| species(&term.formula).is_ok_and(|s| s.phase == Phase::Metal))
        .ok_or("no metal among the reactants")?;
    let ms = species(&metal.formula)?;
    let metal_mass = metal.coefficient * ms.molar_mass * 1e3;
    let metal_volume =
        metal.coefficient * ms.molar_volume().ok_or("the metal has no density")? * 1e6;
    let cap_p = charge_mah / product_mass;
    let cap_m = charge_mah / metal_mass;
    Ok(Theoretical {
        reaction: r.name.clone(),
        E0_V: e0,
        capacity_product_mAh_g: cap_p,
        energy_product_Wh_kg: e0 * cap_p,
        energy_product_Wh_L: e0 * charge_mah / product_volume,
        capacity_metal_mAh_g: cap_m,
        energy_metal_Wh_kg: e0 * cap_m,
        energy_metal_Wh_L: e0 * charge_mah / metal_volume,
    })
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
        theoretical_all()
            .into_iter()
            .find(|r| r.reaction == name)
            .unwrap()
    }

    /// Hand-computed values (F = 96485.33 C/mol, molar masses from the IUPAC weights) within
    /// 0.5 %.
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
    fn potentials_agree_with_published_standard_potentials() {
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
