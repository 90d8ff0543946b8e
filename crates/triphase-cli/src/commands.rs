//! Command implementations. Each builds a validated configuration first, then works.

use std::time::Instant;

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use triphase::experiment::{Experiment, DEFAULT_STEP};
use triphase::params::REGISTRY;

use triphase::solver::{CycleSkipping, Progress, ProgressHook};
use triphase::{simulate, Error, SolverOptions};

use crate::args::{
    BenchArgs, CellArgs, Command, CompareArgs, EnergyArgs, OutArgs, ParamsArgs, ProtocolArgs,
    RecordCyclesArg, RunArgs,
};
use crate::config::build_cell;
use crate::error::CliError;
use crate::outln;
use crate::output;

/// `run` with every default (used when `triphase` is called without a command).
pub fn default_run_args() -> RunArgs {
    match <crate::args::Cli as clap::Parser>::parse_from(["triphase", "run"]).command {
        Some(Command::Run(args)) => args,
        _ => unreachable!("\"run\" parses to the run command"),
    }
}

/// Runs a command.
pub fn dispatch(command: Command) -> Result<(), CliError> {
    match command {
        Command::Run(args) => run(args),
        Command::Bench(args) => bench(args),
        Command::Params(args) => params(args),
        Command::Energy(args) => energy(args),
        Command::Compare(args) => compare(args),
        Command::Materials(cmd) => crate::library::materials(cmd),
        Command::Cell(cmd) => crate::library::cell(cmd),
        Command::Validate(args) => crate::validate::validate(args),
        Command::Fit(args) => crate::fit::run_fit(args),
        Command::Sweep(args) => crate::sweep::run_sweep(args),
        Command::Eis(args) => crate::eis::run_eis(args),
    }
}

fn experiment(steps: &[String]) -> Result<Experiment, CliError> {
    if steps.is_empty() {
        Ok(Experiment::parse(&[DEFAULT_STEP])?)
    } else {
        Ok(Experiment::parse(steps)?)
    }
}

/// The experiment with its cycles and end-of-life rule from the command line.
pub(crate) fn cycling(protocol: &ProtocolArgs) -> Result<Experiment, CliError> {
    let default_cycles = if protocol.until_eol { 1000 } else { 1 };
    let base = if let Some(path) = &protocol.protocol {
        Experiment::from_file(path)?
    } else if let Some(hours) = protocol.storage {
        Experiment::storage(hours)?
    } else {
        experiment(&protocol.steps)?
    };
    // command-line cycles and end of life override the file's
    let cycles = protocol
        .cycles
        .or((protocol.protocol.is_none() || protocol.until_eol).then_some(default_cycles))
        .unwrap_or(base.cycles);
    let mut exp = base.with_cycles(cycles)?;
    if protocol.until_eol {
        exp = exp.with_end_of_life(triphase::experiment::EndOfLife::default());
    }
    Ok(exp)
}

/// Output options, validated.
fn out_options(args: &OutArgs) -> Result<output::OutputOptions, CliError> {
    if let Some(times) = &args.profiles_at {
        triphase::solution::check_profile_times("--profiles-at", times)?;
    }
    triphase::solver::check_output_period("--period", args.period)?;
    Ok(output::OutputOptions {
        period: args.period,
        record_cycles: match args.record_cycles {
            RecordCyclesArg::Sparse => triphase::solution::RecordCycles::Sparse,
            RecordCyclesArg::All => triphase::solution::RecordCycles::All,
        },
        format: args.format,
        profile_times_h: args.profiles_at.clone(),
        report: args.report,
    })
}

/// `--skip-cycles`: cycle skipping at the given tolerance.
fn skipping(tolerance: Option<f64>) -> Result<Option<CycleSkipping>, CliError> {
    Ok(CycleSkipping::from_option(tolerance, "--skip-cycles")?)
}

