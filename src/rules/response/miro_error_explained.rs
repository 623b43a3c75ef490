//! `miro-error-explained`: a Miro error body (`status`, `code`, `message`, `type`; or the RFC
//! `error`/`error_description` some wrappers log) mapped to its cause and fix. Where a more
//! specific rule fires on the same exchange, that rule's finding stands and this one is
//! dropped (`superseded_by`).

use super::error_body::{error_body, miro_answer, ErrorBody};
use crate::rules::prelude::*;
use crate::rules::token::flow::{is_code_exchange, is_real_request, is_refresh};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "miro-error-explained",
    group: Group::Response,
    severity: Severity::Error,
    summary: "a Miro error response mapped to its cause and fix",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/miro-error-explained.md"),
    superseded_by: &[
        "access-token-expired",
        "access-token-superseded",
        "api-host-wrong",
        "auth-header-missing",
        "auth-scheme-invalid",
        "basic-auth-malformed",
        "basic-auth-only",
        "client-credentials-conflict",
        "client-id-mismatch",
        "client-id-missing",
        "client-secret-missing",
        "code-expired",
        "code-invalid",
        "code-mangled",
        "code-missing",
        "code-reused",
        "endpoint-unknown",
        "grant-type-invalid",
        "param-placement",
        "plan-gated-endpoint",
        "rate-limited",
        "redirect-uri-exchange-mismatch",
        "redirect-uri-mismatch",
        "redirect-uri-not-encoded",
        "refresh-token-expired",
        "refresh-token-reused",
        "refresh-without-expiring-tokens",
        "revoke-request-invalid",
        "scim-token-misuse",
        "scope-insufficient",
        "sdk-id-token-as-access-token",
        "token-endpoint-wrong",
        "token-malformed",
        "token-method-wrong",
    ],
    reads: &[],
    check,
};

/// A cause and its fix.
struct Explained {
    cause: String,
    fix: String,
}

fn ex(cause: impl Into<String>, fix: impl Into<String>) -> Explained {
    Explained {
        cause: cause.into(),
        fix: fix.into(),
    }
}

/// The scopes named in a message like "Required scopes: boards:read".
fn required_scopes(message: &str) -> Option<String> {
    let lower = message.to_ascii_lowercase();
    let i = lower.find("scope")?;
    let rest = &message[i..];
    let rest = rest.split_once(':').map(|(_, r)| r)?;
    let scopes: Vec<&str> = rest
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(|s| s.trim_matches(|c: char| c == '.' || c == '"' || c == '\''))
        .filter(|s| s.contains(':'))
        .collect();
    (!scopes.is_empty()).then(|| scopes.join(", "))
}

