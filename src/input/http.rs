//! Raw HTTP/1.x messages as copied from Burp, Charles, mitmproxy or devtools: a request
//! (request line or HTTP/2 pseudo-headers, headers, blank line, body), optionally followed
//! by the response (status line, headers, body). Also used for `--response`.

use crate::error::ParseError;
use crate::model::{Body, Header, Request, Response};

const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE",
];

/// True when the first meaningful line is a request line (`POST /path HTTP/1.1`) or an HTTP/2
/// pseudo-header block (`:method: POST`).
pub fn looks_like_http(text: &str) -> bool {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty());
    match first {
        Some(l) => is_request_line(l) || l.starts_with(":method:") || l.starts_with(":authority:"),
        None => false,
    }
}

fn is_request_line(line: &str) -> bool {
    let mut it = line.split_whitespace();
    let (Some(m), Some(_target), Some(v)) = (it.next(), it.next(), it.next()) else {
        return false;
    };
    METHODS.contains(&m.to_ascii_uppercase().as_str())
        && v.to_ascii_uppercase().starts_with("HTTP/")
}

fn is_status_line(line: &str) -> bool {
    let mut it = line.split_whitespace();
    matches!((it.next(), it.next()), (Some(v), Some(code))
        if v.to_ascii_uppercase().starts_with("HTTP/") && code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()))
}

/// Lines with their byte offsets, `\r` stripped.
fn lines_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split('\n') {
        out.push((offset, line.strip_suffix('\r').unwrap_or(line)));
        offset += line.len() + 1;
    }
    out
}

/// Parses a header line `Name: value`.
fn header(offset: usize, line: &str) -> Result<Header, ParseError> {
    // HTTP/2 pseudo-headers start with ':' (`:authority: api.miro.com`).
    let search_from = usize::from(line.starts_with(':'));
    match line[search_from..].find(':') {
        Some(i) => Ok(Header {
            name: line[..search_from + i].trim().to_string(),
            value: line[search_from + i + 1..].trim().to_string(),
        }),
        None => Err(ParseError::new(
            offset,
            // Only the first word: the rest of the line may be a credential.
            format!(
                "expected a header line `Name: value`, found a line starting `{}` with no `:`",
                clip(line.split_whitespace().next().unwrap_or(""))
            ),
        )),
    }
}

fn clip(s: &str) -> String {
    let c: String = s.chars().take(60).collect();
    if c.len() < s.len() {
        format!("{c}…")
    } else {
        c
    }
}

/// Parses a raw request, and the response after it when present.
pub fn parse_http(text: &str) -> Result<(Request, Option<Response>), ParseError> {
    let lines = lines_with_offsets(text);
    let mut i = lines
        .iter()
        .position(|(_, l)| !l.trim().is_empty())
        .ok_or_else(|| ParseError::new(0, "empty input; expected an HTTP request line"))?;
    let (first_off, first) = lines[i];
    let mut method = String::new();
    let mut target = String::new();
    let mut headers = Vec::new();
    if is_request_line(first.trim()) {
        let mut it = first.split_whitespace();
        method = it.next().unwrap_or_default().to_string();
        target = it.next().unwrap_or_default().to_string();
        i += 1;
    } else if !first.trim_start().starts_with(':') {
        return Err(ParseError::new(
            first_off,
            "expected a request line like `POST /v1/oauth/token HTTP/1.1`",
        ));
    }
    while i < lines.len() && !lines[i].1.trim().is_empty() {
        let (off, line) = lines[i];
        if line.starts_with([' ', '\t']) {
            // obs-fold continuation (RFC 7230 §3.2.4): append to the previous value.
            if let Some(h) = headers.last_mut() {
                let h: &mut Header = h;
                h.value.push(' ');
                h.value.push_str(line.trim());
            }
        } else {
            headers.push(header(off, line.trim())?);
        }
        i += 1;
    }
    // Pseudo-headers (devtools' HTTP/2 view) give method, path and authority.
    let pseudo = |n: &str| {
        headers
            .iter()
            .find(|h: &&Header| h.name == n)
            .map(|h| h.value.clone())
    };
    if method.is_empty() {
        method = pseudo(":method").unwrap_or_else(|| "GET".to_string());
        target = pseudo(":path").unwrap_or_else(|| "/".to_string());
    }
    // Absolute-form (`GET https://host/path HTTP/1.1`, proxies) vs origin-form (`/path?…`,
    // whose query may itself hold an unencoded `https://…` redirect_uri).
    let url = if !target.starts_with('/') && target.contains("://") {
        target
    } else {
        let host = pseudo(":authority")
            .or_else(|| {
                headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case("host"))
                    .map(|h| h.value.clone())
            })
            .ok_or_else(|| {
                ParseError::new(
                    first_off,
                    "the request target is a path but there is no Host header; expected `Host: api.miro.com`",
                )
            })?;
        let scheme = pseudo(":scheme").unwrap_or_else(|| "https".to_string());
        format!("{scheme}://{host}{target}")
    };
    headers.retain(|h| !h.name.starts_with(':'));
    // Body: up to a status line that starts the response, if any.
    i += 1;
    let body_start = lines.get(i).map(|l| l.0).unwrap_or(text.len());
    let resp_at = (i..lines.len()).find(|&j| is_status_line(lines[j].1.trim()));
    let body_end = resp_at.map(|j| lines[j].0).unwrap_or(text.len());
    let body_text = text
        .get(body_start.min(body_end)..body_end)
        .unwrap_or("")
        .trim_end_matches(['\r', '\n']);
    let body = (!body_text.is_empty()).then(|| Body::Text(body_text.to_string()));
    let response = match resp_at {
        Some(j) => Some(parse_response(&text[lines[j].0..]).map_err(|e| ParseError {
            offset: e.offset + lines[j].0,
            message: e.message,
        })?),
        None => None,
    };
    Ok((
        Request {
            method,
            url,
            headers,
            body,
            curl: None,
            params_cache: Default::default(),
        },
        response,
    ))
}

