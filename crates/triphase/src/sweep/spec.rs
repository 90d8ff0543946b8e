//! The sweep file (`triphase sweep SWEEP.toml`): a base cell, a protocol, axes and a design.
//!
//! ```toml
//! [sweep]
//! cell = "li-air"                  # a preset, or a cell file relative to this file
//! design = "grid"                  # grid | latin-hypercube | sobol | saltelli
//! samples = 64                     # latin-hypercube, sobol: points; saltelli: base points N
//! seed = 1                         # latin-hypercube, sobol, saltelli (default 0)
//! rtol = 1e-4                      # solver tolerance (default: as for `triphase run`)
//!
//! [experiment]                     # as in an experiment file
//! steps = ["Discharge at 0.2 mA cm-2 for 2.5 hours or until 2.0 V",
//!          "Charge at 0.2 mA cm-2 for 2.5 hours or until 4.5 V"]
//! cycles = 50
//! until_eol = true
//!
//! [[axis]]                         # a parameter range
//! parameter = "Protective layer thickness [m]"
//! lower = 1e-8
//! upper = 1e-6
//! scale = "log"                    # or "linear" (default)
//! points = 3                       # grid only: points from lower to upper, both included
//!
//! [[axis]]                         # a parameter list
//! parameter = "Relative humidity [-]"
//! values = [0.2, 0.4, 0.6]
//!
//! [[axis]]                         # component alternatives in one slot
//! slot = "separator"
//! components = ["glass-fibre", "celgard-2400"]   # or "all": every library component that
//!                                                 # fits the slot and the cell's metal
//! ```
//!
//! A grid runs every combination (the first axis varies slowest). The sampled designs map
//! each run's point u in [0, 1)^D onto the axes: a range through its scale, a list or a set of
//! components by index floor(u k). `saltelli` lays out N (D + 2) runs as SALib's Sobol
//! sampler does without second-order terms (for each base point: A, then A with column i
//! from B for each axis i, then B), so that first-order and total Sobol indices follow.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::components::{metal_of, Library, Slot};
use crate::error::InputError;
use crate::fit::Scale;
use crate::{Cell, Experiment};

/// Most runs one sweep may hold.
pub const MAX_RUNS: usize = 1_000_000;

/// How the runs are placed in the design space.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Design {
    /// Every combination of the axes' levels.
    #[default]
    Grid,
    /// Latin hypercube: each axis cut into `samples` equal strata, each stratum sampled once.
    LatinHypercube,
    /// An Owen-scrambled Sobol sequence (low discrepancy).
    Sobol,
    /// Saltelli's layout for Sobol indices (first order and total), N (D + 2) runs.
    Saltelli,
}

/// What an axis varies.
#[derive(Debug, Clone, PartialEq)]
pub enum AxisKind {
    /// A parameter between two bounds.
    Range {
        /// Registry name.
        parameter: String,
        /// Lower bound.
        lower: f64,
        /// Upper bound.
        upper: f64,
        /// Linear or logarithmic.
        scale: Scale,
        /// Grid points (grid design).
        points: Option<usize>,
    },
    /// A parameter taking listed values.
    Values {
        /// Registry name.
        parameter: String,
        /// The values.
        values: Vec<f64>,
    },
    /// Library components in one slot.
    Components {
        /// The slot.
        slot: Slot,
        /// Component names.
        names: Vec<String>,
    },
}

/// One axis of the design.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// Column name in the dataset: the parameter name, or the slot's section name.
    pub name: String,
    /// What it varies.
    pub kind: AxisKind,
}

/// A value an axis takes in one run.
#[derive(Debug, Clone, PartialEq)]
pub enum Level {
    /// A parameter value.
    Value(f64),
    /// A component name.
    Component(String),
}

impl Axis {
    /// Whether the axis holds component names (a text column) rather than numbers.
    pub fn is_categorical(&self) -> bool {
        matches!(self.kind, AxisKind::Components { .. })
    }

    /// The grid levels (None for a range without `points`).
    fn grid_levels(&self) -> Option<usize> {
        match &self.kind {
            AxisKind::Range { points, .. } => *points,
            AxisKind::Values { values, .. } => Some(values.len()),
            AxisKind::Components { names, .. } => Some(names.len()),
        }
    }

