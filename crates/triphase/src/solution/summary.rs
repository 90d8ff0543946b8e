//! The JSON summary of a run: per-step records, conservation, the anode ledger and the
//! per-cycle metrics (see [`super::cycles`]).

use serde::Serialize;

use super::{CycleSummary, Solution, SolverStats, StopReason};
use crate::constants::{c_per_m2_to_mah_per_cm2, FARADAY};
use crate::experiment::StepKind;

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
    /// Duration \[s\].
    pub duration_s: f64,
    /// Charge passed (magnitude) [mAh.cm-2].
    pub capacity_mAh_cm2: f64,
    /// The reactions' part of it [mAh.cm-2]: the charge passed less what went onto or came
    /// off the carbon's double layer ([`Solution::step_faradaic_charge`]); equal to
    /// `capacity_mAh_cm2` without the option `double_layer`. Divided by n F times the O2
    /// drawn it gives the reactions' electrons per O2.
    pub faradaic_capacity_mAh_cm2: f64,
    /// Voltage at the start \[V\].
    pub start_voltage_V: f64,
    /// Voltage at the end \[V\].
    pub end_voltage_V: f64,
    /// Voltage at half the step's charge \[V\], the plateau a reader quotes (discharge and
    /// charge steps whose points were recorded; interpolated on the exact charge ledger).
    pub mid_capacity_voltage_V: Option<f64>,
    /// Electrons per O2 drawn from the gas in this step (None if no O2 was exchanged).
    pub electrons_per_O2: Option<f64>,
    /// Why it ended (machine-readable).
    pub stop_reason: &'static str,
}

/// End of life in the JSON summary (fields null while the cell is alive).
#[derive(Debug, Clone, Serialize)]
pub struct EndOfLifeSummary {
    /// Cycle in which the cell died.
    pub cycle: Option<usize>,
    /// What ended it.
    pub failure_mode: Option<String>,
}

/// A storage run (every step a rest) in the JSON summary: how long it lasted and how fast the
/// metal corroded, so that a storage that ended early (on dry-out, say) is not read as one
/// that ran its full time.
#[derive(Debug, Clone, Serialize)]
pub struct StorageSummary {
    /// Time the storage lasted \[h\].
    pub duration_h: f64,
    /// Whether it ended before its steps' durations (the run's `stop_reason` says why).
    pub ended_early: bool,
    /// Depth of metal corroded over the storage \[m\] (null without the anode mechanisms).
    pub corrosion_depth_m: Option<f64>,
    /// Mean corrosion rate over the storage, the depth over the time it lasted [m.h-1] (null
    /// without the anode mechanisms or for a storage of no time).
    pub corrosion_rate_m_per_h: Option<f64>,
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
    /// Voltage at the end of the run \[V\].
    pub end_voltage_V: f64,
    /// Electrons per O2 drawn from the gas over the discharge steps (DEMS definition).
    pub electrons_per_O2: Option<f64>,
    /// Why the run ended (machine-readable): `end_of_life` (see `end_of_life`),
    /// `solver_failure` (see `failure`), `interrupted`, `completed` (every cycle of a cycling
    /// experiment ran), or for a single pass through the steps the last step's reason
    /// (`lower_voltage_cutoff`, `duration_reached`, ...).
    pub stop_reason: &'static str,
    /// Why the run ended (readable).
    pub stop_reason_text: String,
    /// The solver failure that ended the run (null unless it failed): cycle, step, time and
    /// the solver's message.
    pub failure: Option<crate::solution::FailureRecord>,
    /// What a reader should know about the run (e.g. an end-of-life criterion met in a run
    /// that did not ask to stop at end of life).
    pub warnings: Vec<String>,
    /// Per-step summaries.
    pub steps: Vec<StepSummary>,
    /// Solver counters and wall time.
    pub solver: SolverStats,
    /// Drift of the conserved inventories over the run.
    pub conservation: Conservation,
    /// The anode ledger.
    pub anode: AnodeSummary,
    /// The cathode's discharge product at the end.
    pub cathode: CathodeSummary,
    /// Solvent left, as a fraction of the initial inventory (1 when not modelled).
    pub electrolyte_remaining_fraction: f64,
    /// Per-cycle metrics.
    pub cycles: Vec<CycleSummary>,
    /// End of life.
    pub end_of_life: EndOfLifeSummary,
    /// Cycles extrapolated instead of simulated (cycle skipping; empty without it).
    pub skipped_cycles: Vec<crate::solution::SkippedCycles>,
    /// The storage, for a run whose every step was a rest (null otherwise).
    pub storage: Option<StorageSummary>,
}

