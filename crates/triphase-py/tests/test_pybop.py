"""PyBOP drives a triphase simulation: its Problem, cost and optimiser recover the cathode's
exchange current from a synthetic discharge (the model's own voltages)."""

import numpy as np
import pytest

import triphase

pybop = pytest.importorskip("pybop")


def test_pybop_optimises_a_triphase_simulator():
    exp = triphase.Experiment(["Discharge at 1 mA cm-2 until 2.0 V"])
    cell = triphase.Cell.preset("li-o2-ideal-anode")
    name = "Cathode exchange current density [A.m-2]"
    true = cell.params()[name]
    times = np.linspace(0.0, 1500.0, 31)
    model = triphase.PintsModel(cell, [name], exp, log=False)
    data = model.simulate([true], times)
    dataset = pybop.Dataset({"Time [s]": times, "Current function [A]": 0 * times,
                             "Voltage [V]": data})
    sim = triphase.pybop_simulator(
        cell, exp, {name: pybop.Parameter(bounds=[true / 100, true * 100], initial_value=true * 3,
                                          transformation=pybop.LogTransformation())},
        times=times)
    # the simulator returns the model's own voltages at the true value
    solution = sim.solve({name: true})
    assert np.allclose(solution["Voltage [V]"].data, data, rtol=0, atol=1e-12)
    problem = pybop.Problem(sim, pybop.SumSquaredError(dataset))
    options = pybop.PintsOptions(max_iterations=80, verbose=False)
    result = pybop.NelderMead(problem, options=options).run()
    fitted = float(np.asarray(result.x).ravel()[0])
    assert abs(fitted / true - 1) < 1e-3, (fitted, true)
