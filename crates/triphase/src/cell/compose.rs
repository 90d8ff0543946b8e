//! Building a cell from components, and the rules that components must satisfy together.
//!
//! A cell file names one component per slot, with per-key overrides:
//!
//! ```toml
//! [cell]
//! preset = "li-air"                      # the base cell whose slots are replaced
//!
//! [anode]
//! component = "li-foil"
//! "Initial metal thickness [m]" = 100e-6 # overrides the component's value
//!
//! [protection]
//! component = "lii-layer"
//!
//! [electrolyte]
//! component = "litfsi-tegdme"
//! additives = ["libr", "lino3"]
//!
//! [separator]
//! component = "glass-fibre"              # or a solid electrolyte
//!
//! [cathode]
//! component = "super-p"
//!
//! [product]                              # default: the anode metal's main product
//! component = "li2o2"
//!
//! [atmosphere]
//! component = "ambient-air"
//! "Relative humidity [-]" = 0.6
//! ```
//!
//! Slots are composed in the order anode, product, protection, electrolyte (then its
//! additives, in the order given), separator, cathode, atmosphere; each component sets its
//! values, scales the values it finds and switches its submodels on. A section's overrides
//! apply after its component (and additives). Then the rules are checked:
//!
//! - the electrolyte's salt cation and the discharge product match the anode metal (error);
//! - protective layers and membranes made for another metal are refused (error);
//! - a component's `requires` must be `provides`d by another component (error), e.g. the
//!   biphenyl-Li liquid anode needs a membrane that holds the anolyte back;
//! - additives made for another metal, several redox mediators, and each component's own
//!   warnings are stated as warnings.

use std::collections::BTreeMap;

use super::{Cell, Provenance};
use crate::components::{metal_of, Component, ComponentKind, Library, Slot};
use crate::error::InputError;
use crate::params::Metal;

/// A parameter value given in a cell file, with an optional source.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// Parameter name as written.
    pub name: String,
    /// Value.
    pub value: f64,
    /// Source, if given.
    pub source: Option<String>,
}

/// One parsed slot section.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    /// `component = "..."`.
    pub component: Option<String>,
    /// `additives = [...]` (electrolyte only).
    pub additives: Vec<String>,
    /// The other keys: parameter overrides.
    pub overrides: Vec<Override>,
}

/// The slot sections of a cell file.
pub type Sections = BTreeMap<Slot, Section>;

/// Parses a `[slot]` table; `origin` names the file.
pub fn parse_section(origin: &str, slot: Slot, table: &toml::Table) -> Result<Section, InputError> {
    let at = |key: &str| format!("{origin}: [{}] {key}", slot.section());
    let mut s = Section::default();
    for (key, value) in table {
        match key.as_str() {
            "component" => {
                s.component = Some(
                    value
                        .as_str()
                        .ok_or_else(|| InputError::Invalid {
                            origin: at(key),
                            message: "expected a component name (a string)".into(),
                        })?
                        .to_string(),
                )
            }
            "additives" if slot == Slot::Electrolyte => {
                let list = value.as_array().ok_or_else(|| InputError::Invalid {
                    origin: at(key),
                    message: "expected a list of additive names, e.g. [\"libr\", \"lino3\"]".into(),
                })?;
                for a in list {
                    s.additives.push(
                        a.as_str()
                            .ok_or_else(|| InputError::Invalid {
                                origin: at(key),
                                message: format!("expected an additive name, found {a}"),
                            })?
                            .to_string(),
                    );
                }
            }
            name => {
                let (v, source) = match value {
                    toml::Value::Float(_) | toml::Value::Integer(_) | toml::Value::Table(_) => {
                        parse_entry(&at(&format!("\"{name}\"")), name, value)?
                    }
                    _ => {
                        let hint = if slot == Slot::Electrolyte {
                            "component, additives or a parameter name"
                        } else {
                            "component or a parameter name"
                        };
                        return Err(InputError::Invalid {
                            origin: at(&format!("\"{name}\"")),
                            message: format!("expected a number ({hint})"),
                        });
                    }
                };
                s.overrides.push(Override {
                    name: name.to_string(),
                    value: v,
                    source,
                });
            }
        }
    }
    Ok(s)
}

