"""A triphase simulation as a PyBOP simulator (``pybop.BaseSimulator``, PyBOP >= 25.10).

PyBOP builds a problem from a simulator and a cost, and its optimisers and samplers (pints,
SciPy, its own) drive the problem. :func:`pybop_simulator` returns a simulator that sets the
named registry parameters on a triphase cell, runs an experiment and returns the voltage at
the dataset's times, so that a PyBOP user writes::

    import pybop, triphase
    sim = triphase.pybop_simulator(cell, experiment,
                                   {"Cathode exchange current density [A.m-2]":
                                        pybop.Parameter(bounds=[1e-7, 1e-4], initial_value=2e-6)},
                                   times=data["Time [s]"])
    cost = pybop.SumSquaredError(dataset)          # dataset["Voltage [V]"]
    problem = pybop.Problem(sim, cost)
    result = pybop.NelderMead(problem).run()

The output is named "Voltage [V]" (PyBaMM's name, which PyBOP datasets use) and also
"Voltage / V" (triphase's); a failed simulation returns PyBOP's failed solution (infinite
cost). No sensitivities are provided (PyBOP's gradient-free methods apply).
"""

from __future__ import annotations

from typing import Any, Dict, Sequence

import numpy as np

from ._core import Cell, Experiment, SolverError


def pybop_simulator(cell: Cell, experiment: Experiment, parameters: Dict[str, Any],
                    times: Sequence[float], rtol: float = 1e-6):
    """A ``pybop.BaseSimulator`` running ``experiment`` on ``cell`` with the registry
    parameters of ``parameters`` (name -> ``pybop.Parameter``) and returning the voltage at
    ``times`` [s] (linear interpolation of the run; past its end, its last voltage, as
    ``triphase fit`` compares)."""
    try:
        import pybop
        from pybop.simulators.failed_solution import FailedSolution
    except ImportError as e:
        raise ImportError("the PyBOP simulator needs pybop: pip install pybop") from e
    from . import simulate

    class TriphaseSimulator(pybop.BaseSimulator):
        """A triphase cell and experiment as a PyBOP simulator."""

        def __init__(self):
            super().__init__(dict(parameters))
            self.cell = cell
            self.experiment = experiment
            self.times = np.asarray(times, dtype=float)
            self.rtol = rtol
            self.outputs = ["Voltage [V]"]

        def set_output_variables(self, target):
            self.outputs = list(target) if target else ["Voltage [V]"]

        def _voltage(self, values: Dict[str, float]) -> np.ndarray:
            sol = simulate(self.cell.with_params(values), self.experiment, rtol=self.rtol)
            t = np.asarray(sol["Test Time / s"], dtype=float)
            v = np.asarray(sol["Voltage / V"], dtype=float)
            return np.interp(self.times, t, v, left=v[0], right=v[-1])

        def solve_batch(self, inputs, calculate_sensitivities: bool = False):
            out = []
            for x in inputs:
                values = {name: float(np.asarray(value).item()) for name, value in x.items()}
                try:
                    v = self._voltage(values)
                except (SolverError, ValueError):
                    out.append(FailedSolution(self.outputs, list(values)))
                    continue
                solution = pybop.Solution(inputs=x)
                for name in ("Voltage [V]", "Voltage / V"):
                    solution.set_solution_variable(name, v)
                solution.set_solution_variable("Time [s]", self.times)
                out.append(solution)
            return out

    return TriphaseSimulator()
