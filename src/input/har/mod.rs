//! HAR files (HTTP Archive 1.1/1.2/1.3, version optional), read as a stream: memory stays
//! bounded by the largest *kept* entry, not by the file, so HARs of many GB can be diagnosed.
//!
//! How: `scan` walks the JSON byte by byte over a fixed-size window, skipping every value it
//! does not need without building it, and reads cheaply what every entry contributes to the
//! [`HarSummary`] (URL, start time, status, whether cookies or `Authorization` were present).
//! Only entries the caller's `keep(url)` accepts are held in the window until their end and
//! then parsed fully by serde into the lenient shapes of `entry`.
//!
//! Leniency, as real exporters need it: a UTF-8 BOM, the HARP `onInputData({...});` wrapper,
//! any missing optional field, `_`-prefixed custom fields, keys in any order, loosely typed
//! values (`"status": "200"`, `"httpOnly": "true"`, `cache: {}`), `postData.params` with
//! object values, base64 response content, `content._file` with no text.

mod entry;
mod scan;

use std::collections::HashMap;
use std::io::Read;

use crate::error::ParseError;
use crate::model::{RawUrl, Request, Response};
use scan::{path_at, Scanner};

/// A request, its response when captured, and its start time: what [`parse_har`] returns.
pub type Item = (Request, Option<Response>, Option<jiff::Timestamp>);

/// One kept entry.
#[derive(Clone, Debug)]
pub struct HarEntry {
    /// Position in `log.entries` (0-based, counting entries that were not kept).
    pub index: usize,
    /// The request.
    pub request: Request,
    /// The response, when the entry has one.
    pub response: Option<Response>,
    /// `startedDateTime`, when present and valid.
    pub started: Option<jiff::Timestamp>,
    /// The values of the request's and response's `cookies` lists (usually also in the
    /// `Cookie`/`Set-Cookie` headers, but not always).
    pub cookies: Vec<String>,
}

/// What the reader saw overall, kept entries or not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HarSummary {
    /// Entries in `log.entries`.
    pub entries: usize,
    /// Entries kept (returned).
    pub kept: usize,
    /// Bytes read.
    pub bytes: u64,
    /// `log.version`, when present.
    pub version: Option<String>,
    /// `log.creator` as `name version`, when present.
    pub creator: Option<String>,
    /// `log.browser` as `name version`, when present.
    pub browser: Option<String>,
    /// Earliest `startedDateTime` over all entries.
    pub first_started: Option<jiff::Timestamp>,
    /// Latest `startedDateTime` over all entries.
    pub last_started: Option<jiff::Timestamp>,
    /// Hosts of the entries not kept, most frequent first (ties by name), with their counts.
    /// At most [`MAX_HOSTS`] distinct hosts are counted; later new ones go to `other_hosts`.
    pub skipped_hosts: Vec<(String, usize)>,
    /// Entries not kept whose host was not counted in `skipped_hosts` (too many hosts).
    pub other_hosts: usize,
    /// Entries not kept whose response status was 400 or more.
    pub skipped_errors: usize,
    /// Entries (all) whose request carried cookies (a `Cookie` header or `cookies` list).
    pub with_cookies: usize,
    /// Entries (all) whose response set cookies (a `Set-Cookie` header or `cookies` list).
    pub with_set_cookies: usize,
    /// Entries (all) whose request had an `Authorization` header.
    pub with_authorization: usize,
    /// Kept requests to `api.miro.com` (outside `/oauth` paths, which authenticate otherwise)
    /// without an `Authorization` header: the mark of a sanitized export.
    pub miro_api_without_auth: usize,
    /// Kept successful responses (2xx except 204) with no body text: saved without content,
    /// or the body stored in a side file (`content._file`).
    pub bodies_absent: usize,
    /// Kept response bodies dropped by [`HarOptions::drop_bodies_over`].
    pub bodies_dropped: usize,
    /// Their total size in bytes (as written in the file).
    pub bodies_dropped_bytes: u64,
}

