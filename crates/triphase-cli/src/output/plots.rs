//! Charts, drawn with plotters into SVG text: written as `.svg`, rasterised to `.png`
//! ([`super::raster`]) and inlined in the HTML report.

use plotters::coord::Shift;
use plotters::prelude::*;
use triphase::constants::c_per_m2_to_mah_per_cm2;
use triphase::solution::Profile;
use triphase::Solution;

/// A chart: file stem, title and SVG text.
#[derive(Debug, Clone)]
pub struct Figure {
    /// File name without extension.
    pub stem: String,
    /// What it shows (report caption).
    pub title: String,
    /// The SVG document.
    pub svg: String,
}

/// Draws into an SVG document of `size` pixels.
pub(crate) fn render(
    size: (u32, u32),
    draw: impl FnOnce(DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), Box<dyn std::error::Error>>,
) -> Result<String, String> {
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, size).into_drawing_area();
        draw(root.clone()).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(buf)
}

/// The figures of a run: voltage; with several cycles, capacity and end-of-discharge voltage
/// per cycle and the anode ledger; the `profiles` across the cell.
pub fn figures(sol: &Solution, profiles: &[Profile]) -> Result<Vec<Figure>, String> {
    let mut out = vec![Figure {
        stem: "voltage".into(),
        title: if sol.model.is_symmetric() {
            "Voltage against time (counter electrode vs working electrode)".into()
        } else if sol.rests_only() {
            "Voltage against time (open circuit)".into()
        } else if sol.cycle_count() > 1 {
            "Voltage against the capacity passed in each step, coloured by cycle".into()
        } else {
            "Voltage against net discharge capacity".into()
        },
        svg: plot_voltage(sol)?,
    }];
    if sol.rests_only() && sol.model.layout.sei.is_some() {
        out.push(Figure {
            stem: "corrosion".into(),
            title: "Storage: corrosion depth and metal lost by mechanism against time".into(),
            svg: plot_storage(sol)?,
        });
    }
    if sol.cycle_count() > 1 && !sol.model.is_symmetric() {
        out.push(Figure {
            stem: "voltage_time".into(),
            title: "Voltage against time".into(),
            svg: plot_voltage_time(sol)?,
        });
    }
    if sol.cycle_count() > 1 {
        out.push(Figure {
            stem: "cycles".into(),
            title: if sol.model.is_symmetric() {
                "Capacity and largest polarisation by cycle".into()
            } else {
                "Capacity and end-of-discharge voltage by cycle".into()
            },
            svg: plot_cycles(sol)?,
        });
        out.push(Figure {
            stem: "anode_ledger".into(),
            title: "Anode ledger: cumulative metal lost by mechanism".into(),
            svg: plot_ledger(sol)?,
        });
    }
    if !profiles.is_empty() {
        out.push(Figure {
            stem: "profiles".into(),
            title: "Profiles across the cell (metal surface at x = 0)".into(),
            svg: plot_profiles(sol, profiles)?,
        });
    }
    Ok(out)
}

/// Blue (f = 0) to red (f = 1): the colour of the first to last cycle or time.
pub(crate) fn ramp(f: f64) -> RGBAColor {
    RGBColor((30.0 + 200.0 * f) as u8, 60, (220.0 - 180.0 * f) as u8).to_rgba()
}

/// The range of `values` widened by `pad` of its span on each side ((0, 1) when there are
/// none; 5 % of the magnitude when they are all equal).
pub(crate) fn padded_range(values: impl Iterator<Item = f64>, pad: f64) -> (f64, f64) {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
        (a.min(x), b.max(x))
    });
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = if hi > lo {
        (hi - lo) * pad
    } else {
        1e-12 + lo.abs() * 0.05
    };
    (lo - pad, hi + pad)
}

/// Tick labels of an axis spanning `lo..hi`, all in one format: fixed-point with the decimals
/// the span needs when the axis's largest magnitude lies in [0.01, 10^4), scientific with two
/// decimals otherwise; 0 prints as "0".
pub(crate) fn ticks(lo: f64, hi: f64) -> impl Fn(&f64) -> String {
    let big = lo.abs().max(hi.abs());
    let span = (hi - lo).abs().max(big * 1e-12).max(1e-300);
    let fixed = (1e-2..1e4).contains(&big);
    // plotters draws up to ~20 ticks: the decimals of a twentieth of the span
    let decimals = ((-(span / 20.0).log10()).ceil().max(0.0) as usize).min(8);
    move |v: &f64| {
        if v.abs() < span * 1e-9 {
            "0".to_string()
        } else if fixed {
            format!("{v:.decimals$}")
        } else {
            format!("{v:.2e}")
        }
    }
}

