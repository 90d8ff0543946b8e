//! Dissolved superoxide (option `dissolved_superoxide`): the solution route of O2 reduction,
//! and the superoxide that crosses to the metal.
//!
//! A share chi_s of the product-forming O2 reduction in each cathode volume forms the
//! superoxide ion pair in solution (O2 + M+ + e- -> MO2(sol)) instead of product on the
//! surface; the dissolved MO2 diffuses (neutral ion pair: no migration) and decays to the
//! discharge product M_nO2 (n its electrons per O2), first order with lifetime tau_s:
//!
//!   d(eps c_s)/dt = -dN_s/dx + g - eps c_s / tau_s,   N_s = -D_s,eff dc_s/dx,
//!   D_s,eff = eps^b D_s,   g = -chi_s min_w(a i_form) / F
//!
//! (a i_form the volumetric current that forms product, min_w its smooth reduction part as
//! for the parasitic current, [`super::cathode::parasitic::smooth_reduction`]; on the
//! reduction side of the product reaction's switch only). Each MO2 that decays gives 1/n
//! product units and releases 1 - 1/n O2 (n = 2: 2 LiO2 -> Li2O2 + O2; n = 1: NaO2 and KO2
//! precipitate): with chi_s on, a discharge still draws n electrons per O2 once the dissolved
//! superoxide has decayed. In the cathode the product joins the volume's product as
//! particles (it precipitates from solution: it never joins the passivating film of
//! [`super::cathode::growth`]); in the separator it is counted per volume (it does not clog
//! the separator: assumption, the amounts are small). First order is an assumption: the disproportionation
//! 2 LiO2 -> Li2O2 + O2 is second order, and tau_s stands for its time at the superoxide
//! concentrations of a discharge; it gives the diffusion length
//! l_s = sqrt(D_s,eff tau_s / eps) over which the superoxide reaches beyond the volume that
//! formed it (~5.7 um in a Celgard separator at the base values).
//!
//! At the metal (x = 0, with the anode's interface submodel; otherwise the face is closed)
//! the superoxide crosses the anode's layers by the crossing law of the gases and the
//! mediator ([`super::anode::corrosion`]: the dense SEI on the intact fraction, the outer scale
//! and the protective layer everywhere, bare metal in the cracks), with its own rate constant
//! on bare metal and the layers' O2 permeabilities (assumption: the O2- anion is the size of
//! O2):
//!
//!   J_s = c_s,0 / (1/G + (dx_0/2)/D_s,eff,0),  G = a_f [(1 - f) G_intact + f G_cracked]
//!
//! and is reduced by the metal to the metal's oxide of O2 corrosion (Li2O, Na2O2, KO2):
//! MO2 + (m_O2 - 1) M -> the products of one O2, m_O2 the metal atoms one O2 takes
//! (4 Li, 2 Na, 1 K). The crossing superoxide thus costs m_O2 - 1 metal atoms (3 Li, 1 Na,
//! 0 K); its own cation and O2 join the layer. Its product seals cracks as O2's does. The
//! metal it consumes is the ledger `superoxide`; the O2 corrosion ledger counts only the
//! gas's own.

use super::anode::corrosion::{self, Crossing};
use super::transport::face_conductance;
use super::workspace::{Properties, Sources};
use super::Model;
use crate::params::Gas;
use crate::scalar::{pow, Scalar};

/// Effective superoxide diffusivity in a volume with liquid fraction `eps` [m2.s-1].
fn d_eff<T: Scalar>(m: &Model, eps: T) -> T {
    pow(eps, m.params.geometry.bruggeman) * m.params.superoxide.diffusivity
}

/// How the superoxide crosses the anode's layers: its own rate constant on bare metal and the
/// O2 permeabilities of the layers.
fn crossing(m: &Model) -> Crossing {
    Crossing {
        rate_constant: m.params.superoxide.rate_constant,
        ..Crossing::gas(m, Gas::O2)
    }
}

