//! One experiment step and its parser.
//!
//! Grammar (case-insensitive, words separated by spaces; PyBaMM's step strings plus what
//! metal–air work needs):
//!
//! ```text
//! step    := ("Discharge" | "Charge") "at" NUMBER (current-unit | power-unit) limits period?
//!          | "Hold at" NUMBER ("V" | "mV") limits period?
//!          | "Rest for" NUMBER time-unit period?
//! limits  := ("for" NUMBER time-unit)? (("or")? "until" limit)*
//! limit   := NUMBER ("V" | "mV")                       voltage cut-off
//!          | NUMBER capacity-unit                      capacity limit
//!          | NUMBER current-unit                       current limit (holds)
//! period  := "(" NUMBER time-unit "period" ")"         output sampling
//! current-unit  := A m-2 | mA cm-2 | uA cm-2 | A | mA | uA | mA g-1 | A g-1   (g: cathode carbon)
//! power-unit    := W m-2 | mW cm-2 | W | mW
//! capacity-unit := mAh cm-2 | Ah m-2 | mAh | Ah | mAh g-1
//! time-unit     := s | second(s) | min | minute(s) | h | hour(s)
//! ```
//!
//! A step must end: it needs "for" or an "until". An entry starting with "EIS" is not a step
//! but an impedance measurement at that place of the cycle (see [`super::measurement`]).

use std::fmt;

/// Longest a step may last \[s\] (10 000 h, 417 days): its own duration at most, and the
/// limit of a step without one.
pub const MAX_STEP_DURATION: f64 = 3.6e7;

/// What a step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    /// Current out of the cell (metal stripped, product formed).
    Discharge,
    /// Current into the cell.
    Charge,
    /// Zero current.
    Rest,
    /// Constant voltage.
    Hold,
}

impl fmt::Display for StepKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StepKind::Discharge => "discharge",
            StepKind::Charge => "charge",
            StepKind::Rest => "rest",
            StepKind::Hold => "hold",
        })
    }
}

/// How an amount is normalised: per electrode area, per cell, or per gram of cathode carbon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Per square metre.
    PerSquareMetre,
    /// For the whole cell (divided by the electrode area).
    PerCell,
    /// Per kilogram of cathode carbon.
    PerKilogramCarbon,
}

/// A magnitude in SI per its basis: A m-2 | A | A kg-1 for currents, W.. for power, C.. for
/// capacity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Amount {
    /// Magnitude in SI units of the basis.
    pub value: f64,
    /// Basis.
    pub basis: Basis,
}

impl Amount {
    /// The amount per square metre of electrode, for a cell of `area` \[m2\] and carbon loading
    /// `carbon` [kg.m-2].
    pub fn per_area(&self, area: f64, carbon: f64) -> f64 {
        match self.basis {
            Basis::PerSquareMetre => self.value,
            Basis::PerCell => self.value / area,
            Basis::PerKilogramCarbon => self.value * carbon,
        }
    }
}

/// What the step imposes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Drive {
    /// Zero current.
    Rest,
    /// Current magnitude.
    Current(Amount),
    /// Power magnitude.
    Power(Amount),
    /// Terminal voltage \[V\].
    Voltage(f64),
}

/// A parsed experiment step.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The text as written.
    pub text: String,
    /// Discharge, charge, rest or hold.
    pub kind: StepKind,
    /// What it imposes.
    pub drive: Drive,
    /// Maximum duration \[s\].
    pub duration: Option<f64>,
    /// Voltage cut-off \[V\]: lower for discharge, upper for charge.
    pub voltage_limit: Option<f64>,
    /// Capacity limit (C per basis).
    pub capacity_limit: Option<Amount>,
    /// Current-magnitude limit (ends a hold).
    pub current_limit: Option<Amount>,
    /// Output sampling period \[s\].
    pub period: Option<f64>,
}

impl Step {
    /// Sign of the current: +1 discharge, -1 charge, 0 otherwise.
    pub fn sign(&self) -> f64 {
        match self.kind {
            StepKind::Discharge => 1.0,
            StepKind::Charge => -1.0,
            StepKind::Rest | StepKind::Hold => 0.0,
        }
    }

    /// (lower, upper) voltage cut-offs.
    pub fn cutoffs(&self) -> (Option<f64>, Option<f64>) {
        match self.kind {
            StepKind::Discharge => (self.voltage_limit, None),
            StepKind::Charge => (None, self.voltage_limit),
            StepKind::Rest | StepKind::Hold => (None, None),
        }
    }

