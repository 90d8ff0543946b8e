//! The component library: named cell components (anodes, protective layers, electrolytes,
//! additives, solid electrolytes, separators, cathodes, discharge products, atmospheres) as
//! data files, each with its parameters, the physics it acts through and its references.
//!
//! A component file (`data/components/<kind>/<name>.toml`, embedded at build time; user
//! directories in `TRIPHASE_COMPONENTS` override or extend the library):
//!
//! ```toml
//! [component]
//! name = "lii-layer"
//! kind = "protection"
//! title = "LiI layer grown from I2 vapour"
//! base = "li-foil"              # optional: a component applied first (this one refines it)
//! metals = ["Li"]               # metals it is made for (empty: any)
//! mechanism = "..."             # the model parameters it changes and why
//! references = ["..."]
//! provides = ["..."]            # capabilities other components may require
//! requires = ["..."]
//! warnings = ["..."]            # stated whenever the component is used
//!
//! [options]                     # submodel switches it turns on or off
//! redox_mediator = true
//!
//! [parameters]                  # values it sets (every value names its source)
//! "Protective layer thickness [m]" = { value = 1e-6, source = "estimate: ..." }
//!
//! [scale]                       # factors on the value it finds (additives)
//! "O2 diffusivity [m2.s-1]" = { factor = 0.5, source = "..." }
//!
//! [[effects]]                   # the physics it moves, tested against the cell without it
//! observable = "corrosion-h2o"
//! direction = "lower"
//! why = "..."
//! ```
//!
//! Composition into a cell and the compatibility rules live in [`crate::cell::compose`].

pub mod derived;
mod slot;

pub use slot::{metal_of, Slot};

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::error::InputError;
use crate::model::options::{
    AreaLaw, CarbonateBurial, ConductivityLaw, GasBoundary, ModelOptions, Passivation,
    ProductGrowth, SeiGrowth,
};
use crate::params::registry::suggest;
use crate::params::{find, Gas, Metal};

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/components.rs"));
}

/// What a component is (and which slot of a cell it fills).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    /// The metal (or alloy, or liquid) anode.
    Anode,
    /// An artificial SEI or protective layer on the anode.
    Protection,
    /// Solvent + salt at a concentration.
    Electrolyte,
    /// An electrolyte additive (mediator, passivator, quencher, colloid).
    Additive,
    /// A solid or quasi-solid electrolyte membrane (fills the separator slot).
    SolidElectrolyte,
    /// A porous or functional separator.
    Separator,
    /// The porous air cathode.
    Cathode,
    /// The discharge product (sets E0, electrons per O2, molar volume).
    Product,
    /// The gas the cathode breathes.
    Atmosphere,
}

impl ComponentKind {
    /// Every kind, in the order a cell is composed.
    pub const ALL: [ComponentKind; 9] = [
        ComponentKind::Anode,
        ComponentKind::Product,
        ComponentKind::Protection,
        ComponentKind::Electrolyte,
        ComponentKind::Additive,
        ComponentKind::Separator,
        ComponentKind::SolidElectrolyte,
        ComponentKind::Cathode,
        ComponentKind::Atmosphere,
    ];

    /// Name as written in files and on the command line.
    pub fn as_str(&self) -> &'static str {
        match self {
            ComponentKind::Anode => "anode",
            ComponentKind::Protection => "protection",
            ComponentKind::Electrolyte => "electrolyte",
            ComponentKind::Additive => "additive",
            ComponentKind::SolidElectrolyte => "solid-electrolyte",
            ComponentKind::Separator => "separator",
            ComponentKind::Cathode => "cathode",
            ComponentKind::Product => "product",
            ComponentKind::Atmosphere => "atmosphere",
        }
    }

    /// Parses a kind name.
    pub fn parse(s: &str) -> Option<ComponentKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Comma-separated kind names, for messages.
    pub fn names() -> String {
        Self::ALL.map(|k| k.as_str()).join(", ")
    }
}

