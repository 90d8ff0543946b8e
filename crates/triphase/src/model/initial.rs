//! Initial state of a fresh cell and starting guesses after a step change; the consistent
//! initialisation of the solver then solves the algebraic states exactly.

use super::{anode, cathode, electrolyte_loss, symmetric, Control, Model};

impl Model {
    /// Initial state: rest concentrations, fresh metal, and potential guesses that the
    /// consistent initialisation then corrects.
    pub fn initial_state(&self, control: &Control) -> Vec<f64> {
        let p = &self.params;
        let l = &self.layout;
        let mut y = vec![0.0; self.len()];
        let i_app = control.mode.current_guess();
        let c0 = p.electrolyte.initial_concentration;
        let csat = p.o2_saturation();
        let eps_p0 = p.cathode.initial_product_fraction;
        // the liquid volume fraction the transport uses (a just-full pore volume is 0.9993 of
        // it in the smoothed dry-out law): the salt and gases start at c0 and saturation in it
        let liquid = l.solvent.map_or(1.0, |_| {
            electrolyte_loss::liquid_fraction(p, electrolyte_loss::initial_solvent(p))
        });
        for k in 0..self.mesh.len() {
            let pore = if k < self.mesh.n_sep {
                p.geometry.separator_porosity
            } else {
                self.structure.porosity(eps_p0)
            };
            let eps = pore * liquid;
            y[l.salt.start + k] = eps * c0;
            // O2 at its initial saturation, free of the other gases (assembled dry, under argon)
            y[l.o2.start + k] = eps * csat * p.oxygen.initial_saturation;
        }
        if let Some(i) = l.solvent {
            y[i] = electrolyte_loss::initial_solvent(p);
        }
        if let Some(r) = l.mediator.clone() {
            // all reduced at the start
            for k in 0..self.mesh.len() {
                y[r.start + k] = y[l.salt.start + k] / c0 * p.mediator.concentration;
            }
        }
        let area_total = self.structure.active_area(eps_p0) * p.geometry.cathode_thickness;
        for j in 0..self.mesh.n_cat {
            y[l.product.start + j] = eps_p0;
        }
        // product present at the start counts as film (assumption: the passivating case)
        if let Some(r) = l.film.clone() {
            y[r].fill(eps_p0);
        }
        y[l.metal] = p.initial_metal_inventory();
        y[l.current] = i_app;
        let targets = vec![-i_app / area_total; self.mesh.n_cat];
        // the electrolyte potential carries the anode's equilibrium potential U_a (alloys), its
        // overpotential at the applied current and the drop across its surface layers: a slow
        // anode (i0 = 1e-5 A m-2) needs ~0.6 V at 0.1 mA cm-2, beyond Newton's reach from 0
        anode::plating::align_potentials(self, &mut y);
        cathode::kinetics::guess_solid_potential(self, &mut y, &targets, i_app == 0.0);
        symmetric::align_counter(self, &mut y);
        y
    }

    /// Starting guess for the algebraic states after the operating mode changed to the current
    /// one; the consistent initialisation then solves them exactly.
    ///
    /// The applied current takes its new value; the reaction currents are rescaled to carry it
    /// (or, when the sign flips, redistributed where product or carbon can take the reaction),
    /// and the overpotentials and carbon potential set to carry them.
    pub fn guess_after_mode_change(&self, control: &Control, y: &mut [f64]) {
        let l = &self.layout;
        let i_old = y[l.current];
        let i_new = control
            .mode
            .current_guess_from(self.voltage(y), y[l.current]);
        y[l.current] = i_new;
        let same_sign = i_old != 0.0 && i_old.signum() == i_new.signum();
        // the double layer holds phi_s - phi_e across the change, and the faradaic currents
        // (the overpotentials) with it: only the charging current jumps, so neither is guessed
        let targets: Option<Vec<f64>> = (!l.double_layer).then(|| {
            if same_sign {
                (0..self.mesh.n_cat)
                    .map(|j| cathode::kinetics::reaction_current(self, y, j) * (i_new / i_old))
                    .collect()
            } else {
                self.redistribute_reaction(i_new, y)
            }
        });
        anode::plating::align_potentials(self, y);
        if let Some(targets) = targets {
            cathode::kinetics::guess_solid_potential(self, y, &targets, i_new == 0.0);
        }
        symmetric::align_counter(self, y);
    }

    /// Reaction currents that carry `i_new` where the reaction can run: on the product when
    /// charging, on the open carbon area when discharging.
    fn redistribute_reaction(&self, i_new: f64, y: &[f64]) -> Vec<f64> {
        let l = &self.layout;
        // weight: product volume on charge, open carbon area on discharge
        let weights: Vec<(f64, f64)> = (0..self.mesh.n_cat)
            .map(|j| {
                let eps_p = y[l.product.start + j];
                let area = self.structure.active_area(self.deposit(y, j));
                (
                    if i_new < 0.0 { eps_p } else { area },
                    area * self.mesh.dx[self.cat(j)],
                )
            })
            .collect();
        let total: f64 = weights.iter().map(|(w, a)| w * a).sum();
        weights
            .iter()
            .map(|(w, _)| if total > 0.0 { -i_new * w / total } else { 0.0 })
            .collect()
    }
}
