//! Outputs: CSV time series (Battery Data Format columns), JSON summary, SVG plot, text.

use std::fmt::Write as _;
use std::path::Path;

use plotters::prelude::*;
use triphase::constants::c_per_m2_to_mah_per_cm2;
use triphase::{Cell, Solution};

use crate::commands::CliError;

fn io_err(path: &Path, e: impl std::fmt::Display) -> CliError {
    CliError::Output {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Appends a formatted line to a `String`.
#[macro_export]
macro_rules! outln {
    ($buf:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($buf, $($arg)*);
    }};
}

/// Writes `text` to stdout; a closed pipe (`triphase params | head`) is not an error.
pub fn emit(text: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}

/// Writes `timeseries.csv`, `cycles.csv`, `summary.json` and `voltage.svg` into `dir`.
pub fn write_all(sol: &Solution, dir: &Path) -> Result<(), CliError> {
    std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    let csv = dir.join("timeseries.csv");
    std::fs::write(&csv, timeseries_csv(sol)).map_err(|e| io_err(&csv, e))?;
    let cycles = dir.join("cycles.csv");
    std::fs::write(&cycles, cycles_csv(sol)).map_err(|e| io_err(&cycles, e))?;
    let json = dir.join("summary.json");
    std::fs::write(&json, summary_json(sol) + "\n").map_err(|e| io_err(&json, e))?;
    let svg = dir.join("voltage.svg");
    plot_voltage(sol, &svg)?;
    if sol.cycle_count() > 1 {
        plot_cycles(sol, &dir.join("cycles.svg"))?;
        plot_ledger(sol, &dir.join("anode_ledger.svg"))?;
    }
    Ok(())
}

/// Discharge capacity and end-of-discharge voltage against cycle number.
pub fn plot_cycles(sol: &Solution, path: &Path) -> Result<(), CliError> {
    let cycles = sol.cycle_summaries();
    let n = cycles.len() as f64;
    let cap: Vec<(f64, f64)> = cycles
        .iter()
        .map(|c| (c.cycle as f64, c.discharge_capacity_mAh_cm2))
        .collect();
    let eod: Vec<(f64, f64)> = cycles
        .iter()
        .filter_map(|c| c.end_of_discharge_voltage_V.map(|v| (c.cycle as f64, v)))
        .collect();
    let qmax = cap.iter().map(|p| p.1).fold(1e-6, f64::max) * 1.1;
    let (vmin, vmax) = eod
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.1), b.max(p.1))
        });
    let (vmin, vmax) = if vmin.is_finite() {
        (vmin - 0.05, vmax + 0.05)
    } else {
        (1.5, 3.0)
    };
    let root = SVGBackend::new(path, (800, 600)).into_drawing_area();
    let draw = || -> Result<(), Box<dyn std::error::Error>> {
        root.fill(&WHITE)?;
        let (top, bottom) = root.split_vertically(300);
        for (area, pts, lo, hi, label) in [
            (&top, &cap, 0.0, qmax, "Discharge capacity [mAh cm-2]"),
            (&bottom, &eod, vmin, vmax, "End-of-discharge voltage [V]"),
        ] {
            let mut chart = ChartBuilder::on(area)
                .margin(12)
                .x_label_area_size(35)
                .y_label_area_size(60)
                .build_cartesian_2d(0.5..n + 0.5, lo..hi)?;
            chart
                .configure_mesh()
                .x_desc("Cycle")
                .y_desc(label)
                .draw()?;
            chart.draw_series(LineSeries::new(pts.iter().copied(), BLUE.stroke_width(2)))?;
            chart.draw_series(pts.iter().map(|p| Circle::new(*p, 2, BLUE.filled())))?;
        }
        root.present()?;
        Ok(())
    };
    draw().map_err(|e| io_err(path, e))
}

