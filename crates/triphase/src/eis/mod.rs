//! Impedance spectra from the discretised model, linearised about a state.
//!
//! The model is M dy/dt = f(y, I) with the applied current I set by the cycler. About a state
//! y0 (at rest or under current), a small sinusoidal current I0 + dI e^{i w t} gives
//! dy e^{i w t} with
//!
//!   (i w M_eis - J) dy = (df/dI) dI,      J = df/dy (exact, forward-mode dual numbers),
//!
//! and the impedance is Z(w) = -dV/dI [Ohm.m2] (positive real part for a resistor: V falls as
//! the discharge current rises), with dV = grad V . dy. The time-domain model neglects
//! double-layer charging (its time constants are micro- to milliseconds); `M_eis` restores it:
//!
//! - cathode, in each volume: the current between carbon and electrolyte is
//!   a (i_c + C_dl,c d(phi_s - phi_e)/dt), so the electrolyte and carbon charge rows gain the
//!   mass entries +-a dx C_dl,c on phi_s and phi_e (the double layer in parallel with the film
//!   and the charge transfer);
//! - metal: i_app = i_F(eta) + a_f C_dl,a d(eta)/dt, with eta the charge-transfer overpotential,
//!   so the metal's Butler–Volmer row gains the mass row -a_f C_dl,a grad(eta);
//! - surface layers on the metal (the dense SEI, the porous corrosion scale, a protective
//!   layer): the model's ohmic drop i_app R_i across layer i becomes a state V_i with
//!   C_i dV_i/dt = i_app - V_i / R_i, the layer's resistance R_i = rho_i L_i / a_f in parallel
//!   with its capacitance C_i = eps_0 eps_r a_f / L_i; at steady state V_i = i_app R_i, the
//!   model's own drop. A contact resistance stays a pure resistor.
//!
//! The metal's interface is thus (R_ct || C_dl,a) in series with one (R_i || C_i) arc per layer;
//! at rest with equal salt orders R_ct = 1 / (a_f i0_a f) exactly. Each layer's arc peaks at
//! f = 1 / (2 pi rho_i eps_0 eps_r), whatever its thickness; its diameter grows with it.

use std::collections::BTreeMap;

use faer::c64;
use faer::linalg::solvers::Solve;
use faer::sparse::linalg::solvers::{Lu, SymbolicLu};
use faer::sparse::{Pair, SparseColMat, SymbolicSparseColMat};
use num_dual::Dual64;
use serde::Serialize;

use crate::model::anode::{plating, sei};
use crate::model::layout::StateKind;
use crate::model::symmetric;
use crate::model::{Control, Model, OperatingMode, Workspace};

/// Vacuum permittivity eps_0 [F.m-1].
pub const VACUUM_PERMITTIVITY: f64 = 8.8541878128e-12;

/// An impedance spectrum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spectrum {
    /// Frequency \[Hz\].
    pub frequency_hz: Vec<f64>,
    /// Real part of the impedance [Ohm.m2].
    pub z_real_ohm_m2: Vec<f64>,
    /// Imaginary part of the impedance [Ohm.m2].
    pub z_imag_ohm_m2: Vec<f64>,
}

/// Why a spectrum could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum EisError {
    /// Frequencies outside (0, 1e9] Hz.
    #[error("frequencies must lie in (0, 1e9] Hz, got {0}")]
    Frequency(f64),
    /// The linear system was singular at a frequency.
    #[error("the linearised system is singular at {frequency} Hz: {message}")]
    Singular {
        /// Frequency \[Hz\].
        frequency: f64,
        /// The solver's message.
        message: String,
    },
}

