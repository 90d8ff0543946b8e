//! A self-contained HTML report: summary, anode ledger, cycles, steps, charts (inline SVG) and
//! the cell (components, switches, every parameter with its origin). No script, no external
//! file: it reads offline and prints.

use std::fmt::Write as _;

use triphase::params::REGISTRY;
use triphase::{Cell, Solution};

use super::plots::Figure;

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#39;"),
            c => s.push(c),
        }
    }
    s
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;\
padding:0 1em;color:#222}h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;\
margin-top:1.6em}table{border-collapse:collapse;margin:.5em 0;font-size:.9em}\
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left}td.n{text-align:right;\
font-variant-numeric:tabular-nums}th{background:#f3f3f3}figure{margin:1em 0}\
figure svg{max-width:100%;height:auto}figcaption{color:#555;font-size:.9em}\
.warn{color:#a40}.muted{color:#777}";

/// A number for a table cell: 4 significant digits, scientific when small or large.
pub(crate) fn num(v: f64) -> String {
    // a negative zero (a charge passed of -0.0 in a run without charge) reads as zero
    let v = if v == 0.0 { 0.0 } else { v };
    if v == 0.0 || (1e-3..1e5).contains(&v.abs()) {
        format!("{v:.4}")
    } else {
        format!("{v:.4e}")
    }
}

fn opt(v: Option<f64>) -> String {
    v.map_or("–".to_string(), num)
}

/// A table from a header and rows of cells (already escaped; numeric cells right-aligned).
pub(crate) fn table(out: &mut String, header: &[&str], rows: &[Vec<(String, bool)>]) {
    out.push_str("<table><thead><tr>");
    for h in header {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for (cell, numeric) in row {
            let class = if *numeric { " class=\"n\"" } else { "" };
            let _ = write!(out, "<td{class}>{cell}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
}

pub(crate) fn text(s: impl AsRef<str>) -> (String, bool) {
    (escape(s.as_ref()), false)
}

pub(crate) fn number(v: f64) -> (String, bool) {
    (num(v), true)
}

fn count(n: usize) -> (String, bool) {
    (n.to_string(), true)
}

/// Opens the document: head with the style sheet, body and its heading.
pub(crate) fn head(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"generator\" content=\"triphase {}\"><title>{}</title><style>{STYLE}</style>\
         </head><body>\n<h1>{}</h1>\n",
        env!("CARGO_PKG_VERSION"),
        escape(title),
        escape(title)
    );
}

/// The report for one run.
pub fn html(sol: &Solution, cell: &Cell, figures: &[Figure]) -> String {
    let s = sol.summary();
    let mut h = String::new();
    let title = format!("triphase report: {}", cell.name);
    head(&mut h, &title);
    let _ = writeln!(
        h,
        "<p>{} metal, {} cell; {} control volumes ({} separator, {} cathode), {} states. \
         Stopped: {}.</p>",
        cell.metal,
        cell.cell_type,
        sol.model.mesh.len(),
        sol.model.mesh.n_sep,
        sol.model.mesh.n_cat,
        sol.model.len(),
        escape(&s.stop_reason_text)
    );
    for w in &cell.warnings {
        let _ = writeln!(h, "<p class=\"warn\">warning: {}</p>", escape(w));
    }

    h.push_str("<h2>Results</h2>\n");
    let lost: f64 = s.anode.metal_loss_mol_m2.values().sum();
    let mut rows = vec![
        vec![
            text("Discharge capacity [mAh cm-2]"),
            number(s.discharge_capacity_mAh_cm2),
        ],
        vec![
            text("Charge capacity [mAh cm-2]"),
            number(s.charge_capacity_mAh_cm2),
        ],
        vec![text("End voltage [V]"), number(s.end_voltage_V)],
        vec![
            text("Electrons per O2 (discharge)"),
            (opt(s.electrons_per_O2), true),
        ],
        vec![text("Cycles"), count(s.cycles.len())],
        vec![
            text("End of life"),
            text(match (&s.end_of_life.cycle, &s.end_of_life.failure_mode) {
                (Some(c), Some(m)) => format!("cycle {c}: {m}"),
                _ => "not reached".into(),
            }),
        ],
        vec![
            text("Product at the end [mol O2 m-2]"),
            number(s.cathode.product_o2_mol_m2),
        ],
        vec![
            text("Product film, largest [nm]"),
            (opt(s.cathode.max_film_thickness_m.map(|d| d * 1e9)), true),
        ],
        vec![
            text("Product grown as particles [%]"),
            (opt(s.cathode.particle_share.map(|f| 100.0 * f)), true),
        ],
        vec![text("Metal lost [mol m-2]"), number(lost)],
        vec![
            text("SEI thickness [nm]"),
            number(s.anode.sei_thickness_m * 1e9),
        ],
        vec![
            text("Corrosion scale thickness [nm]"),
            number(s.anode.scale_thickness_m * 1e9),
        ],
        vec![
            text("Anode layer resistance [Ohm cm2]"),
            number(s.anode.layer_resistance_ohm_cm2),
        ],
        vec![
            text("Dendrite length [um]"),
            number(s.anode.dendrite_length_m * 1e6),
        ],
        vec![
            text("Metal left [um]"),
            number(s.anode.metal_thickness_m * 1e6),
        ],
        vec![
            text("Corrosion depth [um]"),
            number(s.anode.corrosion_depth_m * 1e6),
        ],
        vec![
            text("Electrolyte remaining [%]"),
            number(100.0 * s.electrolyte_remaining_fraction),
        ],
        vec![
            text("Metal balance drift (relative)"),
            number(s.conservation.metal_relative_drift),
        ],
        vec![
            text("Oxygen balance drift (relative)"),
            number(s.conservation.oxygen_relative_drift),
        ],
    ];
    rows.push(vec![
        text("Solver"),
        text(format!(
            "{} steps, {} LU setups, {:.1} ms",
            s.solver.steps,
            s.solver.lu_setups,
            s.solver.wall_time_s * 1e3
        )),
    ]);
    table(&mut h, &["quantity", "value"], &rows);

    h.push_str("<h2>Anode ledger</h2>\n<p>Metal consumed by each mechanism over the run.</p>\n");
    let initial = sol.model.params.initial_metal_inventory();
    let rows: Vec<_> = s
        .anode
        .metal_loss_mol_m2
        .iter()
        .map(|(k, v)| vec![text(k), number(*v), number(100.0 * v / initial)])
        .collect();
    table(
        &mut h,
        &["mechanism", "metal lost [mol m-2]", "of initial metal [%]"],
        &rows,
    );

    for f in figures {
        let svg = f
            .svg
            .trim_start_matches(|c: char| c != '<')
            .trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
            .trim();
        let _ = writeln!(
            h,
            "<figure id=\"fig-{}\">{svg}<figcaption>{}</figcaption></figure>",
            escape(&f.stem),
            escape(&f.title)
        );
    }

    if !s.cycles.is_empty() {
        h.push_str("<h2>Cycles</h2>\n");
        let n = s.cycles.len();
        let shown: Vec<_> = s
            .cycles
            .iter()
            .filter(|c| n <= 40 || c.cycle <= 20 || c.cycle + 20 > n)
            .collect();
        let rows: Vec<_> = shown
            .iter()
            .map(|c| {
                vec![
                    count(c.cycle),
                    number(c.discharge_capacity_mAh_cm2),
                    number(c.charge_capacity_mAh_cm2),
                    (opt(c.end_of_discharge_voltage_V), true),
                    (opt(c.end_of_charge_voltage_V), true),
                    (opt(c.coulombic_efficiency), true),
                    (opt(c.energy_efficiency), true),
                    (opt(c.electrons_per_O2), true),
                    number(c.metal_loss_mol_m2.values().sum()),
                    number(c.sei_thickness_m * 1e9),
                ]
            })
            .collect();
        table(
            &mut h,
            &[
                "cycle",
                "Q dis [mAh cm-2]",
                "Q ch [mAh cm-2]",
                "V end dis [V]",
                "V end ch [V]",
                "CE",
                "EE",
                "e-/O2",
                "metal lost [mol m-2]",
                "SEI [nm]",
            ],
            &rows,
        );
        if shown.len() < n {
            let _ = writeln!(
                h,
                "<p class=\"muted\">First and last 20 of {n} cycles; cycles.csv holds all.</p>"
            );
        }
    }

    h.push_str("<h2>Steps</h2>\n");
    let ns = s.steps.len();
    let rows: Vec<_> = s
        .steps
        .iter()
        .filter(|st| ns <= 24 || st.index <= 12 || st.index + 12 > ns)
        .map(|st| {
            vec![
                count(st.index),
                text(&st.step),
                number(st.capacity_mAh_cm2),
                number(st.duration_s / 3600.0),
                number(st.start_voltage_V),
                number(st.end_voltage_V),
                text(st.stop_reason),
            ]
        })
        .collect();
    table(
        &mut h,
        &[
            "step",
            "instruction",
            "capacity [mAh cm-2]",
            "duration [h]",
            "V start [V]",
            "V end [V]",
            "ended",
        ],
        &rows,
    );

    h.push_str("<h2>Cell</h2>\n");
    let mut rows: Vec<_> = cell
        .components
        .iter()
        .map(|(slot, name)| vec![text(slot.section()), text(name)])
        .collect();
    if !cell.additives.is_empty() {
        rows.push(vec![text("additives"), text(cell.additives.join(", "))]);
    }
    rows.push(vec![
        text("mechanisms"),
        text(cell.options.mechanisms_on().join("; ")),
    ]);
    let off = cell.options.anode_mechanisms_off();
    if !off.is_empty() {
        rows.push(vec![text("anode mechanisms off"), text(off.join(", "))]);
    }
    rows.push(vec![
        text("switches"),
        text(serde_json::to_string(&cell.options).expect("plain data")),
    ]);
    table(&mut h, &["slot", "component"], &rows);
    h.push_str("<details><summary>All parameters, with where each value came from</summary>\n");
    let rows: Vec<_> = REGISTRY
        .iter()
        .map(|spec| {
            let (from, source) = cell
                .provenance
                .get(spec.name)
                .map_or(("default".into(), String::new()), |p| p.parts());
            vec![
                text(spec.name),
                number((spec.get)(&cell.params)),
                text(from),
                text(source),
            ]
        })
        .collect();
    table(&mut h, &["parameter", "value", "from", "source"], &rows);
    h.push_str("</details>\n</body></html>\n");
    h
}

/// The report of `triphase compare`: one row per cell with the same experiment, the anode
/// ledgers side by side and the overlaid voltage chart; `links` are the cells' own reports.
pub fn compare_html(solutions: &[Solution], overlay: &Figure, links: &[String]) -> String {
    let mut h = String::new();
    head(&mut h, "triphase comparison");
    if let Some(first) = solutions.first() {
        let steps: Vec<String> = first
            .steps
            .iter()
            .filter(|r| r.cycle == 1)
            .map(|r| escape(&r.text))
            .collect();
        let _ = writeln!(h, "<p>Experiment, per cycle: {}.</p>", steps.join("; "));
    }
    let summaries: Vec<_> = solutions.iter().map(|s| s.summary()).collect();
    let rows: Vec<_> = summaries
        .iter()
        .zip(links)
        .map(|(s, link)| {
            let end = match (&s.end_of_life.cycle, &s.end_of_life.failure_mode) {
                (Some(c), Some(m)) => format!("end of life, cycle {c}: {m}"),
                _ => s.stop_reason_text.clone(),
            };
            vec![
                (
                    format!("<a href=\"{}\">{}</a>", escape(link), escape(&s.cell)),
                    false,
                ),
                number(s.discharge_capacity_mAh_cm2),
                number(s.end_voltage_V),
                (opt(s.electrons_per_O2), true),
                count(s.cycles.len()),
                number(s.anode.metal_loss_mol_m2.values().sum()),
                number(s.anode.sei_thickness_m * 1e9),
                number(100.0 * s.electrolyte_remaining_fraction),
                text(end),
            ]
        })
        .collect();
    h.push_str("<h2>Cells</h2>\n");
    table(
        &mut h,
        &[
            "cell",
            "Q dis [mAh cm-2]",
            "V end [V]",
            "e-/O2",
            "cycles",
            "metal lost [mol m-2]",
            "SEI [nm]",
            "electrolyte [%]",
            "ended",
        ],
        &rows,
    );
    h.push_str("<h2>Anode ledgers</h2>\n<p>Metal lost by mechanism [mol m-2].</p>\n");
    let mechanisms: Vec<&str> = summaries
        .first()
        .map(|s| s.anode.metal_loss_mol_m2.keys().copied().collect())
        .unwrap_or_default();
    let mut header = vec!["mechanism"];
    header.extend(summaries.iter().map(|s| s.cell.as_str()));
    let rows: Vec<_> = mechanisms
        .iter()
        .map(|m| {
            let mut row = vec![text(m)];
            row.extend(
                summaries
                    .iter()
                    .map(|s| number(s.anode.metal_loss_mol_m2.get(m).copied().unwrap_or(0.0))),
            );
            row
        })
        .collect();
    table(&mut h, &header, &rows);
    let _ = writeln!(
        h,
        "<figure id=\"fig-{}\">{}<figcaption>{}</figcaption></figure>",
        escape(&overlay.stem),
        overlay.svg.trim(),
        escape(&overlay.title)
    );
    h.push_str("</body></html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
    }

    #[test]
    fn numbers_keep_four_digits() {
        assert_eq!(num(8.7412), "8.7412");
        assert_eq!(num(1.5e-9), "1.5000e-9");
        assert_eq!(num(0.0), "0.0000");
        assert_eq!(num(-0.0), "0.0000");
    }
}
