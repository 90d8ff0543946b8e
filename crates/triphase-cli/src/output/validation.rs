//! The validation report: one chart per case (measured data as points, bounds and ranges as
//! bars, the simulation as a line), the table, and each case's reference and set-up.

use std::fmt::Write as _;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use triphase::validation::{CaseOutcome, Measured, Metric, Quantity};

use super::plots::{padded_range, quiet_corner, render, ticks};
use super::report::{escape, head, num, table, text};

/// How a point is drawn: abscissa and ordinate in chart coordinates.
struct Axes {
    x_log: bool,
    y_log: bool,
}

impl Axes {
    fn of(o: &CaseOutcome) -> Axes {
        Axes {
            x_log: o.case.x_log,
            y_log: o.case.metric == Some(Metric::Log10),
        }
    }
    fn x(&self, x: f64) -> f64 {
        if self.x_log {
            x.log10()
        } else {
            x
        }
    }
    fn y(&self, y: f64) -> f64 {
        if self.y_log {
            y.max(1e-300).log10()
        } else {
            y
        }
    }
}

/// Measured marks of a point in compared units: (low, value, high), value None for a range.
fn measured_marks(o: &CaseOutcome, i: usize) -> Option<(f64, Option<f64>, f64)> {
    let p = &o.points[i];
    let scale = match (p.compared_measured, &p.measured) {
        (Some(c), Measured::Value { value, .. }) if *value != 0.0 => c / value,
        _ => 1.0,
    };
    match p.measured.clone() {
        Measured::Value { value, uncertainty } => {
            let u = uncertainty.unwrap_or(0.0);
            Some((
                (value - u) * scale,
                Some(value * scale),
                (value + u) * scale,
            ))
        }
        Measured::Below(b) => Some((b, Some(b), b)),
        Measured::Range(lo, hi) => Some((lo, None, hi)),
        Measured::TrendOnly | Measured::Curve(_) => None,
    }
}

/// A case chart's frame on `root`: white, captioned, with its axes and their labels.
fn frame<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, Shift>,
    caption: &str,
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
    x_desc: &str,
    y_desc: &str,
) -> Result<Frame<'a, 'b>, Box<dyn std::error::Error>> {
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(root)
        .caption(caption, ("sans-serif", 20))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(70)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .y_label_formatter(&ticks(y0, y1))
        .x_label_formatter(&ticks(x0, x1))
        .draw()?;
    Ok(chart)
}

/// Draws the legend of `chart` where it covers the least of the `occupied` lines (polylines;
/// a single point is a marker), see [`quiet_corner`].
fn legend<'a, 'b: 'a>(
    chart: &mut Frame<'a, 'b>,
    occupied: &[Vec<(f64, f64)>],
    x: (f64, f64),
    y: (f64, f64),
) -> Result<(), Box<dyn std::error::Error>> {
    chart
        .configure_series_labels()
        .position(quiet_corner(occupied, x, y))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}