/// The interfacial resistance an experimenter reads off a Nyquist plot [Ohm.m2]: the width of
/// the high- and mid-frequency arcs, Re Z at the end of the arcs minus the high-frequency
/// intercept Re Z(f_max).
///
/// Below the frequency of the largest arc's top (largest -Im Z), the arcs end at the deepest
/// local minimum of -Im Z, where the low-frequency branch (salt diffusion, the blocking carbon)
/// takes over (a shallower minimum between two interface arcs does not end them); where the
/// arcs run into that branch without a minimum, the lowest frequency ends them. For R0 in series with well-separated (R_k || C_k) pairs the result is
/// the sum of the R_k that peak above the minimum (to the arcs' overlap, 1e-3 for time
/// constants 1e4 apart). The spectrum must run from high to low frequency.
pub fn interface_resistance(spectrum: &Spectrum) -> f64 {
    let re = &spectrum.z_real_ohm_m2;
    let im: Vec<f64> = spectrum.z_imag_ohm_m2.iter().map(|z| -z).collect();
    let Some(first) = re.first() else {
        return 0.0;
    };
    let top = im
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(k, _)| k);
    let end = (top + 1..im.len().saturating_sub(1))
        .filter(|&k| im[k] <= im[k - 1] && im[k] < im[k + 1])
        .min_by(|&a, &b| im[a].total_cmp(&im[b]))
        .unwrap_or(im.len() - 1);
    re[end] - first
}

/// `per_decade` log-spaced frequencies from `from` down to `to` \[Hz\], both included.
pub fn frequencies(from: f64, to: f64, per_decade: usize) -> Vec<f64> {
    let decades = (from.log10() - to.log10()).abs();
    let n = ((decades * per_decade as f64).round() as usize).max(1);
    (0..=n)
        .map(|k| 10f64.powf(from.log10() + (to.log10() - from.log10()) * k as f64 / n as f64))
        .collect()
}

/// The linearised system: (row, col) -> (J, M_eis), its size, the current column and the
/// voltage gradient.
struct Linear {
    entries: BTreeMap<(usize, usize), (f64, f64)>,
    size: usize,
    current: usize,
    grad_v: Vec<(usize, f64)>,
}

impl Linear {
    fn add(&mut self, row: usize, col: usize, j: f64, m: f64) {
        let e = self.entries.entry((row, col)).or_insert((0.0, 0.0));
        e.0 += j;
        e.1 += m;
    }
}

fn linearise(model: &Model, y: &[f64]) -> Linear {
    let n = model.len();
    let l = &model.layout;
    let control = Control::at(OperatingMode::Current(y[l.current]));
    let mut ws = Workspace::<Dual64>::for_model(model);
    let mut out = vec![Dual64::from(0.0); n];
    let mut xd: Vec<Dual64> = y.iter().map(|&v| Dual64::from(v)).collect();
    let mut lin = Linear {
        entries: BTreeMap::new(),
        size: n,
        current: l.current,
        grad_v: Vec::new(),
    };
    let anode = !model.options.half_cell;
    let films = anode && l.sei.is_some();
    // per column: the Jacobian, and the gradients of the metal-side quantities
    let mut grad_phi_face = vec![0.0; n];
    let mut grad_counter_face = vec![0.0; n];
    let mut grad_layers: Vec<[f64; 3]> = vec![[0.0; 3]; n];
    for k in 0..n {
        xd[k] = Dual64::new(y[k], 1.0);
        model.residual(&xd, &control, &mut ws, &mut out);
        for (i, o) in out.iter().enumerate() {
            if o.eps != 0.0 {
                lin.add(i, k, o.eps, 0.0);
            }
        }
        let v = model.voltage(&xd).eps;
        if v != 0.0 {
            lin.grad_v.push((k, v));
        }
        if anode {
            grad_phi_face[k] = plating::interface(model, &xd, &ws.props).1.eps;
        }
        if l.counter.is_some() {
            grad_counter_face[k] = symmetric::interface(model, &xd, &ws.props).1.eps;
        }
        if films {
            let parts = sei::layers(model, &ws.props.layers);
            grad_layers[k] = parts.map(|p| p.1.eps);
        }
        xd[k] = Dual64::from(y[k]);
    }
    for i in 0..n {
        if l.kind(i) == StateKind::Differential {
            lin.add(i, i, 0.0, 1.0);
        }
    }
    if !l.double_layer {
        // with the option the model's own double-layer rows carry it
        cathode_double_layer(model, y, &mut lin);
    }
    if anode {
        metal_interfaces(
            model,
            y,
            &grad_phi_face,
            &grad_counter_face,
            &grad_layers,
            &mut lin,
        );
    }
    lin
}

