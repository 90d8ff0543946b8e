//! Design sweeps: one base cell and protocol, many runs over parameter ranges and component
//! alternatives, run in parallel, resumable after any interruption, shardable across machines.
//!
//! The pipeline: [`spec`] (the sweep file: cell, protocol, axes, design) -> [`sample`] (each
//! run's point in the design space) -> [`run`] (the cell at that point, simulated, reduced to
//! one row of metrics) -> [`dataset`] (the journal of finished runs and the Parquet dataset)
//! -> [`analysis`] (ranking, sensitivities, Pareto fronts).
//!
//! A run depends only on the sweep and its index, and the dataset is written sorted by run:
//! the same sweep gives the same bytes whatever the thread count, the shard layout or the
//! interruptions.

pub mod analysis;
pub mod dataset;
pub mod run;
pub mod sample;
pub mod spec;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

pub use dataset::{Dataset, DatasetError, Identity, Journal, Shard};
pub use run::{run_one, RunRecord};
pub use spec::{Axis, AxisKind, Design, Level, SweepSpec};

/// Where a sweep stands, reported after every finished run.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Runs finished (including those found in the journal).
    pub done: usize,
    /// Runs of this sweep (or shard).
    pub total: usize,
    /// Runs whose status is not "ok".
    pub failed: usize,
}

/// A progress callback.
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// How a sweep is executed.
#[derive(Clone, Default)]
pub struct ExecuteOptions {
    /// Worker threads (None: all cores).
    pub threads: Option<usize>,
    /// Run only this slice.
    pub shard: Option<Shard>,
    /// Set to true to stop: runs in progress are abandoned (and redone on the next start).
    pub interrupt: Option<Arc<AtomicBool>>,
    /// Called after every finished run.
    pub progress: Option<ProgressFn>,
}

/// What an execution left behind.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Every finished run of this sweep (or shard), sorted by run.
    pub records: Vec<RunRecord>,
    /// Runs of this sweep (or shard).
    pub total: usize,
    /// Runs found finished in the journal at the start.
    pub resumed: usize,
    /// The dataset, once every run is finished (None after an interrupt).
    pub dataset: Option<PathBuf>,
}

/// Runs the sweep (or its shard) into `dir`, resuming from the runs its journal holds, and
/// writes `dir/results.parquet` when every run is finished.
pub fn execute(
    spec: &SweepSpec,
    dir: &Path,
    options: &ExecuteOptions,
) -> Result<Outcome, DatasetError> {
    let identity = Identity::of(spec, options.shard);
    let (journal, mut records) = Journal::open(dir, &identity)?;
    let runs: Vec<usize> = (0..spec.run_count())
        .filter(|&r| options.shard.is_none_or(|s| s.holds(r)))
        .collect();
    records.retain(|r| options.shard.is_none_or(|s| s.holds(r.run)) && r.run < spec.run_count());
    let resumed = records.len();
    let finished: std::collections::HashSet<usize> = records.iter().map(|r| r.run).collect();
    let pending: Vec<usize> = runs
        .iter()
        .copied()
        .filter(|r| !finished.contains(r))
        .collect();
    let total = runs.len();
    let done = AtomicUsize::new(resumed);
    let n_failed = AtomicUsize::new(records.iter().filter(|r| !r.is_ok(spec)).count());
    let report = |d: usize| {
        if let Some(p) = &options.progress {
            p(&Progress {
                done: d,
                total,
                failed: n_failed.load(Ordering::Relaxed),
            });
        }
    };
    report(resumed);
    let new = Mutex::new(Vec::new());
    let error = Mutex::new(None);
    let stopped = || {
        options
            .interrupt
            .as_ref()
            .is_some_and(|i| i.load(Ordering::Relaxed))
    };
    let work = || {
        pending.par_iter().with_max_len(1).for_each(|&run| {
            if stopped() || error.lock().is_ok_and(|e| e.is_some()) {
                return;
            }
            let Some(record) = run_one(spec, run, options.interrupt.clone()) else {
                return;
            };
            if let Err(e) = journal.append(&record) {
                if let Ok(mut slot) = error.lock() {
                    slot.get_or_insert(e);
                }
                return;
            }
            if !record.is_ok(spec) {
                n_failed.fetch_add(1, Ordering::Relaxed);
            }
            if let Ok(mut v) = new.lock() {
                v.push(record);
            }
            report(done.fetch_add(1, Ordering::Relaxed) + 1);
        })
    };
    match options.threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|e| DatasetError::Io {
                path: dir.to_path_buf(),
                message: format!("cannot start {n} threads: {e}"),
            })?
            .install(work),
        None => work(),
    }
    if let Some(e) = error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e);
    }
    records.extend(new.into_inner().unwrap_or_else(|p| p.into_inner()));
    records.sort_by_key(|r| r.run);
    let dataset = if records.len() == total {
        let path = dir.join(dataset::DATASET);
        dataset::write_parquet(&path, spec, &records)?;
        Some(path)
    } else {
        None
    };
    Ok(Outcome {
        records,
        total,
        resumed,
        dataset,
    })
}

/// Combines the output folders of a sweep's shards into `out/results.parquet`: every run
/// exactly once, the same bytes as the unsharded sweep.
pub fn merge(shards: &[PathBuf], out: &Path) -> Result<PathBuf, DatasetError> {
    let mut first: Option<Identity> = None;
    let mut all: std::collections::BTreeMap<usize, RunRecord> = Default::default();
    for dir in shards {
        let (id, records) = dataset::read_folder(dir)?;
        if let Some(f) = &first {
            if f.sweep != id.sweep || f.cell != id.cell || f.version != id.version {
                return Err(DatasetError::OtherSweep {
                    dir: dir.clone(),
                    what: "the sweep, its cell or the triphase version".into(),
                });
            }
        }
        first.get_or_insert(id);
        for r in records {
            if let Some(old) = all.insert(r.run, r.clone()) {
                if old != r {
                    return Err(DatasetError::Incomplete {
                        message: format!("run {} has two different results", r.run),
                    });
                }
            }
        }
    }
    let id = first.ok_or_else(|| DatasetError::Incomplete {
        message: "no shard folders given".into(),
    })?;
    let spec = id
        .spec(&shards[0].join(dataset::IDENTITY).display().to_string())
        .map_err(|e| DatasetError::NotADataset {
            path: shards[0].clone(),
            message: e.to_string(),
        })?;
    let n = spec.run_count();
    let missing: Vec<usize> = (0..n).filter(|r| !all.contains_key(r)).collect();
    if !missing.is_empty() {
        let head: Vec<String> = missing.iter().take(10).map(|r| r.to_string()).collect();
        return Err(DatasetError::Incomplete {
            message: format!(
                "{} of {n} runs missing (runs {}{}): finish or add their shards",
                missing.len(),
                head.join(", "),
                if missing.len() > 10 { ", ..." } else { "" }
            ),
        });
    }
    std::fs::create_dir_all(out).map_err(|e| DatasetError::Io {
        path: out.to_path_buf(),
        message: e.to_string(),
    })?;
    let path = out.join(dataset::DATASET);
    let records: Vec<RunRecord> = all.into_values().collect();
    dataset::write_parquet(&path, &spec, &records)?;
    Ok(path)
}
