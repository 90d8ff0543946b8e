//! The residual f(y) of M dy/dt = f(y), in three phases:
//!
//! 1. properties: per-volume transport properties, interior face fluxes and the surface layer,
//!    all functions of the state alone ([`Model::fill_properties`]);
//! 2. mechanisms: each submodel writes the rows of the states it owns and *adds* named source
//!    terms and boundary fluxes to [`Sources`] (see [`super::mechanism`]);
//! 3. assembly: every shared row (salt, charge, gases, carbon potential, product, metal, SEI
//!    constituents, crack fraction, solvent, gas uptake) is written once from the sources.
//!
//! No mechanism reads another's output, so the order of phase 2 does not matter (tested by
//! evaluating the residual with the mechanisms reversed and shuffled).

use super::workspace::{Properties, Sources};
use super::{electrolyte_loss, ConductivityLaw, Control, Model, Workspace};
use crate::scalar::{floor, Scalar};

impl Model {
    /// Right-hand side f(y) of M dy/dt = f(y) under `control`: time derivatives in
    /// differential rows, residuals in algebraic rows.
    pub fn residual<T: Scalar>(
        &self,
        y: &[T],
        control: &Control,
        ws: &mut Workspace<T>,
        out: &mut [T],
    ) {
        self.residual_with(&self.mechanisms, y, control, ws, out);
    }

    /// The residual with the mechanisms run in the given order (every order gives the same
    /// result up to rounding).
    pub fn residual_with<T: Scalar>(
        &self,
        mechanisms: &[super::Mechanism],
        y: &[T],
        control: &Control,
        ws: &mut Workspace<T>,
        out: &mut [T],
    ) {
        self.fill_properties(y, &mut ws.props);
        ws.src.clear();
        for mech in mechanisms {
            mech.contribute(self, y, control, &ws.props, &mut ws.src, out);
        }
        self.assemble(y, &ws.props, &ws.src, out);
    }

    /// Phase 1: per-volume properties, the surface layer and interior face fluxes.
    pub fn fill_properties<T: Scalar>(&self, y: &[T], props: &mut Properties<T>) {
        self.fill_surface(y, props);
        super::electrolyte::interior_fluxes(self, y, props);
        super::gases::interior_fluxes(self, props);
        if self.layout.mediator.is_some() {
            super::mediator::properties(self, y, props);
        }
    }

    /// What the metal surfaces' kinetics read (their interfaces and overpotentials): the
    /// per-volume properties ([`Model::fill_volumes`]) and the surface layer, without the
    /// interior fluxes of [`Model::fill_properties`].
    pub fn fill_surface<T: Scalar>(&self, y: &[T], props: &mut Properties<T>) {
        self.fill_volumes(y, props);
        if self.layout.sei.is_some() {
            super::anode::sei::layer(self, y, props);
        } else {
            props.layers.sei = T::from(self.params.sei.initial_thickness);
        }
    }

    /// Per-volume properties from the state: porosity, concentrations, effective transport.
    pub fn fill_volumes<T: Scalar>(&self, y: &[T], props: &mut Properties<T>) {
        let p = &self.params;
        let l = &self.layout;
        let b = p.geometry.bruggeman;
        let n = self.mesh.len();
        if let Some(i) = l.solvent {
            props.liquid = electrolyte_loss::liquid_fraction(p, y[i]);
        }
        for k in 0..n {
            let pore = if k < self.mesh.n_sep {
                T::from(p.geometry.separator_porosity)
            } else {
                self.structure
                    .porosity(self.deposit(y, k - self.mesh.n_sep))
            };
            let eps = if l.solvent.is_some() {
                pore * props.liquid
            } else {
                pore
            };
            props.eps[k] = eps;
            props.c_e[k] = y[l.salt.start + k] / eps;
            props.ln_c[k] = floor(props.c_e[k], 1e-12).ln();
            // one power per volume; every effective property scales with eps^b (Bruggeman)
            let eps_b = crate::scalar::pow(eps, b);
            // separator membranes slow ions (solid electrolytes) and gases (blocking films)
            let (ionic, gas_block) = if k < self.mesh.n_sep {
                (
                    p.geometry.separator_ionic_resistance,
                    p.geometry.separator_gas_blocking,
                )
            } else {
                (1.0, 1.0)
            };
            props.d_e[k] = eps_b * (p.electrolyte.diffusivity / ionic);
            let kappa = p.electrolyte.conductivity / ionic;
            props.kappa[k] = match self.options.electrolyte_conductivity {
                ConductivityLaw::Bruggeman => eps_b * kappa,
                ConductivityLaw::Effective => T::from(kappa),
            };
            for (i, gas) in l.gases.iter().enumerate() {
                props.c_gas[i * n + k] = y[l.gas_at(i, k)] / eps;
                props.d_gas[i * n + k] = eps_b * (p.gas_diffusivity(*gas) / gas_block);
            }
        }
    }

    /// Phase 3: the shared rows from the interior fluxes and the sources.
    fn assemble<T: Scalar>(&self, y: &[T], props: &Properties<T>, src: &Sources<T>, out: &mut [T]) {
        let l = &self.layout;
        super::electrolyte::assemble(self, props, src, out);
        super::gases::assemble(self, props, src, out);
        super::cathode::solid::assemble(self, y, src, out);
        for j in 0..self.mesh.n_cat {
            out[l.product.start + j] = src.product[j];
        }
        super::cathode::growth::film_rows(self, y, props, src, out);
        super::cathode::interface_carbonate::coverage_rows(self, y, src, out);
        if let Some(r) = &l.superoxide {
            for (k, row) in r.clone().enumerate() {
                out[row] = src.superoxide[k];
            }
        }
        out[l.metal] = src.metal;
        if let Some(r) = &l.sei {
            for (s, row) in r.clone().enumerate() {
                out[row] = src.layer[s];
            }
        }
        if let Some(i) = l.crack {
            out[i] = src.crack;
        }
        if let Some(i) = l.sei_shed {
            out[i] = src.sei_shed;
        }
        if let Some(i) = l.solvent {
            out[i] = src.solvent;
        }
    }
}