fn cathode_double_layer(model: &Model, y: &[f64], lin: &mut Linear) {
    let l = &model.layout;
    let c = model.params.cathode.double_layer_capacitance;
    for j in 0..model.mesh.n_cat {
        let k = model.cat(j);
        let area = model.structure.active_area(model.deposit(y, j));
        let cap = area * model.mesh.dx[k] * c;
        let (s, e) = (l.phi_s.start + j, l.phi_e.start + k);
        if k > 0 {
            lin.add(e, s, 0.0, cap);
            lin.add(e, e, 0.0, -cap);
        }
        lin.add(s, s, 0.0, -cap);
        lin.add(s, e, 0.0, cap);
    }
}

/// The metal surfaces: the working electrode (the anode of a metal-air cell) at x = 0 and, in
/// a symmetric cell, the counter electrode at x = L_s, whose layers mirror it.
fn metal_interfaces(
    model: &Model,
    y: &[f64],
    grad_phi_face: &[f64],
    grad_counter_face: &[f64],
    grad_layers: &[[f64; 3]],
    lin: &mut Linear,
) {
    let l = &model.layout;
    let n = model.len();
    let u = model.params.anode.open_circuit_potential;
    let mut ws = Workspace::<f64>::for_model(model);
    model.fill_properties(y, &mut ws.props);
    let r_s = plating::surface_resistance(model, &ws.props);
    let i_app = y[l.current];
    // working electrode: eta = -phi_face - U - i_app R_s, row i_F(eta) - i_app
    let (c_face, phi_face) = plating::interface(model, y, &ws.props);
    let base: Vec<(usize, f64)> = (0..n)
        .filter(|&k| grad_phi_face[k] != 0.0)
        .map(|k| (k, -grad_phi_face[k]))
        .collect();
    let element = Element {
        row: l.phi_e.start,
        sign: -1.0,
        eta: -phi_face - u - i_app * r_s,
        c_face,
        grad_base: base,
    };
    interface_element(model, y, &ws, grad_layers, &element, lin);
    // counter electrode: eta = phi_C - phi_face,L - U + i_app R_s, row i_F(eta) + i_app
    if let Some(c) = &l.counter {
        let (c_face, phi_face) = symmetric::interface(model, y, &ws.props);
        let mut base: Vec<(usize, f64)> = (0..n)
            .filter(|&k| grad_counter_face[k] != 0.0)
            .map(|k| (k, -grad_counter_face[k]))
            .collect();
        base.push((c.potential, 1.0));
        let element = Element {
            row: c.potential,
            sign: 1.0,
            eta: y[c.potential] - phi_face - u + i_app * r_s,
            c_face,
            grad_base: base,
        };
        interface_element(model, y, &ws, grad_layers, &element, lin);
    }
}

/// A metal surface: its Butler–Volmer row, eta = base(y) + sign i_app R_s at the state, and
/// the gradient of base(y).
struct Element {
    row: usize,
    sign: f64,
    eta: f64,
    c_face: f64,
    grad_base: Vec<(usize, f64)>,
}