/// Salt concentration, dissolved O2 and product volume fraction across the cell, one line per
/// chosen time; the dashed line marks the separator/cathode boundary. Where the product also
/// grows as particles (option `product_growth`), its film part is drawn dotted under each
/// product line. A column on the right names the times and the line styles (a legend inside a
/// panel hid curves).
pub fn plot_profiles(sol: &Solution, profiles: &[Profile]) -> Result<String, String> {
    let length_um = sol.model.mesh.length() * 1e6;
    let boundary_um = sol.model.params.geometry.separator_thickness * 1e6;
    type Pick = fn(&triphase::solution::Profile) -> &[f64];
    let panels: [(&str, Pick); 3] = [
        ("Salt [mol m-3]", |p| &p.salt_mol_m3),
        ("Dissolved O2 [mol m-3]", |p| &p.gas_mol_m3["O2"]),
        ("Product volume fraction [-]", |p| &p.product_fraction),
    ];
    let n = profiles.len().max(2) as f64;
    let colour = |k: usize| ramp(k as f64 / (n - 1.0));
    let film_differs = profiles
        .iter()
        .any(|p| p.film_fraction != p.product_fraction);
    render((800 + LEGEND_COLUMN_PX as u32, 900), |root| {
        root.fill(&WHITE)?;
        // the legend has a column of its own: in a panel it hid curves wherever it went (the
        // salt of a long discharge fills every corner, from 1000 to 1200 mol m-3)
        let (panels_area, legend) = root.split_horizontally(800);
        let areas = panels_area.split_evenly((3, 1));
        for (a, (label, pick)) in areas.iter().zip(panels) {
            let (lo, hi) = profiles
                .iter()
                .flat_map(|p| pick(p).iter().copied())
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                    (a.min(v), b.max(v))
                });
            let pad = ((hi - lo) * 0.05).max(hi.abs() * 1e-3).max(1e-12);
            let mut chart = ChartBuilder::on(a)
                .margin(10)
                .x_label_area_size(35)
                .y_label_area_size(75)
                .build_cartesian_2d(0.0..length_um, (lo - pad)..(hi + pad))?;
            chart
                .configure_mesh()
                .x_desc("x [um]")
                .x_label_formatter(&ticks(0.0, length_um))
                .y_desc(label)
                .y_label_formatter(&ticks(lo - pad, hi + pad))
                .draw()?;
            chart.draw_series(DashedLineSeries::new(
                [(boundary_um, lo - pad), (boundary_um, hi + pad)],
                6,
                4,
                BLACK.mix(0.5).stroke_width(1),
            ))?;
            for (k, p) in profiles.iter().enumerate() {
                chart.draw_series(LineSeries::new(
                    p.x_m.iter().zip(pick(p)).map(|(x, v)| (x * 1e6, *v)),
                    colour(k).stroke_width(2),
                ))?;
            }
            if label.starts_with("Product") && film_differs {
                for (k, p) in profiles.iter().enumerate() {
                    chart.draw_series(DashedLineSeries::new(
                        p.x_m
                            .iter()
                            .zip(&p.film_fraction)
                            .map(|(x, v)| (x * 1e6, *v)),
                        2,
                        3,
                        colour(k).stroke_width(1),
                    ))?;
                }
            }
        }
        let font = ("sans-serif", 13).into_font();
        let row = |i: usize| 30 + 22 * i as i32;
        legend.draw(&Text::new("Time", (10, row(0) - 8), font.clone()))?;
        for (k, p) in profiles.iter().enumerate() {
            let y = row(k + 1);
            legend.draw(&PathElement::new(
                vec![(10, y), (40, y)],
                colour(k).stroke_width(2),
            ))?;
            legend.draw(&Text::new(
                format!("t = {:.3} h", p.time_s / 3600.0),
                (48, y - 7),
                font.clone(),
            ))?;
        }
        // a broken line (count dashes of the given length and pitch) and two lines of text
        let key = |y: i32, (count, length, pitch): (i32, i32, i32), grey: f64, text: [&str; 2]| {
            for i in 0..count {
                legend.draw(&PathElement::new(
                    vec![(10 + pitch * i, y), (10 + pitch * i + length, y)],
                    BLACK.mix(grey).stroke_width(1),
                ))?;
            }
            legend.draw(&Text::new(text[0], (48, y - 7), font.clone()))?;
            legend.draw(&Text::new(text[1], (48, y + 9), font.clone()))
        };
        // the dashed boundary, named under the times (in a panel its label sat on a curve)
        key(
            row(profiles.len() + 2),
            (3, 6, 11),
            0.5,
            ["separator |", "cathode"],
        )?;
        if film_differs {
            // next to the product panel: what its dotted lines are
            key(
                2 * 900 / 3 + 40,
                (5, 2, 6),
                0.7,
                ["dotted: the", "product's film"],
            )?;
        }
        Ok(())
    })
}

