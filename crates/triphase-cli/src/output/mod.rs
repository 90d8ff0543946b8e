//! Outputs: tables (CSV or Parquet: Battery Data Format time series, cycles, profiles), the
//! JSON summary, charts (SVG and PNG), the HTML report and the readable text summary.

pub mod eis;
pub mod fit;
pub mod plots;
pub mod raster;
pub mod report;
pub mod sweep;
pub mod table;
pub mod validation;

use std::path::Path;

use triphase::{Cell, Solution};

use crate::args::Format;
pub use plots::{plot_compare, plot_energy, Figure};

/// A result file could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {message}")]
pub struct OutputError {
    /// The path.
    pub path: String,
    /// The operating-system (or encoder) message.
    pub message: String,
}

fn io_err(path: &Path, e: impl std::fmt::Display) -> OutputError {
    OutputError {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Writes `contents` to `path`; the error names the path.
pub fn write(path: &Path, contents: &str) -> Result<(), OutputError> {
    atomically(path, |tmp| {
        std::fs::write(tmp, contents).map_err(|e| io_err(path, e))
    })
}

/// Creates an output folder (and its parents).
pub fn create_dir(dir: &Path) -> Result<(), OutputError> {
    std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))
}

/// Writes `path` through `write_to`, which writes a temporary file next to it; the temporary
/// file is renamed into place once complete, so `path` is either complete or absent (or its
/// previous version) whenever the process is killed.
pub fn atomically(
    path: &Path,
    write_to: impl FnOnce(&Path) -> Result<(), OutputError>,
) -> Result<(), OutputError> {
    let tmp = temporary(path);
    let result =
        write_to(&tmp).and_then(|()| std::fs::rename(&tmp, path).map_err(|e| io_err(path, e)));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The temporary name `path` is written under: hidden, in the same directory (a rename within
/// one file system is atomic).
fn temporary(path: &Path) -> std::path::PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}{TEMPORARY_SUFFIX}"))
}

/// Suffix of temporary files; leftovers of a killed run are removed by the next [`write_all`].
const TEMPORARY_SUFFIX: &str = ".partial";

/// Removes temporary files a killed run left in `dir`.
fn remove_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name.ends_with(TEMPORARY_SUFFIX) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// What `--out` holds besides the summary.
#[derive(Debug, Clone, Default)]
pub struct OutputOptions {
    /// Table format.
    pub format: Format,
    /// Times for the profile chart and table [h]; `None`: the default points
    /// ([`triphase::Solution::default_profile_points`]).
    pub profile_times_h: Option<Vec<f64>>,
    /// Also write `report.html`.
    pub report: bool,
    /// Recording cadence [s] (None: every solver step).
    pub period: Option<f64>,
    /// Which cycles keep their points.
    pub record_cycles: triphase::solution::RecordCycles,
}

impl OutputOptions {
    /// `options` with this output's recording: cadence, cycles and the profile times the
    /// solver saves exactly.
    pub fn recording(&self, options: triphase::SolverOptions) -> triphase::SolverOptions {
        triphase::SolverOptions {
            output_period: self.period,
            record_cycles: self.record_cycles,
            snapshot_times: self
                .profile_times_h
                .iter()
                .flatten()
                .map(|h| h * 3600.0)
                .collect(),
            ..options
        }
    }
}

/// Writes tables (`timeseries`, `cycles`, `profiles` as CSV and/or Parquet), `summary.json`,
/// the charts as SVG and PNG and, when asked, `report.html` into `dir`.
pub fn write_all(
    sol: &Solution,
    cell: &Cell,
    dir: &Path,
    options: &OutputOptions,
) -> Result<(), OutputError> {
    create_dir(dir)?;
    remove_leftovers(dir);
    let times_s: Option<Vec<f64>> = options
        .profile_times_h
        .as_ref()
        .map(|h| h.iter().map(|h| h * 3600.0).collect());
    let profiles = sol.profiles(times_s.as_deref());
    let metadata = [
        ("triphase.version", env!("CARGO_PKG_VERSION").to_string()),
        ("triphase.cell", cell.name.clone()),
    ];
    for (stem, t) in [
        ("timeseries", table::timeseries(sol)),
        ("cycles", table::cycles(sol)),
        ("profiles", table::profiles(sol, &profiles)),
    ] {
        if options.format != Format::Parquet {
            write(&dir.join(format!("{stem}.csv")), &t.to_csv())?;
        }
        if options.format != Format::Csv {
            t.write_parquet(&dir.join(format!("{stem}.parquet")), &metadata)?;
        }
    }
    write(&dir.join("summary.json"), &(summary_json(sol) + "\n"))?;
    let mut figures = plots::figures(sol, &profiles).map_err(|e| io_err(dir, e))?;
    if sol.spectra.is_empty() {
        figures.extend(impedance_figure(sol));
    } else {
        // the experiment's own measurements: every spectrum's files, and up to eight of them
        // (evenly spread) in the chart
        eis::write_spectra(&sol.spectra, cell.params.geometry.electrode_area, dir)
            .map_err(|e| io_err(dir, e))?;
        let n = sol.spectra.len();
        let picked: Vec<triphase::eis::Labelled> = (0..n.min(8))
            .map(|k| sol.spectra[if n <= 8 { k } else { k * (n - 1) / 7 }].clone())
            .collect();
        if let Ok(svg) = eis::nyquist(&picked) {
            figures.push(Figure {
                stem: "impedance".into(),
                title: "Impedance spectra measured by the experiment's EIS entries (Nyquist)"
                    .into(),
                svg,
            });
        }
    }
    for f in &figures {
        save_figure(f, dir)?;
    }
    if options.report {
        write(&dir.join("report.html"), &report::html(sol, cell, &figures))?;
    }
    Ok(())
}