/// The double layer and the layers' RC elements of one metal surface.
fn interface_element(
    model: &Model,
    y: &[f64],
    ws: &Workspace<f64>,
    grad_layers: &[[f64; 3]],
    e: &Element,
    lin: &mut Linear,
) {
    let l = &model.layout;
    let a = &model.params.anode;
    let i_app = y[l.current];
    let s = e.sign;
    let di_deta =
        plating::metal_kinetics(model, Dual64::new(e.eta, 1.0), Dual64::from(e.c_face)).eps;
    // eta without the layers' drops, then + sign V_i per layer
    let mut grad_eta = e.grad_base.clone();
    if l.sei.is_some() {
        let layers = sei::layers(model, &ws.props.layers);
        for (i, &(thickness, r)) in layers.iter().enumerate() {
            if r <= 0.0 {
                continue;
            }
            let v = lin.size;
            lin.size += 1;
            // the row loses the model's sign (i_app dR_i + R_i di_app), gains sign V_i
            for (k, g) in grad_layers.iter().enumerate() {
                if g[i] != 0.0 {
                    lin.add(e.row, k, -s * di_deta * i_app * g[i], 0.0);
                    lin.add(v, k, i_app / r * g[i], 0.0);
                }
            }
            lin.add(e.row, l.current, -s * di_deta * r, 0.0);
            lin.add(e.row, v, s * di_deta, 0.0);
            // C_i dV_i/dt = i_app - V_i / R_i
            let c = if thickness > 0.0 {
                VACUUM_PERMITTIVITY * model.params.sei.relative_permittivity * a.surface_area_factor
                    / thickness
            } else {
                0.0
            };
            lin.add(v, l.current, 1.0, 0.0);
            lin.add(v, v, -1.0 / r, c);
            grad_eta.push((v, s));
        }
    }
    // i_app (or -i_app at the counter electrode) = i_F + a_f C_dl d(eta)/dt: the row's mass
    // is -a_f C_dl grad(eta)
    let c_dl = a.double_layer_capacitance * a.surface_area_factor;
    for (k, g) in grad_eta {
        lin.add(e.row, k, 0.0, -c_dl * g);
    }
}

/// The impedance of `model` about state `y` at each of `freqs` \[Hz\].
pub fn impedance(model: &Model, y: &[f64], freqs: &[f64]) -> Result<Spectrum, EisError> {
    if let Some(&f) = freqs.iter().find(|f| !(**f > 0.0 && **f <= 1e9)) {
        return Err(EisError::Frequency(f));
    }
    let lin = linearise(model, y);
    let mut spectrum = Spectrum {
        frequency_hz: Vec::with_capacity(freqs.len()),
        z_real_ohm_m2: Vec::with_capacity(freqs.len()),
        z_imag_ohm_m2: Vec::with_capacity(freqs.len()),
    };
    // df/dI: the current row is i_app - I
    let mut rhs = faer::Mat::<c64>::zeros(lin.size, 1);
    rhs[(lin.current, 0)] = c64::new(-1.0, 0.0);
    // one pattern for every frequency: its column ordering and symbolic factorisation are
    // computed once, each frequency refactorises the values only
    let pattern_error = |message: String| EisError::Singular {
        frequency: freqs.first().copied().unwrap_or(0.0),
        message,
    };
    let pairs: Vec<Pair<usize, usize>> =
        lin.entries.keys().map(|&(r, c)| Pair::new(r, c)).collect();
    let (symbolic, argsort) =
        SymbolicSparseColMat::try_new_from_indices(lin.size, lin.size, &pairs)
            .map_err(|e| pattern_error(format!("{e:?}")))?;
    let symbolic_lu =
        SymbolicLu::try_new(symbolic.as_ref()).map_err(|e| pattern_error(format!("{e:?}")))?;
    let mut values = vec![c64::new(0.0, 0.0); pairs.len()];
    for &f in freqs {
        let w = 2.0 * std::f64::consts::PI * f;
        for (v, &(j, m)) in values.iter_mut().zip(lin.entries.values()) {
            *v = c64::new(-j, w * m);
        }
        let singular = |message: String| EisError::Singular {
            frequency: f,
            message,
        };
        let a = SparseColMat::new_from_argsort(symbolic.clone(), &argsort, &values)
            .map_err(|e| singular(format!("{e:?}")))?;
        let lu = Lu::try_new_with_symbolic(symbolic_lu.clone(), a.as_ref())
            .map_err(|e| singular(format!("{e:?}")))?;
        let x = lu.solve(&rhs);
        let dv = lin
            .grad_v
            .iter()
            .fold(c64::new(0.0, 0.0), |s, &(k, g)| s + x[(k, 0)] * g);
        if !(dv.re.is_finite() && dv.im.is_finite()) {
            return Err(singular("the response is not finite".into()));
        }
        spectrum.frequency_hz.push(f);
        spectrum.z_real_ohm_m2.push(-dv.re);
        spectrum.z_imag_ohm_m2.push(-dv.im);
    }
    Ok(spectrum)
}

