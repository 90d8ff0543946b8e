//! The least-squares fit: residuals from simulations, Levenberg–Marquardt (the
//! `levenberg-marquardt` crate, a MINPACK port) with a finite-difference Jacobian whose columns
//! are simulated in parallel (rayon), and the statistics at the optimum.
//!
//! Residuals (weighted, dimensionless):
//!
//!   time series d, point i:  r = sqrt(w_d) (V_sim(t_i) - V_i) / sigma_d
//!   target k:                r = (y_sim,k - y_k) / sigma_k
//!
//! V_sim(t_i) is the voltage of the state the solver interpolates at exactly t_i (its own
//! dense output, not a line between recorded points, whose error near a knee exceeds the
//! noise); past the end of the simulation (a run that stops earlier than the measurement) the
//! last simulated voltage stands for it, so a capacity mismatch costs as much as the voltage gap
//! it leaves. sigma_d defaults to 10 mV.
//!
//! Bounds: the optimiser works on u with x = lo + (hi - lo)(1 + sin u)/2 in the search
//! coordinate x (the value, or its log10), so every trial point is inside the bounds. The
//! statistics use the Jacobian in x at the optimum (forward differences, step 1e-3 of the
//! range):
//!
//!   C = s^2 (J^T J)^-1,   s^2 = sum r^2 / (m - n)   (the residual variance; 1 when the sigmas
//!                                                    are right)
//!   standard error sqrt(C_jj), correlation C_ij / sqrt(C_ii C_jj), 95 % interval x +- 1.96 sigma
//!   (mapped back through the scale: asymmetric in the value for log-scaled parameters)
//!
//! A pair with |correlation| > 0.95, or J^T J with a condition number above 1e10, is reported
//! as not identifiable.
//!
//! The global method (`method = "global"`) first runs a particle swarm (argmin's standard PSO
//! 2011, Zambrano-Bigiarini et al., IEEE CEC 2013; seeded, its particles simulated in parallel)
//! over the bounded region in the search coordinates, and then polishes its best point with
//! Levenberg–Marquardt: a start in the wrong basin does not decide the answer.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use argmin::core::{CostFunction, Executor};
use argmin::solver::particleswarm::ParticleSwarm;
use levenberg_marquardt::{LeastSquaresProblem, LevenbergMarquardt};
use nalgebra::{DMatrix, DVector, Dyn, Owned};
use rand::SeedableRng;
use rayon::prelude::*;

use super::spec::{FitSpec, Method, TargetQuantity};
use crate::{simulate, Cell, Experiment, Solution, SolverOptions};

/// Voltage noise assumed for a data set that states none \[V\].
pub const DEFAULT_SIGMA: f64 = 0.01;
/// Residual of every point of a simulation that failed: a trial step there is rejected.
const FAILED: f64 = 1e6;
/// Forward-difference step as a fraction of each parameter's search range.
const FD_STEP: f64 = 1e-3;
/// Relative tolerance of the fit's simulations (tight, so that the finite differences see the
/// parameters and not the integrator's error control).
const FIT_RTOL: f64 = 1e-6;

/// Progress of a fit.
#[derive(Debug, Clone, Copy)]
pub struct FitProgress {
    /// Model evaluations so far (one evaluation simulates every data set and target).
    pub evaluations: usize,
    /// Lowest cost so far, 1/2 sum r^2.
    pub best_cost: f64,
}

/// Called after every model evaluation.
pub type FitProgressHook = Arc<dyn Fn(&FitProgress) + Send + Sync>;

/// How a fit runs.
#[derive(Clone, Default)]
pub struct FitOptions {
    /// Set to true (e.g. from a Ctrl-C handler) to stop and keep the best point so far.
    pub interrupt: Option<Arc<AtomicBool>>,
    /// Progress hook.
    pub progress: Option<FitProgressHook>,
}

