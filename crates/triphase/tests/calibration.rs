//! The calibration record: every library value whose source says it was fitted to a validation
//! case names a fit file that exists and a case marked `fitting = "calibration"`, and running
//! that fit file again gives the library's value (so the record cannot drift from the data).

use std::path::Path;

use triphase::components::Library;
use triphase::fit::{fit, FitOptions, FitSpec};
use triphase::validation::{builtin_cases, Fitting};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

#[test]
fn every_fitted_library_value_names_its_case_and_fit_file_and_is_reproduced() {
    let cases = builtin_cases().unwrap();
    let lib = Library::builtin();
    let mut fitted = 0;
    for c in lib.all() {
        for v in &c.parameters {
            let Some(rest) = v.source.strip_prefix("fitted to validation case ") else {
                assert!(
                    !v.source.contains("fitted to"),
                    "{}: \"{}\": a fitted value's source starts with 'fitted to validation case'",
                    c.name,
                    v.name
                );
                continue;
            };
            fitted += 1;
            let case_name = rest.split_whitespace().next().unwrap();
            let case = cases
                .iter()
                .find(|k| k.name == case_name)
                .unwrap_or_else(|| panic!("{}: no validation case {case_name}", c.name));
            assert_eq!(
                case.fitting,
                Fitting::Calibration,
                "{case_name} is fitted to: mark it fitting = \"calibration\""
            );
            let file = rest
                .split_whitespace()
                .find(|w| w.starts_with("calibration/"))
                .unwrap_or_else(|| panic!("{}: \"{}\" names no calibration/ file", c.name, v.name));
            let path = root().join(file);
            let spec = FitSpec::from_file(&path).unwrap();
            let result = fit(&spec, &FitOptions::default());
            let p = result
                .parameters
                .iter()
                .find(|p| p.name == v.name)
                .unwrap_or_else(|| panic!("{file} does not fit \"{}\"", v.name));
            // the library keeps four significant digits of the fitted value
            assert!(
                (p.value / v.value - 1.0).abs() < 5e-4,
                "{}: library {} but {file} fits {}",
                v.name,
                v.value,
                p.value
            );
        }
    }
    assert!(fitted >= 1, "no library value is fitted to a case");
    // and no case is marked calibration without a value fitted to it
    for case in cases.iter().filter(|k| k.fitting == Fitting::Calibration) {
        let named = lib.all().iter().any(|c| {
            c.parameters.iter().any(|v| {
                v.source
                    .starts_with(&format!("fitted to validation case {} ", case.name))
            })
        });
        assert!(
            named,
            "{} is marked calibration but no value cites it",
            case.name
        );
    }
}
