//! Impedance spectra of the linearised model, checked against exact limits: the metal's
//! charge transfer is an RC pair in series with the rest of the cell; a surface layer adds its
//! DC resistance at low frequency and nothing at high frequency; a carbon cathode at rest
//! blocks, its low-frequency capacitance being its double layer over the whole carbon surface.

use std::f64::consts::PI;

use triphase::eis::{frequencies, impedance, interface_resistance, Spectrum};
use triphase::{simulate, Cell, Experiment, SolverOptions};

/// F/(RT) at 298.15 K [V-1].
const F_RT: f64 = 96485.33212 / (8.314462618 * 298.15);

/// The spectrum of the fresh `cell` at rest (its consistent initial state).
fn spectrum(cell: &Cell, freqs: &[f64]) -> Spectrum {
    let exp = Experiment::parse(&["Rest for 1 second"]).unwrap();
    let sol = simulate(cell, &exp, &SolverOptions::default()).unwrap();
    impedance(&sol.model, sol.state(0), freqs).unwrap()
}

fn with(pairs: &[(&str, f64)]) -> Cell {
    let mut cell = Cell::preset("li-o2").unwrap();
    for (name, v) in pairs {
        cell.set_param("test", name, *v).unwrap();
    }
    cell
}

/// Changing only the metal's exchange current changes the spectrum by exactly the difference
/// of two (R_ct || C_dl) pairs, R_ct = 1/(i0 f) at rest (Butler–Volmer linearised, alpha_a +
/// alpha_c = 1, salt orders equal, the salt at c_0), C_dl = 0.1 F m-2: the full li-o2 cell,
/// every anode mechanism on.
#[test]
fn the_metal_charge_transfer_is_an_exact_rc_pair_in_series_with_the_cell() {
    let f = frequencies(1e5, 1e-2, 4);
    let (i1, i2) = (5.0, 50.0);
    let cell = |i0: f64| with(&[("Anode exchange current density [A.m-2]", i0)]);
    let z1 = spectrum(&cell(i1), &f);
    let z2 = spectrum(&cell(i2), &f);
    let c = 0.1;
    let rc = |r: f64, w: f64| {
        let d = 1.0 + (w * r * c).powi(2);
        (r / d, -w * r * r * c / d)
    };
    for (k, &fk) in f.iter().enumerate() {
        let w = 2.0 * PI * fk;
        let (a, b) = (rc(1.0 / (i1 * F_RT), w), rc(1.0 / (i2 * F_RT), w));
        let want = (a.0 - b.0, a.1 - b.1);
        let got = (
            z1.z_real_ohm_m2[k] - z2.z_real_ohm_m2[k],
            z1.z_imag_ohm_m2[k] - z2.z_imag_ohm_m2[k],
        );
        let scale = 1.0 / (i1 * F_RT);
        assert!(
            (got.0 - want.0).abs() < 1e-7 * scale && (got.1 - want.1).abs() < 1e-7 * scale,
            "{fk} Hz: {got:?} vs {want:?}"
        );
    }
}

/// A protective layer is its own arc: thickening it from L1 to L2 changes the spectrum by
/// exactly rho (L2 - L1) / (1 + i w tau), tau = rho eps_0 eps_r (R = rho L, C = eps_0 eps_r / L):
/// its DC resistance at low frequency, nothing at high frequency, the top of the arc at
/// f = 1 / (2 pi tau) whatever the thickness. The layer only: no reaction crosses or grows it.
#[test]
fn a_protective_layer_is_an_arc_of_its_dc_resistance_at_a_thickness_independent_frequency() {
    let (rho, eps_r) = (1e6, 5.0);
    let text = "[cell]\npreset = \"li-o2\"\n[options]\ncorrosion = false\nsei_growth = \"solvent-diffusion\"\nsei_cracking = false\ndead_metal = false\ndendrites = false\nelectrolyte_loss = false\n";
    let cell = |l: f64| {
        let mut cell = Cell::from_toml_str(text, "test").unwrap();
        cell.set_param("test", "Protective layer thickness [m]", l)
            .unwrap();
        cell.set_param("test", "Protective layer resistivity [Ohm.m]", rho)
            .unwrap();
        cell.set_param("test", "Surface layer relative permittivity [-]", eps_r)
            .unwrap();
        cell
    };
    // down to 0.1 Hz: below, the blocking cathode's large impedance drowns the difference
    let f = frequencies(1e8, 0.1, 4);
    let (l1, l2) = (50e-9, 100e-9);
    let z1 = spectrum(&cell(l1), &f);
    let z2 = spectrum(&cell(l2), &f);
    let dr = rho * (l2 - l1);
    let tau = rho * 8.8541878128e-12 * eps_r;
    for (k, &fk) in f.iter().enumerate() {
        let wt = 2.0 * PI * fk * tau;
        let want = (dr / (1.0 + wt * wt), -dr * wt / (1.0 + wt * wt));
        let got = (
            z2.z_real_ohm_m2[k] - z1.z_real_ohm_m2[k],
            z2.z_imag_ohm_m2[k] - z1.z_imag_ohm_m2[k],
        );
        assert!(
            (got.0 - want.0).abs() < 1e-7 * dr && (got.1 - want.1).abs() < 1e-7 * dr,
            "{fk} Hz: {got:?} vs {want:?}"
        );
    }
}

