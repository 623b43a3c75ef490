//! Hardening properties, checked on every fixture (`fixtures/*/*.{curl,url,http,har,flow,sh}`,
//! with the directory's config and a sibling response) and on every file of the shared corpus
//! (`../shared/corpus/curl/commands/*.sh`, `../shared/corpus/curl/httpsnippet/commands/*.sh`,
//! `../shared/corpus/har/*.har`):
//!
//! 1. [`parsing_never_panics`]: every input, read as `doctor` reads it (a file by path, so a
//!    HAR is streamed; a `.flow` as its parts), gives `Ok` or an `Err` whose message is
//!    non-empty and names the source; the `Ok` ones go through `doctor` and all four
//!    renderers. The same holds for deterministic mutations of every input (truncations at
//!    every 1/7 of the length, a flipped bit, a byte replaced by shell/JSON/URL syntax, the
//!    first half duplicated, all quotes stripped, a NUL inserted, LF → CRLF), each read as
//!    in-memory bytes (stdin) and, when it starts like a HAR, also as a file (`doctor`
//!    streams a HAR file without the UTF-8/NUL check of in-memory input; for the other kinds
//!    both paths run the same code). A mutated input's report goes through `doctor` and
//!    every renderer too, SARIF built but not serialized ([`render_quick`]).
//! 2. [`no_secret_in_any_output_unless_show_secrets`]: the secrets of each input, found by
//!    this file's own extractor over the parsed model (not `src/secret.rs`, see
//!    [`extract_secrets`] for what counts and [`is_excluded`] for what is ignored), occur in
//!    no output format, in any spelling (raw, form- and percent-encoded, JSON- and
//!    GitHub-escaped); and with `show_secrets` they do occur for some inputs, so the check
//!    can fail.
//! 3. [`redacted_corpus_copies`]: `redact` of every corpus file still parses (a HAR stays
//!    JSON with the same entries), `doctor` fires the same rules on it, and no extracted
//!    secret survives in it. (`tests/redact.rs` covers the fixtures.)
//!
//! Each test prints a one-line summary to stderr (`cargo test --test properties --
//! --nocapture`).

mod common;

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use miro_oauth::config::Config;
use miro_oauth::engine::Options;
use miro_oauth::error::InputError;
use miro_oauth::finding::Report;
use miro_oauth::input::detect::looks_like_har;
use miro_oauth::model::Flow;
use miro_oauth::render::{Format, RenderOptions};
use miro_oauth::Source;

/// Secrets that survive today, as (where, case, secret kind as [`extract_secrets`] names
/// it, reason); `where` is `output` (a doctor output format, property 2) or `redact` (the
/// redacted copy, property 3). Each was checked by hand to be a real leak, not a secret
/// equal to some non-secret text. The tests fail when a listed case no longer leaks, so the
/// list only shrinks.
const KNOWN_LEAKS: &[(&str, &str, &str, &str)] = &[];

/// Inputs whose output keeps a mask even with `show_secrets` (not a leak: the opposite), with
/// the reason. Property 2 checks that every mask in the masked output (other than one the
/// input itself held) is gone with `show_secrets`.
const KNOWN_MASKED_WITH_SHOW_SECRETS: &[(&str, &str)] = &[];

/// Corpus HARs whose redacted copy keeps more OAuth-relevant entries than the original, with
/// the reason (property 3 also compares the HAR reader's entry and kept counts).
const KNOWN_REDACT_DRIFT: &[(&str, &str)] = &[];

/// The redactor key for property 3 (any fixed key: runs are reproducible).
const REDACT_KEY: &[u8] = b"properties-key";

/// The seed of the mutation generator (mixed with a hash of the case name).
const SEED: u64 = 0x9E37_79B9_7F4A_7C15;

// ---------------------------------------------------------------------------------------------
// Cases: fixtures and corpus files.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Origin {
    Fixture,
    CorpusCurl,
    CorpusHar,
}

struct Case {
    /// `fixtures/<dir>/<file>` or `corpus/<…>`.
    name: String,
    origin: Origin,
    path: PathBuf,
    bytes: Vec<u8>,
    /// A `.flow` fixture: several inputs separated by `---` lines.
    is_flow: bool,
    config: Option<Config>,
    /// A sibling response (`<file>.response`, or `<stem>.response.json` in `fixtures/inputs`).
    response: Option<(String, Vec<u8>)>,
}

fn files_with(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| exts.contains(&e))
        })
        .collect();
    out.sort();
    out
}

fn corpus_root() -> PathBuf {
    common::root().join("../shared/corpus")
}

