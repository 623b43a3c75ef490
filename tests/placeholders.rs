//! Captures hidden by other sanitizers: every fixture, with its codes, state, client secrets
//! and tokens replaced the way common sanitizers do (`[REDACTED]`, `***`, `[FILTERED]`,
//! `xxxxxxxx`), must not make a rule misfire on the placeholder, and every rule whose finding
//! disappears must be listed as skipped with the reason (naming the placeholder).

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use miro_oauth::finding::Report;
use miro_oauth::redact::Redactor;

/// How common sanitizers hide a value: Google's and Cloudflare's HAR sanitizers and most
/// hand-written scripts (`[REDACTED]`), asterisks, Rails/Sentry filters, `xxxx`.
const STYLES: &[&str] = &["[REDACTED]", "***", "[FILTERED]", "xxxxxxxx"];

/// Rules that may newly fire once values are hidden, and why that is right:
/// - `miro-error-explained` explains Miro's error answer, which is still in the capture; it
///   gives way to a specific rule when one fires, and the specific rule is now skipped.
/// - `secret-in-url`: `client_secret=[REDACTED]` in a URL still shows a secret was sent there
///   (the original's `client_secret=undefined` did not).
const MAY_APPEAR: &[&str] = &["miro-error-explained", "secret-in-url"];

/// The values a sanitizer hides: every secret of the flow (as `redact` finds them) and every
/// `state`, at least 8 characters long (shorter ones are not what sanitizers match).
fn hideable(text: &str, is_flow: bool, name: &str) -> Vec<String> {
    let parts = if is_flow {
        common::split_flow(text)
    } else {
        vec![text.to_string()]
    };
    let sources: Vec<(String, Vec<u8>)> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("{name}#{i}"), p.as_bytes().to_vec()))
        .collect();
    let Ok(flow) = miro_oauth::read_flow(&sources) else {
        // Fixtures of input errors (`fixtures/errors/`) have nothing to hide.
        return Vec::new();
    };
    let mut r = Redactor::new(b"k");
    r.collect_flow(&flow);
    // A quoted credential (`Bearer "eyJ…"`) loses its value, not its quotes.
    let mut values: Vec<String> = r
        .values()
        .map(|(v, _)| v.trim_matches(|c| c == '"' || c == '\'').to_string())
        .collect();
    for e in &flow.exchanges {
        for p in e.request.params_ref() {
            if p.param.name == "state" {
                values.push(p.param.value.clone());
            }
        }
    }
    values.retain(|v| v.len() >= 8 && !v.contains(char::is_whitespace));
    // Longest first, so a value inside another (a token inside Basic credentials) goes last.
    values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    values.dedup();
    values
}

/// The text with every spelling of every value replaced by `style`.
fn sanitize(text: &str, values: &[String], style: &str) -> String {
    let mut out = text.to_string();
    for v in values {
        let form: String = url_form(v);
        for spelling in [v.clone(), form, v.replace('/', "\\/")] {
            if spelling.len() >= 8 {
                out = out.replace(&spelling, style);
            }
        }
    }
    out
}