/// Flux of dissolved superoxide into the metal at x = 0 and its part into the cracked
/// fraction [mol.m-2.s-1] (0 without the anode's interface submodel: closed face).
fn into_metal<T: Scalar>(m: &Model, y: &[T], props: &Properties<T>) -> (T, T) {
    let r = m.layout.superoxide.as_ref().expect("superoxide on");
    let zero = y[r.start] * 0.0;
    if m.layout.superoxide_crossed.is_none() || m.params.superoxide.rate_constant == 0.0 {
        return (zero, zero);
    }
    let f = corrosion::into_metal(
        m,
        props,
        &crossing(m),
        0,
        y[r.start] / props.eps[0],
        d_eff(m, props.eps[0]),
    );
    (f.total, f.cracked)
}

/// Rate at which superoxide forms in solution in a cathode volume [mol.m-3.s-1] from the
/// volumetric current `forming` that forms product there [A.m-3] (< 0 on reduction) and the
/// reduction side of the product reaction's switch (1 below the local equilibrium).
pub fn formation<T: Scalar>(m: &Model, forming: T, reduction_side: T) -> T {
    // the reduction part, rounded over 1e-3 A m-2 of the cathode (as the parasitic current)
    let width = 1e-3 / m.params.geometry.cathode_thickness;
    -super::cathode::parasitic::smooth_reduction(forming, width)
        * reduction_side
        * (m.params.superoxide.solution_fraction / crate::constants::FARADAY)
}

/// Transport, decay and crossing of the dissolved superoxide: adds its rate of change per
/// volume to `src.superoxide` (the formation is added by the cathode kinetics), the product
/// and O2 of its decay, the separator deposit rows, and at the metal the metal consumed, the
/// layer product, the cracks it seals and the `superoxide` ledger row.
pub fn contribute<T: Scalar>(
    m: &Model,
    y: &[T],
    props: &Properties<T>,
    src: &mut Sources<T>,
    out: &mut [T],
) {
    let l = &m.layout;
    let r = l.superoxide.clone().expect("superoxide on");
    let p = &m.params;
    let n = m.mesh.len();
    let n_sep = m.mesh.n_sep;
    let n_e = p.cathode.electrons_per_o2;
    let (j_metal, j_cracked) = into_metal(m, y, props);
    // flux in +x on face f: -J at the metal, closed at the gas side
    let mut left = -j_metal;
    for k in 0..n {
        let right = if k + 1 < n {
            let g = face_conductance(
                m.mesh.dx[k],
                d_eff(m, props.eps[k]),
                m.mesh.dx[k + 1],
                d_eff(m, props.eps[k + 1]),
            );
            -g * (y[r.start + k + 1] / props.eps[k + 1] - y[r.start + k] / props.eps[k])
        } else {
            y[r.start] * 0.0
        };
        let decay = y[r.start + k] / p.superoxide.lifetime;
        src.superoxide[k] += -(right - left) / m.mesh.dx[k] - decay;
        // O2 is gas 0 of the layout
        src.gas[k] += decay * (1.0 - 1.0 / n_e);
        if k >= n_sep {
            let grown = decay * (p.cathode.product_molar_volume / n_e);
            src.product[k - n_sep] += grown;
            src.particles[k - n_sep] += grown;
        } else {
            let dep = l.superoxide_deposit.as_ref().expect("with superoxide");
            out[dep.start + k] = decay / n_e;
        }
        left = right;
    }
    if let Some(i) = l.superoxide_crossed {
        let o2 = &m.reactions[Gas::O2.index()];
        src.metal -= j_metal * (o2.metal_per_gas - 1.0);
        src.layer[Gas::O2.index()] += j_metal * o2.product_per_gas;
        if l.crack.is_some() {
            src.crack -= corrosion::sealing(m, Gas::O2, j_cracked);
        }
        out[i] = j_metal;
    }
}
