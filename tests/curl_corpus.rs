//! Corpus test of the curl parser against third-party expectations (see
//! `shared/corpus/curl/SOURCE.md`):
//!
//! * curlconverter's 108 commands: compared with `expected/http/*.txt` (the raw request curl
//!   sends) where present, else with `expected/json/*.json`; the others must parse.
//! * httpsnippet's 31 commands: compared with the HAR request they were generated from (17
//!   direct twins, plus the commands SOURCE.md says were generated from one of them with
//!   extra options); the others must parse.
//!
//! Only the first request of a file is compared (the expectations show only that one).
//! Curl's implicit headers (`Host`, compared separately; `User-Agent: curl/…`, `Accept: */*`,
//! `Content-Length`, `--compressed`'s `Accept-Encoding: deflate, gzip`) are left out on both
//! sides; header names compare case-insensitively (curlconverter lower-cases a whole request
//! when one `-H` is lower-case).
//!
//! Cases where the parser deliberately differs are listed in [`DELIBERATE_DIFFERENCES`] with
//! the reason; the test fails when a listed case starts matching or an unlisted one differs.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use miro_oauth::input::curl::parse_curl;
use miro_oauth::model::{parse_params, Body, Header, RawUrl, Request};
use serde_json::Value;

/// Cases (`<source>/<name>`) where the parser deliberately differs from the expectation, and
/// why. Empty: every comparable case matches.
const DELIBERATE_DIFFERENCES: &[(&str, &str)] = &[];

/// Commands that are invalid on purpose: case → a fragment the error message must contain.
const EXPECTED_ERRORS: &[(&str, &str)] = &[
    // written with indent string `@` (SOURCE.md: "not valid shell"): the continuation lines
    // become arguments like `@--url`, which curl would take as a URL with host `--url`
    (
        "httpsnippet/custom-indentation",
        "host '--url' starts with '-'",
    ),
];

/// httpsnippet commands generated from another fixture's HAR request with extra options
/// (SOURCE.md, from `src/targets/shell/curl/client.test.ts`): command → HAR fixture.
const HAR_TWINS: &[(&str, &str)] = &[
    ("short-options", "full"),
    ("binary-option", "full"),
    ("globoff-option", "nested"),
    ("long-globoff-option", "nested"),
    ("dont-deglob", "nested"),
    ("insecure-skip-verify", "https"),
    ("application-json-prettified", "application-json"),
];

/// What a case was checked against.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Against {
    Http,
    Json,
    Har,
    ParseOnly,
    ExpectedError,
}

