//! Helpers shared by several rules: comparing a redirect URI with the registered ones and
//! naming the kind of difference (used by `redirect-uri-mismatch`,
//! `redirect-uri-exchange-mismatch` and the config/env rules).

use crate::engine::classify::{realm, Realm};
use crate::engine::{Cx, Ex};
use crate::finding::Step;
use crate::model::{decode_component, Param, RawUrl, Request};

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
///
/// `sent` is the value as the server reads it (decoded once); `registered` is the URI as
/// written in the app settings.
pub fn uri_differences(sent: &str, registered: &str) -> Vec<UriDifference> {
    let mut out = Vec::new();
    if sent == registered {
        return out;
    }
    if sent.trim() != sent || sent.contains(['\n', '\r', '\t']) {
        out.push(UriDifference::Whitespace);
        let cleaned: String = sent.trim().chars().filter(|c| !c.is_whitespace()).collect();
        if cleaned == registered {
            return out;
        }
    }
    let sent = sent.trim();
    // A value that still looks encoded after the server's one decoding was encoded twice.
    if let Some(decoded) = double_decoded(sent, registered) {
        out.push(UriDifference::DoubleEncoded);
        let mut rest = uri_differences(&decoded, registered);
        rest.retain(|d| *d != UriDifference::Encoding);
        out.extend(rest);
        return out;
    }
    let a = RawUrl::split(sent);
    let b = RawUrl::split(registered);
    if a.scheme != b.scheme {
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
        } else if decode_component(pa).eq_ignore_ascii_case(&decode_component(pb)) {
            out.push(UriDifference::Encoding);
            out.push(UriDifference::PathCase);
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
        // Same parts but different bytes: call it encoding/spelling.
        out.push(UriDifference::Encoding);
    }
    out.sort();
    out.dedup();
    out
}

