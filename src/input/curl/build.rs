//! From parsed curl options to the [`Request`]s curl would send, one per URL.
//!
//! * **Method** (curl `tool_operate.c`, `lib/http.c`): `-X` as typed; else `HEAD` for `-I`,
//!   `PUT` for a URL with `-T`, `GET` for `-G`, `POST` when there is data or `-F`, else `GET`.
//!   Safari's "Copy as cURL" writes `-X null` when it does not know the method; that is
//!   treated as no `-X` (recorded in `explicit_method` all the same).
//! * **URL**: `http://` is prepended when there is no `scheme://` (what curl guesses for a
//!   bare host); `-T file` appends the file name when the path is empty or ends in `/`;
//!   `-G` appends the data to the query, otherwise `--url-query` does (curl lets `-G` data
//!   win); joining uses `&` unless the query is empty or already ends in `&`
//!   (`CURLU_APPENDQUERY`).
//! * **Headers**, in the order curlconverter's HTTP generator shows them: the generated
//!   `Authorization` first (`--oauth2-bearer`, else Basic from `-u` or URL credentials when no
//!   other auth method was asked for), then `-H` in order, then `Cookie` (`-b` strings joined
//!   with `; `), `User-Agent` (`-A`), `Referer` (`-e`, `;auto` removed), `Range` (`-r`), and
//!   last the implied `Content-Type` (`application/x-www-form-urlencoded` for data,
//!   `application/json` for `--json`, `multipart/form-data` for `-F`) and `Accept:
//!   application/json` for `--json`. A generated header is left out when a `-H` names the
//!   same header — including the `-H 'Name:'` form, which tells curl to drop an internal
//!   header and is itself not sent. `-H 'Name;'` sends an empty header. `-H @file` (headers
//!   read from a file) and `-H` values with neither `:` nor `;` are not sent (curl ignores
//!   the latter too). Curl's own `Host`, `User-Agent: curl/…`, `Accept: */*`,
//!   `Content-Length` and `--compressed`'s `Accept-Encoding` are not added: they are not
//!   "written" by the user.
//! * **Body**: data arguments joined with `&` (`--json` pieces are concatenated), as curl's
//!   `set_data()` does; `@file` is not read and stays literal, `@-` takes a heredoc /
//!   here-string (CR/LF stripped for `-d`/`--data-ascii`, as curl does for files) or becomes
//!   `@<file>` for `< file`; `--data-urlencode` follows curl's `data_urlencode()`. With `-F`
//!   (and no data, which wins like in curlconverter) the body is [`Body::Multipart`]; with
//!   only `-T` it is the upload's file name (the file is not read), like curlconverter's
//!   HTTP generator.

use base64::Engine as _;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::options::{form_parts, DataArg, DataKind, Operation};
use super::shell::{ellipsize, Stdin, Word};
use super::Dialect;
use crate::error::ParseError;
use crate::model::{Body, CurlData, CurlDetails, FormPart, Header, RawUrl, Request};

