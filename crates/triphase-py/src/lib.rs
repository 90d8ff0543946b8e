//! Python bindings (`triphase._core`): cells, experiments, simulation and solutions as plain
//! data, so objects pickle and cross threads and processes; the solve releases the GIL.
//! The pure-Python package `triphase` wraps this module with numpy/pandas/matplotlib.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use numpy::PyArray1;

use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use triphase::experiment::EndOfLife;
use triphase::model::ModelOptions;
use triphase::params::preset::PRESETS;
use triphase::params::REGISTRY;

create_exception!(
    _core,
    InputError,
    PyValueError,
    "Bad input: a cell file, parameter name or value, or experiment step."
);
create_exception!(
    _core,
    SolverError,
    PyRuntimeError,
    "The solver failed mid-run; `.partial` holds the solution computed before the failure."
);

fn input_error(e: triphase::InputError) -> PyErr {
    InputError::new_err(e.to_string())
}

/// A battery cell: parameters, model options and mesh.
#[pyclass(module = "triphase._core")]
#[derive(Clone)]
pub struct Cell {
    inner: triphase::Cell,
}

#[pymethods]
impl Cell {
    /// A built-in preset ("li-o2", "li-air").
    #[staticmethod]
    fn preset(name: &str) -> PyResult<Self> {
        Ok(Self {
            inner: triphase::Cell::preset(name).map_err(input_error)?,
        })
    }

    /// A TOML cell file.
    #[staticmethod]
    fn from_toml(path: &str) -> PyResult<Self> {
        Ok(Self {
            inner: triphase::Cell::from_toml_file(std::path::Path::new(path))
                .map_err(input_error)?,
        })
    }

    /// A copy with parameters overridden by name, e.g. {"O2 partial pressure [Pa]": 21000}.
    fn with_params(&self, params: BTreeMap<String, f64>) -> PyResult<Self> {
        let mut inner = self.inner.clone();
        // every value first, then the rules between parameters (order does not matter)
        let values: Vec<(String, f64)> = params.into_iter().collect();
        inner
            .set_params("with_params", &values)
            .map_err(input_error)?;
        Ok(Self { inner })
    }

    /// A copy with model options overridden, e.g. {"corrosion": True, "gases": ["H2O"]}.
    fn with_options(&self, options: &Bound<'_, PyDict>) -> PyResult<Self> {
        let mut json = serde_json::to_value(&self.inner.options).expect("options serialise");
        let py_json = options
            .py()
            .import("json")?
            .call_method1("dumps", (options,))?;
        let update: serde_json::Value = serde_json::from_str(&py_json.extract::<String>()?)
            .map_err(|e| InputError::new_err(e.to_string()))?;
        if let (Some(map), Some(upd)) = (json.as_object_mut(), update.as_object()) {
            for (k, v) in upd {
                map.insert(k.clone(), v.clone());
            }
        }
        let options: ModelOptions = serde_json::from_value(json)
            .map_err(|e| InputError::new_err(format!("with_options: {e}")))?;
        let mut inner = self.inner.clone();
        inner.options = options;
        Ok(Self { inner })
    }

    /// A copy with the mesh changed: control volumes in the separator and the cathode, and the
    /// cathode's grading (widest over narrowest volume, narrowest at the gas side; 1 is
    /// uniform). Arguments left out keep the cell's values.
    #[pyo3(signature = (separator=None, cathode=None, cathode_grading=None))]
    fn with_mesh(
        &self,
        separator: Option<usize>,
        cathode: Option<usize>,
        cathode_grading: Option<f64>,
    ) -> PyResult<Self> {
        let mut inner = self.inner.clone();
        if let Some(n) = separator {
            inner
                .mesh
                .set("with_mesh", "separator", n)
                .map_err(input_error)?;
        }
        if let Some(n) = cathode {
            inner
                .mesh
                .set("with_mesh", "cathode", n)
                .map_err(input_error)?;
        }
        if let Some(g) = cathode_grading {
            inner
                .mesh
                .set_grading("with_mesh", g)
                .map_err(input_error)?;
        }
        Ok(Self { inner })
    }

