//! The normalized capture model: every input kind (curl, URL, raw HTTP, HAR) is parsed into
//! [`Exchange`]s — a request, maybe its response — collected in a time-ordered [`Flow`].
//!
//! Rules read only this model; they never look at the text the user pasted. Values are kept
//! as they were written (raw query strings, raw header values) because many lints are about
//! *how* a request was written, and decoded views are computed on demand.

use serde::Serialize;

/// What kind of text an input was detected as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// A curl command line (bash, cmd or PowerShell dialect).
    Curl,
    /// A bare URL (authorize link, callback URL, REST URL).
    Url,
    /// A raw HTTP/1.x request, optionally followed by its response.
    Http,
    /// A HAR (HTTP Archive) file.
    Har,
}

impl InputKind {
    /// The name used in output (`curl`, `url`, `http`, `har`).
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::Curl => "curl",
            InputKind::Url => "url",
            InputKind::Http => "http",
            InputKind::Har => "har",
        }
    }
}

/// One input as given on the command line, in order.
#[derive(Clone, Debug, Serialize)]
pub struct InputInfo {
    /// Position among the inputs (0-based).
    pub index: usize,
    /// Detected kind.
    pub kind: InputKind,
    /// Where it came from: a file path, `-` for stdin, or `<arg>` for inline text.
    pub source: String,
    /// For a HAR input: what the reader saw (entries, kept, hosts, sanitization marks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub har: Option<HarInfo>,
}

/// What a HAR input held overall, beyond the entries kept for the rules.
#[derive(Clone, Debug, Serialize)]
pub struct HarInfo {
    /// Entries in `log.entries`.
    pub entries: usize,
    /// Entries kept (OAuth-relevant: Miro hosts, callbacks).
    pub kept: usize,
    /// The export carries no `Authorization` header and no cookie at all: Chrome's default
    /// ("sanitized") export, or a hand-sanitized file.
    pub sanitized: bool,
    /// The reader's full summary.
    #[serde(skip)]
    pub summary: crate::input::har::HarSummary,
}

/// A name/value pair as written (headers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// Header name as written (case kept).
    pub name: String,
    /// Header value as written (surrounding whitespace trimmed).
    pub value: String,
}

/// A decoded parameter of a query string or form body, with its raw spelling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// Decoded name.
    pub name: String,
    /// Decoded value (`+` → space, percent-decoding applied).
    pub value: String,
    /// The value exactly as it appeared between `=` and the next `&`.
    pub raw: String,
}

/// Where a request carried a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamPlace {
    /// In the URL query string.
    Query,
    /// In an `application/x-www-form-urlencoded` body.
    Form,
    /// A key of a JSON object body.
    Json,
    /// A part of a multipart body.
    Multipart,
}

/// A parameter found anywhere in a request (see [`Request::params`]).
#[derive(Clone, Debug)]
pub struct PlacedParam {
    /// Where it was.
    pub place: ParamPlace,
    /// The parameter.
    pub param: Param,
}

/// One `-d`-style data argument of a curl command, kept for lints about curl encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurlData {
    /// The option as written (`-d`, `--data-raw`, `--data-urlencode`, `--json`, …).
    pub flag: String,
    /// The argument as the shell delivered it (before curl's own processing).
    pub arg: String,
    /// Whether curl URL-encodes it (`--data-urlencode`).
    pub urlencoded: bool,
}

/// One `-F` part of a curl command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormPart {
    /// The part name.
    pub name: String,
    /// The value, or the file path when `file` is set.
    pub value: String,
    /// The part reads a file (`name=@path` or `name=<path`).
    pub file: bool,
}

/// Facts only a curl command can tell (how the request was written, not what was sent).
#[derive(Clone, Debug, Default)]
pub struct CurlDetails {
    /// `-X/--request` as given, if any.
    pub explicit_method: Option<String>,
    /// The data arguments in order.
    pub data: Vec<CurlData>,
    /// `-F/--form` parts.
    pub form: Vec<FormPart>,
    /// `-G/--get` was given (data goes into the query).
    pub get: bool,
    /// `-u/--user` value, if any.
    pub user: Option<String>,
    /// Shell dialect the command was read as (`bash`, `cmd`, `powershell`).
    pub dialect: &'static str,
    /// Options the parser did not know, kept for the record.
    pub unknown_options: Vec<String>,
    /// Options that take headers, credentials or options from a file this tool cannot see
    /// (`-H @file`, `-K file`, `-n`/`--netrc`, `--netrc-file F`, `-b cookie-file`), as
    /// written: a credential missing from the command may be in there.
    pub unseen: Vec<String>,
}

/// A request body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// Bytes as text (lossy UTF-8 where the capture was not valid UTF-8).
    Text(String),
    /// A multipart body described by its parts (curl `-F`, HAR `params` of a multipart post).
    Multipart(Vec<FormPart>),
}