/// What `curl_easy_escape()` leaves alone: ALPHA, DIGIT and `-._~` (RFC 3986 unreserved).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Builds the requests of a command's operations.
pub(super) fn requests(
    ops: Vec<Operation>,
    stdin: &Stdin,
    dialect: Dialect,
) -> Result<Vec<Request>, ParseError> {
    let mut out = Vec::new();
    for op in ops {
        check_expansion(&op, stdin)?;
        let form: Vec<FormPart> = op
            .forms
            .iter()
            .flat_map(|(literal, arg)| form_parts(*literal, arg))
            .collect();
        let data = (!op.data.is_empty()).then(|| join_data(&op.data, stdin));
        let json = op.data.iter().any(|d| d.kind == DataKind::Json);
        let query = match (&data, op.get) {
            (Some(d), true) => Some(d.clone()),
            _ if !op.url_queries.is_empty() => Some(
                op.url_queries
                    .iter()
                    .map(|q| match q.strip_prefix('+') {
                        Some(verbatim) => verbatim.to_string(),
                        None => data_urlencode(q, stdin),
                    })
                    .collect::<Vec<_>>()
                    .join("&"),
            ),
            _ => None,
        };
        let custom: Vec<HeaderArg> = op.headers.iter().map(|h| header_arg(h)).collect();
        let named = |name: &str| {
            custom.iter().any(|h| match h {
                HeaderArg::Send(h) => h.name.eq_ignore_ascii_case(name),
                HeaderArg::Remove(n) => n.eq_ignore_ascii_case(name),
                HeaderArg::Skip => false,
            })
        };
        let details = CurlDetails {
            explicit_method: op.method.clone(),
            data: op
                .data
                .iter()
                .map(|d| CurlData {
                    flag: d.flag.clone(),
                    arg: d.arg.clone(),
                    urlencoded: d.kind == DataKind::UrlEncode,
                })
                .collect(),
            form: form.clone(),
            get: op.get,
            user: op.user.clone(),
            dialect: dialect.as_str(),
            unknown_options: op.unknown.clone(),
            unseen: op.unseen.clone(),
        };

        for (k, url_word) in op.urls.iter().enumerate() {
            check_url(url_word)?;
            let mut url = with_scheme(&url_word.text);
            let upload =
                op.uploads
                    .get(k)
                    .filter(|f| !f.is_empty())
                    .map(|f| match (f.as_str(), stdin) {
                        ("-" | ".", Stdin::File(file)) => file.clone(),
                        _ => f.clone(),
                    });
            if let Some(file) = &upload {
                url = append_file_name(&url, file);
            }
            if let Some(q) = &query {
                url = append_query(&url, q);
            }

            let inferred_method = op.method.as_deref().filter(|m| *m != "null");
            let method = match inferred_method {
                Some(m) => m.to_string(),
                None if op.head => "HEAD".to_string(),
                None if upload.is_some() => "PUT".to_string(),
                None if op.get => "GET".to_string(),
                None if data.is_some() || !form.is_empty() => "POST".to_string(),
                None => "GET".to_string(),
            };

            let body = match (&data, op.get) {
                (Some(d), false) => Some(Body::Text(d.clone())),
                _ if !form.is_empty() && data.is_none() => Some(Body::Multipart(form.clone())),
                _ => upload.as_ref().map(|f| {
                    Body::Text(match (f.as_str(), stdin) {
                        ("-" | ".", Stdin::Content(c)) => c.clone(),
                        _ => f.clone(),
                    })
                }),
            };

            let mut headers = Vec::new();
            if !named("authorization") {
                if let Some(token) = &op.bearer {
                    headers.push(header("Authorization", format!("Bearer {token}")));
                } else if op.auth.sends_basic() {
                    if let Some(creds) = op.user.clone().or_else(|| url_credentials(&url)) {
                        let creds = if creds.contains(':') {
                            creds
                        } else {
                            format!("{creds}:")
                        };
                        let b64 = base64::engine::general_purpose::STANDARD.encode(creds);
                        headers.push(header("Authorization", format!("Basic {b64}")));
                    }
                }
            }
            for h in &custom {
                if let HeaderArg::Send(h) = h {
                    headers.push(h.clone());
                }
            }
            if !op.cookies.is_empty() && !named("cookie") {
                headers.push(header("Cookie", op.cookies.join("; ")));
            }
            if let Some(ua) = op.user_agent.as_ref().filter(|ua| !ua.is_empty()) {
                if !named("user-agent") {
                    headers.push(header("User-Agent", ua.clone()));
                }
            }
            if let Some(referer) = &op.referer {
                let referer = referer.strip_suffix(";auto").unwrap_or(referer);
                if !referer.is_empty() && !named("referer") {
                    headers.push(header("Referer", referer.to_string()));
                }
            }
            if let Some(range) = &op.range {
                if !named("range") {
                    let dash = if range.contains('-') { "" } else { "-" };
                    headers.push(header("Range", format!("bytes={range}{dash}")));
                }
            }
            if !named("content-type") {
                match &body {
                    _ if json => headers.push(header("Content-Type", "application/json")),
                    Some(Body::Text(_)) if data.is_some() => {
                        headers.push(header("Content-Type", "application/x-www-form-urlencoded"))
                    }
                    Some(Body::Multipart(_)) => {
                        headers.push(header("Content-Type", "multipart/form-data"))
                    }
                    _ => {}
                }
            }
            if json && !named("accept") {
                headers.push(header("Accept", "application/json"));
            }

            out.push(Request {
                method,
                url,
                headers,
                body,
                curl: Some(details.clone()),
                params_cache: Default::default(),
            });
        }
    }
    Ok(out)
}

