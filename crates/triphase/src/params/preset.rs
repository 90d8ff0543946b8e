//! Built-in parameter sets (presets), stored as TOML data files with a source for every value.

/// A built-in preset: its name and the TOML text (embedded at compile time).
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    /// Name used on the command line (`triphase run li-o2`).
    pub name: &'static str,
    /// The preset file.
    pub toml: &'static str,
}

/// All built-in presets.
pub static PRESETS: &[Preset] = &[
    Preset {
        name: "li-o2",
        toml: include_str!("../../data/presets/li-o2.toml"),
    },
    Preset {
        name: "li-air",
        toml: include_str!("../../data/presets/li-air.toml"),
    },
    Preset {
        name: "na-o2",
        toml: include_str!("../../data/presets/na-o2.toml"),
    },
    Preset {
        name: "k-o2",
        toml: include_str!("../../data/presets/k-o2.toml"),
    },
    Preset {
        name: "li-li-o2",
        toml: include_str!("../../data/presets/li-li-o2.toml"),
    },
    Preset {
        name: "na-na-o2",
        toml: include_str!("../../data/presets/na-na-o2.toml"),
    },
    Preset {
        name: "k-k-o2",
        toml: include_str!("../../data/presets/k-k-o2.toml"),
    },
];

/// The default preset simulated when no cell is given.
pub const DEFAULT_PRESET: &str = "li-o2";

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