impl HarSummary {
    /// Entries not kept.
    pub fn skipped(&self) -> usize {
        self.entries - self.kept
    }

    /// True when nothing in the file carries cookies or `Authorization` although it has
    /// entries: what an export "sanitized" by the browser (Chrome's default since 130) or by
    /// hand looks like. Tokens sent in headers cannot be checked then.
    pub fn looks_sanitized(&self) -> bool {
        self.entries > 0
            && self.with_cookies == 0
            && self.with_set_cookies == 0
            && self.with_authorization == 0
    }
}

/// Most distinct hosts counted in [`HarSummary::skipped_hosts`] (bounds memory on odd files).
pub const MAX_HOSTS: usize = 10_000;

/// Knobs of [`read_har_with`].
#[derive(Clone, Debug)]
pub struct HarOptions {
    /// Bytes asked of the reader at a time.
    pub chunk_size: usize,
    /// Largest kept entry, in bytes; a larger one is an error.
    pub max_entry_bytes: usize,
    /// Drop (and count in the summary) the response body of a kept entry when its text as
    /// written in the file (escaped, or base64) is longer than this many bytes, the status is
    /// 2xx/3xx and the URL path has no `oauth`: bulk API payloads (board items and such) that
    /// no rule reads, which would otherwise make memory grow with the file. Error bodies, token
    /// and token-info responses, and small bodies are always kept. `None` keeps every body.
    pub drop_bodies_over: Option<usize>,
}

impl Default for HarOptions {
    fn default() -> Self {
        HarOptions {
            // Measured: 256 KiB beats 1 MiB and 4 MiB by ~10% of CPU time (the window
            // stays in cache between the kernel's copy and the scan).
            chunk_size: 256 << 10,
            max_entry_bytes: 256 << 20,
            drop_bodies_over: Some(4096),
        }
    }
}

/// Streams a HAR from a reader with the default [`HarOptions`]: deserializes fully only the
/// entries `keep(url)` accepts (see [`oauth_relevant`]); the others are skipped structurally
/// without building values. `progress(bytes_read)` is called after every chunk read.
///
/// Entries come back in file order with their index; sort them with [`sort_by_started`].
pub fn read_har<R: Read>(
    reader: R,
    keep: &dyn Fn(&str) -> bool,
    progress: &mut dyn FnMut(u64),
) -> Result<(Vec<HarEntry>, HarSummary), ParseError> {
    read_har_with(reader, &HarOptions::default(), keep, progress)
}

/// [`read_har`] with explicit options.
pub fn read_har_with<R: Read>(
    reader: R,
    options: &HarOptions,
    keep: &dyn Fn(&str) -> bool,
    progress: &mut dyn FnMut(u64),
) -> Result<(Vec<HarEntry>, HarSummary), ParseError> {
    let mut out = Vec::new();
    let summary = for_each_har_entry(reader, options, keep, progress, &mut |e| out.push(e))?;
    Ok((out, summary))
}

/// [`read_har_with`] without collecting: each kept entry goes to `sink` as soon as it is
/// read, so memory stays bounded by the largest entry whatever the file's size
/// (`redact` reads every entry of a HAR this way).
pub fn for_each_har_entry<R: Read>(
    reader: R,
    options: &HarOptions,
    keep: &dyn Fn(&str) -> bool,
    progress: &mut dyn FnMut(u64),
    sink: &mut dyn FnMut(HarEntry),
) -> Result<HarSummary, ParseError> {
    let mut s = Scanner::new(
        reader,
        options.chunk_size,
        options.max_entry_bytes,
        progress,
    );
    let mut r = HarReader {
        keep,
        options,
        out: sink,
        summary: HarSummary::default(),
        hosts: HashMap::new(),
        text: String::new(),
    };
    r.document(&mut s)?;
    let mut summary = r.summary;
    summary.bytes = s.bytes_read();
    let mut hosts: Vec<(String, usize)> = r.hosts.into_iter().collect();
    hosts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    summary.skipped_hosts = hosts;
    Ok(summary)
}