    /// The mesh: {"separator": n, "cathode": n, "cathode_grading": g}.
    #[getter]
    fn mesh(&self) -> BTreeMap<&'static str, f64> {
        let m = &self.inner.mesh;
        BTreeMap::from([
            ("separator", m.separator as f64),
            ("cathode", m.cathode as f64),
            ("cathode_grading", m.cathode_grading),
        ])
    }

    /// The cell's name.
    #[getter]
    fn name(&self) -> String {
        self.inner.name.clone()
    }

    /// Every parameter by its documented name [SI units].
    fn params(&self) -> BTreeMap<&'static str, f64> {
        REGISTRY
            .iter()
            .map(|s| (s.name, (s.get)(&self.inner.params)))
            .collect()
    }

    /// Model options as a dict.
    fn options(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let text = serde_json::to_string(&self.inner.options).expect("options serialise");
        Ok(py.import("json")?.call_method1("loads", (text,))?.unbind())
    }

    /// The whole cell (every value, switch, mesh, metal, type, components, provenance) as
    /// JSON: what pickling stores.
    fn __getstate__(&self) -> String {
        self.inner.to_json()
    }

    /// Restores a pickled cell; the state is validated like a cell file (InputError otherwise).
    fn __setstate__(&mut self, state: &str) -> PyResult<()> {
        self.inner = triphase::Cell::from_json(state, "pickled cell").map_err(input_error)?;
        Ok(())
    }

    fn __getnewargs__(&self) -> (String,) {
        ("li-o2".to_string(),)
    }

    #[new]
    #[pyo3(signature = (preset = "li-o2"))]
    fn new(preset: &str) -> PyResult<Self> {
        Self::preset(preset)
    }

    /// `Cell("li-air")`, with the parameters set through `with_params` (or `--set`-style
    /// overrides) listed: `Cell("li-air", overrides={"Relative humidity [-]": 0.7})`.
    fn __repr__(&self) -> String {
        let overrides: Vec<String> = self
            .inner
            .provenance
            .iter()
            .filter(|(_, p)| matches!(p, triphase::cell::Provenance::Override))
            .filter_map(|(name, _)| {
                let value = self.inner.params.get(name)?;
                Some(format!("{name:?}: {value:?}"))
            })
            .collect();
        if overrides.is_empty() {
            format!("Cell({:?})", self.inner.name)
        } else {
            format!(
                "Cell({:?}, overrides={{{}}})",
                self.inner.name,
                overrides.join(", ")
            )
        }
    }
}

/// The protocol steps of a cycler record: time [s], current [A] (charge positive) and voltage
/// [V] (see `triphase::experiment::from_data`); `origin` names the record in errors.
#[pyfunction]
#[pyo3(signature = (time, current, voltage, origin = "record".to_string()))]
fn steps_from_record(
    time: Vec<f64>,
    current: Vec<f64>,
    voltage: Vec<f64>,
    origin: String,
) -> PyResult<Vec<String>> {
    triphase::experiment::from_data::steps_from_record(
        &time,
        &current,
        &voltage,
        &triphase::experiment::from_data::Segmentation::default(),
        &origin,
    )
    .map_err(input_error)
}

/// An experiment: protocol steps, optionally cycled until end of life.
#[pyclass(module = "triphase._core")]
#[derive(Clone)]
pub struct Experiment {
    steps: Vec<String>,
    cycles: usize,
    until_eol: bool,
    inner: triphase::Experiment,
}

fn build_experiment(
    steps: &[String],
    cycles: usize,
    until_eol: bool,
) -> PyResult<triphase::Experiment> {
    let mut exp = triphase::Experiment::parse(steps)
        .map_err(input_error)?
        .with_cycles(cycles)
        .map_err(input_error)?;
    if until_eol {
        exp = exp.with_end_of_life(EndOfLife::default());
    }
    Ok(exp)
}

