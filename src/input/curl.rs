//! placeholder (being written by the curl-parser work; these two signatures are the contract)

use crate::error::ParseError;
use crate::model::Request;

/// Parses curl commands.
pub fn parse_curl(_text: &str) -> Result<Vec<Request>, ParseError> {
    Err(ParseError::new(0, "curl parsing is not available yet"))
}

/// True when the text looks like a curl command.
pub fn looks_like_curl(text: &str) -> bool {
    text.trim_start().starts_with("curl ")
}
