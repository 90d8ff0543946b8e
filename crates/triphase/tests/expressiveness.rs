//! Options that set triphase up like other published Li-O2 models: active-area laws,
//! reaction orders, transfer coefficients up to 1, effective (Bruggeman-free) transport
//! properties, a finite-rate gas-side O2 uptake and a cell that starts below saturation, and a
//! start with a very slow anode.

use triphase::constants::{FARADAY, GAS_CONSTANT};
use triphase::model::anode::plating::overpotential_for;
use triphase::model::cathode::kinetics::reduction_activity;
use triphase::model::cathode::structure::Structure;
use triphase::model::AreaLaw;
use triphase::{Cell, Solution};

mod common;
use common::run;

fn cathode_cell() -> Cell {
    Cell::preset("li-o2-ideal-anode").unwrap()
}

fn set(cell: &mut Cell, name: &str, value: f64) {
    cell.set_param("test", name, value).unwrap();
}

/// The three area laws coincide where their formulas do (linear in the filled fraction), and
/// each gives its stated value elsewhere.
#[test]
fn area_laws_give_their_stated_areas() {
    let mut p = cathode_cell().params.clone();
    let (eps0, a0) = (
        p.geometry.cathode_porosity,
        p.geometry.cathode_specific_area,
    );
    p.cathode.area_exponent = 1.0;
    p.cathode.area_zero_fraction = eps0;
    let eps_p = 0.3 * eps0;
    for law in [AreaLaw::Power, AreaLaw::ComplementPower, AreaLaw::Linear] {
        let a: f64 = Structure::new(&p, law).active_area(eps_p);
        assert!((a / (0.7 * a0) - 1.0).abs() < 1e-14, "{law:?}: {a}");
    }
    // complement-power, p = 1/2: a quarter filled leaves half the area
    p.cathode.area_exponent = 0.5;
    let a: f64 = Structure::new(&p, AreaLaw::ComplementPower).active_area(0.25 * eps0);
    assert!((a / (0.5 * a0) - 1.0).abs() < 1e-14);
    // power, xi = 1/2: a quarter filled leaves sqrt(3/4) of the area
    let a: f64 = Structure::new(&p, AreaLaw::Power).active_area(0.25 * eps0);
    assert!((a / (0.75f64.sqrt() * a0) - 1.0).abs() < 1e-14);
    // linear to zero at 0.2: half the area at 0.1, (floored) nothing beyond 0.2
    p.cathode.area_zero_fraction = 0.2;
    let s = Structure::new(&p, AreaLaw::Linear);
    assert!((s.active_area(0.1f64) / (0.5 * a0) - 1.0).abs() < 1e-14);
    assert!(s.active_area(0.3f64) <= 1e-9 * a0);
}

/// A cathode whose area vanishes at a small product fraction stops early; the file option
/// selects the law.
#[test]
fn a_linear_area_law_ending_early_ends_the_discharge_early() {
    let base = cathode_cell();
    let q_power = run(&base, &["Discharge at 0.1 mA cm-2 until 2.0 V"]).step_charge(0);
    let text = "[cell]\npreset = \"li-o2-ideal-anode\"\n[options]\narea_law = \"linear\"\n\
                [parameters]\n\"Active area zero product fraction [-]\" = { value = 0.02, source = \"test\" }\n";
    let linear = Cell::from_toml_str(text, "linear.toml").unwrap();
    assert_eq!(linear.options.area_law, AreaLaw::Linear);
    let q_linear = run(&linear, &["Discharge at 0.1 mA cm-2 until 2.0 V"]).step_charge(0);
    assert!(q_linear < 0.5 * q_power, "{q_linear} vs {q_power}");
    let bad = text.replace("\"linear\"", "\"cubic\"");
    let e = Cell::from_toml_str(&bad, "bad.toml")
        .unwrap_err()
        .to_string();
    assert!(e.contains("cubic") && e.contains("linear"), "{e}");
}

