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
//! surface is covered by the dense SEI, the cracked fraction f is not; the porous outer scale
//! and the protective layer cover both):
//!
//!   1/G_intact = 1/k_g + L_SEI/P_SEI,g + L_scale/P_scale,g + L_layer/P_layer,g
//!   1/G_cracked = 1/k_g + L_scale/P_scale,g + L_layer/P_layer,g
//!   G = a_f [(1 - f) G_intact + f G_cracked]
//!
//! (a_f: active area per projected area, > 1 for 3D hosts, which expose more metal)
//!   J_g = c_g\[0\] / (1/G + (dx_0/2)/D_g,eff,0)
//!
//! (the last term is the electrolyte between the first volume centre and the metal). A
//! permeability of 0 blocks the gas. N2 reacts only where water catalyses it (dry N2 does not
//! nitride Li at room temperature, moist air does; Markowitz & Boryta, J. Chem. Eng. Data
//! (1962), doi:10.1021/je60015a047): k_N2,eff = k_N2 c_w,0/(c_w,0 + c*), c_w,0 the dissolved
//! water next to the metal. With the electrolyte path this is the series-resistance flux of a
//! gas through separator, layers and reaction; a layer that thickens by its own corrosion
//! product gives the parabolic law L^2 - L0^2 = 2 V_p nu_p P c t (the hydroxide
//! scale: water through LiOH on Li is diffusion limited, Otero et al., Appl. Surf. Sci. 2016).
//! The same series law carries the oxidised redox mediator to the metal
//! ([`crate::model::mediator`]): one crack model for every crossing species.
//!
//! A dense product formed in a crack seals it (O2 on fresh Li forms a uniform passivating
//! film, Y. Li, ..., Y. Cui, Nano Lett. 2017): the cracked part of the flux,
//! J_g,c = c_g\[0\] a_f f G_cracked / (G (dx_0/2)/D + 1), fills cracks to the native SEI
//! thickness,
//!
//!   s_corr = sum_{g: product in the SEI} J_g,c nu_p V_p / (a_f L_SEI,0)   [s-1]
//!
//! which is subtracted from the crack rate (see [`super::sei`]). The porous hydroxide seals
//! nothing.

use crate::chemistry::Layer;
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

/// How a crossing species passes the anode's surface: the rate constant on bare metal [m.s-1]
/// and its permeabilities [m2.s-1] of the dense SEI (`None`: no SEI submodel), the outer scale
/// and the protective layer.
#[derive(Debug, Clone, Copy)]
pub struct Crossing {
    /// Rate constant of its reaction with bare metal [m.s-1].
    pub rate_constant: f64,
    /// Permeability of the dense inner SEI [m2.s-1] (`None` when the SEI is not modelled).
    pub sei: Option<f64>,
    /// Permeability of the porous outer scale [m2.s-1].
    pub scale: f64,
    /// Permeability of the protective layer [m2.s-1].
    pub layer: f64,
    /// Water catalyses the reaction (the reaction table's `catalyst = "H2O"`): its rate
    /// constant is k c_w/(c_w + c*) with the dissolved water c_w next to the metal and this c*
    /// [mol.m-3]; no water, no reaction.
    pub water_catalysed: Option<f64>,
}

impl Crossing {
    /// A transported gas.
    pub fn gas(m: &Model, gas: Gas) -> Self {
        let c = &m.params.corrosion;
        Self {
            rate_constant: c.rate_constant.get(gas),
            sei: Some(c.sei_permeability.get(gas)),
            scale: c.scale_permeability.get(gas),
            layer: c.layer_permeability.get(gas),
            water_catalysed: m
                .reactions
                .iter()
                .find(|r| r.gas == gas)
                .and_then(|r| r.catalyst)
                .map(|_| c.n2_water_catalysis_concentration),
        }
    }
}

/// Conductances per metal area of the intact and of the cracked surface next to control volume
/// `k` to a crossing species [m.s-1]: (G_intact, G_cracked).
pub fn conductances<T: Scalar>(m: &Model, props: &Properties<T>, x: &Crossing, k: usize) -> (T, T) {
    stack_conductances(m, props, x, k, true)
}

/// Conductance per metal area of the whole surface, the intact and the cracked fraction f in
/// parallel [m.s-1]: (1 - f) G_intact + f G_cracked.
pub fn surface_conductance<T: Scalar>(props: &Properties<T>, (g_intact, g_cracked): (T, T)) -> T {
    (-props.crack + 1.0) * g_intact + props.crack * g_cracked
}

/// The part of a crossing species' flux into the metal next to control volume `k` that the
/// protective layer lets through, against the same surface without the layer [-]:
///
///   T = [(1 - f) G_intact + f G_cracked] / [the same without L_layer/P_layer]
///
/// 1 exactly without a layer (and where nothing passes even without it).
pub fn layer_transmission<T: Scalar>(
    m: &Model,
    props: &Properties<T>,
    x: &Crossing,
    k: usize,
) -> T {
    let with = surface_conductance(props, stack_conductances(m, props, x, k, true));
    let without = surface_conductance(props, stack_conductances(m, props, x, k, false));
    // no branch on the value (the Jacobian's pattern is found by pushing NaN through): 1e-300
    // m s-1 is far below any conductance and makes 0/0 (nothing passes either way) 1
    (with + 1e-300) / (without + 1e-300)
}

