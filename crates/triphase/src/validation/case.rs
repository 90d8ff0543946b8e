//! A validation case as data: the reference and the passage that states the numbers, the cell
//! (a cell file inside the case), the points to simulate with their measured values, what is
//! compared and how, and the expected outcome.

use serde::{Deserialize, Serialize};

use crate::components::Slot;
use crate::error::InputError;

/// Whether a case is expected to pass (a regression shows as a failure) or to fail (a known
/// limit of the model, stated in `expected_reason`; an improvement shows as a pass).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Expected {
    /// The model reproduces the measurement within the tolerance.
    Pass,
    /// A known limit of the model: the comparison fails.
    Fail,
}

/// Whether a case's measurements were used to set library values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fitting {
    /// Kept out of any fitting: a test of the library's values.
    HeldOut,
    /// Used to set library values (each such value's source names the case).
    Calibration,
}

/// Where the numbers come from.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// Authors as printed.
    pub authors: String,
    /// Article title.
    pub title: String,
    /// Journal, volume and pages.
    pub journal: String,
    /// Year of publication.
    pub year: u32,
    /// DOI (without the resolver prefix), when one was confirmed; otherwise `url` names the
    /// page where the passage was read.
    #[serde(default)]
    pub doi: Option<String>,
    /// Where in the source the numbers stand (abstract, section, table).
    pub location: String,
    /// The passage that states them, quoted briefly.
    pub quote: String,
    /// Page where the passage was read, when it is not the DOI's landing page.
    #[serde(default)]
    pub url: Option<String>,
}

/// The compared quantity, each with its unit and how it is read off a solution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    /// Discharge capacity of the first cycle [mAh cm-2].
    DischargeCapacity,
    /// Charge-weighted mean discharge voltage of the first cycle \[V\].
    MeanDischargeVoltage,
    /// Mean charge voltage - mean discharge voltage of the first cycle \[V\].
    OverpotentialGap,
    /// Electrons per O2 drawn from the gas in the first discharge [-].
    ElectronsPerO2,
    /// Cycle in which the end-of-life criterion was met \[cycles\] (the cycles run when the cell
    /// is still alive, reported as such).
    CycleLife,
    /// Largest discharge-product film thickness at the end of the run \[m\].
    FilmThickness,
    /// Metal lost per cycle as a fraction of the metal cycled (1 - coulombic efficiency of the
    /// metal) [-].
    MetalLossFraction,
    /// Largest discharge-product volume fraction in the cathode at the end of the run [-].
    ProductVolumeFraction,
    /// Metal consumed by crossed O2 (corrosion) over the run [mol.m-2].
    MetalLostToO2,
    /// The voltage along the first discharge against its capacity, compared with a measured
    /// curve of (capacity [mAh cm-2], voltage \[V\]) pairs: the root-mean-square deviation of the
    /// simulated voltage, interpolated at the measured capacities, from the measured one \[V\]
    /// (a measured capacity beyond the simulated discharge's end counts at its last voltage).
    DischargeVoltageCurve,
    /// Interfacial resistance read off the impedance spectrum of the state at the end of the
    /// run, 1 MHz to 10 mHz, as an experimenter reads it: the width of the high- and
    /// mid-frequency arcs (see [`crate::eis::interface_resistance`]) [Ohm.cm2].
    InterfaceResistance,
}

impl Quantity {
    /// Unit as printed.
    pub fn unit(self) -> &'static str {
        match self {
            Quantity::DischargeCapacity => "mAh cm-2",
            Quantity::MeanDischargeVoltage
            | Quantity::OverpotentialGap
            | Quantity::DischargeVoltageCurve => "V",
            Quantity::ElectronsPerO2
            | Quantity::MetalLossFraction
            | Quantity::ProductVolumeFraction => "-",
            Quantity::MetalLostToO2 => "mol m-2",
            Quantity::InterfaceResistance => "Ohm cm2",
            Quantity::CycleLife => "cycles",
            Quantity::FilmThickness => "m",
        }
    }

    /// Name as printed.
    pub fn label(self) -> &'static str {
        match self {
            Quantity::DischargeCapacity => "discharge capacity",
            Quantity::MeanDischargeVoltage => "mean discharge voltage",
            Quantity::OverpotentialGap => "charge-discharge voltage gap",
            Quantity::ElectronsPerO2 => "electrons per O2",
            Quantity::CycleLife => "cycle life",
            Quantity::FilmThickness => "product film thickness",
            Quantity::MetalLossFraction => "metal lost per metal cycled",
            Quantity::ProductVolumeFraction => "product volume fraction",
            Quantity::MetalLostToO2 => "metal lost to O2 corrosion",
            Quantity::InterfaceResistance => "interfacial resistance (impedance arcs)",
            Quantity::DischargeVoltageCurve => "discharge voltage curve (RMS deviation)",
        }
    }
}

