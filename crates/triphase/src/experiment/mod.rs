//! Experiments: steps in the protocol language researchers write ("Discharge at 0.1 mA cm-2
//! until 2.0 V"), repeated for a number of cycles, with end-of-life rules.

pub mod from_data;
pub mod measurement;
pub mod step;

pub use measurement::Measurement;
pub use step::{Amount, Basis, Drive, Step, StepKind};

use crate::error::InputError;

/// When a cycling experiment counts the cell as dead (terminal events always end the run).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EndOfLife {
    /// A capacity-limited discharge that ends at its voltage cut-off before reaching its capacity.
    pub capacity_not_reached: bool,
    /// Discharge capacity below this fraction of the first cycle's.
    pub min_capacity_fraction: Option<f64>,
}

impl Default for EndOfLife {
    fn default() -> Self {
        Self {
            capacity_not_reached: true,
            min_capacity_fraction: Some(0.8),
        }
    }
}

/// An ordered list of steps, run `cycles` times.
#[derive(Debug, Clone, PartialEq)]
pub struct Experiment {
    /// The steps of one cycle, run in order.
    pub steps: Vec<Step>,
    /// Number of repetitions.
    pub cycles: usize,
    /// End-of-life rules (None: run all cycles unless a terminal event occurs).
    pub end_of_life: Option<EndOfLife>,
    /// Impedance measurements ("EIS ..." entries), each at its place in every cycle.
    pub measurements: Vec<Measurement>,
}

/// The experiment run when none is given.
pub const DEFAULT_STEP: &str = "Discharge at 0.1 mA cm-2 until 2.0 V";

/// Most cycles an experiment may ask for.
pub const MAX_CYCLES: usize = 100_000;

impl Experiment {
    /// Parses every step (one cycle); the error names the first bad one.
    pub fn parse<S: AsRef<str>>(steps: &[S]) -> Result<Self, InputError> {
        let mut parsed = Vec::new();
        let mut measurements = Vec::new();
        for (i, s) in steps.iter().enumerate() {
            let text = s.as_ref();
            let error = |message| InputError::Step {
                index: i + 1,
                step: text.to_string(),
                message,
            };
            if measurement::is_measurement(text) {
                measurements.push(Measurement::parse(text, parsed.len()).map_err(error)?);
            } else {
                parsed.push(Step::parse(text).map_err(error)?);
            }
        }
        if parsed.is_empty() {
            return Err(InputError::Step {
                index: 0,
                step: String::new(),
                message: "an experiment needs at least one step".into(),
            });
        }
        Ok(Self {
            steps: parsed,
            cycles: 1,
            end_of_life: None,
            measurements,
        })
    }

    /// The same steps repeated `cycles` times.
    pub fn with_cycles(mut self, cycles: usize) -> Result<Self, InputError> {
        if !(1..=MAX_CYCLES).contains(&cycles) {
            return Err(InputError::Invalid {
                origin: "--cycles".into(),
                message: format!("{cycles} is outside the allowed range [1, {MAX_CYCLES}]"),
            });
        }
        self.cycles = cycles;
        Ok(self)
    }

    /// With end-of-life rules.
    pub fn with_end_of_life(mut self, rule: EndOfLife) -> Self {
        self.end_of_life = Some(rule);
        self
    }

    /// One full discharge at 0.1 mA cm-2 to 2.0 V.
    pub fn default_discharge() -> Self {
        Self::parse(&[DEFAULT_STEP]).expect("default step parses")
    }

    /// The open-circuit storage protocol: the cell (or a metal in electrolyte under the
    /// cell's atmosphere) rests for `hours`, sampled 200 times, so that corrosion depth,
    /// SEI growth and electrolyte loss can be read against time.
    pub fn storage(hours: f64) -> Result<Self, InputError> {
        if !(hours.is_finite() && hours > 0.0 && hours <= 1.0e5) {
            return Err(InputError::Invalid {
                origin: "storage".into(),
                message: format!("{hours} hours is outside the allowed range (0, 100000]"),
            });
        }
        let period = (hours * 3600.0 / 200.0).max(1.0);
        Self::parse(&[format!("Rest for {hours} hours ({period} second period)")])
    }

