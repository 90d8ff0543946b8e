//! `triphase sweep`: run a sweep file into a resumable Parquet dataset; `sweep merge` combines
//! shards; `sweep report` ranks the designs and says which axes matter.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use triphase::sweep::analysis::{self, Sensitivity};
use triphase::sweep::dataset::{ColumnData, DATASET};
use triphase::sweep::{self, Dataset, Design, ExecuteOptions, Level, SweepSpec};
use triphase::InputError;

use crate::args::{SweepAction, SweepArgs};
use crate::error::CliError;
use crate::outln;
use crate::output;

/// Runs the command.
pub fn run_sweep(args: SweepArgs) -> Result<(), CliError> {
    match args.action {
        Some(SweepAction::Merge { shards, out }) => {
            let path = sweep::merge(&shards, &out)?;
            output::emit(&format!(
                "merged {} shard(s) into {}\n",
                shards.len(),
                path.display()
            ));
            Ok(())
        }
        Some(SweepAction::Report {
            dataset,
            metric,
            minimize,
            maximize,
            top,
            out,
            json,
        }) => {
            let direction = match (minimize, maximize) {
                (true, _) => Some(false),
                (_, true) => Some(true),
                _ => None,
            };
            report(
                &dataset,
                metric.as_deref(),
                direction,
                top as usize,
                out.as_deref(),
                json,
            )
        }
        None => {
            let file = args.file.clone().expect("clap requires the sweep file");
            execute(&file, &args)
        }
    }
}

fn execute(file: &Path, args: &SweepArgs) -> Result<(), CliError> {
    // first, so that a signal during start-up also ends the sweep cleanly
    let interrupt = crate::commands::interrupt_on_ctrl_c();
    let spec = SweepSpec::from_file(file)?;
    let total = spec.run_count();
    let design = format!(
        "{} over {} axes",
        match spec.design {
            Design::Grid => "grid",
            Design::LatinHypercube => "Latin hypercube",
            Design::Sobol => "Sobol sequence",
            Design::Saltelli => "Saltelli design",
        },
        spec.axes.len()
    );
    if args.list {
        let mut t = String::new();
        let names: Vec<&str> = spec.axes.iter().map(|a| a.name.as_str()).collect();
        outln!(t, "run\t{}", names.join("\t"));
        for r in 0..total {
            if args.shard.is_some_and(|s| !s.holds(r)) {
                continue;
            }
            let levels: Vec<String> = spec.levels(r).iter().map(level_text).collect();
            outln!(t, "{r}\t{}", levels.join("\t"));
        }
        output::emit(&t);
        return Ok(());
    }
    let dir = args.out.clone().unwrap_or_else(|| {
        PathBuf::from(format!(
            "{}-results",
            file.file_stem()
                .map_or("sweep".into(), |s| s.to_string_lossy())
        ))
    });
    let show = !args.quiet && std::io::stderr().is_terminal();
    let bar = show.then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:30} {pos}/{len} runs  {per_sec}  ETA {eta}  {msg}",
            )
            .expect("valid template"),
        );
        bar
    });
    let progress = bar.clone().map(|bar| -> sweep::ProgressFn {
        // the bar counts this start's runs (its rate and ETA must not count resumed ones)
        let resumed = std::sync::OnceLock::new();
        Arc::new(move |p: &sweep::Progress| {
            let offset = *resumed.get_or_init(|| p.done);
            bar.set_length((p.total - offset) as u64);
            bar.set_position((p.done - offset) as u64);
            if p.failed > 0 {
                bar.set_message(format!("{} failed", p.failed));
            }
        })
    });
    let options = ExecuteOptions {
        threads: args.threads.map(usize::from),
        shard: args.shard,
        interrupt: Some(interrupt.clone()),
        progress,
    };
    let start = Instant::now();
    let outcome = sweep::execute(&spec, &dir, &options)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let ran = outcome.records.len() - outcome.resumed;
    let failed = outcome.records.iter().filter(|r| !r.is_ok(&spec)).count();
    let threads = args
        .threads
        .map_or_else(rayon::current_num_threads, usize::from);
    let mut t = String::new();
    let secs = start.elapsed().as_secs_f64();
    outln!(
        t,
        "sweep {}: {} runs ({design}{}), {ran} run now in {secs:.1} s ({:.2} runs/s on {threads} threads), {} found finished; {} ok, {failed} failed",
        file.display(),
        outcome.total,
        args.shard.map(|s| format!(", shard {s}")).unwrap_or_default(),
        ran as f64 / secs.max(1e-9),
        outcome.resumed,
        outcome.records.len() - failed,
    );
    match &outcome.dataset {
        Some(path) => {
            outln!(t, "dataset: {}", path.display());
            if args.shard.is_none() {
                outln!(t, "next: triphase sweep report {}", dir.display());
            } else {
                outln!(
                    t,
                    "next: triphase sweep merge <every shard's folder> --out DIR"
                );
            }
            output::emit(&t);
            Ok(())
        }
        None => {
            output::emit(&t);
            Err(CliError::SweepInterrupted {
                done: outcome.records.len(),
                total: outcome.total,
                dir: dir.display().to_string(),
            })
        }
    }
}

