//! The surface layers on the metal: the dense inner SEI (native + grown), the porous outer
//! corrosion scale, and an optional artificial protective layer.
//!
//! Composition states n_i [mol.m-2]: one per corrosion reaction of the metal (its solid
//! product, e.g. Li2O, LiOH, Li2CO3, Li3N; see [`super::corrosion`] and the reaction table of
//! [`crate::chemistry`]) and the organic SEI from solvent reduction, last. Each product joins
//! the layer its reaction names: the oxide, carbonate, nitride and the organic products form
//! the dense inner SEI; the hydroxide from water grows as a porous outer scale (water vapour
//! turns the passivating film on Li porous; Y. Li, ..., Y. Cui, Nano Lett. 2017). Each layer is
//! uniform:
//!
//!   L_SEI = L_SEI,0 + (sum_{i in SEI} n_i V_i - v_shed) / a_f
//!   L_scale = sum_{i in scale} n_i V_i / ((1 - eps_scale) a_f)
//!   R_anode = (rho_SEI (L_SEI + g L_ox) + rho_scale L_scale + rho_layer L_layer) / a_f
//!
//! (n_i per projected area; a_f the active area per projected area, 1 for a foil; R_anode is
//! added to the plating overpotential). L_ox is the O2-derived oxide still in the dense SEI,
//! whose resistivity is (1 + g) rho_SEI (the SEI formed in O2 is more resistive; see
//! [`super::oxygen_sei`]): shedding takes the grown SEI's mean composition, so
//!
//!   L_ox = n_ox V_ox (V_g - v_shed) / ((V_g + delta) a_f),   V_g = sum_{i in SEI} n_i V_i
//!
//! (delta = [`GROWN_VOLUME_OFFSET`] keeps it defined before any SEI has grown).
//!
//! Growth from solvent reduction (option `sei_growth = "solvent-diffusion"`; solvent diffuses
//! through the SEI to the metal, Pinson & Bazant, JES 160 (2013) A243; PyBaMM's
//! "solvent-diffusion limited" option) on the intact fraction, plus the SEI that heals cracks:
//!
//!   dn_org/dt = a_f [(1 - f) D_sol c_sol / L_SEI + k_heal f L_SEI,0 / V_org]
//!
//! consuming `m` metal atoms and one solvent molecule per organic unit (estimate).
//! Both terms are divided by 1 + b x where dissolved O2 takes part in SEI formation (x, see
//! [`super::oxygen_sei`]).
//!
//! Shedding: stripping leaves the SEI shell behind (Steiger et al., J. Power Sources 261 (2014)
//! 112), so the grown dense SEI is shed while the metal strips, one e-fold per renewal thickness
//! h_r of metal stripped, out of the ions' and gases' path into the porous interphase of dead
//! metal and SEI shells, whose resistance is neglected (its moles stay counted):
//!
//!   dv_shed/dt = (i_s V_M / (F a_f h_r)) (sum_{i in SEI} n_i V_i - v_shed),  L_SEI -= v_shed / a_f
//!
//! Cracking (option `sei_cracking`): metal thickness changes crack the intact SEI, cracks heal
//! at a first-order rate that additives raise, and the dense products of crossing gases that
//! react in a crack seal it (see [`super::corrosion`]):
//!
//!   df/dt = (1 - f) (|i_app| / a_f) V_M / (F L_crack) - k_heal f - s_corr

use crate::constants::FARADAY;
use crate::model::options::SeiGrowth;
use crate::model::workspace::{Properties, Sources};
use crate::model::Model;
use crate::params::Gas;
use crate::scalar::{positive_part, Scalar};

/// Molar volume of SEI constituent `s` [m3.mol-1]: the corrosion product of gas
/// `Gas::ALL[s]`, or the organic SEI (the last constituent).
pub fn molar_volume(m: &Model, s: usize) -> f64 {
    match m.reactions.get(s) {
        Some(r) => m.params.sei.product_molar_volume.get(r.gas),
        None => m.params.sei.organic_molar_volume,
    }
}

/// Index of the organic SEI among the constituents.
pub fn organic(m: &Model) -> usize {
    m.reactions.len()
}

/// Whether SEI constituent `s` joins the porous outer scale (else the dense inner SEI).
pub fn in_scale(m: &Model, s: usize) -> bool {
    m.reactions
        .get(s)
        .is_some_and(|r| r.layer == crate::chemistry::Layer::Scale)
}

/// Grown dense SEI volume [m3.m-2] added in the O2-derived oxide's share of it (numerical:
/// the share is 0/0 before any SEI has grown). 1e-15 m3 m-2 is a femtometre of SEI: the share
/// is exact to 1e-6 once a nanometre has grown.
pub const GROWN_VOLUME_OFFSET: f64 = 1e-15;

/// The layers' thicknesses from the composition \[m\].
#[derive(Debug, Clone, Copy)]
pub struct Thicknesses<T> {
    /// The dense inner SEI (native + grown - shed).
    pub sei: T,
    /// The O2-derived oxide in it (its share of the grown SEI still on the metal).
    pub sei_oxide: T,
    /// The porous outer corrosion scale.
    pub scale: T,
}

