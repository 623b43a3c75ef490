//! `scope-insufficient`: the endpoint called needs a scope the token does not have. The
//! endpoint's scopes come from the catalog (`endpoint-scopes.json`); the token's scopes from,
//! in order: Miro's own `403 insufficientPermissions` answer ("Required scopes: …"), the
//! token response's `scope` or a `/v1/oauth-token` answer for the same token, or else the
//! scopes enabled for the app in the config. A token keeps the scopes it was granted: a scope
//! enabled after the user authorized needs a new authorization.

use super::{
    accepted, describe, error_code, issuance_of, issued_tokens, operation_of, rest_calls,
    sent_token, status,
};
use crate::catalog::{scope_satisfies, Operation};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "scope-insufficient",
    group: Group::Api,
    severity: Severity::Error,
    summary: "endpoint needs a scope the token (or the app) does not have",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/scope-insufficient.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

/// The scopes named in Miro's `insufficientPermissions` message ("Required scopes: a b").
fn scopes_in_message(msg: &str) -> Vec<String> {
    let lower = msg.to_ascii_lowercase();
    let Some(i) = lower.find("required scope") else {
        return Vec::new();
    };
    let rest = &msg[i..];
    let rest = rest.split_once(':').map(|x| x.1).unwrap_or("");
    rest.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .map(|s| {
            s.trim_matches(|c: char| c == '.' || c == '"' || c == '\'' || c == '[' || c == ']')
        })
        .filter(|s| s.contains(':'))
        .map(str::to_string)
        .collect()
}

fn missing(required: &[String], granted: &[String]) -> Vec<String> {
    required
        .iter()
        .filter(|r| !granted.iter().any(|g| scope_satisfies(g, r)))
        .cloned()
        .collect()
}

fn endpoint(op: Option<&Operation>, fallback: String) -> String {
    match op {
        Some(op) => format!("{} ({})", op.display(), op.operation_id),
        None => fallback,
    }
}

