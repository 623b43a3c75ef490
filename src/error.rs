//! Errors that stop the tool from doing its job (exit code 2). A broken request the tool can
//! describe is a finding, not an error; these are for input it cannot read or parse at all.

use std::fmt;

/// A 1-based position in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

impl Position {
    /// The position of byte offset `offset` in `text` (clamped to the text).
    pub fn at_offset(text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let column = text[line_start..offset].chars().count() + 1;
        Position { line, column }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Input that could not be read or parsed.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The file could not be read.
    #[error("{source_name}: cannot read: {reason}")]
    Unreadable {
        /// File path or `-`.
        source_name: String,
        /// The OS error text.
        reason: String,
    },
    /// The text could not be parsed as the kind it was detected as.
    #[error("{source_name}:{position}: {message}")]
    Parse {
        /// File path, `-` or `<arg>`.
        source_name: String,
        /// Where the problem is.
        position: Position,
        /// What was wrong and what was expected.
        message: String,
    },
    /// A curl command, URL or raw HTTP request larger than any one request can be.
    #[error("{source_name}: {} the {} MiB read whole for a curl command, URL or raw HTTP request; expected one request (a large capture belongs in a HAR file, which is streamed)", size_words(*size, *limit), limit >> 20)]
    TooLarge {
        /// File path, `-` or `<arg>`.
        source_name: String,
        /// Its size in bytes (at least, for a stream).
        size: u64,
        /// [`crate::MAX_TEXT_INPUT`].
        limit: u64,
    },
    /// The input's kind could not be recognised.
    #[error("{source_name}: {message}")]
    Unrecognised {
        /// File path, `-` or `<arg>`.
        source_name: String,
        /// What it looked like and what was expected.
        message: String,
    },
}

/// "N bytes is more than" for a file; only "more than" for a stream read up to one byte past
/// the limit (its size is not known).
fn size_words(size: u64, limit: u64) -> String {
    if size > limit.saturating_add(1) {
        format!("{size} bytes is more than")
    } else {
        "more than".to_string()
    }
}

impl InputError {
    /// [`InputError::TooLarge`] for `size` bytes against [`crate::MAX_TEXT_INPUT`].
    pub fn too_large(source_name: &str, size: u64) -> InputError {
        InputError::TooLarge {
            source_name: source_name.to_string(),
            size,
            limit: crate::MAX_TEXT_INPUT,
        }
    }
}

/// A parse failure inside one parser, before the caller attaches the input's name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at byte {offset})")]
pub struct ParseError {
    /// Byte offset in the parsed text where the problem is.
    pub offset: usize,
    /// What was wrong and what was expected, lower-case, no final period.
    pub message: String,
}

impl ParseError {
    /// A parse error at `offset`.
    pub fn new(offset: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            offset,
            message: message.into(),
        }
    }

    /// Attaches the input's name and turns the offset into a line and column.
    pub fn in_source(self, source_name: &str, text: &str) -> InputError {
        InputError::Parse {
            source_name: source_name.to_string(),
            position: Position::at_offset(text, self.offset),
            message: self.message,
        }
    }
}

/// A config file that could not be read or is invalid.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: cannot read config: {reason}")]
    Unreadable {
        /// The config path.
        path: String,
        /// The OS error text.
        reason: String,
    },
    /// A syntax error, an unknown key or a bad value.
    #[error("{path}:{position}: {message}")]
    Invalid {
        /// The config path.
        path: String,
        /// Where the problem is.
        position: Position,
        /// What was wrong and what was expected.
        message: String,
    },
    /// A problem that has no single position (e.g. a missing required key).
    #[error("{path}: {message}")]
    Semantic {
        /// The config path.
        path: String,
        /// What was wrong and what was expected.
        message: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_counts_lines_and_chars() {
        let t = "ab\ncé d";
        assert_eq!(Position::at_offset(t, 0), Position { line: 1, column: 1 });
        assert_eq!(Position::at_offset(t, 3), Position { line: 2, column: 1 });
        // 'é' is two bytes: offset 6 is the space after it, the 3rd char of the line
        assert_eq!(Position::at_offset(t, 6), Position { line: 2, column: 3 });
        assert_eq!(Position::at_offset(t, 99), Position { line: 2, column: 5 });
    }
}
