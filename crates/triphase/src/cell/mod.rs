//! A cell: parameters, model options and mesh, loaded from a preset or a TOML cell file.
//!
//! Cell file schema (all sections optional except what the base preset lacks):
//!
//! ```toml
//! [cell]
//! preset = "li-o2"          # base parameter set (default: li-o2)
//! name = "thin cathode"
//! type = "metal-air"        # or "symmetric": metal | separator | metal
//!
//! [electrolyte]             # components replace the base's (see components::compose)
//! component = "litfsi-dmso"
//! additives = ["lino3"]
//!
//! [options]                 # switches to change (others keep the base's value)
//! passivation = "tunnelling" # none | resistive | tunnelling
//!
//! [mesh]
//! separator = 10
//! cathode = 50
//! cathode_grading = 10       # widest over narrowest cathode volume (narrowest at the gas side)
//!
//! [parameters]
//! "Cathode thickness [m]" = 100e-6
//! "O2 partial pressure [Pa]" = { value = 21000, source = "dry air" }
//! ```

pub mod compose;
mod state;

pub use state::CellState;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::components::{Library, OptionChanges, Slot};
use crate::error::InputError;
use crate::mesh::MeshSpec;
use crate::model::options::{CellType, ModelOptions};
use crate::model::Model;
use crate::params::preset::{preset, preset_names, DEFAULT_PRESET};
use crate::params::registry::suggest;
use crate::params::{find, Metal, Parameters, REGISTRY};

/// Where a parameter value came from.
#[derive(Debug, Clone, PartialEq, serde::Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Provenance {
    /// The base cell every preset composes on (`data/base.toml`).
    Base {
        /// Literature source or "estimate: ...".
        source: String,
    },
    /// A built-in preset, with the value's source.
    Preset {
        /// Preset name.
        preset: String,
        /// Literature source or "estimate: ...".
        source: String,
    },
    /// A library component.
    Component {
        /// Component name.
        component: String,
        /// The value's source in the component file.
        source: String,
    },
    /// A user cell file.
    File {
        /// The file path.
        path: String,
        /// The source the user gave, if any.
        source: Option<String>,
    },
    /// A command-line or API override.
    Override,
}

impl Provenance {
    /// Where the value came from ("base cell", "preset li-o2", "component li-foil",
    /// "file a.toml", "--set") and its source (empty when none was given).
    pub fn parts(&self) -> (String, String) {
        match self {
            Provenance::Base { source } => ("base cell".to_string(), source.clone()),
            Provenance::Preset { preset, source } => (format!("preset {preset}"), source.clone()),
            Provenance::Component { component, source } => {
                (format!("component {component}"), source.clone())
            }
            Provenance::File { path, source } => {
                (format!("file {path}"), source.clone().unwrap_or_default())
            }
            Provenance::Override => ("--set".to_string(), String::new()),
        }
    }

    /// One line: where the value came from and its source.
    pub fn describe(&self) -> String {
        match self.parts() {
            (from, source) if source.is_empty() => from,
            (from, source) => format!("{from}: {source}"),
        }
    }
}

/// A fully specified cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Display name.
    pub name: String,
    /// Numeric parameters.
    pub params: Parameters,
    /// Submodel switches.
    pub options: ModelOptions,
    /// Finite-volume mesh resolution.
    pub mesh: MeshSpec,
    /// Where each parameter value came from, keyed by parameter name.
    pub provenance: BTreeMap<&'static str, Provenance>,
    /// The anode metal.
    pub metal: Metal,
    /// The library component in each slot (those the cell is known to be made of).
    pub components: BTreeMap<Slot, String>,
    /// Electrolyte additives, in the order applied.
    pub additives: Vec<String>,
    /// Stated warnings of the composition rules.
    pub warnings: Vec<String>,
    /// Metal-air battery or symmetric metal|metal cell (`[cell] type`).
    pub cell_type: CellType,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CellFile {
    #[serde(default)]
    cell: CellSection,
    options: Option<OptionChanges>,
    mesh: Option<MeshSection>,
    #[serde(default)]
    parameters: toml::Table,
    anode: Option<toml::Table>,
    product: Option<toml::Table>,
    protection: Option<toml::Table>,
    electrolyte: Option<toml::Table>,
    separator: Option<toml::Table>,
    cathode: Option<toml::Table>,
    atmosphere: Option<toml::Table>,
}

