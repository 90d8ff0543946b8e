//! The interfacial carbonate on Li2O2 (option `interface_carbonate`, the li2o2 product's): a
//! monolayer that forms as the product is oxidised and divides its exchange current by up to
//! K_CO3 (McCloskey et al., J. Phys. Chem. Lett. 3 (2012) 997), so the charge voltage climbs as
//! the product is used up; fresh product buries it on the next discharge.

use triphase::constants::{FARADAY, GAS_CONSTANT};
use triphase::mesh::MeshSpec;
use triphase::model::options::CarbonateBurial;
use triphase::{Cell, Solution};

mod common;
use common::run;

const K_NAME: &str = "Interfacial carbonate exchange current factor [-]";

/// A thin two-volume cathode-only cell with the carbonate factor `k`: no double layer (all the
/// current is the reactions'), no side chemistry (no carbonate deposit, no reactive oxygen).
fn thin_cell(k: f64) -> Cell {
    let mut cell = Cell::preset("li-o2-ideal-anode").unwrap();
    assert!(cell.options.interface_carbonate);
    cell.options.double_layer = false;
    cell.options.parasitic = false;
    cell.mesh = MeshSpec {
        separator: 4,
        cathode: 2,
        cathode_grading: 1.0,
    };
    cell.set_param("test", "Cathode thickness [m]", 2e-5)
        .unwrap();
    cell.set_param("test", K_NAME, k).unwrap();
    cell
}

const CYCLE: [&str; 2] = [
    "Discharge at 0.02 mA cm-2 for 2 hours",
    "Charge at 0.02 mA cm-2 for 1 hour",
];

/// Coverage and product of cathode volume `j` at recorded point `i`.
fn coverage(sol: &Solution, i: usize, j: usize) -> (f64, f64) {
    let l = &sol.model.layout;
    let y = sol.state(i);
    let r = l.interface_carbonate.clone().expect("a coverage state");
    (y[r.start + j], y[l.product.start + j])
}

/// The covered fraction is the fraction of the product oxidised, 1 - theta = eps_p/eps_p,start
/// (the exact solution of the coverage law over a pure removal), a fresh discharge leaves no
/// coverage, and the first discharge is the same with any K_CO3.
#[test]
fn the_covered_fraction_is_the_fraction_oxidised() {
    let sol = run(&thin_cell(30.0), &CYCLE);
    let (_, last_discharge) = sol.steps[0].points.unwrap();
    let (_, last_charge) = sol.steps[1].points.unwrap();
    for j in 0..2 {
        let (theta0, eps0) = coverage(&sol, last_discharge, j);
        // zero, of either sign, far below the coverage's absolute tolerance (1e-6): growth
        // buries and nothing covers (a split that removed w/2 during growth held it at -5e-6)
        assert!(theta0.abs() < 1e-9, "volume {j}: {theta0}");
        let (theta, eps) = coverage(&sol, last_charge, j);
        // half the product oxidised
        assert!(
            (eps / eps0 - 0.5).abs() < 0.05,
            "volume {j}: {eps} of {eps0}"
        );
        assert!(
            ((1.0 - theta) / (eps / eps0) - 1.0).abs() < 1e-3,
            "volume {j}: 1 - theta = {} against eps/eps0 = {}",
            1.0 - theta,
            eps / eps0
        );
    }
    // the time series reports the product-weighted coverage: half the product oxidised
    let reported = sol
        .variable("Interfacial carbonate coverage [-]")
        .expect("the coverage variable")
        .values
        .to_f64();
    assert!(
        reported[last_discharge].abs() < 1e-6,
        "{}",
        reported[last_discharge]
    );
    assert!(
        (reported[last_charge] - 0.5).abs() < 0.05,
        "{}",
        reported[last_charge]
    );
    // the same discharge: the coverage's tolerance, 1e-6, moves the exchange current by up to
    // 29e-6 and the overpotential by ~1.5 uV
    let plain = run(&thin_cell(1.0), &CYCLE);
    let v = |s: &Solution| s.steps[0].end.voltage;
    assert!(
        (v(&sol) - v(&plain)).abs() < 1e-5,
        "{} {}",
        v(&sol),
        v(&plain)
    );
}

/// Under Tafel kinetics the overpotential at a fixed current rises by ln(1 + (K - 1) theta) /
/// (alpha_a F/RT) over the cell without the layer: at half charge (theta = 1/2) with K = 30,
/// 0.235 V. The thin cathode carries the current uniformly, and the film, the electrolyte and
/// the anode are the same in both cells at the same charge passed.
#[test]
fn the_charge_overpotential_rises_by_the_tafel_shift() {
    let with = run(&thin_cell(30.0), &CYCLE);
    let without = run(&thin_cell(1.0), &CYCLE);
    let m = &with.model;
    let c = &m.params.cathode;
    let (_, i) = with.steps[1].points.unwrap();
    let (_, i0) = without.steps[1].points.unwrap();
    let theta = (coverage(&with, i, 0).0 + coverage(&with, i, 1).0) / 2.0;
    assert!((theta - 0.5).abs() < 0.05, "{theta}");
    let f = FARADAY / (GAS_CONSTANT * m.params.temperature);
    let expected = (1.0 + 29.0 * theta).ln() / (c.anodic_transfer_coefficient * f);
    let shift = with.voltage()[i] - without.voltage()[i0];
    assert!(
        (shift / expected - 1.0).abs() < 0.02,
        "shift {shift} V against {expected} V (theta {theta})"
    );
}

