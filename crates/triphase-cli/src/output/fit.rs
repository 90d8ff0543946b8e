//! The fit's chart: per data set, the measured voltages (crosses), the simulation with the
//! starting values (dashed grey) and with the fitted values (blue) against time, and beside it
//! the residuals of the fit [mV].

use plotters::prelude::*;
use triphase::fit::{FitResult, FitSpec};

use super::plots::{render, time_panel};

const STARTING: RGBColor = RGBColor(150, 150, 150);
const FITTED: RGBColor = RGBColor(31, 119, 180);
const MEASURED: RGBColor = RGBColor(214, 39, 40);

/// Before/after overlay and residuals, one row per data set.
pub fn plot_fit(spec: &FitSpec, result: &FitResult) -> Result<String, String> {
    let rows = spec.data.len().max(1);
    render((1000, 330 * rows as u32), |root| {
        root.fill(&WHITE)?;
        let areas = root.split_evenly((rows, 1));
        for (k, (d, area)) in spec.data.iter().zip(&areas).enumerate() {
            let (left, right) = area.split_horizontally(600);
            let hours = |t: f64| t / 3600.0;
            let start = &result.initial_curves[k];
            let fitted = &result.fitted_curves[k];
            let t_end = d
                .time
                .iter()
                .chain(&start.time)
                .chain(&fitted.time)
                .fold(0.0f64, |a, &b| a.max(b));
            let t_end = hours(t_end).max(1e-6) * 1.02;
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            for &v in d
                .voltage
                .iter()
                .chain(&start.voltage)
                .chain(&fitted.voltage)
            {
                (lo, hi) = (lo.min(v), hi.max(v));
            }
            let (lo, hi) = (lo - 0.05, hi + 0.05);
            let caption = format!("{}: voltage", d.name);
            let mut chart = time_panel(&left, Some(&caption), t_end, (lo, hi), "Voltage [V]")?;
            chart
                .draw_series(
                    d.time
                        .iter()
                        .zip(&d.voltage)
                        .map(|(&t, &v)| Cross::new((hours(t), v), 3, MEASURED.stroke_width(1))),
                )?
                .label("measured")
                .legend(|(x, y)| Cross::new((x + 10, y), 3, MEASURED.stroke_width(1)));
            chart
                .draw_series(DashedLineSeries::new(
                    start
                        .time
                        .iter()
                        .zip(&start.voltage)
                        .map(|(&t, &v)| (hours(t), v)),
                    8,
                    5,
                    STARTING.stroke_width(2),
                ))?
                .label("starting values")
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], STARTING));
            chart
                .draw_series(LineSeries::new(
                    fitted
                        .time
                        .iter()
                        .zip(&fitted.voltage)
                        .map(|(&t, &v)| (hours(t), v)),
                    FITTED.stroke_width(2),
                ))?
                .label("fitted")
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], FITTED));
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::LowerLeft)
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK.mix(0.3))
                .draw()?;
            // residuals of the fit [mV]
            let res: Vec<(f64, f64)> = d
                .time
                .iter()
                .zip(&result.fitted_residuals_v[k])
                .filter(|(_, r)| r.is_finite())
                .map(|(&t, &r)| (hours(t), 1e3 * r))
                .collect();
            let big = res.iter().fold(1e-3f64, |a, &(_, r)| a.max(r.abs())) * 1.1;
            let mut chart = time_panel(
                &right,
                Some("residual (fitted - measured)"),
                t_end,
                (-big, big),
                "Residual [mV]",
            )?;
            chart.draw_series(LineSeries::new(
                [(0.0, 0.0), (t_end, 0.0)],
                BLACK.mix(0.4).stroke_width(1),
            ))?;
            chart.draw_series(
                res.iter()
                    .map(|&(t, r)| Circle::new((t, r), 2, FITTED.filled())),
            )?;
        }
        Ok(())
    })
}
