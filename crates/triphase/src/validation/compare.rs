//! Reading a case's quantity off a solution and comparing it with what was measured.

use serde::Serialize;

use super::case::{Case, Measured, Metric, Quantity, Trend};
use super::Curve;
use crate::constants::{c_per_m2_to_mah_per_cm2, FARADAY};
use crate::experiment::StepKind;
use crate::solution::interpolate_linear;
use crate::Solution;

/// The case's quantity in `sol` (None when the run does not define it, e.g. no O2 exchanged).
pub fn quantity(q: Quantity, sol: &Solution) -> Option<f64> {
    let first = sol.cycle_summary(1);
    match q {
        Quantity::DischargeCapacity => first.map(|c| c.discharge_capacity_mAh_cm2),
        Quantity::MeanDischargeVoltage => first.and_then(|c| c.mean_discharge_voltage_V),
        Quantity::OverpotentialGap => first.and_then(|c| c.overpotential_gap_V),
        Quantity::ElectronsPerO2 => first.and_then(|c| c.electrons_per_O2),
        Quantity::CycleLife => {
            let s = sol.summary();
            Some(s.end_of_life.cycle.unwrap_or(sol.cycle_count()) as f64)
        }
        Quantity::FilmThickness => sol
            .variable("Max film thickness [m]")
            .and_then(|v| v.values.to_f64().last().copied()),
        Quantity::ProductVolumeFraction => sol
            .variable("Max product volume fraction [-]")
            .and_then(|v| v.values.to_f64().last().copied()),
        Quantity::MetalLostToO2 => Some(
            sol.summary()
                .anode
                .metal_loss_mol_m2
                .get("O2")
                .copied()
                .unwrap_or(0.0),
        ),
        Quantity::InterfaceResistance => {
            let freqs = crate::eis::frequencies(1e6, 1e-2, 10);
            crate::eis::spectra_at(sol, &[crate::eis::At::End], &freqs)
                .ok()
                .and_then(|s| s.into_iter().next())
                .map(|l| crate::eis::interface_resistance(&l.spectrum) * 1e4)
        }
        // compared with the point's measured curve, see [`curve_deviation`]
        Quantity::DischargeVoltageCurve => None,
        Quantity::MetalLossFraction => {
            let s = sol.summary();
            let lost: f64 = s.anode.metal_loss_mol_m2.values().sum();
            // metal plated over the run [mol m-2]: the charge of the charge steps
            let cycled = s.charge_capacity_mAh_cm2 / c_per_m2_to_mah_per_cm2(1.0) / FARADAY;
            (cycled > 0.0).then(|| lost / cycled)
        }
    }
}

/// The voltage along the first discharge step of `sol` against the capacity it has passed
/// (None without a recorded discharge).
pub fn discharge_curve(sol: &Solution) -> Option<Curve> {
    let s = sol
        .steps
        .iter()
        .position(|r| r.kind == StepKind::Discharge && r.points.is_some())?;
    let (first, last) = sol.steps[s].points?;
    let (q, v) = (sol.charge(), sol.voltage());
    let q0 = q[first];
    Some(Curve {
        capacity: (first..=last)
            .map(|i| c_per_m2_to_mah_per_cm2(q[i] - q0))
            .collect(),
        voltage: v[first..=last].to_vec(),
    })
}

/// Root-mean-square deviation \[V\] of the simulated `curve` from the measured (capacity,
/// voltage) pairs: the simulated voltage is interpolated linearly in capacity at each measured
/// capacity; a measured capacity beyond the simulated curve's end takes its last voltage (a
/// discharge that ends early is judged by how far its cut-off lies below the measurement).
pub fn curve_deviation(curve: &Curve, measured: &[[f64; 2]]) -> f64 {
    let at = |x: f64| interpolate_linear(&curve.capacity, &curve.voltage, x);
    let sum: f64 = measured.iter().map(|[x, y]| (at(*x) - y).powi(2)).sum();
    (sum / measured.len() as f64).sqrt()
}