/// Most bytes the requests of one operation may take once built (see [`check_expansion`]).
const MAX_EXPANSION: usize = 32 << 20;

/// Refuses an operation whose requests would take far more memory than the command's own
/// text: curl sends the same data, headers and form parts to every URL of an operation, and
/// `-F 'name=@a,b,c'` makes one part (named `name`) per file. Built naively, 2,000 `-d` and
/// 2,000 URLs (50 KB of text) became 4 million data copies and over a gigabyte; one long
/// part name with 100,000 commas, gigabytes too. Real commands have a URL or two, so the
/// check only bites when the requests would exceed both [`MAX_EXPANSION`] and 8 times the
/// operation's own size. A heredoc read by `@-` counts once per argument that reads it.
fn check_expansion(op: &Operation, stdin: &Stdin) -> Result<(), ParseError> {
    // Per value: the struct and allocation overhead beyond its text.
    const EACH: usize = 64;
    let content = match stdin {
        Stdin::Content(c) => c.len(),
        _ => 0,
    };
    let urlencode_reads_stdin = |a: &str| !a.contains('=') && a.ends_with("@-");
    let mut written = content;
    let mut per_request = 0usize;
    // The parts of `per_request` that name the cause in the message.
    let (mut stdin_reads, mut stdin_bytes, mut form_bytes) = (0usize, 0usize, 0usize);
    for d in &op.data {
        written += d.flag.len() + d.arg.len();
        // The argument is kept in the curl details and joined into the body (or query).
        per_request += d.flag.len() + 2 * d.arg.len() + 2 * EACH;
        // What reads the heredoc copies it (percent-encoding may triple it).
        let copied = match d.kind {
            DataKind::Raw => 0,
            DataKind::UrlEncode if urlencode_reads_stdin(&d.arg) => 3 * content,
            DataKind::UrlEncode => 0,
            _ if d.arg == "@-" => content,
            _ => 0,
        };
        stdin_reads += usize::from(copied > 0);
        stdin_bytes = stdin_bytes.saturating_add(copied);
    }
    for q in &op.url_queries {
        if !q.starts_with('+') && urlencode_reads_stdin(q) {
            stdin_reads += 1;
            stdin_bytes = stdin_bytes.saturating_add(3 * content);
        }
    }
    if op.uploads.iter().any(|u| u == "-" || u == ".") {
        stdin_reads += 1;
        stdin_bytes = stdin_bytes.saturating_add(content);
    }
    per_request = per_request.saturating_add(stdin_bytes);
    for h in op
        .headers
        .iter()
        .chain(&op.cookies)
        .chain(&op.url_queries)
        .chain(&op.unknown)
    {
        written += h.len();
        per_request += h.len() + EACH;
    }
    let mut most_parts = (0usize, "");
    for (_, arg) in &op.forms {
        written += arg.len();
        let name = arg.split_once('=').map_or(arg.as_str(), |(n, _)| n);
        let parts = 1 + arg.bytes().filter(|&b| b == b',').count();
        // Each part repeats the name; parts are kept in the details and in the body.
        let bytes = parts
            .saturating_mul(name.len() + EACH)
            .saturating_add(arg.len());
        form_bytes = form_bytes.saturating_add(bytes.saturating_mul(2));
        if parts > most_parts.0 {
            most_parts = (parts, name);
        }
    }
    per_request = per_request.saturating_add(form_bytes);
    let urls = op.urls.len().max(1);
    let total = per_request.saturating_mul(urls);
    if total <= MAX_EXPANSION || total <= written.saturating_mul(8) {
        return Ok(());
    }
    let message = if urls > 1 {
        format!(
            "this curl command sends its data, headers and form parts ({}) to each of its {urls} urls: {} of requests, more than the {} this tool reads; expected one url per command (split the command, or put --next between the urls)",
            mib(per_request),
            mib(total),
            mib(MAX_EXPANSION)
        )
    } else if stdin_bytes > form_bytes {
        format!(
            "this curl command reads its here-document ({}) with @- in {stdin_reads} arguments: {} of requests, more than the {} this tool reads; expected @- in one argument",
            mib(content),
            mib(total),
            mib(MAX_EXPANSION)
        )
    } else {
        format!(
            "-F '{}=@...' names {} files, one form part each: {} of requests, more than the {} this tool reads; expected a few files per -F option",
            if most_parts.1.chars().count() > 40 {
                most_parts.1.chars().take(40).chain("...".chars()).collect()
            } else {
                most_parts.1.to_string()
            },
            most_parts.0,
            mib(total),
            mib(MAX_EXPANSION)
        )
    };
    Err(ParseError::new(op.offset, message))
}

