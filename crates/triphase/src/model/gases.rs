//! Dissolved gases (O2 and, when transported, H2O, CO2, N2): diffusion in the pores, Henry's
//! law at the gas boundary, O2 consumed by the ORR, all gases consumed at the metal by
//! corrosion (see [`super::anode::corrosion`]).
//!
//! For each gas g:
//! - flux:     N_g = -D_g,eff dc_g/dx,   D_g,eff = eps^b D_g
//! - balance:  d(eps c_g)/dt = -dN_g/dx + S_g   (S_O2 = a i_c / (n F) from the ORR, and the
//!   sources of other mechanisms)
//! - gas side (metal-air cells, [`gas_supply`]): the gas phase (well mixed, fixed composition)
//!   is at Henry equilibrium H_g p_g with the liquid at the outer face, reached through the half
//!   volume next to it and a gas-side mass-transfer resistance R_gl in series (0 by default:
//!   c_g(L) = H_g p_g; a finite R_gl gives a finite-rate uptake):
//!   N_g(L) = -(H_g p_g - c_g,last) / (dx/(2 D_g,eff) + R_gl)
//! - metal side: N_g(0) = -J_g, the corrosion flux into the metal (0 without corrosion)
//! - uptake ledger: dn_g/dt = -N_g(L), the gas drawn from the gas phase (DEMS measures O2)
//! - a sealed headspace of volume V_h (`gas_boundary = "headspace"`, [`boundary_saturation`]):
//!   the ideal gas above the cathode loses what the cell draws, p_g = p_g,0 - R T A n_g / V_h
//!   with n_g the gas drawn per electrode area A (O2: less what the cathode vented back)
//!
//! Water uptake from humid air is the H2O entry of this balance. Initially the electrolyte
//! holds the "Initial O2 saturation [-]" fraction of the O2 saturation (1 by default) and none
//! of the other gases (cells are assembled dry, under argon).

use super::options::GasBoundary;
use super::transport::face_conductance;
use super::workspace::{Properties, Sources};
use super::Model;
use crate::constants::GAS_CONSTANT;
use crate::scalar::Scalar;

/// Gas number `i` drawn from the gas phase [mol.m-2]: its uptake ledger less, for O2, what the
/// cathode vented back ([`outgassing`]).
pub fn drawn<T: Scalar>(m: &Model, y: &[T], i: usize) -> T {
    let l = &m.layout;
    let mut n = y[l.uptake_of(i)];
    if i == 0 {
        match &l.vent_total {
            Some(r) => n -= y[r.end - 1],
            None => {
                for k in l.o2_vented.clone() {
                    n -= y[k];
                }
            }
        }
    }
    n
}

/// Pressure drop of the headspace per mole of gas drawn per electrode area, R T A / V_h
/// [Pa.m2.mol-1]; 0 for a gas phase of fixed composition.
pub fn headspace_pressure_per_drawn(m: &Model) -> f64 {
    let p = &m.params;
    match m.options.gas_boundary {
        GasBoundary::Headspace => {
            GAS_CONSTANT * p.temperature * p.geometry.electrode_area / p.oxygen.headspace_volume
        }
        GasBoundary::Sealed | GasBoundary::Open => 0.0,
    }
}

/// Partial pressure of gas `i` in the gas phase \[Pa\]: fixed, or in a sealed headspace
/// p_g = p_g,0 - R T A n_g / V_h.
pub fn partial_pressure<T: Scalar>(m: &Model, y: &[T], i: usize) -> T {
    let p0 = m.params.partial_pressure(m.layout.gases[i]);
    -drawn(m, y, i) * headspace_pressure_per_drawn(m) + p0
}

/// Henry saturation of gas `i` at the gas boundary, H_g p_g [mol.m-3].
pub fn boundary_saturation<T: Scalar>(m: &Model, y: &[T], i: usize) -> T {
    let gas = m.layout.gases[i];
    match m.options.gas_boundary {
        // no dependence on the ledgers: they would couple the boundary to every vent state
        GasBoundary::Sealed | GasBoundary::Open => T::from(m.params.saturation(gas)),
        GasBoundary::Headspace => partial_pressure(m, y, i) * m.params.henry(gas),
    }
}

