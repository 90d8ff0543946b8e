# %% [markdown]
# # Calibrating triphase to a cycler record
#
# A notebook-style walk-through (run it as a script, or open it in Jupyter/VS Code, where each
# `# %%` is a cell): a cycler file is read into a Battery Data Format table, its protocol is
# read from the current, the model's uncertain parameters are fitted to it with standard
# errors, and the same problem is handed to pints, as a PyBOP/pints user would.
#
# The "measured" file here is made by triphase itself with known values and 2 mV of noise and
# written as a BioLogic EC-Lab export (`.mpt`), so the example runs anywhere and shows that the
# fit finds the values the data were made with. Replace `record.mpt` by your own `.mpr`, `.mpt`,
# Neware `.nda`/`.ndax`, Arbin `.csv` or Maccor `.txt` file.
#
#     pip install triphase pandas matplotlib galvani pints
#     python examples/fit_cycler_record.py

# %%
import os
import sys
import tempfile

import numpy as np

import triphase
from triphase import cycler

CELL = "li-o2-ideal-anode"
I0 = "Cathode exchange current density [A.m-2]"
D_O2 = "O2 diffusivity [m2.s-1]"
TRUE = {I0: 5e-6, D_O2: 4e-10}
work = tempfile.mkdtemp(prefix="triphase-fit-")

# %% [markdown]
# ## A record to fit
# A discharge at 0.5 mA cm-2, a 30-minute rest and a charge, sampled every minute; the cell
# has the "true" values above. It is written the way EC-Lab exports it (time/s, Ewe/V, I/mA).

# %%
programme = ["Discharge at 0.5 mA cm-2 for 2 hours or until 2.0 V (60 second period)",
             "Rest for 30 minutes (60 second period)",
             "Charge at 0.5 mA cm-2 for 1 hour (60 second period)"]
truth = triphase.Cell.preset(CELL).with_params(TRUE)
sol = triphase.simulate(truth, triphase.Experiment(programme), rtol=1e-6)
t, v, i = (np.asarray(sol[k]) for k in ("Test Time / s", "Voltage / V", "Current / A"))
keep = np.concatenate([np.diff(t) > 0, [True]])  # one sample per time: the new step's
t, v, i = t[keep], v[keep], np.where(np.abs(i[keep]) < 1e-12, 0.0, i[keep])
v = v + 0.002 * np.random.default_rng(7).standard_normal(v.size)
mpt = os.path.join(work, "record.mpt")
with open(mpt, "w", newline="") as f:
    rows = [f"{a!r}\t{b!r}\t{c * 1e3!r}" for a, b, c in zip(t.tolist(), v.tolist(), i.tolist())]
    f.write("\r\n".join(["EC-Lab ASCII FILE", "Nb header lines : 3", "time/s\tEwe/V\tI/mA"]
                        + rows) + "\r\n")

# %% [markdown]
# ## Read it, and read its protocol
# `read_cycler` returns the Battery Data Format columns (current in A, charge positive);
# `protocol` finds the constant-current, hold and rest steps from the current.

# %%
record = triphase.read_cycler(mpt)
print(record.head())
for step in cycler.protocol(record):
    print("  ", step)
csv = os.path.join(work, "record.csv")
triphase.write_bdf(record, csv)

# %% [markdown]
# ## Fit
# The fit file names the parameters with bounds and the data; without `steps` the protocol
# is read from the file's current. The result carries the values, standard errors, 95 %
# intervals and the correlation matrix (a pair above 0.95 is flagged as not identifiable).

# %%
spec = f"""
[fit]
cell = "{CELL}"

[[parameter]]
name = "{I0}"
lower = 1e-7
upper = 1e-4
scale = "log"
initial = 2e-5

[[parameter]]
name = "{D_O2}"
lower = 5e-11
upper = 2e-9
scale = "log"
initial = 1e-9

[[data]]
name = "record"
file = "record.csv"
sigma = 0.002
"""
result = triphase.fit(spec, dir=work)
print(result.parameters)
print("correlation:\n", result.correlation)
print("warnings:", result.warnings)
for name, value in TRUE.items():
    print(f"{name}: true {value:.4g}, fitted {result.values()[name]:.4g}")

# %% [markdown]
# ## The same problem in pints (and PyBOP's pints-based optimisers)
# `triphase.PintsModel` is a `pints.ForwardModel`: any pints optimiser or sampler can drive it.

# %%
try:
    import pints
except ImportError:
    sys.exit("pints is not installed: pip install pints")
steps = cycler.protocol(record)
model = triphase.PintsModel(triphase.Cell.preset(CELL), [I0, D_O2],
                            triphase.Experiment(steps), log=True)
problem = pints.SingleOutputProblem(model, record[cycler.TIME].to_numpy(),
                                    record[cycler.VOLTAGE].to_numpy())
error = pints.SumOfSquaresError(problem)
opt = pints.OptimisationController(error, np.log10([2e-5, 1e-9]), method=pints.NelderMead)
opt.set_max_iterations(200)
opt.set_log_to_screen(False)
x, f = opt.run()
print("pints (Nelder-Mead):", dict(zip([I0, D_O2], (10 ** x).tolist())))

# %% [markdown]
# ## Look at it
# Measured points, the fitted curve and the residuals (matplotlib).

# %%
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    sys.exit("matplotlib is not installed: pip install matplotlib")
fitted = triphase.simulate(triphase.Cell.preset(CELL).with_params(result.values()),
                           triphase.Experiment([s + " (60 second period)" for s in steps]),
                           rtol=1e-6)
fig, (ax, res) = plt.subplots(2, 1, sharex=True, figsize=(7, 6),
                              gridspec_kw={"height_ratios": [3, 1]})
ax.plot(record[cycler.TIME] / 3600, record[cycler.VOLTAGE], "x", ms=3, label="record")
ax.plot(np.asarray(fitted["Test Time / s"]) / 3600, fitted["Voltage / V"], label="fitted")
ax.set_ylabel("Voltage [V]")
ax.legend()
sim = np.interp(record[cycler.TIME], fitted["Test Time / s"], fitted["Voltage / V"])
res.plot(record[cycler.TIME] / 3600, (record[cycler.VOLTAGE] - sim) * 1e3, ".", ms=3)
res.set_xlabel("Time [h]")
res.set_ylabel("Residual [mV]")
png = os.path.join(work, "fit_cycler_record.png")
fig.savefig(png, dpi=120, bbox_inches="tight")
print("chart:", png)
