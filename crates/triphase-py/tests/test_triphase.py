"""pytest suite of the Python package: parity with the CLI, arrays, errors, pickling, parallelism."""

import json
import os
import pickle
import subprocess
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest

import triphase
from conftest import cli

STEPS = ["Discharge at 0.2 mA cm-2 for 5 hours", "Charge at 0.2 mA cm-2 until 4.5 V"]


def test_results_identical_to_the_cli():
    sol = triphase.simulate(triphase.Cell.preset("li-o2"), triphase.Experiment(STEPS))
    args = [cli(), "run", "li-o2", "--json"]
    for s in STEPS:
        args += ["-e", s]
    out = json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)
    py = sol.summary
    for key in ["discharge_capacity_mAh_cm2", "charge_capacity_mAh_cm2", "end_voltage_V", "electrons_per_O2"]:
        assert py[key] == out[key], key
    assert py["steps"] == out["steps"]
    # the product at the end: the charge used it up, so there is no share of it to report
    assert py["cathode"] == out["cathode"]
    assert py["cathode"]["particle_share"] is None
    assert py["cathode"]["product_o2_mol_m2"] < 1e-9


def test_arrays_have_the_right_shapes_and_units():
    sol = triphase.simulate(triphase.Cell.preset("li-o2"), triphase.Experiment(["Discharge at 0.5 mA cm-2 until 2.0 V"]))
    t, v, i = sol["Test Time / s"], sol["Voltage / V"], sol["Current density [A.m-2]"]
    assert isinstance(v, np.ndarray) and v.shape == t.shape == i.shape and v.ndim == 1
    assert np.all(np.diff(t) >= 0)
    assert np.allclose(i, 5.0)  # 0.5 mA cm-2 = 5 A m-2, discharge positive (model convention)
    assert np.allclose(sol["Current / A"], -5.0 * 1e-4)  # BDF: positive on charge
    assert "positive on charge" in sol.variable_descriptions["Current / A"]
    assert 2.0 - 1e-9 <= v.min() and v.max() < 3.0
    q = sol["Discharge capacity [mAh.cm-2]"]
    assert abs(q[-1] - sol.summary["discharge_capacity_mAh_cm2"]) < 1e-9
    assert set(["SEI thickness [m]", "Metal thickness [m]"]).issubset(sol.variables)
    with pytest.raises(KeyError):
        sol["Nonsense [V]"]


def test_errors_raise_the_right_exception_types():
    with pytest.raises(triphase.InputError, match="wrong unit"):
        triphase.Cell.preset("li-o2").with_params({"Cathode thickness [um]": 100})
    with pytest.raises(triphase.InputError, match="outside the allowed range"):
        triphase.Cell.preset("li-o2").with_params({"Cathode porosity [-]": 1.5})
    with pytest.raises(triphase.InputError, match="step 1"):
        triphase.Experiment(["Discharge at fast"])
    with pytest.raises(triphase.InputError, match="unknown cell"):
        triphase.Cell.preset("nope")
    assert issubclass(triphase.InputError, ValueError)
    # a rest, then a current that no electrolyte of 1e-12 S/m can carry: the solver fails in
    # the second step and the rest is kept (without the carbon's double layer: with it a
    # consistent state exists at -1e9 V and the step ends at once on its voltage cut-off)
    bad = (triphase.Cell.preset("li-o2-ideal-anode")
           .with_params({"Electrolyte conductivity [S.m-1]": 1e-12})
           .with_options({"double_layer": False}))
    with pytest.raises(triphase.SolverError) as err:
        triphase.simulate(bad, triphase.Experiment(["Rest for 10 minutes", "Discharge at 1 mA cm-2 for 10 minutes"]))
    partial = err.value.partial
    assert isinstance(partial, triphase.Solution) and len(partial["Test Time / s"]) > 1