/// When `sent` (already decoded once by the server) is still percent-encoded — an encoded
/// scheme separator (`https%3A%2F%2F`), or decoding it once more gives the registered URI —
/// the value decoded again.
fn double_decoded(sent: &str, registered: &str) -> Option<String> {
    if !sent.contains('%') {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(sent)
        .decode_utf8_lossy()
        .into_owned();
    if decoded == sent {
        return None;
    }
    let lower = sent.to_ascii_lowercase();
    let encoded_separator = lower.contains("%3a%2f%2f") || lower.contains("%3a//");
    // The registered URI itself may hold `%xx` (an encoded query value): then the sent one
    // is only double-encoded when decoding it again gives the registered URI exactly.
    if decoded == registered
        || (encoded_separator && !registered.to_ascii_lowercase().contains("%3a%2f%2f"))
    {
        Some(decoded)
    } else {
        None
    }
}

/// How similar two strings are, 0.0–1.0, by a character diff.
pub fn similarity(a: &str, b: &str) -> f32 {
    // A character diff is quadratic at worst: beyond any real URI's length, compare by
    // length and shared prefix only.
    const MAX: usize = 2048;
    if a.len() > MAX || b.len() > MAX {
        let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
        return (2 * common) as f32 / (a.len() + b.len()).max(1) as f32;
    }
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

/// True for a value that stands for "no value": empty, an unset variable interpolated
/// (`undefined`, `null`, `None`), or an unfilled template placeholder (`${MIRO_CLIENT_ID}`,
/// `{{client_id}}`, `<CLIENT_ID>`, `%MIRO_CLIENT_ID%`, `YOUR_CLIENT_ID`). `name` is the
/// parameter the value belongs to (`client_id`, `code`): a value that spells the name itself
/// (`CLIENT_ID`, `AUTH_CODE`) is a placeholder too.
pub fn is_placeholder(value: &str, name: &str) -> bool {
    let v = value
        .trim()
        .trim_matches(|c| c == '"' || c == '\'' || c == '`')
        .trim();
    if v.is_empty() {
        return true;
    }
    // Hidden by whoever shared the capture (`[REDACTED]`, `***`): a real value stood there.
    if crate::secret::redaction(v).is_some() {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    if [
        "undefined",
        "null",
        "none",
        "nil",
        "nan",
        "[object object]",
        "changeme",
        "placeholder",
        "todo",
    ]
    .contains(&lower.as_str())
    {
        return true;
    }
    let wrapped = |open: &str, close: &str| v.starts_with(open) && v.ends_with(close);
    if v.starts_with("${")
        || v.starts_with("{{")
        || v.starts_with("#{")
        || wrapped("{", "}")
        || wrapped("<", ">")
        || wrapped("[", "]")
        || (wrapped("%", "%") && v.len() > 2)
    {
        return true;
    }
    if let Some(rest) = v.strip_prefix('$') {
        if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return true;
        }
    }
    if lower.starts_with("your_") || lower.starts_with("your-") || lower.starts_with("your ") {
        return true;
    }
    if lower.len() >= 3 && lower.chars().all(|c| c == 'x' || c == '*' || c == '.') {
        return true;
    }
    // The parameter's own name as its value: `CLIENT_ID`, `client-id`, `AUTH_CODE`.
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let (sv, sn) = (squash(v), squash(name));
    let shouty = v
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-');
    !sn.is_empty() && (sv == sn || (shouty && sv.contains(&sn)))
}

/// A value as it can be shown in a one-line message: control characters escaped (`\n`).
pub fn visible(value: &str) -> String {
    value
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_debug().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Words for the kind of placeholder a value is (see [`is_placeholder`]), without repeating
/// the value itself: the engine masks values of secret parameters (`code`) wherever they
/// appear, so a message quoting `undefined` would show a mask instead.
pub fn placeholder_kind(value: &str) -> &'static str {
    let v = value
        .trim()
        .trim_matches(|c| c == '"' || c == '\'' || c == '`')
        .trim();
    let lower = v.to_ascii_lowercase();
    if v.is_empty() {
        "an empty value"
    } else if ["undefined", "null", "none", "nil", "nan", "[object object]"]
        .contains(&lower.as_str())
    {
        "an unset variable printed as text"
    } else if v.starts_with("${")
        || v.starts_with("{{")
        || v.starts_with("#{")
        || v.starts_with('$')
        || (v.starts_with('%') && v.ends_with('%'))
        || (v.starts_with('{') && v.ends_with('}'))
    {
        "an unexpanded variable or template placeholder"
    } else {
        "a placeholder"
    }
}

/// The name of an input for messages (its file name, `-`, or `<arg>`).
pub fn input_name(cx: &Cx<'_>, input: usize) -> String {
    cx.flow()
        .inputs
        .get(input)
        .map(|i| i.source.clone())
        .unwrap_or_else(|| format!("input {}", input + 1))
}

/// The first query parameter with this exact name.
pub fn query_param(req: &Request, name: &str) -> Option<Param> {
    req.query_params().into_iter().find(|p| p.name == name)
}

/// A query parameter whose name is a near miss of `name`: another letter case, camelCase,
/// `-` for `_`, surrounding whitespace, or an HTML-escaped `&amp;` before it. Returns the name
/// as sent.
pub fn near_miss_param(req: &Request, name: &str) -> Option<String> {
    let squash = |s: &str| -> String {
        s.trim()
            .trim_start_matches("amp;")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let want = squash(name);
    req.params()
        .into_iter()
        .map(|p| p.param.name)
        .find(|n| n != name && squash(n) == want)
}

/// The authorize links of the flow, leaving out what a HAR records after the link itself:
/// Miro's own pages and calls that follow it (the install screen, its XHRs) also carry
/// `response_type` or end in `/authorize`, but the app did not write them.
pub fn authorize_links<'a>(cx: &Cx<'a>) -> Vec<Ex<'a>> {
    let mut out: Vec<Ex<'a>> = Vec::new();
    for ex in cx.of_step(Step::Authorize) {
        // In a HAR, the app's link is a top-level browser navigation (a GET); Miro's install
        // page talks to its own `…/authorize` endpoints with XHRs, which are not the link.
        if ex.entry.is_some() {
            let navigation = ex
                .request
                .header("sec-fetch-mode")
                .is_none_or(|h| h.value.trim().eq_ignore_ascii_case("navigate"));
            if !ex.request.method.eq_ignore_ascii_case("GET") || !navigation {
                continue;
            }
        }
        if ex.entry.is_some() {
            let first = out
                .iter()
                .find(|o| o.input == ex.input && o.entry.is_some());
            if let Some(first) = first {
                let same_target = first.request.host() == ex.request.host()
                    && first.request.raw_url().path == ex.request.raw_url().path;
                if !ex.request.method.eq_ignore_ascii_case("GET") || !same_target {
                    continue;
                }
            }
        }
        out.push(ex);
    }
    out
}

/// True when an authorize link's `name` parameter sits in the link's fragment, where a raw
/// `#` inside the redirect_uri pushed it (browsers never send the fragment):
/// `redirect-uri-not-encoded` reports the cause, so other rules stay quiet about it.
pub fn lost_in_fragment(req: &Request, name: &str) -> bool {
    let Some(fragment) = req.raw_url().fragment else {
        return false;
    };
    fragment
        .split('&')
        .any(|p| decode_component(p.split_once('=').map_or(p, |(n, _)| n)) == name)
}

/// True when a `name=` pair is hidden inside another parameter's value (a whole form string
/// passed to one `--data-urlencode`, or an encoded `&`): the server sees no such parameter,
/// and `param-placement` reports why.
pub fn hidden_in_value(req: &Request, name: &str) -> bool {
    let pair = format!("{name}=");
    req.params()
        .iter()
        .map(|p| &p.param)
        .chain(undeclared_form_params(req).iter())
        .any(|p| {
            p.name != name && (p.value.contains(&format!("&{pair}")) || p.value.starts_with(&pair))
        })
}

/// The parameters Miro puts on a successful callback besides `code` (facts §3).
fn has_miro_callback_marks(req: &Request) -> bool {
    let names: Vec<String> = req.query_params().into_iter().map(|p| p.name).collect();
    let has = |n: &str| names.iter().any(|x| x == n);
    has("client_id") && has("team_id")
}

/// The callbacks of the flow: the requests classified as callbacks, plus requests to the
/// app that are plainly the redirect back from Miro although they carry neither `code` nor
/// `error` (Miro's `client_id` + `team_id` pair, or the `redirect_uri` of an authorize link
/// of the same flow with a `state`).
pub fn callbacks<'a>(cx: &Cx<'a>) -> Vec<Ex<'a>> {
    let redirect_targets: Vec<String> = authorize_links(cx)
        .iter()
        .filter_map(|a| query_param(&a.request, "redirect_uri"))
        .map(|p| without_query(p.value.trim()))
        .collect();
    cx.exchanges()
        .filter(|ex| match ex.step {
            Step::Callback => true,
            Step::Other => {
                let req = &ex.request;
                if realm(&req.host()) != Realm::NotMiro || !req.method.eq_ignore_ascii_case("GET") {
                    return false;
                }
                let here = without_query(&req.url);
                has_miro_callback_marks(req)
                    || (query_param(req, "state").is_some()
                        && redirect_targets
                            .iter()
                            .any(|t| t.eq_ignore_ascii_case(&here)))
            }
            _ => false,
        })
        // Findings on an inferred callback are grouped as callback findings.
        .map(|ex| Ex {
            step: Step::Callback,
            ..ex
        })
        .collect()
}

