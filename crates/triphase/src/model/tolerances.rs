//! Absolute tolerances of the error control, one per state, scaled to each variable's
//! magnitude (potentials in V, concentrations relative to their reference, inventories
//! relative to the initial metal).

use super::{electrolyte_loss, Model};

impl Model {
    /// Absolute tolerances per state, scaled to each variable's magnitude.
    pub fn absolute_tolerances(&self, scale: f64) -> Vec<f64> {
        let p = &self.params;
        let l = &self.layout;
        let mut atol = vec![0.0; self.len()];
        let set = |atol: &mut Vec<f64>, r: std::ops::Range<usize>, v: f64| {
            atol[r].iter_mut().for_each(|a| *a = v * scale)
        };
        set(
            &mut atol,
            l.salt.clone(),
            1e-6 * p.electrolyte.initial_concentration,
        );
        // the potentials: 1e-5 V, as the overpotentials below. phi_e is algebraic: the
        // constraint fixes it at every step, so its local error estimate (how far the BDF
        // prediction was off) measures how curved its path is, not an error that the solution
        // carries on (the reason for IDA's option IDASetSuppressAlg). At 1e-6 V it set the step
        // size while the double layer's charging front crossed the cathode in the first second
        // after every step change (~30 steps per step) and again at the end of a charge; at
        // 1e-5 V, 10 capacity-limited li-o2-ideal-anode cycles take 2575 steps instead of 2838
        // and the validation cases move by at most 8.5e-5 of their values. With the double
        // layer phi_s holds phi_s - phi_e (differential): 1e-5 V of it is C_dl a L 1e-5 V ~ 5e-3
        // C m-2 of stored charge on the default cathode, 3e-7 of a 0.5 mAh cm-2 half cycle
        set(&mut atol, l.phi_e.clone(), 1e-5);
        for (i, gas) in l.gases.iter().enumerate() {
            let scale = if i == 0 {
                p.o2_saturation()
            } else {
                p.saturation(*gas).max(1e-3)
            };
            let r = l.gas_at(i, 0)..l.gas_at(i, 0) + l.n;
            set(&mut atol, r, 1e-6 * scale);
        }
        set(&mut atol, l.phi_s.clone(), 1e-5);
        set(&mut atol, l.product.clone(), 1e-8);
        // charge-transfer overpotentials: 1e-5 V, a relative error alpha f d(eta) ~ 2e-4 of a
        // Tafel rate, the cycling tolerance's order (the rates themselves are integrated by
        // the error-controlled differential states). At 1e-6 V, the potentials' value, the
        // error test held the overpotential of an O2-starved cathode volume (-1.3 to -1.9 V
        // after a discharge to 1.0 V) to 1e-6 V while it follows, through the film drop
        // i_c R_film, an O2 concentration four decades below O2's own tolerance that the
        // reaction consumes with a 1e-10 s time constant: the corrector moved it by ~1.2 mV
        // at any step size down to 1e-13 s, and the step failed until a restart (li-air
        // charged after a discharge to 1.0 V, li-air resting after a pulse to 1.0 V). Like
        // IDA's option to leave algebraic variables out of the error test (IDASetSuppressAlg),
        // but only as far as the rates' accuracy allows; the Newton iteration still solves
        // them to 0.005-0.02 of this (5e-8 to 2e-7 V).
        set(&mut atol, l.overpotential.clone(), 1e-5);
        atol[l.metal] = 1e-8 * p.initial_metal_inventory() * scale;
        atol[l.current] = 1e-8 * scale;
        atol[l.o2_uptake] = 1e-9 * scale;
        atol[l.charge] = 1e-3 * scale;
        // ~3 V times the charge's tolerance
        atol[l.energy] = 3e-3 * scale;
        for i in l.gas_uptake.clone() {
            atol[i] = 1e-9 * scale;
        }
        if let Some(r) = l.sei.clone() {
            set(&mut atol, r, 1e-12);
        }
        if let Some(i) = l.sei_shed {
            // a volume per area, i.e. a thickness: 1e-12 mol m-2 of SEI is ~5e-17 m
            atol[i] = 1e-16 * scale;
        }
        for i in [l.crack, l.dendrite].into_iter().flatten() {
            atol[i] = 1e-9 * scale;
        }
        if let Some(i) = l.dead {
            atol[i] = 1e-10 * p.initial_metal_inventory() * scale;
        }
        if let Some(i) = l.solvent {
            atol[i] = 1e-8 * electrolyte_loss::initial_solvent(p) * scale;
        }
        if let Some(r) = l.mediator.clone() {
            set(&mut atol, r, 1e-6 * p.mediator.concentration.max(1e-3));
        }
        // dissolved superoxide: 1e-8 of O2's saturation, two decades below O2's own (it lives
        // at ~1e-3 mol m-3 where it forms; below this its flux into the metal, ~1e-5 m s-1
        // times it, is under 1e-9 mol m-2 per hour)
        if let Some(r) = l.superoxide.clone() {
            set(&mut atol, r, 1e-8 * p.o2_saturation());
        }
        if let Some(r) = l.superoxide_deposit.clone() {
            set(&mut atol, r, 1e-8 * p.o2_saturation());
        }
        if let Some(i) = l.superoxide_crossed {
            atol[i] = 1e-10 * p.initial_metal_inventory() * scale;
        }
        if let Some(i) = l.shuttle {
            atol[i] = 1e-10 * p.initial_metal_inventory() * scale;
        }
        for i in l
            .o2_vented
            .clone()
            .chain(l.vent_total.clone().unwrap_or(0..0))
        {
            atol[i] = 1e-9 * scale;
        }
        for i in l.electrolyte_oxidation.clone() {
            atol[i] = 1e-10 * p.initial_metal_inventory() * scale;
        }
        if let Some(i) = l.reservoir_anions {
            atol[i] = 1e-10 * p.initial_metal_inventory() * scale;
        }
        // the film enters through exp(eps_f / (a_0 delta_t)) only: 1e-6 is ~5e-5 of a
        // tunnelling length on the default carbon (1e-8, the product's, made it limit the step
        // size: 224 instead of 209 steps for a li-o2-ideal-anode discharge, same capacity)
        if let Some(r) = l.film.clone() {
            set(&mut atol, r, 1e-6);
        }
        // a coverage (0..1) that scales the product's exchange current by 1/(1 + (K - 1) theta):
        // 1e-5 of it moves the product's overpotential by at most (K - 1) 1e-5 / (alpha_a f)
        // = 25 uV (Li2O2: K = 30, alpha_a = 0.3), the overpotentials' own tolerance. At 1e-6
        // its burial at the start of each discharge (a 1/t decay, see interface_carbonate.rs)
        // held the step size for ~100 steps a cycle: 10 li-o2-ideal-anode cycles took 2949
        // steps instead of 2838
        if let Some(r) = l.interface_carbonate.clone() {
            set(&mut atol, r, 1e-5);
        }
        // the parasitic deposit (a volume fraction): with 1e-8 the deposit of the volumes at the
        // separator drifted to -5e-6 in the discharge after a Na2O2 cell's charge had oxidised
        // it at 4.5 V, 1.1 V above its onset (robustness test), with its rate below 1e-10 s-1:
        // the error test is a root mean square over every state, so one state may err by
        // ~sqrt(n) of its weights per step. 1e-9 keeps that drift to -7e-7 (1e-3 of the peak
        // deposit) at the same step count for li-o2; 1e-10 (-1e-8 there) put the silica-colloid
        // cell's deposit at -4.5e-9, 45 of its own weights
        if let Some(r) = l.side_product.clone() {
            set(&mut atol, r, 1e-9);
        }
        if let Some(r) = l.carbonate_oxidised.clone() {
            set(&mut atol, r, 1e-10 * p.initial_metal_inventory() * scale);
        }
        // the carbon's carbonate, in monolayers: it scales the exchange current through
        // exp(-theta), so 1e-5 of a monolayer moves it by 1e-5 (1e-6 limited the step size: 62
        // li-o2 cycles took 18158 steps instead of 17109 and cycle skipping extrapolated 8
        // cycles instead of 11); its ledger like the deposit's
        if let Some(r) = l.carbon_carbonate.clone() {
            set(&mut atol, r, 1e-5);
        }
        if let Some(r) = l.carbon_carbonate_formed.clone() {
            set(&mut atol, r, 1e-10 * p.initial_metal_inventory() * scale);
        }
        if let Some(c) = &l.counter {
            atol[c.potential] = 1e-6 * scale;
            atol[c.metal] = 1e-8 * p.initial_metal_inventory() * scale;
            set(&mut atol, c.corrosion.clone(), 1e-12);
            if let Some(d) = c.dendrite {
                atol[d] = 1e-9 * scale;
            }
        }
        atol
    }

