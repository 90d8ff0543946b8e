//! What the cycler imposes during an experiment step: the operating mode and the step's
//! limits. The solver owns the control and hands it to the residual and the stop events; the
//! model itself holds no protocol state.

/// What the cycler imposes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OperatingMode {
    /// Constant current density [A.m-2], positive = discharge.
    Current(f64),
    /// Constant terminal voltage \[V\].
    Voltage(f64),
    /// Constant power density [W.m-2], positive = discharge.
    Power(f64),
}

impl OperatingMode {
    /// The current density the state starts from [A.m-2], given the present voltage and current.
    pub fn current_guess_from(&self, voltage: f64, current: f64) -> f64 {
        match *self {
            OperatingMode::Current(i) => i,
            OperatingMode::Voltage(_) => current,
            OperatingMode::Power(p) => p / voltage.max(0.5),
        }
    }

    /// The current density a fresh state starts from [A.m-2].
    pub fn current_guess(&self) -> f64 {
        self.current_guess_from(2.7, 0.0)
    }
}

/// Settings of the running experiment step, read by the residual and the events.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Control {
    /// Operating mode.
    pub mode: OperatingMode,
    /// Lower voltage cut-off \[V\].
    pub lower_cutoff: Option<f64>,
    /// Upper voltage cut-off \[V\].
    pub upper_cutoff: Option<f64>,
    /// Capacity limit of the step: (charge at the step start, limit) [C.m-2].
    pub capacity_limit: Option<(f64, f64)>,
    /// Current-magnitude limit that ends a hold [A.m-2].
    pub current_limit: Option<f64>,
    /// Salt concentration at which the step ends on salt depletion [mol.m-3], where it differs
    /// from the cell's "Minimum salt concentration [mol.m-3]" (a step that starts depleted:
    /// [`super::events::salt_floor_at_start`]).
    pub salt_floor: Option<f64>,
}

impl Default for Control {
    fn default() -> Self {
        Self::at(OperatingMode::Current(0.0))
    }
}

impl Control {
    /// A step in `mode` with no limits.
    pub fn at(mode: OperatingMode) -> Self {
        Self {
            mode,
            lower_cutoff: None,
            upper_cutoff: None,
            capacity_limit: None,
            current_limit: None,
            salt_floor: None,
        }
    }

    /// Whether the cell is being charged (current or power below zero, or a hold drawing a
    /// charging current `i_app`).
    pub fn charging(&self, i_app: f64) -> bool {
        match self.mode {
            OperatingMode::Current(i) | OperatingMode::Power(i) => i < 0.0,
            OperatingMode::Voltage(_) => i_app < 0.0,
        }
    }
}