fn fixture_cases() -> Vec<Case> {
    let root = common::root().join("fixtures");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut out = Vec::new();
    for dir in dirs {
        let files = files_with(&dir, &["curl", "url", "http", "har", "flow", "sh"]);
        if files.is_empty() {
            continue;
        }
        let config = common::dir_config(&dir);
        for path in files {
            let name = format!("fixtures/{}", path.strip_prefix(&root).unwrap().display());
            let response = [
                PathBuf::from(format!("{}.response", path.display())),
                path.with_extension("response.json"),
            ]
            .into_iter()
            .find(|p| p.is_file())
            .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()));
            out.push(Case {
                is_flow: path.extension().is_some_and(|e| e == "flow"),
                bytes: std::fs::read(&path).unwrap(),
                name,
                origin: Origin::Fixture,
                path,
                config: config.clone(),
                response,
            });
        }
    }
    assert!(out.len() > 500, "only {} fixtures found", out.len());
    out
}

fn corpus_cases() -> Vec<Case> {
    let root = corpus_root();
    assert!(
        root.join("curl/commands").is_dir() && root.join("har").is_dir(),
        "the shared corpus is missing at {} (curl/commands/ and har/): these tests need it",
        root.display()
    );
    let mut out = Vec::new();
    for (dir, ext, origin) in [
        ("curl/commands", "sh", Origin::CorpusCurl),
        ("curl/httpsnippet/commands", "sh", Origin::CorpusCurl),
        ("har", "har", Origin::CorpusHar),
    ] {
        for path in files_with(&root.join(dir), &[ext]) {
            out.push(Case {
                name: format!(
                    "corpus/{dir}/{}",
                    path.file_name().unwrap().to_string_lossy()
                ),
                origin,
                bytes: std::fs::read(&path).unwrap(),
                path,
                is_flow: false,
                config: None,
                response: None,
            });
        }
    }
    out
}

fn all_cases() -> Vec<Case> {
    let mut cases = fixture_cases();
    cases.extend(corpus_cases());
    cases
}

fn count(cases: &[Case], origin: Origin) -> usize {
    cases.iter().filter(|c| c.origin == origin).count()
}

/// Splits a `.flow` text into its inputs, on lines that are `---` (bytes: a mutation may
/// have broken the UTF-8). Same rule as `common::split_flow`.
fn split_flow_bytes(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut parts = vec![Vec::new()];
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        let trimmed = line
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(&line[..0], |i| &line[..=i]);
        if trimmed == b"---" {
            parts.push(Vec::new());
        } else {
            parts.last_mut().unwrap().extend_from_slice(line);
        }
    }
    parts
        .into_iter()
        .filter(|p| p.iter().any(|b| !b.is_ascii_whitespace()))
        .collect()
}

/// The sources `doctor` would get for a case: the file by path (a HAR is streamed), or the
/// parts of a `.flow` as in-memory inputs.
fn doctor_sources(case: &Case) -> Vec<Source> {
    if case.is_flow {
        split_flow_bytes(&case.bytes)
            .into_iter()
            .enumerate()
            .map(|(i, p)| Source::Bytes(format!("{}#{}", case.name, i + 1), p))
            .collect()
    } else {
        vec![Source::File(case.path.clone())]
    }
}

fn source_name(s: &Source) -> String {
    match s {
        Source::Bytes(n, _) => n.clone(),
        Source::File(p) => p.display().to_string(),
        Source::NamedFile(n, _) => n.clone(),
    }
}

/// Reads the sources and attaches the case's response, like `doctor --response`.
fn read(sources: &[Source], response: Option<&(String, Vec<u8>)>) -> Result<Flow, InputError> {
    let mut flow = miro_oauth::read_sources(sources, &mut |_, _, _| {})?;
    if let Some((name, bytes)) = response {
        miro_oauth::attach_response(&mut flow, name, bytes)?;
    }
    Ok(flow)
}

/// An `Err` must say which source it is about and what is wrong; None when it does.
fn error_problem(err: &InputError, names: &[String]) -> Option<String> {
    let (source, what) = match err {
        InputError::Unreadable {
            source_name,
            reason,
        } => (source_name, reason),
        InputError::Parse {
            source_name,
            message,
            position,
        } => {
            if position.line == 0 || position.column == 0 {
                return Some(format!("position {position} is not 1-based: {err}"));
            }
            (source_name, message)
        }
        InputError::Unrecognised {
            source_name,
            message,
        } => (source_name, message),
        // Its text is fixed (size and limit); only the name can be missing.
        InputError::TooLarge { source_name, .. } => (source_name, source_name),
    };
    if !names.contains(source) {
        return Some(format!("names {source:?}, not one of {names:?}: {err}"));
    }
    if what.trim().is_empty() {
        return Some(format!("empty message: {err:?}"));
    }
    if !err.to_string().starts_with(source.as_str()) {
        return Some(format!("display does not start with the source: {err}"));
    }
    None
}

fn options(show_secrets: bool) -> Options {
    Options {
        show_secrets,
        ..common::options()
    }
}

