//! Anode-interface physics: crossover, corrosion, SEI, cracking, dead metal, dendrites,
//! electrolyte loss; balances; analytic limits.

use triphase::constants::FARADAY;
use triphase::model::events::Event;
use triphase::model::{GasBoundary, ModelOptions, SeiGrowth};
use triphase::params::Gas;
use triphase::solution::StopReason;
use triphase::{simulate, Cell, Experiment, Solution, SolverOptions};

mod common;
use common::run;

fn set(cell: &mut Cell, name: &str, v: f64) {
    cell.set_param("test", name, v).unwrap();
}

fn last(sol: &Solution) -> &[f64] {
    sol.state(sol.len() - 1)
}

/// A fresh cell at rest with only the given mechanisms: the cathode carries no net current, so
/// the anode interface is what consumes the dissolved gases.
fn storage_cell(options: ModelOptions) -> Cell {
    let mut cell = Cell::preset("li-o2-ideal-anode").unwrap();
    cell.options = options;
    cell
}

fn corrosion_only() -> ModelOptions {
    ModelOptions {
        corrosion: true,
        ..ModelOptions::default().ideal_anode()
    }
}

#[test]
fn mechanisms_off_reproduce_the_foundation_exactly() {
    // li-air with every mechanism off and the O2 of li-o2 is the foundation model: the other
    // gases, corrosion, SEI, morphology and solvent parameters must not leak into the result
    let steps = [
        "Discharge at 0.2 mA cm-2 for 5 hours",
        "Charge at 0.2 mA cm-2 until 4.5 V",
    ];
    let foundation = run(&Cell::preset("li-o2-ideal-anode").unwrap(), &steps);
    let mut air = Cell::preset("li-air").unwrap();
    // the product's morphology and carbonate layer are the li2o2 product's, as in
    // li-o2-ideal-anode
    air.options = ModelOptions {
        product_growth: air.options.product_growth,
        interface_carbonate: air.options.interface_carbonate,
        ..ModelOptions::default().ideal_anode()
    };
    set(&mut air, "O2 partial pressure [Pa]", 101_325.0);
    let off = run(&air, &steps);
    assert_eq!(foundation.time, off.time);
    assert_eq!(foundation.states, off.states);
}

#[test]
fn balances_close_in_ambient_air() {
    let sol = run(
        &Cell::preset("li-air").unwrap(),
        &[
            "Discharge at 0.1 mA cm-2 for 3 hours",
            "Rest for 1 hour",
            "Charge at 0.1 mA cm-2 until 4.5 V",
        ],
    );
    let m = &sol.model;
    let (a, b) = (sol.state(0), last(&sol));
    // every element of every transported gas, and the metal
    let elements = m.conserved_elements();
    assert_eq!(elements, ["Li", "C", "H", "N", "O"]);
    for e in &elements {
        let (x0, x1) = (m.element_balance(a, e), m.element_balance(b, e));
        let scale = x0.abs().max(m.metal_balance(b) * 1e-3);
        assert!((x1 - x0).abs() / scale < 1e-8, "{e:?}: {x0} -> {x1}");
    }
    // every mechanism acted
    let losses: std::collections::BTreeMap<_, _> = m.metal_losses(b).into_iter().collect();
    for k in ["O2", "H2O", "CO2", "N2", "solvent", "dead"] {
        assert!(losses[k] > 0.0, "no metal lost to {k}: {losses:?}");
    }
    // charge balance: metal stripped electrochemically = charge passed / F
    let drift = m.charge_balance_drift(a, b);
    assert!(drift.abs() < 1e-9 * a[m.layout.metal], "{drift}");
    // water corrosion evolves H2, CO2 corrosion deposits carbon; the charge oxidised
    // carbonate deposit to CO2 (its C counted in the balance above)
    let s = sol.summary();
    assert!(s.anode.h2_evolved_mol_m2 > 0.0 && s.anode.carbon_formed_mol_m2 > 0.0);
    assert!(s.anode.cathode_co2_evolved_mol_m2 > 1e-4, "{:?}", s.anode);
    assert!(s.electrolyte_remaining_fraction < 1.0);
}

#[test]
fn permeation_through_a_protective_layer_matches_the_series_resistance_flux() {
    let mut cell = storage_cell(corrosion_only());
    let (l_layer, p_layer) = (1e-6, 1e-14);
    set(&mut cell, "Protective layer thickness [m]", l_layer);
    set(
        &mut cell,
        "Protective layer O2 permeability [m2.s-1]",
        p_layer,
    );
    set(&mut cell, "SEI O2 permeability [m2.s-1]", 1e-3); // SEI resistance negligible
    let sol = run(&cell, &["Rest for 3 hours"]);
    let p = &sol.model.params;
    let b = p.geometry.bruggeman;
    let d = p.oxygen.diffusivity;
    let path = p.geometry.separator_thickness / (d * p.geometry.separator_porosity.powf(b))
        + p.geometry.cathode_thickness / (d * p.geometry.cathode_porosity.powf(b));
    let k = p.corrosion.rate_constant.o2;
    let sei = sol.summary().anode.sei_thickness_m / 1e-3;
    let expected = p.o2_saturation() / (path + 1.0 / k + sei + l_layer / p_layer);
    let flux = sol.summary().anode.crossover_flux_mol_m2_s["O2"];
    assert!(
        (flux / expected - 1.0).abs() < 0.01,
        "flux {flux} vs analytic {expected}"
    );
}

#[test]
fn transport_limited_corrosion_scales_with_solubility_times_diffusivity() {
    let flux = |henry_factor: f64, d_factor: f64| {
        let mut cell = storage_cell(corrosion_only());
        set(&mut cell, "SEI O2 permeability [m2.s-1]", 1e-3);
        set(&mut cell, "O2 corrosion rate constant [m.s-1]", 1.0);
        let h = cell.params.oxygen.henry_constant;
        let d = cell.params.oxygen.diffusivity;
        set(
            &mut cell,
            "O2 Henry constant [mol.m-3.Pa-1]",
            h * henry_factor,
        );
        set(&mut cell, "O2 diffusivity [m2.s-1]", d * d_factor);
        let sol = run(&cell, &["Rest for 5 hours"]);
        sol.summary().anode.crossover_flux_mol_m2_s["O2"]
    };
    let base = flux(1.0, 1.0);
    assert!(base > 0.0);
    let r_h = flux(2.0, 1.0) / base;
    let r_d = flux(1.0, 2.0) / base;
    assert!((r_h - 2.0).abs() < 0.04, "solubility x2 -> flux x{r_h}");
    assert!((r_d - 2.0).abs() < 0.04, "diffusivity x2 -> flux x{r_d}");
}

#[test]
fn corrosion_through_a_growing_sei_follows_the_parabolic_law() {
    // SEI-limited O2 corrosion whose product thickens the SEI: L dL/dt = 2 V_Li2O P c
    // => L^2 - L0^2 = 4 V_Li2O P c_sat t (2 Li2O per O2)
    let mut cell = storage_cell(corrosion_only());
    let perm = 1e-17;
    set(&mut cell, "SEI O2 permeability [m2.s-1]", perm);
    let sol = run(&cell, &["Rest for 100 hours"]);
    let m = &sol.model;
    let p = &m.params;
    let l0 = p.sei.initial_thickness;
    let v = p.sei.product_molar_volume.o2;
    let c = p.o2_saturation();
    let mut checked = 0;
    for i in 1..sol.len() {
        let t = sol.time[i];
        if t < 20.0 * 3600.0 {
            continue;
        }
        let y = sol.state(i);
        let l = triphase::model::anode::sei::thicknesses(m, y).sei;
        let law = (l * l - l0 * l0) / (4.0 * v * perm * c * t);
        assert!(
            (law - 1.0).abs() < 0.03,
            "t = {t}: (L^2 - L0^2)/(4 V P c t) = {law}"
        );
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} points after 20 h");
    let depth = sol.summary().anode.metal_loss_mol_m2["O2"] * p.anode.metal_molar_volume;
    assert!(depth > 1e-9, "corrosion depth {depth}");
}

