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
pub use summary::{
    failure_mode_text, AnodeSummary, CathodeSummary, Conservation, EndOfLifeSummary, StepSummary,
    StorageSummary, Summary,
};
pub use variables::{Values, Variable};

/// Linear interpolation at `x` of the table `ys` over `xs` (non-decreasing); the first or last
/// value outside the table. For curves read off a solution: voltage against time (the fit's
/// data) or against capacity (validation curves).
pub fn interpolate_linear(xs: &[f64], ys: &[f64], x: f64) -> f64 {
    let n = xs.len();
    if x >= xs[n - 1] {
        return ys[n - 1];
    }
    if x <= xs[0] {
        return ys[0];
    }
    let k = xs.partition_point(|&xi| xi <= x);
    let (x0, x1) = (xs[k - 1], xs[k]);
    if x1 == x0 {
        return ys[k];
    }
    ys[k - 1] + (ys[k] - ys[k - 1]) * (x - x0) / (x1 - x0)
}

/// Which cycles keep their recorded points (every cycle keeps its step and cycle summaries).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RecordCycles {
    /// Every cycle.
    All,
    /// Cycles 1-10, every 10th to 100, every 100th to 1000 and so on, and the last: a long
    /// life in flat memory (log-spaced, ~9 cycles per decade).
    #[default]
    Sparse,
}

impl RecordCycles {
    /// Whether cycle `c` (1-based) keeps its points (the last cycle always does).
    pub fn keeps(&self, c: usize) -> bool {
        match self {
            RecordCycles::All => true,
            RecordCycles::Sparse => {
                let mut decade = 1;
                while c >= 100 * decade {
                    decade *= 10;
                }
                c <= 10 || c.is_multiple_of(10 * decade)
            }
        }
    }
}

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
    /// The voltage collapsed towards a cut-off faster than the solver can follow: the cell
    /// cannot carry the current any more (O2 or salt used up where the reaction runs), and
    /// at the rate it was falling the cut-off was a negligible charge away (see
    /// [`crate::solver::COLLAPSE_CHARGE_FRACTION`]). Ends the step like the cut-off.
    VoltageCollapse,
    /// The user interrupted the run.
    Interrupted,
    /// The solver failed.
    SolverFailure,
    /// The step hit the safety limit on solver steps ([`crate::SolverOptions`]'s
    /// `max_steps_per_step`) without ending: a numerical stall. The run stops there. Not the
    /// cell's end of life; the summary warns.
    StepLimit,
    /// A step without a duration ran the longest a step may
    /// ([`crate::solver::MAX_STEP_DURATION`], 10 000 h) without meeting any of its limits: it
    /// never ends under the model (a hold whose current settles above its limit, a charge on a
    /// plateau below its cut-off). The run stops there. Not the cell's end of life; the
    /// summary warns, with where the step settled.
    NeverEnds,
}

impl StopReason {
    /// Whether the run cannot continue with the next step.
    pub fn ends_run(&self) -> bool {
        match self {
            StopReason::Event { event } => event.is_terminal(),
            StopReason::DurationReached | StopReason::VoltageCollapse => false,
            StopReason::Interrupted
            | StopReason::SolverFailure
            | StopReason::StepLimit
            | StopReason::NeverEnds => true,
        }
    }

    /// Whether the step ran into a safety limit ([`StopReason::StepLimit`],
    /// [`StopReason::NeverEnds`]): the run stops, but the cell has not reached its end of life.
    pub fn is_safety_limit(&self) -> bool {
        matches!(self, StopReason::StepLimit | StopReason::NeverEnds)
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
                Event::ShortCircuit => "short_circuit",
                Event::DryOut => "dry_out",
                Event::CapacityReached => "capacity_reached",
                Event::CurrentLimitReached => "current_limit_reached",
                Event::PolarisationLimit => "polarisation_limit",
            },
            StopReason::DurationReached => "duration_reached",
            StopReason::VoltageCollapse => "voltage_collapse",
            StopReason::Interrupted => "interrupted",
            StopReason::SolverFailure => "solver_failure",
            StopReason::StepLimit => "step_limit",
            StopReason::NeverEnds => "never_ends",
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
                Event::ShortCircuit => "short circuit: dendrites span the separator",
                Event::DryOut => "electrolyte dried out",
                Event::CapacityReached => "capacity limit reached",
                Event::CurrentLimitReached => "current fell to its limit",
                Event::PolarisationLimit => "polarisation reached its maximum",
            },
            StopReason::DurationReached => "step duration reached",
            StopReason::VoltageCollapse => "voltage collapsed towards the cut-off",
            StopReason::Interrupted => "interrupted by the user",
            StopReason::SolverFailure => "solver failure",
            StopReason::StepLimit => "safety limit of the step reached",
            StopReason::NeverEnds => "the step never meets its limits",
        })
    }
}

