//! `config-sdk-uri-insecure`: the app URL loaded in the board iFrame (`sdkUri`) is not HTTPS.
use super::{at_config, context};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "config-sdk-uri-insecure",
    group: Group::Config,
    severity: Severity::Error,
    summary: "the app URL (sdkUri) is not HTTPS; only http://localhost is allowed",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/config-sdk-uri-insecure.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

fn check(cx: &mut Cx<'_>) {
    let Some((config, project)) = context(cx) else {
        return;
    };
    let Some(sdk) = &config.app.sdk_uri else {
        return;
    };
    let raw = sdk.value.trim();
    if raw.is_empty() {
        return;
    }
    let parsed = url::Url::parse(raw).ok();
    let scheme = parsed.as_ref().map(|u| u.scheme().to_string());
    let host = parsed
        .as_ref()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase));
    let https = match raw.split_once("://") {
        Some((_, rest)) => format!("https://{rest}"),
        None => format!("https://{}", raw.trim_start_matches('/')),
    };
    let (why, expected) = match (scheme.as_deref(), host.as_deref()) {
        (Some("https"), Some(_)) => return,
        // facts §12: "Must be HTTPS, except that http://localhost is allowed for development".
        (Some("http"), Some("localhost")) => return,
        (Some("http"), Some(h)) if super::is_loopback(h) => {
            let local = parsed.as_ref().map_or_else(String::new, |u| {
                let mut u = u.clone();
                let _ = u.set_host(Some("localhost"));
                u.to_string()
            });
            (
                format!("sdkUri {raw} uses http:// on {h}: Miro documents plain http only for localhost"),
                local,
            )
        }
        (Some("http"), Some(h)) => (
            format!("sdkUri {raw} uses http:// on {h}: Miro loads the app in the board iFrame only over HTTPS (http is allowed only for localhost)"),
            https,
        ),
        (Some(s), _) if s != "http" && s != "https" && raw.contains("://") => (
            format!("sdkUri {raw} uses the {s}: scheme: the board iFrame needs an https:// URL"),
            https,
        ),
        _ => (format!("sdkUri {raw} is not an absolute https:// URL"), https),
    };
    let fix = if expected.starts_with("http://localhost") {
        format!("Set sdkUri to {expected} in the app settings.")
    } else {
        format!("Serve the app over TLS and set sdkUri to {expected} in the app settings.")
    };
    at_config(cx, config, project, sdk, "sdk_uri", why)
        .fix(fix)
        .evidence("sent", raw)
        .evidence("expected", expected);
}
