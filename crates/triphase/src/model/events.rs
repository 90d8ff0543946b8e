//! Stop conditions, evaluated as root functions g(y) by the solver (a sign change of g
//! ends the step). Inactive conditions return a positive constant.

use super::{Control, Model, Workspace};

/// Why a step or a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// Voltage fell to the step's lower cut-off.
    LowerVoltageCutoff,
    /// Voltage rose to the step's upper cut-off.
    UpperVoltageCutoff,
    /// Metal thickness fell to its minimum.
    MetalExhausted,
    /// Cathode porosity fell to its minimum somewhere (watched while the step drives a
    /// discharge or holds a voltage: a charge or a rest grows no product).
    PoresClogged,
    /// Salt concentration fell to its minimum somewhere (incl. the metal surface): the
    /// current cannot be carried (a limiting current, Sand's time at the metal). Ends the step
    /// like a cut-off; the next step, if it relieves the depletion (a rest, the opposite
    /// current), runs.
    SaltDepleted,
    /// Dendrites span the separator.
    ShortCircuit,
    /// The electrolyte has dried out.
    DryOut,
    /// The step's capacity limit was reached.
    CapacityReached,
    /// The current of a voltage hold fell to its limit.
    CurrentLimitReached,
    /// Symmetric cells: the polarisation |V| reached its maximum.
    PolarisationLimit,
}

impl Event {
    /// All events in root-function order.
    pub const ALL: [Event; 10] = [
        Event::LowerVoltageCutoff,
        Event::UpperVoltageCutoff,
        Event::MetalExhausted,
        Event::PoresClogged,
        Event::SaltDepleted,
        Event::ShortCircuit,
        Event::DryOut,
        Event::CapacityReached,
        Event::CurrentLimitReached,
        Event::PolarisationLimit,
    ];

    /// Whether the event ends the whole experiment (the cell cannot go on), not just a step.
    /// Clogged pores end the discharge that filled them, as a cut-off does: a charge
    /// oxidises the product and opens them again. Salt depletion ends the step that drove it:
    /// a rest or the opposite current restores the salt.
    pub fn is_terminal(&self) -> bool {
        !matches!(
            self,
            Event::LowerVoltageCutoff
                | Event::UpperVoltageCutoff
                | Event::CapacityReached
                | Event::CurrentLimitReached
                | Event::PoresClogged
                | Event::SaltDepleted
        )
    }
}

/// Time within which dendrites that would reach the other electrode at their present speed
/// count as a short circuit \[s\] (numerical, not a cell property: a runaway tip's speed grows
/// without bound as it grows, so its arrival time is the moment the runaway starts; a steadily
/// growing dendrite's speed, micrometres per hour, moves its short by picometres).
pub const SHORT_CIRCUIT_HORIZON: f64 = 1.0;

/// The lowest salt concentration in the cell [mol.m-3]: over every volume's electrolyte and
/// at the metal's surface (both surfaces of a symmetric cell; a half cell's reference face is
/// held at c_0).
pub fn min_salt(m: &Model, y: &[f64], ws: &mut Workspace<f64>) -> f64 {
    m.fill_volumes(y, &mut ws.props);
    let min_c = ws.props.c_e.iter().copied().fold(f64::INFINITY, f64::min);
    if m.options.half_cell {
        return min_c;
    }
    let (c_face, _) = super::anode::plating::interface(m, y, &ws.props);
    let c_face = if m.is_symmetric() {
        c_face.min(super::symmetric::interface(m, y, &ws.props).0)
    } else {
        c_face
    };
    min_c.min(c_face)
}

/// Fraction of its starting value to which the salt must fall again before a step that starts
/// depleted ends on depletion: after a reversal the carbon's double layer goes on consuming
/// salt deep in the cathode for a few seconds (a half ended the charge after a depleted
/// discharge within 1.5e-12 s), while a step that relieves the depletion raises it.
pub const DEPLETED_START_FLOOR: f64 = 0.1;

