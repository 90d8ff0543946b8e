//! The fit file (`triphase fit FIT.toml`) and the measured data it names.
//!
//! ```toml
//! [fit]
//! cell = "li-o2-ideal-anode"          # a preset, or a cell file relative to this file
//! method = "global"                    # "local" (default): Levenberg–Marquardt from the start;
//!                                      # "global": particle swarm over the bounds, then LM
//! seed = 1                             # the swarm's random seed (reproducible)
//!
//! [[parameter]]                        # registry names, with bounds and scaling
//! name = "Cathode exchange current density [A.m-2]"
//! lower = 1e-10
//! upper = 1e-6
//! scale = "log"                        # or "linear" (default)
//!
//! [[data]]                             # a voltage time series (Battery Data Format CSV)
//! name = "0.1 mA cm-2"
//! file = "discharge.csv"               # columns "Test Time / s" and "Voltage / V"
//! steps = ["Discharge at 0.1 mA cm-2 until 2.0 V"]   # or leave steps out: the protocol is then
//!                                      # read from the file's "Current / A" column (charge
//!                                      # positive), see `experiment::from_data`
//! sigma = 0.005                        # voltage noise [V]; weights the residuals
//!
//! [[target]]                           # a scalar from a paper's table
//! name = "capacity at 0.5 mA cm-2"
//! steps = ["Discharge at 0.5 mA cm-2 until 2.0 V"]
//! quantity = "discharge-capacity"      # mAh cm-2 of the first discharge step; also
//!                                      # "mean-discharge-voltage" [V], "electrons-per-o2",
//!                                      # "film-thickness" [m] (largest, at the end)
//! value = 1.4
//! sigma = 0.05
//! ```

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::InputError;
use crate::experiment::from_data::read_record;
use crate::{Cell, Experiment};

/// How a parameter is searched: its value, or its decimal logarithm.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    /// The value itself.
    #[default]
    Linear,
    /// log10 of the value (for values spanning decades; bounds must be positive).
    Log,
}

/// How the optimum is searched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Levenberg–Marquardt from the starting values.
    #[default]
    Local,
    /// A particle swarm over the whole bounded region (for cost landscapes with several
    /// basins), then Levenberg–Marquardt from its best point.
    Global,
}

/// A scalar a target compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TargetQuantity {
    /// Capacity of the first discharge step [mAh cm-2].
    DischargeCapacity,
    /// Mean voltage of the first discharge step \[V\].
    MeanDischargeVoltage,
    /// Electrons per O2 drawn over the run [-].
    ElectronsPerO2,
    /// Largest discharge-product film thickness at the end of the run \[m\] (the film at sudden
    /// death when the run ends on its voltage cut-off).
    FilmThickness,
}

/// A fitted parameter.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FitParameter {
    /// Registry name, e.g. "Cathode exchange current density [A.m-2]".
    pub name: String,
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
    /// Search scale.
    #[serde(default)]
    pub scale: Scale,
    /// Starting value (default: the cell's value).
    #[serde(default)]
    pub initial: Option<f64>,
}

impl FitParameter {
    /// The search coordinate of a value: the value, or its log10.
    pub fn to_search(&self, value: f64) -> f64 {
        match self.scale {
            Scale::Linear => value,
            Scale::Log => value.log10(),
        }
    }

    /// The value of a search coordinate.
    pub fn from_search(&self, x: f64) -> f64 {
        match self.scale {
            Scale::Linear => x,
            Scale::Log => 10f64.powf(x),
        }
    }

    /// Bounds in the search coordinate.
    pub fn search_bounds(&self) -> (f64, f64) {
        (self.to_search(self.lower), self.to_search(self.upper))
    }
}

/// A measured voltage time series and the protocol that produced it.
#[derive(Debug, Clone, PartialEq)]
pub struct DataSet {
    /// Name (for tables and charts).
    pub name: String,
    /// The file it was read from.
    pub file: PathBuf,
    /// The protocol.
    pub steps: Vec<String>,
    /// Time \[s\] of each point.
    pub time: Vec<f64>,
    /// Voltage \[V\] of each point.
    pub voltage: Vec<f64>,
    /// Voltage noise \[V\] (None: estimated from the residuals at the optimum).
    pub sigma: Option<f64>,
    /// Weight of this data set's residuals.
    pub weight: f64,
}

/// A scalar target.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Name.
    pub name: String,
    /// The protocol.
    pub steps: Vec<String>,
    /// What is compared.
    pub quantity: TargetQuantity,
    /// Measured value.
    pub value: f64,
    /// Its uncertainty (one standard deviation), in the quantity's unit.
    pub sigma: f64,
}