/// Width of the profile chart's legend column [px].
const LEGEND_COLUMN_PX: i32 = 150;

/// One line of a voltage-capacity chart.
struct Curve {
    points: Vec<(f64, f64)>,
    colour: RGBAColor,
    label: Option<String>,
    /// Drawn dashed (so that identical curves of a comparison stay distinguishable).
    dashed: bool,
}

/// Time [h] and voltage [V] at every recorded point.
fn time_voltage(sol: &Solution) -> Vec<(f64, f64)> {
    sol.time
        .iter()
        .zip(sol.voltage())
        .map(|(t, v)| (t / 3600.0, v))
        .collect()
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
fn voltage_chart(caption: &str, x_desc: &str, curves: &[Curve]) -> Result<String, String> {
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
    render((800, 500), |root| {
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(caption, ("sans-serif", 22))
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(55)
            .build_cartesian_2d(qmin..qmax * 1.02, vmin..vmax)?;
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .x_label_formatter(&ticks(qmin, qmax * 1.02))
            .y_desc("Voltage [V]")
            .y_label_formatter(&ticks(vmin, vmax))
            .draw()?;
        for curve in curves {
            let colour = curve.colour;
            let series = if curve.dashed {
                chart.draw_series(DashedLineSeries::new(
                    curve.points.iter().copied(),
                    8,
                    5,
                    colour.stroke_width(2),
                ))?
            } else {
                chart.draw_series(LineSeries::new(
                    curve.points.iter().copied(),
                    colour.stroke_width(2),
                ))?
            };
            if let Some(label) = &curve.label {
                let dashed = curve.dashed;
                series.label(label.clone()).legend(move |(x, y)| {
                    if dashed {
                        PathElement::new(vec![(x, y), (x + 7, y)], colour)
                    } else {
                        PathElement::new(vec![(x, y), (x + 20, y)], colour)
                    }
                });
            }
        }
        if curves.iter().all(|c| c.label.is_none()) {
            return Ok(());
        }
        let lines: Vec<&[(f64, f64)]> = curves.iter().map(|c| c.points.as_slice()).collect();
        chart
            .configure_series_labels()
            .position(quiet_corner(&lines, (qmin, qmax * 1.02), (vmin, vmax)))
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()?;
        Ok(())
    })
}

/// The place on a chart whose legend would cover the least of its data: a box of a third of
/// the width and a quarter of the height, in a corner or half way along an edge, counted by
/// the segments of the `lines` (polylines in data coordinates; a single point is a marker)
/// that pass through it, so a steep line drawn with few points still counts. Corners come
/// first on a tie.
pub(crate) fn quiet_corner<L: AsRef<[(f64, f64)]>>(
    lines: &[L],
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
) -> SeriesLabelPosition {
    use SeriesLabelPosition::*;
    let (w, h) = ((x1 - x0) / 3.0, (y1 - y0) / 4.0);
    // the box's lower-left corner, in thirds of the width and eighths of the height
    let count = |col: f64, row: f64| {
        let (bx, by) = (x0 + col * w, y0 + row * h / 2.0);
        let lo = (bx, by);
        let hi = (bx + w, by + h);
        lines
            .iter()
            .map(|line| match line.as_ref() {
                [p] => usize::from(segment_meets_box(*p, *p, lo, hi)),
                points => points
                    .windows(2)
                    .filter(|s| segment_meets_box(s[0], s[1], lo, hi))
                    .count(),
            })
            .sum::<usize>()
    };
    [
        (UpperRight, count(2.0, 6.0)),
        (UpperLeft, count(0.0, 6.0)),
        (LowerRight, count(2.0, 0.0)),
        (LowerLeft, count(0.0, 0.0)),
        (MiddleRight, count(2.0, 3.0)),
        (MiddleLeft, count(0.0, 3.0)),
        (UpperMiddle, count(1.0, 6.0)),
        (LowerMiddle, count(1.0, 0.0)),
    ]
    .into_iter()
    .min_by_key(|(_, n)| *n)
    .map(|(p, _)| p)
    .unwrap_or(UpperRight)
}

/// Whether the segment from `a` to `b` meets the box [lo, hi] (Liang–Barsky clipping: the
/// parameter interval of the segment inside every slab of the box is not empty).
fn segment_meets_box(a: (f64, f64), b: (f64, f64), lo: (f64, f64), hi: (f64, f64)) -> bool {
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (start, delta, min, max) in [(a.0, b.0 - a.0, lo.0, hi.0), (a.1, b.1 - a.1, lo.1, hi.1)] {
        if delta == 0.0 {
            if start < min || start > max {
                return false;
            }
            continue;
        }
        let (ta, tb) = ((min - start) / delta, (max - start) / delta);
        t0 = t0.max(ta.min(tb));
        t1 = t1.min(ta.max(tb));
        if t0 > t1 {
            return false;
        }
    }
    true
}

/// Voltage against time [h] over the whole run, coloured by cycle (the recorded cycles).
pub fn plot_voltage_time(sol: &Solution) -> Result<String, String> {
    voltage_chart(
        &format!("{}: voltage against time", sol.cell_name),
        "Time [h]",
        &step_curves(sol, &time_voltage(sol), false),
    )
}

/// The chart type of a panel against time.
pub(crate) type TimeChart<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// A panel against time [h] from 0 to `t_end`, values from `bottom` to `top`, with its mesh
/// drawn.
pub(crate) fn time_panel<'a, 'b>(
    area: &'a DrawingArea<SVGBackend<'b>, Shift>,
    caption: Option<&str>,
    t_end: f64,
    (bottom, top): (f64, f64),
    y_desc: &str,
) -> Result<TimeChart<'a, 'b>, Box<dyn std::error::Error>> {
    let mut builder = ChartBuilder::on(area);
    if let Some(c) = caption {
        builder.caption(c, ("sans-serif", 20));
    }
    let mut chart = builder
        .margin(12)
        .x_label_area_size(35)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..t_end, bottom..top)?;
    chart
        .configure_mesh()
        .x_desc("Time [h]")
        .x_label_formatter(&ticks(0.0, t_end))
        .y_desc(y_desc)
        .y_label_formatter(&ticks(bottom, top))
        .draw()?;
    Ok(chart)
}

