//! Column tables built once from a solution and written as CSV or Parquet, so both formats
//! always carry the same columns and values.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use triphase::solution::Profile;
use triphase::Solution;

use super::io_err;
use super::OutputError;

/// Values of one column.
#[derive(Debug, Clone)]
pub enum Values {
    /// Counts and indices.
    Int(Vec<i64>),
    /// Measurements; `None` where undefined (written empty in CSV, null in Parquet).
    Float(Vec<Option<f64>>),
}

/// A named column.
#[derive(Debug, Clone)]
pub struct Column {
    /// Header, with units in Battery Data Format (`Voltage / V`) or PyBaMM style (`[V]`).
    pub name: String,
    /// The values, one per row.
    pub values: Values,
}

/// Columns of equal length.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// The columns in output order.
    pub columns: Vec<Column>,
}

impl Table {
    fn int(&mut self, name: impl Into<String>, values: Vec<i64>) {
        self.columns.push(Column {
            name: name.into(),
            values: Values::Int(values),
        });
    }

    fn float(&mut self, name: impl Into<String>, values: Vec<f64>) {
        self.opt(name, values.into_iter().map(Some).collect());
    }

    fn opt(&mut self, name: impl Into<String>, values: Vec<Option<f64>>) {
        self.columns.push(Column {
            name: name.into(),
            values: Values::Float(values),
        });
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| match &c.values {
            Values::Int(v) => v.len(),
            Values::Float(v) => v.len(),
        })
    }

    /// Comma-separated values with a header line; undefined values are empty fields.
    pub fn to_csv(&self) -> String {
        let header: Vec<&str> = self.columns.iter().map(|c| c.name.as_str()).collect();
        let mut s = header.join(",");
        s.push('\n');
        for r in 0..self.rows() {
            for (k, c) in self.columns.iter().enumerate() {
                if k > 0 {
                    s.push(',');
                }
                match &c.values {
                    Values::Int(v) => {
                        let _ = write!(s, "{}", v[r]);
                    }
                    Values::Float(v) => {
                        if let Some(x) = v[r] {
                            let _ = write!(s, "{x}");
                        }
                    }
                }
            }
            s.push('\n');
        }
        s
    }

    /// Writes one Parquet file (one row group) through Arrow; `metadata` goes into the schema's
    /// key-value metadata.
    pub fn write_parquet(
        &self,
        path: &Path,
        metadata: &[(&str, String)],
    ) -> Result<(), OutputError> {
        let fields: Vec<Field> = self
            .columns
            .iter()
            .map(|c| match &c.values {
                Values::Int(_) => Field::new(&c.name, DataType::Int64, false),
                Values::Float(_) => Field::new(&c.name, DataType::Float64, true),
            })
            .collect();
        let arrays: Vec<ArrayRef> = self
            .columns
            .iter()
            .map(|c| -> ArrayRef {
                match &c.values {
                    Values::Int(v) => Arc::new(Int64Array::from(v.clone())),
                    Values::Float(v) => Arc::new(Float64Array::from(v.clone())),
                }
            })
            .collect();
        let schema = Schema::new(fields).with_metadata(
            metadata
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<std::collections::HashMap<_, _>>(),
        );
        let batch = RecordBatch::try_new(Arc::new(schema), arrays).map_err(|e| io_err(path, e))?;
        super::atomically(path, |tmp| {
            let file = std::fs::File::create(tmp).map_err(|e| io_err(path, e))?;
            let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None)
                .map_err(|e| io_err(path, e))?;
            writer.write(&batch).map_err(|e| io_err(path, e))?;
            writer.close().map_err(|e| io_err(path, e))?;
            Ok(())
        })
    }
}

/// Time series: the library's output variables ([`Solution::variables`]), Battery Data Format
/// columns first (current positive on charge), then the model variables.
pub fn timeseries(sol: &Solution) -> Table {
    let mut t = Table::default();
    for v in sol.variables() {
        match v.values {
            triphase::solution::Values::Int(x) => t.int(v.name, x),
            triphase::solution::Values::Float(x) => t.float(v.name, x),
        }
    }
    t
}

/// One row per cycle with the per-cycle metrics (the library's cycle columns, the same the
/// Python package gives).
pub fn cycles(sol: &Solution) -> Table {
    let (numbers, columns) = sol.cycle_columns();
    let mut t = Table::default();
    t.int("Cycle", numbers.iter().map(|&c| c as i64).collect());
    for (name, values) in columns {
        t.opt(name, values);
    }
    t
}

/// Profiles across the cell at the given recorded points, in long form: one row per point
/// and control volume.
pub fn profiles(sol: &Solution, profiles: &[Profile]) -> Table {
    let n = sol.model.mesh.len();
    let flat = |f: &dyn Fn(&triphase::solution::Profile) -> &[f64]| -> Vec<f64> {
        profiles.iter().flat_map(|p| f(p).to_vec()).collect()
    };
    let mut t = Table::default();
    t.float(
        "Time [s]",
        profiles
            .iter()
            .flat_map(|p| std::iter::repeat_n(p.time_s, n))
            .collect(),
    );
    t.float("x [m]", flat(&|p| &p.x_m));
    t.float(
        "Electrolyte concentration [mol.m-3]",
        flat(&|p| &p.salt_mol_m3),
    );
    for gas in profiles
        .first()
        .map(|p| p.gas_mol_m3.keys().copied().collect::<Vec<_>>())
        .unwrap_or_default()
    {
        t.float(
            format!("{gas} concentration [mol.m-3]"),
            flat(&|p| &p.gas_mol_m3[gas]),
        );
    }
    t.float(
        "Product volume fraction [-]",
        flat(&|p| &p.product_fraction),
    );
    t.float(
        "Product film volume fraction [-]",
        flat(&|p| &p.film_fraction),
    );
    t.float(
        "Electrolyte potential [V]",
        flat(&|p| &p.electrolyte_potential_V),
    );
    if profiles.iter().all(|p| p.superoxide_mol_m3.is_some()) && !profiles.is_empty() {
        t.float(
            "Superoxide concentration [mol.m-3]",
            flat(&|p| p.superoxide_mol_m3.as_deref().unwrap_or_default()),
        );
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_leaves_undefined_values_empty() {
        let mut t = Table::default();
        t.int("n", vec![1, 2]);
        t.opt("v", vec![Some(0.5), None]);
        assert_eq!(t.rows(), 2);
        assert_eq!(t.to_csv(), "n,v\n1,0.5\n2,\n");
    }
}