/// Parses a response: a status line with headers and body, or just a JSON body (the status
/// is then taken from the body's `status` field, when present).
pub fn parse_response(text: &str) -> Result<Response, ParseError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(ParseError::new(
            0,
            "empty response; expected `HTTP/1.1 401 …` or a JSON body",
        ));
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let status = serde_json::from_str::<serde_json::Value>(trimmed)
            .ok()
            .and_then(|v| v.get("status").and_then(|s| s.as_u64()))
            .and_then(|s| u16::try_from(s).ok())
            .unwrap_or(0);
        return Ok(Response {
            status,
            headers: Vec::new(),
            body: Some(trimmed.to_string()),
        });
    }
    let lines = lines_with_offsets(text);
    let mut i = lines
        .iter()
        .position(|(_, l)| !l.trim().is_empty())
        .unwrap_or(0);
    let (off, status_line) = lines[i];
    if !is_status_line(status_line.trim()) {
        return Err(ParseError::new(
            off,
            "expected a status line like `HTTP/1.1 401 Unauthorized` or a JSON body",
        ));
    }
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    i += 1;
    let mut headers = Vec::new();
    while i < lines.len() && !lines[i].1.trim().is_empty() {
        headers.push(header(lines[i].0, lines[i].1.trim())?);
        i += 1;
    }
    let body_start = lines.get(i + 1).map(|l| l.0).unwrap_or(text.len());
    let body = text
        .get(body_start..)
        .unwrap_or("")
        .trim_end_matches(['\r', '\n']);
    Ok(Response {
        status,
        headers,
        body: (!body.is_empty()).then(|| body.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_and_response() {
        let t = "POST /v1/oauth/token?grant_type=authorization_code HTTP/1.1\r\nHost: api.miro.com\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\ncode=abc&client_id=1\r\n\r\nHTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n{\"status\":401}\r\n";
        let (req, resp) = parse_http(t).unwrap();
        assert_eq!(req.method, "POST");
        assert_eq!(
            req.url,
            "https://api.miro.com/v1/oauth/token?grant_type=authorization_code"
        );
        assert_eq!(req.body_text(), Some("code=abc&client_id=1"));
        let resp = resp.unwrap();
        assert_eq!(resp.status, 401);
        assert_eq!(resp.body.as_deref(), Some("{\"status\":401}"));
    }

    #[test]
    fn pseudo_headers() {
        let t = ":method: GET\n:authority: api.miro.com\n:scheme: https\n:path: /v2/boards\nauthorization: Bearer x\n";
        let (req, _) = parse_http(t).unwrap();
        assert_eq!(req.url, "https://api.miro.com/v2/boards");
        assert_eq!(req.headers.len(), 1);
    }

    #[test]
    fn bad_header_has_offset() {
        let e = parse_http("GET / HTTP/1.1\nHost: x\nnocolon\n").unwrap_err();
        assert_eq!(e.offset, 23);
        assert!(e.message.contains("Name: value"));
    }

    #[test]
    fn json_only_response() {
        let r = parse_response("{\"status\":403,\"code\":\"insufficientPermissions\"}").unwrap();
        assert_eq!(r.status, 403);
    }
}
