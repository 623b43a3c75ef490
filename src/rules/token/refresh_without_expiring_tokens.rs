//! `refresh-without-expiring-tokens`: a refresh attempted by an app created with
//! non-expiring tokens, which never receives a refresh token (facts §5).

use super::flow::{is_real_request, is_refresh, part_of, succeeded};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "refresh-without-expiring-tokens",
    group: Group::Token,
    severity: Severity::Error,
    summary:
        "a refresh attempted by an app with non-expiring tokens (no refresh token is ever issued)",
    // Decided inside: without a config, only a capture with a refresh in it lists the rule
    // as skipped (a code exchange has nothing for it to check).
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/refresh-without-expiring-tokens.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

fn check(cx: &mut Cx<'_>) {
    let Some(config) = cx.config() else {
        let refresh = cx
            .of_step(Step::Token)
            .any(|ex| is_real_request(&ex.request) && is_refresh(&ex.request));
        if refresh {
            cx.skip("needs the app config (--config or miro-oauth.toml)");
        }
        return;
    };
    let Some(expiring) = config.app.expiring_tokens.as_ref() else {
        cx.skip("the config does not say whether the app has expiring tokens (`expiring_tokens` in [app])");
        return;
    };
    if expiring.value {
        return;
    }
    // The file name only: messages stay the same wherever the config lives.
    let file = config
        .path
        .as_deref()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| config.display_path());
    let at = if expiring.line > 0 {
        format!("{file}:{}", expiring.line)
    } else {
        file
    };
    for ex in cx.of_step(Step::Token) {
        let req = &ex.request;
        // A refresh that succeeded proves the config wrong, not the request.
        if !is_real_request(req) || !is_refresh(req) || succeeded(&ex) {
            continue;
        }
        let (part, name) = match req
            .param("grant_type")
            .or_else(|| req.param("refresh_token"))
        {
            Some(p) => (part_of(p.place), p.param.name),
            None => (Part::Body, "grant_type".to_string()),
        };
        cx.report(
            &ex,
            part,
            Some(&name),
            format!(
                "refresh requested (grant_type=refresh_token) but the app has non-expiring tokens (expiring_tokens = false at {at}): Miro issues no refresh token to such an app, so there is nothing valid to send"
            ),
        )
        .fix("Drop the refresh and keep using the access token until the user uninstalls the app; if you need expiring tokens, create a new app with \"Expire user authorization token\" checked.")
        .evidence("expiring_tokens", false)
        .evidence("config", at.clone());
    }
}