#[pymethods]
impl Experiment {
    #[new]
    #[pyo3(signature = (steps, cycles = 1, until_eol = false))]
    fn new(steps: Vec<String>, cycles: usize, until_eol: bool) -> PyResult<Self> {
        let inner = build_experiment(&steps, cycles, until_eol)?;
        Ok(Self {
            steps,
            cycles,
            until_eol,
            inner,
        })
    }

    /// The step strings of one cycle.
    #[getter]
    fn steps(&self) -> Vec<String> {
        self.steps.clone()
    }

    /// Number of cycles.
    #[getter]
    fn cycles(&self) -> usize {
        self.cycles
    }

    fn __getnewargs__(&self) -> (Vec<String>, usize, bool) {
        (self.steps.clone(), self.cycles, self.until_eol)
    }

    fn __repr__(&self) -> String {
        format!("Experiment({:?}, cycles={})", self.steps, self.cycles)
    }
}

/// A simulation result as plain data: the output variables (the same names, units and sign
/// conventions as the CLI's timeseries.csv), the JSON summary and the profiles.
#[pyclass(module = "triphase._core")]
#[derive(Clone)]
pub struct Solution {
    /// (name, description, values) in output order.
    variables: Vec<(String, String, Vec<f64>)>,
    summary: String,
    /// JSON list of profiles across the cell at the asked or default times.
    profiles: String,
    /// JSON list of [name, values] per-cycle columns, as the CLI's cycles.csv ("Cycle" first).
    cycle_columns: String,
    /// JSON list of the spectra the experiment's "EIS ..." entries measured.
    spectra: String,
}

impl Solution {
    /// Plain data of `sol`, with profiles at `profile_times_s` (default: the start and the ends
    /// of up to four discharges of a run with several, else five spread times).
    fn from_solution(sol: &triphase::Solution, profile_times_s: Option<&[f64]>) -> Self {
        let variables = sol
            .variables()
            .into_iter()
            .map(|v| (v.name, v.description, v.values.to_f64()))
            .collect();
        let summary = serde_json::to_string(&sol.summary()).expect("summary serialises");
        let profiles = sol.profiles(profile_times_s);
        let (numbers, metrics) = sol.cycle_columns();
        let mut columns: Vec<(String, Vec<Option<f64>>)> = vec![(
            "Cycle".into(),
            numbers.iter().map(|&c| Some(c as f64)).collect(),
        )];
        columns.extend(metrics);
        Self {
            variables,
            summary,
            profiles: serde_json::to_string(&profiles).expect("profiles serialise"),
            cycle_columns: serde_json::to_string(&columns).expect("columns serialise"),
            spectra: serde_json::to_string(&sol.spectra).expect("spectra serialise"),
        }
    }
}

#[pymethods]
impl Solution {
    /// Names of the variables, in output order.
    fn variable_names(&self) -> Vec<String> {
        self.variables.iter().map(|v| v.0.clone()).collect()
    }

    /// What each variable is, with its sign convention: {name: description}.
    fn variable_descriptions(&self) -> BTreeMap<String, String> {
        self.variables
            .iter()
            .map(|v| (v.0.clone(), v.1.clone()))
            .collect()
    }

    /// One variable as a numpy array (copied from the Rust values, no Python list).
    fn variable<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyArray1<f64>>> {
        match self.variables.iter().find(|v| v.0 == name) {
            Some(v) => Ok(PyArray1::from_slice(py, &v.2)),
            None => Err(pyo3::exceptions::PyKeyError::new_err(format!(
                "no variable {name:?}; available: {}",
                self.variable_names().join(", ")
            ))),
        }
    }

    /// The JSON summary (same as `triphase run --json`).
    fn summary_json(&self) -> String {
        self.summary.clone()
    }

    /// Profiles across the cell at the asked or default times, as JSON.
    fn profiles_json(&self) -> String {
        self.profiles.clone()
    }

