//! The submodels of a cell, each in its own file, and which of them a model runs.
//!
//! A mechanism reads the state and the [`Properties`], writes the rows of the states it owns
//! and adds its source terms and boundary fluxes to [`Sources`]. It never reads another
//! mechanism's contribution, so [`Model::residual`] gives the same result in any order.

use super::workspace::{Properties, Sources};
use super::{anode, cathode, electrolyte_loss, gases, mediator, operating, superoxide, symmetric};
use super::{Control, Model};
use crate::scalar::Scalar;

/// A submodel contributing to the residual.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mechanism {
    /// Metal plating/stripping at x = 0 and the metal it consumes ([`anode::plating`]).
    AnodeKinetics,
    /// The reference face of a half cell at x = 0: fixed salt and potential
    /// ([`anode::reference`]).
    ReferenceFace,
    /// Organic SEI growth, healing and cracking ([`anode::sei`]).
    SeiGrowth,
    /// Crossed gases corroding the metal ([`anode::corrosion`]).
    Corrosion,
    /// Metal isolated while stripping ([`anode::morphology`]).
    DeadMetal,
    /// Dendrite growth and removal ([`anode::morphology`]).
    Dendrites,
    /// The counter electrode of a symmetric cell ([`symmetric`]).
    CounterElectrode,
    /// Gas entering through the separator edge of a symmetric cell ([`symmetric`]).
    EdgeExchange,
    /// Gases dissolving at the gas side of a metal-air cell ([`gases`]).
    GasSupply,
    /// Supersaturated O2 leaving the cathode as gas ([`gases::outgassing`]).
    Outgassing,
    /// O2 reduction / product oxidation and the parasitic deposit ([`cathode::kinetics`]).
    CathodeKinetics,
    /// Redox mediator transport, reactions and shuttle ([`mediator`]).
    Mediator,
    /// Dissolved superoxide: transport, decay and crossing to the metal ([`superoxide`]).
    Superoxide,
    /// Solvent evaporation through an open boundary ([`electrolyte_loss`]).
    ElectrolyteLoss,
    /// The applied-current row and the charge ledger ([`operating`]).
    Operating,
}

impl Mechanism {
    /// The mechanisms a model with this layout runs, in their documented order.
    pub fn for_model(m: &Model) -> Vec<Mechanism> {
        use Mechanism as M;
        let l = &m.layout;
        let symmetric = l.counter.is_some();
        let mut v = vec![if m.options.half_cell {
            M::ReferenceFace
        } else {
            M::AnodeKinetics
        }];
        if l.sei.is_some() {
            v.push(M::SeiGrowth);
            if m.options.corrosion {
                v.push(M::Corrosion);
            }
        }
        if l.dead.is_some() {
            v.push(M::DeadMetal);
        }
        if l.dendrite.is_some() {
            v.push(M::Dendrites);
        }
        if symmetric {
            v.push(M::CounterElectrode);
            v.push(M::EdgeExchange);
        } else {
            v.push(M::GasSupply);
            // its ledger rows exist in every cell with a cathode (zero rates when k_og = 0)
            if m.mesh.n_cat > 0 {
                v.push(M::Outgassing);
            }
        }
        if m.mesh.n_cat > 0 {
            v.push(M::CathodeKinetics);
        }
        if l.mediator.is_some() {
            v.push(M::Mediator);
        }
        if l.superoxide.is_some() {
            v.push(M::Superoxide);
        }
        if l.solvent.is_some() {
            v.push(M::ElectrolyteLoss);
        }
        v.push(M::Operating);
        v
    }

    /// Writes the mechanism's own rows and adds its contributions.
    pub(crate) fn contribute<T: Scalar>(
        self,
        m: &Model,
        y: &[T],
        control: &Control,
        props: &Properties<T>,
        src: &mut Sources<T>,
        out: &mut [T],
    ) {
        use Mechanism as M;
        match self {
            M::AnodeKinetics => anode::plating::contribute(m, y, props, src, out),
            M::ReferenceFace => anode::reference::contribute(m, y, props, src, out),
            M::SeiGrowth => anode::sei::contribute(m, y, props, src),
            M::Corrosion => anode::corrosion::contribute(m, props, src),
            M::DeadMetal => anode::morphology::dead_metal(m, y, props, src, out),
            M::Dendrites => anode::morphology::dendrites(m, y, props, out),
            M::CounterElectrode => symmetric::counter_electrode(m, y, props, src, out),
            M::EdgeExchange => symmetric::edge_exchange(m, props, src),
            M::GasSupply => gases::gas_supply(m, y, props, src, out),
            M::Outgassing => gases::outgassing(m, y, props, src, out),
            M::CathodeKinetics => cathode::kinetics::contribute(m, y, props, src, out),
            M::Mediator => mediator::contribute(m, y, props, src, out),
            M::Superoxide => superoxide::contribute(m, y, props, src, out),
            M::ElectrolyteLoss => electrolyte_loss::contribute(m, src),
            M::Operating => operating::residual(m, y, control, out),
        }
    }
}
