//! Oxygen reduction / product oxidation in the cathode: n M+ + O2 + n e- <-> M_nO2.
//!
//! Per carbon surface (i_c > 0 oxidation, i.e. charge), with a film resistance in series:
//!
//!   A = a_ox exp(alpha_a f eta),  B = a_red exp(-alpha_c f eta)   (P = A - B: Butler-Volmer, product at unit activity)
//!   a_ox = (c_O2/c_O2,ref)^b_O2 (c_e/c_0)^b_c,  a_red = (c_O2/c_O2,ref)^g_O2 (c_e/c_0)^g_c
//!   i_c = i0_c { s_p A - q B + s_bg exp(alpha_a f eta) },  q = 1 - (1 - s_p+) sigma(x)
//!   eta = phi_s - phi_e - E0 - i_c R_film(delta)   (eta, the charge-transfer overpotential, is the
//!   algebraic state of each cathode volume; i_c follows from it)
//!   x = ln(a_ox/a_red) + (alpha_a + alpha_c) f eta     (0 at the local equilibrium)
//!   s_p = eps_p / (|eps_p| + eps_sat),   sigma: a smooth step from 0 at x = -x_0 to 1 at x = 0
//!
//! O2's transport from the pore to the carbon bounds the reduction branch, q B ->
//! q B / (1 + i_red,kin / i_lim) with i_lim = n F k_m c_O2 (Koutecky-Levich;
//! [`o2_limiting_current_per_concentration`]); it acts only where a volume is starved of O2 at a
//! deep overpotential.
//!
//! Well below the local equilibrium (x < -x_0) it is the full Butler-Volmer law of a product
//! at unit activity; no product forms above its equilibrium potential, whether or not there is
//! product yet; at and above it the rate needs product to oxidise and carries its availability
//! s_p, and without product it is never an oxidation (see [`product_current`]).
//!
//! The reduction branch is first order in O2 and in the cation by default (g_O2 = g_c = 1:
//! rate-determining first electron transfer O2 + M+ + e- -> MO2); other orders ("Cathode O2
//! reaction order [-]", "Cathode salt reaction order [-]", e.g. j0 ~ c_O2^2 c_Li in a published
//! half-cell model) are set as parameters; transfer coefficients may be up to 1. The oxidation
//! branch has two parts: product oxidation, which needs product (s_p -> 1 once eps_p >> eps_sat,
//! 0 without product, see [`oxidation_activity`]), and the oxidation of the electrolyte on the
//! carbon, i_bg = i0_c s_bg exp(alpha_a f eta), whose activity s_bg puts it at the solvent's
//! own onset ([`super::electrolyte_oxidation`]): it keeps the rest potential of a fresh cathode
//! defined and carries the current of a volume whose product is gone. Its charge
//! releases cations that are not the metal's (protons); their amount is the
//! `electrolyte_oxidation` ledger, d n_ox,j/dt = a i_bg dx_j / F per volume, counted
//! apart in the metal balance. Product growth:
//!
//!   d(eps_p)/dt = -a (i_O2 - i_bg - i_par) V_p / (n F)
//!
//! where i_par is the parasitic part of the reduction current and i_CO3 the oxidation of the
//! parasitic deposit on the same carbon (both 0 unless the `parasitic` option is on, see
//! [`super::parasitic`] and [`super::carbonate`]); the film carries their sum with the carbon's
//! own oxidation and its carbonate's (option `carbon_oxidation`, [`super::carbon_oxidation`],
//! which takes product of its own), i_c = i_O2 + i_CO3 + i_C + i_C,CO3, and the product grows
//! by i_O2 - i_bg - i_par.
//!
//! The volumetric reaction current a i_c enters the electrolyte, solid and O2 balances.

use crate::constants::FARADAY;
use crate::kinetics::MAX_EXPONENT;
use crate::model::workspace::{Properties, Sources};
use crate::model::Model;
use crate::scalar::{exp_clipped, Scalar};

/// Width of the smoothed |eps_p| in the product's activities, relative to eps_sat [-]
/// (numerical).
const ACTIVITY_SMOOTHING: f64 = 1e-6;

