//! Symmetric metal | separator | metal cells: analytic limits (zero voltage at rest, ohmic +
//! charge-transfer polarisation, Sand's time, edge gas uptake), conservation with a counter
//! electrode, and the run ending on short circuit.

use triphase::constants::{FARADAY, GAS_CONSTANT};
use triphase::experiment::{EndOfLife, Experiment};
use triphase::model::{CellType, ModelOptions, SeiGrowth};
use triphase::params::Gas;
use triphase::{simulate, Cell, Error, SolverOptions};

fn exp(steps: &[&str]) -> Experiment {
    Experiment::parse(steps).unwrap()
}

/// li-li-o2 with every interface mechanism off: plating kinetics and transport only.
fn bare_cell() -> Cell {
    let mut cell = Cell::preset("li-li-o2").unwrap();
    cell.options = ModelOptions::default().ideal_anode();
    cell
}

#[test]
fn symmetric_presets_load_for_every_metal() {
    for (name, metal) in [("li-li-o2", "Li"), ("na-na-o2", "Na"), ("k-k-o2", "K")] {
        let cell = Cell::preset(name).unwrap();
        assert_eq!(cell.cell_type, CellType::Symmetric);
        assert_eq!(cell.metal.symbol(), metal);
        let sol = simulate(
            &cell,
            &exp(&[
                "Discharge at 0.5 mA cm-2 for 30 minutes",
                "Charge at 0.5 mA cm-2 for 30 minutes",
            ]),
            &SolverOptions::default(),
        )
        .unwrap();
        assert_eq!(sol.model.mesh.n_cat, 0);
        let v = sol.voltage();
        // W strips on discharge: V = phi_C - phi_W < 0; the sign flips on charge
        let r = &sol.steps;
        assert!(
            v[r[0].last_point()] < 0.0 && v[r[1].last_point()] > 0.0,
            "{name}"
        );
    }
}

#[test]
fn identical_electrodes_at_rest_give_zero_voltage() {
    let cell = Cell::preset("li-li-o2").unwrap();
    let sol = simulate(
        &cell,
        &exp(&["Rest for 2 hours"]),
        &SolverOptions::default(),
    )
    .unwrap();
    let vmax = sol.voltage().iter().map(|v| v.abs()).fold(0.0, f64::max);
    assert!(vmax < 1e-9, "{vmax}");
}

/// At the first instant of a small current the electrolyte is still uniform: the voltage is
/// the ohmic drop of the separator plus two linearised Butler–Volmer overpotentials and two
/// surface-layer drops.
#[test]
fn initial_polarisation_is_ohmic_plus_charge_transfer() {
    let mut cell = Cell::preset("li-li-o2").unwrap();
    // the interface values are extrapolated over half a control volume: a fine mesh makes that
    // (first-order) concentration step negligible
    cell.mesh.separator = 200;
    let p = &cell.params;
    let i = 0.05; // A m-2 (5 uA cm-2): linear kinetics
    let sol = simulate(
        &cell,
        &exp(&["Discharge at 5 uA cm-2 for 1 minute"]),
        &SolverOptions::default(),
    )
    .unwrap();
    let kappa = p.electrolyte.conductivity
        * p.geometry.separator_porosity.powf(p.geometry.bruggeman)
        / p.geometry.separator_ionic_resistance;
    let f = FARADAY / (GAS_CONSTANT * p.temperature);
    let i0 = p.anode.exchange_current_density * p.anode.surface_area_factor;
    let r_layer = (p.sei.resistivity * p.sei.initial_thickness
        + p.corrosion.layer_resistivity * p.corrosion.layer_thickness)
        / p.anode.surface_area_factor
        + p.anode.interfacial_resistance;
    let expected =
        -(i * p.geometry.separator_thickness / kappa + 2.0 * i / (i0 * f) + 2.0 * i * r_layer);
    let v0 = sol.voltage()[sol.steps[0].first_point()];
    assert!(
        ((v0 - expected) / expected).abs() < 1e-3,
        "V(0+) = {v0}, expected {expected}"
    );
}

