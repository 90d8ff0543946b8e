"""Cycler files as Battery Data Format tables, and their protocol.

``read_cycler(path)`` returns a pandas DataFrame with the Battery Data Format columns triphase
reads (``Test Time / s``, ``Voltage / V``, ``Current / A`` with charge positive, and ``Cycle
Count / 1`` and ``Step Count / 1`` where the file has them), from:

- a Battery Data Format CSV (``.csv`` with those columns);
- a BioLogic EC-Lab file: binary ``.mpr`` or its ASCII export ``.mpt``, read by galvani
  (``pip install galvani``); the working electrode's current sign (positive: oxidation) is
  the BDF sign when the air electrode is the working electrode;
- a Neware ``.nda``/``.ndax`` file, read by NewareNDA (``pip install NewareNDA``);
- an Arbin CSV export (``Test_Time(s)``, ``Current(A)``, ``Voltage(V)``, ``Cycle_Index``,
  ``Step_Index``);
- a Maccor text export (first line ``Today's Date ...``, tab-separated, ``Test (Sec)`` or
  ``Test (Min)``, ``Amps`` or ``Amps(mA)`` unsigned with the direction in ``State``
  C/D/R/S, ``Volts``, ``Cyc#``, ``Step``).

``write_bdf(table, path)`` writes the CSV that ``triphase fit`` (a ``[[data]]`` entry, with or
without ``steps``) and ``triphase run --protocol record.csv`` read; ``protocol(table)`` gives the
steps read from its current, as the Rust core reads them.

Errors name the file and the column (or row) at fault.
"""

from __future__ import annotations

import os
from typing import List, Optional

import numpy as np

TIME = "Test Time / s"
VOLTAGE = "Voltage / V"
CURRENT = "Current / A"
CYCLE = "Cycle Count / 1"
STEP = "Step Count / 1"

__all__ = ["read_cycler", "write_bdf", "protocol", "from_biologic", "from_neware",
           "from_arbin", "from_maccor", "TIME", "VOLTAGE", "CURRENT", "CYCLE", "STEP"]


class CyclerFileError(ValueError):
    """A cycler file that cannot be read: the message names the file and the column or row."""


def _pd():
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - pandas is a dependency of the readers
        raise ImportError("the cycler readers need pandas: pip install pandas") from e
    return pd


def _column(df, names, origin: str, what: str):
    """The first of ``names`` that ``df`` has, else an error naming the file and what is
    missing."""
    for n in names:
        if n in df.columns:
            return n
    raise CyclerFileError(
        f"{origin}: no {what} column (looked for {', '.join(repr(n) for n in names)}; "
        f"the columns are: {', '.join(map(str, df.columns))})")


def _numbers(series, origin: str, column: str) -> np.ndarray:
    """A column as floats; a cell that is not a number is an error naming its row (counted as
    a spreadsheet shows them, the header being row 1)."""
    pd = _pd()
    values = pd.to_numeric(series, errors="coerce")
    bad = np.flatnonzero(values.isna().to_numpy())
    if bad.size:
        row = int(bad[0]) + 2
        text = series.iloc[bad[0]]
        raise CyclerFileError(f"{origin}: row {row}, column {column!r}: {text!r} is not a number")
    return values.to_numpy(dtype=float)


def _table(origin: str, time, voltage, current, cycle=None, step=None):
    pd = _pd()
    t = np.asarray(time, dtype=float)
    back = np.flatnonzero(np.diff(t) < 0)
    if back.size:
        k = int(back[0]) + 1
        raise CyclerFileError(
            f"{origin}: row {k + 2}: the time {t[k]} s comes before {t[k - 1]} s")
    out = {TIME: t, VOLTAGE: np.asarray(voltage, dtype=float),
           CURRENT: np.asarray(current, dtype=float)}
    if cycle is not None:
        out[CYCLE] = np.asarray(cycle).astype(int)
    if step is not None:
        out[STEP] = np.asarray(step).astype(int)
    return pd.DataFrame(out)


