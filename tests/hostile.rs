//! Hostile inputs: every capture and config the tool may be handed must end with exit 0, 1 or
//! 2 and a message — never a panic, an abort, a stack overflow, a signal or a hang.
//!
//! A deterministic generator (no randomness: the same inputs on every run) writes each input
//! to a temp dir and runs the real binary on it:
//!
//! * captures: `doctor FILE`, `doctor --format json --config GOOD.toml FILE` (so that the
//!   rules that need a config run too), `redact FILE -o OUT`;
//! * configs: `check --config FILE` and `doctor --format json --config FILE <a small curl>`.
//!
//! Each run has a timeout (`HOSTILE_TIMEOUT_SECS`, default 20 s; the child is killed after
//! it) and must: exit with 0, 1 or 2; not die from a signal; keep `panicked at`,
//! `RUST_BACKTRACE`, `stack overflow` and `memory allocation` out of stderr; and, on exit 2,
//! print a short message (non-empty, at most 16 KiB) that names the file. Every failure is
//! collected and the test panics once with the whole list.
//!
//! `hostile_inputs` keeps sizes small enough for a debug build on two busy cores (nesting
//! 10^5 deep, inputs up to a few MB); `hostile_inputs_huge` (ignored; run it with
//! `cargo test --release --test hostile -- --ignored`) runs the nesting cases 10^6 deep.
//!
//! Knobs for investigating: `HOSTILE_FILTER=substring` runs only the cases whose name
//! contains it, `HOSTILE_SKIP=a,b` leaves out those whose name contains one of them, and
//! `HOSTILE_KEEP=DIR` copies the input of every failing case there.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Cases slower than the timeout today (debug build, 2 busy cores), by name.
const KNOWN_SLOW: &[&str] = &[];

// ---------------------------------------------------------------------------------------------
// The cases.

/// What an input is fed to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// doctor (human and JSON) and redact.
    Capture,
    /// check --config, and doctor --config.
    Config,
    /// Both (inputs that are neither, e.g. an empty file).
    Both,
}

struct Case {
    name: String,
    /// File extension (the kind is detected from the content; the extension only breaks a
    /// TOML/YAML tie for configs).
    ext: &'static str,
    bytes: Vec<u8>,
    target: Target,
}

/// Sizes: `deep` for nesting, `many` for counts, `long` for long strings.
#[derive(Clone, Copy)]
struct Scale {
    deep: usize,
    many: usize,
    long: usize,
}

const NORMAL: Scale = Scale {
    deep: 100_000,
    many: 10_000,
    long: 1_000_000,
};

const HUGE: Scale = Scale {
    deep: 1_000_000,
    ..NORMAL
};

struct Gen {
    cases: Vec<Case>,
}

impl Gen {
    fn add(
        &mut self,
        name: impl Into<String>,
        ext: &'static str,
        target: Target,
        bytes: impl Into<Vec<u8>>,
    ) {
        self.cases.push(Case {
            name: name.into(),
            ext,
            bytes: bytes.into(),
            target,
        });
    }
    fn capture(&mut self, name: impl Into<String>, ext: &'static str, bytes: impl Into<Vec<u8>>) {
        self.add(name, ext, Target::Capture, bytes);
    }
    fn config(&mut self, name: impl Into<String>, ext: &'static str, bytes: impl Into<Vec<u8>>) {
        self.add(name, ext, Target::Config, bytes);
    }
}

fn rep(s: &str, n: usize) -> String {
    s.repeat(n)
}

/// `open` n times, `inner`, `close` n times.
fn nest(open: &str, inner: &str, close: &str, n: usize) -> String {
    let mut s = String::with_capacity((open.len() + close.len()) * n + inner.len());
    s.push_str(&open.repeat(n));
    s.push_str(inner);
    s.push_str(&close.repeat(n));
    s
}

/// `items` joined by `sep`, the i-th made by `f(i)`.
fn list(n: usize, sep: &str, f: impl Fn(usize) -> String) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push_str(sep);
        }
        s.push_str(&f(i));
    }
    s
}

const CODE: &str = "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_kV8nR3tWq2Lm9Xp4Yz7Ab1Cd5Ef0Gh";
const TOKEN: &str = "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_aT0kEnAcCeSsT0kEnAcCeSsT0kEn01";

fn sample_curl() -> String {
    format!(
        "curl -X POST 'https://api.miro.com/v1/oauth/token' \\\n  -H 'Content-Type: application/x-www-form-urlencoded' \\\n  -H 'Origin: https://app.example.com' \\\n  --data-raw 'grant_type=authorization_code&client_id=3458764512345678901&client_secret=s3cr3tS3cr3tS3cr3tS3cr3tXY&code={CODE}&redirect_uri=https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback%2F'\n"
    )
}

fn sample_url() -> String {
    "# authorize, then callback\nhttps://miro.com/oauth/authorize?response_type=code&client_id=3458764512345678901&redirect_uri=https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback&state=xyz\nhttps://app.example.com/oauth/callback?code=abcdefghijkl&state=xyz&client_id=3458764512345678901&team_id=1\n".to_string()
}

fn sample_http() -> String {
    format!(
        "POST /v1/oauth/token HTTP/1.1\nHost: api.miro.com\nContent-Type: application/x-www-form-urlencoded\nAuthorization: Basic MzQ1ODc2NDUxMjM0NTY3ODkwMTpzM2NyM3Q=\n\ngrant_type=authorization_code&code={CODE}&redirect_uri=https://app.example.com/oauth/callback\n\nHTTP/1.1 400 Bad Request\nContent-Type: application/json\n\n{{\"status\":400,\"code\":\"invalidRequest\",\"message\":\"Redirect URI mismatch.\",\"type\":\"error\"}}\n"
    )
}

/// A small valid HAR: a callback, a token exchange with its answer, an API call.
fn sample_har() -> String {
    format!(
        r#"{{"log":{{"version":"1.2","creator":{{"name":"WebInspector","version":"537.36"}},"entries":[{{"startedDateTime":"2026-11-22T10:00:00.000Z","request":{{"method":"GET","url":"https://app.example.com/oauth/callback?code={CODE}&state=xyz","headers":[{{"name":"Cookie","value":"sid=abcdef123456"}}]}},"response":{{"status":302,"headers":[],"content":{{"size":0,"mimeType":"text/html"}}}}}},{{"startedDateTime":"2026-11-22T10:00:01.000Z","request":{{"method":"POST","url":"https://api.miro.com/v1/oauth/token","headers":[{{"name":"Content-Type","value":"application/x-www-form-urlencoded"}}],"postData":{{"mimeType":"application/x-www-form-urlencoded","text":"grant_type=authorization_code&code={CODE}&client_id=3458764512345678901&client_secret=s3cr3tS3cr3tS3cr3t&redirect_uri=https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback","params":[{{"name":"code","value":"{CODE}"}}]}}}},"response":{{"status":200,"headers":[{{"name":"Content-Type","value":"application/json"}}],"content":{{"mimeType":"application/json","text":"{{\"access_token\":\"{TOKEN}\",\"refresh_token\":\"rEfReShToKeN123456\",\"expires_in\":3599,\"scope\":\"boards:read\"}}"}}}},"timings":{{"wait":10.5}}}},{{"startedDateTime":"2026-11-22T10:00:02.000Z","request":{{"method":"GET","url":"https://api.miro.com/v2/boards","headers":[{{"name":"Authorization","value":"Bearer {TOKEN}"}}]}},"response":{{"status":403,"headers":[],"content":{{"mimeType":"application/json","text":"{{\"status\":403,\"code\":\"insufficientPermissions\"}}"}}}}}}]}}}}"#
    )
}

fn sample_toml() -> String {
    "# app\n[app]\nclient_id = \"3458764512345678901\"\nclient_secret_env = \"MIRO_CLIENT_SECRET\"\nredirect_uris = [\"https://app.example.com/oauth/callback\", \"http://localhost:3000/oauth/callback\"]\nscopes = [\"boards:read\", \"boards:write\"]\nexpiring_tokens = true\n\n[miro]\napi_url = \"https://api.miro.com\"\n".to_string()
}

fn sample_yaml() -> String {
    "appName: GitHub App Cards\nsdkVersion: SDK_V2\nsdkUri: https://app.example.com\nboardPicker:\n  allowedDomains: []\nredirectUris:\n  - https://app.example.com/oauth/callback\nredirectUriForSdk: https://app.example.com/oauth/callback\nscopes:\n  - boards:write\n  - boards:read\nicons:\n  colored: \"\"\n  outline: \"\"\n".to_string()
}

/// `bytes` with `insert` put at the start, the middle (on a char boundary) and the end.
fn at_three_places(bytes: &str, insert: &[u8]) -> [(&'static str, Vec<u8>); 3] {
    let mut mid = bytes.len() / 2;
    while !bytes.is_char_boundary(mid) {
        mid -= 1;
    }
    let place = |at: usize| {
        let mut v = bytes.as_bytes()[..at].to_vec();
        v.extend_from_slice(insert);
        v.extend_from_slice(&bytes.as_bytes()[at..]);
        v
    };
    [
        ("start", place(0)),
        ("middle", place(mid)),
        ("end", place(bytes.len())),
    ]
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out: Vec<u8> = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        let b = if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        };
        out.extend_from_slice(&b);
    }
    out
}

