//! The sweep report: the metric against each axis, a heat map of the first two axes, the
//! Pareto front of energy density and cycle life, the ranking and the sensitivities.

use std::fmt::Write as _;
use std::path::Path;

use plotters::prelude::*;
use plotters::style::colors::colormaps::{ColorMap, ViridisRGB};
use triphase::fit::Scale;
use triphase::sweep::dataset::ColumnData;
use triphase::sweep::{AxisKind, Design};

use super::plots::{padded_range, render, ticks, Figure};
use super::report::{escape, head, number, table, text};
use super::{raster, OutputError};
use crate::sweep::{pareto_points, sensitivity_text, Report};

/// An axis's positions on a chart: numbers (log10 for a log range) or category indices.
struct Positions {
    /// Position of each row (None where missing).
    x: Vec<Option<f64>>,
    /// Category names (categorical and listed axes), in position order.
    categories: Vec<String>,
    /// Axis label.
    label: String,
}

fn positions(r: &Report, i: usize) -> Positions {
    let a = &r.spec.axes[i];
    let col = r.data.column(&a.name);
    match (&a.kind, col) {
        (AxisKind::Components { names, .. }, Some(ColumnData::Text(v))) => Positions {
            x: v.iter()
                .map(|s| {
                    s.as_ref()
                        .and_then(|s| names.iter().position(|n| n == s))
                        .map(|k| k as f64)
                })
                .collect(),
            categories: names.clone(),
            label: format!("[{}]", a.name),
        },
        (kind, Some(c)) => {
            let v = c.numbers().unwrap_or_default();
            let log = matches!(
                kind,
                AxisKind::Range {
                    scale: Scale::Log,
                    ..
                }
            );
            Positions {
                x: v.iter()
                    .map(|x| x.map(|x| if log { x.log10() } else { x }))
                    .collect(),
                categories: vec![],
                label: if log {
                    format!("log10({})", a.name)
                } else {
                    a.name.clone()
                },
            }
        }
        _ => Positions {
            x: vec![],
            categories: vec![],
            label: a.name.clone(),
        },
    }
}

fn span(v: impl Iterator<Item = f64>) -> (f64, f64) {
    padded_range(v, 0.08)
}

/// The metric against axis `i`: one point per run that is ok.
fn metric_vs_axis(r: &Report, i: usize) -> Result<String, String> {
    let p = positions(r, i);
    let pts: Vec<(f64, f64)> = r
        .ok_rows
        .iter()
        .filter_map(|&row| Some((p.x.get(row).copied()??, r.values[row]?)))
        .collect();
    let (x0, x1) = if p.categories.is_empty() {
        span(pts.iter().map(|q| q.0))
    } else {
        (-0.5, p.categories.len() as f64 - 0.5)
    };
    let (y0, y1) = span(pts.iter().map(|q| q.1));
    let cats = p.categories.clone();
    let xfmt = ticks(x0, x1);
    let yfmt = ticks(y0, y1);
    render((720, 420), |root| {
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("{} against {}", r.metric, r.spec.axes[i].name),
                ("sans-serif", 17),
            )
            .margin(15)
            .x_label_area_size(if cats.is_empty() { 45 } else { 70 })
            .y_label_area_size(75)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        let mut mesh = chart.configure_mesh();
        mesh.x_desc(p.label.clone())
            .y_desc(r.metric.clone())
            .y_label_formatter(&yfmt);
        let cat_fmt = |v: &f64| {
            let k = v.round();
            if (v - k).abs() < 1e-6 && k >= 0.0 && (k as usize) < cats.len() {
                cats[k as usize].clone()
            } else {
                String::new()
            }
        };
        if cats.is_empty() {
            mesh.x_label_formatter(&xfmt).draw()?;
        } else {
            mesh.x_labels(cats.len() * 2 + 1)
                .x_label_formatter(&cat_fmt)
                .disable_x_mesh()
                .draw()?;
        }
        chart.draw_series(
            pts.iter()
                .map(|&(x, y)| Circle::new((x, y), 4, RGBColor(40, 90, 170).mix(0.75).filled())),
        )?;
        Ok(())
    })
}

