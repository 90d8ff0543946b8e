//! Finite-volume mesh across the cell: separator cells then cathode cells.
//!
//! x = 0 is the metal surface, x = L_s the separator/cathode boundary, x = L_s + L_c the gas
//! boundary. Each domain is divided into equal control volumes; unknowns sit at cell centres
//! and fluxes are evaluated on faces.

use crate::error::InputError;
use crate::params::Geometry;

/// Number of control volumes per domain (the default is the base cell's `[mesh]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct MeshSpec {
    /// Control volumes in the separator.
    pub separator: usize,
    /// Control volumes in the cathode.
    pub cathode: usize,
}

/// Allowed number of control volumes in one domain.
pub const MESH_RANGE: std::ops::RangeInclusive<usize> = 2..=2000;

impl MeshSpec {
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

    /// Applies a command-line spec such as `cathode=80,separator=20`.
    pub fn apply_spec(&mut self, spec: &str) -> Result<(), InputError> {
        let origin = format!("--mesh {spec}");
        for part in spec.split(',').filter(|p| !p.trim().is_empty()) {
            let (domain, n) = part.split_once('=').ok_or_else(|| InputError::Invalid {
                origin: origin.clone(),
                message: format!("\"{part}\": expected DOMAIN=N, e.g. cathode=80"),
            })?;
            let n: usize = n.trim().parse().map_err(|_| InputError::Invalid {
                origin: origin.clone(),
                message: format!("\"{}\" is not a whole number of control volumes", n.trim()),
            })?;
            self.set(&origin, domain, n)?;
        }
        Ok(())
    }

    /// The same mesh with every domain refined by `factor`.
    pub fn refined(&self, factor: usize) -> Self {
        Self {
            separator: self.separator * factor,
            cathode: self.cathode * factor,
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
    /// Width of each control volume [m].
    pub dx: Vec<f64>,
    /// Centre of each control volume [m].
    pub x: Vec<f64>,
}

impl Mesh {
    /// Builds the mesh for a geometry.
    pub fn new(spec: MeshSpec, geometry: &Geometry) -> Self {
        let dxs = geometry.separator_thickness / spec.separator as f64;
        let dxc = geometry.cathode_thickness / spec.cathode as f64;
        let dx: Vec<f64> = std::iter::repeat_n(dxs, spec.separator)
            .chain(std::iter::repeat_n(dxc, spec.cathode))
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

    /// Total thickness of separator and cathode [m].
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
            },
            &g,
        );
        assert_eq!(m.len(), 20);
        let total = g.separator_thickness + g.cathode_thickness;
        assert!((m.length() - total).abs() < 1e-15);
        assert!((m.x[19] + 0.5 * m.dx[19] - total).abs() < 1e-15);
    }

    #[test]
    fn spec_parsing() {
        let mut s = MeshSpec {
            separator: 10,
            cathode: 50,
        };
        s.apply_spec("cathode=80,separator=20").unwrap();
        assert_eq!((s.separator, s.cathode), (20, 80));
        assert!(s.apply_spec("anode=3").is_err());
        assert!(s.apply_spec("cathode=1").is_err());
        assert!(s.apply_spec("cathode").is_err());
    }
}
