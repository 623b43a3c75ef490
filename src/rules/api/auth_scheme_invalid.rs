//! `auth-scheme-invalid`: an `Authorization` header on a REST call that is not
//! `Bearer <token>` — `Bearer:`, `Token x`, `Basic …`, `Bearer Bearer x`, quotes, no space,
//! a bare token, `Bearer` with no token. The scheme is case-insensitive (RFC 7235 §2.1), so
//! `bearer x` is fine.

use super::{method_path, parse_auth, rest_calls, SchemeProblem};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "auth-scheme-invalid",
    group: Group::Api,
    severity: Severity::Error,
    summary: "Authorization header on a REST call that is not `Bearer <token>`",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/auth-scheme-invalid.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

fn check(cx: &mut Cx<'_>) {
    for ex in rest_calls(cx) {
        let scim = ex.step == Step::Scim;
        let token_word = if scim {
            "<SCIM token>"
        } else {
            "<access_token>"
        };
        let expected = format!("Bearer {token_word}");
        let headers: Vec<&str> = ex
            .request
            .headers_named("authorization")
            .map(|h| h.value.as_str())
            .collect();
        let mut distinct: Vec<&str> = headers.iter().map(|v| v.trim()).collect();
        distinct.dedup();
        if distinct.len() > 1 {
            cx.report(
                &ex,
                Part::Header,
                Some("Authorization"),
                format!(
                    "{} sends {} different Authorization headers; Miro reads only one of them",
                    method_path(&ex.request),
                    distinct.len()
                ),
            )
            .fix(format!("Send exactly one header `Authorization: {expected}` (remove the duplicate, e.g. the one set by the client's auth settings)."))
            .evidence("sent", distinct.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .evidence("expected", expected.clone());
            continue;
        }
        let Some(value) = headers.first() else {
            continue;
        };
        if headers.len() > 1 && super::is_redacted(value) {
            // Two headers hidden behind one placeholder: whether they differed is lost.
            cx.skip(format!(
                "{} sends {} Authorization headers, hidden behind the same placeholder (`{}`): whether they differ cannot be told",
                method_path(&ex.request),
                headers.len(),
                value.trim()
            ));
            continue;
        }
        // A value redacted as a whole (`[REDACTED]`, `***`) shows no scheme to judge.
        if super::is_redacted(value) && !value.contains(char::is_whitespace) {
            cx.skip(format!(
                "the Authorization header of {} is hidden as `{}`: its scheme cannot be judged",
                method_path(&ex.request),
                value.trim()
            ));
            continue;
        }
        let a = parse_auth(value);
        let Some(problem) = a.problem else {
            continue;
        };
        // `Bearer [REDACTED] <rest>`: a hidden first word is the sanitizer's, not an extra word.
        if matches!(&problem, SchemeProblem::ExtraWord(w) if super::is_redacted(w)) {
            continue;
        }
        let message = match &problem {
            // An empty header is `auth-header-missing`.
            SchemeProblem::Empty => continue,
            SchemeProblem::NoToken => "the Authorization header is `Bearer` with no token after it (an unset variable or an empty token)".to_string(),
            SchemeProblem::Colon => "the Authorization header has a colon after Bearer (`Bearer: <token>`); the scheme is `Bearer` followed by a space".to_string(),
            SchemeProblem::NoSpace => "the Authorization header runs `Bearer` and the token together without a space".to_string(),
            SchemeProblem::Doubled => "the Authorization header says Bearer twice (`Bearer Bearer <token>`): the token already had the prefix".to_string(),
            SchemeProblem::Quoted => "the Authorization header has quotes around the token; quotes are sent as part of the token".to_string(),
            SchemeProblem::NoScheme => "the Authorization header holds a bare token without the `Bearer ` scheme".to_string(),
            SchemeProblem::Basic => if scim {
                "the Authorization header sends Basic credentials; SCIM takes the SCIM API token as a bearer token".to_string()
            } else {
                "the Authorization header sends Basic credentials (client_id:client_secret); REST calls take the OAuth access token as a bearer token".to_string()
            },
            SchemeProblem::ExtraWord(word) => format!(
                "the Authorization header has the word `{word}` between Bearer and the token; everything after `Bearer ` is read as the token"
            ),
            SchemeProblem::Other(word) => format!(
                "the Authorization header uses the scheme `{word}`; Miro takes the token only as `Bearer <token>`"
            ),
        };
        let fix = match problem {
            SchemeProblem::Basic if !scim => format!("Exchange the code for an access token at POST https://api.miro.com/v1/oauth/token and send `Authorization: {expected}`."),
            SchemeProblem::NoToken => format!("Send `Authorization: {expected}` with the token filled in (check the variable that holds it is set)."),
            SchemeProblem::Doubled => format!("Send `Authorization: {expected}` with the word Bearer once (strip the prefix the stored value already has)."),
            _ => format!("Send `Authorization: {expected}`: the word Bearer, one space, then the token, with no colon or quotes."),
        };
        cx.report(&ex, Part::Header, Some("Authorization"), message)
            .fix(fix)
            .evidence("sent", value.to_string())
            .evidence("expected", expected);
    }
}