/// A fitted parameter with its uncertainty.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FittedParameter {
    /// Registry name.
    pub name: String,
    /// Starting value.
    pub initial: f64,
    /// Fitted value.
    pub value: f64,
    /// Standard error of the value (linearised through the scale) [parameter unit].
    pub standard_error: f64,
    /// 95 % interval of the value [parameter unit].
    pub interval_95: (f64, f64),
    /// Whether the fit ended within 1e-3 of the range at a bound.
    pub at_bound: bool,
}

/// A simulated voltage curve.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Curve {
    /// Time \[s\].
    pub time: Vec<f64>,
    /// Voltage \[V\].
    pub voltage: Vec<f64>,
}

/// A target's measured and simulated values.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TargetOutcome {
    /// Name.
    pub name: String,
    /// Measured.
    pub measured: f64,
    /// Simulated with the starting values (None: the simulation failed).
    pub initial: Option<f64>,
    /// Simulated with the fitted values.
    pub fitted: Option<f64>,
}

/// What a fit found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FitResult {
    /// The parameters.
    pub parameters: Vec<FittedParameter>,
    /// Correlation matrix of the parameters (in the search coordinates).
    pub correlation: Vec<Vec<f64>>,
    /// Cost 1/2 sum r^2 at the start.
    pub initial_cost: f64,
    /// Cost at the optimum.
    pub cost: f64,
    /// Number of residuals.
    pub residuals: usize,
    /// Residual variance s^2 = sum r^2 / (m - n) (1 when the stated sigmas are right).
    pub residual_variance: f64,
    /// Model evaluations spent (the Jacobian's columns included).
    pub evaluations: usize,
    /// Why the optimiser stopped.
    pub termination: String,
    /// Whether Ctrl-C stopped it (the result is the best point so far).
    pub interrupted: bool,
    /// Identifiability and other warnings.
    pub warnings: Vec<String>,
    /// Per data set: the simulation with the starting values.
    pub initial_curves: Vec<Curve>,
    /// Per data set: the simulation with the fitted values.
    pub fitted_curves: Vec<Curve>,
    /// Per data set: the residuals (V_sim - V) \[V\] at the data points, fitted.
    pub fitted_residuals_v: Vec<Vec<f64>>,
    /// The targets.
    pub targets: Vec<TargetOutcome>,
}

/// One model evaluation: every data set's and target's simulation at the parameter values.
struct Evaluation {
    /// Simulated curves (None where the simulation failed).
    curves: Vec<Option<Curve>>,
    /// Simulated voltages at each data set's times (None where the simulation failed).
    at_data: Vec<Option<Vec<f64>>>,
    /// Simulated target values.
    targets: Vec<Option<f64>>,
}

/// The objective: the spec, the evaluation counter, the best point so far.
struct Objective<'a> {
    spec: &'a FitSpec,
    options: &'a FitOptions,
    evaluations: AtomicUsize,
    best: Mutex<(f64, Vec<f64>)>,
}

