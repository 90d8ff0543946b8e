"""triphase: physics-based simulation of alkali metal-air batteries.

The Rust core does the physics; this package gives it the idiom of PyBaMM users::

    import triphase
    cell = triphase.Cell.preset("li-air").with_params({"Relative humidity [-]": 0.2})
    exp = triphase.Experiment(["Discharge at 0.1 mA cm-2 until 0.2 mAh cm-2 or until 2.0 V",
                               "Charge at 0.1 mA cm-2 until 0.2 mAh cm-2 or until 4.5 V"],
                              cycles=50, until_eol=True)
    sol = triphase.simulate(cell, exp)
    sol["Voltage / V"]          # numpy array (names and signs as in the CLI's timeseries.csv)
    sol.cycles                  # per-cycle metrics (pandas DataFrame when pandas is installed)
    sol.summary["anode"]        # the anode ledger
    sol.plot()                  # matplotlib, when installed
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

import numpy as np

from . import _core, cycler
from ._core import Cell, Experiment, InputError, SolverError
from .cycler import read_cycler, write_bdf
from .pybop_adapter import pybop_simulator

__all__ = ["Cell", "Experiment", "Solution", "simulate", "energy", "materials", "validate",
           "InputError", "SolverError", "cycler", "read_cycler", "write_bdf", "pybop_simulator"]


def _spectra(text: str) -> List[Dict[str, Any]]:
    """Spectra from their JSON: the frequencies and impedances as numpy arrays."""
    spectra = json.loads(text)
    for s in spectra:
        for key in ("frequency_hz", "z_real_ohm_m2", "z_imag_ohm_m2"):
            s[key] = np.asarray(s[key], dtype=float)
    return spectra


class Solution:
    """Result of :func:`simulate`: variables as numpy arrays, the summary, per-cycle metrics."""

    def __init__(self, core: "_core.Solution"):
        self._core = core
        self._summary: Optional[Dict[str, Any]] = None

    def __getitem__(self, name: str) -> np.ndarray:
        """One output variable as a numpy array. The names, units and sign conventions are
        those of the CLI's ``timeseries.csv``: Battery Data Format columns first (``Test Time /
        s``, ``Voltage / V``, ``Current / A`` positive on charge, ``Net Capacity / Ah``), then
        model variables (``Current density [A.m-2]`` positive on discharge, ``SEI thickness
        [m]``...); see :attr:`variable_descriptions`."""
        return self._core.variable(name)

    @property
    def variables(self) -> List[str]:
        """Names accepted by ``sol[name]``, in output order."""
        return list(self._core.variable_names())

    @property
    def variable_descriptions(self) -> Dict[str, str]:
        """What each variable is, with its sign convention."""
        return dict(self._core.variable_descriptions())

    def eis(self) -> List[Dict[str, Any]]:
        """The impedance spectra measured by the experiment's ``"EIS from 100 kHz to 10 mHz
        (10 per decade)"`` entries, in run order: one dict per spectrum with ``at`` (``"cycle 3
        after step 2"``), ``frequency_hz``, ``z_real_ohm_m2`` and ``z_imag_ohm_m2`` (numpy
        arrays). Empty when the experiment measured none (see also :func:`eis`)."""
        return _spectra(self._core.spectra_json())

    @property
    def summary(self) -> Dict[str, Any]:
        """The JSON summary of ``triphase run --json`` as a dict."""
        if self._summary is None:
            self._summary = json.loads(self._core.summary_json())
        return self._summary

    @property
    def cycles(self):
        """Per-cycle metrics with the columns of the CLI's cycles.csv ("Cycle",
        "Discharge capacity [mAh.cm-2]", ..., "Metal lost to O2 [mol.m-2]"): a pandas
        DataFrame when pandas is installed, else a dict of lists. The summary's ``cycles``
        holds the same metrics as dicts with snake_case keys."""
        columns = json.loads(self._core.cycle_columns_json())
        data = {name: values for name, values in columns}
        if "Cycle" in data:
            data["Cycle"] = [int(c) for c in data["Cycle"]]
        try:
            import pandas as pd
        except ImportError:
            return data
        return pd.DataFrame(data)

    @property
    def profiles(self) -> List[Dict[str, Any]]:
        """Profiles across the cell (metal surface at x = 0) at the ``profile_times_h`` of
        :func:`simulate` (default: the start and the ends of up to four discharges of a run with
        several, otherwise five times spread over the run):
        dicts with ``time_s``, ``x_m``, ``salt_mol_m3``, ``gas_mol_m3`` (by gas),
        ``product_fraction`` and ``electrolyte_potential_V`` as numpy arrays."""
        out = []
        for p in json.loads(self._core.profiles_json()):
            d = {k: (np.asarray(v, dtype=float) if isinstance(v, list) else v) for k, v in p.items()}
            d["gas_mol_m3"] = {g: np.asarray(v, dtype=float) for g, v in p["gas_mol_m3"].items()}
            out.append(d)
        return out

    def plot(self, ax=None):
        """Voltage against discharge capacity (matplotlib; against time for a symmetric cell);
        returns the axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        if self.summary.get("anode", {}).get("counter_corrosion_mol_m2") is not None:
            ax.plot(self["Test Time / s"] / 3600.0, self["Voltage / V"])
            ax.set_xlabel("Time [h]")
            ax.set_ylabel("Voltage, counter vs working [V]")
            ax.set_title(self.summary.get("cell", ""))
            return ax
        q = self["Discharge capacity [mAh.cm-2]"]
        v = self["Voltage / V"]
        cyc = self["Cycle Count / 1"]
        cycles = sorted(set(int(c) for c in cyc))
        if len(cycles) <= 1:
            ax.plot(q, v)
        else:
            # each recorded cycle from its own start, coloured from the first to the last
            cmap = plt.get_cmap("viridis")
            for k, c in enumerate(cycles):
                sel = cyc == c
                qc = q[sel]
                frac = k / (len(cycles) - 1)
                label = f"cycle {c}" if k in (0, len(cycles) - 1) else None
                ax.plot(qc - qc[0], v[sel], color=cmap(frac), label=label)
            ax.legend(fontsize=8)
        ax.set_xlabel("Net discharge capacity [mAh cm-2]" if len(cycles) <= 1 else "Net discharge capacity in the cycle [mAh cm-2]")
        ax.set_ylabel("Voltage [V]")
        ax.set_title(self.summary.get("cell", ""))
        return ax

    def __reduce__(self):
        return (Solution, (self._core,))

    def __repr__(self) -> str:
        s = self.summary
        return f"Solution({s.get('cell')!r}, {s.get('discharge_capacity_mAh_cm2', 0):.4g} mAh cm-2, stop={s.get('stop_reason')!r})"


