//! `triphase fit FIT.toml`: fit registry parameters to measured curves and targets; print the
//! fitted values with their errors, the correlations and the identifiability warnings; write
//! fit.json, the fitted cell (fitted.toml, each value with its source), and the before/after
//! chart (fit.svg, fit.png).

use std::io::IsTerminal;
use std::sync::Arc;

use triphase::fit::{fit, FitOptions, FitProgress, FitResult, FitSpec};

use crate::args::FitArgs;
use crate::error::CliError;
use crate::outln;
use crate::output::report::num;
use crate::output::{self, raster};

/// Runs the command.
pub fn run_fit(args: FitArgs) -> Result<(), CliError> {
    let spec = FitSpec::from_file(&args.file)?;
    if let Some(dir) = &args.out {
        output::create_dir(dir)?;
    }
    // Ctrl-C stops the optimiser; the best point so far is reported and written
    let interrupt = crate::commands::interrupt_on_ctrl_c();
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(spec.max_evaluations as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:30} {pos}/{len} evaluations, best cost {msg} [{elapsed}]",
            )
            .expect("valid template"),
        );
        bar
    });
    let hook = bar.clone().map(|bar| {
        let hook: triphase::fit::solve::FitProgressHook = Arc::new(move |p: &FitProgress| {
            bar.set_position(p.evaluations as u64);
            bar.set_message(format!("{:.4e}", p.best_cost));
        });
        hook
    });
    let result = fit(
        &spec,
        &FitOptions {
            interrupt: Some(interrupt),
            progress: hook,
        },
    );
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if args.json {
        output::emit(&(serde_json::to_string_pretty(&result).expect("serialises") + "\n"));
    } else {
        output::emit(&table(&spec, &result));
    }
    if let Some(dir) = &args.out {
        output::write(
            &dir.join("fit.json"),
            &serde_json::to_string_pretty(&result).expect("serialises"),
        )?;
        output::write(&dir.join("fitted.toml"), &fitted_cell(&spec, &result))?;
        if !spec.data.is_empty() {
            let svg = crate::output::fit::plot_fit(&spec, &result).map_err(|message| {
                output::OutputError {
                    path: dir.join("fit.svg").display().to_string(),
                    message,
                }
            })?;
            output::write(&dir.join("fit.svg"), &svg)?;
            raster::write_png(&svg, &dir.join("fit.png"))?;
        }
    }
    if result.interrupted {
        return Err(CliError::Interrupted { time: 0.0 });
    }
    Ok(())
}

/// The parameters, correlations, targets and warnings as text.
fn table(spec: &FitSpec, r: &FitResult) -> String {
    let mut t = String::new();
    outln!(
        t,
        "fit: {} parameter(s) to {} data set(s) and {} target(s) on {}",
        spec.parameters.len(),
        spec.data.len(),
        spec.targets.len(),
        spec.cell_name
    );
    outln!(
        t,
        "  cost {:.4e} -> {:.4e} ({} residuals, s^2 = {:.3}), {} evaluations, {}",
        r.initial_cost,
        r.cost,
        r.residuals,
        r.residual_variance,
        r.evaluations,
        r.termination
    );
    let w = spec
        .parameters
        .iter()
        .map(|p| p.name.len())
        .max()
        .unwrap_or(10);
    outln!(
        t,
        "  {:<w$}  {:>12}  {:>12}  {:>12}  95 % interval",
        "parameter",
        "start",
        "fitted",
        "std. error"
    );
    for p in &r.parameters {
        outln!(
            t,
            "  {:<w$}  {:>12.4e}  {:>12.4e}  {:>12.3e}  [{:.4e}, {:.4e}]{}",
            p.name,
            p.initial,
            p.value,
            p.standard_error,
            p.interval_95.0,
            p.interval_95.1,
            if p.at_bound { "  (at a bound)" } else { "" }
        );
    }
    if r.parameters.len() > 1 {
        outln!(t, "  correlation:");
        for (i, row) in r.correlation.iter().enumerate() {
            let cells: Vec<String> = row.iter().map(|c| format!("{c:>6.3}")).collect();
            outln!(t, "    {:>2}  {}", i + 1, cells.join(" "));
        }
    }
    for k in &r.targets {
        outln!(
            t,
            "  target {}: measured {}, start {}, fitted {}",
            k.name,
            num(k.measured),
            k.initial.map_or("failed".into(), num),
            k.fitted.map_or("failed".into(), num)
        );
    }
    for w in &r.warnings {
        outln!(t, "warning: {w}");
    }
    t
}

/// A cell file on the base cell with the fitted values, each with its source.
fn fitted_cell(spec: &FitSpec, r: &FitResult) -> String {
    let base = if spec.cell_name.ends_with(".toml") {
        format!("# base cell: {} (copy its sections here)\n", spec.cell_name)
    } else {
        format!("[cell]\npreset = \"{}\"\n", spec.cell_name)
    };
    let names: Vec<&str> = spec.data.iter().map(|d| d.name.as_str()).collect();
    let targets: Vec<&str> = spec.targets.iter().map(|t| t.name.as_str()).collect();
    let to = [names, targets].concat().join(", ");
    let date = today();
    let mut text = format!(
        "# written by triphase fit from {}\n{base}\n[parameters]\n",
        spec.origin
    );
    for p in &r.parameters {
        let source = format!(
            "fitted to {to} ({}) on {date}, +- {:.3e} (1 sigma), 95 % [{:.4e}, {:.4e}]",
            spec.origin, p.standard_error, p.interval_95.0, p.interval_95.1
        );
        text.push_str(&format!(
            "\"{}\" = {{ value = {:e}, source = {:?} }}\n",
            p.name, p.value, source
        ));
    }
    text
}

/// Today's date (UTC) as YYYY-MM-DD.
fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}