/// Encodings and line ends of every sample kind.
fn encodings(g: &mut Gen) {
    let samples: [(&str, &'static str, Target, String); 6] = [
        ("curl", "sh", Target::Capture, sample_curl()),
        ("url", "txt", Target::Capture, sample_url()),
        ("http", "http", Target::Capture, sample_http()),
        ("har", "har", Target::Capture, sample_har()),
        ("toml", "toml", Target::Config, sample_toml()),
        ("yaml", "yaml", Target::Config, sample_yaml()),
    ];
    for (kind, ext, target, text) in &samples {
        g.add(format!("valid/{kind}"), ext, *target, text.clone());
        for (what, insert) in [
            ("invalid-utf8-ff", &b"\xff"[..]),
            ("invalid-utf8-overlong", &b"\xc0\xaf"[..]),
            ("invalid-utf8-surrogate", &b"\xed\xa0\x80"[..]),
            ("invalid-utf8-truncated", &b"\xe2\x82"[..]),
            ("nul", &b"\0"[..]),
        ] {
            for (place, bytes) in at_three_places(text, insert) {
                g.add(
                    format!("encoding/{kind}/{what}-{place}"),
                    ext,
                    *target,
                    bytes,
                );
            }
        }
        let mut bom = b"\xef\xbb\xbf".to_vec();
        bom.extend_from_slice(text.as_bytes());
        g.add(
            format!("encoding/{kind}/utf8-bom"),
            ext,
            *target,
            bom.clone(),
        );
        let mut two_boms = b"\xef\xbb\xbf".to_vec();
        two_boms.extend_from_slice(&bom);
        g.add(
            format!("encoding/{kind}/utf8-bom-twice"),
            ext,
            *target,
            two_boms,
        );
        g.add(
            format!("encoding/{kind}/utf16le-bom"),
            ext,
            *target,
            utf16(text, false),
        );
        g.add(
            format!("encoding/{kind}/utf16be-bom"),
            ext,
            *target,
            utf16(text, true),
        );
        let crlf = text.replace('\n', "\r\n");
        g.add(format!("encoding/{kind}/crlf"), ext, *target, crlf.clone());
        g.add(
            format!("encoding/{kind}/cr-only"),
            ext,
            *target,
            text.replace('\n', "\r"),
        );
        g.add(
            format!("encoding/{kind}/lf-cr-mixed"),
            ext,
            *target,
            text.replace('\n', "\n\r"),
        );
        g.add(
            format!("encoding/{kind}/no-final-newline"),
            ext,
            *target,
            text.trim_end(),
        );
        g.add(
            format!("encoding/{kind}/bom-crlf"),
            ext,
            *target,
            format!("\u{feff}{crlf}"),
        );
        // A stray BOM in the middle (a file concatenated from two).
        let mut mid = text.len() / 2;
        while !text.is_char_boundary(mid) {
            mid -= 1;
        }
        g.add(
            format!("encoding/{kind}/bom-middle"),
            ext,
            *target,
            format!("{}\u{feff}{}", &text[..mid], &text[mid..]),
        );
    }
}

/// Inputs that are nearly nothing.
fn minimal(g: &mut Gen) {
    let tiny: &[(&str, &[u8])] = &[
        ("empty", b""),
        ("space", b" "),
        ("whitespace", b" \t\n\r\n\x0b\x0c \n"),
        ("newlines", b"\n\n\n\n"),
        ("single-quote", b"'"),
        ("double-quote", b"\""),
        ("backslash", b"\\"),
        ("caret", b"^"),
        ("backtick", b"`"),
        ("brace", b"{"),
        ("bracket", b"["),
        ("close-brace", b"}"),
        ("bom-only", b"\xef\xbb\xbf"),
        ("bom-whitespace", b"\xef\xbb\xbf \n\t"),
        ("utf16-bom-only", b"\xff\xfe"),
        ("cr", b"\r"),
        ("dash", b"-"),
        ("hash", b"#"),
        ("colon", b":"),
        ("equals", b"="),
        ("nul-only", b"\0"),
        ("ff-only", b"\xff"),
        ("json-null", b"null"),
        ("json-empty-object", b"{}"),
        ("json-empty-array", b"[]"),
        ("json-string", b"\"x\""),
        ("curl-word", b"curl"),
        ("curl-quote", b"curl '"),
        ("curl-dash", b"curl -"),
        ("curl-dashdash", b"curl --"),
        ("scheme-only", b"http://"),
        ("https-only", b"https://"),
        ("request-line-only", b"GET / HTTP/1.1"),
        ("pseudo-only", b":method: GET"),
        ("yaml-doc-start", b"---"),
        ("yaml-doc-end", b"..."),
        ("toml-table", b"[app]"),
        ("toml-array-table", b"[[app]]"),
        ("harp-only", b"onInputData("),
        // Error messages quote the start of what they could not read.
        (
            "unrecognised-multibyte",
            "hello\u{e9} world \u{1F600}\n".as_bytes(),
        ),
    ];
    for (name, bytes) in tiny {
        g.add(
            format!("minimal/{name}"),
            "txt",
            Target::Both,
            bytes.to_vec(),
        );
    }
}

fn curl(g: &mut Gen, s: Scale) {
    let url = "https://api.miro.com/v1/oauth/token";
    let c = |g: &mut Gen, name: &str, text: String| g.capture(format!("curl/{name}"), "sh", text);
    c(
        g,
        "url-with-space-long",
        format!("curl 'http://a {}'\n", rep("b", 100)),
    );
    c(g, "long-redirect-uri", format!("curl {url} -d 'grant_type=authorization_code&code=abcdefgh&redirect_uri=https://app.example.com/{}'\n", rep("cb/", 30_000)));
    c(
        g,
        "form-long-name-many-files",
        format!(
            "curl {url} -F '{}=@f{}'\n",
            rep("n", 10_000),
            rep(",f", 100_000)
        ),
    );
    c(
        g,
        "heredoc-read-many-times",
        format!(
            "curl {url}{} <<EOF\n{}\nEOF\n",
            rep(" -d @- --data-urlencode @-", 1000),
            rep("x", 100_000)
        ),
    );
    // ANSI-C quoting with every kind of escape, also broken ones.
    c(g, "ansi-c-escapes", format!("curl $'{url}' -H $'X-A: \\xff\\xfe\\x00\\x7f\\e\\a\\v\\cA\\c' -d $'code=\\u00e9\\ud800\\udfff\\U7fffffff\\U0010ffff\\U00110000\\777\\0\\x\\u\\U&client_secret=abc\\'def'\n"));
    c(g, "ansi-c-unterminated", format!("curl {url} -d $'abc\\'"));
    c(g, "ansi-c-backslash-eof", format!("curl {url} -d $'abc\\"));
    c(
        g,
        "ansi-c-many",
        format!(
            "curl {url} -d $'{}'\n",
            rep("\\x41\\u00e9\\n\\'", s.many * 10)
        ),
    );
    c(
        g,
        "ansi-c-invalid-utf8",
        format!("curl {url} -H $'Authorization: Bearer \\xff\\xfe\\xc0\\xaf{TOKEN}'\n"),
    );
    c(
        g,
        "many-headers",
        format!(
            "curl {url} {}\n",
            list(s.many, " ", |i| format!("-H 'X-H{i}: v{i}'"))
        ),
    );
    c(
        g,
        "many-same-headers",
        format!(
            "curl {url} {}\n",
            list(s.many, " ", |_| format!(
                "-H 'Authorization: Bearer {TOKEN}'"
            ))
        ),
    );
    c(
        g,
        "many-headers-remove",
        format!(
            "curl {url} {}\n",
            list(s.many, " ", |i| format!("-H 'X-H{i}:' -H 'Y{i};'"))
        ),
    );
    c(
        g,
        "many-data",
        format!(
            "curl {url} {}\n",
            list(s.many, " ", |i| format!("-d code=c{i}xxxx"))
        ),
    );
    c(
        g,
        "many-urls",
        format!(
            "curl -d grant_type=authorization_code {}\n",
            list(s.many, " ", |i| format!(
                "https://api.miro.com/v1/oauth/token?i={i}"
            ))
        ),
    );
    c(
        g,
        "many-data-times-many-urls",
        format!(
            "curl {} {}\n",
            list(2000, " ", |i| format!("-d a{i}=1")),
            list(2000, " ", |_| url.to_string())
        ),
    );
    c(
        g,
        "big-body-times-many-urls",
        format!(
            "curl -d '{}' {}\n",
            rep("a", s.long / 4),
            list(s.many / 4, " ", |_| url.to_string())
        ),
    );
    c(
        g,
        "many-headers-times-many-urls",
        format!(
            "curl {} {}\n",
            list(2000, " ", |i| format!("-H 'X{i}: y'")),
            list(2000, " ", |_| url.to_string())
        ),
    );
    c(
        g,
        "many-forms-times-many-urls",
        format!(
            "curl {} {}\n",
            list(2000, " ", |i| format!("-F 'f{i}=@a,b,c'")),
            list(2000, " ", |_| url.to_string())
        ),
    );
    c(
        g,
        "many-next",
        format!(
            "curl {}\n",
            list(s.many, " --next ", |i| format!("-d code=c{i}xxxx {url}"))
        ),
    );
    c(
        g,
        "many-url-options",
        format!(
            "curl {}\n",
            list(s.many, " ", |i| format!(
                "--url https://x{i}.example.com/cb?code=abcdef{i}"
            ))
        ),
    );
    c(
        g,
        "many-commands-distinct-codes",
        list(2000, "\n", |i| {
            format!("curl -X POST '{url}?grant_type=authorization_code&code=c{i}xxxxxxxx&client_id=1&client_secret=sssssss&redirect_uri=https://x/cb'")
        }),
    );
    c(
        g,
        "many-commands-semicolon",
        list(s.many, ";", |_| format!("curl {url}")),
    );
    c(
        g,
        "many-pipes",
        format!("echo '{{}}' {} curl -d @- {url}\n", rep("| cat ", s.many)),
    );
    c(g, "data-urlencode-forms", format!("curl {url} --data-urlencode = --data-urlencode @ --data-urlencode @- --data-urlencode name@ --data-urlencode =@- --data-urlencode '%' --data-urlencode 'a=%zz%' --data-urlencode 'code@-' --data-urlencode '{}' --data-urlencode 'x={}' -G --url-query '+%' --url-query @- <<< '\u{e9}\u{1F600}'\n", rep("=", 1000), rep("\u{e9}", 1000)));
    c(
        g,
        "data-urlencode-huge",
        format!(
            "curl {url} --data-urlencode 'code={}'\n",
            rep("\u{1F600} &=", s.long / 16)
        ),
    );
    c(g, "unbalanced-single", format!("curl {url} -d 'code=abc\n"));
    c(
        g,
        "unbalanced-double",
        format!("curl {url} -d \"code=abc\n"),
    );
    c(
        g,
        "unbalanced-many-quotes",
        format!("curl {url} {}\n", rep("'\"", s.many)),
    );
    c(g, "backslash-at-end", format!("curl {url} -d abc\\"));
    c(
        g,
        "backslash-crlf-at-end",
        format!("curl {url} -d abc\\\r\n"),
    );
    c(
        g,
        "backslash-run",
        format!("curl {url} -d {}\n", rep("\\", s.long)),
    );
    c(
        g,
        "continuation-loop",
        format!("curl \\\n{}{url}\n", rep("\\\n", s.deep)),
    );
    c(
        g,
        "continuation-loop-crlf",
        format!("curl \\\r\n{}{url}\r\n", rep("\\\r\n", s.deep)),
    );
    c(g, "continuation-only", rep("\\\n", s.deep));
    c(g, "cmd-caret-at-end", format!("curl {url} -d ^\"abc^\" ^"));
    c(
        g,
        "cmd-caret-run",
        format!("curl ^\"{url}^\" -d {} ^\n", rep("^", s.long)),
    );
    c(
        g,
        "cmd-caret-continuation-loop",
        format!("curl ^\"{url}^\" ^\n{}-d a\n", rep(" ^\n", s.deep)),
    );
    c(
        g,
        "cmd-unterminated",
        format!("curl ^\"{url}^\" -d \"abc ^\n"),
    );
    c(
        g,
        "cmd-quotes-and-backslashes",
        format!("curl ^\"{url}^\" -d {} ^\n", rep("\\\"\\\\\"", s.many)),
    );
    c(
        g,
        "cmd-redirections",
        format!("curl ^\"{url}^\" {} ^\n", rep("< > >> 2>&1 ", s.many)),
    );
    c(
        g,
        "powershell-backtick-at-end",
        format!("curl.exe {url} -d abc `"),
    );
    c(
        g,
        "powershell-backtick-run",
        format!("curl.exe {url} -d {} `\n", rep("`", s.long)),
    );
    c(
        g,
        "powershell-stop-parsing",
        format!("curl.exe --% {url} -d \"abc\n"),
    );
    c(
        g,
        "powershell-block-comment",
        format!("curl.exe {url} <# {}", rep("#", s.many)),
    );
    c(
        g,
        "powershell-subexpression-deep",
        format!("curl.exe {url} -d \"{}\"\n", nest("$(", "x", ")", s.deep)),
    );
    c(
        g,
        "expansion-deep",
        format!("curl {url} -d {}\n", nest("$(", "x", ")", s.deep)),
    );
    c(
        g,
        "expansion-deep-unclosed",
        format!("curl {url} -d {}\n", rep("$(", s.deep)),
    );
    c(
        g,
        "braces-deep",
        format!("curl {url} -d {}\n", nest("${", "x", "}", s.deep)),
    );
    c(
        g,
        "arith-deep",
        format!("curl {url} -d {}\n", nest("$((", "1", "))", s.deep)),
    );
    c(
        g,
        "backtick-unterminated",
        format!("curl {url} -d `echo {}\n", rep("\\`", s.many)),
    );
    c(
        g,
        "heredoc-unterminated",
        format!("curl {url} -d @- <<EOF\n{}\n", rep("line\n", s.many)),
    );
    c(
        g,
        "heredocs-many",
        format!(
            "curl {url} -d @- {}\n{}",
            rep("<<EOF ", s.many),
            rep("x\nEOF\n", 10)
        ),
    );
    c(
        g,
        "herestring-huge",
        format!("curl {url} -d @- <<< '{}'\n", rep("a", s.long)),
    );
    c(
        g,
        "redirect-without-target",
        format!("curl {url} > \ncurl {url} <\ncurl {url} 2>"),
    );
    c(
        g,
        "short-cluster",
        format!("curl {url} -{}\n", rep("sSLkv", s.many)),
    );
    c(g, "option-needs-argument", format!("curl {url} -H"));
    c(g, "unicode-dash", format!("curl \u{2013}H 'a: b' {url}\n"));
    c(g, "unicode-everywhere", format!("curl '{url}?code=\u{e9}\u{1F600}\u{200b}\u{feff}' -H 'Authorization: Bearer \u{e9}\u{e9}\u{e9}\u{e9}\u{e9}' -H 'Authorization: Basic \u{1F600}\u{1F600}' -u '\u{e9}:\u{e9}\u{e9}\u{e9}\u{e9}' -d 'client_secret=\u{1F600}\u{1F600}\u{1F600}'\n"));
    c(g, "auth-schemes-multibyte", format!("curl {url} -H 'Authorization: Bearer\u{e9}x' -H 'Authorization: Basic\u{e9}' -H 'Authorization: \u{e9}' -H 'Authorization: Bearer  Bearer  {TOKEN}' -H 'Authorization: Basic ====' -H 'Authorization: Basic Og==' -H 'Authorization: Basic {}'\n", rep("QUFB", s.many)));
    c(
        g,
        "user-weird",
        format!(
            "curl {url} -u ':' -u '' -u ':::::' -u '{}'\n",
            rep(":", s.many)
        ),
    );
    c(g, "url-userinfo", "curl 'https://a:b@c:d@e@api.miro.com:99999999999999999999/v1/oauth/token' -d code=abcdef\n".to_string());
    c(
        g,
        "url-ipv6-open",
        "curl 'http://[::1' -d code=abcdef\ncurl 'http://[' \ncurl '[::1]:80'\n".to_string(),
    );
    c(
        g,
        "url-empty-host",
        "curl 'https:///path' ; curl '' ; curl '://' ; curl 'http://?' ; curl '#'\n".to_string(),
    );
    c(
        g,
        "long-word",
        format!("curl {url}?code={}\n", rep("a", s.long)),
    );
    c(
        g,
        "long-bearer",
        format!(
            "curl https://api.miro.com/v2/boards -H 'Authorization: Bearer {}'\n",
            rep("a", 100_000)
        ),
    );
    c(
        g,
        "long-basic",
        format!(
            "curl {url} -H 'Authorization: Basic {}'\n",
            rep("QUFB", 25_000)
        ),
    );
    c(
        g,
        "long-cookie",
        format!(
            "curl {url} -b '{}'\n",
            list(s.many / 4, "; ", |i| format!("c{i}=v{i}xxxx"))
        ),
    );
    c(g, "comments-only", rep("# curl https://x\n", s.many));
    c(g, "prompt-loop", format!("{}{url}\n", rep("$ ", s.many)));
    c(
        g,
        "ps-prompt-loop",
        format!("PS C:\\> {}curl.exe {url}\n", rep("PS> ", s.many)),
    );
    c(
        g,
        "not-curl-then-curl",
        format!("{}curl {url}\n", rep("echo x; ", s.many)),
    );
    c(
        g,
        "assignments",
        format!("{} curl {url}\n", list(s.many, " ", |i| format!("A{i}=b"))),
    );
    c(g, "form-weird", format!("curl {url} -F 'a=@{}' -F 'b=\"unterminated' -F 'c=<' -F '=' -F 'd=\"x\\\\\\\";type=a;;;' -F 'noequals'\n", rep("f,", s.many)));
}

fn urls(g: &mut Gen, s: Scale) {
    let c = |g: &mut Gen, name: &str, text: String| g.capture(format!("url/{name}"), "txt", text);
    let auth = "https://miro.com/oauth/authorize?response_type=code&client_id=3458764512345678901&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb";
    c(
        g,
        "long-redirect-uri",
        format!(
            "{auth}&redirect_uri=https://app.example.com/{}\n",
            rep("cb/", 30_000)
        ),
    );
    c(
        g,
        "many-query-params",
        format!(
            "{auth}&{}\n",
            list(s.many * 10, "&", |i| format!("p{i}=v{i}"))
        ),
    );
    c(
        g,
        "many-code-params",
        format!(
            "https://app.example.com/cb?{}\n",
            list(s.many, "&", |i| format!("code=c{i}xxxxxxxx"))
        ),
    );
    c(
        g,
        "many-redirect-params",
        format!(
            "{auth}&{}\n",
            list(s.many, "&", |i| format!(
                "redirect_uri=https://x{i}.example.com/cb"
            ))
        ),
    );
    c(
        g,
        "many-empty-params",
        format!("{auth}{}\n", rep("&", s.long)),
    );
    c(
        g,
        "percent-at-end",
        format!("{auth}&state=abc%\nhttps://x/cb?code=%\nhttps://x/%"),
    );
    c(
        g,
        "invalid-escapes",
        format!(
            "{auth}&state=%zz%g%%%%%ff%fe%c0%af%ed%a0%80&code=%\nhttps://x/cb?code=%E9%{}\n",
            rep("%", s.many)
        ),
    );
    c(
        g,
        "percent-run",
        format!("https://x/cb?code={}\n", rep("%25", s.long / 3)),
    );
    c(
        g,
        "double-encoded-deep",
        format!("{auth}&redirect_uri={}\n", rep("%25", 1000) + "2F"),
    );
    c(g, "ipv6", "http://[::1\nhttp://[\nhttp://[::1]:99999999999999999999/cb?code=abcdef\nhttp://[::1]]]:1/\nhttp://[[[::1]/\n".to_string());
    c(g, "huge-port", format!("https://api.miro.com:{}/v2/boards\nhttps://api.miro.com:-1/\nhttps://api.miro.com:/\nhttps://api.miro.com::::/\n", rep("9", 1000)));
    c(g, "userinfo", format!("https://user:pass@miro.com/oauth/authorize?client_id=1\nhttps://@@@@miro.com/\nhttps://{}@miro.com/\nhttps://a:b:c@d@miro.com:1:2/\n", rep("u:", s.many)));
    c(g, "host-weird", "https://\u{e9}\u{1F600}.miro.com/oauth/authorize\nhttps://miro.com./oauth/authorize\nhttps://MIRO.COM/OAUTH/AUTHORIZE?CLIENT_ID=1\nhttps://.miro.com/\nhttps:///\nhttp://#\nhttps://?\n".to_string());
    c(
        g,
        "many-lines",
        list(s.many, "\n", |i| {
            format!("https://app.example.com/cb?code=c{i}xxxxxxxx&state=s{i}")
        }),
    );
    c(g, "many-lines-same", rep(&format!("{auth}\n"), s.many));
    c(
        g,
        "long-path",
        format!("https://api.miro.com/{}\n", rep("a/", s.long / 2)),
    );
    c(
        g,
        "long-fragment",
        format!("https://x/cb#{}\n", rep("#?&=", s.long / 4)),
    );
    c(g, "space-inside", format!("{auth} {}\n", rep("x ", 100)));
    c(g, "multibyte-everywhere", "https://x/cb?code=\u{e9}\u{e9}\u{e9}\u{e9}&state=\u{1F600}&error=\u{200b}&error_description=\u{e9}%\u{e9}\nhttps://miro.com/oauth/authorize?redirect_uri=\u{e9}&client_id=\u{1F600}&scope=\u{e9}\n".to_string());
    c(
        g,
        "mixed-case-scheme",
        "hTtPs://miro.com/oauth/authorize?response_type=code\nHTTP://X/\n".to_string(),
    );
}

fn http(g: &mut Gen, s: Scale) {
    let c = |g: &mut Gen, name: &str, text: String| g.capture(format!("http/{name}"), "http", text);
    c(
        g,
        "request-line-only",
        "POST /v1/oauth/token HTTP/1.1".to_string(),
    );
    c(
        g,
        "request-line-only-absolute",
        "POST https://api.miro.com/v1/oauth/token HTTP/1.1\n".to_string(),
    );
    c(
        g,
        "many-headers",
        format!(
            "GET /v2/boards HTTP/1.1\nHost: api.miro.com\n{}\n\n",
            list(s.many * 10, "\n", |i| format!("X-H{i}: v"))
        ),
    );
    c(
        g,
        "many-auth-headers",
        format!(
            "GET /v2/boards HTTP/1.1\nHost: api.miro.com\n{}\n\n",
            list(s.many, "\n", |i| format!(
                "Authorization: Bearer tok{i}xxxxxxxxxx"
            ))
        ),
    );
    c(
        g,
        "header-without-colon",
        "GET /v2/boards HTTP/1.1\nHost: api.miro.com\nnocolon\n\n".to_string(),
    );
    c(
        g,
        "header-colon-only",
        "GET /v2/boards HTTP/1.1\nHost: api.miro.com\n:\n::\n: x\n\n".to_string(),
    );
    c(
        g,
        "fold-first",
        "GET /v2/boards HTTP/1.1\n folded\nHost: api.miro.com\n\n".to_string(),
    );
    c(
        g,
        "many-folds",
        format!(
            "GET /v2/boards HTTP/1.1\nHost: api.miro.com\nX: a\n{}\n",
            rep(" b\n", s.many)
        ),
    );
    c(g, "chunked-bogus", "POST /v1/oauth/token HTTP/1.1\nHost: api.miro.com\nTransfer-Encoding: chunked\nContent-Type: application/x-www-form-urlencoded\n\nffffffffffffffffffffff\r\ncode=abc\r\n-1\r\nzz\r\n0\r\n".to_string());
    c(g, "content-length-huge", "POST /v1/oauth/token HTTP/1.1\nHost: api.miro.com\nContent-Length: 99999999999999999999\nContent-Type: application/x-www-form-urlencoded\n\ncode=abcdef\n".to_string());
    c(
        g,
        "content-length-negative",
        "POST /v1/oauth/token HTTP/1.1\nHost: api.miro.com\nContent-Length: -5\n\ncode=abcdef\n"
            .to_string(),
    );
    c(g, "pseudo-misordered", "authorization: Bearer x\n:path: /v2/boards\n:method: GET\n:authority: api.miro.com\n:scheme: https\n:path: /again\n".to_string());
    c(
        g,
        "pseudo-no-authority",
        ":method: POST\n:path: /v1/oauth/token\n\ncode=abc\n".to_string(),
    );
    c(
        g,
        "pseudo-empty",
        ":method:\n:authority:\n:path:\n:scheme:\n".to_string(),
    );
    c(
        g,
        "pseudo-weird-scheme",
        ":method: GET\n:authority: [::1\n:scheme: \u{e9}://\n:path: ?code=abcdef\n".to_string(),
    );
    c(
        g,
        "host-empty",
        "GET /v2/boards HTTP/1.1\nHost:\n\n".to_string(),
    );
    c(
        g,
        "target-weird",
        "GET * HTTP/1.1\nHost: api.miro.com\n\nGET :// HTTP/1.1\n".to_string(),
    );
    c(
        g,
        "method-only-lowercase",
        "post /v1/oauth/token http/1.1\nhost: api.miro.com\n\n".to_string(),
    );
    c(
        g,
        "response-only",
        "HTTP/1.1 401 Unauthorized\nContent-Type: application/json\n\n{}\n".to_string(),
    );
    c(
        g,
        "request-then-many-responses",
        format!(
            "GET /v2/boards HTTP/1.1\nHost: api.miro.com\n\n{}",
            rep("HTTP/1.1 401 Unauthorized\n\n", s.many)
        ),
    );
    c(g, "response-bad-header", "GET /v2/boards HTTP/1.1\nHost: api.miro.com\n\nHTTP/1.1 401 Unauthorized\nno colon here\n\n".to_string());
    c(g, "response-status-weird", "GET /v2/boards HTTP/1.1\nHost: api.miro.com\n\nHTTP/1.1 999 X\n\n{\"status\":99999999999999999999999}\nHTTP/1.1 000\n".to_string());
    c(g, "deep-json-body", format!("POST /v1/oauth/token HTTP/1.1\nHost: api.miro.com\nContent-Type: application/json\n\n{}\n", nest("[", "1", "]", s.deep)));
    c(g, "deep-json-object-body", format!("POST /v1/oauth/token HTTP/1.1\nHost: api.miro.com\nContent-Type: application/json\n\n{}\n", nest("{\"a\":", "1", "}", s.deep)));
    c(g, "deep-json-response", format!("POST /v1/oauth/token HTTP/1.1\nHost: api.miro.com\n\ncode=abcdef\n\nHTTP/1.1 400 Bad Request\nContent-Type: application/json\n\n{}\n", nest("{\"message\":", "\"x\"", "}", s.deep)));
    c(g, "json-body-huge-numbers", "POST /v1/oauth/token HTTP/1.1\nHost: api.miro.com\nContent-Type: application/json\n\n{\"client_id\":1e999,\"code\":-1e999,\"expires_in\":99999999999999999999999999,\"x\":[1e999,-0,NaN]}\n\nHTTP/1.1 200 OK\n\n{\"access_token\":\"abcdefgh\",\"expires_in\":1e999,\"refresh_token_expires_in\":-99999999999999999999,\"scope\":7}\n".to_string());
    c(g, "json-body-surrogates", format!("POST /v1/oauth/token HTTP/1.1\nHost: api.miro.com\nContent-Type: application/json\n\n{{\"code\":\"\\ud800\",\"client_secret\":\"\\udfff\\ud800\\u0000\",\"x\":\"{}\"}}\n", rep("\\\\", s.many)));
    c(g, "form-body-huge", format!("POST /v1/oauth/token HTTP/1.1\nHost: api.miro.com\nContent-Type: application/x-www-form-urlencoded\n\n{}\n", list(s.many * 10, "&", |i| format!("p{i}=%{i:02x}"))));
    c(
        g,
        "cookie-huge",
        format!(
            "GET /v2/boards HTTP/1.1\nHost: api.miro.com\nCookie: {}\n\n",
            list(s.many / 4, "; ", |i| format!("c{i}=v{i}xxxx"))
        ),
    );
    c(g, "basic-multibyte", "POST /v1/oauth/token HTTP/1.1\nHost: api.miro.com\nAuthorization: Basic \u{e9}\u{e9}\u{e9}\u{e9}\nAuthorization: Basic\u{e9}\nAuthorization: Bearer\u{1F600}\nAuthorization: \u{1F600}\u{1F600}\u{1F600}\n\n".to_string());
    c(g, "multipart-body", format!("POST /v1/oauth/token HTTP/1.1\nHost: api.miro.com\nContent-Type: multipart/form-data; boundary={}\n\n--x\r\nContent-Disposition: form-data; name=\"code\"\r\n\r\nabc\r\n--x--\r\n", rep("-", s.many)));
}

fn har(g: &mut Gen, s: Scale) {
    let c = |g: &mut Gen, name: &str, text: String| g.capture(format!("har/{name}"), "har", text);
    let doc = |entries: &str| format!("{{\"log\":{{\"version\":\"1.2\",\"entries\":{entries}}}}}");
    let entry = |req: &str, resp: &str| {
        format!("{{\"startedDateTime\":\"2026-11-22T10:00:00Z\",\"request\":{req},\"response\":{resp}}}")
    };
    let token_req = |extra: &str| {
        format!("{{\"method\":\"POST\",\"url\":\"https://api.miro.com/v1/oauth/token\",\"headers\":[{{\"name\":\"Content-Type\",\"value\":\"application/x-www-form-urlencoded\"}}]{extra}}}")
    };
    let ok_resp = "{\"status\":200,\"headers\":[],\"content\":{\"mimeType\":\"application/json\",\"text\":\"{}\"}}";
    for (name, entries) in [
        ("entries-string", "\"x\""),
        ("entries-number", "1e999"),
        ("entries-null", "null"),
        ("entries-object", "{\"a\":1}"),
        ("entries-true", "true"),
        ("entries-array-of-null", "[null,null]"),
        ("entries-array-of-numbers", "[1,2,3]"),
        ("entries-array-of-arrays", "[[],[[]]]"),
        ("entries-empty-objects", "[{},{}]"),
    ] {
        c(g, name, doc(entries));
    }
    c(g, "log-null", "{\"log\":null}".to_string());
    c(g, "log-array", "{\"log\":[]}".to_string());
    c(g, "no-log", "{\"lag\":{\"entries\":[]}}".to_string());
    c(g, "nulls-everywhere", doc(&format!("[{}]", entry("{\"method\":null,\"url\":null,\"headers\":null,\"queryString\":null,\"cookies\":null,\"postData\":null,\"httpVersion\":null}", "{\"status\":null,\"headers\":[null,{\"name\":null,\"value\":null}],\"content\":null,\"cookies\":[null]}"))));
    c(g, "nulls-in-kept", doc(&format!("[{}]", entry(&token_req(",\"postData\":{\"mimeType\":null,\"text\":null,\"params\":[null,{\"name\":null,\"value\":null,\"fileName\":null},{}]}"), "{\"status\":null,\"headers\":null,\"content\":{\"text\":null,\"encoding\":null}}"))));
    c(g, "numbers-for-strings", doc(&format!("[{}]", entry("{\"method\":1,\"url\":2,\"headers\":[{\"name\":3,\"value\":4e999}],\"postData\":{\"mimeType\":5,\"text\":6,\"params\":[{\"name\":7,\"value\":8}]}}", "{\"status\":\"abc\",\"headers\":[{\"name\":true,\"value\":false}],\"content\":{\"text\":1e999,\"encoding\":9}}"))));
    c(g, "numbers-for-strings-kept", doc(&format!("[{}]", entry(&token_req(",\"postData\":{\"mimeType\":5,\"text\":6,\"params\":[{\"name\":7,\"value\":8},{\"name\":\"code\",\"value\":{\"a\":[1,{\"b\":null}]}}]}"), "{\"status\":1e999,\"headers\":[{\"name\":1,\"value\":2}],\"content\":{\"text\":-0.0,\"encoding\":[]}}"))));
    c(g, "huge-numbers", doc(&format!("[{}]", entry(&token_req(""), "{\"status\":-99999999999999999999999999,\"bodySize\":1e999,\"headersSize\":-1e999,\"content\":{\"size\":123456789012345678901234567890}}").replace("2026-11-22T10:00:00Z", "1e999"))));
    c(
        g,
        "status-variants",
        doc(&format!(
            "[{}]",
            [
                "200.5",
                "-1",
                "65536",
                "\"\"",
                "\" 404 \"",
                "[]",
                "{}",
                "true",
                "1e2",
                "0x10"
            ]
            .iter()
            .map(|st| entry(&token_req(""), &format!("{{\"status\":{st}}}")))
            .collect::<Vec<_>>()
            .join(",")
        )),
    );
    c(g, "timings-weird", doc(&format!("[{{\"startedDateTime\":\"2026-11-22T10:00:00Z\",\"time\":-1e999,\"timings\":{{\"send\":-1,\"wait\":\"NaN\",\"receive\":1e999,\"blocked\":null,\"ssl\":-0}},\"request\":{},\"response\":{ok_resp}}}]", token_req(""))));
    c(
        g,
        "nan-literal",
        doc(&format!("[{}]", entry(&token_req(""), "{\"status\":NaN}"))),
    );
    c(
        g,
        "dates-weird",
        doc(&format!(
            "[{}]",
            [
                "",
                "not a date",
                "2026-13-45T99:99:99Z",
                "9999999-01-01T00:00:00Z",
                "-0001-01-01T00:00:00Z",
                "2026-11-22T10:00:00+99:99",
                "\\ud800",
                "2026-11-22T10:00:00.0000000000000000000001Z"
            ]
            .iter()
            .map(|d| entry(&token_req(""), ok_resp).replace("2026-11-22T10:00:00Z", d))
            .collect::<Vec<_>>()
            .join(",")
        )),
    );
    c(g, "base64-invalid", doc(&format!("[{}]", ["!!!!", "QUJD=", "====", "Q", "QUJD\\nRA", "\\u00e9\\u00e9", ""].iter().map(|b| entry(&token_req(""), &format!("{{\"status\":400,\"content\":{{\"mimeType\":\"application/json\",\"encoding\":\"base64\",\"text\":\"{b}\"}}}}"))).collect::<Vec<_>>().join(","))));
    c(
        g,
        "base64-huge-invalid",
        doc(&format!(
            "[{}]",
            entry(
                &token_req(""),
                &format!(
                    "{{\"status\":400,\"content\":{{\"encoding\":\"base64\",\"text\":\"{}\"}}}}",
                    rep("QUJD!", s.long / 5)
                )
            )
        )),
    );
    c(g, "base64-decodes-to-deep-json", doc(&format!("[{}]", entry(&token_req(""), &format!("{{\"status\":400,\"content\":{{\"mimeType\":\"application/json\",\"encoding\":\"base64\",\"text\":\"{}\"}}}}", b64(&nest("[", "1", "]", s.deep)))))));
    c(g, "params-with-nulls", doc(&format!("[{}]", entry(&token_req(",\"postData\":{\"mimeType\":\"application/x-www-form-urlencoded\",\"params\":[null,{\"name\":\"code\"},{\"value\":\"x\"},{\"name\":null,\"value\":null},[],\"str\",1]}"), ok_resp))));
    c(g, "params-multipart-nulls", doc(&format!("[{}]", entry(&token_req(",\"postData\":{\"mimeType\":\"multipart/form-data\",\"params\":[{\"name\":\"code\",\"value\":null,\"fileName\":null},{\"name\":null,\"fileName\":\"x\"}]}"), ok_resp))));
    c(g, "duplicate-keys", format!("{{\"log\":{{\"entries\":[],\"entries\":[{}],\"log\":1}},\"log\":{{\"entries\":[{}]}}}}", entry(&token_req("").replace("\"url\":", "\"url\":\"x\",\"url\":"), ok_resp), entry(&token_req(""), ok_resp)));
    c(g, "duplicate-keys-in-kept", doc(&format!("[{}]", entry(&token_req(",\"postData\":{\"text\":\"a\",\"text\":\"b\"},\"method\":\"GET\",\"headers\":[]"), "{\"status\":200,\"status\":400,\"content\":{},\"content\":{\"text\":\"x\"}}"))));
    c(g, "backslash-escapes-skipped", doc(&format!("[{}]", entry(&format!("{{\"method\":\"GET\",\"url\":\"https://cdn.example.com/x\",\"comment\":\"{}\"}}", rep("\\\\", s.long)), "{}"))));
    c(
        g,
        "backslash-escapes-kept",
        doc(&format!(
            "[{}]",
            entry(
                &token_req(&format!(
                    ",\"postData\":{{\"mimeType\":\"text/plain\",\"text\":\"{}\"}}",
                    rep("\\\\", s.long / 2)
                )),
                &format!(
                    "{{\"status\":400,\"content\":{{\"text\":\"{}\"}}}}",
                    rep("\\n\\\"", s.long / 4)
                )
            )
        )),
    );
    c(
        g,
        "unicode-escapes-many",
        doc(&format!(
            "[{}]",
            entry(
                &token_req(&format!(
                    ",\"postData\":{{\"mimeType\":\"text/plain\",\"text\":\"{}\"}}",
                    rep("\\u00e9\\ud83d\\ude00", s.long / 20)
                )),
                ok_resp
            )
        )),
    );
    c(g, "surrogate-halves", doc(&format!("[{}]", entry(&token_req("").replace("token\"", "token?code=\\ud800\\udbff\\udc00x&state=\\udfff\"").replace("\"Content-Type\"", "\"\\ud800\""), "{\"status\":400,\"headers\":[{\"name\":\"\\udc00\",\"value\":\"\\ud800\"}],\"content\":{\"text\":\"{\\\"access_token\\\":\\\"\\\\ud800abcdef\\\"}\"}}"))));
    c(
        g,
        "bad-escapes",
        doc(&format!(
            "[{}]",
            entry(
                &token_req("").replace("token\"", "token\\q\\x41\\u12\\u\\uzzzz\""),
                ok_resp
            )
        )),
    );
    c(
        g,
        "control-chars-in-strings",
        doc(&format!(
            "[{}]",
            entry(
                &token_req("").replace("token\"", "token\u{1}\t\u{7f}\""),
                ok_resp
            )
        )),
    );
    c(g, "deep-array-entries", doc(&nest("[", "", "]", s.deep)));
    c(g, "deep-array-top", nest("[", "", "]", s.deep));
    c(
        g,
        "deep-object-top",
        format!("{{\"x\":{}}}", nest("{\"a\":", "1", "}", s.deep)),
    );
    c(
        g,
        "deep-in-log",
        format!(
            "{{\"log\":{{\"x\":{},\"entries\":[]}}}}",
            nest("[", "", "]", s.deep)
        ),
    );
    c(
        g,
        "deep-in-skipped-entry",
        doc(&format!(
            "[{{\"request\":{{\"url\":\"https://cdn.example.com/\",\"x\":{}}}}}]",
            nest("{\"a\":", "1", "}", s.deep)
        )),
    );
    c(
        g,
        "deep-in-kept-entry",
        doc(&format!(
            "[{{\"request\":{{\"url\":\"https://api.miro.com/v1/oauth/token\",\"x\":{}}}}}]",
            nest("[", "", "]", s.deep)
        )),
    );
    c(
        g,
        "deep-before-url",
        doc(&format!(
            "[{{\"request\":{{\"x\":{},\"url\":\"https://api.miro.com/v1/oauth/token\"}}}}]",
            nest("{\"a\":", "1", "}", s.deep)
        )),
    );
    c(
        g,
        "deep-in-params",
        doc(&format!(
            "[{}]",
            entry(
                &token_req(&format!(
                    ",\"postData\":{{\"params\":[{{\"name\":\"code\",\"value\":{}}}]}}",
                    nest("[", "1", "]", s.deep)
                )),
                ok_resp
            )
        )),
    );
    c(
        g,
        "deep-json-request-body",
        doc(&format!(
            "[{}]",
            entry(
                &token_req(&format!(
                    ",\"postData\":{{\"mimeType\":\"application/json\",\"text\":\"{}\"}}",
                    nest("[", "1", "]", s.deep)
                )),
                ok_resp
            )
            .replace("application/x-www-form-urlencoded", "application/json")
        )),
    );
    c(g, "deep-json-response-body", doc(&format!("[{}]", entry(&token_req(""), &format!("{{\"status\":400,\"content\":{{\"mimeType\":\"application/json\",\"text\":\"{}\"}}}}", nest("{\\\"error\\\":", "1", "}", s.deep))))));
    c(g, "deep-truncated", format!("{{\"log\":{{\"entries\":[{{\"request\":{{\"url\":\"https://api.miro.com/v1/oauth/token\",\"x\":{}", rep("[", s.deep)));
    c(
        g,
        "deep-truncated-skipped",
        format!("{{\"log\":{{\"x\":{}", rep("{\"a\":", s.deep)),
    );
    c(
        g,
        "long-key",
        doc(&format!(
            "[{{\"{}\":1,\"request\":{{\"url\":\"https://api.miro.com/v1/oauth/token\"}}}}]",
            rep("k", s.long)
        )),
    );
    c(g, "long-number", doc(&format!("[{{\"n\":{},\"request\":{{\"url\":\"https://api.miro.com/v1/oauth/token\",\"n\":{}}}}}]", rep("9", s.long / 2), rep("1", 10_000))));
    c(
        g,
        "long-literal",
        doc(&format!(
            "[{{\"n\":t{},\"request\":{{}}}}]",
            rep("r", s.long / 2)
        )),
    );
    c(
        g,
        "many-entries-kept",
        doc(&format!(
            "[{}]",
            list(s.many / 2, ",", |i| {
                entry(&token_req(&format!(",\"postData\":{{\"mimeType\":\"application/x-www-form-urlencoded\",\"text\":\"grant_type=authorization_code&code=c{i}xxxxxxxx&client_id=1\"}}")), ok_resp)
            })
        )),
    );
    c(
        g,
        "many-entries-distinct-tokens",
        doc(&format!(
            "[{}]",
            list(2000, ",", |i| {
                entry(&format!("{{\"method\":\"GET\",\"url\":\"https://api.miro.com/v2/boards\",\"headers\":[{{\"name\":\"Authorization\",\"value\":\"Bearer tok{i}xxxxxxxxxxxxxxxx\"}}]}}"), "{\"status\":401}")
            })
        )),
    );
    c(
        g,
        "many-entries-skipped",
        doc(&format!(
            "[{}]",
            list(s.many * 5, ",", |i| entry(
                &format!("{{\"method\":\"GET\",\"url\":\"https://h{i}.example.com/x\"}}"),
                "{\"status\":500}"
            ))
        )),
    );
    c(g, "many-headers-in-kept", doc(&format!("[{}]", entry(&format!("{{\"method\":\"GET\",\"url\":\"https://api.miro.com/v2/boards\",\"headers\":[{}]}}", list(s.many * 5, ",", |i| format!("{{\"name\":\"X-{i}\",\"value\":\"v\"}}"))), "{\"status\":200}"))));
    c(g, "many-cookies", doc(&format!("[{}]", entry(&format!("{{\"method\":\"GET\",\"url\":\"https://miro.com/oauth/authorize\",\"cookies\":[{}]}}", list(s.many, ",", |i| format!("{{\"name\":\"c{i}\",\"value\":\"v{i}xxxxxxxx\"}}"))), "{\"status\":200}"))));
    c(
        g,
        "huge-entry",
        doc(&format!(
            "[{}]",
            entry(
                &token_req(""),
                &format!(
                    "{{\"status\":200,\"content\":{{\"text\":\"{}\"}}}}",
                    rep("a", s.long * 2)
                )
            )
        )),
    );
    c(g, "trailing-garbage", format!("{}xyz", sample_har()));
    c(
        g,
        "two-documents",
        format!("{}{}", sample_har(), sample_har()),
    );
    c(
        g,
        "harp-unterminated",
        format!("onInputData({}", sample_har()),
    );
    c(g, "harp-no-paren", format!("onInputData{}", sample_har()));
    c(
        g,
        "harp-long-name",
        format!("{}({});", rep("a", s.many), sample_har()),
    );
    c(g, "harp-ok", format!("onInputData({});", sample_har()));
    c(
        g,
        "whitespace-padded",
        format!(
            "{}{}{}",
            rep(" \n\t\r", s.many),
            sample_har(),
            rep(" \n", s.many)
        ),
    );
    // The sample cut right before and after every structural character.
    let h = sample_har();
    let mut cuts = std::collections::BTreeSet::new();
    for (i, b) in h.bytes().enumerate() {
        if b"{}[]:,\"".contains(&b) {
            cuts.insert(i);
            cuts.insert(i + 1);
        }
    }
    for cut in cuts {
        if cut < h.len() && h.is_char_boundary(cut) {
            c(g, &format!("truncated-at-{cut:04}"), h[..cut].to_string());
        }
    }
}

/// Standard base64 with padding.
fn b64(text: &str) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = text.as_bytes();
    let mut out = String::with_capacity(b.len() * 4 / 3 + 4);
    for chunk in b.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &x)| n | (u32::from(x) << (16 - 8 * i)));
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(A[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn toml(g: &mut Gen, s: Scale) {
    let c = |g: &mut Gen, name: &str, text: String| g.config(format!("toml/{name}"), "toml", text);
    let app = "[app]\nclient_id = \"3458764512345678901\"\n";
    c(
        g,
        "long-string-wrong-type",
        format!("{app}expiring_tokens = \"{}\"\n", rep("a", 100)),
    );
    c(
        g,
        "deep-array",
        format!("{app}scopes = {}\n", nest("[", "", "]", s.deep)),
    );
    c(
        g,
        "deep-array-unclosed",
        format!("{app}scopes = {}\n", rep("[", s.deep)),
    );
    c(
        g,
        "deep-inline-table",
        format!("{app}scopes = {}\n", nest("{a=", "1", "}", s.deep)),
    );
    c(
        g,
        "deep-inline-table-top",
        format!("a = {}\n{app}", nest("{a=", "1", "}", s.deep)),
    );
    c(
        g,
        "deep-dotted-key",
        format!("{app}{} = 1\n", list(s.deep, ".", |_| "a".to_string())),
    );
    c(
        g,
        "deep-table-header",
        format!("[{}]\n{app}", list(s.deep, ".", |_| "a".to_string())),
    );
    c(
        g,
        "deep-array-table-header",
        format!("{app}[[{}]]\n", list(s.deep, ".", |_| "a".to_string())),
    );
    c(
        g,
        "deep-mixed",
        format!("{app}x = {}\n", nest("[{a=", "1", "}]", s.deep / 2)),
    );
    c(
        g,
        "many-redirect-uris",
        format!(
            "{app}redirect_uris = [\n{}\n]\nscopes = [\"boards:read\"]\n",
            list(s.many * 2, ",\n", |i| format!(
                "  \"https://x{i}.example.com/cb\""
            ))
        ),
    );
    c(
        g,
        "many-scopes",
        format!(
            "{app}scopes = [{}]\n",
            list(s.many * 2, ",", |i| format!("\"s{i}:read\""))
        ),
    );
    c(
        g,
        "many-redirect-uris-one-line",
        format!(
            "{app}redirect_uris = [{}]\n",
            list(s.many * 2, ",", |i| format!("\"http://localhost:{i}/cb\""))
        ),
    );
    c(
        g,
        "many-bad-items",
        format!("{app}scopes = [{}1]\n", rep("\"a\",", s.many)),
    );
    c(
        g,
        "many-unknown-keys",
        format!("{app}{}\n", list(s.many, "\n", |i| format!("k{i} = {i}"))),
    );
    c(
        g,
        "many-tables",
        format!("{app}{}\n", list(s.many, "\n", |i| format!("[t{i}]"))),
    );
    c(g, "duplicate-keys", format!("{app}client_id = \"2\"\n"));
    c(g, "duplicate-tables", format!("{app}[app]\n"));
    c(
        g,
        "array-of-tables",
        "[[app]]\nclient_id = \"1\"\n[[app]]\n".to_string(),
    );
    c(g, "huge-integer", "[app]\nclient_id = 99999999999999999999999999999999999999999\nscopes = [1e999, nan, -inf, +inf, 0x7fffffffffffffff, 0b1, 0o7]\n".to_string());
    c(
        g,
        "huge-integer-dotted",
        "app.client_id = 99999999999999999999\n".to_string(),
    );
    c(g, "datetimes", "[app]\nclient_id = 1979-05-27T07:32:00Z\nscopes = [1979-05-27, 07:32:00, 9999-12-31T23:59:59.999999999+23:59]\nexpiring_tokens = 0000-00-00\n".to_string());
    c(
        g,
        "unterminated-string",
        format!("[app]\nclient_id = \"{}", rep("a", s.long)),
    );
    c(
        g,
        "unterminated-multiline",
        format!("[app]\nclient_id = \"\"\"{}", rep("a\n", s.many)),
    );
    c(
        g,
        "huge-string",
        format!(
            "[app]\nclient_id = \"{}\"\nredirect_uris = [\"{}\"]\n",
            rep("9", s.long),
            rep("\u{e9}", s.long / 2)
        ),
    );
    c(g, "long-key", format!("[app]\n{} = 1\n", rep("k", s.long)));
    c(g, "long-table-name", format!("[{}]\n", rep("t", s.long)));
    c(g, "escapes", "[app]\nclient_id = \"\\ud800\\u0000\\U0010FFFF\\U00110000\\x41\"\nclient_secret = '\\'\nscopes = [\"\\\", \"\\\\\"]\n".to_string());
    c(g, "bad-urls", format!("[app]\nredirect_uris = [\"\", \"http://[::1\", \"https://{}@x\", \"http://x:99999999999\", \"%\", \"\u{e9}://\u{e9}\", \"https://x/{}\"]\nsdk_redirect_uri = \"http://[\"\nsdk_uri = \"javascript:alert(1)\"\n[miro]\nauth_url = \"http://[::1\"\n", rep("u:", 1000), rep("%", 1000)));
    c(
        g,
        "bad-miro-url",
        "[app]\n[miro]\napi_url = \"http://[\"\nauth_url = \"https://\"\n".to_string(),
    );
    c(g, "types-everywhere", "[app]\nclient_id = [\"1\"]\nclient_secret = {a = 1}\nredirect_uris = \"x\"\nscopes = [[\"a\"]]\nexpiring_tokens = \"true\"\nuses_web_sdk = 1\nsdk_uri = 1.5\n".to_string());
    c(
        g,
        "yaml-looking-toml",
        format!("[app]\nclient_id: 1\n{}", rep("- a\n", s.many)),
    );
    c(
        g,
        "mixed-toml-yaml",
        format!("{}{}", sample_toml(), sample_yaml()),
    );
    c(
        g,
        "nul-in-string",
        "[app]\nclient_id = \"1\0\"\n".to_string(),
    );
    c(
        g,
        "many-comments",
        format!("{}{app}", rep("# comment [[[[ {{{{ \"'\n", s.many)),
    );
    c(
        g,
        "many-brackets-in-strings",
        format!(
            "{app}scopes = [\"{}\"]\nredirect_uris = ['{}']\n",
            rep("[{", s.many / 4),
            rep("]}", s.many / 4)
        ),
    );
}

fn yaml(g: &mut Gen, s: Scale) {
    let c = |g: &mut Gen, name: &str, text: String| g.config(format!("yaml/{name}"), "yaml", text);
    let head = "appName: x\n";
    c(
        g,
        "deep-flow-seq",
        format!("{head}scopes: {}\n", nest("[", "", "]", s.deep)),
    );
    c(
        g,
        "deep-flow-seq-unclosed",
        format!("{head}scopes: {}\n", rep("[", s.deep)),
    );
    c(
        g,
        "deep-flow-map",
        format!("{head}scopes: {}\n", nest("{a: ", "1", "}", s.deep)),
    );
    c(
        g,
        "deep-flow-map-json",
        format!("{head}scopes: {}\n", nest("{\"a\":", "1", "}", s.deep)),
    );
    c(g, "deep-flow-top", nest("[", "", "]", s.deep));
    c(g, "deep-flow-top-map", nest("{a: ", "", "}", s.deep));
    c(
        g,
        "deep-flow-multiline",
        format!("{head}scopes: {}\n", nest("[\n", "a", "\n]", s.deep)),
    );
    c(
        g,
        "deep-flow-with-strings",
        format!(
            "{head}scopes: {}\n",
            nest("[ \"]\", '}}', ", "a", "]", s.deep / 4)
        ),
    );
    c(
        g,
        "deep-flow-after-anchor",
        format!("{head}scopes: &a {}\n", nest("[", "", "]", s.deep)),
    );
    c(
        g,
        "deep-flow-after-tag",
        format!("{head}scopes: !!seq {}\n", nest("[", "", "]", s.deep)),
    );
    c(
        g,
        "deep-flow-in-key",
        format!("{head}{}: x\n", nest("[", "", "]", s.deep)),
    );
    c(
        g,
        "deep-flow-in-block-seq",
        format!("{head}scopes:\n  - {}\n", nest("[", "", "]", s.deep)),
    );
    c(
        g,
        "deep-block-seq-one-line",
        format!("{head}scopes:\n  {}x\n", rep("- ", s.deep)),
    );
    c(
        g,
        "deep-block-seq-indented",
        format!(
            "{head}scopes:\n{}",
            list((s.deep / 100).min(3000), "\n", |i| format!(
                "{}- ",
                " ".repeat(i * 2 + 2)
            ))
        ),
    );
    c(
        g,
        "deep-block-map-indented",
        format!(
            "{head}{}",
            list((s.deep / 100).min(3000), "\n", |i| format!(
                "{}a:",
                " ".repeat(i)
            ))
        ),
    );
    c(
        g,
        "deep-block-map-one-line",
        format!("{head}scopes: {}x\n", rep("a: ", s.deep)),
    );
    c(
        g,
        "deep-explicit-keys",
        format!("{head}{}x\n", rep("? ", s.deep)),
    );
    let mut laughs =
        String::from("appName: x\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let _ = writeln!(
            laughs,
            "l{i}: &l{i} [{}]",
            list(9, ", ", |_| format!("*l{}", i - 1))
        );
    }
    laughs.push_str("scopes: *l9\nredirectUris: *l9\n");
    c(g, "billion-laughs", laughs);
    let mut quadratic = String::from("appName: x\na: &a [\"x\"]\n");
    for i in 0..s.many / 10 {
        let _ = writeln!(quadratic, "b{i}: *a");
    }
    c(g, "many-aliases", quadratic);
    c(
        g,
        "merge-keys",
        format!(
            "appName: x\nbase: &b {{scopes: [boards:read]}}\n{}",
            list(s.many / 10, "\n", |i| format!("m{i}: {{<<: [*b, *b, *b]}}"))
        ),
    );
    c(
        g,
        "alias-unknown",
        "appName: x\nscopes: *nope\n".to_string(),
    );
    c(g, "alias-self", "appName: x\nscopes: &a [*a]\n".to_string());
    c(
        g,
        "many-scopes",
        format!(
            "{head}scopes:\n{}\n",
            list(s.many * 2, "\n", |i| format!("  - s{i}:read"))
        ),
    );
    c(
        g,
        "many-scopes-flow",
        format!(
            "{head}scopes: [{}]\n",
            list(s.many * 2, ", ", |i| format!("s{i}:read"))
        ),
    );
    c(
        g,
        "many-redirect-uris",
        format!(
            "{head}redirectUris:\n{}\n",
            list(s.many * 2, "\n", |i| format!(
                "  - https://x{i}.example.com/cb"
            ))
        ),
    );
    c(
        g,
        "many-bad-items",
        format!("{head}scopes: [{}1]\n", rep("a, ", s.many)),
    );
    c(
        g,
        "many-keys-duplicate-at-end",
        format!(
            "{head}m:\n{}\n  k5: 2\n",
            list(s.many * 2, "\n", |i| format!("  k{i}: 1"))
        ),
    );
    c(
        g,
        "many-top-keys-duplicate",
        format!(
            "{head}{}\nappName: y\n",
            list(s.many * 2, "\n", |i| format!("k{i}: 1"))
        ),
    );
    c(
        g,
        "duplicate-keys",
        "appName: x\nappName: y\nscopes: []\n".to_string(),
    );
    c(
        g,
        "multi-document",
        format!("{}---\n{}", sample_yaml(), sample_yaml()),
    );
    c(g, "many-documents", rep("---\nappName: x\n", s.many));
    c(g, "tags", "appName: !!binary aGVsbG8=\nscopes: !!python/object:os.system [boards:read]\nredirectUris: !custom {a: 1}\nsdkUri: !!int 5\nredirectUriForSdk: !!null ''\n".to_string());
    c(g, "tabs", "appName:\tx\nscopes:\n\t- a\n".to_string());
    c(
        g,
        "types-everywhere",
        "appName: [1]\nscopes: {a: 1}\nredirectUris: 5\nsdkUri: [x]\nredirectUriForSdk: {b: 2}\n"
            .to_string(),
    );
    c(g, "scalar-doc", "just a string\n".to_string());
    c(
        g,
        "huge-scalar",
        format!(
            "appName: x\nsdkUri: {}\nscopes: [\"{}\"]\n",
            rep("a", s.long),
            rep("\u{e9}", s.long / 2)
        ),
    );
    c(
        g,
        "huge-block-scalar",
        format!(
            "appName: x\nsdkUri: >-\n{}",
            rep("  [[[[ {{{{ 'a\" #\n", s.many)
        ),
    );
    c(
        g,
        "unterminated-quote",
        format!("appName: \"{}", rep("a\n", s.many)),
    );
    c(
        g,
        "complex-keys",
        format!(
            "appName: x\n? [a, b]\n: c\n? {}\n: d\n",
            nest("{a: ", "1", "}", 100)
        ),
    );
    c(
        g,
        "directives",
        "%YAML 1.1\n%TAG ! tag:x:\n%YAML 9.9\n---\nappName: x\n".to_string(),
    );
    c(
        g,
        "weird-indicators",
        "appName: @x\nscopes: `y`\nsdkUri: |9\n  x\n".to_string(),
    );
    c(
        g,
        "anchors-many",
        format!(
            "appName: x\nscopes: [{}]\n",
            list(s.many, ", ", |i| format!("&a{i} s{i}"))
        ),
    );
    c(g, "json-manifest", "{\"appName\": \"x\", \"scopes\": [\"boards:read\"], \"redirectUris\": [\"https://x/cb\"]}\n".to_string());
    c(
        g,
        "many-brackets-in-comments",
        format!("{}{}", rep("# [[[[ {{{{\n", s.many), sample_yaml()),
    );
}

fn all_cases(s: Scale) -> Vec<Case> {
    let mut g = Gen { cases: Vec::new() };
    encodings(&mut g);
    minimal(&mut g);
    curl(&mut g, s);
    urls(&mut g, s);
    http(&mut g, s);
    har(&mut g, s);
    toml(&mut g, s);
    yaml(&mut g, s);
    g.cases
}

// ---------------------------------------------------------------------------------------------
// Running them.

/// One run of the binary on a case.
struct Run {
    label: &'static str,
    args: Vec<String>,
}

fn runs_for(case: &Case, input: &Path, dir: &Path, good_curl: &Path, good_toml: &Path) -> Vec<Run> {
    let p = input.display().to_string();
    let out = dir.join(format!(
        "{}.out",
        input.file_name().unwrap().to_string_lossy()
    ));
    // Inputs refused before any rule runs (undecodable, cut short): the JSON report would
    // only repeat the plain run.
    let quick = ["/truncated-at-", "/invalid-utf8-", "/nul-"]
        .iter()
        .any(|w| case.name.contains(w));
    let mut runs = Vec::new();
    if matches!(case.target, Target::Capture | Target::Both) {
        runs.push(Run {
            label: "doctor",
            args: vec!["doctor".into(), p.clone()],
        });
        if !quick {
            runs.push(Run {
                label: "doctor-json",
                // With a config, so that the rules that need one run too.
                args: vec![
                    "doctor".into(),
                    "--format".into(),
                    "json".into(),
                    "--config".into(),
                    good_toml.display().to_string(),
                    p.clone(),
                ],
            });
        }
        runs.push(Run {
            label: "redact",
            args: vec![
                "redact".into(),
                p.clone(),
                "-o".into(),
                out.display().to_string(),
            ],
        });
    }
    if matches!(case.target, Target::Config | Target::Both) {
        runs.push(Run {
            label: "check",
            args: vec!["check".into(), "--config".into(), p.clone()],
        });
        if !quick {
            runs.push(Run {
                label: "doctor-config",
                args: vec![
                    "doctor".into(),
                    "--format".into(),
                    "json".into(),
                    "--config".into(),
                    p.clone(),
                    good_curl.display().to_string(),
                ],
            });
        }
    }
    runs
}

struct Outcome {
    status: Result<std::process::ExitStatus, &'static str>,
    elapsed: Duration,
    stderr: String,
}

fn run_one(
    args: &[String],
    cwd: &Path,
    stdout: &Path,
    stderr: &Path,
    timeout: Duration,
) -> Outcome {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_miro-oauth"))
        .args(args)
        .current_dir(cwd)
        .env_remove("MIRO_OAUTH_CONFIG")
        .env_remove("RUST_BACKTRACE")
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(stdout).expect("stdout file"))
        .stderr(std::fs::File::create(stderr).expect("stderr file"))
        .spawn()
        .expect("spawn miro-oauth");
    let mut nap = Duration::from_millis(1);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break Err("timed out (killed)");
            }
            Ok(None) => {
                std::thread::sleep(nap);
                nap = (nap * 2).min(Duration::from_millis(20));
            }
            Err(_) => break Err("wait failed"),
        }
    };
    let elapsed = start.elapsed();
    let bytes = std::fs::read(stderr).unwrap_or_default();
    let _ = std::fs::remove_file(stdout);
    Outcome {
        status,
        elapsed,
        stderr: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// What is wrong with an outcome, if anything.
fn judge(o: &Outcome, file_name: &str) -> Option<String> {
    let mut problems = Vec::new();
    let code = match &o.status {
        Err(why) => return Some((*why).to_string()),
        Ok(status) => status.code(),
    };
    match code {
        Some(0..=2) => {}
        Some(c) => problems.push(format!("exit code {c}")),
        None => {
            #[cfg(unix)]
            {
                use std::os::unix::process::ExitStatusExt;
                let sig = o.status.as_ref().ok().and_then(|s| s.signal());
                problems.push(format!("killed by signal {sig:?}"));
            }
            #[cfg(not(unix))]
            problems.push("no exit code".to_string());
        }
    }
    for marker in [
        "panicked at",
        "RUST_BACKTRACE",
        "stack overflow",
        "memory allocation",
    ] {
        if o.stderr.contains(marker) {
            problems.push(format!("stderr contains `{marker}`"));
        }
    }
    if code == Some(2) {
        if o.stderr.trim().is_empty() {
            problems.push("exit 2 with an empty stderr".to_string());
        } else if !o.stderr.contains(file_name) {
            problems.push("exit 2 but the message does not name the file".to_string());
        }
        if o.stderr.len() > 16 << 10 {
            problems.push(format!(
                "exit 2 with a {}-byte message (expected a short one)",
                o.stderr.len()
            ));
        }
    }
    (!problems.is_empty()).then(|| problems.join("; "))
}

/// The first and last characters of a long text, for failure reports.
fn clip(s: &str) -> String {
    let s = s.trim();
    let n = s.chars().count();
    if n <= 400 {
        return s.to_string();
    }
    let head: String = s.chars().take(300).collect();
    let tail: String = s.chars().skip(n - 100).collect();
    format!("{head} … [{} chars] … {tail}", n - 400)
}

fn run_all(scale: Scale, default_timeout: u64, only: fn(&Case) -> bool) {
    let timeout = Duration::from_secs(
        std::env::var("HOSTILE_TIMEOUT_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default_timeout),
    );
    let filter = std::env::var("HOSTILE_FILTER").ok();
    let keep = std::env::var_os("HOSTILE_KEEP").map(PathBuf::from);
    let mut cases = all_cases(scale);
    cases.retain(only);
    if let Some(f) = &filter {
        cases.retain(|c| c.name.contains(f.as_str()));
    }
    // Known performance holes: these end (exit 0-2, no panic) but take longer than the
    // 20 s timeout in a debug build; left open, listed in the hardening issue's notes.
    // `HOSTILE_SLOW=1` runs them too.
    if std::env::var_os("HOSTILE_SLOW").is_none() {
        cases.retain(|c| !KNOWN_SLOW.contains(&c.name.as_str()));
    }
    if let Ok(skip) = std::env::var("HOSTILE_SKIP") {
        cases.retain(|c| !skip.split(',').any(|s| !s.is_empty() && c.name.contains(s)));
    }
    // Case names are unique (they name the failures).
    let mut names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "duplicate case names");

    let dir = tempfile::tempdir().expect("temp dir");
    let cwd = dir.path().join("cwd");
    std::fs::create_dir(&cwd).unwrap();
    let good_curl = dir.path().join("good-curl.sh");
    std::fs::write(&good_curl, sample_curl()).unwrap();
    let good_toml = dir.path().join("good.toml");
    std::fs::write(&good_toml, sample_toml()).unwrap();

    // Big inputs first, so that the slow ones overlap with the many small ones.
    let mut order: Vec<usize> = (0..cases.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(cases[i].bytes.len()));

    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .saturating_add(1)
        .clamp(2, 4);
    let next = AtomicUsize::new(0);
    let failures: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let runs_done = AtomicUsize::new(0);
    let times: Mutex<Vec<(Duration, String)>> = Mutex::new(Vec::new());
    let started = Instant::now();
    std::thread::scope(|scope| {
        for w in 0..workers {
            let (cases, order, next, failures, runs_done, times) =
                (&cases, &order, &next, &failures, &runs_done, &times);
            let (dir, cwd, good_curl, good_toml, keep) =
                (dir.path(), &cwd, &good_curl, &good_toml, &keep);
            scope.spawn(move || loop {
                let k = next.fetch_add(1, Ordering::SeqCst);
                let Some(&i) = order.get(k) else { break };
                let case = &cases[i];
                let file_name = format!("case{i:04}.{}", case.ext);
                let input = dir.join(&file_name);
                std::fs::write(&input, &case.bytes).expect("write case");
                let mut timed_out_doctor = false;
                for run in runs_for(case, &input, dir, good_curl, good_toml) {
                    if timed_out_doctor && run.label == "doctor-json" {
                        // Same pipeline as `doctor` but for the renderer: it would only time
                        // out again.
                        continue;
                    }
                    let o = run_one(
                        &run.args,
                        cwd,
                        &dir.join(format!("w{w}.stdout")),
                        &dir.join(format!("w{w}.stderr")),
                        timeout,
                    );
                    runs_done.fetch_add(1, Ordering::SeqCst);
                    times
                        .lock()
                        .unwrap()
                        .push((o.elapsed, format!("{} `{}`", case.name, run.label)));
                    if run.label == "doctor" && o.status.is_err() {
                        timed_out_doctor = true;
                    }
                    if let Some(problem) = judge(&o, &file_name) {
                        let mut f = format!(
                            "{} [{} bytes] `{}`: {problem} after {:.1?}",
                            case.name,
                            case.bytes.len(),
                            run.label,
                            o.elapsed
                        );
                        if !o.stderr.trim().is_empty() {
                            let _ = write!(
                                f,
                                "\n      stderr: {}",
                                clip(&o.stderr).replace('\n', "\n              ")
                            );
                        }
                        if let Some(keep) = keep {
                            let _ = std::fs::create_dir_all(keep);
                            let safe = case.name.replace('/', "__");
                            let _ = std::fs::write(
                                keep.join(format!("{safe}.{}", case.ext)),
                                &case.bytes,
                            );
                        }
                        failures.lock().unwrap().push(f);
                    }
                }
                let _ = std::fs::remove_file(&input);
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    eprintln!(
        "hostile: {} cases, {} runs in {:.1?} ({workers} workers), {} failing",
        cases.len(),
        runs_done.load(Ordering::SeqCst),
        started.elapsed(),
        failures.len()
    );
    let mut times = times.into_inner().unwrap();
    times.sort_by_key(|t| std::cmp::Reverse(t.0));
    // The slowest passing runs, to keep an eye on the time budget (shown with --nocapture).
    let failed = |what: &str| {
        let case = what.split(' ').next().unwrap_or("");
        failures.iter().any(|f| f.split(' ').next() == Some(case))
    };
    let passing: Vec<&(Duration, String)> = times.iter().filter(|(_, w)| !failed(w)).collect();
    eprintln!(
        "  {:.1?} of run time in the cases that pass; the slowest:",
        passing.iter().map(|(t, _)| *t).sum::<Duration>()
    );
    for (t, what) in passing.iter().take(25) {
        eprintln!("  {t:>9.1?}  {what}");
    }
    if !failures.is_empty() {
        panic!(
            "{} of the hostile runs failed:\n  - {}",
            failures.len(),
            failures.join("\n  - ")
        );
    }
}

#[test]
fn hostile_inputs() {
    run_all(NORMAL, 20, |_| true);
}

/// The cases whose size is a nesting depth (or a run of nested continuations/expansions).
fn nesting(case: &Case) -> bool {
    [
        "deep",
        "continuation",
        "expansion",
        "braces",
        "arith",
        "subexpression",
    ]
    .iter()
    .any(|w| case.name.contains(w))
}

#[test]
#[ignore = "nesting 10^6 deep: run with --release -- --ignored"]
fn hostile_inputs_huge() {
    run_all(HUGE, 60, nesting);
}

#[test]
fn generator_is_deterministic_and_covers_the_categories() {
    let a = all_cases(NORMAL);
    let b = all_cases(NORMAL);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.name, y.name);
        assert!(
            x.bytes == y.bytes,
            "{} differs between two generations",
            x.name
        );
    }
    for prefix in [
        "encoding/",
        "minimal/",
        "curl/",
        "url/",
        "http/",
        "har/",
        "har/truncated-at-",
        "toml/",
        "yaml/",
    ] {
        assert!(
            a.iter().any(|c| c.name.starts_with(prefix)),
            "no case under {prefix}"
        );
    }
}