#[test]
fn water_grows_a_porous_hydroxide_scale_by_the_parabolic_law() {
    // LiOH from water joins the porous outer scale (not the SEI): with the SEI open to water,
    // water through the scale limits, L_s dL_s/dt = V_LiOH P_s c_w / (1 - eps_s)
    // => L_s^2 = 2 V_LiOH P_s c_w t / (1 - eps_s) (one LiOH per H2O)
    let mut cell = Cell::preset("li-air").unwrap();
    cell.options.sei_growth = SeiGrowth::None;
    cell.options.sei_cracking = false;
    cell.options.dead_metal = false;
    cell.options.dendrites = false;
    cell.options.electrolyte_loss = false;
    set(&mut cell, "SEI H2O permeability [m2.s-1]", 1e-3);
    set(&mut cell, "H2O corrosion rate constant [m.s-1]", 10.0);
    let sol = run(&cell, &["Rest for 50 hours"]);
    let m = &sol.model;
    let p = &m.params;
    let v = p.sei.product_molar_volume.h2o;
    let perm = p.corrosion.scale_permeability.h2o;
    let eps = p.corrosion.scale_porosity;
    let c = p.saturation(Gas::H2O);
    let mut checked = 0;
    for i in 1..sol.len() {
        let t = sol.time[i];
        if t < 5.0 * 3600.0 {
            continue;
        }
        let l = triphase::model::anode::sei::thicknesses(m, sol.state(i));
        let (l_sei, l_scale) = (l.sei, l.scale);
        let law = l_scale * l_scale * (1.0 - eps) / (2.0 * v * perm * c * t);
        assert!(
            (law - 1.0).abs() < 0.03,
            "t = {t}: L_s^2 (1 - eps)/(2 V P c t) = {law}"
        );
        // the hydroxide does not thicken the dense SEI
        let oxide_etc = l_sei - p.sei.initial_thickness;
        assert!(oxide_etc < 0.2 * l_scale, "SEI grew {oxide_etc} m");
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} points after 5 h");
}

/// One cycle at 0.5 mA cm-2 (stripping opens cracks; O2 reaches the metal on charge, when the
/// cathode evolves it).
const CRACKING_CYCLE: [&str; 2] = [
    "Discharge at 0.5 mA cm-2 for 1 hour",
    "Charge at 0.5 mA cm-2 for 1 hour",
];

fn cracked_fraction_at_end(cell: &Cell) -> f64 {
    let sol = run(cell, &CRACKING_CYCLE);
    let k = sol.model.layout.crack.unwrap();
    last(&sol)[k]
}

#[test]
fn dense_corrosion_products_seal_cracks_and_the_hydroxide_does_not() {
    // O2 reacting in a crack forms Li2O that seals it within seconds (k c 2 V / L0 ~ 0.1 s-1),
    // so after the charge the cracked fraction is far below that of a cell whose O2 does not
    // react, where only solvent reduction heals (1e-3 s-1)
    let cell = Cell::preset("li-o2").unwrap();
    let mut inert = cell.clone();
    set(&mut inert, "O2 corrosion rate constant [m.s-1]", 1e-12);
    let sealed = cracked_fraction_at_end(&cell);
    let open = cracked_fraction_at_end(&inert);
    assert!(open > 0.01, "cycling opened {open}");
    assert!(sealed < 0.05 * open, "cracked {sealed} with O2 vs {open}");

    // water's porous hydroxide seals nothing: humid and dry air leave the same cracks
    let mut humid = Cell::preset("li-air").unwrap();
    set(&mut humid, "O2 corrosion rate constant [m.s-1]", 1e-12);
    set(&mut humid, "CO2 corrosion rate constant [m.s-1]", 1e-12);
    set(&mut humid, "N2 corrosion rate constant [m.s-1]", 1e-12);
    let mut dry = humid.clone();
    set(&mut dry, "Relative humidity [-]", 0.0);
    let (wet, dry) = (
        cracked_fraction_at_end(&humid),
        cracked_fraction_at_end(&dry),
    );
    assert!(
        wet > 0.01 && (wet / dry - 1.0).abs() < 1e-3,
        "{wet} vs {dry}"
    );
}

#[test]
fn nitrogen_nitrides_lithium_only_where_water_catalyses_it() {
    // dry N2 does not react with Li at room temperature; moist air forms some nitride, a minor
    // share next to the hydroxide (Markowitz & Boryta 1962)
    let n2_loss = |rh: f64| {
        let mut cell = Cell::preset("li-air").unwrap();
        set(&mut cell, "Relative humidity [-]", rh);
        let sol = run(&cell, &["Rest for 24 hours"]);
        sol.summary().anode.metal_loss_mol_m2
    };
    let humid = n2_loss(0.4);
    let dry = n2_loss(0.0);
    let total: f64 = humid.values().sum();
    assert!(humid["N2"] > 0.0 && humid["N2"] < 0.05 * total, "{humid:?}");
    assert!(dry["N2"] < 1e-9 * humid["N2"], "dry {dry:?}");
}

#[test]
fn storage_in_air_corrodes_bare_metal_and_a_gas_tight_layer_stops_it() {
    let mut bare = Cell::preset("li-air").unwrap();
    bare.options.sei_growth = SeiGrowth::None;
    let sol = run(&bare, &["Rest for 24 hours"]);
    let summary = sol.summary();
    let loss = &summary.anode.metal_loss_mol_m2;
    assert!(loss["H2O"] > 0.0 && loss["O2"] > 0.0, "{loss:?}");
    // the summary's storage: its full day, the depth corroded and the mean rate over the day
    let storage = summary
        .storage
        .expect("a storage section for a rest-only run");
    assert!(!storage.ended_early);
    assert!((storage.duration_h - 24.0).abs() < 1e-9, "{storage:?}");
    let depth = storage.corrosion_depth_m.expect("a corrosion depth");
    assert!(depth > 0.0 && depth == summary.anode.corrosion_depth_m);
    let rate = storage.corrosion_rate_m_per_h.expect("a corrosion rate");
    assert!((rate * 24.0 / depth - 1.0).abs() < 1e-12, "{storage:?}");

    let mut tight = bare.clone();
    set(&mut tight, "Protective layer thickness [m]", 1e-6);
    for g in ["O2", "H2O", "CO2", "N2"] {
        set(
            &mut tight,
            &format!("Protective layer {g} permeability [m2.s-1]"),
            0.0,
        );
    }
    // cracks pass through the SEI only, not through the artificial layer
    let sol = run(&tight, &["Rest for 24 hours"]);
    let loss = sol.summary().anode.metal_loss_mol_m2;
    for g in ["O2", "H2O", "CO2", "N2"] {
        assert_eq!(loss[g], 0.0, "{g} still corrodes through a gas-tight layer");
    }
}