def test_objects_pickle_round_trip():
    cell = triphase.Cell.preset("li-air").with_params({"Relative humidity [-]": 0.1}).with_options({"dendrites": False})
    c2 = pickle.loads(pickle.dumps(cell))
    assert c2.params() == cell.params() and c2.options() == cell.options() and c2.name == cell.name
    exp = triphase.Experiment(STEPS, cycles=2)
    e2 = pickle.loads(pickle.dumps(exp))
    assert e2.steps == exp.steps and e2.cycles == 2
    sol = triphase.simulate(triphase.Cell.preset("li-o2"), triphase.Experiment(["Discharge at 0.5 mA cm-2 for 1 hour"]))
    s2 = pickle.loads(pickle.dumps(sol))
    assert np.array_equal(s2["Voltage / V"], sol["Voltage / V"]) and s2.summary == sol.summary


def test_a_cell_shows_its_overridden_parameters():
    """A notebook shows which values were changed: the repr lists the overrides (and they
    survive pickling), a preset as it is shows none."""
    assert repr(triphase.Cell.preset("li-air")) == 'Cell("li-air")'
    cell = triphase.Cell.preset("li-air").with_params({"Relative humidity [-]": 0.7, "Cathode thickness [m]": 1e-4})
    text = repr(cell)
    assert text.startswith('Cell("li-air", overrides={') and text.endswith("})")
    assert '"Relative humidity [-]": 0.7' in text and '"Cathode thickness [m]": 0.0001' in text
    assert repr(pickle.loads(pickle.dumps(cell))) == text


def test_a_pickled_cell_is_the_same_cell():
    """The whole cell travels: a symmetric cell stays symmetric, a Na cell stays Na, and every
    output of a simulation is identical before and after."""
    exp = triphase.Experiment(["Discharge at 1 mA cm-2 for 30 minutes", "Charge at 1 mA cm-2 for 30 minutes"], cycles=2)
    for cell in [triphase.Cell.preset("li-li-o2"), triphase.Cell.preset("na-o2").with_options({"gases": ["H2O"]})]:
        c2 = pickle.loads(pickle.dumps(cell))
        a, b = triphase.simulate(cell, exp), triphase.simulate(c2, exp)
        assert a.variables == b.variables
        for name in a.variables:
            assert np.array_equal(a[name], b[name]), name
        for s in (a.summary, b.summary):
            s["solver"].pop("wall_time_s")
        assert a.summary == b.summary
    assert "Na2O2" in b.summary["anode"]["sei_composition_mol_m2"]
    sym = pickle.loads(pickle.dumps(triphase.Cell.preset("li-li-o2")))
    assert triphase.simulate(sym, exp).summary["anode"]["counter_corrosion_mol_m2"] is not None


def test_the_mesh_is_set_from_python_as_from_the_cli():
    """with_mesh gives the CLI's --mesh results, travels in a pickle, and refuses bad sizes."""
    cell = triphase.Cell.preset("li-o2-ideal-anode")
    assert cell.mesh == {"separator": 10, "cathode": 40, "cathode_grading": 20}
    uniform = cell.with_mesh(cathode=30, cathode_grading=1)
    assert uniform.mesh == {"separator": 10, "cathode": 30, "cathode_grading": 1}
    step = "Discharge at 1 mA cm-2 until 2.0 V"
    sol = triphase.simulate(uniform, triphase.Experiment([step]))
    out = json.loads(subprocess.run(
        [cli(), "run", "li-o2-ideal-anode", "--mesh", "cathode=30,cathode_grading=1", "-e", step, "--json"],
        check=True, capture_output=True, text=True).stdout)
    assert sol.summary["discharge_capacity_mAh_cm2"] == out["discharge_capacity_mAh_cm2"]
    assert pickle.loads(pickle.dumps(uniform)).mesh == uniform.mesh
    for bad in [dict(cathode=1), dict(cathode_grading=0.5), dict(separator=5000)]:
        with pytest.raises(triphase.InputError, match="mesh"):
            cell.with_mesh(**bad)