/// Storage: corrosion depth [um] (top) and the metal lost to each mechanism [mol m-2]
/// (bottom) against time [h].
pub fn plot_storage(sol: &Solution) -> Result<String, String> {
    let m = &sol.model;
    let t: Vec<f64> = sol.time.iter().map(|t| t / 3600.0).collect();
    let depth: Vec<f64> = (0..sol.len())
        .map(|i| m.corrosion_depth(sol.state(i)) * 1e6)
        .collect();
    let losses: Vec<(String, Vec<f64>)> = sol
        .variables()
        .into_iter()
        .filter(|v| v.name.starts_with("Metal lost to "))
        .map(|v| {
            let name = v.name["Metal lost to ".len()..]
                .trim_end_matches(" [mol.m-2]")
                .to_string();
            (name, v.values.to_f64())
        })
        .filter(|(_, v)| v.iter().any(|x| *x > 0.0))
        .collect();
    let t_end = t.last().copied().unwrap_or(1.0).max(1e-9);
    render((800, 700), |root| {
        root.fill(&WHITE)?;
        let panels = root.split_evenly((2, 1));
        let top = depth.iter().copied().fold(1e-12, f64::max) * 1.1;
        let caption = format!("{}: corrosion in storage", sol.cell_name);
        let mut chart = time_panel(
            &panels[0],
            Some(&caption),
            t_end,
            (0.0, top),
            "Corrosion depth [um]",
        )?;
        chart.draw_series(LineSeries::new(
            t.iter().copied().zip(depth.iter().copied()),
            BLACK.stroke_width(2),
        ))?;
        let top = losses
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .fold(1e-12, f64::max)
            * 1.1;
        let mut chart = time_panel(&panels[1], None, t_end, (0.0, top), "Metal lost [mol m-2]")?;
        let mut all = Vec::new();
        for (k, (name, v)) in losses.iter().enumerate() {
            let c = Palette99::pick(k).to_rgba();
            let pts: Vec<(f64, f64)> = t.iter().copied().zip(v.iter().copied()).collect();
            all.push(pts.clone());
            chart
                .draw_series(LineSeries::new(pts, c.stroke_width(2)))?
                .label(name.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c));
        }
        chart
            .configure_series_labels()
            .position(quiet_corner(&all, (0.0, t_end), (0.0, top)))
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()?;
        Ok(())
    })
}

