//! `response-type-invalid`: `response_type` missing or not exactly `code`.

use crate::rules::common::{authorize_links, lost_in_fragment, near_miss_param};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "response-type-invalid",
    group: Group::Authorize,
    severity: Severity::Error,
    summary: "authorize link with response_type missing or not exactly `code`",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/response-type-invalid.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

const FIX: &str = "Send response_type=code (exactly, lower-case, nothing else).";

/// Why a present `response_type` value is wrong (None when it is `code`).
fn explain(value: &str, raw: &str) -> Option<String> {
    if value == "code" {
        return None;
    }
    let t = value.trim();
    let unquoted = t.trim_matches(|c| c == '"' || c == '\'');
    let lower = unquoted.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split([' ', ',', '+'])
        .filter(|w| !w.is_empty())
        .collect();
    let why = if value.is_empty() {
        "is empty".to_string()
    } else if t == "code" {
        format!("has whitespace around `code` (sent `{raw}`): Miro compares the value exactly")
    } else if unquoted == "code" {
        format!("is quoted (`{value}`): the quotes are part of the value")
    } else if lower == "code" {
        format!("is `{value}`: the value is case-sensitive")
    } else if lower == "token" {
        "is `token` (the implicit flow, used by old Web SDK v1 plugins): Miro's REST OAuth issues only authorization codes".to_string()
    } else if words.contains(&"code") {
        format!(
            "is `{value}`: Miro's OAuth is not OpenID Connect and supports only the plain code flow"
        )
    } else if lower == "authorization_code" || lower == "auth_code" {
        format!("is `{value}`, a grant_type value of the token request")
    } else if lower == "id_token" {
        "is `id_token`: Miro's OAuth is not OpenID Connect".to_string()
    } else {
        format!("is `{value}`")
    };
    Some(why)
}

fn check(cx: &mut Cx<'_>) {
    for ex in authorize_links(cx) {
        let params: Vec<_> = ex
            .request
            .query_params()
            .into_iter()
            .filter(|p| p.name == "response_type")
            .collect();
        match params.as_slice() {
            [] if lost_in_fragment(&ex.request, "response_type") => {}
            [] => {
                let message = match near_miss_param(&ex.request, "response_type") {
                    Some(name) if name.starts_with("amp;") => format!(
                        "authorize link has no response_type: it was sent as `{name}` because the `&` before it was HTML-escaped as `&amp;`"
                    ),
                    Some(name) => format!(
                        "authorize link has no response_type: it was sent as `{name}`, and parameter names are case- and spelling-sensitive"
                    ),
                    None => "authorize link has no response_type; Miro requires response_type=code".to_string(),
                };
                cx.report(&ex, Part::Query, Some("response_type"), message)
                    .fix(FIX)
                    .evidence("expected", "code");
            }
            [p] => {
                if let Some(why) = explain(&p.value, &p.raw) {
                    cx.report(
                        &ex,
                        Part::Query,
                        Some("response_type"),
                        format!("response_type {why}; Miro requires response_type=code"),
                    )
                    .fix(FIX)
                    .evidence("sent", p.value.clone())
                    .evidence("expected", "code");
                }
            }
            many => {
                let values: Vec<String> = many.iter().map(|p| p.value.clone()).collect();
                if values.iter().all(|v| v == "code") {
                    continue;
                }
                cx.report(
                    &ex,
                    Part::Query,
                    Some("response_type"),
                    format!(
                        "response_type is sent {} times ({}); Miro requires one response_type=code",
                        values.len(),
                        values
                            .iter()
                            .map(|v| format!("`{v}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .fix("Send response_type=code once.")
                .evidence("sent", values)
                .evidence("expected", "code");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert!(explain("code", "code").is_none());
        for v in [
            "token",
            "Code",
            "CODE",
            " code",
            "code ",
            "code id_token",
            "\"code\"",
            "",
        ] {
            assert!(explain(v, v).is_some(), "{v}");
        }
    }
}