impl Objective<'_> {
    fn interrupted(&self) -> bool {
        self.options
            .interrupt
            .as_ref()
            .is_some_and(|f| f.load(Ordering::Relaxed))
    }

    /// The cell with the parameters at search coordinates `x`.
    fn cell(&self, x: &[f64]) -> Cell {
        let mut cell = self.spec.cell.clone();
        for (p, &xi) in self.spec.parameters.iter().zip(x) {
            let (lo, hi) = p.search_bounds();
            let value = p.from_search(xi.clamp(lo, hi)).clamp(p.lower, p.upper);
            cell.set_param(&self.spec.origin, &p.name, value)
                .expect("within the bounds checked on load");
        }
        cell
    }

    fn evaluate(&self, x: &[f64]) -> Evaluation {
        let cell = self.cell(x);
        let options = SolverOptions {
            rtol: FIT_RTOL,
            ..SolverOptions::default()
        };
        let run = |steps: &[String], at: &[f64]| -> Option<Solution> {
            let exp = Experiment::parse(steps).ok()?;
            let options = SolverOptions {
                snapshot_times: at.to_vec(),
                ..options.clone()
            };
            simulate(&cell, &exp, &options).ok()
        };
        let (curves, at_data) = self
            .spec
            .data
            .iter()
            .map(|d| match run(&d.steps, &d.time) {
                Some(s) => {
                    let curve = Curve {
                        time: s.time.clone(),
                        voltage: s.voltage(),
                    };
                    let at = voltages_at(&s, &d.time, &curve);
                    (Some(curve), Some(at))
                }
                None => (None, None),
            })
            .unzip();
        let targets = self
            .spec
            .targets
            .iter()
            .map(|t| run(&t.steps, &[]).and_then(|s| target_value(&s, t.quantity)))
            .collect();
        Evaluation {
            curves,
            at_data,
            targets,
        }
    }

    /// Weighted residuals of an evaluation.
    fn residuals(&self, e: &Evaluation) -> Vec<f64> {
        let mut r = Vec::new();
        for (d, at) in self.spec.data.iter().zip(&e.at_data) {
            let scale = d.weight.sqrt() / d.sigma.unwrap_or(DEFAULT_SIGMA);
            match at {
                Some(v_sim) => {
                    r.extend(v_sim.iter().zip(&d.voltage).map(|(&s, &v)| (s - v) * scale))
                }
                None => r.extend(std::iter::repeat_n(FAILED, d.time.len())),
            }
        }
        for (t, y) in self.spec.targets.iter().zip(&e.targets) {
            r.push(y.map_or(FAILED, |y| (y - t.value) / t.sigma));
        }
        r
    }

    /// Residuals at `x`, counted, with the best point remembered and progress reported.
    fn residuals_at(&self, x: &[f64]) -> Vec<f64> {
        let r = self.residuals(&self.evaluate(x));
        let cost = cost_of(&r);
        let evaluations = self.evaluations.fetch_add(1, Ordering::Relaxed) + 1;
        let best_cost = {
            let mut best = self.best.lock().expect("not poisoned");
            if cost < best.0 {
                *best = (cost, x.to_vec());
            }
            best.0
        };
        if let Some(hook) = &self.options.progress {
            hook(&FitProgress {
                evaluations,
                best_cost,
            });
        }
        r
    }

    /// Forward-difference Jacobian dr/dx at `x` with residuals `r0`, columns in parallel.
    fn jacobian_x(&self, x: &[f64], r0: &[f64]) -> DMatrix<f64> {
        let columns: Vec<Vec<f64>> = (0..x.len())
            .into_par_iter()
            .map(|j| {
                let (lo, hi) = self.spec.parameters[j].search_bounds();
                let mut h = FD_STEP * (hi - lo);
                // step inwards at the upper bound
                if x[j] + h > hi {
                    h = -h;
                }
                let mut xj = x.to_vec();
                xj[j] += h;
                let r = self.residuals_at(&xj);
                r.iter().zip(r0).map(|(a, b)| (a - b) / h).collect()
            })
            .collect();
        DMatrix::from_fn(r0.len(), x.len(), |i, j| columns[j][i])
    }
}

/// The least-squares cost 1/2 sum r^2.
fn cost_of(r: &[f64]) -> f64 {
    0.5 * r.iter().map(|v| v * v).sum::<f64>()
}

/// The cost 1/2 sum r^2 for the particle swarm.
struct SwarmCost<'a, 'b>(&'b Objective<'a>);

impl CostFunction for SwarmCost<'_, '_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, x: &Vec<f64>) -> Result<f64, argmin::core::Error> {
        if self.0.interrupted() {
            return Ok(f64::INFINITY);
        }
        let r = self.0.residuals_at(x);
        Ok(cost_of(&r))
    }
}

