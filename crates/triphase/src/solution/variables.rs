//! The time-series output variables: the one place that defines each variable's name, unit,
//! sign convention and how it is computed from the recorded states. The CLI's
//! `timeseries.csv`/`.parquet`, its charts and the Python package all read these columns.
//!
//! The first six columns follow the Battery Data Format (BDF) names cyclers export, with its
//! sign convention: `Current / A` and `Net Capacity / Ah` are positive on *charge*. The model
//! variables after them use PyBaMM-style names with SI units in brackets and the model's
//! convention: current density and capacity positive on *discharge*.

use super::Solution;
use crate::constants::c_per_m2_to_mah_per_cm2;

/// Values of one variable at every recorded point.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Counts and indices.
    Int(Vec<i64>),
    /// Measured or computed quantities.
    Float(Vec<f64>),
}

impl Values {
    /// The values as floats.
    pub fn to_f64(&self) -> Vec<f64> {
        match self {
            Values::Int(v) => v.iter().map(|&x| x as f64).collect(),
            Values::Float(v) => v.clone(),
        }
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            Values::Int(v) => v.len(),
            Values::Float(v) => v.len(),
        }
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One output variable over the recorded points.
#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    /// Name with its unit: `Voltage / V` (BDF) or `SEI thickness [m]`.
    pub name: String,
    /// What it is, with its sign convention.
    pub description: String,
    /// One value per recorded point.
    pub values: Values,
}

impl Solution {
    /// Every time-series variable, in output order.
    pub fn variables(&self) -> Vec<Variable> {
        let m = &self.model;
        let l = &m.layout;
        let area = m.params.geometry.electrode_area;
        let per_point = |f: &dyn Fn(&[f64]) -> f64| -> Vec<f64> {
            (0..self.len()).map(|i| f(self.state(i))).collect()
        };
        // a variable of floating-point values
        let float = |name: &str, description: &str, values: Vec<f64>| Variable {
            name: name.to_string(),
            description: description.to_string(),
            values: Values::Float(values),
        };
        let mut v = Vec::new();
        v.push(float(
            "Test Time / s",
            "time since the start of the experiment",
            self.time.clone(),
        ));
        let step_index: Vec<i64> = self.step_of_point.iter().map(|&s| s as i64 + 1).collect();
        let cycle: Vec<i64> = self
            .step_of_point
            .iter()
            .map(|&s| self.steps.get(s).map_or(1, |r| r.cycle) as i64)
            .collect();
        v.push(Variable {
            name: "Step Index / 1".into(),
            description: "1-based index of the experiment step over the whole run".into(),
            values: Values::Int(step_index),
        });
        v.push(Variable {
            name: "Cycle Count / 1".into(),
            description: "1-based cycle number".into(),
            values: Values::Int(cycle),
        });
        v.push(float(
            "Voltage / V",
            "terminal voltage (symmetric cells: counter minus working electrode)",
            self.voltage(),
        ));
        v.push(float(
            "Current / A",
            "cell current, positive on charge (BDF convention)",
            per_point(&|y| -y[l.current] * area),
        ));
        v.push(float(
            "Net Capacity / Ah",
            "net charge passed since the start, positive on charge (BDF convention)",
            per_point(&|y| -y[l.charge] * area / 3600.0),
        ));
        v.push(float(
            "Current density [A.m-2]",
            "applied current density, positive on discharge (model convention)",
            per_point(&|y| y[l.current]),
        ));
        v.push(float(
            "Discharge capacity [mAh.cm-2]",
            "net charge passed since the start, positive on discharge",
            per_point(&|y| c_per_m2_to_mah_per_cm2(y[l.charge])),
        ));
        v.push(float(
            "Metal thickness [m]",
            "electrically connected metal as a thickness",
            per_point(&|y| y[l.metal] * m.params.anode.metal_molar_volume),
        ));
        v.push(float(
            "O2 drawn from gas [mol.m-2]",
            "O2 taken up from the gas phase since the start (negative: released)",
            per_point(&|y| m.gas_drawn(y, 0)),
        ));
        if m.options.gas_boundary == crate::model::GasBoundary::Headspace {
            v.push(float(
                "Headspace O2 pressure [Pa]",
                "O2 partial pressure in the sealed headspace",
                per_point(&|y| m.headspace_pressure(y, 0).unwrap_or(0.0)),
            ));
        }
        v.push(float(
            "Max product volume fraction [-]",
            "largest discharge-product volume fraction in the cathode",
            per_point(&|y| m.max_product_fraction(y)),
        ));
        v.push(float(
            "Max film thickness [m]",
            "largest product film thickness on the carbon, eps_f / a_0 (eps_f: the product's film, all of it unless it also grows as particles)",
            per_point(&|y| m.max_film_thickness(y)),
        ));
        if l.interface_carbonate.is_some() {
            v.push(float(
                "Interfacial carbonate coverage [-]",
                "covered fraction of the product's surface, weighted by the product in each cathode volume (option interface_carbonate; 0 without product)",
                per_point(&|y| m.interface_carbonate_coverage(y)),
            ));
        }
        if l.carbon_carbonate.is_some() {
            v.push(float(
                "Carbon carbonate coverage [-]",
                "carbonate that the carbon's oxidation left on it, in monolayers of the initial carbon area, averaged over the cathode (option carbon_oxidation)",
                per_point(&|y| crate::model::cathode::carbon_oxidation::mean_coverage(m, y)),
            ));
            v.push(float(
                "Carbon oxidised [mol.m-2]",
                "carbon oxidised to carbonate so far, one atom and two electrons per unit (option carbon_oxidation)",
                per_point(&|y| crate::model::cathode::carbon_oxidation::formed(m, y)),
            ));
        }
        v.push(float(
            "Anode polarisation [V]",
            "metal minus electrolyte potential at the metal surface, less the anode's equilibrium potential: charge-transfer overpotential plus surface-layer drop (positive while stripping)",
            per_point(&|y| crate::model::anode::plating::polarisation(m, y)),
        ));
        v.push(float(
            "SEI thickness [m]",
            "thickness of the dense inner SEI on the metal (native, organic, oxide, carbonate, nitride)",
            per_point(&|y| m.sei_thickness(y)),
        ));
        v.push(float(
            "Corrosion scale thickness [m]",
            "thickness of the porous outer corrosion scale (hydroxide from water)",
            per_point(&|y| m.scale_thickness(y)),
        ));
        v.push(float(
            "Anode layer resistance [Ohm.cm2]",
            "ionic resistance of the metal's surface layers in series: dense SEI (its O2-derived oxide (1 + g) times as resistive), corrosion scale, protective layer",
            per_point(&|y| m.anode_layer_resistance(y) * 1e4),
        ));
        v.push(float(
            "Cracked SEI fraction [-]",
            "fraction of the metal surface whose SEI is cracked",
            per_point(&|y| l.crack.map_or(0.0, |k| y[k])),
        ));
        v.push(float(
            "Dendrite length [m]",
            "dendrite tip length at the anode",
            per_point(&|y| l.dendrite.map_or(0.0, |k| y[k])),
        ));
        v.push(float(
            "Electrolyte remaining [-]",
            "solvent left as a fraction of the initial inventory",
            per_point(&|y| m.electrolyte_remaining_fraction(y)),
        ));
        // one ledger per point, split into a variable per mechanism
        let losses: Vec<Vec<(&str, f64)>> = (0..self.len())
            .map(|i| m.metal_losses(self.state(i)))
            .collect();
        for (j, name) in m.metal_loss_names().iter().enumerate() {
            v.push(float(
                &format!("Metal lost to {name} [mol.m-2]"),
                &format!("metal consumed by {name} since the start"),
                losses.iter().map(|row| row[j].1).collect(),
            ));
        }
        v
    }