/// Thicknesses of the dense inner SEI, of its O2-derived oxide and of the porous outer
/// corrosion scale from the composition \[m\].
pub fn thicknesses<T: Scalar>(m: &Model, y: &[T]) -> Thicknesses<T> {
    let r = m.layout.sei.clone().expect("interface on");
    let mut grown = T::from(0.0);
    let mut oxide = T::from(0.0);
    let mut scale = T::from(0.0);
    for (s, i) in r.enumerate() {
        let v = y[i] * molar_volume(m, s);
        if in_scale(m, s) {
            scale += v;
        } else {
            grown += v;
            if m.reactions.get(s).is_some_and(|r| r.gas == Gas::O2) {
                oxide += v;
            }
        }
    }
    // dense SEI shed by stripping has left the metal (see `contribute`)
    let shed = m.layout.sei_shed.map_or(T::from(0.0), |i| y[i]);
    let a_f = m.params.anode.surface_area_factor;
    let kept = grown - shed;
    Thicknesses {
        sei: kept / a_f + m.params.sei.initial_thickness,
        sei_oxide: oxide * kept / ((grown + GROWN_VOLUME_OFFSET) * a_f),
        scale: scale / ((1.0 - m.params.corrosion.scale_porosity) * a_f),
    }
}

/// Fills the layer thickness, cracked fraction and layer resistance into the properties.
pub fn layer<T: Scalar>(m: &Model, y: &[T], props: &mut Properties<T>) {
    props.layers = thicknesses(m, y);
    props.crack = m.layout.crack.map_or(T::from(0.0), |i| y[i]);
    let [sei, scale, layer] = layers(m, &props.layers);
    props.r_anode = sei.1 + scale.1 + layer.1;
}

/// The dense SEI, the porous corrosion scale and the protective layer, each as (thickness \[m\],
/// ionic resistance per projected area [Ohm.m2]): R = rho L / a_f, the dense SEI's with its
/// O2-derived oxide at (1 + g) rho_SEI. They are in series; their sum is the layers'
/// resistance R_anode.
pub fn layers<T: Scalar>(m: &Model, l: &Thicknesses<T>) -> [(T, T); 3] {
    let c = &m.params.corrosion;
    let a_f = m.params.anode.surface_area_factor;
    let l_layer = T::from(c.layer_thickness);
    let r_sei = (l.sei + l.sei_oxide * m.params.sei.o2_resistivity_increase)
        * (m.params.sei.resistivity / a_f);
    [
        (l.sei, r_sei),
        (l.scale, l.scale * (c.scale_resistivity / a_f)),
        (l_layer, l_layer * (c.layer_resistivity / a_f)),
    ]
}

/// The layers' resistance R_anode of state `y` [Ohm.m2] (the interface submodel on).
pub fn resistance(m: &Model, y: &[f64]) -> f64 {
    layers(m, &thicknesses(m, y)).iter().map(|l| l.1).sum()
}

/// Organic-SEI growth (solvent diffusion on the intact fraction, healing of cracks), the
/// crack row, and the metal and solvent they consume.
pub fn contribute<T: Scalar>(m: &Model, y: &[T], props: &Properties<T>, src: &mut Sources<T>) {
    let l = &m.layout;
    let p = &m.params.sei;
    let intact = -props.crack + 1.0;
    let mut growth = T::from(0.0);
    if m.options.sei_growth == SeiGrowth::SolventDiffusion {
        growth +=
            intact * (p.solvent_diffusivity * m.params.solvent.concentration) / props.layers.sei;
    }
    if l.crack.is_some() {
        growth += props.crack * (p.healing_rate * p.initial_thickness / p.organic_molar_volume);
        let i_abs =
            crate::scalar::smooth_abs(y[l.current], 1e-6) / m.params.anode.surface_area_factor;
        src.crack +=
            intact * i_abs * (m.params.anode.metal_molar_volume / (FARADAY * p.cracking_length))
                - props.crack * p.healing_rate;
    }
    // stripping sheds the grown dense SEI off the metal: the metal under it leaves, its SEI
    // shell stays behind (Steiger, Kramer, Moenig, J. Power Sources 261 (2014) 112), one e-fold
    // per renewal thickness h_r of metal stripped. The grown dense SEI still on the metal, per
    // projected area, is (L_SEI - L_SEI,0) a_f.
    if l.sei_shed.is_some() {
        let a_f = m.params.anode.surface_area_factor;
        let grown = (props.layers.sei - p.initial_thickness) * a_f;
        src.sei_shed += positive_part(y[l.current])
            * grown
            * (m.params.anode.metal_molar_volume / (FARADAY * a_f * p.renewal_thickness));
    }
    // the O2-derived SEI is more passivating (see super::oxygen_sei)
    let growth =
        growth * m.params.anode.surface_area_factor * super::oxygen_sei::loss_factor(m, props);
    src.layer[organic(m)] += growth;
    src.metal -= growth * p.metal_per_organic;
    src.solvent -= growth;
}
