//! The component library: every file loads and is documented, the base components reproduce
//! the presets, composition rules refuse what cannot work, Na-O2 and K-O2 give one electron
//! per O2, and every strategy moves the physics it claims (mechanism tests, driven by the
//! `[[effects]]` tables of the component files).

use std::collections::BTreeMap;

use triphase::cell::{Cell, Provenance};
use triphase::components::{metal_of, Slot};
use triphase::components::{Component, ComponentKind, Direction, Library, Observable};
use triphase::experiment::Experiment;
use triphase::params::{Metal, REGISTRY};
use triphase::solver::{simulate, SolverOptions};

fn lib() -> Library {
    Library::builtin()
}

#[test]
fn every_component_is_documented_and_in_range() {
    let lib = lib();
    let all = lib.all();
    assert!(all.len() >= 50, "{} components", all.len());
    for c in &all {
        // the file sits in the directory of its kind and carries its own name
        assert!(
            c.origin
                .ends_with(&format!("{}/{}.toml", c.kind.as_str(), c.name)),
            "{}: {}",
            c.name,
            c.origin
        );
        assert!(!c.title.trim().is_empty() && !c.mechanism.trim().is_empty());
        assert!(!c.references.is_empty() && c.references.iter().all(|r| r.len() > 10));
        for v in &c.parameters {
            let spec = REGISTRY.iter().find(|s| s.name == v.name).unwrap();
            assert!(spec.range.contains(v.value), "{}: {}", c.name, v.name);
            assert!(!v.source.trim().is_empty(), "{}: {}", c.name, v.name);
        }
        assert!(
            !c.parameters.is_empty() || !c.scale.is_empty() || !c.options.is_empty(),
            "{} changes nothing",
            c.name
        );
        // references of effects and bases resolve
        if let Some(b) = &c.base {
            assert_eq!(lib.get(b).unwrap().kind, c.kind, "{}", c.name);
        }
        for e in &c.effects {
            for name in e.vs.iter().chain(&e.with) {
                assert!(lib.get(name).is_some(), "{}: effect names {name}", c.name);
            }
        }
        if matches!(
            c.kind,
            ComponentKind::Anode | ComponentKind::Electrolyte | ComponentKind::Product
        ) {
            assert!(metal_of(c, &lib).is_some(), "{}", c.name);
        }
    }
    // every kind of the brief's strategy list is covered
    for kind in ComponentKind::ALL {
        assert!(all.iter().any(|c| c.kind == kind), "no {kind}");
    }
}

/// The parameter names a TOML cell or base file states itself: its `[parameters]` and the
/// per-key overrides of its slot sections.
fn stated_values(text: &str) -> Vec<String> {
    let doc: toml::Table = toml::from_str(text).unwrap();
    let mut v = Vec::new();
    for (section, value) in &doc {
        if let toml::Value::Table(t) = value {
            if section == "parameters" {
                v.extend(t.keys().cloned());
            } else if [
                "anode",
                "product",
                "protection",
                "electrolyte",
                "separator",
                "cathode",
                "atmosphere",
            ]
            .contains(&section.as_str())
            {
                v.extend(
                    t.keys()
                        .filter(|k| *k != "component" && *k != "additives")
                        .cloned(),
                );
            }
        }
    }
    v
}

/// Every parameter a component sets, through its chain of bases.
fn values_of(lib: &Library, name: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut c = lib.get(name);
    while let Some(x) = c {
        out.extend(x.parameters.iter().map(|p| p.name));
        c = x.base.as_deref().and_then(|b| lib.get(b));
    }
    out
}