/// An HTTP request as captured.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// Method as sent (curl's inferred method when no `-X` was given).
    pub method: String,
    /// The URL exactly as written (for curl with `-G`, data already appended).
    pub url: String,
    /// Headers in order, as written (for curl: `-H`, plus `-u`/`-b`/`--json` equivalents).
    pub headers: Vec<Header>,
    /// The body, if any.
    pub body: Option<Body>,
    /// Curl-only facts, when the request came from a curl command.
    pub curl: Option<CurlDetails>,
    /// The parameters, parsed on first use by [`Request::params`] (dozens of rules read them;
    /// a 100 MB body must not be decoded once per rule). Build requests with
    /// `params_cache: Default::default()`, and do not change the URL or body after reading
    /// parameters.
    pub params_cache: std::sync::OnceLock<Vec<PlacedParam>>,
}

/// An HTTP response as captured (HAR, a pasted raw response, or `--response`).
#[derive(Clone, Debug, Default)]
pub struct Response {
    /// Status code (0 when unknown, e.g. a HAR entry that never completed).
    pub status: u16,
    /// Headers in order.
    pub headers: Vec<Header>,
    /// Body text, if captured.
    pub body: Option<String>,
}

/// One request (and maybe its response) from one input.
#[derive(Clone, Debug)]
pub struct Exchange {
    /// Index into [`Flow::inputs`].
    pub input: usize,
    /// HAR entry index, when the input is a HAR file.
    pub entry: Option<usize>,
    /// When the request started, when the capture says so (HAR `startedDateTime`).
    pub started: Option<jiff::Timestamp>,
    /// The request.
    pub request: Request,
    /// The response, when captured.
    pub response: Option<Response>,
}

/// Everything the tool can see, in time order: the inputs in the order given, and within a
/// HAR its entries by `startedDateTime`.
#[derive(Clone, Debug, Default)]
pub struct Flow {
    /// The inputs.
    pub inputs: Vec<InputInfo>,
    /// The exchanges, in order.
    pub exchanges: Vec<Exchange>,
}

/// Case-insensitive header lookup over a list of headers.
pub fn find_header<'a>(headers: &'a [Header], name: &str) -> Option<&'a Header> {
    headers.iter().find(|h| h.name.eq_ignore_ascii_case(name))
}

/// Splits a raw `a=b&c=d` string into decoded params, keeping each raw value.
pub fn parse_params(raw: &str) -> Vec<Param> {
    raw.split('&')
        .filter(|s| !s.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Param {
                name: decode_component(name),
                value: decode_component(value),
                raw: value.to_string(),
            }
        })
        .collect()
}

/// Decodes one `application/x-www-form-urlencoded` component (`+` is a space).
pub fn decode_component(s: &str) -> String {
    let plus = s.replace('+', " ");
    percent_encoding::percent_decode_str(&plus)
        .decode_utf8_lossy()
        .into_owned()
}

/// The pieces of a URL as written, without normalisation (see `url` crate caveats in
/// crates.md: parsing lower-cases hosts and re-encodes characters, so lints read these).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawUrl<'a> {
    /// Scheme as written, without `://` (empty when the URL had none).
    pub scheme: &'a str,
    /// `host[:port]` as written (userinfo removed).
    pub authority: &'a str,
    /// Host as written, without port.
    pub host: &'a str,
    /// Port as written, if any.
    pub port: Option<&'a str>,
    /// Path as written (may be empty).
    pub path: &'a str,
    /// Query string without `?`, if the URL had a `?`.
    pub query: Option<&'a str>,
    /// Fragment without `#`, if any.
    pub fragment: Option<&'a str>,
}

impl<'a> RawUrl<'a> {
    /// Splits `s` into its raw parts. Never fails: odd input gives odd parts.
    pub fn split(s: &'a str) -> RawUrl<'a> {
        let s = s.trim();
        let (before_frag, fragment) = match s.find('#') {
            Some(i) => (&s[..i], Some(&s[i + 1..])),
            None => (s, None),
        };
        let (before_query, query) = match before_frag.find('?') {
            Some(i) => (&before_frag[..i], Some(&before_frag[i + 1..])),
            None => (before_frag, None),
        };
        let (scheme, rest) = match before_query.find("://") {
            Some(i)
                if before_query[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)) =>
            {
                (&before_query[..i], &before_query[i + 3..])
            }
            _ => ("", before_query),
        };
        let (authority_full, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let authority = match authority_full.rfind('@') {
            Some(i) => &authority_full[i + 1..],
            None => authority_full,
        };
        let (host, port) = if authority.starts_with('[') {
            match authority.find(']') {
                Some(i) => {
                    let port = authority[i + 1..].strip_prefix(':');
                    (&authority[..=i], port)
                }
                None => (authority, None),
            }
        } else {
            match authority.rfind(':') {
                Some(i) => (&authority[..i], Some(&authority[i + 1..])),
                None => (authority, None),
            }
        };
        RawUrl {
            scheme,
            authority,
            host,
            port,
            path,
            query,
            fragment,
        }
    }
}

impl Request {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&Header> {
        find_header(&self.headers, name)
    }