def simulate(
    cell: Cell,
    experiment: Optional[Experiment] = None,
    rtol: Optional[float] = None,
    profile_times_h: Optional[List[float]] = None,
    period_s: Optional[float] = None,
    record_cycles: str = "sparse",
    skip_cycles: Optional[float] = None,
) -> Solution:
    """Simulates ``experiment`` (default: one discharge at 0.1 mA cm-2 to 2.0 V) on ``cell``.

    ``profile_times_h``: times [h] of ``Solution.profiles``, saved by the solver at exactly
    those times (default: the start and the ends of up to four discharges of a run with
    several, otherwise five recorded points spread over the run).

    ``period_s``: recording cadence [s]; points at every multiple from each step's start,
    interpolated by the solver, plus each step's first and last point (default: every solver
    step). ``record_cycles``: ``"sparse"`` (cycles 1-10, every 10th to 100, every 100th to
    1000, ..., and the last keep their points: flat memory for long lives) or ``"all"``; the
    summary and ``cycles`` cover every cycle either way.

    ``rtol``: relative tolerance (default 1e-6 for one pass, 1e-4 for cycling, as the CLI).

    ``skip_cycles``: cycle skipping for long lives (off by default; the CLI's
    ``--skip-cycles``): once three cycles have run alike, extrapolate over the following ones
    while the extrapolation error of every state stays within this many error weights (10 is
    the CLI's default). Never across a stop condition or the end of life; skipped cycles have
    no points or cycle rows, are listed in ``summary["skipped_cycles"]`` and count in the
    totals.

    Releases the GIL while solving, so threads run simulations in parallel. Raises
    :class:`InputError` for bad input and :class:`SolverError` (with ``.partial``, a
    :class:`Solution`) when the solver fails mid-run. Ctrl-C stops the solver after its
    current step and raises ``KeyboardInterrupt`` with the solution so far in ``.partial``.
    """
    if experiment is None:
        experiment = Experiment(["Discharge at 0.1 mA cm-2 until 2.0 V"])
    try:
        return Solution(_core.simulate(cell, experiment, rtol, profile_times_h, period_s, record_cycles,
                                       skip_cycles))
    except (SolverError, KeyboardInterrupt) as e:
        partial = getattr(e, "partial", None)
        if partial is not None and not isinstance(partial, Solution):
            e.partial = Solution(partial)
        raise