/// When in a run a spectrum is taken.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum At {
    /// The fresh cell (the run's consistent initial state).
    Start,
    /// The end of the run.
    End,
    /// The end of cycle N (1-based).
    AfterCycle(usize),
    /// The end of every cycle.
    EachCycle,
    /// A time from the start \[s\] (the solver saves the state there).
    Time(f64),
}

impl At {
    /// Parses "start", "end", "after cycle N", "each cycle", or a time "T h" / "T hours" /
    /// "T s" / "T seconds".
    pub fn parse(s: &str) -> Result<At, String> {
        let t = s.trim().to_lowercase();
        let words: Vec<&str> = t.split_whitespace().collect();
        let number = |w: &str| -> Result<f64, String> {
            w.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && *x >= 0.0)
                .ok_or_else(|| format!("\"{w}\" is not a non-negative number"))
        };
        match words.as_slice() {
            ["start"] | ["fresh"] => Ok(At::Start),
            ["end"] => Ok(At::End),
            ["each", "cycle"] | ["every", "cycle"] => Ok(At::EachCycle),
            ["after", "cycle", n] => match n.parse::<usize>() {
                Ok(n) if n >= 1 => Ok(At::AfterCycle(n)),
                _ => Err(format!("\"{n}\" is not a cycle number (1, 2, ...)")),
            },
            [x, unit] => {
                let x = number(x)?;
                match *unit {
                    "h" | "hour" | "hours" => Ok(At::Time(x * 3600.0)),
                    "s" | "second" | "seconds" => Ok(At::Time(x)),
                    _ => Err(format!("unknown unit \"{unit}\" (h or s)")),
                }
            }
            _ => Err(format!(
                "\"{s}\": expected start, end, \"after cycle N\", \"each cycle\" or a time (\"24 h\")"
            )),
        }
    }

    /// Whether the run must keep every cycle's points to take this spectrum.
    pub fn needs_every_cycle(&self) -> bool {
        matches!(self, At::AfterCycle(_) | At::EachCycle)
    }
}

/// The states of `sol` at each of `at`, labelled ("start", "end", "after cycle 3", "24 h").
/// A cycle the run did not reach, or a time it did not save, is an error naming it.
pub fn states_at(sol: &crate::Solution, at: &[At]) -> Result<Vec<(String, Vec<f64>)>, String> {
    let end_of_cycle = |c: usize| -> Option<Vec<f64>> {
        let step = sol.steps.iter().rev().find(|s| s.cycle == c)?;
        step.points?;
        Some(sol.state(step.last_point()).to_vec())
    };
    if sol.is_empty() {
        return Err("the run computed no state".into());
    }
    let mut out = Vec::new();
    for a in at {
        match *a {
            At::Start => out.push(("start".to_string(), sol.state(0).to_vec())),
            At::End => {
                let y = if sol.final_state.is_empty() {
                    sol.state(sol.len() - 1).to_vec()
                } else {
                    sol.final_state.clone()
                };
                out.push(("end".to_string(), y));
            }
            At::AfterCycle(c) => {
                let y = end_of_cycle(c).ok_or_else(|| {
                    format!(
                        "the run did not reach the end of cycle {c} ({} cycles ran)",
                        sol.cycle_count()
                    )
                })?;
                out.push((format!("after cycle {c}"), y));
            }
            At::EachCycle => {
                for c in 1..=sol.cycle_count() {
                    if let Some(y) = end_of_cycle(c) {
                        out.push((format!("after cycle {c}"), y));
                    }
                }
            }
            At::Time(t) => {
                let (_, y) = sol
                    .snapshots
                    .iter()
                    .find(|(ts, _)| (ts - t).abs() <= 1e-9 * t.max(1.0))
                    .ok_or_else(|| {
                        format!(
                            "no state saved at {} h (the run ended at {:.4} h)",
                            t / 3600.0,
                            sol.time.last().copied().unwrap_or(0.0) / 3600.0
                        )
                    })?;
                out.push((format!("{} h", t / 3600.0), y.clone()));
            }
        }
    }
    Ok(out)
}