/// Cumulative metal lost by mechanism against cycle number, stacked.
pub fn plot_ledger(sol: &Solution, path: &Path) -> Result<(), CliError> {
    let cycles = sol.cycle_summaries();
    let mechanisms: Vec<&str> = cycles
        .first()
        .map(|c| c.metal_loss_mol_m2.keys().copied().collect())
        .unwrap_or_default();
    // cumulative per mechanism, then stacked
    let mut cumulative = vec![vec![0.0; cycles.len()]; mechanisms.len()];
    for (j, m) in mechanisms.iter().enumerate() {
        let mut acc = 0.0;
        for (i, c) in cycles.iter().enumerate() {
            acc += c.metal_loss_mol_m2[m];
            cumulative[j][i] = acc;
        }
    }
    let mut stacked: Vec<Vec<f64>> = Vec::with_capacity(cumulative.len());
    let mut below = vec![0.0; cycles.len()];
    for series in &cumulative {
        below = below.iter().zip(series).map(|(b, s)| b + s).collect();
        stacked.push(below.clone());
    }
    let top = stacked
        .last()
        .map_or(1e-12, |v| v.iter().copied().fold(1e-12, f64::max))
        * 1.1;
    let n = cycles.len() as f64;
    let root = SVGBackend::new(path, (800, 500)).into_drawing_area();
    let draw = || -> Result<(), Box<dyn std::error::Error>> {
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption("Anode ledger: metal lost by mechanism", ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(35)
            .y_label_area_size(70)
            .build_cartesian_2d(1.0..n.max(2.0), 0.0..top)?;
        chart
            .configure_mesh()
            .x_desc("Cycle")
            .y_desc("Metal lost [mol m-2]")
            .draw()?;
        for j in (0..mechanisms.len()).rev() {
            let colour = Palette99::pick(j).to_rgba();
            let lower: Vec<f64> = if j == 0 {
                vec![0.0; cycles.len()]
            } else {
                stacked[j - 1].clone()
            };
            let mut poly: Vec<(f64, f64)> = (0..cycles.len())
                .map(|i| ((i + 1) as f64, stacked[j][i]))
                .collect();
            poly.extend((0..cycles.len()).rev().map(|i| ((i + 1) as f64, lower[i])));
            chart
                .draw_series(std::iter::once(Polygon::new(poly, colour.filled())))?
                .label(mechanisms[j])
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 15, y + 5)], colour.filled())
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()?;
        root.present()?;
        Ok(())
    };
    draw().map_err(|e| io_err(path, e))
}

/// Pretty JSON summary.
pub fn summary_json(sol: &Solution) -> String {
    serde_json::to_string_pretty(&sol.summary()).expect("summary serialises")
}

/// CSV with Battery Data Format columns (current positive on charge) and model variables.
pub fn timeseries_csv(sol: &Solution) -> String {
    let m = &sol.model;
    let area = m.params.geometry.electrode_area;
    let l = &m.layout;
    let mut s = String::from(
        "Test Time / s,Step Index / 1,Cycle Count / 1,Voltage / V,Current / A,Net Capacity / Ah,\
         Current density [A.m-2],Discharge capacity [mAh.cm-2],Metal thickness [m],\
         O2 drawn from gas [mol.m-2],Max product volume fraction [-],Max film thickness [m],\
         SEI thickness [m],Dendrite length [m],Electrolyte remaining [-]",
    );
    let losses = m.metal_losses(&m.initial_state());
    for (name, _) in &losses {
        let _ = write!(s, ",Metal lost to {name} [mol.m-2]");
    }
    s.push('\n');
    let v = sol.voltage();
    for (i, v) in v.iter().enumerate() {
        let y = sol.state(i);
        let i_app = y[l.current];
        let q = y[l.charge];
        let eps_max = y[l.product.clone()].iter().copied().fold(0.0, f64::max);
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{},{},{},{},{}",
            sol.time[i],
            sol.step_of_point[i] + 1,
            sol.steps.get(sol.step_of_point[i]).map_or(1, |r| r.cycle),
            v,
            -i_app * area,
            -q * area / 3600.0,
            i_app,
            c_per_m2_to_mah_per_cm2(q),
            y[l.metal] * m.params.anode.metal_molar_volume,
            y[l.o2_uptake],
            eps_max,
            eps_max / m.params.geometry.cathode_specific_area,
        );
        s.pop();
        let sei = m.sei_thickness(y);
        let remaining = m.electrolyte_remaining_fraction(y);
        let _ = write!(
            s,
            ",{},{},{}",
            sei,
            l.dendrite.map_or(0.0, |k| y[k]),
            remaining
        );
        for (_, v) in m.metal_losses(y) {
            let _ = write!(s, ",{v}");
        }
        s.push('\n');
    }
    s
}