/// Activity factor of product oxidation,
///
///   s_p = eps_p / (|eps_p| + eps_sat)
///
/// (|x| smoothed over 1e-6 eps_sat): the saturating law eps_p/(eps_p + eps_sat), first order
/// in eps_p below eps_sat, zero without product, so a volume that runs out stops while its
/// neighbours carry the current. Below zero it changes sign: product the integrator carried
/// below zero is pulled back instead of drifting further (the robustness test checks every
/// volume).
#[inline]
pub fn oxidation_activity<T: Scalar>(eps_p: T, eps_sat: f64) -> T {
    eps_p / (crate::scalar::smooth_abs(eps_p, ACTIVITY_SMOOTHING * eps_sat) + eps_sat)
}

/// Activity factor of an irreversible chemical attack on the product (the oxidised redox
/// mediator's),
///
///   s_chem = p / (p + eps_sat),  p = (eps_p + |eps_p|_w) / 2,  w = 1e-6 eps_sat
///
/// with |x|_w = sqrt(x^2 + w^2) - w (the smoothed |x| of [`oxidation_activity`]): the
/// saturating law where there is product (p = eps_p for eps_p >> w), zero without product, and
/// below zero only as negative as p = -w/2 (|s_chem| <= w / (2 eps_sat - w) ~ 5e-7), where
/// [`oxidation_activity`] falls to -1. A chemical step has no reverse branch: run backwards
/// with the electrochemical branch's activity where the integrator carried the product below
/// zero, it made oxidised mediator out of reduced mediator at a rate that grows with the
/// oxidised mediator itself and does not vanish with the reduced one.
#[inline]
pub fn chemical_attack_activity<T: Scalar>(eps_p: T, eps_sat: f64) -> T {
    let w = ACTIVITY_SMOOTHING * eps_sat;
    let p = (eps_p + crate::scalar::smooth_abs(eps_p, w)) * 0.5;
    p / (p + eps_sat)
}

/// Width x_0 of the switch between the reduction side and the product-limited oxidation side
/// of the product reaction [-], in units of ln r, r = a_ox e^(alpha_a f eta) / (a_red
/// e^(-alpha_c f eta)) the ratio of the branches: the switch runs from x = -x_0 to the
/// equilibrium x = 0, ~13 mV of overpotential for Li2O2 and ~10 mV for a superoxide
/// (numerical; on the distance from the local equilibrium, so it is as sharp where O2 is scarce
/// as where it is plentiful, down to the floor below).
pub const PRODUCT_SWITCH_WIDTH: f64 = 0.4;

/// Floor of the concentration factors in the switch of [`product_current`] [-] (numerical).
const SWITCH_ACTIVITY_FLOOR: f64 = 1e-6;

/// Width w of the smoothed positive part s_p+ of the availability in [`product_current`] [-]
/// (numerical; see [`positive_availability`]).
const AVAILABILITY_SMOOTHING: f64 = 1e-6;

/// The positive part of the availability, s_p+ = 0 for s_p <= 0, 2 s^2/w - s^3/w^2 on
/// [0, w] and s_p from w = [`AVAILABILITY_SMOOTHING`] up (value and slope continuous): exactly
/// zero without product, exactly s_p with product.
#[inline]
fn positive_availability<T: Scalar>(s_p: T) -> T {
    let w = AVAILABILITY_SMOOTHING;
    if s_p.re() <= 0.0 {
        s_p * 0.0
    } else if s_p.re() >= w {
        s_p
    } else {
        s_p * s_p * (s_p * (-1.0 / (w * w)) + 2.0 / w)
    }
}