/// Reaction orders scale the reduction branch as powers of the concentration ratios.
#[test]
fn reaction_orders_scale_the_reduction_branch_exactly() {
    let mut cell = cathode_cell();
    let (c_ref, c0) = (
        cell.params.oxygen.reference_concentration,
        cell.params.electrolyte.initial_concentration,
    );
    let m = cell.model();
    // first order in both by default
    let s: f64 = reduction_activity(&m, 0.5 * c_ref, 0.25 * c0);
    assert!((s - 0.125).abs() < 1e-15);
    set(&mut cell, "Cathode O2 reaction order [-]", 2.0);
    set(&mut cell, "Cathode salt reaction order [-]", 0.5);
    let m = cell.model();
    let s: f64 = reduction_activity(&m, 0.5 * c_ref, 0.25 * c0);
    assert!((s - 0.125).abs() < 1e-15, "{s}");
    let s: f64 = reduction_activity(&m, 2.0 * c_ref, c0);
    assert!((s - 4.0).abs() < 1e-14);
}

/// The electrolyte potential is measured against a metal reference in the local electrolyte,
/// so with the default orders (equal on both branches) the metal's equilibrium overpotential
/// is 0 at every salt concentration; the branch form of other models (stripping 0, plating 1,
/// equilibrium against the initial concentration) shifts it by (RT/F) ln(c/c0).
#[test]
fn anode_reaction_orders_set_its_nernst_shift() {
    let mut cell = cathode_cell();
    let c0 = cell.params.electrolyte.initial_concentration;
    let rt_f = GAS_CONSTANT * cell.params.temperature / FARADAY;
    let m = cell.model();
    for x in [0.25, 2.0] {
        assert!(overpotential_for(&m, 0.0, x * c0).abs() < 1e-9);
    }
    set(&mut cell, "Anode stripping salt reaction order [-]", 0.0);
    set(&mut cell, "Anode plating salt reaction order [-]", 1.0);
    let m = cell.model();
    for x in [0.25, 0.5, 2.0] {
        let eta = overpotential_for(&m, 0.0, x * c0);
        assert!((eta - rt_f * f64::ln(x)).abs() < 1e-9, "x {x}: {eta}");
    }
}