    /// All headers with this name (case-insensitive).
    pub fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Header> + 'a {
        self.headers
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
    }

    /// The URL split into raw parts.
    pub fn raw_url(&self) -> RawUrl<'_> {
        RawUrl::split(&self.url)
    }

    /// Lower-cased host, without port or trailing dot.
    pub fn host(&self) -> String {
        self.raw_url()
            .host
            .trim_end_matches('.')
            .to_ascii_lowercase()
    }

    /// The decoded query parameters, in order.
    pub fn query_params(&self) -> Vec<Param> {
        self.placed(ParamPlace::Query)
    }

    /// The cached params of one place.
    fn placed(&self, place: ParamPlace) -> Vec<Param> {
        self.params_ref()
            .iter()
            .filter(|p| p.place == place)
            .map(|p| p.param.clone())
            .collect()
    }

    /// The media type of the body (`Content-Type` without parameters, lower-cased).
    pub fn content_type(&self) -> Option<String> {
        self.header("content-type").map(|h| {
            h.value
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
    }

    /// The body as text, if it is a text body.
    pub fn body_text(&self) -> Option<&str> {
        match &self.body {
            Some(Body::Text(t)) => Some(t),
            _ => None,
        }
    }

    /// The body parsed as form params, when the request declares
    /// `application/x-www-form-urlencoded`.
    pub fn form_params(&self) -> Vec<Param> {
        self.placed(ParamPlace::Form)
    }

    fn parse_form_params(&self) -> Vec<Param> {
        match (self.content_type().as_deref(), self.body_text()) {
            (Some("application/x-www-form-urlencoded"), Some(text)) => parse_params(text.trim()),
            _ => Vec::new(),
        }
    }

    /// The body parsed as JSON, when it parses.
    pub fn json_body(&self) -> Option<serde_json::Value> {
        let text = self.body_text()?.trim();
        if !(text.starts_with('{') || text.starts_with('[')) {
            return None;
        }
        serde_json::from_str(text).ok()
    }

    /// Every parameter the request carries, wherever it is: query, form body, top-level
    /// keys of a JSON object body (string/number values), multipart text parts.
    pub fn params(&self) -> Vec<PlacedParam> {
        self.params_ref().to_vec()
    }

    /// [`Request::params`] without copying: parsed once, then borrowed.
    pub fn params_ref(&self) -> &[PlacedParam] {
        self.params_cache.get_or_init(|| self.parse_all_params())
    }

    fn parse_all_params(&self) -> Vec<PlacedParam> {
        let mut out: Vec<PlacedParam> = self
            .raw_url()
            .query
            .map(parse_params)
            .unwrap_or_default()
            .into_iter()
            .map(|param| PlacedParam {
                place: ParamPlace::Query,
                param,
            })
            .collect();
        out.extend(
            self.parse_form_params()
                .into_iter()
                .map(|param| PlacedParam {
                    place: ParamPlace::Form,
                    param,
                }),
        );
        if let Some(serde_json::Value::Object(map)) = self.json_body() {
            for (k, v) in map {
                let value = match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                };
                out.push(PlacedParam {
                    place: ParamPlace::Json,
                    param: Param {
                        name: k,
                        raw: value.clone(),
                        value,
                    },
                });
            }
        }
        if let Some(Body::Multipart(parts)) = &self.body {
            for p in parts.iter().filter(|p| !p.file) {
                out.push(PlacedParam {
                    place: ParamPlace::Multipart,
                    param: Param {
                        name: p.name.clone(),
                        value: p.value.clone(),
                        raw: p.value.clone(),
                    },
                });
            }
        }
        out
    }

    /// The first parameter with this exact name, wherever it is.
    pub fn param(&self, name: &str) -> Option<PlacedParam> {
        self.params_ref()
            .iter()
            .find(|p| p.param.name == name)
            .cloned()
    }
}

impl Response {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&Header> {
        find_header(&self.headers, name)
    }

    /// The body parsed as JSON, when it parses.
    pub fn json_body(&self) -> Option<serde_json::Value> {
        serde_json::from_str(self.body.as_deref()?.trim()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_url_keeps_spelling() {
        let u = RawUrl::split("HTTPS://User@WWW.Example.com:8443/cb/?a=1&b=%2F#frag");
        assert_eq!(u.scheme, "HTTPS");
        assert_eq!(u.host, "WWW.Example.com");
        assert_eq!(u.port, Some("8443"));
        assert_eq!(u.path, "/cb/");
        assert_eq!(u.query, Some("a=1&b=%2F"));
        assert_eq!(u.fragment, Some("frag"));
    }

    #[test]
    fn params_decode_and_keep_raw() {
        let p = parse_params("code=a+b%2Bc&x");
        assert_eq!(p[0].value, "a b+c");
        assert_eq!(p[0].raw, "a+b%2Bc");
        assert_eq!(p[1].name, "x");
        assert_eq!(p[1].value, "");
    }
}