/// The outcome of one point.
#[derive(Debug, Clone, Serialize)]
pub struct PointOutcome {
    /// The point's label.
    pub label: String,
    /// Abscissa.
    pub x: f64,
    /// What the source states.
    pub measured: Measured,
    /// The simulated quantity (None when the run failed or does not define it).
    pub simulated: Option<f64>,
    /// The compared simulated value: the simulated one, or its ratio to the reference point's.
    pub compared: Option<f64>,
    /// The compared measured value (ratio when normalised).
    pub compared_measured: Option<f64>,
    /// Error in the metric's unit (relative, absolute or decades).
    pub error: Option<f64>,
    /// Whether the point meets the metric, bound or range (None: the reference point of a
    /// normalised case, or a trend-only point).
    pub passed: Option<bool>,
    /// Why the run gave no value (solver failure text, undefined quantity).
    pub note: Option<String>,
    /// The simulated discharge curve (cases comparing curves only).
    pub curve: Option<Curve>,
}

/// Compares the simulated values (one per point, in order) with the case's measurements;
/// returns the per-point outcomes and whether the stated trend holds.
pub fn compare(
    case: &Case,
    simulated: &[Result<Option<f64>, String>],
) -> (Vec<PointOutcome>, Option<bool>) {
    let reference = case.normalise_to.as_ref().map(|label| {
        let i = case
            .points
            .iter()
            .position(|p| &p.label == label)
            .expect("checked on load");
        let Measured::Value { value, .. } = case.points[i].measured else {
            unreachable!("checked on load")
        };
        (i, value, simulated[i].clone().ok().flatten())
    });
    let mut out = Vec::new();
    for (i, (p, sim)) in case.points.iter().zip(simulated).enumerate() {
        let (value, note) = match sim {
            Ok(Some(v)) => (Some(*v), None),
            Ok(None) => (
                None,
                Some(format!(
                    "the run does not define the {}",
                    case.quantity.label()
                )),
            ),
            Err(e) => (None, Some(e.clone())),
        };
        let is_reference = reference.is_some_and(|(r, _, _)| r == i);
        let (compared, compared_measured) = match (reference, &p.measured) {
            (Some((_, m_ref, s_ref)), Measured::Value { value: m, .. }) => {
                (value.zip(s_ref).map(|(v, s)| v / s), Some(m / m_ref))
            }
            (None, Measured::Value { value: m, .. }) => (value, Some(*m)),
            // the simulated value is the deviation from the curve
            (None, Measured::Curve(_)) => (value, Some(0.0)),
            _ => (value, None),
        };
        let (error, passed) = if is_reference {
            (None, None)
        } else {
            judge(case, &p.measured, compared, compared_measured)
        };
        out.push(PointOutcome {
            label: p.label.clone(),
            x: p.x,
            measured: p.measured.clone(),
            simulated: value,
            compared,
            compared_measured,
            error,
            passed: if value.is_none() && !is_reference {
                Some(false)
            } else {
                passed
            },
            note,
            curve: None,
        });
    }
    let trend = case.trend.map(|t| {
        let values: Option<Vec<f64>> = out.iter().map(|o| o.simulated).collect();
        values.is_some_and(|v| {
            // each step moves in the stated direction by at least the stated fraction of the
            // value it starts from
            let step = case.trend_min_change;
            v.windows(2).all(|w| match t {
                Trend::Increasing => w[1] - w[0] > step * w[0].abs(),
                Trend::Decreasing => w[0] - w[1] > step * w[0].abs(),
            })
        })
    });
    (out, trend)
}

