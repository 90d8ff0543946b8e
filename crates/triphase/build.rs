//! Embeds every component data file under `data/components/<kind>/` into the library, so
//! that adding a file is all it takes to add a component (no list to keep in sync).

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/components");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    for kind in std::fs::read_dir(&root).expect("data/components exists") {
        let kind = kind.expect("readable directory").path();
        if !kind.is_dir() {
            continue;
        }
        println!("cargo:rerun-if-changed={}", kind.display());
        for f in std::fs::read_dir(&kind).expect("readable directory") {
            let f = f.expect("readable file").path();
            if f.extension().is_some_and(|e| e == "toml") {
                files.push(f);
            }
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
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("components.rs");
    std::fs::write(dest, out).expect("writable OUT_DIR");
}