    /// Sets to zero the product and parasitic-deposit fractions that the integrator carried
    /// below zero by less than their absolute tolerance `atol` (the error control does not
    /// resolve them).
    ///
    /// Called at step changes and solver restarts, before the state is made consistent. Their
    /// oxidation rates are s A, first order in the availability s (negative below zero) times
    /// an exponential of the overpotential, so an undershoot of 1e-10 left at a high potential
    /// (a charge that ran on into the electrolyte's oxidation) makes product back at a rate
    /// that grows as e^(alpha_a f eta): a na-o2 cathode with i0 = 1 A m-2 charged to 4.26 V
    /// started its next discharge with eps_p = -9.6e-11 making product at 7e6 s-1, and that
    /// discharge failed at its first step (rtol 1e-4; it ran at 1e-3 and 1e-5). Within the
    /// tolerance the change is below what the solution resolves; the metal and O2 it adds are
    /// counted (`Solution::cleared`) and the conservation check takes them as inflows.
    ///
    /// With `gases` (solver restarts only) the dissolved gases too: the O2 reduction is first
    /// order in O2, so O2 carried below zero in a volume whose O2 is used up runs the
    /// reduction backwards at e^(alpha_c f |eta|). li-air discharged at 0.2 mA cm-2 after a
    /// 190 h hold at 2.5 V, a charge and a 3 mW cm-2 discharge failed at 1.665 V with O2 at
    /// -2.3e-7 mol m-3 (its tolerance 1e-6 c_sat) at the front crossing its emptied
    /// separator-side volumes: the restart found no consistent state there, and with the O2
    /// cleared it goes on.
    pub(crate) fn clear_undershoots(&self, y: &mut [f64], atol: &[f64], gases: bool) {
        for i in self.undershoot_states(gases) {
            if is_undershoot(y[i], atol[i]) {
                y[i] = 0.0;
            }
        }
    }