/// A carbon without a faradaic path (exchange current density 1e-12 A m-2) blocks: below
/// ~1 mHz -1/(w Im Z) is its double-layer capacitance over its whole surface, a L C_dl =
/// 2e7 m-1 x 250 um x C_dl; it doubles with C_dl. (The fresh li-o2 cathode now all but
/// blocks too: it rests at the top of the product reaction's switch, where a product-free
/// volume's reduction vanishes as the cube of the distance below the equilibrium; with the
/// logistic switch before stop 41 it closed on R_ct ~ 6 Ohm m2.)
#[test]
fn a_blocking_cathode_shows_its_double_layer_at_low_frequency() {
    let f = [1e-4];
    for c in [0.1, 0.2] {
        let z = spectrum(
            &with(&[
                ("Cathode double-layer capacitance [F.m-2]", c),
                ("Cathode exchange current density [A.m-2]", 1e-12),
            ]),
            &f,
        );
        let cap = -1.0 / (2.0 * PI * f[0] * z.z_imag_ohm_m2[0]);
        let want = 2e7 * 250e-6 * c;
        assert!((cap / want - 1.0).abs() < 1e-3, "C_dl {c}: {cap} vs {want}");
    }
}

/// The frequencies: per_decade per decade, both ends included, from high to low.
/// R0 + (R1 || C1) + (R2 || C2) + a blocking capacitor C3: the arcs read off the spectrum are
/// R1 + R2, whichever arc is the larger, within their overlap with the capacitive line
/// (1.3e-3 of R1 + R2 at these values).
#[test]
fn the_interface_resistance_is_the_width_of_the_arcs_before_the_low_frequency_branch() {
    let freqs = frequencies(1e6, 1e-2, 10);
    for (r1, c1, r2, c2) in [(10.0, 1e-6, 40.0, 1e-4), (40.0, 1e-7, 10.0, 1e-3)] {
        let (r0, c3) = (2.0, 10.0);
        let mut spec = Spectrum {
            frequency_hz: freqs.clone(),
            z_real_ohm_m2: vec![],
            z_imag_ohm_m2: vec![],
        };
        for f in &freqs {
            let w = 2.0 * PI * f;
            let rc = |r: f64, c: f64| {
                let d = 1.0 + (w * r * c).powi(2);
                (r / d, -w * r * r * c / d)
            };
            let (a, b) = rc(r1, c1);
            let (p, q) = rc(r2, c2);
            spec.z_real_ohm_m2.push(r0 + a + p);
            spec.z_imag_ohm_m2.push(b + q - 1.0 / (w * c3));
        }
        let r = interface_resistance(&spec);
        assert!(
            ((r - (r1 + r2)) / (r1 + r2)).abs() < 2e-3,
            "{r} vs {}",
            r1 + r2
        );
    }
}

#[test]
fn frequencies_are_log_spaced_with_both_ends() {
    let f = frequencies(1e5, 1e-2, 10);
    assert_eq!(f.len(), 71);
    assert!((f[0] - 1e5).abs() < 1e-9 && (f[70] / 1e-2 - 1.0).abs() < 1e-12);
    assert!(((f[1] / f[0]).log10() + 0.1).abs() < 1e-12);
}

