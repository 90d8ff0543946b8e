//! Cycle skipping: a life extrapolated over its regular cycles keeps the balances, the
//! ledgers and the end of life of the same life simulated cycle by cycle.

use triphase::experiment::EndOfLife;
use triphase::solver::CycleSkipping;
use triphase::{simulate, Cell, Experiment, Solution, SolverOptions};

mod common;
use common::assert_balances_close;

const CYCLE: [&str; 2] = [
    "Discharge at 0.2 mA cm-2 until 0.5 mAh cm-2 or until 2.0 V",
    "Charge at 0.2 mA cm-2 until 0.5 mAh cm-2 or until 4.5 V",
];

/// Up to 100 capacity-limited cycles to end of life.
fn life_experiment() -> Experiment {
    Experiment::parse(&CYCLE)
        .unwrap()
        .with_cycles(100)
        .unwrap()
        .with_end_of_life(EndOfLife::default())
}

/// The solver options of [`life_experiment`].
fn life_options(cycle_skipping: Option<CycleSkipping>) -> SolverOptions {
    SolverOptions {
        cycle_skipping,
        ..SolverOptions::for_experiment(&life_experiment(), None, "test").unwrap()
    }
}

/// [`life_experiment`] on `cell`.
fn life(cell: &Cell, cycle_skipping: Option<CycleSkipping>) -> Solution {
    simulate(cell, &life_experiment(), &life_options(cycle_skipping))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn relative(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-30)
}

/// li-o2 with its anode mechanisms dries out in cycle 62 (0.5 mAh cm-2 at 0.2 mA cm-2): with
/// cycle skipping it dies in the same cycle of the same cause, its cycles (simulated and
/// skipped) are 1..=62 once each, every capacity-limited cycle starts at a multiple of its
/// 5 h, the metal lost by each mechanism, the SEI and the electrolyte left agree with the
/// simulated life to 1e-3, and the balances close as tightly.
#[test]
fn a_skipped_life_ends_when_and_how_the_simulated_one_does_with_its_ledgers() {
    let cell = Cell::preset("li-o2").unwrap();
    let full = life(&cell, None);
    let fast = life(&cell, Some(CycleSkipping::default()));
    let eol = full
        .end_of_life
        .clone()
        .expect("li-o2 dies within 100 cycles");
    assert_eq!(fast.end_of_life, Some(eol.clone()));
    assert!(
        fast.skipped_cycle_count() >= 10,
        "{:?}",
        fast.skipped_cycles
    );
    assert!((fast.stats.steps as f64) < 0.85 * full.stats.steps as f64);
    // every cycle once: simulated or skipped
    let mut cycles: Vec<usize> = fast.cycle_summaries().iter().map(|c| c.cycle).collect();
    for k in &fast.skipped_cycles {
        cycles.extend(k.first_cycle..=k.last_cycle);
    }
    cycles.sort_unstable();
    assert_eq!(cycles, (1..=eol.cycle).collect::<Vec<_>>());
    // the last cycle starts after eol.cycle - 1 full cycles of 2 x 2.5 h
    let start = |s: &Solution| {
        let first = s.steps.iter().find(|r| r.cycle == eol.cycle).unwrap();
        first.start.time
    };
    let expected = (eol.cycle - 1) as f64 * 5.0 * 3600.0;
    assert!(relative(start(&fast), expected) < 1e-6, "{}", start(&fast));
    assert!(relative(start(&full), expected) < 1e-6);
    // the ledgers and the totals: a jump errs by at most TOL error weights in any state,
    // atol + rtol |y| with |y| its largest at the cycles' step ends, so each of these ledgers
    // (far above its atol) by TOL rtol relative at most, and k jumps by k TOL rtol
    let bound = fast.skipped_cycles.len() as f64
        * CycleSkipping::default().tolerance
        * life_options(None).rtol;
    let (a, b) = (fast.summary(), full.summary());
    for (mechanism, lost) in &b.anode.metal_loss_mol_m2 {
        if *lost > 1e-6 {
            let r = relative(a.anode.metal_loss_mol_m2[mechanism], *lost);
            assert!(r < bound, "{mechanism}: {r} (bound {bound})");
        }
    }
    assert!(relative(a.anode.sei_thickness_m, b.anode.sei_thickness_m) < 3e-3);
    assert!(
        relative(
            a.electrolyte_remaining_fraction,
            b.electrolyte_remaining_fraction
        ) < 1e-6
    );
    assert!(relative(a.discharge_capacity_mAh_cm2, b.discharge_capacity_mAh_cm2) < 1e-3);
    assert!(relative(a.charge_capacity_mAh_cm2, b.charge_capacity_mAh_cm2) < 1e-3);
    assert_balances_close(&fast);
    assert!(a.warnings.iter().any(|w| w.contains("extrapolated")));
}

/// The cathode-only cell settles into a two-cycle orbit (every other capacity-limited charge
/// leaves product in the cathode): jumps then skip an even number of cycles, and its last
/// cycle agrees with the simulated one to 1 mV in its mean voltages and to 1e-4 in its O2
/// recovery.
#[test]
fn a_two_cycle_orbit_is_skipped_by_whole_periods() {
    let cell = Cell::preset("li-o2-ideal-anode").unwrap();
    let exp = Experiment::parse(&CYCLE).unwrap().with_cycles(40).unwrap();
    let run = |cycle_skipping| {
        let options = SolverOptions {
            cycle_skipping,
            ..SolverOptions::for_experiment(&exp, None, "test").unwrap()
        };
        simulate(&cell, &exp, &options).unwrap()
    };
    let (full, fast) = (run(None), run(Some(CycleSkipping::default())));
    assert!(!fast.skipped_cycles.is_empty());
    for k in &fast.skipped_cycles {
        assert_eq!((k.last_cycle + 1 - k.first_cycle) % 2, 0, "{k:?}");
    }
    let (a, b) = (
        fast.cycle_summaries().pop().unwrap(),
        full.cycle_summaries().pop().unwrap(),
    );
    assert_eq!((a.cycle, b.cycle), (40, 40));
    let v = |c: &triphase::solution::CycleSummary| {
        (
            c.mean_discharge_voltage_V.unwrap(),
            c.mean_charge_voltage_V.unwrap(),
        )
    };
    assert!((v(&a).0 - v(&b).0).abs() < 1e-3 && (v(&a).1 - v(&b).1).abs() < 1e-3);
    assert!((a.o2_recovery.unwrap() - b.o2_recovery.unwrap()).abs() < 1e-4);
}