fn check(cx: &mut Cx<'_>) {
    let issued = issued_tokens(cx);
    // Scopes reported by /v1/oauth-token for a token.
    let mut introspected: Vec<(String, Vec<String>, usize)> = Vec::new();
    for ex in cx.of_step(Step::TokenInfo) {
        if !accepted(&ex) {
            continue;
        }
        let (Some(t), Some(body)) = (
            sent_token(&ex.request),
            ex.response.as_ref().and_then(|r| r.json_body()),
        ) else {
            continue;
        };
        if let Some(arr) = body.get("scopes").and_then(|v| v.as_array()) {
            let scopes = arr
                .iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect();
            introspected.push((t.trimmed().to_string(), scopes, ex.index));
        }
    }
    let app_scopes: Option<Vec<String>> = cx
        .config()
        .map(|c| {
            c.app
                .scopes
                .iter()
                .map(|s| s.value.trim().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|s| !s.is_empty());

    for ex in rest_calls(cx) {
        if ex.step != Step::Api || accepted(&ex) {
            continue;
        }
        let op = operation_of(&ex.request);
        let resp = ex.response.as_ref();
        let message_names_scopes = resp
            .and_then(|r| r.json_body())
            .and_then(|b| {
                b.get("message")
                    .and_then(|m| m.as_str())
                    .map(str::to_string)
            })
            .is_some_and(|m| m.to_ascii_lowercase().contains("required scope"));
        let denied = error_code(resp).as_deref() == Some("insufficientPermissions")
            || (status(&ex) == Some(403) && message_names_scopes);
        let from_response = if denied {
            resp.and_then(|r| r.json_body())
                .and_then(|b| {
                    b.get("message")
                        .and_then(|m| m.as_str())
                        .map(scopes_in_message)
                })
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let required: Vec<String> = if !from_response.is_empty() {
            from_response
        } else {
            op.map(|o| o.scopes.clone()).unwrap_or_default()
        };
        if required.is_empty() {
            continue;
        }
        // What the token was granted, when the flow shows it.
        let token = sent_token(&ex.request).map(|t| t.trimmed().to_string());
        let mut granted: Option<(Vec<String>, String)> = None;
        if let Some(t) = &token {
            if let Some(iss) = issuance_of(&issued, t, ex.index) {
                if let (Some(s), Some(te)) = (&iss.scopes, cx.exchange(iss.index)) {
                    granted = Some((
                        s.clone(),
                        format!("the token response in {}", describe(cx, &te, &ex)),
                    ));
                }
            }
            if granted.is_none() {
                if let Some((_, s, i)) = introspected.iter().find(|(v, _, _)| v == t) {
                    if let Some(te) = cx.exchange(*i) {
                        granted = Some((
                            s.clone(),
                            format!("GET /v1/oauth-token in {}", describe(cx, &te, &ex)),
                        ));
                    }
                }
            }
        }
        let name = endpoint(op, super::method_path(&ex.request));
        let app_lacks = |m: &[String]| {
            app_scopes
                .as_ref()
                .map(|a| missing(m, a))
                .unwrap_or_default()
        };
        let (message, miss, part) = if let Some((g, src)) = &granted {
            let miss = missing(&required, g);
            if miss.is_empty() && !denied {
                continue;
            }
            let miss = if miss.is_empty() {
                required.clone()
            } else {
                miss
            };
            let g_text = if g.is_empty() {
                "none".to_string()
            } else {
                g.join(" ")
            };
            let mut m = format!(
                "{name} needs {}; the token was granted {g_text} (from {src})",
                miss.join(" and ")
            );
            if denied {
                m.push_str(&format!(
                    ", and Miro answered {} insufficientPermissions",
                    status(&ex).unwrap_or(403)
                ));
            }
            (m, miss, if denied { Part::Response } else { Part::Header })
        } else if denied {
            (
                format!(
                    "Miro refused {name} with {} insufficientPermissions: the token lacks {}",
                    status(&ex).unwrap_or(403),
                    required.join(" and ")
                ),
                required.clone(),
                Part::Response,
            )
        } else if let Some(app) = &app_scopes {
            let miss = missing(&required, app);
            if miss.is_empty() {
                continue;
            }
            (
                format!(
                    "{name} needs {}, which the app does not have: the config enables {}",
                    miss.join(" and "),
                    app.join(" ")
                ),
                miss,
                Part::Url,
            )
        } else {
            continue;
        };
        let lacking_in_app = app_lacks(&miss);
        let scopes = miss.join(" and ");
        let fix = if !lacking_in_app.is_empty() {
            format!("Enable {} in the app settings (Permissions), then have the user authorize the app again so the new token carries it.", lacking_in_app.join(" and "))
        } else if app_scopes.is_some() {
            format!("Have the user authorize the app again: the app has {scopes} enabled, but a token keeps the scopes it was granted, so a scope enabled after authorization needs a new authorization.")
        } else {
            format!("Enable {scopes} in the app settings (Permissions), then have the user authorize the app again: a token keeps the scopes it was granted.")
        };
        let mut r = cx
            .report(
                &ex,
                part,
                if part == Part::Header {
                    Some("Authorization")
                } else {
                    None
                },
                message,
            )
            .fix(fix)
            .evidence("required", required.clone())
            .evidence("missing", miss.clone());
        if let Some((g, _)) = &granted {
            r = r.evidence("granted", g.clone());
        } else if let Some(a) = &app_scopes {
            r = r.evidence("app_scopes", a.clone());
        }
        if let Some(op) = op {
            let _ = r.evidence("operation", op.operation_id.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_scopes() {
        assert_eq!(
            scopes_in_message("Required scopes: boards:read"),
            vec!["boards:read"]
        );
        assert_eq!(
            scopes_in_message("Required scopes: boards:read, boards:write."),
            vec!["boards:read", "boards:write"]
        );
        assert!(scopes_in_message("Forbidden").is_empty());
    }

    #[test]
    fn spelling_alias() {
        assert!(missing(
            &["organization:cases:management".to_string()],
            &["organizations:cases:management".to_string()]
        )
        .is_empty());
    }
}