/// Stored in humid air, the metal grows its SEI and hydroxide scale: the interface's arcs (the
/// real part between 10 MHz, where the layers are shorted, and 1 Hz, where they are not) grow
/// with the storage time, by about the resistance of the layers the ledger reports.
#[test]
fn the_interface_arcs_grow_as_the_metal_corrodes_in_storage() {
    let cell = Cell::preset("li-air").unwrap();
    let f = [1e7, 1.0];
    let mut arcs = Vec::new();
    for hours in [0.0, 24.0, 240.0] {
        let (z, layers) = if hours == 0.0 {
            (spectrum(&cell, &f), 0.0)
        } else {
            let sol = simulate(
                &cell,
                &Experiment::storage(hours).unwrap(),
                &SolverOptions::default(),
            )
            .unwrap();
            // the layers' resistance grown in storage, as the ledger reports it [Ohm m2]
            let a = sol.summary().anode;
            let layers =
                a.layer_resistance_ohm_cm2 * 1e-4 - sol.model.anode_layer_resistance(sol.state(0));
            let y = sol.final_state.clone();
            (impedance(&sol.model, &y, &f).unwrap(), layers)
        };
        arcs.push((z.z_real_ohm_m2[1] - z.z_real_ohm_m2[0], layers));
    }
    for k in 1..3 {
        let grown = arcs[k].0 - arcs[0].0;
        assert!(arcs[k].0 > arcs[k - 1].0, "{arcs:?}");
        assert!(
            (grown / arcs[k].1 - 1.0).abs() < 0.1,
            "{k}: arcs grew {grown}, layers {}",
            arcs[k].1
        );
    }
}

/// A Li | Li cell with only plating and stripping (no layer grows, nothing corrodes).
fn symmetric_ideal() -> Cell {
    let text = "[cell]\npreset = \"li-li-o2\"\n[options]\ncorrosion = false\nsei_growth = \"none\"\nsei_cracking = false\ndead_metal = false\ndendrites = false\nelectrolyte_loss = false\n";
    Cell::from_toml_str(text, "test").unwrap()
}

/// In a Li | Li cell a small constant current reaches a steady state (ohmic drop, charge
/// transfer at both metals, the salt gradient): its DC resistance -dV/dI from the time domain
/// equals the spectrum's low-frequency limit.
#[test]
fn the_low_frequency_limit_is_the_dc_resistance_of_a_small_current_step() {
    let cell = symmetric_ideal();
    let z = spectrum(&cell, &[1e-5]);
    // 0.01 A m-2 for an hour: the salt relaxes in ~10 s; the kinetics are linear to ~1e-7
    let di = 0.01;
    let exp = Experiment::parse(&["Discharge at 0.01 A m-2 for 1 hour"]).unwrap();
    let sol = simulate(&cell, &exp, &SolverOptions::default()).unwrap();
    let v = sol.model.voltage(&sol.final_state);
    let r_dc = -v / di;
    assert!(
        (z.z_real_ohm_m2[0] / r_dc - 1.0).abs() < 1e-6,
        "Z(10 uHz) = {} vs DC {r_dc}",
        z.z_real_ohm_m2[0]
    );
    assert!(z.z_imag_ohm_m2[0].abs() < 1e-4 * r_dc);
}

/// Salt diffusion across the separator of a Li | Li cell with fast kinetics: above its
/// characteristic frequency the Nyquist plot is the 45 degree Warburg line (slope 1), here
/// from 5 to 50 Hz with a separator mesh fine enough to resolve the diffusion layer.
#[test]
fn salt_diffusion_in_a_symmetric_cell_draws_the_45_degree_warburg_line() {
    let mut cell = symmetric_ideal();
    cell.set_param("test", "Anode exchange current density [A.m-2]", 1e4)
        .unwrap();
    cell.mesh.separator = 200;
    let f = frequencies(50.0, 5.0, 8);
    let z = spectrum(&cell, &f);
    for (k, fk) in f.iter().enumerate().skip(1) {
        let slope = -(z.z_imag_ohm_m2[k] - z.z_imag_ohm_m2[k - 1])
            / (z.z_real_ohm_m2[k] - z.z_real_ohm_m2[k - 1]);
        assert!((slope - 1.0).abs() < 0.03, "{fk} Hz: slope {slope}");
    }
}