/// One row per cycle with the per-cycle metrics.
pub fn cycles_csv(sol: &Solution) -> String {
    let opt = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
    let mut s = String::from(
        "Cycle,Discharge capacity [mAh.cm-2],Charge capacity [mAh.cm-2],Discharge capacity [mAh.g-1],\
         End-of-discharge voltage [V],End-of-charge voltage [V],Mean discharge voltage [V],\
         Mean charge voltage [V],Overpotential gap [V],Coulombic efficiency [-],Energy efficiency [-],\
         Electrons per O2 [-],O2 recovery [-],SEI thickness [m],Dendrite length [m],Electrolyte remaining [-]",
    );
    let cycles = sol.cycle_summaries();
    let mechanisms: Vec<&str> = cycles
        .first()
        .map(|c| c.metal_loss_mol_m2.keys().copied().collect())
        .unwrap_or_default();
    for k in &mechanisms {
        let _ = write!(s, ",Metal lost to {k} [mol.m-2]");
    }
    s.push('\n');
    for c in &cycles {
        let _ = write!(
            s,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            c.cycle,
            c.discharge_capacity_mAh_cm2,
            c.charge_capacity_mAh_cm2,
            c.discharge_capacity_mAh_g,
            opt(c.end_of_discharge_voltage_V),
            opt(c.end_of_charge_voltage_V),
            opt(c.mean_discharge_voltage_V),
            opt(c.mean_charge_voltage_V),
            opt(c.overpotential_gap_V),
            opt(c.coulombic_efficiency),
            opt(c.energy_efficiency),
            opt(c.electrons_per_O2),
            opt(c.o2_recovery),
            c.sei_thickness_m,
            c.dendrite_length_m,
            c.electrolyte_remaining_fraction
        );
        for k in &mechanisms {
            let _ = write!(s, ",{}", c.metal_loss_mol_m2[k]);
        }
        s.push('\n');
    }
    s
}

/// One line of a voltage-capacity chart.
struct Curve {
    points: Vec<(f64, f64)>,
    colour: RGBAColor,
    label: Option<String>,
}

/// Net discharge capacity [mAh cm-2] and voltage [V] at every recorded point.
fn capacity_voltage(sol: &Solution) -> Vec<(f64, f64)> {
    sol.charge()
        .iter()
        .zip(sol.voltage())
        .map(|(&q, v)| (c_per_m2_to_mah_per_cm2(q), v))
        .collect()
}

/// Voltage against net discharge capacity: axes fitted to all curves, legend for labelled ones.
fn voltage_chart(caption: &str, curves: &[Curve], path: &Path) -> Result<(), CliError> {
    let points = curves.iter().flat_map(|c| c.points.iter());
    let (mut qmin, mut qmax) = (0.0f64, 1e-6f64);
    let (mut vmin, mut vmax) = (f64::INFINITY, f64::NEG_INFINITY);
    for &(q, v) in points {
        (qmin, qmax) = (qmin.min(q), qmax.max(q));
        (vmin, vmax) = (vmin.min(v), vmax.max(v));
    }
    let (vmin, vmax) = if vmin.is_finite() {
        (vmin - 0.1, vmax + 0.1)
    } else {
        (2.0, 4.5)
    };
    let root = SVGBackend::new(path, (800, 500)).into_drawing_area();
    let draw = || -> Result<(), Box<dyn std::error::Error>> {
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(caption, ("sans-serif", 22))
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(55)
            .build_cartesian_2d(qmin..qmax * 1.02, vmin..vmax)?;
        chart
            .configure_mesh()
            .x_desc("Net discharge capacity [mAh cm-2]")
            .y_desc("Voltage [V]")
            .draw()?;
        for curve in curves {
            let colour = curve.colour;
            let series = chart.draw_series(LineSeries::new(
                curve.points.iter().copied(),
                colour.stroke_width(2),
            ))?;
            if let Some(label) = &curve.label {
                series
                    .label(label.clone())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], colour));
            }
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()?;
        root.present()?;
        Ok(())
    };
    draw().map_err(|e| io_err(path, e))
}