/// Fresh product buries the layer: after a full charge (theta -> 1 where the product went) the
/// next discharge leaves the coverage at the fraction of product that was left, here below 1 %.
#[test]
fn the_next_discharge_buries_the_layer() {
    for (theta_c, theta, _) in recharged_and_discharged(&thin_cell(30.0)) {
        assert!(theta < 0.01, "{theta} after {theta_c}");
    }
}

/// `cell` discharged 2 h, charged to 4.2 V and discharged 2 h again at 0.02 mA cm-2: for each
/// of its two cathode volumes the coverage after the charge (asserted above 0.9: the product
/// is gone), the coverage after the second discharge and the product grown by it [-].
fn recharged_and_discharged(cell: &Cell) -> Vec<(f64, f64, f64)> {
    let sol = run(
        cell,
        &[
            "Discharge at 0.02 mA cm-2 for 2 hours",
            "Charge at 0.02 mA cm-2 until 4.2 V",
            "Discharge at 0.02 mA cm-2 for 2 hours",
        ],
    );
    let (_, end_charge) = sol.steps[1].points.unwrap();
    let (_, end) = sol.steps[2].points.unwrap();
    (0..2)
        .map(|j| {
            let (theta_c, eps_c) = coverage(&sol, end_charge, j);
            assert!(theta_c > 0.9, "volume {j}: {theta_c}");
            let (theta, eps) = coverage(&sol, end, j);
            (theta_c, theta, eps - eps_c)
        })
        .collect()
}

/// With `interface_carbonate_burial = "thickness"` fresh product buries the layer by its
/// thickness: after a full charge (theta -> 1 where the product went) the next discharge leaves
/// theta = theta_c exp(-Delta eps_p / (a_0 d_b)), the exact solution of that burial law over a
/// pure growth, whatever product was left beneath. The discharge here grows about one layer d_b
/// over the carbon (theta ~ 0.3), where the proportional burial leaves below 1e-3.
#[test]
fn burial_by_thickness_decays_by_e_per_layer_grown() {
    let mut cell = thin_cell(30.0);
    cell.options.interface_carbonate_burial = CarbonateBurial::Thickness;
    let layer = {
        let p = &cell.model().params;
        p.geometry.cathode_specific_area * p.cathode.interface_carbonate_burial_thickness
    };
    for (theta_c, theta, grown) in recharged_and_discharged(&cell) {
        let layers = grown / layer;
        assert!((0.5..2.0).contains(&layers), "{layers} layers");
        let expected = theta_c * (-layers).exp();
        assert!(
            (theta / expected - 1.0).abs() < 1e-3,
            "theta {theta} against {expected} after {layers} layers"
        );
    }
}

/// The end-of-discharge voltages of li-o2-ideal-anode cycled at 0.5 mAh cm-2 and 0.2 mA cm-2,
/// cycles 13-20: under the proportional burial product left under the layer by a charge stays
/// covered and the cell cycles in a two-cycle orbit (consecutive ends ~30 mV apart, on every
/// mesh); buried by thickness it settles to one cycle (within 0.5 mV).
#[test]
fn the_proportional_burial_cycles_in_a_two_cycle_orbit_and_burial_by_thickness_does_not() {
    let mut steps = Vec::new();
    for _ in 0..20 {
        steps.push("Discharge at 0.2 mA cm-2 until 0.5 mAh cm-2 or until 2.0 V");
        steps.push("Charge at 0.2 mA cm-2 until 0.5 mAh cm-2 or until 4.5 V");
    }
    let jumps = |burial| {
        let mut cell = Cell::preset("li-o2-ideal-anode").unwrap();
        assert!(cell.options.interface_carbonate);
        cell.options.interface_carbonate_burial = burial;
        let sol = run(&cell, &steps);
        let ends: Vec<f64> = sol.steps.iter().step_by(2).map(|s| s.end.voltage).collect();
        assert_eq!(ends.len(), 20);
        (13..20)
            .map(|k| (ends[k] - ends[k - 1]).abs())
            .collect::<Vec<f64>>()
    };
    let proportional = jumps(CarbonateBurial::Proportional);
    assert!(proportional.iter().all(|&d| d > 0.02), "{proportional:?}");
    let thickness = jumps(CarbonateBurial::Thickness);
    assert!(thickness.iter().all(|&d| d < 5e-4), "{thickness:?}");
}