def test_a_crafted_pickle_state_is_refused():
    cell = triphase.Cell.preset("li-o2")
    for state in ["", "{}", '{"name": 1}', cell.__getstate__().replace('"Cathode porosity [-]":0.73', '"Cathode porosity [-]":7.3')]:
        c = triphase.Cell.preset("li-o2")
        with pytest.raises(triphase.InputError):
            c.__setstate__(state)


def test_ctrl_c_raises_keyboard_interrupt_with_the_partial_solution():
    """A SIGINT while solving stops the solver after its current step."""
    import signal
    import threading

    # long enough to be interrupted (minutes), short enough that a lost signal fails the test
    # instead of hanging it
    exp = triphase.Experiment(["Discharge at 0.2 mA cm-2 until 0.5 mAh cm-2 or until 2.0 V",
                               "Charge at 0.2 mA cm-2 until 0.5 mAh cm-2 or until 4.5 V"], cycles=3000)
    done = threading.Event()

    def interrupt():
        # SIGINT once a second until the solve returns (a signal that lands while the
        # interpreter is busy elsewhere is sent again)
        while not done.wait(1.0):
            os.kill(os.getpid(), signal.SIGINT)

    # Python's own SIGINT handler, whatever the process inherited (a shell's background job
    # starts with SIGINT ignored, and Python then leaves it ignored)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    sender = threading.Thread(target=interrupt, daemon=True)
    sender.start()
    try:
        with pytest.raises(KeyboardInterrupt) as err:
            try:
                triphase.simulate(triphase.Cell.preset("li-o2-ideal-anode"), exp)
            finally:
                done.set()
        sender.join()
    finally:
        signal.signal(signal.SIGINT, previous)
    partial = err.value.partial
    assert isinstance(partial, triphase.Solution)
    assert partial.summary["stop_reason"] == "interrupted"
    assert len(partial.summary["cycles"]) >= 1


def _capacity(p_o2):
    cell = triphase.Cell.preset("li-o2").with_params({"O2 partial pressure [Pa]": p_o2})
    return triphase.simulate(cell, triphase.Experiment(["Discharge at 0.5 mA cm-2 until 2.0 V"])).summary["discharge_capacity_mAh_cm2"]


def test_parallel_runs_give_the_serial_results():
    pressures = [30000.0, 60000.0, 101325.0]
    serial = [_capacity(p) for p in pressures]
    with ThreadPoolExecutor(max_workers=3) as ex:
        threaded = list(ex.map(_capacity, pressures))
    with ProcessPoolExecutor(max_workers=2) as ex:
        processes = list(ex.map(_capacity, pressures))
    assert serial == threaded == processes
    assert serial[0] < serial[1] < serial[2]


def test_cycling_metrics_and_library():
    exp = triphase.Experiment(
        ["Discharge at 0.2 mA cm-2 until 0.5 mAh cm-2 or until 2.0 V", "Charge at 0.2 mA cm-2 until 0.5 mAh cm-2 or until 4.5 V"],
        cycles=3,
    )
    sol = triphase.simulate(triphase.Cell.preset("li-o2-ideal-anode"), exp)
    cycles = sol.summary["cycles"]
    assert len(cycles) == 3 and abs(cycles[0]["coulombic_efficiency"] - 1.0) < 1e-6
    assert sol.summary["end_of_life"] == {"cycle": None, "failure_mode": None}
    lib = triphase.materials()
    assert "li-air" in lib["presets"] and "O2 diffusivity [m2.s-1]" in lib["parameters"]
    assert "na-o2" in lib["presets"]
    lii = next(c for c in lib["components"] if c["name"] == "lii-layer")
    assert lii["kind"] == "protection" and lii["references"] and lii["effects"]


