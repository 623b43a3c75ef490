//! Helpers shared by the token request-shape rules: which exchanges are token requests, every
//! parameter a token request carries and whether Miro reads it where it is (query string and
//! form body: facts §4.1), the body's shape, the `Authorization: Basic` header decoded, and
//! the grant types Miro knows (facts §4.2).

use base64::Engine as _;

use crate::model::{decode_component, parse_params, Body, Request};
use crate::rules::prelude::*;

/// Miro's token endpoint (facts §1).
pub(crate) const TOKEN_PATH: &str = "/v1/oauth/token";

/// The grant types Miro supports (facts §4.2).
pub(crate) const GRANTS: [&str; 2] = ["authorization_code", "refresh_token"];

const FORM: &str = "application/x-www-form-urlencoded";

/// The token requests of the flow: requests classified as token requests, plus requests that
/// carry a `grant_type` but went to the token-context endpoint (`/v1/oauth-token`, a common
/// mix-up). CORS preflights (`OPTIONS`, sent by the browser, not written by the app) are left
/// out.
pub(crate) fn token_requests<'a>(cx: &Cx<'a>) -> Vec<Ex<'a>> {
    cx.exchanges()
        .filter(|ex| {
            if ex.request.method.eq_ignore_ascii_case("OPTIONS") {
                return false;
            }
            match ex.step {
                Step::Token => true,
                Step::TokenInfo => sent_params(&ex.request)
                    .iter()
                    .any(|p| p.name == "grant_type"),
                _ => false,
            }
        })
        .collect()
}

/// True when the capture shows Miro answered with a token: whatever the request looks like,
/// Miro read it, so "Miro likely does not read this" findings would be wrong.
pub(crate) fn succeeded(ex: &Ex<'_>) -> bool {
    ex.response.as_ref().is_some_and(|r| {
        (200..300).contains(&r.status)
            && r.json_body()
                .is_some_and(|b| b.get("access_token").is_some())
    })
}

/// The token requests the capture does not show Miro answering with a token (see
/// [`succeeded`]): the ones whose shape can explain a failure.
pub(crate) fn failed_token_requests<'a>(cx: &Cx<'a>) -> Vec<Ex<'a>> {
    token_requests(cx)
        .into_iter()
        .filter(|ex| !succeeded(ex))
        .collect()
}

/// True when the method is known: a bare URL carries none (the URL parser assumes GET).
pub(crate) fn method_known(cx: &Cx<'_>, ex: &Ex<'_>) -> bool {
    cx.flow()
        .inputs
        .get(ex.input)
        .is_none_or(|i| i.kind != crate::model::InputKind::Url)
}

/// Where a parameter was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// The URL query string (read by Miro).
    Query,
    /// After an unencoded `#` in the URL: a fragment, never sent.
    Fragment,
    /// A form body declared `application/x-www-form-urlencoded` (read by Miro).
    Form,
    /// A form-looking body without the form content type (likely not read).
    UndeclaredForm,
    /// A key of a JSON body (likely not read).
    Json,
    /// A multipart part (likely not read).
    Multipart,
    /// Swallowed into another parameter's value by curl `--data-urlencode 'a=1&b=2'`.
    Swallowed,
}

impl Place {
    /// Whether Miro's token endpoint reads parameters there (facts §4.1).
    pub(crate) fn read(self) -> bool {
        matches!(self, Place::Query | Place::Form)
    }

    /// The finding part for a parameter there: the query string, else the body.
    pub(crate) fn part(self) -> Part {
        if self == Place::Query {
            Part::Query
        } else {
            Part::Body
        }
    }

    /// Where that is, in the words of a message (`the query string`, `the JSON body`).
    pub(crate) fn words(self) -> &'static str {
        match self {
            Place::Query => "the query string",
            Place::Fragment => "the URL fragment",
            Place::Form | Place::UndeclaredForm | Place::Swallowed => "the form body",
            Place::Json => "the JSON body",
            Place::Multipart => "the multipart body",
        }
    }
}

/// A parameter of a token request, wherever it is.
#[derive(Clone, Debug)]
pub(crate) struct Sent {
    /// Where.
    pub place: Place,
    /// Decoded name.
    pub name: String,
    /// Decoded value.
    pub value: String,
}

/// The shape of a request body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum BodyShape {
    /// No body, or an empty one.
    None,
    /// A form body declared as such.
    Form,
    /// A form-looking body (`grant_type=…&code=…`) declared as something else, or undeclared.
    UndeclaredForm {
        /// The declared media type, if any.
        content_type: Option<String>,
    },
    /// A JSON body.
    Json {
        /// The declared media type, if any.
        content_type: Option<String>,
    },
    /// A multipart body (curl `-F`, `multipart/form-data`).
    Multipart,
    /// Anything else.
    Other,
}

