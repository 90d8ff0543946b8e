//! Corrosion of the metal by crossed gases, limited in series by transport to the metal,
//! through the surface layers and by the surface reaction.
//!
//! Reactions (lithium; one mole of gas gives):
//!
//! | gas | reaction | metal consumed | layer product |
//! |---|---|---|---|
//! | O2  | 4 Li + O2 -> 2 Li2O | 4 | 2 Li2O |
//! | H2O | 2 Li + 2 H2O -> 2 LiOH + H2 | 1 | 1 LiOH (+ 1/2 H2) |
//! | CO2 | 4 Li + 3 CO2 -> 2 Li2CO3 + C | 4/3 | 2/3 Li2CO3 (+ 1/3 C) |
//! | N2  | 6 Li + N2 -> 2 Li3N | 6 | 2 Li3N |
//!
//! Flux of gas g into the metal (resistances in series; the intact fraction 1 - f of the
//! surface is covered by the SEI, the cracked fraction f only by the protective layer):
//!
//!   1/G_intact = 1/k_g + L_SEI/P_SEI,g + L_layer/P_layer,g
//!   1/G_cracked = 1/k_g + L_layer/P_layer,g
//!   G = (1 - f) G_intact + f G_cracked
//!   J_g = c_g[0] / (1/G + (dx_0/2)/D_g,eff,0)
//!
//! (the last term is the electrolyte between the first volume centre and the metal). A
//! permeability of 0 blocks the gas. With the electrolyte path this is the series-resistance
//! flux of a gas through separator, SEI and layer; when the SEI dominates and thickens by its
//! own corrosion product it gives the parabolic law L^2 - L0^2 = 2 V_p nu_p P c t.

use crate::model::layout::SeiSpecies;
use crate::model::{Model, Workspace};
use crate::params::Gas;
use crate::scalar::Scalar;

/// Metal atoms consumed per gas molecule.
pub fn metal_per_gas(gas: Gas) -> f64 {
    match gas {
        Gas::O2 => 4.0,
        Gas::H2O => 1.0,
        Gas::CO2 => 4.0 / 3.0,
        Gas::N2 => 6.0,
    }
}

/// Layer product formula units per gas molecule.
pub fn product_per_gas(gas: Gas) -> f64 {
    match gas {
        Gas::O2 => 2.0,
        Gas::H2O => 1.0,
        Gas::CO2 => 2.0 / 3.0,
        Gas::N2 => 2.0,
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
    let layer = T::from(c.layer_thickness);
    for (i, gas) in l.gases.iter().enumerate() {
        let k = c.rate_constant.get(*gas);
        let p_layer = c.layer_permeability.get(*gas);
        let g_intact = conductance(
            k,
            &[
                (ws.sei_thickness, c.sei_permeability.get(*gas)),
                (layer, p_layer),
            ],
        );
        let g_cracked = conductance(k, &[(layer, p_layer)]);
        let g = (-ws.crack + 1.0) * g_intact + ws.crack * g_cracked;
        let half = ws.d_gas[i * n].recip() * (0.5 * m.mesh.dx[0]);
        let j = ws.c_gas[i * n] * g / (g * half + 1.0);
        ws.n_gas[i * (n + 1)] = -j;
        ws.corrosion[i] = j;
        out[r.start + SeiSpecies::from_gas(*gas) as usize] = j * product_per_gas(*gas);
        out[l.metal] -= j * metal_per_gas(*gas);
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
        // atom balance of each reaction: metal = valence-weighted product
        let metal_in_product = [2.0, 1.0, 2.0, 3.0];
        for (gas, mp) in Gas::ALL.iter().zip(metal_in_product) {
            assert!((metal_per_gas(*gas) - product_per_gas(*gas) * mp).abs() < 1e-12);
        }
    }
}
