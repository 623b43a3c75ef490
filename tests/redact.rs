//! `redact`: the redacted copy of every fixture fires the same rules as the original, keeps
//! no secret, maps a value to one placeholder of the same length, and is valid JSON for a HAR.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use miro_oauth::redact::{redact_input, Redactor};
use miro_oauth::secret::Secrets;

const KEY: &[u8] = b"fixture-key";

/// Fixtures whose findings a redactor cannot keep, with the reason. Keep this list short.
///
/// Empty: the parts of a `.flow` are redacted on their own (as `miro-oauth redact` does one
/// file at a time), so one value can get two kinds (a code in one part, a bearer token in the
/// other); `token-malformed` still sees them as one through `redact::same_secret`.
const EXCEPTIONS: &[(&str, &str)] = &[];

struct Case {
    parts: Vec<String>,
    redacted: Vec<String>,
    response: Option<String>,
    redacted_response: Option<String>,
    /// Every part's redactor, for the placeholder checks.
    redactors: Vec<Redactor>,
}

/// Redacts a fixture: each part of a `.flow` on its own with the same key, a sibling
/// `.response` with the secrets of the whole flow.
fn redact_case(path: &Path) -> Case {
    let name = common::fixture_name(path);
    let text = std::fs::read_to_string(path).unwrap();
    let parts = if path.extension().is_some_and(|e| e == "flow") {
        common::split_flow(&text)
    } else {
        vec![text]
    };
    let mut redacted = Vec::new();
    let mut redactors = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let mut r = Redactor::new(KEY);
        let out = redact_input(&format!("{name}#{i}"), part.as_bytes(), &mut r)
            .unwrap_or_else(|e| panic!("{name}: cannot redact: {e}"));
        redacted.push(out);
        redactors.push(r);
    }
    let response = std::fs::read_to_string(format!("{}.response", path.display())).ok();
    let redacted_response = response.as_ref().map(|resp| {
        let mut r = Redactor::new(KEY);
        r.collect_flow(&original_flow(&name, &parts, Some(resp)));
        let out = r.redact(resp);
        redactors.push(r);
        out
    });
    Case {
        parts,
        redacted,
        response,
        redacted_response,
        redactors,
    }
}

fn original_flow(name: &str, parts: &[String], response: Option<&str>) -> miro_oauth::model::Flow {
    let sources: Vec<(String, Vec<u8>)> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("{name}#{i}"), p.as_bytes().to_vec()))
        .collect();
    let mut flow = miro_oauth::read_flow(&sources).unwrap();
    if let Some(r) = response {
        miro_oauth::attach_response(&mut flow, "response", r.as_bytes()).unwrap();
    }
    flow
}

fn joined(parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| {
            if p.ends_with('\n') {
                p.clone()
            } else {
                format!("{p}\n")
            }
        })
        .collect::<Vec<_>>()
        .join("---\n")
}

fn rule_ids(report: &miro_oauth::finding::Report) -> BTreeSet<&'static str> {
    report.findings.iter().map(|f| f.rule).collect()
}