/// A case chart: linear axes in chart coordinates.
type Frame<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The chart of one case.
pub fn chart(o: &CaseOutcome) -> Result<String, String> {
    if o.case.quantity == Quantity::DischargeVoltageCurve {
        return curve_chart(o);
    }
    let axes = Axes::of(o);
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    for (i, p) in o.points.iter().enumerate() {
        xs.push(axes.x(p.x));
        if let Some((lo, v, hi)) = measured_marks(o, i) {
            // a lower error bar at or below zero is not drawn on a log axis
            if !(axes.y_log && lo <= 0.0) {
                ys.push(axes.y(lo));
            }
            ys.extend(v.map(|v| axes.y(v)));
            ys.push(axes.y(hi));
        }
        if let Some(c) = p.compared {
            ys.push(axes.y(c));
        }
    }
    let span = |v: &[f64]| {
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if !lo.is_finite() {
            return (0.0, 1.0);
        }
        let pad = ((hi - lo) * 0.1).max(1e-12 + lo.abs() * 0.05);
        (lo - pad, hi + pad)
    };
    let (x0, x1) = span(&xs);
    let (y0, y1) = span(&ys);
    // headroom for the legend, which sits in the upper right corner
    let y1 = y1 + 0.3 * (y1 - y0);
    let q = o.case.quantity;
    let ratio = if o.case.normalise_to.is_some() {
        format!(
            " / value at {}",
            o.case.normalise_to.as_deref().unwrap_or("")
        )
    } else {
        String::new()
    };
    let y_desc = if axes.y_log {
        format!("log10({}{ratio} [{}])", q.label(), q.unit())
    } else {
        format!("{}{ratio} [{}]", q.label(), q.unit())
    };
    let x_desc = if axes.x_log {
        format!("log10({})", o.case.x_label)
    } else {
        o.case.x_label.clone()
    };
    render((720, 440), |root| {
        let mut chart = frame(&root, &o.case.name, (x0, x1), (y0, y1), &x_desc, &y_desc)?;
        let measured = RGBColor(20, 20, 20);
        let simulated = RGBColor(200, 60, 30);
        let mut first = true;
        for (i, p) in o.points.iter().enumerate() {
            let Some((lo, v, hi)) = measured_marks(o, i) else {
                continue;
            };
            let x = axes.x(p.x);
            let lo = if axes.y_log && lo <= 0.0 {
                y0
            } else {
                axes.y(lo)
            };
            let bar = chart.draw_series(std::iter::once(PathElement::new(
                vec![(x, lo), (x, axes.y(hi))],
                measured.stroke_width(2),
            )))?;
            if first {
                bar.label(
                    "measured (cross: value, bar: uncertainty or range, triangle: upper bound)",
                )
                .legend(move |(x, y)| {
                    PathElement::new(
                        vec![(x + 10, y - 6), (x + 10, y + 6)],
                        measured.stroke_width(2),
                    )
                });
                first = false;
            }
            if let Some(v) = v {
                let marker = match &p.measured {
                    Measured::Below(_) => {
                        TriangleMarker::new((x, axes.y(v)), 7, measured.filled()).into_dyn()
                    }
                    _ => Cross::new((x, axes.y(v)), 6, measured.stroke_width(2)).into_dyn(),
                };
                chart.draw_series(std::iter::once(marker))?;
            }
        }
        let sim: Vec<(f64, f64)> = o
            .points
            .iter()
            .filter_map(|p| p.compared.map(|c| (axes.x(p.x), axes.y(c))))
            .collect();
        if !sim.is_empty() {
            chart
                .draw_series(LineSeries::new(
                    sim.iter().copied(),
                    simulated.stroke_width(2),
                ))?
                .label("triphase")
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], simulated.stroke_width(2))
                });
            chart.draw_series(
                sim.iter()
                    .map(|&(x, y)| Circle::new((x, y), 4, simulated.filled())),
            )?;
        }
        let mut occupied: Vec<Vec<(f64, f64)>> = vec![sim.clone()];
        for (i, p) in o.points.iter().enumerate() {
            if let Some((lo, v, hi)) = measured_marks(o, i) {
                let x = axes.x(p.x);
                occupied.extend(
                    [lo, hi]
                        .iter()
                        .chain(v.iter())
                        .map(|y| vec![(x, axes.y(*y))]),
                );
            }
        }
        legend(&mut chart, &occupied, (x0, x1), (y0, y1))
    })
}

/// A measured value in words.
pub fn measured_text(m: &Measured) -> String {
    match m {
        Measured::Value {
            value,
            uncertainty: Some(u),
        } => format!("{} ± {}", num(*value), num(*u)),
        Measured::Value { value, .. } => num(*value),
        Measured::Below(b) => format!("< {}", num(*b)),
        Measured::Range(lo, hi) => format!("{} – {}", num(*lo), num(*hi)),
        Measured::TrendOnly => "trend only".into(),
        Measured::Curve(c) => format!("curve of {} points", c.len()),
    }
}

