//! `token-method-wrong`: a token request sent with another method than `POST` — most often a
//! curl command with the parameters in the URL but no `-X POST` and no `-d`, which curl sends
//! as GET.

use super::shape::{method_known, succeeded, token_requests};
use crate::rules::prelude::*;

/// The rule.
pub(crate) static RULE: Rule = Rule {
    id: "token-method-wrong",
    group: Group::Token,
    severity: Severity::Error,
    summary: "token request not sent with POST (GET, or curl without -X POST/-d)",
    needs: Needs::Nothing,
    docs: include_str!("../../../rules/token-method-wrong.md"),
    superseded_by: &[],
    reads: &[],
    check,
};

fn check(cx: &mut Cx<'_>) {
    for ex in token_requests(cx) {
        // A bare URL carries no method (the URL reader assumes a browser's GET).
        if !method_known(cx, &ex) || succeeded(&ex) {
            continue;
        }
        let req = &ex.request;
        let method = req.method.trim().to_ascii_uppercase();
        if method == "POST" {
            continue;
        }
        let shown = if method.is_empty() {
            "no method".to_string()
        } else {
            method.clone()
        };
        let (why, fix) = match &req.curl {
            Some(c) if c.get => (
                format!("curl -G moves the data into the query string and sends {shown}"),
                "Remove -G so that curl sends the data as a POST form body.".to_string(),
            ),
            Some(c) if c.explicit_method.is_some() => {
                let x = c.explicit_method.as_deref().unwrap_or_default();
                (
                    format!("curl -X {x} sends {shown}"),
                    format!("Replace -X {x} with -X POST."),
                )
            }
            Some(c) if c.data.is_empty() && c.form.is_empty() && method == "GET" => (
                "curl sends GET when the command has neither -X POST nor -d, even with every parameter in the URL".to_string(),
                "Add -X POST to the curl command.".to_string(),
            ),
            _ => (
                String::new(),
                "Send the token request with POST.".to_string(),
            ),
        };
        let why = if why.is_empty() {
            String::new()
        } else {
            format!(": {why}")
        };
        cx.report(
            &ex,
            Part::Url,
            None,
            format!(
                "token request is sent with {shown}{why}; Miro's token endpoint takes only POST"
            ),
        )
        .fix(fix)
        .evidence("sent", shown)
        .evidence("expected", "POST");
    }
}
