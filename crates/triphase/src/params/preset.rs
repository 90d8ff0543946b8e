//! Built-in parameter sets (presets): TOML cell files in `data/presets/`, each composed from
//! library components on the base cell (`data/base.toml`), embedded at build time.

/// A built-in preset: its name and the TOML text (embedded at compile time).
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    /// Name used on the command line (`triphase run li-o2`): the file stem.
    pub name: &'static str,
    /// The preset file.
    pub toml: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/presets.rs"));

/// The base cell every preset composes on: values that belong to no component, the empty
/// optional slots, and the default mesh.
pub const BASE: &str = include_str!("../../data/base.toml");

/// The preset with this name.
pub fn preset(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// Comma-separated preset names, for messages.
pub fn preset_names() -> String {
    PRESETS
        .iter()
        .map(|p| p.name)
        .collect::<Vec<_>>()
        .join(", ")
}
