//! Typed model parameters, their documented names and allowed ranges.
//!
//! Parameters are plain SI numbers in a typed struct ([`Parameters`]); the
//! [`registry`] maps each PyBaMM/BPX-style name ("Cathode thickness [m]") to a field, an
//! allowed range and a description. Default values live in data files (presets) next to
//! their sources, see [`preset`].

pub mod preset;
pub mod registry;

pub use registry::{find, ParamSpec, REGISTRY};

use std::fmt;

/// Cell geometry and porous structure.
#[derive(Debug, Clone, PartialEq)]
pub struct Geometry {
    /// Electrode (projected) area A [m2]; only converts A <-> A m-2.
    pub electrode_area: f64,
    /// Separator thickness L_s [m].
    pub separator_thickness: f64,
    /// Separator porosity eps_s [-].
    pub separator_porosity: f64,
    /// Cathode thickness L_c [m].
    pub cathode_thickness: f64,
    /// Initial cathode porosity eps_c0 [-] (before any discharge product).
    pub cathode_porosity: f64,
    /// Cathode specific surface area a_0 [m-1] (carbon surface per electrode volume).
    pub cathode_specific_area: f64,
    /// Bruggeman exponent b [-]: effective property = eps^b x bulk property.
    pub bruggeman: f64,
}

/// Binary salt electrolyte.
#[derive(Debug, Clone, PartialEq)]
pub struct Electrolyte {
    /// Initial salt concentration c_0 [mol.m-3].
    pub initial_concentration: f64,
    /// Salt diffusivity D_e [m2.s-1].
    pub diffusivity: f64,
    /// Ionic conductivity kappa [S.m-1].
    pub conductivity: f64,
    /// Cation transference number t+ [-].
    pub transference_number: f64,
}

/// Dissolved O2 and the gas it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Oxygen {
    /// Henry constant H [mol.m-3.Pa-1]: c_sat = H p_O2.
    pub henry_constant: f64,
    /// Diffusivity of dissolved O2 D_O2 [m2.s-1].
    pub diffusivity: f64,
    /// O2 partial pressure at the gas boundary p_O2 [Pa].
    pub partial_pressure: f64,
    /// O2 concentration the cathode exchange current refers to, c_O2,ref [mol.m-3].
    pub reference_concentration: f64,
}

/// Cathode: carbon, oxygen reduction kinetics, discharge product and its film.
#[derive(Debug, Clone, PartialEq)]
pub struct Cathode {
    /// Electronic conductivity of the carbon sigma [S.m-1] (bulk; Bruggeman on 1 - eps_c0).
    pub conductivity: f64,
    /// Standard potential of the cell reaction vs the metal E0 [V].
    pub standard_potential: f64,
    /// Electrons per O2 reduced, n [-] (2 for Li2O2, 1 for NaO2/KO2).
    pub electrons_per_o2: f64,
    /// Molar volume of the discharge product per mole of O2 it holds, V_p [m3.mol-1].
    pub product_molar_volume: f64,
    /// Exchange current density per carbon surface i0_c [A.m-2].
    pub exchange_current_density: f64,
    /// Anodic (oxidation) transfer coefficient alpha_a [-].
    pub anodic_transfer_coefficient: f64,
    /// Cathodic (reduction) transfer coefficient alpha_c [-].
    pub cathodic_transfer_coefficient: f64,
    /// Exponent xi of the active-area law a = a_0 (1 - eps_p/eps_c0)^xi [-].
    pub area_exponent: f64,
    /// Product volume fraction at which the oxidation branch is half saturated, eps_sat [-].
    pub product_saturation_fraction: f64,
    /// Initial product volume fraction eps_p0 [-].
    pub initial_product_fraction: f64,
    /// Tunnelling film resistance prefactor r_t [Ohm.m2].
    pub film_tunnelling_resistance: f64,
    /// Tunnelling decay length delta_t [m].
    pub film_tunnelling_length: f64,
    /// Electronic resistivity of the product film rho_f [Ohm.m] (resistive law).
    pub film_resistivity: f64,
}

/// Metal anode.
#[derive(Debug, Clone, PartialEq)]
pub struct Anode {
    /// Molar volume of the metal V_M [m3.mol-1].
    pub metal_molar_volume: f64,
    /// Initial metal thickness L_M [m].
    pub initial_thickness: f64,
    /// Plating/stripping exchange current density i0_a [A.m-2] at c_0.
    pub exchange_current_density: f64,
    /// Anodic transfer coefficient of plating/stripping alpha [-] (cathodic = 1 - alpha).
    pub transfer_coefficient: f64,
}

/// Thresholds of the stop events.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Cathode porosity below which the pores count as clogged [-].
    pub minimum_porosity: f64,
    /// Metal thickness below which the metal counts as exhausted [m].
    pub minimum_metal_thickness: f64,
    /// Salt concentration below which the electrolyte counts as depleted [mol.m-3].
    pub minimum_salt_concentration: f64,
}

/// Every numeric model parameter, SI units.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameters {
    /// Absolute temperature T [K].
    pub temperature: f64,
    /// Geometry and porous structure.
    pub geometry: Geometry,
    /// Electrolyte transport.
    pub electrolyte: Electrolyte,
    /// Dissolved oxygen.
    pub oxygen: Oxygen,
    /// Cathode kinetics and product.
    pub cathode: Cathode,
    /// Metal anode.
    pub anode: Anode,
    /// Stop-event thresholds.
    pub limits: Limits,
}

