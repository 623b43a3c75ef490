//! `code-missing`: a callback without `code` (and without `error`), or a code exchange
//! (`grant_type=authorization_code`) without `code`.

use crate::rules::common::{
    body_unseen, callbacks, hidden_in_value, is_placeholder, lost_in_fragment, near_miss_param,
    param_values, placeholder_kind, query_param,
};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "code-missing",
    group: Group::Callback,
    severity: Severity::Error,
    summary: "callback without a code, or a code exchange without a code",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/code-missing.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

/// True for a token request that exchanges a code.
fn is_code_exchange(req: &Request) -> bool {
    param_values(req, "grant_type")
        .first()
        .is_some_and(|g| g.trim().eq_ignore_ascii_case("authorization_code"))
}

fn check(cx: &mut Cx<'_>) {
    for ex in callbacks(cx) {
        let req = &ex.request;
        if query_param(req, "error").is_some() {
            continue; // authorization-denied / callback-error
        }
        let message = match query_param(req, "code") {
            Some(p) if !p.value.trim().is_empty() => continue,
            Some(_) => "callback has an empty code parameter".to_string(),
            None => {
                // Miro puts the code in the query; a `#code=` means it was moved client-side.
                let in_fragment = req
                    .raw_url()
                    .fragment
                    .is_some_and(|f| f.split('&').any(|p| p.starts_with("code=")));
                if in_fragment {
                    "callback has the code in the URL fragment (#code=…), which never reaches the server".to_string()
                } else {
                    "callback has no code parameter (and no error): there is nothing to exchange for a token".to_string()
                }
            }
        };
        cx.report(&ex, Part::Query, Some("code"), message)
            .fix("Read the code from the callback's query string exactly as Miro sent it, and check that nothing (a proxy, a router, a second redirect) strips the query before your handler runs.");
    }
    for ex in cx.of_step(Step::Token) {
        let req = &ex.request;
        if !is_code_exchange(req) || req.method.eq_ignore_ascii_case("OPTIONS") || body_unseen(req)
        {
            continue;
        }
        let values = param_values(req, "code");
        if values.iter().any(|v| !is_placeholder(v, "code")) {
            continue;
        }
        // A refresh token in a "code exchange" is a wrong grant_type (grant-type-invalid); a
        // code cut off by a raw `#` in the URL is a placement problem (param-placement).
        let has_refresh = param_values(req, "refresh_token")
            .iter()
            .any(|v| !v.trim().is_empty());
        if has_refresh || lost_in_fragment(req, "code") || hidden_in_value(req, "code") {
            continue;
        }
        let message = match values.first() {
            Some(v) if v.trim().is_empty() => {
                "code exchange (grant_type=authorization_code) sends an empty code".to_string()
            }
            Some(v) => format!(
                "code exchange (grant_type=authorization_code) has no real code: the code sent is {}, not the code from the callback",
                placeholder_kind(v)
            ),
            None => match near_miss_param(req, "code")
                .or_else(|| {
                    ["authorization_code", "auth_code", "authCode", "authorizationCode"]
                        .iter()
                        .find(|n| !param_values(req, n).is_empty())
                        .map(|n| n.to_string())
                }) {
                Some(name) => format!(
                    "code exchange (grant_type=authorization_code) has no code: it was sent as `{name}`, and Miro reads only `code`"
                ),
                None => "code exchange (grant_type=authorization_code) has no code parameter".to_string(),
            },
        };
        let part = if req.body.is_some() {
            Part::Body
        } else {
            Part::Query
        };
        let r = cx
            .report(&ex, part, Some("code"), message)
            .fix("Send code=<the code from the callback's query string> with the token request.");
        if let Some(v) = values.first() {
            r.evidence("sent", v.clone());
        }
    }
}
