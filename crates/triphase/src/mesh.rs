//! Finite-volume mesh across the cell: separator cells then cathode cells.
//!
//! x = 0 is the metal surface, x = L_s the separator/cathode boundary, x = L_s + L_c the gas
//! boundary. The separator is divided into equal control volumes. The cathode's volumes may be
//! graded: their widths form a geometric progression that narrows towards the gas side, where
//! O2 enters and, at high current, the reaction and the product crowd into a thin layer.
//! Unknowns sit at cell centres and fluxes are evaluated on faces.

use crate::error::InputError;
use crate::params::Geometry;

/// Number of control volumes per domain and the cathode's grading (the default is the base
/// cell's `[mesh]`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct MeshSpec {
    /// Control volumes in the separator.
    pub separator: usize,
    /// Control volumes in the cathode.
    pub cathode: usize,
    /// Width of the cathode's widest volume (at the separator) over its narrowest (at the gas
    /// side) [-]; 1 is a uniform mesh. The widths form a geometric progression.
    pub cathode_grading: f64,
}

/// Allowed number of control volumes in one domain.
pub const MESH_RANGE: std::ops::RangeInclusive<usize> = 2..=2000;

/// Allowed cathode grading (widest over narrowest volume).
pub const GRADING_RANGE: std::ops::RangeInclusive<f64> = 1.0..=100.0;

impl MeshSpec {
    /// Sets the cathode's grading (widest over narrowest volume, in [`GRADING_RANGE`]).
    pub fn set_grading(&mut self, origin: &str, grading: f64) -> Result<(), InputError> {
        if !GRADING_RANGE.contains(&grading) {
            return Err(InputError::Invalid {
                origin: origin.to_string(),
                message: format!(
                    "mesh cathode_grading = {grading} is outside the allowed range [{}, {}] \
                     (widest over narrowest cathode volume; 1 is uniform)",
                    GRADING_RANGE.start(),
                    GRADING_RANGE.end()
                ),
            });
        }
        self.cathode_grading = grading;
        Ok(())
    }

    /// Sets the resolution of a domain by name ("separator" or "cathode").
    pub fn set(&mut self, origin: &str, domain: &str, n: usize) -> Result<(), InputError> {
        if !MESH_RANGE.contains(&n) {
            return Err(InputError::Invalid {
                origin: origin.to_string(),
                message: format!(
                    "mesh {domain} = {n} is outside the allowed range [{}, {}]",
                    MESH_RANGE.start(),
                    MESH_RANGE.end()
                ),
            });
        }
        match domain.trim() {
            "separator" => self.separator = n,
            "cathode" => self.cathode = n,
            other => {
                return Err(InputError::Invalid {
                    origin: origin.to_string(),
                    message: format!(
                        "unknown mesh domain \"{other}\" (domains: separator, cathode)"
                    ),
                })
            }
        }
        Ok(())
    }

    /// Applies a command-line spec such as `cathode=80,separator=20,cathode_grading=5`.
    pub fn apply_spec(&mut self, spec: &str) -> Result<(), InputError> {
        let origin = format!("--mesh {spec}");
        for part in spec.split(',').filter(|p| !p.trim().is_empty()) {
            let (domain, n) = part.split_once('=').ok_or_else(|| InputError::Invalid {
                origin: origin.clone(),
                message: format!("\"{part}\": expected DOMAIN=N, e.g. cathode=80"),
            })?;
            if domain.trim() == "cathode_grading" {
                let g: f64 = n.trim().parse().map_err(|_| InputError::Invalid {
                    origin: origin.clone(),
                    message: format!("cathode_grading \"{}\" is not a number", n.trim()),
                })?;
                self.set_grading(&origin, g)?;
                continue;
            }
            let n: usize = n.trim().parse().map_err(|_| InputError::Invalid {
                origin: origin.clone(),
                message: format!("\"{}\" is not a whole number of control volumes", n.trim()),
            })?;
            self.set(&origin, domain, n)?;
        }
        Ok(())
    }

    /// The same mesh with every domain refined by `factor`. The grading (widest over narrowest
    /// volume) is kept, so the ratio of neighbouring widths tends to 1 as the mesh is refined.
    pub fn refined(&self, factor: usize) -> Self {
        Self {
            separator: self.separator * factor,
            cathode: self.cathode * factor,
            cathode_grading: self.cathode_grading,
        }
    }
}

/// Cell-centred finite-volume mesh.
#[derive(Debug, Clone)]
pub struct Mesh {
    /// Control volumes in the separator (indices `0..n_sep`).
    pub n_sep: usize,
    /// Control volumes in the cathode (indices `n_sep..n_sep + n_cat`).
    pub n_cat: usize,
    /// Width of each control volume \[m\].
    pub dx: Vec<f64>,
    /// Centre of each control volume \[m\].
    pub x: Vec<f64>,
}

