//! Design sweeps: the design lays runs where it says, each run is the cell it names, and the
//! dataset is the same bytes whatever the threads, shards or interruptions.

use std::path::{Path, PathBuf};

use triphase::sweep::{self, dataset, Design, ExecuteOptions, Level, Shard, SweepSpec};
use triphase::{simulate, Cell, Experiment, SolverOptions};

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("triphase-sweep-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn spec(text: &str) -> SweepSpec {
    SweepSpec::resolved(text, "test sweep", &sweep::spec::preset_text("li-o2")).unwrap()
}

const THICKNESS: &str = r#"
[sweep]
cell = "li-o2"
design = "DESIGN"
SAMPLES

[experiment]
steps = ["Discharge at 0.1 mA cm-2 until 2.0 V"]

[[axis]]
parameter = "Cathode thickness [m]"
lower = 50e-6
upper = 400e-6
scale = "log"
POINTS

[[axis]]
parameter = "O2 partial pressure [Pa]"
values = [2e4, 1e5]
"#;

fn thickness_sweep(design: &str, samples: Option<usize>) -> SweepSpec {
    let text = THICKNESS
        .replace("DESIGN", design)
        .replace(
            "SAMPLES",
            &samples.map_or(String::new(), |n| format!("samples = {n}\nseed = 3")),
        )
        .replace("POINTS", if samples.is_none() { "points = 4" } else { "" });
    spec(&text)
}

fn value(l: &Level) -> f64 {
    match l {
        Level::Value(v) => *v,
        Level::Component(c) => panic!("component {c}"),
    }
}

#[test]
fn a_grid_runs_every_combination_with_the_first_axis_slowest() {
    let s = thickness_sweep("grid", None);
    assert_eq!(s.run_count(), 8);
    let levels: Vec<(f64, f64)> = (0..8)
        .map(|r| {
            let l = s.levels(r);
            (value(&l[0]), value(&l[1]))
        })
        .collect();
    // log-spaced thickness, both ends included: 50, 100, 200, 400 um
    for (k, want) in [50e-6, 100e-6, 200e-6, 400e-6].into_iter().enumerate() {
        for j in 0..2 {
            let (t, p) = levels[2 * k + j];
            assert!((t / want - 1.0).abs() < 1e-12, "run {}: {t}", 2 * k + j);
            assert_eq!(p, [2e4, 1e5][j]);
        }
    }
}

#[test]
fn sampled_designs_stay_in_bounds_and_saltelli_swaps_one_column_at_a_time() {
    for design in ["latin-hypercube", "sobol"] {
        let s = thickness_sweep(design, Some(16));
        assert_eq!(s.run_count(), 16);
        for r in 0..16 {
            let l = s.levels(r);
            assert!((50e-6..=400e-6).contains(&value(&l[0])), "{design} run {r}");
            assert!([2e4, 1e5].contains(&value(&l[1])));
        }
    }
    let s = thickness_sweep("saltelli", Some(8));
    assert_eq!(s.design, Design::Saltelli);
    assert_eq!(s.run_count(), 8 * 4);
    for j in 0..8 {
        let row = |k: usize| s.levels(4 * j + k);
        let (a, ab1, ab2, b) = (row(0), row(1), row(2), row(3));
        // A with column i from B
        assert_eq!(ab1[0], b[0]);
        assert_eq!(ab1[1], a[1]);
        assert_eq!(ab2[0], a[0]);
        assert_eq!(ab2[1], b[1]);
        assert_ne!(a[0], b[0]);
    }
}