def _total_time(step_time: np.ndarray) -> np.ndarray:
    """Test time from a time column that may restart at every step (Neware's step time): a
    fall back marks a new step, whose time counts from the previous sample."""
    t = np.asarray(step_time, dtype=float)
    dt = np.diff(t)
    dt = np.where(dt >= 0, dt, t[1:])
    return np.concatenate([[0.0], np.cumsum(dt)]) + t[0]


def from_biologic(data, origin: str = "BioLogic data"):
    """A galvani table (``MPRfile(...).data`` or ``MPTfile(...)[0]``, or a DataFrame with its
    column names: ``time/s``, ``Ewe/V`` or ``Ecell/V``, ``I/mA`` or ``control/V/mA``, ``cycle
    number``, ``Ns``) as a BDF table."""
    pd = _pd()
    df = data if isinstance(data, pd.DataFrame) else pd.DataFrame(np.asarray(data))
    t = _column(df, ["time/s"], origin, "time")
    v = _column(df, ["Ewe/V", "Ecell/V", "<Ewe>/V"], origin, "voltage")
    i = _column(df, ["I/mA", "<I>/mA", "control/V/mA", "control/mA"], origin, "current")
    cycle = df["cycle number"] if "cycle number" in df.columns else None
    step = df["Ns"] if "Ns" in df.columns else None
    return _table(origin, _numbers(df[t], origin, t), _numbers(df[v], origin, v),
                  _numbers(df[i], origin, i) * 1e-3, cycle, step)


def from_neware(df, origin: str = "Neware data"):
    """A NewareNDA table (``NewareNDA.read(path)``: ``Time`` the step time [s], ``Voltage``
    [V], ``Current(mA)``, ``Cycle``, ``Step``) as a BDF table; the test time is accumulated
    over the steps."""
    t = _column(df, ["Time"], origin, "time")
    v = _column(df, ["Voltage"], origin, "voltage")
    i = _column(df, ["Current(mA)"], origin, "current")
    cycle = df["Cycle"] if "Cycle" in df.columns else None
    step = df["Step"] if "Step" in df.columns else None
    return _table(origin, _total_time(_numbers(df[t], origin, t)),
                  _numbers(df[v], origin, v), _numbers(df[i], origin, i) * 1e-3, cycle, step)


def from_arbin(df, origin: str = "Arbin data"):
    """An Arbin export (``Test_Time(s)``, ``Voltage(V)``, ``Current(A)`` signed, charge
    positive; ``Cycle_Index``, ``Step_Index``) as a BDF table."""
    t = _column(df, ["Test_Time(s)", "Test Time (s)"], origin, "time")
    v = _column(df, ["Voltage(V)", "Voltage (V)"], origin, "voltage")
    i = _column(df, ["Current(A)", "Current (A)"], origin, "current")
    cycle = df["Cycle_Index"] if "Cycle_Index" in df.columns else None
    step = df["Step_Index"] if "Step_Index" in df.columns else None
    return _table(origin, _numbers(df[t], origin, t), _numbers(df[v], origin, v),
                  _numbers(df[i], origin, i), cycle, step)


def from_maccor(df, origin: str = "Maccor data"):
    """A Maccor text export (``Test (Sec)`` or ``Test (Min)``, ``Volts``, ``Amps`` or
    ``Amps(mA)`` unsigned, ``State`` C/D/R/S with S the end of a step, ``Cyc#``, ``Step``) as
    a BDF table: the current is signed by the state (D negative, R zero)."""
    tcol = _column(df, ["Test (Sec)", "Test (Min)"], origin, "time")
    scale_t = 60.0 if tcol == "Test (Min)" else 1.0
    v = _column(df, ["Volts"], origin, "voltage")
    icol = _column(df, ["Amps", "Amps(mA)", "Current(mA)"], origin, "current")
    scale_i = 1.0 if icol == "Amps" else 1e-3
    state_col = _column(df, ["State"], origin, "state (C/D/R/S)")
    state = df[state_col].astype(str).str.strip().str.upper()
    # S marks the last point of a step: it carries the state of the row before it
    state = state.where(state != "S").ffill().fillna("R")
    unknown = ~state.isin(["C", "D", "R"])
    if unknown.any():
        k = int(np.flatnonzero(unknown.to_numpy())[0])
        raise CyclerFileError(
            f"{origin}: row {k + 2}, column 'State': {df[state_col].iloc[k]!r} is not C, D, R or S")
    sign = state.map({"C": 1.0, "D": -1.0, "R": 0.0}).to_numpy(dtype=float)
    amps = np.abs(_numbers(df[icol], origin, icol)) * scale_i * sign
    cycle = df["Cyc#"] if "Cyc#" in df.columns else None
    step = df["Step"] if "Step" in df.columns else None
    return _table(origin, _numbers(df[tcol], origin, tcol) * scale_t,
                  _numbers(df[v], origin, v), amps, cycle, step)