/// The spectra of `sol` at each of `at` (see [`states_at`]) at `freqs`; the error names the
/// point that has no state or no spectrum.
pub fn spectra_at(
    sol: &crate::Solution,
    at: &[At],
    freqs: &[f64],
) -> Result<Vec<Labelled>, String> {
    states_at(sol, at)?
        .into_iter()
        .map(|(label, y)| match impedance(&sol.model, &y, freqs) {
            Ok(spectrum) => Ok(Labelled {
                at: label,
                spectrum,
            }),
            Err(e) => Err(format!("{label}: {e}")),
        })
        .collect()
}

/// A spectrum and when it was taken.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Labelled {
    /// When ("start", "end", "after cycle 3", "24 h").
    pub at: String,
    /// The spectrum.
    #[serde(flatten)]
    pub spectrum: Spectrum,
}

/// What [`run_and_measure`] found: the spectra, and the solver failure that cut the protocol
/// short (the spectra are then of the states it reached).
#[derive(Debug, Clone)]
pub struct Measured {
    /// The spectra, in the order asked.
    pub spectra: Vec<Labelled>,
    /// The protocol's solver failure, if any.
    pub failure: Option<String>,
}

/// Runs `experiment` on `cell` (none: the fresh cell) and takes the spectra at `at` (default:
/// start without an experiment, end with one) at `freqs`.
pub fn run_and_measure(
    cell: &crate::Cell,
    experiment: Option<&crate::Experiment>,
    at: &[At],
    freqs: &[f64],
) -> Result<Measured, crate::InputError> {
    let invalid = |origin: &str, message: String| crate::InputError::Invalid {
        origin: origin.into(),
        message,
    };
    let rest = crate::Experiment::parse(&["Rest for 1 second"])?;
    let exp = experiment.unwrap_or(&rest);
    let at: Vec<At> = if at.is_empty() {
        vec![if experiment.is_some() {
            At::End
        } else {
            At::Start
        }]
    } else {
        at.to_vec()
    };
    if experiment.is_none() && at.iter().any(|a| *a != At::Start) {
        return Err(invalid(
            "at",
            "without a protocol only the fresh cell (start) has a spectrum".into(),
        ));
    }
    let mut options = crate::SolverOptions::for_experiment(exp, None, "rtol")?;
    if at.iter().any(At::needs_every_cycle) {
        options.record_cycles = crate::solution::RecordCycles::All;
    }
    options.snapshot_times = at
        .iter()
        .filter_map(|a| match a {
            At::Time(t) => Some(*t),
            _ => None,
        })
        .collect();
    let (sol, failure) = match crate::simulate(cell, exp, &options) {
        Ok(sol) => (sol, None),
        Err(crate::Error::Input(e)) => return Err(e),
        Err(crate::Error::Solver(f)) => ((*f.partial).clone(), Some(f.to_string())),
    };
    let spectra = spectra_at(&sol, &at, freqs).map_err(|m| invalid("at", m))?;
    Ok(Measured { spectra, failure })
}