    /// The per-cycle columns of the CLI's cycles.csv, as JSON [[name, values], ...].
    fn cycle_columns_json(&self) -> String {
        self.cycle_columns.clone()
    }

    /// The spectra measured by the experiment's "EIS ..." entries, as JSON (as `triphase eis
    /// --json`: frequency in Hz, impedance in Ohm m2).
    fn spectra_json(&self) -> String {
        self.spectra.clone()
    }

    fn __getstate__(&self) -> String {
        serde_json::json!({"variables": self.variables, "summary": self.summary, "profiles": self.profiles, "cycle_columns": self.cycle_columns, "spectra": self.spectra}).to_string()
    }

    fn __setstate__(&mut self, state: &str) -> PyResult<()> {
        let bad = |m: String| InputError::new_err(format!("pickled solution: {m}"));
        let v: serde_json::Value = serde_json::from_str(state).map_err(|e| bad(e.to_string()))?;
        let variables: Vec<(String, String, Vec<f64>)> =
            serde_json::from_value(v["variables"].clone()).map_err(|e| bad(e.to_string()))?;
        if let Some(n) = variables.first().map(|v| v.2.len()) {
            if variables.iter().any(|v| v.2.len() != n) {
                return Err(bad("variables of different lengths".into()));
            }
        }
        let text = |key: &str| {
            v[key]
                .as_str()
                .map(String::from)
                .ok_or_else(|| bad(format!("no {key}")))
        };
        self.summary = text("summary")?;
        self.profiles = text("profiles")?;
        self.cycle_columns = text("cycle_columns")?;
        self.spectra = text("spectra")?;
        self.variables = variables;
        Ok(())
    }

    #[new]
    fn new() -> Self {
        Self {
            variables: Vec::new(),
            summary: "{}".into(),
            profiles: "[]".into(),
            cycle_columns: "[]".into(),
            spectra: "[]".into(),
        }
    }
}

/// Simulates `experiment` on `cell`. The solve runs without the GIL on a worker thread; the
/// calling thread checks for Python signals every 20 ms, so Ctrl-C stops the solver after its
/// current step and raises KeyboardInterrupt with the solution so far in `.partial`.
#[pyfunction]
#[pyo3(signature = (cell, experiment, rtol = None, profile_times_h = None, period_s = None, record_cycles = "sparse", skip_cycles = None))]
// one argument per keyword of the Python `simulate`
#[allow(clippy::too_many_arguments)]
fn simulate(
    py: Python<'_>,
    cell: &Cell,
    experiment: &Experiment,
    rtol: Option<f64>,
    profile_times_h: Option<Vec<f64>>,
    period_s: Option<f64>,
    record_cycles: &str,
    skip_cycles: Option<f64>,
) -> PyResult<Solution> {
    let (c, e) = (&cell.inner, &experiment.inner);
    if let Some(times) = &profile_times_h {
        triphase::solution::check_profile_times("profile_times_h", times).map_err(input_error)?;
    }
    triphase::solver::check_output_period("period_s", period_s).map_err(input_error)?;
    let record_cycles = match record_cycles {
        "sparse" => triphase::solution::RecordCycles::Sparse,
        "all" => triphase::solution::RecordCycles::All,
        other => {
            return Err(input_error(triphase::error::InputError::Invalid {
                origin: "record_cycles".into(),
                message: format!("{other:?}: allowed values are \"sparse\" and \"all\""),
            }))
        }
    };
    let cycle_skipping = triphase::solver::CycleSkipping::from_option(skip_cycles, "skip_cycles")
        .map_err(input_error)?;
    let times_s: Option<Vec<f64>> = profile_times_h.map(|h| h.iter().map(|h| h * 3600.0).collect());
    let interrupt = Arc::new(AtomicBool::new(false));
    let options = triphase::SolverOptions {
        interrupt: Some(interrupt.clone()),
        snapshot_times: times_s.clone().unwrap_or_default(),
        output_period: period_s,
        record_cycles,
        cycle_skipping,
        ..triphase::SolverOptions::for_experiment(e, rtol, "rtol").map_err(input_error)?
    };
    let mut signal: Option<PyErr> = None;
    let result = std::thread::scope(|scope| {
        let worker = scope.spawn(|| triphase::simulate(c, e, &options));
        while !worker.is_finished() {
            if signal.is_none() {
                if let Err(err) = py.check_signals() {
                    // stop the solver after its current step; keep what it computed
                    interrupt.store(true, Ordering::Relaxed);
                    signal = Some(err);
                }
            }
            py.detach(|| std::thread::sleep(std::time::Duration::from_millis(20)));
        }
        worker.join().expect("the solver thread does not panic")
    });
    let (solution, failure) = match result {
        Ok(s) => (Solution::from_solution(&s, times_s.as_deref()), None),
        Err(triphase::Error::Input(i)) => return Err(input_error(i)),
        Err(triphase::Error::Solver(f)) => (
            Solution::from_solution(&f.partial, times_s.as_deref()),
            Some(f.to_string()),
        ),
    };
    let with_partial = |err: PyErr, partial: Solution| -> PyResult<PyErr> {
        err.value(py).setattr("partial", Py::new(py, partial)?)?;
        Ok(err)
    };
    match (signal, failure) {
        (Some(err), _) => Err(with_partial(err, solution)?),
        (None, Some(message)) => Err(with_partial(SolverError::new_err(message), solution)?),
        (None, None) => Ok(solution),
    }
}