impl Mesh {
    /// Builds the mesh for a geometry.
    ///
    /// Cathode volume j = 0..n (from the separator) has the width
    /// dx_j = L_c q^j / sum_i q^i with q = g^(-1/(n-1)) for the grading g, so that
    /// dx_0 / dx_(n-1) = g and the volumes tile L_c.
    pub fn new(spec: MeshSpec, geometry: &Geometry) -> Self {
        let dxs = geometry.separator_thickness / spec.separator as f64;
        let n = spec.cathode;
        let q = if n > 1 {
            spec.cathode_grading.powf(-1.0 / (n as f64 - 1.0))
        } else {
            1.0
        };
        let weights: Vec<f64> = std::iter::successors(Some(1.0), |w| Some(w * q))
            .take(n)
            .collect();
        let total: f64 = weights.iter().sum();
        let dx: Vec<f64> = std::iter::repeat_n(dxs, spec.separator)
            .chain(
                weights
                    .iter()
                    .map(|w| w / total * geometry.cathode_thickness),
            )
            .collect();
        let mut x = Vec::with_capacity(dx.len());
        let mut left = 0.0;
        for d in &dx {
            x.push(left + 0.5 * d);
            left += d;
        }
        Self {
            n_sep: spec.separator,
            n_cat: spec.cathode,
            dx,
            x,
        }
    }

    /// Total number of control volumes.
    pub fn len(&self) -> usize {
        self.dx.len()
    }

    /// Whether the mesh has no control volume (never for a valid spec).
    pub fn is_empty(&self) -> bool {
        self.dx.is_empty()
    }

    /// Total thickness of separator and cathode \[m\].
    pub fn length(&self) -> f64 {
        self.dx.iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volumes_tile_the_cell() {
        let g = crate::cell::Cell::default_cell().params.geometry;
        let m = Mesh::new(
            MeshSpec {
                separator: 7,
                cathode: 13,
                cathode_grading: 1.0,
            },
            &g,
        );
        assert_eq!(m.len(), 20);
        let total = g.separator_thickness + g.cathode_thickness;
        assert!((m.length() - total).abs() < 1e-15);
        assert!((m.x[19] + 0.5 * m.dx[19] - total).abs() < 1e-15);
        assert!(m.dx[7..].iter().all(|d| *d == m.dx[7]));
    }

    #[test]
    fn graded_volumes_tile_the_cathode_and_narrow_towards_the_gas() {
        let g = crate::cell::Cell::default_cell().params.geometry;
        let m = Mesh::new(
            MeshSpec {
                separator: 4,
                cathode: 9,
                cathode_grading: 16.0,
            },
            &g,
        );
        let total = g.separator_thickness + g.cathode_thickness;
        assert!((m.x[12] + 0.5 * m.dx[12] - total).abs() < 1e-15 * total);
        let cat = &m.dx[4..];
        let sum: f64 = cat.iter().sum();
        assert!((sum - g.cathode_thickness).abs() < 1e-15 * total);
        // q = 16^(-1/8) = 2^(-1/2): every width is the previous one over sqrt(2)
        for w in cat.windows(2) {
            assert!((w[0] / w[1] - 2f64.sqrt()).abs() < 1e-13);
        }
        assert!((cat[0] / cat[8] - 16.0).abs() < 1e-12);
        // centres sit midway between their faces
        for k in 1..m.len() {
            let gap = m.x[k] - m.x[k - 1];
            assert!((gap - 0.5 * (m.dx[k] + m.dx[k - 1])).abs() < 1e-15 * total);
        }
    }

    #[test]
    fn spec_parsing() {
        let mut s = MeshSpec {
            separator: 10,
            cathode: 50,
            cathode_grading: 1.0,
        };
        s.apply_spec("cathode=80,separator=20").unwrap();
        assert_eq!((s.separator, s.cathode), (20, 80));
        s.apply_spec("cathode_grading=7.5").unwrap();
        assert_eq!(s.cathode_grading, 7.5);
        assert!(s.apply_spec("anode=3").is_err());
        assert!(s.apply_spec("cathode=1").is_err());
        assert!(s.apply_spec("cathode").is_err());
        let e = s.apply_spec("cathode_grading=0.5").unwrap_err().to_string();
        assert!(
            e.contains("cathode_grading") && e.contains("[1, 100]"),
            "{e}"
        );
        assert!(s.apply_spec("cathode_grading=x").is_err());
    }
}
