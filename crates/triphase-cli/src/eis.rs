//! `triphase eis`: impedance spectra of a cell, fresh or at points of a protocol.

use triphase::eis::{self, Labelled};

use crate::args::EisArgs;
use crate::error::CliError;
use crate::outln;
use crate::output;

/// Runs the command.
pub fn run_eis(args: EisArgs) -> Result<(), CliError> {
    let cell = crate::config::build_cell(&args.cell)?;
    let p = &args.protocol;
    let given = !p.steps.is_empty() || p.protocol.is_some() || p.storage.is_some();
    let exp = if given {
        Some(crate::commands::cycling(p)?)
    } else {
        None
    };
    let freqs = eis::frequencies(args.from, args.to, args.per_decade as usize);
    let measured = eis::run_and_measure(&cell, exp.as_ref(), &args.at, &freqs)?;
    if let Some(f) = &measured.failure {
        eprintln!("the protocol failed ({f}); the spectra are of the states it reached");
    }
    let spectra = measured.spectra;
    if args.json {
        output::emit(&(serde_json::to_string_pretty(&spectra).expect("spectra serialise") + "\n"));
    } else {
        output::emit(&summary(&cell.name, &spectra));
    }
    if let Some(dir) = &args.out {
        output::create_dir(dir)?;
        crate::output::eis::write_spectra(&spectra, cell.params.geometry.electrode_area, dir)?;
    }
    Ok(())
}

/// One line per spectrum: the high- and low-frequency real parts and the largest arc's top.
fn summary(cell: &str, spectra: &[Labelled]) -> String {
    let mut t = String::new();
    outln!(
        t,
        "impedance of {cell} (Ohm cm2 of electrode area; -Im Z > 0 is capacitive):"
    );
    for s in spectra {
        let z = &s.spectrum;
        let n = z.frequency_hz.len();
        let top = (0..n)
            .max_by(|&a, &b| (-z.z_imag_ohm_m2[a]).total_cmp(&(-z.z_imag_ohm_m2[b])))
            .unwrap_or(0);
        outln!(
            t,
            "  {:<16} Re Z {:.4} at {:.3e} Hz, {:.4} at {:.3e} Hz; largest -Im Z {:.4} at {:.3e} Hz",
            s.at,
            z.z_real_ohm_m2[0] * 1e4,
            z.frequency_hz[0],
            z.z_real_ohm_m2[n - 1] * 1e4,
            z.frequency_hz[n - 1],
            -z.z_imag_ohm_m2[top] * 1e4,
            z.frequency_hz[top]
        );
    }
    t
}
