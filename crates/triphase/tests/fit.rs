//! Calibration: synthetic data from triphase with noise added are fitted back; the 95 %
//! intervals cover the true values, a non-identifiable pair is flagged, readers report bad
//! files by file, column and row.

use std::path::{Path, PathBuf};

use triphase::fit::{fit, FitOptions, FitSpec};
use triphase::{simulate, Cell, Experiment, SolverOptions};

/// A deterministic normal sampler (xorshift64* and Box–Muller), for reproducible noise.
struct Normal(u64);

impl Normal {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        ((self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn sample(&mut self) -> f64 {
        let (u1, u2) = (self.uniform(), self.uniform());
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("triphase-fit-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes a Battery Data Format CSV of `points` voltages of `cell` under `steps`, with noise.
fn synthetic(cell: &Cell, steps: &[&str], points: usize, sigma: f64, seed: u64, path: &Path) {
    let exp = Experiment::parse(steps).unwrap();
    let options = SolverOptions {
        rtol: 1e-6,
        ..SolverOptions::default()
    };
    let end = simulate(cell, &exp, &options)
        .unwrap()
        .time
        .last()
        .copied()
        .unwrap();
    // the voltages at the sample times from the solver's own interpolation
    let times: Vec<f64> = (0..points)
        .map(|i| end * (i as f64 + 0.5) / points as f64)
        .collect();
    let options = SolverOptions {
        snapshot_times: times.clone(),
        ..options
    };
    let sol = simulate(cell, &exp, &options).unwrap();
    let curve = triphase::fit::Curve {
        time: sol.time.clone(),
        voltage: sol.voltage(),
    };
    let exact = triphase::fit::solve::voltages_at(&sol, &times, &curve);
    let mut noise = Normal(seed);
    let mut text = String::from("Test Time / s,Voltage / V,Current / A\n");
    for (t, v) in times.iter().zip(exact) {
        let v = v + sigma * noise.sample();
        text.push_str(&format!("{t},{v},-1e-5\n"));
    }
    std::fs::write(path, text).unwrap();
}

fn truth() -> Cell {
    let mut cell = Cell::preset("li-o2-ideal-anode").unwrap();
    cell.set_param("test", "Cathode exchange current density [A.m-2]", 5e-6)
        .unwrap();
    cell.set_param("test", "O2 diffusivity [m2.s-1]", 4e-10)
        .unwrap();
    cell.set_param("test", "Electrolyte conductivity [S.m-1]", 0.25)
        .unwrap();
    cell
}

const TRUTH: [f64; 3] = [5e-6, 4e-10, 0.25];

/// Fits i0, D_O2 and the electrolyte conductivity (log-scaled, started at the library values:
/// the kinetic overpotential grows with ln i, the ohmic one with i, the O2 transport limits the
/// capacity at the higher rate)
/// to two synthetic discharges with noise `sigma` [V] (0: exact data).
fn fit_three(name: &str, noise: f64) -> triphase::fit::FitResult {
    let dir = scratch(name);
    let cell = truth();
    let sigma = 0.002;
    synthetic(
        &cell,
        &["Discharge at 0.1 mA cm-2 until 2.0 V"],
        60,
        noise,
        7,
        &dir.join("slow.csv"),
    );
    synthetic(
        &cell,
        &["Discharge at 1 mA cm-2 until 2.0 V"],
        60,
        noise,
        11,
        &dir.join("fast.csv"),
    );
    let spec = format!(
        r#"
[fit]
cell = "li-o2-ideal-anode"

[[parameter]]
name = "Cathode exchange current density [A.m-2]"
lower = 1e-7
upper = 1e-4
scale = "log"

[[parameter]]
name = "O2 diffusivity [m2.s-1]"
lower = 5e-11
upper = 2e-9
scale = "log"

[[parameter]]
name = "Electrolyte conductivity [S.m-1]"
lower = 0.02
upper = 5
scale = "log"

[[data]]
name = "0.1 mA cm-2"
file = "slow.csv"
steps = ["Discharge at 0.1 mA cm-2 until 2.0 V"]
sigma = {sigma}

[[data]]
name = "1 mA cm-2"
file = "fast.csv"
steps = ["Discharge at 1 mA cm-2 until 2.0 V"]
sigma = {sigma}
"#
    );
    let spec = FitSpec::from_toml_str(&spec, &format!("{name}.toml"), &dir).unwrap();
    fit(&spec, &FitOptions::default())
}

#[test]
fn exact_data_give_back_the_exact_parameters() {
    let result = fit_three("exact", 0.0);
    for (p, t) in result.parameters.iter().zip(TRUTH) {
        assert!(
            (p.value / t - 1.0).abs() < 1e-6,
            "{}: {} vs {t}",
            p.name,
            p.value
        );
        assert!(
            p.initial / t < 0.9 || p.initial / t > 1.1,
            "started at the truth"
        );
    }
}

#[test]
fn three_parameters_are_recovered_within_their_confidence_region() {
    let result = fit_three("noisy", 0.002);
    assert!(result.cost < 0.01 * result.initial_cost, "{result:#?}");
    // the noise is 2 mV, as stated: the residual variance in units of sigma^2 is near 1
    assert!(
        (0.7..1.4).contains(&result.residual_variance),
        "s^2 = {}",
        result.residual_variance
    );
    // errors in the search coordinate (log10), scaled by the standard errors
    let z: Vec<f64> = result
        .parameters
        .iter()
        .zip(TRUTH)
        .map(|(p, t)| {
            let sigma_log = p.standard_error / (p.value * std::f64::consts::LN_10);
            (p.value.log10() - t.log10()) / sigma_log
        })
        .collect();
    for ((p, zi), t) in result.parameters.iter().zip(&z).zip(TRUTH) {
        // each 95 % interval covers the truth (z = 1.03, -0.87, -0.33 for this noise) and is
        // informative (within 10 % of the value)
        let (lo, hi) = p.interval_95;
        assert!(
            lo <= t && t <= hi,
            "{}: {t} not in [{lo}, {hi}], z = {zi}",
            p.name
        );
        assert!(hi / lo < 1.1, "{}: [{lo}, {hi}]", p.name);
    }
    // jointly: the Mahalanobis distance z^T R^-1 z below the 99 % point of chi^2(3), 11.34
    let r = nalgebra::DMatrix::from_fn(3, 3, |a, b| result.correlation[a][b]);
    let zv = nalgebra::DVector::from_vec(z.clone());
    let d2 = (zv.transpose() * r.try_inverse().unwrap() * &zv)[(0, 0)];
    assert!(d2 < 11.34, "Mahalanobis distance^2 {d2}, z {z:?}");
    assert!(
        result
            .warnings
            .iter()
            .all(|w| !w.contains("not identifiable")),
        "{:?}",
        result.warnings
    );
}

#[test]
fn a_pair_that_only_acts_as_a_product_is_flagged() {
    // with the anode mechanisms off the anode's exchange current density and its area factor
    // enter only as their product
    let dir = scratch("pair");
    let mut cell = Cell::preset("li-o2-ideal-anode").unwrap();
    cell.set_param("test", "Anode exchange current density [A.m-2]", 0.01)
        .unwrap();
    synthetic(
        &cell,
        &["Discharge at 0.5 mA cm-2 for 20 minutes"],
        40,
        0.002,
        3,
        &dir.join("pair.csv"),
    );
    let spec = r#"
[fit]
cell = "li-o2-ideal-anode"

[[parameter]]
name = "Anode exchange current density [A.m-2]"
lower = 1e-4
upper = 10
scale = "log"
initial = 0.05

[[parameter]]
name = "Anode surface area factor [-]"
lower = 1
upper = 100
scale = "log"
initial = 2

[[data]]
name = "pair"
file = "pair.csv"
steps = ["Discharge at 0.5 mA cm-2 for 20 minutes"]
sigma = 0.002
"#;
    let spec = FitSpec::from_toml_str(spec, "pair.toml", &dir).unwrap();
    let result = fit(&spec, &FitOptions::default());
    assert!(
        result
            .warnings
            .iter()
            .any(|w| w.contains("not identifiable")),
        "{result:#?}"
    );
}

#[test]
fn a_malformed_data_file_names_the_file_column_and_row() {
    let dir = scratch("bad");
    let path = dir.join("bad.csv");
    std::fs::write(&path, "Test Time / s,Voltage / V\n0,2.7\n10,abc\n").unwrap();
    let e = triphase::fit::spec::read_time_voltage(&path)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("bad.csv") && e.contains("row 3") && e.contains("Voltage / V"),
        "{e}"
    );
    std::fs::write(&path, "time,V\n0,2.7\n").unwrap();
    let e = triphase::fit::spec::read_time_voltage(&path)
        .unwrap_err()
        .to_string();
    assert!(e.contains("no column \"Test Time / s\""), "{e}");
    // a round trip: what the synthetic writer wrote reads back
    let good = dir.join("good.csv");
    std::fs::write(&good, "Test Time / s,Voltage / V\n0,2.7\n5.5,2.65\n").unwrap();
    let (t, v) = triphase::fit::spec::read_time_voltage(&good).unwrap();
    assert_eq!(t, vec![0.0, 5.5]);
    assert_eq!(v, vec![2.7, 2.65]);
}

/// At 1 mA cm-2 the capacity of the cathode-only cell hardly changes between 20 um and
/// 800 um of cathode (0.57-0.61 mAh cm-2): the thickness has several basins. From a start at
/// 20 um, Levenberg-Marquardt stays in the thin basin; the seeded particle swarm over the
/// bounds finds the 400 um the data were made with.
#[test]
fn the_global_method_finds_the_basin_a_bad_start_misses() {
    let dir = scratch("global");
    let mut cell = Cell::preset("li-o2-ideal-anode").unwrap();
    cell.set_param("test", "Cathode thickness [m]", 4e-4)
        .unwrap();
    let steps = "Discharge at 1 mA cm-2 until 2.0 V";
    synthetic(&cell, &[steps], 40, 0.0, 1, &dir.join("thick.csv"));
    let spec = |method: &str| {
        let text = format!(
            r#"
[fit]
cell = "li-o2-ideal-anode"
method = "{method}"
seed = 1

[[parameter]]
name = "Cathode thickness [m]"
lower = 1e-5
upper = 8e-4
scale = "log"
initial = 2e-5

[[data]]
name = "thick"
file = "thick.csv"
steps = ["{steps}"]
sigma = 0.002
"#
        );
        FitSpec::from_toml_str(&text, &format!("{method}.toml"), &dir).unwrap()
    };
    let local = fit(&spec("local"), &FitOptions::default());
    let global = fit(&spec("global"), &FitOptions::default());
    let (l, g) = (local.parameters[0].value, global.parameters[0].value);
    assert!(l < 1e-4, "the local search left the thin basin: {l}");
    assert!(
        local.residual_variance > 10.0,
        "{}",
        local.residual_variance
    );
    assert!((g / 4e-4 - 1.0).abs() < 1e-4, "global: {g}");
    assert!(
        global.cost < 1e-6 * local.cost,
        "{} vs {}",
        global.cost,
        local.cost
    );
}