/// Energy density of a design: theoretical figures of every reaction, reference chemistries,
/// and the practical cell and pack budget at the capacity and mean voltage of a simulated
/// discharge (JSON text, as `triphase energy --json`).
#[pyfunction]
#[pyo3(signature = (cell, experiment = None))]
fn energy_json(py: Python<'_>, cell: &Cell, experiment: Option<&Experiment>) -> PyResult<String> {
    let c = cell.inner.clone();
    let e = match experiment {
        Some(e) => e.inner.clone(),
        None => triphase::Experiment::default_discharge(),
    };
    let result = py.detach(move || {
        triphase::simulate(&c, &e, &triphase::SolverOptions::default()).map(|sol| {
            let theoretical: Vec<_> = triphase::energy::theoretical_all();
            serde_json::json!({
                "cell": c.name,
                "theoretical": theoretical,
                "references": triphase::energy::REFERENCES,
                "practical": triphase::energy::EnergyBudget::new(&c, &sol),
            })
            .to_string()
        })
    });
    result.map_err(|e| match e {
        triphase::Error::Input(i) => input_error(i),
        triphase::Error::Solver(f) => SolverError::new_err(f.to_string()),
    })
}

/// Built-in presets, the documented parameters and the component library:
/// {"presets": [...], "parameters": {name: description}, "components_json": "[...]"}.
#[pyfunction]
fn library(py: Python<'_>) -> PyResult<Py<PyDict>> {
    let lib = triphase::components::Library::global().map_err(|e| input_error(e.clone()))?;
    let d = PyDict::new(py);
    d.set_item(
        "presets",
        PRESETS.iter().map(|p| p.name).collect::<Vec<_>>(),
    )?;
    let params = PyDict::new(py);
    for s in REGISTRY {
        params.set_item(s.name, format!("{} (allowed {})", s.description, s.range))?;
    }
    d.set_item("parameters", params)?;
    d.set_item(
        "components_json",
        serde_json::to_string(&lib.all()).expect("components serialise"),
    )?;
    Ok(d.unbind())
}