/// The media type curl or the capture declares for the body: the `Content-Type` header, else
/// what curl adds itself (`-d` → form, `--json` → JSON, `-F` → multipart).
pub(crate) fn content_type(req: &Request) -> Option<String> {
    if let Some(ct) = req.content_type() {
        return Some(ct);
    }
    let curl = req.curl.as_ref()?;
    if !curl.form.is_empty() {
        return Some("multipart/form-data".to_string());
    }
    if curl.get || curl.data.is_empty() {
        return None;
    }
    if curl.data.iter().any(|d| d.flag == "--json") {
        Some("application/json".to_string())
    } else {
        Some(FORM.to_string())
    }
}

/// A body written like a form: `name=value` pairs with at least one token parameter name.
fn looks_like_form(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && !t.starts_with(['{', '[', '<'])
        && parse_params(t).iter().any(|p| canonical(&p.name).is_some())
}

/// The shape of the request body.
pub(crate) fn body_shape(req: &Request) -> BodyShape {
    let text = match &req.body {
        None => return BodyShape::None,
        Some(Body::Multipart(_)) => return BodyShape::Multipart,
        Some(Body::Text(t)) => t.trim(),
    };
    if text.is_empty() {
        return BodyShape::None;
    }
    let ct = content_type(req);
    if ct.as_deref().is_some_and(|c| c.starts_with("multipart/")) {
        return BodyShape::Multipart;
    }
    if text.starts_with(['{', '[']) && serde_json::from_str::<serde_json::Value>(text).is_ok() {
        return BodyShape::Json { content_type: ct };
    }
    if ct.as_deref() == Some(FORM) {
        return BodyShape::Form;
    }
    if looks_like_form(text) {
        return BodyShape::UndeclaredForm { content_type: ct };
    }
    BodyShape::Other
}

/// The text parts of a raw `multipart/form-data` body: (name, value).
fn multipart_text_parts(req: &Request, text: &str) -> Vec<(String, String)> {
    let boundary = req
        .header("content-type")
        .and_then(|h| {
            h.value.split(';').find_map(|p| {
                let (k, v) = p.trim().split_once('=')?;
                k.trim()
                    .eq_ignore_ascii_case("boundary")
                    .then(|| v.trim().trim_matches('"').to_string())
            })
        })
        .or_else(|| {
            text.lines()
                .map(str::trim)
                .find(|l| l.starts_with("--") && l.len() > 2)
                .map(|l| l[2..].to_string())
        });
    let Some(boundary) = boundary else {
        return Vec::new();
    };
    let delimiter = format!("--{boundary}");
    let mut out = Vec::new();
    for chunk in text.split(delimiter.as_str()) {
        let chunk = chunk.trim_start_matches(['\r', '\n']);
        let (head, value) = match chunk.find("\r\n\r\n") {
            Some(i) => (&chunk[..i], &chunk[i + 4..]),
            None => match chunk.find("\n\n") {
                Some(i) => (&chunk[..i], &chunk[i + 2..]),
                None => continue,
            },
        };
        let Some(at) = head.find("name=\"") else {
            continue;
        };
        let rest = &head[at + 6..];
        let Some(end) = rest.find('"') else {
            continue;
        };
        if head.contains("filename=") {
            continue;
        }
        out.push((
            rest[..end].to_string(),
            value.trim_end_matches(['\r', '\n']).to_string(),
        ));
    }
    out
}