def energy(cell: Cell, experiment: Optional[Experiment] = None) -> Dict[str, Any]:
    """Energy density from thermodynamics to cell and pack (as ``triphase energy --json``).

    ``theoretical``: E0, specific capacity and energy of every metal-air reaction;
    ``references``: Li-ion and Li-S; ``practical``: the mass/volume budget of ``cell`` at the
    capacity and mean voltage of ``experiment``'s discharge, in the charged and discharged
    states, and at pack level.
    """
    return json.loads(_core.energy_json(cell, experiment))


def materials() -> Dict[str, Any]:
    """The built-in presets, every documented parameter (description and range) and the
    component library: ``{"presets": [...], "parameters": {...}, "components": [{name, kind,
    title, metal, mechanism, references, parameters, scale, effects, ...}, ...]}`` (as
    ``triphase materials show NAME --json``). Cells use components through cell files:
    ``Cell.from_toml(...)`` with ``[anode] component = "..."`` sections."""
    d = _core.library()
    d["components"] = json.loads(d.pop("components_json"))
    return d


def validate(cases: Optional[List[str]] = None, dir: Optional[str] = None, details: bool = False):
    """Run the validation cases (published measurements) and return one row per case and point
    as a pandas DataFrame (as ``triphase validate``): case, point, quantity, unit, measured,
    simulated, error, point verdict (``passed``: True, False, or None for a reference or
    trend-only point), the case verdict (``case_passed``), ``expected`` and ``as_expected``.
    ``cases`` selects cases by name (default: all); ``dir`` reads the cases from a folder
    instead of the built-in ones. A case comparing discharge curves
    (``discharge_voltage_curve``) reports as ``simulated`` the RMS voltage deviation [V] from
    the measured curve. With ``details=True`` the outcomes are returned as the raw list of dicts
    (reference, set-up, trend, and for curve cases each point's simulated ``curve``) instead."""
    outcomes = json.loads(_core.validate_json(list(cases or []), dir))
    if details:
        return outcomes
    import pandas as pd

    rows = []
    for o in outcomes:
        c = o["case"]
        for p in o["points"]:
            m = p["measured"]
            if isinstance(m, dict) and "value" in m:
                measured = m["value"]["value"]
            elif isinstance(m, dict) and "curve" in m:
                measured = f"curve of {len(m['curve'])} points"
            else:
                measured = m
            rows.append({
                "case": c["name"], "point": p["label"], "x": p["x"],
                "quantity": c["quantity"], "measured": measured,
                "simulated": p["simulated"], "error": p["error"], "passed": p["passed"],
                "case_passed": o["passed"], "expected": c["expected"],
                "as_expected": o["as_expected"], "note": p["note"],
            })
    return pd.DataFrame(rows)