impl std::fmt::Display for ComponentKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Submodel switches a component turns on or off (unset: left as they are).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct OptionChanges {
    /// See [`ModelOptions::passivation`].
    pub passivation: Option<Passivation>,
    /// See [`ModelOptions::area_law`].
    pub area_law: Option<AreaLaw>,
    /// See [`ModelOptions::product_growth`].
    pub product_growth: Option<ProductGrowth>,
    /// See [`ModelOptions::interface_carbonate`].
    pub interface_carbonate: Option<bool>,
    /// See [`ModelOptions::interface_carbonate_burial`].
    pub interface_carbonate_burial: Option<CarbonateBurial>,
    /// See [`ModelOptions::carbon_oxidation`].
    pub carbon_oxidation: Option<bool>,
    /// See [`ModelOptions::electrolyte_conductivity`].
    pub electrolyte_conductivity: Option<ConductivityLaw>,
    /// See [`ModelOptions::gases`].
    pub gases: Option<Vec<Gas>>,
    /// See [`ModelOptions::gas_boundary`].
    pub gas_boundary: Option<GasBoundary>,
    /// See [`ModelOptions::corrosion`].
    pub corrosion: Option<bool>,
    /// See [`ModelOptions::sei_growth`].
    pub sei_growth: Option<SeiGrowth>,
    /// See [`ModelOptions::sei_cracking`].
    pub sei_cracking: Option<bool>,
    /// See [`ModelOptions::dead_metal`].
    pub dead_metal: Option<bool>,
    /// See [`ModelOptions::dendrites`].
    pub dendrites: Option<bool>,
    /// See [`ModelOptions::electrolyte_loss`].
    pub electrolyte_loss: Option<bool>,
    /// See [`ModelOptions::redox_mediator`].
    pub redox_mediator: Option<bool>,
    /// See [`ModelOptions::parasitic`].
    pub parasitic: Option<bool>,
    /// See [`ModelOptions::dissolved_superoxide`].
    pub dissolved_superoxide: Option<bool>,
    /// See [`ModelOptions::half_cell`].
    pub half_cell: Option<bool>,
    /// See [`ModelOptions::double_layer`].
    pub double_layer: Option<bool>,
}

impl OptionChanges {
    /// Applies the set switches to `o`.
    pub fn apply(&self, o: &mut ModelOptions) {
        macro_rules! set {
            ($($f:ident),*) => { $( if let Some(v) = &self.$f { o.$f = v.clone(); } )* };
        }
        set!(
            passivation,
            area_law,
            product_growth,
            interface_carbonate,
            interface_carbonate_burial,
            carbon_oxidation,
            electrolyte_conductivity,
            gases,
            gas_boundary,
            corrosion,
            sei_growth,
            sei_cracking,
            dead_metal,
            dendrites,
            electrolyte_loss,
            redox_mediator,
            parasitic,
            dissolved_superoxide,
            half_cell,
            double_layer
        );
    }

    /// Whether no switch is set.
    pub fn is_empty(&self) -> bool {
        *self == OptionChanges::default()
    }
}