fn level_text(l: &Level) -> String {
    match l {
        Level::Value(v) => format!("{v:e}"),
        Level::Component(c) => c.clone(),
    }
}

/// What the report shows, computed once for the text, JSON and HTML outputs.
#[derive(Debug, serde::Serialize)]
pub struct Report {
    /// The sweep file's text.
    #[serde(skip)]
    pub spec: SweepSpec,
    /// The dataset.
    pub dataset: String,
    /// The metric ranked.
    pub metric: String,
    /// Highest first (true) or lowest first.
    pub higher_is_better: bool,
    /// Runs in the dataset.
    pub runs: usize,
    /// Runs with status ok.
    pub ok: usize,
    /// Runs not ok: (run, status, error).
    pub not_ok: Vec<(i64, String, String)>,
    /// The best designs: run, axis levels, metric.
    pub ranking: Vec<RankedRun>,
    /// Sensitivity of the metric to each axis.
    pub sensitivity: Vec<AxisSensitivity>,
    /// Runs on the Pareto front of energy density and cycle life (cycling sweeps).
    pub pareto_front: Vec<i64>,
    /// Every run's metric (None where not ok), by row.
    #[serde(skip)]
    pub values: Vec<Option<f64>>,
    /// Rows (indices into the dataset) of the runs that are ok.
    #[serde(skip)]
    pub ok_rows: Vec<usize>,
    /// The dataset's columns.
    #[serde(skip)]
    pub data: Dataset,
}

/// One ranked design.
#[derive(Debug, serde::Serialize)]
pub struct RankedRun {
    /// Run index.
    pub run: i64,
    /// Axis levels (text).
    pub levels: Vec<String>,
    /// The metric.
    pub value: f64,
}

/// Sensitivity of the metric to one axis.
#[derive(Debug, serde::Serialize)]
pub struct AxisSensitivity {
    /// Axis name.
    pub axis: String,
    /// The measure (None when it could not be computed, e.g. a constant metric).
    pub sensitivity: Option<Sensitivity>,
}

/// Whether a higher value of `metric` is the better design.
fn higher_is_better(metric: &str) -> bool {
    let lower = [
        "Metal lost",
        "Mean charge voltage",
        "SEI thickness",
        "Corrosion scale",
        "Dendrite",
        "Solver steps",
    ];
    !lower.iter().any(|p| metric.starts_with(p))
}

fn cell_text(c: &ColumnData, row: usize) -> String {
    match c {
        ColumnData::Int(v) => v[row].map_or("–".into(), |x| x.to_string()),
        ColumnData::Float(v) => v[row].map_or("–".into(), |x| format!("{x:.4e}")),
        ColumnData::Text(v) => v[row].clone().unwrap_or_else(|| "–".into()),
        ColumnData::Bool(v) => v[row].map_or("–".into(), |x| x.to_string()),
    }
}

