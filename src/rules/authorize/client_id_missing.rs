//! `client-id-missing`: no `client_id` in an authorize link or a token request.

use crate::rules::common::{
    authorize_links, body_unseen, hidden_in_value, is_placeholder, lost_in_fragment,
    near_miss_param, param_values,
};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "client-id-missing",
    group: Group::Authorize,
    severity: Severity::Error,
    summary: "no client_id in an authorize link or a token request",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/client-id-missing.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

/// What is wrong with the client_id of a request, if anything: (message part, sent value).
fn problem(req: &Request, values: &[String], what: &str) -> Option<(String, Option<String>)> {
    if values.iter().any(|v| !is_placeholder(v, "client_id")) {
        return None;
    }
    if let Some(v) = values.first() {
        let shown = v.trim();
        return Some(if shown.is_empty() {
            (format!("{what} sends an empty client_id"), Some(v.clone()))
        } else {
            (
                format!(
                    "{what} sends client_id `{shown}`, a placeholder or an unset variable, not the app's Client ID"
                ),
                Some(v.clone()),
            )
        });
    }
    let message = match near_miss_param(req, "client_id") {
        Some(name) if name.starts_with("amp;") => format!(
            "{what} has no client_id: it was sent as `{name}` because the `&` before it was HTML-escaped as `&amp;`"
        ),
        Some(name) => format!(
            "{what} has no client_id: it was sent as `{name}`, and Miro reads only the exact name client_id"
        ),
        None => format!("{what} has no client_id parameter"),
    };
    Some((message, None))
}

/// True when a token request carries client credentials in a Basic header (or curl `-u`):
/// then the id is present, and `basic-auth-only`/`basic-auth-malformed` say the rest.
fn has_basic(req: &Request) -> bool {
    req.curl.as_ref().is_some_and(|c| c.user.is_some())
        || req.headers_named("authorization").any(|h| {
            h.value
                .trim_start()
                .get(..6)
                .is_some_and(|s| s.eq_ignore_ascii_case("basic "))
        })
}

fn check(cx: &mut Cx<'_>) {
    let id = cx
        .config()
        .and_then(|c| c.app.client_id.as_ref())
        .map(|c| c.value.trim().to_string())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "<the Client ID from your app's settings page>".to_string());
    for ex in authorize_links(cx) {
        let values: Vec<String> = ex
            .request
            .query_params()
            .into_iter()
            .filter(|p| p.name == "client_id")
            .map(|p| p.value)
            .collect();
        if values.is_empty() && lost_in_fragment(&ex.request, "client_id") {
            continue;
        }
        if let Some((message, sent)) = problem(&ex.request, &values, "authorize link") {
            let r = cx
                .report(&ex, Part::Query, Some("client_id"), message)
                .fix(format!("Add client_id={id} to the authorize link."));
            if let Some(s) = sent {
                r.evidence("sent", s);
            }
        }
    }
    for ex in cx.of_step(Step::Token) {
        let req = &ex.request;
        // A CORS preflight (OPTIONS) carries no parameters by design.
        if req.method.eq_ignore_ascii_case("OPTIONS") || body_unseen(req) {
            continue;
        }
        if has_basic(req) || lost_in_fragment(req, "client_id") || hidden_in_value(req, "client_id")
        {
            continue; // basic-auth-only / param-placement say why
        }
        let values = param_values(req, "client_id");
        if let Some((message, sent)) = problem(req, &values, "token request") {
            let part = if req.body.is_some() {
                Part::Body
            } else {
                Part::Query
            };
            let r = cx
                .report(&ex, part, Some("client_id"), message)
                .fix(format!("Send client_id={id} with the token request, next to client_secret (form body or query string)."));
            if let Some(s) = sent {
                r.evidence("sent", s);
            }
        }
    }
}