/// A quantity a component claims to move, measured by the mechanism tests and shown by
/// `triphase materials show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Observable {
    /// Metal lost to O2 corrosion during open-circuit storage in the atmosphere [mol.m-2].
    CorrosionO2,
    /// Metal lost to H2O corrosion during storage [mol.m-2].
    CorrosionH2o,
    /// Metal lost to CO2 corrosion during storage [mol.m-2].
    CorrosionCo2,
    /// Metal lost to N2 corrosion during storage [mol.m-2].
    CorrosionN2,
    /// Metal lost to solvent reduction (SEI growth) during storage [mol.m-2].
    SeiSolvent,
    /// Metal lost to the redox-mediator shuttle over one discharge-charge cycle [mol.m-2].
    Shuttle,
    /// Metal isolated from the electrode (dead metal) over one discharge-charge cycle
    /// [mol.m-2]: what the metal's coulombic efficiency loses beyond its SEI.
    DeadMetal,
    /// Dendrite length after the cycle's plating (charge) \[m\].
    DendriteLength,
    /// Mean discharge voltage of the cycle \[V\].
    DischargeVoltage,
    /// Voltage at the end of the cycle's charge \[V\]: where the product runs thin the charge
    /// climbs towards the electrolyte's oxidation, and a redox mediator caps it at its plateau
    /// (the mean would also count the first minutes, in which the carbon's double layer
    /// charges from the discharge plateau).
    ChargeVoltage,
    /// Electrons per O2 consumed on discharge [-].
    ElectronsPerO2,
    /// Electrolyte-decomposition deposit left on the cathode by one discharge-charge cycle
    /// [mol.m-2] (reactive oxygen attacking the solvent).
    SideProducts,
    /// O2 released on charge per O2 drawn on discharge over one discharge-charge cycle [-]
    /// (what DEMS reads as OER/ORR): below 1 where the charge oxidises deposits to CO2.
    O2Recovery,
    /// Fraction of the electrolyte solvent lost during storage [-].
    ElectrolyteLoss,
    /// Water drawn into the electrolyte from the air during storage [mol.m-2].
    UptakeH2o,
    /// Resistance of the fresh anode interface [Ohm.m2]: the simulated anode polarisation
    /// (charge transfer, SEI, protective layer, contact) per current after 10 s at
    /// 0.1 mA cm-2.
    AnodeResistance,
}

impl Observable {
    /// Name as written in component files.
    pub fn as_str(&self) -> &'static str {
        match self {
            Observable::CorrosionO2 => "corrosion-o2",
            Observable::CorrosionH2o => "corrosion-h2o",
            Observable::CorrosionCo2 => "corrosion-co2",
            Observable::CorrosionN2 => "corrosion-n2",
            Observable::SeiSolvent => "sei-solvent",
            Observable::Shuttle => "shuttle",
            Observable::DeadMetal => "dead-metal",
            Observable::DendriteLength => "dendrite-length",
            Observable::DischargeVoltage => "discharge-voltage",
            Observable::ChargeVoltage => "charge-voltage",
            Observable::ElectronsPerO2 => "electrons-per-o2",
            Observable::SideProducts => "side-products",
            Observable::O2Recovery => "o2-recovery",
            Observable::ElectrolyteLoss => "electrolyte-loss",
            Observable::UptakeH2o => "uptake-h2o",
            Observable::AnodeResistance => "anode-resistance",
        }
    }
}

/// Which way a component moves an observable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The value falls.
    Lower,
    /// The value rises.
    Higher,
}

/// A documented mechanism claim: `observable` moves in `direction` against the same cell
/// with the slot's standard component (or `vs`), both cells holding the components `with`.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Effect {
    /// What moves.
    pub observable: Observable,
    /// Which way.
    pub direction: Direction,
    /// The component compared against (default: the slot's standard component for the
    /// metal, or nothing for protection layers and additives).
    #[serde(default)]
    pub vs: Option<String>,
    /// Components present in both cells: additives (a mediator for a shuttle claim) or
    /// components of other slots (the membrane a liquid anode requires).
    #[serde(default)]
    pub with: Vec<String>,
    /// The mechanism, in words.
    pub why: String,
}

/// A parameter value a component sets.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ComponentValue {
    /// Registry name.
    pub name: &'static str,
    /// SI value.
    pub value: f64,
    /// Source; values chosen by judgement start with "estimate".
    pub source: String,
}

impl ComponentValue {
    /// Whether the value is an estimate rather than a measured or tabulated value.
    pub fn is_estimate(&self) -> bool {
        self.source
            .trim_start()
            .to_lowercase()
            .starts_with("estimate")
    }
}

/// A factor a component applies to the value it finds.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ComponentScale {
    /// Registry name.
    pub name: &'static str,
    /// Multiplier (> 0).
    pub factor: f64,
    /// Source; estimates start with "estimate".
    pub source: String,
}

