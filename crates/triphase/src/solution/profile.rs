//! Spatial profiles across the cell (metal surface at x = 0, gas side at x = L) at a saved or
//! recorded state: what a researcher plots to see where O2 runs out and where product clogs.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Solution;
use crate::error::InputError;
use crate::experiment::StepKind;
use crate::model::Workspace;

/// Checks the times asked for profiles \[h\] (finite, not negative); `origin` names where they
/// were given.
pub fn check_profile_times(origin: &str, times_h: &[f64]) -> Result<(), InputError> {
    match times_h.iter().find(|t| !t.is_finite() || **t < 0.0) {
        Some(bad) => Err(InputError::Invalid {
            origin: origin.to_string(),
            message: format!("{bad} h: times must be finite and not negative"),
        }),
        None => Ok(()),
    }
}

/// Concentrations, product loading and electrolyte potential at the control-volume centres.
#[derive(Debug, Clone, Serialize)]
#[allow(non_snake_case)]
pub struct Profile {
    /// Time \[s\].
    pub time_s: f64,
    /// Control-volume centres \[m\] (separator first, metal surface at 0).
    pub x_m: Vec<f64>,
    /// Salt concentration in the liquid c_e [mol.m-3].
    pub salt_mol_m3: Vec<f64>,
    /// Dissolved gas concentrations in the liquid [mol.m-3], by gas formula (O2 always).
    pub gas_mol_m3: BTreeMap<&'static str, Vec<f64>>,
    /// Discharge product volume fraction eps_p [-] (0 in the separator).
    pub product_fraction: Vec<f64>,
    /// The part of it that grew as a passivating film, eps_f [-] (all of it unless the product
    /// also grows as particles, option `product_growth`; 0 in the separator).
    pub film_fraction: Vec<f64>,
    /// Electrolyte potential phi_e \[V\] (vs the metal).
    pub electrolyte_potential_V: Vec<f64>,
    /// Dissolved superoxide in the liquid [mol.m-3] (None without the option
    /// `dissolved_superoxide`).
    pub superoxide_mol_m3: Option<Vec<f64>>,
}

impl Solution {
    /// Index of the recorded point closest in time to `t` \[s\] (None when nothing was recorded).
    pub fn nearest_point(&self, t: f64) -> Option<usize> {
        // recorded times never decrease
        let after = self.time.partition_point(|&s| s < t);
        match (after.checked_sub(1), (after < self.len()).then_some(after)) {
            (Some(a), Some(b)) if t - self.time[a] <= self.time[b] - t => Some(a),
            (_, Some(b)) => Some(b),
            (a, None) => a,
        }
    }

    /// Recorded points closest to `times_s` \[s\], in time order without repeats. Without times
    /// ([`Solution::default_profile_points`]): for a run with two or more recorded discharges,
    /// its start and the ends of up to four of them; otherwise five times spread evenly over
    /// the run.
    pub fn profile_points(&self, times_s: Option<&[f64]>) -> Vec<usize> {
        let mut points: Vec<usize> = match times_s {
            Some(t) => t.iter().filter_map(|&t| self.nearest_point(t)).collect(),
            None => self.default_profile_points(),
        };
        points.sort_unstable();
        points.dedup();
        points
    }

    /// The default profile points. A cycling run's states at evenly spread times land wherever
    /// the period puts them (for cycles of whole hours, at the ends of charges, where the
    /// product is round-off): with two or more recorded discharges the points are the run's
    /// start and the ends of the recorded discharges nearest to four cycles spread from the
    /// first recorded to the last (both included), the states with the most product.
    /// Otherwise (one discharge, a rest, a symmetric cell's plating) five points spread evenly
    /// in time.
    pub fn default_profile_points(&self) -> Vec<usize> {
        let (Some(&t0), Some(&t1)) = (self.time.first(), self.time.last()) else {
            return vec![];
        };
        // (cycle, last point) of every recorded discharge
        let ends: Vec<(f64, usize)> = self
            .steps
            .iter()
            .filter(|r| r.kind == StepKind::Discharge && !self.model.is_symmetric())
            .filter_map(|r| r.points.map(|(_, last)| (r.cycle as f64, last)))
            .collect();
        if let [(c0, _), .., (c1, _)] = ends[..] {
            // the recorded discharge nearest to each of four cycles spread from c0 to c1
            let nearest = |c: f64| {
                ends.iter()
                    .min_by(|a, b| (a.0 - c).abs().total_cmp(&(b.0 - c).abs()))
                    .map(|e| e.1)
            };
            std::iter::once(0)
                .chain((0..4).filter_map(|j| nearest(c0 + (c1 - c0) * j as f64 / 3.0)))
                .collect()
        } else {
            (0..5)
                .filter_map(|k| self.nearest_point(t0 + (t1 - t0) * k as f64 / 4.0))
                .collect()
        }
    }