/// The particle swarm over the bounds; its best point is the objective's best afterwards.
fn swarm(objective: &Objective) -> Result<(), argmin::core::Error> {
    let spec = objective.spec;
    let (lo, hi): (Vec<f64>, Vec<f64>) = spec.parameters.iter().map(|p| p.search_bounds()).unzip();
    let solver = ParticleSwarm::new((lo, hi), spec.particles)
        .with_rng_generator(rand::rngs::StdRng::seed_from_u64(spec.seed));
    Executor::new(SwarmCost(objective), solver)
        .configure(|state| state.max_iters(spec.iterations))
        .run()?;
    Ok(())
}

/// The simulated value of a target quantity.
fn target_value(s: &Solution, q: TargetQuantity) -> Option<f64> {
    match q {
        TargetQuantity::DischargeCapacity => Some(s.discharge_capacity_mAh_cm2()),
        TargetQuantity::MeanDischargeVoltage => {
            let q = s.step_charge(0);
            (q > 0.0).then(|| s.step_energy(0) / q)
        }
        TargetQuantity::ElectronsPerO2 => s.electrons_per_o2(),
        TargetQuantity::FilmThickness => s
            .variable("Max film thickness [m]")
            .and_then(|v| v.values.to_f64().last().copied()),
    }
}

/// The simulated voltage at each of `times`: from the solver's states saved at exactly those
/// times, the last voltage past the end of the run (linear in the recorded curve where a
/// snapshot is missing).
pub fn voltages_at(s: &Solution, times: &[f64], curve: &Curve) -> Vec<f64> {
    let mut snapshots = s.snapshots.iter().peekable();
    times
        .iter()
        .map(|&t| {
            while snapshots.peek().is_some_and(|(ts, _)| *ts < t) {
                snapshots.next();
            }
            match snapshots.peek() {
                Some((ts, y)) if *ts == t => s.model.voltage(y),
                _ => interpolate(curve, t),
            }
        })
        .collect()
}

/// Linear interpolation of a curve at `t`; the last point past its end.
pub fn interpolate(c: &Curve, t: f64) -> f64 {
    crate::solution::interpolate_linear(&c.time, &c.voltage, t)
}

/// The optimiser's u of search coordinates `x`, strictly inside the bounds (sin u = +-1 has
/// no gradient).
fn u_of(spec: &FitSpec, x: &[f64]) -> DVector<f64> {
    DVector::from_iterator(
        x.len(),
        spec.parameters.iter().zip(x).map(|(p, &x)| {
            let (lo, hi) = p.search_bounds();
            (2.0 * (x - lo) / (hi - lo) - 1.0)
                .clamp(-0.999, 0.999)
                .asin()
        }),
    )
}

/// Search coordinate from the optimiser's unbounded u.
fn x_of(lo: f64, hi: f64, u: f64) -> f64 {
    lo + (hi - lo) * 0.5 * (1.0 + u.sin())
}

/// The LM problem in u.
struct Problem<'a, 'b> {
    objective: &'b Objective<'a>,
    u: DVector<f64>,
    /// Residuals at `u` (computed by `residuals`, reused by `jacobian`).
    last: Mutex<Option<(DVector<f64>, Vec<f64>)>>,
}

impl Problem<'_, '_> {
    fn x(&self, u: &DVector<f64>) -> Vec<f64> {
        self.objective
            .spec
            .parameters
            .iter()
            .zip(u.iter())
            .map(|(p, &ui)| {
                let (lo, hi) = p.search_bounds();
                x_of(lo, hi, ui)
            })
            .collect()
    }
}

impl LeastSquaresProblem<f64, Dyn, Dyn> for Problem<'_, '_> {
    type ResidualStorage = Owned<f64, Dyn>;
    type JacobianStorage = Owned<f64, Dyn, Dyn>;
    type ParameterStorage = Owned<f64, Dyn>;

    fn set_params(&mut self, u: &DVector<f64>) {
        self.u.copy_from(u);
    }

    fn params(&self) -> DVector<f64> {
        self.u.clone()
    }

    fn residuals(&self) -> Option<DVector<f64>> {
        if self.objective.interrupted() {
            return None;
        }
        let r = self.objective.residuals_at(&self.x(&self.u));
        *self.last.lock().expect("not poisoned") = Some((self.u.clone(), r.clone()));
        Some(DVector::from_vec(r))
    }