/// Sand's time at the metal, then the steps after it: salt depletion ends the charge that drove
/// it (like a cut-off); a second charge, which deepens it, ends on it within a fraction of a
/// percent of Sand's time; the discharge that follows, which brings the salt back to the metal,
/// runs its full time.
#[test]
fn salt_depletes_at_sands_time_and_the_next_step_restores_it() {
    // plating only (charge) through a thick separator: semi-infinite diffusion at the anode
    // t_s = pi D_eff eps (c0 F)^2 / (4 (i (1 - t+))^2)
    let mut cell = Cell::preset("li-o2-ideal-anode").unwrap();
    set(&mut cell, "Separator thickness [m]", 5e-3);
    set(&mut cell, "Separator porosity [-]", 0.9);
    set(
        &mut cell,
        "Initial discharge product volume fraction [-]",
        0.05,
    );
    cell.mesh.separator = 400;
    let i = 50.0; // A m-2
    let sol = run(
        &cell,
        &[
            "Charge at 5 mA cm-2 for 1 hour",
            "Charge at 5 mA cm-2 for 1 hour",
            "Discharge at 0.5 mA cm-2 for 10 minutes",
        ],
    );
    let depleted = StopReason::Event {
        event: Event::SaltDepleted,
    };
    assert_eq!(sol.steps[0].stop, depleted);
    let p = &sol.model.params;
    let eps = p.geometry.separator_porosity;
    let d_eff = p.electrolyte.diffusivity * eps.powf(p.geometry.bruggeman);
    let c0 = p.electrolyte.initial_concentration;
    let tp = p.electrolyte.transference_number;
    let sand = std::f64::consts::PI * d_eff * eps * (c0 * FARADAY).powi(2)
        / (4.0 * (i * (1.0 - tp)).powi(2));
    let t = sol.steps[0].end.time;
    assert!(
        (t / sand - 1.0).abs() < 0.02,
        "depleted at {t} s, Sand's time {sand} s"
    );
    // the same current again ends once the surface salt has fallen to a tenth of its start:
    // semi-infinite diffusion gives t ~ (c0 - c)^2, so the second charge runs
    // t ((c0 - c_min/10)^2 / (c0 - c_min)^2 - 1), 0.18 % of the first
    assert_eq!(sol.steps[1].stop, depleted);
    let again = sol.steps[1].end.time - t;
    let c_min = p.limits.minimum_salt_concentration;
    let expected = t * (((c0 - 0.1 * c_min) / (c0 - c_min)).powi(2) - 1.0);
    assert!(
        (again / expected - 1.0).abs() < 0.05,
        "second charge ran {again} s, expected {expected} s"
    );
    // the discharge runs to its time: it ends neither on the depletion it starts from nor on
    // a salt floor it never approaches
    let t = sol.steps[1].end.time;
    let after = &sol.steps[2];
    assert_eq!(after.stop, StopReason::DurationReached);
    assert!(((after.end.time - t) / 600.0 - 1.0).abs() < 1e-9);
    assert_eq!(sol.stop_reason(), Some(StopReason::DurationReached));
}

#[test]
fn cracking_exposes_fresh_metal_and_healing_limits_it() {
    let corroded = |cracking: bool, healing: f64| {
        let mut cell = Cell::preset("li-o2").unwrap();
        cell.options.sei_cracking = cracking;
        set(&mut cell, "SEI healing rate [s-1]", healing);
        let sol = run(&cell, &CRACKING_CYCLE);
        sol.summary().anode.metal_loss_mol_m2["O2"]
    };
    let intact = corroded(false, 1e-3);
    let cracked = corroded(true, 1e-3);
    let healed_fast = corroded(true, 1e-2);
    assert!(cracked > 2.0 * intact, "{cracked} vs {intact}");
    assert!(healed_fast < cracked, "{healed_fast} vs {cracked}");
}

#[test]
fn dead_metal_grows_with_current_density() {
    let dead_fraction = |ma_cm2: f64| {
        let mut cell = Cell::preset("li-o2-ideal-anode").unwrap();
        cell.options.dead_metal = true;
        // the bare law, without the O2-derived SEI (tested in li_cycled_in_o2_...)
        set(&mut cell, "SEI O2 loss reduction [-]", 0.0);
        let sol = run(
            &cell,
            &[&format!("Discharge at {ma_cm2} mA cm-2 for 30 minutes")],
        );
        let dead = sol.summary().anode.metal_loss_mol_m2["dead"];
        dead / (sol.step_charge(0) / FARADAY)
    };
    // phi_0 sqrt(i / i_ref) with the SEI intact: 0.02 sqrt(1/10) at 1 A m-2, sqrt(10) x more at
    // ten times the current
    let (low, high) = (dead_fraction(0.1), dead_fraction(1.0));
    assert!((low - 0.02 * 0.1f64.sqrt()).abs() < 1e-6 * low, "{low}");
    assert!((high / low - 10f64.sqrt()).abs() < 1e-6, "{low} {high}");
}

#[test]
fn open_cells_lose_solvent_and_dry_out() {
    let mut cell = Cell::preset("li-o2-ideal-anode").unwrap();
    cell.options.electrolyte_loss = true;
    cell.options.gas_boundary = GasBoundary::Open;
    set(&mut cell, "Solvent vapour pressure [Pa]", 6400.0); // DME-like volatility
    let sol = run(&cell, &["Rest for 100 hours"]);
    assert_eq!(
        sol.stop_reason(),
        Some(StopReason::Event {
            event: Event::DryOut
        })
    );
    assert!(sol.summary().electrolyte_remaining_fraction < 0.21);
    // the summary says the storage ended early, after the time it lasted, not the 100 hours
    // asked for; without the anode mechanisms no corrosion is reported
    let storage = sol.summary().storage.expect("a storage section");
    assert!(storage.ended_early);
    let lasted = (sol.steps[0].end.time - sol.steps[0].start.time) / 3600.0;
    assert!(
        lasted < 100.0 && storage.duration_h == lasted,
        "{storage:?}"
    );
    assert!(storage.corrosion_depth_m.is_none() && storage.corrosion_rate_m_per_h.is_none());
    // sealed: nothing evaporates; a fresh cathode rests at the mixed potential of the
    // electrolyte's oxidation and O2 reduction (~3.4 V), which oxidises a trace of solvent
    cell.options.gas_boundary = GasBoundary::Sealed;
    let sealed = run(&cell, &["Rest for 10 hours"]);
    let lost = 1.0 - sealed.summary().electrolyte_remaining_fraction;
    assert!((0.0..1e-6).contains(&lost), "{lost}");
}

#[test]
fn water_uptake_from_humid_air() {
    let mut cell = Cell::preset("li-o2-ideal-anode").unwrap();
    cell.options.gases = vec![Gas::H2O];
    set(&mut cell, "Relative humidity [-]", 0.4);
    let sol = run(&cell, &["Rest for 2 hours"]);
    let m = &sol.model;
    let i = m.layout.gas_index(Gas::H2O).unwrap();
    let water = m.dissolved(last(&sol), i);
    let pores = 0.41 * 25e-6 + 0.73 * 250e-6;
    let saturated = m.params.saturation(Gas::H2O) * pores;
    assert!(
        water > 0.95 * saturated && water < 1.0001 * saturated,
        "{water} vs {saturated}"
    );
    assert_eq!(m.sei_amount(last(&sol), Gas::H2O.index()), 0.0);
}

