//! The surface layer on the metal: SEI (native + grown) and an optional artificial
//! protective layer.
//!
//! Composition states n_i [mol.m-2]: M2O, MOH, M2CO3, M3N (corrosion products, see
//! [`super::corrosion`]) and organic SEI from solvent reduction. The layer is taken dense and
//! uniform:
//!
//!   L_SEI = L_SEI,0 + sum_i n_i V_i / a_f
//!   R_anode = (rho_SEI L_SEI + rho_layer L_layer) / a_f    (added to the plating overpotential)
//!
//! (n_i per projected area; a_f the active area per projected area, 1 for a foil)
//!
//! Growth from solvent reduction (option `sei_growth = "solvent-diffusion"`; solvent diffuses
//! through the SEI to the metal, Pinson & Bazant, JES 160 (2013) A243; PyBaMM's
//! "solvent-diffusion limited" option) on the intact fraction, plus the SEI that heals cracks:
//!
//!   dn_org/dt = a_f [(1 - f) D_sol c_sol / L_SEI + k_heal f L_SEI,0 / V_org]
//!
//! consuming `m` metal atoms and one solvent molecule per organic unit (estimate).
//! Cracking (option `sei_cracking`): metal thickness changes crack the intact SEI, cracks heal
//! at a first-order rate that additives raise:
//!
//!   df/dt = (1 - f) (|i_app| / a_f) V_M / (F L_crack) - k_heal f

use crate::cell::SeiGrowth;
use crate::constants::FARADAY;
use crate::model::layout::SeiSpecies;
use crate::model::{Model, Workspace};
use crate::params::Gas;
use crate::scalar::Scalar;

/// Molar volume of each SEI constituent [m3.mol-1].
pub fn molar_volume(m: &Model, s: SeiSpecies) -> f64 {
    let v = &m.params.sei.product_molar_volume;
    match s {
        SeiSpecies::Oxide => v.get(Gas::O2),
        SeiSpecies::Hydroxide => v.get(Gas::H2O),
        SeiSpecies::Carbonate => v.get(Gas::CO2),
        SeiSpecies::Nitride => v.get(Gas::N2),
        SeiSpecies::Organic => m.params.sei.organic_molar_volume,
    }
}

/// SEI thickness from its composition [m].
pub fn thickness<T: Scalar>(m: &Model, y: &[T]) -> T {
    let r = m.layout.sei.clone().expect("interface on");
    let mut l = T::from(0.0);
    for s in SeiSpecies::ALL {
        l += y[r.start + s as usize] * molar_volume(m, s);
    }
    l / m.params.anode.surface_area_factor + m.params.sei.initial_thickness
}

/// Fills the layer thickness, cracked fraction and layer resistance into the workspace.
pub fn layer<T: Scalar>(m: &Model, y: &[T], ws: &mut Workspace<T>) {
    let l_sei = thickness(m, y);
    ws.sei_thickness = l_sei;
    ws.crack = m.layout.crack.map_or(T::from(0.0), |i| y[i]);
    let c = &m.params.corrosion;
    ws.r_anode = (l_sei * m.params.sei.resistivity + c.layer_resistivity * c.layer_thickness)
        / m.params.anode.surface_area_factor;
}

/// Organic-SEI and crack rows; metal and solvent consumption.
pub fn residual<T: Scalar>(m: &Model, y: &[T], ws: &mut Workspace<T>, out: &mut [T]) {
    let l = &m.layout;
    let r = l.sei.clone().expect("interface on");
    let p = &m.params.sei;
    let intact = -ws.crack + 1.0;
    let mut growth = T::from(0.0);
    if m.options.sei_growth == SeiGrowth::SolventDiffusion {
        growth +=
            intact * (p.solvent_diffusivity * m.params.solvent.concentration) / ws.sei_thickness;
    }
    if let Some(ic) = l.crack {
        growth += ws.crack * (p.healing_rate * p.initial_thickness / p.organic_molar_volume);
        let i_abs =
            crate::scalar::smooth_abs(y[l.current], 1e-6) / m.params.anode.surface_area_factor;
        out[ic] =
            intact * i_abs * (m.params.anode.metal_molar_volume / (FARADAY * p.cracking_length))
                - ws.crack * p.healing_rate;
    }
    let growth = growth * m.params.anode.surface_area_factor;
    out[r.start + SeiSpecies::Organic as usize] = growth;
    out[l.metal] -= growth * p.metal_per_organic;
    ws.solvent_consumption += growth;
}
