//! Content detection: which parser an input goes to, decided from the text itself (never
//! from the file name), and the entry point that turns raw bytes into exchanges.

use crate::error::{InputError, ParseError};
use crate::model::{Exchange, InputKind, Request, Response};

/// Parsed content of one input.
#[derive(Debug)]
pub struct Parsed {
    /// The detected kind.
    pub kind: InputKind,
    /// Requests (with responses when captured) and start times when known.
    pub items: Vec<(Request, Option<Response>, Option<jiff::Timestamp>)>,
}

/// Bytes → text, refusing binary input with a position.
pub fn to_text(source: &str, bytes: &[u8]) -> Result<String, InputError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(t) => {
            if let Some(i) = t.find('\0') {
                return Err(ParseError::new(
                    i,
                    "binary data (a NUL byte); expected text: a curl command, URL, raw HTTP request or HAR file",
                )
                .in_source(source, t));
            }
            Ok(t.to_string())
        }
        Err(e) => {
            let good = e.valid_up_to();
            let prefix = String::from_utf8_lossy(&bytes[..good]);
            Err(ParseError::new(
                good,
                format!("invalid UTF-8 at byte {good}; expected UTF-8 text"),
            )
            .in_source(source, &prefix))
        }
    }
}

/// The kind of a text, or None when unrecognised.
pub fn detect_kind(text: &str) -> Option<InputKind> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('{') || t.starts_with("onInputData(") {
        Some(InputKind::Har)
    } else if super::curl::looks_like_curl(t) {
        Some(InputKind::Curl)
    } else if super::http::looks_like_http(t) {
        Some(InputKind::Http)
    } else if super::url::looks_like_urls(t) {
        Some(InputKind::Url)
    } else {
        None
    }
}

/// Parses one input's text, detecting its kind.
pub fn parse_input(source: &str, text: &str) -> Result<Parsed, InputError> {
    if text.trim().is_empty() {
        return Err(InputError::Unrecognised {
            source_name: source.to_string(),
            message:
                "empty input; expected a curl command, a URL, a raw HTTP request or a HAR file"
                    .to_string(),
        });
    }
    let Some(kind) = detect_kind(text) else {
        let first: String = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("")
            .chars()
            .take(40)
            .collect();
        return Err(InputError::Unrecognised {
            source_name: source.to_string(),
            message: format!(
                "unrecognised input starting `{first}`; expected a curl command, a URL (http:// or https://), a raw HTTP request (`POST /path HTTP/1.1`) or a HAR file (JSON)"
            ),
        });
    };
    let items = match kind {
        InputKind::Curl => super::curl::parse_curl(text)
            .map_err(|e| e.in_source(source, text))?
            .into_iter()
            .map(|r| (r, None, None))
            .collect(),
        InputKind::Url => super::url::parse_urls(text)
            .map_err(|e| e.in_source(source, text))?
            .into_iter()
            .map(|r| (r, None, None))
            .collect(),
        InputKind::Http => {
            let (req, resp) =
                super::http::parse_http(text).map_err(|e| e.in_source(source, text))?;
            vec![(req, resp, None)]
        }
        InputKind::Har => super::har::parse_har(text).map_err(|e| e.in_source(source, text))?,
    };
    Ok(Parsed { kind, items })
}

/// Turns a parsed input into exchanges for input `index`.
pub fn exchanges(index: usize, parsed: Parsed) -> Vec<Exchange> {
    let is_har = parsed.kind == InputKind::Har;
    parsed
        .items
        .into_iter()
        .enumerate()
        .map(|(i, (request, response, started))| Exchange {
            input: index,
            entry: is_har.then_some(i),
            started,
            request,
            response,
        })
        .collect()
}
