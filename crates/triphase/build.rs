//! Embeds the library's data files into the binary, so that adding a file is all it takes to
//! add a component or a preset (no list to keep in sync):
//!
//! - every component file under `data/components/<kind>/` (`components.rs`);
//! - every preset under `data/presets/` (`presets.rs`), named by its file stem, and the default
//!   preset: the one whose `[cell]` says `default = true`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable data directory")
        .map(|e| e.expect("readable entry").path())
        .filter(|f| f.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

fn main() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));

    // components, one directory per kind
    let root = data.join("components");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    for kind in std::fs::read_dir(&root).expect("data/components exists") {
        let kind = kind.expect("readable directory").path();
        if kind.is_dir() {
            files.extend(toml_files(&kind));
        }
    }
    files.sort();
    let mut out =
        String::from("/// Built-in component files: (path under data/components, text).\n");
    out.push_str("pub static BUILTIN: &[(&str, &str)] = &[\n");
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .expect("under root")
            .display()
            .to_string();
        writeln!(
            out,
            "    ({rel:?}, include_str!({:?})),",
            f.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    std::fs::write(out_dir.join("components.rs"), out).expect("writable OUT_DIR");

    // presets
    let presets = toml_files(&data.join("presets"));
    let mut out = String::from("/// All built-in presets, by name (the file stem).\n");
    out.push_str("pub static PRESETS: &[Preset] = &[\n");
    let mut defaults = Vec::new();
    for f in &presets {
        let name = f
            .file_stem()
            .expect("a file name")
            .to_string_lossy()
            .to_string();
        let text = std::fs::read_to_string(f).expect("readable preset");
        if text.lines().any(|l| l.trim() == "default = true") {
            defaults.push(name.clone());
        }
        writeln!(
            out,
            "    Preset {{ name: {name:?}, toml: include_str!({:?}) }},",
            f.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    assert_eq!(
        defaults.len(),
        1,
        "exactly one preset in data/presets must say `default = true` in [cell], found {defaults:?}"
    );
    writeln!(
        out,
        "/// The default preset simulated when no cell is given (`default = true` in its `[cell]` table).\npub const DEFAULT_PRESET: &str = {:?};",
        defaults[0]
    )
    .unwrap();
    std::fs::write(out_dir.join("presets.rs"), out).expect("writable OUT_DIR");

    // validation cases: the repository's validation/ folder
    let cases = toml_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../validation"));
    let mut out = String::from("/// Built-in validation cases: (name, text).\n");
    out.push_str("static BUILTIN_CASES: &[(&str, &str)] = &[\n");
    for f in &cases {
        let name = f
            .file_stem()
            .expect("a file name")
            .to_string_lossy()
            .to_string();
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            f.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    std::fs::write(out_dir.join("validation.rs"), out).expect("writable OUT_DIR");
}
