//! `authorization-denied`: the callback carries `error=access_denied` — the user declined.

use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "authorization-denied",
    group: Group::Callback,
    severity: Severity::Error,
    summary: "callback carries error=access_denied: the user declined",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/authorization-denied.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

fn check(cx: &mut Cx<'_>) {
    for ex in cx.of_step(Step::Callback) {
        let params = ex.request.query_params();
        let Some(err) = params.iter().find(|p| p.name == "error") else {
            continue;
        };
        if !err.value.trim().eq_ignore_ascii_case("access_denied") {
            continue;
        }
        cx.report(&ex, Part::Query, Some("error"), "the user declined the authorization (error=access_denied)")
            .fix("Nothing is wrong with the request: show the user a page that explains the app needs access and offers to start the authorization again.")
            .evidence("error", err.value.clone());
    }
}
