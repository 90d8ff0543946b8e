//! Per-cycle metrics: capacities, voltages, efficiencies, e-/O2, O2 recovery and the metal
//! lost by mechanism in each cycle.

use serde::Serialize;

use super::Solution;
use crate::constants::{c_per_m2_to_mah_per_cm2, FARADAY};
use crate::experiment::StepKind;

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
    /// Discharge capacity of the cell \[mAh\].
    pub discharge_capacity_mAh: f64,
    /// Discharge capacity per gram of cathode carbon [mAh.g-1].
    pub discharge_capacity_mAh_g: f64,
    /// Voltage at the end of the last discharge step \[V\].
    pub end_of_discharge_voltage_V: Option<f64>,
    /// Voltage at the end of the last charge step \[V\].
    pub end_of_charge_voltage_V: Option<f64>,
    /// Charge-weighted mean discharge voltage \[V\].
    pub mean_discharge_voltage_V: Option<f64>,
    /// Charge-weighted mean charge voltage \[V\].
    pub mean_charge_voltage_V: Option<f64>,
    /// Mean charge voltage - mean discharge voltage \[V\].
    pub overpotential_gap_V: Option<f64>,
    /// Charge returned per charge taken, the Li-O2 convention for a cycle that starts on
    /// discharge: charge capacity / discharge capacity (discharge / charge for a cycle that
    /// starts on charge). Below 1 when side reactions eat product (less to oxidise back),
    /// above 1 when a mediator shuttle or electrolyte oxidation adds charge. Null for an
    /// incomplete cycle (cut short by end of life, a failure or an interrupt).
    pub coulombic_efficiency: Option<f64>,
    /// Discharge energy / charge energy.
    pub energy_efficiency: Option<f64>,
    /// Electrons per O2 drawn from the gas on discharge.
    pub electrons_per_O2: Option<f64>,
    /// O2 released on charge / O2 drawn on discharge.
    pub o2_recovery: Option<f64>,
    /// CO2 evolved in the cycle by the oxidation of the parasitic carbonate deposit (on
    /// charge) [mol.m-2].
    pub co2_evolved_mol_m2: f64,
    /// Share of the cycle's charge that returned no O2 [-]: (n_ox + 2 n_CO2 + n_C) F /
    /// Q_charge over the cycle, the electrolyte's oxidation, the carbonate's (deposit and the
    /// carbon's) and the carbon's own (2 e- per carbon atom, of which the half O2 it releases
    /// accounts for one), so that e-/O2 on charge, as DEMS reads it, is 2 / (1 - share). Null
    /// without a charge.
    pub side_reaction_charge_fraction: Option<f64>,
    /// Metal lost in this cycle by mechanism [mol.m-2].
    pub metal_loss_mol_m2: std::collections::BTreeMap<&'static str, f64>,
    /// Dense inner SEI thickness at the end of the cycle \[m\].
    pub sei_thickness_m: f64,
    /// Outer corrosion scale thickness at the end of the cycle \[m\].
    pub scale_thickness_m: f64,
    /// Ionic resistance of the metal's surface layers (SEI, scale, protective layer) at the
    /// end of the cycle [Ohm.cm2].
    pub anode_layer_resistance_Ohm_cm2: f64,
    /// Dendrite length at the end of the cycle \[m\].
    pub dendrite_length_m: f64,
    /// Electrolyte remaining at the end of the cycle [-].
    pub electrolyte_remaining_fraction: f64,
    /// Symmetric cells: largest polarisation |V| in the cycle \[V\] (null for metal-air cells).
    pub max_polarisation_V: Option<f64>,
}

impl Solution {
    /// Number of cycles run (complete or not).
    pub fn cycle_count(&self) -> usize {
        self.steps.last().map_or(0, |s| s.cycle)
    }

    /// Metrics of every cycle.
    pub fn cycle_summaries(&self) -> Vec<CycleSummary> {
        (1..=self.cycle_count())
            .filter_map(|c| self.cycle_summary(c))
            .collect()
    }

    /// The step records of cycle `c` (1-based): steps are recorded in cycle order, so a
    /// cycle's steps are one run of them (empty for a cycle not run or skipped).
    pub fn cycle_steps(&self, c: usize) -> std::ops::Range<usize> {
        self.steps.partition_point(|r| r.cycle < c)..self.steps.partition_point(|r| r.cycle <= c)
    }

