//! The whole cell as plain data (serde), for pickling and for sending a cell to another process
//! or machine: every parameter by name, the switches, mesh, metal, cell type, components and
//! provenance. Reading it back validates everything as a cell file would: unknown or missing
//! parameters, values out of range, inconsistent parameters, mesh sizes and slots are errors.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Cell, Provenance};
use crate::components::Slot;
use crate::error::InputError;
use crate::mesh::{MeshSpec, MESH_RANGE};
use crate::model::options::{CellType, ModelOptions};
use crate::params::{find, Metal, Parameters, REGISTRY};

/// A cell as plain data (see the module documentation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellState {
    /// Display name.
    pub name: String,
    /// The anode metal.
    pub metal: Metal,
    /// Metal-air or symmetric.
    pub cell_type: CellType,
    /// Submodel switches.
    pub options: ModelOptions,
    /// Control volumes in the separator.
    pub mesh_separator: usize,
    /// Control volumes in the cathode.
    pub mesh_cathode: usize,
    /// The cathode's grading, widest over narrowest volume (1, uniform, when absent).
    #[serde(default = "uniform")]
    pub mesh_cathode_grading: f64,
    /// Every parameter by its registry name \[SI\].
    pub params: BTreeMap<String, f64>,
    /// Where each value came from, by parameter name.
    pub provenance: BTreeMap<String, Provenance>,
    /// The component in each slot, by section name.
    pub components: BTreeMap<String, String>,
    /// Electrolyte additives.
    pub additives: Vec<String>,
    /// Stated warnings of the composition rules.
    pub warnings: Vec<String>,
}

fn uniform() -> f64 {
    1.0
}

impl Cell {
    /// The cell as plain data.
    pub fn to_state(&self) -> CellState {
        CellState {
            name: self.name.clone(),
            metal: self.metal,
            cell_type: self.cell_type,
            options: self.options.clone(),
            mesh_separator: self.mesh.separator,
            mesh_cathode: self.mesh.cathode,
            mesh_cathode_grading: self.mesh.cathode_grading,
            params: REGISTRY
                .iter()
                .map(|s| (s.name.to_string(), (s.get)(&self.params)))
                .collect(),
            provenance: self
                .provenance
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            components: self
                .components
                .iter()
                .map(|(slot, c)| (slot.section().to_string(), c.clone()))
                .collect(),
            additives: self.additives.clone(),
            warnings: self.warnings.clone(),
        }
    }

    /// A cell from plain data, checked like a cell file; `origin` names the data in errors.
    pub fn from_state(state: CellState, origin: &str) -> Result<Cell, InputError> {
        let invalid = |message: String| InputError::Invalid {
            origin: origin.to_string(),
            message,
        };
        let mut params = Parameters::default();
        for (name, value) in &state.params {
            let spec = find(name).ok_or_else(|| InputError::UnknownParameter {
                origin: origin.to_string(),
                name: name.clone(),
                hint: crate::params::registry::suggest(name),
            })?;
            if !spec.range.contains(*value) {
                return Err(InputError::OutOfRange {
                    origin: origin.to_string(),
                    name: spec.name.to_string(),
                    value: *value,
                    range: spec.range,
                });
            }
            (spec.set)(&mut params, *value);
        }
        if let Some(missing) = REGISTRY.iter().find(|s| !state.params.contains_key(s.name)) {
            return Err(invalid(format!("lacks \"{}\"", missing.name)));
        }
        params.check_consistency().map_err(invalid)?;
        // every mesh value checked by the setters a cell file's [mesh] goes through
        let mut mesh = MeshSpec {
            separator: *MESH_RANGE.start(),
            cathode: *MESH_RANGE.start(),
            cathode_grading: 1.0,
        };
        mesh.set(origin, "separator", state.mesh_separator)?;
        mesh.set(origin, "cathode", state.mesh_cathode)?;
        mesh.set_grading(origin, state.mesh_cathode_grading)?;
        let mut provenance = BTreeMap::new();
        for (name, p) in state.provenance {
            let spec = find(&name)
                .ok_or_else(|| invalid(format!("provenance of unknown parameter \"{name}\"")))?;
            provenance.insert(spec.name, p);
        }
        let mut components = BTreeMap::new();
        for (section, c) in state.components {
            let slot = Slot::named(&section)
                .ok_or_else(|| invalid(format!("unknown slot \"{section}\"")))?;
            components.insert(slot, c);
        }
        Ok(Cell {
            name: state.name,
            params,
            options: state.options,
            mesh,
            provenance,
            metal: state.metal,
            components,
            additives: state.additives,
            warnings: state.warnings,
            cell_type: state.cell_type,
        })
    }

    /// The cell as JSON (see [`CellState`]).
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.to_state()).expect("plain data serialises")
    }

    /// A cell from JSON written by [`Cell::to_json`], validated.
    pub fn from_json(text: &str, origin: &str) -> Result<Cell, InputError> {
        let state: CellState = serde_json::from_str(text).map_err(|e| InputError::Invalid {
            origin: origin.to_string(),
            message: format!("not a triphase cell state: {e}"),
        })?;
        Cell::from_state(state, origin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_round_trips_exactly() {
        for p in crate::params::preset::PRESETS {
            let cell = Cell::preset(p.name).unwrap();
            let back = Cell::from_json(&cell.to_json(), "state").unwrap();
            assert_eq!(back, cell, "{}", p.name);
        }
    }

    #[test]
    fn crafted_states_are_refused_with_the_reason() {
        let good = Cell::preset("li-li-o2").unwrap().to_state();
        let mut s = good.clone();
        s.params.insert("Cathode porosity [-]".into(), 1.5);
        let e = Cell::from_state(s, "pickle").unwrap_err().to_string();
        assert!(
            e.contains("pickle") && e.contains("Cathode porosity"),
            "{e}"
        );
        let mut s = good.clone();
        s.params.remove("Separator thickness [m]");
        assert!(Cell::from_state(s, "pickle")
            .unwrap_err()
            .to_string()
            .contains("lacks"));
        let mut s = good.clone();
        s.mesh_cathode = 0;
        assert!(Cell::from_state(s, "pickle").is_err());
        let mut s = good.clone();
        s.mesh_cathode_grading = 0.5;
        let e = Cell::from_state(s, "pickle").unwrap_err().to_string();
        assert!(e.contains("pickle") && e.contains("cathode_grading"), "{e}");
        let mut s = good;
        s.components.insert("engine".into(), "v8".into());
        assert!(Cell::from_state(s, "pickle")
            .unwrap_err()
            .to_string()
            .contains("engine"));
        for text in ["", "[]", "{\"name\": 3}", "{\"mesh\": [1]}"] {
            assert!(Cell::from_json(text, "pickle").is_err(), "{text}");
        }
    }
}
