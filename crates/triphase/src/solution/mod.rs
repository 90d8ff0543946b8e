//! The result of a simulation: recorded states, per-step summaries and derived outputs.

use serde::Serialize;

use crate::constants::{c_per_m2_to_mah_per_cm2, FARADAY};
use crate::experiment::StepKind;
use crate::model::events::Event;
use crate::model::Model;

mod profile;
mod variables;
pub use profile::{check_profile_times, Profile};
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

/// JSON summary of one step.
#[allow(non_snake_case)]
#[derive(Debug, Clone, Serialize)]
pub struct StepSummary {
    /// 1-based step number.
    pub index: usize,
    /// The step text.
    pub step: String,
    /// discharge | charge | rest.
    pub kind: StepKind,
    /// Duration [s].
    pub duration_s: f64,
    /// Charge passed (magnitude) [mAh.cm-2].
    pub capacity_mAh_cm2: f64,
    /// Voltage at the start [V].
    pub start_voltage_V: f64,
    /// Voltage at the end [V].
    pub end_voltage_V: f64,
    /// Electrons per O2 drawn from the gas in this step (None if no O2 was exchanged).
    pub electrons_per_O2: Option<f64>,
    /// Why it ended (machine-readable).
    pub stop_reason: &'static str,
}

/// Metrics of one cycle.
#[allow(non_snake_case)]
#[derive(Debug, Clone, Serialize)]
pub struct CycleSummary {
    /// Cycle number (1-based).
    pub cycle: usize,
    /// Discharge capacity [mAh.cm-2].
    pub discharge_capacity_mAh_cm2: f64,
    /// Charge capacity [mAh.cm-2].
    pub charge_capacity_mAh_cm2: f64,
    /// Discharge capacity of the cell [mAh].
    pub discharge_capacity_mAh: f64,
    /// Discharge capacity per gram of cathode carbon [mAh.g-1].
    pub discharge_capacity_mAh_g: f64,
    /// Voltage at the end of the last discharge step [V].
    pub end_of_discharge_voltage_V: Option<f64>,
    /// Voltage at the end of the last charge step [V].
    pub end_of_charge_voltage_V: Option<f64>,
    /// Charge-weighted mean discharge voltage [V].
    pub mean_discharge_voltage_V: Option<f64>,
    /// Charge-weighted mean charge voltage [V].
    pub mean_charge_voltage_V: Option<f64>,
    /// Mean charge voltage - mean discharge voltage [V].
    pub overpotential_gap_V: Option<f64>,
    /// Discharge capacity / charge capacity.
    pub coulombic_efficiency: Option<f64>,
    /// Discharge energy / charge energy.
    pub energy_efficiency: Option<f64>,
    /// Electrons per O2 drawn from the gas on discharge.
    pub electrons_per_O2: Option<f64>,
    /// O2 released on charge / O2 drawn on discharge.
    pub o2_recovery: Option<f64>,
    /// Metal lost in this cycle by mechanism [mol.m-2].
    pub metal_loss_mol_m2: std::collections::BTreeMap<&'static str, f64>,
    /// SEI thickness at the end of the cycle [m].
    pub sei_thickness_m: f64,
    /// Dendrite length at the end of the cycle [m].
    pub dendrite_length_m: f64,
    /// Electrolyte remaining at the end of the cycle [-].
    pub electrolyte_remaining_fraction: f64,
    /// Symmetric cells: largest polarisation |V| in the cycle [V] (null for metal-air cells).
    pub max_polarisation_V: Option<f64>,
}

/// End of life in the JSON summary (fields null while the cell is alive).
#[derive(Debug, Clone, Serialize)]
pub struct EndOfLifeSummary {
    /// Cycle in which the cell died.
    pub cycle: Option<usize>,
    /// What ended it.
    pub failure_mode: Option<String>,
}