/// The Li | Li cell in O2: the layers grow on both metals in storage, and the interface arcs
/// grow with them (both electrodes' layers are in series).
#[test]
fn the_arcs_of_a_lithium_symmetric_cell_in_oxygen_grow_in_storage() {
    let cell = Cell::preset("li-li-o2").unwrap();
    let f = [1e7, 1.0];
    let fresh = spectrum(&cell, &f);
    let sol = simulate(
        &cell,
        &Experiment::storage(240.0).unwrap(),
        &SolverOptions::default(),
    )
    .unwrap();
    let aged = impedance(&sol.model, &sol.final_state, &f).unwrap();
    let arcs = |z: &Spectrum| z.z_real_ohm_m2[1] - z.z_real_ohm_m2[0];
    // 143 -> 203 Ohm cm2 after 240 h
    assert!(
        arcs(&aged) > 1.2 * arcs(&fresh),
        "{} vs {}",
        arcs(&aged),
        arcs(&fresh)
    );
}

/// "EIS ..." entries of an experiment measure the state the steps before them left, in every
/// cycle, and take no time: the first equals the spectrum of the initial state.
#[test]
fn eis_entries_of_an_experiment_measure_in_every_cycle() {
    let cell = symmetric_ideal();
    let exp = Experiment::parse(&[
        "EIS from 10 kHz to 1 Hz (2 per decade)",
        "Discharge at 0.1 mA cm-2 for 10 minutes",
        "EIS",
        "Charge at 0.1 mA cm-2 for 10 minutes",
    ])
    .unwrap()
    .with_cycles(2)
    .unwrap();
    assert_eq!(exp.steps.len(), 2);
    let sol = simulate(&cell, &exp, &SolverOptions::default()).unwrap();
    let labels: Vec<&str> = sol.spectra.iter().map(|s| s.at.as_str()).collect();
    assert_eq!(
        labels,
        [
            "cycle 1 start",
            "cycle 1 after step 1",
            "cycle 2 start",
            "cycle 2 after step 1"
        ]
    );
    let first = impedance(&sol.model, sol.state(0), &frequencies(1e4, 1.0, 2)).unwrap();
    assert_eq!(sol.spectra[0].spectrum, first);
    assert_eq!(sol.spectra[1].spectrum.frequency_hz.len(), 71);
    // no time passes: two steps of 10 minutes per cycle
    assert!((sol.time.last().unwrap() - 2400.0).abs() < 1e-6);
    let e = Experiment::parse(&["EIS from 1 GHz to 1 Hz", "Rest for 1 hour"])
        .unwrap_err()
        .to_string();
    assert!(e.contains("step 1") && e.contains("unit"), "{e}");
}

/// Two formulations of one double layer: with the time-domain option `double_layer` the
/// model's own phi_s - phi_e rows carry the carbon's charging, without it the impedance adds
/// C_dl to the mass of the linearisation. At the fresh cell (no product: the open area is the
/// whole carbon surface a_0) the full li-o2 spectra agree to round-off over 1e5-1e-2 Hz. (The
/// fresh cathode rests within the ~3 mV switch of its product reaction between reduction and
/// product-limited oxidation, ~80 per volt, which amplifies any difference of the two rest
/// states: with the double layer the rest overpotential is the starting guess, which once
/// took the O2 concentration without the pores' liquid fraction, 9e-6 V off, and the spectra
/// then differed by 1.4e-5 at 0.01 Hz.)
#[test]
fn the_time_domain_double_layer_gives_the_impedance_double_layer() {
    let f = frequencies(1e5, 1e-2, 4);
    let cell = |on: bool| {
        Cell::from_toml_str(
            &format!("[cell]\npreset = \"li-o2\"\n[options]\ndouble_layer = {on}\n"),
            "test",
        )
        .unwrap()
    };
    let (z_on, z_off) = (spectrum(&cell(true), &f), spectrum(&cell(false), &f));
    for (k, &fk) in f.iter().enumerate() {
        let scale = z_off.z_real_ohm_m2[k].hypot(z_off.z_imag_ohm_m2[k]);
        let d = (z_on.z_real_ohm_m2[k] - z_off.z_real_ohm_m2[k])
            .hypot(z_on.z_imag_ohm_m2[k] - z_off.z_imag_ohm_m2[k]);
        assert!(d < 1e-7 * scale, "{fk} Hz: {d} of {scale}");
    }
}
