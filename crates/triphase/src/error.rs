//! Input errors: they name where the bad value came from (file, key, step) and what is
//! allowed. (Solver failures, which carry the partial solution, are in
//! [`crate::solver::SolverFailure`].)

use crate::params::Range;

/// Where an input value came from, for error messages.
pub type Origin = String;

/// Bad input: a cell file, a parameter override, a mesh spec or an experiment step.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputError {
    /// A file could not be read.
    #[error("{origin}: cannot read file: {message}")]
    Io {
        /// The file.
        origin: Origin,
        /// The operating-system message.
        message: String,
    },
    /// TOML syntax or schema error.
    #[error("{origin}: {message}")]
    Toml {
        /// The file.
        origin: Origin,
        /// The parser's message (with line and column).
        message: String,
    },
    /// A parameter name not in the registry (or with the wrong unit).
    #[error("{origin}: unknown parameter \"{name}\": {hint}")]
    UnknownParameter {
        /// Where the name was given.
        origin: Origin,
        /// The name as given.
        name: String,
        /// Wrong unit or similar names.
        hint: String,
    },
    /// A parameter value outside its documented range.
    #[error("{origin}: \"{name}\" = {} is outside the allowed range {range}", crate::params::number_text(*value))]
    OutOfRange {
        /// Where the value was given.
        origin: Origin,
        /// Parameter name.
        name: String,
        /// The value given.
        value: f64,
        /// Allowed range.
        range: Range,
    },
    /// A value that is not a number, or a constraint between parameters that fails.
    #[error("{origin}: {message}")]
    Invalid {
        /// Where the value was given.
        origin: Origin,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// A preset name that does not exist.
    #[error("unknown cell \"{name}\": not a file and not a preset (presets: {available})")]
    UnknownPreset {
        /// The name given.
        name: String,
        /// Comma-separated preset names.
        available: String,
    },
    /// An experiment step that does not parse.
    #[error("experiment step {index} \"{step}\": {message}")]
    Step {
        /// 1-based position in the experiment.
        index: usize,
        /// The step text.
        step: String,
        /// What was expected where.
        message: String,
    },
}

impl InputError {
    /// Reads a text file: its path as the origin of later messages, and its text (the error
    /// names the path).
    pub fn read_file(path: &std::path::Path) -> Result<(String, String), InputError> {
        let origin = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => Ok((origin, text)),
            Err(e) => Err(InputError::Io {
                origin,
                message: e.to_string(),
            }),
        }
    }

    /// A TOML error from `origin`, indented for the terminal, with the lines the parser quotes
    /// shortened to 120 characters (a one-megabyte line is not echoed whole).
    pub fn toml(origin: &str, e: &dyn std::fmt::Display) -> Self {
        let message = e
            .to_string()
            .trim_end()
            .lines()
            .map(|line| {
                if line.chars().count() > 120 {
                    let head: String = line.chars().take(120).collect();
                    format!("{head}... ({} characters)", line.chars().count())
                } else {
                    line.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n  ");
        InputError::Toml {
            origin: origin.to_string(),
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Cell;

    /// A TOML error in a file with a one-megabyte line names the file and shortens the line.
    #[test]
    fn long_lines_are_not_echoed_whole() {
        let text = format!(
            "[cell]\npreset = \"li-o2\"\nname = \"{}\n",
            "x".repeat(1_000_000)
        );
        let e = Cell::from_toml_str(&text, "big.toml")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("big.toml:"), "{}", &e[..100]);
        assert!(e.len() < 2000, "{} characters", e.len());
        assert!(e.contains("characters)"), "{e}");
    }
}
