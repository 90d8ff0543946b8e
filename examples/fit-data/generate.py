"""Makes the synthetic data of examples/fit-li-o2.toml with triphase itself: the cathode-only
Li-O2 cell with known values (i0 = 5e-6 A m-2, D_O2 = 4e-10 m2 s-1, kappa = 0.25 S m-1),
discharged at 0.1 and 1 mA cm-2 to 2.0 V, sampled about 50 times (the solver's own
interpolation at each sample time) with 2 mV of Gaussian noise; and the "table value", the
capacity at 0.5 mA cm-2. Rerun it when the library's values change:

    python examples/fit-data/generate.py
"""

import os

import numpy as np

import triphase

HERE = os.path.dirname(os.path.abspath(__file__))
TRUE = {"Cathode exchange current density [A.m-2]": 5e-6,
        "O2 diffusivity [m2.s-1]": 4e-10,
        "Electrolyte conductivity [S.m-1]": 0.25}
cell = triphase.Cell.preset("li-o2-ideal-anode").with_params(TRUE)
rng = np.random.default_rng(2026)
for name, step in [("li-o2-0.1-mA.csv", "Discharge at 0.1 mA cm-2 until 2.0 V"),
                   ("li-o2-1-mA.csv", "Discharge at 1 mA cm-2 until 2.0 V")]:
    end = triphase.simulate(cell, triphase.Experiment([step]), rtol=1e-6)["Test Time / s"][-1]
    period = 10.0 * np.floor(end / 50 / 10.0)
    sol = triphase.simulate(cell, triphase.Experiment([f"{step} ({period:g} second period)"]),
                            rtol=1e-6)
    t, v, i = (np.asarray(sol[k]) for k in ("Test Time / s", "Voltage / V", "Current / A"))
    # the periodic samples (the step's start and its end on the cut-off are not samples)
    keep = (t > 0) & (np.abs(t / period - np.round(t / period)) < 1e-9) & (t < end)
    with open(os.path.join(HERE, name), "w") as f:
        f.write("Test Time / s,Voltage / V,Current / A\n")
        for tk, vk, ik in zip(t[keep], v[keep] + 0.002 * rng.standard_normal(keep.sum()), i[keep]):
            f.write(f"{tk:.3f},{vk:.5f},{ik:.6g}\n")
    print(name, keep.sum(), "points every", period, "s")
cap = triphase.simulate(cell, triphase.Experiment(["Discharge at 0.5 mA cm-2 until 2.0 V"]),
                        rtol=1e-6).summary["discharge_capacity_mAh_cm2"]
print(f"capacity at 0.5 mA cm-2: {cap:.4f} mAh cm-2")
