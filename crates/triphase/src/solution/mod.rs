//! The result of a simulation: recorded states, per-step summaries and derived outputs.

use serde::Serialize;

use crate::constants::{c_per_m2_to_mah_per_cm2, FARADAY};
use crate::experiment::StepKind;
use crate::model::events::Event;
use crate::model::Model;

mod cycles;
mod end_of_life;
mod profile;
mod summary;
mod variables;
pub use cycles::CycleSummary;
pub use profile::{check_profile_times, Profile};
pub use summary::{AnodeSummary, Conservation, EndOfLifeSummary, StepSummary, Summary};
pub use variables::{Values, Variable};

/// Why a step (or the run) ended.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StopReason {
    /// A stop event fired.
    Event {
        /// Which one.
        event: Event,
    },
    /// The step's duration elapsed.
    DurationReached,
    /// The user interrupted the run.
    Interrupted,
    /// The solver failed.
    SolverFailure,
    /// The step hit the safety limit on solver steps or duration without ending.
    StepLimit,
}

impl StopReason {
    /// Whether the run cannot continue with the next step.
    pub fn ends_run(&self) -> bool {
        match self {
            StopReason::Event { event } => event.is_terminal(),
            StopReason::DurationReached => false,
            StopReason::Interrupted | StopReason::SolverFailure | StopReason::StepLimit => true,
        }
    }

    /// Short machine-readable name, e.g. "lower_voltage_cutoff".
    pub fn code(&self) -> &'static str {
        match self {
            StopReason::Event { event } => match event {
                Event::LowerVoltageCutoff => "lower_voltage_cutoff",
                Event::UpperVoltageCutoff => "upper_voltage_cutoff",
                Event::MetalExhausted => "metal_exhausted",
                Event::PoresClogged => "pores_clogged",
                Event::SaltDepleted => "salt_depleted",
                Event::ProductExhausted => "product_exhausted",
                Event::ShortCircuit => "short_circuit",
                Event::DryOut => "dry_out",
                Event::CapacityReached => "capacity_reached",
                Event::CurrentLimitReached => "current_limit_reached",
                Event::PolarisationLimit => "polarisation_limit",
            },
            StopReason::DurationReached => "duration_reached",
            StopReason::Interrupted => "interrupted",
            StopReason::SolverFailure => "solver_failure",
            StopReason::StepLimit => "step_limit",
        }
    }
}

impl std::fmt::Display for StopReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StopReason::Event { event } => match event {
                Event::LowerVoltageCutoff => "lower voltage cut-off reached",
                Event::UpperVoltageCutoff => "upper voltage cut-off reached",
                Event::MetalExhausted => "metal exhausted",
                Event::PoresClogged => "cathode pores clogged",
                Event::SaltDepleted => "electrolyte salt depleted",
                Event::ProductExhausted => "discharge product used up",
                Event::ShortCircuit => "short circuit: dendrites span the separator",
                Event::DryOut => "electrolyte dried out",
                Event::CapacityReached => "capacity limit reached",
                Event::CurrentLimitReached => "current fell to its limit",
                Event::PolarisationLimit => "polarisation reached its maximum",
            },
            StopReason::DurationReached => "step duration reached",
            StopReason::Interrupted => "interrupted by the user",
            StopReason::SolverFailure => "solver failure",
            StopReason::StepLimit => "safety limit of the step reached",
        })
    }
}

/// What happened in one experiment step.
#[derive(Debug, Clone, PartialEq)]
pub struct StepRecord {
    /// The step text.
    pub text: String,
    /// Discharge, charge, rest or hold.
    pub kind: StepKind,
    /// Cycle number (1-based).
    pub cycle: usize,
    /// Whether the step had a capacity limit.
    pub capacity_limited: bool,
    /// Index of the first recorded point of the step.
    pub first_point: usize,
    /// Index of the last recorded point of the step.
    pub last_point: usize,
    /// Why it ended.
    pub stop: StopReason,
}

/// Solver work counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct SolverStats {
    /// Accepted BDF steps.
    pub steps: usize,
    /// Local error-test failures.
    pub error_test_failures: usize,
    /// Newton iterations.
    pub newton_iterations: usize,
    /// Jacobian evaluations and LU factorisations.
    pub lu_setups: usize,
    /// Wall-clock time of the solve [s].
    pub wall_time_s: f64,
}

/// A simulation result.
#[derive(Debug, Clone)]
pub struct Solution {
    /// Name of the simulated cell.
    pub cell_name: String,
    /// The discretised model (for derived variables).
    pub model: Model,
    /// Recorded times [s].
    pub time: Vec<f64>,
    /// Recorded states, `model.len()` values per time.
    pub states: Vec<f64>,
    /// Experiment step of each recorded point.
    pub step_of_point: Vec<usize>,
    /// Per-step records.
    pub steps: Vec<StepRecord>,
    /// Solver counters.
    pub stats: SolverStats,
    /// When and why the cell reached its end of life (None while alive).
    pub end_of_life: Option<EndOfLifeRecord>,
}