/// The chart of a case that compares discharge curves: voltage against capacity, each point's
/// measured curve as crosses and its simulated discharge as a line of the same colour.
fn curve_chart(o: &CaseOutcome) -> Result<String, String> {
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    for p in &o.points {
        if let Measured::Curve(c) = &p.measured {
            xs.extend(c.iter().map(|[q, _]| *q));
            ys.extend(c.iter().map(|[_, v]| *v));
        }
        if let Some(c) = &p.curve {
            xs.extend(c.capacity.iter().copied());
            ys.extend(c.voltage.iter().copied());
        }
    }
    let (x0, x1) = padded_range(xs.into_iter(), 0.05);
    let (y0, y1) = padded_range(ys.into_iter(), 0.05);
    // headroom above the curves for the legend (two rows per point)
    let y1 = y1 + (0.1 + 0.1 * o.points.len() as f64) * (y1 - y0);
    render((720, 440), |root| {
        let mut chart = frame(
            &root,
            &o.case.name,
            (x0, x1),
            (y0, y1),
            "Discharge capacity [mAh cm-2]",
            "Voltage [V]",
        )?;
        let mut occupied = Vec::new();
        for (k, p) in o.points.iter().enumerate() {
            let colour = Palette99::pick(k).to_rgba();
            if let Measured::Curve(c) = &p.measured {
                chart
                    .draw_series(
                        c.iter()
                            .map(|[q, v]| Cross::new((*q, *v), 4, colour.stroke_width(1))),
                    )?
                    .label(format!("{}: reference (crosses)", p.label))
                    .legend(move |(x, y)| Cross::new((x + 10, y), 4, colour.stroke_width(1)));
                occupied.extend(c.iter().map(|[q, v]| vec![(*q, *v)]));
            }
            if let Some(c) = &p.curve {
                let line: Vec<(f64, f64)> = c
                    .capacity
                    .iter()
                    .copied()
                    .zip(c.voltage.iter().copied())
                    .collect();
                occupied.push(line.clone());
                chart
                    .draw_series(LineSeries::new(line, colour.stroke_width(2)))?
                    .label(format!("{}: triphase", p.label))
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
                    });
            }
        }
        legend(&mut chart, &occupied, (x0, x1), (y0, y1))
    })
}

/// The verdict of a case in words.
pub fn verdict(o: &CaseOutcome) -> &'static str {
    match (o.passed, o.as_expected) {
        (true, true) => "pass",
        (false, true) => "fail (expected)",
        (true, false) => "PASS (expected fail: improvement)",
        (false, false) => "FAIL (regression)",
    }
}

