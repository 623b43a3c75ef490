//! `endpoint-unknown`: a REST call on `api.miro.com/v2/…` (or `/v2-experimental/…`) whose
//! method + path matches no operation of Miro's published spec. The message says whether the
//! path exists with other methods, whether Miro removed the operation (with the date it was
//! last seen in the spec), or which operations are nearest.

use super::{is_api_host, rest_calls};
use crate::catalog::{lookup, Match};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "endpoint-unknown",
    group: Group::Api,
    severity: Severity::Warning,
    summary: "method + path matches no Miro REST operation; suggests the nearest",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/endpoint-unknown.md"),
    superseded_by: &["api-host-wrong"],
    reads: &[],
    check,
};

/// Suggestions farther than this (about one and a half wrong segments) are not shown.
const MAX_DISTANCE: f32 = 1.6;

/// `/v2/users/me` (the v1 habit): the token's user comes from `/v1/oauth-token`.
fn is_users_me(path: &str) -> bool {
    let p = path.trim_end_matches('/').to_ascii_lowercase();
    p.ends_with("/users/me") || p.ends_with("/user/me") || p.ends_with("/me")
}

fn check(cx: &mut Cx<'_>) {
    for ex in rest_calls(cx) {
        if ex.step != Step::Api || !is_api_host(cx, &ex.request.host()) {
            continue;
        }
        let raw = ex.request.raw_url();
        let first = raw.path.split('/').find(|s| !s.is_empty()).unwrap_or("");
        if first != "v2" && first != "v2-experimental" {
            continue; // wrong or legacy versions are api-host-wrong's
        }
        let method = ex.request.method.trim().to_ascii_uppercase();
        let path = match raw.query {
            Some(q) => format!("{}?{q}", raw.path),
            None => raw.path.to_string(),
        };
        let sent = format!("{method} {}", raw.path);
        let (message, fix, nearest): (String, String, Vec<String>) = match lookup(&method, &path) {
            Match::Found(_) => continue,
            Match::Removed(r) => {
                let replacement = r.path.replacen("/v2-experimental/", "/v2/", 1);
                let current = (replacement != r.path)
                    .then(|| lookup(&r.method, &replacement).operation())
                    .flatten();
                let message = format!(
                    "{sent} calls {} ({}), an operation Miro removed from its published API spec; it was last seen there on {}",
                    r.operation_id,
                    r.summary.to_lowercase(),
                    r.last_seen_date
                );
                let fix = match current {
                    Some(op) => format!(
                        "Call the current operation {} ({}) instead.",
                        op.display(),
                        op.operation_id
                    ),
                    None => "Move to a current operation (see https://developers.miro.com/reference); the removed one may stop answering at any time.".to_string(),
                };
                let near = current.map(|o| vec![o.display()]).unwrap_or_default();
                (message, fix, near)
            }
            Match::MethodNotAllowed { allowed } => {
                let list: Vec<String> = allowed
                    .iter()
                    .map(|o| format!("{} ({})", o.method, o.operation_id))
                    .collect();
                let message = format!(
                    "{sent}: {} has no {method} operation; it takes {}",
                    allowed[0].path,
                    list.join(", ")
                );
                let fix = format!(
                    "Use {} {} for {}, or pick the operation you meant from https://developers.miro.com/reference.",
                    allowed[0].method, allowed[0].path, allowed[0].summary.to_lowercase()
                );
                (message, fix, allowed.iter().map(|o| o.display()).collect())
            }
            Match::Unknown { .. } if is_users_me(raw.path) => (
                format!("{sent} matches no Miro REST operation: there is no users/me in REST v2"),
                "Call GET https://api.miro.com/v1/oauth-token to get the token's user and team."
                    .to_string(),
                vec!["GET /v1/oauth-token".to_string()],
            ),
            Match::Unknown { nearest } => {
                let close: Vec<_> = nearest
                    .iter()
                    .filter(|n| n.distance <= MAX_DISTANCE)
                    .collect();
                match close.first() {
                    Some(best) => (
                        format!(
                            "{sent} matches no Miro REST operation; the nearest is {} ({})",
                            best.op.display(),
                            best.op.operation_id
                        ),
                        format!(
                            "Call {} ({}) if that is the operation you meant.",
                            best.op.display(),
                            best.op.summary.to_lowercase()
                        ),
                        close.iter().map(|n| n.op.display()).collect(),
                    ),
                    None => (
                        format!("{sent} matches no Miro REST operation"),
                        "Check the method and path against https://developers.miro.com/reference."
                            .to_string(),
                        Vec::new(),
                    ),
                }
            }
        };
        let mut r = cx
            .report(&ex, Part::Url, None, message)
            .fix(fix)
            .evidence("sent", sent.clone());
        if !nearest.is_empty() {
            r = r.evidence("nearest", nearest);
        }
        let _ = r;
    }
}
