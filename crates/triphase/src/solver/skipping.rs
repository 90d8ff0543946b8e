//! Cycle skipping: a long life extrapolated over the cycles in which it changes smoothly.
//!
//! A capacity-limited life of thousands of cycles repeats the same cycle while slow states
//! (the metal's ledgers, the SEI, the electrolyte, the deposits left in the cathode) drift a
//! little each time. Let Y_k be the state at the end of cycle k. Once three consecutive cycles
//! have run with every step ending for the same reason, the per-cycle change is
//! D = Y_k - Y_(k-1) and its change from one cycle to the next DD = D - (Y_(k-1) - Y_(k-2)).
//! (A cell may also settle into an orbit of p cycles, e.g. a capacity-limited charge that
//! leaves product in the cathode every other cycle: then the same holds for every p-th end,
//! with 2p + 1 consecutive cycles, and a jump skips a multiple of p cycles; p up to
//! [`MAX_PERIOD`].)
//! With DD constant, Y_(k+m) = Y_k + m D + m (m + 1) / 2 DD exactly, so the linear
//! extrapolation Y_k + m D errs by m (m + 1) / 2 |DD|. The run jumps over the largest m with
//!
//!   m (m + 1) / 2 ||DD|| <= tolerance,   ||x|| = max_i |x_i| / (atol_i + rtol P_i)
//!
//! (the solver's error weights, with P_i the largest |y_i| at the step ends of the cycles
//! used: the solver's own error in a state is relative to its size within the cycle, so the
//! product a charge leaves behind weighs against the product that was there; the maximum, not
//! the solver's root mean square, so that no single ledger, such as the SEI, takes the whole
//! error), and restarts from a
//! consistent state at Y_k + m D and t_k + m (t_k - t_(k-1)); then three (five) cycles run
//! again before the next jump, the first of which shows any transient the jump left. The
//! extrapolation is an affine combination ((1 + m) Y_k - m Y_(k-1), weights summing to one),
//! so every linear invariant of the states (the metal, oxygen and charge balances) is kept
//! to round-off.
//!
//! A jump never crosses what would end a step or the life early:
//! - no quantity that is well above its tolerance moves more than half way to zero;
//! - for every step of the cycle and every stop condition that did not end it (voltage
//!   cut-offs, metal, dry-out, dendrites, salt, pores), the margin left at the step's end
//!   lasts at least two more cycles at its per-cycle trend after the jump;
//! - the capacity of a cycle that is not capacity-limited stays above the end-of-life
//!   fraction of the first the same way.
//!
//! The idea is the multirevolutionary ("envelope") integration of nearly periodic ODEs
//! (L. R. Petzold, An efficient numerical method for highly oscillatory ordinary differential
//! equations, thesis, report UIUCDCS-R-78-933, University of Illinois, 1978; review: Petzold,
//! Jay & Yen, Acta Numerica 6 (1997) 437), here with a first-order envelope through the cycle
//! ends and the step rule of a linear predictor. Off by default.

use crate::constants::c_per_m2_to_mah_per_cm2;
use crate::error::InputError;
use crate::experiment::{EndOfLife, Experiment};
use crate::model::events::{self, Event};
use crate::model::{Model, Workspace};
use crate::solution::{ChargeTotals, StopReason};

/// Cycle-skipping settings ([`super::SolverOptions::cycle_skipping`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CycleSkipping {
    /// Largest extrapolation error of a jump in any state, in its error weight atol + rtol |y|
    /// (|y| the largest it takes at the cycles' step ends) [-].
    pub tolerance: f64,
    /// Most cycles one jump skips.
    pub max_cycles: usize,
}

/// Default extrapolation tolerance [-]: ten error weights. On li-o2's 62-cycle life the
/// ledgers then differ from the simulated life's by 1.3e-4 to 1.2e-3 relative (5 jumps, each
/// at most TOL rtol = 1e-3 in a ledger), about as much as the simulated life at rtol 1e-4
/// differs from one at 1e-5 (2.4e-5 to 4.4e-4).
pub const DEFAULT_SKIP_TOLERANCE: f64 = 10.0;

/// Default largest jump \[cycles\].
pub const DEFAULT_MAX_SKIP: usize = 100;