/// Runs the validation cases (all when `cases` is empty; the built-in ones unless `dir` names a
/// folder) and returns the outcomes as JSON text (as `triphase validate --json`).
#[pyfunction]
#[pyo3(signature = (cases = Vec::new(), dir = None))]
fn validate_json(
    py: Python<'_>,
    cases: Vec<String>,
    dir: Option<std::path::PathBuf>,
) -> PyResult<String> {
    py.detach(move || {
        let all = match &dir {
            Some(d) => triphase::validation::cases_in(d),
            None => triphase::validation::builtin_cases(),
        }?;
        let selected = triphase::validation::select(all, &cases)?;
        let outcomes = triphase::validation::run(&selected, &|| {});
        Ok(serde_json::to_string(&outcomes).expect("outcomes serialise"))
    })
    .map_err(input_error)
}

/// Runs a fit (a fit file's path, or its TOML text whose relative paths are taken from `dir`)
/// and returns the result as JSON text (as `triphase fit --json`). Releases the GIL.
#[pyfunction]
#[pyo3(signature = (spec, dir = None))]
fn fit_json(py: Python<'_>, spec: String, dir: Option<std::path::PathBuf>) -> PyResult<String> {
    py.detach(move || {
        let text_given = spec.contains('\n');
        let spec = if text_given {
            let dir = dir.unwrap_or_else(|| std::path::PathBuf::from("."));
            triphase::fit::FitSpec::from_toml_str(&spec, "fit specification", &dir)?
        } else {
            triphase::fit::FitSpec::from_file(std::path::Path::new(&spec))?
        };
        let result = triphase::fit::fit(&spec, &triphase::fit::FitOptions::default());
        Ok(serde_json::to_string(&result).expect("the result serialises"))
    })
    .map_err(input_error)
}

fn dataset_error(e: triphase::sweep::DatasetError) -> PyErr {
    pyo3::exceptions::PyOSError::new_err(e.to_string())
}

/// Reads a sweep file and returns it resolved, as JSON text: `text` (the sweep file),
/// `cell` (the base cell's TOML), `runs` (how many) and `columns` (the dataset's column names):
/// everything a worker on another machine needs, with no file access.
#[pyfunction]
fn sweep_spec_json(path: std::path::PathBuf) -> PyResult<String> {
    let spec = triphase::sweep::SweepSpec::from_file(&path).map_err(input_error)?;
    let columns: Vec<String> = triphase::sweep::dataset::columns(&spec)
        .into_iter()
        .map(|c| c.0)
        .collect();
    Ok(serde_json::json!({
        "origin": spec.origin,
        "text": spec.text,
        "cell": spec.cell_text,
        "runs": spec.run_count(),
        "columns": columns,
    })
    .to_string())
}

fn resolved(text: &str, cell: &str) -> PyResult<triphase::sweep::SweepSpec> {
    triphase::sweep::SweepSpec::resolved(text, "sweep", cell).map_err(input_error)
}

/// Runs one run of a resolved sweep (`text`, `cell` from `sweep_spec_json`) and returns its
/// dataset row as a JSON line. Stateless and GIL-free: what an executor's worker calls.
#[pyfunction]
fn sweep_run_json(py: Python<'_>, text: String, cell: String, run: usize) -> PyResult<String> {
    let spec = resolved(&text, &cell)?;
    if run >= spec.run_count() {
        return Err(pyo3::exceptions::PyIndexError::new_err(format!(
            "run {run} of a sweep of {} runs",
            spec.run_count()
        )));
    }
    let record = py
        .detach(|| triphase::sweep::run_one(&spec, run, None))
        .expect("a run without an interrupt flag always finishes");
    Ok(serde_json::to_string(&record).expect("records serialise"))
}

/// Writes the dataset of a resolved sweep from its rows (JSON lines, any order) to `path`:
/// the same bytes as `triphase sweep` writes for the same runs.
#[pyfunction]
fn sweep_write(
    text: String,
    cell: String,
    rows: Vec<String>,
    path: std::path::PathBuf,
) -> PyResult<()> {
    let spec = resolved(&text, &cell)?;
    let records: Vec<triphase::sweep::RunRecord> = rows
        .iter()
        .map(|r| serde_json::from_str(r))
        .collect::<Result<_, _>>()
        .map_err(|e| {
            pyo3::exceptions::PyValueError::new_err(format!("a row is not a sweep record: {e}"))
        })?;
    triphase::sweep::dataset::write_parquet(&path, &spec, &records).map_err(dataset_error)
}

