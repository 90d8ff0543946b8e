//! Scratch space of one residual evaluation: the properties every mechanism reads (filled from
//! the state first) and the source terms the mechanisms add to (assembled into the shared rows
//! last). No allocation happens during an evaluation.

use super::anode::sei::Thicknesses;
use super::Model;
use crate::scalar::Scalar;

/// Which boundary face of the electrolyte domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    /// x = 0: the metal anode (the working electrode of a symmetric cell).
    First = 0,
    /// x = L: the gas side (metal-air cell) or the counter electrode (symmetric cell).
    Last = 1,
}

/// Properties computed from the state before any mechanism runs. Mechanisms only read them.
#[derive(Debug, Clone)]
pub struct Properties<T> {
    /// Liquid volume fraction of each control volume.
    pub eps: Vec<T>,
    /// Salt concentration c_e [mol.m-3].
    pub c_e: Vec<T>,
    /// ln c_e.
    pub ln_c: Vec<T>,
    /// Dissolved gas concentrations [mol.m-3], gas-major (gas i volume k at i n + k).
    pub c_gas: Vec<T>,
    /// Effective salt diffusivity [m2.s-1].
    pub d_e: Vec<T>,
    /// Effective ionic conductivity [S.m-1].
    pub kappa: Vec<T>,
    /// Effective gas diffusivities [m2.s-1], gas-major.
    pub d_gas: Vec<T>,
    /// Liquid fraction of the pores [-] (1 without electrolyte loss).
    pub liquid: T,
    /// Thicknesses of the metal's surface layers \[m\]: dense SEI (the initial thickness
    /// without the interface submodel), its O2-derived oxide and the corrosion scale (0
    /// without it).
    pub layers: Thicknesses<T>,
    /// Cracked SEI fraction [-].
    pub crack: T,
    /// Ionic resistance of the anode surface layers [Ohm.m2].
    pub r_anode: T,
    /// Ionic current on the interior faces 1..n-1 [A.m-2] (boundary faces: see [`Sources`]).
    pub i_e: Vec<T>,
    /// Cation molar flux on the interior faces [mol.m-2.s-1].
    pub n_salt: Vec<T>,
    /// Gas molar fluxes on the interior faces [mol.m-2.s-1], gas-major (gas i face f at
    /// i (n+1) + f).
    pub n_gas: Vec<T>,
    /// Mediator concentrations, reduced (0..n) then oxidised (n..2n) [mol.m-3].
    pub c_rm: Vec<T>,
    /// Effective mediator diffusivity per volume [m2.s-1].
    pub d_rm: Vec<T>,
    /// Mediator fluxes on the interior faces, reduced (0..=n) then oxidised (n+1..=2n+1)
    /// [mol.m-2.s-1].
    pub n_rm: Vec<T>,
}

/// Source terms and boundary fluxes that mechanisms add to. Every shared row (salt, charge,
/// gases, product, metal, SEI constituents, solvent, gas uptake) is assembled once from these,
/// so the order in which mechanisms run does not matter.
#[derive(Debug, Clone)]
pub struct Sources<T> {
    /// Cation source per volume [mol.m-3.s-1].
    pub salt: Vec<T>,
    /// Volumetric current transferred from the electrolyte to the carbon, a i (positive =
    /// oxidation) [A.m-3]: di_e/dx = a i, di_s/dx = -a i.
    pub charge: Vec<T>,
    /// Dissolved-gas source per volume [mol.m-3.s-1], gas-major.
    pub gas: Vec<T>,
    /// Rate of change of the discharge-product volume fraction per cathode volume [s-1].
    pub product: Vec<T>,
    /// The part of `product` that precipitates from solution as particles [s-1] (dissolved
    /// superoxide's decay): it never joins the passivating film.
    pub particles: Vec<T>,
    /// Rate of change of each SEI constituent [mol.m-2.s-1] (corrosion products in
    /// [`crate::params::Gas::ALL`] order, then the organic SEI).
    pub layer: Vec<T>,
    /// Rate of change of the cracked SEI fraction [s-1] (cracking, healing, sealing by dense
    /// corrosion products).
    pub crack: T,
    /// Rate at which dense SEI is shed off the metal [m3.m-2.s-1].
    pub sei_shed: T,
    /// Rate of change of the connected metal inventory [mol.m-2.s-1].
    pub metal: T,
    /// Rate of change of the solvent inventory [mol.m-2.s-1].
    pub solvent: T,
    /// Gas drawn from the gas phase per transported gas [mol.m-2.s-1].
    pub uptake: Vec<T>,
    /// Rate of change of the dissolved superoxide per volume, d(eps c_s)/dt [mol.m-3.s-1]
    /// (formation, transport and decay; with `dissolved_superoxide`).
    pub superoxide: Vec<T>,
    /// Ionic current on the boundary faces, in the +x direction [A.m-2], by [`Face`].
    pub i_e: [T; 2],
    /// Cation flux on the boundary faces, +x [mol.m-2.s-1], by [`Face`].
    pub n_salt: [T; 2],
    /// Gas fluxes on the boundary faces, +x [mol.m-2.s-1]: gas i at `2 i + face`.
    pub n_gas: Vec<T>,
}