/// Builds the report of a dataset.
pub fn build_report(
    path: &Path,
    metric: Option<&str>,
    direction: Option<bool>,
    top: usize,
) -> Result<Report, CliError> {
    let file = if path.is_dir() {
        path.join(DATASET)
    } else {
        path.to_path_buf()
    };
    let data = Dataset::read(&file)?;
    let spec = data.spec.clone();
    let metric = metric.map(str::to_string).unwrap_or_else(|| {
        if spec.experiment.cycles > 1 {
            "Cycle life".into()
        } else {
            "Discharge capacity [mA.h.cm-2]".into()
        }
    });
    let bad = |message: String| {
        CliError::Input(InputError::Invalid {
            origin: format!("--metric \"{metric}\""),
            message,
        })
    };
    let numeric_outputs: Vec<&str> = triphase::sweep::run::OUTPUTS
        .iter()
        .filter(|c| {
            matches!(
                c.ty,
                triphase::sweep::run::ColumnType::Float | triphase::sweep::run::ColumnType::Int
            )
        })
        .map(|c| c.name)
        .collect();
    let column = data
        .column(&metric)
        .filter(|_| numeric_outputs.contains(&metric.as_str()))
        .ok_or_else(|| {
            bad(format!(
                "not a numeric output column (columns: {})",
                numeric_outputs.join(", ")
            ))
        })?;
    let higher = direction.unwrap_or_else(|| higher_is_better(&metric));
    let status = data.column("Status");
    let run_col = match data.column("Run") {
        Some(ColumnData::Int(v)) => v.clone(),
        _ => return Err(bad("the dataset has no Run column".into())),
    };
    let n = data.len();
    let is_ok =
        |r: usize| matches!(status, Some(ColumnData::Text(v)) if v[r].as_deref() == Some("ok"));
    let raw = column.numbers().unwrap_or_default();
    let values: Vec<Option<f64>> = (0..n)
        .map(|r| raw[r].filter(|x| x.is_finite() && is_ok(r)))
        .collect();
    let ok_rows: Vec<usize> = (0..n).filter(|&r| is_ok(r)).collect();
    let error = data.column("Error");
    let not_ok: Vec<(i64, String, String)> = (0..n)
        .filter(|&r| !is_ok(r))
        .map(|r| {
            (
                run_col[r].unwrap_or(r as i64),
                status.map_or("?".into(), |s| cell_text(s, r)),
                error.map_or(String::new(), |e| cell_text(e, r)),
            )
        })
        .collect();
    let mut order: Vec<usize> = (0..n).filter(|&r| values[r].is_some()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (values[a].unwrap_or(0.0), values[b].unwrap_or(0.0));
        let c = if higher {
            y.total_cmp(&x)
        } else {
            x.total_cmp(&y)
        };
        c.then(a.cmp(&b))
    });
    let axis_cols: Vec<&ColumnData> = spec
        .axes
        .iter()
        .map(|a| {
            data.column(&a.name)
                .ok_or_else(|| bad(format!("the dataset has no column \"{}\"", a.name)))
        })
        .collect::<Result<_, _>>()?;
    let ranking = order
        .iter()
        .take(top)
        .map(|&r| RankedRun {
            run: run_col[r].unwrap_or(r as i64),
            levels: axis_cols.iter().map(|c| cell_text(c, r)).collect(),
            value: values[r].unwrap_or(f64::NAN),
        })
        .collect();
    let numeric: Vec<Option<Vec<Option<f64>>>> = axis_cols.iter().map(|c| c.numbers()).collect();
    let labels: Vec<Option<Vec<Option<String>>>> = axis_cols
        .iter()
        .map(|c| match c {
            ColumnData::Text(v) => Some(v.clone()),
            _ => None,
        })
        .collect();
    let sens = analysis::sensitivities(&spec, &values, &numeric, &labels);
    let sensitivity = spec
        .axes
        .iter()
        .zip(sens)
        .map(|(a, s)| AxisSensitivity {
            axis: a.name.clone(),
            sensitivity: s,
        })
        .collect();
    let pareto_front = pareto(&data, &ok_rows)
        .into_iter()
        .map(|r| run_col[r].unwrap_or(r as i64))
        .collect();
    Ok(Report {
        spec,
        dataset: file.display().to_string(),
        metric,
        higher_is_better: higher,
        runs: n,
        ok: ok_rows.len(),
        not_ok,
        ranking,
        sensitivity,
        pareto_front,
        values,
        ok_rows,
        data,
    })
}