#[test]
fn a_mediator_shuttles_at_its_plateau_unless_the_separator_blocks_it() {
    // a charge ends on its own limits: without product left, the cell without a mediator
    // rises to its cut-off; with a mediator and a porous separator the current goes on
    // oxidising the mediator, which shuttles to the metal, so the charge runs to its time
    // limit at the mediator plateau; a blocking separator stops the shuttle and the charge
    // ends at the cut-off again
    let steps = [
        "Discharge at 0.2 mA cm-2 for 5 hours",
        "Charge at 0.2 mA cm-2 for 10 hours or until 4.5 V",
    ];
    let plain = run(&Cell::preset("li-o2-ideal-anode").unwrap(), &steps);
    let mut rm_cell = Cell::preset("li-o2-ideal-anode").unwrap();
    rm_cell.options.redox_mediator = true;
    let rm = run(&rm_cell, &steps);
    let mut blocked_cell = rm_cell.clone();
    set(
        &mut blocked_cell,
        "Separator mediator blocking factor [-]",
        1000.0,
    );
    let blocked = run(&blocked_cell, &steps);
    let cutoff = StopReason::Event {
        event: Event::UpperVoltageCutoff,
    };
    assert_eq!(plain.steps[1].stop, cutoff);
    assert_eq!(blocked.steps[1].stop, cutoff);
    assert_eq!(rm.steps[1].stop, StopReason::DurationReached);
    // at the mediator plateau: within 0.1 V of its standard potential at the end
    let e_rm = rm_cell.params.mediator.standard_potential;
    let v_end = rm.steps[1].end.voltage;
    assert!((v_end - e_rm).abs() < 0.1, "{v_end} vs {e_rm}");

    // the Li-O2 convention: charge returned per charge taken; a shuttle adds charge (> 1)
    let ce = |s: &Solution| s.cycle_summary(1).unwrap().coulombic_efficiency.unwrap();
    assert_eq!(ce(&rm), rm.step_charge(1) / rm.step_charge(0));
    assert!(ce(&rm) > 1.9, "CE with shuttle {}", ce(&rm));
    // without a shuttle the charge returns the reactions' charge (the double layer's swing
    // from the discharge to the 4.5 V cut-off, ~2.5 % of the charge, is not a reaction's)
    let faradaic_ce = |s: &Solution| s.step_faradaic_charge(1) / s.step_faradaic_charge(0);
    assert!(
        (faradaic_ce(&plain) - 1.0).abs() < 0.05,
        "{}",
        faradaic_ce(&plain)
    );
    assert!(
        faradaic_ce(&blocked) < 1.05,
        "CE with a blocking separator {}",
        faradaic_ce(&blocked)
    );
    assert!(ce(&blocked) < faradaic_ce(&blocked) + 0.05);
    let shuttle = |s: &Solution| s.summary().anode.metal_loss_mol_m2["shuttle"];
    assert!(shuttle(&rm) > 50.0 * shuttle(&blocked));
    // balances still close: the shuttle's metal ends up as cations
    for sol in [&rm, &blocked] {
        common::assert_balances_close(sol);
        let m = &sol.model;
        let (a, b) = (sol.state(0), last(sol));
        assert!(m.charge_balance_drift(a, b).abs() < 1e-9 * a[m.layout.metal]);
    }
}

/// The mediator's chemical step follows Marcus theory in the mediator's standard potential
/// (`mediator::marcus_factor`; Li2O2 oxidation by mediators is fastest at +3.74 V, Nat. Chem. 15
/// (2023) 1022). With the shuttle blocked and the mediator well below the voltage at which the
/// carbon oxidises the product itself (3.6 V at mid-charge without a mediator), the oxidised
/// mediator builds up until its reaction with the product carries the current,
/// r = k M a s c_O = i/(nF), so its amount in the cathode at mid-charge is inversely
/// proportional to the factor M: 0.026 at 3.2 V, 0.089 at 3.3 V. A mediator below the
/// product's equilibrium potential E0 = 2.96 V cannot charge the cell: the charge climbs above
/// E0 to oxidise the product itself (before the Marcus factor, a 2.8 V mediator charged it at
/// 2.8 V, returning the discharge's Li2O2 for less energy than it gave).
#[test]
fn a_mediator_oxidises_the_product_at_the_marcus_rate_of_its_potential() {
    let steps = [
        "Discharge at 0.1 mA cm-2 for 5 hours",
        "Charge at 0.1 mA cm-2 for 4 hours or until 4.5 V",
    ];
    let cell_at = |e_rm: f64| {
        let mut c = Cell::preset("li-o2-ideal-anode").unwrap();
        c.options.redox_mediator = true;
        set(&mut c, "Separator mediator blocking factor [-]", 1e6);
        set(&mut c, "Redox mediator standard potential [V]", e_rm);
        c
    };
    // oxidised mediator in the cathode at the middle of the charge [mol m-2]
    let oxidised_mid_charge = |sol: &Solution| {
        let (t0, t1) = (sol.steps[1].start.time, sol.steps[1].end.time);
        let i = (0..sol.len())
            .min_by(|&a, &b| {
                let d = |k: usize| (sol.time[k] - 0.5 * (t0 + t1)).abs();
                d(a).total_cmp(&d(b))
            })
            .unwrap();
        let m = &sol.model;
        let r = m.layout.mediator.clone().unwrap();
        let n = m.mesh.len();
        (m.mesh.n_sep..n)
            .map(|k| sol.state(i)[r.start + n + k] * m.mesh.dx[k])
            .sum::<f64>()
    };
    let lower = run(&cell_at(3.2), &steps);
    let higher = run(&cell_at(3.3), &steps);
    for sol in [&lower, &higher] {
        assert_eq!(sol.steps[1].stop, StopReason::DurationReached);
        common::assert_balances_close(sol);
    }
    let p = &lower.model.params;
    let factor = |e_rm: f64| {
        let lambda = p.mediator.reorganisation_energy;
        let rt = triphase::constants::GAS_CONSTANT * p.temperature;
        let excess = lambda - FARADAY * (e_rm - p.cathode.standard_potential);
        (-(excess * excess) / (4.0 * lambda * rt)).exp()
    };
    let expected = factor(3.3) / factor(3.2);
    assert!((3.0..4.0).contains(&expected), "{expected}");
    let ratio = oxidised_mid_charge(&lower) / oxidised_mid_charge(&higher);
    assert!(
        (ratio / expected - 1.0).abs() < 0.05,
        "RM+ at 3.2 V over RM+ at 3.3 V: {ratio}, against the Marcus factors' {expected}"
    );
    // below E0 the chemical step is shut: the charge runs above E0, not at the mediator
    let e0 = p.cathode.standard_potential;
    let low = run(&cell_at(2.8), &steps);
    let v_mid = low.mid_capacity_voltage(1).unwrap();
    assert!(
        v_mid > e0 + 0.2,
        "mid-charge {v_mid} V with a 2.8 V mediator"
    );
    common::assert_balances_close(&low);
}

/// A trihalide mediator, 3 Br- <-> Br3- + 2 e- (the libr component): its halogen atoms
/// (c_R + 3 c_O over the liquid) are conserved to solver tolerance while it shuttles; each
/// Br3- reduced at the metal takes two metal atoms (the charge balance closes with the
/// shuttle ledger counting metal), and the charge runs at the mediator plateau as the
/// one-electron couple does.
#[test]
fn a_trihalide_mediator_conserves_its_halogen_and_shuttles_two_electrons_per_unit() {
    let cell = Cell::from_toml_str(
        "[cell]\npreset = \"li-o2-ideal-anode\"\n[electrolyte]\ncomponent = \"litfsi-tegdme\"\nadditives = [\"libr\"]\n",
        "libr.toml",
    )
    .unwrap();
    assert_eq!(cell.params.mediator.electrons, 2.0);
    assert_eq!(cell.params.mediator.reduced_per_oxidised, 3.0);
    let steps = [
        "Discharge at 0.2 mA cm-2 for 5 hours",
        "Charge at 0.2 mA cm-2 for 10 hours or until 4.5 V",
    ];
    let sol = run(&cell, &steps);
    let m = &sol.model;
    let r = m.layout.mediator.clone().unwrap();
    let n = m.mesh.len();
    let halogen = |y: &[f64]| -> f64 {
        (0..n)
            .map(|k| (y[r.start + k] + 3.0 * y[r.start + n + k]) * m.mesh.dx[k])
            .sum()
    };
    let (a, b) = (sol.state(0), last(&sol));
    let h0 = halogen(a);
    assert!(
        (halogen(b) / h0 - 1.0).abs() < 1e-8,
        "{} vs {h0}",
        halogen(b)
    );
    // Br3- was made and shuttled: the shuttle took metal, the balances close
    assert!(sol.summary().anode.metal_loss_mol_m2["shuttle"] > 1e-4);
    common::assert_balances_close(&sol);
    assert!(m.charge_balance_drift(a, b).abs() < 1e-9 * a[m.layout.metal]);
    assert_eq!(sol.steps[1].stop, StopReason::DurationReached);
    let v_end = sol.steps[1].end.voltage;
    let e_rm = cell.params.mediator.standard_potential;
    assert!((v_end - e_rm).abs() < 0.15, "{v_end} vs {e_rm}");
}

