//! Validation against published measurements.
//!
//! Each case is a TOML file in the repository's `validation/` folder (embedded in the library
//! at build time, so the binary carries them; a folder given at run time replaces them): the
//! reference and the passage that states the numbers, the cell as a cell file with every value's
//! source, the simulated points with what was measured at each, the compared quantity, the
//! metric and its tolerance with its justification, and the expected outcome. A case whose
//! outcome differs from its `expected` is a regression (expected pass, now fails) or an
//! improvement to record (expected fail, now passes).
//!
//! [`run`] simulates every point of every case in parallel (rayon) and compares.

mod case;
mod compare;

pub use case::{
    Case, Expected, Fitting, Measured, Metric, Point, Quantity, Reference, SourcedValue, Trend,
};
pub use compare::{curve_deviation, discharge_curve, quantity, PointOutcome};

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::error::InputError;
use crate::experiment::{EndOfLife, Experiment};
use crate::solver::{simulate, Error, SolverOptions};
use crate::Cell;

include!(concat!(env!("OUT_DIR"), "/validation.rs"));

/// The built-in cases (the repository's `validation/` folder at build time), by name.
pub fn builtin_cases() -> Result<Vec<Case>, InputError> {
    BUILTIN_CASES
        .iter()
        .map(|(name, text)| Case::from_toml_str(name, text))
        .collect()
}

/// The cases in `dir` (every `*.toml`, named by file stem), sorted by name.
pub fn cases_in(dir: &Path) -> Result<Vec<Case>, InputError> {
    let io = |e: std::io::Error| InputError::Io {
        origin: dir.display().to_string(),
        message: e.to_string(),
    };
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).map_err(io)?;
            let name = f.file_stem().unwrap_or_default().to_string_lossy();
            Case::from_toml_str(&name, &text)
        })
        .collect()
}

/// Keeps the cases named in `names` (all when empty); an unknown name is an error that lists
/// the available ones.
pub fn select(cases: Vec<Case>, names: &[String]) -> Result<Vec<Case>, InputError> {
    if names.is_empty() {
        return Ok(cases);
    }
    for n in names {
        if !cases.iter().any(|c| &c.name == n) {
            return Err(InputError::Invalid {
                origin: "validate".into(),
                message: format!(
                    "no case \"{n}\" (available: {})",
                    cases
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
    }
    Ok(cases
        .into_iter()
        .filter(|c| names.contains(&c.name))
        .collect())
}

/// The simulated first discharge of one point: the curve a measured one is compared with, and
/// the report draws.
#[derive(Debug, Clone, Serialize)]
pub struct Curve {
    /// Discharge capacity of the step so far [mAh cm-2].
    pub capacity: Vec<f64>,
    /// Voltage \[V\].
    pub voltage: Vec<f64>,
}

/// The outcome of a case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseOutcome {
    /// The case as loaded.
    pub case: Case,
    /// Per-point outcomes, in the case's order.
    pub points: Vec<PointOutcome>,
    /// Whether the stated trend holds (None without a trend).
    pub trend_holds: Option<bool>,
    /// Whether the case passes: every judged point passes and the trend holds.
    pub passed: bool,
    /// Whether the outcome is the expected one.
    pub as_expected: bool,
}

/// Builds the cell of one point: the case's cell file, then the point's overrides.
pub fn point_cell(case: &Case, point: &Point) -> Result<Cell, InputError> {
    let origin = format!("validation/{}.toml", case.name);
    let components: Vec<_> = point
        .components
        .iter()
        .map(|(slot, c)| (*slot, c.component.as_str()))
        .collect();
    let mut cell = Cell::from_toml_str_with(&case.setup, &origin, &components)?;
    cell.name = format!("{} ({})", case.name, point.label);
    for (name, v) in &point.parameters {
        cell.set_param(
            &format!("{origin}: point \"{}\"", point.label),
            name,
            v.value,
        )?;
    }
    Ok(cell)
}

/// The experiment of one point.
pub fn point_experiment(point: &Point) -> Result<Experiment, InputError> {
    let mut exp = Experiment::parse(&point.steps)?.with_cycles(point.cycles)?;
    if point.until_eol {
        exp = exp.with_end_of_life(EndOfLife::default());
    }
    Ok(exp)
}

/// One simulated point: its value of the case's quantity and, for a case that compares
/// curves, its discharge curve.
type Simulated = (Option<f64>, Option<Curve>);

/// Simulates one point: its value of the case's quantity (or the error text).
fn simulate_point(case: &Case, point: &Point) -> Result<Simulated, String> {
    let cell = point_cell(case, point).map_err(|e| e.to_string())?;
    let exp = point_experiment(point).map_err(|e| e.to_string())?;
    let options =
        SolverOptions::for_experiment(&exp, None, "validate").map_err(|e| e.to_string())?;
    match simulate(&cell, &exp, &options) {
        Ok(sol) => Ok(match &point.measured {
            Measured::Curve(measured) => {
                let curve = discharge_curve(&sol);
                (curve.as_ref().map(|c| curve_deviation(c, measured)), curve)
            }
            _ => (quantity(case.quantity, &sol), None),
        }),
        Err(Error::Solver(f)) => Err(format!(
            "solver failure in cycle {}, step {}: {}",
            f.cycle, f.step_index, f.message
        )),
        Err(e) => Err(e.to_string()),
    }
}

/// Runs every point of every case in parallel and compares; `progress` is called once per
/// finished point (from worker threads).
pub fn run(cases: &[Case], progress: &(dyn Fn() + Sync)) -> Vec<CaseOutcome> {
    let jobs: Vec<(usize, usize)> = cases
        .iter()
        .enumerate()
        .flat_map(|(c, case)| (0..case.points.len()).map(move |p| (c, p)))
        .collect();
    let results: Vec<Result<Simulated, String>> = jobs
        .par_iter()
        .map(|&(c, p)| {
            let v = simulate_point(&cases[c], &cases[c].points[p]);
            progress();
            v
        })
        .collect();
    let mut results = results.into_iter();
    cases
        .iter()
        .map(|case| {
            let (sim, curves): (Vec<_>, Vec<_>) = results
                .by_ref()
                .take(case.points.len())
                .map(|r| match r {
                    Ok((v, curve)) => (Ok(v), curve),
                    Err(e) => (Err(e), None),
                })
                .unzip();
            let (mut points, trend_holds) = compare::compare(case, &sim);
            for (p, curve) in points.iter_mut().zip(curves) {
                p.curve = curve;
            }
            let passed =
                points.iter().all(|p| p.passed != Some(false)) && trend_holds != Some(false);
            let as_expected = passed == (case.expected == Expected::Pass);
            CaseOutcome {
                case: case.clone(),
                points,
                trend_holds,
                passed,
                as_expected,
            }
        })
        .collect()
}