/// `12.5 MiB`.
fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / f64::from(1u32 << 20))
}

/// A generated header.
fn header(name: &str, value: impl Into<String>) -> Header {
    Header {
        name: name.to_string(),
        value: value.into(),
    }
}

/// What a `-H` argument does.
enum HeaderArg {
    /// Sent as is (`Name: value`, or `Name;` for an empty value).
    Send(Header),
    /// `Name:` with nothing after the colon: curl drops its own header of that name.
    Remove(String),
    /// Not sent: `@file` or no `:`/`;` at all.
    Skip,
}

fn header_arg(arg: &str) -> HeaderArg {
    if arg.starts_with('@') {
        return HeaderArg::Skip;
    }
    if let Some((name, value)) = arg.split_once(':') {
        let value = value.trim();
        return if value.is_empty() {
            HeaderArg::Remove(name.trim().to_string())
        } else {
            HeaderArg::Send(header(name.trim(), value))
        };
    }
    match arg.split_once(';') {
        Some((name, rest)) if rest.trim().is_empty() => {
            HeaderArg::Send(header(name.trim(), String::new()))
        }
        _ => HeaderArg::Skip,
    }
}

/// Joins the data arguments into the body (or the `-G` query), like curl's `set_data()`.
fn join_data(data: &[DataArg], stdin: &Stdin) -> String {
    let mut out = String::new();
    for d in data {
        let piece = match d.kind {
            DataKind::Raw => d.arg.clone(),
            DataKind::UrlEncode => data_urlencode(&d.arg, stdin),
            DataKind::Data | DataKind::Ascii | DataKind::Binary | DataKind::Json => {
                match (d.arg.as_str(), stdin) {
                    ("@-", Stdin::Content(c)) => {
                        if matches!(d.kind, DataKind::Data | DataKind::Ascii) {
                            // curl reads `-d @file` line by line, dropping CR and LF
                            c.chars().filter(|&ch| ch != '\r' && ch != '\n').collect()
                        } else {
                            c.clone()
                        }
                    }
                    ("@-", Stdin::File(f)) => format!("@{f}"),
                    // `@file` is not read: the body names the file, like curlconverter
                    (arg, _) => arg.to_string(),
                }
            }
        };
        // curl adds `&` only between pieces, and never before a `--json` piece
        if !out.is_empty() && d.kind != DataKind::Json {
            out.push('&');
        }
        out.push_str(&piece);
    }
    out
}

/// `--data-urlencode` / `--url-query` content, like curl's `data_urlencode()`:
/// `content` and `=content` → encoded content; `name=content` → `name=` + encoded content;
/// `@file` / `name@file` → the file's content encoded (a heredoc's for `@-`; otherwise the
/// file is not read and `[name=]@file` stays literal).
fn data_urlencode(arg: &str, stdin: &Stdin) -> String {
    let prefix = |name: &str| {
        if name.is_empty() {
            String::new()
        } else {
            format!("{name}=")
        }
    };
    if let Some((name, content)) = arg.split_once('=') {
        return prefix(name) + &urlencode_plus(content);
    }
    if let Some((name, file)) = arg.split_once('@') {
        return match (file, stdin) {
            ("-", Stdin::Content(c)) => prefix(name) + &urlencode_plus(c),
            ("-", Stdin::File(f)) => format!("{}@{f}", prefix(name)),
            _ => format!("{}@{file}", prefix(name)),
        };
    }
    urlencode_plus(arg)
}

/// `curl_easy_escape()` followed by curl's `%20` → `+` replacement.
fn urlencode_plus(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED)
        .to_string()
        .replace("%20", "+")
}

