//! `access-token-superseded`: an access token used after a refresh replaced it. Each refresh
//! returns a new access token and refresh token and the old pair stops working (facts §5):
//! the call sends the access token issued with the refresh token that a later refresh spent.

use super::{
    calls_with_issued_token, describe, issued_tokens, method_path, rest_calls, TokenSource,
};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "access-token-superseded",
    group: Group::Api,
    severity: Severity::Error,
    summary: "access token used after a refresh issued a newer pair",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/access-token-superseded.md"),
    superseded_by: &[],
    reads: &[Evidence::AccessToken],
    check,
};

fn check(cx: &mut Cx<'_>) {
    let issued = issued_tokens(cx);
    if !issued.iter().any(|i| i.refresh_used.is_some()) {
        return;
    }
    for (ex, token, iss) in calls_with_issued_token(rest_calls(cx), &issued) {
        let Some(pair_rt) = &iss.refresh_token else {
            continue;
        };
        // A later refresh that spent this token's refresh token, before the call.
        let Some(newer) = issued.iter().find(|n| {
            n.index > iss.index
                && n.index < ex.index
                && n.refresh_used.as_deref() == Some(pair_rt.as_str())
                && n.access_token != iss.access_token
        }) else {
            continue;
        };
        let (Some(old_ex), Some(new_ex)) = (cx.exchange(iss.index), cx.exchange(newer.index))
        else {
            continue;
        };
        let (part, name) = match token.source {
            TokenSource::Header => (Part::Header, "Authorization"),
            TokenSource::Param(ParamPlace::Query) => (Part::Query, "access_token"),
            TokenSource::Param(_) => (Part::Body, "access_token"),
        };
        let message = format!(
            "{} sends the access token issued in {}, but the refresh in {} replaced that pair with a new access token; Miro invalidates the old pair on every refresh",
            method_path(&ex.request),
            describe(cx, &old_ex, &ex),
            describe(cx, &new_ex, &ex)
        );
        cx.report(&ex, part, Some(name), message)
            .fix("Store the access_token and refresh_token of every refresh response (atomically, before any other request) and send the newest access token.")
            .evidence("sent", token.value.clone())
            .evidence("current", newer.access_token.clone());
    }
}
