//! Dissolved superoxide (option `dissolved_superoxide`): its steady reaction-diffusion profile
//! in the separator, the electrons it carries, the metal it costs at the anode and the
//! balances with it.

mod common;

use common::{assert_balances_close, run};
use triphase::constants::FARADAY;
use triphase::{Cell, Solution};

fn with_superoxide(preset: &str) -> Cell {
    let mut cell = Cell::preset(preset).unwrap();
    cell.options.dissolved_superoxide = true;
    cell
}

fn last(sol: &Solution) -> &[f64] {
    sol.state(sol.len() - 1)
}

fn superoxide_loss(sol: &Solution) -> f64 {
    sol.summary().anode.metal_loss_mol_m2["superoxide"]
}

/// In the separator nothing forms superoxide and it decays first order, so at a steady
/// discharge D_eff c'' = eps c / tau: c = A cosh(x/l) + B sinh(x/l) with
/// l = sqrt(D_eff tau / eps), whatever the boundaries, and therefore
/// c(x - d) + c(x + d) = 2 cosh(d/l) c(x) at every interior x. The solver's profile obeys that
/// identity to the mesh's O(h^2) (here h = dx/l ~ 0.07: ~2e-4 of cosh). A decay per electrode
/// volume instead of per liquid volume (l 1.6 times longer here, cosh off by 9 %), a
/// diffusivity without the Bruggeman factor or a decay at another rate breaks it by far more.
#[test]
fn dissolved_superoxide_decays_across_the_separator_over_its_diffusion_length() {
    let mut cell = with_superoxide("li-o2");
    // uniform liquid fraction in the separator: its porosity
    cell.options.electrolyte_loss = false;
    cell.mesh.set("test", "separator", 60).unwrap();
    let sol = run(&cell, &["Discharge at 0.2 mA cm-2 for 1 hour"]);
    let m = &sol.model;
    let p = &m.params;
    let eps = p.geometry.separator_porosity;
    // the decay is per volume of liquid, the diffusivity the effective one
    let l =
        (eps.powf(p.geometry.bruggeman - 1.0) * p.superoxide.diffusivity * p.superoxide.lifetime)
            .sqrt();
    let dx = m.mesh.dx[0];
    let r = m.layout.superoxide.clone().unwrap();
    let y = last(&sol);
    let c = |k: usize| y[r.start + k] / eps;
    let tol = m.absolute_tolerances(1.0)[r.start] / eps;
    // the profile rises from the metal to the cathode and every point used is far above the
    // tolerance
    assert!(
        c(59) > c(30) && c(30) > c(1) && c(1) > 50.0 * tol,
        "{} {} {}",
        c(59),
        c(30),
        c(1)
    );
    for k in [15, 30, 45] {
        for d in [5, 10] {
            let ratio = (c(k - d) + c(k + d)) / (2.0 * c(k));
            let exact = (d as f64 * dx / l).cosh();
            assert!(
                (ratio / exact - 1.0).abs() < 2e-3,
                "k = {k}, d = {d}: {ratio} against cosh(d dx / l) = {exact}"
            );
        }
    }
    assert_balances_close(&sol);
}

/// Every electron of a discharge ends in the product (n = 2 per O2) or in a dissolved
/// superoxide (one each): Q/F = 2 (O2 in the product + in the separator's deposit) + the
/// dissolved superoxide. With the ideal anode (no crossing), no parasitic chemistry and no
/// double layer, this is exact; after a rest of 100 lifetimes the superoxide has decayed and
/// the discharge drew two electrons per O2 exactly, the solution route or not.
#[test]
fn a_discharge_through_dissolved_superoxide_still_stores_two_electrons_per_o2() {
    for fraction in [0.5, 1.0] {
        let mut cell = with_superoxide("li-o2-ideal-anode");
        cell.options.double_layer = false;
        cell.set_param("test", "Superoxide solution fraction [-]", fraction)
            .unwrap();
        let sol = run(
            &cell,
            &["Discharge at 0.2 mA cm-2 for 1 hour", "Rest for 10 seconds"],
        );
        let m = &sol.model;
        // during the discharge and at its end
        let end = sol.steps[0].points.expect("recorded").1;
        for i in [end / 2, end, sol.len() - 1] {
            let y = sol.state(i);
            let q = (y[m.layout.charge] - sol.state(0)[m.layout.charge]).abs() / FARADAY;
            let (dissolved, deposit) = m.superoxide_amounts(y);
            let stored = 2.0 * (m.product_o2(y) + deposit) + dissolved;
            assert!(
                (stored / q - 1.0).abs() < 1e-6,
                "fraction {fraction}, point {i}: {stored} stored for {q} passed"
            );
        }
        let y = last(&sol);
        let (dissolved, _) = m.superoxide_amounts(y);
        // down to the solver's floor (its absolute tolerance, ~4e-8 mol m-3 over the cell)
        assert!(dissolved < 1e-8 * m.product_o2(y), "{dissolved} left");
        assert_balances_close(&sol);
    }
}