/// Energy density against cycle life: the rows on the Pareto front (cycling sweeps only).
pub fn pareto_points(data: &Dataset, ok_rows: &[usize]) -> Vec<(usize, f64, f64)> {
    if data.spec.experiment.cycles < 2 {
        return vec![];
    }
    let (Some(life), Some(energy)) = (
        data.column("Cycle life").and_then(ColumnData::numbers),
        data.column("Energy density [W.h.L-1]")
            .and_then(ColumnData::numbers),
    ) else {
        return vec![];
    };
    ok_rows
        .iter()
        .filter_map(|&r| Some((r, life[r]?, energy[r]?)))
        .collect()
}

fn pareto(data: &Dataset, ok_rows: &[usize]) -> Vec<usize> {
    analysis::pareto_front(&pareto_points(data, ok_rows))
}

pub(crate) fn sensitivity_text(s: &Option<Sensitivity>) -> String {
    match s {
        Some(Sensitivity::Sobol { first, total }) => {
            format!("Sobol first order {first:.3}, total {total:.3}")
        }
        Some(Sensitivity::RankCorrelation(r)) => format!("rank correlation {r:+.3}"),
        Some(Sensitivity::CorrelationRatio(e)) => format!("correlation ratio eta^2 {e:.3}"),
        None => "– (metric constant or too few runs)".into(),
    }
}

fn report(
    path: &Path,
    metric: Option<&str>,
    direction: Option<bool>,
    top: usize,
    out: Option<&Path>,
    json: bool,
) -> Result<(), CliError> {
    let r = build_report(path, metric, direction, top)?;
    if json {
        output::emit(&(serde_json::to_string_pretty(&r).expect("report serialises") + "\n"));
    } else {
        output::emit(&report_text(&r));
    }
    if let Some(dir) = out {
        output::create_dir(dir)?;
        crate::output::sweep::write_report(&r, dir)?;
    }
    Ok(())
}

fn report_text(r: &Report) -> String {
    let mut t = String::new();
    outln!(
        t,
        "{}: {} runs, {} ok; ranked by {} ({} first)",
        r.dataset,
        r.runs,
        r.ok,
        r.metric,
        if r.higher_is_better {
            "highest"
        } else {
            "lowest"
        }
    );
    let mut header: Vec<String> = vec!["rank".into(), "run".into()];
    header.extend(r.spec.axes.iter().map(|a| a.name.clone()));
    header.push(r.metric.clone());
    let rows: Vec<Vec<String>> = r
        .ranking
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let mut row = vec![(i + 1).to_string(), x.run.to_string()];
            row.extend(x.levels.iter().cloned());
            row.push(output_number(x.value));
            row
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|k| {
            rows.iter()
                .map(|row| row[k].chars().count())
                .chain(std::iter::once(header[k].chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        outln!(t, "  {}", cells.join("  ").trim_end());
    }
    outln!(t, "sensitivity of {} to each axis:", r.metric);
    for s in &r.sensitivity {
        outln!(t, "  {:<44} {}", s.axis, sensitivity_text(&s.sensitivity));
    }
    if !r.pareto_front.is_empty() {
        let runs: Vec<String> = r.pareto_front.iter().map(|x| x.to_string()).collect();
        outln!(
            t,
            "Pareto front of energy density [W.h.L-1] and cycle life: runs {}",
            runs.join(", ")
        );
    }
    for (run, status, error) in r.not_ok.iter().take(5) {
        outln!(t, "run {run}: {status}: {error}");
    }
    if r.not_ok.len() > 5 {
        outln!(t, "... and {} more runs not ok", r.not_ok.len() - 5);
    }
    t
}

fn output_number(v: f64) -> String {
    if v == v.round() && v.abs() < 1e9 {
        format!("{v:.0}")
    } else {
        format!("{v:.4e}")
    }
}
