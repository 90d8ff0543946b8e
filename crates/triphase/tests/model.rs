//! Properties of the assembled residual itself: the exact Jacobian-vector product (dual
//! numbers) against finite differences for every kind of cell, and independence of the order
//! in which the mechanisms contribute.

mod common;

use common::{exact_pattern, perturbed_state};
use triphase::model::{Control, Mechanism, OperatingMode, Workspace};
use triphase::scalar::Dual64;
use triphase::Cell;

/// Every preset, a cell with a redox mediator and a protective layer, and a Na cell in air.
fn cells() -> Vec<(String, Cell)> {
    let mut v: Vec<(String, Cell)> = triphase::params::preset::PRESETS
        .iter()
        .map(|p| (p.name.to_string(), Cell::preset(p.name).unwrap()))
        .collect();
    let mediator = "[cell]\npreset = \"li-air\"\n[electrolyte]\ncomponent = \"litfsi-tegdme\"\nadditives = [\"libr\"]\n[protection]\ncomponent = \"li2co3-shell-spheres\"\n";
    v.push((
        "mediator".into(),
        Cell::from_toml_str(mediator, "mediator.toml").unwrap(),
    ));
    // dissolved superoxide in humid air, crossing a cracked SEI (every term of its rows)
    let superoxide = "[cell]\npreset = \"li-air\"\n[options]\ndissolved_superoxide = true\n";
    v.push((
        "superoxide".into(),
        Cell::from_toml_str(superoxide, "superoxide.toml").unwrap(),
    ));
    let na_air = "[cell]\npreset = \"na-o2\"\n[atmosphere]\ncomponent = \"ambient-air\"\n[options]\ncorrosion = true\nsei_cracking = true\ndead_metal = true\nparasitic = true\n";
    v.push((
        "na-air".into(),
        Cell::from_toml_str(na_air, "na-air.toml").unwrap(),
    ));
    v
}

#[test]
fn dual_jacobian_matches_central_differences_for_every_cell() {
    for (name, cell) in cells() {
        let m = cell.model();
        for mode in [
            OperatingMode::Current(2.0),
            OperatingMode::Current(-1.0),
            OperatingMode::Voltage(3.0),
        ] {
            let control = Control::at(mode);
            // every mode at a discharge's starting state: a fresh cathode charged from rest
            // starts where the electrolyte's oxidation carries the current (1.9 V above
            // equilibrium for k-o2), and the product the perturbation adds would then make
            // ~1e14 A m-3 terms that cancel in the charge balance, beyond what finite
            // differences resolve
            let y = perturbed_state(&m, &Control::at(OperatingMode::Current(2.0)));
            let n = m.len();
            // direction scaled to each state's magnitude
            let v: Vec<f64> = y
                .iter()
                .enumerate()
                .map(|(i, a)| ((i * 37 % 11) as f64 - 5.0) / 5.0 * a.abs().max(1e-6))
                .collect();
            let mut wsd = Workspace::<Dual64>::for_model(&m);
            let yd: Vec<Dual64> = y.iter().zip(&v).map(|(a, b)| Dual64::new(*a, *b)).collect();
            let mut outd = vec![Dual64::from(0.0); n];
            m.residual(&yd, &control, &mut wsd, &mut outd);
            let mut ws = Workspace::<f64>::for_model(&m);
            let eval = |s: f64, ws: &mut Workspace<f64>| {
                let yp: Vec<f64> = y.iter().zip(&v).map(|(a, b)| a + s * b).collect();
                let mut o = vec![0.0; n];
                m.residual(&yp, &control, ws, &mut o);
                o
            };
            // central differences at two steps: their disagreement bounds their own error
            // (truncation ~ h^2; round-off ~ 1/h, large in rows that difference neighbouring
            // potentials), so a wrong dependency (an error of 1e-3 or more) cannot hide
            let central = |h: f64, ws: &mut Workspace<f64>| -> Vec<f64> {
                let (fp, fm) = (eval(h, ws), eval(-h, ws));
                fp.iter()
                    .zip(&fm)
                    .map(|(a, b)| (a - b) / (2.0 * h))
                    .collect()
            };
            let (fd, fd_coarse) = (central(1e-6, &mut ws), central(1e-5, &mut ws));
            let f0 = eval(0.0, &mut ws);
            for i in 0..n {
                let ad = outd[i].eps;
                let scale = fd[i].abs().max(ad.abs());
                let fd_error = (fd[i] - fd_coarse[i]).abs();
                // below this a change of f at the fine step is lost in its last digits
                let resolution = 1e-15 * f0[i].abs() / 1e-6;
                assert!(
                    (fd[i] - ad).abs() <= 1e-5 * scale + 3.0 * fd_error + resolution + 1e-15,
                    "{name} {mode:?} row {i} ({:?}): fd {} (coarse {}) ad {ad}",
                    m.layout.kind(i),
                    fd[i],
                    fd_coarse[i]
                );
            }
        }
    }
}

