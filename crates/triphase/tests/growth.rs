//! The discharge product as film and particles (option `product_growth =
//! "film-and-particles"`, the li2o2 product's): the transition at the exchange current
//! (Horstmann et al. 2013), water moving it (Aetukuri et al. 2015), the limits of an all-film
//! and an all-particle product, and a charge that takes film and particles in proportion.

use triphase::mesh::MeshSpec;
use triphase::model::{Passivation, ProductGrowth};
use triphase::{Cell, Solution};

mod common;
use common::run;

/// li-o2 with the cathode-only model (its product grows as film and particles).
fn cathode_cell() -> Cell {
    let cell = Cell::preset("li-o2-ideal-anode").unwrap();
    assert_eq!(cell.options.product_growth, ProductGrowth::FilmAndParticles);
    cell
}

/// Film and product summed over the cathode, weighted by the volume widths [m].
fn film_and_product(sol: &Solution, point: usize) -> (f64, f64) {
    let m = &sol.model;
    let l = &m.layout;
    let film = l.film.clone().expect("a film state per cathode volume");
    let y = sol.state(point);
    let (mut f, mut p) = (0.0, 0.0);
    for j in 0..m.mesh.n_cat {
        let dx = m.mesh.dx[m.mesh.n_sep + j];
        f += y[film.start + j] * dx;
        p += y[l.product.start + j] * dx;
    }
    (f, p)
}

/// A slow discharge of a two-volume cathode whose growth current per carbon area is the
/// exchange current density i0_c: the share of film is 1/(1 + K) with K = K_0 (1 + c_H2O/c_w),
/// one half in dry electrolyte (the Horstmann transition), 1/4 where the dissolved water makes
/// K = 3. The product is so thin (~1e-5 of the pores) that the area stays a_0 to 1e-5, the
/// carbon's double layer is off so that all the current grows product, and the cell rests
/// first so that the water is at its Henry equilibrium.
#[test]
fn half_the_growth_is_film_at_the_exchange_current() {
    let share = |k: f64| {
        let mut cell = cathode_cell();
        cell.options.double_layer = false;
        cell.options.parasitic = false;
        cell.options.gases = vec![triphase::params::Gas::H2O];
        cell.mesh = MeshSpec {
            separator: 4,
            cathode: 2,
            cathode_grading: 1.0,
        };
        // water at the cathode H p = c_w (K - 1) with K_0 = 1
        let p = cell.params.clone();
        let c_w = p.cathode.particle_water_concentration;
        let henry = p.henry(triphase::params::Gas::H2O);
        let rh = c_w * (k - 1.0) / (henry * p.atmosphere.water_saturation_pressure);
        cell.set_param("test", "Relative humidity [-]", rh).unwrap();
        // i_app = i0_c a_0 L
        let i_app = p.cathode.exchange_current_density
            * p.geometry.cathode_specific_area
            * p.geometry.cathode_thickness;
        let sol = run(
            &cell,
            &[
                "Rest for 3 hours",
                &format!("Discharge at {} mA cm-2 for 2 hours", i_app / 10.0),
            ],
        );
        let rest_end = sol.steps[0].points.unwrap().1;
        let (f0, p0) = film_and_product(&sol, rest_end);
        let (f, p) = film_and_product(&sol, sol.len() - 1);
        // the rest grows next to nothing (its mixed potential)
        assert!(
            p > 0.0 && p0.abs() < 1e-5 * p && f0.abs() < 1e-5 * p,
            "{f0} {p0} {p}"
        );
        (f - f0) / (p - p0)
    };
    let dry = share(1.0);
    assert!(
        (dry - 0.5).abs() < 5e-4,
        "film share in dry electrolyte {dry}"
    );
    let wet = share(3.0);
    assert!((wet - 0.25).abs() < 1e-4, "film share at K = 3: {wet}");
}

/// The two limits: a transition ratio K_0 -> 0 grows all the product as film, the model with
/// `product_growth = "film"`; K_0 -> infinity grows it all as particles, which do not
/// passivate: the model without a film resistance.
#[test]
fn all_film_and_all_particles_are_the_film_and_unpassivated_models() {
    let capacity = |cell: &Cell| {
        run(cell, &["Discharge at 0.2 mA cm-2 until 2.0 V"]).discharge_capacity_mAh_cm2()
    };
    let mut film_only = cathode_cell();
    film_only.options.product_growth = ProductGrowth::Film;
    let sol = run(&film_only, &["Discharge at 0.2 mA cm-2 for 1 hour"]);
    assert_eq!(sol.summary().cathode.particle_share, None);
    let mut no_film = cathode_cell();
    no_film.options.passivation = Passivation::None;
    let mut all_film = cathode_cell();
    all_film
        .set_param("test", "Particle growth transition ratio [-]", 1e-9)
        .unwrap();
    let mut all_particles = cathode_cell();
    all_particles
        .set_param("test", "Particle growth transition ratio [-]", 1e9)
        .unwrap();
    let (a, b) = (capacity(&all_film), capacity(&film_only));
    assert!((a / b - 1.0).abs() < 1e-5, "all film {a} vs film model {b}");
    let (c, d) = (capacity(&all_particles), capacity(&no_film));
    assert!(
        (c / d - 1.0).abs() < 1e-5,
        "all particles {c} vs no film {d}"
    );
    // and the default sits between them, nearer the film (0.2 mA cm-2 is ~100 i0_c per
    // carbon area)
    let e = capacity(&cathode_cell());
    assert!(b < e && e < c && e < 1.1 * b, "{b} < {e} < {c}");
}