/// Product reaction current per carbon area, without the background oxidation and without
/// O2's transport limit (the kinetic law; the residual bounds its reduction branch by O2's
/// transport, [`product_current_at`]) [A.m-2]:
///
///   A = a_ox exp(alpha_a f eta),   B = a_red exp(-alpha_c f eta)   (P = A - B: Butler-Volmer)
///   x = ln(A/B) = (alpha_a + alpha_c) f eta + ln a_ox - ln a_red     (x = 0 at the equilibrium)
///   i = i0_c [s_p A - q B],   q = 1 - (1 - s_p+) sigma(x)
///   sigma(x) = S((x + x_0)/x_0),  S(t) = 6t^5 - 15t^4 + 10t^3 on [0, 1], 0 below, 1 above
///
/// (x_0 = [`PRODUCT_SWITCH_WIDTH`], s_p+ the smoothed positive part of s_p: exactly 0 for
/// s_p <= 0 and s_p from 1e-6 up, a cubic between). P is the
/// Butler-Volmer law with the product at unit activity (Bard & Faulkner, Electrochemical
/// Methods, 2nd ed., eq. 3.4.10): the activity of a pure solid phase is 1 however little of it
/// there is, so a net reduction needs the overpotential below the local equilibrium (no
/// product forms above its equilibrium potential). The oxidation of the product needs product:
/// its branch carries the availability s_p ([`oxidation_activity`]; 0 without product, 1 once
/// eps_p >> eps_sat). The reduction branch carries q: 1 below the switch, s_p+ from the
/// equilibrium up, so that at and above the equilibrium the law is s_p P. Hence, exactly:
/// - with s_p = 1 it is Butler-Volmer;
/// - for any s_p >= 0 the current is zero at the equilibrium, a reduction only below it and
///   an oxidation only above it (no product forms above its equilibrium potential);
/// - for s_p <= 0 it is never an oxidation, whatever the overpotential: a volume without
///   product oxidises none, and product the integrator carried below zero is made back.
///
/// Below the switch (x < -x_0) the reduction is the full Butler-Volmer branch whatever the
/// product; inside it a volume without product reduces less than that (a nucleation barrier
/// of at most x_0). Where O2 runs out A and B vanish with a_ox and a_red (in x they are
/// floored at 1e-6 of their reference, so that the equilibrium stops moving there).
///
/// Before (until stop 41) the switch was a logistic centred on the equilibrium scaling the
/// whole of P, i0_c P [1 - (1 - s_p) sigma(x/0.1)]: within a few tenths of x above the
/// equilibrium a volume without product still oxidised at up to half the Butler-Volmer rate.
/// With slow kinetics that leak was negligible; with fast ones (a KO2 cathode with i0_c =
/// 3e-2 A m-2, every volume within a few mV of its equilibrium) the charge oxidised product
/// that was not there, the product fraction fell to -1.5e-3 in half the cathode, the O2 to
/// -16 mol m-3, and the charge ended at 3.0 V after 29 % of the discharge. Earlier still, s_p
/// scaled the oxidation branch alone with no switch, and a product-free volume reduced O2
/// above the equilibrium potential (NaO2 at 0.01 mA cm-2 discharged at 6 mV above E0; a fresh
/// Li2O2 cathode rested at 3.40 V, a mixed potential with Li2O2 forming 0.44 V above E0).
#[inline]
pub fn product_current<T: Scalar>(m: &Model, eta: T, s_p: T, a_ox: T, a_red: T) -> T {
    let kinetic = Transport::kinetic();
    product_and_background_currents(m, eta, s_p, (a_ox, a_red), kinetic, T::from(1.0)).product
}

/// The product reaction's current per carbon area at the pore-average liquid concentrations
/// `c_o2`, `c_e` [mol.m-3] as the residual takes it [A.m-2]: [`product_current`] with O2's
/// transport to the carbon bounding its reduction branch (Koutecky-Levich,
/// 1/i_red = 1/i_red,kin + 1/i_lim with i_lim = n F k_m c_O2,
/// [`o2_limiting_current_per_concentration`]), no interfacial carbonate.
pub fn product_current_at<T: Scalar>(m: &Model, eta: T, s_p: T, c_o2: T, c_e: T) -> T {
    let (activities, transport) = concentration_terms(m, c_o2, c_e);
    product_and_background_currents(m, eta, s_p, activities, transport, T::from(1.0)).product
}

/// What the product reaction takes from the liquid concentrations `c_o2`, `c_e` [mol.m-3]:
/// the concentration factors (a_ox, a_red) of its oxidation and reduction branches and O2's
/// transport limit on the reduction.
fn concentration_terms<T: Scalar>(m: &Model, c_o2: T, c_e: T) -> ((T, T), Transport<T>) {
    let activities = (
        oxidation_concentration_factor(m, c_o2, c_e),
        reduction_activity(m, c_o2, c_e),
    );
    (activities, Transport::of(m, c_o2, c_e))
}

/// O2's limiting current per unit of its pore-average concentration, n F k_m [A.m.mol-1],
/// with the mass-transfer coefficient of a cylindrical pore whose wall consumes the O2 that
/// reaches the pore evenly over its cross-section,
///
///   k_m = 4 D_O2 / r_p,   r_p = 2 eps_c0 / a_0   =>   k_m = 2 D_O2 a_0 / eps_c0
///
/// (steady radial diffusion D (1/r) d/dr (r dc/dr) = -S with dc/dr = 0 at the axis: the
/// concentration falls by S r_p^2 / (8 D) from the cross-section's mean to the wall, where the
/// flux is S r_p / 2; a pore radius from the carbon area per volume of cylindrical pores,
/// a = 2 eps / r). The initial pore radius and the bulk diffusivity: film and deposit narrow
/// the pores (which raises k_m) and the limit matters only where O2 is all but gone.
pub fn o2_limiting_current_per_concentration(p: &crate::params::Parameters) -> f64 {
    let k_m =
        2.0 * p.oxygen.diffusivity * p.geometry.cathode_specific_area / p.geometry.cathode_porosity;
    p.cathode.electrons_per_o2 * FARADAY * k_m
}

