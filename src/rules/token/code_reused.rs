//! `code-reused`: the same authorization code exchanged twice. Miro's codes are single-use
//! (facts §3): the second exchange fails with "Invalid authorization code".

use super::flow::{is_code_exchange, is_real_request, label, part_of, token_attempts};
use crate::engine::classify::{realm, Realm};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "code-reused",
    group: Group::Token,
    severity: Severity::Error,
    summary: "the same authorization code exchanged twice (codes are single-use)",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/code-reused.md"),
    superseded_by: &[],
    reads: &[Evidence::Code],
    check,
};

/// What the first use of a code answered, for the message.
fn outcome(ex: &Ex<'_>) -> String {
    match ex.response.as_ref() {
        Some(r) if (200..300).contains(&r.status) => format!(" (it succeeded with {})", r.status),
        Some(r) if r.status != 0 => {
            let why = crate::rules::response::error_body::error_body(r)
                .map(|e| format!(" {}", e.describe()))
                .unwrap_or_else(|| format!(" {}", r.status));
            format!(" (answered{why}; a failed attempt likely uses the code up too)")
        }
        _ => String::new(),
    }
}

fn check(cx: &mut Cx<'_>) {
    // 1. Two requests to Miro's token endpoint with one code.
    let attempts: Vec<Ex<'_>> = token_attempts(cx)
        .into_iter()
        .filter(|e| is_code_exchange(&e.request))
        .collect();
    // The first attempt with each code (a map: thousands of exchanges must stay linear).
    let mut first_with: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (n, ex) in attempts.iter().enumerate() {
        let Some(code) = ex.request.param("code") else {
            continue;
        };
        let value = code.param.value.trim();
        if value.is_empty() {
            continue;
        }
        let first = match first_with.get(value) {
            Some(&i) => &attempts[i],
            None => {
                first_with.insert(value.to_string(), n);
                continue;
            }
        };
        let (first_label, outcome) = (label(cx, first), outcome(first));
        cx.report(
            ex,
            part_of(code.place),
            Some("code"),
            format!(
                "this code was already exchanged by the token request in {first_label}{outcome}; Miro's codes work once"
            ),
        )
        .fix("Exchange each code exactly once: guard the callback handler against running twice (React strict mode effects, page reloads, retries) and start a new authorization when a code has been used.")
        .evidence("first_use", first_label);
    }

    // 2. The app receiving one code twice: the callback page reloaded, or a frontend effect
    //    posting the code to the backend twice. Each arrival makes the backend exchange it.
    let mut seen: std::collections::HashMap<(String, String, String), Ex<'_>> =
        std::collections::HashMap::new();
    for ex in cx.exchanges() {
        let req = &ex.request;
        if !is_real_request(req) || realm(&req.host()) != Realm::NotMiro {
            continue;
        }
        // A request the browser never completed may not have reached the app.
        if ex.response.as_ref().is_some_and(|r| r.status == 0) {
            continue;
        }
        let Some(code) = req.param("code") else {
            continue;
        };
        let value = code.param.value.trim().to_string();
        // Only OAuth codes: Miro's shape, or long opaque values (not `?code=US`).
        if !(value.starts_with("eyJ") || value.len() >= 20) {
            continue;
        }
        let raw = req.raw_url();
        let target = format!(
            "{}://{}{}",
            raw.scheme.to_ascii_lowercase(),
            raw.authority.to_ascii_lowercase(),
            raw.path
        );
        let method = req.method.to_ascii_uppercase();
        if let Some(first) = seen.get(&(target.clone(), method.clone(), value.clone())) {
            let first_label = label(cx, first);
            cx.report(
                &ex,
                part_of(code.place),
                Some("code"),
                format!(
                    "{method} {target} received the same code a second time (first in {first_label}); the backend exchanges it again and Miro rejects the reused code"
                ),
            )
            .fix("Exchange each code exactly once: guard the callback handler against running twice (React strict mode effects, page reloads, retries) and start a new authorization when a code has been used.")
            .evidence("first_use", first_label);
        } else {
            seen.insert((target, method, value), ex);
        }
    }
}