    /// Reads an experiment file; `origin` names it in errors:
    ///
    /// ```toml
    /// [experiment]
    /// steps = ["Discharge at 0.2 mA cm-2 for 2.5 hours or until 2.0 V",
    ///          "Charge at 0.2 mA cm-2 for 2.5 hours or until 4.5 V"]
    /// cycles = 100                  # default 1
    /// until_eol = true              # default false
    /// min_capacity_fraction = 0.8   # end of life below this fraction of cycle 1
    /// ```
    ///
    /// or, for the storage protocol, `storage_hours = 720` instead of `steps`.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Self, InputError> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            experiment: Section,
        }
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Section {
            steps: Option<Vec<String>>,
            storage_hours: Option<f64>,
            cycles: Option<usize>,
            #[serde(default)]
            until_eol: bool,
            min_capacity_fraction: Option<f64>,
        }
        let f: File = toml::from_str(text).map_err(|e| InputError::toml(origin, &e))?;
        let e = f.experiment;
        let at = |key: &str| format!("{origin}: [experiment] {key}");
        let mut exp = match (&e.steps, e.storage_hours) {
            (Some(steps), None) => Self::parse(steps).map_err(|err| InputError::Invalid {
                origin: at("steps"),
                message: err.to_string(),
            })?,
            (None, Some(h)) => Self::storage(h).map_err(|err| InputError::Invalid {
                origin: at("storage_hours"),
                message: err.to_string(),
            })?,
            _ => {
                return Err(InputError::Invalid {
                    origin: at(""),
                    message: "give either steps = [...] or storage_hours = ...".into(),
                })
            }
        };
        if let Some(n) = e.cycles {
            exp = exp.with_cycles(n).map_err(|err| InputError::Invalid {
                origin: at("cycles"),
                message: err.to_string(),
            })?;
        }
        if e.until_eol || e.min_capacity_fraction.is_some() {
            let mut rule = EndOfLife::default();
            if let Some(x) = e.min_capacity_fraction {
                if !(x > 0.0 && x < 1.0) {
                    return Err(InputError::Invalid {
                        origin: at("min_capacity_fraction"),
                        message: format!("{x} is outside the allowed range (0, 1)"),
                    });
                }
                rule.min_capacity_fraction = Some(x);
            }
            exp = exp.with_end_of_life(rule);
            if e.cycles.is_none() {
                exp.cycles = 1000;
            }
        }
        Ok(exp)
    }

    /// Reads an experiment file (see [`Experiment::from_toml_str`]).
    pub fn from_toml_file(path: &std::path::Path) -> Result<Self, InputError> {
        let (origin, text) = InputError::read_file(path)?;
        Self::from_toml_str(&text, &origin)
    }

    /// Reads an experiment file, or with a `.csv` name the protocol of a cycler record
    /// (Battery Data Format, with "Current / A": see [`from_data`]).
    pub fn from_file(path: &std::path::Path) -> Result<Self, InputError> {
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        {
            Self::parse(&from_data::steps_from_file(path)?)
        } else {
            Self::from_toml_file(path)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn experiment_files_and_storage() {
        let e = Experiment::from_toml_str(
            "[experiment]\nsteps = [\"Discharge at 0.2 mA cm-2 for 1 hour\", \"Charge at 0.2 mA cm-2 for 1 hour\"]\ncycles = 5\nuntil_eol = true\n",
            "p.toml",
        )
        .unwrap();
        assert_eq!((e.steps.len(), e.cycles), (2, 5));
        assert!(e.end_of_life.is_some());
        let s = Experiment::from_toml_str("[experiment]\nstorage_hours = 48\n", "s.toml").unwrap();
        assert_eq!(s, Experiment::storage(48.0).unwrap());
        assert_eq!(s.steps.len(), 1);
        for (text, key) in [
            (
                "[experiment]\nsteps = [\"Dance at 1 V\"]\n",
                "[experiment] steps",
            ),
            ("[experiment]\ncycles = 3\n", "either steps"),
            ("[experiment]\nstorage_hours = -1\n", "storage_hours"),
            (
                "[experiment]\nsteps = [\"Rest for 1 hour\"]\nmin_capacity_fraction = 2\n",
                "min_capacity_fraction",
            ),
            ("[experiment]\nstep = []\n", "unknown field"),
        ] {
            let err = Experiment::from_toml_str(text, "bad.toml")
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("bad.toml") && err.contains(key), "{err}");
        }
    }
}
