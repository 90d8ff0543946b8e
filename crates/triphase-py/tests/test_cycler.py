"""Cycler files: BioLogic (galvani), Arbin, Maccor and Neware tables to Battery Data Format, the
protocol read from the current, and a fit of a cycler record without a written protocol."""

import json
import os
import subprocess

import numpy as np
import pandas as pd
import pytest

import triphase
from conftest import cli
from triphase import cycler

CELL = "li-o2-ideal-anode"
PROGRAMME = ["Discharge at 0.2 mA cm-2 for 2 hours (60 second period)",
             "Rest for 30 minutes (60 second period)",
             "Charge at 0.2 mA cm-2 for 1 hour (60 second period)"]


@pytest.fixture(scope="module")
def record():
    """A discharge, rest and charge of the cathode-only cell, every 60 s (time, V, I [A])."""
    sol = triphase.simulate(triphase.Cell.preset(CELL), triphase.Experiment(PROGRAMME), rtol=1e-6)
    t = np.asarray(sol["Test Time / s"])
    v = np.asarray(sol["Voltage / V"])
    i = np.asarray(sol["Current / A"])
    # one sample per minute: the period's points (a step's last point shares its time with the
    # next step's first: keep the latter, so that each step starts on its own sample)
    keep = np.concatenate([np.diff(t) > 0, [True]])
    # a cycler records a rest as zero current (the solver's is zero to ~1e-24 A)
    i = np.where(np.abs(i) < 1e-12, 0.0, i)
    return t[keep], v[keep], i[keep]