/// How a simulated value is compared with a measured one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// |sim - meas| / |meas| <= tolerance.
    Relative,
    /// |sim - meas| <= tolerance (in the quantity's unit).
    Absolute,
    /// |log10(sim / meas)| <= tolerance (decades), for values spanning orders of magnitude.
    Log10,
}

/// A stated trend over the points, in their listed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    /// Each point's value exceeds the previous one.
    Increasing,
    /// Each point's value is below the previous one.
    Decreasing,
}

impl Case {
    /// The stated trend in words ("increasing", "increasing by at least 5 %"), if any.
    pub fn trend_text(&self) -> Option<String> {
        self.trend.map(|t| {
            let word = match t {
                Trend::Increasing => "increasing",
                Trend::Decreasing => "decreasing",
            };
            if self.trend_min_change > 0.0 {
                format!("{word} by at least {} %", self.trend_min_change * 100.0)
            } else {
                word.to_string()
            }
        })
    }
}

/// What the source states for one point.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measured {
    /// A value (with its stated uncertainty, if any).
    Value {
        /// The value in the quantity's unit.
        value: f64,
        /// Stated uncertainty (±) in the same unit.
        uncertainty: Option<f64>,
    },
    /// An upper bound ("less than 50 mV").
    Below(f64),
    /// A range ("5 to 10 nm").
    Range(f64, f64),
    /// Nothing numeric: the point enters the case's trend only.
    TrendOnly,
    /// A curve of (capacity [mAh cm-2], voltage \[V\]) pairs along the first discharge
    /// (quantity `discharge_voltage_curve`; the simulated value is the RMS deviation from it,
    /// so the compared measured value is 0).
    Curve(Vec<[f64; 2]>),
}

/// A parameter value with its source.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourcedValue {
    /// Value in the parameter's unit.
    pub value: f64,
    /// Where it comes from (the paper's stated set-up, or "estimate: ..." with its reasoning).
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PointFile {
    label: String,
    #[serde(default)]
    components: toml::Table,
    x: f64,
    steps: Vec<String>,
    #[serde(default)]
    cycles: Option<usize>,
    #[serde(default)]
    until_eol: bool,
    #[serde(default)]
    value: Option<f64>,
    #[serde(default)]
    uncertainty: Option<f64>,
    #[serde(default)]
    below: Option<f64>,
    #[serde(default)]
    range: Option<[f64; 2]>,
    #[serde(default)]
    curve: Option<Vec<[f64; 2]>>,
    #[serde(default)]
    parameters: toml::Table,
}

/// One simulated condition and what was measured there.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    /// Name of the condition ("0.15 mA cm-2", "dry O2").
    pub label: String,
    /// Abscissa in the case's chart.
    pub x: f64,
    /// Experiment steps.
    pub steps: Vec<String>,
    /// Number of cycles (1 unless stated).
    pub cycles: usize,
    /// Whether the run goes on to end of life (with the default criterion).
    pub until_eol: bool,
    /// What the source states.
    pub measured: Measured,
    /// Parameter overrides of this point, each with its source.
    pub parameters: Vec<(String, SourcedValue)>,
    /// Components of this point in place of the set-up's, by slot, each with its source.
    pub components: Vec<(Slot, SourcedComponent)>,
}

/// A library component standing for the paper's material, with the reason.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourcedComponent {
    /// Library component name.
    pub component: String,
    /// Why it stands for the paper's material.
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseSection {
    title: String,
    quantity: Quantity,
    #[serde(default)]
    metric: Option<Metric>,
    #[serde(default)]
    tolerance: Option<f64>,
    #[serde(default)]
    tolerance_reason: Option<String>,
    #[serde(default)]
    trend: Option<Trend>,
    #[serde(default)]
    trend_min_change: Option<f64>,
    #[serde(default)]
    normalise_to: Option<String>,
    x_label: String,
    #[serde(default)]
    x_log: bool,
    expected: Expected,
    #[serde(default)]
    expected_reason: Option<String>,
    fitting: Fitting,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    case: CaseSection,
    reference: Reference,
    setup: toml::Table,
    point: Vec<PointFile>,
}