/// Water raises the particle share and with it the capacity; a higher current lowers the
/// particle share.
#[test]
fn water_raises_the_capacity_and_current_thickens_the_film() {
    let humid = |rh: f64| {
        let mut cell = cathode_cell();
        cell.options.gases = vec![triphase::params::Gas::H2O];
        cell.set_param("test", "Relative humidity [-]", rh).unwrap();
        run(&cell, &["Discharge at 0.1 mA cm-2 until 2.0 V"]).discharge_capacity_mAh_cm2()
    };
    let q: Vec<f64> = [0.0, 0.15, 0.5].into_iter().map(humid).collect();
    assert!(
        q[1] > 1.05 * q[0] && q[2] > 1.05 * q[1],
        "capacity against humidity {q:?}"
    );
    // the same charge at two currents: the faster grows more of it as film
    let film_share = |ma_cm2: f64| {
        let hours = 0.2 / ma_cm2;
        let sol = run(
            &cathode_cell(),
            &[&format!("Discharge at {ma_cm2} mA cm-2 for {hours} hours")],
        );
        let (f, p) = film_and_product(&sol, sol.len() - 1);
        // the summary reports the complement as the particle share
        let reported = sol.summary().cathode.particle_share.unwrap();
        assert!((reported - (1.0 - f / p)).abs() < 1e-12, "{reported}");
        f / p
    };
    let (slow, fast) = (film_share(0.02), film_share(0.5));
    assert!(
        slow < fast && fast < 1.0,
        "film share {slow} at 0.02, {fast} at 0.5 mA cm-2"
    );
}

/// A charge oxidises film and particles in proportion: in every cathode volume the film's
/// share of the product is what it was at the end of the discharge (to 1e-3: while the double
/// layer swings up at the start of the charge some volumes still grow a little product, at
/// their own share), and the film never exceeds the product.
#[test]
fn a_charge_takes_film_and_particles_in_proportion() {
    let sol = run(
        &cathode_cell(),
        &[
            "Discharge at 0.1 mA cm-2 for 2 hours",
            "Charge at 0.1 mA cm-2 for 1 hour",
        ],
    );
    let m = &sol.model;
    let l = &m.layout;
    let film = l.film.clone().unwrap();
    let end_discharge = sol.steps[0].points.unwrap().1;
    let (a, b) = (sol.state(end_discharge), sol.state(sol.len() - 1));
    let mut checked = 0;
    for j in 0..m.mesh.n_cat {
        let (p0, p1) = (a[l.product.start + j], b[l.product.start + j]);
        if p1 < 1e-3 * p0 || p0 < 1e-6 {
            continue;
        }
        assert!(p1 < p0, "volume {j} oxidised: {p0} -> {p1}");
        let (s0, s1) = (a[film.start + j] / p0, b[film.start + j] / p1);
        assert!((s1 / s0 - 1.0).abs() < 1e-3, "volume {j}: {s0} -> {s1}");
        checked += 1;
    }
    assert!(checked > m.mesh.n_cat / 2, "{checked} volumes checked");
    // half the product is left: the summary's particle share is that of the product left
    let share = sol.summary().cathode.particle_share.unwrap();
    assert!(share > 0.0 && share < 0.1, "{share}");
    for i in 0..sol.len() {
        let y = sol.state(i);
        for j in 0..m.mesh.n_cat {
            let (f, p) = (y[film.start + j], y[l.product.start + j]);
            assert!(
                f <= p * (1.0 + 1e-9) + 1e-15,
                "point {i} volume {j}: {f} > {p}"
            );
        }
    }
}

/// A humidity that no transported water carries has no effect: the summary says so.
#[test]
fn a_humidity_without_transported_water_is_reported() {
    let warned = |gases: Vec<triphase::params::Gas>| {
        let mut cell = cathode_cell();
        cell.options.gases = gases;
        cell.set_param("test", "Relative humidity [-]", 0.3)
            .unwrap();
        let sol = run(&cell, &["Discharge at 0.1 mA cm-2 for 1 hour"]);
        sol.summary()
            .warnings
            .iter()
            .any(|w| w.contains("Relative humidity") && w.contains("no effect"))
    };
    assert!(warned(vec![]));
    assert!(!warned(vec![triphase::params::Gas::H2O]));
}