/// One source for every value: no preset (nor the base cell it composes on) states a value
/// that one of its components gives, and the base file holds only values of no component.
#[test]
fn presets_restate_no_value_their_components_give() {
    let lib = lib();
    let base = stated_values(triphase::params::preset::BASE);
    assert!(base.len() > 10, "the base holds the component-free values");
    for p in triphase::params::preset::PRESETS {
        let cell = Cell::preset(p.name).unwrap();
        let given: Vec<(&str, &str)> = cell
            .components
            .values()
            .chain(&cell.additives)
            .flat_map(|c| values_of(&lib, c).into_iter().map(move |v| (c.as_str(), v)))
            .collect();
        for (file, stated) in [(p.name, stated_values(p.toml)), ("base", base.clone())] {
            for name in stated {
                if let Some((c, _)) = given.iter().find(|(_, v)| *v == name) {
                    panic!(
                        "{file} states \"{name}\", which its component {c} gives ({})",
                        p.name
                    );
                }
            }
        }
        // and every value of the composed preset has one origin
        for spec in REGISTRY {
            assert!(
                cell.provenance.contains_key(spec.name),
                "{}: {}",
                p.name,
                spec.name
            );
        }
    }
    // the test can fail: a preset that restates the separator thickness
    let restating =
        "[cell]\npreset = \"li-o2\"\n[parameters]\n\"Separator thickness [m]\" = 25e-6\n";
    assert!(stated_values(restating).contains(&"Separator thickness [m]".to_string()));
    assert!(values_of(&lib, "celgard-2400").contains(&"Separator thickness [m]"));
}

#[test]
fn cell_files_compose_components_with_provenance() {
    let cell = Cell::from_toml_str(
        r#"
[cell]
preset = "li-air"
[protection]
component = "lii-layer"
"Protective layer thickness [m]" = 2e-6
[electrolyte]
component = "litfsi-dmso"
additives = ["lino3", "libr"]
[separator]
component = "glass-fibre"
"#,
        "strategy.toml",
    )
    .unwrap();
    assert!(cell.options.redox_mediator, "libr turns the mediator on");
    assert_eq!(cell.additives, ["lino3", "libr"]);
    assert_eq!(cell.components[&Slot::Separator], "glass-fibre");
    assert_eq!(cell.params.corrosion.layer_thickness, 2e-6);
    assert!(matches!(
        cell.provenance["Protective layer thickness [m]"],
        Provenance::File { .. }
    ));
    assert!(matches!(
        &cell.provenance["O2 Henry constant [mol.m-3.Pa-1]"],
        Provenance::Component { component, .. } if component == "litfsi-dmso"
    ));
    // LiNO3 scaled DMSO's healing rate by 10 (1e-3 from li-foil)
    assert!((cell.params.sei.healing_rate - 1e-2).abs() < 1e-15);
    match &cell.provenance["SEI healing rate [s-1]"] {
        Provenance::Component { component, source } => {
            assert_eq!(component, "lino3");
            assert!(source.contains("x10"), "{source}");
        }
        p => panic!("{p:?}"),
    }
    // overrides of an unknown key name the file and section
    let e = Cell::from_toml_str(
        "[anode]\ncomponent = \"li-foil\"\n\"Metal thicknes [m]\" = 1e-5\n",
        "x.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("x.toml: [anode]") && e.contains("Metal thicknes"),
        "{e}"
    );
    let e = Cell::from_toml_str("[anode]\ncomponent = \"li-foi\"\n", "x.toml")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("x.toml: [anode] component") && e.contains("li-foil"),
        "{e}"
    );
    let e = Cell::from_toml_str("[anode]\ncomponent = \"lino3\"\n", "x.toml")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("is a additive component") || e.contains("additive component"),
        "{e}"
    );
}

