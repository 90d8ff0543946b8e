"""Compare anode-protection strategies for a Li-air cell in humid air and save a figure.

    python examples/compare_strategies.py  [output.png]

Cycles each cell (0.2 mAh cm-2 at 0.1 mA cm-2) until end of life, in parallel threads (the
solver releases the GIL), then plots end-of-discharge voltage against cycle.
"""

import sys
from concurrent.futures import ThreadPoolExecutor

import triphase

base = triphase.Cell.preset("li-air")
strategies = {
    "bare Li": base,
    "LiI-type layer (1 um, slows H2O/O2 1000x)": base.with_params({
        "Protective layer thickness [m]": 1e-6,
        "Protective layer H2O permeability [m2.s-1]": 1e-17,
        "Protective layer O2 permeability [m2.s-1]": 1e-17,
        "Protective layer resistivity [Ohm.m]": 1e3,
    }),
    "gas-tight layer": base.with_params({
        "Protective layer thickness [m]": 1e-6,
        "Protective layer H2O permeability [m2.s-1]": 0.0,
        "Protective layer O2 permeability [m2.s-1]": 0.0,
        "Protective layer CO2 permeability [m2.s-1]": 0.0,
        "Protective layer N2 permeability [m2.s-1]": 0.0,
        "Protective layer resistivity [Ohm.m]": 1e3,
    }),
    "dry air (no humidity)": base.with_params({"Relative humidity [-]": 0.0}),
}
experiment = triphase.Experiment(
    ["Discharge at 0.1 mA cm-2 until 0.2 mAh cm-2 or until 2.0 V",
     "Charge at 0.1 mA cm-2 until 0.2 mAh cm-2 or until 4.5 V"],
    cycles=100,
    until_eol=True,
)

with ThreadPoolExecutor() as pool:
    results = dict(zip(strategies, pool.map(lambda c: triphase.simulate(c, experiment), strategies.values())))

for name, sol in results.items():
    eol = sol.summary["end_of_life"]
    lost = sum(sol.summary["anode"]["metal_loss_mol_m2"].values())
    print(f"{name:45s} cycles {len(sol.summary['cycles']):4d}  end of life: {eol['failure_mode']}  metal lost {lost:.3e} mol m-2")

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    sys.exit("the figure needs matplotlib: pip install matplotlib (the table above was computed)")

fig, ax = plt.subplots(figsize=(7, 4))
for name, sol in results.items():
    cyc = sol.summary["cycles"]
    ax.plot([c["cycle"] for c in cyc], [c["end_of_discharge_voltage_V"] for c in cyc], marker="o", ms=3, label=name)
ax.set_xlabel("Cycle")
ax.set_ylabel("End-of-discharge voltage [V]")
ax.set_title("Li-air in 40 % RH: anode protection strategies")
ax.legend(fontsize=8)
fig.tight_layout()
out = sys.argv[1] if len(sys.argv) > 1 else "compare_strategies.png"
fig.savefig(out, dpi=120)
print("saved", out)
