//! Corrosion of the metal by crossed gases, limited in series by transport to the metal,
//! through the surface layers and by the surface reaction.
//!
//! Reactions of an alkali metal M (Li, Na, K; valence 1). One mole of gas gives:
//!
//! | gas | reaction | metal consumed | layer product |
//! |---|---|---|---|
//! | O2  | 2a/b M + O2 -> 2/b M_aO_b | 2a/b | 2/b M_aO_b |
//! | H2O | 2 M + 2 H2O -> 2 MOH + H2 | 1 | 1 MOH (+ 1/2 H2) |
//! | CO2 | 4 M + 3 CO2 -> 2 M2CO3 + C | 4/3 | 2/3 M2CO3 (+ 1/3 C) |
//! | N2  | 6 M + N2 -> 2 M3N | 6 | 2 M3N |
//!
//! The oxide M_aO_b is a parameter pair (a, b): Li2O (2, 1) on Li, Na2O2 (2, 2) on Na, KO2
//! (1, 2) on K, the stable products of each metal with O2 at room temperature.
//!
//! Flux of gas g into the metal (resistances in series; the intact fraction 1 - f of the
//! surface is covered by the SEI, the cracked fraction f only by the protective layer):
//!
//!   1/G_intact = 1/k_g + L_SEI/P_SEI,g + L_layer/P_layer,g
//!   1/G_cracked = 1/k_g + L_layer/P_layer,g
//!   G = a_f [(1 - f) G_intact + f G_cracked]
//!
//! (a_f: active area per projected area, > 1 for 3D hosts, which expose more metal)
//!   J_g = c_g[0] / (1/G + (dx_0/2)/D_g,eff,0)
//!
//! (the last term is the electrolyte between the first volume centre and the metal). A
//! permeability of 0 blocks the gas. With the electrolyte path this is the series-resistance
//! flux of a gas through separator, SEI and layer; when the SEI dominates and thickens by its
//! own corrosion product it gives the parabolic law L^2 - L0^2 = 2 V_p nu_p P c t.

use crate::model::layout::SeiSpecies;
use crate::model::{Model, Workspace};
use crate::params::{Corrosion, Gas};
use crate::scalar::Scalar;

/// Metal atoms consumed per gas molecule.
pub fn metal_per_gas(c: &Corrosion, gas: Gas) -> f64 {
    match gas {
        Gas::O2 => 2.0 * c.oxide_metal_atoms / c.oxide_oxygen_atoms,
        Gas::H2O => 1.0,
        Gas::CO2 => 4.0 / 3.0,
        Gas::N2 => 6.0,
    }
}

/// Layer product formula units per gas molecule.
pub fn product_per_gas(c: &Corrosion, gas: Gas) -> f64 {
    match gas {
        Gas::O2 => 2.0 / c.oxide_oxygen_atoms,
        Gas::H2O => 1.0,
        Gas::CO2 => 2.0 / 3.0,
        Gas::N2 => 2.0,
    }
}

/// Chemical formula of a layer product on metal `symbol` (e.g. "Li2O", "Na2O2", "KO2").
pub fn formula(symbol: &str, c: &Corrosion, s: SeiSpecies) -> String {
    let count = |x: f64| {
        if x == 1.0 {
            String::new()
        } else {
            format!("{x}")
        }
    };
    match s {
        SeiSpecies::Oxide => format!(
            "{symbol}{}O{}",
            count(c.oxide_metal_atoms),
            count(c.oxide_oxygen_atoms)
        ),
        SeiSpecies::Hydroxide => format!("{symbol}OH"),
        SeiSpecies::Carbonate => format!("{symbol}2CO3"),
        SeiSpecies::Nitride => format!("{symbol}3N"),
        SeiSpecies::Organic => "organic".to_string(),
    }
}

/// Conductance of a series stack of reaction and layers [m.s-1] (0 if any layer blocks).
fn conductance<T: Scalar>(k: f64, layers: &[(T, f64)]) -> T {
    let mut r = T::from(1.0 / k);
    for &(thickness, permeability) in layers {
        if permeability == 0.0 {
            return r * 0.0;
        }
        r += thickness / permeability;
    }
    r.recip()
}