def write_mpt(path, t, v, i_amps):
    """An EC-Lab ASCII export, as EC-Lab writes it: magic line, header count, comments, the
    tab-separated column names and rows (CRLF line ends)."""
    lines = ["EC-Lab ASCII FILE", "Nb header lines : 5", "Galvanostatic Cycling with Potential Limitation",
             "written by the triphase test suite", "time/s\tEwe/V\tI/mA\tcycle number\tNs"]
    for k, (tk, vk, ik) in enumerate(zip(t, v, i_amps)):
        ns = 0 if tk < 7200 else (1 if tk < 9000 else 2)
        lines.append(f"{float(tk)!r}\t{float(vk)!r}\t{float(ik) * 1e3!r}\t1\t{ns}")
    with open(path, "w", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")


def test_a_biologic_export_reads_as_battery_data_format(tmp_path, record):
    pytest.importorskip("galvani")
    t, v, i = record
    write_mpt(tmp_path / "cell.mpt", t, v, i)
    table = triphase.read_cycler(tmp_path / "cell.mpt")
    assert list(table.columns) == [cycler.TIME, cycler.VOLTAGE, cycler.CURRENT, cycler.CYCLE,
                                   cycler.STEP]
    assert np.array_equal(table[cycler.TIME], t)
    assert np.array_equal(table[cycler.VOLTAGE], v)
    assert np.allclose(table[cycler.CURRENT], i, rtol=1e-15, atol=0)
    assert table[cycler.STEP].tolist()[-1] == 2
    # the protocol read from the current: the programme's three steps
    area = triphase.Cell.preset(CELL).params()["Electrode area [m2]"]
    ma = 2.0 * area * 1e3
    assert cycler.protocol(table) == [f"Discharge at {float(f'{ma:.5e}')} mA for 7200 seconds",
                                      "Rest for 1800 seconds",
                                      f"Charge at {float(f'{ma:.5e}')} mA for 3600 seconds"]


def test_arbin_maccor_and_neware_tables_give_the_same_record(tmp_path, record):
    t, v, i = record
    arbin = pd.DataFrame({"Data_Point": np.arange(len(t)) + 1, "Test_Time(s)": t,
                          "Current(A)": i, "Voltage(V)": v, "Cycle_Index": 1,
                          "Step_Index": np.where(t < 7200, 1, np.where(t < 9000, 2, 3))})
    arbin.to_csv(tmp_path / "arbin.csv", index=False, float_format="%.17g")
    a = triphase.read_cycler(tmp_path / "arbin.csv")
    # Maccor: unsigned current in A with the direction in State, time in seconds, an S row at a
    # step's end
    state = np.where(i < 0, "D", np.where(i > 0, "C", "R")).astype(object)
    state[np.flatnonzero(np.diff(np.sign(i)) != 0)] = "S"
    maccor = pd.DataFrame({"Rec#": np.arange(len(t)) + 1, "Cyc#": 1, "Step": 1,
                           "Test (Sec)": t, "Amps": np.abs(i), "Volts": v, "State": state})
    with open(tmp_path / "maccor.txt", "w") as f:
        f.write("Today's Date 12/02/2026\n")
        maccor.to_csv(f, sep="\t", index=False, float_format="%.17g")
    m = triphase.read_cycler(tmp_path / "maccor.txt")
    for table in (a, m):
        assert np.array_equal(table[cycler.TIME], t)
        assert np.array_equal(table[cycler.VOLTAGE], v)
        assert np.array_equal(table[cycler.CURRENT], i), np.flatnonzero(table[cycler.CURRENT].to_numpy() != i)[:5]
    # Neware (NewareNDA's table): step time restarting at every step, current in mA
    step_start = np.where(t < 7200, 0.0, np.where(t < 9000, 7200.0, 9000.0))
    neware = pd.DataFrame({"Index": np.arange(len(t)) + 1, "Cycle": 1, "Step": 1,
                           "Time": t - step_start, "Voltage": v, "Current(mA)": i * 1e3})
    n = cycler.from_neware(neware)
    # a step's first sample restarts at 0: its time since the previous sample is not recorded,
    # so the steps join without their gap (60 s here)
    gap = np.where(t >= 9000, 120.0, np.where(t >= 7200, 60.0, 0.0))
    assert np.allclose(n[cycler.TIME], t - gap, rtol=0, atol=1e-9)
    assert np.allclose(n[cycler.CURRENT], i, rtol=1e-15, atol=0)


def test_bad_cycler_files_name_the_file_column_and_row(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("Test Time / s,Voltage / V\n0,2.7\n")
    with pytest.raises(cycler.CyclerFileError, match=r"bad.csv: no Current / A column"):
        triphase.read_cycler(p)
    p.write_text("Test Time / s,Voltage / V,Current / A\n0,2.7,-1e-4\n10,oops,-1e-4\n")
    with pytest.raises(cycler.CyclerFileError, match=r"bad.csv: row 3, column 'Voltage / V'"):
        triphase.read_cycler(p)
    p.write_text("Test Time / s,Voltage / V,Current / A\n0,2.7,-1e-4\n10,2.6,-1e-4\n5,2.6,0\n")
    with pytest.raises(cycler.CyclerFileError, match=r"row 4: the time 5.0 s comes before 10.0 s"):
        triphase.read_cycler(p)
    q = tmp_path / "maccor.txt"
    q.write_text("Today's Date\nTest (Sec)\tAmps\tVolts\tState\n0\t1e-4\t2.7\tD\n1\t1e-4\t2.7\tX\n")
    with pytest.raises(cycler.CyclerFileError, match=r"row 3, column 'State': 'X'"):
        triphase.read_cycler(q)
    with pytest.raises(cycler.CyclerFileError, match=r"unknown cycler file type '.xyz'"):
        triphase.read_cycler(tmp_path / "cell.xyz")


def test_a_cycler_record_is_fitted_without_a_written_protocol(tmp_path, record):
    """The record of the default cell, read from its BioLogic export and written as BDF, is
    fitted with no steps given: the protocol comes from the current, and the cathode's
    exchange current comes back from a start 3x off (the record is the model's own)."""
    pytest.importorskip("galvani")
    t, v, i = record
    write_mpt(tmp_path / "cell.mpt", t, v, i)
    triphase.write_bdf(triphase.read_cycler(tmp_path / "cell.mpt"), tmp_path / "cell.csv")
    i0 = triphase.Cell.preset(CELL).params()["Cathode exchange current density [A.m-2]"]
    spec = f"""
[fit]
cell = "{CELL}"

[[parameter]]
name = "Cathode exchange current density [A.m-2]"
lower = {i0 / 100}
upper = {i0 * 100}
scale = "log"
initial = {i0 * 3}

[[data]]
name = "record"
file = "cell.csv"
sigma = 0.002
"""
    result = triphase.fit(spec, dir=str(tmp_path))
    fitted = result.values()["Cathode exchange current density [A.m-2]"]
    assert abs(fitted / i0 - 1) < 1e-3, fitted
    # the CLI runs the same record as a protocol
    out = subprocess.run([cli(), "run", CELL, "--protocol", str(tmp_path / "cell.csv"), "--json"],
                         check=True, capture_output=True, text=True).stdout
    steps = [s["step"] for s in json.loads(out)["steps"]]
    assert steps == cycler.protocol(triphase.read_cycler(tmp_path / "cell.csv"))


def test_the_notebook_example_finds_the_values_its_record_was_made_with():
    pytest.importorskip("galvani")
    pytest.importorskip("pints")
    pytest.importorskip("matplotlib")
    root = os.path.join(os.path.dirname(__file__), "..", "..", "..")
    out = subprocess.run([os.sys.executable, os.path.join(root, "examples", "fit_cycler_record.py")],
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if ": true " in line:
            true, fitted = (float(x) for x in line.split("true ")[1].split(", fitted "))
            # 2 mV of noise on 211 points: the fitted values within 2 % of the truth
            assert abs(fitted / true - 1) < 0.02, line
    assert out.count(": true ") == 2 and "pints (Nelder-Mead)" in out