#[test]
fn composition_rules_refuse_incompatible_pairs() {
    let err = |text: &str| Cell::from_toml_str(text, "c.toml").unwrap_err().to_string();
    // Na metal in a Li salt electrolyte
    let e = err("[anode]\ncomponent = \"na-foil\"\n");
    assert!(
        e.contains("c.toml: [electrolyte] component")
            && e.contains("Li salt")
            && e.contains("naotf-degdme"),
        "{e}"
    );
    // a Li product on a K anode
    let e = err("[anode]\ncomponent = \"k-foil\"\n[electrolyte]\ncomponent = \"kpf6-dme\"\n[product]\ncomponent = \"li2o2\"\n");
    assert!(
        e.contains("[product]") && e.contains("Li discharge product"),
        "{e}"
    );
    // Bp-Li needs a membrane that holds the anolyte back
    let e = err("[anode]\ncomponent = \"bp-li\"\n");
    assert!(e.contains("anolyte-barrier") && e.contains("zif-7"), "{e}");
    assert!(Cell::from_toml_str(
        "[anode]\ncomponent = \"bp-li\"\n[separator]\ncomponent = \"zif-7\"\n",
        "c.toml"
    )
    .is_ok());
    // a Na protective layer on Li
    let e = err("[protection]\ncomponent = \"naf-rich\"\n");
    assert!(e.contains("made for Na"), "{e}");
    // stated warnings: LiNO3 in a Na cell, two mediators, carbonate solvent
    let cell = Cell::from_toml_str(
        "[anode]\ncomponent = \"na-foil\"\n[electrolyte]\ncomponent = \"naotf-degdme\"\nadditives = [\"lino3\"]\n",
        "c.toml",
    )
    .unwrap();
    assert!(
        cell.warnings
            .iter()
            .any(|w| w.contains("lino3") && w.contains("Li cells")),
        "{:?}",
        cell.warnings
    );
    let cell = Cell::from_toml_str(
        "[electrolyte]\ncomponent = \"litfsi-tegdme\"\nadditives = [\"libr\", \"lii\"]\n",
        "c.toml",
    )
    .unwrap();
    assert!(
        cell.warnings.iter().any(|w| w.contains("redox mediator")),
        "{:?}",
        cell.warnings
    );
    let cell =
        Cell::from_toml_str("[electrolyte]\ncomponent = \"lipf6-ec-dmc\"\n", "c.toml").unwrap();
    assert!(
        cell.warnings.iter().any(|w| w.contains("superoxide")),
        "{:?}",
        cell.warnings
    );
}

#[test]
fn superoxide_cells_take_one_electron_per_o2() {
    let exp = Experiment::parse(&["Discharge at 0.1 mA cm-2 until 2.0 V"]).unwrap();
    // E0 = -Delta_f G / F from the NBS tables: NaO2 218.4 kJ/mol, KO2 239.4 kJ/mol
    for (preset, e0) in [
        ("na-o2", 218.4e3 / 96485.332),
        ("k-o2", 239.4e3 / 96485.332),
    ] {
        // the cathode physics: the cathode-only model (no O2 lost at the metal, no side
        // reaction drawing 2 e- per O2)
        let mut cell = Cell::preset(preset).unwrap();
        cell.options = cell.options.ideal_anode();
        cell.options.parasitic = false;
        assert_eq!(cell.params.cathode.electrons_per_o2, 1.0);
        assert!((cell.params.cathode.standard_potential - e0).abs() < 1e-6);
        let sol = simulate(&cell, &exp, &SolverOptions::default()).unwrap();
        let s = sol.summary();
        let ratio = s.electrons_per_O2.unwrap();
        assert!((ratio - 1.0).abs() < 0.01, "{preset}: e-/O2 = {ratio}");
        assert!(s.discharge_capacity_mAh_cm2 > 1.0, "{preset}");
        assert!(s.conservation.metal_relative_drift < 1e-8, "{preset}");
        // the plateau sits below E0 by a small overpotential (no insulating film)
        let v0 = s.steps[0].start_voltage_V;
        assert!(v0 < e0 && v0 > e0 - 0.15, "{preset}: {v0}");
    }
}

#[test]
fn corrosion_products_follow_the_metal() {
    // storage of Na in humid air: the oxide is Na2O2 and it takes 2 Na per O2
    let cell = Cell::from_toml_str(
        "[cell]\npreset = \"li-air\"\n[anode]\ncomponent = \"na-foil\"\n[electrolyte]\ncomponent = \"naotf-degdme\"\n",
        "na-air.toml",
    )
    .unwrap();
    assert_eq!(cell.metal, Metal::Na);
    assert_eq!(
        cell.components[&Slot::Product],
        "nao2",
        "the metal's own product"
    );
    let exp = Experiment::parse(&["Rest for 10 hours"]).unwrap();
    let sol = simulate(&cell, &exp, &SolverOptions::default()).unwrap();
    let s = sol.summary();
    let comp = &s.anode.sei_composition_mol_m2;
    assert!(
        comp.contains_key("Na2O2") && comp.contains_key("NaOH"),
        "{comp:?}"
    );
    let o2_loss = s.anode.metal_loss_mol_m2["O2"];
    assert!(o2_loss > 0.0);
    assert!((o2_loss / comp["Na2O2"] - 2.0).abs() < 1e-9);
    assert!(s.conservation.metal_relative_drift < 1e-8);
    assert!(s.conservation.oxygen_relative_drift < 1e-8);
}