/// JSON summary of a run.
#[allow(non_snake_case)]
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Simulated cell.
    pub cell: String,
    /// The mechanisms the model ran, in words (e.g. "corrosion by crossed O2", "dendrites").
    pub mechanisms: Vec<String>,
    /// The anode mechanisms switched off (empty unless the cell was set up with an ideal
    /// anode or without some of them).
    pub anode_mechanisms_off: Vec<&'static str>,
    /// Total charge of the discharge steps [mAh.cm-2].
    pub discharge_capacity_mAh_cm2: f64,
    /// Total charge of the charge steps [mAh.cm-2].
    pub charge_capacity_mAh_cm2: f64,
    /// Voltage at the end of the run [V].
    pub end_voltage_V: f64,
    /// Electrons per O2 drawn from the gas over the discharge steps (DEMS definition).
    pub electrons_per_O2: Option<f64>,
    /// Why the last step ended (machine-readable).
    pub stop_reason: &'static str,
    /// Why the last step ended (readable).
    pub stop_reason_text: String,
    /// Per-step summaries.
    pub steps: Vec<StepSummary>,
    /// Solver counters and wall time.
    pub solver: SolverStats,
    /// Drift of the conserved inventories over the run.
    pub conservation: Conservation,
    /// The anode ledger.
    pub anode: AnodeSummary,
    /// Solvent left, as a fraction of the initial inventory (1 when not modelled).
    pub electrolyte_remaining_fraction: f64,
    /// Per-cycle metrics.
    pub cycles: Vec<CycleSummary>,
    /// End of life.
    pub end_of_life: EndOfLifeSummary,
}

/// What happened at the anode: the JSON `anode` object.
#[derive(Debug, Clone, Serialize)]
pub struct AnodeSummary {
    /// Metal lost to each mechanism [mol.m-2]: O2, H2O, CO2, N2, solvent, shuttle, dead.
    pub metal_loss_mol_m2: std::collections::BTreeMap<&'static str, f64>,
    /// SEI thickness [m] (initial thickness when the interface is not modelled).
    pub sei_thickness_m: f64,
    /// SEI constituents [mol.m-2] by formula: oxide (Li2O, Na2O2, KO2), hydroxide (MOH),
    /// carbonate (M2CO3), nitride (M3N), organic.
    pub sei_composition_mol_m2: std::collections::BTreeMap<String, f64>,
    /// Dendrite length [m].
    pub dendrite_length_m: f64,
    /// Electrically connected metal left [mol.m-2].
    pub metal_remaining_mol_m2: f64,
    /// Metal thickness left [m].
    pub metal_thickness_m: f64,
    /// Metal thickness consumed by gas corrosion (O2, H2O, CO2, N2) [m], per projected area:
    /// the corrosion depth of a storage experiment.
    pub corrosion_depth_m: f64,
    /// H2 evolved by water corrosion [mol.m-2].
    pub h2_evolved_mol_m2: f64,
    /// Carbon deposited by CO2 corrosion [mol.m-2].
    pub carbon_formed_mol_m2: f64,
    /// Gas fluxes into the metal at the end [mol.m-2.s-1] (crossover), per transported gas.
    pub crossover_flux_mol_m2_s: std::collections::BTreeMap<&'static str, f64>,
    /// Gas drawn from the gas phase [mol.m-2], per transported gas (negative = released).
    pub gas_uptake_mol_m2: std::collections::BTreeMap<&'static str, f64>,
    /// Parasitic (Li2CO3-like) deposit formed in the cathode by reactive oxygen [mol.m-2].
    pub cathode_side_products_mol_m2: f64,
    /// Symmetric cells: metal of the counter electrode consumed by corrosion [mol.m-2] (null
    /// for metal-air cells).
    pub counter_corrosion_mol_m2: Option<f64>,
}

