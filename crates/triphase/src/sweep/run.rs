//! One run of a sweep: the cell at the run's levels, the protocol, and the metrics a design
//! study compares, as one row of the dataset.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::spec::{AxisKind, Level, SweepSpec};
use crate::constants::FARADAY;
use crate::energy::practical::EnergyBudget;
use crate::experiment::StepKind;
use crate::solver::{simulate, SolverOptions};
use crate::{Cell, Error, InputError, Solution};

/// The type of a dataset column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// 64-bit integer.
    Int,
    /// 64-bit float (null where undefined).
    Float,
    /// Text.
    Text,
    /// true/false.
    Bool,
}

/// An output column of the dataset.
#[derive(Debug, Clone, Copy)]
pub struct OutputColumn {
    /// Column name (units in brackets).
    pub name: &'static str,
    /// Type.
    pub ty: ColumnType,
    /// What it holds.
    pub doc: &'static str,
}

const fn col(name: &'static str, ty: ColumnType, doc: &'static str) -> OutputColumn {
    OutputColumn { name, ty, doc }
}

/// The mechanisms of the metal ledger, in column order (see `Model::metal_losses`).
pub const LOSS_MECHANISMS: [&str; 8] = [
    "O2",
    "H2O",
    "CO2",
    "N2",
    "solvent",
    "shuttle",
    "superoxide",
    "dead",
];

use ColumnType::{Bool, Float, Int, Text};

/// The output columns, after `Run` and the axes.
pub const OUTPUTS: &[OutputColumn] = &[
    col("Status", Text, "ok; failed (the solver failed: the outputs are those of the partial run); invalid (the cell could not be built: see Error)"),
    col("Error", Text, "the solver failure or input error (null when ok)"),
    col("Stop reason", Text, "why the run ended, as `stop_reason` of the run summary"),
    col("Cycles", Int, "cycles run"),
    col("End of life reached", Bool, "whether the end-of-life rule ended the run"),
    col("Cycle life", Int, "the cycle in which the cell died, or the cycles run if it did not (then a lower bound: see End of life reached)"),
    col("Failure mode", Text, "what ended the cell's life (null while alive)"),
    col("Discharge capacity [mA.h.cm-2]", Float, "first cycle"),
    col("Mean discharge voltage [V]", Float, "first cycle, charge-weighted"),
    col("Mean charge voltage [V]", Float, "first cycle, charge-weighted"),
    col("Coulombic efficiency [-]", Float, "first cycle"),
    col("Energy efficiency [-]", Float, "first cycle"),
    col("Electrons per O2 [-]", Float, "first cycle's discharge"),
    col("Capacity retention [-]", Float, "discharge capacity of the last complete cycle / the first's"),
    col("Metal lost [mol.m-2]", Float, "every mechanism, over the run"),
    col("Metal lost to O2 [mol.m-2]", Float, "corrosion by crossed O2"),
    col("Metal lost to H2O [mol.m-2]", Float, "corrosion by crossed water"),
    col("Metal lost to CO2 [mol.m-2]", Float, "corrosion by crossed CO2"),
    col("Metal lost to N2 [mol.m-2]", Float, "nitridation by crossed N2"),
    col("Metal lost to solvent [mol.m-2]", Float, "SEI from solvent reduction"),
    col("Metal lost to shuttle [mol.m-2]", Float, "oxidised mediator reduced at the metal"),
    col("Metal lost to superoxide [mol.m-2]", Float, "dissolved superoxide reduced at the metal"),
    col("Metal lost to dead metal [mol.m-2]", Float, "electrically isolated metal"),
    col("Metal lost per metal cycled [-]", Float, "metal lost / metal plated and stripped by the discharges (F-equivalents)"),
    col("SEI thickness [m]", Float, "dense inner SEI at the end"),
    col("Corrosion scale thickness [m]", Float, "porous outer scale at the end"),
    col("Anode layer resistance [Ohm.cm2]", Float, "the metal's surface layers at the end (SEI, scale, protective layer)"),
    col("Dendrite length [m]", Float, "at the end"),
    col("Electrolyte remaining [-]", Float, "solvent left / initial"),
    col("Specific energy [W.h.kg-1]", Float, "cell level, discharged state, first cycle's discharge (energy module)"),
    col("Energy density [W.h.L-1]", Float, "cell level, discharged state, first cycle's discharge (energy module)"),
    col("Solver steps", Int, "BDF steps taken"),
];