/// The cathode's equilibrium follows Nernst for every discharge product: E_eq shifts by
/// RT/(nF) ln(c_O2'/c_O2) with the dissolved O2 (n electrons per O2) and not at all with the
/// salt (the cation is in the exchange current, on both branches).
#[test]
fn cathode_equilibrium_follows_nernst_for_every_product() {
    use triphase::kinetics::butler_volmer;
    use triphase::model::cathode::kinetics::oxidation_concentration_factor;
    for preset in ["li-o2", "na-o2", "k-o2"] {
        let m = Cell::preset(preset).unwrap().model();
        let c = &m.params.cathode;
        let (c_ref, c0) = (
            m.params.oxygen.reference_concentration,
            m.params.electrolyte.initial_concentration,
        );
        // zero-current overpotential with product present (s_p = 1), by bisection
        let eta_eq = |c_o2: f64, c_e: f64| {
            let s_ox = oxidation_concentration_factor(&m, c_o2, c_e);
            let s_red = reduction_activity(&m, c_o2, c_e);
            let current = |eta: f64| {
                butler_volmer(
                    1.0,
                    c.anodic_transfer_coefficient,
                    c.cathodic_transfer_coefficient,
                    FARADAY / (GAS_CONSTANT * m.params.temperature),
                    eta,
                    s_ox,
                    s_red,
                )
            };
            let (mut lo, mut hi) = (-1.0, 1.0);
            for _ in 0..80 {
                let mid = 0.5 * (lo + hi);
                if current(mid) < 0.0 {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            0.5 * (lo + hi)
        };
        let n = c.electrons_per_o2;
        let rt_nf = GAS_CONSTANT * m.params.temperature / (n * FARADAY);
        let base = eta_eq(c_ref, c0);
        for x in [0.1, 0.5, 3.0] {
            let shift = eta_eq(x * c_ref, c0) - base;
            assert!(
                (shift - rt_nf * f64::ln(x)).abs() < 1e-9,
                "{preset}: O2 x{x} shifts {shift} V, Nernst {}",
                rt_nf * f64::ln(x)
            );
            let salt = eta_eq(c_ref, x * c0) - base;
            assert!(salt.abs() < 1e-9, "{preset}: salt x{x} shifts {salt} V");
        }
    }
}

/// Transfer coefficients of exactly 1 are accepted and continuous with 0.9999; above 1 the
/// error names the parameter and its range.
#[test]
fn transfer_coefficients_of_one_are_accepted() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/half-cell-like.toml");
    let one = Cell::from_toml_file(&path).unwrap();
    assert_eq!(one.params.cathode.cathodic_transfer_coefficient, 1.0);
    let mut near = one.clone();
    set(
        &mut near,
        "Cathode cathodic transfer coefficient [-]",
        0.9999,
    );
    set(&mut near, "Cathode anodic transfer coefficient [-]", 0.9999);
    let mut one = one;
    let steps = ["Discharge at 0.5 mA cm-2 until 2.0 V"];
    let (q1, q2) = (
        run(&near, &steps).step_charge(0),
        run(&one, &steps).step_charge(0),
    );
    assert!((q1 / q2 - 1.0).abs() < 1e-3, "{q1} vs {q2}");
    let e = one
        .set_param("test", "Cathode cathodic transfer coefficient [-]", 1.0001)
        .unwrap_err()
        .to_string();
    assert!(e.contains("(0, 1]"), "{e}");
}

/// Transport properties given as effective values with Bruggeman exponents of 0 reproduce the
/// Bruggeman cell at the start (the porosity has not moved yet): the same first voltage.
#[test]
fn effective_values_with_zero_exponents_reproduce_the_bruggeman_cell() {
    let base = cathode_cell();
    let p = &base.params;
    let b = p.geometry.bruggeman;
    let (eps_s, eps_c) = (p.geometry.separator_porosity, p.geometry.cathode_porosity);
    // one porosity for the whole cell, so that one effective value per property is exact
    let mut bruggeman = base.clone();
    set(&mut bruggeman, "Separator porosity [-]", eps_c);
    let mut effective = bruggeman.clone();
    let _ = eps_s;
    set(&mut effective, "Bruggeman exponent [-]", 0.0);
    set(&mut effective, "Cathode solid Bruggeman exponent [-]", 0.0);
    for (name, scale) in [
        ("Electrolyte conductivity [S.m-1]", eps_c.powf(b)),
        ("Electrolyte diffusivity [m2.s-1]", eps_c.powf(b)),
        ("O2 diffusivity [m2.s-1]", eps_c.powf(b)),
        (
            "Cathode electronic conductivity [S.m-1]",
            (1.0 - eps_c).powf(p.geometry.solid_bruggeman),
        ),
    ] {
        let v = triphase::params::find(name).unwrap();
        let bulk = (v.get)(&bruggeman.params);
        set(&mut effective, name, bulk * scale);
    }
    let steps = ["Discharge at 0.5 mA cm-2 for 10 seconds"];
    let (a, e) = (run(&bruggeman, &steps), run(&effective, &steps));
    let (va, ve) = (a.voltage()[1], e.voltage()[1]);
    assert!((va - ve).abs() < 1e-9, "{va} vs {ve}");
}

/// A cell that starts at half its O2 saturation fills up to saturation during a long rest,
/// with or without a gas-side resistance, drawing the missing O2 from the gas (plus the little
/// the resting cathode turns into product); the resistance slows the uptake.
#[test]
fn a_cell_below_saturation_fills_up_at_a_finite_rate() {
    let mut cell = cathode_cell();
    set(&mut cell, "Initial O2 saturation [-]", 0.5);
    let o2_drawn = |sol: &Solution| sol.summary().anode.gas_uptake_mol_m2["O2"];
    let mut early = Vec::new();
    for r in [0.0, 1e6] {
        let mut c = cell.clone();
        set(&mut c, "Gas-side mass-transfer resistance [s.m-1]", r);
        let m = c.model();
        let l = &m.layout;
        let p = &m.params;
        let csat = p.o2_saturation();
        let long = run(&c, &["Rest for 200 hours"]);
        let (y0, y1) = (&long.initial_state, &long.final_state);
        let mut dissolved = [0.0, 0.0];
        let mut in_product = 0.0;
        for k in 0..m.mesh.len() {
            let dx = m.mesh.dx[k];
            dissolved[0] += y0[l.o2.start + k] * dx;
            dissolved[1] += y1[l.o2.start + k] * dx;
            let eps = if k < m.mesh.n_sep {
                p.geometry.separator_porosity
            } else {
                let j = k - m.mesh.n_sep;
                let eps_p = y1[l.product.start + j];
                in_product += eps_p * dx / p.cathode.product_molar_volume;
                p.geometry.cathode_porosity - eps_p
            };
            // every volume at saturation
            let c_end = y1[l.o2.start + k] / eps;
            assert!(
                (c_end / csat - 1.0).abs() < 1e-4,
                "R {r}, volume {k}: {c_end} vs {csat}"
            );
        }
        // it started at half
        assert!((dissolved[0] / dissolved[1] - 0.5).abs() < 1e-4);
        // what the gas gave went into solution and into product
        let drawn = o2_drawn(&long);
        let balance = drawn - (dissolved[1] - dissolved[0]) - in_product;
        assert!(balance.abs() < 1e-8 * drawn, "R {r}: {balance}");
        early.push(o2_drawn(&run(&c, &["Rest for 10 seconds"])));
    }
    assert!(early[1] < 0.5 * early[0], "{early:?}");
}

/// A very slow anode (i0 = 1e-5 A m-2) starts: its first overpotential is the exact
/// Butler-Volmer inverse, eta = (2RT/F) asinh(i / (2 i0)) for alpha = 1/2 (salt orders 0, so
/// that the interface concentration, which the current already moves from c0, does not enter).
#[test]
fn a_very_slow_anode_starts_at_its_butler_volmer_overpotential() {
    let mut cell = cathode_cell();
    let i0 = 1e-5;
    set(&mut cell, "Anode exchange current density [A.m-2]", i0);
    set(&mut cell, "Anode stripping salt reaction order [-]", 0.0);
    set(&mut cell, "Anode plating salt reaction order [-]", 0.0);
    assert_eq!(cell.params.anode.transfer_coefficient, 0.5);
    let sol = run(&cell, &["Discharge at 0.1 mA cm-2 for 1 minute"]);
    let eta = sol
        .variable("Anode polarisation [V]")
        .unwrap()
        .values
        .to_f64()[0];
    let rt_f = GAS_CONSTANT * cell.params.temperature / FARADAY;
    let exact = 2.0 * rt_f * (1.0 / (2.0 * i0)).asinh();
    assert!((eta - exact).abs() < 1e-6, "{eta} vs {exact}");
}

/// A half cell (reference face at the separator: fixed salt and potential) conserves metal,
/// oxygen and charge (cations in - anions in = Q/F) to round-off, holds its face at zero
/// potential, and is the limit of a metal anode that is fast and ample: the same capacity.
#[test]
fn a_half_cell_is_the_limit_of_a_fast_ample_anode() {
    let half = Cell::from_toml_str(
        "[cell]\npreset = \"li-o2-ideal-anode\"\n[options]\nhalf_cell = true\n",
        "half.toml",
    )
    .unwrap();
    assert!(half.model().options.half_cell);
    let steps = [
        "Discharge at 0.5 mA cm-2 until 2.0 V",
        "Charge at 0.5 mA cm-2 until 4.5 V",
    ];
    let sol = run(&half, &steps);
    common::assert_balances_within(
        &sol,
        common::Drifts {
            metal: 1e-12,
            oxygen: 1e-8,
            charge: 1e-12,
        },
    );
    // the anode polarisation of a half cell is the face potential: 0
    let pol = sol
        .variable("Anode polarisation [V]")
        .unwrap()
        .values
        .to_f64();
    assert!(pol.iter().all(|p| p.abs() < 1e-9), "{:?}", &pol[..3]);
    let mut fast = cathode_cell();
    set(&mut fast, "Anode exchange current density [A.m-2]", 1e4);
    set(&mut fast, "Initial metal thickness [m]", 300e-6);
    let q_fast = run(&fast, &steps[..1]).step_charge(0);
    assert!(
        (sol.step_charge(0) / q_fast - 1.0).abs() < 2e-3,
        "{} vs {q_fast}",
        sol.step_charge(0)
    );
    // a symmetric cell has no half-cell mode: the switch is ignored there
    let sym = Cell::from_toml_str(
        "[cell]\npreset = \"li-li-o2\"\n[options]\nhalf_cell = true\n",
        "sym.toml",
    )
    .unwrap();
    assert!(!sym.model().options.half_cell);
}
