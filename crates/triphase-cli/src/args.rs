//! Command-line grammar (clap). Parsed into [`Cli`] before any work starts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Simulate alkali metal–air batteries.
#[derive(Debug, Parser)]
#[command(name = "triphase", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a cell under an experiment (default: the li-o2 preset, one discharge).
    Run(RunArgs),
    /// Time repeated full discharges of a cell (release build recommended).
    Bench(BenchArgs),
    /// List every parameter of a cell with its value, allowed range and source.
    Params(ParamsArgs),
    /// Energy density: theoretical (all reactions), practical cell and pack for a design.
    Energy(EnergyArgs),
    /// Run the same experiment on several cells: one table, overlaid plots.
    Compare(CompareArgs),
    /// The component library: anodes, layers, electrolytes, additives, membranes, cathodes.
    #[command(subcommand)]
    Materials(MaterialsCommand),
    /// Inspect a cell.
    #[command(subcommand)]
    Cell(CellCommand),
    /// Run the validation cases (published measurements) and compare; exit 1 when a case's
    /// outcome differs from its expected one.
    Validate(ValidateArgs),
    /// Fit parameters of a cell to measured voltage curves and scalar targets (a fit file);
    /// print the values with their errors and correlations, write the fitted cell.
    Fit(FitArgs),
    /// Run a design sweep (a sweep file: base cell, protocol, axes, design) in parallel into a
    /// Parquet dataset; resumable (rerun the same command) and shardable (--shard I/N).
    Sweep(SweepArgs),
    /// Impedance spectra of a cell, linearised about its state: fresh, or at points of a
    /// protocol (--at "after cycle 10", "each cycle", "24 h", "end").
    Eis(EisArgs),
}

/// `triphase eis`.
#[derive(Debug, Args)]
pub struct EisArgs {
    /// The cell.
    #[command(flatten)]
    pub cell: CellArgs,
    /// The protocol run before the spectra are taken (none: the fresh cell).
    #[command(flatten)]
    pub protocol: ProtocolArgs,
    /// When: start, end, "after cycle N", "each cycle", or a time ("24 h", "600 s")
    /// (repeatable; default: start without a protocol, end with one).
    #[arg(long, value_name = "WHEN", value_parser = triphase::eis::At::parse)]
    pub at: Vec<triphase::eis::At>,
    /// Highest frequency [Hz].
    #[arg(long, default_value_t = 1e5, value_name = "HZ", value_parser = frequency)]
    pub from: f64,
    /// Lowest frequency [Hz].
    #[arg(long, default_value_t = 1e-2, value_name = "HZ", value_parser = frequency)]
    pub to: f64,
    /// Frequencies per decade.
    #[arg(long, default_value_t = 10, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub per_decade: u16,
    /// Write the spectra (spectra.csv; impedance_N.csv in impedance.py's format: f, Re Z,
    /// Im Z in Ohm for the cell's electrode area), eis.json and the Nyquist and Bode charts
    /// (SVG, PNG) here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print the spectra as JSON (frequency in Hz, impedance in Ohm m2).
    #[arg(long)]
    pub json: bool,
}

/// A frequency in (0, 1e9] Hz.
fn frequency(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(f) if f > 0.0 && f <= 1e9 => Ok(f),
        _ => Err("expected a frequency in (0, 1e9] Hz".into()),
    }
}

/// `triphase sweep`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct SweepArgs {
    /// Combine shards, or report on a dataset.
    #[command(subcommand)]
    pub action: Option<SweepAction>,
    /// The sweep file.
    #[arg(required = true, value_name = "SWEEP.toml")]
    pub file: Option<PathBuf>,
    /// Folder for the journal (runs.jsonl) and the dataset (results.parquet); rerunning with
    /// the same folder resumes (default: <file stem>-results).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Run only shard I of N (runs with index % N = I - 1); combine with `sweep merge`.
    #[arg(long, value_name = "I/N", value_parser = triphase::sweep::Shard::parse)]
    pub shard: Option<triphase::sweep::Shard>,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// List the runs (index and levels) without running them.
    #[arg(long)]
    pub list: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `triphase sweep merge|report`.
