//! Where a sweep's results live: an append-only journal of finished runs (what makes a sweep
//! resumable after any kill) and the Parquet dataset written from it.
//!
//! The journal `runs.jsonl` holds one JSON line per finished run, appended as each run ends;
//! a kill can leave at most a partial last line, which the next start cuts off. `sweep.json`
//! beside it records which sweep the folder belongs to, so that a rerun with another sweep
//! file is refused instead of mixing results. The dataset `results.parquet` is written from the
//! journal sorted by run, with the same writer settings every time: the same sweep gives the
//! same bytes however it was interrupted, sharded or threaded.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray,
};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::run::{ColumnType, RunRecord, OUTPUTS};
use super::spec::SweepSpec;

/// Name of the journal in an output folder.
pub const JOURNAL: &str = "runs.jsonl";
/// Name of the identity file in an output folder.
pub const IDENTITY: &str = "sweep.json";
/// Name of the dataset in an output folder.
pub const DATASET: &str = "results.parquet";
/// The index column.
pub const RUN_COLUMN: &str = "Run";

/// Errors of the sweep's files.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    /// A file could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The folder holds the results of another sweep.
    #[error("{dir} holds the results of another sweep ({what} differs): give another --out, or delete it to start again")]
    OtherSweep {
        /// The folder.
        dir: PathBuf,
        /// What differs.
        what: String,
    },
    /// Shards do not add up to the whole sweep.
    #[error("the shards do not cover the sweep: {message}")]
    Incomplete {
        /// What is missing or repeated.
        message: String,
    },
    /// A dataset file is not a triphase sweep dataset.
    #[error("{path}: not a triphase sweep dataset: {message}")]
    NotADataset {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

fn io(path: &Path, e: impl std::fmt::Display) -> DatasetError {
    DatasetError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// What a folder's results belong to (`sweep.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// triphase version that ran it.
    pub version: String,
    /// The sweep file's text.
    pub sweep: String,
    /// The base cell's TOML.
    pub cell: String,
    /// "I/N" for a shard, None for the whole sweep.
    pub shard: Option<String>,
}

impl Identity {
    /// The identity of `spec` (run as `shard`).
    pub fn of(spec: &SweepSpec, shard: Option<Shard>) -> Self {
        Identity {
            version: env!("CARGO_PKG_VERSION").to_string(),
            sweep: spec.text.clone(),
            cell: spec.cell_text.clone(),
            shard: shard.map(|s| s.to_string()),
        }
    }

    /// The sweep it belongs to.
    pub fn spec(&self, origin: &str) -> Result<SweepSpec, crate::InputError> {
        SweepSpec::resolved(&self.sweep, origin, &self.cell)
    }
}

/// A deterministic slice of a sweep: runs with index % count == index - 1 (1-based `index`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based shard number.
    pub index: usize,
    /// Number of shards.
    pub count: usize,
}

impl Shard {
    /// Parses "I/N" with 1 <= I <= N.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("expected I/N (e.g. 2/8), got \"{s}\""))?;
        let i: usize = i
            .trim()
            .parse()
            .map_err(|_| format!("\"{i}\" is not a whole number"))?;
        let n: usize = n
            .trim()
            .parse()
            .map_err(|_| format!("\"{n}\" is not a whole number"))?;
        if n == 0 || i == 0 || i > n {
            return Err(format!("shard {i}/{n}: expected 1 <= I <= N"));
        }
        Ok(Shard { index: i, count: n })
    }

    /// Whether run `run` belongs to this shard.
    pub fn holds(&self, run: usize) -> bool {
        run % self.count == self.index - 1
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The append-only journal of an output folder.
#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
    file: Arc<Mutex<File>>,
}

impl Journal {
    /// Opens (or starts) the journal in `dir` for `identity`; returns it with the runs already
    /// finished. A partial last line (a kill mid-write) is cut off; a folder of another sweep
    /// is refused.
    pub fn open(
        dir: &Path,
        identity: &Identity,
    ) -> Result<(Journal, Vec<RunRecord>), DatasetError> {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let id_path = dir.join(IDENTITY);
        match std::fs::read_to_string(&id_path) {
            Ok(text) => {
                let old: Identity = serde_json::from_str(&text).map_err(|e| io(&id_path, e))?;
                let what = if old.sweep != identity.sweep {
                    Some("the sweep file")
                } else if old.cell != identity.cell {
                    Some("the base cell")
                } else if old.version != identity.version {
                    Some("the triphase version")
                } else if old.shard != identity.shard {
                    Some("the shard")
                } else {
                    None
                };
                if let Some(what) = what {
                    return Err(DatasetError::OtherSweep {
                        dir: dir.to_path_buf(),
                        what: what.into(),
                    });
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let text = serde_json::to_string_pretty(identity).map_err(|e| io(&id_path, e))?;
                let tmp = id_path.with_extension("json.tmp");
                std::fs::write(&tmp, text).map_err(|e| io(&tmp, e))?;
                std::fs::rename(&tmp, &id_path).map_err(|e| io(&id_path, e))?;
            }
            Err(e) => return Err(io(&id_path, e)),
        }
        let path = dir.join(JOURNAL);
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)
            .map_err(|e| io(&path, e))?;
        let (records, good) = read_journal(&mut file, &path)?;
        // cut a partial last line off (appends then start on a fresh line)
        if good < file.metadata().map_err(|e| io(&path, e))?.len() {
            file.set_len(good).map_err(|e| io(&path, e))?;
        }
        Ok((
            Journal {
                path,
                file: Arc::new(Mutex::new(file)),
            },
            records,
        ))
    }

