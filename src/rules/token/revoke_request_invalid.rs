//! `revoke-request-invalid`: a revoke request Miro will not accept. v2
//! (`POST /v2/oauth/revoke`) takes a JSON body with camelCase `accessToken`, `clientId`,
//! `clientSecret`; v1 (`/v1/oauth/revoke?access_token=`) is deprecated (facts §9).

use super::flow::is_real_request;
use crate::engine::classify::{is_miro_oauth_host, norm_path};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "revoke-request-invalid",
    group: Group::Token,
    severity: Severity::Error,
    summary: "revoke without a JSON body of accessToken, clientId, clientSecret (v2), or the deprecated v1 revoke",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/revoke-request-invalid.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

const V2_FIX: &str = "Revoke with POST https://api.miro.com/v2/oauth/revoke, Content-Type: application/json and the body {\"accessToken\": \"…\", \"clientId\": \"…\", \"clientSecret\": \"…\"}.";

/// The camelCase keys of `RevokeTokenRequest` and the spellings people send instead.
const KEYS: &[(&str, &[&str])] = &[
    (
        "accessToken",
        &["access_token", "token", "AccessToken", "accesstoken"],
    ),
    (
        "clientId",
        &["client_id", "ClientId", "clientID", "clientid"],
    ),
    (
        "clientSecret",
        &["client_secret", "ClientSecret", "clientsecret"],
    ),
];

/// Problems of a v2 revoke's body, in the words of the message.
fn v2_body_problems(req: &Request) -> Vec<String> {
    let mut out = Vec::new();
    let json = req.json_body();
    let obj = match &json {
        Some(serde_json::Value::Object(o)) => o,
        Some(_) => {
            out.push("the body is JSON but not an object".to_string());
            return out;
        }
        None => {
            let text = req.body_text().map(str::trim).unwrap_or("");
            let carried: Vec<&'static str> = req
                .params()
                .into_iter()
                .filter_map(|p| {
                    let place = match p.place {
                        ParamPlace::Query => "the query string",
                        ParamPlace::Form => "a form body",
                        ParamPlace::Multipart => "a multipart body",
                        ParamPlace::Json => return None,
                    };
                    KEYS.iter()
                        .any(|(k, alts)| {
                            p.param.name == *k || alts.contains(&p.param.name.as_str())
                        })
                        .then_some(place)
                })
                .collect();
            if let Some(place) = carried.first() {
                out.push(format!(
                    "the values are sent in {place}; v2 revoke reads only a JSON body"
                ));
            } else if text.starts_with('{') {
                out.push("the body is not valid JSON (check the quoting: cmd and PowerShell need \\\" inside the JSON)".to_string());
            } else if text.is_empty() {
                out.push("there is no body; v2 revoke needs a JSON body".to_string());
            } else {
                out.push("the body is not JSON".to_string());
            }
            return out;
        }
    };
    let mut wrong: Vec<(String, &str)> = Vec::new();
    let mut missing: Vec<&str> = Vec::new();
    let mut empty: Vec<&str> = Vec::new();
    for (key, alts) in KEYS {
        match obj.get(*key) {
            Some(v) => {
                if v.as_str().is_some_and(|s| s.trim().is_empty()) || v.is_null() {
                    empty.push(key);
                }
            }
            None => match obj
                .keys()
                .find(|k| alts.contains(&k.as_str()) || k.eq_ignore_ascii_case(key))
            {
                Some(found) => wrong.push((found.clone(), key)),
                None => missing.push(key),
            },
        }
    }
    if !wrong.is_empty() {
        let sent: Vec<&str> = wrong.iter().map(|(s, _)| s.as_str()).collect();
        let want: Vec<&str> = wrong.iter().map(|(_, w)| *w).collect();
        out.push(format!(
            "the JSON body uses the key{} {} where Miro's schema has {} (camelCase)",
            if sent.len() == 1 { "" } else { "s" },
            sent.join(", "),
            want.join(", ")
        ));
    }
    if !missing.is_empty() {
        out.push(format!("the JSON body lacks {}", missing.join(", ")));
    }
    if !empty.is_empty() {
        out.push(format!(
            "{} {} empty",
            empty.join(", "),
            if empty.len() == 1 { "is" } else { "are" }
        ));
    }
    let ct = req.content_type();
    let json_ct = ct
        .as_deref()
        .is_some_and(|c| c == "application/json" || c.ends_with("+json"));
    if !json_ct {
        out.push(format!(
            "the JSON body is sent with {}, so Miro likely does not read it as JSON",
            match ct {
                Some(c) => format!("Content-Type: {c}"),
                None => "no Content-Type".to_string(),
            }
        ));
    }
    out
}

