//! HAR files (HTTP Archive 1.1/1.2/1.3) read leniently: only the fields the rules need,
//! every one optional, loosely typed values accepted, a UTF-8 BOM and the HARP
//! `onInputData(…)` wrapper unwrapped. Entries come back sorted by `startedDateTime`.

use serde_json::Value;

use crate::error::ParseError;
use crate::model::{Body, FormPart, Header, Request, Response};

type Item = (Request, Option<Response>, Option<jiff::Timestamp>);

/// Byte offset of a 1-based line/column in `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut off = 0;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line {
            return off + column.saturating_sub(1).min(l.len());
        }
        off += l.len() + 1;
    }
    text.len()
}

fn as_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn headers(v: Option<&Value>) -> Vec<Header> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|h| Header {
                    name: h.get("name").map(as_string).unwrap_or_default(),
                    value: h.get("value").map(as_string).unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Parses a HAR document into requests, responses and start times.
pub fn parse_har(text: &str) -> Result<Vec<Item>, ParseError> {
    let body = text.trim_start_matches('\u{feff}').trim();
    let lead = text.len() - text.trim_start_matches('\u{feff}').trim_start().len();
    let (json, shift) = match body.strip_prefix("onInputData(") {
        Some(rest) => (
            rest.trim_end()
                .trim_end_matches(';')
                .trim_end()
                .trim_end_matches(')'),
            lead + "onInputData(".len(),
        ),
        None => (body, lead),
    };
    let doc: Value = serde_json::from_str(json).map_err(|e| {
        let off = shift + offset_of(json, e.line(), e.column());
        ParseError::new(off, format!("invalid HAR JSON: {e}; expected a HAR document {{\"log\": {{\"entries\": [...]}}}}"))
    })?;
    let entries = doc
        .get("log")
        .ok_or_else(|| {
            ParseError::new(
                lead,
                "no `log` object; expected a HAR document {\"log\": {\"entries\": [...]}}",
            )
        })?
        .get("entries")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            ParseError::new(
                lead,
                "`log.entries` is missing or not an array; expected a list of entries",
            )
        })?;
    let mut out = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let Some(req) = e.get("request") else {
            return Err(ParseError::new(
                lead,
                format!(
                    "log.entries[{i}].request is missing; expected an object with method and url"
                ),
            ));
        };
        let url = req.get("url").map(as_string).unwrap_or_default();
        let headers_v = headers(req.get("headers"));
        let body = req.get("postData").and_then(|p| {
            let text = p.get("text").map(as_string).unwrap_or_default();
            if !text.is_empty() {
                return Some(Body::Text(text));
            }
            let params = p.get("params").and_then(Value::as_array)?;
            if params.is_empty() {
                return None;
            }
            let mime = p.get("mimeType").map(as_string).unwrap_or_default();
            if mime.to_ascii_lowercase().starts_with("multipart/") {
                Some(Body::Multipart(
                    params
                        .iter()
                        .map(|x| FormPart {
                            name: x.get("name").map(as_string).unwrap_or_default(),
                            value: x.get("value").map(as_string).unwrap_or_default(),
                            file: x.get("fileName").is_some(),
                        })
                        .collect(),
                ))
            } else {
                let joined: Vec<String> = params
                    .iter()
                    .map(|x| {
                        format!(
                            "{}={}",
                            x.get("name").map(as_string).unwrap_or_default(),
                            x.get("value").map(as_string).unwrap_or_default()
                        )
                    })
                    .collect();
                Some(Body::Text(joined.join("&")))
            }
        });
        let request = Request {
            method: req.get("method").map(as_string).unwrap_or_default(),
            url,
            headers: headers_v,
            body,
            curl: None,
        };
        let response = e.get("response").map(|r| {
            let content = r.get("content");
            let mut text = content.and_then(|c| c.get("text")).map(as_string);
            if content
                .and_then(|c| c.get("encoding"))
                .and_then(Value::as_str)
                .is_some_and(|enc| enc.eq_ignore_ascii_case("base64"))
            {
                use base64::Engine as _;
                text = text.and_then(|t| {
                    base64::engine::general_purpose::STANDARD
                        .decode(t.trim())
                        .ok()
                        .map(|b| String::from_utf8_lossy(&b).into_owned())
                });
            }
            Response {
                status: r
                    .get("status")
                    .and_then(|s| {
                        s.as_u64()
                            .or_else(|| s.as_str().and_then(|x| x.parse().ok()))
                    })
                    .and_then(|s| u16::try_from(s).ok())
                    .unwrap_or(0),
                headers: headers(r.get("headers")),
                body: text.filter(|t| !t.is_empty()),
            }
        });
        let started = e
            .get("startedDateTime")
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<jiff::Timestamp>().ok());
        out.push((request, response, started));
    }
    // Stable sort: entries without a time keep their place relative to each other.
    out.sort_by(|a, b| match (a.2, b.2) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => std::cmp::Ordering::Equal,
    });
    Ok(out)
}