/// A validation case.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    /// Name (the file stem).
    pub name: String,
    /// What is compared, in words.
    pub title: String,
    /// The source.
    pub reference: Reference,
    /// The compared quantity.
    pub quantity: Quantity,
    /// How values are compared (None: bounds, ranges and trends only).
    pub metric: Option<Metric>,
    /// Tolerance of the metric (its unit follows the metric).
    pub tolerance: Option<f64>,
    /// Why this tolerance.
    pub tolerance_reason: Option<String>,
    /// A stated trend over the points.
    pub trend: Option<Trend>,
    /// Smallest relative change between consecutive points for the trend to hold [-] (0: any
    /// change in the stated direction; a source that calls an effect strong is not met by a
    /// change at the level of numerical noise).
    pub trend_min_change: f64,
    /// Compare ratios to this point's value instead of values (when the source's set-up leaves
    /// the absolute scale open, e.g. an unstated electrode loading).
    pub normalise_to: Option<String>,
    /// Label of the chart's abscissa.
    pub x_label: String,
    /// Logarithmic abscissa.
    pub x_log: bool,
    /// Expected outcome.
    pub expected: Expected,
    /// Why a failure is expected.
    pub expected_reason: Option<String>,
    /// Whether the case set library values.
    pub fitting: Fitting,
    /// The cell, as a cell file (TOML text).
    pub setup: String,
    /// The simulated conditions.
    pub points: Vec<Point>,
}

impl Case {
    /// Parses a case file; `name` is its file stem, named in errors with the key at fault.
    pub fn from_toml_str(name: &str, text: &str) -> Result<Case, InputError> {
        let origin = format!("validation/{name}.toml");
        let invalid = |key: &str, message: String| InputError::Invalid {
            origin: format!("{origin}: {key}"),
            message,
        };
        let file: CaseFile = toml::from_str(text).map_err(|e| InputError::Invalid {
            origin: origin.clone(),
            message: e.to_string(),
        })?;
        let c = file.case;
        if c.expected == Expected::Fail && c.expected_reason.is_none() {
            return Err(invalid(
                "[case] expected_reason",
                "a case expected to fail must say why (the model's known limit)".into(),
            ));
        }
        if c.metric.is_some() != c.tolerance.is_some() {
            return Err(invalid(
                "[case] tolerance",
                "a metric needs a tolerance and a tolerance needs a metric".into(),
            ));
        }
        if let Some(t) = c.tolerance {
            if !(t.is_finite() && t > 0.0) {
                return Err(invalid("[case] tolerance", format!("{t} must be positive")));
            }
            if c.tolerance_reason.is_none() {
                return Err(invalid(
                    "[case] tolerance_reason",
                    "a tolerance needs its justification".into(),
                ));
            }
        }
        for (key, value) in [
            ("authors", &file.reference.authors),
            ("title", &file.reference.title),
            ("location", &file.reference.location),
            ("quote", &file.reference.quote),
        ] {
            if value.trim().is_empty() {
                return Err(invalid(&format!("[reference] {key}"), "is empty".into()));
            }
        }
        match (&file.reference.doi, &file.reference.url) {
            (Some(d), _) if !d.starts_with("10.") => {
                return Err(invalid(
                    "[reference] doi",
                    format!("\"{d}\" is not a DOI (10.xxxx/...)"),
                ))
            }
            (None, None) => {
                return Err(invalid(
                    "[reference]",
                    "needs a doi or the url of the page where the passage was read".into(),
                ))
            }
            _ => {}
        }
        check_sources(&file.setup, "[setup.parameters]", &invalid)?;
        if file.point.is_empty() {
            return Err(invalid(
                "[[point]]",
                "a case needs at least one point".into(),
            ));
        }
        let mut points = Vec::new();
        for (i, p) in file.point.into_iter().enumerate() {
            let key = format!("[[point]] {} (\"{}\")", i + 1, p.label);
            let is_curve = c.quantity == Quantity::DischargeVoltageCurve;
            let measured = match (p.value, p.below, p.range, p.curve) {
                (None, None, None, Some(curve)) if is_curve => {
                    check_curve(&curve).map_err(|m| invalid(&format!("{key} curve"), m))?;
                    Measured::Curve(curve)
                }
                (_, _, _, Some(_)) => {
                    return Err(invalid(
                        &key,
                        "a curve is given alone, with quantity = \"discharge_voltage_curve\""
                            .into(),
                    ))
                }
                _ if is_curve => {
                    return Err(invalid(
                        &key,
                        "quantity \"discharge_voltage_curve\" needs a curve = [[capacity, voltage], ...]"
                            .into(),
                    ))
                }
                (Some(value), None, None, None) => Measured::Value {
                    value,
                    uncertainty: p.uncertainty,
                },
                (None, Some(b), None, None) => Measured::Below(b),
                (None, None, Some([lo, hi]), None) if lo < hi => Measured::Range(lo, hi),
                (None, None, Some(_), None) => {
                    return Err(invalid(
                        &key,
                        "range must be [low, high] with low < high".into(),
                    ))
                }
                (None, None, None, None) if c.trend.is_some() => Measured::TrendOnly,
                (None, None, None, None) => {
                    return Err(invalid(
                        &key,
                        "needs value, below or range (or a trend on the case)".into(),
                    ))
                }
                _ => {
                    return Err(invalid(&key, "give one of value, below or range".into()));
                }
            };
            if is_curve && c.metric != Some(Metric::Absolute) {
                return Err(invalid(
                    "[case] metric",
                    "a curve is compared by its RMS voltage deviation: metric = \"absolute\" (V)"
                        .into(),
                ));
            }
            if matches!(measured, Measured::Value { .. } | Measured::Curve(_)) && c.metric.is_none()
            {
                return Err(invalid(
                    &key,
                    "a measured value needs the case's metric".into(),
                ));
            }
            let mut parameters = Vec::new();
            for (name, v) in &p.parameters {
                let v: SourcedValue = v.clone().try_into().map_err(|e| {
                    invalid(
                        &format!("{key} parameters \"{name}\""),
                        format!("expected {{ value = ..., source = \"...\" }}: {e}"),
                    )
                })?;
                parameters.push((name.clone(), v));
            }
            let mut components = Vec::new();
            for (section, v) in &p.components {
                let key = format!("{key} components \"{section}\"");
                let slot = Slot::named(section).ok_or_else(|| {
                    let names: Vec<&str> = Slot::ALL.iter().map(|s| s.section()).collect();
                    invalid(&key, format!("unknown slot (slots: {})", names.join(", ")))
                })?;
                let c: SourcedComponent = v.clone().try_into().map_err(|e| {
                    invalid(
                        &key,
                        format!("expected {{ component = \"...\", source = \"...\" }}: {e}"),
                    )
                })?;
                if c.source.trim().is_empty() {
                    return Err(invalid(&key, "needs its source".into()));
                }
                components.push((slot, c));
            }
            points.push(Point {
                components,
                label: p.label,
                x: p.x,
                steps: p.steps,
                cycles: p.cycles.unwrap_or(1),
                until_eol: p.until_eol,
                measured,
                parameters,
            });
        }
        if let Some(m) = c.trend_min_change {
            if c.trend.is_none() {
                return Err(invalid(
                    "[case] trend_min_change",
                    "needs a trend (trend = \"increasing\" or \"decreasing\")".into(),
                ));
            }
            if !(0.0..1.0).contains(&m) {
                return Err(invalid(
                    "[case] trend_min_change",
                    format!("{m} is outside [0, 1) (a relative change)"),
                ));
            }
        }
        if let Some(r) = &c.normalise_to {
            let Some(p) = points.iter().find(|p| &p.label == r) else {
                return Err(invalid(
                    "[case] normalise_to",
                    format!("no point is labelled \"{r}\""),
                ));
            };
            if !matches!(p.measured, Measured::Value { .. }) {
                return Err(invalid(
                    "[case] normalise_to",
                    format!("point \"{r}\" has no measured value"),
                ));
            }
        }
        let setup = toml::to_string(&file.setup).map_err(|e| invalid("[setup]", e.to_string()))?;
        Ok(Case {
            name: name.to_string(),
            title: c.title,
            reference: file.reference,
            quantity: c.quantity,
            metric: c.metric,
            tolerance: c.tolerance,
            tolerance_reason: c.tolerance_reason,
            trend: c.trend,
            trend_min_change: c.trend_min_change.unwrap_or(0.0),
            normalise_to: c.normalise_to,
            x_label: c.x_label,
            x_log: c.x_log,
            expected: c.expected,
            expected_reason: c.expected_reason,
            fitting: c.fitting,
            setup,
            points,
        })
    }
}