/// The cell at a step boundary: what the step and cycle summaries need, kept for every step
/// whether or not its points are recorded.
#[derive(Debug, Clone, PartialEq)]
#[allow(non_snake_case)]
pub struct Boundary {
    /// Time \[s\].
    pub time: f64,
    /// Terminal voltage \[V\].
    pub voltage: f64,
    /// Applied current density [A.m-2], positive = discharge.
    pub current: f64,
    /// Charge passed since the start [C.m-2] (the exact ledger).
    pub charge: f64,
    /// Energy delivered since the start [J.m-2] (the exact ledger).
    pub energy: f64,
    /// O2 drawn from the gas since the start [mol.m-2].
    pub o2_uptake: f64,
    /// Charge held on the carbon's double layer, sum_j C_dl a_0 dx_j (phi_s - phi_e)_j
    /// [C.m-2] (0 without the option `double_layer`).
    pub double_layer_charge: f64,
    /// CO2 evolved by carbonate oxidation since the start [mol.m-2]: the parasitic deposit's
    /// and the carbon carbonate's.
    pub co2_evolved: f64,
    /// Carbon oxidised to carbonate since the start [mol.m-2] (two electrons each; option
    /// `carbon_oxidation`).
    pub carbon_oxidised: f64,
    /// Charge passed into the electrolyte's oxidation on the carbon since the start [mol.m-2
    /// of electrons].
    pub electrolyte_oxidised: f64,
    /// Metal lost to each mechanism since the start [mol.m-2].
    pub metal_losses: Vec<(&'static str, f64)>,
    /// Dense inner SEI thickness \[m\].
    pub sei_thickness_m: f64,
    /// Porous outer corrosion scale thickness \[m\].
    pub scale_thickness_m: f64,
    /// Ionic resistance of the metal's surface layers [Ohm.m2].
    pub anode_layer_resistance_ohm_m2: f64,
    /// Dendrite length \[m\].
    pub dendrite_length_m: f64,
    /// Solvent left as a fraction of the initial inventory.
    pub electrolyte_remaining_fraction: f64,
    /// Voltage lost on the anode side \[V\]: the metal/electrolyte overpotential plus the
    /// surface-layer drop, -phi_e at the metal surface (the end-of-life rule blames a side by it).
    pub anode_loss_V: f64,
}

impl Boundary {
    /// The boundary quantities of state `y` at time `t`.
    pub fn of(model: &Model, t: f64, y: &[f64]) -> Self {
        let l = &model.layout;
        let mut ws = crate::model::Workspace::<f64>::for_model(model);
        model.fill_properties(y, &mut ws.props);
        Self {
            time: t,
            voltage: model.voltage(y),
            current: y[l.current],
            charge: y[l.charge],
            energy: y[l.energy],
            o2_uptake: model.gas_drawn(y, 0),
            double_layer_charge: crate::model::cathode::double_layer::stored_charge(model, y),
            co2_evolved: crate::model::cathode::carbonate::co2_evolved(model, y)
                + crate::model::cathode::carbon_oxidation::co2_evolved(model, y),
            carbon_oxidised: crate::model::cathode::carbon_oxidation::formed(model, y),
            electrolyte_oxidised: crate::model::cathode::electrolyte_oxidation::electrons(model, y),
            metal_losses: model.metal_losses(y),
            sei_thickness_m: model.sei_thickness(y),
            scale_thickness_m: model.scale_thickness(y),
            anode_layer_resistance_ohm_m2: ws.props.r_anode,
            dendrite_length_m: l.dendrite.map_or(0.0, |i| y[i]),
            electrolyte_remaining_fraction: model.electrolyte_remaining_fraction(y),
            anode_loss_V: -crate::model::anode::plating::interface(model, y, &ws.props).1,
        }
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
    /// The cell at the start of the step.
    pub start: Boundary,
    /// The cell at the end of the step.
    pub end: Boundary,
    /// Largest |V| in the step \[V\] (over the solver's steps, recorded or not).
    pub max_abs_voltage: f64,
    /// First and last recorded point of the step (None when its cycle was not recorded).
    pub points: Option<(usize, usize)>,
    /// Why it ended.
    pub stop: StopReason,
}

impl StepRecord {
    /// Index of the first recorded point; panics when the step's cycle was not recorded.
    pub fn first_point(&self) -> usize {
        self.points.expect("the step's points were not recorded").0
    }