    /// Parses a step; the error says what was expected where.
    pub fn parse(text: &str) -> Result<Step, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut p = Parser {
            words: &words,
            pos: 0,
        };
        let kind = match p.next_lower().as_deref() {
            Some("discharge") => StepKind::Discharge,
            Some("charge") => StepKind::Charge,
            Some("rest") => StepKind::Rest,
            Some("hold") => StepKind::Hold,
            other => {
                return Err(p.expected("\"Discharge\", \"Charge\", \"Hold\" or \"Rest\"", other))
            }
        };
        let mut step = Step {
            text: text.trim().to_string(),
            kind,
            drive: Drive::Rest,
            duration: None,
            voltage_limit: None,
            capacity_limit: None,
            current_limit: None,
            period: None,
        };
        match kind {
            StepKind::Rest => {
                p.keyword("for")?;
                step.duration = Some(p.duration()?);
            }
            StepKind::Hold => {
                p.keyword("at")?;
                step.drive = Drive::Voltage(p.voltage()?);
                p.limits(&mut step)?;
            }
            StepKind::Discharge | StepKind::Charge => {
                p.keyword("at")?;
                let value = p.number("a current or power")?;
                if value <= 0.0 {
                    return Err(format!(
                        "the current must be positive (got {value}); the direction comes from \"{kind}\""
                    ));
                }
                step.drive = match p.unit()? {
                    Unit::Current(a) => Drive::Current(a.scale(value)),
                    Unit::Power(a) => Drive::Power(a.scale(value)),
                    Unit::Capacity(_) => {
                        return Err(format!(
                            "a capacity unit after \"at\" (word {}); use a current such as mA cm-2",
                            p.pos
                        ))
                    }
                };
                p.limits(&mut step)?;
            }
        }
        p.period(&mut step)?;
        if let Some(extra) = p.words.get(p.pos) {
            return Err(format!(
                "unexpected \"{extra}\" at word {} (the step should end here)",
                p.pos + 1
            ));
        }
        let ends = step.duration.is_some()
            || step.voltage_limit.is_some()
            || step.capacity_limit.is_some()
            || step.current_limit.is_some();
        if !ends {
            return Err(format!(
                "a {kind} step needs an end: add \"for <time>\" or \"until <limit>\""
            ));
        }
        if kind == StepKind::Hold && step.voltage_limit.is_some() {
            return Err(
                "a hold cannot have a voltage limit; end it with a current or a time".into(),
            );
        }
        Ok(step)
    }
}

enum Unit {
    Current(Amount),
    Power(Amount),
    Capacity(Amount),
}

impl Amount {
    fn scale(self, v: f64) -> Amount {
        Amount {
            value: self.value * v,
            basis: self.basis,
        }
    }
}

struct Parser<'a> {
    words: &'a [&'a str],
    pos: usize,
}

