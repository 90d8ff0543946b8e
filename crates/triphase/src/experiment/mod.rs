//! Experiments: steps in the protocol language researchers write ("Discharge at 0.1 mA cm-2
//! until 2.0 V"), repeated for a number of cycles, with end-of-life rules.

pub mod step;

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
}

/// The experiment run when none is given.
pub const DEFAULT_STEP: &str = "Discharge at 0.1 mA cm-2 until 2.0 V";

/// Most cycles an experiment may ask for.
pub const MAX_CYCLES: usize = 100_000;

impl Experiment {
    /// Parses every step (one cycle); the error names the first bad one.
    pub fn parse<S: AsRef<str>>(steps: &[S]) -> Result<Self, InputError> {
        if steps.is_empty() {
            return Err(InputError::Step {
                index: 0,
                step: String::new(),
                message: "an experiment needs at least one step".into(),
            });
        }
        let steps = steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                Step::parse(s.as_ref()).map_err(|message| InputError::Step {
                    index: i + 1,
                    step: s.as_ref().to_string(),
                    message,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            steps,
            cycles: 1,
            end_of_life: None,
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
}