/// The cathode's discharge product at the end of the run: the JSON `cathode` object.
#[derive(Debug, Clone, Serialize)]
pub struct CathodeSummary {
    /// O2 held in the discharge product [mol.m-2].
    pub product_o2_mol_m2: f64,
    /// Largest product volume fraction of a cathode volume [-].
    pub max_product_fraction: f64,
    /// Largest thickness of the product's film on the carbon \[m\] (film part / a_0; null for a
    /// product without a passivating film, `passivation = "none"`).
    pub max_film_thickness_m: Option<f64>,
    /// Share of the product that grew as particles rather than film [-] (null where all of it
    /// is film: option `product_growth = "film"`, or no product).
    pub particle_share: Option<f64>,
}

/// What happened at the anode: the JSON `anode` object.
#[derive(Debug, Clone, Serialize)]
pub struct AnodeSummary {
    /// Metal lost to each mechanism [mol.m-2]: O2, H2O, CO2, N2, solvent, shuttle,
    /// superoxide, dead.
    pub metal_loss_mol_m2: std::collections::BTreeMap<&'static str, f64>,
    /// Dense inner SEI thickness \[m\] (initial thickness when the interface is not modelled).
    pub sei_thickness_m: f64,
    /// Porous outer corrosion scale thickness \[m\].
    pub scale_thickness_m: f64,
    /// Ionic resistance of the metal's surface layers at the end [Ohm.cm2]: dense SEI (its
    /// O2-derived oxide at (1 + g) rho_SEI), corrosion scale and protective layer in series.
    pub layer_resistance_ohm_cm2: f64,
    /// SEI constituents [mol.m-2] by formula: oxide (Li2O, Na2O2, KO2), hydroxide (MOH),
    /// carbonate (M2CO3), nitride (M3N), organic.
    pub sei_composition_mol_m2: std::collections::BTreeMap<String, f64>,
    /// Dendrite length \[m\].
    pub dendrite_length_m: f64,
    /// Electrically connected metal left [mol.m-2].
    pub metal_remaining_mol_m2: f64,
    /// Metal thickness left \[m\].
    pub metal_thickness_m: f64,
    /// Metal thickness consumed by gas corrosion (O2, H2O, CO2, N2) \[m\], per projected area:
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
    /// Parasitic (Li2CO3-like) deposit in the cathode at the end [mol.m-2]: formed by reactive
    /// oxygen on discharge, less what oxidised on charge.
    pub cathode_side_products_mol_m2: f64,
    /// CO2 evolved by the oxidation of that deposit on charge [mol.m-2].
    pub cathode_co2_evolved_mol_m2: f64,
    /// Carbon of the cathode oxidised to carbonate by the product on charge [mol.m-2] (option
    /// `carbon_oxidation`).
    pub cathode_carbon_oxidised_mol_m2: f64,
    /// Of that carbonate, what is left on the carbon at the end [mol.m-2]; the rest oxidised
    /// to CO2.
    pub cathode_carbon_carbonate_mol_m2: f64,
    /// Charge passed into the electrolyte's oxidation on the carbon [mol.m-2 of electrons]
    /// (its solvent consumed is this over "Electrons per oxidised solvent molecule [-]").
    pub cathode_electrolyte_oxidised_mol_m2: f64,
    /// Symmetric cells: metal of the counter electrode consumed by corrosion [mol.m-2] (null
    /// for metal-air cells).
    pub counter_corrosion_mol_m2: Option<f64>,
}