fn explain(err: &ErrorBody, step: Step, req: &Request) -> Explained {
    let code = err.code.to_ascii_lowercase();
    let msg = err.message_lower();
    let refresh = step == Step::Token && is_refresh(req);
    let exchange = step == Step::Token && is_code_exchange(req);
    let reauthorize = "Send the user through the authorization again and use the new token.";

    if code == "tokennotprovided" || msg.contains("no authorization data") {
        return ex(
            "the request carried no access token",
            "Send the access token in the header Authorization: Bearer <access_token>.",
        );
    }
    if msg.contains("redirect uri mismatch") || (msg.contains("redirect") && msg.contains("uri")) {
        return ex(
            "the redirect_uri is not byte-for-byte one registered in the app settings, or the token request's differs from the authorize link's",
            "Send one redirect_uri, byte for byte as registered in the app settings, in both the authorize link and the token request.",
        );
    }
    if err.is_invalid_code(exchange) {
        return ex(
            "the authorization code expired (10 minutes), was already used, or was altered on the way",
            "Start a new authorization and exchange the fresh code once, within 10 minutes, exactly as the callback delivered it.",
        );
    }
    if msg.contains("invalid refresh token")
        || (refresh && (code == "invalid_grant" || msg.contains("refresh")))
    {
        return ex(
            "the refresh token is not valid (already used: every refresh returns a new pair and the old one stops working; older than 60 days; or never issued, as apps with non-expiring tokens get none)",
            "Store the refresh token from every refresh response and send only the newest; when it fails, send the user through the authorization again.",
        );
    }
    if msg.contains("unauthorized grant type") || code == "unauthorized_client" {
        return ex(
            "Miro did not accept this grant for these client credentials (likely a client_id and client_secret that are not a pair, or a refresh by an app with non-expiring tokens)",
            "Copy client_id and client_secret again from the same app's settings page, and refresh only if the app was created with expiring tokens.",
        );
    }
    if code == "secretkeynotfound" || code == "invalid_client" {
        return ex(
            "Miro found no app for this client_id and client_secret (the secret is wrong, belongs to another app, or was regenerated)",
            "Copy client_id and client_secret again from the same app's settings page and send both as request parameters.",
        );
    }
    if code == "unsupported_grant_type" {
        return ex(
            "the grant_type is not one Miro supports",
            "Send grant_type=authorization_code for a code exchange or grant_type=refresh_token for a refresh.",
        );
    }
    if code == "insufficientpermissions" || msg.contains("required scope") {
        return match required_scopes(&err.message) {
            Some(s) => ex(
                format!("the access token lacks the scope {s} this endpoint needs"),
                format!("Enable {s} in the app settings (Permissions), then have the user authorize the app again: a token keeps the scopes it was granted."),
            ),
            None => ex(
                "the access token lacks a scope this endpoint needs",
                "Enable the endpoint's scope in the app settings (Permissions), then have the user authorize the app again: a token keeps the scopes it was granted.",
            ),
        };
    }
    if code == "oautherror" || (err.rfc && step == Step::Token) {
        return ex(
            "the token endpoint rejected the request",
            "Check grant_type, code or refresh_token, client_id, client_secret and redirect_uri against Miro's token endpoint reference.",
        );
    }
    if step == Step::Revoke && (err.status == 404 || msg.contains("failed to revoke")) {
        return ex(
            "Miro could not revoke the token (it is already revoked or expired, or the clientId and clientSecret are not those of the app that issued it)",
            "Treat the token as gone, or revoke it with the clientId and clientSecret of the app that issued it.",
        );
    }
    if code == "toomanyrequests" || err.status == 429 {
        return ex(
            "the per-user, per-app credit budget for this minute is used up",
            "Wait for the time in X-RateLimit-Reset, then back off on every 429.",
        );
    }
    if code == "tokenexpired"
        || code == "invalidtoken"
        || code == "invalid_token"
        || (msg.contains("token") && (msg.contains("expired") || msg.contains("invalid")))
        || (err.status == 401 && matches!(step, Step::Api | Step::TokenInfo | Step::Scim))
        || (step == Step::TokenInfo && err.status == 400)
    {
        return ex(
            "the access token is invalid, expired or revoked",
            format!("Refresh the access token (expiring tokens last 1 hour) or, for an app without refresh tokens, {}", lower_first(reauthorize)),
        );
    }
    if code == "forbiddenaccess" || err.status == 403 {
        return ex(
            "the user or team behind the token may not do this (not a member of the board, an Enterprise-only endpoint, or a missing admin role)",
            "Check that the user who authorized the app can do this in Miro itself, and that the endpoint's plan and role requirements are met.",
        );
    }
    if code == "notfound" || err.status == 404 {
        return ex(
            "the resource does not exist or the token's user cannot see it (a wrong board or item id, or a wrong path)",
            "Check the ids in the path and that the user who authorized the app can open the board.",
        );
    }
    if code == "conflict" || err.status == 409 {
        return ex(
            "the request conflicts with the resource's current state",
            "Read the resource again and retry against its current state.",
        );
    }
    if code == "invalidparameters" || code == "invalid_request" || err.status == 400 {
        return ex(
            "Miro rejected a parameter of the request",
            "Fix the parameter the message names, following the operation's reference on developers.miro.com.",
        );
    }
    if err.status >= 500 {
        return ex(
            "Miro had a server-side error",
            "Retry later with exponential backoff, and report it to Miro if it persists.",
        );
    }
    if err.status == 401 {
        return ex(
            "Miro did not accept the credentials of the request",
            "Check the client credentials or the access token the request sends.",
        );
    }
    ex(
        "Miro rejected the request",
        "Read the message and fix what it names, following the operation's reference on developers.miro.com.",
    )
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn check(cx: &mut Cx<'_>) {
    for e in cx.exchanges() {
        let Some(resp) = e.response.as_ref() else {
            continue;
        };
        if !is_real_request(&e.request) {
            continue;
        }
        let Some(relayed) = miro_answer(&e) else {
            continue;
        };
        let Some(err) = error_body(resp) else {
            continue;
        };
        // The RFC shape only counts on Miro's own hosts (apps use it for their own errors).
        if err.rfc && relayed {
            continue;
        }
        let explained = explain(&err, e.step, &e.request);
        let via = if relayed {
            " (relayed by the app's backend)"
        } else {
            ""
        };
        let r = cx
            .report(
                &e,
                Part::Response,
                None,
                format!("Miro answered {}{via}: {}", err.describe(), explained.cause),
            )
            .fix(explained.fix)
            .evidence("status", err.status);
        let r = if err.code.is_empty() {
            r
        } else {
            r.evidence("code", err.code.clone())
        };
        if !err.message.is_empty() {
            r.evidence("message", err.message.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_from_message() {
        assert_eq!(
            required_scopes("Required scopes: boards:read").as_deref(),
            Some("boards:read")
        );
        assert_eq!(
            required_scopes("Required scopes: boards:read, boards:write.").as_deref(),
            Some("boards:read, boards:write")
        );
        assert_eq!(required_scopes("Forbidden"), None);
    }
}