    /// Level `k` of `n` grid levels.
    fn grid_level(&self, k: usize) -> Level {
        match &self.kind {
            AxisKind::Range {
                points: Some(n), ..
            } => self.at(k as f64 / (*n - 1) as f64),
            AxisKind::Range { .. } => self.at(0.0),
            AxisKind::Values { values, .. } => Level::Value(values[k]),
            AxisKind::Components { names, .. } => Level::Component(names[k].clone()),
        }
    }

    /// The level at u in [0, 1]: a range through its scale; a list by index floor(u k).
    pub fn at(&self, u: f64) -> Level {
        let pick = |k: usize| ((u * k as f64).floor() as usize).min(k - 1);
        match &self.kind {
            AxisKind::Range {
                lower,
                upper,
                scale,
                ..
            } => Level::Value(match scale {
                Scale::Linear => lower + u * (upper - lower),
                Scale::Log => 10f64.powf(lower.log10() + u * (upper.log10() - lower.log10())),
            }),
            AxisKind::Values { values, .. } => Level::Value(values[pick(values.len())]),
            AxisKind::Components { names, .. } => {
                Level::Component(names[pick(names.len())].clone())
            }
        }
    }
}

/// A parsed, checked sweep.
#[derive(Debug, Clone)]
pub struct SweepSpec {
    /// Where it came from (messages).
    pub origin: String,
    /// The sweep file's text, as read (goes into the dataset's metadata).
    pub text: String,
    /// The base cell's TOML (a `[cell] preset = ...` line for a preset).
    pub cell_text: String,
    /// The base cell as named in the sweep file.
    pub cell_name: String,
    /// The base cell.
    pub cell: Cell,
    /// The protocol.
    pub experiment: Experiment,
    /// Solver relative tolerance (None: as for `triphase run`).
    pub rtol: Option<f64>,
    /// The design.
    pub design: Design,
    /// Points of a sampled design (base points for saltelli).
    pub samples: usize,
    /// Seed of a sampled design.
    pub seed: u32,
    /// The axes, in file order.
    pub axes: Vec<Axis>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepFile {
    sweep: SweepSection,
    experiment: toml::Table,
    #[serde(default)]
    axis: Vec<AxisEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepSection {
    cell: String,
    #[serde(default)]
    design: Design,
    samples: Option<usize>,
    #[serde(default)]
    seed: u32,
    rtol: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AxisEntry {
    parameter: Option<String>,
    lower: Option<f64>,
    upper: Option<f64>,
    #[serde(default)]
    scale: Scale,
    points: Option<usize>,
    values: Option<Vec<f64>>,
    slot: Option<String>,
    components: Option<toml::Value>,
}

fn invalid(origin: String, message: impl Into<String>) -> InputError {
    InputError::Invalid {
        origin,
        message: message.into(),
    }
}

impl SweepSpec {
    /// Reads a sweep file; a cell file it names is relative to it.
    pub fn from_file(path: &Path) -> Result<Self, InputError> {
        let (origin, text) = InputError::read_file(path)?;
        let file: SweepFile = toml::from_str(&text).map_err(|e| InputError::toml(&origin, &e))?;
        let name = &file.sweep.cell;
        let cell_text = if name.ends_with(".toml") {
            let p = path.parent().unwrap_or(Path::new(".")).join(name);
            std::fs::read_to_string(&p).map_err(|e| InputError::Io {
                origin: format!("{origin}: [sweep] cell = \"{name}\""),
                message: e.to_string(),
            })?
        } else {
            preset_text(name)
        };
        Self::resolved(&text, &origin, &cell_text)
    }

    /// Parses a sweep whose base cell's TOML is given (as [`SweepSpec::from_file`] reads it):
    /// what a worker on another machine needs, with no file access.
    pub fn resolved(text: &str, origin: &str, cell_text: &str) -> Result<Self, InputError> {
        let file: SweepFile = toml::from_str(text).map_err(|e| InputError::toml(origin, &e))?;
        let at = |key: &str| format!("{origin}: {key}");
        let s = &file.sweep;
        let cell = Cell::from_toml_str(cell_text, &at("[sweep] cell"))?;
        let mut exp_file = toml::Table::new();
        exp_file.insert(
            "experiment".into(),
            toml::Value::Table(file.experiment.clone()),
        );
        let exp_text = toml::to_string(&exp_file).map_err(|e| InputError::toml(origin, &e))?;
        let experiment = Experiment::from_toml_str(&exp_text, origin)?;
        if let Some(r) = s.rtol {
            crate::solver::SolverOptions::for_experiment(
                &experiment,
                Some(r),
                &at("[sweep] rtol"),
            )?;
        }
        if file.axis.is_empty() {
            return Err(invalid(
                at("[[axis]]"),
                "a sweep needs at least one [[axis]]",
            ));
        }
        let mut axes = Vec::new();
        for (i, a) in file.axis.iter().enumerate() {
            let axis = parse_axis(a, &at(&format!("[[axis]] {}", i + 1)), &cell, s.design)?;
            if axes.iter().any(|b: &Axis| b.name == axis.name) {
                return Err(invalid(
                    at(&format!("[[axis]] {}", i + 1)),
                    format!("\"{}\" is varied by two axes", axis.name),
                ));
            }
            axes.push(axis);
        }
        let samples = match (s.design, s.samples) {
            (Design::Grid, Some(_)) => {
                return Err(invalid(
                    at("[sweep] samples"),
                    "a grid runs every combination of the axes' levels: give no samples",
                ))
            }
            (Design::Grid, None) => 0,
            (_, Some(n)) if n >= 2 => n,
            (_, _) => {
                return Err(invalid(
                    at("[sweep] samples"),
                    "a sampled design needs samples = a whole number of at least 2",
                ))
            }
        };
        use super::sample::{MAX_SOBOL_DIMENSIONS, MAX_SOBOL_POINTS};
        let dims = match s.design {
            Design::Saltelli => 2 * file.axis.len(),
            _ => file.axis.len(),
        };
        if matches!(s.design, Design::Sobol | Design::Saltelli) {
            if samples > MAX_SOBOL_POINTS {
                return Err(invalid(
                    at("[sweep] samples"),
                    format!("{samples} is outside the allowed range [2, {MAX_SOBOL_POINTS}] of a Sobol sequence"),
                ));
            }
            if dims > MAX_SOBOL_DIMENSIONS {
                return Err(invalid(
                    at("[[axis]]"),
                    format!("the Sobol sequence has {MAX_SOBOL_DIMENSIONS} dimensions: too many axes ({dims} dimensions needed)"),
                ));
            }
        }
        let spec = SweepSpec {
            origin: origin.to_string(),
            text: text.to_string(),
            cell_text: cell_text.to_string(),
            cell_name: s.cell.clone(),
            cell,
            experiment,
            rtol: s.rtol,
            design: s.design,
            samples,
            seed: s.seed,
            axes,
        };
        let n = spec.run_count();
        if n > MAX_RUNS {
            return Err(invalid(
                at("[[axis]]"),
                format!("{n} runs is more than the {MAX_RUNS} one sweep may hold"),
            ));
        }
        Ok(spec)
    }

    /// Number of runs.
    pub fn run_count(&self) -> usize {
        match self.design {
            Design::Grid => self
                .axes
                .iter()
                .map(|a| a.grid_levels().unwrap_or(1))
                .fold(1usize, |p, k| p.saturating_mul(k)),
            Design::LatinHypercube | Design::Sobol => self.samples,
            Design::Saltelli => self.samples.saturating_mul(self.axes.len() + 2),
        }
    }

    /// The levels of run `run` (0-based), one per axis.
    pub fn levels(&self, run: usize) -> Vec<Level> {
        match self.design {
            Design::Grid => {
                let mut rest = run;
                let mut out = vec![Level::Value(0.0); self.axes.len()];
                for (i, a) in self.axes.iter().enumerate().rev() {
                    let k = a.grid_levels().unwrap_or(1);
                    out[i] = a.grid_level(rest % k);
                    rest /= k;
                }
                out
            }
            _ => {
                let u = super::sample::point(self, run);
                self.axes.iter().zip(u).map(|(a, u)| a.at(u)).collect()
            }
        }
    }
}

/// The TOML of a preset base cell.
pub fn preset_text(name: &str) -> String {
    format!(
        "[cell]\npreset = {}\n",
        toml::Value::String(name.to_string())
    )
}

fn parse_axis(a: &AxisEntry, at: &str, cell: &Cell, design: Design) -> Result<Axis, InputError> {
    let at = at.to_string();
    match (&a.parameter, &a.slot) {
        (Some(p), None) => {
            if a.components.is_some() {
                return Err(invalid(at, "components go with slot = ..., not parameter"));
            }
            // the name must be a registry parameter whose range holds every value
            let mut probe = cell.clone();
            let kind = match (a.lower, a.upper, &a.values) {
                (Some(lower), Some(upper), None) => {
                    probe.set_param(&at, p, lower)?;
                    probe.set_param(&at, p, upper)?;
                    if lower.partial_cmp(&upper) != Some(std::cmp::Ordering::Less) {
                        return Err(invalid(
                            at,
                            format!("lower = {lower} must be below upper = {upper}"),
                        ));
                    }
                    if a.scale == Scale::Log && lower <= 0.0 {
                        return Err(invalid(at, "a log scale needs lower > 0"));
                    }
                    match (design, a.points) {
                        (Design::Grid, Some(n)) if n >= 2 => {}
                        (Design::Grid, _) => {
                            return Err(invalid(
                                at,
                                "a range on a grid needs points = a whole number of at least 2",
                            ))
                        }
                        (_, Some(_)) => {
                            return Err(invalid(
                                at,
                                "points is for a grid: a sampled design draws its own",
                            ))
                        }
                        (_, None) => {}
                    }
                    AxisKind::Range {
                        parameter: p.clone(),
                        lower,
                        upper,
                        scale: a.scale,
                        points: a.points,
                    }
                }
                (None, None, Some(values)) if !values.is_empty() => {
                    for &v in values {
                        probe.set_param(&at, p, v)?;
                    }
                    if a.points.is_some() || a.scale != Scale::Linear {
                        return Err(invalid(at, "points and scale go with lower and upper"));
                    }
                    AxisKind::Values {
                        parameter: p.clone(),
                        values: values.clone(),
                    }
                }
                _ => {
                    return Err(invalid(
                        at,
                        "give either lower and upper (a range) or values = [...] (a list)",
                    ))
                }
            };
            Ok(Axis {
                name: p.clone(),
                kind,
            })
        }
        (None, Some(slot_name)) => {
            let slot = Slot::named(slot_name).ok_or_else(|| {
                let names: Vec<&str> = Slot::ALL.iter().map(|s| s.section()).collect();
                invalid(
                    format!("{at} slot"),
                    format!("unknown slot \"{slot_name}\" (slots: {})", names.join(", ")),
                )
            })?;
            if a.lower.is_some() || a.upper.is_some() || a.values.is_some() || a.points.is_some() {
                return Err(invalid(
                    at,
                    "a slot axis takes components = [...] or \"all\"",
                ));
            }
            let lib = Library::global()?;
            let names: Vec<String> = match &a.components {
                Some(toml::Value::String(s)) if s == "all" => lib
                    .all()
                    .into_iter()
                    .filter(|c| slot.kinds().contains(&c.kind))
                    .filter(|c| match metal_of(c, lib) {
                        Some(m) => m == cell.metal,
                        None => c.fits(cell.metal),
                    })
                    .map(|c| c.name.clone())
                    .collect(),
                Some(toml::Value::Array(v)) => v
                    .iter()
                    .map(|x| {
                        x.as_str().map(str::to_string).ok_or_else(|| {
                            invalid(format!("{at} components"), "component names are strings")
                        })
                    })
                    .collect::<Result<_, _>>()?,
                _ => {
                    return Err(invalid(
                        format!("{at} components"),
                        "give components = [\"name\", ...] or components = \"all\"",
                    ))
                }
            };
            if names.is_empty() {
                return Err(invalid(format!("{at} components"), "no components"));
            }
            for n in &names {
                let c = lib.get(n).ok_or_else(|| {
                    invalid(
                        format!("{at} components"),
                        format!("unknown component \"{n}\" (see `triphase materials list`)"),
                    )
                })?;
                if !slot.kinds().contains(&c.kind) {
                    return Err(invalid(
                        format!("{at} components"),
                        format!(
                            "\"{n}\" is a {} and does not fit the [{}] slot",
                            c.kind.as_str(),
                            slot.section()
                        ),
                    ));
                }
            }
            Ok(Axis {
                name: slot.section().to_string(),
                kind: AxisKind::Components { slot, names },
            })
        }
        _ => Err(invalid(
            at,
            "an axis varies either a parameter (parameter = \"...\") or a slot (slot = \"...\")",
        )),
    }
}