/// End of life: the cycle and the failure mode.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EndOfLifeRecord {
    /// Cycle in which the cell died (1-based).
    pub cycle: usize,
    /// What ended it (a stop-event code or an end-of-life rule).
    pub failure_mode: String,
}

#[allow(non_snake_case)]
impl Solution {
    /// An empty solution for `model`.
    pub fn new(cell_name: String, model: Model) -> Self {
        Self {
            cell_name,
            model,
            time: vec![],
            states: vec![],
            step_of_point: vec![],
            steps: vec![],
            stats: SolverStats::default(),
            end_of_life: None,
        }
    }

    /// Number of recorded points.
    pub fn len(&self) -> usize {
        self.time.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// State vector at recorded point `i`.
    pub fn state(&self, i: usize) -> &[f64] {
        let n = self.model.len();
        &self.states[i * n..(i + 1) * n]
    }

    pub(crate) fn push(&mut self, t: f64, y: &[f64], step: usize) {
        self.time.push(t);
        self.states.extend_from_slice(y);
        self.step_of_point.push(step);
    }

    /// Terminal voltage at every point [V].
    pub fn voltage(&self) -> Vec<f64> {
        (0..self.len())
            .map(|i| self.model.voltage(self.state(i)))
            .collect()
    }

    /// Applied current density at every point [A.m-2], positive = discharge.
    pub fn current_density(&self) -> Vec<f64> {
        let k = self.model.layout.current;
        (0..self.len()).map(|i| self.state(i)[k]).collect()
    }

    /// Net charge passed since the start at every point [C.m-2], positive = discharge.
    pub fn charge(&self) -> Vec<f64> {
        let k = self.model.layout.charge;
        (0..self.len()).map(|i| self.state(i)[k]).collect()
    }

    /// Metal thickness at every point [m].
    pub fn metal_thickness(&self) -> Vec<f64> {
        let k = self.model.layout.metal;
        let vm = self.model.params.anode.metal_molar_volume;
        (0..self.len()).map(|i| self.state(i)[k] * vm).collect()
    }

    /// Charge passed in step `s` (magnitude) [C.m-2].
    pub fn step_charge(&self, s: usize) -> f64 {
        let r = &self.steps[s];
        let k = self.model.layout.charge;
        (self.state(r.last_point)[k] - self.state(r.first_point)[k]).abs()
    }

    /// Energy delivered in step `s` [J.m-2] (positive on discharge): integral of V i_app dt
    /// (trapezoidal over the recorded points).
    pub fn step_energy(&self, s: usize) -> f64 {
        let r = &self.steps[s];
        let k = self.model.layout.current;
        let mut e = 0.0;
        for i in r.first_point..r.last_point {
            let (a, b) = (self.state(i), self.state(i + 1));
            let p0 = self.model.voltage(a) * a[k];
            let p1 = self.model.voltage(b) * b[k];
            e += 0.5 * (p0 + p1) * (self.time[i + 1] - self.time[i]);
        }
        e
    }

    /// O2 drawn from the gas in step `s` [mol.m-2] (negative = released).
    pub fn step_o2_uptake(&self, s: usize) -> f64 {
        let r = &self.steps[s];
        let k = self.model.layout.o2_uptake;
        self.state(r.last_point)[k] - self.state(r.first_point)[k]
    }

    /// Total charge of discharge steps [mAh.cm-2].
    pub fn discharge_capacity_mAh_cm2(&self) -> f64 {
        c_per_m2_to_mah_per_cm2(self.kind_total(StepKind::Discharge, |s| self.step_charge(s)))
    }

    /// Electrons per O2 drawn from the gas over all discharge steps.
    pub fn electrons_per_o2(&self) -> Option<f64> {
        if self.model.is_symmetric() {
            return None;
        }
        let q = self.kind_total(StepKind::Discharge, |s| self.step_charge(s));
        let o2 = self.kind_total(StepKind::Discharge, |s| self.step_o2_uptake(s));
        (o2.abs() > 0.0 && q > 0.0).then(|| q / FARADAY / o2)
    }

    fn kind_total(&self, kind: StepKind, f: impl Fn(usize) -> f64) -> f64 {
        (0..self.steps.len())
            .filter(|&s| self.steps[s].kind == kind)
            .map(f)
            .sum()
    }

    /// Why the run ended: the stop reason of the last step.
    pub fn stop_reason(&self) -> Option<StopReason> {
        self.steps.last().map(|s| s.stop)
    }

    /// Solvent left as a fraction of the initial inventory at the last point.
    pub fn electrolyte_remaining_fraction(&self) -> f64 {
        if self.is_empty() {
            1.0
        } else {
            self.model
                .electrolyte_remaining_fraction(self.state(self.len() - 1))
        }
    }
}