    /// Index of the last recorded point; panics when the step's cycle was not recorded.
    pub fn last_point(&self) -> usize {
        self.points.expect("the step's points were not recorded").1
    }
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
    /// Newton convergence failures (each costs a fresh Jacobian or a step cut by 0.3):
    /// where the time of a run goes besides the steps themselves.
    pub newton_failures: usize,
    /// Jacobian evaluations and LU factorisations.
    pub lu_setups: usize,
    /// Restarts from the last accepted state after a failed solver step (fresh history and
    /// Jacobian): 0 in a clean run.
    pub restarts: usize,
    /// Wall-clock time of the solve \[s\].
    pub wall_time_s: f64,
}

/// A simulation result.
#[derive(Debug, Clone)]
pub struct Solution {
    /// Name of the simulated cell.
    pub cell_name: String,
    /// The discretised model (for derived variables).
    pub model: Model,
    /// Recorded times \[s\] (the points of the recorded cycles, see [`RecordCycles`]).
    pub time: Vec<f64>,
    /// Recorded states, `model.len()` values per time.
    pub states: Vec<f64>,
    /// Experiment step of each recorded point.
    pub step_of_point: Vec<usize>,
    /// States saved at requested times (for profiles), interpolated by the solver: (time \[s\],
    /// state).
    pub snapshots: Vec<(f64, Vec<f64>)>,
    /// Impedance spectra measured by the experiment's "EIS ..." entries, in run order.
    pub spectra: Vec<crate::eis::Labelled>,
    /// State at the start of the run.
    pub initial_state: Vec<f64>,
    /// State at the end of the run (or at the failure).
    pub final_state: Vec<f64>,
    /// Per-step records.
    pub steps: Vec<StepRecord>,
    /// Solver counters.
    pub stats: SolverStats,
    /// When and why the cell reached its end of life (None while alive).
    pub end_of_life: Option<EndOfLifeRecord>,
    /// Without an end-of-life rule in the experiment: the first cycle in which the default
    /// rule was met (the run went on).
    pub end_of_life_unrequested: Option<EndOfLifeRecord>,
    /// The solver failure that ended the run (None unless it failed).
    pub failure: Option<FailureRecord>,
    /// Cycles the experiment asked for.
    pub cycles_requested: usize,
    /// Steps per cycle of the experiment (0 when not known).
    pub steps_per_cycle: usize,
    /// Cycles extrapolated instead of simulated (option `cycle_skipping`), in run order.
    pub skipped_cycles: Vec<SkippedCycles>,
    /// Metal and O2 [mol.m-2] added where step changes and restarts set solid fractions the
    /// integrator carried below zero within their tolerance to zero
    /// (`Model::clear_undershoots`); the conservation
    /// check counts them as inflows and reports them.
    pub cleared: Cleared,
    /// Restarts of the integration after a failed solver step, in run order (the last line of
    /// defence; see [`SolverStats::restarts`]).
    pub restarts: Vec<RestartRecord>,
    /// Time from which points inside steps were no longer recorded because the recorded states
    /// reached [`crate::SolverOptions::max_recorded_values`] \[s\] (None: all recorded).
    pub recording_stopped_at: Option<f64>,
}

/// A restart of the integration from the last accepted state after a failed solver step,
/// with a fresh history and Jacobian (docs/model.md, Numerics).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RestartRecord {
    /// Index in [`Solution::steps`] of the experiment step it happened in.
    pub step_record: usize,
    /// Time of the last accepted state, from which the integration restarted \[s\].
    pub time_s: f64,
    /// Cell voltage there \[V\].
    pub voltage_v: f64,
    /// The solver's message about the failed step.
    pub message: String,
}

/// Amounts added by clearing undershoots (see [`Solution::cleared`]).
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Cleared {
    /// Metal added [mol.m-2].
    pub metal_mol_m2: f64,
    /// O2 added [mol.m-2].
    pub oxygen_mol_m2: f64,
}

/// A run of cycles extrapolated over (cycle skipping): no points, step or cycle records of
/// their own; their charge and O2 count in the run's totals at the per-cycle values of the
/// last cycle simulated before them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[allow(non_snake_case)]
pub struct SkippedCycles {
    /// First and last skipped cycle (1-based, inclusive).
    pub first_cycle: usize,
    /// Last skipped cycle.
    pub last_cycle: usize,
    /// Time at the start of the first and the end of the last \[s\].
    pub start_time_s: f64,
    /// Time at the end of the last skipped cycle \[s\].
    pub end_time_s: f64,
    /// Their charge and O2, all cycles together.
    #[serde(flatten)]
    pub totals: ChargeTotals,
}

/// Charge passed and O2 drawn by a set of steps, by kind: what a run's totals (capacities,
/// e-/O2) are summed from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[allow(non_snake_case)]
pub struct ChargeTotals {
    /// Charge of the discharge steps [C.m-2].
    pub discharge_charge_C_m2: f64,
    /// Charge of the charge steps [C.m-2].
    pub charge_charge_C_m2: f64,
    /// O2 drawn from the gas in the discharge steps [mol.m-2] (negative = released).
    pub discharge_o2_mol_m2: f64,
}

impl ChargeTotals {
    /// These totals `m` times over (`m` cycles alike).
    pub fn times(self, m: f64) -> Self {
        Self {
            discharge_charge_C_m2: m * self.discharge_charge_C_m2,
            charge_charge_C_m2: m * self.charge_charge_C_m2,
            discharge_o2_mol_m2: m * self.discharge_o2_mol_m2,
        }
    }
}

impl std::ops::Add for ChargeTotals {
    type Output = Self;
    fn add(self, o: Self) -> Self {
        Self {
            discharge_charge_C_m2: self.discharge_charge_C_m2 + o.discharge_charge_C_m2,
            charge_charge_C_m2: self.charge_charge_C_m2 + o.charge_charge_C_m2,
            discharge_o2_mol_m2: self.discharge_o2_mol_m2 + o.discharge_o2_mol_m2,
        }
    }
}

/// A solver failure, as the summary reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailureRecord {
    /// 1-based cycle.
    pub cycle: usize,
    /// 1-based step index within the cycle.
    pub step_index: usize,
    /// The step text.
    pub step: String,
    /// Time of the last accepted state \[s\].
    pub time_s: f64,
    /// The solver's message.
    pub message: String,
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
            snapshots: vec![],
            spectra: vec![],
            initial_state: vec![],
            final_state: vec![],
            steps: vec![],
            stats: SolverStats::default(),
            end_of_life: None,
            end_of_life_unrequested: None,
            failure: None,
            cycles_requested: 1,
            steps_per_cycle: 0,
            skipped_cycles: vec![],
            cleared: Cleared::default(),
            restarts: Vec::new(),
            recording_stopped_at: None,
        }
    }

    /// Whether every step run was a rest (a storage protocol: its results are read against
    /// time).
    pub fn rests_only(&self) -> bool {
        !self.steps.is_empty() && self.steps.iter().all(|s| s.kind == StepKind::Rest)
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

    /// Whether a point inside a step at time `t` fits in the recording budget of `budget`
    /// state values; where it does not, notes the time recording stopped
    /// ([`Solution::recording_stopped_at`]).
    pub(crate) fn room_for(&mut self, budget: usize, t: f64) -> bool {
        let fits = self.states.len() + self.model.len() <= budget;
        if !fits {
            self.recording_stopped_at.get_or_insert(t);
        }
        fits
    }

    pub(crate) fn push(&mut self, t: f64, y: &[f64], step: usize) {
        self.time.push(t);
        self.states.extend_from_slice(y);
        self.step_of_point.push(step);
    }

    /// Terminal voltage at every point \[V\].
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

    /// Metal thickness at every point \[m\].
    pub fn metal_thickness(&self) -> Vec<f64> {
        let k = self.model.layout.metal;
        let vm = self.model.params.anode.metal_molar_volume;
        (0..self.len()).map(|i| self.state(i)[k] * vm).collect()
    }

    /// Charge passed in step `s` (magnitude) [C.m-2], from the exact charge ledger.
    pub fn step_charge(&self, s: usize) -> f64 {
        let r = &self.steps[s];
        (r.end.charge - r.start.charge).abs()
    }

    /// Faradaic charge of step `s` [C.m-2]: the charge passed less what went onto (or came
    /// off) the carbon's double layer, |dq + dQ_dl| with q positive on discharge. Every
    /// electron of it went to a reaction; equal to [`Solution::step_charge`] without the
    /// option `double_layer`.
    pub fn step_faradaic_charge(&self, s: usize) -> f64 {
        let r = &self.steps[s];
        ((r.end.charge - r.start.charge)
            + (r.end.double_layer_charge - r.start.double_layer_charge))
            .abs()
    }

    /// Energy delivered in step `s` [J.m-2] (positive on discharge): the integral of V i_app dt,
    /// from the exact energy ledger.
    pub fn step_energy(&self, s: usize) -> f64 {
        let r = &self.steps[s];
        r.end.energy - r.start.energy
    }

    /// O2 drawn from the gas in step `s` [mol.m-2] (negative = released).
    pub fn step_o2_uptake(&self, s: usize) -> f64 {
        let r = &self.steps[s];
        r.end.o2_uptake - r.start.o2_uptake
    }

    /// Charge and O2 of the step records `steps`.
    pub(crate) fn charge_totals(&self, steps: std::ops::Range<usize>) -> ChargeTotals {
        let charge = |s| self.step_charge(s);
        ChargeTotals {
            discharge_charge_C_m2: self.kind_sum(steps.clone(), StepKind::Discharge, charge),
            charge_charge_C_m2: self.kind_sum(steps.clone(), StepKind::Charge, charge),
            discharge_o2_mol_m2: self
                .kind_sum(steps, StepKind::Discharge, |s| self.step_o2_uptake(s)),
        }
    }

    /// Charge and O2 of the whole run: every step record and every skipped cycle.
    pub fn run_totals(&self) -> ChargeTotals {
        self.skipped_cycles
            .iter()
            .fold(self.charge_totals(0..self.steps.len()), |t, k| t + k.totals)
    }

    /// Total charge of discharge steps [mAh.cm-2].
    pub fn discharge_capacity_mAh_cm2(&self) -> f64 {
        c_per_m2_to_mah_per_cm2(self.run_totals().discharge_charge_C_m2)
    }

    /// Total charge of charge steps [mAh.cm-2].
    pub fn charge_capacity_mAh_cm2(&self) -> f64 {
        c_per_m2_to_mah_per_cm2(self.run_totals().charge_charge_C_m2)
    }

    /// Number of cycles extrapolated instead of simulated.
    pub fn skipped_cycle_count(&self) -> usize {
        self.skipped_cycles
            .iter()
            .map(|k| k.last_cycle + 1 - k.first_cycle)
            .sum()
    }

    /// Electrons per O2 drawn from the gas over all discharge steps.
    pub fn electrons_per_o2(&self) -> Option<f64> {
        if self.model.is_symmetric() {
            return None;
        }
        let t = self.run_totals();
        let (q, o2) = (t.discharge_charge_C_m2, t.discharge_o2_mol_m2);
        (o2.abs() > 0.0 && q > 0.0).then(|| q / FARADAY / o2)
    }

    /// The sum of `f(s)` over the step records `s` of this kind.
    pub(crate) fn kind_total(&self, kind: StepKind, f: impl Fn(usize) -> f64) -> f64 {
        self.kind_sum(0..self.steps.len(), kind, f)
    }

    /// The sum of `f(s)` over the step records `s` in `steps` of this kind.
    pub(crate) fn kind_sum(
        &self,
        steps: std::ops::Range<usize>,
        kind: StepKind,
        f: impl Fn(usize) -> f64,
    ) -> f64 {
        steps.filter(|&s| self.steps[s].kind == kind).map(f).sum()
    }

    /// Why the run ended: the stop reason of the last step.
    pub fn stop_reason(&self) -> Option<StopReason> {
        self.steps.last().map(|s| s.stop)
    }

    /// Solvent left as a fraction of the initial inventory at the end.
    pub fn electrolyte_remaining_fraction(&self) -> f64 {
        if self.final_state.is_empty() {
            1.0
        } else {
            self.model.electrolyte_remaining_fraction(&self.final_state)
        }
    }

    /// Removes the recorded points `first..` of cycle-`cycle` steps that precede later points
    /// (a cycle not kept by the recording policy), shifting the later steps' point indices.
    pub(crate) fn drop_cycle_points(&mut self, cycle: usize) {
        let mine = self
            .steps
            .iter()
            .filter(|r| r.cycle == cycle)
            .filter_map(|r| r.points);
        let (Some(a), Some(b)) = (mine.clone().map(|p| p.0).min(), mine.map(|p| p.1).max()) else {
            return;
        };
        let n = self.model.len();
        let removed = b + 1 - a;
        self.time.drain(a..=b);
        self.step_of_point.drain(a..=b);
        self.states.drain(a * n..(b + 1) * n);
        for r in &mut self.steps {
            if r.cycle == cycle {
                r.points = None;
            } else if let Some((f, l)) = r.points {
                if f > b {
                    r.points = Some((f - removed, l - removed));
                }
            }
        }
    }
}