fn run(args: RunArgs) -> Result<(), CliError> {
    let cell = build_cell(&args.cell)?;
    let out_options = out_options(&args.output)?;
    let exp = cycling(&args.protocol)?;
    let solver_options = SolverOptions {
        cycle_skipping: skipping(args.skip.skip_cycles)?,
        ..out_options.recording(SolverOptions::for_experiment(&exp, args.rtol, "--rtol")?)
    };
    if let Some(dir) = &args.out {
        output::create_dir(dir)?;
    }
    // Ctrl-C stops the solver after its current step; what was computed is written below
    let interrupt = interrupt_on_ctrl_c();
    let bar = (exp.cycles > 1 && !args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(exp.cycles as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} cycle {pos}/{len} {msg} [{elapsed}]")
                .expect("valid template"),
        );
        bar
    });
    let hook = bar.clone().map(|bar| {
        ProgressHook(Arc::new(move |p: &Progress| {
            bar.set_position(p.cycle as u64);
            if let Some(m) = p.margin {
                bar.set_message(format!("failure margin {:+.3} V", m));
            }
        }))
    });
    let options = SolverOptions {
        interrupt: Some(interrupt.clone()),
        progress: hook,
        ..solver_options
    };
    let result = simulate(&cell, &exp, &options);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let (solution, failure) = match result {
        Ok(sol) => (sol, None),
        Err(Error::Input(e)) => return Err(e.into()),
        Err(Error::Solver(f)) => ((*f.partial).clone(), Some(f)),
    };
    if let Some(dir) = &args.out {
        output::write_all(&solution, &cell, dir, &out_options)?;
    }
    if args.json {
        output::emit(&(output::summary_json(&solution) + "\n"));
    } else {
        output::print_summary(&solution, &cell, args.out.as_deref());
    }
    match failure {
        None if interrupt.load(Ordering::Relaxed) => Err(CliError::Interrupted {
            time: solution.time.last().copied().unwrap_or(0.0),
        }),
        None => Ok(()),
        Some(f) => {
            if args.out.is_some() {
                eprintln!("partial results up to t = {:.1} s were written", f.time);
            }
            if f.time == 0.0 && f.cycle == 1 && f.step_index == 1 {
                eprintln!("{}", start_failure_hint(&cell));
            }
            Err(CliError::Solver(f))
        }
    }
}

/// What to check when a run cannot start: the values set for this run (overrides and the
/// cell file's own), which are the likely cause when the library's cells start.
fn start_failure_hint(cell: &triphase::Cell) -> String {
    let set: Vec<String> = cell
        .provenance
        .iter()
        .filter(|(_, p)| {
            matches!(
                p,
                triphase::cell::Provenance::Override | triphase::cell::Provenance::File { .. }
            )
        })
        .filter_map(|(name, _)| {
            triphase::params::find(name).map(|spec| {
                let v = (spec.get)(&cell.params);
                format!("\"{name}\" = {}", triphase::params::number_text(v))
            })
        })
        .collect();
    if set.is_empty() {
        "hint: the cell cannot carry the first step from its initial state (a current beyond what \
         its electrolyte, kinetics or O2 supply can carry?)"
            .to_string()
    } else {
        format!(
            "hint: no consistent state exists at t = 0 with these inputs; the values set for this run \
             are the likely cause: {}",
            set.join(", ")
        )
    }
}