/// Drift of conserved quantities, relative to their initial amount.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Conservation {
    /// |metal balance(end) - metal balance(start)| / metal balance(start).
    pub metal_relative_drift: f64,
    /// |O2 balance(end) - O2 balance(start)| / O2 in product at the end (or dissolved O2).
    pub oxygen_relative_drift: f64,
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

    /// Relative drift of the metal and oxygen inventories between the first and last point.
    pub fn conservation(&self) -> Conservation {
        if self.is_empty() {
            return Conservation {
                metal_relative_drift: 0.0,
                oxygen_relative_drift: 0.0,
            };
        }
        let (a, b) = (self.state(0), self.state(self.len() - 1));
        let m = &self.model;
        let metal0 = m.metal_balance(a);
        let o2_scale = m.product_o2(b).max(m.oxygen_balance(a).abs()).max(1e-30);
        Conservation {
            metal_relative_drift: (m.metal_balance(b) - metal0).abs() / metal0,
            oxygen_relative_drift: (m.oxygen_balance(b) - m.oxygen_balance(a)).abs() / o2_scale,
        }
    }

    /// Why the run ended: the stop reason of the last step.
    pub fn stop_reason(&self) -> Option<StopReason> {
        self.steps.last().map(|s| s.stop)
    }

    /// The JSON/printable summary.
    pub fn summary(&self) -> Summary {
        let v = self.voltage();
        // O2 ratios and energies of a symmetric cell are not those of a battery
        let air = !self.model.is_symmetric();
        let steps = self
            .steps
            .iter()
            .enumerate()
            .map(|(s, r)| {
                let q = self.step_charge(s);
                let o2 = self.step_o2_uptake(s);
                StepSummary {
                    index: s + 1,
                    step: r.text.clone(),
                    kind: r.kind,
                    duration_s: self.time[r.last_point] - self.time[r.first_point],
                    capacity_mAh_cm2: c_per_m2_to_mah_per_cm2(q),
                    start_voltage_V: v[r.first_point],
                    end_voltage_V: v[r.last_point],
                    electrons_per_O2: (air && o2.abs() > 1e-15 && q > 0.0)
                        .then(|| q / FARADAY / o2.abs()),
                    stop_reason: r.stop.code(),
                }
            })
            .collect();
        let stop = self.stop_reason();
        Summary {
            cell: self.cell_name.clone(),
            mechanisms: self.model.options.mechanisms_on(),
            anode_mechanisms_off: self.model.options.anode_mechanisms_off(),
            discharge_capacity_mAh_cm2: self.discharge_capacity_mAh_cm2(),
            charge_capacity_mAh_cm2: c_per_m2_to_mah_per_cm2(
                self.kind_total(StepKind::Charge, |s| self.step_charge(s)),
            ),
            end_voltage_V: v.last().copied().unwrap_or(f64::NAN),
            electrons_per_O2: self.electrons_per_o2(),
            stop_reason: stop.map_or("none", |s| s.code()),
            stop_reason_text: stop.map_or("no step run".into(), |s| s.to_string()),
            steps,
            solver: self.stats,
            conservation: self.conservation(),
            anode: self.anode_summary(),
            electrolyte_remaining_fraction: self.electrolyte_remaining_fraction(),
            cycles: self.cycle_summaries(),
            end_of_life: EndOfLifeSummary {
                cycle: self.end_of_life.as_ref().map(|e| e.cycle),
                failure_mode: self.end_of_life.as_ref().map(|e| e.failure_mode.clone()),
            },
        }
    }

    /// Number of cycles run (complete or not).
    pub fn cycle_count(&self) -> usize {
        self.steps.last().map_or(0, |s| s.cycle)
    }

    /// Metrics of every cycle.
    pub fn cycle_summaries(&self) -> Vec<CycleSummary> {
        (1..=self.cycle_count())
            .map(|c| self.cycle_summary(c))
            .collect()
    }

    /// Metrics of cycle `c` (1-based).
    pub fn cycle_summary(&self, c: usize) -> CycleSummary {
        let m = &self.model;
        let idx: Vec<usize> = (0..self.steps.len())
            .filter(|&s| self.steps[s].cycle == c)
            .collect();
        let of = |kind: StepKind| -> Vec<usize> {
            idx.iter()
                .copied()
                .filter(|&s| self.steps[s].kind == kind)
                .collect()
        };
        let (dis, ch) = (of(StepKind::Discharge), of(StepKind::Charge));
        let total = |v: &[usize], f: &dyn Fn(usize) -> f64| v.iter().map(|&s| f(s)).sum::<f64>();
        let q_d = total(&dis, &|s| self.step_charge(s));
        let q_c = total(&ch, &|s| self.step_charge(s));
        let e_d = total(&dis, &|s| self.step_energy(s));
        let e_c = -total(&ch, &|s| self.step_energy(s));
        let o2_d = total(&dis, &|s| self.step_o2_uptake(s));
        let o2_c = -total(&ch, &|s| self.step_o2_uptake(s));
        let v = |s: usize| m.voltage(self.state(self.steps[s].last_point));
        let ratio = |a: f64, b: f64| (b.abs() > 0.0 && a.is_finite()).then(|| a / b);
        let air = !m.is_symmetric();
        let battery = |x: Option<f64>| x.filter(|_| air);
        let (mean_d, mean_c) = (ratio(e_d, q_d), ratio(e_c, q_c));
        let area_cm2 = m.params.geometry.electrode_area * 1e4;
        let carbon_g_m2 = m.params.carbon_loading() * 1e3;
        let first = self.state(self.steps[idx[0]].first_point);
        let last = self.state(self.steps[*idx.last().expect("cycle has steps")].last_point);
        let before: std::collections::BTreeMap<_, _> = m.metal_losses(first).into_iter().collect();
        let after = m.metal_losses(last);
        CycleSummary {
            cycle: c,
            discharge_capacity_mAh_cm2: c_per_m2_to_mah_per_cm2(q_d),
            charge_capacity_mAh_cm2: c_per_m2_to_mah_per_cm2(q_c),
            discharge_capacity_mAh: c_per_m2_to_mah_per_cm2(q_d) * area_cm2,
            discharge_capacity_mAh_g: q_d / 3.6 / carbon_g_m2,
            end_of_discharge_voltage_V: dis.last().map(|&s| v(s)),
            end_of_charge_voltage_V: ch.last().map(|&s| v(s)),
            mean_discharge_voltage_V: mean_d,
            mean_charge_voltage_V: mean_c,
            overpotential_gap_V: mean_c.zip(mean_d).map(|(c, d)| c - d),
            coulombic_efficiency: ratio(q_d, q_c),
            energy_efficiency: battery(ratio(e_d, e_c)),
            electrons_per_O2: battery(ratio(q_d / FARADAY, o2_d)),
            o2_recovery: battery(ratio(o2_c, o2_d)),
            metal_loss_mol_m2: after.into_iter().map(|(k, v)| (k, v - before[k])).collect(),
            sei_thickness_m: m.sei_thickness(last),
            dendrite_length_m: m.layout.dendrite.map_or(0.0, |i| last[i]),
            electrolyte_remaining_fraction: m.electrolyte_remaining_fraction(last),
            max_polarisation_V: (!air).then(|| {
                let (a, b) = (
                    self.steps[idx[0]].first_point,
                    self.steps[*idx.last().expect("cycle has steps")].last_point,
                );
                (a..=b)
                    .map(|i| m.voltage(self.state(i)).abs())
                    .fold(0.0, f64::max)
            }),
        }
    }

    /// Voltage lost on the anode side at a state [V]: the metal/electrolyte overpotential plus
    /// the surface-layer drop, -phi_e at the metal surface.
    fn anode_loss(&self, y: &[f64]) -> f64 {
        let m = &self.model;
        let mut ws = crate::model::Workspace::<f64>::for_model(m);
        m.fill_properties(y, &mut ws.props);
        -crate::model::anode::plating::interface(m, y, &ws.props).1
    }

    /// Applies the end-of-life rules after cycle `c`; returns the failure mode if the cell died.
    pub(crate) fn end_of_life_check(
        &self,
        c: usize,
        rule: &crate::experiment::EndOfLife,
        first_capacity: &mut Option<f64>,
    ) -> Option<String> {
        let summary = self.cycle_summary(c);
        let first = *first_capacity.get_or_insert(summary.discharge_capacity_mAh_cm2);
        let failed = self.steps.iter().enumerate().rev().find(|(_, s)| {
            s.cycle == c
                && s.kind == StepKind::Discharge
                && s.capacity_limited
                && s.stop
                    == StopReason::Event {
                        event: Event::LowerVoltageCutoff,
                    }
        });
        if let (true, Some((i, s))) = (rule.capacity_not_reached, failed) {
            // which side lost the voltage: compare with the end of the first discharge
            let reference = self
                .steps
                .iter()
                .find(|r| r.kind == StepKind::Discharge)
                .map(|r| r.last_point)
                .unwrap_or(s.last_point);
            let end = self.state(self.steps[i].last_point);
            let anode_growth = self.anode_loss(end) - self.anode_loss(self.state(reference));
            let total_growth = self.model.voltage(self.state(reference)) - self.model.voltage(end);
            let side = if anode_growth > 0.5 * total_growth {
                "anode"
            } else {
                "cathode"
            };
            return Some(format!("capacity_not_reached ({side})"));
        }
        if let Some(f) = rule.min_capacity_fraction {
            if c > 1 && summary.discharge_capacity_mAh_cm2 < f * first {
                return Some("capacity_fade".into());
            }
        }
        None
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

    /// The anode ledger at the last recorded point.
    pub fn anode_summary(&self) -> AnodeSummary {
        let m = &self.model;
        let l = &m.layout;
        let y = if self.is_empty() {
            m.initial_state(&crate::model::Control::default())
        } else {
            self.state(self.len() - 1).to_vec()
        };
        // the crossover fluxes are the corrosion terms of the residual at that state
        let control = crate::model::Control::at(crate::model::OperatingMode::Current(y[l.current]));
        let mut ws = crate::model::Workspace::<f64>::for_model(m);
        let mut out = vec![0.0; m.len()];
        m.residual(&y, &control, &mut ws, &mut out);
        let byproducts = m.byproducts(&y);
        AnodeSummary {
            metal_loss_mol_m2: m.metal_losses(&y).into_iter().collect(),
            sei_thickness_m: m.sei_thickness(&y),
            sei_composition_mol_m2: m.sei_composition(&y).into_iter().collect(),
            dendrite_length_m: l.dendrite.map_or(0.0, |i| y[i]),
            metal_remaining_mol_m2: y[l.metal],
            metal_thickness_m: y[l.metal] * m.params.anode.metal_molar_volume,
            corrosion_depth_m: m.corrosion_depth(&y),
            counter_corrosion_mol_m2: l.counter.as_ref().map(|_| m.counter_metal_loss(&y)),
            h2_evolved_mol_m2: byproducts.get("H2").copied().unwrap_or(0.0),
            carbon_formed_mol_m2: byproducts.get("C").copied().unwrap_or(0.0),
            crossover_flux_mol_m2_s: l
                .gases
                .iter()
                .enumerate()
                .map(|(i, g)| (g.name(), ws.src.gas_into(i, crate::model::Face::First)))
                .collect(),
            gas_uptake_mol_m2: l
                .gases
                .iter()
                .enumerate()
                .map(|(i, g)| (g.name(), y[l.uptake_of(i)]))
                .collect(),
            cathode_side_products_mol_m2: m.parasitic_deposit(&y),
        }
    }
}