impl Parameters {
    /// A parameter set with every value NaN: the starting point before a preset fills it.
    pub(crate) fn unset() -> Self {
        let n = f64::NAN;
        Self {
            temperature: n,
            geometry: Geometry {
                electrode_area: n,
                separator_thickness: n,
                separator_porosity: n,
                cathode_thickness: n,
                cathode_porosity: n,
                cathode_specific_area: n,
                bruggeman: n,
            },
            electrolyte: Electrolyte {
                initial_concentration: n,
                diffusivity: n,
                conductivity: n,
                transference_number: n,
            },
            oxygen: Oxygen {
                henry_constant: n,
                diffusivity: n,
                partial_pressure: n,
                reference_concentration: n,
            },
            cathode: Cathode {
                conductivity: n,
                standard_potential: n,
                electrons_per_o2: n,
                product_molar_volume: n,
                exchange_current_density: n,
                anodic_transfer_coefficient: n,
                cathodic_transfer_coefficient: n,
                area_exponent: n,
                product_saturation_fraction: n,
                initial_product_fraction: n,
                film_tunnelling_resistance: n,
                film_tunnelling_length: n,
                film_resistivity: n,
            },
            anode: Anode {
                metal_molar_volume: n,
                initial_thickness: n,
                exchange_current_density: n,
                transfer_coefficient: n,
            },
            limits: Limits {
                minimum_porosity: n,
                minimum_metal_thickness: n,
                minimum_salt_concentration: n,
            },
        }
    }

    /// Value of a parameter by its documented name.
    pub fn get(&self, name: &str) -> Option<f64> {
        find(name).map(|spec| (spec.get)(self))
    }

    /// Thermal voltage RT/F [V].
    pub fn thermal_voltage(&self) -> f64 {
        crate::constants::GAS_CONSTANT * self.temperature / crate::constants::FARADAY
    }

    /// O2 saturation concentration at the gas boundary, c_sat = H p_O2 [mol.m-3].
    pub fn o2_saturation(&self) -> f64 {
        self.oxygen.henry_constant * self.oxygen.partial_pressure
    }

    /// Initial metal inventory n_M0 = L_M / V_M [mol.m-2].
    pub fn initial_metal_inventory(&self) -> f64 {
        self.anode.initial_thickness / self.anode.metal_molar_volume
    }

    /// Checks cross-parameter constraints that single ranges cannot express.
    pub fn check_consistency(&self) -> Result<(), String> {
        let c = &self.cathode;
        if c.initial_product_fraction >= self.geometry.cathode_porosity {
            return Err(format!(
                "\"Initial discharge product volume fraction [-]\" = {} must be below \"Cathode porosity [-]\" = {}",
                c.initial_product_fraction, self.geometry.cathode_porosity
            ));
        }
        if self.limits.minimum_metal_thickness >= self.anode.initial_thickness {
            return Err(format!(
                "\"Minimum metal thickness [m]\" = {} must be below \"Initial metal thickness [m]\" = {}",
                self.limits.minimum_metal_thickness, self.anode.initial_thickness
            ));
        }
        if self.limits.minimum_salt_concentration >= self.electrolyte.initial_concentration {
            return Err(format!(
                "\"Minimum salt concentration [mol.m-3]\" = {} must be below \"Initial concentration in electrolyte [mol.m-3]\" = {}",
                self.limits.minimum_salt_concentration, self.electrolyte.initial_concentration
            ));
        }
        Ok(())
    }
}

/// One end of an allowed parameter range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    /// Excluded end point.
    Open(f64),
    /// Included end point.
    Closed(f64),
    /// No limit on this side.
    Unbounded,
}

/// Allowed range of a parameter value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    /// Lower end.
    pub lo: Bound,
    /// Upper end.
    pub hi: Bound,
}

impl Range {
    /// Whether `x` lies inside the range (NaN never does).
    pub fn contains(&self, x: f64) -> bool {
        if !x.is_finite() {
            return false;
        }
        let lo_ok = match self.lo {
            Bound::Open(a) => x > a,
            Bound::Closed(a) => x >= a,
            Bound::Unbounded => true,
        };
        let hi_ok = match self.hi {
            Bound::Open(b) => x < b,
            Bound::Closed(b) => x <= b,
            Bound::Unbounded => true,
        };
        lo_ok && hi_ok
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.lo {
            Bound::Open(a) => write!(f, "({a}, ")?,
            Bound::Closed(a) => write!(f, "[{a}, ")?,
            Bound::Unbounded => write!(f, "(-inf, ")?,
        }
        match self.hi {
            Bound::Open(b) => write!(f, "{b})"),
            Bound::Closed(b) => write!(f, "{b}]"),
            Bound::Unbounded => write!(f, "inf)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_membership_and_display() {
        let r = Range {
            lo: Bound::Open(0.0),
            hi: Bound::Open(1.0),
        };
        assert!(r.contains(0.5));
        assert!(!r.contains(0.0));
        assert!(!r.contains(1.0));
        assert!(!r.contains(f64::NAN));
        assert_eq!(r.to_string(), "(0, 1)");
        let r = Range {
            lo: Bound::Closed(0.0),
            hi: Bound::Unbounded,
        };
        assert!(r.contains(0.0));
        assert_eq!(r.to_string(), "[0, inf)");
    }
}