#[test]
fn curl_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/curl");
    assert!(
        root.join("commands").is_dir() && root.join("httpsnippet/commands").is_dir(),
        "curl corpus missing: expected {} (with commands/ and httpsnippet/commands/, see \
         SOURCE.md there); this test cannot pass without it",
        root.display()
    );

    let mut results: Vec<(String, Against, Result<(), String>)> = Vec::new();

    for path in files_in(&root.join("commands"), "sh") {
        let stem = stem(&path);
        let case = format!("curlconverter/{stem}");
        let http = root.join(format!("expected/http/{stem}.txt"));
        let json = root.join(format!("expected/json/{stem}.json"));
        let (against, result) = if http.is_file() {
            (
                Against::Http,
                first_request(&path).and_then(|r| compare_http(&r, &read(&http))),
            )
        } else if json.is_file() {
            let expected: Value = serde_json::from_str(&read(&json)).expect("expected json");
            (
                Against::Json,
                first_request(&path).and_then(|r| compare_json(&r, &expected)),
            )
        } else {
            check_parse_only(&case, &path)
        };
        results.push((case, against, result));
    }

    for path in files_in(&root.join("httpsnippet/commands"), "sh") {
        let stem = stem(&path);
        let case = format!("httpsnippet/{stem}");
        let twin = HAR_TWINS
            .iter()
            .find(|(cmd, _)| *cmd == stem)
            .map(|(_, har)| *har)
            .unwrap_or(stem.as_str());
        let har = root.join(format!("httpsnippet/expected-har-request/{twin}.json"));
        let (against, result) = if EXPECTED_ERRORS.iter().any(|(c, _)| *c == case) {
            check_parse_only(&case, &path)
        } else if har.is_file() {
            let expected: Value = serde_json::from_str(&read(&har)).expect("HAR json");
            (
                Against::Har,
                first_request(&path).and_then(|r| compare_har(&r, &expected)),
            )
        } else {
            check_parse_only(&case, &path)
        };
        results.push((case, against, result));
    }

    let mut failures = Vec::new();
    let mut deliberate = 0;
    for (case, against, result) in &results {
        let listed = DELIBERATE_DIFFERENCES.iter().find(|(c, _)| c == case);
        match (result, listed) {
            (Ok(()), None) => {}
            (Err(e), None) => failures.push(format!("{case} ({against:?}): {e}")),
            (Err(_), Some(_)) => deliberate += 1,
            (Ok(()), Some((_, reason))) => failures.push(format!(
                "{case}: listed in DELIBERATE_DIFFERENCES ({reason}) but now matches; remove it"
            )),
        }
    }
    for (case, _) in DELIBERATE_DIFFERENCES {
        let compared = results.iter().any(|(c, a, _)| {
            c == case && matches!(a, Against::Http | Against::Json | Against::Har)
        });
        if !compared {
            failures.push(format!(
                "{case}: listed in DELIBERATE_DIFFERENCES but not a compared case"
            ));
        }
    }
    for (case, _) in EXPECTED_ERRORS {
        if !results.iter().any(|(c, _, _)| c == case) {
            failures.push(format!(
                "{case}: listed in EXPECTED_ERRORS but not in the corpus"
            ));
        }
    }

    let count = |a: Against| results.iter().filter(|(_, x, _)| *x == a).count();
    let compared = count(Against::Http) + count(Against::Json) + count(Against::Har);
    println!(
        "curl corpus: {} files, {} compared ({} http, {} json, {} har), {} parse-only, \
         {} expected errors, {} deliberate differences",
        results.len(),
        compared,
        count(Against::Http),
        count(Against::Json),
        count(Against::Har),
        count(Against::ParseOnly),
        count(Against::ExpectedError),
        deliberate
    );
    assert!(
        results.len() >= 130 && compared >= 90,
        "corpus looks incomplete: {} files, {compared} compared",
        results.len()
    );
    assert!(
        failures.is_empty(),
        "{} corpus case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn files_in(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    files
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads a corpus file the way upstream does: UTF-8, `\r\n` → `\n`.
fn read(path: &Path) -> String {
    fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
        .replace("\r\n", "\n")
}

fn first_request(path: &Path) -> Result<Request, String> {
    let text = read(path);
    let mut requests = parse_curl(&text).map_err(|e| format!("parse failed: {e}"))?;
    if requests.is_empty() {
        return Err("parsed to no request".to_string());
    }
    Ok(requests.swap_remove(0))
}

/// A case with nothing to compare against: it must parse (or fail as listed).
fn check_parse_only(case: &str, path: &Path) -> (Against, Result<(), String>) {
    let parsed = parse_curl(&read(path));
    if let Some((_, fragment)) = EXPECTED_ERRORS.iter().find(|(c, _)| *c == case) {
        let result = match parsed {
            Err(e) if e.message.contains(fragment) => Ok(()),
            Err(e) => Err(format!(
                "expected an error mentioning {fragment:?}, got: {e}"
            )),
            Ok(r) => Err(format!("expected an error, got {} request(s)", r.len())),
        };
        return (Against::ExpectedError, result);
    }
    let result = match parsed {
        Ok(r) if !r.is_empty() => Ok(()),
        Ok(_) => Err("parsed to no request".to_string()),
        Err(e) => Err(format!("parse failed: {e}")),
    };
    (Against::ParseOnly, result)
}

/// Curl's implicit headers, left out of comparisons (see the module docs).
fn is_implicit(name: &str, value: &str) -> bool {
    match name.to_ascii_lowercase().as_str() {
        "host" | "content-length" => true,
        "user-agent" => value.starts_with("curl/"),
        "accept" => value == "*/*",
        "accept-encoding" => value == "deflate, gzip",
        _ => false,
    }
}

/// Headers as comparable (lower-case name, value) pairs, implicit ones left out.
fn comparable(headers: &[Header]) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|h| !is_implicit(&h.name, &h.value))
        .map(|h| (h.name.to_ascii_lowercase(), h.value.clone()))
        .collect()
}

