//! `client-secret-missing`: a token request without any client secret — no `client_secret`
//! parameter (or only a placeholder such as `undefined`) and no `Authorization: Basic` header.

use super::shape::{
    basic_headers, describe_placeholder, failed_token_requests, near_miss, sent_params, unset,
};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "client-secret-missing",
    group: Group::Token,
    severity: Severity::Error,
    summary: "token request without a client secret (no client_secret parameter, no Basic header)",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/client-secret-missing.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

fn check(cx: &mut Cx<'_>) {
    for ex in failed_token_requests(cx) {
        let req = &ex.request;
        // A Basic header (or curl -u) carries the secret; `basic-auth-malformed` and
        // `basic-auth-only` say what is wrong with it.
        if !basic_headers(req).is_empty() || req.curl.as_ref().is_some_and(|c| c.user.is_some()) {
            continue;
        }
        let params = sent_params(req);
        let secrets: Vec<_> = params
            .iter()
            .filter(|p| p.name == "client_secret")
            .collect();
        // Present anywhere, even where Miro does not read it: `param-placement` explains that.
        if secrets.iter().any(|p| !unset(&p.value)) {
            continue;
        }
        if let Some(p) = secrets.first() {
            let part = p.place.part();
            cx.report(
                &ex,
                part,
                Some("client_secret"),
                format!(
                    "client_secret is {}: the variable that should hold the app's Client secret was not set or not substituted",
                    describe_placeholder(&p.value)
                ),
            )
            .fix("Set client_secret to the Client secret from the app settings (check the environment variable that should hold it).")
            .evidence("sent", p.value.clone());
            continue;
        }
        if let Some(n) = near_miss(&params, "client_secret") {
            let name = n.name.clone();
            cx.report(
                &ex,
                Part::Body,
                Some("client_secret"),
                format!("token request has no client_secret: a `{name}` parameter was sent, but Miro reads `client_secret`"),
            )
            .fix(format!("Rename {name} to client_secret."))
            .evidence("sent", name.clone())
            .evidence("expected", "client_secret");
            continue;
        }
        cx.report(
            &ex,
            Part::Body,
            Some("client_secret"),
            "token request carries no client secret: no client_secret parameter and no Authorization: Basic header",
        )
        .fix("Send client_secret with the Client secret from the app settings, next to client_id in the form body.");
    }
}