/// The first two axes coloured by the metric: cells of a grid (the mean over the other axes),
/// or the sampled points.
fn heat_map(r: &Report) -> Result<String, String> {
    let (px, py) = (positions(r, 0), positions(r, 1));
    let pts: Vec<(f64, f64, f64)> = r
        .ok_rows
        .iter()
        .filter_map(|&row| {
            Some((
                px.x.get(row).copied()??,
                py.x.get(row).copied()??,
                r.values[row]?,
            ))
        })
        .collect();
    let (vmin, vmax) = pts
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.2), b.max(p.2))
        });
    let (vmin, vmax) = if vmin < vmax {
        (vmin, vmax)
    } else {
        (vmin - 1.0, vmin + 1.0)
    };
    let grid = r.spec.design == Design::Grid;
    // grid cells: the distinct positions of each axis
    let levels = |v: Vec<f64>| {
        let mut v = v;
        v.sort_by(f64::total_cmp);
        v.dedup();
        v
    };
    let lx = levels(pts.iter().map(|p| p.0).collect());
    let ly = levels(pts.iter().map(|p| p.1).collect());
    let (x0, x1, y0, y1) = if grid {
        (-0.5, lx.len() as f64 - 0.5, -0.5, ly.len() as f64 - 0.5)
    } else {
        let (a, b) = span(pts.iter().map(|p| p.0));
        let (c, d) = span(pts.iter().map(|p| p.1));
        (a, b, c, d)
    };
    let label_of = |p: &Positions, levels: &[f64], v: f64| -> String {
        let k = v.round();
        if (v - k).abs() > 1e-6 || k < 0.0 || k as usize >= levels.len() {
            return String::new();
        }
        let x = levels[k as usize];
        if !p.categories.is_empty() {
            p.categories.get(x as usize).cloned().unwrap_or_default()
        } else {
            format!("{x:.3}")
        }
    };
    let xfmt = ticks(x0, x1);
    let yfmt = ticks(y0, y1);
    render((760, 480), |root| {
        root.fill(&WHITE)?;
        let (area, bar) = root.split_horizontally(650);
        let mut chart = ChartBuilder::on(&area)
            .caption(
                format!("{} over the first two axes", r.metric),
                ("sans-serif", 17),
            )
            .margin(15)
            .x_label_area_size(if px.categories.is_empty() { 45 } else { 70 })
            .y_label_area_size(110)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        let fx = |v: &f64| {
            if grid {
                label_of(&px, &lx, *v)
            } else {
                xfmt(v)
            }
        };
        let fy = |v: &f64| {
            if grid {
                label_of(&py, &ly, *v)
            } else {
                yfmt(v)
            }
        };
        let mut mesh = chart.configure_mesh();
        mesh.x_desc(px.label.clone())
            .y_desc(py.label.clone())
            .x_label_formatter(&fx)
            .y_label_formatter(&fy);
        if grid {
            mesh.x_labels(lx.len() * 2 + 1)
                .y_labels(ly.len() * 2 + 1)
                .disable_mesh();
        }
        mesh.draw()?;
        if grid {
            for (i, x) in lx.iter().enumerate() {
                for (j, y) in ly.iter().enumerate() {
                    let cell: Vec<f64> = pts
                        .iter()
                        .filter(|p| p.0 == *x && p.1 == *y)
                        .map(|p| p.2)
                        .collect();
                    if cell.is_empty() {
                        continue;
                    }
                    let mean = cell.iter().sum::<f64>() / cell.len() as f64;
                    let c = ViridisRGB.get_color_normalized(mean, vmin, vmax);
                    let (i, j) = (i as f64, j as f64);
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(i - 0.5, j - 0.5), (i + 0.5, j + 0.5)],
                        c.filled(),
                    )))?;
                }
            }
        } else {
            chart.draw_series(pts.iter().map(|&(x, y, v)| {
                Circle::new(
                    (x, y),
                    5,
                    ViridisRGB.get_color_normalized(v, vmin, vmax).filled(),
                )
            }))?;
        }
        // colour bar
        let mut cb = ChartBuilder::on(&bar)
            .margin_top(45)
            .margin_bottom(60)
            .margin_left(10)
            .margin_right(10)
            .right_y_label_area_size(60)
            .build_cartesian_2d(0.0..1.0, vmin..vmax)?;
        cb.configure_mesh()
            .disable_x_mesh()
            .disable_y_mesh()
            .disable_x_axis()
            .y_label_style(("sans-serif", 12))
            .y_label_formatter(&ticks(vmin, vmax))
            .draw()?;
        let steps = 60;
        cb.draw_series((0..steps).map(|k| {
            let a = vmin + (vmax - vmin) * k as f64 / steps as f64;
            let b = vmin + (vmax - vmin) * (k + 1) as f64 / steps as f64;
            Rectangle::new(
                [(0.0, a), (1.0, b)],
                ViridisRGB
                    .get_color_normalized(0.5 * (a + b), vmin, vmax)
                    .filled(),
            )
        }))?;
        Ok(())
    })
}

/// Energy density against cycle life, the Pareto front joined.
fn pareto_chart(r: &Report) -> Result<String, String> {
    let pts = pareto_points(&r.data, &r.ok_rows);
    let front: Vec<(f64, f64)> = triphase::sweep::analysis::pareto_front(&pts)
        .into_iter()
        .filter_map(|row| pts.iter().find(|p| p.0 == row).map(|p| (p.1, p.2)))
        .collect();
    let (x0, x1) = span(pts.iter().map(|p| p.1));
    let (y0, y1) = span(pts.iter().map(|p| p.2));
    render((720, 420), |root| {
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption("Energy density against cycle life", ("sans-serif", 17))
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(75)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        chart
            .configure_mesh()
            .x_desc("Cycle life [cycles]")
            .y_desc("Energy density, cell, discharged [W.h.L-1]")
            .x_label_formatter(&ticks(x0, x1))
            .y_label_formatter(&ticks(y0, y1))
            .draw()?;
        chart
            .draw_series(
                pts.iter()
                    .map(|p| Circle::new((p.1, p.2), 4, RGBColor(120, 120, 120).filled())),
            )?
            .label("design")
            .legend(|(x, y)| Circle::new((x + 10, y), 4, RGBColor(120, 120, 120).filled()));
        let red = RGBColor(200, 60, 30);
        chart
            .draw_series(LineSeries::new(front.iter().copied(), red.stroke_width(2)))?
            .label("Pareto front")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], red.stroke_width(2)));
        chart.draw_series(
            front
                .iter()
                .map(|&(x, y)| Circle::new((x, y), 5, red.filled())),
        )?;
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()?;
        Ok(())
    })
}