    /// The cell at the end of cycle `c`'s last step (None for a cycle not run or skipped).
    pub fn cycle_end_boundary(&self, c: usize) -> Option<&super::Boundary> {
        self.steps[self.cycle_steps(c)].last().map(|r| &r.end)
    }

    /// Metrics of cycle `c` (1-based).
    /// None for a cycle that was not run (0 or beyond the last).
    pub fn cycle_summary(&self, c: usize) -> Option<CycleSummary> {
        let m = &self.model;
        let steps = self.cycle_steps(c);
        if steps.is_empty() {
            return None;
        }
        let last_step = steps.end - 1;
        let last_of = |kind: StepKind| steps.clone().rev().find(|&s| self.steps[s].kind == kind);
        // every step of the cycle ran (not cut short by end of life, a failure or an interrupt)
        let complete = (self.steps_per_cycle == 0 || steps.len() == self.steps_per_cycle)
            && self.steps[last_step].stop != super::StopReason::Interrupted;
        let starts_on_charge = steps
            .clone()
            .map(|s| self.steps[s].kind)
            .find(|k| *k != StepKind::Rest)
            == Some(StepKind::Charge);
        let totals = self.charge_totals(steps.clone());
        let (q_d, q_c) = (totals.discharge_charge_C_m2, totals.charge_charge_C_m2);
        let o2_d = totals.discharge_o2_mol_m2;
        let energy = |s| self.step_energy(s);
        let e_d = self.kind_sum(steps.clone(), StepKind::Discharge, energy);
        let e_c = -self.kind_sum(steps.clone(), StepKind::Charge, energy);
        let o2_c = -self.kind_sum(steps.clone(), StepKind::Charge, |s| self.step_o2_uptake(s));
        let v = |s: usize| self.steps[s].end.voltage;
        let ratio = |a: f64, b: f64| (b.abs() > 0.0 && a.is_finite()).then(|| a / b);
        let air = !m.is_symmetric();
        let battery = |x: Option<f64>| x.filter(|_| air);
        let (mean_d, mean_c) = (ratio(e_d, q_d), ratio(e_c, q_c));
        let area_cm2 = m.params.geometry.electrode_area * 1e4;
        let carbon_g_m2 = m.params.carbon_loading() * 1e3;
        let first = &self.steps[steps.start].start;
        let last = &self.steps[last_step].end;
        let before: std::collections::BTreeMap<_, _> = first.metal_losses.iter().copied().collect();
        Some(CycleSummary {
            cycle: c,
            discharge_capacity_mAh_cm2: c_per_m2_to_mah_per_cm2(q_d),
            charge_capacity_mAh_cm2: c_per_m2_to_mah_per_cm2(q_c),
            discharge_capacity_mAh: c_per_m2_to_mah_per_cm2(q_d) * area_cm2,
            discharge_capacity_mAh_g: q_d / 3.6 / carbon_g_m2,
            end_of_discharge_voltage_V: last_of(StepKind::Discharge).map(v),
            end_of_charge_voltage_V: last_of(StepKind::Charge).map(v),
            mean_discharge_voltage_V: mean_d,
            mean_charge_voltage_V: mean_c,
            overpotential_gap_V: mean_c.zip(mean_d).map(|(c, d)| c - d),
            coulombic_efficiency: if complete && q_d > 0.0 && q_c > 0.0 {
                if starts_on_charge {
                    ratio(q_d, q_c)
                } else {
                    ratio(q_c, q_d)
                }
            } else {
                None
            },
            energy_efficiency: battery(ratio(e_d, e_c)),
            electrons_per_O2: battery(ratio(q_d / FARADAY, o2_d)),
            o2_recovery: battery(ratio(o2_c, o2_d)),
            co2_evolved_mol_m2: last.co2_evolved - first.co2_evolved,
            side_reaction_charge_fraction: battery(ratio(
                (last.electrolyte_oxidised - first.electrolyte_oxidised
                    + 2.0 * (last.co2_evolved - first.co2_evolved)
                    + (last.carbon_oxidised - first.carbon_oxidised))
                    * FARADAY,
                q_c,
            )),
            metal_loss_mol_m2: last
                .metal_losses
                .iter()
                .map(|&(k, v)| (k, v - before[k]))
                .collect(),
            sei_thickness_m: last.sei_thickness_m,
            scale_thickness_m: last.scale_thickness_m,
            anode_layer_resistance_Ohm_cm2: last.anode_layer_resistance_ohm_m2 * 1e4,
            dendrite_length_m: last.dendrite_length_m,
            electrolyte_remaining_fraction: last.electrolyte_remaining_fraction,
            max_polarisation_V: (!air).then(|| {
                steps
                    .clone()
                    .map(|s| self.steps[s].max_abs_voltage)
                    .fold(0.0, f64::max)
            }),
        })
    }
}