/// Sand's time: under a constant current the salt at the plating electrode falls as
/// c0 - 2 N sqrt(t / (pi eps D_eff)), N = (1 - t+) i / F, in a separator much thicker than the
/// diffusion length.
#[test]
fn salt_depletes_at_the_plating_electrode_at_sands_time() {
    let mut cell = bare_cell();
    cell.set_param("test", "Separator thickness [m]", 500e-6)
        .unwrap();
    cell.set_param("test", "Maximum polarisation [V]", 10.0)
        .unwrap();
    cell.mesh.separator = 400;
    let p = cell.params.clone();
    let i = 100.0; // A m-2 = 10 mA cm-2
    let sol = simulate(
        &cell,
        &exp(&["Discharge at 10 mA cm-2 for 10 minutes"]),
        &SolverOptions::default(),
    )
    .unwrap();
    assert_eq!(sol.steps[0].stop.code(), "salt_depleted");
    let eps = p.geometry.separator_porosity;
    let d_eff = p.electrolyte.diffusivity * eps.powf(p.geometry.bruggeman);
    let flux = (1.0 - p.electrolyte.transference_number) * i / FARADAY;
    let drop = p.electrolyte.initial_concentration - p.limits.minimum_salt_concentration;
    let t_sand = std::f64::consts::PI * eps * d_eff * (drop / (2.0 * flux)).powi(2);
    let t = *sol.time.last().unwrap();
    // diffusion length at Sand's time, well inside the separator
    assert!((d_eff / eps * t_sand).sqrt() < 0.2 * p.geometry.separator_thickness);
    assert!(
        ((t - t_sand) / t_sand).abs() < 0.01,
        "t {t} s, Sand {t_sand} s"
    );
}

/// With metal on both faces the gases enter through the separator edge. Without corrosion
/// nothing consumes them: the uptake ledger equals the gas dissolved (conservation), the
/// separator fills uniformly (the exchange is local), and it ends saturated at H p (the
/// equilibrium limit), never above it.
#[test]
fn gas_entering_through_the_edge_is_conserved_and_saturates() {
    let mut cell = Cell::from_toml_str(
        "[cell]\npreset = \"li-air\"\ntype = \"symmetric\"\n[options]\ncorrosion = false\n\
         sei_growth = \"none\"\nsei_cracking = false\nelectrolyte_loss = false\n",
        "edge.toml",
    )
    .unwrap();
    cell.mesh.separator = 4;
    let p = cell.params.clone();
    let sat = p.saturation(Gas::H2O);
    let sol = simulate(
        &cell,
        &exp(&["Rest for 30 minutes", "Rest for 100 hours"]),
        &SolverOptions::default(),
    )
    .unwrap();
    let m = &sol.model;
    let i = m.layout.gas_index(Gas::H2O).unwrap();
    for k in 0..sol.len() {
        let y = sol.state(k);
        let dissolved = m.dissolved(y, i);
        let uptake = y[m.layout.uptake_of(i)];
        assert!(
            (dissolved - uptake).abs() <= 1e-9 * dissolved.max(1e-12),
            "t = {}: {dissolved} vs {uptake}",
            sol.time[k]
        );
    }
    // part-way: uniform across the separator and below saturation
    let early = sol.profile(sol.steps[0].last_point());
    let c = &early.gas_mol_m3["H2O"];
    assert!(c[0] > 0.0 && c[0] < sat);
    for x in c {
        assert!((x - c[0]).abs() < 1e-9 * c[0], "{x} vs {}", c[0]);
    }
    // after 100 h: saturated
    let end = sol.profile(sol.len() - 1);
    for x in &end.gas_mol_m3["H2O"] {
        assert!((x - sat).abs() < 1e-6 * sat, "{x} vs {sat}");
    }
}