const FORMATS: [(Format, &str); 4] = [
    (Format::Human, "human"),
    (Format::Json, "json"),
    (Format::Sarif, "sarif"),
    (Format::Github, "github"),
];

/// The report in every format (human without colour); JSON and SARIF must parse as JSON.
fn render_all(report: &Report) -> Vec<(&'static str, String)> {
    FORMATS
        .iter()
        .map(|&(format, label)| {
            let mut out = Vec::new();
            miro_oauth::render::render(report, format, RenderOptions { color: false }, &mut out)
                .unwrap_or_else(|e| panic!("{label} renderer failed: {e}"));
            let text = String::from_utf8(out)
                .unwrap_or_else(|e| panic!("{label} output is not UTF-8: {e}"));
            if matches!(format, Format::Json | Format::Sarif) {
                if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
                    panic!("{label} output is not JSON: {e}");
                }
            }
            (label, text)
        })
        .collect()
}

/// The renderers on a mutated input's report, cheaper: human, JSON and GitHub written out,
/// the SARIF log built (`to_sarif`, all of the SARIF renderer's logic) but not serialized:
/// pretty-printing every fired rule's docs twice cost more than the rest of a mutated read
/// in a debug build, and it is the same serde code the JSON renderer runs.
fn render_quick(report: &Report) {
    for format in [Format::Human, Format::Json, Format::Github] {
        let mut out = Vec::new();
        miro_oauth::render::render(report, format, RenderOptions { color: false }, &mut out)
            .unwrap_or_else(|e| panic!("{format:?} renderer failed: {e}"));
    }
    miro_oauth::render::sarif::to_sarif(report);
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(non-string panic payload)".to_string())
}

fn rule_ids(report: &Report) -> BTreeSet<&'static str> {
    report.findings.iter().map(|f| f.rule).collect()
}

// ---------------------------------------------------------------------------------------------
// Property 1: parsing never panics.

/// A tiny xorshift64 generator: deterministic, no dependency.
struct XorShift(u64);

