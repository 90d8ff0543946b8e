//! The validation suite: every case has complete provenance, and every case's outcome is its
//! expected one (a regression or an unrecorded improvement fails this test, as it fails
//! `triphase validate` in CI).

use triphase::validation::{builtin_cases, run, Expected, Fitting, Measured};

/// Every case names its source (DOI, location, quote), states the reason of an expected
/// failure and of its tolerance, and gives a source for every value it sets.
#[test]
fn every_case_has_complete_provenance() {
    let cases = builtin_cases().expect("the built-in cases parse");
    assert!(cases.len() >= 9, "{} cases", cases.len());
    for c in &cases {
        let r = &c.reference;
        assert!(
            r.doi.as_ref().is_some_and(|d| d.starts_with("10.")) || r.url.is_some(),
            "{}: a DOI or the page read",
            c.name
        );
        assert!(
            r.quote.len() > 40,
            "{}: the quote must state the numbers",
            c.name
        );
        assert!(!r.location.is_empty() && r.year > 1990, "{}", c.name);
        if c.expected == Expected::Fail {
            assert!(
                c.expected_reason.as_ref().is_some_and(|s| s.len() > 40),
                "{}",
                c.name
            );
        }
        for p in &c.points {
            for (name, v) in &p.parameters {
                assert!(
                    !v.source.trim().is_empty(),
                    "{} {}: {name}",
                    c.name,
                    p.label
                );
            }
        }
        // a case compares something: a value, a bound, a range or a stated trend
        assert!(
            c.trend.is_some() || c.points.iter().any(|p| p.measured != Measured::TrendOnly),
            "{}",
            c.name
        );
    }
    // the cases a library value is fitted to are checked against the calibration record in
    // tests/calibration.rs; the others are held out, and must be the majority (they are the
    // test of the fitted values)
    let held_out = cases
        .iter()
        .filter(|c| c.fitting == Fitting::HeldOut)
        .count();
    assert!(2 * held_out > cases.len(), "{held_out} of {}", cases.len());
}

/// The whole suite runs without a solver failure and each case ends as expected.
#[test]
fn every_case_ends_as_expected() {
    let cases = builtin_cases().unwrap();
    let outcomes = run(&cases, &|| {});
    let mut wrong = Vec::new();
    for o in &outcomes {
        for p in &o.points {
            if let Some(n) = &p.note {
                assert!(
                    !n.contains("solver failure"),
                    "{} {}: {n}",
                    o.case.name,
                    p.label
                );
            }
        }
        if !o.as_expected {
            wrong.push(format!(
                "{}: passed = {}, expected {:?}",
                o.case.name, o.passed, o.case.expected
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