/// `scheme://authority/path` of a URL, without query or fragment (and without a trailing
/// slash, so `/cb` and `/cb/` compare equal).
fn without_query(url: &str) -> String {
    let u = RawUrl::split(url);
    format!(
        "{}://{}{}",
        u.scheme,
        u.authority,
        u.path.trim_end_matches('/')
    )
}

/// The client id carried by an `Authorization: Basic` header or curl `-u`, when it decodes.
pub fn basic_client_id(req: &Request) -> Option<String> {
    use base64::Engine as _;
    if let Some(user) = req.curl.as_ref().and_then(|c| c.user.as_deref()) {
        return user.split_once(':').map(|(id, _)| id.to_string());
    }
    let h = req.header("authorization")?;
    let (scheme, cred) = h.value.trim().split_once(char::is_whitespace)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(cred.trim())
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.split_once(':').map(|(id, _)| id.to_string())
}

/// True when a request had a body the capture does not show: curl reading it from a file
/// (`-d @params.txt`, `--data-binary @-`), or a capture whose `Content-Length` announces a
/// body that is not there (a HAR exported without bodies). Rules about missing parameters
/// cannot tell anything then.
pub fn body_unseen(req: &Request) -> bool {
    if let Some(c) = &req.curl {
        if c.data.iter().any(|d| {
            d.arg.starts_with('@') && !matches!(d.flag.as_str(), "--data-raw" | "--data-urlencode")
        }) {
            return true;
        }
    }
    let announced = req
        .header("content-length")
        .and_then(|h| h.value.trim().parse::<u64>().ok())
        .is_some_and(|n| n > 0);
    let empty = match &req.body {
        None => true,
        Some(crate::model::Body::Text(t)) => t.trim().is_empty(),
        Some(crate::model::Body::Multipart(parts)) => parts.is_empty(),
    };
    announced && empty
}

