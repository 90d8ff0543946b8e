//! The protocol of a cycler record, read from its current (and voltage) columns.
//!
//! A cycler file holds what the cycler did, not the programme it ran: this module recovers the
//! steps from the samples. Each sample is classed by its current I (Battery Data Format sign:
//! charge positive): a rest when |I| <= `rest_fraction` max|I|, else a charge or a discharge.
//! Consecutive samples of one class are split into steps:
//!
//! - a constant-current step runs while |I_k - I_0| <= `current_tolerance` |I_0| (I_0: the
//!   step's first sample); its current is the mean of its samples;
//! - where the current changes from one sample to the next at an unchanged sign while the
//!   voltage stays within `voltage_tolerance` of the step's first voltage, the step is a
//!   voltage hold at the mean voltage of its samples (a CC-CV charge's CV part);
//! - a rest is one step, whatever the voltage does.
//!
//! Each step lasts from its first sample to the next step's first sample (the last one to the
//! last sample), so the derived protocol spans the record exactly; it starts at the first
//! sample (time 0 of the simulation). The steps are written in the protocol language ("Discharge
//! at 0.5 mA for 3600 seconds"), in the cell's absolute current unit (mA), so that the cell's
//! "Electrode area \[m2\]" converts them as it converts every other absolute current.

use std::path::Path;

use crate::error::InputError;

/// How samples are grouped into steps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segmentation {
    /// A sample with |I| at or below this fraction of the largest |I| is at rest [-].
    pub rest_fraction: f64,
    /// A constant-current step's samples stay within this fraction of its first current [-].
    pub current_tolerance: f64,
    /// A voltage hold's samples stay within this much of its first voltage \[V\].
    pub voltage_tolerance: f64,
}