/// The salt floor of a step starting from `y` [mol.m-3], where it differs from the cell's
/// "Minimum salt concentration [mol.m-3]": a step that starts at or below that minimum (the
/// step before ended on it) ends on depletion only when the salt falls to
/// [`DEPLETED_START_FLOOR`] of its starting value, so a rest or the opposite current, which
/// restore it, run. Set before the step's solver starts: diffsol evaluates the root functions
/// when it builds the solver.
pub fn salt_floor_at_start(m: &Model, y: &[f64], ws: &mut Workspace<f64>) -> Option<f64> {
    let start = min_salt(m, y, ws);
    (start <= m.params.limits.minimum_salt_concentration).then_some(DEPLETED_START_FLOOR * start)
}

/// Root functions in [`Event::ALL`] order, for the step under `control`.
pub fn roots(m: &Model, control: &Control, y: &[f64], ws: &mut Workspace<f64>, g: &mut [f64]) {
    let l = &m.layout;
    let p = &m.params;
    let v = m.voltage(y);
    g[0] = control.lower_cutoff.map_or(1.0, |vmin| v - vmin);
    g[1] = control.upper_cutoff.map_or(1.0, |vmax| vmax - v);
    // a half cell's reference face is an unlimited reservoir
    g[2] = if m.options.half_cell {
        1.0
    } else {
        (y[l.metal] - p.limits.minimum_metal_thickness / p.anode.metal_molar_volume)
            / p.initial_metal_inventory()
    };
    // product grows only under a discharge (or a hold that may drive one): a charge that
    // starts from clogged pores, or whose double layer still reduces O2 for a few seconds
    // before the product's oxidation takes over, must not end on them
    let can_grow = match control.mode {
        super::OperatingMode::Current(i) => i > 0.0,
        super::OperatingMode::Power(w) => w > 0.0,
        super::OperatingMode::Voltage(_) => true,
    };
    g[3] = if m.mesh.n_cat > 0 && can_grow {
        let min_eps = (0..m.mesh.n_cat)
            .map(|j| m.structure.porosity(m.deposit(y, j)))
            .fold(f64::INFINITY, f64::min);
        min_eps - p.limits.minimum_porosity
    } else {
        1.0
    };
    let floor = control
        .salt_floor
        .unwrap_or(p.limits.minimum_salt_concentration);
    g[4] = (min_salt(m, y, ws) - floor) / p.electrolyte.initial_concentration;
    // a charge ends on its own limits only: where the product is used up its current goes to
    // what can still be oxidised there (the mediator, the electrolyte), at the potential that
    // takes (see cathode::kinetics)
    g[5] = l.dendrite.map_or(1.0, |i| {
        let limit = p.morphology.separator_dendrite_resistance * p.geometry.separator_thickness;
        // in a symmetric cell dendrites grow from both electrodes towards each other
        let counter = l
            .counter
            .as_ref()
            .and_then(|c| c.dendrite)
            .map_or(0.0, |d| y[d]);
        let length = y[i] + counter;
        // dendrites that run away (their tips' overpotential grows with their height, e-fold
        // per micrometre in a resistive or depleted electrolyte) cross the rest of the gap in
        // a time no integrator follows: at their present speed they short within the horizon
        m.fill_surface(y, &mut ws.props);
        let speed = super::anode::morphology::closing_speed(m, y, &ws.props);
        (limit - length - SHORT_CIRCUIT_HORIZON * speed.max(0.0)) / limit
    });
    g[7] = control.capacity_limit.map_or(1.0, |(q0, limit)| {
        (limit - (y[l.charge] - q0).abs()) / limit
    });
    g[8] = control
        .current_limit
        .map_or(1.0, |limit| (y[l.current].abs() - limit) / limit);
    g[9] = if m.is_symmetric() {
        (p.limits.maximum_polarisation - v.abs()) / p.limits.maximum_polarisation
    } else {
        1.0
    };
    g[6] = l.solvent.map_or(1.0, |_| {
        m.electrolyte_remaining_fraction(y) - p.limits.minimum_electrolyte_fraction
    });
}
