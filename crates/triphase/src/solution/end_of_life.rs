//! End-of-life rules applied after each cycle: a capacity-limited discharge that hits its
//! voltage cut-off (blamed on the anode or the cathode by which side lost the voltage), or a
//! capacity below a fraction of the first cycle's.

use super::{Solution, StopReason};
use crate::experiment::StepKind;
use crate::model::events::Event;

impl Solution {
    /// Whether step record `s` is a capacity-limited discharge that ended at its voltage
    /// cut-off, in a voltage collapse, on clogged pores or on depleted salt before reaching its
    /// capacity.
    pub(crate) fn missed_capacity(&self, s: usize) -> bool {
        self.steps.get(s).is_some_and(|r| {
            r.kind == StepKind::Discharge
                && r.capacity_limited
                && matches!(
                    r.stop,
                    StopReason::Event {
                        event: Event::LowerVoltageCutoff
                            | Event::PoresClogged
                            | Event::SaltDepleted,
                    } | StopReason::VoltageCollapse
                )
        })
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
        let failed = self
            .steps
            .iter()
            .enumerate()
            .rev()
            .find(|&(i, s)| s.cycle == c && self.missed_capacity(i));
        if let (true, Some((_, s))) = (rule.capacity_not_reached, failed) {
            // which side lost the voltage: compare with the end of the first discharge
            let reference = &self
                .steps
                .iter()
                .find(|r| r.kind == StepKind::Discharge)
                .unwrap_or(s)
                .end;
            let end = &s.end;
            let anode_growth = end.anode_loss_V - reference.anode_loss_V;
            let total_growth = reference.voltage - end.voltage;
            // clogged pores and salt depleted on discharge (Li+ runs out where the product forms,
            // in the cathode's pores) are the cathode's, whatever the voltage did before
            let clogged = matches!(
                s.stop,
                StopReason::Event {
                    event: Event::PoresClogged | Event::SaltDepleted,
                }
            );
            let side = if !clogged && anode_growth > 0.5 * total_growth {
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
