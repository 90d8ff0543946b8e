"""Sweeps from Python: the same dataset as the CLI, through this machine's cores, a process
pool and a Dask cluster on loopback; Sobol indices as SALib computes them."""

import json
import os
import subprocess
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

import triphase
from conftest import cli

SWEEP = """
[sweep]
cell = "li-o2"
design = "latin-hypercube"
samples = 12
seed = 4

[experiment]
steps = ["Discharge at 0.5 mA cm-2 until 2.0 V"]

[[axis]]
parameter = "Cathode thickness [m]"
lower = 50e-6
upper = 400e-6
scale = "log"

[[axis]]
slot = "separator"
components = ["celgard-2400", "glass-fibre"]
"""

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples")


@pytest.fixture(scope="module")
def cli_dataset(tmp_path_factory):
    """The sweep run by the CLI: (sweep file, its results.parquet bytes)."""
    d = tmp_path_factory.mktemp("sweep")
    spec = d / "sweep-test.toml"
    spec.write_text(SWEEP)
    out = d / "cli"
    subprocess.run([cli(), "sweep", str(spec), "--out", str(out), "-q"], check=True)
    return spec, (out / "results.parquet").read_bytes()


def test_the_local_sweep_writes_the_cli_dataset_and_returns_its_rows(cli_dataset, tmp_path):
    spec, reference = cli_dataset
    df = triphase.sweep(str(spec), out=str(tmp_path), threads=1)
    assert (tmp_path / "results.parquet").read_bytes() == reference
    assert list(df["Run"]) == list(range(12))
    assert set(df["separator"]) == {"celgard-2400", "glass-fibre"}
    assert (df["Status"] == "ok").all()
    import pyarrow.parquet as pq  # installed by scripts/test, as are dask and SALib

    table = pq.read_table(tmp_path / "results.parquet")
    read = table.to_pandas()
    assert list(read.columns) == list(df.columns)
    np.testing.assert_array_equal(read["Discharge capacity [mA.h.cm-2]"], df["Discharge capacity [mA.h.cm-2]"])
    # the sweep and the version travel in the file's key-value metadata
    meta = pq.read_metadata(tmp_path / "results.parquet").metadata
    assert meta[b"triphase.sweep"].decode() == SWEEP
    assert b"triphase.version" in meta


def test_a_process_pool_executor_gives_the_same_bytes(cli_dataset, tmp_path):
    spec, reference = cli_dataset
    with ProcessPoolExecutor(max_workers=2) as pool:
        df = triphase.sweep(str(spec), out=str(tmp_path), executor=pool)
    assert len(df) == 12
    assert (tmp_path / "results.parquet").read_bytes() == reference


def test_a_dask_cluster_on_loopback_gives_the_same_bytes(cli_dataset, tmp_path):
    import distributed

    spec, reference = cli_dataset
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            df = triphase.sweep(str(spec), out=str(tmp_path), executor=client.get_executor())
            workers = client.run(os.getpid)
    assert len(workers) == 2
    assert (tmp_path / "results.parquet").read_bytes() == reference
    assert (df["Status"] == "ok").all()


def test_sobol_indices_of_the_report_equal_salibs(tmp_path):
    from SALib.analyze import sobol as salib

    spec = os.path.join(EXAMPLES, "sweep-li-o2-sobol.toml")
    df = triphase.sweep(spec, out=str(tmp_path), threads=2)
    y = df["Discharge capacity [mA.h.cm-2]"].to_numpy(dtype=float)
    names = ["Cathode thickness [m]", "O2 diffusivity [m2.s-1]", "Cathode porosity [-]"]
    problem = {"num_vars": 3, "names": names, "bounds": [[0.0, 1.0]] * 3}
    si = salib.analyze(problem, y, calc_second_order=False, print_to_console=False, seed=1)
    # the CLI's report on the same runs
    report = json.loads(subprocess.run([cli(), "sweep", "report", str(tmp_path), "--json"], check=True,
                                       capture_output=True, text=True).stdout)
    for i, s in enumerate(report["sensitivity"]):
        sobol = s["sensitivity"]["Sobol"]
        assert sobol["first"] == pytest.approx(si["S1"][i], rel=1e-9, abs=1e-12)
        assert sobol["total"] == pytest.approx(si["ST"][i], rel=1e-9, abs=1e-12)