fn bench(args: BenchArgs) -> Result<(), CliError> {
    let cell = build_cell(&args.cell)?;
    let exp = experiment(&args.steps)?.with_cycles(args.cycles)?;
    let repeat = args.repeat.max(1);
    let options = SolverOptions {
        cycle_skipping: skipping(args.skip.skip_cycles)?,
        ..SolverOptions::for_experiment(&exp, args.rtol, "--rtol")?
    };
    // warm-up run, also reports the work done; a failed solve is reported, not fatal: its
    // partial run is what gets timed
    let (first, failure) = match simulate(&cell, &exp, &options) {
        Ok(sol) => (sol, None),
        Err(Error::Input(e)) => return Err(e.into()),
        Err(Error::Solver(f)) => ((*f.partial).clone(), Some(f.to_string())),
    };
    let mut times = Vec::with_capacity(repeat);
    for _ in 0..repeat {
        let t = Instant::now();
        let _ = simulate(&cell, &exp, &options);
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let mut text = String::new();
    let median = times[repeat / 2];
    outln!(
        text,
        "cell {}: {} states, {} cycles, {} BDF steps, {} LU setups, capacity {:.4} mAh cm-2",
        cell.name,
        first.model.len(),
        first.cycle_count(),
        first.stats.steps,
        first.stats.lu_setups,
        first.discharge_capacity_mAh_cm2()
    );
    let st = &first.stats;
    outln!(
        text,
        "solver: {} Newton iterations ({:.2} per step), {} Newton convergence failures, {} error-test failures, {} restarts",
        st.newton_iterations,
        st.newton_iterations as f64 / st.steps.max(1) as f64,
        st.newton_failures,
        st.error_test_failures,
        st.restarts
    );
    if !first.skipped_cycles.is_empty() {
        outln!(
            text,
            "cycle skipping: {} of {} cycles extrapolated in {} jumps",
            first.skipped_cycle_count(),
            first.cycle_count(),
            first.skipped_cycles.len()
        );
    }
    if let Some(f) = &failure {
        outln!(text, "FAILED (the partial run is timed): {f}");
    }
    outln!(text, "machine: {}", machine());
    outln!(
        text,
        "{repeat} runs: min {:.2} ms, median {:.2} ms, max {:.2} ms per simulation",
        times[0] * 1e3,
        median * 1e3,
        times[repeat - 1] * 1e3
    );
    if cfg!(debug_assertions) {
        outln!(
            text,
            "(debug build: use `cargo run --release -- bench` for meaningful figures)"
        );
    }
    output::emit(&text);
    Ok(())
}

/// The CPU model and the number of hardware threads, for benchmark reports.
fn machine() -> String {
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!("{model}, {threads} threads")
}

fn params(args: ParamsArgs) -> Result<(), CliError> {
    let cell = build_cell(&args.cell)?;
    if args.markdown {
        output::emit(&cell.parameter_table_markdown());
        return Ok(());
    }
    let mut text = String::new();
    outln!(text, "# {} ({} parameters)", cell.name, REGISTRY.len());
    for spec in REGISTRY {
        let source = cell
            .provenance
            .get(spec.name)
            .map_or("default".to_string(), |p| p.describe());
        outln!(
            text,
            "{:<50} {:>12.6e}  {:<16} {}",
            spec.name,
            (spec.get)(&cell.params),
            spec.range.to_string(),
            source
        );
    }
    output::emit(&text);
    Ok(())
}

fn energy(args: EnergyArgs) -> Result<(), CliError> {
    let cell = build_cell(&args.cell)?;
    let exp = experiment(&args.steps)?;
    let sol = simulate(&cell, &exp, &SolverOptions::default())?;
    let budget = triphase::energy::EnergyBudget::new(&cell, &sol);
    let theoretical: Vec<_> = triphase::energy::theoretical_all();
    if let Some(path) = &args.plot {
        output::save_chart(output::plot_energy(&cell.name, &theoretical, &budget), path)?;
    }
    if args.json {
        let v = serde_json::json!({
            "cell": cell.name,
            "theoretical": theoretical,
            "references": triphase::energy::REFERENCES,
            "practical": budget,
        });
        output::emit(&(serde_json::to_string_pretty(&v).expect("serialises") + "\n"));
        return Ok(());
    }
    let mut text = String::new();
    outln!(
        text,
        "Theoretical (standard potentials from Gibbs energies of formation)"
    );
    outln!(
        text,
        "  {:<22} {:>6} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "reaction",
        "E0/V",
        "mAh/g(p)",
        "Wh/kg(p)",
        "Wh/L(p)",
        "Wh/kg(M)",
        "Wh/L(M)"
    );
    for t in &theoretical {
        outln!(
            text,
            "  {:<22} {:>6.3} {:>10.0} {:>10.0} {:>10.0} {:>10.0} {:>10.0}",
            t.reaction,
            t.E0_V,
            t.capacity_product_mAh_g,
            t.energy_product_Wh_kg,
            t.energy_product_Wh_L,
            t.energy_metal_Wh_kg,
            t.energy_metal_Wh_L
        );
    }
    outln!(
        text,
        "  (p: per discharged product, O2 included; M: per metal, O2 from the air)"
    );
    for r in triphase::energy::REFERENCES {
        outln!(
            text,
            "  {:<22} theoretical {:.0} Wh/kg, {:.0} Wh/L; practical cells ~{:.0} Wh/kg",
            r.name,
            r.theoretical_Wh_kg,
            r.theoretical_Wh_L,
            r.practical_cell_Wh_kg
        );
    }
    let b = &budget;
    outln!(
        text,
        "\nPractical cell: {} at {:.3} mAh cm-2, mean {:.3} V ({:.1} Wh m-2)",
        cell.name,
        b.capacity_mAh_cm2,
        b.mean_voltage_V,
        b.energy_Wh_m2
    );
    for item in &b.masses {
        outln!(
            text,
            "  {:<20} {:>8.2} g m-2 ({:>4.1} %)",
            item.component,
            item.mass_kg_m2 * 1e3,
            100.0 * item.mass_kg_m2 / b.mass_charged_kg_m2
        );
    }
    outln!(
        text,
        "  {:<20} {:>8.2} g m-2 (discharged: +{:.2} g m-2 O2)",
        "total",
        b.mass_charged_kg_m2 * 1e3,
        b.o2_mass_kg_m2 * 1e3
    );
    outln!(
        text,
        "  E/C {:.2}, metal excess {:.2}x",
        b.electrolyte_to_carbon,
        b.metal_excess_ratio
    );
    outln!(
        text,
        "  charged:    {:>7.1} Wh/kg {:>7.1} Wh/L",
        b.specific_energy_charged_Wh_kg,
        b.energy_density_charged_Wh_L
    );
    outln!(
        text,
        "  discharged: {:>7.1} Wh/kg {:>7.1} Wh/L",
        b.specific_energy_discharged_Wh_kg,
        b.energy_density_discharged_Wh_L
    );
    outln!(
        text,
        "Pack ({}): {:.1} Wh/kg, {:.1} Wh/L",
        b.pack.o2_supply,
        b.pack.specific_energy_Wh_kg,
        b.pack.energy_density_Wh_L
    );
    output::emit(&text);
    Ok(())
}

fn compare(args: CompareArgs) -> Result<(), CliError> {
    // validate everything before simulating anything
    let cells = args
        .cells
        .iter()
        .map(|c| {
            build_cell(&CellArgs {
                cell: c.clone(),
                set: args.set.clone(),
                mesh: None,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let exp = cycling(&args.protocol)?;
    // a step one cell cannot run (a voltage cut-off on a symmetric cell) stops the comparison
    // before any cell runs
    for cell in &cells {
        triphase::solver::check_experiment(cell, &exp)?;
    }
    let out_options = out_options(&args.output)?;
    let options = out_options.recording(SolverOptions::for_experiment(&exp, None, "--rtol")?);
    if let Some(dir) = &args.out {
        output::create_dir(dir)?;
    }
    let mut solutions = Vec::with_capacity(cells.len());
    let mut failed = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        let sol = match simulate(cell, &exp, &options) {
            Ok(sol) => sol,
            Err(Error::Input(e)) => return Err(e.into()),
            // a failing cell is part of the comparison: keep what it computed
            Err(Error::Solver(f)) => {
                eprintln!("{}: {f}", cell.name);
                failed.push(cell.name.clone());
                *f.partial
            }
        };
        if let Some(dir) = &args.out {
            output::write_all(
                &sol,
                cell,
                &dir.join(format!("{}-{}", i + 1, output::file_stem(&cell.name))),
                &out_options,
            )?;
        }
        solutions.push(sol);
    }
    if let Some(dir) = &args.out {
        let overlay = output::Figure {
            stem: "compare".into(),
            title: "Voltage: comparison".into(),
            svg: output::plot_compare(&solutions).map_err(|e| output::OutputError {
                path: dir.display().to_string(),
                message: e,
            })?,
        };
        output::save_figure(&overlay, dir)?;
        if out_options.report {
            let links: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{}-{}/report.html", i + 1, output::file_stem(&c.name)))
                .collect();
            output::write(
                &dir.join("report.html"),
                &output::report::compare_html(&solutions, &overlay, &links),
            )?;
        }
    }
    let result = if failed.is_empty() {
        Ok(())
    } else {
        Err(CliError::CellsFailed {
            count: failed.len(),
            names: failed.join(", "),
        })
    };
    if args.json {
        let all: Vec<_> = solutions.iter().map(|s| s.summary()).collect();
        output::emit(&(serde_json::to_string_pretty(&all).expect("serialises") + "\n"));
        return result;
    }
    let mut text = String::new();
    let w = solutions
        .iter()
        .map(|s| s.cell_name.len())
        .max()
        .unwrap_or(4)
        .max(4);
    outln!(
        text,
        "{:<w$} {:>10} {:>9} {:>8} {:>9} {:>10} {:>9} {:>8}  {}",
        "cell",
        "Q_dis sum",
        "V_end",
        "e-/O2",
        "cycles",
        "metal lost",
        "SEI",
        "elyte",
        "end"
    );
    outln!(
        text,
        "{:<w$} {:>10} {:>9} {:>8} {:>9} {:>10} {:>9} {:>8}",
        "",
        "mAh cm-2",
        "V",
        "",
        "",
        "mol m-2",
        "nm",
        "%"
    );
    for sol in &solutions {
        let s = sol.summary();
        let lost: f64 = s.anode.metal_loss_mol_m2.values().sum();
        let end = match (&s.end_of_life.cycle, &s.end_of_life.failure_mode) {
            (Some(c), Some(m)) => format!("EOL cycle {c}: {m}"),
            _ => match &s.failure {
                Some(f) => format!("solver failure (cycle {}, step {})", f.cycle, f.step_index),
                None => s.stop_reason.to_string(),
            },
        };
        outln!(
            text,
            "{:<w$} {:>10.4} {:>9.3} {:>8} {:>9} {:>10.3e} {:>9.1} {:>8.1}  {}",
            s.cell,
            s.discharge_capacity_mAh_cm2,
            s.end_voltage_V,
            s.electrons_per_O2.map_or("-".into(), |r| format!("{r:.3}")),
            s.cycles.len(),
            lost,
            s.anode.sei_thickness_m * 1e9,
            s.electrolyte_remaining_fraction * 100.0,
            end
        );
    }
    outln!(
        text,
        "(Q_dis sum: the discharge capacity summed over every cycle run)"
    );
    output::emit(&text);
    result
}

/// A flag that Ctrl-C sets (the long-running commands poll it and keep what they computed).
pub(crate) fn interrupt_on_ctrl_c() -> Arc<AtomicBool> {
    let interrupt = Arc::new(AtomicBool::new(false));
    let flag = interrupt.clone();
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed));
    interrupt
}
