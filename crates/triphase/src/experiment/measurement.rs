//! An impedance measurement inside an experiment: `EIS from 100 kHz to 10 mHz (10 per decade)`.
//!
//! Grammar (case-insensitive): `"EIS" ("from" NUMBER freq-unit "to" NUMBER freq-unit)?
//! ("(" NUMBER "per decade" ")")?`, freq-unit := Hz | kHz | MHz | mHz; default 100 kHz to
//! 10 mHz, 10 per decade. It takes no time: the spectrum of the state the steps before it
//! left (the start of the cycle when it comes first), in every cycle.

/// An impedance measurement at a point of each cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// The text as written.
    pub text: String,
    /// Steps of the cycle before it (0: at the start of the cycle).
    pub position: usize,
    /// Highest frequency \[Hz\].
    pub from_hz: f64,
    /// Lowest frequency \[Hz\].
    pub to_hz: f64,
    /// Frequencies per decade.
    pub per_decade: usize,
}

/// Whether `text` is a measurement (starts with the word "EIS").
pub fn is_measurement(text: &str) -> bool {
    text.split_whitespace()
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("eis"))
}

/// A frequency [Hz]: NUMBER with Hz, kHz, MHz or mHz (mHz and MHz by their case).
fn frequency(number: &str, unit: &str) -> Result<f64, String> {
    let x: f64 = number
        .parse()
        .ok()
        .filter(|x: &f64| x.is_finite() && *x > 0.0)
        .ok_or_else(|| format!("\"{number}\" is not a positive number"))?;
    let scale = match unit {
        "mHz" => 1e-3,
        "MHz" => 1e6,
        u if u.eq_ignore_ascii_case("hz") => 1.0,
        u if u.eq_ignore_ascii_case("khz") => 1e3,
        _ => {
            return Err(format!(
                "unknown frequency unit \"{unit}\" (Hz, kHz, MHz, mHz)"
            ))
        }
    };
    Ok(x * scale)
}

impl Measurement {
    /// Parses a measurement placed after `position` steps of the cycle.
    pub fn parse(text: &str, position: usize) -> Result<Measurement, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut m = Measurement {
            text: text.to_string(),
            position,
            from_hz: 1e5,
            to_hz: 1e-2,
            per_decade: 10,
        };
        let mut rest = &words[1..];
        if rest.first().is_some_and(|w| w.eq_ignore_ascii_case("from")) {
            match rest {
                [_, a, ua, to, b, ub, ..] if to.eq_ignore_ascii_case("to") => {
                    m.from_hz = frequency(a, ua)?;
                    m.to_hz = frequency(b, ub)?;
                    rest = &rest[6..];
                }
                _ => return Err("expected \"from F1 to F2\" with units (Hz, kHz, MHz, mHz)".into()),
            }
        }
        match rest {
            [] => {}
            [n, per, decade]
                if n.starts_with('(')
                    && per.eq_ignore_ascii_case("per")
                    && decade.eq_ignore_ascii_case("decade)") =>
            {
                m.per_decade = n[1..]
                    .parse::<usize>()
                    .ok()
                    .filter(|k| (1..=1000).contains(k))
                    .ok_or_else(|| format!("\"{}\": the points per decade must be a whole number in [1, 1000]", &n[1..]))?;
            }
            _ => {
                return Err("expected \"EIS\", optionally \"from F1 to F2\" (Hz, kHz, MHz, mHz) and \"(N per decade)\"".into())
            }
        }
        for f in [m.from_hz, m.to_hz] {
            if f > 1e9 {
                return Err(format!("{f} Hz is outside the allowed range (0, 1e9] Hz"));
            }
        }
        Ok(m)
    }

    /// Its frequencies \[Hz\], high to low.
    pub fn frequencies(&self) -> Vec<f64> {
        crate::eis::frequencies(self.from_hz, self.to_hz, self.per_decade)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measurements_parse_with_their_units_and_defaults() {
        let m = Measurement::parse("EIS from 100 kHz to 10 mHz (10 per decade)", 2).unwrap();
        assert_eq!(
            (m.from_hz, m.to_hz, m.per_decade, m.position),
            (1e5, 1e-2, 10, 2)
        );
        let m = Measurement::parse("eis", 0).unwrap();
        assert_eq!((m.from_hz, m.to_hz, m.per_decade), (1e5, 1e-2, 10));
        let m = Measurement::parse("EIS from 1 MHz to 1 Hz (5 per decade)", 1).unwrap();
        assert_eq!((m.from_hz, m.to_hz, m.per_decade), (1e6, 1.0, 5));
        assert!(Measurement::parse("EIS from 1 GHz to 1 Hz", 0)
            .unwrap_err()
            .contains("unit"));
        assert!(Measurement::parse("EIS from 1 kHz", 0).is_err());
        assert!(Measurement::parse("EIS (0 per decade)", 0)
            .unwrap_err()
            .contains("[1, 1000]"));
        assert!(is_measurement("eis from 1 Hz to 0.1 Hz") && !is_measurement("Rest for 1 hour"));
    }
}
