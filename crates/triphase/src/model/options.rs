//! Typed switches that select the submodels (mechanisms) of the model, and the cell type.
//!
//! The default switches describe the cell a researcher expects: the cathode with a
//! tunnelling-limited product film, and at the metal every anode mechanism on (corrosion by
//! crossed gases, SEI growth and cracking, dead metal, dendrites, electrolyte loss). The
//! cathode-only ("ideal anode") model, for comparison with cathode models, switches them off:
//! [`ModelOptions::ideal_anode`] (the `li-o2-ideal-anode` preset).

use serde::Deserialize;

/// How fresh product buries the interfacial carbonate on the product's surface
/// ([`crate::model::cathode::interface_carbonate`]; with `interface_carbonate`). No
/// measurement here decides between the two: see the module's documentation for what each
/// does to cycling.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CarbonateBurial {
    /// In proportion to the product, d theta/dt = -theta r+ / (|eps_p| + delta): the covered
    /// fraction is the share of the product that was there when the growth began. A layer
    /// left with no product under it is buried at once; product that a charge left under a
    /// full layer stays covered until as much again has grown.
    #[default]
    Proportional,
    /// By thickness, d theta/dt = -theta r+ / (a_0 d_b): fresh product forms on the layer and
    /// buries it by a factor e per layer of thickness d_b ("Interfacial carbonate burial
    /// thickness \[m\]") grown over the carbon's area a_0, whatever lies beneath.
    Thickness,
}

/// Law for the electronic resistance of the discharge-product film on the carbon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Passivation {
    /// No film resistance (capacity limited by O2 transport and pore clogging only).
    None,
    /// Ohmic film: R_film = rho_f delta.
    Resistive,
    /// Tunnelling film: R_film = r_t (exp(delta/delta_t) - 1).
    Tunnelling,
}

/// Law of the active carbon area as discharge product fills the pores (eps_p product volume
/// fraction, eps_c0 initial porosity, a_0 initial area).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AreaLaw {
    /// a = a_0 (1 - eps_p/eps_c0)^xi (pore clogging; xi = 1/2 for cylindrical pores).
    #[default]
    Power,
    /// a = a_0 (1 - (eps_p/eps_c0)^p) with p = "Active area exponent [-]" (used by
    /// PyBaMM-based Li-O2 cathode models).
    ComplementPower,
    /// a = a_0 max(0, 1 - eps_p/eps_0): linear fall to zero at eps_0 = "Active area zero product
    /// fraction [-]" (a surface covered before the pores fill).
    Linear,
}

/// How the discharge product grows on the carbon ([`crate::model::cathode::growth`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProductGrowth {
    /// All product is a conformal film on the carbon: the film thickness is eps_p / a_0.
    #[default]
    Film,
    /// The product grows partly as a film and partly as discrete particles (toroids), which
    /// fill the pores but do not passivate: the particle share falls as the growth current
    /// rises past the exchange current (Horstmann et al., J. Phys. Chem. Lett. 4 (2013) 4217)
    /// and rises with dissolved water (Aetukuri et al., Nat. Chem. 7 (2015) 50). One film
    /// state per cathode volume; only with a passivating film.
    FilmAndParticles,
}

/// How the electrolyte's ionic conductivity in the pores follows the porosity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConductivityLaw {
    /// kappa_eff = eps^b kappa with b = "Bruggeman exponent [-]", as the diffusivities
    /// (Bruggeman, Ann. Phys. 416 (1935) 636).
    #[default]
    Bruggeman,
    /// kappa_eff = kappa: "Electrolyte conductivity [S.m-1]" is the effective conductivity in
    /// every volume, whatever its porosity (models that give an effective conductivity while
    /// correcting the diffusivities; the separator's ionic resistance factor still applies).
    Effective,
}

/// How the cell is built.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CellType {
    /// Metal | separator | porous air cathode | gas (the battery).
    #[default]
    MetalAir,
    /// Metal | separator | the same metal, in the cell's atmosphere: the anode test cell
    /// (polarisation vs time until short circuit). The cathode parameters are unused.
    Symmetric,
}

impl std::fmt::Display for CellType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CellType::MetalAir => "metal-air",
            CellType::Symmetric => "symmetric",
        })
    }
}

/// What the gas boundary exchanges besides the dissolved gases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GasBoundary {
    /// A sealed reservoir of fixed composition: gases dissolve, solvent does not escape.
    #[default]
    Sealed,
    /// Open to the ambient: gases dissolve and solvent evaporates.
    Open,
    /// A sealed headspace of finite volume ("Headspace volume \[m3\]"): its partial pressures
    /// fall as the cell draws each gas and rise as it releases it (ideal gas); no evaporation.
    Headspace,
}