/// One row of the dataset: the run index, then one value per axis and per output column
/// (JSON values: numbers, strings, booleans, null).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// 0-based run index.
    pub run: usize,
    /// Axis values then outputs, in column order.
    pub values: Vec<Value>,
}

impl RunRecord {
    /// Whether the run's status is "ok" (not failed, not invalid).
    pub fn is_ok(&self, spec: &SweepSpec) -> bool {
        self.output(spec, "Status").and_then(|v| v.as_str()) == Some("ok")
    }

    /// The value of output column `name` (None if no such column).
    pub fn output(&self, spec: &SweepSpec, name: &str) -> Option<&Value> {
        let k = OUTPUTS.iter().position(|c| c.name == name)?;
        self.values.get(spec.axes.len() + k)
    }
}

fn float(x: f64) -> Value {
    // non-finite numbers are undefined outputs: null
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

fn opt_float(x: Option<f64>) -> Value {
    x.map_or(Value::Null, float)
}

/// The cell of one run: the base cell's file with each component axis's slot replaced, then
/// each parameter axis's value set.
pub fn run_cell(spec: &SweepSpec, levels: &[Level]) -> Result<Cell, InputError> {
    let origin = format!("{} run", spec.origin);
    let components: Vec<_> = spec
        .axes
        .iter()
        .zip(levels)
        .filter_map(|(a, l)| match (&a.kind, l) {
            (AxisKind::Components { slot, .. }, Level::Component(name)) => {
                Some((*slot, name.as_str()))
            }
            _ => None,
        })
        .collect();
    let mut cell = if components.is_empty() {
        spec.cell.clone()
    } else {
        Cell::from_toml_str_with(&spec.cell_text, &origin, &components)?
    };
    for (a, l) in spec.axes.iter().zip(levels) {
        if let (
            AxisKind::Range { parameter, .. } | AxisKind::Values { parameter, .. },
            Level::Value(v),
        ) = (&a.kind, l)
        {
            cell.set_param(&origin, parameter, *v)?;
        }
    }
    Ok(cell)
}

/// Runs run `run` of the sweep. None when `interrupt` stopped it (the run is to be redone).
pub fn run_one(
    spec: &SweepSpec,
    run: usize,
    interrupt: Option<Arc<AtomicBool>>,
) -> Option<RunRecord> {
    let levels = spec.levels(run);
    let mut values: Vec<Value> = levels
        .iter()
        .map(|l| match l {
            Level::Value(v) => float(*v),
            Level::Component(c) => Value::String(c.clone()),
        })
        .collect();
    let outputs = match run_cell(spec, &levels) {
        Err(e) => invalid_row(e.to_string()),
        Ok(cell) => {
            let mut options = SolverOptions::for_experiment(&spec.experiment, spec.rtol, "rtol")
                .expect("the tolerance was checked when the sweep was read");
            options.interrupt = interrupt;
            match simulate(&cell, &spec.experiment, &options) {
                Ok(sol) => metrics(&cell, &sol, None)?,
                Err(Error::Input(e)) => invalid_row(e.to_string()),
                Err(Error::Solver(f)) => metrics(&cell, &f.partial, Some(f.to_string()))?,
            }
        }
    };
    values.extend(outputs);
    Some(RunRecord { run, values })
}

fn invalid_row(message: String) -> Vec<Value> {
    let mut v = vec![Value::Null; OUTPUTS.len()];
    v[0] = Value::String("invalid".into());
    v[1] = Value::String(message);
    v
}

/// The anode's surface layers and dendrites at the end of a run (its output columns).
struct AnodeEnd {
    /// Dense SEI thickness [m].
    sei_m: f64,
    /// Porous corrosion scale thickness [m].
    scale_m: f64,
    /// Ionic resistance of the surface layers in series [Ohm.cm2].
    layer_resistance_ohm_cm2: f64,
    /// Dendrite length [m] (0 without the dendrite mechanism).
    dendrite_m: f64,
}

/// The output values of a run (None when it was interrupted).
fn metrics(cell: &Cell, sol: &Solution, failure: Option<String>) -> Option<Vec<Value>> {
    let (stop, _) = sol.run_stop_reason();
    if stop == "interrupted" {
        return None;
    }
    let cycles = sol.cycle_summaries();
    let first = cycles.first();
    let last_complete = cycles
        .iter()
        .rev()
        .find(|c| c.coulombic_efficiency.is_some());
    let retention = match (first, last_complete) {
        (Some(f), Some(l)) if f.discharge_capacity_mAh_cm2 > 0.0 => {
            Some(l.discharge_capacity_mAh_cm2 / f.discharge_capacity_mAh_cm2)
        }
        _ => None,
    };
    let y = if sol.final_state.is_empty() {
        None
    } else {
        Some(&sol.final_state)
    };
    let mut losses: BTreeMap<&str, f64> = BTreeMap::new();
    if let Some(y) = y {
        for (name, x) in sol.model.metal_losses(y) {
            *losses.entry(name).or_default() += x;
        }
    }
    let lost: f64 = losses.values().sum();
    let cycled = sol.kind_total(StepKind::Discharge, |s| sol.step_charge(s)) / FARADAY;
    let energy = (!sol.model.is_symmetric())
        .then(|| EnergyBudget::of_cycle(cell, sol, 1))
        .flatten()
        .filter(|b| b.capacity_mAh_cm2 > 0.0);
    let eol = sol.end_of_life.as_ref();
    let anode = y.map(|y| {
        let m = &sol.model;
        AnodeEnd {
            sei_m: m.sei_thickness(y),
            scale_m: m.scale_thickness(y),
            layer_resistance_ohm_cm2: m.anode_layer_resistance(y) * 1e4,
            dendrite_m: m.layout.dendrite.map_or(0.0, |i| y[i]),
        }
    });
    let mut v = vec![
        Value::String(if failure.is_some() { "failed" } else { "ok" }.into()),
        failure.map_or(Value::Null, Value::String),
        Value::String(stop.into()),
        Value::from(sol.cycle_count() as i64),
        Value::Bool(eol.is_some()),
        Value::from(eol.map_or(sol.cycle_count(), |e| e.cycle) as i64),
        eol.map_or(Value::Null, |e| Value::String(e.failure_mode.clone())),
        opt_float(first.map(|c| c.discharge_capacity_mAh_cm2)),
        opt_float(first.and_then(|c| c.mean_discharge_voltage_V)),
        opt_float(first.and_then(|c| c.mean_charge_voltage_V)),
        opt_float(first.and_then(|c| c.coulombic_efficiency)),
        opt_float(first.and_then(|c| c.energy_efficiency)),
        opt_float(first.and_then(|c| c.electrons_per_O2)),
        opt_float(retention),
        opt_float(y.map(|_| lost)),
    ];
    for m in LOSS_MECHANISMS {
        v.push(opt_float(y.map(|_| losses.get(m).copied().unwrap_or(0.0))));
    }
    v.extend([
        opt_float((cycled > 0.0 && y.is_some()).then(|| lost / cycled)),
        opt_float(anode.as_ref().map(|a| a.sei_m)),
        opt_float(anode.as_ref().map(|a| a.scale_m)),
        opt_float(anode.as_ref().map(|a| a.layer_resistance_ohm_cm2)),
        opt_float(anode.as_ref().map(|a| a.dendrite_m)),
        opt_float(y.map(|_| sol.electrolyte_remaining_fraction())),
        opt_float(energy.as_ref().map(|b| b.specific_energy_discharged_Wh_kg)),
        opt_float(energy.as_ref().map(|b| b.energy_density_discharged_Wh_L)),
        Value::from(sol.stats.steps as i64),
    ]);
    assert_eq!(v.len(), OUTPUTS.len(), "one value per output column");
    Some(v)
}
