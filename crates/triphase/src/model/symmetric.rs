//! Symmetric metal | separator | metal cell: the counter electrode at x = L_s and the gas that
//! reaches the electrolyte through the separator's open edge.
//!
//! The working electrode W at x = 0 is the anode of the metal-air model with every interface
//! mechanism (its ledger is the cell's anode ledger). The counter electrode C at x = L_s is
//! the same metal; positive current (a "discharge" step) strips W and plates C.
//!
//! Counter-electrode kinetics, with the interface values extrapolated over the last half
//! volume (N+ = i_app/F consumed, anion flux 0):
//!
//!   -i_app = a_f i0 [ exp(alpha f eta_C) - (c_e,L/c_0) exp(-(1 - alpha) f eta_C) ]
//!   eta_C  = phi_C - phi_e,L - U_a + i_app (R_anode + R_int)
//!   c_e,L   = c_e[n-1] - (1 - t+) i_app (dx/2) / (F D_eff)
//!   phi_e,L = phi_e[n-1] - i_app (dx/2)/kappa_eff + 2 (RT/F)(1 - t+) TF (ln c_e,L - ln c_e[n-1])
//!
//! Cell voltage V = phi_C - phi_W = phi_C (W is the reference), so V < 0 while W strips and the
//! energy integral of V i_app is the energy dissipated. The polarisation is |V|.
//!
//! Mirror assumption: C's surface layers (SEI, protective layer, cracked fraction) equal W's.
//! Over whole cycles each electrode strips and plates the same charge, so their layers see
//! the same history half a cycle apart. C corrodes by the same law as W (see
//! [`super::anode::corrosion`]) at its own interface concentrations, J_C,g = c_g[n-1] G_g /
//! (1 + G_g dx/(2 D_g,eff)); these fluxes and C's net metal gain are tracked so that metal,
//! O, H, C and N stay balanced. C's metal is not limited. Dendrites grow on C by the same
//! law as on W (see [`super::anode::morphology`]) while C plates; the cell shorts when
//! L_d,W + L_d,C reaches R_sep L_s.
//!
//! Gas access: with metal on both faces, gases enter through the separator edge at distance R
//! (the gas access radius). The slowest radial diffusion mode of a disk of radius R with
//! c = H p at its rim decays at j01^2 D_eff / (eps R^2) (j01 = 2.4048, first zero of J0), so
//! each control volume exchanges
//!
//!   S_g = j01^2 D_g,eff (H_g p_g - c_g) / R^2     [mol.m-3.s-1]
//!
//! and the uptake ledger is the integral of S_g over the separator.

use crate::constants::FARADAY;
use crate::model::anode::corrosion;
use crate::model::anode::plating;
use crate::model::workspace::{Face, Properties, Sources};
use crate::model::{Model, Workspace};
use crate::scalar::Scalar;

/// Square of the first zero of the Bessel function J0.
pub const J01_SQUARED: f64 = 2.404_825_557_695_773 * 2.404_825_557_695_773;

/// Salt concentration and electrolyte potential at the counter electrode (x = L_s).
pub fn interface<T: Scalar>(m: &Model, y: &[T], props: &Properties<T>) -> (T, T) {
    plating::interface_at(m, y, props, Face::Last)
}

/// Overpotential of the counter electrode whose electrolyte potential at its face is
/// `phi_face` \[V\]: eta_c = phi_C - phi_e,L - U_a + i_app R (its current is -i_app).
pub fn counter_overpotential<T: Scalar>(
    m: &Model,
    y: &[T],
    props: &Properties<T>,
    phi_face: T,
) -> T {
    let l = &m.layout;
    let c = l.counter.as_ref().expect("symmetric cell");
    let i_app = y[l.current];
    y[c.potential] - phi_face - m.params.anode.open_circuit_potential
        + i_app * plating::surface_resistance(m, props)
}

/// Boundary fluxes at x = L_s (ions into the counter electrode, gases into its corrosion), its
/// Butler–Volmer row, its metal and corrosion ledgers.
pub fn counter_electrode<T: Scalar>(
    m: &Model,
    y: &[T],
    props: &Properties<T>,
    src: &mut Sources<T>,
    out: &mut [T],
) {
    let l = &m.layout;
    let c = l.counter.as_ref().expect("symmetric cell");
    let i_app = y[l.current];
    src.i_e[Face::Last as usize] += i_app;
    src.n_salt[Face::Last as usize] += i_app / FARADAY;
    let (c_face, phi_face) = interface(m, y, props);
    let eta = counter_overpotential(m, y, props, phi_face);
    out[c.potential] = plating::metal_kinetics(m, eta, c_face) + i_app;
    let mut metal = i_app / FARADAY;
    if let Some(d) = c.dendrite {
        let surface = (c_face, phi_face);
        out[d] =
            super::anode::morphology::dendrite_rate(m, y, props, Face::Last, surface, eta, y[d]);
    }
    let n = m.mesh.len();
    for (i, gas) in l.gases.iter().enumerate() {
        let j = if m.options.corrosion && l.sei.is_some() {
            corrosion::flux_into_metal(m, props, i, n - 1)
        } else {
            T::from(0.0)
        };
        src.n_gas[2 * i + Face::Last as usize] += j;
        out[c.corrosion.start + i] = j;
        metal -= j * m.reactions[gas.index()].metal_per_gas;
    }
    out[c.metal] = metal;
}

/// Adds the edge exchange S_g to every gas balance and to the uptake ledgers.
pub fn edge_exchange<T: Scalar>(m: &Model, props: &Properties<T>, src: &mut Sources<T>) {
    let n = m.mesh.len();
    let rate = J01_SQUARED / m.params.geometry.gas_access_radius.powi(2);
    for (i, gas) in m.layout.gases.iter().enumerate() {
        let sat = m.params.saturation(*gas);
        for k in 0..n {
            let s = props.d_gas[i * n + k] * rate * (-props.c_gas[i * n + k] + sat);
            src.gas[i * n + k] += s;
            src.uptake[i] += s * m.mesh.dx[k];
        }
    }
}

/// Sets the counter potential of `y` so that its kinetics carry the current of `y` (a starting
/// guess; the consistent initialisation then solves it exactly).
pub fn align_counter(m: &Model, y: &mut [f64]) {
    let l = &m.layout;
    let Some(c) = l.counter.as_ref() else {
        return;
    };
    let mut ws = Workspace::<f64>::for_model(m);
    m.fill_properties(y, &mut ws.props);
    let i_app = y[l.current];
    let (c_face, phi_face) = interface(m, y, &ws.props);
    // the counter electrode's stripping current is -i_app
    let eta = plating::overpotential_for(m, -i_app, c_face);
    y[c.potential] = eta + phi_face + m.params.anode.open_circuit_potential
        - i_app * plating::surface_resistance(m, &ws.props);
}

/// Gas consumed by the counter electrode's corrosion [mol.m-2], per transported gas.
pub fn counter_corrosion(m: &Model, y: &[f64]) -> Vec<f64> {
    m.layout
        .counter
        .as_ref()
        .map_or(vec![0.0; m.layout.gases.len()], |c| {
            y[c.corrosion.clone()].to_vec()
        })
}