impl XorShift {
    fn new(name: &str) -> XorShift {
        // FNV-1a of the name, mixed with the fixed seed; never zero.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in name.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        XorShift((h ^ SEED) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Characters that mean something to one of the parsers (shell, cmd, PowerShell, JSON, URL,
/// HTTP), used to replace one byte.
const SYNTAX: &[u8] = b"'\"\\{}[]:,=&%?#$^`\n\r\t ;@+";

/// Cheap deterministic mutations of an input, labelled; none equal to the input.
fn mutations(name: &str, bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut rng = XorShift::new(name);
    let n = bytes.len();
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for k in 1..=6 {
        let at = n * k / 7;
        out.push((
            format!("truncated at {k}/7 (byte {at})"),
            bytes[..at].to_vec(),
        ));
    }
    if n > 0 {
        let (i, bit) = (rng.below(n), rng.below(8));
        let mut m = bytes.to_vec();
        m[i] ^= 1 << bit;
        out.push((format!("bit {bit} of byte {i} flipped"), m));
        let (i, c) = (rng.below(n), SYNTAX[rng.below(SYNTAX.len())]);
        let mut m = bytes.to_vec();
        m[i] = c;
        out.push((format!("byte {i} replaced by {:?}", c as char), m));
    }
    let mut m = bytes[..n / 2].to_vec();
    m.extend_from_slice(bytes);
    out.push(("first half duplicated".to_string(), m));
    out.push((
        "quotes stripped".to_string(),
        bytes
            .iter()
            .copied()
            .filter(|b| *b != b'"' && *b != b'\'')
            .collect(),
    ));
    let i = rng.below(n + 1);
    let mut m = bytes.to_vec();
    m.insert(i, 0);
    out.push((format!("NUL inserted at byte {i}"), m));
    let mut m = Vec::with_capacity(n + n / 16);
    for &b in bytes {
        if b == b'\n' {
            m.push(b'\r');
        }
        m.push(b);
    }
    out.push(("LF -> CRLF".to_string(), m));
    out.retain(|(_, m)| m != bytes);
    out
}

#[derive(Default)]
struct Tally {
    ok: usize,
    err: usize,
    panics: usize,
    failures: Vec<String>,
}

impl Tally {
    /// Reads the sources, checks an error names its source, runs doctor and every renderer
    /// on a flow; a panic anywhere is a failure.
    fn run(&mut self, what: &str, sources: &[Source], case: &Case, mutated: bool) {
        let names: Vec<String> = sources
            .iter()
            .map(source_name)
            .chain(case.response.iter().map(|(n, _)| n.clone()))
            .collect();
        let result = catch_unwind(AssertUnwindSafe(|| {
            match read(sources, case.response.as_ref()) {
                Ok(flow) => {
                    let report = miro_oauth::doctor(&flow, case.config.as_ref(), &options(false));
                    if mutated {
                        render_quick(&report);
                    } else {
                        render_all(&report);
                    }
                    Ok(())
                }
                Err(e) => Err(error_problem(&e, &names)),
            }
        }));
        match result {
            Ok(Ok(())) => self.ok += 1,
            Ok(Err(problem)) => {
                self.err += 1;
                if let Some(p) = problem {
                    self.failures.push(format!("{what}: bad error: {p}"));
                }
            }
            Err(payload) => {
                self.panics += 1;
                self.failures
                    .push(format!("{what}: PANIC: {}", panic_text(&*payload)));
            }
        }
    }
}

#[test]
fn parsing_never_panics() {
    let start = std::time::Instant::now();
    let cases = all_cases();
    let tmp = tempfile::tempdir().unwrap();
    let mut originals = Tally::default();
    let mut mutated = Tally::default();
    let mut mutation_count = 0;
    for case in &cases {
        originals.run(&case.name, &doctor_sources(case), case, false);
        for (label, bytes) in mutations(&case.name, &case.bytes) {
            mutation_count += 1;
            let what = format!("{} ({label})", case.name);
            if case.is_flow {
                let parts: Vec<Source> = split_flow_bytes(&bytes)
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| Source::Bytes(format!("{}#{}", case.name, i + 1), p))
                    .collect();
                mutated.run(&what, &parts, case, true);
                continue;
            }
            // As stdin bytes; and when it looks like a HAR also as a file, which `doctor`
            // streams without the UTF-8/NUL check of in-memory input (for other kinds the
            // two paths are the same code).
            if looks_like_har(&bytes[..bytes.len().min(4096)]) {
                let file = tmp.path().join(case.path.file_name().unwrap());
                std::fs::write(&file, &bytes).unwrap();
                mutated.run(&format!("{what} [file]"), &[Source::File(file)], case, true);
            }
            mutated.run(
                &format!("{what} [bytes]"),
                &[Source::Bytes(case.name.clone(), bytes)],
                case,
                true,
            );
        }
    }
    let panics = originals.panics + mutated.panics;
    let bad_errors = originals.failures.len() + mutated.failures.len() - panics;
    eprintln!(
        "properties: parsing: {} curl + {} har + {} fixtures ({} ok, {} err), {mutation_count} mutations in {} reads ({} ok, {} err), {panics} panics, {bad_errors} bad errors, {:.1}s",
        count(&cases, Origin::CorpusCurl),
        count(&cases, Origin::CorpusHar),
        count(&cases, Origin::Fixture),
        originals.ok,
        originals.err,
        mutated.ok + mutated.err + mutated.panics,
        mutated.ok,
        mutated.err,
        start.elapsed().as_secs_f64(),
    );
    assert!(originals.ok > 0 && mutated.ok > 0 && mutated.err > 0);
    let failures: Vec<&String> = originals.failures.iter().chain(&mutated.failures).collect();
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Property 2: no secret in any output unless --show-secrets.

/// Parameter names whose values are secrets (query, form, JSON body, multipart): the brief's
/// list plus the camelCase spellings Miro's v2 revoke and SDKs use.
const SECRET_PARAMS: &[&str] = &[
    "code",
    "client_secret",
    "access_token",
    "refresh_token",
    "id_token",
    "code_verifier",
    "password",
    "clientSecret",
    "accessToken",
    "refreshToken",
    "idToken",
    "codeVerifier",
];

/// Token fields of a JSON response body (top level).
const RESPONSE_TOKENS: &[&str] = &[
    "access_token",
    "refresh_token",
    "id_token",
    "accessToken",
    "refreshToken",
];

/// Values not treated as secrets, exactly:
/// * shorter than 8 characters;
/// * shell/cmd/template variables: starting with `$` (`$TOKEN`, `${X}`, `$(cmd)`), containing
///   `{{` (`{{token}}`), `%NAME%` (cmd), `<…>` (`<token>`, `<your code>`);
/// * placeholder names: an upper-case identifier with an underscore (`ACCESS_TOKEN`,
///   `MIRO_CLIENT_SECRET`), `YOUR_…`/`your-…` text, one character repeated (`AAAAAAAAAAAA`,
///   `xxxxxxxx`);
/// * masks: containing `***`, `REDACTED` (any case) or `MASKED-`, or a mask the doctor
///   prints (`[access_token len=59 #1a2b3c]`, pasted back into a capture);
/// * the literal JavaScript leftovers the tool quotes on purpose to explain them
///   (`undefined`, `[object Object]`).
fn is_excluded(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    let mut chars = v.chars();
    let first = chars.next();
    v.chars().count() < 8
        || v.starts_with('$')
        || v.contains("{{")
        || (v.len() > 2
            && v.starts_with('%')
            && v.ends_with('%')
            && v[1..v.len() - 1]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_'))
        || (v.starts_with('<') && v.ends_with('>'))
        || (v.contains('_')
            && v.starts_with(|c: char| c.is_ascii_uppercase())
            && v.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
        || lower.starts_with("your_")
        || lower.starts_with("your-")
        || chars.all(|c| Some(c) == first)
        || v.contains("***")
        || lower.contains("redacted")
        || v.contains("MASKED-")
        || (v.starts_with('[') && v.ends_with(']') && v.contains(" len=") && v.contains(" #"))
        || lower == "undefined"
        || lower == "[object object]"
}

/// A secret value found in the model, with what it is (for messages and `KNOWN_LEAKS`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Secret {
    kind: String,
    value: String,
}

fn add_secret(out: &mut Vec<Secret>, kind: &str, value: &str) {
    let value = value.trim();
    if is_excluded(value) || out.iter().any(|s| s.value == value) {
        return;
    }
    out.push(Secret {
        kind: kind.to_string(),
        value: value.to_string(),
    });
}

/// The credentials of an `Authorization`/`Proxy-Authorization` value: after the scheme (or
/// the whole value without one), quotes stripped; for Basic also the secret part of the
/// decoded `id:secret` (or of a raw `id:secret`).
fn authorization_secrets(out: &mut Vec<Secret>, value: &str) {
    let v = value.trim();
    let (scheme, cred) = match v.split_once(char::is_whitespace) {
        Some((s, c)) => (s, c.trim()),
        None => ("", v),
    };
    let cred = cred.trim_matches(|c| c == '"' || c == '\'');
    if scheme.eq_ignore_ascii_case("basic") {
        add_secret(out, "authorization basic (base64)", cred);
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(cred)
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        let pair = decoded.as_deref().unwrap_or(cred);
        if let Some((_, secret)) = pair.split_once(':') {
            add_secret(out, "authorization basic (secret)", secret);
        }
    } else {
        let kind = if scheme.is_empty() {
            "authorization (no scheme)".to_string()
        } else {
            format!("authorization {}", scheme.to_ascii_lowercase())
        };
        add_secret(out, &kind, cred);
        // A doubled scheme (`Bearer Bearer x`): the bare token too.
        if let Some((s, inner)) = cred.split_once(char::is_whitespace) {
            if s.eq_ignore_ascii_case("bearer") {
                add_secret(out, &kind, inner);
            }
        }
    }
}

fn cookie_secrets(out: &mut Vec<Secret>, name: &str, value: &str) {
    if name.eq_ignore_ascii_case("cookie") {
        for pair in value.split(';') {
            if let Some((_, v)) = pair.split_once('=') {
                add_secret(out, "cookie", v);
            }
        }
    } else if name.eq_ignore_ascii_case("set-cookie") {
        let first = value.split(';').next().unwrap_or("");
        if let Some((_, v)) = first.split_once('=') {
            add_secret(out, "set-cookie", v);
        }
    }
}

/// Every secret in a flow, found from the model alone (not with `miro_oauth::secret`).
fn extract_secrets(flow: &Flow) -> Vec<Secret> {
    let mut out = Vec::new();
    for ex in &flow.exchanges {
        let req = &ex.request;
        for p in req.params_ref() {
            if SECRET_PARAMS.contains(&p.param.name.as_str()) {
                let kind = format!("param {} ({:?})", p.param.name, p.place).to_lowercase();
                add_secret(&mut out, &kind, &p.param.value);
                add_secret(&mut out, &kind, &p.param.raw);
            }
        }
        for h in &req.headers {
            if h.name.eq_ignore_ascii_case("authorization")
                || h.name.eq_ignore_ascii_case("proxy-authorization")
            {
                authorization_secrets(&mut out, &h.value);
            }
            cookie_secrets(&mut out, &h.name, &h.value);
        }
        if let Some(user) = req.curl.as_ref().and_then(|c| c.user.as_deref()) {
            if let Some((_, secret)) = user.split_once(':') {
                add_secret(&mut out, "curl -u (secret)", secret);
            }
        }
        if let Some(resp) = &ex.response {
            for h in &resp.headers {
                cookie_secrets(&mut out, &h.name, &h.value);
            }
            let body = resp
                .body
                .as_deref()
                .and_then(|b| serde_json::from_str::<serde_json::Value>(b.trim()).ok());
            if let Some(serde_json::Value::Object(map)) = body {
                for key in RESPONSE_TOKENS {
                    if let Some(serde_json::Value::String(v)) = map.get(*key) {
                        add_secret(&mut out, &format!("response {key}"), v);
                    }
                }
            }
        }
    }
    out
}

/// The ways a value can be spelled in an output: as is, form- and percent-encoded, inside a
/// JSON string, and escaped for a GitHub workflow command (`%` → `%25`, CR, LF).
fn spellings(v: &str) -> Vec<String> {
    let form: String = form_urlencoded::byte_serialize(v.as_bytes()).collect();
    let pct =
        percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string();
    let json = serde_json::to_string(v).unwrap();
    let json = json[1..json.len() - 1].to_string();
    let github = v
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    let mut out: Vec<String> = Vec::new();
    for s in [v.to_string(), form, pct, json, github] {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// A secret shortened for a message: its first 4 characters, `…`, and its length.
fn short(v: &str) -> String {
    let head: String = v.chars().take(4).collect();
    format!("{head}…(len {})", v.chars().count())
}

/// Where an output holds a spelling of the secret: its line, cut to 100 characters either
/// side, with the secret shortened.
fn find_secret(text: &str, secret: &str) -> Option<String> {
    spellings(secret).iter().find_map(|s| {
        text.lines().find(|l| l.contains(s.as_str())).map(|l| {
            let at = l.find(s.as_str()).unwrap();
            let before: String = {
                let b: Vec<char> = l[..at].chars().collect();
                let cut = b.len().saturating_sub(100);
                let head = if cut > 0 { "…" } else { "" };
                format!("{head}{}", b[cut..].iter().collect::<String>())
            };
            let after: String = {
                let a: Vec<char> = l[at + s.len()..].chars().collect();
                let tail = if a.len() > 100 { "…" } else { "" };
                format!("{}{tail}", a.iter().take(100).collect::<String>())
            };
            format!("{}«{}»{}", before.trim_start(), short(s), after.trim_end())
        })
    })
}

/// The SARIF output without the rule metadata copied verbatim from the rule registry
/// (`shortDescription`, `fullDescription`, `help` equal to the rule's summary and docs): the
/// rules' docs quote the same example tokens as the fixtures, and text fixed at compile time
/// cannot carry an input's secret. A field that differs from the registry stays and is
/// scanned.
fn without_static_rule_docs(sarif: &str) -> String {
    let mut doc: serde_json::Value = serde_json::from_str(sarif).expect("SARIF is JSON");
    for run in doc["runs"].as_array_mut().into_iter().flatten() {
        let rules = run
            .pointer_mut("/tool/driver/rules")
            .and_then(|r| r.as_array_mut());
        for r in rules.into_iter().flatten() {
            let Some(rule) = r["id"].as_str().and_then(miro_oauth::rules::find) else {
                continue;
            };
            let Some(obj) = r.as_object_mut() else {
                continue;
            };
            for (key, text) in [
                ("shortDescription", rule.summary),
                ("fullDescription", rule.docs),
                ("help", rule.docs),
            ] {
                let same = obj.get(key).is_some_and(|v| {
                    v["text"].as_str() == Some(text)
                        && v.get("markdown").is_none_or(|m| m.as_str() == Some(text))
                });
                if same {
                    obj.remove(key);
                }
            }
        }
    }
    serde_json::to_string_pretty(&doc).unwrap()
}

/// The doctor's masks in a text, `[<kind> len=<n> #<6 hex digits>]` (the format the README
/// documents): where a finding quoted a secret and it was masked.
fn masks(text: &str) -> Vec<&str> {
    text.match_indices('[')
        .filter_map(|(i, _)| {
            let rest = &text[i + 1..];
            let inner = &rest[..rest.find(']')?];
            let mut it = inner.split(' ');
            let (kind, len, fp) = (it.next()?, it.next()?, it.next()?);
            let ok = it.next().is_none()
                && !kind.is_empty()
                && kind.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                && len
                    .strip_prefix("len=")
                    .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
                && fp
                    .strip_prefix('#')
                    .is_some_and(|h| h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit()));
            ok.then(|| &text[i..i + inner.len() + 2])
        })
        .collect()
}

/// The outputs to scan for secrets: every format, SARIF without its static rule docs.
fn scanned_outputs(report: &Report) -> Vec<(&'static str, String)> {
    render_all(report)
        .into_iter()
        .map(|(label, text)| {
            if label == "sarif" {
                (label, without_static_rule_docs(&text))
            } else {
                (label, text)
            }
        })
        .collect()
}

#[test]
fn no_secret_in_any_output_unless_show_secrets() {
    let start = std::time::Instant::now();
    let cases = all_cases();
    let mut leaks: Vec<(String, String, String)> = Vec::new(); // (case, kind, message)
    let (mut read_ok, mut with_secrets, mut secret_count, mut revealed) = (0, 0, 0, 0);
    let (mut checked_outputs, mut with_masks) = (0, 0);
    let mut control: Vec<String> = Vec::new();
    let mut still_masked: BTreeSet<String> = BTreeSet::new();
    for case in &cases {
        let Ok(flow) = read(&doctor_sources(case), case.response.as_ref()) else {
            continue;
        };
        read_ok += 1;
        let secrets = extract_secrets(&flow);
        with_secrets += usize::from(!secrets.is_empty());
        secret_count += secrets.len();
        let masked = scanned_outputs(&miro_oauth::doctor(
            &flow,
            case.config.as_ref(),
            &options(false),
        ));
        for (format, text) in &masked {
            checked_outputs += 1;
            for s in &secrets {
                if let Some(line) = find_secret(text, &s.value) {
                    leaks.push((
                        case.name.clone(),
                        s.kind.clone(),
                        format!(
                            "{}: {} {} in {format} output: {line}",
                            case.name,
                            s.kind,
                            short(&s.value)
                        ),
                    ));
                }
            }
        }
        // The control: with --show-secrets, findings that quote a secret show it. Where the
        // masked output holds a mask, the unmasked one must differ (whatever the secret);
        // and some outputs must show a secret this file extracted.
        let shown = scanned_outputs(&miro_oauth::doctor(
            &flow,
            case.config.as_ref(),
            &options(true),
        ));
        // Masks the input already held (a capture redacted by the doctor) do not count.
        let input = String::from_utf8_lossy(&case.bytes).into_owned()
            + &case
                .response
                .as_ref()
                .map(|(_, r)| String::from_utf8_lossy(r).into_owned())
                .unwrap_or_default();
        let mut masked_here = false;
        for ((format, m), (_, sh)) in masked.iter().zip(&shown) {
            for mask in masks(m).into_iter().filter(|k| !input.contains(k)) {
                masked_here = true;
                if sh.contains(mask) {
                    still_masked.insert(case.name.clone());
                    let listed = KNOWN_MASKED_WITH_SHOW_SECRETS
                        .iter()
                        .any(|(c, _)| *c == case.name);
                    if !listed {
                        control.push(format!(
                            "{}: {mask} stays masked in the {format} output with show_secrets",
                            case.name
                        ));
                    }
                }
            }
        }
        with_masks += usize::from(masked_here);
        if shown.iter().any(|(_, text)| {
            secrets
                .iter()
                .any(|s| find_secret(text, &s.value).is_some())
        }) {
            revealed += 1;
        }
    }
    eprintln!(
        "properties: secrets: {read_ok} inputs read ({} curl + {} har + {} fixtures in all), {with_secrets} with {secret_count} secrets, {checked_outputs} outputs checked, {} leak(s), {with_masks} inputs with a masked secret in the output, {revealed} inputs show an extracted secret with show_secrets, {:.1}s",
        count(&cases, Origin::CorpusCurl),
        count(&cases, Origin::CorpusHar),
        count(&cases, Origin::Fixture),
        leaks.len(),
        start.elapsed().as_secs_f64(),
    );
    assert!(
        revealed > 0 && with_masks > 0,
        "no input shows a secret even with show_secrets ({revealed}) or has a mask ({with_masks}): \
         the leak check cannot fail"
    );
    let mut failures: Vec<String> = leaks
        .iter()
        .filter(|(case, kind, _)| {
            !KNOWN_LEAKS
                .iter()
                .any(|(w, c, k, _)| *w == "output" && c == case && k == kind)
        })
        .map(|(_, _, m)| m.clone())
        .collect();
    failures.extend(control);
    for (case, reason) in KNOWN_MASKED_WITH_SHOW_SECRETS {
        if !still_masked.contains(*case) {
            failures.push(format!(
                "{case}: in KNOWN_MASKED_WITH_SHOW_SECRETS ({reason}) but shows its secrets now \
                 (or is no longer a case): remove it"
            ));
        }
    }
    for (_, case, kind, reason) in KNOWN_LEAKS.iter().filter(|l| l.0 == "output") {
        if !leaks.iter().any(|(c, k, _)| c == case && k == kind) {
            failures.push(format!(
                "{case}: {kind} is in KNOWN_LEAKS ({reason}) but no longer leaks (or is no longer a case): remove it"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} secret leak(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Property 3: redacted corpus copies.

/// The `log.entries` count of a HAR text (BOM and the HARP `onInputData(…)` wrapper allowed).
fn har_entry_count(text: &str) -> Result<usize, String> {
    let t = text.trim_start_matches('\u{feff}').trim();
    let t = match t.strip_prefix("onInputData(") {
        Some(rest) => rest.trim_end().trim_end_matches(';').trim_end_matches(')'),
        None => t,
    };
    let doc: serde_json::Value = serde_json::from_str(t).map_err(|e| e.to_string())?;
    doc.pointer("/log/entries")
        .and_then(|e| e.as_array())
        .map(|a| a.len())
        .ok_or_else(|| "no log.entries array".to_string())
}

#[test]
fn redacted_corpus_copies() {
    let start = std::time::Instant::now();
    let cases = corpus_cases();
    let mut failures = Vec::new();
    let (mut redacted_ok, mut both_fail, mut secrets_checked, mut rules_compared) = (0, 0, 0, 0);
    // (case, kind) of the secrets found in a redacted copy, listed or not.
    let mut known_leaks: BTreeSet<(String, String)> = BTreeSet::new();
    for case in &cases {
        let name = &case.name;
        let original = read(&doctor_sources(case), None);
        let mut redactor = miro_oauth::redact::Redactor::new(REDACT_KEY);
        let redacted = miro_oauth::redact::redact_input(name, &case.bytes, &mut redactor);
        let (flow, redacted) = match (original, redacted) {
            (Ok(flow), Ok(text)) => (flow, text),
            (Err(_), Err(_)) => {
                both_fail += 1;
                continue;
            }
            (Ok(_), Err(e)) => {
                failures.push(format!("{name}: reads, but redact fails: {e}"));
                continue;
            }
            (Err(e), Ok(_)) => {
                failures.push(format!("{name}: does not read ({e}), but redact succeeds"));
                continue;
            }
        };
        redacted_ok += 1;
        let after = match miro_oauth::read_flow(&[(name.clone(), redacted.as_bytes().to_vec())]) {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{name}: the redacted copy does not parse: {e}"));
                continue;
            }
        };
        if case.origin == Origin::CorpusHar {
            let before_entries = har_entry_count(&String::from_utf8_lossy(&case.bytes));
            let after_entries = har_entry_count(&redacted);
            match (&before_entries, &after_entries) {
                (Ok(b), Ok(a)) if a == b => {}
                _ => failures.push(format!(
                    "{name}: log.entries before {before_entries:?}, after {after_entries:?}"
                )),
            }
            let info = |f: &Flow| f.inputs[0].har.as_ref().map(|h| (h.entries, h.kept));
            let drift = info(&flow) != info(&after);
            let listed = KNOWN_REDACT_DRIFT.iter().find(|(c, _)| c == name);
            match (drift, listed) {
                (true, None) => failures.push(format!(
                    "{name}: HAR (entries, kept) before {:?}, after {:?}",
                    info(&flow),
                    info(&after)
                )),
                (false, Some((_, reason))) => failures.push(format!(
                    "{name}: in KNOWN_REDACT_DRIFT ({reason}) but no longer drifts: remove it"
                )),
                _ => {}
            }
        }
        let b = rule_ids(&miro_oauth::doctor(&flow, None, &options(false)));
        let a = rule_ids(&miro_oauth::doctor(&after, None, &options(false)));
        rules_compared += 1;
        if a != b {
            failures.push(format!("{name}: rules before {b:?}, after {a:?}"));
        }
        for s in extract_secrets(&flow) {
            secrets_checked += 1;
            let found = find_secret(&redacted, &s.value);
            let listed = KNOWN_LEAKS
                .iter()
                .find(|(w, c, k, _)| *w == "redact" && c == name && *k == s.kind);
            if let Some(line) = &found {
                known_leaks.insert((name.clone(), s.kind.clone()));
                if listed.is_none() {
                    failures.push(format!(
                        "{name}: {} {} survives redaction: {line}",
                        s.kind,
                        short(&s.value)
                    ));
                }
            }
        }
    }
    for (_, case, kind, reason) in KNOWN_LEAKS.iter().filter(|l| l.0 == "redact") {
        if !known_leaks.contains(&(case.to_string(), kind.to_string())) {
            failures.push(format!(
                "{case}: {kind} is in KNOWN_LEAKS ({reason}) but survives no longer (or is no longer a case): \
                 remove it"
            ));
        }
    }
    for (case, _) in KNOWN_REDACT_DRIFT {
        if !cases.iter().any(|c| c.name == *case) {
            failures.push(format!(
                "{case}: in KNOWN_REDACT_DRIFT but not in the corpus"
            ));
        }
    }
    eprintln!(
        "properties: redact: {} curl + {} har, {redacted_ok} redacted and re-read, {both_fail} unreadable (redact fails too), {rules_compared} rule sets compared, {secrets_checked} secrets checked, {} secret(s) surviving (listed in KNOWN_LEAKS: {}), {} HAR(s) in KNOWN_REDACT_DRIFT, {} failure(s), {:.1}s",
        count(&cases, Origin::CorpusCurl),
        count(&cases, Origin::CorpusHar),
        known_leaks.len(),
        KNOWN_LEAKS.iter().filter(|l| l.0 == "redact").count(),
        KNOWN_REDACT_DRIFT.len(),
        failures.len(),
        start.elapsed().as_secs_f64(),
    );
    assert!(redacted_ok > 0 && secrets_checked > 0);
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