    fn jacobian(&self) -> Option<DMatrix<f64>> {
        if self.objective.interrupted() {
            return None;
        }
        let x = self.x(&self.u);
        let cached = self
            .last
            .lock()
            .expect("not poisoned")
            .clone()
            .filter(|(u, _)| *u == self.u)
            .map(|(_, r)| r);
        let r0 = match cached {
            Some(r) => r,
            None => self.objective.residuals_at(&x),
        };
        let mut j = self.objective.jacobian_x(&x, &r0);
        // chain rule: dx/du = (hi - lo) cos(u) / 2
        for (c, p) in self.objective.spec.parameters.iter().enumerate() {
            let (lo, hi) = p.search_bounds();
            let dxdu = 0.5 * (hi - lo) * self.u[c].cos();
            j.column_mut(c).scale_mut(dxdu);
        }
        Some(j)
    }
}

/// Fits the spec's parameters to its data and targets.
pub fn fit(spec: &FitSpec, options: &FitOptions) -> FitResult {
    let n = spec.parameters.len();
    let x0: Vec<f64> = spec
        .parameters
        .iter()
        .map(|p| {
            let v = p.initial.unwrap_or_else(|| {
                crate::params::registry::find(&p.name)
                    .map(|s| (s.get)(&spec.cell.params))
                    .unwrap_or(p.lower)
            });
            p.to_search(v.clamp(p.lower, p.upper))
        })
        .collect();
    let u0 = u_of(spec, &x0);
    let objective = Objective {
        spec,
        options,
        evaluations: AtomicUsize::new(0),
        best: Mutex::new((f64::INFINITY, Vec::new())),
    };
    let initial = objective.evaluate(&x0);
    let r_initial = objective.residuals(&initial);
    let initial_cost = cost_of(&r_initial);
    {
        let mut best = objective.best.lock().expect("not poisoned");
        *best = (initial_cost, x0.clone());
    }
    let mut warnings = Vec::new();
    let u0 = match spec.method {
        Method::Local => u0,
        Method::Global => {
            if let Err(e) = swarm(&objective) {
                warnings.push(format!("the global search stopped: {e}"));
            }
            // the local search starts from the swarm's best point
            let best = objective.best.lock().expect("not poisoned").1.clone();
            u_of(spec, &best)
        }
    };
    let problem = Problem {
        objective: &objective,
        u: u0,
        last: Mutex::new(None),
    };
    let patience = (spec.max_evaluations / (n + 1)).max(1);
    let (problem, report) = LevenbergMarquardt::new()
        .with_patience(patience)
        .minimize(problem);
    let interrupted = objective.interrupted();
    // the best point seen (the optimiser's last point, unless it was interrupted mid-step)
    let (_, x_best) = objective.best.lock().expect("not poisoned").clone();
    let x = if x_best.is_empty() {
        problem.x(&problem.u)
    } else {
        x_best
    };
    let fitted = objective.evaluate(&x);
    let r = objective.residuals(&fitted);
    let cost = cost_of(&r);
    let m = r.len();
    let (standard, correlation, residual_variance) = if interrupted {
        (vec![f64::NAN; n], vec![vec![f64::NAN; n]; n], f64::NAN)
    } else {
        statistics(&objective, &x, &r, &mut warnings)
    };
    let parameters = spec
        .parameters
        .iter()
        .enumerate()
        .map(|(j, p)| {
            let (lo, hi) = p.search_bounds();
            let value = p.from_search(x[j]);
            let sigma_x = standard[j];
            let slope = match p.scale {
                super::spec::Scale::Linear => 1.0,
                super::spec::Scale::Log => value * std::f64::consts::LN_10,
            };
            let at_bound =
                (x[j] - lo).abs() < 1e-3 * (hi - lo) || (hi - x[j]).abs() < 1e-3 * (hi - lo);
            if at_bound {
                warnings.push(format!(
                    "\"{}\" ended at a bound ({}): widen the bounds or fix it",
                    p.name,
                    crate::params::number_text(value)
                ));
            }
            FittedParameter {
                name: p.name.clone(),
                initial: p.from_search(x0[j]),
                value,
                standard_error: sigma_x * slope,
                interval_95: (
                    p.from_search(x[j] - 1.96 * sigma_x),
                    p.from_search(x[j] + 1.96 * sigma_x),
                ),
                at_bound,
            }
        })
        .collect();
    let to_curves = |e: &Evaluation| -> Vec<Curve> {
        e.curves
            .iter()
            .map(|c| c.clone().unwrap_or_default())
            .collect()
    };
    let fitted_residuals_v = spec
        .data
        .iter()
        .zip(&fitted.at_data)
        .map(|(d, at)| match at {
            Some(v_sim) => v_sim.iter().zip(&d.voltage).map(|(s, v)| s - v).collect(),
            None => vec![f64::NAN; d.time.len()],
        })
        .collect();
    let targets = spec
        .targets
        .iter()
        .enumerate()
        .map(|(k, t)| TargetOutcome {
            name: t.name.clone(),
            measured: t.value,
            initial: initial.targets[k],
            fitted: fitted.targets[k],
        })
        .collect();
    FitResult {
        parameters,
        correlation,
        initial_cost,
        cost,
        residuals: m,
        residual_variance,
        evaluations: objective.evaluations.load(Ordering::Relaxed),
        termination: if interrupted {
            "interrupted (best point so far)".into()
        } else {
            format!("{:?}", report.termination)
        },
        interrupted,
        warnings,
        initial_curves: to_curves(&initial),
        fitted_curves: to_curves(&fitted),
        fitted_residuals_v,
        targets,
    }
}