    /// Appends a finished run (one line, written in one call).
    pub fn append(&self, record: &RunRecord) -> Result<(), DatasetError> {
        let mut line = serde_json::to_string(record).map_err(|e| io(&self.path, e))?;
        line.push('\n');
        let mut f = self.file.lock().unwrap_or_else(|p| p.into_inner());
        f.write_all(line.as_bytes())
            .map_err(|e| io(&self.path, e))?;
        f.flush().map_err(|e| io(&self.path, e))
    }
}

/// The complete records of a journal (first of duplicates) and the length of its whole lines.
fn read_journal(file: &mut File, path: &Path) -> Result<(Vec<RunRecord>, u64), DatasetError> {
    file.seek(SeekFrom::Start(0)).map_err(|e| io(path, e))?;
    let mut reader = BufReader::new(&mut *file);
    let mut records = BTreeMap::new();
    let mut good = 0u64;
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader.read_line(&mut line).map_err(|e| io(path, e))?;
        if n == 0 || !line.ends_with('\n') {
            break;
        }
        match serde_json::from_str::<RunRecord>(&line) {
            Ok(r) => {
                records.entry(r.run).or_insert(r);
                good += n as u64;
            }
            Err(_) => break,
        }
    }
    Ok((records.into_values().collect(), good))
}

/// The records of an output folder's journal, with its identity (for `sweep merge`).
pub fn read_folder(dir: &Path) -> Result<(Identity, Vec<RunRecord>), DatasetError> {
    let id_path = dir.join(IDENTITY);
    let text = std::fs::read_to_string(&id_path).map_err(|e| io(&id_path, e))?;
    let identity: Identity = serde_json::from_str(&text).map_err(|e| io(&id_path, e))?;
    let path = dir.join(JOURNAL);
    let mut file = File::open(&path).map_err(|e| io(&path, e))?;
    let (records, _) = read_journal(&mut file, &path)?;
    Ok((identity, records))
}

/// The dataset's columns: `Run`, the axes, the outputs.
pub fn columns(spec: &SweepSpec) -> Vec<(String, ColumnType)> {
    let mut c = vec![(RUN_COLUMN.to_string(), ColumnType::Int)];
    for a in &spec.axes {
        let ty = if a.is_categorical() {
            ColumnType::Text
        } else {
            ColumnType::Float
        };
        c.push((a.name.clone(), ty));
    }
    c.extend(OUTPUTS.iter().map(|o| (o.name.to_string(), o.ty)));
    c
}

/// Metadata keys of the dataset.
pub mod keys {
    /// The triphase version.
    pub const VERSION: &str = "triphase.version";
    /// The sweep file's text.
    pub const SWEEP: &str = "triphase.sweep";
    /// The base cell's TOML.
    pub const CELL: &str = "triphase.cell";
}

/// Writes the dataset of `records` (sorted by run; one row group) to `path`, atomically.
pub fn write_parquet(
    path: &Path,
    spec: &SweepSpec,
    records: &[RunRecord],
) -> Result<(), DatasetError> {
    let mut rows: Vec<&RunRecord> = records.iter().collect();
    rows.sort_by_key(|r| r.run);
    let cols = columns(spec);
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for (k, (name, ty)) in cols.iter().enumerate() {
        let cell = |r: &RunRecord| -> Value {
            if k == 0 {
                Value::from(r.run as i64)
            } else {
                r.values.get(k - 1).cloned().unwrap_or(Value::Null)
            }
        };
        let (dt, array): (DataType, ArrayRef) = match ty {
            ColumnType::Int => (
                DataType::Int64,
                Arc::new(Int64Array::from(
                    rows.iter().map(|r| cell(r).as_i64()).collect::<Vec<_>>(),
                )),
            ),
            ColumnType::Float => (
                DataType::Float64,
                Arc::new(Float64Array::from(
                    rows.iter().map(|r| cell(r).as_f64()).collect::<Vec<_>>(),
                )),
            ),
            ColumnType::Text => (
                DataType::Utf8,
                Arc::new(StringArray::from(
                    rows.iter()
                        .map(|r| cell(r).as_str().map(str::to_string))
                        .collect::<Vec<_>>(),
                )),
            ),
            ColumnType::Bool => (
                DataType::Boolean,
                Arc::new(BooleanArray::from(
                    rows.iter().map(|r| cell(r).as_bool()).collect::<Vec<_>>(),
                )),
            ),
        };
        fields.push(Field::new(name, dt, k != 0));
        arrays.push(array);
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| io(path, e))?;
    let props = WriterProperties::builder()
        .set_key_value_metadata(Some(vec![
            KeyValue::new(keys::VERSION.into(), env!("CARGO_PKG_VERSION").to_string()),
            KeyValue::new(keys::SWEEP.into(), spec.text.clone()),
            KeyValue::new(keys::CELL.into(), spec.cell_text.clone()),
        ]))
        .build();
    let tmp = path.with_extension("parquet.tmp");
    let file = File::create(&tmp).map_err(|e| io(&tmp, e))?;
    let mut writer = ArrowWriter::try_new(file, schema, Some(props)).map_err(|e| io(path, e))?;
    writer.write(&batch).map_err(|e| io(path, e))?;
    writer.close().map_err(|e| io(path, e))?;
    std::fs::rename(&tmp, path).map_err(|e| io(path, e))
}

