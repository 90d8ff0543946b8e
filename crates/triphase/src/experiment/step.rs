//! One experiment step and its parser.
//!
//! Grammar (case-insensitive, words separated by spaces):
//!
//! ```text
//! step     := ("Discharge" | "Charge") "at" NUMBER current-unit limits
//!           | "Rest" "for" NUMBER time-unit
//! limits   := ("for" NUMBER time-unit)? (("or")? "until" NUMBER ("V" | "mV"))?
//! current-unit := "A m-2" | "A.m-2" | "mA cm-2" | "mA.cm-2" | "uA cm-2" | "uA.cm-2" | "A" | "mA" | "uA"
//! time-unit := "s" | "second(s)" | "min" | "minute(s)" | "h" | "hour(s)"
//! ```
//!
//! A current step must end: it needs "for", "until" or both.

use std::fmt;

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
}

impl fmt::Display for StepKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StepKind::Discharge => "discharge",
            StepKind::Charge => "charge",
            StepKind::Rest => "rest",
        })
    }
}

/// Unit of a current in a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurrentUnit {
    /// A m-2.
    AmperePerSquareMetre,
    /// mA cm-2 (= 10 A m-2).
    MilliamperePerSquareCentimetre,
    /// uA cm-2 (= 0.01 A m-2).
    MicroamperePerSquareCentimetre,
    /// A (divided by the electrode area).
    Ampere,
    /// mA.
    Milliampere,
    /// uA.
    Microampere,
}

/// A current magnitude with its unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Current {
    /// Magnitude as written (positive).
    pub value: f64,
    /// Its unit.
    pub unit: CurrentUnit,
}

impl Current {
    /// Current density [A.m-2] for an electrode of `area` [m2].
    pub fn density(&self, area: f64) -> f64 {
        use CurrentUnit::*;
        match self.unit {
            AmperePerSquareMetre => self.value,
            MilliamperePerSquareCentimetre => self.value * 10.0,
            MicroamperePerSquareCentimetre => self.value * 1e-2,
            Ampere => self.value / area,
            Milliampere => self.value * 1e-3 / area,
            Microampere => self.value * 1e-6 / area,
        }
    }
}

/// A parsed experiment step.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The text as written.
    pub text: String,
    /// Discharge, charge or rest.
    pub kind: StepKind,
    /// Current magnitude (None for rest).
    pub current: Option<Current>,
    /// Maximum duration [s].
    pub duration: Option<f64>,
    /// Voltage cut-off [V]: lower for discharge, upper for charge.
    pub voltage_limit: Option<f64>,
}

impl Step {
    /// Signed applied current density [A.m-2] (discharge positive).
    pub fn current_density(&self, area: f64) -> f64 {
        let i = self.current.map_or(0.0, |c| c.density(area));
        match self.kind {
            StepKind::Discharge => i,
            StepKind::Charge => -i,
            StepKind::Rest => 0.0,
        }
    }