/// Drift of conserved quantities, relative to their amount.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Conservation {
    /// |metal balance(end) - metal balance(start)| / metal balance(start).
    pub metal_relative_drift: f64,
    /// |O2 balance(end) - O2 balance(start) - O2 cleared| / the largest of the O2 balance at
    /// the start, the O2 in the product at the end and the O2 moved through the cell (the sum
    /// of every step's |O2 uptake|: drawn on discharge plus released on charge).
    pub oxygen_relative_drift: f64,
    /// Charge balance at the metal: |metal stripped electrochemically - charge passed / F| /
    /// initial metal inventory, where the metal stripped is the inventory lost less what the
    /// loss mechanisms (corrosion, SEI, dead metal, shuttle) took.
    pub charge_relative_drift: f64,
    /// O2 [mol.m-2] added by clearing undershoots of the solid fractions at step changes
    /// (counted as an inflow in the O2 drift; see [`super::Solution::cleared`]).
    pub cleared_oxygen_mol_m2: f64,
}

#[allow(non_snake_case)]
impl Solution {
    /// Relative drift of the metal and oxygen inventories between the start and the end.
    pub fn conservation(&self) -> Conservation {
        if self.initial_state.is_empty() || self.final_state.is_empty() {
            return Conservation {
                metal_relative_drift: 0.0,
                oxygen_relative_drift: 0.0,
                charge_relative_drift: 0.0,
                cleared_oxygen_mol_m2: 0.0,
            };
        }
        let (a, b) = (&self.initial_state[..], &self.final_state[..]);
        let m = &self.model;
        let metal0 = m.metal_balance(a);
        // the oxygen drift accumulates with the O2 a run moves (rounding of the reaction's
        // fluxes), not with what it holds at the end: relative to the largest of the O2 held at
        // the start, in the product at the end and moved through the cell (drawn on discharge
        // plus released on charge)
        let moved: f64 = (0..self.steps.len())
            .map(|s| self.step_o2_uptake(s).abs())
            .sum();
        let o2_scale = m
            .product_o2(b)
            .max(m.oxygen_balance(a).abs())
            .max(moved)
            .max(1e-30);
        let cleared = self.cleared;
        Conservation {
            metal_relative_drift: (m.metal_balance(b) - metal0 - cleared.metal_mol_m2).abs()
                / metal0,
            oxygen_relative_drift: (m.oxygen_balance(b)
                - m.oxygen_balance(a)
                - cleared.oxygen_mol_m2)
                .abs()
                / o2_scale,
            charge_relative_drift: m.charge_balance_drift(a, b).abs() / a[m.layout.metal],
            cleared_oxygen_mol_m2: cleared.oxygen_mol_m2,
        }
    }

