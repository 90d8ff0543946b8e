//! `triphase materials` and `triphase cell`: the component library and resolved cells.

use triphase::components::{Component, ComponentKind, Library};
use triphase::params::REGISTRY;
use triphase::InputError;

use crate::args::{CellCommand, MaterialsCommand};
use crate::config::build_cell;
use crate::error::CliError;
use crate::outln;
use crate::output;

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("plain data serialises") + "\n"
}

/// `triphase materials list|show`.
pub fn materials(cmd: MaterialsCommand) -> Result<(), CliError> {
    let lib = Library::global()?;
    match cmd {
        MaterialsCommand::List { kind, json } => {
            let kind = match kind.as_deref() {
                None => None,
                Some(k) => Some(ComponentKind::parse(k).ok_or_else(|| InputError::Invalid {
                    origin: "--kind".into(),
                    message: format!("unknown kind \"{k}\" (one of: {})", ComponentKind::names()),
                })?),
            };
            let list: Vec<&Component> = lib
                .all()
                .into_iter()
                .filter(|c| kind.is_none_or(|k| c.kind == k))
                .collect();
            if json {
                let rows: Vec<_> = list
                    .iter()
                    .map(|c| {
                        serde_json::json!({
                            "name": c.name, "kind": c.kind, "title": c.title,
                            "metal": triphase::components::metal_of(c, lib),
                            "metals": c.metals,
                        })
                    })
                    .collect();
                output::emit(&to_json(&rows));
                return Ok(());
            }
            let mut text = String::new();
            let mut last = None;
            for c in list {
                if last != Some(c.kind) {
                    outln!(text, "\n{}:", c.kind);
                    last = Some(c.kind);
                }
                let metal = triphase::components::metal_of(c, lib)
                    .map(|m| m.symbol().to_string())
                    .unwrap_or_else(|| {
                        c.metals
                            .iter()
                            .map(|m| m.symbol())
                            .collect::<Vec<_>>()
                            .join("/")
                    });
                outln!(text, "  {:<24} {:<5} {}", c.name, metal, c.title);
            }
            outln!(
                text,
                "\n`triphase materials show NAME` for parameters, mechanism and references."
            );
            output::emit(&text);
        }
        MaterialsCommand::Show { name, json } => {
            let c = lib.lookup("materials show", &name, &ComponentKind::ALL)?;
            if json {
                output::emit(&to_json(c));
                return Ok(());
            }
            output::emit(&describe(c));
        }
    }
    Ok(())
}

/// A readable page for one component.
fn describe(c: &Component) -> String {
    let mut t = String::new();
    outln!(t, "{} ({}): {}", c.name, c.kind, c.title);
    if let Some(b) = &c.base {
        outln!(t, "refines: {b}");
    }
    if let Some(m) = c.metal {
        outln!(t, "metal: {m}");
    } else if !c.metals.is_empty() {
        let m: Vec<_> = c.metals.iter().map(|m| m.symbol()).collect();
        outln!(t, "made for: {}", m.join(", "));
    }
    outln!(t, "\nmechanism:\n  {}", wrap(&c.mechanism, 92, "  "));
    if !c.options.is_empty() {
        outln!(
            t,
            "\nswitches: {}",
            serde_json::to_string(&c.options)
                .expect("plain data")
                .replace("null", "-")
        );
    }
    if !c.parameters.is_empty() {
        outln!(t, "\nparameters (* = estimate):");
        for v in &c.parameters {
            let mark = if v.is_estimate() { "*" } else { " " };
            outln!(t, " {mark}{:<50} {:>12.4e}  {}", v.name, v.value, v.source);
        }
    }
    if !c.scale.is_empty() {
        outln!(t, "\nfactors on the values it finds:");
        for s in &c.scale {
            outln!(t, "  {:<50} x{:<10} {}", s.name, s.factor, s.source);
        }
    }
    if !c.effects.is_empty() {
        outln!(t, "\nclaims (each is a mechanism test):");
        for e in &c.effects {
            let vs =
                e.vs.as_deref()
                    .map(|v| format!(" vs {v}"))
                    .unwrap_or_default();
            outln!(
                t,
                "  {} {:?}{vs}: {}",
                e.observable.as_str(),
                e.direction,
                e.why
            );
        }
    }
    for (label, list) in [
        ("requires", &c.requires),
        ("provides", &c.provides),
        ("warnings", &c.warnings),
    ] {
        if !list.is_empty() {
            outln!(t, "\n{label}: {}", list.join("; "));
        }
    }
    outln!(t, "\nreferences:");
    for r in &c.references {
        outln!(t, "  - {r}");
    }
    outln!(t, "\nfile: {}", c.origin);
    t
}

fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        if line > 0 && line + word.len() + 1 > width {
            out.push('\n');
            out.push_str(indent);
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.len();
    }
    out
}

/// `triphase cell show`.
pub fn cell(cmd: CellCommand) -> Result<(), CliError> {
    match cmd {
        CellCommand::Show { cell: args, json } => {
            let cell = build_cell(&args)?;
            let source = |name: &str| -> (String, String) {
                cell.provenance
                    .get(name)
                    .map_or(("default".into(), String::new()), |p| p.parts())
            };
            if json {
                let params: Vec<_> = REGISTRY
                    .iter()
                    .map(|s| {
                        let (from, src) = source(s.name);
                        serde_json::json!({"name": s.name, "value": (s.get)(&cell.params), "from": from, "source": src})
                    })
                    .collect();
                let components: serde_json::Map<String, serde_json::Value> = cell
                    .components
                    .iter()
                    .map(|(slot, name)| (slot.section().to_string(), name.clone().into()))
                    .collect();
                output::emit(&to_json(&serde_json::json!({
                    "name": cell.name,
                    "metal": cell.metal,
                    "type": cell.cell_type,
                    "components": components,
                    "additives": cell.additives,
                    "options": cell.options,
                    "mechanisms": cell.options.mechanisms_on(),
                    "anode_mechanisms_off": cell.options.anode_mechanisms_off(),
                    "warnings": cell.warnings,
                    "parameters": params,
                })));
                return Ok(());
            }
            let mut t = String::new();
            outln!(
                t,
                "# {} ({} metal, {} cell)",
                cell.name,
                cell.metal,
                cell.cell_type
            );
            for (slot, name) in &cell.components {
                outln!(t, "  {:<12} {name}", slot.section());
            }
            if !cell.additives.is_empty() {
                outln!(t, "  {:<12} {}", "additives", cell.additives.join(", "));
            }
            outln!(
                t,
                "  {:<12} {}",
                "mechanisms",
                cell.options.mechanisms_on().join("; ")
            );
            let off = cell.options.anode_mechanisms_off();
            if !off.is_empty() {
                outln!(t, "  {:<12} {}", "anode off", off.join(", "));
            }
            outln!(
                t,
                "  {:<12} {}",
                "switches",
                serde_json::to_string(&cell.options).expect("plain data")
            );
            for w in &cell.warnings {
                outln!(t, "  warning: {w}");
            }
            outln!(t, "");
            for s in REGISTRY {
                let (from, src) = source(s.name);
                outln!(
                    t,
                    "{:<50} {:>12.5e}  {:<28} {}",
                    s.name,
                    (s.get)(&cell.params),
                    from,
                    src
                );
            }
            output::emit(&t);
        }
    }
    Ok(())
}