#[test]
fn redacted_fixtures_fire_the_same_rules() {
    let mut failures = Vec::new();
    let mut passed = 0;
    for path in common::capture_fixtures() {
        let name = common::fixture_name(&path);
        let case = redact_case(&path);
        let is_flow = case.parts.len() > 1;
        let config = common::dir_config(path.parent().unwrap());
        let before = common::run_text(
            &name,
            &joined(&case.parts),
            is_flow,
            config.as_ref(),
            case.response.as_deref(),
        );
        let after = common::run_text(
            &name,
            &joined(&case.redacted),
            is_flow,
            config.as_ref(),
            case.redacted_response.as_deref(),
        );
        let (b, a) = (rule_ids(&before), rule_ids(&after));
        let excepted = EXCEPTIONS.iter().any(|(n, _)| *n == name);
        if b == a {
            passed += 1;
            assert!(!excepted, "{name} passes now: remove it from EXCEPTIONS");
        } else if !excepted {
            failures.push(format!("{name}: before {b:?}, after {a:?}"));
        }
    }
    eprintln!("redact property: {passed} fixtures fire the same rules");
    assert!(
        failures.is_empty(),
        "{} fixture(s) fire other rules once redacted:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn no_secret_survives_and_lengths_are_kept() {
    let mut failures = Vec::new();
    for path in common::capture_fixtures() {
        let name = common::fixture_name(&path);
        let case = redact_case(&path);
        let flow = original_flow(&name, &case.parts, case.response.as_deref());
        let secrets = Secrets::from_flow(&flow);
        let outputs = case.redacted.iter().chain(case.redacted_response.iter());
        // Values left as written on purpose (templates like `{{token}}`, masks already there).
        let mut kept: Vec<&String> = case.redactors.iter().flat_map(|r| r.kept()).collect();
        kept.sort_by_key(|k| std::cmp::Reverse(k.len()));
        for out in outputs {
            let mut out = out.clone();
            for k in &kept {
                out = out.replace(k.as_str(), "");
            }
            // `scrub` changes a text exactly when a secret (or an encoded spelling) is in it.
            if secrets.scrub(&out) != out {
                failures.push(format!("{name}: a secret survives:\n{out}"));
            }
        }
        for (orig, out) in case.parts.iter().zip(&case.redacted) {
            if orig.len() != out.len() {
                failures.push(format!("{name}: length changed"));
            }
            if path.extension().is_some_and(|e| e == "har") {
                let parsed = serde_json::from_str::<serde_json::Value>(out);
                if let Err(e) = parsed {
                    failures.push(format!("{name}: redacted HAR is not JSON: {e}"));
                }
            }
        }
        for r in &case.redactors {
            for (value, _) in r.values() {
                let p = r.placeholder(value).unwrap();
                if p.len() != value.len() || p == value {
                    failures.push(format!("{name}: placeholder of {value:?} is {p:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn same_value_same_placeholder_and_key_is_deterministic() {
    let text = "curl https://api.miro.com/v2/boards -H 'Authorization: Bearer eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_abcdefghijklmnopqrstuvwxyz0' -H 'Cookie: sid=s3cr3tCookieValue1; other=s3cr3tCookieValue1' --data 'access_token=eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_abcdefghijklmnopqrstuvwxyz0'\n";
    let run = |key: &[u8]| {
        let mut r = Redactor::new(key);
        let out = redact_input("t.curl", text.as_bytes(), &mut r).unwrap();
        (out, r)
    };
    let (a, r) = run(b"one");
    let (b, _) = run(b"one");
    let (c, _) = run(b"two");
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(a.len(), text.len());
    let tok = r
        .placeholder("eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_abcdefghijklmnopqrstuvwxyz0")
        .unwrap();
    assert!(tok.starts_with("eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_"), "{tok}");
    assert_eq!(a.matches(tok).count(), 2, "{a}");
    let cookie = r.placeholder("s3cr3tCookieValue1").unwrap();
    assert_eq!(a.matches(cookie).count(), 2, "{a}");
    assert!(!a.contains("abcdefghij") && !a.contains("s3cr3t"), "{a}");
}

/// A HAR with a cookie and a `Set-Cookie` on an entry the doctor does not keep, a quote in a
/// JSON-escaped cookie value, a percent-encoded client secret and tokens in a response body.
const HAR: &str = r#"{"log":{"version":"1.2","creator":{"name":"x","version":"1"},"entries":[
{"startedDateTime":"2026-11-22T10:00:00.000Z","time":1,"request":{"method":"GET","url":"https://cdn.example.com/app.js","httpVersion":"HTTP/1.1","headers":[{"name":"Cookie","value":"sid=Zk29dkLq02mmQ\"x; lang=en"}],"cookies":[{"name":"sid","value":"Zk29dkLq02mmQ\"x"}],"queryString":[],"headersSize":-1,"bodySize":0},"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[{"name":"Set-Cookie","value":"session=Qw8rT5yU2iO9pA3s; Path=/; HttpOnly"}],"cookies":[],"content":{"size":0,"mimeType":"text/plain"},"redirectURL":"","headersSize":-1,"bodySize":0},"cache":{},"timings":{"send":0,"wait":0,"receive":0}},
{"startedDateTime":"2026-11-22T10:00:01.000Z","time":1,"request":{"method":"POST","url":"https://api.miro.com/v1/oauth/token","httpVersion":"HTTP/1.1","headers":[{"name":"Content-Type","value":"application/x-www-form-urlencoded"}],"cookies":[],"queryString":[],"postData":{"mimeType":"application/x-www-form-urlencoded","text":"grant_type=authorization_code&client_id=3458764512345678901&client_secret=a%2Bb%2Fsecretvalue99&code=eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_hT3kLm9PqR2sVw8XyZ4bC6dF1gJ0nA&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb"},"headersSize":-1,"bodySize":0},"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[],"cookies":[],"content":{"size":0,"mimeType":"application/json","text":"{\"access_token\":\"eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_tokTokTok1234567890abcdefgh\",\"refresh_token\":\"eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_refRefRef1234567890abcdefgh\",\"token_type\":\"bearer\"}"},"redirectURL":"","headersSize":-1,"bodySize":0},"cache":{},"timings":{"send":0,"wait":0,"receive":0}}
]}}
"#;

#[test]
fn har_cookies_everywhere_and_valid_json() {
    let mut r = Redactor::new(b"k");
    let out = redact_input("t.har", HAR.as_bytes(), &mut r).unwrap();
    serde_json::from_str::<serde_json::Value>(&out).unwrap();
    assert_eq!(out.len(), HAR.len());
    for secret in [
        "Zk29dkLq02mmQ",
        "Qw8rT5yU2iO9pA3s",
        "secretvalue99",
        "hT3kLm9PqR2sVw8",
        "tokTokTok",
        "refRefRef",
    ] {
        assert!(!out.contains(secret), "{secret} survives:\n{out}");
    }
    // Everything else byte for byte: only the characters of secrets changed.
    let changed = HAR.bytes().zip(out.bytes()).filter(|(a, b)| a != b).count();
    assert!(changed < 150, "{changed} bytes changed");
    assert!(out.contains("client_id=3458764512345678901"));
    // Miro's public prefix, 8 fingerprint characters, the kind.
    let code = out
        .find("eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_")
        .expect("the code's prefix");
    let tail = &out[code + "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_".len()..];
    assert!(tail[8..].starts_with("MASKED-code-"), "{tail}");
    let summary = r.summary().to_string();
    assert!(summary.contains("secret 2 (3×)"), "{summary}");
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_miro-oauth"))
}

#[test]
fn cli_writes_output_and_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("redacted.sh");
    let input = common::root().join("fixtures/inputs/token-exchange.sh");
    let o = bin()
        .arg("redact")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .args(["--key", "k"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(o.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("client-secret 1") && stderr.contains("code 1"),
        "{stderr}"
    );
    let written = std::fs::read_to_string(&out).unwrap();
    let original = std::fs::read_to_string(&input).unwrap();
    assert_eq!(written.len(), original.len());
    assert!(!written.contains("Zq8mR2xT9vLp4WnC7yHb3KdF6sJg1QaE"));
    // Same key, same output, on stdout this time.
    let o2 = bin()
        .arg("redact")
        .arg(&input)
        .args(["--key", "k"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o2.stdout), written);

    let bad = bin().args(["redact", "no-such-file.har"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let unparsable = dir.path().join("x.txt");
    std::fs::write(&unparsable, "hello world\n").unwrap();
    let bad = bin().arg("redact").arg(&unparsable).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("miro-oauth: error:"));
}

/// A reader that hands out a few bytes at a time, so secrets straddle read boundaries.
struct Trickle<'a> {
    data: &'a [u8],
    sizes: &'a [usize],
    n: usize,
}

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let want = self.sizes[self.n % self.sizes.len()].min(buf.len());
        self.n += 1;
        let k = want.min(self.data.len());
        buf[..k].copy_from_slice(&self.data[..k]);
        self.data = &self.data[k..];
        Ok(k)
    }
}

/// `redact FILE` streams a HAR (entries read one by one, the copy written a chunk at a time):
/// its output is byte for byte the in-memory redaction's, for every HAR fixture and every
/// HAR of the shared corpus, whatever the read sizes.
#[test]
fn streamed_har_redaction_equals_in_memory() {
    use miro_oauth::redact::{prepare_file, Prepared};
    let mut hars: Vec<PathBuf> = common::capture_fixtures()
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "har"))
        .collect();
    let corpus = common::root().join("../shared/corpus/har");
    for f in std::fs::read_dir(&corpus).unwrap() {
        let f = f.unwrap().path();
        if f.extension().is_some_and(|e| e == "har") {
            hars.push(f);
        }
    }
    let (mut compared, mut replaced) = (0, 0);
    for path in &hars {
        let bytes = std::fs::read(path).unwrap();
        let mut in_memory = Redactor::new(KEY);
        let Ok(expected) = redact_input(&path.display().to_string(), &bytes, &mut in_memory) else {
            // An invalid HAR: the streamed pass must fail too.
            assert!(
                prepare_file(path, &mut Redactor::new(KEY)).is_err(),
                "{}",
                path.display()
            );
            continue;
        };
        let mut streamed = Redactor::new(KEY);
        let prepared = prepare_file(path, &mut streamed).unwrap();
        assert!(matches!(prepared, Prepared::Har), "{}", path.display());
        // Reads of a few bytes on the small files only (a debug build is slow at them).
        let tiny: &[usize] = if bytes.len() <= 256 << 10 {
            &[1, 3, 7, 2]
        } else {
            &[1 << 20]
        };
        for sizes in [tiny, &[4093, 1, 17], &[1 << 20]] {
            let mut out = Vec::new();
            streamed
                .redact_stream(
                    Trickle {
                        data: &bytes,
                        sizes,
                        n: 0,
                    },
                    &mut out,
                )
                .unwrap();
            assert!(
                out == expected.as_bytes(),
                "{} differs when streamed in reads of {sizes:?}",
                path.display()
            );
        }
        compared += 1;
        replaced += usize::from(expected.as_bytes() != bytes.as_slice());
    }
    eprintln!(
        "streamed redaction: {compared} HARs equal to the in-memory copy ({replaced} with secrets)"
    );
    assert!(
        compared > 60 && replaced > 20,
        "{compared} compared, {replaced} with secrets"
    );
}

/// SAML: the response posted to the ACS URL (a signed assertion, usable as a credential while
/// valid) and a redirect-binding request's `Signature` become `saml` placeholders of the same
/// length; the unsigned `SAMLRequest`, `SigAlg` and `RelayState` stay.
#[test]
fn saml_response_and_signature_are_redacted() {
    // Base64 of `<samlp:Response …><ds:SignatureValue>…` with `+`, `/` and `=` percent-encoded.
    let response = "PHNhbWxwOlJlc3BvbnNlIElEPSJfYWJjIj48ZHM6U2lnbmF0dXJlVmFsdWU%2BcTdMbTJYdjlSdDRLcDhacw%3D%3D";
    let signature = "kV8nR3tWq2Lm9Xp4Yz7Ab1Cd5Ef0Gh%2Bq7Lm2Xv9Rt4%2FKp8Zs3Wn6Yb1Hd%3D";
    let http = format!(
        "POST /sso/saml/acs HTTP/1.1\nHost: miro.com\nContent-Type: application/x-www-form-urlencoded\n\nSAMLResponse={response}&RelayState=board-42\n"
    );
    let url = format!(
        "https://idp.example.com/sso?SAMLRequest=fZJNT8MwDIbvk%2Fgf&RelayState=board-42&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256&Signature={signature}\n"
    );
    for (name, text, secret) in [("acs.http", &http, response), ("idp.url", &url, signature)] {
        let mut r = Redactor::new(KEY);
        let out = redact_input(name, text.as_bytes(), &mut r).unwrap();
        assert_eq!(out.len(), text.len(), "{out}");
        // No 12-character run of the secret survives (escapes aside).
        let plain = secret
            .replace("%2B", "+")
            .replace("%2F", "/")
            .replace("%3D", "=");
        for w in plain.as_bytes().windows(12) {
            let w = std::str::from_utf8(w).unwrap();
            if !w.contains(['+', '/', '=']) {
                assert!(!out.contains(w), "{name}: `{w}` survives:\n{out}");
            }
        }
        assert!(out.contains("MASKED-saml-"), "{name}: {out}");
        assert!(out.contains("RelayState=board-42"), "{out}");
        assert!(
            r.summary().to_string().contains("saml 1"),
            "{}",
            r.summary()
        );
    }
    let mut r = Redactor::new(KEY);
    let out = redact_input("idp.url", url.as_bytes(), &mut r).unwrap();
    assert!(out.contains("SAMLRequest=fZJNT8MwDIbvk%2Fgf&"), "{out}");
    assert!(
        out.contains("SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256&"),
        "{out}"
    );
}