/// Conductance G of the metal surface to `gas` [m.s-1] (reaction, SEI on the intact fraction,
/// protective layer; times the area factor a_f).
pub fn surface_conductance<T: Scalar>(m: &Model, ws: &Workspace<T>, gas: Gas) -> T {
    let c = &m.params.corrosion;
    let layer = T::from(c.layer_thickness);
    let k = c.rate_constant.get(gas);
    let p_layer = c.layer_permeability.get(gas);
    let g_intact = conductance(
        k,
        &[
            (ws.sei_thickness, c.sei_permeability.get(gas)),
            (layer, p_layer),
        ],
    );
    let g_cracked = conductance(k, &[(layer, p_layer)]);
    ((-ws.crack + 1.0) * g_intact + ws.crack * g_cracked) * m.params.anode.surface_area_factor
}

/// Flux of transported gas number `i` into a metal surface next to control volume `k`
/// [mol.m-2.s-1]: J = c_g[k] / (1/G + (dx_k/2)/D_g,eff,k).
pub fn flux_into_metal<T: Scalar>(m: &Model, ws: &Workspace<T>, i: usize, k: usize) -> T {
    let n = m.mesh.len();
    let g = surface_conductance(m, ws, m.layout.gases[i]);
    let half = ws.d_gas[i * n + k].recip() * (0.5 * m.mesh.dx[k]);
    ws.c_gas[i * n + k] * g / (g * half + 1.0)
}

/// Corrosion fluxes (written into the x = 0 gas fluxes) and the inorganic SEI rows.
pub fn residual<T: Scalar>(m: &Model, ws: &mut Workspace<T>, out: &mut [T]) {
    let l = &m.layout;
    let r = l.sei.clone().expect("interface on");
    let n = m.mesh.len();
    let c = &m.params.corrosion;
    for s in [
        SeiSpecies::Oxide,
        SeiSpecies::Hydroxide,
        SeiSpecies::Carbonate,
        SeiSpecies::Nitride,
    ] {
        out[r.start + s as usize] = T::from(0.0);
    }
    if !m.options.corrosion {
        return;
    }
    for (i, gas) in l.gases.iter().enumerate() {
        let j = flux_into_metal(m, ws, i, 0);
        ws.n_gas[i * (n + 1)] = -j;
        ws.corrosion[i] = j;
        out[r.start + SeiSpecies::from_gas(*gas) as usize] = j * product_per_gas(c, *gas);
        out[l.metal] -= j * metal_per_gas(c, *gas);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_resistances_add_and_zero_permeability_blocks() {
        let g: f64 = conductance(1e-5, &[(1e-8, 1e-14), (2e-6, 1e-12)]);
        let expect = 1.0 / (1e5 + 1e6 + 2e6);
        assert!((g - expect).abs() / expect < 1e-12);
        assert_eq!(conductance(1e-5, &[(1e-8, 0.0)]), 0.0);
        // atom balances of each reaction for Li2O, Na2O2 and KO2 as the oxide
        for (a, b, name) in [(2.0, 1.0, "M2O"), (2.0, 2.0, "M2O2"), (1.0, 2.0, "MO2")] {
            let c = Corrosion {
                oxide_metal_atoms: a,
                oxide_oxygen_atoms: b,
                ..Default::default()
            };
            // metal = metal atoms per product x products; O from O2 = O per product x products
            let metal_in_product = [a, 1.0, 2.0, 3.0];
            for (gas, mp) in Gas::ALL.iter().zip(metal_in_product) {
                assert!((metal_per_gas(&c, *gas) - product_per_gas(&c, *gas) * mp).abs() < 1e-12);
            }
            assert!((product_per_gas(&c, Gas::O2) * b - 2.0).abs() < 1e-12);
            assert_eq!(formula("M", &c, SeiSpecies::Oxide), name);
        }
        // metal per O2 is 4 for Li2O, 2 for Na2O2, 1 for KO2
        let ko2 = Corrosion {
            oxide_metal_atoms: 1.0,
            oxide_oxygen_atoms: 2.0,
            ..Default::default()
        };
        assert_eq!(metal_per_gas(&ko2, Gas::O2), 1.0);
    }
}