impl CellFile {
    fn sections(&self, origin: &str) -> Result<compose::Sections, InputError> {
        let mut out = compose::Sections::new();
        for (slot, table) in [
            (Slot::Anode, &self.anode),
            (Slot::Product, &self.product),
            (Slot::Protection, &self.protection),
            (Slot::Electrolyte, &self.electrolyte),
            (Slot::Separator, &self.separator),
            (Slot::Cathode, &self.cathode),
            (Slot::Atmosphere, &self.atmosphere),
        ] {
            if let Some(t) = table {
                out.insert(slot, compose::parse_section(origin, slot, t)?);
            }
        }
        Ok(out)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CellSection {
    name: Option<String>,
    preset: Option<String>,
    #[allow(dead_code)]
    description: Option<String>,
    /// Built-in presets: the default cell.
    #[serde(default)]
    default: bool,
    /// "metal-air" (default) or "symmetric".
    #[serde(rename = "type")]
    cell_type: Option<CellType>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MeshSection {
    separator: Option<usize>,
    cathode: Option<usize>,
    cathode_grading: Option<f64>,
}

fn parse_file(origin: &str, text: &str) -> Result<CellFile, InputError> {
    toml::from_str(text).map_err(|e| InputError::toml(origin, &e))
}

impl Cell {
    /// The base cell every preset composes on (`data/base.toml`): the values that belong to
    /// no component and the default mesh. Not a runnable cell by itself.
    fn base() -> Result<Cell, InputError> {
        let origin = "base cell (data/base.toml)";
        let file = parse_file(origin, crate::params::preset::BASE)?;
        let mesh = file.mesh.as_ref().and_then(|m| m.separator.zip(m.cathode));
        let (separator, cathode) = mesh.ok_or_else(|| InputError::Invalid {
            origin: format!("{origin}: [mesh]"),
            message: "the base cell gives the default mesh (separator and cathode)".into(),
        })?;
        let mut cell = Cell {
            name: String::new(),
            params: Parameters::unset(),
            options: ModelOptions::default(),
            mesh: MeshSpec {
                separator,
                cathode,
                cathode_grading: 1.0,
            },
            provenance: BTreeMap::new(),
            metal: crate::params::Metal::default(),
            components: BTreeMap::new(),
            additives: Vec::new(),
            warnings: Vec::new(),
            cell_type: CellType::default(),
        };
        cell.apply_file(origin, file, &|source| Provenance::Base {
            source: source.unwrap_or_default(),
        })?;
        Ok(cell)
    }

    /// The built-in preset with this name.
    pub fn preset(name: &str) -> Result<Cell, InputError> {
        let p = preset(name).ok_or_else(|| InputError::UnknownPreset {
            name: name.to_string(),
            available: preset_names(),
        })?;
        let origin = format!("preset {}", p.name);
        let file = parse_file(&origin, p.toml)?;
        if file.cell.name.as_deref().is_some_and(|n| n != p.name) {
            return Err(InputError::Invalid {
                origin: format!("{origin}: [cell] name"),
                message: format!("a preset's name is its file name \"{}\"", p.name),
            });
        }
        // a preset composes on another preset, or on the base cell
        let mut cell = match &file.cell.preset {
            Some(base) => Cell::preset(base)?,
            None => Cell::base()?,
        };
        cell.name = p.name.to_string();
        let preset_name = p.name.to_string();
        cell.apply_file(&origin, file, &|source| Provenance::Preset {
            preset: preset_name.clone(),
            source: source.unwrap_or_default(),
        })?;
        if let Some(missing) = REGISTRY
            .iter()
            .find(|s| !cell.provenance.contains_key(s.name))
        {
            return Err(InputError::Invalid {
                origin,
                message: format!("preset lacks \"{}\"", missing.name),
            });
        }
        cell.validate(&format!("preset {}", p.name))?;
        Ok(cell)
    }

    /// Every parameter as a Markdown table (name, value, allowed range, origin and source), as
    /// `triphase params --markdown` prints it and docs/model.md holds it for the default cell.
    pub fn parameter_table_markdown(&self) -> String {
        let mut text =
            String::from("| parameter | value | allowed | source |\n|---|---|---|---|\n");
        for spec in REGISTRY {
            let value = (spec.get)(&self.params);
            let source = self
                .provenance
                .get(spec.name)
                .map_or("default".to_string(), Provenance::describe);
            text.push_str(&format!(
                "| {} | {value:e} | {} | {source} |\n",
                spec.name, spec.range
            ));
        }
        text
    }

    /// The discretised model of this cell.
    pub fn model(&self) -> Model {
        Model::new(
            &self.params,
            self.metal,
            &self.options,
            self.cell_type,
            self.mesh,
        )
    }

    /// The default cell (`li-o2`).
    pub fn default_cell() -> Cell {
        Cell::preset(DEFAULT_PRESET).expect("built-in preset is valid (tested)")
    }

    /// A cell file, or a preset when `name` is not an existing path.
    pub fn load(name: &str) -> Result<Cell, InputError> {
        let path = Path::new(name);
        if path.exists() || name.ends_with(".toml") {
            Cell::from_toml_file(path)
        } else {
            Cell::preset(name)
        }
    }

    /// Reads a TOML cell file.
    pub fn from_toml_file(path: &Path) -> Result<Cell, InputError> {
        let (origin, text) = InputError::read_file(path)?;
        Cell::from_toml_str(&text, &origin)
    }

    /// Parses a TOML cell description with the component in each of `components`' slots
    /// replaced (an electrolyte keeps the file's additives); `origin` names it in errors.
    pub fn from_toml_str_with(
        text: &str,
        origin: &str,
        components: &[(Slot, &str)],
    ) -> Result<Cell, InputError> {
        if components.is_empty() {
            return Cell::from_toml_str(text, origin);
        }
        let mut table: toml::Table =
            toml::from_str(text).map_err(|e| InputError::toml(origin, &e))?;
        for (slot, name) in components {
            let section = slot.section();
            let mut t = toml::Table::new();
            if let Some(add) = table.get(section).and_then(|s| s.get("additives")).cloned() {
                t.insert("additives".into(), add);
            }
            t.insert("component".into(), toml::Value::String(name.to_string()));
            table.insert(section.into(), toml::Value::Table(t));
        }
        let text = toml::to_string(&table).map_err(|e| InputError::toml(origin, &e))?;
        Cell::from_toml_str(&text, origin)
    }

    /// Parses a TOML cell description; `origin` names it in error messages.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Cell, InputError> {
        let file = parse_file(origin, text)?;
        let base = file.cell.preset.clone().unwrap_or(DEFAULT_PRESET.into());
        let mut cell = Cell::preset(&base).map_err(|e| match e {
            InputError::UnknownPreset { name, available } => InputError::Invalid {
                origin: format!("{origin}: [cell] preset"),
                message: format!("unknown preset \"{name}\" (available: {available})"),
            },
            other => other,
        })?;
        if let Some(name) = &file.cell.name {
            cell.name = name.clone();
        } else {
            cell.name = origin.to_string();
        }
        if file.cell.default {
            return Err(InputError::Invalid {
                origin: format!("{origin}: [cell] default"),
                message: "only a built-in preset can be the default cell".into(),
            });
        }
        let path = origin.to_string();
        cell.apply_file(origin, file, &|source| Provenance::File {
            path: path.clone(),
            source,
        })?;
        cell.validate(origin)?;
        Ok(cell)
    }

    fn apply_file(
        &mut self,
        origin: &str,
        file: CellFile,
        provenance: &dyn Fn(Option<String>) -> Provenance,
    ) -> Result<(), InputError> {
        if let Some(t) = file.cell.cell_type {
            self.cell_type = t;
        }
        let sections = file.sections(origin)?;
        compose::compose(self, origin, &sections, Library::global()?, provenance)?;
        if let Some(options) = &file.options {
            options.apply(&mut self.options);
        }
        if let Some(mesh) = file.mesh {
            if let Some(n) = mesh.separator {
                self.mesh.set(origin, "separator", n)?;
            }
            if let Some(n) = mesh.cathode {
                self.mesh.set(origin, "cathode", n)?;
            }
            if let Some(g) = mesh.cathode_grading {
                self.mesh.set_grading(origin, g)?;
            }
        }
        for (name, raw) in &file.parameters {
            let (value, source) =
                compose::parse_entry(&format!("{origin}: [parameters] \"{name}\""), name, raw)?;
            let spec = find(name).ok_or_else(|| InputError::UnknownParameter {
                origin: format!("{origin}: [parameters]"),
                name: name.clone(),
                hint: suggest(name),
            })?;
            check_range(&format!("{origin}: [parameters]"), spec.name, value)?;
            (spec.set)(&mut self.params, value);
            self.provenance.insert(spec.name, provenance(source));
        }
        Ok(())
    }

    /// Sets one parameter by name, checking name and range; `origin` names the caller.
    pub fn set_param(&mut self, origin: &str, name: &str, value: f64) -> Result<(), InputError> {
        self.set_param_with(origin, name, value, Provenance::Override)?;
        self.validate(origin)
    }

    /// Sets one parameter by name with its provenance, checking name and range (not the
    /// consistency between parameters).
    pub fn set_param_with(
        &mut self,
        origin: &str,
        name: &str,
        value: f64,
        provenance: Provenance,
    ) -> Result<(), InputError> {
        let spec = find(name).ok_or_else(|| InputError::UnknownParameter {
            origin: origin.to_string(),
            name: name.to_string(),
            hint: suggest(name),
        })?;
        check_range(origin, spec.name, value)?;
        (spec.set)(&mut self.params, value);
        self.provenance.insert(spec.name, provenance);
        Ok(())
    }

    /// Applies `"NAME=VALUE"` overrides as given on the command line, all of them first, then
    /// the rules between parameters once (so their order does not matter).
    pub fn apply_assignments(&mut self, assignments: &[String]) -> Result<(), InputError> {
        for a in assignments {
            let (origin, name, value) = parse_assignment(a)?;
            self.set_param_with(&origin, &name, value, Provenance::Override)?;
        }
        let origin = assignments
            .iter()
            .map(|a| format!("--set \"{a}\""))
            .collect::<Vec<_>>()
            .join(" ");
        self.validate(if origin.is_empty() { "--set" } else { &origin })
    }

    /// Sets several parameters by name, all of them first, then checks the rules between
    /// parameters once (so their order does not matter); `origin` names the caller.
    pub fn set_params(&mut self, origin: &str, values: &[(String, f64)]) -> Result<(), InputError> {
        for (name, value) in values {
            self.set_param_with(origin, name, *value, Provenance::Override)?;
        }
        self.validate(origin)
    }

    /// Applies a `"NAME=VALUE"` override as given on the command line.
    pub fn apply_assignment(&mut self, assignment: &str) -> Result<(), InputError> {
        let (origin, name, value) = parse_assignment(assignment)?;
        self.set_param(&origin, &name, value)
    }

    fn validate(&self, origin: &str) -> Result<(), InputError> {
        let invalid = |message: String| InputError::Invalid {
            origin: origin.to_string(),
            message,
        };
        self.params.check_consistency().map_err(invalid)?;
        let n = self.params.cathode.electrons_per_o2;
        if self.options.carbon_oxidation && n != 2.0 {
            return Err(invalid(format!(
                "[options] carbon_oxidation needs a peroxide discharge product (2 electrons per O2: C + 2 M2O2 -> M2CO3 + 2 M+ + 2 e- + 1/2 O2); this cell's product takes {n}: set carbon_oxidation = false"
            )));
        }
        // the transported gases besides O2, each once
        let gases = &self.options.gases;
        if gases.contains(&crate::params::Gas::O2) {
            return Err(invalid(
                "[options] gases lists the gases transported besides O2 (always transported): remove \"O2\"".into(),
            ));
        }
        for (i, g) in gases.iter().enumerate() {
            if gases[..i].contains(g) {
                return Err(invalid(format!(
                    "[options] gases lists \"{}\" twice",
                    g.name()
                )));
            }
        }
        Ok(())
    }
}

fn check_range(origin: &str, name: &str, value: f64) -> Result<(), InputError> {
    let spec = find(name).expect("caller resolved the name");
    if spec.range.contains(value) {
        Ok(())
    } else {
        Err(InputError::OutOfRange {
            origin: origin.to_string(),
            name: spec.name.to_string(),
            value,
            range: spec.range,
        })
    }
}

/// Splits `"NAME=VALUE"`: (origin for errors, name, value).
fn parse_assignment(assignment: &str) -> Result<(String, String, f64), InputError> {
    let origin = format!("--set \"{assignment}\"");
    let (name, value) = assignment
        .rsplit_once('=')
        .ok_or_else(|| InputError::Invalid {
            origin: origin.clone(),
            message: "expected NAME=VALUE, e.g. \"O2 partial pressure [Pa]=20000\"".into(),
        })?;
    let value: f64 = value.trim().parse().map_err(|_| InputError::Invalid {
        origin: origin.clone(),
        message: format!("value \"{}\" is not a number", value.trim()),
    })?;
    Ok((origin, name.trim().to_string(), value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::preset::PRESETS;

    #[test]
    fn every_preset_loads_with_a_source_for_every_value() {
        for p in PRESETS {
            let cell = Cell::preset(p.name).unwrap();
            for spec in REGISTRY {
                let v = (spec.get)(&cell.params);
                assert!(spec.range.contains(v), "{}: {} = {v}", p.name, spec.name);
                match cell.provenance.get(spec.name) {
                    Some(
                        Provenance::Base { source }
                        | Provenance::Preset { source, .. }
                        | Provenance::Component { source, .. },
                    ) => {
                        assert!(!source.trim().is_empty(), "{}: no source", spec.name)
                    }
                    other => panic!("{}: provenance {other:?}", spec.name),
                }
            }
        }
    }

    #[test]
    fn cell_file_overrides_and_errors_name_the_key() {
        let cell = Cell::from_toml_str(
            "[parameters]\n\"Cathode thickness [m]\" = 1e-4\n[mesh]\ncathode = 30\n",
            "a.toml",
        )
        .unwrap();
        assert_eq!(cell.params.geometry.cathode_thickness, 1e-4);
        assert_eq!(cell.mesh.cathode, 30);

        let e = Cell::from_toml_str("[parameters]\n\"Cathode porosity [-]\" = 1.2\n", "b.toml")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("b.toml") && e.contains("Cathode porosity [-]") && e.contains("(0, 1)"),
            "{e}"
        );

        let e = Cell::from_toml_str("[parameters]\n\"Cathode thickness [um]\" = 100\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("wrong unit"), "{e}");

        let e = Cell::from_toml_str("[parameters\n", "d.toml")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("d.toml"), "{e}");

        let e = Cell::from_toml_str("[options]\npassivation = \"magic\"\n", "e.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("tunnelling"), "{e}");
    }

    #[test]
    fn assignment_override() {
        let mut cell = Cell::default_cell();
        cell.apply_assignment("O2 partial pressure [Pa]=20000")
            .unwrap();
        assert_eq!(cell.params.oxygen.partial_pressure, 20000.0);
        assert!(cell.apply_assignment("Separator thickness [m]=-1").is_err());
        assert!(cell.apply_assignment("Separator thickness [m]").is_err());
        assert!(cell
            .apply_assignment("Separator thickness [m]=abc")
            .is_err());
    }
}