// ---------------------------------------------------------------------------------------
// Mechanism tests: each [[effects]] entry of each component, against the same cell with the
// slot's standard component (or `vs`), with the same additives `with`.

/// What the observables are measured from.
struct Measured {
    storage: triphase::Summary,
    cycle: Option<triphase::Summary>,
    /// Anode polarisation per current after 10 s at 0.1 mA cm-2 on the fresh cell [Ohm.m2].
    anode_resistance: f64,
}

fn needs_cycle(o: Observable) -> bool {
    matches!(
        o,
        Observable::Shuttle
            | Observable::DeadMetal
            | Observable::DendriteLength
            | Observable::DischargeVoltage
            | Observable::ChargeVoltage
            | Observable::ElectronsPerO2
            | Observable::SideProducts
            | Observable::O2Recovery
    )
}

fn observe(m: &Measured, o: Observable) -> f64 {
    let loss =
        |s: &triphase::Summary, k: &str| s.anode.metal_loss_mol_m2.get(k).copied().unwrap_or(0.0);
    let cyc = || m.cycle.as_ref().expect("cycle run");
    let c0 = || &cyc().cycles[0];
    match o {
        Observable::CorrosionO2 => loss(&m.storage, "O2"),
        Observable::CorrosionH2o => loss(&m.storage, "H2O"),
        Observable::CorrosionCo2 => loss(&m.storage, "CO2"),
        Observable::CorrosionN2 => loss(&m.storage, "N2"),
        Observable::SeiSolvent => loss(&m.storage, "solvent"),
        Observable::ElectrolyteLoss => 1.0 - m.storage.electrolyte_remaining_fraction,
        Observable::UptakeH2o => m.storage.anode.gas_uptake_mol_m2["H2O"],
        Observable::AnodeResistance => m.anode_resistance,
        Observable::Shuttle => loss(cyc(), "shuttle"),
        Observable::DeadMetal => loss(cyc(), "dead"),
        Observable::DendriteLength => cyc().anode.dendrite_length_m,
        Observable::DischargeVoltage => c0().mean_discharge_voltage_V.unwrap(),
        Observable::ChargeVoltage => cyc().steps[1].end_voltage_V,
        Observable::ElectronsPerO2 => c0().electrons_per_O2.unwrap(),
        Observable::O2Recovery => c0().o2_recovery.unwrap(),
        // formed on discharge: the deposit left plus what oxidised to CO2 on charge
        Observable::SideProducts => {
            cyc().anode.cathode_side_products_mol_m2 + cyc().anode.cathode_co2_evolved_mol_m2
        }
    }
}

/// The metal a component is tested with.
fn test_metal(c: &Component, lib: &Library) -> Metal {
    metal_of(c, lib).unwrap_or_else(|| c.metals.first().copied().unwrap_or(Metal::Li))
}

/// A cell file: li-air with the standard components for `metal`, `slot_component` in its
/// slot and `additives` in the electrolyte.
fn cell_text(metal: Metal, chosen: &[(Slot, &str)], additives: &[String]) -> String {
    let mut slots: BTreeMap<Slot, String> = BTreeMap::new();
    for (slot, kind) in [
        (Slot::Anode, ComponentKind::Anode),
        (Slot::Product, ComponentKind::Product),
        (Slot::Electrolyte, ComponentKind::Electrolyte),
    ] {
        slots.insert(slot, lib().standard(kind, metal).unwrap().name.clone());
    }
    for (slot, name) in chosen {
        slots.insert(*slot, name.to_string());
    }
    let mut text =
        String::from("[cell]\npreset = \"li-air\"\n[mesh]\nseparator = 6\ncathode = 20\n");
    for (slot, name) in &slots {
        text += &format!("[{}]\ncomponent = \"{name}\"\n", slot.section());
        if *slot == Slot::Electrolyte && !additives.is_empty() {
            let list: Vec<String> = additives.iter().map(|a| format!("\"{a}\"")).collect();
            text += &format!("additives = [{}]\n", list.join(", "));
        }
    }
    text
}