/// Runs a sweep file on this machine's cores into `out` (resumable, as `triphase sweep`) and
/// returns the rows as JSON lines, sorted by run. Releases the GIL.
#[pyfunction]
#[pyo3(signature = (path, out, threads = None))]
fn sweep_execute(
    py: Python<'_>,
    path: std::path::PathBuf,
    out: std::path::PathBuf,
    threads: Option<usize>,
) -> PyResult<Vec<String>> {
    let spec = triphase::sweep::SweepSpec::from_file(&path).map_err(input_error)?;
    let options = triphase::sweep::ExecuteOptions {
        threads,
        ..Default::default()
    };
    let outcome = py
        .detach(|| triphase::sweep::execute(&spec, &out, &options))
        .map_err(dataset_error)?;
    Ok(outcome
        .records
        .iter()
        .map(|r| serde_json::to_string(r).expect("records serialise"))
        .collect())
}

/// Impedance spectra of `cell` (fresh, or at points `at` of `experiment`) as JSON text (as
/// `triphase eis --json`: frequency in Hz, impedance in Ohm m2). Releases the GIL.
#[pyfunction]
#[pyo3(signature = (cell, experiment = None, at = Vec::new(), f_from = 1e5, f_to = 1e-2, per_decade = 10))]
fn eis_json(
    py: Python<'_>,
    cell: &Cell,
    experiment: Option<&Experiment>,
    at: Vec<String>,
    f_from: f64,
    f_to: f64,
    per_decade: usize,
) -> PyResult<String> {
    let at: Vec<triphase::eis::At> = at
        .iter()
        .map(|a| triphase::eis::At::parse(a))
        .collect::<Result<_, _>>()
        .map_err(|m| {
            input_error(triphase::error::InputError::Invalid {
                origin: "at".into(),
                message: m,
            })
        })?;
    for (name, f) in [("f_from", f_from), ("f_to", f_to)] {
        if !(f > 0.0 && f <= 1e9) {
            return Err(input_error(triphase::error::InputError::Invalid {
                origin: name.into(),
                message: format!("{f} is outside the allowed range (0, 1e9] Hz"),
            }));
        }
    }
    if !(1..=1000).contains(&per_decade) {
        return Err(input_error(triphase::error::InputError::Invalid {
            origin: "per_decade".into(),
            message: format!("{per_decade} is outside the allowed range [1, 1000]"),
        }));
    }
    let freqs = triphase::eis::frequencies(f_from, f_to, per_decade);
    let (c, e) = (&cell.inner, experiment.map(|e| &e.inner));
    let measured = py
        .detach(|| triphase::eis::run_and_measure(c, e, &at, &freqs))
        .map_err(input_error)?;
    if let Some(f) = measured.failure {
        return Err(SolverError::new_err(f));
    }
    Ok(serde_json::to_string(&measured.spectra).expect("spectra serialise"))
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Cell>()?;
    m.add_class::<Experiment>()?;
    m.add_class::<Solution>()?;
    m.add_function(wrap_pyfunction!(simulate, m)?)?;
    m.add_function(wrap_pyfunction!(library, m)?)?;
    m.add_function(wrap_pyfunction!(energy_json, m)?)?;
    m.add_function(wrap_pyfunction!(validate_json, m)?)?;
    m.add_function(wrap_pyfunction!(fit_json, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_spec_json, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_run_json, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_write, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_execute, m)?)?;
    m.add_function(wrap_pyfunction!(eis_json, m)?)?;
    m.add_function(wrap_pyfunction!(steps_from_record, m)?)?;
    m.add("InputError", m.py().get_type::<InputError>())?;
    m.add("SolverError", m.py().get_type::<SolverError>())?;
    Ok(())
}