    /// The JSON/printable summary.
    pub fn summary(&self) -> Summary {
        // O2 ratios and energies of a symmetric cell are not those of a battery
        let air = !self.model.is_symmetric();
        let steps: Vec<StepSummary> = self
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
                    duration_s: r.end.time - r.start.time,
                    capacity_mAh_cm2: c_per_m2_to_mah_per_cm2(q),
                    faradaic_capacity_mAh_cm2: c_per_m2_to_mah_per_cm2(
                        self.step_faradaic_charge(s),
                    ),
                    start_voltage_V: r.start.voltage,
                    end_voltage_V: r.end.voltage,
                    mid_capacity_voltage_V: self.mid_capacity_voltage(s),
                    electrons_per_O2: (air && o2.abs() > 1e-15 && q > 0.0)
                        .then(|| q / FARADAY / o2.abs()),
                    stop_reason: r.stop.code(),
                }
            })
            .collect();
        let (stop_reason, stop_reason_text) = self.run_stop_reason();
        let anode = self.anode_summary();
        let storage = self.rests_only().then(|| {
            let duration_h =
                steps.iter().map(|s| s.duration_s).sum::<f64>() / crate::constants::HOUR;
            let depth = self
                .model
                .layout
                .sei
                .is_some()
                .then_some(anode.corrosion_depth_m);
            StorageSummary {
                duration_h,
                ended_early: !matches!(stop_reason, "duration_reached" | "completed"),
                corrosion_depth_m: depth,
                corrosion_rate_m_per_h: depth.filter(|_| duration_h > 0.0).map(|d| d / duration_h),
            }
        });
        Summary {
            cell: self.cell_name.clone(),
            mechanisms: self.model.options.mechanisms_on(),
            anode_mechanisms_off: self.model.options.anode_mechanisms_off(),
            discharge_capacity_mAh_cm2: self.discharge_capacity_mAh_cm2(),
            charge_capacity_mAh_cm2: self.charge_capacity_mAh_cm2(),
            end_voltage_V: if self.final_state.is_empty() {
                f64::NAN
            } else {
                self.model.voltage(&self.final_state)
            },
            electrons_per_O2: self.electrons_per_o2(),
            stop_reason,
            stop_reason_text,
            failure: self.failure.clone(),
            warnings: self.warnings(),
            steps,
            solver: self.stats,
            conservation: self.conservation(),
            anode,
            cathode: self.cathode_summary(),
            electrolyte_remaining_fraction: self.electrolyte_remaining_fraction(),
            cycles: self.cycle_summaries(),
            end_of_life: EndOfLifeSummary {
                cycle: self.end_of_life.as_ref().map(|e| e.cycle),
                failure_mode: self.end_of_life.as_ref().map(|e| e.failure_mode.clone()),
            },
            skipped_cycles: self.skipped_cycles.clone(),
            storage,
        }
    }

    /// Voltage at half the charge of step record `s` \[V\]: linear interpolation on the charge
    /// ledger between the recorded points around it (None for rests, holds without charge and
    /// steps whose cycle was not recorded).
    pub fn mid_capacity_voltage(&self, s: usize) -> Option<f64> {
        let r = self.steps.get(s)?;
        if !matches!(r.kind, StepKind::Discharge | StepKind::Charge) {
            return None;
        }
        let (a, b) = r.points?;
        let l = &self.model.layout;
        let q0 = self.state(a)[l.charge];
        let half = 0.5 * (self.state(b)[l.charge] - q0);
        if half == 0.0 {
            return None;
        }
        let passed = |i: usize| (self.state(i)[l.charge] - q0) / half;
        let k = (a + 1..=b).find(|&i| passed(i) >= 1.0)?;
        let (x0, x1) = (passed(k - 1), passed(k));
        let (v0, v1) = (
            self.model.voltage(self.state(k - 1)),
            self.model.voltage(self.state(k)),
        );
        let w = if x1 > x0 { (1.0 - x0) / (x1 - x0) } else { 1.0 };
        Some(v0 + w * (v1 - v0))
    }

    /// Why the run ended: code and text (see [`Summary::stop_reason`]).
    pub fn run_stop_reason(&self) -> (&'static str, String) {
        let last = self.stop_reason();
        if let Some(f) = &self.failure {
            return (
                "solver_failure",
                format!(
                    "solver failure in cycle {}, step {} (\"{}\") at t = {:.1} s: {}",
                    f.cycle, f.step_index, f.step, f.time_s, f.message
                ),
            );
        }
        if last == Some(StopReason::Interrupted) {
            return ("interrupted", StopReason::Interrupted.to_string());
        }
        if let Some(e) = &self.end_of_life {
            return (
                "end_of_life",
                format!(
                    "end of life in cycle {}: {}",
                    e.cycle,
                    failure_mode_text(&e.failure_mode)
                ),
            );
        }
        match last {
            None => ("none", "no step run".into()),
            Some(_) if self.cycles_requested > 1 && self.cycle_count() == self.cycles_requested => {
                (
                    "completed",
                    format!("all {} cycles completed", self.cycles_requested),
                )
            }
            Some(s) => (s.code(), s.to_string()),
        }
    }

    /// Warnings for the reader of the summary.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        if let Some(e) = &self.end_of_life_unrequested {
            w.push(format!(
                "the end-of-life criterion was first met in cycle {} ({}); the run went on because \
                 it did not ask to stop at end of life (--until-eol)",
                e.cycle,
                failure_mode_text(&e.failure_mode)
            ));
        }
        let m = &self.model;
        if m.params.atmosphere.relative_humidity > 0.0
            && m.layout.gas_index(crate::params::Gas::H2O).is_none()
        {
            w.push(format!(
                "\"Relative humidity [-]\" is {} but water is not a transported gas, so it has no \
                 effect: add \"H2O\" to [options] gases (or use an atmosphere that carries it)",
                m.params.atmosphere.relative_humidity
            ));
        }
        match self.steps.last() {
            Some(r) if r.stop == StopReason::StepLimit => w.push(format!(
                "step \"{}\" of cycle {} reached the solver's safety limit (its most solver \
                 steps) before any of its own limits, and the run stopped there: a numerical \
                 stall, not the cell's end of life",
                r.text, r.cycle
            )),
            Some(r) if r.stop == StopReason::NeverEnds => w.push(format!(
                "step \"{}\" of cycle {} ran {:.0} h without meeting any of its limits, and \
                 the run stopped there: at its end the cell sat at {:.4} V and {:.4} mA cm-2, \
                 so the step never ends under the model (a hold whose current settles above \
                 its limit, a charge on a plateau below its cut-off); not the cell's end of life",
                r.text,
                r.cycle,
                (r.end.time - r.start.time) / crate::constants::HOUR,
                r.end.voltage,
                crate::constants::a_per_m2_to_ma_per_cm2(r.end.current)
            )),
            _ => {}
        }
        // steps whose control the cell cannot reach: the salt at a metal face ran out on the way
        // to it (docs/model.md, Numerics, consistent initial values)
        let depleted_at_start = |r: &&crate::solution::StepRecord| {
            r.stop
                == (StopReason::Event {
                    event: crate::model::events::Event::SaltDepleted,
                })
                && r.end.time == r.start.time
        };
        let mut at_start = self.steps.iter().filter(depleted_at_start);
        if let Some(r) = at_start.next() {
            let more = at_start.count();
            w.push(format!(
                "step \"{}\" of cycle {} ended at its start on salt depletion{}: the salt at a \
                 metal face ran out on the way to its control, a current beyond what the \
                 electrolyte can carry to the metal (the face's limiting current); it passed no \
                 charge",
                r.text,
                r.cycle,
                if more > 0 {
                    format!(", as did {more} later steps")
                } else {
                    String::new()
                }
            ));
        }
        // where the integration struggled: each restart (the first few), so that a reader can
        // look at that part of the run
        const LISTED_RESTARTS: usize = 5;
        for r in self.restarts.iter().take(LISTED_RESTARTS) {
            let at = self.steps.get(r.step_record).map_or_else(
                || "in the last step".to_string(),
                |s| format!("in cycle {}, step \"{}\"", s.cycle, s.text),
            );
            w.push(format!(
                "the solver restarted {at} from t = {:.1} s ({:.3} V) after a failed step \
                 ({}): a last line of defence (docs/model.md, Numerics) that keeps the run going \
                 from its last accepted state; the integration struggled there",
                r.time_s, r.voltage_v, r.message
            ));
        }
        if self.restarts.len() > LISTED_RESTARTS {
            w.push(format!(
                "{} more solver restarts are not listed",
                self.restarts.len() - LISTED_RESTARTS
            ));
        }
        if let Some(t) = self.recording_stopped_at {
            w.push(format!(
                "from t = {t:.1} s the time series left out the points inside steps while its \
                 recorded states were at the recording budget (SolverOptions::max_recorded_values, \
                 1 GiB of states by default; {} points recorded): each step's first and last point \
                 are kept, and the step and cycle summaries and the totals cover the whole run. A \
                 longer --period (or --record-cycles sparse) records less",
                self.len()
            ));
        }
        let skipped = self.skipped_cycle_count();
        if skipped > 0 {
            w.push(format!(
                "{skipped} of {} cycles were extrapolated, not simulated (cycle skipping, {} \
                 jumps): they have no points or cycle rows; the totals and the final state \
                 include them",
                self.cycle_count(),
                self.skipped_cycles.len()
            ));
        }
        w
    }

    /// The state at the end of the run (the initial state when nothing was computed).
    fn end_state(&self) -> Vec<f64> {
        if self.final_state.is_empty() {
            self.model.initial_state(&crate::model::Control::default())
        } else {
            self.final_state.clone()
        }
    }

    /// The cathode's product at the end of the run.
    pub fn cathode_summary(&self) -> CathodeSummary {
        let m = &self.model;
        let y = self.end_state();
        CathodeSummary {
            product_o2_mol_m2: m.product_o2(&y),
            max_product_fraction: m.max_product_fraction(&y),
            max_film_thickness_m: (m.options.passivation != crate::model::Passivation::None)
                .then(|| m.max_film_thickness(&y)),
            particle_share: m.particle_share(&y),
        }
    }

    /// The anode ledger at the end of the run.
    pub fn anode_summary(&self) -> AnodeSummary {
        let m = &self.model;
        let l = &m.layout;
        let y = self.end_state();
        // the crossover fluxes are the corrosion terms of the residual at that state
        let control = crate::model::Control::at(crate::model::OperatingMode::Current(y[l.current]));
        let mut ws = crate::model::Workspace::<f64>::for_model(m);
        let mut out = vec![0.0; m.len()];
        m.residual(&y, &control, &mut ws, &mut out);
        let byproducts = m.byproducts(&y);
        AnodeSummary {
            metal_loss_mol_m2: m.metal_losses(&y).into_iter().collect(),
            sei_thickness_m: m.sei_thickness(&y),
            scale_thickness_m: m.scale_thickness(&y),
            layer_resistance_ohm_cm2: m.anode_layer_resistance(&y) * 1e4,
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
                .map(|(i, g)| (g.name(), m.gas_drawn(&y, i)))
                .collect(),
            cathode_side_products_mol_m2: m.parasitic_deposit(&y),
            cathode_co2_evolved_mol_m2: crate::model::cathode::carbonate::co2_evolved(m, &y),
            cathode_carbon_oxidised_mol_m2: crate::model::cathode::carbon_oxidation::formed(m, &y),
            cathode_carbon_carbonate_mol_m2: crate::model::cathode::carbon_oxidation::present(
                m, &y,
            ),
            cathode_electrolyte_oxidised_mol_m2:
                crate::model::cathode::electrolyte_oxidation::electrons(m, &y),
        }
    }
}

/// A failure mode in words: a stop-event code or an end-of-life rule.
pub fn failure_mode_text(mode: &str) -> String {
    match mode {
        "capacity_not_reached (anode)" => {
            "a capacity-limited discharge missed its capacity (the anode lost the voltage)".into()
        }
        "capacity_not_reached (cathode)" => {
            "a capacity-limited discharge missed its capacity (the cathode lost the voltage)".into()
        }
        "capacity_fade" => {
            "discharge capacity below the end-of-life fraction of the first cycle's capacity".into()
        }
        other => other.replace('_', " "),
    }
}