class FitResult:
    """What :func:`fit` found: ``parameters`` (a pandas DataFrame: name, initial, value,
    standard_error, lower_95, upper_95, at_bound), ``correlation`` (numpy array), ``warnings``
    (identifiability, bounds), ``cost`` and ``initial_cost`` (1/2 sum r^2),
    ``residual_variance``, ``evaluations``, ``termination``, ``targets``, and per data set the
    simulated curves (``initial_curves``, ``fitted_curves``: dicts of numpy arrays ``time``
    [s] and ``voltage`` [V]) and ``fitted_residuals_v``. ``raw`` is the JSON as a dict."""

    def __init__(self, raw: Dict[str, Any]):
        self.raw = raw
        for key in ("cost", "initial_cost", "residual_variance", "evaluations", "termination",
                    "warnings", "targets", "interrupted", "residuals"):
            setattr(self, key, raw[key])
        self.correlation = np.array(raw["correlation"], dtype=float)
        curves = lambda cs: [{k: np.asarray(c[k], dtype=float) for k in ("time", "voltage")} for c in cs]
        self.initial_curves = curves(raw["initial_curves"])
        self.fitted_curves = curves(raw["fitted_curves"])
        self.fitted_residuals_v = [np.asarray(r, dtype=float) for r in raw["fitted_residuals_v"]]

    @property
    def parameters(self):
        import pandas as pd

        return pd.DataFrame([
            {"name": p["name"], "initial": p["initial"], "value": p["value"],
             "standard_error": p["standard_error"], "lower_95": p["interval_95"][0],
             "upper_95": p["interval_95"][1], "at_bound": p["at_bound"]}
            for p in self.raw["parameters"]
        ])

    def values(self) -> Dict[str, float]:
        """The fitted values by parameter name (for ``Cell.with_params``)."""
        return {p["name"]: p["value"] for p in self.raw["parameters"]}

    def __repr__(self) -> str:
        return f"FitResult(cost {self.cost:.4g}, {len(self.raw['parameters'])} parameters, {len(self.warnings)} warnings)"


def fit(spec: str, dir: Optional[str] = None) -> FitResult:
    """Fits parameters to data as ``triphase fit`` does. ``spec`` is a fit file's path, or the
    text of one (its relative data paths are then taken from ``dir``, default the working
    directory). Releases the GIL while it runs."""
    return FitResult(json.loads(_core.fit_json(str(spec), dir)))


def eis(cell: Cell, experiment: Optional[Experiment] = None, at: Optional[List[str]] = None,
        f_from: float = 1e5, f_to: float = 1e-2, per_decade: int = 10) -> List[Dict[str, Any]]:
    """Impedance spectra of ``cell`` (as ``triphase eis``): the model linearised about its
    state, with the double layers and the surface layers' capacitances. Without
    ``experiment``, the fresh cell at rest; with one, at ``at`` (``"end"`` by default;
    ``"start"``, ``"after cycle N"``, ``"each cycle"``, ``"24 h"``). One dict per spectrum:
    ``at``, ``frequency_hz``, ``z_real_ohm_m2``, ``z_imag_ohm_m2`` (numpy arrays; Ohm m2 of
    electrode area, -Im Z > 0 capacitive). Releases the GIL."""
    return _spectra(_core.eis_json(cell, experiment, list(at or []), f_from, f_to, per_decade))


def fit_circuit(spectrum: Dict[str, Any], circuit: str, initial_guess: List[float],
                area_m2: float = 1.0):
    """Fits an equivalent circuit to a spectrum of :func:`eis` with impedance.py
    (``pip install impedance``): ``circuit`` in its notation (``"R0-p(R1,C1)-p(R2,C2)"``),
    ``initial_guess`` in its units for an electrode of ``area_m2`` (default 1 m2: resistances in
    Ohm m2, capacitances in F m-2). Returns the fitted ``impedance.models.circuits.CustomCircuit``
    (``.parameters_``, ``.conf_``, ``.predict(f)``)."""
    from impedance.models.circuits import CustomCircuit

    f = np.asarray(spectrum["frequency_hz"], dtype=float)
    z = (np.asarray(spectrum["z_real_ohm_m2"]) + 1j * np.asarray(spectrum["z_imag_ohm_m2"])) / area_m2
    model = CustomCircuit(circuit, initial_guess=list(initial_guess))
    model.fit(f, z)
    return model


