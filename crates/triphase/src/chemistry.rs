//! The species and reaction tables: the one home of atomic weights, densities, Gibbs energies
//! of formation and reaction stoichiometry (`data/species.toml`, `data/reactions.toml`,
//! embedded in the binary).
//!
//! Everything that needs a molar mass, a molar volume, an element count or a stoichiometric
//! coefficient derives it from here:
//!
//! - the model's corrosion reactions ([`corrosion_reactions`]): metal consumed and layer product
//!   formed per gas molecule, by-products, and the element balances of every tracked species;
//! - the component library: a metal anode or discharge product that names its `formula` takes
//!   its molar volume, molar mass (and for a product: electrons per O2 and E0) from the tables
//!   (see [`crate::cell`]);
//! - the energy module's theoretical energies (kind `discharge` rows).
//!
//! Molar mass M = sum of atomic weights; molar volume V = M / rho. Every reaction must balance
//! every element; the tables refuse a row that does not.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::error::InputError;
use crate::params::{Gas, Metal};

/// Atoms per formula unit, by element symbol.
pub type Composition = BTreeMap<String, f64>;

/// State of a species at cell conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// A gas (dissolved in the electrolyte when transported).
    Gas,
    /// A metal (the anode).
    Metal,
    /// A solid compound (discharge product, corrosion product, deposit).
    Solid,
}

/// A species of the table.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Species {
    /// Formula as written ("Li2CO3").
    pub formula: String,
    /// Atoms per formula unit.
    pub composition: Composition,
    /// Phase at cell conditions.
    pub phase: Phase,
    /// Molar mass from the atomic weights [kg.mol-1].
    pub molar_mass: f64,
    /// Density of the condensed phase [kg.m-3] (None for gases).
    pub density: Option<f64>,
    /// Standard Gibbs energy of formation at 298.15 K [J.mol-1], where tabulated.
    pub gibbs_formation: Option<f64>,
    /// Source of density and Gibbs energy.
    pub source: String,
}

impl Species {
    /// Molar volume M / rho [m3.mol-1] (None for gases).
    pub fn molar_volume(&self) -> Option<f64> {
        self.density.map(|rho| self.molar_mass / rho)
    }

    /// Atoms of `element` per formula unit.
    pub fn atoms(&self, element: &str) -> f64 {
        self.composition.get(element).copied().unwrap_or(0.0)
    }
}

/// What a reaction row describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReactionKind {
    /// A metal-air cell reaction in the discharge direction.
    Discharge,
    /// A crossed gas reacting chemically with the metal.
    Corrosion,
}

/// The surface layer a corrosion product joins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    /// The SEI on the metal (dense, resistive, thickening by its own products; a dense product
    /// formed in a crack also seals it).
    Sei,
    /// The outer corrosion scale (porous, e.g. LiOH from water): crossing species diffuse
    /// through it on the intact and the cracked SEI alike; it seals no cracks.
    Scale,
}

/// One side's term: coefficient and species formula.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Term {
    /// Stoichiometric coefficient.
    pub coefficient: f64,
    /// Species formula.
    pub formula: String,
}

/// A reaction of the table.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Reaction {
    /// What it describes.
    pub kind: ReactionKind,
    /// Name (the equation when the row names none).
    pub name: String,
    /// The equation as written.
    pub equation: String,
    /// Reactants.
    pub reactants: Vec<Term>,
    /// Products.
    pub products: Vec<Term>,
    /// Electrons transferred per reaction as written (0 for chemical reactions).
    pub electrons: f64,
    /// For corrosion: the layer its first product joins.
    pub layer: Option<Layer>,
    /// For corrosion: a transported gas without which the reaction does not run (water for N2
    /// on the alkali metals), None when it runs on its own.
    pub catalyst: Option<Gas>,
}

impl Reaction {
    /// Coefficient of `formula` among the reactants (0 if absent).
    pub fn reactant(&self, formula: &str) -> f64 {
        side_coefficient(&self.reactants, formula)
    }

    /// Coefficient of `formula` among the products (0 if absent).
    pub fn product(&self, formula: &str) -> f64 {
        side_coefficient(&self.products, formula)
    }
}

fn side_coefficient(side: &[Term], formula: &str) -> f64 {
    side.iter()
        .filter(|t| t.formula == formula)
        .map(|t| t.coefficient)
        .sum()
}