/// A named per-cycle column: one value per cycle, null where undefined.
pub type CycleColumn = (String, Vec<Option<f64>>);

impl Solution {
    /// The cycle numbers and the per-cycle metrics as named columns, one value per cycle (null
    /// where undefined), in the order and with the names of the CLI's `cycles.csv` (after its
    /// `Cycle` column) and the Python package's `Solution.cycles`: one definition for both.
    pub fn cycle_columns(&self) -> (Vec<usize>, Vec<CycleColumn>) {
        let cycles = self.cycle_summaries();
        let col = |f: &dyn Fn(&CycleSummary) -> Option<f64>| -> Vec<Option<f64>> {
            cycles.iter().map(f).collect()
        };
        let mut v: Vec<CycleColumn> = vec![
            (
                "Discharge capacity [mAh.cm-2]".into(),
                col(&|c| Some(c.discharge_capacity_mAh_cm2)),
            ),
            (
                "Charge capacity [mAh.cm-2]".into(),
                col(&|c| Some(c.charge_capacity_mAh_cm2)),
            ),
            (
                "Discharge capacity [mAh.g-1]".into(),
                col(&|c| Some(c.discharge_capacity_mAh_g)),
            ),
            (
                "End-of-discharge voltage [V]".into(),
                col(&|c| c.end_of_discharge_voltage_V),
            ),
            (
                "End-of-charge voltage [V]".into(),
                col(&|c| c.end_of_charge_voltage_V),
            ),
            (
                "Mean discharge voltage [V]".into(),
                col(&|c| c.mean_discharge_voltage_V),
            ),
            (
                "Mean charge voltage [V]".into(),
                col(&|c| c.mean_charge_voltage_V),
            ),
            (
                "Overpotential gap [V]".into(),
                col(&|c| c.overpotential_gap_V),
            ),
            (
                "Coulombic efficiency [-]".into(),
                col(&|c| c.coulombic_efficiency),
            ),
            (
                "Energy efficiency [-]".into(),
                col(&|c| c.energy_efficiency),
            ),
            ("Electrons per O2 [-]".into(), col(&|c| c.electrons_per_O2)),
            ("O2 recovery [-]".into(), col(&|c| c.o2_recovery)),
            (
                "CO2 evolved [mol.m-2]".into(),
                col(&|c| Some(c.co2_evolved_mol_m2)),
            ),
            (
                "Side-reaction share of charge [-]".into(),
                col(&|c| c.side_reaction_charge_fraction),
            ),
            (
                "SEI thickness [m]".into(),
                col(&|c| Some(c.sei_thickness_m)),
            ),
            (
                "Corrosion scale thickness [m]".into(),
                col(&|c| Some(c.scale_thickness_m)),
            ),
            (
                "Anode layer resistance [Ohm.cm2]".into(),
                col(&|c| Some(c.anode_layer_resistance_Ohm_cm2)),
            ),
            (
                "Dendrite length [m]".into(),
                col(&|c| Some(c.dendrite_length_m)),
            ),
            (
                "Electrolyte remaining [-]".into(),
                col(&|c| Some(c.electrolyte_remaining_fraction)),
            ),
        ];
        if self.model.is_symmetric() {
            v.push((
                "Max polarisation [V]".into(),
                col(&|c| c.max_polarisation_V),
            ));
        }
        let mechanisms: Vec<&str> = cycles
            .first()
            .map(|c| c.metal_loss_mol_m2.keys().copied().collect())
            .unwrap_or_default();
        for k in mechanisms {
            v.push((
                format!("Metal lost to {k} [mol.m-2]"),
                col(&|c| Some(c.metal_loss_mol_m2[k])),
            ));
        }
        (cycles.iter().map(|c| c.cycle).collect(), v)
    }
}