/// A parameter value in a cell file: a number, or `{ value = ..., source = "...", unit = "..." }`
/// (any other key is refused). A `unit` must be the one in the parameter's name ("m" for
/// "Cathode thickness \[m\]"): values are not converted, so a different unit is an error rather
/// than a silent misreading. `at` names the file and key.
pub fn parse_entry(
    at: &str,
    name: &str,
    value: &toml::Value,
) -> Result<(f64, Option<String>), InputError> {
    let invalid = |message: String| InputError::Invalid {
        origin: at.to_string(),
        message,
    };
    let number = |v: &toml::Value| v.as_float().or_else(|| v.as_integer().map(|i| i as f64));
    match value {
        toml::Value::Table(t) => {
            for key in t.keys() {
                if !matches!(key.as_str(), "value" | "source" | "unit") {
                    return Err(invalid(format!(
                        "unknown key \"{key}\" (allowed: value, source, unit)"
                    )));
                }
            }
            let v = t.get("value").and_then(number).ok_or_else(|| {
                invalid("expected a number or { value = ..., source = \"...\" }".into())
            })?;
            let source = match t.get("source") {
                None => None,
                Some(s) => Some(
                    s.as_str()
                        .ok_or_else(|| invalid("source must be text".into()))?
                        .to_string(),
                ),
            };
            if let Some(u) = t.get("unit") {
                let u = u
                    .as_str()
                    .ok_or_else(|| invalid("unit must be text".into()))?;
                let expected = name
                    .rsplit_once('[')
                    .and_then(|(_, rest)| rest.strip_suffix(']'))
                    .unwrap_or("");
                if u.trim() != expected {
                    return Err(invalid(format!(
                        "unit \"{u}\" given, but \"{name}\" is in [{expected}]: give the value in {expected} (values are not converted)"
                    )));
                }
            }
            Ok((v, source))
        }
        v => number(v).map(|x| (x, None)).ok_or_else(|| {
            invalid("expected a number or { value = ..., source = \"...\" }".into())
        }),
    }
}

/// The error for a component whose metal cannot be found through its chain of bases.
fn no_metal(c: &Component) -> InputError {
    InputError::Invalid {
        origin: c.origin.clone(),
        message: format!(
            "\"{}\": no metal found through its bases (a chain of at most 8 bases ending in a component that names its metal)",
            c.name
        ),
    }
}

/// Applies one component to a cell: its base component first, then its switches, values
/// (recorded as coming from the component) and factors; records the component in its slot.
pub fn apply_component(cell: &mut Cell, c: &Component, lib: &Library) -> Result<(), InputError> {
    apply_values(cell, c, lib, 0)?;
    if c.kind == ComponentKind::Anode {
        cell.metal = metal_of(c, lib).ok_or_else(|| no_metal(c))?;
    }
    match c.kind {
        ComponentKind::Additive => cell.additives.push(c.name.clone()),
        kind => {
            cell.components.insert(Slot::of(kind), c.name.clone());
        }
    }
    Ok(())
}

/// The switches, values and factors of `c`, after those of its base chain.
fn apply_values(
    cell: &mut Cell,
    c: &Component,
    lib: &Library,
    depth: usize,
) -> Result<(), InputError> {
    if let Some(base) = &c.base {
        if depth >= 8 {
            return Err(InputError::Invalid {
                origin: c.origin.clone(),
                message: format!("base \"{base}\": chain of bases too long or circular"),
            });
        }
        let b = lib.lookup(&format!("{}: [component] base", c.origin), base, &[c.kind])?;
        apply_values(cell, b, lib, depth + 1)?;
    }
    c.options.apply(&mut cell.options);
    for v in &c.parameters {
        let spec = crate::params::find(v.name).expect("resolved when loaded");
        (spec.set)(&mut cell.params, v.value);
        cell.provenance.insert(
            spec.name,
            Provenance::Component {
                component: c.name.clone(),
                source: v.source.clone(),
            },
        );
    }
    for s in &c.scale {
        let spec = crate::params::find(s.name).expect("resolved when loaded");
        let before = (spec.get)(&cell.params);
        (spec.set)(&mut cell.params, before * s.factor);
        let was = cell
            .provenance
            .get(spec.name)
            .map(|p| p.describe())
            .unwrap_or_default();
        cell.provenance.insert(
            spec.name,
            Provenance::Component {
                component: c.name.clone(),
                source: format!("x{} ({}) on {before:e} from {was}", s.factor, s.source),
            },
        );
    }
    Ok(())
}

/// Composes the slot sections into `cell`, then checks the rules; returns the warnings.
/// `provenance` records the file's overrides.
pub fn compose(
    cell: &mut Cell,
    origin: &str,
    sections: &Sections,
    lib: &Library,
    provenance: &dyn Fn(Option<String>) -> Provenance,
) -> Result<(), InputError> {
    if sections.is_empty() {
        return Ok(());
    }
    let metal_before = cell.metal;
    for slot in Slot::ALL {
        let section = sections.get(&slot);
        let at = format!("{origin}: [{}] component", slot.section());
        let chosen = match section.and_then(|s| s.component.as_deref()) {
            Some(name) => Some(lib.lookup(&at, name, slot.kinds())?),
            // a new metal brings its own discharge product unless one is named
            None if slot == Slot::Product && cell.metal != metal_before => {
                let c = lib
                    .standard(ComponentKind::Product, cell.metal)
                    .ok_or_else(|| InputError::Invalid {
                        origin: at.clone(),
                        message: format!(
                            "no standard discharge product for {} in the library; name one",
                            cell.metal
                        ),
                    })?;
                Some(c)
            }
            None => None,
        };
        if let Some(c) = chosen {
            apply_component(cell, c, lib)?;
        }
        if let Some(s) = section {
            if slot == Slot::Electrolyte && !s.additives.is_empty() {
                cell.additives.clear();
                for a in &s.additives {
                    let at = format!("{origin}: [electrolyte] additives");
                    let c = lib.lookup(&at, a, &[ComponentKind::Additive])?;
                    apply_component(cell, c, lib)?;
                }
            }
        }
    }
    // a section's own values come after every component, so a value written in one section
    // is not lost to a component of a later slot that sets the same parameter
    for slot in Slot::ALL {
        for o in sections.get(&slot).map_or(&[][..], |s| &s.overrides[..]) {
            cell.set_param_with(
                &format!("{origin}: [{}]", slot.section()),
                &o.name,
                o.value,
                provenance(o.source.clone()),
            )?;
        }
    }
    cell.warnings = check_rules(cell, origin, lib)?;
    Ok(())
}