fn url_form(v: &str) -> String {
    let mut s = String::new();
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

fn run(name: &str, text: &str, is_flow: bool, path: &Path, response: Option<&str>) -> Report {
    let config = common::dir_config(path.parent().unwrap());
    common::run_text(name, text, is_flow, config.as_ref(), response)
}

#[test]
fn hidden_values_disable_rules_instead_of_misfiring() {
    let mut failures = Vec::new();
    let (mut cases, mut skips_seen, mut changed) = (0, 0, 0);
    for path in common::capture_fixtures() {
        let name = common::fixture_name(&path);
        let text = std::fs::read_to_string(&path).unwrap();
        let is_flow = path.extension().is_some_and(|e| e == "flow");
        let response = std::fs::read_to_string(format!("{}.response", path.display())).ok();
        let values = hideable(&text, is_flow, &name);
        if values.is_empty() {
            continue;
        }
        let before = run(&name, &text, is_flow, &path, response.as_deref());
        let fired: BTreeSet<&str> = before.findings.iter().map(|f| f.rule).collect();
        for style in STYLES {
            let hidden = sanitize(&text, &values, style);
            if hidden == text {
                continue;
            }
            cases += 1;
            let resp = response.as_deref().map(|r| sanitize(r, &values, style));
            let after = run(&name, &hidden, is_flow, &path, resp.as_deref());
            let now: BTreeSet<&str> = after.findings.iter().map(|f| f.rule).collect();
            if now != fired {
                changed += 1;
            }
            for rule in now.difference(&fired) {
                if !MAY_APPEAR.contains(rule) {
                    let f = after.findings.iter().find(|f| f.rule == *rule).unwrap();
                    failures.push(format!(
                        "{name} with {style}: {rule} misfires: {}",
                        f.message
                    ));
                }
            }
            for rule in fired.difference(&now) {
                let skip = after.skipped.iter().find(|s| s.rule == *rule);
                match skip {
                    Some(s) if s.reason.contains("hidden") => {
                        skips_seen += 1;
                        // The reason names the placeholder as written.
                        if !s.reason.contains(style.trim_end_matches('x')) {
                            failures.push(format!(
                                "{name} with {style}: {rule} skipped without naming the placeholder: {}",
                                s.reason
                            ));
                        }
                    }
                    other => failures.push(format!(
                        "{name} with {style}: {rule} vanished without a skip note (skipped: {:?})",
                        other.map(|s| &s.reason)
                    )),
                }
            }
        }
    }
    eprintln!(
        "placeholders: {cases} sanitized fixture copies, {changed} with other findings, {skips_seen} vanished findings explained by a skip note"
    );
    assert!(
        cases > 1000,
        "only {cases} sanitized copies: the sanitizer found no values"
    );
    assert!(
        skips_seen > 50,
        "only {skips_seen} skip notes: the property is not exercised"
    );
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The skip note in the human output names the placeholder, what it hides and which rules it
/// turns off.
#[test]
fn human_output_says_which_checks_are_off() {
    let text = "https://app.example.com/oauth/callback?code=[REDACTED]&state=af0ifjsldkj\n---\n\
curl -X POST https://api.miro.com/v1/oauth/token -d grant_type=authorization_code \
-d client_id=3458764512345678901 -d client_secret=[REDACTED] -d code=[REDACTED] \
-d redirect_uri=https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback\n---\n\
curl -X POST https://api.miro.com/v1/oauth/token -d grant_type=authorization_code \
-d client_id=3458764512345678901 -d client_secret=[REDACTED] -d code=[REDACTED] \
-d redirect_uri=https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback\n";
    let report = common::run_text("pasted", text, true, None, None);
    let ids: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
    // Two exchanges of `[REDACTED]` are not one code exchanged twice, and a hidden code is
    // not a missing one.
    assert!(!ids.contains(&"code-reused"), "{ids:?}");
    assert!(!ids.contains(&"code-missing"), "{ids:?}");
    assert!(!ids.contains(&"client-secret-missing"), "{ids:?}");
    let skipped: Vec<&str> = report.skipped.iter().map(|s| s.rule).collect();
    for id in ["code-reused", "code-mangled", "client-credentials-conflict"] {
        assert!(skipped.contains(&id), "{id} not skipped: {skipped:?}");
    }
    let mut out = Vec::new();
    miro_oauth::render::render(
        &report,
        miro_oauth::render::Format::Human,
        Default::default(),
        &mut out,
    )
    .unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("the capture's authorization codes are hidden (`[REDACTED]` in pasted#1, 3 values) and the rule needs their real values"),
        "{out}"
    );
    assert!(
        out.contains(": code-invalid, code-mangled, code-reused\n"),
        "{out}"
    );
}