/// Every parameter the request carries, wherever it is (see [`Place`]).
pub(crate) fn sent_params(req: &Request) -> Vec<Sent> {
    let mut out: Vec<Sent> = req
        .query_params()
        .into_iter()
        .map(|p| Sent {
            place: Place::Query,
            name: p.name,
            value: p.value,
        })
        .collect();
    if let Some(fragment) = req.raw_url().fragment {
        out.extend(
            parse_params(fragment)
                .into_iter()
                .filter(|p| canonical(&p.name).is_some())
                .map(|p| Sent {
                    place: Place::Fragment,
                    name: p.name,
                    value: p.value,
                }),
        );
    }
    let shape = body_shape(req);
    let text = req.body_text().map(str::trim).unwrap_or("");
    match &shape {
        BodyShape::Form | BodyShape::UndeclaredForm { .. } => {
            let place = if shape == BodyShape::Form {
                Place::Form
            } else {
                Place::UndeclaredForm
            };
            out.extend(parse_params(text).into_iter().map(|p| Sent {
                place,
                name: p.name,
                value: p.value,
            }));
        }
        BodyShape::Json { .. } => {
            if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(text) {
                for (k, v) in map {
                    let value = match v {
                        serde_json::Value::String(s) => s,
                        serde_json::Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    out.push(Sent {
                        place: Place::Json,
                        name: k,
                        value,
                    });
                }
            }
        }
        BodyShape::Multipart => {
            let parts: Vec<(String, String)> = match &req.body {
                Some(Body::Multipart(parts)) => parts
                    .iter()
                    .filter(|p| !p.file)
                    .map(|p| (p.name.clone(), p.value.clone()))
                    .collect(),
                _ => multipart_text_parts(req, text),
            };
            out.extend(parts.into_iter().map(|(name, value)| Sent {
                place: Place::Multipart,
                name,
                value,
            }));
        }
        BodyShape::None | BodyShape::Other => {}
    }
    for (_, swallowed) in swallowed_by_urlencode(req) {
        out.extend(swallowed.into_iter().map(|(name, value)| Sent {
            place: Place::Swallowed,
            name,
            value,
        }));
    }
    out
}

/// The parameters Miro reads (query string and declared form body).
pub(crate) fn read_params(req: &Request) -> Vec<Sent> {
    sent_params(req)
        .into_iter()
        .filter(|p| p.place.read())
        .collect()
}

/// curl `--data-urlencode 'grant_type=authorization_code&code=…'`: curl encodes everything
/// after the first `=`, so the later pairs become part of the first one's value. Returns the
/// argument and the swallowed (name, value) pairs that are token parameters.
pub(crate) fn swallowed_by_urlencode(req: &Request) -> Vec<(String, Vec<(String, String)>)> {
    let Some(curl) = &req.curl else {
        return Vec::new();
    };
    curl.data
        .iter()
        .filter(|d| d.urlencoded)
        .filter_map(|d| {
            let (name, value) = d.arg.split_once('=')?;
            if name.is_empty() || name.starts_with('@') || name.contains('@') {
                return None;
            }
            let swallowed: Vec<(String, String)> = value
                .split('&')
                .skip(1)
                .filter_map(|pair| pair.split_once('='))
                .filter(|(n, _)| canonical(n).is_some())
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect();
            (!swallowed.is_empty()).then(|| (d.arg.clone(), swallowed))
        })
        .collect()
}

/// The token parameter a name stands for, also when misspelled in a common way
/// (`clientSecret`, `client-id`, `Redirect_URI`, `redirect_url`, `authorization_code`).
pub(crate) fn canonical(name: &str) -> Option<&'static str> {
    let squashed: String = name
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    Some(match squashed.as_str() {
        "granttype" => "grant_type",
        "code" | "authcode" | "authorizationcode" | "authorisationcode" => "code",
        "redirecturi" | "redirecturl" => "redirect_uri",
        "clientid" => "client_id",
        "clientsecret" => "client_secret",
        "refreshtoken" => "refresh_token",
        _ => return None,
    })
}

/// A sent parameter whose name is a misspelling of `name` (and no exact one was sent).
pub(crate) fn near_miss<'p>(params: &'p [Sent], name: &str) -> Option<&'p Sent> {
    if params.iter().any(|p| p.name == name) {
        return None;
    }
    params
        .iter()
        .find(|p| p.name != name && canonical(&p.name) == Some(name))
}

/// True for a value that stands for "nothing was there": empty, an unset variable
/// interpolated by the code (`undefined`, `null`, `None`, `[object Object]`), or a variable
/// reference the shell or tool did not expand (`$MIRO_CLIENT_SECRET`, `${SECRET}`,
/// `$env:SECRET`, `%SECRET%`). Deliberate redactions (`<client_secret>`, `YOUR_SECRET`,
/// `xxxx`, `{{client_secret}}`) are not: people redact real values before sharing a capture,
/// and the request they ran had the value.
pub(crate) fn unset(value: &str) -> bool {
    let v = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    if v.is_empty() {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if ["undefined", "null", "none", "nil", "nan", "[object object]"].contains(&lower.as_str()) {
        return true;
    }
    let ident = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == ':')
    };
    if let Some(rest) = v.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        return !rest.trim().is_empty();
    }
    if let Some(rest) = v.strip_prefix('$') {
        return ident(rest);
    }
    if v.len() > 2 && v.starts_with('%') && v.ends_with('%') {
        return ident(&v[1..v.len() - 1]);
    }
    lower.starts_with("process.env.") || lower.starts_with("os.environ")
}

/// A value of `name` anywhere in the request that is not [`unset`].
pub(crate) fn has_value(params: &[Sent], name: &str) -> bool {
    params.iter().any(|p| p.name == name && !unset(&p.value))
}