/// Metal and every element stay balanced while both electrodes corrode in humid air and the
/// working electrode grows SEI, dead metal and dendrites.
#[test]
fn elements_are_conserved_with_a_corroding_counter_electrode() {
    let mut cell = Cell::from_toml_str(
        "[cell]\npreset = \"li-air\"\ntype = \"symmetric\"\n[options]\nelectrolyte_loss = false\n",
        "humid.toml",
    )
    .unwrap();
    cell.options.sei_growth = SeiGrowth::SolventDiffusion;
    let sol = simulate(
        &cell,
        &exp(&[
            "Discharge at 1 mA cm-2 for 1 hour",
            "Charge at 1 mA cm-2 for 1 hour",
        ])
        .with_cycles(3)
        .unwrap(),
        &SolverOptions::default(),
    )
    .unwrap();
    let m = &sol.model;
    let (a, b) = (sol.state(0), sol.state(sol.len() - 1));
    let metal0 = m.metal_balance(a);
    assert!(((m.metal_balance(b) - metal0) / metal0).abs() < 1e-8);
    // both electrodes consumed gas: the counter's corrosion is tracked
    assert!(m.counter_metal_loss(b) > 0.0);
    let losses: f64 = m.metal_losses(b).iter().map(|(_, v)| v).sum();
    assert!(losses > 0.0);
    for e in ["O", "H", "C", "N"] {
        let (x0, x1) = (m.element_balance(a, e), m.element_balance(b, e));
        // scale: the gas taken up, which is what could go missing
        let scale: f64 = m.layout.gases.len() as f64
            * (0..m.layout.gases.len())
                .map(|i| b[m.layout.uptake_of(i)].abs())
                .fold(1e-12, f64::max);
        assert!((x1 - x0).abs() < 1e-6 * scale, "{e:?}: {x0} -> {x1}");
    }
    let s = sol.summary();
    assert!(s.electrons_per_O2.is_none());
    assert!(s.cycles.iter().all(|c| c.max_polarisation_V.unwrap() > 0.0));
    assert!(s.anode.counter_corrosion_mol_m2.unwrap() > 0.0);
}

/// Plated in one direction, the working electrode's dendrites grow and nothing strips them:
/// the cell shorts, with the dendrites then spanning the separator (times its resistance
/// factor) but for what they would grow within the short-circuit horizon at their speed
/// (exactly: L + t_h dL/dt = limit, with t_h dL/dt below 1e-3 of the limit for this steady
/// growth); a higher current shorts it sooner and a dendrite-resistant separator later.
#[test]
fn one_way_plating_shorts_when_dendrites_span_the_separator() {
    let short = |current: f64, resistance: f64| {
        let mut cell = bare_cell();
        cell.options.dendrites = true;
        for (name, v) in [
            ("Maximum polarisation [V]", 10.0),
            ("Separator dendrite resistance factor [-]", resistance),
        ] {
            cell.set_param("test", name, v).unwrap();
        }
        let sol = simulate(
            &cell,
            &exp(&[&format!("Charge at {current} mA cm-2 for 40 hours")]),
            &SolverOptions::default(),
        )
        .unwrap();
        let eol = sol.end_of_life.clone().expect("shorts");
        assert_eq!(eol.failure_mode, "short_circuit");
        let y = sol.state(sol.len() - 1);
        let m = &sol.model;
        let length = y[m.layout.dendrite.unwrap()]
            + m.layout
                .counter
                .as_ref()
                .and_then(|c| c.dendrite)
                .map_or(0.0, |d| y[d]);
        let limit = resistance * m.params.geometry.separator_thickness;
        let mut ws = triphase::model::Workspace::for_model(m);
        m.fill_properties(y, &mut ws.props);
        let ahead = triphase::model::events::SHORT_CIRCUIT_HORIZON
            * triphase::model::anode::morphology::closing_speed(m, y, &ws.props);
        assert!(ahead > 0.0 && ahead < 1e-3 * limit, "{ahead} m");
        assert!(
            (length + ahead - limit).abs() < 1e-6 * limit,
            "{length} + {ahead} vs {limit}"
        );
        *sol.time.last().unwrap()
    };
    let base = short(10.0, 1.0);
    assert!(short(12.0, 1.0) < base);
    assert!(short(10.0, 2.0) > base);
}