def test_cells_compose_components_and_na_o2_takes_one_electron(tmp_path):
    f = tmp_path / "na.toml"
    f.write_text("""
[cell]
preset = "li-o2"
[anode]
component = "na-foil"
[electrolyte]
component = "naotf-degdme"
[options]  # the cathode reaction alone: no O2 lost at the metal, no side reaction
corrosion = false
sei_growth = "none"
sei_cracking = false
dead_metal = false
dendrites = false
electrolyte_loss = false
parasitic = false
""")
    cell = triphase.Cell.from_toml(str(f))
    sol = triphase.simulate(cell, triphase.Experiment(["Discharge at 0.1 mA cm-2 until 2.0 V"]))
    assert abs(sol.summary["electrons_per_O2"] - 1.0) < 0.01
    f.write_text("[anode]\ncomponent = \"k-foil\"\n")
    with pytest.raises(triphase.InputError, match="kpf6-dme"):
        triphase.Cell.from_toml(str(f))


def test_energy_matches_the_cli():
    e = triphase.energy(triphase.Cell.preset("li-o2"), triphase.Experiment(["Discharge at 0.5 mA cm-2 until 2.0 V"]))
    out = json.loads(subprocess.run([cli(), "energy", "--json", "-e", "Discharge at 0.5 mA cm-2 until 2.0 V"],
                                    check=True, capture_output=True, text=True).stdout)
    assert e["practical"]["specific_energy_charged_Wh_kg"] == out["practical"]["specific_energy_charged_Wh_kg"]
    assert abs(e["theoretical"][0]["E0_V"] - 2.959) < 1e-3
    assert e["practical"]["pack"]["specific_energy_Wh_kg"] < e["practical"]["specific_energy_charged_Wh_kg"]


