//! The validated configuration built from the command line before any work.

use triphase::Cell;

use crate::args::CellArgs;
use crate::error::CliError;

/// Builds the cell: file or preset, then --mesh, then --set overrides (in order).
pub fn build_cell(args: &CellArgs) -> Result<Cell, CliError> {
    let mut cell = Cell::load(&args.cell)?;
    for w in &cell.warnings {
        eprintln!("warning: {}: {w}", args.cell);
    }
    if let Some(spec) = &args.mesh {
        cell.mesh.apply_spec(spec)?;
    }
    // every override first, then the rules between parameters: their order does not matter
    cell.apply_assignments(&args.set)?;
    Ok(cell)
}