/// A run is exactly the cell the sweep names: its capacity equals that of the cell built by
/// hand with the same value, bit for bit.
#[test]
fn a_run_is_the_cell_at_its_levels() {
    let s = thickness_sweep("grid", None);
    let r = sweep::run_one(&s, 5, None).unwrap();
    let levels = s.levels(5);
    assert!((value(&levels[0]) / 200e-6 - 1.0).abs() < 1e-12);
    let mut cell = Cell::preset("li-o2").unwrap();
    cell.set_param("test", "Cathode thickness [m]", value(&levels[0]))
        .unwrap();
    cell.set_param("test", "O2 partial pressure [Pa]", 1e5)
        .unwrap();
    let exp = Experiment::parse(&["Discharge at 0.1 mA cm-2 until 2.0 V"]).unwrap();
    let sol = simulate(&cell, &exp, &SolverOptions::default()).unwrap();
    let q = sol.cycle_summaries()[0].discharge_capacity_mAh_cm2;
    let got = r.output(&s, "Discharge capacity [mA.h.cm-2]").unwrap();
    assert_eq!(got.as_f64(), Some(q));
    assert_eq!(r.output(&s, "Status").unwrap(), "ok");
}

/// At 0.1 mA cm-2 in 1 atm O2 the capacity grows with the cathode's thickness (more pore
/// volume for the product); at every thickness it grows with the O2 pressure.
#[test]
fn capacity_rises_with_cathode_thickness_and_o2_pressure_across_the_grid() {
    let s = thickness_sweep("grid", None);
    let dir = tempdir("trend");
    let out = sweep::execute(&s, &dir, &ExecuteOptions::default()).unwrap();
    let q: Vec<f64> = out
        .records
        .iter()
        .map(|r| {
            r.output(&s, "Discharge capacity [mA.h.cm-2]")
                .and_then(|v| v.as_f64())
                .unwrap()
        })
        .collect();
    for k in 0..3 {
        assert!(
            q[2 * (k + 1) + 1] > q[2 * k + 1],
            "thickness step {k}: {q:?}"
        );
    }
    for k in 0..4 {
        assert!(q[2 * k + 1] > q[2 * k], "pressure at thickness {k}: {q:?}");
    }
}

fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

/// One thread, two threads, three shards merged, or a journal cut short and resumed: the
/// same bytes.
#[test]
fn threads_shards_and_resumes_give_the_same_dataset() {
    let s = thickness_sweep("latin-hypercube", Some(9));
    let one = tempdir("one");
    let options = |threads| ExecuteOptions {
        threads: Some(threads),
        ..Default::default()
    };
    let a = sweep::execute(&s, &one, &options(1)).unwrap();
    let reference = bytes(&a.dataset.unwrap());
    let two = tempdir("two");
    let b = sweep::execute(&s, &two, &options(2)).unwrap();
    assert_eq!(bytes(&b.dataset.unwrap()), reference, "2 threads");

    let shards: Vec<PathBuf> = (1..=3)
        .map(|i| {
            let d = tempdir(&format!("shard{i}"));
            let o = ExecuteOptions {
                shard: Some(Shard { index: i, count: 3 }),
                ..options(2)
            };
            let out = sweep::execute(&s, &d, &o).unwrap();
            assert_eq!(out.total, 3);
            d
        })
        .collect();
    let merged = tempdir("merged");
    let path = sweep::merge(&shards, &merged).unwrap();
    assert_eq!(bytes(&path), reference, "merged shards");
    // two shards of three do not make a sweep
    let err = sweep::merge(&shards[..2], &merged).unwrap_err().to_string();
    assert!(err.contains("3 of 9 runs missing"), "{err}");

    // a journal with four whole lines and half a fifth, as a kill mid-write leaves it
    let cut = tempdir("cut");
    std::fs::copy(one.join(dataset::IDENTITY), cut.join(dataset::IDENTITY)).unwrap();
    let journal = std::fs::read_to_string(one.join(dataset::JOURNAL)).unwrap();
    let lines: Vec<&str> = journal.lines().collect();
    let partial = format!(
        "{}\n{}",
        lines[..4].join("\n"),
        &lines[4][..lines[4].len() / 2]
    );
    std::fs::write(cut.join(dataset::JOURNAL), partial).unwrap();
    let c = sweep::execute(&s, &cut, &options(2)).unwrap();
    assert_eq!(c.resumed, 4);
    assert_eq!(bytes(&c.dataset.unwrap()), reference, "resumed");
    let journal = std::fs::read_to_string(cut.join(dataset::JOURNAL)).unwrap();
    assert_eq!(journal.lines().count(), 9, "every run exactly once");

    // the folder of another sweep is refused
    let other = thickness_sweep("latin-hypercube", Some(10));
    let err = sweep::execute(&other, &one, &options(1))
        .unwrap_err()
        .to_string();
    assert!(err.contains("another sweep"), "{err}");
}