/// Superoxide that reaches Li costs three Li atoms (LiO2 + 3 Li -> 2 Li2O) and joins the SEI
/// as the O2 corrosion's Li2O; it decays across the separator, so a thinner separator lets
/// exponentially more through (exp(15 um / l), l = 5.7 um here: ~14x for 25 -> 10 um; 13.4
/// measured), a
/// protective layer that blocks O2 blocks it, and without the option nothing crosses.
#[test]
fn superoxide_crosses_a_thin_separator_and_corrodes_the_metal_unless_a_layer_blocks_it() {
    let steps = [
        "Discharge at 0.2 mA cm-2 for 2.5 hours or until 2.0 V",
        "Charge at 0.2 mA cm-2 for 2.5 hours or until 4.5 V",
    ];
    let cycle = |cell: &Cell| {
        let sol = run(cell, &steps);
        assert_balances_close(&sol);
        sol
    };
    let thick = cycle(&with_superoxide("li-o2"));
    let mut thin = with_superoxide("li-o2");
    thin.set_param("test", "Separator thickness [m]", 10e-6)
        .unwrap();
    let thin = cycle(&thin);
    let off = cycle(&Cell::preset("li-o2").unwrap());
    assert_eq!(superoxide_loss(&off), 0.0);
    let (a, b) = (superoxide_loss(&thick), superoxide_loss(&thin));
    assert!(a > 0.0 && b > 10.0 * a, "25 um: {a}, 10 um: {b}");
    // three Li per crossing superoxide, its Li2O in the SEI's oxide
    let m = &thin.model;
    let y = last(&thin);
    let crossed = m.superoxide_crossed(y);
    assert!((b / (3.0 * crossed) - 1.0).abs() < 1e-12);
    // an O2-blocking layer (zero O2 permeability) stops it
    let mut blocked = with_superoxide("li-o2");
    blocked
        .set_param("test", "Separator thickness [m]", 10e-6)
        .unwrap();
    blocked
        .set_param("test", "Protective layer thickness [m]", 1e-6)
        .unwrap();
    blocked
        .set_param("test", "Protective layer O2 permeability [m2.s-1]", 0.0)
        .unwrap();
    let blocked = cycle(&blocked);
    assert_eq!(superoxide_loss(&blocked), 0.0);
}

/// Product that precipitates from dissolved superoxide grows as particles, which do not
/// passivate the carbon: the more of the reduction goes through solution, the larger the
/// share of particles and the capacity of a film-limited discharge (solution-mediated growth
/// raises Li-O2 capacity: Aetukuri et al., Nat. Chem. 7 (2015) 50). At 0.5 mA cm-2 to 2.0 V:
/// 0.99 mAh cm-2 without the option, 1.40 at chi_s = 0.5 and 2.27 at 1.
#[test]
fn the_solution_route_grows_particles_and_raises_the_capacity() {
    let mut before = (0.0, 0.0);
    for fraction in [None, Some(0.5), Some(1.0)] {
        let cell = match fraction {
            None => Cell::preset("li-o2").unwrap(),
            Some(x) => {
                let mut c = with_superoxide("li-o2");
                c.set_param("test", "Superoxide solution fraction [-]", x)
                    .unwrap();
                c
            }
        };
        let sol = run(&cell, &["Discharge at 0.5 mA cm-2 until 2.0 V"]);
        let capacity = sol.discharge_capacity_mAh_cm2();
        let particles = sol.model.particle_share(last(&sol)).unwrap();
        assert!(
            capacity > 1.2 * before.0 && particles > before.1,
            "{fraction:?}: {capacity} mAh cm-2, particle share {particles}, after {before:?}"
        );
        assert_balances_close(&sol);
        before = (capacity, particles);
    }
}
