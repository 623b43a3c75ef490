//! `grant-type-invalid`: `grant_type` missing, misspelled, in the wrong case, with stray
//! whitespace or quotes, a grant Miro does not support, or not matching the other params.

use super::shape::{
    closest_grant, describe_placeholder, failed_token_requests, has_value, implied_grant, is_quote,
    lenient_grant, near_miss, sent_params, shown, unset, Place, Sent, GRANTS,
};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "grant-type-invalid",
    group: Group::Token,
    severity: Severity::Error,
    summary: "grant_type missing, misspelled, unsupported, or not matching the other params",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/grant-type-invalid.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

/// Grants of other OAuth servers that Miro does not have (facts §4.2).
const UNSUPPORTED: &[&str] = &[
    "client_credentials",
    "password",
    "implicit",
    "token",
    "device_code",
    "urn:ietf:params:oauth:grant-type:device_code",
    "urn:ietf:params:oauth:grant-type:jwt-bearer",
    "urn:ietf:params:oauth:grant-type:saml2-bearer",
    "urn:ietf:params:oauth:grant-type:token-exchange",
    "authorization_code_pkce",
];

fn part(place: Place) -> Part {
    match place {
        Place::Query => Part::Query,
        Place::Fragment => Part::Url,
        _ => Part::Body,
    }
}

/// The fix when the grant is unknown: the implied one, or both choices.
fn fix_for(grant: Option<&str>) -> String {
    match grant {
        Some(g) => format!("Send grant_type={g}."),
        None => "Send grant_type=authorization_code to exchange a code, or grant_type=refresh_token to refresh a token.".to_string(),
    }
}

/// What is wrong with a value that is a valid grant once forgiven (whitespace, quotes, case,
/// `-` for `_`).
fn spelling_faults(value: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    let trimmed = value.trim();
    if trimmed.len() != value.len() {
        out.push(
            if value.ends_with(['\n', '\r']) || value.starts_with(['\n', '\r']) {
                "a stray line break"
            } else {
                "stray whitespace"
            },
        );
    }
    let unquoted = trimmed.trim_matches(is_quote).trim();
    if unquoted.len() != trimmed.len() {
        out.push("quotes around it");
    }
    if unquoted.contains(['-', ' ']) {
        out.push("`-` or a space where Miro's value has `_`");
    }
    if unquoted.chars().any(|c| c.is_ascii_uppercase()) {
        out.push("capital letters (the value is case-sensitive)");
    }
    out
}

