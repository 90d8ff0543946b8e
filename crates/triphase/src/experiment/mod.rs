//! Experiments: a list of steps in the protocol language researchers write
//! ("Discharge at 0.1 mA cm-2 until 2.0 V").

pub mod step;

pub use step::{Current, CurrentUnit, Step, StepKind};

use crate::error::InputError;

/// An ordered list of steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Experiment {
    /// The steps, run in order.
    pub steps: Vec<Step>,
}

/// The experiment run when none is given.
pub const DEFAULT_STEP: &str = "Discharge at 0.1 mA cm-2 until 2.0 V";

impl Experiment {
    /// Parses every step; the error names the first bad one.
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
        Ok(Self { steps })
    }

    /// One full discharge at 0.1 mA cm-2 to 2.0 V.
    pub fn default_discharge() -> Self {
        Self::parse(&[DEFAULT_STEP]).expect("default step parses")
    }
}