/// The shuttle with the full anode (native SEI, cracks, dead metal): the library's LiBr on a
/// glass-fibre separator. Once the product is gone the charge at 0.2 mA cm-2 runs on at the
/// mediator plateau to its time limit and, there, every electron goes round the shuttle: the
/// metal the shuttle takes grows at I/F (two Li per Br3-, one Br3- per two electrons). The
/// PEDOT:PSS-coated glass fibre (blocking factor 100) ends the same charge on the product at
/// the voltage cut-off.
#[test]
fn libr_shuttles_through_the_native_sei_on_glass_fibre_and_pedot_pss_ends_the_charge() {
    let cell = |separator: &str| {
        Cell::from_toml_str(
            &format!(
                "[cell]\npreset = \"li-o2\"\n[electrolyte]\ncomponent = \"litfsi-tegdme\"\nadditives = [\"libr\"]\n[separator]\ncomponent = \"{separator}\"\n"
            ),
            "libr.toml",
        )
        .unwrap()
    };
    let (gf, pedot) = (cell("glass-fibre"), cell("pedot-pss-gf"));
    assert!(gf.options.sei_growth == SeiGrowth::SolventDiffusion && gf.options.sei_cracking);
    let run_h = |c: &Cell, hours: f64| {
        let charge = format!("Charge at 0.2 mA cm-2 for {hours} hours or until 4.5 V");
        run(c, &["Discharge at 0.2 mA cm-2 for 2.5 hours", &charge])
    };
    let (gf4, gf5, blocked) = (run_h(&gf, 4.0), run_h(&gf, 5.0), run_h(&pedot, 5.0));
    let shuttle = |s: &Solution| s.summary().anode.metal_loss_mol_m2["shuttle"];

    // glass fibre: to the time limit at the plateau
    assert_eq!(gf5.steps[1].stop, StopReason::DurationReached);
    let e_rm = gf.params.mediator.standard_potential;
    let v_end = gf5.steps[1].end.voltage;
    assert!((v_end - e_rm).abs() < 0.15, "{v_end} vs {e_rm}");
    // in the fifth hour the shuttle carries the whole current: d(metal)/dt = I/F
    let per_hour = shuttle(&gf5) - shuttle(&gf4);
    let current = 2.0; // A m-2
    let expected = current * 3600.0 / FARADAY;
    assert!(
        (per_hour / expected - 1.0).abs() < 0.01,
        "{per_hour} vs {expected} mol m-2 per hour"
    );
    // PEDOT:PSS: the charge ends on the product at the cut-off, the shuttle a hundredth
    let cutoff = StopReason::Event {
        event: Event::UpperVoltageCutoff,
    };
    assert_eq!(blocked.steps[1].stop, cutoff);
    assert!(
        shuttle(&blocked) < 0.01 * shuttle(&gf5),
        "{} vs {}",
        shuttle(&blocked),
        shuttle(&gf5)
    );
    // the reactions' charge: PEDOT:PSS's charge also fills the carbon's double layer up to
    // the 4.5 V cut-off (~1000 C m-2 against 18000 discharged)
    let ce = |s: &Solution| s.step_faradaic_charge(1) / s.step_faradaic_charge(0);
    assert!(
        ce(&gf5) > 1.95 && ce(&blocked) < 1.06,
        "{} {}",
        ce(&gf5),
        ce(&blocked)
    );
    for sol in [&gf5, &blocked] {
        common::assert_balances_close(sol);
    }
}

/// The oxidised mediator that crosses the intact SEI oxidises part of it on its way and opens
/// cracks (a fraction phi of that flux, 1e-3 by default): with LiBr on glass fibre the
/// shuttle runs through the whole charge and the cracks it opens expose bare metal, so the
/// metal's O2 corrosion rises; with the blocking PEDOT:PSS the charge ends on the product
/// and the attack changes nothing. While the cracked fraction is small the cracks it opens
/// are proportional to phi (their healing and sealing are both first order in it).
#[test]
fn the_oxidised_mediator_cracks_the_sei_it_crosses_unless_the_separator_blocks_it() {
    let libr_on = |separator: &str| {
        Cell::from_toml_str(
            &format!(
                "[cell]\npreset = \"li-o2\"\n[electrolyte]\ncomponent = \"litfsi-tegdme\"\nadditives = [\"libr\"]\n[separator]\ncomponent = \"{separator}\"\n"
            ),
            "libr.toml",
        )
        .unwrap()
    };
    assert_eq!(
        libr_on("glass-fibre").params.mediator.sei_attack_fraction,
        1e-3
    );
    let cell = |separator: &str, phi: f64| {
        let mut c = libr_on(separator);
        set(&mut c, "Redox mediator SEI attack fraction [-]", phi);
        c
    };
    let protocol = [
        "Discharge at 0.2 mA cm-2 for 2.5 hours",
        "Charge at 0.2 mA cm-2 for 5 hours or until 4.5 V",
    ];
    // (cracked fraction at the end, metal lost to O2 [mol m-2])
    let outcome = |separator: &str, phi: f64| {
        let sol = run(&cell(separator, phi), &protocol);
        common::assert_balances_close(&sol);
        let summary = sol.summary();
        assert!(
            summary
                .mechanisms
                .iter()
                .any(|m| m.contains("attack on the SEI")),
            "{:?}",
            summary.mechanisms
        );
        let crack = last(&sol)[sol.model.layout.crack.unwrap()];
        (crack, summary.anode.metal_loss_mol_m2["O2"])
    };
    let (gf0, gf1, gf2) = (
        outcome("glass-fibre", 0.0),
        outcome("glass-fibre", 1e-3),
        outcome("glass-fibre", 2e-3),
    );
    // glass fibre: the attack multiplies the cracks at the end of the charge and raises the
    // O2 corrosion of the cycle by more than half
    assert!(gf1.0 > 3.0 * gf0.0, "cracked {} vs {}", gf1.0, gf0.0);
    assert!(gf1.1 > 1.5 * gf0.1, "O2 loss {} vs {}", gf1.1, gf0.1);
    // the cracks it opens are proportional to phi while they are few
    let ratio = (gf2.0 - gf0.0) / (gf1.0 - gf0.0);
    assert!((ratio - 2.0).abs() < 0.1, "doubling phi: {ratio}");
    // PEDOT:PSS: the RM+ no longer reaches the metal, and the attack with it
    let (pd0, pd1) = (outcome("pedot-pss-gf", 0.0), outcome("pedot-pss-gf", 1e-3));
    assert!((pd1.0 / pd0.0 - 1.0).abs() < 0.05, "{} vs {}", pd1.0, pd0.0);
    assert!((pd1.1 / pd0.1 - 1.0).abs() < 0.01, "{} vs {}", pd1.1, pd0.1);
}