/// Storage runs in the cell's own atmosphere (ambient air unless the claim is about an
/// atmosphere); the discharge-charge cycle runs in pure O2, as laboratory cycling does (a
/// volatile glyme would dry out an open K-O2 cell within minutes).
fn measure(text: &str, cycle: bool, what: &str) -> Measured {
    let cell = Cell::from_toml_str(text, what).unwrap_or_else(|e| panic!("{what}: {e}\n{text}"));
    let cycle_cell = if cycle && !text.contains("[atmosphere]") {
        let t = format!("{text}[atmosphere]\ncomponent = \"pure-o2\"\n");
        Some(Cell::from_toml_str(&t, what).unwrap())
    } else {
        None
    };
    let opts = SolverOptions::default();
    let storage = simulate(
        &cell,
        &Experiment::parse(&["Rest for 24 hours"]).unwrap(),
        &opts,
    )
    .unwrap_or_else(|e| panic!("{what}: storage: {e}"))
    .summary();
    let cycle = cycle.then(|| {
        let exp = Experiment::parse(&[
            "Discharge at 0.1 mA cm-2 for 2 hours or until 1.5 V",
            "Charge at 0.1 mA cm-2 for 2 hours or until 4.6 V",
        ])
        .unwrap();
        simulate(cycle_cell.as_ref().unwrap_or(&cell), &exp, &opts)
            .unwrap_or_else(|e| panic!("{what}: cycle: {e}"))
            .summary()
    });
    // the fresh interface: polarisation of a short, small discharge pulse (1 A m-2)
    let pulse = simulate(
        &cell,
        &Experiment::parse(&["Discharge at 0.1 mA cm-2 for 10 seconds"]).unwrap(),
        &opts,
    )
    .unwrap_or_else(|e| panic!("{what}: pulse: {e}"));
    let polarisation = pulse
        .variable("Anode polarisation [V]")
        .unwrap()
        .values
        .to_f64();
    Measured {
        storage,
        cycle,
        anode_resistance: polarisation[polarisation.len() - 1] / 1.0,
    }
}

#[test]
fn every_strategy_moves_the_physics_it_claims() {
    let lib = lib();
    let mut checked = 0;
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for c in lib.all() {
        for e in &c.effects {
            let metal = test_metal(c, &lib);
            let slot = Slot::of(c.kind);
            let mut base_additives: Vec<String> = Vec::new();
            let mut base_chosen: Vec<(Slot, &str)> = Vec::new();
            for w in &e.with {
                let w = lib.get(w).unwrap();
                if w.kind == ComponentKind::Additive {
                    base_additives.push(w.name.clone());
                } else {
                    base_chosen.push((Slot::of(w.kind), &w.name));
                }
            }
            let mut cand_additives = base_additives.clone();
            let mut cand_chosen = base_chosen.clone();
            if c.kind == ComponentKind::Additive {
                cand_additives.push(c.name.clone());
            } else {
                cand_chosen.push((slot, &c.name));
            }
            match e.vs.as_deref().map(|v| lib.get(v).unwrap()) {
                Some(v) if v.kind == ComponentKind::Additive => base_additives.push(v.name.clone()),
                Some(v) => base_chosen.push((Slot::of(v.kind), &v.name)),
                None => {
                    if let Some(std) = lib.standard(c.kind, metal) {
                        base_chosen.push((slot, &std.name));
                    }
                }
            }
            let cycle = needs_cycle(e.observable);
            let what = format!("{} ({})", c.name, e.observable.as_str());
            let base = measure(
                &cell_text(metal, &base_chosen, &base_additives),
                cycle,
                &what,
            );
            let cand = measure(
                &cell_text(metal, &cand_chosen, &cand_additives),
                cycle,
                &what,
            );
            let (b, x) = (observe(&base, e.observable), observe(&cand, e.observable));
            let ok = match e.direction {
                // a clear move: at least 1 % (or from zero)
                Direction::Lower => x < b * 0.99 || (b > 0.0 && x == 0.0),
                Direction::Higher => x > b * 1.01 || (b == 0.0 && x > 0.0),
            };
            report.push(format!(
                "{:<24} {:<22} {:?}: {b:.4e} -> {x:.4e} {}",
                c.name,
                e.observable.as_str(),
                e.direction,
                if ok { "ok" } else { "FAILED" }
            ));
            if !ok {
                failures.push(format!("{what}: claims {:?} ({})", e.direction, e.why));
            }
            checked += 1;
        }
    }
    println!("{}", report.join("\n"));
    assert!(
        failures.is_empty(),
        "{}\n\n{}",
        report.join("\n"),
        failures.join("\n")
    );
    assert!(checked >= 40, "{checked} effects checked");
}