/// The HTML page.
pub fn html(outcomes: &[CaseOutcome], charts: &[Result<String, String>]) -> String {
    let mut h = String::new();
    head(&mut h, "triphase validation");
    let passed = outcomes.iter().filter(|o| o.passed).count();
    let unexpected = outcomes.iter().filter(|o| !o.as_expected).count();
    let _ = writeln!(
        h,
        "<p>{} cases: {passed} pass, {} fail; {unexpected} differ from their expected outcome.</p>",
        outcomes.len(),
        outcomes.len() - passed
    );
    let rows: Vec<_> = outcomes
        .iter()
        .map(|o| {
            vec![
                (
                    format!("<a href=\"#{0}\">{0}</a>", escape(&o.case.name)),
                    false,
                ),
                text(&o.case.title),
                text(format!(
                    "{} [{}]",
                    o.case.quantity.label(),
                    o.case.quantity.unit()
                )),
                text(verdict(o)),
                text(format!("{:?}", o.case.expected).to_lowercase()),
                text(match o.case.fitting {
                    triphase::validation::Fitting::HeldOut => "held out",
                    triphase::validation::Fitting::Calibration => "calibration",
                }),
            ]
        })
        .collect();
    h.push_str("<h2>Cases</h2>\n");
    table(
        &mut h,
        &["case", "what", "quantity", "result", "expected", "fitting"],
        &rows,
    );
    for (o, svg) in outcomes.iter().zip(charts) {
        let c = &o.case;
        let _ = writeln!(
            h,
            "<h2 id=\"{0}\">{0}</h2>\n<p>{1}</p>",
            escape(&c.name),
            escape(&c.title)
        );
        match svg {
            Ok(svg) => {
                let _ = writeln!(
                    h,
                    "<figure>{}<figcaption>{}</figcaption></figure>",
                    svg.trim(),
                    escape(&c.title)
                );
            }
            Err(e) => {
                let _ = writeln!(h, "<p class=\"warn\">chart failed: {}</p>", escape(e));
            }
        }
        let rows: Vec<_> = o
            .points
            .iter()
            .map(|p| {
                vec![
                    text(&p.label),
                    text(measured_text(&p.measured)),
                    text(p.simulated.map_or("–".into(), num)),
                    text(p.error.map_or("–".into(), num)),
                    text(match p.passed {
                        Some(true) => "pass",
                        Some(false) => "fail",
                        None => "–",
                    }),
                    text(p.note.clone().unwrap_or_default()),
                ]
            })
            .collect();
        table(
            &mut h,
            &[
                "point",
                &format!("measured [{}]", c.quantity.unit()),
                "simulated",
                "error",
                "verdict",
                "note",
            ],
            &rows,
        );
        let mut facts = Vec::new();
        if let (Some(m), Some(t)) = (c.metric, c.tolerance) {
            facts.push(format!(
                "Metric: {m:?}, tolerance {t}. {}",
                c.tolerance_reason.clone().unwrap_or_default()
            ));
        }
        if let Some(t) = c.trend_text() {
            facts.push(format!(
                "Stated trend over the points: {t} ({}).",
                match o.trend_holds {
                    Some(true) => "holds",
                    _ => "does not hold",
                }
            ));
        }
        if let Some(n) = &c.normalise_to {
            facts.push(format!("Values compared as ratios to the point \"{n}\"."));
        }
        facts.push(format!(
            "Expected: {:?}. {}",
            c.expected,
            c.expected_reason.clone().unwrap_or_default()
        ));
        for f in facts {
            let _ = writeln!(h, "<p>{}</p>", escape(&f));
        }
        let r = &c.reference;
        let _ = writeln!(
            h,
            "<p><b>Reference.</b> {}, “{}”, {}{}. {}: <q>{}</q>{}</p>",
            escape(&r.authors),
            escape(&r.title),
            escape(&r.journal),
            r.doi
                .as_ref()
                .map(|d| format!(", doi:<a href=\"https://doi.org/{0}\">{0}</a>", escape(d)))
                .unwrap_or_default(),
            escape(&r.location),
            escape(&r.quote),
            r.url
                .as_ref()
                .map(|u| format!(" (read at <a href=\"{0}\">{0}</a>)", escape(u)))
                .unwrap_or_default()
        );
        let _ = writeln!(
            h,
            "<details><summary>Set-up (cell file) and protocol</summary><pre>{}</pre>",
            escape(&c.setup)
        );
        for p in &c.points {
            let overrides: Vec<String> = p
                .components
                .iter()
                .map(|(slot, c)| format!("[{}] {} ({})", slot.section(), c.component, c.source))
                .chain(
                    p.parameters
                        .iter()
                        .map(|(n, v)| format!("{n} = {} ({})", v.value, v.source)),
                )
                .collect();
            let _ = writeln!(
                h,
                "<p>{}: {}{}{}</p>",
                escape(&p.label),
                escape(&p.steps.join("; ")),
                if p.cycles > 1 {
                    escape(&format!(" × {} cycles", p.cycles))
                } else {
                    String::new()
                },
                if overrides.is_empty() {
                    String::new()
                } else {
                    escape(&format!("; {}", overrides.join("; ")))
                }
            );
        }
        h.push_str("</details>\n");
    }
    h.push_str("</body></html>\n");
    h
}
