//! `callback-error`: the callback carries an `error` other than `access_denied`; the message
//! explains it (RFC 6749 §4.1.2.1 — Miro does not document its values, facts §3).

use crate::rules::common::{callbacks, query_param};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "callback-error",
    group: Group::Callback,
    severity: Severity::Error,
    summary: "callback carries an error (other than access_denied): what it likely means",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/callback-error.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

/// (likely meaning, fix) for an RFC 6749 §4.1.2.1 error code.
fn explain(error: &str) -> (&'static str, &'static str) {
    match error {
        "invalid_request" => (
            "the authorize link was likely malformed (a required parameter such as response_type, client_id or redirect_uri missing, repeated or invalid, or a redirect_uri not percent-encoded)",
            "Build the authorize link as https://miro.com/oauth/authorize?response_type=code&client_id=<Client ID>&redirect_uri=<percent-encoded registered URI>&state=<random>, each parameter once.",
        ),
        "unauthorized_client" => (
            "the app is likely not allowed to get a code this way (an unknown client_id, or an app that cannot be installed in the chosen team)",
            "Check the client_id against the app settings and that the app may be installed in the user's team (for apps in a Developer team, only that team).",
        ),
        "unsupported_response_type" => (
            "the authorize link's response_type is not one Miro supports",
            "Send response_type=code in the authorize link.",
        ),
        "invalid_scope" => (
            "a requested scope is likely unknown or not enabled for the app (Miro grants the scopes enabled in the app settings)",
            "Remove the scope parameter from the authorize link and enable the scopes under Permissions in the app settings.",
        ),
        "server_error" => (
            "Miro hit an unexpected error while handling the authorization",
            "Retry the authorization later, and contact Miro developer support with the time and client_id if it keeps failing.",
        ),
        "temporarily_unavailable" => (
            "Miro's authorization server is likely overloaded or in maintenance",
            "Retry the authorization after a short wait.",
        ),
        "invalid_client" => (
            "the client_id likely belongs to no Miro app",
            "Copy the Client ID from the app settings into the authorize link.",
        ),
        "invalid_redirect_uri" | "redirect_uri_mismatch" => (
            "the redirect_uri is likely not one of the app's registered redirect URIs",
            "Send a redirect_uri that is byte-for-byte one of the URIs under Redirect URI for OAuth 2.0 in the app settings.",
        ),
        "login_required" | "consent_required" | "interaction_required" => (
            "the user likely had to sign in or consent and could not",
            "Start the authorization again from a normal browser window where the user can sign in to Miro.",
        ),
        _ => (
            "Miro does not document its callback error values, and this one is not an RFC 6749 code",
            "Read error_description, fix the authorize link accordingly, and start the authorization again.",
        ),
    }
}

/// The error codes of RFC 6749 §4.1.2.1 (and a few common extensions).
const KNOWN: &[&str] = &[
    "invalid_request",
    "unauthorized_client",
    "unsupported_response_type",
    "invalid_scope",
    "server_error",
    "temporarily_unavailable",
    "invalid_client",
    "invalid_redirect_uri",
    "redirect_uri_mismatch",
    "login_required",
    "consent_required",
    "interaction_required",
];

/// True when a request with an `error` parameter is plainly an OAuth error redirect, not
/// some page of the app that happens to take `?error=` (`/login?error=session_expired`).
fn is_oauth_error(req: &Request, code: &str) -> bool {
    let path = req.raw_url().path.to_ascii_lowercase();
    KNOWN.contains(&code)
        || query_param(req, "error_description").is_some()
        || query_param(req, "state").is_some()
        || ["callback", "oauth", "redirect", "auth"]
            .iter()
            .any(|w| path.contains(w))
}

fn check(cx: &mut Cx<'_>) {
    for ex in callbacks(cx) {
        let Some(err) = query_param(&ex.request, "error") else {
            continue;
        };
        let code = err.value.trim().to_ascii_lowercase();
        if code.is_empty() || code == "access_denied" || !is_oauth_error(&ex.request, &code) {
            continue;
        }
        let description = query_param(&ex.request, "error_description")
            .map(|p| p.value.trim().to_string())
            .filter(|d| !d.is_empty());
        let (meaning, fix) = explain(&code);
        let mut message = format!("the authorization failed with error={}", err.value.trim());
        if let Some(d) = &description {
            message.push_str(&format!(" (\"{d}\")"));
        }
        message.push_str(&format!(": {meaning}"));
        let r = cx
            .report(&ex, Part::Query, Some("error"), message)
            .fix(fix)
            .evidence("error", err.value.clone());
        if let Some(d) = description {
            r.evidence("error_description", d);
        }
    }
}