/// Words for an [`unset`] value (`empty`, ``the literal `undefined` ``).
pub(crate) fn describe_placeholder(value: &str) -> String {
    let v = value.trim();
    if v.is_empty() {
        "empty".to_string()
    } else if v.starts_with(['$', '%']) {
        format!("the unexpanded variable `{}`", v.escape_debug())
    } else {
        format!("the literal `{}`", v.escape_debug())
    }
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn join_names<S: AsRef<str>>(names: &[S]) -> String {
    match names {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => format!(
            "{} and {}",
            init.iter()
                .map(|s| s.as_ref())
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

/// Names in order, without duplicates.
pub(crate) fn unique_names<'p>(params: impl IntoIterator<Item = &'p Sent>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in params {
        if !out.contains(&p.name) {
            out.push(p.name.clone());
        }
    }
    out
}

/// A value shown in a message: escaped, and clipped when long.
pub(crate) fn shown(value: &str) -> String {
    let escaped = value.escape_debug().to_string();
    let clipped: String = escaped.chars().take(60).collect();
    if clipped.len() < escaped.len() {
        format!("{clipped}…")
    } else {
        clipped
    }
}

// ---------------------------------------------------------------------------------------
// curl data arguments

/// A curl data argument whose text does not reach Miro as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DataProblem {
    /// A `redirect_uri` with its own `?…&…` sent unencoded: the server splits it at `&`.
    Split {
        /// Where it was sent, in words (`sent with -d`, `in the URL query string`).
        place: String,
        /// What Miro reads as the redirect_uri.
        read: String,
        /// The URI as meant.
        full: String,
        /// The names Miro reads as separate parameters.
        overflow: Vec<String>,
    },
    /// A raw `+`, which form decoding turns into a space.
    Plus {
        /// The curl option.
        flag: String,
        /// The parameter.
        name: String,
    },
    /// A raw space.
    Space {
        /// The curl option.
        flag: String,
        /// The parameter.
        name: String,
    },
    /// A `%` not followed by two hex digits.
    StrayPercent {
        /// The curl option.
        flag: String,
        /// The parameter.
        name: String,
    },
    /// `--data-urlencode 'a=1&b=2'`: the later pairs are encoded into the first one's value.
    Swallowed {
        /// The parameter that swallowed the others.
        name: String,
        /// The swallowed parameter names.
        swallowed: Vec<String>,
    },
    /// `--data-urlencode` of an already percent-encoded value: encoded twice.
    DoubleEncoded {
        /// The parameter.
        name: String,
        /// The value as given (already encoded).
        value: String,
    },
}

fn has_stray_percent(raw: &str) -> bool {
    let b = raw.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        c == b'%'
            && !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })
}

fn has_percent_escape(raw: &str) -> bool {
    let b = raw.as_bytes();
    b.windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

/// Names that belong to an OAuth request itself: a pair with one of these after an unencoded
/// `redirect_uri` was most likely meant as its own parameter, not as part of the URI.
const OAUTH_NAMES: &[&str] = &[
    "scope",
    "state",
    "response_type",
    "team_id",
    "code_verifier",
    "access_type",
    "prompt",
    "nonce",
    "client_assertion",
    "client_assertion_type",
];

/// The `redirect_uri` of a `&`-separated text that carries its own unencoded query and was
/// split at its `&`: (value read, full value, overflow names).
pub(crate) fn split_redirect(text: &str) -> Option<(String, String, Vec<String>)> {
    let pairs: Vec<&str> = text.split('&').collect();
    let i = pairs.iter().position(|p| {
        p.split_once('=')
            .is_some_and(|(n, v)| n == "redirect_uri" && v.contains('?'))
    })?;
    let read = pairs[i].split_once('=').map(|(_, v)| v)?.to_string();
    let mut overflow = Vec::new();
    let mut full = read.clone();
    for pair in &pairs[i + 1..] {
        let name = pair.split_once('=').map_or(*pair, |(n, _)| n);
        if name.is_empty() || canonical(name).is_some() || OAUTH_NAMES.contains(&name) {
            break;
        }
        overflow.push(decode_component(name));
        full.push('&');
        full.push_str(pair);
    }
    (!overflow.is_empty()).then_some((read, full, overflow))
}

/// Names a server reads as separate parameters because a `redirect_uri` (in the URL query or
/// a curl `-d`) carried its own `&` unencoded.
pub(crate) fn redirect_overflow(req: &Request) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(q) = req.raw_url().query {
        if let Some((_, _, o)) = split_redirect(q) {
            out.extend(o);
        }
    }
    if let Some(t) = req.body_text() {
        if let Some((_, _, o)) = split_redirect(t.trim()) {
            out.extend(o);
        }
    }
    out
}

