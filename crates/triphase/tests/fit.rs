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

/// At 1 mA cm-2 the capacity of the cathode-only cell without the carbon's double layer
/// hardly changes between 20 um and 800 um of cathode (0.57-0.61 mAh cm-2): the thickness has
/// several basins. From a start at 20 um, Levenberg-Marquardt stays in the thin basin; the
/// seeded particle swarm over the bounds finds the 400 um the data were made with. (With the
/// double layer, whose capacitance grows with the thickness, the first minutes of the curve
/// single the thickness out and the local search finds it too.)
#[test]
fn the_global_method_finds_the_basin_a_bad_start_misses() {
    let dir = scratch("global");
    let cell_text = "[cell]\npreset = \"li-o2-ideal-anode\"\n[options]\ndouble_layer = false\n";
    std::fs::write(dir.join("cell.toml"), cell_text).unwrap();
    let mut cell = Cell::from_toml_str(cell_text, "cell.toml").unwrap();
    cell.set_param("test", "Cathode thickness [m]", 4e-4)
        .unwrap();
    let steps = "Discharge at 1 mA cm-2 until 2.0 V";
    synthetic(&cell, &[steps], 40, 0.0, 1, &dir.join("thick.csv"));
    let spec = |method: &str| {
        let text = format!(
            r#"
[fit]
cell = "cell.toml"
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

/// A record made from a known programme (discharge, rest, CC charge then a CV hold with a
/// decaying current, discharge), with 0.05 % current noise and 0.5 mV voltage noise: the
/// derived protocol has its steps, kinds, currents (to the noise) and durations (exactly).
#[test]
fn the_protocol_of_a_record_is_read_from_its_current() {
    use triphase::experiment::from_data::{steps_from_record, Segmentation};
    use triphase::experiment::step::{Drive, StepKind};
    // (time, current, voltage, whether the current carries noise); 30 s samples, each
    // programme step starting on a sample
    let mut programme: Vec<(f64, f64, f64, bool)> = Vec::new();
    for k in 0..300 {
        let time = 30.0 * k as f64;
        programme.push(match k {
            0..=119 => (time, -2e-4, 2.7 - 1e-4 * k as f64, true),
            120..=139 => (time, 0.0, 2.75 + 1e-3 * (k - 120) as f64, true),
            140..=199 => (time, 3e-4, 3.9 + 5e-3 * (k - 140) as f64, true),
            // the hold: 4.2 V, the current decaying from 0.9 x 3e-4 A
            200..=239 => (
                time,
                3e-4 * 0.9 * (-((k - 200) as f64) / 10.0).exp(),
                4.2,
                false,
            ),
            _ => (time, -1e-4, 2.6, true),
        });
    }
    let mut noise = Normal(3);
    let t: Vec<f64> = programme.iter().map(|p| p.0).collect();
    let i: Vec<f64> = programme
        .iter()
        .map(|p| p.1 * (1.0 + if p.3 { 5e-4 * noise.sample() } else { 0.0 }))
        .collect();
    let v: Vec<f64> = programme
        .iter()
        .map(|p| p.2 + if p.3 { 5e-4 } else { 2e-4 } * noise.sample())
        .collect();
    let steps = steps_from_record(&t, &i, &v, &Segmentation::default(), "record").unwrap();
    let exp = Experiment::parse(&steps).unwrap();
    let kinds: Vec<StepKind> = exp.steps.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            StepKind::Discharge,
            StepKind::Rest,
            StepKind::Charge,
            StepKind::Hold,
            StepKind::Discharge
        ],
        "{steps:?}"
    );
    let durations: Vec<f64> = exp.steps.iter().map(|s| s.duration.unwrap()).collect();
    assert_eq!(durations, [3600.0, 600.0, 1800.0, 1200.0, 1770.0]);
    let current = |k: usize| match exp.steps[k].drive {
        Drive::Current(a) => a.value,
        ref d => panic!("{d:?}"),
    };
    // the mean of n samples with 0.05 % noise: within 4 standard errors
    for (k, want, n) in [(0, 2e-4, 120.0), (2, 3e-4, 60.0), (4, 1e-4, 60.0)] {
        let tol = 4.0 * 5e-4 / f64::sqrt(n);
        assert!((current(k) / want - 1.0).abs() < tol, "{k}: {}", current(k));
    }
    match exp.steps[3].drive {
        Drive::Voltage(u) => assert!((u - 4.2).abs() < 2e-4, "{u}"),
        ref d => panic!("{d:?}"),
    }
}

/// A fit data set without steps takes its protocol from its "Current / A" column: with the
/// record of a discharge, a rest and a charge of the true cell, the derived protocol reproduces
/// the recorded voltages, and the exchange current comes back from a start 3x off.
#[test]
fn a_fit_reads_its_protocol_from_the_current_column() {
    let dir = scratch("protocol");
    let cell = truth();
    let area = cell.params.get("Electrode area [m2]").unwrap();
    let programme = [
        "Discharge at 0.2 mA cm-2 for 2 hours",
        "Rest for 30 minutes",
        "Charge at 0.2 mA cm-2 for 1 hour",
    ];
    let exp = Experiment::parse(&programme).unwrap();
    let times: Vec<f64> = (0..=420).map(|k| 30.0 * k as f64).collect();
    let options = SolverOptions {
        rtol: 1e-6,
        snapshot_times: times.clone(),
        ..SolverOptions::default()
    };
    let sol = simulate(&cell, &exp, &options).unwrap();
    let curve = triphase::fit::Curve {
        time: sol.time.clone(),
        voltage: sol.voltage(),
    };
    let volts = triphase::fit::solve::voltages_at(&sol, &times, &curve);
    // the cycler's current: 2 A m-2 out, nothing, 2 A m-2 in (a step's first sample is its own)
    let amps = |t: f64| {
        if t < 7200.0 {
            -2.0 * area
        } else if t < 9000.0 {
            0.0
        } else {
            2.0 * area
        }
    };
    let mut text = String::from("Test Time / s,Voltage / V,Current / A\n");
    for (t, v) in times.iter().zip(&volts) {
        // a cycler's clock need not start at zero
        text.push_str(&format!("{},{v},{}\n", t + 100.0, amps(*t)));
    }
    std::fs::write(dir.join("record.csv"), text).unwrap();
    let spec = r#"
[fit]
cell = "li-o2-ideal-anode"

[[parameter]]
name = "Cathode exchange current density [A.m-2]"
lower = 1e-7
upper = 1e-4
scale = "log"
initial = 1.5e-5

[[data]]
name = "record"
file = "record.csv"
sigma = 0.002
"#;
    let mut base = FitSpec::from_toml_str(spec, "protocol.toml", &dir).unwrap();
    let d = &base.data[0];
    assert_eq!(d.steps.len(), 3, "{:?}", d.steps);
    assert_eq!(d.time[0], 0.0);
    // the derived protocol reproduces the record of the true cell (solver tolerance)
    let derived = Experiment::parse(&d.steps).unwrap();
    let sol = simulate(
        &cell,
        &derived,
        &SolverOptions {
            rtol: 1e-6,
            snapshot_times: times.clone(),
            ..SolverOptions::default()
        },
    )
    .unwrap();
    let curve = triphase::fit::Curve {
        time: sol.time.clone(),
        voltage: sol.voltage(),
    };
    let again = triphase::fit::solve::voltages_at(&sol, &times, &curve);
    let worst = again
        .iter()
        .zip(&volts)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(worst < 1e-5, "largest difference {worst} V");
    // and the fit finds the exchange current (the other values are the truth's already)
    base.cell = cell.clone();
    base.cell
        .set_param("test", "Cathode exchange current density [A.m-2]", 1.5e-5)
        .unwrap();
    let result = fit(&base, &FitOptions::default());
    let p = &result.parameters[0];
    assert!((p.value / 5e-6 - 1.0).abs() < 1e-4, "{}", p.value);
}