impl CycleSkipping {
    /// Cycle skipping at `tolerance` (positive and finite) with the default largest jump;
    /// `origin` names where the value was given.
    pub fn with_tolerance(tolerance: f64, origin: &str) -> Result<Self, InputError> {
        if !(tolerance.is_finite() && tolerance > 0.0) {
            return Err(InputError::Invalid {
                origin: origin.to_string(),
                message: format!(
                    "{tolerance}: the cycle-skipping tolerance must be a positive number (in \
                     error weights; {DEFAULT_SKIP_TOLERANCE} by default)"
                ),
            });
        }
        Ok(Self {
            tolerance,
            ..Self::default()
        })
    }

    /// Cycle skipping when a tolerance is given (as [`Self::with_tolerance`]), none otherwise:
    /// what the CLI's `--skip-cycles` and the Python `skip_cycles` argument map to.
    pub fn from_option(tolerance: Option<f64>, origin: &str) -> Result<Option<Self>, InputError> {
        tolerance
            .map(|t| Self::with_tolerance(t, origin))
            .transpose()
    }
}

impl Default for CycleSkipping {
    fn default() -> Self {
        Self {
            tolerance: DEFAULT_SKIP_TOLERANCE,
            max_cycles: DEFAULT_MAX_SKIP,
        }
    }
}

/// The end of one simulated cycle, as the extrapolation reads it.
#[derive(Debug, Clone)]
pub(crate) struct CycleEnd {
    /// 1-based cycle.
    pub cycle: usize,
    /// Time at its end [s].
    pub t: f64,
    /// State at the end of each of its steps (the last is the cycle's end).
    pub step_ends: Vec<Vec<f64>>,
    /// How each step ended.
    pub stops: Vec<StopReason>,
    /// Its charge and O2 (what a skipped cycle adds to the run's totals).
    pub totals: ChargeTotals,
}

impl CycleEnd {
    fn y(&self) -> &[f64] {
        self.step_ends.last().expect("a cycle has steps")
    }

    /// Charge of its discharge steps [mAh.cm-2].
    fn discharge_capacity(&self) -> f64 {
        c_per_m2_to_mah_per_cm2(self.totals.discharge_charge_C_m2)
    }
}

/// A jump: skip `cycles` cycles, resuming from `y` at time `t`.
#[derive(Debug, Clone)]
pub(crate) struct Jump {
    pub cycles: usize,
    pub t: f64,
    pub y: Vec<f64>,
    /// Charge and O2 of the skipped cycles: those of the last period, once per period skipped.
    pub totals: ChargeTotals,
}

/// What the jump rule needs besides the cycle ends.
pub(crate) struct Context<'a> {
    pub model: &'a Model,
    pub experiment: &'a Experiment,
    pub settings: CycleSkipping,
    pub rtol: f64,
    pub atol: &'a [f64],
    /// The end-of-life rule watched.
    pub rule: EndOfLife,
    /// The first cycle's discharge capacity [mAh.cm-2].
    pub first_discharge_capacity: Option<f64>,
    /// Cycles of the experiment still to run after the last of `ends`.
    pub cycles_left: usize,
}

/// Longest period of the cycle ends tried \[cycles\]. A cell may settle into a two-cycle orbit
/// (a capacity-limited charge that leaves product behind every other cycle) or a longer one:
/// li-o2-ideal-anode (0.5 mAh cm-2 at 0.2 mA cm-2) alternates from cycle ~10 (the product left
/// in its 36th cathode volume is 9.1e-3 and 4e-6 in turn) and, from cycle ~240 on, leaves
/// 5e-6, 7.8e-3, 2.1e-5 and 6.3e-3 in its last volume in a four-cycle round; with periods of
/// one and two only, no jump was planned after cycle 204 (164 of 1000 cycles skipped, 382 with
/// periods up to four).
pub const MAX_PERIOD: usize = 4;

/// The jump after the last of `ends` (consecutive simulated cycles, the last
/// 2 [`MAX_PERIOD`] + 1 of them used), or None where the cycles are not yet regular enough or
/// no jump of two cycles or more is safe. The envelope is taken through every p-th end for
/// p = 1..=[`MAX_PERIOD`], and the period that allows the longest jump wins.
pub(crate) fn plan(cx: &Context, ends: &[CycleEnd]) -> Option<Jump> {
    (1..=MAX_PERIOD)
        .filter_map(|p| plan_with_period(cx, ends, p))
        .max_by_key(|j| j.cycles)
}