impl<T: Scalar> Sources<T> {
    fn new(n: usize, n_cat: usize, n_gas: usize, n_layer: usize) -> Self {
        let z = T::from(0.0);
        Self {
            salt: vec![z; n],
            charge: vec![z; n],
            gas: vec![z; n * n_gas],
            product: vec![z; n_cat],
            particles: vec![z; n_cat],
            layer: vec![z; n_layer],
            crack: z,
            sei_shed: z,
            metal: z,
            solvent: z,
            uptake: vec![z; n_gas],
            superoxide: vec![z; n],
            i_e: [z; 2],
            n_salt: [z; 2],
            n_gas: vec![z; 2 * n_gas],
        }
    }

    /// Sets every term to zero (start of an evaluation).
    pub fn clear(&mut self) {
        let z = T::from(0.0);
        for v in [
            &mut self.salt,
            &mut self.charge,
            &mut self.gas,
            &mut self.product,
            &mut self.particles,
            &mut self.layer,
            &mut self.uptake,
            &mut self.superoxide,
            &mut self.n_gas,
        ] {
            v.iter_mut().for_each(|x| *x = z);
        }
        self.crack = z;
        self.sei_shed = z;
        self.metal = z;
        self.solvent = z;
        self.i_e = [z; 2];
        self.n_salt = [z; 2];
    }

    /// Flux of transported gas `i` out of the electrolyte into the surface at `face`
    /// [mol.m-2.s-1] (positive = consumed there).
    pub fn gas_into(&self, i: usize, face: Face) -> T {
        match face {
            Face::First => -self.n_gas[2 * i],
            Face::Last => self.n_gas[2 * i + 1],
        }
    }
}

/// Scratch space for one residual evaluation.
#[derive(Debug, Clone)]
pub struct Workspace<T> {
    /// Properties from the state.
    pub props: Properties<T>,
    /// Source terms added by the mechanisms.
    pub src: Sources<T>,
}

impl<T: Scalar> Workspace<T> {
    /// Scratch space sized for `model`.
    pub fn for_model(model: &Model) -> Self {
        let n = model.mesh.len();
        let n_gas = model.layout.gases.len();
        let z = T::from(0.0);
        Self {
            props: Properties {
                eps: vec![z; n],
                c_e: vec![z; n],
                ln_c: vec![z; n],
                c_gas: vec![z; n * n_gas],
                d_e: vec![z; n],
                kappa: vec![z; n],
                d_gas: vec![z; n * n_gas],
                liquid: T::from(1.0),
                layers: Thicknesses {
                    sei: z,
                    sei_oxide: z,
                    scale: z,
                },
                crack: z,
                r_anode: z,
                i_e: vec![z; n + 1],
                n_salt: vec![z; n + 1],
                n_gas: vec![z; (n + 1) * n_gas],
                c_rm: vec![z; 2 * n],
                d_rm: vec![z; n],
                n_rm: vec![z; 2 * (n + 1)],
            },
            src: Sources::new(
                n,
                model.mesh.n_cat,
                n_gas,
                model.layout.sei.as_ref().map_or(0, |r| r.len()),
            ),
        }
    }
}
