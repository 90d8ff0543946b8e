//! End-of-life rules applied after each cycle: a capacity-limited discharge that hits its
//! voltage cut-off (blamed on the anode or the cathode by which side lost the voltage), or a
//! capacity below a fraction of the first cycle's.

use super::{Solution, StopReason};
use crate::experiment::StepKind;
use crate::model::events::Event;

impl Solution {
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
        let summary = self.cycle_summary(c)?;
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
}