def read_cycler(path, format: Optional[str] = None):
    """The cycler file at ``path`` as a BDF DataFrame (see the module's documentation).
    ``format`` ("bdf", "biologic", "neware", "arbin", "maccor") overrides the guess from the
    extension and the header."""
    pd = _pd()
    path = os.fspath(path)
    origin = path
    ext = os.path.splitext(path)[1].lower()
    if format is None:
        if ext in (".mpr", ".mpt"):
            format = "biologic"
        elif ext in (".nda", ".ndax"):
            format = "neware"
        elif ext == ".txt":
            format = "maccor"
        elif ext == ".csv":
            with open(path, encoding="utf-8", errors="replace") as f:
                header = f.readline()
            format = "arbin" if "Test_Time(s)" in header else "bdf"
        else:
            raise CyclerFileError(
                f"{origin}: unknown cycler file type {ext!r} (.csv BDF or Arbin, .mpr/.mpt "
                "BioLogic, .nda/.ndax Neware, .txt Maccor)")
    if format == "biologic":
        try:
            from galvani import BioLogic
        except ImportError as e:
            raise ImportError("BioLogic files need galvani: pip install galvani") from e
        if ext == ".mpt":
            data, _ = BioLogic.MPTfile(path, encoding="latin1")
        else:
            data = BioLogic.MPRfile(path).data
        return from_biologic(data, origin)
    if format == "neware":
        try:
            import NewareNDA
        except ImportError as e:
            raise ImportError("Neware files need NewareNDA: pip install NewareNDA") from e
        return from_neware(NewareNDA.read(path), origin)
    if format == "arbin":
        return from_arbin(pd.read_csv(path), origin)
    if format == "maccor":
        with open(path, encoding="utf-8", errors="replace") as f:
            first = f.readline()
        skip = 1 if first.startswith("Today's Date") else 0
        return from_maccor(pd.read_csv(path, sep="\t", skiprows=skip), origin)
    if format == "bdf":
        df = pd.read_csv(path)
        cols = [_column(df, [c], origin, c) for c in (TIME, VOLTAGE, CURRENT)]
        t, v, i = (_numbers(df[c], origin, c) for c in cols)
        cycle = df[CYCLE] if CYCLE in df.columns else None
        step = df[STEP] if STEP in df.columns else None
        return _table(origin, t, v, i, cycle, step)
    raise ValueError(f"unknown format {format!r} (bdf, biologic, neware, arbin, maccor)")


def write_bdf(table, path) -> None:
    """Writes a BDF table (from :func:`read_cycler`) as the CSV that ``triphase fit`` and
    ``triphase run --protocol`` read (full float precision)."""
    table.to_csv(os.fspath(path), index=False, float_format="%.17g")


def protocol(table, origin: str = "record") -> List[str]:
    """The protocol steps read from a BDF table's current, as the Rust core reads them (see
    ``triphase run --protocol record.csv``): constant-current, hold and rest steps, from the
    first sample."""
    from . import _core
    return list(_core.steps_from_record(
        np.asarray(table[TIME], dtype=float).tolist(),
        np.asarray(table[CURRENT], dtype=float).tolist(),
        np.asarray(table[VOLTAGE], dtype=float).tolist(), origin))
