//! `auth-header-missing`: a REST call that sends no access token at all — no `Authorization`
//! header and no `access_token` parameter (Miro answers `401 tokenNotProvided`).

use super::{accepted, error_code, has_credential, input_kind, is_rest_call, method_path};
use crate::model::InputKind;
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "auth-header-missing",
    group: Group::Api,
    severity: Severity::Error,
    summary: "REST call without an Authorization header or access_token parameter",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/auth-header-missing.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

/// Header names a token is often put under by mistake.
const TOKEN_HEADERS: &[&str] = &[
    "authorisation",
    "authentication",
    "auth",
    "x-authorization",
    "x-auth-token",
    "x-access-token",
    "access-token",
    "access_token",
    "accesstoken",
    "token",
    "x-token",
    "bearer",
    "x-api-key",
    "api-key",
    "apikey",
    "x-miro-token",
    "miro-token",
];

/// Where the request put its token instead, when it did.
fn misplaced_token(req: &Request) -> Option<String> {
    for h in &req.headers {
        let name = h.name.to_ascii_lowercase();
        if name == "authorization" || name == "cookie" || h.value.trim().is_empty() {
            continue;
        }
        let v = h.value.trim();
        let looks = super::is_miro_token_shape(v.rsplit(' ').next().unwrap_or(v))
            || v.get(..7)
                .is_some_and(|p| p.eq_ignore_ascii_case("bearer "));
        if TOKEN_HEADERS.contains(&name.as_str()) || looks {
            return Some(format!("the `{}` header", h.name));
        }
    }
    for p in req.params() {
        let n = p.param.name.as_str();
        let token_name = matches!(
            n,
            "token"
                | "accessToken"
                | "access-token"
                | "auth"
                | "bearer"
                | "auth_token"
                | "oauth_token"
        );
        match p.place {
            ParamPlace::Json | ParamPlace::Multipart if n == "access_token" || token_name => {
                return Some(format!("the `{n}` field of the request body"));
            }
            ParamPlace::Query | ParamPlace::Form if token_name && !p.param.value.is_empty() => {
                return Some(format!("a `{n}` parameter"));
            }
            _ => {}
        }
    }
    None
}

fn check(cx: &mut Cx<'_>) {
    // Chrome's default "Export HAR (sanitized)" drops Authorization and Cookie headers: a HAR
    // where no entry of the same input shows either cannot tell a missing header from a
    // stripped one, unless Miro's answer says so.
    let flow = cx.flow();
    let inputs_showing_auth: std::collections::HashSet<usize> = flow
        .exchanges
        .iter()
        .filter(|e| {
            e.request.header("authorization").is_some() || e.request.header("cookie").is_some()
        })
        .map(|e| e.input)
        .collect();
    let shows_auth = |input: usize| inputs_showing_auth.contains(&input);
    let mut fire = Vec::new();
    for ex in cx.exchanges() {
        if !is_rest_call(cx, &ex) || has_credential(&ex.request) {
            continue;
        }
        // Miro accepted it: the capture lost the header, the request had one.
        if accepted(&ex) {
            continue;
        }
        let code = error_code(ex.response.as_ref());
        let not_provided = code.as_deref() == Some("tokenNotProvided");
        let status = ex.response.as_ref().map(|r| r.status).unwrap_or(0);
        // `-H @file`, `-K file`, `--netrc` (curl only): the credential may be in a file the
        // capture does not show.
        let unseen = ex.request.curl.as_ref().map(|c| c.unseen.join(", "));
        if let Some(unseen) = unseen.filter(|u| !u.is_empty() && !not_provided) {
            cx.skip(format!(
                "the curl command takes headers or credentials from a file this tool cannot see ({unseen}); give the request as sent (curl -v output, raw HTTP or a HAR)"
            ));
            continue;
        }
        match input_kind(cx, &ex) {
            Some(InputKind::Har) if !not_provided && !shows_auth(ex.input) => {
                cx.skip("the HAR shows no Authorization or Cookie header at all (likely exported sanitized); re-export it with \"Export HAR (with sensitive data)\"");
                continue;
            }
            // A bare URL carries no headers: only Miro's answer can tell.
            Some(InputKind::Url) if !(not_provided || status == 401) => {
                cx.skip("a bare URL shows no headers; give the curl command or raw request");
                continue;
            }
            _ => {}
        }
        let empty_header = ex.request.header("authorization").is_some();
        fire.push((ex, empty_header, code));
    }
    for (ex, empty_header, code) in fire {
        let scim = ex.step == Step::Scim;
        let what = if scim { "SCIM token" } else { "access token" };
        let misplaced = misplaced_token(&ex.request);
        let message = if let Some(place) = &misplaced {
            format!(
                "{} sends its {what} in {place}, which Miro does not read: it takes the token only from `Authorization: Bearer <token>` or an access_token query parameter",
                method_path(&ex.request)
            )
        } else if empty_header {
            format!(
                "{} sends an empty Authorization header, so no {what} reaches Miro",
                method_path(&ex.request)
            )
        } else {
            format!(
                "{} sends no {what}: there is no Authorization header and no access_token parameter",
                method_path(&ex.request)
            )
        };
        let fix = if misplaced.is_some() {
            if scim {
                "Move the SCIM token into the header `Authorization: Bearer <SCIM token>`."
            } else {
                "Move the token into the header `Authorization: Bearer <access_token>`."
            }
        } else if scim {
            "Send the SCIM API token from Company settings > Enterprise integrations as `Authorization: Bearer <SCIM token>`."
        } else {
            "Send the access token from the token response as `Authorization: Bearer <access_token>`."
        };
        let mut r = cx
            .report(&ex, Part::Header, Some("Authorization"), message)
            .fix(fix)
            .evidence(
                "expected",
                if scim {
                    "Authorization: Bearer <SCIM token>"
                } else {
                    "Authorization: Bearer <access_token>"
                },
            );
        if let Some(code) = code {
            r = r.evidence("response_code", code);
        }
        let _ = r;
    }
}