/// The Nyquist chart of the cell at the start, after the first cycle (cycling runs) and at
/// the end (None for symmetric cells, or when a state's spectrum cannot be computed).
fn impedance_figure(sol: &Solution) -> Option<Figure> {
    use triphase::eis::{frequencies, spectra_at, At};
    let mut at = vec![At::Start];
    if sol.cycle_count() > 1 {
        at.push(At::AfterCycle(1));
    }
    at.push(At::End);
    let spectra = spectra_at(sol, &at, &frequencies(1e5, 1e-2, 10)).ok()?;
    Some(Figure {
        stem: "impedance".into(),
        title: "Impedance spectra (Nyquist, 100 kHz to 10 mHz) of the cell at the start and the end of the run: the model linearised about those states, with its double layers and surface-layer capacitances".into(),
        svg: eis::nyquist(&spectra).ok()?,
    })
}

/// Writes `<stem>.svg` and `<stem>.png`.
pub fn save_figure(figure: &Figure, dir: &Path) -> Result<(), OutputError> {
    write(&dir.join(format!("{}.svg", figure.stem)), &figure.svg)?;
    raster::write_png(&figure.svg, &dir.join(format!("{}.png", figure.stem)))
}

/// Writes a chart to `path`: PNG when the name ends in `.png`, else SVG.
pub fn save_chart(svg: Result<String, String>, path: &Path) -> Result<(), OutputError> {
    let svg = svg.map_err(|e| io_err(path, e))?;
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"))
    {
        raster::write_png(&svg, path)
    } else {
        write(path, &svg)
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

/// Pretty JSON summary.
pub fn summary_json(sol: &Solution) -> String {
    serde_json::to_string_pretty(&sol.summary()).expect("summary serialises")
}

/// Readable summary on stdout.
pub fn print_summary(sol: &Solution, cell: &Cell, out: Option<&Path>) {
    let mut text = String::new();
    let s = sol.summary();
    outln!(
        text,
        "triphase: {} ({} control volumes: {} separator + {} cathode{}, {} states)",
        cell.name,
        sol.model.mesh.len(),
        sol.model.mesh.n_sep,
        sol.model.mesh.n_cat,
        if cell.mesh.cathode_grading == 1.0 {
            String::new()
        } else {
            format!(
                " graded {}:1 towards the gas side",
                cell.mesh.cathode_grading
            )
        },
        sol.model.len()
    );
    if !cell.components.is_empty() {
        let parts: Vec<String> = triphase::components::Slot::ALL
            .iter()
            .filter_map(|slot| {
                cell.components.get(slot).map(|c| {
                    if *slot == triphase::components::Slot::Electrolyte
                        && !cell.additives.is_empty()
                    {
                        format!("{} {c} + {}", slot.section(), cell.additives.join(" + "))
                    } else {
                        format!("{} {c}", slot.section())
                    }
                })
            })
            .collect();
        outln!(text, "  components: {}", parts.join(" | "));
    }
    outln!(text, "  mechanisms: {}", s.mechanisms.join("; "));
    if !s.anode_mechanisms_off.is_empty() {
        outln!(
            text,
            "  anode mechanisms off: {}",
            s.anode_mechanisms_off.join(", ")
        );
    }
    let many = s.steps.len() > 12;
    for st in s
        .steps
        .iter()
        .filter(|st| !many || st.index <= 4 || st.index + 4 > s.steps.len())
    {
        outln!(
            text,
            "  step {} \"{}\": {:.4} mAh cm-2 in {:.2} h, {:.3} V -> {}{:.3} V, ended: {}",
            st.index,
            st.step,
            zero(st.capacity_mAh_cm2, 5e-5),
            st.duration_s / 3600.0,
            st.start_voltage_V,
            st.mid_capacity_voltage_V
                .map_or(String::new(), |v| format!("{v:.3} V (mid-capacity) -> ")),
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
        outln!(
            text,
            "  end of life         cycle {c}: {}",
            triphase::solution::failure_mode_text(mode)
        );
    }
    let carbon_g_m2 = sol.model.params.carbon_loading() * 1e3;
    outln!(
        text,
        "  discharge capacity  {:.4} mAh cm-2{}",
        zero(s.discharge_capacity_mAh_cm2, 5e-5),
        if sol.model.is_symmetric() || carbon_g_m2 <= 0.0 || s.discharge_capacity_mAh_cm2 < 5e-5 {
            String::new()
        } else {
            format!(
                " ({:.0} mAh per g of carbon)",
                zero(s.discharge_capacity_mAh_cm2, 5e-5) * 1e4 / carbon_g_m2
            )
        }
    );
    if s.charge_capacity_mAh_cm2 > 5e-5 {
        outln!(
            text,
            "  charge capacity     {:.4} mAh cm-2",
            s.charge_capacity_mAh_cm2
        );
    }
    if s.end_voltage_V.is_finite() {
        outln!(text, "  end voltage         {:.4} V", s.end_voltage_V);
    } else {
        outln!(text, "  end voltage         - (no state was computed)");
    }
    if s.solver.restarts > 0 {
        outln!(
            text,
            "  solver restarts     {} (after failed solver steps; see docs/model.md, Numerics)",
            s.solver.restarts
        );
    }
    if let Some(r) = s.electrons_per_O2 {
        outln!(text, "  electrons per O2    {r:.4}");
    }
    if !sol.model.is_symmetric() {
        let c = &s.cathode;
        outln!(
            text,
            "  product             {:.3e} mol O2 m-2, max {:.1} % of the volume{}{}",
            c.product_o2_mol_m2,
            c.max_product_fraction * 100.0,
            c.max_film_thickness_m
                .map(|d| format!(", film {:.1} nm", d * 1e9))
                .unwrap_or_default(),
            c.particle_share
                .map(|f| format!(", {:.1} % as particles", f * 100.0))
                .unwrap_or_default()
        );
    }
    if sol.model.layout.sei.is_some() || sol.model.layout.dead.is_some() {
        let a = &s.anode;
        // amounts below 1e-12 of the metal inventory are round-off: physical zeros
        let tiny = 1e-12 * sol.model.params.initial_metal_inventory();
        let losses: Vec<String> = a
            .metal_loss_mol_m2
            .iter()
            .filter(|(_, v)| **v > tiny)
            .map(|(k, v)| format!("{k} {v:.3e}"))
            .collect();
        outln!(
            text,
            "  metal lost          {:.3e} mol m-2 ({})",
            zero(a.metal_loss_mol_m2.values().sum::<f64>(), tiny),
            if losses.is_empty() {
                "none".to_string()
            } else {
                losses.join(", ")
            }
        );
        outln!(
            text,
            "  SEI                 {:.1} nm, corrosion scale {:.1} nm, layers {:.3} Ohm cm2, dendrites {:.2} um, metal left {:.2} um",
            a.sei_thickness_m * 1e9,
            zero(a.scale_thickness_m * 1e9, 0.05),
            a.layer_resistance_ohm_cm2,
            zero(a.dendrite_length_m * 1e6, 5e-3),
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
    // a storage (rest-only) run: how long it lasted and how fast the metal corroded
    if let Some(st) = &s.storage {
        outln!(
            text,
            "  storage             {:.1} h{}",
            st.duration_h,
            if st.ended_early {
                format!(" (ended early: {})", s.stop_reason_text)
            } else {
                String::new()
            }
        );
        if let (Some(depth), Some(rate)) = (st.corrosion_depth_m, st.corrosion_rate_m_per_h) {
            outln!(
                text,
                "  corrosion depth     {:.3} um ({:.3} nm per hour)",
                depth * 1e6,
                rate * 1e9
            );
        }
    }
    outln!(text, "  stopped because     {}", s.stop_reason_text);
    for w in &s.warnings {
        outln!(text, "  warning: {w}");
    }
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

/// `v` printed as a physical zero when its magnitude is below `tiny` (round-off, "-0.0000").
fn zero(v: f64, tiny: f64) -> f64 {
    if v.abs() < tiny {
        0.0
    } else {
        v
    }
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