/// Error and verdict of one point.
fn judge(
    case: &Case,
    measured: &Measured,
    sim: Option<f64>,
    meas: Option<f64>,
) -> (Option<f64>, Option<bool>) {
    let Some(s) = sim else {
        return (None, Some(false));
    };
    match measured {
        Measured::Value { .. } | Measured::Curve(_) => {
            let m = meas.expect("a value or curve point has a measured value");
            let tol = case
                .tolerance
                .expect("checked on load: a value needs a metric");
            let e = match case.metric.expect("checked on load") {
                Metric::Relative => (s - m).abs() / m.abs(),
                Metric::Absolute => (s - m).abs(),
                Metric::Log10 => {
                    if s > 0.0 && m > 0.0 {
                        (s / m).log10().abs()
                    } else {
                        f64::INFINITY
                    }
                }
            };
            (Some(e), Some(e <= tol))
        }
        Measured::Below(b) => (Some(s - b), Some(s <= *b)),
        Measured::Range(lo, hi) => {
            let e = if s < *lo {
                s - lo
            } else if s > *hi {
                s - hi
            } else {
                0.0
            };
            (Some(e), Some(e == 0.0))
        }
        Measured::TrendOnly => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(text: &str) -> Case {
        Case::from_toml_str("t", text).unwrap()
    }

    const HEAD: &str = r#"
[reference]
authors = "A"
title = "T"
journal = "J"
year = 2000
doi = "10.0/x"
location = "abstract"
quote = "q"
[setup.cell]
preset = "li-o2"
"#;

    /// Relative, absolute and decade errors are exact; a bound passes at and below its value.
    #[test]
    fn metrics_give_exact_errors() {
        let text = format!(
            "{HEAD}\n[case]\ntitle = \"x\"\nquantity = \"discharge_capacity\"\nmetric = \"relative\"\ntolerance = 0.25\ntolerance_reason = \"r\"\nx_label = \"x\"\nexpected = \"pass\"\nfitting = \"held_out\"\n[[point]]\nlabel = \"a\"\nx = 1\nsteps = [\"Rest for 1 hour\"]\nvalue = 8.0\n[[point]]\nlabel = \"b\"\nx = 2\nsteps = [\"Rest for 1 hour\"]\nbelow = 0.2\n"
        );
        let mut c = case(&text);
        let (o, trend) = compare(&c, &[Ok(Some(10.0)), Ok(Some(0.2))]);
        assert_eq!(o[0].error, Some(0.25));
        assert_eq!(o[0].passed, Some(true));
        assert_eq!(o[1].passed, Some(true));
        assert_eq!(trend, None);
        let (o, _) = compare(&c, &[Ok(Some(10.5)), Ok(Some(0.2000001))]);
        assert_eq!(o[0].passed, Some(false));
        assert_eq!(o[1].passed, Some(false));
        c.metric = Some(Metric::Absolute);
        let (o, _) = compare(&c, &[Ok(Some(5.0)), Ok(Some(0.1))]);
        assert_eq!(o[0].error, Some(3.0));
        c.metric = Some(Metric::Log10);
        let (o, _) = compare(&c, &[Ok(Some(80.0)), Ok(Some(0.1))]);
        assert!((o[0].error.unwrap() - 1.0).abs() < 1e-15);
        // a failed run fails its point and carries the message
        let (o, _) = compare(&c, &[Err("boom".into()), Ok(Some(0.1))]);
        assert_eq!(o[0].passed, Some(false));
        assert_eq!(o[0].note.as_deref(), Some("boom"));
    }

    /// Normalised cases compare ratios to the reference point (which itself is not judged);
    /// trends need every value strictly ordered.
    #[test]
    fn normalisation_and_trend() {
        let text = format!(
            "{HEAD}\n[case]\ntitle = \"x\"\nquantity = \"discharge_capacity\"\nmetric = \"relative\"\ntolerance = 0.1\ntolerance_reason = \"r\"\ntrend = \"decreasing\"\nnormalise_to = \"ref\"\nx_label = \"x\"\nexpected = \"pass\"\nfitting = \"held_out\"\n[[point]]\nlabel = \"lo\"\nx = 1\nsteps = [\"Rest for 1 hour\"]\nvalue = 20.0\n[[point]]\nlabel = \"ref\"\nx = 2\nsteps = [\"Rest for 1 hour\"]\nvalue = 10.0\n"
        );
        let c = case(&text);
        let (o, trend) = compare(&c, &[Ok(Some(4.0)), Ok(Some(2.0))]);
        assert_eq!(o[0].compared, Some(2.0));
        assert_eq!(o[0].compared_measured, Some(2.0));
        assert_eq!(o[0].error, Some(0.0));
        assert_eq!(o[1].passed, None);
        assert_eq!(trend, Some(true));
        let (_, trend) = compare(&c, &[Ok(Some(2.0)), Ok(Some(2.0))]);
        assert_eq!(trend, Some(false));
    }

    /// A minimum change makes a trend need each step to move by more than that fraction of the
    /// value it starts from; it needs a trend and a fraction in [0, 1).
    #[test]
    fn a_trend_with_a_minimum_change_ignores_small_steps() {
        let body = |extra: &str| {
            format!(
                "{HEAD}\n[case]\ntitle = \"x\"\nquantity = \"discharge_capacity\"\n{extra}x_label = \"x\"\nexpected = \"pass\"\nfitting = \"held_out\"\n[[point]]\nlabel = \"a\"\nx = 1\nsteps = [\"Rest for 1 hour\"]\nbelow = 20.0\n[[point]]\nlabel = \"b\"\nx = 2\nsteps = [\"Rest for 1 hour\"]\nbelow = 20.0\n"
            )
        };
        let c = case(&body("trend = \"increasing\"\ntrend_min_change = 0.05\n"));
        assert_eq!(
            c.trend_text().as_deref(),
            Some("increasing by at least 5 %")
        );
        let (_, trend) = compare(&c, &[Ok(Some(10.0)), Ok(Some(10.51))]);
        assert_eq!(trend, Some(true));
        let (_, trend) = compare(&c, &[Ok(Some(10.0)), Ok(Some(10.49))]);
        assert_eq!(trend, Some(false));
        let c = case(&body("trend = \"decreasing\"\ntrend_min_change = 0.5\n"));
        let (_, trend) = compare(&c, &[Ok(Some(10.0)), Ok(Some(4.9))]);
        assert_eq!(trend, Some(true));
        let (_, trend) = compare(&c, &[Ok(Some(10.0)), Ok(Some(5.1))]);
        assert_eq!(trend, Some(false));
        for (extra, message) in [
            ("trend_min_change = 0.05\n", "needs a trend"),
            (
                "trend = \"increasing\"\ntrend_min_change = 1.5\n",
                "outside [0, 1)",
            ),
        ] {
            let e = Case::from_toml_str("t", &body(extra))
                .unwrap_err()
                .to_string();
            assert!(e.contains("trend_min_change") && e.contains(message), "{e}");
        }
    }

    /// The curve deviation interpolates linearly in capacity and holds the last voltage past the
    /// simulated end: exact RMS values.
    #[test]
    fn curve_deviation_is_the_rms_of_the_interpolated_differences() {
        let sim = Curve {
            capacity: vec![0.0, 1.0, 2.0],
            voltage: vec![3.0, 2.0, 1.0],
        };
        assert_eq!(curve_deviation(&sim, &[[0.5, 2.5], [2.0, 1.0]]), 0.0);
        let rms = curve_deviation(&sim, &[[0.5, 2.5], [1.5, 1.4]]);
        assert!((rms - (0.01f64 / 2.0).sqrt()).abs() < 1e-15, "{rms}");
        // beyond the simulated end: its last voltage
        assert!((curve_deviation(&sim, &[[3.0, 0.5]]) - 0.5).abs() < 1e-15);
    }

    /// A curve case compares the RMS deviation with the tolerance (the measured side is 0); a
    /// curve needs its quantity, an absolute metric and increasing capacities, and the errors
    /// name the key.
    #[test]
    fn curve_cases_judge_the_deviation_and_refuse_bad_curves() {
        let body = |metric: &str, curve: &str| {
            format!(
                "{HEAD}\n[case]\ntitle = \"x\"\nquantity = \"discharge_voltage_curve\"\nmetric = \"{metric}\"\ntolerance = 0.001\ntolerance_reason = \"r\"\nx_label = \"x\"\nexpected = \"pass\"\nfitting = \"held_out\"\n[[point]]\nlabel = \"a\"\nx = 1\nsteps = [\"Rest for 1 hour\"]\ncurve = {curve}\n"
            )
        };
        let c = case(&body("absolute", "[[0.0, 2.7], [1.0, 2.6]]"));
        let (o, _) = compare(&c, &[Ok(Some(0.0009))]);
        assert_eq!(o[0].compared_measured, Some(0.0));
        assert_eq!(o[0].error, Some(0.0009));
        assert_eq!(o[0].passed, Some(true));
        let (o, _) = compare(&c, &[Ok(Some(0.0011))]);
        assert_eq!(o[0].passed, Some(false));
        for (metric, curve, needle) in [
            ("relative", "[[0.0, 2.7], [1.0, 2.6]]", "metric"),
            ("absolute", "[[1.0, 2.7], [1.0, 2.6]]", "curve"),
            ("absolute", "[[0.0, 2.7]]", "curve"),
        ] {
            let e = Case::from_toml_str("t", &body(metric, curve))
                .unwrap_err()
                .to_string();
            assert!(e.contains(needle), "{e}");
        }
        let scalar = body("absolute", "[[0.0, 2.7], [1.0, 2.6]]")
            .replace("discharge_voltage_curve", "discharge_capacity");
        let e = Case::from_toml_str("t", &scalar).unwrap_err().to_string();
        assert!(e.contains("discharge_voltage_curve"), "{e}");
        let no_curve = body("absolute", "[[0.0, 2.7], [1.0, 2.6]]")
            .replace("curve = [[0.0, 2.7], [1.0, 2.6]]", "value = 1.0");
        let e = Case::from_toml_str("t", &no_curve).unwrap_err().to_string();
        assert!(e.contains("needs a curve"), "{e}");
    }

    /// Bad case files name the key at fault.
    #[test]
    fn bad_cases_name_the_key() {
        let no_source = format!(
            "{HEAD}\n[setup.parameters]\n\"Cathode thickness [m]\" = 1e-4\n[case]\ntitle = \"x\"\nquantity = \"cycle_life\"\nx_label = \"x\"\nexpected = \"pass\"\nfitting = \"held_out\"\n[[point]]\nlabel = \"a\"\nx = 1\nsteps = [\"Rest for 1 hour\"]\nbelow = 3\n"
        );
        let e = Case::from_toml_str("t", &no_source)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("Cathode thickness [m]") && e.contains("source"),
            "{e}"
        );
        let no_reason = no_source
            .replace("\"Cathode thickness [m]\" = 1e-4", "")
            .replace("expected = \"pass\"", "expected = \"fail\"");
        let e = Case::from_toml_str("t", &no_reason)
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected_reason"), "{e}");
    }

    /// A point's component replaces the set-up's in its slot, and only for that point; an
    /// unknown slot or a component without its source names the key.
    #[test]
    fn point_components_replace_the_slot_of_that_point() {
        let body = "\n[case]\ntitle = \"x\"\nquantity = \"cycle_life\"\nx_label = \"x\"\nexpected = \"pass\"\nfitting = \"held_out\"\n[[point]]\nlabel = \"a\"\nx = 1\nsteps = [\"Rest for 1 hour\"]\nbelow = 3\n[[point]]\nlabel = \"b\"\nx = 2\nsteps = [\"Rest for 1 hour\"]\nbelow = 3\n";
        let good = format!(
            "{HEAD}{body}[point.components]\nseparator = {{ component = \"lagp\", source = \"s\" }}\n"
        );
        let c = case(&good);
        let a = crate::validation::point_cell(&c, &c.points[0]).unwrap();
        let b = crate::validation::point_cell(&c, &c.points[1]).unwrap();
        let sep = |cell: &crate::Cell| cell.components[&crate::components::Slot::Separator].clone();
        assert_eq!(sep(&a), "celgard-2400");
        assert_eq!(sep(&b), "lagp");
        let e = Case::from_toml_str("t", &good.replace("separator = {", "membrane = {"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("membrane") && e.contains("unknown slot"), "{e}");
        let e = Case::from_toml_str("t", &good.replace(", source = \"s\"", ""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("separator") && e.contains("source"), "{e}");
    }
}