def _sweep_run(text: str, cell: str, run: int) -> str:
    """One run of a resolved sweep, as a JSON row. Module level, so that executors (process
    pools, Dask, ...) pickle it by reference; it needs no file on the worker."""
    return _core.sweep_run_json(text, cell, int(run))


def _sweep_frame(columns: List[str], rows: List[str]):
    import pandas as pd

    records = sorted((json.loads(r) for r in rows), key=lambda r: r["run"])
    return pd.DataFrame([[r["run"], *r["values"]] for r in records], columns=columns)


def sweep(spec: str, out: Optional[str] = None, executor: Any = None,
          threads: Optional[int] = None):
    """Runs a sweep file (as ``triphase sweep``) and returns its dataset as a pandas DataFrame:
    one row per run, the ``Run`` index, the axes, then the outputs (status, error, cycle life,
    capacity, metal lost by mechanism, energy density, ...).

    Without ``executor`` the runs go to this machine's cores (``threads``, default all) into
    ``out`` (default: a new temporary folder), resumably: rerunning with the same ``out``
    continues an interrupted sweep. With ``executor``, any object with concurrent.futures'
    ``submit`` (a ``ProcessPoolExecutor``, a Dask ``Client`` or ``Client.get_executor()``,
    ...), each run is one task that needs no file on the worker, and ``out/results.parquet``
    (when ``out`` is given) is written from the rows: the same bytes as the CLI writes."""
    import os
    import tempfile

    info = json.loads(_core.sweep_spec_json(str(spec)))
    if executor is None:
        out = out if out is not None else tempfile.mkdtemp(prefix="triphase-sweep-")
        rows = _core.sweep_execute(str(spec), str(out), threads)
    else:
        futures = [executor.submit(_sweep_run, info["text"], info["cell"], run)
                   for run in range(info["runs"])]
        rows = [f.result() for f in futures]
        if out is not None:
            os.makedirs(out, exist_ok=True)
            _core.sweep_write(info["text"], info["cell"], rows,
                              os.path.join(str(out), "results.parquet"))
    return _sweep_frame(info["columns"], rows)


class PintsModel:
    """A triphase simulation as a ``pints.ForwardModel`` (the interface PyBOP's and pints'
    optimisers and samplers drive): ``n_parameters()``, ``n_outputs()`` and
    ``simulate(parameters, times)``, which sets the named registry parameters on ``cell``,
    runs ``experiment`` and returns the voltage [V] at ``times`` [s] (linear interpolation; past
    the end of the run, its last voltage, as ``triphase fit`` compares). With ``log=True`` the
    parameters are given as log10 of the values. Duck-typed: pints is not needed to use it
    (``class M(PintsModel, pints.ForwardModel)`` registers it with pints where required)."""

    def __init__(self, cell: Cell, parameters: List[str], experiment: Experiment,
                 log: bool = False, rtol: float = 1e-6):
        self.cell = cell
        self.names = list(parameters)
        self.experiment = experiment
        self.log = log
        self.rtol = rtol

    def n_parameters(self) -> int:
        return len(self.names)

    def n_outputs(self) -> int:
        return 1

    def values(self, parameters) -> Dict[str, float]:
        x = np.asarray(parameters, dtype=float)
        if self.log:
            x = 10.0 ** x
        return dict(zip(self.names, (float(v) for v in x)))

    def simulate(self, parameters, times):
        cell = self.cell.with_params(self.values(parameters))
        sol = simulate(cell, self.experiment, rtol=self.rtol)
        t = np.asarray(sol["Test Time / s"], dtype=float)
        v = np.asarray(sol["Voltage / V"], dtype=float)
        times = np.asarray(times, dtype=float)
        return np.interp(times, t, v, left=v[0], right=v[-1])