/// A component of the library.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Component {
    /// Unique name (`li-foil`).
    pub name: String,
    /// Slot it fills.
    pub kind: ComponentKind,
    /// One-line title.
    pub title: String,
    /// A component of the same kind applied first, which this one refines.
    pub base: Option<String>,
    /// The metal it is (anode), carries as salt cation (electrolyte) or forms (product).
    pub metal: Option<Metal>,
    /// Discharge products: the formula (species table), from which n, E0, molar volume and
    /// mass derive.
    pub formula: Option<String>,
    /// Discharge products: the representative parasitic deposit (species table).
    pub parasitic_deposit: Option<String>,
    /// Whether it is the standard component of its slot for its metal(s): what the strategies
    /// of that slot are compared against.
    pub standard: bool,
    /// Metals it is made for (protection, additive, separator; empty: any).
    pub metals: Vec<Metal>,
    /// The physics it acts through and the parameters it changes.
    pub mechanism: String,
    /// Literature references.
    pub references: Vec<String>,
    /// Capabilities it provides to other components.
    pub provides: Vec<String>,
    /// Capabilities it needs from other components of the cell.
    pub requires: Vec<String>,
    /// Warnings stated whenever it is used.
    pub warnings: Vec<String>,
    /// Submodel switches.
    pub options: OptionChanges,
    /// Values it sets.
    pub parameters: Vec<ComponentValue>,
    /// Factors it applies.
    pub scale: Vec<ComponentScale>,
    /// Mechanism claims (tested).
    pub effects: Vec<Effect>,
    /// Where it was loaded from ("built-in anode/li-foil.toml" or a path).
    pub origin: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    component: RawHeader,
    #[serde(default)]
    options: OptionChanges,
    #[serde(default)]
    parameters: BTreeMap<String, RawValue>,
    #[serde(default)]
    scale: BTreeMap<String, RawScale>,
    #[serde(default)]
    effects: Vec<Effect>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    name: String,
    kind: ComponentKind,
    title: String,
    base: Option<String>,
    metal: Option<Metal>,
    formula: Option<String>,
    parasitic_deposit: Option<String>,
    #[serde(default)]
    standard: bool,
    #[serde(default)]
    metals: Vec<Metal>,
    mechanism: String,
    references: Vec<String>,
    #[serde(default)]
    provides: Vec<String>,
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    warnings: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValue {
    value: f64,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    factor: f64,
    source: String,
}