/// How O2's transport to the carbon bounds the reduction branch of [`product_current`]
/// (Koutecky-Levich, Bard & Faulkner, Electrochemical Methods, 2nd ed., eq. 9.3.22, with the
/// pore's mass-transfer coefficient of [`o2_limiting_current_per_concentration`]):
///
///   1/i_red = 1/i_red,kin + 1/i_lim,   i_lim = n F k_m c_O2
///
/// exact for the first-order branch (the surface concentration c_s = c_O2 - i_red/(n F k_m)
/// in i_red = k c_s), the usual approximation for other orders.
#[derive(Clone, Copy)]
struct Transport<T> {
    /// The reduction branch's activity per unit O2 concentration, a_red / c_O2
    /// [m3.mol-1] (exact where c_O2 = 0 for first order).
    red_per_o2: T,
    /// n F k_m [A.m.mol-1]; infinite for the kinetic law alone.
    limiting_current: f64,
}

impl<T: Scalar> Transport<T> {
    /// No transport limit: the kinetic law.
    fn kinetic() -> Self {
        Self {
            red_per_o2: T::from(0.0),
            limiting_current: f64::INFINITY,
        }
    }

    /// The limit of cathode model `m` at the liquid concentrations `c_o2`, `c_e` [mol.m-3].
    fn of(m: &Model, c_o2: T, c_e: T) -> Self {
        let c = &m.params.cathode;
        let c_ref = m.params.oxygen.reference_concentration;
        Self {
            red_per_o2: order(c_o2 / c_ref, c.o2_reaction_order - 1.0)
                * order(
                    c_e / m.params.electrolyte.initial_concentration,
                    c.salt_reaction_order,
                )
                / c_ref,
            limiting_current: m.o2_limiting_current,
        }
    }
}

/// The currents of the product reaction and the background oxidation at one overpotential.
struct Currents<T> {
    /// The product reaction's current ([`product_current`]) [A.m-2].
    product: T,
    /// The background oxidation's current [A.m-2].
    background: T,
    /// 1 - sigma of the product reaction's switch: 1 below the local equilibrium (the
    /// reduction side), 0 above it [-].
    reduction_side: T,
}

/// The product reaction's current ([`product_current`]) with its exchange current density
/// scaled by `i0_factor` (the interfacial carbonate, [`super::interface_carbonate`]), and the
/// background oxidation's, i_bg = i0_c s_bg exp(alpha_a f eta) [A.m-2], from one exponential,
/// with the switch's side.
#[inline]
fn product_and_background_currents<T: Scalar>(
    m: &Model,
    eta: T,
    s_p: T,
    (a_ox, a_red): (T, T),
    transport: Transport<T>,
    i0_factor: T,
) -> Currents<T> {
    let c = &m.params.cathode;
    let (aa, ac) = (
        c.anodic_transfer_coefficient,
        c.cathodic_transfer_coefficient,
    );
    let up = exp_clipped(eta * (aa * m.f), MAX_EXPONENT);
    let down = exp_clipped(eta * (-ac * m.f), MAX_EXPONENT);
    let ox = a_ox * up;
    let red = a_red * down;
    // x = ln r with the concentration factors floored at a millionth of their reference:
    // where O2 is all but gone its equilibrium stops moving (A and B themselves vanish with
    // it), so that volumes emptied of O2 below the solver's resolution do not flicker through
    // the switch
    let x = (crate::scalar::floor(a_ox, SWITCH_ACTIVITY_FLOOR) * up
        / (crate::scalar::floor(a_red, SWITCH_ACTIVITY_FLOOR) * down))
        .ln();
    let sigma = switch(x);
    let available = positive_availability(s_p);
    let q = (available * -1.0 + 1.0) * sigma * -1.0 + 1.0;
    let i0 = c.exchange_current_density;
    // i_red,kin / i_lim, which the O2 concentration cancels from
    let limited = down * transport.red_per_o2 * q * i0_factor * (i0 / transport.limiting_current);
    Currents {
        product: (ox * s_p - red * q / (limited + 1.0)) * i0_factor * i0,
        background: up * (i0 * m.background_activity),
        reduction_side: sigma * -1.0 + 1.0,
    }
}