/// Parses a HAR document held in memory (used by input detection): every entry, every body,
/// sorted by `startedDateTime` (see [`sort_by_started`]).
pub fn parse_har(text: &str) -> Result<Vec<Item>, ParseError> {
    let options = HarOptions {
        drop_bodies_over: None,
        ..HarOptions::default()
    };
    let (mut entries, _) = read_har_with(text.as_bytes(), &options, &|_| true, &mut |_| {})?;
    sort_by_started(&mut entries);
    Ok(entries
        .into_iter()
        .map(|e| (e.request, e.response, e.started))
        .collect())
}

/// Sorts entries by `startedDateTime`, stably. An entry without a time sorts as if it had the
/// time of the entry before it in the file, so it stays next to its neighbours (leading ones
/// come first). A total order, as `sort` requires.
pub fn sort_by_started(entries: &mut Vec<HarEntry>) {
    entries.sort_by_key(|e| e.index);
    let mut last = None;
    let mut keyed: Vec<(Option<jiff::Timestamp>, HarEntry)> = entries
        .drain(..)
        .map(|e| {
            last = e.started.or(last);
            (last, e)
        })
        .collect();
    keyed.sort_by_key(|(t, _)| *t);
    entries.extend(keyed.into_iter().map(|(_, e)| e));
}

/// The filter the CLI uses: the URL's host is `miro.com` or one of its subdomains, or its query
/// or fragment has a `code`, `error` or `state` parameter (an OAuth callback to any host), or
/// its path names an auth step (`/oauth`, `/auth`, `token`, `callback`): the app's own backend
/// endpoints that receive the code and relay Miro's answer.
pub fn oauth_relevant(url: &str) -> bool {
    let u = RawUrl::split(url);
    let host = u.host.trim_end_matches('.').as_bytes();
    let miro = host.eq_ignore_ascii_case(b"miro.com")
        || (host.len() > 9 && host[host.len() - 9..].eq_ignore_ascii_case(b".miro.com"));
    let path = u.path.as_bytes();
    let auth_path = ["auth", "token", "callback"].iter().any(|w| {
        path.windows(w.len())
            .any(|win| win.eq_ignore_ascii_case(w.as_bytes()))
    });
    miro || auth_path
        || [u.query, u.fragment].into_iter().flatten().any(|q| {
            q.split('&').any(|pair| {
                pair.split_once('=')
                    .is_some_and(|(name, _)| matches!(name, "code" | "error" | "state"))
            })
        })
}

// ---------------------------------------------------------------------------------------------
// The walk.

/// What one entry showed while it was scanned.
#[derive(Default)]
struct EntryScan {
    saw_request: bool,
    url: Option<String>,
    kept: bool,
    started: Option<jiff::Timestamp>,
    cookies: bool,
    authorization: bool,
    set_cookies: bool,
    status: u16,
    /// Absolute span of `response.content.text` as written (quotes included).
    body_span: Option<(u64, u64)>,
}

struct HarReader<'a> {
    keep: &'a dyn Fn(&str) -> bool,
    options: &'a HarOptions,
    out: &'a mut dyn FnMut(HarEntry),
    summary: HarSummary,
    hosts: HashMap<String, usize>,
    /// Reused for decoded strings.
    text: String,
}

const DOCUMENT: &str = "a HAR document (a JSON object {\"log\": {\"entries\": [...]}})";