/// Cycled, the working electrode's SEI cracks and heals, and stripping sheds what grew on the
/// metal it removes: the polarisation levels off (within 15 % of its tenth-cycle value over
/// 40 more cycles) and dendrites, not the polarisation, end the run. Without shedding
/// (renewal thickness 1 m) the SEI thickens cycle on cycle and the polarisation grows until its
/// maximum ends the run.
#[test]
fn shedding_keeps_the_cycling_polarisation_bounded() {
    let run = |renewal: Option<f64>| {
        let mut cell = Cell::preset("li-li-o2").unwrap();
        if let Some(h) = renewal {
            cell.set_param("test", "SEI renewal thickness [m]", h)
                .unwrap();
        }
        let sol = simulate(
            &cell,
            &exp(&[
                "Discharge at 2 mA cm-2 for 30 minutes",
                "Charge at 2 mA cm-2 for 30 minutes",
            ])
            .with_cycles(300)
            .unwrap()
            .with_end_of_life(EndOfLife::default()),
            &SolverOptions {
                rtol: 1e-4,
                ..SolverOptions::default()
            },
        )
        .unwrap();
        let max: Vec<f64> = sol
            .cycle_summaries()
            .iter()
            .map(|c| c.max_polarisation_V.unwrap())
            .collect();
        let eol = sol.end_of_life.clone().expect("reaches end of life");
        (
            eol.failure_mode,
            max,
            cell.params.limits.maximum_polarisation,
        )
    };
    let (mode, max, limit) = run(None);
    assert_eq!(mode, "short_circuit");
    assert!(max.len() > 50, "{}", max.len());
    assert!(max[49] < 1.15 * max[9], "{} {}", max[9], max[49]);
    assert!(max[max.len() - 1] < 0.5 * limit);

    let (mode, max, limit) = run(Some(1.0));
    assert_eq!(mode, "polarisation_limit");
    assert!(max.len() > 3);
    assert!(max.windows(2).all(|w| w[1] > w[0]), "{max:?}");
    assert!((max[max.len() - 1] - limit).abs() < 1e-3 * limit);
}

#[test]
fn voltage_cutoffs_are_refused_for_symmetric_cells() {
    let cell = Cell::preset("na-na-o2").unwrap();
    for step in [
        "Discharge at 1 mA cm-2 until 2.0 V",
        "Hold at 0.1 V for 1 hour",
        "Discharge at 500 mA g-1 for 1 hour",
    ] {
        match simulate(&cell, &exp(&[step]), &SolverOptions::default()) {
            Err(Error::Input(e)) => {
                let msg = e.to_string();
                assert!(msg.contains(step) && msg.contains("symmetric"), "{msg}");
            }
            other => panic!("{step}: {:?}", other.map(|s| s.len())),
        }
    }
}

/// The voltage after 20 minutes at 5 mA cm-2 (steady: the separator's diffusion time is
/// seconds) of the bare li-li-o2 cell on 100 separator volumes, with this anion blocking
/// fraction and thermodynamic factor; and its parameters.
fn steady_voltage(blocking: f64, tf: f64) -> (f64, triphase::params::Parameters) {
    let mut cell = bare_cell();
    cell.set_param("test", "Thermodynamic factor [-]", tf)
        .unwrap();
    cell.set_param("test", "Separator anion blocking fraction [-]", blocking)
        .unwrap();
    cell.mesh.separator = 100;
    let sol = simulate(
        &cell,
        &exp(&["Discharge at 5 mA cm-2 for 20 minutes"]),
        &SolverOptions::default(),
    )
    .unwrap();
    (sol.voltage()[sol.steps[0].last_point()], cell.params)
}