/// Growth law of the SEI from solvent reduction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SeiGrowth {
    /// No solvent-reduction growth (the SEI still grows from corrosion products).
    #[default]
    None,
    /// Solvent diffuses through the SEI to the metal: dn/dt = D_sol c_sol / L_SEI.
    SolventDiffusion,
}

/// Typed switches selecting submodels.
///
/// The default is the cell a researcher expects: the cathode with a tunnelling-limited product
/// film, and every anode mechanism on (corrosion by crossed gases, SEI growth from solvent
/// reduction, SEI cracking and healing, dead metal, dendrites, electrolyte loss). Which gases
/// cross and whether the cell is open come from the atmosphere; the redox mediator and the
/// reactive-oxygen side reaction come with the components that cause them.
/// [`ModelOptions::ideal_anode`] gives the cathode-only model.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ModelOptions {
    /// Passivation law of the cathode product film.
    pub passivation: Passivation,
    /// Active-area law of the cathode.
    pub area_law: AreaLaw,
    /// How the discharge product grows: all film, or film and particles.
    pub product_growth: ProductGrowth,
    /// A carbonate monolayer forms on the product's surface as it is oxidised and slows the
    /// product reaction's exchange current (McCloskey et al., J. Phys. Chem. Lett. 3 (2012)
    /// 997): the charge voltage climbs as the product is used up. One coverage state per
    /// cathode volume ([`crate::model::cathode::interface_carbonate`]).
    pub interface_carbonate: bool,
    /// How fresh product buries the interfacial carbonate (with `interface_carbonate`).
    pub interface_carbonate_burial: CarbonateBurial,
    /// The carbon in contact with the discharge product oxidises to carbonate on charge above
    /// its onset (Ottakam Thotiyl et al., J. Am. Chem. Soc. 135 (2013) 494); the carbonate
    /// covers the carbon, slows the product reaction's exchange current on it (McCloskey et
    /// al., J. Phys. Chem. Lett. 3 (2012) 997) and oxidises to CO2 at higher potential. Two
    /// states per cathode volume ([`crate::model::cathode::carbon_oxidation`]).
    pub carbon_oxidation: bool,
    /// Porosity law of the electrolyte's ionic conductivity.
    pub electrolyte_conductivity: ConductivityLaw,
    /// Dissolved gases transported besides O2 (H2O, CO2, N2).
    pub gases: Vec<crate::params::Gas>,
    /// Sealed or open gas boundary.
    pub gas_boundary: GasBoundary,
    /// Crossed gases corrode the metal (through SEI and protective layer).
    pub corrosion: bool,
    /// SEI growth from solvent reduction.
    pub sei_growth: SeiGrowth,
    /// Plating/stripping cracks the SEI, exposing fresh metal; cracks heal.
    pub sei_cracking: bool,
    /// A fraction of stripped metal becomes electrically isolated.
    pub dead_metal: bool,
    /// Dendrites grow on plating; short circuit when they span the separator.
    pub dendrites: bool,
    /// Track the solvent inventory (SEI consumption, evaporation) and dry-out.
    pub electrolyte_loss: bool,
    /// A redox mediator in the electrolyte (charge catalyst and shuttle).
    pub redox_mediator: bool,
    /// Reactive-oxygen decomposition of the electrolyte during O2 reduction.
    pub parasitic: bool,
    /// Dissolved superoxide: a share of the O2 reduction forms superoxide in solution, which
    /// decays to the product and O2 and can cross to the metal and corrode it
    /// ([`crate::model::superoxide`]). One state per volume. Metal-air cells only.
    pub dissolved_superoxide: bool,
    /// Cathode-only half cell: the separator's anode face is a reference electrode with fixed
    /// salt concentration c_0 and electrolyte potential 0 (no anode kinetics, inventory or
    /// layers; implies the ideal anode). Metal-air cells only.
    pub half_cell: bool,
    /// Double-layer charging of the cathode's carbon in the time domain (on by default): each
    /// volume's phi_s - phi_e is a differential state holding the charge
    /// C_dl a_0 (phi_s - phi_e), so the voltage moves between plateaus in minutes instead of
    /// jumping (metal-air cells). Off reproduces models without a double layer.
    pub double_layer: bool,
}

impl Default for ModelOptions {
    fn default() -> Self {
        Self {
            passivation: Passivation::Tunnelling,
            area_law: AreaLaw::Power,
            product_growth: ProductGrowth::Film,
            interface_carbonate: false,
            interface_carbonate_burial: CarbonateBurial::Proportional,
            carbon_oxidation: false,
            electrolyte_conductivity: ConductivityLaw::Bruggeman,
            gases: vec![],
            gas_boundary: GasBoundary::Sealed,
            corrosion: true,
            sei_growth: SeiGrowth::SolventDiffusion,
            sei_cracking: true,
            dead_metal: true,
            dendrites: true,
            electrolyte_loss: true,
            redox_mediator: false,
            parasitic: false,
            dissolved_superoxide: false,
            half_cell: false,
            double_layer: true,
        }
    }
}

