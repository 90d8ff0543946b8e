//! Solvent inventory: consumed by SEI growth, evaporating through an open gas boundary; the
//! pores drain as it falls (dry-out).
//!
//!   dn_sol/dt = -k_m p_vap / (R T) [open boundary] - dn_org/dt
//!   liquid fraction of the pores: phi = 1 - softplus(1 - V_liq / V_pore,0),  V_liq = n_sol / c_sol
//!
//! (the excess-electrolyte reservoir drains first, then the pores, uniformly: capillarity
//! redistributes the liquid). Transport uses the liquid volume fraction eps phi in place of
//! eps, so effective properties fall as (eps phi)^b and the salt concentrates. The run ends
//! when n_sol/n_sol,0 falls below the minimum electrolyte fraction. Water uptake is the H2O
//! balance of [`super::gases`].

use crate::constants::GAS_CONSTANT;
use crate::model::options::GasBoundary;
use crate::model::workspace::Sources;
use crate::model::Model;
use crate::params::Parameters;
use crate::scalar::{softplus, Scalar};

/// Initial pore volume of separator and cathode per electrode area \[m\].
pub fn pore_volume(p: &Parameters) -> f64 {
    p.geometry.separator_porosity * p.geometry.separator_thickness
        + p.geometry.cathode_porosity * p.geometry.cathode_thickness
}

/// Initial solvent inventory [mol.m-2]: pores plus reservoir.
pub fn initial_solvent(p: &Parameters) -> f64 {
    (pore_volume(p) + p.solvent.reservoir_thickness) * p.solvent.concentration
}

/// Liquid fraction of the pores from the solvent inventory.
pub fn liquid_fraction<T: Scalar>(p: &Parameters, n_sol: T) -> T {
    let fill = n_sol / (p.solvent.concentration * pore_volume(p));
    -softplus(-fill + 1.0, 1e-3) + 1.0
}

/// Solvent left [mol.m-2]: the solvent state less what the cathode's side reactions used:
/// the parasitic reaction one molecule per deposit unit (whether the unit is still there or
/// was oxidised to CO2), the electrolyte's oxidation on charge one per z_ox electrons
/// ([`crate::model::cathode::electrolyte_oxidation`]).
pub fn solvent_remaining(m: &Model, y: &[f64]) -> f64 {
    m.layout.solvent.map_or(initial_solvent(&m.params), |i| {
        y[i] - m.parasitic_deposit_formed(y)
            - crate::model::cathode::electrolyte_oxidation::solvent_oxidised(m, y)
    })
}

/// Evaporation rate through the gas boundary [mol.m-2.s-1].
pub fn evaporation(m: &Model) -> f64 {
    let p = &m.params;
    match m.options.gas_boundary {
        GasBoundary::Open => {
            p.solvent.evaporation_coefficient * p.solvent.vapour_pressure
                / (GAS_CONSTANT * p.temperature)
        }
        GasBoundary::Sealed | GasBoundary::Headspace => 0.0,
    }
}

/// Solvent lost by evaporation (the SEI adds what it consumes; the row is assembled from both).
pub fn contribute<T: Scalar>(m: &Model, src: &mut Sources<T>) {
    src.solvent -= T::from(evaporation(m));
}