/// The switch of [`product_current`], sigma(x) = S((x + x_0)/x_0) with the quintic smooth
/// step S(t) = t^3 (10 - 15 t + 6 t^2) ([`crate::scalar::smooth_step`]): 0 for x <= -x_0, 1
/// for x >= 0.
#[inline]
fn switch<T: Scalar>(x: T) -> T {
    crate::scalar::smooth_step(x / PRODUCT_SWITCH_WIDTH + 1.0)
}

/// Activity of the reduction branch, (c_O2/c_O2,ref)^g_O2 (c_e/c_0)^g_c, from the liquid
/// concentrations [mol.m-3]. First order (the default) is exact and keeps its sign, so O2 the
/// integrator carried below zero is produced back; other orders floor the concentration at
/// 1e-30 of its reference.
#[inline]
pub fn reduction_activity<T: Scalar>(m: &Model, c_o2: T, c_e: T) -> T {
    let c = &m.params.cathode;
    concentration_factor(m, c_o2, c_e, c.o2_reaction_order, c.salt_reaction_order)
}

/// Concentration factor of the product-oxidation branch, (c_O2/c_O2,ref)^beta_O2 (c_e/c_0)^beta_c
/// (1 for zero orders; the background oxidation of the electrolyte does not carry it).
#[inline]
pub fn oxidation_concentration_factor<T: Scalar>(m: &Model, c_o2: T, c_e: T) -> T {
    let c = &m.params.cathode;
    concentration_factor(
        m,
        c_o2,
        c_e,
        c.oxidation_o2_reaction_order,
        c.oxidation_salt_reaction_order,
    )
}

/// (c_O2/c_O2,ref)^g_o2 (c_e/c_0)^g_e.
#[inline]
fn concentration_factor<T: Scalar>(m: &Model, c_o2: T, c_e: T, g_o2: f64, g_e: f64) -> T {
    order(c_o2 / m.params.oxygen.reference_concentration, g_o2)
        * order(c_e / m.params.electrolyte.initial_concentration, g_e)
}

/// x^g for a reaction order g (x itself for g = 1, 1 for g = 0).
#[inline]
pub(crate) fn order<T: Scalar>(x: T, g: f64) -> T {
    if g == 1.0 {
        x
    } else if g == 0.0 {
        x * 0.0 + 1.0
    } else {
        crate::scalar::floor(x, 1e-30).powf(g)
    }
}