/// The jump through every `period`-th cycle end.
fn plan_with_period(cx: &Context, ends: &[CycleEnd], period: usize) -> Option<Jump> {
    let used = ends.get(ends.len().checked_sub(2 * period + 1)?..)?;
    let consecutive = used.windows(2).all(|w| w[1].cycle == w[0].cycle + 1);
    // the same regime: every step ended the same way in every cycle used
    let steady = used.windows(2).all(|w| w[1].stops == w[0].stops);
    if !consecutive || !steady {
        return None;
    }
    let (e0, e1, e2) = (&used[0], &used[period], &used[2 * period]);
    // keep the last two cycles simulated (the life's end is read off simulated cycles)
    let mut m = cx.settings.max_cycles.min(cx.cycles_left.saturating_sub(2)) / period;
    let (y0, y1, y2) = (e0.y(), e1.y(), e2.y());
    let n = y2.len();
    // each state weighed by the largest value it takes at the step ends of these cycles: the
    // solver's own error in a state is relative to its size within the cycle, and what a
    // charge leaves of the product is small beside the product that was there
    let mut peak = vec![0.0f64; n];
    for y in used.iter().flat_map(|e| &e.step_ends) {
        for (p, v) in peak.iter_mut().zip(y) {
            *p = p.max(v.abs());
        }
    }
    let norm = (0..n)
        .map(|i| {
            let dd = (y2[i] - y1[i]) - (y1[i] - y0[i]);
            (dd / (cx.atol[i] + cx.rtol * peak[i])).abs()
        })
        .fold(0.0, f64::max);
    if norm > 0.0 {
        // largest m with m (m + 1) / 2 norm <= tolerance
        let bound = ((1.0 + 8.0 * cx.settings.tolerance / norm).sqrt() - 1.0) / 2.0;
        m = m.min(bound.floor() as usize);
    }
    // no quantity well above its tolerance moves more than half way to zero
    for i in 0..n {
        let d = y2[i] - y1[i];
        if y2[i].abs() > 10.0 * cx.atol[i] && d * y2[i] < 0.0 {
            m = m.min((0.5 * y2[i].abs() / d.abs()).floor() as usize);
        }
    }
    m = m.min(event_margin(cx, e1, e2));
    if let (Some(f), Some(first)) = (cx.rule.min_capacity_fraction, cx.first_discharge_capacity) {
        let fade = e1.discharge_capacity() - e2.discharge_capacity();
        if fade > 0.0 {
            m = m.min(cycles_before(e2.discharge_capacity() - f * first, fade));
        }
    }
    if m * period < 2 {
        return None;
    }
    let y = (0..n).map(|i| y2[i] + m as f64 * (y2[i] - y1[i])).collect();
    let period_totals = used[used.len() - period..]
        .iter()
        .fold(ChargeTotals::default(), |sum, e| sum + e.totals);
    Some(Jump {
        cycles: m * period,
        t: e2.t + m as f64 * (e2.t - e1.t),
        y,
        totals: period_totals.times(m as f64),
    })
}

/// Cycles a margin lasts at a loss of `per_cycle` per cycle, less the two that must still run
/// after a jump.
fn cycles_before(margin: f64, per_cycle: f64) -> usize {
    if margin <= 0.0 {
        return 0;
    }
    ((margin / per_cycle).floor() as usize).saturating_sub(2)
}