/// Mediator ions migrate: during a discharge the reduced form Br- (z = -1) has no source and
/// closed ends, so it settles where diffusion balances migration at every face, the discrete
/// Nernst–Planck zero-flux (Boltzmann) profile dc = -z c f dPhi (Phi the electrostatic
/// potential, phi_e less the cation's Nernst term), and the anion gathers at the side of
/// higher potential. Without migration (z = 0) the same discharge leaves it uniform.
#[test]
fn mediator_anions_settle_where_diffusion_balances_migration() {
    let text = "[cell]\npreset = \"li-o2-ideal-anode\"\n[electrolyte]\ncomponent = \"litfsi-tegdme\"\nadditives = [\"libr\"]\n";
    let cell = Cell::from_toml_str(text, "libr.toml").unwrap();
    assert_eq!(cell.params.mediator.reduced_charge, -1.0);
    let steps = ["Discharge at 1 mA cm-2 for 1 hour"];
    let profile = |cell: &Cell| {
        let sol = run(cell, &steps);
        let m = sol.model.clone();
        let y = last(&sol).to_vec();
        let l = &m.layout;
        let r = l.mediator.clone().unwrap();
        let n = m.mesh.len();
        let mut ws = triphase::model::Workspace::<f64>::for_model(&m);
        m.fill_properties(&y, &mut ws.props);
        let c: Vec<f64> = (0..n).map(|k| y[r.start + k] / ws.props.eps[k]).collect();
        // f Phi up to a constant: f phi_e - ln c_e (f = F/(RT) at the cell's temperature)
        let f = 96485.33212 / (8.314462618 * m.params.temperature);
        let f_phi: Vec<f64> = (0..n)
            .map(|k| f * y[l.phi_e.start + k] - ws.props.ln_c[k])
            .collect();
        (c, f_phi)
    };
    let (c, f_phi) = profile(&cell);
    let spread = f_phi.iter().cloned().fold(f64::MIN, f64::max)
        - f_phi.iter().cloned().fold(f64::MAX, f64::min);
    assert!(
        spread > 0.05,
        "the discharge drives migration: f dPhi {spread}"
    );
    for k in 1..c.len() {
        let (dc, mean) = (c[k] - c[k - 1], 0.5 * (c[k] + c[k - 1]));
        // z c f dPhi with z = -1
        let migration = -mean * (f_phi[k] - f_phi[k - 1]);
        // zero flux: dc + z c f dPhi = 0, to 1e-4 of the migration term's scale
        assert!(
            (dc + migration).abs() <= 1e-4 * mean * spread,
            "face {k}: dc {dc} vs migration {migration}"
        );
    }
    // the anion is richer where the potential is higher
    let (hi, lo) = (
        (0..c.len())
            .max_by(|&a, &b| f_phi[a].total_cmp(&f_phi[b]))
            .unwrap(),
        (0..c.len())
            .min_by(|&a, &b| f_phi[a].total_cmp(&f_phi[b]))
            .unwrap(),
    );
    assert!(
        c[hi] > c[lo],
        "{} at high vs {} at low potential",
        c[hi],
        c[lo]
    );
    // without migration the same discharge leaves it nearly uniform (only the product's
    // shrinking of the pores concentrates it, ~1e-3): a hundredth of the migration's spread
    let rel = |c: &[f64]| {
        let (max, min) = (
            c.iter().cloned().fold(f64::MIN, f64::max),
            c.iter().cloned().fold(f64::MAX, f64::min),
        );
        (max - min) / max
    };
    let mut neutral = cell.clone();
    set(
        &mut neutral,
        "Redox mediator reduced-form charge number [-]",
        0.0,
    );
    let (c0, _) = profile(&neutral);
    assert!(rel(&c0) < 0.01 * rel(&c), "{} vs {}", rel(&c0), rel(&c));
}

#[test]
fn reactive_oxygen_leaves_deposits_that_take_their_o2() {
    let discharge = ["Discharge at 0.1 mA cm-2 for 20 hours"];
    let mut cell = Cell::preset("li-o2-ideal-anode").unwrap();
    cell.options.parasitic = true;
    let sol = run(&cell, &discharge);
    let m = &sol.model;
    let (first, end) = (sol.state(0), last(&sol));
    let deposit = sol.summary().anode.cathode_side_products_mol_m2;
    assert!(deposit > 0.0);
    let q = sol.step_faradaic_charge(0) / FARADAY;
    // each deposit unit took two electrons: electrons to deposits + to Li2O2 = all the
    // reactions' electrons (the charge passed less what the double layer gave up)
    let product = m.product_o2(end);
    assert!(
        (2.0 * deposit + 2.0 * product - q).abs() < 1e-6 * q,
        "{deposit} {product} {q}"
    );
    // and one O2 (the default stoichiometry): O2 taken from gas and solution = product O2 +
    // deposit O2, so the side path keeps e-/O2 at 2
    let taken = m.gas_drawn(end, 0) - (m.dissolved(end, 0) - m.dissolved(first, 0));
    assert!(
        (taken - product - deposit).abs() < 1e-6 * taken,
        "{taken} vs {product} + {deposit}"
    );
    assert!((sol.electrons_per_o2().unwrap() - 2.0).abs() < 0.01);
    let c = sol.conservation();
    assert!(c.metal_relative_drift < 1e-9, "{c:?}");

    // a side path that takes no O2 raises e-/O2 by at least the zero-overpotential fraction
    set(&mut cell, "Parasitic O2 per deposit unit [-]", 0.0);
    let r = run(&cell, &discharge).electrons_per_o2().unwrap();
    let chi0 = cell.params.cathode.parasitic_fraction;
    assert!(r > 2.0 / (1.0 - chi0) - 1e-3, "e-/O2 = {r}");
}

/// The carbonate deposit oxidises on charge above its onset and only there (Mahne et al.,
/// Angew. Chem. Int. Ed. 57 (2018) 5529: CO2 above 3.8 V vs Li/Li+, and no O2): a charge
/// stopped at 3.6 V evolves almost no CO2; one taken to 4.5 V oxidises nearly all of it, two
/// electrons per CO2, and the O2 it recovers is only the product's, so O2 recovery falls below
/// the charge passed over 2F by the carbonate's share.
#[test]
fn carbonate_deposit_oxidises_to_co2_above_its_onset() {
    let mut cell = Cell::preset("li-o2-ideal-anode").unwrap();
    cell.options.parasitic = true;
    let discharge = "Discharge at 0.1 mA cm-2 until 1 mAh cm-2";
    let low = run(&cell, &[discharge, "Charge at 0.1 mA cm-2 until 3.6 V"]);
    let high = run(&cell, &[discharge, "Charge at 0.1 mA cm-2 until 4.5 V"]);
    let formed = {
        let i = low.steps[0].points.unwrap().1;
        low.model.parasitic_deposit(low.state(i))
    };
    assert!(formed > 1e-3, "deposit formed on discharge {formed}");
    let co2 = |sol: &Solution| sol.summary().anode.cathode_co2_evolved_mol_m2;
    assert!(co2(&low) < 1e-3 * formed, "{} of {formed}", co2(&low));
    assert!(co2(&high) > 0.95 * formed, "{} of {formed}", co2(&high));
    // the deposit left plus the CO2 evolved is what formed (to the integrator's tolerance: the
    // two are separate states). With the double layer the O2 reduction, and the deposit with
    // it, goes on for the first minute of the charge, until the carbon's potential has
    // climbed past its equilibrium: the deposit peaks there, a little above its value at the
    // end of the discharge
    let left = high.model.parasitic_deposit(last(&high));
    let peak = (0..high.len())
        .map(|i| high.model.parasitic_deposit(high.state(i)))
        .fold(0.0, f64::max);
    assert!(peak > formed && peak < 1.001 * formed, "{peak} vs {formed}");
    assert!(
        (left + co2(&high) - peak).abs() < 1e-5 * formed,
        "{left} + {} vs {peak}",
        co2(&high)
    );
    // the reactions' charge (the charge passed less what went onto the double layer): 2 e- per
    // product O2 oxidised, 2 per CO2, 1 per electrolyte molecule oxidised
    let m = &high.model;
    let (start, end) = (high.state(high.steps[1].points.unwrap().0), last(&high));
    let q = high.step_faradaic_charge(1) / FARADAY;
    let product = m.product_o2(start) - m.product_o2(end);
    let ox = |y: &[f64]| {
        y[m.layout.electrolyte_oxidation.clone()]
            .iter()
            .sum::<f64>()
    };
    let electrolyte = ox(end) - ox(start);
    // less 2 e- per deposit unit formed at the start of the charge (the net product change
    // already holds the product that formed with it)
    let formed_on_charge = peak - formed;
    assert!(
        (2.0 * product + 2.0 * co2(&high) + electrolyte - 2.0 * formed_on_charge - q).abs()
            < 1e-6 * q,
        "{product} {} {electrolyte} {formed_on_charge} {q}",
        co2(&high)
    );
    // O2 released is the product's only: recovery = product O2 / O2 drawn < 1 (the deposit's
    // O2 does not come back)
    // (less the O2 the deposit formed at the start of the charge took, one per unit)
    let o2_back = -high.step_o2_uptake(1) + (m.dissolved(end, 0) - m.dissolved(start, 0));
    assert!(
        (o2_back - (product - formed_on_charge)).abs() < 1e-6 * product,
        "{o2_back} {product} {formed_on_charge}"
    );
    let c = high.cycle_summary(1).unwrap();
    assert!(c.o2_recovery.unwrap() < 1.0 - 0.5 * formed / high.step_o2_uptake(0));
    assert!((c.co2_evolved_mol_m2 - co2(&high)).abs() < 1e-12);
    common::assert_balances_close(&high);
}