/// A run whose cell cannot be built is a row with its error, not a lost sweep.
#[test]
fn an_impossible_cell_is_a_row_with_its_error() {
    let text = r#"
[sweep]
cell = "li-o2"
[experiment]
steps = ["Discharge at 0.1 mA cm-2 for 10 minutes"]
[[axis]]
slot = "anode"
components = ["li-foil", "na-foil"]
"#;
    let s = spec(text);
    let dir = tempdir("invalid");
    let out = sweep::execute(&s, &dir, &ExecuteOptions::default()).unwrap();
    assert_eq!(out.records[0].output(&s, "Status").unwrap(), "ok");
    let bad = &out.records[1];
    assert_eq!(bad.output(&s, "Status").unwrap(), "invalid");
    let msg = bad.output(&s, "Error").unwrap().as_str().unwrap();
    assert!(msg.contains("na"), "{msg}");
    let data = dataset::Dataset::read(&out.dataset.unwrap()).unwrap();
    assert_eq!(data.len(), 2);
}

#[test]
fn bad_sweep_files_name_the_key_and_the_allowed_range() {
    let cell = sweep::spec::preset_text("li-o2");
    let err = |text: &str| {
        SweepSpec::resolved(text, "s.toml", &cell)
            .unwrap_err()
            .to_string()
    };
    let base = "[sweep]\ncell = \"li-o2\"\n[experiment]\nsteps = [\"Discharge at 0.1 mA cm-2 until 2.0 V\"]\n";
    let e = err(&format!(
        "{base}[[axis]]\nparameter = \"Cathode porosity [-]\"\nvalues = [0.5, 1.5]\n"
    ));
    assert!(
        e.contains("s.toml") && e.contains("Cathode porosity [-]") && e.contains("allowed range"),
        "{e}"
    );
    let e = err(&format!(
        "{base}[[axis]]\nparameter = \"Cathode porosity [-]\"\nlower = 0.5\nupper = 0.8\n"
    ));
    assert!(e.contains("points"), "{e}");
    let e = err(&format!(
        "{base}[[axis]]\nslot = \"membrane\"\ncomponents = \"all\"\n"
    ));
    assert!(e.contains("unknown slot") && e.contains("separator"), "{e}");
    let e = err(&format!(
        "{base}[[axis]]\nslot = \"separator\"\ncomponents = [\"li-foil\"]\n"
    ));
    assert!(e.contains("does not fit the [separator] slot"), "{e}");
    let e = err(&base.replace("[sweep]\n", "[sweep]\ndesign = \"sobol\"\n"));
    assert!(e.contains("[[axis]]"), "{e}");
}

/// `components = "all"` takes every separator of the library that fits the cell's metal.
#[test]
fn all_components_of_a_slot_are_those_that_fit_the_metal() {
    let text = "[sweep]\ncell = \"li-o2\"\n[experiment]\nsteps = [\"Discharge at 0.1 mA cm-2 for 1 minute\"]\n[[axis]]\nslot = \"separator\"\ncomponents = \"all\"\n";
    let s = spec(text);
    let lib = triphase::components::Library::global().unwrap();
    let n = lib
        .all()
        .into_iter()
        .filter(|c| {
            triphase::components::Slot::Separator
                .kinds()
                .contains(&c.kind)
        })
        .filter(|c| c.fits(triphase::params::Metal::Li))
        .count();
    assert_eq!(s.run_count(), n);
    assert!(n >= 8, "{n}");
}