/// Voltage against discharge capacity, one line per step: a colour and legend entry per step
/// for a single cycle, a colour ramp by cycle (first and last in the legend) when cycling.
pub fn plot_voltage(sol: &Solution) -> Result<String, String> {
    // a symmetric cell is read as polarisation against time, a storage run as voltage
    // against time; a cycling run as voltage against the capacity each step passed
    let per_step = sol.cycle_count() > 1 && !sol.model.is_symmetric() && !sol.rests_only();
    let (xv, caption, x_desc) = if sol.model.is_symmetric() {
        (
            time_voltage(sol),
            format!(
                "{}: symmetric cell voltage (counter vs working)",
                sol.cell_name
            ),
            "Time [h]",
        )
    } else if sol.rests_only() {
        (
            time_voltage(sol),
            format!("{}: open-circuit voltage", sol.cell_name),
            "Time [h]",
        )
    } else if per_step {
        (
            capacity_voltage(sol),
            format!("{}: voltage", sol.cell_name),
            "Capacity passed in the step [mAh cm-2]",
        )
    } else {
        (
            capacity_voltage(sol),
            format!("{}: voltage", sol.cell_name),
            "Net discharge capacity [mAh cm-2]",
        )
    };
    let curves = step_curves(sol, &xv, per_step);
    voltage_chart(&caption, x_desc, &curves)
}

/// One curve per recorded step through the points `xv` (one per recorded point): for a single
/// cycle a colour and legend entry per step, when cycling a colour ramp by cycle with the first
/// and last cycle in the legend; `from_zero` draws each step from x = 0 (|x - x at its start|).
fn step_curves(sol: &Solution, xv: &[(f64, f64)], from_zero: bool) -> Vec<Curve> {
    let cycles = sol.cycle_count().max(1);
    sol.steps
        .iter()
        .enumerate()
        // the steps of cycles whose points were not recorded have no curve
        .filter_map(|(s, rec)| rec.points.map(|p| (s, rec, p)))
        .map(|(s, rec, (first, last))| {
            let colour = if cycles == 1 {
                Palette99::pick(s).to_rgba()
            } else {
                ramp((rec.cycle - 1) as f64 / (cycles.max(2) - 1) as f64)
            };
            // steps are recorded in cycle order
            let first_of_cycle = s == 0 || sol.steps[s - 1].cycle != rec.cycle;
            let label = if cycles == 1 {
                Some(format!("{}: {}", s + 1, rec.text))
            } else if first_of_cycle && (rec.cycle == 1 || rec.cycle == cycles) {
                Some(format!("cycle {}", rec.cycle))
            } else {
                None
            };
            let points = if from_zero {
                let x0 = xv[first].0;
                xv[first..=last]
                    .iter()
                    .map(|&(x, v)| ((x - x0).abs(), v))
                    .collect()
            } else {
                xv[first..=last].to_vec()
            };
            Curve {
                points,
                colour,
                label,
                dashed: false,
            }
        })
        .collect()
}

/// Cycles above which the cycle chart draws points without a connecting line.
const DENSE_CYCLES: usize = 100;

/// Tick label of a cycle-number axis: cycles are counted, so a whole number, and no label at
/// a tick between two cycles (a short life's axis has ticks every half cycle).
fn cycle_ticks(v: &f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        String::new()
    }
}