    /// The states [`Model::clear_undershoots`] looks at: the product and parasitic-deposit
    /// volume fractions, and with `gases` the dissolved gases.
    pub(crate) fn undershoot_states(&self, gases: bool) -> impl Iterator<Item = usize> + '_ {
        let l = &self.layout;
        l.product
            .clone()
            .chain(l.side_product.clone().unwrap_or(0..0))
            .chain(if gases { l.gas.clone() } else { 0..0 })
    }
}

/// Whether `y` lies below zero by less than its absolute tolerance `atol` (what
/// [`Model::clear_undershoots`] sets to zero).
#[inline]
pub(crate) fn is_undershoot(y: f64, atol: f64) -> bool {
    y < 0.0 && y > -atol
}

#[cfg(test)]
mod tests {
    use crate::Cell;

    /// Every state has a positive absolute tolerance (a zero one asks the error control for
    /// the impossible on a state that starts at zero), whatever the switches.
    #[test]
    fn every_state_has_a_positive_tolerance() {
        for text in [
            "[cell]\npreset = \"li-air\"\n[options]\nparasitic = true\n",
            "[cell]\npreset = \"li-o2-ideal-anode\"\n[options]\nhalf_cell = true\n",
            "[cell]\npreset = \"li-li-o2\"\n",
            "[cell]\npreset = \"li-o2\"\n[electrolyte]\ncomponent = \"litfsi-tegdme\"\nadditives = [\"libr\"]\n",
        ] {
            let m = Cell::from_toml_str(text, "t").unwrap().model();
            let atol = m.absolute_tolerances(1.0);
            assert_eq!(atol.len(), m.len());
            for (i, a) in atol.iter().enumerate() {
                assert!(*a > 0.0, "{text}: state {i} has atol {a}");
            }
        }
    }
}
