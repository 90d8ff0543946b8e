//! Python bindings (`triphase._core`): cells, experiments, simulation and solutions as plain
//! data, so objects pickle and cross threads and processes; the solve releases the GIL.
//! The pure-Python package `triphase` wraps this module with numpy/pandas/matplotlib.

use std::collections::BTreeMap;

use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use triphase::experiment::EndOfLife;
use triphase::mesh::MeshSpec;
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
        for (name, value) in params {
            inner
                .set_param("with_params", &name, value)
                .map_err(input_error)?;
        }
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

    fn __getstate__(&self) -> String {
        let params: BTreeMap<&str, f64> = REGISTRY
            .iter()
            .map(|s| (s.name, (s.get)(&self.inner.params)))
            .collect();
        serde_json::json!({
            "name": self.inner.name,
            "params": params,
            "options": self.inner.options,
            "mesh": [self.inner.mesh.separator, self.inner.mesh.cathode],
        })
        .to_string()
    }

    fn __setstate__(&mut self, state: &str) -> PyResult<()> {
        let v: serde_json::Value =
            serde_json::from_str(state).map_err(|e| InputError::new_err(e.to_string()))?;
        let mut inner = triphase::Cell::default_cell();
        inner.name = v["name"].as_str().unwrap_or("cell").to_string();
        if let Some(map) = v["params"].as_object() {
            for (k, x) in map {
                let x = x.as_f64().unwrap_or(f64::NAN);
                if let Some(spec) = triphase::params::find(k) {
                    (spec.set)(&mut inner.params, x);
                }
            }
        }
        inner.options = serde_json::from_value(v["options"].clone())
            .map_err(|e| InputError::new_err(e.to_string()))?;
        if let Some(m) = v["mesh"].as_array() {
            inner.mesh = MeshSpec {
                separator: m[0].as_u64().unwrap_or(10) as usize,
                cathode: m[1].as_u64().unwrap_or(50) as usize,
            };
        }
        self.inner = inner;
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

    fn __repr__(&self) -> String {
        format!("Cell({:?})", self.inner.name)
    }
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

/// A simulation result as plain data: named variables and the JSON summary.
#[pyclass(module = "triphase._core")]
#[derive(Clone)]
pub struct Solution {
    variables: BTreeMap<String, Vec<f64>>,
    summary: String,
    /// JSON list of profiles across the cell at five times spread over the run.
    profiles: String,
}

impl Solution {
    /// Plain data of `sol`, with profiles at `profile_times_s` (default: five spread times).
    fn from_solution(sol: &triphase::Solution, profile_times_s: Option<&[f64]>) -> Self {
        let m = &sol.model;
        let l = &m.layout;
        let area = m.params.geometry.electrode_area;
        let mut v: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        let column = |f: &dyn Fn(&[f64]) -> f64| -> Vec<f64> {
            (0..sol.len()).map(|i| f(sol.state(i))).collect()
        };
        v.insert("Time [s]".into(), sol.time.clone());
        v.insert("Voltage [V]".into(), sol.voltage());
        v.insert("Current density [A.m-2]".into(), sol.current_density());
        v.insert(
            "Current [A]".into(),
            sol.current_density().iter().map(|i| i * area).collect(),
        );
        v.insert(
            "Discharge capacity [mAh.cm-2]".into(),
            sol.charge()
                .iter()
                .map(|q| triphase::constants::c_per_m2_to_mah_per_cm2(*q))
                .collect(),
        );
        v.insert("Metal thickness [m]".into(), sol.metal_thickness());
        v.insert(
            "O2 drawn from gas [mol.m-2]".into(),
            column(&|y| y[l.o2_uptake]),
        );
        v.insert("SEI thickness [m]".into(), column(&|y| m.sei_thickness(y)));
        v.insert(
            "Dendrite length [m]".into(),
            column(&|y| l.dendrite.map_or(0.0, |i| y[i])),
        );
        v.insert(
            "Electrolyte remaining [-]".into(),
            column(&|y| m.electrolyte_remaining_fraction(y)),
        );
        v.insert(
            "Cycle number".into(),
            sol.step_of_point
                .iter()
                .map(|&s| sol.steps.get(s).map_or(1, |r| r.cycle) as f64)
                .collect(),
        );
        v.insert(
            "Step number".into(),
            sol.step_of_point.iter().map(|&s| (s + 1) as f64).collect(),
        );
        let summary = serde_json::to_string(&sol.summary()).expect("summary serialises");
        let profiles: Vec<triphase::solution::Profile> = sol
            .profile_points(profile_times_s)
            .into_iter()
            .map(|i| sol.profile(i))
            .collect();
        Self {
            variables: v,
            summary,
            profiles: serde_json::to_string(&profiles).expect("profiles serialise"),
        }
    }
}

#[pymethods]
impl Solution {
    /// Names of the variables.
    fn variable_names(&self) -> Vec<String> {
        self.variables.keys().cloned().collect()
    }

    /// One variable as a list (the Python layer turns it into a numpy array).
    fn variable(&self, name: &str) -> PyResult<Vec<f64>> {
        self.variables.get(name).cloned().ok_or_else(|| {
            pyo3::exceptions::PyKeyError::new_err(format!(
                "no variable {name:?}; available: {}",
                self.variables
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    }

    /// The JSON summary (same as `triphase run --json`).
    fn summary_json(&self) -> String {
        self.summary.clone()
    }

    /// Profiles across the cell at five times spread over the run, as JSON.
    fn profiles_json(&self) -> String {
        self.profiles.clone()
    }

    fn __getstate__(&self) -> String {
        serde_json::json!({"variables": self.variables, "summary": self.summary, "profiles": self.profiles}).to_string()
    }

    fn __setstate__(&mut self, state: &str) -> PyResult<()> {
        let v: serde_json::Value =
            serde_json::from_str(state).map_err(|e| InputError::new_err(e.to_string()))?;
        self.variables = serde_json::from_value(v["variables"].clone())
            .map_err(|e| InputError::new_err(e.to_string()))?;
        self.summary = v["summary"].as_str().unwrap_or("{}").to_string();
        self.profiles = v["profiles"].as_str().unwrap_or("[]").to_string();
        Ok(())
    }

    #[new]
    fn new() -> Self {
        Self {
            variables: BTreeMap::new(),
            summary: "{}".into(),
            profiles: "[]".into(),
        }
    }
}

/// Simulates `experiment` on `cell`; releases the GIL while solving.
#[pyfunction]
#[pyo3(signature = (cell, experiment, rtol = None, profile_times_h = None))]
fn simulate(
    py: Python<'_>,
    cell: &Cell,
    experiment: &Experiment,
    rtol: Option<f64>,
    profile_times_h: Option<Vec<f64>>,
) -> PyResult<Solution> {
    let (c, e) = (cell.inner.clone(), experiment.inner.clone());
    if let Some(times) = &profile_times_h {
        triphase::solution::check_profile_times("profile_times_h", times).map_err(input_error)?;
    }
    let times_s: Option<Vec<f64>> = profile_times_h.map(|h| h.iter().map(|h| h * 3600.0).collect());
    let rtol = rtol.unwrap_or(if e.cycles > 1 { 1e-4 } else { 1e-6 });
    if !(rtol > 0.0 && rtol <= 1e-2) {
        return Err(InputError::new_err(format!(
            "rtol = {rtol} is outside the allowed range (0, 0.01]"
        )));
    }
    let options = triphase::SolverOptions {
        rtol,
        ..triphase::SolverOptions::default()
    };
    let result = py.detach(move || {
        triphase::simulate(&c, &e, &options)
            .map(|s| Solution::from_solution(&s, times_s.as_deref()))
            .map_err(|err| match err {
                triphase::Error::Input(i) => Err(i),
                triphase::Error::Solver(f) => Ok((
                    f.to_string(),
                    Solution::from_solution(&f.partial, times_s.as_deref()),
                )),
            })
    });
    match result {
        Ok(sol) => Ok(sol),
        Err(Err(input)) => Err(input_error(input)),
        Err(Ok((message, partial))) => {
            let err = SolverError::new_err(message);
            err.value(py).setattr("partial", Py::new(py, partial)?)?;
            Err(err)
        }
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

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Cell>()?;
    m.add_class::<Experiment>()?;
    m.add_class::<Solution>()?;
    m.add_function(wrap_pyfunction!(simulate, m)?)?;
    m.add_function(wrap_pyfunction!(library, m)?)?;
    m.add_function(wrap_pyfunction!(energy_json, m)?)?;
    m.add("InputError", m.py().get_type::<InputError>())?;
    m.add("SolverError", m.py().get_type::<SolverError>())?;
    Ok(())
}