/// Discharge capacity and end-of-discharge voltage against cycle number; a life of more than
/// [`DENSE_CYCLES`] recorded cycles as points only.
pub fn plot_cycles(sol: &Solution) -> Result<String, String> {
    let cycles = sol.cycle_summaries();
    // the last cycle's number: with cycle skipping, cycles are missing from the summaries
    let n = cycles.last().map_or(1, |c| c.cycle) as f64;
    let cap: Vec<(f64, f64)> = cycles
        .iter()
        .map(|c| (c.cycle as f64, c.discharge_capacity_mAh_cm2))
        .collect();
    // symmetric cells: the largest polarisation of each cycle instead
    let symmetric = sol.model.is_symmetric();
    let eod: Vec<(f64, f64)> = cycles
        .iter()
        .filter_map(|c| {
            let v = if symmetric {
                c.max_polarisation_V
            } else {
                c.end_of_discharge_voltage_V
            };
            v.map(|v| (c.cycle as f64, v))
        })
        .collect();
    let second = if symmetric {
        "Largest polarisation [V]"
    } else {
        "End-of-discharge voltage [V]"
    };
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
    render((800, 600), |root| {
        root.fill(&WHITE)?;
        let (top, bottom) = root.split_vertically(300);
        for (area, pts, lo, hi, label) in [
            (&top, &cap, 0.0, qmax, "Discharge capacity [mAh cm-2]"),
            (&bottom, &eod, vmin, vmax, second),
        ] {
            let mut chart = ChartBuilder::on(area)
                .margin(12)
                .x_label_area_size(35)
                .y_label_area_size(60)
                .build_cartesian_2d(0.5..n + 0.5, lo..hi)?;
            chart
                .configure_mesh()
                .x_desc("Cycle")
                .x_label_formatter(&cycle_ticks)
                .y_desc(label)
                .y_label_formatter(&ticks(lo, hi))
                .draw()?;
            // a long life is drawn as points: a line through hundreds of cycles that alternate
            // (a two-cycle orbit) would fill the band between them and hide both branches
            if pts.len() <= DENSE_CYCLES {
                chart.draw_series(LineSeries::new(pts.iter().copied(), BLUE.stroke_width(2)))?;
                chart.draw_series(pts.iter().map(|p| Circle::new(*p, 2, BLUE.filled())))?;
            } else {
                chart.draw_series(pts.iter().map(|p| Circle::new(*p, 1, BLUE.filled())))?;
            }
        }
        Ok(())
    })
}

