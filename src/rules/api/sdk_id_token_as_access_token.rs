//! `sdk-id-token-as-access-token`: a JWT (three dot-separated base64url parts whose header is
//! JSON with `alg`) sent as the bearer token of a REST call — typically the Web SDK's
//! `miro.board.getIdToken()`. REST needs the OAuth access token (facts §6). Miro's own tokens
//! (`eyJtaXJv…_…`) are not JWTs: one segment before the `_`, no dots.

use base64::Engine as _;

use super::{method_path, rest_calls, sent_token, SchemeProblem, TokenSource};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "sdk-id-token-as-access-token",
    group: Group::Api,
    severity: Severity::Error,
    summary: "a JWT (e.g. the Web SDK's getIdToken()) sent as the REST bearer token",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/sdk-id-token-as-access-token.md"),
    superseded_by: &[],
    reads: &[Evidence::AccessToken],
    check,
};

fn b64url(part: &str) -> Option<Vec<u8>> {
    let p = part.trim_end_matches('=');
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(p)
        .ok()
}

/// What a JWT says about itself, when `t` is one.
#[derive(Debug, PartialEq, Eq)]
struct Jwt {
    alg: String,
    /// Claim names that mark the Web SDK's id token (`team`, `user`, `sub`, `iss`).
    sdk_claims: Vec<String>,
}

fn as_jwt(t: &str) -> Option<Jwt> {
    let t = t.trim();
    let parts: Vec<&str> = t.split('.').collect();
    if parts.len() != 3 || parts[0].is_empty() || parts[1].is_empty() {
        return None;
    }
    let b64 = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '=')
    };
    if !parts.iter().all(|p| b64(p)) {
        return None;
    }
    let header: serde_json::Value = serde_json::from_slice(&b64url(parts[0])?).ok()?;
    let alg = header.get("alg")?.as_str()?.to_string();
    let sdk_claims = b64url(parts[1])
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v.as_object().cloned())
        .map(|m| {
            ["sub", "iss", "team", "user"]
                .iter()
                .filter(|k| m.contains_key(**k))
                .map(|k| k.to_string())
                .collect()
        })
        .unwrap_or_default();
    Some(Jwt { alg, sdk_claims })
}

fn check(cx: &mut Cx<'_>) {
    for ex in rest_calls(cx) {
        if !matches!(ex.step, Step::Api | Step::TokenInfo) {
            continue;
        }
        let Some(token) = sent_token(&ex.request) else {
            continue;
        };
        if token.problem == Some(SchemeProblem::Basic) {
            continue;
        }
        let Some(jwt) = as_jwt(token.trimmed()) else {
            continue;
        };
        let sdk = jwt.sdk_claims.iter().any(|c| c == "team" || c == "user");
        let message = if sdk {
            format!(
                "{} sends a JWT as the bearer token (alg {}, claims {}): this is the Web SDK's id token from getIdToken(), which the REST API rejects; REST needs an OAuth access token",
                method_path(&ex.request),
                jwt.alg,
                jwt.sdk_claims.join(", ")
            )
        } else {
            format!(
                "{} sends a JWT as the bearer token (alg {}); Miro's REST API takes only the OAuth access token from POST /v1/oauth/token, which is not a JWT",
                method_path(&ex.request),
                jwt.alg
            )
        };
        let (part, name) = match token.source {
            TokenSource::Header => (Part::Header, "Authorization"),
            TokenSource::Param(ParamPlace::Query) => (Part::Query, "access_token"),
            TokenSource::Param(_) => (Part::Body, "access_token"),
        };
        cx.report(&ex, part, Some(name), message)
            .fix("Send the access token your backend got from POST https://api.miro.com/v1/oauth/token; use the SDK's id token only to identify the user to your own backend.")
            .evidence("sent", token.value.clone())
            .evidence("jwt_alg", jwt.alg);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_or_not() {
        // {"alg":"HS256","typ":"JWT"} . {"sub":"3458764512345678901","team":"1","user":"2"}
        let sdk = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIzNDU4NzY0NTEyMzQ1Njc4OTAxIiwidGVhbSI6IjEiLCJ1c2VyIjoiMiJ9.c2lnbmF0dXJl";
        let j = as_jwt(sdk).unwrap();
        assert_eq!(j.alg, "HS256");
        assert!(j.sdk_claims.contains(&"team".to_string()));
        assert!(as_jwt("eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_o-P91OccaII0A63CDSK--x21xiI").is_none());
        assert!(as_jwt("a.b.c").is_none());
        assert!(as_jwt("eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ.eyJ4IjoxfQ.c2ln").is_none());
    }
}