/// Voltage against discharge capacity, one line per step: a colour and legend entry per step
/// for a single cycle, a colour ramp by cycle (first and last in the legend) when cycling.
pub fn plot_voltage(sol: &Solution, path: &Path) -> Result<(), CliError> {
    let qv = capacity_voltage(sol);
    let cycles = sol.cycle_count().max(1);
    let curves: Vec<Curve> = sol
        .steps
        .iter()
        .enumerate()
        .map(|(s, rec)| {
            let colour = if cycles == 1 {
                Palette99::pick(s).to_rgba()
            } else {
                let f = (rec.cycle - 1) as f64 / (cycles.max(2) - 1) as f64;
                RGBColor((30.0 + 200.0 * f) as u8, 60, (220.0 - 180.0 * f) as u8).to_rgba()
            };
            let first_of_cycle = sol.steps.iter().position(|r| r.cycle == rec.cycle) == Some(s);
            let label = if cycles == 1 {
                Some(format!("{}: {}", s + 1, rec.text))
            } else if first_of_cycle && (rec.cycle == 1 || rec.cycle == cycles) {
                Some(format!("cycle {}", rec.cycle))
            } else {
                None
            };
            Curve {
                points: qv[rec.first_point..=rec.last_point].to_vec(),
                colour,
                label,
            }
        })
        .collect();
    voltage_chart(&format!("{}: voltage", sol.cell_name), &curves, path)
}

/// Readable summary on stdout.
pub fn print_summary(sol: &Solution, cell: &Cell, out: Option<&Path>) {
    let mut text = String::new();
    let s = sol.summary();
    outln!(
        text,
        "triphase: {} ({} control volumes: {} separator + {} cathode, {} states)",
        cell.name,
        sol.model.mesh.len(),
        sol.model.mesh.n_sep,
        sol.model.mesh.n_cat,
        sol.model.len()
    );
    let many = s.steps.len() > 12;
    for st in s
        .steps
        .iter()
        .filter(|st| !many || st.index <= 4 || st.index + 4 > s.steps.len())
    {
        outln!(
            text,
            "  step {} \"{}\": {:.4} mAh cm-2 in {:.2} h, {:.3} V -> {:.3} V, ended: {}",
            st.index,
            st.step,
            st.capacity_mAh_cm2,
            st.duration_s / 3600.0,
            st.start_voltage_V,
            st.end_voltage_V,
            st.stop_reason
        );
    }
    if many {
        outln!(
            text,
            "  ({} steps in {} cycles; cycles.csv and --json hold them all)",
            s.steps.len(),
            s.cycles.len()
        );
    }
    if s.cycles.len() > 1 {
        let (a, b) = (&s.cycles[0], &s.cycles[s.cycles.len() - 1]);
        let v = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.3} V"));
        for c in [a, b] {
            outln!(
                text,
                "  cycle {:>5}: {:.4} mAh cm-2, end of discharge {}, end of charge {}, CE {}",
                c.cycle,
                c.discharge_capacity_mAh_cm2,
                v(c.end_of_discharge_voltage_V),
                v(c.end_of_charge_voltage_V),
                c.coulombic_efficiency
                    .map_or("-".to_string(), |x| format!("{x:.4}"))
            );
        }
    }
    if let (Some(c), Some(mode)) = (s.end_of_life.cycle, &s.end_of_life.failure_mode) {
        outln!(text, "  end of life         cycle {c}: {mode}");
    }
    outln!(
        text,
        "  discharge capacity  {:.4} mAh cm-2",
        s.discharge_capacity_mAh_cm2
    );
    if s.charge_capacity_mAh_cm2 > 0.0 {
        outln!(
            text,
            "  charge capacity     {:.4} mAh cm-2",
            s.charge_capacity_mAh_cm2
        );
    }
    outln!(text, "  end voltage         {:.4} V", s.end_voltage_V);
    if let Some(r) = s.electrons_per_O2 {
        outln!(text, "  electrons per O2    {r:.4}");
    }
    if sol.model.layout.sei.is_some() || sol.model.layout.dead.is_some() {
        let a = &s.anode;
        let losses: Vec<String> = a
            .metal_loss_mol_m2
            .iter()
            .filter(|(_, v)| **v > 0.0)
            .map(|(k, v)| format!("{k} {v:.3e}"))
            .collect();
        outln!(
            text,
            "  metal lost          {:.3e} mol m-2 ({})",
            a.metal_loss_mol_m2.values().sum::<f64>(),
            if losses.is_empty() {
                "none".to_string()
            } else {
                losses.join(", ")
            }
        );
        outln!(
            text,
            "  SEI                 {:.1} nm, dendrites {:.2} um, metal left {:.2} um",
            a.sei_thickness_m * 1e9,
            a.dendrite_length_m * 1e6,
            a.metal_thickness_m * 1e6
        );
    }
    if sol.model.layout.solvent.is_some() {
        outln!(
            text,
            "  electrolyte left    {:.1} %",
            s.electrolyte_remaining_fraction * 100.0
        );
    }
    outln!(text, "  stopped because     {}", s.stop_reason_text);
    outln!(
        text,
        "  solver              {} steps, {} LU setups, {:.1} ms",
        s.solver.steps,
        s.solver.lu_setups,
        s.solver.wall_time_s * 1e3
    );
    if let Some(dir) = out {
        outln!(text, "  written to          {}", dir.display());
    }
    emit(&text);
}

