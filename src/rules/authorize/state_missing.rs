//! `state-missing`: an authorize link without `state`, or with an empty one.

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
    check,
};

fn check(cx: &mut Cx<'_>) {
    for ex in cx.of_step(Step::Authorize) {
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