/// Overpotential rows (eta per cathode volume) and parasitic-deposit rows; the product growth, the volumetric current
/// into the carbon, the cations it consumes and the O2 the product takes.
pub fn contribute<T: Scalar>(
    m: &Model,
    y: &[T],
    props: &Properties<T>,
    src: &mut Sources<T>,
    out: &mut [T],
) {
    let l = &m.layout;
    let c = &m.params.cathode;
    let eps_sat = c.product_saturation_fraction;
    let growth = c.product_molar_volume / (c.electrons_per_o2 * FARADAY);
    let nf = c.electrons_per_o2 * FARADAY;
    // where the CO2 of oxidised carbonate goes: the dissolved CO2, where CO2 is transported
    let co2 = l
        .gas_index(crate::params::Gas::CO2)
        .map(|g| g * m.mesh.len());
    for j in 0..m.mesh.n_cat {
        let k = m.cat(j);
        let eps_p = y[l.product.start + j];
        let eta = y[l.overpotential.start + j];
        let deposit = m.deposit(y, j);
        let area = m.structure.active_area(deposit);
        let r_film = m
            .film
            .resistance(m.structure.film_thickness(m.film_deposit(y, j)));
        let s_p = oxidation_activity(eps_p, eps_sat);
        let (activities, transport) = concentration_terms(m, props.c_gas[k], props.c_e[k]);
        // the carbonates slow the product reaction; the background oxidation oxidises the
        // electrolyte, not the product
        let bare = super::carbon_oxidation::bare_fraction(m, y, j);
        let i0_factor = exchange_factor_with(m, y, j, bare);
        let currents =
            product_and_background_currents(m, eta, s_p, activities, transport, i0_factor);
        let i_bg = currents.background;
        let i_o2 = currents.product + i_bg;
        // the carbonate deposit oxidises on the same carbon at the same potential
        let i_co3 = super::carbonate::in_volume(m, y, j, eta);
        // and the carbon itself, where it touches product
        let carbon = bare.map(|b| super::carbon_oxidation::in_volume(m, y, j, b, eta));
        let i_c = match carbon {
            Some(carbon) => i_o2 + i_co3 + carbon.total(),
            None => i_o2 + i_co3,
        };
        // the charge-transfer overpotential is what remains of phi_s - phi_e - E0 after the
        // drop across the product film
        out[l.overpotential.start + j] = super::double_layer::interface_potential(m, y, j)
            - c.standard_potential
            - i_c * r_film
            - eta;
        let source = area * i_c;
        src.charge[k] += source;
        src.salt[k] += source / FARADAY;
        let background = area * i_bg;
        out[l.electrolyte_oxidation.start + j] = background * (m.mesh.dx[k] / FARADAY);
        let forming = match (&l.side_product, &l.carbonate_oxidised) {
            (Some(r), Some(ox)) => {
                let lost = super::parasitic::current(m, eta, i_o2, currents.reduction_side) * area;
                let units = super::carbonate::units_rate(i_co3 * area);
                out[r.start + j] =
                    super::parasitic::deposit_rate(m, lost) - units * c.parasitic_molar_volume;
                out[ox.start + j] = units * m.mesh.dx[k];
                // its deposit takes O from dissolved O2 (lost < 0 on reduction)
                src.gas[k] += lost * (c.parasitic_o2_per_unit / (2.0 * FARADAY));
                // each oxidised unit releases one CO2
                if let Some(g) = co2 {
                    src.gas[g + k] += units;
                }
                source - background - lost - i_co3 * area
            }
            _ => source - background,
        };
        // the charge into the carbon's own oxidation (and its carbonate's) forms no product
        let forming = match carbon {
            Some(carbon) => {
                forming
                    - super::carbon_oxidation::contribute(m, carbon, area, (j, k), co2, src, out)
            }
            None => forming,
        };
        // with dissolved superoxide, a share of the reduction forms MO2 in solution: one O2
        // and one electron each (its decay to product is in [`crate::model::superoxide`])
        let forming = if l.superoxide.is_some() {
            let dissolved =
                crate::model::superoxide::formation(m, forming, currents.reduction_side);
            src.superoxide[k] += dissolved;
            src.gas[k] -= dissolved;
            forming + dissolved * FARADAY
        } else {
            forming
        };
        // the O2 of the product comes from the dissolved O2 (0 is gas O2 in the layout)
        src.gas[k] += forming / nf;
        src.product[j] -= forming * growth;
    }
}

/// Overpotential at which the kinetics carry `i_c` [A.m-2], for a starting guess: the Tafel
/// branch that dominates (`s_ox`: the oxidation branch's activity with the product's
/// availability and the background, `s_red` the reduction branch's), or the equilibrium shift
/// when `i_c` = 0 (`a_ox`: the oxidation branch's concentration factor; the product is at
/// unit activity there, see [`product_current`]).
pub fn overpotential_guess(m: &Model, i_c: f64, s_ox: f64, s_red: f64, a_ox: f64) -> f64 {
    let c = &m.params.cathode;
    let i0 = c.exchange_current_density;
    let (aa, ac) = (
        c.anodic_transfer_coefficient,
        c.cathodic_transfer_coefficient,
    );
    let (s_ox, s_red) = (s_ox.max(1e-300), s_red.max(1e-300));
    if i_c > 0.0 {
        (i_c / (i0 * s_ox)).max(1.0).ln() / (aa * m.f)
    } else if i_c < 0.0 {
        -(-i_c / (i0 * s_red)).max(1.0).ln() / (ac * m.f)
    } else {
        (s_red / (a_ox + m.background_activity).max(1e-300)).ln() / ((aa + ac) * m.f)
    }
}