    /// The variable called `name`.
    pub fn variable(&self, name: &str) -> Option<Variable> {
        self.variables().into_iter().find(|v| v.name == name)
    }
}

#[cfg(test)]
mod tests {
    use crate::{simulate, Cell, Experiment, SolverOptions};

    /// The BDF current is the model current with the opposite sign, times the area; the net
    /// capacity is the integral of the current (both from their own states).
    #[test]
    fn sign_conventions_and_units() {
        let cell = Cell::preset("li-o2-ideal-anode").unwrap();
        let exp = Experiment::parse(&[
            "Discharge at 0.5 mA cm-2 for 30 minutes",
            "Charge at 0.5 mA cm-2 for 10 minutes",
        ])
        .unwrap();
        let sol = simulate(&cell, &exp, &SolverOptions::default()).unwrap();
        let get = |n: &str| sol.variable(n).unwrap().values.to_f64();
        let (i_bdf, i_model) = (get("Current / A"), get("Current density [A.m-2]"));
        let last = sol.len() - 1;
        // 0.5 mA cm-2 on 1 cm2: -0.5 mA while discharging, +0.5 mA while charging (BDF)
        assert!((i_bdf[1] + 5e-4).abs() < 1e-12 && (i_model[1] - 5.0).abs() < 1e-9);
        assert!((i_bdf[last] - 5e-4).abs() < 1e-12);
        // net: 0.25 mAh discharged, 0.0833 mAh charged -> -0.1667 mAh (BDF), +0.1667 mAh cm-2
        let q = get("Net Capacity / Ah")[last];
        assert!((q + 0.5e-3 * (30.0 - 10.0) / 60.0).abs() < 1e-9, "{q}");
        let q_model = get("Discharge capacity [mAh.cm-2]")[last];
        assert!((q_model - 0.5 * 20.0 / 60.0).abs() < 1e-6, "{q_model}");
        let names: Vec<String> = sol.variables().into_iter().map(|v| v.name).collect();
        assert_eq!(
            names[..6],
            [
                "Test Time / s",
                "Step Index / 1",
                "Cycle Count / 1",
                "Voltage / V",
                "Current / A",
                "Net Capacity / Ah"
            ]
        );
    }
}