#[test]
fn residual_does_not_depend_on_the_order_of_the_mechanisms() {
    for (name, cell) in cells() {
        let m = cell.model();
        let control = Control::at(OperatingMode::Current(1.5));
        let y = perturbed_state(&m, &control);
        let mut ws = Workspace::<f64>::for_model(&m);
        let mut reference = vec![0.0; m.len()];
        m.residual(&y, &control, &mut ws, &mut reference);
        let mut reversed: Vec<Mechanism> = m.mechanisms.clone();
        reversed.reverse();
        // a fixed shuffle: every third from the end first
        let mut shuffled: Vec<Mechanism> = Vec::new();
        for start in 0..3 {
            shuffled.extend(m.mechanisms.iter().rev().skip(start).step_by(3));
        }
        assert_eq!(shuffled.len(), m.mechanisms.len());
        for order in [reversed, shuffled] {
            let mut out = vec![f64::NAN; m.len()];
            m.residual_with(&order, &y, &control, &mut ws, &mut out);
            for (i, (a, b)) in reference.iter().zip(&out).enumerate() {
                // sums of the same terms in another order: rounding only
                assert!(
                    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()) + 1e-300,
                    "{name} row {i}: {a} vs {b} with {order:?}"
                );
            }
        }
    }
}

#[test]
fn grouped_sparsity_detection_equals_probing_column_by_column() {
    // the linear-cost detection (columns 5 volumes apart probed together, bisection for the
    // rest) finds exactly the pattern of one probe per column; and the pattern does not
    // depend on the state or the operating mode, since it is detected once per run
    for (name, cell) in cells() {
        let m = cell.model();
        let start = Control::at(OperatingMode::Current(1.0));
        let y0 = m.initial_state(&start);
        let found = triphase::solver::sparsity::jacobian_pattern(&m, &start, &y0);
        let hold = Control::at(OperatingMode::Voltage(3.0));
        let y = perturbed_state(&m, &hold);
        let exact = exact_pattern(&m, &hold, &y);
        assert_eq!(found.len(), exact.len(), "{name}: number of non-zeros");
        assert!(found == exact, "{name}: patterns differ");
        let power = Control::at(OperatingMode::Power(-2.0));
        assert_eq!(
            triphase::solver::sparsity::jacobian_pattern(&m, &power, &y),
            exact,
            "{name}: pattern under constant power"
        );
    }
}

#[test]
fn coloured_jacobian_equals_probing_column_by_column() {
    // the Jacobian assembled by colouring, several colours per multi-lane evaluation, holds
    // each column's exact derivative (a Jacobian-vector product along that column alone):
    // a colouring that put two columns sharing a row together would sum their entries
    use triphase::solver::jacobian::{ColouredJacobian, LaneScratch};
    for (name, cell) in cells() {
        let m = cell.model();
        let control = Control::at(OperatingMode::Current(1.0));
        let y = perturbed_state(&m, &control);
        let pairs = triphase::solver::sparsity::jacobian_pattern(&m, &control, &y);
        let n = m.len();
        // compressed columns (the pairs are sorted by column, then row)
        let mut col_ptr = vec![0usize; n + 1];
        for &(_, c) in &pairs {
            col_ptr[c + 1] += 1;
        }
        for c in 0..n {
            col_ptr[c + 1] += col_ptr[c];
        }
        let row_idx: Vec<usize> = pairs.iter().map(|&(r, _)| r).collect();
        let colouring = ColouredJacobian::new(n, &col_ptr, &row_idx);
        let densest_row = (0..n)
            .map(|r| row_idx.iter().filter(|&&i| i == r).count())
            .max()
            .unwrap();
        // the states are numbered volume by volume: about as many colours as the densest
        // row has entries (a row coupling every volume would give one colour per column)
        assert!(
            colouring.colours() <= 2 * densest_row,
            "{name}: {} colours, densest row {densest_row}",
            colouring.colours()
        );
        let mut values = vec![f64::NAN; pairs.len()];
        colouring.assemble(
            &m,
            &control,
            &y,
            &mut LaneScratch::for_model(&m),
            &mut values,
        );
        let mut ws = Workspace::<Dual64>::for_model(&m);
        let mut out = vec![Dual64::from(0.0); n];
        for c in 0..n {
            let x: Vec<Dual64> = y
                .iter()
                .enumerate()
                .map(|(i, v)| Dual64::new(*v, if i == c { 1.0 } else { 0.0 }))
                .collect();
            m.residual(&x, &control, &mut ws, &mut out);
            for k in col_ptr[c]..col_ptr[c + 1] {
                let (exact, got) = (out[row_idx[k]].eps, values[k]);
                assert!(
                    (exact - got).abs() <= 1e-12 * exact.abs() + 1e-300,
                    "{name}: entry ({}, {c}) {got} against {exact}",
                    row_idx[k]
                );
            }
            // nothing outside the pattern
            let inside = &row_idx[col_ptr[c]..col_ptr[c + 1]];
            for (r, o) in out.iter().enumerate() {
                assert!(
                    o.eps == 0.0 || inside.contains(&r),
                    "{name}: column {c} reaches row {r} outside the pattern"
                );
            }
        }
    }
}