/// Input that used to panic is an error naming the file: a chain of bases 9 deep in a user
/// directory, and an experiment with no steps.
#[test]
fn deep_base_chains_and_empty_experiments_are_errors() {
    let dir = std::env::temp_dir().join(format!("triphase-chain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..10 {
        let base = if i == 0 {
            "base = \"li-foil\"".to_string()
        } else {
            format!("base = \"deep{}\"", i - 1)
        };
        std::fs::write(
            dir.join(format!("deep{i}.toml")),
            format!("[component]\nname = \"deep{i}\"\nkind = \"anode\"\n{base}\ntitle = \"t\"\nmechanism = \"m\"\nreferences = [\"r\"]\n"),
        )
        .unwrap();
    }
    let mut lib = Library::builtin();
    lib.extend_from_dir(&dir).unwrap();
    // every depth either composes or is refused with the reason; none panics
    let mut refused = 0;
    for i in 0..10 {
        let mut cell = Cell::preset("li-o2").unwrap();
        let c = lib.get(&format!("deep{i}")).unwrap().clone();
        if let Err(e) = triphase::cell::compose::apply_component(&mut cell, &c, &lib) {
            let e = e.to_string();
            assert!(e.contains("deep") && e.contains("chain"), "{e}");
            refused += 1;
        } else {
            assert_eq!(cell.metal, triphase::params::Metal::Li);
        }
    }
    assert!(refused >= 2, "the deepest chains are refused");
    std::fs::remove_dir_all(&dir).unwrap();
    let empty = Experiment {
        steps: vec![],
        ..Experiment::parse(&["Rest for 1 hour"]).unwrap()
    };
    let e = simulate(
        &Cell::preset("li-o2").unwrap(),
        &empty,
        &SolverOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("at least one step"), "{e}");
    assert!(Experiment::parse::<&str>(&[]).is_err());
}

/// Values in cell files: a `unit` must be the parameter's own (values are not converted),
/// unknown keys and O2 or duplicates in `gases` are refused, and a value written in a section
/// is not lost to a component of a later slot that sets the same parameter.
#[test]
fn cell_file_values_mean_what_they_say() {
    let with = |entry: &str| {
        format!("[cell]\npreset = \"li-o2\"\n[parameters]\n\"Cathode thickness [m]\" = {entry}\n")
    };
    let c = Cell::from_toml_str(&with("{ value = 1e-4, unit = \"m\" }"), "u.toml").unwrap();
    assert_eq!(c.params.geometry.cathode_thickness, 1e-4);
    let e = Cell::from_toml_str(&with("{ value = 100, unit = \"um\" }"), "u.toml")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("Cathode thickness [m]") && e.contains("\"um\"") && e.contains("not converted"),
        "{e}"
    );
    let e = Cell::from_toml_str(&with("{ value = 1e-4, units = \"m\" }"), "u.toml")
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown key \"units\""), "{e}");
    for (gases, what) in [
        ("[\"O2\"]", "remove \"O2\""),
        ("[\"H2O\", \"H2O\"]", "twice"),
    ] {
        let text = format!("[cell]\npreset = \"li-o2\"\n[options]\ngases = {gases}\n");
        let e = Cell::from_toml_str(&text, "g.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains(what), "{e}");
    }
    let text = "[cell]\npreset = \"li-air\"\n[anode]\n\"Relative humidity [-]\" = 0.05\n";
    let c = Cell::from_toml_str(text, "rh.toml").unwrap();
    assert_eq!(c.params.atmosphere.relative_humidity, 0.05);
}