    /// Profiles at `times_s` \[s\]: the states the solver saved at exactly those times (ask for
    /// them with [`crate::SolverOptions::snapshot_times`]), else the nearest recorded points;
    /// without times, [`Solution::default_profile_points`]. In time order, without repeats.
    pub fn profiles(&self, times_s: Option<&[f64]>) -> Vec<Profile> {
        let mut out: Vec<Profile> = Vec::new();
        for &t in times_s.unwrap_or(&[]) {
            if let Some((ts, y)) = self.snapshots.iter().find(|(s, _)| *s == t) {
                out.push(self.profile_of(*ts, y));
            } else if let Some(i) = self.nearest_point(t) {
                out.push(self.profile(i));
            }
        }
        if times_s.is_none() {
            out = self
                .profile_points(None)
                .into_iter()
                .map(|i| self.profile(i))
                .collect();
        }
        out.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
        out.dedup_by(|a, b| a.time_s == b.time_s);
        out
    }

    /// Profiles across the cell at recorded point `i`.
    pub fn profile(&self, i: usize) -> Profile {
        self.profile_of(self.time[i], self.state(i))
    }

    /// Profiles across the cell of state `y` at time `t` \[s\]: liquid concentrations are the
    /// stored contents eps c divided by the local liquid volume fraction.
    pub fn profile_of(&self, t: f64, y: &[f64]) -> Profile {
        let m = &self.model;
        let l = &m.layout;
        let n = m.mesh.len();
        let mut ws = Workspace::<f64>::for_model(m);
        m.fill_volumes(y, &mut ws.props);
        let gas_mol_m3 = l
            .gases
            .iter()
            .enumerate()
            .map(|(g, gas)| (gas.name(), ws.props.c_gas[g * n..(g + 1) * n].to_vec()))
            .collect();
        let cathode = |r: &std::ops::Range<usize>| -> Vec<f64> {
            (0..n)
                .map(|k| {
                    if k < m.mesh.n_sep {
                        0.0
                    } else {
                        y[r.start + k - m.mesh.n_sep]
                    }
                })
                .collect()
        };
        let product_fraction = cathode(&l.product);
        let film_fraction = cathode(&l.film_states());
        Profile {
            time_s: t,
            x_m: m.mesh.x.clone(),
            salt_mol_m3: ws.props.c_e.clone(),
            gas_mol_m3,
            product_fraction,
            film_fraction,
            electrolyte_potential_V: y[l.phi_e.clone()].to_vec(),
            superoxide_mol_m3: l
                .superoxide
                .as_ref()
                .map(|r| (0..n).map(|k| y[r.start + k] / ws.props.eps[k]).collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::experiment::Experiment;
    use crate::{simulate, Cell, SolverOptions};

    /// At rest the electrolyte is uniform and O2-saturated; after a discharge O2 falls from the
    /// gas side towards the separator and product is heaviest at the gas side (O2-limited).
    #[test]
    fn rest_is_uniform_and_discharge_depletes_o2_towards_the_separator() {
        // the cathode-only model: no O2 is consumed at the metal
        let cell = Cell::preset("li-o2-ideal-anode").unwrap();
        // well before the end of the discharge (sudden death near 2.2 h)
        let exp = Experiment::parse(&["Discharge at 0.5 mA cm-2 for 90 minutes"]).unwrap();
        let sol = simulate(&cell, &exp, &SolverOptions::default()).unwrap();
        let p0 = sol.profile(0);
        let c0 = cell.params.electrolyte.initial_concentration;
        assert!(p0.salt_mol_m3.iter().all(|c| (c - c0).abs() < 1e-9 * c0));
        let sat = cell.params.o2_saturation();
        assert!(p0.gas_mol_m3["O2"]
            .iter()
            .all(|c| (c - sat).abs() < 1e-9 * sat));

        let end = sol.nearest_point(f64::INFINITY).unwrap();
        assert_eq!(end, sol.len() - 1);
        let p = sol.profile(end);
        let o2 = &p.gas_mol_m3["O2"];
        // consumed throughout the cathode, O2 rises monotonically towards the gas side (near
        // the separator the little O2 left there still diffuses in)
        let n_sep = sol.model.mesh.n_sep;
        let half = n_sep + sol.model.mesh.n_cat / 2;
        assert!(o2[half..].windows(2).all(|w| w[1] > w[0]), "{o2:?}");
        assert!(o2[o2.len() - 1] > 100.0 * o2[0]);
        assert!(p.product_fraction[..n_sep].iter().all(|&e| e == 0.0));
        assert!(p.product_fraction[p.x_m.len() - 1] > p.product_fraction[n_sep]);
        // Li2O2 grows mostly as film at 0.5 mA cm-2, some as particles
        let last = p.x_m.len() - 1;
        assert!(p.film_fraction[last] > 0.9 * p.product_fraction[last]);
        assert!(p
            .film_fraction
            .iter()
            .zip(&p.product_fraction)
            .all(|(f, e)| *f >= 0.0 && *f <= *e));
        assert_eq!(
            sol.nearest_point(3600.0).map(|i| sol.time[i] <= 7200.0),
            Some(true)
        );
    }
}
