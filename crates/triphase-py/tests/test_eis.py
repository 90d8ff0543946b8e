"""Impedance spectra from Python: the CLI's numbers, an equivalent circuit fitted with
impedance.py, and the CLI's files in impedance.py's format."""

import json
import os
import subprocess

import numpy as np
import pytest

import triphase
from conftest import cli

F_RT = 96485.33212 / (8.314462618 * 298.15)


def test_spectra_equal_the_clis():
    cell = triphase.Cell.preset("li-air")
    exp = triphase.Experiment(["Rest for 12 hours"])
    py = triphase.eis(cell, exp, at=["start", "6 h", "end"], per_decade=5)
    out = json.loads(subprocess.run(
        [cli(), "eis", "li-air", "-e", "Rest for 12 hours", "--at", "start", "--at", "6 h",
         "--at", "end", "--per-decade", "5", "--json"],
        check=True, capture_output=True, text=True).stdout)
    assert [s["at"] for s in py] == ["start", "6 h", "end"]
    for a, b in zip(py, out):
        assert a["at"] == b["at"]
        for key in ("frequency_hz", "z_real_ohm_m2", "z_imag_ohm_m2"):
            np.testing.assert_array_equal(a[key], np.asarray(b[key]))
    # the corrosion layers grow: the real part at 1 Hz rises with the storage time
    k = int(np.argmin(np.abs(py[0]["frequency_hz"] - 1.0)))
    assert py[0]["z_real_ohm_m2"][k] < py[1]["z_real_ohm_m2"][k] < py[2]["z_real_ohm_m2"][k]


def test_an_equivalent_circuit_fitted_with_impedance_py_finds_the_metal_interface():
    # the cathode-only-anode cell at rest: electrolyte, the metal's charge transfer with its
    # double layer (R_ct = 1/(i0 f), C = 0.1 F m-2), and the blocking carbon
    s = triphase.eis(triphase.Cell.preset("li-o2-ideal-anode"), f_from=1e5, f_to=1.0)[0]
    model = triphase.fit_circuit(s, "R0-p(R1,C1)-C2", [4e-4, 5e-3, 0.1, 500.0])
    r0, r1, c1, c2 = model.parameters_
    assert r1 == pytest.approx(1.0 / (5.0 * F_RT), rel=0.03)
    assert c1 == pytest.approx(0.1, rel=0.01)
    # the carbon's double layer over its surface, 2e7 m-1 x 250 um x 0.1 F m-2, seen partly
    assert 100 < c2 < 600


def test_the_clis_files_read_in_impedance_py(tmp_path):
    from impedance import preprocessing

    subprocess.run([cli(), "eis", "li-o2", "--out", str(tmp_path)], check=True, capture_output=True)
    f, z = preprocessing.readCSV(str(tmp_path / "impedance_1.csv"))
    s = triphase.eis(triphase.Cell.preset("li-o2"))[0]
    area = triphase.Cell.preset("li-o2").params()["Electrode area [m2]"]
    np.testing.assert_allclose(f, s["frequency_hz"], rtol=1e-12)
    np.testing.assert_allclose(z.real, s["z_real_ohm_m2"] / area, rtol=1e-12)
    for name in ("nyquist.png", "bode.svg", "spectra.csv", "eis.json"):
        assert (tmp_path / name).exists(), name


def test_eis_entries_of_an_experiment_measure_every_cycle_and_pickle():
    import pickle

    exp = triphase.Experiment(["EIS from 100 kHz to 1 Hz (4 per decade)",
                               "Discharge at 1 mA cm-2 for 1 hour",
                               "Charge at 1 mA cm-2 for 1 hour"], cycles=5)
    sol = triphase.simulate(triphase.Cell.preset("li-li-o2"), exp)
    spectra = sol.eis()
    assert [s["at"] for s in spectra] == [f"cycle {c} start" for c in range(1, 6)]
    assert spectra[0]["frequency_hz"].shape == (21,)
    # the Li | Li interface in O2 grows in the first cycle, then levels off: stripping sheds
    # the SEI grown on the metal it removes (its arcs at 1 Hz)
    re = [s["z_real_ohm_m2"][-1] for s in spectra]
    assert re[1] > 1.1 * re[0], re
    assert all(abs(r / re[1] - 1) < 0.01 for r in re[2:]), re
    again = pickle.loads(pickle.dumps(sol)).eis()
    np.testing.assert_array_equal(again[4]["z_real_ohm_m2"], spectra[4]["z_real_ohm_m2"])