/// Steady concentration polarisation of a binary electrolyte (Newman & Thomas-Alyea,
/// Electrochemical Systems, 3rd ed., ch. 12): under a constant current the salt profile
/// between the two metal faces becomes linear, c = c0 -+ Delta with
/// Delta = (1 - t+) i L / (2 F D_eff), whatever the thermodynamic factor TF; the diffusion
/// potential across it, 2 (RT/F)(1 - t+) TF ln(c_plating / c_stripping), is the only part of
/// the voltage that TF moves. So V(TF = 1) - V(TF = 0) equals that potential for the analytic
/// profile, and V(TF = 2) - V(TF = 0) twice it.
#[test]
fn the_thermodynamic_factor_scales_the_steady_diffusion_potential() {
    let i = 50.0; // A m-2 (5 mA cm-2)
    let (v0, p) = steady_voltage(0.0, 0.0);
    let (v1, _) = steady_voltage(0.0, 1.0);
    let (v2, _) = steady_voltage(0.0, 2.0);
    let eps = p.geometry.separator_porosity;
    let l = p.geometry.separator_thickness;
    let d_eff = p.electrolyte.diffusivity * eps.powf(p.geometry.bruggeman)
        / p.geometry.separator_ionic_resistance;
    let tm = 1.0 - p.electrolyte.transference_number;
    // steady within 20 minutes: the diffusion time eps L^2 / D_eff is seconds
    assert!(eps * l * l / d_eff < 60.0);
    let c0 = p.electrolyte.initial_concentration;
    let delta = tm * i * l / (2.0 * FARADAY * d_eff);
    assert!(delta > 0.05 * c0 && delta < 0.5 * c0, "{delta}");
    let rt_f = GAS_CONSTANT * p.temperature / FARADAY;
    // the working electrode strips (salt rises there), the counter plates: V = phi_C - phi_W
    // falls by the diffusion potential
    let diffusion = 2.0 * rt_f * tm * ((c0 - delta) / (c0 + delta)).ln();
    assert!(
        ((v1 - v0) / diffusion - 1.0).abs() < 1e-6,
        "V(1) - V(0) = {}, analytic {diffusion}",
        v1 - v0
    );
    assert!(
        ((v2 - v0) / (2.0 * (v1 - v0)) - 1.0).abs() < 1e-6,
        "{v0} {v1} {v2}"
    );
}

/// A separator that blocks a fraction f_a of the anion's share of the current has the
/// transference number t+_s = t+ + f_a (1 - t+): the steady profile's half-difference is
/// Delta_s = (1 - t+_s) i L / (2 F D_eff) and the diffusion potential across it
/// 2 (RT/F)(1 - t+_s) TF ln((c0 - Delta_s)/(c0 + Delta_s)) (the previous test's analytic
/// solution with t+_s). A single-ion conductor (f_a = 1) builds neither: the voltage does not
/// depend on TF at all.
#[test]
fn a_separator_that_blocks_anions_shrinks_the_steady_polarisation() {
    let i = 50.0; // A m-2 (5 mA cm-2)
    let (_, p) = steady_voltage(0.0, 0.0);
    let d_eff = p.electrolyte.diffusivity
        * p.geometry.separator_porosity.powf(p.geometry.bruggeman)
        / p.geometry.separator_ionic_resistance;
    let (l, c0) = (
        p.geometry.separator_thickness,
        p.electrolyte.initial_concentration,
    );
    let rt_f = GAS_CONSTANT * p.temperature / FARADAY;
    let t = p.electrolyte.transference_number;
    for blocking in [0.5, 1.0] {
        let tm = (1.0 - blocking) * (1.0 - t);
        let delta = tm * i * l / (2.0 * FARADAY * d_eff);
        let diffusion = 2.0 * rt_f * tm * ((c0 - delta) / (c0 + delta)).ln();
        let (v0, _) = steady_voltage(blocking, 0.0);
        let (v1, _) = steady_voltage(blocking, 1.0);
        if blocking < 1.0 {
            assert!(
                ((v1 - v0) / diffusion - 1.0).abs() < 1e-6,
                "f_a = {blocking}: V(1) - V(0) = {}, analytic {diffusion}",
                v1 - v0
            );
        } else {
            assert!(
                (v1 - v0).abs() < 1e-9,
                "single-ion: V(1) - V(0) = {}",
                v1 - v0
            );
        }
    }
}

