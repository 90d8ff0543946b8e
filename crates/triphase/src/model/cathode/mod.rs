//! The porous air cathode: pore structure, O2 reduction kinetics with its product film, and
//! electron conduction in the carbon.

pub mod carbon_oxidation;
pub mod carbonate;
pub mod double_layer;
pub mod electrolyte_oxidation;
pub mod growth;
pub mod interface_carbonate;
pub mod kinetics;
pub mod parasitic;
pub mod passivation;
pub mod solid;
pub mod structure;
