//! The model documentation holds the parameter table of the default cell exactly as
//! `triphase params --markdown` prints it: every name, value, range and source.
//!
//! `TRIPHASE_UPDATE_DOCS=1 cargo test --release --test docs` rewrites the table in place.

const HEADING: &str = "## Default parameters";

#[test]
fn model_doc_holds_the_generated_parameter_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/model.md");
    let doc = std::fs::read_to_string(path).expect("docs/model.md exists");
    let table = triphase::Cell::default_cell().parameter_table_markdown();
    let start = doc
        .find(HEADING)
        .expect("docs/model.md has the parameter section");
    let table_start = start + doc[start..].find("| parameter |").expect("a table follows");
    let table_end = doc[table_start..]
        .find("\n\n")
        .map_or(doc.len(), |i| table_start + i + 1);
    if std::env::var_os("TRIPHASE_UPDATE_DOCS").is_some() {
        let updated = format!("{}{}{}", &doc[..table_start], table, &doc[table_end..]);
        std::fs::write(path, updated).unwrap();
        return;
    }
    let in_doc = &doc[table_start..table_end];
    for (line_doc, line_gen) in in_doc.lines().zip(table.lines()) {
        assert_eq!(
            line_doc, line_gen,
            "docs/model.md differs from `triphase params --markdown` (TRIPHASE_UPDATE_DOCS=1 cargo test --release --test docs rewrites it)"
        );
    }
    assert_eq!(in_doc.lines().count(), table.lines().count(), "row count");
}