/// With `electrolyte_conductivity = "effective"` the conductivity given is the one in the
/// pores: the first instant's ohmic drop across the separator is i L / kappa, not
/// i L / (eps^b kappa), and nothing else moves.
#[test]
fn an_effective_conductivity_is_used_as_given() {
    let i = 0.05; // A m-2: linear kinetics, as in the initial polarisation test
    let first_voltage = |law: &str| {
        let mut cell = Cell::from_toml_str(
            &format!(
                "[cell]\npreset = \"li-li-o2\"\n[options]\ncorrosion = false\n\
                 sei_growth = \"none\"\nsei_cracking = false\ndead_metal = false\n\
                 dendrites = false\nelectrolyte_loss = false\n\
                 electrolyte_conductivity = \"{law}\"\n"
            ),
            "law.toml",
        )
        .unwrap();
        cell.mesh.separator = 200;
        let sol = simulate(
            &cell,
            &exp(&["Discharge at 5 uA cm-2 for 1 minute"]),
            &SolverOptions::default(),
        )
        .unwrap();
        (sol.voltage()[sol.steps[0].first_point()], cell.params)
    };
    let (v_b, p) = first_voltage("bruggeman");
    let (v_e, _) = first_voltage("effective");
    let kappa = p.electrolyte.conductivity / p.geometry.separator_ionic_resistance;
    let eps_b = p.geometry.separator_porosity.powf(p.geometry.bruggeman);
    let l = p.geometry.separator_thickness;
    let expected = i * l / (kappa * eps_b) - i * l / kappa;
    assert!(
        ((v_e - v_b) / expected - 1.0).abs() < 1e-3,
        "V_eff - V_brug = {}, expected {expected}",
        v_e - v_b
    );
}

