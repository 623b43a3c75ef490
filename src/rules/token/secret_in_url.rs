//! `secret-in-url`: a `client_secret` or an access token in a URL query string, where proxies,
//! server logs and browser history keep it. Miro accepts both there (its own clients send
//! the token request that way, facts §4.1 and §7), so this is hygiene advice.

use crate::engine::classify::is_miro_oauth_host;
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "secret-in-url",
    group: Group::Token,
    severity: Severity::Info,
    summary: "client_secret or an access token in a URL query string, where logs keep it",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/secret-in-url.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

const SECRETS: [&str; 2] = ["client_secret", "access_token"];

fn check(cx: &mut Cx<'_>) {
    let config = cx.config();
    for ex in cx.exchanges() {
        let req = &ex.request;
        // CORS preflights repeat the URL of the request that follows them.
        if req.method.eq_ignore_ascii_case("OPTIONS") || !is_miro_oauth_host(&req.host(), config) {
            continue;
        }
        let query = req.query_params();
        let mut found: Vec<&str> = Vec::new();
        for name in SECRETS {
            if query
                .iter()
                .any(|p| p.name == name && !super::shape::unset(&p.value))
                && !found.contains(&name)
            {
                found.push(name);
            }
        }
        let Some(first) = found.first().copied() else {
            continue;
        };
        let also_refresh = query
            .iter()
            .any(|p| p.name == "refresh_token" && !p.value.trim().is_empty());
        let mut listed: Vec<&str> = found.clone();
        if also_refresh && first == "client_secret" {
            listed.push("refresh_token");
        }
        let what = super::shape::join_names(&listed);
        let verb = if listed.len() == 1 { "is" } else { "are" };
        let fix = if first == "client_secret" && ex.step == Step::Authorize {
            "Remove client_secret from the authorize link: only the backend's token request needs it."
        } else if first == "client_secret" {
            "Move client_secret and the other token parameters into an application/x-www-form-urlencoded POST body."
        } else if ex.step == Step::Revoke {
            "Revoke with POST https://api.miro.com/v2/oauth/revoke and a JSON body instead of the deprecated v1 call that puts the token in the URL."
        } else {
            "Send the access token in an Authorization: Bearer header instead of the access_token query parameter."
        };
        cx.report(
            &ex,
            Part::Query,
            Some(first),
            format!(
                "{what} {verb} in the URL query string, where proxies, server logs and browser history keep {}; Miro accepts {} there, so this is hygiene advice",
                if listed.len() == 1 { "it" } else { "them" },
                if listed.len() == 1 { "it" } else { "them" },
            ),
        )
        .fix(fix)
        .evidence("params", listed.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    }
}