#[derive(Debug, Subcommand)]
pub enum SweepAction {
    /// Combine the output folders of a sweep's shards into one dataset (every run once).
    Merge {
        /// The shards' output folders.
        #[arg(required = true, value_name = "SHARD_DIR")]
        shards: Vec<PathBuf>,
        /// Write results.parquet here.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Rank the designs of a dataset by a metric, give each axis's sensitivity, and (with
    /// --out) write charts and an HTML report.
    Report {
        /// results.parquet, or the folder holding it.
        #[arg(value_name = "DATASET")]
        dataset: PathBuf,
        /// The metric: an output column (default: Cycle life for cycling, else Discharge
        /// capacity [mA.h.cm-2]).
        #[arg(long)]
        metric: Option<String>,
        /// Rank the lowest values first (default: by the metric's meaning, e.g. Metal lost
        /// ranks lowest first).
        #[arg(long, conflicts_with = "maximize")]
        minimize: bool,
        /// Rank the highest values first.
        #[arg(long)]
        maximize: bool,
        /// Designs shown in the ranking.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..))]
        top: u16,
        /// Write report.html and the charts (SVG, PNG) here.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Print the ranking and sensitivities as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `triphase fit`.
#[derive(Debug, Args)]
pub struct FitArgs {
    /// The fit file: base cell, parameters (bounds, scale), data sets, targets.
    #[arg(value_name = "FIT.toml")]
    pub file: PathBuf,
    /// Write fit.json, fitted.toml and the before/after chart (fit.svg, fit.png) here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print the result as JSON instead of the table.
    #[arg(long)]
    pub json: bool,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `triphase validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Cases to run (default: all).
    pub cases: Vec<String>,
    /// Read the cases from this folder instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Write the HTML report (report.html), the charts (SVG, PNG) and results.json here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print the results as JSON instead of the table.
    #[arg(long)]
    pub json: bool,
    /// List the cases without running them.
    #[arg(long)]
    pub list: bool,
}

/// `triphase materials ...`.
#[derive(Debug, Subcommand)]
pub enum MaterialsCommand {
    /// List the components (name, kind, metal, title).
    List {
        /// Only this kind: anode, protection, electrolyte, additive, solid-electrolyte,
        /// separator, cathode, product, atmosphere.
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show one component: parameters, mechanism, references, claims.
    Show {
        /// Component name (see `triphase materials list`).
        name: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `triphase cell ...`.
#[derive(Debug, Subcommand)]
pub enum CellCommand {
    /// The fully resolved cell: components, switches and every parameter with where its value
    /// came from (preset, component, file, override).
    Show {
        /// The cell.
        #[command(flatten)]
        cell: CellArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `triphase compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// TOML cell files or preset names (at least two).
    #[arg(required = true, num_args = 2..)]
    pub cells: Vec<String>,
    /// The experiment, run on every cell.
    #[command(flatten)]
    pub protocol: ProtocolArgs,
    /// Override a parameter in every cell (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Print JSON (one summary per cell) instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Write each cell's outputs and an overlaid voltage plot here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Contents of --out.
    #[command(flatten)]
    pub output: OutArgs,
}

/// `triphase energy`.
#[derive(Debug, Args)]
pub struct EnergyArgs {
    /// The cell.
    #[command(flatten)]
    pub cell: CellArgs,
    /// Experiment whose discharge sets capacity and mean voltage (default: 0.1 mA cm-2 to 2.0 V).
    #[arg(short = 'e', long = "experiment", value_name = "STEP")]
    pub steps: Vec<String>,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
    /// Write a bar chart (SVG, or PNG for a .png name) comparing theoretical, cell and pack energy densities.
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
}

/// Arguments shared by commands that build a cell.
#[derive(Debug, Clone, Args)]
pub struct CellArgs {
    /// TOML cell file or preset name.
    #[arg(default_value = "li-o2")]
    pub cell: String,
    /// Override a parameter: --set "O2 partial pressure [Pa]=20000" (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Mesh resolution per domain: --mesh cathode=80,separator=20.
    #[arg(long, value_name = "DOMAIN=N,...")]
    pub mesh: Option<String>,
}

/// The experiment: steps, cycles and the end-of-life rule (shared by `run` and `compare`).
#[derive(Debug, Clone, Args)]
pub struct ProtocolArgs {
    /// Experiment step, e.g. -e "Discharge at 0.1 mA cm-2 until 2.0 V" (repeatable, in order).
    #[arg(short = 'e', long = "experiment", value_name = "STEP")]
    pub steps: Vec<String>,
    /// Experiment file ([experiment] steps, cycles, until_eol; or storage_hours), or a cycler
    /// record (.csv, Battery Data Format with "Current / A"): its steps, read from the current.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["steps", "storage"])]
    pub protocol: Option<PathBuf>,
    /// Storage protocol: open-circuit rest for this many hours (corrosion depth vs time).
    #[arg(long, value_name = "HOURS", conflicts_with = "steps", allow_negative_numbers = true, value_parser = storage_hours)]
    pub storage: Option<f64>,
    /// Repeat the steps this many times.
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = cycle_count)]
    pub cycles: Option<usize>,
    /// Stop at end of life: a capacity-limited discharge that hits its voltage cut-off, or
    /// capacity below 80 % of the first cycle (default up to 1000 cycles).
    #[arg(long)]
    pub until_eol: bool,
}

/// Table format under `--out`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Comma-separated values.
    #[default]
    Csv,
    /// Apache Parquet (typed columns, nulls where undefined).
    Parquet,
    /// Both.
    Both,
}

