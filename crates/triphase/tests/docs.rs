//! The model documentation lists every parameter the code accepts.

#[test]
fn model_doc_lists_every_parameter() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/model.md");
    let doc = std::fs::read_to_string(path).expect("docs/model.md exists");
    for spec in triphase::params::REGISTRY {
        assert!(
            doc.contains(spec.name),
            "docs/model.md lacks \"{}\"",
            spec.name
        );
    }
}
