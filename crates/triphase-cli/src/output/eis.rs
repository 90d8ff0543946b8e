//! Impedance outputs: tables (one with every spectrum; one per spectrum in impedance.py's
//! format) and the Nyquist and Bode charts, spectra overlaid from blue (first) to red (last).

use std::fmt::Write as _;
use std::path::Path;

use plotters::prelude::*;

use super::plots::{padded_range, ramp, render, ticks};
use super::{raster, write as write_file};
use crate::error::CliError;
use triphase::eis::Labelled;

/// The colour of spectrum `k` of `n`: blue (first) to red (last).
fn colour(k: usize, n: usize) -> RGBAColor {
    ramp(if n > 1 {
        k as f64 / (n - 1) as f64
    } else {
        0.0
    })
}

fn span(v: impl Iterator<Item = f64>) -> (f64, f64) {
    padded_range(v, 0.05)
}

/// Nyquist chart: -Im Z against Re Z [Ohm cm2], equal scales.
pub fn nyquist(spectra: &[Labelled]) -> Result<String, String> {
    let pts = |s: &Labelled| -> Vec<(f64, f64)> {
        let z = &s.spectrum;
        z.z_real_ohm_m2
            .iter()
            .zip(&z.z_imag_ohm_m2)
            .map(|(r, i)| (r * 1e4, -i * 1e4))
            .collect()
    };
    let all: Vec<(f64, f64)> = spectra.iter().flat_map(pts).collect();
    let (x0, x1) = span(all.iter().map(|p| p.0).chain(std::iter::once(0.0)));
    let (y0, y1) = span(all.iter().map(|p| p.1).chain(std::iter::once(0.0)));
    // equal scales: the same span on both axes (the plot area is 600 x 420 pixels)
    let w = (x1 - x0).max((y1 - y0) * 600.0 / 420.0);
    let (x1, y1) = (x0 + w, y0 + w * 420.0 / 600.0);
    render((720, 520), |root| {
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption("Nyquist plot", ("sans-serif", 18))
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        chart
            .configure_mesh()
            .x_desc("Re Z [Ohm cm2]")
            .y_desc("-Im Z [Ohm cm2]")
            .x_label_formatter(&ticks(x0, x1))
            .y_label_formatter(&ticks(y0, y1))
            .draw()?;
        let n = spectra.len();
        for (k, s) in spectra.iter().enumerate() {
            let c = colour(k, n);
            let p = pts(s);
            chart
                .draw_series(LineSeries::new(p.iter().copied(), c.stroke_width(2)))?
                .label(s.at.clone())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(2))
                });
            chart.draw_series(p.iter().map(|&q| Circle::new(q, 2, c.filled())))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()?;
        Ok(())
    })
}

/// Points of one line.
type Curve = Vec<(f64, f64)>;

/// Bode chart: |Z| (log10) and the phase against log10 f.
pub fn bode(spectra: &[Labelled]) -> Result<String, String> {
    let curves: Vec<(Curve, Curve)> = spectra
        .iter()
        .map(|s| {
            let z = &s.spectrum;
            let mut m = Vec::new();
            let mut ph = Vec::new();
            for k in 0..z.frequency_hz.len() {
                let (re, im) = (z.z_real_ohm_m2[k] * 1e4, z.z_imag_ohm_m2[k] * 1e4);
                let lf = z.frequency_hz[k].log10();
                m.push((lf, re.hypot(im).max(1e-300).log10()));
                ph.push((lf, -im.atan2(re).to_degrees()));
            }
            (m, ph)
        })
        .collect();
    let (x0, x1) = span(curves.iter().flat_map(|c| c.0.iter().map(|p| p.0)));
    let (m0, m1) = span(curves.iter().flat_map(|c| c.0.iter().map(|p| p.1)));
    let (p0, p1) = span(
        curves
            .iter()
            .flat_map(|c| c.1.iter().map(|p| p.1))
            .chain([0.0, 90.0]),
    );
    render((720, 640), |root| {
        root.fill(&WHITE)?;
        let (top, bottom) = root.split_vertically(320);
        let n = spectra.len();
        for (area, lo, hi, desc, is_mag) in [
            (&top, m0, m1, "log10 |Z| [Ohm cm2]", true),
            (&bottom, p0, p1, "-phase [degrees]", false),
        ] {
            let mut chart = ChartBuilder::on(area)
                .caption(if is_mag { "Bode plot" } else { "" }, ("sans-serif", 18))
                .margin(12)
                .x_label_area_size(40)
                .y_label_area_size(60)
                .build_cartesian_2d(x0..x1, lo..hi)?;
            chart
                .configure_mesh()
                .x_desc("log10 f [Hz]")
                .y_desc(desc)
                .x_label_formatter(&ticks(x0, x1))
                .y_label_formatter(&ticks(lo, hi))
                .draw()?;
            for (k, (m, ph)) in curves.iter().enumerate() {
                let c = colour(k, n);
                let data = if is_mag { m } else { ph };
                let s =
                    chart.draw_series(LineSeries::new(data.iter().copied(), c.stroke_width(2)))?;
                if is_mag {
                    s.label(spectra[k].at.clone()).legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(2))
                    });
                }
            }
            if is_mag {
                chart
                    .configure_series_labels()
                    .position(SeriesLabelPosition::LowerLeft)
                    .background_style(WHITE.mix(0.85))
                    .border_style(BLACK)
                    .draw()?;
            }
        }
        Ok(())
    })
}

/// spectra.csv, impedance_K.csv (impedance.py: f, Re Z, Im Z in Ohm, no header), eis.json,
/// nyquist and bode charts.
pub fn write_spectra(spectra: &[Labelled], area_m2: f64, dir: &Path) -> Result<(), CliError> {
    let mut all = String::from("at,Frequency [Hz],Re Z [Ohm.cm2],Im Z [Ohm.cm2]\n");
    for (k, s) in spectra.iter().enumerate() {
        let z = &s.spectrum;
        let mut one = String::new();
        for i in 0..z.frequency_hz.len() {
            let _ = writeln!(
                all,
                "{},{:e},{:e},{:e}",
                s.at,
                z.frequency_hz[i],
                z.z_real_ohm_m2[i] * 1e4,
                z.z_imag_ohm_m2[i] * 1e4
            );
            let _ = writeln!(
                one,
                "{:e},{:e},{:e}",
                z.frequency_hz[i],
                z.z_real_ohm_m2[i] / area_m2,
                z.z_imag_ohm_m2[i] / area_m2
            );
        }
        write_file(&dir.join(format!("impedance_{}.csv", k + 1)), &one)?;
    }
    write_file(&dir.join("spectra.csv"), &all)?;
    write_file(
        &dir.join("eis.json"),
        &serde_json::to_string_pretty(spectra).expect("spectra serialise"),
    )?;
    for (stem, svg) in [("nyquist", nyquist(spectra)), ("bode", bode(spectra))] {
        let svg = svg.map_err(|e| super::OutputError {
            path: dir.join(format!("{stem}.svg")).display().to_string(),
            message: e,
        })?;
        write_file(&dir.join(format!("{stem}.svg")), &svg)?;
        raster::write_png(&svg, &dir.join(format!("{stem}.png")))?;
    }
    Ok(())
}