/// What `--out` holds (shared by `run` and `compare`).
#[derive(Debug, Clone, Args)]
pub struct OutArgs {
    /// Table format for timeseries, cycles and profiles.
    #[arg(long, value_enum, default_value_t = Format::Csv, requires = "out")]
    pub format: Format,
    /// Times for the concentration profiles, in hours: --profiles-at 0,1.5,3 (saved by the
    /// solver at exactly those times; default: the start and the ends of up to four discharges
    /// of a run with several, otherwise five recorded points spread over the run).
    #[arg(
        long,
        value_name = "HOURS,...",
        value_delimiter = ',',
        requires = "out",
        allow_negative_numbers = true
    )]
    pub profiles_at: Option<Vec<f64>>,
    /// Also write a self-contained HTML report (report.html) with the charts and tables.
    #[arg(long, requires = "out")]
    pub report: bool,
    /// Recording cadence in seconds: points at every multiple from each step's start,
    /// interpolated by the solver, plus each step's first and last point (default: every
    /// solver step; a step's own "(N second period)" takes precedence).
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub period: Option<f64>,
    /// Which cycles keep their points in the time series: sparse (1-10, every 10th to 100,
    /// every 100th to 1000, ..., and the last: flat memory for long lives) or all. Step and
    /// cycle summaries cover every cycle either way.
    #[arg(long, value_enum, default_value_t = RecordCyclesArg::Sparse)]
    pub record_cycles: RecordCyclesArg,
}

/// `--record-cycles`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum RecordCyclesArg {
    /// 1-10, every 10th to 100, every 100th to 1000, ..., and the last.
    #[default]
    Sparse,
    /// Every cycle.
    All,
}

/// `triphase run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The cell.
    #[command(flatten)]
    pub cell: CellArgs,
    /// The experiment.
    #[command(flatten)]
    pub protocol: ProtocolArgs,
    /// Write time series, cycles and profiles (CSV or Parquet), summary.json and charts (SVG
    /// and PNG) here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Contents of --out.
    #[command(flatten)]
    pub output: OutArgs,
    /// Print the JSON summary to stdout instead of the readable one.
    #[arg(long)]
    pub json: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Solver relative tolerance (default 1e-6 for one cycle, 1e-4 for cycling: per-cycle
    /// metrics then agree with 1e-6 to ~1e-6 relative at a third of the cost).
    #[arg(long, value_name = "RTOL", allow_negative_numbers = true)]
    pub rtol: Option<f64>,
    /// Cycle skipping.
    #[command(flatten)]
    pub skip: SkipArgs,
}

/// `--skip-cycles`, shared by `run` and `bench`.
#[derive(Debug, Args)]
pub struct SkipArgs {
    /// Cycle skipping for long lives: extrapolate over cycles whose end states change
    /// smoothly, each jump erring by at most TOL error weights (atol + rtol |y|) in any state
    /// (default 10 when given without a value). Skipped cycles have no points or cycle rows;
    /// the totals and the final state include them.
    #[arg(
        long,
        value_name = "TOL",
        num_args = 0..=1,
        default_missing_value = "10",
        allow_negative_numbers = true
    )]
    pub skip_cycles: Option<f64>,
}

/// `triphase bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The cell.
    #[command(flatten)]
    pub cell: CellArgs,
    /// Number of timed repetitions.
    #[arg(long, default_value_t = 20, allow_negative_numbers = true, value_parser = repetitions)]
    pub repeat: usize,
    /// Experiment steps (default: one discharge at 0.1 mA cm-2 to 2.0 V).
    #[arg(short = 'e', long = "experiment", value_name = "STEP")]
    pub steps: Vec<String>,
    /// Repeat the steps this many times.
    #[arg(long, value_name = "N", default_value_t = 1, allow_negative_numbers = true, value_parser = cycle_count)]
    pub cycles: usize,
    /// Solver relative tolerance (default as for `run`).
    #[arg(long, value_name = "RTOL", allow_negative_numbers = true)]
    pub rtol: Option<f64>,
    /// Cycle skipping.
    #[command(flatten)]
    pub skip: SkipArgs,
}

/// `triphase params`.
#[derive(Debug, Args)]
pub struct ParamsArgs {
    /// The cell.
    #[command(flatten)]
    pub cell: CellArgs,
    /// Print a Markdown table (name, value, allowed range, source).
    #[arg(long)]
    pub markdown: bool,
}

/// `--cycles`: a whole number in [1, MAX_CYCLES].
fn cycle_count(s: &str) -> Result<usize, String> {
    let max = triphase::experiment::MAX_CYCLES;
    match s.trim().parse::<i64>() {
        Ok(n) if (1..=max as i64).contains(&n) => Ok(n as usize),
        _ => Err(format!("expected a whole number of cycles in [1, {max}]")),
    }
}

/// `--repeat`: a whole number in [1, 10000].
fn repetitions(s: &str) -> Result<usize, String> {
    match s.trim().parse::<i64>() {
        Ok(n) if (1..=10_000).contains(&n) => Ok(n as usize),
        _ => Err("expected a whole number of repetitions in [1, 10000]".into()),
    }
}

/// `--storage`: hours in (0, 10000].
fn storage_hours(s: &str) -> Result<f64, String> {
    let max = triphase::experiment::step::MAX_STEP_DURATION / 3600.0;
    match s.trim().parse::<f64>() {
        Ok(h) if h > 0.0 && h <= max => Ok(h),
        _ => Err(format!("expected a number of hours in (0, {max}]")),
    }
}