impl Default for Segmentation {
    /// 0.1 % of the largest current is rest, 1 % current steadiness, 2 mV hold steadiness
    /// (the accuracy classes of laboratory cyclers: ~0.05 % of range in current, ~1 mV in
    /// voltage).
    fn default() -> Self {
        Segmentation {
            rest_fraction: 1e-3,
            current_tolerance: 1e-2,
            voltage_tolerance: 2e-3,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Rest,
    Charge,
    Discharge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Rest,
    Current,
    Hold,
}

/// The protocol of the record `time` \[s\], `current` \[A\] (charge positive), `voltage` \[V\]: one
/// step per constant-current, hold or rest segment (see the module's documentation). Errors
/// name `origin` and the row (1-based, the header being row 1) at fault.
pub fn steps_from_record(
    time: &[f64],
    current: &[f64],
    voltage: &[f64],
    seg: &Segmentation,
    origin: &str,
) -> Result<Vec<String>, InputError> {
    let invalid = |message: String| InputError::Invalid {
        origin: origin.into(),
        message,
    };
    let n = time.len();
    if current.len() != n || voltage.len() != n {
        return Err(invalid(format!(
            "{n} times, {} currents and {} voltages",
            current.len(),
            voltage.len()
        )));
    }
    if n < 2 {
        return Err(invalid("fewer than two samples".into()));
    }
    let peak = current.iter().fold(0.0_f64, |m, i| m.max(i.abs()));
    let class = |i: f64| {
        if i.abs() <= seg.rest_fraction * peak {
            Class::Rest
        } else if i > 0.0 {
            Class::Charge
        } else {
            Class::Discharge
        }
    };
    // (first sample, last sample, kind) of each step
    let mut segments: Vec<(usize, usize, Kind)> = Vec::new();
    let mut k = 0;
    while k < n {
        let c = class(current[k]);
        let same = |j: usize| class(current[j]) == c;
        let mut end = k;
        let kind = if c == Class::Rest {
            while end + 1 < n && same(end + 1) {
                end += 1;
            }
            Kind::Rest
        } else {
            let steady = |j: usize| {
                (current[j] - current[k]).abs() <= seg.current_tolerance * current[k].abs()
            };
            while end + 1 < n && same(end + 1) && steady(end + 1) {
                end += 1;
            }
            if end > k || k + 1 == n || !same(k + 1) {
                Kind::Current
            } else {
                // the current moves at once: a hold while the voltage stays put
                let held = |j: usize| (voltage[j] - voltage[k]).abs() <= seg.voltage_tolerance;
                while end + 1 < n && same(end + 1) && held(end + 1) {
                    end += 1;
                }
                if end > k {
                    Kind::Hold
                } else {
                    Kind::Current
                }
            }
        };
        segments.push((k, end, kind));
        k = end + 1;
    }
    let mut steps = Vec::with_capacity(segments.len());
    for (s, &(a, b, kind)) in segments.iter().enumerate() {
        let t_end = match segments.get(s + 1) {
            Some(&(next, _, _)) => time[next],
            None => time[b],
        };
        let duration = t_end - time[a];
        if duration <= 0.0 {
            // a single last sample after a change carries no time
            continue;
        }
        let mean = |x: &[f64]| x[a..=b].iter().sum::<f64>() / (b - a + 1) as f64;
        let text = match kind {
            Kind::Rest => format!("Rest for {duration} seconds"),
            Kind::Current => {
                let i = mean(current);
                let verb = if i > 0.0 { "Charge" } else { "Discharge" };
                format!(
                    "{verb} at {} mA for {duration} seconds",
                    sig6(i.abs() * 1e3)
                )
            }
            Kind::Hold => format!("Hold at {} V for {duration} seconds", sig6(mean(voltage))),
        };
        steps.push(text);
    }
    if steps.is_empty() {
        return Err(invalid("the record spans no time".into()));
    }
    Ok(steps)
}

/// `x` rounded to 6 significant digits, in its shortest decimal form (a mean of noisy samples
/// carries no more).
fn sig6(x: f64) -> f64 {
    format!("{x:.5e}").parse().unwrap_or(x)
}

/// Battery Data Format column of the test time.
pub const TIME: &str = "Test Time / s";
/// Battery Data Format column of the voltage.
pub const VOLTAGE: &str = "Voltage / V";
/// Battery Data Format column of the current (charge positive).
pub const CURRENT: &str = "Current / A";

/// A cycler record: time \[s\], voltage \[V\] and, where the file has it, current \[A\] (charge
/// positive).
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Test time \[s\], non-decreasing.
    pub time: Vec<f64>,
    /// Voltage \[V\].
    pub voltage: Vec<f64>,
    /// Current \[A\] (None: the file has no current column).
    pub current: Option<Vec<f64>>,
}

/// Reads the time, voltage and (if present) "Current / A" columns of a Battery Data Format
/// CSV file; errors name the file, the column and the row.
pub fn read_record(path: &Path) -> Result<Record, InputError> {
    let invalid = |origin: &str, message: String| InputError::Invalid {
        origin: origin.into(),
        message,
    };
    let origin = path.display().to_string();
    let mut reader = csv::Reader::from_path(path).map_err(|e| InputError::Io {
        origin: origin.clone(),
        message: e.to_string(),
    })?;
    let headers = reader
        .headers()
        .map_err(|e| invalid(&origin, e.to_string()))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| {
                invalid(
                    &origin,
                    format!(
                        "no column \"{name}\" (Battery Data Format); the columns are: {}",
                        headers.iter().collect::<Vec<_>>().join(", ")
                    ),
                )
            })
    };
    let (it, iv) = (column(TIME)?, column(VOLTAGE)?);
    let ic = column(CURRENT).ok();
    let (mut time, mut voltage, mut current) = (Vec::new(), Vec::new(), Vec::new());
    for (r, record) in reader.records().enumerate() {
        // row numbers as a spreadsheet shows them: the header is row 1
        let row = r + 2;
        let record = record.map_err(|e| invalid(&origin, format!("row {row}: {e}")))?;
        let number = |i: usize, name: &str| -> Result<f64, InputError> {
            let text = record.get(i).unwrap_or("").trim();
            text.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| {
                    invalid(
                        &origin,
                        format!("row {row}, column \"{name}\": \"{text}\" is not a number"),
                    )
                })
        };
        let t = number(it, TIME)?;
        if let Some(&before) = time.last() {
            if t < before {
                return Err(invalid(
                    &origin,
                    format!("row {row}, column \"{TIME}\": {t} s comes before {before} s"),
                ));
            }
        }
        time.push(t);
        voltage.push(number(iv, VOLTAGE)?);
        if let Some(ic) = ic {
            current.push(number(ic, CURRENT)?);
        }
    }
    if time.len() < 2 {
        return Err(invalid(&origin, "fewer than two data rows".into()));
    }
    Ok(Record {
        time,
        voltage,
        current: ic.map(|_| current),
    })
}

impl Record {
    /// Its protocol (see [`steps_from_record`] with the default [`Segmentation`]), from its
    /// first sample; `origin` names the record in errors, a record without a current among them.
    pub fn steps(&self, origin: &str) -> Result<Vec<String>, InputError> {
        let Some(current) = &self.current else {
            return Err(InputError::Invalid {
                origin: origin.into(),
                message: format!("no \"{CURRENT}\" column to read the protocol from"),
            });
        };
        steps_from_record(
            &self.time,
            current,
            &self.voltage,
            &Segmentation::default(),
            origin,
        )
    }
}

/// The protocol of a Battery Data Format CSV record (see [`Record::steps`]).
pub fn steps_from_file(path: &Path) -> Result<Vec<String>, InputError> {
    read_record(path)?.steps(&path.display().to_string())
}
