//! Integration tests driving the real `triphase` binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn triphase(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_triphase"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("triphase-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn run_without_arguments_simulates_the_default_cell() {
    let o = triphase(&["run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(
        s.contains("li-o2")
            && s.contains("discharge capacity")
            && s.contains("lower voltage cut-off"),
        "{s}"
    );
}

#[test]
fn json_summary_has_the_contract_keys() {
    let o = triphase(&[
        "run",
        "-e",
        "Discharge at 0.2 mA cm-2 for 5 hours",
        "-e",
        "Charge at 0.2 mA cm-2 until 4.5 V",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for key in [
        "discharge_capacity_mAh_cm2",
        "end_voltage_V",
        "electrons_per_O2",
        "stop_reason",
        "steps",
        "solver",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert!((v["discharge_capacity_mAh_cm2"].as_f64().unwrap() - 1.0).abs() < 1e-6);
    let steps = v["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2);
    for key in [
        "kind",
        "duration_s",
        "capacity_mAh_cm2",
        "start_voltage_V",
        "end_voltage_V",
    ] {
        assert!(steps[0].get(key).is_some(), "step lacks {key}");
    }
    assert_eq!(steps[0]["kind"], "discharge");
    assert_eq!(steps[1]["kind"], "charge");
    assert!(v["solver"]["steps"].as_u64().unwrap() > 10);
    assert!(v["solver"]["wall_time_s"].as_f64().is_some());
}

#[test]
fn out_writes_bdf_csv_summary_and_plot() {
    let dir = tempdir("out");
    let o = triphase(&[
        "run",
        "-e",
        "Discharge at 0.5 mA cm-2 until 2.0 V",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = std::fs::read_to_string(dir.join("timeseries.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    for col in ["Test Time / s", "Voltage / V", "Current / A"] {
        assert!(header.contains(&col), "missing {col}");
    }
    // BDF: charge current positive, so a discharge is negative
    let i_col = header.iter().position(|c| *c == "Current / A").unwrap();
    let row: Vec<&str> = csv.lines().nth(5).unwrap().split(',').collect();
    let current: f64 = row[i_col].parse().unwrap();
    assert!((current + 0.5e-3).abs() < 1e-12, "{current}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["stop_reason"], "lower_voltage_cutoff");
    let svg = std::fs::read_to_string(dir.join("voltage.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("polyline"));
}

#[test]
fn set_and_mesh_change_the_simulation() {
    let base = triphase(&[
        "run",
        "--json",
        "-e",
        "Discharge at 0.5 mA cm-2 until 2.0 V",
    ]);
    let low = triphase(&[
        "run",
        "--json",
        "-e",
        "Discharge at 0.5 mA cm-2 until 2.0 V",
        "--set",
        "O2 partial pressure [Pa]=20000",
        "--mesh",
        "cathode=30,separator=6",
    ]);
    assert!(
        base.status.success() && low.status.success(),
        "{}",
        stderr(&low)
    );
    let q = |o: &Output| {
        serde_json::from_str::<serde_json::Value>(&stdout(o)).unwrap()["discharge_capacity_mAh_cm2"]
            .as_f64()
            .unwrap()
    };
    assert!(q(&low) < 0.5 * q(&base));
}

#[test]
fn cell_file_is_read() {
    let dir = tempdir("cellfile");
    let path = dir.join("thin.toml");
    std::fs::write(
        &path,
        "[cell]\nname = \"thin cathode\"\n[parameters]\n\"Cathode thickness [m]\" = { value = 100e-6, source = \"test\" }\n",
    )
    .unwrap();
    let o = triphase(&[
        "run",
        path.to_str().unwrap(),
        "-e",
        "Discharge at 0.5 mA cm-2 until 2.0 V",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("thin cathode"));
}

/// Every bad input: exit code 2, no panic, a message naming what and where.
#[test]
fn bad_input_is_rejected_with_a_clear_message() {
    let dir = tempdir("bad");
    let malformed = dir.join("malformed.toml");
    std::fs::write(&malformed, "[parameters\n\"Cathode thickness [m]\" = 1\n").unwrap();
    let unknown_key = dir.join("unknown.toml");
    std::fs::write(&unknown_key, "[parameters]\n\"Flux capacitance [F]\" = 1\n").unwrap();
    let negative = dir.join("negative.toml");
    std::fs::write(
        &negative,
        "[parameters]\n\"Separator thickness [m]\" = -25e-6\n",
    )
    .unwrap();
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (
            vec!["run", malformed.to_str().unwrap()],
            vec!["malformed.toml", "line 1"],
        ),
        (
            vec!["run", unknown_key.to_str().unwrap()],
            vec!["unknown.toml", "Flux capacitance [F]"],
        ),
        (
            vec!["run", negative.to_str().unwrap()],
            vec!["negative.toml", "Separator thickness [m]", "(0, 0.01]"],
        ),
        (
            vec!["run", "--set", "Cathode porosity [-]=1.2"],
            vec!["Cathode porosity [-]", "(0, 1)"],
        ),
        (
            vec!["run", "--set", "Cathode thickness [um]=100"],
            vec!["wrong unit", "Cathode thickness [m]"],
        ),
        (
            vec!["run", "--set", "Nonsense [m]=1"],
            vec!["unknown parameter", "Nonsense [m]"],
        ),
        (
            vec!["run", "--set", "Cathode thickness [m]=thick"],
            vec!["not a number"],
        ),
        (
            vec!["run", "-e", "Discharge at 0.1 mA cm-2 for ever"],
            vec!["step 1", "a number (a duration)"],
        ),
        (
            vec![
                "run",
                "-e",
                "Discharge at 0.1 mA cm-2 until 2.0 V",
                "-e",
                "Dance",
            ],
            vec!["step 2", "\"Dance\""],
        ),
        (vec!["run", "no-such-cell"], vec!["no-such-cell", "li-o2"]),
        (
            vec!["run", "missing.toml"],
            vec!["missing.toml", "cannot read"],
        ),
        (
            vec!["run", "--mesh", "cathode=1"],
            vec!["cathode = 1", "[2, 2000]"],
        ),
        (vec!["run", "--rtol", "5"], vec!["--rtol"]),
    ];
    for (args, needles) in cases {
        let o = triphase(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        for n in needles {
            assert!(err.contains(n), "{args:?}: {err:?} lacks {n:?}");
        }
    }
}

#[test]
fn params_lists_every_parameter_with_its_source() {
    let o = triphase(&["params"]);
    assert!(o.status.success());
    let s = stdout(&o);
    assert!(s.contains("O2 diffusivity [m2.s-1]") && s.contains("Laoire"));
    assert_eq!(s.lines().count(), 1 + triphase::params::REGISTRY.len());
}

#[test]
fn li_air_reports_the_anode_ledger() {
    let o = triphase(&[
        "run",
        "li-air",
        "-e",
        "Discharge at 0.1 mA cm-2 for 2 hours",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let anode = &v["anode"];
    // every mechanism of the ledger, the sweep dataset's columns among them
    for key in triphase::sweep::run::LOSS_MECHANISMS {
        assert!(
            anode["metal_loss_mol_m2"][key].as_f64().is_some(),
            "metal_loss_mol_m2 lacks {key}"
        );
    }
    for key in [
        "sei_thickness_m",
        "layer_resistance_ohm_cm2",
        "sei_composition_mol_m2",
        "dendrite_length_m",
        "metal_remaining_mol_m2",
    ] {
        assert!(anode.get(key).is_some(), "anode lacks {key}");
    }
    assert!(anode["metal_loss_mol_m2"]["H2O"].as_f64().unwrap() > 0.0);
    // the layers grew from the native SEI's rho L0 (2e5 Ohm m x 10 nm = 20 Ohm cm2)
    assert!(anode["layer_resistance_ohm_cm2"].as_f64().unwrap() > 20.0);
    let frac = v["electrolyte_remaining_fraction"].as_f64().unwrap();
    assert!(frac > 0.9 && frac < 1.0, "{frac}");
    // the readable summary shows the ledger too
    let o = triphase(&["run", "li-air", "-e", "Discharge at 0.1 mA cm-2 for 1 hour"]);
    let s = stdout(&o);
    assert!(
        s.contains("metal lost") && s.contains("SEI") && s.contains("electrolyte left"),
        "{s}"
    );
}

#[test]
fn energy_reports_theoretical_practical_and_pack() {
    let dir = tempdir("energy");
    let svg = dir.join("energy.svg");
    let o = triphase(&[
        "energy",
        "--json",
        "--plot",
        svg.to_str().unwrap(),
        "-e",
        "Discharge at 0.5 mA cm-2 until 2.0 V",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let th = v["theoretical"].as_array().unwrap();
    assert_eq!(th.len(), 6);
    assert!((th[0]["E0_V"].as_f64().unwrap() - 2.96).abs() < 0.01);
    let p = &v["practical"];
    let cell = p["specific_energy_charged_Wh_kg"].as_f64().unwrap();
    let pack = p["pack"]["specific_energy_Wh_kg"].as_f64().unwrap();
    assert!(
        cell > 0.0
            && pack > 0.0
            && pack < cell
            && cell < th[0]["energy_product_Wh_kg"].as_f64().unwrap()
    );
    assert!(v["references"].as_array().unwrap().len() >= 2);
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<rect"));
    let o = triphase(&["energy"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("Li-O2 (Li2O2)") && stdout(&o).contains("Pack"));
}

#[test]
fn cycling_json_and_cycles_csv() {
    let dir = tempdir("cycles");
    let o = triphase(&[
        "run",
        "-e",
        "Discharge at 0.2 mA cm-2 until 0.5 mAh cm-2 or until 2.0 V",
        "-e",
        "Charge at 0.2 mA cm-2 until 0.5 mAh cm-2 or until 4.5 V",
        "--cycles",
        "3",
        "--json",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let cycles = v["cycles"].as_array().unwrap();
    assert_eq!(cycles.len(), 3);
    for key in [
        "discharge_capacity_mAh_cm2",
        "charge_capacity_mAh_cm2",
        "end_of_discharge_voltage_V",
        "end_of_charge_voltage_V",
        "coulombic_efficiency",
        "energy_efficiency",
        "electrons_per_O2",
        "metal_loss_mol_m2",
    ] {
        assert!(cycles[2].get(key).is_some(), "cycle lacks {key}");
    }
    // alive: end_of_life present with null fields
    assert!(v["end_of_life"]["cycle"].is_null() && v["end_of_life"]["failure_mode"].is_null());
    let csv = std::fs::read_to_string(dir.join("cycles.csv")).unwrap();
    assert_eq!(csv.lines().count(), 4);
    // the cycle axes are labelled with whole cycles only (their ticks fall every half cycle)
    let svg = std::fs::read_to_string(dir.join("cycles.svg")).unwrap();
    let ticks: Vec<&str> = svg
        .split("text-anchor=\"middle\"")
        .skip(1)
        .filter_map(|t| t.split_once('>').and_then(|(_, r)| r.split_once("</text>")))
        .map(|(label, _)| label.trim())
        .filter(|l| !l.is_empty() && !l.contains(' ') && *l != "Cycle")
        .collect();
    assert_eq!(ticks, ["1", "2", "3", "1", "2", "3"], "{ticks:?}");
    // until end of life in humid air
    let o = triphase(&[
        "run",
        "li-air",
        "-e",
        "Discharge at 0.1 mA cm-2 until 0.2 mAh cm-2 or until 2.0 V",
        "-e",
        "Charge at 0.1 mA cm-2 until 0.2 mAh cm-2 or until 4.5 V",
        "--until-eol",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["end_of_life"]["cycle"].as_u64().unwrap() >= 1);
    // open to the air, its electrolyte dries out (cycle 46)
    assert_eq!(
        v["end_of_life"]["failure_mode"].as_str().unwrap(),
        "dry_out"
    );
    let o = triphase(&["run", "--cycles", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--cycles"));
}

#[test]
fn ctrl_c_writes_what_was_computed_and_exits_cleanly() {
    let dir = tempdir("interrupt");
    let child = long_run(&dir);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(signal(&child, "-INT"));
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(
        err.contains("interrupted") && !err.contains("panicked"),
        "{err}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["stop_reason"], "interrupted");
    assert!(!summary["cycles"].as_array().unwrap().is_empty());
}

/// Starts a long cycling run (the cathode-only cell lives through thousands of cycles) writing
/// CSV, Parquet, charts and the report into `dir`.
fn long_run(dir: &std::path::Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_triphase"))
        .args([
            "run",
            "li-o2-ideal-anode",
            "-e",
            "Discharge at 0.2 mA cm-2 until 0.5 mAh cm-2 or until 2.0 V",
            "-e",
            "Charge at 0.2 mA cm-2 until 0.5 mAh cm-2 or until 4.5 V",
            "--cycles",
            "100000",
            "--record-cycles",
            "all",
            "--format",
            "both",
            "--report",
            "--out",
            dir.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Sends `sig` to the child; whether it was delivered (the process may be gone already).
fn signal(child: &std::process::Child, sig: &str) -> bool {
    Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether the output file at `path` is complete (by its format's end marker or structure).
fn complete(path: &std::path::Path) -> Result<(), String> {
    let b = std::fs::read(path).map_err(|e| e.to_string())?;
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let text = || String::from_utf8_lossy(&b).into_owned();
    let ok = match path.extension().and_then(|e| e.to_str()) {
        Some("csv") => {
            let t = text();
            let mut lines = t.lines();
            let width = lines.next().map_or(0, |h| h.split(',').count());
            t.ends_with('\n') && width > 0 && lines.all(|l| l.split(',').count() == width)
        }
        Some("json") => serde_json::from_slice::<serde_json::Value>(&b).is_ok(),
        Some("parquet") => {
            let file = std::fs::File::open(path).unwrap();
            parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
                .and_then(|r| r.build())
                .map(|r| r.into_iter().all(|batch| batch.is_ok()))
                .unwrap_or(false)
        }
        Some("png") => b.starts_with(b"\x89PNG\r\n\x1a\n") && b.ends_with(b"IEND\xaeB`\x82"),
        Some("svg") => text().trim_end().ends_with("</svg>"),
        Some("html") => text().trim_end().ends_with("</html>"),
        _ => return Err(format!("unexpected file {name}")),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{name} is incomplete ({} bytes)", b.len()))
    }
}

#[test]
fn sigterm_writes_what_was_computed_like_ctrl_c() {
    let dir = tempdir("sigterm");
    let child = long_run(&dir);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    signal(&child, "-TERM");
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["stop_reason"], "interrupted");
    for stem in [
        "timeseries.csv",
        "timeseries.parquet",
        "voltage.png",
        "report.html",
    ] {
        complete(&dir.join(stem)).unwrap();
    }
}

#[test]
fn a_run_killed_at_any_moment_leaves_complete_files_or_none() {
    // SIGINT or SIGTERM at a pseudo-random moment, then SIGKILL shortly after, often while the
    // files are being written: every output file is complete or absent
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    for attempt in 0..10 {
        let dir = tempdir(&format!("kill-{attempt}"));
        let child = long_run(&dir);
        std::thread::sleep(std::time::Duration::from_millis(300 + next(1200)));
        signal(&child, if attempt % 2 == 0 { "-INT" } else { "-TERM" });
        std::thread::sleep(std::time::Duration::from_millis(next(400)));
        signal(&child, "-KILL");
        let _ = child.wait_with_output().unwrap();
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            // temporary files are hidden and removed by the next run into the directory
            if !name.starts_with('.') {
                complete(&e.path()).unwrap_or_else(|m| panic!("attempt {attempt}: {m}"));
            }
        }
    }
}

#[test]
fn compare_runs_every_cell_with_one_protocol() {
    let dir = tempdir("compare");
    let o = triphase(&[
        "compare",
        "li-o2",
        "li-air",
        "-e",
        "Discharge at 0.2 mA cm-2 for 2 hours",
        "--json",
        "--report",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(report.contains("id=\"fig-compare\"") && report.contains("Anode ledgers"));
    // each cell links to its own report, which exists
    for link in ["1-li-o2/report.html", "2-li-air/report.html"] {
        assert!(report.contains(link) && dir.join(link).exists(), "{link}");
    }
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let cells: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["cell"].as_str().unwrap())
        .collect();
    assert_eq!(cells, ["li-o2", "li-air"]);
    assert!(dir.join("compare.svg").exists() && dir.join("1-li-o2").join("summary.json").exists());
    let o = triphase(&["compare", "li-o2", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    // a step the last cell cannot run (a voltage cut-off on a symmetric cell) is refused
    // before the first cell runs: nothing is written
    let dir = tempdir("compare-refused");
    let o = triphase(&[
        "compare",
        "li-o2",
        "li-li-o2",
        "-e",
        "Discharge at 0.2 mA cm-2 for 2 hours or until 2.0 V",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("symmetric cell li-li-o2") && stderr(&o).contains("until 2.0 V"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.join("1-li-o2").exists());
}

#[test]
fn materials_list_and_show_document_the_library() {
    let o = triphase(&["materials", "list", "--kind", "solid-electrolyte"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(
        s.contains("latp") && s.contains("udpe") && !s.contains("li-foil"),
        "{s}"
    );
    let o = triphase(&["materials", "show", "lii-layer"]);
    let s = stdout(&o);
    assert!(
        s.contains("mechanism")
            && s.contains("Protective layer RM+ permeability [m2.s-1]")
            && s.contains("references")
            && s.contains("shuttle Lower"),
        "{s}"
    );
    let o = triphase(&["materials", "show", "lii-layer", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["kind"], "protection");
    let o = triphase(&["materials", "show", "unobtainium"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown"), "{}", stderr(&o));
    let o = triphase(&["materials", "list", "--kind", "cheese"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("solid-electrolyte"), "{}", stderr(&o));
}

#[test]
fn cell_show_resolves_components_and_errors_name_the_section() {
    let dir = tempdir("compose");
    let f = dir.join("na.toml");
    std::fs::write(
        &f,
        "[cell]\npreset = \"li-air\"\n[anode]\ncomponent = \"na-foil\"\n[electrolyte]\ncomponent = \"naotf-degdme\"\nadditives = [\"lino3\"]\n[atmosphere]\ncomponent = \"dry-air\"\n\"O2 partial pressure [Pa]\" = 30000\n",
    )
    .unwrap();
    let path = f.to_str().unwrap();
    let o = triphase(&["cell", "show", path, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["metal"], "Na");
    assert_eq!(v["components"]["product"], "nao2");
    let p = v["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "O2 partial pressure [Pa]")
        .unwrap();
    assert_eq!(p["value"], 30000.0);
    assert!(p["from"].as_str().unwrap().starts_with("file"));
    let p = v["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Metal molar volume [m3.mol-1]")
        .unwrap();
    assert_eq!(p["from"], "component na-foil");
    assert!(v["warnings"][0].as_str().unwrap().contains("lino3"));
    // the warning reaches stderr of a run
    let o = triphase(&["run", path, "-e", "Rest for 1 hour", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning"), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        v["anode"]["sei_composition_mol_m2"]["Na2O2"]
            .as_f64()
            .unwrap()
            > 0.0
    );

    std::fs::write(&f, "[anode]\ncomponent = \"k-foil\"\n").unwrap();
    let o = triphase(&["cell", "show", path]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("[electrolyte] component") && e.contains("kpf6-dme"),
        "{e}"
    );
}

#[test]
fn superoxide_presets_run_from_the_command_line() {
    let dir = tempdir("superoxide");
    for preset in ["na-o2", "k-o2"] {
        // the cathode reaction alone (no O2 lost at the metal, no side reaction): one
        // electron per O2
        let f = dir.join(format!("{preset}-ideal.toml"));
        std::fs::write(
            &f,
            format!("[cell]\npreset = \"{preset}\"\n[options]\ncorrosion = false\nsei_growth = \"none\"\nsei_cracking = false\ndead_metal = false\ndendrites = false\nelectrolyte_loss = false\nparasitic = false\n"),
        )
        .unwrap();
        let o = triphase(&["run", f.to_str().unwrap(), "--json"]);
        assert!(o.status.success(), "{preset}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let r = v["electrons_per_O2"].as_f64().unwrap();
        assert!((r - 1.0).abs() < 0.01, "{preset}: {r}");
    }
}

#[test]
fn experiment_files_and_the_storage_protocol() {
    let dir = tempdir("protocol");
    let f = dir.join("cycling.toml");
    std::fs::write(
        &f,
        "[experiment]\nsteps = [\"Discharge at 0.2 mA cm-2 for 2.5 hours or until 2.0 V\", \"Charge at 0.2 mA cm-2 for 2.5 hours or until 4.5 V\"]\ncycles = 3\n",
    )
    .unwrap();
    let o = triphase(&["run", "--protocol", f.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["cycles"].as_array().unwrap().len(), 3);
    // the command line overrides the file's cycle count
    let o = triphase(&[
        "run",
        "--protocol",
        f.to_str().unwrap(),
        "--cycles",
        "2",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["cycles"].as_array().unwrap().len(), 2);
    std::fs::write(
        &f,
        "[experiment]\nsteps = [\"Discharge at 0.2 mA cm-2 for 2.5 hourz\"]\n",
    )
    .unwrap();
    let o = triphase(&["run", "--protocol", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("[experiment] steps"), "{}", stderr(&o));

    // a cycler record: its protocol read from the current (charge positive), from its first
    // sample (the clock starts at 5 s); without a current column, the error names the column
    let rec = dir.join("record.csv");
    let mut text = String::from("Test Time / s,Voltage / V,Current / A\n");
    for k in 0..=20 {
        let t = 60 * k;
        let i = if t < 600 {
            -1e-4
        } else if t < 900 {
            0.0
        } else {
            1e-4
        };
        text.push_str(&format!("{},2.7,{i}\n", t + 5));
    }
    std::fs::write(&rec, text).unwrap();
    let o = triphase(&[
        "run",
        "li-o2",
        "--protocol",
        rec.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let steps: Vec<&str> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        [
            "Discharge at 0.1 mA for 600 seconds",
            "Rest for 300 seconds",
            "Charge at 0.1 mA for 300 seconds"
        ]
    );
    std::fs::write(&rec, "Test Time / s,Voltage / V\n0,2.7\n10,2.7\n").unwrap();
    let o = triphase(&["run", "li-o2", "--protocol", rec.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("record.csv") && stderr(&o).contains("Current / A"),
        "{}",
        stderr(&o)
    );

    // storage in humid air: corrosion deepens, sublinearly as the SEI thickens
    let depth = |hours: &str| {
        let o = triphase(&["run", "li-air", "--storage", hours, "--json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["anode"]["corrosion_depth_m"].as_f64().unwrap()
    };
    let (d1, d4) = (depth("25"), depth("100"));
    assert!(d1 > 0.0 && d4 > d1 && d4 < 4.0 * d1, "{d1} {d4}");
}

/// Parses a CSV written by triphase: header and rows of optional numbers (empty = undefined).
fn read_csv(path: &std::path::Path) -> (Vec<String>, Vec<Vec<Option<f64>>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| l.split(',').map(|v| v.parse().ok()).collect())
        .collect();
    (header, rows)
}

#[test]
fn parquet_holds_the_same_tables_as_csv() {
    use arrow_array::{Array, Float64Array, Int64Array};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let dir = tempdir("parquet");
    let o = triphase(&[
        "run",
        "-e",
        "Discharge at 0.2 mA cm-2 for 2 hours",
        "-e",
        "Charge at 0.2 mA cm-2 for 2 hours",
        "--cycles",
        "2",
        "--format",
        "both",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for stem in ["timeseries", "cycles", "profiles"] {
        let (header, rows) = read_csv(&dir.join(format!("{stem}.csv")));
        let file = std::fs::File::open(dir.join(format!("{stem}.parquet"))).unwrap();
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        let meta = builder.schema().metadata().clone();
        assert_eq!(meta["triphase.cell"], "li-o2");
        let batches: Vec<_> = builder.build().unwrap().map(|b| b.unwrap()).collect();
        let n: usize = batches.iter().map(|b| b.num_rows()).sum();
        assert_eq!(n, rows.len(), "{stem}: rows");
        assert!(n > 0);
        let schema = batches[0].schema();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names, header, "{stem}: columns");
        let mut r0 = 0;
        for b in &batches {
            for (k, col) in b.columns().iter().enumerate() {
                for i in 0..b.num_rows() {
                    let csv = rows[r0 + i][k];
                    let pq = if let Some(a) = col.as_any().downcast_ref::<Float64Array>() {
                        (!a.is_null(i)).then(|| a.value(i))
                    } else {
                        let a = col.as_any().downcast_ref::<Int64Array>().unwrap();
                        Some(a.value(i) as f64)
                    };
                    // CSV prints the shortest text that reads back to the same double
                    assert_eq!(pq, csv, "{stem} row {} column {}", r0 + i, header[k]);
                }
            }
            r0 += b.num_rows();
        }
    }
    // parquet alone writes no CSV
    let dir2 = tempdir("parquet-only");
    let o = triphase(&[
        "run",
        "--format",
        "parquet",
        "--out",
        dir2.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir2.join("timeseries.parquet").exists() && !dir2.join("timeseries.csv").exists());
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(path: &std::path::Path) -> (u32, u32) {
    let b = std::fs::read(path).unwrap();
    assert_eq!(&b[..8], b"\x89PNG\r\n\x1a\n", "{}", path.display());
    let be = |r: std::ops::Range<usize>| u32::from_be_bytes(b[r].try_into().unwrap());
    (be(16..20), be(20..24))
}

#[test]
fn charts_come_as_svg_and_png_with_profiles_at_chosen_times() {
    let dir = tempdir("charts");
    let o = triphase(&[
        "run",
        "-e",
        "Discharge at 0.2 mA cm-2 for 3 hours",
        "--profiles-at",
        "0,1,2.5",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for stem in ["voltage", "profiles"] {
        let svg = std::fs::read_to_string(dir.join(format!("{stem}.svg"))).unwrap();
        let attr = |name: &str| -> u32 {
            let i = svg.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            svg[i..].split('"').next().unwrap().parse().unwrap()
        };
        assert_eq!(
            png_size(&dir.join(format!("{stem}.png"))),
            (attr("width"), attr("height"))
        );
    }
    let (header, rows) = read_csv(&dir.join("profiles.csv"));
    assert_eq!(header[..2], ["Time [s]", "x [m]"]);
    let mut times: Vec<f64> = rows.iter().map(|r| r[0].unwrap()).collect();
    times.dedup();
    assert_eq!(times.len(), 3, "{times:?}");
    // the solver's states at exactly the times asked
    assert_eq!(times, [0.0, 3600.0, 9000.0]);
    // 10 separator + 40 cathode volumes at each time
    assert_eq!(rows.len(), 3 * 50);
    let svg = std::fs::read_to_string(dir.join("profiles.svg")).unwrap();
    assert!(svg.contains("t = 1.0") && svg.contains("Dissolved O2"));
    let o = triphase(&[
        "run",
        "--profiles-at",
        "1,-2",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--profiles-at"), "{}", stderr(&o));
    // the energy chart goes to PNG by its name
    let png = dir.join("energy.png");
    let o = triphase(&["energy", "--plot", png.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(png_size(&png).0 > 100);
}

/// Chromium from TRIPHASE_CHROMIUM or PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TRIPHASE_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| {
            ["chromium", "chromium-browser", "google-chrome"]
                .into_iter()
                .map(move |n| d.join(n))
        })
        .find(|p| p.is_file())
}

#[test]
fn html_report_is_self_contained_and_renders_in_headless_chromium() {
    let dir = tempdir("report");
    let o = triphase(&[
        "run",
        "-e",
        "Discharge at 0.2 mA cm-2 for 2 hours",
        "-e",
        "Charge at 0.2 mA cm-2 for 2 hours",
        "--cycles",
        "3",
        "--report",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = dir.join("report.html");
    let html = std::fs::read_to_string(&report).unwrap();
    // readable offline: nothing fetched, nothing executed
    for external in ["src=", "href=\"http", "<link", "<script", "@import", "url("] {
        assert!(!html.contains(external), "report refers to {external}");
    }
    for id in [
        "fig-voltage",
        "fig-cycles",
        "fig-anode_ledger",
        "fig-profiles",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "missing {id}");
    }
    assert!(html.contains("Anode ledger") && html.contains("Cathode porosity [-]"));

    check_in_chromium(&dir, &report, &html, 4);
}

#[test]
fn symmetric_cells_from_preset_and_cell_file() {
    let o = triphase(&[
        "run",
        "li-li-o2",
        "-e",
        "Discharge at 2 mA cm-2 for 30 minutes",
        "-e",
        "Charge at 2 mA cm-2 for 30 minutes",
        "--cycles",
        "300",
        "--until-eol",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let cycles = v["cycles"].as_array().unwrap();
    assert!(cycles.len() > 3);
    let pol: Vec<f64> = cycles
        .iter()
        .map(|c| c["max_polarisation_V"].as_f64().unwrap())
        .collect();
    assert!(pol.iter().all(|&p| p > 0.0 && p < 1.0), "{pol:?}");
    // stripping sheds the SEI, so the polarisation levels off and dendrites end the run
    assert_eq!(v["end_of_life"]["failure_mode"], "short_circuit");
    assert!(v["electrons_per_O2"].is_null());

    let dir = tempdir("symmetric");
    let file = dir.join("na-sym.toml");
    std::fs::write(
        &file,
        "[cell]\npreset = \"na-o2\"\ntype = \"symmetric\"\nname = \"Na|Na\"\n",
    )
    .unwrap();
    let o = triphase(&["cell", "show", file.to_str().unwrap()]);
    assert!(stdout(&o).contains("symmetric cell"), "{}", stdout(&o));
    let o = triphase(&[
        "run",
        file.to_str().unwrap(),
        "-e",
        "Discharge at 0.5 mA cm-2 for 1 hour",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["end_voltage_V"].as_f64().unwrap() < 0.0);
    // a voltage cut-off has no meaning here: refused, naming the step
    let o = triphase(&[
        "run",
        "li-li-o2",
        "-e",
        "Discharge at 1 mA cm-2 until 2.0 V",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("until 2.0 V") && stderr(&o).contains("symmetric"));
    let o = triphase(&["run", "--set", "Maximum polarisation [V]=0"]);
    assert_eq!(o.status.code(), Some(2));
}

/// `triphase validate` runs the built-in cases, writes the report and exits 0 when every case
/// ends as expected; a case whose expectation is wrong makes it exit 1 and name the case.
#[test]
fn validate_reports_and_exits_by_expectation() {
    let dir = tempdir("validate");
    let o = triphase(&["validate", "--out", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("ether-discharge-electrons-per-o2")
            && text.contains("differ from their expected outcome")
    );
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("doi.org/10.3390/batteries6030036") && html.contains("<svg"));
    assert!(dir.join("gns-rate-capacity.png").exists());
    // the same case with the opposite expectation is reported as a regression
    let cases = tempdir("validate-cases");
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../validation/ether-discharge-electrons-per-o2.toml"
    ))
    .unwrap();
    let flipped = src.replace(
        "expected = \"pass\"",
        "expected = \"fail\"\nexpected_reason = \"a deliberately wrong expectation for the test\"",
    );
    std::fs::write(cases.join("flipped.toml"), flipped).unwrap();
    let o = triphase(&["validate", "--dir", cases.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("flipped"), "{}", stderr(&o));
    let o = triphase(&["validate", "no-such-case"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("available"), "{}", stderr(&o));
}

/// Renders `report` (whose text is `html`) in headless Chromium: the parsed document holds
/// every chart and table, the page logs no error, and a screenshot is taken. Skipped without
/// Chromium unless TRIPHASE_REQUIRE_CHROMIUM is set.
fn check_in_chromium(dir: &Path, report: &Path, html: &str, min_svg: usize) {
    let required = std::env::var_os("TRIPHASE_REQUIRE_CHROMIUM").is_some();
    let Some(browser) = chromium() else {
        assert!(
            !required,
            "TRIPHASE_REQUIRE_CHROMIUM is set but no chromium was found"
        );
        eprintln!("chromium not found: rendering check skipped");
        return;
    };
    let profile = dir.join("chromium-profile");
    let shot = dir.join("report.png");
    let url = format!("file://{}", report.canonicalize().unwrap().display());
    let common = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ];
    let run = |extra: &[String]| {
        Command::new(&browser)
            .args(common)
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .arg(&url)
            .output()
            .expect("chromium starts")
    };
    let dom = run(&["--dump-dom".to_string()]);
    assert!(dom.status.success(), "{}", stderr(&dom));
    let dom_text = stdout(&dom);
    // the parsed document holds every chart and table the file holds
    assert_eq!(
        dom_text.matches("<svg").count(),
        html.matches("<svg").count()
    );
    assert_eq!(
        dom_text.matches("<table").count(),
        html.matches("<table").count()
    );
    assert!(dom_text.matches("<svg").count() >= min_svg);
    let log = stderr(&dom);
    // page-level messages (console output, script errors, failed loads), not the browser's
    // own complaints about the machine (no D-Bus, no GPU)
    for bad in ["Uncaught", ":CONSOLE", "net::ERR_"] {
        assert!(!log.contains(bad), "chromium reported {bad}:\n{log}");
    }
    let png = run(&[
        format!("--screenshot={}", shot.display()),
        "--window-size=1200,2400".to_string(),
    ]);
    assert!(png.status.success(), "{}", stderr(&png));
    assert_eq!(png_size(&shot), (1200, 2400));
}

#[test]
fn validation_report_renders_in_headless_chromium() {
    let dir = tempdir("validation-report");
    let o = triphase(&["validate", "--out", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = dir.join("report.html");
    let html = std::fs::read_to_string(&report).unwrap();
    // nothing fetched or executed (links to the sources' DOIs are plain anchors)
    for external in ["src=", "<link", "<script", "@import", "url("] {
        assert!(!html.contains(external), "report refers to {external}");
    }
    let cases = triphase::validation::builtin_cases().unwrap().len();
    check_in_chromium(&dir, &report, &html, cases);
}

/// A comparison in which one cell fails to solve prints its table (the failed cell's row
/// holds what was computed) and exits 1 naming the cell; the failed run's summary.json
/// carries the failure: cycle, step, time and the solver's message.
#[test]
fn a_failed_cell_fails_the_comparison_and_its_summary_says_why() {
    let dir = tempdir("compare-fail");
    let bad = dir.join("bad.toml");
    // 1 mA cm-2 through an electrolyte of 1e-12 S/m: no consistent state exists (with the
    // carbon's double layer one does, at -1e9 V, and the step ends at once on the voltage
    // cut-off; without it the start fails)
    std::fs::write(
        &bad,
        "[cell]\npreset = \"li-o2-ideal-anode\"\nname = \"bad\"\n[options]\ndouble_layer = false\n\
         [parameters]\n\
         \"Electrolyte conductivity [S.m-1]\" = { value = 1e-12, source = \"test\" }\n",
    )
    .unwrap();
    let steps = ["-e", "Discharge at 1 mA cm-2 for 10 minutes"];
    let mut args = vec!["compare", "li-o2-ideal-anode", bad.to_str().unwrap()];
    args.extend(steps);
    let o = triphase(&args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("li-o2-ideal-anode") && out.contains("bad") && out.contains("Q_dis sum"));
    assert!(out.contains("solver failure (cycle 1, step 1)"), "{out}");
    assert!(
        stderr(&o).contains("1 cell(s) failed to solve: bad"),
        "{}",
        stderr(&o)
    );

    let run_dir = dir.join("run");
    let mut args = vec![
        "run",
        bad.to_str().unwrap(),
        "--out",
        run_dir.to_str().unwrap(),
    ];
    args.extend(steps);
    let o = triphase(&args);
    assert_eq!(o.status.code(), Some(1));
    // a run that cannot start names the values set for it
    assert!(
        stderr(&o).contains("likely cause: \"Electrolyte conductivity [S.m-1]\" = 1e-12"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("end voltage         - (no state was computed)"));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run_dir.join("summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["stop_reason"], "solver_failure");
    let f = &summary["failure"];
    assert_eq!(f["cycle"], 1);
    assert_eq!(f["step_index"], 1);
    assert_eq!(f["step"], "Discharge at 1 mA cm-2 for 10 minutes");
    assert!(f["message"].as_str().unwrap().contains("consistent"), "{f}");
}

/// The text summary names the components, gives the plateau as the mid-capacity voltage and
/// the capacity per gram of carbon; a storage run says how long it lasted, why it ended early
/// and how fast the metal corroded; round-off prints as 0.
#[test]
fn the_text_summary_says_what_a_reader_needs() {
    let o = triphase(&["run"]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(
        out.contains("components: anode li-foil | product li2o2"),
        "{out}"
    );
    assert!(
        out.contains("(mid-capacity)") && out.contains("mAh per g of carbon"),
        "{out}"
    );
    let o = triphase(&["run", "li-air", "--storage", "720"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("(ended early: end of life in cycle 1: dry out)"),
        "{out}"
    );
    assert!(
        out.contains("corrosion depth") && out.contains("nm per hour"),
        "{out}"
    );
    // no negative zeros and no round-off amounts (exponents of -13 and below)
    let round_off = |w: &str| {
        w.split_once("e-").is_some_and(|(_, e)| {
            e.trim_end_matches(|c: char| !c.is_ascii_digit())
                .parse::<i32>()
                .is_ok_and(|x| x >= 13)
        })
    };
    assert!(!out.contains("-0.0000"), "{out}");
    assert!(!out.split_whitespace().any(round_off), "{out}");
}

/// Negative or fractional counts and out-of-range numbers on the command line are refused with
/// the allowed range (exit 2), not clap's tip about '--'.
#[test]
fn bad_numbers_on_the_command_line_name_the_range() {
    for (args, expect) in [
        (
            vec!["run", "--cycles", "-1"],
            "whole number of cycles in [1, 100000]",
        ),
        (
            vec!["run", "--cycles", "1.5"],
            "whole number of cycles in [1, 100000]",
        ),
        (
            vec!["run", "--rtol", "-1"],
            "outside the allowed range (0, 0.01]",
        ),
        (
            vec!["run", "--storage", "-5"],
            "number of hours in (0, 10000]",
        ),
        (vec!["bench", "--repeat", "0"], "repetitions in [1, 10000]"),
        (
            vec!["run", "--skip-cycles", "-3"],
            "--skip-cycles: -3: the cycle-skipping tolerance must be a positive number",
        ),
        (
            vec!["run", "-e", "Rest for 1e308 hours"],
            "at most 10000 hours",
        ),
    ] {
        let o = triphase(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(expect), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("tip:"), "{args:?}: {}", stderr(&o));
    }
}

/// The rules between parameters are checked after every override, whatever their order, and
/// a cell that would start clogged is refused.
#[test]
fn parameter_rules_do_not_depend_on_the_order_of_overrides() {
    let a = "Initial metal thickness [m]=1e-8";
    let b = "Minimum metal thickness [m]=1e-9";
    let step = ["-e", "Discharge at 0.01 mA cm-2 for 1 minute", "--json"];
    for (first, second) in [(a, b), (b, a)] {
        let mut args = vec!["run", "--set", first, "--set", second];
        args.extend(step);
        let o = triphase(&args);
        assert!(o.status.success(), "{first} then {second}: {}", stderr(&o));
    }
    for bad in [
        "Minimum cathode porosity [-]=0.9",
        "Cathode porosity [-]=0.005",
    ] {
        let o = triphase(&["run", "--set", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(stderr(&o).contains("would start clogged"), "{}", stderr(&o));
    }
}

/// Every example cell file the README names loads and runs (the fit and sweep files,
/// `fit-*.toml` and `sweep-*.toml`, run in their own tests).
#[test]
fn every_example_cell_runs() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut n = 0;
    for f in std::fs::read_dir(&dir).unwrap() {
        let f = f.unwrap().path();
        let fit_file = f.file_name().is_some_and(|n| {
            let n = n.to_string_lossy();
            n.starts_with("fit-") || n.starts_with("sweep-")
        });
        if f.extension().is_some_and(|e| e == "toml") && !fit_file {
            let o = triphase(&[
                "run",
                f.to_str().unwrap(),
                "-e",
                "Discharge at 0.1 mA cm-2 for 10 minutes",
                "--json",
            ]);
            assert!(o.status.success(), "{}: {}", f.display(), stderr(&o));
            n += 1;
        }
    }
    assert!(n >= 5, "{n} example cells");
}

/// A storage run is charted against time (voltage, and corrosion depth with the metal lost by
/// mechanism); a cycling run draws every step from zero capacity.
#[test]
fn storage_and_cycling_charts_have_the_right_axes() {
    let dir = tempdir("storage-charts");
    let o = triphase(&[
        "run",
        "li-air",
        "--storage",
        "24",
        "--out",
        dir.to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let voltage = std::fs::read_to_string(dir.join("voltage.svg")).unwrap();
    assert!(voltage.contains("Time [h]") && !voltage.contains("capacity"));
    let corrosion = std::fs::read_to_string(dir.join("corrosion.svg")).unwrap();
    assert!(corrosion.contains("Corrosion depth [um]") && corrosion.contains("H2O"));
    assert!(dir.join("corrosion.png").exists());
    let dir = tempdir("cycling-charts");
    let o = triphase(&[
        "run",
        "li-o2-ideal-anode",
        "-e",
        "Discharge at 0.5 mA cm-2 for 1 hour",
        "-e",
        "Charge at 0.5 mA cm-2 for 1 hour",
        "--cycles",
        "3",
        "--out",
        dir.to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let voltage = std::fs::read_to_string(dir.join("voltage.svg")).unwrap();
    assert!(voltage.contains("Capacity passed in the step [mAh cm-2]"));
    assert!(voltage.contains("cycle 1") && voltage.contains("cycle 3"));
}

/// `triphase fit` on the shipped example (synthetic data with 2 mV noise from known values):
/// the 95 % intervals in fit.json cover the values the data were made with, the fitted cell
/// file runs and reproduces the target, the chart is written; a bad fit file is refused with
/// its file and key.
#[test]
fn fit_recovers_the_example_values_and_writes_a_fitted_cell() {
    let dir = tempdir("fit");
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/fit-li-o2.toml");
    let o = triphase(&["fit", example, "-q", "--out", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("95 % interval"), "{}", stdout(&o));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("fit.json")).unwrap()).unwrap();
    let truth = [5e-6, 4e-10, 0.25];
    for (p, t) in json["parameters"].as_array().unwrap().iter().zip(truth) {
        let (lo, hi) = (
            p["interval_95"][0].as_f64().unwrap(),
            p["interval_95"][1].as_f64().unwrap(),
        );
        assert!(lo <= t && t <= hi, "{p}");
    }
    assert!(dir.join("fit.png").exists() && dir.join("fit.svg").exists());
    let fitted = dir.join("fitted.toml");
    let text = std::fs::read_to_string(&fitted).unwrap();
    assert!(text.contains("fitted to 0.1 mA cm-2"), "{text}");
    let o = triphase(&[
        "run",
        fitted.to_str().unwrap(),
        "-e",
        "Discharge at 0.5 mA cm-2 until 2.0 V",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let run: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let q = run["discharge_capacity_mAh_cm2"].as_f64().unwrap();
    assert!((q - 2.18).abs() < 0.05, "{q}");

    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "[fit]\ncell = \"li-o2\"\n[[parameter]]\nname = \"Cathode thickness [m]\"\nlower = 1e-5\nupper = 1\n\
         [[target]]\nname = \"q\"\nsteps = [\"Discharge at 0.1 mA cm-2 until 2.0 V\"]\nquantity = \"discharge-capacity\"\nvalue = 1\nsigma = 0.1\n",
    )
    .unwrap();
    let o = triphase(&["fit", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("bad.toml") && e.contains("Cathode thickness [m]"),
        "{e}"
    );
}

/// `triphase eis`: spectra of the fresh cell and at points of a protocol, as a table, JSON and
/// files (impedance.py's CSV, Nyquist and Bode charts); an impossible request is refused.
#[test]
fn eis_gives_spectra_at_the_points_asked_and_writes_its_charts() {
    let dir = tempdir("eis");
    let o = triphase(&[
        "eis",
        "li-air",
        "--storage",
        "24",
        "--at",
        "start",
        "--at",
        "end",
        "--from",
        "1e6",
        "--to",
        "0.1",
        "--per-decade",
        "5",
        "--json",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let spectra = v.as_array().unwrap();
    assert_eq!(spectra.len(), 2);
    assert_eq!(spectra[1]["at"], "end");
    let f = spectra[0]["frequency_hz"].as_array().unwrap();
    assert_eq!(f.len(), 36);
    // 24 h in humid air thicken the layers on the lithium: more resistance at 1 Hz
    let re = |s: &serde_json::Value| s["z_real_ohm_m2"][30].as_f64().unwrap();
    assert!(re(&spectra[1]) > re(&spectra[0]));
    for name in [
        "impedance_1.csv",
        "impedance_2.csv",
        "spectra.csv",
        "eis.json",
        "nyquist.svg",
        "nyquist.png",
        "bode.png",
    ] {
        assert!(dir.join(name).exists(), "{name}");
    }
    let o = triphase(&["eis", "--at", "after cycle 2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("without a protocol"), "{}", stderr(&o));
    let o = triphase(&["eis", "li-li-o2", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// `bench` reports the solver's work beside the timing: steps, LU setups, Newton iterations
/// (at least one per accepted step, the per-step figure their ratio), error-test failures and
/// restarts (none in a preset's discharge).
#[test]
fn bench_reports_the_solver_work_it_timed() {
    let o = triphase(&["bench", "li-o2-ideal-anode", "--repeat", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    let number_before = |label: &str| -> f64 {
        let end = s
            .find(label)
            .unwrap_or_else(|| panic!("no '{label}' in {s}"));
        let head = s[..end].trim_end();
        let start = head.rfind([' ', '(']).map_or(0, |i| i + 1);
        head[start..]
            .parse()
            .unwrap_or_else(|_| panic!("{label}: {s}"))
    };
    let steps = number_before(" BDF steps");
    let newton = number_before(" Newton iterations");
    let per_step = number_before(" per step");
    assert!(steps > 0.0 && number_before(" LU setups") >= 1.0, "{s}");
    assert!(newton >= steps, "{s}");
    assert!((per_step - newton / steps).abs() <= 0.005 + 1e-12, "{s}");
    assert_eq!(number_before(" error-test failures").fract(), 0.0, "{s}");
    assert_eq!(number_before(" restarts"), 0.0, "{s}");
}