    /// (lower, upper) voltage cut-offs.
    pub fn cutoffs(&self) -> (Option<f64>, Option<f64>) {
        match self.kind {
            StepKind::Discharge => (self.voltage_limit, None),
            StepKind::Charge => (None, self.voltage_limit),
            StepKind::Rest => (None, None),
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
            other => return Err(p.expected("\"Discharge\", \"Charge\" or \"Rest\"", other)),
        };
        let mut step = Step {
            text: text.trim().to_string(),
            kind,
            current: None,
            duration: None,
            voltage_limit: None,
        };
        if kind == StepKind::Rest {
            p.keyword("for")?;
            step.duration = Some(p.duration()?);
        } else {
            p.keyword("at")?;
            let value = p.number("a current")?;
            if value <= 0.0 {
                return Err(format!("the current must be positive (got {value}); the direction comes from \"{kind}\""));
            }
            step.current = Some(Current {
                value,
                unit: p.current_unit()?,
            });
            if p.peek_is("for") {
                p.pos += 1;
                step.duration = Some(p.duration()?);
            }
            if p.peek_is("or") {
                p.pos += 1;
                if !p.peek_is("until") {
                    let found = p.next_lower();
                    return Err(p.expected("\"until\" after \"or\"", found.as_deref()));
                }
            }
            if p.peek_is("until") {
                p.pos += 1;
                step.voltage_limit = Some(p.voltage()?);
            }
            if step.duration.is_none() && step.voltage_limit.is_none() {
                return Err(format!(
                    "a {kind} step needs an end: add \"for <time>\" or \"until <voltage> V\""
                ));
            }
        }
        if let Some(extra) = p.words.get(p.pos) {
            return Err(format!(
                "unexpected \"{extra}\" at word {} (the step should end here)",
                p.pos + 1
            ));
        }
        Ok(step)
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

    fn current_unit(&mut self) -> Result<CurrentUnit, String> {
        use CurrentUnit::*;
        let first = self.next_lower();
        let second = self.words.get(self.pos).map(|w| w.to_lowercase());
        let areal = match (first.as_deref(), second.as_deref()) {
            (Some("a"), Some("m-2")) => Some(AmperePerSquareMetre),
            (Some("ma"), Some("cm-2")) => Some(MilliamperePerSquareCentimetre),
            (Some("ua" | "µa"), Some("cm-2")) => Some(MicroamperePerSquareCentimetre),
            (Some(f), Some(s @ ("m-2" | "cm-2"))) => {
                return Err(format!(
                    "\"{f} {s}\" is not an accepted current unit; use A m-2, mA cm-2 or uA cm-2"
                ))
            }
            _ => None,
        };
        if let Some(unit) = areal {
            self.pos += 1;
            return Ok(unit);
        }
        match first.as_deref() {
            Some("a") => Ok(Ampere),
            Some("ma") => Ok(Milliampere),
            Some("ua" | "µa") => Ok(Microampere),
            Some("a.m-2") => Ok(AmperePerSquareMetre),
            Some("ma.cm-2") => Ok(MilliamperePerSquareCentimetre),
            Some("ua.cm-2" | "µa.cm-2") => Ok(MicroamperePerSquareCentimetre),
            other => Err(self.expected(
                "a current unit (A m-2, mA cm-2, uA cm-2, A, mA or uA)",
                other,
            )),
        }
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
            other => return Err(self.expected("a time unit (seconds, minutes or hours)", other)),
        };
        Ok(v * scale)
    }

    fn voltage(&mut self) -> Result<f64, String> {
        let v = self.number("a voltage")?;
        let w = self.next_lower();
        let volts = match w.as_deref() {
            Some("v") => v,
            Some("mv") => v * 1e-3,
            other => return Err(self.expected("\"V\" or \"mV\"", other)),
        };
        if !(0.0..=10.0).contains(&volts) {
            return Err(format!(
                "voltage limit {volts} V is outside the allowed range [0, 10] V"
            ));
        }
        Ok(volts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_steps() {
        // (text, kind, density at 1 cm2 [A m-2], duration [s], limit [V])
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
            ("Rest for 1 hour", StepKind::Rest, 0.0, Some(3600.0), None),
            ("Rest for 30 s", StepKind::Rest, 0.0, Some(30.0), None),
        ];
        for (text, kind, i, dur, lim) in table {
            let s = Step::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(s.kind, *kind, "{text}");
            assert!((s.current_density(1e-4) - i).abs() < 1e-12, "{text}");
            assert_eq!(s.duration, *dur, "{text}");
            assert_eq!(s.voltage_limit, *lim, "{text}");
        }
    }

    #[test]
    fn invalid_steps_say_what_was_expected() {
        let table: &[(&str, &str)] = &[
            ("", "expected \"Discharge\", \"Charge\" or \"Rest\""),
            ("Dance at 1 A", "found \"dance\""),
            ("Discharge 0.1 mA cm-2", "expected \"at\""),
            (
                "Discharge at fast mA cm-2 until 2 V",
                "a number (a current)",
            ),
            ("Discharge at 0.1 parsecs until 2 V", "current unit"),
            ("Discharge at 0.1 mA cm-2", "needs an end"),
            ("Discharge at 0.1 mA cm-2 until 2", "\"V\" or \"mV\""),
            (
                "Discharge at 0.1 mA cm-2 until 2 V now",
                "unexpected \"now\"",
            ),
            ("Discharge at -1 mA cm-2 until 2 V", "must be positive"),
            ("Rest for 5 fortnights", "time unit"),
            ("Charge at 1 A m-2 for 1 h or 4 V", "\"until\" after \"or\""),
            (
                "Discharge at 1 A cm-2 until 2 V",
                "not an accepted current unit",
            ),
            ("Discharge at 1 mA cm-2 until 99 V", "allowed range"),
        ];
        for (text, needle) in table {
            let e = Step::parse(text).expect_err(text);
            assert!(e.contains(needle), "{text}: {e}");
        }
    }
}
