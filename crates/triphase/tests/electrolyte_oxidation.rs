//! The electrolyte's oxidation on the carbon during charge, with each solvent's own onset
//! potential ("Electrolyte oxidation onset potential [V]", stated by every electrolyte
//! component): i_ox = i_ox,0 exp(alpha_a f (E - E_ox)), z_ox electrons per solvent molecule.
//! The exact Tafel voltage of a product-free charge is tested in `physics.rs`.

use triphase::constants::FARADAY;
use triphase::model::electrolyte_loss::initial_solvent;
use triphase::Cell;

mod common;
use common::run;

fn with_electrolyte(component: &str) -> Cell {
    Cell::from_toml_str(
        &format!("[cell]\npreset = \"li-o2\"\n[electrolyte]\ncomponent = \"{component}\"\n"),
        "electrolyte.toml",
    )
    .unwrap()
}

/// A fresh cathode has no product to oxidise: every electron of its charge oxidises the
/// electrolyte, and the solvent it consumes is one molecule per z_ox electrons, so the
/// remaining electrolyte falls by Q / (z_ox F) beyond what the SEI took (to 1e-6 of it, with
/// z_ox = 2 and 3).
#[test]
fn a_product_free_charge_consumes_one_solvent_molecule_per_z_electrons() {
    for z in [2.0, 3.0] {
        let mut cell = Cell::preset("li-o2").unwrap();
        assert!(cell.options.electrolyte_loss);
        cell.set_param("test", "Electrons per oxidised solvent molecule [-]", z)
            .unwrap();
        let sol = run(&cell, &["Charge at 0.01 mA cm-2 for 1 hour or until 4.5 V"]);
        let q = sol.step_faradaic_charge(0);
        assert!(q > 30.0, "{q} C m-2");
        let m = &sol.model;
        let y = sol.state(sol.len() - 1);
        let state = y[m.layout.solvent.unwrap()];
        let remaining = m.electrolyte_remaining_fraction(y) * initial_solvent(&m.params);
        let oxidised = state - remaining;
        let expected = q / (z * FARADAY);
        assert!(
            (oxidised / expected - 1.0).abs() < 1e-6,
            "z {z}: {oxidised} vs {expected} mol m-2"
        );
    }
}

/// The library's electrolytes charge a fresh cathode at the same small current at voltages
/// that differ by their onsets: TEGDME (3.75 V) below DME (4.0 V) below DMSO (4.2 V), each
/// step equal to the difference of the onsets to 2 mV (the electrolytes' transport and the
/// metal's side differ by less at 1 uA cm-2).
#[test]
fn each_electrolyte_oxidises_at_its_own_onset() {
    let voltage = |component: &str| {
        let cell = with_electrolyte(component);
        let onset = cell.params.cathode.electrolyte_oxidation_onset_potential;
        let sol = run(&cell, &["Charge at 1 uA cm-2 for 10 minutes"]);
        (sol.voltage()[sol.len() - 1], onset)
    };
    let (v_tegdme, e_tegdme) = voltage("litfsi-tegdme");
    let (v_dme, e_dme) = voltage("litfsi-dme");
    let (v_dmso, e_dmso) = voltage("litfsi-dmso");
    assert!(e_tegdme < e_dme && e_dme < e_dmso);
    for (dv, de) in [
        (v_dme - v_tegdme, e_dme - e_tegdme),
        (v_dmso - v_tegdme, e_dmso - e_tegdme),
    ] {
        assert!((dv - de).abs() < 2e-3, "{dv} V vs onsets {de} V");
    }
}

/// The cycle's side-reaction share of the charge is what the product's oxidation did not
/// take: with no deposit, no double layer and no mediator, 1 - share = 2 F n_O2,released / Q
/// (the O2 the charge returned to the gas plus what it added to the dissolved O2, to 1e-6),
/// and a charge driven past its product to the cut-off puts more of its charge
/// into the electrolyte than one that stops on time.
#[test]
fn the_side_reaction_share_is_the_charge_the_product_did_not_take() {
    let mut cell = Cell::preset("li-o2-ideal-anode").unwrap();
    cell.options.double_layer = false;
    cell.options.parasitic = false;
    let share = |charge: &str| {
        let sol = run(&cell, &["Discharge at 0.1 mA cm-2 for 2 hours", charge]);
        let c = sol.cycle_summary(1).unwrap();
        let q_c = sol.step_charge(1);
        let m = &sol.model;
        let dissolved = |k: usize| m.dissolved(sol.state(k), 0);
        let o2_released = -sol.step_o2_uptake(1) + dissolved(sol.len() - 1)
            - dissolved(sol.steps[0].last_point());
        let share = c.side_reaction_charge_fraction.unwrap();
        let product = 2.0 * FARADAY * o2_released / q_c;
        assert!(
            (1.0 - share - product).abs() < 1e-6,
            "{charge}: share {share}, product {product}"
        );
        share
    };
    let on_time = share("Charge at 0.1 mA cm-2 for 1.5 hours");
    let past = share("Charge at 0.1 mA cm-2 for 4 hours or until 4.5 V");
    assert!(on_time < 0.01 && past > on_time, "{on_time} {past}");
}
