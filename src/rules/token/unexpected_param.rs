//! `unexpected-param`: parameters Miro's token endpoint does not take (`scope`, `state`,
//! `response_type`, `access_type`, `code_verifier`, misspelled names…). The message says
//! whether that is harmless (likely ignored) or fatal (a needed parameter is missing because
//! of it).

use super::shape::{
    canonical, intended_grant, read_params, redirect_overflow, sent_params, succeeded,
    token_requests,
};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "unexpected-param",
    group: Group::Token,
    severity: Severity::Warning,
    summary:
        "token request param Miro does not take (scope, state, code_verifier, misspelled names…)",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/unexpected-param.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

/// Why a known foreign parameter is there, and what to do: (reason, fix).
fn known(name: &str, has_secret: bool) -> Option<(String, String)> {
    let harmless = |why: &str| format!("{why}, so it is likely ignored (harmless)");
    Some(match name {
        "scope" => (
            harmless("Miro grants the scopes set in the app settings, not the ones a request asks for"),
            "Remove scope from the token request and set the app's scopes in the app settings.".into(),
        ),
        "state" => (
            harmless("state belongs on the authorize link and comes back on the callback"),
            "Remove state from the token request and check it against the callback instead.".into(),
        ),
        "response_type" => (
            harmless("response_type belongs on the authorize link"),
            "Remove response_type from the token request.".into(),
        ),
        "access_type" => (
            "it is a Google OAuth parameter, so it is likely ignored (harmless); Miro issues a refresh token only to apps created with expiring tokens".into(),
            "Remove access_type from the token request.".into(),
        ),
        "approval_prompt" | "prompt" | "include_granted_scopes" => (
            harmless("it is a Google OAuth parameter for the authorize link"),
            format!("Remove {name} from the token request."),
        ),
        "nonce" => (
            harmless("Miro's REST OAuth has no OpenID Connect nonce"),
            "Remove nonce from the token request.".into(),
        ),
        "team_id" => (
            harmless("team_id belongs on the authorize link, where it preselects a team"),
            "Remove team_id from the token request.".into(),
        ),
        "code_verifier" => (
            "Miro does not document PKCE for its REST OAuth flow, so it is likely ignored (harmless); the client secret is still required".into(),
            "Remove code_verifier, and send client_secret to authenticate the app.".into(),
        ),
        "code_challenge" | "code_challenge_method" => (
            harmless("it belongs on an authorize link, and Miro does not document PKCE for its REST OAuth flow"),
            format!("Remove {name} from the token request."),
        ),
        "client_assertion" | "client_assertion_type" => {
            if has_secret {
                (
                    harmless("Miro does not document JWT client authentication; the client_secret authenticates the app"),
                    format!("Remove {name} from the token request."),
                )
            } else {
                (
                    "Miro does not document JWT client authentication, so the app is not authenticated without a client_secret (fatal)".into(),
                    format!("Replace {name} with client_secret, the Client secret from the app settings."),
                )
            }
        }
        "username" | "password" => (
            harmless("Miro has no password grant"),
            format!("Remove {name} from the token request and use the authorization code flow."),
        ),
        "audience" | "resource" => (
            harmless("Miro's token endpoint takes no resource indicator"),
            format!("Remove {name} from the token request."),
        ),
        _ => return None,
    })
}

fn check(cx: &mut Cx<'_>) {
    for ex in token_requests(cx) {
        let req = &ex.request;
        let ok = succeeded(&ex);
        let params = sent_params(req);
        let read = read_params(req);
        let grant = intended_grant(&params);
        let overflow = redirect_overflow(req);
        let has = |n: &str| {
            read.iter()
                .any(|p| p.name == n && !p.value.trim().is_empty())
        };
        // Looked up once per request, not per parameter (100 000 parameters were quadratic).
        let names: std::collections::HashSet<&str> = read.iter().map(|r| r.name.as_str()).collect();
        let has_secret = has("client_secret");
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for p in &read {
            let name = p.name.as_str();
            if name.trim().is_empty() || seen.contains(name) || overflow.iter().any(|o| o == name) {
                continue;
            }
            seen.insert(name);
            let (reason, fix, fatal) = match name {
                "grant_type" | "client_id" | "client_secret" => continue,
                "code" | "redirect_uri" if grant != Some("refresh_token") => continue,
                // Generic OAuth libraries send redirect_uri on refresh too; Miro's refresh
                // does not take it and, like other servers, most likely ignores it.
                "redirect_uri" => continue,
                "code" => (
                    "a refresh does not take a code, so it is likely ignored (harmless)"
                        .to_string(),
                    "Remove code from the refresh request.".to_string(),
                    false,
                ),
                "refresh_token" if grant != Some("authorization_code") => continue,
                "refresh_token" => {
                    // Without a code the grant itself is wrong: `grant-type-invalid`.
                    if !has("code") {
                        continue;
                    }
                    (
                        "a code exchange does not take a refresh_token, so it is likely ignored (harmless)".to_string(),
                        "Remove refresh_token from the code exchange.".to_string(),
                        false,
                    )
                }
                _ => {
                    match canonical(name) {
                        Some(real) => {
                            let twin = names.contains(real);
                            if twin {
                                (
                                format!("Miro reads `{real}`, which is also sent, so this one is likely ignored (harmless)"),
                                format!("Remove {name} and keep {real}."),
                                false,
                            )
                            } else {
                                (
                                format!("Miro reads `{real}`, so this request sends no {real} (fatal)"),
                                format!("Rename {name} to {real}."),
                                true,
                            )
                            }
                        }
                        None => match known(name, has_secret) {
                            Some((reason, fix)) => {
                                let fatal = reason.ends_with("(fatal)");
                                (reason, fix, fatal)
                            }
                            None => (
                                "Miro does not document it, so it is likely ignored (harmless)"
                                    .to_string(),
                                format!("Remove {name} from the token request."),
                                false,
                            ),
                        },
                    }
                }
            };
            if fatal && ok {
                continue;
            }
            let part = p.place.part();
            cx.report(
                &ex,
                part,
                Some(name),
                format!("`{name}` is not a parameter of Miro's token endpoint: {reason}"),
            )
            .fix(fix)
            .evidence("param", name);
        }
    }
}