impl Parser<'_> {
    fn next_lower(&mut self) -> Option<String> {
        let w = self.words.get(self.pos).map(|w| w.to_lowercase());
        self.pos += 1;
        w
    }

    fn peek_lower(&self) -> Option<String> {
        self.words.get(self.pos).map(|w| w.to_lowercase())
    }

    fn peek_is(&self, word: &str) -> bool {
        self.words
            .get(self.pos)
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    }

    fn expected(&self, what: &str, found: Option<&str>) -> String {
        match found {
            Some(f) => format!("expected {what} at word {}, found \"{f}\"", self.pos),
            None => format!(
                "expected {what} at word {}, found the end of the step",
                self.pos
            ),
        }
    }

    fn keyword(&mut self, kw: &str) -> Result<(), String> {
        match self.next_lower() {
            Some(w) if w == kw => Ok(()),
            other => Err(self.expected(&format!("\"{kw}\""), other.as_deref())),
        }
    }

    fn number(&mut self, what: &str) -> Result<f64, String> {
        let w = self.next_lower();
        match w.as_deref().map(str::parse::<f64>) {
            Some(Ok(v)) if v.is_finite() => Ok(v),
            _ => Err(self.expected(&format!("a number ({what})"), w.as_deref())),
        }
    }

    /// A unit of one or two words (current, power or capacity).
    fn unit(&mut self) -> Result<Unit, String> {
        use Basis::*;
        let first = self.next_lower();
        let second = self.peek_lower();
        let a = |value: f64, basis: Basis| Amount { value, basis };
        let two = match (first.as_deref(), second.as_deref()) {
            (Some("a"), Some("m-2")) => Some(Unit::Current(a(1.0, PerSquareMetre))),
            (Some("ma"), Some("cm-2")) => Some(Unit::Current(a(10.0, PerSquareMetre))),
            (Some("ua" | "µa"), Some("cm-2")) => Some(Unit::Current(a(1e-2, PerSquareMetre))),
            (Some("ma"), Some("g-1")) => Some(Unit::Current(a(1.0, PerKilogramCarbon))),
            (Some("a"), Some("g-1")) => Some(Unit::Current(a(1e3, PerKilogramCarbon))),
            (Some("w"), Some("m-2")) => Some(Unit::Power(a(1.0, PerSquareMetre))),
            (Some("mw"), Some("cm-2")) => Some(Unit::Power(a(10.0, PerSquareMetre))),
            (Some("mah"), Some("cm-2")) => Some(Unit::Capacity(a(36_000.0, PerSquareMetre))),
            (Some("ah"), Some("m-2")) => Some(Unit::Capacity(a(3600.0, PerSquareMetre))),
            (Some("mah"), Some("g-1")) => Some(Unit::Capacity(a(3.6e3, PerKilogramCarbon))),
            (Some(f), Some(s @ ("m-2" | "cm-2" | "g-1"))) => {
                return Err(format!(
                    "\"{f} {s}\" is not an accepted unit; use A m-2, mA cm-2, uA cm-2, mA g-1, W m-2, mW cm-2, mAh cm-2 or mAh g-1"
                ))
            }
            _ => None,
        };
        if let Some(unit) = two {
            self.pos += 1;
            return Ok(unit);
        }
        match first.as_deref() {
            Some("a") => Ok(Unit::Current(a(1.0, PerCell))),
            Some("ma") => Ok(Unit::Current(a(1e-3, PerCell))),
            Some("ua" | "µa") => Ok(Unit::Current(a(1e-6, PerCell))),
            Some("w") => Ok(Unit::Power(a(1.0, PerCell))),
            Some("mw") => Ok(Unit::Power(a(1e-3, PerCell))),
            Some("mah") => Ok(Unit::Capacity(a(3.6, PerCell))),
            Some("ah") => Ok(Unit::Capacity(a(3600.0, PerCell))),
            Some("a.m-2") => Ok(Unit::Current(a(1.0, PerSquareMetre))),
            Some("ma.cm-2") => Ok(Unit::Current(a(10.0, PerSquareMetre))),
            Some("ua.cm-2" | "µa.cm-2") => Ok(Unit::Current(a(1e-2, PerSquareMetre))),
            other => Err(self.expected(
                "a unit (voltage: V, mV; current: A m-2, mA cm-2, uA cm-2, mA g-1, A, mA, uA; power: W m-2, mW cm-2, W, mW; capacity: mAh cm-2, mAh g-1, mAh)",
                other,
            )),
        }
    }

    fn limits(&mut self, step: &mut Step) -> Result<(), String> {
        if self.peek_is("for") {
            self.pos += 1;
            step.duration = Some(self.duration()?);
        }
        loop {
            if self.peek_is("or") {
                self.pos += 1;
                if !self.peek_is("until") {
                    let found = self.next_lower();
                    return Err(self.expected("\"until\" after \"or\"", found.as_deref()));
                }
            }
            if !self.peek_is("until") {
                return Ok(());
            }
            self.pos += 1;
            let v = self.number("a limit")?;
            match self.peek_lower().as_deref() {
                Some("v" | "mv" | "volt" | "volts" | "millivolt" | "millivolts") => {
                    self.pos -= 1;
                    step.voltage_limit = Some(self.voltage()?);
                }
                _ => match self.unit()? {
                    Unit::Capacity(a) => {
                        if v <= 0.0 {
                            return Err(format!("the capacity limit must be positive (got {v})"));
                        }
                        step.capacity_limit = Some(a.scale(v));
                    }
                    Unit::Current(a) => {
                        if v <= 0.0 {
                            return Err(format!("the current limit must be positive (got {v})"));
                        }
                        if step.kind != StepKind::Hold {
                            return Err(
                                "a current limit (\"until <current>\") ends holds only".into()
                            );
                        }
                        step.current_limit = Some(a.scale(v));
                    }
                    Unit::Power(_) => return Err("a step cannot end at a power".into()),
                },
            }
        }
    }

    fn period(&mut self, step: &mut Step) -> Result<(), String> {
        let Some(w) = self.peek_lower() else {
            return Ok(());
        };
        if !w.starts_with('(') {
            return Ok(());
        }
        // "(10 second period)": strip the parentheses around the words
        let inner: Vec<String> = self.words[self.pos..]
            .iter()
            .map(|w| w.trim_start_matches('(').trim_end_matches(')').to_string())
            .collect();
        let closes = self.words[self.pos..].iter().position(|w| w.ends_with(')'));
        let Some(end) = closes else {
            return Err(format!("unclosed \"(\" at word {}", self.pos + 1));
        };
        let parts: Vec<&str> = inner[..=end].iter().map(|s| s.as_str()).collect();
        let mut p = Parser {
            words: &parts,
            pos: 0,
        };
        let d = p.duration()?;
        if !p.peek_is("period") || p.pos + 1 != parts.len() {
            return Err(format!(
                "expected \"(<time> period)\" at word {}",
                self.pos + 1
            ));
        }
        step.period = Some(d);
        self.pos += end + 1;
        Ok(())
    }

    fn duration(&mut self) -> Result<f64, String> {
        let v = self.number("a duration")?;
        if v <= 0.0 {
            return Err(format!("the duration must be positive (got {v})"));
        }
        let w = self.next_lower();
        let scale = match w.as_deref() {
            Some("s" | "sec" | "second" | "seconds") => 1.0,
            Some("min" | "minute" | "minutes") => 60.0,
            Some("h" | "hr" | "hour" | "hours") => 3600.0,
            Some("d" | "day" | "days") => 86400.0,
            other => {
                return Err(self.expected("a time unit (seconds, minutes, hours or days)", other))
            }
        };
        let d = v * scale;
        if d > MAX_STEP_DURATION {
            return Err(format!(
                "a step lasts at most {:.0} hours (got {} {})",
                MAX_STEP_DURATION / 3600.0,
                crate::params::number_text(v),
                w.unwrap_or_default()
            ));
        }
        Ok(d)
    }

    fn voltage(&mut self) -> Result<f64, String> {
        let v = self.number("a voltage")?;
        let w = self.next_lower();
        let volts = match w.as_deref() {
            Some("v" | "volt" | "volts") => v,
            Some("mv" | "millivolt" | "millivolts") => v * 1e-3,
            other => return Err(self.expected("\"V\" or \"mV\"", other)),
        };
        if !(0.0..=10.0).contains(&volts) {
            return Err(format!(
                "voltage {volts} V is outside the allowed range [0, 10] V"
            ));
        }
        Ok(volts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AREA: f64 = 1e-4;
    const CARBON: f64 = 0.135; // kg m-2

    fn current(s: &Step) -> f64 {
        match s.drive {
            Drive::Current(a) => s.sign() * a.per_area(AREA, CARBON),
            _ => f64::NAN,
        }
    }

    #[test]
    fn valid_steps() {
        // (text, kind, signed current density [A m-2], duration [s], voltage limit [V])
        type Row = (&'static str, StepKind, f64, Option<f64>, Option<f64>);
        let table: &[Row] = &[
            (
                "Discharge at 0.1 mA cm-2 until 2.0 V",
                StepKind::Discharge,
                1.0,
                None,
                Some(2.0),
            ),
            (
                "Charge at 0.1 mA cm-2 until 4.5 V",
                StepKind::Charge,
                -1.0,
                None,
                Some(4.5),
            ),
            (
                "charge at 2 A m-2 for 5 hours or until 4.5 V",
                StepKind::Charge,
                -2.0,
                Some(18000.0),
                Some(4.5),
            ),
            (
                "Discharge at 50 uA for 10 minutes",
                StepKind::Discharge,
                0.5,
                Some(600.0),
                None,
            ),
            (
                "Discharge at 0.5 mA.cm-2 until 2200 mV",
                StepKind::Discharge,
                5.0,
                None,
                Some(2.2),
            ),
            (
                "Discharge at 1 mA until 2 V",
                StepKind::Discharge,
                10.0,
                None,
                Some(2.0),
            ),
            (
                "Discharge at 500 mA g-1 until 1000 mAh g-1",
                StepKind::Discharge,
                500.0 * CARBON,
                None,
                None,
            ),
        ];
        for (text, kind, i, dur, lim) in table {
            let s = Step::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(s.kind, *kind, "{text}");
            assert!((current(&s) - i).abs() < 1e-9, "{text}: {}", current(&s));
            assert_eq!(s.duration, *dur, "{text}");
            assert_eq!(s.voltage_limit, *lim, "{text}");
        }
        let s = Step::parse("Rest for 1 hour").unwrap();
        assert_eq!((s.kind, s.duration), (StepKind::Rest, Some(3600.0)));
        let s = Step::parse("Rest for 2 days").unwrap();
        assert_eq!(s.duration, Some(172800.0));
        let s = Step::parse("Discharge at 0.1 mA cm-2 until 2 volts").unwrap();
        assert_eq!(s.voltage_limit, Some(2.0));
        let s = Step::parse("Discharge at 0.1 mA cm-2 until 1900 millivolts").unwrap();
        assert!((s.voltage_limit.unwrap() - 1.9).abs() < 1e-12);
        let s = Step::parse("Discharge at 500 mA g-1 until 1000 mAh g-1").unwrap();
        let cap = s.capacity_limit.unwrap().per_area(AREA, CARBON);
        assert!((cap - 1000.0 * 3.6 * CARBON * 1e3).abs() < 1e-6, "{cap}");
        let s = Step::parse("Discharge at 0.2 mA cm-2 until 0.5 mAh cm-2 or until 2.0 V").unwrap();
        assert_eq!(s.capacity_limit.unwrap().per_area(AREA, CARBON), 18_000.0);
        assert_eq!(s.voltage_limit, Some(2.0));
        let s = Step::parse("Hold at 4.2 V until 0.01 mA cm-2").unwrap();
        assert_eq!(s.drive, Drive::Voltage(4.2));
        assert!((s.current_limit.unwrap().per_area(AREA, CARBON) - 0.1).abs() < 1e-12);
        let s = Step::parse("Discharge at 1 mW cm-2 for 1 hour (10 second period)").unwrap();
        assert_eq!(
            s.drive,
            Drive::Power(Amount {
                value: 10.0,
                basis: Basis::PerSquareMetre
            })
        );
        assert_eq!(s.period, Some(10.0));
    }

    #[test]
    fn invalid_steps_say_what_was_expected() {
        let table: &[(&str, &str)] = &[
            (
                "",
                "expected \"Discharge\", \"Charge\", \"Hold\" or \"Rest\"",
            ),
            ("Dance at 1 A", "found \"dance\""),
            ("Discharge 0.1 mA cm-2", "expected \"at\""),
            (
                "Discharge at fast mA cm-2 until 2 V",
                "a number (a current or power)",
            ),
            ("Discharge at 0.1 parsecs until 2 V", "expected a unit"),
            (
                "Rest for 1e308 hours",
                "at most 10000 hours (got 1e308 hours)",
            ),
            (
                "Charge at 0.1 mA cm-2 for 10001 hours",
                "at most 10000 hours",
            ),
            ("Discharge at 0.1 mA cm-2 until 2 parsecs", "voltage: V, mV"),
            ("Discharge at 0.1 mA cm-2", "needs an end"),
            ("Discharge at 0.1 mA cm-2 until 2", "expected a unit"),
            (
                "Discharge at 0.1 mA cm-2 until 2 V now",
                "unexpected \"now\"",
            ),
            ("Discharge at -1 mA cm-2 until 2 V", "must be positive"),
            ("Rest for 5 fortnights", "time unit"),
            ("Charge at 1 A m-2 for 1 h or 4 V", "\"until\" after \"or\""),
            ("Discharge at 1 A cm-2 until 2 V", "not an accepted unit"),
            ("Discharge at 1 mA cm-2 until 99 V", "allowed range"),
            (
                "Discharge at 1 mAh cm-2 until 2 V",
                "capacity unit after \"at\"",
            ),
            ("Discharge at 1 mA cm-2 until 1 mA cm-2", "ends holds only"),
            ("Hold at 4.2 V until 4.0 V", "cannot have a voltage limit"),
            ("Discharge at 1 mA cm-2 for 1 h (10 second", "unclosed"),
            ("Discharge at 1 mA cm-2 for 1 h (10 seconds)", "period"),
        ];
        for (text, needle) in table {
            let e = Step::parse(text).expect_err(text);
            assert!(e.contains(needle), "{text}: {e}");
        }
    }
}