/// The default cell (li-o2: pure O2, TEGDME, every mechanism on) carries the side chemistry
/// that DEMS sees in ether cells in pure O2: a discharge near 2 e- per O2 (the side deposit
/// takes its O from O2), CO2 evolved on charge above the carbonate's onset, and an O2
/// recovery below 1 by the deposit's share of the O2 drawn. The cathode-only preset has none.
#[test]
fn the_default_pure_o2_cell_shows_the_dems_signature_of_its_side_chemistry() {
    let steps = [
        "Discharge at 0.1 mA cm-2 until 1 mAh cm-2",
        "Charge at 0.1 mA cm-2 until 4.5 V",
    ];
    let cell = Cell::preset("li-o2").unwrap();
    assert!(cell.options.parasitic);
    let sol = run(&cell, &steps);
    let c = sol.cycle_summary(1).unwrap();
    let e_per_o2 = c.electrons_per_O2.unwrap();
    assert!((e_per_o2 - 2.0).abs() < 0.01, "{e_per_o2}");
    let drawn = sol.step_o2_uptake(0);
    let share = c.co2_evolved_mol_m2 / drawn;
    assert!(share > 0.02, "CO2 evolved / O2 drawn {share}");
    let recovery = c.o2_recovery.unwrap();
    assert!(
        recovery < 1.0 - 0.9 * share && recovery > 1.0 - 1.5 * share,
        "O2 recovery {recovery} with a deposit share {share}"
    );
    let ideal = run(&Cell::preset("li-o2-ideal-anode").unwrap(), &steps);
    let ci = ideal.cycle_summary(1).unwrap();
    assert_eq!(ci.co2_evolved_mol_m2, 0.0);
    assert!(ci.o2_recovery.unwrap() > 0.99, "{:?}", ci.o2_recovery);
}

/// A cell composed from components without naming a preset shows the anode's fate: in humid
/// air it corrodes, grows an SEI and loses solvent, and its summary says which mechanisms ran.
#[test]
fn a_composed_cell_in_air_corrodes_by_default() {
    let cell = Cell::from_toml_str(
        "[anode]\ncomponent = \"li-foil\"\n[protection]\ncomponent = \"lii-layer\"\n[atmosphere]\ncomponent = \"ambient-air\"\n",
        "composed.toml",
    )
    .unwrap();
    assert!(cell.options.anode_mechanisms_off().is_empty());
    let sol = run(&cell, &["Rest for 24 hours"]);
    let s = sol.summary();
    for gas in ["O2", "H2O", "CO2"] {
        assert!(s.anode.metal_loss_mol_m2[gas] > 0.0, "{gas}: {:?}", s.anode);
    }
    assert!(s.anode.sei_thickness_m > cell.params.sei.initial_thickness);
    assert!(s.electrolyte_remaining_fraction < 1.0);
    assert!(s.anode_mechanisms_off.is_empty());
    let listed = s.mechanisms.join("; ");
    for m in [
        "corrosion by crossed O2, H2O, CO2, N2",
        "SEI growth",
        "dead metal",
        "dendrites",
        "electrolyte loss",
    ] {
        assert!(listed.contains(m), "{m} missing from {listed}");
    }
    // the cathode-only model is an explicit choice and says so
    let ideal = Cell::preset("li-o2-ideal-anode").unwrap();
    let off = ideal.options.anode_mechanisms_off();
    assert_eq!(off.len(), 6, "{off:?}");
    let sol = run(&ideal, &["Rest for 1 hour"]);
    assert_eq!(
        sol.summary().anode.metal_loss_mol_m2.values().sum::<f64>(),
        0.0
    );
}

/// Dissolved O2 takes part in SEI formation: a Li|Li cell in O2 loses less Li per cycle than in
/// argon (Wang et al., ACS Energy Lett. 5 (2020) 1088), although O2 also corrodes the metal;
/// without the O2-derived SEI (b = 0) the corrosion makes O2 the worse atmosphere.
#[test]
fn li_cycled_in_o2_loses_less_than_in_argon() {
    let steps = [
        "Discharge at 1 mA cm-2 for 1 hour",
        "Charge at 1 mA cm-2 for 1 hour",
    ];
    let lost = |p_o2: f64, b: f64| {
        let mut cell = Cell::preset("li-li-o2").unwrap();
        set(&mut cell, "O2 partial pressure [Pa]", p_o2);
        set(&mut cell, "SEI O2 loss reduction [-]", b);
        let exp = Experiment::parse(&steps).unwrap().with_cycles(10).unwrap();
        let sol = simulate(&cell, &exp, &SolverOptions::default()).unwrap();
        sol.summary().anode.metal_loss_mol_m2.values().sum::<f64>()
    };
    let (argon, o2) = (lost(0.1, 1.0), lost(101325.0, 1.0));
    assert!(o2 < argon, "O2 {o2} vs argon {argon}");
    let (argon0, o20) = (lost(0.1, 0.0), lost(101325.0, 0.0));
    assert!(
        o20 > argon0,
        "without the O2-derived SEI: O2 {o20} vs argon {argon0}"
    );
}