/// The components of a cell, with the slot they fill.
fn members<'a>(cell: &Cell, lib: &'a Library) -> Vec<(Slot, &'a Component)> {
    let mut v: Vec<_> = cell
        .components
        .iter()
        .filter_map(|(slot, name)| lib.get(name).map(|c| (*slot, c)))
        .collect();
    v.extend(
        cell.additives
            .iter()
            .filter_map(|name| lib.get(name).map(|c| (Slot::Electrolyte, c))),
    );
    v
}

/// Checks the composition rules; errors name the file and section, warnings are returned.
pub fn check_rules(cell: &Cell, origin: &str, lib: &Library) -> Result<Vec<String>, InputError> {
    let metal = cell.metal;
    let members = members(cell, lib);
    let mut warnings = Vec::new();
    let err = |slot: Slot, message: String| InputError::Invalid {
        origin: format!("{origin}: [{}] component", slot.section()),
        message,
    };
    let suggestion = |kind: ComponentKind| {
        lib.standard(kind, metal)
            .map(|s| format!(" (e.g. \"{}\")", s.name))
            .unwrap_or_default()
    };
    for (slot, c) in &members {
        match c.kind {
            ComponentKind::Electrolyte | ComponentKind::Product => {
                let m = metal_of(c, lib).ok_or_else(|| no_metal(c))?;
                if m != metal {
                    let what = if c.kind == ComponentKind::Electrolyte {
                        format!("a {m} salt")
                    } else {
                        format!("a {m} discharge product")
                    };
                    return Err(err(
                        *slot,
                        format!(
                            "\"{}\" is {what} but the anode is {metal} metal: choose a {metal} {}{}",
                            c.name,
                            c.kind,
                            suggestion(c.kind)
                        ),
                    ));
                }
            }
            ComponentKind::Protection
            | ComponentKind::Separator
            | ComponentKind::SolidElectrolyte
            | ComponentKind::Anode => {
                if !c.fits(metal) {
                    let made_for = c.metals.iter().map(Metal::symbol).collect::<Vec<_>>();
                    return Err(err(
                        *slot,
                        format!(
                            "\"{}\" is made for {} anodes, not {metal}",
                            c.name,
                            made_for.join("/")
                        ),
                    ));
                }
            }
            ComponentKind::Additive => {
                if !c.fits(metal) {
                    warnings.push(format!(
                        "additive \"{}\" is made for {} cells; in a {metal} cell only its modelled effect is kept",
                        c.name,
                        c.metals.iter().map(Metal::symbol).collect::<Vec<_>>().join("/")
                    ));
                }
            }
            ComponentKind::Cathode | ComponentKind::Atmosphere => {}
        }
        for need in &c.requires {
            let met = members
                .iter()
                .any(|(_, other)| other.name != c.name && other.provides.contains(need));
            if !met {
                let providers: Vec<_> = lib
                    .all()
                    .into_iter()
                    .filter(|o| o.provides.contains(need))
                    .map(|o| o.name.as_str())
                    .collect();
                return Err(err(
                    *slot,
                    format!(
                        "\"{}\" requires a component providing \"{need}\" (one of: {})",
                        c.name,
                        providers.join(", ")
                    ),
                ));
            }
        }
        for w in &c.warnings {
            warnings.push(format!("{}: {w}", c.name));
        }
    }
    let mediators: Vec<_> = members
        .iter()
        .filter(|(_, c)| {
            c.kind == ComponentKind::Additive && c.options.redox_mediator == Some(true)
        })
        .map(|(_, c)| c.name.as_str())
        .collect();
    if mediators.len() > 1 {
        warnings.push(format!(
            "additives {} each bring a redox mediator; triphase models one, with the values of \"{}\" (the last given)",
            mediators.join(", "),
            mediators[mediators.len() - 1]
        ));
    }
    Ok(warnings)
}