impl ModelOptions {
    /// These switches with every anode mechanism off (the metal only plates and strips). The
    /// cathode's side chemistry (`parasitic`) is left as it is: the cathode-only model of
    /// published Li-O2 cathode models (the `li-o2-ideal-anode` preset) also turns it off.
    pub fn ideal_anode(&self) -> Self {
        Self {
            corrosion: false,
            sei_growth: SeiGrowth::None,
            sei_cracking: false,
            dead_metal: false,
            dendrites: false,
            electrolyte_loss: false,
            ..self.clone()
        }
    }

    /// The mechanisms these switches turn on, in words (for summaries and reports).
    pub fn mechanisms_on(&self) -> Vec<String> {
        let mut v = vec![match self.passivation {
            Passivation::Tunnelling => "product film passivation (tunnelling)".to_string(),
            Passivation::Resistive => "product film passivation (resistive)".to_string(),
            Passivation::None => "no product film passivation".to_string(),
        }];
        if self.film_state() {
            v.push("product growth as film and particles (rate and water)".into());
        }
        if self.interface_carbonate {
            v.push(match self.interface_carbonate_burial {
                CarbonateBurial::Proportional => {
                    "interfacial carbonate on charge (slower product oxidation)".into()
                }
                CarbonateBurial::Thickness => {
                    "interfacial carbonate on charge (slower product oxidation; buried by thickness)"
                        .into()
                }
            });
        }
        if self.carbon_oxidation {
            v.push("carbon oxidation to carbonate on charge (covers the carbon)".into());
        }
        let gases: Vec<&str> = self.transported_gases().iter().map(|g| g.name()).collect();
        if self.corrosion {
            v.push(format!("corrosion by crossed {}", gases.join(", ")));
        }
        if self.sei_growth == SeiGrowth::SolventDiffusion {
            v.push("SEI growth (solvent diffusion)".into());
        }
        for (on, name) in [
            (self.sei_cracking, "SEI cracking and healing"),
            (self.dead_metal, "dead metal"),
            (self.dendrites, "dendrites"),
        ] {
            if on {
                v.push(name.into());
            }
        }
        if self.electrolyte_loss {
            v.push(match self.gas_boundary {
                GasBoundary::Open => "electrolyte loss (SEI, evaporation)".into(),
                GasBoundary::Sealed | GasBoundary::Headspace => {
                    "electrolyte loss (SEI; sealed)".into()
                }
            });
        }
        if self.gas_boundary == GasBoundary::Headspace {
            v.push("sealed headspace (gas pressures follow the gas drawn)".into());
        }
        if self.parasitic {
            v.push("reactive-oxygen electrolyte decomposition".into());
        }
        if self.dissolved_superoxide {
            v.push(if self.interface() {
                "dissolved superoxide (solution route, crossing to the metal)".into()
            } else {
                "dissolved superoxide (solution route)".into()
            });
        }
        if self.redox_mediator {
            v.push(if self.sei_cracking {
                "redox mediator, shuttle and its attack on the SEI (cracks)".into()
            } else {
                "redox mediator and shuttle".into()
            });
        }
        if self.half_cell {
            v.push("half cell (reference face at the separator: fixed salt and potential)".into());
        }
        if self.double_layer {
            v.push("cathode double-layer charging".into());
        }
        v
    }

    /// The anode mechanisms these switches leave off (empty for the default cell).
    pub fn anode_mechanisms_off(&self) -> Vec<&'static str> {
        [
            (self.corrosion, "corrosion"),
            (self.sei_growth != SeiGrowth::None, "SEI growth"),
            (self.sei_cracking, "SEI cracking"),
            (self.dead_metal, "dead metal"),
            (self.dendrites, "dendrites"),
            (self.electrolyte_loss, "electrolyte loss"),
        ]
        .into_iter()
        .filter(|(on, _)| !on)
        .map(|(_, name)| name)
        .collect()
    }

    /// Whether each cathode volume carries a film state: the product grows as film and
    /// particles, and the film passivates.
    pub fn film_state(&self) -> bool {
        self.product_growth == ProductGrowth::FilmAndParticles
            && self.passivation != Passivation::None
    }

    /// Whether the anode interface (SEI layer states) is modelled.
    pub fn interface(&self) -> bool {
        self.corrosion || self.sei_growth != SeiGrowth::None || self.sei_cracking
    }

    /// Whether the SEI resistance to RM+ matters (mediator with the interface).
    pub fn mediator_through_sei(&self) -> bool {
        self.redox_mediator && self.interface()
    }

    /// The transported gases, O2 first, without duplicates.
    pub fn transported_gases(&self) -> Vec<crate::params::Gas> {
        let mut g = vec![crate::params::Gas::O2];
        for x in &self.gases {
            if !g.contains(x) {
                g.push(*x);
            }
        }
        g
    }
}
