//! `triphase sweep` driven through the real binary: a sweep killed at random moments by
//! SIGKILL, SIGTERM and SIGINT and rerun ends with the bytes of an uninterrupted one; the
//! report ranks, measures sensitivities and draws its charts.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, SystemTime};

fn triphase(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_triphase"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("triphase-sweep-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn example(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// A lighter copy of example `name` in `dir`: each `(from, to)` replaced once (each must be
/// there, so the copy follows the example as it changes). The signal and shard tests check
/// the sweep machinery, not the example's physics, which the report test and the library's
/// robustness test cover.
fn lighter_example(name: &str, dir: &Path, edits: &[(&str, &str)]) -> String {
    let mut text = std::fs::read_to_string(example(name)).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "{name} no longer holds {from:?}");
        text = text.replacen(from, to, 1);
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// xorshift64: the kill moments, from a seed printed for reproduction.
struct Moments(u64);

impl Moments {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn a_sweep_killed_at_random_moments_resumes_to_the_bytes_of_an_uninterrupted_one() {
    // the example's 18 designs, 4 cycles each instead of a life (~200 s of the suite)
    let files = tempdir("kill-files");
    let file = lighter_example(
        "sweep-li-air-protection.toml",
        &files,
        &[
            ("cycles = 200", "cycles = 4"),
            ("until_eol = true", "until_eol = false"),
        ],
    );
    let whole = tempdir("whole");
    let started = std::time::Instant::now();
    let o = triphase(&["sweep", &file, "--out", whole.to_str().unwrap(), "-q"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    // the first interruption lands within the first 80 % of an uninterrupted sweep's duration,
    // the k-th within 1/k of that (less is left to run each time)
    let window = (started.elapsed().as_millis() as u64 * 4 / 5).max(100);
    let reference = std::fs::read(whole.join("results.parquet")).unwrap();

    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("kill moments seed {seed}");
    let mut moments = Moments(seed);
    let cut = tempdir("cut");
    let signals = ["KILL", "TERM", "INT"];
    let mut kills = 0;
    let mut finished = false;
    for attempt in 0..40 {
        let child = Command::new(env!("CARGO_BIN_EXE_triphase"))
            .args(["sweep", &file, "--out", cut.to_str().unwrap(), "-q"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("binary starts");
        // four interruptions, then the sweep is let finish
        if kills < 4 {
            std::thread::sleep(Duration::from_millis(
                20 + moments.next() % (window / (kills + 1)),
            ));
            let signal = signals[(moments.next() % 3) as usize];
            let sent = Command::new("kill")
                .args(["-s", signal, &child.id().to_string()])
                .status()
                .expect("kill runs");
            let out = child.wait_with_output().unwrap();
            if out.status.success() {
                finished = true;
                break;
            }
            assert!(sent.success());
            kills += 1;
            // Ctrl-C and SIGTERM end the sweep cleanly: exit 130, the journal kept (a signal
            // that lands before the handler is installed kills the process outright)
            if signal != "KILL" && out.status.code().is_some() {
                assert_eq!(
                    out.status.code(),
                    Some(130),
                    "attempt {attempt} ({signal}): {}",
                    text(&out.stderr)
                );
                assert!(
                    text(&out.stderr).contains("rerun the same command"),
                    "{}",
                    text(&out.stderr)
                );
            }
        } else {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", text(&out.stderr));
            finished = true;
            break;
        }
    }
    eprintln!("{kills} interruptions");
    assert!(finished, "the sweep never finished");
    assert!(
        kills >= 1,
        "no interruption landed before the sweep finished"
    );
    let resumed = std::fs::read(cut.join("results.parquet")).unwrap();
    assert!(
        resumed == reference,
        "the resumed dataset differs (seed {seed}, {kills} kills)"
    );
    let journal = std::fs::read_to_string(cut.join("runs.jsonl")).unwrap();
    let mut runs: Vec<u64> = journal
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["run"]
                .as_u64()
                .unwrap()
        })
        .collect();
    runs.sort();
    assert_eq!(
        runs,
        (0..18).collect::<Vec<u64>>(),
        "every run exactly once"
    );
}

#[test]
fn the_report_ranks_the_designs_gives_sobol_indices_and_draws_its_charts() {
    let dir = tempdir("sobol");
    let o = triphase(&[
        "sweep",
        &example("sweep-li-o2-sobol.toml"),
        "--out",
        dir.to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("640 runs"), "{}", text(&o.stdout));
    let report = tempdir("sobol-report");
    let o = triphase(&[
        "sweep",
        "report",
        dir.to_str().unwrap(),
        "--json",
        "--out",
        report.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let r: serde_json::Value = serde_json::from_str(&text(&o.stdout)).unwrap();
    assert_eq!(r["metric"], "Discharge capacity [mA.h.cm-2]");
    assert_eq!(r["ok"], 640);
    let values: Vec<f64> = r["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["value"].as_f64().unwrap())
        .collect();
    assert_eq!(values.len(), 10);
    assert!(values.windows(2).all(|w| w[0] >= w[1]), "{values:?}");
    // O2 transport decides a 0.5 mA cm-2 discharge: its total index leads
    let total = |i: usize| {
        r["sensitivity"][i]["sensitivity"]["Sobol"]["total"]
            .as_f64()
            .unwrap()
    };
    assert!(
        total(1) > total(0) && total(1) > total(2),
        "{}",
        r["sensitivity"]
    );
    for f in [
        "report.html",
        "heat_map.svg",
        "heat_map.png",
        "metric_vs_axis_1.png",
        "metric_vs_axis_3.svg",
    ] {
        assert!(report.join(f).exists(), "{f}");
    }
    let html = std::fs::read_to_string(report.join("report.html")).unwrap();
    assert!(html.contains("Sobol first order"));

    let o = triphase(&[
        "sweep",
        "report",
        dir.to_str().unwrap(),
        "--metric",
        "Voltage",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("Cycle life"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn shards_merge_into_the_whole_sweep_and_list_shows_the_runs() {
    // the example's design with 16 base points instead of 128: 80 runs
    let files = tempdir("shard-files");
    let file = lighter_example(
        "sweep-li-o2-sobol.toml",
        &files,
        &[("samples = 128", "samples = 16")],
    );
    let o = triphase(&["sweep", &file, "--list", "--shard", "2/4"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let lines: Vec<String> = text(&o.stdout).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 1 + 20);
    assert!(
        lines[1].starts_with("1\t") && lines[2].starts_with("5\t"),
        "{lines:?}"
    );

    let whole = tempdir("whole-shards");
    assert!(triphase(&[
        "sweep",
        &file,
        "--out",
        whole.to_str().unwrap(),
        "-q",
        "--threads",
        "1"
    ])
    .status
    .success());
    let mut dirs = Vec::new();
    for i in 1..=2 {
        let d = tempdir(&format!("shard-{i}"));
        let shard = format!("{i}/2");
        let o = triphase(&[
            "sweep",
            &file,
            "--out",
            d.to_str().unwrap(),
            "-q",
            "--shard",
            &shard,
        ]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        dirs.push(d);
    }
    let merged = tempdir("merged");
    let o = triphase(&[
        "sweep",
        "merge",
        dirs[0].to_str().unwrap(),
        dirs[1].to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        std::fs::read(merged.join("results.parquet")).unwrap()
            == std::fs::read(whole.join("results.parquet")).unwrap()
    );
    let o = triphase(&[
        "sweep",
        "merge",
        dirs[0].to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("40 of 80 runs missing"),
        "{}",
        text(&o.stderr)
    );
}
