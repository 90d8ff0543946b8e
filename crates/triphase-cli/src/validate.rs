//! `triphase validate`: run the validation cases, print one line per case and point, write the
//! report; exit 1 when a case's outcome differs from its expected one.

use std::io::IsTerminal;

use triphase::validation::{self, CaseOutcome};

use crate::args::ValidateArgs;
use crate::error::CliError;
use crate::outln;
use crate::output::validation::{chart, html, measured_text, verdict};
use crate::output::{self, raster};

/// Runs the command.
pub fn validate(args: ValidateArgs) -> Result<(), CliError> {
    let cases = match &args.dir {
        Some(dir) => validation::cases_in(dir)?,
        None => validation::builtin_cases()?,
    };
    let cases = validation::select(cases, &args.cases)?;
    if args.list {
        let mut text = String::new();
        for c in &cases {
            outln!(
                text,
                "{:<36} {:<5} {}",
                c.name,
                format!("{:?}", c.expected).to_lowercase(),
                c.title
            );
        }
        output::emit(&text);
        return Ok(());
    }
    if let Some(dir) = &args.out {
        output::create_dir(dir)?;
    }
    let total: usize = cases.iter().map(|c| c.points.len()).sum();
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(total as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} runs [{elapsed}]")
                .expect("valid template"),
        );
        bar
    });
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let outcomes = validation::run(&cases, &tick);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if args.json {
        output::emit(
            &(serde_json::to_string_pretty(&outcomes).expect("outcomes serialise") + "\n"),
        );
    } else {
        output::emit(&table(&outcomes));
    }
    if let Some(dir) = &args.out {
        write_report(&outcomes, dir)?;
    }
    let unexpected: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.as_expected)
        .map(|o| o.case.name.as_str())
        .collect();
    if unexpected.is_empty() {
        Ok(())
    } else {
        Err(CliError::Validation {
            count: unexpected.len(),
            names: unexpected.join(", "),
        })
    }
}

/// One line per case, then its points: measured, simulated, error, tolerance, verdict.
fn table(outcomes: &[CaseOutcome]) -> String {
    let mut t = String::new();
    for o in outcomes {
        let c = &o.case;
        let tol = match (c.metric, c.tolerance) {
            (Some(m), Some(t)) => format!("{m:?} <= {t}").to_lowercase(),
            _ => "bound/range".into(),
        };
        outln!(
            t,
            "{:<36} {:<34} {} [{}], {}{}",
            c.name,
            verdict(o),
            c.quantity.label(),
            c.quantity.unit(),
            tol,
            c.trend_text()
                .map(|tr| format!(
                    ", trend {} {}",
                    tr,
                    if o.trend_holds == Some(true) {
                        "holds"
                    } else {
                        "does not hold"
                    }
                ))
                .unwrap_or_default()
        );
        for p in &o.points {
            outln!(
                t,
                "    {:<28} measured {:<18} simulated {:<12} error {:<12} {}{}",
                p.label,
                measured_text(&p.measured),
                p.simulated.map_or("–".into(), |v| format!("{v:.4e}")),
                p.error.map_or("–".into(), |v| format!("{v:.3e}")),
                match p.passed {
                    Some(true) => "pass",
                    Some(false) => "fail",
                    None => "",
                },
                p.note
                    .as_ref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            );
        }
    }
    let passed = outcomes.iter().filter(|o| o.passed).count();
    let unexpected = outcomes.iter().filter(|o| !o.as_expected).count();
    outln!(
        t,
        "{} cases: {passed} pass, {} fail; {unexpected} differ from their expected outcome",
        outcomes.len(),
        outcomes.len() - passed
    );
    t
}

/// report.html (charts inline), each chart as SVG and PNG, and results.json.
fn write_report(outcomes: &[CaseOutcome], dir: &std::path::Path) -> Result<(), CliError> {
    let charts: Vec<_> = outcomes.iter().map(chart).collect();
    for (o, svg) in outcomes.iter().zip(&charts) {
        if let Ok(svg) = svg {
            output::write(&dir.join(format!("{}.svg", o.case.name)), svg)?;
            raster::write_png(svg, &dir.join(format!("{}.png", o.case.name)))?;
        }
    }
    output::write(
        &dir.join("results.json"),
        &serde_json::to_string_pretty(outcomes).expect("outcomes serialise"),
    )?;
    output::write(&dir.join("report.html"), &html(outcomes, &charts))?;
    Ok(())
}
