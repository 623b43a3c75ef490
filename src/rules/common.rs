//! Helpers shared by several rules: comparing a redirect URI with the registered ones and
//! naming the kind of difference (used by `redirect-uri-mismatch`,
//! `redirect-uri-exchange-mismatch` and the config/env rules).

use crate::model::{decode_component, RawUrl};

/// One way two URIs differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum UriDifference {
    /// Leading/trailing whitespace or a line break in the value.
    Whitespace,
    /// Different scheme (`http` vs `https`).
    Scheme,
    /// `www.` prefix on one side only.
    Www,
    /// Same host in another letter case.
    HostCase,
    /// A different host.
    Host,
    /// Different (or explicit default) port.
    Port,
    /// Trailing `/` on one side only.
    TrailingSlash,
    /// Same path in another letter case.
    PathCase,
    /// A different path.
    Path,
    /// A different query string.
    Query,
    /// A fragment on one side.
    Fragment,
    /// Percent-encoded one time too many (`https%3A%2F%2F…` after decoding).
    DoubleEncoded,
    /// Percent-encoding differs (raw characters on one side, `%xx` on the other).
    Encoding,
}

impl UriDifference {
    /// Words for messages.
    pub fn describe(self) -> &'static str {
        match self {
            UriDifference::Whitespace => "whitespace around or inside the URI",
            UriDifference::Scheme => "scheme",
            UriDifference::Www => "www. prefix",
            UriDifference::HostCase => "host case",
            UriDifference::Host => "host",
            UriDifference::Port => "port",
            UriDifference::TrailingSlash => "trailing slash",
            UriDifference::PathCase => "path case",
            UriDifference::Path => "path",
            UriDifference::Query => "query string",
            UriDifference::Fragment => "fragment",
            UriDifference::DoubleEncoded => "double percent-encoded",
            UriDifference::Encoding => "percent-encoding",
        }
    }
}

/// The ways `sent` differs from `registered` (empty when byte-for-byte equal).
pub fn uri_differences(sent: &str, registered: &str) -> Vec<UriDifference> {
    let mut out = Vec::new();
    if sent == registered {
        return out;
    }
    if sent.trim() != sent || sent.contains(['\n', '\r', '\t']) {
        out.push(UriDifference::Whitespace);
        if sent.trim() == registered {
            return out;
        }
    }
    let sent = sent.trim();
    // A value that still looks encoded after the server's one decoding was encoded twice.
    let decoded = decode_component(sent);
    if decoded != sent && sent.to_ascii_lowercase().contains("%3a%2f%2f") {
        out.push(UriDifference::DoubleEncoded);
        let mut rest = uri_differences(&decoded, registered);
        rest.retain(|d| *d != UriDifference::Encoding);
        out.extend(rest);
        return out;
    }
    let a = RawUrl::split(sent);
    let b = RawUrl::split(registered);
    if !a.scheme.eq_ignore_ascii_case(b.scheme) {
        out.push(UriDifference::Scheme);
    }
    if a.host != b.host {
        let (ha, hb) = (a.host.to_ascii_lowercase(), b.host.to_ascii_lowercase());
        if ha == hb {
            out.push(UriDifference::HostCase);
        } else if ha.strip_prefix("www.") == Some(hb.as_str())
            || hb.strip_prefix("www.") == Some(ha.as_str())
        {
            out.push(UriDifference::Www);
        } else {
            out.push(UriDifference::Host);
        }
    }
    if a.port != b.port {
        out.push(UriDifference::Port);
    }
    if a.path != b.path {
        let (pa, pb) = (a.path.trim_end_matches('/'), b.path.trim_end_matches('/'));
        if pa == pb {
            out.push(UriDifference::TrailingSlash);
        } else if pa.eq_ignore_ascii_case(pb) {
            out.push(UriDifference::PathCase);
        } else if decode_component(pa) == decode_component(pb) {
            out.push(UriDifference::Encoding);
        } else {
            out.push(UriDifference::Path);
        }
    }
    if a.query != b.query {
        if a.query.map(decode_component) == b.query.map(decode_component) {
            out.push(UriDifference::Encoding);
        } else {
            out.push(UriDifference::Query);
        }
    }
    if a.fragment != b.fragment {
        out.push(UriDifference::Fragment);
    }
    if out.is_empty() {
        // Same parts but different bytes (e.g. scheme case): call it encoding/spelling.
        out.push(UriDifference::Encoding);
    }
    out.dedup();
    out
}

/// How similar two strings are, 0.0–1.0, by a character diff.
pub fn similarity(a: &str, b: &str) -> f32 {
    similar::TextDiff::from_chars(a, b).ratio()
}

/// The registered URI closest to `sent`, with the differences, or None when none registered.
pub fn closest_uri<'r, I>(sent: &str, registered: I) -> Option<(&'r str, Vec<UriDifference>)>
where
    I: IntoIterator<Item = &'r str>,
{
    let sent_t = sent.trim();
    let mut best: Option<(&'r str, Vec<UriDifference>, f32)> = None;
    for r in registered {
        let diffs = uri_differences(sent, r);
        // Prefer fewer structural differences, then the closest spelling.
        let score = similarity(&decode_component(sent_t), r) - diffs.len() as f32 * 0.01;
        if best.as_ref().is_none_or(|(_, _, s)| score > *s) {
            best = Some((r, diffs, score));
        }
    }
    best.map(|(r, d, _)| (r, d))
}

/// Joins difference descriptions: `trailing slash, www. prefix`.
pub fn describe_differences(diffs: &[UriDifference]) -> String {
    diffs
        .iter()
        .map(|d| d.describe())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::UriDifference::*;
    use super::*;

    #[test]
    fn kinds() {
        let reg = "https://app.example.com/oauth/callback";
        let d = |s: &str| uri_differences(s, reg);
        assert_eq!(d(reg), vec![]);
        assert_eq!(
            d("https://app.example.com/oauth/callback/"),
            vec![TrailingSlash]
        );
        assert_eq!(d("https://www.app.example.com/oauth/callback"), vec![Www]);
        assert_eq!(d("http://app.example.com/oauth/callback"), vec![Scheme]);
        assert_eq!(d("https://app.example.com:443/oauth/callback"), vec![Port]);
        assert_eq!(d("https://App.Example.com/oauth/callback"), vec![HostCase]);
        assert_eq!(d("https://app.example.com/OAuth/Callback"), vec![PathCase]);
        assert_eq!(d("https://app.example.com/oauth/callback?x=1"), vec![Query]);
        assert_eq!(
            d("https://app.example.com/oauth/callback#x"),
            vec![Fragment]
        );
        assert_eq!(
            d("https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback"),
            vec![DoubleEncoded]
        );
        assert_eq!(
            d(" https://app.example.com/oauth/callback"),
            vec![Whitespace]
        );
        assert_eq!(d("https://other.example.com/oauth/callback"), vec![Host]);
    }

    #[test]
    fn closest_prefers_nearest() {
        let regs = [
            "http://localhost:3000/cb",
            "https://app.example.com/oauth/callback",
        ];
        let (r, d) = closest_uri("https://app.example.com/oauth/callback/", regs).unwrap();
        assert_eq!(r, "https://app.example.com/oauth/callback");
        assert_eq!(d, vec![TrailingSlash]);
    }
}
