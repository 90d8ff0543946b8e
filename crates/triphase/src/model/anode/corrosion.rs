//! Corrosion of the metal by crossed gases, limited in series by transport to the metal,
//! through the surface layers and by the surface reaction.
//!
//! The reactions are rows of the reaction table ([`crate::chemistry`], `data/reactions.toml`),
//! one per metal and gas, e.g. for Li:
//!
//! | gas | reaction | metal consumed per gas | layer product per gas |
//! |---|---|---|---|
//! | O2  | 4 Li + O2 -> 2 Li2O | 4 | 2 Li2O |
//! | H2O | 2 Li + 2 H2O -> 2 LiOH + H2 | 1 | 1 LiOH (+ 1/2 H2) |
//! | CO2 | 4 Li + 3 CO2 -> 2 Li2CO3 + C | 4/3 | 2/3 Li2CO3 (+ 1/3 C) |
//! | N2  | 6 Li + N2 -> 2 Li3N | 6 | 2 Li3N |
//!
//! On Na the oxide is Na2O2 (2 Na per O2), on K it is KO2 (1 K per O2): the stable products
//! of each metal with O2 at room temperature.
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

use crate::model::workspace::{Face, Properties, Sources};
use crate::model::Model;
use crate::params::Gas;
use crate::scalar::Scalar;

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
pub fn surface_conductance<T: Scalar>(m: &Model, props: &Properties<T>, gas: Gas) -> T {
    let c = &m.params.corrosion;
    let layer = T::from(c.layer_thickness);
    let k = c.rate_constant.get(gas);
    let p_layer = c.layer_permeability.get(gas);
    let g_intact = conductance(
        k,
        &[
            (props.sei_thickness, c.sei_permeability.get(gas)),
            (layer, p_layer),
        ],
    );
    let g_cracked = conductance(k, &[(layer, p_layer)]);
    ((-props.crack + 1.0) * g_intact + props.crack * g_cracked) * m.params.anode.surface_area_factor
}

/// Flux of transported gas number `i` into a metal surface next to control volume `k`
/// [mol.m-2.s-1]: J = c_g[k] / (1/G + (dx_k/2)/D_g,eff,k).
pub fn flux_into_metal<T: Scalar>(m: &Model, props: &Properties<T>, i: usize, k: usize) -> T {
    let n = m.mesh.len();
    let g = surface_conductance(m, props, m.layout.gases[i]);
    let half = props.d_gas[i * n + k].recip() * (0.5 * m.mesh.dx[k]);
    props.c_gas[i * n + k] * g / (g * half + 1.0)
}

/// Each transported gas flows into the metal at x = 0, forms its layer product and consumes
/// metal, in the stoichiometry of its reaction.
pub fn contribute<T: Scalar>(m: &Model, props: &Properties<T>, src: &mut Sources<T>) {
    for (i, gas) in m.layout.gases.iter().enumerate() {
        let j = flux_into_metal(m, props, i, 0);
        let r = &m.reactions[gas.index()];
        src.n_gas[2 * i + Face::First as usize] -= j;
        src.layer[gas.index()] += j * r.product_per_gas;
        src.metal -= j * r.metal_per_gas;
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
    }
}
