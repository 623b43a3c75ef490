//! `access-token-expired`: an expiring access token used after `expires_in` seconds have
//! passed since the token response that issued it. Times come from the capture (HAR
//! `startedDateTime`, or a response's `Date` header); a call with no time of its own is
//! compared with `--now`.

use super::{
    calls_with_issued_token, describe, fmt_time, human_duration, issued_tokens, method_path,
    rest_calls, token_times,
};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "access-token-expired",
    group: Group::Api,
    severity: Severity::Error,
    summary: "expiring access token used after expires_in elapsed",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/access-token-expired.md"),
    superseded_by: &[],
    reads: &[Evidence::AccessToken],
    check,
};

fn check(cx: &mut Cx<'_>) {
    let calls = rest_calls(cx);
    if calls.is_empty() {
        return;
    }
    let issued = issued_tokens(cx);
    if issued.is_empty() {
        cx.skip("no token response in the flow: the token's issue time and expires_in are unknown");
        return;
    }
    for (ex, _, iss) in calls_with_issued_token(calls, &issued) {
        let Some(expires_in) = iss.expires_in else {
            continue; // a non-expiring token
        };
        let Some(times) = token_times(
            cx,
            iss,
            &ex,
            "the REST call has no time (no HAR timing, no Date header) and no --now was given",
        ) else {
            continue;
        };
        let elapsed = times.seconds();
        if elapsed <= expires_in {
            continue;
        }
        let Some(token_ex) = cx.exchange(iss.index) else {
            continue;
        };
        let expired_at = jiff::Timestamp::from_second(times.issued_at.as_second() + expires_in)
            .map(fmt_time)
            .unwrap_or_default();
        let when = times.when();
        let message = format!(
            "{} uses an access token issued at {} ({}) with expires_in {}: it expired at {}, and the call is {} {}, {} after issue",
            method_path(&ex.request),
            fmt_time(times.issued_at),
            describe(cx, &token_ex, &ex),
            expires_in,
            expired_at,
            when,
            fmt_time(times.used_at),
            human_duration(elapsed)
        );
        let fix = if iss.refresh_token.is_some() {
            "Refresh the token with grant_type=refresh_token before expires_in runs out (store the time it expires) and send the new access token."
        } else {
            "Get a new access token before expires_in runs out and send it instead of the expired one."
        };
        cx.report(&ex, Part::Header, Some("Authorization"), message)
            .fix(fix)
            .evidence("issued_at", fmt_time(times.issued_at))
            .evidence("expires_in", expires_in)
            .evidence("used_at", fmt_time(times.used_at));
    }
}