/// A `redirect_uri` split at its own `&` in the URL query string, or in a form body that did
/// not come from curl data arguments (those are reported per argument).
pub(crate) fn split_elsewhere(req: &Request) -> Vec<DataProblem> {
    let mut out = Vec::new();
    if let Some((read, full, overflow)) = req.raw_url().query.and_then(split_redirect) {
        out.push(DataProblem::Split {
            place: "in the URL query string".to_string(),
            read,
            full,
            overflow,
        });
    }
    let from_curl_data = req.curl.as_ref().is_some_and(|c| !c.data.is_empty());
    if !from_curl_data && body_shape(req) == BodyShape::Form {
        if let Some((read, full, overflow)) = req.body_text().and_then(|t| split_redirect(t.trim()))
        {
            out.push(DataProblem::Split {
                place: "in the form body".to_string(),
                read,
                full,
                overflow,
            });
        }
    }
    out
}

/// The curl data arguments that do not reach Miro as written (see [`DataProblem`]).
pub(crate) fn curl_data_problems(req: &Request) -> Vec<DataProblem> {
    let Some(curl) = &req.curl else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for d in &curl.data {
        if d.flag == "--json" || d.arg.starts_with('@') {
            continue;
        }
        if d.urlencoded {
            let Some((name, value)) = d.arg.split_once('=') else {
                continue;
            };
            let swallowed: Vec<String> = value
                .split('&')
                .skip(1)
                .filter_map(|pair| pair.split_once('='))
                .filter(|(n, _)| canonical(n).is_some())
                .map(|(n, _)| n.to_string())
                .collect();
            if !name.is_empty() && !name.contains('@') && !swallowed.is_empty() {
                out.push(DataProblem::Swallowed {
                    name: name.to_string(),
                    swallowed,
                });
            } else if name == "redirect_uri" && has_percent_escape(value) {
                out.push(DataProblem::DoubleEncoded {
                    name: name.to_string(),
                    value: value.to_string(),
                });
            }
            continue;
        }
        if let Some((read, full, overflow)) = split_redirect(&d.arg) {
            out.push(DataProblem::Split {
                place: format!("sent with {}", d.flag),
                read,
                full,
                overflow,
            });
        }
        for pair in d.arg.split('&') {
            let Some((name, raw)) = pair.split_once('=') else {
                continue;
            };
            if !["code", "redirect_uri", "refresh_token", "client_secret"].contains(&name) {
                continue;
            }
            let (flag, name) = (d.flag.clone(), name.to_string());
            if raw.contains('+') {
                out.push(DataProblem::Plus { flag, name });
            } else if raw.contains(' ') && (name == "code" || name == "redirect_uri") {
                out.push(DataProblem::Space { flag, name });
            } else if has_stray_percent(raw) {
                out.push(DataProblem::StrayPercent { flag, name });
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Authorization: Basic

/// Client credentials read from a Basic header, as the user meant them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Creds {
    /// The client id part.
    pub id: String,
    /// The client secret part.
    pub secret: String,
}

/// What is wrong with a Basic header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum BasicProblem {
    /// `Basic` with no credentials.
    Empty,
    /// `client_id:client_secret` written as is, not base64-encoded.
    Raw,
    /// The credentials are wrapped in quotes.
    Quoted,
    /// Whitespace or a line break inside the base64 (line-wrapped output, `\n`).
    Wrapped,
    /// The base64url alphabet (`-`, `_`) instead of standard base64.
    UrlSafe,
    /// The `=` padding is missing.
    Unpadded,
    /// Not base64 at all.
    NotBase64,
    /// Decodes to bytes that are not text.
    NotText,
    /// Decodes to text without a `:`.
    NoColon(String),
    /// The encoded text ends with a line break (`echo` without `-n`).
    TrailingNewline,
    /// Whitespace around the id or the secret.
    Whitespace,
    /// An empty id or secret.
    EmptyPart {
        /// Which part is empty (`client id`, `client secret`).
        part: &'static str,
    },
    /// A placeholder instead of a value (`undefined:undefined`).
    Placeholder {
        /// Which part.
        part: &'static str,
        /// The placeholder.
        value: String,
    },
    /// `client_secret:client_id`.
    Swapped,
}

/// A decoded Basic header.
#[derive(Clone, Debug)]
pub(crate) struct Basic {
    /// The credentials, when they could be read in any way.
    pub creds: Option<Creds>,
    /// The first problem, if any.
    pub problem: Option<BasicProblem>,
}

fn decode_b64(s: &str) -> Option<(Vec<u8>, Option<BasicProblem>)> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    if let Ok(b) = STANDARD.decode(s) {
        return Some((b, None));
    }
    if !s.contains('=') {
        if let Ok(b) = STANDARD_NO_PAD.decode(s) {
            return Some((b, Some(BasicProblem::Unpadded)));
        }
    }
    if s.contains(['-', '_']) {
        if let Ok(b) = URL_SAFE.decode(s).or_else(|_| URL_SAFE_NO_PAD.decode(s)) {
            return Some((b, Some(BasicProblem::UrlSafe)));
        }
    }
    None
}

fn is_client_id_shape(s: &str) -> bool {
    (10..=24).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// Reads one `Authorization` header value; None when it is not a Basic header.
pub(crate) fn parse_basic(value: &str) -> Option<Basic> {
    let v = value.trim();
    let (scheme, rest) = match v.split_once(char::is_whitespace) {
        Some((s, r)) => (s, r.trim()),
        None => (v, ""),
    };
    if !scheme.trim_end_matches(':').eq_ignore_ascii_case("basic") {
        return None;
    }
    let mut basic = Basic {
        creds: None,
        problem: None,
    };
    let mut problem: Option<BasicProblem> = None;
    let mut cred = rest.to_string();
    if cred.len() >= 2
        && ((cred.starts_with('"') && cred.ends_with('"'))
            || (cred.starts_with('\'') && cred.ends_with('\'')))
    {
        cred = cred[1..cred.len() - 1].trim().to_string();
        problem = Some(BasicProblem::Quoted);
    }
    if cred.is_empty() {
        basic.problem = Some(BasicProblem::Empty);
        return Some(basic);
    }
    if cred.contains(char::is_whitespace) || cred.contains("\\n") || cred.contains("\\r") {
        cred = cred
            .replace("\\r", "")
            .replace("\\n", "")
            .split_whitespace()
            .collect();
        problem.get_or_insert(BasicProblem::Wrapped);
    }
    let text = match decode_b64(&cred) {
        Some((bytes, p)) => {
            if let Some(p) = p {
                problem.get_or_insert(p);
            }
            match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(_) => {
                    basic.problem = Some(problem.unwrap_or(BasicProblem::NotText));
                    return Some(basic);
                }
            }
        }
        None => {
            if let Some((id, secret)) = cred.split_once(':') {
                basic.creds = Some(Creds {
                    id: id.to_string(),
                    secret: secret.to_string(),
                });
                basic.problem = Some(BasicProblem::Raw);
            } else {
                basic.problem = Some(problem.unwrap_or(BasicProblem::NotBase64));
            }
            return Some(basic);
        }
    };
    let mut text = text.as_str();
    if let Some(t) = text.strip_suffix('\n') {
        text = t.strip_suffix('\r').unwrap_or(t);
        problem.get_or_insert(BasicProblem::TrailingNewline);
    }
    let Some((id, secret)) = text.split_once(':') else {
        basic.problem = Some(problem.unwrap_or(BasicProblem::NoColon(text.to_string())));
        return Some(basic);
    };
    let creds = Creds {
        id: id.trim().to_string(),
        secret: secret.trim().to_string(),
    };
    if problem.is_none() {
        problem = if creds.id.is_empty() {
            Some(BasicProblem::EmptyPart { part: "client id" })
        } else if creds.secret.is_empty() {
            Some(BasicProblem::EmptyPart {
                part: "client secret",
            })
        } else if unset(&creds.id) {
            Some(BasicProblem::Placeholder {
                part: "client id",
                value: creds.id.clone(),
            })
        } else if unset(&creds.secret) {
            Some(BasicProblem::Placeholder {
                part: "client secret",
                value: creds.secret.clone(),
            })
        } else if is_client_id_shape(&creds.secret) && !is_client_id_shape(&creds.id) {
            Some(BasicProblem::Swapped)
        } else if id != creds.id || secret != creds.secret {
            Some(BasicProblem::Whitespace)
        } else {
            None
        };
    }
    basic.creds = Some(creds);
    basic.problem = problem;
    Some(basic)
}

/// The Basic headers of a request, decoded.
pub(crate) fn basic_headers(req: &Request) -> Vec<Basic> {
    req.headers_named("authorization")
        .filter_map(|h| parse_basic(&h.value))
        .collect()
}

/// Usable credentials from a Basic header: read, and not placeholders or swapped.
pub(crate) fn usable_creds(b: &Basic) -> Option<&Creds> {
    match b.problem {
        Some(BasicProblem::Placeholder { .. })
        | Some(BasicProblem::Swapped)
        | Some(BasicProblem::EmptyPart { .. }) => None,
        _ => b.creds.as_ref(),
    }
}

// ---------------------------------------------------------------------------------------
// grant_type

/// Edit distance (Levenshtein) between two short strings.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The grant the other parameters point to: `authorization_code` with a code,
/// `refresh_token` with a refresh token, None when both or neither.
pub(crate) fn implied_grant(params: &[Sent]) -> Option<&'static str> {
    let code = has_value(params, "code");
    let refresh = has_value(params, "refresh_token");
    match (code, refresh) {
        (true, false) => Some("authorization_code"),
        (false, true) => Some("refresh_token"),
        _ => None,
    }
}

