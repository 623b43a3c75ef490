//! `state-missing`: an authorize link without `state`, or with an empty one.

use crate::rules::common::{authorize_links, lost_in_fragment, query_param};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "state-missing",
    group: Group::Authorize,
    severity: Severity::Warning,
    summary: "authorize link without a state parameter (CSRF protection)",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/state-missing.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

fn check(cx: &mut Cx<'_>) {
    for ex in authorize_links(cx) {
        // A raw `#` in the redirect_uri swallowed the state: redirect-uri-not-encoded says so.
        if lost_in_fragment(&ex.request, "state") {
            continue;
        }
        // Miro's own install link for Web SDK apps (redirect_uri=/confirm-app-install/) ends
        // on miro.com: there is no app callback to protect.
        if query_param(&ex.request, "redirect_uri").is_some_and(|p| p.value.starts_with('/')) {
            continue;
        }
        let state = ex
            .request
            .query_params()
            .into_iter()
            .find(|p| p.name == "state");
        let message = match &state {
            None => "authorize link has no state parameter",
            // Miro's Node client sends `state=` when unset (facts §2): tolerated by Miro, but
            // it protects nothing.
            Some(p) if p.value.trim().is_empty() => "authorize link has an empty state parameter",
            Some(_) => continue,
        };
        cx.report(&ex, Part::Query, Some("state"), message)
            .fix("Generate a random, unguessable state per login, keep it in the user's session, and compare it with the state on the callback.");
    }
}