impl Component {
    /// Parses a component file; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Component, InputError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| InputError::toml(origin, &e))?;
        let h = raw.component;
        let invalid = |message: String| InputError::Invalid {
            origin: origin.to_string(),
            message,
        };
        if h.references.iter().all(|r| r.trim().is_empty()) {
            return Err(invalid(
                "[component] references: at least one is required".into(),
            ));
        }
        if h.base.is_none()
            && matches!(
                h.kind,
                ComponentKind::Anode | ComponentKind::Electrolyte | ComponentKind::Product
            )
            && h.metal.is_none()
        {
            return Err(invalid(format!(
                "[component] metal: required for a component of kind {} (Li, Na or K)",
                h.kind
            )));
        }
        let resolve = |section: &str, name: &str| {
            find(name)
                .map(|s| s.name)
                .ok_or_else(|| InputError::UnknownParameter {
                    origin: format!("{origin}: [{section}]"),
                    name: name.to_string(),
                    hint: suggest(name),
                })
        };
        // values from the species and reaction tables (one home for molar masses, densities
        // and Gibbs energies); the file may not restate them
        let tables = crate::chemistry::Tables::builtin();
        let mut parameters = match (h.kind, h.metal, &h.base, &h.formula) {
            (ComponentKind::Anode, Some(metal), None, _) => derived::metal_values(tables, metal),
            (ComponentKind::Product, _, _, Some(formula)) => {
                derived::product_values(tables, formula, h.parasitic_deposit.as_deref())
            }
            (ComponentKind::Product, _, None, None) => Err(
                "a discharge product names its formula (formula = \"Li2O2\"), from which n, E0 and its molar volume derive"
                    .to_string(),
            ),
            _ => Ok(Vec::new()),
        }
        .map_err(|m| invalid(format!("[component] {m}")))?;
        for (name, v) in raw.parameters {
            let name = resolve("parameters", &name)?;
            let spec = find(name).expect("resolved");
            if !spec.range.contains(v.value) {
                return Err(InputError::OutOfRange {
                    origin: format!("{origin}: [parameters]"),
                    name: name.to_string(),
                    value: v.value,
                    range: spec.range,
                });
            }
            if v.source.trim().is_empty() {
                return Err(invalid(format!("[parameters] \"{name}\": empty source")));
            }
            if parameters.iter().any(|p| p.name == name) {
                return Err(invalid(format!(
                    "[parameters] \"{name}\": derived from the species and reaction tables; remove it here (or change data/species.toml)"
                )));
            }
            parameters.push(ComponentValue {
                name,
                value: v.value,
                source: v.source,
            });
        }
        let mut scale = Vec::new();
        for (name, s) in raw.scale {
            let name = resolve("scale", &name)?;
            if !(s.factor.is_finite() && s.factor > 0.0) {
                return Err(invalid(format!(
                    "[scale] \"{name}\": factor = {} must be a positive number",
                    s.factor
                )));
            }
            if s.source.trim().is_empty() {
                return Err(invalid(format!("[scale] \"{name}\": empty source")));
            }
            scale.push(ComponentScale {
                name,
                factor: s.factor,
                source: s.source,
            });
        }
        Ok(Component {
            name: h.name,
            kind: h.kind,
            title: h.title,
            base: h.base,
            metal: h.metal,
            formula: h.formula,
            parasitic_deposit: h.parasitic_deposit,
            standard: h.standard,
            metals: h.metals,
            mechanism: h.mechanism.split_whitespace().collect::<Vec<_>>().join(" "),
            references: h.references,
            provides: h.provides,
            requires: h.requires,
            warnings: h.warnings,
            options: raw.options,
            parameters,
            scale,
            effects: raw.effects,
            origin: origin.to_string(),
        })
    }

    /// Whether the component may be used with `metal`.
    pub fn fits(&self, metal: Metal) -> bool {
        match self.metal {
            Some(m) => m == metal,
            None => self.metals.is_empty() || self.metals.contains(&metal),
        }
    }
}

/// A set of components addressable by name.
#[derive(Debug, Clone, Default)]
pub struct Library {
    components: Vec<Component>,
}

impl Library {
    /// The components embedded in the binary.
    pub fn builtin() -> Library {
        let components = builtin::BUILTIN
            .iter()
            .map(|(path, text)| {
                Component::parse(text, &format!("built-in {path}"))
                    .expect("built-in components are valid (tested)")
            })
            .collect();
        Library { components }
    }