/// The valid grant a misspelled value stands for, by its letters alone.
pub(crate) fn closest_grant(value: &str) -> Option<&'static str> {
    let squashed: String = value
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if squashed.is_empty() {
        return None;
    }
    if squashed.starts_with("refresh") || squashed == "rt" {
        return Some("refresh_token");
    }
    if squashed.starts_with("auth") || squashed == "code" || squashed.contains("code") {
        return Some("authorization_code");
    }
    GRANTS
        .iter()
        .map(|g| (edit_distance(&squashed, &g.replace('_', "")), *g))
        .filter(|(d, _)| *d <= 5)
        .min()
        .map(|(_, g)| g)
}

/// The grant a value means after forgiving case, whitespace, quotes and `-`/space for `_`:
/// used to accept a grant the server would still reject, for the other rules' context.
pub(crate) fn lenient_grant(value: &str) -> Option<&'static str> {
    let v: String = value
        .trim()
        .trim_matches(is_quote)
        .trim()
        .to_ascii_lowercase()
        .replace(['-', ' '], "_");
    GRANTS.iter().copied().find(|g| *g == v)
}

/// Straight, typographic and back quotes.
pub(crate) fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '`' | '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}'
    )
}

/// The grant the request means: its `grant_type` (leniently), else what its params imply.
pub(crate) fn intended_grant(params: &[Sent]) -> Option<&'static str> {
    params
        .iter()
        .filter(|p| p.name == "grant_type")
        .find_map(|p| lenient_grant(&p.value))
        .or_else(|| implied_grant(params))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    #[test]
    fn basic_ok() {
        let b = parse_basic(&format!(
            "Basic {}",
            b64("3458764512345678901:Xy7kP2mQ9vR4tW8zA1bC3dE5fG6hJ0kL")
        ))
        .unwrap();
        assert_eq!(b.problem, None);
        assert_eq!(b.creds.unwrap().id, "3458764512345678901");
        assert!(parse_basic("Bearer abc").is_none());
    }

    #[test]
    fn basic_problems() {
        let p = |v: &str| parse_basic(v).unwrap().problem;
        assert_eq!(p("Basic"), Some(BasicProblem::Empty));
        assert_eq!(p("Basic   "), Some(BasicProblem::Empty));
        assert_eq!(
            p("Basic 3458764512345678901:Xy7kP2mQ9vR4tW8zA1bC3dE5fG6hJ0kL"),
            Some(BasicProblem::Raw)
        );
        assert_eq!(
            p(&format!("Basic {}", b64("3458764512345678901"))),
            Some(BasicProblem::NoColon("3458764512345678901".into()))
        );
        assert_eq!(
            p(&format!(
                "Basic {}",
                b64("3458764512345678901:Xy7kP2mQ9vR4tW8zA1bC3dE5fG6hJ0kL\n")
            )),
            Some(BasicProblem::TrailingNewline)
        );
        assert_eq!(
            p(&format!("Basic {}", b64("undefined:undefined"))),
            Some(BasicProblem::Placeholder {
                part: "client id",
                value: "undefined".into()
            })
        );
        assert_eq!(
            p(&format!(
                "Basic {}",
                b64("Xy7kP2mQ9vR4tW8zA1bC3dE5fG6hJ0kL:3458764512345678901")
            )),
            Some(BasicProblem::Swapped)
        );
        let enc = b64("3458764512345678901:Xy7kP2mQ9vR4tW8zA1bC3dE5fG6hJ0kL");
        assert_eq!(
            p(&format!("Basic {}", enc.trim_end_matches('='))),
            Some(BasicProblem::Unpadded)
        );
        let wrapped = format!("Basic {}\\n{}", &enc[..20], &enc[20..]);
        assert_eq!(p(&wrapped), Some(BasicProblem::Wrapped));
        assert_eq!(p("Basic \"abc\""), Some(BasicProblem::Quoted));
        assert_eq!(p("Basic !!!"), Some(BasicProblem::NotBase64));
        // `?` and `>` encode to `/` and `+` in standard base64 and to `_` and `-` in base64url.
        let url = base64::engine::general_purpose::URL_SAFE.encode("3458764512345678901:a?b>c");
        assert!(url.contains(['-', '_']), "{url}");
        assert_eq!(p(&format!("Basic {url}")), Some(BasicProblem::UrlSafe));
    }

    #[test]
    fn grants() {
        assert_eq!(
            closest_grant("authorisation_code"),
            Some("authorization_code")
        );
        assert_eq!(closest_grant("auth_code"), Some("authorization_code"));
        assert_eq!(closest_grant("code"), Some("authorization_code"));
        assert_eq!(closest_grant("refresh"), Some("refresh_token"));
        assert_eq!(closest_grant("refreshtoken"), Some("refresh_token"));
        assert_eq!(
            lenient_grant(" \"Authorization-Code\"\n"),
            Some("authorization_code")
        );
        assert_eq!(lenient_grant("client_credentials"), None);
    }

    #[test]
    fn canonical_names() {
        assert_eq!(canonical("clientSecret"), Some("client_secret"));
        assert_eq!(canonical("redirect_url"), Some("redirect_uri"));
        assert_eq!(canonical("Grant-Type"), Some("grant_type"));
        assert_eq!(canonical("scope"), None);
    }

    #[test]
    fn multipart_text() {
        let req = Request {
            method: "POST".into(),
            url: "https://api.miro.com/v1/oauth/token".into(),
            headers: vec![crate::model::Header {
                name: "Content-Type".into(),
                value: "multipart/form-data; boundary=XyZ".into(),
            }],
            body: Some(Body::Text(
                "--XyZ\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nauthorization_code\r\n--XyZ--\r\n".into(),
            )),
            curl: None,
            params_cache: Default::default(),
        };
        let p = sent_params(&req);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].place, Place::Multipart);
        assert_eq!(p[0].value, "authorization_code");
    }
    fn curl_req(data: &[(&str, &str, bool)]) -> Request {
        let data: Vec<crate::model::CurlData> = data
            .iter()
            .map(|(flag, arg, urlencoded)| crate::model::CurlData {
                flag: flag.to_string(),
                arg: arg.to_string(),
                urlencoded: *urlencoded,
            })
            .collect();
        let body = data
            .iter()
            .map(|d| d.arg.clone())
            .collect::<Vec<_>>()
            .join("&");
        Request {
            method: "POST".into(),
            url: "https://api.miro.com/v1/oauth/token".into(),
            headers: vec![crate::model::Header {
                name: "Content-Type".into(),
                value: FORM.into(),
            }],
            body: Some(Body::Text(body)),
            curl: Some(crate::model::CurlDetails {
                data,
                dialect: "bash",
                ..Default::default()
            }),
            params_cache: Default::default(),
        }
    }

    #[test]
    fn curl_data() {
        let p = |d: &[(&str, &str, bool)]| curl_data_problems(&curl_req(d));
        assert!(p(&[(
            "-d",
            "redirect_uri=https://app.example.com/oauth/callback",
            false
        )])
        .is_empty());
        assert!(p(&[(
            "-d",
            "redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb",
            false
        )])
        .is_empty());
        assert!(p(&[(
            "-d",
            "redirect_uri=https://app.example.com/cb?tenant=acme",
            false
        )])
        .is_empty());
        assert!(matches!(
            p(&[(
                "-d",
                "redirect_uri=https://app.example.com/cb?x=1&y=2",
                false
            )])[0],
            DataProblem::Split { .. }
        ));
        assert!(matches!(
            p(&[("--data-raw", "code=abc+def", false)])[0],
            DataProblem::Plus { .. }
        ));
        assert!(p(&[("--data-urlencode", "code=abc+def", true)]).is_empty());
        assert!(matches!(
            p(&[(
                "--data-urlencode",
                "grant_type=authorization_code&code=x&client_secret=y",
                true
            )])[0],
            DataProblem::Swallowed { .. }
        ));
        assert!(matches!(
            p(&[(
                "--data-urlencode",
                "redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb",
                true
            )])[0],
            DataProblem::DoubleEncoded { .. }
        ));
        assert!(matches!(
            p(&[("-d", "code=ab%zzcd", false)])[0],
            DataProblem::StrayPercent { .. }
        ));
        let req = curl_req(&[(
            "--data-urlencode",
            "grant_type=authorization_code&code=x",
            true,
        )]);
        assert!(sent_params(&req)
            .iter()
            .any(|s| s.place == Place::Swallowed && s.name == "code"));
    }
}