/// A fit: the base cell, the parameters, the data.
#[derive(Debug, Clone)]
pub struct FitSpec {
    /// Where the spec came from (for messages and the fitted cell's sources).
    pub origin: String,
    /// The base cell as named in the file (preset or path).
    pub cell_name: String,
    /// The base cell.
    pub cell: Cell,
    /// Parameters to fit.
    pub parameters: Vec<FitParameter>,
    /// Time series.
    pub data: Vec<DataSet>,
    /// Scalar targets.
    pub targets: Vec<Target>,
    /// Most model evaluations the local optimiser may spend.
    pub max_evaluations: usize,
    /// Local or global search.
    pub method: Method,
    /// Seed of the global search.
    pub seed: u64,
    /// Particles of the global search.
    pub particles: usize,
    /// Iterations of the global search.
    pub iterations: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FitFile {
    fit: FitSection,
    #[serde(default)]
    parameter: Vec<FitParameter>,
    #[serde(default)]
    data: Vec<DataEntry>,
    #[serde(default)]
    target: Vec<Target>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FitSection {
    cell: String,
    #[serde(default)]
    max_evaluations: Option<usize>,
    #[serde(default)]
    method: Method,
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    particles: Option<usize>,
    #[serde(default)]
    iterations: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DataEntry {
    name: String,
    file: PathBuf,
    #[serde(default)]
    steps: Option<Vec<String>>,
    #[serde(default)]
    sigma: Option<f64>,
    #[serde(default)]
    weight: Option<f64>,
}

fn invalid(origin: &str, message: String) -> InputError {
    InputError::Invalid {
        origin: origin.into(),
        message,
    }
}

impl FitSpec {
    /// Reads a fit file; data files and a cell file are relative to it.
    pub fn from_file(path: &Path) -> Result<Self, InputError> {
        let (origin, text) = InputError::read_file(path)?;
        let dir = path.parent().unwrap_or(Path::new("."));
        Self::from_toml_str(&text, &origin, dir)
    }

    /// Parses a fit file's text; relative paths are taken from `dir`.
    pub fn from_toml_str(text: &str, origin: &str, dir: &Path) -> Result<Self, InputError> {
        let file: FitFile = toml::from_str(text).map_err(|e| InputError::Toml {
            origin: origin.into(),
            message: e.to_string(),
        })?;
        let cell_path = dir.join(&file.fit.cell);
        let cell = if file.fit.cell.ends_with(".toml") {
            Cell::from_toml_file(&cell_path)?
        } else {
            Cell::preset(&file.fit.cell)?
        };
        let n_parameters = file.parameter.len();
        if file.parameter.is_empty() {
            return Err(invalid(origin, "no [[parameter]] to fit".into()));
        }
        for p in &file.parameter {
            let at = format!("{origin}: [[parameter]] \"{}\"", p.name);
            // the name must be a registry parameter whose range holds both bounds
            let mut probe = cell.clone();
            probe.set_param(&at, &p.name, p.lower)?;
            probe.set_param(&at, &p.name, p.upper)?;
            if p.lower.partial_cmp(&p.upper) != Some(Ordering::Less) {
                return Err(invalid(
                    &at,
                    format!("lower = {} must be below upper = {}", p.lower, p.upper),
                ));
            }
            if p.scale == Scale::Log && p.lower <= 0.0 {
                return Err(invalid(
                    &at,
                    format!(
                        "scale = \"log\" needs positive bounds (lower = {})",
                        p.lower
                    ),
                ));
            }
            if let Some(v) = p.initial {
                if v < p.lower || v > p.upper {
                    return Err(invalid(
                        &at,
                        format!("initial = {v} lies outside [{}, {}]", p.lower, p.upper),
                    ));
                }
            }
        }
        let mut data = Vec::new();
        for d in file.data {
            let at = format!("{origin}: [[data]] \"{}\"", d.name);
            let path = dir.join(&d.file);
            let record = read_record(&path)?;
            let (steps, time) = match d.steps {
                Some(steps) => (steps, record.time),
                None => {
                    let steps = record
                        .steps(&path.display().to_string())
                        .map_err(|e| invalid(&at, format!("no steps given, and {e}")))?;
                    // the derived protocol starts at the first sample
                    let t0 = record.time[0];
                    (steps, record.time.iter().map(|t| t - t0).collect())
                }
            };
            Experiment::parse(&steps).map_err(|e| invalid(&at, e.to_string()))?;
            let voltage = record.voltage;
            if let Some(s) = d.sigma {
                if s.partial_cmp(&0.0) != Some(Ordering::Greater) {
                    return Err(invalid(&at, format!("sigma = {s} must be positive")));
                }
            }
            data.push(DataSet {
                name: d.name,
                file: path,
                steps,
                time,
                voltage,
                sigma: d.sigma,
                weight: d.weight.unwrap_or(1.0),
            });
        }
        for t in &file.target {
            let at = format!("{origin}: [[target]] \"{}\"", t.name);
            Experiment::parse(&t.steps).map_err(|e| invalid(&at, e.to_string()))?;
            if t.sigma.partial_cmp(&0.0) != Some(Ordering::Greater) {
                return Err(invalid(
                    &at,
                    format!("sigma = {} must be positive", t.sigma),
                ));
            }
        }
        if data.is_empty() && file.target.is_empty() {
            return Err(invalid(
                origin,
                "no [[data]] or [[target]] to fit to".into(),
            ));
        }
        Ok(FitSpec {
            origin: origin.into(),
            cell_name: file.fit.cell,
            cell,
            parameters: file.parameter,
            data,
            targets: file.target,
            max_evaluations: file.fit.max_evaluations.unwrap_or(400),
            method: file.fit.method,
            seed: file.fit.seed.unwrap_or(1),
            particles: file.fit.particles.unwrap_or(4 * n_parameters + 8),
            iterations: file.fit.iterations.unwrap_or(12),
        })
    }
}

/// Reads the "Test Time / s" and "Voltage / V" columns of a Battery Data Format CSV file
/// (other columns are ignored); errors name the file, the column and the row.
pub fn read_time_voltage(path: &Path) -> Result<(Vec<f64>, Vec<f64>), InputError> {
    let r = read_record(path)?;
    Ok((r.time, r.voltage))
}
