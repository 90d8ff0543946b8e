//! Values a component takes from the species and reaction tables ([`crate::chemistry`])
//! instead of stating them: one home for every molar mass, density and Gibbs energy.
//!
//! - A metal anode (a component of kind anode that names its `metal` and refines no other):
//!   the metal's molar volume M/rho and molar mass, and the molar volume of each SEI product
//!   its corrosion reactions form (Li2O, LiOH, Li2CO3, Li3N on Li).
//! - A discharge product (`formula = "Li2O2"`): from the table's discharge reaction that forms
//!   it from the metal and O2, the electrons per O2 n = z/nu_O2, the standard potential
//!   E0 = -Delta_r G/(z F), and the molar volume and mass per O2 it holds; with
//!   `parasitic_deposit = "Li2CO3"` the deposit's molar volume.

use super::ComponentValue;
use crate::chemistry::{corrosion_reactions_in, Species, Tables};
use crate::constants::FARADAY;
use crate::params::{Gas, Metal};

fn species<'a>(t: &'a Tables, formula: &str) -> Result<&'a Species, String> {
    t.species(formula)
        .ok_or_else(|| format!("\"{formula}\" is not in the species table (data/species.toml)"))
}

fn table_source(s: &Species, t: &Tables) -> String {
    let density = s
        .density
        .map(|d| format!(", density {d} kg m-3"))
        .unwrap_or_default();
    format!(
        "species table: {}, M = {:.3} g mol-1 from the atomic weights{density} ({}; atomic weights: {})",
        s.formula,
        s.molar_mass * 1e3,
        s.source,
        t.atomic_weight_source
    )
}

fn value(name: &'static str, value: f64, source: String) -> ComponentValue {
    ComponentValue {
        name,
        value,
        source,
    }
}

/// The registry name of the molar volume of the SEI product that `gas` forms.
pub fn sei_product_volume_name(gas: Gas) -> &'static str {
    match gas {
        Gas::O2 => "SEI oxide molar volume [m3.mol-1]",
        Gas::H2O => "SEI hydroxide molar volume [m3.mol-1]",
        Gas::CO2 => "SEI carbonate molar volume [m3.mol-1]",
        Gas::N2 => "SEI nitride molar volume [m3.mol-1]",
    }
}

/// Values of a metal anode.
pub fn metal_values(t: &Tables, metal: Metal) -> Result<Vec<ComponentValue>, String> {
    let s = species(t, metal.symbol())?;
    let source = table_source(s, t);
    let mut v = vec![
        value(
            "Metal molar volume [m3.mol-1]",
            s.molar_volume().ok_or("the metal has no density")?,
            source.clone(),
        ),
        value("Metal molar mass [kg.mol-1]", s.molar_mass, source),
    ];
    for r in corrosion_reactions_in(t, metal)? {
        let p = species(t, &r.product)?;
        v.push(value(
            sei_product_volume_name(r.gas),
            r.product_molar_volume,
            format!("{} (product of {})", table_source(p, t), r.equation),
        ));
    }
    Ok(v)
}

/// Values of a discharge product of formula `formula` (and its parasitic deposit).
pub fn product_values(
    t: &Tables,
    formula: &str,
    deposit: Option<&str>,
) -> Result<Vec<ComponentValue>, String> {
    let s = species(t, formula)?;
    let r = t.forming(formula).ok_or_else(|| {
        format!("no discharge reaction in the reaction table forms {formula} from the metal and O2")
    })?;
    let nu_o2 = r.reactant("O2");
    let per_o2 = r.product(formula) / nu_o2;
    let gibbs = |side: &[crate::chemistry::Term]| -> Result<f64, String> {
        side.iter()
            .map(|term| {
                species(t, &term.formula)?
                    .gibbs_formation
                    .map(|g| g * term.coefficient)
                    .ok_or_else(|| format!("{} has no Gibbs energy of formation", term.formula))
            })
            .sum()
    };
    let delta_g = gibbs(&r.products)? - gibbs(&r.reactants)?;
    let e0 = -delta_g / (r.electrons * FARADAY);
    let source = table_source(s, t);
    let mut v = vec![
        value(
            "Standard cell potential [V]",
            e0,
            format!(
                "E0 = -Delta_r G/(z F) of {} (Delta_r G = {:.1} kJ, z = {}; {})",
                r.equation,
                delta_g * 1e-3,
                r.electrons,
                s.source
            ),
        ),
        value(
            "Electrons per O2 [-]",
            r.electrons / nu_o2,
            format!("stoichiometry of {} (reaction table)", r.equation),
        ),
        value(
            "Discharge product molar volume [m3.mol-1]",
            s.molar_volume().ok_or("the product has no density")? * per_o2,
            format!("{per_o2} {formula} per O2; {source}"),
        ),
        value(
            "Discharge product molar mass [kg.mol-1]",
            s.molar_mass * per_o2,
            format!("{per_o2} {formula} per O2; {source}"),
        ),
    ];
    if let Some(d) = deposit {
        let ds = species(t, d)?;
        v.push(value(
            "Parasitic product molar volume [m3.mol-1]",
            ds.molar_volume().ok_or("the deposit has no density")?,
            format!("{d} as the representative deposit; {}", table_source(ds, t)),
        ));
    }
    Ok(v)
}