/// [`conductances`], with or without the protective layer in the stack.
fn stack_conductances<T: Scalar>(
    m: &Model,
    props: &Properties<T>,
    x: &Crossing,
    k: usize,
    with_layer: bool,
) -> (T, T) {
    // water catalysis as a series term: 1/(k c_w/(c_w + c*)) = 1/k + (c*/c_w)/k
    let catalysis = match x.water_catalysed {
        None => (T::from(0.0), f64::INFINITY),
        Some(c_star) => match m.layout.gas_index(Gas::H2O) {
            Some(w) => {
                let c_w = crate::scalar::floor(props.c_gas[w * m.mesh.len() + k], 1e-12);
                (c_w.recip() * c_star, x.rate_constant)
            }
            None => (T::from(1.0), 0.0),
        },
    };
    let layer = (
        T::from(m.params.corrosion.layer_thickness),
        if with_layer && m.params.corrosion.layer_thickness > 0.0 {
            x.layer
        } else {
            f64::INFINITY
        },
    );
    let scale = (props.layers.scale, x.scale);
    let g_cracked = conductance(x.rate_constant, &[catalysis, scale, layer]);
    let g_intact = match x.sei {
        Some(p) => conductance(
            x.rate_constant,
            &[catalysis, (props.layers.sei, p), scale, layer],
        ),
        None => g_cracked,
    };
    (g_intact, g_cracked)
}

/// Flux of transported gas number `i` into a metal surface next to control volume `k`
/// [mol.m-2.s-1]: J = c_g\[k\] / (1/G + (dx_k/2)/D_g,eff,k).
pub fn flux_into_metal<T: Scalar>(m: &Model, props: &Properties<T>, i: usize, k: usize) -> T {
    fluxes_into_metal(m, props, i, k).0
}

/// Flux of a crossing species into a metal surface next to control volume `k` and its parts
/// into the cracked and through the intact fraction [mol.m-2.s-1], for its concentration `c`
/// [mol.m-3] and effective diffusivity `d` [m2.s-1] in that volume:
/// J = c / (1/G + (dx_k/2)/d), split by the surface conductances at the concentration
/// c_s = J / G on the outer surface of the layers.
pub fn into_metal<T: Scalar>(
    m: &Model,
    props: &Properties<T>,
    x: &Crossing,
    k: usize,
    c: T,
    d: T,
) -> IntoMetal<T> {
    let a_f = m.params.anode.surface_area_factor;
    let (g_intact, g_cracked) = conductances(m, props, x, k);
    let g = surface_conductance(props, (g_intact, g_cracked)) * a_f;
    let half = d.recip() * (0.5 * m.mesh.dx[k]);
    // concentration at the outer surface of the layers
    let c_surface = c / (g * half + 1.0);
    IntoMetal {
        total: c_surface * g,
        cracked: c_surface * props.crack * g_cracked * a_f,
        intact: c_surface * (-props.crack + 1.0) * g_intact * a_f,
    }
}

/// A crossing species' flux into the metal and its parts [mol.m-2.s-1] ([`into_metal`]).
#[derive(Debug, Clone, Copy)]
pub struct IntoMetal<T> {
    /// Into the whole surface.
    pub total: T,
    /// Into the cracked fraction (bare metal).
    pub cracked: T,
    /// Through the intact SEI.
    pub intact: T,
}

/// Rate at which a dense corrosion product formed in the cracks seals them [s-1]: the cracked
/// part `j_cracked` [mol.m-2.s-1] of the flux of a species that forms gas `gas`'s SEI product,
/// s_corr = J_g,c nu_p V_p / (a_f L_SEI,0) (0 for a product outside the dense SEI).
pub fn sealing<T: Scalar>(m: &Model, gas: Gas, j_cracked: T) -> T {
    let r = &m.reactions[gas.index()];
    if r.layer != Layer::Sei {
        return j_cracked * 0.0;
    }
    let p = &m.params;
    j_cracked
        * (r.product_per_gas * p.sei.product_molar_volume.get(gas)
            / (p.anode.surface_area_factor * p.sei.initial_thickness))
}

/// Flux of transported gas number `i` into a metal surface next to control volume `k`, and its
/// part into the cracked fraction [mol.m-2.s-1].
fn fluxes_into_metal<T: Scalar>(m: &Model, props: &Properties<T>, i: usize, k: usize) -> (T, T) {
    let n = m.mesh.len();
    let f = into_metal(
        m,
        props,
        &Crossing::gas(m, m.layout.gases[i]),
        k,
        props.c_gas[i * n + k],
        props.d_gas[i * n + k],
    );
    (f.total, f.cracked)
}

/// Each transported gas flows into the metal at x = 0, forms its layer product and consumes
/// metal, in the stoichiometry of its reaction; a dense product formed in a crack seals it.
pub fn contribute<T: Scalar>(m: &Model, props: &Properties<T>, src: &mut Sources<T>) {
    let seal = m.layout.crack.is_some();
    for (i, gas) in m.layout.gases.iter().enumerate() {
        let (j, j_cracked) = fluxes_into_metal(m, props, i, 0);
        let r = &m.reactions[gas.index()];
        src.n_gas[2 * i + Face::First as usize] -= j;
        src.layer[gas.index()] += j * r.product_per_gas;
        src.metal -= j * r.metal_per_gas;
        if seal {
            src.crack -= sealing(m, *gas, j_cracked);
        }
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
