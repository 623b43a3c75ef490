//! Bare URLs: an authorize link, a callback URL, a REST URL. One URL per line; blank lines
//! and `#` comment lines are skipped. Each URL becomes a GET request as a browser sends it.

use crate::error::ParseError;
use crate::model::Request;

/// True when every meaningful line starts with `http://` or `https://` (any case).
pub fn looks_like_urls(text: &str) -> bool {
    let mut any = false;
    for line in meaningful_lines(text) {
        if !starts_with_scheme(line.1) {
            return false;
        }
        any = true;
    }
    any
}

fn starts_with_scheme(line: &str) -> bool {
    let l = line.as_bytes();
    let lower = |n: usize| {
        l.get(..n)
            .map(|p| p.to_ascii_lowercase())
            .unwrap_or_default()
    };
    lower(7) == b"http://" || lower(8) == b"https://"
}

/// (byte offset, trimmed line) of each non-blank, non-comment line.
fn meaningful_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split('\n').filter_map(move |line| {
        let start = offset;
        offset += line.len() + 1;
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            None
        } else {
            Some((start + (line.len() - line.trim_start().len()), t))
        }
    })
}

/// Parses one URL per line into GET requests.
pub fn parse_urls(text: &str) -> Result<Vec<Request>, ParseError> {
    let mut out = Vec::new();
    for (offset, line) in meaningful_lines(text) {
        if !starts_with_scheme(line) {
            return Err(ParseError::new(
                offset,
                "expected a URL starting with http:// or https://",
            ));
        }
        if let Some(i) = line.find(char::is_whitespace) {
            return Err(ParseError::new(
                offset + i,
                "unexpected whitespace inside a URL; expected one URL per line",
            ));
        }
        out.push(Request {
            method: "GET".to_string(),
            url: line.to_string(),
            headers: Vec::new(),
            body: None,
            curl: None,
            params_cache: Default::default(),
        });
    }
    if out.is_empty() {
        return Err(ParseError::new(
            0,
            "no URL found; expected one URL per line",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines() {
        let r = parse_urls(
            "# authorize\nhttps://miro.com/oauth/authorize?a=1\n\nHTTPS://x/cb?code=2\n",
        )
        .unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].url, "HTTPS://x/cb?code=2");
    }

    #[test]
    fn rejects_space() {
        let e = parse_urls("https://x/a b").unwrap_err();
        assert_eq!(e.offset, 11);
    }
}
