//! Content detection: which parser an input goes to, decided from the text itself (never
//! from the file name), and the entry points that turn an input into exchanges. HAR files
//! are streamed (see [`super::har`]); the other kinds are small and read whole.

use std::io::Read;

use crate::error::{InputError, ParseError};
use crate::model::{Exchange, HarInfo, InputKind, Request, Response};

/// One request of an input, with its response and start time when captured.
#[derive(Debug)]
pub struct Item {
    /// The request.
    pub request: Request,
    /// The response, when captured.
    pub response: Option<Response>,
    /// When it started, when known.
    pub started: Option<jiff::Timestamp>,
    /// Its index in `log.entries`, for a HAR entry.
    pub entry: Option<usize>,
}

/// Parsed content of one input.
#[derive(Debug)]
pub struct Parsed {
    /// The detected kind.
    pub kind: InputKind,
    /// Requests in order (HAR: by start time).
    pub items: Vec<Item>,
    /// For a HAR input: what the reader saw overall.
    pub har: Option<HarInfo>,
}

/// True for UTF-16 text with its byte-order mark (what Windows PowerShell's `>` and
/// `Out-File` write by default).
pub fn is_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff])
}

/// UTF-16 with a byte-order mark → text; on error, the text decoded so far and the offset
/// of the bad unit in `bytes`.
fn from_utf16(bytes: &[u8]) -> Result<String, (String, usize)> {
    let little = bytes.starts_with(&[0xff, 0xfe]);
    let body = &bytes[2..];
    // An odd last byte is left out of the units and reported after the chars before it.
    let units = body.chunks_exact(2).map(|c| {
        if little {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let mut out = String::with_capacity(body.len() / 2);
    let mut done = 0;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => {
                done += c.len_utf16();
                out.push(c);
            }
            Err(_) => return Err((out, 2 + 2 * done)),
        }
    }
    if body.len() % 2 == 1 {
        return Err((out, bytes.len() - 1));
    }
    Ok(out)
}

/// Bytes → text, refusing binary input with a position. UTF-8 (with or without a BOM) is
/// taken as it is and UTF-16 with a BOM is decoded; compressed data and archives are named.
pub fn to_text(source: &str, bytes: &[u8]) -> Result<String, InputError> {
    if is_utf16(bytes) {
        return match from_utf16(bytes) {
            Ok(t) => refuse_nul(source, t),
            Err((before, at)) => Err(ParseError::new(
                before.len(),
                format!(
                    "invalid UTF-16 at byte {at} (an unpaired surrogate or an odd byte count); \
                     expected UTF-8 or UTF-16 text (save the input as UTF-8)"
                ),
            )
            .in_source(source, &before)),
        };
    }
    let packed = if bytes.starts_with(&[0x1f, 0x8b]) {
        Some("gzip-compressed data; expected the uncompressed text: decompress it first (`gunzip -k FILE`, or `gzip -dc FILE | miro-oauth doctor -`)")
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some("a zip archive (a zipped HAR, or a Fiddler .saz session); expected the text inside: unzip it and give the .har (Fiddler: File > Export Sessions > HTTPArchive)")
    } else {
        None
    };
    if let Some(message) = packed {
        return Err(ParseError::new(0, message).in_source(source, ""));
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(t) => refuse_nul(source, t.to_string()),
        // Placed (line:column) at the bad byte, which the message names by value: a byte
        // offset as well would be a second, different number for the same place.
        Err(e) => {
            let good = e.valid_up_to();
            let prefix = String::from_utf8_lossy(&bytes[..good]);
            let bad = bytes.get(good).copied().unwrap_or_default();
            Err(ParseError::new(
                good,
                format!(
                    "invalid UTF-8 (byte 0x{bad:02x}); expected UTF-8 text (save the input as \
                     UTF-8)"
                ),
            )
            .in_source(source, &prefix))
        }
    }
}

/// Text with a NUL byte is binary data.
fn refuse_nul(source: &str, t: String) -> Result<String, InputError> {
    if let Some(i) = t.find('\0') {
        return Err(ParseError::new(
            i,
            "binary data (a NUL byte); expected text: a curl command, URL, raw HTTP request or HAR file",
        )
        .in_source(source, &t));
    }
    Ok(t)
}

/// True when the bytes start (after a BOM and white space) like a HAR document: a JSON
/// object or the HARP `onInputData(` wrapper.
pub fn looks_like_har(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace());
    match start {
        Some(i) => head[i] == b'{' || head[i..].starts_with(b"onInputData("),
        None => false,
    }
}

/// The kind of a text, or None when unrecognised.
pub fn detect_kind(text: &str) -> Option<InputKind> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if looks_like_har(t.as_bytes()) {
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

/// Streams a HAR document from a reader, keeping the OAuth-relevant entries
/// ([`super::har::oauth_relevant`]) in time order. Errors carry the byte offset; the caller
/// places it (see [`ParseError::in_source`]).
pub fn read_har_input<R: Read>(
    reader: R,
    progress: &mut dyn FnMut(u64),
) -> Result<Parsed, ParseError> {
    let (mut entries, summary) =
        super::har::read_har(reader, &super::har::oauth_relevant, progress)?;
    super::har::sort_by_started(&mut entries);
    let har = HarInfo {
        entries: summary.entries,
        kept: summary.kept,
        // Only meaningful when there are Miro API calls whose tokens were stripped: a HAR of
        // just a callback and a token exchange has no Authorization header to begin with.
        sanitized: summary.looks_sanitized() && summary.miro_api_without_auth > 0,
        summary,
    };
    Ok(Parsed {
        kind: InputKind::Har,
        items: entries
            .into_iter()
            .map(|e| Item {
                request: e.request,
                response: e.response,
                started: e.started,
                entry: Some(e.index),
            })
            .collect(),
        har: Some(har),
    })
}

fn plain(requests: Vec<Request>) -> Vec<Item> {
    requests
        .into_iter()
        .map(|request| Item {
            request,
            response: None,
            started: None,
            entry: None,
        })
        .collect()
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
        InputKind::Curl => {
            plain(super::curl::parse_curl(text).map_err(|e| e.in_source(source, text))?)
        }
        InputKind::Url => {
            plain(super::url::parse_urls(text).map_err(|e| e.in_source(source, text))?)
        }
        InputKind::Http => {
            let (request, response) =
                super::http::parse_http(text).map_err(|e| e.in_source(source, text))?;
            vec![Item {
                request,
                response,
                started: None,
                entry: None,
            }]
        }
        InputKind::Har => {
            return read_har_input(text.as_bytes(), &mut |_| {})
                .map_err(|e| e.in_source(source, text))
        }
    };
    Ok(Parsed {
        kind,
        items,
        har: None,
    })
}

/// Turns a parsed input into exchanges for input `index`.
pub fn exchanges(index: usize, items: Vec<Item>) -> Vec<Exchange> {
    items
        .into_iter()
        .map(|item| Exchange {
            input: index,
            entry: item.entry,
            started: item.started,
            request: item.request,
            response: item.response,
        })
        .collect()
}