/// One column of a dataset read back.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    /// Integers.
    Int(Vec<Option<i64>>),
    /// Floats.
    Float(Vec<Option<f64>>),
    /// Text.
    Text(Vec<Option<String>>),
    /// Booleans.
    Bool(Vec<Option<bool>>),
}

impl ColumnData {
    /// The values as numbers (integers and booleans converted; text: None).
    pub fn numbers(&self) -> Option<Vec<Option<f64>>> {
        match self {
            ColumnData::Int(v) => Some(v.iter().map(|x| x.map(|x| x as f64)).collect()),
            ColumnData::Float(v) => Some(v.clone()),
            ColumnData::Bool(v) => Some(v.iter().map(|x| x.map(|b| b as u8 as f64)).collect()),
            ColumnData::Text(_) => None,
        }
    }
}

/// A sweep dataset read back from Parquet, with the sweep it came from.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The sweep (re-read from the file's metadata).
    pub spec: SweepSpec,
    /// Columns by name, in file order.
    pub columns: Vec<(String, ColumnData)>,
}

impl Dataset {
    /// Reads a dataset written by [`write_parquet`].
    pub fn read(path: &Path) -> Result<Dataset, DatasetError> {
        let not = |m: String| DatasetError::NotADataset {
            path: path.to_path_buf(),
            message: m,
        };
        let file = File::open(path).map_err(|e| io(path, e))?;
        let builder =
            ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| not(e.to_string()))?;
        let kv: BTreeMap<String, String> = builder
            .metadata()
            .file_metadata()
            .key_value_metadata()
            .map(|v| {
                v.iter()
                    .filter_map(|k| Some((k.key.clone(), k.value.clone()?)))
                    .collect()
            })
            .unwrap_or_default();
        let (sweep, cell) = match (kv.get(keys::SWEEP), kv.get(keys::CELL)) {
            (Some(s), Some(c)) => (s.clone(), c.clone()),
            _ => return Err(not("no triphase.sweep metadata".into())),
        };
        let spec = SweepSpec::resolved(&sweep, &format!("{} (metadata)", path.display()), &cell)
            .map_err(|e| not(e.to_string()))?;
        let reader = builder.build().map_err(|e| not(e.to_string()))?;
        let mut columns: Vec<(String, ColumnData)> = Vec::new();
        for batch in reader {
            let batch = batch.map_err(|e| not(e.to_string()))?;
            let schema = batch.schema();
            for (i, f) in schema.fields().iter().enumerate() {
                let a = batch.column(i);
                let data = if let Some(x) = a.as_any().downcast_ref::<Int64Array>() {
                    ColumnData::Int(x.iter().collect())
                } else if let Some(x) = a.as_any().downcast_ref::<Float64Array>() {
                    ColumnData::Float(x.iter().collect())
                } else if let Some(x) = a.as_any().downcast_ref::<StringArray>() {
                    ColumnData::Text(x.iter().map(|s| s.map(str::to_string)).collect())
                } else if let Some(x) = a.as_any().downcast_ref::<BooleanArray>() {
                    ColumnData::Bool(x.iter().collect())
                } else {
                    return Err(not(format!(
                        "column \"{}\" has type {}",
                        f.name(),
                        a.data_type()
                    )));
                };
                match columns.iter_mut().find(|(n, _)| n == f.name()) {
                    None => columns.push((f.name().clone(), data)),
                    Some((_, old)) => match (old, data) {
                        (ColumnData::Int(o), ColumnData::Int(n)) => o.extend(n),
                        (ColumnData::Float(o), ColumnData::Float(n)) => o.extend(n),
                        (ColumnData::Text(o), ColumnData::Text(n)) => o.extend(n),
                        (ColumnData::Bool(o), ColumnData::Bool(n)) => o.extend(n),
                        _ => return Err(not("column types change between row groups".into())),
                    },
                }
            }
        }
        Ok(Dataset { spec, columns })
    }

    /// Column `name`.
    pub fn column(&self, name: &str) -> Option<&ColumnData> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, c)| c)
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        match self.columns.first().map(|(_, c)| c) {
            Some(ColumnData::Int(v)) => v.len(),
            Some(ColumnData::Float(v)) => v.len(),
            Some(ColumnData::Text(v)) => v.len(),
            Some(ColumnData::Bool(v)) => v.len(),
            None => 0,
        }
    }

    /// Whether it has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
