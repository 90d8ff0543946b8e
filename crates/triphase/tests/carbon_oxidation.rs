//! The carbon's oxidation by Li2O2 on charge (option `carbon_oxidation`, the li2o2 product's):
//! above 3.5 V carbon in contact with the product oxidises to Li2CO3 (Ottakam Thotiyl et al.,
//! J. Am. Chem. Soc. 135 (2013) 494), about a monolayer of it at the C-Li2O2 interface after a
//! cycle (McCloskey et al., J. Phys. Chem. Lett. 3 (2012) 997), which slows the product
//! reaction on the carbon it covers and oxidises to CO2 at higher potential.

use triphase::model::cathode::carbon_oxidation;
use triphase::Cell;

mod common;
use common::{assert_balances_close, run};

/// li-o2 with the carbon's oxidation on (`true`, its component's default) or off.
fn li_o2(carbon: bool) -> Cell {
    let mut cell = Cell::preset("li-o2").unwrap();
    assert!(cell.options.carbon_oxidation);
    cell.options.carbon_oxidation = carbon;
    cell
}

const DEEP_CYCLE: [&str; 2] = [
    "Discharge at 0.1 mA cm-2 until 2.0 V",
    "Charge at 0.1 mA cm-2 until 4.5 V",
];

/// Carbon without product does not oxidise, however high the potential: a fresh li-o2 cell
/// held at 4.2 V for an hour forms no carbonate (below 1e-14 mol m-2, the round-off of a
/// product that stays at zero; a monolayer on its carbon holds 0.055 mol m-2), while its
/// electrolyte oxidises.
#[test]
fn carbon_without_product_does_not_oxidise() {
    let sol = run(&li_o2(true), &["Hold at 4.2 V for 1 hour"]);
    let y = sol.state(sol.len() - 1);
    let formed = carbon_oxidation::formed(&sol.model, y);
    assert!(formed.abs() < 1e-14, "{formed}");
    assert!(sol.summary().anode.cathode_electrolyte_oxidised_mol_m2 > 1e-6);
}

/// A full discharge and charge to 4.5 V: about a monolayer of carbonate forms on the carbon
/// (McCloskey et al.'s magnitude, to which the rate is set: between half and two monolayers at
/// its peak), and the charge's end at 4.5 V oxidises it to CO2 (less than 1e-3 of it left).
/// Against the same cell without the reaction, the charge recovers less O2 (each carbon atom
/// keeps 3/2 O2 of the two product units it takes), puts more of its charge into side
/// reactions, evolves more CO2 and runs at a higher mean voltage (the covered carbon's slower
/// product reaction). The balances close.
#[test]
fn a_deep_cycle_forms_about_a_monolayer_and_its_charge_recovers_less_o2() {
    let on = run(&li_o2(true), &DEEP_CYCLE);
    let off = run(&li_o2(false), &DEEP_CYCLE);
    let coverage = on
        .variable("Carbon carbonate coverage [-]")
        .expect("the coverage variable")
        .values
        .to_f64();
    let peak = coverage.iter().copied().fold(0.0, f64::max);
    assert!((0.5..2.0).contains(&peak), "peak coverage {peak}");
    let end = on.state(on.len() - 1);
    let (formed, left) = (
        carbon_oxidation::formed(&on.model, end),
        carbon_oxidation::present(&on.model, end),
    );
    assert!(
        formed > 0.0 && left.abs() < 1e-3 * formed,
        "{left} of {formed}"
    );
    let (c_on, c_off) = (on.cycle_summary(1).unwrap(), off.cycle_summary(1).unwrap());
    // the discharge is below the onset: the same with and without the reaction
    assert!(
        (c_on.discharge_capacity_mAh_cm2 / c_off.discharge_capacity_mAh_cm2 - 1.0).abs() < 1e-6
    );
    let (r_on, r_off) = (c_on.o2_recovery.unwrap(), c_off.o2_recovery.unwrap());
    assert!(r_on < r_off - 0.03, "O2 recovery {r_on} against {r_off}");
    let (s_on, s_off) = (
        c_on.side_reaction_charge_fraction.unwrap(),
        c_off.side_reaction_charge_fraction.unwrap(),
    );
    assert!(s_on > s_off + 0.05, "side reactions {s_on} against {s_off}");
    assert!(c_on.co2_evolved_mol_m2 > c_off.co2_evolved_mol_m2 + 0.5 * formed);
    assert!(c_on.mean_charge_voltage_V.unwrap() > c_off.mean_charge_voltage_V.unwrap());
    for sol in [&on, &off] {
        assert_balances_close(sol);
    }
}

/// The reaction needs a peroxide (two electrons per O2): asked of a superoxide product, the
/// cell is refused with the option named.
#[test]
fn carbon_oxidation_on_a_superoxide_cell_is_an_input_error() {
    let text = "[cell]\npreset = \"k-o2\"\n\n[options]\ncarbon_oxidation = true\n";
    let err = Cell::from_toml_str(text, "test.toml")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("carbon_oxidation") && err.contains("peroxide"),
        "{err}"
    );
}

/// The reaction's stoichiometry, C + 2 Li2O2 -> Li2CO3 + 2 Li+ + 2 e- + 1/2 O2: on a cathode
/// with no other side chemistry (cathode-only li-o2 with the carbon's oxidation on, no
/// double layer, no parasitic deposit), a charge that oxidises carbon returns the O2 that the
/// share of its charge that returned none leaves, 1 - share = 2 F n_O2,released / Q_ch to
/// 1e-6, where the share counts one electron per carbon atom and two per CO2; and the carbon
/// it oxidised is a visible part of that charge.
#[test]
fn the_charge_returns_half_an_o2_per_carbon_atom_it_oxidises() {
    let mut cell = Cell::preset("li-o2-ideal-anode").unwrap();
    cell.options.carbon_oxidation = true;
    cell.options.double_layer = false;
    cell.options.parasitic = false;
    let sol = run(
        &cell,
        &[
            "Discharge at 0.1 mA cm-2 for 10 hours",
            "Charge at 0.1 mA cm-2 for 12 hours or until 4.2 V",
        ],
    );
    let c = sol.cycle_summary(1).unwrap();
    let q_c = sol.step_charge(1);
    let m = &sol.model;
    let dissolved = |k: usize| m.dissolved(sol.state(k), 0);
    let o2_released =
        -sol.step_o2_uptake(1) + dissolved(sol.len() - 1) - dissolved(sol.steps[0].last_point());
    let share = c.side_reaction_charge_fraction.unwrap();
    let product = 2.0 * triphase::constants::FARADAY * o2_released / q_c;
    assert!(
        (1.0 - share - product).abs() < 1e-6,
        "share {share}, product {product}"
    );
    let formed = carbon_oxidation::formed(m, sol.state(sol.len() - 1));
    assert!(
        formed * triphase::constants::FARADAY > 0.01 * q_c,
        "{formed} mol m-2 of carbon against {q_c} C m-2"
    );
}