/// Gas fluxes on the interior faces.
pub fn interior_fluxes<T: Scalar>(m: &Model, props: &mut Properties<T>) {
    let n = m.mesh.len();
    for i in 0..m.layout.gases.len() {
        let c = i * n;
        let f = i * (n + 1);
        for k in 1..n {
            let g = face_conductance(
                m.mesh.dx[k - 1],
                props.d_gas[c + k - 1],
                m.mesh.dx[k],
                props.d_gas[c + k],
            );
            props.n_gas[f + k] = -g * (props.c_gas[c + k] - props.c_gas[c + k - 1]);
        }
    }
}

/// The gas side of a metal-air cell: each gas enters at the Dirichlet boundary c = H p through
/// the half volume next to it, and its uptake ledger counts what enters.
pub fn gas_supply<T: Scalar>(
    m: &Model,
    y: &[T],
    props: &Properties<T>,
    src: &mut Sources<T>,
    out: &mut [T],
) {
    let n = m.mesh.len();
    let last = n - 1;
    for i in 0..m.layout.gases.len() {
        let c = i * n;
        let csat = boundary_saturation(m, y, i);
        let resistance = (props.d_gas[c + last] * 2.0 / m.mesh.dx[last]).recip()
            + m.params.oxygen.gas_side_resistance;
        let flux = -(-props.c_gas[c + last] + csat) / resistance;
        src.n_gas[2 * i + 1] += flux;
        src.uptake[i] -= flux;
    }
    // running sums of the vent ledgers for the headspace: S_j - S_(j-1) - v_j = 0
    if let Some(r) = m.layout.vent_total.clone() {
        let v = m.layout.o2_vented.start;
        for (j, row) in r.enumerate() {
            let before = if j == 0 { T::from(0.0) } else { y[row - 1] };
            out[row] = y[row] - before - y[v + j];
        }
    }
}

/// O2 above saturation in the cathode leaves as gas (bubbles nucleate on the carbon of the gas
/// electrode and vent to the gas side):
///
///   r_og = k_og eps softplus(c_O2 - 1.01 c_sat, 1e-3 c_sat)   [mol m-3 s-1]
///
/// (bubbles need a small supersaturation to nucleate, 1 % here (estimate); at saturation the
/// sink is below 1e-7 of its scale, so a cell at rest does not vent)
/// a sink of dissolved O2 in each cathode volume; the O2 goes to the gas phase, counted per
/// volume in the `o2_vented` ledgers (the O2 drawn from the gas is the uptake less what was
/// vented, [`Model::gas_drawn`]), so the O2 balance still closes.
/// Without it the O2 evolved on charge accumulates in solution (to ~1.8 c_sat at 0.2 mA cm-2).
pub fn outgassing<T: Scalar>(
    m: &Model,
    y: &[T],
    props: &Properties<T>,
    src: &mut Sources<T>,
    out: &mut [T],
) {
    let k_og = m.params.oxygen.outgassing_rate_constant;
    let csat = boundary_saturation(m, y, 0);
    for j in 0..m.mesh.n_cat {
        let k = m.cat(j);
        let excess = crate::scalar::softplus(
            props.c_gas[k] - csat * 1.01,
            1e-3 * m.params.o2_saturation(),
        );
        let rate = props.eps[k] * excess * k_og;
        src.gas[k] -= rate;
        out[m.layout.o2_vented.start + j] = rate * m.mesh.dx[k];
    }
}

/// Gas balance rows and the uptake ledgers.
pub fn assemble<T: Scalar>(m: &Model, props: &Properties<T>, src: &Sources<T>, out: &mut [T]) {
    let l = &m.layout;
    let n = m.mesh.len();
    for i in 0..l.gases.len() {
        let f0 = i * (n + 1);
        let boundary = [src.n_gas[2 * i], src.n_gas[2 * i + 1]];
        for k in 0..n {
            let n_in = super::electrolyte::on_face(&props.n_gas[f0..f0 + n + 1], &boundary, k, n);
            let n_out =
                super::electrolyte::on_face(&props.n_gas[f0..f0 + n + 1], &boundary, k + 1, n);
            out[l.gas_at(i, k)] = -(n_out - n_in) / m.mesh.dx[k] + src.gas[i * n + k];
        }
        out[l.uptake_of(i)] = src.uptake[i];
    }
}