/// Standard errors (search coordinates), correlation matrix and residual variance at the
/// optimum; identifiability warnings.
fn statistics(
    objective: &Objective,
    x: &[f64],
    r: &[f64],
    warnings: &mut Vec<String>,
) -> (Vec<f64>, Vec<Vec<f64>>, f64) {
    let n = x.len();
    let m = r.len();
    let names: Vec<&str> = objective
        .spec
        .parameters
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    let j = objective.jacobian_x(x, r);
    let jtj = j.transpose() * &j;
    let s2 = if m > n {
        r.iter().map(|v| v * v).sum::<f64>() / (m - n) as f64
    } else {
        warnings.push(format!(
            "{m} residuals for {n} parameters: no residual variance, the errors assume the stated sigmas"
        ));
        1.0
    };
    let sv = jtj.clone().singular_values();
    let (max, min) = (sv.max(), sv.min());
    if min.partial_cmp(&(1e-10 * max)) != Some(std::cmp::Ordering::Greater) {
        warnings.push(format!(
            "not identifiable: J^T J is near singular (condition number {:.1e}); the data do not fix every parameter",
            if min > 0.0 { max / min } else { f64::INFINITY }
        ));
    }
    let cov = match jtj.clone().pseudo_inverse(1e-14 * max) {
        Ok(inv) => inv * s2,
        Err(_) => DMatrix::from_element(n, n, f64::NAN),
    };
    let standard: Vec<f64> = (0..n).map(|i| cov[(i, i)].max(0.0).sqrt()).collect();
    let correlation: Vec<Vec<f64>> = (0..n)
        .map(|a| {
            (0..n)
                .map(|b| cov[(a, b)] / (standard[a] * standard[b]))
                .collect()
        })
        .collect();
    for a in 0..n {
        for b in a + 1..n {
            let c = correlation[a][b];
            if c.abs() > 0.95 || c.is_nan() {
                warnings.push(format!(
                    "not identifiable: \"{}\" and \"{}\" are correlated ({c:.3}); the data fix a combination of them, not each",
                    names[a], names[b]
                ));
            }
        }
    }
    (standard, correlation, s2)
}
