//! `scim-token-misuse`: an OAuth access token sent to SCIM (`miro.com/api/v1/scim/`), or a
//! SCIM token sent to the REST API (facts §15). SCIM tokens have no documented shape, so a
//! token is only called one or the other from what the flow shows: issued by
//! `/v1/oauth/token` or accepted by a REST call (OAuth), accepted by SCIM (SCIM); Miro's
//! OAuth token shape `eyJtaXJv…_…` marks a likely OAuth token.

use super::{
    accepted, describe, is_miro_token_shape, issued_tokens, method_path, rest_calls, sent_token,
    TokenSource,
};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "scim-token-misuse",
    group: Group::Api,
    severity: Severity::Error,
    summary: "OAuth access token sent to SCIM, or a SCIM token sent to the REST API",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/scim-token-misuse.md"),
    superseded_by: &[],
    reads: &[Evidence::AccessToken],
    check,
};

fn check(cx: &mut Cx<'_>) {
    let calls = rest_calls(cx);
    if !calls.iter().any(|e| e.step == Step::Scim) {
        return;
    }
    // token → where the flow shows what it is.
    let mut oauth: Vec<(String, usize, &str)> = Vec::new();
    for i in issued_tokens(cx) {
        oauth.push((i.access_token, i.index, "issued by POST /v1/oauth/token"));
    }
    let mut scim_ok: Vec<String> = Vec::new();
    let mut scim_unrefused: Vec<String> = Vec::new();
    for ex in &calls {
        let Some(t) = sent_token(&ex.request) else {
            continue;
        };
        let t = t.trimmed().to_string();
        match ex.step {
            Step::Scim => {
                if accepted(ex) {
                    scim_ok.push(t.clone());
                }
                if accepted(ex) || super::status(ex).is_none() {
                    scim_unrefused.push(t);
                }
            }
            _ if accepted(ex) => oauth.push((t, ex.index, "accepted by the REST call")),
            _ => {}
        }
    }
    for ex in calls {
        if accepted(&ex) {
            continue;
        }
        let Some(token) = sent_token(&ex.request) else {
            continue;
        };
        let t = token.trimmed();
        let (part, name) = match token.source {
            TokenSource::Header => (Part::Header, "Authorization"),
            TokenSource::Param(ParamPlace::Query) => (Part::Query, "access_token"),
            TokenSource::Param(_) => (Part::Body, "access_token"),
        };
        let known_oauth = oauth.iter().find(|(v, _, _)| v == t).map(|(_, i, why)| {
            let at = cx
                .exchange(*i)
                .map(|o| describe(cx, &o, &ex))
                .unwrap_or_default();
            format!("{why} in {at}")
        });
        if ex.step == Step::Scim {
            if scim_ok.iter().any(|v| v == t) {
                continue;
            }
            let message = match (&known_oauth, is_miro_token_shape(t)) {
                (Some(why), _) => format!(
                    "{} sends an OAuth access token ({why}) to SCIM; SCIM takes only the SCIM API token",
                    method_path(&ex.request)
                ),
                (None, true) => format!(
                    "{} sends a token with Miro's OAuth token shape (eyJtaXJv…_…) to SCIM: likely an OAuth access token, which SCIM does not accept",
                    method_path(&ex.request)
                ),
                (None, false) => continue,
            };
            cx.report(&ex, part, Some(name), message)
                .fix("Send the SCIM API token generated under Company settings > Enterprise integrations > SCIM as `Authorization: Bearer <SCIM token>`.")
                .evidence("sent", token.value.clone());
        } else {
            let scim = scim_ok.iter().any(|v| v == t)
                || (scim_unrefused.iter().any(|v| v == t)
                    && known_oauth.is_none()
                    && !is_miro_token_shape(t));
            if !scim || known_oauth.is_some() {
                continue;
            }
            cx.report(
                &ex,
                part,
                Some(name),
                format!(
                    "{} sends the token this flow uses for SCIM (miro.com/api/v1/scim); the REST API takes only OAuth access tokens",
                    method_path(&ex.request)
                ),
            )
            .fix("Send an OAuth access token from POST https://api.miro.com/v1/oauth/token as `Authorization: Bearer <access_token>`.")
            .evidence("sent", token.value.clone());
        }
    }
}