/// The report's charts.
pub fn figures(r: &Report) -> Result<Vec<Figure>, String> {
    let mut out = Vec::new();
    for (i, a) in r.spec.axes.iter().enumerate() {
        out.push(Figure {
            stem: format!("metric_vs_axis_{}", i + 1),
            title: format!("{} against {} (one point per run)", r.metric, a.name),
            svg: metric_vs_axis(r, i)?,
        });
    }
    if r.spec.axes.len() >= 2 && r.ok > 0 {
        out.push(Figure {
            stem: "heat_map".into(),
            title: if r.spec.design == Design::Grid {
                format!(
                    "{} over {} and {} (mean over the other axes)",
                    r.metric, r.spec.axes[0].name, r.spec.axes[1].name
                )
            } else {
                format!(
                    "{} over {} and {} (the sampled runs)",
                    r.metric, r.spec.axes[0].name, r.spec.axes[1].name
                )
            },
            svg: heat_map(r)?,
        });
    }
    if !pareto_points(&r.data, &r.ok_rows).is_empty() {
        out.push(Figure {
            stem: "pareto".into(),
            title: "Energy density (cell, discharged state) against cycle life; red: the designs no other beats on both".into(),
            svg: pareto_chart(r)?,
        });
    }
    Ok(out)
}

/// report.html and every chart as SVG and PNG.
pub fn write_report(r: &Report, dir: &Path) -> Result<(), crate::error::CliError> {
    let figures = figures(r).map_err(|e| OutputError {
        path: dir.display().to_string(),
        message: format!("chart: {e}"),
    })?;
    for f in &figures {
        super::write(&dir.join(format!("{}.svg", f.stem)), &f.svg)?;
        raster::write_png(&f.svg, &dir.join(format!("{}.png", f.stem)))?;
    }
    super::write(&dir.join("report.html"), &html(r, &figures))?;
    Ok(())
}

fn html(r: &Report, figures: &[Figure]) -> String {
    let mut h = String::new();
    head(&mut h, &format!("triphase sweep: {}", r.spec.cell_name));
    let _ = writeln!(
        h,
        "<p>{} runs of the base cell <b>{}</b>, {} ok. Ranked by <b>{}</b>, {} first.</p>",
        r.runs,
        escape(&r.spec.cell_name),
        r.ok,
        escape(&r.metric),
        if r.higher_is_better {
            "highest"
        } else {
            "lowest"
        }
    );
    h.push_str("<h2>Best designs</h2>\n");
    let mut header: Vec<&str> = vec!["rank", "run"];
    header.extend(r.spec.axes.iter().map(|a| a.name.as_str()));
    header.push(&r.metric);
    let rows: Vec<_> = r
        .ranking
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let mut row = vec![(format!("{}", i + 1), true), (x.run.to_string(), true)];
            row.extend(x.levels.iter().map(text));
            row.push(number(x.value));
            row
        })
        .collect();
    table(&mut h, &header, &rows);
    h.push_str("<h2>Sensitivity</h2>\n<p class=\"muted\">Saltelli designs: first-order and total Sobol indices; other designs: Spearman's rank correlation for numeric axes, the correlation ratio eta² for component axes.</p>\n");
    let rows: Vec<_> = r
        .sensitivity
        .iter()
        .map(|s| vec![text(&s.axis), text(sensitivity_text(&s.sensitivity))])
        .collect();
    table(&mut h, &["axis", "sensitivity"], &rows);
    if !r.pareto_front.is_empty() {
        let runs: Vec<String> = r.pareto_front.iter().map(|x| x.to_string()).collect();
        let _ = writeln!(
            h,
            "<p>Pareto front of energy density and cycle life: runs {}.</p>",
            runs.join(", ")
        );
    }
    h.push_str("<h2>Charts</h2>\n");
    for f in figures {
        let _ = writeln!(
            h,
            "<figure>{}<figcaption>{}</figcaption></figure>",
            f.svg.trim(),
            escape(&f.title)
        );
    }
    if !r.not_ok.is_empty() {
        h.push_str("<h2>Runs not ok</h2>\n");
        let rows: Vec<_> = r
            .not_ok
            .iter()
            .map(|(run, s, e)| vec![(run.to_string(), true), text(s), text(e)])
            .collect();
        table(&mut h, &["run", "status", "error"], &rows);
    }
    let _ = writeln!(
        h,
        "<h2>The sweep</h2>\n<pre>{}</pre>\n<h2>The base cell</h2>\n<pre>{}</pre>\n</body></html>",
        escape(&r.spec.text),
        escape(&r.spec.cell_text)
    );
    h
}