/// Every parameter given in the set-up must carry its source.
fn check_sources(
    setup: &toml::Table,
    key: &str,
    invalid: &dyn Fn(&str, String) -> InputError,
) -> Result<(), InputError> {
    let Some(params) = setup.get("parameters") else {
        return Ok(());
    };
    let Some(params) = params.as_table() else {
        return Err(invalid(key, "must be a table".into()));
    };
    for (name, v) in params {
        let sourced = v
            .as_table()
            .and_then(|t| t.get("source"))
            .and_then(|s| s.as_str())
            .is_some_and(|s| !s.trim().is_empty());
        if !sourced {
            return Err(invalid(
                &format!("{key} \"{name}\""),
                "every value of a case needs its source: { value = ..., source = \"...\" }".into(),
            ));
        }
    }
    Ok(())
}

/// A measured curve: at least two (capacity, voltage) pairs, finite, capacities non-negative and
/// strictly increasing.
fn check_curve(curve: &[[f64; 2]]) -> Result<(), String> {
    if curve.len() < 2 {
        return Err("needs at least two [capacity, voltage] pairs".into());
    }
    if curve
        .iter()
        .any(|[q, v]| !(q.is_finite() && v.is_finite()) || *q < 0.0)
    {
        return Err("capacities [mAh cm-2] must be >= 0 and every value finite".into());
    }
    if curve.windows(2).any(|w| w[1][0] <= w[0][0]) {
        return Err("capacities must increase strictly along the curve".into());
    }
    Ok(())
}