fn check(cx: &mut Cx<'_>) {
    for ex in cx.of_step(Step::Revoke) {
        let req = &ex.request;
        if !is_real_request(req) {
            continue;
        }
        let host = req.host();
        let path = norm_path(req.raw_url().path);
        let method = req.method.to_ascii_uppercase();
        let on_api = host == "api.miro.com"
            || (is_miro_oauth_host(&host, cx.config()) && !host.ends_with("miro.com"));
        let mut problems: Vec<String> = Vec::new();
        if !on_api {
            problems.push(format!(
                "revoke sent to {host}; Miro's revoke endpoint is on api.miro.com"
            ));
        }
        let v1 = path == "/v1/oauth/revoke";
        let v2 = path == "/v2/oauth/revoke";
        if !v1 && !v2 {
            problems.push(format!(
                "revoke path {path} is not Miro's; the endpoint is /v2/oauth/revoke"
            ));
        }
        if method != "POST" {
            problems.push(format!("sent as {method}; Miro's revoke takes POST"));
        }
        if v1 {
            if req.param("access_token").is_none() {
                problems.push("v1 revoke has no access_token parameter".to_string());
            }
            if problems.is_empty() {
                cx.report(
                    &ex,
                    Part::Url,
                    None,
                    "v1 revoke (POST /v1/oauth/revoke?access_token=…) is deprecated: it puts the access token in the URL, where proxies and logs keep it",
                )
                .fix(V2_FIX)
                .severity(Severity::Warning)
                .evidence("sent", format!("{method} /v1/oauth/revoke"))
                .evidence("expected", "POST /v2/oauth/revoke");
                continue;
            }
            problems.push("v1 revoke is deprecated anyway".to_string());
        } else {
            problems.extend(v2_body_problems(req));
        }
        if problems.is_empty() {
            continue;
        }
        let (part, name) = if !on_api || (!v1 && !v2) || method != "POST" {
            (Part::Url, None)
        } else if v1 {
            (Part::Query, Some("access_token"))
        } else if problems[0].contains("the query string") {
            (Part::Query, None)
        } else {
            (Part::Body, None)
        };
        let which = if v1 {
            "v1 revoke request"
        } else if v2 {
            "v2 revoke request"
        } else {
            "revoke request"
        };
        let message = format!("{which} is invalid: {}", problems.join("; "));
        cx.report(&ex, part, name, message)
            .fix(V2_FIX)
            .evidence("problems", problems);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Body, Header};

    fn v2(ct: Option<&str>, body: &str) -> Request {
        Request {
            method: "POST".into(),
            url: "https://api.miro.com/v2/oauth/revoke".into(),
            headers: ct
                .map(|c| {
                    vec![Header {
                        name: "Content-Type".into(),
                        value: c.into(),
                    }]
                })
                .unwrap_or_default(),
            body: (!body.is_empty()).then(|| Body::Text(body.into())),
            curl: None,
            params_cache: Default::default(),
        }
    }

    #[test]
    fn camel_case_json_is_fine() {
        let ok = r#"{"accessToken":"a","clientId":"1","clientSecret":"s"}"#;
        assert!(v2_body_problems(&v2(Some("application/json"), ok)).is_empty());
        assert!(v2_body_problems(&v2(Some("application/json; charset=utf-8"), ok)).is_empty());
    }

    #[test]
    fn problems() {
        let snake = r#"{"access_token":"a","client_id":"1","client_secret":"s"}"#;
        let p = v2_body_problems(&v2(Some("application/json"), snake));
        assert_eq!(p.len(), 1);
        assert!(
            p[0].contains("access_token, client_id, client_secret"),
            "{p:?}"
        );
        let p = v2_body_problems(&v2(
            Some("application/x-www-form-urlencoded"),
            r#"{"accessToken":"a","clientId":"1","clientSecret":"s"}"#,
        ));
        assert!(
            p[0].contains("Content-Type: application/x-www-form-urlencoded"),
            "{p:?}"
        );
        let p = v2_body_problems(&v2(
            Some("application/x-www-form-urlencoded"),
            "accessToken=a&clientId=1&clientSecret=s",
        ));
        assert!(p[0].contains("a form body"), "{p:?}");
        let p = v2_body_problems(&v2(None, ""));
        assert!(p[0].contains("no body"), "{p:?}");
        let p = v2_body_problems(&v2(Some("application/json"), r#"{"accessToken":"a"}"#));
        assert!(p[0].contains("lacks clientId, clientSecret"), "{p:?}");
    }
}