/// Bar chart of specific energies: theoretical (product and metal basis) of the reactions,
/// the practical cell (charged, discharged) and pack of this design, and reference chemistries.
pub fn plot_energy(
    cell: &str,
    theoretical: &[triphase::energy::Theoretical],
    budget: &triphase::energy::EnergyBudget,
    path: &Path,
) -> Result<(), CliError> {
    let mut bars: Vec<(String, f64, RGBColor)> = theoretical
        .iter()
        .map(|t| {
            (
                format!("{} (theor.)", t.reaction),
                t.energy_product_Wh_kg,
                RGBColor(120, 144, 200),
            )
        })
        .collect();
    for r in triphase::energy::REFERENCES {
        bars.push((
            format!("{} (theor.)", r.name),
            r.theoretical_Wh_kg,
            RGBColor(170, 170, 170),
        ));
        bars.push((
            format!("{} (cell)", r.name),
            r.practical_cell_Wh_kg,
            RGBColor(110, 110, 110),
        ));
    }
    bars.push((
        format!("{cell}: cell, charged"),
        budget.specific_energy_charged_Wh_kg,
        RGBColor(220, 120, 60),
    ));
    bars.push((
        format!("{cell}: cell, discharged"),
        budget.specific_energy_discharged_Wh_kg,
        RGBColor(200, 90, 40),
    ));
    bars.push((
        format!("{cell}: pack"),
        budget.pack.specific_energy_Wh_kg,
        RGBColor(160, 60, 30),
    ));
    let max = bars.iter().map(|b| b.1).fold(0.0, f64::max) * 1.1;
    let n = bars.len();
    let root = SVGBackend::new(path, (900, 60 + 28 * n as u32)).into_drawing_area();
    let draw = || -> Result<(), Box<dyn std::error::Error>> {
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "Specific energy [Wh kg-1] (theoretical: per discharged product)",
                ("sans-serif", 18),
            )
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(260)
            .build_cartesian_2d(0.0..max, (0..n).into_segmented())?;
        let labels: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
        chart
            .configure_mesh()
            .y_labels(n)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .draw()?;
        chart.draw_series(bars.iter().enumerate().map(|(i, (_, v, c))| {
            Rectangle::new(
                [
                    (0.0, SegmentValue::Exact(i)),
                    (*v, SegmentValue::Exact(i + 1)),
                ],
                c.filled(),
            )
        }))?;
        root.present()?;
        Ok(())
    };
    draw().map_err(|e| io_err(path, e))
}

/// A file-name-safe version of a cell name.
pub fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    stem.trim_matches('_').to_string()
}

/// Voltage against discharge capacity for several cells on one chart.
pub fn plot_compare(solutions: &[Solution], path: &Path) -> Result<(), CliError> {
    let curves: Vec<Curve> = solutions
        .iter()
        .enumerate()
        .map(|(k, sol)| Curve {
            points: capacity_voltage(sol),
            colour: Palette99::pick(k).to_rgba(),
            label: Some(sol.cell_name.clone()),
        })
        .collect();
    voltage_chart("Voltage: comparison", &curves, path)
}