/// Largest jump that leaves every stop condition of every step (other than the one that
/// ended it) at least two cycles of its trend from firing.
fn event_margin(cx: &Context, e1: &CycleEnd, e2: &CycleEnd) -> usize {
    let mut ws = Workspace::for_model(cx.model);
    let k = Event::ALL.len();
    let (mut g1, mut g2) = (vec![0.0; k], vec![0.0; k]);
    let mut m = usize::MAX;
    for (s, step) in cx.experiment.steps.iter().enumerate() {
        // the step's limits without its capacity limit (capacity ends it by design)
        let control = super::stepping::configure(cx.model, step);
        events::roots(cx.model, &control, &e1.step_ends[s], &mut ws, &mut g1);
        events::roots(cx.model, &control, &e2.step_ends[s], &mut ws, &mut g2);
        for (j, event) in Event::ALL.iter().enumerate() {
            if e2.stops[s] == (StopReason::Event { event: *event }) {
                continue;
            }
            let fall = g1[j] - g2[j];
            if fall > 0.0 {
                m = m.min(cycles_before(g2[j], fall));
            }
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Control;
    use crate::Cell;

    const CYCLE: [&str; 2] = [
        "Discharge at 0.2 mA cm-2 until 0.5 mAh cm-2 or until 2.0 V",
        "Charge at 0.2 mA cm-2 until 0.5 mAh cm-2 or until 4.5 V",
    ];

    /// Three cycle ends 100 s apart whose states are `y(k)` for k = 1, 2, 3, every step
    /// ending on its capacity.
    fn ends(y: impl Fn(usize) -> Vec<f64>) -> Vec<CycleEnd> {
        ends_of(3, y)
    }

    /// `n` such cycle ends, k = 1..=n.
    fn ends_of(n: usize, y: impl Fn(usize) -> Vec<f64>) -> Vec<CycleEnd> {
        (1..=n)
            .map(|k| CycleEnd {
                cycle: k,
                t: 100.0 * k as f64,
                step_ends: vec![y(k), y(k)],
                stops: vec![
                    StopReason::Event {
                        event: Event::CapacityReached
                    };
                    2
                ],
                totals: ChargeTotals {
                    // 0.5 mAh cm-2
                    discharge_charge_C_m2: 18_000.0,
                    ..ChargeTotals::default()
                },
            })
            .collect()
    }

    /// The li-o2 model, the capacity-limited cycle, the absolute tolerances and the initial
    /// state: what both tests extrapolate.
    struct Fixture {
        model: Model,
        experiment: Experiment,
        atol: Vec<f64>,
        y0: Vec<f64>,
    }

    impl Fixture {
        fn new() -> Self {
            let model = Cell::preset("li-o2").unwrap().model();
            let atol = model.absolute_tolerances(1.0);
            let y0 = model.initial_state(&Control::default());
            Self {
                model,
                experiment: Experiment::parse(&CYCLE).unwrap(),
                atol,
                y0,
            }
        }

        fn plan(&self, ends: &[CycleEnd]) -> Option<Jump> {
            plan(&context(&self.model, &self.experiment, &self.atol), ends)
        }
    }

    fn context<'a>(m: &'a Model, exp: &'a Experiment, atol: &'a [f64]) -> Context<'a> {
        Context {
            model: m,
            experiment: exp,
            settings: CycleSkipping {
                tolerance: 10.0,
                max_cycles: 1000,
            },
            rtol: 1e-4,
            atol,
            rule: EndOfLife::default(),
            first_discharge_capacity: Some(0.5),
            cycles_left: 10_000,
        }
    }

    /// A state drifting quadratically, Y_k = Y_0 - c k^2 in one component: the linear
    /// extrapolation Y_k + m D errs by exactly m (m + 1) / 2 DD, and the jump is the largest m
    /// that keeps that error within the tolerance.
    #[test]
    fn a_jump_is_the_largest_whose_extrapolation_error_is_within_the_tolerance() {
        let f = Fixture::new();
        let (atol, y0) = (&f.atol, &f.y0);
        let i = f.model.layout.metal;
        // second difference DD = -2c worth half an error weight
        let w = atol[i] + 1e-4 * y0[i];
        let c = 0.25 * w;
        let at = |k: f64| {
            let mut y = y0.clone();
            y[i] -= c * k * k;
            y
        };
        let e = ends(|k| at(k as f64));
        let jump = f.plan(&e).expect("a jump");
        // the norm of DD as the rule weighs it (|y| the largest of the three ends: the first)
        let norm = 2.0 * c / (atol[i] + 1e-4 * e[0].step_ends[1][i].abs());
        let err = |m: usize| (m * (m + 1)) as f64 / 2.0 * norm;
        assert!(
            err(jump.cycles) <= 10.0 && err(jump.cycles + 1) > 10.0,
            "{}",
            jump.cycles
        );
        assert_eq!(jump.cycles, 5);
        // the extrapolation is Y_3 + m (Y_3 - Y_2), its error against the quadratic exactly
        // m (m + 1) / 2 |DD|; every other state is carried unchanged
        let k = 3.0 + jump.cycles as f64;
        let mm = jump.cycles as f64;
        let expected_error = mm * (mm + 1.0) / 2.0 * 2.0 * c;
        assert!(((jump.y[i] - at(k)[i]) - expected_error).abs() <= 1e-9 * expected_error);
        for (j, (a, b)) in jump.y.iter().zip(y0).enumerate() {
            if j != i {
                assert_eq!(a, b, "state {j}");
            }
        }
        assert_eq!(jump.t, 300.0 + 100.0 * mm);
    }

    /// A linear drift towards dry-out (no extrapolation error) that leaves 10.5 cycles of
    /// margin: the jump stops two cycles short of it; steps ending differently in one of the
    /// three cycles (a new regime) allow no jump.
    #[test]
    fn a_jump_stops_two_cycles_short_of_an_event_and_needs_a_steady_regime() {
        let f = Fixture::new();
        let (m, y0) = (&f.model, &f.y0);
        let i = m.layout.solvent.expect("li-o2 loses solvent");
        let s0 = crate::model::electrolyte_loss::initial_solvent(&m.params);
        let floor = m.params.limits.minimum_electrolyte_fraction;
        let at = |k: usize| {
            let mut y = y0.clone();
            y[i] = s0 * (floor + 0.105 + 0.01 * (3 - k) as f64);
            y
        };
        let mut e = ends(at);
        let jump = f.plan(&e).expect("a jump");
        assert_eq!(jump.cycles, 8);
        let left = m.electrolyte_remaining_fraction(&jump.y) - floor;
        assert!((left - 0.025).abs() < 1e-12, "{left}");
        e[0].stops[0] = StopReason::Event {
            event: Event::LowerVoltageCutoff,
        };
        assert!(f.plan(&e).is_none());
    }

    /// A four-cycle orbit on a linear drift: the product left in one cathode volume goes round
    /// four values (those of li-o2-ideal-anode's last volume after ~240 cycles) while the
    /// metal falls by a tenth of an error weight per cycle. Through every end or every second
    /// end the round is curvature of hundreds of error weights and allows no jump; through
    /// every fourth end the envelope is exact, so the jump is the largest allowed (1000
    /// cycles, a whole number of rounds), lands on the phase it left, and counts the O2 of the
    /// last round once per round skipped.
    #[test]
    fn a_four_cycle_orbit_is_skipped_by_whole_rounds() {
        let f = Fixture::new();
        let (m, y0) = (&f.model, &f.y0);
        let (p, metal) = (m.layout.product.start + 10, m.layout.metal);
        let round = [5e-6, 7.8e-3, 2.1e-5, 6.3e-3];
        let drift = 0.1 * (f.atol[metal] + 1e-4 * y0[metal]);
        let at = |k: usize| {
            let mut y = y0.clone();
            y[p] = round[k % 4];
            y[metal] -= drift * k as f64;
            y
        };
        let mut e = ends_of(9, at);
        for (k, end) in e.iter_mut().enumerate() {
            end.totals.discharge_o2_mol_m2 = 1e-3 * (1 + (k + 1) % 4) as f64;
        }
        let cx = context(m, &f.experiment, &f.atol);
        assert!(plan_with_period(&cx, &e, 1).is_none());
        assert!(plan_with_period(&cx, &e, 2).is_none());
        assert!(plan_with_period(&cx, &e, 3).is_none());
        let jump = f.plan(&e).expect("a jump through every fourth end");
        assert_eq!(jump.cycles, 1000);
        assert_eq!(jump.y[p], round[9 % 4]);
        let expected = y0[metal] - drift * 1009.0;
        assert!((jump.y[metal] - expected).abs() <= 1e-12 * y0[metal]);
        assert_eq!(jump.t, 900.0 + 100.0 * 1000.0);
        // one round's O2 (1 + 2 + 3 + 4 mmol m-2) 250 times
        assert!((jump.totals.discharge_o2_mol_m2 - 2.5).abs() < 1e-12);
        assert!((jump.totals.discharge_charge_C_m2 - 1000.0 * 18_000.0).abs() < 1e-6);
    }
}
