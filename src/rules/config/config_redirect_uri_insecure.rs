//! `config-redirect-uri-insecure`: a registered redirect URI is `http://` on a host other than
//! the loopback interface.
use super::{all_redirect_uris, at_config, context, is_loopback};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "config-redirect-uri-insecure",
    group: Group::Config,
    severity: Severity::Error,
    summary: "a registered redirect URI uses http:// on a non-loopback host",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/config-redirect-uri-insecure.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

fn check(cx: &mut Cx<'_>) {
    let Some((config, project)) = context(cx) else {
        return;
    };
    for (uri, key) in all_redirect_uris(config) {
        let raw = uri.value.trim();
        let Ok(url) = url::Url::parse(raw) else {
            continue; // not absolute: config-redirect-uri-invalid
        };
        if url.scheme() != "http" {
            continue;
        }
        let Some(host) = url.host_str() else {
            continue;
        };
        if is_loopback(host) {
            continue;
        }
        let https = format!("https{}", &raw[raw.find(':').unwrap_or(0)..]);
        // RFC 6749 §3.1.2.1 and §10.5: the code and state arrive in the redirect's query;
        // over http anyone on the path can read and replay them. RFC 8252 §8.3 allows http
        // only for loopback redirects.
        at_config(
            cx,
            config,
            project,
            uri,
            key,
            format!(
                "redirect URI {raw} uses http:// on {host}: the authorization code and state travel in clear text to a host that is not the loopback interface"
            ),
        )
        .fix(format!(
            "Register {https} instead (serve the callback over TLS); keep http:// only for localhost during development."
        ))
        .evidence("sent", raw)
        .evidence("expected", https);
    }
}