/// The dendrite tip grows by its own Butler–Volmer current in excess of the flat surface's.
/// With t+ -> 1 the salt stays uniform and the separator's field is purely ohmic,
/// phi_e(x) - phi_e(0) = i x / kappa_eff, so a tip at the height h = L_d + h_0 carries
/// i_BV(eta_p - i min(h, x_c) / kappa_eff) (x_c: the last volume centre, beyond which the
/// field is taken constant) and the time to short is the quadrature
///
///   T = integral_0^(L_s) dL / ((V_M / (F a_f^2)) (-i - i_BV(eta_p - i min(L + h_0, x_c) / kappa_eff)))
///
/// with eta_p the flat surface's plating overpotential, i_BV(eta_p) = -i.
#[test]
fn dendrite_tip_grows_by_its_butler_volmer_excess_in_an_ohmic_field() {
    let mut cell = bare_cell();
    cell.options.dendrites = true;
    for (name, v) in [
        ("Maximum polarisation [V]", 10.0),
        ("Cation transference number [-]", 1.0 - 1e-9),
    ] {
        cell.set_param("test", name, v).unwrap();
    }
    let current = 50.0; // A m-2, plating the working electrode
    let sol = simulate(
        &cell,
        &exp(&["Charge at 5 mA cm-2 for 100 hours"]),
        // tight tolerances: the exponential growth amplifies the integration error (3e-3 at
        // the default rtol of 1e-4)
        &SolverOptions {
            rtol: 1e-7,
            atol_scale: 1e-3,
            ..SolverOptions::default()
        },
    )
    .unwrap();
    assert_eq!(
        sol.end_of_life.clone().expect("shorts").failure_mode,
        "short_circuit"
    );
    let simulated = *sol.time.last().unwrap();

    let p = &sol.model.params;
    let a = &p.anode;
    let f = FARADAY / (GAS_CONSTANT * p.temperature);
    let bv = |eta: f64| {
        a.exchange_current_density
            * a.surface_area_factor
            * ((a.transfer_coefficient * f * eta).exp()
                - (-(1.0 - a.transfer_coefficient) * f * eta).exp())
    };
    // the flat surface's overpotential by bisection: i_BV(eta_p) = -i
    let (mut lo, mut hi) = (-1.0, 0.0);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if bv(mid) < -current {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let eta_p = 0.5 * (lo + hi);
    let g = &p.geometry;
    let kappa = p.electrolyte.conductivity * g.separator_porosity.powf(g.bruggeman)
        / g.separator_ionic_resistance;
    let mesh = &sol.model.mesh;
    let x_c = mesh.x[mesh.n_sep - 1];
    let h0 = p.morphology.dendrite_seed_height;
    let scale = p.morphology.dendrite_growth_factor * a.metal_molar_volume
        / (FARADAY * a.surface_area_factor * a.surface_area_factor);
    let rate = |len: f64| scale * (-current - bv(eta_p - current * (len + h0).min(x_c) / kappa));
    // composite Simpson on [0, x_c - h0] and [x_c - h0, L_s] (the kink of the clamp)
    let simpson = |a0: f64, b0: f64| {
        let n = 20_000;
        let h = (b0 - a0) / n as f64;
        let mut sum = 1.0 / rate(a0) + 1.0 / rate(b0);
        for k in 1..n {
            let w = if k % 2 == 1 { 4.0 } else { 2.0 };
            sum += w / rate(a0 + k as f64 * h);
        }
        sum * h / 3.0
    };
    let expected = simpson(0.0, x_c - h0) + simpson(x_c - h0, g.separator_thickness);
    assert!(
        (simulated / expected - 1.0).abs() < 1e-4,
        "short after {simulated} s, quadrature {expected} s"
    );
}

/// Near the separator's limiting current the salt at the plating metal runs low, the
/// electrolyte's potential rises steeply away from it and a dendrite tip outgrows the flat
/// surface (after Monroe & Newman, J. Electrochem. Soc. 150 (2003) A1377: shorting during a
/// charge above ~75 % of the limiting current): at 60 % of it a charge shorts within minutes,
/// while at 10 % twice that charge plates without a short. A separator that resists
/// dendrites (factor 3) survives longer.
#[test]
fn dendrites_short_a_thin_separator_when_plating_near_the_limiting_current() {
    let mut cell = bare_cell();
    cell.options.dendrites = true;
    cell.set_param("test", "Maximum polarisation [V]", 10.0)
        .unwrap();
    let i_lim = triphase::model::anode::morphology::limiting_current(&cell.model());
    let charge = |cell: &Cell, fraction: f64, minutes: f64| {
        simulate(
            cell,
            &exp(&[&format!(
                "Charge at {} mA cm-2 for {minutes} minutes",
                fraction * i_lim / 10.0
            )]),
            &SolverOptions::default(),
        )
        .unwrap()
    };
    let near = charge(&cell, 0.6, 60.0);
    assert_eq!(
        near.end_of_life.clone().expect("shorts").failure_mode,
        "short_circuit"
    );
    let t_near = *near.time.last().unwrap();
    assert!(t_near < 600.0, "{t_near}");
    // at a tenth of the limiting current, twice the charge plates without a short
    let far = charge(&cell, 0.1, 2.0 * 6.0 * t_near / 60.0);
    assert!(far.end_of_life.is_none());
    assert!((far.step_charge(0) / near.step_charge(0) - 2.0).abs() < 1e-6);
    // a separator that resists dendrites (factor 3) survives longer
    let mut strong = cell.clone();
    strong
        .set_param("test", "Separator dendrite resistance factor [-]", 3.0)
        .unwrap();
    let sol_strong = charge(&strong, 0.6, 60.0);
    // (by a quarter here: near the limiting current the tip's last stretch is fast)
    assert!(*sol_strong.time.last().unwrap() > 1.2 * t_near);
}

/// Cycled Li|Li cells short by dendrites (the other interface mechanisms off): sooner at a
/// higher current, later with a thick, open glass-fibre separator than with Celgard.
#[test]
fn cycled_cells_short_sooner_at_higher_current_and_later_with_glass_fibre() {
    let life = |separator: &str, current: f64| {
        let mut cell = Cell::from_toml_str(
            &format!("[cell]\npreset = \"li-li-o2\"\n[separator]\ncomponent = \"{separator}\"\n"),
            "test",
        )
        .unwrap();
        cell.options = ModelOptions::default().ideal_anode();
        cell.options.dendrites = true;
        let mut e = exp(&[
            &format!("Discharge at {current} mA cm-2 for 1 hour"),
            &format!("Charge at {current} mA cm-2 for 1 hour"),
        ]);
        // a short circuit ends the run whatever the end-of-life rules
        e.cycles = 2000;
        let sol = simulate(&cell, &e, &SolverOptions::default()).unwrap();
        let eol = sol.end_of_life.clone().expect("shorts");
        assert_eq!(eol.failure_mode, "short_circuit");
        *sol.time.last().unwrap() / 3600.0
    };
    let (celgard_1, celgard_2) = (life("celgard-2400", 1.0), life("celgard-2400", 2.0));
    let glass_2 = life("glass-fibre", 2.0);
    assert!(celgard_2 < 0.5 * celgard_1, "{celgard_1} h, {celgard_2} h");
    assert!(glass_2 > 3.0 * celgard_2, "{celgard_2} h, {glass_2} h");
}

/// Stripping sheds the grown dense SEI, one e-fold per renewal thickness h_r of metal stripped:
/// with the excess e = V - v_shed (V the grown dense SEI volume per area), de/dt = G - k e with
/// k = i V_M / (F a_f h_r). A cell rests 100 h (solvent-diffusion growth, nothing shed), then
/// strips at 1 mA cm-2 for 10 minutes; with the growth G over the strip taken as constant (its
/// mean from the solution), e(t) = e_0 exp(-k t) + (G/k)(1 - exp(-k t)) exactly.
#[test]
fn stripping_sheds_the_grown_sei_one_e_fold_per_renewal_thickness() {
    let mut cell = bare_cell();
    cell.options.sei_growth = SeiGrowth::SolventDiffusion;
    let sol = simulate(
        &cell,
        &exp(&[
            "Rest for 100 hours",
            "Discharge at 1 mA cm-2 for 10 minutes",
        ]),
        &SolverOptions::default(),
    )
    .unwrap();
    let m = &sol.model;
    let shed = m
        .layout
        .sei_shed
        .expect("shedding state with the interface");
    let grown = |y: &[f64]| {
        m.layout
            .sei
            .clone()
            .unwrap()
            .enumerate()
            .filter(|&(s, _)| !triphase::model::anode::sei::in_scale(m, s))
            .map(|(s, i)| y[i] * triphase::model::anode::sei::molar_volume(m, s))
            .sum::<f64>()
    };
    // nothing is shed at rest
    let rest_end = sol.state(sol.steps[0].last_point());
    assert!(grown(rest_end) > 1e-9, "{}", grown(rest_end));
    assert_eq!(rest_end[shed], 0.0);
    let (a, b) = (sol.steps[1].first_point(), sol.steps[1].last_point());
    let (y0, y1) = (sol.state(a), sol.state(b));
    let t = sol.time[b] - sol.time[a];
    let p = &m.params;
    let k = 10.0 * p.anode.metal_molar_volume
        / (FARADAY * p.anode.surface_area_factor * p.sei.renewal_thickness);
    let g = (grown(y1) - grown(y0)) / t;
    let e0 = grown(y0) - y0[shed];
    let expected = e0 * (-k * t).exp() + g / k * (1.0 - (-k * t).exp());
    let e1 = grown(y1) - y1[shed];
    assert!((e1 / expected - 1.0).abs() < 1e-4, "{e1} vs {expected}");
    // about 1 - exp(-0.81) of the excess is gone after 0.81 um stripped
    assert!(e1 < 0.5 * e0, "{e1} {e0}");
}
