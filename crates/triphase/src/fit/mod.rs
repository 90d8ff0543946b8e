//! Calibration to measurements: `triphase fit`.
//!
//! A fit file ([`spec`]) names a base cell, the registry parameters to fit (bounds, linear or
//! log scale), measured voltage time series with their protocols, and scalar targets (a
//! paper's table). [`solve::fit`] minimises the weighted squared residuals with
//! Levenberg–Marquardt and reports standard errors, 95 % intervals and the correlation matrix
//! from the Jacobian at the optimum, and warns when the data do not identify the parameters.

pub mod solve;
pub mod spec;

pub use solve::{fit, Curve, FitOptions, FitProgress, FitResult, FittedParameter};
pub use spec::{FitParameter, FitSpec, Method, Scale, Target, TargetQuantity};
