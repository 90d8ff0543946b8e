//! The slots of a cell (its `[sections]`) and which component kinds fill them.

use super::{Component, ComponentKind, Library};
use crate::params::Metal;

/// A slot of a cell file (a `[section]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Slot {
    /// `[anode]`
    Anode,
    /// `[product]`
    Product,
    /// `[protection]`
    Protection,
    /// `[electrolyte]` (with `additives`)
    Electrolyte,
    /// `[separator]` (a separator or a solid electrolyte)
    Separator,
    /// `[cathode]`
    Cathode,
    /// `[atmosphere]`
    Atmosphere,
}

impl Slot {
    /// Slots in composition order.
    pub const ALL: [Slot; 7] = [
        Slot::Anode,
        Slot::Product,
        Slot::Protection,
        Slot::Electrolyte,
        Slot::Separator,
        Slot::Cathode,
        Slot::Atmosphere,
    ];

    /// Section name in a cell file.
    pub fn section(&self) -> &'static str {
        match self {
            Slot::Anode => "anode",
            Slot::Product => "product",
            Slot::Protection => "protection",
            Slot::Electrolyte => "electrolyte",
            Slot::Separator => "separator",
            Slot::Cathode => "cathode",
            Slot::Atmosphere => "atmosphere",
        }
    }

    /// The slot whose cell-file section is `name` ("separator").
    pub fn named(name: &str) -> Option<Slot> {
        Slot::ALL.into_iter().find(|s| s.section() == name)
    }

    /// Component kinds accepted in this slot.
    pub fn kinds(&self) -> &'static [ComponentKind] {
        use ComponentKind as K;
        match self {
            Slot::Anode => &[K::Anode],
            Slot::Product => &[K::Product],
            Slot::Protection => &[K::Protection],
            Slot::Electrolyte => &[K::Electrolyte],
            Slot::Separator => &[K::Separator, K::SolidElectrolyte],
            Slot::Cathode => &[K::Cathode],
            Slot::Atmosphere => &[K::Atmosphere],
        }
    }

    /// The slot a component kind fills (additives: the electrolyte's).
    pub fn of(kind: ComponentKind) -> Slot {
        use ComponentKind as K;
        match kind {
            K::Anode => Slot::Anode,
            K::Product => Slot::Product,
            K::Protection => Slot::Protection,
            K::Electrolyte | K::Additive => Slot::Electrolyte,
            K::Separator | K::SolidElectrolyte => Slot::Separator,
            K::Cathode => Slot::Cathode,
            K::Atmosphere => Slot::Atmosphere,
        }
    }
}

impl serde::Serialize for Slot {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.section())
    }
}

/// The metal of a component, looked up through its base.
pub fn metal_of(c: &Component, lib: &Library) -> Option<Metal> {
    let mut c = c;
    for _ in 0..8 {
        if c.metal.is_some() {
            return c.metal;
        }
        c = lib.get(c.base.as_deref()?)?;
    }
    None
}