/// Params of a body the model does not read as params: a text body written like a form but
/// not declared as one (`client_id=…&code=…` sent as `text/plain`), or a multipart body kept
/// as raw text. Miro may not read them, but they were sent.
pub fn undeclared_form_params(req: &Request) -> Vec<Param> {
    if !req.form_params().is_empty() || req.json_body().is_some() {
        return Vec::new();
    }
    let Some(text) = req.body_text() else {
        return Vec::new();
    };
    if req
        .content_type()
        .is_some_and(|c| c.starts_with("multipart/"))
    {
        return multipart_text_params(text);
    }
    let t = text.trim();
    if t.contains('=') && !t.starts_with(['{', '[', '<', '-']) {
        crate::model::parse_params(t)
    } else {
        Vec::new()
    }
}

/// The text parts of a raw multipart body (`Content-Disposition: form-data; name="x"`).
fn multipart_text_params(text: &str) -> Vec<Param> {
    let mut out = Vec::new();
    let Some(first) = text.lines().map(str::trim).find(|l| l.starts_with("--")) else {
        return out;
    };
    let boundary = first.trim_end_matches("--").to_string();
    for part in text.split(boundary.as_str()).skip(1) {
        let part = part.trim_start_matches("\r\n").trim_start_matches('\n');
        let Some((head, body)) = part
            .split_once("\r\n\r\n")
            .or_else(|| part.split_once("\n\n"))
        else {
            continue;
        };
        let Some(name) = head
            .split("name=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
        else {
            continue;
        };
        if head.contains("filename=") {
            continue;
        }
        let value = body.trim_end_matches(['\r', '\n']).to_string();
        out.push(Param {
            name: name.to_string(),
            raw: value.clone(),
            value,
        });
    }
    out
}

/// Every value of a parameter the request carries anywhere (query, form, JSON, multipart,
/// or an undeclared form-like body), in that order.
pub fn param_values(req: &Request, name: &str) -> Vec<String> {
    let mut out: Vec<String> = req
        .params()
        .into_iter()
        .filter(|p| p.param.name == name)
        .map(|p| p.param.value)
        .collect();
    out.extend(
        undeclared_form_params(req)
            .into_iter()
            .filter(|p| p.name == name)
            .map(|p| p.value),
    );
    out
}

/// When an exchange happened: the HAR `startedDateTime`, else the response's `Date` header
/// (RFC 2822, as Burp and curl `-i` captures carry it).
pub(crate) fn time_of(ex: &crate::engine::Ex<'_>) -> Option<jiff::Timestamp> {
    if let Some(t) = ex.started {
        return Some(t);
    }
    let date = ex.response.as_ref()?.header("date")?;
    jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(date.value.trim())
        .ok()
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
    fn more_kinds() {
        let reg = "https://app.example.com/oauth/callback";
        let d = |s: &str| uri_differences(s, reg);
        assert_eq!(d("HTTPS://app.example.com/oauth/callback"), vec![Scheme]);
        assert_eq!(
            d("https://app.example.com/oauth/callback\n"),
            vec![Whitespace]
        );
        assert_eq!(
            d("https://www.app.example.com/oauth/callback/"),
            vec![Www, TrailingSlash]
        );
        assert_eq!(
            d("https://app.example.com/oauth%2Fcallback"),
            vec![DoubleEncoded]
        );
        // A registered URI with an encoded query value: the raw spelling is an encoding
        // difference, not double encoding.
        let reg2 = "https://app.example.com/cb?next=%2Fhome";
        assert_eq!(
            uri_differences("https://app.example.com/cb?next=/home", reg2),
            vec![Encoding]
        );
        assert_eq!(
            uri_differences("https://app.example.com/cb?next=%252Fhome", reg2),
            vec![DoubleEncoded]
        );
    }

    #[test]
    fn placeholders() {
        for v in [
            "",
            " ",
            "undefined",
            "null",
            "None",
            "${MIRO_CLIENT_ID}",
            "{{client_id}}",
            "<CLIENT_ID>",
            "%MIRO_CLIENT_ID%",
            "$MIRO_CLIENT_ID",
            "YOUR_CLIENT_ID",
            "CLIENT_ID",
            "\"\"",
        ] {
            assert!(is_placeholder(v, "client_id"), "{v:?}");
        }
        // Hidden by whoever shared the capture: a real value stood there.
        for v in ["xxxxxxxx", "[REDACTED]", "***", "[FILTERED]"] {
            assert!(!is_placeholder(v, "code"), "{v:?}");
        }
        for v in [
            "3458764512345678901",
            "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_Cq3vJ9pXnR2sT8wYkL5mZ0aBcDe",
        ] {
            assert!(!is_placeholder(v, "client_id"), "{v:?}");
            assert!(!is_placeholder(v, "code"), "{v:?}");
        }
        assert!(is_placeholder("AUTH_CODE", "code"));
        assert!(is_placeholder("{code}", "code"));
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