def test_symmetric_cell_and_profiles():
    cell = triphase.Cell.preset("li-li-o2")
    sol = triphase.simulate(cell, triphase.Experiment(["Discharge at 1 mA cm-2 for 1 hour", "Charge at 1 mA cm-2 for 1 hour"], cycles=2))
    v = sol["Voltage / V"]
    # the working electrode strips first: counter minus working is negative, then positive
    assert v[len(v) // 4] < 0 < v[-1]
    assert all(c["max_polarisation_V"] > 0 for c in sol.summary["cycles"])
    assert sol.summary["electrons_per_O2"] is None
    profiles = sol.profiles
    assert len(profiles) == 5 and profiles[0]["time_s"] == 0.0
    x = profiles[-1]["x_m"]
    assert x.shape == profiles[-1]["salt_mol_m3"].shape == profiles[-1]["gas_mol_m3"]["O2"].shape
    # no cathode: the profiles span the separator only
    assert x[-1] < cell.params()["Separator thickness [m]"]
    assert pickle.loads(pickle.dumps(sol)).profiles[-1]["x_m"].tolist() == x.tolist()


def test_profiles_at_chosen_times():
    sol = triphase.simulate(
        triphase.Cell.preset("li-o2"),
        triphase.Experiment(["Discharge at 0.2 mA cm-2 for 3 hours"]),
        profile_times_h=[0.0, 1.0, 2.5],
    )
    # the solver's states at exactly the times asked
    assert [p["time_s"] for p in sol.profiles] == [0.0, 3600.0, 9000.0]
    with pytest.raises(triphase.InputError):
        triphase.simulate(triphase.Cell.preset("li-o2"), profile_times_h=[-1.0])


def test_recording_period_and_cycles():
    exp = triphase.Experiment(["Discharge at 0.2 mA cm-2 for 3 hours"])
    sol = triphase.simulate(triphase.Cell.preset("li-o2"), exp, period_s=600.0)
    t = sol["Test Time / s"]
    assert t.tolist() == [600.0 * k for k in range(19)]
    full = triphase.simulate(triphase.Cell.preset("li-o2"), exp)
    # the energy is an exact ledger: the mean voltage does not depend on the recording
    mean = lambda s: s.summary["cycles"][0]["mean_discharge_voltage_V"]
    assert abs(mean(sol) - mean(full)) < 1e-12
    with pytest.raises(triphase.InputError, match="record_cycles"):
        triphase.simulate(triphase.Cell.preset("li-o2"), exp, record_cycles="some")
    with pytest.raises(triphase.InputError, match="period_s"):
        triphase.simulate(triphase.Cell.preset("li-o2"), exp, period_s=-1.0)


def test_cycle_skipping_extrapolates_whole_cycles_and_keeps_the_totals():
    # the cathode-only cell settles into a two-cycle orbit that the extrapolation jumps
    exp = triphase.Experiment(["Discharge at 0.2 mA cm-2 until 0.5 mAh cm-2 or until 2.0 V",
                               "Charge at 0.2 mA cm-2 until 0.5 mAh cm-2 or until 4.5 V"], cycles=20)
    cell = triphase.Cell.preset("li-o2-ideal-anode")
    skipped = triphase.simulate(cell, exp, skip_cycles=10.0)
    full = triphase.simulate(cell, exp)
    jumps = skipped.summary["skipped_cycles"]
    assert jumps and full.summary["skipped_cycles"] == []
    gone = {c for j in jumps for c in range(j["first_cycle"], j["last_cycle"] + 1)}
    # skipped cycles have no rows; every cycle is either simulated or skipped, once
    simulated = set(skipped.cycles["Cycle"])
    assert not gone & simulated and gone | simulated == set(range(1, 21))
    # every cycle is capacity-limited: the totals count the skipped ones, 20 x 0.5 mAh cm-2
    for key in ("discharge_capacity_mAh_cm2", "charge_capacity_mAh_cm2"):
        assert skipped.summary[key] == pytest.approx(10.0, rel=1e-9)
    last = lambda s, k: s.summary["cycles"][-1][k]
    for k in ("mean_discharge_voltage_V", "mean_charge_voltage_V"):
        assert abs(last(skipped, k) - last(full, k)) < 1e-3
    with pytest.raises(triphase.InputError, match="skip_cycles"):
        triphase.simulate(cell, exp, skip_cycles=0.0)


def test_validate_matches_the_cli():
    df = triphase.validate()
    out = json.loads(subprocess.run([cli(), "validate", "--json"], check=True, capture_output=True, text=True).stdout)
    assert sorted(df["case"].unique()) == sorted(o["case"]["name"] for o in out)
    # every case's outcome is its expected one, and the same values as the CLI
    assert df["as_expected"].all()
    cli_sim = {(o["case"]["name"], p["label"]): p["simulated"] for o in out for p in o["points"]}
    for row in df.itertuples():
        expected = cli_sim[(row.case, row.point)]
        assert (expected is None and np.isnan(row.simulated)) or row.simulated == expected
    one = triphase.validate(["ether-discharge-electrons-per-o2"])
    assert list(one["case"]) == ["ether-discharge-electrons-per-o2"]
    assert abs(one["simulated"][0] - 2.0) < 0.1
    # a curve case: the measured curve in words, its RMS deviation simulated, the curves in details
    curve = triphase.validate(["pybamm-half-cell-curve"])
    assert list(curve["measured"]) == ["curve of 25 points"] * 3
    assert (curve["simulated"] < 1e-3).all()
    raw = triphase.validate(["pybamm-half-cell-curve"], details=True)
    sim = raw[0]["points"][0]["curve"]
    assert len(sim["capacity"]) == len(sim["voltage"]) > 10
    with pytest.raises(triphase.InputError, match="no case"):
        triphase.validate(["no-such-case"])


def test_cycles_table_matches_the_cli_csv(tmp_path):
    steps = ["Discharge at 0.5 mA cm-2 for 1 hour", "Charge at 0.5 mA cm-2 for 1 hour"]
    sol = triphase.simulate(triphase.Cell.preset("li-o2-ideal-anode"), triphase.Experiment(steps, cycles=3))
    df = sol.cycles
    args = [cli(), "run", "li-o2-ideal-anode", "--cycles", "3", "--out", str(tmp_path)]
    for s in steps:
        args += ["-e", s]
    subprocess.run(args, check=True, capture_output=True)
    header = (tmp_path / "cycles.csv").read_text().splitlines()[0].split(",")
    assert list(df.columns) == header
    assert list(df["Cycle"]) == [1, 2, 3]
    # the Li-O2 convention: charge returned per charge taken
    assert abs(df["Coulombic efficiency [-]"][0] - 1.0) < 1e-6


EXAMPLE_FIT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples", "fit-li-o2.toml")


def test_fit_matches_the_cli_and_covers_the_values_the_data_came_from():
    result = triphase.fit(EXAMPLE_FIT)
    out = json.loads(subprocess.run([cli(), "fit", EXAMPLE_FIT, "--json", "-q"], check=True,
                                    capture_output=True, text=True).stdout)
    df = result.parameters
    assert list(df["name"]) == [p["name"] for p in out["parameters"]]
    assert np.allclose(df["value"], [p["value"] for p in out["parameters"]], rtol=1e-12)
    for row, truth in zip(df.itertuples(), [5e-6, 4e-10, 0.25]):
        assert row.lower_95 <= truth <= row.upper_95
    assert result.correlation.shape == (3, 3)
    assert not [w for w in result.warnings if "not identifiable" in w]
    # the fitted values run as a cell
    cell = triphase.Cell.preset("li-o2-ideal-anode").with_params(result.values())
    sol = triphase.simulate(cell, triphase.Experiment(["Discharge at 0.5 mA cm-2 until 2.0 V"]))
    assert abs(sol.summary["discharge_capacity_mAh_cm2"] - 2.18) < 0.05
    with pytest.raises(triphase.InputError, match="Cathode thickness"):
        triphase.fit("[fit]\ncell = \"li-o2\"\n[[parameter]]\nname = \"Cathode thickness [m]\"\n"
                     "lower = 1e-5\nupper = 1\n")


def test_pints_model_simulates_what_triphase_does():
    exp = triphase.Experiment(["Discharge at 1 mA cm-2 until 2.0 V"])
    cell = triphase.Cell.preset("li-o2-ideal-anode")
    names = ["Cathode exchange current density [A.m-2]", "O2 diffusivity [m2.s-1]"]
    model = triphase.PintsModel(cell, names, exp, log=True)
    assert model.n_parameters() == 2 and model.n_outputs() == 1
    times = np.linspace(0.0, 2000.0, 9)
    v = model.simulate([np.log10(5e-6), np.log10(4e-10)], times)
    sol = triphase.simulate(cell.with_params({names[0]: 5e-6, names[1]: 4e-10}), exp, rtol=1e-6)
    expected = np.interp(times, sol["Test Time / s"], sol["Voltage / V"])
    assert np.allclose(v, expected, atol=1e-9)
    # past the end of the run, its last voltage
    late = model.simulate([np.log10(5e-6), np.log10(4e-10)], [1e7])
    assert abs(late[0] - sol["Voltage / V"][-1]) < 1e-12


def test_pints_optimises_a_triphase_model():
    """pints' own optimiser drives the triphase model through PintsModel: the cathode's
    exchange current comes back from a synthetic discharge (the model's own, exact)."""
    pints = pytest.importorskip("pints")
    exp = triphase.Experiment(["Discharge at 1 mA cm-2 until 2.0 V"])
    cell = triphase.Cell.preset("li-o2-ideal-anode")
    name = "Cathode exchange current density [A.m-2]"
    true = cell.params()[name]
    model = triphase.PintsModel(cell, [name], exp, log=True)
    times = np.linspace(0.0, 1500.0, 31)
    data = model.simulate([np.log10(true)], times)
    problem = pints.SingleOutputProblem(model, times, data)
    error = pints.SumOfSquaresError(problem)
    opt = pints.OptimisationController(error, [np.log10(true) + 0.5], method=pints.NelderMead)
    opt.set_max_iterations(80)
    opt.set_log_to_screen(False)
    x, f = opt.run()
    assert abs(10 ** x[0] / true - 1) < 1e-3, (10 ** x[0], true)
