//! `refresh-token-reused`: a refresh token spent twice. Each refresh returns a new pair and
//! the old refresh token stops working (facts §5); the second request usually gets
//! `401 "Invalid refresh token"`. Common causes: two refreshes racing, or the new refresh
//! token not stored.

use super::{accepted, describe, refresh_param, status};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "refresh-token-reused",
    group: Group::Api,
    severity: Severity::Error,
    summary: "a refresh token used in a second refresh request",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/refresh-token-reused.md"),
    superseded_by: &[],
    reads: &[Evidence::RefreshToken],
    check,
};

fn check(cx: &mut Cx<'_>) {
    // refresh token → the exchange that spent it first (successfully, or with no answer seen).
    let mut spent: Vec<(String, Ex<'_>)> = Vec::new();
    for ex in cx.of_step(Step::Token) {
        let Some((place, rt)) = refresh_param(&ex.request) else {
            continue;
        };
        match spent.iter().find(|(v, _)| *v == rt) {
            None => {
                // A refused refresh spent nothing: it does not count as a use.
                if status(&ex).is_none() || accepted(&ex) {
                    spent.push((rt, ex));
                }
            }
            Some((_, first)) => {
                if accepted(&ex) {
                    continue;
                }
                let first_result = match status(first) {
                    Some(s) => format!("answered {s}"),
                    None => "answer not captured".to_string(),
                };
                let message = format!(
                    "this refresh request spends a refresh token already used by the refresh in {} ({first_result}); each refresh invalidates the refresh token it used",
                    describe(cx, first, &ex)
                );
                let part = if place == ParamPlace::Query {
                    Part::Query
                } else {
                    Part::Body
                };
                cx.report(&ex, part, Some("refresh_token"), message)
                    .fix("Store the refresh_token from every refresh response and use it for the next refresh, letting only one refresh run at a time.")
                    .evidence("sent", rt.clone());
            }
        }
    }
}