    /// The built-in library extended (and overridden, by name) by the `*.toml` files of the
    /// directories in `TRIPHASE_COMPONENTS` (separated like PATH). Loaded once per process.
    pub fn global() -> Result<&'static Library, InputError> {
        static LIB: OnceLock<Result<Library, InputError>> = OnceLock::new();
        LIB.get_or_init(|| {
            let mut lib = Library::builtin();
            if let Some(dirs) = std::env::var_os("TRIPHASE_COMPONENTS") {
                for dir in std::env::split_paths(&dirs) {
                    lib.extend_from_dir(&dir)?;
                }
            }
            Ok(lib)
        })
        .as_ref()
        .map_err(Clone::clone)
    }

    /// Adds every `*.toml` file of `dir` (a component with an existing name replaces it).
    pub fn extend_from_dir(&mut self, dir: &Path) -> Result<(), InputError> {
        let io = |e: std::io::Error| InputError::Io {
            origin: dir.display().to_string(),
            message: e.to_string(),
        };
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            let origin = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|e| InputError::Io {
                origin: origin.clone(),
                message: e.to_string(),
            })?;
            self.insert(Component::parse(&text, &origin)?);
        }
        Ok(())
    }

    /// Adds a component, replacing one of the same name.
    pub fn insert(&mut self, c: Component) {
        match self.components.iter_mut().find(|x| x.name == c.name) {
            Some(slot) => *slot = c,
            None => self.components.push(c),
        }
    }

    /// All components, sorted by kind and name.
    pub fn all(&self) -> Vec<&Component> {
        let mut v: Vec<_> = self.components.iter().collect();
        v.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
        v
    }

    /// The component called `name`.
    pub fn get(&self, name: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.name == name)
    }

    /// The component called `name`, or an error listing the names of that kind.
    pub fn lookup(
        &self,
        origin: &str,
        name: &str,
        kinds: &[ComponentKind],
    ) -> Result<&Component, InputError> {
        let choices = || {
            self.all()
                .into_iter()
                .filter(|c| kinds.contains(&c.kind))
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let kind_names = kinds
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(" or ");
        match self.get(name) {
            Some(c) if kinds.contains(&c.kind) => Ok(c),
            Some(c) => Err(InputError::Invalid {
                origin: origin.to_string(),
                message: format!(
                    "\"{name}\" is a {} component, expected {kind_names} (one of: {})",
                    c.kind,
                    choices()
                ),
            }),
            None => Err(InputError::Invalid {
                origin: origin.to_string(),
                message: format!(
                    "unknown {kind_names} component \"{name}\" (one of: {})",
                    choices()
                ),
            }),
        }
    }

    /// The standard component of `kind`'s slot for `metal` (what a strategy is compared
    /// against): the component marked `standard = true` of that slot that fits the metal.
    /// Protective layers and additives have none (the comparison is without one).
    pub fn standard(&self, kind: ComponentKind, metal: Metal) -> Option<&Component> {
        let slot = Slot::of(kind);
        self.all()
            .into_iter()
            .find(|c| {
                c.standard
                    && Slot::of(c.kind) == slot
                    && slot.kinds().contains(&c.kind)
                    && c.fits(metal)
            })
            .filter(|c| !matches!(c.kind, ComponentKind::Protection | ComponentKind::Additive))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_file_and_key() {
        let head = "[component]\nname = \"x\"\nkind = \"protection\"\ntitle = \"t\"\nmechanism = \"m\"\nreferences = [\"r\"]\n";
        let e = Component::parse(
            &format!("{head}[parameters]\n\"Protective layer thickness [um]\" = {{ value = 1, source = \"s\" }}\n"),
            "x.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("x.toml: [parameters]") && e.contains("wrong unit"),
            "{e}"
        );
        let e = Component::parse(
            &format!("{head}[parameters]\n\"Protective layer thickness [m]\" = {{ value = 1, source = \"s\" }}\n"),
            "x.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("outside the allowed range"), "{e}");
        let e = Component::parse(
            &format!(
                "{head}[scale]\n\"O2 diffusivity [m2.s-1]\" = {{ factor = -1, source = \"s\" }}\n"
            ),
            "x.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("positive"), "{e}");
        let e = Component::parse(&head.replace("protection", "anode"), "x.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("metal: required"), "{e}");
        let e = Component::parse(&head.replace("[\"r\"]", "[]"), "x.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("references"), "{e}");
    }

    #[test]
    fn user_directory_overrides_by_name() {
        let dir = std::env::temp_dir().join(format!("triphase-lib-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("my.toml"),
            "[component]\nname = \"li-foil\"\nkind = \"anode\"\nmetal = \"Li\"\ntitle = \"thick foil\"\nmechanism = \"m\"\nreferences = [\"lab notebook\"]\n[parameters]\n\"Initial metal thickness [m]\" = { value = 2e-4, source = \"measured\" }\n",
        )
        .unwrap();
        let mut lib = Library::builtin();
        let n = lib.all().len();
        lib.extend_from_dir(&dir).unwrap();
        assert_eq!(lib.all().len(), n);
        assert_eq!(lib.get("li-foil").unwrap().title, "thick foil");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