/// Rejects positional arguments that cannot be a URL, with the reason.
fn check_url(word: &Word) -> Result<(), ParseError> {
    let text = word.text.as_str();
    let shown = ellipsize(text, 60);
    if text.is_empty() {
        return Err(ParseError::new(
            word.offset,
            "empty url argument; expected a url such as https://api.miro.com/v1/oauth/token",
        ));
    }
    if text.starts_with([
        '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2212}',
    ]) {
        return Err(ParseError::new(
            word.offset,
            format!(
                "'{shown}' starts with a unicode dash, so curl would read it as a url; expected an option starting with an ascii '-'"
            ),
        ));
    }
    let url = with_scheme(text);
    let raw = RawUrl::split(&url);
    if raw
        .authority
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(ParseError::new(
            word.offset,
            format!(
                "invalid url '{shown}': the host part contains whitespace; expected a url such as https://api.miro.com/v1/oauth/token (is an option missing before this argument?)"
            ),
        ));
    }
    if raw.host.starts_with('-') {
        return Err(ParseError::new(
            word.offset,
            format!(
                "invalid url '{shown}': host '{}' starts with '-'; expected a url such as https://api.miro.com/v1/oauth/token (is an option mistyped?)",
                ellipsize(raw.host, 40)
            ),
        ));
    }
    let web = ["http", "https"]
        .iter()
        .any(|s| raw.scheme.eq_ignore_ascii_case(s));
    if web && raw.host.is_empty() {
        return Err(ParseError::new(
            word.offset,
            format!("invalid url '{shown}': no host; expected a url such as https://api.miro.com/v1/oauth/token"),
        ));
    }
    Ok(())
}

/// Prepends `http://` when the URL has no `scheme://`, as curl does for a bare host.
fn with_scheme(url: &str) -> String {
    let has_scheme = url.find("://").is_some_and(|i| {
        let scheme = url.get(..i).unwrap_or("");
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if has_scheme {
        url.to_string()
    } else {
        format!("http://{url}")
    }
}

/// Byte ranges of a URL's parts as written: (end of authority, end of path).
fn path_bounds(url: &str) -> (usize, usize) {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    let rest = url.get(after_scheme..).unwrap_or("");
    let auth_end = after_scheme + rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let tail = url.get(auth_end..).unwrap_or("");
    let path_end = auth_end + tail.find(['?', '#']).unwrap_or(tail.len());
    (auth_end, path_end)
}

/// `-T file`: curl appends the file's name (URL-encoded) when the URL's path is empty or ends
/// in `/` (`tool_operhlp.c`, `add_file_name_to_url()`).
fn append_file_name(url: &str, file: &str) -> String {
    let (auth_end, path_end) = path_bounds(url);
    let path = url.get(auth_end..path_end).unwrap_or("");
    if !(path.is_empty() || path.ends_with('/')) {
        return url.to_string();
    }
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let slash = if path.is_empty() { "/" } else { "" };
    format!(
        "{}{slash}{}{}",
        url.get(..path_end).unwrap_or(url),
        utf8_percent_encode(name, UNRESERVED),
        url.get(path_end..).unwrap_or("")
    )
}

/// Appends `q` to the URL's query (before any fragment).
fn append_query(url: &str, q: &str) -> String {
    if q.is_empty() {
        return url.to_string();
    }
    let frag_at = url.find('#').unwrap_or(url.len());
    let (base, frag) = url.split_at(frag_at);
    let joined = match base.find('?') {
        Some(qi) => {
            let existing = base.get(qi + 1..).unwrap_or("");
            let amp = if existing.is_empty() || existing.ends_with('&') {
                ""
            } else {
                "&"
            };
            format!("{base}{amp}{q}")
        }
        None => format!("{base}?{q}"),
    };
    joined + frag
}

/// `user:password` from the URL's userinfo, percent-decoded (curl uses it for Basic auth).
fn url_credentials(url: &str) -> Option<String> {
    let (auth_end, _) = path_bounds(url);
    let start = url.find("://").map(|i| i + 3)?;
    let authority = url.get(start..auth_end)?;
    let (userinfo, _) = authority.rsplit_once('@')?;
    Some(
        percent_encoding::percent_decode_str(userinfo)
            .decode_utf8_lossy()
            .into_owned(),
    )
}