/// The overpotential at which the product reaction (its exchange current scaled by
/// `i0_factor`) and the background oxidation carry no net current, found by bisection within
/// 0.1 V of `guess` (None where they do not change sign there, e.g. without O2).
fn rest_overpotential(
    m: &Model,
    guess: f64,
    s_p: f64,
    activities: (f64, f64),
    transport: Transport<f64>,
    i0_factor: f64,
) -> Option<f64> {
    let net = |eta: f64| {
        let i = product_and_background_currents(m, eta, s_p, activities, transport, i0_factor);
        i.product + i.background
    };
    let (mut lo, mut hi) = (guess - 0.1, guess + 0.1);
    if !(net(lo) < 0.0 && net(hi) > 0.0) {
        return None;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if net(mid) > 0.0 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(0.5 * (lo + hi))
}

/// The reaction current per carbon area in cathode volume `j` of state `y` [A.m-2] (positive
/// = oxidation), from its overpotential state.
pub fn reaction_current(m: &Model, y: &[f64], j: usize) -> f64 {
    let (s_p, (a_ox, a_red), transport) = activities(m, y, j);
    let eta = y[m.layout.overpotential.start + j];
    let bare = super::carbon_oxidation::bare_fraction(m, y, j);
    let i0_factor = exchange_factor_with(m, y, j, bare);
    let i = product_and_background_currents(m, eta, s_p, (a_ox, a_red), transport, i0_factor);
    i.product
        + i.background
        + super::carbonate::in_volume(m, y, j, eta)
        + bare.map_or(0.0, |b| {
            super::carbon_oxidation::in_volume(m, y, j, b, eta).total()
        })
}

/// Factor on the product reaction's exchange current density in cathode volume `j`: the
/// interfacial carbonate's on the product ([`super::interface_carbonate`]) times the carbon
/// carbonate's ([`super::carbon_oxidation`]), each 1 without its option.
#[inline]
pub fn exchange_factor<T: Scalar>(m: &Model, y: &[T], j: usize) -> T {
    exchange_factor_with(m, y, j, super::carbon_oxidation::bare_fraction(m, y, j))
}

/// [`exchange_factor`] with the carbon's bare fraction already computed.
#[inline]
fn exchange_factor_with<T: Scalar>(m: &Model, y: &[T], j: usize, bare: Option<T>) -> T {
    let f = super::interface_carbonate::exchange_factor(m, y, j);
    match bare {
        Some(b) => f * super::carbon_oxidation::exchange_factor(m, b),
        None => f,
    }
}

/// The product's availability s_p, the concentration factors (a_ox, a_red) of the
/// oxidation and reduction branches and O2's transport limit in cathode volume `j`.
fn activities(m: &Model, y: &[f64], j: usize) -> (f64, (f64, f64), Transport<f64>) {
    let l = &m.layout;
    let c = &m.params.cathode;
    let k = m.cat(j);
    // the liquid volume, as the residual takes it (the pores' liquid fraction included)
    let mut eps = m.structure.porosity(m.deposit(y, j));
    if let Some(i) = l.solvent {
        eps *= crate::model::electrolyte_loss::liquid_fraction(&m.params, y[i]);
    }
    let (c_o2, c_e) = (y[l.o2.start + k] / eps, y[l.salt.start + k] / eps);
    let s_p = oxidation_activity(y[l.product.start + j], c.product_saturation_fraction);
    let (activities, transport) = concentration_terms(m, c_o2, c_e);
    (s_p, activities, transport)
}

/// Sets the overpotentials and the solid potential of `y` to a starting guess for the
/// consistent initialisation, so that each cathode volume carries its target reaction current
/// `i_target[j]`; at rest (`uniform`) the carbon takes the median of the per-volume potentials
/// (at zero current those can be far apart where O2 or product is depleted, while the
/// well-connected carbon is nearly equipotential) and each overpotential follows from it.
pub fn guess_solid_potential(m: &Model, y: &mut [f64], i_target: &[f64], uniform: bool) {
    let l = &m.layout;
    let c = &m.params.cathode;
    let mut phi = Vec::with_capacity(m.mesh.n_cat);
    let mut eta = Vec::with_capacity(m.mesh.n_cat);
    for (j, &i_c) in i_target.iter().enumerate() {
        let k = m.cat(j);
        let (s_p, (a_ox, a_red), transport) = activities(m, y, j);
        // the interfacial carbonate scales both branches of the product reaction
        let f = exchange_factor(m, y, j);
        let s_ox = f * s_p * a_ox + m.background_activity;
        let mut e = overpotential_guess(m, i_c, s_ox, f * a_red.max(1e-6), f * a_ox);
        if i_c == 0.0 {
            // at rest: the root of the product reaction plus the background oxidation, which
            // the double layer's differential state takes as it is (the guess above treats
            // the product as present, off by ~3e-8 V in a product-free volume)
            e = rest_overpotential(m, e, s_p, (a_ox, a_red), transport, f).unwrap_or(e);
        }
        let r_film: f64 = m
            .film
            .resistance(m.structure.film_thickness(m.film_deposit(y, j)));
        eta.push(e);
        phi.push(y[l.phi_e.start + k] + c.standard_potential + e + i_c * r_film);
    }
    if uniform && !phi.is_empty() {
        let mut sorted = phi.clone();
        sorted.sort_by(f64::total_cmp);
        let median = sorted[sorted.len() / 2];
        for j in 0..phi.len() {
            phi[j] = median;
            eta[j] = median - y[l.phi_e.start + m.cat(j)] - c.standard_potential;
        }
    }
    if l.double_layer {
        for (j, phi) in phi.iter_mut().enumerate() {
            *phi -= y[l.phi_e.start + m.cat(j)];
        }
    }
    y[l.phi_s.clone()].copy_from_slice(&phi);
    y[l.overpotential.clone()].copy_from_slice(&eta);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The switch is the quintic smooth step: 0 at and below -x_0, 1 at and above the
    /// equilibrium, 1/2 in the middle, monotone, with zero slope at both ends.
    #[test]
    fn the_switch_runs_from_minus_x0_to_the_equilibrium() {
        let x0 = PRODUCT_SWITCH_WIDTH;
        assert_eq!(switch(-x0), 0.0);
        assert_eq!(switch(-2.0 * x0), 0.0);
        assert_eq!(switch(0.0f64), 1.0);
        assert_eq!(switch(3.0f64), 1.0);
        assert!((switch(-0.5 * x0) - 0.5f64).abs() < 1e-15);
        let mut last = 0.0;
        for k in 0..=1000 {
            let s: f64 = switch(-x0 + x0 * k as f64 / 1000.0);
            assert!(s >= last, "{k}");
            last = s;
        }
        for x in [-x0, 0.0] {
            let d = switch(crate::scalar::Dual64::new(x, 1.0)).eps;
            assert!(d.abs() < 1e-12, "{x}: {d}");
        }
    }

    /// s_p+ is zero at and below zero, s_p itself from w up, continuous in value and slope at
    /// both joints, and monotone.
    #[test]
    fn the_positive_availability_is_exact_outside_its_width() {
        let w = AVAILABILITY_SMOOTHING;
        for s in [-1.0, -1e-3, -1e-12, 0.0] {
            assert_eq!(positive_availability(s), 0.0);
        }
        for s in [w, 2.0 * w, 1e-3, 0.5, 1.0] {
            assert_eq!(positive_availability(s), s);
        }
        let d = |s: f64| positive_availability(crate::scalar::Dual64::new(s, 1.0)).eps;
        assert!(d(1e-9 * w).abs() < 1e-8 && (d(w * (1.0 - 1e-9)) - 1.0).abs() < 1e-8);
        assert!((positive_availability(w * (1.0 - 1e-9)) / w - 1.0).abs() < 1e-8);
        let mut last = 0.0;
        for k in 0..=1000 {
            let v = positive_availability(w * k as f64 / 1000.0);
            assert!(v >= last && v <= w * k as f64 / 1000.0 + 1e-30, "{k}");
            last = v;
        }
    }

    /// The chemical attack's activity is the saturating law where there is product, zero at
    /// zero, and below zero bounded by w / (2 eps_sat - w) in size instead of falling to -1 as the
    /// electrochemical branch's does.
    #[test]
    fn a_chemical_attack_never_runs_backwards() {
        let sat = 1e-3;
        let w = ACTIVITY_SMOOTHING * sat;
        for eps in [1e-6, 1e-4, 1e-3, 0.1] {
            let exact = eps / (eps + sat);
            let s: f64 = chemical_attack_activity(eps, sat);
            assert!((s / exact - 1.0).abs() < 1e-3, "{eps}: {s} vs {exact}");
            let e: f64 = oxidation_activity(eps, sat);
            assert!((s / e - 1.0).abs() < 1e-3, "{eps}: {s} vs {e}");
        }
        assert_eq!(chemical_attack_activity(0.0, sat), 0.0);
        let bound = w / (2.0 * sat - w);
        for eps in [-1e-12, -1e-9, -1e-6, -1e-3, -1.0] {
            let s: f64 = chemical_attack_activity(eps, sat);
            let e: f64 = oxidation_activity(eps, sat);
            assert!(s <= 0.0 && s >= -bound, "{eps}: {s} outside [-{bound}, 0]");
            assert!(e < s, "{eps}: the electrochemical activity {e} vs {s}");
        }
        let far: f64 = chemical_attack_activity(-1e-3, sat);
        assert!(oxidation_activity(-1e-3, sat) < -0.49 && far > -bound);
    }
}