impl HarReader<'_> {
    /// The whole input: BOM, optional HARP padding, the document, nothing after it.
    fn document<R: Read>(&mut self, s: &mut Scanner<'_, R>) -> Result<(), ParseError> {
        // A UTF-8 BOM (Fiddler, some tools) is allowed before the document.
        if s.peek_raw()? == Some(0xEF) {
            s.bump();
            for b in [0xBB, 0xBF] {
                if s.peek_raw()? != Some(b) {
                    return Err(s.error_at(
                        s.offset(),
                        &format!("invalid UTF-8 at the start; expected {DOCUMENT}"),
                    ));
                }
                s.bump();
            }
        }
        let start = s.peek_expect(DOCUMENT)?;
        // HARP: `callback({...});`, the callback usually `onInputData`.
        let harp = start.is_ascii_alphabetic() || start == b'_' || start == b'$';
        if harp {
            let mut name_len = 0;
            while let Some(b) = s.peek_raw()? {
                if !(b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b == b'.')
                    || name_len > 64
                {
                    break;
                }
                s.bump();
                name_len += 1;
            }
            let what = "'(' after the HARP callback name (as in `onInputData({...});`)";
            s.expect_byte(b'(', what)?;
        }
        let doc_at = s.offset();
        let mut saw_log = false;
        let mut saw_entries = false;
        s.object(DOCUMENT, |s, key| {
            if key.as_bytes() == b"log" {
                saw_log = true;
                saw_entries |= self.log(s)?;
                Ok(())
            } else {
                s.skip_value()
            }
        })?;
        if !saw_log {
            return Err(ParseError::new(
                doc_at as usize,
                format!("no `log` object; expected {DOCUMENT}"),
            ));
        }
        if !saw_entries {
            return Err(ParseError::new(
                doc_at as usize,
                "`log.entries` is missing; expected a list of entries",
            ));
        }
        if harp {
            s.expect_byte(b')', "')' closing the HARP padding")?;
            if s.peek()? == Some(b';') {
                s.bump();
            }
        }
        match s.peek()? {
            None => Ok(()),
            Some(b) => Err(s.unexpected(b, "the end of the file after the HAR document")),
        }
    }

    /// `log`; returns whether it had `entries`.
    fn log<R: Read>(&mut self, s: &mut Scanner<'_, R>) -> Result<bool, ParseError> {
        let mut saw_entries = false;
        s.object("an object (`log`)", |s, key| match key.as_bytes() {
            b"version" => {
                s.loose_string(&mut self.text)?;
                self.summary.version = Some(self.text.clone()).filter(|v| !v.is_empty());
                Ok(())
            }
            b"creator" => {
                self.summary.creator = self.name_version(s)?;
                Ok(())
            }
            b"browser" => {
                self.summary.browser = self.name_version(s)?;
                Ok(())
            }
            b"entries" => {
                saw_entries = true;
                if s.peek_expect("a list of entries")? == b'n' {
                    // `null`: no entries.
                    return s.skip_value();
                }
                s.array("a list of entries", |s, i| self.entry(s, i))?;
                Ok(())
            }
            _ => s.skip_value(),
        })?;
        Ok(saw_entries)
    }

    /// `{"name": …, "version": …}` as `name version`.
    fn name_version<R: Read>(
        &mut self,
        s: &mut Scanner<'_, R>,
    ) -> Result<Option<String>, ParseError> {
        let (mut name, mut version) = (String::new(), String::new());
        s.loose_object(|s, key| match key.as_bytes() {
            b"name" => s.loose_string(&mut name).map(drop),
            b"version" => s.loose_string(&mut version).map(drop),
            _ => s.skip_value(),
        })?;
        let both = format!("{} {}", name.trim(), version.trim());
        Ok(Some(both.trim().to_string()).filter(|t| !t.is_empty()))
    }

    /// `log.entries[index]`.
    fn entry<R: Read>(&mut self, s: &mut Scanner<'_, R>, index: usize) -> Result<(), ParseError> {
        let b = s.peek_expect("an entry object")?;
        if b != b'{' {
            return Err(s.unexpected(b, "an entry object"));
        }
        let entry_at = s.offset();
        // Undecided until the URL is seen: keep the bytes meanwhile.
        s.retain_from_here();
        let mut e = EntryScan::default();
        s.object("an entry object", |s, key| match key.as_bytes() {
            b"request" => self.request(s, &mut e),
            b"response" => self.response(s, &mut e),
            b"startedDateTime" => {
                s.loose_string(&mut self.text)?;
                e.started = self.text.trim().parse().ok();
                Ok(())
            }
            _ => s.skip_value(),
        })?;
        if !e.saw_request {
            s.release();
            return Err(s.error_at(
                entry_at,
                "no `request` object; expected an entry with a request (method, url, headers)",
            ));
        }
        let sm = &mut self.summary;
        sm.entries += 1;
        if let Some(t) = e.started {
            sm.first_started = Some(sm.first_started.map_or(t, |f| f.min(t)));
            sm.last_started = Some(sm.last_started.map_or(t, |l| l.max(t)));
        }
        sm.with_cookies += usize::from(e.cookies);
        sm.with_set_cookies += usize::from(e.set_cookies);
        sm.with_authorization += usize::from(e.authorization);
        if !e.kept {
            sm.skipped_errors += usize::from(e.status >= 400);
            let url = e.url.as_deref().unwrap_or("");
            let host = RawUrl::split(url)
                .host
                .trim_end_matches('.')
                .to_ascii_lowercase();
            if let Some(n) = self.hosts.get_mut(&host) {
                *n += 1;
            } else if self.hosts.len() < MAX_HOSTS {
                self.hosts.insert(host, 1);
            } else {
                sm.other_hosts += 1;
            }
            return Ok(());
        }
        let kept = self.parse_kept(s, &e, index);
        s.release();
        let kept = kept?;
        (self.out)(kept);
        Ok(())
    }

    /// Parses the retained bytes of a kept entry with serde and converts it.
    fn parse_kept<R: Read>(
        &mut self,
        s: &Scanner<'_, R>,
        e: &EntryScan,
        index: usize,
    ) -> Result<HarEntry, ParseError> {
        let (bytes, at) = s.retained();
        let url = e.url.as_deref().unwrap_or("");
        let oauth_path = RawUrl::split(url)
            .path
            .to_ascii_lowercase()
            .contains("oauth");
        // A bulky body nobody reads is cut out before serde sees it: it would be unescaped
        // and copied only to be thrown away (the bulk of a large HAR's kept bytes).
        let dropped = match (e.body_span, self.options.drop_bodies_over) {
            (Some((from, to)), Some(limit))
                if (to - from) as usize > limit + 2
                    && (200..400).contains(&e.status)
                    && !oauth_path =>
            {
                Some(((from - at) as usize, (to - at) as usize))
            }
            _ => None,
        };
        let spliced;
        let bytes = match dropped {
            Some((from, to)) => {
                let mut v = Vec::with_capacity(bytes.len() - (to - from) + 4);
                v.extend_from_slice(&bytes[..from]);
                v.extend_from_slice(b"null");
                v.extend_from_slice(&bytes[to..]);
                spliced = v;
                &spliced[..]
            }
            None => bytes,
        };
        let raw: entry::RawEntry = serde_json::from_slice(bytes).map_err(|err| {
            let rel = offset_of(bytes, err.line(), err.column());
            let path = path_at(bytes, rel, s.path());
            // Back to offsets in the file when the body was cut out.
            let rel = match dropped {
                Some((from, to)) if rel >= from + 4 => rel - 4 + (to - from),
                Some((from, _)) if rel > from => from,
                _ => rel,
            };
            ParseError::new(
                (at + rel as u64) as usize,
                format!("{path}: {}", entry::humanize(&err)),
            )
        })?;
        let Some(mut request) = raw.request else {
            return Err(s.error_at(
                at,
                "no `request` object; expected an entry with a request (method, url, headers)",
            ));
        };
        let mut cookies = request.take_cookies();
        let response = raw.response.map(|mut r| {
            cookies.extend(r.take_cookies());
            r.into_response()
        });
        let request = request.into_request();
        let sm = &mut self.summary;
        sm.kept += 1;
        let raw_url = request.raw_url();
        if raw_url
            .host
            .trim_end_matches('.')
            .eq_ignore_ascii_case("api.miro.com")
            && !raw_url.path.to_ascii_lowercase().contains("/oauth")
            && request.header("authorization").is_none()
        {
            sm.miro_api_without_auth += 1;
        }
        if let Some((from, to)) = dropped {
            sm.bodies_dropped += 1;
            sm.bodies_dropped_bytes += (to - from - 2) as u64;
        } else if let Some(resp) = &response {
            let ok = (200..300).contains(&resp.status) && resp.status != 204;
            sm.bodies_absent += usize::from(ok && resp.body.is_none());
        }
        Ok(HarEntry {
            index,
            request,
            response,
            started: raw.started.and_then(|t| t.trim().parse().ok()),
            cookies,
        })
    }

    /// `request`: the URL (and so the keep decision), cookies, `Authorization`.
    fn request<R: Read>(
        &mut self,
        s: &mut Scanner<'_, R>,
        e: &mut EntryScan,
    ) -> Result<(), ParseError> {
        if s.peek_expect("a request object")? != b'{' {
            // `null` or a scalar: treated as no request (serde agrees, see `opt_object`).
            return s.skip_value();
        }
        e.saw_request = true;
        let keep = self.keep;
        let text = &mut self.text;
        s.object("a request object", |s, key| match key.as_bytes() {
            b"url" => {
                let mut url = String::new();
                s.loose_string(&mut url)?;
                if e.url.is_none() {
                    e.kept = keep(&url);
                    if e.kept {
                        s.confirm()?;
                    } else {
                        // Not kept: the window may drop this entry's bytes from now on.
                        s.release();
                    }
                }
                e.url = Some(url);
                Ok(())
            }
            b"headers" => header_names(s, text, |name| {
                e.cookies |= name.eq_ignore_ascii_case("cookie");
                e.authorization |= name.eq_ignore_ascii_case("authorization");
            }),
            b"cookies" => {
                let n = s.loose_array(|s, _| s.skip_value())?;
                e.cookies |= n > 0;
                Ok(())
            }
            _ => s.skip_value(),
        })?;
        if e.url.is_none() {
            e.url = Some(String::new());
            e.kept = keep("");
            if e.kept {
                s.confirm()?;
            } else {
                s.release();
            }
        }
        Ok(())
    }

    /// `response`: the status and whether it set cookies (the content is skipped).
    fn response<R: Read>(
        &mut self,
        s: &mut Scanner<'_, R>,
        e: &mut EntryScan,
    ) -> Result<(), ParseError> {
        let text = &mut self.text;
        s.loose_object(|s, key| match key.as_bytes() {
            b"status" => {
                s.loose_string(text)?;
                e.status = text.trim().parse().unwrap_or(0);
                Ok(())
            }
            b"headers" => header_names(s, text, |name| {
                e.set_cookies |= name.eq_ignore_ascii_case("set-cookie");
            }),
            b"cookies" => {
                let n = s.loose_array(|s, _| s.skip_value())?;
                e.set_cookies |= n > 0;
                Ok(())
            }
            b"content" => s.loose_object(|s, key| {
                if key.as_bytes() == b"text" {
                    s.peek_expect("a value")?;
                    let from = s.offset();
                    s.skip_value()?;
                    e.body_span = Some((from, s.offset()));
                    Ok(())
                } else {
                    s.skip_value()
                }
            }),
            _ => s.skip_value(),
        })
    }
}

/// Byte offset in `bytes` of serde_json's 1-based line and byte column.
fn offset_of(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match memchr::memchr(b'\n', &bytes[start..]) {
            Some(i) => start += i + 1,
            None => return bytes.len(),
        }
    }
    (start + column.saturating_sub(1)).min(bytes.len())
}

/// Walks a `headers` array, handing each header's trimmed `name` to `seen` (values are
/// skipped: the summary only needs to know which headers were there).
fn header_names<R: Read>(
    s: &mut Scanner<'_, R>,
    text: &mut String,
    mut seen: impl FnMut(&str),
) -> Result<(), ParseError> {
    s.loose_array(|s, _| {
        s.loose_object(|s, key| match key.as_bytes() {
            b"name" => {
                s.loose_string(text)?;
                seen(text.trim());
                Ok(())
            }
            _ => s.skip_value(),
        })
    })?;
    Ok(())
}