/// Cumulative metal lost by mechanism against cycle number, stacked.
pub fn plot_ledger(sol: &Solution) -> Result<String, String> {
    let cycles = sol.cycle_summaries();
    let mechanisms: Vec<&str> = cycles
        .first()
        .map(|c| c.metal_loss_mol_m2.keys().copied().collect())
        .unwrap_or_default();
    // cumulative per mechanism at each cycle's end (the ledger state itself, so cycles
    // skipped between two recorded ones count), then stacked
    let mut cumulative = vec![vec![0.0; cycles.len()]; mechanisms.len()];
    for (i, c) in cycles.iter().enumerate() {
        let end = sol.cycle_end_boundary(c.cycle);
        for (j, m) in mechanisms.iter().enumerate() {
            cumulative[j][i] = end
                .and_then(|b| b.metal_losses.iter().find(|(k, _)| k == m))
                .map_or(0.0, |&(_, v)| v);
        }
    }
    let x: Vec<f64> = cycles.iter().map(|c| c.cycle as f64).collect();
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
    let n = x.last().copied().unwrap_or(1.0);
    render((800, 500), |root| {
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
            .x_label_formatter(&cycle_ticks)
            .y_desc("Metal lost [mol m-2]")
            .y_label_formatter(&ticks(0.0, top))
            .draw()?;
        for j in (0..mechanisms.len()).rev() {
            let colour = Palette99::pick(j).to_rgba();
            let lower: Vec<f64> = if j == 0 {
                vec![0.0; cycles.len()]
            } else {
                stacked[j - 1].clone()
            };
            let mut poly: Vec<(f64, f64)> =
                (0..cycles.len()).map(|i| (x[i], stacked[j][i])).collect();
            poly.extend((0..cycles.len()).rev().map(|i| (x[i], lower[i])));
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
        Ok(())
    })
}

/// Bar chart of specific energies: theoretical (product and metal basis) of the reactions,
/// the practical cell (charged, discharged) and pack of this design, and reference chemistries.
pub fn plot_energy(
    cell: &str,
    theoretical: &[triphase::energy::Theoretical],
    budget: &triphase::energy::EnergyBudget,
) -> Result<String, String> {
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
    render((900, 60 + 28 * n as u32), |root| {
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
        Ok(())
    })
}

/// Voltage against discharge capacity for several cells on one chart, a colour per cell (every
/// other cell dashed, so that identical curves stay distinguishable). When a run cycles, every
/// step is drawn from zero against the capacity it passed, as in [`plot_voltage`]: against the
/// net capacity the cycles of a cell whose charge returns more than its discharge took drift
/// apart along the axis.
pub fn plot_compare(solutions: &[Solution]) -> Result<String, String> {
    let per_step = solutions
        .iter()
        .any(|s| s.cycle_count() > 1 && !s.model.is_symmetric() && !s.rests_only());
    let curves: Vec<Curve> = solutions
        .iter()
        .enumerate()
        .flat_map(|(k, sol)| {
            let xv = capacity_voltage(sol);
            let lines = if per_step {
                step_curves(sol, &xv, true)
                    .into_iter()
                    .map(|c| c.points)
                    .collect()
            } else {
                vec![xv]
            };
            // one colour and legend entry per cell
            lines.into_iter().enumerate().map(move |(i, points)| Curve {
                points,
                colour: Palette99::pick(k).to_rgba(),
                label: (i == 0).then(|| sol.cell_name.clone()),
                dashed: k % 2 == 1,
            })
        })
        .collect();
    let x_desc = if per_step {
        "Capacity passed in the step [mAh cm-2]"
    } else {
        "Net discharge capacity [mAh cm-2]"
    };
    voltage_chart("Voltage: comparison", x_desc, &curves)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_meets_a_box_it_crosses_even_with_both_ends_outside() {
        let (lo, hi) = ((1.0, 1.0), (2.0, 2.0));
        // through the box, both ends outside
        assert!(segment_meets_box((0.0, 0.0), (3.0, 3.0), lo, hi));
        assert!(segment_meets_box((1.5, -5.0), (1.5, 5.0), lo, hi));
        // one end inside; a point inside and one outside
        assert!(segment_meets_box((1.5, 1.5), (9.0, 0.0), lo, hi));
        assert!(segment_meets_box((1.2, 1.8), (1.2, 1.8), lo, hi));
        assert!(!segment_meets_box((0.5, 0.5), (0.5, 0.5), lo, hi));
        // passing beside the box: below, and across a corner's outside
        assert!(!segment_meets_box((0.0, 0.5), (3.0, 0.5), lo, hi));
        assert!(!segment_meets_box((0.0, 1.5), (1.5, 0.0), lo, hi));
    }

    /// Lines along the top and bottom of a chart and a steep two-point line at its right edge
    /// (a voltage step): every corner and the middle of the right edge are covered, although
    /// no data point lies in the right edge's middle box, so the legend goes to the middle of
    /// the left edge.
    #[test]
    fn the_legend_avoids_steep_lines_drawn_with_few_points() {
        let top = [(0.0, 3.9), (3.0, 3.9)];
        let bottom = [(0.0, 0.2), (1.5, 0.1), (3.0, 0.2)];
        let step = [(2.9, 0.0), (2.9, 4.0)];
        let lines: Vec<&[(f64, f64)]> = vec![&top, &bottom, &step];
        assert_eq!(
            quiet_corner(&lines, (0.0, 3.0), (0.0, 4.0)),
            SeriesLabelPosition::MiddleLeft
        );
        // without the step the right edge's middle is free, and it comes first
        let lines: Vec<&[(f64, f64)]> = vec![&top, &bottom];
        assert_eq!(
            quiet_corner(&lines, (0.0, 3.0), (0.0, 4.0)),
            SeriesLabelPosition::MiddleRight
        );
        // an empty chart: the first corner
        assert_eq!(
            quiet_corner::<&[(f64, f64)]>(&[], (0.0, 3.0), (0.0, 4.0)),
            SeriesLabelPosition::UpperRight
        );
    }
}