/// Li cycled in 1 M LiTFSI/DMSO on its native, organic SEI keeps less than 45 % of the Li it
/// plates, and more than 85 % on an inorganic (Li2CO3, Li2O, LiF) interphase (J. Power Sources
/// 294 (2015) 588, abstract), against ~98 % in the glymes: a Li|Li cell in argon cycled 1 h
/// each way at 1 mA cm-2 loses more than 55 % of the Li cycled with the DMSO electrolyte, less
/// than 15 % with the Li2CO3/C layer on the metal, under 3 % with TEGDME, and mostly as dead
/// metal (Fang et al., Nature 572 (2019) 511: unreacted metallic Li dominates the inactive Li).
/// The concentrated DMSO electrolyte, with no free solvent, cycles the metal as the glyme does
/// (Kim et al.). On the inorganic interphase the efficiency "remains constant regardless of the
/// O2 content" (the same abstract): the layer, which blocks O2, keeps it from taking part in
/// the SEI, so the cell in 1 atm O2 loses what it loses in argon (without the screening, O2
/// halved its dead metal).
#[test]
fn li_in_dmso_keeps_under_45_percent_on_organic_sei_and_over_85_on_inorganic() {
    let steps = [
        "Discharge at 1 mA cm-2 for 1 hour",
        "Charge at 1 mA cm-2 for 1 hour",
    ];
    let cycles = 10;
    // metal lost per metal cycled (1 - coulombic efficiency) and the dead metal's share of it
    let lost_in = |electrolyte: &str, layer: &str, p_o2: f64| {
        let text = format!(
            "[cell]\npreset = \"li-li-o2\"\n[electrolyte]\ncomponent = \"{electrolyte}\"\n{layer}"
        );
        let mut cell = Cell::from_toml_str(&text, "li-li.toml").unwrap();
        set(&mut cell, "O2 partial pressure [Pa]", p_o2);
        let exp = Experiment::parse(&steps)
            .unwrap()
            .with_cycles(cycles)
            .unwrap();
        let sol = simulate(&cell, &exp, &SolverOptions::default()).unwrap();
        let loss = &sol.summary().anode.metal_loss_mol_m2;
        let total = loss.values().sum::<f64>();
        // 1 mAh cm-2 of metal cycled per cycle
        let cycled = cycles as f64 * 36_000.0 / FARADAY;
        (total / cycled, loss["dead"] / total)
    };
    // argon: glovebox O2 of ~1 ppm
    let lost = |electrolyte: &str, layer: &str| lost_in(electrolyte, layer, 0.1);
    let (dmso, dmso_dead) = lost("litfsi-dmso", "");
    let (glyme, _) = lost("litfsi-tegdme", "");
    let (hce, _) = lost("litfsi-dmso-hce", "");
    let (inorganic, _) = lost("litfsi-dmso", "[protection]\ncomponent = \"li2co3-c\"\n");
    assert!(
        dmso > 0.55 && dmso < 0.6,
        "DMSO loses {dmso} of the Li cycled"
    );
    assert!(
        inorganic > 0.1 && inorganic < 0.15,
        "DMSO on the Li2CO3/C layer loses {inorganic}"
    );
    let (inorganic_o2, _) = lost_in(
        "litfsi-dmso",
        "[protection]\ncomponent = \"li2co3-c\"\n",
        101_325.0,
    );
    assert!(
        (inorganic_o2 / inorganic - 1.0).abs() < 0.01,
        "on the layer in O2 {inorganic_o2}, in argon {inorganic}"
    );
    assert!(dmso_dead > 0.99, "dead metal's share {dmso_dead}");
    assert!(glyme > 0.01 && glyme < 0.03, "TEGDME loses {glyme}");
    assert!(hce < 0.03, "concentrated DMSO loses {hce}");
}

/// The SEI formed in O2 is more resistive (Wang et al., ACS Energy Lett. 5 (2020) 1088), and
/// the rise belongs to the layer's composition: the oxide of O2 corrosion in the dense SEI has
/// (1 + g) times the SEI resistivity, whatever O2 is present now.
/// - At rest in O2 with corrosion the only growth (no solvent SEI, no cracks), the grown dense
///   SEI is all oxide: L_ox = L_SEI - L_SEI,0, and R_SEI = rho (L_SEI,0 + (1 + g)(L_SEI -
///   L_SEI,0)) / a_f (g = 1 on li-foil).
/// - The same state with its dissolved O2 removed (participation x = 0) has the same SEI
///   resistance: the factor 1 + g x on the whole layer, the law before, lost it with the O2
///   (a Li|Li cell uses up the O2 at its metal within an hour).
#[test]
fn the_o2_derived_oxide_keeps_its_resistance_after_the_o2_is_gone() {
    use triphase::model::anode::{oxygen_sei, sei};
    let mut cell = Cell::preset("li-li-o2").unwrap();
    cell.options.sei_growth = SeiGrowth::None;
    cell.options.sei_cracking = false;
    let sol = run(&cell, &["Rest for 10 hours"]);
    let m = &sol.model;
    let p = &m.params;
    assert_eq!(p.sei.o2_resistivity_increase, 1.0);
    let resistance = |y: &[f64]| {
        let mut ws = triphase::model::Workspace::<f64>::for_model(m);
        m.fill_properties(y, &mut ws.props);
        let r_sei = sei::layers(m, &ws.props.layers)[0].1;
        (r_sei, oxygen_sei::participation(m, &ws.props))
    };
    let y = sol.final_state.clone();
    let l = sei::thicknesses(m, &y);
    let (l0, a_f) = (p.sei.initial_thickness, p.anode.surface_area_factor);
    let grown = l.sei - l0;
    assert!(grown > 1e-10, "oxide grown at rest {grown}");
    assert!(
        (l.sei_oxide - grown).abs() < 1e-5 * grown,
        "oxide {} vs grown SEI {grown}",
        l.sei_oxide
    );
    let (r, x) = resistance(&y);
    let expected = p.sei.resistivity * (l0 + 2.0 * grown) / a_f;
    assert!((r - expected).abs() < 1e-5 * r, "R_SEI {r} vs {expected}");
    assert!(x > 0.5, "O2 at the metal: x = {x}");

    let mut no_o2 = y.clone();
    for k in m.layout.o2.clone() {
        no_o2[k] = 0.0;
    }
    let (r_no_o2, x_no_o2) = resistance(&no_o2);
    assert_eq!(x_no_o2, 0.0);
    assert_eq!(r_no_o2, r);
}

/// With the carbon's double layer in the time domain, a LiBr cell on glass fibre cycles to end
/// of life (the robustness protocol) without a solver restart, and its mediator stays
/// non-negative to the error control's resolution, also where its last discharge collapses.
/// At a Newton tolerance of 0.02 the reduced form fell to -74 mol m-3 there: Newton stopped
/// on the first iteration with a stale Jacobian and the states moved against their own rates.
#[test]
fn with_the_double_layer_a_mediator_stays_non_negative_to_end_of_life() {
    let cell = Cell::from_toml_str(
        "[cell]\npreset = \"li-air\"\n[electrolyte]\ncomponent = \"litfsi-tegdme\"\n\
         additives = [\"libr\"]\n[options]\ndouble_layer = true\n",
        "libr-double-layer",
    )
    .unwrap();
    let exp = Experiment::parse(&[
        "Discharge at 0.2 mA cm-2 for 2.5 hours or until 2.0 V",
        "Charge at 0.2 mA cm-2 for 2.5 hours or until 4.5 V",
    ])
    .unwrap()
    .with_cycles(200)
    .unwrap()
    .with_end_of_life(triphase::experiment::EndOfLife::default());
    let options = SolverOptions::for_experiment(&exp, None, "rtol").unwrap();
    let sol = simulate(&cell, &exp, &options).unwrap();
    assert_eq!(sol.stats.restarts, 0);
    let m = &sol.model;
    let r = m.layout.mediator.clone().unwrap();
    let c_tot = m.params.mediator.concentration;
    let lowest = (0..sol.len())
        .flat_map(|k| r.clone().map(move |i| (k, i)))
        .map(|(k, i)| sol.state(k)[i])
        .fold(f64::INFINITY, f64::min);
    // ten error weights at the mediator's scale: 10 (atol + rtol c_tot)
    assert!(
        lowest > -10.0 * (1e-6 * c_tot + options.rtol * c_tot),
        "lowest mediator {lowest} mol m-3 (total {c_tot})"
    );
    assert!(sol.cycle_count() >= 5, "{} cycles", sol.cycle_count());
}