/// The parsed tables.
#[derive(Debug, Clone)]
pub struct Tables {
    /// Atomic weights [kg.mol-1] by element symbol.
    pub atomic_weights: BTreeMap<String, f64>,
    /// Source of the atomic weights.
    pub atomic_weight_source: String,
    /// Species, in file order.
    pub species: Vec<Species>,
    /// Reactions, in file order.
    pub reactions: Vec<Reaction>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpeciesFile {
    elements: BTreeMap<String, toml::Value>,
    species: Vec<RawSpecies>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpecies {
    formula: String,
    phase: Phase,
    density: Option<f64>,
    gibbs_formation: Option<f64>,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReactionFile {
    reaction: Vec<RawReaction>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReaction {
    kind: ReactionKind,
    name: Option<String>,
    equation: String,
    #[serde(default)]
    electrons: f64,
    layer: Option<Layer>,
    catalyst: Option<String>,
}

/// Parses a formula of element symbols and counts ("Li2CO3", "O2", "C") into its composition.
pub fn parse_formula(formula: &str) -> Result<Composition, String> {
    let mut out = Composition::new();
    let chars: Vec<char> = formula.chars().collect();
    let mut i = 0;
    if chars.is_empty() {
        return Err("empty formula".into());
    }
    while i < chars.len() {
        if !chars[i].is_ascii_uppercase() {
            return Err(format!(
                "\"{formula}\": expected an element symbol at position {}",
                i + 1
            ));
        }
        let mut symbol = chars[i].to_string();
        i += 1;
        while i < chars.len() && chars[i].is_ascii_lowercase() {
            symbol.push(chars[i]);
            i += 1;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let count: f64 = if start == i {
            1.0
        } else {
            chars[start..i]
                .iter()
                .collect::<String>()
                .parse()
                .map_err(|_| format!("\"{formula}\": bad count"))?
        };
        *out.entry(symbol).or_insert(0.0) += count;
    }
    Ok(out)
}

/// Parses one side of an equation ("4 Li + O2") into terms.
fn parse_side(side: &str) -> Result<Vec<Term>, String> {
    side.split(" + ")
        .map(|t| {
            let t = t.trim();
            let (coefficient, formula) = match t.split_once(' ') {
                Some((c, f)) => (
                    c.parse::<f64>()
                        .map_err(|_| format!("\"{t}\": coefficient \"{c}\" is not a number"))?,
                    f.trim(),
                ),
                None => (1.0, t),
            };
            if !(coefficient.is_finite() && coefficient > 0.0) {
                return Err(format!("\"{t}\": coefficient must be positive"));
            }
            Ok(Term {
                coefficient,
                formula: formula.to_string(),
            })
        })
        .collect()
}

impl Tables {
    /// The built-in tables (parsed once per process).
    pub fn builtin() -> &'static Tables {
        static TABLES: OnceLock<Tables> = OnceLock::new();
        TABLES.get_or_init(|| {
            Tables::parse(
                include_str!("../data/species.toml"),
                include_str!("../data/reactions.toml"),
            )
            .expect("built-in species and reaction tables are valid (tested)")
        })
    }

    /// Parses and checks a species table and a reaction table.
    pub fn parse(species_toml: &str, reactions_toml: &str) -> Result<Tables, InputError> {
        let err = |origin: &str, message: String| InputError::Invalid {
            origin: origin.to_string(),
            message,
        };
        let raw: RawSpeciesFile = toml::from_str(species_toml).map_err(|e| InputError::Toml {
            origin: "species table".into(),
            message: e.to_string(),
        })?;
        let mut atomic_weights = BTreeMap::new();
        let mut atomic_weight_source = String::new();
        for (k, v) in raw.elements {
            match (k.as_str(), v) {
                ("source", toml::Value::String(s)) => atomic_weight_source = s,
                (_, toml::Value::Float(w)) if w > 0.0 => {
                    atomic_weights.insert(k, w);
                }
                (_, v) => {
                    return Err(err(
                        "species table: [elements]",
                        format!("\"{k}\" = {v}: expected a positive atomic weight [kg.mol-1]"),
                    ))
                }
            }
        }
        let mut species: Vec<Species> = Vec::new();
        for s in raw.species {
            let origin = format!("species table: \"{}\"", s.formula);
            let composition = parse_formula(&s.formula).map_err(|m| err(&origin, m))?;
            let mut molar_mass = 0.0;
            for (el, n) in &composition {
                let w = atomic_weights
                    .get(el)
                    .ok_or_else(|| err(&origin, format!("element {el} has no atomic weight")))?;
                molar_mass += n * w;
            }
            if s.phase != Phase::Gas && !s.density.is_some_and(|d| d > 0.0) {
                return Err(err(
                    &origin,
                    "a condensed phase needs a positive density".into(),
                ));
            }
            if species.iter().any(|x| x.formula == s.formula) {
                return Err(err(&origin, "listed twice".into()));
            }
            species.push(Species {
                formula: s.formula,
                composition,
                phase: s.phase,
                molar_mass,
                density: s.density,
                gibbs_formation: s.gibbs_formation,
                source: s.source,
            });
        }
        let raw: RawReactionFile =
            toml::from_str(reactions_toml).map_err(|e| InputError::Toml {
                origin: "reaction table".into(),
                message: e.to_string(),
            })?;
        let mut reactions = Vec::new();
        for r in raw.reaction {
            let origin = format!("reaction table: \"{}\"", r.equation);
            let (lhs, rhs) = r
                .equation
                .split_once("->")
                .ok_or_else(|| err(&origin, "expected \"reactants -> products\"".into()))?;
            let reactants = parse_side(lhs).map_err(|m| err(&origin, m))?;
            let products = parse_side(rhs).map_err(|m| err(&origin, m))?;
            // every species known, every element balanced
            let mut balance: BTreeMap<String, f64> = BTreeMap::new();
            for (side, sign) in [(&reactants, -1.0), (&products, 1.0)] {
                for t in side.iter() {
                    let s = species
                        .iter()
                        .find(|s| s.formula == t.formula)
                        .ok_or_else(|| {
                            err(
                                &origin,
                                format!("\"{}\" is not in the species table", t.formula),
                            )
                        })?;
                    for (el, n) in &s.composition {
                        *balance.entry(el.clone()).or_insert(0.0) += sign * t.coefficient * n;
                    }
                }
            }
            if let Some((el, d)) = balance.iter().find(|(_, d)| d.abs() > 1e-12) {
                return Err(err(
                    &origin,
                    format!("does not balance: {el} differs by {d} between the sides"),
                ));
            }
            let catalyst = match &r.catalyst {
                None => None,
                Some(f) => Some(Gas::from_formula(f).ok_or_else(|| {
                    err(
                        &origin,
                        format!(
                            "catalyst \"{f}\" is not a transported gas ({})",
                            gas_names()
                        ),
                    )
                })?),
            };
            if catalyst.is_some() && r.kind != ReactionKind::Corrosion {
                return Err(err(
                    &origin,
                    "only a corrosion reaction has a catalyst".into(),
                ));
            }
            if catalyst.is_some_and(|g| g != Gas::H2O) {
                return Err(err(
                    &origin,
                    "the corrosion model takes water as its only catalyst (catalyst = \"H2O\")"
                        .into(),
                ));
            }
            let reaction = Reaction {
                kind: r.kind,
                name: r.name.unwrap_or_else(|| r.equation.clone()),
                equation: r.equation.clone(),
                reactants,
                products,
                electrons: r.electrons,
                layer: r.layer,
                catalyst,
            };
            match r.kind {
                ReactionKind::Discharge if r.electrons <= 0.0 => {
                    return Err(err(
                        &origin,
                        "a discharge reaction transfers electrons".into(),
                    ))
                }
                ReactionKind::Corrosion => {
                    check_corrosion(&reaction, &species).map_err(|m| err(&origin, m))?
                }
                _ => {}
            }
            reactions.push(reaction);
        }
        Ok(Tables {
            atomic_weights,
            atomic_weight_source,
            species,
            reactions,
        })
    }

    /// The species with this formula.
    pub fn species(&self, formula: &str) -> Option<&Species> {
        self.species.iter().find(|s| s.formula == formula)
    }

    /// The discharge (cell) reactions, in table order.
    pub fn discharge_reactions(&self) -> impl Iterator<Item = &Reaction> {
        self.reactions
            .iter()
            .filter(|r| r.kind == ReactionKind::Discharge)
    }

    /// The discharge reaction that forms `product` from the metal and O2 alone, if any.
    pub fn forming(&self, product: &str) -> Option<&Reaction> {
        self.discharge_reactions().find(|r| {
            r.products.len() == 1
                && r.products[0].formula == product
                && r.reactants.len() == 2
                && r.reactant("O2") > 0.0
        })
    }
}

/// A corrosion row has the metal and one transported gas as reactants and a solid first product.
/// The transported gases' formulas, for messages.
fn gas_names() -> String {
    Gas::ALL.map(|g| g.name()).join(", ")
}

fn check_corrosion(r: &Reaction, species: &[Species]) -> Result<(), String> {
    let phase = |f: &str| species.iter().find(|s| s.formula == f).map(|s| s.phase);
    if r.electrons != 0.0 {
        return Err("a corrosion reaction transfers no electrons".into());
    }
    let metals: Vec<_> = r
        .reactants
        .iter()
        .filter(|t| phase(&t.formula) == Some(Phase::Metal))
        .collect();
    let gases: Vec<_> = r
        .reactants
        .iter()
        .filter(|t| Gas::from_formula(&t.formula).is_some())
        .collect();
    if r.reactants.len() != 2 || metals.len() != 1 || gases.len() != 1 {
        return Err(
            "a corrosion reaction has the metal and one transported gas as reactants".into(),
        );
    }
    if r.products.first().and_then(|t| phase(&t.formula)) != Some(Phase::Solid) {
        return Err("the first product of a corrosion reaction is the solid layer product".into());
    }
    if r.layer.is_none() {
        return Err(
            "a corrosion reaction names the layer its product joins (layer = \"sei\" or \"scale\")"
                .into(),
        );
    }
    Ok(())
}

/// A by-product of a corrosion reaction, per molecule of gas consumed.
#[derive(Debug, Clone, PartialEq)]
pub struct ByProduct {
    /// Formula (H2, C).
    pub formula: String,
    /// Formula units per gas molecule.
    pub per_gas: f64,
    /// Atoms per formula unit.
    pub composition: Composition,
}

/// A corrosion reaction of one metal with one gas, normalised per molecule of gas.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrosionReaction {
    /// The gas consumed.
    pub gas: Gas,
    /// The equation as written in the table.
    pub equation: String,
    /// Metal atoms consumed per gas molecule.
    pub metal_per_gas: f64,
    /// The solid layer product (Li2O, LiOH, Li2CO3, Li3N...).
    pub product: String,
    /// Layer product formula units per gas molecule.
    pub product_per_gas: f64,
    /// Atoms per layer-product formula unit.
    pub product_composition: Composition,
    /// Density-derived molar volume of the layer product [m3.mol-1].
    pub product_molar_volume: f64,
    /// The layer the product joins.
    pub layer: Layer,
    /// The transported gas the reaction needs to run (see [`Reaction::catalyst`]).
    pub catalyst: Option<Gas>,
    /// Other products.
    pub byproducts: Vec<ByProduct>,
}

impl CorrosionReaction {
    /// Metal atoms per layer-product formula unit.
    pub fn metal_per_product(&self) -> f64 {
        self.metal_per_gas / self.product_per_gas
    }

    /// Atoms of `element` held by one layer-product unit and the by-products formed with it.
    pub fn atoms_per_product(&self, element: &str) -> f64 {
        let own = self
            .product_composition
            .get(element)
            .copied()
            .unwrap_or(0.0);
        let by: f64 = self
            .byproducts
            .iter()
            .map(|b| b.per_gas * b.composition.get(element).copied().unwrap_or(0.0))
            .sum();
        own + by / self.product_per_gas
    }
}

/// The corrosion reactions of `metal`, one per gas in [`Gas::ALL`] order, from the built-in
/// reaction table.
pub fn corrosion_reactions(metal: Metal) -> Vec<CorrosionReaction> {
    corrosion_reactions_in(Tables::builtin(), metal)
        .expect("the built-in table has a corrosion row per metal and gas (tested)")
}

/// The corrosion reactions of `metal` in `tables`, one per gas in [`Gas::ALL`] order.
pub fn corrosion_reactions_in(
    tables: &Tables,
    metal: Metal,
) -> Result<Vec<CorrosionReaction>, String> {
    let m = metal.symbol();
    Gas::ALL
        .iter()
        .map(|&gas| {
            let g = gas.name();
            let r = tables
                .reactions
                .iter()
                .find(|r| {
                    r.kind == ReactionKind::Corrosion && r.reactant(m) > 0.0 && r.reactant(g) > 0.0
                })
                .ok_or_else(|| format!("no corrosion reaction of {m} with {g}"))?;
            let nu_gas = r.reactant(g);
            let first = &r.products[0];
            let sp = tables.species(&first.formula).expect("checked on load");
            Ok(CorrosionReaction {
                gas,
                equation: r.equation.clone(),
                metal_per_gas: r.reactant(m) / nu_gas,
                product: first.formula.clone(),
                product_per_gas: first.coefficient / nu_gas,
                product_composition: sp.composition.clone(),
                product_molar_volume: sp.molar_volume().expect("solid"),
                layer: r.layer.expect("checked on load"),
                catalyst: r.catalyst,
                byproducts: r.products[1..]
                    .iter()
                    .map(|t| ByProduct {
                        formula: t.formula.clone(),
                        per_gas: t.coefficient / nu_gas,
                        composition: tables
                            .species(&t.formula)
                            .expect("checked on load")
                            .composition
                            .clone(),
                    })
                    .collect(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_parse_into_element_counts() {
        let c = parse_formula("Li2CO3").unwrap();
        assert_eq!(c.get("Li"), Some(&2.0));
        assert_eq!(c.get("C"), Some(&1.0));
        assert_eq!(c.get("O"), Some(&3.0));
        assert!(parse_formula("2Li").is_err());
        assert!(parse_formula("").is_err());
    }

    #[test]
    fn builtin_tables_load_and_every_reaction_balances() {
        let t = Tables::builtin();
        // molar masses against the IUPAC-weight sums by hand: Li2O2 = 2 x 6.94 + 2 x 15.999
        let li2o2 = t.species("Li2O2").unwrap();
        assert!((li2o2.molar_mass - 45.878e-3).abs() < 1e-9);
        // every metal has a corrosion reaction with every gas
        for metal in [Metal::Li, Metal::Na, Metal::K] {
            let r = corrosion_reactions_in(t, metal).unwrap();
            assert_eq!(r.len(), Gas::ALL.len());
        }
    }

    #[test]
    fn an_unbalanced_or_unknown_row_is_refused() {
        let species = include_str!("../data/species.toml");
        let bad = "[[reaction]]\nkind = \"corrosion\"\nequation = \"2 Li + O2 -> Li2O\"\nlayer = \"sei\"\n";
        let e = Tables::parse(species, bad).unwrap_err().to_string();
        assert!(
            e.contains("does not balance") && e.contains("2 Li + O2 -> Li2O"),
            "{e}"
        );
        let unknown =
            "[[reaction]]\nkind = \"discharge\"\nequation = \"2 Li + S -> Li2S\"\nelectrons = 2\n";
        let e = Tables::parse(species, unknown).unwrap_err().to_string();
        assert!(e.contains("not in the species table"), "{e}");
        let n2 = "[[reaction]]\nkind = \"corrosion\"\nequation = \"6 Li + N2 -> 2 Li3N\"\nlayer = \"sei\"\n";
        let e = Tables::parse(species, &format!("{n2}catalyst = \"Ar\"\n"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("catalyst \"Ar\" is not a transported gas"),
            "{e}"
        );
        let e = Tables::parse(species, &format!("{n2}catalyst = \"CO2\"\n"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("only catalyst"), "{e}");
    }

    /// Water catalyses the nitride of every metal (the table's `catalyst`), nothing else.
    #[test]
    fn only_the_nitrides_need_water() {
        for metal in [Metal::Li, Metal::Na, Metal::K] {
            for r in corrosion_reactions(metal) {
                let want = (r.gas == Gas::N2).then_some(Gas::H2O);
                assert_eq!(r.catalyst, want, "{}", r.equation);
            }
        }
    }

    /// The per-gas stoichiometry of the Li rows: 4 Li per O2 (Li2O), 1 Li per H2O (LiOH + H2/2),
    /// 4/3 Li per CO2 (2/3 Li2CO3 + 1/3 C), 6 Li per N2 (2 Li3N).
    #[test]
    fn lithium_corrosion_per_gas_molecule() {
        let r = corrosion_reactions(Metal::Li);
        let expect = [(4.0, 2.0), (1.0, 1.0), (4.0 / 3.0, 2.0 / 3.0), (6.0, 2.0)];
        for (x, (m, p)) in r.iter().zip(expect) {
            assert!((x.metal_per_gas - m).abs() < 1e-14, "{}", x.equation);
            assert!((x.product_per_gas - p).abs() < 1e-14, "{}", x.equation);
        }
        // K: K + O2 -> KO2, one K per O2
        let k = corrosion_reactions(Metal::K);
        assert_eq!(k[0].metal_per_gas, 1.0);
        assert_eq!(k[0].product, "KO2");
    }
}
