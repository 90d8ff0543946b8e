//! Practical energy density of a cell design and its pack.
//!
//! Per electrode area (all masses kg m-2, thicknesses m):
//!
//!   m_metal = L_M M_M / V_M,   m_layer = L_layer rho_layer,   m_sep = L_s (1 - eps_s) rho_sep
//!   m_carbon = L_c (1 - eps_c0) rho_C,   m_cat = catalyst loading
//!   m_el = max(E/C m_carbon, (eps_s L_s + eps_c0 L_c + reservoir) rho_el)
//!   m_cell = (sum of the above + current collectors) / (1 - f_pack,mass)
//!   m_discharged = m_cell + M_O2 n_O2,product       (the product holds the O2 drawn from the gas)
//!   V_cell = (L_M + L_layer + L_s + L_c + collectors) / (1 - f_pack,vol); discharged: the metal
//!   thinner by (Q/F) V_M, the product inside the pores
//!   E = integral of V i dt over the discharge steps;  Wh kg-1 = E / m,  Wh L-1 = E / V
//!
//! Pack: cells make a fraction of pack mass and volume; an open cell adds air handling per Wh,
//! a closed cell an O2 tank sized for the O2 of a full discharge.

use serde::Serialize;

use crate::cell::Cell;
use crate::experiment::StepKind;
use crate::model::options::GasBoundary;
use crate::solution::Solution;

const O2_MOLAR_MASS: f64 = 31.998e-3;

/// One line of a mass budget.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// Component.
    pub component: &'static str,
    /// Mass per electrode area [kg.m-2].
    pub mass_kg_m2: f64,
}

/// Cell-level energy budget.
#[allow(non_snake_case)]
#[derive(Debug, Clone, Serialize)]
pub struct EnergyBudget {
    /// Discharge capacity used [mAh.cm-2].
    pub capacity_mAh_cm2: f64,
    /// Mean discharge voltage \[V\].
    pub mean_voltage_V: f64,
    /// Discharge energy per electrode area [Wh.m-2].
    pub energy_Wh_m2: f64,
    /// Mass budget of the charged cell.
    pub masses: Vec<Item>,
    /// Charged-state cell mass [kg.m-2].
    pub mass_charged_kg_m2: f64,
    /// Discharged-state cell mass (O2 taken up) [kg.m-2].
    pub mass_discharged_kg_m2: f64,
    /// Charged-state cell thickness including packaging \[m\].
    pub thickness_charged_m: f64,
    /// Discharged-state cell thickness \[m\].
    pub thickness_discharged_m: f64,
    /// Specific energy, charged state [Wh.kg-1].
    pub specific_energy_charged_Wh_kg: f64,
    /// Specific energy, discharged state [Wh.kg-1].
    pub specific_energy_discharged_Wh_kg: f64,
    /// Energy density, charged state [Wh.L-1].
    pub energy_density_charged_Wh_L: f64,
    /// Energy density, discharged state [Wh.L-1].
    pub energy_density_discharged_Wh_L: f64,
    /// Metal capacity / discharge capacity (excess metal ratio) [-].
    pub metal_excess_ratio: f64,
    /// Electrolyte to carbon mass ratio actually counted [-].
    pub electrolyte_to_carbon: f64,
    /// O2 taken up by the product [kg.m-2].
    pub o2_mass_kg_m2: f64,
    /// Pack level.
    pub pack: PackBudget,
}

/// Pack-level figures.
#[allow(non_snake_case)]
#[derive(Debug, Clone, Serialize)]
pub struct PackBudget {
    /// "air handling" (open) or "O2 tank" (closed).
    pub o2_supply: &'static str,
    /// O2 handling mass per electrode area [kg.m-2].
    pub o2_handling_mass_kg_m2: f64,
    /// Pack specific energy (discharged state for open systems) [Wh.kg-1].
    pub specific_energy_Wh_kg: f64,
    /// Pack energy density [Wh.L-1].
    pub energy_density_Wh_L: f64,
}

impl EnergyBudget {
    /// The budget of `cell` at the capacity and voltage of its simulated discharge `sol`.
    pub fn new(cell: &Cell, sol: &Solution) -> Self {
        let q = sol.kind_total(StepKind::Discharge, |s| sol.step_charge(s)); // C m-2
        let e_j = sol.kind_total(StepKind::Discharge, |s| sol.step_energy(s)); // J m-2
        let o2 = sol.model.product_o2(sol.state(sol.len() - 1));
        Self::of_discharge(cell, q, e_j, o2)
    }

    /// The budget of the discharge steps of cycle `cycle` (1-based) of a cycling run: their
    /// charge and energy, and the O2 they drew from the gas as the discharged cell's O2 mass.
    /// None when the cycle has no discharge.
    pub fn of_cycle(cell: &Cell, sol: &Solution, cycle: usize) -> Option<Self> {
        let discharge: Vec<usize> = (0..sol.steps.len())
            .filter(|&s| sol.steps[s].kind == StepKind::Discharge && sol.steps[s].cycle == cycle)
            .collect();
        if discharge.is_empty() {
            return None;
        }
        let q: f64 = discharge.iter().map(|&s| sol.step_charge(s)).sum();
        let e_j: f64 = discharge.iter().map(|&s| sol.step_energy(s)).sum();
        let o2: f64 = discharge
            .iter()
            .map(|&s| sol.step_o2_uptake(s).max(0.0))
            .sum();
        Some(Self::of_discharge(cell, q, e_j, o2))
    }

