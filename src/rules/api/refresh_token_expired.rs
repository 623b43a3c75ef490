//! `refresh-token-expired`: a refresh token used more than 60 days after the token response
//! that issued it (Miro's refresh-token lifetime, facts §5). Times from the capture (HAR
//! timing or `Date` headers); a refresh with no time of its own is compared with `--now`.

use super::{
    accepted, describe, fmt_time, human_duration, issued_tokens, refresh_param, token_times,
};
use crate::rules::prelude::*;

/// Miro's refresh-token lifetime: 60 days.
const LIFETIME: i64 = 60 * 86_400;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "refresh-token-expired",
    group: Group::Api,
    severity: Severity::Error,
    summary: "refresh token used after its 60-day lifetime",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/refresh-token-expired.md"),
    superseded_by: &[],
    reads: &[Evidence::RefreshToken],
    check,
};

fn check(cx: &mut Cx<'_>) {
    let issued = issued_tokens(cx);
    let refreshes: Vec<_> = cx
        .of_step(Step::Token)
        .filter_map(|ex| refresh_param(&ex.request).map(|p| (ex, p)))
        .collect();
    if refreshes.is_empty() {
        return;
    }
    for (ex, (place, rt)) in refreshes {
        if accepted(&ex) {
            continue;
        }
        let Some(iss) = issued
            .iter()
            .rev()
            .find(|i| i.index < ex.index && i.refresh_token.as_deref() == Some(rt.as_str()))
        else {
            cx.skip("the token response that issued the refresh token is not in the flow");
            continue;
        };
        let Some(times) = token_times(
            cx,
            iss,
            &ex,
            "the refresh request has no time and no --now was given",
        ) else {
            continue;
        };
        let age = times.seconds();
        if age <= LIFETIME {
            continue;
        }
        let Some(iss_ex) = cx.exchange(iss.index) else {
            continue;
        };
        let message = format!(
            "the refresh token was issued at {} ({}) and is used {} {}, {} later: Miro's refresh tokens expire after 60 days",
            fmt_time(times.issued_at),
            describe(cx, &iss_ex, &ex),
            times.when(),
            fmt_time(times.used_at),
            human_duration(age)
        );
        let part = if place == ParamPlace::Query {
            Part::Query
        } else {
            Part::Body
        };
        cx.report(&ex, part, Some("refresh_token"), message)
            .fix("Send the user through the authorization flow again for a new token pair, and from then on refresh before a refresh token is 60 days old (each refresh returns a new one).")
            .evidence("issued_at", fmt_time(times.issued_at))
            .evidence("used_at", fmt_time(times.used_at))
            .evidence("age_days", age / 86_400);
    }
}