fn check(cx: &mut Cx<'_>) {
    for ex in failed_token_requests(cx) {
        let params = sent_params(&ex.request);
        let implied = implied_grant(&params);
        let grants: Vec<&Sent> = params.iter().filter(|p| p.name == "grant_type").collect();

        let Some(first) = grants.first() else {
            let (hint, fix) = match near_miss(&params, "grant_type") {
                Some(n) => (
                    format!(
                        " (a `{}` parameter was sent, but Miro reads `grant_type`)",
                        n.name
                    ),
                    format!("Rename {} to grant_type.", n.name),
                ),
                None => (String::new(), fix_for(implied)),
            };
            let expected = match implied {
                Some(g) => format!("; this request should send grant_type={g}"),
                None => String::new(),
            };
            cx.report(
                &ex,
                Part::Body,
                Some("grant_type"),
                format!("token request has no grant_type parameter{hint}{expected}"),
            )
            .fix(fix)
            .evidence(
                "expected",
                implied.map_or_else(|| GRANTS.join(" or "), str::to_string),
            );
            continue;
        };

        let mut values: Vec<&Sent> = Vec::new();
        for g in &grants {
            if !values.iter().any(|v| v.value == g.value) {
                values.push(g);
            }
        }
        if values.len() > 1 {
            let listed: Vec<String> = values
                .iter()
                .map(|v| format!("`{}` in {}", shown(&v.value), v.place.words()))
                .collect();
            let want = implied.or_else(|| values.iter().find_map(|v| lenient_grant(&v.value)));
            cx.report(
                &ex,
                part(first.place),
                Some("grant_type"),
                format!(
                    "grant_type is sent {} times with different values ({}): Miro reads only one of them",
                    values.len(),
                    listed.join(", ")
                ),
            )
            .fix(match want {
                Some(g) => format!("Send grant_type once, as {g}."),
                None => fix_for(None),
            })
            .evidence("sent", values.iter().map(|v| v.value.clone()).collect::<Vec<_>>());
            continue;
        }

        let value = first.value.as_str();
        // `--data-urlencode 'grant_type=authorization_code&code=…'` swallowed the other
        // params into this value: `param-placement` explains that.
        if value.contains('&') && value.contains('=') {
            continue;
        }
        let at = part(first.place);

        if GRANTS.contains(&value) {
            consistency(cx, &ex, &params, value, at);
            continue;
        }
        if value.trim().is_empty() {
            cx.report(
                &ex,
                at,
                Some("grant_type"),
                format!(
                    "grant_type is empty{}",
                    implied
                        .map(|g| format!("; this request should send grant_type={g}"))
                        .unwrap_or_default()
                ),
            )
            .fix(fix_for(implied))
            .evidence("sent", value)
            .evidence(
                "expected",
                implied.map_or_else(|| GRANTS.join(" or "), str::to_string),
            );
            continue;
        }
        if let Some(g) = lenient_grant(value) {
            let faults = spelling_faults(value);
            cx.report(
                &ex,
                at,
                Some("grant_type"),
                format!(
                    "grant_type `{}` has {}; Miro expects exactly `{g}`",
                    shown(value),
                    super::shape::join_names(&faults)
                ),
            )
            .fix(format!(
                "Send grant_type={g}, lower-case, without quotes or whitespace."
            ))
            .evidence("sent", value)
            .evidence("expected", g)
            .diff(value, g);
            continue;
        }
        let squashed = value.trim().to_ascii_lowercase();
        if UNSUPPORTED.contains(&squashed.as_str()) || squashed.starts_with("urn:") {
            let fix = match implied {
                Some(g) => format!("Send grant_type={g}."),
                None => "Get a code through the authorization flow (https://miro.com/oauth/authorize) and exchange it with grant_type=authorization_code.".to_string(),
            };
            cx.report(
                &ex,
                at,
                Some("grant_type"),
                format!(
                    "grant_type `{}` is not supported: Miro's token endpoint takes only authorization_code and refresh_token (there is no app-only or password grant)",
                    shown(value)
                ),
            )
            .fix(fix)
            .evidence("sent", value)
            .evidence("expected", implied.map_or_else(|| GRANTS.join(" or "), str::to_string));
            continue;
        }
        let suggestion = implied.or_else(|| closest_grant(value));
        let message = match suggestion {
            Some(g) => format!(
                "grant_type `{}` is not a grant Miro knows; the closest valid value is `{g}`",
                shown(value)
            ),
            None => format!(
                "grant_type `{}` is not a grant Miro knows: Miro takes only authorization_code and refresh_token",
                shown(value)
            ),
        };
        let r = cx
            .report(&ex, at, Some("grant_type"), message)
            .fix(fix_for(suggestion))
            .evidence("sent", value)
            .evidence(
                "expected",
                suggestion.map_or_else(|| GRANTS.join(" or "), str::to_string),
            );
        if let Some(g) = suggestion {
            r.diff(value, g);
        }
    }
}

/// A valid grant that does not match the other parameters.
fn consistency(cx: &mut Cx<'_>, ex: &Ex<'_>, params: &[Sent], grant: &str, at: Part) {
    let code = has_value(params, "code");
    let refresh = has_value(params, "refresh_token");
    if grant == "authorization_code" && !code && refresh {
        cx.report(
            ex,
            at,
            Some("grant_type"),
            "grant_type=authorization_code but the request carries a refresh_token and no code: a refresh needs grant_type=refresh_token",
        )
        .fix("Send grant_type=refresh_token to refresh the token.")
        .evidence("sent", grant)
        .evidence("expected", "refresh_token");
        return;
    }
    if grant != "refresh_token" || refresh {
        return;
    }
    if code {
        cx.report(
            ex,
            at,
            Some("grant_type"),
            "grant_type=refresh_token but the request carries a code and no refresh_token: a code exchange needs grant_type=authorization_code",
        )
        .fix("Send grant_type=authorization_code to exchange the code.")
        .evidence("sent", grant)
        .evidence("expected", "authorization_code");
        return;
    }
    let placeholder = params
        .iter()
        .find(|p| p.name == "refresh_token" && unset(&p.value));
    if let Some(p) = placeholder {
        cx.report(
            ex,
            at,
            Some("refresh_token"),
            format!(
                "grant_type=refresh_token but the refresh_token is {}: no refresh token was stored (apps created with non-expiring tokens never receive one)",
                describe_placeholder(&p.value)
            ),
        )
        .fix("Send the refresh_token from the last token response (an app with non-expiring tokens has none and needs no refresh).")
        .evidence("sent", p.value.clone());
        return;
    }
    let (hint, fix) = match near_miss(params, "refresh_token") {
        Some(n) => (
            format!(
                " (a `{}` parameter was sent, but Miro reads `refresh_token`)",
                n.name
            ),
            format!("Rename {} to refresh_token.", n.name),
        ),
        None => (
            String::new(),
            "Send the refresh_token from the last token response next to grant_type=refresh_token."
                .to_string(),
        ),
    };
    cx.report(
        ex,
        at,
        Some("grant_type"),
        format!("grant_type=refresh_token but the request has no refresh_token parameter{hint}"),
    )
    .fix(fix)
    .evidence("sent", grant);
}