    /// The budget of a discharge that passed `q` [C.m-2] with energy `e_j` [J.m-2] and left
    /// `o2_mol` [mol.m-2] of O2 in the cell.
    pub fn of_discharge(cell: &Cell, q: f64, e_j: f64, o2_mol: f64) -> Self {
        let p = &cell.params;
        let g = &p.geometry;
        let d = &p.design;
        let energy = e_j / 3600.0; // Wh m-2
        let o2 = o2_mol * O2_MOLAR_MASS;

        let metal_density = d.metal_molar_mass / p.anode.metal_molar_volume;
        let carbon = g.cathode_thickness * (1.0 - g.cathode_porosity) * d.carbon_density;
        let pores = g.separator_porosity * g.separator_thickness
            + g.cathode_porosity * g.cathode_thickness
            + p.solvent.reservoir_thickness;
        let electrolyte = (d.electrolyte_to_carbon * carbon).max(pores * d.electrolyte_density);
        let mut masses = vec![
            Item {
                component: "metal",
                mass_kg_m2: p.anode.initial_thickness * metal_density,
            },
            Item {
                component: "protective layer",
                mass_kg_m2: p.corrosion.layer_thickness * d.layer_density,
            },
            Item {
                component: "separator",
                mass_kg_m2: g.separator_thickness
                    * (1.0 - g.separator_porosity)
                    * d.separator_density,
            },
            Item {
                component: "cathode carbon",
                mass_kg_m2: carbon,
            },
            Item {
                component: "catalyst",
                mass_kg_m2: d.catalyst_loading,
            },
            Item {
                component: "electrolyte",
                mass_kg_m2: electrolyte,
            },
            Item {
                component: "current collectors",
                mass_kg_m2: d.anode_collector_mass + d.cathode_collector_mass,
            },
        ];
        let core: f64 = masses.iter().map(|i| i.mass_kg_m2).sum();
        let charged = core / (1.0 - d.packaging_mass_fraction);
        masses.push(Item {
            component: "packaging",
            mass_kg_m2: charged - core,
        });
        let discharged = charged + o2;

        let stack = p.anode.initial_thickness
            + p.corrosion.layer_thickness
            + g.separator_thickness
            + g.cathode_thickness
            + d.anode_collector_thickness
            + d.cathode_collector_thickness;
        let thick_c = stack / (1.0 - d.packaging_volume_fraction);
        let metal_used = q / crate::constants::FARADAY * p.anode.metal_molar_volume;
        let thick_d = (stack - metal_used) / (1.0 - d.packaging_volume_fraction);
        let per_l = |t: f64| energy / (t * 1e3); // Wh m-2 / (L m-2)

        let metal_capacity = p.initial_metal_inventory() * crate::constants::FARADAY;
        let open = cell.options.gas_boundary == GasBoundary::Open;
        let (supply, handling_mass, handling_volume) = if open {
            (
                "air handling",
                d.air_handling_mass * energy,
                d.air_handling_volume * energy,
            )
        } else {
            ("O2 tank", d.o2_tank_mass_ratio * o2, d.o2_tank_volume * o2)
        };
        // an open pack carries its product O2 when discharged; a closed one carries O2 + tank
        let pack_mass = discharged / d.pack_cell_mass_fraction + handling_mass;
        let pack_volume_m = thick_c / d.pack_cell_volume_fraction + handling_volume;
        EnergyBudget {
            capacity_mAh_cm2: crate::constants::c_per_m2_to_mah_per_cm2(q),
            mean_voltage_V: if q > 0.0 { e_j / q } else { f64::NAN },
            energy_Wh_m2: energy,
            masses,
            mass_charged_kg_m2: charged,
            mass_discharged_kg_m2: discharged,
            thickness_charged_m: thick_c,
            thickness_discharged_m: thick_d,
            specific_energy_charged_Wh_kg: energy / charged,
            specific_energy_discharged_Wh_kg: energy / discharged,
            energy_density_charged_Wh_L: per_l(thick_c),
            energy_density_discharged_Wh_L: per_l(thick_d),
            metal_excess_ratio: if q > 0.0 {
                metal_capacity / q
            } else {
                f64::INFINITY
            },
            electrolyte_to_carbon: electrolyte / carbon,
            o2_mass_kg_m2: o2,
            pack: PackBudget {
                o2_supply: supply,
                o2_handling_mass_kg_m2: handling_mass,
                specific_energy_Wh_kg: energy / pack_mass,
                energy_density_Wh_L: energy / (pack_volume_m * 1e3),
            },
        }
    }
}
