//! `config-sdk-uri-missing`: the app uses the Web SDK and the REST API, but no redirect URI is
//! marked "Use this URI for SDK authorization" (or the marked one is not registered).
use super::{at_config, config_name, context, key, uses_web_sdk};
use crate::rules::common::{closest_uri, describe_differences};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "config-sdk-uri-missing",
    group: Group::Config,
    severity: Severity::Error,
    summary: "Web SDK + REST app without a redirect URI marked for SDK authorization",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/config-sdk-uri-missing.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

fn check(cx: &mut Cx<'_>) {
    let Some((config, project)) = context(cx) else {
        return;
    };
    let app = &config.app;
    let file = config_name(config, project);
    let registered: Vec<&str> = app.redirect_uris.iter().map(|u| u.value.as_str()).collect();
    // A marked URI must be one of the registered ones (facts §13: "mark exactly one redirect
    // URI"); Miro's example says it must equal the redirect_uri the backend exchanges with.
    if let Some(sdk) = app
        .sdk_redirect_uri
        .as_ref()
        .filter(|u| !u.value.trim().is_empty())
    {
        if registered.contains(&sdk.value.as_str()) || registered.is_empty() {
            return;
        }
        let sdk_key = key(config, "sdk_redirect_uri");
        let uris_key = key(config, "redirect_uris");
        let (message, fix) = match closest_uri(&sdk.value, registered.iter().copied()) {
            Some((near, diffs)) if !diffs.is_empty() => (
                format!(
                    "{sdk_key} {} is not one of the registered {uris_key}, so it cannot be the URI marked for SDK authorization; the closest registered URI is {near} ({})",
                    sdk.value,
                    describe_differences(&diffs)
                ),
                format!("Set {sdk_key} to exactly {near}, or register {} and mark it \"Use this URI for SDK authorization\".", sdk.value),
            ),
            _ => (
                format!("{sdk_key} {} is not one of the registered {uris_key}", sdk.value),
                format!("Register {} in the app settings and mark it \"Use this URI for SDK authorization\".", sdk.value),
            ),
        };
        at_config(cx, config, project, sdk, "sdk_redirect_uri", message)
            .fix(fix)
            .evidence("sent", sdk.value.as_str())
            .evidence("registered", registered.clone());
        return;
    }
    if !uses_web_sdk(config, project) {
        return;
    }
    let calls = project.scan.as_ref().map_or(0, |s| s.calls.len());
    if registered.is_empty() && calls == 0 {
        return; // an SDK-only app ("instant app", facts §13) needs no OAuth redirect
    }
    let rest = if registered.is_empty() {
        format!(
            "{calls} REST call{} found in the source",
            if calls == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "{} redirect URI{} registered",
            registered.len(),
            if registered.len() == 1 { "" } else { "s" }
        )
    };
    let sdk_key = key(config, "sdk_redirect_uri");
    let message = format!(
        "the app uses the Web SDK and the REST API ({rest}), but no redirect URI is marked \"Use this URI for SDK authorization\": installing the app from a board does not start the REST OAuth flow, so the backend never gets a token"
    );
    let fix = match registered.first() {
        Some(first) => format!(
            "Mark the backend's callback (e.g. {first}) \"Use this URI for SDK authorization\" in the app settings and set {sdk_key} to it in {file}."
        ),
        None => format!(
            "Register the backend's OAuth callback, mark it \"Use this URI for SDK authorization\" in the app settings, and set {sdk_key} to it in {file}."
        ),
    };
    // Point at what says the app uses the Web SDK, else at the redirect URIs.
    let anchor = app
        .uses_web_sdk
        .as_ref()
        .filter(|l| l.line > 0)
        .map(|l| (l.line, l.column, "uses_web_sdk"))
        .or_else(|| {
            app.sdk_uri
                .as_ref()
                .filter(|l| l.line > 0)
                .map(|l| (l.line, l.column, "sdk_uri"))
        })
        .or_else(|| {
            app.redirect_uris
                .first()
                .map(|l| (l.line, l.column, "redirect_uris"))
        })
        .unwrap_or((0, 0, "sdk_redirect_uri"));
    let loc = project.config_location(config, anchor.0, anchor.1, key(config, anchor.2));
    let mut r = cx
        .report_at(usize::MAX, Step::Config, loc, message)
        .fix(fix)
        .evidence("registered", registered.clone());
    if let Some(at) = project.scan.as_ref().and_then(|s| s.web_sdk.first()) {
        r = r.note(format!(
            "Web SDK used at {}",
            super::place(&at.file, at.line, at.column)
        ));
    }
    let _ = r;
}