fn body_text(req: &Request) -> Result<&str, String> {
    match &req.body {
        None => Ok(""),
        Some(Body::Text(t)) => Ok(t),
        Some(Body::Multipart(parts)) => Err(format!("unexpected multipart body {parts:?}")),
    }
}

fn check<T: PartialEq + std::fmt::Debug>(what: &str, ours: T, expected: T) -> Result<(), String> {
    if ours == expected {
        Ok(())
    } else {
        Err(format!(
            "{what} differs:\n  ours:     {ours:?}\n  expected: {expected:?}"
        ))
    }
}

/// Compares with curlconverter's raw HTTP request text.
fn compare_http(req: &Request, expected: &str) -> Result<(), String> {
    // every file ends with one extra newline that is not part of the body
    let expected = expected.strip_suffix('\n').unwrap_or(expected);
    let (head, body) = expected.split_once("\n\n").unwrap_or((expected, ""));
    let mut lines = head.lines();
    let request_line = lines.next().unwrap_or("");
    // `METHOD <target> HTTP/1.1`; the target may hold a space (`?@`echo image.jpg``)
    let (method, rest) = request_line.split_once(' ').unwrap_or((request_line, ""));
    let target = rest.rsplit_once(' ').map(|(t, _)| t).unwrap_or(rest);
    // upstream quirk (SOURCE.md): an empty path prints as nothing before `?`
    let target = if target.starts_with('?') {
        format!("/{target}")
    } else {
        target.to_string()
    };
    let headers: Vec<Header> = lines
        .map(|l| {
            let (name, value) = l.split_once(':').unwrap_or((l, ""));
            Header {
                name: name.to_string(),
                value: value.trim().to_string(),
            }
        })
        .collect();

    check("method", req.method.as_str(), method)?;
    let url = RawUrl::split(&req.url);
    let path = if url.path.is_empty() { "/" } else { url.path };
    let ours_target = match url.query {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    };
    check("request target", ours_target, target)?;
    let expected_host = headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("host"))
        .map(|h| h.value.as_str())
        .unwrap_or("");
    let ours_host = req
        .header("host")
        .map(|h| h.value.as_str())
        .unwrap_or(url.authority);
    check("host", ours_host, expected_host)?;
    check("headers", comparable(&req.headers), comparable(&headers))?;
    let ours_body = body_text(req)?;
    check("body", ours_body, body)?;
    let length = headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-length"))
        .and_then(|h| h.value.parse::<usize>().ok());
    if let (Some(length), Some(Body::Text(t))) = (length, &req.body) {
        // curlconverter counts JavaScript (UTF-16) string length
        check("content-length", t.encode_utf16().count(), length)?;
    }
    Ok(())
}

/// Compares with curlconverter's JSON generator output.
fn compare_json(req: &Request, expected: &Value) -> Result<(), String> {
    let str_of = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
    check(
        "method",
        req.method.to_ascii_lowercase(),
        str_of(expected.get("method")),
    )?;
    check("url", req.url.clone(), str_of(expected.get("raw_url")))?;

    let multipart = matches!(req.body, Some(Body::Multipart(_)));
    let mut ours_headers = BTreeMap::new();
    for (name, value) in comparable(&req.headers) {
        // the generator does not show the multipart Content-Type curl derives from -F
        if multipart && name == "content-type" && value == "multipart/form-data" {
            continue;
        }
        ours_headers.insert(name, value);
    }
    let mut expected_headers = BTreeMap::new();
    if let Some(Value::Object(map)) = expected.get("headers") {
        for (name, value) in map {
            expected_headers.insert(name.to_ascii_lowercase(), str_of(Some(value)));
        }
    }
    check("headers", ours_headers, expected_headers)?;

    let (ours_data, ours_files): (BTreeMap<String, String>, BTreeMap<String, String>) =
        match &req.body {
            Some(Body::Multipart(parts)) => (
                parts
                    .iter()
                    .filter(|p| !p.file)
                    .map(|p| (p.name.clone(), p.value.clone()))
                    .collect(),
                parts
                    .iter()
                    .filter(|p| p.file)
                    .map(|p| (p.name.clone(), p.value.clone()))
                    .collect(),
            ),
            Some(Body::Text(t)) => (
                t.split('&')
                    .map(|kv| {
                        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                        (k.to_string(), v.to_string())
                    })
                    .collect(),
                BTreeMap::new(),
            ),
            None => (BTreeMap::new(), BTreeMap::new()),
        };
    match expected.get("data") {
        Some(Value::String(s)) => check("body", body_text(req)?, s.as_str())?,
        Some(Value::Object(map)) => {
            let expected_data = map
                .iter()
                .map(|(k, v)| (k.clone(), str_of(Some(v))))
                .collect();
            check("data fields", ours_data, expected_data)?;
        }
        Some(other) => return Err(format!("unsupported expected data {other}")),
        None if expected.get("files").is_none() => check("body", req.body.is_none(), true)?,
        None => {}
    }
    let expected_files: BTreeMap<String, String> = match expected.get("files") {
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| (k.clone(), str_of(Some(v))))
            .collect(),
        _ => BTreeMap::new(),
    };
    check("files", ours_files, expected_files)
}

/// Compares with the HAR request httpsnippet generated the command from.
fn compare_har(req: &Request, har: &Value) -> Result<(), String> {
    // multipart-form-data-no-params.json is a whole HAR log
    let har = har.pointer("/log/entries/0/request").unwrap_or(har);
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).unwrap_or("").to_string();
    check("method", req.method.clone(), text(har, "method"))?;

    let har_url = text(har, "url");
    let (har_base, har_query) = har_url.split_once('?').unwrap_or((&har_url, ""));
    let (ours_base, ours_query) = req.url.split_once('?').unwrap_or((&req.url, ""));
    check("url without query", ours_base, har_base)?;
    let mut expected_query: Vec<(String, String)> = parse_params(har_query)
        .into_iter()
        .map(|p| (p.name, p.value))
        .collect();
    for q in har
        .get("queryString")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        expected_query.push((text(q, "name"), text(q, "value")));
    }
    let mut ours_query: Vec<(String, String)> = parse_params(ours_query)
        .into_iter()
        .map(|p| (p.name, p.value))
        .collect();
    expected_query.sort();
    ours_query.sort();
    check("query parameters", ours_query, expected_query)?;

    let mut expected_headers: Vec<(String, String)> = har
        .get("headers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|h| (text(h, "name").to_ascii_lowercase(), text(h, "value")))
        .collect();
    let cookies: Vec<String> = har
        .get("cookies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| format!("{}={}", text(c, "name"), text(c, "value")))
        .collect();
    if !cookies.is_empty() {
        expected_headers.push(("cookie".to_string(), cookies.join("; ")));
    }
    let mut ours_headers = comparable(&req.headers);
    expected_headers.sort();
    ours_headers.sort();
    check("headers", ours_headers, expected_headers)?;

    let post = har.get("postData");
    let mime = post.map(|p| text(p, "mimeType")).unwrap_or_default();
    let params: Vec<&Value> = post
        .and_then(|p| p.get("params"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    let post_text = post.and_then(|p| p.get("text")).and_then(Value::as_str);
    if !params.is_empty() {
        if mime.starts_with("multipart/") {
            let Some(Body::Multipart(parts)) = &req.body else {
                return Err(format!("expected a multipart body, got {:?}", req.body));
            };
            let ours: Vec<(String, String, bool)> = parts
                .iter()
                .map(|p| (p.name.clone(), p.value.clone(), p.file))
                .collect();
            let expected: Vec<(String, String, bool)> = params
                .iter()
                .map(|p| match p.get("fileName").and_then(Value::as_str) {
                    Some(file) => (text(p, "name"), file.to_string(), true),
                    None => (text(p, "name"), text(p, "value"), false),
                })
                .collect();
            check("multipart parts", ours, expected)
        } else {
            let ours: Vec<(String, String)> = parse_params(body_text(req)?)
                .into_iter()
                .map(|p| (p.name, p.value))
                .collect();
            let expected: Vec<(String, String)> = params
                .iter()
                .map(|p| (text(p, "name"), text(p, "value")))
                .collect();
            check("form parameters", ours, expected)
        }
    } else if let Some(expected) = post_text {
        let ours = body_text(req)?;
        if mime.contains("json") {
            let parse = |s: &str| serde_json::from_str::<Value>(s).map_err(|e| e.to_string());
            check("json body", parse(ours)?, parse(expected)?)
        } else {
            check("body", ours, expected)
        }
    } else {
        check("body", req.body.clone(), None)
    }
}
